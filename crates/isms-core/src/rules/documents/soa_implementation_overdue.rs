use std::collections::HashSet;

use chrono::NaiveDate;

use crate::catalog::OwnControls;
use crate::finding::Severity;
use crate::model::{Kind, Standard, Treatment};
use crate::repository::{IdTarget, Repository};
use crate::rules::{Category, Deadline, Rule, RuleContext, RuleId, RuleMeta};
use crate::text::capitalise;

use super::{applicable_claims, control_field_paths, control_references, soa_name};

/// An applicable control still planned or partly implemented, with no date
/// by which it will be, or past it, and no plan that carries it.
pub struct SoaImplementationOverdue;

static META: RuleMeta = RuleMeta {
    id: RuleId::SoaImplementationOverdue,
    category: Category::Documents,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 6.1.3 e, 6.2 d",
    summary: "A control the Statement of Applicability marks planned or partly implemented has no target date, or is past it, and no plan carries it",
    what: "For every control of the Statement of Applicability that applies — an Annex A \
entry with `applicable: true`, or one of the organisation's own in `additional-controls` — \
and whose `status` is `planned` or `partially-implemented`, looks for a plan that says when \
it will be implemented:\n\n\
- a risk treatment: an open risk treated by `mitigate` that lists the control in its \
`controls` and names the `actions` implementing the treatment;\n\
- a corrective action open on the day of the check that names the control, or answers an \
audit finding whose `control` is it.\n\n\
Either carries the date itself (the actions are checked by `corrective-action-overdue`), and \
nothing is reported. Otherwise the entry's `target-date` is the deadline: a warning inside the \
look-ahead window (`horizon`, 30 days by default), an error from the day after it, at the \
date. With no `target-date` at all the entry is an error at its `status`.",
    why: "6.1.3 e requires a risk treatment plan, and 6.2 d requires the plans for the \
information security objectives to say when they will be completed. A control the SoA \
includes but has not implemented is a treatment still to be done: without a date, or past it \
with nothing planned, nobody is accountable for finishing it, and the residual risk the risk \
owner accepted (6.1.3 f) rests on a control that does not yet exist.",
    example: crate::rules::Example::new(
        &[(
            "soa.yaml",
            r#"kind: statement-of-applicability
id: SOA
title: Statement of Applicability
approved: 2026-02-02
approved-by: hmarsh
controls:
  - control: "8.16"
    applicable: true
    justification: Anomalous access to production must be detected quickly (RISK-008).
    status: planned
    target-date: 2026-09-30
"#,
        )],
        "2026-10-01",
        &[(
            "soa.yaml",
            r#"kind: statement-of-applicability
id: SOA
title: Statement of Applicability
approved: 2026-02-02
approved-by: hmarsh
controls:
  - control: "8.16"
    applicable: true
    justification: Anomalous access to production must be detected quickly (RISK-008).
    status: planned
    target-date: 2026-12-18
"#,
        )],
    ),
    fix: "Set a `target-date` by which the control will be implemented, or plan it: list it in \
the `controls` of the risk it treats with the `actions` implementing it, or raise a corrective \
action. Once it is in place, set `status: implemented`.",
    options: &[],
    deadlines: true,
};

impl Rule for SoaImplementationOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if super::kept_to_2013_edition(cx) {
            return;
        }
        let repo = cx.repo;
        // A risk or action that could not be read may be the plan.
        if cx
            .unread(Kind::Risk, &["controls", "actions", "treatment", "status"])
            .is_some()
        {
            return;
        }
        let mut action_fields = control_field_paths(Kind::CorrectiveAction);
        action_fields.extend(["source", "status", "closed", "raised"].map(String::from));
        let action_fields: Vec<&str> = action_fields.iter().map(String::as_str).collect();
        if cx.unread(Kind::CorrectiveAction, &action_fields).is_some() {
            return;
        }
        let planned = planned_controls(repo, cx.as_of);
        for claim in applicable_claims(repo) {
            let status = match claim.status() {
                Some("planned") => "planned",
                Some("partially-implemented") => "partly implemented",
                _ => continue,
            };
            let target = format!("{}/target-date", claim.path);
            if planned.contains(&claim.key) || claim.record.unreadable(&target) {
                continue;
            }
            let soa = soa_name(claim.record);
            let date = claim.entry.get("target-date").filter(|n| !n.is_null());
            let due = date.and_then(|n| n.as_text()?.trim().parse::<NaiveDate>().ok());
            match (date, due) {
                (Some(node), Some(due)) => {
                    let d = Deadline {
                        rule: RuleId::SoaImplementationOverdue,
                        what: format!("the implementation of {}", claim.name),
                        due,
                        file: claim.record.file,
                        span: node.span,
                        record_id: claim.record.id.clone(),
                        reason: format!(
                            "{soa} marks it {status}, with this target date and no risk treatment or corrective action planning it (6.1.3 e, 6.2 d)"
                        ),
                    };
                    cx.deadline(d, Some(HELP));
                }
                (Some(_), None) => {} // not a date: invalid-date's
                (None, _) => {
                    let span = claim.entry.get("status").map_or(claim.span, |n| n.span);
                    let f = cx
                        .finding(claim.record.file, span)
                        .message(format!(
                            "{} is marked {status} in {soa}, with no `target-date` and no risk treatment or corrective action planning it: 6.1.3 e and 6.2 d need a plan that says when it will be implemented",
                            capitalise(&claim.name)
                        ))
                        .help(HELP)
                        .record(claim.record.id.as_deref())
                        .key(format!("{}/target-date", claim.key));
                    cx.emit(f);
                }
            }
        }
    }
}

const HELP: &str = "Set `target-date` on the entry, or plan the control: list it in the `controls` of the risk it treats (`treatment: mitigate`) with the `actions` implementing it, or raise a corrective action for it. Once in place, mark it `implemented`.";

/// The controls a plan carries: open risks treated by `mitigate` that list
/// them with actions, and corrective actions open on `day` that name them or
/// answer an audit finding on them.
fn planned_controls(repo: &Repository, day: NaiveDate) -> HashSet<String> {
    let own = OwnControls::of(repo);
    let mut out = HashSet::new();
    for (_, risk) in repo.risks() {
        if risk.is_open() && risk.treatment == Some(Treatment::Mitigate) && !risk.actions.is_empty()
        {
            out.extend(
                risk.controls
                    .iter()
                    .filter_map(|c| own.key(c))
                    .map(str::to_owned),
            );
        }
    }
    for (record, action) in repo.actions() {
        if !action.is_open_on(day) {
            continue;
        }
        control_references(record, &own, |key| {
            out.insert(key);
        });
        let Some(source) = action.source.as_deref() else {
            continue;
        };
        for target in repo.lookup(source.trim()) {
            let IdTarget::AuditFinding { record, index } = *target else {
                continue;
            };
            let finding = repo.records[record]
                .node
                .get("findings")
                .and_then(crate::yaml::Node::as_seq)
                .and_then(|f| f.get(index));
            if let Some(key) = finding
                .and_then(|f| f.get("control"))
                .and_then(crate::yaml::Node::as_text)
                .and_then(|c| own.key(c))
            {
                out.insert(key.to_owned());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "soa-implementation-overdue";

    fn soa(entry: &str) -> TestRepo {
        TestRepo::new().file(
            "soa.yaml",
            &format!("kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n  - control: \"8.16\"\n    applicable: true\n{entry}"),
        )
    }

    const REASON: &str = "the Statement of Applicability SOA marks it planned, with this target date and no risk treatment or corrective action planning it (6.1.3 e, 6.2 d)";

    #[test]
    fn day_before_of_and_after_the_target_date() {
        let r = soa("    status: planned\n    target-date: 2026-03-31\n");
        assert!(r.check_rule(RULE, "2026-02-28").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2026-03-01"),
            [format!("soa.yaml:8:18: warning[soa-implementation-overdue] The implementation of Annex A 8.16 (Monitoring activities) is due in 30 days (on 2026-03-31); {REASON}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-03-30"),
            [format!("soa.yaml:8:18: warning[soa-implementation-overdue] The implementation of Annex A 8.16 (Monitoring activities) is due tomorrow (on 2026-03-31); {REASON}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-03-31"),
            [format!("soa.yaml:8:18: warning[soa-implementation-overdue] The implementation of Annex A 8.16 (Monitoring activities) is due today (on 2026-03-31); {REASON}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-04-01"),
            [format!("soa.yaml:8:18: error[soa-implementation-overdue] The implementation of Annex A 8.16 (Monitoring activities) is overdue: it was due on 2026-03-31 (1 day ago); {REASON}")]
        );
    }

    #[test]
    fn a_target_date_on_29_february() {
        let r = soa("    status: partially-implemented\n    target-date: 2028-02-29\n");
        assert!(r.check_rule(RULE, "2028-01-29").is_empty());
        assert!(r.check_rule(RULE, "2028-01-30")[0].contains("warning[soa-implementation-overdue] The implementation of Annex A 8.16 (Monitoring activities) is due in 30 days (on 2028-02-29); the Statement of Applicability SOA marks it partly implemented"));
        assert!(r.check_rule(RULE, "2028-02-29")[0].contains("is due today (on 2028-02-29)"));
        assert!(r.check_rule(RULE, "2028-03-01")[0]
            .contains("error[soa-implementation-overdue] The implementation of Annex A 8.16 (Monitoring activities) is overdue: it was due on 2028-02-29 (1 day ago)"));
    }

    #[test]
    fn no_target_date_and_no_plan() {
        let r = soa("    status: planned\n");
        assert_eq!(
            r.check_rule(RULE, "2026-06-01"),
            ["soa.yaml:7:13: error[soa-implementation-overdue] Annex A 8.16 (Monitoring activities) is marked planned in the Statement of Applicability SOA, with no `target-date` and no risk treatment or corrective action planning it: 6.1.3 e and 6.2 d need a plan that says when it will be implemented"]
        );
        // Implemented, not implemented, or not applicable: nothing to plan.
        for status in ["implemented", "not-implemented"] {
            assert!(soa(&format!("    status: {status}\n"))
                .check_rule(RULE, "2026-06-01")
                .is_empty());
        }
        let excluded = TestRepo::new().file(
            "soa.yaml",
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n  - control: \"8.16\"\n    applicable: false\n    status: planned\n",
        );
        assert!(excluded.check_rule(RULE, "2026-06-01").is_empty());
    }

    #[test]
    fn own_controls_too() {
        let r = TestRepo::new().file(
            "soa.yaml",
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\nadditional-controls:\n  - id: 5.AI.1\n    title: Approved AI tools\n    status: partially-implemented\n    target-date: 2026-08-31\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2026-09-01"),
            ["soa.yaml:8:18: error[soa-implementation-overdue] The implementation of the organisation's own control 5.AI.1 (Approved AI tools) is overdue: it was due on 2026-08-31 (1 day ago); the Statement of Applicability SOA marks it partly implemented, with this target date and no risk treatment or corrective action planning it (6.1.3 e, 6.2 d)"]
        );
    }

    #[test]
    fn a_risk_treatment_with_actions_carries_the_plan() {
        let risk = |extra: &str| {
            soa("    status: planned\n    target-date: 2026-03-31\n")
                .file(
                    "risks/r.yaml",
                    &format!("kind: risk\nid: RISK-1\ntitle: T\ncontrols: [A.8.16]\n{extra}"),
                )
                .file(
                    "actions/a.yaml",
                    "kind: corrective-action\nid: CA-1\ntitle: Deploy alerting\nstatus: open\n",
                )
        };
        assert!(risk("treatment: mitigate\nactions: [CA-1]\n")
            .check_rule(RULE, "2026-06-01")
            .is_empty());
        // Not without actions, not for another treatment, not once closed.
        for extra in [
            "treatment: mitigate\n",
            "treatment: accept\nactions: [CA-1]\n",
            "treatment: mitigate\nactions: [CA-1]\nstatus: closed\n",
        ] {
            assert_eq!(
                risk(extra).check_rule(RULE, "2026-06-01").len(),
                1,
                "{extra}"
            );
        }
    }

    #[test]
    fn a_corrective_action_on_an_audit_finding_carries_the_plan() {
        let r = |action: &str| {
            soa("    status: planned\n")
                .file(
                    "audits/a.yaml",
                    "kind: audit\nid: IA-1\ntitle: A\ntype: internal\nstatus: completed\ncompleted: 2026-02-10\nfindings:\n  - id: IA-1-F1\n    type: minor\n    control: \"8.16\"\n    description: No alerting on production access.\n",
                )
                .file("actions/a.yaml", &format!("kind: corrective-action\nid: CA-1\ntitle: T\nsource: IA-1-F1\n{action}"))
        };
        assert!(r("status: open\n")
            .check_rule(RULE, "2026-06-01")
            .is_empty());
        // Closed on the day: no longer a plan; raised later: not yet one.
        let closed = r("status: closed\nclosed: 2026-06-01\n");
        assert!(closed.check_rule(RULE, "2026-05-31").is_empty());
        assert_eq!(closed.check_rule(RULE, "2026-06-01").len(), 1);
        let later = r("status: open\nraised: 2026-06-02\n");
        assert_eq!(later.check_rule(RULE, "2026-06-01").len(), 1);
    }

    #[test]
    fn configuration() {
        let r = soa("    status: planned\n").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    soa-implementation-overdue: warning\n",
        );
        assert!(r.check_rule(RULE, "2026-06-01")[0].contains("warning[soa-implementation-overdue]"));
        let off = soa("    status: planned\n").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    soa-implementation-overdue: off\n",
        );
        assert!(off.check_rule(RULE, "2026-06-01").is_empty());
    }
}

use std::collections::HashMap;

use crate::finding::Severity;
use crate::model::{ActionStatus, AuditStatus, CorrectiveAction, FindingType, Kind, Standard};
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::text::list_and;
use crate::yaml::Seg;

/// A nonconformity that no corrective action answers.
pub struct NonconformityWithoutAction;

static META: RuleMeta = RuleMeta {
    id: RuleId::NonconformityWithoutAction,
    category: Category::InternalAudit,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 10.2, 9.2",
    summary: "A major or minor nonconformity found by an audit has no corrective action",
    what: "For every finding of an audit (internal or by the certification body) with \
`type: major-nonconformity` or `minor-nonconformity`, looks for a corrective action that \
answers it: one named in the finding's `actions`, or one whose `source` is the finding's `id`. \
Cancelled corrective actions do not count. Observations and opportunities for improvement \
need none. The finding is at the audit finding's `id`.",
    why: "10.2 requires the organisation, when a nonconformity occurs, to react to it, to \
evaluate the need for action to remove its causes, to implement the action and review its \
effectiveness, and to keep documented information of the nonconformity and of the action \
taken (10.2 f, g). An audit finding with no corrective action is the first thing the next \
auditor follows up: a nonconformity of the certification body's audit left without an \
accepted corrective action plan can stop certification, and one of an internal audit shows \
that the results of 9.2 are not acted upon.",
    example: crate::rules::Example::new(
        &[(
            "audits/internal/2025-04-access-control.yaml",
            r#"kind: audit
id: IA-2025-04
title: Access control
type: internal
status: completed
planned: 2025-04-16
completed: 2025-04-16
auditor: pnowak
scope:
  controls: ["5.18"]
findings:
  - id: IA-2025-04-F1
    type: minor-nonconformity
    control: "5.18"
    description: The access review of the first quarter was not done.
"#,
        )],
        "2025-05-05",
        &[(
            "actions/CA-2025-009.yaml",
            "\
kind: corrective-action
id: CA-2025-009
title: Hold the quarterly access reviews
source: IA-2025-04-F1
nonconformity: The access review of the first quarter was not done.
raised: 2025-04-22
owner: Head of IT
due: 2025-06-30
status: open
correction: The first-quarter review was done on 2025-04-30.
",
        )],
    ),
    fix: "Raise a corrective action with `source:` the finding's id (or list its id in the \
finding's `actions`), recording the correction, the root cause, the action to remove it, an \
owner and a due date.",
    options: &[],
    deadlines: false,
};

impl Rule for NonconformityWithoutAction {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        let actions: HashMap<&str, &CorrectiveAction> =
            repo.actions().map(|(_, a)| (a.id.as_str(), a)).collect();
        let mut by_source: HashMap<&str, Vec<&CorrectiveAction>> = HashMap::new();
        for (_, a) in repo.actions() {
            if let Some(source) = &a.source {
                by_source.entry(source.trim()).or_default().push(a);
            }
        }

        // A corrective action that could not be read may be the answer to
        // a nonconformity: its cause is reported where it is.
        if cx
            .unread(Kind::CorrectiveAction, &["source", "status", "closed"])
            .is_some()
        {
            return;
        }
        for (record, audit) in repo.audits() {
            match audit.status_on(cx.as_of) {
                AuditStatus::Cancelled => continue,
                // Held after the day of the check: its findings were not
                // raised yet.
                AuditStatus::Planned if audit.status == AuditStatus::Completed => continue,
                _ => {}
            }
            for (i, finding) in audit.findings.iter().enumerate() {
                if !finding.finding_type.is_nonconformity()
                    || record.unreadable(&format!("findings/{i}/actions"))
                {
                    continue;
                }
                let mut answers: Vec<&CorrectiveAction> = finding
                    .actions
                    .iter()
                    .filter_map(|id| actions.get(id.trim()).copied())
                    .chain(
                        by_source
                            .get(finding.id.as_str())
                            .into_iter()
                            .flatten()
                            .copied(),
                    )
                    .collect();
                answers.sort_by(|a, b| a.id.cmp(&b.id));
                answers.dedup_by(|a, b| a.id == b.id);
                if answers
                    .iter()
                    .any(|a| a.status_on(cx.as_of) != ActionStatus::Cancelled)
                {
                    continue;
                }
                let cancelled: Vec<&str> = answers.iter().map(|a| a.id.as_str()).collect();
                let note = match cancelled.as_slice() {
                    [] => String::new(),
                    [one] => format!(" (its only corrective action, {one}, is cancelled)"),
                    many => format!(" (its corrective actions {} are cancelled)", list_and(many)),
                };
                let concerning = match (&finding.clause, &finding.control) {
                    (_, Some(control)) => format!(" (Annex A {control})"),
                    (Some(clause), None) => format!(" (clause {clause})"),
                    (None, None) => String::new(),
                };
                let grade = match finding.finding_type {
                    FindingType::MajorNonconformity => "Major nonconformity",
                    _ => "Minor nonconformity",
                };
                let f = cx
                    .finding(
                        record.file,
                        record.span([Seg::Key("findings"), Seg::Index(i), Seg::Key("id")]),
                    )
                    .message(format!(
                        "{grade} {} of {} {}{concerning} has no corrective action{note}: clause 10.2 requires a reaction to every nonconformity and action to remove its cause",
                        finding.id,
                        audit.audit_type.noun(),
                        audit.id,
                    ))
                    .record(Some(&finding.id))
                    .key("actions")
                    .help(format!(
                        "Raise a corrective action with `source: {}` (or name it in the finding's `actions`), recording the correction, the root cause and the action taken.",
                        finding.id
                    ));
                cx.emit(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "nonconformity-without-action";

    /// An audit with one finding of `grade`, with `extra` keys.
    fn audit(audit_type: &str, grade: &str, extra: &str) -> String {
        format!(
            "kind: audit\nid: IA-1\ntitle: Access\ntype: {audit_type}\nstatus: completed\ncompleted: 2025-04-16\nfindings:\n  - id: IA-1-F1\n    type: {grade}\n    control: \"5.18\"\n    description: Review not done.\n{extra}"
        )
    }

    fn actions(entries: &str) -> String {
        format!("kind: corrective-action\nentries:\n{entries}")
    }

    fn action(id: &str, status: &str, source: Option<&str>) -> String {
        let source = source
            .map(|s| format!("    source: {s}\n"))
            .unwrap_or_default();
        format!("  - id: {id}\n    title: Fix\n    status: {status}\n{source}")
    }

    #[test]
    fn an_action_named_by_the_finding_or_sourced_from_it() {
        let named = TestRepo::new()
            .file(
                "audits/ia.yaml",
                &audit("internal", "minor-nonconformity", "    actions: [CA-1]\n"),
            )
            .file("actions/ca.yaml", &actions(&action("CA-1", "open", None)));
        assert!(named.check_rule(RULE, "2025-05-01").is_empty());
        let sourced = TestRepo::new()
            .file(
                "audits/ia.yaml",
                &audit("internal", "major-nonconformity", ""),
            )
            .file(
                "actions/ca.yaml",
                &actions(&action("CA-1", "closed", Some("IA-1-F1"))),
            );
        assert!(sourced.check_rule(RULE, "2025-05-01").is_empty());
    }

    #[test]
    fn a_nonconformity_without_action() {
        let r = TestRepo::new().file(
            "audits/ia.yaml",
            &audit("internal", "minor-nonconformity", ""),
        );
        assert_eq!(
            r.check_rule(RULE, "2025-05-01"),
            ["audits/ia.yaml:8:9: error[nonconformity-without-action] Minor nonconformity IA-1-F1 of internal audit IA-1 (Annex A 5.18) has no corrective action: clause 10.2 requires a reaction to every nonconformity and action to remove its cause"]
        );
        let r = TestRepo::new().file(
            "audits/sa.yaml",
            &audit(
                "surveillance",
                "major-nonconformity",
                "    clause: \"7.5\"\n",
            )
            .replace("    control: \"5.18\"\n", ""),
        );
        assert_eq!(
            r.check_rule(RULE, "2025-05-01"),
            ["audits/sa.yaml:8:9: error[nonconformity-without-action] Major nonconformity IA-1-F1 of surveillance audit IA-1 (clause 7.5) has no corrective action: clause 10.2 requires a reaction to every nonconformity and action to remove its cause"]
        );
    }

    #[test]
    fn observations_and_opportunities_need_none() {
        for grade in ["observation", "opportunity-for-improvement"] {
            let r = TestRepo::new().file("audits/ia.yaml", &audit("internal", grade, ""));
            assert!(r.check_rule(RULE, "2025-05-01").is_empty(), "{grade}");
        }
    }

    #[test]
    fn references_that_answer_nothing() {
        // A missing id, a record that is not a corrective action, an action
        // raised for another finding.
        let r = TestRepo::new()
            .file(
                "audits/ia.yaml",
                &audit(
                    "internal",
                    "minor-nonconformity",
                    "    actions: [CA-9, RISK-1]\n",
                ),
            )
            .file("risks/r.yaml", "kind: risk\nid: RISK-1\ntitle: Risk\n")
            .file(
                "actions/ca.yaml",
                &actions(&action("CA-2", "open", Some("IA-1-F2"))),
            );
        assert_eq!(r.check_rule(RULE, "2025-05-01").len(), 1);
    }

    #[test]
    fn cancelled_actions_do_not_count() {
        let r = TestRepo::new()
            .file(
                "audits/ia.yaml",
                &audit("internal", "minor-nonconformity", "    actions: [CA-1]\n"),
            )
            .file(
                "actions/ca.yaml",
                &actions(
                    &[
                        action("CA-1", "cancelled", None),
                        action("CA-2", "cancelled", Some("IA-1-F1")),
                    ]
                    .concat(),
                ),
            );
        assert_eq!(
            r.check_rule(RULE, "2025-05-01"),
            ["audits/ia.yaml:8:9: error[nonconformity-without-action] Minor nonconformity IA-1-F1 of internal audit IA-1 (Annex A 5.18) has no corrective action (its corrective actions CA-1 and CA-2 are cancelled): clause 10.2 requires a reaction to every nonconformity and action to remove its cause"]
        );
        let r = TestRepo::new()
            .file(
                "audits/ia.yaml",
                &audit("internal", "minor-nonconformity", "    actions: [CA-1]\n"),
            )
            .file(
                "actions/ca.yaml",
                &actions(&action("CA-1", "cancelled", Some("IA-1-F1"))),
            );
        assert!(r.check_rule(RULE, "2025-05-01")[0]
            .contains("(its only corrective action, CA-1, is cancelled)"));
    }

    #[test]
    fn configuration() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    nonconformity-without-action:\n      severity: warning\n")
            .file("audits/ia.yaml", &audit("internal", "minor-nonconformity", ""));
        assert!(
            r.check_rule(RULE, "2025-05-01")[0].contains("warning[nonconformity-without-action]")
        );
        let off = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    nonconformity-without-action: off\n")
            .file("audits/ia.yaml", &audit("internal", "minor-nonconformity", ""));
        assert!(off.check_rule(RULE, "2025-05-01").is_empty());
        // A waiver by the finding's id.
        let waived = TestRepo::new()
            .manifest("organisation:\n  name: T\nwaivers:\n  - rule: nonconformity-without-action\n    target: IA-1-F1\n    reason: Accepted by the certification body\n    owner: ISM\n    expires: 2025-12-31\n")
            .file("audits/ia.yaml", &audit("internal", "minor-nonconformity", ""));
        assert!(waived.check_rule(RULE, "2025-05-01").is_empty());
    }
}

use std::collections::HashSet;

use crate::catalog::OwnControls;
use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::{AuditStatus, DocumentStatus, Kind, Standard};
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

use super::{applicable_claims, control_field_paths, control_references, soa_name};

/// A control the Statement of Applicability says is implemented, with
/// nothing in the repository showing that it operates.
pub struct SoaControlWithoutEvidence;

static META: RuleMeta = RuleMeta {
    id: RuleId::SoaControlWithoutEvidence,
    category: Category::Documents,
    default_severity: Severity::Warning,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 6.1.3 d, 7.5.1 b, 9.1",
    summary: "A control the Statement of Applicability marks implemented has nothing showing it operates",
    what: "For every control of the Statement of Applicability that applies and is marked \
`status: implemented` — an Annex A entry with `applicable: true`, or one of the \
organisation's own in `additional-controls` — looks for something showing that it \
operates:\n\n\
- the entry's own `policies` or `evidence`;\n\
- any record other than a risk that names the control in one of its control fields: a \
policy's `controls`, an audit's `scope.controls` or a finding's `control`, a control \
activity or its performance, and any kind that names controls.\n\n\
A risk naming the control does not count: its `controls` say which controls should treat it, \
not that they operate; nor does a policy not in force on the day of the check (a draft, one \
approved only later, or a retired one), nor a control activity no longer carried out \
(`status: retired`, or from the day of its `retired` date), nor an audit not yet held or held \
more than one certification cycle (three years) before the day of the check. A control with none of these is reported at its id in the SoA. While a \
record that could name controls could not be read, nothing is reported: it may be the one.",
    why: "6.1.3 d has the Statement of Applicability state whether each necessary control is \
implemented, and 7.5.1 b requires the documented information the organisation has determined \
necessary for the effectiveness of the ISMS. An auditor samples implemented controls and asks \
for the policy that sets each and the evidence that it operates (9.1). A control claimed as \
implemented with nothing behind it in the repository is either evidence kept somewhere else — \
which the SoA should point at — or a claim that will not survive the sample.",
    example: crate::rules::Example::new(
        &[
            (
                "soa.yaml",
                r#"kind: statement-of-applicability
id: SOA
title: Statement of Applicability
approved: 2026-02-02
approved-by: hmarsh
controls:
  - control: "5.15"
    applicable: true
    justification: Tenant isolation and least privilege are customer requirements.
    status: implemented
  - control: "8.13"
    applicable: true
    justification: Platform data must be recoverable within the RPO.
    status: implemented
"#,
            ),
            (
                "policies/access-control.md",
                "---\nkind: policy\nid: POL-003\ntitle: Access Control Policy\napproved: 2026-01-12\napproved-by: hmarsh\ncontrols: [\"5.15\"]\n---\n# Access Control Policy\n",
            ),
        ],
        "2026-10-01",
        &[
            (
                "soa.yaml",
                r#"kind: statement-of-applicability
id: SOA
title: Statement of Applicability
approved: 2026-02-02
approved-by: hmarsh
controls:
  - control: "5.15"
    applicable: true
    justification: Tenant isolation and least privilege are customer requirements.
    status: implemented
  - control: "8.13"
    applicable: true
    justification: Platform data must be recoverable within the RPO.
    status: implemented
    evidence: [evidence/2026-09-restore-test.md]
"#,
            ),
            (
                "evidence/2026-09-restore-test.md",
                "# Restore test, September 2026\n\nRestored the configuration database from the vault into a scratch account in 41 minutes.\n",
            ),
        ],
    ),
    fix: "Point the entry at what shows the control operates: the policy that sets it \
(`policies`), the evidence of its operation (`evidence`: a report, an export, a ticket), or \
name it in the `controls` of the policy or control activity that operates it. If it is not \
implemented yet, say so in `status`.",
    options: &[],
    deadlines: false,
};

/// How long a completed audit shows that the controls it examined operate:
/// one certification cycle.
const AUDIT_SHOWS_FOR: Interval = Interval::months(36);

impl Rule for SoaControlWithoutEvidence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if super::kept_to_2013_edition(cx) {
            return;
        }
        let repo = cx.repo;
        let shows = |kind: Kind| !matches!(kind, Kind::StatementOfApplicability | Kind::Risk);
        // A record that could not be read may be the one naming a control.
        for &kind in Kind::ALL.iter().filter(|&&k| shows(k)) {
            let paths = control_field_paths(kind);
            if paths.is_empty() {
                continue;
            }
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            if cx.unread(kind, &paths).is_some() {
                return;
            }
        }
        // Nor while it is unknown whether an audit naming one was held.
        if cx
            .unread(Kind::Audit, &["status", "completed", "planned"])
            .is_some()
        {
            return;
        }
        // Nor while it is unknown whether an activity naming one is retired.
        if cx
            .unread(Kind::ControlActivity, &["status", "retired"])
            .is_some()
        {
            return;
        }
        let own = OwnControls::of(repo);
        let mut named: HashSet<String> = HashSet::new();
        // A policy shows a control operates while it is in force: a draft
        // on the day (approved later) or a retired one does not; a control
        // activity while it is carried out, not from the day it is retired.
        let in_force = |record: &crate::Record| match &record.data {
            Some(crate::repository::RecordData::Policy(p)) => {
                p.status_on(cx.as_of) == DocumentStatus::Approved
            }
            Some(crate::repository::RecordData::ControlActivity(a)) => a.is_active_on(cx.as_of),
            // An audit shows what it examined once it has been held, and for
            // one certification cycle after: a planned audit has shown
            // nothing yet, and one held more than three years ago no longer
            // speaks for the control.
            Some(crate::repository::RecordData::Audit(a)) => {
                a.status_on(cx.as_of) == AuditStatus::Completed
                    && a.date()
                        .is_some_and(|d| d <= cx.as_of && AUDIT_SHOWS_FOR.after(d) > cx.as_of)
            }
            _ => true,
        };
        for record in repo.records.iter().filter(|r| shows(r.kind) && in_force(r)) {
            control_references(record, &own, |key| {
                named.insert(key);
            });
        }
        let has = |entry: &crate::yaml::Node, key: &str| {
            entry
                .get(key)
                .is_some_and(|n| n.as_seq().map_or(!n.is_null(), |s| !s.is_empty()))
        };
        for claim in applicable_claims(repo) {
            if claim.status() != Some("implemented")
                || named.contains(&claim.key)
                || has(claim.entry, "policies")
                || has(claim.entry, "evidence")
                || claim.record.unreadable(&claim.path)
            {
                continue;
            }
            let f = cx
                .finding(claim.record.file, claim.span)
                .message(format!(
                    "{} is marked implemented in {}, but nothing shows it operates: its entry has no `policies` or `evidence`, and no policy in force, audit of the last three years, control activity or other record names it in its controls",
                    crate::text::capitalise(&claim.name),
                    soa_name(claim.record)
                ))
                .help("Add the policy that sets it (`policies`) or the evidence of its operation (`evidence`) to the entry, or name the control in the `controls` of the record that operates it.")
                .record(claim.record.id.as_deref())
                .key(format!("{}/evidence", claim.key));
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "soa-control-without-evidence";

    fn soa(entries: &str, own: &str) -> String {
        format!(
            "kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n{entries}additional-controls:\n{own}"
        )
    }

    const ENTRIES: &str = "  - control: \"5.15\"\n    applicable: true\n    status: implemented\n  - control: A.8.13\n    applicable: true\n    status: implemented\n  - control: \"5.7\"\n    applicable: true\n    status: planned\n  - control: \"7.4\"\n    applicable: false\n    status: implemented\n";
    const OWN: &str = "  - id: C-SEC-004\n    title: Customer-managed keys\n    status: implemented\n  - id: 5.AI.1\n    title: Approved AI tools\n    status: partially-implemented\n";

    #[test]
    fn implemented_controls_without_anything_behind_them() {
        let r = TestRepo::new().file("soa.yaml", &soa(ENTRIES, OWN));
        assert_eq!(
            r.check_rule(RULE, "2026-06-01"),
            [
                "soa.yaml:5:14: warning[soa-control-without-evidence] Annex A 5.15 (Access control) is marked implemented in the Statement of Applicability SOA, but nothing shows it operates: its entry has no `policies` or `evidence`, and no policy in force, audit of the last three years, control activity or other record names it in its controls",
                "soa.yaml:8:14: warning[soa-control-without-evidence] Annex A 8.13 (Information backup) is marked implemented in the Statement of Applicability SOA, but nothing shows it operates: its entry has no `policies` or `evidence`, and no policy in force, audit of the last three years, control activity or other record names it in its controls",
                "soa.yaml:18:9: warning[soa-control-without-evidence] The organisation's own control C-SEC-004 (Customer-managed keys) is marked implemented in the Statement of Applicability SOA, but nothing shows it operates: its entry has no `policies` or `evidence`, and no policy in force, audit of the last three years, control activity or other record names it in its controls",
            ]
        );
    }

    #[test]
    fn a_record_naming_the_control_or_links_of_its_own_entry_count() {
        let r = TestRepo::new()
            .file(
                "soa.yaml",
                &soa(
                    "  - control: \"5.15\"\n    applicable: true\n    status: implemented\n    policies: [POL-1]\n  - control: A.8.13\n    applicable: true\n    status: implemented\n  - control: \"5.1\"\n    applicable: true\n    status: implemented\n    evidence: [e.md]\n",
                    OWN,
                ),
            )
            .file("e.md", "evidence\n")
            .file(
                "policies/p.md",
                "---\nkind: policy\nid: POL-1\ntitle: P\n---\n",
            )
            .file(
                "audits/a.yaml",
                "kind: audit\nid: IA-1\ntitle: A\ntype: internal\nstatus: completed\ncompleted: 2026-05-12\nscope:\n  controls: [\"8.13\"]\nfindings:\n  - id: IA-1-F1\n    type: observation\n    control: C-SEC-004\n    description: d\n",
            );
        assert!(r.check_rule(RULE, "2026-06-01").is_empty());
    }

    /// An audit shows the controls it examined from the day it was held, for
    /// one certification cycle: not while it is planned, not from three years
    /// after.
    #[test]
    fn an_audit_shows_a_control_operates_for_a_cycle_from_the_day_it_is_held() {
        let audit = |completed: &str| {
            TestRepo::new()
                .file(
                    "soa.yaml",
                    &soa(
                        "  - control: A.8.13\n    applicable: true\n    status: implemented\n",
                        "",
                    ),
                )
                .file(
                    "audits/a.yaml",
                    &format!("kind: audit\nid: IA-1\ntitle: A\ntype: internal\nstatus: completed\nplanned: 2024-02-01\ncompleted: {completed}\nscope:\n  controls: [\"8.13\"]\n"),
                )
        };
        // Held on 29 February 2024: a cycle later is 28 February 2027.
        let r = audit("2024-02-29");
        assert_eq!(
            r.check_rule(RULE, "2024-02-28").len(),
            1,
            "the day before it was held"
        );
        assert!(
            r.check_rule(RULE, "2024-02-29").is_empty(),
            "the day it was held"
        );
        assert!(
            r.check_rule(RULE, "2027-02-27").is_empty(),
            "the last day of the cycle"
        );
        assert_eq!(r.check_rule(RULE, "2027-02-28").len(), 1, "three years on");
        // A planned audit has shown nothing yet.
        let planned = TestRepo::new()
            .file(
                "soa.yaml",
                &soa("  - control: A.8.13\n    applicable: true\n    status: implemented\n", ""),
            )
            .file(
                "audits/a.yaml",
                "kind: audit\nid: IA-1\ntitle: A\ntype: internal\nstatus: planned\nplanned: 2026-07-01\nscope:\n  controls: [\"8.13\"]\n",
            );
        assert_eq!(planned.check_rule(RULE, "2026-08-01").len(), 1);
    }

    #[test]
    fn a_risk_naming_the_control_is_no_evidence_that_it_operates() {
        let r = TestRepo::new()
            .file(
                "soa.yaml",
                &soa(
                    "  - control: \"5.15\"\n    applicable: true\n    status: implemented\n",
                    "",
                ),
            )
            .file(
                "risks/r.yaml",
                "kind: risk\nid: RISK-1\ntitle: T\ncontrols: [\"5.15\"]\n",
            );
        assert_eq!(r.check_rule(RULE, "2026-06-01").len(), 1);
        // A policy in force does, from the day it is approved.
        let r = r.file(
            "policies/p.md",
            "---\nkind: policy\nid: POL-1\ntitle: P\napproved: 2026-06-01\ncontrols: [A.5.15]\n---\n",
        );
        assert_eq!(r.check_rule(RULE, "2026-05-31").len(), 1);
        assert!(r.check_rule(RULE, "2026-06-01").is_empty());
        assert!(r.check_rule(RULE, "2026-06-02").is_empty());
        for status in ["draft", "retired"] {
            let r = r.clone().file(
                "policies/p.md",
                &format!("---\nkind: policy\nid: POL-1\ntitle: P\nstatus: {status}\ncontrols: [A.5.15]\n---\n"),
            );
            assert_eq!(r.check_rule(RULE, "2026-06-01").len(), 1, "{status}");
        }
    }

    #[test]
    fn a_control_activity_counts_until_the_day_it_is_retired() {
        let activity = |extra: &str| {
            TestRepo::new()
                .file(
                    "soa.yaml",
                    &soa(
                        "  - control: \"8.13\"\n    applicable: true\n    status: implemented\n",
                        "",
                    ),
                )
                .file(
                    "activities/restore.yaml",
                    &format!("kind: control-activity\nid: ACT-1\ntitle: Restore test\ncontrols: [\"8.13\"]\nevery: 3 months\nstart: 2027-01-01\n{extra}"),
                )
                .file(
                    "activities/perf.yaml",
                    "kind: control-performance\nid: P-1\nactivity: ACT-1\ndate: 2028-01-15\noutcome: pass\n",
                )
        };
        let r = activity("retired: 2028-02-29\n");
        assert!(r.check_rule(RULE, "2028-02-28").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2028-02-29"),
            ["soa.yaml:5:14: warning[soa-control-without-evidence] Annex A 8.13 (Information backup) is marked implemented in the Statement of Applicability SOA, but nothing shows it operates: its entry has no `policies` or `evidence`, and no policy in force, audit of the last three years, control activity or other record names it in its controls"]
        );
        assert_eq!(r.check_rule(RULE, "2028-03-01").len(), 1);
        // Retired without a date: it shows nothing on any day.
        assert_eq!(
            activity("status: retired\n")
                .check_rule(RULE, "2027-06-01")
                .len(),
            1
        );
        assert!(activity("status: active\n")
            .check_rule(RULE, "2030-01-01")
            .is_empty());
        // While its retirement cannot be read, nothing is reported.
        assert!(activity("retired: soon\n")
            .check_rule(RULE, "2030-01-01")
            .is_empty());
    }

    #[test]
    fn silent_while_a_record_that_could_name_it_cannot_be_read() {
        let r = TestRepo::new()
            .file(
                "soa.yaml",
                &soa(
                    "  - control: \"5.15\"\n    applicable: true\n    status: implemented\n",
                    "",
                ),
            )
            .file(
                "policies/p.md",
                "---\nkind: policy\nid: POL-1\ncontrols: [\n---\n",
            );
        assert!(r.check_rule(RULE, "2026-06-01").is_empty());
    }

    #[test]
    fn configuration() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    soa-control-without-evidence: error\n")
            .file("soa.yaml", &soa(ENTRIES, ""));
        assert!(r.check_rule(RULE, "2026-06-01")[0].contains("error[soa-control-without-evidence]"));
        let off = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    soa-control-without-evidence: off\n")
            .file("soa.yaml", &soa(ENTRIES, ""));
        assert!(off.check_rule(RULE, "2026-06-01").is_empty());
    }
}

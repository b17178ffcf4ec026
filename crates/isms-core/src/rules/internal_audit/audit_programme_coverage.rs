use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{internal_audits, main_clause, AUDIT_FIELDS};
use crate::catalog::OwnControls;
use crate::finding::{Finding, Severity};
use crate::interval::Interval;
use crate::model::{normalise_control, Kind, Standard};
use crate::rules::{due_in, Basis, Category, Opt, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::{FileId, Span};
use crate::text::{capitalise, plural};

/// Clauses or applicable controls no internal audit covered in the cycle.
pub struct AuditProgrammeCoverage;

const WARN_BEFORE: Opt<Interval> = Opt::new(
    "warn-before",
    "6 months",
    "How long before the end of the cycle to list what is not yet covered.",
    Basis::Practice,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::AuditProgrammeCoverage,
    category: Category::InternalAudit,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 9.2.2; ISO/IEC 17021-1:2015 9.1.3",
    summary: "A clause from 4 to 10, or an applicable Annex A control, has not been internally audited within the certification cycle",
    what: "Collects the `scope` of every internal audit completed in the current certification \
cycle, from `certification.decision` to `certification.expiry`, and checks that it covers:\n\n\
- each of clauses 4 to 10 (a scope clause such as `9.2` covers clause 9);\n\
- every control of the Statement of Applicability marked `applicable: true` (`5.15` and \
`A.5.15` are the same control), and every control of the organisation's own listed in its \
`additional-controls` (named in a scope by its declared id, such as `C-SEC-004`).\n\n\
In the cycle's final 6 months a warning lists what is not yet covered; once the cycle has \
ended (the day of the check is after the expiry) the list is an error. Clauses are reported at \
`certification.decision`, controls at the Statement of Applicability's `controls`. Without a \
certificate, cycles of three years run from the first completed internal audit.",
    why: "9.2.2 requires an audit programme that covers the ISMS: each audit has its scope, and \
the programme as a whole must show that the ISMS conforms to the organisation's requirements \
and to the standard and is effectively implemented. Certification bodies plan each three-year \
cycle to cover the complete management system (ISO/IEC 17021-1 9.1.3), and expect the \
organisation's own programme to do the same: auditing clauses 4 to 10 and every applicable \
Annex A control at least once per cycle is common practice, not a number of the standard. A \
control no internal audit has looked at is one whose effectiveness nobody has checked when the \
recertification auditor asks.",
    example: crate::rules::Example::new(
        &[
            (
                "isms.yaml",
                "\
organisation:
  name: Kestrel Data Services Ltd
certification:
  body: Meridian Certification Ltd
  certificate: MCL-ISMS-24017
  standard: ISO/IEC 27001:2022
  decision: 2024-02-16
  expiry: 2027-02-15
",
            ),
            (
                "soa.yaml",
                r#"kind: statement-of-applicability
id: SOA
title: Statement of Applicability
approved: 2026-02-02
approved-by: hmarsh
controls:
  - control: "5.1"
    applicable: true
    justification: Needed to direct the ISMS.
    status: implemented
  - control: "5.15"
    applicable: true
    justification: Tenant isolation and least privilege are customer requirements (RISK-001).
    status: implemented
  - control: "8.13"
    applicable: true
    justification: Platform data must be recoverable within the RPO (RISK-002).
    status: implemented
  - control: "8.23"
    applicable: true
    justification: Malicious sites are a common phishing route (RISK-005).
    status: implemented
"#,
            ),
            (
                "audits/internal/programme.yaml",
                r#"kind: audit
title: Internal audit programme 2024-2027
entries:
  - id: IA-2024-04
    title: Context, leadership and support
    type: internal
    status: completed
    completed: 2024-04-17
    auditor: pnowak
    scope:
      clauses: ["4", "5", "7"]
      controls: ["5.1"]
  - id: IA-2025-02
    title: Risk assessment and treatment
    type: internal
    status: completed
    completed: 2025-02-19
    auditor: pnowak
    scope:
      clauses: ["8.2", "8.3"]
  - id: IA-2025-11
    title: Access, endpoints and networks
    type: internal
    status: completed
    completed: 2025-11-12
    auditor: pnowak
    scope:
      clauses: ["8.1"]
      controls: ["5.15"]
  - id: IA-2026-05
    title: Performance evaluation and improvement
    type: internal
    status: completed
    completed: 2026-05-13
    auditor: pnowak
    scope:
      clauses: ["9", "10"]
      controls: ["8.13"]
"#,
            ),
        ],
        "2026-10-01",
        &[
            (
                "audits/internal/programme.yaml",
                r#"kind: audit
title: Internal audit programme 2024-2027
entries:
  - id: IA-2024-04
    title: Context, leadership and support
    type: internal
    status: completed
    completed: 2024-04-17
    auditor: pnowak
    scope:
      clauses: ["4", "5", "7"]
      controls: ["5.1"]
  - id: IA-2025-02
    title: Risk assessment and treatment
    type: internal
    status: completed
    completed: 2025-02-19
    auditor: pnowak
    scope:
      clauses: ["6.1", "8.2", "8.3"]
  - id: IA-2025-11
    title: Access, endpoints and networks
    type: internal
    status: completed
    completed: 2025-11-12
    auditor: pnowak
    scope:
      clauses: ["8.1"]
      controls: ["5.15", "8.23"]
  - id: IA-2026-05
    title: Performance evaluation and improvement
    type: internal
    status: completed
    completed: 2026-05-13
    auditor: pnowak
    scope:
      clauses: ["9", "10"]
      controls: ["8.13"]
"#,
            ),
        ],
    ),
    fix: "Plan internal audits whose `scope.clauses` and `scope.controls` take in what is \
listed, before the cycle ends. An audit that did cover them but does not say so needs its \
`scope` completed.",
    options: &[WARN_BEFORE.def],
    deadlines: false,
};

/// The length of a cycle without a certificate.
const CYCLE: Interval = Interval::months(36);

/// The ISMS clauses with requirements.
const CLAUSES: std::ops::RangeInclusive<u8> = 4..=10;

/// A cycle: its first and last days, and where its start is written.
struct Cycle {
    start: NaiveDate,
    end: NaiveDate,
    file: FileId,
    span: Span,
    record_id: Option<String>,
    /// "certification cycle" or "three-year audit cycle".
    name: &'static str,
}

impl Rule for AuditProgrammeCoverage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check<'a>(&self, cx: &mut RuleContext<'a>) {
        // An audit that could not be read may be the one that covered a
        // clause or control: its cause is reported where it is.
        if cx
            .unread(Kind::Audit, &[AUDIT_FIELDS, &["scope"]].concat())
            .is_some()
        {
            return;
        }
        let audits = internal_audits(cx.repo, cx.as_of);
        let Some(cycle) = current_cycle(cx, &audits) else {
            return;
        };
        let warn_from = cx.get(&WARN_BEFORE).before(cycle.end);
        if cx.as_of < warn_from || cx.as_of < cycle.start {
            return;
        }
        let ended = cx.as_of > cycle.end;

        // A control counts under its Annex A id without `A.`, or under the
        // id the organisation declared for one of its own.
        let own = OwnControls::of(cx.repo);
        let key = |c: &'a str| own.key(c).unwrap_or_else(|| normalise_control(c));
        let mut clauses = BTreeSet::new();
        let mut controls = BTreeSet::new();
        for a in &audits {
            if !a.is_completed() || a.date < cycle.start || a.date > cycle.end {
                continue;
            }
            clauses.extend(a.audit.scope.clauses.iter().filter_map(|c| main_clause(c)));
            controls.extend(a.audit.scope.controls.iter().map(|c| key(c)));
        }

        let when = if ended {
            format!(
                "ended on {} ({} ago)",
                cycle.end,
                plural((cx.as_of - cycle.end).num_days(), "day")
            )
        } else {
            format!(
                "ends on {} ({})",
                cycle.end,
                due_in((cycle.end - cx.as_of).num_days())
            )
        };
        let lead = format!("the {} from {} {when}", cycle.name, cycle.start);

        let missing_clauses: Vec<String> = CLAUSES
            .filter(|c| !clauses.contains(c))
            .map(|c| c.to_string())
            .collect();
        if !missing_clauses.is_empty() {
            let f = cx
                .finding(cycle.file, cycle.span)
                .message(format!(
                    "{}: no completed internal audit has covered {} {}",
                    capitalise(&lead),
                    if missing_clauses.len() == 1 {
                        "clause"
                    } else {
                        "clauses"
                    },
                    missing_clauses.join(", ")
                ))
                .record(cycle.record_id.as_deref())
                .key("clauses");
            emit(cx, f, ended, cycle.end);
        }

        // Every applicable control of the Statement(s) of Applicability, once,
        // reported at the first statement that lists it.
        let mut seen = BTreeSet::new();
        let mut missing: Vec<(&crate::Record, Vec<&str>)> = Vec::new();
        let mut applicable = 0;
        for (record, soa) in cx.repo.soas() {
            let mut gaps = Vec::new();
            let annex_a = soa
                .controls
                .iter()
                .filter(|c| c.applicable)
                .map(|c| normalise_control(&c.control));
            // The organisation's own controls are included by being listed.
            let additional = soa.additional_controls.iter().map(|c| c.id.trim());
            for id in annex_a.chain(additional) {
                if !seen.insert(id) {
                    continue;
                }
                applicable += 1;
                if !controls.contains(id) {
                    gaps.push(id);
                }
            }
            if !gaps.is_empty() {
                gaps.sort_by_key(|id| control_order(id));
                missing.push((record, gaps));
            }
        }
        for (record, gaps) in missing {
            let f = cx
                .finding(
                    record.file,
                    record.node.key_span("controls").unwrap_or(record.id_span()),
                )
                .message(format!(
                    "{}: no completed internal audit has covered {} of the {applicable} applicable controls of the Statement of Applicability: {}",
                    capitalise(&lead),
                    gaps.len(),
                    gaps.join(", ")
                ))
                .record(record.id.as_deref())
                .key("controls");
            emit(cx, f, ended, cycle.end);
        }
    }
}

/// A warning before the cycle ends, at the rule's severity after.
fn emit(cx: &mut RuleContext<'_>, mut f: Finding, ended: bool, end: NaiveDate) {
    if !ended {
        f.severity = f.severity.min(Severity::Warning);
    }
    cx.emit(f.due(end).help(
        "Plan internal audits whose `scope.clauses` and `scope.controls` take these in before the cycle ends; if a completed audit covered them, complete its `scope`.",
    ));
}

/// The cycle the day of the check falls in: the certificate's, or else
/// three-year cycles from the first completed internal audit.
fn current_cycle(cx: &RuleContext<'_>, audits: &[super::DatedAudit<'_>]) -> Option<Cycle> {
    let repo = cx.repo;
    if let Some(cert) = &repo.manifest.certification {
        return Some(Cycle {
            start: cert.decision,
            end: cert.expiry,
            file: repo.manifest_file,
            span: repo.manifest_span(&["certification", "decision"]),
            record_id: None,
            name: "certification cycle",
        });
    }
    let first = audits.iter().find(|a| a.is_completed())?;
    let mut start = first.date;
    loop {
        let next = CYCLE.after(start);
        if next > cx.as_of || next == NaiveDate::MAX {
            break;
        }
        start = next;
    }
    Some(Cycle {
        start,
        end: CYCLE.after(start).pred_opt().unwrap_or(start),
        file: first.record.file,
        span: first.date_span(),
        record_id: Some(first.audit.id.clone()),
        name: "three-year audit cycle",
    })
}

/// Sort key of a control id: `5.7` before `5.10`, unknown ids last.
fn control_order(id: &str) -> (u32, u32, String) {
    let mut parts = id.split('.').map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten(), parts.next()) {
        (Some(a), Some(b), None) => (a, b, String::new()),
        _ => (u32::MAX, u32::MAX, id.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog;
    use crate::rules::internal_audit::fixtures::certified;
    use crate::testing::TestRepo;

    const RULE: &str = "audit-programme-coverage";

    /// A completed internal audit with a scope.
    fn ia(id: &str, date: &str, clauses: &str, controls: &str) -> String {
        format!(
            "  - id: {id}\n    title: {id}\n    type: internal\n    status: completed\n    completed: {date}\n    scope:\n      clauses: [{clauses}]\n      controls: [{controls}]\n"
        )
    }

    fn soa(controls: &[(&str, bool)]) -> String {
        let mut s =
            String::from("kind: statement-of-applicability\nid: SOA\ntitle: SoA\ncontrols:\n");
        for (c, applicable) in controls {
            s.push_str(&format!(
                "  - control: \"{c}\"\n    applicable: {applicable}\n    justification: Why\n    status: implemented\n"
            ));
        }
        s
    }

    fn repo(audits: &[String], controls: &[(&str, bool)]) -> TestRepo {
        TestRepo::new()
            .manifest(&certified("2024-02-16", "2027-02-15"))
            .file(
                "audits/ia.yaml",
                &format!("kind: audit\nentries:\n{}", audits.concat()),
            )
            .file("soa.yaml", &soa(controls))
    }

    const ALL_CLAUSES: &str = "\"4\", \"5.1\", \"6\", \"7.5\", \"8\", \"9.2\", \"10\"";

    #[test]
    fn full_coverage_is_clean() {
        let r = repo(
            &[
                ia(
                    "IA-1",
                    "2024-05-01",
                    "\"4\", \"5\", \"6\"",
                    "\"5.7\", A.5.10",
                ),
                ia(
                    "IA-2",
                    "2025-05-01",
                    "\"7.5\", \"8.1\", \"9.2\", \"10.2\"",
                    "8.23",
                ),
            ],
            &[
                ("5.7", true),
                ("5.10", true),
                ("8.23", true),
                ("7.4", false),
            ],
        );
        assert!(r.check_rule(RULE, "2026-10-01").is_empty());
        assert!(r.check_rule(RULE, "2027-03-01").is_empty());
    }

    #[test]
    fn silent_before_the_final_six_months() {
        let r = repo(&[], &[("5.7", true)]);
        assert!(r.check_rule(RULE, "2026-08-14").is_empty());
        assert_eq!(r.check_rule(RULE, "2026-08-15").len(), 2);
    }

    #[test]
    fn lists_what_is_not_yet_covered_in_the_final_six_months() {
        let r = repo(
            &[
                ia(
                    "IA-1",
                    "2024-05-01",
                    "\"4\", \"5\", \"7\"",
                    "\"5.1\", \"8.2\"",
                ),
                ia("IA-2", "2025-05-01", "\"9.2\", \"10\"", "\"5.10\""),
                // Before the cycle: does not count.
                ia("IA-0", "2023-12-01", "\"6\", \"8\"", "\"5.7\", \"8.23\""),
            ],
            &[
                ("5.1", true),
                ("5.10", true),
                ("8.23", true),
                ("5.7", true),
                ("8.2", true),
                ("7.4", false),
                ("A.5.9", true),
            ],
        );
        assert_eq!(
            r.check_rule(RULE, "2026-10-01"),
            [
                "isms.yaml:7:13: warning[audit-programme-coverage] The certification cycle from 2024-02-16 ends on 2027-02-15 (in 137 days): no completed internal audit has covered clauses 6, 8",
                "soa.yaml:4:1: warning[audit-programme-coverage] The certification cycle from 2024-02-16 ends on 2027-02-15 (in 137 days): no completed internal audit has covered 3 of the 6 applicable controls of the Statement of Applicability: 5.7, 5.9, 8.23",
            ]
        );
    }

    #[test]
    fn controls_of_the_organisations_own_count() {
        let own = "additional-controls:\n  - id: C-SEC-004\n    title: Customer-managed keys\n  - id: 5.AI.1\n    title: Approved AI tools\n  - id: A.10.1\n    title: PII breach notification\n";
        let r = |controls: &str| {
            let soa = format!("{}{own}", soa(&[("5.7", true)]));
            repo(&[ia("IA-1", "2024-05-01", ALL_CLAUSES, controls)], &[]).file("soa.yaml", &soa)
        };
        assert_eq!(
            r("\"5.7\", C-SEC-004").check_rule(RULE, "2026-10-01"),
            ["soa.yaml:4:1: warning[audit-programme-coverage] The certification cycle from 2024-02-16 ends on 2027-02-15 (in 137 days): no completed internal audit has covered 2 of the 4 applicable controls of the Statement of Applicability: 5.AI.1, A.10.1"]
        );
        // An own id is its own: `A.10.1` is not `10.1`, and `c-sec-004` is
        // not `C-SEC-004`.
        assert!(r("\"5.7\", C-SEC-004, \" 5.AI.1\", A.10.1")
            .check_rule(RULE, "2026-10-01")
            .is_empty());
        assert_eq!(
            r("\"5.7\", c-sec-004, 5.AI.1, A.10.1").check_rule(RULE, "2026-10-01")[0],
            "soa.yaml:4:1: warning[audit-programme-coverage] The certification cycle from 2024-02-16 ends on 2027-02-15 (in 137 days): no completed internal audit has covered 1 of the 4 applicable controls of the Statement of Applicability: C-SEC-004"
        );
    }

    #[test]
    fn an_error_once_the_cycle_has_ended() {
        let r = repo(
            &[ia("IA-1", "2024-05-01", ALL_CLAUSES, "")],
            &[("5.7", true)],
        );
        assert_eq!(
            r.check_rule(RULE, "2027-02-15"),
            ["soa.yaml:4:1: warning[audit-programme-coverage] The certification cycle from 2024-02-16 ends on 2027-02-15 (today): no completed internal audit has covered 1 of the 1 applicable controls of the Statement of Applicability: 5.7"]
        );
        assert_eq!(
            r.check_rule(RULE, "2027-02-16"),
            ["soa.yaml:4:1: error[audit-programme-coverage] The certification cycle from 2024-02-16 ended on 2027-02-15 (1 day ago): no completed internal audit has covered 1 of the 1 applicable controls of the Statement of Applicability: 5.7"]
        );
    }

    #[test]
    fn audits_after_the_day_of_the_check_or_the_cycle_do_not_count() {
        let audits = [
            ia("IA-1", "2024-05-01", ALL_CLAUSES, ""),
            ia("IA-2", "2026-11-01", "", "\"5.7\""),
        ];
        let r = repo(&audits, &[("5.7", true)]);
        assert_eq!(r.check_rule(RULE, "2026-10-31").len(), 1);
        assert!(r.check_rule(RULE, "2026-11-01").is_empty());
        let late = [
            ia("IA-1", "2024-05-01", ALL_CLAUSES, ""),
            ia("IA-2", "2027-02-16", "", "\"5.7\""),
        ];
        assert_eq!(
            repo(&late, &[("5.7", true)])
                .check_rule(RULE, "2027-03-01")
                .len(),
            1
        );
    }

    #[test]
    fn a_cycle_ending_at_the_end_of_february() {
        // Six months before 31 August 2028 is 29 February 2028.
        let r = TestRepo::new()
            .manifest(&certified("2025-09-01", "2028-08-31"))
            .file("soa.yaml", &soa(&[("5.7", true)]));
        assert!(r.check_rule(RULE, "2028-02-28").is_empty());
        assert_eq!(r.check_rule(RULE, "2028-02-29").len(), 2);
    }

    #[test]
    fn without_a_certificate_cycles_run_from_the_first_internal_audit() {
        let r = TestRepo::new()
            .file(
                "audits/ia.yaml",
                &format!(
                    "kind: audit\nentries:\n{}",
                    ia("IA-1", "2023-03-15", "\"4\"", "")
                ),
            )
            .file("soa.yaml", &soa(&[("5.7", true)]));
        // The first cycle: 2023-03-15 to 2026-03-14.
        assert!(r.check_rule(RULE, "2025-09-13").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-09-14"),
            [
                "audits/ia.yaml:7:16: warning[audit-programme-coverage] The three-year audit cycle from 2023-03-15 ends on 2026-03-14 (in 181 days): no completed internal audit has covered clauses 5, 6, 7, 8, 9, 10",
                "soa.yaml:4:1: warning[audit-programme-coverage] The three-year audit cycle from 2023-03-15 ends on 2026-03-14 (in 181 days): no completed internal audit has covered 1 of the 1 applicable controls of the Statement of Applicability: 5.7",
            ]
        );
        // The next cycle starts on 2026-03-15, with nothing audited yet; it
        // is checked from its own final six months.
        assert!(r.check_rule(RULE, "2026-03-15").is_empty());
        assert_eq!(r.check_rule(RULE, "2028-09-15").len(), 2);
        assert!(r.check_rule(RULE, "2028-09-15")[0].contains("clauses 4, 5, 6, 7, 8, 9, 10"));
        // No completed internal audit: no cycle yet.
        let none = TestRepo::new().file("soa.yaml", &soa(&[("5.7", true)]));
        assert!(none.check_rule(RULE, "2026-01-01").is_empty());
    }

    #[test]
    fn every_control_is_listed() {
        let all: Vec<(&str, bool)> = catalog::annex_a_2022()
            .iter()
            .map(|c| (c.id.as_str(), true))
            .collect();
        let r = repo(&[ia("IA-1", "2024-05-01", ALL_CLAUSES, "\"5.1\"")], &all);
        let lines = r.check_rule(RULE, "2026-10-01");
        assert_eq!(lines.len(), 1);
        assert!(lines[0].contains("92 of the 93 applicable controls"));
        assert!(lines[0].contains(": 5.2, 5.3, 5.4, 5.5, 5.6, 5.7, 5.8, 5.9, 5.10, 5.11,"));
        assert!(lines[0].ends_with(", 8.32, 8.33, 8.34"));
    }

    #[test]
    fn configuration() {
        let with = |settings: &str| {
            TestRepo::new()
                .manifest(&format!(
                    "{}lint:\n  rules:\n    audit-programme-coverage:\n{settings}",
                    certified("2024-02-16", "2027-02-15")
                ))
                .file("soa.yaml", &soa(&[("5.7", true)]))
        };
        let r = with("      warn-before: 1 year\n      severity: warning\n");
        assert!(r.check_rule(RULE, "2026-02-14").is_empty());
        assert_eq!(r.check_rule(RULE, "2026-02-15").len(), 2);
        assert!(r.check_rule(RULE, "2027-03-01")[0].starts_with("isms.yaml:7:13: warning[audit-programme-coverage] The certification cycle from 2024-02-16 ended on 2027-02-15 (14 days ago)"));
        let off = with("      severity: off\n");
        assert!(off.check_rule(RULE, "2027-03-01").is_empty());
    }
}

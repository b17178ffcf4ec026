use super::{certificate, cycle_audits};
use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::{AuditType, Standard};
use crate::rules::{
    due_in, Basis, Category, Deadline, DueState, Opt, Rule, RuleContext, RuleId, RuleMeta,
};
use crate::text::{capitalise, plural};

/// The certificate has expired, or expires within the horizon.
pub struct CertificateExpired;

const RESTORE_WITHIN: Opt<Interval> = Opt::new(
    "restore-within",
    "6 months",
    "How long after expiry the certification body may still restore the certificate; the message says whether that time has passed.",
    Basis::CertificationRule,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::CertificateExpired,
    category: Category::Certification,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 17021-1:2015 9.1.3, 9.6.3; ISO/IEC 27006-1:2024",
    summary:
        "The certificate recorded in isms.yaml has expired, or is still valid but expires soon",
    what: "Compares the day of the check with `certification.expiry` in `isms.yaml`, the last \
day of validity printed on the certificate. After that day the certificate has expired: an \
error, whose message says *expired*, with the state `overdue`. Inside the warning window \
before it (30 days by default), the expiry day included, the certificate is **still valid**: \
a warning whose message says *is still valid* and how many days are left, with the state \
`due-soon`. The rule is named after the obligation, not the state: count expired \
certificates by the state `overdue` (or the severity), not by the rule's name. The expiry is \
a deadline, listed with the others. Without a `certification` block the rule has nothing to \
check.",
    why: "A certificate is valid for a three-year cycle (ISO/IEC 17021-1 9.1.3, ISO/IEC 27006-1). \
The recertification audit and the certification body's decision must both be done before the \
expiry date (17021-1 9.6.3.1.1): if they are not, the certificate lapses and is not extended. \
The body may restore it within 6 months of expiry once the outstanding recertification \
activities are complete (9.6.3.2.5); after that, at least a new stage 2 audit is needed. \
Customers and tenders ask for a valid certificate, and an expired one cannot be shown to them. \
The expiry date is set by the certification body (a rule for certification bodies), not chosen \
by the organisation.",
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
                "audits/external/2027-01-recertification.yaml",
                r#"kind: audit
id: RA-2027
title: Recertification audit
type: recertification
status: completed
planned: 2027-01-18
completed: 2027-01-20
body: Meridian Certification Ltd
auditor: Claire Duval
scope:
  clauses: ["4", "5", "6", "7", "8", "9", "10"]
"#,
            ),
        ],
        "2027-02-20",
        &[(
            "isms.yaml",
            "\
organisation:
  name: Kestrel Data Services Ltd
certification:
  body: Meridian Certification Ltd
  certificate: MCL-ISMS-27003
  standard: ISO/IEC 27001:2022
  initial-decision: 2024-02-16
  decision: 2027-02-08
  expiry: 2030-02-15
",
        )],
    ),
    fix: "If the certification body has taken the recertification decision, record the new \
certificate: the new `decision` and `expiry` (and the certificate number if it changed) under \
`certification:` in `isms.yaml`; this also starts the new cycle for the other certification \
rules. If it has not, agree the recertification audit with the body at once: restoration is \
possible only within 6 months of expiry.",
    options: &[RESTORE_WITHIN.def],
    deadlines: true,
};

impl Rule for CertificateExpired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(cert) = &cx.repo.manifest.certification else {
            return;
        };
        let expiry = cert.expiry;
        let span = cx.repo.manifest_span(&["certification", "expiry"]);
        let file = cx.repo.manifest_file;
        let finding = match cx.due_state(expiry) {
            DueState::Later => None,
            DueState::Soon(days) => {
                let mut f = cx.finding(file, span).message(format!(
                    "{} is still valid, and expires {} (on {expiry}): the recertification decision must be taken by then, or the certificate lapses",
                    certificate(cert),
                    due_in(days),
                ));
                f.severity = f.severity.min(Severity::Warning);
                Some(f)
            }
            DueState::Overdue(ago) => {
                let restore_within = cx.get(&RESTORE_WITHIN);
                let restore_until = restore_within.after(expiry);
                let restoration = if cx.as_of <= restore_until {
                    format!(
                        "the certification body may restore it until {restore_until} ({restore_within} after expiry), once the outstanding recertification activities are complete"
                    )
                } else {
                    format!(
                        "the {restore_within} in which the certification body could restore it ended on {restore_until}, so certification needs at least a new stage 2 audit"
                    )
                };
                Some(cx.finding(file, span).message(format!(
                    "{} expired on {expiry} ({} ago): the organisation is no longer certified to {}; {restoration}",
                    certificate(cert),
                    plural(ago, "day"),
                    cert.standard.as_str(),
                )))
            }
        };
        if let Some(f) = finding {
            let recertification = cycle_audits(cx.repo, cert, cx.as_of, AuditType::Recertification);
            let completed = recertification.iter().rfind(|a| a.is_completed());
            let planned = recertification.iter().find(|a| !a.is_completed());
            let help = match (completed, planned) {
                (Some(a), _) => format!(
                    "{} was completed on {}: once the certification body has decided, record the new certificate's `decision` and `expiry` under `certification:` in isms.yaml.",
                    capitalise(&a.label()),
                    a.date
                ),
                (None, Some(a)) => format!(
                    "{} is recorded as planned for {}: once it is held and the certification body has decided, record it as completed and the new certificate's `decision` and `expiry` under `certification:` in isms.yaml.",
                    capitalise(&a.label()),
                    a.date
                ),
                (None, None) => "Agree the recertification audit with the certification body; if the certificate has been renewed, record the new `decision` and `expiry` under `certification:` in isms.yaml.".to_owned(),
            };
            cx.emit(f.key("expiry").due(expiry).help(help));
        }
        cx.note_deadline(Deadline {
            rule: META.id,
            what: format!("the expiry of certificate {}", cert.certificate),
            due: expiry,
            file,
            span,
            record_id: None,
            reason: format!(
                "{} is valid until {expiry}; recertification must be decided before then",
                certificate(cert)
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::internal_audit::fixtures::{audit, audits, certified};
    use crate::testing::TestRepo;

    const RULE: &str = "certificate-expired";

    fn repo(expiry: &str) -> TestRepo {
        TestRepo::new().manifest(&certified("2024-02-16", expiry))
    }

    #[test]
    fn silent_without_a_certificate() {
        assert!(TestRepo::new().check_rule(RULE, "2030-01-01").is_empty());
    }

    #[test]
    fn silent_well_before_expiry() {
        assert!(repo("2027-02-15").check_rule(RULE, "2026-06-30").is_empty());
        assert!(repo("2027-02-15").check_rule(RULE, "2027-01-15").is_empty());
    }

    #[test]
    fn warns_inside_the_window() {
        assert_eq!(
            repo("2027-02-15").check_rule(RULE, "2027-01-16"),
            ["isms.yaml:8:11: warning[certificate-expired] Certificate MCL-24017 of Meridian Certification Ltd is still valid, and expires in 30 days (on 2027-02-15): the recertification decision must be taken by then, or the certificate lapses"]
        );
    }

    #[test]
    fn day_before_of_and_after_expiry() {
        let r = repo("2027-02-15");
        assert_eq!(
            r.check_rule(RULE, "2027-02-14"),
            ["isms.yaml:8:11: warning[certificate-expired] Certificate MCL-24017 of Meridian Certification Ltd is still valid, and expires tomorrow (on 2027-02-15): the recertification decision must be taken by then, or the certificate lapses"]
        );
        assert_eq!(
            r.check_rule(RULE, "2027-02-15"),
            ["isms.yaml:8:11: warning[certificate-expired] Certificate MCL-24017 of Meridian Certification Ltd is still valid, and expires today (on 2027-02-15): the recertification decision must be taken by then, or the certificate lapses"]
        );
        assert_eq!(
            r.check_rule(RULE, "2027-02-16"),
            ["isms.yaml:8:11: error[certificate-expired] Certificate MCL-24017 of Meridian Certification Ltd expired on 2027-02-15 (1 day ago): the organisation is no longer certified to ISO/IEC 27001:2022; the certification body may restore it until 2027-08-15 (6 months after expiry), once the outstanding recertification activities are complete"]
        );
    }

    /// The warning on the expiry day must not read as an expired
    /// certificate: its message says it is still valid, and its state is
    /// due soon; from the next day it is overdue.
    #[test]
    fn the_state_says_due_soon_up_to_the_expiry_day_and_overdue_after() {
        use crate::finding::DeadlineState;
        let r = repo("2027-02-15");
        let state = |day: &str| {
            let report = r.report(day);
            let f = report.findings.iter().find(|f| f.rule == RULE).unwrap();
            (f.severity.as_str(), f.state, f.message.contains("expired"))
        };
        assert_eq!(
            state("2027-02-14"),
            ("warning", Some(DeadlineState::DueSoon), false)
        );
        assert_eq!(
            state("2027-02-15"),
            ("warning", Some(DeadlineState::DueSoon), false)
        );
        assert_eq!(
            state("2027-02-16"),
            ("error", Some(DeadlineState::Overdue), true)
        );
    }

    #[test]
    fn restoration_window_ends_six_months_after_expiry() {
        // 31 August + 6 months is the last day of February.
        let r = repo("2025-08-31");
        assert!(r.check_rule(RULE, "2026-02-28")[0].ends_with(
            "the certification body may restore it until 2026-02-28 (6 months after expiry), once the outstanding recertification activities are complete"
        ));
        assert_eq!(
            r.check_rule(RULE, "2026-03-01"),
            ["isms.yaml:8:11: error[certificate-expired] Certificate MCL-24017 of Meridian Certification Ltd expired on 2025-08-31 (182 days ago): the organisation is no longer certified to ISO/IEC 27001:2022; the 6 months in which the certification body could restore it ended on 2026-02-28, so certification needs at least a new stage 2 audit"]
        );
    }

    #[test]
    fn leap_day_expiry() {
        let r = repo("2028-02-29");
        assert!(r.check_rule(RULE, "2028-02-29")[0]
            .contains("is still valid, and expires today (on 2028-02-29)"));
        assert!(r.check_rule(RULE, "2028-03-01")[0].contains("expired on 2028-02-29 (1 day ago)"));
        // 29 February + 6 months.
        assert!(r.check_rule(RULE, "2028-03-01")[0].contains("restore it until 2028-08-29"));
    }

    #[test]
    fn help_points_at_a_completed_recertification_audit() {
        let r = repo("2027-02-15").file(
            "audits/cb.yaml",
            &audits(&[audit(
                "RA-2026",
                "recertification",
                "completed",
                "2026-12-02",
            )]),
        );
        let report = r.report("2027-02-16");
        let f = report
            .findings
            .iter()
            .find(|f| f.rule == RULE)
            .expect("a finding");
        assert_eq!(
            f.help.as_deref(),
            Some("Recertification audit RA-2026 was completed on 2026-12-02: once the certification body has decided, record the new certificate's `decision` and `expiry` under `certification:` in isms.yaml.")
        );
    }

    #[test]
    fn help_points_at_a_planned_recertification_audit() {
        let r = repo("2027-02-15").file(
            "audits/cb.yaml",
            &audits(&[audit("RA-2026", "recertification", "planned", "2026-12-02")]),
        );
        let report = r.report("2027-02-16");
        let f = report.findings.iter().find(|f| f.rule == RULE).unwrap();
        assert_eq!(
            f.help.as_deref(),
            Some("Recertification audit RA-2026 is recorded as planned for 2026-12-02: once it is held and the certification body has decided, record it as completed and the new certificate's `decision` and `expiry` under `certification:` in isms.yaml.")
        );
        let none = repo("2027-02-15").report("2027-02-16");
        let f = none.findings.iter().find(|f| f.rule == RULE).unwrap();
        assert!(f
            .help
            .as_deref()
            .unwrap()
            .starts_with("Agree the recertification audit"));
    }

    #[test]
    fn expiry_is_a_deadline_even_when_far_away() {
        let report = repo("2027-02-15").report("2024-03-01");
        let d: Vec<_> = report.deadlines.iter().filter(|d| d.rule == RULE).collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].due.to_string(), "2027-02-15");
        assert!(report.findings.iter().all(|f| f.rule != RULE));
    }

    #[test]
    fn configuration() {
        let with = |settings: &str| {
            TestRepo::new().manifest(&format!(
                "{}lint:\n  rules:\n    certificate-expired:\n{settings}",
                certified("2024-02-16", "2027-02-15")
            ))
        };
        let r = with(
            "      severity: warning\n      horizon: 7 days\n      restore-within: 3 months\n",
        );
        assert!(r.check_rule(RULE, "2027-02-07").is_empty());
        assert_eq!(r.check_rule(RULE, "2027-02-08").len(), 1);
        assert_eq!(
            r.check_rule(RULE, "2027-05-16"),
            ["isms.yaml:8:11: warning[certificate-expired] Certificate MCL-24017 of Meridian Certification Ltd expired on 2027-02-15 (90 days ago): the organisation is no longer certified to ISO/IEC 27001:2022; the 3 months in which the certification body could restore it ended on 2027-05-15, so certification needs at least a new stage 2 audit"]
        );
        let off = TestRepo::new().manifest(&format!(
            "{}lint:\n  rules:\n    certificate-expired: off\n",
            certified("2024-02-16", "2027-02-15")
        ));
        assert!(off.check_rule(RULE, "2028-01-01").is_empty());
        // The CLI's --horizon.
        assert_eq!(
            repo("2027-02-15")
                .horizon_days(60)
                .check_rule(RULE, "2026-12-17")
                .len(),
            1
        );
    }
}

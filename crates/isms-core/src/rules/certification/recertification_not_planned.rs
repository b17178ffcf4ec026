use super::{certificate, cycle_audits};
use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::{AuditType, Kind, Standard};
use crate::rules::internal_audit::AUDIT_FIELDS;
use crate::rules::{
    due_in, Basis, Category, Deadline, DueState, Opt, Rule, RuleContext, RuleId, RuleMeta,
};

/// The certificate expires soon and no recertification audit is planned.
pub struct RecertificationNotPlanned;

const WINDOW: Opt<Interval> = Opt::new(
    "window",
    "6 months",
    "How long before expiry a recertification audit must be planned.",
    Basis::Practice,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::RecertificationNotPlanned,
    category: Category::Certification,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 17021-1:2015 9.1.3, 9.6.3.1; ISO/IEC 27006-1:2024",
    summary: "The certificate expires within the window and no recertification audit is planned",
    what: "When the certificate's expiry (`certification.expiry` in `isms.yaml`) is less than \
the window away (6 months by default), there must be an audit record with \
`type: recertification`, planned or completed, dated after the current cycle's certification \
decision and on or before the expiry. Inside the warning window before the window opens (30 \
days by default) a warning says by when to plan it. A planned recertification audit whose date \
passes without it being recorded as completed is overdue. A recertification audit planned \
after the expiry does not count (the message names it). Once the certificate has expired, \
`certificate-expired` reports instead.",
    why: "The recertification audit is planned and conducted in time for the certification \
body to decide on renewal before the certificate expires (ISO/IEC 17021-1 9.6.3.1.1; \
ISO/IEC 27006-1). Certification bodies book auditors months ahead, and a recertification that \
is not decided by the expiry date lets the certificate lapse. The 6-month window is common \
practice for booking the audit, not a number in the standard; set it to your certification \
body's lead time.",
    example: crate::rules::Example::new(
        &[(
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
        )],
        "2026-10-01",
        &[(
            "audits/external/2027-01-recertification.yaml",
            r#"kind: audit
id: RA-2027
title: Recertification audit
type: recertification
status: planned
planned: 2027-01-18
body: Meridian Certification Ltd
auditor: Claire Duval
scope:
  clauses: ["4", "5", "6", "7", "8", "9", "10"]
"#,
        )],
    ),
    fix: "Agree the recertification audit dates with the certification body and record them as \
an audit with `type: recertification`, `status: planned` and the `planned` date, so that the \
audit and the body's decision both fall before the expiry.",
    options: &[WINDOW.def],
    deadlines: true,
};

impl Rule for RecertificationNotPlanned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(cert) = &cx.repo.manifest.certification else {
            return;
        };
        let expiry = cert.expiry;
        if cx.as_of > expiry {
            return; // certificate-expired reports it
        }
        if cx.stop_on_unread(
            Kind::Audit,
            AUDIT_FIELDS,
            "recertification audit",
            "recertification",
        ) {
            return;
        }
        let audits = cycle_audits(cx.repo, cert, cx.as_of, AuditType::Recertification);
        let (in_time, late): (Vec<_>, Vec<_>) = audits.iter().partition(|a| a.date <= expiry);
        if in_time.iter().any(|a| a.is_completed()) {
            return;
        }
        if let Some(planned) = in_time.first() {
            cx.planned_deadline(
                Deadline {
                    rule: META.id,
                    what: planned.label(),
                    due: planned.date,
                    file: planned.record.file,
                    span: planned.date_span(),
                    record_id: Some(planned.audit.id.clone()),
                    reason: format!(
                        "it is not recorded as completed, and certificate {} expires on {expiry}",
                        cert.certificate
                    ),
                },
                Some("Record the audit as completed (`status: completed` and the `completed` date), or the new date agreed with the certification body."),
            );
            return;
        }

        let window = cx.get(&WINDOW);
        let plan_by = window.before(expiry);
        let file = cx.repo.manifest_file;
        let span = cx.repo.manifest_span(&["certification", "expiry"]);
        let late_note = late
            .first()
            .map(|a| {
                format!(
                    " ({} is planned for {}, after the expiry)",
                    a.label(),
                    a.date
                )
            })
            .unwrap_or_default();
        let in_window = cx.as_of >= plan_by;
        let finding = if in_window {
            let left = (expiry - cx.as_of).num_days();
            Some(cx.finding(file, span).message(format!(
                "{} expires {} (on {expiry}) and no recertification audit is planned{late_note}: agree it with the certification body now, so that the audit and the renewal decision are both done before expiry",
                certificate(cert),
                due_in(left),
            )))
        } else if let DueState::Soon(days) = cx.due_state(plan_by) {
            let mut f = cx.finding(file, span).message(format!(
                "{} expires on {expiry} and no recertification audit is planned{late_note}: plan one by {plan_by} ({}), {window} before expiry",
                certificate(cert),
                due_in(days),
            ));
            f.severity = f.severity.min(Severity::Warning);
            Some(f)
        } else {
            None
        };
        if let Some(mut f) = finding {
            if let Some(a) = late.first() {
                f = f.related(
                    a.record.file,
                    a.date_span(),
                    "planned after the certificate expires",
                );
            }
            // Inside the window the certificate's expiry is what is at stake.
            let due = if in_window { expiry } else { plan_by };
            cx.emit(f.key("expiry").due(due).help(
                "Record the recertification audit as an audit with `type: recertification`, `status: planned` and its `planned` date.",
            ));
        }
        cx.note_deadline(Deadline {
            rule: META.id,
            what: "planning the recertification audit".to_owned(),
            due: plan_by,
            file,
            span,
            record_id: None,
            reason: format!(
                "certificate {} expires on {expiry}, and the recertification audit is to be planned {window} before",
                cert.certificate
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::internal_audit::fixtures::{audit, audits, certified};
    use crate::testing::TestRepo;

    const RULE: &str = "recertification-not-planned";

    fn repo(expiry: &str) -> TestRepo {
        TestRepo::new().manifest(&certified("2024-02-16", expiry))
    }

    fn with_audits(expiry: &str, entries: &[String]) -> TestRepo {
        repo(expiry).file("audits/cb.yaml", &audits(entries))
    }

    #[test]
    fn silent_without_a_certificate() {
        assert!(TestRepo::new().check_rule(RULE, "2026-12-01").is_empty());
    }

    #[test]
    fn silent_before_the_window() {
        assert!(repo("2027-02-15").check_rule(RULE, "2026-07-15").is_empty());
    }

    #[test]
    fn warns_before_the_window_opens() {
        // The window opens on 2026-08-15; 30 days before is 2026-07-16.
        assert_eq!(
            repo("2027-02-15").check_rule(RULE, "2026-07-16"),
            ["isms.yaml:8:11: warning[recertification-not-planned] Certificate MCL-24017 of Meridian Certification Ltd expires on 2027-02-15 and no recertification audit is planned: plan one by 2026-08-15 (in 30 days), 6 months before expiry"]
        );
        assert_eq!(
            repo("2027-02-15").check_rule(RULE, "2026-08-14"),
            ["isms.yaml:8:11: warning[recertification-not-planned] Certificate MCL-24017 of Meridian Certification Ltd expires on 2027-02-15 and no recertification audit is planned: plan one by 2026-08-15 (tomorrow), 6 months before expiry"]
        );
    }

    #[test]
    fn error_from_the_day_the_window_opens_until_expiry() {
        let r = repo("2027-02-15");
        assert_eq!(
            r.check_rule(RULE, "2026-08-15"),
            ["isms.yaml:8:11: error[recertification-not-planned] Certificate MCL-24017 of Meridian Certification Ltd expires in 184 days (on 2027-02-15) and no recertification audit is planned: agree it with the certification body now, so that the audit and the renewal decision are both done before expiry"]
        );
        assert!(r.check_rule(RULE, "2027-02-14")[0].contains("expires tomorrow (on 2027-02-15)"));
        assert!(r.check_rule(RULE, "2027-02-15")[0].contains("expires today (on 2027-02-15)"));
        // After expiry, certificate-expired speaks.
        assert!(r.check_rule(RULE, "2027-02-16").is_empty());
    }

    #[test]
    fn window_from_a_month_end() {
        // 6 months before 31 August is 28 February (2026) or 29 February (2028).
        let r = repo("2026-08-31");
        assert!(r.check_rule(RULE, "2026-02-27")[0].starts_with("isms.yaml:8:11: warning"));
        assert!(r.check_rule(RULE, "2026-02-28")[0].contains("error[recertification-not-planned] Certificate MCL-24017 of Meridian Certification Ltd expires in 184 days (on 2026-08-31)"));
        let leap = repo("2028-08-31");
        assert!(
            leap.check_rule(RULE, "2028-02-28")[0].contains("plan one by 2028-02-29 (tomorrow)")
        );
        assert!(leap.check_rule(RULE, "2028-02-29")[0].contains("error"));
    }

    #[test]
    fn a_planned_or_completed_recertification_audit_satisfies_it() {
        let planned = with_audits(
            "2027-02-15",
            &[audit("RA-2026", "recertification", "planned", "2026-12-01")],
        );
        assert!(planned.check_rule(RULE, "2026-11-30").is_empty());
        assert!(planned.check_rule(RULE, "2026-12-01").is_empty());
        // The day of expiry still counts.
        let on_expiry = with_audits(
            "2027-02-15",
            &[audit("RA-2026", "recertification", "planned", "2027-02-15")],
        );
        assert!(on_expiry.check_rule(RULE, "2026-12-01").is_empty());
        let completed = with_audits(
            "2027-02-15",
            &[audit(
                "RA-2026",
                "recertification",
                "completed",
                "2026-12-02",
            )],
        );
        assert!(completed.check_rule(RULE, "2027-02-15").is_empty());
    }

    #[test]
    fn a_planned_audit_whose_date_passed_is_overdue() {
        let r = with_audits(
            "2027-02-15",
            &[audit("RA-2026", "recertification", "planned", "2026-12-01")],
        );
        assert_eq!(
            r.check_rule(RULE, "2026-12-02"),
            ["audits/cb.yaml:7:14: error[recertification-not-planned] Recertification audit RA-2026 is overdue: it was due on 2026-12-01 (1 day ago); it is not recorded as completed, and certificate MCL-24017 expires on 2027-02-15"]
        );
    }

    #[test]
    fn audits_after_expiry_or_of_the_previous_cycle_do_not_count() {
        let r = with_audits(
            "2027-02-15",
            &[
                // The previous cycle's recertification, before the decision.
                audit("RA-2023", "recertification", "completed", "2023-12-01"),
                audit("RA-2027", "recertification", "planned", "2027-03-01"),
                audit("RA-X", "recertification", "cancelled", "2026-12-01"),
                audit("SA-2026", "surveillance", "planned", "2026-12-01"),
            ],
        );
        assert_eq!(
            r.check_rule(RULE, "2026-10-01"),
            ["isms.yaml:8:11: error[recertification-not-planned] Certificate MCL-24017 of Meridian Certification Ltd expires in 137 days (on 2027-02-15) and no recertification audit is planned (recertification audit RA-2027 is planned for 2027-03-01, after the expiry): agree it with the certification body now, so that the audit and the renewal decision are both done before expiry"]
        );
        let report = r.report("2026-10-01");
        let f = report.findings.iter().find(|f| f.rule == RULE).unwrap();
        assert_eq!(f.related.len(), 1);
        assert_eq!(
            f.related[0].message,
            "planned after the certificate expires"
        );
    }

    #[test]
    fn planning_is_a_deadline_even_when_far_away() {
        let report = repo("2027-02-15").report("2024-03-01");
        let d: Vec<_> = report.deadlines.iter().filter(|d| d.rule == RULE).collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].due.to_string(), "2026-08-15");
    }

    #[test]
    fn configuration() {
        let with = |settings: &str| {
            TestRepo::new().manifest(&format!(
                "{}lint:\n  rules:\n    recertification-not-planned:\n{settings}",
                certified("2024-02-16", "2027-02-15")
            ))
        };
        let r = with("      severity: warning\n      window: 9 months\n      horizon: 7 days\n");
        // The window opens on 2026-05-15.
        assert!(r.check_rule(RULE, "2026-05-07").is_empty());
        assert!(r.check_rule(RULE, "2026-05-08")[0]
            .contains("plan one by 2026-05-15 (in 7 days), 9 months before expiry"));
        assert!(r.check_rule(RULE, "2026-05-15")[0].starts_with("isms.yaml:8:11: warning[recertification-not-planned] Certificate MCL-24017 of Meridian Certification Ltd expires in 276 days"));
        let off = with("      severity: off\n");
        assert!(off.check_rule(RULE, "2027-01-01").is_empty());
    }
}

use crate::interval::Interval;
use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::cycle_audits;
use crate::finding::Severity;
use crate::model::{AuditType, Certification, Kind, Standard};
use crate::rules::internal_audit::{DatedAudit, AUDIT_FIELDS};
use crate::rules::{Basis, Category, Deadline, DueState, Opt, Rule, RuleContext, RuleId, RuleMeta};
use crate::text::{capitalise, plural};

/// The first surveillance audit is late, or a year of the cycle has none.
pub struct SurveillanceAuditMissed;

const FIRST_WITHIN: Opt<Interval> = Opt::new(
    "first-within",
    "12 months",
    "The longest time from the certification decision to the first surveillance audit.",
    Basis::CertificationRule,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::SurveillanceAuditMissed,
    category: Category::Certification,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 17021-1:2015 9.1.3, 9.6.2; ISO/IEC 27006-1:2024",
    summary: "The first surveillance audit is later than 12 months after the certification decision, or a year of the cycle has none",
    what: "Reads the audit records with `type: surveillance` dated after the certification \
decision (`certification.decision` in `isms.yaml`) and checks two deadlines:\n\n\
- the **first surveillance audit** is due within 12 months of the decision;\n\
- **every calendar year** of the cycle after the year of the decision needs a surveillance \
audit by 31 December, except the recertification year (the year of the planned or completed \
recertification audit, or else the year the certificate expires) and the years after it.\n\n\
A completed surveillance audit meets a deadline. A planned one dated on or before the deadline \
covers it: its own date becomes the deadline, and it is overdue if that date passes without \
it being recorded as completed. A surveillance audit planned after the 12 months is reported \
at once (a warning, an error once the 12 months are over). Inside the warning window (30 days \
by default) before an uncovered deadline, a warning says how many days are left.",
    why: "ISO/IEC 17021-1 9.1.3 and 9.6.2, with ISO/IEC 27006-1, make the certification body \
audit the ISMS at least once every calendar year between certification and recertification, \
and hold the first surveillance audit no later than 12 months after the certification \
decision. These are rules for certification bodies, but the organisation feels them: a missed \
surveillance audit can lead the body to suspend the certificate. Booking the dates early, and \
recording them, keeps the cycle on track.",
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
        ],
        "2025-03-01",
        &[
            (
                "audits/external/2025-02-surveillance-1.yaml",
                r#"kind: audit
id: SA-2025
title: Surveillance audit 1
type: surveillance
status: completed
planned: 2025-02-04
completed: 2025-02-05
body: Meridian Certification Ltd
auditor: Claire Duval
scope:
  clauses: ["9", "10"]
  controls: ["5.15", "8.13", "8.15"]
"#,
            ),
        ],
    ),
    fix: "Agree the surveillance audit dates with the certification body and record each as an \
audit with `type: surveillance`, `status: planned` and its `planned` date; once held, set \
`status: completed` and the `completed` date. If the body agreed a different programme (for \
example for seasonal work), waive the finding with the reason and the body's agreement.",
    options: &[FIRST_WITHIN.def],
    deadlines: true,
};

const PLANNED_HELP: &str = "Record the audit as completed (`status: completed` and the `completed` date), or the new date agreed with the certification body.";

impl Rule for SurveillanceAuditMissed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(cert) = &cx.repo.manifest.certification else {
            return;
        };
        if cx.stop_on_unread(
            Kind::Audit,
            AUDIT_FIELDS,
            "surveillance audit",
            "surveillance",
        ) {
            return;
        }
        let surveillance = cycle_audits(cx.repo, cert, cx.as_of, AuditType::Surveillance);
        // A planned audit may cover more than one deadline; report it once.
        let mut reported = HashSet::new();
        first_surveillance(cx, cert, &surveillance, &mut reported);

        let recertification_year =
            cycle_audits(cx.repo, cert, cx.as_of, AuditType::Recertification)
                .first()
                .map_or(cert.expiry.year(), |a| a.date.year())
                .min(cert.expiry.year());
        for year in cert.decision.year() + 1..recertification_year {
            let Some(due) = NaiveDate::from_ymd_opt(year, 12, 31) else {
                continue;
            };
            let in_year: Vec<&DatedAudit> = surveillance
                .iter()
                .filter(|a| a.date.year() == year)
                .collect();
            if in_year.iter().any(|a| a.is_completed()) {
                continue;
            }
            if let Some(planned) = in_year.first() {
                if reported.insert(planned.audit.id.as_str()) {
                    planned_deadline(
                        cx,
                        planned,
                        format!("the surveillance audit of {year} is due by {due}"),
                    );
                }
                continue;
            }
            cx.deadline(
                Deadline {
                    rule: META.id,
                    what: format!("the surveillance audit of {year}"),
                    due,
                    file: cx.repo.manifest_file,
                    span: cx.repo.manifest_span(&["certification", "decision"]),
                    record_id: None,
                    reason: format!(
                        "every calendar year of the certification cycle before the recertification year ({recertification_year}) needs one, and none is recorded in {year}"
                    ),
                },
                Some("Agree the date with the certification body and record it as an audit with `type: surveillance`, `status: planned` and its `planned` date."),
            );
        }
    }
}

/// The first surveillance audit, due within `first-within` of the decision.
fn first_surveillance<'a>(
    cx: &mut RuleContext<'_>,
    cert: &Certification,
    surveillance: &'a [DatedAudit<'a>],
    reported: &mut HashSet<&'a str>,
) {
    let first_within = cx.get(&FIRST_WITHIN);
    let due = first_within.after(cert.decision);
    let decision = cert.decision;
    let limit = format!("{first_within} after the certification decision of {decision}");
    let (in_time, late): (Vec<&DatedAudit>, Vec<&DatedAudit>) =
        surveillance.iter().partition(|a| a.date <= due);
    if in_time.iter().any(|a| a.is_completed()) {
        return;
    }
    if let Some(planned) = in_time.first() {
        reported.insert(planned.audit.id.as_str());
        planned_deadline(
            cx,
            planned,
            format!("the first surveillance audit is due by {due}, {limit}"),
        );
        return;
    }
    let deadline = Deadline {
        rule: META.id,
        what: "the first surveillance audit".to_owned(),
        due,
        file: cx.repo.manifest_file,
        span: cx.repo.manifest_span(&["certification", "decision"]),
        record_id: None,
        reason: format!("it must be held within {first_within} of the certification decision of {decision}, and none is recorded"),
    };
    let Some(late) = late.first() else {
        cx.deadline(
            deadline,
            Some("Agree the date with the certification body and record it as an audit with `type: surveillance`, `status: planned` and its `planned` date."),
        );
        return;
    };
    let after = plural((late.date - due).num_days(), "day");
    let date_span = late.date_span();
    let f = if late.is_completed() {
        cx.finding(deadline.file, deadline.span)
            .message(format!(
                "The first surveillance audit was late: {} was completed on {}, {after} after {due}, the last day allowed ({limit})",
                late.label(),
                late.date
            ))
            .related(late.record.file, date_span, "completed late")
    } else if let DueState::Overdue(ago) = cx.due_state(due) {
        cx.finding(late.record.file, date_span).message(format!(
            "The first surveillance audit is overdue: it was due on {due} ({} ago), {limit}; {} is planned only for {}",
            plural(ago, "day"),
            late.label(),
            late.date
        ))
    } else {
        let mut f = cx.finding(late.record.file, date_span).message(format!(
            "{} is planned for {}, {after} after {due}, the last day for the first surveillance audit ({limit}): ask the certification body to bring it forward",
            capitalise(&late.label()),
            late.date
        ));
        f.severity = f.severity.min(Severity::Warning);
        f
    };
    let record_id = (!late.is_completed()).then_some(late.audit.id.as_str());
    cx.emit(f.record(record_id).key("first").due(due));
    cx.note_deadline(deadline);
}

/// A planned surveillance audit that covers a deadline: its own date is now
/// the deadline.
fn planned_deadline(cx: &mut RuleContext<'_>, planned: &DatedAudit<'_>, covers: String) {
    cx.planned_deadline(
        Deadline {
            rule: META.id,
            what: planned.label(),
            due: planned.date,
            file: planned.record.file,
            span: planned.date_span(),
            record_id: Some(planned.audit.id.clone()),
            reason: format!("it is not recorded as completed, and {covers}"),
        },
        Some(PLANNED_HELP),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::internal_audit::fixtures::{audit, audits, certified};
    use crate::testing::TestRepo;

    const RULE: &str = "surveillance-audit-missed";

    fn repo(decision: &str, expiry: &str, entries: &[String]) -> TestRepo {
        TestRepo::new()
            .manifest(&certified(decision, expiry))
            .file("audits/cb.yaml", &audits(entries))
    }

    fn cycle(entries: &[String]) -> TestRepo {
        repo("2024-02-16", "2027-02-15", entries)
    }

    fn sa(id: &str, status: &str, date: &str) -> String {
        audit(id, "surveillance", status, date)
    }

    #[test]
    fn silent_without_a_certificate() {
        assert!(TestRepo::new().check_rule(RULE, "2030-01-01").is_empty());
    }

    #[test]
    fn a_complete_cycle_is_clean() {
        let r = cycle(&[
            sa("SA-2025", "completed", "2025-01-22"),
            sa("SA-2026", "completed", "2026-01-20"),
            audit("RA-2026", "recertification", "planned", "2026-12-01"),
        ]);
        for day in [
            "2024-03-01",
            "2025-02-17",
            "2025-12-31",
            "2026-06-30",
            "2026-12-31",
        ] {
            assert!(r.check_rule(RULE, day).is_empty(), "{day}");
        }
    }

    #[test]
    fn first_surveillance_day_before_of_and_after() {
        let r = cycle(&[]);
        assert!(r.check_rule(RULE, "2025-01-16").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-01-17"),
            ["isms.yaml:7:13: warning[surveillance-audit-missed] The first surveillance audit is due in 30 days (on 2025-02-16); it must be held within 1 year of the certification decision of 2024-02-16, and none is recorded"]
        );
        assert!(r.check_rule(RULE, "2025-02-15")[0].contains("is due tomorrow (on 2025-02-16)"));
        assert!(r.check_rule(RULE, "2025-02-16")[0].contains("is due today (on 2025-02-16)"));
        assert_eq!(
            r.check_rule(RULE, "2025-02-17"),
            ["isms.yaml:7:13: error[surveillance-audit-missed] The first surveillance audit is overdue: it was due on 2025-02-16 (1 day ago); it must be held within 1 year of the certification decision of 2024-02-16, and none is recorded"]
        );
    }

    #[test]
    fn each_calendar_year_before_the_recertification_year() {
        // No recertification audit: the expiry year (2027) is the
        // recertification year, so 2025 and 2026 need one each.
        let r = cycle(&[sa("SA-2025", "completed", "2025-01-22")]);
        assert!(r.check_rule(RULE, "2026-11-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2026-12-01"),
            ["isms.yaml:7:13: warning[surveillance-audit-missed] The surveillance audit of 2026 is due in 30 days (on 2026-12-31); every calendar year of the certification cycle before the recertification year (2027) needs one, and none is recorded in 2026"]
        );
        assert!(r.check_rule(RULE, "2026-12-31")[0].contains("is due today (on 2026-12-31)"));
        assert_eq!(
            r.check_rule(RULE, "2027-01-01"),
            ["isms.yaml:7:13: error[surveillance-audit-missed] The surveillance audit of 2026 is overdue: it was due on 2026-12-31 (1 day ago); every calendar year of the certification cycle before the recertification year (2027) needs one, and none is recorded in 2026"]
        );
        // A recertification audit in 2026 makes 2026 the recertification year.
        let r = cycle(&[
            sa("SA-2025", "completed", "2025-01-22"),
            audit("RA-2026", "recertification", "completed", "2026-11-20"),
        ]);
        assert!(r.check_rule(RULE, "2027-01-01").is_empty());
    }

    #[test]
    fn a_year_without_one_while_the_first_was_in_time() {
        // Decision late in the year: the first (2025-11-30) is in time, but
        // 2026 has none.
        let r = repo(
            "2024-11-30",
            "2027-11-29",
            &[sa("SA-1", "completed", "2025-11-30")],
        );
        assert!(r.check_rule(RULE, "2026-11-30").is_empty());
        assert_eq!(r.check_rule(RULE, "2027-01-01").len(), 1);
        assert!(r.check_rule(RULE, "2027-01-01")[0]
            .contains("The surveillance audit of 2026 is overdue"));
    }

    #[test]
    fn planned_audits_cover_the_look_ahead_and_become_the_deadline() {
        let r = cycle(&[sa("SA-2025", "planned", "2025-01-21")]);
        // Inside the window of the first deadline, but covered: no warning.
        assert!(r.check_rule(RULE, "2025-01-20").is_empty());
        assert!(r.check_rule(RULE, "2025-01-21").is_empty());
        // Its date passed without it being completed: one finding, at its date,
        // though it covers both the first deadline and 2025.
        assert_eq!(
            r.check_rule(RULE, "2025-01-22"),
            ["audits/cb.yaml:7:14: error[surveillance-audit-missed] Surveillance audit SA-2025 is overdue: it was due on 2025-01-21 (1 day ago); it is not recorded as completed, and the first surveillance audit is due by 2025-02-16, 1 year after the certification decision of 2024-02-16"]
        );
    }

    #[test]
    fn a_surveillance_audit_planned_too_late_is_reported_at_once() {
        let r = cycle(&[sa("SA-2025", "planned", "2025-03-10")]);
        assert_eq!(
            r.check_rule(RULE, "2024-06-01"),
            ["audits/cb.yaml:7:14: warning[surveillance-audit-missed] Surveillance audit SA-2025 is planned for 2025-03-10, 22 days after 2025-02-16, the last day for the first surveillance audit (1 year after the certification decision of 2024-02-16): ask the certification body to bring it forward"]
        );
        assert!(r.check_rule(RULE, "2025-02-16")[0].contains("warning"));
        assert_eq!(
            r.check_rule(RULE, "2025-02-17"),
            ["audits/cb.yaml:7:14: error[surveillance-audit-missed] The first surveillance audit is overdue: it was due on 2025-02-16 (1 day ago), 1 year after the certification decision of 2024-02-16; surveillance audit SA-2025 is planned only for 2025-03-10"]
        );
    }

    #[test]
    fn a_first_surveillance_completed_late() {
        let r = cycle(&[sa("SA-2025", "completed", "2025-03-10")]);
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:7:13: error[surveillance-audit-missed] The first surveillance audit was late: surveillance audit SA-2025 was completed on 2025-03-10, 22 days after 2025-02-16, the last day allowed (1 year after the certification decision of 2024-02-16)"]
        );
    }

    #[test]
    fn an_earlier_day_sees_a_later_audit_as_not_yet_held() {
        let r = cycle(&[sa("SA-2025", "completed", "2025-01-22")]);
        assert!(r.check_rule(RULE, "2025-01-21").is_empty());
        // Completed late, seen before it took place: a plan that is too late.
        let r = cycle(&[sa("SA-2025", "completed", "2025-03-10")]);
        assert!(r.check_rule(RULE, "2025-02-10")[0].starts_with("audits/cb.yaml:7:16: warning[surveillance-audit-missed] Surveillance audit SA-2025 is planned for 2025-03-10"));
        assert!(r.check_rule(RULE, "2025-03-01")[0].starts_with("audits/cb.yaml:7:16: error[surveillance-audit-missed] The first surveillance audit is overdue"));
        assert!(r.check_rule(RULE, "2025-03-10")[0].starts_with("isms.yaml:7:13: error[surveillance-audit-missed] The first surveillance audit was late"));
    }

    #[test]
    fn audits_before_the_decision_or_cancelled_do_not_count() {
        let r = cycle(&[
            sa("SA-OLD", "completed", "2023-05-01"),
            sa("SA-X", "cancelled", "2025-01-21"),
            audit("IA-1", "internal", "completed", "2025-01-21"),
        ]);
        assert!(
            r.check_rule(RULE, "2025-02-17")[0].contains("The first surveillance audit is overdue")
        );
    }

    #[test]
    fn leap_day_and_month_end_decisions() {
        // 29 February + 12 months is 28 February.
        let r = repo("2024-02-29", "2027-02-28", &[]);
        assert!(r.check_rule(RULE, "2025-02-28")[0].contains("is due today (on 2025-02-28)"));
        assert!(r.check_rule(RULE, "2025-03-01")[0]
            .contains("overdue: it was due on 2025-02-28 (1 day ago)"));
        // 31 August + 6 months is the end of February.
        let r = TestRepo::new().manifest(&format!(
            "{}lint:\n  rules:\n    surveillance-audit-missed:\n      first-within: 6 months\n",
            certified("2025-08-31", "2028-08-30")
        ));
        assert!(r.check_rule(RULE, "2026-02-28")[0].contains("is due today (on 2026-02-28); it must be held within 6 months of the certification decision of 2025-08-31"));
        assert!(r.check_rule(RULE, "2026-03-01")[0].contains("overdue"));
    }

    #[test]
    fn deadlines_are_computed_even_when_far_away() {
        let report = cycle(&[]).report("2024-03-01");
        let mut due: Vec<String> = report
            .deadlines
            .iter()
            .filter(|d| d.rule == RULE)
            .map(|d| format!("{} {}", d.due, d.what))
            .collect();
        due.sort();
        assert_eq!(
            due,
            [
                "2025-02-16 the first surveillance audit",
                "2025-12-31 the surveillance audit of 2025",
                "2026-12-31 the surveillance audit of 2026",
            ]
        );
    }

    #[test]
    fn configuration() {
        let with = |settings: &str| {
            TestRepo::new().manifest(&format!(
                "{}lint:\n  rules:\n    surveillance-audit-missed:\n{settings}",
                certified("2024-02-16", "2027-02-15")
            ))
        };
        let r = with("      severity: warning\n      horizon: 7 days\n");
        assert!(r.check_rule(RULE, "2025-02-08").is_empty());
        assert_eq!(r.check_rule(RULE, "2025-02-09").len(), 1);
        assert!(r.check_rule(RULE, "2025-03-01")[0].starts_with("isms.yaml:7:13: warning[surveillance-audit-missed] The first surveillance audit is overdue"));
        let off = with("      severity: off\n");
        assert!(off.check_rule(RULE, "2026-03-01").is_empty());
    }
}

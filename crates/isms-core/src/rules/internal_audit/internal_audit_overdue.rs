use super::{internal_audits, AUDIT_FIELDS};
use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::Standard;
use crate::model::{Kind, ScheduleKey};
use crate::rules::schedule::{every, schedule_span, Next, Recurrence};
use crate::rules::{Basis, Category, Deadline, Opt, Rule, RuleContext, RuleId, RuleMeta};

/// A planned internal audit that did not happen, or none within the interval.
pub struct InternalAuditOverdue;

const INTERVAL: Opt<Interval> = Opt::new(
    "interval",
    "1 month",
    "The longest time from one completed internal audit to the next.",
    Basis::Practice,
)
.follows(ScheduleKey::InternalAudit);

static META: RuleMeta = RuleMeta {
    id: RuleId::InternalAuditOverdue,
    category: Category::InternalAudit,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 9.2.1, 9.2.2",
    summary: "A planned internal audit is past its date, or no internal audit was completed within the planned interval",
    what: "Checks the internal audit programme (audit records with `type: internal`) two ways:\n\n\
- a **planned** internal audit whose `planned` date has passed without it being recorded as \
completed is overdue;\n\
- the **next internal audit** is due one interval (`schedule.internal-audit`, 1 month by \
default) after the last completed one. A planned internal audit dated on or before that day \
covers it: no warning, and the planned audit's own date becomes the deadline. Otherwise, inside \
the warning window (30 days by default) a warning says how many days are left, and after it \
an error.\n\n\
With no completed internal audit yet, the earliest planned one sets the deadline; with none \
planned either, the finding is at the `schedule.internal-audit` entry (or at `schedule`). Cancelled audits are \
ignored.",
    why: "9.2.1 requires internal audits *at planned intervals*, and 9.2.2 a programme that \
sets their frequency. The standard leaves the interval to the organisation; the auditor checks \
that the organisation keeps to its own plan. An audit planned for March and never held, or a \
programme that stopped in the summer, is a nonconformity with 9.2. The 1-month default is \
common practice (a programme spread over the year, one area a month), not a requirement: \
declare your own interval in `schedule.internal-audit`.",
    example: crate::rules::Example::new(
        &[
            (
                "audits/internal/2025.yaml",
                "\
kind: audit
title: Internal audit programme 2025
entries:
  - id: IA-2025-04
    title: Access control
    type: internal
    status: completed
    planned: 2025-04-16
    completed: 2025-04-16
    auditor: pnowak
  - id: IA-2025-05
    title: Supplier relationships
    type: internal
    status: planned
    planned: 2025-05-14
    auditor: pnowak
  - id: IA-2025-07
    title: Backup and restore
    type: internal
    status: planned
    planned: 2025-07-09
    auditor: pnowak
",
            ),
        ],
        "2025-06-20",
        &[
            (
                "audits/internal/2025.yaml",
                "\
kind: audit
title: Internal audit programme 2025
entries:
  - id: IA-2025-04
    title: Access control
    type: internal
    status: completed
    planned: 2025-04-16
    completed: 2025-04-16
    auditor: pnowak
  - id: IA-2025-05
    title: Supplier relationships
    type: internal
    status: completed
    planned: 2025-05-14
    completed: 2025-06-18
    auditor: pnowak
  - id: IA-2025-07
    title: Backup and restore
    type: internal
    status: planned
    planned: 2025-07-09
    auditor: pnowak
",
            ),
        ],
    ),
    fix: "Hold the audit and record it as completed (`status: completed`, the `completed` date, \
its findings); or, if the programme changed, move the `planned` date (the git history keeps the \
old one) or set `status: cancelled` and cover its scope in another audit. Keep at least one \
internal audit planned within the interval.",
    options: &[INTERVAL.def],
    deadlines: true,
};

const PLANNED_HELP: &str = "If it took place, set `status: completed` and its `completed` date; if it moved, change its `planned` date; if it was dropped, set `status: cancelled` and cover its scope in another audit.";

impl Rule for InternalAuditOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let (interval, source) = cx.scheduled(&INTERVAL);
        if cx.stop_on_unread(
            Kind::Audit,
            AUDIT_FIELDS,
            "internal audit",
            "internal-audit",
        ) {
            return;
        }
        let audits = internal_audits(cx.repo, cx.as_of);
        // Every planned audit is a deadline on its own date, the next one of
        // the programme or an older plan that was never held nor cancelled.
        for a in audits.iter().filter(|a| a.is_planned()) {
            cx.planned_deadline(
                Deadline {
                    rule: META.id,
                    what: a.label(),
                    due: a.date,
                    file: a.record.file,
                    span: a.date_span(),
                    record_id: Some(a.audit.id.clone()),
                    reason: "it was planned for that day and is not recorded as completed"
                        .to_owned(),
                },
                Some(PLANNED_HELP),
            );
        }

        let recurrence = Recurrence::new(cx.as_of, audits.iter().map(|a| a.occurrence()));
        match recurrence.next(interval) {
            Next::Due { last, due, plan } => {
                let help = match plan {
                    Some(p) => format!(
                        "{} is planned only for {}, after the due date: bring it forward, or hold another internal audit before then.",
                        p.name, p.date
                    ),
                    None => "Plan the next audit of the programme: record it with `type: internal`, `status: planned` and its `planned` date.".to_owned(),
                };
                cx.deadline(
                    Deadline {
                        rule: META.id,
                        what: "the next internal audit".to_owned(),
                        due,
                        file: last.file(),
                        span: last.span,
                        record_id: last.record.id.clone(),
                        reason: format!(
                            "the last one, {}, was completed on {}, and the programme calls for one {} ({source})",
                            last.name,
                            last.date,
                            every(interval)
                        ),
                    },
                    Some(&help),
                );
            }
            // The planned audit's own date is the deadline, reported above.
            Next::Planned { .. } => {}
            Next::Missing => {
                let f = cx
                    .finding(cx.repo.manifest_file, schedule_span(cx.repo, ScheduleKey::InternalAudit))
                    .message(format!(
                        "No internal audit is recorded: 9.2.1 requires internal audits at planned intervals, and the programme calls for one {} ({source})",
                        every(interval)
                    ))
                    .key("internal-audit")
                    .help("Plan the internal audit programme: record each audit with `type: internal`, `status: planned` and its `planned` date.");
                cx.emit(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::internal_audit::fixtures::{audit, audits};
    use crate::testing::TestRepo;

    const RULE: &str = "internal-audit-overdue";

    fn repo(entries: &[String]) -> TestRepo {
        TestRepo::new().file("audits/ia.yaml", &audits(entries))
    }

    fn ia(id: &str, status: &str, date: &str) -> String {
        audit(id, "internal", status, date)
    }

    #[test]
    fn a_programme_on_track_is_clean() {
        let r = repo(&[
            ia("IA-1", "completed", "2025-05-14"),
            ia("IA-2", "planned", "2025-06-13"),
        ]);
        for day in ["2025-05-14", "2025-06-01", "2025-06-13"] {
            assert!(r.check_rule(RULE, day).is_empty(), "{day}");
        }
    }

    #[test]
    fn a_planned_audit_past_its_date() {
        let r = repo(&[
            ia("IA-1", "completed", "2025-05-14"),
            ia("IA-2", "planned", "2025-06-13"),
        ]);
        // No look-ahead for the plan itself.
        assert!(r.check_rule(RULE, "2025-06-12").is_empty());
        assert!(r.check_rule(RULE, "2025-06-13").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-06-14"),
            ["audits/ia.yaml:12:14: error[internal-audit-overdue] Internal audit IA-2 is overdue: it was due on 2025-06-13 (1 day ago); it was planned for that day and is not recorded as completed"]
        );
    }

    #[test]
    fn next_audit_after_the_last_completed_day_before_of_and_after() {
        let r = repo(&[ia("IA-1", "completed", "2025-05-14")]);
        assert_eq!(
            r.check_rule(RULE, "2025-05-15"),
            ["audits/ia.yaml:7:16: warning[internal-audit-overdue] The next internal audit is due in 30 days (on 2025-06-14); the last one, IA-1, was completed on 2025-05-14, and the programme calls for one every month (common practice; set `schedule.internal-audit` to your planned interval)"]
        );
        assert!(r.check_rule(RULE, "2025-06-13")[0].contains("is due tomorrow (on 2025-06-14)"));
        assert!(r.check_rule(RULE, "2025-06-14")[0].contains("is due today (on 2025-06-14)"));
        assert_eq!(
            r.check_rule(RULE, "2025-06-15"),
            ["audits/ia.yaml:7:16: error[internal-audit-overdue] The next internal audit is overdue: it was due on 2025-06-14 (1 day ago); the last one, IA-1, was completed on 2025-05-14, and the programme calls for one every month (common practice; set `schedule.internal-audit` to your planned interval)"]
        );
    }

    #[test]
    fn a_planned_audit_after_the_due_date_does_not_cover_it() {
        let r = repo(&[
            ia("IA-1", "completed", "2025-05-14"),
            ia("IA-2", "planned", "2025-07-01"),
        ]);
        assert_eq!(
            r.check_rule(RULE, "2025-06-15"),
            ["audits/ia.yaml:7:16: error[internal-audit-overdue] The next internal audit is overdue: it was due on 2025-06-14 (1 day ago); the last one, IA-1, was completed on 2025-05-14, and the programme calls for one every month (common practice; set `schedule.internal-audit` to your planned interval)"]
        );
        let report = r.report("2025-06-15");
        let f = report.findings.iter().find(|f| f.rule == RULE).unwrap();
        assert_eq!(
            f.help.as_deref(),
            Some("IA-2 is planned only for 2025-07-01, after the due date: bring it forward, or hold another internal audit before then.")
        );
        // A stale plan from before the last audit covers nothing, and is
        // overdue itself.
        let r = repo(&[
            ia("IA-0", "planned", "2025-04-01"),
            ia("IA-1", "completed", "2025-05-14"),
        ]);
        assert_eq!(r.check_rule(RULE, "2025-06-15").len(), 2);
    }

    #[test]
    fn an_earlier_day_sees_a_later_audit_as_not_yet_held() {
        let r = repo(&[
            ia("IA-1", "completed", "2025-05-14"),
            ia("IA-2", "completed", "2025-07-01"),
        ]);
        // On 2025-06-20, IA-2 had not taken place: the next audit, due on
        // 2025-06-14, was overdue.
        assert!(r.check_rule(RULE, "2025-06-20")[0]
            .contains("The next internal audit is overdue: it was due on 2025-06-14 (6 days ago)"));
        assert!(r.check_rule(RULE, "2025-07-01").is_empty());
    }

    #[test]
    fn month_ends_and_leap_days() {
        // 31 January + 1 month is 28 February.
        let r = repo(&[ia("IA-1", "completed", "2025-01-31")]);
        assert!(r.check_rule(RULE, "2025-02-28")[0].contains("is due today (on 2025-02-28)"));
        assert!(r.check_rule(RULE, "2025-03-01")[0]
            .contains("overdue: it was due on 2025-02-28 (1 day ago)"));
        // 31 August + 6 months is the end of February; 29 February in 2024.
        let r = repo(&[ia("IA-1", "completed", "2023-08-31")])
            .manifest("organisation:\n  name: T\nschedule:\n  internal-audit: 6 months\n");
        assert!(r.check_rule(RULE, "2024-02-29")[0].contains("is due today (on 2024-02-29)"));
        assert!(r.check_rule(RULE, "2024-03-01")[0].contains("it was due on 2024-02-29 (1 day ago); the last one, IA-1, was completed on 2023-08-31, and the programme calls for one every 6 months (`schedule.internal-audit`)"));
    }

    #[test]
    fn the_earliest_planned_audit_sets_the_first_deadline() {
        let r = repo(&[
            ia("IA-2", "planned", "2025-07-01"),
            ia("IA-1", "planned", "2025-06-01"),
        ]);
        assert!(r.check_rule(RULE, "2025-06-01").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-06-02"),
            ["audits/ia.yaml:12:14: error[internal-audit-overdue] Internal audit IA-1 is overdue: it was due on 2025-06-01 (1 day ago); it was planned for that day and is not recorded as completed"]
        );
    }

    #[test]
    fn none_at_all_is_reported_at_the_schedule() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nschedule:\n  management-review: 6 months\n  internal-audit: 3 months\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:5:19: error[internal-audit-overdue] No internal audit is recorded: 9.2.1 requires internal audits at planned intervals, and the programme calls for one every 3 months (`schedule.internal-audit`)"]
        );
        // Without a schedule entry, at the first key of the manifest.
        let r = repo(&[
            ia("IA-X", "cancelled", "2025-05-01"),
            audit("SA-1", "surveillance", "completed", "2025-05-01"),
        ]);
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:1:1: error[internal-audit-overdue] No internal audit is recorded: 9.2.1 requires internal audits at planned intervals, and the programme calls for one every month (common practice; set `schedule.internal-audit` to your planned interval)"]
        );
    }

    #[test]
    fn configuration() {
        let with = |settings: &str| {
            repo(&[ia("IA-1", "completed", "2025-05-14")]).manifest(&format!(
                "organisation:\n  name: T\nschedule:\n  internal-audit: 2 months\nlint:\n  rules:\n    internal-audit-overdue:\n{settings}"
            ))
        };
        // The schedule sets the interval.
        let r = with("      severity: warning\n");
        assert!(r.check_rule(RULE, "2025-07-15")[0].starts_with("audits/ia.yaml:7:16: warning[internal-audit-overdue] The next internal audit is overdue: it was due on 2025-07-14"));
        // The rule option overrides it; the horizon is per rule.
        let r = with("      interval: 3 weeks\n      horizon: 7 days\n");
        assert!(r.check_rule(RULE, "2025-05-27").is_empty());
        assert!(r.check_rule(RULE, "2025-05-28")[0].contains("is due in 7 days (on 2025-06-04)"));
        let off = with("      severity: off\n");
        assert!(off.check_rule(RULE, "2026-01-01").is_empty());
    }
}

use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::{Kind, ScheduleKey};
use crate::model::{ReviewStatus, Standard};
use crate::rules::schedule::{every, schedule_span, Next, Occurrence, Recurrence};
use crate::rules::{Basis, Category, Deadline, Opt, Rule, RuleContext, RuleId, RuleMeta};

/// The last completed management review is older than the planned interval.
pub struct ManagementReviewOverdue;

const WARN_AFTER: Opt<Interval> = Opt::new(
    "warn-after",
    "6 months",
    "How long after the last review the next one is due, and the rule warns.",
    Basis::Practice,
)
.follows(ScheduleKey::ManagementReview);

const ERROR_AFTER: Opt<Interval> = Opt::new(
    "error-after",
    "12 months",
    "How old the last review may get before the finding is an error: at least yearly is what certification bodies expect.",
    Basis::Practice,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::ManagementReviewOverdue,
    category: Category::ManagementReview,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 9.3.1",
    summary: "The last management review is older than the planned interval",
    what: "Takes the last management review held (`status: completed`, the default) on or \
before the day of the check, and adds the planned interval (`warn-after`: \
`schedule.management-review`, else 6 months). Past that date the rule warns; once the last \
review is older than `error-after` (12 months) it reports an error. Inside the warning window \
before the due date, a warning says how many days are left.\n\n\
A review with `status: planned` dated after the last one and on or before the due date covers \
it: nothing is reported ahead of time, and the planned date becomes the deadline — a planned \
review whose date passes without being recorded as completed is overdue. With no review held \
yet, the earliest planned review sets the deadline; with none planned either, the finding points \
at `schedule.management-review` in `isms.yaml`. Cancelled reviews do not count.",
    why: "9.3.1 requires top management to review the ISMS *at planned intervals*. The standard \
leaves the interval to the organisation, so the rule holds it to the interval declared in \
`schedule.management-review`. Where none is declared, the default of 6 months is common \
practice, not a requirement. The error threshold of 12 months is also practice: certification \
bodies audit every year, and a surveillance auditor expects to see at least one management \
review since the last visit — a year without one is a likely nonconformity.",
    example: crate::rules::Example::new(
        &[(
            "reviews/2025-08-management-review.md",
            "\
---
kind: management-review
id: MR-2025-08
title: Management review, August 2025
date: 2025-08-28
attendees: [hmarsh, dokafor, twhitfield]
---
# Management review, August 2025
",
        )],
        "2026-03-02",
        &[(
            "reviews/2026-02-management-review.md",
            "\
---
kind: management-review
id: MR-2026-02
title: Management review, February 2026
date: 2026-02-26
attendees: [hmarsh, praman, twhitfield]
---
# Management review, February 2026
",
        )],
    ),
    fix: "Hold the review and record it with `status: completed`, its inputs and its decisions. \
If it is scheduled, record it now with `status: planned` and its date: a planned review covers \
the obligation until that date. If the organisation reviews less often on purpose, declare the \
interval in `schedule.management-review` (and be ready to justify it to the auditor).",
    options: &[WARN_AFTER.def, ERROR_AFTER.def],
    deadlines: true,
};

impl Rule for ManagementReviewOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let (warn_after, source) = cx.scheduled(&WARN_AFTER);
        let error_after = cx.get(&ERROR_AFTER);
        if cx.stop_on_unread(
            Kind::ManagementReview,
            &["date", "status"],
            "management review",
            "management-review",
        ) {
            return;
        }
        let reviews = cx.repo.reviews().filter_map(|(record, review)| {
            let completed = match review.status_on(cx.as_of) {
                ReviewStatus::Completed => true,
                ReviewStatus::Planned => false,
                ReviewStatus::Cancelled => return None,
            };
            Some(Occurrence::of_record(record, review.date, completed))
        });
        let recurrence = Recurrence::new(cx.as_of, reviews);
        // The next review is due at the planned interval, and at the latest
        // when the last one reaches the error threshold.
        let next = recurrence.next_by(|last| warn_after.after(last).min(error_after.after(last)));
        let as_of = cx.as_of;
        // Past the error threshold (or with no review ever held) an overdue
        // review is an error; before it, a warning.
        let stage = |last: Option<&Occurrence<'_>>| match last {
            Some(l) if as_of <= error_after.after(l.date) => Severity::Warning,
            _ => Severity::Error,
        };
        match next {
            Next::Due { last, due, plan } => {
                let error_due = error_after.after(last.date);
                let reason = if as_of > error_due {
                    format!(
                        "the last one, {}, was held on {}, more than {error_after} ago: auditors expect top management to review the ISMS at least once a year",
                        last.name, last.date
                    )
                } else {
                    format!(
                        "the last one, {}, was held on {} and reviews are planned {} ({source})",
                        last.name,
                        last.date,
                        every(warn_after)
                    )
                };
                let mut help = match plan {
                    Some(p) => format!(
                        "{} is planned only for {}, after the due date: bring it forward, or hold an earlier review.",
                        p.name, p.date
                    ),
                    None => "Hold the review and record it (`status: completed`, with its inputs and decisions), or plan it now (`status: planned`, with its date).".to_owned(),
                };
                if as_of <= error_due && due < error_due {
                    help.push_str(&format!(
                        " After {error_due} ({error_after} since the last review) this is an error."
                    ));
                }
                cx.deadline_with(
                    Deadline {
                        rule: META.id,
                        what: "the next management review".into(),
                        due,
                        file: last.file(),
                        span: last.span,
                        record_id: last.record.id.clone(),
                        reason,
                    },
                    Some(&help),
                    stage(Some(last)),
                    true,
                );
            }
            Next::Planned { planned, last } => {
                let reason = match last {
                    Some((l, _)) => format!(
                        "it is not recorded as completed, and the last review, {}, was held on {}",
                        l.name, l.date
                    ),
                    None => "it is not recorded as completed, and no management review has been held yet".to_owned(),
                };
                cx.deadline_with(
                    Deadline {
                        rule: META.id,
                        what: format!("planned management review {}", planned.name),
                        due: planned.date,
                        file: planned.file(),
                        span: planned.span,
                        record_id: planned.record.id.clone(),
                        reason,
                    },
                    Some("If the review took place, set `status: completed` and record its inputs and decisions; if it moved, change its date."),
                    stage(last.map(|(l, _)| l)),
                    false,
                );
            }
            Next::Missing => {
                let span = schedule_span(cx.repo, ScheduleKey::ManagementReview);
                let f = cx
                    .finding(cx.repo.manifest_file, span)
                    .message(format!(
                        "No management review is recorded: 9.3.1 requires top management to review the ISMS at planned intervals (here {}: {source})",
                        every(warn_after)
                    ))
                    .help("Record each review as a `kind: management-review` record (held: `status: completed`; scheduled: `status: planned`).")
                    .key("management-review");
                cx.emit(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "management-review-overdue";

    fn review(id: &str, date: &str, status: &str) -> String {
        format!(
            "---\nkind: management-review\nid: {id}\ntitle: Review\nstatus: {status}\ndate: {date}\n---\n# Minutes\n"
        )
    }

    fn held(date: &str) -> TestRepo {
        TestRepo::new().file("reviews/mr-1.md", &review("MR-1", date, "completed"))
    }

    #[test]
    fn silent_well_inside_the_interval() {
        assert!(held("2025-03-01").check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn day_before_of_and_after_the_due_date() {
        // 31 August + 6 months is the end of February.
        let r = held("2025-08-31");
        assert!(r.check_rule(RULE, "2026-01-28").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2026-01-29"),
            ["reviews/mr-1.md:6:7: warning[management-review-overdue] The next management review is due in 30 days (on 2026-02-28); the last one, MR-1, was held on 2025-08-31 and reviews are planned every 6 months (common practice; set `schedule.management-review` to your planned interval)"]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-02-27"),
            ["reviews/mr-1.md:6:7: warning[management-review-overdue] The next management review is due tomorrow (on 2026-02-28); the last one, MR-1, was held on 2025-08-31 and reviews are planned every 6 months (common practice; set `schedule.management-review` to your planned interval)"]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-02-28"),
            ["reviews/mr-1.md:6:7: warning[management-review-overdue] The next management review is due today (on 2026-02-28); the last one, MR-1, was held on 2025-08-31 and reviews are planned every 6 months (common practice; set `schedule.management-review` to your planned interval)"]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-03-01"),
            ["reviews/mr-1.md:6:7: warning[management-review-overdue] The next management review is overdue: it was due on 2026-02-28 (1 day ago); the last one, MR-1, was held on 2025-08-31 and reviews are planned every 6 months (common practice; set `schedule.management-review` to your planned interval)"]
        );
    }

    #[test]
    fn error_once_older_than_error_after() {
        let r = held("2025-08-31");
        assert_eq!(
            r.check_rule(RULE, "2026-08-31"),
            ["reviews/mr-1.md:6:7: warning[management-review-overdue] The next management review is overdue: it was due on 2026-02-28 (184 days ago); the last one, MR-1, was held on 2025-08-31 and reviews are planned every 6 months (common practice; set `schedule.management-review` to your planned interval)"]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-09-01"),
            ["reviews/mr-1.md:6:7: error[management-review-overdue] The next management review is overdue: it was due on 2026-02-28 (185 days ago); the last one, MR-1, was held on 2025-08-31, more than 1 year ago: auditors expect top management to review the ISMS at least once a year"]
        );
    }

    #[test]
    fn leap_day() {
        // 2023-08-31 + 6 months = 2024-02-29; 2024-02-29 + 12 months = 2025-02-28.
        assert_eq!(
            held("2023-08-31").check_rule(RULE, "2024-03-01"),
            ["reviews/mr-1.md:6:7: warning[management-review-overdue] The next management review is overdue: it was due on 2024-02-29 (1 day ago); the last one, MR-1, was held on 2023-08-31 and reviews are planned every 6 months (common practice; set `schedule.management-review` to your planned interval)"]
        );
        let r = held("2024-02-29");
        assert!(r.check_rule(RULE, "2025-02-28")[0].starts_with("reviews/mr-1.md:6:7: warning"));
        assert!(r.check_rule(RULE, "2025-03-01")[0].starts_with("reviews/mr-1.md:6:7: error"));
    }

    #[test]
    fn the_last_completed_review_sets_the_clock() {
        let r = held("2024-01-15")
            .file(
                "reviews/mr-2.md",
                &review("MR-2", "2025-01-15", "completed"),
            )
            .file(
                "reviews/mr-3.md",
                &review("MR-3", "2025-04-01", "cancelled"),
            );
        assert_eq!(
            r.check_rule(RULE, "2025-07-16"),
            ["reviews/mr-2.md:6:7: warning[management-review-overdue] The next management review is overdue: it was due on 2025-07-15 (1 day ago); the last one, MR-2, was held on 2025-01-15 and reviews are planned every 6 months (common practice; set `schedule.management-review` to your planned interval)"]
        );
    }

    #[test]
    fn a_planned_review_covers_the_look_ahead_until_its_date() {
        let r =
            held("2025-08-31").file("reviews/mr-2.md", &review("MR-2", "2026-02-20", "planned"));
        assert!(r.check_rule(RULE, "2026-02-01").is_empty());
        assert!(r.check_rule(RULE, "2026-02-20").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2026-02-21"),
            ["reviews/mr-2.md:6:7: warning[management-review-overdue] Planned management review MR-2 is overdue: it was due on 2026-02-20 (1 day ago); it is not recorded as completed, and the last review, MR-1, was held on 2025-08-31"]
        );
        assert!(r.check_rule(RULE, "2026-09-01")[0].starts_with("reviews/mr-2.md:6:7: error"));
        // Planned on the due date itself still covers it.
        let on_the_day =
            held("2025-08-31").file("reviews/mr-2.md", &review("MR-2", "2026-02-28", "planned"));
        assert!(on_the_day.check_rule(RULE, "2026-02-28").is_empty());
    }

    #[test]
    fn a_review_planned_after_the_due_date_does_not_cover_it() {
        let r =
            held("2025-08-31").file("reviews/mr-2.md", &review("MR-2", "2026-03-01", "planned"));
        let report = r.report("2026-02-20");
        let f: Vec<_> = report.findings.iter().filter(|f| f.rule == RULE).collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].message, "The next management review is due in 8 days (on 2026-02-28); the last one, MR-1, was held on 2025-08-31 and reviews are planned every 6 months (common practice; set `schedule.management-review` to your planned interval)");
        assert_eq!(
            f[0].help.as_deref(),
            Some("MR-2 is planned only for 2026-03-01, after the due date: bring it forward, or hold an earlier review. After 2026-08-31 (1 year since the last review) this is an error.")
        );
    }

    #[test]
    fn a_completed_review_dated_after_the_day_of_the_check_counts_as_planned() {
        let r = held("2025-08-31").file(
            "reviews/mr-2.md",
            &review("MR-2", "2026-02-10", "completed"),
        );
        assert!(r.check_rule(RULE, "2026-02-05").is_empty());
        assert!(r.check_rule(RULE, "2026-03-05").is_empty());
    }

    #[test]
    fn without_a_held_review_the_earliest_planned_one_sets_the_deadline() {
        let r = TestRepo::new()
            .file("reviews/mr-2.md", &review("MR-2", "2025-09-30", "planned"))
            .file("reviews/mr-1.md", &review("MR-1", "2025-06-30", "planned"));
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["reviews/mr-1.md:6:7: error[management-review-overdue] Planned management review MR-1 is overdue: it was due on 2025-06-30 (1 day ago); it is not recorded as completed, and no management review has been held yet"]
        );
    }

    #[test]
    fn no_review_at_all_is_reported_at_the_schedule() {
        let r = TestRepo::new().manifest(
            "organisation:\n  name: T\nschedule:\n  internal-audit: 1 month\n  management-review: 3 months\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-30"),
            ["isms.yaml:5:22: error[management-review-overdue] No management review is recorded: 9.3.1 requires top management to review the ISMS at planned intervals (here every 3 months: `schedule.management-review`)"]
        );
        // A schedule without the entry: at `schedule`, not at another entry.
        let other = TestRepo::new()
            .manifest("organisation:\n  name: T\nschedule:\n  internal-audit: 1 month\n");
        assert!(other.check_rule(RULE, "2025-06-30")[0].starts_with("isms.yaml:3:1: error"));
        assert_eq!(
            TestRepo::new().check_rule(RULE, "2025-06-30"),
            ["isms.yaml:1:1: error[management-review-overdue] No management review is recorded: 9.3.1 requires top management to review the ISMS at planned intervals (here every 6 months: common practice; set `schedule.management-review` to your planned interval)"]
        );
    }

    #[test]
    fn the_schedule_and_the_options_set_the_thresholds() {
        let scheduled = held("2025-01-31")
            .manifest("organisation:\n  name: T\nschedule:\n  management-review: 3 months\n");
        assert!(scheduled.check_rule(RULE, "2025-04-30")[0].contains("due today (on 2025-04-30)"));
        assert_eq!(
            scheduled.check_rule(RULE, "2025-05-01"),
            ["reviews/mr-1.md:6:7: warning[management-review-overdue] The next management review is overdue: it was due on 2025-04-30 (1 day ago); the last one, MR-1, was held on 2025-01-31 and reviews are planned every 3 months (`schedule.management-review`)"]
        );
        // The rule's own options win over the schedule.
        let options = held("2025-01-31").manifest(
            "organisation:\n  name: T\nschedule:\n  management-review: 3 months\nlint:\n  rules:\n    management-review-overdue:\n      warn-after: 4 months\n      error-after: 9 months\n",
        );
        assert!(options.check_rule(RULE, "2025-05-31")[0].contains("due today (on 2025-05-31)"));
        assert!(options.check_rule(RULE, "2025-06-01")[0].contains(
            "warning[management-review-overdue] The next management review is overdue: it was due on 2025-05-31 (1 day ago)"
        ));
        assert!(options.check_rule(RULE, "2025-10-31")[0].contains("warning["));
        assert!(options.check_rule(RULE, "2025-11-01")[0].contains("error["));
        // An interval longer than error-after: due at error-after anyway.
        let long = held("2025-01-31")
            .manifest("organisation:\n  name: T\nschedule:\n  management-review: 18 months\n");
        assert_eq!(
            long.check_rule(RULE, "2026-02-01"),
            ["reviews/mr-1.md:6:7: error[management-review-overdue] The next management review is overdue: it was due on 2026-01-31 (1 day ago); the last one, MR-1, was held on 2025-01-31, more than 1 year ago: auditors expect top management to review the ISMS at least once a year"]
        );
    }

    #[test]
    fn severity_off_and_horizon_follow_the_configuration() {
        let config = |rule: &str| {
            held("2025-08-31").manifest(&format!(
                "organisation:\n  name: T\nlint:\n  rules:\n    management-review-overdue:{rule}\n"
            ))
        };
        let warning = config("\n      severity: warning");
        assert!(warning.check_rule(RULE, "2026-09-01")[0]
            .contains("warning[management-review-overdue]"));
        let note = config(" note");
        assert!(note.check_rule(RULE, "2026-03-01")[0].contains("note[management-review-overdue]"));
        assert!(config(" off").check_rule(RULE, "2027-01-01").is_empty());
        let horizon = config("\n      horizon: 7 days");
        assert!(horizon.check_rule(RULE, "2026-02-20").is_empty());
        assert_eq!(horizon.check_rule(RULE, "2026-02-21").len(), 1);
        assert!(held("2025-08-31")
            .horizon_days(0)
            .check_rule(RULE, "2026-02-27")
            .is_empty());
    }
}

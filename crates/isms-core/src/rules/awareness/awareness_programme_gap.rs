use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::ScheduleKey;
use crate::model::Standard;
use crate::rules::{Basis, Category, Opt, Rule, RuleContext, RuleId, RuleMeta};

use super::{check_programme, occurrences, Programme};

/// No awareness activity within the planned interval.
pub struct AwarenessProgrammeGap;

const INTERVAL: Opt<Interval> = Opt::new(
    "interval",
    "1 month",
    "The longest gap between two awareness activities.",
    Basis::Practice,
)
.follows(ScheduleKey::AwarenessActivity);

static META: RuleMeta = RuleMeta {
    id: RuleId::AwarenessProgrammeGap,
    category: Category::Awareness,
    default_severity: Severity::Warning,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 7.3, 7.4",
    summary: "No awareness activity within the planned interval",
    what: "Takes the last awareness activity of any type (poster, newsletter, training, \
refresher, phishing simulation, briefing, other) that took place (`status: completed`, the \
default) on or before the day of the check, and adds the planned interval (`interval`: \
`schedule.awareness-activity`, else 1 month). Inside the warning window before that date a \
warning says how many days are left; past it, the finding is at the rule's severity, at the \
last activity's `date`.\n\n\
An activity with `status: planned` dated after the last one and on or before the due date \
covers it: nothing is reported ahead of time, and the planned date becomes the deadline — a \
planned activity whose date passes without being recorded as completed is overdue. With no \
activity yet, the earliest planned one sets the deadline; with none planned either, the \
finding points at `schedule.awareness-activity` in `isms.yaml`. Cancelled activities do not \
count.",
    why: "7.3 requires people doing work under the organisation's control to be aware of the \
information security policy, their contribution to the ISMS and the implications of not \
conforming; 7.4 requires the organisation to decide what to communicate and *when*. Awareness \
fades: an auditor asks for the communication plan and the evidence that it runs. The standard \
sets no frequency; a monthly activity (a newsletter, a poster, a short briefing) is common \
practice, not a requirement — declare your own rhythm in `schedule.awareness-activity`.",
    example: crate::rules::Example::new(
        &[(
            "awareness/2025.yaml",
            r#"kind: awareness-activity
title: Awareness programme 2025
entries:
  - id: AW-2025-04
    title: "Newsletter: spotting invoice fraud"
    type: newsletter
    date: 2025-04-28
    audience: all staff
  - id: AW-2025-05
    title: "Poster: lock your screen"
    type: poster
    date: 2025-05-31
    audience: Bristol office
"#,
        )],
        "2025-07-01",
        &[(
            "awareness/2025.yaml",
            r#"kind: awareness-activity
title: Awareness programme 2025
entries:
  - id: AW-2025-04
    title: "Newsletter: spotting invoice fraud"
    type: newsletter
    date: 2025-04-28
    audience: all staff
  - id: AW-2025-05
    title: "Poster: lock your screen"
    type: poster
    date: 2025-05-31
    audience: Bristol office
  - id: AW-2025-06
    title: "Newsletter: new rules for AI tools"
    type: newsletter
    date: 2025-06-26
    audience: all staff
  - id: AW-2025-07
    title: "Briefing: travelling with a laptop"
    type: briefing
    date: 2025-07-24
    status: planned
    audience: all staff
"#,
        )],
    ),
    fix: "Run the next activity and record it, or plan it now: an activity with `status: planned` \
and a date on or before the due date keeps the programme on track until that date. If the \
organisation communicates less often on purpose, declare the interval in \
`schedule.awareness-activity`.",
    options: &[INTERVAL.def],
    deadlines: true,
};

impl Rule for AwarenessProgrammeGap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let (interval, source) = cx.scheduled(&INTERVAL);
        let activities = occurrences(cx.repo, cx.as_of, |_| true);
        check_programme(
            cx,
            activities,
            &Programme {
                rule: META.id,
                noun: "awareness activity",
                schedule_key: ScheduleKey::AwarenessActivity,
                interval,
                source,
                record_help: "Record each activity as a `kind: awareness-activity` record (done: `status: completed`; scheduled: `status: planned`).",
                requirement: "7.3 requires people to be made aware of the information security policy, their contribution and the implications of not conforming",
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{activity, programme};
    use crate::testing::TestRepo;

    const RULE: &str = "awareness-programme-gap";

    #[test]
    fn day_before_of_and_after_the_due_date() {
        let r = programme(&[activity("AW-1", "newsletter", "2025-05-31", "completed")]);
        // 31 May + 1 month = 30 June; 30 days ahead of it is 31 May itself.
        assert_eq!(
            r.check_rule(RULE, "2025-05-31"),
            ["awareness/activities.yaml:6:11: warning[awareness-programme-gap] The next awareness activity is due in 30 days (on 2025-06-30); the last one, AW-1, took place on 2025-05-31, and the programme calls for one every month (common practice; set `schedule.awareness-activity` to your planned interval)"]
        );
        assert!(r.check_rule(RULE, "2025-06-29")[0].contains("is due tomorrow (on 2025-06-30)"));
        assert!(r.check_rule(RULE, "2025-06-30")[0].contains("is due today (on 2025-06-30)"));
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["awareness/activities.yaml:6:11: warning[awareness-programme-gap] The next awareness activity is overdue: it was due on 2025-06-30 (1 day ago); the last one, AW-1, took place on 2025-05-31, and the programme calls for one every month (common practice; set `schedule.awareness-activity` to your planned interval)"]
        );
    }

    #[test]
    fn any_type_counts_and_the_last_one_sets_the_clock() {
        let r = programme(&[
            activity("AW-1", "poster", "2025-04-10", "completed"),
            activity("AW-2", "phishing-simulation", "2025-05-10", "completed"),
            activity("AW-3", "training", "2025-05-20", "cancelled"),
        ]);
        assert!(r.check_rule(RULE, "2025-06-10")[0]
            .contains("is due today (on 2025-06-10); the last one, AW-2"));
    }

    #[test]
    fn a_planned_activity_covers_the_look_ahead() {
        let r = programme(&[
            activity("AW-1", "newsletter", "2025-05-31", "completed"),
            activity("AW-2", "briefing", "2025-06-30", "planned"),
        ]);
        assert!(r.check_rule(RULE, "2025-06-15").is_empty());
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["awareness/activities.yaml:11:11: warning[awareness-programme-gap] Planned awareness activity AW-2 is overdue: it was due on 2025-06-30 (1 day ago); it is not recorded as completed, and the last one, AW-1, took place on 2025-05-31"]
        );
        // Planned after the due date: no cover.
        let late = programme(&[
            activity("AW-1", "newsletter", "2025-05-31", "completed"),
            activity("AW-2", "briefing", "2025-07-01", "planned"),
        ]);
        assert!(
            late.check_rule(RULE, "2025-06-15")[0].contains("is due in 15 days (on 2025-06-30)")
        );
    }

    #[test]
    fn without_any_completed_activity() {
        let planned = programme(&[activity("AW-1", "briefing", "2025-06-30", "planned")]);
        assert!(planned.check_rule(RULE, "2025-06-30").is_empty());
        assert_eq!(
            planned.check_rule(RULE, "2025-07-01"),
            ["awareness/activities.yaml:6:11: warning[awareness-programme-gap] Planned awareness activity AW-1 is overdue: it was due on 2025-06-30 (1 day ago); it is not recorded as completed, and no awareness activity has taken place yet"]
        );
        let nothing = TestRepo::new()
            .manifest("organisation:\n  name: T\nschedule:\n  awareness-activity: 2 months\n");
        assert_eq!(
            nothing.check_rule(RULE, "2025-07-01"),
            ["isms.yaml:4:23: warning[awareness-programme-gap] No awareness activity is recorded: 7.3 requires people to be made aware of the information security policy, their contribution and the implications of not conforming, and the programme calls for one every 2 months (`schedule.awareness-activity`)"]
        );
    }

    #[test]
    fn month_ends_and_leap_days() {
        // 31 August + 6 months = 28 February.
        let r = programme(&[activity("AW-1", "newsletter", "2025-08-31", "completed")])
            .manifest("organisation:\n  name: T\nschedule:\n  awareness-activity: 6 months\n");
        assert!(r.check_rule(RULE, "2026-02-28")[0].contains("is due today (on 2026-02-28)"));
        assert!(
            r.check_rule(RULE, "2026-03-01")[0].contains("it was due on 2026-02-28 (1 day ago)")
        );
        // 29 January 2024 + 1 month = 29 February.
        let leap = programme(&[activity("AW-1", "poster", "2024-01-29", "completed")]);
        assert!(leap.check_rule(RULE, "2024-02-29")[0].contains("is due today (on 2024-02-29)"));
        assert!(
            leap.check_rule(RULE, "2024-03-01")[0].contains("it was due on 2024-02-29 (1 day ago)")
        );
    }

    #[test]
    fn options_severity_horizon_and_off() {
        let r = |lint: &str| {
            programme(&[activity("AW-1", "newsletter", "2025-05-31", "completed")]).manifest(
                &format!(
                    "organisation:\n  name: T\nschedule:\n  awareness-activity: 2 weeks\nlint:\n  rules:\n    awareness-programme-gap:{lint}\n"
                ),
            )
        };
        // The schedule: 2 weeks.
        assert!(r(" warning").check_rule(RULE, "2025-06-15")[0]
            .contains("overdue: it was due on 2025-06-14 (1 day ago); the last one, AW-1, took place on 2025-05-31, and the programme calls for one every 2 weeks"));
        // The option wins over the schedule.
        assert!(
            r("\n      interval: 1 month").check_rule(RULE, "2025-06-30")[0]
                .contains("is due today")
        );
        assert!(r(" error").check_rule(RULE, "2025-06-15")[0]
            .contains("error[awareness-programme-gap]"));
        assert!(r(" off").check_rule(RULE, "2026-01-01").is_empty());
        let horizon = r("\n      horizon: 3 days");
        assert!(horizon.check_rule(RULE, "2025-06-10").is_empty());
        assert!(horizon.check_rule(RULE, "2025-06-11")[0].contains("is due in 3 days"));
    }
}

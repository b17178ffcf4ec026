use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::ScheduleKey;
use crate::model::{ActivityType, Standard};
use crate::rules::{Basis, Category, Opt, Rule, RuleContext, RuleId, RuleMeta};

use super::{check_programme, occurrences, Programme};

/// No phishing simulation within the planned interval.
pub struct PhishingSimulationOverdue;

const INTERVAL: Opt<Interval> = Opt::new(
    "interval",
    "3 months",
    "The longest gap between two phishing simulations.",
    Basis::Practice,
)
.follows(ScheduleKey::PhishingSimulation);

static META: RuleMeta = RuleMeta {
    id: RuleId::PhishingSimulationOverdue,
    category: Category::Awareness,
    default_severity: Severity::Warning,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 7.3, Annex A 6.3 (no specific requirement)",
    summary: "No phishing simulation within the planned interval",
    what: "Takes the last awareness activity of `type: phishing-simulation` that took place \
(`status: completed`, the default) on or before the day of the check, and adds the planned \
interval (`interval`: `schedule.phishing-simulation`, else 3 months). Inside the warning window \
before that date a warning says how many days are left; past it, the finding is at the rule's \
severity, at the last simulation's `date`.\n\n\
A simulation with `status: planned` dated after the last one and on or before the due date \
covers it: nothing is reported ahead of time, and the planned date becomes the deadline — a \
planned simulation whose date passes without being recorded as completed is overdue. With no \
simulation yet, the earliest planned one sets the deadline; with none planned either, the \
finding points at `schedule.phishing-simulation` in `isms.yaml`.",
    why: "ISO/IEC 27001 does not require phishing simulations: they are one way of meeting 7.3 \
(awareness) and Annex A 6.3 (awareness, education and training, with regular updates), and of \
measuring whether awareness works (9.1). Organisations that declare a simulation programme in \
their awareness plan are audited against it, and a programme that silently stopped is a \
finding. The 3-month default is common practice (monthly or quarterly is usual), not a \
requirement: declare your own rhythm in `schedule.phishing-simulation`, or turn the rule off \
if you do not run simulations.",
    example: crate::rules::Example::new(
        &[(
            "awareness/phishing-2025.yaml",
            r#"kind: awareness-activity
title: Phishing simulations 2025
entries:
  - id: PH-2025-Q1
    title: "Phishing simulation: fake parcel notice"
    type: phishing-simulation
    date: 2025-03-31
    audience: all staff
    results:
      recipients: 120
      clicked: 9
      reported: 61
"#,
        )],
        "2025-07-01",
        &[(
            "awareness/phishing-2025.yaml",
            r#"kind: awareness-activity
title: Phishing simulations 2025
entries:
  - id: PH-2025-Q1
    title: "Phishing simulation: fake parcel notice"
    type: phishing-simulation
    date: 2025-03-31
    audience: all staff
    results:
      recipients: 120
      clicked: 9
      reported: 61
  - id: PH-2025-Q2
    title: "Phishing simulation: shared document from a customer"
    type: phishing-simulation
    date: 2025-06-24
    audience: all staff
    results:
      recipients: 122
      clicked: 5
      reported: 78
"#,
        )],
    ),
    fix: "Run the next simulation and record it with its results, or plan it now: a \
simulation with `status: planned` and a date on or before the due date covers the programme \
until that date. If you run simulations less often, declare the interval in \
`schedule.phishing-simulation`; if you do not run them at all, set \
`phishing-simulation-overdue: off` under `lint.rules`.",
    options: &[INTERVAL.def],
    deadlines: true,
};

impl Rule for PhishingSimulationOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let (interval, source) = cx.scheduled(&INTERVAL);
        let simulations = occurrences(cx.repo, cx.as_of, |a| {
            a.activity_type == ActivityType::PhishingSimulation
        });
        check_programme(
            cx,
            simulations,
            &Programme {
                rule: META.id,
                noun: "phishing simulation",
                schedule_key: ScheduleKey::PhishingSimulation,
                interval,
                source,
                record_help: "Record each simulation as a `kind: awareness-activity` record of `type: phishing-simulation` (done: `status: completed`, with its results; scheduled: `status: planned`).",
                requirement:
                    "simulations show whether people recognise and report phishing (7.3, A.6.3)",
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{activity, programme};

    const RULE: &str = "phishing-simulation-overdue";

    #[test]
    fn day_before_of_and_after_the_due_date() {
        let r = programme(&[activity(
            "PH-1",
            "phishing-simulation",
            "2025-03-31",
            "completed",
        )]);
        assert!(r.check_rule(RULE, "2025-05-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-05-31"),
            ["awareness/activities.yaml:6:11: warning[phishing-simulation-overdue] The next phishing simulation is due in 30 days (on 2025-06-30); the last one, PH-1, took place on 2025-03-31, and the programme calls for one every 3 months (common practice; set `schedule.phishing-simulation` to your planned interval)"]
        );
        assert!(r.check_rule(RULE, "2025-06-29")[0].contains("is due tomorrow (on 2025-06-30)"));
        assert!(r.check_rule(RULE, "2025-06-30")[0].contains("is due today (on 2025-06-30)"));
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["awareness/activities.yaml:6:11: warning[phishing-simulation-overdue] The next phishing simulation is overdue: it was due on 2025-06-30 (1 day ago); the last one, PH-1, took place on 2025-03-31, and the programme calls for one every 3 months (common practice; set `schedule.phishing-simulation` to your planned interval)"]
        );
    }

    #[test]
    fn only_phishing_simulations_count() {
        let r = programme(&[
            activity("PH-1", "phishing-simulation", "2025-03-31", "completed"),
            activity("AW-1", "newsletter", "2025-06-15", "completed"),
            activity("PH-2", "phishing-simulation", "2025-06-20", "cancelled"),
        ]);
        assert!(r.check_rule(RULE, "2025-07-01")[0].contains("the last one, PH-1"));
        let nothing = programme(&[activity("AW-1", "newsletter", "2025-06-15", "completed")]);
        assert_eq!(
            nothing.check_rule(RULE, "2025-07-01"),
            ["isms.yaml:1:1: warning[phishing-simulation-overdue] No phishing simulation is recorded: simulations show whether people recognise and report phishing (7.3, A.6.3), and the programme calls for one every 3 months (common practice; set `schedule.phishing-simulation` to your planned interval)"]
        );
    }

    #[test]
    fn planned_simulations_cover_and_then_fall_due() {
        let r = programme(&[
            activity("PH-1", "phishing-simulation", "2025-03-31", "completed"),
            activity("PH-2", "phishing-simulation", "2025-06-30", "planned"),
        ]);
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["awareness/activities.yaml:11:11: warning[phishing-simulation-overdue] Planned phishing simulation PH-2 is overdue: it was due on 2025-06-30 (1 day ago); it is not recorded as completed, and the last one, PH-1, took place on 2025-03-31"]
        );
        let first = programme(&[activity(
            "PH-1",
            "phishing-simulation",
            "2024-02-29",
            "planned",
        )]);
        assert!(first.check_rule(RULE, "2024-02-29").is_empty());
        assert!(first.check_rule(RULE, "2024-03-01")[0].contains(
            "Planned phishing simulation PH-1 is overdue: it was due on 2024-02-29 (1 day ago); it is not recorded as completed, and no phishing simulation has taken place yet"
        ));
    }

    #[test]
    fn month_ends_and_leap_days() {
        // 31 August + 6 months = 28 February.
        let r = programme(&[activity(
            "PH-1",
            "phishing-simulation",
            "2025-08-31",
            "completed",
        )])
        .manifest("organisation:\n  name: T\nschedule:\n  phishing-simulation: 6 months\n");
        assert!(r.check_rule(RULE, "2026-02-28")[0].contains("is due today (on 2026-02-28)"));
        assert!(
            r.check_rule(RULE, "2026-03-01")[0].contains("it was due on 2026-02-28 (1 day ago)")
        );
        // 30 November 2023 + 3 months = 29 February 2024.
        let leap = programme(&[activity(
            "PH-1",
            "phishing-simulation",
            "2023-11-30",
            "completed",
        )]);
        assert!(leap.check_rule(RULE, "2024-02-29")[0].contains("is due today (on 2024-02-29)"));
        assert!(
            leap.check_rule(RULE, "2024-03-01")[0].contains("it was due on 2024-02-29 (1 day ago)")
        );
    }

    #[test]
    fn options_severity_horizon_and_off() {
        let r = |lint: &str| {
            programme(&[activity("PH-1", "phishing-simulation", "2025-03-31", "completed")])
                .manifest(&format!(
                    "organisation:\n  name: T\nschedule:\n  phishing-simulation: 1 month\nlint:\n  rules:\n    phishing-simulation-overdue:{lint}\n"
                ))
        };
        assert!(r(" warning").check_rule(RULE, "2025-05-01")[0]
            .contains("it was due on 2025-04-30 (1 day ago); the last one, PH-1, took place on 2025-03-31, and the programme calls for one every month"));
        assert!(
            r("\n      interval: 2 months").check_rule(RULE, "2025-05-31")[0]
                .contains("is due today")
        );
        assert!(r(" error").check_rule(RULE, "2025-05-01")[0]
            .contains("error[phishing-simulation-overdue]"));
        assert!(r(" off").check_rule(RULE, "2026-01-01").is_empty());
        let horizon = r("\n      horizon: 1 week");
        assert!(horizon.check_rule(RULE, "2025-04-22").is_empty());
        assert!(horizon.check_rule(RULE, "2025-04-23")[0].contains("is due in 7 days"));
    }
}

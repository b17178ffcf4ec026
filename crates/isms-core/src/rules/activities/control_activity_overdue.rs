use chrono::NaiveDate;

use crate::config::Level;
use crate::finding::Severity;
use crate::model::{ActivityStatus, ActivityType, Kind, Standard};
use crate::rules::{Category, Deadline, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::{FileId, Span};

/// A recurring control activity not performed within its interval.
pub struct ControlActivityOverdue;

static META: RuleMeta = RuleMeta {
    id: RuleId::ControlActivityOverdue,
    category: Category::Activities,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 8.1, 9.1; the Annex A controls the activity operates (such as 5.18, 8.13, 8.8)",
    summary: "A recurring control activity has not been performed within its interval",
    what: "Each active `control-activity` is due one interval (`every`) after its last \
performance: the latest `control-performance` naming it in `activity` and dated on or before \
the day of the check. With no performance yet, the first is due one interval after the \
activity's `start`. Inside the warning window (the activity's `warn`, else the rule's \
`horizon`) a warning says how many days are left; after the due date it is an error, located \
at the date that set the clock. Retired activities (`status: retired`) are not checked; one \
with a `retired` date is checked before that day only, and no performance is due on or after \
it. An \
activity kept by the awareness programme (`awareness: phishing-simulation`, say) is left to \
`phishing-simulation-overdue` or `awareness-programme-gap`, so one lapse is one finding; with \
that rule turned off, this rule checks it, counting the completed awareness activities of \
that type as its performances.",
    why: "8.1 requires the organisation to carry out its processes as planned and keep \
documented information showing they were; 9.1 requires it to determine when monitoring is \
performed. Controls such as the access review (Annex A 5.18), the backup restore test (8.13) \
or vulnerability scanning (8.8) work only when they are operated at the interval the \
organisation set itself: at a surveillance audit the auditor samples exactly these clocks. \
ISO/IEC 27001 sets no interval for any of them: each activity declares its own.",
    example: crate::rules::Example::new(
        &[
            (
                "activities/user-access-review.yaml",
                r#"kind: control-activity
id: ACT-UAR
title: Quarterly user access review
controls: ["5.18"]
owner: dokafor
every: 3 months
start: 2025-01-01
"#,
            ),
            (
                "activities/performances.yaml",
                r#"kind: control-performance
entries:
  - id: PERF-UAR-2025-Q1
    activity: ACT-UAR
    date: 2025-03-27
    performed-by: dokafor
    outcome: pass
"#,
            ),
        ],
        "2025-07-10",
        &[(
            "activities/performances.yaml",
            r#"kind: control-performance
entries:
  - id: PERF-UAR-2025-Q1
    activity: ACT-UAR
    date: 2025-03-27
    performed-by: dokafor
    outcome: pass
  - id: PERF-UAR-2025-Q2
    activity: ACT-UAR
    date: 2025-06-26
    performed-by: dokafor
    outcome: pass
"#,
        )],
    ),
    fix: "Perform the activity and record it as a `kind: control-performance` with \
`activity:` the activity's id, its `date`, `outcome` and evidence. If the interval no longer \
fits, change the activity's `every`; an activity no longer carried out gets `retired:` the \
day it stopped (or `status: retired`).",
    options: &[],
    deadlines: true,
};

const HELP: &str = "Perform the activity and record it as a `kind: control-performance` with `activity:` its id, the date, the outcome and the evidence.";

impl Rule for ControlActivityOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        if cx.stop_on_unread(
            Kind::ControlPerformance,
            super::PERFORMANCE_FIELDS,
            "control performance",
            "performances",
        ) {
            return;
        }
        let repo = cx.repo;
        let by_activity = super::performances_by_activity(repo);
        for (record, activity) in repo.control_activities() {
            if !activity.is_active_on(cx.as_of)
                || record.unreadable_any(&[
                    "every",
                    "start",
                    "status",
                    "retired",
                    "warn",
                    "awareness",
                ])
            {
                continue;
            }
            // The last performance on or before the day of the check.
            let mut last: Option<(NaiveDate, String, FileId, Span)> = by_activity
                .get(activity.id.as_str())
                .into_iter()
                .flatten()
                .filter(|(_, p)| p.done_by(cx.as_of))
                .max_by_key(|(r, p)| (p.date, r.file, r.node.span.start))
                .map(|(r, p)| (p.date, p.id.clone(), r.file, r.span(["date"])));
            if let Some(kind) = activity.awareness {
                if cx.level_of(awareness_rule(kind)) != Level::Off {
                    continue;
                }
                let held = repo
                    .activities()
                    .filter(|(_, a)| {
                        a.activity_type == kind
                            && a.status_on(cx.as_of) == ActivityStatus::Completed
                    })
                    .max_by_key(|(_, a)| a.date);
                if let Some((r, a)) = held {
                    if last.as_ref().is_none_or(|(d, ..)| a.date > *d) {
                        last = Some((a.date, a.id.clone(), r.file, r.span(["date"])));
                    }
                }
            }
            let every = activity.every;
            let (due, file, span, reason) = match last {
                Some((date, id, file, span)) => (
                    every.after(date),
                    file,
                    span,
                    format!("last performed on {date} ({id}), and the activity is done every {every}"),
                ),
                None => (
                    every.after(activity.start),
                    record.file,
                    record.span(["start"]),
                    format!(
                        "started on {} and not performed since, and the activity is done every {every}",
                        activity.start
                    ),
                ),
            };
            // An activity retired by the due date owes no performance.
            if !activity.is_active_on(due) {
                continue;
            }
            let deadline = Deadline {
                rule: META.id,
                what: format!(
                    "the next performance of control activity {} ({})",
                    activity.id,
                    activity.title.trim()
                ),
                due,
                file,
                span,
                record_id: Some(activity.id.clone()),
                reason,
            };
            match activity.warn {
                Some(window) => cx.deadline_within(deadline, Some(HELP), window),
                None => cx.deadline(deadline, Some(HELP)),
            };
        }
    }
}

/// The awareness rule that reports a lapse of activities of `kind`.
fn awareness_rule(kind: ActivityType) -> RuleId {
    match kind {
        ActivityType::PhishingSimulation => RuleId::PhishingSimulationOverdue,
        _ => RuleId::AwarenessProgrammeGap,
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "control-activity-overdue";

    fn activity(every: &str, start: &str, extra: &str) -> String {
        format!("kind: control-activity\nid: ACT-1\ntitle: Privileged access review\ncontrols: [\"8.2\"]\nowner: Ann\nevery: {every}\nstart: {start}\n{extra}")
    }

    fn performances(dates: &[&str]) -> String {
        let mut s = String::from("kind: control-performance\nentries:\n");
        for (i, d) in dates.iter().enumerate() {
            s.push_str(&format!(
                "  - id: P-{i}\n    activity: ACT-1\n    date: {d}\n    outcome: pass\n"
            ));
        }
        s
    }

    fn repo(every: &str, start: &str, dates: &[&str]) -> TestRepo {
        TestRepo::new()
            .file("activities/act.yaml", &activity(every, start, ""))
            .file("activities/perf.yaml", &performances(dates))
    }

    #[test]
    fn the_first_performance_is_due_one_interval_after_the_start() {
        let r = repo("3 months", "2025-01-15", &[]);
        let reason = "started on 2025-01-15 and not performed since, and the activity is done every 3 months";
        assert!(r.check_rule(RULE, "2025-03-15").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-03-16"),
            [format!("activities/act.yaml:7:8: warning[control-activity-overdue] The next performance of control activity ACT-1 (Privileged access review) is due in 30 days (on 2025-04-15); {reason}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2025-04-15"),
            [format!("activities/act.yaml:7:8: warning[control-activity-overdue] The next performance of control activity ACT-1 (Privileged access review) is due today (on 2025-04-15); {reason}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2025-04-16"),
            [format!("activities/act.yaml:7:8: error[control-activity-overdue] The next performance of control activity ACT-1 (Privileged access review) is overdue: it was due on 2025-04-15 (1 day ago); {reason}")]
        );
    }

    #[test]
    fn day_before_of_and_after_the_due_date() {
        let r = repo("1 month", "2025-01-01", &["2025-01-20", "2025-02-14"]).horizon_days(7);
        let reason = "last performed on 2025-02-14 (P-1), and the activity is done every 1 month";
        assert!(r.check_rule(RULE, "2025-02-14").is_empty());
        assert!(r.check_rule(RULE, "2025-03-06").is_empty());
        assert!(r.check_rule(RULE, "2025-03-07")[0].contains("is due in 7 days (on 2025-03-14)"));
        assert_eq!(
            r.check_rule(RULE, "2025-03-13"),
            [format!("activities/perf.yaml:9:11: warning[control-activity-overdue] The next performance of control activity ACT-1 (Privileged access review) is due tomorrow (on 2025-03-14); {reason}")]
        );
        assert!(r.check_rule(RULE, "2025-03-14")[0].contains("is due today (on 2025-03-14)"));
        assert_eq!(
            r.check_rule(RULE, "2025-03-15"),
            [format!("activities/perf.yaml:9:11: error[control-activity-overdue] The next performance of control activity ACT-1 (Privileged access review) is overdue: it was due on 2025-03-14 (1 day ago); {reason}")]
        );
    }

    #[test]
    fn month_ends_and_29_february() {
        // Performed on 31 January: due on the last day of February.
        let r = repo("1 month", "2027-12-01", &["2028-01-31"]);
        assert!(r.check_rule(RULE, "2028-02-29")[0].contains("is due today (on 2028-02-29)"));
        assert!(r.check_rule(RULE, "2028-03-01")[0]
            .contains("is overdue: it was due on 2028-02-29 (1 day ago)"));
        let common = repo("1 month", "2026-12-01", &["2027-01-31"]);
        assert!(common.check_rule(RULE, "2027-02-28")[0].contains("is due today (on 2027-02-28)"));
        assert!(common.check_rule(RULE, "2027-03-01")[0].contains("(1 day ago)"));
        // Performed on 29 February: a month later is 29 March, a year later
        // 28 February.
        let leap = repo("1 month", "2028-01-01", &["2028-02-29"]);
        assert!(leap.check_rule(RULE, "2028-03-29")[0].contains("is due today (on 2028-03-29)"));
        assert!(leap.check_rule(RULE, "2028-03-30")[0].contains("(1 day ago)"));
        let yearly = repo("1 year", "2027-06-01", &["2028-02-29"]);
        assert!(yearly.check_rule(RULE, "2029-02-28")[0].contains("is due today (on 2029-02-28)"));
        assert!(yearly.check_rule(RULE, "2029-03-01")[0]
            .contains("is overdue: it was due on 2029-02-28 (1 day ago)"));
    }

    #[test]
    fn a_performance_dated_later_had_not_happened_yet() {
        let r = repo("3 months", "2025-01-01", &["2025-03-20", "2025-06-20"]);
        // On 2025-06-19 the June performance was still ahead: due 2025-06-20.
        assert!(r.check_rule(RULE, "2025-06-19")[0].contains("(P-0)"));
        assert!(r.check_rule(RULE, "2025-06-21").is_empty());
    }

    #[test]
    fn the_activity_sets_its_own_warning_window() {
        let r = TestRepo::new()
            .file(
                "activities/act.yaml",
                &activity("1 year", "2025-01-01", "warn: 60 days\n"),
            )
            .file("activities/perf.yaml", &performances(&[]));
        assert!(r.check_rule(RULE, "2025-11-01").is_empty());
        assert!(r.check_rule(RULE, "2025-11-02")[0].contains("is due in 60 days (on 2026-01-01)"));
    }

    #[test]
    fn retired_activities_and_other_activities_performances() {
        let retired = TestRepo::new().file(
            "activities/act.yaml",
            &activity("1 month", "2020-01-01", "status: retired\n"),
        );
        assert!(retired.check_rule(RULE, "2025-01-01").is_empty());
        let other = TestRepo::new()
            .file("activities/act.yaml", &activity("1 month", "2025-01-01", ""))
            .file(
                "activities/perf.yaml",
                "kind: control-performance\nid: P-9\nactivity: ACT-2\ndate: 2025-02-25\noutcome: pass\n",
            );
        assert!(other.check_rule(RULE, "2025-03-01")[0].contains("is overdue"));
    }

    #[test]
    fn an_activity_retired_on_a_day_is_checked_before_it_only() {
        // Performed monthly, last on 31 January 2028: due 29 February.
        let retiring = |day: &str| {
            TestRepo::new()
                .file(
                    "activities/act.yaml",
                    &activity("1 month", "2027-12-01", &format!("retired: {day}\n")),
                )
                .file("activities/perf.yaml", &performances(&["2028-01-31"]))
        };
        // Retired the day after the due date: due, then overdue, then silent.
        let r = retiring("2028-03-01");
        assert!(r.check_rule(RULE, "2028-02-28")[0].contains("is due tomorrow (on 2028-02-29)"));
        assert!(r.check_rule(RULE, "2028-02-29")[0].contains("is due today (on 2028-02-29)"));
        assert!(
            r.check_rule(RULE, "2028-03-01").is_empty(),
            "retired that day"
        );
        assert!(r.check_rule(RULE, "2028-03-02").is_empty());
        // Retired on the due date: nothing is due any more, nor warned of.
        let r = retiring("2028-02-29");
        assert!(r.check_rule(RULE, "2028-02-20").is_empty());
        assert!(r.check_rule(RULE, "2028-02-29").is_empty());
        assert!(r.check_rule(RULE, "2028-03-01").is_empty());
        // Retired the day before the due date: the same.
        let r = retiring("2028-02-28");
        assert!(r.check_rule(RULE, "2028-02-27").is_empty());
        assert!(r.check_rule(RULE, "2028-03-01").is_empty());
        // A performance overdue before the retirement is reported until it.
        let r = retiring("2028-03-10");
        assert!(r.check_rule(RULE, "2028-03-09")[0]
            .contains("is overdue: it was due on 2028-02-29 (9 days ago)"));
        assert!(r.check_rule(RULE, "2028-03-10").is_empty());
        // The date rules whatever the status says.
        let r = TestRepo::new().file(
            "activities/act.yaml",
            &activity(
                "1 month",
                "2025-01-01",
                "status: retired\nretired: 2025-06-30\n",
            ),
        );
        assert!(r.check_rule(RULE, "2025-03-01")[0].contains("is overdue"));
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn a_performance_in_markdown_counts() {
        let r = TestRepo::new()
            .file("activities/act.yaml", &activity("1 month", "2025-01-01", ""))
            .file(
                "activities/2025-02-review.md",
                "---\nkind: control-performance\nid: P-1\nactivity: ACT-1\ndate: 2025-02-25\noutcome: pass\n---\n# Review\n",
            );
        assert!(r.check_rule(RULE, "2025-02-24")[0].contains("started on 2025-01-01"));
        assert!(r.check_rule(RULE, "2025-03-26")[0].contains("last performed on 2025-02-25 (P-1)"));
    }

    /// A phishing simulation that lapses is one finding: the awareness
    /// rule's, not this one's too.
    #[test]
    fn a_lapse_kept_by_the_awareness_programme_is_reported_once() {
        let r = TestRepo::new()
            .file(
                "activities/act.yaml",
                &activity("3 months", "2025-01-01", "awareness: phishing-simulation\n"),
            )
            .file(
                "awareness/2025.yaml",
                "kind: awareness-activity\nentries:\n  - id: PH-1\n    title: Phishing\n    type: phishing-simulation\n    date: 2025-02-10\n    status: completed\n",
            );
        let all = r.check("2025-06-01");
        let lapses: Vec<_> = all
            .iter()
            .filter(|l| {
                l.contains("[control-activity-overdue]")
                    || l.contains("[phishing-simulation-overdue]")
            })
            .collect();
        assert_eq!(lapses.len(), 1, "{all:#?}");
        assert!(lapses[0].contains("[phishing-simulation-overdue]"));
        // With the awareness rule off, this rule reports it, from the same
        // awareness activity.
        let off = r.manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    phishing-simulation-overdue: off\n",
        );
        assert_eq!(
            off.check_rule(RULE, "2025-06-01"),
            ["awareness/2025.yaml:6:11: error[control-activity-overdue] The next performance of control activity ACT-1 (Privileged access review) is overdue: it was due on 2025-05-10 (22 days ago); last performed on 2025-02-10 (PH-1), and the activity is done every 3 months"]
        );
    }

    /// One cause, one finding: a performance whose date cannot be read may
    /// be the latest, so the activity is not reported overdue from an
    /// older one; the impossible date is the finding.
    #[test]
    fn an_impossible_performance_date_is_reported_once() {
        let r = repo("1 month", "2025-01-01", &["2025-01-20", "2025-02-30"]);
        let got: Vec<String> = r
            .check("2025-06-01")
            .into_iter()
            .filter(|l| l.starts_with("activities/"))
            .collect();
        assert_eq!(got.len(), 1, "{got:#?}");
        assert!(got[0].contains("error[invalid-date]"), "{got:#?}");
        // An exceptions outcome that cannot be read is not reported either.
        let bad = TestRepo::new()
            .file("activities/act.yaml", &activity("1 month", "2025-01-01", "evidence: [log]\n"))
            .file(
                "activities/perf.yaml",
                "kind: control-performance\nid: P-1\nactivity: ACT-1\ndate: 2025-05-20\noutcome: exception\nevidence: ../log.txt\n",
            );
        let got: Vec<String> = bad
            .check("2025-06-30")
            .into_iter()
            .filter(|l| l.starts_with("activities/"))
            .collect();
        assert_eq!(
            got,
            [
                "activities/perf.yaml:5:10: error[schema-violation] `outcome` must be one of pass, exceptions or failed — found \"exception\"; did you mean `exceptions`?",
                // The only performance is lost: said once, at the cause.
                "activities/perf.yaml:5:10: error[control-activity-overdue] No control performance could be read: control performance P-1 could not be read (schema-violation, activities/perf.yaml:5); whether one is due cannot be checked until it can be read",
                "activities/perf.yaml:6:11: error[schema-violation] `evidence` must be a list — found \"../log.txt\"",
            ]
        );
    }

    #[test]
    fn the_deadline_is_data_even_when_far_away() {
        let report = repo("1 year", "2025-06-30", &[]).report("2025-07-01");
        let d: Vec<_> = report.deadlines.iter().filter(|d| d.rule == RULE).collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].due.to_string(), "2026-06-30");
    }
}

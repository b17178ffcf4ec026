use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::ScheduleKey;
use crate::model::Standard;
use crate::rules::{
    Basis, Category, Deadline, IntervalSource, Opt, Rule, RuleContext, RuleId, RuleMeta,
};

/// An open risk not reviewed within its planned interval.
pub struct RiskReviewOverdue;

const INTERVAL: Opt<Interval> = Opt::new(
    "interval",
    "12 months",
    "How often each risk is reviewed, when the risk has no `review-interval` of its own.",
    Basis::Practice,
)
.follows(ScheduleKey::RiskReview);

static META: RuleMeta = RuleMeta {
    id: RuleId::RiskReviewOverdue,
    category: Category::Risk,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 8.2, 6.1.2",
    summary: "An open risk has not been reviewed within its planned interval",
    what: "Each open risk is due for review one interval after its last review (`reviewed`), \
or after it was identified (`identified`) if it has never been reviewed. The interval is the \
risk's own `review-interval`, else `schedule.risk-review` in `isms.yaml`, else 12 months. \
Inside the warning window (30 days by default) a warning says how many days are left; after \
the due date it is an error. An open risk with neither date is reported as never reviewed. \
Closed risks (`status: closed`) are not checked.",
    why: "8.2 requires the organisation to perform information security risk assessments at \
planned intervals, and to retain their results; 6.1.2 requires those assessments to give \
consistent, valid and comparable results. The auditor samples the risk register and compares \
each risk's last review with the interval you declared: a risk not looked at for longer than \
your own plan says is a nonconformity with 8.2. ISO/IEC 27001 sets no interval: 12 months is \
common practice (a yearly refresh, plus reviews on significant change), used only when you \
declare none.",
    example: crate::rules::Example::new(
        &[(
            "risks/RISK-004.yaml",
            r#"kind: risk
id: RISK-004
title: Vulnerable open-source dependency in the platform
owner: dokafor
identified: 2023-10-04
likelihood: 3
impact: 4
treatment: mitigate
controls: ["8.8", "8.28"]
reviewed: 2025-02-17
"#,
        )],
        "2026-03-01",
        &[(
            "risks/RISK-004.yaml",
            r#"kind: risk
id: RISK-004
title: Vulnerable open-source dependency in the platform
owner: dokafor
identified: 2023-10-04
likelihood: 3
impact: 4
treatment: mitigate
controls: ["8.8", "8.28"]
reviewed: 2026-02-24
"#,
        )],
    ),
    fix: "Review the risk with its owner — is the likelihood and impact still right, is the \
treatment working, is the residual risk still acceptable? — and record the day in \
`reviewed`. A risk that no longer applies is closed with `status: closed`. If your planned \
interval differs, declare it in `schedule.risk-review` (or per risk in `review-interval`).",
    options: &[INTERVAL.def],
    deadlines: true,
};

const HELP: &str = "8.2 requires risk assessments at planned intervals: reassess the risk's likelihood, impact and treatment with its owner, then record the day in `reviewed`.";

impl Rule for RiskReviewOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for (record, risk) in cx.repo.risks() {
            // A date that could not be read is reported where it is, and
            // is not a review that never happened.
            if !risk.is_open()
                || record.unreadable_any(&["status", "reviewed", "identified", "review-interval"])
            {
                continue;
            }
            let (interval, source) = match risk.review_interval {
                Some(iv) => (iv, IntervalSource::Own("review-interval")),
                None => cx.scheduled(&INTERVAL),
            };
            let (from, field, reason) = match (risk.reviewed, risk.identified) {
                (Some(reviewed), _) => (
                    reviewed,
                    "reviewed",
                    format!("last reviewed on {reviewed}, with a review interval of {interval} ({source})"),
                ),
                (None, Some(identified)) => (
                    identified,
                    "identified",
                    format!("identified on {identified} and not reviewed since, with a review interval of {interval} ({source})"),
                ),
                (None, None) => {
                    let f = cx
                        .finding(record.file, record.id_span())
                        .message(format!(
                            "Risk {} has never been reviewed: it has no `reviewed` date (nor an `identified` date), so nothing shows it was assessed as 8.2 requires",
                            risk.id
                        ))
                        .help("Record the day the risk was last assessed in `reviewed`.")
                        .record(Some(&risk.id))
                        .key("reviewed");
                    cx.emit(f);
                    continue;
                }
            };
            cx.deadline(
                Deadline {
                    rule: META.id,
                    what: format!("the review of risk {}", risk.id),
                    due: interval.after(from),
                    file: record.file,
                    span: record.span([field]),
                    record_id: Some(risk.id.clone()),
                    reason,
                },
                Some(HELP),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "risk-review-overdue";

    fn risk(extra: &str) -> String {
        format!("kind: risk\nid: RISK-1\ntitle: Laptop theft\nowner: Ann\n{extra}")
    }

    fn repo(extra: &str) -> TestRepo {
        TestRepo::new().file("risks/r.yaml", &risk(extra))
    }

    fn with_schedule(extra: &str, schedule: &str) -> TestRepo {
        repo(extra).manifest(&format!(
            "organisation:\n  name: T\nschedule:\n  risk-review: {schedule}\n"
        ))
    }

    #[test]
    fn silent_while_the_review_is_far_off() {
        let r = repo("identified: 2024-01-10\nreviewed: 2025-06-30\n");
        assert!(r.check_rule(RULE, "2025-07-01").is_empty());
        assert!(r.check_rule(RULE, "2026-05-30").is_empty());
    }

    #[test]
    fn day_before_of_and_after_the_deadline() {
        let r = repo("reviewed: 2024-06-30\n");
        assert_eq!(
            r.check_rule(RULE, "2025-05-31"),
            ["risks/r.yaml:5:11: warning[risk-review-overdue] The review of risk RISK-1 is due in 30 days (on 2025-06-30); last reviewed on 2024-06-30, with a review interval of 1 year (common practice; set `schedule.risk-review` to your planned interval)"]
        );
        assert!(r.check_rule(RULE, "2025-05-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-06-29"),
            ["risks/r.yaml:5:11: warning[risk-review-overdue] The review of risk RISK-1 is due tomorrow (on 2025-06-30); last reviewed on 2024-06-30, with a review interval of 1 year (common practice; set `schedule.risk-review` to your planned interval)"]
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-30"),
            ["risks/r.yaml:5:11: warning[risk-review-overdue] The review of risk RISK-1 is due today (on 2025-06-30); last reviewed on 2024-06-30, with a review interval of 1 year (common practice; set `schedule.risk-review` to your planned interval)"]
        );
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["risks/r.yaml:5:11: error[risk-review-overdue] The review of risk RISK-1 is overdue: it was due on 2025-06-30 (1 day ago); last reviewed on 2024-06-30, with a review interval of 1 year (common practice; set `schedule.risk-review` to your planned interval)"]
        );
    }

    #[test]
    fn the_schedule_sets_the_interval_and_month_ends_clamp() {
        // 31 August + 6 months is the last day of February.
        let r = with_schedule("reviewed: 2025-08-31\n", "6 months");
        assert_eq!(
            r.check_rule(RULE, "2026-02-28"),
            ["risks/r.yaml:5:11: warning[risk-review-overdue] The review of risk RISK-1 is due today (on 2026-02-28); last reviewed on 2025-08-31, with a review interval of 6 months (`schedule.risk-review`)"]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-03-01"),
            ["risks/r.yaml:5:11: error[risk-review-overdue] The review of risk RISK-1 is overdue: it was due on 2026-02-28 (1 day ago); last reviewed on 2025-08-31, with a review interval of 6 months (`schedule.risk-review`)"]
        );
        // In a leap year, 29 February.
        let leap = with_schedule("reviewed: 2023-08-31\n", "6 months");
        assert!(leap.check_rule(RULE, "2024-02-29")[0].contains("is due today (on 2024-02-29)"));
        assert!(leap.check_rule(RULE, "2024-03-01")[0]
            .contains("is overdue: it was due on 2024-02-29 (1 day ago)"));
    }

    #[test]
    fn reviewed_on_29_february() {
        // A year after 29 February is 28 February.
        let r = with_schedule("reviewed: 2024-02-29\n", "12 months");
        assert!(r.check_rule(RULE, "2025-02-28")[0].contains("is due today (on 2025-02-28)"));
        assert_eq!(
            r.check_rule(RULE, "2025-03-01"),
            ["risks/r.yaml:5:11: error[risk-review-overdue] The review of risk RISK-1 is overdue: it was due on 2025-02-28 (1 day ago); last reviewed on 2024-02-29, with a review interval of 1 year (`schedule.risk-review`)"]
        );
    }

    #[test]
    fn never_reviewed_risks_run_from_their_identification() {
        let r = with_schedule("identified: 2025-01-15\n", "6 months");
        assert_eq!(
            r.check_rule(RULE, "2025-07-16"),
            ["risks/r.yaml:5:13: error[risk-review-overdue] The review of risk RISK-1 is overdue: it was due on 2025-07-15 (1 day ago); identified on 2025-01-15 and not reviewed since, with a review interval of 6 months (`schedule.risk-review`)"]
        );
        // A review resets the clock, wherever the keys are.
        let reviewed = with_schedule("reviewed: 2025-07-01\nidentified: 2025-01-15\n", "6 months");
        assert!(reviewed.check_rule(RULE, "2025-07-16").is_empty());
    }

    #[test]
    fn a_risk_without_dates_has_never_been_reviewed() {
        assert_eq!(
            repo("likelihood: 2\n").check_rule(RULE, "2025-01-01"),
            ["risks/r.yaml:2:5: error[risk-review-overdue] Risk RISK-1 has never been reviewed: it has no `reviewed` date (nor an `identified` date), so nothing shows it was assessed as 8.2 requires"]
        );
    }

    #[test]
    fn closed_risks_are_not_checked() {
        assert!(repo("status: closed\nreviewed: 2020-01-01\n")
            .check_rule(RULE, "2025-01-01")
            .is_empty());
        assert!(repo("status: closed\n")
            .check_rule(RULE, "2025-01-01")
            .is_empty());
        assert_eq!(
            repo("status: open\nreviewed: 2020-01-01\n")
                .check_rule(RULE, "2025-01-01")
                .len(),
            1
        );
    }

    #[test]
    fn a_risk_can_set_its_own_interval() {
        let r = with_schedule(
            "reviewed: 2025-01-31\nreview-interval: 3 months\n",
            "12 months",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-05-01"),
            ["risks/r.yaml:5:11: error[risk-review-overdue] The review of risk RISK-1 is overdue: it was due on 2025-04-30 (1 day ago); last reviewed on 2025-01-31, with a review interval of 3 months (its own `review-interval`)"]
        );
    }

    #[test]
    fn registers_are_checked_entry_by_entry() {
        let r = TestRepo::new().file(
            "risks/register.yaml",
            "kind: risk\nentries:\n  - id: RISK-1\n    title: A\n    reviewed: 2025-01-01\n  - id: RISK-2\n    title: B\n    reviewed: 2024-01-01\n  - id: RISK-3\n    title: C\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "risks/register.yaml:8:15: error[risk-review-overdue] The review of risk RISK-2 is overdue: it was due on 2025-01-01 (151 days ago); last reviewed on 2024-01-01, with a review interval of 1 year (common practice; set `schedule.risk-review` to your planned interval)",
                "risks/register.yaml:9:9: error[risk-review-overdue] Risk RISK-3 has never been reviewed: it has no `reviewed` date (nor an `identified` date), so nothing shows it was assessed as 8.2 requires",
            ]
        );
    }

    #[test]
    fn configuration() {
        let manifest = |rule: &str| {
            format!("organisation:\n  name: T\nschedule:\n  risk-review: 12 months\nlint:\n  rules:\n    risk-review-overdue:{rule}\n")
        };
        // The rule's option overrides the schedule; a risk's own interval overrides both.
        let opt = repo("reviewed: 2025-01-31\n").manifest(&manifest(
            "\n      interval: 1 month\n      horizon: 7 days",
        ));
        assert_eq!(
            opt.check_rule(RULE, "2025-02-21"),
            ["risks/r.yaml:5:11: warning[risk-review-overdue] The review of risk RISK-1 is due in 7 days (on 2025-02-28); last reviewed on 2025-01-31, with a review interval of 1 month (`lint.rules.risk-review-overdue.interval`)"]
        );
        assert!(opt.check_rule(RULE, "2025-02-20").is_empty());
        let own = repo("reviewed: 2025-01-31\nreview-interval: 2 months\n")
            .manifest(&manifest("\n      interval: 1 month"));
        assert!(own.check_rule(RULE, "2025-02-28").is_empty());
        let warn = repo("reviewed: 2020-01-01\n").manifest(&manifest("\n      severity: warning"));
        assert!(warn.check_rule(RULE, "2025-01-01")[0].starts_with(
            "risks/r.yaml:5:11: warning[risk-review-overdue] The review of risk RISK-1 is overdue"
        ));
        let off = repo("reviewed: 2020-01-01\n").manifest(&manifest(" off"));
        assert!(off.check_rule(RULE, "2025-01-01").is_empty());
        // --horizon on the command line.
        let r = repo("reviewed: 2024-06-30\n").horizon_days(60);
        assert!(r.check_rule(RULE, "2025-05-01")[0].contains("is due in 60 days"));
    }

    #[test]
    fn the_deadline_is_data_even_when_far_away() {
        let report = repo("reviewed: 2025-06-30\n").report("2025-07-01");
        let d: Vec<_> = report.deadlines.iter().filter(|d| d.rule == RULE).collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].due.to_string(), "2026-06-30");
        assert_eq!(d[0].record_id.as_deref(), Some("RISK-1"));
    }
}

use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::{ScheduleKey, Standard, SupplierTier};
use crate::rules::{
    Basis, Category, Deadline, IntervalSource, Opt, Rule, RuleContext, RuleId, RuleMeta,
};

/// An active supplier not reviewed within the interval of its tier.
pub struct SupplierReviewOverdue;

const CRITICAL: Opt<Interval> = Opt::new(
    "critical",
    "12 months",
    "How often a critical supplier is reviewed, when the supplier has no `review-interval` of its own.",
    Basis::Practice,
)
.follows(ScheduleKey::SupplierReviewCritical);

const HIGH: Opt<Interval> = Opt::new(
    "high",
    "12 months",
    "How often a high-tier supplier is reviewed, when the supplier has no `review-interval` of its own.",
    Basis::Practice,
)
.follows(ScheduleKey::SupplierReviewHigh);

const MEDIUM: Opt<Interval> = Opt::new(
    "medium",
    "24 months",
    "How often a medium-tier supplier is reviewed, when the supplier has no `review-interval` of its own.",
    Basis::Practice,
)
.follows(ScheduleKey::SupplierReviewMedium);

const LOW: Opt<Interval> = Opt::new(
    "low",
    "36 months",
    "How often a low-tier supplier is reviewed, when the supplier has no `review-interval` of its own.",
    Basis::Practice,
)
.follows(ScheduleKey::SupplierReviewLow);

/// The interval option of each tier.
const fn interval_of(tier: SupplierTier) -> &'static Opt<Interval> {
    match tier {
        SupplierTier::Critical => &CRITICAL,
        SupplierTier::High => &HIGH,
        SupplierTier::Medium => &MEDIUM,
        SupplierTier::Low => &LOW,
    }
}

static META: RuleMeta = RuleMeta {
    id: RuleId::SupplierReviewOverdue,
    category: Category::Suppliers,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 Annex A 5.22",
    summary: "An active supplier has not been reviewed within the interval of its tier",
    what: "Each active supplier (a `status` of `active`, or none, and onboarded by the day of \
the check) is due for review one interval after its last review, `reviewed`; a supplier never \
reviewed is due one interval after `onboarded`. The interval is the supplier's own \
`review-interval`, else the one of its `tier` in `schedule` (`supplier-review-critical`, \
`-high`, `-medium`, `-low`), else the default of the tier: 12 months for critical and high, 24 \
for medium, 36 for low. Inside the warning window (30 days by default) a warning says how many \
days are left; after the due date it is an error, located at the date that set the clock. A \
supplier with neither date is an error at its id: nothing shows it was ever reviewed. Ended \
suppliers are not checked.",
    why: "Annex A 5.22 requires the organisation to regularly monitor, review, evaluate and \
manage change in its suppliers' information security practices and service delivery; 5.19 \
and 5.20 make the supplier's risks and the agreement with it part of the ISMS. The standard \
leaves \"regularly\" to the organisation. The defaults are common practice, not a \
requirement: supplier reviews are usually tiered by risk, the most critical reviewed every \
year and the least every two to three years, or on renewal. Declare your own intervals, as \
your supplier policy sets them, in `schedule`.",
    example: crate::rules::Example::new(
        &[(
            "suppliers/aws.yaml",
            r#"kind: supplier
id: SUP-AWS
name: Amazon Web Services
services: [hosting]
tier: critical
owner: praman
onboarded: 2023-09-01
reviewed: 2025-05-19
"#,
        )],
        "2026-06-01",
        &[(
            "suppliers/aws.yaml",
            r#"kind: supplier
id: SUP-AWS
name: Amazon Web Services
services: [hosting]
tier: critical
owner: praman
onboarded: 2023-09-01
reviewed: 2026-05-27
"#,
        )],
    ),
    fix: "Review the supplier with its owner — its latest assurance, its incidents, changes to \
its service and sub-processors, whether the agreement still fits — and record the day in \
`reviewed`. A supplier no longer used gets `status: ended` and the day in `ended`. If your \
planned interval differs, declare it for the tier in `schedule.supplier-review-<tier>`, or per \
supplier in `review-interval`.",
    options: &[CRITICAL.def, HIGH.def, MEDIUM.def, LOW.def],
    deadlines: true,
};

const HELP: &str = "Annex A 5.22 requires suppliers to be regularly monitored and reviewed: review it with its owner, then record the day in `reviewed`.";

impl Rule for SupplierReviewOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for (record, supplier) in cx.repo.suppliers() {
            // A value that could not be read is reported where it is, and
            // does not move the clock.
            if record.unreadable_any(&[
                "status",
                "ended",
                "onboarded",
                "reviewed",
                "review-interval",
                "tier",
            ]) || !supplier.is_active_on(cx.as_of)
            {
                continue;
            }
            // A review dated after the day of the check had not happened on it.
            let reviewed = supplier.reviewed.filter(|&d| d <= cx.as_of);
            let (from, field) = match (reviewed, supplier.onboarded) {
                (Some(r), _) => (r, "reviewed"),
                (None, Some(o)) => (o, "onboarded"),
                (None, None) => {
                    let f = cx
                        .finding(record.file, record.id_span())
                        .message(format!(
                            "{} has no recorded review: neither `reviewed` nor `onboarded` is set",
                            crate::text::capitalise(&super::label(supplier))
                        ))
                        .record(Some(&supplier.id))
                        .help(HELP);
                    cx.emit(f);
                    continue;
                }
            };
            let (interval, source) = match supplier.review_interval {
                Some(iv) => (iv, IntervalSource::Own("review-interval")),
                None => cx.scheduled(interval_of(supplier.tier)),
            };
            let tier = supplier.tier.as_str();
            let reason = if field == "reviewed" {
                format!("last reviewed on {from}, with a review interval of {interval} for the {tier} tier ({source})")
            } else {
                format!("onboarded on {from} and not reviewed since, with a review interval of {interval} for the {tier} tier ({source})")
            };
            cx.deadline(
                Deadline {
                    rule: META.id,
                    what: format!("the review of {}", super::label(supplier)),
                    due: interval.after(from),
                    file: record.file,
                    span: record.span([field]),
                    record_id: Some(supplier.id.clone()),
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

    const RULE: &str = "supplier-review-overdue";

    fn repo(tier: &str, rest: &str) -> TestRepo {
        TestRepo::new().file(
            "suppliers/s.yaml",
            &format!("kind: supplier\nid: SUP-1\nname: Acme\ntier: {tier}\n{rest}"),
        )
    }

    fn with_schedule(tier: &str, rest: &str, schedule: &str) -> TestRepo {
        repo(tier, rest).manifest(&format!(
            "organisation:\n  name: T\nschedule:\n  {schedule}\n"
        ))
    }

    #[test]
    fn day_before_of_and_after_the_deadline() {
        let r = repo("critical", "reviewed: 2025-06-30\n");
        let reason = "last reviewed on 2025-06-30, with a review interval of 1 year for the critical tier (common practice; set `schedule.supplier-review-critical` to your planned interval)";
        assert!(r.check_rule(RULE, "2026-05-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2026-05-31"),
            [format!("suppliers/s.yaml:5:11: warning[supplier-review-overdue] The review of supplier SUP-1 (Acme) is due in 30 days (on 2026-06-30); {reason}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-06-29"),
            [format!("suppliers/s.yaml:5:11: warning[supplier-review-overdue] The review of supplier SUP-1 (Acme) is due tomorrow (on 2026-06-30); {reason}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-06-30"),
            [format!("suppliers/s.yaml:5:11: warning[supplier-review-overdue] The review of supplier SUP-1 (Acme) is due today (on 2026-06-30); {reason}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-07-01"),
            [format!("suppliers/s.yaml:5:11: error[supplier-review-overdue] The review of supplier SUP-1 (Acme) is overdue: it was due on 2026-06-30 (1 day ago); {reason}")]
        );
    }

    #[test]
    fn each_tier_has_its_default_interval() {
        for (tier, due) in [
            ("critical", "2026-01-15"),
            ("high", "2026-01-15"),
            ("medium", "2027-01-15"),
            ("low", "2028-01-15"),
        ] {
            let r = repo(tier, "reviewed: 2025-01-15\n");
            let d = r.report("2025-02-01");
            let d: Vec<_> = d.deadlines.iter().filter(|d| d.rule == RULE).collect();
            assert_eq!(d.len(), 1, "{tier}");
            assert_eq!(d[0].due.to_string(), due, "{tier}");
        }
    }

    #[test]
    fn the_schedule_sets_the_interval_of_a_tier_at_month_ends() {
        // 31 August + 6 months is the last day of February.
        let r = with_schedule(
            "high",
            "reviewed: 2025-08-31\n",
            "supplier-review-high: 6 months",
        );
        assert!(r.check_rule(RULE, "2026-02-27")[0].contains("is due tomorrow (on 2026-02-28)"));
        assert_eq!(
            r.check_rule(RULE, "2026-03-01"),
            ["suppliers/s.yaml:5:11: error[supplier-review-overdue] The review of supplier SUP-1 (Acme) is overdue: it was due on 2026-02-28 (1 day ago); last reviewed on 2025-08-31, with a review interval of 6 months for the high tier (`schedule.supplier-review-high`)"]
        );
        // The schedule of another tier does not apply.
        let other = with_schedule(
            "medium",
            "reviewed: 2025-08-31\n",
            "supplier-review-high: 6 months",
        );
        assert!(other.check_rule(RULE, "2026-03-01").is_empty());
        // In a leap year, 29 February.
        let leap = with_schedule(
            "low",
            "reviewed: 2023-08-31\n",
            "supplier-review-low: 6 months",
        );
        assert!(leap.check_rule(RULE, "2024-02-29")[0].contains("is due today (on 2024-02-29)"));
        assert!(
            leap.check_rule(RULE, "2024-03-01")[0].contains("it was due on 2024-02-29 (1 day ago)")
        );
    }

    #[test]
    fn reviewed_on_29_february() {
        let r = repo("critical", "reviewed: 2024-02-29\n");
        assert!(r.check_rule(RULE, "2025-02-28")[0].contains("is due today (on 2025-02-28)"));
        assert!(r.check_rule(RULE, "2025-03-01")[0].contains(
            "is overdue: it was due on 2025-02-28 (1 day ago); last reviewed on 2024-02-29"
        ));
    }

    #[test]
    fn a_supplier_never_reviewed_is_due_one_interval_after_onboarding() {
        let r = repo("medium", "onboarded: 2024-03-31\n");
        assert!(r.check_rule(RULE, "2026-03-31")[0].contains("is due today"));
        assert_eq!(
            r.check_rule(RULE, "2026-04-01"),
            ["suppliers/s.yaml:5:12: error[supplier-review-overdue] The review of supplier SUP-1 (Acme) is overdue: it was due on 2026-03-31 (1 day ago); onboarded on 2024-03-31 and not reviewed since, with a review interval of 2 years for the medium tier (common practice; set `schedule.supplier-review-medium` to your planned interval)"]
        );
        // A review after the day of the check had not happened yet.
        let later = repo("medium", "onboarded: 2024-03-31\nreviewed: 2026-05-01\n");
        assert!(later.check_rule(RULE, "2026-04-01")[0].contains("onboarded on 2024-03-31"));
        assert!(later.check_rule(RULE, "2026-05-01").is_empty());
    }

    #[test]
    fn a_supplier_without_any_date_has_no_recorded_review() {
        assert_eq!(
            repo("low", "").check_rule(RULE, "2026-01-01"),
            ["suppliers/s.yaml:2:5: error[supplier-review-overdue] Supplier SUP-1 (Acme) has no recorded review: neither `reviewed` nor `onboarded` is set"]
        );
    }

    #[test]
    fn ended_and_future_suppliers_are_not_checked() {
        let ended = repo(
            "critical",
            "reviewed: 2020-01-01\nstatus: ended\nended: 2025-06-30\n",
        );
        assert_eq!(ended.check_rule(RULE, "2025-06-29").len(), 1);
        assert!(ended.check_rule(RULE, "2025-06-30").is_empty());
        assert!(repo("critical", "status: ended\n")
            .check_rule(RULE, "2025-06-30")
            .is_empty());
        let future = repo("critical", "onboarded: 2026-01-01\n");
        assert!(future.check_rule(RULE, "2025-12-31").is_empty());
    }

    #[test]
    fn own_interval_and_configuration() {
        let own = repo("low", "reviewed: 2025-01-31\nreview-interval: 1 month\n");
        assert_eq!(
            own.check_rule(RULE, "2025-03-01"),
            ["suppliers/s.yaml:5:11: error[supplier-review-overdue] The review of supplier SUP-1 (Acme) is overdue: it was due on 2025-02-28 (1 day ago); last reviewed on 2025-01-31, with a review interval of 1 month for the low tier (its own `review-interval`)"]
        );
        let opt = repo("critical", "reviewed: 2025-01-31\n").manifest(
            "organisation:\n  name: T\nschedule:\n  supplier-review-critical: 1 year\nlint:\n  rules:\n    supplier-review-overdue:\n      critical: 3 months\n      horizon: 0 days\n",
        );
        assert!(opt.check_rule(RULE, "2025-04-29").is_empty());
        assert_eq!(
            opt.check_rule(RULE, "2025-04-30"),
            ["suppliers/s.yaml:5:11: warning[supplier-review-overdue] The review of supplier SUP-1 (Acme) is due today (on 2025-04-30); last reviewed on 2025-01-31, with a review interval of 3 months for the critical tier (`lint.rules.supplier-review-overdue.critical`)"]
        );
        let off = repo("critical", "reviewed: 2020-01-01\n").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    supplier-review-overdue: off\n",
        );
        assert!(off.check_rule(RULE, "2025-01-01").is_empty());
    }

    #[test]
    fn suppliers_in_a_register_are_checked_entry_by_entry() {
        let r = TestRepo::new().file(
            "suppliers/register.yaml",
            "kind: supplier\nentries:\n  - id: SUP-1\n    name: Acme\n    tier: low\n    reviewed: 2023-01-31\n  - id: SUP-2\n    name: Bolt\n    tier: critical\n    reviewed: 2025-01-30\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2026-01-31"),
            [
                "suppliers/register.yaml:6:15: warning[supplier-review-overdue] The review of supplier SUP-1 (Acme) is due today (on 2026-01-31); last reviewed on 2023-01-31, with a review interval of 3 years for the low tier (common practice; set `schedule.supplier-review-low` to your planned interval)",
                "suppliers/register.yaml:10:15: error[supplier-review-overdue] The review of supplier SUP-2 (Bolt) is overdue: it was due on 2026-01-30 (1 day ago); last reviewed on 2025-01-30, with a review interval of 1 year for the critical tier (common practice; set `schedule.supplier-review-critical` to your planned interval)",
            ]
        );
    }

    #[test]
    fn an_unreadable_date_is_reported_once() {
        let r = repo("critical", "reviewed: 2025-02-30\n");
        assert!(r.check_rule(RULE, "2027-01-01").is_empty());
    }
}

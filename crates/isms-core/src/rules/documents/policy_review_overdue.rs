use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::ScheduleKey;
use crate::model::{DocumentStatus, Standard};
use crate::rules::{
    Basis, Category, Deadline, IntervalSource, Opt, Rule, RuleContext, RuleId, RuleMeta,
};

/// An approved policy not reviewed within its planned interval.
pub struct PolicyReviewOverdue;

const INTERVAL: Opt<Interval> = Opt::new(
    "interval",
    "12 months",
    "How often each policy is reviewed, when the policy has no `review-interval` of its own.",
    Basis::Practice,
)
.follows(ScheduleKey::PolicyReview);

static META: RuleMeta = RuleMeta {
    id: RuleId::PolicyReviewOverdue,
    category: Category::Documents,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 Annex A 5.1, 7.5",
    summary: "An approved policy has not been reviewed within its planned interval",
    what: "Each approved policy (a `status` of `approved`, or none) is due for review one \
interval after its last review: the later of `reviewed` and `approved`. The interval is the \
policy's own `review-interval`, else `schedule.policy-review` in `isms.yaml`, else 12 months. \
Inside the warning window (30 days by default) a warning says how many days are left; after \
the due date it is an error, located at the date that set the clock. Drafts and retired \
documents are not checked; an approved policy with no date at all is left to \
`document-unapproved`.",
    why: "Annex A 5.1 requires the information security policy and topic-specific policies to \
be reviewed at planned intervals and when significant changes occur; 7.5.2 requires \
documented information to be reviewed and approved for suitability and adequacy. A policy \
past its own review date is the first thing an auditor finds in the document register. \
ISO/IEC 27001 sets no interval: 12 months is common practice, used only when you declare \
none.",
    example: crate::rules::Example::new(
        &[(
            "policies/backup.md",
            r#"---
kind: policy
id: POL-009
title: Backup Policy
version: "1.3"
owner: dokafor
status: approved
approved: 2024-03-05
approved-by: hmarsh
reviewed: 2025-02-18
---
# Backup Policy
"#,
        )],
        "2026-03-01",
        &[(
            "policies/backup.md",
            r#"---
kind: policy
id: POL-009
title: Backup Policy
version: "1.3"
owner: dokafor
status: approved
approved: 2024-03-05
approved-by: hmarsh
reviewed: 2026-02-24
---
# Backup Policy
"#,
        )],
    ),
    fix: "Review the policy with its owner — is it still suitable, adequate and effective? — \
and record the day in `reviewed` (a new version gets a new `approved` date and `version`). A \
policy that is no longer in force gets `status: retired`. If your planned interval differs, \
declare it in `schedule.policy-review`, or per document in `review-interval`.",
    options: &[INTERVAL.def],
    deadlines: true,
};

const HELP: &str = "Annex A 5.1 requires policies to be reviewed at planned intervals: review it with its owner, then record the day in `reviewed`.";

impl Rule for PolicyReviewOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for (record, policy) in cx.repo.policies() {
            // A date that could not be read is reported where it is, and
            // does not move the clock.
            if policy.status_on(cx.as_of) != DocumentStatus::Approved
                || record.unreadable_any(&["status", "reviewed", "approved", "review-interval"])
            {
                continue;
            }
            // The clock runs from the later of the two: approving a new
            // version is a review.
            let (from, field) = match (policy.reviewed, policy.approved) {
                (Some(r), Some(a)) if a > r => (a, "approved"),
                (Some(r), _) => (r, "reviewed"),
                (None, Some(a)) => (a, "approved"),
                (None, None) => continue,
            };
            let (interval, source) = match policy.review_interval {
                Some(iv) => (iv, IntervalSource::Own("review-interval")),
                None => cx.scheduled(&INTERVAL),
            };
            let reason = if field == "reviewed" {
                format!("last reviewed on {from}, with a review interval of {interval} ({source})")
            } else {
                format!("approved on {from} and not reviewed since, with a review interval of {interval} ({source})")
            };
            cx.deadline(
                Deadline {
                    rule: META.id,
                    what: format!("the review of policy {}", policy.id),
                    due: interval.after(from),
                    file: record.file,
                    span: record.span([field]),
                    record_id: Some(policy.id.clone()),
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

    const RULE: &str = "policy-review-overdue";

    fn repo(front: &str) -> TestRepo {
        TestRepo::new().file(
            "policies/backup.md",
            &format!("---\nkind: policy\nid: POL-1\ntitle: Backup Policy\napproved-by: Board\n{front}---\n# Backup Policy\n"),
        )
    }

    fn with_schedule(front: &str, schedule: &str) -> TestRepo {
        repo(front).manifest(&format!(
            "organisation:\n  name: T\nschedule:\n  policy-review: {schedule}\n"
        ))
    }

    #[test]
    fn silent_while_the_review_is_far_off() {
        let r = repo("approved: 2024-06-30\nreviewed: 2025-06-30\n");
        assert!(r.check_rule(RULE, "2025-07-01").is_empty());
        assert!(r.check_rule(RULE, "2026-05-30").is_empty());
    }

    #[test]
    fn day_before_of_and_after_the_deadline() {
        let r = repo("approved: 2023-01-10\nreviewed: 2024-06-30\n");
        let default = "last reviewed on 2024-06-30, with a review interval of 1 year (common practice; set `schedule.policy-review` to your planned interval)";
        assert!(r.check_rule(RULE, "2025-05-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-05-31"),
            [format!("policies/backup.md:7:11: warning[policy-review-overdue] The review of policy POL-1 is due in 30 days (on 2025-06-30); {default}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-29"),
            [format!("policies/backup.md:7:11: warning[policy-review-overdue] The review of policy POL-1 is due tomorrow (on 2025-06-30); {default}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-30"),
            [format!("policies/backup.md:7:11: warning[policy-review-overdue] The review of policy POL-1 is due today (on 2025-06-30); {default}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            [format!("policies/backup.md:7:11: error[policy-review-overdue] The review of policy POL-1 is overdue: it was due on 2025-06-30 (1 day ago); {default}")]
        );
    }

    #[test]
    fn an_approval_without_a_review_starts_the_clock() {
        let r = with_schedule("approved: 2025-08-31\n", "6 months");
        // 31 August + 6 months is the last day of February.
        assert_eq!(
            r.check_rule(RULE, "2026-02-28"),
            ["policies/backup.md:6:11: warning[policy-review-overdue] The review of policy POL-1 is due today (on 2026-02-28); approved on 2025-08-31 and not reviewed since, with a review interval of 6 months (`schedule.policy-review`)"]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-03-01"),
            ["policies/backup.md:6:11: error[policy-review-overdue] The review of policy POL-1 is overdue: it was due on 2026-02-28 (1 day ago); approved on 2025-08-31 and not reviewed since, with a review interval of 6 months (`schedule.policy-review`)"]
        );
        // In a leap year, 29 February.
        let leap = with_schedule("approved: 2023-08-31\n", "6 months");
        assert!(leap.check_rule(RULE, "2024-02-29")[0].contains("is due today (on 2024-02-29)"));
        assert!(
            leap.check_rule(RULE, "2024-03-01")[0].contains("it was due on 2024-02-29 (1 day ago)")
        );
    }

    #[test]
    fn reviewed_on_29_february() {
        let r = with_schedule("approved: 2023-01-01\nreviewed: 2024-02-29\n", "1 year");
        assert!(r.check_rule(RULE, "2025-02-28")[0].contains("is due today (on 2025-02-28)"));
        assert_eq!(
            r.check_rule(RULE, "2025-03-01"),
            ["policies/backup.md:7:11: error[policy-review-overdue] The review of policy POL-1 is overdue: it was due on 2025-02-28 (1 day ago); last reviewed on 2024-02-29, with a review interval of 1 year (`schedule.policy-review`)"]
        );
    }

    #[test]
    fn a_newer_approval_counts_as_a_review() {
        let r = with_schedule("reviewed: 2024-01-15\napproved: 2024-09-30\n", "12 months");
        assert_eq!(
            r.check_rule(RULE, "2025-10-01"),
            ["policies/backup.md:7:11: error[policy-review-overdue] The review of policy POL-1 is overdue: it was due on 2025-09-30 (1 day ago); approved on 2024-09-30 and not reviewed since, with a review interval of 1 year (`schedule.policy-review`)"]
        );
    }

    #[test]
    fn drafts_retired_and_undated_policies_are_not_checked() {
        for front in [
            "status: draft\napproved: 2020-01-01\n",
            "status: retired\nreviewed: 2020-01-01\n",
            "status: approved\n",
        ] {
            assert!(
                repo(front).check_rule(RULE, "2025-06-01").is_empty(),
                "{front}"
            );
        }
        assert_eq!(
            repo("status: approved\napproved: 2020-01-01\n")
                .check_rule(RULE, "2025-06-01")
                .len(),
            1
        );
    }

    #[test]
    fn a_policy_can_set_its_own_interval() {
        let r = with_schedule("approved: 2025-01-31\nreview-interval: 2 years\n", "1 year");
        assert!(r.check_rule(RULE, "2026-02-01").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2027-02-01"),
            ["policies/backup.md:6:11: error[policy-review-overdue] The review of policy POL-1 is overdue: it was due on 2027-01-31 (1 day ago); approved on 2025-01-31 and not reviewed since, with a review interval of 2 years (its own `review-interval`)"]
        );
    }

    #[test]
    fn configuration() {
        let manifest = |rule: &str| {
            format!("organisation:\n  name: T\nschedule:\n  policy-review: 12 months\nlint:\n  rules:\n    policy-review-overdue:{rule}\n")
        };
        let opt = repo("approved: 2025-01-31\n").manifest(&manifest(
            "\n      interval: 3 months\n      horizon: 0 days",
        ));
        assert!(opt.check_rule(RULE, "2025-04-29").is_empty());
        assert_eq!(
            opt.check_rule(RULE, "2025-04-30"),
            ["policies/backup.md:6:11: warning[policy-review-overdue] The review of policy POL-1 is due today (on 2025-04-30); approved on 2025-01-31 and not reviewed since, with a review interval of 3 months (`lint.rules.policy-review-overdue.interval`)"]
        );
        let warn = repo("approved: 2020-01-01\n").manifest(&manifest("\n      severity: warning"));
        assert!(warn.check_rule(RULE, "2025-01-01")[0]
            .starts_with("policies/backup.md:6:11: warning[policy-review-overdue] The review of policy POL-1 is overdue"));
        let off = repo("approved: 2020-01-01\n").manifest(&manifest(" off"));
        assert!(off.check_rule(RULE, "2025-01-01").is_empty());
    }

    #[test]
    fn the_deadline_is_data_even_when_far_away() {
        let report = repo("approved: 2025-06-30\n").report("2025-07-01");
        let d: Vec<_> = report.deadlines.iter().filter(|d| d.rule == RULE).collect();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].due.to_string(), "2026-06-30");
    }
}

use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::{ScheduleKey, Standard};
use crate::rules::{
    Basis, Category, Deadline, IntervalSource, Opt, Rule, RuleContext, RuleId, RuleMeta,
};

/// A requirement of the legal register not reviewed within its interval.
pub struct LegalRegisterReviewOverdue;

const INTERVAL: Opt<Interval> = Opt::new(
    "interval",
    "12 months",
    "How often each requirement is reviewed, when it has no `review-interval` of its own.",
    Basis::Practice,
)
.follows(ScheduleKey::LegalReview);

static META: RuleMeta = RuleMeta {
    id: RuleId::LegalRegisterReviewOverdue,
    category: Category::Legal,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 4.2, Annex A 5.31",
    summary:
        "A legal, regulatory or contractual requirement has not been reviewed within its interval",
    what: "Each applicable `legal-requirement` (not `status: retired`, and identified by the day \
of the check) is due for review one interval after `reviewed`; a requirement never reviewed is \
due one interval after `identified`. The interval is the requirement's own `review-interval`, \
else `schedule.legal-review` in `isms.yaml`, else 12 months. Inside the warning window (30 days \
by default) a warning says how many days are left; after the due date it is an error, located \
at the date that set the clock. A requirement with neither date is an error at its id.",
    why: "Clause 4.2 requires the organisation to determine the requirements of interested \
parties relevant to information security, which include legal, regulatory and contractual \
ones, and Annex A 5.31 requires those requirements, and the organisation's approach to meeting \
them, to be identified, documented and kept up to date. Laws change, and so do contracts: a \
register entry no one has looked at for years may no longer say what applies or how it is \
met. The standard sets no interval: a yearly review is common practice, used only when you \
declare none.",
    example: crate::rules::Example::new(
        &[(
            "legal/register.yaml",
            r#"kind: legal-requirement
entries:
  - id: LEG-001
    title: Security of processing under UK GDPR
    type: law
    source: UK GDPR Article 32
    jurisdiction: United Kingdom
    owner: iclarke
    how-met: Controls of the SoA; POL-001 and POL-011.
    reviewed: 2025-03-04
"#,
        )],
        "2026-04-01",
        &[(
            "legal/register.yaml",
            r#"kind: legal-requirement
entries:
  - id: LEG-001
    title: Security of processing under UK GDPR
    type: law
    source: UK GDPR Article 32
    jurisdiction: United Kingdom
    owner: iclarke
    how-met: Controls of the SoA; POL-001 and POL-011.
    reviewed: 2026-03-03
"#,
        )],
    ),
    fix: "Review the requirement with its owner: does it still apply, has the law or contract \
changed, is it still met as `how-met` says? Record the day in `reviewed`, and update the entry. \
A requirement that no longer applies gets `status: retired`. If your planned interval differs, \
declare it in `schedule.legal-review`, or per requirement in `review-interval`.",
    options: &[INTERVAL.def],
    deadlines: true,
};

const HELP: &str = "Annex A 5.31 requires legal, regulatory and contractual requirements to be kept up to date: review the entry with its owner, then record the day in `reviewed`.";

impl Rule for LegalRegisterReviewOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for (record, req) in cx.repo.legal_requirements() {
            if record.unreadable_any(&["status", "identified", "reviewed", "review-interval"])
                || !req.applies_on(cx.as_of)
            {
                continue;
            }
            // A review dated after the day of the check had not happened on it.
            let reviewed = req.reviewed.filter(|&d| d <= cx.as_of);
            let (from, field) = match (reviewed, req.identified) {
                (Some(r), _) => (r, "reviewed"),
                (None, Some(i)) => (i, "identified"),
                (None, None) => {
                    let f = cx
                        .finding(record.file, record.id_span())
                        .message(format!(
                            "Legal requirement {} ({}) has no recorded review: neither `reviewed` nor `identified` is set",
                            req.id, req.source
                        ))
                        .record(Some(&req.id))
                        .help(HELP);
                    cx.emit(f);
                    continue;
                }
            };
            let (interval, source) = match req.review_interval {
                Some(iv) => (iv, IntervalSource::Own("review-interval")),
                None => cx.scheduled(&INTERVAL),
            };
            let reason = if field == "reviewed" {
                format!("last reviewed on {from}, with a review interval of {interval} ({source})")
            } else {
                format!("identified on {from} and not reviewed since, with a review interval of {interval} ({source})")
            };
            cx.deadline(
                Deadline {
                    rule: META.id,
                    what: format!(
                        "the review of legal requirement {} ({})",
                        req.id, req.source
                    ),
                    due: interval.after(from),
                    file: record.file,
                    span: record.span([field]),
                    record_id: Some(req.id.clone()),
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

    const RULE: &str = "legal-register-review-overdue";

    fn repo(rest: &str) -> TestRepo {
        TestRepo::new().file(
            "legal/register.yaml",
            &format!("kind: legal-requirement\nentries:\n  - id: LEG-1\n    title: Breach notification\n    type: law\n    source: UK GDPR Article 33\n{rest}"),
        )
    }

    fn with_schedule(rest: &str, schedule: &str) -> TestRepo {
        repo(rest).manifest(&format!(
            "organisation:\n  name: T\nschedule:\n  legal-review: {schedule}\n"
        ))
    }

    const WHAT: &str = "The review of legal requirement LEG-1 (UK GDPR Article 33)";

    #[test]
    fn day_before_of_and_after_the_deadline() {
        let r = repo("    reviewed: 2025-06-30\n");
        let reason = "last reviewed on 2025-06-30, with a review interval of 1 year (common practice; set `schedule.legal-review` to your planned interval)";
        assert!(r.check_rule(RULE, "2026-05-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2026-05-31"),
            [format!("legal/register.yaml:7:15: warning[legal-register-review-overdue] {WHAT} is due in 30 days (on 2026-06-30); {reason}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-06-29"),
            [format!("legal/register.yaml:7:15: warning[legal-register-review-overdue] {WHAT} is due tomorrow (on 2026-06-30); {reason}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-06-30"),
            [format!("legal/register.yaml:7:15: warning[legal-register-review-overdue] {WHAT} is due today (on 2026-06-30); {reason}")]
        );
        assert_eq!(
            r.check_rule(RULE, "2026-07-01"),
            [format!("legal/register.yaml:7:15: error[legal-register-review-overdue] {WHAT} is overdue: it was due on 2026-06-30 (1 day ago); {reason}")]
        );
    }

    #[test]
    fn month_ends_and_29_february() {
        let r = with_schedule("    reviewed: 2025-08-31\n", "6 months");
        assert!(r.check_rule(RULE, "2026-02-28")[0].contains("is due today (on 2026-02-28)"));
        assert_eq!(
            r.check_rule(RULE, "2026-03-01"),
            [format!("legal/register.yaml:7:15: error[legal-register-review-overdue] {WHAT} is overdue: it was due on 2026-02-28 (1 day ago); last reviewed on 2025-08-31, with a review interval of 6 months (`schedule.legal-review`)")]
        );
        let leap = with_schedule("    reviewed: 2023-08-31\n", "6 months");
        assert!(leap.check_rule(RULE, "2024-02-29")[0].contains("is due today (on 2024-02-29)"));
        assert!(
            leap.check_rule(RULE, "2024-03-01")[0].contains("it was due on 2024-02-29 (1 day ago)")
        );
        let from_leap = repo("    reviewed: 2024-02-29\n");
        assert!(
            from_leap.check_rule(RULE, "2025-02-28")[0].contains("is due today (on 2025-02-28)")
        );
        assert!(from_leap.check_rule(RULE, "2025-03-01")[0].contains("is overdue"));
    }

    #[test]
    fn a_requirement_never_reviewed_counts_from_its_identification() {
        let r = repo("    identified: 2025-01-31\n    review-interval: 1 month\n");
        assert_eq!(
            r.check_rule(RULE, "2025-03-01"),
            [format!("legal/register.yaml:7:17: error[legal-register-review-overdue] {WHAT} is overdue: it was due on 2025-02-28 (1 day ago); identified on 2025-01-31 and not reviewed since, with a review interval of 1 month (its own `review-interval`)")]
        );
        assert!(r.check_rule(RULE, "2025-01-30").is_empty());
        assert_eq!(
            repo("").check_rule(RULE, "2025-01-30"),
            ["legal/register.yaml:3:9: error[legal-register-review-overdue] Legal requirement LEG-1 (UK GDPR Article 33) has no recorded review: neither `reviewed` nor `identified` is set"]
        );
    }

    #[test]
    fn retired_requirements_and_configuration() {
        assert!(repo("    status: retired\n    reviewed: 2020-01-01\n")
            .check_rule(RULE, "2025-01-01")
            .is_empty());
        let manifest = |rule: &str| {
            format!("organisation:\n  name: T\nlint:\n  rules:\n    legal-register-review-overdue:{rule}\n")
        };
        let opt = repo("    reviewed: 2025-01-31\n").manifest(&manifest(
            "\n      interval: 3 months\n      horizon: 0 days",
        ));
        assert!(opt.check_rule(RULE, "2025-04-29").is_empty());
        assert!(opt.check_rule(RULE, "2025-04-30")[0]
            .contains("(`lint.rules.legal-register-review-overdue.interval`)"));
        let off = repo("    reviewed: 2020-01-01\n").manifest(&manifest(" off"));
        assert!(off.check_rule(RULE, "2025-01-01").is_empty());
    }
}

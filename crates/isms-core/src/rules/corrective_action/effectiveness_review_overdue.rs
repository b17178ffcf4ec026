use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::{ActionStatus, Standard};
use crate::rules::{Basis, Category, Deadline, Opt, Rule, RuleContext, RuleId, RuleMeta};

/// A closed corrective action whose effectiveness has not been reviewed in
/// time, or was found wanting.
pub struct EffectivenessReviewOverdue;

const WITHIN: Opt<Interval> = Opt::new(
    "within",
    "90 days",
    "How long after closure the effectiveness review is due.",
    Basis::Practice,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::EffectivenessReviewOverdue,
    category: Category::CorrectiveAction,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 10.2 d",
    summary:
        "A closed corrective action has no effectiveness review within the interval after closure",
    what: "A corrective action with `status: closed` and a `closed` date must record a review of \
its effectiveness (`effectiveness.reviewed`) within `within` (90 days) of closure. Inside the \
warning window before that date a warning says how many days are left; past it, the finding \
is at the rule's severity, at the action's `closed` date. A review dated after the day of the \
check does not count yet.\n\n\
An effectiveness review that records `effective: false` gives a warning at `effective`: the \
cause was not removed, so the action must be reopened or a new corrective action raised — \
unless another corrective action already names this one as its `source`. Closed actions \
without a `closed` date are left to `corrective-action-incomplete`.",
    why: "10.2 d requires the organisation to review the effectiveness of any corrective action \
taken, and 10.2 g to keep the results as evidence. Auditors sample closed actions and ask \
whether the nonconformity has recurred: \"closed\" without a review only shows that something \
was done, not that it worked. The standard sets no deadline; 90 days is common practice — long \
enough to see whether the nonconformity comes back, short enough to still act on it. An \
ineffective action means 10.2 is not yet met, and 10.2 e may call for changes to the ISMS.",
    example: crate::rules::Example::new(
        &[(
            "actions/CA-2025-006.yaml",
            "\
kind: corrective-action
id: CA-2025-006
title: Require MFA for remote access
nonconformity: Remote access to the office NAS did not require MFA.
raised: 2025-01-15
owner: IT Manager
due: 2025-03-31
status: closed
root-cause: No policy required MFA for remote access.
action-taken: Policy updated; MFA enforced for all remote access.
closed: 2025-04-01
",
        )],
        "2025-07-01",
        &[(
            "actions/CA-2025-006.yaml",
            "\
kind: corrective-action
id: CA-2025-006
title: Require MFA for remote access
nonconformity: Remote access to the office NAS did not require MFA.
raised: 2025-01-15
owner: IT Manager
due: 2025-03-31
status: closed
root-cause: No policy required MFA for remote access.
action-taken: Policy updated; MFA enforced for all remote access.
closed: 2025-04-01
effectiveness:
  reviewed: 2025-06-20
  effective: true
  by: Piotr Nowak, internal auditor
  notes: No remote login without MFA in the VPN and NAS logs since April.
",
        )],
    ),
    fix: "Check whether the action removed the cause — has the nonconformity recurred? — and \
record it under `effectiveness:` with `reviewed` (the date), `effective` (`true` or `false`), \
`by` and `notes`. If it was not effective, reopen the action (`status: open`, a new due date) \
or raise a new corrective action with `source:` naming this one.",
    options: &[WITHIN.def],
    deadlines: true,
};

impl Rule for EffectivenessReviewOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let within = cx.get(&WITHIN);
        for (record, action) in cx.repo.actions() {
            if action.status_on(cx.as_of) != ActionStatus::Closed
                || record.unreadable_any(&["closed", "effectiveness"])
            {
                continue;
            }
            let Some(closed) = action.closed else {
                continue;
            };
            let id = action.id.as_str();
            let review = action
                .effectiveness
                .as_ref()
                .filter(|e| e.reviewed_by(cx.as_of).is_some());
            let Some(review) = review else {
                cx.deadline(
                    Deadline {
                        rule: META.id,
                        what: format!("the effectiveness review of corrective action {id}"),
                        due: within.after(closed),
                        file: record.file,
                        span: record.span(["closed"]),
                        record_id: Some(id.to_owned()),
                        reason: format!(
                            "the action was closed on {closed}, and whether it removed the cause is to be reviewed within {within} of closure (10.2 d)"
                        ),
                    },
                    Some("Check whether the nonconformity has recurred, and record it under `effectiveness:` with `reviewed`, `effective` and `by`."),
                );
                continue;
            };
            if review.effective != Some(false) {
                continue;
            }
            let followed_up = cx
                .repo
                .actions()
                .any(|(_, other)| other.source.as_deref() == Some(id));
            if followed_up {
                continue;
            }
            let reviewed = review.reviewed.expect("filtered on a review date");
            let mut f = cx
                .finding(record.file, record.span(["effectiveness", "effective"]))
                .message(format!(
                    "The effectiveness review of corrective action {id} on {reviewed} found it not effective: the cause of the nonconformity remains, so the action must be reopened or a new one raised (10.2 d, e)"
                ))
                .help(format!(
                    "Reopen it (`status: open`, with a new due date), or raise a new corrective action with `source: {id}`."
                ))
                .record(Some(id))
                .key("effective");
            f.severity = f.severity.min(Severity::Warning);
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "effectiveness-review-overdue";

    fn closed(date: &str, extra: &str) -> TestRepo {
        TestRepo::new().file(
            "actions/ca.yaml",
            &format!(
                "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix it\n    status: closed\n    root-cause: No policy.\n    action-taken: Policy written.\n    closed: {date}\n{extra}"
            ),
        )
    }

    #[test]
    fn day_before_of_and_after_the_due_date() {
        // 1 April + 90 days = 30 June.
        let r = closed("2025-04-01", "");
        assert!(r.check_rule(RULE, "2025-05-30").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-05-31"),
            ["actions/ca.yaml:8:13: warning[effectiveness-review-overdue] The effectiveness review of corrective action CA-1 is due in 30 days (on 2025-06-30); the action was closed on 2025-04-01, and whether it removed the cause is to be reviewed within 90 days of closure (10.2 d)"]
        );
        assert!(r.check_rule(RULE, "2025-06-29")[0].contains("is due tomorrow (on 2025-06-30)"));
        assert!(r.check_rule(RULE, "2025-06-30")[0].contains("is due today (on 2025-06-30)"));
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["actions/ca.yaml:8:13: error[effectiveness-review-overdue] The effectiveness review of corrective action CA-1 is overdue: it was due on 2025-06-30 (1 day ago); the action was closed on 2025-04-01, and whether it removed the cause is to be reviewed within 90 days of closure (10.2 d)"]
        );
    }

    #[test]
    fn an_action_closed_after_the_day_of_the_check_has_no_review_due_yet() {
        let r = closed("2025-04-01", "");
        let report = r.report("2025-03-31");
        assert!(report.deadlines.iter().all(|d| d.rule != RULE));
        let report = r.report("2025-04-01");
        let due: Vec<_> = report
            .deadlines
            .iter()
            .filter(|d| d.rule == RULE)
            .map(|d| d.due.to_string())
            .collect();
        assert_eq!(due, ["2025-06-30"]);
    }

    #[test]
    fn a_recorded_review_satisfies_it_even_if_late() {
        let on_time = closed(
            "2025-04-01",
            "    effectiveness:\n      reviewed: 2025-06-20\n      effective: true\n",
        );
        assert!(on_time.check_rule(RULE, "2025-07-01").is_empty());
        let late = closed(
            "2025-04-01",
            "    effectiveness:\n      reviewed: 2025-08-01\n",
        );
        assert!(late.check_rule(RULE, "2025-08-01").is_empty());
        // Not yet held on the day of the check.
        assert!(late.check_rule(RULE, "2025-07-31")[0].contains("is overdue"));
        // An effectiveness block without a date is no review.
        let undated = closed("2025-04-01", "    effectiveness:\n      effective: true\n");
        assert!(undated.check_rule(RULE, "2025-07-01")[0].contains("is overdue"));
    }

    #[test]
    fn an_ineffective_action_must_be_followed_up() {
        let r = closed(
            "2025-04-01",
            "    effectiveness:\n      reviewed: 2025-06-20\n      effective: false\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["actions/ca.yaml:11:18: warning[effectiveness-review-overdue] The effectiveness review of corrective action CA-1 on 2025-06-20 found it not effective: the cause of the nonconformity remains, so the action must be reopened or a new one raised (10.2 d, e)"]
        );
        let followed_up = r.file(
            "actions/ca-2.yaml",
            "kind: corrective-action\nid: CA-2\ntitle: Try again\nsource: CA-1\nstatus: open\nowner: Ann\ndue: 2025-09-30\n",
        );
        assert!(followed_up.check_rule(RULE, "2025-07-01").is_empty());
    }

    #[test]
    fn open_cancelled_and_undated_actions_are_not_checked() {
        let open = TestRepo::new().file(
            "actions/ca.yaml",
            "kind: corrective-action\nid: CA-1\ntitle: Fix it\nstatus: open\nclosed: 2024-01-01\n",
        );
        assert!(open.check_rule(RULE, "2025-07-01").is_empty());
        let undated = TestRepo::new().file(
            "actions/ca.yaml",
            "kind: corrective-action\nid: CA-1\ntitle: Fix it\nstatus: closed\n",
        );
        assert!(undated.check_rule(RULE, "2025-07-01").is_empty());
    }

    #[test]
    fn month_ends_and_leap_days() {
        // 1 December 2023 + 90 days = 29 February 2024.
        let leap = closed("2023-12-01", "");
        assert!(leap.check_rule(RULE, "2024-02-29")[0].contains("is due today (on 2024-02-29)"));
        assert!(
            leap.check_rule(RULE, "2024-03-01")[0].contains("it was due on 2024-02-29 (1 day ago)")
        );
        // 31 August + 6 months = 28 February.
        let months = closed("2025-08-31", "").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    effectiveness-review-overdue:\n      within: 6 months\n",
        );
        assert!(months.check_rule(RULE, "2026-02-28")[0].contains("is due today (on 2026-02-28)"));
        assert!(months.check_rule(RULE, "2026-03-01")[0]
            .contains("it was due on 2026-02-28 (1 day ago); the action was closed on 2025-08-31, and whether it removed the cause is to be reviewed within 6 months of closure"));
    }

    #[test]
    fn severity_horizon_and_off_follow_the_configuration() {
        let r = |lint: &str| {
            closed("2025-04-01", "").manifest(&format!(
                "organisation:\n  name: T\nlint:\n  rules:\n    effectiveness-review-overdue:{lint}\n"
            ))
        };
        assert!(r("\n      severity: warning").check_rule(RULE, "2025-07-01")[0]
            .contains("warning[effectiveness-review-overdue] The effectiveness review of corrective action CA-1 is overdue"));
        assert!(r(" off").check_rule(RULE, "2025-07-01").is_empty());
        let horizon = r("\n      horizon: 10 days");
        assert!(horizon.check_rule(RULE, "2025-06-19").is_empty());
        assert!(horizon.check_rule(RULE, "2025-06-20")[0].contains("is due in 10 days"));
        // The ineffective-action warning stays a note when the rule is set to note.
        let note = closed(
            "2025-04-01",
            "    effectiveness:\n      reviewed: 2025-06-20\n      effective: false\n",
        )
        .manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    effectiveness-review-overdue: note\n",
        );
        assert!(
            note.check_rule(RULE, "2025-07-01")[0].contains("note[effectiveness-review-overdue]")
        );
    }
}

use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::ScheduleKey;
use crate::model::Standard;
use crate::rules::schedule::every;
use crate::rules::{Basis, Category, Deadline, Opt, Rule, RuleContext, RuleId, RuleMeta};

use super::open_word;

/// An open corrective action that has not been updated for too long.
pub struct CorrectiveActionStale;

const STALE_AFTER: Opt<Interval> = Opt::new(
    "stale-after",
    "30 days",
    "How long an open action may go without a recorded update.",
    Basis::Practice,
)
.follows(ScheduleKey::CorrectiveActionStaleness);

static META: RuleMeta = RuleMeta {
    id: RuleId::CorrectiveActionStale,
    category: Category::CorrectiveAction,
    default_severity: Severity::Warning,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 10.2",
    summary: "An open corrective action has not been updated for longer than the staleness interval",
    what: "A corrective action with `status: open` or `in-progress` whose last update is older \
than the staleness interval (`stale-after`: `schedule.corrective-action-staleness`, else 30 \
days). The clock runs from the action's `updated` date; without one, from the last commit that \
changed the action's file (when the repository is read from git with its full history); \
without either, from the date it was `raised`. An `updated` date after the day of the check \
(`--as-of`) had not happened on it and does not count. An action with none of these dates is \
not checked. The finding says which date set the clock and points at it: at `updated`, at \
`raised`, or at `status` when the clock is the last commit.\n\n\
There is no look-ahead warning: an action is stale or it is not. The date on which it becomes \
stale is still computed, as a deadline.",
    why: "10.2 requires the organisation to react to a nonconformity, take action and review \
it; an action that nobody has touched for weeks is one that is not being implemented. Open \
actions that were logged and then forgotten are the most common nonconformity at a \
surveillance audit, and a dated progress note is the evidence that the action is alive. The \
30-day default is common practice (a monthly corrective-action meeting), not a requirement: \
set `schedule.corrective-action-staleness` to the rhythm your ISMS has declared.",
    example: crate::rules::Example::new(
        &[
            (
                "actions/CA-2025-014.yaml",
                "\
kind: corrective-action
id: CA-2025-014
title: Enforce MFA on the VPN
nonconformity: Contractor VPN profiles allow logging in without MFA (IA-2025-03).
raised: 2025-03-14
owner: IT Manager
due: 2025-09-30
status: in-progress
updated: 2025-06-01
",
            ),
        ],
        "2025-07-02",
        &[
            (
                "actions/CA-2025-014.yaml",
                "\
kind: corrective-action
id: CA-2025-014
title: Enforce MFA on the VPN
nonconformity: Contractor VPN profiles allow logging in without MFA (IA-2025-03).
raised: 2025-03-14
owner: IT Manager
due: 2025-09-30
status: in-progress
updated: 2025-07-02
correction: MFA enforced on the staff VPN profiles on 2025-06-30; the contractor profiles follow in August.
",
            ),
        ],
    ),
    fix: "Record the progress made and set `updated` to the day of the update. If the action is \
blocked, record why and what was decided (a new due date, more resources, escalation to top \
management); if it is done, close it with its root cause, the action taken and the closing \
date.",
    options: &[STALE_AFTER.def],
    deadlines: false,
};

impl Rule for CorrectiveActionStale {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let (stale_after, source) = cx.scheduled(&STALE_AFTER);
        for (record, action) in cx.repo.actions() {
            if !action.is_open_on(cx.as_of)
                || record.unreadable_any(&["updated", "raised", "closed"])
            {
                continue;
            }
            let path = cx.repo.path(record.file);
            let committed = cx
                .repo
                .history
                .as_ref()
                .and_then(|h| h.file(path))
                .map(|f| f.last.date);
            // An update dated after the day of the check had not happened
            // on it.
            let updated = action.updated.filter(|d| *d <= cx.as_of);
            let no_update = match action.updated {
                Some(later) if updated.is_none() => {
                    format!("its `updated` date, {later}, is after the day of the check")
                }
                _ => "the action has no `updated` date".to_owned(),
            };
            // The finding points at the date that set the clock, and says
            // which it is.
            let (since, clock, span) = match (updated, committed, action.raised) {
                (Some(updated), _, _) => (
                    updated,
                    format!("was last updated on {updated} (its `updated` date)"),
                    record.span(["updated"]),
                ),
                (None, Some(date), _) => (
                    date,
                    format!("was last updated on {date} (the last commit to {path}; {no_update})"),
                    record.span(["status"]),
                ),
                (None, None, Some(raised)) => (
                    raised,
                    format!("has not been updated since it was raised on {raised} (its `raised` date; {no_update})"),
                    record.span(["raised"]),
                ),
                (None, None, None) => continue,
            };
            cx.deadline_with(
                Deadline {
                    rule: META.id,
                    what: format!("an update of corrective action {}", action.id),
                    due: stale_after.after(since),
                    file: record.file,
                    span,
                    record_id: Some(action.id.clone()),
                    reason: format!(
                        "it is still {} and {clock}; open actions are to show progress {} ({source})",
                        open_word(action, cx.as_of),
                        every(stale_after)
                    ),
                },
                Some("Record the progress made and set `updated` to the day of the update; if the action is blocked, record why and what was decided."),
                Severity::Error,
                false,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::history::History;
    use crate::testing::TestRepo;

    const RULE: &str = "corrective-action-stale";

    fn action(status: &str, extra: &str) -> TestRepo {
        TestRepo::new().file(
            "actions/ca.yaml",
            &format!(
                "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix it\n    owner: Ann\n    status: {status}\n    raised: 2025-05-01\n{extra}"
            ),
        )
    }

    fn history(path: &str, last: &str) -> History {
        History::builder()
            .commit(
                "2025-01-01",
                "Ann",
                "Add actions",
                &[(path, "kind: corrective-action\n")],
            )
            .commit(
                last,
                "Ann",
                "Update actions",
                &[(path, "kind: corrective-action\nentries: []\n")],
            )
            .build()
    }

    #[test]
    fn day_before_of_and_after_staleness() {
        let r = action("open", "    updated: 2025-06-01\n");
        assert!(r.check_rule(RULE, "2025-06-30").is_empty());
        assert!(r.check_rule(RULE, "2025-07-01").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-07-02"),
            ["actions/ca.yaml:8:14: warning[corrective-action-stale] An update of corrective action CA-1 is overdue: it was due on 2025-07-01 (1 day ago); it is still open and was last updated on 2025-06-01 (its `updated` date); open actions are to show progress every 30 days (common practice; set `schedule.corrective-action-staleness` to your planned interval)"]
        );
    }

    #[test]
    fn no_look_ahead_whatever_the_horizon() {
        let r = action("in-progress", "    updated: 2025-06-01\n").horizon_days(90);
        assert!(r.check_rule(RULE, "2025-06-02").is_empty());
        assert!(r.check_rule(RULE, "2025-07-01").is_empty());
        let report = r.report("2025-06-02");
        assert!(report
            .deadlines
            .iter()
            .any(|d| d.rule == RULE && d.due.to_string() == "2025-07-01"));
    }

    #[test]
    fn the_last_commit_sets_the_clock_without_an_updated_date() {
        let r = action("in-progress", "").history(history("actions/ca.yaml", "2025-06-10"));
        assert!(r.check_rule(RULE, "2025-07-10").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-07-11"),
            ["actions/ca.yaml:6:13: warning[corrective-action-stale] An update of corrective action CA-1 is overdue: it was due on 2025-07-10 (1 day ago); it is still in progress and was last updated on 2025-06-10 (the last commit to actions/ca.yaml; the action has no `updated` date); open actions are to show progress every 30 days (common practice; set `schedule.corrective-action-staleness` to your planned interval)"]
        );
        // `updated` wins over the history.
        let updated = action("open", "    updated: 2025-07-01\n")
            .history(history("actions/ca.yaml", "2025-06-10"));
        assert!(updated.check_rule(RULE, "2025-07-11").is_empty());
    }

    #[test]
    fn the_raised_date_is_the_last_resort() {
        let r = action("open", "");
        assert!(r.check_rule(RULE, "2025-05-31").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["actions/ca.yaml:7:13: warning[corrective-action-stale] An update of corrective action CA-1 is overdue: it was due on 2025-05-31 (1 day ago); it is still open and has not been updated since it was raised on 2025-05-01 (its `raised` date; the action has no `updated` date); open actions are to show progress every 30 days (common practice; set `schedule.corrective-action-staleness` to your planned interval)"]
        );
        let undated = TestRepo::new().file(
            "actions/ca.yaml",
            "kind: corrective-action\nid: CA-1\ntitle: Fix it\nstatus: open\n",
        );
        assert!(undated.check_rule(RULE, "2030-01-01").is_empty());
    }

    /// Checked on a day before its `updated` date, the update had not
    /// happened: the clock runs from `raised`, and the finding says why.
    #[test]
    fn an_update_after_the_day_of_the_check_does_not_count() {
        let r = action("in-progress", "    updated: 2025-07-10\n");
        assert_eq!(
            r.check_rule(RULE, "2025-07-09"),
            ["actions/ca.yaml:7:13: warning[corrective-action-stale] An update of corrective action CA-1 is overdue: it was due on 2025-05-31 (39 days ago); it is still in progress and has not been updated since it was raised on 2025-05-01 (its `raised` date; its `updated` date, 2025-07-10, is after the day of the check); open actions are to show progress every 30 days (common practice; set `schedule.corrective-action-staleness` to your planned interval)"]
        );
        assert!(r.check_rule(RULE, "2025-07-10").is_empty());
        assert!(r.check_rule(RULE, "2025-07-11").is_empty());
    }

    #[test]
    fn an_action_raised_after_the_day_of_the_check_is_not_stale_yet() {
        let r = action("open", "");
        assert!(r.check_rule(RULE, "2025-04-30").is_empty());
        let report = r.report("2025-04-30");
        assert!(report.deadlines.iter().all(|d| d.rule != RULE));
    }

    #[test]
    fn closed_and_cancelled_actions_are_never_stale() {
        for status in ["closed", "cancelled"] {
            assert!(action(status, "    updated: 2024-01-01\n")
                .check_rule(RULE, "2025-07-01")
                .is_empty());
        }
    }

    #[test]
    fn month_ends_and_leap_days() {
        // 31 August + 6 months is the end of February.
        let six_months = |updated: &str| {
            action("open", &format!("    updated: {updated}\n")).manifest(
                "organisation:\n  name: T\nschedule:\n  corrective-action-staleness: 6 months\n",
            )
        };
        assert!(six_months("2025-08-31")
            .check_rule(RULE, "2026-02-28")
            .is_empty());
        assert!(six_months("2025-08-31").check_rule(RULE, "2026-03-01")[0]
            .contains("it was due on 2026-02-28 (1 day ago)"));
        // 30 January 2024 + 30 days is 29 February.
        let leap = TestRepo::new().file(
            "actions/ca.yaml",
            "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix it\n    owner: Ann\n    status: open\n    raised: 2024-01-02\n    updated: 2024-01-30\n",
        );
        assert!(leap.check_rule(RULE, "2024-02-29").is_empty());
        assert!(
            leap.check_rule(RULE, "2024-03-01")[0].contains("it was due on 2024-02-29 (1 day ago)")
        );
    }

    #[test]
    fn option_schedule_severity_and_off() {
        let r = |lint: &str| {
            action("open", "    updated: 2025-06-01\n").manifest(&format!(
                "organisation:\n  name: T\nschedule:\n  corrective-action-staleness: 14 days\nlint:\n  rules:\n    corrective-action-stale:{lint}\n"
            ))
        };
        // The schedule: 14 days.
        let scheduled = r(" warning");
        assert!(scheduled.check_rule(RULE, "2025-06-15").is_empty());
        assert!(scheduled.check_rule(RULE, "2025-06-16")[0]
            .contains("it was due on 2025-06-15 (1 day ago)"));
        assert!(scheduled.check_rule(RULE, "2025-06-16")[0]
            .ends_with("every 2 weeks (`schedule.corrective-action-staleness`)"));
        // The rule's option wins over the schedule.
        let option = r("\n      stale-after: 1 month");
        assert!(option.check_rule(RULE, "2025-07-01").is_empty());
        assert!(option.check_rule(RULE, "2025-07-02")[0]
            .ends_with("every month (`lint.rules.corrective-action-stale.stale-after`)"));
        assert!(r(" error").check_rule(RULE, "2025-06-16")[0]
            .contains("error[corrective-action-stale]"));
        assert!(r(" off").check_rule(RULE, "2026-01-01").is_empty());
    }
}

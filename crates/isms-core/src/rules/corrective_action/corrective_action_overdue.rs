use crate::finding::Severity;
use crate::model::Standard;
use crate::rules::{Category, Deadline, Rule, RuleContext, RuleId, RuleMeta};

/// An open corrective action past its due date.
pub struct CorrectiveActionOverdue;

static META: RuleMeta = RuleMeta {
    id: RuleId::CorrectiveActionOverdue,
    category: Category::CorrectiveAction,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 10.2 c",
    summary: "An open corrective action is past its due date",
    what: "A corrective action with `status: open` or `in-progress` whose `due` date has passed. \
Inside the warning window (30 days by default) before the due date, a warning says how many \
days are left. Closed and cancelled actions are not checked, from their `closed` date on: \
checked on an earlier day (`--as-of`), an action closed later was still open on it, and one \
`raised` later did not exist yet.",
    why: "10.2 c requires the organisation to *implement* any action needed. An action that is \
logged and then left open is the most common nonconformity at a surveillance audit, and the \
easiest to avoid: the auditor samples the register and asks why the due date passed.",
    example: crate::rules::Example::new(
        &[(
            "actions/CA-2025-014.yaml",
            "\
kind: corrective-action
id: CA-2025-014
title: Enforce MFA on the VPN
nonconformity: Contractor VPN profiles allow logging in without MFA (IA-2025-03).
raised: 2025-03-14
owner: IT Manager
due: 2025-05-31
status: open
",
        )],
        "2025-06-10",
        &[(
            "actions/CA-2025-014.yaml",
            "\
kind: corrective-action
id: CA-2025-014
title: Enforce MFA on the VPN
nonconformity: Contractor VPN profiles allow logging in without MFA (IA-2025-03).
raised: 2025-03-14
owner: IT Manager
due: 2025-05-31
status: closed
root-cause: The VPN was set up before the access control policy required MFA.
action-taken: MFA enforced on every VPN profile; new profiles are created from a template with MFA.
closed: 2025-06-06
",
        )],
    ),
    fix: "Close the action (with its root cause, the action taken and the closing date), or — if \
the plan changed — record the new due date with the reason and the decision in the action's \
history. Do not move due dates silently: the git history shows it.",
    options: &[],
    deadlines: true,
};

impl Rule for CorrectiveActionOverdue {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for (record, action) in cx.repo.actions() {
            if !action.is_open_on(cx.as_of) || record.unreadable("closed") {
                continue;
            }
            let Some(due) = action.due else { continue };
            cx.deadline(
                Deadline {
                    rule: META.id,
                    what: format!("corrective action {}", action.id),
                    due,
                    file: record.file,
                    span: record.span(["due"]),
                    record_id: Some(action.id.clone()),
                    reason: format!("it is still {}", super::open_word(action, cx.as_of)),
                },
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    fn repo(status: &str, due: &str) -> TestRepo {
        TestRepo::new().file(
            "actions/ca.yaml",
            &format!(
                "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix it\n    owner: Ann\n    status: {status}\n    due: {due}\n"
            ),
        )
    }

    const RULE: &str = "corrective-action-overdue";

    #[test]
    fn silent_well_before_the_due_date() {
        assert!(repo("open", "2025-06-30")
            .check_rule(RULE, "2025-05-01")
            .is_empty());
    }

    #[test]
    fn warns_inside_the_window() {
        assert_eq!(
            repo("open", "2025-06-30").check_rule(RULE, "2025-05-31"),
            ["actions/ca.yaml:7:10: warning[corrective-action-overdue] Corrective action CA-1 is due in 30 days (on 2025-06-30); it is still open"]
        );
        assert!(repo("open", "2025-06-30")
            .check_rule(RULE, "2025-05-30")
            .is_empty());
    }

    #[test]
    fn day_before_of_and_after() {
        let r = repo("in-progress", "2025-06-30");
        assert_eq!(
            r.check_rule(RULE, "2025-06-29"),
            ["actions/ca.yaml:7:10: warning[corrective-action-overdue] Corrective action CA-1 is due tomorrow (on 2025-06-30); it is still in progress"]
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-30"),
            ["actions/ca.yaml:7:10: warning[corrective-action-overdue] Corrective action CA-1 is due today (on 2025-06-30); it is still in progress"]
        );
        assert_eq!(
            r.check_rule(RULE, "2025-07-01"),
            ["actions/ca.yaml:7:10: error[corrective-action-overdue] Corrective action CA-1 is overdue: it was due on 2025-06-30 (1 day ago); it is still in progress"]
        );
    }

    #[test]
    fn leap_day_due_date() {
        assert_eq!(
            repo("open", "2024-02-29").check_rule(RULE, "2024-03-01"),
            ["actions/ca.yaml:7:10: error[corrective-action-overdue] Corrective action CA-1 is overdue: it was due on 2024-02-29 (1 day ago); it is still open"]
        );
    }

    #[test]
    fn closed_actions_are_not_checked() {
        assert!(repo("closed", "2024-02-29")
            .check_rule(RULE, "2025-01-01")
            .is_empty());
        assert!(repo("cancelled", "2024-02-29")
            .check_rule(RULE, "2025-01-01")
            .is_empty());
    }

    /// `--as-of` reads the repository as it says things stood on that day:
    /// an action closed (or cancelled) after the day was still open on it.
    #[test]
    fn an_action_closed_after_the_day_of_the_check_was_still_open_on_it() {
        for status in ["closed", "cancelled"] {
            let r = TestRepo::new().file(
                "actions/ca.yaml",
                &format!("kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix it\n    owner: Ann\n    status: {status}\n    due: 2025-06-30\n    closed: 2025-07-10\n"),
            );
            assert_eq!(
                r.check_rule(RULE, "2025-07-09"),
                ["actions/ca.yaml:7:10: error[corrective-action-overdue] Corrective action CA-1 is overdue: it was due on 2025-06-30 (9 days ago); it is still open"],
                "{status}"
            );
            assert!(r.check_rule(RULE, "2025-07-10").is_empty(), "{status}");
            assert!(r.check_rule(RULE, "2025-07-11").is_empty(), "{status}");
        }
    }

    #[test]
    fn severity_and_horizon_follow_the_configuration() {
        let r = repo("open", "2025-06-30").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    corrective-action-overdue:\n      severity: warning\n      horizon: 7 days\n",
        );
        assert!(r.check_rule(RULE, "2025-06-22").is_empty());
        assert_eq!(r.check_rule(RULE, "2025-06-23").len(), 1);
        assert!(r.check_rule(RULE, "2025-07-01")[0].contains("warning[corrective-action-overdue]"));
        let off = repo("open", "2025-06-30").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    corrective-action-overdue: off\n",
        );
        assert!(off.check_rule(RULE, "2025-07-01").is_empty());
    }
}

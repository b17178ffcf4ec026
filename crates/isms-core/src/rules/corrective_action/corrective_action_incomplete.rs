use crate::finding::Severity;
use crate::model::{ActionStatus, Standard};
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

use super::{is_blank, open_word};

/// A corrective action without what its status needs: an owner and a due
/// date while open; a root cause, the action taken and a closing date once
/// closed.
pub struct CorrectiveActionIncomplete;

static META: RuleMeta = RuleMeta {
    id: RuleId::CorrectiveActionIncomplete,
    category: Category::CorrectiveAction,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 10.2 a–g",
    summary: "A corrective action lacks an owner or due date while open, or a root cause, the action taken or a closing date once closed",
    what: "An action with `status: open` or `in-progress` needs an `owner` and a `due` date. An \
action with `status: closed` needs a `root-cause`, the `action-taken` and the `closed` date. \
Each missing field is its own finding, at the action's `status`. A field that is present but \
empty counts as missing. Cancelled actions are not checked.",
    why: "10.2 requires the organisation to react to the nonconformity (a), evaluate the need \
for action by determining its causes (b), implement the action needed (c), review its \
effectiveness (d), and keep documented information on the nature of the nonconformity, the \
actions taken and their results (f, g). An open action with no owner is one nobody is \
accountable for, and without a due date no one can tell whether it is late. A closed action \
without its root cause shows a correction, not a corrective action; without the action taken \
or the closing date there is no evidence of what was done, or when — and no date from which to \
review its effectiveness.",
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
due: 2025-05-31
status: closed
action-taken: MFA enforced on every VPN profile.
",
            ),
        ],
        "2025-06-10",
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
due: 2025-05-31
status: closed
root-cause: The VPN was set up before the access control policy required MFA.
action-taken: MFA enforced on every VPN profile.
closed: 2025-05-28
",
            ),
        ],
    ),
    fix: "Fill in what is missing. For an open action: who owns it (`owner`) and by when it is \
to be done (`due`). For a closed action: why the nonconformity happened (`root-cause`), what \
was done to remove the cause (`action-taken`) and the day it was closed (`closed`). If the \
root cause was never analysed, the action is not really closed: reopen it.",
    options: &[],
    deadlines: false,
};

impl Rule for CorrectiveActionIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for (record, action) in cx.repo.actions() {
            // Raised after the day of the check: it did not exist yet.
            if !action.raised_by(cx.as_of) {
                continue;
            }
            let id = action.id.as_str();
            let missing: Vec<(&str, String)> = match action.status_on(cx.as_of) {
                ActionStatus::Open | ActionStatus::InProgress => {
                    let status = open_word(action, cx.as_of);
                    let mut m = Vec::new();
                    if is_blank(&action.owner) {
                        m.push((
                            "owner",
                            format!("Corrective action {id} is {status} without an `owner`: nobody is accountable for carrying it out (10.2 c)"),
                        ));
                    }
                    if action.due.is_none() {
                        m.push((
                            "due",
                            format!("Corrective action {id} is {status} without a `due` date: nothing shows by when it will be implemented, and no one can tell whether it is late (10.2 c)"),
                        ));
                    }
                    m
                }
                ActionStatus::Closed => {
                    let mut m = Vec::new();
                    if is_blank(&action.root_cause) {
                        m.push((
                            "root-cause",
                            format!("Corrective action {id} is closed without a `root-cause`: 10.2 b requires the causes of the nonconformity to be determined, or the action is a correction only"),
                        ));
                    }
                    if is_blank(&action.action_taken) {
                        m.push((
                            "action-taken",
                            format!("Corrective action {id} is closed without the `action-taken`: 10.2 f requires evidence of the actions taken"),
                        ));
                    }
                    if action.closed.is_none() {
                        m.push((
                            "closed",
                            format!("Corrective action {id} is closed without a `closed` date: nothing shows when it was done, or from when to review its effectiveness (10.2 d, g)"),
                        ));
                    }
                    m
                }
                ActionStatus::Cancelled => continue,
            };
            let span = record.span(["status"]);
            // A value that could not be read is reported where it is, not
            // again here as missing.
            for (field, message) in missing.into_iter().filter(|(f, _)| !record.unreadable(f)) {
                let f = cx
                    .finding(record.file, span)
                    .message(message)
                    .record(Some(id))
                    .key(field);
                cx.emit(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "corrective-action-incomplete";

    fn action(fields: &str) -> TestRepo {
        TestRepo::new().file(
            "actions/ca.yaml",
            &format!(
                "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix it\n{fields}"
            ),
        )
    }

    #[test]
    fn complete_actions_are_clean() {
        assert!(
            action("    status: open\n    owner: Ann\n    due: 2025-06-30\n")
                .check_rule(RULE, "2025-06-01")
                .is_empty()
        );
        assert!(action("    status: closed\n    root-cause: No MFA policy.\n    action-taken: Policy and enforcement.\n    closed: 2024-02-29\n")
            .check_rule(RULE, "2025-06-01")
            .is_empty());
    }

    /// Closed after the day of the check: on that day the action was open,
    /// and is held to what an open action needs, not a closed one.
    #[test]
    fn an_action_closed_after_the_day_of_the_check_is_checked_as_open() {
        let r = action(
            "    status: closed\n    closed: 2025-07-10\n    action-taken: Policy written.\n",
        );
        let before = r.check_rule(RULE, "2025-07-09");
        assert_eq!(before.len(), 2, "{before:?}");
        assert!(before.iter().all(|f| f.contains("CA-1 is open without")));
        let closed = ["actions/ca.yaml:5:13: error[corrective-action-incomplete] Corrective action CA-1 is closed without a `root-cause`: 10.2 b requires the causes of the nonconformity to be determined, or the action is a correction only"];
        assert_eq!(r.check_rule(RULE, "2025-07-10"), closed);
        assert_eq!(r.check_rule(RULE, "2025-07-11"), closed);
    }

    #[test]
    fn an_action_raised_after_the_day_of_the_check_is_not_checked() {
        let r = action("    status: open\n    raised: 2025-07-10\n    owner: Ann\n");
        assert!(r.check_rule(RULE, "2025-07-09").is_empty());
        assert_eq!(r.check_rule(RULE, "2025-07-10").len(), 1);
    }

    #[test]
    fn open_without_owner_or_due_date() {
        assert_eq!(
            action("    status: open\n").check_rule(RULE, "2025-06-01"),
            [
                "actions/ca.yaml:5:13: error[corrective-action-incomplete] Corrective action CA-1 is open without a `due` date: nothing shows by when it will be implemented, and no one can tell whether it is late (10.2 c)",
                "actions/ca.yaml:5:13: error[corrective-action-incomplete] Corrective action CA-1 is open without an `owner`: nobody is accountable for carrying it out (10.2 c)",
            ]
        );
        assert_eq!(
            action("    status: in-progress\n    owner: \"  \"\n    due: 2025-06-30\n")
                .check_rule(RULE, "2025-06-01"),
            ["actions/ca.yaml:5:13: error[corrective-action-incomplete] Corrective action CA-1 is in progress without an `owner`: nobody is accountable for carrying it out (10.2 c)"]
        );
    }

    #[test]
    fn closed_without_root_cause_action_taken_or_closed_date() {
        assert_eq!(
            action("    status: closed\n    root-cause:\n").check_rule(RULE, "2025-06-01"),
            [
                "actions/ca.yaml:5:13: error[corrective-action-incomplete] Corrective action CA-1 is closed without a `closed` date: nothing shows when it was done, or from when to review its effectiveness (10.2 d, g)",
                "actions/ca.yaml:5:13: error[corrective-action-incomplete] Corrective action CA-1 is closed without a `root-cause`: 10.2 b requires the causes of the nonconformity to be determined, or the action is a correction only",
                "actions/ca.yaml:5:13: error[corrective-action-incomplete] Corrective action CA-1 is closed without the `action-taken`: 10.2 f requires evidence of the actions taken",
            ]
        );
    }

    #[test]
    fn cancelled_actions_are_not_checked() {
        assert!(action("    status: cancelled\n")
            .check_rule(RULE, "2025-06-01")
            .is_empty());
    }

    #[test]
    fn each_missing_field_is_its_own_finding() {
        let report = action("    status: open\n").report("2025-06-01");
        let mut keys: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == RULE)
            .map(|f| (f.key.clone().unwrap(), f.record_id.clone().unwrap()))
            .collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                ("due".to_owned(), "CA-1".to_owned()),
                ("owner".to_owned(), "CA-1".to_owned())
            ]
        );
    }

    #[test]
    fn severity_and_off_follow_the_configuration() {
        let r = |level: &str| {
            action("    status: open\n    owner: Ann\n")
                .manifest(&format!(
                    "organisation:\n  name: T\nlint:\n  rules:\n    corrective-action-incomplete: {level}\n"
                ))
                .check_rule(RULE, "2025-06-01")
        };
        assert!(r("warning")[0].contains("warning[corrective-action-incomplete]"));
        assert!(r("off").is_empty());
    }
}

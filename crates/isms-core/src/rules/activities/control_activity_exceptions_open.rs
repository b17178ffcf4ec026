use std::collections::HashSet;

use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::{ActionStatus, Kind, Outcome, Standard};
use crate::rules::{Basis, Category, Deadline, Opt, Rule, RuleContext, RuleId, RuleMeta};

/// A performance that found exceptions, with no reaction recorded.
pub struct ControlActivityExceptionsOpen;

const GRACE: Opt<Interval> = Opt::new(
    "grace",
    "14 days",
    "How long after a performance the reaction to its exceptions may take to be recorded.",
    Basis::Practice,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::ControlActivityExceptionsOpen,
    category: Category::Activities,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 10.2 a, 9.1",
    summary: "A control performance found exceptions or failed, and nothing records the reaction",
    what: "For every `control-performance` dated on or before the day of the check with \
`outcome: exceptions` or `outcome: failed`, looks for what answers it: a corrective action \
whose `source` is the performance's `id` (raised by the day of the check, and not cancelled), \
or a later performance whose `follows-up` names it (the follow-up that found the exceptions \
corrected). With neither once `grace` (14 days) has passed since the performance, it is \
reported at the performance's `outcome`; nothing is reported before then, as the reaction \
may still be being recorded. ISO/IEC 27001 sets no such period: 14 days is common practice, \
set `grace` to yours.",
    why: "An access review that finds leavers' accounts still active, or a restore test that \
fails, is a nonconformity of the control it operates: 10.2 a requires the organisation to \
react to it, to control and correct it, and 10.2 f to keep documented information of what it \
did. An auditor sampling the performance's record asks first what happened to its \
exceptions.",
    example: crate::rules::Example::new(
        &[
            (
                "activities/user-access-review.yaml",
                r#"kind: control-activity
id: ACT-UAR
title: Quarterly user access review
controls: ["5.18"]
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
    outcome: exceptions
    exceptions:
      - Two leavers still had VPN accounts.
"#,
            ),
        ],
        "2025-04-20",
        &[(
            "actions/CA-2025-011.yaml",
            "\
kind: corrective-action
id: CA-2025-011
title: Remove leavers' VPN accounts and automate the leaver checklist
source: PERF-UAR-2025-Q1
raised: 2025-03-28
owner: dokafor
due: 2025-05-31
status: open
",
        )],
    ),
    fix: "Raise a corrective action with `source:` the performance's id, recording the \
correction and, where the cause could recur, the action to remove it. Where the exceptions \
were simply corrected, record the check that found them corrected as a performance with \
`follows-up:` the performance's id.",
    options: &[GRACE.def],
    deadlines: false,
};

impl Rule for ControlActivityExceptionsOpen {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        // An answer that could not be read may be the one: its cause is
        // reported where it is.
        if cx
            .unread(
                Kind::CorrectiveAction,
                &["source", "status", "closed", "raised"],
            )
            .is_some()
            || cx
                .unread(Kind::ControlPerformance, &["follows-up", "date"])
                .is_some()
        {
            return;
        }
        let repo = cx.repo;
        let as_of = cx.as_of;
        let grace = cx.get(&GRACE);
        let mut answered: HashSet<&str> = repo
            .actions()
            .filter(|(_, a)| a.raised_by(as_of) && a.status_on(as_of) != ActionStatus::Cancelled)
            .filter_map(|(_, a)| a.source.as_deref().map(str::trim))
            .collect();
        answered.extend(
            repo.performances()
                .filter(|(_, p)| p.done_by(as_of))
                .filter_map(|(_, p)| p.follows_up.as_deref().map(str::trim)),
        );
        for (record, p) in repo.performances() {
            if !p.done_by(as_of)
                || !p.outcome.needs_reaction()
                || record.unreadable("outcome")
                || answered.contains(p.id.as_str())
            {
                continue;
            }
            let found = match (p.outcome, p.exceptions.len()) {
                (Outcome::Failed, _) => "failed".to_owned(),
                (_, 0) => "found exceptions".to_owned(),
                (_, 1) => format!("found an exception ({})", p.exceptions[0].trim()),
                (_, n) => format!("found {n} exceptions"),
            };
            cx.deadline_with(
                Deadline {
                    rule: META.id,
                    what: format!(
                        "the reaction to control performance {} of {} on {}",
                        p.id,
                        p.activity.trim(),
                        p.date
                    ),
                    due: grace.after(p.date),
                    file: record.file,
                    span: record.span(["outcome"]),
                    record_id: Some(p.id.clone()),
                    reason: format!(
                        "it {found}, and no corrective action or later performance refers to it: clause 10.2 a requires a reaction to it"
                    ),
                },
                Some(&format!(
                    "Raise a corrective action with `source: {}`, or record the performance that found the exceptions corrected with `follows-up: {}`.",
                    p.id, p.id
                )),
                Severity::Error,
                false,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "control-activity-exceptions-open";

    const ACTIVITY: &str = "kind: control-activity\nid: ACT-1\ntitle: Backup restore test\ncontrols: [\"8.13\"]\nevery: 3 months\nstart: 2024-01-01\n";

    fn repo(performances: &str) -> TestRepo {
        TestRepo::new().file("activities/act.yaml", ACTIVITY).file(
            "activities/perf.yaml",
            &format!("kind: control-performance\nentries:\n{performances}"),
        )
    }

    fn perf(id: &str, date: &str, outcome: &str, extra: &str) -> String {
        format!(
            "  - id: {id}\n    activity: ACT-1\n    date: {date}\n    outcome: {outcome}\n{extra}"
        )
    }

    const EXCEPTIONS: &str =
        "    exceptions:\n      - The CRM restore took 9 hours against a 4-hour objective.\n";

    #[test]
    fn exceptions_without_a_reaction_once_the_grace_has_passed() {
        // Performed on 29 February: 14 days later is 14 March.
        let r = repo(&perf("P-1", "2028-02-29", "exceptions", EXCEPTIONS));
        assert!(r.check_rule(RULE, "2028-02-29").is_empty());
        assert!(r.check_rule(RULE, "2028-03-13").is_empty());
        assert!(
            r.check_rule(RULE, "2028-03-14").is_empty(),
            "the last day of the grace"
        );
        assert_eq!(
            r.check_rule(RULE, "2028-03-15"),
            ["activities/perf.yaml:6:14: error[control-activity-exceptions-open] The reaction to control performance P-1 of ACT-1 on 2028-02-29 is overdue: it was due on 2028-03-14 (1 day ago); it found an exception (The CRM restore took 9 hours against a 4-hour objective.), and no corrective action or later performance refers to it: clause 10.2 a requires a reaction to it"]
        );
        // Across a month end, with no grace at all.
        let none = repo(&perf("P-1", "2025-01-31", "failed", "")).manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    control-activity-exceptions-open:\n      grace: 0 days\n",
        );
        assert!(none.check_rule(RULE, "2025-01-31").is_empty());
        assert!(none.check_rule(RULE, "2025-02-01")[0]
            .contains("is overdue: it was due on 2025-01-31 (1 day ago); it failed, and"));
        assert!(r.check_rule(RULE, "2028-02-28").is_empty());
    }

    #[test]
    fn failed_and_many_exceptions_are_worded_and_a_pass_is_silent() {
        let r = repo(
            &[
                perf("P-1", "2025-03-31", "failed", ""),
                perf(
                    "P-2",
                    "2025-06-30",
                    "exceptions",
                    "    exceptions: [a, b]\n",
                ),
                perf("P-3", "2025-09-30", "pass", ""),
            ]
            .concat(),
        );
        let got = r.check_rule(RULE, "2025-10-01");
        assert_eq!(got.len(), 2, "{got:#?}");
        assert!(got[0].contains("P-1 of ACT-1 on 2025-03-31 is overdue: it was due on 2025-04-14 (170 days ago); it failed, and"));
        assert!(got[1].contains("P-2 of ACT-1 on 2025-06-30 is overdue: it was due on 2025-07-14 (79 days ago); it found 2 exceptions, and"));
    }

    #[test]
    fn a_corrective_action_answers_from_the_day_it_is_raised() {
        let r = repo(&perf("P-1", "2025-01-31", "failed", ""))
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    control-activity-exceptions-open:\n      grace: 0 days\n")
            .file(
            "actions/ca.yaml",
            "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Fix restores\n    source: P-1\n    raised: 2025-02-03\n    status: open\n  - id: CA-2\n    title: Other\n    source: P-1\n    raised: 2025-01-31\n    status: cancelled\n    closed: 2025-02-01\n",
        );
        assert_eq!(r.check_rule(RULE, "2025-01-31").len(), 0, "CA-2 open then");
        assert_eq!(r.check_rule(RULE, "2025-02-01").len(), 1, "CA-2 cancelled");
        assert_eq!(r.check_rule(RULE, "2025-02-02").len(), 1);
        assert!(r.check_rule(RULE, "2025-02-03").is_empty());
        assert!(r.check_rule(RULE, "2025-02-04").is_empty());
    }

    #[test]
    fn a_later_performance_that_follows_it_up_answers() {
        let r = repo(
            &[
                perf("P-1", "2025-03-31", "exceptions", EXCEPTIONS),
                perf("P-2", "2025-04-30", "pass", "    follows-up: P-1\n"),
            ]
            .concat(),
        );
        assert_eq!(r.check_rule(RULE, "2025-04-29").len(), 1);
        assert!(r.check_rule(RULE, "2025-04-30").is_empty());
        assert!(r.check_rule(RULE, "2026-01-01").is_empty());
        // A later performance that does not name it does not.
        let silent = repo(
            &[
                perf("P-1", "2025-03-31", "exceptions", EXCEPTIONS),
                perf("P-2", "2025-04-30", "pass", ""),
            ]
            .concat(),
        );
        assert_eq!(silent.check_rule(RULE, "2025-05-01").len(), 1);
    }
}

use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::Standard;
use crate::text::{capitalise, plural};

use crate::rules::{Basis, Category, Opt, Rule, RuleContext, RuleId, RuleMeta};

use super::{describe_commit, events};

/// A record first committed long after the event it records.
pub struct RecordBackdated;

const MAX_DELAY: Opt<Interval> = Opt::new(
    "max-delay",
    "30 days",
    "How long after its event a record may first be committed.",
    Basis::Practice,
);

/// Versions of the example's file, as in its files and in its history.
const EXAMPLE_REVIEW: &str = "\
---
kind: management-review
id: MR-2025-06
title: Management review, June 2025
date: 2025-06-12
attendees: [hmarsh, dokafor, twhitfield]
---
# Management review, June 2025
";

static META: RuleMeta = RuleMeta {
    id: RuleId::RecordBackdated,
    category: Category::History,
    default_severity: Severity::Warning,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 7.5.3",
    summary: "A record was first committed long after the date of the event it records",
    what: "A record whose event was first committed more than `max-delay` (30 days by default) \
after the date the record gives for it:\n\n\
- an audit `completed` on a date, first committed as `status: completed`;\n\
- a management review held on its `date`, first committed as held (no `status`, or `completed`);\n\
- an awareness activity held on its `date`, likewise;\n\
- a corrective action `raised` on a date, first committed at all; and one `closed` on a date, \
first committed as `status: closed`.\n\n\
The rule dates the *record*, not the file: for a register that holds many records, each entry's \
first appearance is found by its `id` in the successive versions of the file, so an entry added \
last week to a register created years ago is dated last week. A record that was committed as \
planned first and completed later is dated by the commit that completed it. When an action first \
appears already closed and its `raised` date is reported, its `closed` date is not reported again. \
Records not yet committed are not looked at.\n\n\
History is read along the first-parent line of the checked commit, by path: a file moved without \
being edited keeps its history; a file moved and edited in the same commit starts a new history \
there, and its records then look as if first committed that day. The rule is silent without \
history (not a git repository, a shallow clone, no commits yet).",
    why: "7.5.3 asks that documented information be controlled, and the auditor's question is \
\"show me when\": a management review \"held\" in June that first appears in the repository the \
week before the surveillance audit is not evidence that it was held in June. Records written \
long after the fact are a classic sign of an ISMS kept for the audit rather than run. The \
30-day allowance is common practice (minutes take time to approve); the standard sets no number.",
    example: crate::rules::Example {
        files: &[("reviews/2025-06-management-review.md", EXAMPLE_REVIEW)],
        commits: &[crate::rules::ExampleCommit {
            date: "2025-11-20",
            author: "Tom Whitfield",
            summary: "Add the June management review",
            files: &[("reviews/2025-06-management-review.md", EXAMPLE_REVIEW)],
        }],
        as_of: "2025-12-01",
        fixed: &[(
            "isms.yaml",
            "\
organisation:
  name: Kestrel Data Services Ltd
waivers:
  - rule: record-backdated
    target: MR-2025-06
    reason: >-
      The minutes were kept on paper, signed by Helen Marsh on 2025-06-19
      and typed up in November; the signed copy is in the board minute book.
    owner: twhitfield
    expires: 2026-06-30
",
        )],
        fixed_commits: &[],
        latin1: &[],
    },
    fix: "Commit records when the event happens (minutes the week of the meeting, the audit \
report when it is issued). For a record that genuinely had to be written late, keep the \
evidence of the date — the signed minutes, the calendar invitation, the e-mailed report — \
linked from the record, and waive the finding with that reason.",
    options: &[MAX_DELAY.def],
    deadlines: false,
};

impl Rule for RecordBackdated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(history) = &cx.repo.history else {
            return;
        };
        let max_delay = cx.get(&MAX_DELAY);
        // (record id, commit id) already reported: one commit that wrote a
        // whole record after the fact is one finding.
        let mut reported: Vec<(String, String)> = Vec::new();
        for ev in events(cx.repo, cx.as_of) {
            let Some(timeline) = history.timeline(cx.repo.path(ev.record.file)) else {
                continue;
            };
            let Some(version) = timeline.first_where(ev.id, ev.attested) else {
                continue;
            };
            let commit = &version.commit;
            if commit.date <= max_delay.after(ev.date) {
                continue;
            }
            let key = (ev.id.to_owned(), commit.id.clone());
            if reported.contains(&key) {
                continue;
            }
            reported.push(key);
            let days = (commit.date - ev.date).num_days();
            // "first committed" when the record appeared with the event;
            // "recorded as completed" when it was there before (planned).
            let appeared = timeline.first_where(ev.id, |_| true);
            let what = if appeared.is_some_and(|a| a.commit.id == commit.id) {
                "first committed".to_owned()
            } else {
                format!("recorded as {}", ev.verb)
            };
            let f = cx
                .finding(ev.record.file, ev.record.span([ev.field]))
                .message(format!(
                    "{}, {} on {}, was {what} {} later, in {}",
                    capitalise(&ev.label()),
                    ev.verb,
                    ev.date,
                    plural(days, "day"),
                    describe_commit(commit)
                ))
                .help("commit records when the event happens; for one written late, link the evidence of its date (signed minutes, the issued report) and waive this finding with that reason")
                .record(Some(ev.id))
                .key(ev.field);
            cx.emit(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::history::History;
    use crate::testing::TestRepo;

    const RULE: &str = "record-backdated";

    fn review(date: &str) -> String {
        format!(
            "---\nkind: management-review\nid: MR-1\ntitle: Review\ndate: {date}\n---\n# Minutes\n"
        )
    }

    fn review_committed_on(commit_date: &str) -> TestRepo {
        let history = History::builder()
            .commit(
                commit_date,
                "Ann Lee",
                "Add the June review",
                &[("reviews/mr.md", &review("2025-06-12"))],
            )
            .build();
        TestRepo::new()
            .file("reviews/mr.md", &review("2025-06-12"))
            .history(history)
    }

    #[test]
    fn a_review_committed_months_after_it_was_held() {
        let found = review_committed_on("2025-11-20").check_rule(RULE, "2025-12-01");
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("reviews/mr.md:5:7: warning[record-backdated] Management review MR-1, held on 2025-06-12, was first committed 161 days later, in commit "),
            "{}",
            found[0]
        );
        assert!(
            found[0].ends_with(" (Ann Lee, 2025-11-20: “Add the June review”)"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn max_delay_day_of_and_after() {
        // 2025-06-12 + 30 days = 2025-07-12.
        assert!(review_committed_on("2025-07-12")
            .check_rule(RULE, "2025-12-01")
            .is_empty());
        assert_eq!(
            review_committed_on("2025-07-13")
                .check_rule(RULE, "2025-12-01")
                .len(),
            1
        );
        assert!(review_committed_on("2025-06-01")
            .check_rule(RULE, "2025-12-01")
            .is_empty());
    }

    #[test]
    fn an_entry_added_late_to_an_old_register() {
        let reg = |entries: &str| format!("kind: awareness-activity\nentries:\n{entries}");
        let jan =
            "  - id: AW-1\n    title: Phishing talk\n    type: briefing\n    date: 2025-01-15\n";
        let mar = "  - id: AW-2\n    title: Poster\n    type: poster\n    date: 2025-03-03\n";
        let history = History::builder()
            .commit(
                "2025-01-16",
                "Ann Lee",
                "January",
                &[("awareness/2025.yaml", &reg(jan))],
            )
            .commit(
                "2025-09-01",
                "Ann Lee",
                "Catch up",
                &[("awareness/2025.yaml", &reg(&format!("{jan}{mar}")))],
            )
            .build();
        let found = TestRepo::new()
            .file("awareness/2025.yaml", &reg(&format!("{jan}{mar}")))
            .history(history)
            .check_rule(RULE, "2025-09-30");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("awareness/2025.yaml:10:11: warning[record-backdated] Awareness activity AW-2, held on 2025-03-03, was first committed 182 days later, in commit "), "{}", found[0]);
    }

    #[test]
    fn a_planned_audit_is_dated_by_the_commit_that_completes_it() {
        let audit = |status: &str, completed: &str| {
            format!("kind: audit\nid: IA-1\ntitle: Access\ntype: internal\nstatus: {status}\nplanned: 2025-03-01\n{completed}")
        };
        let done = audit("completed", "completed: 2025-03-03\n");
        let on_time = History::builder()
            .commit(
                "2025-01-05",
                "Ann Lee",
                "Plan",
                &[("audits/ia.yaml", &audit("planned", ""))],
            )
            .commit(
                "2025-03-10",
                "Ann Lee",
                "Report",
                &[("audits/ia.yaml", &done)],
            )
            .build();
        let repo = TestRepo::new().file("audits/ia.yaml", &done);
        assert!(repo
            .clone()
            .history(on_time)
            .check_rule(RULE, "2025-06-30")
            .is_empty());
        let late = History::builder()
            .commit(
                "2025-01-05",
                "Ann Lee",
                "Plan",
                &[("audits/ia.yaml", &audit("planned", ""))],
            )
            .commit(
                "2025-06-10",
                "Ann Lee",
                "Report",
                &[("audits/ia.yaml", &done)],
            )
            .build();
        let found = repo.history(late).check_rule(RULE, "2025-06-30");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("audits/ia.yaml:7:12: warning[record-backdated] Audit IA-1, completed on 2025-03-03, was recorded as completed 99 days later, in commit "), "{}", found[0]);
    }

    #[test]
    fn an_action_raised_in_time_but_closed_late() {
        let reg = |e: &str| format!("kind: corrective-action\nentries:\n{e}");
        let open = "  - id: CA-1\n    title: Fix\n    status: open\n    raised: 2025-01-02\n";
        let closed = "  - id: CA-1\n    title: Fix\n    status: closed\n    raised: 2025-01-02\n    closed: 2025-02-01\n";
        let history = History::builder()
            .commit(
                "2025-01-03",
                "Ann Lee",
                "Raise",
                &[("actions/ca.yaml", &reg(open))],
            )
            .commit(
                "2025-05-01",
                "Ann Lee",
                "Close",
                &[("actions/ca.yaml", &reg(closed))],
            )
            .build();
        let found = TestRepo::new()
            .file("actions/ca.yaml", &reg(closed))
            .history(history)
            .check_rule(RULE, "2025-06-30");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("actions/ca.yaml:7:13: warning[record-backdated] Corrective action CA-1, closed on 2025-02-01, was recorded as closed 89 days later, in commit "), "{}", found[0]);
    }

    #[test]
    fn an_action_written_after_the_fact_is_one_finding() {
        let reg = |e: &str| format!("kind: corrective-action\nentries:\n{e}");
        let closed = "  - id: CA-1\n    title: Fix\n    status: closed\n    raised: 2025-01-02\n    closed: 2025-02-01\n";
        let history = History::builder()
            .commit(
                "2025-05-01",
                "Ann Lee",
                "Backfill",
                &[("actions/ca.yaml", &reg(closed))],
            )
            .build();
        let found = TestRepo::new()
            .file("actions/ca.yaml", &reg(closed))
            .history(history)
            .check_rule(RULE, "2025-06-30");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("Corrective action CA-1, raised on 2025-01-02, was first committed 119 days later, in commit "), "{}", found[0]);
    }

    #[test]
    fn planned_records_and_records_not_committed_are_not_checked() {
        let planned = "---\nkind: management-review\nid: MR-1\ntitle: Review\nstatus: planned\ndate: 2025-06-12\n---\n";
        let history = History::builder()
            .commit(
                "2025-11-20",
                "Ann Lee",
                "Plan",
                &[("reviews/mr.md", planned)],
            )
            .build();
        assert!(TestRepo::new()
            .file("reviews/mr.md", planned)
            .history(history.clone())
            .check_rule(RULE, "2025-12-01")
            .is_empty());
        assert!(TestRepo::new()
            .file("reviews/other.md", &review("2025-01-01"))
            .history(history)
            .check_rule(RULE, "2025-12-01")
            .is_empty());
    }

    #[test]
    fn silent_without_history() {
        assert!(TestRepo::new()
            .file("reviews/mr.md", &review("2020-01-01"))
            .check_rule(RULE, "2025-12-01")
            .is_empty());
    }

    #[test]
    fn configuration_max_delay_severity_and_off() {
        let manifest = |rule: &str| {
            format!("organisation:\n  name: T\nlint:\n  rules:\n    record-backdated:\n{rule}")
        };
        let r = review_committed_on("2025-08-01");
        assert_eq!(r.check_rule(RULE, "2025-12-01").len(), 1);
        assert!(r
            .clone()
            .manifest(&manifest("      max-delay: 2 months\n"))
            .check_rule(RULE, "2025-12-01")
            .is_empty());
        assert!(r
            .clone()
            .manifest(&manifest("      severity: error\n"))
            .check_rule(RULE, "2025-12-01")[0]
            .contains("error[record-backdated]"));
        assert!(r
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    record-backdated: off\n")
            .check_rule(RULE, "2025-12-01")
            .is_empty());
    }
}

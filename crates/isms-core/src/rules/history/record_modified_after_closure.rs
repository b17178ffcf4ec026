use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::Standard;
use crate::text::{capitalise, plural};

use crate::rules::{Basis, Category, Opt, Rule, RuleContext, RuleId, RuleMeta};

use super::{closures, describe_commit};

/// A closed record changed by a commit well after its closure.
pub struct RecordModifiedAfterClosure;

const GRACE: Opt<Interval> = Opt::new(
    "grace",
    "14 days",
    "How long after closure a record may still be corrected without a finding.",
    Basis::Practice,
);

/// Versions of the example's file, as in its files and in its history.
const EXAMPLE_CLOSED: &str = "\
kind: corrective-action
title: Corrective action register 2025
entries:
  - id: CA-2025-004
    title: Rotate the backup encryption key
    owner: Head of Platform
    raised: 2025-01-20
    due: 2025-03-31
    status: closed
    root-cause: Key rotation was in no runbook.
    action-taken: Key rotated; yearly rotation added to the platform runbook.
    closed: 2025-03-10
";
const EXAMPLE_EDITED: &str = "\
kind: corrective-action
title: Corrective action register 2025
entries:
  - id: CA-2025-004
    title: Rotate the backup encryption key
    owner: Head of Platform
    raised: 2025-01-20
    due: 2025-03-31
    status: closed
    root-cause: Key rotation was in no runbook.
    action-taken: Key rotated; yearly rotation added to the platform runbook and automated in the backup vault.
    closed: 2025-03-10
";
const EXAMPLE_FOLLOW_UP: &str = "\
kind: corrective-action
title: Corrective action register 2025
entries:
  - id: CA-2025-004
    title: Rotate the backup encryption key
    owner: Head of Platform
    raised: 2025-01-20
    due: 2025-03-31
    status: closed
    root-cause: Key rotation was in no runbook.
    action-taken: Key rotated; yearly rotation added to the platform runbook.
    closed: 2025-03-10
  - id: CA-2025-012
    title: Automate the yearly backup key rotation
    source: CA-2025-004
    owner: Head of Platform
    raised: 2025-05-02
    due: 2025-07-31
    status: open
";

static META: RuleMeta = RuleMeta {
    id: RuleId::RecordModifiedAfterClosure,
    category: Category::History,
    default_severity: Severity::Warning,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 7.5.3, 10.2 f–g",
    summary: "A closed action, completed audit or held management review was changed by a commit long after its closure",
    what: "A corrective action with `status: closed`, an audit with `status: completed`, or a \
management review that was held, whose record was changed by a commit dated more than `grace` \
(14 days by default) after its `closed`, `completed` or `date`. The finding names the first such \
commit, its author and date.\n\n\
The rule compares the *record*, not the file: for every commit that touched the file, the record \
is found by its `id` in the version before and the version after, and only a change to its own \
content counts — adding another entry to a register, or reformatting (comments, quoting, key \
order, indentation), does not. A Markdown record's body counts as part of it. Fields that record \
what came after the closure are expected to be added later and do not count: an action's \
`effectiveness` review, and links to corrective actions raised from an audit finding or a review \
decision (`findings[].actions`, `decisions[].actions`). Only changes to a record that was already \
closed in the version before count: the commit that closes it late is `record-backdated`'s \
business. Changes not yet committed are not looked at.\n\n\
History is read along the first-parent line of the checked commit, by path: a file moved without \
being edited keeps its history, a file moved and edited in one commit starts a new one. The rule \
is silent without history (not a git repository, a shallow clone, no commits yet).",
    why: "7.5.3 requires documented information to be protected from loss of integrity, and \
10.2 f–g requires evidence of the nature of nonconformities, the actions taken and their \
results to be retained. A closed record is that evidence: once the action is closed or the audit \
report issued, rewriting it (softening a finding, adding a root cause after the fact, changing \
what was decided) destroys what the auditor relies on. The grace period is common practice — \
typos and late attachments are fixed in the days after closure; the standard sets no number.",
    example: crate::rules::Example {
        files: &[
            (
                "actions/2025.yaml",
                EXAMPLE_EDITED,
            ),
        ],
        commits: &[
            crate::rules::ExampleCommit {
                date: "2025-03-10",
                author: "Tom Whitfield",
                summary: "Close CA-2025-004",
                files: &[
                    (
                        "actions/2025.yaml",
                        EXAMPLE_CLOSED,
                    ),
                ],
            },
            crate::rules::ExampleCommit {
                date: "2025-05-02",
                author: "Marcus Bell",
                summary: "Update CA-2025-004",
                files: &[
                    (
                        "actions/2025.yaml",
                        EXAMPLE_EDITED,
                    ),
                ],
            },
        ],
        as_of: "2025-05-20",
        fixed: &[
            (
                "actions/2025.yaml",
                EXAMPLE_FOLLOW_UP,
            ),
        ],
        fixed_commits: &[
            crate::rules::ExampleCommit {
                date: "2025-03-10",
                author: "Tom Whitfield",
                summary: "Close CA-2025-004",
                files: &[
                    (
                        "actions/2025.yaml",
                        EXAMPLE_CLOSED,
                    ),
                ],
            },
            crate::rules::ExampleCommit {
                date: "2025-05-02",
                author: "Marcus Bell",
                summary: "Raise CA-2025-012 to automate the key rotation",
                files: &[
                    (
                        "actions/2025.yaml",
                        EXAMPLE_FOLLOW_UP,
                    ),
                ],
            },
        ],
        latin1: &[],
    },
    fix: "If the change corrected a real mistake, say so in the record: a dated note of what \
changed, why and by whom (and waive the finding with that reason). If new facts came up, record \
them in a new record — a new corrective action, a follow-up audit — and leave the closed one as \
it was. `git show COMMIT` shows what changed.",
    options: &[GRACE.def],
    deadlines: false,
};

impl Rule for RecordModifiedAfterClosure {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let Some(history) = &cx.repo.history else {
            return;
        };
        let grace = cx.get(&GRACE);
        for ev in closures(cx.repo, cx.as_of) {
            let Some(timeline) = history.timeline(cx.repo.path(ev.record.file)) else {
                continue;
            };
            let limit = grace.after(ev.date);
            let late: Vec<_> = timeline
                .record_changes(ev.id)
                .into_iter()
                .filter(|(before, version, _)| (ev.attested)(before) && version.commit.date > limit)
                .map(|(_, version, _)| version.commit.clone())
                .collect();
            let Some(first) = late.first() else { continue };
            let days = (first.date - ev.date).num_days();
            let more = match late.len() {
                1 => String::new(),
                2 => "; 1 later commit changed it too".to_owned(),
                n => format!("; {} later commits changed it too", n - 1),
            };
            let f = cx
                .finding(ev.record.file, ev.record.span([ev.field]))
                .message(format!(
                    "{}, {} on {}, was changed {} later, in {}{more}",
                    capitalise(&ev.label()),
                    ev.verb,
                    ev.date,
                    plural(days, "day"),
                    describe_commit(first)
                ))
                .help(format!(
                    "a closed record is evidence: see the change with `git show {}`; if it corrected a mistake, add a dated note saying what and why, otherwise record the new facts in a new record",
                    first.short_id()
                ))
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

    const RULE: &str = "record-modified-after-closure";

    fn register(entries: &[&str]) -> String {
        format!("kind: corrective-action\nentries:\n{}", entries.concat())
    }

    const CA1_OPEN: &str =
        "  - id: CA-1\n    title: Enforce MFA\n    status: open\n    raised: 2025-01-02\n";
    const CA1_CLOSED: &str = "  - id: CA-1\n    title: Enforce MFA\n    status: closed\n    raised: 2025-01-02\n    closed: 2025-01-10\n";
    const CA1_EDITED: &str = "  - id: CA-1\n    title: Enforce MFA on the VPN\n    status: closed\n    raised: 2025-01-02\n    closed: 2025-01-10\n";
    const CA2: &str =
        "  - id: CA-2\n    title: Patch the firewall\n    status: open\n    raised: 2025-03-01\n";

    /// CA-1 raised, closed in time, then edited on `edit_date`.
    fn edited_on(edit_date: &str) -> TestRepo {
        let history = History::builder()
            .commit(
                "2025-01-02",
                "Ann Lee",
                "Raise CA-1",
                &[("actions/ca.yaml", &register(&[CA1_OPEN]))],
            )
            .commit(
                "2025-01-10",
                "Ann Lee",
                "Close CA-1",
                &[("actions/ca.yaml", &register(&[CA1_CLOSED]))],
            )
            .commit(
                edit_date,
                "Bob Kay",
                "Reword CA-1",
                &[("actions/ca.yaml", &register(&[CA1_EDITED]))],
            )
            .build();
        TestRepo::new()
            .file("actions/ca.yaml", &register(&[CA1_EDITED]))
            .history(history)
    }

    #[test]
    fn a_change_after_the_grace_period_is_reported_with_its_commit() {
        let found = edited_on("2025-03-02").check_rule(RULE, "2025-06-30");
        assert_eq!(found.len(), 1);
        let expected_prefix = "actions/ca.yaml:7:13: warning[record-modified-after-closure] Corrective action CA-1, closed on 2025-01-10, was changed 51 days later, in commit ";
        assert!(found[0].starts_with(expected_prefix), "{}", found[0]);
        assert!(
            found[0].ends_with(" (Bob Kay, 2025-03-02: “Reword CA-1”)"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn grace_period_day_of_and_after() {
        // Closed 2025-01-10 + 14 days = 2025-01-24: a change that day is in grace.
        assert!(edited_on("2025-01-24")
            .check_rule(RULE, "2025-06-30")
            .is_empty());
        assert_eq!(
            edited_on("2025-01-25").check_rule(RULE, "2025-06-30").len(),
            1
        );
    }

    #[test]
    fn adding_an_entry_to_the_register_does_not_touch_closed_records() {
        let history = History::builder()
            .commit(
                "2025-01-02",
                "Ann Lee",
                "Raise CA-1",
                &[("actions/ca.yaml", &register(&[CA1_OPEN]))],
            )
            .commit(
                "2025-01-10",
                "Ann Lee",
                "Close CA-1",
                &[("actions/ca.yaml", &register(&[CA1_CLOSED]))],
            )
            .commit(
                "2025-03-01",
                "Bob Kay",
                "Raise CA-2",
                &[("actions/ca.yaml", &register(&[CA1_CLOSED, CA2]))],
            )
            .commit(
                "2025-03-05",
                "Bob Kay",
                "Reformat",
                &[(
                    "actions/ca.yaml",
                    &format!(
                        "# Corrective actions\n{}",
                        register(&[CA2, CA1_CLOSED])
                            .replace("status: closed", "status: \"closed\"")
                    ),
                )],
            )
            .build();
        let repo = TestRepo::new()
            .file("actions/ca.yaml", &register(&[CA1_CLOSED, CA2]))
            .history(history);
        assert!(repo.check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn recording_the_effectiveness_review_later_is_expected() {
        let with_review = format!(
            "{CA1_CLOSED}    effectiveness:\n      reviewed: 2025-04-10\n      effective: true\n"
        );
        let history = History::builder()
            .commit(
                "2025-01-10",
                "Ann Lee",
                "Close CA-1",
                &[("actions/ca.yaml", &register(&[CA1_CLOSED]))],
            )
            .commit(
                "2025-04-10",
                "Ann Lee",
                "Effectiveness of CA-1",
                &[("actions/ca.yaml", &register(&[&with_review]))],
            )
            .build();
        let repo = TestRepo::new()
            .file("actions/ca.yaml", &register(&[&with_review]))
            .history(history);
        assert!(repo.check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn the_late_closing_commit_itself_is_not_a_change_after_closure() {
        // Closed "on 2025-01-10" but only recorded in April: record-backdated reports that.
        let history = History::builder()
            .commit(
                "2025-01-02",
                "Ann Lee",
                "Raise CA-1",
                &[("actions/ca.yaml", &register(&[CA1_OPEN]))],
            )
            .commit(
                "2025-04-01",
                "Ann Lee",
                "Close CA-1",
                &[("actions/ca.yaml", &register(&[CA1_CLOSED]))],
            )
            .build();
        let repo = TestRepo::new()
            .file("actions/ca.yaml", &register(&[CA1_CLOSED]))
            .history(history);
        assert!(repo.check_rule(RULE, "2025-06-30").is_empty());
    }

    #[test]
    fn several_late_changes_are_one_finding_naming_the_first() {
        let v3 = CA1_EDITED.replace("on the VPN", "on the VPN and SSH");
        let history = History::builder()
            .commit(
                "2025-01-10",
                "Ann Lee",
                "Close CA-1",
                &[("actions/ca.yaml", &register(&[CA1_CLOSED]))],
            )
            .commit(
                "2025-03-02",
                "Bob Kay",
                "Reword CA-1",
                &[("actions/ca.yaml", &register(&[CA1_EDITED]))],
            )
            .commit(
                "2025-04-02",
                "Cy Dee",
                "Reword CA-1 again",
                &[("actions/ca.yaml", &register(&[&v3]))],
            )
            .build();
        let found = TestRepo::new()
            .file("actions/ca.yaml", &register(&[&v3]))
            .history(history)
            .check_rule(RULE, "2025-06-30");
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .ends_with(" (Bob Kay, 2025-03-02: “Reword CA-1”); 1 later commit changed it too"),
            "{}",
            found[0]
        );
    }

    #[test]
    fn completed_audits_and_held_reviews_in_markdown() {
        let audit = |body: &str| {
            format!("---\nkind: audit\nid: IA-2025-02\ntitle: Access control\ntype: internal\nstatus: completed\nplanned: 2025-02-10\ncompleted: 2025-02-12\n---\n# Report\n{body}\n")
        };
        let review = |decision: &str| {
            format!("---\nkind: management-review\nid: MR-2025-1\ntitle: H1 review\ndate: 2025-03-20\n---\n# Minutes\n{decision}\n")
        };
        let history = History::builder()
            .commit(
                "2025-02-13",
                "Ann Lee",
                "Audit report",
                &[
                    ("audits/ia.md", &audit("Two minor nonconformities.")),
                    ("reviews/mr.md", &review("Budget approved.")),
                ],
            )
            .commit(
                "2025-05-20",
                "Bob Kay",
                "Soften",
                &[
                    ("audits/ia.md", &audit("One observation.")),
                    ("reviews/mr.md", &review("Budget deferred.")),
                ],
            )
            .build();
        let found = TestRepo::new()
            .file("audits/ia.md", &audit("One observation."))
            .file("reviews/mr.md", &review("Budget deferred."))
            .history(history)
            .check_rule(RULE, "2025-06-30");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("audits/ia.md:8:12: warning[record-modified-after-closure] Audit IA-2025-02, completed on 2025-02-12, was changed 97 days later, in commit "), "{}", found[0]);
        assert!(found[1].starts_with("reviews/mr.md:5:7: warning[record-modified-after-closure] Management review MR-2025-1, held on 2025-03-20, was changed 61 days later, in commit "), "{}", found[1]);
    }

    #[test]
    fn open_records_are_not_checked() {
        let v2 = CA1_OPEN.replace("Enforce MFA", "Enforce MFA everywhere");
        let history = History::builder()
            .commit(
                "2025-01-02",
                "Ann Lee",
                "Raise",
                &[("actions/ca.yaml", &register(&[CA1_OPEN]))],
            )
            .commit(
                "2025-05-02",
                "Ann Lee",
                "Edit",
                &[("actions/ca.yaml", &register(&[&v2]))],
            )
            .build();
        assert!(TestRepo::new()
            .file("actions/ca.yaml", &register(&[&v2]))
            .history(history)
            .check_rule(RULE, "2025-06-30")
            .is_empty());
    }

    #[test]
    fn silent_without_history() {
        assert!(TestRepo::new()
            .file("actions/ca.yaml", &register(&[CA1_EDITED]))
            .check_rule(RULE, "2025-06-30")
            .is_empty());
    }

    #[test]
    fn configuration_grace_severity_and_off() {
        let manifest = |rule: &str| {
            format!("organisation:\n  name: T\nlint:\n  rules:\n    record-modified-after-closure:\n{rule}")
        };
        let r = edited_on("2025-03-02");
        let long_grace = r.clone().manifest(&manifest("      grace: 2 months\n"));
        assert!(long_grace.check_rule(RULE, "2025-06-30").is_empty());
        let error = r.clone().manifest(&manifest("      severity: error\n"));
        assert!(error.check_rule(RULE, "2025-06-30")[0]
            .contains("error[record-modified-after-closure]"));
        let off = r.manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    record-modified-after-closure: off\n",
        );
        assert!(off.check_rule(RULE, "2025-06-30").is_empty());
    }
}

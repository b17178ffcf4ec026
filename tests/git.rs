//! `isms-lint check` over real git repositories: what is read, the git
//! flags, history rules, shallow clones.

// The repository builder of the isms-git tests: one helper for both suites.
#[path = "../crates/isms-git/tests/common/mod.rs"]
mod git_support;

use std::path::Path;

use assert_cmd::Command;
use git_support::Fixture;
use serde_json::Value;

const MANIFEST: &str = "organisation:\n  name: Test Ltd\n";

/// An action register with one open action due on `due`.
fn actions(id: &str, due: &str) -> String {
    format!(
        "kind: corrective-action\nentries:\n  - id: {id}\n    title: Fix it\n    owner: Ann\n    status: open\n    raised: 2025-01-02\n    due: {due}\n"
    )
}

struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

impl Run {
    /// (rule, path, record id) of every finding, optionally of some rules only.
    fn findings(&self, rules: &[&str]) -> Vec<(String, String, String)> {
        self.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| rules.is_empty() || rules.contains(&f["rule"].as_str().unwrap()))
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_owned(),
                    f["path"].as_str().unwrap().to_owned(),
                    f["record_id"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    }

    fn messages(&self, rule: &str) -> Vec<String> {
        self.json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["message"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn check(dir: &Path, args: &[&str]) -> Run {
    let out = lint(dir, &[&["check", "--format", "json"], args].concat());
    let stdout = String::from_utf8(out.stdout).unwrap();
    Run {
        code: out.status.code().unwrap(),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// The day a check is run on when a test gives none: never the clock's.
const DAY: &str = "2025-06-30";

/// Run isms-lint in `dir`. A check always gets `--as-of` (the test's, or
/// [`DAY`]), so that no test depends on the day it runs.
fn lint(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut args = args.to_vec();
    if args.first() == Some(&"check") && !args.contains(&"--as-of") {
        args.extend(["--as-of", DAY]);
    }
    Command::cargo_bin("isms-lint")
        .unwrap()
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(&args)
        .output()
        .unwrap()
}

fn t(rule: &str, path: &str, id: &str) -> (String, String, String) {
    (rule.into(), path.into(), id.into())
}

const OVERDUE: &[&str] = &["corrective-action-overdue"];

#[test]
fn untracked_files_are_skipped_with_a_note() {
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST)
        .write("actions/a.yaml", &actions("CA-1", "2026-01-01"));
    f.commit("2025-01-10", "Ann", "Start");
    f.write("actions/new.yaml", &actions("CA-2", "2025-02-01"));

    let run = check(f.path(), &["--as-of", "2025-06-30"]);
    assert_eq!(run.findings(OVERDUE), []);
    assert!(
        run.stderr.contains("note: 1 untracked file was not checked (actions/new.yaml): `git add` it, or pass --include-untracked"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json["summary"]["records"], 1);

    let all = check(f.path(), &["--as-of", "2025-06-30", "--include-untracked"]);
    assert_eq!(
        all.findings(OVERDUE),
        [t("corrective-action-overdue", "actions/new.yaml", "CA-2")]
    );
    assert!(!all.stderr.contains("untracked"), "{}", all.stderr);
}

#[test]
fn outside_git_the_directory_is_read_and_a_note_says_so() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("isms.yaml"), MANIFEST).unwrap();
    std::fs::create_dir(dir.path().join("actions")).unwrap();
    std::fs::write(
        dir.path().join("actions/a.yaml"),
        actions("CA-1", "2025-02-01"),
    )
    .unwrap();
    let run = check(dir.path(), &["--as-of", "2025-06-30"]);
    assert_eq!(
        run.findings(OVERDUE),
        [t("corrective-action-overdue", "actions/a.yaml", "CA-1")]
    );
    assert!(
        run.stderr.contains("is not in a git repository: every file is read (except what .gitignore excludes), and history rules are skipped"),
        "{}",
        run.stderr
    );
    for flag in ["--staged", "--include-untracked"] {
        let out = lint(dir.path(), &["check", flag]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(&format!("{flag} needs a git repository")),
            "{err}"
        );
    }
    let out = lint(dir.path(), &["check", "--rev", "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_git_reads_the_directory_as_it_is() {
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST);
    f.commit("2025-01-10", "Ann", "Start");
    f.write("actions/new.yaml", &actions("CA-2", "2025-02-01"));
    let run = check(f.path(), &["--as-of", "2025-06-30", "--no-git"]);
    assert_eq!(
        run.findings(OVERDUE),
        [t("corrective-action-overdue", "actions/new.yaml", "CA-2")]
    );
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
}

#[test]
fn an_untracked_manifest_is_an_error_that_says_what_to_do() {
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST);
    let out = lint(f.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("isms.yaml is not tracked by git"), "{err}");
    assert!(err.contains("--include-untracked"), "{err}");
    let run = check(f.path(), &["--include-untracked"]);
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.json["summary"]["files"], 1);
}

#[test]
fn conflicting_flags_are_usage_errors() {
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST);
    f.commit("2025-01-10", "Ann", "Start");
    for args in [
        &["--rev", "HEAD", "--staged"][..],
        &["--rev", "HEAD", "--include-untracked"],
        &["--staged", "--include-untracked"],
        &["--no-git", "--rev", "HEAD"],
        &["--no-git", "--changed-since", "main"],
        &["--no-git", "--staged"],
    ] {
        let out = lint(f.path(), &[&["check"], args].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8(out.stderr)
            .unwrap()
            .contains("cannot be used with"));
    }
    let out = lint(f.path(), &["check", "--rev", "no-such-tag"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("`no-such-tag` names no commit"));
}

#[test]
fn rev_with_as_of_shows_what_the_auditor_saw_that_day() {
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST)
        .write("actions/2025.yaml", &actions("CA-1", "2025-06-20"));
    f.commit("2025-06-01", "Ann", "Raise CA-1");
    f.git(&["tag", "audit-2025"]);
    // Later the register moved and the action got a new due date.
    std::fs::create_dir_all(f.join("actions/register")).unwrap();
    f.git(&["mv", "actions/2025.yaml", "actions/register/all.yaml"]);
    f.write("actions/register/all.yaml", &actions("CA-1", "2025-12-31"));
    f.commit("2025-07-01", "Ann", "Move and extend");
    // Neither the index nor the working tree matter to --rev.
    f.write("isms.yaml", "not: [valid\n");

    let then = check(f.path(), &["--rev", "audit-2025", "--as-of", "2025-06-30"]);
    assert_eq!(
        then.findings(OVERDUE),
        [t("corrective-action-overdue", "actions/2025.yaml", "CA-1")]
    );
    let now = check(f.path(), &["--rev", "HEAD", "--as-of", "2025-06-30"]);
    assert_eq!(now.findings(OVERDUE), []);
    assert_ne!(now.code, 2, "{}", now.stderr);
    // The working tree's broken manifest is what a plain check sees.
    assert_eq!(lint(f.path(), &["check"]).status.code(), Some(2));
}

#[test]
fn staged_judges_a_half_staged_change_on_what_will_land() {
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST)
        .write("actions/a.yaml", &actions("CA-1", "2026-01-01"));
    f.commit("2025-01-10", "Ann", "Start");
    // Stage an overdue action, then fix it on disk without staging the fix.
    f.write("actions/a.yaml", &actions("CA-1", "2025-02-01"));
    f.git(&["add", "actions/a.yaml"]);
    f.write("actions/a.yaml", &actions("CA-1", "2026-01-01"));

    let staged = check(f.path(), &["--staged", "--as-of", "2025-06-30"]);
    assert_eq!(
        staged.findings(OVERDUE),
        [t("corrective-action-overdue", "actions/a.yaml", "CA-1")]
    );
    assert_eq!(staged.code, 1);
    let worktree = check(f.path(), &["--as-of", "2025-06-30"]);
    assert_eq!(worktree.findings(OVERDUE), []);

    // And the other way round: a fix staged, a mistake left on disk.
    f.write("actions/a.yaml", &actions("CA-1", "2026-01-01"));
    f.git(&["add", "actions/a.yaml"]);
    f.write("actions/a.yaml", &actions("CA-1", "2025-02-01"));
    assert_eq!(
        check(f.path(), &["--staged", "--as-of", "2025-06-30"]).findings(OVERDUE),
        []
    );
}

#[cfg(unix)]
#[test]
fn a_pre_commit_hook_judges_what_commit_a_is_about_to_record() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST)
        .write("actions/a.yaml", &actions("CA-1", "2026-01-01"));
    f.commit("2025-01-10", "Ann", "Start");
    // The hook keeps its report (other rules have things to say about this
    // minimal repository, so its exit code tells nothing here).
    let report = f.join("hook-report.json");
    let hook = f.join(".git/hooks/pre-commit");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\n'{}' check --staged --as-of 2025-06-30 --format json > '{}'\nexit 0\n",
            assert_cmd::cargo::cargo_bin("isms-lint").display(),
            report.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(f.join(".git/info/exclude"), "hook-report.json\n").unwrap();
    let commit = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(f.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env_remove("GIT_INDEX_FILE")
            .args([
                "-c",
                "user.name=Ann",
                "-c",
                "user.email=a@example.com",
                "commit",
                "-q",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        Run {
            code: 0,
            json,
            stderr: String::new(),
        }
        .findings(OVERDUE)
    };
    // Not staged: a plain commit does not record it, and the hook sees
    // what is staged, not the disk.
    f.write("actions/a.yaml", &actions("CA-1", "2025-02-01"));
    assert_eq!(commit(&["--allow-empty", "-m", "Nothing staged"]), []);
    // `commit -a` stages it into a temporary index, which the hook reads.
    assert_eq!(
        commit(&["-a", "-m", "Move the due date back"]),
        [t("corrective-action-overdue", "actions/a.yaml", "CA-1")]
    );
}

#[test]
fn changed_since_reports_only_what_the_branch_touched() {
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST)
        .write("actions/a.yaml", &actions("CA-1", "2025-02-01"))
        .write("actions/b.yaml", &actions("CA-2", "2025-02-01"));
    f.commit("2025-01-10", "Ann", "Start");
    f.git(&["checkout", "-q", "-b", "pr"]);
    f.write("actions/a.yaml", &actions("CA-1", "2025-03-01"));
    f.commit("2025-01-20", "Bob", "Touch a");
    f.git(&["checkout", "-q", "main"]);
    f.write("actions/c.yaml", &actions("CA-3", "2025-02-01"));
    f.commit("2025-01-21", "Cy", "Main moves on");
    f.git(&["checkout", "-q", "pr"]);

    let all = check(f.path(), &["--as-of", "2025-06-30"]);
    assert_eq!(all.findings(OVERDUE).len(), 2);
    let pr = check(
        f.path(),
        &["--as-of", "2025-06-30", "--changed-since", "main"],
    );
    assert_eq!(
        pr.findings(OVERDUE),
        [t("corrective-action-overdue", "actions/a.yaml", "CA-1")]
    );
    assert!(
        pr.stderr.contains(
            "note: reporting only findings in the 1 file changed since main (merge base "
        ),
        "{}",
        pr.stderr
    );
    // Every finding reported, and every count, is of the changed file.
    assert!(pr
        .findings(&[])
        .iter()
        .all(|(_, path, _)| path == "actions/a.yaml"));
    let errors = pr.json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .count();
    assert_eq!(pr.json["summary"]["errors"], errors);
    // With --rev, the comparison is with that commit.
    let rev = check(
        f.path(),
        &[
            "--as-of",
            "2025-06-30",
            "--rev",
            "pr",
            "--changed-since",
            "main",
        ],
    );
    assert_eq!(rev.findings(OVERDUE), pr.findings(OVERDUE));
}

/// A repository whose history the two history rules object to: a review
/// committed months after it was held, and a closed action reworded later.
fn doctored(f: &Fixture, root: &str) {
    let review = "---\nkind: management-review\nid: MR-2025-06\ntitle: June review\ndate: 2025-06-12\n---\n# Minutes\n";
    let open = "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Enforce MFA\n    status: open\n    raised: 2025-01-02\n";
    let closed = "kind: corrective-action\nentries:\n  - id: CA-1\n    title: Enforce MFA\n    status: closed\n    raised: 2025-01-02\n    closed: 2025-01-20\n";
    let second = "  - id: CA-2\n    title: Patch\n    status: open\n    raised: 2025-03-01\n";
    f.write(&format!("{root}isms.yaml"), MANIFEST)
        .write(&format!("{root}actions/ca.yaml"), open);
    f.commit("2025-01-02", "Ann Lee", "Raise CA-1");
    f.write(&format!("{root}actions/ca.yaml"), closed);
    f.commit("2025-01-20", "Ann Lee", "Close CA-1");
    // Adding an entry does not touch CA-1.
    f.write(
        &format!("{root}actions/ca.yaml"),
        &format!("{closed}{second}"),
    );
    f.commit("2025-03-01", "Ann Lee", "Raise CA-2");
    f.write(
        &format!("{root}actions/ca.yaml"),
        &format!(
            "{}{second}",
            closed.replace("Enforce MFA", "Enforce MFA on the VPN")
        ),
    );
    f.commit("2025-09-15", "Bob Kay", "Reword CA-1");
    f.write(&format!("{root}reviews/2025-06.md"), review);
    f.commit("2025-11-20", "Bob Kay", "Add the June review");
}

const HISTORY: &[&str] = &["record-backdated", "record-modified-after-closure"];

#[test]
fn history_rules_fire_on_a_doctored_history() {
    let f = Fixture::new();
    doctored(&f, "");
    let run = check(f.path(), &["--as-of", "2025-12-01"]);
    assert_eq!(
        run.findings(HISTORY),
        [
            t("record-modified-after-closure", "actions/ca.yaml", "CA-1"),
            t("record-backdated", "reviews/2025-06.md", "MR-2025-06"),
        ]
    );
    let msg = &run.messages("record-modified-after-closure")[0];
    assert!(
        msg.starts_with(
            "Corrective action CA-1, closed on 2025-01-20, was changed 238 days later, in commit "
        ),
        "{msg}"
    );
    assert!(
        msg.ends_with(" (Bob Kay, 2025-09-15: “Reword CA-1”)"),
        "{msg}"
    );
    let msg = &run.messages("record-backdated")[0];
    assert!(msg.starts_with("Management review MR-2025-06, held on 2025-06-12, was first committed 161 days later, in commit "), "{msg}");
    assert!(
        !run.stderr.contains("history rules are skipped"),
        "{}",
        run.stderr
    );

    // As of a revision before the rewording, only what was there then.
    let before = check(f.path(), &["--rev", "HEAD~2", "--as-of", "2025-06-30"]);
    assert_eq!(before.findings(HISTORY), []);
}

#[test]
fn a_record_moved_unchanged_keeps_its_date_one_moved_and_edited_does_not() {
    let review = |title: &str| {
        format!("---\nkind: management-review\nid: MR-1\ntitle: {title}\ndate: 2025-06-12\n---\n# Minutes\n")
    };
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST)
        .write("reviews/mr-1.md", &review("June review"));
    f.commit("2025-06-13", "Ann Lee", "June review, the day after");
    std::fs::create_dir_all(f.join("reviews/2025")).unwrap();
    f.git(&["mv", "reviews/mr-1.md", "reviews/2025/06.md"]);
    f.commit("2025-11-01", "Bob Kay", "Sort reviews by year");
    let moved = check(f.path(), &["--as-of", "2025-12-01"]);
    assert_eq!(moved.findings(HISTORY), []);

    // Moved and edited in one commit: history starts there (see docs/git.md).
    f.git(&["mv", "reviews/2025/06.md", "reviews/2025-06.md"]);
    f.write(
        "reviews/2025-06.md",
        &review("Management review, June 2025"),
    );
    f.commit("2025-11-20", "Bob Kay", "Rename and retitle");
    let edited = check(f.path(), &["--as-of", "2025-12-01"]);
    assert_eq!(
        edited.findings(HISTORY),
        [t("record-backdated", "reviews/2025-06.md", "MR-1")]
    );
}

#[test]
fn history_rules_stay_silent_on_a_shallow_clone_and_say_how_to_fix_it() {
    let f = Fixture::new();
    doctored(&f, "");
    let clone = f.shallow_clone();
    let run = check(&clone.path().join("clone"), &["--as-of", "2025-12-01"]);
    assert_eq!(run.findings(HISTORY), []);
    assert!(
        run.stderr.contains("this is a shallow clone, whose history is cut short: history rules are skipped. Fetch the whole history: `fetch-depth: 0` on actions/checkout"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_isms_root_in_a_subdirectory_of_the_repository() {
    let f = Fixture::new();
    f.write("README.md", "A project with its ISMS inside\n");
    doctored(&f, "compliance/isms/");
    f.write(
        "compliance/isms/actions/late.yaml",
        &actions("CA-9", "2025-02-01"),
    );
    f.write("compliance/stray.yaml", "kind: nonsense\n");

    let run = check(&f.join("compliance/isms"), &["--as-of", "2025-12-01"]);
    assert_eq!(
        run.findings(HISTORY),
        [
            t("record-modified-after-closure", "actions/ca.yaml", "CA-1"),
            t("record-backdated", "reviews/2025-06.md", "MR-2025-06"),
        ]
    );
    assert!(
        run.stderr
            .contains("1 untracked file was not checked (actions/late.yaml)"),
        "{}",
        run.stderr
    );
    // The same from the repository's top, naming the root.
    let top = check(
        f.path(),
        &["compliance/isms", "--as-of", "2025-12-01", "--rev", "HEAD"],
    );
    assert_eq!(top.findings(HISTORY), run.findings(HISTORY));
    // And run from inside it, finding isms.yaml upwards.
    let inside = check(
        &f.join("compliance/isms/actions"),
        &["--as-of", "2025-12-01"],
    );
    assert_eq!(inside.findings(HISTORY), run.findings(HISTORY));
}

#[test]
fn an_empty_repository_checks_the_index_without_history() {
    let f = Fixture::new();
    f.write("isms.yaml", MANIFEST)
        .write("actions/a.yaml", &actions("CA-1", "2025-02-01"));
    f.git(&["add", "-A"]);
    let run = check(f.path(), &["--as-of", "2025-06-30"]);
    assert_eq!(
        run.findings(OVERDUE),
        [t("corrective-action-overdue", "actions/a.yaml", "CA-1")]
    );
    assert!(
        run.stderr
            .contains("the repository has no commits yet: history rules are skipped"),
        "{}",
        run.stderr
    );
    let staged = check(f.path(), &["--as-of", "2025-06-30", "--staged"]);
    assert_eq!(staged.findings(OVERDUE), run.findings(OVERDUE));
}

#[test]
fn a_detached_head_is_checked_with_its_own_history() {
    let f = Fixture::new();
    doctored(&f, "");
    let before_review = f.git(&["rev-parse", "HEAD~1"]);
    f.git(&["checkout", "-q", "--detach", &before_review]);
    let run = check(f.path(), &["--as-of", "2025-12-01"]);
    assert_eq!(
        run.findings(HISTORY),
        [t(
            "record-modified-after-closure",
            "actions/ca.yaml",
            "CA-1"
        )]
    );
}

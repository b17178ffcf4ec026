//! The pre-commit hook (`check --staged`) judges the commit, not the
//! calendar: findings in the files being committed, or new compared with
//! HEAD, block it; the others are shown as advisory. `--strict` blocks on
//! every finding.
//!
//! The repository is made by `init` on 2025-06-01 and committed; checked
//! three months later, the calendar alone has made obligations lapse (an
//! action past its due date, a planned audit not held).

#[path = "../crates/isms-git/tests/common/mod.rs"]
mod git_support;

use std::path::Path;

use git_support::Fixture;
use serde_json::Value;

const INIT_DAY: &str = "2025-06-01";
const LATER: &str = "2025-09-01";

const ACTIONS: &str = "actions/corrective-actions.yaml";
const POLICY: &str = "policies/information-security-policy.md";
const RISK: &str = "risks/RISK-001.yaml";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }

    /// `rule@path` of the findings that block (not advisory, not waived).
    fn blocking(&self) -> Vec<String> {
        self.findings(|f| f.get("advisory").is_none())
    }

    /// `rule@path` of the advisory findings.
    fn advisory(&self) -> Vec<String> {
        self.findings(|f| f["advisory"] == true)
    }

    fn findings(&self, keep: impl Fn(&Value) -> bool) -> Vec<String> {
        self.json()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| keep(f))
            .map(|f| {
                format!(
                    "{}@{}",
                    f["rule"].as_str().unwrap(),
                    f["path"].as_str().unwrap()
                )
            })
            .collect()
    }
}

fn isms_lint(dir: &Path, args: &[&str]) -> Run {
    let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("isms-lint"))
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    }
}

/// What the hook runs, in JSON, on [`LATER`].
fn hook(f: &Fixture, extra: &[&str]) -> Run {
    isms_lint(
        f.path(),
        &[
            &["check", "--staged", "--as-of", LATER, "--format", "json"],
            extra,
        ]
        .concat(),
    )
}

/// A new ISMS with an open action, due in a month, that the risk points at;
/// committed on the day it was made.
fn committed_isms() -> Fixture {
    let f = Fixture::new();
    let init = isms_lint(f.path(), &["init", ".", "--date", INIT_DAY]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    f.write(
        ACTIONS,
        "kind: corrective-action\ntitle: Corrective action register\nentries:\n  - id: CA-1\n    title: Encrypt the laptops\n    owner: Information Security Manager\n    status: open\n    raised: 2025-06-01\n    due: 2025-07-01\n",
    );
    let risk = std::fs::read_to_string(f.join(RISK)).unwrap();
    f.write(RISK, &format!("{risk}actions: [CA-1]\n"));
    f.commit(INIT_DAY, "Ann", "Start the ISMS");
    // Clean on the day it was committed.
    let clean = isms_lint(f.path(), &["check", "--as-of", INIT_DAY]);
    assert_eq!(clean.code, 0, "{}{}", clean.stdout, clean.stderr);
    f
}

/// The line that says how many findings do not block, and how to make them.
fn advisory_note(n: usize) -> String {
    let (n, verb) = if n == 1 {
        ("1 finding".to_owned(), "is")
    } else {
        (format!("{n} findings"), "are")
    };
    format!("note: {n} already there before this commit (the calendar, or files it does not change) {verb} shown but not blocking; `--strict` blocks on them too\n")
}

#[test]
fn a_commit_rewording_a_policy_passes_while_an_action_elsewhere_is_overdue() {
    let f = committed_isms();
    let policy = std::fs::read_to_string(f.join(POLICY)).unwrap();
    f.write(
        POLICY,
        &policy.replace(
            "State top management's direction",
            "Set out top management's direction",
        ),
    );
    f.git(&["add", POLICY]);

    let run = hook(&f, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.blocking(), Vec::<String>::new());
    let advisory = run.advisory();
    // Shown, not hidden: the overdue action is in the report.
    assert!(
        advisory.contains(&format!("corrective-action-overdue@{ACTIONS}")),
        "{advisory:?}"
    );
    assert!(
        run.stderr.ends_with(&advisory_note(advisory.len())),
        "{}",
        run.stderr
    );
    // The human report marks them.
    let human = isms_lint(
        f.path(),
        &["check", "--staged", "--as-of", LATER, "--color", "never"],
    );
    assert_eq!(human.code, 0);
    assert!(
        human
            .stdout
            .contains("not blocking: found before this change too"),
        "{}",
        human.stdout
    );

    // --strict: the calendar blocks too.
    let strict = hook(&f, &["--strict"]);
    assert_eq!(strict.code, 1);
    assert_eq!(strict.advisory(), Vec::<String>::new());
    assert!(strict
        .blocking()
        .contains(&format!("corrective-action-overdue@{ACTIONS}")));
    assert!(!strict.stderr.contains("not blocking"), "{}", strict.stderr);
    // The count is of what is reported: a selection narrows it.
    let some = hook(&f, &["--select", "corrective-action"]);
    assert_eq!(some.code, 0);
    let shown = some.advisory();
    assert!(shown.len() < advisory.len(), "{shown:?}");
    assert!(
        some.stderr.ends_with(&advisory_note(shown.len())),
        "{}",
        some.stderr
    );
    // And a check that is not a hook's judges everything.
    let plain = isms_lint(f.path(), &["check", "--as-of", LATER, "--format", "json"]);
    assert_eq!(plain.code, 1);
    assert_eq!(plain.advisory(), Vec::<String>::new());
}

#[test]
fn a_commit_breaking_a_reference_fails_on_that_finding_alone() {
    let f = committed_isms();
    // Removing the action breaks the risk's reference to it, in a file the
    // commit does not touch.
    f.write(
        ACTIONS,
        "kind: corrective-action\ntitle: Corrective action register\nentries: []\n",
    );
    f.git(&["add", ACTIONS]);

    let run = hook(&f, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.blocking(), [format!("broken-reference@{RISK}")]);
    assert!(!run.advisory().is_empty());
    assert!(
        run.stderr.contains(&advisory_note(run.advisory().len())),
        "{}",
        run.stderr
    );
}

#[test]
fn a_finding_in_a_file_being_committed_blocks_even_if_the_calendar_caused_it() {
    let f = committed_isms();
    let actions = std::fs::read_to_string(f.join(ACTIONS)).unwrap();
    f.write(
        ACTIONS,
        &actions.replace("Encrypt the laptops", "Encrypt every laptop"),
    );
    f.git(&["add", ACTIONS]);

    let run = hook(&f, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.blocking(),
        [
            format!("corrective-action-stale@{ACTIONS}"),
            format!("corrective-action-overdue@{ACTIONS}"),
        ]
    );
    // What is not staged is not the commit's: the same edit left on disk
    // changes nothing.
    f.git(&["reset", "-q", ACTIONS]);
    assert_eq!(hook(&f, &[]).code, 0);
}

#[test]
fn the_first_commit_is_judged_whole() {
    let f = Fixture::new();
    let init = isms_lint(f.path(), &["init", ".", "--date", INIT_DAY]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    f.git(&["add", "-A"]);
    let run = hook(&f, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.advisory(), Vec::<String>::new());
    assert!(!run.blocking().is_empty());
    assert!(!run.stderr.contains("not blocking"), "{}", run.stderr);
}

#[test]
fn strict_needs_staged() {
    let f = committed_isms();
    let run = isms_lint(f.path(), &["check", "--strict", "--as-of", LATER]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--staged"), "{}", run.stderr);
}

#[test]
fn a_head_that_cannot_be_checked_leaves_every_finding_blocking_and_says_why() {
    let f = committed_isms();
    let manifest = std::fs::read_to_string(f.join("isms.yaml")).unwrap();
    f.write("isms.yaml", "organisation: [unclosed\n");
    f.commit("2025-06-02", "Ann", "Break the manifest");
    // The commit that repairs it is judged whole.
    f.write("isms.yaml", &manifest);
    f.git(&["add", "isms.yaml"]);
    let run = hook(&f, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.advisory(), Vec::<String>::new());
    assert!(
        run.stderr
            .contains("note: HEAD could not be checked to compare with (isms.yaml:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .trim_end()
            .ends_with("): every finding blocks this commit"),
        "{}",
        run.stderr
    );
}

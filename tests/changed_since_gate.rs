//! `--changed-since` calls out a change to the check's own settings: rules
//! turned off or lowered in `lint.rules`, waivers added or extended (in
//! `isms.yaml` or its `waivers-file`), whatever files the report is
//! narrowed to.

#[path = "../crates/isms-git/tests/common/mod.rs"]
mod git_support;

use std::path::Path;

use git_support::Fixture;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn isms_lint(dir: &Path, args: &[&str]) -> Run {
    let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("isms-lint"))
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GITHUB_STEP_SUMMARY")
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

const MANIFEST: &str = "organisation:\n  name: Test Ltd\nlint:\n  rules:\n    training-overdue: warning\nwaivers:\n  - rule: risk-owner-missing\n    target: R-1\n    reason: Owner leaves, successor named next week\n    owner: Ann\n    expires: 2025-07-31\n";

const WAIVERS: &str = "waivers:\n  - rule: policy-review-overdue\n    target: POL-1\n    reason: Rewrite under way\n    owner: Ann\n    expires: 2025-07-31\n";

/// A main branch with a manifest and a waivers file, and a branch `pr`
/// checked out on top of it.
fn repo() -> Fixture {
    let f = Fixture::new();
    f.write(
        "isms.yaml",
        &format!("{MANIFEST}waivers-file: waivers.yaml\n"),
    )
    .write("waivers.yaml", WAIVERS)
    .write("actions/a.yaml", "kind: corrective-action\nentries: []\n");
    f.commit("2025-01-10", "Ann", "Start");
    f.git(&["checkout", "-q", "-b", "pr"]);
    f
}

fn warnings(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .collect()
}

#[test]
fn a_pull_request_weakening_the_check_is_called_out() {
    let f = repo();
    f.write(
        "isms.yaml",
        &format!(
            "{}waivers-file: waivers.yaml\n",
            MANIFEST
                .replace(
                    "    training-overdue: warning\n",
                    "    training-overdue: note\n    corrective-action-overdue: off\n"
                )
                .replace("expires: 2025-07-31", "expires: 2026-07-31")
        ),
    )
    .write(
        "waivers.yaml",
        &format!("{WAIVERS}  - rule: training-overdue\n    target: Bob\n    reason: On leave\n    owner: Ann\n    expires: 2025-12-31\n"),
    );
    f.commit("2025-02-01", "Bob", "Quiet the check");

    let run = isms_lint(
        f.path(),
        &[
            "check",
            "--changed-since",
            "main",
            "--as-of",
            "2025-06-30",
            "-q",
        ],
    );
    assert_eq!(
        warnings(&run),
        [
            "isms.yaml:6:32: this change turns `corrective-action-overdue` off",
            "isms.yaml:5:23: this change lowers `training-overdue` from warning to note",
            "isms.yaml:8:5: this change extends the waiver of `risk-owner-missing` for `R-1` from 2025-07-31 to 2026-07-31",
            "waivers.yaml:7:5: this change adds a waiver of `training-overdue` for `Bob`, until 2025-12-31",
        ],
        "{}",
        run.stderr
    );
    // In GitHub, as annotations on the manifest.
    let gh = isms_lint(
        f.path(),
        &[
            "check",
            "--changed-since",
            "main",
            "--as-of",
            "2025-06-30",
            "--format",
            "github",
        ],
    );
    assert!(
        gh.stdout.contains("::warning file=isms.yaml,line=6,col=32,title=isms-lint%3A the check's settings changed::This change turns `corrective-action-overdue` off."),
        "{}",
        gh.stdout
    );
    // The waiver added is pointed at where its entry starts, not at `waivers:`.
    assert!(
        gh.stdout.contains("::warning file=waivers.yaml,line=7,col=5,title=isms-lint%3A the check's settings changed::This change adds a waiver of `training-overdue` for `Bob`, until 2025-12-31."),
        "{}",
        gh.stdout
    );
    // In JSON, among the run's notes, after the one that narrows the report.
    let json = isms_lint(
        f.path(),
        &[
            "check",
            "--changed-since",
            "main",
            "--as-of",
            "2025-06-30",
            "--format",
            "json",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let notes: Vec<&str> = doc["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(
        notes[1..],
        [
            "isms.yaml:6:32: this change turns `corrective-action-overdue` off",
            "isms.yaml:5:23: this change lowers `training-overdue` from warning to note",
            "isms.yaml:8:5: this change extends the waiver of `risk-owner-missing` for `R-1` from 2025-07-31 to 2026-07-31",
            "waivers.yaml:7:5: this change adds a waiver of `training-overdue` for `Bob`, until 2025-12-31",
        ],
        "{notes:#?}"
    );
    assert!(
        notes[0].starts_with("reporting only findings in the 2 files changed since main"),
        "{notes:#?}"
    );
    // In SARIF, with the run's notifications.
    let sarif = isms_lint(
        f.path(),
        &[
            "check",
            "--changed-since",
            "main",
            "--as-of",
            "2025-06-30",
            "--format",
            "sarif",
        ],
    );
    assert!(
        sarif
            .stdout
            .contains("this change turns `corrective-action-overdue` off"),
        "{}",
        sarif.stdout
    );
    // Without --changed-since there is nothing to compare with.
    let plain = isms_lint(f.path(), &["check", "--as-of", "2025-06-30"]);
    assert!(!plain.stderr.contains("this change"), "{}", plain.stderr);
    assert_ne!(run.code, 2, "{}", run.stderr);
}

#[test]
fn a_pull_request_that_leaves_the_settings_alone_says_nothing_of_them() {
    let f = repo();
    // Reformatted, not changed; and a record added.
    f.write(
        "isms.yaml",
        &format!(
            "{}waivers-file: waivers.yaml\n",
            MANIFEST.replace(
                "    training-overdue: warning\n",
                "    training-overdue:\n      severity: warning\n"
            )
        ),
    )
    .write("actions/b.yaml", "kind: corrective-action\nentries: []\n");
    f.commit("2025-02-01", "Bob", "Reformat");
    let run = isms_lint(
        f.path(),
        &["check", "--changed-since", "main", "--as-of", "2025-06-30"],
    );
    assert_eq!(warnings(&run), Vec::<&str>::new(), "{}", run.stderr);
    assert!(run.code != 2, "{}", run.stderr);
}

#[test]
fn removing_the_waivers_file_is_seen_as_waivers_removed() {
    let f = repo();
    f.write("isms.yaml", MANIFEST).remove("waivers.yaml");
    f.commit("2025-02-01", "Bob", "Drop the waivers file");
    let run = isms_lint(
        f.path(),
        &["check", "--changed-since", "main", "--as-of", "2025-06-30"],
    );
    assert_eq!(
        warnings(&run),
        ["isms.yaml:7:3: this change removes the waiver of `policy-review-overdue` for `POL-1`"],
        "{}",
        run.stderr
    );
}

#[test]
fn an_isms_root_new_in_the_pull_request_has_all_its_settings_called_out() {
    let f = Fixture::new();
    f.write("README.md", "A repository without an ISMS yet.\n");
    f.commit("2025-01-10", "Ann", "Start");
    f.git(&["checkout", "-q", "-b", "pr"]);
    f.write(
        "isms/isms.yaml",
        "organisation:\n  name: Test Ltd\nlint:\n  rules:\n    risk-owner-missing: off\n",
    );
    f.commit("2025-02-01", "Bob", "Add the ISMS");
    let run = isms_lint(
        &f.join("isms"),
        &["check", "--changed-since", "main", "--as-of", "2025-06-30"],
    );
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        warnings(&run),
        ["isms.yaml:5:25: this change turns `risk-owner-missing` off"],
        "{}",
        run.stderr
    );
}

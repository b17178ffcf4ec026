//! The command-line habits of ruff users, through the binary: `--select` /
//! `--ignore`, `--statistics`, `--exit-zero`, `-q`, `-o`.
//!
//! The repository is made by `init` and checked on the day it was made, so
//! only the deliberate problems below are found, whatever rules are added.

use std::fs;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

const DAY: &str = "2025-06-01";

fn isms_lint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("isms-lint"));
    cmd.timeout(Duration::from_secs(120))
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut assert_cmd::Command) -> Out {
    let out = cmd.output().expect("isms-lint runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out.status.code().expect("isms-lint finished");
    assert!(!stderr.contains("panicked"), "{stderr}");
    Out {
        code,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    }
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn risk(id: &str, owner: Option<&str>, identified: &str, actions: &str) -> String {
    let owner = owner.map(|o| format!("owner: {o}\n")).unwrap_or_default();
    format!(
        "kind: risk\nid: {id}\ntitle: Risk {id}\n{owner}identified: {identified}\nlikelihood: 1\nimpact: 2\ntreatment: mitigate\ncontrols: [\"8.1\"]\n{actions}reviewed: 2025-06-01\n"
    )
}

/// A new repository with five findings on [`DAY`]: a broken reference, an
/// impossible date, and two risks without an owner.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = run(isms_lint()
        .arg("init")
        .arg(dir.path())
        .args(["--date", DAY]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let d = dir.path();
    let owner_title = Some("Chief Executive Officer");
    write(
        d,
        "risks/RISK-002.yaml",
        &risk("RISK-002", owner_title, DAY, "actions: [CA-404]\n"),
    );
    write(
        d,
        "risks/RISK-003.yaml",
        &risk("RISK-003", owner_title, "2025-02-30", ""),
    );
    write(d, "risks/RISK-004.yaml", &risk("RISK-004", None, DAY, ""));
    write(d, "risks/RISK-005.yaml", &risk("RISK-005", None, DAY, ""));
    dir
}

fn check(dir: &Path, args: &[&str]) -> Out {
    run(isms_lint()
        .arg("check")
        .arg(dir)
        .args(["--as-of", DAY, "--color", "never"])
        .args(args))
}

/// The rules of the findings in a JSON report, in order.
fn rules(json: &str) -> Vec<String> {
    let doc: Value = serde_json::from_str(json).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}@{}",
                f["rule"].as_str().unwrap(),
                f["path"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn without_selection_every_finding_is_reported() {
    let dir = repo();
    let out = check(dir.path(), &["--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        rules(&out.stdout),
        [
            "broken-reference@risks/RISK-002.yaml",
            "invalid-date@risks/RISK-003.yaml",
            "risk-owner-missing@risks/RISK-004.yaml",
            "risk-owner-missing@risks/RISK-005.yaml",
        ]
    );
    assert!(!out.stderr.contains("--select"), "{}", out.stderr);
}

#[test]
fn select_a_rule_keeps_it_and_the_integrity_findings() {
    let dir = repo();
    let out = check(
        dir.path(),
        &["--format", "json", "--select", "risk-owner-missing"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        rules(&out.stdout),
        [
            "broken-reference@risks/RISK-002.yaml",
            "invalid-date@risks/RISK-003.yaml",
            "risk-owner-missing@risks/RISK-004.yaml",
            "risk-owner-missing@risks/RISK-005.yaml",
        ]
    );
    assert!(
        out.stderr
            .contains("note: --select: no finding was left out"),
        "{}",
        out.stderr
    );
}

#[test]
fn ignore_wins_over_select_and_is_the_only_way_to_hide_integrity_findings() {
    let dir = repo();
    // A category, less one rule of it; the integrity findings stay.
    let out = check(
        dir.path(),
        &[
            "--format",
            "json",
            "--select",
            "risk",
            "--ignore",
            "risk-owner-missing",
        ],
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        rules(&out.stdout),
        [
            "broken-reference@risks/RISK-002.yaml",
            "invalid-date@risks/RISK-003.yaml",
        ]
    );
    assert!(
        out.stderr
            .contains("note: --select and --ignore: 2 findings of other rules not reported"),
        "{}",
        out.stderr
    );
    // The JSON report says it too, among its notes.
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let notes = doc["notes"].as_array().unwrap();
    assert_eq!(
        notes.last().unwrap(),
        "--select and --ignore: 2 findings of other rules not reported",
        "{notes:#?}"
    );
    // Comma-separated and repeated alike; a category name ignores all of it.
    let out = check(
        dir.path(),
        &[
            "--format",
            "json",
            "--ignore",
            "invalid-date,risk",
            "--ignore",
            "broken-reference",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(rules(&out.stdout), Vec::<String>::new());
    assert!(
        out.stderr
            .contains("note: --ignore: 4 findings of other rules not reported"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unknown_rule_is_a_usage_error_with_a_suggestion() {
    let dir = repo();
    for (flag, typo, near) in [
        ("--select", "risk-owner-mising", "risk-owner-missing"),
        ("--ignore", "brokenreference", "broken-reference"),
        ("--select", "integrity,intenral-audit", "internal-audit"),
    ] {
        let out = check(dir.path(), &[flag, typo]);
        assert_eq!(out.code, 2, "{flag} {typo}");
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr
                .contains(&format!("is no rule or category: did you mean `{near}`?")),
            "{}",
            out.stderr
        );
    }
    let out = check(dir.path(), &["--select", "zzzz"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "`zzzz` is no rule or category: see `isms-lint rules` for the rules and their categories"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn statistics_count_findings_by_rule_most_first() {
    let dir = repo();
    let out = check(dir.path(), &["--statistics"]);
    assert_eq!(out.code, 1, "the exit code still says what was found");
    assert_eq!(
        out.stdout,
        "\
2  risk-owner-missing  error    An open risk has no risk owner
1  broken-reference    error    A reference to a record id or an evidence file resolves to nothing
1  invalid-date        error    A date does not exist or is not written YYYY-MM-DD
"
    );
    let json = check(dir.path(), &["--statistics", "--format", "json"]);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        doc[0],
        serde_json::json!({
            "rule": "risk-owner-missing",
            "category": "risk",
            "severity": "error",
            "count": 2,
            "waived": 0,
            "summary": "An open risk has no risk owner",
        })
    );
    assert_eq!(doc.as_array().unwrap().len(), 3);
    // With a selection, only what is reported is counted.
    let some = check(dir.path(), &["--statistics", "--ignore", "integrity"]);
    assert_eq!(
        some.stdout,
        "2  risk-owner-missing  error    An open risk has no risk owner\n"
    );
}

#[test]
fn exit_zero_passes_with_findings_but_not_on_errors() {
    let dir = repo();
    let out = check(dir.path(), &["--exit-zero"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("4 errors in "), "{}", out.stdout);
    let missing = dir.path().join("nowhere");
    fs::create_dir(&missing).unwrap();
    let out = check(&missing, &["--exit-zero", "--no-git"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn quiet_prints_the_findings_only() {
    let dir = repo();
    let loud = check(dir.path(), &[]);
    assert!(loud.stderr.contains("note: "), "{}", loud.stderr);
    assert!(loud
        .stdout
        .lines()
        .last()
        .unwrap()
        .starts_with("4 errors in "));
    for q in ["-q", "--quiet"] {
        let out = check(dir.path(), &[q, "--select", "risk"]);
        assert_eq!(out.code, 1);
        assert_eq!(out.stderr, "", "{q}");
        assert!(
            out.stdout.contains("Risk RISK-005 has no owner"),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains(" errors in "), "{}", out.stdout);
    }
}

#[test]
fn output_file_takes_the_report_off_standard_output() {
    let dir = repo();
    let out_dir = tempfile::tempdir().unwrap();
    let report = out_dir.path().join("deep/report.json");
    let sarif = out_dir.path().join("isms-lint.sarif");
    let out = check(
        dir.path(),
        &[
            "--format",
            "json",
            "-o",
            report.to_str().unwrap(),
            "--output",
            &format!("sarif={}", sarif.display()),
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(rules(&fs::read_to_string(&report).unwrap()).len(), 4);
    let sarif: Value = serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 4);
    // The long form, with statistics.
    let stats = out_dir.path().join("stats.txt");
    let out = check(
        dir.path(),
        &["--statistics", "--output-file", stats.to_str().unwrap()],
    );
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert!(fs::read_to_string(&stats)
        .unwrap()
        .starts_with("2  risk-owner-missing  error"));
    // A file that cannot be written is an error, exit 2.
    let out = check(dir.path(), &["-o", out_dir.path().to_str().unwrap()]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("cannot write "), "{}", out.stderr);
}

// ------------------------------------------------ completions and manual

const SUBCOMMANDS: &[&str] = &[
    "check",
    "rules",
    "explain",
    "schema",
    "completions",
    "man",
    "init",
];

#[test]
fn completions_for_every_shell_know_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run(isms_lint().args(["completions", shell]));
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.len() > 1000, "{shell}: {}", out.stdout);
        for word in SUBCOMMANDS
            .iter()
            .chain(&["--select", "--as-of", "--staged"])
        {
            let word = if shell == "fish" {
                word.trim_start_matches("--")
            } else {
                word
            };
            assert!(out.stdout.contains(word), "{shell} completes no {word}");
        }
    }
    // `--select` and `--ignore` complete rule and category names.
    for shell in ["bash", "zsh", "fish"] {
        let out = run(isms_lint().args(["completions", shell]));
        for name in [
            "risk-owner-missing",
            "internal-audit",
            "corrective-action-overdue",
        ] {
            assert!(
                out.stdout.contains(name),
                "{shell} does not complete {name}"
            );
        }
    }
    // The script is valid bash.
    let out = run(isms_lint().args(["completions", "bash"]));
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("isms-lint.bash");
    fs::write(&script, &out.stdout).unwrap();
    if let Ok(status) = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
    {
        assert!(status.success(), "bash -n rejects the completion script");
    }
    let out = run(isms_lint().args(["completions", "tcsh"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("possible values"), "{}", out.stderr);
}

#[test]
fn the_manual_page_is_generated_from_the_command_line() {
    let out = run(isms_lint().arg("man"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(".TH isms-lint 1"), "{}", out.stdout);
    assert!(out.stdout.contains(".SH SUBCOMMANDS"));
    for cmd in SUBCOMMANDS {
        assert!(
            out.stdout
                .contains(&format!("isms\\-lint\\-{}(1)", cmd.replace('-', "\\-"))),
            "the page names no {cmd}"
        );
    }
    // One page per subcommand, with its own flags.
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man/man1");
    let out = run(isms_lint().arg("man").arg("--out").arg(&pages));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut names: Vec<String> = fs::read_dir(&pages)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected: Vec<String> = SUBCOMMANDS
        .iter()
        .map(|c| format!("isms-lint-{c}.1"))
        .chain(["isms-lint.1".to_owned()])
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    let check = fs::read_to_string(pages.join("isms-lint-check.1")).unwrap();
    for flag in [
        "\\-\\-select",
        "\\-\\-statistics",
        "\\-\\-staged",
        "\\-\\-as\\-of",
    ] {
        assert!(check.contains(flag), "isms-lint-check.1 has no {flag}");
    }
}

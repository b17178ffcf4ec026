//! The command line: exit codes a CI gate can trust, one-line errors, colour,
//! the human and JSON reports, and every subcommand.
//!
//! Repositories are made with `isms-lint init` (which must pass `check` on
//! the day it is created) plus a few deliberate problems, so the rules being
//! added elsewhere do not change what these tests see.

use std::fs;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

/// The day the test repositories are created and checked on.
const DAY: &str = "2025-06-01";

fn isms_lint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("isms-lint"));
    cmd.timeout(Duration::from_secs(120))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
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
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("isms-lint did not finish: {stderr}"));
    assert_ne!(code, 101, "panic: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    Out {
        code,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    }
}

/// A new repository made by `init` on [`DAY`].
fn new_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = run(isms_lint().arg("init").arg(dir.path()).args([
        "--date",
        DAY,
        "--organisation",
        "Example Ltd",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    dir
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Add lines to the manifest's `lint:` section, its last.
fn lint_settings(dir: &Path, lines: &str) {
    let manifest = dir.join("isms.yaml");
    let mut text = fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("\nlint:\n  horizon: 30 days\n"), "{text}");
    text.push_str(lines);
    fs::write(manifest, text).unwrap();
}

/// A repository with exactly one finding, a broken reference, at `severity`.
fn repo_with_one_finding(severity: &str) -> tempfile::TempDir {
    let dir = new_repo();
    write(
        dir.path(),
        "risks/RISK-002.yaml",
        "kind: risk\nid: RISK-002\ntitle: Supplier outage\nowner: Chief Executive Officer\n\
         identified: 2025-06-01\nlikelihood: 1\nimpact: 2\ntreatment: mitigate\ncontrols: [\"8.1\"]\n\
         actions: [CA-404]\nreviewed: 2025-06-01\n",
    );
    lint_settings(
        dir.path(),
        &format!("  rules:\n    broken-reference: {severity}\n"),
    );
    dir
}

fn check(dir: &Path, args: &[&str]) -> Out {
    run(isms_lint()
        .arg("check")
        .arg(dir)
        .args(["--as-of", DAY])
        .args(args))
}

/// The one test that reads the clock, because what it checks is the clock:
/// without `--date`, init dates the new records today, and without
/// `--as-of`, a check is as of today. Every other test passes the day. The
/// clock is read just before and just after each run, so a run across
/// midnight still passes.
#[test]
fn the_default_day_is_today() {
    let today = || chrono::Local::now().date_naive().to_string();
    let dir = tempfile::tempdir().unwrap();

    let before = today();
    let out = run(isms_lint()
        .arg("init")
        .arg(dir.path())
        .args(["--organisation", "Example Ltd"]));
    let after = today();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let soa = fs::read_to_string(dir.path().join("soa.yaml")).unwrap();
    assert!(
        [&before, &after]
            .iter()
            .any(|d| soa.contains(&format!("\napproved: {d}\n"))),
        "init did not date the records {before} or {after}:\n{soa}"
    );

    let before = today();
    let out = run(isms_lint()
        .arg("check")
        .arg(dir.path())
        .args(["--format", "json"]));
    let after = today();
    let doc: Value = serde_json::from_str(&out.stdout).expect(&out.stderr);
    let as_of = doc["as_of"].as_str().unwrap();
    assert!(
        as_of == before || as_of == after,
        "checked as of {as_of}, not today ({before})"
    );
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_0_when_clean() {
    let dir = new_repo();
    let out = check(dir.path(), &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("No problems"), "{}", out.stdout);
}

#[test]
fn exit_1_at_or_above_fail_on_and_0_below_it() {
    let levels = ["note", "warning", "error"];
    for (i, severity) in levels.iter().enumerate() {
        let dir = repo_with_one_finding(severity);
        for (j, fail_on) in levels.iter().enumerate() {
            let out = check(dir.path(), &["--fail-on", fail_on]);
            let expected = if i >= j { 1 } else { 0 };
            assert_eq!(
                out.code, expected,
                "a {severity} with --fail-on {fail_on}: {}{}",
                out.stdout, out.stderr
            );
        }
        // Without --fail-on, only errors fail.
        let out = check(dir.path(), &[]);
        assert_eq!(out.code, i32::from(*severity == "error"), "{severity}");
    }
}

#[test]
fn lint_fail_on_in_the_manifest_and_the_flag_overriding_it() {
    let dir = repo_with_one_finding("note");
    lint_settings(dir.path(), "  fail-on: note\n");
    assert_eq!(check(dir.path(), &[]).code, 1);
    assert_eq!(check(dir.path(), &["--fail-on", "warning"]).code, 0);
    assert_eq!(check(dir.path(), &["--fail-on", "error"]).code, 0);
    assert_eq!(check(dir.path(), &["--fail-on", "note"]).code, 1);
}

/// Exit code 2 with a one-line cause first on stderr.
fn assert_usage_error(out: &Out, cause: &str) {
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    let first = out.stderr.lines().next().unwrap_or_default();
    assert!(
        first.contains(cause),
        "the first line of stderr should say `{cause}`:\n{}",
        out.stderr
    );
    assert!(first.starts_with("error") || first.starts_with("isms-lint: error"));
}

#[test]
fn exit_2_without_a_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let out = check(dir.path(), &[]);
    assert_usage_error(&out, "no isms.yaml in");
    assert!(out.stderr.lines().count() == 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn exit_2_with_a_manifest_that_cannot_be_parsed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "isms.yaml", "organisation:\n  name: [Example\n");
    let out = check(dir.path(), &[]);
    assert_usage_error(&out, "isms.yaml:");
    assert!(out.stderr.contains("the manifest cannot be read"));
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);

    write(dir.path(), "isms.yaml", "- a list\n- not a mapping\n");
    let out = check(dir.path(), &[]);
    assert_usage_error(&out, "the manifest must be a mapping");

    fs::write(dir.path().join("isms.yaml"), b"name: Caf\xe9\n").unwrap();
    let out = check(dir.path(), &[]);
    assert_usage_error(&out, "isms.yaml:1:10: the manifest is not valid UTF-8");
}

#[test]
fn exit_2_with_a_path_that_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let out = check(&dir.path().join("missing"), &[]);
    assert_usage_error(&out, "is not a directory");
    write(dir.path(), "file.yaml", "a: 1\n");
    let out = check(&dir.path().join("file.yaml"), &[]);
    assert_usage_error(&out, "is not a directory");
    let repo = new_repo();
    let out = check(repo.path(), &["--config", "/nonexistent/isms.yaml"]);
    assert_usage_error(&out, "could not read the manifest /nonexistent/isms.yaml");
}

#[test]
fn exit_2_on_bad_flags_and_unknown_commands() {
    let dir = new_repo();
    let out = run(isms_lint()
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", "2025-02-30"]));
    assert_usage_error(
        &out,
        "2025-02-30 does not exist (February 2025 has 28 days)",
    );
    let out = run(isms_lint().args(["check", "--as-of", "31/12/2025"]));
    assert_usage_error(&out, "write dates as YYYY-MM-DD");
    let out = check(dir.path(), &["--fail-on", "critical"]);
    assert_usage_error(&out, "invalid value 'critical' for '--fail-on");
    let out = check(dir.path(), &["--format", "xml"]);
    assert_usage_error(&out, "invalid value 'xml' for '--format");
    let out = run(isms_lint().arg("lint"));
    assert_usage_error(&out, "unrecognized subcommand 'lint'");
    let out = run(&mut isms_lint());
    assert_eq!(out.code, 2, "no subcommand is a usage error");
    let out = run(isms_lint().args(["explain", "duplicate-ids"]));
    assert_usage_error(
        &out,
        "there is no rule `duplicate-ids`; did you mean `duplicate-id`?",
    );
    let out = run(isms_lint().args(["explain", "zzz"]));
    assert_usage_error(&out, "there is no rule `zzz`");
    let out = run(isms_lint().args(["schema", "nope"]));
    assert_usage_error(&out, "there is no schema `nope`");
    let out = run(isms_lint()
        .arg("init")
        .arg(dir.path())
        .args(["--date", DAY]));
    assert_usage_error(&out, "already exists");
}

#[test]
fn version_and_help_exit_0() {
    let out = run(isms_lint().arg("--version"));
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout.trim(),
        format!("isms-lint {}", env!("CARGO_PKG_VERSION"))
    );
    for args in [&["--help"][..], &["-h"], &["check", "--help"], &["help"]] {
        let out = run(isms_lint().args(args));
        assert_eq!(out.code, 0, "{args:?}");
        assert!(out.stdout.contains("Usage: isms-lint"), "{}", out.stdout);
    }
    let out = run(isms_lint().arg("--help"));
    assert!(out.stdout.contains("Exit codes: 0"), "{}", out.stdout);
}

// -------------------------------------------------------------------- colour

const ESC: &str = "\u{1b}[";

#[test]
fn colour_only_when_asked_or_on_a_terminal_without_no_color() {
    let dir = repo_with_one_finding("error");
    let always = check(dir.path(), &["--color", "always"]);
    assert!(always.stdout.contains(ESC), "{}", always.stdout);
    let never = check(dir.path(), &["--color", "never"]);
    assert!(!never.stdout.contains(ESC));
    // Not a terminal: no colour by default.
    let auto = check(dir.path(), &["--color", "auto"]);
    assert!(!auto.stdout.contains(ESC));
    let no_color = run(isms_lint()
        .env("NO_COLOR", "1")
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", DAY, "--color", "auto"]));
    assert!(!no_color.stdout.contains(ESC));
    // `--color always` is an explicit request: it wins over NO_COLOR.
    let forced = run(isms_lint()
        .env("NO_COLOR", "1")
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", DAY, "--color", "always"]));
    assert!(forced.stdout.contains(ESC));
}

/// On a real terminal (through `script`, where it exists), `auto` colours
/// unless NO_COLOR is set.
#[cfg(target_os = "linux")]
#[test]
fn no_color_is_honoured_on_a_terminal() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("`script` is not installed: the terminal case is not tested");
        return;
    }
    let dir = repo_with_one_finding("error");
    let on_terminal = |no_color: bool| -> String {
        let command = format!(
            "{} check {} --as-of {DAY} --color auto",
            assert_cmd::cargo::cargo_bin!("isms-lint").display(),
            dir.path().display()
        );
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-qec", &command, "/dev/null"]);
        cmd.env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = on_terminal(false);
    assert!(coloured.contains("broken-reference"), "{coloured}");
    assert!(coloured.contains(ESC), "{coloured}");
    let plain = on_terminal(true);
    assert!(plain.contains("broken-reference"), "{plain}");
    assert!(!plain.contains(ESC), "{plain}");
}

// ------------------------------------------------------------------- reports

/// A small repository with one finding of each severity.
fn small_repo() -> tempfile::TempDir {
    let dir = new_repo();
    write(
        dir.path(),
        "risks/RISK-002.yaml",
        "# A risk that points at an action nobody wrote down.\n\
         kind: risk\nid: RISK-002\ntitle: Supplier outage\nowner: Chief Executive Officer\n\
         identified: 2025-06-01\nlikelihood: 1\nimpact: 2\ntreatment: mitigate\ncontrols: [\"8.1\"]\n\
         actions: [CA-404]\nreviewed: 2025-06-01\n",
    );
    write(
        dir.path(),
        "risks/RISK-003.yaml",
        "kind: risk\nid: RISK-003\ntitle: Office flood\nowner: Chief Executive Officer\n\
         identified: 2025-02-30\nlikelihood: 1\nimpact: 2\ntreatment: mitigate\ncontrols: [\"8.1\"]\n\
         reviewed: 2025-06-01\n",
    );
    write(
        dir.path(),
        "risks/RISK-004.yaml",
        "kind: risk\nid: RISK-004\ntitle: Lost badge\nowner: Chief Executive Officer\n\
         identified: 2025-06-01\nlikelihood: 1\nimpact: 1\ntreatment: mitigate\ncontrols: [\"8.1\"]\n\
         reviewed: 2025-06-01\nreviewd: 2025-06-01\n",
    );
    lint_settings(
        dir.path(),
        "  rules:\n    broken-reference: warning\n    invalid-date: note\n",
    );
    dir
}

#[test]
fn human_report() {
    let dir = small_repo();
    let out = check(dir.path(), &["--color", "never"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(!out.stdout.contains(ESC));
    insta::assert_snapshot!(out.stdout);
    // The summary: counts by severity, then records and files read.
    let summary = out.stdout.lines().last().unwrap();
    assert!(
        summary.starts_with("1 error, 1 warning, 1 note in ")
            && summary.contains(" records from ")
            && summary.ends_with(" files, as of 2025-06-01."),
        "{summary}"
    );
}

#[test]
fn json_report() {
    let dir = small_repo();
    let out = check(dir.path(), &["--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let mut doc: Value = serde_json::from_str(&out.stdout).unwrap();

    let schema: Value = serde_json::from_str(
        &fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    assert_eq!(doc["tool"]["name"], "isms-lint");
    assert_eq!(doc["tool"]["version"], env!("CARGO_PKG_VERSION"));
    doc["tool"]["version"] = "[version]".into();
    // Deadlines come from the rules of the standard, which have their own
    // tests; their number grows as rules are added.
    assert!(doc["deadlines"].is_array());
    doc.as_object_mut().unwrap().remove("deadlines");
    // The notes name the repository's temporary directory.
    let text = serde_json::to_string_pretty(&doc)
        .unwrap()
        .replace(&dir.path().display().to_string(), "[repo]");
    insta::assert_snapshot!(text);
}

/// A deadline rule is named after its obligation; the JSON `state` says
/// which side of the date a finding is on. On its expiry day a certificate
/// is still valid: `due-soon`, a warning; the day after, `overdue`.
#[test]
fn json_findings_say_whether_a_deadline_is_due_soon_or_overdue() {
    let dir = new_repo();
    let manifest = dir.path().join("isms.yaml");
    let text = fs::read_to_string(&manifest).unwrap().replace(
        "# certification:\n#   body: Example Certification Ltd\n#   certificate: ABC-12345\n#   standard: ISO/IEC 27001:2022\n#   decision: 2025-06-01\n#   expiry: 2028-05-31\n",
        &format!("certification:\n  body: Example Certification Ltd\n  certificate: ABC-12345\n  standard: ISO/IEC 27001:2022\n  decision: 2022-06-02\n  expiry: {DAY}\n"),
    );
    assert!(text.contains("\ncertification:\n"), "{text}");
    fs::write(&manifest, text).unwrap();
    let state = |day: &str| {
        let out = run(isms_lint()
            .arg("check")
            .arg(dir.path())
            .args(["--as-of", day, "--format", "json"]));
        let doc: Value = serde_json::from_str(&out.stdout).expect(&out.stderr);
        let f = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "certificate-expired")
            .cloned()
            .expect("a certificate-expired finding");
        (
            f["state"].as_str().unwrap().to_owned(),
            f["severity"].as_str().unwrap().to_owned(),
            f["message"].as_str().unwrap().to_owned(),
        )
    };
    let (on_the_day, severity, message) = state(DAY);
    assert_eq!(
        (on_the_day.as_str(), severity.as_str()),
        ("due-soon", "warning")
    );
    assert!(
        message.contains("is still valid, and expires today (on 2025-06-01)"),
        "{message}"
    );
    let (after, severity, message) = state("2025-06-02");
    assert_eq!((after.as_str(), severity.as_str()), ("overdue", "error"));
    assert!(
        message.contains("expired on 2025-06-01 (1 day ago)"),
        "{message}"
    );
}

/// One cause, one finding: an impossible review date is reported once, by
/// `invalid-date`, not again as a review overdue since the risk was
/// identified; a register lost to a YAML error is named as the cause by the
/// rule that must still speak.
#[test]
fn a_value_that_cannot_be_read_is_reported_once_at_its_place() {
    let dir = new_repo();
    write(
        dir.path(),
        "risks/RISK-009.yaml",
        "kind: risk\nid: RISK-009\ntitle: Office flood\nowner: Chief Executive Officer\n\
         identified: 2023-01-01\nlikelihood: 1\nimpact: 2\ntreatment: mitigate\ncontrols: [\"8.1\"]\n\
         reviewed: 2025-02-30\n",
    );
    fs::remove_file(dir.path().join("audits/internal-audits-2025.yaml")).unwrap();
    write(
        dir.path(),
        "audits/internal-audits-2025.yaml",
        "kind: audit\nentries:\n  - id: IA-2025-01\n    title: [Access control\n    type: internal\n",
    );
    let out = check(dir.path(), &["--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    let about = |path: &str| -> Vec<String> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == path)
            .map(|f| {
                format!(
                    "{}: {}",
                    f["rule"].as_str().unwrap(),
                    f["message"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        about("risks/RISK-009.yaml"),
        ["invalid-date: `reviewed` is not a real date: 2025-02-30 does not exist (February 2025 has 28 days)"]
    );
    assert_eq!(
        about("audits/internal-audits-2025.yaml"),
        [
            "parse-error: invalid YAML: illegal placement of ':' indicator",
            "internal-audit-overdue: No internal audit could be read: audits/internal-audits-2025.yaml could not be parsed (parse-error, line 5); whether one is due cannot be checked until it can be read",
        ]
    );
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"risk-review-overdue"), "{rules:?}");
}

// --------------------------------------------------------------- subcommands

#[test]
fn rules_lists_every_rule_as_text_and_json() {
    let text = run(isms_lint().arg("rules"));
    assert_eq!(text.code, 0);
    let json = run(isms_lint().args(["rules", "--format", "json"]));
    assert_eq!(json.code, 0);
    let rules: Vec<Value> = serde_json::from_str(&json.stdout).unwrap();
    for name in [
        "unreadable-file",
        "parse-error",
        "schema-violation",
        "invalid-date",
        "unknown-kind",
        "duplicate-id",
        "broken-reference",
        "corrective-action-overdue",
    ] {
        let rule = rules
            .iter()
            .find(|r| r["name"] == name)
            .unwrap_or_else(|| panic!("{name} is not listed"));
        assert!(
            text.stdout
                .lines()
                .any(|l| l.trim_start().starts_with(name)),
            "{name} is not in the text list"
        );
        for key in ["category", "default_severity", "clause", "summary"] {
            assert!(rule[key].is_string(), "{name}: {key}");
        }
        assert!(rule["options"].is_array());
    }
    // Every rule of the JSON list is in the text list too.
    for rule in &rules {
        let name = rule["name"].as_str().unwrap();
        assert!(text.stdout.contains(name), "{name}");
    }
}

#[test]
fn explain_a_rule() {
    let out = run(isms_lint().args(["explain", "duplicate-id"]));
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("duplicate-id"), "{}", out.stdout);
    assert!(out.stdout.contains("7.5.2"), "{}", out.stdout);
    assert!(out.stdout.contains("```yaml"), "{}", out.stdout);
}

#[test]
fn schema_prints_and_writes_the_committed_schemas() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");

    let out = run(isms_lint().args(["schema", "risk"]));
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        fs::read_to_string(committed.join("risk.schema.json")).unwrap()
    );
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        doc.get("$id").is_none(),
        "nothing to fetch: see schemas_offline.rs"
    );
    assert_eq!(doc["title"], "Risk");

    let list = run(isms_lint().arg("schema"));
    assert_eq!(list.code, 0);
    for name in ["manifest", "record", "report", "risk", "policy"] {
        assert!(
            list.stdout.lines().any(|l| l.starts_with(name)),
            "{name}: {}",
            list.stdout
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let out = run(isms_lint().arg("schema").arg("--out").arg(&out_dir));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut written: Vec<String> = fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected: Vec<String> = fs::read_dir(&committed)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    expected.sort();
    assert_eq!(written, expected);
    for name in &written {
        assert_eq!(
            fs::read(out_dir.join(name)).unwrap(),
            fs::read(committed.join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn init_then_check_on_the_same_day_finds_no_problems() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("isms");
    let out = run(isms_lint().arg("init").arg(&repo).args(["--date", DAY]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(repo.join("isms.yaml").is_file());
    assert!(repo.join("schemas/manifest.schema.json").is_file());
    let out = check(&repo, &[]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.starts_with("No problems in "), "{}", out.stdout);
    let json = check(&repo, &["--format", "json", "--fail-on", "note"]);
    assert_eq!(json.code, 0, "{}", json.stdout);
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["findings"], serde_json::json!([]));
}

/// The controls `init` writes as planned carry a target date a year on:
/// silent until the look-ahead, then due soon, then overdue.
#[test]
fn the_planned_controls_of_a_new_repository_are_due_a_year_on() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("isms");
    let out = run(isms_lint().arg("init").arg(&repo).args(["--date", DAY]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let states = |as_of: &str| -> Vec<String> {
        let out = run(isms_lint().arg("check").arg(&repo).args([
            "--as-of",
            as_of,
            "--format",
            "json",
            "--select",
            "soa-implementation-overdue",
        ]));
        let doc: Value = serde_json::from_str(&out.stdout).unwrap();
        let mut states: Vec<String> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f["state"].as_str().unwrap_or("-"),
                    f["due"].as_str().unwrap_or("-")
                )
            })
            .collect();
        states.dedup();
        states
    };
    assert!(states("2026-05-01").is_empty());
    assert_eq!(states("2026-05-02"), ["due-soon 2026-06-01"]);
    assert_eq!(states("2026-06-01"), ["due-soon 2026-06-01"]);
    assert_eq!(states("2026-06-02"), ["overdue 2026-06-01"]);
}

#[test]
fn check_finds_the_repository_from_a_subdirectory() {
    let dir = new_repo();
    let out = run(isms_lint()
        .current_dir(dir.path().join("risks"))
        .args(["check", "--as-of", DAY]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let empty = tempfile::tempdir().unwrap();
    let out = run(isms_lint()
        .current_dir(empty.path())
        .args(["check", "--as-of", DAY]));
    assert_usage_error(&out, "no isms.yaml here or in any parent directory");
}

/// A reader that stops early (`isms-lint check | head`) ends the output,
/// quietly: no "internal error", and the exit code still says what was found.
#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};

    let dir = new_repo();
    // Enough findings that the report cannot fit in a pipe's buffer.
    let mut register = String::from("kind: corrective-action\nentries:\n");
    for i in 0..2000 {
        register.push_str(&format!(
            "  - id: CA-{i}\n    title: Action {i}\n    status: open\n    owner: Someone\n    due: 2025-02-30\n"
        ));
    }
    write(dir.path(), "actions/many.yaml", &register);
    for args in [
        vec![
            "check".to_owned(),
            dir.path().display().to_string(),
            "--as-of".into(),
            DAY.into(),
        ],
        vec!["rules".to_owned(), "--format".into(), "json".into()],
    ] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("isms-lint"))
            .args(&args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The read end is closed here.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("internal error"), "{args:?}: {stderr}");
        let expected = if args[0] == "check" { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{args:?}: {stderr}");
    }
}

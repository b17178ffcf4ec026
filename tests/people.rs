//! The people named in records, through the command line: a repository made
//! by `isms-lint init`, whose roster gains a leaver and whose records name
//! someone the roster does not know.

use std::fs;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

/// The day the repository is created on.
const DAY: &str = "2025-06-01";

fn isms_lint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("isms-lint"));
    cmd.timeout(Duration::from_secs(120)).env("NO_COLOR", "1");
    cmd
}

fn new_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = isms_lint()
        .arg("init")
        .arg(dir.path())
        .args(["--date", DAY, "--organisation", "Example Ltd"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

/// Replace `from` by `to` in the repository's file `path`.
fn edit(dir: &Path, path: &str, from: &str, to: &str) {
    let p = dir.join(path);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{path} has no {from:?}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

/// (exit code, rule and message of each finding) of a JSON check on `day`.
fn check(dir: &Path, day: &str) -> (i32, Vec<(String, String)>) {
    let out = isms_lint()
        .arg("check")
        .arg(dir)
        .args(["--as-of", day, "--format", "json", "--fail-on", "warning"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let rule = f["rule"].as_str().unwrap();
            rule == "owner-left" || rule == "unknown-person"
        })
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (out.status.code().unwrap(), findings)
}

#[test]
fn a_leaver_who_still_owns_the_policy_fails_the_check_from_the_day_after_their_last_day() {
    let dir = new_repo();
    // The Information Security Manager, Sam Lee, leaves on the last day
    // of June, and no one else holds the role.
    edit(
        dir.path(),
        "people.yaml",
        "    name: Information Security Manager\n    role: Information Security Manager\n",
        "    name: Sam Lee\n    role: Information Security Manager\n    left: 2025-06-30\n",
    );
    for day in ["2025-06-29", "2025-06-30"] {
        let (code, findings) = check(dir.path(), day);
        assert_eq!((code, findings), (0, vec![]), "{day}");
    }
    let (code, findings) = check(dir.path(), "2025-07-01");
    assert_eq!(code, 1);
    let messages: Vec<&str> = findings
        .iter()
        .inspect(|(rule, _)| assert_eq!(rule, "owner-left"))
        .map(|(_, m)| m.as_str())
        .collect();
    // Named by role in the policy and the SoA: the role's only holder left.
    assert_eq!(
        messages,
        [
            "The role `Information Security Manager` still owns policy POL-001, but no one in post holds it: its only holder, Sam Lee (left on 2025-06-30); clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them",
            "The role `Information Security Manager` still owns Statement of Applicability SOA, but no one in post holds it: its only holder, Sam Lee (left on 2025-06-30); clause 5.3 requires the responsibilities for information security to be assigned to people who can carry them",
        ]
    );
}

#[test]
fn a_name_the_roster_does_not_know_is_a_warning_with_the_closest() {
    let dir = new_repo();
    edit(
        dir.path(),
        "risks/RISK-001.yaml",
        "owner: Chief Executive Officer",
        "owner: Chief Executive Oficer",
    );
    let (code, findings) = check(dir.path(), DAY);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        [(
            "unknown-person".to_owned(),
            "`Chief Executive Oficer` (in `owner` of risk RISK-001) matches no one in the people roster by id, name, email or role; did you mean `Chief Executive Officer`?".to_owned()
        )]
    );
}

#[test]
fn explain_cites_the_clauses() {
    for (rule, clause) in [
        ("owner-left", "ISO/IEC 27001:2022 5.3, 6.1.2 c 2"),
        ("unknown-person", "ISO/IEC 27001:2022 5.3"),
    ] {
        let out = isms_lint().args(["explain", rule]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(clause), "{rule}: {text}");
        assert!(text.contains("people"), "{rule}: {text}");
    }
}

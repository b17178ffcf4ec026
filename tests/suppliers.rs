//! Suppliers and the legal register through the binary: the records `init`
//! writes start their clocks on the day they are made, the deadline rules
//! warn on the due day and fail the day after, and `explain` documents each
//! rule with its clause.

use std::fs;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

/// The day the repository is created.
const DAY: &str = "2025-06-01";

fn isms_lint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("isms-lint"));
    cmd.timeout(Duration::from_secs(120))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

fn new_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = isms_lint()
        .arg("init")
        .arg(dir.path())
        .args(["--date", DAY])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    dir
}

/// (exit code, [(rule, state, severity, message)]) of the supplier and
/// legal rules on `day`.
fn check(dir: &Path, day: &str) -> (i32, Vec<(String, String, String, String)>) {
    let out = isms_lint()
        .arg("check")
        .arg(dir)
        .args([
            "--as-of",
            day,
            "--format",
            "json",
            "--select",
            "suppliers,legal",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let findings = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                text(&f["rule"]),
                text(&f["state"]),
                text(&f["severity"]),
                text(&f["message"]),
            )
        })
        .collect();
    (out.status.code().unwrap(), findings)
}

#[test]
fn the_records_of_init_fall_due_a_year_later_and_fail_the_day_after() {
    let dir = new_repo();
    assert!(dir.path().join("suppliers/SUP-001.yaml").is_file());
    assert!(dir.path().join("legal/register.yaml").is_file());
    assert!(dir.path().join("schemas/supplier.schema.json").is_file());
    assert!(dir
        .path()
        .join("schemas/legal-requirement.schema.json")
        .is_file());
    assert_eq!(check(dir.path(), DAY), (0, vec![]));
    assert_eq!(check(dir.path(), "2026-05-01"), (0, vec![]));

    let (code, due) = check(dir.path(), "2026-06-01");
    assert_eq!(code, 0, "{due:?}");
    let rules: Vec<_> = due
        .iter()
        .map(|(r, s, v, _)| (r.as_str(), s.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        rules,
        [
            ("legal-register-review-overdue", "due-soon", "warning"),
            ("supplier-review-overdue", "due-soon", "warning"),
            ("supplier-assurance-expired", "due-soon", "warning"),
        ]
    );
    assert_eq!(due[0].3, "The review of legal requirement LEG-001 (Name the law and its articles, such as GDPR Article 32) is due today (on 2026-06-01); last reviewed on 2025-06-01, with a review interval of 1 year (`schedule.legal-review`)");
    assert_eq!(due[2].3, "The SOC 2 Type II report of supplier SUP-001 (Example Cloud Hosting), for the period ending 2025-06-01, stops being current today (on 2026-06-01, 1 year after its period ended)");
    assert_eq!(due[1].3, "The review of supplier SUP-001 (Example Cloud Hosting) is due today (on 2026-06-01); last reviewed on 2025-06-01, with a review interval of 1 year for the critical tier (`schedule.supplier-review-critical`)");

    let (code, overdue) = check(dir.path(), "2026-06-02");
    assert_eq!(code, 1);
    assert!(
        overdue
            .iter()
            .all(|(_, s, v, _)| s == "overdue" && v == "error"),
        "{overdue:?}"
    );
    assert_eq!(overdue.len(), 3);
}

#[test]
fn a_new_critical_supplier_without_assurance_fails_the_check() {
    let dir = new_repo();
    let path = dir.path().join("suppliers/SUP-002.yaml");
    fs::write(
        &path,
        "kind: supplier\nid: SUP-002\nname: Example Payroll\ntier: critical\nonboarded: 2025-06-01\n",
    )
    .unwrap();
    let (code, found) = check(dir.path(), DAY);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "supplier-unassessed");
    assert_eq!(found[0].3, "Critical supplier SUP-002 (Example Payroll) has given no assurance, and no accepted risk refers to it: no ISO/IEC 27001 certificate, SOC 2 Type II report or penetration-test letter is recorded");
    // The day before it was onboarded, it was not a supplier yet.
    assert_eq!(check(dir.path(), "2025-05-31"), (0, vec![]));
    // A risk its owner accepted, naming the supplier, is the decision to rely on it.
    fs::write(
        dir.path().join("risks/RISK-002.yaml"),
        "kind: risk\nid: RISK-002\ntitle: Payroll data exposed at the bureau\nowner: Chief Executive Officer\n\
         identified: 2025-06-01\nlikelihood: 1\nimpact: 3\ntreatment: accept\nsuppliers: [SUP-002]\n\
         acceptance:\n  by: Chief Executive Officer\n  date: 2025-06-01\nreviewed: 2025-06-01\n",
    )
    .unwrap();
    assert_eq!(check(dir.path(), DAY), (0, vec![]));
}

#[test]
fn explain_each_rule_with_its_clause() {
    for (rule, clause) in [
        ("supplier-review-overdue", "Annex A 5.22"),
        ("supplier-assurance-expired", "Annex A 5.19, 5.22"),
        ("supplier-unassessed", "Annex A 5.19, 5.21"),
        ("legal-register-review-overdue", "4.2, Annex A 5.31"),
    ] {
        let out = isms_lint().args(["explain", rule]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{rule}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(clause), "{rule}: {text}");
        assert!(text.contains("```yaml"), "{rule}: {text}");
    }
}

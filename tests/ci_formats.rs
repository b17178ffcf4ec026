//! The CI formats: SARIF for code scanning, GitHub workflow commands and job
//! summary, JUnit, and `--output FORMAT=PATH`.
//!
//! Fixture repositories are `isms-lint init` output plus broken records, built
//! in temporary directories. When `ISMS_LINT_SARIF_DIR` is set, every SARIF log
//! these tests produce is also copied there, for `.ci/run` to validate against
//! the OASIS schema and the SARIF multitool.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The day the fixture is created and checked: `init` output is clean on it.
const DAY: &str = "2025-06-02";

fn isms_lint() -> Command {
    let mut cmd = Command::cargo_bin("isms-lint").unwrap();
    // Tests may run in GitHub Actions: its variables must not leak in.
    for var in [
        "GITHUB_STEP_SUMMARY",
        "GITHUB_SERVER_URL",
        "GITHUB_REPOSITORY",
        "GITHUB_SHA",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// A sound repository, as `isms-lint init` writes it.
fn sound_repo() -> TempDir {
    let dir = TempDir::new().unwrap();
    isms_lint()
        .args(["init", "--date", DAY, "--organisation", "Exemple SàRL"])
        .arg(dir.path())
        .assert()
        .success();
    dir
}

const WAIVER: &str =
    "Migrated from the old register «as is»; corrected at the next risk review, 100% by Q3";

/// A repository with findings of several rules: an invalid date in a record
/// (waived), one in Markdown front matter, one after non-ASCII text, a
/// duplicate id (with a related location), an overdue and an upcoming
/// corrective action, and a broken reference.
fn broken_repo() -> TempDir {
    let dir = sound_repo();
    let root = dir.path();
    let manifest = fs::read_to_string(root.join("isms.yaml")).unwrap();
    fs::write(
        root.join("isms.yaml"),
        format!(
            "{manifest}waivers:\n  - rule: invalid-date\n    target: risks/RISK-002.yaml\n    reason: \"{WAIVER}\"\n    owner: Information Security Manager\n    expires: 2099-12-31\n"
        ),
    )
    .unwrap();
    write(
        root,
        "risks/RISK-002.yaml",
        "kind: risk\nid: RISK-002\ntitle: Legacy supplier access\nowner: Chief Executive Officer\nidentified: 2025-01-10\nlikelihood: 2\nimpact: 2\ntreatment: accept\nreviewed: 2025-02-30\n",
    );
    write(
        root,
        "risks/risk, duplicate.yaml",
        "kind: risk\nid: RISK-001\ntitle: Same id as the first risk\nowner: Chief Executive Officer\nidentified: 2025-01-10\nlikelihood: 1\nimpact: 1\ntreatment: accept\nreviewed: 2025-05-01\n",
    );
    write(
        root,
        "policies/sécurité-des-accès.md",
        "---\nkind: policy\nid: POL-002\ntitle: Politique de contrôle d'accès\nversion: \"1.0\"\nowner: Responsable sécurité\nstatus: approved\napproved: 2025-02-29\napproved-by: Direction générale\ncontrols: [\"5.15\"]\n---\n# Politique de contrôle d'accès\n\nLes accès sont revus chaque trimestre.\n",
    );
    write(
        root,
        "actions/corrective-actions.yaml",
        "kind: corrective-action\ntitle: Corrective action register\nentries:\n  - id: CA-001\n    title: Enforce MFA on the VPN\n    source: IA-2024-99\n    owner: IT Manager\n    raised: 2025-03-01\n    due: 2025-05-31\n    status: open\n  - id: CA-002\n    title: Review supplier contracts\n    owner: Procurement\n    raised: 2025-04-01\n    due: 2025-06-20\n    status: in-progress\n  - {id: CA-003, title: \"Révision des accès — «admin»\", owner: DSI, due: 2025-02-30, status: open, evidence: [\"evidence/MFA rollout: 100%.pdf\"]}\n",
    );
    dir
}

fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    fs::create_dir_all(full.parent().unwrap()).unwrap();
    fs::write(full, text).unwrap();
}

/// Run `check` with `args` on `dir` as of [`DAY`]; (exit code, stdout).
fn check(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = isms_lint()
        .arg("check")
        .arg(dir)
        .args(["--as-of", DAY])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// SARIF for `dir`, kept for `.ci/run`'s validators under `name`.
fn sarif(dir: &Path, name: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "sarif"];
    all.extend_from_slice(args);
    let (code, out) = check(dir, &all);
    if let Some(keep) = std::env::var_os("ISMS_LINT_SARIF_DIR") {
        let keep = PathBuf::from(keep);
        fs::create_dir_all(&keep).unwrap();
        fs::write(keep.join(format!("{name}.sarif")), &out).unwrap();
    }
    (code, serde_json::from_str(&out).expect("SARIF is JSON"))
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

/// The one result of `rule` about `record` (a record id, or a file's URI).
fn result<'a>(log: &'a Value, rule: &str, record: &str) -> &'a Value {
    let found: Vec<&Value> = results(log)
        .iter()
        .filter(|r| {
            r["ruleId"] == rule
                && (r["properties"]["recordId"] == record
                    || r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == record)
        })
        .collect();
    assert_eq!(found.len(), 1, "{rule} on {record}: {found:#?}");
    found[0]
}

fn registry_names() -> Vec<String> {
    let out = isms_lint()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn sarif_describes_the_tool_and_every_rule() {
    let dir = broken_repo();
    let (code, log) = sarif(dir.path(), "broken", &[]);
    assert_eq!(code, 1);
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"]
        .as_str()
        .unwrap()
        .ends_with("sarif-schema-2.1.0.json"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "isms-lint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        registry_names(),
        "rules[] lists every registered rule, in order"
    );
    for r in rules {
        let id = r["id"].as_str().unwrap();
        for field in [
            &r["shortDescription"]["text"],
            &r["fullDescription"]["text"],
            &r["help"]["text"],
            &r["help"]["markdown"],
        ] {
            assert!(!field.as_str().unwrap().is_empty(), "{id}: {r:#}");
        }
        assert!(r["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with(&format!("# {id}\n")));
        assert!(matches!(
            r["defaultConfiguration"]["level"].as_str().unwrap(),
            "error" | "warning" | "note"
        ));
        let tags = r["properties"]["tags"].as_array().unwrap();
        assert_eq!(tags.len(), 2, "{id}: category and clause");
    }
    let invalid_date = rules.iter().find(|r| r["id"] == "invalid-date").unwrap();
    assert_eq!(invalid_date["properties"]["tags"][0], "integrity");
    assert_eq!(invalid_date["defaultConfiguration"]["level"], "error");

    assert_eq!(run["automationDetails"]["id"], "isms-lint/");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert_eq!(invocation["exitCode"], 1);

    // Every result: a rule of the driver, at its index, with a located region.
    for r in results(&log) {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        assert!(!r["partialFingerprints"]["ismsLint/v1"]
            .as_str()
            .unwrap()
            .is_empty());
        assert!(r["message"]["text"]
            .as_str()
            .unwrap()
            .ends_with(['.', '?', '!']));
    }
}

#[test]
fn sarif_results_field_by_field() {
    let dir = broken_repo();
    let (_, log) = sarif(dir.path(), "broken-fields", &[]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let index_of = |id: &str| rules.iter().position(|r| r["id"] == id).unwrap() as u64;

    // An overdue corrective action: at its `due` value.
    let overdue = result(&log, "corrective-action-overdue", "CA-001");
    assert_eq!(overdue["ruleIndex"], index_of("corrective-action-overdue"));
    assert_eq!(overdue["level"], "error");
    let loc = &overdue["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "actions/corrective-actions.yaml"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        loc["region"],
        serde_json::json!({
            "startLine": 9, "startColumn": 10, "endLine": 9, "endColumn": 20,
            "snippet": {"text": "2025-05-31"}
        })
    );
    assert_eq!(
        loc["contextRegion"]["snippet"]["text"],
        "    raised: 2025-03-01\n    due: 2025-05-31\n    status: open"
    );
    assert_eq!(loc["contextRegion"]["startLine"], 8);
    assert_eq!(loc["contextRegion"]["endLine"], 10);
    assert_eq!(overdue["properties"]["due"], "2025-05-31");
    assert_eq!(overdue["properties"]["state"], "overdue");
    let fingerprint = overdue["partialFingerprints"]["ismsLint/v1"]
        .as_str()
        .unwrap();
    assert_eq!(fingerprint.len(), 32);
    assert!(overdue.get("suppressions").is_none());

    // A date after non-ASCII text: columns count characters, not bytes.
    let flow = result(&log, "invalid-date", "actions/corrective-actions.yaml");
    assert!(
        flow["properties"].get("state").is_none(),
        "no deadline, no state"
    );
    let region = &flow["locations"][0]["physicalLocation"]["region"];
    let line = "  - {id: CA-003, title: \"Révision des accès — «admin»\", owner: DSI, due: ";
    assert_eq!(region["startLine"], 17);
    assert_eq!(region["startColumn"], line.chars().count() as u64 + 1);
    assert_eq!(region["endColumn"], line.chars().count() as u64 + 11);

    // In Markdown front matter, in a file whose name is not ASCII.
    let front = result(
        &log,
        "invalid-date",
        "policies/s%C3%A9curit%C3%A9-des-acc%C3%A8s.md",
    );
    let loc = &front["locations"][0]["physicalLocation"];
    assert_eq!(loc["region"]["startLine"], 8);
    assert_eq!(loc["region"]["startColumn"], 11);

    // The waived finding: a result with an external, accepted suppression.
    let waived = result(&log, "invalid-date", "risks/RISK-002.yaml");
    assert_eq!(waived["level"], "error");
    let suppression = &waived["suppressions"][0];
    assert_eq!(suppression["kind"], "external");
    assert_eq!(suppression["status"], "accepted");
    assert_eq!(suppression["justification"], WAIVER);
    assert_eq!(
        suppression["location"]["physicalLocation"]["artifactLocation"]["uri"],
        "isms.yaml"
    );
    assert_eq!(suppression["properties"]["expires"], "2099-12-31");

    // A duplicate id points at the first definition.
    let duplicate = results(&log)
        .iter()
        .find(|r| r["ruleId"] == "duplicate-id")
        .expect("a duplicate-id result");
    let related = &duplicate["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert!(related["message"]["text"].as_str().unwrap().ends_with('.'));
    assert_eq!(
        duplicate["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "risks/risk%2C%20duplicate.yaml"
    );
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let dir = broken_repo();
    let (_, before) = sarif(dir.path(), "before-edit", &[]);
    let path = dir.path().join("actions/corrective-actions.yaml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        format!("# Register of corrective actions.\n# Reviewed monthly.\n\n{text}"),
    )
    .unwrap();
    let (_, after) = sarif(dir.path(), "after-edit", &[]);
    for (rule, record) in [
        ("corrective-action-overdue", "CA-001"),
        ("invalid-date", "actions/corrective-actions.yaml"),
    ] {
        let (b, a) = (result(&before, rule, record), result(&after, rule, record));
        assert_eq!(
            b["partialFingerprints"], a["partialFingerprints"],
            "{rule} {record}"
        );
        let line = |r: &Value| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        };
        assert_eq!(line(a), line(b) + 3);
    }
    let prints = |log: &Value| {
        let mut v: Vec<String> = results(log)
            .iter()
            .map(|r| r["partialFingerprints"].to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(prints(&before), prints(&after));
}

#[test]
fn sarif_of_a_sound_repository_has_no_results_and_every_rule() {
    let dir = sound_repo();
    let (code, log) = sarif(
        dir.path(),
        "sound",
        &["--sarif-category", "compliance/isms"],
    );
    assert_eq!(code, 0);
    assert!(results(&log).is_empty());
    assert_eq!(
        log["runs"][0]["automationDetails"]["id"],
        "compliance/isms/"
    );
    assert_eq!(log["runs"][0]["invocations"][0]["exitCode"], 0);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), registry_names().len());
}

#[test]
fn github_annotations_are_escaped_workflow_commands() {
    let dir = broken_repo();
    let (code, out) = check(dir.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&"::error file=actions/corrective-actions.yaml,line=9,col=10,endLine=9,endColumn=20,title=corrective-action-overdue::Corrective action CA-001 is overdue: it was due on 2025-05-31 (2 days ago); it is still open"),
        "{out}"
    );
    // Non-ASCII paths are written as they are; columns count characters.
    assert!(
        lines.contains(&"::error file=policies/sécurité-des-accès.md,line=8,col=11,endLine=8,endColumn=21,title=invalid-date::`approved` is not a real date: 2025-02-29 does not exist (February 2025 has 28 days)"),
        "{out}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("::error file=actions/corrective-actions.yaml,line=17,col=74,endLine=17,endColumn=84,title=invalid-date::")),
        "{out}"
    );
    // A comma in a file name is escaped in the property.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=risks/risk%2C duplicate.yaml,line=")),
        "{out}"
    );
    // A `%` and a line break in a message are escaped (the help follows the message).
    let evidence = lines
        .iter()
        .find(|l| l.contains("title=broken-reference::") && l.contains("MFA rollout"))
        .expect(&out);
    assert!(
        evidence.starts_with("::error file=actions/corrective-actions.yaml,line=17,"),
        "{evidence}"
    );
    assert!(evidence.contains("100%25.pdf"), "{evidence}");
    assert!(evidence.contains("%0A"), "{evidence}");
    // Waived findings are not annotated.
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("file=risks/RISK-002.yaml") && l.contains("title=invalid-date")),
        "{out}"
    );
    // A warning for the action falling due soon.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=actions/corrective-actions.yaml,line=15,")),
        "{out}"
    );
    // Every line is a workflow command but the closing summary.
    let (last, commands) = lines.split_last().unwrap();
    assert!(commands.iter().all(|l| l.starts_with("::")), "{out}");
    assert!(last.contains("as of 2025-06-02"), "{last}");
    // No message holds a raw line break or an unescaped `%`.
    for l in commands {
        let message = l.splitn(3, "::").nth(2).unwrap();
        assert!(!message.contains('\r'));
        assert!(
            message
                .replace("%25", "")
                .replace("%0A", "")
                .replace("%0D", "")
                .find('%')
                .is_none(),
            "{l}"
        );
    }
}

#[test]
fn github_step_summary_lists_counts_findings_and_deadlines() {
    let dir = broken_repo();
    let summary_dir = TempDir::new().unwrap();
    let summary = summary_dir.path().join("summary.md");
    fs::write(&summary, "Earlier step.\n").unwrap();
    let out = isms_lint()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", DAY, "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("Earlier step.\n## isms-lint\n"),
        "appended: {text}"
    );
    assert!(
        text.contains("| Rule | Errors | Warnings | Notes | Waived |"),
        "{text}"
    );
    assert!(
        text.contains("corrective-action-overdue.md) | 1 | 1 | 0 | 0 |"),
        "{text}"
    );
    assert!(
        text.contains("invalid-date.md) | 2 | 0 | 0 | 1 |"),
        "{text}"
    );
    assert!(text.contains("**Failed**"), "{text}");
    assert!(
        text.contains(
            "| `actions/corrective-actions.yaml:9` | error | `corrective-action-overdue` |"
        ),
        "{text}"
    );
    assert!(text.contains("### Waived findings"), "{text}");
    // Values are Markdown-escaped text: they render as written.
    assert!(
        text.contains(r"Migrated from the old register «as is»\; corrected at the next risk review\, 100\% by Q3"),
        "{text}"
    );
    // Deadlines: the overdue one first, with the date and the days left.
    assert!(text.contains("### Next deadlines"), "{text}");
    let upcoming = text
        .find(r"| 2025-06-20 | 18 days | corrective action CA\-002 |")
        .expect(&text);
    let overdue = text
        .find(r"| 2025-05-31 | overdue by 2 days | corrective action CA\-001 |")
        .expect(&text);
    assert!(overdue < upcoming);

    // In GitHub Actions, places link to the lines of the commit.
    let linked = summary_dir.path().join("linked.md");
    isms_lint()
        .env("GITHUB_STEP_SUMMARY", &linked)
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/isms")
        .env("GITHUB_SHA", "0123abc")
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", DAY, "--format", "github"])
        .assert()
        .code(1);
    let text = fs::read_to_string(&linked).unwrap();
    assert!(
        text.contains("| [`policies/sécurité-des-accès.md:8`](https://github.com/acme/isms/blob/0123abc/policies/s%C3%A9curit%C3%A9-des-acc%C3%A8s.md#L8) | error | `invalid-date` |"),
        "{text}"
    );
}

#[test]
fn github_summary_says_when_annotations_are_capped() {
    let dir = sound_repo();
    let mut register = String::from("kind: risk\ntitle: Imported risks\nentries:\n");
    for i in 0..12 {
        register.push_str(&format!(
            "  - {{id: IMP-{i:02}, title: Imported {i}, owner: Chief Executive Officer, identified: 2025-01-10, likelihood: 1, impact: 1, treatment: accept, reviewed: 2025-02-30}}\n"
        ));
    }
    write(dir.path(), "risks/imported.yaml", &register);
    let summary_dir = TempDir::new().unwrap();
    let summary = summary_dir.path().join("summary.md");
    isms_lint()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", DAY, "--format", "github"])
        .assert()
        .code(1);
    let text = fs::read_to_string(&summary).unwrap();
    assert!(
        text.contains("at most 10 annotations of each level"),
        "{text}"
    );
    assert!(
        text.matches("| `risks/imported.yaml:").count() >= 12,
        "{text}"
    );
}

#[test]
fn junit_has_a_suite_per_rule_and_a_case_per_finding() {
    let dir = broken_repo();
    let (code, out) = check(dir.path(), &["--format", "junit"]);
    assert_eq!(code, 1);
    assert_valid_junit(&out);
    let doc = roxmltree::Document::parse(&out).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<roxmltree::Node> = root.children().filter(|n| n.is_element()).collect();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert!(names.contains(&"invalid-date"), "{names:?}");
    assert!(names.contains(&"corrective-action-overdue"), "{names:?}");
    let mut total = 0;
    for s in &suites {
        assert_eq!(s.tag_name().name(), "testsuite");
        let cases: Vec<roxmltree::Node> = s.children().filter(|n| n.is_element()).collect();
        assert_eq!(s.attribute("tests").unwrap(), cases.len().to_string());
        let failures = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .count();
        assert_eq!(s.attribute("failures").unwrap(), failures.to_string());
        total += cases.len();
    }
    assert_eq!(root.attribute("tests").unwrap(), total.to_string());
    let invalid = suites
        .iter()
        .find(|s| s.attribute("name") == Some("invalid-date"))
        .unwrap();
    assert_eq!(invalid.attribute("skipped"), Some("1"));
    let skipped = invalid
        .descendants()
        .find(|n| n.has_tag_name("skipped"))
        .unwrap();
    assert!(skipped.attribute("message").unwrap().contains(WAIVER));
    let case = invalid
        .children()
        .find(|n| {
            n.attribute("name")
                .is_some_and(|a| a.starts_with("actions/corrective-actions.yaml:17:74"))
        })
        .unwrap();
    assert_eq!(
        case.attribute("classname"),
        Some("isms-lint.integrity.invalid-date")
    );
    let failure = case.children().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("type"), Some("error"));
    assert_eq!(
        failure.attribute("message"),
        Some("`due` is not a real date: 2025-02-30 does not exist (February 2025 has 28 days)")
    );
    assert!(failure
        .text()
        .unwrap()
        .starts_with("actions/corrective-actions.yaml:17:74: error[invalid-date] `due`"));
}

#[test]
fn junit_of_a_sound_repository_has_one_passing_case() {
    let dir = sound_repo();
    let (code, out) = check(dir.path(), &["--format", "junit"]);
    assert_eq!(code, 0);
    assert_valid_junit(&out);
    let doc = roxmltree::Document::parse(&out).unwrap();
    assert_eq!(doc.root_element().attribute("tests"), Some("1"));
    assert_eq!(doc.root_element().attribute("failures"), Some("0"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        1
    );
}

#[test]
fn outputs_write_files_and_keep_the_terminal_report_and_exit_code() {
    let dir = broken_repo();
    let out_dir = TempDir::new().unwrap();
    let sarif_path = out_dir.path().join("results.sarif");
    let junit_path = out_dir.path().join("reports/junit.xml");
    let json_path = out_dir.path().join("report.json");
    let (plain_code, plain) = check(dir.path(), &[]);
    let out = isms_lint()
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", DAY])
        .arg("--output")
        .arg(format!("sarif={}", sarif_path.display()))
        .arg("--output")
        .arg(format!("junit={}", junit_path.display()))
        .arg("--output")
        .arg(format!("json={}", json_path.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(plain_code));
    assert_eq!(plain_code, 1);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, plain, "the terminal keeps the human report");
    assert!(stdout.contains("as of 2025-06-02."));

    let log: Value = serde_json::from_str(&fs::read_to_string(&sarif_path).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    roxmltree::Document::parse(&fs::read_to_string(&junit_path).unwrap()).unwrap();
    let json: Value = serde_json::from_str(&fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(
        json["findings"].as_array().unwrap().len(),
        results(&log).len()
    );
    // Machine formats hold nothing for people.
    let sarif_text = fs::read_to_string(&sarif_path).unwrap();
    assert!(sarif_text.starts_with('{') && !sarif_text.contains('\u{1b}'));

    // A clean repository with outputs still exits 0.
    let sound = sound_repo();
    isms_lint()
        .arg("check")
        .arg(sound.path())
        .args(["--as-of", DAY, "--format", "json"])
        .arg("--output")
        .arg(format!(
            "sarif={}",
            out_dir.path().join("sound.sarif").display()
        ))
        .assert()
        .code(0);
}

#[test]
fn a_bad_output_is_a_usage_error() {
    let dir = sound_repo();
    isms_lint()
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", DAY, "--output", "pdf=report.pdf"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`pdf` is not a format"));
    isms_lint()
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", DAY, "--output", "results.sarif"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("FORMAT=PATH"));
}

#[test]
fn paths_are_relative_to_the_enclosing_git_work_tree() {
    let outer = TempDir::new().unwrap();
    fs::create_dir(outer.path().join(".git")).unwrap();
    let isms = outer.path().join("compliance");
    isms_lint()
        .args(["init", "--date", DAY])
        .arg(&isms)
        .assert()
        .success();
    write(
        &isms,
        "risks/RISK-009.yaml",
        "kind: risk\nid: RISK-009\ntitle: T\nowner: Chief Executive Officer\nidentified: 2025-01-10\nlikelihood: 1\nimpact: 1\ntreatment: accept\nreviewed: 2025-02-30\n",
    );
    let (code, log) = sarif(&isms, "subdirectory", &[]);
    assert_eq!(code, 1);
    let r = result(&log, "invalid-date", "compliance/risks/RISK-009.yaml");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "compliance/risks/RISK-009.yaml"
    );
    let (_, out) = check(&isms, &["--format", "github"]);
    assert!(
        out.contains("::error file=compliance/risks/RISK-009.yaml,line=9,"),
        "{out}"
    );
}

/// Check a Code Quality report against GitLab's documented requirements
/// (docs.gitlab.com, "Code Quality report format"): a JSON array of objects,
/// each with a `description`, a `check_name`, a `fingerprint` unique in the
/// report, a `severity` among `info`, `minor`, `major`, `critical` and
/// `blocker`, a `location.path` relative to the repository (no `./`), and a
/// 1-based `location.lines.begin`; nothing GitLab does not read.
fn assert_gitlab_code_quality(doc: &Value) {
    let issues = doc.as_array().expect("the report is a JSON array");
    let mut fingerprints = std::collections::HashSet::new();
    for issue in issues {
        let obj = issue.as_object().expect("each issue is an object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "check_name",
                "description",
                "fingerprint",
                "location",
                "severity"
            ],
            "{issue:#}"
        );
        for field in ["description", "check_name", "fingerprint"] {
            let s = issue[field].as_str().expect(field);
            assert!(!s.trim().is_empty(), "{field} is empty: {issue:#}");
        }
        assert!(
            fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_owned()),
            "fingerprints are unique: {issue:#}"
        );
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap()),
            "{issue:#}"
        );
        let location = issue["location"].as_object().unwrap();
        let mut keys: Vec<&str> = location.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["lines", "path"], "{issue:#}");
        let path = location["path"].as_str().unwrap();
        assert!(
            !path.is_empty()
                && !path.starts_with("./")
                && !path.starts_with('/')
                && !path.contains('\\'),
            "a relative path: {path}"
        );
        let begin = location["lines"]["begin"].as_u64().expect("lines.begin");
        assert!(begin >= 1);
        let end = location["lines"]["end"].as_u64().expect("lines.end");
        assert!(end >= begin, "{issue:#}");
    }
}

#[test]
fn gitlab_code_quality_has_gitlabs_fields_for_every_finding_not_waived() {
    let dir = broken_repo();
    let (code, out) = check(dir.path(), &["--format", "gitlab"]);
    assert_eq!(code, 1, "the format does not change the exit code");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_gitlab_code_quality(&doc);
    let (_, json) = check(dir.path(), &["--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let unwaived: Vec<&Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("waiver").is_none())
        .collect();
    let issues = doc.as_array().unwrap();
    assert_eq!(issues.len(), unwaived.len(), "waived findings are left out");
    for (issue, f) in issues.iter().zip(&unwaived) {
        assert_eq!(issue["check_name"], f["rule"]);
        assert_eq!(issue["fingerprint"], f["fingerprint"]);
        assert_eq!(issue["location"]["path"], f["path"]);
        assert_eq!(issue["location"]["lines"]["begin"], f["line"]);
        assert_eq!(issue["location"]["lines"]["end"], f["end_line"]);
    }
    let overdue = issues
        .iter()
        .find(|i| i["check_name"] == "corrective-action-overdue")
        .unwrap();
    assert_eq!(overdue["severity"], "critical");
    assert_eq!(
        overdue["location"],
        serde_json::json!({"path": "actions/corrective-actions.yaml", "lines": {"begin": 9, "end": 9}})
    );
    // CA-002 falls due within the horizon: a warning.
    let upcoming = issues
        .iter()
        .find(|i| i["location"]["lines"]["begin"] == 15)
        .unwrap();
    assert_eq!(upcoming["check_name"], "corrective-action-overdue");
    assert_eq!(upcoming["severity"], "minor");
    assert!(!issues.iter().any(
        |i| i["location"]["path"] == "risks/RISK-002.yaml" && i["check_name"] == "invalid-date"
    ));

    // A sound repository: an empty array, which GitLab reads as no issue.
    let sound = sound_repo();
    let (code, out) = check(sound.path(), &["--format", "gitlab"]);
    assert_eq!((code, out.as_str()), (0, "[]\n"));
}

/// A YAML document, as JSON.
fn yaml(text: &str) -> Value {
    let file = isms_core::source::SourceFile::new("doc.yaml", text);
    let parsed = isms_core::yaml::parse(&file, text, 1);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    parsed.documents[0].to_json()
}

/// The first fenced block of `lang` in the `## heading` section of a doc.
fn doc_block(doc: &str, heading: &str, lang: &str) -> String {
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(doc)).unwrap();
    let section = text
        .split("\n## ")
        .find(|s| s.starts_with(heading))
        .unwrap_or_else(|| panic!("{doc} has a section {heading}"));
    let fence = format!("```{lang}\n");
    let start = section.find(&fence).expect("a block") + fence.len();
    let len = section[start..].find("```").unwrap();
    section[start..start + len].to_owned()
}

#[test]
fn the_gitlab_ci_job_of_the_docs_writes_every_report_it_declares() {
    let job = yaml(&doc_block("docs/ci.md", "GitLab CI", "yaml"));
    let job = &job["isms-lint"];
    let dir = broken_repo();
    let mut ran = 0;
    for line in job["script"].as_array().unwrap() {
        let line = line.as_str().unwrap();
        let Some(args) = line.strip_prefix("isms-lint ") else {
            assert!(line.starts_with("cargo install"), "{line}");
            continue;
        };
        assert!(!args.contains(['"', '\'', '$']), "plain words: {line}");
        let out = isms_lint()
            .current_dir(dir.path())
            .args(args.split_whitespace())
            .args(["--as-of", DAY])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{line}: {out:?}");
        ran += 1;
    }
    assert_eq!(ran, 1);
    let artifacts = &job["artifacts"];
    assert_eq!(artifacts["when"], "always", "reports also of a failed job");
    let reports = artifacts["reports"].as_object().unwrap();
    let read = |name: &Value| fs::read_to_string(dir.path().join(name.as_str().unwrap())).unwrap();
    let quality: Value = serde_json::from_str(&read(&reports["codequality"])).unwrap();
    assert_gitlab_code_quality(&quality);
    assert!(!quality.as_array().unwrap().is_empty());
    roxmltree::Document::parse(&read(&reports["junit"])).unwrap();
    for path in artifacts["paths"].as_array().unwrap() {
        serde_json::from_str::<Value>(&read(path)).unwrap();
    }
}

/// What the XSD says of one element: its attributes (name → required, and
/// whether the type is SUREFIRE_TIME), the elements it may hold, and whether
/// it may hold text.
#[derive(Debug, Default)]
struct ElementRule {
    attributes: std::collections::BTreeMap<String, (bool, bool)>,
    children: std::collections::BTreeSet<String>,
    text: bool,
}

/// The element rules of the JUnit schema Jenkins' xunit plugin validates
/// against (`junit-10.xsd`, vendored from jenkinsci/xunit-plugin, MIT).
fn junit_schema() -> std::collections::BTreeMap<String, ElementRule> {
    let xsd = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/junit/junit-10.xsd"),
    )
    .unwrap();
    let doc = roxmltree::Document::parse(&xsd).unwrap();
    let schema = doc.root_element();
    let complex_type = |node: roxmltree::Node<'_, '_>| -> ElementRule {
        let mut rule = ElementRule {
            text: node.attribute("mixed") == Some("true"),
            ..ElementRule::default()
        };
        for d in node.descendants().filter(|d| d.is_element()) {
            match d.tag_name().name() {
                "attribute" => {
                    rule.attributes.insert(
                        d.attribute("name").unwrap().to_owned(),
                        (
                            d.attribute("use") == Some("required"),
                            d.attribute("type") == Some("SUREFIRE_TIME"),
                        ),
                    );
                }
                "element" => {
                    let name = d.attribute("ref").or(d.attribute("name")).unwrap();
                    rule.children.insert(name.to_owned());
                }
                _ => {}
            }
        }
        rule
    };
    let named_types: std::collections::BTreeMap<&str, roxmltree::Node> = schema
        .children()
        .filter(|n| n.has_tag_name("complexType"))
        .map(|n| (n.attribute("name").unwrap(), n))
        .collect();
    let mut rules = std::collections::BTreeMap::new();
    for e in schema.children().filter(|n| n.has_tag_name("element")) {
        let name = e.attribute("name").unwrap().to_owned();
        let rule = match e.attribute("type") {
            Some("xs:string") => ElementRule {
                text: true,
                ..ElementRule::default()
            },
            Some(t) => complex_type(named_types[t]),
            None => complex_type(
                e.children()
                    .find(|n| n.has_tag_name("complexType"))
                    .unwrap(),
            ),
        };
        rules.insert(name, rule);
    }
    // Local elements of a named type (`stackTrace`) hold text.
    let locals: Vec<String> = rules
        .values()
        .flat_map(|r| r.children.iter().cloned())
        .filter(|c| !rules.contains_key(c))
        .collect();
    for l in locals {
        rules.insert(
            l,
            ElementRule {
                text: true,
                ..ElementRule::default()
            },
        );
    }
    rules
}

/// Validate a JUnit report against the vendored xunit schema: the root is
/// `<testsuites>`, every element is declared and allowed where it is, every
/// attribute is declared, required ones are present, times match
/// SUREFIRE_TIME, and text appears only where the schema allows it.
fn assert_valid_junit(xml: &str) {
    let rules = junit_schema();
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "testsuites");
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        let rule = rules
            .get(name)
            .unwrap_or_else(|| panic!("<{name}> is not in the schema"));
        for a in node.attributes() {
            let (_, time) = rule
                .attributes
                .get(a.name())
                .unwrap_or_else(|| panic!("<{name} {}> is not in the schema", a.name()));
            if *time {
                let (int, frac) = a.value().split_once('.').unwrap_or((a.value(), ""));
                assert!(
                    int.bytes().all(|b| b.is_ascii_digit())
                        && frac.bytes().all(|b| b.is_ascii_digit()),
                    "<{name} {}=\"{}\"> is not a SUREFIRE_TIME",
                    a.name(),
                    a.value()
                );
            }
        }
        for (attr, (required, _)) in &rule.attributes {
            assert!(
                !required || node.attribute(attr.as_str()).is_some(),
                "<{name}> lacks its required `{attr}`"
            );
        }
        for child in node.children() {
            if child.is_element() {
                let c = child.tag_name().name();
                assert!(
                    rule.children.contains(c),
                    "<{c}> is not allowed in <{name}>"
                );
            } else if child.is_text() && !rule.text {
                assert!(
                    child.text().unwrap().trim().is_empty(),
                    "<{name}> holds no text: {:?}",
                    child.text()
                );
            }
        }
    }
}

#[test]
fn the_junit_schema_check_rejects_what_the_schema_rejects() {
    let ok = "<testsuites name=\"a\" tests=\"1\"><testsuite name=\"s\" tests=\"1\" failures=\"1\" errors=\"0\" time=\"0.5\"><testcase name=\"c\" classname=\"k\"><failure message=\"m\">text</failure></testcase></testsuite></testsuites>";
    assert_valid_junit(ok);
    for bad in [
        ok.replace("<testsuites name=\"a\"", "<testsuites skipped=\"0\""),
        ok.replace("classname=\"k\"", "file=\"a.yaml\""),
        ok.replace(" failures=\"1\"", ""),
        ok.replace("time=\"0.5\"", "time=\"soon\""),
        ok.replace("<failure", "<warning")
            .replace("</failure>", "</warning>"),
        ok.replace(
            "<testcase name=\"c\" classname=\"k\">",
            "<testcase name=\"c\">stray",
        ),
    ] {
        let result = std::panic::catch_unwind(|| assert_valid_junit(&bad));
        assert!(result.is_err(), "accepted: {bad}");
    }
}

#[test]
fn a_waiver_in_the_waivers_file_is_a_suppression_located_there() {
    let dir = broken_repo();
    let root = dir.path();
    let manifest = fs::read_to_string(root.join("isms.yaml")).unwrap();
    fs::write(
        root.join("isms.yaml"),
        manifest.replace(
            "waivers:\n",
            "waivers-file: compliance/waivers.yaml\nwaivers:\n",
        ),
    )
    .unwrap();
    write(
        root,
        "compliance/waivers.yaml",
        "# Accepted findings, reviewed monthly.\nwaivers:\n  - rule: invalid-date\n    target: CA-003\n    reason: Date being confirmed with the auditor\n    owner: Information Security Manager\n    expires: 2099-12-31\n",
    );
    let (_, log) = sarif(root, "waivers-file", &[]);
    let waived = result(&log, "invalid-date", "actions/corrective-actions.yaml");
    let suppression = &waived["suppressions"][0];
    assert_eq!(
        suppression["justification"],
        "Date being confirmed with the auditor"
    );
    let loc = &suppression["location"]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "compliance/waivers.yaml");
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(loc["region"]["startColumn"], 5);
    assert!(loc["region"]["snippet"]["text"]
        .as_str()
        .unwrap()
        .starts_with("rule: invalid-date\n    target: CA-003"));
    // The manifest's own waiver is still located in the manifest.
    let other = result(&log, "invalid-date", "risks/RISK-002.yaml");
    assert_eq!(
        other["suppressions"][0]["location"]["physicalLocation"]["artifactLocation"]["uri"],
        "isms.yaml"
    );
}

#[test]
fn rules_turned_off_are_shown_in_every_format() {
    let dir = broken_repo();
    let root = dir.path();
    let manifest = fs::read_to_string(root.join("isms.yaml")).unwrap();
    let manifest = manifest.replace(
        "lint:\n  horizon: 30 days\n",
        "lint:\n  horizon: 30 days\n  rules:\n    corrective-action-overdue: off\n    corrective-action-stale:\n      severity: off\n",
    );
    fs::write(root.join("isms.yaml"), &manifest).unwrap();
    let line_of = |needle: &str| manifest.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let (due, stale) = (
        line_of("corrective-action-overdue: off"),
        line_of("corrective-action-stale:"),
    );

    // The summary line, in the terminal and after the annotations.
    let sentence = format!(
        "2 rules turned off by lint.rules in isms.yaml: corrective-action-overdue (line {due}), corrective-action-stale (line {stale})."
    );
    let (_, human) = check(root, &[]);
    let last = human.lines().last().unwrap();
    assert!(
        last.ends_with(&format!("as of {DAY}. {sentence}")),
        "{last}"
    );
    assert!(
        !human.contains("[corrective-action-overdue]"),
        "the rule did not run"
    );
    let (_, github) = check(root, &["--format", "github"]);
    assert!(github.trim_end().ends_with(&sentence), "{github}");

    // JSON: a field of its own.
    let (_, json) = check(root, &["--format", "json"]);
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        json["disabled"],
        serde_json::json!([
            {"rule": "corrective-action-overdue", "path": "isms.yaml", "line": due},
            {"rule": "corrective-action-stale", "path": "isms.yaml", "line": stale},
        ])
    );

    // SARIF: the invocation's overrides, the run's properties, a notification.
    let (_, log) = sarif(root, "disabled", &[]);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let overrides = run["invocations"][0]["ruleConfigurationOverrides"]
        .as_array()
        .unwrap();
    assert_eq!(overrides.len(), 2);
    for (o, rule) in overrides
        .iter()
        .zip(["corrective-action-overdue", "corrective-action-stale"])
    {
        assert_eq!(o["descriptor"]["id"], rule);
        let index = o["descriptor"]["index"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], rule);
        assert_eq!(o["configuration"]["enabled"], false);
    }
    assert_eq!(
        run["properties"]["disabledRules"],
        serde_json::json!([
            {"rule": "corrective-action-overdue", "path": "isms.yaml", "line": due},
            {"rule": "corrective-action-stale", "path": "isms.yaml", "line": stale},
        ])
    );
    assert!(run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["message"]["text"] == sentence.as_str()));

    // The job summary: a warning near the top.
    let summary = TempDir::new().unwrap();
    let path = summary.path().join("summary.md");
    isms_lint()
        .arg("check")
        .arg(root)
        .args(["--as-of", DAY, "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &path)
        .output()
        .unwrap();
    let md = fs::read_to_string(&path).unwrap();
    let warning = format!(
        "> [!WARNING]\n> 2 rules turned off by `lint.rules` in `isms.yaml`, so they did not run and their findings are absent, not resolved: `corrective-action-overdue` (line {due}), `corrective-action-stale` (line {stale}).\n"
    );
    let at = md.find(&warning).unwrap_or_else(|| panic!("{md}"));
    assert!(at < md.find("| Rule |").unwrap(), "before the counts");

    // JUnit: skipped test cases in a suite of their own.
    let (_, junit) = check(root, &["--format", "junit"]);
    assert_valid_junit(&junit);
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite") && n.attribute("name") == Some("rules turned off"))
        .unwrap();
    assert_eq!(suite.attribute("skipped"), Some("2"));
    let cases: Vec<(&str, &str)> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|c| {
            let skipped = c.children().find(|n| n.has_tag_name("skipped")).unwrap();
            (
                c.attribute("name").unwrap(),
                skipped.attribute("message").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cases[0],
        (
            "corrective-action-overdue",
            &*format!("turned off by lint.rules at isms.yaml:{due}: the rule did not run")
        )
    );
    let total: usize = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(
        doc.root_element().attribute("tests"),
        Some(&*total.to_string())
    );

    // GitLab: an `info` issue at each line of `lint.rules`.
    let (_, gitlab) = check(root, &["--format", "gitlab"]);
    let gitlab: Value = serde_json::from_str(&gitlab).unwrap();
    assert_gitlab_code_quality(&gitlab);
    let off: Vec<&Value> = gitlab
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["location"]["path"] == "isms.yaml" && i["severity"] == "info")
        .collect();
    assert_eq!(off.len(), 2, "{off:#?}");
    assert_eq!(off[0]["check_name"], "corrective-action-overdue");
    assert_eq!(off[0]["location"]["lines"]["begin"], due);
}

#[test]
fn the_job_summary_stays_under_githubs_limit_whatever_the_size() {
    let dir = sound_repo();
    // 16 000 risks whose review is overdue, in eight registers: tens of
    // thousands of findings and deadlines.
    for f in 0..8 {
        let mut register = String::from("kind: risk\ntitle: Imported risks\nentries:\n");
        for i in f * 2000..(f + 1) * 2000 {
            register.push_str(&format!(
                "  - {{id: IMP-{i:05}, title: Imported {i}, owner: Chief Executive Officer, identified: 2020-01-10, likelihood: 1, impact: 1, treatment: accept, reviewed: 2020-{:02}-{:02}}}\n",
                i % 12 + 1,
                i % 28 + 1
            ));
        }
        write(dir.path(), &format!("risks/imported-{f}.yaml"), &register);
    }
    let summary_dir = TempDir::new().unwrap();
    let summary = summary_dir.path().join("summary.md");
    let out = isms_lint()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", "2030-06-30", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = fs::read_to_string(&summary).unwrap();
    assert!(text.len() < 1024 * 1024, "{} bytes", text.len());
    assert!(text.len() <= 512 * 1024, "{} bytes", text.len());

    // Each table is capped, and says how many more there are.
    let deadlines = text
        .split("### Next deadlines")
        .nth(1)
        .expect(&text[..2000]);
    let rows: Vec<&str> = deadlines
        .lines()
        .filter(|l| l.starts_with("| 20"))
        .collect();
    assert_eq!(rows.len(), 50);
    assert!(
        deadlines.contains("…and ") && deadlines.contains("more deadlines ("),
        "{deadlines}"
    );
    // Overdue first, the longest overdue first.
    assert!(rows[0].contains("overdue by"), "{}", rows[0]);
    let dues: Vec<&str> = rows.iter().map(|r| &r[2..12]).collect();
    let mut sorted = dues.clone();
    sorted.sort_unstable();
    assert_eq!(dues, sorted);
    let findings = text.split("### Findings").nth(1).unwrap();
    let listed = findings
        .lines()
        .take_while(|l| !l.starts_with("###"))
        .filter(|l| l.starts_with("| `"))
        .count();
    assert_eq!(listed, 500);
    assert!(findings.contains("more findings not listed"), "capped");
    assert!(text.lines().all(|l| l.len() < 2048));
}

#[test]
fn a_check_that_cannot_run_still_writes_sarif_an_annotation_and_a_summary() {
    let dir = sound_repo();
    fs::write(
        dir.path().join("isms.yaml"),
        "organisation:\n  name: [unclosed\n",
    )
    .unwrap();
    let out_dir = TempDir::new().unwrap();
    let sarif_path = out_dir.path().join("reports/isms-lint.sarif");
    let summary = out_dir.path().join("summary.md");
    let out = isms_lint()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("check")
        .arg(dir.path())
        .args([
            "--as-of",
            DAY,
            "--format",
            "github",
            "--sarif-category",
            "isms",
        ])
        .arg("--output")
        .arg(format!("sarif={}", sarif_path.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "isms-lint: error: isms.yaml:3:1: the manifest cannot be read: invalid YAML"
        ),
        "{stderr}"
    );
    let cause = stderr
        .trim_end()
        .strip_prefix("isms-lint: error: ")
        .unwrap()
        .to_owned();

    // The annotation, on the manifest.
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [format!(
            "::error file=isms.yaml,line=3,col=1,title=isms-lint could not check the repository::isms-lint could not check the repository: {cause}"
        )]
    );

    // The SARIF file: a failed invocation, and one result code scanning shows.
    let text = fs::read_to_string(&sarif_path).expect("the SARIF file is written");
    if let Some(keep) = std::env::var_os("ISMS_LINT_SARIF_DIR") {
        fs::create_dir_all(&keep).unwrap();
        fs::write(PathBuf::from(keep).join("check-failed.sarif"), &text).unwrap();
    }
    let log: Value = serde_json::from_str(&text).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "isms/");
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 2);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    let sentence = format!("isms-lint could not check the repository: {cause}.");
    assert_eq!(note["message"]["text"], sentence.as_str());
    let results = results(&log);
    assert_eq!(results.len(), 1);
    let r = &results[0];
    assert_eq!(r["ruleId"], "check-failed");
    assert_eq!(r["level"], "error");
    assert_eq!(r["message"]["text"], sentence.as_str());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "check-failed"
    );
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "isms.yaml");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 3);
    assert!(r["partialFingerprints"]["ismsLint/v1"].is_string());

    // The job summary says what failed.
    let md = fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with(
            "## isms-lint\n\n**Failed**: isms-lint could not check the repository (exit code 2)"
        ),
        "{md}"
    );
    assert!(
        md.contains(r"> isms\.yaml\:3\:1\: the manifest cannot be read\: invalid YAML"),
        "{md}"
    );
    assert!(md.contains("Fix `isms.yaml` (line 3)"), "{md}");

    // GitLab and JUnit files hold the failure, rather than being missing.
    let gitlab_path = out_dir.path().join("gl-code-quality-report.json");
    let junit_path = out_dir.path().join("isms-lint.xml");
    let out = isms_lint()
        .arg("check")
        .arg(dir.path())
        .args(["--as-of", DAY, "--format", "gitlab"])
        .arg("--output")
        .arg(format!("gitlab={}", gitlab_path.display()))
        .arg("--output")
        .arg(format!("junit={}", junit_path.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let quality: Value = serde_json::from_str(&fs::read_to_string(&gitlab_path).unwrap()).unwrap();
    assert_gitlab_code_quality(&quality);
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        quality,
        "the same on standard output"
    );
    let issue = &quality[0];
    assert_eq!(issue["check_name"], "check-failed");
    assert_eq!(issue["severity"], "blocker");
    assert_eq!(issue["description"], sentence.trim_end_matches('.'));
    assert_eq!(issue["location"]["path"], "isms.yaml");
    let junit = fs::read_to_string(&junit_path).unwrap();
    assert_valid_junit(&junit);
    let doc = roxmltree::Document::parse(&junit).unwrap();
    let error = doc.descendants().find(|n| n.has_tag_name("error")).unwrap();
    assert_eq!(error.attribute("type"), Some("check-failed"));
    assert_eq!(error.text(), Some(sentence.trim_end_matches('.')));

    // Without a manifest at all, the SARIF file is still written.
    let empty = TempDir::new().unwrap();
    let out = isms_lint()
        .arg("check")
        .arg(empty.path())
        .args(["--as-of", DAY])
        .arg("--output")
        .arg(format!("sarif={}", sarif_path.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let log: Value = serde_json::from_str(&fs::read_to_string(&sarif_path).unwrap()).unwrap();
    assert!(log["runs"][0]["results"][0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("no isms.yaml"));
}

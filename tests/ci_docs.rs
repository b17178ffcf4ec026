//! Every copy-and-paste block of docs/ci.md is exercised, so that a block
//! that stops working fails a test:
//!
//! - the isms-lint command lines of every block (shell, GitHub `run:` steps,
//!   GitLab `script:`, Jenkins `sh '…'`, Azure `script:`) run through the
//!   built binary on a copy of examples/isms-repo, with `--as-of`; the
//!   reports they name are written and parse;
//! - the commands that need the network (`git ls-remote`, `cargo install
//!   --git`) are not run: their shape is checked (the project's URL, the
//!   `--rev COMMIT_SHA` pin);
//! - GitHub workflows and steps parse, pin the action to `COMMIT_SHA` and use
//!   only its inputs and outputs (actionlint and shellcheck check them in
//!   .ci/ci-integrations.sh, through .ci/doc_blocks.py);
//! - pre-commit blocks name hooks of .pre-commit-hooks.yaml (`pre-commit
//!   validate-config` checks them in .ci/ci-integrations.sh), and the hook's
//!   note is printed with the documented wording;
//! - a meta-test fails on a block that none of these claims.

#[path = "../crates/isms-git/tests/common/mod.rs"]
mod git_support;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde_json::Value;
use tempfile::TempDir;

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const DOC: &str = "docs/ci.md";
const PROJECT_URL: &str = "https://github.com/isms-lint/isms-lint";
/// The day the example repository is checked on (as in CI).
const EXAMPLE_DAY: &str = "2026-11-30";
/// Azure DevOps expands this macro before the script runs.
const AZURE_STAGING: &str = "$(Build.ArtifactStagingDirectory)";

/// A fenced block of the doc.
#[derive(Debug)]
struct Block {
    /// Line of the opening fence.
    line: usize,
    /// The `##` section it is in.
    section: String,
    lang: String,
    text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Shell command lines.
    Shell,
    /// A complete GitHub Actions workflow.
    GithubWorkflow,
    /// GitHub Actions steps, to paste into a job.
    GithubSteps,
    /// A complete .pre-commit-config.yaml.
    PreCommitConfig,
    /// Hook entries, to paste under `hooks:`.
    PreCommitHooks,
    /// The note the hook prints about findings it does not block on.
    HookNote,
    /// A GitLab CI job (also run by tests/ci_formats.rs).
    GitLabJob,
    /// A Jenkins pipeline stage.
    Jenkins,
    /// Azure DevOps pipeline steps.
    Azure,
}

fn blocks() -> Vec<Block> {
    let text = fs::read_to_string(Path::new(REPO).join(DOC)).unwrap();
    let mut out = Vec::new();
    let mut section = String::new();
    let mut in_h2 = false;
    let mut current: Option<Block> = None;
    for (event, range) in Parser::new(&text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                in_h2 = true;
                section.clear();
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => in_h2 = false,
            Event::Text(t) | Event::Code(t) if in_h2 => section.push_str(&t),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => "(indented)".to_owned(),
                };
                current = Some(Block {
                    line: text[..range.start].lines().count() + 1,
                    section: section.clone(),
                    lang,
                    text: String::new(),
                });
            }
            Event::Text(t) if current.is_some() => current.as_mut().unwrap().text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => out.push(current.take().unwrap()),
            _ => {}
        }
    }
    out
}

/// A YAML document, as JSON.
fn yaml(text: &str) -> Value {
    let file = isms_core::source::SourceFile::new("doc.yaml", text);
    let parsed = isms_core::yaml::parse(&file, text, 1);
    assert!(parsed.errors.is_empty(), "{:?}\n{text}", parsed.errors);
    assert_eq!(parsed.documents.len(), 1, "{text}");
    parsed.documents[0].to_json()
}

/// Whether `v` is a non-empty list of mappings each with one of `keys`.
fn items_with(v: &Value, keys: &[&str]) -> bool {
    v.as_array().is_some_and(|items| {
        !items.is_empty()
            && items
                .iter()
                .all(|i| keys.iter().any(|k| i.get(k).is_some()))
    })
}

/// What a block is, so which check exercises it; `None`: no check does.
/// .ci/doc_blocks.py sorts the YAML blocks by the same signs.
fn kind(b: &Block) -> Option<Kind> {
    match b.lang.as_str() {
        "sh" => Some(Kind::Shell),
        "groovy" if b.text.contains("sh '") => Some(Kind::Jenkins),
        "text" if b.text.starts_with("note: ") && b.text.contains("not blocking") => {
            Some(Kind::HookNote)
        }
        "yaml" => {
            let v = yaml(&b.text);
            if v.get("jobs").is_some() {
                Some(Kind::GithubWorkflow)
            } else if v.get("repos").is_some() {
                Some(Kind::PreCommitConfig)
            } else if items_with(&v, &["uses", "run"]) {
                Some(Kind::GithubSteps)
            } else if items_with(&v, &["id"]) {
                Some(Kind::PreCommitHooks)
            } else if items_with(&v["steps"], &["script", "task"]) {
                Some(Kind::Azure)
            } else if b.section == "GitLab CI"
                && v.as_object().is_some_and(|jobs| {
                    !jobs.is_empty() && jobs.values().all(|j| j.get("script").is_some())
                })
            {
                Some(Kind::GitLabJob)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn blocks_of(k: Kind) -> Vec<Block> {
    let found: Vec<Block> = blocks()
        .into_iter()
        .filter(|b| kind(b) == Some(k))
        .collect();
    assert!(!found.is_empty(), "{DOC} has a block of kind {k:?}");
    found
}

#[test]
fn every_block_of_ci_md_is_checked() {
    let all = blocks();
    assert!(all.len() >= 10, "{all:#?}");
    let unchecked: Vec<String> = all
        .iter()
        .filter(|b| kind(b).is_none())
        .map(|b| format!("{DOC}:{} ```{} in {}", b.line, b.lang, b.section))
        .collect();
    assert!(
        unchecked.is_empty(),
        "blocks that no test exercises (give each a check in tests/ci_docs.rs): {unchecked:#?}"
    );
    // tests/ci_formats.rs runs the first yaml block of the GitLab section:
    // a second one would be claimed here but run nowhere else.
    let gitlab: Vec<&Block> = all.iter().filter(|b| b.section == "GitLab CI").collect();
    assert_eq!(gitlab.len(), 1, "{gitlab:#?}");
    let formats = fs::read_to_string(Path::new(REPO).join("tests/ci_formats.rs")).unwrap();
    assert!(formats.contains(r#"doc_block("docs/ci.md", "GitLab CI", "yaml")"#));
}

#[test]
fn the_meta_test_rejects_a_block_of_no_known_kind() {
    let block = |lang: &str, text: &str| Block {
        line: 1,
        section: "Somewhere".to_owned(),
        lang: lang.to_owned(),
        text: text.to_owned(),
    };
    assert_eq!(kind(&block("yaml", "stages: [test]\n")), None);
    assert_eq!(kind(&block("toml", "[x]\n")), None);
    assert_eq!(kind(&block("text", "some output\n")), None);
    // A GitLab job outside its section is not what tests/ci_formats.rs runs.
    assert_eq!(kind(&block("yaml", "j:\n  script: [x]\n")), None);
    assert_eq!(
        kind(&block("yaml", "- run: isms-lint check\n")),
        Some(Kind::GithubSteps)
    );
}

// ---------------------------------------------------------------------------
// Command lines

/// Where a command line comes from.
#[derive(Debug)]
struct CommandLine {
    line: usize,
    kind: Kind,
    text: String,
}

fn string_of(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("a string: {v}"))
        .to_owned()
}

/// The `run:` scripts of a list of GitHub steps.
fn github_runs(steps: &Value) -> Vec<String> {
    steps
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s.get("run").map(string_of))
        .collect()
}

/// Every command line of every block, with the kind of its block.
fn command_lines() -> Vec<CommandLine> {
    let mut out = Vec::new();
    for b in blocks() {
        let Some(k) = kind(&b) else { continue };
        let lines: Vec<String> = match k {
            Kind::Shell => b.text.lines().map(str::to_owned).collect(),
            Kind::Jenkins => b
                .text
                .lines()
                .filter_map(|l| l.trim().strip_prefix("sh '"))
                .map(|l| l.strip_suffix('\'').expect("sh '…' on one line").to_owned())
                .collect(),
            Kind::Azure => yaml(&b.text)["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|s| s.get("script").map(string_of))
                .collect(),
            Kind::GitLabJob => yaml(&b.text)
                .as_object()
                .unwrap()
                .values()
                .flat_map(|j| j["script"].as_array().unwrap().iter().map(string_of))
                .collect(),
            Kind::GithubSteps => github_runs(&yaml(&b.text)),
            Kind::GithubWorkflow => yaml(&b.text)["jobs"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|j| github_runs(&j["steps"]))
                .collect(),
            Kind::PreCommitConfig | Kind::PreCommitHooks | Kind::HookNote => Vec::new(),
        };
        for text in lines {
            let text = text.trim().to_owned();
            if !text.is_empty() && !text.starts_with('#') {
                out.push(CommandLine {
                    line: b.line,
                    kind: k,
                    text,
                });
            }
        }
    }
    out
}

fn isms_lint() -> Command {
    let mut cmd = Command::cargo_bin("isms-lint").unwrap();
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

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The value after `flag` in `words`.
fn after<'a>(words: &[&'a str], flag: &str) -> Option<&'a str> {
    words
        .iter()
        .position(|w| *w == flag)
        .and_then(|i| words.get(i + 1).copied())
}

/// A command that needs the network is not run: checked for its shape.
fn check_network_command(c: &CommandLine) {
    let words: Vec<&str> = c.text.split_whitespace().collect();
    match words[..2] {
        ["git", "ls-remote"] => {
            assert_eq!(
                words,
                ["git", "ls-remote", PROJECT_URL, "refs/heads/main"],
                "{c:?}"
            );
        }
        ["cargo", "install"] => {
            assert!(words.contains(&"--locked"), "{c:?}");
            assert_eq!(after(&words, "--git"), Some(PROJECT_URL), "{c:?}");
            // Pinned, as "Pinning a version" says.
            assert_eq!(after(&words, "--rev"), Some("COMMIT_SHA"), "{c:?}");
            assert_eq!(words.last(), Some(&"isms-lint"), "{c:?}");
        }
        _ => panic!("{DOC}:{}: a command no test runs: {}", c.line, c.text),
    }
}

/// A report written by `--output FORMAT=PATH` or printed by `--format`, parsed.
fn check_report(format: &str, text: &str, what: &str) {
    let json = || -> Value {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"))
    };
    match format {
        "sarif" => {
            let log = json();
            assert_eq!(log["version"], "2.1.0", "{what}");
            assert_eq!(
                log["runs"][0]["tool"]["driver"]["name"], "isms-lint",
                "{what}"
            );
            assert_eq!(
                log["runs"][0]["invocations"][0]["executionSuccessful"], true,
                "{what}"
            );
        }
        "junit" => {
            let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(doc.root_element().tag_name().name(), "testsuites", "{what}");
        }
        "json" => assert!(json()["findings"].is_array(), "{what}"),
        "gitlab" => assert!(json().is_array(), "{what}"),
        "github" | "human" => assert!(!text.contains("panicked"), "{what}"),
        other => panic!("{what}: a format this test does not know: {other}"),
    }
}

/// Runs an isms-lint command line of the doc in a copy of the example
/// repository; the paths of the reports it wrote.
fn run_on_example(c: &CommandLine) -> Vec<PathBuf> {
    let tmp = TempDir::new().unwrap();
    let repo = tmp.path().join("isms-repo");
    copy_dir(&Path::new(REPO).join("examples/isms-repo"), &repo);
    let staging = tmp.path().join("staging");
    fs::create_dir(&staging).unwrap();
    let text = c.text.replace(AZURE_STAGING, staging.to_str().unwrap());
    assert!(
        !text.contains(['"', '\'', '$', '`', '|', ';', '&']),
        "{DOC}:{}: plain words, which this test can run: {}",
        c.line,
        c.text
    );
    let words: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(words[..2], ["isms-lint", "check"], "{c:?}");
    let summary = tmp.path().join("summary.md");
    let mut cmd = isms_lint();
    cmd.current_dir(&repo)
        .args(&words[1..])
        .args(["--as-of", EXAMPLE_DAY]);
    let format = after(&words, "--format").unwrap_or("human");
    if format == "github" {
        cmd.env("GITHUB_STEP_SUMMARY", &summary);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The example repository is sound on that day.
    assert_eq!(out.status.code(), Some(0), "{c:?}: {out:?}");
    check_report(format, &stdout, &format!("{c:?}: standard output"));
    if format == "github" {
        let summary = fs::read_to_string(&summary).expect("the job summary is written");
        assert!(summary.contains("isms-lint"), "{summary}");
    }
    let mut written = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if *w != "--output" {
            continue;
        }
        let (format, path) = words[i + 1].split_once('=').expect("FORMAT=PATH");
        let path = repo.join(path);
        let report = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{c:?}: {} is written: {e}", path.display()));
        check_report(format, &report, &format!("{c:?}: {}", path.display()));
        if format == "sarif" {
            if let Some(category) = after(&words, "--sarif-category") {
                let log: Value = serde_json::from_str(&report).unwrap();
                let id = string_of(&log["runs"][0]["automationDetails"]["id"]);
                assert!(id.starts_with(category), "{id} of {c:?}");
            }
        }
        // Named as the doc names it, for the checks of the blocks below.
        written.push(PathBuf::from(words[i + 1].split_once('=').unwrap().1));
    }
    written
}

#[test]
fn every_command_line_of_ci_md_runs_or_is_a_download() {
    let lines = command_lines();
    let mut ran = 0;
    let mut downloads = 0;
    for c in &lines {
        if c.text.starts_with("isms-lint ") {
            run_on_example(c);
            ran += 1;
        } else if c.kind == Kind::GithubSteps
            && !c.text.starts_with("cargo ")
            && !c.text.starts_with("git ")
        {
            // Another step of a workflow (an `echo` of the action's output):
            // shellcheck checks it in .ci/ci-integrations.sh, and the output
            // it reads is checked below.
        } else {
            // Needs the network: checked for its shape, not run.
            check_network_command(c);
            downloads += 1;
        }
    }
    // Shell (1), GitHub without the action (1), GitLab (1), Jenkins (1), Azure (1).
    assert!(ran >= 5, "{lines:#?}");
    // `git ls-remote`, and `cargo install` for GitHub and GitLab.
    assert!(downloads >= 3, "{lines:#?}");
}

#[test]
fn the_network_checks_reject_an_unpinned_install() {
    let c = |text: &str| CommandLine {
        line: 1,
        kind: Kind::Shell,
        text: text.to_owned(),
    };
    let unpinned =
        c("cargo install --locked --git https://github.com/isms-lint/isms-lint isms-lint");
    assert!(std::panic::catch_unwind(|| check_network_command(&unpinned)).is_err());
    let elsewhere = c("git ls-remote https://example.com/isms-lint refs/heads/main");
    assert!(std::panic::catch_unwind(|| check_network_command(&elsewhere)).is_err());
    check_network_command(&c(
        "cargo install --locked --git https://github.com/isms-lint/isms-lint --rev COMMIT_SHA isms-lint",
    ));
}

#[test]
fn the_jenkins_stage_publishes_the_report_its_command_writes() {
    for b in blocks_of(Kind::Jenkins) {
        let commands: Vec<CommandLine> = command_lines()
            .into_iter()
            .filter(|c| c.line == b.line)
            .collect();
        assert_eq!(commands.len(), 1, "{b:?}");
        let written = run_on_example(&commands[0]);
        let published: Vec<PathBuf> = b
            .text
            .lines()
            .filter_map(|l| l.split_once("junit '"))
            .map(|(_, rest)| PathBuf::from(rest.split_once('\'').unwrap().0))
            .collect();
        assert!(!published.is_empty(), "{b:?}");
        for p in &published {
            assert!(written.contains(p), "{p:?} is written: {written:?}");
        }
        assert!(
            b.text.contains("always {"),
            "published also when the check fails"
        );
    }
}

#[test]
fn the_azure_steps_publish_the_report_their_script_writes() {
    for b in blocks_of(Kind::Azure) {
        let v = yaml(&b.text);
        let steps = v["steps"].as_array().unwrap();
        let script = steps.iter().find_map(|s| s.get("script")).unwrap();
        let words: Vec<String> = string_of(script)
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let junit = words
            .iter()
            .find_map(|w| w.strip_prefix("junit="))
            .expect("the script writes a JUnit report");
        let publish = steps
            .iter()
            .find(|s| s["task"] == "PublishTestResults@2")
            .expect("a PublishTestResults step");
        assert_eq!(publish["condition"], "always()");
        assert_eq!(publish["inputs"]["testResultsFormat"], "JUnit");
        assert_eq!(publish["inputs"]["testResultsFiles"], junit);
    }
}

// ---------------------------------------------------------------------------
// GitHub Actions

fn action() -> Value {
    yaml(&fs::read_to_string(Path::new(REPO).join("action.yml")).unwrap())
}

/// Every step of a GitHub block, with the line of its block.
fn github_steps() -> Vec<(usize, Value)> {
    let mut out = Vec::new();
    for b in blocks_of(Kind::GithubWorkflow) {
        let v = yaml(&b.text);
        for job in v["jobs"].as_object().unwrap().values() {
            assert!(job["runs-on"].is_string(), "{b:?}");
            for s in job["steps"].as_array().unwrap() {
                out.push((b.line, s.clone()));
            }
        }
    }
    for b in blocks_of(Kind::GithubSteps) {
        for s in yaml(&b.text).as_array().unwrap() {
            out.push((b.line, s.clone()));
        }
    }
    out
}

#[test]
fn github_blocks_pin_the_action_and_use_only_its_inputs_and_outputs() {
    let action = action();
    let inputs = action["inputs"].as_object().unwrap();
    let outputs = action["outputs"].as_object().unwrap();
    let mut uses_action = 0;
    for (line, step) in github_steps() {
        let Some(uses) = step.get("uses").map(string_of) else {
            continue;
        };
        if !uses.starts_with("isms-lint/") {
            // Another action, by its tag.
            assert!(uses.contains('@'), "{DOC}:{line}: {uses}");
            continue;
        }
        // This repository, at a commit (see "Pinning a version").
        assert_eq!(uses, "isms-lint/isms-lint@COMMIT_SHA", "{DOC}:{line}");
        uses_action += 1;
        if let Some(with) = step.get("with").and_then(Value::as_object) {
            for key in with.keys() {
                assert!(inputs.contains_key(key), "{DOC}:{line}: input {key}");
            }
        }
    }
    // The complete workflow and the fragment that reads the exit code.
    assert!(uses_action >= 2);
    // `steps.ID.outputs.NAME` of the action's step.
    let text = fs::read_to_string(Path::new(REPO).join(DOC)).unwrap();
    let mut read = 0;
    for part in text.split("steps.isms-lint.outputs.").skip(1) {
        let name: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(outputs.contains_key(&name), "output {name}");
        read += 1;
    }
    assert!(read >= 1);
}

#[test]
fn the_workflow_uploads_the_sarif_file_the_action_writes() {
    for b in blocks_of(Kind::GithubWorkflow) {
        let v = yaml(&b.text);
        for job in v["jobs"].as_object().unwrap().values() {
            let steps = job["steps"].as_array().unwrap();
            let lint = steps
                .iter()
                .find(|s| {
                    s["uses"]
                        .as_str()
                        .is_some_and(|u| u.starts_with("isms-lint/"))
                })
                .expect("the action");
            let upload = steps
                .iter()
                .find(|s| {
                    s["uses"]
                        .as_str()
                        .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
                })
                .expect("the upload");
            assert_eq!(upload["if"], "always()");
            assert_eq!(upload["with"]["sarif_file"], lint["with"]["sarif-file"]);
            assert_eq!(upload["with"]["category"], lint["with"]["category"]);
            assert_eq!(v["permissions"]["security-events"], "write");
        }
    }
}

// ---------------------------------------------------------------------------
// pre-commit

fn hooks_manifest() -> Vec<Value> {
    yaml(&fs::read_to_string(Path::new(REPO).join(".pre-commit-hooks.yaml")).unwrap())
        .as_array()
        .unwrap()
        .clone()
}

/// The hook entries of the pre-commit blocks: whole configurations and
/// fragments.
fn doc_hooks() -> Vec<(usize, Value)> {
    let mut out = Vec::new();
    for b in blocks_of(Kind::PreCommitConfig) {
        for repo in yaml(&b.text)["repos"].as_array().unwrap() {
            assert_eq!(repo["repo"], PROJECT_URL, "{b:?}");
            assert_eq!(repo["rev"], "COMMIT_SHA", "{b:?}");
            for h in repo["hooks"].as_array().unwrap() {
                out.push((b.line, h.clone()));
            }
        }
    }
    for b in blocks_of(Kind::PreCommitHooks) {
        for h in yaml(&b.text).as_array().unwrap() {
            out.push((b.line, h.clone()));
        }
    }
    out
}

#[test]
fn pre_commit_blocks_name_hooks_of_the_manifest() {
    let manifest = hooks_manifest();
    let ids: Vec<&str> = manifest.iter().map(|h| h["id"].as_str().unwrap()).collect();
    let mut named = Vec::new();
    for (line, hook) in doc_hooks() {
        let id = string_of(&hook["id"]);
        assert!(
            ids.contains(&id.as_str()),
            "{DOC}:{line}: hook {id} of {ids:?}"
        );
        for key in hook.as_object().unwrap().keys() {
            // What a configuration may set of a hook, here.
            assert!(
                ["id", "args"].contains(&key.as_str()),
                "{DOC}:{line}: {key}"
            );
        }
        named.push(id);
    }
    // Both hooks are documented.
    for id in ids {
        assert!(named.iter().any(|n| n == id), "{id} in {DOC}");
    }
}

// ---------------------------------------------------------------------------
// The hook's note, through the binary

const INIT_DAY: &str = "2025-06-01";
const LATER: &str = "2025-09-01";

fn in_git(f: &git_support::Fixture, args: &[&str]) -> (i32, String, String) {
    let out = isms_lint()
        .current_dir(f.path())
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The hook's command (`entry` of .pre-commit-hooks.yaml) with `args`, as
/// pre-commit runs it, on `LATER`.
fn run_hook(f: &git_support::Fixture, args: &[String]) -> (i32, String, String) {
    let manifest = hooks_manifest();
    let entry = string_of(&manifest[0]["entry"]);
    let words: Vec<&str> = entry.split_whitespace().collect();
    assert_eq!(words[0], "isms-lint");
    let mut all: Vec<&str> = words[1..].to_vec();
    all.extend(args.iter().map(String::as_str));
    all.extend(["--as-of", LATER, "--color", "never"]);
    in_git(f, &all)
}

/// A committed ISMS, three months later, with a policy reworded and staged:
/// the calendar alone has made obligations lapse elsewhere.
fn reworded_policy() -> git_support::Fixture {
    let f = git_support::Fixture::new();
    let (code, _, err) = in_git(&f, &["init", ".", "--date", INIT_DAY]);
    assert_eq!(code, 0, "{err}");
    f.commit(INIT_DAY, "Ann", "Start the ISMS");
    let policy = "policies/information-security-policy.md";
    let text = fs::read_to_string(f.join(policy)).unwrap();
    let reworded = text.replacen("State", "Set out", 1);
    assert_ne!(text, reworded);
    f.write(policy, &reworded);
    f.git(&["add", policy]);
    f
}

#[test]
fn the_hook_prints_the_note_as_documented() {
    let blocks = blocks_of(Kind::HookNote);
    assert_eq!(blocks.len(), 1);
    let documented = blocks[0].text.trim_end();
    let (count, rest) = documented
        .strip_prefix("note: ")
        .and_then(|r| r.split_once(' '))
        .expect("note: N findings …");
    count.parse::<usize>().expect("a number");
    assert!(rest.starts_with("findings "), "{documented}");

    let f = reworded_policy();
    let (code, out, err) = run_hook(&f, &[]);
    assert_eq!(code, 0, "{out}{err}");
    let note = err.lines().last().expect("a note");
    let n = note
        .strip_prefix("note: ")
        .and_then(|r| r.split_once(' '))
        .map(|(n, _)| n)
        .unwrap_or_else(|| panic!("{err}"));
    n.parse::<usize>().unwrap();
    // The documented wording is the plural one.
    assert_ne!(n, "1", "{err}");
    assert_eq!(note, format!("note: {n} {rest}"));

    // The block that makes the hook block on them: same command, with its
    // `args`, fails and prints no note.
    let strict: Vec<(usize, Value)> = doc_hooks()
        .into_iter()
        .filter(|(_, h)| h.get("args").is_some())
        .collect();
    assert!(!strict.is_empty());
    for (line, hook) in strict {
        let args: Vec<String> = hook["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(string_of)
            .collect();
        let (code, out, err) = run_hook(&f, &args);
        assert_eq!(code, 1, "{DOC}:{line}: {out}{err}");
        assert!(!err.contains("not blocking"), "{err}");
    }
}

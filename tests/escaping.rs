//! Nothing from the repository reaches a terminal, a log, a GitHub
//! annotation or the job summary raw: control characters (ESC, BEL, VT, FF,
//! CR, NEL, the line and paragraph separators, C1 controls) become visible
//! escapes such as `\u{1b}`, workflow commands are encoded as GitHub reads
//! them, and Markdown from record values or file names is shown as text,
//! never as an image, a link or HTML.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use pulldown_cmark::{Event, Options, Parser, Tag};
use tempfile::TempDir;

const DAY: &str = "2025-06-02";

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
    cmd
}

/// Characters that must never reach a terminal or log as they are. (LF is
/// only ever our own line end, checked apart.)
const RAW: &[char] = &[
    '\u{1b}', '\u{7}', '\u{b}', '\u{c}', '\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{9b}', '\u{0}',
    '\u{8}', '\u{7f}', '\u{202e}',
];

/// The name of a record file with an escape sequence, a backtick and a pipe.
const EVIL_NAME: &str = "risks/evil\u{1b}[2J`name|x.yaml";

/// A sound repository plus records whose values, keys, comments and file
/// name hold control characters and Markdown.
fn hostile_repo() -> TempDir {
    let dir = TempDir::new().unwrap();
    isms_lint()
        .args(["init", "--date", DAY])
        .arg(dir.path())
        .assert()
        .success();
    let root = dir.path();
    // YAML escapes in double quotes: \e ESC, \a BEL, \v VT, \f FF, \r CR,
    // \N NEL, \L LS, \P PS, \x9b CSI.
    fs::write(
        root.join("actions/ca.yaml"),
        "kind: corrective-action\ntitle: Actions\nentries:\n  - id: CA-001\n    title: \"Fix \\e]0;pwned\\a now\"\n    source: \"IA-9\\e[2J\\e[H ![pixel](https://evil.example/p.png) <img src=https://evil.example/i.png> [click](https://evil.example) \\v\\f\\r\\N\\L\\P\\x9b end\"\n    owner: IT\n    raised: 2025-03-01\n    due: 2025-05-31\n    status: open\n",
    )
    .unwrap();
    // Raw control characters in the file itself: in a comment (shown in the
    // source excerpt), with a lone CR.
    fs::write(
        root.join(EVIL_NAME),
        "kind: risk\nid: RISK-9\ntitle: T\nowner: A\nidentified: 2025-01-10\nlikelihood: 1\nimpact: 1\ntreatment: accept\n# \u{1b}[2J\u{7}\u{1b}]0;title\u{7} comment\rreviewed: 2025-02-30\n\"colour\\e[31m|x![i](https://evil.example/k.png)\": red\n",
    )
    .unwrap();
    dir
}

fn run(dir: &Path, args: &[&str], summary: Option<&Path>) -> (String, String) {
    let mut cmd = isms_lint();
    cmd.arg("check")
        .arg(dir)
        .args(["--as-of", DAY, "--color", "never"])
        .args(args);
    if let Some(s) = summary {
        cmd.env("GITHUB_STEP_SUMMARY", s);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn assert_no_raw(what: &str, text: &str) {
    for (i, line) in text.split('\n').enumerate() {
        if let Some(c) = line.chars().find(|c| RAW.contains(c)) {
            panic!("{what}, line {}: raw U+{:04X} in {line:?}", i + 1, c as u32);
        }
    }
}

#[test]
fn the_terminal_report_shows_control_characters_as_escapes() {
    let dir = hostile_repo();
    for color in ["never", "always"] {
        let out = isms_lint()
            .arg("check")
            .arg(dir.path())
            .args(["--as-of", DAY, "--color", color])
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        let stdout = if color == "never" {
            stdout
        } else {
            // Colours are ours: every ESC starts an SGR sequence (`ESC [ … m`).
            strip_sgr(&stdout)
        };
        assert_no_raw("human output", &stdout);
        assert_no_raw("standard error", &stderr);
        // The value, the key and the file name, with visible escapes.
        assert!(
            stdout.contains(r"`IA-9\u{1b}[2J\u{1b}[H ![pixel]"),
            "{stdout}"
        );
        assert!(
            stdout.contains(r"\u{b}\u{c}\u{d}\u{85}\u{2028}\u{2029}\u{9b} end"),
            "{stdout}"
        );
        assert!(
            stdout.contains(r"unknown key `colour\u{1b}[31m|x"),
            "{stdout}"
        );
        assert!(
            stdout.contains(r"risks/evil\u{1b}[2J`name|x.yaml:"),
            "{stdout}"
        );
        // The comment with raw controls, in the source excerpt, and the
        // lines after the lone CR keep their numbers.
        assert!(
            stdout.contains(r"# \u{1b}[2J\u{7}\u{1b}]0;title\u{7} comment\u{d}"),
            "{stdout}"
        );
        assert!(stdout.contains(" 11 │ \"colour"), "{stdout}");
    }
}

/// Text without the SGR colour sequences `ESC [ digits ; … m`.
fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            let mut seq = String::new();
            chars.next();
            while let Some(&d) = chars.peek() {
                chars.next();
                if d == 'm' {
                    break;
                }
                seq.push(d);
            }
            assert!(
                seq.chars().all(|d| d.is_ascii_digit() || d == ';'),
                "not a colour: ESC[{seq}"
            );
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn annotations_are_escaped_then_encoded_as_workflow_commands() {
    let dir = hostile_repo();
    let (stdout, stderr) = run(dir.path(), &["--format", "github"], None);
    assert_no_raw("annotations", &stdout);
    assert_no_raw("standard error", &stderr);
    for line in stdout.lines().filter(|l| l.starts_with("::")) {
        // `::level props::message`: properties hold no raw `:`, `,` or `%`
        // of the data, and the message no raw `%` but GitHub's encodings.
        let rest = line.split_once(' ').unwrap().1;
        let (props, message) = rest.split_once("::").unwrap();
        for p in props.split(',') {
            let (_, value) = p.split_once('=').unwrap();
            assert!(!value.contains(':'), "{line}");
            assert!(
                value.match_indices('%').all(|(i, _)| matches!(
                    &value[i..i + 3],
                    "%25" | "%0D" | "%0A" | "%3A" | "%2C"
                )),
                "{line}"
            );
        }
        assert!(
            message
                .match_indices('%')
                .all(|(i, _)| matches!(&message[i..i + 3], "%25" | "%0D" | "%0A")),
            "{line}"
        );
    }
    assert!(
        stdout.contains(r"::error file=risks/evil\u{1b}[2J`name|x.yaml,line=10,"),
        "{stdout}"
    );
    assert!(
        stdout.contains(r"title=broken-reference::`IA-9\u{1b}[2J\u{1b}[H ![pixel](https://"),
        "{stdout}"
    );
}

#[test]
fn the_job_summary_renders_values_and_file_names_as_text() {
    let dir = hostile_repo();
    let summary_dir = TempDir::new().unwrap();
    let summary = summary_dir.path().join("summary.md");
    run(dir.path(), &["--format", "github"], Some(&summary));
    let md = fs::read_to_string(&summary).unwrap();
    assert_no_raw("job summary", &md);
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    let mut code = Vec::new();
    let mut text = String::new();
    for event in Parser::new_ext(&md, options) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => panic!("an image: {dest_url}"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert!(
                    !dest_url.contains("evil"),
                    "a link from the data: {dest_url}"
                );
            }
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML: {h}"),
            Event::Code(c) => code.push(c.to_string()),
            Event::Text(t) => text.push_str(&t),
            _ => {}
        }
    }
    // Shown as written, with visible escapes.
    assert!(
        text.contains(r"IA-9\u{1b}[2J\u{1b}[H ![pixel](https://evil.example/p.png) <img src=https://evil.example/i.png> [click](https://evil.example)"),
        "{text}"
    );
    assert!(
        text.contains(r"colour\u{1b}[31m|x![i](https://evil.example/k.png)"),
        "{text}"
    );
    // The file name, backtick and pipe included, is one code span.
    assert!(
        code.iter()
            .any(|c| c == r"risks/evil\u{1b}[2J`name|x.yaml:10"),
        "{code:?}"
    );
}

#[test]
fn junit_holds_visible_escapes_not_control_characters() {
    let dir = hostile_repo();
    let (stdout, _) = run(dir.path(), &["--format", "junit"], None);
    let no_line_ends: String = stdout.replace("\r\n", "\n");
    for c in RAW.iter().filter(|&&c| c != '\r') {
        assert!(!no_line_ends.contains(*c), "raw U+{:04X}", *c as u32);
    }
    let doc = roxmltree::Document::parse(&stdout).expect("well-formed XML");
    assert!(doc
        .descendants()
        .filter_map(|n| n.attribute("message"))
        .any(|m| m.contains(r"`IA-9\u{1b}[2J\u{1b}[H")));
}

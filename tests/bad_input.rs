//! Broken input: every damaged file is a finding at its file and line, the
//! rest of the repository is still checked, nothing panics or hangs, and the
//! repository is never written to.
//!
//! The committed fixture `tests/fixtures/bad-input` holds one file per kind of
//! damage beside a sound record with a known finding. Cases that are too large
//! or too odd to commit (deep nesting, a 50 MB file, symbolic links, a tiny
//! `lint.max-file-size`) are generated here into a copy of it.
//!
//! Only the integrity rules are asserted: rules about deadlines and clauses are
//! many and changing, and have their own tests.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;

const INTEGRITY: &[&str] = &[
    "unreadable-file",
    "parse-error",
    "schema-violation",
    "invalid-date",
    "unknown-kind",
    "duplicate-id",
    "broken-reference",
];

/// The sound record's known finding: it must survive every broken neighbour.
const SOUND: (&str, &str, usize, usize) = ("broken-reference", "risks/RISK-SOUND.yaml", 9, 11);

/// A case that never ends fails here instead of hanging the suite.
const TIMEOUT: Duration = Duration::from_secs(300);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-input")
}

/// One finding, as asserted: rule, path, line, column.
type Place = (String, String, usize, usize);

struct Run {
    code: i32,
    stderr: String,
    json: Value,
}

impl Run {
    /// Findings of the integrity rules, in report order.
    fn integrity(&self) -> Vec<Place> {
        self.findings()
            .filter(|f| INTEGRITY.contains(&f["rule"].as_str().unwrap()))
            .map(place)
            .collect()
    }

    fn findings(&self) -> impl Iterator<Item = &Value> {
        self.json["findings"].as_array().unwrap().iter()
    }

    /// Integrity findings in one file.
    fn in_file(&self, path: &str) -> Vec<Place> {
        self.integrity()
            .into_iter()
            .filter(|p| p.1 == path)
            .collect()
    }

    /// The message of the only finding in `path`.
    fn message(&self, path: &str) -> String {
        let found: Vec<&Value> = self.findings().filter(|f| f["path"] == path).collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        found[0]["message"].as_str().unwrap().to_owned()
    }

    fn records(&self) -> u64 {
        self.json["summary"]["records"].as_u64().unwrap()
    }

    fn assert_sound_record_checked(&self) {
        assert!(
            self.integrity().contains(&own(SOUND)),
            "the sound record's finding is missing: {:#?}",
            self.integrity()
        );
    }
}

fn place(f: &Value) -> Place {
    (
        f["rule"].as_str().unwrap().to_owned(),
        f["path"].as_str().unwrap().to_owned(),
        f["line"].as_u64().unwrap() as usize,
        f["column"].as_u64().unwrap() as usize,
    )
}

fn own((rule, path, line, column): (&str, &str, usize, usize)) -> Place {
    (rule.to_owned(), path.to_owned(), line, column)
}

/// Run `isms-lint check DIR --format json` and check that it ended on its
/// own, without a panic, with findings (exit code 1), and left the
/// repository as it was.
fn check(dir: &Path) -> Run {
    let before = tree_state(dir);
    let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("isms-lint"))
        .arg("check")
        .arg(dir)
        .args([
            "--as-of",
            "2025-06-30",
            "--format",
            "json",
            "--color",
            "never",
        ])
        .timeout(TIMEOUT)
        .output()
        .expect("isms-lint runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let Some(code) = out.status.code() else {
        panic!("isms-lint did not finish within {TIMEOUT:?} (or was killed): {stderr}");
    };
    assert_ne!(code, 101, "isms-lint panicked: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert_eq!(
        code, 1,
        "findings are errors, so the exit code is 1: {stderr}"
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("the report is JSON");
    assert_eq!(
        tree_state(dir),
        before,
        "the repository was written to during the check"
    );
    Run { code, stderr, json }
}

/// Every path under `dir` with its size and modification time, without
/// following symbolic links.
fn tree_state(dir: &Path) -> BTreeMap<PathBuf, (u64, SystemTime, bool)> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, (u64, SystemTime, bool)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            out.insert(
                path.strip_prefix(root).unwrap().to_owned(),
                (meta.len(), meta.modified().unwrap(), meta.is_dir()),
            );
            if meta.is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A copy of the fixture to add a generated case to.
fn copy_of_fixture() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&fixture(), dir.path());
    dir
}

fn places(expected: &[(&str, &str, usize, usize)]) -> Vec<Place> {
    expected.iter().copied().map(own).collect()
}

#[test]
fn every_broken_file_is_a_finding_at_its_line() {
    let run = check(&fixture());
    let expected = places(&[
        ("invalid-date", "actions/impossible-dates.yaml", 6, 13),
        ("invalid-date", "actions/impossible-dates.yaml", 7, 10),
        ("invalid-date", "actions/impossible-dates.yaml", 11, 13),
        ("invalid-date", "actions/impossible-dates.yaml", 12, 10),
        ("invalid-date", "policies/bom-crlf.md", 5, 11),
        ("parse-error", "policies/unclosed-front-matter.md", 1, 1),
        SOUND,
        ("parse-error", "risks/alias-bomb.yaml", 9, 10),
        ("unreadable-file", "risks/binary.yaml", 1, 1),
        ("unreadable-file", "risks/bom-latin1.yaml", 3, 11),
        ("invalid-date", "risks/bom.yaml", 4, 13),
        ("invalid-date", "risks/cr-only.yaml", 5, 13),
        ("invalid-date", "risks/crlf.yaml", 5, 13),
        ("duplicate-id", "risks/duplicate-id.yaml", 2, 5),
        ("parse-error", "risks/duplicate-key.yaml", 5, 1),
        ("unknown-kind", "risks/empty.yaml", 1, 1),
        ("unreadable-file", "risks/latin1.yaml", 3, 11),
        ("parse-error", "risks/malformed-indentation.yaml", 4, 8),
        (
            "parse-error",
            "risks/malformed-open-flow-mapping.yaml",
            4,
            6,
        ),
        ("parse-error", "risks/malformed-tab.yaml", 4, 1),
        ("parse-error", "risks/malformed-unclosed-quote.yaml", 3, 8),
        ("unknown-kind", "risks/missing-kind.yaml", 2, 1),
        ("unknown-kind", "risks/unknown-kind.yaml", 1, 7),
        ("unreadable-file", "risks/utf16.yaml", 1, 1),
        ("schema-violation", "risks/wrong-types.yaml", 3, 8),
        ("schema-violation", "risks/wrong-types.yaml", 4, 13),
        ("schema-violation", "risks/wrong-types.yaml", 5, 9),
        ("schema-violation", "risks/wrong-types.yaml", 6, 11),
    ]);
    assert_eq!(run.integrity(), expected, "{}", run.stderr);
    assert_eq!(run.code, 1);
}

#[test]
fn messages_say_what_is_wrong_in_plain_words() {
    let run = check(&fixture());
    let messages: BTreeMap<Place, String> = run
        .findings()
        .map(|f| (place(f), f["message"].as_str().unwrap().to_owned()))
        .collect();
    let message = |rule, path, line, column| {
        messages
            .get(&own((rule, path, line, column)))
            .unwrap_or_else(|| panic!("no finding {rule} at {path}:{line}:{column}"))
            .as_str()
    };
    let expect = [
        (
            message("parse-error", "risks/malformed-indentation.yaml", 4, 8),
            "check this line's indentation",
        ),
        (
            message("parse-error", "risks/malformed-unclosed-quote.yaml", 3, 8),
            "a quoted value is never closed",
        ),
        (
            message("parse-error", "risks/malformed-tab.yaml", 4, 1),
            "YAML is indented with spaces only",
        ),
        (
            message(
                "parse-error",
                "risks/malformed-open-flow-mapping.yaml",
                4,
                6,
            ),
            "a mapping written `{ … }` is not closed",
        ),
        (
            message("parse-error", "policies/unclosed-front-matter.md", 1, 1),
            "front matter opened with `---` on line 1 is never closed",
        ),
        (
            message("unreadable-file", "risks/latin1.yaml", 3, 11),
            "not valid UTF-8 (byte 0xE9 here); save it as UTF-8",
        ),
        (
            message("unreadable-file", "risks/utf16.yaml", 1, 1),
            "saved as UTF-16; save it as UTF-8",
        ),
        (
            message("unreadable-file", "risks/binary.yaml", 1, 1),
            "binary file",
        ),
        (
            message("parse-error", "risks/duplicate-key.yaml", 5, 1),
            "duplicate key `title`",
        ),
        (
            message("duplicate-id", "risks/duplicate-id.yaml", 2, 5),
            "the id `RISK-SOUND` is already used in risks/RISK-SOUND.yaml",
        ),
        (
            message("unknown-kind", "risks/unknown-kind.yaml", 1, 7),
            "did you mean `risk`?",
        ),
        (
            message("unknown-kind", "risks/missing-kind.yaml", 2, 1),
            "declares no `kind`",
        ),
        (
            message("unknown-kind", "risks/empty.yaml", 1, 1),
            "this file is empty",
        ),
        (
            message("parse-error", "risks/alias-bomb.yaml", 9, 10),
            "alias bomb",
        ),
        (
            message("invalid-date", "actions/impossible-dates.yaml", 6, 13),
            "2025-02-30 does not exist (February 2025 has 28 days)",
        ),
        (
            message("invalid-date", "actions/impossible-dates.yaml", 7, 10),
            "2023-02-29 does not exist (February 2023 has 28 days)",
        ),
        (
            message("invalid-date", "actions/impossible-dates.yaml", 11, 13),
            "has no month 13",
        ),
        (
            message("invalid-date", "actions/impossible-dates.yaml", 12, 10),
            "write dates as YYYY-MM-DD",
        ),
        (
            message("schema-violation", "risks/wrong-types.yaml", 4, 13),
            "`likelihood` must be a whole number — found \"high\"",
        ),
    ];
    for (message, part) in expect {
        assert!(message.contains(part), "`{message}` should say `{part}`");
    }
    // The open mapping is shown where it opens, too.
    let flow = run
        .findings()
        .find(|f| f["path"] == "risks/malformed-open-flow-mapping.yaml")
        .unwrap();
    assert_eq!(flow["related"][0]["line"], 3);
    assert_eq!(flow["related"][0]["column"], 11);
    assert_eq!(flow["related"][0]["message"], "the mapping `{` opened here");
}

#[test]
fn byte_order_marks_and_line_endings_do_not_move_findings() {
    // The same damage (a date that does not exist, on the same line and
    // column) in a file saved with LF, CRLF, lone CR, and a BOM.
    let run = check(&fixture());
    for path in ["risks/crlf.yaml", "risks/cr-only.yaml"] {
        assert_eq!(run.in_file(path), [own(("invalid-date", path, 5, 13))]);
    }
    assert_eq!(
        run.in_file("risks/bom.yaml"),
        [own(("invalid-date", "risks/bom.yaml", 4, 13))]
    );
    let bom_crlf = run
        .findings()
        .find(|f| f["path"] == "policies/bom-crlf.md" && f["rule"] == "invalid-date")
        .unwrap();
    assert_eq!(bom_crlf["end_line"], 5);
    assert_eq!(bom_crlf["end_column"], 21, "the span ends before the CR");
}

#[test]
fn a_broken_file_does_not_hide_its_neighbours() {
    let run = check(&fixture());
    run.assert_sound_record_checked();
    // Sound records, the duplicate, and readable damaged ones: every file
    // that could be read as records was.
    let ids: Vec<&str> = run
        .findings()
        .filter_map(|f| f["record_id"].as_str())
        .collect();
    for id in ["RISK-SOUND", "CA-DATE-1", "CA-DATE-2", "RISK-TYPES"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn nesting_100_000_deep_is_refused_at_its_line() {
    let dir = copy_of_fixture();
    let depth = 100_000;
    let flow = format!(
        "kind: risk\nid: RISK-DEEP-FLOW\ncontrols: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    fs::write(dir.path().join("risks/deep-flow.yaml"), flow).unwrap();
    let block = format!(
        "kind: risk\nid: RISK-DEEP-BLOCK\ncontrols:\n{}x\n",
        "- ".repeat(depth)
    );
    fs::write(dir.path().join("risks/deep-block.yaml"), block).unwrap();
    let run = check(dir.path());
    for (path, line) in [("risks/deep-flow.yaml", 3), ("risks/deep-block.yaml", 4)] {
        let found = run.in_file(path);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0.as_str(), found[0].2), ("parse-error", line));
        assert!(
            run.message(path)
                .contains("nested more than 64 levels deep"),
            "{}",
            run.message(path)
        );
    }
    run.assert_sound_record_checked();
}

/// A record of about 50 MB: a description of 50 MB folded over many lines,
/// then a date that does not exist, so the finding proves the whole file was
/// read and its lines counted.
fn write_50_mb_record(path: &Path) -> usize {
    let line = format!(
        "  {}\n",
        "All work and no play makes a dull auditor. ".repeat(2)
    );
    let lines = 50 * 1024 * 1024 / line.len() + 1;
    let mut text = String::with_capacity(lines * line.len() + 200);
    text.push_str("kind: risk\nid: RISK-HUGE\ntitle: A very long description\ndescription: >\n");
    for _ in 0..lines {
        text.push_str(&line);
    }
    text.push_str("identified: 2025-02-30\n");
    fs::write(path, &text).unwrap();
    assert!(text.len() >= 50 * 1024 * 1024);
    4 + lines + 1
}

#[test]
fn a_50_mb_file_is_refused_by_default_and_read_when_allowed() {
    let dir = copy_of_fixture();
    let date_line = write_50_mb_record(&dir.path().join("risks/huge.yaml"));

    let run = check(dir.path());
    assert_eq!(
        run.in_file("risks/huge.yaml"),
        [own(("unreadable-file", "risks/huge.yaml", 1, 1))]
    );
    let message = run.message("risks/huge.yaml");
    assert!(
        message.contains("larger than the limit of 16.0 MiB (`lint.max-file-size`, or `--max-file-size` on the command line)"),
        "{message}"
    );
    run.assert_sound_record_checked();

    let manifest = dir.path().join("isms.yaml");
    let mut text = fs::read_to_string(&manifest).unwrap();
    text.push_str("lint:\n  max-file-size: 67108864\n");
    fs::write(&manifest, text).unwrap();
    let run = check(dir.path());
    assert_eq!(
        run.in_file("risks/huge.yaml"),
        [own(("invalid-date", "risks/huge.yaml", date_line, 13))]
    );
    run.assert_sound_record_checked();
}

#[test]
fn a_file_larger_than_lint_max_file_size_is_not_read() {
    let dir = copy_of_fixture();
    let manifest = dir.path().join("isms.yaml");
    let mut text = fs::read_to_string(&manifest).unwrap();
    text.push_str("lint:\n  max-file-size: 1024\n");
    fs::write(&manifest, text).unwrap();
    let big = format!(
        "kind: risk\nid: RISK-BIG\ntitle: t\ndescription: {}\nidentified: 2025-02-30\n",
        "x".repeat(2000)
    );
    fs::write(dir.path().join("risks/big.yaml"), big).unwrap();
    let run = check(dir.path());
    assert_eq!(
        run.in_file("risks/big.yaml"),
        [own(("unreadable-file", "risks/big.yaml", 1, 1))]
    );
    assert!(
        run.message("risks/big.yaml")
            .contains("larger than the limit of 1.0 KiB"),
        "{}",
        run.message("risks/big.yaml")
    );
    run.assert_sound_record_checked();
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_never_followed() {
    use std::os::unix::fs::symlink;

    let dir = copy_of_fixture();
    let outside = tempfile::tempdir().unwrap();
    // Read, this file would be a record with its own distinct finding.
    let secret = outside.path().join("secret.yaml");
    fs::write(
        &secret,
        "kind: risk\nid: RISK-OUTSIDE\ntitle: Outside the repository\nidentified: 2025-02-31\n",
    )
    .unwrap();
    fs::create_dir(outside.path().join("dir")).unwrap();
    fs::copy(&secret, outside.path().join("dir/secret.yaml")).unwrap();

    let baseline = check(dir.path());
    symlink(&secret, dir.path().join("risks/outside.yaml")).unwrap();
    symlink(
        Path::new("../..")
            .join(outside.path().file_name().unwrap())
            .join("secret.yaml"),
        dir.path().join("risks/relative-outside.yaml"),
    )
    .unwrap();
    symlink(
        outside.path().join("dir"),
        dir.path().join("risks/outside-dir"),
    )
    .unwrap();
    symlink("missing.yaml", dir.path().join("risks/dangling.yaml")).unwrap();
    symlink("RISK-SOUND.yaml", dir.path().join("risks/inside.yaml")).unwrap();
    let run = check(dir.path());

    // Every link is reported at its path and never read, wherever it leads:
    // out of the repository, nowhere, or to a record of the repository.
    for path in [
        "risks/outside.yaml",
        "risks/relative-outside.yaml",
        "risks/dangling.yaml",
        "risks/inside.yaml",
    ] {
        assert_eq!(run.in_file(path), [own(("unreadable-file", path, 1, 1))]);
        assert!(
            run.message(path).contains("is a symbolic link (to `")
                && run.message(path).contains("isms-lint never follows links"),
            "{}",
            run.message(path)
        );
    }
    assert!(
        run.findings().all(|f| f["record_id"] != "RISK-OUTSIDE"
            && !f["path"].as_str().unwrap().starts_with("risks/outside-dir")),
        "a record outside the repository was read"
    );
    assert_eq!(run.records(), baseline.records());
    run.assert_sound_record_checked();
}

#[test]
fn odd_but_valid_yaml_is_read() {
    let dir = copy_of_fixture();
    let files = [
        // Several documents in one file.
        (
            "risks/multi.yaml",
            "kind: risk\nid: RISK-DOC-1\ntitle: One\n---\nkind: risk\nid: RISK-DOC-2\ntitle: Two\nidentified: 2025-02-30\n",
        ),
        // Anchors and aliases within the budget.
        (
            "risks/anchors.yaml",
            "kind: risk\nentries:\n  - &base\n    id: RISK-ANCHOR-1\n    title: Anchored\n  - id: RISK-ANCHOR-2\n    title: Aliased\n    residual: {likelihood: 1, impact: 1}\n",
        ),
        // Non-ASCII text before the finding on its line.
        (
            "risks/accents.yaml",
            "# Zoë\n{kind: risk, id: RISK-ACCENTS, title: «Données», identified: 2025-02-30}\n",
        ),
    ];
    for (path, text) in files {
        fs::write(dir.path().join(path), text).unwrap();
    }
    let run = check(dir.path());
    assert_eq!(
        run.in_file("risks/multi.yaml"),
        [own(("invalid-date", "risks/multi.yaml", 8, 13))]
    );
    assert_eq!(run.in_file("risks/anchors.yaml"), []);
    assert_eq!(
        run.in_file("risks/accents.yaml"),
        [own(("invalid-date", "risks/accents.yaml", 2, 62))],
        "columns count characters, not bytes"
    );
    run.assert_sound_record_checked();
}

//! The documentation pins only what has been released: every version that
//! README.md, docs/ and action.yml pin the action, the pre-commit hook or a
//! `cargo install` to is one that CHANGELOG.md records as released; while
//! none is, docs/ci.md pins to a commit and says that no version is released.

use std::fs;
use std::path::{Path, PathBuf};

const REPO: &str = env!("CARGO_MANIFEST_DIR");
/// What the docs write where a commit's full SHA goes.
const COMMIT: &str = "COMMIT_SHA";

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The released versions: `## [X.Y.Z] - YYYY-MM-DD` headings.
fn released(changelog: &str) -> Vec<String> {
    let mut versions = Vec::new();
    for line in changelog.lines() {
        let Some(rest) = line.strip_prefix("## [") else {
            continue;
        };
        let (name, after) = rest.split_once(']').expect("a closed [version]");
        if name == "Unreleased" {
            assert_eq!(after, "", "`## [Unreleased]` has no date");
            continue;
        }
        assert!(
            is_version(name),
            "CHANGELOG.md: `{name}` is not a version X.Y.Z"
        );
        let date = after
            .strip_prefix(" - ")
            .unwrap_or_else(|| panic!("CHANGELOG.md: version {name} has no ` - DATE`"));
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "CHANGELOG.md: version {name} has no date YYYY-MM-DD: `{date}`"
        );
        versions.push(name.to_string());
    }
    versions
}

fn is_version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_commit(s: &str) -> bool {
    s == COMMIT || (s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A pin: the file and line, what is pinned, and the ref it names.
#[derive(Debug)]
struct Pin {
    at: String,
    what: &'static str,
    reference: String,
}

fn token(s: &str) -> String {
    s.chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '`' | ')' | ','))
        .collect()
}

/// Every pin of isms-lint in a file: `uses: isms-lint/isms-lint@REF`, the
/// `rev:` of a pre-commit repo entry for this repository, `--tag`/`--rev`
/// of a `cargo install --git` of it, and any `vX.Y.Z` written anywhere.
fn pins(path: &Path) -> Vec<Pin> {
    let text = read(path);
    let name = path
        .strip_prefix(REPO)
        .unwrap_or(path)
        .display()
        .to_string();
    let mut out = Vec::new();
    let mut repo_entry = false;
    for (i, line) in text.lines().enumerate() {
        let at = format!("{name}:{}", i + 1);
        let mut push = |what, reference: String| {
            out.push(Pin {
                at: at.clone(),
                what,
                reference,
            })
        };
        for (pos, _) in line.match_indices("isms-lint/isms-lint@") {
            let reference = token(&line[pos + "isms-lint/isms-lint@".len()..]);
            // Prose that names the form (`isms-lint/isms-lint@`) pins nothing.
            if !reference.is_empty() {
                push("the action", reference);
            }
        }
        let trimmed = line.trim_start().trim_start_matches("- ");
        if trimmed.starts_with("repo:") {
            repo_entry = trimmed.contains("github.com/isms-lint/isms-lint");
        } else if let Some(rev) = trimmed.strip_prefix("rev:") {
            if repo_entry {
                push("the pre-commit hook", token(rev.trim_start()));
            }
        }
        if line.contains("cargo install") && line.contains("isms-lint/isms-lint") {
            for flag in ["--tag ", "--rev "] {
                if let Some(pos) = line.find(flag) {
                    push("cargo install", token(&line[pos + flag.len()..]));
                }
            }
        }
        // Any vX.Y.Z at all, so that a pin written some other way is caught too.
        for (pos, _) in line.match_indices('v') {
            let before = line[..pos].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            let t = token(&line[pos..]);
            let t = t.trim_end_matches(['.', ':', ';']);
            if is_version(&t[1..]) {
                push("a version", t.to_string());
            }
        }
    }
    out
}

fn doc_files() -> Vec<PathBuf> {
    let root = Path::new(REPO);
    let mut files = vec![root.join("README.md"), root.join("action.yml")];
    for entry in fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn docs_pin_only_released_versions() {
    let released = released(&read(&Path::new(REPO).join("CHANGELOG.md")));
    let mut wrong = Vec::new();
    let mut count = 0;
    for file in doc_files() {
        for pin in pins(&file) {
            count += 1;
            let r = pin.reference.as_str();
            let ok = if is_commit(r) {
                true
            } else if let Some(v) = r.strip_prefix('v').filter(|v| is_version(v)) {
                released.iter().any(|x| x == v)
            } else {
                false
            };
            if !ok {
                wrong.push(format!("{}: {} pinned to `{r}`", pin.at, pin.what));
            }
        }
    }
    assert!(count > 0, "no pin found: the scan is broken");
    assert!(
        wrong.is_empty(),
        "pins to something CHANGELOG.md does not record as released (released: {released:?}):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn until_a_release_docs_pin_to_a_commit_and_say_so() {
    let changelog = read(&Path::new(REPO).join("CHANGELOG.md"));
    assert!(
        changelog.contains("\n## [Unreleased]\n"),
        "CHANGELOG.md has an Unreleased section"
    );
    if !released(&changelog).is_empty() {
        return;
    }
    let ci = Path::new(REPO).join("docs/ci.md");
    let pins = pins(&ci);
    for what in ["the action", "the pre-commit hook"] {
        assert!(
            pins.iter()
                .any(|p| p.what == what && is_commit(&p.reference)),
            "docs/ci.md pins {what} to a commit: {pins:?}"
        );
    }
    let text = read(&ci);
    assert!(
        text.contains("## Pinning a version"),
        "docs/ci.md explains pinning"
    );
    assert!(
        text.contains("No version of isms-lint is released yet"),
        "docs/ci.md says that no version is released"
    );
}

#[test]
fn the_scan_finds_what_a_wrong_pin_looks_like() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.md");
    fs::write(
        &file,
        "uses: isms-lint/isms-lint@v0.9.0\n\
         - repo: https://github.com/isms-lint/isms-lint\n  rev: v0.9.1\n\
         - repo: https://github.com/other/tool\n  rev: v5\n\
         cargo install --locked --git https://github.com/isms-lint/isms-lint --tag v0.9.2 isms-lint\n\
         Pin `isms-lint/isms-lint@main` or release (v1.2.3).\n\
         Write it after `isms-lint/isms-lint@` in uses; Rust 1.88.0 and SARIF 2.1.0 are no pins.\n",
    )
    .unwrap();
    let found: Vec<(&str, String)> = pins(&file)
        .into_iter()
        .map(|p| (p.what, p.reference))
        .collect();
    let expected: Vec<(&str, String)> = vec![
        ("the action", "v0.9.0".into()),
        ("a version", "v0.9.0".into()),
        ("the pre-commit hook", "v0.9.1".into()),
        ("a version", "v0.9.1".into()),
        ("cargo install", "v0.9.2".into()),
        ("a version", "v0.9.2".into()),
        ("the action", "main".into()),
        ("a version", "v1.2.3".into()),
    ];
    assert_eq!(found, expected);
    assert_eq!(
        released("## [Unreleased]\n\n## [0.2.0] - 2027-01-04\n## [0.1.0] - 2026-12-20\n"),
        ["0.2.0", "0.1.0"]
    );
}

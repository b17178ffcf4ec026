//! Every example in docs/format.md must be valid: the docs are checked like a
//! user's repository, so they cannot drift from the schemas.

use isms_core::testing::TestRepo;

/// Fenced blocks of a language: (first line number, text).
fn blocks(markdown: &str, lang: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        if current.is_none() {
            if line.trim() == format!("```{lang}") {
                current = Some((i + 2, String::new()));
            }
        } else if line.trim() == "```" {
            out.extend(current.take());
        } else if let Some((_, text)) = &mut current {
            text.push_str(line);
            text.push('\n');
        }
    }
    out
}

const INTEGRITY: [&str; 5] = [
    "parse-error",
    "schema-violation",
    "invalid-date",
    "unknown-kind",
    "unreadable-file",
];

fn integrity_findings(repo: &TestRepo) -> Vec<String> {
    let report = repo.report("2026-11-30");
    isms_core::testing::lines(&report, |rule| INTEGRITY.contains(&rule))
}

#[test]
fn format_examples_are_valid() {
    let doc = include_str!("../docs/format.md");
    let mut checked = 0;
    for (line, text) in blocks(doc, "yaml")
        .into_iter()
        .chain(blocks(doc, "markdown"))
    {
        let is_manifest = text.contains("organisation:") && !text.contains("kind:");
        let repo = if is_manifest {
            TestRepo::new().manifest(&text)
        } else if text.contains("kind:") && (text.contains("id:") || text.contains("entries:")) {
            let path = if text.starts_with("---") {
                "records/example.md"
            } else {
                "records/example.yaml"
            };
            TestRepo::new().file(path, &text)
        } else {
            // A fragment (waivers, a snippet of keys): valid within a manifest?
            if text.contains("waivers:") {
                TestRepo::new().manifest(&format!("organisation:\n  name: T\n{text}"))
            } else {
                continue;
            }
        };
        let findings = integrity_findings(&repo);
        assert!(
            findings.is_empty(),
            "docs/format.md: the example at line {line} is not valid:\n{}",
            findings.join("\n")
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} examples found");
}

//! Every example of the evidence format is executed: each fenced YAML or
//! Markdown block of docs/format.md and docs/rules/ is checked like a
//! user's repository, so the docs cannot drift from the schemas.
//!
//! A block is one of:
//!
//! - a whole manifest or record: checked as it is, and it must give no
//!   integrity finding;
//! - a fragment (a few keys of a manifest or of a record, or a record
//!   without its required keys): checked inside the smallest valid manifest
//!   or record that it fits, which must then give no integrity finding;
//! - a deliberately invalid illustration, announced by an HTML comment
//!   `<!-- invalid: RULE -->` on the line before the fence: it must give
//!   findings of that integrity rule and of no other;
//! - in docs/rules/, a block of a rule's "Example" section: generated from
//!   the rule's executable example, which the rules' own meta-test runs.
//!
//! Blocks of other languages (`text`, `json`) are counted but not records;
//! a block of any other language, or one the test cannot classify, fails it.
//! References by id and links are not checked here: an example names
//! records and evidence of the example repository that the block does not
//! hold.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use isms_core::rules::{Category, RuleId};
use isms_core::testing::{lines, TestRepo};

/// The day the examples are checked on (their dates are in 2025–2026).
const DAY: &str = "2026-11-30";

/// A fenced block: where it is, its language, its text (without the
/// fence's indentation), the `<!-- invalid: RULE -->` before it, and the
/// section (the last `##` heading) it is in.
#[derive(Debug)]
struct Block {
    line: usize,
    lang: String,
    text: String,
    invalid: Option<String>,
    section: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<(Block, usize)> = None;
    let mut previous = "";
    let mut section = String::new();
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some((block, fence_indent)) = &mut open {
            if trimmed == "```" {
                out.push(open.take().unwrap().0);
            } else {
                block.text.push_str(line.get(*fence_indent..).unwrap_or(""));
                block.text.push('\n');
            }
            continue;
        }
        if let Some(lang) = trimmed.strip_prefix("```") {
            let invalid = previous
                .trim()
                .strip_prefix("<!-- invalid:")
                .and_then(|s| s.strip_suffix("-->"))
                .map(|s| s.trim().to_owned());
            let block = Block {
                line: i + 2,
                lang: lang.trim().to_owned(),
                text: String::new(),
                invalid,
                section: section.clone(),
            };
            open = Some((block, indent));
        } else if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim().to_owned();
        }
        if !line.trim().is_empty() {
            previous = line;
        }
    }
    assert!(open.is_none(), "a fenced block is not closed");
    out
}

/// The integrity rules whose findings mean an example is not valid: all
/// but the two that need the rest of the example repository.
fn integrity(repo: &TestRepo) -> Vec<String> {
    lines(&repo.report(DAY), |name| {
        RuleId::parse(name).is_some_and(|r| {
            r.meta().category == Category::Integrity
                && !matches!(r, RuleId::BrokenReference | RuleId::DuplicateId)
        })
    })
}

/// Top-level keys of a YAML block (or of a Markdown block's front matter).
fn top_keys(yaml: &str) -> Vec<&str> {
    yaml.lines()
        .filter(|l| !l.starts_with([' ', '#', '-']) && !l.is_empty())
        .filter_map(|l| l.split_once(':').map(|(k, _)| k))
        .collect()
}

const MANIFEST: &str = "organisation:\n  name: Kestrel Data Services Ltd\n";

/// The smallest valid record of each kind, key by key.
const RECORDS: &[(&str, &[&str])] = &[
    ("policy", &["id: POL-900", "title: A policy"]),
    (
        "statement-of-applicability",
        &["id: SOA", "title: Statement of Applicability"],
    ),
    ("risk", &["id: RISK-900", "title: A risk"]),
    (
        "audit",
        &[
            "id: IA-900",
            "title: An audit",
            "type: internal",
            "status: planned",
        ],
    ),
    (
        "management-review",
        &["id: MR-900", "title: A review", "date: 2026-06-16"],
    ),
    (
        "corrective-action",
        &["id: CA-900", "title: An action", "status: open"],
    ),
    (
        "awareness-activity",
        &[
            "id: AW-900",
            "title: An activity",
            "type: poster",
            "date: 2026-06-16",
        ],
    ),
    ("people", &["id: PEOPLE"]),
];

/// Where a record of `kind` lives by default.
fn place(kind: &str, markdown: bool) -> String {
    let dir = match kind {
        "policy" => "policies",
        "statement-of-applicability" => return "soa.yaml".into(),
        "people" => return "people.yaml".into(),
        "risk" => "risks",
        "audit" => "audits",
        "management-review" => "reviews",
        "corrective-action" => "actions",
        _ => "awareness",
    };
    format!("{dir}/example.{}", if markdown { "md" } else { "yaml" })
}

/// `yaml` with the keys of `required` that it lacks.
fn complete(yaml: &str, kind: &str, required: &[&str]) -> String {
    let keys = top_keys(yaml);
    let mut s = yaml.to_owned();
    if !keys.contains(&"kind") {
        s.push_str(&format!("kind: {kind}\n"));
    }
    // A register's entries carry their own ids.
    if !keys.contains(&"entries") {
        for key in required {
            if !keys.contains(&key.split(':').next().unwrap()) {
                s.push_str(key);
                s.push('\n');
            }
        }
    }
    s
}

/// "a risk", "an audit".
fn a(kind: &str) -> String {
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {kind}")
}

/// What a yaml-language-server modeline says a block is: the name of its
/// schema (`manifest`, `waivers`, `risk` …).
fn modeline(yaml: &str) -> Option<&str> {
    let line = yaml.lines().next()?;
    let schema = line.strip_prefix("# yaml-language-server: $schema=")?;
    schema.rsplit('/').next()?.strip_suffix(".schema.json")
}

/// The repositories a block may be checked in, smallest first, each with
/// what the block is in words: a whole manifest, waivers file or record is
/// checked as it is; a fragment is completed to a manifest, or to a record
/// of its kind (of any kind, when it does not say).
fn candidates(block: &Block) -> Vec<(String, TestRepo)> {
    let markdown = block.lang == "markdown";
    let (yaml, body) = if markdown {
        let rest = block.text.strip_prefix("---\n").unwrap_or(&block.text);
        match rest.split_once("\n---\n") {
            Some((front, body)) => (format!("{front}\n"), format!("---\n{body}")),
            None => (rest.to_owned(), "---\n".to_owned()),
        }
    } else {
        (block.text.clone(), String::new())
    };
    let keys = top_keys(&yaml);
    let record = |kind: &str, text: String| {
        let text = if markdown {
            format!("---\n{text}{body}")
        } else {
            text
        };
        TestRepo::new().file(&place(kind, markdown), &text)
    };
    let declared = yaml
        .lines()
        .find_map(|l| l.strip_prefix("kind:"))
        .map(|k| k.split('#').next().unwrap().trim().to_owned());
    match (modeline(&yaml), declared.as_deref()) {
        (Some("waivers"), _) => {
            let repo = TestRepo::new()
                .manifest(&format!("{MANIFEST}waivers-file: waivers.yaml\n"))
                .file("waivers.yaml", &yaml);
            return vec![("a whole waivers file".into(), repo)];
        }
        (Some("manifest"), _) | (None, None) if keys.contains(&"organisation") => {
            return vec![("a whole manifest".into(), TestRepo::new().manifest(&yaml))];
        }
        (_, Some(kind)) if keys.contains(&"id") || keys.contains(&"entries") => {
            return vec![(format!("a whole {kind}"), record(kind, yaml))];
        }
        _ => {}
    }
    // A fragment.
    let mut out = Vec::new();
    let declared = declared.or_else(|| {
        modeline(&yaml)
            .filter(|m| RECORDS.iter().any(|(k, _)| k == m))
            .map(str::to_owned)
    });
    if declared.is_none() && !markdown {
        out.push((
            "a fragment of a manifest".into(),
            TestRepo::new().manifest(&format!("{MANIFEST}{yaml}")),
        ));
    }
    for (kind, required) in RECORDS {
        if declared.as_deref().is_some_and(|d| d != *kind) {
            continue;
        }
        out.push((
            format!("a fragment of {}", a(kind)),
            record(kind, complete(&yaml, kind, required)),
        ));
    }
    out
}

/// How one block was executed, or why it could not be.
fn execute(block: &Block) -> Result<String, String> {
    match block.lang.as_str() {
        "yaml" | "markdown" => {}
        "text" | "json" => return Ok(format!("not a record ({})", block.lang)),
        other => return Err(format!("a block of language `{other}`")),
    }
    let tried = candidates(block);
    if tried.is_empty() {
        return Err("neither a record nor a fragment of one".into());
    }
    if let Some(rule) = &block.invalid {
        let Some(expected) =
            RuleId::parse(rule).filter(|r| r.meta().category == Category::Integrity)
        else {
            return Err(format!("`invalid: {rule}` names no integrity rule"));
        };
        let (what, repo) = &tried[0];
        let found = integrity(repo);
        let tag = format!("[{expected}]");
        if found.is_empty() || found.iter().any(|l| !l.contains(&tag)) {
            return Err(format!(
                "announced as invalid ({expected}) as {what}, it gives:\n  {}",
                found.join("\n  ")
            ));
        }
        return Ok(format!("invalid, as announced ({expected})"));
    }
    let mut failures = Vec::new();
    for (what, repo) in &tried {
        let found = integrity(repo);
        if found.is_empty() {
            return Ok(what.clone());
        }
        failures.push(format!("as {what}:\n  {}", found.join("\n  ")));
    }
    Err(format!("not valid\n{}", failures.join("\n")))
}

/// Execute every block of a document: (counts by outcome, failures).
fn run(name: &str, doc: &str, rules: bool) -> (BTreeMap<String, usize>, Vec<String>) {
    let mut counts = BTreeMap::new();
    let mut failures = Vec::new();
    for block in blocks(doc) {
        let outcome = if rules && block.section == "Example" {
            // Generated from the rule's example (tests/generated.rs keeps it
            // current), which the rules' meta-test executes.
            Ok("a rule's executed example".to_owned())
        } else {
            execute(&block)
        };
        match outcome {
            Ok(what) => *counts.entry(what).or_insert(0) += 1,
            Err(why) => failures.push(format!("{name}:{}: {why}", block.line)),
        }
    }
    (counts, failures)
}

#[test]
fn every_example_of_the_format_is_executed() {
    let (counts, failures) = run("docs/format.md", include_str!("../docs/format.md"), false);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Every block is accounted for: the layout, the manifest, a register,
    // a record of each kind, two lists of waivers, a modeline and the
    // editor settings.
    let expected = [
        ("a fragment of a manifest", 1),
        ("a fragment of a risk", 1),
        ("a whole audit", 1),
        ("a whole awareness-activity", 1),
        ("a whole control-activity", 1),
        ("a whole control-performance", 1),
        ("a whole corrective-action", 2),
        ("a whole legal-requirement", 1),
        ("a whole management-review", 1),
        ("a whole manifest", 1),
        ("a whole people", 1),
        ("a whole policy", 1),
        ("a whole risk", 1),
        ("a whole statement-of-applicability", 1),
        ("a whole supplier", 1),
        ("a whole waivers file", 1),
        ("not a record (json)", 1),
        ("not a record (text)", 1),
    ];
    let counts: Vec<(&str, usize)> = counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(counts, expected);
}

#[test]
fn every_example_of_the_rule_docs_is_executed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut failures = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("docs/rules/{}", path.file_name().unwrap().to_string_lossy());
        let (c, f) = run(&name, &fs::read_to_string(&path).unwrap(), true);
        failures.extend(f);
        for (k, v) in c {
            *counts.entry(k).or_insert(0) += v;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Each rule's configuration is a fragment of a manifest; every rule has
    // an example (at least the files, the findings and the fix).
    let n = RuleId::ALL.len();
    assert_eq!(
        counts.get("a fragment of a manifest"),
        Some(&n),
        "{counts:#?}"
    );
    assert!(counts["a rule's executed example"] >= 3 * n, "{counts:#?}");
}

/// The test fails on a block that is not valid, on one announced as
/// invalid that is not (or is invalid otherwise), on a fragment that fits
/// nothing, and on a language it does not know.
#[test]
fn the_test_fails_on_what_it_cannot_execute() {
    let doc = "\
```yaml
kind: risk
id: RISK-1
title: Theft
likelihood: often
```

<!-- invalid: schema-violation -->
```yaml
kind: risk
id: RISK-1
title: Theft
likelihood: often
```

<!-- invalid: schema-violation -->
```yaml
kind: risk
id: RISK-1
title: Theft
```

<!-- invalid: invalid-date -->
```yaml
kind: risk
id: RISK-1
title: Theft
likelihood: often
```

```yaml
not-a-key-of-anything: 1
```

```sh
isms-lint check
```

```yaml
owner: Ann
treatment: accept
```
";
    let (counts, failures) = run("doc.md", doc, false);
    assert_eq!(failures.len(), 5, "{failures:#?}");
    assert!(
        failures[0].starts_with("doc.md:2: not valid"),
        "{}",
        failures[0]
    );
    assert!(
        failures[0].contains("error[schema-violation]"),
        "{}",
        failures[0]
    );
    assert!(
        failures[1].starts_with(
            "doc.md:18: announced as invalid (schema-violation) as a whole risk, it gives:"
        ),
        "{}",
        failures[1]
    );
    assert!(
        failures[2].starts_with("doc.md:25: announced as invalid (invalid-date)"),
        "{}",
        failures[2]
    );
    assert!(
        failures[3].starts_with("doc.md:32: not valid"),
        "{}",
        failures[3]
    );
    assert_eq!(failures[4], "doc.md:36: a block of language `sh`");
    let counts: Vec<(&str, usize)> = counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(
        counts,
        [
            ("a fragment of a risk", 1),
            ("invalid, as announced (schema-violation)", 1),
        ]
    );

    // In a rule's docs, the blocks of its example are the meta-test's.
    let doc =
        "## Example\n\n```yaml\nkind: risk\n```\n\n## How to fix\n\n```yaml\nkind: risk\n```\n";
    let (counts, failures) = run("rule.md", doc, true);
    assert_eq!(counts.get("a rule's executed example"), Some(&1));
    assert_eq!(counts.get("a fragment of a risk"), Some(&1));
    assert!(failures.is_empty());
}

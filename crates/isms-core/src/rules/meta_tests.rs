//! Tests of the rules as a whole, as clippy tests its lints: every rule's
//! documented example is run, and every rule has tests of its own.
//!
//! Each test collects the failures of every rule before failing, so one run
//! lists all the examples (or files) to fix.

use std::path::Path;

use super::{Category, Example, RuleId};
use crate::testing::lines;

/// The integrity findings on a repository, other than those of `except`:
/// an example must be made of valid records, so that it shows its own rule
/// and not a typo.
fn integrity(report: &crate::Report, except: Option<RuleId>) -> Vec<String> {
    lines(report, |name| {
        RuleId::parse(name)
            .is_some_and(|r| r.meta().category == Category::Integrity && Some(r) != except)
    })
}

fn check_example(example: &Example, id: RuleId) -> Vec<String> {
    let mut failures = Vec::new();
    if example.files.is_empty() || example.fixed.is_empty() {
        failures.push("the example needs files and a fix".to_owned());
    }
    for (path, text) in example.fixed {
        let resaved = example.latin1.contains(path);
        if !resaved && example.files.iter().any(|(p, t)| p == path && t == text) {
            failures.push(format!("the fix leaves {path} as it was"));
        }
    }

    let found = example.run(id);
    if found.is_empty() {
        failures.push(format!("the example gives no {id} finding"));
    }
    let report = example.repository().report(example.as_of);
    let others = integrity(&report, Some(id));
    if !others.is_empty() {
        failures.push(format!(
            "the example is not made of valid records:\n    {}",
            others.join("\n    ")
        ));
    }

    let still = example.run_fixed(id);
    if !still.is_empty() {
        failures.push(format!(
            "the fixed example still gives:\n    {}",
            still.join("\n    ")
        ));
    }
    let fixed = example.fixed_repository().report(example.as_of);
    let broken = integrity(&fixed, None);
    if !broken.is_empty() {
        failures.push(format!(
            "the fixed example is not made of valid records:\n    {}",
            broken.join("\n    ")
        ));
    }
    failures
}

/// Every rule's example gives the rule's finding, its fix gives none, and
/// both are valid repositories: the example in the rule's documentation is
/// the output of this check, so it cannot show a finding that is not real.
#[test]
fn every_example_gives_its_finding_and_its_fix_none() {
    let mut failures = Vec::new();
    for &id in RuleId::ALL {
        for f in check_example(&id.meta().example, id) {
            failures.push(format!("{id}: {f}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} example problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The file of a rule: `src/rules/<category>/<rule>.rs`.
fn source(id: RuleId) -> (String, String) {
    let m = id.meta();
    let path = format!(
        "src/rules/{}/{}.rs",
        m.category.as_str().replace('-', "_"),
        m.name().replace('-', "_")
    );
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(&path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
    (path, text)
}

/// Why a rule file's tests do not count as tests of the rule, if they do not.
fn own_tests_problem(id: RuleId, text: &str) -> Option<&'static str> {
    let Some(at) = text.find("#[cfg(test)]\nmod tests {") else {
        return Some("has no `#[cfg(test)] mod tests`");
    };
    let tests = &text[at..];
    if !tests.contains("#[test]") {
        return Some("has a test module without a `#[test]`");
    }
    // A test that runs the rule names it: by its public name (as
    // `check_rule` takes it) or by its `RuleId`.
    let by_name = format!("\"{}\"", id.as_str());
    let by_id = format!("RuleId::{id:?}");
    if !tests.contains(&by_name) && !tests.contains(&by_id) {
        return Some("has tests, but none names the rule");
    }
    None
}

/// Every rule file has tests of its own that run the rule.
#[test]
fn every_rule_has_tests_of_its_own() {
    let failures: Vec<String> = RuleId::ALL
        .iter()
        .filter_map(|&id| {
            let (path, text) = source(id);
            own_tests_problem(id, &text).map(|why| format!("{path} {why}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The checks above fail when they should: on examples that do not show
/// their rule, whose fix fixes nothing, or whose records are invalid; and
/// on rule files without tests of the rule.
#[test]
fn the_meta_tests_catch_what_they_are_for() {
    let id = RuleId::RiskOwnerMissing;
    const RISK: &str = "kind: risk\nid: RISK-001\ntitle: Laptop theft\n";
    const OWNED: &str = "kind: risk\nid: RISK-001\ntitle: Laptop theft\nowner: Ann\n";
    const INVALID: &str = "kind: risk\nid: RISK-001\ntitle: Laptop theft\nlikelihood: often\n";
    let good = Example::new(
        &[("risks/r.yaml", RISK)],
        "2026-01-05",
        &[("risks/r.yaml", OWNED)],
    );
    assert_eq!(check_example(&good, id), Vec::<String>::new());

    let no_finding = Example::new(
        &[("risks/r.yaml", OWNED)],
        "2026-01-05",
        &[("risks/r.yaml", RISK)],
    );
    let failures = check_example(&no_finding, id);
    assert!(
        failures[0].contains("gives no risk-owner-missing finding"),
        "{failures:?}"
    );
    assert!(failures[1].contains("still gives:"), "{failures:?}");

    let same = Example::new(
        &[("risks/r.yaml", RISK)],
        "2026-01-05",
        &[("risks/r.yaml", RISK)],
    );
    let failures = check_example(&same, id);
    assert!(
        failures[0].contains("leaves risks/r.yaml as it was"),
        "{failures:?}"
    );

    let invalid = Example::new(
        &[("risks/r.yaml", INVALID)],
        "2026-01-05",
        &[("risks/other.yaml", INVALID)],
    );
    let failures = check_example(&invalid, id);
    assert_eq!(failures.len(), 3, "{failures:?}");
    assert!(
        failures[0].contains("example is not made of valid records"),
        "{failures:?}"
    );
    assert!(failures[0].contains("schema-violation"), "{failures:?}");
    assert!(failures[1].contains("still gives:"), "{failures:?}");
    assert!(
        failures[2].contains("fixed example is not made of valid records"),
        "{failures:?}"
    );
    // The rule's own integrity finding is what its example is for.
    assert!(!check_example(&invalid, RuleId::SchemaViolation)[0].contains("example is not made"));

    assert_eq!(
        own_tests_problem(id, "fn check() {}\n"),
        Some("has no `#[cfg(test)] mod tests`")
    );
    assert_eq!(
        own_tests_problem(id, "#[cfg(test)]\nmod tests {\n    fn helper() {}\n}\n"),
        Some("has a test module without a `#[test]`")
    );
    assert_eq!(
        own_tests_problem(
            id,
            "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n"
        ),
        Some("has tests, but none names the rule")
    );
    assert_eq!(
        own_tests_problem(
            id,
            "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { check_rule(\"risk-owner-missing\", \"2025-01-01\"); }\n}\n"
        ),
        None
    );
}

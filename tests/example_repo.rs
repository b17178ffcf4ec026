//! The bundled example, checked on three days: the day it is clean, a day
//! when deadlines fall due around the year end, and years later when the
//! whole ISMS has lapsed. The exact findings are pinned.

use isms_core::{check, load, testing, CheckOptions, DirSource, LoadOptions};

fn findings(as_of: &str) -> String {
    let source =
        DirSource::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/isms-repo")).unwrap();
    let repo = load(&source, &LoadOptions::default()).unwrap();
    let report = check(
        repo,
        &CheckOptions {
            as_of: as_of.parse().unwrap(),
            horizon: None,
        },
    );
    let mut lines = testing::lines(&report, |_| true);
    lines.push(format!("{:?}", report.counts()));
    lines.join("\n")
}

#[test]
fn clean_on_its_stated_date() {
    insta::assert_snapshot!(findings("2026-11-30"), @"Counts { errors: 0, warnings: 0, notes: 0, waived: 0 }");
}

#[test]
fn deadlines_around_the_year_end() {
    insta::assert_snapshot!(findings("2026-12-20"));
}

#[test]
fn years_later_everything_has_lapsed() {
    insta::assert_snapshot!(findings("2030-01-01"));
}

/// The README's first command, as a new user runs it from a clone: through
/// git (the example is tracked in this repository), with every rule on.
#[test]
fn the_readme_command_is_clean() {
    let out = assert_cmd::Command::cargo_bin("isms-lint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "examples/isms-repo",
            "--as-of",
            "2026-11-30",
            "--fail-on",
            "note",
        ])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("No problems in 327 records from 132 files, as of 2026-11-30."),
        "{stdout}"
    );
}

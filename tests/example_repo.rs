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

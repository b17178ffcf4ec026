//! The loader and every rule over one record: no panic, and every finding
//! inside its file. The first byte picks where the record lives (a YAML
//! record, a Markdown document, a waivers file).
#![no_main]

use chrono::NaiveDate;
use isms_core::testing::MemorySource;
use isms_core::{check, load, CheckOptions, LoadOptions};
use libfuzzer_sys::fuzz_target;

const PLACES: [&str; 6] = [
    "risks/r.yaml",
    "actions/log.yaml",
    "audits/a.yaml",
    "policies/p.md",
    "soa.yaml",
    "waivers.yaml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, record)) = data.split_first() else {
        return;
    };
    let mut source = MemorySource::new();
    source.insert(
        "isms.yaml",
        "organisation:\n  name: Fuzz Ltd\nwaivers-file: waivers.yaml\n",
    );
    source.insert(PLACES[usize::from(pick) % PLACES.len()], record.to_vec());
    let Ok(repo) = load(&source, &LoadOptions::default()) else {
        return;
    };
    let report = check(
        repo,
        &CheckOptions {
            as_of: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            horizon: None,
        },
    );
    for f in &report.findings {
        let file = &report.repo.files[f.file.0 as usize];
        assert!(f.span.end <= file.text.len(), "{f:?}");
        assert!(file.text.is_char_boundary(f.span.start), "{f:?}");
    }
});

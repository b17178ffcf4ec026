//! The manifest: any `isms.yaml` is read or refused without a panic, and a
//! check of the repository it describes finishes.
#![no_main]

use chrono::NaiveDate;
use isms_core::testing::MemorySource;
use isms_core::{check, load, CheckOptions, LoadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut source = MemorySource::new();
    source.insert("isms.yaml", data.to_vec());
    source.insert(
        "risks/r.yaml",
        "kind: risk\nid: RISK-1\ntitle: Laptop theft\nowner: CISO\nidentified: 2025-01-01\nreviewed: 2025-06-01\n",
    );
    source.insert("waivers.yaml", "waivers: []\n");
    let Ok(repo) = load(&source, &LoadOptions::default()) else {
        return;
    };
    let _ = check(
        repo,
        &CheckOptions {
            as_of: NaiveDate::from_ymd_opt(2025, 6, 30).unwrap(),
            horizon: None,
        },
    );
});

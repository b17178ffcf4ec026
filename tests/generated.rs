//! Generated files must match the code that generates them: the JSON Schemas
//! in `schemas/` and the rule documentation in `docs/rules/`.
//!
//! After changing a model type or a rule's docs, regenerate with
//! `UPDATE_GENERATED=1 cargo test --test generated`.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn check_dir(dir: &str, expected: Vec<(String, String)>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let update = std::env::var_os("UPDATE_GENERATED").is_some();
    if update {
        fs::create_dir_all(&dir).unwrap();
        for entry in fs::read_dir(&dir).unwrap() {
            fs::remove_file(entry.unwrap().path()).unwrap();
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &expected {
        let path = dir.join(name);
        if update {
            fs::write(&path, text).unwrap();
        } else if fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    let wanted: BTreeSet<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
    let extra: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !wanted.contains(n.as_str()))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "{} is out of date (stale: {stale:?}, not generated: {extra:?}); run `UPDATE_GENERATED=1 cargo test --test generated`",
        dir.display()
    );
}

#[test]
fn schemas_are_up_to_date() {
    let expected = isms_core::schema::all()
        .into_iter()
        .map(|(name, doc)| {
            let mut text = serde_json::to_string_pretty(&doc).unwrap();
            text.push('\n');
            (name, text)
        })
        .collect();
    check_dir("schemas", expected);
}

#[test]
fn rule_docs_are_up_to_date() {
    check_dir("docs/rules", isms_core::rules::docs());
}

//! The JSON Schemas work offline: no `$id` and no `$ref` that a validator
//! would resolve against a network address, when the files are used from a
//! checkout (or copied anywhere). When `check-jsonschema` is installed, it
//! validates the example repository with them, every proxy pointing at a
//! closed port so that any fetch fails.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schemas() -> Vec<(PathBuf, Value)> {
    let mut out: Vec<(PathBuf, Value)> = fs::read_dir(root().join("schemas"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let v = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
            (p, v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 12, "{out:?}");
    out
}

/// Every `$id` and `$ref` in a schema, with its JSON pointer.
fn keywords(v: &Value, at: &str, out: &mut Vec<(String, String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let here = format!("{at}/{k}");
                match (k.as_str(), child) {
                    ("$id" | "$ref" | "$dynamicRef" | "$anchor", Value::String(s)) => {
                        out.push((k.clone(), s.clone(), here));
                    }
                    _ => keywords(child, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                keywords(item, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn schemas_have_no_id_and_only_local_references_that_resolve() {
    for (path, doc) in schemas() {
        let name = path.file_name().unwrap().to_string_lossy();
        let mut found = Vec::new();
        keywords(&doc, "", &mut found);
        let mut refs = 0;
        for (keyword, value, at) in found {
            assert_eq!(keyword, "$ref", "{name}: {keyword} {value:?} at {at}");
            let pointer = value
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("{name}: `$ref: {value}` at {at} leaves the document"));
            assert!(
                doc.pointer(pointer).is_some(),
                "{name}: `$ref: {value}` at {at} points at nothing"
            );
            refs += 1;
        }
        assert!(refs > 0, "{name}: the generated schemas use `$defs`");
        // The meta-schema is named, and known to every validator without a fetch.
        assert_eq!(
            doc["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
    }
}

/// `check-jsonschema`, if installed, with every proxy variable pointing at a
/// closed port: any attempt to fetch a schema fails the run.
fn check_jsonschema() -> Option<Command> {
    let ok = Command::new("check-jsonschema")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("check-jsonschema is not installed: only the documents are checked");
        return None;
    }
    let mut cmd = Command::new("check-jsonschema");
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        cmd.env(var, "http://127.0.0.1:9");
    }
    cmd.env_remove("NO_PROXY").env_remove("no_proxy");
    // Its cache must not stand in for the network.
    cmd.arg("--no-cache");
    Some(cmd)
}

#[test]
fn check_jsonschema_validates_the_example_offline() {
    let Some(_) = check_jsonschema() else {
        return;
    };
    let example = root().join("examples/isms-repo");
    let schema_dir = root().join("schemas");
    let run = |args: &[&Path]| {
        let mut cmd = check_jsonschema().unwrap();
        let out = cmd.current_dir(&example).args(args).output().unwrap();
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };

    let metaschema: Vec<PathBuf> = schemas().into_iter().map(|(p, _)| p).collect();
    let mut args: Vec<&Path> = vec![Path::new("--check-metaschema")];
    args.extend(metaschema.iter().map(PathBuf::as_path));
    let (ok, out) = run(&args);
    assert!(ok, "{out}");

    let manifest = schema_dir.join("manifest.schema.json");
    let (ok, out) = run(&[Path::new("--schemafile"), &manifest, Path::new("isms.yaml")]);
    assert!(ok, "{out}");

    // Every YAML record (Markdown front matter is isms-lint's to read).
    let mut records: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![example.clone()];
    while let Some(dir) = dirs.pop() {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("isms.yaml") {
                records.push(p);
            }
        }
    }
    records.sort();
    assert!(records.len() > 20, "{records:?}");
    let record = schema_dir.join("record.schema.json");
    let mut args: Vec<&Path> = vec![Path::new("--schemafile"), &record];
    args.extend(records.iter().map(PathBuf::as_path));
    let (ok, out) = run(&args);
    assert!(ok, "{out}");

    // The same schema rejects what isms-lint rejects: the run validated.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("risk.yaml");
    fs::write(&bad, "kind: risk\nid: RISK-1\ntitle: T\ncolour: red\n").unwrap();
    let (ok, out) = run(&[Path::new("--schemafile"), &record, &bad]);
    assert!(!ok, "{out}");
    assert!(out.contains("colour"), "{out}");
}

//! Generating the schemas from the model types and the rule registry.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

use crate::model::{self, Kind};
use crate::rules::{registry, OptionKind};

pub(crate) fn generate<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut v = generator.into_root_schema_for::<T>().to_value();
    tighten(&mut v);
    v
}

/// Post-process generated schemas:
/// - optional values are simply absent when empty (the loader drops empty
///   values), so `null` is not offered as a type;
/// - objects accept only their declared keys, plus extension keys `x-…`.
fn tighten(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let t = types.remove(0);
                    map.insert("type".into(), t);
                }
            }
            if let Some(Value::Array(any)) = map.get("anyOf") {
                let non_null: Vec<Value> = any
                    .iter()
                    .filter(|s| s.get("type") != Some(&json!("null")))
                    .cloned()
                    .collect();
                if non_null.len() == 1 && any.len() == 2 {
                    map.remove("anyOf");
                    if let Value::Object(inner) = &non_null[0] {
                        for (k, val) in inner {
                            map.entry(k.clone()).or_insert(val.clone());
                        }
                    }
                }
            }
            if map.get("enum").is_some() {
                if let Some(Value::Array(e)) = map.get_mut("enum") {
                    e.retain(|x| !x.is_null());
                }
            }
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), json!(false));
                map.insert("patternProperties".into(), json!({"^x-": true}));
            }
            for (_, child) in map.iter_mut() {
                tighten(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tighten),
        _ => {}
    }
}

pub(crate) fn record_schema_of(kind: Kind) -> Value {
    match kind {
        Kind::Policy => generate::<model::Policy>(),
        Kind::StatementOfApplicability => generate::<model::StatementOfApplicability>(),
        Kind::Risk => generate::<model::Risk>(),
        Kind::Audit => generate::<model::Audit>(),
        Kind::ManagementReview => generate::<model::ManagementReview>(),
        Kind::CorrectiveAction => generate::<model::CorrectiveAction>(),
        Kind::AwarenessActivity => generate::<model::AwarenessActivity>(),
        Kind::People => generate::<model::People>(),
        Kind::ControlActivity => generate::<model::ControlActivity>(),
        Kind::ControlPerformance => generate::<model::ControlPerformance>(),
        Kind::Supplier => generate::<model::Supplier>(),
        Kind::LegalRequirement => generate::<model::LegalRequirement>(),
    }
}

/// The schema of a file of one kind: a single record, or a register of
/// records under `entries:`.
pub fn kind_schema(kind: Kind) -> Value {
    let mut record = record_schema_of(kind);
    let obj = record.as_object_mut().expect("object schema");
    let mut defs = match obj.remove("$defs") {
        Some(Value::Object(d)) => d,
        _ => Map::new(),
    };
    let title = obj.remove("title").unwrap_or_else(|| json!(kind.title()));
    let description = obj.remove("description").unwrap_or(json!(""));
    obj.remove("$schema");
    let kind_prop = json!({
        "const": kind.as_str(),
        "description": format!("The kind of record: `{}`.", kind.as_str())
    });
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        let mut with_kind = Map::new();
        with_kind.insert("kind".into(), kind_prop.clone());
        with_kind.extend(std::mem::take(props));
        *props = with_kind;
    }
    let def_name = def_name(kind);
    defs.insert(def_name.clone(), record);
    defs.insert(
        "Register".into(),
        json!({
            "type": "object",
            "description": format!("A register: several records of kind `{}` in one file.", kind.as_str()),
            "properties": {
                "kind": kind_prop,
                "title": {"type": "string", "description": "The register's title."},
                "description": {"type": "string", "description": "What the register holds."},
                "owner": {"type": "string", "description": "Who keeps the register."},
                "entries": {
                    "type": "array",
                    "description": "The records.",
                    "items": {"$ref": format!("#/$defs/{def_name}")}
                }
            },
            "required": ["kind", "entries"],
            "additionalProperties": false,
            "patternProperties": {"^x-": true}
        }),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": format!("{} One record per file, or a register of them under `entries:`.", description.as_str().unwrap_or("")),
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"const": kind.as_str()}},
        "if": {"required": ["entries"]},
        "then": {"$ref": "#/$defs/Register"},
        "else": {"$ref": format!("#/$defs/{def_name}"), "required": ["kind"]},
        "$defs": defs
    })
}

fn def_name(kind: Kind) -> String {
    kind.title().replace(' ', "")
}

/// A schema for any record file: dispatches on `kind`. Useful as a single
/// editor association for a whole directory.
///
/// Self-contained: each kind's schema is embedded under `$defs`, with its
/// own references rewritten to point into it, so that a validator never
/// has to fetch (or even find) another file.
pub fn record_dispatch() -> Value {
    let mut defs = Map::new();
    let all_of: Vec<Value> = Kind::ALL
        .iter()
        .map(|k| {
            let name = k.as_str();
            let mut schema = kind_schema(*k);
            if let Some(obj) = schema.as_object_mut() {
                obj.remove("$schema");
            }
            rebase_refs(&mut schema, &format!("#/$defs/{name}"));
            defs.insert(name.to_owned(), schema);
            json!({
                "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
                "then": {"$ref": format!("#/$defs/{name}")}
            })
        })
        .collect();
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ISMS record",
        "description": "Any isms-lint record file; its `kind` selects the schema.",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": kinds, "description": "The kind of record."}},
        "allOf": all_of,
        "$defs": defs
    })
}

/// Make the local references of a schema (`#/…`) point into it where it is
/// embedded, at `base` (`#/$defs/risk`).
fn rebase_refs(v: &mut Value, base: &str) {
    match v {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(r) if key == "$ref" => {
                        let local = r
                            .strip_prefix('#')
                            .expect("schemas refer only to themselves");
                        *r = format!("{base}{local}");
                    }
                    _ => rebase_refs(child, base),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rebase_refs(i, base)),
        _ => {}
    }
}

/// The manifest schema, with `lint.rules` generated from the rule registry so
/// that editors complete rule names and options.
pub fn manifest() -> Value {
    let mut v = generate::<model::Manifest>();
    let mut rules = Map::new();
    for rule in registry() {
        let m = rule.meta();
        let mut props = Map::new();
        props.insert(
            "severity".into(),
            json!({"enum": ["error", "warning", "note", "off"], "description": severity_description(m)}),
        );
        for o in m.options {
            props.insert(
                o.name.into(),
                option_schema(
                    o.kind,
                    &format!("{} Default `{}`.", o.description(), o.default),
                ),
            );
        }
        if m.deadlines {
            props.insert(
                "horizon".into(),
                option_schema(
                    OptionKind::Interval,
                    "How long before a deadline to warn about it.",
                ),
            );
        }
        rules.insert(
            m.name().into(),
            json!({
                "description": format!("{} ({}).", m.summary, m.clause),
                "anyOf": [
                    {"enum": ["error", "warning", "note", "off"]},
                    {"type": "object", "properties": props, "additionalProperties": false}
                ]
            }),
        );
    }
    let lint = v
        .pointer_mut("/$defs/LintSettings/properties")
        .and_then(Value::as_object_mut)
        .expect("LintSettings is generated");
    lint.insert(
        "rules".into(),
        json!({
            "type": "object",
            "description": "Per-rule settings: a level (`off`, `error`, `warning`, `note`) or a mapping with `severity` and the rule's options.",
            "properties": rules,
            "additionalProperties": false
        }),
    );
    v
}

fn severity_description(m: &crate::rules::RuleMeta) -> String {
    if m.id.can_be_turned_off() {
        format!(
            "Severity of `{}` findings, or `off`. Default `{}`.",
            m.name(),
            m.default_severity
        )
    } else {
        format!(
            "Severity of `{}` findings. Default `{}`. An integrity rule cannot be turned off.",
            m.name(),
            m.default_severity
        )
    }
}

fn option_schema(kind: OptionKind, description: &str) -> Value {
    match kind {
        OptionKind::Interval => json!({
            "type": "string", "pattern": crate::interval::INTERVAL_PATTERN, "description": description
        }),
        OptionKind::Integer => json!({"type": "integer", "minimum": 0, "description": description}),
        OptionKind::Number => json!({"type": "number", "minimum": 0, "description": description}),
        OptionKind::Boolean => json!({"type": "boolean", "description": description}),
        OptionKind::Phrases { keys } => {
            let phrases = json!({
                "anyOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "array", "items": {"type": "string", "minLength": 1}}
                ]
            });
            let props: Map<String, Value> = keys
                .iter()
                .map(|k| ((*k).to_owned(), phrases.clone()))
                .collect();
            json!({
                "type": "object",
                "properties": props,
                "additionalProperties": false,
                "description": description
            })
        }
    }
}

/// Schema of the file named by `waivers-file` in the manifest.
pub fn waivers() -> Value {
    generate::<model::WaiversFile>()
}

/// Schema of `isms-lint check --format json`.
pub fn report() -> Value {
    // The report is written, never read: describe it as serialised, where a
    // field left out when empty (`related`, `help`) is optional.
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut v = generator
        .into_root_schema_for::<crate::report::JsonReport>()
        .to_value();
    tighten(&mut v);
    v
}

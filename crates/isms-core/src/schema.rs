//! JSON Schemas (draft 2020-12): generated from the model types, embedded,
//! compiled once, and turned into findings a non-programmer can act on.
//!
//! `isms-lint schema --out schemas` writes the same documents that validation
//! uses; a test keeps the committed `schemas/` in step with the code.
//! Records are validated as they were parsed, without converting them to
//! JSON first (see [`crate::instance`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::NaiveDate;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

use crate::instance::{Instance, Yaml};
use crate::model::{self, Kind};
use crate::rules::{registry, OptionKind, RuleId};
use crate::source::Span;
use crate::text;
use crate::yaml::{Node, Seg};

/// Validators read the YAML tree in place (see [`crate::instance`]).
type Validator = jsonschema::Validator<Yaml>;

/// Where the published schemas live; also their `$id` base.
pub const SCHEMA_BASE: &str = "https://raw.githubusercontent.com/isms-lint/isms-lint/main/schemas/";

/// File name of a kind's schema, such as `risk.schema.json`.
pub fn file_name(kind: Kind) -> String {
    format!("{}.schema.json", kind.as_str())
}

pub const MANIFEST_FILE: &str = "manifest.schema.json";
pub const RECORD_FILE: &str = "record.schema.json";
pub const REPORT_FILE: &str = "report.schema.json";
pub const WAIVERS_FILE: &str = "waivers.schema.json";

/// Every published schema, as (file name, document), in a stable order.
pub fn all() -> Vec<(String, Value)> {
    let mut out = vec![(MANIFEST_FILE.to_owned(), manifest())];
    for kind in Kind::ALL {
        out.push((file_name(kind), kind_schema(kind)));
    }
    out.push((WAIVERS_FILE.to_owned(), waivers()));
    out.push((RECORD_FILE.to_owned(), record_dispatch()));
    out.push((REPORT_FILE.to_owned(), report()));
    out
}

fn generate<T: JsonSchema>() -> Value {
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

fn record_schema_of(kind: Kind) -> Value {
    match kind {
        Kind::Policy => generate::<model::Policy>(),
        Kind::StatementOfApplicability => generate::<model::StatementOfApplicability>(),
        Kind::Risk => generate::<model::Risk>(),
        Kind::Audit => generate::<model::Audit>(),
        Kind::ManagementReview => generate::<model::ManagementReview>(),
        Kind::CorrectiveAction => generate::<model::CorrectiveAction>(),
        Kind::AwarenessActivity => generate::<model::AwarenessActivity>(),
        Kind::People => generate::<model::People>(),
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
        "$id": format!("{SCHEMA_BASE}{}", file_name(kind)),
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
pub fn record_dispatch() -> Value {
    let all_of: Vec<Value> = Kind::ALL
        .iter()
        .map(|k| {
            json!({
                "if": {"properties": {"kind": {"const": k.as_str()}}, "required": ["kind"]},
                "then": {"$ref": file_name(*k)}
            })
        })
        .collect();
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("{SCHEMA_BASE}{RECORD_FILE}"),
        "title": "ISMS record",
        "description": "Any isms-lint record file; its `kind` selects the schema.",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": kinds, "description": "The kind of record."}},
        "allOf": all_of
    })
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
            json!({"enum": ["error", "warning", "note", "off"], "description": format!("Severity of `{}` findings, or `off`. Default `{}`.", m.name(), m.default_severity)}),
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
    if let Some(obj) = v.as_object_mut() {
        obj.insert("$id".into(), json!(format!("{SCHEMA_BASE}{MANIFEST_FILE}")));
    }
    v
}

fn option_schema(kind: OptionKind, description: &str) -> Value {
    match kind {
        OptionKind::Interval => json!({
            "type": "string", "pattern": crate::interval::INTERVAL_PATTERN, "description": description
        }),
        OptionKind::Integer => json!({"type": "integer", "minimum": 0, "description": description}),
        OptionKind::Number => json!({"type": "number", "minimum": 0, "description": description}),
        OptionKind::Boolean => json!({"type": "boolean", "description": description}),
    }
}

/// Schema of the file named by `waivers-file` in the manifest.
pub fn waivers() -> Value {
    let mut v = generate::<model::WaiversFile>();
    if let Some(obj) = v.as_object_mut() {
        obj.insert("$id".into(), json!(format!("{SCHEMA_BASE}{WAIVERS_FILE}")));
    }
    v
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
    if let Some(obj) = v.as_object_mut() {
        obj.insert("$id".into(), json!(format!("{SCHEMA_BASE}{REPORT_FILE}")));
    }
    v
}

/// Compiled validators, built once per process.
pub struct Validators {
    manifest: Validator,
    waivers: Validator,
    waivers_doc: Value,
    kinds: HashMap<Kind, Validator>,
    documents: HashMap<Kind, Value>,
    manifest_doc: Value,
}

/// The result of a scoped thread, passing its panic on.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

pub fn validators() -> &'static Validators {
    static V: OnceLock<Validators> = OnceLock::new();
    V.get_or_init(|| {
        let compile = |schema: &Value| {
            jsonschema::options_for::<Yaml>()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(schema)
                .expect("embedded schemas are valid")
        };
        // A few milliseconds at the start of every run: compiled in
        // parallel, on threads of their own. Not on rayon's: a rayon worker
        // waiting here could pick up a task that needs these validators and
        // wait for this very initialisation, forever.
        let (manifest_and_waivers, compiled) = std::thread::scope(|scope| {
            let kinds: Vec<_> = Kind::ALL
                .map(|kind| {
                    scope.spawn(move || {
                        let doc = kind_schema(kind);
                        let v = compile(&doc);
                        (kind, doc, v)
                    })
                })
                .into();
            let waivers = scope.spawn(|| {
                let doc = waivers();
                let v = compile(&doc);
                (doc, v)
            });
            let doc = manifest();
            let v = compile(&doc);
            let compiled: Vec<(Kind, Value, Validator)> = kinds.into_iter().map(join).collect();
            (((doc, v), join(waivers)), compiled)
        });
        let ((manifest_doc, manifest), (waivers_doc, waivers)) = manifest_and_waivers;
        let mut kinds = HashMap::new();
        let mut documents = HashMap::new();
        for (kind, doc, v) in compiled {
            kinds.insert(kind, v);
            documents.insert(kind, doc);
        }
        Validators {
            manifest,
            waivers,
            waivers_doc,
            manifest_doc,
            kinds,
            documents,
        }
    })
}

/// A schema problem, located and worded for people.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaError {
    /// `invalid-date` for dates that do not exist or are not written
    /// YYYY-MM-DD; `schema-violation` otherwise.
    pub rule: RuleId,
    pub message: String,
    pub span: Span,
    /// Path of the offending value, such as `entries/3/due`.
    pub path: Vec<String>,
    /// Whether the value should be left out when reading the typed record.
    pub prune: bool,
}

/// What a document is validated as.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Manifest,
    /// The file named by the manifest's `waivers-file`.
    Waivers,
    Kind(Kind),
}

/// Validate a document; every error located in `doc`.
pub fn validate(target: Target, doc: &Node) -> Vec<SchemaError> {
    let v = validators();
    let (validator, schema_doc, what) = match target {
        Target::Manifest => (&v.manifest, &v.manifest_doc, "the manifest"),
        Target::Waivers => (&v.waivers, &v.waivers_doc, "the waivers file"),
        Target::Kind(k) => (&v.kinds[&k], &v.documents[&k], k.with_article()),
    };
    // The tree itself is the instance (see `instance`): nothing is
    // converted. Most records are valid: answering that alone is cheaper
    // than collecting errors.
    let instance = Instance(doc);
    if validator.is_valid(instance) {
        return Vec::new();
    }
    let mut out: Vec<SchemaError> = Vec::new();
    for err in validator.iter_errors(instance) {
        let path: Vec<String> = err
            .instance_path()
            .as_str()
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        let segs = segments(doc, &path);
        let node = doc.at(segs.iter().copied());
        let value_span = doc.locate(segs.iter().copied());
        let field = field_name(&path);
        let found = node.map(describe).unwrap_or_default();
        let schema_path = err.schema_path().as_str().to_owned();
        let (rule, message, span, prune) = match err.kind() {
            ValidationErrorKind::Required { property } => {
                let prop = property.as_str().unwrap_or_default();
                let (span, msg) = match node.and_then(|n| n.entry(prop)) {
                    // Present but empty.
                    Some(e) => (e.key.span, format!("`{prop}` is empty: give it a value")),
                    None => (
                        node.map(head_span).unwrap_or(value_span),
                        format!("`{prop}` is missing: {what} needs it"),
                    ),
                };
                (RuleId::SchemaViolation, msg, span, false)
            }
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let known = known_properties(schema_doc, &schema_path);
                for key in unexpected {
                    let span = node
                        .and_then(|n| n.key_span(key))
                        .unwrap_or(value_span);
                    let mut p = path.clone();
                    p.push(key.clone());
                    if path == ["lint", "rules"] {
                        let hint = crate::rules::suggest(key)
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default();
                        out.push(SchemaError {
                            rule: RuleId::SchemaViolation,
                            message: format!(
                                "there is no rule `{key}`{hint} (`isms-lint rules` lists them)"
                            ),
                            span,
                            path: p,
                            prune: false,
                        });
                        continue;
                    }
                    let hint = match text::closest(key, known.iter().map(String::as_str)) {
                        _ if key == "<<" => "; merge keys (`<<: *anchor`) are not part of YAML 1.2: write the keys out".to_owned(),
                        Some(s) => format!("; did you mean `{s}`?"),
                        None if known.is_empty() => String::new(),
                        None => format!(
                            " (known keys: {}; add `x-` in front of your own keys)",
                            known.join(", ")
                        ),
                    };
                    out.push(SchemaError {
                        rule: RuleId::SchemaViolation,
                        message: format!("unknown key `{key}` in {}{hint}", in_what(&path, what)),
                        span,
                        path: p,
                        prune: false,
                    });
                }
                continue;
            }
            ValidationErrorKind::Enum { options } => {
                let opts: Vec<String> = options
                    .as_array()
                    .map(|a| a.iter().map(plain).collect())
                    .unwrap_or_default();
                let hint = node
                    .and_then(Node::as_text)
                    .and_then(|t| text::closest(t, opts.iter().map(String::as_str)))
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                (
                    RuleId::SchemaViolation,
                    format!(
                        "`{field}` must be one of {} — found {found}{hint}",
                        text::list_or(&opts)
                    ),
                    value_span,
                    true,
                )
            }
            ValidationErrorKind::Constant { expected_value } => (
                RuleId::SchemaViolation,
                format!("`{field}` must be {} — found {found}", plain(expected_value)),
                value_span,
                true,
            ),
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => type_name(&format!("{t:?}")),
                    TypeKind::Multiple(ts) => {
                        let names: Vec<String> = ts
                            .into_iter()
                            .map(|t| type_name(&format!("{t:?}")))
                            .collect();
                        text::list_or(&names)
                    }
                };
                (
                    RuleId::SchemaViolation,
                    format!("`{field}` must be {expected} — found {found}"),
                    value_span,
                    true,
                )
            }
            ValidationErrorKind::Format { format } if format == "date" => {
                let written = node.and_then(Node::as_text).unwrap_or_default();
                (RuleId::InvalidDate, date_message(&field, written), value_span, true)
            }
            ValidationErrorKind::Pattern { pattern } => {
                let msg = if pattern == crate::interval::INTERVAL_PATTERN {
                    format!("`{field}` is not an interval — found {found}; write it like `6 months`, `30 days`, `1 year` or `P6M`")
                } else if pattern == model::NON_BLANK_PATTERN {
                    format!("`{field}` is blank: write it out")
                } else if pattern == model::ID_PATTERN {
                    format!("`{field}` is not a valid id — found {found}; use letters, digits and `. _ : / -`, starting with a letter or digit")
                } else {
                    format!("`{field}` does not have the expected form — found {found}")
                };
                (RuleId::SchemaViolation, msg, value_span, true)
            }
            ValidationErrorKind::Minimum { limit } | ValidationErrorKind::ExclusiveMinimum { limit } => (
                RuleId::SchemaViolation,
                format!("`{field}` must be at least {limit} — found {found}"),
                value_span,
                true,
            ),
            ValidationErrorKind::Maximum { limit } | ValidationErrorKind::ExclusiveMaximum { limit } => (
                RuleId::SchemaViolation,
                format!("`{field}` must be at most {limit} — found {found}"),
                value_span,
                true,
            ),
            ValidationErrorKind::MinLength { .. } => (
                RuleId::SchemaViolation,
                format!("`{field}` must not be empty"),
                value_span,
                true,
            ),
            ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => (
                RuleId::SchemaViolation,
                format!("`{field}` is not valid here — found {found}; see the schema for what {what} accepts"),
                value_span,
                true,
            ),
            _ => (
                RuleId::SchemaViolation,
                format!("`{field}`: {err}"),
                value_span,
                true,
            ),
        };
        out.push(SchemaError {
            rule,
            message,
            span,
            path,
            prune,
        });
    }
    // A value that fails both `then` and `else` style branches may be reported
    // twice; keep one finding per place and message.
    out.sort_by(|a, b| a.span.cmp(&b.span).then(a.message.cmp(&b.message)));
    out.dedup_by(|a, b| a.span == b.span && a.message == b.message);
    out
}

/// Turn a JSON pointer's parts into steps through the YAML tree: a number
/// is an index only where the tree has a list.
fn segments<'p>(doc: &Node, path: &'p [String]) -> Vec<Seg<'p>> {
    let mut node = Some(doc);
    path.iter()
        .map(|p| {
            let seg = match (node.and_then(Node::as_seq), p.parse::<usize>()) {
                (Some(_), Ok(i)) => Seg::Index(i),
                _ => Seg::Key(p),
            };
            node = node.and_then(|n| n.at([seg]));
            seg
        })
        .collect()
}

/// The first line of a mapping: its first key, where "`x` is missing" reads well.
fn head_span(n: &Node) -> Span {
    match n.as_map().and_then(|m| m.first()) {
        Some(e) => e.key.span,
        None => n.span,
    }
}

fn field_name(path: &[String]) -> String {
    match path.last() {
        None => "record".into(),
        Some(last) if last.parse::<usize>().is_ok() => {
            let parent = path.len().checked_sub(2).map(|i| path[i].as_str());
            format!(
                "{}[{}]",
                parent.unwrap_or("entries"),
                last.parse::<usize>().unwrap_or(0) + 1
            )
        }
        Some(last) => last.clone(),
    }
}

fn in_what(path: &[String], what: &str) -> String {
    match path.iter().rev().find(|p| p.parse::<usize>().is_err()) {
        Some(parent) if parent != "entries" => format!("`{parent}`"),
        _ => what.to_owned(),
    }
}

fn describe(n: &Node) -> String {
    match &n.value {
        crate::yaml::Value::Scalar(s) => {
            let t = if s.text.chars().count() > 40 {
                format!("{}…", s.text.chars().take(40).collect::<String>())
            } else {
                s.text.to_string()
            };
            format!("\"{t}\"")
        }
        crate::yaml::Value::Seq(_) => "a list".into(),
        crate::yaml::Value::Map(_) => "a mapping".into(),
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn type_name(t: &str) -> String {
    match t.to_ascii_lowercase().as_str() {
        "string" => "text".into(),
        "integer" => "a whole number".into(),
        "number" => "a number".into(),
        "boolean" => "true or false".into(),
        "array" => "a list".into(),
        "object" => "a mapping of keys to values".into(),
        "null" => "empty".into(),
        other => other.to_owned(),
    }
}

/// Why a date was rejected, in words.
pub fn date_message(field: &str, written: &str) -> String {
    let parts: Vec<&str> = written.split('-').collect();
    if let [y, m, d] = parts[..] {
        if y.len() == 4 && m.len() == 2 && d.len() == 2 {
            if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) {
                if (1..=12).contains(&m) {
                    let days = days_in_month(y, m);
                    let month = NaiveDate::from_ymd_opt(y, m, 1)
                        .map(|d| d.format("%B %Y").to_string())
                        .unwrap_or_default();
                    return format!(
                        "`{field}` is not a real date: {written} does not exist ({month} has {days} days)"
                    );
                } else if d > 0 {
                    return format!(
                        "`{field}` is not a real date: {written} has no month {m} (months run 01–12)"
                    );
                }
            }
        }
    }
    format!("`{field}` is not a date: found \"{written}\"; write dates as YYYY-MM-DD, such as 2025-03-31")
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(y, m, 1);
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => (b - a).num_days() as u32,
        _ => 31,
    }
}

/// The property names allowed where an `additionalProperties` error arose.
fn known_properties(schema: &Value, schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    let mut candidates = vec![parent.to_owned()];
    // Errors under `$ref` report the keyword path through the reference:
    // resolve the last `$ref` segment by hand.
    if let Some(pos) = parent.rfind("/$ref") {
        let before = &parent[..pos];
        if let Some(Value::String(r)) = schema.pointer(&format!("{before}/$ref")) {
            if let Some(ptr) = r.strip_prefix('#') {
                candidates.push(format!("{ptr}{}", &parent[pos + 5..]));
            }
        }
    }
    for c in candidates {
        if let Some(Value::Object(props)) = schema.pointer(&format!("{c}/properties")) {
            return props.keys().cloned().collect();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn check(kind: Kind, src: &str) -> (SourceFile, Vec<SchemaError>) {
        let f = SourceFile::new("t.yaml", src);
        let p = crate::yaml::parse(&f, &f.text.clone(), 1);
        let errs = validate(Target::Kind(kind), &p.documents[0]);
        (f, errs)
    }

    #[test]
    fn schemas_compile_and_are_valid_draft_2020_12() {
        for (name, doc) in all() {
            jsonschema::meta::validate(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        let _ = validators();
    }

    #[test]
    fn enum_errors_name_the_choices() {
        let (f, errs) = check(
            Kind::Audit,
            "kind: audit\nid: IA-1\ntitle: t\ntype: internal\nstatus: done\n",
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(
            errs[0].message,
            "`status` must be one of planned, completed or cancelled — found \"done\""
        );
        assert_eq!(f.slice(errs[0].span), "done");
    }

    #[test]
    fn impossible_dates_are_invalid_date() {
        let (f, errs) = check(
            Kind::CorrectiveAction,
            "kind: corrective-action\nentries:\n  - id: CA-1\n    title: t\n    status: open\n    due: 2025-02-30\n",
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].rule, "invalid-date");
        assert_eq!(f.slice(errs[0].span), "2025-02-30");
        assert!(
            errs[0].message.contains("February 2025 has 28 days"),
            "{}",
            errs[0].message
        );
        assert_eq!(errs[0].path, ["entries", "0", "due"]);
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let (f, errs) = check(
            Kind::Policy,
            "kind: policy\nid: P-1\ntitle: t\napprovedby: Board\nx-internal: fine\n",
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].message.contains("did you mean `approved-by`?"),
            "{}",
            errs[0].message
        );
        assert_eq!(f.slice(errs[0].span), "approvedby");
    }

    #[test]
    fn missing_keys_point_at_the_record() {
        let (f, errs) = check(Kind::Risk, "kind: risk\nid: R-1\n");
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].message, "`title` is missing: a risk needs it");
        assert_eq!(f.slice(errs[0].span), "kind");
    }

    #[test]
    fn date_messages() {
        assert_eq!(
            date_message("due", "2024-02-30"),
            "`due` is not a real date: 2024-02-30 does not exist (February 2024 has 29 days)"
        );
        assert!(date_message("due", "31/01/2025").contains("YYYY-MM-DD"));
        assert!(date_message("due", "2025-13-01").contains("no month 13"));
    }
}

//! Turning the validator's errors into findings worded for people: each
//! located at the offending key or value, naming the field, what was found
//! and what would be accepted.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

use super::SchemaError;
use crate::model;
use crate::rules::integrity::invalid_date::date_message;
use crate::rules::RuleId;
use crate::source::Span;
use crate::text;
use crate::yaml::{Node, Seg};

/// At most this many schema errors are worded per document; the rest are
/// counted in one last error. A record with a million unknown keys would
/// otherwise cost a million messages nobody reads.
pub const MAX_ERRORS: usize = 100;

/// Word every error of validating `doc` against `schema_doc`; `what` names
/// the document ("a risk", "the manifest").
pub(super) fn word<'e>(
    doc: &Node,
    errors: impl Iterator<Item = ValidationError<'e>>,
    schema_doc: &Value,
    what: &str,
) -> Vec<SchemaError> {
    let mut out: Vec<SchemaError> = Vec::new();
    // Errors past the cap, counted, not worded; and where the first was.
    let mut more = 0usize;
    let mut more_at: Option<Span> = None;
    for err in errors {
        if out.len() >= MAX_ERRORS {
            more += match err.kind() {
                ValidationErrorKind::AdditionalProperties { unexpected } => unexpected.len(),
                _ => 1,
            };
            continue;
        }
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
                // One pass over the mapping for every unknown key, not one
                // per key: a mapping can have a million.
                let spans = key_spans(node);
                for key in unexpected {
                    if out.len() >= MAX_ERRORS {
                        more += 1;
                        more_at.get_or_insert(spans.get(key.as_str()).copied().unwrap_or(value_span));
                        continue;
                    }
                    let span = spans.get(key.as_str()).copied().unwrap_or(value_span);
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
    if more > 0 {
        out.push(SchemaError {
            rule: RuleId::SchemaViolation,
            message: format!(
                "{more} more schema {} in {what} {} not listed: at most {MAX_ERRORS} are reported per document; fix these and check again",
                if more == 1 { "problem" } else { "problems" },
                if more == 1 { "is" } else { "are" }
            ),
            span: more_at.unwrap_or_else(|| out.last().map_or(doc.span, |e| e.span)),
            path: Vec::new(),
            prune: false,
        });
    }
    out
}

/// The span of each key of a mapping (the first, for a key written twice).
fn key_spans(node: Option<&Node>) -> std::collections::HashMap<&str, Span> {
    let mut spans = std::collections::HashMap::new();
    for e in node.and_then(Node::as_map).unwrap_or_default() {
        if let Some(k) = e.key.as_text() {
            spans.entry(k).or_insert(e.key.span);
        }
    }
    spans
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

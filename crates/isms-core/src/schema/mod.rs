//! JSON Schemas (draft 2020-12) of the evidence format: generated from the
//! model types ([`generate`]), compiled once ([`compile`]), and their errors
//! turned into findings a non-programmer can act on ([`messages`]).
//!
//! `isms-lint schema --out schemas` writes the same documents that validation
//! uses; a test keeps the committed `schemas/` in step with the code.
//! Records are validated as they were parsed, without converting them to
//! JSON first (see [`crate::instance`]).

mod compile;
pub(crate) mod generate;
pub mod messages;

pub use compile::{validators, Validators};
pub use generate::{kind_schema, manifest, record_dispatch, report, waivers};

use serde_json::Value;

use crate::instance::Instance;
use crate::model::Kind;
use crate::rules::RuleId;
use crate::source::Span;
use crate::yaml::Node;

// The schemas name no address: no `$id`, and every `$ref` is local to its
// document, so that a validator reading them from a checkout (or from
// wherever they were copied) never fetches anything.

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
    let (validator, schema_doc, what) = validators().of(target);
    // The tree itself is the instance (see `instance`): nothing is
    // converted. Most records are valid: answering that alone is cheaper
    // than collecting errors.
    let instance = Instance(doc);
    if validator.is_valid(instance) {
        return Vec::new();
    }
    messages::word(doc, validator.iter_errors(instance), schema_doc, what)
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
}

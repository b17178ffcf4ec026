//! The fields of each record kind that refer to something else: another
//! record by id, an Annex A control, an evidence file, a person.
//!
//! Derived from the model: a field whose type's schema carries the
//! [`REFERENCE_KEYWORD`] (see [`crate::model::Ref`], `ControlIdSchema`,
//! `LinkSchema`) is found here, so a reference field added to a model type is
//! checked by `broken-reference`, `unknown-control`, `unknown-person` and
//! `owner-left` without touching them.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

use crate::model::{Kind, REFERENCE_KEYWORD};

/// What a field refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// A record id; of that kind, or of any record or audit finding.
    Record(Option<Kind>),
    /// An Annex A control.
    Control,
    /// An evidence file or a URL.
    Link,
    /// A person: an owner, approver, auditor or performer, named by their
    /// id, name, email or role in the people roster.
    Person,
}

/// A field that holds references, as a path pattern into the record: keys,
/// and `*` for every item of a list (see [`crate::yaml::Node::matching`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub path: Vec<&'static str>,
    pub reference: Reference,
}

/// The reference fields of a kind of record.
pub fn of(kind: Kind) -> &'static [Field] {
    static ALL: OnceLock<HashMap<Kind, Vec<Field>>> = OnceLock::new();
    ALL.get_or_init(|| {
        Kind::ALL
            .iter()
            .map(|&k| {
                (
                    k,
                    from_schema(&crate::schema::generate::record_schema_of(k)),
                )
            })
            .collect()
    })[&kind]
        .as_slice()
}

/// The reference fields of a record type's schema, as generated from the
/// model (a root schema with its `$defs`).
pub fn from_schema(schema: &Value) -> Vec<Field> {
    let mut out = Vec::new();
    walk(schema, schema, &mut Vec::new(), &mut out, 0);
    out
}

/// Schemas nest a handful of levels; a recursive `$ref` stops here.
const MAX_DEPTH: usize = 16;

fn walk<'s>(
    root: &'s Value,
    schema: &'s Value,
    path: &mut Vec<&'s str>,
    out: &mut Vec<Field>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(obj) = schema.as_object() else {
        return;
    };
    if let Some(tag) = obj.get(REFERENCE_KEYWORD).and_then(Value::as_str) {
        let reference = match tag {
            "control" => Reference::Control,
            "link" => Reference::Link,
            "person" => Reference::Person,
            "any" => Reference::Record(None),
            kind => Reference::Record(Some(Kind::parse(kind).expect("reference tags name a kind"))),
        };
        out.push(Field {
            path: path.iter().map(|seg| intern(seg)).collect(),
            reference,
        });
        return;
    }
    if let Some(target) = obj.get("$ref").and_then(Value::as_str) {
        if let Some(def) = target.strip_prefix('#').and_then(|p| root.pointer(p)) {
            walk(root, def, path, out, depth + 1);
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for sub in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
            walk(root, sub, path, out, depth + 1);
        }
    }
    if let Some(items) = obj.get("items") {
        path.push("*");
        walk(root, items, path, out, depth + 1);
        path.pop();
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            path.push(name);
            walk(root, sub, path, out, depth + 1);
            path.pop();
        }
    }
}

/// Field names live as long as the process: there are a few dozen. Each is
/// kept once, in a table that holds it (so a leak checker sees it held, and
/// schemas read again add nothing).
fn intern(name: &str) -> &'static str {
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let names = names.get_or_insert_with(HashSet::new);
    if let Some(&known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(kind: Kind, reference: fn(Reference) -> bool) -> Vec<String> {
        let mut v: Vec<String> = of(kind)
            .iter()
            .filter(|f| reference(f.reference))
            .map(|f| f.path.join("."))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn references_come_from_the_model() {
        let ids = |r| matches!(r, Reference::Record(_));
        let controls = |r| r == Reference::Control;
        let links = |r| r == Reference::Link;
        assert_eq!(paths(Kind::CorrectiveAction, ids), ["source"]);
        assert_eq!(
            paths(Kind::Audit, ids),
            ["findings.*.actions.*", "scope.policies.*", "scope.risks.*"]
        );
        assert_eq!(
            paths(Kind::Audit, controls),
            ["findings.*.control", "scope.controls.*"]
        );
        assert_eq!(paths(Kind::Audit, links), ["report"]);
        assert_eq!(
            paths(Kind::StatementOfApplicability, ids),
            ["additional-controls.*.policies.*", "controls.*.policies.*"]
        );
        // An own control's id is a declaration; what it refines, a reference.
        assert_eq!(
            paths(Kind::StatementOfApplicability, controls),
            ["additional-controls.*.refines", "controls.*.control"]
        );
        assert_eq!(paths(Kind::People, links), ["people.*.training.*.evidence"]);
        let people = |r| r == Reference::Person;
        assert_eq!(
            paths(Kind::Audit, people),
            ["audit-team.*", "auditees.*", "auditor"]
        );
        assert_eq!(
            paths(Kind::StatementOfApplicability, people),
            ["approved-by", "controls.*.owner", "owner"]
        );
        assert_eq!(paths(Kind::Risk, people), ["acceptance.by", "owner"]);
        assert_eq!(paths(Kind::Policy, people), ["approved-by", "owner"]);
        assert_eq!(
            paths(Kind::CorrectiveAction, people),
            ["effectiveness.by", "owner"]
        );
        // An attendee is a name, or a mapping with a name.
        assert_eq!(
            paths(Kind::ManagementReview, people),
            ["attendees.*", "attendees.*.name", "decisions.*.owner"]
        );
        assert_eq!(paths(Kind::AwarenessActivity, people), ["attendees.*"]);
        assert_eq!(paths(Kind::People, people), Vec::<String>::new());
        // The kind a reference must name is the model's too.
        let audit = of(Kind::Audit);
        let scope_policies = audit
            .iter()
            .find(|f| f.path == ["scope", "policies", "*"])
            .unwrap();
        assert_eq!(
            scope_policies.reference,
            Reference::Record(Some(Kind::Policy))
        );
        // A record's own id is not a reference.
        assert!(Kind::ALL
            .iter()
            .all(|&k| of(k).iter().all(|f| f.path != ["id"])));
    }

    /// Field names are kept once, however often a schema is read: reading
    /// one leaked every property name it walked, found by the fuzzer's
    /// leak checker.
    #[test]
    fn field_names_are_kept_once() {
        let schema = crate::schema::generate::record_schema_of(Kind::Audit);
        let (a, b) = (from_schema(&schema), from_schema(&schema));
        assert!(!a.is_empty());
        for (x, y) in a.iter().zip(&b) {
            for (p, q) in x.path.iter().zip(&y.path) {
                assert!(std::ptr::eq(*p, *q), "{p} kept twice");
            }
        }
        assert!(std::ptr::eq(intern("fuzz-name"), intern("fuzz-name")));
    }
}

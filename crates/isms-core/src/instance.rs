//! The YAML tree as a JSON Schema instance.
//!
//! `jsonschema` validates any representation that answers its accessor
//! traits. Validating the span-keeping tree in place, instead of first
//! converting every record to a `serde_json::Value`, spares an allocation for
//! every key, string, list and mapping of the repository.
//!
//! The tree reads as [`Node::to_json`] would convert it, and tests hold the
//! two to the same answers:
//!
//! - plain scalars are typed by the YAML 1.2 core schema (`true`, `12`,
//!   `null`); quoted and block scalars are strings;
//! - a float that JSON cannot hold (`.nan`, `.inf`) is the text as written;
//! - a mapping's empty values are left out: `closed:` with nothing after it
//!   means the same as no `closed`;
//! - a key that is not a scalar reads as the empty string.

use std::borrow::Cow;

use jsonschema::json::{self, JsonNumber, NodeIdentity};
use jsonschema::JsonType;
use serde_json::Value as JsonValue;

use crate::yaml::{key_text, Entry, Node, Scalar, Typed, Value};

/// The representation: instances are nodes of the YAML tree.
pub struct Yaml;

impl json::Json for Yaml {
    type Node<'a> = Instance<'a>;
    type PreparedKey = String;
    type StringBuffer = Option<Node>;

    /// Lookups scan a mapping's entries: a pass over the members is cheaper
    /// than a few of them.
    const KEYS_PER_LOOKUP: usize = 4;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(
        buffer: &mut Option<Node>,
        string: &str,
        f: impl FnOnce(Instance<'_>) -> T,
    ) -> T {
        let node = buffer.insert(Node {
            span: crate::source::Span::at(0),
            value: Value::Scalar(Scalar {
                text: string.into(),
                plain: false,
            }),
        });
        f(Instance(node))
    }
}

/// A node of the tree, seen as JSON.
#[derive(Debug, Clone, Copy)]
pub struct Instance<'a>(pub &'a Node);

/// What a scalar is, as JSON.
enum JsonScalar<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(&'a str),
}

fn scalar(s: &Scalar) -> JsonScalar<'_> {
    match s.typed() {
        Typed::Null => JsonScalar::Null,
        Typed::Bool(b) => JsonScalar::Bool(b),
        Typed::Int(i) => JsonScalar::Number(Number::Int(i)),
        Typed::Float(f) if f.is_finite() => JsonScalar::Number(Number::Float(f)),
        // JSON has no NaN or infinity: the text as written.
        Typed::Float(_) => JsonScalar::String(&s.text),
        Typed::Str(t) => JsonScalar::String(t),
    }
}

impl<'a> Instance<'a> {
    /// The node as a JSON scalar, if it is a scalar.
    fn scalar(&self) -> Option<JsonScalar<'a>> {
        match &self.0.value {
            Value::Scalar(s) => Some(scalar(s)),
            _ => None,
        }
    }
}

impl<'a> json::Node<'a, Yaml> for Instance<'a> {
    type Object = Members<'a>;
    type Array = Items<'a>;
    type Number = Number;

    fn as_object(&self) -> Option<Members<'a>> {
        match &self.0.value {
            Value::Map(entries) => Some(Members(entries)),
            _ => None,
        }
    }

    fn as_array(&self) -> Option<Items<'a>> {
        match &self.0.value {
            Value::Seq(items) => Some(Items(items)),
            _ => None,
        }
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match self.scalar() {
            Some(JsonScalar::String(t)) => Some(Cow::Borrowed(t)),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<Number> {
        match self.scalar() {
            Some(JsonScalar::Number(n)) => Some(n),
            _ => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        match self.scalar() {
            Some(JsonScalar::Bool(b)) => Some(b),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        self.json_type() == JsonType::Null
    }

    fn json_type(&self) -> JsonType {
        match &self.0.value {
            Value::Scalar(s) => match scalar(s) {
                JsonScalar::Null => JsonType::Null,
                JsonScalar::Bool(_) => JsonType::Boolean,
                JsonScalar::Number(_) => JsonType::Number,
                JsonScalar::String(_) => JsonType::String,
            },
            Value::Seq(_) => JsonType::Array,
            Value::Map(_) => JsonType::Object,
        }
    }

    /// `const` and `enum` compare every kind, status and type: compare
    /// scalars without building a JSON value.
    fn equals_value(&self, expected: &JsonValue) -> bool {
        match &self.0.value {
            Value::Scalar(s) => match scalar(s) {
                JsonScalar::Null => expected.is_null(),
                JsonScalar::Bool(b) => expected.as_bool() == Some(b),
                JsonScalar::String(t) => expected.as_str() == Some(t),
                JsonScalar::Number(n) => {
                    json::cmp::equal(&JsonValue::Number(n.to_number().into_owned()), expected)
                }
            },
            _ => json::cmp::equal(&self.0.to_json(), expected),
        }
    }

    fn to_value(&self) -> Cow<'a, JsonValue> {
        Cow::Owned(self.0.to_json())
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(
            std::ptr::from_ref::<Node>(self.0) as usize
        ))
    }
}

/// A JSON number read from a plain scalar.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    Int(i64),
    /// Always finite.
    Float(f64),
}

impl JsonNumber for Number {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            Number::Int(i) => u64::try_from(i).ok(),
            Number::Float(_) => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            Number::Int(i) => Some(i),
            Number::Float(_) => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        Some(match *self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        })
    }

    fn as_str(&self) -> Cow<'_, str> {
        match *self {
            Number::Int(i) => Cow::Owned(i.to_string()),
            Number::Float(f) => Cow::Owned(f.to_string()),
        }
    }

    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        Cow::Owned(match *self {
            Number::Int(i) => serde_json::Number::from(i),
            Number::Float(f) => serde_json::Number::from_f64(f).expect("only finite floats"),
        })
    }

    fn is_written_as_integer(&self) -> bool {
        matches!(self, Number::Int(_))
    }
}

/// A mapping's entries with a value, as JSON members.
#[derive(Debug, Clone, Copy)]
pub struct Members<'a>(&'a [Entry]);

fn present(e: &Entry) -> bool {
    !e.value.is_null()
}

impl<'a> json::Object<'a, Yaml> for Members<'a> {
    type Node = Instance<'a>;
    type MemberName = &'a str;
    type MembersIter = MembersIter<'a>;

    fn len(&self) -> usize {
        self.0.iter().filter(|e| present(e)).count()
    }

    fn get(&self, key: &String) -> Option<Instance<'a>> {
        self.0
            .iter()
            .find(|e| key_text(&e.key) == key)
            .filter(|e| present(e))
            .map(|e| Instance(&e.value))
    }

    fn members(&self) -> MembersIter<'a> {
        MembersIter(self.0.iter())
    }
}

pub struct MembersIter<'a>(std::slice::Iter<'a, Entry>);

impl<'a> Iterator for MembersIter<'a> {
    type Item = (&'a str, Instance<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .by_ref()
            .find(|e| present(e))
            .map(|e| (key_text(&e.key), Instance(&e.value)))
    }
}

/// A list's items.
#[derive(Debug, Clone, Copy)]
pub struct Items<'a>(&'a [Node]);

impl<'a> json::Array<'a, Yaml> for Items<'a> {
    type Node = Instance<'a>;
    type ElementsIter = std::iter::Map<std::slice::Iter<'a, Node>, fn(&'a Node) -> Instance<'a>>;

    fn len(&self) -> usize {
        self.0.len()
    }

    fn elements(&self) -> Self::ElementsIter {
        self.0.iter().map(Instance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use serde_json::json;

    fn tree(text: &str) -> Node {
        let file = SourceFile::new("t.yaml", text);
        let mut parsed = crate::yaml::parse(&file, text, 1);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        parsed.documents.remove(0)
    }

    /// Validating the tree in place and validating its JSON conversion give
    /// the same answers and the same errors.
    fn same_answers(schema: &JsonValue, text: &str) {
        same_answers_on(schema, &tree(text), &text);
    }

    fn same_answers_on(schema: &JsonValue, node: &Node, text: &dyn std::fmt::Debug) {
        let on_tree = jsonschema::options_for::<Yaml>().build(schema).unwrap();
        let on_json = jsonschema::validator_for(schema).unwrap();
        let instance = node.to_json();
        assert_eq!(
            on_tree.is_valid(Instance(node)),
            on_json.is_valid(&instance),
            "{text:?}"
        );
        let errors = |errs: Vec<(String, String)>| {
            let mut errs = errs;
            errs.sort();
            errs
        };
        let tree_errors = errors(
            on_tree
                .iter_errors(Instance(node))
                .map(|e| (e.instance_path().to_string(), e.to_string()))
                .collect(),
        );
        let json_errors = errors(
            on_json
                .iter_errors(&instance)
                .map(|e| (e.instance_path().to_string(), e.to_string()))
                .collect(),
        );
        assert_eq!(tree_errors, json_errors, "{text:?}");
    }

    #[test]
    fn reads_like_its_json_conversion() {
        let schema = json!({
            "type": "object",
            "properties": {
                "id": {"type": "string", "pattern": "^[A-Z]+-[0-9]+$"},
                "status": {"enum": ["open", "closed"]},
                "kind": {"const": "risk"},
                "score": {"type": "integer", "minimum": 1, "maximum": 25},
                "ratio": {"type": "number", "exclusiveMaximum": 1},
                "flag": {"type": "boolean"},
                "due": {"type": "string", "format": "date"},
                "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
                "nested": {
                    "type": "object",
                    "required": ["a"],
                    "additionalProperties": false,
                    "properties": {"a": {"const": 1}}
                },
                "title": {"type": "string", "minLength": 3, "maxLength": 5}
            },
            "required": ["id", "status"],
            "propertyNames": {"pattern": "^[a-z]+$"},
            "additionalProperties": false
        });
        for text in [
            "id: R-1\nstatus: open\n",
            "id: R-1\nstatus: done\n",
            "id: r1\nstatus: open\nkind: risk\n",
            "id: R-1\nstatus: open\nkind: policy\nscore: 26\n",
            "id: R-1\nstatus: open\nscore: 2.0\nratio: 0.5\n",
            "id: R-1\nstatus: open\nscore: '3'\nratio: 1\n",
            "id: R-1\nstatus: open\nflag: yes\n",
            "id: R-1\nstatus: open\nflag: true\ndue: 2025-02-30\n",
            "id: R-1\nstatus: open\ndue: 2025-02-28\ntags: [a, b, a]\n",
            "id: R-1\nstatus: open\ntags: [a, 1, null]\n",
            "id: R-1\nstatus: open\nnested: {a: 1}\n",
            "id: R-1\nstatus: open\nnested: {a: 1.0, b: 2}\n",
            "id: R-1\nstatus: open\nnested: {}\n",
            "id: R-1\nstatus:\n",
            "id: R-1\nstatus: open\ntitle:\nscore:\n",
            "id: R-1\nstatus: open\ntitle: ab\n",
            "id: R-1\nstatus: open\ntitle: héllo\n",
            "id: R-1\nstatus: open\ntitle: héllo!\n",
            "id: R-1\nstatus: open\nBad_Key: 1\n",
            "id: R-1\nstatus: open\nratio: .nan\nscore: .inf\n",
            "id: 12\nstatus: \"open\"\nscore: 0x10\n",
            "- not\n- an object\n",
            "~\n",
        ] {
            same_answers(&schema, text);
        }
    }

    /// Every record of the example repository and of the bad-input
    /// fixtures, against its kind's schema.
    #[test]
    fn every_fixture_gets_the_same_answers() {
        use crate::markdown::{front_matter, FrontMatter};
        use crate::source_fs::{DirSource, FileSource};

        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut checked = 0;
        for dir in ["examples/isms-repo", "tests/fixtures"] {
            // Without `..` in it: the walk skips hidden names.
            let dir = std::fs::canonicalize(crate_dir.join("../..").join(dir)).unwrap();
            let source = DirSource::new(dir).unwrap();
            for listed in source.list().unwrap() {
                let Ok(bytes) = source.read(&listed.path, u64::MAX) else {
                    continue;
                };
                let Ok(text) = String::from_utf8(bytes) else {
                    continue; // not UTF-8: a fixture for the loader
                };
                let file = SourceFile::new(listed.path.as_str(), text);
                let (yaml, first_line) = if listed.path.ends_with(".md") {
                    match front_matter(&file) {
                        FrontMatter::Closed { yaml, .. } => (yaml, 2),
                        _ => continue,
                    }
                } else if listed.path.ends_with(".yaml") || listed.path.ends_with(".yml") {
                    (crate::source::Span::new(0, file.text.len()), 1)
                } else {
                    continue;
                };
                let parsed = crate::yaml::parse(&file, file.slice(yaml), first_line);
                for doc in &parsed.documents {
                    let Some(kind) = doc
                        .get("kind")
                        .and_then(Node::as_text)
                        .and_then(crate::model::Kind::parse)
                    else {
                        continue;
                    };
                    same_answers_on(&crate::schema::kind_schema(kind), doc, &listed.path);
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "only {checked} records were compared");
    }

    #[test]
    fn the_repository_schemas_give_the_same_answers() {
        // Every kind's schema, with a complete record and a broken one.
        let audit = crate::schema::kind_schema(crate::model::Kind::Audit);
        same_answers(
            &audit,
            "kind: audit\nid: IA-1\ntitle: t\ntype: internal\nstatus: done\ndate: 2025-13-01\nfindings:\n  - id: F-1\n    type: minor\n",
        );
        same_answers(
            &audit,
            "kind: audit\nid: IA-1\ntitle: Access control\ntype: internal\nstatus: completed\nplanned: 2025-03-01\ncompleted: 2025-03-02\nauditor: A. Person\n",
        );
    }
}

//! Compiling the embedded schemas into validators, once per process.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::generate::{kind_schema, manifest, waivers};
use super::Target;
use crate::instance::Yaml;
use crate::model::Kind;

/// Validators read the YAML tree in place (see [`crate::instance`]).
pub(super) type Validator = jsonschema::Validator<Yaml>;

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

impl Validators {
    /// The validator of a target, its schema document, and what to call the
    /// document in messages.
    pub(super) fn of(&self, target: Target) -> (&Validator, &Value, &'static str) {
        match target {
            Target::Manifest => (&self.manifest, &self.manifest_doc, "the manifest"),
            Target::Waivers => (&self.waivers, &self.waivers_doc, "the waivers file"),
            Target::Kind(k) => (&self.kinds[&k], &self.documents[&k], k.with_article()),
        }
    }
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

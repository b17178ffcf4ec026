//! Per-rule settings from `lint.rules` in `isms.yaml`.
//!
//! ```yaml
//! lint:
//!   rules:
//!     corrective-action-stale: off          # a level alone
//!     management-review-overdue:
//!       severity: warning                   # error, warning, note or off
//!       error-after: 9 months               # the rule's options
//! ```
//!
//! The manifest schema (generated from the registry) reports unknown rules,
//! unknown options and values of the wrong type; here we only read what is
//! well-formed.

use std::collections::{BTreeMap, HashMap};

use crate::finding::Severity;
use crate::source::Span;
use crate::yaml::Node;

/// A rule's level: off, or a severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            other => other.parse().ok().map(Level::On),
        }
    }
}

/// Settings of one rule.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub level: Option<Level>,
    pub options: BTreeMap<String, Node>,
    /// Where the rule's settings are written.
    pub span: Span,
}

/// Read `lint.rules` from the manifest.
pub fn rule_settings(manifest: &Node) -> HashMap<String, RuleSettings> {
    let mut out = HashMap::new();
    let Some(rules) = manifest.at(["lint", "rules"]).and_then(Node::as_map) else {
        return out;
    };
    for entry in rules {
        let Some(name) = entry.key.as_text() else {
            continue;
        };
        let mut settings = RuleSettings {
            span: entry.key.span,
            ..RuleSettings::default()
        };
        if let Some(level) = entry.value.as_text() {
            settings.level = Level::parse(level);
        } else if let Some(map) = entry.value.as_map() {
            for opt in map {
                let Some(key) = opt.key.as_text() else {
                    continue;
                };
                if key == "severity" {
                    settings.level = opt.value.as_text().and_then(Level::parse);
                } else {
                    settings.options.insert(key.to_owned(), opt.value.clone());
                }
            }
        }
        out.insert(name.to_owned(), settings);
    }
    out
}

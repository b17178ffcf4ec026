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

use std::collections::HashMap;

use crate::finding::Severity;
use crate::rules::{OptionKind, OptionValue, RuleId, HORIZON};
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

/// Settings of one rule, read once: the level and every option given with a
/// value of its declared type.
#[derive(Debug, Clone, Default)]
pub struct RuleSettings {
    pub level: Option<Level>,
    pub options: Vec<(&'static str, OptionValue)>,
    /// Where the rule's settings are written.
    pub span: Span,
}

impl RuleSettings {
    /// The value given for an option, if one of its type was given.
    pub fn option(&self, name: &str) -> Option<OptionValue> {
        self.options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }
}

/// Every rule's settings, by rule.
pub type Settings = HashMap<RuleId, RuleSettings>;

/// Read `lint.rules` from the manifest. Unknown rules, unknown options and
/// values of the wrong type are left out: the manifest schema reports them.
/// An integrity rule cannot be turned off from the repository: the setting
/// is refused, and `refused` gets where it is written.
pub fn rule_settings(manifest: &Node, refused: &mut Vec<(RuleId, Span)>) -> Settings {
    let mut out = HashMap::new();
    let Some(rules) = manifest.at(["lint", "rules"]).and_then(Node::as_map) else {
        return out;
    };
    for entry in rules {
        let Some(rule) = entry.key.as_text().and_then(RuleId::parse) else {
            continue;
        };
        let meta = rule.meta();
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
                    continue;
                }
                let declared = match meta.option(key) {
                    Some(o) => Some((o.name, o.kind)),
                    None if meta.deadlines && key == HORIZON.def.name => {
                        Some((HORIZON.def.name, OptionKind::Interval))
                    }
                    None => None,
                };
                if let Some((name, kind)) = declared {
                    if let Some(v) = OptionValue::read(kind, &opt.value) {
                        settings.options.push((name, v));
                    }
                }
            }
        }
        if settings.level == Some(Level::Off) && !rule.can_be_turned_off() {
            settings.level = None;
            refused.push((rule, entry.value.span));
        }
        out.insert(rule, settings);
    }
    out
}

/// A rule's level after configuration: as `lint.rules` sets it, else on at
/// its default severity.
pub fn level(settings: &Settings, rule: RuleId) -> Level {
    settings
        .get(&rule)
        .and_then(|s| s.level)
        .unwrap_or(Level::On(rule.meta().default_severity))
}

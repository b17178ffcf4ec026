//! What a change to the manifest does to the gate: rules turned off or
//! lowered, waivers added or extended, files excluded. A pull request that
//! weakens the check is called out (`check --changed-since`), whatever else
//! it changes.

use std::collections::BTreeMap;

use crate::config::{rule_settings, Level, RuleSettings, Settings};
use crate::rules::RuleId;
use crate::yaml::Node;

/// A change to the check's own settings, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingChange {
    /// Where in the new manifest or waivers file, as a path of keys and
    /// sequence indices (`lint.rules.x`, `waivers.2` for the third waiver).
    /// A waiver that was removed has no entry left: its path is `waivers`.
    pub key: String,
    pub message: String,
}

/// How the manifest's `lint` settings and waivers changed from `before` to
/// `after`, the weakening first.
pub fn setting_changes(before: &Node, after: &Node) -> Vec<SettingChange> {
    let mut out = Vec::new();
    rules(
        &rule_settings(before, &mut Vec::new()),
        &rule_settings(after, &mut Vec::new()),
        &mut out,
    );
    waivers(before, after, &mut out);
    for (key, what) in [
        ("fail-on", "the lowest severity that fails the run"),
        ("horizon", "how far ahead deadlines are warned about"),
        ("exclude", "the files not read"),
        ("max-file-size", "the largest file read"),
    ] {
        let text = |n: &Node| n.at(["lint", key]).map(|v| v.to_json().to_string());
        let (b, a) = (text(before), text(after));
        if b != a {
            let show = |v: Option<String>| v.unwrap_or_else(|| "the default".to_owned());
            out.push(SettingChange {
                key: format!("lint.{key}"),
                message: format!(
                    "changes `lint.{key}` ({what}) from {} to {}",
                    show(b),
                    show(a)
                ),
            });
        }
    }
    out
}

fn level(settings: &Settings, rule: RuleId) -> Level {
    crate::config::level(settings, rule)
}

fn rules(before: &Settings, after: &Settings, out: &mut Vec<SettingChange>) {
    let mut named: Vec<RuleId> = before.keys().chain(after.keys()).copied().collect();
    named.sort();
    named.dedup();
    for rule in named {
        let key = format!("lint.rules.{rule}");
        let (b, a) = (level(before, rule), level(after, rule));
        let message = match (b, a) {
            (Level::On(_), Level::Off) => Some(format!("turns `{rule}` off")),
            (Level::Off, Level::On(s)) => Some(format!("turns `{rule}` back on, at {s}")),
            (Level::On(x), Level::On(y)) if x != y => {
                let how = if y < x { "lowers" } else { "raises" };
                Some(format!("{how} `{rule}` from {x} to {y}"))
            }
            _ => None,
        };
        if let Some(message) = message {
            out.push(SettingChange {
                key: key.clone(),
                message,
            });
        }
        let options = |s: Option<&RuleSettings>| -> BTreeMap<&'static str, String> {
            s.map(|s| {
                s.options
                    .iter()
                    .map(|(n, v)| (*n, format!("{v:?}")))
                    .collect()
            })
            .unwrap_or_default()
        };
        if options(before.get(&rule)) != options(after.get(&rule)) {
            out.push(SettingChange {
                key,
                message: format!("changes the options of `{rule}`"),
            });
        }
    }
}

/// A waiver's identity (rule and target), its expiry as written and its
/// index in the `waivers` sequence.
fn waiver_list(n: &Node) -> BTreeMap<(String, String), (String, usize)> {
    let mut out = BTreeMap::new();
    let list = n.get("waivers").and_then(Node::as_seq).unwrap_or_default();
    for (i, w) in list.iter().enumerate() {
        let field = |k| w.get(k).and_then(Node::as_text).unwrap_or("").to_owned();
        out.insert((field("rule"), field("target")), (field("expires"), i));
    }
    out
}

fn waivers(before: &Node, after: &Node, out: &mut Vec<SettingChange>) {
    let (b, a) = (waiver_list(before), waiver_list(after));
    for ((rule, target), (expires, index)) in &a {
        let message = match b.get(&(rule.clone(), target.clone())).map(|(e, _)| e) {
            None => format!("adds a waiver of `{rule}` for `{target}`, until {expires}"),
            Some(old) if old < expires => {
                format!("extends the waiver of `{rule}` for `{target}` from {old} to {expires}")
            }
            Some(old) if old != expires => {
                format!("shortens the waiver of `{rule}` for `{target}` from {old} to {expires}")
            }
            Some(_) => continue,
        };
        out.push(SettingChange {
            key: format!("waivers.{index}"),
            message,
        });
    }
    for (rule, target) in b.keys().filter(|k| !a.contains_key(*k)) {
        out.push(SettingChange {
            key: "waivers".into(),
            message: format!("removes the waiver of `{rule}` for `{target}`"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn node(text: &str) -> Node {
        let f = SourceFile::new("isms.yaml", text);
        crate::yaml::parse(&f, &f.text.clone(), 1)
            .documents
            .remove(0)
    }

    fn messages(before: &str, after: &str) -> Vec<String> {
        setting_changes(&node(before), &node(after))
            .into_iter()
            .map(|c| format!("{}: {}", c.key, c.message))
            .collect()
    }

    const BASE: &str = "organisation:\n  name: T\nlint:\n  rules:\n    training-overdue: warning\nwaivers:\n  - {rule: risk-owner-missing, target: R-1, reason: r, owner: o, expires: 2025-06-30}\n";

    #[test]
    fn nothing_changed_says_nothing() {
        assert!(messages(BASE, BASE).is_empty());
        // Formatting is not a change.
        let reformatted = BASE.replace(
            "training-overdue: warning",
            "training-overdue:\n      severity: warning",
        );
        assert!(messages(BASE, &reformatted).is_empty());
    }

    #[test]
    fn rules_turned_off_lowered_and_waivers_added_or_extended() {
        let after = "organisation:\n  name: T\nlint:\n  fail-on: note\n  rules:\n    training-overdue: note\n    corrective-action-overdue: off\n    management-review-overdue:\n      error-after: 24 months\nwaivers:\n  - {rule: risk-owner-missing, target: R-1, reason: r, owner: o, expires: 2026-06-30}\n  - {rule: policy-review-overdue, target: POL-1, reason: r, owner: o, expires: 2025-12-31}\n";
        assert_eq!(
            messages(BASE, after),
            [
                "lint.rules.management-review-overdue: changes the options of `management-review-overdue`",
                "lint.rules.corrective-action-overdue: turns `corrective-action-overdue` off",
                "lint.rules.training-overdue: lowers `training-overdue` from warning to note",
                "waivers.1: adds a waiver of `policy-review-overdue` for `POL-1`, until 2025-12-31",
                "waivers.0: extends the waiver of `risk-owner-missing` for `R-1` from 2025-06-30 to 2026-06-30",
                "lint.fail-on: changes `lint.fail-on` (the lowest severity that fails the run) from the default to \"note\"",
            ]
        );
    }

    #[test]
    fn removing_a_waiver_or_turning_a_rule_back_on() {
        let before = "organisation:\n  name: T\nlint:\n  rules:\n    risk-owner-missing: off\nwaivers:\n  - {rule: x, target: y, reason: r, owner: o, expires: 2025-06-30}\n";
        assert_eq!(
            messages(before, "organisation:\n  name: T\n"),
            [
                "lint.rules.risk-owner-missing: turns `risk-owner-missing` back on, at error",
                "waivers: removes the waiver of `x` for `y`",
            ]
        );
    }
}

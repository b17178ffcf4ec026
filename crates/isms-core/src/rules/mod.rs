//! The rule registry.
//!
//! One rule per file, named after the rule, grouped by category. Each file
//! holds the rule's metadata and documentation ([`RuleMeta`]) next to its
//! check, and [`registry`] lists them all: it feeds `isms-lint rules`,
//! `isms-lint explain`, the SARIF `rules[]`, the generated `docs/rules/`, and the
//! `lint.rules` part of the manifest schema.

mod context;

pub mod awareness;
pub mod certification;
pub mod corrective_action;
pub mod documents;
pub mod history;
pub mod identity;
pub mod integrity;
pub mod internal_audit;
pub mod management_review;
pub mod risk;
pub mod schedule;
pub mod waivers;

pub use context::{capitalise, due_in, plural_days, Deadline, DueState, RuleContext};

use std::fmt;
use std::sync::OnceLock;

use crate::finding::Severity;
use crate::model::Standard;

/// What a rule is about. Categories group rules in docs and listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// The repository can be read and its records are well-formed.
    Integrity,
    /// The certificate and its three-year cycle.
    Certification,
    /// The internal audit programme (9.2).
    InternalAudit,
    /// Management review (9.3).
    ManagementReview,
    /// Nonconformity and corrective action (10.2).
    CorrectiveAction,
    /// Competence, awareness and communication (7.2–7.4).
    Awareness,
    /// Risk assessment and treatment (6.1, 8.2, 8.3).
    Risk,
    /// Documented information and the Statement of Applicability.
    Documents,
    /// Waivers of findings.
    Waivers,
    /// Evidence from the git history.
    History,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Integrity,
        Category::Certification,
        Category::InternalAudit,
        Category::ManagementReview,
        Category::CorrectiveAction,
        Category::Awareness,
        Category::Risk,
        Category::Documents,
        Category::Waivers,
        Category::History,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Integrity => "integrity",
            Category::Certification => "certification",
            Category::InternalAudit => "internal-audit",
            Category::ManagementReview => "management-review",
            Category::CorrectiveAction => "corrective-action",
            Category::Awareness => "awareness",
            Category::Risk => "risk",
            Category::Documents => "documents",
            Category::Waivers => "waivers",
            Category::History => "history",
        }
    }

    pub const fn title(self) -> &'static str {
        match self {
            Category::Integrity => "Integrity",
            Category::Certification => "Certification cycle",
            Category::InternalAudit => "Internal audit",
            Category::ManagementReview => "Management review",
            Category::CorrectiveAction => "Corrective action",
            Category::Awareness => "Awareness and communication",
            Category::Risk => "Risk",
            Category::Documents => "Documents and Statement of Applicability",
            Category::Waivers => "Waivers",
            Category::History => "History",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a default threshold comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// A "shall" of the cited standard.
    Requirement,
    /// A rule for certification bodies (ISO/IEC 17021-1, 27006-1, IAF).
    CertificationRule,
    /// Common practice: the standard leaves the value to the organisation.
    Practice,
}

impl Basis {
    pub const fn as_str(self) -> &'static str {
        match self {
            Basis::Requirement => "requirement of the standard",
            Basis::CertificationRule => "rule for certification bodies",
            Basis::Practice => "common practice (the standard leaves it to you)",
        }
    }
}

/// The type of a rule option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// `6 months`, `30 days`, `P1Y`.
    Interval,
    /// A whole number.
    Integer,
    /// A number such as 0.5.
    Number,
    /// `true` or `false`.
    Boolean,
}

impl OptionKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            OptionKind::Interval => "interval",
            OptionKind::Integer => "integer",
            OptionKind::Number => "number",
            OptionKind::Boolean => "boolean",
        }
    }
}

/// An option a rule reads from `lint.rules.<rule>` in `isms.yaml`.
#[derive(Debug, Clone, Copy)]
pub struct RuleOption {
    pub name: &'static str,
    pub kind: OptionKind,
    /// The default, written as in YAML; for intervals that follow `schedule:`,
    /// the fallback when the schedule does not declare one.
    pub default: &'static str,
    pub description: &'static str,
    pub basis: Basis,
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case name: public API (SARIF rule id, waivers, config).
    pub name: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    /// The standard this rule belongs to; `None` for rules that always apply.
    pub standard: Option<Standard>,
    /// The clause (or clauses) the rule enforces.
    pub clause: &'static str,
    /// One line, as a sentence without a final period.
    pub summary: &'static str,
    /// What it checks (Markdown).
    pub what: &'static str,
    /// Why it matters, citing the clause (Markdown).
    pub why: &'static str,
    /// A record that triggers the rule and the finding it gets (Markdown).
    pub example: &'static str,
    /// How to fix it (Markdown).
    pub fix: &'static str,
    pub options: &'static [RuleOption],
    /// Whether the rule computes deadlines (and so reads `horizon`).
    pub deadlines: bool,
}

impl RuleMeta {
    pub fn option(&self, name: &str) -> Option<&RuleOption> {
        self.options.iter().find(|o| o.name == name)
    }

    /// The rule's full documentation as Markdown, for `explain` and `docs/rules/`.
    pub fn markdown(&self) -> String {
        let mut s = format!("# {}\n\n{}.\n\n", self.name, self.summary);
        s.push_str(&format!(
            "| | |\n|---|---|\n| Category | {} |\n| Default severity | {} |\n| Clause | {} |\n",
            self.category.title(),
            self.default_severity,
            self.clause
        ));
        if let Some(std) = self.standard {
            s.push_str(&format!("| Standard | {} |\n", std.as_str()));
        }
        s.push_str(&format!(
            "\n## What it checks\n\n{}\n\n## Why it matters\n\n{}\n\n## Example\n\n{}\n\n## How to fix\n\n{}\n",
            self.what.trim(),
            self.why.trim(),
            self.example.trim(),
            self.fix.trim()
        ));
        s.push_str("\n## Configuration\n\nIn `isms.yaml`:\n\n```yaml\nlint:\n  rules:\n");
        s.push_str(&format!(
            "    {}:\n      severity: {}   # error, warning, note or off\n",
            self.name, self.default_severity
        ));
        for o in self.options {
            s.push_str(&format!("      {}: {}\n", o.name, o.default));
        }
        if self.deadlines {
            s.push_str("      horizon: 30 days   # how far ahead to warn\n");
        }
        s.push_str("```\n");
        if !self.options.is_empty() || self.deadlines {
            s.push_str("\n| Option | Type | Default | Basis | Meaning |\n|---|---|---|---|---|\n");
            for o in self.options {
                s.push_str(&format!(
                    "| `{}` | {} | `{}` | {} | {} |\n",
                    o.name,
                    o.kind.as_str(),
                    o.default,
                    o.basis.as_str(),
                    o.description
                ));
            }
            if self.deadlines {
                s.push_str("| `horizon` | interval | `lint.horizon`, `--horizon` or `30 days` | common practice | How long before a deadline to warn about it. |\n");
            }
        }
        s
    }
}

/// A rule: metadata and a check over the whole repository.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Report findings. Rules whose findings come from loading the repository
    /// (parse errors, schema violations) have nothing to add here.
    fn check(&self, _cx: &mut RuleContext<'_>) {}
}

/// Every rule, in documentation order: each category module lists its own.
pub fn registry() -> &'static [&'static dyn Rule] {
    static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        [
            integrity::RULES,
            certification::RULES,
            internal_audit::RULES,
            management_review::RULES,
            corrective_action::RULES,
            awareness::RULES,
            risk::RULES,
            documents::RULES,
            history::RULES,
            waivers::RULES,
        ]
        .concat()
    })
}

/// Look a rule up by name.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    registry().iter().copied().find(|r| r.meta().name == name)
}

/// Metadata of a rule known to exist (used by the loader for its findings).
pub fn meta(name: &str) -> &'static RuleMeta {
    find(name)
        .unwrap_or_else(|| panic!("rule `{name}` is not registered"))
        .meta()
}

/// The registered name closest to `name`, for "did you mean" hints.
pub fn suggest(name: &str) -> Option<&'static str> {
    crate::text::closest(name, registry().iter().map(|r| r.meta().name))
}

/// The generated rule documentation: `docs/rules/README.md` (an index by
/// category) and one `docs/rules/<rule>.md` per rule, as (file name, text).
pub fn docs() -> Vec<(String, String)> {
    let mut index = String::from(
        "# Rules\n\nGenerated from the rule registry (`isms-lint rules`, `isms-lint explain RULE`); do not edit by hand.\n\nEvery rule can be set to another severity or turned off in `isms.yaml` under `lint.rules`, and every finding can be waived with a reason, an owner and an expiry date (see [the format](../format.md#waivers)).\n",
    );
    let mut out = Vec::new();
    for category in Category::ALL {
        let rules: Vec<&dyn Rule> = registry()
            .iter()
            .copied()
            .filter(|r| r.meta().category == category)
            .collect();
        if rules.is_empty() {
            continue;
        }
        index.push_str(&format!(
            "\n## {}\n\n| Rule | Severity | Clause | Summary |\n|---|---|---|---|\n",
            category.title()
        ));
        for r in rules {
            let m = r.meta();
            index.push_str(&format!(
                "| [`{}`]({}.md) | {} | {} | {} |\n",
                m.name, m.name, m.default_severity, m.clause, m.summary
            ));
            out.push((format!("{}.md", m.name), m.markdown()));
        }
    }
    out.insert(0, ("README.md".to_owned(), index));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_kebab_case() {
        let mut seen = HashSet::new();
        for r in registry() {
            let m = r.meta();
            assert!(seen.insert(m.name), "duplicate rule {}", m.name);
            assert!(
                m.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                m.name
            );
            assert!(
                !m.summary.ends_with('.'),
                "{}: summary ends with a period",
                m.name
            );
            for part in [m.what, m.why, m.example, m.fix, m.clause, m.summary] {
                assert!(
                    !part.trim().is_empty(),
                    "{} has empty documentation",
                    m.name
                );
            }
        }
    }
}

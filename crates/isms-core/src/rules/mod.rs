//! The rule registry.
//!
//! One rule per file, named after the rule, grouped by category. Each file
//! holds the rule's metadata and documentation ([`RuleMeta`]) next to its
//! check, and [`registry`] lists them all: it feeds `isms-lint rules`,
//! `isms-lint explain`, the SARIF `rules[]`, the generated `docs/rules/`, and the
//! `lint.rules` part of the manifest schema.

pub(crate) mod context;
pub mod example;
#[cfg(test)]
mod meta_tests;
#[cfg(test)]
mod one_cause;
mod options;

pub mod activities;
pub mod awareness;
pub mod certification;
pub mod corrective_action;
pub mod documents;
pub mod history;
pub mod identity;
pub mod integrity;
pub mod internal_audit;
pub mod legal;
pub mod management_review;
pub mod people;
pub mod risk;
pub mod schedule;
pub mod suppliers;
pub mod waivers;

pub use context::{due_in, Deadline, DueState, RuleContext};
pub use example::{Example, ExampleCommit};
pub use options::{
    Basis, IntervalSource, Opt, OptionKind, OptionType, OptionValue, Phrases, RuleOption, HORIZON,
};

use std::fmt;
use std::sync::OnceLock;

use crate::finding::Severity;
use crate::model::Standard;

/// Declares every rule once: its identity (a variant of [`RuleId`]), its
/// public kebab-case name, and the type that implements it. The order is the
/// documentation order.
macro_rules! rules {
    ($($variant:ident = $name:literal => $rule:path,)*) => {
        /// A rule's identity. The kebab-case name ([`RuleId::as_str`]) is the
        /// public id: SARIF rule ids, waivers, `lint.rules`, `--select`.
        /// Naming a rule in code through this type means a misspelt rule does
        /// not compile.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum RuleId {
            $($variant,)*
        }

        impl RuleId {
            /// Every rule, in documentation order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The public kebab-case name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $name,)*
                }
            }

            /// The rule itself.
            pub fn rule(self) -> &'static dyn Rule {
                match self {
                    $(RuleId::$variant => &$rule,)*
                }
            }
        }
    };
}

rules! {
    UnreadableFile = "unreadable-file" => integrity::unreadable_file::UnreadableFile,
    ParseError = "parse-error" => integrity::parse_error::ParseError,
    SchemaViolation = "schema-violation" => integrity::schema_violation::SchemaViolation,
    InvalidDate = "invalid-date" => integrity::invalid_date::InvalidDate,
    UnknownKind = "unknown-kind" => integrity::unknown_kind::UnknownKind,
    DuplicateId = "duplicate-id" => integrity::duplicate_id::DuplicateId,
    BrokenReference = "broken-reference" => integrity::broken_reference::BrokenReference,
    CertificateExpired = "certificate-expired" => certification::certificate_expired::CertificateExpired,
    RecertificationNotPlanned = "recertification-not-planned" => certification::recertification_not_planned::RecertificationNotPlanned,
    SurveillanceAuditMissed = "surveillance-audit-missed" => certification::surveillance_audit_missed::SurveillanceAuditMissed,
    LegacyControlReference = "legacy-control-reference" => certification::legacy_control_reference::LegacyControlReference,
    InternalAuditOverdue = "internal-audit-overdue" => internal_audit::internal_audit_overdue::InternalAuditOverdue,
    InternalAuditsClustered = "internal-audits-clustered" => internal_audit::internal_audits_clustered::InternalAuditsClustered,
    AuditProgrammeCoverage = "audit-programme-coverage" => internal_audit::audit_programme_coverage::AuditProgrammeCoverage,
    AuditorNotIndependent = "auditor-not-independent" => internal_audit::auditor_not_independent::AuditorNotIndependent,
    NonconformityWithoutAction = "nonconformity-without-action" => internal_audit::nonconformity_without_action::NonconformityWithoutAction,
    ManagementReviewOverdue = "management-review-overdue" => management_review::management_review_overdue::ManagementReviewOverdue,
    ManagementReviewInputsMissing = "management-review-inputs-missing" => management_review::management_review_inputs_missing::ManagementReviewInputsMissing,
    ManagementReviewOutputsMissing = "management-review-outputs-missing" => management_review::management_review_outputs_missing::ManagementReviewOutputsMissing,
    CorrectiveActionOverdue = "corrective-action-overdue" => corrective_action::corrective_action_overdue::CorrectiveActionOverdue,
    CorrectiveActionStale = "corrective-action-stale" => corrective_action::corrective_action_stale::CorrectiveActionStale,
    CorrectiveActionIncomplete = "corrective-action-incomplete" => corrective_action::corrective_action_incomplete::CorrectiveActionIncomplete,
    EffectivenessReviewOverdue = "effectiveness-review-overdue" => corrective_action::effectiveness_review_overdue::EffectivenessReviewOverdue,
    AwarenessProgrammeGap = "awareness-programme-gap" => awareness::awareness_programme_gap::AwarenessProgrammeGap,
    PhishingSimulationOverdue = "phishing-simulation-overdue" => awareness::phishing_simulation_overdue::PhishingSimulationOverdue,
    TrainingOverdue = "training-overdue" => awareness::training_overdue::TrainingOverdue,
    RiskReviewOverdue = "risk-review-overdue" => risk::risk_review_overdue::RiskReviewOverdue,
    RiskOwnerMissing = "risk-owner-missing" => risk::risk_owner_missing::RiskOwnerMissing,
    RiskTreatmentMissing = "risk-treatment-missing" => risk::risk_treatment_missing::RiskTreatmentMissing,
    PolicyReviewOverdue = "policy-review-overdue" => documents::policy_review_overdue::PolicyReviewOverdue,
    DocumentUnapproved = "document-unapproved" => documents::document_unapproved::DocumentUnapproved,
    SoaControlMissing = "soa-control-missing" => documents::soa_control_missing::SoaControlMissing,
    SoaJustificationMissing = "soa-justification-missing" => documents::soa_justification_missing::SoaJustificationMissing,
    UnknownControl = "unknown-control" => documents::unknown_control::UnknownControl,
    SoaControlWithoutEvidence = "soa-control-without-evidence" => documents::soa_control_without_evidence::SoaControlWithoutEvidence,
    SoaImplementationOverdue = "soa-implementation-overdue" => documents::soa_implementation_overdue::SoaImplementationOverdue,
    RecordModifiedAfterClosure = "record-modified-after-closure" => history::record_modified_after_closure::RecordModifiedAfterClosure,
    RecordBackdated = "record-backdated" => history::record_backdated::RecordBackdated,
    WaiverExpired = "waiver-expired" => waivers::waiver_expired::WaiverExpired,
    WaiverUnused = "waiver-unused" => waivers::waiver_unused::WaiverUnused,
    ControlActivityOverdue = "control-activity-overdue" => activities::control_activity_overdue::ControlActivityOverdue,
    ControlActivityExceptionsOpen = "control-activity-exceptions-open" => activities::control_activity_exceptions_open::ControlActivityExceptionsOpen,
    EvidenceMissing = "evidence-missing" => activities::evidence_missing::EvidenceMissing,
    SupplierReviewOverdue = "supplier-review-overdue" => suppliers::supplier_review_overdue::SupplierReviewOverdue,
    SupplierAssuranceExpired = "supplier-assurance-expired" => suppliers::supplier_assurance_expired::SupplierAssuranceExpired,
    SupplierUnassessed = "supplier-unassessed" => suppliers::supplier_unassessed::SupplierUnassessed,
    LegalRegisterReviewOverdue = "legal-register-review-overdue" => legal::legal_register_review_overdue::LegalRegisterReviewOverdue,
    OwnerLeft = "owner-left" => people::owner_left::OwnerLeft,
    UnknownPerson = "unknown-person" => people::unknown_person::UnknownPerson,
}

impl RuleId {
    /// The rule's metadata and documentation.
    pub fn meta(self) -> &'static RuleMeta {
        self.rule().meta()
    }

    /// Whether `lint.rules` may turn the rule off. The integrity rules say
    /// whether the repository could be read at all: a repository that
    /// turns them off would be reported clean however broken it is.
    pub fn can_be_turned_off(self) -> bool {
        self.meta().category != Category::Integrity
    }

    /// The rule named `name`, if there is one.
    pub fn parse(name: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.as_str() == name)
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

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
    /// Recurring control activities and their evidence (8.1, 9.1).
    Activities,
    /// Supplier relationships (Annex A 5.19–5.22).
    Suppliers,
    /// Legal, statutory, regulatory and contractual requirements (4.2, Annex A 5.31).
    Legal,
    /// People and roles, against the roster (5.3).
    People,
}

impl Category {
    pub const ALL: [Category; 14] = [
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
        Category::Activities,
        Category::Suppliers,
        Category::Legal,
        Category::People,
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
            Category::Activities => "activities",
            Category::Suppliers => "suppliers",
            Category::Legal => "legal",
            Category::People => "people",
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
            Category::Activities => "Control activities",
            Category::Suppliers => "Suppliers",
            Category::Legal => "Legal and contractual requirements",
            Category::People => "People and roles",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Which rule this is; its kebab-case name is [`RuleMeta::name`].
    pub id: RuleId,
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
    /// A small repository that triggers the rule, checked when the docs are
    /// generated (so the finding shown is the real one), and its fix.
    pub example: Example,
    /// How to fix it (Markdown).
    pub fix: &'static str,
    pub options: &'static [RuleOption],
    /// Whether the rule computes deadlines (and so reads `horizon`).
    pub deadlines: bool,
}

impl RuleMeta {
    /// The stable kebab-case name: public API (SARIF rule id, waivers, config).
    pub const fn name(&self) -> &'static str {
        self.id.as_str()
    }

    pub fn option(&self, name: &str) -> Option<&RuleOption> {
        self.options.iter().find(|o| o.name == name)
    }

    /// The rule's full documentation as Markdown, for `explain` and
    /// `docs/rules/`, with its example checked.
    pub fn markdown(&self) -> String {
        self.render(true)
    }

    /// The documentation without checking the example, for outputs written
    /// on every run (SARIF's rule help).
    pub fn help_markdown(&self) -> String {
        self.render(false)
    }

    fn render(&self, checked: bool) -> String {
        let mut s = format!("# {}\n\n{}.\n\n", self.name(), self.summary);
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
            "\n## What it checks\n\n{}\n\n{}## Why it matters\n\n{}\n\n## Example\n\n{}\n\n## How to fix\n\n{}\n",
            self.what.trim(),
            if self.deadlines { DEADLINE_STATES } else { "" },
            self.why.trim(),
            if checked {
                self.example.markdown(self.id)
            } else {
                self.example.markdown_unchecked(self.id)
            },
            self.fix.trim()
        ));
        s.push_str("\n## Configuration\n\nIn `isms.yaml`:\n\n```yaml\nlint:\n  rules:\n");
        s.push_str(&format!(
            "    {}:\n      severity: {}   # error, warning, note or off\n",
            self.name(),
            self.default_severity
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
                    o.description()
                ));
            }
            if self.deadlines {
                s.push_str("| `horizon` | interval | `lint.horizon`, `--horizon` or `30 days` | common practice | How long before a deadline to warn about it. |\n");
            }
        }
        s
    }
}

/// How every rule that computes deadlines words and marks its two states,
/// for its documentation.
const DEADLINE_STATES: &str = "\
## Due soon and overdue

The rule is named after its obligation, and reports a deadline in one of two states, said in \
the message and given as the finding's `state` in the JSON report:

| State | When | Severity | The message says |
|---|---|---|---|
| `due-soon` | The date has not passed (the due day itself included) and is within the horizon | warning at most | *is due* today, tomorrow or in so many days (a certificate *is still valid*); the obligation can still be met in time |
| `overdue` | From the day after the date | the rule's severity (or a warning first, where the rule reports in stages) | *is overdue* (a certificate *expired*) and how long ago |

Count findings by `state` (or severity), not by rule name, to know how many deadlines have \
passed. Deadlines that a planned record covers (a planned audit, review or activity) are not \
warned about ahead: the plan is the look-ahead, and only its date passing is reported.

";

/// A rule: metadata and a check over the whole repository.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Report findings. Rules whose findings come from loading the repository
    /// (parse errors, schema violations) have nothing to add here.
    fn check(&self, _cx: &mut RuleContext<'_>) {}
}

/// Every rule, in documentation order.
pub fn registry() -> &'static [&'static dyn Rule] {
    static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    ALL.get_or_init(|| RuleId::ALL.iter().map(|id| id.rule()).collect())
}

/// Look a rule up by name.
pub fn find(name: &str) -> Option<&'static dyn Rule> {
    RuleId::parse(name).map(RuleId::rule)
}

/// The registered name closest to `name`, for "did you mean" hints.
pub fn suggest(name: &str) -> Option<&'static str> {
    crate::text::closest(name, RuleId::ALL.iter().map(|r| r.as_str()))
}

/// The generated rule documentation: `docs/rules/README.md` (an index by
/// category) and one `docs/rules/<rule>.md` per rule, as (file name, text).
pub fn docs() -> Vec<(String, String)> {
    let mut index = String::from(
        "# Rules\n\nGenerated from the rule registry (`isms-lint rules`, `isms-lint explain RULE`); do not edit by hand.\n\nEach rule's example is a small repository that isms-lint checks when these pages are generated: the findings shown are its real output, and a test holds every rule to its example (which must give the rule's finding) and to the example's fix (which must not).\n\nEvery rule can be set to another severity or turned off in `isms.yaml` under `lint.rules`, and every finding can be waived with a reason, an owner and an expiry date (see [the format](../format.md#waivers)).\n",
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
                m.name(),
                m.name(),
                m.default_severity,
                m.clause,
                m.summary
            ));
            out.push((format!("{}.md", m.name()), m.markdown()));
        }
    }
    out.insert(0, ("README.md".to_owned(), index));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// `UnknownControl` → `unknown-control`.
    fn kebab(camel: &str) -> String {
        let mut out = String::new();
        for c in camel.chars() {
            if c.is_ascii_uppercase() && !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn every_rule_is_declared_once_under_its_own_name() {
        let mut seen = HashSet::new();
        for &id in RuleId::ALL {
            let m = id.meta();
            // The rule's metadata names the variant that registers it: a
            // `META` pasted from another rule is caught here.
            assert_eq!(
                m.id, id,
                "{id:?} registers a rule whose META says {:?}",
                m.id
            );
            assert!(seen.insert(m.name()), "duplicate rule {}", m.name());
            assert_eq!(kebab(&format!("{id:?}")), m.name(), "{id:?}");
            assert_eq!(RuleId::parse(m.name()), Some(id));
            assert!(
                m.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                m.name()
            );
            assert!(
                !m.summary.ends_with('.'),
                "{}: summary ends with a period",
                m.name()
            );
            for part in [m.what, m.why, m.fix, m.clause, m.summary] {
                assert!(
                    !part.trim().is_empty(),
                    "{} has empty documentation",
                    m.name()
                );
            }
        }
        assert_eq!(registry().len(), RuleId::ALL.len());
    }

    /// Each rule lives in a file named after it, in its category's folder.
    #[test]
    fn every_rule_has_a_file_named_after_it() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        for &id in RuleId::ALL {
            let m = id.meta();
            let category = m.category.as_str().replace('-', "_");
            let file = dir
                .join(&category)
                .join(format!("{}.rs", m.name().replace('-', "_")));
            assert!(file.is_file(), "{} is not in {}", m.name(), file.display());
        }
    }

    #[test]
    fn option_defaults_are_valid_values_of_their_type() {
        for &id in RuleId::ALL {
            for o in id.meta().options {
                // Panics with the option's name when the default does not parse.
                let v = o.default_value();
                assert_eq!(OptionValue::parse(o.kind, o.default), Some(v));
                assert!(!o.description().ends_with(".."), "{}", o.name);
            }
        }
        assert!(HORIZON.def.default_value() == OptionValue::Interval(crate::Interval::days(30)));
    }
}

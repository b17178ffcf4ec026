use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ControlIdSchema, LinkSchema, PersonSchema, RecordId};
use crate::interval::Interval;

/// # Legal requirement
///
/// One legal, statutory, regulatory or contractual requirement relevant to
/// information security (clause 4.2 c; Annex A 5.31): what requires it, who
/// owns it, how it is met, and when it was last reviewed. Usually entries of
/// a register.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct LegalRequirement {
    #[schemars(with = "RecordId")]
    pub id: String,
    /// The requirement in a few words, such as `Processor obligations under UK GDPR`.
    pub title: String,
    /// What sort of requirement it is.
    #[serde(rename = "type")]
    pub requirement_type: RequirementType,
    /// The law, regulation or contract clause, such as `UK GDPR Article 28`
    /// or `Master services agreement, clause 14.2`.
    pub source: String,
    /// Where it applies, such as `United Kingdom`.
    pub jurisdiction: Option<String>,
    /// The person accountable for meeting it.
    #[schemars(with = "Option<PersonSchema>")]
    pub owner: Option<String>,
    /// How the organisation meets it: the policies, controls and processes.
    pub how_met: Option<String>,
    /// Annex A controls that meet it.
    #[serde(default)]
    #[schemars(with = "Vec<ControlIdSchema>")]
    pub controls: Vec<String>,
    /// Date the requirement was identified; without a review, the first
    /// review is due one interval after it.
    pub identified: Option<NaiveDate>,
    /// Date of the last review that it still applies and is still met.
    pub reviewed: Option<NaiveDate>,
    /// Review interval for this requirement, overriding `schedule.legal-review`.
    pub review_interval: Option<Interval>,
    /// `applicable` (default) or `retired` (no longer applies; not reviewed).
    pub status: Option<RequirementStatus>,
    /// The text of the law or contract, and evidence of compliance.
    #[serde(default)]
    #[schemars(with = "Vec<LinkSchema>")]
    pub evidence: Vec<String>,
}

/// The sort of a legal requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RequirementType {
    Law,
    Regulation,
    Contract,
    Other,
}

/// Whether a requirement still applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RequirementStatus {
    Applicable,
    Retired,
}

impl LegalRequirement {
    /// Whether the requirement applies: not retired, and identified by `day`.
    pub fn applies_on(&self, day: NaiveDate) -> bool {
        self.status != Some(RequirementStatus::Retired) && self.identified.is_none_or(|d| d <= day)
    }
}

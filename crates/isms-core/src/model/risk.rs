use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{AnyRecord, ControlIdSchema, PersonSchema, RecordId, Ref, Supplier};
use crate::interval::Interval;

/// # Risk
///
/// An information security risk (clauses 6.1.2, 6.1.3, 8.2, 8.3).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Risk {
    #[schemars(with = "RecordId")]
    pub id: String,
    pub title: String,
    /// What could happen, to which assets, and why.
    pub description: Option<String>,
    /// The risk owner (6.1.2 c 2): the person with the accountability and authority
    /// to manage the risk.
    #[schemars(with = "Option<PersonSchema>")]
    pub owner: Option<String>,
    /// Date the risk was identified.
    pub identified: Option<NaiveDate>,
    /// Likelihood, from 1 to `risk-criteria.likelihood-levels`.
    #[schemars(range(min = 1, max = 10))]
    pub likelihood: Option<u32>,
    /// Impact, from 1 to `risk-criteria.impact-levels`.
    #[schemars(range(min = 1, max = 10))]
    pub impact: Option<u32>,
    /// The treatment option chosen (6.1.3 a).
    pub treatment: Option<Treatment>,
    /// Annex A 2022 controls that treat the risk.
    #[serde(default)]
    #[schemars(with = "Vec<ControlIdSchema>")]
    pub controls: Vec<String>,
    /// Corrective actions or other records (by id) that implement the treatment.
    #[serde(default)]
    #[schemars(with = "Vec<Ref<AnyRecord>>")]
    pub actions: Vec<String>,
    /// The risk owner's acceptance of the (residual) risk (6.1.3 f).
    pub acceptance: Option<Acceptance>,
    /// Residual risk after treatment.
    pub residual: Option<Residual>,
    /// Date of the last review of this risk.
    pub reviewed: Option<NaiveDate>,
    /// Review interval for this risk, overriding `schedule.risk-review`.
    pub review_interval: Option<Interval>,
    /// `open` (default) or `closed` (no longer relevant).
    pub status: Option<RiskStatus>,
    /// Suppliers (by id) whose failure or compromise this risk is about.
    #[serde(default)]
    #[schemars(with = "Vec<Ref<Supplier>>")]
    pub suppliers: Vec<String>,
}

/// Risk treatment option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Treatment {
    Mitigate,
    Accept,
    Transfer,
    Avoid,
}

/// Whether a risk is still being managed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RiskStatus {
    Open,
    Closed,
}

/// A recorded acceptance of risk by its owner.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Acceptance {
    /// Who accepted the risk; should be the risk owner.
    #[schemars(with = "PersonSchema")]
    pub by: String,
    /// When it was accepted.
    pub date: NaiveDate,
    /// Why the risk is acceptable.
    pub rationale: Option<String>,
}

/// Residual risk after treatment.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Residual {
    #[schemars(range(min = 1, max = 10))]
    pub likelihood: u32,
    #[schemars(range(min = 1, max = 10))]
    pub impact: u32,
}

impl Risk {
    pub fn is_open(&self) -> bool {
        self.status != Some(RiskStatus::Closed)
    }

    /// Inherent score, likelihood × impact.
    pub fn score(&self) -> Option<u32> {
        Some(self.likelihood? * self.impact?)
    }
}

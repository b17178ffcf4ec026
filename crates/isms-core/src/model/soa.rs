use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ControlIdSchema, LinkSchema, PersonSchema, Policy, RecordId, Ref, VersionSchema};

/// # Statement of Applicability
///
/// Every Annex A control of ISO/IEC 27001:2022, whether it applies, why, and
/// whether it is implemented (clause 6.1.3 d).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct StatementOfApplicability {
    #[schemars(with = "RecordId")]
    pub id: String,
    pub title: String,
    #[schemars(with = "Option<VersionSchema>")]
    pub version: Option<String>,
    /// The person or role accountable for the SoA.
    #[schemars(with = "Option<PersonSchema>")]
    pub owner: Option<String>,
    /// Date the current version was approved.
    pub approved: Option<NaiveDate>,
    /// Who approved it.
    #[schemars(with = "Option<PersonSchema>")]
    pub approved_by: Option<String>,
    /// Date of the last review.
    pub reviewed: Option<NaiveDate>,
    /// One entry per Annex A control.
    #[serde(default)]
    pub controls: Vec<SoaControl>,
}

/// One Annex A control in the Statement of Applicability.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct SoaControl {
    /// The Annex A 2022 control, such as `5.15`.
    #[schemars(with = "ControlIdSchema")]
    pub control: String,
    /// Whether the control is applicable (included).
    pub applicable: bool,
    /// Why the control is included or excluded (6.1.3 d).
    pub justification: Option<String>,
    /// Implementation status of an applicable control.
    pub status: Option<ImplementationStatus>,
    /// Who is responsible for the control.
    #[schemars(with = "Option<PersonSchema>")]
    pub owner: Option<String>,
    /// Policies (by id) that implement the control.
    #[serde(default)]
    #[schemars(with = "Vec<Ref<Policy>>")]
    pub policies: Vec<String>,
    /// Evidence files or URLs.
    #[serde(default)]
    #[schemars(with = "Vec<LinkSchema>")]
    pub evidence: Vec<String>,
}

/// Implementation status of a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ImplementationStatus {
    Implemented,
    PartiallyImplemented,
    Planned,
    NotImplemented,
}

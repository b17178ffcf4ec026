use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{
    ControlIdSchema, LinkSchema, OwnControlIdSchema, PersonSchema, Policy, RecordId, Ref,
    VersionSchema,
};

/// # Statement of Applicability
///
/// Every Annex A control of ISO/IEC 27001:2022, whether it applies, why, and
/// whether it is implemented (clause 6.1.3 d), and the controls of the
/// organisation's own that it has determined necessary beside them (6.1.3 c,
/// Note 2).
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
    /// Controls of the organisation's own, beside Annex A (6.1.3 c, Note 2):
    /// its own ids, such as `C-SEC-004` or `5.AI.1`, which risks, audits and
    /// policies may then name in their `controls` like Annex A controls.
    #[serde(default)]
    pub additional_controls: Vec<AdditionalControl>,
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
    /// For a control planned or partly implemented: the date by which it is
    /// to be implemented (6.1.3 e, 6.2 d).
    pub target_date: Option<NaiveDate>,
}

/// A control of the organisation's own in the Statement of Applicability:
/// one it determined necessary beside Annex A, designed itself or taken from
/// another framework (6.1.3 b, c). It is included by being listed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct AdditionalControl {
    /// The control's id in the organisation's own namespace, such as
    /// `C-SEC-004` or `5.AI.1`; not an Annex A number.
    #[schemars(with = "OwnControlIdSchema")]
    pub id: String,
    pub title: String,
    /// The Annex A control it refines or extends, if any, such as `8.16`.
    #[schemars(with = "Option<ControlIdSchema>")]
    pub refines: Option<String>,
    /// The framework or source it comes from, if any, such as
    /// `ISO/IEC 27017:2015 CLD.9.5.1` or a customer contract.
    pub source: Option<String>,
    /// Why the control is needed: the risks it treats or the requirement it meets.
    pub justification: Option<String>,
    /// Implementation status.
    pub status: Option<ImplementationStatus>,
    /// Who is responsible for the control.
    pub owner: Option<String>,
    /// Policies (by id) that implement the control.
    #[serde(default)]
    #[schemars(with = "Vec<Ref<Policy>>")]
    pub policies: Vec<String>,
    /// Evidence files or URLs.
    #[serde(default)]
    #[schemars(with = "Vec<LinkSchema>")]
    pub evidence: Vec<String>,
    /// For a control planned or partly implemented: the date by which it is
    /// to be implemented (6.1.3 e, 6.2 d).
    pub target_date: Option<NaiveDate>,
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

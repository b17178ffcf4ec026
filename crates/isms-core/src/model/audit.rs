use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{
    ClauseSchema, ControlIdSchema, CorrectiveAction, LinkSchema, PersonSchema, Policy, RecordId,
    Ref, Risk,
};

/// # Audit
///
/// An internal audit (clause 9.2) or an audit by the certification body (stage 1,
/// stage 2, surveillance, recertification), with its findings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Audit {
    #[schemars(with = "RecordId")]
    pub id: String,
    pub title: String,
    /// Internal audit, or which audit of the certification cycle.
    #[serde(rename = "type")]
    pub audit_type: AuditType,
    /// `planned`, `completed` or `cancelled`.
    pub status: AuditStatus,
    /// Date the audit is (or was) planned for.
    pub planned: Option<NaiveDate>,
    /// Date the audit was completed (its last day). Required once completed.
    pub completed: Option<NaiveDate>,
    /// The (lead) auditor. For an internal audit, must be objective and impartial
    /// (9.2.2 b): not auditing their own work.
    #[schemars(with = "Option<PersonSchema>")]
    pub auditor: Option<String>,
    /// Other members of the audit team.
    #[serde(default)]
    #[schemars(with = "Vec<PersonSchema>")]
    pub audit_team: Vec<String>,
    /// For an external audit, the certification body.
    pub body: Option<String>,
    /// People interviewed or responsible for the audited area.
    #[serde(default)]
    #[schemars(with = "Vec<PersonSchema>")]
    pub auditees: Vec<String>,
    /// What the audit covers (9.2.2 a).
    #[serde(default)]
    pub scope: AuditScope,
    /// Findings raised by the audit.
    #[serde(default)]
    pub findings: Vec<AuditFinding>,
    /// The audit report, relative to this file, or a URL.
    #[schemars(with = "Option<LinkSchema>")]
    pub report: Option<String>,
}

/// The type of an audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AuditType {
    Internal,
    #[serde(rename = "stage-1")]
    Stage1,
    #[serde(rename = "stage-2")]
    Stage2,
    Surveillance,
    Recertification,
    Transition,
    Special,
}

impl AuditType {
    pub fn is_external(self) -> bool {
        self != AuditType::Internal
    }

    /// "internal audit", "stage 2 audit": for messages.
    pub const fn noun(self) -> &'static str {
        match self {
            AuditType::Internal => "internal audit",
            AuditType::Stage1 => "stage 1 audit",
            AuditType::Stage2 => "stage 2 audit",
            AuditType::Surveillance => "surveillance audit",
            AuditType::Recertification => "recertification audit",
            AuditType::Transition => "transition audit",
            AuditType::Special => "special audit",
        }
    }
}

/// Whether an audit has happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AuditStatus {
    Planned,
    Completed,
    Cancelled,
}

/// The scope of an audit.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct AuditScope {
    /// Clauses of ISO/IEC 27001 audited, such as `4`, `9.2`.
    #[serde(default)]
    #[schemars(with = "Vec<ClauseSchema>")]
    pub clauses: Vec<String>,
    /// Annex A 2022 controls audited.
    #[serde(default)]
    #[schemars(with = "Vec<ControlIdSchema>")]
    pub controls: Vec<String>,
    /// Policies audited, by id.
    #[serde(default)]
    #[schemars(with = "Vec<Ref<Policy>>")]
    pub policies: Vec<String>,
    /// Risks audited, by id.
    #[serde(default)]
    #[schemars(with = "Vec<Ref<Risk>>")]
    pub risks: Vec<String>,
    /// Processes, sites or teams audited, in words.
    #[serde(default)]
    pub areas: Vec<String>,
}

/// A finding of an audit.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct AuditFinding {
    /// Unique in the repository; corrective actions refer to it as their `source`.
    #[schemars(with = "RecordId")]
    pub id: String,
    /// Grade of the finding.
    #[serde(rename = "type")]
    pub finding_type: FindingType,
    /// The clause concerned, if any.
    #[schemars(with = "Option<ClauseSchema>")]
    pub clause: Option<String>,
    /// The Annex A control concerned, if any.
    #[schemars(with = "Option<ControlIdSchema>")]
    pub control: Option<String>,
    /// What was found.
    pub description: String,
    /// Corrective actions (by id) raised for this finding.
    #[serde(default)]
    #[schemars(with = "Vec<Ref<CorrectiveAction>>")]
    pub actions: Vec<String>,
}

/// Grade of an audit finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FindingType {
    MajorNonconformity,
    MinorNonconformity,
    Observation,
    OpportunityForImprovement,
}

impl FindingType {
    pub fn is_nonconformity(self) -> bool {
        matches!(
            self,
            FindingType::MajorNonconformity | FindingType::MinorNonconformity
        )
    }
}

impl Audit {
    /// The status on `day`: an audit completed after `day` was still
    /// planned on it.
    pub fn status_on(&self, day: NaiveDate) -> AuditStatus {
        match self.status {
            AuditStatus::Completed => {
                super::status_on(self.status, self.date(), day, AuditStatus::Planned)
            }
            other => other,
        }
    }

    /// The day the audit happened (completed) or is expected (planned).
    pub fn date(&self) -> Option<NaiveDate> {
        match self.status {
            AuditStatus::Completed => self.completed.or(self.planned),
            _ => self.planned,
        }
    }

    /// The key [`Audit::date`] is read from: `completed` or `planned`, for
    /// locating findings about the audit's date.
    pub fn date_key(&self) -> &'static str {
        match self.status {
            AuditStatus::Completed if self.completed.is_some() => "completed",
            _ => "planned",
        }
    }
}

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ControlIdSchema, LinkSchema, PersonSchema, RecordId, VersionSchema};
use crate::interval::Interval;

/// # Policy
///
/// A policy or other controlled document (clauses 5.2, 7.5; Annex A 5.1),
/// usually Markdown with this front matter.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Policy {
    #[schemars(with = "RecordId")]
    pub id: String,
    /// The policy's title.
    pub title: String,
    #[schemars(with = "Option<VersionSchema>")]
    pub version: Option<String>,
    /// The person or role accountable for the policy.
    #[schemars(with = "Option<PersonSchema>")]
    pub owner: Option<String>,
    /// Lifecycle status. Default `approved`. Drafts and retired documents are not
    /// expected to be approved or reviewed.
    pub status: Option<DocumentStatus>,
    /// Date the current version was approved.
    pub approved: Option<NaiveDate>,
    /// Who approved it (7.5.2: review and approval for suitability and adequacy).
    #[schemars(with = "Option<PersonSchema>")]
    pub approved_by: Option<String>,
    /// Date of the last review, if later than the approval.
    pub reviewed: Option<NaiveDate>,
    /// Review interval for this document, overriding `schedule.policy-review`.
    pub review_interval: Option<Interval>,
    /// Information classification of the document.
    pub classification: Option<String>,
    /// Annex A controls this policy implements.
    #[serde(default)]
    #[schemars(with = "Vec<ControlIdSchema>")]
    pub controls: Vec<String>,
    /// Evidence files or URLs.
    #[serde(default)]
    #[schemars(with = "Vec<LinkSchema>")]
    pub evidence: Vec<String>,
}

/// Lifecycle status of a controlled document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentStatus {
    Draft,
    Approved,
    Retired,
}

impl Policy {
    /// The status as written (`approved` when there is none).
    pub fn recorded_status(&self) -> DocumentStatus {
        self.status.unwrap_or(DocumentStatus::Approved)
    }

    /// The status on `day`: a version approved after `day` was still a
    /// draft on it.
    pub fn status_on(&self, day: NaiveDate) -> DocumentStatus {
        match self.recorded_status() {
            DocumentStatus::Approved => super::status_on(
                DocumentStatus::Approved,
                self.approved,
                day,
                DocumentStatus::Draft,
            ),
            other => other,
        }
    }
}

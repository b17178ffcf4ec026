use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{AnyRecord, LinkSchema, PersonSchema, RecordId, Ref};

/// # Management review
///
/// A review of the ISMS by top management (clause 9.3), usually Markdown: the
/// front matter records the meeting, the body its minutes. Each input of
/// 9.3.2 is covered by a key under `inputs` or by a heading in the body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ManagementReview {
    #[schemars(with = "RecordId")]
    pub id: String,
    pub title: String,
    /// `completed` (default) or `planned`.
    pub status: Option<ReviewStatus>,
    /// Date the review was held (or is planned for).
    pub date: NaiveDate,
    /// Who attended. A name, or a mapping with `name`, `role` and `top-management`.
    #[serde(default)]
    pub attendees: Vec<Attendee>,
    /// The inputs of 9.3.2 considered, by name.
    #[serde(default)]
    pub inputs: ReviewInputs,
    /// Decisions taken (9.3.3): on continual improvement opportunities and on any
    /// changes needed to the ISMS.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// The minutes, if kept elsewhere.
    #[schemars(with = "Option<LinkSchema>")]
    pub minutes: Option<String>,
}

/// Whether a review has been held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    Planned,
    Completed,
    Cancelled,
}

impl ManagementReview {
    /// The status as written (`completed` when there is none).
    pub fn recorded_status(&self) -> ReviewStatus {
        self.status.unwrap_or(ReviewStatus::Completed)
    }

    /// The status on `day`: a review held after `day` was still planned on it.
    pub fn status_on(&self, day: NaiveDate) -> ReviewStatus {
        match self.recorded_status() {
            ReviewStatus::Completed => super::status_on(
                ReviewStatus::Completed,
                Some(self.date),
                day,
                ReviewStatus::Planned,
            ),
            other => other,
        }
    }
}

/// An attendee of a review.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Attendee {
    /// A name or roster id.
    Name(#[schemars(with = "PersonSchema")] String),
    /// A person with their role.
    Person(AttendeeDetail),
}

/// An attendee with role.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct AttendeeDetail {
    #[schemars(with = "PersonSchema")]
    pub name: String,
    pub role: Option<String>,
    /// Whether this person is part of top management.
    #[serde(default)]
    pub top_management: bool,
}

impl Attendee {
    pub fn name(&self) -> &str {
        match self {
            Attendee::Name(n) => n,
            Attendee::Person(p) => &p.name,
        }
    }
}

/// The inputs of 9.3.2. Each may be text, a list or a mapping.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ReviewInputs {
    /// 9.3.2 a) status of actions from previous management reviews.
    #[schemars(with = "Option<serde_json::Value>")]
    pub previous_actions: Option<serde::de::IgnoredAny>,
    /// 9.3.2 b) changes in external and internal issues relevant to the ISMS.
    #[schemars(with = "Option<serde_json::Value>")]
    pub issues: Option<serde::de::IgnoredAny>,
    /// 9.3.2 c) changes in needs and expectations of interested parties.
    #[schemars(with = "Option<serde_json::Value>")]
    pub interested_parties: Option<serde::de::IgnoredAny>,
    /// 9.3.2 d 1) nonconformities and corrective actions.
    #[schemars(with = "Option<serde_json::Value>")]
    pub nonconformities: Option<serde::de::IgnoredAny>,
    /// 9.3.2 d 2) monitoring and measurement results.
    #[schemars(with = "Option<serde_json::Value>")]
    pub monitoring: Option<serde::de::IgnoredAny>,
    /// 9.3.2 d 3) audit results.
    #[schemars(with = "Option<serde_json::Value>")]
    pub audit_results: Option<serde::de::IgnoredAny>,
    /// 9.3.2 d 4) fulfilment of information security objectives.
    #[schemars(with = "Option<serde_json::Value>")]
    pub objectives: Option<serde::de::IgnoredAny>,
    /// 9.3.2 e) feedback from interested parties.
    #[schemars(with = "Option<serde_json::Value>")]
    pub feedback: Option<serde::de::IgnoredAny>,
    /// 9.3.2 f) results of risk assessment and status of the risk treatment plan.
    #[schemars(with = "Option<serde_json::Value>")]
    pub risk_assessment: Option<serde::de::IgnoredAny>,
    /// 9.3.2 g) opportunities for continual improvement.
    #[schemars(with = "Option<serde_json::Value>")]
    pub improvement: Option<serde::de::IgnoredAny>,
}

/// A decision of a management review (9.3.3).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Decision {
    /// What the decision is about.
    #[serde(rename = "type")]
    pub decision_type: DecisionType,
    /// The decision.
    pub description: String,
    /// Who carries the decision out.
    #[schemars(with = "Option<PersonSchema>")]
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    /// Corrective actions or other records (by id) that carry the decision out.
    #[serde(default)]
    #[schemars(with = "Vec<Ref<AnyRecord>>")]
    pub actions: Vec<String>,
}

/// The subject of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionType {
    Improvement,
    Change,
    Resources,
    Other,
}

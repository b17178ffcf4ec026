use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{LinkSchema, PersonSchema, RecordId};

/// # Awareness activity
///
/// One activity of the awareness and communication programme (clauses 7.2,
/// 7.3, 7.4; Annex A 6.3): a poster, a newsletter, a training, a phishing
/// simulation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct AwarenessActivity {
    #[schemars(with = "RecordId")]
    pub id: String,
    pub title: String,
    /// The type of activity.
    #[serde(rename = "type")]
    pub activity_type: ActivityType,
    /// Date of the activity.
    pub date: NaiveDate,
    /// `completed` (default), `planned` or `cancelled`.
    pub status: Option<ActivityStatus>,
    /// Who it was for, in words (`all staff`, `engineering`).
    pub audience: Option<String>,
    /// People (roster ids or names) who completed it; counts as their training.
    #[serde(default)]
    #[schemars(with = "Vec<PersonSchema>")]
    pub attendees: Vec<String>,
    /// Measured results.
    pub results: Option<ActivityResults>,
    /// Evidence files or URLs.
    #[serde(default)]
    #[schemars(with = "Vec<LinkSchema>")]
    pub evidence: Vec<String>,
}

/// The type of an awareness activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityType {
    Poster,
    Newsletter,
    Training,
    Refresher,
    PhishingSimulation,
    Briefing,
    Other,
}

impl ActivityType {
    /// Whether attending the activity counts as a person's security training.
    pub fn is_training(self) -> bool {
        matches!(self, ActivityType::Training | ActivityType::Refresher)
    }
}

/// Whether an activity took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityStatus {
    Planned,
    Completed,
    Cancelled,
}

impl AwarenessActivity {
    /// The status as written (`completed` when there is none).
    pub fn recorded_status(&self) -> ActivityStatus {
        self.status.unwrap_or(ActivityStatus::Completed)
    }

    /// The status on `day`: an activity held after `day` was still planned
    /// on it.
    pub fn status_on(&self, day: NaiveDate) -> ActivityStatus {
        match self.recorded_status() {
            ActivityStatus::Completed => super::status_on(
                ActivityStatus::Completed,
                Some(self.date),
                day,
                ActivityStatus::Planned,
            ),
            other => other,
        }
    }
}

/// Results of an activity.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ActivityResults {
    /// People reached.
    pub recipients: Option<u32>,
    /// People who completed it (training) or acted correctly.
    pub completed: Option<u32>,
    /// Phishing simulation: people who clicked.
    pub clicked: Option<u32>,
    /// Phishing simulation: people who reported the e-mail.
    pub reported: Option<u32>,
    /// What was learned.
    pub notes: Option<String>,
}

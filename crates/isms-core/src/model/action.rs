use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{AnyRecord, LinkSchema, PersonSchema, RecordId, Ref};

/// # Corrective action
///
/// The reaction to a nonconformity (clause 10.2): correction, root cause,
/// action taken, and a review of its effectiveness.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct CorrectiveAction {
    #[schemars(with = "RecordId")]
    pub id: String,
    pub title: String,
    /// The record this action answers, by id: usually an audit finding, or a
    /// management review, risk or incident.
    #[schemars(with = "Option<Ref<AnyRecord>>")]
    pub source: Option<String>,
    /// The nonconformity, in words (10.2 f).
    pub nonconformity: Option<String>,
    /// Date the action was raised.
    pub raised: Option<NaiveDate>,
    /// Who is responsible for the action.
    #[schemars(with = "Option<PersonSchema>")]
    pub owner: Option<String>,
    /// Date by which the action is to be closed.
    pub due: Option<NaiveDate>,
    /// `open`, `in-progress`, `closed` or `cancelled`.
    pub status: ActionStatus,
    /// Date of the last progress update.
    pub updated: Option<NaiveDate>,
    /// The immediate correction, controlling and correcting the nonconformity (10.2 a).
    pub correction: Option<String>,
    /// The cause of the nonconformity (10.2 b).
    pub root_cause: Option<String>,
    /// The action taken to remove the cause (10.2 c).
    pub action_taken: Option<String>,
    /// Date the action was closed (or cancelled). Checked on an earlier day,
    /// the action was still open on it.
    pub closed: Option<NaiveDate>,
    /// The review of the action's effectiveness (10.2 d).
    pub effectiveness: Option<Effectiveness>,
    /// Evidence files or URLs.
    #[serde(default)]
    #[schemars(with = "Vec<LinkSchema>")]
    pub evidence: Vec<String>,
}

/// Status of a corrective action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Closed,
    Cancelled,
}

/// The review of a corrective action's effectiveness (10.2 d).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Effectiveness {
    /// Date of the review.
    pub reviewed: Option<NaiveDate>,
    /// Whether the action removed the cause.
    pub effective: Option<bool>,
    /// Who reviewed it.
    #[schemars(with = "Option<PersonSchema>")]
    pub by: Option<String>,
    /// What was checked.
    pub notes: Option<String>,
}

impl CorrectiveAction {
    /// The status on `day`: an action closed or cancelled after `day` was
    /// still open on it (in progress, if an update was recorded by then).
    pub fn status_on(&self, day: NaiveDate) -> ActionStatus {
        let before = if self.updated.is_some_and(|u| u <= day) {
            ActionStatus::InProgress
        } else {
            ActionStatus::Open
        };
        match self.status {
            ActionStatus::Closed | ActionStatus::Cancelled => {
                super::status_on(self.status, self.closed, day, before)
            }
            open => open,
        }
    }

    /// Whether the action had been raised by `day`: one raised later did
    /// not exist yet (an action without a `raised` date always did).
    pub fn raised_by(&self, day: NaiveDate) -> bool {
        super::status_on(true, self.raised, day, false)
    }

    /// Whether the action was open (or in progress) on `day`: raised by
    /// then, and not yet closed or cancelled.
    pub fn is_open_on(&self, day: NaiveDate) -> bool {
        self.raised_by(day)
            && matches!(
                self.status_on(day),
                ActionStatus::Open | ActionStatus::InProgress
            )
    }
}

impl Effectiveness {
    /// The review's date, if it had been held by `day`.
    pub fn reviewed_by(&self, day: NaiveDate) -> Option<NaiveDate> {
        self.reviewed.filter(|d| *d <= day)
    }
}

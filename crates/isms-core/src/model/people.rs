use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{LinkSchema, RecordId};

/// # People
///
/// The roster of people in the ISMS scope, for per-person training rules
/// (clause 7.2; Annex A 6.3) and for checking the people named in records
/// (owners, approvers, auditors) against it (clause 5.3).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct People {
    #[schemars(with = "RecordId")]
    pub id: String,
    pub title: Option<String>,
    /// Everyone in scope.
    #[serde(default)]
    pub people: Vec<Person>,
    /// People outside the organisation who are named in its records: a
    /// contracted internal auditor, a consultant. Named like staff, by id,
    /// name, email or role; not in scope of the per-person training rules.
    #[serde(default)]
    pub external: Vec<ExternalPerson>,
}

/// A person outside the organisation who takes part in the ISMS.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ExternalPerson {
    /// A short stable id, such as `cdonnelly`.
    #[schemars(with = "RecordId")]
    pub id: String,
    pub name: String,
    /// The firm they are from.
    pub organisation: Option<String>,
    /// What they do for the ISMS, such as `Internal auditor (contracted)`.
    pub role: Option<String>,
    pub email: Option<String>,
}

/// A person in scope.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Person {
    /// A short stable id, such as `jsmith`.
    #[schemars(with = "RecordId")]
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    /// Whether this person is part of top management.
    #[serde(default)]
    pub top_management: bool,
    /// Date the person joined.
    pub joined: Option<NaiveDate>,
    /// Date the person left; leavers need no training.
    pub left: Option<NaiveDate>,
    /// Security trainings completed.
    #[serde(default)]
    pub training: Vec<TrainingRecord>,
}

/// A completed training.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct TrainingRecord {
    pub date: NaiveDate,
    pub course: String,
    #[schemars(with = "Option<LinkSchema>")]
    pub evidence: Option<String>,
}

impl Person {
    /// Whether the person was in scope on `on`: joined by then, and not yet
    /// left (someone who leaves after `on` was still there on it).
    pub fn is_active(&self, on: NaiveDate) -> bool {
        let joined = self.joined.is_none_or(|j| j <= on);
        let left = self.left.is_some() && super::status_on(true, self.left, on, false);
        joined && !left
    }
}

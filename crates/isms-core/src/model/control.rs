use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ActivityType, ControlIdSchema, LinkSchema, PersonSchema, RecordId, Ref};
use crate::interval::Interval;

/// # Control activity
///
/// A recurring activity that operates one or more controls (clauses 8.1,
/// 9.1): the quarterly user access review, the backup restore test, the
/// monthly vulnerability scan. Each time it is done is a
/// `control-performance`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ControlActivity {
    #[schemars(with = "RecordId")]
    pub id: String,
    pub title: String,
    /// The controls the activity operates: Annex A controls, or the
    /// organisation's own.
    #[serde(default)]
    #[schemars(with = "Vec<ControlIdSchema>")]
    pub controls: Vec<String>,
    /// Who is responsible for the activity being done.
    #[schemars(with = "Option<PersonSchema>")]
    pub owner: Option<String>,
    /// How often it is done, such as `3 months` or `1 year`.
    pub every: Interval,
    /// The day the activity began: the first performance is due one interval
    /// later.
    pub start: NaiveDate,
    /// How long before a performance is due to warn about it, overriding the
    /// rule's `horizon`.
    pub warn: Option<Interval>,
    /// `active` (default) or `retired`: a retired activity is no longer due,
    /// and no longer shows that its controls operate.
    pub status: Option<ControlActivityStatus>,
    /// The day the activity stopped being carried out, with or without
    /// `status: retired`: active before that day, retired from it on. No
    /// performance is due on or after it.
    pub retired: Option<NaiveDate>,
    /// The evidence every performance must link, by name (`access export`,
    /// `sign-off`): each performance lists each of them under `evidence`.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The awareness programme keeps this activity: its performances are the
    /// awareness activities of this type (such as `phishing-simulation`), and
    /// the awareness rules report it when it lapses.
    pub awareness: Option<ActivityType>,
    /// What the activity does, in words.
    pub description: Option<String>,
}

/// Whether a control activity is still carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ControlActivityStatus {
    Active,
    Retired,
}

impl ControlActivity {
    /// The status on `day`: an activity with a `retired` date is active
    /// before it and retired from it on, whatever its `status` says; without
    /// one, `status: retired` holds on every day.
    pub fn status_on(&self, day: NaiveDate) -> ControlActivityStatus {
        match self.retired {
            Some(_) => super::status_on(
                ControlActivityStatus::Retired,
                self.retired,
                day,
                ControlActivityStatus::Active,
            ),
            None => self.status.unwrap_or(ControlActivityStatus::Active),
        }
    }

    /// Whether the activity is still carried out on `day`.
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.status_on(day) == ControlActivityStatus::Active
    }
}

/// # Control performance
///
/// One performance of a control activity: when it was done, by whom, what
/// it found, and the artefacts that show it (clauses 9.1, 7.5).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ControlPerformance {
    #[schemars(with = "RecordId")]
    pub id: String,
    pub title: Option<String>,
    /// The control activity performed, by id.
    #[schemars(with = "Ref<ControlActivity>")]
    pub activity: String,
    /// The day it was done. Checked on an earlier day, it had not happened yet.
    pub date: NaiveDate,
    /// Who did it.
    #[schemars(with = "Option<PersonSchema>")]
    pub performed_by: Option<String>,
    /// `pass`, `exceptions` (it found things to correct) or `failed` (the
    /// control did not work).
    pub outcome: Outcome,
    /// What it found that needs correcting, in words.
    #[serde(default)]
    pub exceptions: Vec<String>,
    /// An earlier performance with exceptions that this one followed up and
    /// found corrected.
    #[schemars(with = "Option<Ref<ControlPerformance>>")]
    pub follows_up: Option<String>,
    /// The artefacts that show it: the export, the ticket, the signed report.
    #[serde(default)]
    pub evidence: Vec<EvidenceLink>,
    /// Anything else worth knowing.
    pub notes: Option<String>,
}

/// What a performance found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Pass,
    Exceptions,
    Failed,
}

impl Outcome {
    /// Whether the outcome calls for a reaction (10.2 a).
    pub fn needs_reaction(self) -> bool {
        matches!(self, Outcome::Exceptions | Outcome::Failed)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Exceptions => "exceptions",
            Outcome::Failed => "failed",
        }
    }
}

/// One artefact of a performance.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct EvidenceLink {
    /// Which of the activity's `evidence` items this is, such as `access
    /// export`; none for an artefact the activity does not ask for.
    pub name: Option<String>,
    /// The artefact: a file (relative to this file) or a URL.
    #[schemars(with = "LinkSchema")]
    pub link: String,
}

impl ControlPerformance {
    /// Whether it had been done by `day`.
    pub fn done_by(&self, day: NaiveDate) -> bool {
        self.date <= day
    }

    /// The link given for the evidence item `name`, if any (names compare
    /// without regard to case or surrounding spaces).
    pub fn evidence_for(&self, name: &str) -> Option<(usize, &EvidenceLink)> {
        self.evidence.iter().enumerate().find(|(_, e)| {
            e.name
                .as_deref()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(name.trim()))
        })
    }
}

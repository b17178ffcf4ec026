//! Findings: what a rule reports, and where.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::rules::RuleId;
use crate::source::{FileId, Span};

/// How serious a finding is.
///
/// Ordered so that `Note < Warning < Error`: `--fail-on warning` fails on
/// warnings and errors.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "note" => Ok(Severity::Note),
            other => Err(format!(
                "`{other}` is not a severity; use error, warning or note"
            )),
        }
    }
}

/// Where the deadline of a finding stands on the day of the check. A rule is
/// named after its obligation (`certificate-expired`), and reports it in
/// either state: read the state, not the rule's name, to tell a warning
/// ahead from a deadline that has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineState {
    /// The date has not passed (it may be today): the obligation can still
    /// be met in time.
    DueSoon,
    /// The date has passed.
    Overdue,
}

impl DeadlineState {
    /// The state of a deadline on `due`, seen on `as_of`: due soon up to and
    /// including the day itself, overdue from the day after.
    pub fn of(due: NaiveDate, as_of: NaiveDate) -> DeadlineState {
        if due < as_of {
            DeadlineState::Overdue
        } else {
            DeadlineState::DueSoon
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            DeadlineState::DueSoon => "due-soon",
            DeadlineState::Overdue => "overdue",
        }
    }
}

impl fmt::Display for DeadlineState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A second place that explains a finding ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// One problem, at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's kebab-case name.
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    /// How to fix it, when the rule can say more than its docs.
    pub help: Option<String>,
    pub file: FileId,
    pub span: Span,
    /// The record the finding is about.
    pub record_id: Option<String>,
    /// What in the record the finding is about (a field, a control id): with
    /// the rule, path and record id, it identifies the finding across edits.
    pub key: Option<String>,
    pub related: Vec<Related>,
    /// The deadline the finding is about, if any.
    pub due: Option<NaiveDate>,
    /// Whether that deadline is due soon or overdue on the day of the check:
    /// set for every finding with a `due` date when the rule emits it.
    pub state: Option<DeadlineState>,
    /// Index into the manifest's waivers, when a waiver accepts this finding.
    pub waiver: Option<usize>,
    /// Shown, but never failing the run: a finding the change being checked
    /// did not cause (see `check --staged`).
    pub advisory: bool,
    /// Stable identity: set by the engine once all findings are known.
    pub fingerprint: String,
}

impl Finding {
    pub fn new(rule: RuleId, severity: Severity, file: FileId, span: Span) -> Self {
        Finding {
            rule,
            severity,
            message: String::new(),
            help: None,
            file,
            span,
            record_id: None,
            key: None,
            related: Vec::new(),
            due: None,
            state: None,
            waiver: None,
            advisory: false,
            fingerprint: String::new(),
        }
    }

    pub fn message(mut self, m: impl Into<String>) -> Self {
        self.message = m.into();
        self
    }

    pub fn help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }

    pub fn record(mut self, id: Option<&str>) -> Self {
        self.record_id = id.map(str::to_owned);
        self
    }

    pub fn key(mut self, k: impl Into<String>) -> Self {
        self.key = Some(k.into());
        self
    }

    pub fn related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn due(mut self, d: NaiveDate) -> Self {
        self.due = Some(d);
        self
    }

    pub fn is_waived(&self) -> bool {
        self.waiver.is_some()
    }
}

/// The fingerprint of a finding: a hash of what it is about, not of where the
/// lines happen to be, so that it survives unrelated edits.
pub fn fingerprint(rule: &str, path: &str, record_id: Option<&str>, key: Option<&str>) -> String {
    let mut h = Sha256::new();
    for part in [rule, path, record_id.unwrap_or(""), key.unwrap_or("")] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

//! Evidence from the git history: when records first appeared and last changed.
//!
//! These rules read [`crate::Repository::history`] and stay silent when it is
//! `None` (not read from git, a shallow clone, no commits yet). They compare
//! *records*, not files: a register holds many records in one file, and
//! adding an entry must not count as changing the others. Each version of a
//! file is read again from history and its records are told apart by id (see
//! [`crate::history::Timeline`]).

pub mod record_backdated;
pub mod record_modified_after_closure;

use chrono::NaiveDate;

use crate::history::{Commit, Snapshot};
use crate::model::{ActionStatus, AuditStatus, Kind, ReviewStatus};
use crate::repository::{Record, Repository};

/// A dated event a record attests: an action raised or closed, an audit
/// completed, a review or an awareness activity held.
pub(crate) struct Event<'r> {
    pub record: &'r Record,
    pub id: &'r str,
    /// "raised", "closed", "completed", "held".
    pub verb: &'static str,
    pub date: NaiveDate,
    /// The field that gives the date.
    pub field: &'static str,
    /// Whether a version of the record already attests the event.
    pub attested: fn(&Snapshot) -> bool,
}

impl Event<'_> {
    /// "corrective action CA-1".
    pub fn label(&self) -> String {
        format!("{} {}", noun(self.record.kind), self.id)
    }
}

fn any(_: &Snapshot) -> bool {
    true
}

fn closed(s: &Snapshot) -> bool {
    s.status.as_deref() == Some("closed")
}

fn completed(s: &Snapshot) -> bool {
    s.status.as_deref() == Some("completed")
}

/// Reviews and awareness activities without a `status` are completed.
fn completed_by_default(s: &Snapshot) -> bool {
    matches!(s.status.as_deref(), None | Some("completed"))
}

/// Records that were closed on `as_of`: corrective actions closed, audits
/// completed, management reviews held (the date their content is final
/// from). One closed after `as_of` was still open on it.
pub(crate) fn closures(repo: &Repository, as_of: NaiveDate) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    for (record, a) in repo.actions() {
        if let (ActionStatus::Closed, Some(date)) = (a.status_on(as_of), a.closed) {
            out.push(event(record, &a.id, "closed", date, "closed", closed));
        }
    }
    for (record, a) in repo.audits() {
        if let (AuditStatus::Completed, Some(date)) = (a.status_on(as_of), a.completed) {
            out.push(event(
                record,
                &a.id,
                "completed",
                date,
                "completed",
                completed,
            ));
        }
    }
    for (record, r) in repo.reviews() {
        if r.status_on(as_of) == ReviewStatus::Completed {
            out.push(event(
                record,
                &r.id,
                "held",
                r.date,
                "date",
                completed_by_default,
            ));
        }
    }
    out
}

/// Every dated event records attest: closures, actions raised, and
/// awareness activities held.
pub(crate) fn events(repo: &Repository, as_of: NaiveDate) -> Vec<Event<'_>> {
    let mut out = Vec::new();
    for (record, a) in repo.actions() {
        if let Some(date) = a.raised {
            out.push(event(record, &a.id, "raised", date, "raised", any));
        }
    }
    out.extend(closures(repo, as_of));
    for (record, a) in repo.activities() {
        if a.status_on(as_of) == crate::model::ActivityStatus::Completed {
            out.push(event(
                record,
                &a.id,
                "held",
                a.date,
                "date",
                completed_by_default,
            ));
        }
    }
    out
}

fn event<'r>(
    record: &'r Record,
    id: &'r str,
    verb: &'static str,
    date: NaiveDate,
    field: &'static str,
    attested: fn(&Snapshot) -> bool,
) -> Event<'r> {
    Event {
        record,
        id,
        verb,
        date,
        field,
        attested,
    }
}

fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::CorrectiveAction => "corrective action",
        Kind::Audit => "audit",
        Kind::ManagementReview => "management review",
        Kind::AwarenessActivity => "awareness activity",
        Kind::Policy => "policy",
        Kind::Risk => "risk",
        Kind::StatementOfApplicability => "statement of applicability",
        Kind::People => "people roster",
        Kind::ControlActivity => "control activity",
        Kind::ControlPerformance => "control performance",
        Kind::Supplier => "supplier",
        Kind::LegalRequirement => "legal requirement",
    }
}

/// "commit 1a2b3c4 (Ann Lee, 2025-03-02: “Tidy the register”)".
pub(crate) fn describe_commit(c: &Commit) -> String {
    format!(
        "commit {} ({}, {}: “{}”)",
        c.short_id(),
        c.author,
        c.date,
        c.summary
    )
}

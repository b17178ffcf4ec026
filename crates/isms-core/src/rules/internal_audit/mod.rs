//! Internal audit (ISO/IEC 27001:2022 9.2): the programme, its spread, coverage and independence.

pub mod audit_programme_coverage;
pub mod auditor_not_independent;
pub mod internal_audit_overdue;
pub mod internal_audits_clustered;
pub mod nonconformity_without_action;

use chrono::NaiveDate;

use super::schedule::Occurrence;
use crate::model::{Audit, AuditStatus, AuditType};
use crate::repository::{Record, Repository};
use crate::source::Span;

/// An audit that is not cancelled, with its date and its status on the day
/// of the check. The certification rules use it too: audits of the
/// certification body are audit records as well.
pub(super) struct DatedAudit<'a> {
    pub record: &'a Record,
    pub audit: &'a Audit,
    pub date: NaiveDate,
    /// The status on the day of the check ([`Audit::status_on`]): one
    /// recorded as completed on a later day was still planned then.
    pub status: AuditStatus,
}

impl<'a> DatedAudit<'a> {
    /// Whether the audit had been held by the day of the check.
    pub fn is_completed(&self) -> bool {
        self.status == AuditStatus::Completed
    }

    /// Whether the audit was still to come (or overdue) on the day of the
    /// check.
    pub fn is_planned(&self) -> bool {
        self.status == AuditStatus::Planned
    }

    /// "internal audit IA-2025-03".
    pub fn label(&self) -> String {
        format!("{} {}", self.audit.audit_type.noun(), self.audit.id)
    }

    /// Where the audit's date is written.
    pub fn date_span(&self) -> Span {
        self.record.span([self.audit.date_key()])
    }

    /// The audit as an occurrence of a recurring obligation.
    pub fn occurrence(&self) -> Occurrence<'a> {
        Occurrence {
            record: self.record,
            span: self.date_span(),
            name: self.audit.id.clone(),
            date: self.date,
            completed: self.is_completed(),
        }
    }
}

/// Audits that are not cancelled and have a date, of the types `keep`
/// accepts, in date order, with their status on `as_of`.
pub(super) fn dated_audits(
    repo: &Repository,
    as_of: NaiveDate,
    keep: impl Fn(AuditType) -> bool,
) -> Vec<DatedAudit<'_>> {
    let mut out: Vec<DatedAudit<'_>> = repo
        .audits()
        .filter(|(_, a)| keep(a.audit_type))
        .filter_map(|(record, audit)| {
            let status = audit.status_on(as_of);
            if status == AuditStatus::Cancelled {
                return None;
            }
            Some(DatedAudit {
                record,
                audit,
                date: audit.date()?,
                status,
            })
        })
        .collect();
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.audit.id.cmp(&b.audit.id)));
    out
}

/// The fields of an audit that say whether and when it happened: when one
/// could not be read, the programme cannot be judged.
pub(super) const AUDIT_FIELDS: &[&str] = &["type", "status", "planned", "completed"];

/// Internal audits that are not cancelled, in date order, with their status
/// on `as_of`.
fn internal_audits(repo: &Repository, as_of: NaiveDate) -> Vec<DatedAudit<'_>> {
    dated_audits(repo, as_of, |t| t == AuditType::Internal)
}

/// The clause of ISO/IEC 27001 a scope entry names, by its first number:
/// `9.2` is in clause 9.
fn main_clause(written: &str) -> Option<u8> {
    written.trim().split('.').next()?.trim().parse().ok()
}

/// Test fixtures of audits, shared with the certification rules.
#[cfg(test)]
pub(crate) mod fixtures {
    /// A manifest with a certificate decided on `decision`, expiring on
    /// `expiry`: `decision` is on line 7, column 13; `expiry` on line 8,
    /// column 11; `standard` on line 6, column 13.
    pub fn certified(decision: &str, expiry: &str) -> String {
        format!(
            "organisation:\n  name: Test Ltd\ncertification:\n  body: Meridian Certification Ltd\n  certificate: MCL-24017\n  standard: ISO/IEC 27001:2022\n  decision: {decision}\n  expiry: {expiry}\n"
        )
    }

    /// An audit register entry.
    pub fn audit(id: &str, audit_type: &str, status: &str, date: &str) -> String {
        let key = if status == "completed" {
            "completed"
        } else {
            "planned"
        };
        format!(
            "  - id: {id}\n    title: {id}\n    type: {audit_type}\n    status: {status}\n    {key}: {date}\n"
        )
    }

    /// An audit register of `entries`: entry `n` (from 0) has its date on
    /// line `7 + 5 n`, column 16 (`completed`) or 14 (`planned`).
    pub fn audits(entries: &[String]) -> String {
        format!("kind: audit\nentries:\n{}", entries.concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_are_read_by_their_first_number() {
        assert_eq!(main_clause("9.2"), Some(9));
        assert_eq!(main_clause(" 10 "), Some(10));
        assert_eq!(main_clause("4.1.2"), Some(4));
        assert_eq!(main_clause("A.5.1"), None);
        assert_eq!(main_clause(""), None);
    }
}

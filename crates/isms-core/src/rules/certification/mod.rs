//! Certification cycle (ISO/IEC 17021-1, ISO/IEC 27006-1): the certificate, surveillance and recertification.
//!
//! The cycle runs from the certification decision (`certification.decision`,
//! the last recertification decision after the first cycle) to the expiry
//! printed on the certificate. Audits of the certification body are audit
//! records with `type: surveillance`, `recertification` and so on; one
//! counts for the current cycle when it is dated after the decision.

pub mod certificate_expired;
pub mod legacy_control_reference;
pub mod recertification_not_planned;
pub mod surveillance_audit_missed;

use super::internal_audit::{dated_audits, DatedAudit};
use crate::model::{AuditType, Certification};
use crate::repository::Repository;

/// "Certificate MCL-24017 of Meridian Certification Ltd", to start a message.
fn certificate(cert: &Certification) -> String {
    format!("Certificate {} of {}", cert.certificate, cert.body)
}

/// Audits of `audit_type`, completed or planned, dated after the decision
/// that started the current cycle, in date order.
fn cycle_audits<'a>(
    repo: &'a Repository,
    cert: &Certification,
    as_of: chrono::NaiveDate,
    audit_type: AuditType,
) -> Vec<DatedAudit<'a>> {
    dated_audits(repo, as_of, |t| t == audit_type)
        .into_iter()
        .filter(|a| a.date > cert.decision)
        .collect()
}

//! Documented information and the Statement of Applicability (5.1, 7.5, 6.1.3 d).

pub mod document_unapproved;
pub mod policy_review_overdue;
pub mod soa_control_missing;
pub mod soa_justification_missing;
pub mod unknown_control;

use super::RuleContext;
use crate::model::{Kind, Standard};
use crate::repository::{Record, Repository};
use crate::yaml::Node;

/// Every Statement of Applicability, read from its YAML rather than its typed
/// form: one malformed entry must not hide the other 92 from these rules.
fn soas(repo: &Repository) -> impl Iterator<Item = &Record> {
    repo.records
        .iter()
        .filter(|r| r.kind == Kind::StatementOfApplicability)
}

/// The entries of a Statement of Applicability's `controls` list.
fn soa_entries(record: &Record) -> &[Node] {
    record
        .node
        .get("controls")
        .and_then(Node::as_seq)
        .unwrap_or_default()
}

/// "the Statement of Applicability SOA".
fn soa_name(record: &Record) -> String {
    match &record.id {
        Some(id) => format!("the Statement of Applicability {id}"),
        None => "the Statement of Applicability".to_owned(),
    }
}

/// "the Statement of Applicability SOA", "risk RISK-001".
fn record_name(record: &Record) -> String {
    match record.kind {
        Kind::StatementOfApplicability => soa_name(record),
        _ => record.label(),
    }
}

/// "5.7 (Threat intelligence)", or the id as written when it is not a 2022
/// control.
fn control_name(written: &str) -> String {
    match crate::catalog::control(written) {
        Some(c) => format!("{} ({})", c.id, c.title),
        None => written.trim().to_owned(),
    }
}

/// Whether, on the day of the check, the ISMS was still kept against the
/// 2013 edition (its Annex A numbered A.5.1.1 to A.18.2.3): listed alone in
/// `standards`, or certified to it, while the transition lasted. The rules
/// that compare control ids with the 2022 catalogue have nothing to say then;
/// after the transition, `legacy-control-reference` reports the 2013 edition.
fn kept_to_2013_edition(cx: &RuleContext<'_>) -> bool {
    let m = &cx.repo.manifest;
    if cx.as_of > crate::catalog::TRANSITION_2013_END
        || m.standards.contains(&Standard::Iso27001_2022)
    {
        return false;
    }
    m.standards.contains(&Standard::Iso27001_2013)
        || m.certification
            .as_ref()
            .is_some_and(|c| c.standard == Standard::Iso27001_2013)
}

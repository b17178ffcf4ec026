//! Documented information and the Statement of Applicability (5.1, 7.5, 6.1.3 d).

pub mod document_unapproved;
pub mod policy_review_overdue;
pub mod soa_control_missing;
pub mod soa_control_without_evidence;
pub mod soa_implementation_overdue;
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

/// A control the Statement of Applicability claims something of: an entry of
/// its `controls` (Annex A) or of its `additional-controls` (the
/// organisation's own), read from the YAML.
struct Claim<'r> {
    record: &'r Record,
    entry: &'r Node,
    /// Where the id is written.
    span: crate::source::Span,
    /// "Annex A 5.7 (Threat intelligence)", "the organisation's own control
    /// C-SEC-004 (Customer-managed keys)".
    name: String,
    /// The key its references count under (see [`crate::catalog::OwnControls::key`]).
    key: String,
    /// `controls/4` or `additional-controls/0`: its path in the record.
    path: String,
}

impl Claim<'_> {
    /// The entry's `status`, as written.
    fn status(&self) -> Option<&str> {
        self.entry
            .get("status")
            .and_then(Node::as_text)
            .map(str::trim)
    }
}

/// Every applicable control of every Statement of Applicability: the Annex A
/// entries marked `applicable: true`, and the organisation's own controls
/// (included by being listed).
fn applicable_claims(repo: &Repository) -> Vec<Claim<'_>> {
    use crate::yaml::Typed;
    let mut out = Vec::new();
    for record in soas(repo) {
        for (i, entry) in soa_entries(record).iter().enumerate() {
            let applicable = entry
                .get("applicable")
                .and_then(|n| n.as_scalar())
                .is_some_and(|s| s.typed() == Typed::Bool(true));
            let Some(node) = entry.get("control").filter(|_| applicable) else {
                continue;
            };
            let Some(id) = node.as_text().map(str::trim) else {
                continue;
            };
            let Some(c) = crate::catalog::control(id) else {
                continue; // unknown-control's
            };
            out.push(Claim {
                record,
                entry,
                span: node.span,
                name: format!("Annex A {} ({})", c.id, c.title),
                key: c.id.clone(),
                path: format!("controls/{i}"),
            });
        }
        let own = record
            .node
            .get("additional-controls")
            .and_then(Node::as_seq)
            .unwrap_or_default();
        for (i, entry) in own.iter().enumerate() {
            let Some(node) = entry.get("id") else {
                continue;
            };
            let Some(id) = node.as_text().map(str::trim).filter(|t| !t.is_empty()) else {
                continue;
            };
            if crate::catalog::control(id).is_some() {
                continue; // soa-control-missing's
            }
            let name = match entry.get("title").and_then(Node::as_text) {
                Some(t) => format!("the organisation's own control {id} ({})", t.trim()),
                None => format!("the organisation's own control {id}"),
            };
            out.push(Claim {
                record,
                entry,
                span: node.span,
                name,
                key: id.to_owned(),
                path: format!("additional-controls/{i}"),
            });
        }
    }
    out
}

/// The control-reference fields of a kind, as `/`-paths of the values to
/// ask [`RuleContext::unread`] about (`scope/controls`, `findings`).
fn control_field_paths(kind: Kind) -> Vec<String> {
    crate::fields::of(kind)
        .iter()
        .filter(|f| f.reference == crate::fields::Reference::Control)
        .map(|f| {
            f.path
                .iter()
                .take_while(|s| **s != "*")
                .copied()
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// Every control named by a control-reference field of `record`, found
/// from the model, under its key (see [`crate::catalog::OwnControls::key`]).
fn control_references(
    record: &Record,
    own: &crate::catalog::OwnControls<'_>,
    mut each: impl FnMut(String),
) {
    for field in crate::fields::of(record.kind)
        .iter()
        .filter(|f| f.reference == crate::fields::Reference::Control)
    {
        for m in record.node.matching(&field.path) {
            if let Some(key) = m.node.as_text().and_then(|t| own.key(t)) {
                each(key.to_owned());
            }
        }
    }
}

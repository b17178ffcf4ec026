//! Supplier relationships (ISO/IEC 27001:2022 Annex A 5.19–5.22): reviews
//! at the interval of each supplier's tier, assurance that is still current,
//! and critical suppliers assessed at all.

pub mod supplier_assurance_expired;
pub mod supplier_review_overdue;
pub mod supplier_unassessed;

use crate::model::Supplier;

/// "supplier SUP-AWS (Amazon Web Services)": for messages.
fn label(s: &Supplier) -> String {
    format!("supplier {} ({})", s.id, s.name)
}

//! Nonconformity and corrective action (ISO/IEC 27001:2022 10.2).

pub mod corrective_action_incomplete;
pub mod corrective_action_overdue;
pub mod corrective_action_stale;
pub mod effectiveness_review_overdue;

use chrono::NaiveDate;

use crate::model::{ActionStatus, CorrectiveAction};

/// "open" or "in progress" on `day`, for messages about open actions.
fn open_word(action: &CorrectiveAction, day: NaiveDate) -> &'static str {
    match action.status_on(day) {
        ActionStatus::InProgress => "in progress",
        _ => "open",
    }
}

/// Whether a text field is missing or says nothing.
fn is_blank(field: &Option<String>) -> bool {
    field.as_deref().is_none_or(|t| t.trim().is_empty())
}

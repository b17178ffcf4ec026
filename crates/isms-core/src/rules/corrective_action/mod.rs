//! Nonconformity and corrective action (ISO/IEC 27001:2022 10.2).

pub mod corrective_action_overdue;

use super::Rule;

pub static RULES: &[&dyn Rule] = &[&corrective_action_overdue::CorrectiveActionOverdue];

//! Nonconformity and corrective action (ISO/IEC 27001:2022 10.2).

use super::Rule;

pub static RULES: &[&dyn Rule] = &[];

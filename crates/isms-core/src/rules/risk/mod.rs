//! Risk assessment and treatment (ISO/IEC 27001:2022 6.1.2, 8.2, 8.3).

use super::Rule;

pub static RULES: &[&dyn Rule] = &[];

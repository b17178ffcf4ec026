//! Competence, awareness and communication (ISO/IEC 27001:2022 7.2, 7.3, 7.4).

use super::Rule;

pub static RULES: &[&dyn Rule] = &[];

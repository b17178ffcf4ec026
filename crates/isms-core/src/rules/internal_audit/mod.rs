//! Internal audit (ISO/IEC 27001:2022 9.2): the programme, its spread, coverage and independence.

use super::Rule;

pub static RULES: &[&dyn Rule] = &[];

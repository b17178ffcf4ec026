//! Management review (ISO/IEC 27001:2022 9.3): interval, inputs and outputs.

use super::Rule;

pub static RULES: &[&dyn Rule] = &[];

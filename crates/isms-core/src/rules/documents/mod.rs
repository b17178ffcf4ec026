//! Documented information and the Statement of Applicability (5.1, 7.5, 6.1.3 d).

use super::Rule;

pub static RULES: &[&dyn Rule] = &[];

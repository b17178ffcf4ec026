//! Evidence from the git history: when records first appeared and last changed.

use super::Rule;

pub static RULES: &[&dyn Rule] = &[];

//! Waivers: findings the organisation has accepted for a time. The engine
//! applies waivers after every rule has run and reports on them through these
//! two rules.

pub mod waiver_expired;
pub mod waiver_unused;

use super::Rule;

pub static RULES: &[&dyn Rule] = &[&waiver_expired::WaiverExpired, &waiver_unused::WaiverUnused];

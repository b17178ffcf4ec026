//! Waivers: findings the organisation has accepted for a time. The engine
//! applies waivers after every rule has run and reports on them through these
//! two rules.

pub mod waiver_expired;
pub mod waiver_unused;

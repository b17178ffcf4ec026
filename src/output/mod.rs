//! Report renderers. Each writes one format; human-only headers and footers
//! never leak into machine formats.

pub mod human;
pub mod json;

//! Integrity: the repository can be read, its records are well-formed, and
//! what they point at exists. These rules apply whatever the standard.

pub mod broken_reference;
pub mod duplicate_id;
pub mod invalid_date;
pub mod parse_error;
pub mod schema_violation;
pub mod unknown_kind;
pub mod unreadable_file;

use super::Rule;

pub static RULES: &[&dyn Rule] = &[
    &unreadable_file::UnreadableFile,
    &parse_error::ParseError,
    &schema_violation::SchemaViolation,
    &invalid_date::InvalidDate,
    &unknown_kind::UnknownKind,
    &duplicate_id::DuplicateId,
    &broken_reference::BrokenReference,
];

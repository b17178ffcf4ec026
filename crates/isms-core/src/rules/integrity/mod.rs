//! Integrity: the repository can be read, its records are well-formed, and
//! what they point at exists. These rules apply whatever the standard.

pub mod broken_reference;
pub mod duplicate_id;
pub mod invalid_date;
pub mod parse_error;
pub mod schema_violation;
pub mod unknown_kind;
pub mod unreadable_file;

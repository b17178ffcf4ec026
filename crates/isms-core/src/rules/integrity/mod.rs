//! Integrity: the repository can be read, its records are well-formed, and
//! what they point at exists. These rules apply whatever the standard.

pub mod broken_reference;
pub mod duplicate_id;
pub mod invalid_date;
pub mod parse_error;
pub mod schema_violation;
pub mod unknown_kind;
pub mod unreadable_file;

use crate::problem::ProblemKind;
use crate::rules::RuleContext;

/// Report the schema's errors that belong to the running rule
/// (`schema-violation`, or `invalid-date` for dates), worded by
/// [`crate::schema::messages`].
fn report_schema_problems(cx: &mut RuleContext<'_>) {
    for p in cx.problems() {
        if let ProblemKind::Schema { error, record, key } = &p.what {
            let f = cx
                .finding(p.file, p.span)
                .message(error.message.clone())
                .record(record.as_deref())
                .key(key.clone());
            cx.emit(f);
        }
    }
}

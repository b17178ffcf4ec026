use crate::finding::Severity;
use crate::rules::{Category, Rule, RuleId, RuleMeta};

/// Reported by the loader: a date is not a real calendar date in ISO 8601 form.
pub struct InvalidDate;

static META: RuleMeta = RuleMeta {
    id: RuleId::InvalidDate,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.2 (identification and description, e.g. date)",
    summary: "A date does not exist or is not written YYYY-MM-DD",
    what: "Every date in a record or in the manifest must be an ISO 8601 calendar date \
(`2025-03-31`) that exists: not `2025-02-30`, not `31/03/2025`, not `March 2025`.",
    why: "Dates set the clocks of the ISMS: when an action falls due, when the next review is \
owed, when the certificate expires. A date that does not exist cannot be compared, so the \
deadline it sets is never checked.",
    example: "```yaml\nkind: corrective-action\nid: CA-2025-011\ntitle: Rotate backup keys\nstatus: open\ndue: 2025-02-30   # February 2025 has 28 days\n```",
    fix: "Write the intended date as YYYY-MM-DD. Month ends are a common slip: February has 28 \
days (29 in leap years), and April, June, September and November have 30.",
    options: &[],
    deadlines: false,
};

impl Rule for InvalidDate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

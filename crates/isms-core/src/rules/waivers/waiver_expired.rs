use crate::finding::Severity;
use crate::rules::{Category, Rule, RuleMeta};

/// Reported by the engine when a matching waiver has expired.
pub struct WaiverExpired;

static META: RuleMeta = RuleMeta {
    name: "waiver-expired",
    category: Category::Waivers,
    default_severity: Severity::Warning,
    standard: None,
    clause: "ISO/IEC 27001:2022 6.1.3 f, 10.2 (accepted risks and deferred actions are revisited)",
    summary: "A waiver has expired, so the finding it accepted is reported again",
    what: "A waiver in `isms.yaml` matches a finding, but the day of the check is after the \
waiver's `expires` date. The waived finding is reported again as it is, and this finding \
points at the waiver.",
    why: "A waiver is a decision with an owner and a date to revisit it, like a risk acceptance. \
An expired waiver is a decision no one has renewed: the auditor will ask who accepted the \
finding after that date.",
    example: "```yaml\nwaivers:\n  - rule: policy-review-overdue\n    target: POL-007\n    reason: Policy is being rewritten for the new supplier framework\n    owner: Head of Procurement\n    expires: 2025-06-30   # expired: the finding is back\n```",
    fix: "Fix the finding and delete the waiver, or — if it is still accepted — renew the waiver \
with a new `expires` date and a reason that says why.",
    options: &[],
    deadlines: false,
};

impl Rule for WaiverExpired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

use crate::finding::Severity;
use crate::rules::{Category, Rule, RuleMeta};

/// Reported by the engine when a waiver matches no finding.
pub struct WaiverUnused;

static META: RuleMeta = RuleMeta {
    name: "waiver-unused",
    category: Category::Waivers,
    default_severity: Severity::Warning,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.3 (documented information is kept accurate)",
    summary: "A waiver matches no finding",
    what: "A waiver in `isms.yaml` whose `rule` and `target` (a record id, a path, or a path \
glob) match no finding of this check: the problem was fixed, or the waiver names the wrong rule \
or record.",
    why: "A waiver that matches nothing is misleading: it suggests an accepted problem that no \
longer exists, or it silently fails to accept the one it was written for. Stale waivers also \
accept future findings nobody has looked at.",
    example: "```yaml\nwaivers:\n  - rule: risk-reveiw-overdue   # no such rule\n    target: RISK-012\n    reason: Supplier exit in progress\n    owner: CISO\n    expires: 2026-03-31\n```",
    fix: "Delete the waiver if its finding is fixed; otherwise correct its `rule` (see \
`isms-lint rules`) or its `target`.",
    options: &[],
    deadlines: false,
};

impl Rule for WaiverUnused {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

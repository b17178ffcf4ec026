use crate::finding::Severity;
use crate::rules::{Category, Rule, RuleId, RuleMeta};

/// Reported by the loader: a record's `kind` is missing or unknown.
pub struct UnknownKind;

static META: RuleMeta = RuleMeta {
    id: RuleId::UnknownKind,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.2 (documented information is identified)",
    summary: "A record declares no kind, or a kind isms-lint does not know",
    what: "Every record declares what it is with `kind:` — one of `policy`, \
`statement-of-applicability`, `risk`, `audit`, `management-review`, `corrective-action`, \
`awareness-activity`, `people`. Files in the record directories of `paths:` (by default \
`policies/`, `risks/`, `audits/`, `reviews/`, `actions/`, `awareness/`, and `soa.yaml`, \
`people.yaml`) must be records; elsewhere, only files that declare a `kind` are read.",
    why: "A record without a known kind is not checked by any rule: an audit typed `kind: adit` \
does not count towards the audit programme, and the missing audit is reported instead of the \
typo.",
    example:
        "```yaml\nkind: managment-review   # did you mean `management-review`?\nid: MR-2025-H1\n```",
    fix: "Correct the `kind`, or add it. A Markdown record needs a front matter block at the very \
top of the file: a line `---`, the keys, and a closing `---`.",
    options: &[],
    deadlines: false,
};

impl Rule for UnknownKind {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

use crate::finding::Severity;
use crate::problem::ProblemKind;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// Reported by the loader: a record does not match its kind's JSON Schema.
pub struct SchemaViolation;

static META: RuleMeta = RuleMeta {
    id: RuleId::SchemaViolation,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.2 (documented information is properly identified and described)",
    summary: "A record or the manifest does not match its schema",
    what: "Each record is validated against the JSON Schema of its kind (`isms-lint schema` \
prints them), and `isms.yaml` against the manifest schema: required keys, allowed values, \
types, and unknown keys (your own keys are welcome if they start with `x-`).",
    why: "Rules read records by their keys. A misspelt key (`approvedby`) or an unexpected value \
(`status: done`) means a date or a status the rules never see, and a deadline that passes in \
silence. The schema catches these at the line they are written.",
    example: "```yaml\nkind: audit\nid: IA-2025-03\ntitle: Access control\ntype: internal\nstatus: done   # must be one of planned, completed or cancelled\n```",
    fix: "Use one of the values the message lists, add the missing key, or correct the key's \
spelling. Editors that support yaml-language-server show the same errors as you type: see \
docs/format.md.",
    options: &[],
    deadlines: false,
};

impl Rule for SchemaViolation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        super::report_schema_problems(cx);
        for p in cx.problems() {
            let message = match &p.what {
                ProblemKind::RecordNotMapping => "a record must be a mapping of keys to values, starting with `kind:`".to_owned(),
                ProblemKind::WaiversFileNotMapping => "a waivers file is a mapping with a `waivers:` list, written as in `isms.yaml`".to_owned(),
                ProblemKind::RecordUnreadable { kind, message, .. } => format!("{} cannot be read: {message}", kind.with_article()),
                ProblemKind::WaiversFileOutside { written } => format!("`waivers-file` must be a path inside the repository, relative to its root, such as `waivers.yaml` — found \"{written}\""),
                ProblemKind::IntegrityRuleOff { rule } => format!("`{rule}` cannot be turned off: it says whether the repository could be read at all; give it another severity, or waive its findings one by one with a reason"),
                ProblemKind::NoCheckedStandard => "`standards` names no standard isms-lint checks, so no rule of a standard would run: add `ISO/IEC 27001:2022`".to_owned(),
                ProblemKind::InvalidExclude { pattern, error } => format!("`{pattern}` is not a valid glob pattern: {error}"),
                _ => continue,
            };
            let mut f = cx.finding(p.file, p.span).message(message);
            if let ProblemKind::RecordUnreadable { record, .. } = &p.what {
                f = f.record(record.as_deref());
            }
            cx.emit(f);
        }
    }
}

use crate::finding::Severity;
use crate::problem::ProblemKind;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};

/// Reported by the loader: the YAML (or the front matter) is malformed.
pub struct ParseError;

static META: RuleMeta = RuleMeta {
    id: RuleId::ParseError,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.2 (documented information is properly identified and formatted)",
    summary: "A file is not well-formed YAML, or its front matter is not closed",
    what: "The YAML of a record file, or the front matter block of a Markdown file, cannot be \
parsed: a syntax error, a key given twice in the same mapping, nesting deeper than 64 levels, \
aliases that expand to more than 100 000 values, or front matter opened with `---` and never \
closed.",
    why: "A record that does not parse is not evidence: isms-lint cannot read its dates, so the \
deadlines it sets are not checked. A duplicate key is worse: other tools silently keep one of \
the two values, so the record says something different depending on who reads it.",
    example: "```yaml\nkind: corrective-action\nid: CA-2025-004\nstatus: open\nstatus: closed   # duplicate key `status`\n```",
    fix: "Correct the YAML at the line shown. For a duplicate key, keep the value that is true \
and delete the other. Close front matter with a line holding only `---`.",
    options: &[],
    deadlines: false,
};

impl Rule for ParseError {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for p in cx.problems() {
            let f = match &p.what {
                ProblemKind::Yaml(e) => {
                    let mut f = cx.finding(p.file, p.span).message(e.message.clone());
                    if let Some((span, msg)) = &e.related {
                        f = f.related(p.file, *span, msg.clone());
                    }
                    f
                }
                ProblemKind::UnclosedFrontMatter => cx.finding(p.file, p.span).message(
                    "front matter opened with `---` on line 1 is never closed: add a line `---` after the last key",
                ),
                _ => continue,
            };
            cx.emit(f);
        }
    }
}

use crate::finding::Severity;
use crate::model::Kind;
use crate::problem::ProblemKind;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::Span;
use crate::text;
use crate::yaml::{Node, Value};

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

    fn check(&self, cx: &mut RuleContext<'_>) {
        for p in cx.problems() {
            let message = match &p.what {
                ProblemKind::NoFrontMatter => "this Markdown file has no front matter, so it declares no `kind`: start it with a `---` block holding `kind:` and `id:`".to_owned(),
                ProblemKind::NoRecord { front_matter: true, .. } => {
                    "the front matter holds no record: it needs at least `kind:` and `id:`".to_owned()
                }
                ProblemKind::NoRecord { empty: true, .. } => {
                    "this file is empty: a record needs at least `kind:` and `id:`".to_owned()
                }
                ProblemKind::NoRecord { .. } => "this file holds no record, only comments or blank lines: a record needs at least `kind:` and `id:`".to_owned(),
                ProblemKind::KindMissing => format!(
                    "this record declares no `kind`; add one of: {}",
                    kind_list()
                ),
                ProblemKind::KindNotText { found } => format!(
                    "`kind` must name the kind of record, one of: {} — found {found}",
                    kind_list()
                ),
                ProblemKind::KindUnknown { written } => {
                    let hint = text::closest(written, Kind::ALL.iter().map(|k| k.as_str()))
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                    format!(
                        "`{written}` is not a kind of record; {hint}known kinds: {}",
                        kind_list()
                    )
                }
                _ => continue,
            };
            let f = cx.finding(p.file, p.span).message(message);
            cx.emit(f);
        }
    }
}

/// The kind a document declares; else where and why it declares none. A
/// document that is not a mapping is no record at all.
pub(crate) fn kind_of(doc: &Node) -> Result<Kind, (Span, ProblemKind)> {
    if doc.as_map().is_none() {
        return Err((doc.span, ProblemKind::RecordNotMapping));
    }
    let Some(e) = doc.entry("kind") else {
        let span = doc
            .as_map()
            .and_then(|m| m.first())
            .map_or(doc.span, |e| e.key.span);
        return Err((span, ProblemKind::KindMissing));
    };
    let Some(written) = e.value.as_text() else {
        let (span, found) = match &e.value.value {
            _ if e.value.is_null() => (e.key.span, "nothing"),
            Value::Seq(_) => (e.value.span, "a list"),
            _ => (e.value.span, "a mapping"),
        };
        return Err((span, ProblemKind::KindNotText { found }));
    };
    Kind::parse(written).ok_or_else(|| {
        let span = if e.value.is_null() {
            e.key.span
        } else {
            e.value.span
        };
        (
            span,
            ProblemKind::KindUnknown {
                written: written.to_owned(),
            },
        )
    })
}

fn kind_list() -> String {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    kinds.join(", ")
}

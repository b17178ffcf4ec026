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
    example: crate::rules::Example::new(
        &[(
            "reviews/2025-06-management-review.md",
            "\
---
kind: managment-review
id: MR-2025-06
title: Management review, June 2025
date: 2025-06-12
attendees:
  - hmarsh
  - twhitfield
---
# Management review, June 2025

Minutes approved by Helen Marsh on 2025-06-19.
",
        )],
        "2025-06-20",
        &[(
            "reviews/2025-06-management-review.md",
            "\
---
kind: management-review
id: MR-2025-06
title: Management review, June 2025
date: 2025-06-12
attendees:
  - hmarsh
  - twhitfield
---
# Management review, June 2025

Minutes approved by Helen Marsh on 2025-06-19.
",
        )],
    ),
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
        (
            e.value.span,
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

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "unknown-kind";
    const DAY: &str = "2025-06-01";

    fn check(path: &str, text: &str) -> Vec<String> {
        TestRepo::new().file(path, text).check_rule(RULE, DAY)
    }

    #[test]
    fn a_record_of_a_known_kind_is_clean() {
        assert!(check("risks/r.yaml", "kind: risk\nid: R-1\ntitle: Laptop theft\n").is_empty());
        assert!(check(
            "policies/p.md",
            "---\nkind: policy\nid: POL-1\ntitle: Access\n---\n# Access\n"
        )
        .is_empty());
    }

    #[test]
    fn a_markdown_file_without_front_matter_where_records_live() {
        assert_eq!(check("policies/p.md", "# Access Control Policy\n"), ["policies/p.md:1:1: error[unknown-kind] this Markdown file has no front matter, so it declares no `kind`: start it with a `---` block holding `kind:` and `id:`"]);
        // Elsewhere it is simply not a record.
        assert!(check("docs/p.md", "# Notes\n").is_empty());
    }

    #[test]
    fn a_file_with_no_record_in_it() {
        assert_eq!(check("policies/p.md", "---\n---\n# Access\n"), ["policies/p.md:2:1: error[unknown-kind] the front matter holds no record: it needs at least `kind:` and `id:`"]);
        assert_eq!(check("risks/r.yaml", ""), ["risks/r.yaml:1:1: error[unknown-kind] this file is empty: a record needs at least `kind:` and `id:`"]);
        assert_eq!(check("risks/r.yaml", "# To be written\n"), ["risks/r.yaml:1:1: error[unknown-kind] this file holds no record, only comments or blank lines: a record needs at least `kind:` and `id:`"]);
    }

    #[test]
    fn a_record_without_a_kind() {
        assert_eq!(
            check("risks/r.yaml", "id: R-1\ntitle: Laptop theft\n"),
            ["risks/r.yaml:1:1: error[unknown-kind] this record declares no `kind`; add one of: policy, statement-of-applicability, risk, audit, management-review, corrective-action, awareness-activity, people, control-activity, control-performance, supplier, legal-requirement"]
        );
        // An empty mapping has no first key to point at.
        assert_eq!(check("risks/r.yaml", "{}\n"), ["risks/r.yaml:1:1: error[unknown-kind] this record declares no `kind`; add one of: policy, statement-of-applicability, risk, audit, management-review, corrective-action, awareness-activity, people, control-activity, control-performance, supplier, legal-requirement"]);
        // Outside the places of records, a document without a kind is not a
        // record.
        assert!(check("docs/r.yaml", "id: R-1\n").is_empty());
    }

    #[test]
    fn a_document_that_is_not_a_mapping_is_not_about_its_kind() {
        // It is no record at all: `schema-violation` reports it.
        assert!(check("risks/r.yaml", "- RISK-1\n- RISK-2\n").is_empty());
        assert!(check("risks/r.yaml", "RISK-1\n").is_empty());
    }

    #[test]
    fn a_kind_that_is_not_text() {
        assert_eq!(check("risks/r.yaml", "kind:\nid: R-1\n"), ["risks/r.yaml:1:1: error[unknown-kind] `kind` must name the kind of record, one of: policy, statement-of-applicability, risk, audit, management-review, corrective-action, awareness-activity, people, control-activity, control-performance, supplier, legal-requirement — found nothing"]);
        assert_eq!(check("risks/r.yaml", "kind: [risk]\nid: R-1\n"), ["risks/r.yaml:1:7: error[unknown-kind] `kind` must name the kind of record, one of: policy, statement-of-applicability, risk, audit, management-review, corrective-action, awareness-activity, people, control-activity, control-performance, supplier, legal-requirement — found a list"]);
        assert_eq!(check("risks/r.yaml", "kind: {name: risk}\nid: R-1\n"), ["risks/r.yaml:1:7: error[unknown-kind] `kind` must name the kind of record, one of: policy, statement-of-applicability, risk, audit, management-review, corrective-action, awareness-activity, people, control-activity, control-performance, supplier, legal-requirement — found a mapping"]);
    }

    #[test]
    fn a_kind_that_names_no_kind_with_a_suggestion_when_one_is_close() {
        assert_eq!(
            check(
                "reviews/mr.md",
                "---\nkind: managment-review\nid: MR-1\n---\n"
            ),
            ["reviews/mr.md:2:7: error[unknown-kind] `managment-review` is not a kind of record; did you mean `management-review`? known kinds: policy, statement-of-applicability, risk, audit, management-review, corrective-action, awareness-activity, people, control-activity, control-performance, supplier, legal-requirement"]
        );
        assert_eq!(check("risks/r.yaml", "kind: invoice\nid: INV-1\n"), ["risks/r.yaml:1:7: error[unknown-kind] `invoice` is not a kind of record; known kinds: policy, statement-of-applicability, risk, audit, management-review, corrective-action, awareness-activity, people, control-activity, control-performance, supplier, legal-requirement"]);
        // A kind written wrong is a mistake wherever it is.
        assert_eq!(check("docs/r.yaml", "kind: rsik\nid: R-1\n").len(), 1);
    }

    #[test]
    fn configuration() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    unknown-kind: warning\n")
            .file("risks/r.yaml", "id: R-1\n");
        assert!(r.check_rule(RULE, DAY)[0].contains("warning[unknown-kind]"));
    }
}

use std::collections::HashMap;

use crate::finding::Severity;
use crate::repository::IdTarget;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::{FileId, Span};
use crate::yaml::Seg;

/// Two records (or audit findings, or people) with the same id.
pub struct DuplicateId;

static META: RuleMeta = RuleMeta {
    id: RuleId::DuplicateId,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.2 (identification of documented information)",
    summary: "Two records, audit findings or people share an id",
    what: "Ids are unique across the whole repository: records, the findings inside audits, and \
(separately) the people of the roster. The second and later uses of an id are reported, with \
the place of the first.",
    why: "Records refer to each other by id: a corrective action names the audit finding it \
answers, a waiver names the record it accepts. With two records behind one id, a reference \
means whichever one the reader happens to find, and a closed action can hide an open one.",
    example: "```yaml\n# actions/2025.yaml\nkind: corrective-action\nentries:\n  - id: CA-2025-004\n    title: Enforce MFA on VPN\n    status: closed\n  - id: CA-2025-004   # duplicate-id\n    title: Review firewall rules\n    status: open\n```",
    fix: "Give one of the records a new id, and update the references to it. Never reuse the id \
of a deleted record: history and old reports still point at it.",
    options: &[],
    deadlines: false,
};

impl Rule for DuplicateId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        let place = |t: &IdTarget| -> (FileId, Span) {
            match *t {
                IdTarget::Record(i) => {
                    let r = &repo.records[i];
                    (r.file, r.id_span())
                }
                IdTarget::AuditFinding { record, index } => {
                    let r = &repo.records[record];
                    (
                        r.file,
                        r.node
                            .locate([Seg::Key("findings"), Seg::Index(index), Seg::Key("id")]),
                    )
                }
            }
        };
        let mut ids: Vec<(&String, &Vec<IdTarget>)> =
            repo.ids.iter().filter(|(_, t)| t.len() > 1).collect();
        ids.sort_by(|a, b| a.0.cmp(b.0));
        for (id, targets) in ids {
            let mut places: Vec<(FileId, Span)> = targets.iter().map(place).collect();
            places.sort_by(|a, b| repo.path(a.0).cmp(repo.path(b.0)).then(a.1.cmp(&b.1)));
            let (first_file, first_span) = places[0];
            for (n, (file, span)) in places.iter().enumerate().skip(1) {
                let f = cx
                    .finding(*file, *span)
                    .message(format!(
                        "the id `{id}` is already used in {}; ids must be unique",
                        repo.path(first_file)
                    ))
                    .record(Some(id))
                    .key(format!("duplicate-{n}"))
                    .related(first_file, first_span, "first used here");
                cx.emit(f);
            }
        }

        // People have their own namespace.
        for (record, people) in repo.people() {
            let mut seen: HashMap<&str, Span> = HashMap::new();
            for (i, person) in people.people.iter().enumerate() {
                let span = record
                    .node
                    .locate([Seg::Key("people"), Seg::Index(i), Seg::Key("id")]);
                if let Some(first) = seen.get(person.id.as_str()) {
                    let f = cx
                        .finding(record.file, span)
                        .message(format!(
                            "the person id `{}` is already used in this roster",
                            person.id
                        ))
                        .record(record.id.as_deref())
                        .key(format!("person/{}", person.id))
                        .related(record.file, *first, "first used here");
                    cx.emit(f);
                } else {
                    seen.insert(&person.id, span);
                }
            }
        }
    }
}

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
    example: crate::rules::Example::new(
        &[(
            "actions/2025.yaml",
            "\
kind: corrective-action
title: Corrective action register 2025
entries:
  - id: CA-2025-004
    title: Enforce MFA on the VPN
    owner: IT Manager
    raised: 2025-03-14
    due: 2025-06-30
    status: in-progress
    updated: 2025-05-12
  - id: CA-2025-004
    title: Review the firewall rules of the office network
    owner: IT Manager
    raised: 2025-04-02
    due: 2025-07-31
    status: open
",
        )],
        "2025-05-20",
        &[(
            "actions/2025.yaml",
            "\
kind: corrective-action
title: Corrective action register 2025
entries:
  - id: CA-2025-004
    title: Enforce MFA on the VPN
    owner: IT Manager
    raised: 2025-03-14
    due: 2025-06-30
    status: in-progress
    updated: 2025-05-12
  - id: CA-2025-005
    title: Review the firewall rules of the office network
    owner: IT Manager
    raised: 2025-04-02
    due: 2025-07-31
    status: open
",
        )],
    ),
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

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "duplicate-id";
    const DAY: &str = "2025-06-01";

    /// The related places of the rule's findings, as `path:line:column: message`.
    fn related(repo: &TestRepo) -> Vec<String> {
        let report = repo.report(DAY);
        report
            .findings
            .iter()
            .filter(|f| f.rule == RULE)
            .flat_map(|f| f.related.iter())
            .map(|r| {
                let file = report.repo.file(r.file);
                let at = file.line_col(r.span.start);
                format!(
                    "{}:{}:{}: {}",
                    report.repo.path(r.file),
                    at.line,
                    at.column,
                    r.message
                )
            })
            .collect()
    }

    const ACTION: &str = "kind: corrective-action\nid: CA-1\ntitle: Enforce MFA\nstatus: open\n";

    #[test]
    fn unique_ids_are_clean() {
        let r = TestRepo::new().file(
            "actions/ca.yaml",
            "kind: corrective-action\nentries:\n  - id: CA-1\n    title: a\n    status: open\n  - id: CA-2\n    title: b\n    status: open\n",
        );
        assert!(r.check_rule(RULE, DAY).is_empty());
    }

    #[test]
    fn two_entries_of_a_register() {
        let r = TestRepo::new().file(
            "actions/ca.yaml",
            "kind: corrective-action\nentries:\n  - id: CA-1\n    title: a\n    status: open\n  - id: CA-1\n    title: b\n    status: open\n",
        );
        assert_eq!(r.check_rule(RULE, DAY), ["actions/ca.yaml:6:9: error[duplicate-id] the id `CA-1` is already used in actions/ca.yaml; ids must be unique"]);
        assert_eq!(related(&r), ["actions/ca.yaml:3:9: first used here"]);
    }

    #[test]
    fn across_files_the_first_is_the_first_by_path() {
        let r = TestRepo::new()
            .file("actions/b.yaml", ACTION)
            .file("actions/a.yaml", ACTION)
            .file(
                "risks/r.yaml",
                "kind: risk\nid: CA-1\ntitle: Same id, other kind\n",
            );
        assert_eq!(r.check_rule(RULE, DAY), ["actions/b.yaml:2:5: error[duplicate-id] the id `CA-1` is already used in actions/a.yaml; ids must be unique", "risks/r.yaml:2:5: error[duplicate-id] the id `CA-1` is already used in actions/a.yaml; ids must be unique"]);
        assert_eq!(
            related(&r),
            [
                "actions/a.yaml:2:5: first used here",
                "actions/a.yaml:2:5: first used here"
            ]
        );
    }

    #[test]
    fn audit_findings_share_the_records_namespace() {
        let audit = |id: &str, findings: &[&str]| {
            let findings: String = findings
                .iter()
                .map(|f| format!("  - id: {f}\n    type: observation\n    description: Access reviews are late.\n"))
                .collect();
            format!("kind: audit\nid: {id}\ntitle: Access\ntype: internal\nstatus: completed\ncompleted: 2025-03-12\nfindings:\n{findings}")
        };
        // The second finding of IA-2 repeats the first of IA-1.
        let r = TestRepo::new()
            .file("audits/a.yaml", &audit("IA-1", &["IA-1-F1"]))
            .file("audits/b.yaml", &audit("IA-2", &["IA-2-F1", "IA-1-F1"]));
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["audits/b.yaml:11:9: error[duplicate-id] the id `IA-1-F1` is already used in audits/a.yaml; ids must be unique"]
        );
        assert_eq!(related(&r), ["audits/a.yaml:8:9: first used here"]);
        // A record whose id is that of an audit finding.
        let r = TestRepo::new()
            .file("audits/a.yaml", &audit("IA-1", &["IA-1-F1"]))
            .file(
                "actions/ca.yaml",
                "kind: corrective-action\nid: IA-1-F1\ntitle: Late reviews\nstatus: open\n",
            );
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["audits/a.yaml:8:9: error[duplicate-id] the id `IA-1-F1` is already used in actions/ca.yaml; ids must be unique"]
        );
    }

    const ROSTER: &str = "kind: people\nid: ROSTER\npeople:\n  - id: asmith\n    name: Ann Smith\n  - id: bjones\n    name: Ben Jones\n  - id: asmith\n    name: Alan Smith\n";

    #[test]
    fn people_ids_are_unique_in_their_roster() {
        let r = TestRepo::new().file("people.yaml", ROSTER);
        assert_eq!(r.check_rule(RULE, DAY), ["people.yaml:8:9: error[duplicate-id] the person id `asmith` is already used in this roster"]);
        assert_eq!(related(&r), ["people.yaml:4:9: first used here"]);
    }

    #[test]
    fn people_have_their_own_namespace() {
        // A person's id may be a record's id: they are never confused, as
        // people are named where people are expected.
        let r = TestRepo::new()
            .file("people.yaml", "kind: people\nid: ROSTER\npeople:\n  - id: CA-1\n    name: Ann Smith\n  - id: ROSTER\n    name: Ben Jones\n")
            .file("actions/ca.yaml", ACTION);
        assert!(r.check_rule(RULE, DAY).is_empty());
    }

    #[test]
    fn configuration() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    duplicate-id: warning\n")
            .file("people.yaml", ROSTER);
        assert!(r.check_rule(RULE, DAY)[0].contains("warning[duplicate-id]"));
    }
}

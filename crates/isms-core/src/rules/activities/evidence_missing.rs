use crate::finding::Severity;
use crate::interval::Interval;
use crate::model::Standard;
use crate::rules::{Basis, Category, Deadline, Opt, Rule, RuleContext, RuleId, RuleMeta};
use crate::yaml::Seg;

/// A performance without the evidence its activity asks for.
pub struct EvidenceMissing;

const GRACE: Opt<Interval> = Opt::new(
    "grace",
    "14 days",
    "How long after a performance its evidence may follow (the signed report, the closed ticket).",
    Basis::Practice,
);

static META: RuleMeta = RuleMeta {
    id: RuleId::EvidenceMissing,
    category: Category::Activities,
    default_severity: Severity::Error,
    standard: Some(Standard::Iso27001_2022),
    clause: "ISO/IEC 27001:2022 9.1, 8.1, 7.5.3",
    summary: "A control performance lacks evidence its activity asks for",
    what: "A `control-activity` names, in `evidence`, the artefacts every performance must \
link (`access export`, `sign-off`). Each `control-performance` dated on or before the day of \
the check must list each of them under its own `evidence`, as an item with that `name` and a \
`link`. A name with no item is reported at the performance's `evidence` (or its `id`) once \
`grace` (14 days, common practice) has passed since the performance, as a signed report or \
a closed ticket often follows the work; an item whose link names a file that is not in the repository is reported at the link — by \
this rule only: `broken-reference` leaves the links this rule checks to it, so a missing \
file is one finding. URLs are not fetched. Artefacts the activity does not ask for are \
checked by `broken-reference` as every link is.",
    why: "9.1 requires documented information to be available as evidence of the results of \
monitoring, and 8.1 as evidence that processes were carried out as planned. A performance \
recorded without its export or sign-off is an assertion, not evidence: the auditor who \
samples it asks for the artefact, and a link to a file that was never committed is the same \
as none.",
    example: crate::rules::Example::new(
        &[
            (
                "activities/backup-restore-test.yaml",
                r#"kind: control-activity
id: ACT-RESTORE
title: Backup restore test
controls: ["8.13"]
every: 6 months
start: 2025-01-01
evidence:
  - restore log
  - sign-off
"#,
            ),
            (
                "activities/performances.yaml",
                r#"kind: control-performance
entries:
  - id: PERF-RESTORE-2025-H1
    activity: ACT-RESTORE
    date: 2025-06-18
    performed-by: dokafor
    outcome: pass
    evidence:
      - name: restore log
        link: ../evidence/2025-06-restore-log.md
"#,
            ),
            ("evidence/2025-06-restore-log.md", "# Restore log\n"),
        ],
        "2025-07-10",
        &[(
            "activities/performances.yaml",
            r#"kind: control-performance
entries:
  - id: PERF-RESTORE-2025-H1
    activity: ACT-RESTORE
    date: 2025-06-18
    performed-by: dokafor
    outcome: pass
    evidence:
      - name: restore log
        link: ../evidence/2025-06-restore-log.md
      - name: sign-off
        link: https://tickets.example/ISMS-412
"#,
        )],
    ),
    fix: "Add the artefact under the performance's `evidence`, with the `name` the activity \
gives it and a `link` to the committed file or the ticket. If the activity no longer needs \
it, remove it from the activity's `evidence`.",
    options: &[GRACE.def],
    deadlines: false,
};

impl Rule for EvidenceMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        let repo = cx.repo;
        let grace = cx.get(&GRACE);
        let mut dirs = None;
        for (record, p) in repo.performances() {
            if !p.done_by(cx.as_of) || record.unreadable("evidence") {
                continue;
            }
            let Some(activity) = super::activity_of(repo, p) else {
                continue;
            };
            for name in &activity.evidence {
                let name = name.trim();
                if name.is_empty() {
                    continue;
                }
                match p.evidence_for(name) {
                    None => {
                        let span = if record.node.get("evidence").is_some() {
                            record.span(["evidence"])
                        } else {
                            record.id_span()
                        };
                        cx.deadline_with(
                            Deadline {
                                rule: META.id,
                                what: format!("the `{name}` of control performance {}", p.id),
                                due: grace.after(p.date),
                                file: record.file,
                                span,
                                record_id: Some(p.id.clone()),
                                reason: format!(
                                    "{} asks every performance for it, and none is listed under the performance's `evidence` (performed on {})",
                                    activity.id, p.date
                                ),
                            },
                            Some(&format!(
                                "Add `- name: {name}` with a `link` to the artefact under the performance's `evidence`."
                            )),
                            Severity::Error,
                            false,
                        );
                    }
                    Some((i, item)) => {
                        let target = match repo.resolve_link(record.file, &item.link) {
                            None => continue,
                            Some(Err(())) => None,
                            Some(Ok(t)) => Some(t),
                        };
                        if let Some(t) = &target {
                            let dirs = dirs.get_or_insert_with(|| super::directories(repo));
                            if repo.paths.contains(t) || dirs.contains(t.as_str()) {
                                continue;
                            }
                        }
                        let link = item.link.trim();
                        let names = match &target {
                            Some(t) => format!("names `{t}`, which is not in the repository"),
                            None => "points outside the repository".to_owned(),
                        };
                        let f = cx
                            .finding(
                                record.file,
                                record.span([
                                    Seg::Key("evidence"),
                                    Seg::Index(i),
                                    Seg::Key("link"),
                                ]),
                            )
                            .message(format!(
                                "The `{name}` of control performance {} links `{link}`, which {names}: the performance has no evidence of it",
                                p.id
                            ))
                            .record(Some(&p.id))
                            .key(format!("evidence={name}"))
                            .help("links are relative to the file they are in; in a git repository, only committed files count");
                        cx.emit(f);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "evidence-missing";

    const ACTIVITY: &str = "kind: control-activity\nid: ACT-1\ntitle: User access review\ncontrols: [\"5.18\"]\nevery: 1 month\nstart: 2028-01-01\nevidence:\n  - access export\n  - sign-off\n";

    fn repo(evidence: &str) -> TestRepo {
        TestRepo::new()
            .file("activities/act.yaml", ACTIVITY)
            .file(
                "activities/perf.yaml",
                &format!("kind: control-performance\nentries:\n  - id: P-1\n    activity: ACT-1\n    date: 2028-02-29\n    outcome: pass\n{evidence}"),
            )
            .file("evidence/export.csv", "user,access\n")
    }

    #[test]
    fn every_item_needs_a_link_once_the_grace_has_passed() {
        // Performed on 29 February: the evidence may follow until 14 March.
        let r = repo("");
        assert!(r.check_rule(RULE, "2028-02-29").is_empty());
        assert!(r.check_rule(RULE, "2028-03-13").is_empty());
        assert!(r.check_rule(RULE, "2028-03-14").is_empty());
        assert_eq!(
            r.check_rule(RULE, "2028-03-15"),
            [
                "activities/perf.yaml:3:9: error[evidence-missing] The `access export` of control performance P-1 is overdue: it was due on 2028-03-14 (1 day ago); ACT-1 asks every performance for it, and none is listed under the performance's `evidence` (performed on 2028-02-29)",
                "activities/perf.yaml:3:9: error[evidence-missing] The `sign-off` of control performance P-1 is overdue: it was due on 2028-03-14 (1 day ago); ACT-1 asks every performance for it, and none is listed under the performance's `evidence` (performed on 2028-02-29)",
            ]
        );
        // Without a grace, from the day after the performance; a month end.
        let none = repo("").manifest(
            "organisation:\n  name: T\nlint:\n  rules:\n    evidence-missing:\n      grace: 0 days\n",
        );
        assert!(none.check_rule(RULE, "2028-02-29").is_empty());
        assert_eq!(none.check_rule(RULE, "2028-03-01").len(), 2);
        // The item listed, the other still missing: at the `evidence` key.
        let one = repo(
            "    evidence:\n      - name: sign-off\n        link: https://tickets.example/ISMS-1\n",
        );
        assert_eq!(
            one.check_rule(RULE, "2028-03-31"),
            ["activities/perf.yaml:8:7: error[evidence-missing] The `access export` of control performance P-1 is overdue: it was due on 2028-03-14 (17 days ago); ACT-1 asks every performance for it, and none is listed under the performance's `evidence` (performed on 2028-02-29)"]
        );
    }

    #[test]
    fn names_match_without_case_and_urls_count() {
        let r = repo("    evidence:\n      - name: Access Export\n        link: ../evidence/export.csv\n      - name: sign-off\n        link: https://tickets.example/ISMS-1\n");
        assert!(r.check_rule(RULE, "2028-03-01").is_empty());
    }

    #[test]
    fn a_missing_file_is_one_finding_not_two() {
        let r = repo("    evidence:\n      - name: access export\n        link: ../evidence/nope.csv\n      - name: sign-off\n        link: https://tickets.example/ISMS-1\n      - name: screenshot\n        link: ../evidence/gone.png\n");
        let all: Vec<String> = r
            .check("2028-03-01")
            .into_iter()
            .filter(|l| l.contains("[evidence-missing]") || l.contains("[broken-reference]"))
            .collect();
        assert_eq!(
            all,
            [
                "activities/perf.yaml:9:15: error[evidence-missing] The `access export` of control performance P-1 links `../evidence/nope.csv`, which names `evidence/nope.csv`, which is not in the repository: the performance has no evidence of it",
                // An artefact the activity does not ask for is an ordinary link.
                "activities/perf.yaml:13:15: error[broken-reference] the link `../evidence/gone.png` names `evidence/gone.png`, which is not in the repository",
            ]
        );
        // With this rule off, broken-reference reports the missing file.
        let off = r
            .clone()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    evidence-missing: off\n");
        let broken = off.check_rule("broken-reference", "2028-03-01");
        assert_eq!(broken.len(), 2, "{broken:#?}");
        // A performance dated later is not this rule's yet: its links are
        // broken-reference's.
        assert_eq!(r.check_rule("broken-reference", "2028-02-28").len(), 2);
        assert_eq!(r.check_rule(RULE, "2028-02-28").len(), 0);
    }

    #[test]
    fn an_activity_that_asks_for_nothing_and_an_unknown_activity() {
        let r = TestRepo::new()
            .file("activities/act.yaml", "kind: control-activity\nid: ACT-1\ntitle: Log review\nevery: 1 month\nstart: 2025-01-01\n")
            .file("activities/perf.yaml", "kind: control-performance\nentries:\n  - id: P-1\n    activity: ACT-1\n    date: 2025-01-31\n    outcome: pass\n  - id: P-2\n    activity: ACT-9\n    date: 2025-01-31\n    outcome: pass\n");
        assert!(r.check_rule(RULE, "2025-02-01").is_empty());
    }
}

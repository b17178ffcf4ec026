use std::collections::{HashMap, HashSet};

use crate::fields::{self, Field, Reference};
use crate::finding::Severity;
use crate::model::Kind;
use crate::problem::ProblemKind;
use crate::repository::{IdTarget, Record};
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::Span;

/// An id or a relative link that resolves to nothing.
pub struct BrokenReference;

static META: RuleMeta = RuleMeta {
    id: RuleId::BrokenReference,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.3 (documented information is available where and when needed)",
    summary: "A reference to a record id or an evidence file resolves to nothing",
    what: "Checks every reference between records — an audit finding's `actions`, a corrective \
action's `source`, an audit's `scope.policies` and `scope.risks`, a risk's `actions`, a \
Statement of Applicability entry's `policies`, a review decision's `actions` — and every \
relative link to evidence: `evidence:` lists, an audit's `report`, a review's `minutes`, a \
training record's `evidence`, and links in the body of Markdown records. An id must name a \
record of the expected kind; a link must name a file in the repository (in a git repository: \
a tracked file). URLs are not fetched. An id written in a file that could not be read or \
parsed is not reported: that file's own finding is the one cause. A control performance's \
link to evidence its activity asks for is left to `evidence-missing` (unless that rule is \
off), so a missing file is one finding.",
    why: "\"Show me the evidence\" is the auditor's first question. A corrective action whose \
source finding does not exist, or a policy that links to a deleted procedure, is a chain of \
evidence with a missing link — found by the auditor, at the worst moment, instead of by you.",
    example: crate::rules::Example::new(
        &[
            (
                "audits/internal/2025-05-backup.yaml",
                r#"kind: audit
id: IA-2025-05
title: Backup and restore
type: internal
status: completed
planned: 2025-05-14
completed: 2025-05-14
auditor: pnowak
scope:
  controls: ["8.13"]
findings:
  - id: IA-2025-05-F2
    type: minor-nonconformity
    control: "8.13"
    description: No restore test of the CRM backups since the migration in 2024.
"#,
            ),
            (
                "actions/CA-2025-007.yaml",
                "\
kind: corrective-action
id: CA-2025-007
title: Restore-test the CRM backups
source: IA-2025-05-F3
raised: 2025-05-14
owner: Head of Platform
due: 2025-06-30
status: in-progress
updated: 2025-06-02
evidence:
  - ../evidence/crm-restore-test-2025-06.txt
",
            ),
        ],
        "2025-06-10",
        &[
            (
                "actions/CA-2025-007.yaml",
                "\
kind: corrective-action
id: CA-2025-007
title: Restore-test the CRM backups
source: IA-2025-05-F2
raised: 2025-05-14
owner: Head of Platform
due: 2025-06-30
status: in-progress
updated: 2025-06-02
evidence:
  - ../evidence/crm-restore-test-2025-06.txt
",
            ),
            (
                "evidence/crm-restore-test-2025-06.txt",
                "\
CRM restore test, 2 June 2025
Restored the backup of 1 June to the staging account: 14 212 customer
records compared with production, no differences. Marcus Bell
",
            ),
        ],
    ),
    fix: "Correct the id or the path, or commit the missing file. Links are relative to the file \
they are written in; `/evidence/x.pdf` is relative to the repository root.",
    options: &[],
    deadlines: false,
};

impl Rule for BrokenReference {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for p in cx.problems() {
            if let ProblemKind::WaiversFileMissing { path } = &p.what {
                let f = cx
                    .finding(p.file, p.span)
                    .message(format!("the waivers file `{path}` named by `waivers-file` is not in the repository; its waivers apply to nothing"))
                    .key("waivers-file");
                cx.emit(f);
            }
        }
        let repo = cx.repo;
        // A link may name a directory: every directory that holds a file.
        let dirs: HashSet<&str> = repo
            .paths
            .iter()
            .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
            .collect();
        let mut suggest = Suggestions::default();
        for record in &repo.records {
            check_record(cx, &dirs, &mut suggest, record, fields::of(record.kind));
        }
    }
}

/// Check the references of one record, in the fields given (for a record,
/// those of its kind in the model).
fn check_record<'r>(
    cx: &mut RuleContext<'r>,
    dirs: &HashSet<&str>,
    suggest: &mut Suggestions<'r>,
    record: &'r Record,
    fields: &[Field],
) {
    for field in fields {
        for m in record.node.matching(&field.path) {
            let node = m.node;
            let Some(text) = node.as_text() else { continue };
            match field.reference {
                Reference::Record(expected) => {
                    check_id(cx, suggest, record, &m, node.span, text, expected)
                }
                Reference::Link => {
                    if !left_to_evidence_missing(cx, record, &field.path, m.indices()) {
                        check_link(cx, dirs, record, &m, node.span, text)
                    }
                }
                Reference::Control | Reference::Person => {}
            }
        }
    }
    if let Some(body) = &record.body {
        for link in &body.links {
            check_link(cx, dirs, record, &"body", link.span, &link.dest);
        }
    }
}

/// Whether a link is evidence a control activity asks of its performance:
/// `evidence-missing` reports it when it names nothing, unless turned off.
fn left_to_evidence_missing(
    cx: &RuleContext<'_>,
    record: &Record,
    path: &[&str],
    indices: &[usize],
) -> bool {
    record.kind == Kind::ControlPerformance
        && path == ["evidence", "*", "link"]
        && cx.level_of(RuleId::EvidenceMissing) != crate::config::Level::Off
        && crate::rules::activities::is_required_evidence(cx.repo, record, indices[0], cx.as_of)
}

/// "Did you mean" for broken ids: one search of all ids per distinct broken
/// id (a repository with many references to one missing id searches once),
/// over the ids in order, so that the suggestion is the same on every run.
#[derive(Default)]
struct Suggestions<'r> {
    ids: Vec<&'r str>,
    found: HashMap<&'r str, Option<&'r str>>,
}

impl<'r> Suggestions<'r> {
    fn get(&mut self, repo: &'r crate::Repository, id: &'r str) -> Option<&'r str> {
        if self.ids.is_empty() {
            self.ids = repo.ids.keys().map(String::as_str).collect();
            self.ids.sort_unstable();
        }
        let ids = &self.ids;
        *self
            .found
            .entry(id)
            .or_insert_with(|| crate::text::closest(id, ids.iter().copied()))
    }
}

fn check_id<'r>(
    cx: &mut RuleContext<'r>,
    suggest: &mut Suggestions<'r>,
    record: &'r Record,
    path: &dyn std::fmt::Display,
    span: Span,
    id: &'r str,
    expected: Option<Kind>,
) {
    let repo = cx.repo;
    let targets = repo.lookup(id);
    // The record may be in a file that could not be read: that file is the
    // one cause, reported where it is.
    if targets.is_empty() && cx.lost_file_mentioning(id).is_some() {
        return;
    }
    let problem = match (targets, expected) {
        ([], _) => Some(format!("`{id}` does not name any record or audit finding")),
        (_, None) => None,
        (ts, Some(k)) => {
            let ok = ts
                .iter()
                .any(|t| matches!(t, IdTarget::Record(i) if repo.records[*i].kind == k));
            (!ok).then(|| {
                let what = match ts[0] {
                    IdTarget::Record(i) => repo.records[i].kind.with_article().to_owned(),
                    IdTarget::AuditFinding { .. } => "an audit finding".to_owned(),
                };
                format!("`{id}` is {what}, not {}", k.with_article())
            })
        }
    };
    if let Some(message) = problem {
        let mut f = cx
            .finding(record.file, span)
            .message(format!("{message} (in `{path}` of {})", record.label()))
            .record(record.id.as_deref())
            .key(format!("{path}={id}"));
        if let Some(s) = suggest.get(repo, id) {
            f = f.help(format!("did you mean `{s}`?"));
        }
        cx.emit(f);
    }
}

fn check_link(
    cx: &mut RuleContext<'_>,
    dirs: &HashSet<&str>,
    record: &Record,
    path: &dyn std::fmt::Display,
    span: Span,
    link: &str,
) {
    let repo = cx.repo;
    let message = match repo.resolve_link(record.file, link) {
        None => return,
        Some(Err(())) => format!("the link `{link}` points outside the repository"),
        Some(Ok(target)) => {
            if repo.paths.contains(&target) || dirs.contains(target.as_str()) {
                return;
            }
            format!("the link `{link}` names `{target}`, which is not in the repository")
        }
    };
    let f = cx
        .finding(record.file, span)
        .message(message)
        .help("links are relative to the file they are in; in a git repository, only committed files count")
        .record(record.id.as_deref())
        .key(format!("{path}->{link}"));
    cx.emit(f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestRepo;

    const RULE: &str = "broken-reference";

    fn repo() -> TestRepo {
        TestRepo::new()
            .file("policies/p.md", "---\nkind: policy\nid: POL-1\ntitle: Access\n---\n# Access\n\nSee [the test](../evidence/2025/restore.pdf) and [the site](https://example.com).\n")
            .file("risks/r.yaml", "kind: risk\nid: RISK-1\ntitle: Theft\n")
            .file("audits/a.yaml", "kind: audit\nid: IA-1\ntitle: t\ntype: internal\nstatus: completed\ncompleted: 2025-01-10\nfindings:\n  - id: IA-1-F1\n    type: observation\n    description: d\n")
            .file("evidence/2025/restore.pdf", "%PDF")
    }

    #[test]
    fn an_id_that_names_nothing_with_a_suggestion() {
        let r = repo().file(
            "actions/a.yaml",
            "kind: corrective-action\nid: CA-1\ntitle: t\nstatus: open\nsource: IA-1-F2\n",
        );
        let report = r.report("2025-06-01");
        let f: Vec<_> = report.findings.iter().filter(|f| f.rule == RULE).collect();
        assert_eq!(
            crate::testing::lines(&report, |r| r == RULE),
            ["actions/a.yaml:5:9: error[broken-reference] `IA-1-F2` does not name any record or audit finding (in `source` of corrective-action CA-1)"]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `IA-1-F1`?"));
    }

    #[test]
    fn an_id_of_the_wrong_kind() {
        let r = repo().file(
            "audits/b.yaml",
            "kind: audit\nid: IA-2\ntitle: t\ntype: internal\nstatus: planned\nplanned: 2025-09-01\nscope:\n  policies: [RISK-1, POL-1]\n  risks: [IA-1-F1]\n",
        );
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "audits/b.yaml:8:14: error[broken-reference] `RISK-1` is a risk, not a policy (in `scope.policies[0]` of audit IA-2)",
                "audits/b.yaml:9:11: error[broken-reference] `IA-1-F1` is an audit finding, not a risk (in `scope.risks[0]` of audit IA-2)",
            ]
        );
    }

    #[test]
    fn any_record_or_audit_finding_may_be_a_source() {
        for source in ["IA-1-F1", "RISK-1", "POL-1"] {
            let r = repo().file(
                "actions/a.yaml",
                &format!(
                    "kind: corrective-action\nid: CA-1\ntitle: t\nstatus: open\nsource: {source}\n"
                ),
            );
            assert!(r.check_rule(RULE, "2025-06-01").is_empty(), "{source}");
        }
    }

    #[test]
    fn links_to_missing_files_and_out_of_the_repository() {
        let r = repo().file(
            "actions/a.yaml",
            "kind: corrective-action\nid: CA-1\ntitle: t\nstatus: open\nevidence:\n  - ../evidence/2025/restore.pdf\n  - ../evidence/2025\n  - ../evidence/missing.pdf\n  - ../../../etc/passwd\n  - https://tickets.example/42\n",
        )
        .file("policies/q.md", "---\nkind: policy\nid: POL-2\ntitle: Q\n---\n# Q\n\nSee [the procedure](procedure.md#scope).\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            [
                "actions/a.yaml:8:5: error[broken-reference] the link `../evidence/missing.pdf` names `evidence/missing.pdf`, which is not in the repository",
                "actions/a.yaml:9:5: error[broken-reference] the link `../../../etc/passwd` points outside the repository",
                "policies/q.md:8:5: error[broken-reference] the link `procedure.md#scope` names `policies/procedure.md`, which is not in the repository",
            ]
        );
    }

    #[test]
    fn a_missing_waivers_file_is_reported_where_the_manifest_names_it() {
        let r = repo().manifest("organisation:\n  name: T\nwaivers-file: waivers.yaml\n");
        assert_eq!(
            r.check_rule(RULE, "2025-06-01"),
            ["isms.yaml:3:15: error[broken-reference] the waivers file `waivers.yaml` named by `waivers-file` is not in the repository; its waivers apply to nothing"]
        );
    }

    /// A reference field added to a model type is checked through the
    /// fields derived from its schema: nothing here lists it by hand.
    #[test]
    fn a_new_reference_field_is_checked_without_touching_the_rule() {
        #[allow(dead_code)]
        #[derive(schemars::JsonSchema)]
        #[serde(rename_all = "kebab-case")]
        struct Extended {
            #[schemars(with = "Vec<crate::model::Ref<crate::model::Policy>>")]
            covered_by: Vec<String>,
            #[schemars(with = "Option<crate::model::LinkSchema>")]
            register: Option<String>,
        }
        let extra = fields::from_schema(&crate::schema::generate::generate::<Extended>());
        assert_eq!(
            extra.iter().map(|f| f.path.join(".")).collect::<Vec<_>>(),
            ["covered-by.*", "register"]
        );
        let report = repo()
            .file(
                "risks/x.yaml",
                "kind: risk\nid: RISK-2\ntitle: t\ncovered-by: [POL-1, POL-9]\nregister: ../nowhere.csv\n",
            )
            .report("2025-06-01");
        let mut run_fields = fields::of(Kind::Risk).to_vec();
        run_fields.extend(extra);
        let settings = crate::config::Settings::new();
        let lost = std::sync::OnceLock::new();
        let run = crate::rules::context::Run {
            repo: &report.repo,
            as_of: report.as_of,
            settings: &settings,
            horizon: crate::engine::DEFAULT_HORIZON,
            waivers: &[],
            lost: &lost,
        };
        let mut cx = RuleContext::new(&run, &META).unwrap();
        let record = report.repo.record_by_id("RISK-2").unwrap();
        let dirs = HashSet::new();
        check_record(
            &mut cx,
            &dirs,
            &mut Suggestions::default(),
            record,
            &run_fields,
        );
        let messages: Vec<_> = cx.findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`POL-9` does not name any record or audit finding (in `covered-by[1]` of risk RISK-2)",
                "the link `../nowhere.csv` names `nowhere.csv`, which is not in the repository",
            ]
        );
    }
}

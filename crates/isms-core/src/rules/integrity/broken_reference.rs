use std::collections::{HashMap, HashSet};

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
a tracked file). URLs are not fetched.",
    why: "\"Show me the evidence\" is the auditor's first question. A corrective action whose \
source finding does not exist, or a policy that links to a deleted procedure, is a chain of \
evidence with a missing link — found by the auditor, at the worst moment, instead of by you.",
    example: "```yaml\nkind: corrective-action\nid: CA-2025-007\ntitle: Restore-test the CRM backups\nsource: IA-2025-05-F3   # no audit finding has this id\nstatus: open\nevidence:\n  - ../evidence/restore-test.pdf   # not in the repository\n```",
    fix: "Correct the id or the path, or commit the missing file. Links are relative to the file \
they are written in; `/evidence/x.pdf` is relative to the repository root.",
    options: &[],
    deadlines: false,
};

/// Where records refer to other records by id, and the kind expected.
/// `None` means any record or audit finding.
const ID_FIELDS: &[(Kind, &[&str], Option<Kind>)] = &[
    (Kind::CorrectiveAction, &["source"], None),
    (
        Kind::Audit,
        &["findings", "*", "actions", "*"],
        Some(Kind::CorrectiveAction),
    ),
    (Kind::Audit, &["scope", "policies", "*"], Some(Kind::Policy)),
    (Kind::Audit, &["scope", "risks", "*"], Some(Kind::Risk)),
    (Kind::Risk, &["actions", "*"], None),
    (
        Kind::StatementOfApplicability,
        &["controls", "*", "policies", "*"],
        Some(Kind::Policy),
    ),
    (
        Kind::ManagementReview,
        &["decisions", "*", "actions", "*"],
        None,
    ),
];

/// Where records link to evidence files.
const LINK_FIELDS: &[(Kind, &[&str])] = &[
    (Kind::Policy, &["evidence", "*"]),
    (
        Kind::StatementOfApplicability,
        &["controls", "*", "evidence", "*"],
    ),
    (Kind::CorrectiveAction, &["evidence", "*"]),
    (Kind::AwarenessActivity, &["evidence", "*"]),
    (Kind::Audit, &["report"]),
    (Kind::ManagementReview, &["minutes"]),
    (Kind::People, &["people", "*", "training", "*", "evidence"]),
];

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
            for (kind, pattern, expected) in ID_FIELDS {
                if record.kind != *kind {
                    continue;
                }
                for m in record.node.matching(pattern) {
                    let node = m.node;
                    let Some(id) = node.as_text() else { continue };
                    check_id(cx, &mut suggest, record, &m, node.span, id, *expected);
                }
            }
            for (kind, pattern) in LINK_FIELDS {
                if record.kind != *kind {
                    continue;
                }
                for m in record.node.matching(pattern) {
                    let node = m.node;
                    let Some(link) = node.as_text() else { continue };
                    check_link(cx, &dirs, record, &m, node.span, link);
                }
            }
            if let Some(body) = &record.body {
                for link in &body.links {
                    check_link(cx, &dirs, record, &"body", link.span, &link.dest);
                }
            }
        }
    }
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

//! Waivers: findings the organisation has accepted for a time.
//!
//! The engine reads the waivers of the manifest and of its `waivers-file`
//! ([`read`]), applies them once every rule has run ([`apply`]), and then
//! lets the two waiver rules report on them: [`waiver_expired`] for a waiver
//! whose findings are back, [`waiver_unused`] for one that matches nothing.

pub mod waiver_expired;
pub mod waiver_unused;

use chrono::NaiveDate;
use globset::{GlobBuilder, GlobMatcher};

use crate::finding::Finding;
use crate::model::Waiver;
use crate::repository::Repository;
use crate::source::{FileId, Span};
use crate::yaml::Node;

/// A waiver from the manifest or the file it names, read.
#[derive(Debug, Clone)]
pub struct WaiverEntry {
    /// Position among all the waivers (the manifest's first); findings refer
    /// to their waiver by it.
    pub index: usize,
    pub waiver: Waiver,
    /// Where the waiver is written: `isms.yaml` or the `waivers-file`.
    pub file: FileId,
    pub span: Span,
    /// Where its `expires` date is written.
    pub expires_span: Span,
    /// Findings it matched, whether it still accepts them or has expired.
    pub used: usize,
    /// The findings it would accept but no longer does, having expired, as
    /// where they are.
    pub(crate) back: Vec<(FileId, Span)>,
    /// The target as a path glob, if it is one; the error says why it is not.
    matcher: Result<GlobMatcher, globset::ErrorKind>,
}

impl WaiverEntry {
    fn new(index: usize, waiver: Waiver, file: FileId, node: &Node) -> Self {
        // `*` stays within a directory and `**` crosses them, as in .gitignore.
        let matcher = GlobBuilder::new(&waiver.target)
            .literal_separator(true)
            .build()
            .map(|g| g.compile_matcher())
            .map_err(|e| e.kind().clone());
        WaiverEntry {
            index,
            waiver,
            file,
            span: node.span,
            expires_span: node.locate(["expires"]),
            used: 0,
            back: Vec::new(),
            matcher,
        }
    }

    /// Whether the waiver is still in force on `as_of`: the `expires` day
    /// itself is the last day it applies.
    pub fn is_current(&self, as_of: NaiveDate) -> bool {
        as_of <= self.waiver.expires
    }

    /// Why the target is not a valid glob, if it is not.
    pub fn glob_error(&self) -> Option<&globset::ErrorKind> {
        self.matcher.as_ref().err()
    }

    fn matches(&self, repo: &Repository, f: &Finding) -> bool {
        if f.rule != *self.waiver.rule {
            return false;
        }
        if f.record_id.as_deref() == Some(self.waiver.target.as_str()) {
            return true;
        }
        let path = repo.path(f.file);
        self.waiver.target == path || self.matcher.as_ref().is_ok_and(|m| m.is_match(path))
    }
}

/// The waivers of the manifest, then those of its `waivers-file`.
pub(crate) fn read(repo: &Repository) -> Vec<WaiverEntry> {
    let lists = std::iter::once((repo.manifest_file, &repo.manifest_node))
        .chain(repo.waivers_file.as_ref().map(|(file, node)| (*file, node)));
    let mut out = Vec::new();
    let mut index = 0;
    for (file, node) in lists {
        let Some(items) = node.get("waivers").and_then(Node::as_seq) else {
            continue;
        };
        for item in items {
            // A waiver the schema rejects (no reason, owner or expiry)
            // waives nothing; the schema finding says why.
            let waiver = crate::de::from_node::<Waiver>(item)
                .ok()
                .filter(|w| !w.reason.trim().is_empty() && !w.owner.trim().is_empty());
            if let Some(waiver) = waiver {
                out.push(WaiverEntry::new(index, waiver, file, item));
            }
            index += 1;
        }
    }
    out
}

/// Mark each finding a current waiver accepts, and note on each waiver what
/// it matched: the findings it accepts, and those it no longer accepts
/// because it has expired.
pub(crate) fn apply(
    repo: &Repository,
    as_of: NaiveDate,
    findings: &mut [Finding],
    waivers: &mut [WaiverEntry],
) {
    for f in findings.iter_mut() {
        let mut current = None;
        let mut expired = None;
        for (i, w) in waivers.iter_mut().enumerate() {
            if !w.matches(repo, f) {
                continue;
            }
            // Every matching waiver is in use, even one another waiver
            // supersedes: none of them is "unused".
            w.used += 1;
            if w.is_current(as_of) {
                current.get_or_insert(i);
            } else {
                expired.get_or_insert(i);
            }
        }
        match (current, expired) {
            (Some(i), _) => f.waiver = Some(waivers[i].index),
            (None, Some(i)) => waivers[i].back.push((f.file, f.span)),
            (None, None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::report::JsonReport;
    use crate::testing::TestRepo;
    use crate::Severity;

    const OWNER: &str = "risk-owner-missing";

    /// Three risks without an owner (each a `risk-owner-missing` error), and
    /// the waivers given.
    pub(super) fn repo(waivers: &str) -> TestRepo {
        let risk = |id: &str| format!("kind: risk\nid: {id}\ntitle: T\nreviewed: 2025-01-01\n");
        TestRepo::new()
            .manifest(&format!("organisation:\n  name: T\nwaivers:\n{waivers}"))
            .file("risks/a.yaml", &risk("RISK-1"))
            .file("risks/legacy-b.yaml", &risk("RISK-2"))
            .file("risks/old/c.yaml", &risk("RISK-3"))
    }

    pub(super) fn waiver(rule: &str, target: &str, expires: &str) -> String {
        format!("  - rule: {rule}\n    target: \"{target}\"\n    reason: Owner being appointed\n    owner: CISO\n    expires: {expires}\n")
    }

    /// The ids of the risks whose `risk-owner-missing` finding is reported (not waived).
    fn reported(r: &TestRepo, as_of: &str) -> Vec<String> {
        let report = r.report(as_of);
        report
            .findings
            .iter()
            .filter(|f| f.rule == OWNER && !f.is_waived())
            .filter_map(|f| f.record_id.clone())
            .collect()
    }

    #[test]
    fn a_waived_finding_is_kept_marked_and_counted_but_does_not_fail() {
        let r = repo(&waiver(OWNER, "RISK-1", "2025-06-30"));
        let report = r.report("2025-06-01");
        let owner: Vec<_> = report.findings.iter().filter(|f| f.rule == OWNER).collect();
        assert_eq!(owner.len(), 3, "waived findings are kept in the report");
        let waived: Vec<_> = owner.iter().filter(|f| f.is_waived()).collect();
        assert_eq!(waived.len(), 1);
        assert_eq!(waived[0].record_id.as_deref(), Some("RISK-1"));
        assert_eq!(
            waived[0].severity,
            Severity::Error,
            "the severity is unchanged"
        );
        assert_eq!(report.counts().waived, 1);
        // Only the unwaived findings are lines of output.
        assert_eq!(r.check_rule(OWNER, "2025-06-01").len(), 2);
        assert!(r.check_rule("waiver-unused", "2025-06-01").is_empty());
        assert!(r.check_rule("waiver-expired", "2025-06-01").is_empty());

        // The JSON report keeps the waived finding with its waiver.
        let json = JsonReport::new(&report, "0.0.0");
        assert_eq!(json.summary.waived, 1);
        let w = json
            .findings
            .iter()
            .find(|f| f.rule == OWNER && f.record_id == Some("RISK-1"))
            .and_then(|f| f.waiver.as_ref())
            .expect("the waived finding carries its waiver");
        assert_eq!(
            (w.reason, w.owner, w.expires.as_str()),
            ("Owner being appointed", "CISO", "2025-06-30")
        );
    }

    #[test]
    fn waived_findings_do_not_fail_the_run() {
        let all = format!(
            "{}{}{}",
            waiver(OWNER, "RISK-1", "2025-06-30"),
            waiver(OWNER, "RISK-2", "2025-06-30"),
            waiver(OWNER, "RISK-3", "2025-06-30")
        );
        let report = repo(&all)
            .file(
                "soa.yaml",
                "kind: statement-of-applicability\nid: SOA\ntitle: S\n",
            )
            .report("2025-06-01");
        let owner = |f: &&crate::Finding| f.rule == OWNER;
        assert_eq!(report.findings.iter().filter(owner).count(), 3);
        assert_eq!(report.counts().waived, 3);
        // Other rules still report (the SoA is incomplete); waived ones do not count.
        let unwaived_errors = report
            .findings
            .iter()
            .filter(|f| !f.is_waived() && f.severity == Severity::Error)
            .count();
        assert_eq!(report.counts().errors, unwaived_errors);
        assert!(report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .all(|f| f.rule != OWNER || f.is_waived()));
        assert!(
            report.fails(Severity::Error),
            "the SoA's own errors still fail"
        );

        // A run whose only errors are waived passes (other rules' findings
        // are left out, so that this holds whatever rules exist).
        let mut report = repo(&all).report("2025-06-01");
        report.findings.retain(|f| f.rule == OWNER);
        assert_eq!(report.counts().errors, 0);
        assert_eq!(report.counts().waived, 3);
        assert!(!report.fails(Severity::Error));
        assert!(!report.fails(Severity::Note));
        // The day after expiry they fail again.
        let mut report = repo(&all).report("2025-07-01");
        report.findings.retain(|f| f.rule == OWNER);
        assert_eq!(report.counts().errors, 3);
        assert!(report.fails(Severity::Error));
    }

    #[test]
    fn targets_a_record_id_an_exact_path_or_a_glob() {
        let check =
            |target: &str| reported(&repo(&waiver(OWNER, target, "2025-06-30")), "2025-06-01");
        assert_eq!(check("RISK-2"), ["RISK-1", "RISK-3"]);
        assert_eq!(check("risks/legacy-b.yaml"), ["RISK-1", "RISK-3"]);
        assert_eq!(check("risks/legacy-*.yaml"), ["RISK-1", "RISK-3"]);
        assert_eq!(check("risks/**"), Vec::<String>::new());
        assert_eq!(check("risks/old/*"), ["RISK-1", "RISK-2"]);
        // `*` stays within a directory, as in .gitignore.
        assert_eq!(check("risks/*.yaml"), ["RISK-3"]);
        assert_eq!(check("**/c.yaml"), ["RISK-1", "RISK-2"]);
        // A record id is matched exactly, not as a pattern of ids.
        assert_eq!(check("RISK-*"), ["RISK-1", "RISK-2", "RISK-3"]);
    }

    #[test]
    fn a_waiver_only_accepts_its_own_rule() {
        let r = repo(&waiver("risk-review-overdue", "RISK-1", "2025-06-30"));
        assert_eq!(reported(&r, "2025-06-01"), ["RISK-1", "RISK-2", "RISK-3"]);
    }

    #[test]
    fn the_expiry_day_is_still_waived() {
        let r = repo(&waiver(OWNER, "RISK-1", "2025-06-30"));
        assert_eq!(reported(&r, "2025-06-29"), ["RISK-2", "RISK-3"]);
        assert_eq!(reported(&r, "2025-06-30"), ["RISK-2", "RISK-3"]);
        assert_eq!(reported(&r, "2025-07-01"), ["RISK-1", "RISK-2", "RISK-3"]);
        assert_eq!(r.report("2025-07-01").counts().waived, 0);
    }

    #[test]
    fn a_waiver_expiring_on_29_february() {
        let r = repo(&waiver(OWNER, "RISK-1", "2024-02-29"));
        assert_eq!(reported(&r, "2024-02-29"), ["RISK-2", "RISK-3"]);
        assert_eq!(reported(&r, "2024-03-01"), ["RISK-1", "RISK-2", "RISK-3"]);
    }

    #[test]
    fn a_current_waiver_wins_over_an_expired_one() {
        let both = format!(
            "{}{}",
            waiver(OWNER, "RISK-1", "2025-01-31"),
            waiver(OWNER, "risks/a.yaml", "2025-12-31")
        );
        let r = repo(&both);
        assert_eq!(reported(&r, "2025-06-01"), ["RISK-2", "RISK-3"]);
        // The old waiver matched; it is not unused, and its finding is not back.
        assert!(r.check_rule("waiver-unused", "2025-06-01").is_empty());
        assert!(r.check_rule("waiver-expired", "2025-06-01").is_empty());
    }

    #[test]
    fn a_waiver_without_reason_or_owner_is_rejected_and_waives_nothing() {
        let head = "  - rule: risk-owner-missing\n    target: RISK-1\n";
        for (fields, expected) in [
            (
                "    owner: CISO\n    expires: 2025-06-30\n",
                "isms.yaml:4:5: error[schema-violation] `reason` is missing: the manifest needs it",
            ),
            (
                "    reason: Because\n    expires: 2025-06-30\n",
                "isms.yaml:4:5: error[schema-violation] `owner` is missing: the manifest needs it",
            ),
            (
                "    reason: \"\"\n    owner: CISO\n    expires: 2025-06-30\n",
                "isms.yaml:6:13: error[schema-violation] `reason` is blank: write it out",
            ),
            (
                "    reason: Because\n    owner: \"   \"\n    expires: 2025-06-30\n",
                "isms.yaml:7:12: error[schema-violation] `owner` is blank: write it out",
            ),
            (
                "    reason: Because\n    owner: CISO\n",
                "isms.yaml:4:5: error[schema-violation] `expires` is missing: the manifest needs it",
            ),
        ] {
            let r = repo(&format!("{head}{fields}"));
            assert_eq!(r.check_rule("schema-violation", "2025-06-01"), [expected]);
            assert_eq!(reported(&r, "2025-06-01"), ["RISK-1", "RISK-2", "RISK-3"], "{fields}");
            assert_eq!(r.report("2025-06-01").counts().waived, 0);
            // A rejected waiver is not also reported as unused.
            assert!(r.check_rule("waiver-unused", "2025-06-01").is_empty());
        }
    }

    #[test]
    fn waivers_accept_findings_of_the_loader_too() {
        let r = repo(&waiver("schema-violation", "risks/x.yaml", "2025-06-30")).file(
            "risks/x.yaml",
            "kind: risk\nid: RISK-9\ntitle: T\nowner: A\nreviewed: 2025-01-01\ncolour: red\n",
        );
        assert!(r.check_rule("schema-violation", "2025-06-01").is_empty());
        assert_eq!(r.report("2025-06-01").counts().waived, 1);
        assert!(r.check_rule("waiver-unused", "2025-06-01").is_empty());
    }

    /// `repo` with its waivers in a separate file.
    fn with_file(path: &str, manifest_waivers: &str, file: &str) -> TestRepo {
        repo(manifest_waivers)
            .manifest(&format!(
                "organisation:\n  name: T\nwaivers-file: {path}\nwaivers:\n{manifest_waivers}"
            ))
            .file(path, file)
    }

    #[test]
    fn waivers_kept_in_a_file_named_by_the_manifest() {
        let file = format!("waivers:\n{}", waiver(OWNER, "RISK-2", "2025-06-30"));
        let r = with_file(
            "waivers.yaml",
            &waiver(OWNER, "RISK-1", "2025-06-30"),
            &file,
        );
        assert_eq!(reported(&r, "2025-06-30"), ["RISK-3"]);
        // Both lists apply, and each waived finding names its own waiver.
        let report = r.report("2025-06-30");
        let json = JsonReport::new(&report, "0.0.0");
        for (id, index) in [("RISK-1", 0), ("RISK-2", 1)] {
            let f = report
                .findings
                .iter()
                .find(|f| f.rule == OWNER && f.record_id.as_deref() == Some(id))
                .unwrap();
            assert_eq!(f.waiver, Some(index));
            let w = report.waivers.iter().find(|w| w.index == index).unwrap();
            assert_eq!(
                report.repo.path(w.file),
                ["isms.yaml", "waivers.yaml"][index]
            );
            assert!(json
                .findings
                .iter()
                .any(|j| j.record_id == Some(id) && j.waiver.is_some()));
        }
        // The file is not a record, and is not reported as one.
        assert!(r.check_rule("unknown-kind", "2025-06-30").is_empty());
    }

    #[test]
    fn findings_about_a_waiver_point_into_its_file() {
        let file = format!(
            "# Accepted findings, reviewed monthly.\nwaivers:\n{}{}",
            waiver(OWNER, "RISK-2", "2025-06-30"),
            waiver("risk-owner-mising", "RISK-3", "2025-12-31")
        );
        let r = with_file("isms/waivers.yaml", "", &file);
        assert_eq!(
            r.check_rule("waiver-expired", "2025-07-01"),
            ["isms/waivers.yaml:7:14: warning[waiver-expired] the waiver of `risk-owner-missing` for `RISK-2` expired on 2025-06-30 (1 day ago); its finding at risks/legacy-b.yaml:2:5 is reported again"]
        );
        assert_eq!(
            r.check_rule("waiver-unused", "2025-07-01"),
            ["isms/waivers.yaml:8:5: warning[waiver-unused] the waiver of `risk-owner-mising` for `RISK-3` matches no finding (there is no rule `risk-owner-mising`; did you mean `risk-owner-missing`?); remove it, or correct its rule or target"]
        );
    }

    #[test]
    fn a_waivers_file_is_checked_against_its_schema() {
        let file = "waivers:\n  - rule: risk-owner-missing\n    target: RISK-1\n    owner: CISO\n    expires: 2025-06-30\n    colour: red\n";
        let r = with_file("waivers.yaml", "", file);
        assert_eq!(
            r.check_rule("schema-violation", "2025-06-01"),
            [
                "waivers.yaml:2:5: error[schema-violation] `reason` is missing: the waivers file needs it",
                "waivers.yaml:6:5: error[schema-violation] unknown key `colour` in `waivers` (known keys: expires, granted, owner, reason, rule, target; add `x-` in front of your own keys)",
            ]
        );
        // The rejected waiver waives nothing.
        assert_eq!(reported(&r, "2025-06-01"), ["RISK-1", "RISK-2", "RISK-3"]);
        let r = with_file("waivers.yaml", "", "- rule: x\n");
        assert_eq!(
            r.check_rule("schema-violation", "2025-06-01"),
            ["waivers.yaml:1:1: error[schema-violation] a waivers file is a mapping with a `waivers:` list, written as in `isms.yaml`"]
        );
        let r = with_file("waivers.yaml", "", "waivers: [\n");
        assert_eq!(r.check_rule("parse-error", "2025-06-01").len(), 1);
        assert!(r.check_rule("parse-error", "2025-06-01")[0].starts_with("waivers.yaml:"));
        // An empty file waives nothing, and says nothing.
        let r = with_file("waivers.yaml", "", "");
        assert!(r
            .check("2025-06-01")
            .iter()
            .all(|l| !l.starts_with("waivers.yaml")));
    }

    #[test]
    fn a_waivers_file_that_is_not_there() {
        let r = repo("").manifest("organisation:\n  name: T\nwaivers-file: waivers.yaml\n");
        assert_eq!(
            r.check_rule("broken-reference", "2025-06-01"),
            ["isms.yaml:3:15: error[broken-reference] the waivers file `waivers.yaml` named by `waivers-file` is not in the repository; its waivers apply to nothing"]
        );
        for outside in ["../waivers.yaml", "/etc/waivers.yaml", "a/../../w.yaml"] {
            let r = repo("").manifest(&format!(
                "organisation:\n  name: T\nwaivers-file: {outside}\n"
            ));
            assert_eq!(
                r.check_rule("schema-violation", "2025-06-01"),
                [format!("isms.yaml:3:15: error[schema-violation] `waivers-file` must be a path inside the repository, relative to its root, such as `waivers.yaml` — found \"{outside}\"")]
            );
        }
    }
}

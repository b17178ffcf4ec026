//! Running the rules: settings, waivers, ordering and fingerprints.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Level;
use crate::finding::{fingerprint, Finding, Severity};
use crate::interval::Interval;
use crate::model::Standard;
use crate::repository::Repository;
use crate::rules::context::Run;
use crate::rules::waivers::{self, WaiverEntry};
use crate::rules::{registry, Category, Deadline, Rule, RuleContext, RuleId};
use crate::source::{LineCol, Span};

/// Default look-ahead for deadlines.
pub const DEFAULT_HORIZON: Interval = Interval::days(30);

/// How to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The day to evaluate the repository on.
    pub as_of: NaiveDate,
    /// How far ahead to warn; overrides `lint.horizon`.
    pub horizon: Option<Interval>,
}

/// The outcome of a check.
#[derive(Debug)]
pub struct Report {
    pub repo: Repository,
    pub as_of: NaiveDate,
    /// Every finding, waived ones included, sorted by path, line and rule.
    pub findings: Vec<Finding>,
    /// Every deadline the rules computed, sorted by date.
    pub deadlines: Vec<Deadline>,
    pub waivers: Vec<WaiverEntry>,
    /// The rules `lint.rules` turns off, with where: every output says so,
    /// so that a rule switched off is never invisible.
    pub disabled: Vec<DisabledRule>,
}

/// A rule turned off in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisabledRule {
    pub rule: RuleId,
    /// Where `lint.rules` names it.
    pub span: Span,
}

/// Counts of unwaived findings by severity, and of waived ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub waived: usize,
}

impl Report {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for f in &self.findings {
            if f.is_waived() {
                c.waived += 1;
                continue;
            }
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Note => c.notes += 1,
            }
        }
        c
    }

    /// Whether any unwaived finding that is not advisory is at or above
    /// `fail_on`.
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| !f.is_waived() && !f.advisory && f.severity >= fail_on)
    }

    pub fn path(&self, f: &Finding) -> &str {
        self.repo.path(f.file)
    }

    /// Start and end of a finding, 1-based. The end is exclusive, pointing
    /// just past the last character (as SARIF's `endColumn`).
    pub fn range(&self, f: &Finding) -> (LineCol, LineCol) {
        let file = self.repo.file(f.file);
        (file.line_col(f.span.start), file.line_col(f.span.end))
    }
}

/// Run every enabled rule over a loaded repository.
pub fn check(repo: Repository, opts: &CheckOptions) -> Report {
    let settings = &repo.settings;
    let horizon = opts
        .horizon
        .or(repo.manifest.lint.horizon)
        .unwrap_or(DEFAULT_HORIZON);
    let standards: Vec<Standard> = if repo.manifest.standards.is_empty() {
        vec![Standard::Iso27001_2022]
    } else {
        repo.manifest.standards.clone()
    };

    let mut findings = Vec::new();
    let applicable = |r: &&dyn Rule| applies(r.meta().standard, &standards);
    let lost = std::sync::OnceLock::new();
    let mut run = Run {
        repo: &repo,
        as_of: opts.as_of,
        settings,
        horizon,
        waivers: &[],
        lost: &lost,
    };
    // Every rule but the waiver rules, in parallel; then the waivers are
    // applied, and the waiver rules report on them.
    let (rules, waiver_rules): (Vec<&dyn Rule>, Vec<&dyn Rule>) = registry()
        .iter()
        .copied()
        .filter(applicable)
        .partition(|r| r.meta().category != Category::Waivers);
    let mut deadlines = Vec::new();
    run_rules(&run, &rules, &mut findings, &mut deadlines);
    let mut waivers = waivers::read(&repo);
    waivers::apply(&repo, opts.as_of, &mut findings, &mut waivers);
    run.waivers = &waivers;
    run_rules(&run, &waiver_rules, &mut findings, &mut deadlines);

    finish(&repo, &mut findings);
    let mut disabled: Vec<DisabledRule> = repo
        .settings
        .iter()
        .filter(|(_, s)| s.level == Some(Level::Off))
        .map(|(&rule, s)| DisabledRule { rule, span: s.span })
        .collect();
    disabled.sort_by_key(|d| d.span.start);
    deadlines.sort_by(|a, b| a.due.cmp(&b.due).then(a.rule.cmp(&b.rule)));
    Report {
        repo,
        as_of: opts.as_of,
        findings,
        deadlines,
        waivers,
        disabled,
    }
}

/// Run the enabled ones of `rules`, one task each.
fn run_rules(
    run: &Run<'_>,
    rules: &[&dyn Rule],
    findings: &mut Vec<Finding>,
    deadlines: &mut Vec<Deadline>,
) {
    let results: Vec<(Vec<Finding>, Vec<Deadline>)> = rules
        .par_iter()
        .filter_map(|rule| {
            let mut cx = RuleContext::new(run, rule.meta())?;
            rule.check(&mut cx);
            Some((cx.findings, cx.deadlines))
        })
        .collect();
    for (f, d) in results {
        findings.extend(f);
        deadlines.extend(d);
    }
}

fn applies(standard: Option<Standard>, enabled: &[Standard]) -> bool {
    match standard {
        None => true,
        Some(Standard::Iso27001_2022) | Some(Standard::Iso27001_2013) => enabled
            .iter()
            .any(|s| matches!(s, Standard::Iso27001_2022 | Standard::Iso27001_2013)),
        Some(s) => enabled.contains(&s),
    }
}

/// Sort findings and give each a fingerprint. Findings with the same identity
/// are numbered in order, so each fingerprint is unique.
fn finish(repo: &Repository, findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        repo.path(a.file)
            .cmp(repo.path(b.file))
            .then(a.span.start.cmp(&b.span.start))
            .then(a.rule.cmp(&b.rule))
            .then(a.message.cmp(&b.message))
    });
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in findings.iter_mut() {
        let base = fingerprint(
            f.rule.as_str(),
            repo.path(f.file),
            f.record_id.as_deref(),
            f.key.as_deref(),
        );
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        f.fingerprint = if *n == 1 { base } else { format!("{base}:{n}") };
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const BROKEN: &str = "kind: risk\nid: R-1\ntitle: t\nreviewed: 2025-02-30\n";

    #[test]
    fn an_integrity_rule_cannot_be_turned_off_from_the_repository() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    invalid-date: off\n    parse-error: {severity: off}\n")
            .file("risks/r.yaml", BROKEN);
        let report = r.report("2025-06-01");
        assert_eq!(
            crate::testing::lines(&report, |rule| rule == "invalid-date" || rule == "schema-violation"),
            [
                "isms.yaml:5:19: error[schema-violation] `invalid-date` cannot be turned off: it says whether the repository could be read at all; give it another severity, or waive its findings one by one with a reason",
                "isms.yaml:6:18: error[schema-violation] `parse-error` cannot be turned off: it says whether the repository could be read at all; give it another severity, or waive its findings one by one with a reason",
                "risks/r.yaml:4:11: error[invalid-date] `reviewed` is not a real date: 2025-02-30 does not exist (February 2025 has 28 days)",
            ]
        );
        assert!(report.disabled.is_empty());
        // Another severity is the repository's to choose.
        let lowered = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    invalid-date: warning\n")
            .file("risks/r.yaml", BROKEN);
        assert_eq!(
            lowered.check_rule("invalid-date", "2025-06-01")[0],
            "risks/r.yaml:4:11: warning[invalid-date] `reviewed` is not a real date: 2025-02-30 does not exist (February 2025 has 28 days)"
        );
    }

    #[test]
    fn rules_turned_off_are_listed_with_where() {
        let report = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  rules:\n    risk-owner-missing: off\n    corrective-action-stale:\n      severity: off\n    training-overdue: warning\n")
            .report("2025-06-01");
        let off: Vec<_> = report
            .disabled
            .iter()
            .map(|d| {
                let at = report
                    .repo
                    .file(report.repo.manifest_file)
                    .line_col(d.span.start);
                format!("{}@{}", d.rule, at.line)
            })
            .collect();
        assert_eq!(off, ["risk-owner-missing@5", "corrective-action-stale@6"]);
    }

    #[test]
    fn standards_that_isms_lint_does_not_check_are_an_error_not_an_empty_run() {
        let r = TestRepo::new().manifest("organisation:\n  name: T\nstandards: [GDPR, POPIA]\n");
        assert_eq!(
            r.check_rule("schema-violation", "2025-06-01"),
            ["isms.yaml:3:12: error[schema-violation] `standards` names no standard isms-lint checks, so no rule of a standard would run: add `ISO/IEC 27001:2022`"]
        );
        let with_27001 = TestRepo::new()
            .manifest("organisation:\n  name: T\nstandards: [GDPR, \"ISO/IEC 27001:2022\"]\n");
        assert!(with_27001
            .check_rule("schema-violation", "2025-06-01")
            .is_empty());
    }
}

//! Running the rules: settings, waivers, ordering and fingerprints.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::{self};
use crate::finding::{fingerprint, Finding, Severity};
use crate::interval::Interval;
use crate::model::Standard;
use crate::repository::Repository;
use crate::rules::context::Run;
use crate::rules::waivers::{self, WaiverEntry};
use crate::rules::{registry, Category, Deadline, Rule, RuleContext};
use crate::source::LineCol;

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

    /// Whether any unwaived finding is at or above `fail_on`.
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.findings
            .iter()
            .any(|f| !f.is_waived() && f.severity >= fail_on)
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
    let settings = config::rule_settings(&repo.manifest_node);
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
    let mut run = Run {
        repo: &repo,
        as_of: opts.as_of,
        settings: &settings,
        horizon,
        waivers: &[],
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
    deadlines.sort_by(|a, b| a.due.cmp(&b.due).then(a.rule.cmp(&b.rule)));
    Report {
        repo,
        as_of: opts.as_of,
        findings,
        deadlines,
        waivers,
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

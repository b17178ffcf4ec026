//! Running the rules: settings, waivers, ordering and fingerprints.

use std::collections::HashMap;

use chrono::NaiveDate;
use globset::{GlobBuilder, GlobMatcher};
use rayon::prelude::*;

use crate::config::{self, Level, RuleSettings};
use crate::finding::{fingerprint, Finding, Severity};
use crate::interval::Interval;
use crate::model::{Standard, Waiver};
use crate::repository::Repository;
use crate::rules::{self, registry, Deadline, Rule, RuleContext};
use crate::source::{FileId, LineCol, Span};
use crate::yaml::Node;

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
    /// The target as a path glob, if it is one; `Err` says why it is not.
    matcher: Result<GlobMatcher, String>,
}

impl WaiverEntry {
    fn new(index: usize, waiver: Waiver, file: FileId, node: &Node) -> Self {
        // `*` stays within a directory and `**` crosses them, as in .gitignore.
        let matcher = GlobBuilder::new(&waiver.target)
            .literal_separator(true)
            .build()
            .map(|g| g.compile_matcher())
            .map_err(|e| e.kind().to_string());
        WaiverEntry {
            index,
            waiver,
            file,
            span: node.span,
            expires_span: node.locate(["expires"]),
            used: 0,
            matcher,
        }
    }

    /// Whether the waiver is still in force on `as_of`: the `expires` day
    /// itself is the last day it applies.
    pub fn is_current(&self, as_of: NaiveDate) -> bool {
        as_of <= self.waiver.expires
    }

    fn matches(&self, repo: &Repository, f: &Finding) -> bool {
        if self.waiver.rule != f.rule {
            return false;
        }
        if f.record_id.as_deref() == Some(self.waiver.target.as_str()) {
            return true;
        }
        let path = repo.path(f.file);
        self.waiver.target == path || self.matcher.as_ref().is_ok_and(|m| m.is_match(path))
    }
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
pub fn check(mut repo: Repository, opts: &CheckOptions) -> Report {
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
    for f in std::mem::take(&mut repo.load_findings) {
        let rule_settings = settings.get(f.rule);
        if let Some(f) = apply_level(f, rule_settings) {
            findings.push(f);
        }
    }

    let enabled: Vec<&dyn Rule> = registry()
        .iter()
        .copied()
        .filter(|r| applies(r.meta().standard, &standards))
        .filter(|r| level_of(r.meta(), settings.get(r.meta().name)) != Level::Off)
        .collect();
    let results: Vec<(Vec<Finding>, Vec<Deadline>)> = enabled
        .par_iter()
        .map(|rule| {
            let meta = rule.meta();
            let Level::On(severity) = level_of(meta, settings.get(meta.name)) else {
                unreachable!("disabled rules are filtered out")
            };
            let mut cx = RuleContext::new(
                &repo,
                opts.as_of,
                meta,
                severity,
                settings.get(meta.name),
                horizon,
            );
            rule.check(&mut cx);
            (cx.findings, cx.deadlines)
        })
        .collect();
    let mut deadlines = Vec::new();
    for (f, d) in results {
        findings.extend(f);
        deadlines.extend(d);
    }

    let mut waivers = read_waivers(&repo);
    apply_waivers(&repo, opts.as_of, &mut findings, &mut waivers, &settings);

    finish(&repo, &mut findings);
    deadlines.sort_by(|a, b| a.due.cmp(&b.due).then(a.rule.cmp(b.rule)));
    Report {
        repo,
        as_of: opts.as_of,
        findings,
        deadlines,
        waivers,
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

fn level_of(meta: &rules::RuleMeta, settings: Option<&RuleSettings>) -> Level {
    settings
        .and_then(|s| s.level)
        .unwrap_or(Level::On(meta.default_severity))
}

/// Apply a configured level to a finding reported outside a rule's check.
fn apply_level(mut f: Finding, settings: Option<&RuleSettings>) -> Option<Finding> {
    match settings.and_then(|s| s.level) {
        Some(Level::Off) => None,
        Some(Level::On(s)) => {
            f.severity = s;
            Some(f)
        }
        None => Some(f),
    }
}

/// The waivers of the manifest, then those of its `waivers-file`.
fn read_waivers(repo: &Repository) -> Vec<WaiverEntry> {
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

fn apply_waivers(
    repo: &Repository,
    as_of: NaiveDate,
    findings: &mut Vec<Finding>,
    waivers: &mut [WaiverEntry],
    settings: &HashMap<String, RuleSettings>,
) {
    // For each expired waiver, the findings it would have accepted.
    let mut back: Vec<Vec<(FileId, Span)>> = vec![Vec::new(); waivers.len()];
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
            (None, Some(i)) => back[i].push((f.file, f.span)),
            (None, None) => {}
        }
    }

    let mut extra = Vec::new();
    let meta = rules::meta("waiver-expired");
    if let Level::On(sev) = level_of(meta, settings.get(meta.name)) {
        for (w, back) in waivers.iter().zip(&back) {
            let Some(&(file, span)) = back.first() else {
                continue;
            };
            let what = if back.len() == 1 {
                let at = repo.file(file).line_col(span.start);
                format!(
                    "its finding at {}:{}:{} is reported again",
                    repo.path(file),
                    at.line,
                    at.column
                )
            } else {
                format!("its {} findings are reported again", back.len())
            };
            let mut f = Finding::new(meta.name, sev, w.file, w.expires_span)
            .message(format!(
                "the waiver of `{}` for `{}` expired on {} ({} ago); {what}",
                w.waiver.rule,
                w.waiver.target,
                w.waiver.expires,
                rules::plural_days((as_of - w.waiver.expires).num_days()),
            ))
            .help(format!(
                "Fix the finding and delete the waiver, or have {} renew it with a new `expires` date.",
                w.waiver.owner
            ))
            .key(format!("{}/{}", w.waiver.rule, w.waiver.target));
            for &(file, span) in back {
                f = f.related(file, span, "the finding it waived");
            }
            extra.push(f);
        }
    }

    let meta = rules::meta("waiver-unused");
    if let Level::On(sev) = level_of(meta, settings.get(meta.name)) {
        for w in waivers.iter().filter(|w| w.used == 0) {
            let hint = unused_hint(w, settings);
            extra.push(
                Finding::new(meta.name, sev, w.file, w.span)
                .message(format!(
                    "the waiver of `{}` for `{}` matches no finding{hint}; remove it, or correct its rule or target",
                    w.waiver.rule, w.waiver.target
                ))
                .key(format!("{}/{}", w.waiver.rule, w.waiver.target)),
            );
        }
    }
    findings.extend(extra);
}

/// Why a waiver may match nothing, when something other than a fixed
/// finding explains it.
fn unused_hint(w: &WaiverEntry, settings: &HashMap<String, RuleSettings>) -> String {
    let rule = &w.waiver.rule;
    match rules::find(rule) {
        None => match rules::suggest(rule) {
            Some(s) => format!(" (there is no rule `{rule}`; did you mean `{s}`?)"),
            None => format!(" (there is no rule `{rule}`; see `isms-lint rules`)"),
        },
        Some(r) if level_of(r.meta(), settings.get(rule.as_str())) == Level::Off => {
            format!(" (`{rule}` is turned off in `lint.rules`)")
        }
        Some(_) => match &w.matcher {
            Err(e) => format!(
                " (`{}` is not a record id, a path or a valid glob: {e})",
                w.waiver.target
            ),
            Ok(_) => String::new(),
        },
    }
}

/// Sort findings and give each a fingerprint. Findings with the same identity
/// are numbered in order, so each fingerprint is unique.
fn finish(repo: &Repository, findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        repo.path(a.file)
            .cmp(repo.path(b.file))
            .then(a.span.start.cmp(&b.span.start))
            .then(a.rule.cmp(b.rule))
            .then(a.message.cmp(&b.message))
    });
    let mut seen: HashMap<String, usize> = HashMap::new();
    for f in findings.iter_mut() {
        let base = fingerprint(
            f.rule,
            repo.path(f.file),
            f.record_id.as_deref(),
            f.key.as_deref(),
        );
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        f.fingerprint = if *n == 1 { base } else { format!("{base}:{n}") };
    }
}

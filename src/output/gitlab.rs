//! GitLab Code Quality (`--format gitlab`): the subset of the Code Climate
//! issue format that GitLab reads from an `artifacts: reports: codequality`
//! file, and shows in the merge request's Code Quality widget and diff.
//!
//! The report is a JSON array with one object per finding not waived (GitLab
//! has no notion of an accepted finding; waived ones stay in the SARIF, JSON
//! and JUnit reports). Each object has exactly the fields GitLab documents:
//!
//! - `description`: the message, and the help when there is one;
//! - `check_name`: the rule, such as `corrective-action-overdue`;
//! - `fingerprint`: the finding's stable fingerprint (rule, path, record id
//!   and field; unique in the report), so that GitLab tells a new finding from
//!   one that only moved;
//! - `severity`: `critical` for an error, `minor` for a warning, `info` for a
//!   note (an error fails the gate by default: it ranks above anything a
//!   style linter reports as `major`);
//! - `location.path`: relative to the root of the git checkout, without
//!   `./`; `location.lines.begin` and `end`, 1-based.
//!
//! A rule the manifest turns off is an `info` issue at its line of
//! `lint.rules`, so that it is never invisible.

use std::io::{self, Write};

use isms_core::{Finding, Severity};
use serde::Serialize;

use super::Context;

/// One Code Climate issue, as GitLab reads it.
#[derive(Debug, Serialize)]
pub struct Issue {
    pub description: String,
    pub check_name: String,
    pub fingerprint: String,
    pub severity: &'static str,
    pub location: Location,
}

#[derive(Debug, Serialize)]
pub struct Location {
    pub path: String,
    pub lines: Lines,
}

#[derive(Debug, Serialize)]
pub struct Lines {
    pub begin: usize,
    pub end: usize,
}

pub fn write(out: &mut dyn Write, cx: &Context<'_>) -> io::Result<()> {
    let issues: Vec<Issue> = cx
        .report
        .findings
        .iter()
        .filter(|f| !f.is_waived())
        .map(|f| issue(cx, f))
        .chain(disabled(cx))
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// GitLab's severity for ours.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "critical",
        Severity::Warning => "minor",
        Severity::Note => "info",
    }
}

/// A rule turned off by the manifest, as an `info` issue at its line of
/// `lint.rules`: GitLab shows it beside the findings, so that a merge request
/// turning a rule off is seen.
fn disabled<'c>(cx: &'c Context<'_>) -> impl Iterator<Item = Issue> + 'c {
    let manifest = cx.file_path(cx.report.repo.manifest_file);
    super::disabled(cx.report)
        .into_iter()
        .map(move |(rule, line)| Issue {
            description: format!(
                "`{rule}` is turned off by lint.rules: it did not run, so its findings are absent, not resolved"
            ),
            check_name: rule.to_owned(),
            fingerprint: format!("{}lint.rules/{rule}/off", cx.prefix),
            severity: "info",
            location: Location {
                path: manifest.clone(),
                lines: Lines {
                    begin: line,
                    end: line,
                },
            },
        })
}

fn issue(cx: &Context<'_>, f: &Finding) -> Issue {
    let (start, end) = cx.report.range(f);
    let mut description = f.message.clone();
    if let Some(help) = &f.help {
        description.push_str(" — ");
        description.push_str(help);
    }
    // Two ISMS repositories in one checkout must not share fingerprints.
    let fingerprint = if cx.prefix.is_empty() {
        f.fingerprint.clone()
    } else {
        format!("{}{}", cx.prefix, f.fingerprint)
    };
    Issue {
        description,
        check_name: f.rule.to_string(),
        fingerprint,
        severity: severity(f.severity),
        location: Location {
            path: cx.path(f),
            lines: Lines {
                begin: start.line,
                end: end.line.max(start.line),
            },
        },
    }
}

/// The Code Quality report of a check that could not run: one `blocker`
/// issue with the cause, at the manifest when the cause is there.
pub fn render_failure(f: &super::failure::Failure) -> Vec<u8> {
    let (path, line) = match &f.place {
        Some((path, line, _)) => (path.clone(), *line),
        None => ("isms.yaml".to_owned(), 1),
    };
    let issue = Issue {
        description: f.sentence(),
        check_name: super::failure::RULE.to_owned(),
        fingerprint: format!("{}:{path}", super::failure::RULE),
        severity: "blocker",
        location: Location {
            path,
            lines: Lines {
                begin: line,
                end: line,
            },
        },
    };
    let mut bytes = serde_json::to_vec_pretty(&[issue]).expect("an issue serialises");
    bytes.push(b'\n');
    bytes
}

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

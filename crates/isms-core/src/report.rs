//! The JSON report (`isms-lint check --format json`): a stable document for
//! machines. Its schema is `schemas/report.schema.json`, generated from these
//! types. Fields are only ever added; a breaking change bumps `version`.

use schemars::JsonSchema;
use serde::Serialize;

use crate::engine::Report;
use crate::finding::{DeadlineState, Severity};

/// Version of the JSON report format.
pub const REPORT_VERSION: u32 = 1;

/// # isms-lint report
///
/// The findings of one `isms-lint check`, with the deadlines it computed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonReport<'a> {
    /// Version of this format.
    pub version: u32,
    pub tool: JsonTool,
    /// The day the repository was evaluated on (YYYY-MM-DD).
    pub as_of: String,
    pub summary: JsonSummary,
    /// Every finding, waived ones included, sorted by path and position.
    pub findings: Vec<JsonFinding<'a>>,
    /// Every deadline the rules computed, sorted by date.
    pub deadlines: Vec<JsonDeadline<'a>>,
    /// The rules the manifest's `lint.rules` turns off: they did not run, so
    /// their findings are absent, not resolved.
    pub disabled: Vec<JsonDisabled<'a>>,
    /// What the run said besides its findings, as standard error says it:
    /// files skipped, a report narrowed by `--select`, `--ignore` or
    /// `--changed-since`, and each change to the check's own settings that
    /// `--changed-since` found (`isms.yaml:8:5: this change adds a waiver…`,
    /// at the setting or the waiver entry).
    pub notes: Vec<&'a str>,
}

/// A rule turned off by the manifest.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonDisabled<'a> {
    /// The rule's name.
    pub rule: &'a str,
    /// The manifest that turns it off.
    pub path: &'a str,
    /// The line of `lint.rules` that does.
    pub line: usize,
}

/// The tool that wrote the report.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonTool {
    pub name: String,
    pub version: String,
}

/// Counts.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonSummary {
    /// Findings of severity error, not waived.
    pub errors: usize,
    /// Findings of severity warning, not waived.
    pub warnings: usize,
    /// Findings of severity note, not waived.
    pub notes: usize,
    /// Findings accepted by a waiver.
    pub waived: usize,
    /// Files read.
    pub files: usize,
    /// Records read.
    pub records: usize,
}

/// One finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonFinding<'a> {
    /// The rule's name (see `isms-lint rules`).
    pub rule: &'a str,
    pub severity: Severity,
    pub message: &'a str,
    /// What to do, when the rule can say more than its documentation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<&'a str>,
    /// Path relative to the repository root, with `/` separators.
    pub path: &'a str,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in characters.
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column just past the end, in characters.
    pub end_column: usize,
    /// The record the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<&'a str>,
    /// The deadline concerned (YYYY-MM-DD), for time-based rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// With `due`: `due-soon` (a warning ahead: the date has not passed, or
    /// is today) or `overdue` (the date has passed). A rule is named after
    /// its obligation and reports both: `certificate-expired` warns
    /// `due-soon` while the certificate is still valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<DeadlineState>,
    /// Stable identity of the finding: unchanged when unrelated lines move.
    pub fingerprint: &'a str,
    /// Other places that explain the finding.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<JsonRelated<'a>>,
    /// The waiver that accepts this finding, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<JsonWaiver<'a>>,
    /// Shown but not failing the run: with `check --staged`, a finding that
    /// was there before the change being committed (present only when true).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub advisory: bool,
}

/// A place related to a finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonRelated<'a> {
    pub path: &'a str,
    pub line: usize,
    pub column: usize,
    pub message: &'a str,
}

/// A waiver applied to a finding.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonWaiver<'a> {
    pub reason: &'a str,
    pub owner: &'a str,
    /// YYYY-MM-DD.
    pub expires: String,
}

/// A deadline computed by a rule.
#[derive(Debug, Serialize, JsonSchema)]
pub struct JsonDeadline<'a> {
    /// The rule that computed it.
    pub rule: &'a str,
    /// What is due.
    pub what: &'a str,
    /// YYYY-MM-DD.
    pub due: String,
    /// Days from the day of the check to the deadline; negative when overdue.
    pub days: i64,
    /// How the date was computed.
    pub reason: &'a str,
    /// The file that set the clock.
    pub path: &'a str,
    pub line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_id: Option<&'a str>,
}

impl<'a> JsonReport<'a> {
    pub fn new(report: &'a Report, tool_version: &str) -> JsonReport<'a> {
        let counts = report.counts();
        let findings = report
            .findings
            .iter()
            .map(|f| {
                let (start, end) = report.range(f);
                JsonFinding {
                    rule: f.rule.as_str(),
                    severity: f.severity,
                    message: &f.message,
                    help: f.help.as_deref(),
                    path: report.path(f),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    record_id: f.record_id.as_deref(),
                    due: f.due.map(|d| d.to_string()),
                    state: f.state,
                    fingerprint: &f.fingerprint,
                    related: f
                        .related
                        .iter()
                        .map(|r| {
                            let at = report.repo.file(r.file).line_col(r.span.start);
                            JsonRelated {
                                path: report.repo.path(r.file),
                                line: at.line,
                                column: at.column,
                                message: &r.message,
                            }
                        })
                        .collect(),
                    waiver: f.waiver.and_then(|i| {
                        report
                            .waivers
                            .iter()
                            .find(|w| w.index == i)
                            .map(|w| JsonWaiver {
                                reason: &w.waiver.reason,
                                owner: &w.waiver.owner,
                                expires: w.waiver.expires.to_string(),
                            })
                    }),
                    advisory: f.advisory,
                }
            })
            .collect();
        let deadlines = report
            .deadlines
            .iter()
            .map(|d| JsonDeadline {
                rule: d.rule.as_str(),
                what: &d.what,
                due: d.due.to_string(),
                days: (d.due - report.as_of).num_days(),
                reason: &d.reason,
                path: report.repo.path(d.file),
                line: report.repo.file(d.file).line_col(d.span.start).line,
                record_id: d.record_id.as_deref(),
            })
            .collect();
        let manifest = report.repo.file(report.repo.manifest_file);
        let disabled = report
            .disabled
            .iter()
            .map(|d| JsonDisabled {
                rule: d.rule.as_str(),
                path: report.repo.path(report.repo.manifest_file),
                line: manifest.line_col(d.span.start).line,
            })
            .collect();
        JsonReport {
            version: REPORT_VERSION,
            tool: JsonTool {
                name: "isms-lint".into(),
                version: tool_version.to_owned(),
            },
            as_of: report.as_of.to_string(),
            summary: JsonSummary {
                errors: counts.errors,
                warnings: counts.warnings,
                notes: counts.notes,
                waived: counts.waived,
                files: report.repo.stats.files_read,
                records: report.repo.stats.records,
            },
            findings,
            deadlines,
            disabled,
            notes: Vec::new(),
        }
    }
}

//! SARIF 2.1.0 (`--format sarif`), written for GitHub code scanning.
//!
//! What GitHub needs, and how it is met:
//! - every result has a location: a URI relative to the checkout's root
//!   (`%SRCROOT%`, declared in `originalUriBaseIds`) and a region; findings
//!   about something missing are located at the manifest entry that demands it;
//! - `partialFingerprints` carry the finding's fingerprint (rule, path, record
//!   id and field), so an alert keeps its identity when unrelated lines move;
//! - `automationDetails.id` is the category that keeps this analysis apart from
//!   others uploaded for the same commit;
//! - waived findings are results with an external, accepted suppression, which
//!   code scanning shows as dismissed, with the waiver's reason;
//! - GitHub rejects a run of more than 25 000 results or a file of more than
//!   10 MB gzipped: past either limit the results are cut, errors first, then by
//!   path, and the cut is said on standard error and in the run itself.
//!
//! The types below are the subset of SARIF this tool writes. The output is
//! checked against the OASIS schema and Microsoft's SARIF multitool (with its
//! GitHub rules) in CI.
//!
//! They are written here rather than taken from `serde-sarif`: that crate
//! models the whole specification (every field optional, builders, and the
//! `strum` and `typed-builder` machinery) to express these twenty-odd
//! structs, whose point is which fields are always present for GitHub; the
//! validation in CI, not the types, is what keeps the output conforming.

use std::collections::BTreeMap;
use std::io::{self, Write};

use isms_core::rules::{registry, RuleMeta};
use isms_core::source::{SourceFile, Span};
use isms_core::{Finding, Severity};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use super::failure::{self, Failure};
use super::Context;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// The key of our fingerprint in `partialFingerprints`; the version changes
/// if the way the fingerprint is computed ever does.
pub const FINGERPRINT_KEY: &str = "ismsLint/v1";

/// GitHub's limits on one upload.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Results per run (GitHub rejects more).
    pub results: usize,
    /// Size of the gzipped file, in bytes (GitHub rejects more than 10 MB).
    pub gzipped_bytes: usize,
    /// Related locations kept per result (GitHub shows at most 100).
    pub related: usize,
}

impl Limits {
    pub const GITHUB: Limits = Limits {
        results: 25_000,
        // 10 MB, with a margin for the upload's own encoding.
        gzipped_bytes: 10_000_000,
        related: 100,
    };
}

/// Write the SARIF log.
pub fn write(out: &mut dyn Write, cx: &Context<'_>) -> io::Result<()> {
    let (bytes, cut) = render(cx, Limits::GITHUB)?;
    if let Some(cut) = cut {
        eprintln!("warning: {}", cut.message());
    }
    out.write_all(&bytes)
}

/// Results dropped to stay within the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truncation {
    pub total: usize,
    pub kept: usize,
    /// Which limit was hit.
    pub by_size: bool,
}

impl Truncation {
    pub fn message(&self) -> String {
        let limit = if self.by_size {
            "GitHub's limit of 10 MB per gzipped SARIF file"
        } else {
            "GitHub's limit of 25 000 results per SARIF run"
        };
        format!(
            "SARIF output truncated to {} of {} results to stay within {limit}; errors were kept first, then by path. Run isms-lint in a terminal or with --format json for every finding.",
            self.kept, self.total
        )
    }
}

/// The SARIF log as bytes, within `limits`.
pub fn render(cx: &Context<'_>, limits: Limits) -> io::Result<(Vec<u8>, Option<Truncation>)> {
    let report = cx.report;
    let total = report.findings.len();
    let order = priority_order(cx);
    let mut keep = order.len().min(limits.results);
    // Whether the size limit, rather than the count, made the last cut.
    let mut by_size = false;
    loop {
        let cut = (keep < total).then_some(Truncation {
            total,
            kept: keep,
            by_size,
        });
        let mut kept: Vec<usize> = order[..keep].to_vec();
        kept.sort_unstable();
        let log = build(cx, &kept, cut, limits);
        let mut bytes = serde_json::to_vec_pretty(&log).map_err(io::Error::other)?;
        bytes.push(b'\n');
        // A file no larger than the limit cannot gzip to more than it.
        let size = if bytes.len() <= limits.gzipped_bytes.saturating_sub(1024) {
            bytes.len()
        } else {
            gzipped_len(&bytes)?
        };
        if size <= limits.gzipped_bytes || keep == 0 {
            return Ok((bytes, cut));
        }
        // Too big: keep proportionally fewer, with a margin, and measure again.
        let ratio = limits.gzipped_bytes as f64 / size as f64;
        keep = ((keep as f64 * ratio * 0.95) as usize).min(keep - 1);
        by_size = true;
    }
}

fn gzipped_len(bytes: &[u8]) -> io::Result<usize> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes)?;
    Ok(gz.finish()?.len())
}

/// Indices of the findings, most important first: unwaived before waived,
/// errors before warnings before notes, then in the report's order (by path
/// and position).
fn priority_order(cx: &Context<'_>) -> Vec<usize> {
    let findings = &cx.report.findings;
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_by_key(|&i| {
        let f = &findings[i];
        (f.is_waived(), std::cmp::Reverse(f.severity), i)
    });
    order
}

fn build(cx: &Context<'_>, kept: &[usize], cut: Option<Truncation>, limits: Limits) -> Log {
    let report = cx.report;
    let rule_index: BTreeMap<&str, usize> = registry()
        .iter()
        .enumerate()
        .map(|(i, r)| (r.meta().name(), i))
        .collect();
    let rules = registry().iter().map(|r| rule(r.meta())).collect();
    let results = kept
        .iter()
        .map(|&i| result(cx, &report.findings[i], &rule_index, limits))
        .collect();

    let mut notifications: Vec<Notification> = cx
        .notes
        .iter()
        .map(|n| Notification {
            level: "note",
            message: Message::text(sentence(n)),
        })
        .collect();
    if let Some(cut) = cut {
        notifications.push(Notification {
            level: "warning",
            message: Message::text(cut.message()),
        });
    }
    // Rules turned off: in the standard place (the invocation's overrides),
    // in the run's properties, and as a notification a viewer shows.
    let disabled = super::disabled(report);
    if let Some(sentence) = super::disabled_sentence(report) {
        notifications.push(Notification {
            level: "warning",
            message: Message::text(sentence),
        });
    }
    let overrides = disabled
        .iter()
        .map(|(rule, _)| ConfigurationOverride {
            descriptor: DescriptorReference {
                id: rule,
                index: rule_index.get(rule).copied(),
            },
            configuration: OverrideConfiguration { enabled: false },
        })
        .collect();
    let exit_code = i32::from(cx.status.code());
    let exit_code_description = match exit_code {
        0 => format!(
            "No finding at or above the fail-on severity ({}).",
            cx.fail_on
        ),
        _ => format!(
            "Findings at or above the fail-on severity ({}).",
            cx.fail_on
        ),
    };
    let mut properties = RunProperties {
        as_of: report.as_of.to_string(),
        fail_on: cx.fail_on.as_str(),
        disabled_rules: disabled
            .iter()
            .map(|(rule, line)| DisabledProperty {
                rule,
                path: cx.file_path(report.repo.manifest_file),
                line: *line,
            })
            .collect(),
        truncated: None,
    };
    if let Some(cut) = cut {
        properties.truncated = Some(TruncatedProperty {
            total_results: cut.total,
            emitted_results: cut.kept,
            reason: cut.message(),
        });
    }
    Log::one_run(
        rules,
        cx.sarif_category.clone(),
        &cx.source_root,
        Invocation {
            execution_successful: true,
            exit_code,
            exit_code_description,
            rule_configuration_overrides: overrides,
            tool_execution_notifications: notifications,
        },
        results,
        properties,
    )
}

/// The SARIF log of a check that could not run (see `failure`): the
/// invocation failed, with the cause as an error notification, and one
/// result, located at the manifest when the cause is there, so that code
/// scanning shows it.
pub fn render_failure(f: &Failure) -> Vec<u8> {
    let sentence = sentence(&f.sentence());
    let mut rules: Vec<ReportingDescriptor> = registry().iter().map(|r| rule(r.meta())).collect();
    let help = String::from(
        "isms-lint exits with code 2 when it cannot check the repository at all: the manifest `isms.yaml` is missing or is not valid YAML, a revision given to `--rev` or `--changed-since` does not exist, or the repository cannot be read. Nothing was checked. Fix the cause given in the message and run the check again; `isms-lint check` in a terminal says the same."
    );
    rules.push(ReportingDescriptor {
        id: failure::RULE,
        name: pascal_case(failure::RULE),
        short_description: Message::text("isms-lint could not check the repository.".into()),
        full_description: MultiformatMessage {
            text: "isms-lint could not check the repository, so nothing was checked.".into(),
            markdown: None,
        },
        help: MultiformatMessage {
            text: help.clone(),
            markdown: Some(help),
        },
        help_uri: format!("{}/blob/main/docs/ci.md", env!("CARGO_PKG_REPOSITORY")),
        default_configuration: Configuration { level: "error" },
        properties: RuleProperties {
            tags: vec!["integrity".into()],
        },
    });
    let rule_index = rules.len() - 1;
    let (uri, line, column) = match &f.place {
        Some((path, line, column)) => (encode_path(path), *line, *column),
        None => (String::new(), 1, 1),
    };
    let result = SarifResult {
        rule_id: failure::RULE,
        rule_index: Some(rule_index),
        level: "error",
        message: Message::text(sentence.clone()),
        locations: vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: if uri.is_empty() {
                        ".".into()
                    } else {
                        uri.clone()
                    },
                    uri_base_id: Some(SRCROOT),
                },
                region: Region {
                    start_line: line,
                    start_column: column,
                    end_line: line,
                    end_column: column + 1,
                    snippet: None,
                },
                context_region: None,
            },
            message: None,
        }],
        partial_fingerprints: BTreeMap::from([(
            FINGERPRINT_KEY,
            format!("{}:{uri}", failure::RULE),
        )]),
        related_locations: Vec::new(),
        suppressions: Vec::new(),
        properties: ResultProperties {
            record_id: None,
            due: None,
            state: None,
        },
    };
    let log = Log::one_run(
        rules,
        f.sarif_category.clone(),
        &f.source_root,
        Invocation {
            execution_successful: false,
            exit_code: 2,
            exit_code_description: sentence.clone(),
            rule_configuration_overrides: Vec::new(),
            tool_execution_notifications: vec![Notification {
                level: "error",
                message: Message::text(sentence),
            }],
        },
        vec![result],
        RunProperties {
            as_of: f.as_of.clone(),
            fail_on: f.fail_on,
            disabled_rules: Vec::new(),
            truncated: None,
        },
    );
    let mut bytes = serde_json::to_vec_pretty(&log).expect("a SARIF log serialises");
    bytes.push(b'\n');
    bytes
}

fn rule(m: &'static RuleMeta) -> ReportingDescriptor {
    let help = m.help_markdown();
    ReportingDescriptor {
        id: m.name(),
        name: pascal_case(m.name()),
        short_description: Message::text(sentence(m.summary)),
        full_description: MultiformatMessage {
            text: sentence(m.what.trim()),
            markdown: Some(m.what.trim().to_owned()),
        },
        help: MultiformatMessage {
            text: help.clone(),
            markdown: Some(help),
        },
        help_uri: format!(
            "{}/blob/main/docs/rules/{}.md",
            env!("CARGO_PKG_REPOSITORY"),
            m.name()
        ),
        default_configuration: Configuration {
            level: level(m.default_severity),
        },
        properties: RuleProperties {
            tags: vec![m.category.as_str().to_owned(), m.clause.to_owned()],
        },
    }
}

fn result(
    cx: &Context<'_>,
    f: &Finding,
    rule_index: &BTreeMap<&str, usize>,
    limits: Limits,
) -> SarifResult {
    let report = cx.report;
    let mut text = sentence(&f.message);
    if let Some(help) = &f.help {
        text.push(' ');
        text.push_str(&sentence(help));
    }
    let related = f
        .related
        .iter()
        .take(limits.related)
        .enumerate()
        .map(|(i, r)| {
            let rf = report.repo.file(r.file);
            Location {
                id: Some(i + 1),
                physical_location: PhysicalLocation::new(cx.file_path(r.file), rf, r.span),
                message: Some(Message::text(sentence(&r.message))),
            }
        })
        .collect();
    let suppressions = f
        .waiver
        .and_then(|i| report.waivers.iter().find(|w| w.index == i))
        .map(|w| {
            // Where the waiver is written: `isms.yaml`, or the waivers file.
            vec![Suppression {
                kind: "external",
                status: "accepted",
                justification: w.waiver.reason.clone(),
                location: Location {
                    id: None,
                    physical_location: PhysicalLocation::new(
                        cx.file_path(w.file),
                        report.repo.file(w.file),
                        w.span,
                    ),
                    message: None,
                },
                properties: SuppressionProperties {
                    owner: w.waiver.owner.clone(),
                    expires: w.waiver.expires.to_string(),
                },
            }]
        })
        .unwrap_or_default();
    SarifResult {
        rule_id: f.rule.as_str(),
        rule_index: rule_index.get(f.rule.as_str()).copied(),
        level: level(f.severity),
        message: Message::text(text),
        locations: vec![Location {
            id: None,
            physical_location: PhysicalLocation::new(cx.path(f), report.repo.file(f.file), f.span),
            message: None,
        }],
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, f.fingerprint.clone())]),
        related_locations: related,
        suppressions,
        properties: ResultProperties {
            record_id: f.record_id.clone(),
            due: f.due.map(|d| d.to_string()),
            state: f.state.map(|s| s.as_str()),
        },
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// SARIF asks that plain-text messages be sentences ending in a period.
fn sentence(s: &str) -> String {
    let s = s.trim_end();
    let mut out = s.to_owned();
    if !s.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// `corrective-action-overdue` → `CorrectiveActionOverdue`: SARIF's friendly rule name.
fn pascal_case(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// What a URI keeps as it is: unreserved characters (RFC 3986, 2.3) and the
/// path separator; everything else is percent-encoded, byte by byte of UTF-8.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A `file:` URI for a directory, ending in `/` (RFC 8089).
fn file_uri(dir: &std::path::Path) -> String {
    let s = dir.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    // A Windows drive, `C:/…`, keeps its colon: file:///C:/…
    let (drive, rest) = match s.as_bytes() {
        [letter, b':', ..] if letter.is_ascii_alphabetic() => s.split_at(2),
        _ => ("", s.as_str()),
    };
    if !drive.is_empty() {
        uri.push('/');
        uri.push_str(drive);
    }
    uri.extend(utf8_percent_encode(rest, PATH));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Percent-encode a relative, `/`-separated path as a URI reference.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

// The SARIF subset this tool writes. Field order follows the specification's.

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

impl Log {
    /// A log of one run of this tool over the checkout at `source_root`:
    /// the report's, or the failed invocation's.
    fn one_run(
        rules: Vec<ReportingDescriptor>,
        category: String,
        source_root: &std::path::Path,
        invocation: Invocation,
        results: Vec<SarifResult>,
        properties: RunProperties,
    ) -> Log {
        Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "isms-lint",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        information_uri: env!("CARGO_PKG_HOMEPAGE"),
                        rules,
                    },
                },
                automation_details: AutomationDetails { id: category },
                original_uri_base_ids: BTreeMap::from([(
                    SRCROOT,
                    ArtifactLocation {
                        uri: file_uri(source_root),
                        uri_base_id: None,
                    },
                )]),
                column_kind: "unicodeCodePoints",
                invocations: vec![invocation],
                results,
                properties,
            }],
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    automation_details: AutomationDetails,
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: String,
    short_description: Message,
    full_description: MultiformatMessage,
    help: MultiformatMessage,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

impl Message {
    fn text(text: String) -> Message {
        Message { text }
    }
}

#[derive(Serialize)]
struct MultiformatMessage {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    markdown: Option<String>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    exit_code: i32,
    exit_code_description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rule_configuration_overrides: Vec<ConfigurationOverride>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct ConfigurationOverride {
    descriptor: DescriptorReference,
    configuration: OverrideConfiguration,
}

#[derive(Serialize)]
struct DescriptorReference {
    id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
struct OverrideConfiguration {
    enabled: bool,
}

#[derive(Serialize)]
struct DisabledProperty {
    rule: &'static str,
    path: String,
    line: usize,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    as_of: String,
    fail_on: &'static str,
    /// Rules the manifest turns off: they did not run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    disabled_rules: Vec<DisabledProperty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    truncated: Option<TruncatedProperty>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TruncatedProperty {
    total_results: usize,
    emitted_results: usize,
    reason: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    record_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    /// `due-soon` or `overdue`, as in the JSON report: a look-ahead warning
    /// of a deadline rule is not a lapse.
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
    #[serde(skip_serializing_if = "Option::is_none")]
    context_region: Option<Region>,
}

impl PhysicalLocation {
    fn new(path: String, file: &SourceFile, span: Span) -> Self {
        let (start, end) = (file.line_col(span.start), file.line_col(span.end));
        // The region's text, and the whole lines around it, so that a viewer
        // without the repository can show what was found.
        let context_first = start.line.saturating_sub(1).max(1);
        let context_last = (end.line + 1).min(file.line_count());
        let context = Span::new(file.line_start(context_first), file.line_end(context_last));
        let context_end = file.line_col(context.end);
        PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: encode_path(&path),
                uri_base_id: Some(SRCROOT),
            },
            region: Region {
                start_line: start.line,
                start_column: start.column,
                end_line: end.line,
                end_column: end.column,
                snippet: Some(Snippet::of(file.slice(span))),
            },
            context_region: Some(Region {
                start_line: context_first,
                start_column: 1,
                end_line: context_end.line,
                end_column: context_end.column,
                snippet: Some(Snippet::of(file.slice(context))),
            }),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet>,
}

#[derive(Serialize)]
struct Snippet {
    text: String,
}

impl Snippet {
    /// Snippets are for display: a long one is cut at a character boundary.
    fn of(text: &str) -> Snippet {
        const MAX: usize = 2000;
        let mut end = text.len().min(MAX);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        Snippet {
            text: text[..end].to_owned(),
        }
    }
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
    location: Location,
    properties: SuppressionProperties,
}

#[derive(Serialize)]
struct SuppressionProperties {
    owner: String,
    expires: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use isms_core::testing::TestRepo;

    /// A repository with `n` invalid dates in one register, and one error elsewhere.
    fn many_findings(n: usize) -> isms_core::Report {
        let mut register = String::from("kind: risk\ntitle: Register\nentries:\n");
        for i in 0..n {
            register.push_str(&format!(
                "  - {{id: R-{i}, title: Risk {i}, reviewed: 2025-02-30}}\n"
            ));
        }
        TestRepo::new()
            .file("risks/a.yaml", &register)
            .file(
                "risks/z.yaml",
                "kind: risk\nid: Z-1\ntitle: Z\nreviewed: 2025-02-31\n",
            )
            .report("2025-06-30")
    }

    fn parse(bytes: &[u8]) -> serde_json::Value {
        serde_json::from_slice(bytes).unwrap()
    }

    #[test]
    fn past_the_result_limit_the_log_is_cut_and_says_so() {
        let report = many_findings(30);
        let total = report.findings.len();
        let cx = Context::new(&report, std::path::Path::new("."));
        let limits = Limits {
            results: 10,
            ..Limits::GITHUB
        };
        let (bytes, cut) = render(&cx, limits).unwrap();
        let cut = cut.expect("truncated");
        assert_eq!((cut.total, cut.kept, cut.by_size), (total, 10, false));
        let log = parse(&bytes);
        let run = &log["runs"][0];
        assert_eq!(run["results"].as_array().unwrap().len(), 10);
        assert_eq!(run["properties"]["truncated"]["totalResults"], total);
        assert_eq!(run["properties"]["truncated"]["emittedResults"], 10);
        let note = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(note["level"], "warning");
        assert!(note["message"]["text"]
            .as_str()
            .unwrap()
            .contains("25 000 results"));
        // Deterministic: the same input gives the same bytes.
        assert_eq!(render(&cx, limits).unwrap().0, bytes);
    }

    #[test]
    fn errors_are_kept_before_warnings_and_by_path() {
        let report = many_findings(5);
        let cx = Context::new(&report, std::path::Path::new("."));
        let order = priority_order(&cx);
        let severities: Vec<Severity> =
            order.iter().map(|&i| report.findings[i].severity).collect();
        let mut sorted = severities.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(severities, sorted);
        // Among errors, the report's order: by path, then position.
        let errors: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| report.findings[i].severity == Severity::Error)
            .collect();
        assert!(errors.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn past_the_size_limit_the_log_is_cut_until_it_fits() {
        let report = many_findings(400);
        let cx = Context::new(&report, std::path::Path::new("."));
        let full = render(&cx, Limits::GITHUB).unwrap().0;
        let gz = gzipped_len(&full).unwrap();
        let limits = Limits {
            gzipped_bytes: gz * 2 / 3 + 1024,
            ..Limits::GITHUB
        };
        let (bytes, cut) = render(&cx, limits).unwrap();
        let cut = cut.expect("truncated");
        assert!(cut.by_size);
        assert!(cut.kept < cut.total && cut.kept > 0);
        assert!(gzipped_len(&bytes).unwrap() <= limits.gzipped_bytes);
        let log = parse(&bytes);
        assert!(log["runs"][0]["properties"]["truncated"]["reason"]
            .as_str()
            .unwrap()
            .contains("10 MB"));
    }

    #[test]
    fn sentences_end_with_a_period() {
        assert_eq!(sentence("the action is overdue"), "the action is overdue.");
        assert_eq!(sentence("Done. "), "Done.");
    }

    #[test]
    fn names_are_pascal_case() {
        assert_eq!(
            pascal_case("corrective-action-overdue"),
            "CorrectiveActionOverdue"
        );
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(
            encode_path("policies/sécurité v2.md"),
            "policies/s%C3%A9curit%C3%A9%20v2.md"
        );
        assert_eq!(encode_path("a:b.yaml"), "a%3Ab.yaml");
        assert_eq!(
            file_uri(std::path::Path::new("/tmp/a b")),
            "file:///tmp/a%20b/"
        );
        assert_eq!(
            file_uri(std::path::Path::new(r"C:\work\isms")),
            "file:///C:/work/isms/"
        );
    }
}

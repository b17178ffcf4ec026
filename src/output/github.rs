//! GitHub Actions (`--format github`): one workflow command per finding, which
//! GitHub turns into an annotation on the line of the file, and a Markdown job
//! summary appended to `$GITHUB_STEP_SUMMARY`.
//!
//! GitHub shows at most 10 annotations of each level per step (and 50 per
//! job); the summary lists every finding, so it is where people read them all.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use isms_core::rules::registry;
use isms_core::{Finding, Severity};

use super::failure::Failure;
use super::{escape, Context};

/// Annotations GitHub shows per level and step.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;
/// GitHub refuses a step summary larger than 1 MiB; stay well below, for
/// the other steps of the job too.
pub const SUMMARY_BUDGET: usize = 512 * 1024;
/// Rows of each table of the summary; the rest is one "and N more" line.
/// With cells cut at [`CELL_CHARS`], the whole summary stays far below
/// [`SUMMARY_BUDGET`] however large the repository.
const FINDINGS_LISTED: usize = 500;
const WAIVED_LISTED: usize = 100;
const DEADLINES_LISTED: usize = 50;
/// Characters kept of a message or path in a table cell.
const CELL_CHARS: usize = 300;

/// The workflow commands: one per finding not waived, then a summary line.
pub fn write(out: &mut dyn Write, cx: &Context<'_>) -> io::Result<()> {
    for f in cx.report.findings.iter().filter(|f| !f.is_waived()) {
        writeln!(out, "{}", command(cx, f))?;
    }
    writeln!(out, "{}", super::human::summary(cx.report))
}

/// `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=RULE::message`.
pub fn command(cx: &Context<'_>, f: &Finding) -> String {
    let (start, end) = cx.report.range(f);
    let mut props = vec![("file", cx.path(f)), ("line", start.line.to_string())];
    // GitHub takes columns only for an annotation on one line.
    if start.line == end.line {
        props.push(("col", start.column.to_string()));
    }
    props.push(("endLine", end.line.to_string()));
    if start.line == end.line {
        props.push(("endColumn", end.column.to_string()));
    }
    props.push(("title", f.rule.to_string()));
    let props: Vec<String> = props
        .into_iter()
        .map(|(k, v)| format!("{k}={}", escape::workflow_property(&v)))
        .collect();
    let mut lines = vec![f.message.as_str()];
    lines.extend(f.help.as_deref());
    format!(
        "::{} {}::{}",
        command_name(f.severity),
        props.join(","),
        escape::workflow_data(&lines)
    )
}

fn command_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Append the job summary to the file `GITHUB_STEP_SUMMARY` names, if set.
pub fn append_step_summary(cx: &Context<'_>) -> io::Result<()> {
    append_to_step_summary(&summary(cx))
}

/// Append Markdown to the file `GITHUB_STEP_SUMMARY` names, if set.
pub fn append_to_step_summary(markdown: &str) -> io::Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(markdown.as_bytes())
}

/// The annotation of a check that could not run: on the manifest when the
/// cause is there.
pub fn failure_command(f: &Failure) -> String {
    let mut props = Vec::new();
    if let Some((path, line, column)) = &f.place {
        props.push(format!("file={}", escape::workflow_property(path)));
        props.push(format!("line={line}"));
        props.push(format!("col={column}"));
    }
    props.push(format!(
        "title={}",
        escape::workflow_property("isms-lint could not check the repository")
    ));
    format!(
        "::error {}::{}",
        props.join(","),
        escape::workflow_data(&[f.sentence()])
    )
}

/// The job summary of a check that could not run.
pub fn failure_summary(f: &Failure) -> String {
    let mut s = String::from("## isms-lint\n\n");
    s.push_str("**Failed**: isms-lint could not check the repository (exit code 2), so nothing was checked:\n\n");
    let _ = writeln!(s, "> {}\n", cell(&f.message));
    if let Some((path, line, _)) = &f.place {
        let _ = writeln!(
            s,
            "Fix {} (line {line}), then run the check again.\n",
            code(path)
        );
    }
    s
}

/// The job summary, in GitHub-flavoured Markdown.
pub fn summary(cx: &Context<'_>) -> String {
    let report = cx.report;
    let blob = blob_base();
    let mut s = String::new();
    let _ = writeln!(s, "## isms-lint\n");
    let _ = writeln!(s, "{}\n", super::human::counts(report));
    let verdict = match cx.status.code() {
        0 => format!(
            "Passed: no finding at or above `{}` (exit code 0).",
            cx.fail_on
        ),
        code => format!(
            "**Failed**: findings at or above `{}` (exit code {code}).",
            cx.fail_on
        ),
    };
    let _ = writeln!(s, "{verdict}\n");
    let off = super::disabled(report);
    if !off.is_empty() {
        let list: Vec<String> = off
            .iter()
            .map(|(rule, line)| format!("`{rule}` (line {line})"))
            .collect();
        let _ = writeln!(
            s,
            "> [!WARNING]\n> {} turned off by `lint.rules` in {}, so {} not run and {} findings are absent, not resolved: {}.\n",
            isms_core::text::plural(off.len() as i64, "rule"),
            code(&cx.file_path(report.repo.manifest_file)),
            if off.len() == 1 { "it did" } else { "they did" },
            if off.len() == 1 { "its" } else { "their" },
            list.join(", ")
        );
    }

    // Counts by rule and severity.
    #[derive(Default)]
    struct Row {
        errors: usize,
        warnings: usize,
        notes: usize,
        waived: usize,
    }
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    let mut per_level = [0usize; 3];
    for f in &report.findings {
        let row = rows.entry(f.rule.as_str()).or_default();
        if f.is_waived() {
            row.waived += 1;
            continue;
        }
        match f.severity {
            Severity::Error => row.errors += 1,
            Severity::Warning => row.warnings += 1,
            Severity::Note => row.notes += 1,
        }
        per_level[f.severity as usize] += 1;
    }
    if !rows.is_empty() {
        let _ = writeln!(
            s,
            "| Rule | Errors | Warnings | Notes | Waived |\n|---|---:|---:|---:|---:|"
        );
        // In the registry's order (by category), then any other.
        let mut ordered: Vec<&str> = registry()
            .iter()
            .map(|r| r.meta().name())
            .filter(|n| rows.contains_key(n))
            .collect();
        for name in rows.keys() {
            if !ordered.contains(name) {
                ordered.push(name);
            }
        }
        for name in ordered {
            let r = &rows[name];
            let _ = writeln!(
                s,
                "| [`{name}`]({}) | {} | {} | {} | {} |",
                rule_url(name),
                r.errors,
                r.warnings,
                r.notes,
                r.waived
            );
        }
        let c = report.counts();
        let _ = writeln!(
            s,
            "| **Total** | **{}** | **{}** | **{}** | **{}** |\n",
            c.errors, c.warnings, c.notes, c.waived
        );
    }
    if per_level.iter().any(|&n| n > ANNOTATIONS_PER_LEVEL) {
        let _ = writeln!(
            s,
            "> [!NOTE]\n> GitHub shows at most {ANNOTATIONS_PER_LEVEL} annotations of each level (error, warning, notice) per step, so some findings are not annotated in the diff. The findings are listed below.\n"
        );
    }

    // Errors first, then warnings and notes, each in the report's order.
    let mut open: Vec<&Finding> = report.findings.iter().filter(|f| !f.is_waived()).collect();
    open.sort_by_key(|f| std::cmp::Reverse(f.severity));
    if !open.is_empty() {
        let _ = writeln!(s, "### Findings\n");
        let _ = writeln!(
            s,
            "| Where | Severity | Rule | Message |\n|---|---|---|---|"
        );
        list(&mut s, &open, FINDINGS_LISTED, "findings", |f| {
            let (start, _) = report.range(f);
            format!(
                "| {} | {} | `{}` | {} |",
                place(&cx.path(f), start.line, blob.as_deref()),
                f.severity,
                f.rule,
                cell(&f.message)
            )
        });
        s.push('\n');
    }
    let waived: Vec<&Finding> = report.findings.iter().filter(|f| f.is_waived()).collect();
    if !waived.is_empty() {
        let _ = writeln!(s, "### Waived findings\n");
        let _ = writeln!(s, "| Where | Rule | Message | Waiver |\n|---|---|---|---|");
        list(&mut s, &waived, WAIVED_LISTED, "waived findings", |f| {
            let (start, _) = report.range(f);
            let waiver = f
                .waiver
                .and_then(|i| report.waivers.iter().find(|w| w.index == i))
                .map(|w| {
                    format!(
                        "until {} by {}: {}",
                        w.waiver.expires, w.waiver.owner, w.waiver.reason
                    )
                })
                .unwrap_or_default();
            format!(
                "| {} | `{}` | {} | {} |",
                place(&cx.path(f), start.line, blob.as_deref()),
                f.rule,
                cell(&f.message),
                cell(&waiver)
            )
        });
        s.push('\n');
    }

    // Overdue deadlines first (the longest overdue first), then the
    // upcoming ones (the soonest first).
    let (upcoming, overdue): (Vec<_>, Vec<_>) =
        report.deadlines.iter().partition(|d| d.due >= report.as_of);
    if !upcoming.is_empty() || !overdue.is_empty() {
        let _ = writeln!(s, "### Next deadlines\n");
        let _ = writeln!(s, "| Due | Days left | What | Where |\n|---|---:|---|---|");
        let all: Vec<_> = overdue.iter().chain(&upcoming).collect();
        for d in all.iter().take(DEADLINES_LISTED) {
            let days = (d.due - report.as_of).num_days();
            let left = match days {
                0 => "today".to_owned(),
                1 => "1 day".to_owned(),
                -1 => "overdue by 1 day".to_owned(),
                n if n < 0 => format!("overdue by {} days", -n),
                n => format!("{n} days"),
            };
            deadline_row(cx, &mut s, d, &left, blob.as_deref());
        }
        if all.len() > DEADLINES_LISTED {
            let shown_overdue = overdue.len().min(DEADLINES_LISTED);
            let _ = writeln!(
                s,
                "\n…and {} more deadlines ({} overdue, {} upcoming) not listed; `isms-lint check --format json` lists them all.",
                all.len() - DEADLINES_LISTED,
                overdue.len() - shown_overdue,
                upcoming.len() - (DEADLINES_LISTED - shown_overdue)
            );
        }
        s.push('\n');
    }
    cap(&mut s);
    s
}

/// Whatever the tables held, the summary stays within [`SUMMARY_BUDGET`]:
/// cut at a line, and say so.
fn cap(s: &mut String) {
    const NOTE: &str = "\n…cut here: the summary would exceed GitHub's size limit. The SARIF or JSON report has everything.\n";
    if s.len() <= SUMMARY_BUDGET {
        return;
    }
    let mut end = SUMMARY_BUDGET - NOTE.len();
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let end = s[..end].rfind('\n').map_or(0, |i| i + 1);
    s.truncate(end);
    s.push_str(NOTE);
}

fn deadline_row(
    cx: &Context<'_>,
    s: &mut String,
    d: &isms_core::rules::Deadline,
    left: &str,
    blob: Option<&str>,
) {
    let line = cx.report.repo.file(d.file).line_col(d.span.start).line;
    let _ = writeln!(
        s,
        "| {} | {} | {} | {} |",
        d.due,
        left,
        cell(&d.what),
        place(&cx.file_path(d.file), line, blob)
    );
}

/// The commit's files on GitHub (`…/blob/SHA/`), from the variables GitHub
/// Actions sets.
fn blob_base() -> Option<String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    Some(format!(
        "{}/{}/blob/{}/",
        var("GITHUB_SERVER_URL")?,
        var("GITHUB_REPOSITORY")?,
        var("GITHUB_SHA")?
    ))
}

/// `path:line`, linked to the line on GitHub when the commit is known.
fn place(path: &str, line: usize, blob: Option<&str>) -> String {
    let text = code(&format!("{path}:{line}"));
    match blob {
        Some(base) => format!(
            "[{text}]({base}{}#L{line})",
            super::sarif::encode_path(path)
        ),
        None => text,
    }
}

/// At most `max` rows, then one line saying how many more there are.
fn list(
    s: &mut String,
    findings: &[&Finding],
    max: usize,
    what: &str,
    row: impl Fn(&Finding) -> String,
) {
    for f in findings.iter().take(max) {
        s.push_str(&row(f));
        s.push('\n');
    }
    if findings.len() > max {
        let _ = writeln!(
            s,
            "\n…and {} more {what} not listed. The SARIF or JSON report has them all.",
            findings.len() - max
        );
    }
}

fn rule_url(name: &str) -> String {
    format!(
        "{}/blob/main/docs/rules/{name}.md",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// Text shown as code (a file name), cut at [`CELL_CHARS`].
fn code(s: &str) -> String {
    escape::markdown_code(&cut(s))
}

/// Text made safe for one cell of a Markdown table (shown as text, never as
/// markup), and cut at [`CELL_CHARS`].
fn cell(s: &str) -> String {
    escape::markdown(&cut(s))
}

fn cut(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(CELL_CHARS) {
        Some((end, _)) => Cow::Owned(format!("{}…", &s[..end])),
        None => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_tables_intact() {
        assert_eq!(cell("a | b\nc <d>"), "a \\| b c \\<d\\>");
        let long = "é".repeat(CELL_CHARS + 10);
        assert_eq!(cell(&long), format!("{}…", "é".repeat(CELL_CHARS)));
    }

    #[test]
    fn a_summary_past_the_budget_is_cut_at_a_line() {
        let mut s = "a line\n".repeat(SUMMARY_BUDGET / 4);
        cap(&mut s);
        assert!(s.len() <= SUMMARY_BUDGET);
        assert!(s.ends_with("The SARIF or JSON report has everything.\n"));
        assert!(s.contains("a line\n\n…cut here"));
    }
}

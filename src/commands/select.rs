//! `--select` / `--ignore` (which rules this run reports) and `--statistics`
//! (how many findings each rule reported).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use isms_core::rules::{Category, RuleId};
use isms_core::text::plural;
use isms_core::Report;
use serde_json::json;

use crate::cli::Selector;

/// Whether a finding of `rule` is reported. `--ignore` wins over `--select`;
/// integrity findings (the repository could not be read as written) are
/// reported whatever `--select` says, since every other rule's silence
/// depends on them, and only an `--ignore` hides them.
pub fn reported(rule: RuleId, select: &[Selector], ignore: &[Selector]) -> bool {
    if ignore.iter().any(|s| s.matches(rule)) {
        return false;
    }
    select.is_empty()
        || rule.meta().category == Category::Integrity
        || select.iter().any(|s| s.matches(rule))
}

/// Drop the findings `--select` and `--ignore` leave out; a note says how
/// many, so a narrowed run is never mistaken for a clean one.
pub fn apply(report: &mut Report, select: &[Selector], ignore: &[Selector]) -> Option<String> {
    if select.is_empty() && ignore.is_empty() {
        return None;
    }
    let before = report.findings.len();
    report.findings.retain(|f| reported(f.rule, select, ignore));
    let left_out = before - report.findings.len();
    let flags = match (select.is_empty(), ignore.is_empty()) {
        (false, false) => "--select and --ignore",
        (false, true) => "--select",
        _ => "--ignore",
    };
    Some(if left_out == 0 {
        format!("{flags}: no finding was left out")
    } else {
        format!(
            "{flags}: {} of other rules not reported",
            plural(left_out as i64, "finding")
        )
    })
}

/// One rule's line of `--statistics`.
struct Row {
    rule: RuleId,
    count: usize,
    waived: usize,
}

/// Rules with findings, the most findings first (then by name), as
/// `ruff --statistics` lists them.
fn rows(report: &Report) -> Vec<Row> {
    let mut by_rule: BTreeMap<RuleId, Row> = BTreeMap::new();
    for f in &report.findings {
        let row = by_rule.entry(f.rule).or_insert(Row {
            rule: f.rule,
            count: 0,
            waived: 0,
        });
        if f.is_waived() {
            row.waived += 1;
        } else {
            row.count += 1;
        }
    }
    let mut rows: Vec<Row> = by_rule.into_values().collect();
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.waived.cmp(&a.waived))
            .then(a.rule.as_str().cmp(b.rule.as_str()))
    });
    rows
}

/// The severity a rule reported at in this run (its findings share one).
fn severity(report: &Report, rule: RuleId) -> isms_core::Severity {
    report
        .findings
        .iter()
        .find(|f| f.rule == rule)
        .map_or(rule.meta().default_severity, |f| f.severity)
}

/// `--statistics` as text: one line per rule, count, name, severity and
/// summary, aligned.
pub fn text(report: &Report) -> String {
    let rows = rows(report);
    if rows.is_empty() {
        return "No findings.\n".to_owned();
    }
    let count_width = rows
        .iter()
        .map(|r| r.count.to_string().len())
        .max()
        .unwrap_or(1);
    let name_width = rows
        .iter()
        .map(|r| r.rule.as_str().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for r in &rows {
        let waived = if r.waived > 0 {
            format!(" ({} waived)", r.waived)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{:>count_width$}  {:name_width$}  {:7}  {}{waived}",
            r.count,
            r.rule.as_str(),
            severity(report, r.rule).as_str(),
            r.rule.meta().summary,
        );
    }
    out
}

/// `--statistics --format json`: an array of `{rule, category, severity,
/// count, waived, summary}`, in the order of the text.
pub fn json(report: &Report) -> String {
    let rows: Vec<_> = rows(report)
        .iter()
        .map(|r| {
            let m = r.rule.meta();
            json!({
                "rule": r.rule.as_str(),
                "category": m.category.as_str(),
                "severity": severity(report, r.rule),
                "count": r.count,
                "waived": r.waived,
                "summary": m.summary,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".to_owned());
    s.push('\n');
    s
}

use isms_core::rules::registry;
use serde_json::json;

use std::fmt::Write as _;

use super::{write_stdout, CliError};
use crate::cli::ListFormat;
use crate::ExitStatus;

pub fn run(format: ListFormat) -> Result<ExitStatus, CliError> {
    match format {
        ListFormat::Text => {
            let mut text = String::new();
            let width = registry()
                .iter()
                .map(|r| r.meta().name().len())
                .max()
                .unwrap_or(0);
            let mut category = None;
            for rule in registry() {
                let m = rule.meta();
                if category != Some(m.category) {
                    if category.is_some() {
                        text.push('\n');
                    }
                    // The category's name is what `--select` takes.
                    let _ = writeln!(
                        text,
                        "{} (--select {})",
                        m.category.title(),
                        m.category.as_str()
                    );
                    category = Some(m.category);
                }
                let _ = writeln!(
                    text,
                    "  {:width$}  {:7}  {}",
                    m.name(),
                    m.default_severity.as_str(),
                    m.summary,
                );
                let _ = writeln!(text, "  {:width$}           {}", "", m.clause);
            }
            text.push_str("\nRun `isms-lint explain RULE` for the details of a rule; `isms-lint check --select RULE|CATEGORY` (or `--ignore`) for some rules only.\n");
            write_stdout(&text)?;
        }
        ListFormat::Json => {
            let rules: Vec<_> = registry()
                .iter()
                .map(|r| {
                    let m = r.meta();
                    json!({
                        "name": m.name(),
                        "category": m.category.as_str(),
                        "default_severity": m.default_severity,
                        "standard": m.standard.map(|s| s.as_str()),
                        "clause": m.clause,
                        "summary": m.summary,
                        "options": m.options.iter().map(|o| json!({
                            "name": o.name,
                            "type": o.kind.as_str(),
                            "default": o.default,
                            "basis": o.basis.as_str(),
                            "description": o.description(),
                        })).collect::<Vec<_>>(),
                        "deadlines": m.deadlines,
                    })
                })
                .collect();
            let mut text =
                serde_json::to_string_pretty(&rules).expect("JSON values always serialise");
            text.push('\n');
            write_stdout(&text)?;
        }
    }
    Ok(ExitStatus::Success)
}

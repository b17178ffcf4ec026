use std::io::{self, Write};

use isms_core::report::JsonReport;
use isms_core::Report;

/// The JSON report (schema: `schemas/report.schema.json`), with the run's
/// notes.
pub fn write(out: &mut dyn Write, report: &Report, notes: &[String]) -> io::Result<()> {
    let mut doc = JsonReport::new(report, env!("CARGO_PKG_VERSION"));
    doc.notes = notes.iter().map(String::as_str).collect();
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

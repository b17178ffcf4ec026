use std::io::{self, Write};

use isms_core::report::JsonReport;
use isms_core::Report;

/// The JSON report (schema: `schemas/report.schema.json`).
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let doc = JsonReport::new(report, env!("CARGO_PKG_VERSION"));
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

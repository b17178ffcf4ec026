//! Diagnostics for people: each finding with its source line underlined
//! (miette), then one summary line.

use std::collections::HashMap;
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use super::escape::{terminal, terminal_lines, SourceView};
use isms_core::source::SourceFile;
use isms_core::{Finding, Report, Severity};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

pub struct Options {
    pub color: bool,
    pub show_waived: bool,
    /// The findings only, without the summary line (`--quiet`).
    pub quiet: bool,
}

pub fn write(out: &mut dyn Write, report: &Report, opts: &Options) -> io::Result<()> {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_context_lines(1)
        .with_links(false)
        .with_width(100);
    let mut buf = String::new();
    // Each file as shown: its control characters escaped (see `escape`).
    let mut views: HashMap<u32, SourceView> = HashMap::new();
    for f in &report.findings {
        if f.is_waived() && !opts.show_waived {
            continue;
        }
        buf.clear();
        let view = views
            .entry(f.file.0)
            .or_insert_with(|| SourceView::new(&report.repo.files[f.file.0 as usize]));
        let diag = FindingDiagnostic::new(report, f, view);
        if handler.render_report(&mut buf, &diag).is_err() {
            // Rendering never fails on our own sources; fall back to one line.
            let (start, _) = report.range(f);
            buf = format!(
                "{}:{}:{}: {}: {} [{}]\n",
                terminal(report.path(f)),
                start.line,
                start.column,
                f.severity,
                terminal(&f.message),
                f.rule
            );
        }
        out.write_all(buf.as_bytes())?;
        writeln!(out)?;
    }
    if opts.quiet {
        return Ok(());
    }
    writeln!(out, "{}", summary(report))
}

/// "2 errors, 1 warning (1 waived) in 152 records from 140 files, as of
/// 2026-11-30.", and the rules turned off, if any.
pub fn summary(report: &Report) -> String {
    let mut line = counts(report);
    if let Some(off) = super::disabled_sentence(report) {
        line.push(' ');
        line.push_str(&off);
    }
    line
}

/// The summary line without the rules turned off.
pub fn counts(report: &Report) -> String {
    let c = report.counts();
    let plural = |n: usize, one: &str| isms_core::text::plural(n as i64, one);
    let mut parts = Vec::new();
    if c.errors > 0 {
        parts.push(plural(c.errors, "error"));
    }
    if c.warnings > 0 {
        parts.push(plural(c.warnings, "warning"));
    }
    if c.notes > 0 {
        parts.push(plural(c.notes, "note"));
    }
    let found = if parts.is_empty() {
        "No problems".to_owned()
    } else {
        let mut s = parts.join(", ");
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s
    };
    let waived = if c.waived > 0 {
        format!(" ({} waived)", c.waived)
    } else {
        String::new()
    };
    let stats = &report.repo.stats;
    format!(
        "{found}{waived} in {} from {}, as of {}.",
        plural(stats.records, "record"),
        plural(stats.files_read, "file"),
        report.as_of
    )
}

/// A finding seen through miette's eyes.
struct FindingDiagnostic<'r> {
    finding: &'r Finding,
    /// The message, escaped for the terminal.
    message: String,
    source: WindowedSource,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl<'r> FindingDiagnostic<'r> {
    /// Every text taken from the repository (message, paths, waiver) is
    /// escaped for the terminal; the source is shown through `view`.
    fn new(report: &'r Report, f: &'r Finding, view: &SourceView) -> Self {
        let file = Arc::clone(&view.file);
        let span = |s: isms_core::source::Span| {
            to_source_span(
                &file,
                isms_core::source::Span::new(view.offset(s.start), view.offset(s.end)),
            )
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(short_label(f)),
            span(f.span),
        )];
        let mut notes = Vec::new();
        for r in &f.related {
            if r.file == f.file {
                labels.push(LabeledSpan::new_with_span(
                    Some(terminal(&r.message).into_owned()),
                    span(r.span),
                ));
            } else {
                let at = report.repo.file(r.file).line_col(r.span.start);
                notes.push(format!(
                    "{}: {}:{}:{}",
                    r.message,
                    report.repo.path(r.file),
                    at.line,
                    at.column
                ));
            }
        }
        let mut help: Vec<String> = f.help.iter().cloned().collect();
        help.extend(notes);
        if let Some(w) = f
            .waiver
            .and_then(|i| report.waivers.iter().find(|w| w.index == i))
        {
            help.push(format!(
                "waived until {} by {}: {}",
                w.waiver.expires, w.waiver.owner, w.waiver.reason
            ));
        }
        if f.advisory {
            help.push("not blocking: found before this change too".to_owned());
        }
        help.push(format!("see `isms-lint explain {}`", f.rule));
        FindingDiagnostic {
            finding: f,
            message: terminal(&f.message).into_owned(),
            source: WindowedSource(file),
            labels,
            help: Some(terminal_lines(&help)),
        }
    }
}

fn short_label(f: &Finding) -> String {
    match f.due {
        Some(d) => format!("due {d}"),
        None => "here".to_owned(),
    }
}

fn to_source_span(file: &SourceFile, span: isms_core::source::Span) -> SourceSpan {
    let start = span.start.min(file.text.len());
    let end = span.end.clamp(start, file.text.len());
    SourceSpan::new(start.into(), end - start)
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.finding.rule))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A source that hands miette only the lines around a span, found through
/// the file's line index: rendering stays fast for thousands of findings in
/// one large file (miette's own `String` source scans from the top each time).
struct WindowedSource(Arc<SourceFile>);

impl SourceCode for WindowedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let f = &self.0;
        let start = span.offset();
        let end = start + span.len();
        if end > f.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = f.line_col(start).line;
        let last = f
            .line_col(end.saturating_sub(usize::from(!span.is_empty())))
            .line;
        let from_line = first.saturating_sub(before).max(1);
        let to_line = (last + after).min(f.line_count());
        // Without context lines, miette wants the span's own start (it shows
        // it as the diagnostic's line:column).
        let (from, column) = if before == 0 {
            (start, f.line_col(start).column - 1)
        } else {
            (f.line_start(from_line), 0)
        };
        let to = if to_line < f.line_count() {
            f.line_start(to_line + 1)
        } else {
            f.text.len()
        };
        let data = &f.text.as_bytes()[from..to];
        Ok(Box::new(MietteSpanContents::new_named(
            terminal(&f.path).into_owned(),
            data,
            SourceSpan::new(from.into(), to - from),
            from_line - 1,
            column,
            to_line - from_line + 1,
        )))
    }
}

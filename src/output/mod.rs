//! Report renderers. Each writes one format; human-only headers and footers
//! never leak into machine formats.

pub mod escape;
pub mod failure;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use isms_core::{Finding, Report, Severity};

use crate::cli::Format;
use crate::ExitStatus;

/// What every renderer may need besides the report.
pub struct Context<'r> {
    pub report: &'r Report,
    /// Where paths in CI formats are relative to: the git work tree holding
    /// the ISMS repository (GitHub resolves annotation and SARIF paths from
    /// the checkout's root), else the ISMS repository itself.
    pub source_root: PathBuf,
    /// The ISMS repository's path inside `source_root`, with `/` separators
    /// and a final `/`; empty when they are the same directory.
    pub prefix: String,
    pub fail_on: Severity,
    /// The exit status this run ends with.
    pub status: ExitStatus,
    /// Notes from loading the repository (files skipped, and so on).
    pub notes: &'r [String],
    pub color: bool,
    pub show_waived: bool,
    /// `--quiet`: the findings only, in the human format.
    pub quiet: bool,
    /// SARIF `automationDetails.id`, ending in `/`.
    pub sarif_category: String,
}

impl<'r> Context<'r> {
    /// A context for the repository at `root`.
    pub fn new(report: &'r Report, root: &Path) -> Context<'r> {
        let (source_root, prefix) = locate(root);
        Context {
            report,
            source_root,
            prefix,
            fail_on: Severity::Error,
            status: ExitStatus::Success,
            notes: &[],
            color: false,
            show_waived: false,
            quiet: false,
            sarif_category: "isms-lint/".to_owned(),
        }
    }

    /// A finding's path relative to `source_root`, with `/` separators.
    pub fn path(&self, f: &Finding) -> String {
        format!("{}{}", self.prefix, self.report.path(f))
    }

    /// Any repository file's path relative to `source_root`.
    pub fn file_path(&self, file: isms_core::source::FileId) -> String {
        format!("{}{}", self.prefix, self.report.repo.path(file))
    }
}

/// The rules the manifest turns off, as where they are: (rule, line of
/// `lint.rules`). A rule switched off is said in every format, so that it is
/// never invisible.
pub fn disabled(report: &Report) -> Vec<(&'static str, usize)> {
    let manifest = report.repo.file(report.repo.manifest_file);
    report
        .disabled
        .iter()
        .map(|d| (d.rule.as_str(), manifest.line_col(d.span.start).line))
        .collect()
}

/// "2 rules turned off by lint.rules in isms.yaml: `a` (line 5), `b` (line 6)."
pub fn disabled_sentence(report: &Report) -> Option<String> {
    let off = disabled(report);
    if off.is_empty() {
        return None;
    }
    let list: Vec<String> = off
        .iter()
        .map(|(rule, line)| format!("{rule} (line {line})"))
        .collect();
    Some(format!(
        "{} turned off by lint.rules in {}: {}.",
        isms_core::text::plural(off.len() as i64, "rule"),
        escape::terminal(report.repo.path(report.repo.manifest_file)),
        list.join(", ")
    ))
}

/// Write the report in `format`.
pub fn write(format: Format, out: &mut dyn Write, cx: &Context<'_>) -> io::Result<()> {
    match format {
        Format::Human => human::write(
            out,
            cx.report,
            &human::Options {
                color: cx.color,
                show_waived: cx.show_waived,
                quiet: cx.quiet,
            },
        ),
        Format::Json => json::write(out, cx.report, cx.notes),
        Format::Sarif => sarif::write(out, cx),
        Format::Github => github::write(out, cx),
        Format::Junit => junit::write(out, cx),
        Format::Gitlab => gitlab::write(out, cx),
    }
}

/// The directory paths in CI formats are relative to (the enclosing git work
/// tree, else the repository), and the repository's path inside it, with
/// `/` separators and a final `/` (empty when they are the same).
fn locate(root: &Path) -> (PathBuf, String) {
    let root = absolute(root);
    let source_root = enclosing_work_tree(&root).unwrap_or_else(|| root.clone());
    let prefix = root
        .strip_prefix(&source_root)
        .ok()
        .map(|rel| {
            let mut s = String::new();
            for c in rel.components() {
                s.push_str(&c.as_os_str().to_string_lossy());
                s.push('/');
            }
            s
        })
        .unwrap_or_default();
    (source_root, prefix)
}

/// The absolute form of `path`, without Windows' `\\?\` verbatim prefix
/// (which no CI tool understands).
fn absolute(path: &Path) -> PathBuf {
    let p = std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let s = p.to_string_lossy();
    match s.strip_prefix(r"\\?\") {
        Some(rest) if !rest.starts_with("UNC\\") => PathBuf::from(rest),
        _ => p,
    }
}

/// The nearest directory from `dir` upwards that holds `.git` (a directory,
/// or a file in a linked work tree or submodule).
fn enclosing_work_tree(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

//! When the check cannot run at all (exit code 2: a broken manifest, a
//! revision that does not exist, an unreadable repository), the CI formats
//! still give the user something to see, instead of a missing file:
//!
//! - every `--output sarif=PATH` is a SARIF log whose invocation failed
//!   (`executionSuccessful: false`, the cause as an error notification) and
//!   holding one result, so that code scanning shows the cause, and the
//!   documented `if: always()` upload never points at a file that is not
//!   there;
//! - `--format github` prints an `::error` annotation with the cause, on
//!   the manifest when the cause is there;
//! - the job summary (`GITHUB_STEP_SUMMARY`) says what failed;
//! - a GitLab Code Quality or JUnit file holds one failure with the cause,
//!   rather than being missing (or empty, which would read as clean).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::cli::{Format, OutputSpec};

use super::escape;

/// The rule id of the one result of a failed run.
pub const RULE: &str = "check-failed";

/// Why the check could not run, and where, as far as is known.
#[derive(Debug, Clone)]
pub struct Failure {
    pub message: String,
    /// The git work tree (or the repository) paths are relative to.
    pub source_root: PathBuf,
    /// The file at fault (the manifest), relative to `source_root`, with its
    /// 1-based line and column.
    pub place: Option<(String, usize, usize)>,
    pub as_of: String,
    pub fail_on: &'static str,
    pub sarif_category: String,
}

impl Failure {
    /// A failure for the repository at `root`, with `manifest` (a path as
    /// given, relative to the working directory) as the place when it exists.
    pub fn new(message: String, root: &Path, manifest: &Path, at: Option<(usize, usize)>) -> Self {
        let (source_root, _) = super::locate(root);
        let place = manifest.is_file().then(|| {
            let full = super::absolute(manifest);
            let rel = full
                .strip_prefix(&source_root)
                .map(|r| {
                    r.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/")
                })
                .unwrap_or_else(|_| full.to_string_lossy().into_owned());
            let (line, column) = at.unwrap_or((1, 1));
            (rel, line, column)
        });
        Failure {
            message,
            source_root,
            place,
            as_of: String::new(),
            fail_on: "error",
            sarif_category: "isms-lint/".to_owned(),
        }
    }

    /// "isms-lint could not check the repository: …".
    pub fn sentence(&self) -> String {
        format!("isms-lint could not check the repository: {}", self.message)
    }
}

/// Write what each format can show of `failure`: the SARIF and GitHub files
/// of `outputs`, the annotation on standard output for `--format github`,
/// and the job summary when GitHub is among the formats.
pub fn emit(failure: &Failure, format: Format, outputs: &[OutputSpec]) {
    for o in outputs {
        let bytes = match o.format {
            Format::Sarif => super::sarif::render_failure(failure),
            Format::Github => format!("{}\n", super::github::failure_command(failure)).into_bytes(),
            Format::Gitlab => super::gitlab::render_failure(failure),
            Format::Junit => super::junit::render_failure(failure).into_bytes(),
            // A JSON report of a check that did not run would read as a clean one.
            Format::Json | Format::Human => continue,
        };
        if let Err(e) = write_file(&o.path, &bytes) {
            eprintln!(
                "warning: cannot write {}: {e}",
                escape::terminal(&o.path.display().to_string())
            );
        }
    }
    match format {
        Format::Github => println!("{}", super::github::failure_command(failure)),
        Format::Sarif => {
            let _ = io::stdout().write_all(&super::sarif::render_failure(failure));
        }
        Format::Gitlab => {
            let _ = io::stdout().write_all(&super::gitlab::render_failure(failure));
        }
        Format::Junit => print!("{}", super::junit::render_failure(failure)),
        Format::Json | Format::Human => {}
    }
    let github = format == Format::Github || outputs.iter().any(|o| o.format == Format::Github);
    if github {
        if let Err(e) =
            super::github::append_to_step_summary(&super::github::failure_summary(failure))
        {
            eprintln!("warning: cannot append the job summary to $GITHUB_STEP_SUMMARY: {e}");
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
}

use std::io::Write;
use std::path::{Path, PathBuf};

use isms_core::load::MANIFEST;
use isms_core::{check, load, CheckOptions, DirSource, Interval, LoadOptions, Severity};

use super::{today, CliError};
use crate::cli::{CheckArgs, Format, OutputSpec};
use crate::output;
use crate::ExitStatus;

pub fn run(args: CheckArgs, color: bool) -> Result<ExitStatus, CliError> {
    let root = match &args.path {
        Some(p) => {
            if !p.is_dir() {
                return Err(format!("{} is not a directory", p.display()));
            }
            p.clone()
        }
        None if args.config.is_some() => PathBuf::from("."),
        None => find_root()?,
    };
    let source =
        DirSource::new(&root).map_err(|e| format!("cannot read {}: {e}", root.display()))?;
    let repo = load(
        &source,
        &LoadOptions {
            config: args.config.clone(),
        },
    )
    .map_err(|e| e.to_string())?;
    let fail_on: Severity = args
        .fail_on
        .map(Severity::from)
        .or(repo.manifest.lint.fail_on)
        .unwrap_or(Severity::Error);
    let opts = CheckOptions {
        as_of: args.as_of.unwrap_or_else(today),
        horizon: args.horizon.map(Interval::days),
    };
    for note in &repo.stats.notes {
        eprintln!("note: {note}");
    }
    let notes = repo.stats.notes.clone();
    let report = check(repo, &opts);
    let status = if report.fails(fail_on) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    };

    let mut cx = output::Context::new(&report, &root);
    cx.fail_on = fail_on;
    cx.status = status;
    cx.notes = &notes;
    cx.show_waived = args.show_waived;
    cx.sarif_category = sarif_category(&args.sarif_category);

    // Files first: a report on standard output is the last thing a user sees.
    for o in &args.output {
        write_file(o, &cx).map_err(|e| format!("cannot write {}: {e}", o.path.display()))?;
    }
    cx.color = color;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    output::write(args.format, &mut out, &cx)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the report: {e}"))?;
    let github =
        args.format == Format::Github || args.output.iter().any(|o| o.format == Format::Github);
    if github {
        if let Err(e) = output::github::append_step_summary(&cx) {
            eprintln!("warning: cannot append the job summary to $GITHUB_STEP_SUMMARY: {e}");
        }
    }
    Ok(status)
}

/// Write one `--output FORMAT=PATH` file, never in colour.
fn write_file(o: &OutputSpec, cx: &output::Context<'_>) -> std::io::Result<()> {
    if let Some(dir) = o.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(&o.path)?);
    output::write(o.format, &mut file, cx)?;
    file.flush()
}

/// A SARIF category ends in `/`: GitHub reads what follows the last `/` as a
/// run id, not as part of the category.
fn sarif_category(s: &str) -> String {
    let s = s.trim();
    if s.ends_with('/') {
        s.to_owned()
    } else {
        format!("{s}/")
    }
}

/// The nearest directory, from here upwards, that holds an `isms.yaml`.
fn find_root() -> Result<PathBuf, CliError> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let mut dir: &Path = &cwd;
    loop {
        if dir.join(MANIFEST).is_file() {
            return Ok(dir.to_path_buf());
        }
        match dir.parent() {
            Some(p) => dir = p,
            None => {
                return Err(format!(
                    "no {MANIFEST} here or in any parent directory: run `isms-lint check PATH`, or `isms-lint init` to start an ISMS repository"
                ))
            }
        }
    }
}

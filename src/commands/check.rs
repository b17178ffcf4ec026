use std::io::Write;
use std::path::{Path, PathBuf};

use isms_core::load::MANIFEST;
use isms_core::{check, load, CheckOptions, DirSource, Interval, LoadOptions, Severity};

use super::{today, CliError};
use crate::cli::{CheckArgs, Format};
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
    let report = check(repo, &opts);

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Human => output::human::write(
            &mut out,
            &report,
            &output::human::Options {
                color,
                show_waived: args.show_waived,
            },
        ),
        Format::Json => output::json::write(&mut out, &report),
    };
    written
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the report: {e}"))?;
    Ok(if report.fails(fail_on) {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
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

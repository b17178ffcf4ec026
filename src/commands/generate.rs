//! `completions` and `man`: generated from the one definition of the command
//! line (`crate::cli`), by clap's own generators, so they never drift from
//! `--help`.

use std::path::Path;

use clap::CommandFactory;

use super::{write_stdout, CliError};
use crate::cli::Cli;
use crate::ExitStatus;

/// The completion script for `shell`, on standard output.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitStatus, CliError> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "isms-lint", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(ExitStatus::Success)
}

/// The manual page on standard output; with `out`, `isms-lint.1` and a page
/// per subcommand (`isms-lint-check.1`, …) written there.
pub fn man(out: Option<&Path>) -> Result<ExitStatus, CliError> {
    let cmd = Cli::command();
    match out {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|error| CliError::CreateDir {
                path: dir.to_path_buf(),
                error,
            })?;
            clap_mangen::generate_to(cmd, dir).map_err(|error| CliError::Write {
                path: dir.to_path_buf(),
                error,
            })?;
        }
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .map_err(CliError::Stdout)?;
            write_stdout(&String::from_utf8_lossy(&page))?;
        }
    }
    Ok(ExitStatus::Success)
}

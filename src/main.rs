//! `isms-lint`: lint an ISO/IEC 27001 ISMS kept as code.
//!
//! Exit codes: 0 no finding at or above `--fail-on`; 1 findings at or above it;
//! 2 usage error, unreadable manifest, or internal error.

mod cli;
mod commands;
mod output;
mod templates;

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The process's exit status. Only `main` turns it into a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Success,
    /// Findings at or above `--fail-on`.
    Failure,
    /// Usage error, unreadable manifest, or internal error.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        match s {
            ExitStatus::Success => ExitCode::from(0),
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

fn main() -> ExitCode {
    // An internal error is one line and exit code 2, never a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("isms-lint: internal error: {msg}{at}; please report it");
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                ExitStatus::Error
            } else {
                ExitStatus::Success // --help, --version
            };
            let _ = e.print();
            return code.into();
        }
    };
    match std::panic::catch_unwind(|| commands::run(cli)) {
        Ok(Ok(status)) => status.into(),
        Ok(Err(e)) => {
            eprintln!("isms-lint: error: {}", output::escape::terminal(&e));
            ExitStatus::Error.into()
        }
        Err(_) => ExitStatus::Error.into(),
    }
}

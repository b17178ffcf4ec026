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

impl ExitStatus {
    /// The number the process exits with, as documented: the one place it
    /// is decided (the SARIF invocation and the job summary quote it too).
    pub const fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        ExitCode::from(s.code())
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
            eprintln!(
                "isms-lint: error: {}",
                output::escape::terminal(&e.to_string())
            );
            ExitStatus::Error.into()
        }
        Err(_) => ExitStatus::Error.into(),
    }
}

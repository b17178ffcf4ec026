//! One module per subcommand.

mod check;
mod error;
mod explain;
mod gate;
mod generate;
mod init;
mod rules;
mod schema;
mod select;

use std::io::IsTerminal;

use crate::cli::{Cli, Color, Command};
use crate::ExitStatus;

pub use error::CliError;

pub fn run(cli: Cli) -> Result<ExitStatus, CliError> {
    let color = use_color(cli.color);
    match cli.command {
        Command::Check(args) => check::run(args, color),
        Command::Rules { format } => rules::run(format),
        Command::Explain { rule } => explain::run(&rule),
        Command::Schema { name, out } => schema::run(name.as_deref(), out.as_deref()),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man { out } => generate::man(out.as_deref()),
        Command::Init {
            dir,
            organisation,
            date,
        } => init::run(dir, &organisation, date),
    }
}

/// Colours only on a terminal, and never when NO_COLOR is set (no-color.org).
fn use_color(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Write to standard output. A reader that stops early (`isms-lint rules |
/// head`) is not an error: the output simply ends.
pub fn write_stdout(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Stdout(e)),
    }
}

/// Today's date: the only place the clock is read.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

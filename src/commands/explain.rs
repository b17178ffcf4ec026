use isms_core::rules;

use super::CliError;
use crate::ExitStatus;

pub fn run(name: &str) -> Result<ExitStatus, CliError> {
    match rules::find(name) {
        Some(rule) => {
            super::write_stdout(&rule.meta().markdown())?;
            Ok(ExitStatus::Success)
        }
        None => Err(match rules::suggest(name) {
            Some(s) => format!(
                "there is no rule `{name}`; did you mean `{s}`? (`isms-lint rules` lists them)"
            ),
            None => format!("there is no rule `{name}` (`isms-lint rules` lists them)"),
        }),
    }
}

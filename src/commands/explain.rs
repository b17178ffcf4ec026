use isms_core::rules;

use super::CliError;
use crate::ExitStatus;

pub fn run(name: &str) -> Result<ExitStatus, CliError> {
    match rules::find(name) {
        Some(rule) => {
            super::write_stdout(&rule.meta().markdown())?;
            Ok(ExitStatus::Success)
        }
        None => Err(CliError::UnknownRule {
            name: name.to_owned(),
            suggestion: rules::suggest(name),
        }),
    }
}

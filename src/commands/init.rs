use std::path::PathBuf;

use chrono::NaiveDate;

use super::{today, CliError};
use crate::ExitStatus;

pub fn run(
    dir: Option<PathBuf>,
    organisation: &str,
    date: Option<NaiveDate>,
) -> Result<ExitStatus, CliError> {
    let dir = dir.unwrap_or_else(|| PathBuf::from("."));
    let date = date.unwrap_or_else(today);
    let files = crate::templates::files(organisation, date);
    // Never overwrite: refuse before writing anything.
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(p, _)| dir.join(p))
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() {
        return Err(CliError::WouldOverwrite(existing));
    }
    for (path, contents) in &files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|error| CliError::CreateDir {
                path: parent.to_path_buf(),
                error,
            })?;
        }
        std::fs::write(&full, contents).map_err(|error| CliError::Write {
            path: full.clone(),
            error,
        })?;
    }
    let schemas = dir.join("schemas");
    super::schema::run(None, Some(&schemas))?;
    eprintln!(
        "Created an ISMS repository in {} ({} files and the JSON Schemas in schemas/).\nNext: edit isms.yaml, then run `isms-lint check {}` (in a git repository, `git add` the files first: only tracked files are checked).",
        dir.display(),
        files.len(),
        dir.display()
    );
    Ok(ExitStatus::Success)
}

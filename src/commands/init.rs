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
    let existing: Vec<String> = files
        .iter()
        .map(|(p, _)| dir.join(p))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "{} already exists; init writes only into a directory without an ISMS repository",
            existing.join(", ")
        ));
    }
    for (path, contents) in &files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&full, contents)
            .map_err(|e| format!("cannot write {}: {e}", full.display()))?;
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

use std::path::Path;

use isms_core::schema;

use super::{write_stdout, CliError};
use crate::ExitStatus;

pub fn run(name: Option<&str>, out: Option<&Path>) -> Result<ExitStatus, CliError> {
    let all = schema::all();
    if let Some(dir) = out {
        std::fs::create_dir_all(dir).map_err(|error| CliError::CreateDir {
            path: dir.to_path_buf(),
            error,
        })?;
        for (file, doc) in &all {
            let path = dir.join(file);
            std::fs::write(&path, pretty(doc)).map_err(|error| CliError::Write {
                path: path.clone(),
                error,
            })?;
        }
        eprintln!("wrote {} schemas to {}", all.len(), dir.display());
        return Ok(ExitStatus::Success);
    }
    match name {
        Some(n) => {
            let file = format!("{n}.schema.json");
            match all.iter().find(|(f, _)| *f == file) {
                Some((_, doc)) => {
                    write_stdout(&pretty(doc))?;
                    Ok(ExitStatus::Success)
                }
                None => Err(CliError::UnknownSchema {
                    name: n.to_owned(),
                    names: names(&all).into_iter().map(str::to_owned).collect(),
                }),
            }
        }
        None => {
            let mut text = String::new();
            for (file, doc) in &all {
                let title = doc.get("title").and_then(|t| t.as_str()).unwrap_or("");
                text.push_str(&format!(
                    "{:28} {title}\n",
                    file.trim_end_matches(".schema.json")
                ));
            }
            text.push_str("\nPrint one with `isms-lint schema NAME`, or write them all with `isms-lint schema --out DIR`.\n");
            write_stdout(&text)?;
            Ok(ExitStatus::Success)
        }
    }
}

fn names(all: &[(String, serde_json::Value)]) -> Vec<&str> {
    all.iter()
        .map(|(f, _)| f.trim_end_matches(".schema.json"))
        .collect()
}

/// The committed form of a schema: pretty JSON with a final newline.
pub fn pretty(doc: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("schemas serialise");
    s.push('\n');
    s
}

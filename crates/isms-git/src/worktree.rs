//! The working tree: the files git tracks, as they are on disk.

use std::collections::HashSet;

use git2::{Status, StatusOptions, StatusShow};
use isms_core::{DirSource, FileSource, ListError, ListedFile, ReadError};

use crate::{Error, GitRepo, Result};

const MODE_GITLINK: u32 = 0o160000;

/// The tracked files of a working tree, read from disk (so edits not yet
/// staged count). A tracked file deleted from disk is simply absent;
/// untracked files are skipped and counted in a note, or included on
/// request; symbolic links are never followed out of the ISMS root.
pub struct WorkTreeSource {
    /// Reads files from disk and refuses links leading out of the root.
    disk: DirSource,
    files: Vec<String>,
    listed: HashSet<String>,
    untracked: Vec<String>,
    include_untracked: bool,
    describe: String,
}

impl WorkTreeSource {
    pub(crate) fn new(git: &GitRepo, include_untracked: bool) -> Result<WorkTreeSource> {
        if git.workdir.is_none() {
            return Err(Error::Bare);
        }
        let repo = &git.repo;
        let index = repo.index()?;
        let mut opts = StatusOptions::new();
        opts.show(StatusShow::Workdir)
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(true)
            .update_index(false);
        if !git.prefix.is_empty() {
            opts.pathspec(&git.prefix);
        }
        let statuses = repo.statuses(Some(&mut opts))?;
        let mut deleted = HashSet::new();
        let mut untracked = Vec::new();
        for s in statuses.iter() {
            let Some(rel) = s.path().and_then(|p| git.relative(p)) else {
                continue;
            };
            if s.status().contains(Status::WT_DELETED) {
                deleted.insert(rel.to_owned());
            } else if s.status().contains(Status::WT_NEW) && !rel.ends_with('/') {
                untracked.push(rel.to_owned());
            }
        }
        let mut listed = HashSet::new();
        for e in index.iter() {
            if e.mode == MODE_GITLINK {
                continue;
            }
            let Ok(full) = std::str::from_utf8(&e.path) else {
                continue;
            };
            if let Some(rel) = git.relative(full) {
                if !deleted.contains(rel) {
                    listed.insert(rel.to_owned());
                }
            }
        }
        untracked.sort();
        if include_untracked {
            listed.extend(untracked.iter().cloned());
        }
        let mut files: Vec<String> = listed.iter().cloned().collect();
        files.sort();
        let disk = DirSource::new(&git.root).map_err(|e| Error::Io {
            path: git.root.clone(),
            message: e.to_string(),
        })?;
        let what = if include_untracked {
            "tracked and untracked files"
        } else {
            "tracked files"
        };
        Ok(WorkTreeSource {
            describe: format!("{} (working tree: {what})", git.root.display()),
            disk,
            files,
            listed,
            untracked,
            include_untracked,
        })
    }

    /// Untracked files under the ISMS root (not ignored), sorted.
    pub fn untracked(&self) -> &[String] {
        &self.untracked
    }
}

impl FileSource for WorkTreeSource {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn list(&self) -> Result<Vec<ListedFile>, ListError> {
        Ok(self
            .files
            .iter()
            .map(|path| ListedFile {
                path: path.clone(),
                problem: None,
            })
            .collect())
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        if !self.listed.contains(path) {
            return Err(ReadError::NotFound);
        }
        self.disk.read(path, limit)
    }

    fn notes(&self) -> Vec<String> {
        if self.include_untracked || self.untracked.is_empty() {
            return Vec::new();
        }
        let n = self.untracked.len();
        let shown: Vec<&str> = self.untracked.iter().take(3).map(String::as_str).collect();
        let more = if n > shown.len() {
            format!(", and {} more", n - shown.len())
        } else {
            String::new()
        };
        vec![format!(
            "{n} untracked {} not checked ({}{more}): `git add` {}, or pass --include-untracked",
            if n == 1 { "file was" } else { "files were" },
            shown.join(", "),
            if n == 1 { "it" } else { "them" },
        )]
    }
}

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
    /// Tracked paths that are not UTF-8, with U+FFFD for their bad bytes.
    bad_names: HashSet<String>,
    untracked: Vec<String>,
    include_untracked: bool,
    describe: String,
    notes: Vec<String>,
}

/// Whether nothing is at `path` any more (not a file that cannot be seen).
fn is_gone(path: &std::path::Path) -> bool {
    matches!(std::fs::symlink_metadata(path), Err(e) if e.kind() == std::io::ErrorKind::NotFound)
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
        let mut deleted = HashSet::new();
        let mut untracked = Vec::new();
        let mut notes = Vec::new();
        // git's status reads a file whose stat data changed, to hash it: a
        // file it cannot open fails the whole status. Then every tracked
        // file is still checked (each unreadable one is a finding of its
        // own), without the untracked ones.
        match repo.statuses(Some(&mut opts)) {
            Ok(statuses) => {
                for s in statuses.iter() {
                    let Some(rel) = s.path().and_then(|p| git.relative(p)) else {
                        continue;
                    };
                    if s.status().contains(Status::WT_DELETED) {
                        // Status also calls a file in a directory it cannot
                        // read deleted: only a file that is gone is.
                        if is_gone(&git.root.join(rel)) {
                            deleted.insert(rel.to_owned());
                        }
                    } else if s.status().contains(Status::WT_NEW) && !rel.ends_with('/') {
                        untracked.push(rel.to_owned());
                    }
                }
            }
            Err(e) => {
                notes.push(format!(
                    "git could not read the status of the working tree ({}): untracked files were not looked for",
                    e.message()
                ));
                for e in index.iter() {
                    if let Some(rel) = std::str::from_utf8(&e.path)
                        .ok()
                        .and_then(|p| git.relative(p))
                    {
                        if is_gone(&git.root.join(rel)) {
                            deleted.insert(rel.to_owned());
                        }
                    }
                }
            }
        }
        let mut listed = HashSet::new();
        let mut bad_names = HashSet::new();
        for e in index.iter() {
            if e.mode == MODE_GITLINK {
                continue;
            }
            let Ok(full) = std::str::from_utf8(&e.path) else {
                // Listed, to be reported: such a name is no path isms-lint can use.
                let lossy = String::from_utf8_lossy(&e.path);
                if let Some(rel) = git.relative(&lossy) {
                    bad_names.insert(rel.to_owned());
                }
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
        let mut files: Vec<String> = listed.iter().chain(&bad_names).cloned().collect();
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
            bad_names,
            untracked,
            include_untracked,
            notes,
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
                problem: self
                    .bad_names
                    .contains(path)
                    .then_some(ReadError::NameNotUtf8),
            })
            .collect())
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        if !self.listed.contains(path) {
            if self.bad_names.contains(path) {
                return Err(ReadError::NameNotUtf8);
            }
            return Err(ReadError::NotFound);
        }
        self.disk.read(path, limit)
    }

    fn notes(&self) -> Vec<String> {
        if self.include_untracked || self.untracked.is_empty() {
            return self.notes.clone();
        }
        let n = self.untracked.len();
        let shown: Vec<&str> = self.untracked.iter().take(3).map(String::as_str).collect();
        let more = if n > shown.len() {
            format!(", and {} more", n - shown.len())
        } else {
            String::new()
        };
        let mut notes = self.notes.clone();
        notes.push(format!(
            "{n} untracked {} not checked ({}{more}): `git add` {}, or pass --include-untracked",
            if n == 1 { "file was" } else { "files were" },
            shown.join(", "),
            if n == 1 { "it" } else { "them" },
        ));
        notes
    }
}

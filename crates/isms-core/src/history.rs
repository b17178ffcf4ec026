//! What the repository's history says about its files.
//!
//! Filled in by a git-aware front end (the `isms-git` crate); `None` on
//! [`crate::Repository::history`] when the repository is not read from git,
//! or when its history is incomplete (a shallow clone): rules that use
//! history then stay silent rather than guess.

use std::collections::HashMap;

use chrono::NaiveDate;

/// One commit, as far as the rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Full hexadecimal commit id.
    pub id: String,
    pub author: String,
    /// The commit date (committer time, in the committer's time zone).
    pub date: NaiveDate,
    /// First line of the message.
    pub summary: String,
}

/// When a file first appeared and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    pub first: Commit,
    pub last: Commit,
}

/// History facts for the files of a repository, by repository-relative path.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub files: HashMap<String, FileHistory>,
}

impl History {
    pub fn file(&self, path: &str) -> Option<&FileHistory> {
        self.files.get(path)
    }
}

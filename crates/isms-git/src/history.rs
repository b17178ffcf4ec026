//! History facts in one pass.
//!
//! Walking `git log -- FILE` once per file costs a history walk per file.
//! Instead, one walk goes down the first-parent line from the start commit,
//! diffing each commit's tree against its first parent's (unchanged subtrees
//! are skipped by id, so a commit costs what it changed), and notes every
//! change to a wanted path. A path is *dated* when the walk reaches the
//! commit that added it (its parent did not have it); the walk stops as
//! soon as every wanted path is dated, or at the root commit.
//!
//! First-parent: on a branch that merges pull requests, a change reaches
//! the branch at its merge commit, and that commit (with the merge date) is
//! what the history says changed the file — not the commits on the side
//! branch, whose dates their authors chose.
//!
//! Renames: rename detection by content similarity would cost a comparison
//! of every added file with every deleted one, in every commit. Instead an
//! exact rename — a file moved with its content unchanged, as `git mv`
//! followed by a commit does — is followed: the walk goes on under the old
//! path. A file moved *and* edited in the same commit starts its history at
//! that commit.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::DateTime;
use git2::{Delta, DiffOptions, Oid};
use isms_core::history::{BlobStore, Commit, FileChange, History};

use crate::pool::RepoPool;
use crate::{GitRepo, Result};

impl GitRepo {
    /// When each of `paths` (relative to the ISMS root, as in the tree of
    /// `start`) first appeared and last changed, along the first-parent
    /// history of `start`, with every change in between. Paths absent from
    /// `start`'s tree (files not committed yet) get no history.
    pub fn history(&self, start: Oid, paths: &[String]) -> Result<History> {
        let repo = &self.repo;
        let mut commit = repo.find_commit(start)?;
        let mut tree = commit.tree()?;

        // Only paths present at the start can be dated; others would make
        // the walk run to the root commit for nothing.
        let mut wanted: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut names: Vec<&str> = Vec::new();
        for path in paths {
            let full = self.full_path(path);
            if tree.get_path(full.as_ref()).is_ok() && !wanted.contains_key(full.as_bytes()) {
                wanted.insert(full.into_bytes(), names.len());
                names.push(path);
            }
        }
        let mut changes: Vec<Vec<FileChange>> = vec![Vec::new(); names.len()];
        let mut pending = names.len();

        let mut opts = DiffOptions::new();
        opts.ignore_submodules(true).skip_binary_check(true);
        if !self.prefix.is_empty() {
            opts.pathspec(self.prefix.trim_end_matches('/'));
        }

        let mut added: Vec<(usize, Vec<u8>, Oid)> = Vec::new();
        let mut deleted: Vec<(Vec<u8>, Oid)> = Vec::new();
        while pending > 0 {
            let parent = commit.parent(0).ok();
            let parent_tree = match &parent {
                Some(p) => Some(p.tree()?),
                None => None,
            };
            let diff =
                repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut opts))?;
            let mut this: Option<Arc<Commit>> = None;
            added.clear();
            deleted.clear();
            for delta in diff.deltas() {
                match delta.status() {
                    Delta::Deleted => {
                        if let Some(p) = delta.old_file().path_bytes() {
                            deleted.push((p.to_vec(), delta.old_file().id()));
                        }
                    }
                    Delta::Added | Delta::Modified | Delta::Typechange => {
                        let file = delta.new_file();
                        let Some(path) = file.path_bytes() else {
                            continue;
                        };
                        let Some(&i) = wanted.get(path) else {
                            continue;
                        };
                        let info = this.get_or_insert_with(|| Arc::new(commit_info(&commit)));
                        changes[i].push(FileChange {
                            commit: info.clone(),
                            blob: file.id().to_string(),
                        });
                        if delta.status() == Delta::Added {
                            added.push((i, path.to_vec(), file.id()));
                        }
                    }
                    _ => {}
                }
            }
            for (i, path, blob) in added.drain(..) {
                // Before this commit the path did not exist: whatever was
                // there earlier belongs to another file's life.
                wanted.remove(&path);
                let renamed_from = deleted
                    .iter()
                    .position(|(old, id)| *id == blob && !wanted.contains_key(old))
                    .map(|k| deleted.swap_remove(k).0);
                match renamed_from {
                    Some(old) => {
                        wanted.insert(old, i);
                    }
                    None => pending -= 1,
                }
            }
            drop(diff);
            match parent {
                Some(p) => {
                    commit = p;
                    tree = parent_tree.expect("a parent has a tree");
                }
                None => break,
            }
        }

        let changes = names
            .into_iter()
            .zip(changes)
            .filter(|(_, c)| !c.is_empty())
            .map(|(name, mut c)| {
                c.reverse(); // oldest first
                (name.to_owned(), c)
            })
            .collect();
        let blobs = GitBlobs(RepoPool::new(repo));
        Ok(History::from_changes(changes, Arc::new(blobs)))
    }
}

fn commit_info(c: &git2::Commit<'_>) -> Commit {
    let when = c.committer().when();
    let local = when.seconds() + i64::from(when.offset_minutes()) * 60;
    let date = DateTime::from_timestamp(local, 0)
        .unwrap_or_default()
        .date_naive();
    Commit {
        id: c.id().to_string(),
        author: String::from_utf8_lossy(c.author().name_bytes()).into_owned(),
        date,
        summary: String::from_utf8_lossy(c.summary_bytes().unwrap_or_default()).into_owned(),
    }
}

/// Past versions of files, read from the object database.
struct GitBlobs(RepoPool);

impl BlobStore for GitBlobs {
    fn read(&self, blob: &str, limit: u64) -> Option<Vec<u8>> {
        let id = Oid::from_str(blob).ok()?;
        self.0.blob(id, limit).ok()
    }
}

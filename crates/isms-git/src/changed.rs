//! The files a change touches, for `--changed-since`.
//!
//! Like a pull request: the base is the merge base of `REV` and the commit
//! being checked (where the branch left `REV`), so what `REV` gained since
//! does not count as the branch's change. The files changed are those that
//! differ between the base's tree and what is checked: the working tree
//! (with the index: staged and unstaged edits; untracked files when they are
//! checked too), the index (`--staged`), or a revision (`--rev`).

use std::collections::BTreeSet;

use git2::{Delta, Diff, DiffOptions, Oid};

use crate::{short, Error, GitRepo, Result};

/// What is being checked, to compare with the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The working tree, untracked files included or not.
    WorkTree { include_untracked: bool },
    /// The index.
    Index,
    /// A commit.
    Commit(Oid),
}

/// The files changed since a base commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    /// The merge base the comparison starts from.
    pub base: Oid,
    /// Paths relative to the ISMS root, of files added or modified (renamed
    /// files by their new path). Deleted files are not listed: nothing of
    /// them is checked.
    pub files: BTreeSet<String>,
}

impl Changed {
    /// "since main (merge base 1a2b3c4)".
    pub fn describe(&self, rev: &str) -> String {
        format!("since {rev} (merge base {})", short(self.base))
    }
}

impl GitRepo {
    /// The files changed since the merge base of `rev` and `target`.
    pub fn changed_since(&self, rev: &str, target: Target) -> Result<Changed> {
        let repo = &self.repo;
        // In a shallow clone the branch point may be cut off, or `rev` not
        // fetched at all: a merge base found there could be wrong, so none
        // is looked for.
        if repo.is_shallow() {
            return Err(Error::Shallow {
                rev: rev.to_owned(),
            });
        }
        let since = self.resolve_commit(rev)?;
        let tip = match target {
            Target::Commit(id) => id,
            Target::WorkTree { .. } | Target::Index => self.head()?.ok_or(Error::NoCommits)?,
        };
        let base = repo
            .merge_base(since, tip)
            .map_err(|e| Error::NoCommonAncestor {
                rev: rev.to_owned(),
                message: e.message().to_owned(),
            })?;
        let base_tree = repo.find_commit(base)?.tree()?;
        let mut opts = DiffOptions::new();
        opts.ignore_submodules(true).skip_binary_check(true);
        if !self.prefix.is_empty() {
            opts.pathspec(self.prefix.trim_end_matches('/'));
        }
        let diff: Diff<'_> = match target {
            Target::Commit(id) => {
                let tree = repo.find_commit(id)?.tree()?;
                repo.diff_tree_to_tree(Some(&base_tree), Some(&tree), Some(&mut opts))?
            }
            Target::Index => repo.diff_tree_to_index(Some(&base_tree), None, Some(&mut opts))?,
            Target::WorkTree { include_untracked } => {
                opts.include_untracked(include_untracked)
                    .recurse_untracked_dirs(include_untracked);
                repo.diff_tree_to_workdir_with_index(Some(&base_tree), Some(&mut opts))?
            }
        };
        let mut files = BTreeSet::new();
        for delta in diff.deltas() {
            if delta.status() == Delta::Deleted {
                continue;
            }
            let Some(path) = delta.new_file().path().and_then(|p| p.to_str()) else {
                continue;
            };
            if let Some(rel) = self.relative(path) {
                files.insert(rel.to_owned());
            }
        }
        Ok(Changed { base, files })
    }
}

//! Files read straight from the object database: the tree of a revision, or
//! the index. The working tree is never looked at.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{Oid, TreeWalkMode, TreeWalkResult};
use isms_core::{FileSource, ListError, ListedFile, ReadError};

use crate::pool::{BlobError, RepoPool};
use crate::{short, Error, GitRepo, Result};

/// File modes git records.
const MODE_TREE: i32 = 0o040000;
const MODE_LINK: i32 = 0o120000;
const MODE_GITLINK: i32 = 0o160000;

/// Index entry flags (see git's `index-format.txt`).
const STAGE_MASK: u16 = 0x3000;
const INTENT_TO_ADD: u16 = 1 << 13;

/// Symbolic links followed inside the tree before giving up (a loop).
const MAX_LINK_HOPS: usize = 16;

#[derive(Debug, Clone, Copy)]
enum Entry {
    File(Oid),
    /// The blob holds the link's target.
    Link(Oid),
    /// In the index only: a merge conflict not yet resolved.
    Unmerged,
}

/// A tree of files held in the object database: a revision's tree or the
/// index. Paths are relative to the ISMS root.
pub struct ObjectSource {
    pool: RepoPool,
    entries: BTreeMap<String, Entry>,
    describe: String,
    commit: Option<Oid>,
}

impl ObjectSource {
    /// The tree of `rev` (a commit, tag, branch, or anything `git rev-parse`
    /// takes that leads to a tree).
    pub(crate) fn from_revision(git: &GitRepo, rev: &str) -> Result<ObjectSource> {
        let repo = &git.repo;
        let obj = repo
            .revparse_single(rev)
            .map_err(|e| Error::UnknownRevision {
                rev: rev.to_owned(),
                message: e.message().to_owned(),
            })?;
        let commit = obj.peel_to_commit().ok();
        let tree = obj.peel_to_tree().map_err(|_| Error::NotATree {
            rev: rev.to_owned(),
        })?;
        let root_tree = if git.prefix.is_empty() {
            tree
        } else {
            let dir = git.prefix.trim_end_matches('/');
            let entry = tree
                .get_path(Path::new(dir))
                .map_err(|_| Error::RootMissingAt {
                    dir: dir.to_owned(),
                    rev: rev.to_owned(),
                })?;
            entry
                .to_object(repo)?
                .into_tree()
                .map_err(|_| Error::RootNotDirectoryAt {
                    dir: dir.to_owned(),
                    rev: rev.to_owned(),
                })?
        };
        let mut entries = BTreeMap::new();
        root_tree.walk(TreeWalkMode::PreOrder, |dir, e| {
            let Some(name) = e.name() else {
                return TreeWalkResult::Skip; // not UTF-8: no record can have this path
            };
            let entry = match e.filemode() {
                MODE_TREE | MODE_GITLINK => return TreeWalkResult::Ok,
                MODE_LINK => Entry::Link(e.id()),
                _ => Entry::File(e.id()),
            };
            entries.insert(format!("{dir}{name}"), entry);
            TreeWalkResult::Ok
        })?;
        let describe = match &commit {
            Some(c) => format!(
                "{} at {rev} (commit {}{})",
                git.root.display(),
                short(c.id()),
                c.summary().map(|s| format!(": {s}")).unwrap_or_default()
            ),
            None => format!("{} at {rev}", git.root.display()),
        };
        Ok(ObjectSource {
            pool: RepoPool::new(repo),
            entries,
            describe,
            commit: commit.map(|c| c.id()),
        })
    }

    /// The index: exactly what `git commit` would record now.
    ///
    /// Inside a git hook, `GIT_INDEX_FILE` names the index being committed:
    /// `git commit -a` and `git commit PATH…` build a temporary one and point
    /// the pre-commit hook at it. It is honoured as git honours it (relative
    /// to the current directory); elsewhere the repository's own index is read.
    pub(crate) fn from_index(git: &GitRepo) -> Result<ObjectSource> {
        let index = match std::env::var_os("GIT_INDEX_FILE").filter(|v| !v.is_empty()) {
            Some(path) => git2::Index::open(Path::new(&path)).map_err(|e| Error::IndexFile {
                path: path.into(),
                message: e.message().to_owned(),
            })?,
            None => git.repo.index()?,
        };
        let mut entries = BTreeMap::new();
        for e in index.iter() {
            let Ok(full) = std::str::from_utf8(&e.path) else {
                continue;
            };
            let Some(rel) = git.relative(full) else {
                continue;
            };
            let mode = e.mode as i32;
            let entry = if e.flags & STAGE_MASK != 0 {
                Entry::Unmerged
            } else if e.flags_extended & INTENT_TO_ADD != 0 || mode == MODE_GITLINK {
                // `git add -N` records only the intent: nothing of the file is committed.
                continue;
            } else if mode == MODE_LINK {
                Entry::Link(e.id)
            } else {
                Entry::File(e.id)
            };
            entries.insert(rel.to_owned(), entry);
        }
        Ok(ObjectSource {
            pool: RepoPool::new(&git.repo),
            entries,
            describe: format!("{} (the index: staged changes)", git.root.display()),
            commit: None,
        })
    }

    /// The commit this tree belongs to (`None` for the index or a bare tree).
    pub fn commit(&self) -> Option<Oid> {
        self.commit
    }

    /// Follow symbolic links inside the tree to a file's blob.
    fn resolve(&self, path: &str) -> Result<Oid, ReadError> {
        let mut path = path.to_owned();
        for _ in 0..MAX_LINK_HOPS {
            match self.entries.get(&path) {
                None => return Err(ReadError::NotFound),
                Some(Entry::File(id)) => return Ok(*id),
                Some(Entry::Unmerged) => {
                    return Err(ReadError::Io(
                        "it has an unresolved merge conflict in the index: resolve it and `git add` the file".into(),
                    ))
                }
                Some(Entry::Link(id)) => {
                    let target = self.pool.blob(*id, 4096).map_err(blob_error)?;
                    let target = String::from_utf8_lossy(&target).into_owned();
                    path = match inside(&path, &target) {
                        Some(p) => p,
                        None => return Err(ReadError::SymlinkOutside { target }),
                    };
                }
            }
        }
        Err(ReadError::Io("too many levels of symbolic links".into()))
    }
}

/// Where a link at `link` pointing at `target` leads, if that stays inside
/// the root.
fn inside(link: &str, target: &str) -> Option<String> {
    if target.starts_with('/') || target.contains('\\') || target.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn blob_error(e: BlobError) -> ReadError {
    match e {
        BlobError::Missing => ReadError::NotFound,
        BlobError::TooLarge(size) => ReadError::TooLarge { size, limit: 0 },
        BlobError::Git(m) => ReadError::Io(m),
    }
}

impl FileSource for ObjectSource {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn list(&self) -> Result<Vec<ListedFile>, ListError> {
        Ok(self
            .entries
            .keys()
            .map(|path| ListedFile {
                path: path.clone(),
                problem: None,
            })
            .collect())
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let id = self.resolve(path)?;
        self.pool.blob(id, limit).map_err(|e| match e {
            BlobError::TooLarge(size) => ReadError::TooLarge { size, limit },
            e => blob_error(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::inside;

    #[test]
    fn links_stay_inside_or_are_refused() {
        assert_eq!(inside("a/b.yaml", "c.yaml").as_deref(), Some("a/c.yaml"));
        assert_eq!(inside("a/b.yaml", "../c.yaml").as_deref(), Some("c.yaml"));
        assert_eq!(inside("b.yaml", "../c.yaml"), None);
        assert_eq!(inside("a/b.yaml", "/etc/passwd"), None);
        assert_eq!(
            inside("a/b.yaml", "./d/../e.yaml").as_deref(),
            Some("a/e.yaml")
        );
    }
}

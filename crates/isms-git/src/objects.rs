//! Files read straight from the object database: the tree of a revision, or
//! the index. The working tree is never looked at.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{Oid, Repository, Tree};
use isms_core::source_fs::shown_target;
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

#[derive(Debug, Clone, Copy)]
enum Entry {
    File(Oid),
    /// The blob holds the link's target.
    Link(Oid),
    /// In the index only: a merge conflict not yet resolved.
    Unmerged,
    /// A path that is not valid UTF-8 (kept with U+FFFD for its bytes).
    NotUtf8,
}

/// Every file of `tree` into `out`, under the directory `dir` (bytes, with
/// a final `/` or empty). Names are kept as bytes on the way down, so that
/// a name that is not UTF-8 is listed (and reported), not skipped, and
/// does not stop the walk.
fn walk(
    repo: &Repository,
    tree: &Tree<'_>,
    dir: &mut Vec<u8>,
    out: &mut BTreeMap<String, Entry>,
) -> Result<()> {
    for e in tree.iter() {
        let len = dir.len();
        dir.extend_from_slice(e.name_bytes());
        match e.filemode() {
            MODE_GITLINK => {}
            MODE_TREE => {
                dir.push(b'/');
                let sub = repo.find_tree(e.id()).map_err(|err| Error::DamagedTree {
                    dir: String::from_utf8_lossy(&dir[..dir.len() - 1]).into_owned(),
                    message: err.message().to_owned(),
                })?;
                walk(repo, &sub, dir, out)?;
            }
            mode => {
                let (path, entry) = match std::str::from_utf8(dir) {
                    Ok(p) if mode == MODE_LINK => (p.to_owned(), Entry::Link(e.id())),
                    Ok(p) => (p.to_owned(), Entry::File(e.id())),
                    Err(_) => (String::from_utf8_lossy(dir).into_owned(), Entry::NotUtf8),
                };
                out.insert(path, entry);
            }
        }
        dir.truncate(len);
    }
    Ok(())
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
        let mut dir = Vec::new();
        walk(repo, &root_tree, &mut dir, &mut entries)?;
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
            let (full, utf8) = match std::str::from_utf8(&e.path) {
                Ok(p) => (std::borrow::Cow::Borrowed(p), true),
                Err(_) => (String::from_utf8_lossy(&e.path), false),
            };
            let Some(rel) = git.relative(&full) else {
                continue;
            };
            let mode = e.mode as i32;
            let entry = if !utf8 {
                Entry::NotUtf8
            } else if e.flags & STAGE_MASK != 0 {
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

    /// A file's blob. A symbolic link is never followed, wherever it leads:
    /// inside the tree it could still name a file the records should not
    /// show, and its target is all that is read of it.
    fn resolve(&self, path: &str) -> Result<Oid, ReadError> {
        match self.entries.get(path) {
            None => Err(ReadError::NotFound),
            Some(Entry::File(id)) => Ok(*id),
            Some(Entry::NotUtf8) => Err(ReadError::NameNotUtf8),
            Some(Entry::Unmerged) => Err(ReadError::Io(
                "it has an unresolved merge conflict in the index: resolve it and `git add` the file".into(),
            )),
            Some(Entry::Link(id)) => {
                let target = self.pool.blob(*id, 4096).map_err(|e| blob_error(*id, e))?;
                Err(ReadError::Symlink {
                    target: shown_target(&String::from_utf8_lossy(&target)),
                })
            }
        }
    }
}

fn blob_error(id: Oid, e: BlobError) -> ReadError {
    match e {
        BlobError::Missing => ReadError::NotFound,
        BlobError::TooLarge(size) => ReadError::TooLarge { size, limit: 0 },
        BlobError::Corrupt(error) => ReadError::Corrupt {
            object: id.to_string(),
            error,
        },
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
            .iter()
            .map(|(path, e)| ListedFile {
                path: path.clone(),
                problem: matches!(e, Entry::NotUtf8).then_some(ReadError::NameNotUtf8),
            })
            .collect())
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let id = self.resolve(path)?;
        self.pool.blob(id, limit).map_err(|e| match e {
            BlobError::TooLarge(size) => ReadError::TooLarge { size, limit },
            e => blob_error(id, e),
        })
    }
}

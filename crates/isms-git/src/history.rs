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

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::DateTime;
use git2::{ObjectType, Oid, Repository, Tree, TreeEntry};
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
        let tree = commit.tree()?;

        // Only paths present at the start can be dated; others would make
        // the walk run to the root commit for nothing. What is present is
        // read in one walk of the ISMS root's tree: looking each path up
        // would read its directory's tree again for every file, and a
        // directory of 12 000 records is a tree too large for libgit2's
        // object cache, so that was quadratic.
        let mut present: HashSet<Vec<u8>> = HashSet::new();
        if let Some(root) = self.root_tree(&tree)? {
            let mut path = self.prefix.as_bytes().to_vec();
            let mut trees = Carried::default();
            diff_trees(
                repo,
                &mut trees,
                None,
                Some(&root),
                &mut path,
                &mut |_, path, _| {
                    present.insert(path.to_vec());
                },
            )?;
        }
        let mut wanted: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut names: Vec<&str> = Vec::new();
        for path in paths {
            let full = self.full_path(path).into_bytes();
            if present.contains(&full) && !wanted.contains_key(&full) {
                wanted.insert(full, names.len());
                names.push(path);
            }
        }
        drop(present);
        let mut changes: Vec<Vec<FileChange>> = vec![Vec::new(); names.len()];
        let mut pending = names.len();

        let mut added: Vec<(usize, Vec<u8>, Oid)> = Vec::new();
        // Deleted paths by blob, so that finding where an added file was
        // moved from costs a lookup, not a scan: a commit moving a
        // directory of thousands of records adds and deletes them all.
        let mut deleted: HashMap<Oid, Vec<Vec<u8>>> = HashMap::new();
        let mut root = self.root_tree(&tree)?;
        let mut trees = Carried::default();
        while pending > 0 {
            let parent = commit.parent(0).ok();
            let parent_root = match &parent {
                Some(p) => self.root_tree(&p.tree()?)?,
                None => None,
            };
            let mut this: Option<Arc<Commit>> = None;
            added.clear();
            deleted.clear();
            let mut path = self.prefix.as_bytes().to_vec();
            trees.next_commit();
            diff_trees(
                repo,
                &mut trees,
                parent_root.as_ref(),
                root.as_ref(),
                &mut path,
                &mut |change, path, id| match change {
                    Change::Deleted => deleted.entry(id).or_default().push(path.to_vec()),
                    Change::Added | Change::Modified => {
                        let Some(&i) = wanted.get(path) else {
                            return;
                        };
                        let info = this.get_or_insert_with(|| Arc::new(commit_info(&commit)));
                        changes[i].push(FileChange {
                            commit: info.clone(),
                            blob: id.to_string(),
                        });
                        if change == Change::Added {
                            added.push((i, path.to_vec(), id));
                        }
                    }
                },
            )?;
            for (i, path, blob) in added.drain(..) {
                // Before this commit the path did not exist: whatever was
                // there earlier belongs to another file's life.
                wanted.remove(&path);
                let renamed_from = deleted.get_mut(&blob).and_then(|olds| {
                    let k = olds.iter().position(|old| !wanted.contains_key(old))?;
                    Some(olds.swap_remove(k))
                });
                match renamed_from {
                    Some(old) => {
                        wanted.insert(old, i);
                    }
                    None => pending -= 1,
                }
            }
            match parent {
                Some(p) => {
                    commit = p;
                    root = parent_root;
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

impl GitRepo {
    /// The tree of the ISMS root in a commit's tree (`None`: not there).
    fn root_tree<'r>(&'r self, tree: &Tree<'r>) -> Result<Option<Tree<'r>>> {
        if self.prefix.is_empty() {
            return Ok(Some(tree.clone()));
        }
        let dir = self.prefix.trim_end_matches('/');
        match tree.get_path(dir.as_ref()) {
            Ok(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(self.repo.find_tree(e.id())?)),
            _ => Ok(None),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Added,
    Modified,
    Deleted,
}

/// Report every file that differs between two trees, as git does: entries
/// are compared in tree order, and a subtree with the same id on both sides
/// is skipped without being read, so the cost follows what changed, not the
/// size of the tree. `path` holds the directory being compared (with a
/// final `/`, or empty). Submodules are ignored.
fn diff_trees<'r>(
    repo: &'r Repository,
    trees: &mut Carried<'r>,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    path: &mut Vec<u8>,
    report: &mut dyn FnMut(Change, &[u8], Oid),
) -> Result<()> {
    let mut olds = old.into_iter().flat_map(|t| t.iter()).peekable();
    let mut news = new.into_iter().flat_map(|t| t.iter()).peekable();
    loop {
        let order = match (olds.peek(), news.peek()) {
            (None, None) => return Ok(()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(o), Some(n)) => tree_order(o, n),
        };
        match order {
            std::cmp::Ordering::Less => {
                let o = olds.next().expect("peeked");
                one_side(repo, trees, &o, Change::Deleted, path, report)?;
            }
            std::cmp::Ordering::Greater => {
                let n = news.next().expect("peeked");
                one_side(repo, trees, &n, Change::Added, path, report)?;
            }
            std::cmp::Ordering::Equal => {
                let (o, n) = (olds.next().expect("peeked"), news.next().expect("peeked"));
                if o.id() == n.id() {
                    continue;
                }
                let len = path.len();
                path.extend_from_slice(n.name_bytes());
                match (is_tree(&o), is_tree(&n)) {
                    (true, true) => {
                        path.push(b'/');
                        let (ot, nt) = (
                            trees.parent_side(repo, o.id())?,
                            trees.own_side(repo, n.id())?,
                        );
                        diff_trees(repo, trees, Some(&ot), Some(&nt), path, report)?;
                    }
                    _ if is_file(&n) && is_file(&o) => report(Change::Modified, path, n.id()),
                    _ => {
                        // A submodule became a file or the other way round.
                        path.truncate(len);
                        one_side(repo, trees, &o, Change::Deleted, path, report)?;
                        one_side(repo, trees, &n, Change::Added, path, report)?;
                    }
                }
                path.truncate(len);
            }
        }
    }
}

/// An entry present on one side only: every file under it was added (or deleted).
fn one_side<'r>(
    repo: &'r Repository,
    trees: &mut Carried<'r>,
    e: &TreeEntry<'_>,
    change: Change,
    path: &mut Vec<u8>,
    report: &mut dyn FnMut(Change, &[u8], Oid),
) -> Result<()> {
    let len = path.len();
    path.extend_from_slice(e.name_bytes());
    if is_tree(e) {
        path.push(b'/');
        let (old, new) = match change {
            Change::Deleted => (Some(trees.parent_side(repo, e.id())?), None),
            _ => (None, Some(trees.own_side(repo, e.id())?)),
        };
        diff_trees(repo, trees, old.as_ref(), new.as_ref(), path, report)?;
    } else if is_file(e) {
        report(change, path, e.id());
    }
    path.truncate(len);
    Ok(())
}

/// The trees read on the parent's side of one commit's comparison, kept
/// for the next commit's, where that parent is the side being compared:
/// walking down the history, every changed directory's tree would
/// otherwise be read (inflated and hashed) twice. A directory of a hundred
/// records is a tree larger than libgit2 caches, and what is kept is
/// bounded by one commit's changes.
#[derive(Default)]
struct Carried<'r> {
    /// Read on the parent's side of the previous commit.
    prev: HashMap<Oid, Tree<'r>>,
    /// Read on the parent's side of this commit.
    next: HashMap<Oid, Tree<'r>>,
}

impl<'r> Carried<'r> {
    /// Start the comparison of the next commit down the history.
    fn next_commit(&mut self) {
        self.prev = std::mem::take(&mut self.next);
    }

    /// A tree of the commit's own side: read on the parent's side of the
    /// previous commit, most often.
    fn own_side(&mut self, repo: &'r Repository, id: Oid) -> Result<Tree<'r>> {
        match self.prev.remove(&id) {
            Some(t) => Ok(t),
            None => Ok(repo.find_tree(id)?),
        }
    }

    /// A tree of the parent's side, kept for the next commit.
    fn parent_side(&mut self, repo: &'r Repository, id: Oid) -> Result<Tree<'r>> {
        let t = repo.find_tree(id)?;
        self.next.insert(id, t.clone());
        Ok(t)
    }
}

fn is_tree(e: &TreeEntry<'_>) -> bool {
    e.filemode() == 0o040000
}

/// A blob: a regular file, an executable, or a symbolic link (not a submodule).
fn is_file(e: &TreeEntry<'_>) -> bool {
    !is_tree(e) && e.filemode() != 0o160000
}

/// Git's order of tree entries: by name, a tree's name read as if it ended
/// with `/`.
fn tree_order(a: &TreeEntry<'_>, b: &TreeEntry<'_>) -> std::cmp::Ordering {
    let (an, bn) = (a.name_bytes(), b.name_bytes());
    let n = an.len().min(bn.len());
    an[..n].cmp(&bn[..n]).then_with(|| {
        let next = |name: &[u8], tree: bool| name.get(n).copied().or(tree.then_some(b'/'));
        next(an, is_tree(a)).cmp(&next(bn, is_tree(b)))
    })
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

//! The git front end of isms-lint: what a repository holds, read through
//! libgit2 (no OpenSSL, no SSH: nothing here talks to a network).
//!
//! - [`WorkTreeSource`]: the files git tracks, as they are on disk (untracked
//!   files are skipped and counted, unless asked for).
//! - [`ObjectSource`]: a tree read straight from the object database — any
//!   commit, tag or branch ([`GitRepo::revision`]) or the index as it would
//!   be committed ([`GitRepo::index`]) — without touching the working tree.
//! - [`GitRepo::history`]: when each file first appeared and last changed,
//!   in one pass over first-parent history.
//! - [`GitRepo::changed_since`]: the files a branch changed since it left
//!   another (for pull-request checks).
//!
//! The ISMS root may be a subdirectory of the repository: every path given
//! or returned here is relative to the ISMS root, with `/` separators.
//!
//! Nothing is ever written to the repository: no index refresh, no cache.
//!
//! ```no_run
//! use isms_core::{load, LoadOptions};
//! use isms_git::GitRepo;
//!
//! let git = GitRepo::discover("examples/isms-repo".as_ref()).unwrap().expect("a git repository");
//! let source = git.revision("v1.0").unwrap();
//! let mut repo = load(&source, &LoadOptions::default()).unwrap();
//! let paths: Vec<String> = repo.files.iter().map(|f| f.path.clone()).collect();
//! repo.history = Some(git.history(source.commit().unwrap(), &paths).unwrap());
//! ```

mod changed;
mod history;
mod objects;
mod pool;
mod worktree;

use std::fmt;
use std::path::{Path, PathBuf};

use git2::{ErrorCode, Oid, Repository};

pub use changed::{Changed, Target};
pub use git2::Oid as CommitId;
pub use objects::ObjectSource;
pub use worktree::WorkTreeSource;

/// What went wrong, in one line for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error(e.message().to_owned())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A git repository holding an ISMS root.
pub struct GitRepo {
    repo: Repository,
    /// Where the repository's files are checked out; `None` for a bare one.
    workdir: Option<PathBuf>,
    /// The ISMS root as given.
    root: PathBuf,
    /// The ISMS root's path inside the repository: empty, or `dir/sub/`.
    prefix: String,
}

impl fmt::Debug for GitRepo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GitRepo")
            .field("git_dir", &self.repo.path())
            .field("root", &self.root)
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl GitRepo {
    /// The repository that holds `root`, found by walking up from it (as git
    /// does); `None` when `root` is in no git repository.
    pub fn discover(root: &Path) -> Result<Option<GitRepo>> {
        configure_libgit2();
        let repo = match Repository::discover(root) {
            Ok(r) => r,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            // Git's `safe.directory` protection: a repository owned by another
            // user (a CI container, a shared checkout) is refused, as git refuses it.
            Err(e) if e.code() == ErrorCode::Owner => {
                return Err(Error(format!(
                    "the git repository holding {} belongs to another user, and git does not trust it: `git config --global --add safe.directory <its path>` if you do, or pass --no-git ({})",
                    root.display(),
                    e.message()
                )))
            }
            Err(e) => {
                return Err(Error(format!(
                    "cannot open the git repository holding {}: {}",
                    root.display(),
                    e.message()
                )))
            }
        };
        let workdir = repo.workdir().map(Path::to_path_buf);
        let prefix = match &workdir {
            Some(w) => {
                let canon = |p: &Path| {
                    std::fs::canonicalize(p)
                        .map_err(|e| Error(format!("cannot read {}: {e}", p.display())))
                };
                let (w, r) = (canon(w)?, canon(root)?);
                match r.strip_prefix(&w) {
                    Ok(rel) => to_prefix(rel),
                    // Inside the git directory itself, say: not a checkout.
                    Err(_) => return Ok(None),
                }
            }
            None => String::new(),
        };
        Ok(Some(GitRepo {
            repo,
            workdir,
            root: root.to_path_buf(),
            prefix,
        }))
    }

    /// The ISMS root's directory inside the repository: empty for the
    /// repository's top, else `dir/sub/` (with the final slash).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The repository's working directory (`None` for a bare repository).
    pub fn workdir(&self) -> Option<&Path> {
        self.workdir.as_deref()
    }

    /// A shallow clone (`git clone --depth N`): its history is cut short.
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The commit HEAD points at (a branch or a detached HEAD); `None` in a
    /// repository without commits yet.
    pub fn head(&self) -> Result<Option<Oid>> {
        match self.repo.head() {
            Ok(r) => Ok(Some(r.peel_to_commit()?.id())),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// The tracked files of the working tree, as they are on disk; untracked
    /// files too when `include_untracked`.
    pub fn worktree(&self, include_untracked: bool) -> Result<WorkTreeSource> {
        WorkTreeSource::new(self, include_untracked)
    }

    /// The index (staging area): the files as the next commit would hold
    /// them. In a git hook, the index named by `GIT_INDEX_FILE` (the one
    /// `git commit -a` is about to commit).
    pub fn index(&self) -> Result<ObjectSource> {
        ObjectSource::from_index(self)
    }

    /// The tree of a commit, tag or branch (anything `git rev-parse` takes).
    pub fn revision(&self, rev: &str) -> Result<ObjectSource> {
        ObjectSource::from_revision(self, rev)
    }

    /// Whether `path` (relative to the ISMS root) is tracked: in the index.
    pub fn is_tracked(&self, path: &str) -> Result<bool> {
        let index = self.repo.index()?;
        let full = format!("{}{path}", self.prefix);
        Ok(index.get_path(Path::new(&full), 0).is_some())
    }

    /// The commit `rev` names.
    pub fn resolve_commit(&self, rev: &str) -> Result<Oid> {
        let obj = self.repo.revparse_single(rev).map_err(|e| {
            Error(format!(
                "`{rev}` names no commit, branch or tag here ({})",
                e.message()
            ))
        })?;
        let commit = obj
            .peel_to_commit()
            .map_err(|_| Error(format!("`{rev}` does not name a commit")))?;
        Ok(commit.id())
    }

    /// The repository-wide path of a path relative to the ISMS root.
    fn full_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }

    /// The path relative to the ISMS root of a repository-wide path, if it
    /// is inside the root.
    fn relative<'p>(&self, full: &'p str) -> Option<&'p str> {
        full.strip_prefix(&self.prefix).filter(|r| !r.is_empty())
    }
}

/// Process-wide libgit2 settings, applied once.
///
/// libgit2 recomputes the SHA-1 of every object it reads and refuses one
/// whose content does not hash to its id. The repository checked may come
/// from someone untrusted, and a forged object (valid zlib, wrong hash)
/// would otherwise be read as evidence under an id it does not have: the
/// check stays on, whatever it costs the history walk.
fn configure_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| git2::opts::strict_hash_verification(true));
}

fn to_prefix(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    }
}

/// Seven hex digits, as people quote commits.
pub(crate) fn short(id: Oid) -> String {
    id.to_string()[..7].to_owned()
}

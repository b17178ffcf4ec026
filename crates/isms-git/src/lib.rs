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

/// What went wrong. `Display` gives one line for people, saying what to do
/// where something can be done.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The repository belongs to another user, and git's `safe.directory`
    /// protection refuses it.
    NotTrusted { root: PathBuf, message: String },
    /// The repository holding `root` could not be opened.
    CannotOpen { root: PathBuf, message: String },
    /// A directory of the ISMS root could not be read from disk.
    Io { path: PathBuf, message: String },
    /// A bare repository, with no working tree to read.
    Bare,
    /// `rev` names nothing in this repository.
    UnknownRevision { rev: String, message: String },
    /// `rev` names something, but not a commit.
    NotACommit { rev: String },
    /// `rev` names something that leads to no tree (a blob, say).
    NotATree { rev: String },
    /// The ISMS root (`dir`, inside the repository) is not at `rev`.
    RootMissingAt { dir: String, rev: String },
    /// The ISMS root's path is a file at `rev`.
    RootNotDirectoryAt { dir: String, rev: String },
    /// `GIT_INDEX_FILE` names an index that cannot be read.
    IndexFile { path: PathBuf, message: String },
    /// A comparison needs a commit, and the repository has none yet.
    NoCommits,
    /// `rev` and the commit checked share no history.
    NoCommonAncestor { rev: String, message: String },
    /// `--changed-since` in a shallow clone, whose history is cut short.
    Shallow { rev: String },
    /// A directory's tree object cannot be read: a damaged object database.
    DamagedTree { dir: String, message: String },
    /// Any other failure of libgit2, with its message.
    Git {
        code: git2::ErrorCode,
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotTrusted { root, message } => write!(
                f,
                "the git repository holding {} belongs to another user, and git does not trust it: `git config --global --add safe.directory <its path>` if you do, or pass --no-git ({message})",
                root.display()
            ),
            Error::CannotOpen { root, message } => write!(
                f,
                "cannot open the git repository holding {}: {message}",
                root.display()
            ),
            Error::Io { path, message } => write!(f, "cannot read {}: {message}", path.display()),
            Error::Bare => f.write_str(
                "this is a bare repository, without a working tree: pass --rev REV to check a revision",
            ),
            Error::UnknownRevision { rev, message } => write!(
                f,
                "`{rev}` names no commit, branch or tag in this repository ({message})"
            ),
            Error::NotACommit { rev } => write!(f, "`{rev}` does not name a commit"),
            Error::NotATree { rev } => write!(f, "`{rev}` does not name a commit or a tree"),
            Error::RootMissingAt { dir, rev } => write!(
                f,
                "`{dir}` does not exist at `{rev}`: the ISMS root was not there yet"
            ),
            Error::RootNotDirectoryAt { dir, rev } => {
                write!(f, "`{dir}` is not a directory at `{rev}`")
            }
            Error::IndexFile { path, message } => write!(
                f,
                "cannot read the index named by GIT_INDEX_FILE ({}): {message}",
                path.display()
            ),
            Error::NoCommits => f.write_str(
                "--changed-since needs a commit to compare with, and this repository has none yet",
            ),
            Error::NoCommonAncestor { rev, message } => write!(
                f,
                "`{rev}` and the commit checked have no common ancestor: {message}"
            ),
            Error::Shallow { rev } => write!(
                f,
                "--changed-since needs the history to find where this branch left `{rev}`, and this is a shallow clone, whose history is cut short. Fetch the whole history: `fetch-depth: 0` on actions/checkout in GitHub Actions, `git fetch --unshallow` elsewhere"
            ),
            Error::DamagedTree { dir, message } => write!(
                f,
                "the directory `{dir}` cannot be read from git's object database ({message}); `git fsck` lists damaged objects"
            ),
            Error::Git { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        Error::Git {
            code: e.code(),
            message: e.message().to_owned(),
        }
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
                return Err(Error::NotTrusted {
                    root: root.to_path_buf(),
                    message: e.message().to_owned(),
                })
            }
            Err(e) => {
                return Err(Error::CannotOpen {
                    root: root.to_path_buf(),
                    message: e.message().to_owned(),
                })
            }
        };
        let workdir = repo.workdir().map(Path::to_path_buf);
        let prefix = match &workdir {
            Some(w) => {
                let canon = |p: &Path| {
                    std::fs::canonicalize(p).map_err(|e| Error::Io {
                        path: p.to_path_buf(),
                        message: e.to_string(),
                    })
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
        let obj = self
            .repo
            .revparse_single(rev)
            .map_err(|e| Error::UnknownRevision {
                rev: rev.to_owned(),
                message: e.message().to_owned(),
            })?;
        let commit = obj.peel_to_commit().map_err(|_| Error::NotACommit {
            rev: rev.to_owned(),
        })?;
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

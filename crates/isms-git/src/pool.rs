//! Reading objects from several threads.
//!
//! The loader reads files in parallel, and a `git2::Repository` may move
//! between threads but not be shared by them. Each reader borrows a handle
//! from a small pool and gives it back; new handles are opened on demand
//! (opening a repository reads its config, a fraction of a millisecond).

use std::path::PathBuf;
use std::sync::Mutex;

use git2::{ObjectType, Oid, Repository};

pub(crate) struct RepoPool {
    git_dir: PathBuf,
    idle: Mutex<Vec<Repository>>,
}

/// Why a blob could not be had.
pub(crate) enum BlobError {
    TooLarge(u64),
    Missing,
    /// The object is there but cannot be read back: damaged, or its content
    /// does not hash to its id.
    Corrupt(String),
    Git(String),
}

impl RepoPool {
    pub(crate) fn new(repo: &Repository) -> Self {
        RepoPool {
            git_dir: repo.path().to_path_buf(),
            idle: Mutex::new(Vec::new()),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&Repository) -> T) -> Result<T, git2::Error> {
        let taken = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let repo = match taken {
            Some(r) => r,
            None => Repository::open(&self.git_dir)?,
        };
        let out = f(&repo);
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(repo);
        }
        Ok(out)
    }

    /// A blob's bytes, refusing blobs larger than `limit` before inflating them.
    pub(crate) fn blob(&self, id: Oid, limit: u64) -> Result<Vec<u8>, BlobError> {
        self.with(|repo| {
            let odb = repo
                .odb()
                .map_err(|e| BlobError::Git(e.message().to_owned()))?;
            // The header holds the size: a blob above the limit is refused
            // before a byte of it is inflated.
            let (size, kind) = odb.read_header(id).map_err(object_error)?;
            if kind != ObjectType::Blob {
                return Err(BlobError::Corrupt(format!(
                    "it is a {kind} object, not a blob"
                )));
            }
            if size as u64 > limit {
                return Err(BlobError::TooLarge(size as u64));
            }
            let obj = odb.read(id).map_err(object_error)?;
            Ok(obj.data().to_vec())
        })
        .map_err(|e| BlobError::Git(e.message().to_owned()))?
    }
}

/// An object that is not in the database is missing; one that is there but
/// cannot be read (bad zlib data, a wrong hash) is corrupt.
fn object_error(e: git2::Error) -> BlobError {
    if e.code() == git2::ErrorCode::NotFound {
        BlobError::Missing
    } else {
        BlobError::Corrupt(e.message().to_owned())
    }
}

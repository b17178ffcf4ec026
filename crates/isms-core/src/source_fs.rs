//! Where files come from.
//!
//! The loader asks a [`FileSource`] for the list of files and for their bytes.
//! This crate provides [`DirSource`], a directory walk that honours
//! `.gitignore`; git-aware sources (tracked files, a revision, the index) live
//! in the `isms-git` crate and implement the same trait.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A file the source lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFile {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    /// Known already at listing time: the file cannot be read.
    pub problem: Option<ReadError>,
}

/// Why a file's bytes could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// A symbolic link whose target is outside the repository: never followed.
    SymlinkOutside {
        target: String,
    },
    NotFound,
    Io(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge { size, limit } => write!(
                f,
                "the file is {}, larger than the limit of {} (`lint.max-file-size`); it was not read",
                human_size(*size),
                human_size(*limit)
            ),
            ReadError::SymlinkOutside { target } => write!(
                f,
                "symbolic link to `{target}`, outside the repository; it is not followed"
            ),
            ReadError::NotFound => f.write_str("the file does not exist"),
            ReadError::Io(e) => write!(f, "the file could not be read: {e}"),
        }
    }
}

/// Why a source could not list its files at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListError {
    /// A directory could not be read; `path` is relative to the root, when
    /// the walk knows it.
    Unreadable {
        path: Option<String>,
        message: String,
    },
    /// A symbolic link leads back to a directory that holds it.
    Loop { path: String },
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListError::Unreadable {
                path: Some(path),
                message,
            } => write!(f, "{path}: {message}"),
            ListError::Unreadable {
                path: None,
                message,
            } => f.write_str(message),
            ListError::Loop { path } => write!(
                f,
                "{path}: a symbolic link that leads back to a directory holding it"
            ),
        }
    }
}

impl std::error::Error for ListError {}

impl ListError {
    /// The typed form of a directory walk's error, with paths relative to
    /// `root`.
    fn from_walk(root: &Path, e: ignore::Error) -> ListError {
        let rel = |p: &Path| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        match e {
            ignore::Error::WithPath { path, err } => match ListError::from_walk(root, *err) {
                ListError::Unreadable {
                    path: None,
                    message,
                } => ListError::Unreadable {
                    path: Some(rel(&path)),
                    message,
                },
                other => other,
            },
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                ListError::from_walk(root, *err)
            }
            ignore::Error::Loop { child, .. } => ListError::Loop { path: rel(&child) },
            ignore::Error::Io(e) => ListError::Unreadable {
                path: None,
                message: e.to_string(),
            },
            other => ListError::Unreadable {
                path: None,
                message: other.to_string(),
            },
        }
    }
}

fn human_size(b: u64) -> String {
    if b >= 1 << 20 {
        format!("{:.1} MiB", b as f64 / f64::from(1 << 20))
    } else if b >= 1 << 10 {
        format!("{:.1} KiB", b as f64 / 1024.0)
    } else {
        format!("{b} bytes")
    }
}

/// A source of repository files.
pub trait FileSource: Sync {
    /// What is read, for people: "working tree of ./isms (tracked files)".
    fn describe(&self) -> String;

    /// Every file, sorted by path.
    fn list(&self) -> Result<Vec<ListedFile>, ListError>;

    /// The bytes of one listed file, refusing files larger than `limit`.
    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError>;

    /// Things the user should know about what was not read.
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A directory on disk, walked like git would: `.gitignore` honoured, hidden
/// files and directories skipped, symbolic links never followed out of it.
pub struct DirSource {
    root: PathBuf,
    canonical_root: PathBuf,
}

impl DirSource {
    pub fn new(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        let canonical_root = fs::canonicalize(&root)?;
        Ok(DirSource {
            root,
            canonical_root,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Why the symbolic link at `path` is not read, if it is not: it leads
    /// out of the repository, or nowhere (a missing target, a loop).
    fn link_problem(&self, path: &Path) -> Option<ReadError> {
        let target = fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        match fs::canonicalize(path) {
            Ok(p) if p.starts_with(&self.canonical_root) => None,
            Ok(_) => Some(ReadError::SymlinkOutside { target }),
            Err(e) => Some(ReadError::Io(format!(
                "it is a symbolic link to `{target}`, which leads nowhere ({e})"
            ))),
        }
    }
}

impl FileSource for DirSource {
    fn describe(&self) -> String {
        format!("{} (directory)", self.root.display())
    }

    fn list(&self) -> Result<Vec<ListedFile>, ListError> {
        let mut out = Vec::new();
        let walker = ignore::WalkBuilder::new(&self.root)
            .hidden(true)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            .follow_links(false)
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| ListError::from_walk(&self.root, e))?;
            let Some(ft) = entry.file_type() else {
                continue;
            };
            let rel = match entry.path().strip_prefix(&self.root) {
                Ok(r) => r,
                Err(_) => continue,
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel.is_empty() {
                continue;
            }
            if ft.is_file() {
                out.push(ListedFile {
                    path: rel,
                    problem: None,
                });
            } else if ft.is_symlink() {
                if let Some(problem) = self.link_problem(entry.path()) {
                    out.push(ListedFile {
                        path: rel,
                        problem: Some(problem),
                    });
                } else if entry.path().is_file() {
                    out.push(ListedFile {
                        path: rel,
                        problem: None,
                    });
                }
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let full = self.root.join(path);
        let file = match open_no_follow(&full) {
            Ok(file) => file,
            // A symbolic link (or, off Unix, possibly one): follow it only
            // if it stays inside the repository.
            Err(e) if is_symlink_refusal(&e, &full) => {
                if let Some(problem) = self.link_problem(&full) {
                    return Err(problem);
                }
                fs::File::open(&full).map_err(io_error)?
            }
            Err(e) => return Err(io_error(e)),
        };
        let size = file.metadata().map_err(io_error)?.len();
        if size > limit {
            return Err(ReadError::TooLarge { size, limit });
        }
        let mut buf = Vec::with_capacity(size as usize);
        // Never read more than the limit, even if the file grows meanwhile.
        file.take(limit.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(io_error)?;
        if buf.len() as u64 > limit {
            return Err(ReadError::TooLarge {
                size: buf.len() as u64,
                limit,
            });
        }
        Ok(buf)
    }
}

/// Open a file, refusing to follow a symbolic link at its last component.
/// One system call instead of a `stat` and an `open`: reading thousands of
/// small files, the extra path lookup is a measurable share of a check.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("symbolic link"));
    }
    fs::File::open(path)
}

/// Whether `open_no_follow` failed because `path` is a symbolic link.
fn is_symlink_refusal(e: &std::io::Error, path: &Path) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() != Some(libc::ELOOP) {
        return false;
    }
    #[cfg(not(unix))]
    let _ = e;
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn io_error(e: std::io::Error) -> ReadError {
    if e.kind() == std::io::ErrorKind::NotFound {
        ReadError::NotFound
    } else {
        ReadError::Io(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_error_is_typed_with_its_path_relative_to_the_root() {
        let root = Path::new("/repo");
        let denied = ignore::Error::WithPath {
            path: root.join("risks/private"),
            err: Box::new(ignore::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "permission denied",
            ))),
        };
        let e = ListError::from_walk(root, denied);
        assert_eq!(
            e,
            ListError::Unreadable {
                path: Some("risks/private".into()),
                message: "permission denied".into()
            }
        );
        assert_eq!(e.to_string(), "risks/private: permission denied");
        let looped = ignore::Error::WithDepth {
            depth: 2,
            err: Box::new(ignore::Error::Loop {
                ancestor: root.to_path_buf(),
                child: root.join("a/up"),
            }),
        };
        assert_eq!(
            ListError::from_walk(root, looped),
            ListError::Loop {
                path: "a/up".into()
            }
        );
    }

    #[test]
    fn reads_up_to_the_limit_and_no_further() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.yaml"), "kind: risk\n").unwrap();
        let source = DirSource::new(dir.path()).unwrap();
        // No limit at all: the limit plus one byte must not overflow.
        assert_eq!(source.read("a.yaml", u64::MAX).unwrap(), b"kind: risk\n");
        assert_eq!(source.read("a.yaml", 11).unwrap(), b"kind: risk\n");
        assert_eq!(
            source.read("a.yaml", 10),
            Err(ReadError::TooLarge {
                size: 11,
                limit: 10
            })
        );
        assert_eq!(source.read("missing.yaml", 10), Err(ReadError::NotFound));
    }
}

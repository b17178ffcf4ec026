//! Where files come from.
//!
//! The loader asks a [`FileSource`] for the list of files and for their bytes.
//! This crate provides [`DirSource`], a directory walk that honours
//! `.gitignore`; git-aware sources (tracked files, a revision, the index) live
//! in the `isms-git` crate and implement the same trait.
//!
//! The repository read may come from someone the reader does not trust, so
//! a source opens regular files only: a symbolic link is never followed,
//! whatever it points at (it could lead to `.git/config`, or to a file
//! `.gitignore` keeps out of git), and a named pipe, a socket or a device is
//! never opened (a pipe would block the check forever). Each of these is a
//! [`ReadError`] the loader reports at its path; the rest is still read.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    /// A symbolic link: never followed, wherever it leads.
    Symlink {
        /// What the link says it points at (shortened if long).
        target: String,
    },
    /// A directory on the way to the file is a symbolic link.
    SymlinkDirectory {
        dir: String,
        target: String,
    },
    /// Not a regular file: a named pipe, a socket or a device.
    NotRegular {
        what: &'static str,
    },
    /// A directory that could not be read: nothing in it was checked.
    Directory(String),
    /// The file's name is not valid UTF-8 (it is shown with U+FFFD).
    NameNotUtf8,
    /// Git's copy of the file is damaged (or forged: its hash is wrong).
    Corrupt {
        object: String,
        error: String,
    },
    NotFound,
    Io(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge { size, limit } => write!(
                f,
                "the file is {}, larger than the limit of {} (`lint.max-file-size`, or `--max-file-size` on the command line); it was not read",
                human_size(*size),
                human_size(*limit)
            ),
            ReadError::Symlink { target } => write!(
                f,
                "the file is a symbolic link (to `{target}`); isms-lint never follows links, so it was not read: commit the file itself"
            ),
            ReadError::SymlinkDirectory { dir, target } => write!(
                f,
                "the directory `{dir}` is a symbolic link (to `{target}`); isms-lint never follows links, so the file was not read"
            ),
            ReadError::NotRegular { what } => write!(
                f,
                "this is {what}, not a regular file; it was not opened"
            ),
            ReadError::Directory(e) => write!(
                f,
                "the directory could not be read ({e}); none of the files in it were checked"
            ),
            ReadError::NameNotUtf8 => f.write_str(
                "the file name is not valid UTF-8 (shown here with � for the bytes that are not); rename the file — it was not read",
            ),
            ReadError::Corrupt { object, error } => write!(
                f,
                "git's copy of the file (object {object}) is damaged and was not read ({error}); `git fsck` lists the damaged objects"
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
                message: match os_error(&e) {
                    Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
                    None => e.to_string(),
                },
            },
            other => ListError::Unreadable {
                path: None,
                message: other.to_string(),
            },
        }
    }
}

/// A symbolic link's target as shown in a message: at most 200 characters.
pub fn shown_target(target: &str) -> String {
    const MAX: usize = 200;
    match target.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &target[..i]),
        None => target.to_owned(),
    }
}

pub fn human_size(b: u64) -> String {
    if b >= 1 << 30 {
        format!("{:.1} GiB", b as f64 / f64::from(1 << 30))
    } else if b >= 1 << 20 {
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
/// files and directories skipped. Only regular files are read: symbolic
/// links, pipes, sockets and devices are listed with the reason they are not.
pub struct DirSource {
    root: PathBuf,
    /// Directories (relative, `/`-separated) known to be real directories,
    /// not links: each is looked at once, however many files it holds.
    real_dirs: Mutex<HashSet<String>>,
}

impl DirSource {
    pub fn new(root: impl Into<PathBuf>) -> std::io::Result<Self> {
        let root = root.into();
        // The root must exist; it may itself be a link (the user named it).
        fs::metadata(&root)?;
        Ok(DirSource {
            root,
            real_dirs: Mutex::new(HashSet::new()),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Refuse a path one of whose directories is a symbolic link: the
    /// directory walk never enters one, but a path can come from elsewhere
    /// (git's index) or the tree can change after the walk.
    fn check_directories(&self, path: &str) -> Result<(), ReadError> {
        let mut end = 0;
        while let Some(i) = path[end..].find('/') {
            end += i;
            let dir = &path[..end];
            end += 1;
            if self.real_dirs.lock().is_ok_and(|d| d.contains(dir)) {
                continue;
            }
            let full = self.root.join(dir);
            match fs::symlink_metadata(&full) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(ReadError::SymlinkDirectory {
                        dir: dir.to_owned(),
                        target: link_target(&full),
                    })
                }
                Ok(m) if m.is_dir() => {
                    if let Ok(mut d) = self.real_dirs.lock() {
                        d.insert(dir.to_owned());
                    }
                }
                Ok(_) => return Err(ReadError::NotFound),
                Err(e) => return Err(io_error(e)),
            }
        }
        Ok(())
    }
}

/// What a symbolic link says, for a message.
fn link_target(path: &Path) -> String {
    fs::read_link(path)
        .map(|t| shown_target(&t.to_string_lossy()))
        .unwrap_or_default()
}

/// What a file that is not regular is, in words, if it is not.
fn not_regular(ft: fs::FileType) -> Option<&'static str> {
    if ft.is_file() || ft.is_dir() || ft.is_symlink() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
        if ft.is_block_device() || ft.is_char_device() {
            return Some("a device");
        }
    }
    Some("a special file")
}

/// A path relative to the root, `/`-separated; `Err` holds it with U+FFFD
/// for the bytes of a name that is not UTF-8.
fn relative(rel: &Path) -> Result<String, String> {
    let mut utf8 = true;
    let parts: Vec<String> = rel
        .components()
        .map(|c| match c.as_os_str().to_str() {
            Some(s) => s.to_owned(),
            None => {
                utf8 = false;
                c.as_os_str().to_string_lossy().into_owned()
            }
        })
        .collect();
    let joined = parts.join("/");
    if utf8 {
        Ok(joined)
    } else {
        Err(joined)
    }
}

/// The path an error of the walk is about, if it names one.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

/// The innermost message of a walk error, without the path (shown apart).
fn error_message(e: &ignore::Error) -> String {
    if let Some(io) = e.io_error() {
        return match os_error(io) {
            Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
            // Never the error's own words: they may hold the absolute path.
            None => io.kind().to_string(),
        };
    }
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_message(err),
        other => other.to_string(),
    }
}

/// The system's error code of an I/O error, also when it is wrapped: the
/// directory walk's errors wrap the system's in one of their own, whose
/// message names the absolute path.
fn os_error(io: &std::io::Error) -> Option<i32> {
    if let Some(code) = io.raw_os_error() {
        return Some(code);
    }
    let mut cause = io.get_ref()?.source();
    while let Some(c) = cause {
        if let Some(code) = c.downcast_ref::<std::io::Error>().and_then(os_error) {
            return Some(code);
        }
        cause = c.source();
    }
    None
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
            let entry = match entry {
                Ok(entry) => entry,
                // A directory that cannot be read is reported where it is;
                // the rest of the tree is still walked.
                Err(e) => {
                    let Some(rel) = error_path(&e)
                        .and_then(|p| p.strip_prefix(&self.root).ok())
                        .filter(|r| !r.as_os_str().is_empty())
                    else {
                        return Err(ListError::from_walk(&self.root, e));
                    };
                    let path = relative(rel).unwrap_or_else(|lossy| lossy);
                    out.push(ListedFile {
                        path,
                        problem: Some(ReadError::Directory(error_message(&e))),
                    });
                    continue;
                }
            };
            let Some(ft) = entry.file_type() else {
                continue;
            };
            if ft.is_dir() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            let (path, mut problem) = match relative(rel) {
                Ok(path) if path.is_empty() => continue,
                Ok(path) => (path, None),
                Err(lossy) => (lossy, Some(ReadError::NameNotUtf8)),
            };
            if problem.is_none() {
                problem = if ft.is_symlink() {
                    Some(ReadError::Symlink {
                        target: link_target(entry.path()),
                    })
                } else {
                    not_regular(ft).map(|what| ReadError::NotRegular { what })
                };
            }
            out.push(ListedFile { path, problem });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        self.check_directories(path)?;
        let full = self.root.join(path);
        let file = open_regular(&full)?;
        let size = file.metadata().map_err(io_error)?.len();
        if size > limit {
            return Err(ReadError::TooLarge { size, limit });
        }
        // Sized from the file, but never beyond the limit: the file may be
        // sparse, or grow while it is read.
        let mut buf = Vec::with_capacity(size.min(limit) as usize);
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

/// Open a regular file, and nothing else: never through a symbolic link at
/// its last component (`O_NOFOLLOW`), never blocking on a named pipe
/// (`O_NONBLOCK`), and checked to be a regular file once opened (`fstat`),
/// so that what is read is what was checked. One system call to open, not
/// a `stat` and an `open`: reading thousands of small files, the extra path
/// lookup is a measurable share of a check.
fn open_regular(path: &Path) -> Result<fs::File, ReadError> {
    let file = match open_no_follow(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::NotFound),
        // Why the open failed: a link (ELOOP), a socket (ENXIO), or else.
        Err(e) => {
            return Err(match fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => ReadError::Symlink {
                    target: link_target(path),
                },
                Ok(m) => match not_regular(m.file_type()) {
                    Some(what) => ReadError::NotRegular { what },
                    None => io_error(e),
                },
                Err(_) => io_error(e),
            })
        }
    };
    let ft = file.metadata().map_err(io_error)?.file_type();
    if ft.is_dir() {
        return Err(ReadError::NotRegular {
            what: "a directory",
        });
    }
    if let Some(what) = not_regular(ft) {
        return Err(ReadError::NotRegular { what });
    }
    Ok(file)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<fs::File> {
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("symbolic link"));
    }
    fs::File::open(path)
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

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_opened_and_links_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.yaml"), "kind: risk\n").unwrap();
        std::os::unix::fs::symlink("a.yaml", dir.path().join("link.yaml")).unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        std::os::unix::fs::symlink("sub", dir.path().join("dirlink")).unwrap();
        fs::write(dir.path().join("sub/b.yaml"), "kind: risk\n").unwrap();
        let _socket = std::os::unix::net::UnixListener::bind(dir.path().join("s.yaml")).unwrap();
        let source = DirSource::new(dir.path()).unwrap();
        assert_eq!(
            source.read("link.yaml", 100),
            Err(ReadError::Symlink {
                target: "a.yaml".into()
            })
        );
        assert_eq!(
            source.read("dirlink/b.yaml", 100),
            Err(ReadError::SymlinkDirectory {
                dir: "dirlink".into(),
                target: "sub".into()
            })
        );
        assert_eq!(
            source.read("s.yaml", 100),
            Err(ReadError::NotRegular { what: "a socket" })
        );
        assert_eq!(
            source.read("sub", 100),
            Err(ReadError::NotRegular {
                what: "a directory"
            })
        );
        let listed: Vec<(String, Option<ReadError>)> = source
            .list()
            .unwrap()
            .into_iter()
            .map(|f| (f.path, f.problem))
            .collect();
        assert_eq!(
            listed,
            [
                ("a.yaml".to_owned(), None),
                (
                    "dirlink".to_owned(),
                    Some(ReadError::Symlink {
                        target: "sub".into()
                    })
                ),
                (
                    "link.yaml".to_owned(),
                    Some(ReadError::Symlink {
                        target: "a.yaml".into()
                    })
                ),
                (
                    "s.yaml".to_owned(),
                    Some(ReadError::NotRegular { what: "a socket" })
                ),
                ("sub/b.yaml".to_owned(), None),
            ]
        );
    }

    #[test]
    fn link_targets_are_shortened_for_messages() {
        assert_eq!(shown_target("a.yaml"), "a.yaml");
        let long = "é".repeat(300);
        assert_eq!(shown_target(&long), format!("{}…", "é".repeat(200)));
    }
}

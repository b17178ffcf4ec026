//! Why a command could not do what was asked: printed as one line by `main`,
//! exit code 2.

use std::fmt;
use std::io;
use std::path::PathBuf;

use isms_core::load::MANIFEST;
use isms_core::LoadError;

/// A failure to do what was asked.
#[derive(Debug)]
pub enum CliError {
    /// The repository could not be loaded: no manifest, or one that cannot
    /// be read.
    Load(LoadError),
    /// Git could not say what was asked of it.
    Git(isms_git::Error),
    /// `check PATH`: not a directory.
    NotADirectory(PathBuf),
    /// No `isms.yaml` here or in any parent directory.
    NoRepositoryFound,
    /// The current directory cannot be read.
    CurrentDir(io::Error),
    /// A git flag outside a git repository.
    NeedsGit { flag: &'static str, root: PathBuf },
    /// In git mode, the manifest is not tracked (so it would not be read).
    ManifestUntracked,
    /// `--rev` named a tree, which has no history.
    TreeNotCommit { rev: String },
    /// A file or directory could not be read.
    Read { path: PathBuf, error: io::Error },
    /// A directory could not be created.
    CreateDir { path: PathBuf, error: io::Error },
    /// A file could not be written.
    Write { path: PathBuf, error: io::Error },
    /// Standard output could not be written (a closed pipe is not this).
    Stdout(io::Error),
    /// `explain NAME`: no such rule.
    UnknownRule {
        name: String,
        suggestion: Option<&'static str>,
    },
    /// `schema NAME`: no such schema.
    UnknownSchema { name: String, names: Vec<String> },
    /// `init` would overwrite these files.
    WouldOverwrite(Vec<PathBuf>),
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Load(e) => e.fmt(f),
            CliError::Git(e) => e.fmt(f),
            CliError::NotADirectory(p) => write!(f, "{} is not a directory", p.display()),
            CliError::NoRepositoryFound => write!(
                f,
                "no {MANIFEST} here or in any parent directory: run `isms-lint check PATH`, or `isms-lint init` to start an ISMS repository"
            ),
            CliError::CurrentDir(e) => write!(f, "cannot read the current directory: {e}"),
            CliError::NeedsGit { flag, root } => write!(
                f,
                "{flag} needs a git repository, and {} is not inside one",
                root.display()
            ),
            CliError::ManifestUntracked => write!(
                f,
                "{MANIFEST} is not tracked by git, and only tracked files are checked: `git add {MANIFEST}` (and the records), or pass --include-untracked, or --no-git to read the directory as it is"
            ),
            CliError::TreeNotCommit { rev } => write!(
                f,
                "`{rev}` is a tree, not a commit: pass a commit, branch or tag"
            ),
            CliError::Read { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            CliError::CreateDir { path, error } => {
                write!(f, "cannot create {}: {error}", path.display())
            }
            CliError::Write { path, error } => {
                write!(f, "cannot write {}: {error}", path.display())
            }
            CliError::Stdout(e) => write!(f, "cannot write to standard output: {e}"),
            CliError::UnknownRule {
                name,
                suggestion: Some(s),
            } => write!(
                f,
                "there is no rule `{name}`; did you mean `{s}`? (`isms-lint rules` lists them)"
            ),
            CliError::UnknownRule {
                name,
                suggestion: None,
            } => write!(f, "there is no rule `{name}` (`isms-lint rules` lists them)"),
            CliError::UnknownSchema { name, names } => write!(
                f,
                "there is no schema `{name}`; choose one of: {}",
                names.join(", ")
            ),
            CliError::WouldOverwrite(paths) => {
                let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "{} already exists; init writes only into a directory without an ISMS repository",
                    shown.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for CliError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CliError::Load(e) => Some(e),
            CliError::Git(e) => Some(e),
            CliError::CurrentDir(error)
            | CliError::Read { error, .. }
            | CliError::CreateDir { error, .. }
            | CliError::Write { error, .. }
            | CliError::Stdout(error) => Some(error),
            _ => None,
        }
    }
}

impl From<LoadError> for CliError {
    fn from(e: LoadError) -> Self {
        CliError::Load(e)
    }
}

impl From<isms_git::Error> for CliError {
    fn from(e: isms_git::Error) -> Self {
        CliError::Git(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_is_one_line_saying_what_to_do() {
        let errors = [
            CliError::NoRepositoryFound,
            CliError::ManifestUntracked,
            CliError::NeedsGit {
                flag: "--staged",
                root: "isms".into(),
            },
            CliError::UnknownRule {
                name: "duplicate-ids".into(),
                suggestion: Some("duplicate-id"),
            },
            CliError::Git(isms_git::Error::NoCommits),
            CliError::Write {
                path: "out/report.json".into(),
                error: io::Error::new(io::ErrorKind::PermissionDenied, "permission denied"),
            },
        ];
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "no isms.yaml here or in any parent directory: run `isms-lint check PATH`, or `isms-lint init` to start an ISMS repository",
                "isms.yaml is not tracked by git, and only tracked files are checked: `git add isms.yaml` (and the records), or pass --include-untracked, or --no-git to read the directory as it is",
                "--staged needs a git repository, and isms is not inside one",
                "there is no rule `duplicate-ids`; did you mean `duplicate-id`? (`isms-lint rules` lists them)",
                "--changed-since needs a commit to compare with, and this repository has none yet",
                "cannot write out/report.json: permission denied",
            ]
        );
        assert!(lines.iter().all(|l| !l.contains('\n')));
    }
}

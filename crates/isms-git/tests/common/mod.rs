//! Real git repositories in temporary directories, built with the git
//! command line and fixed author and committer dates. Shared with the
//! command-line tests of the root package (`tests/git.rs`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    /// `git init` with branch `main`.
    pub fn new() -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temporary directory"),
        };
        f.git(&["init", "-q", "-b", "main"]);
        f
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, content: &str) -> &Self {
        let p = self.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.join(rel)).unwrap();
        self
    }

    /// Run git here, with no user or system configuration; its output.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_at(self.path(), args, "2025-01-01T12:00:00+00:00")
    }

    fn git_at(&self, dir: &Path, args: &[&str], date: &str) -> String {
        let out = git_command(dir, date)
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// `git add -A` and commit on `date` (YYYY-MM-DD) by `author`; the commit id.
    pub fn commit(&self, date: &str, author: &str, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.commit_staged(date, author, message)
    }

    /// Commit what is staged.
    pub fn commit_staged(&self, date: &str, author: &str, message: &str) -> String {
        let when = format!("{date}T12:00:00+00:00");
        let out = git_command(self.path(), &when)
            .env("GIT_AUTHOR_NAME", author)
            .args(["commit", "-q", "--allow-empty", "-m", message])
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "commit failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// Merge `branch` into the current branch with a merge commit on `date`.
    pub fn merge(&self, branch: &str, date: &str, message: &str) -> String {
        let when = format!("{date}T12:00:00+00:00");
        let out = git_command(self.path(), &when)
            .env("GIT_AUTHOR_NAME", "Merger")
            .args(["merge", "-q", "--no-ff", "-m", message, branch])
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "merge failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// `git clone --depth 1` of this repository into a new directory.
    pub fn shallow_clone(&self) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("file://{}", self.path().display());
        let target = dir.path().join("clone");
        self.git_at(
            self.path(),
            &[
                "clone",
                "-q",
                "--depth",
                "1",
                &url,
                target.to_str().unwrap(),
            ],
            "2025-01-01T12:00:00+00:00",
        );
        dir
    }
}

fn git_command(dir: &Path, date: &str) -> Command {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    c
}

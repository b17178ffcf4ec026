//! Documented examples that are executed.
//!
//! Every rule's documentation shows a small repository that triggers it,
//! the finding isms-lint reports on it, and the same repository fixed. The
//! finding in the docs is not written by hand: [`Example::run`] checks the
//! example when the docs are generated, and a test holds every rule to it —
//! the example must give the rule's finding, and the fixed form must not.

use crate::history::History;
use crate::testing::{lines, TestRepo};

use super::RuleId;

/// A commit of an example's git history: its date, author, summary and the
/// files it wrote (path, text).
#[derive(Debug, Clone, Copy)]
pub struct ExampleCommit {
    pub date: &'static str,
    pub author: &'static str,
    pub summary: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

/// A repository that triggers a rule, and its fix.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    /// The files (path, text). `isms.yaml`, when given, replaces the
    /// default manifest (an organisation's name and nothing else).
    pub files: &'static [(&'static str, &'static str)],
    /// The git history, oldest commit first; empty for none.
    pub commits: &'static [ExampleCommit],
    /// The day the example is checked on.
    pub as_of: &'static str,
    /// The fix: files that replace those of the same path, or are added.
    pub fixed: &'static [(&'static str, &'static str)],
    /// The fix's history, when the fix is in the history; empty for the
    /// example's own.
    pub fixed_commits: &'static [ExampleCommit],
}

impl Example {
    /// An example without history, checked on `as_of`.
    pub const fn new(
        files: &'static [(&'static str, &'static str)],
        as_of: &'static str,
        fixed: &'static [(&'static str, &'static str)],
    ) -> Self {
        Example {
            files,
            commits: &[],
            as_of,
            fixed,
            fixed_commits: &[],
        }
    }

    fn repo(files: &[(&'static str, &'static str)], commits: &[ExampleCommit]) -> TestRepo {
        let mut repo = TestRepo::new();
        for (path, text) in files {
            repo = if *path == crate::load::MANIFEST {
                repo.manifest(text)
            } else {
                repo.file(path, text)
            };
        }
        if !commits.is_empty() {
            repo = repo.history(history(commits));
        }
        repo
    }

    /// The example's repository.
    pub fn repository(&self) -> TestRepo {
        Self::repo(self.files, self.commits)
    }

    /// The repository with the fix applied.
    pub fn fixed_repository(&self) -> TestRepo {
        let mut files: Vec<(&'static str, &'static str)> = self.files.to_vec();
        for (path, text) in self.fixed {
            match files.iter_mut().find(|(p, _)| p == path) {
                Some(f) => f.1 = text,
                None => files.push((path, text)),
            }
        }
        let commits = if self.fixed_commits.is_empty() {
            self.commits
        } else {
            self.fixed_commits
        };
        Self::repo(&files, commits)
    }

    /// The findings of `rule` on the example, one line each
    /// (`path:line:column: severity[rule] message`).
    pub fn run(&self, rule: RuleId) -> Vec<String> {
        lines(&self.repository().report(self.as_of), |r| {
            r == rule.as_str()
        })
    }

    /// The findings of `rule` on the fixed example.
    pub fn run_fixed(&self, rule: RuleId) -> Vec<String> {
        lines(&self.fixed_repository().report(self.as_of), |r| {
            r == rule.as_str()
        })
    }

    /// The example as Markdown: its files, the findings, and the fix.
    pub fn markdown(&self, rule: RuleId) -> String {
        let mut s = String::new();
        for (path, text) in self.files {
            s.push_str(&file_block(path, text));
        }
        if !self.commits.is_empty() {
            s.push_str(&history_table(self.commits));
        }
        s.push_str(&format!(
            "Checked on {} (`--as-of {}`), isms-lint reports:\n\n```text\n",
            self.as_of, self.as_of
        ));
        for line in self.run(rule) {
            s.push_str(&line);
            s.push('\n');
        }
        s.push_str("```\n\nFixed:\n\n");
        for (path, text) in self.fixed {
            s.push_str(&file_block(path, text));
        }
        if !self.fixed_commits.is_empty() {
            s.push_str(&history_table(self.fixed_commits));
        }
        s.trim_end().to_owned()
    }
}

fn file_block(path: &str, text: &str) -> String {
    let lang = if path.ends_with(".md") {
        "markdown"
    } else {
        "yaml"
    };
    format!("`{path}`:\n\n```{lang}\n{}\n```\n\n", text.trim_end())
}

fn history_table(commits: &[ExampleCommit]) -> String {
    let mut s =
        String::from("Its git history:\n\n| Date | Author | Commit | Files |\n|---|---|---|---|\n");
    for c in commits {
        let files: Vec<String> = c.files.iter().map(|(p, _)| format!("`{p}`")).collect();
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            c.date,
            c.author,
            c.summary,
            files.join(", ")
        ));
    }
    s.push('\n');
    s
}

fn history(commits: &[ExampleCommit]) -> History {
    commits
        .iter()
        .fold(History::builder(), |b, c| {
            b.commit(c.date, c.author, c.summary, c.files)
        })
        .build()
}

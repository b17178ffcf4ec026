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
    /// Paths of `files` saved as ISO 8859-1 (Latin-1) instead of UTF-8, as
    /// old spreadsheet exports are: every character is written as one byte.
    /// Their fixed form is saved as UTF-8.
    pub latin1: &'static [&'static str],
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
            latin1: &[],
        }
    }

    fn repo(
        files: &[(&'static str, &'static str)],
        commits: &[ExampleCommit],
        latin1: &[&str],
    ) -> TestRepo {
        let mut repo = TestRepo::new();
        for (path, text) in files {
            repo = if *path == crate::load::MANIFEST {
                repo.manifest(text)
            } else if latin1.contains(path) {
                repo.bytes(path, &latin1_bytes(text))
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
        Self::repo(self.files, self.commits, self.latin1)
    }

    /// The repository with the fix applied.
    pub fn fixed_repository(&self) -> TestRepo {
        let mut files: Vec<(&'static str, &'static str)> = self.files.to_vec();
        let mut latin1 = self.latin1.to_vec();
        for (path, text) in self.fixed {
            latin1.retain(|p| p != path);
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
        Self::repo(&files, commits, &latin1)
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
        self.render(rule, true)
    }

    /// As [`Example::markdown`], without checking the example: the findings
    /// are named, not shown. For SARIF's rule help, written on every run,
    /// where checking 38 examples would cost more than the check itself.
    pub fn markdown_unchecked(&self, rule: RuleId) -> String {
        self.render(rule, false)
    }

    fn render(&self, rule: RuleId, checked: bool) -> String {
        let mut s = String::new();
        for (path, text) in self.files {
            let encoding = self
                .latin1
                .contains(path)
                .then_some("saved as Latin-1, not UTF-8");
            s.push_str(&file_block(path, text, encoding));
        }
        if !self.commits.is_empty() {
            s.push_str(&history_table(self.commits));
        }
        if checked {
            s.push_str(&format!(
                "Checked on {} (`--as-of {}`), isms-lint reports:\n\n```text\n",
                self.as_of, self.as_of
            ));
            for line in self.run(rule) {
                s.push_str(&line);
                s.push('\n');
            }
            s.push_str("```\n\nFixed:\n\n");
        } else {
            s.push_str(&format!(
                "Checked on {} (`--as-of {}`), isms-lint reports `{rule}` (`isms-lint explain {rule}` shows the finding).\n\nFixed:\n\n",
                self.as_of, self.as_of
            ));
        }
        for (path, text) in self.fixed {
            let encoding = self.latin1.contains(path).then_some("saved as UTF-8");
            s.push_str(&file_block(path, text, encoding));
        }
        if !self.fixed_commits.is_empty() {
            s.push_str(&history_table(self.fixed_commits));
        }
        s.trim_end().to_owned()
    }
}

/// Files longer than this are folded in the docs, under their name.
const FOLD_LINES: usize = 40;

fn file_block(path: &str, text: &str, note: Option<&str>) -> String {
    let lang = if path.ends_with(".md") {
        "markdown"
    } else if path.ends_with(".yaml") || path.ends_with(".yml") {
        "yaml"
    } else {
        "text"
    };
    let note = note.map(|n| format!(" ({n})")).unwrap_or_default();
    let text = text.trim_end();
    let lines = text.lines().count();
    if lines > FOLD_LINES {
        format!(
            "<details><summary><code>{path}</code>{note}, {lines} lines</summary>\n\n```{lang}\n{text}\n```\n\n</details>\n\n"
        )
    } else {
        format!("`{path}`{note}:\n\n```{lang}\n{text}\n```\n\n")
    }
}

/// `text` in ISO 8859-1. Panics on a character it cannot hold: an example
/// is written so that it can.
fn latin1_bytes(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| {
            u8::try_from(u32::from(c)).expect("a Latin-1 example holds only Latin-1 characters")
        })
        .collect()
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

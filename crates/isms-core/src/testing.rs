//! Building repositories in memory, for tests of rules (and for anyone who
//! wants to check records that do not live on disk).
//!
//! ```
//! use isms_core::testing::TestRepo;
//!
//! let findings = TestRepo::new()
//!     .file("risks/r.yaml", "kind: risk\nid: R-1\ntitle: Laptop theft\nreviewed: 2025-02-30\n")
//!     .check_rule("invalid-date", "2025-06-01");
//! assert_eq!(findings, [
//!     "risks/r.yaml:4:11: error[invalid-date] `reviewed` is not a real date: 2025-02-30 does not exist (February 2025 has 28 days)",
//! ]);
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::engine::{check, CheckOptions, Report};
use crate::history::History;
use crate::load::{load, LoadOptions, MANIFEST};
use crate::source_fs::{FileSource, ListError, ListedFile, ReadError};

/// Files held in memory.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    files: BTreeMap<String, Vec<u8>>,
}

impl MemorySource {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), contents.into());
    }
}

impl FileSource for MemorySource {
    fn describe(&self) -> String {
        "in-memory repository".into()
    }

    fn list(&self) -> Result<Vec<ListedFile>, ListError> {
        Ok(self
            .files
            .keys()
            .map(|p| ListedFile {
                path: p.clone(),
                problem: None,
            })
            .collect())
    }

    fn read(&self, path: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let bytes = self.files.get(path).ok_or(ReadError::NotFound)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge {
                size: bytes.len() as u64,
                limit,
            });
        }
        Ok(bytes.clone())
    }
}

/// The manifest used when a test gives none.
pub const DEFAULT_MANIFEST: &str = "organisation:\n  name: Test Ltd\n";

/// A repository built file by file.
#[derive(Debug, Clone)]
pub struct TestRepo {
    source: MemorySource,
    history: Option<History>,
    horizon: Option<crate::Interval>,
}

impl Default for TestRepo {
    fn default() -> Self {
        Self::new()
    }
}

impl TestRepo {
    /// A repository holding only [`DEFAULT_MANIFEST`].
    pub fn new() -> Self {
        let mut source = MemorySource::new();
        source.insert(MANIFEST, DEFAULT_MANIFEST);
        TestRepo {
            source,
            history: None,
            horizon: None,
        }
    }

    /// Replace `isms.yaml`.
    pub fn manifest(mut self, yaml: &str) -> Self {
        self.source.insert(MANIFEST, yaml);
        self
    }

    pub fn file(mut self, path: &str, contents: &str) -> Self {
        self.source.insert(path, contents);
        self
    }

    pub fn bytes(mut self, path: &str, contents: &[u8]) -> Self {
        self.source.insert(path, contents);
        self
    }

    /// History facts, as a git front end would provide them.
    pub fn history(mut self, history: History) -> Self {
        self.history = Some(history);
        self
    }

    /// As `--horizon`.
    pub fn horizon_days(mut self, days: u32) -> Self {
        self.horizon = Some(crate::Interval::days(days));
        self
    }

    /// Check on `as_of` (YYYY-MM-DD). Panics if the manifest cannot be read.
    pub fn report(&self, as_of: &str) -> Report {
        let as_of: NaiveDate = as_of.parse().expect("as_of is YYYY-MM-DD");
        let mut repo = load(&self.source, &LoadOptions::default()).expect("manifest loads");
        repo.history = self.history.clone();
        check(
            repo,
            &CheckOptions {
                as_of,
                horizon: self.horizon,
            },
        )
    }

    /// Every unwaived finding on `as_of`, one line each:
    /// `path:line:column: severity[rule] message`.
    pub fn check(&self, as_of: &str) -> Vec<String> {
        lines(&self.report(as_of), |_| true)
    }

    /// Only the findings of one rule, named as in `lint.rules`. Panics on a
    /// name that is no rule: a misspelt name would otherwise find nothing,
    /// and a test expecting nothing would pass.
    pub fn check_rule(&self, rule: &str, as_of: &str) -> Vec<String> {
        let Some(id) = crate::rules::RuleId::parse(rule) else {
            let hint = crate::rules::suggest(rule)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            panic!("check_rule: there is no rule `{rule}`{hint}");
        };
        lines(&self.report(as_of), |r| r == id.as_str())
    }
}

/// Findings as `path:line:column: severity[rule] message` lines.
pub fn lines(report: &Report, keep: impl Fn(&str) -> bool) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| !f.is_waived() && keep(f.rule.as_str()))
        .map(|f| {
            let (start, _) = report.range(f);
            format!(
                "{}:{}:{}: {}[{}] {}",
                report.path(f),
                start.line,
                start.column,
                f.severity,
                f.rule,
                f.message
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::TestRepo;

    const RISK: &str = "kind: risk\nid: R-1\ntitle: Laptop theft\n";

    #[test]
    fn check_rule_keeps_the_findings_of_one_rule() {
        let r = TestRepo::new().file("risks/r.yaml", RISK);
        assert_eq!(
            r.check_rule("risk-owner-missing", "2025-06-01"),
            ["risks/r.yaml:2:5: error[risk-owner-missing] Risk R-1 has no owner: 6.1.2 requires each risk to have an owner with the accountability and authority to manage it"]
        );
        assert_eq!(r.check_rule("risk-review-overdue", "2025-06-01").len(), 1);
    }

    #[test]
    #[should_panic(
        expected = "check_rule: there is no rule `risk-owner-mising`; did you mean `risk-owner-missing`?"
    )]
    fn check_rule_fails_on_a_misspelt_rule() {
        TestRepo::new().check_rule("risk-owner-mising", "2025-06-01");
    }

    #[test]
    #[should_panic(expected = "check_rule: there is no rule `zzz`")]
    fn check_rule_fails_on_an_unknown_rule() {
        TestRepo::new().check_rule("zzz", "2025-06-01");
    }
}

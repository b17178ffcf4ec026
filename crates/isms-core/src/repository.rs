//! A loaded ISMS repository: its files, manifest and records.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::markdown::Body;
use crate::model::*;
use crate::source::{FileId, SourceFile, Span};
use crate::yaml::{Node, Seg};

/// A record's typed content, by kind.
#[derive(Debug, Clone)]
pub enum RecordData {
    Policy(Policy),
    StatementOfApplicability(StatementOfApplicability),
    Risk(Risk),
    Audit(Audit),
    ManagementReview(ManagementReview),
    CorrectiveAction(CorrectiveAction),
    AwarenessActivity(AwarenessActivity),
    People(People),
    ControlActivity(ControlActivity),
    ControlPerformance(ControlPerformance),
    Supplier(Supplier),
    LegalRequirement(LegalRequirement),
}

impl RecordData {
    pub(crate) fn from_node(kind: Kind, node: &Node) -> Result<RecordData, crate::de::Error> {
        use crate::de::from_node;
        Ok(match kind {
            Kind::Policy => RecordData::Policy(from_node(node)?),
            Kind::StatementOfApplicability => {
                RecordData::StatementOfApplicability(from_node(node)?)
            }
            Kind::Risk => RecordData::Risk(from_node(node)?),
            Kind::Audit => RecordData::Audit(from_node(node)?),
            Kind::ManagementReview => RecordData::ManagementReview(from_node(node)?),
            Kind::CorrectiveAction => RecordData::CorrectiveAction(from_node(node)?),
            Kind::AwarenessActivity => RecordData::AwarenessActivity(from_node(node)?),
            Kind::People => RecordData::People(from_node(node)?),
            Kind::ControlActivity => RecordData::ControlActivity(from_node(node)?),
            Kind::ControlPerformance => RecordData::ControlPerformance(from_node(node)?),
            Kind::Supplier => RecordData::Supplier(from_node(node)?),
            Kind::LegalRequirement => RecordData::LegalRequirement(from_node(node)?),
        })
    }
}

/// One record: a file, a document of a file, or an entry of a register.
#[derive(Debug, Clone)]
pub struct Record {
    pub kind: Kind,
    /// The record's `id`, if it has one.
    pub id: Option<String>,
    pub file: FileId,
    /// The record's mapping, with positions.
    pub node: Node,
    /// The typed record; `None` when it could not be read (the reason is
    /// already a finding).
    pub data: Option<RecordData>,
    /// Headings and links of a Markdown record's body.
    pub body: Option<Arc<Body>>,
    /// Paths inside the record (`reviewed`, `effectiveness/reviewed`,
    /// `people/2/left`) of values the schema rejected: an impossible date, a
    /// list where a mapping belongs. Their finding is already reported at
    /// their place; the typed record lacks them, and rules that read them
    /// ask [`Record::unreadable`] so as not to report them again as absent.
    pub unreadable: Box<[String]>,
}

impl Record {
    /// Whether the value at `path` (`/`-separated, below the record) could
    /// not be read: it, a value inside it, or the value holding it was
    /// rejected. A record that could not be typed at all is unreadable
    /// everywhere.
    pub fn unreadable(&self, path: &str) -> bool {
        if self.data.is_none() {
            return true;
        }
        let within = |outer: &str, inner: &str| {
            inner == outer
                || inner
                    .strip_prefix(outer)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        self.unreadable
            .iter()
            .any(|u| within(u, path) || within(path, u))
    }

    /// Whether any of `paths` could not be read (see [`Record::unreadable`]).
    pub fn unreadable_any(&self, paths: &[&str]) -> bool {
        paths.iter().any(|p| self.unreadable(p))
    }

    /// Where the record's id is written (or the record's first line).
    pub fn id_span(&self) -> Span {
        self.node.locate(["id"])
    }

    /// Where `path` is in this record, or the nearest place that exists.
    pub fn span<'s, I, S>(&self, path: I) -> Span
    where
        I: IntoIterator<Item = S>,
        S: Into<Seg<'s>>,
    {
        self.node.locate(path)
    }

    /// "risk RISK-003" or "risk in risks/x.yaml".
    pub fn label(&self) -> String {
        match &self.id {
            Some(id) => format!("{} {id}", self.kind),
            None => self.kind.to_string(),
        }
    }
}

/// What an id refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdTarget {
    Record(usize),
    /// A finding of an audit: `findings[index]` of the record.
    AuditFinding {
        record: usize,
        index: usize,
    },
}

/// Counts and notes about what was read.
#[derive(Debug, Clone, Default)]
pub struct LoadStats {
    /// Files the source listed.
    pub files_listed: usize,
    /// YAML and Markdown files read (the manifest included).
    pub files_read: usize,
    /// Records found.
    pub records: usize,
    /// Things the user should know about what was or was not read, such as
    /// untracked files skipped.
    pub notes: Vec<String>,
}

/// A loaded repository.
#[derive(Debug)]
pub struct Repository {
    /// What was read, for people: "/path/to/repo (working tree)".
    pub description: String,
    /// Every file read. [`FileId`] indexes this; the manifest is one of them.
    pub files: Vec<Arc<SourceFile>>,
    pub manifest: Manifest,
    pub manifest_file: FileId,
    pub manifest_node: Node,
    /// The file named by the manifest's `waivers-file`, when it could be read.
    pub waivers_file: Option<(FileId, Node)>,
    pub records: Vec<Record>,
    /// Every id, with what it names. More than one target is a duplicate.
    pub ids: HashMap<String, Vec<IdTarget>>,
    /// Every path the source has, of any type, for checking links.
    pub paths: HashSet<String>,
    pub stats: LoadStats,
    /// What git says about the files; `None` when not read from git or when
    /// the history is incomplete.
    pub history: Option<crate::history::History>,
    /// The settings of `lint.rules`, read once.
    pub settings: crate::config::Settings,
    /// What the loader found wrong; the integrity rules report it.
    pub problems: Vec<crate::problem::Problem>,
}

macro_rules! accessor {
    ($name:ident, $variant:ident, $ty:ty) => {
        /// Records of this kind that could be read, with their typed content.
        pub fn $name(&self) -> impl Iterator<Item = (&Record, &$ty)> {
            self.records.iter().filter_map(|r| match &r.data {
                Some(RecordData::$variant(x)) => Some((r, x)),
                _ => None,
            })
        }
    };
}

/// Freeing a large repository's records one by one is a tenth of a check:
/// they are freed on every core.
impl Drop for Repository {
    fn drop(&mut self) {
        use rayon::prelude::*;
        let records = std::mem::take(&mut self.records);
        if records.len() >= PARALLEL_DROP {
            records
                .into_par_iter()
                .with_min_len(PARALLEL_DROP / 4)
                .for_each(drop);
        }
    }
}

/// Fewer records than this are freed on the current thread.
const PARALLEL_DROP: usize = 2048;

impl Repository {
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.files[id.0 as usize].path
    }

    accessor!(policies, Policy, Policy);
    accessor!(soas, StatementOfApplicability, StatementOfApplicability);
    accessor!(risks, Risk, Risk);
    accessor!(audits, Audit, Audit);
    accessor!(reviews, ManagementReview, ManagementReview);
    accessor!(actions, CorrectiveAction, CorrectiveAction);
    accessor!(activities, AwarenessActivity, AwarenessActivity);
    accessor!(people, People, People);
    accessor!(control_activities, ControlActivity, ControlActivity);
    accessor!(performances, ControlPerformance, ControlPerformance);
    accessor!(suppliers, Supplier, Supplier);
    accessor!(legal_requirements, LegalRequirement, LegalRequirement);

    /// Where `path` is in the manifest, or the nearest place that exists
    /// (the manifest's first line when nothing does).
    pub fn manifest_span(&self, path: &[&str]) -> Span {
        let span = self.manifest_node.locate(path.iter().copied());
        if span == self.manifest_node.span {
            // Nothing of the path exists: point at the first key, not the
            // whole file.
            return self
                .manifest_node
                .as_map()
                .and_then(|m| m.first())
                .map(|e| e.key.span)
                .unwrap_or(Span::at(0));
        }
        span
    }

    /// What an id names.
    pub fn lookup(&self, id: &str) -> &[IdTarget] {
        self.ids.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The record an id names, if it names exactly one record.
    pub fn record_by_id(&self, id: &str) -> Option<&Record> {
        match self.lookup(id) {
            [IdTarget::Record(i)] => Some(&self.records[*i]),
            _ => None,
        }
    }

    /// Resolve a link written in `from` (relative to that file's directory) to
    /// a repository path. `None` for URLs and in-page anchors; `Err` for links
    /// that climb out of the repository.
    pub fn resolve_link(&self, from: FileId, link: &str) -> Option<Result<String, ()>> {
        resolve_link(self.path(from), link)
    }
}

/// See [`Repository::resolve_link`].
pub fn resolve_link(from_path: &str, link: &str) -> Option<Result<String, ()>> {
    let link = link.trim();
    if link.is_empty() || link.starts_with('#') || link.contains("://") || has_scheme(link) {
        return None;
    }
    let link = link.split(['#', '?']).next().unwrap_or("");
    if link.is_empty() {
        return None;
    }
    let decoded = percent_decode(link);
    let mut parts: Vec<&str> = if decoded.starts_with('/') {
        Vec::new()
    } else {
        from_path.split('/').collect::<Vec<_>>()
    };
    if !decoded.starts_with('/') {
        parts.pop(); // the file name
    }
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(Err(()));
                }
            }
            s => parts.push(s),
        }
    }
    Some(Ok(parts.join("/")))
}

fn has_scheme(link: &str) -> bool {
    // mailto:, tel:, urn:… — a scheme is letters before a colon, and is
    // longer than a Windows drive letter.
    match link.find(':') {
        Some(i) if i > 1 => link[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_to_their_file() {
        let r = |from, link| resolve_link(from, link);
        assert_eq!(
            r("policies/a.md", "../evidence/x.pdf"),
            Some(Ok("evidence/x.pdf".into()))
        );
        assert_eq!(
            r("policies/a.md", "b.md#scope"),
            Some(Ok("policies/b.md".into()))
        );
        assert_eq!(
            r("policies/a.md", "my%20file.pdf"),
            Some(Ok("policies/my file.pdf".into()))
        );
        assert_eq!(r("a.md", "../../etc/passwd"), Some(Err(())));
        assert_eq!(r("a.md", "https://example.com"), None);
        assert_eq!(r("a.md", "mailto:x@example.com"), None);
        assert_eq!(r("a.md", "#section"), None);
        assert_eq!(
            r("docs/a.md", "/evidence/x.pdf"),
            Some(Ok("evidence/x.pdf".into()))
        );
    }
}

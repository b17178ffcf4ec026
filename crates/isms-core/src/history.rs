//! What the repository's history says about its files.
//!
//! Filled in by a git-aware front end (the `isms-git` crate); `None` on
//! [`crate::Repository::history`] when the repository is not read from git,
//! or when its history is incomplete (a shallow clone): rules that use
//! history then stay silent rather than guess.
//!
//! History is *path-based*: a file's history is the list of commits, along the
//! first-parent line, that changed the file at its current path, back to the
//! commit that created it there. A file deleted and added again starts at the
//! new addition. A file moved without being edited in the same commit keeps
//! the history of its old path (the front end follows exact renames); a file
//! moved and edited in one commit starts at that commit.
//!
//! Beyond first and last commit, the history keeps for every change the blob
//! (content) it left, and a [`BlobStore`] to read it: rules that need to know
//! when one *record* of a register changed, not just the file, ask for the
//! file's [`Timeline`], which is computed on first use and kept.
//!
//! ```
//! use isms_core::history::History;
//!
//! let history = History::builder()
//!     .commit("2025-01-10", "Ann Lee", "Raise CA-1", &[("actions/ca.yaml", "kind: corrective-action\nid: CA-1\n")])
//!     .commit("2025-03-02", "Bob Kay", "Edit CA-1", &[("actions/ca.yaml", "kind: corrective-action\nid: CA-1\ntitle: x\n")])
//!     .build();
//! let file = history.file("actions/ca.yaml").unwrap();
//! assert_eq!(file.first.date.to_string(), "2025-01-10");
//! assert_eq!(file.last.author, "Bob Kay");
//! ```

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::load::DEFAULT_MAX_FILE_SIZE;
use crate::markdown::{self, FrontMatter};
use crate::source::SourceFile;
use crate::yaml::{self, Node, Value};

/// One commit, as far as the rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Full hexadecimal commit id.
    pub id: String,
    pub author: String,
    /// The commit date (committer time, in the committer's time zone).
    pub date: NaiveDate,
    /// First line of the message.
    pub summary: String,
}

impl Commit {
    /// The abbreviated id people quote: the first seven hex digits.
    pub fn short_id(&self) -> &str {
        &self.id[..self.id.len().min(7)]
    }
}

/// When a file first appeared and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileHistory {
    pub first: Commit,
    pub last: Commit,
}

/// A commit that changed a file, and the content it left there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub commit: Arc<Commit>,
    /// The blob's id in the [`BlobStore`] (a git object id).
    pub blob: String,
}

/// Where the content of past versions comes from (the git object database).
pub trait BlobStore: Send + Sync {
    /// The bytes of a blob; `None` when it cannot be read or is larger than
    /// `limit` bytes.
    fn read(&self, blob: &str, limit: u64) -> Option<Vec<u8>>;
}

/// History facts for the files of a repository, by repository-relative path.
#[derive(Clone, Default)]
pub struct History {
    pub files: HashMap<String, FileHistory>,
    /// Every commit that changed each file, oldest first, with its blob.
    pub changes: HashMap<String, Vec<FileChange>>,
    blobs: Option<Arc<dyn BlobStore>>,
    timelines: Arc<Mutex<HashMap<String, Arc<Timeline>>>>,
}

impl fmt::Debug for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("History")
            .field("files", &self.files)
            .field("changes", &self.changes)
            .finish_non_exhaustive()
    }
}

impl History {
    /// History from the changes of every file (oldest first), whose blobs
    /// `blobs` can read. First and last commits follow from the changes.
    pub fn from_changes(
        changes: HashMap<String, Vec<FileChange>>,
        blobs: Arc<dyn BlobStore>,
    ) -> History {
        let files = changes
            .iter()
            .filter_map(|(path, list)| {
                let (first, last) = (list.first()?, list.last()?);
                Some((
                    path.clone(),
                    FileHistory {
                        first: (*first.commit).clone(),
                        last: (*last.commit).clone(),
                    },
                ))
            })
            .collect();
        History {
            files,
            changes,
            blobs: Some(blobs),
            timelines: Arc::default(),
        }
    }

    /// A history written commit by commit, for tests and examples.
    pub fn builder() -> HistoryBuilder {
        HistoryBuilder::default()
    }

    pub fn file(&self, path: &str) -> Option<&FileHistory> {
        self.files.get(path)
    }

    /// The records of every version of a file, oldest first; `None` when the
    /// file has no history or its content cannot be read. Computed once per
    /// file, on first use.
    pub fn timeline(&self, path: &str) -> Option<Arc<Timeline>> {
        let changes = self.changes.get(path)?;
        let blobs = self.blobs.as_ref()?;
        if let Some(t) = self.timelines.lock().ok()?.get(path) {
            return Some(t.clone());
        }
        // Parsed outside the lock; two rules asking at once at worst parse twice.
        let versions = changes
            .iter()
            .map(|c| Version {
                commit: c.commit.clone(),
                records: blobs
                    .read(&c.blob, DEFAULT_MAX_FILE_SIZE)
                    .and_then(|bytes| record_snapshots(path, &bytes)),
            })
            .collect();
        let t = Arc::new(Timeline { versions });
        self.timelines
            .lock()
            .ok()?
            .insert(path.to_owned(), t.clone());
        Some(t)
    }
}

/// Every version of one file, oldest first, as records.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub versions: Vec<Version>,
}

/// One version of a file: the commit that left it, and its records by id
/// (`None` when that version could not be read as YAML).
#[derive(Debug, Clone)]
pub struct Version {
    pub commit: Arc<Commit>,
    pub records: Option<HashMap<String, Snapshot>>,
}

/// A record as one version of its file held it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// A digest of the record's content (see [`record_snapshots`]): equal
    /// digests, same content.
    pub digest: u64,
    /// The record's `status`, as written.
    pub status: Option<String>,
}

impl Timeline {
    /// The first version holding record `id` in a state for which `keep`
    /// holds.
    pub fn first_where(&self, id: &str, keep: impl Fn(&Snapshot) -> bool) -> Option<&Version> {
        self.versions.iter().find(|v| {
            v.records
                .as_ref()
                .and_then(|r| r.get(id))
                .is_some_and(&keep)
        })
    }

    /// The last version that added record `id` or changed it: when the
    /// record itself was last touched, whatever happened to its neighbours
    /// in a register since.
    pub fn last_change(&self, id: &str) -> Option<&Version> {
        let mut last = None;
        let mut before: Option<u64> = None;
        for v in &self.versions {
            let Some(records) = &v.records else { continue };
            let now = records.get(id).map(|s| s.digest);
            if now.is_some() && now != before {
                last = Some(v);
            }
            before = now;
        }
        last
    }

    /// Every commit that left record `id` in a new state, as (the record
    /// before, the version after, the record after), in order. Versions that
    /// cannot be read are skipped; a version without the record breaks the
    /// chain (adding a record is not changing it).
    pub fn record_changes(&self, id: &str) -> Vec<(&Snapshot, &Version, &Snapshot)> {
        let readable: Vec<&Version> = self
            .versions
            .iter()
            .filter(|v| v.records.is_some())
            .collect();
        readable
            .windows(2)
            .filter_map(|w| {
                let before = w[0].records.as_ref()?.get(id)?;
                let after = w[1].records.as_ref()?.get(id)?;
                (before.digest != after.digest).then_some((before, w[1], after))
            })
            .collect()
    }
}

/// Fields that record what happened *after* a record was closed, and that
/// are expected to be added later: the effectiveness review of a corrective
/// action (10.2 d), and links to the corrective actions raised from an audit
/// finding or a review decision. They are left out of a record's digest.
pub const FOLLOW_UP_FIELDS: &[&[&str]] = &[
    &["effectiveness"],
    &["findings", "*", "actions"],
    &["decisions", "*", "actions"],
];

/// The records of one version of a file, by id: the same reading as the
/// loader's (YAML documents, Markdown front matter, registers of
/// `entries:`), without validation. The digest covers the record's YAML
/// value (not its formatting: comments, quoting style, key order and
/// indentation do not count) except [`FOLLOW_UP_FIELDS`], and for Markdown
/// the body's text (trailing spaces and line endings aside). `None` if the
/// version is not text or not YAML.
pub fn record_snapshots(path: &str, bytes: &[u8]) -> Option<HashMap<String, Snapshot>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let file = SourceFile::new(path, text);
    let text = file.text.clone();
    let (yaml_text, first_line, body) = if path.to_ascii_lowercase().ends_with(".md") {
        match markdown::front_matter(&file) {
            FrontMatter::Closed { yaml, body } => (
                &text[yaml.start..yaml.end],
                file.line_col(yaml.start).line,
                Some(&text[body..]),
            ),
            _ => return Some(HashMap::new()),
        }
    } else {
        (&*text, 1, None)
    };
    let parsed = yaml::parse(&file, yaml_text, first_line);
    if parsed.fatal {
        return None;
    }
    let body_digest = body.map(|b| {
        let mut h = DefaultHasher::new();
        for line in b.lines() {
            line.trim_end().hash(&mut h);
        }
        h.finish()
    });
    let mut out = HashMap::new();
    let mut add = |node: &Node| {
        let Some(id) = node.get("id").and_then(Node::as_text) else {
            return;
        };
        let mut h = DefaultHasher::new();
        hash_node(node, &mut Vec::new(), &mut h);
        body_digest.hash(&mut h);
        out.insert(
            id.to_owned(),
            Snapshot {
                digest: h.finish(),
                status: node
                    .get("status")
                    .and_then(Node::as_text)
                    .map(str::to_owned),
            },
        );
    };
    for doc in &parsed.documents {
        if doc.as_map().is_none() {
            continue;
        }
        match doc.get("entries").and_then(Node::as_seq) {
            Some(entries) => entries
                .iter()
                .filter(|e| e.as_map().is_some())
                .for_each(&mut add),
            None => add(doc),
        }
    }
    Some(out)
}

fn is_follow_up(path: &[&str]) -> bool {
    FOLLOW_UP_FIELDS
        .iter()
        .any(|f| f.len() == path.len() && f.iter().zip(path).all(|(a, b)| *a == "*" || a == b))
}

fn hash_node<'n>(node: &'n Node, path: &mut Vec<&'n str>, h: &mut DefaultHasher) {
    match &node.value {
        Value::Scalar(s) => {
            0u8.hash(h);
            s.text.hash(h);
        }
        Value::Seq(items) => {
            1u8.hash(h);
            items.len().hash(h);
            for item in items {
                path.push("*");
                hash_node(item, path, h);
                path.pop();
            }
        }
        Value::Map(entries) => {
            2u8.hash(h);
            let mut sorted: Vec<_> = entries
                .iter()
                .filter(|e| !e.value.is_null())
                .map(|e| (e.key.as_scalar().map_or("", |k| k.text.as_str()), &e.value))
                .collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            for (key, value) in sorted {
                path.push(key);
                if !is_follow_up(path) {
                    key.hash(h);
                    hash_node(value, path, h);
                }
                path.pop();
            }
        }
    }
}

/// Builds a [`History`] commit by commit, oldest first, with the content of
/// every file each commit wrote. Commit ids are made up but stable.
#[derive(Debug, Default)]
pub struct HistoryBuilder {
    changes: HashMap<String, Vec<FileChange>>,
    blobs: HashMap<String, Vec<u8>>,
    count: usize,
}

impl HistoryBuilder {
    /// A commit on `date` (YYYY-MM-DD) by `author` writing `files` (path, content).
    pub fn commit(
        mut self,
        date: &str,
        author: &str,
        summary: &str,
        files: &[(&str, &str)],
    ) -> Self {
        let commit = self.next_commit(date, author, summary);
        for (path, content) in files {
            let blob = hex(&sha(content.as_bytes()));
            self.blobs.insert(blob.clone(), content.as_bytes().to_vec());
            self.changes
                .entry((*path).to_owned())
                .or_default()
                .push(FileChange {
                    commit: commit.clone(),
                    blob,
                });
        }
        self
    }

    /// A commit on `date` deleting `paths`: a file added again later starts
    /// a new history.
    pub fn delete(mut self, date: &str, author: &str, summary: &str, paths: &[&str]) -> Self {
        self.next_commit(date, author, summary);
        for path in paths {
            self.changes.remove(*path);
        }
        self
    }

    pub fn build(self) -> History {
        History::from_changes(self.changes, Arc::new(MemoryBlobs(self.blobs)))
    }

    fn next_commit(&mut self, date: &str, author: &str, summary: &str) -> Arc<Commit> {
        self.count += 1;
        Arc::new(Commit {
            id: hex(&sha(
                format!("{}\0{date}\0{author}\0{summary}", self.count).as_bytes()
            )),
            author: author.to_owned(),
            date: date.parse().expect("date is YYYY-MM-DD"),
            summary: summary.to_owned(),
        })
    }
}

struct MemoryBlobs(HashMap<String, Vec<u8>>);

impl BlobStore for MemoryBlobs {
    fn read(&self, blob: &str, limit: u64) -> Option<Vec<u8>> {
        self.0
            .get(blob)
            .filter(|b| b.len() as u64 <= limit)
            .cloned()
    }
}

fn sha(bytes: &[u8]) -> [u8; 20] {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(bytes);
    let mut out = [0; 20];
    out.copy_from_slice(&d[..20]);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(path: &str, text: &str, id: &str) -> u64 {
        record_snapshots(path, text.as_bytes()).unwrap()[id].digest
    }

    #[test]
    fn formatting_does_not_change_a_record() {
        let a = "kind: risk\nid: R-1\ntitle: Theft   # comment\nowner: Ann\n";
        let b = "kind: risk\nowner: 'Ann'\nid: R-1\ntitle: Theft\n";
        assert_eq!(digest("r.yaml", a, "R-1"), digest("r.yaml", b, "R-1"));
        let c = "kind: risk\nid: R-1\ntitle: Theft of laptops\nowner: Ann\n";
        assert_ne!(digest("r.yaml", a, "R-1"), digest("r.yaml", c, "R-1"));
    }

    #[test]
    fn register_entries_are_separate_records() {
        let a = "kind: corrective-action\nentries:\n  - id: CA-1\n    status: closed\n";
        let b = "kind: corrective-action\nentries:\n  - id: CA-1\n    status: closed\n  - id: CA-2\n    status: open\n";
        let (sa, sb) = (
            record_snapshots("a.yaml", a.as_bytes()).unwrap(),
            record_snapshots("a.yaml", b.as_bytes()).unwrap(),
        );
        assert_eq!(sa["CA-1"], sb["CA-1"]);
        assert_eq!(sb["CA-2"].status.as_deref(), Some("open"));
        assert!(!sa.contains_key("CA-2"));
        // Adding CA-2 is not a change of CA-1.
        let h = History::builder()
            .commit("2025-01-01", "Ann", "CA-1", &[("a.yaml", a)])
            .commit("2025-02-01", "Ann", "CA-2", &[("a.yaml", b)])
            .build();
        let t = h.timeline("a.yaml").unwrap();
        assert_eq!(t.last_change("CA-1").unwrap().commit.summary, "CA-1");
        assert_eq!(t.last_change("CA-2").unwrap().commit.summary, "CA-2");
    }

    #[test]
    fn follow_up_fields_are_left_out() {
        let a = "kind: corrective-action\nid: CA-1\nstatus: closed\n";
        let b = "kind: corrective-action\nid: CA-1\nstatus: closed\neffectiveness:\n  reviewed: 2025-05-01\n  effective: true\n";
        assert_eq!(digest("a.yaml", a, "CA-1"), digest("a.yaml", b, "CA-1"));
        let audit = |actions: &str| {
            format!("kind: audit\nid: IA-1\nfindings:\n  - id: F-1\n    description: x\n    actions: [{actions}]\n")
        };
        assert_eq!(
            digest("a.yaml", &audit(""), "IA-1"),
            digest("a.yaml", &audit("CA-1"), "IA-1")
        );
    }

    #[test]
    fn markdown_body_is_part_of_the_record() {
        let a = "---\nkind: audit\nid: IA-1\n---\n# Report\nAll good.\n";
        let b = "---\nkind: audit\nid: IA-1\n---\n# Report\nAll good.   \r\n";
        let c = "---\nkind: audit\nid: IA-1\n---\n# Report\nTwo nonconformities.\n";
        assert_eq!(digest("a.md", a, "IA-1"), digest("a.md", b, "IA-1"));
        assert_ne!(digest("a.md", a, "IA-1"), digest("a.md", c, "IA-1"));
    }

    #[test]
    fn unreadable_versions_have_no_records() {
        assert!(record_snapshots("a.yaml", b"key: [unclosed").is_none());
        assert!(record_snapshots("a.yaml", &[0xff, 0xfe]).is_none());
    }

    #[test]
    fn builder_dates_files_and_forgets_deleted_ones() {
        let h = History::builder()
            .commit(
                "2025-01-01",
                "Ann",
                "one",
                &[("a.yaml", "id: A\n"), ("b.yaml", "id: B\n")],
            )
            .commit("2025-02-01", "Bob", "two", &[("a.yaml", "id: A\nx: 1\n")])
            .delete("2025-03-01", "Bob", "drop b", &["b.yaml"])
            .commit("2025-04-01", "Cy", "b again", &[("b.yaml", "id: B\n")])
            .build();
        let a = h.file("a.yaml").unwrap();
        assert_eq!(
            (a.first.summary.as_str(), a.last.summary.as_str()),
            ("one", "two")
        );
        assert_eq!(h.file("b.yaml").unwrap().first.summary, "b again");
        let t = h.timeline("a.yaml").unwrap();
        assert_eq!(t.versions.len(), 2);
        assert_eq!(t.record_changes("A").len(), 1);
        assert_eq!(t.first_where("A", |_| true).unwrap().commit.summary, "one");
        assert_eq!(t.last_change("A").unwrap().commit.summary, "two");
        assert!(t.last_change("Z").is_none());
        assert_ne!(a.first.short_id(), a.last.short_id());
    }
}

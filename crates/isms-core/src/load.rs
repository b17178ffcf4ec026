//! Reading a repository: the manifest first, then every record file, in
//! parallel. Every problem becomes a finding at its place; one broken file
//! never stops the others from being read.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use std::borrow::Borrow;

use crate::finding::Finding;
use crate::markdown::{self, FrontMatter};
use crate::model::{Kind, Manifest, Paths};
use crate::repository::{IdTarget, LoadStats, Record, RecordData, Repository};
use crate::rules::RuleId;
use crate::schema::{self, SchemaError, Target};
use crate::source::{FileId, SourceFile, Span};
use crate::source_fs::{FileSource, ListedFile, ReadError};
use crate::text;
use crate::yaml::{self, Node, Seg, Value};

/// The manifest's file name at the repository root.
pub const MANIFEST: &str = "isms.yaml";

/// Files larger than this are not read unless `lint.max-file-size` says so.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 << 20;

#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// A manifest to use instead of the repository's `isms.yaml`.
    pub config: Option<PathBuf>,
}

/// Why a repository could not be checked at all: no manifest, or one that
/// cannot be read. One line, with the place when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError(pub String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

fn finding(rule: RuleId, file: FileId, span: Span, message: impl Into<String>) -> Finding {
    Finding::new(rule, rule.meta().default_severity, file, span).message(message)
}

/// Read a repository.
pub fn load(source: &dyn FileSource, opts: &LoadOptions) -> Result<Repository, LoadError> {
    let mut findings = Vec::new();
    // Listing the files and compiling the schemas both come first and
    // depend on nothing: do them side by side.
    let (listed, _) = rayon::join(|| source.list(), schema::validators);
    let (manifest_file, manifest_node, manifest, manifest_in_repo) =
        load_manifest(source, opts, &mut findings)?;

    let listed = listed.map_err(|e| {
        LoadError(format!(
            "could not list the files of {}: {e}",
            source.describe()
        ))
    })?;
    let paths: HashSet<String> = listed.iter().map(|f| f.path.clone()).collect();
    let exclude = exclude_set(&manifest_node, &manifest, &mut findings);
    let max_size = manifest.lint.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE);
    let waivers_path = waivers_path(&manifest_node, &manifest, &mut findings);

    let candidates: Vec<&ListedFile> = listed
        .iter()
        .filter(|f| is_candidate(&f.path))
        .filter(|f| !(manifest_in_repo && f.path == MANIFEST))
        .filter(|f| Some(&f.path) != waivers_path.as_ref())
        .filter(|f| !exclude.is_match(&f.path))
        .collect();

    let cx = FileContext {
        paths: &manifest.paths,
        max_size,
        source,
    };
    let outputs: Vec<FileOutput> = candidates
        .par_iter()
        .enumerate()
        .map(|(i, lf)| process_file(FileId(i as u32 + 1), lf, &cx))
        .collect();

    // Sized once: records are large, and growing the vector would copy
    // them all again at every doubling.
    let mut files = Vec::with_capacity(outputs.len() + 2);
    files.push(manifest_file);
    let mut records = Vec::with_capacity(outputs.iter().map(|o| o.records.len()).sum());
    for out in outputs {
        files.push(out.file);
        records.extend(out.records);
        findings.extend(out.findings);
    }
    let waivers_file = waivers_path.and_then(|path| {
        let id = FileId(files.len() as u32);
        let named_at = manifest_node.locate(["waivers-file"]);
        let (file, node) = load_waivers_file(source, &path, id, named_at, max_size, &mut findings)?;
        files.push(file);
        node.map(|n| (id, n))
    });

    let ids = index_ids(&records);
    let stats = LoadStats {
        files_listed: listed.len(),
        files_read: files.len(),
        records: records.len(),
        notes: source.notes(),
    };
    Ok(Repository {
        description: source.describe(),
        files,
        manifest,
        manifest_file: FileId(0),
        manifest_node,
        waivers_file,
        records,
        ids,
        paths,
        stats,
        history: None,
        load_findings: findings,
    })
}

fn load_manifest(
    source: &dyn FileSource,
    opts: &LoadOptions,
    findings: &mut Vec<Finding>,
) -> Result<(Arc<SourceFile>, Node, Manifest, bool), LoadError> {
    let (path, bytes, in_repo) = match &opts.config {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| {
                LoadError(format!("could not read the manifest {}: {e}", p.display()))
            })?;
            (p.display().to_string(), bytes, false)
        }
        None => match source.read(MANIFEST, DEFAULT_MAX_FILE_SIZE) {
            Ok(b) => (MANIFEST.to_owned(), b, true),
            Err(ReadError::NotFound) => {
                return Err(LoadError(format!(
                    "no {MANIFEST} in {}: this is not an ISMS repository (run `isms-lint init` to start one, or pass --config FILE)",
                    source.describe()
                )))
            }
            Err(e) => return Err(LoadError(format!("could not read {MANIFEST}: {e}"))),
        },
    };
    if let Some(why) = not_text(&bytes) {
        return Err(LoadError(format!(
            "{path}: the manifest cannot be read: {why}"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let (f, at) = invalid_utf8(&path, &e);
        let at = f.line_col(at);
        LoadError(format!(
            "{path}:{}:{}: the manifest is not valid UTF-8; save it as UTF-8",
            at.line, at.column
        ))
    })?;
    let file = Arc::new(SourceFile::new(path.clone(), text));
    let manifest_id = FileId(0);
    let text = file.text.clone();
    let parsed = yaml::parse(&file, &text, 1);
    if parsed.fatal {
        let e = &parsed.errors[parsed.errors.len() - 1];
        let at = file.line_col(e.span.start);
        return Err(LoadError(format!(
            "{path}:{}:{}: the manifest cannot be read: {}",
            at.line, at.column, e.message
        )));
    }
    for e in &parsed.errors {
        findings.push(yaml_finding(manifest_id, e));
    }
    let Some(doc) = parsed
        .documents
        .into_iter()
        .next()
        .filter(|d| d.as_map().is_some())
    else {
        return Err(LoadError(format!(
            "{path}: the manifest must be a mapping of keys, such as `organisation:` and `certification:` (see `isms-lint init`)"
        )));
    };
    let errors = schema::validate(Target::Manifest, &doc);
    let manifest = crate::de::from_node::<Manifest>(&pruned(&doc, &errors, 0)).unwrap_or_default();
    findings.extend(
        errors
            .iter()
            .map(|e| finding(e.rule, manifest_id, e.span, e.message.clone()).key(e.path.join("/"))),
    );
    Ok((file, doc, manifest, in_repo))
}

/// The manifest's `waivers-file`, if it names a place inside the repository.
fn waivers_path(node: &Node, manifest: &Manifest, findings: &mut Vec<Finding>) -> Option<String> {
    let written = manifest.waivers_file.as_deref()?.trim();
    let path = written.trim_start_matches("./");
    let outside = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.split('/').any(|c| c == "..");
    if outside {
        findings.push(finding(
            RuleId::SchemaViolation,
            FileId(0),
            node.locate(["waivers-file"]),
            format!("`waivers-file` must be a path inside the repository, relative to its root, such as `waivers.yaml` — found \"{written}\""),
        ));
        return None;
    }
    Some(path.to_owned())
}

/// Read the file of waivers: its findings are located in it. `None` when
/// it cannot be read at all; the node is `None` when it is not YAML.
fn load_waivers_file(
    source: &dyn FileSource,
    path: &str,
    id: FileId,
    named_at: Span,
    max_size: u64,
    findings: &mut Vec<Finding>,
) -> Option<(Arc<SourceFile>, Option<Node>)> {
    // Problems reaching the file are reported where the manifest names it.
    let at_manifest =
        |rule, message: String| finding(rule, FileId(0), named_at, message).key("waivers-file");
    let bytes = match source.read(path, max_size) {
        Ok(b) => b,
        Err(ReadError::NotFound) => {
            findings.push(at_manifest(
                RuleId::BrokenReference,
                format!("the waivers file `{path}` named by `waivers-file` is not in the repository; its waivers apply to nothing"),
            ));
            return None;
        }
        Err(e) => {
            findings.push(at_manifest(
                RuleId::UnreadableFile,
                format!("the waivers file `{path}` named by `waivers-file` cannot be read: {e}"),
            ));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            findings.push(finding(
                RuleId::UnreadableFile,
                id,
                Span::new(valid, valid + 1),
                "the file is not valid UTF-8; save it as UTF-8 — its waivers apply to nothing",
            ));
            return Some((Arc::new(SourceFile::new(path, lossy)), None));
        }
    };
    let file = Arc::new(SourceFile::new(path, text));
    let text = file.text.clone();
    let parsed = yaml::parse(&file, &text, 1);
    for e in &parsed.errors {
        findings.push(yaml_finding(id, e));
    }
    if parsed.fatal {
        return Some((file, None));
    }
    let Some(doc) = parsed.documents.into_iter().next().filter(|d| !d.is_null()) else {
        return Some((file, None)); // an empty file waives nothing, harmlessly
    };
    if doc.as_map().is_none() {
        findings.push(finding(
            RuleId::SchemaViolation,
            id,
            doc.span,
            "a waivers file is a mapping with a `waivers:` list, written as in `isms.yaml`",
        ));
        return Some((file, None));
    }
    let errors = schema::validate(Target::Waivers, &doc);
    findings.extend(
        errors
            .iter()
            .map(|e| finding(e.rule, id, e.span, e.message.clone()).key(e.path.join("/"))),
    );
    Some((file, Some(doc)))
}

fn exclude_set(node: &Node, manifest: &Manifest, findings: &mut Vec<Finding>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for (i, pattern) in manifest.lint.exclude.iter().enumerate() {
        match Glob::new(pattern) {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => findings.push(finding(
                RuleId::SchemaViolation,
                FileId(0),
                node.locate([Seg::Key("lint"), Seg::Key("exclude"), Seg::Index(i)]),
                format!("`{pattern}` is not a valid glob pattern: {}", e.kind()),
            )),
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// YAML and Markdown files, outside hidden directories.
fn is_candidate(path: &str) -> bool {
    if path.split('/').any(|c| c.starts_with('.')) {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".md")
}

fn is_markdown(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".md")
}

struct FileContext<'a> {
    paths: &'a Paths,
    max_size: u64,
    source: &'a dyn FileSource,
}

struct FileOutput {
    file: Arc<SourceFile>,
    records: Vec<Record>,
    findings: Vec<Finding>,
}

fn process_file(id: FileId, lf: &ListedFile, cx: &FileContext<'_>) -> FileOutput {
    let mut out = FileOutput {
        file: Arc::new(SourceFile::new(lf.path.clone(), "")),
        records: Vec::new(),
        findings: Vec::new(),
    };
    let bytes = match &lf.problem {
        Some(p) => Err(p.clone()),
        None => cx.source.read(&lf.path, cx.max_size),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            out.findings.push(finding(
                RuleId::UnreadableFile,
                id,
                Span::at(0),
                e.to_string(),
            ));
            return out;
        }
    };
    if let Some(why) = not_text(&bytes) {
        out.findings.push(finding(
            RuleId::UnreadableFile,
            id,
            Span::at(0),
            format!("{why} — it was not read"),
        ));
        return out;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (file, at) = invalid_utf8(&lf.path, &e);
            let bad = e.as_bytes()[e.utf8_error().valid_up_to()];
            // Underline the replacement character, all of it.
            let end = at + file.text[at..].chars().next().map_or(0, char::len_utf8);
            out.findings.push(finding(
                RuleId::UnreadableFile,
                id,
                Span::new(at, end),
                format!(
                    "the file is not valid UTF-8 (byte 0x{bad:02X} here); save it as UTF-8 — it was not read"
                ),
            ));
            out.file = Arc::new(file);
            return out;
        }
    };
    let file = Arc::new(SourceFile::new(lf.path.clone(), text));
    out.file = file.clone();
    let in_place = cx.paths.is_record_place(&lf.path);
    let text = file.text.clone();

    let (yaml_span, first_line, body_start) = if is_markdown(&lf.path) {
        match markdown::front_matter(&file) {
            FrontMatter::Closed { yaml, body } => {
                (yaml, file.line_col(yaml.start).line, Some(body))
            }
            FrontMatter::Unclosed { opening } => {
                if in_place || text.lines().any(|l| l.starts_with("kind:")) {
                    out.findings.push(finding(
                        RuleId::ParseError,
                        id,
                        opening,
                        "front matter opened with `---` on line 1 is never closed: add a line `---` after the last key",
                    ));
                }
                return out;
            }
            FrontMatter::None => {
                if in_place {
                    out.findings.push(finding(
                        RuleId::UnknownKind,
                        id,
                        Span::at(0),
                        "this Markdown file has no front matter, so it declares no `kind`: start it with a `---` block holding `kind:` and `id:`",
                    ));
                }
                return out;
            }
        }
    } else {
        (Span::new(0, text.len()), 1, None)
    };

    let parsed = yaml::parse(&file, &text[yaml_span.start..yaml_span.end], first_line);
    for e in &parsed.errors {
        out.findings.push(yaml_finding(id, e));
    }
    if parsed.fatal {
        return out;
    }
    let body = body_start.map(|start| Arc::new(markdown::body(&file, start)));
    let documents: Vec<Node> = parsed
        .documents
        .into_iter()
        .filter(|d| !d.is_null())
        .collect();
    if documents.is_empty() && in_place {
        out.findings.push(finding(
            RuleId::UnknownKind,
            id,
            yaml_span_start(yaml_span),
            match (body_start.is_some(), yaml_span.is_empty()) {
                (true, _) => "the front matter holds no record: it needs at least `kind:` and `id:`",
                (false, true) => "this file is empty: a record needs at least `kind:` and `id:`",
                (false, false) => {
                    "this file holds no record, only comments or blank lines: a record needs at least `kind:` and `id:`"
                }
            },
        ));
    }
    for doc in documents {
        process_document(id, doc, in_place, body.clone(), &mut out);
    }
    out
}

/// Why bytes are not a text file we can read, if they are not.
fn not_text(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some("the file is saved as UTF-16; save it as UTF-8");
    }
    let sniff = &bytes[..bytes.len().min(8192)];
    sniff
        .contains(&0)
        .then_some("this is a binary file, not YAML or Markdown text")
}

/// The file's text with the invalid bytes replaced, for showing it, and the
/// offset of the first invalid byte in that text.
fn invalid_utf8(path: &str, e: &std::string::FromUtf8Error) -> (SourceFile, usize) {
    let valid = e.utf8_error().valid_up_to();
    let file = SourceFile::new(path, String::from_utf8_lossy(e.as_bytes()).into_owned());
    // The replaced text has the same valid prefix, less the byte order mark
    // that SourceFile drops.
    let bom = if e.as_bytes().starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    (file, valid.saturating_sub(bom))
}

fn yaml_span_start(s: Span) -> Span {
    Span::at(s.start)
}

fn yaml_finding(file: FileId, e: &yaml::YamlError) -> Finding {
    let mut f = finding(RuleId::ParseError, file, e.span, e.message.clone());
    if let Some((span, msg)) = &e.related {
        f = f.related(file, *span, msg.clone());
    }
    f
}

fn process_document(
    id: FileId,
    doc: Node,
    in_place: bool,
    body: Option<Arc<markdown::Body>>,
    out: &mut FileOutput,
) {
    if doc.as_map().is_none() {
        if in_place {
            out.findings.push(finding(
                RuleId::SchemaViolation,
                id,
                doc.span,
                "a record must be a mapping of keys to values, starting with `kind:`",
            ));
        }
        return;
    }
    let kind = match doc.entry("kind") {
        None => {
            if in_place {
                let span = doc
                    .as_map()
                    .and_then(|m| m.first())
                    .map_or(doc.span, |e| e.key.span);
                out.findings.push(finding(
                    RuleId::UnknownKind,
                    id,
                    span,
                    format!(
                        "this record declares no `kind`; add one of: {}",
                        kind_list()
                    ),
                ));
            }
            return;
        }
        Some(e) if e.value.as_text().is_none() => {
            let (span, found) = match &e.value.value {
                _ if e.value.is_null() => (e.key.span, "nothing"),
                Value::Seq(_) => (e.value.span, "a list"),
                _ => (e.value.span, "a mapping"),
            };
            out.findings.push(finding(
                RuleId::UnknownKind,
                id,
                span,
                format!(
                    "`kind` must name the kind of record, one of: {} — found {found}",
                    kind_list()
                ),
            ));
            return;
        }
        Some(e) => {
            let written = e.value.as_text().unwrap_or_default();
            match Kind::parse(written) {
                Some(k) => k,
                None => {
                    let hint = text::closest(written, Kind::ALL.iter().map(|k| k.as_str()))
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                    out.findings.push(finding(
                        RuleId::UnknownKind,
                        id,
                        if e.value.is_null() {
                            e.key.span
                        } else {
                            e.value.span
                        },
                        format!(
                            "`{written}` is not a kind of record; {hint}known kinds: {}",
                            kind_list()
                        ),
                    ));
                    return;
                }
            }
        }
    };

    let errors = schema::validate(Target::Kind(kind), &doc);
    // Each finding names its record and its path inside the record, so its
    // fingerprint survives entries being added or reordered in a register.
    for e in &errors {
        let (record, rest) = match (e.path.first().map(String::as_str), e.path.get(1)) {
            (Some("entries"), Some(i)) => {
                let entry = i
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| doc.at([Seg::Key("entries"), Seg::Index(i)]));
                (
                    entry.and_then(|n| n.get("id")).and_then(Node::as_text),
                    &e.path[2..],
                )
            }
            _ => (doc.get("id").and_then(Node::as_text), &e.path[..]),
        };
        out.findings.push(
            finding(e.rule, id, e.span, e.message.clone())
                .record(record)
                .key(rest.join("/")),
        );
    }
    // The records take the document's nodes over: a large register is not
    // copied.
    match take_entries(doc) {
        Ok(entries) => {
            let mut by_entry: HashMap<usize, Vec<&SchemaError>> = HashMap::new();
            for e in &errors {
                if let [first, i, ..] = e.path.as_slice() {
                    if let (true, Ok(i)) = (first == "entries", i.parse::<usize>()) {
                        by_entry.entry(i).or_default().push(e);
                    }
                }
            }
            for (i, entry) in entries.into_iter().enumerate() {
                if entry.as_map().is_none() {
                    continue; // reported by the schema
                }
                let mine = by_entry.remove(&i).unwrap_or_default();
                let record =
                    make_record(id, kind, entry, &mine, 2, body.clone(), &mut out.findings);
                out.records.push(record);
            }
        }
        Err(doc) => {
            let mine: Vec<&SchemaError> = errors.iter().collect();
            let record = make_record(id, kind, doc, &mine, 0, body, &mut out.findings);
            out.records.push(record);
        }
    }
}

/// The records of a register (`entries:` holding a list), or the document
/// itself when it is a single record.
fn take_entries(doc: Node) -> Result<Vec<Node>, Node> {
    if doc.get("entries").and_then(Node::as_seq).is_none() {
        return Err(doc);
    }
    let Value::Map(entries) = doc.value else {
        unreachable!("a document with `entries` is a mapping");
    };
    let register = entries
        .into_iter()
        .find(|e| e.key.as_text() == Some("entries"))
        .map(|e| e.value.value);
    match register {
        Some(Value::Seq(items)) => Ok(items),
        _ => unreachable!("`entries` holds a list"),
    }
}

fn make_record(
    file: FileId,
    kind: Kind,
    node: Node,
    errors: &[&SchemaError],
    depth: usize,
    body: Option<Arc<markdown::Body>>,
    findings: &mut Vec<Finding>,
) -> Record {
    let id = node.get("id").and_then(Node::as_text).map(str::to_owned);
    // Copy the record only when values must be left out of it.
    let read = if errors.iter().any(|e| e.prune && e.path.len() > depth) {
        RecordData::from_node(kind, &pruned(&node, errors, depth))
    } else {
        RecordData::from_node(kind, &node)
    };
    let data = match read {
        Ok(d) => Some(d),
        Err(e) => {
            // The schema normally explains why; if it had nothing to say,
            // say what the reader found, so no record is dropped in silence.
            if errors.is_empty() {
                findings.push(
                    finding(
                        RuleId::SchemaViolation,
                        file,
                        e.span.unwrap_or(node.span),
                        format!("{} cannot be read: {}", kind.with_article(), e.message),
                    )
                    .record(id.as_deref()),
                );
            }
            None
        }
    };
    Record {
        kind,
        id,
        file,
        node,
        data,
        body,
    }
}

fn kind_list() -> String {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    kinds.join(", ")
}

/// A copy of `node` without the values the schema rejected, so the typed
/// record treats them as absent instead of failing as a whole. `depth` is the
/// number of path segments above the record (2 for `entries/<i>`).
fn pruned<E: std::borrow::Borrow<SchemaError>>(node: &Node, errors: &[E], depth: usize) -> Node {
    let mut node = node.clone();
    for e in errors.iter().map(Borrow::borrow) {
        if e.prune && e.path.len() > depth {
            remove_path(&mut node, &e.path[depth..]);
        }
    }
    node
}

fn remove_path(node: &mut Node, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut cur = node;
    for seg in parents {
        let next = match &mut cur.value {
            Value::Map(entries) => entries
                .iter_mut()
                .find(|e| e.key.as_text() == Some(seg))
                .map(|e| &mut e.value),
            Value::Seq(items) => seg.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
            Value::Scalar(_) => None,
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    match &mut cur.value {
        Value::Map(entries) => entries.retain(|e| e.key.as_text() != Some(last)),
        // Replace rather than remove list items, so later indices still match.
        Value::Seq(items) => {
            if let Some(item) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                item.value = Value::Scalar(yaml::Scalar {
                    text: Default::default(),
                    plain: true,
                });
            }
        }
        Value::Scalar(_) => {}
    }
}

fn index_ids(records: &[Record]) -> HashMap<String, Vec<IdTarget>> {
    let mut ids: HashMap<String, Vec<IdTarget>> = HashMap::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        if let Some(id) = &r.id {
            ids.entry(id.clone()).or_default().push(IdTarget::Record(i));
        }
        if r.kind == Kind::Audit {
            if let Some(findings) = r.node.get("findings").and_then(Node::as_seq) {
                for (j, f) in findings.iter().enumerate() {
                    if let Some(fid) = f.get("id").and_then(Node::as_text) {
                        ids.entry(fid.to_owned())
                            .or_default()
                            .push(IdTarget::AuditFinding {
                                record: i,
                                index: j,
                            });
                    }
                }
            }
        }
    }
    ids
}

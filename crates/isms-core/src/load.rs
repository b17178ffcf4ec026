//! Reading a repository: the manifest first, then every record file, in
//! parallel. Every problem becomes a finding at its place; one broken file
//! never stops the others from being read.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;

use crate::markdown::{self, FrontMatter};
use crate::model::{Kind, Manifest, Paths};
use crate::problem::{Problem, ProblemKind};
use crate::repository::{IdTarget, LoadStats, Record, RecordData, Repository};
use crate::rules::integrity::{unknown_kind, unreadable_file};
use crate::schema::{self, SchemaError, Target};
use crate::source::{FileId, SourceFile, Span};
use crate::source_fs::{FileSource, ListError, ListedFile, ReadError};
use crate::yaml::{self, Node, Seg, Value};

/// The manifest's file name at the repository root.
pub const MANIFEST: &str = "isms.yaml";

/// Files larger than this are not read unless `lint.max-file-size` says so.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 << 20;

/// The most a repository's own `lint.max-file-size` can ask for. The
/// repository may come from someone untrusted: only the command line
/// (`--max-file-size`) reads larger files.
pub const MAX_FILE_SIZE_CEILING: u64 = 64 << 20;

#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// A manifest to use instead of the repository's `isms.yaml`.
    pub config: Option<PathBuf>,
    /// The largest file read, from the command line: overrides
    /// `lint.max-file-size`, and is not held to [`MAX_FILE_SIZE_CEILING`].
    pub max_file_size: Option<u64>,
}

/// A size as people write it: `1048576`, `512 KiB`, `16MiB`, `1 GiB` (also
/// `K`, `M`, `G`, `KB`, `MB`, `GB`, all powers of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => {
            return Err(format!(
                "`{text}` is not a size: write it like `16MiB`, `512KiB` or `1048576`"
            ))
        }
    };
    let n: u64 = digits.parse().map_err(|_| {
        format!("`{text}` is not a size: write it like `16MiB`, `512KiB` or `1048576`")
    })?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large a size"))
}

/// Why a repository could not be checked at all: no manifest, or one that
/// cannot be read. Displayed as one line, with the place when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The source has no `isms.yaml` and no other manifest was given.
    NoManifest { source: String },
    /// The manifest's bytes could not be had.
    ManifestUnreadable { path: String, error: ReadError },
    /// The manifest is binary or UTF-16, not UTF-8 text.
    ManifestNotText { path: String, why: &'static str },
    /// The manifest is not valid UTF-8.
    ManifestNotUtf8 {
        path: String,
        line: usize,
        column: usize,
    },
    /// The manifest's YAML cannot be parsed.
    ManifestSyntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The manifest is not a mapping.
    ManifestNotMapping { path: String },
    /// The source could not list its files.
    CannotList { source: String, error: ListError },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::NoManifest { source } => write!(
                f,
                "no {MANIFEST} in {source}: this is not an ISMS repository (run `isms-lint init` to start one, or pass --config FILE)"
            ),
            LoadError::ManifestUnreadable { path, error } => {
                write!(f, "could not read the manifest {path}: {error}")
            }
            LoadError::ManifestNotText { path, why } => {
                write!(f, "{path}: the manifest cannot be read: {why}")
            }
            LoadError::ManifestNotUtf8 { path, line, column } => write!(
                f,
                "{path}:{line}:{column}: the manifest is not valid UTF-8; save it as UTF-8"
            ),
            LoadError::ManifestSyntax {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "{path}:{line}:{column}: the manifest cannot be read: {message}"
            ),
            LoadError::ManifestNotMapping { path } => write!(
                f,
                "{path}: the manifest must be a mapping of keys, such as `organisation:` and `certification:` (see `isms-lint init`)"
            ),
            LoadError::CannotList { source, error } => {
                write!(f, "could not list the files of {source}: {error}")
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// Read a repository.
pub fn load(source: &dyn FileSource, opts: &LoadOptions) -> Result<Repository, LoadError> {
    let mut problems = Vec::new();
    // Listing the files and compiling the schemas both come first and
    // depend on nothing: do them side by side.
    let (listed, _) = rayon::join(|| source.list(), schema::validators);
    let (manifest_file, manifest_node, manifest, manifest_in_repo) =
        load_manifest(source, opts, &mut problems)?;

    let listed = listed.map_err(|error| LoadError::CannotList {
        source: source.describe(),
        error,
    })?;
    let paths: HashSet<String> = listed.iter().map(|f| f.path.clone()).collect();
    let exclude = exclude_set(&manifest_node, &manifest, &mut problems);
    let max_size = file_size_limit(&manifest_node, opts, &mut problems);
    let waivers_path = waivers_path(&manifest_node, &manifest, &mut problems);

    let candidates: Vec<&ListedFile> = listed
        .iter()
        // A directory that could not be read is reported, whatever its name.
        .filter(|f| is_candidate(&f.path) || matches!(f.problem, Some(ReadError::Directory(_))))
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
        problems.extend(out.problems);
    }
    let waivers_file = waivers_path.and_then(|path| {
        let id = FileId(files.len() as u32);
        let named_at = manifest_node.locate(["waivers-file"]);
        let (file, node) = load_waivers_file(source, &path, id, named_at, max_size, &mut problems)?;
        files.push(file);
        node.map(|n| (id, n))
    });

    let mut refused = Vec::new();
    let settings = crate::config::rule_settings(&manifest_node, &mut refused);
    problems.extend(
        refused.into_iter().map(|(rule, span)| {
            Problem::new(FileId(0), span, ProblemKind::IntegrityRuleOff { rule })
        }),
    );
    if !manifest.standards.is_empty() && !manifest.standards.iter().any(|s| s.is_checked()) {
        problems.push(Problem::new(
            FileId(0),
            manifest_node.locate(["standards"]),
            ProblemKind::NoCheckedStandard,
        ));
    }

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
        settings,
        problems,
    })
}

fn load_manifest(
    source: &dyn FileSource,
    opts: &LoadOptions,
    problems: &mut Vec<Problem>,
) -> Result<(Arc<SourceFile>, Node, Manifest, bool), LoadError> {
    let (path, bytes, in_repo) = match &opts.config {
        Some(p) => {
            let bytes = std::fs::read(p).map_err(|e| LoadError::ManifestUnreadable {
                path: p.display().to_string(),
                error: match e.kind() {
                    std::io::ErrorKind::NotFound => ReadError::NotFound,
                    _ => ReadError::Io(e.to_string()),
                },
            })?;
            (p.display().to_string(), bytes, false)
        }
        None => match source.read(MANIFEST, DEFAULT_MAX_FILE_SIZE) {
            Ok(b) => (MANIFEST.to_owned(), b, true),
            Err(ReadError::NotFound) => {
                return Err(LoadError::NoManifest {
                    source: source.describe(),
                })
            }
            Err(e) => {
                return Err(LoadError::ManifestUnreadable {
                    path: MANIFEST.to_owned(),
                    error: e,
                })
            }
        },
    };
    if let Some(why) = unreadable_file::not_text(&bytes) {
        return Err(LoadError::ManifestNotText {
            path,
            why: why.describe(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let (f, at) = unreadable_file::lossy(&path, &e);
        let at = f.line_col(at);
        LoadError::ManifestNotUtf8 {
            path: path.clone(),
            line: at.line,
            column: at.column,
        }
    })?;
    let file = Arc::new(SourceFile::new(path.clone(), text));
    let manifest_id = FileId(0);
    let text = file.text.clone();
    let parsed = yaml::parse(&file, &text, 1);
    if parsed.fatal {
        let e = &parsed.errors[parsed.errors.len() - 1];
        let at = file.line_col(e.span.start);
        return Err(LoadError::ManifestSyntax {
            path,
            line: at.line,
            column: at.column,
            message: e.message.clone(),
        });
    }
    for e in capped(parsed.errors, false) {
        problems.push(Problem::new(
            manifest_id,
            e.span,
            ProblemKind::Yaml(Box::new(e)),
        ));
    }
    let Some(doc) = parsed
        .documents
        .into_iter()
        .next()
        .filter(|d| d.as_map().is_some())
    else {
        return Err(LoadError::ManifestNotMapping { path });
    };
    let errors = schema::validate(Target::Manifest, &doc);
    let mut typed = pruned(&doc, &errors, 0);
    // A size beyond what a number holds is reported by `file_size_limit`;
    // it must not make the whole manifest unreadable.
    if written_size(&typed).is_some_and(|n| n > u128::from(u64::MAX)) {
        remove_path(&mut typed, &["lint".to_owned(), "max-file-size".to_owned()]);
    }
    let manifest = match crate::de::from_node::<Manifest>(&typed) {
        Ok(m) => m,
        Err(e) => {
            // Never silently: every setting of the manifest is dropped.
            problems.push(schema_problem(
                manifest_id,
                SchemaError {
                    rule: crate::rules::RuleId::SchemaViolation,
                    message: format!(
                        "the manifest cannot be read ({}): none of its settings are applied",
                        e.message
                    ),
                    span: e.span.unwrap_or(doc.span),
                    path: Vec::new(),
                    prune: false,
                },
                None,
                0,
            ));
            Manifest::default()
        }
    };
    problems.extend(
        errors
            .into_iter()
            .map(|e| schema_problem(manifest_id, e, None, 0)),
    );
    Ok((file, doc, manifest, in_repo))
}

/// The number written as `lint.max-file-size`, if a whole number is
/// (however large: YAML has no limit, a `u64` has).
fn written_size(manifest: &Node) -> Option<u128> {
    let text = manifest.at(["lint", "max-file-size"])?.as_text()?.trim();
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<u128>().unwrap_or(u128::MAX))
}

/// The largest file read: `--max-file-size` if given; else the manifest's
/// `lint.max-file-size` (16 MiB by default), held to
/// [`MAX_FILE_SIZE_CEILING`], with a finding when it asks for more.
fn file_size_limit(node: &Node, opts: &LoadOptions, problems: &mut Vec<Problem>) -> u64 {
    if let Some(limit) = opts.max_file_size {
        return limit;
    }
    let Some(written) = written_size(node) else {
        return DEFAULT_MAX_FILE_SIZE; // absent, or not a number: the schema says so
    };
    if written <= u128::from(MAX_FILE_SIZE_CEILING) {
        return written as u64;
    }
    let shown = u64::try_from(written)
        .map(crate::source_fs::human_size)
        .unwrap_or_else(|_| "more than a number holds".to_owned());
    problems.push(schema_problem(
        FileId(0),
        SchemaError {
            rule: crate::rules::RuleId::SchemaViolation,
            message: format!(
                "`lint.max-file-size` asks for {shown}, above the ceiling of {} that a repository can set: files are read up to {} (only `--max-file-size` on the command line reads larger files)",
                crate::source_fs::human_size(MAX_FILE_SIZE_CEILING),
                crate::source_fs::human_size(MAX_FILE_SIZE_CEILING),
            ),
            span: node.locate(["lint", "max-file-size"]),
            path: vec!["lint".to_owned(), "max-file-size".to_owned()],
            prune: false,
        },
        None,
        0,
    ));
    MAX_FILE_SIZE_CEILING
}

/// A schema error as a problem of the record it is in: its key is its path
/// below the record's first `depth` segments.
fn schema_problem(file: FileId, error: SchemaError, record: Option<&str>, depth: usize) -> Problem {
    let key = error.path[depth.min(error.path.len())..].join("/");
    Problem::new(
        file,
        error.span,
        ProblemKind::Schema {
            record: record.map(str::to_owned),
            key,
            error: Box::new(error),
        },
    )
}

/// The manifest's `waivers-file`, if it names a place inside the repository.
fn waivers_path(node: &Node, manifest: &Manifest, problems: &mut Vec<Problem>) -> Option<String> {
    let written = manifest.waivers_file.as_deref()?.trim();
    let path = written.trim_start_matches("./");
    let outside = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.split('/').any(|c| c == "..");
    if outside {
        problems.push(Problem::new(
            FileId(0),
            node.locate(["waivers-file"]),
            ProblemKind::WaiversFileOutside {
                written: written.to_owned(),
            },
        ));
        return None;
    }
    Some(path.to_owned())
}

/// Read the file of waivers: its problems are located in it. `None` when
/// it cannot be read at all; the node is `None` when it is not YAML.
fn load_waivers_file(
    source: &dyn FileSource,
    path: &str,
    id: FileId,
    named_at: Span,
    max_size: u64,
    problems: &mut Vec<Problem>,
) -> Option<(Arc<SourceFile>, Option<Node>)> {
    // Problems reaching the file are reported where the manifest names it.
    let bytes = match source.read(path, max_size) {
        Ok(b) => b,
        Err(ReadError::NotFound) => {
            problems.push(Problem::new(
                FileId(0),
                named_at,
                ProblemKind::WaiversFileMissing {
                    path: path.to_owned(),
                },
            ));
            return None;
        }
        Err(error) => {
            problems.push(Problem::new(
                FileId(0),
                named_at,
                ProblemKind::WaiversFileUnreadable {
                    path: path.to_owned(),
                    error,
                },
            ));
            return None;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (file, at) = unreadable_file::lossy(path, &e);
            problems.push(Problem::new(
                id,
                Span::new(at, at + 1),
                ProblemKind::WaiversFileInvalidUtf8,
            ));
            return Some((Arc::new(file), None));
        }
    };
    let file = Arc::new(SourceFile::new(path, text));
    let text = file.text.clone();
    let parsed = yaml::parse(&file, &text, 1);
    let fatal = parsed.fatal;
    for e in capped(parsed.errors, fatal) {
        problems.push(Problem::new(id, e.span, ProblemKind::Yaml(Box::new(e))));
    }
    if fatal {
        return Some((file, None));
    }
    let Some(doc) = parsed.documents.into_iter().next().filter(|d| !d.is_null()) else {
        return Some((file, None)); // an empty file waives nothing, harmlessly
    };
    if doc.as_map().is_none() {
        problems.push(Problem::new(
            id,
            doc.span,
            ProblemKind::WaiversFileNotMapping,
        ));
        return Some((file, None));
    }
    let errors = schema::validate(Target::Waivers, &doc);
    problems.extend(errors.into_iter().map(|e| schema_problem(id, e, None, 0)));
    Some((file, Some(doc)))
}

fn exclude_set(node: &Node, manifest: &Manifest, problems: &mut Vec<Problem>) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for (i, pattern) in manifest.lint.exclude.iter().enumerate() {
        match Glob::new(pattern) {
            Ok(g) => {
                b.add(g);
            }
            Err(e) => problems.push(Problem::new(
                FileId(0),
                node.locate([Seg::Key("lint"), Seg::Key("exclude"), Seg::Index(i)]),
                ProblemKind::InvalidExclude {
                    pattern: pattern.clone(),
                    error: e.kind().to_string(),
                },
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

/// At most [`schema::messages::MAX_ERRORS`] YAML errors of a file (say, a
/// million duplicate keys), and the error that stopped the parser if one
/// did (the last); the rest counted in one error, where the first of
/// them is.
fn capped(mut errors: Vec<yaml::YamlError>, fatal: bool) -> Vec<yaml::YamlError> {
    let max = schema::messages::MAX_ERRORS;
    let kept = usize::from(fatal);
    if errors.len() > max + kept {
        let last = errors.split_off(errors.len() - kept);
        let more = errors.len() - max;
        let span = errors[max].span;
        errors.truncate(max);
        errors.push(yaml::YamlError {
            span,
            message: format!(
                "{more} more YAML {} in this file {} not listed: at most {max} are reported per file; fix these and check again",
                if more == 1 { "problem" } else { "problems" },
                if more == 1 { "is" } else { "are" }
            ),
            related: None,
        });
        errors.extend(last);
    }
    errors
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
    problems: Vec<Problem>,
}

impl FileOutput {
    fn problem(&mut self, id: FileId, span: Span, what: ProblemKind) {
        self.problems.push(Problem::new(id, span, what));
    }
}

fn process_file(id: FileId, lf: &ListedFile, cx: &FileContext<'_>) -> FileOutput {
    let mut out = FileOutput {
        file: Arc::new(SourceFile::new(lf.path.clone(), "")),
        records: Vec::new(),
        problems: Vec::new(),
    };
    let bytes = match &lf.problem {
        Some(p) => Err(p.clone()),
        None => cx.source.read(&lf.path, cx.max_size),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            out.problem(id, Span::at(0), ProblemKind::Read(e));
            return out;
        }
    };
    if let Some(why) = unreadable_file::not_text(&bytes) {
        out.problem(id, Span::at(0), why);
        return out;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (file, at) = unreadable_file::lossy(&lf.path, &e);
            let byte = e.as_bytes()[e.utf8_error().valid_up_to()];
            // Underline the replacement character, all of it.
            let end = at + file.text[at..].chars().next().map_or(0, char::len_utf8);
            out.problem(id, Span::new(at, end), ProblemKind::InvalidUtf8 { byte });
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
                    out.problem(id, opening, ProblemKind::UnclosedFrontMatter);
                }
                return out;
            }
            FrontMatter::None => {
                if in_place {
                    out.problem(id, Span::at(0), ProblemKind::NoFrontMatter);
                }
                return out;
            }
        }
    } else {
        (Span::new(0, text.len()), 1, None)
    };

    let parsed = yaml::parse(&file, &text[yaml_span.start..yaml_span.end], first_line);
    let fatal = parsed.fatal;
    for e in capped(parsed.errors, fatal) {
        out.problem(id, e.span, ProblemKind::Yaml(Box::new(e)));
    }
    if fatal {
        return out;
    }
    let body = body_start.map(|start| Arc::new(markdown::body(&file, start)));
    let documents: Vec<Node> = parsed
        .documents
        .into_iter()
        .filter(|d| !d.is_null())
        .collect();
    if documents.is_empty() && in_place {
        out.problem(
            id,
            Span::at(yaml_span.start),
            ProblemKind::NoRecord {
                front_matter: body_start.is_some(),
                empty: yaml_span.is_empty(),
            },
        );
    }
    for doc in documents {
        process_document(id, doc, in_place, body.clone(), &mut out);
    }
    out
}

fn process_document(
    id: FileId,
    doc: Node,
    in_place: bool,
    body: Option<Arc<markdown::Body>>,
    out: &mut FileOutput,
) {
    let kind = match unknown_kind::kind_of(&doc) {
        Ok(kind) => kind,
        Err((span, problem)) => {
            // Outside the places that hold records, a document without a
            // kind is simply not a record; a kind written wrong is a
            // mistake wherever it is.
            let explicit = matches!(
                problem,
                ProblemKind::KindNotText { .. } | ProblemKind::KindUnknown { .. }
            );
            if in_place || explicit {
                out.problem(id, span, problem);
            }
            return;
        }
    };

    let errors = schema::validate(Target::Kind(kind), &doc);
    // The records take the document's nodes over: a large register is not
    // copied.
    match take_entries(doc) {
        Ok(entries) => {
            let mut by_entry: HashMap<usize, Vec<SchemaError>> = HashMap::new();
            for e in errors {
                match entry_index(&e.path) {
                    Some(i) if i < entries.len() => by_entry.entry(i).or_default().push(e),
                    // About the register itself: its keys, or `entries` as a whole.
                    _ => out.problems.push(schema_problem(id, e, None, 0)),
                }
            }
            for (i, entry) in entries.into_iter().enumerate() {
                let mine = by_entry.remove(&i).unwrap_or_default();
                if entry.as_map().is_none() {
                    // Reported by the schema: an entry that is not a record.
                    out.problems
                        .extend(mine.into_iter().map(|e| schema_problem(id, e, None, 2)));
                    continue;
                }
                let record = make_record(id, kind, entry, mine, 2, body.clone(), &mut out.problems);
                out.records.push(record);
            }
        }
        Err(doc) => {
            let record = make_record(id, kind, doc, errors, 0, body, &mut out.problems);
            out.records.push(record);
        }
    }
}

/// The entry a schema error is about, for an error under `entries/<i>`.
fn entry_index(path: &[String]) -> Option<usize> {
    match path {
        [first, i, ..] if first == "entries" => i.parse().ok(),
        _ => None,
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

/// A record, with the schema's errors about it as problems. `depth` is the
/// number of path segments above the record (2 for `entries/<i>`).
fn make_record(
    file: FileId,
    kind: Kind,
    node: Node,
    errors: Vec<SchemaError>,
    depth: usize,
    body: Option<Arc<markdown::Body>>,
    problems: &mut Vec<Problem>,
) -> Record {
    let id = node.get("id").and_then(Node::as_text).map(str::to_owned);
    let unreadable = errors
        .iter()
        .filter(|e| e.path.len() > depth)
        .map(|e| e.path[depth..].join("/"))
        .collect();
    // Copy the record only when values must be left out of it.
    let read = if errors.iter().any(|e| e.prune && e.path.len() > depth) {
        RecordData::from_node(kind, &pruned(&node, &errors, depth))
    } else {
        RecordData::from_node(kind, &node)
    };
    let data = match read {
        Ok(d) => Some(d),
        Err(e) => {
            // The schema normally explains why; if it had nothing to say,
            // say what the reader found, so no record is dropped in silence.
            if errors.is_empty() {
                problems.push(Problem::new(
                    file,
                    e.span.unwrap_or(node.span),
                    ProblemKind::RecordUnreadable {
                        kind,
                        record: id.clone(),
                        message: e.message,
                    },
                ));
            }
            None
        }
    };
    // Each problem names its record and its path inside the record, so its
    // fingerprint survives entries being added or reordered in a register.
    problems.extend(
        errors
            .into_iter()
            .map(|e| schema_problem(file, e, id.as_deref(), depth)),
    );
    Record {
        kind,
        id,
        file,
        node,
        data,
        body,
        unreadable,
    }
}

/// A copy of `node` without the values the schema rejected, so the typed
/// record treats them as absent instead of failing as a whole. `depth` is the
/// number of path segments above the record (2 for `entries/<i>`).
fn pruned(node: &Node, errors: &[SchemaError], depth: usize) -> Node {
    let mut node = node.clone();
    for e in errors {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::MemorySource;

    fn source(files: &[(&str, &str)]) -> MemorySource {
        let mut s = MemorySource::new();
        s.insert(MANIFEST, "organisation:\n  name: T\n");
        for (path, text) in files {
            s.insert(*path, *text);
        }
        s
    }

    fn loaded(files: &[(&str, &str)]) -> Repository {
        load(&source(files), &LoadOptions::default()).expect("the manifest loads")
    }

    /// Each problem as `path:rule:variant`.
    fn problems(repo: &Repository) -> Vec<String> {
        let mut out: Vec<String> = repo
            .problems
            .iter()
            .map(|p| {
                let what = format!("{:?}", p.what);
                let variant = what.split([' ', '(', '{']).next().unwrap_or("").to_owned();
                format!("{}:{}:{variant}", repo.path(p.file), p.rule())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_register_becomes_one_record_per_entry_and_errors_go_to_their_entry() {
        let repo = loaded(&[(
            "actions/log.yaml",
            "kind: corrective-action\nentries:\n  - id: CA-1\n    title: a\n    status: open\n  - id: CA-2\n    title: b\n    status: done\n    due: 2025-01-31\n",
        )]);
        let ids: Vec<_> = repo.records.iter().map(|r| r.id.as_deref()).collect();
        assert_eq!(ids, [Some("CA-1"), Some("CA-2")]);
        let [p] = &repo.problems[..] else {
            panic!("{:?}", repo.problems)
        };
        let ProblemKind::Schema { record, key, .. } = &p.what else {
            panic!("{p:?}")
        };
        assert_eq!((record.as_deref(), key.as_str()), (Some("CA-2"), "status"));
        // CA-2's status is rejected: the record is still read, without it.
        assert!(repo.records[0].data.is_some());
        assert!(
            repo.records[1].data.is_none(),
            "status is required, so CA-2 cannot be typed"
        );
    }

    #[test]
    fn a_rejected_optional_value_is_left_out_not_the_record() {
        let repo = loaded(&[(
            "risks/r.yaml",
            "kind: risk\nid: R-1\ntitle: t\nreviewed: 2025-02-30\nowner: Ann\n",
        )]);
        assert_eq!(problems(&repo), ["risks/r.yaml:invalid-date:Schema"]);
        let Some(RecordData::Risk(risk)) = &repo.records[0].data else {
            panic!("the risk is read")
        };
        assert_eq!(risk.reviewed, None);
        assert_eq!(risk.owner.as_deref(), Some("Ann"));
    }

    #[test]
    fn every_problem_of_reading_is_detected_and_the_rest_is_read() {
        let repo = loaded(&[
            ("risks/binary.yaml", "kind: risk\0"),
            ("risks/broken.yaml", "kind: risk\nid: [\n"),
            ("risks/no-kind.yaml", "id: R-9\n"),
            ("risks/typo.yaml", "kind: rsk\nid: R-8\n"),
            ("risks/list.yaml", "- a\n- b\n"),
            ("risks/empty.yaml", ""),
            ("policies/plain.md", "# A policy without front matter\n"),
            ("policies/open.md", "---\nkind: policy\n"),
            ("notes/readme.md", "# Not a record, not in a record place\n"),
            ("notes/other.yaml", "anything: here\n"),
            ("risks/ok.yaml", "kind: risk\nid: R-1\ntitle: t\n"),
        ]);
        assert_eq!(
            problems(&repo),
            [
                "policies/open.md:parse-error:UnclosedFrontMatter",
                "policies/plain.md:unknown-kind:NoFrontMatter",
                "risks/binary.yaml:unreadable-file:Binary",
                "risks/broken.yaml:parse-error:Yaml",
                "risks/empty.yaml:unknown-kind:NoRecord",
                "risks/list.yaml:schema-violation:RecordNotMapping",
                "risks/no-kind.yaml:unknown-kind:KindMissing",
                "risks/typo.yaml:unknown-kind:KindUnknown",
            ]
        );
        let ids: Vec<_> = repo
            .records
            .iter()
            .filter_map(|r| r.id.as_deref())
            .collect();
        assert_eq!(ids, ["R-1"]);
    }

    #[test]
    fn a_wrong_kind_is_reported_outside_the_record_places_too() {
        let repo = loaded(&[
            ("elsewhere/a.yaml", "kind: adit\nid: A\n"),
            ("elsewhere/b.yaml", "id: B\n"),
        ]);
        assert_eq!(
            problems(&repo),
            ["elsewhere/a.yaml:unknown-kind:KindUnknown"]
        );
    }

    #[test]
    fn hidden_directories_the_manifest_and_other_files_are_not_candidates() {
        assert!(is_candidate("risks/a.yaml"));
        assert!(is_candidate("Policies/A.MD"));
        assert!(is_candidate("x.yml"));
        assert!(!is_candidate(".github/workflows/ci.yml"));
        assert!(!is_candidate("risks/.draft/a.yaml"));
        assert!(!is_candidate("evidence/report.pdf"));
    }

    #[test]
    fn excluded_paths_are_not_read_and_a_bad_pattern_is_a_problem() {
        let mut s = source(&[("drafts/r.yaml", "kind: rsk\n")]);
        s.insert(
            MANIFEST,
            "organisation:\n  name: T\nlint:\n  exclude: [\"drafts/**\", \"[\"]\n",
        );
        let repo = load(&s, &LoadOptions::default()).unwrap();
        assert_eq!(
            problems(&repo),
            ["isms.yaml:schema-violation:InvalidExclude"]
        );
        assert!(repo.records.is_empty());
    }

    #[test]
    fn a_waivers_file_outside_the_repository_is_not_read() {
        for written in ["../w.yaml", "/etc/w.yaml", "a/../../w.yaml", "a\\w.yaml"] {
            let mut s = source(&[]);
            s.insert(
                MANIFEST,
                format!("organisation:\n  name: T\nwaivers-file: '{written}'\n"),
            );
            let repo = load(&s, &LoadOptions::default()).unwrap();
            assert_eq!(
                problems(&repo),
                ["isms.yaml:schema-violation:WaiversFileOutside"],
                "{written}"
            );
            assert!(repo.waivers_file.is_none());
        }
    }

    #[test]
    fn ids_index_records_and_audit_findings() {
        let repo = loaded(&[(
            "audits/a.yaml",
            "kind: audit\nid: IA-1\ntitle: t\ntype: internal\nstatus: completed\ncompleted: 2025-01-10\nfindings:\n  - id: IA-1-F1\n    type: observation\n    description: d\n",
        )]);
        assert_eq!(repo.lookup("IA-1"), [IdTarget::Record(0)]);
        assert_eq!(
            repo.lookup("IA-1-F1"),
            [IdTarget::AuditFinding {
                record: 0,
                index: 0
            }]
        );
        assert!(repo.lookup("IA-2").is_empty());
    }

    #[test]
    fn the_manifest_decides_whether_there_is_a_repository_at_all() {
        let mut s = MemorySource::new();
        assert!(matches!(
            load(&s, &LoadOptions::default()),
            Err(LoadError::NoManifest { .. })
        ));
        s.insert(MANIFEST, "- a list\n");
        assert!(matches!(
            load(&s, &LoadOptions::default()),
            Err(LoadError::ManifestNotMapping { .. })
        ));
        s.insert(MANIFEST, "organisation: [\n");
        let e = load(&s, &LoadOptions::default()).unwrap_err();
        assert!(matches!(e, LoadError::ManifestSyntax { .. }), "{e:?}");
        s.insert(MANIFEST, b"\xFF\xFEo\0r\0".to_vec());
        assert!(matches!(
            load(&s, &LoadOptions::default()),
            Err(LoadError::ManifestNotText { .. })
        ));
        s.insert(MANIFEST, b"organisation:\n  name: Caf\xE9\n".to_vec());
        let e = load(&s, &LoadOptions::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "isms.yaml:2:12: the manifest is not valid UTF-8; save it as UTF-8"
        );
    }
}

//! What the loader found wrong while reading the repository, before any rule
//! runs: files it could not read, YAML it could not parse, records of no
//! known kind, values their schema rejects.
//!
//! The loader only detects; each problem belongs to one integrity rule
//! ([`Problem::rule`]), whose file words the finding. So the integrity rules
//! keep their logic in their own files, like every other rule, and their
//! findings go through the same settings as every other rule's.

use crate::model::Kind;
use crate::rules::RuleId;
use crate::schema::SchemaError;
use crate::source::{FileId, Span};
use crate::source_fs::ReadError;
use crate::yaml::YamlError;

/// One problem, at one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub file: FileId,
    pub span: Span,
    pub what: ProblemKind,
}

/// The kinds of problem, by the rule that reports them.
#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    // unreadable-file
    /// The source could not give the file's bytes.
    Read(ReadError),
    /// The file starts with a UTF-16 byte order mark.
    Utf16,
    /// The file holds NUL bytes: it is binary.
    Binary,
    /// The file is not valid UTF-8; `byte` is the first invalid one.
    InvalidUtf8 { byte: u8 },
    /// The waivers file named by the manifest cannot be read.
    WaiversFileUnreadable { path: String, error: ReadError },
    /// The waivers file is not valid UTF-8.
    WaiversFileInvalidUtf8,

    // parse-error
    /// The YAML could not be parsed, or has a duplicate key.
    Yaml(Box<YamlError>),
    /// Markdown front matter opened with `---` and never closed.
    UnclosedFrontMatter,

    // unknown-kind
    /// A Markdown file in a place that holds records, with no front matter.
    NoFrontMatter,
    /// A file in a place that holds records, with no record in it.
    NoRecord { front_matter: bool, empty: bool },
    /// A record without a `kind` key.
    KindMissing,
    /// A `kind` that is not text.
    KindNotText { found: &'static str },
    /// A `kind` that names no kind of record.
    KindUnknown { written: String },

    // schema-violation and invalid-date
    /// A value the schema rejects, with the record it is in and its path
    /// inside that record.
    Schema {
        error: Box<SchemaError>,
        record: Option<String>,
        key: String,
    },
    /// A document in a place that holds records that is not a mapping.
    RecordNotMapping,
    /// A waivers file that is not a mapping with a `waivers:` list.
    WaiversFileNotMapping,
    /// A record the schema accepts but that could not be read as its kind.
    RecordUnreadable {
        kind: Kind,
        record: Option<String>,
        message: String,
    },
    /// `waivers-file` names a place outside the repository.
    WaiversFileOutside { written: String },
    /// `lint.rules` turns off an integrity rule, which cannot be.
    IntegrityRuleOff { rule: RuleId },
    /// `standards` lists no standard that isms-lint has rules for.
    NoCheckedStandard,
    /// A `lint.exclude` pattern that is not a glob.
    InvalidExclude { pattern: String, error: String },

    // broken-reference
    /// The waivers file named by the manifest is not in the repository.
    WaiversFileMissing { path: String },
}

impl Problem {
    pub fn new(file: FileId, span: Span, what: ProblemKind) -> Self {
        Problem { file, span, what }
    }

    /// The rule that reports this problem.
    pub fn rule(&self) -> RuleId {
        use ProblemKind::*;
        match &self.what {
            Read(_)
            | Utf16
            | Binary
            | InvalidUtf8 { .. }
            | WaiversFileUnreadable { .. }
            | WaiversFileInvalidUtf8 => RuleId::UnreadableFile,
            Yaml(_) | UnclosedFrontMatter => RuleId::ParseError,
            NoFrontMatter
            | NoRecord { .. }
            | KindMissing
            | KindNotText { .. }
            | KindUnknown { .. } => RuleId::UnknownKind,
            Schema { error, .. } => error.rule,
            RecordNotMapping
            | WaiversFileNotMapping
            | RecordUnreadable { .. }
            | WaiversFileOutside { .. }
            | IntegrityRuleOff { .. }
            | NoCheckedStandard
            | InvalidExclude { .. } => RuleId::SchemaViolation,
            WaiversFileMissing { .. } => RuleId::BrokenReference,
        }
    }
}

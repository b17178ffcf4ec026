use crate::finding::Severity;
use crate::rules::{Category, Rule, RuleId, RuleMeta};

/// Reported by the loader: the file's bytes could not be used.
pub struct UnreadableFile;

static META: RuleMeta = RuleMeta {
    id: RuleId::UnreadableFile,
    category: Category::Integrity,
    default_severity: Severity::Error,
    standard: None,
    clause: "ISO/IEC 27001:2022 7.5.3 (control of documented information: available and suitable for use)",
    summary: "A YAML or Markdown file cannot be read as text",
    what: "A file that should be read is not valid UTF-8, is binary, is larger than \
`lint.max-file-size` (16 MiB by default), cannot be opened, or is a symbolic link \
to a place outside the repository (such links are never followed).",
    why: "Documented information must be available and suitable for use (7.5.3 a). A record \
that cannot be read is evidence no one can see — not the auditor, and not isms-lint, so \
none of its deadlines are checked either.",
    example: "```text\nrisks/legacy.yaml: the file is not valid UTF-8 (byte 0xE9 here); save it as UTF-8 — it was not read\n```",
    fix: "Save the file as UTF-8 text (most editors: *Save with encoding → UTF-8*). Replace a \
symbolic link that leaves the repository with the file itself. Split a register that has \
outgrown the size limit into several files, or raise `lint.max-file-size`.",
    options: &[],
    deadlines: false,
};

impl Rule for UnreadableFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

use crate::finding::Severity;
use crate::problem::ProblemKind;
use crate::rules::{Category, Rule, RuleContext, RuleId, RuleMeta};
use crate::source::SourceFile;

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
`lint.max-file-size` (16 MiB by default), cannot be opened, has a name that is not valid \
UTF-8, is damaged in git's object database, or is not a regular file: a symbolic link \
(never followed, wherever it leads), a named pipe, a socket or a device. A directory that \
cannot be read is reported too.",
    why: "Documented information must be available and suitable for use (7.5.3 a). A record \
that cannot be read is evidence no one can see — not the auditor, and not isms-lint, so \
none of its deadlines are checked either.",
    example: crate::rules::Example {
        files: &[
            (
                "risks/legacy-register.yaml",
                "\
# Exported from the 2023 risk spreadsheet.
kind: risk
entries:
  - id: RISK-019
    title: Café Wi-Fi used for administrator access
    owner: Head of IT
    identified: 2023-05-10
    reviewed: 2025-09-15
",
            ),
        ],
        commits: &[],
        as_of: "2025-11-03",
        fixed: &[
            (
                "risks/legacy-register.yaml",
                "\
# Exported from the 2023 risk spreadsheet.
kind: risk
entries:
  - id: RISK-019
    title: Café Wi-Fi used for administrator access
    owner: Head of IT
    identified: 2023-05-10
    reviewed: 2025-09-15
",
            ),
        ],
        fixed_commits: &[],
        latin1: &["risks/legacy-register.yaml"],
    },
    fix: "Save the file as UTF-8 text (most editors: *Save with encoding → UTF-8*). Replace a \
symbolic link with the file itself. Split a register that has \
outgrown the size limit into several files, or raise `lint.max-file-size`.",
    options: &[],
    deadlines: false,
};

impl Rule for UnreadableFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &mut RuleContext<'_>) {
        for p in cx.problems() {
            let message = match &p.what {
                ProblemKind::Read(e) => e.to_string(),
                ProblemKind::Utf16 => {
                    "the file is saved as UTF-16; save it as UTF-8 — it was not read".to_owned()
                }
                ProblemKind::Binary => {
                    "this is a binary file, not YAML or Markdown text — it was not read".to_owned()
                }
                ProblemKind::InvalidUtf8 { byte } => format!(
                    "the file is not valid UTF-8 (byte 0x{byte:02X} here); save it as UTF-8 — it was not read"
                ),
                ProblemKind::WaiversFileUnreadable { path, error } => format!(
                    "the waivers file `{path}` named by `waivers-file` cannot be read: {error}"
                ),
                ProblemKind::WaiversFileInvalidUtf8 => {
                    "the file is not valid UTF-8; save it as UTF-8 — its waivers apply to nothing"
                        .to_owned()
                }
                _ => continue,
            };
            let mut f = cx.finding(p.file, p.span).message(message);
            if matches!(p.what, ProblemKind::WaiversFileUnreadable { .. }) {
                f = f.key("waivers-file");
            }
            cx.emit(f);
        }
    }
}

/// Why bytes are not a text file that can be read, if they are not.
pub(crate) fn not_text(bytes: &[u8]) -> Option<ProblemKind> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Some(ProblemKind::Utf16);
    }
    let sniff = &bytes[..bytes.len().min(8192)];
    sniff.contains(&0).then_some(ProblemKind::Binary)
}

impl ProblemKind {
    /// Why a file is not text, in words, for a problem of [`not_text`].
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            ProblemKind::Utf16 => "the file is saved as UTF-16; save it as UTF-8",
            _ => "this is a binary file, not YAML or Markdown text",
        }
    }
}

/// The file's text with the invalid bytes replaced, for showing it, and the
/// offset of the first invalid byte in that text.
pub(crate) fn lossy(path: &str, e: &std::string::FromUtf8Error) -> (SourceFile, usize) {
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

#[cfg(test)]
mod tests {
    use crate::testing::TestRepo;

    const RULE: &str = "unreadable-file";
    const DAY: &str = "2025-06-01";

    /// A manifest that reads files of at most 60 bytes, and its waivers from
    /// `waivers.yaml`.
    const SMALL: &str =
        "organisation:\n  name: T\nwaivers-file: waivers.yaml\nlint:\n  max-file-size: 60\n";

    #[test]
    fn a_readable_file_is_clean() {
        let r = TestRepo::new().file("risks/r.yaml", "kind: risk\nid: R-1\ntitle: Café Wi-Fi\n");
        assert!(r.check_rule(RULE, DAY).is_empty());
    }

    #[test]
    fn a_file_that_is_not_utf8_at_its_first_invalid_byte() {
        let r = TestRepo::new().bytes(
            "risks/r.yaml",
            b"kind: risk\nid: R-1\ntitle: Caf\xe9 Wi-Fi\n",
        );
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["risks/r.yaml:3:11: error[unreadable-file] the file is not valid UTF-8 (byte 0xE9 here); save it as UTF-8 — it was not read"]
        );
    }

    #[test]
    fn a_file_saved_as_utf16() {
        let r = TestRepo::new().bytes("risks/r.yaml", b"\xff\xfek\0i\0n\0d\0");
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["risks/r.yaml:1:1: error[unreadable-file] the file is saved as UTF-16; save it as UTF-8 — it was not read"]
        );
    }

    #[test]
    fn a_binary_file() {
        let r = TestRepo::new().bytes("policies/logo.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["policies/logo.md:1:1: error[unreadable-file] this is a binary file, not YAML or Markdown text — it was not read"]
        );
    }

    #[test]
    fn a_file_the_source_cannot_give() {
        let r = TestRepo::new()
            .manifest("organisation:\n  name: T\nlint:\n  max-file-size: 60\n")
            .file(
                "risks/r.yaml",
                &format!("kind: risk\nid: R-1\ntitle: {}\n", "x".repeat(60)),
            );
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["risks/r.yaml:1:1: error[unreadable-file] the file is 87 bytes, larger than the limit of 60 bytes (`lint.max-file-size`, or `--max-file-size` on the command line); it was not read"]
        );
    }

    #[test]
    fn a_waivers_file_that_cannot_be_read_is_reported_where_it_is_named() {
        let r = TestRepo::new().manifest(SMALL).file(
            "waivers.yaml",
            &format!("waivers: []\n# {}\n", "x".repeat(60)),
        );
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["isms.yaml:3:15: error[unreadable-file] the waivers file `waivers.yaml` named by `waivers-file` cannot be read: the file is 75 bytes, larger than the limit of 60 bytes (`lint.max-file-size`, or `--max-file-size` on the command line); it was not read"]
        );
        // It is about the manifest's `waivers-file`, whatever line that is on.
        let report = r.report(DAY);
        let f = report.findings.iter().find(|f| f.rule == RULE).unwrap();
        assert_eq!(f.key.as_deref(), Some("waivers-file"));
    }

    #[test]
    fn a_waivers_file_that_is_not_utf8() {
        let r = TestRepo::new()
            .manifest(SMALL)
            .bytes("waivers.yaml", b"waivers:\n  - reason: Caf\xe9\n");
        assert_eq!(
            r.check_rule(RULE, DAY),
            ["waivers.yaml:2:16: error[unreadable-file] the file is not valid UTF-8; save it as UTF-8 — its waivers apply to nothing"]
        );
        let report = r.report(DAY);
        let f = report.findings.iter().find(|f| f.rule == RULE).unwrap();
        assert_eq!(f.key, None);
    }

    #[test]
    fn configuration() {
        let r = |level: &str| {
            TestRepo::new()
                .manifest(&format!(
                    "organisation:\n  name: T\nlint:\n  rules:\n    unreadable-file: {level}\n"
                ))
                .bytes("risks/r.yaml", b"\xff\xfek\0")
                .check_rule(RULE, DAY)
        };
        assert!(r("warning")[0].contains("warning[unreadable-file]"));
        // Turning it off is refused: the file is still reported.
        assert_eq!(r("off").len(), 1);
    }
}

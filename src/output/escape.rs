//! Escaping user data for where it is shown: a terminal or log, a GitHub
//! workflow command, a Markdown job summary, XML.
//!
//! The repository being checked may come from someone the organisation does
//! not trust, and its values, file names and messages built from them end up
//! in terminals, CI logs and rendered Markdown. Every renderer passes them
//! through here, whatever the colour setting:
//!
//! - [`terminal`]: C0 controls (all but TAB), DEL, C1 controls (NEL
//!   included), the line and paragraph separators U+2028 and U+2029, and the
//!   bidirectional overrides and isolates (which reorder what is shown)
//!   become visible escapes such as `\u{1b}`. Nothing else changes.
//! - [`workflow_data`] and [`workflow_property`]: [`terminal`], then GitHub's
//!   workflow-command encoding (`%`, CR and LF; in a property also `:` and
//!   `,`).
//! - [`markdown`] and [`markdown_code`]: [`terminal`], then every Markdown
//!   punctuation character escaped (so that no link, image, HTML or table
//!   cell boundary comes from the data), and newlines as spaces.
//! - [`SourceView`]: a file's text with its controls escaped, and its
//!   offsets mapped, for the source excerpts of the human report.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use isms_core::source::SourceFile;

/// Whether `c` must not reach a terminal as it is.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{a}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}'
        | '\u{61c}')
}

/// The visible form of an unsafe character: `\u{1b}`.
fn visible(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// Text for a terminal or a log line: unsafe characters as `\u{…}`.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Lines of our own, each escaped with [`terminal`], joined by newlines.
pub fn terminal_lines<S: AsRef<str>>(lines: &[S]) -> String {
    lines
        .iter()
        .map(|l| terminal(l.as_ref()).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// GitHub's encoding of a workflow command's message.
fn encode_workflow(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The message of a workflow command, from lines of our own (message, help):
/// each line escaped for a terminal, then encoded.
pub fn workflow_data<S: AsRef<str>>(lines: &[S]) -> String {
    encode_workflow(&terminal_lines(lines))
}

/// A property value of a workflow command (`file=`, `title=`).
pub fn workflow_property(s: &str) -> String {
    encode_workflow(&terminal(s))
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Text for Markdown (a paragraph or a table cell): shown as text, never as
/// a link, an image, HTML, emphasis, a heading or a cell boundary.
///
/// Every ASCII punctuation character is backslash-escaped, as CommonMark
/// allows; `<` and `>` also, so no HTML; newlines become spaces. (A bare
/// address such as `https://…` may still be shown as a link by GitHub; it
/// is text the reader sees, never something the page fetches.)
pub fn markdown(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    let s = terminal(&s);
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text as inline code in a Markdown table cell (a file name): the fence is
/// longer than any run of backticks inside, and `|` is escaped (GitHub reads
/// `\|` inside code in a table as `|`).
pub fn markdown_code(s: &str) -> String {
    let s = terminal(&s.replace(['\n', '\r'], " ")).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    // A space on each side when the text starts or ends with a backtick.
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

/// A file's text as the human report shows it: unsafe characters escaped
/// (a lone CR also keeps its line break, so that line numbers stay the same),
/// with a map from the original byte offsets to the shown ones.
pub struct SourceView {
    pub file: Arc<SourceFile>,
    /// (original offset of an escaped character, bytes added before and by
    /// it), in order.
    shifts: Vec<(usize, usize)>,
}

impl SourceView {
    pub fn new(file: &Arc<SourceFile>) -> SourceView {
        let text = &file.text;
        let bytes = text.as_bytes();
        // What a source excerpt keeps: line ends (CRLF, or a lone CR shown
        // escaped with its line break), tabs and every safe character.
        let keep = |i: usize, c: char| match c {
            '\n' | '\t' => true,
            '\r' => bytes.get(i + 1) == Some(&b'\n'),
            c => !is_unsafe(c),
        };
        if text.char_indices().all(|(i, c)| keep(i, c)) {
            return SourceView {
                file: Arc::clone(file),
                shifts: Vec::new(),
            };
        }
        let mut out = String::with_capacity(text.len() + 64);
        let mut shifts = Vec::new();
        for (i, c) in text.char_indices() {
            if keep(i, c) {
                out.push(c);
                continue;
            }
            let before = out.len();
            visible(&mut out, c);
            if c == '\r' {
                out.push('\n');
            }
            let added = (out.len() - before) - c.len_utf8();
            let total = shifts.last().map_or(0, |&(_, t)| t) + added;
            shifts.push((i, total));
        }
        SourceView {
            file: Arc::new(SourceFile::new(file.path.clone(), out)),
            shifts,
        }
    }

    /// Where byte `offset` of the original text is in the shown one.
    pub fn offset(&self, offset: usize) -> usize {
        // Characters escaped strictly before `offset` moved it.
        let n = self.shifts.partition_point(|&(at, _)| at < offset);
        match n {
            0 => offset,
            n => offset + self.shifts[n - 1].1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}[2J\u{7}b\u{b}\u{c}\r\u{85}\u{2028}\u{2029}\u{202e}\u{9b}c\td";

    #[test]
    fn terminal_escapes_every_control() {
        assert_eq!(
            terminal(HOSTILE),
            "a\\u{1b}[2J\\u{7}b\\u{b}\\u{c}\\u{d}\\u{85}\\u{2028}\\u{2029}\\u{202e}\\u{9b}c\td"
        );
        assert_eq!(terminal("line\nnext"), "line\\u{a}next");
        assert!(matches!(terminal("plain ü"), Cow::Borrowed(_)));
    }

    #[test]
    fn workflow_commands_encode_after_escaping() {
        assert_eq!(
            workflow_data(&["50% done\r\u{1b}]0;x", "next: a, b"]),
            "50%25 done\\u{d}\\u{1b}]0;x%0Anext: a, b"
        );
        assert_eq!(workflow_property("a:b,c%\n"), "a%3Ab%2Cc%25\\u{a}");
    }

    #[test]
    fn markdown_never_renders_links_images_or_html() {
        assert_eq!(
            markdown("![x](https://e.example/t.png) <img src=x> [a](b) | *b* _c_ `d` #h\nnext"),
            "\\!\\[x\\]\\(https\\:\\/\\/e\\.example\\/t\\.png\\) \\<img src\\=x\\> \\[a\\]\\(b\\) \\| \\*b\\* \\_c\\_ \\`d\\` \\#h next"
        );
        assert_eq!(markdown("\u{1b}[31m"), "\\\\u\\{1b\\}\\[31m");
    }

    #[test]
    fn code_spans_hold_backticks_and_pipes() {
        assert_eq!(markdown_code("risks/a.yaml"), "`risks/a.yaml`");
        assert_eq!(markdown_code("a`b.yaml"), "``a`b.yaml``");
        assert_eq!(markdown_code("`x``"), "``` `x`` ```");
        assert_eq!(markdown_code("a|b"), "`a\\|b`");
    }

    #[test]
    fn a_source_view_maps_offsets_past_escaped_characters() {
        let text = "id: a\u{1b}b\nx: \u{2028}y\rz: 1\r\nw: 2\n";
        let file = Arc::new(SourceFile::new("r.yaml", text));
        let view = SourceView::new(&file);
        assert_eq!(
            &*view.file.text,
            "id: a\\u{1b}b\nx: \\u{2028}y\\u{d}\nz: 1\r\nw: 2\n"
        );
        for (original, shown) in [
            ("b\n", "b\n"),
            ("y", "y"),
            ("z: 1", "z: 1"),
            ("w: 2", "w: 2"),
        ] {
            let at = text.find(original).unwrap();
            assert_eq!(
                &view.file.text[view.offset(at)..view.offset(at) + shown.len()],
                shown
            );
            assert_eq!(
                view.file.line_col(view.offset(at)).line,
                file.line_col(at).line,
                "{original}"
            );
        }
        let plain = Arc::new(SourceFile::new("p.yaml", "a: 1\n"));
        assert!(Arc::ptr_eq(&SourceView::new(&plain).file, &plain));
    }
}

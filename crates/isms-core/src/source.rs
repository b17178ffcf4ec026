//! Source files and positions.
//!
//! Every finding points into a file the user can open. Positions are kept as byte
//! offsets (cheap to store, what the terminal renderer wants) and turned into
//! 1-based line and column numbers (columns counted in Unicode scalar values, as
//! editors count them) only when a report is written.

use std::sync::Arc;

/// A half-open byte range `start..end` inside one [`SourceFile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub const fn at(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// Index of a file in [`crate::Repository::files`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A line and column, both 1-based; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The text of one file of the repository, with a line index.
///
/// A leading UTF-8 byte order mark is removed: editors do not show it, so
/// columns on the first line must not count it.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let mut text: Arc<str> = text.into();
        if let Some(stripped) = text.strip_prefix('\u{feff}') {
            text = Arc::from(stripped);
        }
        // Lines end at LF, CRLF or a lone CR, as in YAML (and in editors), so
        // that the scanner's line numbers and ours agree.
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        line_starts.extend(
            line_breaks(bytes)
                .filter(|&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
                .map(|i| i + 1),
        );
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 1-based `line` starts (clamped to the end of the file).
    pub fn line_start(&self, line: usize) -> usize {
        match line.checked_sub(1) {
            Some(i) if i < self.line_starts.len() => self.line_starts[i],
            Some(_) => self.text.len(),
            None => 0,
        }
    }

    /// Byte offset where 1-based `line` ends, without its line terminator.
    pub fn line_end(&self, line: usize) -> usize {
        let start = self.line_start(line);
        let bytes = self.text.as_bytes();
        let mut end = self.line_limit(line).max(start);
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        end
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_idx];
        let prefix = self.text.get(line_start..offset).unwrap_or_else(|| {
            // Not on a character boundary: count the bytes before the boundary.
            let mut end = offset;
            while !self.text.is_char_boundary(end) {
                end -= 1;
            }
            &self.text[line_start..end]
        });
        LineCol {
            line: line_idx + 1,
            column: prefix.chars().count() + 1,
        }
    }

    /// Byte offset of a 1-based line and a 0-based character column, the way the
    /// YAML scanner reports positions. A column past the end of the line
    /// clamps to the end of the line, its terminator included.
    ///
    /// Costs at most the length of the line: it is called for every YAML
    /// event, so it must never look at the rest of the file.
    pub fn offset_of(&self, line: usize, char_col: usize) -> usize {
        let start = self.line_start(line);
        self.advance(start, self.line_limit(line), char_col)
    }

    /// The offset `chars` characters after `from`, not going past `limit`.
    pub(crate) fn advance(&self, from: usize, limit: usize, chars: usize) -> usize {
        let bytes = &self.text.as_bytes()[from..limit];
        let ascii = bytes[..chars.min(bytes.len())].is_ascii();
        if ascii && chars <= bytes.len() {
            return from + chars;
        }
        match self.text[from..limit].char_indices().nth(chars) {
            Some((i, _)) => from + i,
            None => limit,
        }
    }

    /// Byte offset just past 1-based `line`, its line terminator included.
    pub(crate) fn line_limit(&self, line: usize) -> usize {
        self.line_starts
            .get(line.max(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

fn line_breaks(haystack: &[u8]) -> impl Iterator<Item = usize> + '_ {
    haystack
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'\n' || b == b'\r').then_some(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let f = SourceFile::new("a.yaml", "ab\nc\u{e9}d\r\nx");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'd' follows a two-byte character.
        assert_eq!(f.line_col(6), LineCol { line: 2, column: 3 });
        assert_eq!(f.line_col(9), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_end(2), 7);
        assert_eq!(f.offset_of(2, 2), 6);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_as_in_yaml() {
        let f = SourceFile::new("a.yaml", "a: 1\rb: 2\r\nc: 3\n");
        assert_eq!(f.line_count(), 4);
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(11), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_end(1), 4);
        assert_eq!(f.line_end(2), 9);
        assert_eq!(f.line_end(3), 15);
        assert_eq!(f.line_end(0), 4, "line 0 is clamped, never an underflow");
    }

    #[test]
    fn offsets_stay_on_their_line() {
        let f = SourceFile::new("a.yaml", "ab\ncd\u{e9}f\n");
        assert_eq!(f.offset_of(1, 1), 1);
        assert_eq!(
            f.offset_of(1, 9),
            3,
            "a column past the end never leaves the line"
        );
        assert_eq!(f.offset_of(2, 3), 7);
        assert_eq!(f.offset_of(2, 2), 5);
        assert_eq!(f.offset_of(9, 0), f.text.len());
    }

    #[test]
    fn byte_order_mark_is_not_a_column() {
        let f = SourceFile::new("a.yaml", "\u{feff}kind: risk\n");
        assert_eq!(&f.text[..4], "kind");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
    }
}

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
        let mut line_starts = vec![0];
        line_starts.extend(memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
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
        let next = if line < self.line_starts.len() {
            self.line_starts[line] - 1
        } else {
            self.text.len()
        };
        let start = self.line_start(line);
        let bytes = self.text.as_bytes();
        if next > start && bytes.get(next - 1) == Some(&b'\r') {
            next - 1
        } else {
            next.max(start)
        }
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
    /// YAML scanner reports positions.
    pub fn offset_of(&self, line: usize, char_col: usize) -> usize {
        let start = self.line_start(line);
        let rest = &self.text[start..];
        if rest.is_ascii() || rest.as_bytes()[..char_col.min(rest.len())].is_ascii() {
            return (start + char_col).min(self.text.len());
        }
        match rest.char_indices().nth(char_col) {
            Some((i, _)) => start + i,
            None => self.text.len(),
        }
    }

    /// The text of a span.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

fn memchr_iter(needle: u8, haystack: &[u8]) -> impl Iterator<Item = usize> + '_ {
    haystack
        .iter()
        .enumerate()
        .filter_map(move |(i, &b)| (b == needle).then_some(i))
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
    fn byte_order_mark_is_not_a_column() {
        let f = SourceFile::new("a.yaml", "\u{feff}kind: risk\n");
        assert_eq!(&f.text[..4], "kind");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
    }
}

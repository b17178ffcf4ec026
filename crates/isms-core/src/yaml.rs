//! A YAML document tree that remembers where every key and value came from.
//!
//! Why not `serde_yaml`: it is archived, reports positions only for errors,
//! silently keeps the last of two duplicate keys, and takes tens of seconds to
//! reject a small file of deeply nested brackets. We build on `saphyr-parser`, a
//! pure-Rust YAML 1.2 event parser: it reports a span for every event, bounds
//! its own recursion, and lets us decide the policy for what remains:
//!
//! - duplicate keys are reported with both positions (the first value is kept);
//! - nesting is limited to [`MAX_DEPTH`] levels;
//! - alias expansion is bounded by [`MAX_ALIAS_NODES`] copied nodes, which
//!   defeats "billion laughs" files while still allowing ordinary anchors.
//!
//! Scalars keep their original text: an unquoted `5.10` is a number to the
//! schema but stays `"5.10"` when a field asks for text, so a control id
//! written without quotes is not silently turned into `5.1`.

use std::cell::Cell;
use std::collections::HashMap;

use compact_str::CompactString;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use crate::source::{SourceFile, Span};

/// Containers nested deeper than this are rejected. Evidence records need a
/// handful of levels; the limit protects every recursive walk over the tree.
pub const MAX_DEPTH: usize = 64;

/// Mappings with up to this many keys are searched for duplicate keys
/// directly; larger ones are indexed.
const SEARCHED_KEYS: usize = 16;

/// At most this many nodes may be created by expanding aliases in one file.
pub const MAX_ALIAS_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Scalar(Scalar),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: CompactString,
    /// Plain (unquoted) scalars are typed by the YAML 1.2 core schema;
    /// quoted and block scalars are always strings.
    pub plain: bool,
}

/// A node found by [`Node::matching`], with what it takes to write its path.
#[derive(Debug, Clone)]
pub struct Match<'n, 'p> {
    pub node: &'n Node,
    pattern: &'p [&'p str],
    /// The index taken for each `*` of the pattern.
    indices: Vec<usize>,
}

impl Match<'_, '_> {
    /// The index taken for each `*` of the pattern.
    pub fn indices(&self) -> &[usize] {
        &self.indices
    }
}

/// The node's path, such as `findings[2].actions[0]`.
impl std::fmt::Display for Match<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut indices = self.indices.iter();
        for (n, seg) in self.pattern.iter().enumerate() {
            if *seg == "*" {
                let i = indices.next().expect("one index per `*`");
                write!(f, "[{i}]")?;
            } else if n == 0 {
                f.write_str(seg)?;
            } else {
                write!(f, ".{seg}")?;
            }
        }
        Ok(())
    }
}

/// The type a scalar has under the YAML 1.2 core schema.
#[derive(Debug, Clone, PartialEq)]
pub enum Typed<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl Scalar {
    pub fn typed(&self) -> Typed<'_> {
        if !self.plain {
            return Typed::Str(&self.text);
        }
        let t = self.text.as_str();
        // Most plain scalars are keys, names and ids: text that no rule of
        // the core schema can read as anything else, told by their first
        // byte. The validator asks for a scalar's type once per keyword,
        // so this is the common case by far.
        if let Some(b) = t.as_bytes().first() {
            if !matches!(
                b,
                b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'.' | b'+' | b'-' | b'0'..=b'9'
            ) {
                return Typed::Str(t);
            }
        }
        match t {
            "" | "~" | "null" | "Null" | "NULL" => return Typed::Null,
            "true" | "True" | "TRUE" => return Typed::Bool(true),
            "false" | "False" | "FALSE" => return Typed::Bool(false),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
                return Typed::Float(f64::INFINITY)
            }
            "-.inf" | "-.Inf" | "-.INF" => return Typed::Float(f64::NEG_INFINITY),
            ".nan" | ".NaN" | ".NAN" => return Typed::Float(f64::NAN),
            _ => {}
        }
        if let Some(i) = parse_core_int(t) {
            return Typed::Int(i);
        }
        if is_core_float(t) {
            if let Ok(f) = t.parse::<f64>() {
                return Typed::Float(f);
            }
        }
        Typed::Str(t)
    }
}

fn parse_core_int(t: &str) -> Option<i64> {
    if let Some(hex) = t.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse().ok();
    }
    None
}

fn is_core_float(t: &str) -> bool {
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let b = t.strip_prefix(['-', '+']).unwrap_or(t).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len()
}

/// One step of a path into a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> From<&'a str> for Seg<'a> {
    fn from(k: &'a str) -> Self {
        Seg::Key(k)
    }
}

impl From<usize> for Seg<'_> {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

impl Node {
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar's text, whatever its YAML type (`5.10` gives `"5.10"`).
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) if !matches!(s.typed(), Typed::Null) => Some(&s.text),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar(s) if s.typed() == Typed::Null)
    }

    /// The entry of a mapping with this key.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?
            .iter()
            .find(|e| e.key.as_scalar().is_some_and(|k| k.text == key))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follow a path of keys and indices.
    pub fn at<'s, I, S>(&self, path: I) -> Option<&Node>
    where
        I: IntoIterator<Item = S>,
        S: Into<Seg<'s>>,
    {
        let mut node = self;
        for seg in path {
            node = match seg.into() {
                Seg::Key(k) => node.get(k)?,
                Seg::Index(i) => node.as_seq()?.get(i)?,
            };
        }
        Some(node)
    }

    /// The span that best points at `path`: the value if present (or its key
    /// when the value is empty), otherwise the deepest existing ancestor.
    pub fn locate<'s, I, S>(&self, path: I) -> Span
    where
        I: IntoIterator<Item = S>,
        S: Into<Seg<'s>>,
    {
        let mut node = self;
        let mut span = self.span;
        for seg in path {
            match seg.into() {
                Seg::Key(k) => match node.entry(k) {
                    Some(e) => {
                        span = if e.value.is_null() {
                            e.key.span
                        } else {
                            e.value.span
                        };
                        node = &e.value;
                    }
                    None => return span,
                },
                Seg::Index(i) => match node.as_seq().and_then(|s| s.get(i)) {
                    Some(n) => {
                        span = n.span;
                        node = n;
                    }
                    None => return span,
                },
            }
        }
        span
    }

    /// Span of the key `key` in this mapping, if present.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.entry(key).map(|e| e.key.span)
    }

    /// Every node matching a path pattern, where `*` stands for every item of
    /// a list. Each match displays as its path: `["findings", "*",
    /// "actions", "*"]` gives matches such as `findings[2].actions[0]`. Paths are written only when asked for (most
    /// matches never need one).
    pub fn matching<'n, 'p>(&'n self, pattern: &'p [&'p str]) -> Vec<Match<'n, 'p>> {
        fn walk<'n, 'p>(
            node: &'n Node,
            pattern: &'p [&'p str],
            rest: &[&str],
            indices: &mut Vec<usize>,
            out: &mut Vec<Match<'n, 'p>>,
        ) {
            let Some((first, rest)) = rest.split_first() else {
                out.push(Match {
                    node,
                    pattern,
                    indices: indices.clone(),
                });
                return;
            };
            if *first == "*" {
                for (i, item) in node.as_seq().unwrap_or_default().iter().enumerate() {
                    indices.push(i);
                    walk(item, pattern, rest, indices, out);
                    indices.pop();
                }
            } else if let Some(child) = node.get(first) {
                walk(child, pattern, rest, indices, out);
            }
        }
        let mut out = Vec::new();
        walk(self, pattern, pattern, &mut Vec::new(), &mut out);
        out
    }

    /// This node as JSON, as schema validation reads it (validation reads
    /// the tree in place, and converts only what an error message shows).
    /// Empty values in mappings are left out: `closed:` with nothing after it
    /// means the same as no `closed`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Scalar(s) => match s.typed() {
                Typed::Null => J::Null,
                Typed::Bool(b) => J::Bool(b),
                Typed::Int(i) => J::from(i),
                Typed::Float(f) => serde_json::Number::from_f64(f)
                    .map(J::Number)
                    .unwrap_or_else(|| J::String(s.text.to_string())),
                Typed::Str(t) => J::String(t.to_owned()),
            },
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .filter(|e| !e.value.is_null())
                    .map(|e| (key_text(&e.key).to_owned(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    /// Number of nodes in this tree.
    fn count(&self) -> usize {
        match &self.value {
            Value::Scalar(_) => 1,
            Value::Seq(items) => 1 + items.iter().map(Node::count).sum::<usize>(),
            Value::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|e| e.key.count() + e.value.count())
                    .sum::<usize>()
            }
        }
    }
}

pub(crate) fn key_text(key: &Node) -> &str {
    key.as_scalar().map(|s| s.text.as_str()).unwrap_or("")
}

/// A problem found while reading YAML.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub span: Span,
    pub message: String,
    /// A second place worth showing, such as the first of two duplicate keys.
    pub related: Option<(Span, String)>,
}

/// Documents read from a YAML stream, and the problems met.
///
/// When `fatal` is set the documents are incomplete and must not be used as
/// evidence; non-fatal errors (duplicate keys) leave a usable tree.
#[derive(Debug, Default)]
pub struct Parsed {
    pub documents: Vec<Node>,
    pub errors: Vec<YamlError>,
    pub fatal: bool,
}

/// Parse `text`, which starts at 1-based line `first_line` of `file` (front
/// matter starts on line 2). Spans are byte offsets into `file`.
pub fn parse(file: &SourceFile, text: &str, first_line: usize) -> Parsed {
    let mut builder = Builder {
        file,
        line_offset: first_line - 1,
        stack: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        anchors: HashMap::new(),
        alias_budget: MAX_ALIAS_NODES,
        cursor: Cell::new((0, 0, 0)),
        out: Parsed::default(),
    };
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_event() {
            None => break,
            Some(Ok((event, span))) => {
                let span = builder.span(span);
                if let Err(err) = builder.event(event, span) {
                    builder.out.errors.push(err);
                    builder.out.fatal = true;
                    break;
                }
            }
            Some(Err(err)) => {
                let e = builder.scan_error(&err);
                builder.out.errors.push(e);
                builder.out.fatal = true;
                break;
            }
        }
    }
    builder.out
}

/// An open container. Its children wait on the builder's shared stacks of
/// items and entries, from `base` on, and move into a vector of exactly
/// their number when it closes: one allocation per container, no spare
/// capacity kept.
enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        base: usize,
    },
    Map {
        start: Span,
        anchor: usize,
        base: usize,
        state: MapState,
        /// Keys seen, once the mapping is too large to search its entries.
        seen: Option<HashMap<CompactString, Span>>,
    },
}

enum MapState {
    AwaitKey,
    AwaitValue(Node),
    /// The key was a duplicate: read its value, then drop it.
    SkipValue,
}

struct Builder<'f> {
    file: &'f SourceFile,
    line_offset: usize,
    stack: Vec<Frame>,
    /// Items of the open sequences, innermost last.
    items: Vec<Node>,
    /// Entries of the open mappings, innermost last.
    entries: Vec<Entry>,
    anchors: HashMap<usize, Node>,
    alias_budget: usize,
    /// The last position turned into an offset: (line, column, offset).
    cursor: Cell<(usize, usize, usize)>,
    out: Parsed,
}

impl Builder<'_> {
    /// The byte offset of a scanner position. Events arrive in order, so
    /// continue from the last position on the same line: a long line with
    /// many values costs its length once, not once per value.
    fn offset(&self, m: saphyr_parser::Marker) -> usize {
        let line = m.line() + self.line_offset;
        let (last_line, last_col, last_offset) = self.cursor.get();
        let offset = if line == last_line && m.col() >= last_col {
            self.file
                .advance(last_offset, self.file.line_limit(line), m.col() - last_col)
        } else {
            self.file.offset_of(line, m.col())
        };
        self.cursor.set((line, m.col(), offset));
        offset
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        Span::new(self.offset(s.start), self.offset(s.end))
    }

    fn scan_error(&self, err: &ScanError) -> YamlError {
        let mut at = self.offset(*err.marker());
        let info = err.info();
        if info.contains("tab") {
            // The scanner stops after the tab; point at the tab itself.
            let line = &self.file.text[self.file.line_start(self.file.line_col(at).line)..at];
            if let Some(i) = line.rfind('\t') {
                at -= line.len() - i;
            }
        }
        let message = match plain_words(info) {
            Some(words) => format!("invalid YAML: {words} ({info})"),
            // The scanner's own limit on `[[[[`, reached before ours.
            None if info.contains("recursion limit") => nested_too_deep(),
            None => format!("invalid YAML: {info}"),
        };
        // A flow collection left open is easiest to fix from where it opens.
        let related = if info.contains("flow") || info.contains("node content") {
            self.innermost_flow().map(|(span, what)| {
                (
                    Span::new(span.start, span.start + 1),
                    format!("the {what} opened here"),
                )
            })
        } else {
            None
        };
        // The character the scanner stopped at; nothing at the end of the file.
        let end = at
            + self.file.text[at..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        YamlError {
            span: Span::new(at, end),
            message,
            related,
        }
    }

    /// The innermost open `[ … ]` or `{ … }`, and what it is.
    fn innermost_flow(&self) -> Option<(Span, &'static str)> {
        self.stack.iter().rev().find_map(|frame| {
            let start = match frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            match self.file.text.as_bytes().get(start.start) {
                Some(b'[') => Some((start, "list `[`")),
                Some(b'{') => Some((start, "mapping `{`")),
                _ => None,
            }
        })
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), YamlError> {
        match event {
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd
            | Event::Nothing => Ok(()),
            Event::Scalar(text, style, anchor, tag) => {
                let forced_string = tag
                    .as_ref()
                    .is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
                let node = Node {
                    span,
                    value: Value::Scalar(Scalar {
                        text: exact(text),
                        plain: style == ScalarStyle::Plain && !forced_string,
                    }),
                };
                self.complete(node, anchor)
            }
            Event::SequenceStart(anchor, _) => {
                self.open(Frame::Seq {
                    start: span,
                    anchor,
                    base: self.items.len(),
                })?;
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.open(Frame::Map {
                    start: span,
                    anchor,
                    base: self.entries.len(),
                    state: MapState::AwaitKey,
                    seen: None,
                })?;
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let frame = self.stack.pop().expect("parser balances containers");
                let (node, anchor) = match frame {
                    Frame::Seq {
                        start,
                        anchor,
                        base,
                    } => {
                        let items: Vec<Node> = self.items.drain(base..).collect();
                        let end = container_end(span, items.last().map(|n| n.span.end));
                        (
                            Node {
                                span: Span::new(start.start, end.max(start.end)),
                                value: Value::Seq(items),
                            },
                            anchor,
                        )
                    }
                    Frame::Map {
                        start,
                        anchor,
                        base,
                        ..
                    } => {
                        let entries: Vec<Entry> = self.entries.drain(base..).collect();
                        let end = container_end(span, entries.last().map(|e| e.value.span.end));
                        (
                            Node {
                                span: Span::new(start.start, end.max(start.end)),
                                value: Value::Map(entries),
                            },
                            anchor,
                        )
                    }
                };
                self.complete(node, anchor)
            }
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(&id) else {
                    return Err(YamlError {
                        span,
                        message: "alias refers to an anchor that is not defined".into(),
                        related: None,
                    });
                };
                let cost = target.count();
                if cost > self.alias_budget {
                    return Err(YamlError {
                        span,
                        message: format!(
                            "aliases expand to more than {MAX_ALIAS_NODES} values; \
                             this looks like an alias bomb (\"billion laughs\") and is not read"
                        ),
                        related: None,
                    });
                }
                self.alias_budget -= cost;
                let mut node = target.clone();
                node.span = span;
                self.complete(node, 0)
            }
        }
    }

    fn open(&mut self, frame: Frame) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            let span = match &frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            return Err(YamlError {
                span: Span::new(span.start, span.start + 1),
                message: nested_too_deep(),
                related: None,
            });
        }
        self.stack.push(frame);
        Ok(())
    }

    fn complete(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.out.documents.push(node),
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map {
                base, state, seen, ..
            }) => match std::mem::replace(state, MapState::AwaitKey) {
                MapState::AwaitKey => {
                    let Some(k) = node.as_scalar() else {
                        return Err(YamlError {
                            span: node.span,
                            message: "a mapping key must be plain text, not a list or mapping"
                                .into(),
                            related: None,
                        });
                    };
                    // Records have a few keys each: looking through them is
                    // cheaper than hashing every key of every mapping. A large
                    // mapping gets an index, so that it costs no more than
                    // linear time.
                    let entries = &self.entries[*base..];
                    if seen.is_none() && entries.len() >= SEARCHED_KEYS {
                        *seen = Some(
                            entries
                                .iter()
                                .filter_map(|e| Some((e.key.as_scalar()?.text.clone(), e.key.span)))
                                .collect(),
                        );
                    }
                    let first = match seen {
                        Some(index) => index.get(&k.text).copied(),
                        None => entries
                            .iter()
                            .find(|e| e.key.as_scalar().is_some_and(|s| s.text == k.text))
                            .map(|e| e.key.span),
                    };
                    if let Some(first) = first {
                        self.out.errors.push(YamlError {
                            span: node.span,
                            message: format!(
                                "duplicate key `{}`: it is already set above, and this second value is ignored",
                                k.text
                            ),
                            related: Some((first, "first set here".into())),
                        });
                        *state = MapState::SkipValue;
                    } else {
                        if let Some(index) = seen {
                            index.insert(k.text.clone(), node.span);
                        }
                        *state = MapState::AwaitValue(node);
                    }
                }
                MapState::AwaitValue(key) => self.entries.push(Entry { key, value: node }),
                MapState::SkipValue => {}
            },
        }
        Ok(())
    }
}

fn nested_too_deep() -> String {
    format!("YAML is nested more than {MAX_DEPTH} levels deep; records need only a few levels")
}

/// What a scanner error means to someone editing a record, for the errors
/// people make by hand.
fn plain_words(info: &str) -> Option<&'static str> {
    Some(match info {
        "mapping values are not allowed in this context" => {
            "a `key: value` cannot start here; check this line's indentation against the lines above, or put the value in quotes if it contains `: `"
        }
        "tabs disallowed within this context (block indentation)"
        | "tabs disallowed in this context"
        | "while scanning a plain scalar, found a tab" => {
            "a tab is used for indentation; YAML is indented with spaces only"
        }
        "while scanning a quoted scalar, found unexpected end of stream"
        | "invalid indentation in quoted scalar"
        | "while scanning a quoted scalar, found unexpected document indicator" => {
            "a quoted value is never closed; add the closing quote"
        }
        "while parsing a flow sequence, expected ',' or ']'" => {
            "a list written `[ … ]` is not closed, or two of its items lack a `,` between them"
        }
        "while parsing a flow mapping, did not find expected ',' or '}'" => {
            "a mapping written `{ … }` is not closed, or two of its entries lack a `,` between them"
        }
        "while parsing a block mapping, did not find expected key" => {
            "this line does not fit the mapping above it; keys of one mapping start in the same column"
        }
        "while parsing a block collection, did not find expected '-' indicator" => {
            "this line does not fit the list above it; the items of one list start with `- ` in the same column"
        }
        "while parsing node, found unknown anchor" => {
            "an alias `*name` refers to an anchor `&name` that is not defined above it"
        }
        "while parsing anchor, found duplicated anchor" => "an anchor `&name` is defined twice",
        "while parsing a node, did not find expected node content" => {
            "a value is missing or incomplete here"
        }
        "found unprintable character" => {
            "the file holds a control character that YAML does not allow in text"
        }
        _ => return None,
    })
}

/// The scalar's text in an allocation of its own size: the parser reserves
/// at least 32 bytes for every plain scalar, and a repository holds hundreds
/// of thousands of short keys and values that live as long as the check.
fn exact(text: std::borrow::Cow<'_, str>) -> CompactString {
    CompactString::from(text.as_ref())
}

/// Block collections end with an empty event after the last line; flow
/// collections end with their closing bracket.
fn container_end(end_event: Span, last_child_end: Option<usize>) -> usize {
    if !end_event.is_empty() {
        end_event.end
    } else {
        last_child_end.unwrap_or(end_event.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(src: &str) -> (SourceFile, Parsed) {
        let f = SourceFile::new("t.yaml", src);
        let text = f.text.clone();
        let p = parse(&f, &text, 1);
        (f, p)
    }

    #[test]
    fn values_keep_their_positions() {
        let (f, p) = parse_str("kind: risk\nid: R-1\ncontrols: [5.1, '5.10', 5.10]\n");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let doc = &p.documents[0];
        let id = doc.get("id").unwrap();
        assert_eq!(f.slice(id.span), "R-1");
        assert_eq!(f.line_col(id.span.start).line, 2);
        let c = doc.get("controls").unwrap().as_seq().unwrap();
        assert_eq!(c[2].as_text(), Some("5.10"));
        assert_eq!(c[2].to_json(), serde_json::json!(5.1));
        assert_eq!(c[1].to_json(), serde_json::json!("5.10"));
        assert_eq!(
            f.slice(doc.locate(["controls", "1"].iter().map(|s| Seg::Key(s)))),
            "[5.1, '5.10', 5.10]"
        );
        assert_eq!(
            f.slice(doc.locate([Seg::Key("controls"), Seg::Index(1)])),
            "'5.10'"
        );
    }

    #[test]
    fn duplicate_keys_are_reported_and_the_first_value_kept() {
        let (f, p) = parse_str("id: A\ntitle: x\nid: B\n");
        assert!(!p.fatal);
        assert_eq!(p.errors.len(), 1);
        let e = &p.errors[0];
        assert_eq!(f.line_col(e.span.start).line, 3);
        assert_eq!(f.line_col(e.related.as_ref().unwrap().0.start).line, 1);
        assert_eq!(p.documents[0].get("id").unwrap().as_text(), Some("A"));
    }

    #[test]
    fn duplicate_keys_are_found_in_large_mappings_too() {
        let mut src: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        src.push_str("k3: again\nk30: again\n");
        let (f, p) = parse_str(&src);
        assert!(!p.fatal);
        let lines: Vec<(usize, usize)> = p
            .errors
            .iter()
            .map(|e| {
                let related = e.related.as_ref().unwrap().0;
                (
                    f.line_col(e.span.start).line,
                    f.line_col(related.start).line,
                )
            })
            .collect();
        assert_eq!(lines, [(41, 4), (42, 31)]);
        assert_eq!(p.documents[0].as_map().unwrap().len(), 40);
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let (_, p) = parse_str(&src);
        assert!(p.fatal);
        assert!(p.errors[0].message.contains("alias bomb"));
    }

    #[test]
    fn ordinary_anchors_work() {
        let (_, p) = parse_str("base: &b {owner: ciso}\ncopy: *b\n");
        assert!(p.errors.is_empty());
        assert_eq!(
            p.documents[0].at(["copy", "owner"]).unwrap().as_text(),
            Some("ciso")
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let (_, p) = parse_str(&deep);
        assert!(p.fatal);
        let block: String = (0..200).map(|_| "- ").collect::<String>() + "x\n";
        let (_, p) = parse_str(&block);
        assert!(p.fatal);
        assert!(p.errors[0].message.contains("nested"), "{:?}", p.errors);
    }

    #[test]
    fn positions_on_a_long_line_with_accents() {
        let items: Vec<String> = (0..2000).map(|i| format!("é{i}")).collect();
        let src = format!("kind: risk\nlist: [{}]\n", items.join(", "));
        let (f, p) = parse_str(&src);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let list = p.documents[0].get("list").unwrap().as_seq().unwrap();
        for (i, node) in list.iter().enumerate() {
            assert_eq!(f.slice(node.span), format!("é{i}"));
        }
        let last = f.line_col(list[1999].span.start);
        assert_eq!(last.line, 2);
        assert_eq!(last.column, src.lines().nth(1).unwrap().chars().count() - 5);
    }

    #[test]
    fn lone_carriage_returns_are_line_breaks() {
        let (f, p) = parse_str("kind: risk\rid: R-1\rtitle: t\r");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let title = p.documents[0].get("title").unwrap();
        assert_eq!(f.slice(title.span), "t");
        assert_eq!(f.line_col(title.span.start).line, 3);
    }

    #[test]
    fn core_schema_types() {
        let s = |t: &str| Scalar {
            text: t.into(),
            plain: true,
        };
        assert_eq!(s("2025-02-30").typed(), Typed::Str("2025-02-30"));
        assert_eq!(s("12").typed(), Typed::Int(12));
        assert_eq!(s("1e3").typed(), Typed::Float(1000.0));
        assert_eq!(s("yes").typed(), Typed::Str("yes"));
        assert_eq!(s("~").typed(), Typed::Null);
        assert_eq!(s(".").typed(), Typed::Str("."));
    }

    /// Every value the core schema reads as other than text, next to text
    /// that starts like one: the shortcut by first byte must not change
    /// a type.
    #[test]
    fn core_schema_types_by_first_byte() {
        let s = |t: &str| {
            let scalar = Scalar {
                text: t.into(),
                plain: true,
            };
            format!("{:?}", scalar.typed())
        };
        let d = |t: Typed<'_>| format!("{t:?}");
        assert_eq!(s(""), d(Typed::Null));
        for t in ["~", "null", "Null", "NULL"] {
            assert_eq!(s(t), d(Typed::Null), "{t}");
        }
        for t in ["true", "True", "TRUE"] {
            assert_eq!(s(t), d(Typed::Bool(true)), "{t}");
        }
        for t in ["false", "False", "FALSE"] {
            assert_eq!(s(t), d(Typed::Bool(false)), "{t}");
        }
        for t in [".inf", "+.Inf", "-.INF", ".nan"] {
            assert!(s(t).starts_with("Float("), "{t}");
        }
        assert_eq!(s("+7"), d(Typed::Int(7)));
        assert_eq!(s("-7"), d(Typed::Int(-7)));
        assert_eq!(s("0x1F"), d(Typed::Int(31)));
        assert_eq!(s("0o17"), d(Typed::Int(15)));
        assert_eq!(s(".5"), d(Typed::Float(0.5)));
        assert_eq!(s("-1.5e2"), d(Typed::Float(-150.0)));
        for t in [
            "none",
            "nULL",
            "tRUE",
            "Tuesday",
            "falsey",
            "Fact",
            "~x",
            ".x",
            "+x",
            "-",
            "0xZ",
            "5.10.2",
            "A.5.1",
            "CISO",
            "RISK-001",
            "yes",
            "on",
            "Ünïcode",
            "#",
        ] {
            assert_eq!(s(t), d(Typed::Str(t)), "{t}");
        }
        let quoted = Scalar {
            text: "12".into(),
            plain: false,
        };
        assert_eq!(quoted.typed(), Typed::Str("12"));
    }
}

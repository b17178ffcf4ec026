//! Markdown records: YAML front matter and the body's headings and links.
//!
//! Front matter is a block at the very start of the file, opened by a line
//! `---` and closed by a line `---` (or `...`). A `---` anywhere else is a
//! thematic break, not front matter.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::source::{SourceFile, Span};

/// Where the front matter of a Markdown file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontMatter {
    /// The file does not start with `---`.
    None,
    /// `yaml` is the YAML text; it starts on line 2 of the file; `body`
    /// starts after the closing line.
    Closed { yaml: Span, body: usize },
    /// Opened on line 1 but never closed.
    Unclosed { opening: Span },
}

pub fn front_matter(file: &SourceFile) -> FrontMatter {
    let text = &*file.text;
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return FrontMatter::None;
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..line_end].trim_end();
        if line == "---" || line == "..." {
            return FrontMatter::Closed {
                yaml: Span::new(yaml_start, pos),
                body: (line_end + 1).min(text.len()),
            };
        }
        pos = line_end + 1;
    }
    FrontMatter::Unclosed {
        opening: Span::new(0, first_end.min(3)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    /// The heading's text, without markup.
    pub text: String,
    pub span: Span,
    /// The text written between this heading and the next heading of any
    /// level, without markup (HTML comments left out): what the heading
    /// says about its subject, if anything.
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub span: Span,
}

/// Headings and links of a Markdown body, with their positions in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
}

/// Parse the body of a Markdown file, which starts at byte `start`.
pub fn body(file: &SourceFile, start: usize) -> Body {
    let text = &file.text[start..];
    let mut out = Body::default();
    let mut heading: Option<(u8, String, Span)> = None;
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS);
    for (event, range) in parser.into_offset_iter() {
        let span = Span::new(start + range.start, start + range.end);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((heading_level(level), String::new(), span));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text, span)) = heading.take() {
                    out.headings.push(Heading {
                        level,
                        text: text.trim().to_owned(),
                        span: trim_trailing_newline(file, span),
                        content: String::new(),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => match heading.as_mut() {
                Some((_, buf, _)) => buf.push_str(&t),
                // Text of a paragraph, list, table or code block below the
                // last heading.
                None => {
                    if let Some(last) = out.headings.last_mut() {
                        if !last.content.is_empty() {
                            last.content.push(' ');
                        }
                        last.content.push_str(t.trim());
                    }
                }
            },
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                out.links.push(Link {
                    dest: dest_url.into_string(),
                    span,
                });
            }
            _ => {}
        }
    }
    out
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn trim_trailing_newline(file: &SourceFile, span: Span) -> Span {
    let s = file.slice(span);
    Span::new(span.start, span.start + s.trim_end().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_only_at_the_start() {
        let f = SourceFile::new("p.md", "---\nkind: policy\n---\n# Title\n\n---\n");
        let FrontMatter::Closed { yaml, body } = front_matter(&f) else {
            panic!()
        };
        assert_eq!(f.slice(yaml), "kind: policy\n");
        assert_eq!(&f.text[body..], "# Title\n\n---\n");
        let f = SourceFile::new("p.md", "# Title\n---\nkind: policy\n---\n");
        assert_eq!(front_matter(&f), FrontMatter::None);
        let f = SourceFile::new("p.md", "---\r\nkind: policy\r\n---\r\nbody");
        assert!(matches!(front_matter(&f), FrontMatter::Closed { .. }));
        let f = SourceFile::new("p.md", "---\nkind: policy\n");
        assert!(matches!(front_matter(&f), FrontMatter::Unclosed { .. }));
    }

    #[test]
    fn headings_and_links_with_positions() {
        let src = "---\nid: x\n---\n# Inputs\n\n## a) Status of `actions`\n\nSee [report](../evidence/r.pdf).\n";
        let f = SourceFile::new("r.md", src);
        let FrontMatter::Closed { body: start, .. } = front_matter(&f) else {
            panic!()
        };
        let b = body(&f, start);
        assert_eq!(b.headings.len(), 2);
        assert_eq!(b.headings[1].text, "a) Status of actions");
        assert_eq!(f.line_col(b.headings[1].span.start).line, 6);
        assert_eq!(b.links[0].dest, "../evidence/r.pdf");
        assert_eq!(f.line_col(b.links[0].span.start).line, 8);
    }
}

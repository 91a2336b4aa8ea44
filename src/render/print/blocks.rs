//! Markdown as data for the print template: blocks and inline runs, so the typst template
//! lays out the document from a model instead of pasted markup. Revisions arrive as `old` and
//! `new` runs, footnotes as `note` runs placed where they are referenced.

use crate::critic::{self, Marks};
use crate::markdown::{Placed, is_external, options, placeholder};
use pulldown_cmark::{Alignment, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::HashMap;

/// An inline run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Inline {
    Text {
        v: String,
    },
    Strong {
        c: Vec<Inline>,
    },
    Emph {
        c: Vec<Inline>,
    },
    Strike {
        c: Vec<Inline>,
    },
    /// A value or text the update replaced: struck.
    Old {
        c: Vec<Inline>,
    },
    /// What the update put in its place: marked.
    New {
        c: Vec<Inline>,
    },
    /// A computed figure before the update changed what it reads: struck, quietly.
    #[serde(rename = "old-quiet")]
    OldQuiet {
        c: Vec<Inline>,
    },
    /// The same figure recomputed: marked, quietly.
    #[serde(rename = "new-quiet")]
    NewQuiet {
        c: Vec<Inline>,
    },
    /// A footnote, laid out where it is referenced.
    Note {
        c: Vec<Inline>,
    },
    /// A reference to reason `n` of the enclosing scheda or table.
    Ref {
        n: usize,
    },
    /// A link: inside the document (`label`) or outside (`url`).
    Link {
        url: Option<String>,
        label: Option<String>,
        c: Vec<Inline>,
    },
    Code {
        v: String,
    },
    Break,
}

/// A block of a page.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Block {
    Heading {
        level: usize,
        c: Vec<Inline>,
    },
    Para {
        c: Vec<Inline>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote {
        blocks: Vec<Block>,
    },
    /// A table written in Markdown in the prose.
    Grid {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        numeric: Vec<bool>,
    },
    /// A computed table, placed by `{{ tabella(id=..) }}`.
    Table {
        id: String,
    },
    /// A chart, placed by `{{ grafico(id=..) }}`.
    Chart {
        id: String,
    },
    Rule,
}

/// Revised text as print tags it, read back into `old` and `new` runs.
const MARKS: Marks = Marks {
    del_open: "<del>",
    ins_open: "<ins>",
};

/// The number of a reason's note (none for an empty reason).
pub type NoteNumber<'a> = &'a mut dyn FnMut(&str) -> Option<usize>;

/// How internal links and revision reasons are resolved.
pub struct Resolve<'a> {
    /// A site address (`../obiettivi/os-1-1.html`) to the label of its place in the print
    /// edition, when it has one.
    pub link: &'a dyn Fn(&str) -> Option<String>,
    /// `Some`: each reason becomes a reference to its numbered note (schede, tables), none for
    /// an empty reason; `None`: a footnote.
    pub reason: Option<NoteNumber<'a>>,
}

/// Marks a reason reference inside Markdown, read back as [`Inline::Ref`].
const REF_TAG: &str = "<piao-rif n=\"";
const REF_END: &str = "</piao-rif>";

/// Heading levels of Markdown are shifted by `shift` (a page's `##` under its title).
pub fn blocks(md: &str, shift: isize, resolve: Resolve) -> Vec<Block> {
    let Resolve { link, reason } = resolve;
    let src = match reason {
        Some(reason) => critic::mark_up(md, &MARKS, &mut |r| {
            reason(r)
                .map(|n| format!("{REF_TAG}{n}\">{REF_END}"))
                .unwrap_or_default()
        }),
        None => critic::mark_up_with_footnotes(md, &MARKS),
    };
    // Footnote definitions first, so each reference can carry its text.
    let mut notes: HashMap<String, Vec<Inline>> = HashMap::new();
    let mut body = Vec::new();
    let mut definition: Option<(String, Vec<Event>)> = None;
    for event in Parser::new_ext(&src, options()) {
        match (definition.as_mut(), event) {
            (None, Event::Start(Tag::FootnoteDefinition(name))) => {
                definition = Some((name.to_string(), Vec::new()));
            }
            (Some(_), Event::End(TagEnd::FootnoteDefinition)) => {
                if let Some((name, events)) = definition.take() {
                    let mut b = Builder::new(link, &notes, shift);
                    b.run(&events);
                    let inl = b.flatten_inlines();
                    notes.insert(name, inl);
                }
            }
            (Some((_, events)), event) => events.push(event),
            (None, event) => body.push(event),
        }
    }
    let mut b = Builder::new(link, &notes, shift);
    b.run(&body);
    b.finish()
}

/// Inline runs of a short Markdown text (a cell, a name), reasons as numbered references.
pub fn inlines(
    md: &str,
    link: &dyn Fn(&str) -> Option<String>,
    reason: &mut dyn FnMut(&str) -> Option<usize>,
) -> Vec<Inline> {
    let blocks = blocks(
        md,
        0,
        Resolve {
            link,
            reason: Some(reason),
        },
    );
    let mut out = Vec::new();
    for (i, b) in blocks.into_iter().enumerate() {
        if i > 0 {
            out.push(Inline::Break);
        }
        match b {
            Block::Para { c } | Block::Heading { c, .. } => out.extend(c),
            Block::List {
                items,
                ordered,
                start,
            } => {
                for (k, item) in items.into_iter().enumerate() {
                    if k > 0 {
                        out.push(Inline::Break);
                    }
                    let marker = if ordered {
                        format!("{}. ", start.saturating_add(k as u64))
                    } else {
                        "– ".to_string()
                    };
                    out.push(Inline::Text { v: marker });
                    for blk in item {
                        if let Block::Para { c } = blk {
                            out.extend(c);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Plain text as a single run.
pub fn text(s: impl Into<String>) -> Vec<Inline> {
    vec![Inline::Text { v: s.into() }]
}

enum Frame {
    Inline(InlineKind, Vec<Inline>),
    Block(BlockKind, Vec<Block>),
}

enum InlineKind {
    Strong,
    Emph,
    Strike,
    Old,
    New,
    Link(String),
    /// A paragraph, heading or table cell collecting runs.
    Leaf,
}

enum BlockKind {
    Item,
    List(bool, u64),
    Quote,
}

/// A Markdown table being read: its header, finished rows and the row in progress.
struct GridBuilder {
    numeric: Vec<bool>,
    header: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    cells: Vec<Vec<Inline>>,
    in_head: bool,
}

struct Builder<'a> {
    link: &'a dyn Fn(&str) -> Option<String>,
    notes: &'a HashMap<String, Vec<Inline>>,
    shift: isize,
    stack: Vec<Frame>,
    out: Vec<Block>,
    table: Option<GridBuilder>,
}

impl<'a> Builder<'a> {
    fn new(
        link: &'a dyn Fn(&str) -> Option<String>,
        notes: &'a HashMap<String, Vec<Inline>>,
        shift: isize,
    ) -> Self {
        Builder {
            link,
            notes,
            shift,
            stack: Vec::new(),
            out: Vec::new(),
            table: None,
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        match self.stack.last_mut() {
            Some(Frame::Inline(_, runs)) => runs.push(inline),
            // Loose text in a list item (tight lists have no paragraphs).
            _ => self
                .stack
                .push(Frame::Inline(InlineKind::Leaf, vec![inline])),
        }
    }

    fn push_block(&mut self, block: Block) {
        // A tight list item's text is an open leaf: close it into a paragraph first.
        if let Some(Frame::Inline(InlineKind::Leaf, _)) = self.stack.last()
            && let Some(Frame::Inline(_, runs)) = self.stack.pop()
        {
            self.push_block(Block::Para { c: runs });
        }
        match self.stack.last_mut() {
            Some(Frame::Block(_, blocks)) => blocks.push(block),
            _ => self.out.push(block),
        }
    }

    fn close_inline(&mut self) -> Vec<Inline> {
        match self.stack.pop() {
            Some(Frame::Inline(_, runs)) => runs,
            Some(other) => {
                self.stack.push(other);
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    fn run(&mut self, events: &[Event]) {
        for e in events {
            self.event(e);
        }
    }

    fn event(&mut self, e: &Event) {
        match e {
            Event::Start(tag) => match tag {
                Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell => {
                    self.stack.push(Frame::Inline(InlineKind::Leaf, Vec::new()))
                }
                Tag::Strong => self
                    .stack
                    .push(Frame::Inline(InlineKind::Strong, Vec::new())),
                Tag::Emphasis => self.stack.push(Frame::Inline(InlineKind::Emph, Vec::new())),
                Tag::Strikethrough => self
                    .stack
                    .push(Frame::Inline(InlineKind::Strike, Vec::new())),
                Tag::Link {
                    dest_url,
                    link_type,
                    ..
                } => {
                    // The site writes an e-mail autolink as a `mailto:` link; so does print.
                    let url = match link_type {
                        LinkType::Email => format!("mailto:{dest_url}"),
                        _ => dest_url.to_string(),
                    };
                    self.stack
                        .push(Frame::Inline(InlineKind::Link(url), Vec::new()))
                }
                Tag::List(start) => self.stack.push(Frame::Block(
                    BlockKind::List(start.is_some(), start.unwrap_or(1)),
                    Vec::new(),
                )),
                Tag::Item => self.stack.push(Frame::Block(BlockKind::Item, Vec::new())),
                Tag::BlockQuote(_) => self.stack.push(Frame::Block(BlockKind::Quote, Vec::new())),
                Tag::Table(align) => {
                    let numeric = align.iter().map(|a| *a == Alignment::Right).collect();
                    self.table = Some(GridBuilder {
                        numeric,
                        header: Vec::new(),
                        rows: Vec::new(),
                        cells: Vec::new(),
                        in_head: false,
                    });
                }
                Tag::TableHead => {
                    if let Some(t) = self.table.as_mut() {
                        t.in_head = true;
                    }
                }
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Paragraph => {
                    let c = self.close_inline();
                    self.push_block(Block::Para { c });
                }
                TagEnd::Heading(level) => {
                    let c = self.close_inline();
                    let level = (heading_number(*level) as isize + self.shift).max(1) as usize;
                    self.push_block(Block::Heading { level, c });
                }
                TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link => {
                    if let Some(Frame::Inline(kind, c)) = self.stack.pop() {
                        let inline = match kind {
                            InlineKind::Strong => Inline::Strong { c },
                            InlineKind::Emph => Inline::Emph { c },
                            InlineKind::Strike => Inline::Strike { c },
                            InlineKind::Link(url) => self.link_to(&url, c),
                            _ => Inline::Emph { c },
                        };
                        self.push_inline(inline);
                    }
                }
                TagEnd::Item => {
                    if let Some(Frame::Inline(InlineKind::Leaf, _)) = self.stack.last() {
                        let c = self.close_inline();
                        self.push_block(Block::Para { c });
                    }
                    if let Some(Frame::Block(BlockKind::Item, blocks)) = self.stack.pop()
                        && let Some(Frame::Block(BlockKind::List(..), items)) =
                            self.stack.last_mut()
                    {
                        // Items are kept as quotes of their blocks until the list closes.
                        items.push(Block::Quote { blocks });
                    }
                }
                TagEnd::List(_) => {
                    if let Some(Frame::Block(BlockKind::List(ordered, start), items)) =
                        self.stack.pop()
                    {
                        let items = items
                            .into_iter()
                            .map(|b| match b {
                                Block::Quote { blocks } => blocks,
                                other => vec![other],
                            })
                            .collect();
                        self.push_block(Block::List {
                            ordered,
                            start,
                            items,
                        });
                    }
                }
                TagEnd::BlockQuote(_) => {
                    if let Some(Frame::Block(BlockKind::Quote, blocks)) = self.stack.pop() {
                        self.push_block(Block::Quote { blocks });
                    }
                }
                TagEnd::TableCell => {
                    let c = self.close_inline();
                    if let Some(t) = self.table.as_mut() {
                        t.cells.push(c);
                    }
                }
                TagEnd::TableHead | TagEnd::TableRow => {
                    if let Some(t) = self.table.as_mut() {
                        let cells = std::mem::take(&mut t.cells);
                        if t.in_head {
                            t.header = cells;
                            t.in_head = false;
                        } else {
                            t.rows.push(cells);
                        }
                    }
                }
                TagEnd::Table => {
                    if let Some(t) = self.table.take() {
                        self.push_block(Block::Grid {
                            header: t.header,
                            rows: t.rows,
                            numeric: t.numeric,
                        });
                    }
                }
                _ => {}
            },
            Event::Text(t) => self.push_inline(Inline::Text { v: t.to_string() }),
            Event::Code(t) => self.push_inline(Inline::Code { v: t.to_string() }),
            Event::SoftBreak => self.push_inline(Inline::Text { v: " ".into() }),
            Event::HardBreak => self.push_inline(Inline::Break),
            Event::Rule => self.push_block(Block::Rule),
            Event::FootnoteReference(name) => {
                let c = self.notes.get(name.as_ref()).cloned().unwrap_or_default();
                self.push_inline(Inline::Note { c });
            }
            Event::Html(html) => self.html(html, true),
            Event::InlineHtml(html) => self.html(html, false),
            _ => {}
        }
    }

    /// The only inline HTML piao writes: revision marks, reason references and table
    /// placeholders. Any other HTML is shown as the text it is, as on the site (the content
    /// checks refuse it before rendering).
    fn html(&mut self, html: &str, block: bool) {
        let tag = html.trim();
        if let Some((kind, id)) = placeholder(tag).filter(|_| block) {
            let id = id.to_string();
            self.push_block(match kind {
                Placed::Table => Block::Table { id },
                Placed::Chart => Block::Chart { id },
            });
        } else if tag == "<del>" {
            self.stack.push(Frame::Inline(InlineKind::Old, Vec::new()));
        } else if tag == "<ins>" {
            self.stack.push(Frame::Inline(InlineKind::New, Vec::new()));
        } else if tag == "</del>" || tag == "</ins>" {
            let open = matches!(
                self.stack.last(),
                Some(Frame::Inline(InlineKind::Old | InlineKind::New, _))
            );
            if let Some(Frame::Inline(kind, c)) = open.then(|| self.stack.pop()).flatten() {
                let inline = match kind {
                    InlineKind::Old => Inline::Old { c },
                    _ => Inline::New { c },
                };
                self.push_inline(inline);
            }
        } else if let Some(n) = tag.strip_prefix(REF_TAG).and_then(|r| r.split('"').next()) {
            if let Ok(n) = n.parse() {
                self.push_inline(Inline::Ref { n });
            }
        } else if tag != REF_END {
            // (The end of a reference carries nothing.)
            self.push_inline(Inline::Text {
                v: html.to_string(),
            });
        }
    }

    fn link_to(&self, url: &str, c: Vec<Inline>) -> Inline {
        match (self.link)(url) {
            Some(label) => Inline::Link {
                url: None,
                label: Some(label),
                c,
            },
            None if is_external(url) => Inline::Link {
                url: Some(url.to_string()),
                label: None,
                c,
            },
            // A page of the site with no place in print: the text alone.
            None => Inline::Emph { c },
        }
    }

    fn flatten_inlines(mut self) -> Vec<Inline> {
        while let Some(Frame::Inline(..)) = self.stack.last() {
            let c = self.close_inline();
            self.out.push(Block::Para { c });
        }
        let mut out = Vec::new();
        for (i, b) in self.out.into_iter().enumerate() {
            if i > 0 {
                out.push(Inline::Text { v: " ".into() });
            }
            if let Block::Para { c } = b {
                out.extend(c);
            }
        }
        out
    }

    fn finish(mut self) -> Vec<Block> {
        while let Some(Frame::Inline(..)) = self.stack.last() {
            let c = self.close_inline();
            self.push_block(Block::Para { c });
        }
        self.out
    }
}

fn heading_number(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_link(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn revisions_become_old_and_new_runs_with_their_reason_as_a_footnote() {
        let b = blocks(
            "Assunzioni: {~~7~>**6**~~}{>>Aggiornamento<<} unità.",
            0,
            Resolve {
                link: &no_link,
                reason: None,
            },
        );
        let Block::Para { c } = &b[0] else {
            panic!("{b:?}")
        };
        assert_eq!(c[1], Inline::Old { c: text("7") });
        assert_eq!(
            c[3],
            Inline::New {
                c: vec![Inline::Strong { c: text("6") }]
            }
        );
        assert_eq!(
            c[4],
            Inline::Note {
                c: text("Motivo della modifica: Aggiornamento")
            }
        );
    }

    #[test]
    fn lists_headings_tables_and_placeholders_are_blocks() {
        let md = "## Titolo\n\n1. uno\n2. due\n\n| A | B |\n|---|--:|\n| x | 1 |\n\n<!--piao:tabella:costi-->\n";
        let b = blocks(
            md,
            1,
            Resolve {
                link: &no_link,
                reason: None,
            },
        );
        assert!(matches!(&b[0], Block::Heading { level: 3, .. }), "{b:?}");
        assert!(matches!(&b[1], Block::List { ordered: true, items, .. } if items.len() == 2));
        assert!(
            matches!(&b[2], Block::Grid { numeric, rows, .. } if numeric == &vec![false, true] && rows.len() == 1)
        );
        assert!(matches!(&b[3], Block::Table { id } if id == "costi"));
    }

    #[test]
    fn reasons_can_be_numbered_references() {
        let mut seen = Vec::new();
        let runs = inlines("{++formativi++}{>>Precisazione<<}", &no_link, &mut |r| {
            seen.push(r.to_string());
            Some(seen.len())
        });
        assert_eq!(
            runs,
            vec![
                Inline::New {
                    c: text("formativi")
                },
                Inline::Ref { n: 1 }
            ]
        );
        assert_eq!(seen, ["Precisazione"]);
    }
}

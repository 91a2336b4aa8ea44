//! piao's Markdown: the parser options every stage reads it with, the placeholders the prose
//! stage leaves for the renderers (computed tables and charts), and plain text for titles and
//! labels. Rendering is the renderers' job (`render::site::markdown`, `render::print::blocks`).

use pulldown_cmark::{Event, Options, Parser};

/// CommonMark with tables, footnotes and strikethrough: the same for every reader of the
/// content, so the site and the print edition see the same document.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// What `{{ tabella(id=..) }}` and `{{ grafico(id=..) }}` leave in the Markdown, replaced by
/// each renderer with its own form of the element.
const TABLE_MARK_PREFIX: &str = "<!--piao:tabella:";
const CHART_MARK_PREFIX: &str = "<!--piao:grafico:";
const MARK_SUFFIX: &str = "-->";

/// A computed element placed in a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Table,
    Chart,
}

/// The placeholder of an element, as the prose stage writes it.
pub fn placeholder_for(kind: Placed, id: &str) -> String {
    let prefix = match kind {
        Placed::Table => TABLE_MARK_PREFIX,
        Placed::Chart => CHART_MARK_PREFIX,
    };
    format!("{prefix}{id}{MARK_SUFFIX}")
}

/// The element an HTML block of the expanded Markdown stands for, if it is a placeholder.
pub fn placeholder(html: &str) -> Option<(Placed, &str)> {
    let h = html.trim();
    let id = |prefix: &str| {
        h.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(MARK_SUFFIX))
            .map(str::trim)
    };
    id(TABLE_MARK_PREFIX)
        .map(|i| (Placed::Table, i))
        .or_else(|| id(CHART_MARK_PREFIX).map(|i| (Placed::Chart, i)))
}

/// Text content of inline events (for titles and anchors).
pub fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s
}

/// Plain text of a Markdown fragment (a page title, an indicator's name).
pub fn to_text(md: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(md, options()).collect();
    plain_text(&events).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_round_trip() {
        let table = placeholder_for(Placed::Table, "costi");
        assert_eq!(table, "<!--piao:tabella:costi-->");
        assert_eq!(placeholder(&table), Some((Placed::Table, "costi")));
        assert_eq!(
            placeholder(&format!("{}\n", placeholder_for(Placed::Chart, "eta"))),
            Some((Placed::Chart, "eta"))
        );
        assert_eq!(placeholder("<!-- altro -->"), None);
    }

    #[test]
    fn plain_text_of_markdown() {
        assert_eq!(to_text("**OS 1.1** – *titolo*"), "OS 1.1 – titolo");
    }
}

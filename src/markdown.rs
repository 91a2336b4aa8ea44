//! Markdown → HTML for pages and table cells: pulldown-cmark events, with three additions the
//! site needs: CriticMarkup revisions, footnotes linked both ways, and table placeholders that
//! the page renderer fills with the computed tables.

use crate::model::Revision;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::HashMap;

/// What a tera `tabella(id=..)` call leaves in the Markdown, replaced after parsing.
pub const TABLE_MARK_PREFIX: &str = "<!--piao:tabella:";
pub const TABLE_MARK_SUFFIX: &str = "-->";
/// What a tera `grafico(id=..)` call leaves in the Markdown.
pub const CHART_MARK_PREFIX: &str = "<!--piao:grafico:";

/// A computed element placed in a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    Table,
    Chart,
}

/// The element an HTML block of the expanded Markdown stands for, if it is a placeholder.
pub fn placeholder(html: &str) -> Option<(Placed, &str)> {
    let h = html.trim();
    let id = |prefix: &str| {
        h.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(TABLE_MARK_SUFFIX))
            .map(str::trim)
    };
    id(TABLE_MARK_PREFIX)
        .map(|i| (Placed::Table, i))
        .or_else(|| id(CHART_MARK_PREFIX).map(|i| (Placed::Chart, i)))
}

/// A rendered page body.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    /// Second-level headings, for the page's table of contents: (anchor, text).
    pub outline: Vec<(String, String)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

/// How revised text is tagged: for the site, with text a screen reader announces; for the
/// print renderer, bare tags it turns into its own marks.
pub struct Marks {
    pub del_open: &'static str,
    pub ins_open: &'static str,
}

impl Marks {
    pub const HTML: Marks = Marks {
        del_open: "<del class=\"rev-vecchio\"><span class=\"sr-only\">testo eliminato: </span>",
        ins_open: "<ins class=\"rev-nuovo\"><span class=\"sr-only\">testo inserito: </span>",
    };
    pub const PLAIN: Marks = Marks {
        del_open: "<del>",
        ins_open: "<ins>",
    };
}

/// Rewrites CriticMarkup into inline HTML whose meaning a screen reader announces, and turns
/// each `{>>reason<<}` into a footnote so the reason is linked both ways like any other note.
pub fn critic_markup(src: &str) -> (String, Vec<(usize, Revision<String>)>) {
    critic_with_footnotes(src, &Marks::HTML)
}

/// CriticMarkup with the given marks, each reason a Markdown footnote.
pub fn critic_with_footnotes(src: &str, marks: &Marks) -> (String, Vec<(usize, Revision<String>)>) {
    let mut notes = Vec::new();
    let (mut out, revisions) = critic_markup_with(src, marks, &mut |reason| {
        notes.push(reason.to_string());
        format!("[^piao-motivo-{}]", notes.len())
    });
    for (i, note) in notes.iter().enumerate() {
        out.push_str(&format!(
            "\n\n[^piao-motivo-{}]: Motivo della modifica: {}\n",
            i + 1,
            note
        ));
    }
    (out, revisions)
}

/// CriticMarkup to inline HTML; `reason` turns each `{>>reason<<}` into the Markdown or HTML
/// that refers to it. Returns the revisions with their byte offset in `src`.
pub fn critic_markup_with(
    src: &str,
    marks: &Marks,
    reason: &mut dyn FnMut(&str) -> String,
) -> (String, Vec<(usize, Revision<String>)>) {
    let mut out = String::with_capacity(src.len());
    let mut revisions = Vec::new();
    let mut rest = src;
    while let Some(start) = rest.find('{') {
        let offset = src.len() - rest.len() + start;
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let (open, close) = match tail.get(..3) {
            Some("{~~") => ("{~~", "~~}"),
            Some("{++") => ("{++", "++}"),
            Some("{--") => ("{--", "--}"),
            Some("{>>") => ("{>>", "<<}"),
            _ => {
                out.push('{');
                rest = &tail[1..];
                continue;
            }
        };
        let Some(end) = tail[3..].find(close) else {
            out.push('{');
            rest = &tail[1..];
            continue;
        };
        let inner = &tail[3..3 + end];
        rest = &tail[3 + end + 3..];
        let revision = |vecchio: &str, nuovo: &str| Revision {
            vecchio: vecchio.trim().to_string(),
            nuovo: nuovo.trim().to_string(),
            motivo: String::new(),
        };
        match open {
            "{~~" => {
                let (old, new) = inner.split_once("~>").unwrap_or((inner, ""));
                out.push_str(&format!(
                    "{}{}</del> {}{}</ins>",
                    marks.del_open,
                    old.trim(),
                    marks.ins_open,
                    new.trim()
                ));
                revisions.push((offset, revision(old, new)));
            }
            "{++" => {
                out.push_str(&format!("{}{}</ins>", marks.ins_open, inner.trim()));
                revisions.push((offset, revision("", inner)));
            }
            "{--" => {
                out.push_str(&format!("{}{}</del>", marks.del_open, inner.trim()));
                revisions.push((offset, revision(inner, "")));
            }
            _ => {
                let text = inner.trim();
                if let Some((_, last)) = revisions.last_mut().filter(|(_, r)| r.motivo.is_empty()) {
                    last.motivo = text.to_string();
                }
                out.push_str(&reason(text));
            }
        }
    }
    out.push_str(rest);
    (out, revisions)
}

/// The text in force: substitutions and insertions keep their new text, deletions and
/// reasons disappear. This is the consolidated edition of a Markdown fragment.
pub fn consolidate(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let close = match tail.get(..3) {
            Some("{~~") => "~~}",
            Some("{++") => "++}",
            Some("{--") => "--}",
            Some("{>>") => "<<}",
            _ => "",
        };
        let end = if close.is_empty() {
            None
        } else {
            tail[3..].find(close)
        };
        let Some(end) = end else {
            out.push('{');
            rest = &tail[1..];
            continue;
        };
        let inner = &tail[3..3 + end];
        match &tail[..3] {
            "{~~" => out.push_str(inner.split_once("~>").map_or("", |(_, new)| new).trim()),
            "{++" => out.push_str(inner.trim()),
            _ => {}
        }
        rest = &tail[3 + end + 3..];
    }
    out.push_str(rest);
    out
}

/// Renders a page body. `place` turns a placed table or chart into its HTML.
pub fn render_page(markdown: &str, place: &dyn Fn(Placed, &str) -> String) -> Rendered {
    let (src, _) = critic_markup(markdown);
    let parser = Parser::new_ext(&src, options());

    // Footnote definitions arrive as separate blocks: take them out, number the references
    // in reading order, and emit the notes once at the end with links back.
    let mut body: Vec<Event> = Vec::new();
    let mut defs: HashMap<String, Vec<Event>> = HashMap::new();
    let mut current_def: Option<(String, Vec<Event>)> = None;
    let mut order: Vec<String> = Vec::new();
    let mut refs: HashMap<usize, usize> = HashMap::new();
    let mut outline = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(HeadingLevel, Vec<Event>)> = None;

    for event in parser {
        if let Some((_, events)) = current_def.as_mut() {
            match event {
                Event::End(TagEnd::FootnoteDefinition) => {
                    let (name, events) = current_def.take().expect("inside a definition");
                    defs.insert(name, events);
                }
                other => events.push(other),
            }
            continue;
        }
        match event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                current_def = Some((name.to_string(), Vec::new()));
            }
            Event::FootnoteReference(name) => {
                let n = match order.iter().position(|o| o.as_str() == name.as_ref()) {
                    Some(i) => i + 1,
                    None => {
                        order.push(name.to_string());
                        order.len()
                    }
                };
                // The note links back to the first reference; later ones get their own id.
                let seen = refs.entry(n).or_insert(0);
                *seen += 1;
                let id = if *seen == 1 {
                    format!("rif-nota-{n}")
                } else {
                    format!("rif-nota-{n}-{seen}")
                };
                body.push(Event::Html(CowStr::from(format!(
                    "<sup class=\"nota-rif\"><a href=\"#nota-{n}\" id=\"{id}\" aria-describedby=\"titolo-note\">{n}</a></sup>"
                ))));
            }
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, Vec::new())),
            Event::End(TagEnd::Heading(level)) => {
                let (_, inner) = heading.take().expect("inside a heading");
                let text = plain_text(&inner);
                let mut id = slugify(&text);
                let count = used_ids.entry(id.clone()).or_insert(0);
                *count += 1;
                if *count > 1 {
                    id = format!("{id}-{count}");
                }
                if level == HeadingLevel::H2 {
                    outline.push((id.clone(), text));
                }
                let mut inner_html = String::new();
                html::push_html(&mut inner_html, inner.into_iter());
                body.push(Event::Html(CowStr::from(format!(
                    "<{level} id=\"{id}\">{inner_html}</{level}>\n"
                ))));
            }
            Event::Html(h) if placeholder(&h).is_some() => {
                let (kind, id) = placeholder(&h).expect("just matched");
                body.push(Event::Html(CowStr::from(place(kind, id))));
            }
            other => match heading.as_mut() {
                Some((_, inner)) => inner.push(other),
                None => body.push(other),
            },
        }
    }

    let mut out = String::new();
    html::push_html(&mut out, body.into_iter());
    if !order.is_empty() {
        out.push_str("<section class=\"note\" aria-labelledby=\"titolo-note\">\n<h2 id=\"titolo-note\">Note</h2>\n<ol>\n");
        for (i, name) in order.iter().enumerate() {
            let n = i + 1;
            let mut note = String::new();
            if let Some(events) = defs.remove(name) {
                html::push_html(&mut note, events.into_iter());
            }
            let note = note.trim_end();
            let back = format!(
                " <a href=\"#rif-nota-{n}\" class=\"nota-torna\" aria-label=\"Torna al richiamo della nota {n}\">↩</a>"
            );
            let note = match note.strip_suffix("</p>") {
                Some(stripped) => format!("{stripped}{back}</p>"),
                None => format!("{note}{back}"),
            };
            out.push_str(&format!("<li id=\"nota-{n}\">{note}</li>\n"));
        }
        out.push_str("</ol>\n</section>\n");
    }
    Rendered { html: out, outline }
}

/// Renders a table cell's Markdown: a single paragraph loses its `<p>`, lists stay lists.
pub fn render_cell(markdown: &str) -> String {
    render_fragment(markdown, &mut |_| String::new())
}

/// Renders a Markdown fragment whose revision reasons become `reason`'s references (the
/// page collects the notes).
pub fn render_fragment(markdown: &str, reason: &mut dyn FnMut(&str) -> String) -> String {
    let (src, _) = critic_markup_with(markdown, &Marks::HTML, reason);
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(&src, options()));
    let trimmed = out.trim();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
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

/// Plain text of a Markdown fragment (a page title).
pub fn markdown_to_text(md: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(md, options()).collect();
    plain_text(&events).trim().to_string()
}

/// URL fragment for a heading: lowercase ASCII, accents folded, words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for ch in text.chars() {
        let folded = match ch {
            'à' | 'á' | 'À' | 'Á' => 'a',
            'è' | 'é' | 'È' | 'É' => 'e',
            'ì' | 'í' | 'Ì' | 'Í' => 'i',
            'ò' | 'ó' | 'Ò' | 'Ó' => 'o',
            'ù' | 'ú' | 'Ù' | 'Ú' => 'u',
            c => c,
        };
        if folded.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            out.push(folded.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "sezione".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn critic_substitution_with_reason_becomes_del_ins_and_a_note() {
        let (md, revs) = critic_markup("n. {~~7~>**6**~~}{>>Aggiornamento<<} unità");
        assert!(md.contains(
            "<del class=\"rev-vecchio\"><span class=\"sr-only\">testo eliminato: </span>7</del>"
        ));
        assert!(md.contains("[^piao-motivo-1]"));
        assert_eq!(revs.len(), 1);
        assert_eq!(revs[0].0, 3);
        assert_eq!(revs[0].1.vecchio, "7");
        assert_eq!(revs[0].1.nuovo, "**6**");
        assert_eq!(revs[0].1.motivo, "Aggiornamento");
        let page = render_page(
            "# T\n\nn. {~~7~>6~~}{>>Aggiornamento<<} unità\n",
            &|_, _| String::new(),
        );
        assert!(page.html.contains("<ins class=\"rev-nuovo\">"));
        assert!(page.html.contains("Motivo della modifica: Aggiornamento"));
        assert!(page.html.contains("href=\"#rif-nota-1\""));
    }

    #[test]
    fn footnotes_are_linked_both_ways() {
        let page = render_page(
            "# T\n\nTesto[^1].\n\n[^1]: Dato ogni 100 mila abitanti\n",
            &|_, _| String::new(),
        );
        assert!(page.html.contains("<a href=\"#nota-1\" id=\"rif-nota-1\""));
        assert!(
            page.html.contains(
                "<li id=\"nota-1\"><p>Dato ogni 100 mila abitanti <a href=\"#rif-nota-1\""
            )
        );
    }

    #[test]
    fn headings_get_unique_anchors_and_tables_are_placed() {
        let page = render_page(
            "# Titolo\n\n## Età media\n\n## Età media\n\n<!--piao:tabella:t1-->\n",
            &|_, id| format!("<table id=\"{id}\"></table>"),
        );
        assert!(page.html.contains("<h2 id=\"eta-media\">"));
        assert!(page.html.contains("<h2 id=\"eta-media-2\">"));
        assert!(page.html.contains("<table id=\"t1\"></table>"));
        assert_eq!(page.outline.len(), 2);
    }

    #[test]
    fn cells_lose_their_paragraph() {
        assert_eq!(render_cell("**RPCT**"), "<strong>RPCT</strong>");
        assert!(render_cell("- uno\n- due").starts_with("<ul>"));
    }
}

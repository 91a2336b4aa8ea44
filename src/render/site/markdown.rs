//! Markdown → HTML for the site: pulldown-cmark events, with what the site adds: CriticMarkup
//! revisions announced to screen readers, footnotes linked both ways, headings with anchors
//! for the page's own table of contents, and the placeholders of computed tables and charts
//! filled with their HTML.

use crate::critic::{self, Marks};
use crate::markdown::{Placed, options, placeholder, plain_text};
use crate::names::anchor;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};
use std::collections::HashMap;

/// Revised text as the site tags it: struck and marked, with the words a screen reader says.
pub const MARKS: Marks = Marks {
    del_open: "<del class=\"rev-vecchio\"><span class=\"sr-only\">testo eliminato: </span>",
    ins_open: "<ins class=\"rev-nuovo\"><span class=\"sr-only\">testo inserito: </span>",
};

/// A rendered page body.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub html: String,
    /// Second-level headings, for the page's table of contents: (anchor, text).
    pub outline: Vec<(String, String)>,
}

/// Renders a page body. `place` turns a placed table or chart into its HTML.
pub fn render_page(markdown: &str, place: &dyn Fn(Placed, &str) -> String) -> Rendered {
    let src = critic::mark_up_with_footnotes(markdown, &MARKS);
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
                    if let Some((name, events)) = current_def.take() {
                        defs.insert(name, events);
                    }
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
                let inner = heading.take().map(|(_, inner)| inner).unwrap_or_default();
                let text = plain_text(&inner);
                let mut id = anchor(&text);
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
                if let Some((kind, id)) = placeholder(&h) {
                    body.push(Event::Html(CowStr::from(place(kind, id))));
                }
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

/// Renders a Markdown fragment whose revision reasons become `reason`'s references (the
/// page collects the notes).
pub fn render_fragment(markdown: &str, reason: &mut dyn FnMut(&str) -> String) -> String {
    let src = critic::mark_up(markdown, &MARKS, reason);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn critic_substitution_with_reason_becomes_del_ins_and_a_note() {
        let page = render_page(
            "# T\n\nn. {~~7~>6~~}{>>Aggiornamento<<} unità\n",
            &|_, _| String::new(),
        );
        assert!(page.html.contains(
            "<del class=\"rev-vecchio\"><span class=\"sr-only\">testo eliminato: </span>7</del>"
        ));
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
        let cell = |md: &str| render_fragment(md, &mut |_| String::new());
        assert_eq!(cell("**RPCT**"), "<strong>RPCT</strong>");
        assert!(cell("- uno\n- due").starts_with("<ul>"));
        assert_eq!(
            render_fragment("a {++b++}{>>perché<<}", &mut |r| format!("[{r}]")),
            "a <ins class=\"rev-nuovo\"><span class=\"sr-only\">testo inserito: </span>b</ins>[perché]"
        );
    }
}

//! Markdown → HTML for the site: pulldown-cmark events, with what the site adds: CriticMarkup
//! revisions announced to screen readers, footnotes linked both ways, headings with anchors
//! for the page's own table of contents, and the placeholders of computed tables and charts
//! filled with their HTML.

use crate::critic::{self, Marks};
use crate::markdown::{HeadingIds, Placed, link_target, options, placeholder, plain_text};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd, html};
use std::collections::{HashMap, HashSet};

/// Revised text as the site tags it: struck and marked, with the words a screen reader says.
pub const MARKS: Marks = Marks {
    del_open: "<del class=\"rev-vecchio\"><span class=\"sr-only\">testo eliminato: </span>",
    ins_open: "<ins class=\"rev-nuovo\"><span class=\"sr-only\">testo inserito: </span>",
};

/// The inline tags of [`MARKS`], the only raw HTML the site lets through from a text.
const OWN_TAGS: [&str; 6] = [
    "<del class=\"rev-vecchio\">",
    "<ins class=\"rev-nuovo\">",
    "<span class=\"sr-only\">",
    "</span>",
    "</del>",
    "</ins>",
];

/// The events of a text as the site may publish them, whatever the text says: raw HTML other
/// than the revision marks, the tags of `own` (what the renderer itself wrote into the text)
/// and, in a page, the placeholders becomes visible text, a link to
/// a refused address keeps only its words, an image only its description. The content checks
/// (`markdown::check`) refuse all of these with their place before rendering; this is the
/// guarantee that nothing a check might miss reaches a reader's browser as markup or script.
fn safe<'a>(
    events: impl Iterator<Item = Event<'a>>,
    placeholders: bool,
    own: HashSet<String>,
) -> impl Iterator<Item = Event<'a>> {
    // For each open link: whether it was dropped.
    let mut links: Vec<bool> = Vec::new();
    events.filter_map(move |event| match event {
        Event::Html(h) if placeholders && placeholder(&h).is_some() => Some(Event::Html(h)),
        Event::Html(h) | Event::InlineHtml(h)
            if OWN_TAGS.contains(&h.as_ref()) || own.contains(h.as_ref()) =>
        {
            Some(Event::InlineHtml(h))
        }
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let refused =
                link_type != pulldown_cmark::LinkType::Email && link_target(&dest_url).is_err();
            links.push(refused);
            (!refused).then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => {
            let refused = links.pop().unwrap_or(false);
            (!refused).then_some(Event::End(TagEnd::Link))
        }
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    })
}

/// The tags of a piece of HTML, each as the parser reports it.
fn tags(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        out.push(rest[start..=start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

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
    let parser = safe(Parser::new_ext(&src, options()), true, HashSet::new());

    // Footnote definitions arrive as separate blocks: take them out, number the references
    // in reading order, and emit the notes once at the end with links back.
    let mut body: Vec<Event> = Vec::new();
    let mut defs: HashMap<String, Vec<Event>> = HashMap::new();
    let mut current_def: Option<(String, Vec<Event>)> = None;
    let mut order: Vec<String> = Vec::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut refs: HashMap<usize, usize> = HashMap::new();
    let mut outline = Vec::new();
    let mut heading_ids = HeadingIds::default();
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
                let n = match numbers.get(name.as_ref()) {
                    Some(&n) => n,
                    None => {
                        order.push(name.to_string());
                        numbers.insert(name.to_string(), order.len());
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
                let id = heading_ids.next(&text);
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
    // The references are HTML the renderer writes: their tags are let through, no others.
    let mut own = HashSet::new();
    let src = critic::mark_up(markdown, &MARKS, &mut |r| {
        let html = reason(r);
        own.extend(tags(&html));
        html
    });
    let mut out = String::new();
    html::push_html(&mut out, safe(Parser::new_ext(&src, options()), false, own));
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
    fn raw_html_refused_links_and_images_never_reach_the_page() {
        let page = render_page(
            "# T\n\n<script>alert(1)</script>\n\nTesto <img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) ![z](http://e.it/z.png) [ok](https://e.it) <!--piao:tabella:t-->\n",
            &|_, _| "TABELLA".to_string(),
        );
        assert!(!page.html.contains("<script"), "{}", page.html);
        assert!(!page.html.contains("<img"), "{}", page.html);
        assert!(
            !page.html.to_lowercase().contains("href=\"javascript"),
            "{}",
            page.html
        );
        assert!(page.html.contains("&lt;script&gt;"), "{}", page.html);
        assert!(
            page.html.contains("<a href=\"https://e.it\">ok</a>"),
            "{}",
            page.html
        );
        // An inline placeholder is not placed.
        assert!(!page.html.contains("TABELLA"), "{}", page.html);
        let cell = render_fragment("<b>x</b> <!--piao:tabella:t-->", &mut |_| String::new());
        assert_eq!(cell, "&lt;b&gt;x&lt;/b&gt; &lt;!--piao:tabella:t--&gt;");
    }

    /// The elements the site's Markdown may produce: pulldown-cmark's own and the marks of
    /// revisions and notes.
    const ELEMENTS: [&str; 32] = [
        "p",
        "em",
        "strong",
        "del",
        "ins",
        "span",
        "a",
        "code",
        "pre",
        "ul",
        "ol",
        "li",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "sup",
        "section",
        "div",
        "input",
        "img",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Whatever a text says, the site publishes only the elements of Markdown and its own
        /// marks, and only links the content rules permit: never a script, a frame, an image,
        /// an event handler (any other text is escaped) or a `javascript:` address.
        #[test]
        fn any_text_renders_without_foreign_markup(src in "([-*_`>#|\\[\\]()<>!{}~+=^:\"'/ \n]|<script>|<img src=x onerror=alert(1)>|<iframe>|<b>|<!--|-->|javascript:|JaVaScRiPt:|&#106;|data:|https://e.it|\\{\\+\\+|\\+\\+\\}|\\{>>|<<\\}|\\[\\^1\\]|a|1\\.){0,60}") {
            let page = render_page(&format!("# T\n\n{src}"), &|_, _| String::new()).html;
            let cell = render_fragment(&src, &mut |r| format!("<sup class=\"rif-modifica\"><a href=\"#m\">{}</a></sup>", r.len()));
            for html in [page, cell] {
                let mut rest = html.as_str();
                while let Some(i) = rest.find('<') {
                    rest = &rest[i + 1..];
                    let name: String = rest
                        .trim_start_matches('/')
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    proptest::prop_assert!(
                        ELEMENTS.contains(&name.as_str()) && name != "img" && name != "input",
                        "<{} in {}", name, html
                    );
                }
                let lower = html.to_lowercase();
                proptest::prop_assert!(!lower.contains("href=\"javascript") && !lower.contains("href=\"data:"), "{}", html);
            }
        }
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

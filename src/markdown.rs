//! piao's Markdown: the parser options every stage reads it with, the rules every text must
//! follow before either renderer reads it ([`check`]), the placeholders the prose stage leaves
//! for the renderers (computed tables and charts), and plain text for titles and labels.
//! Rendering is the renderers' job (`render::site::markdown`, `render::print::blocks`).
//!
//! The policy, the same for the site and the PDF: content is Markdown and nothing else. Raw
//! HTML (blocks, inline tags and comments) and images are errors, because the PDF cannot show
//! them and the site must not publish markup or script nobody reviewed; links go to `http`,
//! `https`, `mailto` or a relative address; nesting and word length have limits the print
//! edition can typeset.

pub use crate::critic::Problem;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

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

/// The ids of a page's headings, in reading order: the heading's anchor, with `-2`, `-3` for
/// a repeated one. The site gives its headings these ids and the Prospetto delle modifiche
/// links to them, so both must count the same way: this is the one place that does.
#[derive(Debug, Default)]
pub struct HeadingIds {
    used: std::collections::HashMap<String, usize>,
}

impl HeadingIds {
    /// The id of the next heading, whose plain text is `text`.
    pub fn next(&mut self, text: &str) -> String {
        let id = crate::names::anchor(text);
        let count = self.used.entry(id.clone()).or_insert(0);
        *count = count.saturating_add(1);
        if *count > 1 {
            format!("{id}-{count}")
        } else {
            id
        }
    }
}

/// The plain text in force of a revised Markdown fragment (CriticMarkup resolved): what
/// open data, alternative texts and the checks' messages print of it.
pub fn plain(md: &str) -> String {
    to_text(&crate::critic::consolidate(md))
}

/// Plain text of a Markdown fragment (a page title, an indicator's name).
pub fn to_text(md: &str) -> String {
    let events: Vec<Event> = Parser::new_ext(md, options()).collect();
    plain_text(&events).trim().to_string()
}

/// Quotes and lists inside one another, at most: beyond any legible document (writing guides
/// for public administrations advise two or three levels) and within what the print edition
/// can lay out with a margin. Each level is a show rule of the PDF's layout, whose depth is
/// bounded: twelve quotes with ten levels of emphasis inside already fail, eight of each
/// typeset in every place a text can be (a page, a footnote, a card's table).
pub const MAX_BLOCK_NESTING: usize = 8;

/// Emphasis, strike-through and links inside one another, at most (the same reason as
/// [`MAX_BLOCK_NESTING`]; a real text uses two).
pub const MAX_INLINE_NESTING: usize = 8;

/// The longest word, in characters: the longest web address a document cites is a few hundred
/// characters; a longer run of characters without a space cannot be broken into lines by the
/// print edition.
pub const MAX_WORD: usize = 1000;

/// The most elements (paragraphs, headings, list items, quotes, table cells, rules, line
/// breaks, formatted parts: bold, italic, struck, links, code) in one text. The PDF lays out
/// each on its own, at a cost of some kilobytes of memory apiece: a real page has a few
/// hundred, and this many keep a page of the largest size typeset in a few seconds and a
/// few hundred megabytes.
pub const MAX_ELEMENTS: usize = 10_000;

/// The most footnotes in one text: a real page has a handful, and each note costs the PDF far
/// more than a paragraph (its page is laid out again to make room for it).
pub const MAX_NOTES: usize = 500;

/// What a text may contain besides Markdown.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    /// A page as written by the office: Markdown only.
    Written,
    /// A text of the data (a cell, a description, a note, a reason), shown inside a table, a
    /// card or a list: paragraphs, lists, emphasis, links, code and notes, but not the blocks
    /// that belong to a page (headings, quotes, tables, rules), which would break the outline
    /// of the accessible PDF or have no place in a cell.
    Data,
    /// A page after its expressions are expanded: also the placeholders of the tables and
    /// charts `known` accepts, each on a line of its own.
    Expanded {
        known: &'a dyn Fn(Placed, &str) -> bool,
    },
}

/// Checks a text the renderers will read as Markdown: CriticMarkup well formed, no raw HTML,
/// no image, only permitted links, nesting and words within the limits. The first problem
/// found (in text order) is returned with its byte offset in `md`.
pub fn check(md: &str, source: Source<'_>) -> Result<(), Problem> {
    crate::critic::check(md)?;
    let parser = Parser::new_ext(md, options()).into_offset_iter();
    let mut first: Option<Problem> = None;
    // Reference definitions are links too, even unused ones: each is checked where written.
    for (_, def) in parser.reference_definitions().iter() {
        if let Err(why) = link_target(&def.dest) {
            keep_first(&mut first, Problem::new(def.span.start, why));
        }
    }
    let mut blocks = 0usize;
    let mut inlines = 0usize;
    let (mut elements, mut notes) = (0usize, 0usize);
    // The word being read: where it starts and how many characters it has so far.
    let mut word: Option<(usize, usize)> = None;
    for (event, range) in parser {
        if first.as_ref().is_some_and(|f| f.offset <= range.start) {
            break;
        }
        let at = range.start;
        let problem = match &event {
            Event::Start(Tag::Heading { .. } | Tag::BlockQuote(_) | Tag::Table(_))
            | Event::Rule
                if matches!(source, Source::Data) =>
            {
                Some("in un testo dei dati (celle, descrizioni, note, motivi) non sono ammessi titoli, citazioni, tabelle e linee orizzontali: stanno nelle pagine".to_string())
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                blocks += 1;
                (blocks > MAX_BLOCK_NESTING).then(|| {
                    format!(
                        "elenchi e citazioni annidati su più di {MAX_BLOCK_NESTING} livelli: il testo va semplificato (il PDF non li può comporre)"
                    )
                })
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => {
                blocks = blocks.saturating_sub(1);
                None
            }
            Event::Start(tag @ (Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })) => {
                inlines += 1;
                let link = match tag {
                    Tag::Link {
                        dest_url,
                        link_type,
                        ..
                    } if *link_type != LinkType::Email => link_target(dest_url).err(),
                    _ => None,
                };
                link.or_else(|| {
                    (inlines > MAX_INLINE_NESTING).then(|| {
                        format!(
                            "enfasi, barrati e collegamenti annidati su più di {MAX_INLINE_NESTING} livelli: il testo va semplificato"
                        )
                    })
                })
            }
            Event::Code(t) => {
                if let Some(start) = long_word(t, at, &mut word) {
                    keep_first(&mut first, Problem::new(start, too_long()));
                }
                None
            }
            Event::FootnoteReference(_) => {
                notes += 1;
                (notes > MAX_NOTES).then(|| {
                    format!(
                        "più di {MAX_NOTES} note a piè di pagina in un solo testo: le note vanno ridotte o il testo diviso"
                    )
                })
            }
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link) => {
                inlines = inlines.saturating_sub(1);
                None
            }
            Event::Start(Tag::Image { .. }) => Some(
                "immagine non ammessa: piao non pubblica immagini dei contenuti (i grafici si inseriscono con {{ grafico(id=\"...\") }})".to_string(),
            ),
            Event::Html(html) | Event::InlineHtml(html) => {
                html_problem(html, source, matches!(event, Event::Html(_)))
            }
            Event::Text(t) => {
                // Located where the word starts, not where the parser split it.
                if let Some(start) = long_word(t, at, &mut word) {
                    keep_first(&mut first, Problem::new(start, too_long()));
                }
                None
            }
            _ => None,
        };
        if is_element(&event) {
            elements += 1;
            if elements > MAX_ELEMENTS {
                keep_first(
                    &mut first,
                    Problem::new(
                        at,
                        format!(
                            "più di {MAX_ELEMENTS} elementi (paragrafi, titoli, voci di elenco, citazioni, celle, parti formattate, a capo) in un solo testo: va diviso in più pagine o in più tabelle di dati"
                        ),
                    ),
                );
            }
        }
        // Text and inline marks continue a word; anything else (a break, a block) ends it.
        let continues = matches!(
            event,
            Event::Text(_)
                | Event::Code(_)
                | Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
                | Event::End(
                    TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link
                )
        );
        if !continues {
            word = None;
        }
        if let Some(message) = problem {
            keep_first(&mut first, Problem::new(at, message));
        }
    }
    match first {
        Some(p) => Err(p),
        None => Ok(()),
    }
}

/// Whether an event is an element the PDF lays out on its own (see [`MAX_ELEMENTS`]).
fn is_element(event: &Event) -> bool {
    matches!(
        event,
        Event::Start(
            Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::Item
                | Tag::TableCell
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
        ) | Event::Code(_)
            | Event::Rule
            | Event::HardBreak
    )
}

/// Keeps the problem that comes first in the text.
fn keep_first(first: &mut Option<Problem>, p: Problem) {
    if first.as_ref().is_none_or(|f| p.offset < f.offset) {
        *first = Some(p);
    }
}

fn too_long() -> String {
    format!(
        "parola di più di {MAX_WORD} caratteri senza spazi: il PDF non la può spezzare su più righe; inserire degli spazi"
    )
}

/// Checks plain text (a title, a name, a target): only its words, which the PDF must be able
/// to break into lines.
pub fn check_words(text: &str) -> Result<(), Problem> {
    match long_word(text, 0, &mut None) {
        Some(at) => Err(Problem::new(at, too_long())),
        None => Ok(()),
    }
}

/// Adds the characters of `text` (at `offset` of the source) to the word being read; the
/// offset where a word too long starts, once it exceeds [`MAX_WORD`].
fn long_word(text: &str, offset: usize, word: &mut Option<(usize, usize)>) -> Option<usize> {
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            *word = None;
            continue;
        }
        let (start, len) = word.get_or_insert((offset + i, 0));
        *len += 1;
        if *len > MAX_WORD {
            return Some(*start);
        }
    }
    None
}

/// What is wrong with a piece of raw HTML, if anything: only the placeholders of an expanded
/// page, each a block of its own and naming an element that exists, are accepted.
fn html_problem(html: &str, source: Source<'_>, block: bool) -> Option<String> {
    let placed = placeholder(html);
    if let (Some((kind, id)), Source::Expanded { known }) = (placed, source) {
        return if !block {
            Some("{{ tabella(..) }} e {{ grafico(..) }} vanno scritti su una riga a sé, separati dal testo da righe vuote".to_string())
        } else if known(kind, id) {
            None
        } else {
            Some(format!(
                "segnaposto di un elemento inesistente «{id}»: le tabelle e i grafici si inseriscono con {{{{ tabella(id=\"...\") }}}} e {{{{ grafico(id=\"...\") }}}}"
            ))
        };
    }
    if placed.is_some() || html.contains(TABLE_MARK_PREFIX) || html.contains(CHART_MARK_PREFIX) {
        return Some("segnaposto interno di piao: per inserire una tabella o un grafico si scrive {{ tabella(id=\"...\") }} o {{ grafico(id=\"...\") }} su una riga a sé".to_string());
    }
    let shown: String = html.trim().chars().take(40).collect();
    let shown = shown.split('\n').next().unwrap_or_default();
    let advice = if html.trim_start().starts_with("<!--") {
        "un commento HTML sarebbe pubblicato nel sito ma non nel PDF; una nota di lavoro da non pubblicare si scrive, nelle pagine, come commento {# … #}"
    } else {
        "il testo è Markdown (grassetto **così**, elenchi con «- », a capo con una riga vuota) e il PDF non può mostrare HTML"
    };
    Some(format!(
        "HTML non ammesso nei contenuti («{shown}»): {advice}"
    ))
}

/// Whether a link may lead to `dest`: `http`, `https`, `mailto` or a relative address (a page
/// of the site). Anything else (`javascript:`, `data:`, `vbscript:`, `file:`…) is refused,
/// however it is spelt: the destination is read as a browser reads it, after entities and
/// escapes are decoded (the parser does that), ignoring case, and refusing control characters
/// and white space browsers drop inside a scheme.
pub fn link_target(dest: &str) -> Result<(), String> {
    if dest.chars().any(|c| c.is_control()) {
        return Err(
            "indirizzo del collegamento con caratteri di controllo: scrivere l'indirizzo per intero, senza tabulazioni né a capo".to_string(),
        );
    }
    if dest.len() > MAX_ADDRESS {
        return Err(format!(
            "indirizzo del collegamento lungo più di {MAX_ADDRESS} caratteri: il PDF/A non lo può contenere"
        ));
    }
    match scheme(dest) {
        None => Ok(()),
        Some((scheme, _)) if ALLOWED_SCHEMES.contains(&scheme.as_str()) => Ok(()),
        Some((_, written)) => {
            let shown: String = written.chars().take(30).collect();
            Err(format!(
                "collegamento a un indirizzo «{shown}:» non ammesso: i collegamenti portano a indirizzi http://, https://, mailto: o a pagine del sito (indirizzi relativi)"
            ))
        }
    }
}

/// The schemes a link may use.
const ALLOWED_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// The longest address of a link: browsers and servers commonly refuse longer ones, and the
/// PDF/A standard caps every string at 32767 bytes.
pub const MAX_ADDRESS: usize = 2000;

/// Whether `dest` leads outside the site, with a permitted scheme (`https://…`, `mailto:…`).
pub fn is_external(dest: &str) -> bool {
    link_target(dest).is_ok() && scheme(dest).is_some()
}

/// The scheme of an address, lower-cased and without the white space browsers drop, with the
/// text as written: what comes before the first `:` that precedes any `/`, `?` or `#`. `None`
/// for a relative address.
fn scheme(dest: &str) -> Option<(String, &str)> {
    let dest = dest.trim_matches(|c: char| c.is_whitespace());
    let end = dest.find(['/', '?', '#']).unwrap_or(dest.len());
    let colon = dest[..end].find(':')?;
    let written = &dest[..colon];
    let scheme = written
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    Some((scheme, written))
}

/// Whether a character next to `+`, `-` or `=` could make a CriticMarkup mark with it.
fn critic_neighbour(c: Option<&char>) -> bool {
    matches!(c, Some('{' | '}' | '+' | '-' | '=' | '~' | '<' | '>'))
}

/// Plain text (a value of `documento.json`, a title) as Markdown that reads as that text and
/// nothing else: the characters that could start markup, HTML, a link or a revision are
/// escaped, and line breaks become spaces so an expression still expands within its line.
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    // Where the text starts a line (after any indentation), a block could open.
    let start = chars.iter().take_while(|c| c.is_whitespace()).count();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '!' | '{' | '}' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            // The marks of CriticMarkup (`{++`, `--}`, `==}`…): a backslash between each two of
            // their characters, since the revisions are read before the Markdown.
            '+' | '-' | '='
                if critic_neighbour(i.checked_sub(1).and_then(|p| chars.get(p)))
                    || critic_neighbour(chars.get(i + 1)) =>
            {
                out.push('\\');
                out.push(c);
            }
            // What could open a block where the text starts a line.
            '#' | '+' | '-' | '=' if i == start => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    // `1. testo` at the start of a line would open a numbered list.
    let lead = out.len() - out.trim_start().len();
    let digits = out[lead..].chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && matches!(out[lead + digits..].chars().next(), Some('.' | ')')) {
        out.insert(lead + digits, '\\');
    }
    out
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

    #[track_caller]
    fn problem(md: &str) -> (usize, String) {
        let p = check(md, Source::Written).unwrap_err();
        (p.offset, p.message)
    }

    #[test]
    fn ordinary_markdown_passes() {
        let md = "# T\n\nTesto **grassetto** e *corsivo*, ~~barrato~~, `codice`, [sito](https://e.it), [pagina](../obiettivi/index.html), <https://e.it>, <ufficio@e.it>, [posta](mailto:a@b.it), a < b, 3 > 2, A&B.\n\n- uno\n- due\n\n> citazione\n\n| a | b |\n|---|--:|\n| x | 1 |\n\nNota[^1] {~~7~>6~~}{>>motivo<<}.\n\n[^1]: Testo della nota.\n\n[rif]: https://e.it\n";
        assert_eq!(check(md, Source::Written), Ok(()));
    }

    #[test]
    fn raw_html_is_an_error_at_its_place() {
        for (md, at) in [
            ("a <script>alert(1)</script>", 2),
            ("<script>\nalert(1)\n</script>\n", 0),
            ("x <img src=x onerror=alert(1)>", 2),
            ("<iframe src=\"https://e.it\"></iframe>", 0),
            ("testo\n\n<!-- nota -->\n", 7),
            ("a <br> b", 2),
            ("**a <b>x</b>**", 4),
        ] {
            let (offset, msg) = problem(md);
            assert_eq!(offset, at, "{md}");
            assert!(msg.starts_with("HTML non ammesso"), "{md}: {msg}");
        }
        assert!(problem("<!-- x -->").1.contains("{# … #}"));
    }

    #[test]
    fn links_lead_only_to_permitted_addresses() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "[x](<java script:alert(1)>)",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](vbscript:msgbox(1))",
            "[x](file:///etc/passwd)",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
        ] {
            let (_, msg) = problem(md);
            assert!(
                msg.contains("non ammesso") || msg.contains("caratteri di controllo"),
                "{md}: {msg}"
            );
        }
        // A reference definition is found where it is written, even unused.
        assert_eq!(problem("Testo.\n\n[r]: vbscript:x\n").0, 8);
        assert!(
            problem("![grafico](https://e.it/a.png)")
                .1
                .starts_with("immagine")
        );
        let long = format!("[x](https://e.it/{})", "a".repeat(MAX_ADDRESS));
        assert!(problem(&long).1.contains("lungo"));
        assert!(is_external("HTTPS://e.it") && is_external("mailto:a@b.it"));
        assert!(!is_external("../a.html") && !is_external("pagina.html#x:1"));
    }

    #[test]
    fn texts_of_the_data_have_no_page_blocks() {
        let data = |md: &str| check(md, Source::Data).map_err(|p| p.offset);
        assert_eq!(
            data("Testo **forte**, [sito](https://e.it), nota[^1].\n\n- uno\n- due\n\n[^1]: n"),
            Ok(())
        );
        assert_eq!(data("a\n\n## Titolo"), Err(3));
        assert_eq!(data("a\n\n> citazione"), Err(3));
        assert_eq!(data("| a |\n|---|\n| b |"), Err(0));
        assert_eq!(data("a\n\n***\n"), Err(3));
        // In a page they are Markdown like any other.
        assert_eq!(check("## Titolo\n\n> c\n\n***\n", Source::Written), Ok(()));
    }

    #[test]
    fn placeholders_only_in_an_expanded_page_on_a_line_of_their_own() {
        let table = placeholder_for(Placed::Table, "costi");
        let known = |_: Placed, id: &str| id == "costi";
        let expanded = Source::Expanded { known: &known };
        assert_eq!(check(&format!("a\n\n{table}\n\nb"), expanded), Ok(()));
        assert!(
            problem(&format!("a\n\n{table}\n"))
                .1
                .starts_with("segnaposto interno")
        );
        let inline = check(&format!("testo {table} testo"), expanded).unwrap_err();
        assert!(inline.message.contains("riga a sé"), "{}", inline.message);
        let unknown = placeholder_for(Placed::Chart, "nessuno");
        let err = check(&format!("{unknown}\n"), expanded).unwrap_err();
        assert!(err.message.contains("inesistente"), "{}", err.message);
    }

    #[test]
    fn nesting_words_and_sizes_have_limits() {
        let quotes = |n: usize| format!("{} testo", "> ".repeat(n));
        assert_eq!(check(&quotes(MAX_BLOCK_NESTING), Source::Written), Ok(()));
        assert!(
            problem(&quotes(MAX_BLOCK_NESTING + 1))
                .1
                .contains("annidati")
        );
        let list: String = (0..=MAX_BLOCK_NESTING)
            .map(|i| format!("{}- voce\n", "  ".repeat(i)))
            .collect();
        let (at, msg) = problem(&list);
        assert!(msg.contains("annidati"), "{msg}");
        // At the marker of the list one level too deep.
        let marker = format!("\n{}-", "  ".repeat(MAX_BLOCK_NESTING));
        assert_eq!(at, list.find(&marker).unwrap() + marker.len() - 1);
        let mut emph = "x".to_string();
        for i in 0..=MAX_INLINE_NESTING {
            emph = if i % 2 == 0 {
                format!("*a {emph} a*")
            } else {
                format!("**b {emph} b**")
            };
        }
        assert!(problem(&emph).1.contains("annidati"));
        // A word is counted across formatting, from where it starts.
        let word = format!(
            "testo {}**{}**",
            "a".repeat(MAX_WORD / 2),
            "b".repeat(MAX_WORD / 2 + 1)
        );
        assert_eq!(problem(&word), (6, too_long()));
        assert_eq!(check_words(&format!("a {}", "é".repeat(MAX_WORD))), Ok(()));
        assert_eq!(
            check_words(&format!("a {}", "é".repeat(MAX_WORD + 1)))
                .unwrap_err()
                .offset,
            2
        );
        let paragraphs = "a\n\n".repeat(MAX_ELEMENTS + 1);
        assert_eq!(problem(&paragraphs).0, 3 * MAX_ELEMENTS);
        // Notes count where they are referenced (an undefined one is plain text).
        let notes: String = (0..=MAX_NOTES).map(|i| format!("n[^{i}] ")).collect();
        let defs: String = (0..=MAX_NOTES).map(|i| format!("\n\n[^{i}]: x")).collect();
        let (at, msg) = problem(&format!("{notes}{defs}"));
        assert_eq!(at, notes.find(&format!("[^{MAX_NOTES}]")).unwrap());
        assert!(msg.contains("note"), "{msg}");
        // CriticMarkup is checked first.
        assert!(problem("a {++b").1.starts_with("manca"));
    }

    #[test]
    fn escaped_text_reads_as_written() {
        for plain in [
            "Camera di commercio di Cremona-Mantova-Pavia",
            "<script>alert(1)</script>",
            "# 1. [x](javascript:y) {++a++} {--b--} {==c==} a~>b *b* `c` &amp; \\ ~~d~~ |e|",
            "- voce",
            "2025) anno",
        ] {
            let md = escape(plain);
            assert_eq!(check(&md, Source::Written), Ok(()), "{md}");
            assert_eq!(to_text(&md), plain.trim(), "{md}");
        }
        assert_eq!(escape("a\nb"), "a b");
    }

    #[test]
    fn plain_text_of_markdown() {
        assert_eq!(to_text("**OS 1.1** – *titolo*"), "OS 1.1 – titolo");
    }
}

//! Stage 5, expand: the prose. Every page is a tera template over the computed figures
//! (`dati`, `grandezze`, `documento`, `tabella(id=..)`, `grafico(id=..)`,
//! `obiettivi(ambito=..)`), so no figure is typed twice; the expanded Markdown is what both
//! renderers read, and its revisions are data.
//!
//! Before any renderer reads a text, this stage checks it by the rules of piao's Markdown
//! ([`markdown::check`]): the data's texts where they are written ([`texts`]), each page as
//! written and again once expanded (what its expressions wrote), so a problem is an error at
//! its place in the content, never a surprise in the site or in the PDF. Values inserted as
//! text (`documento`, objectives' codes and titles) are escaped, so they read as written.

pub mod place;
mod texts;

use crate::address;
use crate::compute::model::{Amendment, CONSEQUENCE, Computed, Printed, RowKind};
use crate::content::model::{Book, Objectives, PageSource, RevisionKind, WholeRevisionKind};
use crate::critic;
use crate::diag::{Diagnostic, Location};
use crate::format;
use crate::markdown::{self, Placed, Source, placeholder_for};
use place::Cursor;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::{Context, Kwargs, State, Tera};

/// A page with its figures filled in.
#[derive(Debug, Clone)]
pub struct ExpandedPage {
    /// Index of its section in the book.
    pub section: usize,
    pub slug: String,
    pub path: PathBuf,
    /// Its address in the site (a section with a single page has it as its index).
    pub url: String,
    pub title: String,
    /// Markdown without the title line; tables and charts are placeholders for the renderers.
    pub markdown: String,
    /// The revisions written in CriticMarkup, with their place in the page.
    pub amendments: Vec<Amendment>,
}

impl ExpandedPage {
    /// Whether the page places the table `id`.
    pub fn shows_table(&self, id: &str) -> bool {
        self.markdown.contains(&placeholder_for(Placed::Table, id))
    }
}

/// Expands every page of the book.
pub fn expand(book: &Book, computed: &Computed) -> Result<Vec<ExpandedPage>, Diagnostic> {
    texts::check(book)?;
    let mut tera = Tera::new();
    register_placeholder(
        &mut tera,
        "tabella",
        Placed::Table,
        computed.tables.keys().cloned().collect(),
        "manca il file {id}.json in una cartella di sezione",
    );
    register_placeholder(
        &mut tera,
        "grafico",
        Placed::Chart,
        computed.charts.keys().cloned().collect(),
        "i grafici sono dichiarati nei file grafici.json delle sezioni",
    );
    if let Some(objs) = book.objectives.clone() {
        tera.register_function(
            "obiettivi",
            move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                let ambito: String = kwargs.must_get("ambito")?;
                strategic_list(&objs, &ambito).ok_or_else(|| {
                    tera::Error::message(format!(
                        "ambito «{ambito}» inesistente: gli ambiti sono in obiettivi/ambiti.json"
                    ))
                })
            },
        );
    }
    let name_of = |p: &PageSource| {
        p.path
            .strip_prefix(&book.root)
            .unwrap_or(&p.path)
            .to_string_lossy()
            .to_string()
    };
    for section in &book.sections {
        for page in &section.pages {
            markdown::check(&without_comments(&page.text), Source::Written).map_err(|p| {
                Diagnostic::new(
                    Location::in_text(&page.path, &page.text, p.offset),
                    p.message,
                )
            })?;
            tera.add_raw_template(&name_of(page), &page.text)
                .map_err(|e| Diagnostic::from_tera(&page.path, &e))?;
        }
    }
    let mut ctx = Context::new();
    ctx.insert("documento", &escaped(&book.manifest));
    ctx.insert("dati", &data_context(computed));
    let quantities: BTreeMap<&str, String> = computed
        .quantities
        .iter()
        .map(|(k, q)| (k.as_str(), q.prose()))
        .collect();
    ctx.insert("grandezze", &quantities);

    let known = |kind: Placed, id: &str| match kind {
        Placed::Table => computed.tables.contains_key(id),
        Placed::Chart => computed.charts.contains_key(id),
    };
    let mut out = Vec::new();
    for (si, section) in book.sections.iter().enumerate() {
        for page in &section.pages {
            let text = tera
                .render(&name_of(page), &ctx)
                .map_err(|e| Diagnostic::from_tera(&page.path, &e))?;
            // What the expressions wrote follows the same rules as what the page says.
            markdown::check(&text, Source::Expanded { known: &known }).map_err(|p| {
                Diagnostic::new(
                    place::expanded(&page.path, &page.text, &text, p.offset),
                    p.message,
                )
            })?;
            // Expressions expand within their line, so line numbers match the source.
            let mut cursor = Cursor::new(&page.path, &text);
            let amendments = critic::edits(&text)
                .into_iter()
                .map(|e| {
                    let (kind, causes) = kind_of(computed, &e);
                    Amendment {
                        kind,
                        causes,
                        history: Vec::new(),
                        at: cursor.at(e.offset),
                        old: e.old,
                        new: e.new,
                        reason: e.reason,
                        field: None,
                        act: None,
                        inferred: (!e.inferred.is_empty()).then_some(e.inferred),
                        markdown: true,
                    }
                })
                .collect();
            let (title, body) = split_title(&page.path, &text)?;
            heading_levels(&page.path, &page.text, &text)?;
            out.push(ExpandedPage {
                section: si,
                slug: page.slug.clone(),
                path: page.path.clone(),
                url: address::page(&section.slug, &page.slug, section.pages.len() == 1),
                title,
                markdown: body.to_string(),
                amendments,
            });
        }
    }
    Ok(out)
}

/// A revision of the text is a rettifica or a consequence when it is exactly the one a
/// quantity writes (`{{ grandezze.id }}` of a figure published as corrected, or changed by
/// the update's revisions); any other is the update's own.
fn kind_of(computed: &Computed, e: &critic::Edit) -> (RevisionKind, Vec<Location>) {
    for q in computed.quantities.values() {
        let shown = |old: &rust_decimal::Decimal| e.new == q.display() && e.old == q.shown(*old);
        match &q.printed {
            Printed::Corrected { printed, reason } if e.reason == *reason && shown(printed) => {
                return (RevisionKind::Correction, Vec::new());
            }
            Printed::Changed { old, causes } if e.reason == CONSEQUENCE && shown(old) => {
                return (RevisionKind::Consequence, causes.clone());
            }
            _ => {}
        }
    }
    (RevisionKind::Update, Vec::new())
}

/// Registers `name(id=..)`, which leaves the placeholder of a computed element for the
/// renderers, and refuses an id that does not exist with `hint` (where `{id}` is the id).
fn register_placeholder(
    tera: &mut Tera,
    name: &'static str,
    kind: Placed,
    known: Vec<String>,
    hint: &'static str,
) {
    tera.register_function(
        name,
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let id: String = kwargs.must_get("id")?;
            if known.contains(&id) {
                Ok(placeholder_for(kind, &id))
            } else {
                Err(tera::Error::message(format!(
                    "{name} «{id}» inesistente: {}",
                    hint.replace("{id}", &id)
                )))
            }
        },
    );
}

/// The Markdown list of an ambito's strategic objectives, linked to their cards, for a page
/// one folder deep: what `{{ obiettivi(ambito="AS 1") }}` writes in the prose.
fn strategic_list(objs: &Objectives, ambito: &str) -> Option<String> {
    objs.ambiti.spec.ambiti.iter().find(|a| a.code == ambito)?;
    let mut md = String::new();
    for s in objs.strategic_of(ambito) {
        let weight = crate::compute::objectives::weight(&s.spec.weight);
        let line = format!(
            "[{} – {}](../{}) (peso {})",
            markdown::escape(&s.spec.code),
            markdown::escape(&s.spec.title),
            address::strategic(&s.slug),
            format::percent(weight, 0)
        );
        md.push_str(&match s.spec.revision.as_ref().map(|r| r.kind) {
            Some(WholeRevisionKind::Removed) => format!("- {{--{line}--}}\n"),
            Some(WholeRevisionKind::Added) => format!("- {{++{line}++}}\n"),
            None => format!("- {line}\n"),
        });
    }
    Some(md)
}

/// The values of `documento.json` as the pages insert them: plain text escaped as Markdown,
/// so `{{ documento.ente }}` writes the name as it is, never markup.
fn escaped(manifest: &crate::content::model::Manifest) -> serde_json::Value {
    fn escape_all(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::String(s) => serde_json::Value::String(markdown::escape(&s)),
            serde_json::Value::Array(items) => items.into_iter().map(escape_all).collect(),
            serde_json::Value::Object(map) => serde_json::Value::Object(
                map.into_iter().map(|(k, v)| (k, escape_all(v))).collect(),
            ),
            other => other,
        }
    }
    escape_all(serde_json::to_value(manifest).unwrap_or_default())
}

/// The page as the Markdown rules read it before expansion: tera comments (`{# … #}`, notes
/// that are never published) blanked out, every other byte in its place.
fn without_comments(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("{#") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find("#}").map_or(after.len(), |i| i + 2);
        // Line breaks stay and every character becomes as many spaces as it has bytes, so
        // every later byte keeps its offset, line and column.
        for c in after[..end].chars() {
            if c == '\n' {
                out.push('\n');
            } else {
                out.extend(std::iter::repeat_n(' ', c.len_utf8()));
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// `dati.<tabella>.<riga>.<colonna>`: the Italian text of every cell of every row with an id.
fn data_context(computed: &Computed) -> BTreeMap<&str, BTreeMap<&str, BTreeMap<&str, String>>> {
    computed
        .tables
        .iter()
        .map(|(id, t)| {
            let rows = t
                .rows
                .iter()
                .filter(|r| r.kind != RowKind::Group)
                .filter_map(|r| r.id.as_deref().map(|rid| (rid, r)))
                .map(|(rid, r)| {
                    (
                        rid,
                        t.columns
                            .iter()
                            .enumerate()
                            .map(|(c, col)| (col.id.as_str(), t.display(r, c)))
                            .collect(),
                    )
                })
                .collect();
            (id.as_str(), rows)
        })
        .collect()
}

/// Takes the page title (its first line, `# Titolo`) out of the body: the page template
/// places it above the page's own table of contents.
fn split_title<'a>(path: &Path, text: &'a str) -> Result<(String, &'a str), Diagnostic> {
    let start = text.len() - text.trim_start().len();
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    match text[start..line_end].strip_prefix("# ") {
        Some(t) if !t.trim().is_empty() => Ok((markdown::to_text(t), &text[line_end..])),
        _ => {
            let line = text[..start].matches('\n').count() + 1;
            Err(Diagnostic::new(
                Location::new(path, line, 1),
                "la pagina deve iniziare con il suo titolo: una riga «# Titolo»",
            ))
        }
    }
}

/// Headings go down one level at a time (`#` title, then `##`, `###`): screen readers navigate
/// by them, and the accessible PDF (PDF/UA-1) refuses a skipped level. `text` is the page
/// expanded, `source` as written (where the error is shown).
fn heading_levels(path: &Path, source: &str, text: &str) -> Result<(), Diagnostic> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut last = 0;
    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Event::Start(Tag::Heading { level, .. }) = event {
            let level = level as usize;
            if level > last + 1 {
                return Err(Diagnostic::new(
                    place::expanded(path, source, text, range.start),
                    format!(
                        "titolo di livello {level} dopo uno di livello {last}: i livelli dei titoli scendono di uno alla volta (# poi ## poi ###), come richiede il PDF accessibile"
                    ),
                ));
            }
            last = level;
        }
    }
    Ok(())
}

//! Stage 3 of the pipeline: the prose. Every page is a tera template over the computed
//! figures (`dati`, `grandezze`, `documento`, `tabella(id=..)`), so no figure is typed twice;
//! the expanded Markdown is what every renderer reads, and its revisions are data.

use crate::cascade;
use crate::compute::{Computed, RevisionAt, RowKind};
use crate::diag::{Diagnostic, line_col};
use crate::markdown::{self, CHART_MARK_PREFIX, TABLE_MARK_PREFIX, TABLE_MARK_SUFFIX};
use crate::model::{Book, PageSource};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::{Context, Kwargs, State, Tera};

/// A page with its figures filled in.
#[derive(Debug, Clone)]
pub struct Page {
    /// Index of its section in the book.
    pub section: usize,
    pub slug: String,
    pub path: PathBuf,
    pub title: String,
    /// Markdown without the title line; tables are placeholders for the renderers.
    pub markdown: String,
    /// The revisions written in CriticMarkup, with their place in the page.
    pub revisions: Vec<RevisionAt>,
}

/// Expands every page of the book.
pub fn expand(book: &Book, computed: &Computed) -> Result<Vec<Page>, Diagnostic> {
    let mut tera = Tera::new();
    placeholder(
        &mut tera,
        "tabella",
        computed.tables.keys().cloned().collect(),
        TABLE_MARK_PREFIX,
        "manca il file {id}.json in una cartella di sezione",
    );
    placeholder(
        &mut tera,
        "grafico",
        computed.charts.keys().cloned().collect(),
        CHART_MARK_PREFIX,
        "i grafici sono dichiarati nei file grafici.json delle sezioni",
    );
    if let Some(objs) = book.objectives.clone() {
        tera.register_function(
            "obiettivi",
            move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                let ambito: String = kwargs.must_get("ambito")?;
                cascade::strategic_list(&objs, &ambito).ok_or_else(|| {
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
            tera.add_raw_template(&name_of(page), &page.text)
                .map_err(|e| tera_diag(&page.path, &e))?;
        }
    }
    let mut ctx = Context::new();
    ctx.insert("documento", &book.manifest);
    ctx.insert("dati", &data_context(computed));
    let quantities: BTreeMap<&str, String> = computed
        .quantities
        .iter()
        .map(|(k, q)| (k.as_str(), q.display()))
        .collect();
    ctx.insert("grandezze", &quantities);

    let mut out = Vec::new();
    for (si, section) in book.sections.iter().enumerate() {
        for page in &section.pages {
            let text = tera
                .render(&name_of(page), &ctx)
                .map_err(|e| tera_diag(&page.path, &e))?;
            // Expressions expand within their line, so line numbers match the source.
            let revisions = markdown::critic_markup(&text)
                .1
                .into_iter()
                .map(|(offset, revision)| {
                    let (line, col) = line_col(&text, offset);
                    RevisionAt {
                        at: Diagnostic::new(&page.path, line, col, ""),
                        revision,
                        campo: None,
                        atto: None,
                        markdown: true,
                    }
                })
                .collect();
            let (title, body) = split_title(&page.path, &text)?;
            heading_levels(&page.path, &text)?;
            out.push(Page {
                section: si,
                slug: page.slug.clone(),
                path: page.path.clone(),
                title,
                markdown: body.to_string(),
                revisions,
            });
        }
    }
    Ok(out)
}

/// Registers `name(id=..)`, which leaves the placeholder of a computed element for the
/// renderers, and refuses an id that does not exist with `hint` (where `{id}` is the id).
fn placeholder(
    tera: &mut Tera,
    name: &'static str,
    known: Vec<String>,
    prefix: &'static str,
    hint: &'static str,
) {
    tera.register_function(
        name,
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let id: String = kwargs.must_get("id")?;
            if known.contains(&id) {
                Ok(format!("{prefix}{id}{TABLE_MARK_SUFFIX}"))
            } else {
                Err(tera::Error::message(format!(
                    "{name} «{id}» inesistente: {}",
                    hint.replace("{id}", &id)
                )))
            }
        },
    );
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
        Some(t) if !t.trim().is_empty() => Ok((markdown::markdown_to_text(t), &text[line_end..])),
        _ => {
            let line = text[..start].matches('\n').count() + 1;
            Err(Diagnostic::new(
                path,
                line,
                1,
                "la pagina deve iniziare con il suo titolo: una riga «# Titolo»",
            ))
        }
    }
}

/// Headings go down one level at a time (`#` title, then `##`, `###`): screen readers navigate
/// by them, and the accessible PDF (PDF/UA-1) refuses a skipped level.
fn heading_levels(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut last = 0;
    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Event::Start(Tag::Heading { level, .. }) = event {
            let level = level as usize;
            if level > last + 1 {
                let (line, col) = line_col(text, range.start);
                return Err(Diagnostic::new(
                    path,
                    line,
                    col,
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

/// A tera error as a diagnostic at the template position it reports.
pub fn tera_diag(path: &Path, err: &tera::Error) -> Diagnostic {
    use std::error::Error as _;
    let report = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut message = match report {
        Some(r) => r.message().to_string(),
        None => err.to_string(),
    };
    let mut source = err.source();
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    match report {
        Some(r) => Diagnostic::new(
            path,
            r.span().start_line,
            r.span().start_col + 1,
            translate_tera(&message),
        ),
        None => match reported_position(&message) {
            // Reference errors come as a rendered report: "error: ..\n --> file:line:col".
            Some((line, col)) => {
                let first = message
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                Diagnostic::new(path, line, col, translate_tera(first))
            }
            None => Diagnostic::at_file(path, translate_tera(&message)),
        },
    }
}

fn reported_position(report: &str) -> Option<(usize, usize)> {
    let at = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = at.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    Some((line, col))
}

fn translate_tera(msg: &str) -> String {
    let quoted = |rest: &str| {
        rest.split_once('`')
            .map(|(name, tail)| (name.to_string(), tail.to_string()))
    };
    if let Some((name, tail)) = msg.strip_prefix("Field `").and_then(quoted) {
        let available = tail
            .split_once("Available fields: ")
            .map(|(_, a)| format!("; disponibili: {}", a.trim_end_matches('.')))
            .unwrap_or_default();
        return format!("«{name}» inesistente in questo punto dei dati{available}");
    }
    if let Some((name, _)) = msg.strip_prefix("Variable `").and_then(quoted) {
        return format!(
            "valore «{name}» inesistente: le pagine possono usare solo «dati», «grandezze», «documento» e «tabella(id=..)»"
        );
    }
    if let Some((name, _)) = msg.strip_prefix("Unknown filter `").and_then(quoted) {
        return format!("filtro «{name}» inesistente");
    }
    if let Some((name, _)) = msg.strip_prefix("Unknown function `").and_then(quoted) {
        return format!(
            "funzione «{name}» inesistente: l'unica funzione delle pagine è tabella(id=\"..\")"
        );
    }
    format!("espressione del modello non valida: {msg}")
}

//! The HTML site: tera templates from `templates/` (embedded in the binary), one page per
//! section and subsection, tables as real accessible tables.

use super::Files;
use crate::check::Report;
use crate::compute::{Computed, RowKind, Table, Value, display_value};
use crate::diag::Diagnostic;
use crate::expand::{Page, tera_diag};
use crate::markdown;
use crate::model::{Book, ColumnKind};
use serde::Serialize;

use std::path::Path;
use tera::{Context, Tera};

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("sezione.html", include_str!("../../templates/sezione.html")),
    ("pagina.html", include_str!("../../templates/pagina.html")),
    ("tabella.html", include_str!("../../templates/tabella.html")),
    (
        "verifica.html",
        include_str!("../../templates/verifica.html"),
    ),
];

const STATIC: &[(&str, &[u8])] = &[
    (
        "static/piao.css",
        include_bytes!("../../templates/static/piao.css"),
    ),
    (
        "static/fonts/TitilliumWeb_400Regular.ttf",
        include_bytes!("../../templates/static/fonts/TitilliumWeb_400Regular.ttf"),
    ),
    (
        "static/fonts/TitilliumWeb_400Regular_Italic.ttf",
        include_bytes!("../../templates/static/fonts/TitilliumWeb_400Regular_Italic.ttf"),
    ),
    (
        "static/fonts/TitilliumWeb_600SemiBold.ttf",
        include_bytes!("../../templates/static/fonts/TitilliumWeb_600SemiBold.ttf"),
    ),
    (
        "static/fonts/TitilliumWeb_700Bold.ttf",
        include_bytes!("../../templates/static/fonts/TitilliumWeb_700Bold.ttf"),
    ),
    (
        "static/fonts/OFL.txt",
        include_bytes!("../../templates/static/fonts/OFL.txt"),
    ),
];

/// A page of the site with its rendered body.
#[derive(Debug, Clone)]
pub struct SitePage {
    pub url: String,
    pub title: String,
    pub section: usize,
    pub body: String,
    pub outline: Vec<(String, String)>,
}

#[derive(Serialize, Clone)]
struct Link {
    titolo: String,
    url: String,
}

impl Link {
    fn new(titolo: impl Into<String>, url: impl Into<String>) -> Self {
        Link {
            titolo: titolo.into(),
            url: url.into(),
        }
    }

    /// A breadcrumb trail: the home page, then `rest`.
    fn trail(rest: impl IntoIterator<Item = Link>) -> Vec<Link> {
        std::iter::once(Link::new("Inizio", "index.html"))
            .chain(rest)
            .collect()
    }
}

#[derive(Serialize)]
struct TocSection {
    titolo: String,
    url: String,
    pagine: Vec<Link>,
    corrente: bool,
}

#[derive(Serialize)]
struct OutlineItem {
    id: String,
    testo: String,
}

/// Renders the whole site.
pub fn render(
    book: &Book,
    computed: &Computed,
    pages: &[Page],
    report: &Report,
) -> Result<Files, Diagnostic> {
    let pages = render_pages(book, computed, pages)?;
    let site = site_tera();
    let mut files = Files::new();

    let section_url = |i: usize| format!("{}/index.html", book.sections[i].slug);
    let section_title = |i: usize| {
        let m = &book.sections[i].meta;
        match &m.numero {
            Some(n) => format!("Sezione {n} – {}", m.titolo),
            None => m.titolo.clone(),
        }
    };
    // Linear reading order: home, then each section's index (when it has several pages)
    // followed by its pages.
    let mut order: Vec<Link> = vec![Link::new("Inizio", "index.html")];
    for (si, section) in book.sections.iter().enumerate() {
        if section.pages.len() > 1 {
            order.push(Link::new(section_title(si), section_url(si)));
        }
        for p in pages.iter().filter(|p| p.section == si) {
            order.push(Link::new(&p.title, &p.url));
        }
    }
    let toc = |current: Option<usize>| -> Vec<TocSection> {
        (0..book.sections.len())
            .map(|si| TocSection {
                titolo: section_title(si),
                url: section_url(si),
                pagine: pages
                    .iter()
                    .filter(|p| p.section == si)
                    .map(|p| Link::new(&p.title, &p.url))
                    .collect(),
                corrente: current == Some(si),
            })
            .collect()
    };
    // Pages outside the reading order (the check report) have no neighbours.
    let neighbours = |url: &str| match order.iter().position(|l| l.url == url) {
        Some(i) => (
            i.checked_sub(1).map(|p| order[p].clone()),
            order.get(i + 1).cloned(),
        ),
        None => (None, None),
    };
    let base_context = |url: &str, title: &str, current: Option<usize>| {
        let mut ctx = Context::new();
        ctx.insert("documento", &book.manifest);
        ctx.insert("radice", if url.contains('/') { "../" } else { "" });
        ctx.insert("url", url);
        ctx.insert("titolo", title);
        ctx.insert("indice", &toc(current));
        let (prev, next) = neighbours(url);
        ctx.insert("precedente", &prev);
        ctx.insert("successiva", &next);
        ctx
    };

    let mut home = base_context("index.html", &book.manifest.titolo, None);
    home.insert("briciole", &Vec::<Link>::new());
    files.insert(
        "index.html".into(),
        render_site(&site, "index.html", &home)?.into_bytes(),
    );

    for (si, section) in book.sections.iter().enumerate() {
        if section.pages.len() > 1 {
            let url = section_url(si);
            let title = section_title(si);
            let mut ctx = base_context(&url, &title, Some(si));
            ctx.insert("briciole", &Link::trail([Link::new(&title, &url)]));
            ctx.insert("pagine", &toc(Some(si))[si].pagine);
            files.insert(url, render_site(&site, "sezione.html", &ctx)?.into_bytes());
        }
    }
    for page in &pages {
        let si = page.section;
        let mut ctx = base_context(&page.url, &page.title, Some(si));
        let section = (book.sections[si].pages.len() > 1)
            .then(|| Link::new(section_title(si), section_url(si)));
        let crumbs = Link::trail(
            section
                .into_iter()
                .chain([Link::new(&page.title, &page.url)]),
        );
        ctx.insert("briciole", &crumbs);
        ctx.insert(
            "sezione_titolo",
            &(book.sections[si].pages.len() > 1).then(|| section_title(si)),
        );
        ctx.insert("corpo", &page.body);
        let outline: Vec<OutlineItem> = page
            .outline
            .iter()
            .map(|(id, t)| OutlineItem {
                id: id.clone(),
                testo: t.clone(),
            })
            .collect();
        ctx.insert("sommario", &outline);
        files.insert(
            page.url.clone(),
            render_site(&site, "pagina.html", &ctx)?.into_bytes(),
        );
    }
    let title = "Verifica dei dati";
    let mut ctx = base_context("verifica.html", title, None);
    ctx.insert(
        "briciole",
        &Link::trail([Link::new(title, "verifica.html")]),
    );
    ctx.insert("report", report);
    files.insert(
        "verifica.html".into(),
        render_site(&site, "verifica.html", &ctx)?.into_bytes(),
    );
    let json = serde_json::to_string_pretty(report).expect("the report serialises");
    files.insert("verifica.json".into(), (json + "\n").into_bytes());
    for (path, bytes) in STATIC {
        files.insert((*path).to_string(), bytes.to_vec());
    }
    Ok(files)
}

/// Renders the expanded Markdown of every page, with the computed tables placed.
pub fn render_pages(
    book: &Book,
    computed: &Computed,
    pages: &[Page],
) -> Result<Vec<SitePage>, Diagnostic> {
    let site = site_tera();
    let mut out = Vec::new();
    for page in pages {
        let section = &book.sections[page.section];
        let table_error = std::cell::RefCell::new(None);
        let rendered = markdown::render_page(&page.markdown, &|id| match computed
            .tables
            .get(id)
            .map(|t| render_table(&site, t))
        {
            Some(Ok(html)) => html,
            Some(Err(e)) => {
                table_error.borrow_mut().get_or_insert(e);
                String::new()
            }
            None => String::new(),
        });
        if let Some(e) = table_error.into_inner() {
            return Err(e);
        }
        out.push(SitePage {
            url: if section.pages.len() == 1 {
                format!("{}/index.html", section.slug)
            } else {
                format!("{}/{}.html", section.slug, page.slug)
            },
            title: page.title.clone(),
            section: page.section,
            body: rendered.html,
            outline: rendered.outline,
        });
    }
    Ok(out)
}

fn site_tera() -> Tera {
    let mut tera = Tera::new();
    tera.add_raw_templates(TEMPLATES.iter().copied())
        .expect("the embedded templates are valid (tested)");
    tera
}

fn render_site(tera: &Tera, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
    tera.render(name, ctx)
        .map_err(|e| tera_diag(Path::new(&format!("templates/{name}")), &e))
}

#[derive(Serialize)]
struct HeadView {
    testo: String,
    colonne: u32,
    righe: u32,
    scope: &'static str,
    numerica: bool,
}

#[derive(Serialize)]
struct CellView {
    html: String,
    intestazione: bool,
    scope: &'static str,
    colonne: usize,
    numerica: bool,
}

#[derive(Serialize)]
struct RowView {
    classe: &'static str,
    celle: Vec<CellView>,
}

/// One table as HTML through `tabella.html`.
pub fn render_table(tera: &Tera, t: &Table) -> Result<String, Diagnostic> {
    // Lay the header cells on a grid (row spans occupy the rows below) so a cell over a
    // single numeric column is right-aligned like the figures under it.
    let mut occupied: Vec<Vec<bool>> = vec![vec![false; t.columns.len()]; t.header.len()];
    let intestazione: Vec<Vec<HeadView>> = t
        .header
        .iter()
        .enumerate()
        .map(|(ri, row)| {
            let mut col = 0usize;
            row.iter()
                .map(|h| {
                    while occupied[ri].get(col).copied().unwrap_or(false) {
                        col += 1;
                    }
                    let rows = ri..(ri + h.righe as usize).min(t.header.len());
                    let cols = col..(col + h.colonne as usize).min(t.columns.len());
                    for cells in &mut occupied[rows] {
                        cells[cols.clone()].fill(true);
                    }
                    let numeric = h.colonne == 1
                        && t.columns
                            .get(col)
                            .is_some_and(|c| c.kind != ColumnKind::Testo);
                    col += h.colonne as usize;
                    HeadView {
                        testo: h.testo.clone(),
                        colonne: h.colonne,
                        righe: h.righe,
                        scope: if h.colonne > 1 { "colgroup" } else { "col" },
                        numerica: numeric,
                    }
                })
                .collect()
        })
        .collect();
    let mut reasons = Reasons::default();
    let mut righe = Vec::new();
    for row in &t.rows {
        let classe = match row.kind {
            RowKind::Total => "totale",
            RowKind::Calc => "calcolo",
            RowKind::Group => "gruppo",
            RowKind::Data if row.emphasis => "evidenza",
            RowKind::Data => "",
        };
        let celle = if row.kind == RowKind::Group {
            if row.group.len() == 1 {
                vec![CellView {
                    html: markdown::render_cell(&row.group[0]),
                    intestazione: true,
                    scope: "colgroup",
                    colonne: t.columns.len(),
                    numerica: false,
                }]
            } else {
                row.group
                    .iter()
                    .enumerate()
                    .map(|(c, g)| CellView {
                        html: markdown::render_cell(g),
                        intestazione: true,
                        scope: "col",
                        colonne: 1,
                        numerica: t.columns[c].kind != ColumnKind::Testo,
                    })
                    .collect()
            }
        } else {
            row.cells
                .iter()
                .enumerate()
                .map(|(c, v)| {
                    let kind = t.columns[c].kind;
                    let decimals = t.decimals(row, c);
                    let html = cell_html(&t.id, v, kind, decimals, &mut reasons);
                    let header = c == 0 && kind == ColumnKind::Testo;
                    CellView {
                        html,
                        intestazione: header,
                        scope: "row",
                        colonne: 1,
                        numerica: kind != ColumnKind::Testo,
                    }
                })
                .collect()
        };
        righe.push(RowView { classe, celle });
    }
    let mut ctx = Context::new();
    ctx.insert("id", &t.id);
    ctx.insert("titolo", &t.titolo);
    ctx.insert("intestazione", &intestazione);
    ctx.insert("righe", &righe);
    ctx.insert("fonte", &t.fonte);
    ctx.insert(
        "note",
        &t.note
            .iter()
            .map(|n| markdown::render_cell(n))
            .collect::<Vec<_>>(),
    );
    ctx.insert("modifiche", &reasons.notes);
    render_site(tera, "tabella.html", &ctx)
}

/// The reasons of a table's revisions: one note per distinct reason, so nine cells changed
/// "per Aggiornamento" share one note; each reference gets its own anchor.
#[derive(Default)]
struct Reasons {
    notes: Vec<String>,
    refs: usize,
}

fn cell_html(
    table: &str,
    v: &Value,
    kind: ColumnKind,
    decimals: u32,
    reasons: &mut Reasons,
) -> String {
    match v {
        Value::Revised(r) => {
            // The first cell with a reason gets the anchor its note links back to.
            let (n, first) = match reasons.notes.iter().position(|m| *m == r.motivo) {
                Some(i) => (i + 1, false),
                None => {
                    reasons.notes.push(r.motivo.clone());
                    (reasons.notes.len(), true)
                }
            };
            reasons.refs += 1;
            let id = if first {
                format!("{table}-rif-modifica-{n}")
            } else {
                format!("{table}-rif-modifica-{n}-{}", reasons.refs)
            };
            let old = cell_html(table, &r.vecchio, kind, decimals, reasons);
            let new = cell_html(table, &r.nuovo, kind, decimals, reasons);
            let mut html = String::new();
            if !old.is_empty() {
                html.push_str(&format!("<del class=\"rev-vecchio\"><span class=\"sr-only\">valore precedente: </span>{old}</del>"));
            }
            if !new.is_empty() {
                if !html.is_empty() {
                    html.push(' ');
                }
                html.push_str(&format!("<ins class=\"rev-nuovo\"><span class=\"sr-only\">valore aggiornato: </span>{new}</ins>"));
            }
            html.push_str(&format!("<sup class=\"rif-modifica\"><a href=\"#{table}-modifica-{n}\" id=\"{id}\" aria-label=\"motivo della modifica {n}\">{n}</a></sup>"));
            html
        }
        Value::Text(t) => markdown::render_cell(t),
        other => escape(&display_value(other, kind, decimals)),
    }
}

/// Escapes text for HTML (figures are plain, but a text cell of a numeric column may not be).
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

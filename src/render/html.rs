//! The HTML site: tera templates from `templates/` (embedded in the binary), one page per
//! section and subsection, tables as real accessible tables.

use super::Files;
use super::cascade;
use super::templates;
use crate::check::Report;
use crate::compute::{Computed, RowKind, Table, Value, display_value};
use crate::diag::Diagnostic;
use crate::expand::{Page, tera_diag};
use crate::markdown;
use crate::model::{Book, ColumnKind};
use serde::Serialize;

use std::collections::BTreeMap;
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
    ("motivi.html", include_str!("../../templates/motivi.html")),
    ("grafico.html", include_str!("../../templates/grafico.html")),
    (
        "indicatori.html",
        include_str!("../../templates/indicatori.html"),
    ),
    ("albero.html", include_str!("../../templates/albero.html")),
    (
        "strategico.html",
        include_str!("../../templates/strategico.html"),
    ),
    (
        "operativo.html",
        include_str!("../../templates/operativo.html"),
    ),
    (
        "allegato.html",
        include_str!("../../templates/allegato.html"),
    ),
    (
        "modifiche.html",
        include_str!("../../templates/modifiche.html"),
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
    /// Index of its part in the site's table of contents.
    pub section: usize,
    /// The line above the title, when not the part's title.
    pub sovratitolo: Option<String>,
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

/// A part of the site: a section of the book, or one of the generated parts (the objectives,
/// Allegato 1, the Prospetto delle modifiche).
struct Part {
    titolo: String,
    url: String,
    /// A section with several pages gets an index page listing them.
    index_page: bool,
    /// Its pages are listed in the side table of contents (not the 54 schede).
    listed: bool,
}

/// The `../` that leads from a page to the site's root.
fn radice(url: &str) -> &'static str {
    if url.contains('/') { "../" } else { "" }
}

/// Renders the whole site.
pub fn render(
    book: &Book,
    computed: &Computed,
    pages: &[Page],
    report: &Report,
    changes: &[cascade::ChangeGroup],
) -> Result<Files, Diagnostic> {
    let mut pages = render_pages(book, computed, pages)?;
    let site = site_tera()?;
    let mut files = Files::new();

    let mut parts: Vec<Part> = book
        .sections
        .iter()
        .map(|section| Part {
            titolo: section.meta.heading(),
            url: format!("{}/index.html", section.slug),
            index_page: section.pages.len() > 1,
            listed: true,
        })
        .collect();
    let mut generated = Vec::new();
    if let Some(objs) = &book.objectives {
        generated.extend(cascade::pages(&site, objs, &radice)?);
        files.insert(cascade::OPEN_DATA.into(), cascade::open_data(objs));
    }
    if !changes.is_empty() {
        let act = book.manifest.atti.first().map(String::as_str);
        generated.push(cascade::changes_page(&site, changes, act)?);
    }
    for g in generated {
        if g.index {
            parts.push(Part {
                titolo: g.page.title.clone(),
                url: g.page.url.clone(),
                index_page: false,
                listed: false,
            });
        }
        pages.push(SitePage {
            section: parts.len() - 1,
            ..g.page
        });
    }

    // Linear reading order: home, then each part's index (when it has one) and its pages.
    let mut order: Vec<Link> = vec![Link::new("Inizio", "index.html")];
    for (si, part) in parts.iter().enumerate() {
        if part.index_page {
            order.push(Link::new(&part.titolo, &part.url));
        }
        for p in pages.iter().filter(|p| p.section == si) {
            order.push(Link::new(&p.title, &p.url));
        }
    }
    let toc = |current: Option<usize>| -> Vec<TocSection> {
        parts
            .iter()
            .enumerate()
            .map(|(si, part)| TocSection {
                titolo: part.titolo.clone(),
                url: part.url.clone(),
                pagine: if part.listed {
                    pages
                        .iter()
                        .filter(|p| p.section == si)
                        .map(|p| Link::new(&p.title, &p.url))
                        .collect()
                } else {
                    Vec::new()
                },
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
        ctx.insert("radice", radice(url));
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

    for (si, part) in parts.iter().enumerate() {
        if part.index_page {
            let mut ctx = base_context(&part.url, &part.titolo, Some(si));
            ctx.insert(
                "briciole",
                &Link::trail([Link::new(&part.titolo, &part.url)]),
            );
            ctx.insert("pagine", &toc(Some(si))[si].pagine);
            files.insert(
                part.url.clone(),
                render_site(&site, "sezione.html", &ctx)?.into_bytes(),
            );
        }
    }
    for page in &pages {
        let si = page.section;
        let part = &parts[si];
        let mut ctx = base_context(&page.url, &page.title, Some(si));
        let own = part.url == page.url;
        let crumbs = Link::trail(
            (!own)
                .then(|| Link::new(&part.titolo, &part.url))
                .into_iter()
                .chain([Link::new(&page.title, &page.url)]),
        );
        ctx.insert("briciole", &crumbs);
        let over = page
            .sovratitolo
            .clone()
            .or_else(|| (!own).then(|| part.titolo.clone()));
        ctx.insert("sezione_titolo", &over);
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
        files.insert(
            (*path).to_string(),
            templates::bytes(path, bytes)?.into_owned(),
        );
    }
    Ok(files)
}

/// The page where a revision written in `file` is shown: a page of prose, the page showing a
/// table, or an objective's page.
pub fn place_of(file: &Path, book: &Book, pages: &[Page]) -> Option<cascade::Place> {
    let table = book.tables.values().find(|t| t.path == file);
    for (pi, page) in pages.iter().enumerate() {
        let embeds = table.is_some_and(|t| shows_table(page, &t.id));
        if page.path == file || embeds {
            let title = match table {
                Some(t) => format!("{} – tabella «{}»", page.title, t.spec.titolo),
                None => page.title.clone(),
            };
            return Some(cascade::Place {
                rank: (page.section, pi),
                group: book.sections[page.section].meta.heading(),
                title,
                url: page_url(book, page),
            });
        }
    }
    let objs = book.objectives.as_ref()?;
    let after = book.sections.len();
    if let Some(i) = objs.strategici.iter().position(|s| s.path == file) {
        let s = &objs.strategici[i];
        return Some(cascade::Place {
            rank: (after, i),
            group: "Obiettivi strategici (Sezione 2.2)".into(),
            title: format!("{} – {}", s.spec.codice, s.spec.titolo),
            url: cascade::strategic_url(s),
        });
    }
    let o = objs.operativi.iter().find(|o| o.path == file)?;
    let area = objs.aree.spec.aree.iter().position(|a| a.id == o.spec.area);
    // A replaced objective comes before the one replacing it (they share the scheda number).
    let replaced = usize::from(cascade::in_force(&o.spec.revisione));
    Some(cascade::Place {
        rank: (
            after + 1,
            (area.unwrap_or_default() * 1000 + o.spec.scheda as usize) * 2 + replaced,
        ),
        group: cascade::ANNEX_TITLE.into(),
        title: format!(
            "Scheda {}: {} – {}",
            o.spec.scheda, o.spec.codice, o.spec.titolo
        ),
        url: cascade::operational_url(o),
    })
}

/// Whether a page places the table `id`.
fn shows_table(page: &Page, id: &str) -> bool {
    page.markdown.contains(&format!(
        "{}{id}{}",
        markdown::TABLE_MARK_PREFIX,
        markdown::TABLE_MARK_SUFFIX
    ))
}

/// A page's address: a single-page section is its own index.
pub fn page_url(book: &Book, page: &Page) -> String {
    let section = &book.sections[page.section];
    if section.pages.len() == 1 {
        format!("{}/index.html", section.slug)
    } else {
        format!("{}/{}.html", section.slug, page.slug)
    }
}

/// Renders the expanded Markdown of every page, with the computed tables placed.
pub fn render_pages(
    book: &Book,
    computed: &Computed,
    pages: &[Page],
) -> Result<Vec<SitePage>, Diagnostic> {
    let site = site_tera()?;
    // The page each table is shown in, for the charts that link to their data.
    let mut table_home: BTreeMap<&str, String> = BTreeMap::new();
    for page in pages {
        for id in computed.tables.keys() {
            if shows_table(page, id) {
                table_home.entry(id).or_insert_with(|| page_url(book, page));
            }
        }
    }
    let mut out = Vec::new();
    for page in pages {
        let table_error = std::cell::RefCell::new(None);
        let place = |kind: markdown::Placed, id: &str| {
            let html = match kind {
                markdown::Placed::Table => computed.tables.get(id).map(|t| render_table(&site, t)),
                markdown::Placed::Chart => computed
                    .charts
                    .get(id)
                    .map(|c| render_chart(&site, c, computed, &table_home, &page_url(book, page))),
            };
            match html {
                Some(Ok(html)) => html,
                Some(Err(e)) => {
                    table_error.borrow_mut().get_or_insert(e);
                    String::new()
                }
                None => String::new(),
            }
        };
        let rendered = markdown::render_page(&page.markdown, &place);
        if let Some(e) = table_error.into_inner() {
            return Err(e);
        }
        out.push(SitePage {
            url: page_url(book, page),
            title: page.title.clone(),
            section: page.section,
            sovratitolo: None,
            body: rendered.html,
            outline: rendered.outline,
        });
    }
    Ok(out)
}

fn site_tera() -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    for (name, embedded) in TEMPLATES {
        let text = templates::text(name, embedded)?;
        tera.add_raw_template(name, &text)
            .map_err(|e| tera_diag(&Path::new("templates").join(name), &e))?;
    }
    Ok(tera)
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
    let mut reasons = Reasons::new(&t.id);
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
                    let html = cell_html(v, kind, decimals, &mut reasons);
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

/// A chart: its SVG inline (so it uses the page's font), its description, and a link to the
/// table of its figures.
fn render_chart(
    tera: &Tera,
    chart: &crate::charts::Chart,
    computed: &Computed,
    table_home: &BTreeMap<&str, String>,
    here: &str,
) -> Result<String, Diagnostic> {
    let mut ctx = Context::new();
    ctx.insert("id", &chart.id);
    ctx.insert("svg", &super::chart::svg(chart));
    ctx.insert("descrizione", &chart.description);
    let data = chart.table.as_deref().and_then(|t| {
        let table = computed.tables.get(t)?;
        let home = table_home.get(t)?;
        let link = if home == here {
            format!("#tabella-{t}")
        } else {
            format!("{}{home}#tabella-{t}", radice(here))
        };
        Some((table.titolo.clone(), link))
    });
    ctx.insert("dati", &data);
    render_site(tera, "grafico.html", &ctx)
}

/// The reasons of the revisions of a table or page: one note per distinct reason, so nine
/// cells changed for the same reason share one note; each reference gets its own anchor.
pub(super) struct Reasons {
    prefix: String,
    pub notes: Vec<String>,
    refs: usize,
}

impl Reasons {
    /// Notes anchored as `{prefix}-modifica-N`, references as `{prefix}-rif-modifica-N`.
    pub fn new(prefix: &str) -> Self {
        Reasons {
            prefix: prefix.to_string(),
            notes: Vec::new(),
            refs: 0,
        }
    }

    /// The superscript reference to `motivo`'s note (nothing for a revision without reason).
    pub fn mark(&mut self, motivo: &str) -> String {
        let motivo = motivo.trim();
        if motivo.is_empty() {
            return String::new();
        }
        // The first reference gets the anchor its note links back to.
        let (n, first) = match self.notes.iter().position(|m| m == motivo) {
            Some(i) => (i + 1, false),
            None => {
                self.notes.push(motivo.to_string());
                (self.notes.len(), true)
            }
        };
        self.refs += 1;
        let p = &self.prefix;
        let id = if first {
            format!("{p}-rif-modifica-{n}")
        } else {
            format!("{p}-rif-modifica-{n}-{}", self.refs)
        };
        format!(
            "<sup class=\"rif-modifica\"><a href=\"#{p}-modifica-{n}\" id=\"{id}\" aria-label=\"motivo della modifica {n}\">{n}</a></sup>"
        )
    }
}

/// A changed value: the old one struck, the new one marked, each announced to screen readers,
/// then the reference to the reason.
pub(super) fn revision_html(old: &str, new: &str, motivo: &str, reasons: &mut Reasons) -> String {
    let mut html = String::new();
    if !old.is_empty() {
        html.push_str(&format!("<del class=\"rev-vecchio\"><span class=\"sr-only\">valore precedente: </span>{old}</del>"));
    }
    if !new.is_empty() {
        if !html.is_empty() {
            html.push(' ');
        }
        html.push_str(&format!(
            "<ins class=\"rev-nuovo\"><span class=\"sr-only\">valore aggiornato: </span>{new}</ins>"
        ));
    }
    html.push_str(&reasons.mark(motivo));
    html
}

fn cell_html(v: &Value, kind: ColumnKind, decimals: u32, reasons: &mut Reasons) -> String {
    match v {
        Value::Revised(r) => {
            let old = cell_html(&r.vecchio, kind, decimals, reasons);
            let new = cell_html(&r.nuovo, kind, decimals, reasons);
            revision_html(&old, &new, &r.motivo, reasons)
        }
        Value::Text(t) => markdown::render_cell(t),
        other => escape(&display_value(other, kind, decimals)),
    }
}

/// Escapes text for HTML (figures are plain, but a text cell of a numeric column may not be).
pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

//! The HTML site: tera templates (embedded in the binary, or the preview's folder), one page
//! per page of prose, the cascade's pages, the Prospetto delle modifiche and the planners'
//! report, framed with the same navigation; tables as real accessible tables.

mod cascade;
mod changes;
mod chart;
mod engine;
mod html;
mod markdown;
mod page;
mod sitemap;
mod table;

use crate::address;
use crate::diag::Diagnostic;
use crate::markdown::Placed;
use crate::portal::Record;
use crate::render::assets::{STATIC, Templates};
use crate::render::{Document, Files};
use engine::Engine;
use page::{GeneratedPage, Link, SitePage};
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

#[derive(Serialize)]
struct TocPart {
    title: String,
    url: String,
    pages: Vec<Link>,
    current: bool,
}

#[derive(Serialize)]
struct OutlineItem {
    id: String,
    text: String,
}

/// A part of the site: a section of the book, or one of the generated parts (the objectives,
/// Allegato 1, the Prospetto delle modifiche).
struct Part {
    title: String,
    url: String,
    /// A section with several pages gets an index page listing them.
    index_page: bool,
    /// Its pages are listed in the side table of contents (not the 54 schede).
    listed: bool,
}

/// A breadcrumb trail: the home page, then `rest`.
fn trail(rest: impl IntoIterator<Item = Link>) -> Vec<Link> {
    std::iter::once(Link::new("Inizio", address::HOME))
        .chain(rest)
        .collect()
}

/// Renders the whole site.
pub fn render(doc: &Document, templates: &Templates) -> Result<Files, Diagnostic> {
    let engine = Engine::load(templates)?;
    let book = doc.book;
    let mut pages = prose_pages(&engine, doc)?;
    let mut files = Files::new();

    let mut parts: Vec<Part> = book
        .sections
        .iter()
        .map(|section| Part {
            title: section.meta.heading(),
            url: address::section(&section.slug),
            index_page: section.pages.len() > 1,
            listed: true,
        })
        .collect();
    let mut generated = Vec::new();
    if let Some(c) = &doc.view.cascade {
        generated.extend(cascade::pages(&engine, c)?);
    }
    if !doc.view.changes.is_empty() {
        let act = book.manifest.acts.first().map(String::as_str);
        generated.push(GeneratedPage {
            page: changes::page(&engine, &doc.view.changes, act)?,
            opens_part: true,
        });
    }
    for g in generated {
        if g.opens_part {
            parts.push(Part {
                title: g.page.title.clone(),
                url: g.page.url.clone(),
                index_page: false,
                listed: false,
            });
        }
        pages.push(SitePage {
            part: parts.len() - 1,
            ..g.page
        });
    }

    // Linear reading order: home, then each part's index (when it has one) and its pages.
    let mut order: Vec<Link> = vec![Link::new("Inizio", address::HOME)];
    for (pi, part) in parts.iter().enumerate() {
        if part.index_page {
            order.push(Link::new(&part.title, &part.url));
        }
        for p in pages.iter().filter(|p| p.part == pi) {
            order.push(Link::new(&p.title, &p.url));
        }
    }
    // A page's index lists the parts and the pages of its own part: listing every page on
    // every page would grow the site with the square of its pages (a 10× document: 22× the
    // HTML). The home page, in no part, lists them all: it is the document's index.
    let toc = |current: Option<usize>| -> Vec<TocPart> {
        parts
            .iter()
            .enumerate()
            .map(|(pi, part)| TocPart {
                title: part.title.clone(),
                url: part.url.clone(),
                pages: if part.listed && current.is_none_or(|c| c == pi) {
                    pages
                        .iter()
                        .filter(|p| p.part == pi)
                        .map(|p| Link::new(&p.title, &p.url))
                        .collect()
                } else {
                    Vec::new()
                },
                current: current == Some(pi),
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
        let mut ctx = frame(doc, url, title);
        ctx.insert("toc", &toc(current));
        // The home page lists the index itself: no side index, no phone menu.
        ctx.insert("home", &(url == address::HOME));
        ctx.insert(
            "canonical",
            &book.base_url.as_ref().map(|base| format!("{base}{url}")),
        );
        let (previous, next) = neighbours(url);
        ctx.insert("previous", &previous);
        ctx.insert("next", &next);
        ctx
    };

    let mut home = base_context(address::HOME, &book.manifest.title, None);
    home.insert("breadcrumbs", &Vec::<Link>::new());
    files.insert(
        address::HOME.into(),
        engine.render("index.html", &home)?.into_bytes(),
    );

    // The search page: its form and results need JavaScript; without it, its sentence and
    // the document's index. Like the home page it lists the index itself.
    let title = "Cerca nel documento";
    let mut search = base_context(address::SEARCH, title, None);
    search.insert("home", &true);
    search.insert("breadcrumbs", &trail([Link::new(title, address::SEARCH)]));
    search.insert("index_script", address::SEARCH_SCRIPT);
    files.insert(
        address::SEARCH.into(),
        engine.render("cerca.html", &search)?.into_bytes(),
    );

    for (pi, part) in parts.iter().enumerate() {
        if part.index_page {
            let mut ctx = base_context(&part.url, &part.title, Some(pi));
            ctx.insert("breadcrumbs", &trail([Link::new(&part.title, &part.url)]));
            ctx.insert("pages", &toc(Some(pi))[pi].pages);
            files.insert(
                part.url.clone(),
                engine.render("sezione.html", &ctx)?.into_bytes(),
            );
        }
    }
    for page in &pages {
        let part = &parts[page.part];
        let mut ctx = base_context(&page.url, &page.title, Some(page.part));
        let own = part.url == page.url;
        let crumbs = trail(
            (!own)
                .then(|| Link::new(&part.title, &part.url))
                .into_iter()
                .chain([Link::new(&page.title, &page.url)]),
        );
        ctx.insert("breadcrumbs", &crumbs);
        let over = page
            .over_title
            .clone()
            .or_else(|| (!own).then(|| part.title.clone()));
        ctx.insert("over_title", &over);
        ctx.insert("body", &page.body);
        let outline: Vec<OutlineItem> = page
            .outline
            .iter()
            .map(|(id, t)| OutlineItem {
                id: id.clone(),
                text: t.clone(),
            })
            .collect();
        ctx.insert("outline", &outline);
        files.insert(
            page.url.clone(),
            engine.render("pagina.html", &ctx)?.into_bytes(),
        );
    }
    // The open data's page, outside the reading order like the reviewers' report.
    let data_page = address::DATA_PAGE;
    let mut ctx = base_context(data_page.url, data_page.title, None);
    ctx.insert(
        "breadcrumbs",
        &trail([Link::new(data_page.title, data_page.url)]),
    );
    ctx.insert("catalogue", &doc.view.datasets);
    files.insert(
        data_page.url.into(),
        engine.render("dati.html", &ctx)?.into_bytes(),
    );
    for (path, bytes) in STATIC {
        files.insert(
            (*path).to_string(),
            templates.bytes(path, bytes)?.into_owned(),
        );
    }
    if let Some(base) = &book.base_url {
        files.insert(
            address::SITEMAP.into(),
            sitemap::xml(base, files.keys(), &book.published),
        );
    }
    let mut output: Files = files
        .into_iter()
        .map(|(url, bytes)| (address::published(&url), bytes))
        .collect();
    // The reviewers' report, beside the published folder: framed like the site, whose pages
    // it links, but never part of it.
    let title = "Verifica dei dati";
    let root = address::site_from_review();
    let mut ctx = base_context(address::CHECKS, title, None);
    ctx.insert("root", &root);
    ctx.insert("breadcrumbs", &trail([Link::new(title, address::CHECKS)]));
    ctx.insert("report", doc.report);
    output.insert(
        address::reviewed(address::CHECKS),
        engine.render("verifica.html", &ctx)?.into_bytes(),
    );
    let json = serde_json::to_string_pretty(doc.report).unwrap_or_default();
    output.insert(
        address::reviewed(address::CHECKS_DATA),
        (json + "\n").into_bytes(),
    );
    Ok(output)
}

/// What frames every page, the site's and the reviewers': the document's identity, the
/// edition, the way back to the site's root.
fn frame(doc: &Document, url: &str, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("document", &doc.view.identity);
    // Every page's title and header name the edition, so the two editions' sites (and their
    // tabs, bookmarks and search results) cannot be taken for each other.
    ctx.insert("edition", &doc.edition_name());
    ctx.insert("root", address::root_of(url));
    ctx.insert("url", url);
    ctx.insert("title", title);
    // Only the published pages have an address online.
    ctx.insert("canonical", &None::<String>);
    // Every page's footer links the open data's page.
    ctx.insert("open_data", address::DATA_PAGE.url);
    ctx.insert("search", address::SEARCH);
    // The search page has its own form: none in its header.
    ctx.insert("searching", &(url == address::SEARCH));
    ctx
}

/// The reviewers' page of the Portale PIAO record (`revisione/portale-piao.html`): it needs
/// the PDF, typeset after the site, so it is rendered apart, framed without the side index.
pub fn portal_page(
    doc: &Document,
    templates: &Templates,
    record: &Record,
) -> Result<Vec<u8>, Diagnostic> {
    let engine = Engine::load(templates)?;
    let title = "Scheda per il Portale PIAO";
    let mut ctx = frame(doc, address::PORTAL, title);
    ctx.insert("root", &address::site_from_review());
    ctx.insert("home", &true);
    ctx.insert("toc", &Vec::<TocPart>::new());
    ctx.insert("breadcrumbs", &trail([Link::new(title, address::PORTAL)]));
    ctx.insert("record", record);
    Ok(engine.render("portale.html", &ctx)?.into_bytes())
}

/// Renders the expanded Markdown of every page, with the computed tables and charts placed.
fn prose_pages(engine: &Engine, doc: &Document) -> Result<Vec<SitePage>, Diagnostic> {
    // The page each table is shown in, for the charts that link to their data.
    let mut table_home: BTreeMap<&str, String> = BTreeMap::new();
    for page in doc.pages {
        for id in doc.computed.tables.keys() {
            if page.shows_table(id) {
                table_home.entry(id).or_insert_with(|| page.url.clone());
            }
        }
    }
    let mut out = Vec::new();
    for page in doc.pages {
        let error = std::cell::RefCell::new(None);
        let place = |kind: Placed, id: &str| {
            let html = match kind {
                Placed::Table => doc.view.tables.get(id).map(|t| {
                    let data = doc.view.datasets.of_table(id);
                    table::render(engine, t, data, address::root_of(&page.url))
                }),
                Placed::Chart => doc
                    .computed
                    .charts
                    .get(id)
                    .map(|c| chart::render(engine, c, doc.computed, &table_home, &page.url)),
            };
            match html {
                Some(Ok(html)) => html,
                Some(Err(e)) => {
                    error.borrow_mut().get_or_insert(e);
                    String::new()
                }
                None => String::new(),
            }
        };
        let rendered = markdown::render_page(&page.markdown, &place);
        if let Some(e) = error.into_inner() {
            return Err(e);
        }
        out.push(SitePage {
            url: page.url.clone(),
            title: page.title.clone(),
            part: page.section,
            over_title: None,
            body: rendered.html,
            outline: rendered.outline,
        });
    }
    Ok(out)
}

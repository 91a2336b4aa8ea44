//! The Prospetto delle modifiche: every revision placed on the page a reviewer opens to see it
//! in context, grouped by part of the document and by page (or objective), in document order:
//! parts and pages as the site's index and the PDF read them, then the place of the revision
//! inside its page (a table's revisions where the page shows the table). Each entry names
//! where it is (the heading of a paragraph, the table, row and column of a cell, the field of
//! an objective) and links there. The site and the print edition list the same groups.

use crate::address;
use crate::compute::model::Amendment;
use crate::content::model::{Book, RevisionKind};
use crate::diag::Location;
use crate::expand::ExpandedPage;
use crate::markdown::{self, HeadingIds, Placed};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The group of the rettifiche: figures of the approved text piao publishes recomputed.
pub const CORRECTIONS: &str = "Rettifiche: figure ricalcolate rispetto al testo approvato";

/// The reason of a consequence, listed right under the revision it follows from.
const CONSEQUENCE: &str = "Cifra ricalcolata per effetto della modifica sopra.";

/// The reason of a consequence whose cause the Prospetto does not list.
const CONSEQUENCE_ELSEWHERE: &str =
    "Cifra ricalcolata per effetto delle modifiche dell'aggiornamento.";

/// What a rettifica is, for the reader of the Prospetto.
const CORRECTIONS_INTRO: &str = "Figure che il testo approvato stampa diversamente da come risultano dai suoi stessi dati e che si pubblicano ricalcolate: il valore stampato è barrato, quello ricalcolato sottolineato, con il motivo. Le altre differenze tra il testo approvato e i dati sono pubblicate come approvate e sono elencate nel rapporto di verifica.";

/// The page or objective where a revision is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Document order of the page or objective: part, then position within it.
    pub rank: (usize, usize),
    /// The part of the document: `Sezione 3 – …`, `Allegato 1 – …`.
    pub group: String,
    pub title: String,
    pub url: String,
}

/// One revision with where it is inside its page or objective.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Where, in words: `Testo, paragrafo «CESSAZIONI DAL SERVIZIO»`, `Tabella «Cessazioni»,
    /// riga «Dirigenti», colonna «2026»`, `Target 2025 – indicatore «…»`.
    pub label: String,
    /// The site address of the revised element: its page with the anchor of the heading or
    /// table it is under (an objective's card as a whole).
    pub url: String,
    pub amendment: Amendment,
    /// The figures that change because of this revision (computed from it), listed under it.
    pub consequences: Vec<Entry>,
}

/// One page or objective of the Prospetto with its revisions, in document order.
#[derive(Debug, Clone)]
pub struct ChangedObject {
    pub place: Place,
    pub entries: Vec<Entry>,
}

impl ChangedObject {
    /// The rows of its table in the Prospetto: each revision followed by its consequences.
    pub fn rows(&self) -> Vec<&Entry> {
        self.entries
            .iter()
            .flat_map(|e| std::iter::once(e).chain(&e.consequences))
            .collect()
    }
}

/// A part of the document in the Prospetto.
#[derive(Debug, Clone)]
pub struct ChangeGroup {
    pub title: String,
    /// What the group is, when its title does not say enough (the rettifiche).
    pub intro: Option<&'static str>,
    pub objects: Vec<ChangedObject>,
}

/// A heading of a page: the line of its file it starts on, its site anchor and its text.
struct Heading {
    line: usize,
    level: usize,
    id: String,
    text: String,
}

/// A page of prose as the Prospetto needs it: where it is and what its headings are.
struct PageInfo<'a> {
    place: Place,
    page: &'a ExpandedPage,
    headings: Vec<Heading>,
    /// The file line of the body's first line (the title's line: the body starts at its end).
    first_line: usize,
}

/// Where a revision is, found once per file.
enum Holder<'a> {
    /// Prose of the page at this index of the page list.
    Page(usize),
    /// A cell of the table with this title, shown by the page at this index, at this line of
    /// the page (where its placeholder is).
    Table {
        page: usize,
        id: &'a str,
        title: &'a str,
        line: usize,
    },
    /// A strategic or operational objective.
    Objective(Place),
}

/// Every revision placed and grouped by part and page (or objective), in document order.
pub fn group(amendments: &[Amendment], book: &Book, pages: &[ExpandedPage]) -> Vec<ChangeGroup> {
    let infos: Vec<PageInfo> = pages
        .iter()
        .enumerate()
        .map(|(pi, page)| page_info(pi, page, book))
        .collect();
    // Each file is placed once: a page may have thousands of revisions, and finding the page
    // of a table reads every page.
    let mut holders: HashMap<&Path, Option<Holder>> = HashMap::new();
    // (place, line in the page, position in the file, entry)
    let mut placed: Vec<(Place, usize, (usize, usize), Entry)> = Vec::new();
    for a in amendments {
        let holder = holders
            .entry(&a.at.file)
            .or_insert_with(|| holder_of(&a.at.file, book, &infos));
        let Some(holder) = holder else { continue };
        let within = (a.at.line, a.at.column);
        let (place, line, entry) = match holder {
            Holder::Page(pi) => {
                let Some(info) = infos.get(*pi) else { continue };
                let (label, url) = prose_place(info, a);
                (info.place.clone(), a.at.line, entry(label, url, a))
            }
            Holder::Table {
                page,
                id,
                title,
                line,
            } => {
                let Some(info) = infos.get(*page) else {
                    continue;
                };
                let label = match &a.field {
                    Some(f) => format!("Tabella «{title}», {f}"),
                    None => format!("Tabella «{title}»"),
                };
                let url = format!("{}#tabella-{id}", info.page.url);
                (info.place.clone(), *line, entry(label, url, a))
            }
            Holder::Objective(place) => {
                let label = a
                    .field
                    .clone()
                    .unwrap_or_else(|| "Testo della scheda".to_string());
                let url = place.url.clone();
                (place.clone(), 0, entry(label, url, a))
            }
        };
        let place = match a.kind {
            RevisionKind::Correction => Place {
                group: CORRECTIONS.to_string(),
                ..place
            },
            _ => place,
        };
        placed.push((place, line, within, entry));
    }
    // The rettifiche follow the update's changes, in a group of their own, in document order.
    placed.sort_by_key(|(p, l, w, _)| (p.group == CORRECTIONS, p.rank, *l, *w));
    let placed = under_causes(placed);
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for (place, _, _, e) in placed {
        let new_group = groups.last().is_none_or(|g| g.title != place.group);
        if new_group {
            groups.push(ChangeGroup {
                intro: (place.group == CORRECTIONS).then_some(CORRECTIONS_INTRO),
                title: place.group.clone(),
                objects: Vec::new(),
            });
        }
        let Some(group) = groups.last_mut() else {
            continue;
        };
        match group.objects.last_mut() {
            Some(o) if o.place == place => o.entries.push(e),
            _ => group.objects.push(ChangedObject {
                place,
                entries: vec![e],
            }),
        }
    }
    groups
}

fn entry(label: String, url: String, a: &Amendment) -> Entry {
    Entry {
        label,
        url,
        amendment: a.clone(),
        consequences: Vec::new(),
    }
}

/// Each consequence moved under the first revision it follows from, in the order they are
/// placed; one whose cause is not listed (a revision the Prospetto does not place) stays where
/// it is.
fn under_causes<T>(placed: Vec<Sorted<T>>) -> Vec<Sorted<T>> {
    let listed: HashSet<Location> = placed
        .iter()
        .filter(|(.., e)| e.amendment.kind != RevisionKind::Consequence)
        .map(|(.., e)| e.amendment.at.clone())
        .collect();
    let (consequences, mut out): (Vec<_>, Vec<_>) = placed.into_iter().partition(|(.., e)| {
        e.amendment.kind == RevisionKind::Consequence
            && e.amendment
                .causes
                .first()
                .is_some_and(|c| listed.contains(c))
    });
    for item in &mut out {
        if item.3.amendment.kind == RevisionKind::Consequence {
            named(&mut item.3, CONSEQUENCE_ELSEWHERE);
        }
    }
    let index: HashMap<Location, usize> = out
        .iter()
        .enumerate()
        .filter(|(_, (.., e))| e.amendment.kind != RevisionKind::Consequence)
        .map(|(i, (.., e))| (e.amendment.at.clone(), i))
        .collect();
    for (.., mut e) in consequences {
        let cause = e.amendment.causes.first().and_then(|c| index.get(c));
        if let Some(item) = cause.and_then(|&i| out.get_mut(i)) {
            named(&mut e, CONSEQUENCE);
            item.3.consequences.push(e);
        }
    }
    out
}

/// A consequence as the Prospetto lists it: named as one, with why it changed.
fn named(e: &mut Entry, reason: &str) {
    e.label = format!("Conseguenza: {}", e.label);
    e.amendment.reason = reason.to_string();
}

/// An entry with where it sorts: its place, its line in the page, its position in the file.
type Sorted<T> = (Place, T, (usize, usize), Entry);

/// A page's place in the document and its headings with the anchors the site gives them.
fn page_info<'a>(pi: usize, page: &'a ExpandedPage, book: &Book) -> PageInfo<'a> {
    let section = book.sections.get(page.section);
    let place = Place {
        rank: (page.section, pi),
        group: section.map(|s| s.meta.heading()).unwrap_or_default(),
        title: page.title.clone(),
        url: page.url.clone(),
    };
    // The body starts at the end of the title's line: the title is the file's first line
    // that is not blank, and the expressions keep lines, so the source tells which it is.
    let first_line = section
        .and_then(|s| s.pages.iter().find(|p| p.path == page.path))
        .map_or(1, |p| {
            let blank = p.text.len() - p.text.trim_start().len();
            p.text
                .get(..blank)
                .map_or(0, |lead| lead.matches('\n').count())
                .saturating_add(1)
        });
    let body = &page.markdown;
    let mut ids = HeadingIds::default();
    let mut headings = Vec::new();
    let mut open: Option<(usize, usize, Vec<Event>)> = None;
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let line = body
                    .get(..range.start)
                    .map_or(0, |b| b.matches('\n').count());
                open = Some((first_line.saturating_add(line), level as usize, Vec::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((line, level, inner)) = open.take() {
                    let text = markdown::plain_text(&inner);
                    headings.push(Heading {
                        line,
                        level,
                        id: ids.next(&text),
                        text,
                    });
                }
            }
            other => {
                if let Some((_, _, inner)) = open.as_mut() {
                    inner.push(other);
                }
            }
        }
    }
    PageInfo {
        place,
        page,
        headings,
        first_line,
    }
}

/// The label and address of a revision of a page's prose: the headings it is under, from the
/// outermost (`«CAPACITA' ASSUNZIONALI 2025-2027 › Area "Istruttori"»`), linked at the
/// innermost.
fn prose_place(info: &PageInfo, a: &Amendment) -> (String, String) {
    let mut trail: Vec<&Heading> = Vec::new();
    for h in info.headings.iter().take_while(|h| h.line <= a.at.line) {
        trail.retain(|t| t.level < h.level);
        trail.push(h);
    }
    match trail.last() {
        Some(last) => {
            let path = trail
                .iter()
                .map(|h| h.text.as_str())
                .collect::<Vec<_>>()
                .join(" › ");
            (
                format!("Testo, paragrafo «{path}»"),
                format!("{}#{}", info.page.url, last.id),
            )
        }
        None => (
            "Testo, in apertura della pagina".to_string(),
            info.page.url.clone(),
        ),
    }
}

/// What holds the revisions written in `file`: a page of prose, a table (with the first page
/// showing it), or an objective.
fn holder_of<'a>(file: &Path, book: &'a Book, infos: &[PageInfo]) -> Option<Holder<'a>> {
    if let Some(pi) = infos.iter().position(|i| i.page.path == file) {
        return Some(Holder::Page(pi));
    }
    if let Some((id, t)) = book.tables.iter().find(|(_, t)| t.path == file) {
        let mark = markdown::placeholder_for(Placed::Table, id);
        return infos.iter().enumerate().find_map(|(pi, info)| {
            let at = info.page.markdown.find(&mark)?;
            let line = info
                .page
                .markdown
                .get(..at)
                .map_or(0, |b| b.matches('\n').count());
            Some(Holder::Table {
                page: pi,
                id,
                title: &t.spec.title,
                line: info.first_line.saturating_add(line),
            })
        });
    }
    objective_place(file, book).map(Holder::Objective)
}

/// The card of the objective written in `file`, after every part of the document, as the
/// site's index and the PDF place the objectives and Allegato 1.
fn objective_place(file: &Path, book: &Book) -> Option<Place> {
    let objs = book.objectives.as_ref()?;
    let after = book.sections.len();
    if let Some(i) = objs.strategic.iter().position(|s| s.path == file) {
        let s = objs.strategic.get(i)?;
        return Some(Place {
            rank: (after, i),
            group: address::TREE.title.into(),
            title: format!("{} – {}", s.spec.code, s.spec.title),
            url: address::strategic(&s.slug),
        });
    }
    let o = objs.operational.iter().find(|o| o.path == file)?;
    let area = objs
        .areas
        .spec
        .areas
        .iter()
        .position(|a| a.id == o.spec.area);
    // A replaced objective comes before the one replacing it (they share the scheda number).
    let replaced = usize::from(o.spec.in_force());
    let rank = area
        .unwrap_or_default()
        .saturating_mul(1000)
        .saturating_add(o.spec.number as usize)
        .saturating_mul(2)
        .saturating_add(replaced);
    Some(Place {
        rank: (after.saturating_add(1), rank),
        group: address::ANNEX.title.into(),
        title: format!(
            "Scheda {}: {} – {}",
            o.spec.number, o.spec.code, o.spec.title
        ),
        url: address::operational(&o.slug),
    })
}

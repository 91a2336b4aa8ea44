//! The Prospetto delle modifiche: every revision placed on the page a reviewer opens to see it
//! in context, grouped by part of the document and by page (or objective), in document order.
//! The site and the print edition list the same groups.

use crate::address;
use crate::compute::model::Amendment;
use crate::content::model::Book;
use crate::expand::ExpandedPage;
use std::collections::HashMap;
use std::path::Path;

/// Where a revision is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Document order of the page or objective: part, then position within it.
    pub rank: (usize, usize),
    /// The part of the document: `Sezione 3 – …`, `Allegato 1 – …`.
    pub group: String,
    pub title: String,
    pub url: String,
}

/// One page or objective of the Prospetto with its revisions, in document order.
#[derive(Debug, Clone)]
pub struct ChangedObject {
    pub place: Place,
    pub amendments: Vec<Amendment>,
}

/// A part of the document in the Prospetto.
#[derive(Debug, Clone)]
pub struct ChangeGroup {
    pub title: String,
    pub objects: Vec<ChangedObject>,
}

/// What a revision changes, as the Prospetto names it.
pub fn field_label(a: &Amendment) -> String {
    a.field.clone().unwrap_or_else(|| "Testo".to_string())
}

/// Every revision placed and grouped by part and page (or objective), in document order.
pub fn group(amendments: &[Amendment], book: &Book, pages: &[ExpandedPage]) -> Vec<ChangeGroup> {
    // Each file is placed once: a page may have thousands of revisions, and finding the page
    // of a table reads every page.
    let mut places: HashMap<&Path, Option<Place>> = HashMap::new();
    let mut placed: Vec<(Place, &Amendment)> = amendments
        .iter()
        .filter_map(|a| {
            places
                .entry(&a.at.file)
                .or_insert_with(|| place_of(&a.at.file, book, pages))
                .clone()
                .map(|p| (p, a))
        })
        .collect();
    placed.sort_by(|(p, a), (q, b)| (p.rank, &a.at).cmp(&(q.rank, &b.at)));
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for (place, a) in placed {
        let new_group = groups.last().is_none_or(|g| g.title != place.group);
        if new_group {
            groups.push(ChangeGroup {
                title: place.group.clone(),
                objects: Vec::new(),
            });
        }
        let Some(group) = groups.last_mut() else {
            continue;
        };
        match group.objects.last_mut() {
            Some(o) if o.place.title == place.title => o.amendments.push(a.clone()),
            _ => group.objects.push(ChangedObject {
                place,
                amendments: vec![a.clone()],
            }),
        }
    }
    groups
}

/// The page where a revision written in `file` is shown: a page of prose, the page showing a
/// table, or an objective's page.
fn place_of(file: &Path, book: &Book, pages: &[ExpandedPage]) -> Option<Place> {
    let table = book.tables.iter().find(|(_, t)| t.path == file);
    for (pi, page) in pages.iter().enumerate() {
        let embeds = table.is_some_and(|(id, _)| page.shows_table(id));
        if page.path == file || embeds {
            let title = match table {
                Some((_, t)) => format!("{} – tabella «{}»", page.title, t.spec.title),
                None => page.title.clone(),
            };
            return Some(Place {
                rank: (page.section, pi),
                group: book
                    .sections
                    .get(page.section)
                    .map(|s| s.meta.heading())
                    .unwrap_or_default(),
                title,
                url: page.url.clone(),
            });
        }
    }
    let objs = book.objectives.as_ref()?;
    let after = book.sections.len();
    if let Some(i) = objs.strategic.iter().position(|s| s.path == file) {
        let s = &objs.strategic[i];
        return Some(Place {
            rank: (after, i),
            group: "Obiettivi strategici (Sezione 2.2)".into(),
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
    Some(Place {
        rank: (
            after + 1,
            (area.unwrap_or_default() * 1000 + o.spec.number as usize) * 2 + replaced,
        ),
        group: address::ANNEX.title.into(),
        title: format!(
            "Scheda {}: {} – {}",
            o.spec.number, o.spec.code, o.spec.title
        ),
        url: address::operational(&o.slug),
    })
}

//! The print and archival edition: the document as data ([`model`]), given to the typst
//! template (`templates/piao.typ`) as files ([`files`]), laid out and exported as PDF/A-2a +
//! PDF/UA-1 ([`pdf`]). Prose is read
//! into blocks and runs ([`blocks`]), shown values into runs ([`runs`]); tables and cards come
//! from the same view as the site's.

pub mod blocks;
mod cascade;
pub mod compact;
pub mod coverage;
pub mod files;
pub mod model;
pub mod pdf;
mod runs;
mod table;
mod widths;

use crate::address::{self, print_label};
use crate::content::model::RevisionKind;
use crate::render::Document;
use crate::render::chart;
use blocks::{Inline, Resolve};
use model::{
    ChangeData, ChangeGroupData, ChangedObjectData, ChartData, DateData, DocumentData, EarlierData,
    PageData, PartData, PrintModel,
};
use std::collections::BTreeMap;

/// Builds the print model from the same view the site reads.
pub fn model(doc: &Document) -> PrintModel {
    let book = doc.book;
    let m = &book.manifest;
    // A page that is its part (Premessa) does not repeat the part's title: it has no heading
    // of its own, and links to it lead to its part's.
    let own = |si: usize, title: &str| {
        let same = |t: &str| crate::names::anchor(title) == crate::names::anchor(t);
        book.sections
            .get(si)
            .is_some_and(|s| same(&s.meta.title) || same(&s.meta.heading()))
    };
    // Every place the print edition has, by the label of its address: internal links resolve
    // to the label it carries in the document.
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    for p in doc.pages {
        let label = match book.sections.get(p.section) {
            Some(section) if own(p.section, &p.title) => address::part_label(&section.slug),
            _ => print_label(&p.url),
        };
        labels.insert(print_label(&p.url), label);
    }
    if let Some(c) = &doc.view.cascade {
        let urls = [address::TREE.url, address::ANNEX.url]
            .into_iter()
            .chain(c.strategic.iter().map(|s| s.url.as_str()))
            .chain(c.operational.iter().map(|o| o.url.as_str()));
        for url in urls {
            labels.insert(print_label(url), print_label(url));
        }
    }
    let link = |url: &str| -> Option<String> {
        let path = url.split('#').next().unwrap_or(url);
        labels.get(&print_label(path)).cloned()
    };

    let mut parts: Vec<PartData> = Vec::new();
    for (si, section) in book.sections.iter().enumerate() {
        let meta = &section.meta;
        let title = meta.heading();
        let mut part = PartData {
            label: address::part_label(&section.slug),
            title: title.clone(),
            pages: Vec::new(),
        };
        for page in doc.pages.iter().filter(|p| p.section == si) {
            // A page that is its part: its `##` become level 2, otherwise the page is level 2
            // and its `##` level 3.
            let own = own(si, &page.title);
            let shift = if own { 0 } else { 1 };
            part.pages.push(PageData {
                title: (!own).then(|| page.title.clone()),
                label: print_label(&page.url),
                blocks: blocks::blocks(
                    &page.markdown,
                    shift,
                    Resolve {
                        link: &link,
                        reason: None,
                    },
                ),
            });
        }
        parts.push(part);
    }

    let tables = doc
        .view
        .tables
        .iter()
        .map(|(id, t)| (id.clone(), table::table(t, &link)))
        .collect();

    let charts = doc
        .computed
        .charts
        .iter()
        .map(|(id, c)| {
            (
                id.clone(),
                ChartData {
                    svg: chart::svg(c),
                    title: c.title.clone(),
                    alt: format!("{} {}", c.title, c.description),
                    data: c
                        .table
                        .as_ref()
                        .and_then(|t| doc.computed.tables.get(t))
                        .map(|t| t.title.clone()),
                },
            )
        })
        .collect();

    let changes = doc
        .view
        .changes
        .iter()
        .map(|g| ChangeGroupData {
            title: g.title.clone(),
            intro: g.intro,
            objects: g
                .objects
                .iter()
                .map(|o| ChangedObjectData {
                    title: o.place.title.clone(),
                    label: link(&o.place.url),
                    items: o
                        .rows()
                        .into_iter()
                        .map(|e| {
                            let a = &e.amendment;
                            let show = |v: &str| {
                                if a.markdown {
                                    blocks::inlines(v, &link, &mut |_| None)
                                } else {
                                    blocks::text(v)
                                }
                            };
                            ChangeData {
                                field: e.label.clone(),
                                old: show(&a.old),
                                new: show(&a.new),
                                reason: if a.reason.is_empty() {
                                    vec![Inline::Emph {
                                        c: blocks::text("non indicato nel documento"),
                                    }]
                                } else {
                                    blocks::inlines(&a.reason, &link, &mut |_| None)
                                },
                                act: a.act.clone(),
                                quiet: a.kind == RevisionKind::Consequence,
                                history: a
                                    .history
                                    .iter()
                                    .map(|h| EarlierData {
                                        old: show(&h.old),
                                        new: show(&h.new),
                                        reason: h
                                            .reason
                                            .as_deref()
                                            .map(|r| blocks::inlines(r, &link, &mut |_| None)),
                                        act: h.act.clone(),
                                    })
                                    .collect(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();

    let edition_name = doc.edition_name();
    PrintModel {
        document: DocumentData {
            pdf_title: format!("{} ({}) {} – {edition_name}", m.title, m.acronym, m.period),
            description: description(doc),
            ident: format!("{}-{}-{}", m.acronym, m.period, doc.edition_key()),
            edition_name,
            identity: doc.view.identity.clone(),
            date: DateData {
                year: book.date.year,
                month: book.date.month,
                day: book.date.day,
            },
            running_head: format!("{} — {} {}", m.institution, m.acronym, m.period),
            marked: doc.marked,
        },
        parts,
        tables,
        charts,
        cascade: doc
            .view
            .cascade
            .as_ref()
            .map(|c| cascade::cascade(c, &link)),
        changes,
    }
}

/// What the edition shows, in words: the PDF's description, and the consolidated edition's
/// cover note, which names the acts whose changes it incorporates and claims no markers.
fn description(doc: &Document) -> String {
    let acts = &doc.book.manifest.acts;
    if doc.marked {
        "Edizione con le modifiche evidenziate: il valore precedente barrato, il valore \
         aggiornato evidenziato, il motivo in nota; il Prospetto delle modifiche le elenca tutte."
            .into()
    } else if acts.is_empty() {
        "Testo consolidato: il piano in vigore dopo l’aggiornamento, con le modifiche \
         incorporate nel testo e senza segni di revisione."
            .into()
    } else {
        format!(
            "Testo consolidato: il piano in vigore dopo le modifiche approvate con {}, \
             incorporate nel testo e senza segni di revisione.",
            acts.iter()
                .map(|a| format!("«{a}»"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

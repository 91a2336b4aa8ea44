//! Stage 6, view: what both renderers share, so the site and the print edition cannot tell
//! different stories. Tables get their header grid and their cells shown (changed ones with
//! old, new and reason); the cascade is walked once into its cards; every revision of the
//! update is listed and grouped for the Prospetto delle modifiche. The renderers only draw.

pub mod cascade;
pub mod changes;
pub mod datasets;
pub mod grid;
pub mod notes;
pub mod shown;
pub mod table;

use crate::compute::model::{Amendment, Computed};
use crate::compute::objectives::{OPERATIONAL_COUNT, STRATEGIC_COUNT};
use crate::content::model::{Book, Contacts};
use crate::expand::ExpandedPage;
use crate::format;
use serde::Serialize;
use std::collections::BTreeMap;

/// The identity of the document, as both renderers print it.
#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub institution: String,
    pub title: String,
    pub acronym: String,
    pub period: String,
    pub edition: String,
    pub acts: Vec<String>,
    /// The print edition's file name, linked from the site.
    pub pdf_file: String,
    /// The site's publication date in words (`30 giugno 2025`).
    pub published: String,
    /// The pages' meta description.
    pub description: String,
    /// The ente's website, its Amministrazione Trasparente page and its accessibility
    /// statement, when the manifest gives them.
    pub website: Option<String>,
    pub transparency: Option<String>,
    pub accessibility: Option<String>,
    pub contacts: Option<Contacts>,
}

/// The document as both renderers draw it.
#[derive(Debug, Clone)]
pub struct View {
    pub identity: Identity,
    /// Every revision of the update: the prose's in reading order, then the data's (tables
    /// and objectives) in file order.
    pub amendments: Vec<Amendment>,
    /// The same, grouped for the Prospetto delle modifiche.
    pub changes: Vec<changes::ChangeGroup>,
    /// Every computed table, by id.
    pub tables: BTreeMap<String, table::TableView>,
    /// The performance cascade, when the content has one.
    pub cascade: Option<cascade::CascadeView>,
    /// Every dataset of the open data, with its addresses.
    pub datasets: datasets::Catalogue,
}

/// Builds the view of the prepared document.
pub fn build(book: &Book, computed: &Computed, pages: &[ExpandedPage]) -> View {
    let mut data = computed.amendments.clone();
    let count = |id: &str| {
        computed
            .quantities
            .get(id)
            .map(|q| q.display())
            .unwrap_or_default()
    };
    let cascade = book.objectives.as_ref().map(|objs| {
        let in_force = (count(STRATEGIC_COUNT), count(OPERATIONAL_COUNT));
        let (view, amendments) = cascade::view(objs, &book.period, in_force);
        data.extend(amendments);
        view
    });
    data.sort_by(|a, b| a.at.cmp(&b.at));
    let mut amendments: Vec<Amendment> = pages
        .iter()
        .flat_map(|p| p.amendments.iter().cloned())
        .collect();
    amendments.extend(data);
    let m = &book.manifest;
    View {
        identity: Identity {
            institution: m.institution.clone(),
            title: m.title.clone(),
            acronym: m.acronym.clone(),
            period: m.period.clone(),
            edition: m.edition.clone(),
            acts: m.acts.clone(),
            pdf_file: m.pdf_file.clone(),
            published: format::date(&book.published),
            description: m.description.clone().unwrap_or_else(|| {
                format!(
                    "{} ({}) {} – {}: {}.",
                    m.title, m.acronym, m.period, m.institution, m.edition
                )
            }),
            website: m.website.clone(),
            transparency: m.transparency.clone(),
            accessibility: m.accessibility.clone(),
            contacts: m.contacts.clone(),
        },
        changes: changes::group(&amendments, book, pages),
        amendments,
        tables: computed
            .tables
            .iter()
            .map(|(id, t)| (id.clone(), table::view(t)))
            .collect(),
        cascade,
        datasets: datasets::catalogue(book, computed, pages),
    }
}

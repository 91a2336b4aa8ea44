//! The open data: every data table of the document, and the tables derived from the
//! performance cascade, as CSV (three-star open data, as the AgID guidelines ask of
//! D.Lgs. 33/2013's open formats) with a JSON twin, the whole cascade as one JSON document,
//! and a Frictionless Data Package (`datapackage.json`) describing every CSV with its Table
//! Schema and the licence. A third renderer: it reads the document and its view like the
//! site and the print edition, and neither of them reads it. What it writes, and where, is
//! the view's catalogue ([`crate::view::datasets`]), which the site links.
//!
//! - [`tables`]: a computed table as a sheet (headers, groups, totals, revisions);
//! - [`cascade`]: the objectives, indicators and targets as sheets;
//! - [`objectives`]: the whole cascade as `dati/obiettivi.json`;
//! - [`sheet`], [`csv`], [`json`]: a sheet, and how it is written;
//! - [`schema`]: the Data Package and Table Schema types.

mod cascade;
mod csv;
mod json;
mod objectives;
mod schema;
mod sheet;
pub mod tables;

use crate::address;
use crate::render::{Document, Files};
use crate::view::datasets::Source;
use schema::{License, Package, Resource};

/// Every file of the open data, by path in the output folder.
pub fn render(doc: &Document) -> Files {
    let book = doc.book;
    let catalogue = &doc.view.datasets;
    let licence = book.licence;
    let mut files = Files::new();
    let mut resources = Vec::new();
    for d in &catalogue.datasets {
        let sheet = match &d.source {
            Source::Table(id) => {
                let (Some(t), Some(v)) = (doc.computed.tables.get(id), doc.view.tables.get(id))
                else {
                    continue;
                };
                tables::sheet(t, v, doc.marked)
            }
            Source::Derived(which) => {
                let Some(objs) = &book.objectives else {
                    continue;
                };
                cascade::sheet(*which, objs, &book.period)
            }
        };
        let csv = csv::write(&sheet);
        resources.push(Resource::csv(
            &d.name,
            &d.title,
            address::in_data_package(&d.csv),
            csv.len(),
            &sheet,
        ));
        files.insert(address::published(&d.csv), csv);
        files.insert(
            address::published(&d.json),
            json::write(&sheet, &d.name, &d.title, licence.id()),
        );
    }
    if let (Some(url), Some(objs)) = (&catalogue.objectives, &book.objectives) {
        files.insert(
            address::published(url),
            objectives::objectives(objs, &book.period),
        );
    }
    let m = &book.manifest;
    let package = Package {
        profile: "tabular-data-package",
        name: schema::package_name(&[&m.acronym, &m.period]),
        title: format!("{} {} – dati aperti", m.title, m.period),
        description: format!(
            "Le tabelle del {} ({}) {} di {} ({}), in CSV con la descrizione di ogni colonna.",
            m.title,
            m.acronym,
            m.period,
            m.institution,
            doc.edition_name()
        ),
        created: format!("{}T00:00:00Z", book.published),
        licenses: vec![License {
            name: licence.id(),
            path: licence.url(),
            title: licence.title(),
        }],
        resources,
    };
    let text = serde_json::to_string_pretty(&package).unwrap_or_default();
    files.insert(
        address::published(address::DATA_PACKAGE),
        (text + "\n").into_bytes(),
    );
    files
}

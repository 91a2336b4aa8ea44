//! The catalogue of the open data: every dataset piao publishes (one per data table, and the
//! tables derived from the performance cascade), with its title, the page that shows it and
//! the addresses of its CSV and JSON. Built once here so the data renderer, which writes the
//! files, and the site, which links them under each table and on the "Dati aperti" page,
//! cannot disagree on a name or an address.

use crate::address;
use crate::compute::model::Computed;
use crate::content::model::{Book, Licence};
use crate::expand::ExpandedPage;
use crate::format;
use serde::Serialize;
use std::collections::BTreeMap;

/// A table piao derives from the performance cascade rather than reads from a table file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derived {
    /// The strategic objectives in force, one row each.
    Strategic,
    /// The operational objectives in force, one row each.
    Operational,
    /// Every indicator in force, one row each.
    Indicators,
    /// Every indicator's target, one row per indicator and year.
    Targets,
}

impl Derived {
    pub const ALL: [Derived; 4] = [
        Derived::Strategic,
        Derived::Operational,
        Derived::Indicators,
        Derived::Targets,
    ];

    /// The file's name in `dati/obiettivi/`.
    fn file(self) -> &'static str {
        match self {
            Derived::Strategic => "strategici",
            Derived::Operational => "operativi",
            Derived::Indicators => "indicatori",
            Derived::Targets => "target",
        }
    }

    /// The resource's name in the data package: with a `-`, which no table id may contain,
    /// so it never takes a table's name.
    fn name(self) -> &'static str {
        match self {
            Derived::Strategic => "obiettivi-strategici",
            Derived::Operational => "obiettivi-operativi",
            Derived::Indicators => "indicatori-obiettivi",
            Derived::Targets => "target-indicatori",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Derived::Strategic => "Obiettivi strategici",
            Derived::Operational => "Obiettivi operativi (schede dell'Allegato 1)",
            Derived::Indicators => "Indicatori degli obiettivi strategici e operativi",
            Derived::Targets => "Target degli indicatori per anno",
        }
    }

    /// The page that shows them.
    fn shown_at(self) -> &'static str {
        match self {
            Derived::Operational => address::ANNEX.url,
            _ => address::TREE.url,
        }
    }
}

/// What a dataset publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A computed table, by id.
    Table(String),
    Derived(Derived),
}

/// One dataset: a CSV and its JSON twin.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    /// Its name in the data package (lowercase letters, digits, `_` and `-`).
    pub name: String,
    pub title: String,
    /// The site address (with the table's anchor) of the page that shows it, if any.
    pub shown_at: Option<String>,
    /// Site addresses of the two files.
    pub csv: String,
    pub json: String,
    /// Their sizes as the page prints them (`3,2 kB`), once the data is written
    /// ([`Catalogue::measure`]).
    pub csv_size: Option<String>,
    pub json_size: Option<String>,
    #[serde(skip)]
    pub source: Source,
}

/// The licence as the site prints it.
#[derive(Debug, Clone, Serialize)]
pub struct LicenceView {
    pub id: &'static str,
    pub title: &'static str,
    pub url: &'static str,
}

/// Every dataset, in the order the data package and the "Dati aperti" page list them: the
/// data tables by id, then the cascade's.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    pub datasets: Vec<Dataset>,
    /// The whole cascade as one JSON document, when the content has one.
    pub objectives: Option<String>,
    pub package: &'static str,
    pub page: &'static str,
    pub licence: LicenceView,
}

impl Catalogue {
    /// The dataset of a computed table.
    pub fn of_table(&self, id: &str) -> Option<&Dataset> {
        self.datasets
            .iter()
            .find(|d| matches!(&d.source, Source::Table(t) if t == id))
    }

    /// Records the size of every file written (by path in the output folder, as the
    /// renderers produce them), for the page that lists them.
    pub fn measure(&mut self, files: &BTreeMap<String, Vec<u8>>) {
        let measured = |url: &str| {
            files
                .get(&address::published(url))
                .map(|f| format::size(f.len() as u64))
        };
        for d in &mut self.datasets {
            d.csv_size = measured(&d.csv);
            d.json_size = measured(&d.json);
        }
    }
}

/// The catalogue of the document.
pub fn catalogue(book: &Book, computed: &Computed, pages: &[ExpandedPage]) -> Catalogue {
    let mut datasets: Vec<Dataset> = computed
        .tables
        .values()
        .map(|t| Dataset {
            name: t.id.clone(),
            title: t.title.clone(),
            shown_at: pages
                .iter()
                .find(|p| p.shows_table(&t.id))
                .map(|p| address::table_anchor(&p.url, &t.id)),
            csv: address::table_data(&t.id, "csv"),
            json: address::table_data(&t.id, "json"),
            csv_size: None,
            json_size: None,
            source: Source::Table(t.id.clone()),
        })
        .collect();
    if book.objectives.is_some() {
        datasets.extend(Derived::ALL.iter().map(|&d| Dataset {
            name: d.name().to_string(),
            title: d.title().to_string(),
            shown_at: Some(d.shown_at().to_string()),
            csv: address::cascade_data(d.file(), "csv"),
            json: address::cascade_data(d.file(), "json"),
            csv_size: None,
            json_size: None,
            source: Source::Derived(d),
        }));
    }
    let licence: Licence = book.licence;
    Catalogue {
        datasets,
        objectives: book
            .objectives
            .is_some()
            .then(|| address::OBJECTIVES_DATA.to_string()),
        package: address::DATA_PACKAGE,
        page: address::DATA_PAGE.url,
        licence: LicenceView {
            id: licence.id(),
            title: licence.title(),
            url: licence.url(),
        },
    }
}

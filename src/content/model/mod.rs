//! The typed content model: what the files under `content/` may say. Every struct refuses
//! unknown fields, so a misspelt key is an error with its position instead of a silently
//! ignored figure. Fields are named in English in the code and keep the Italian names the
//! planners write (`titolo`, `valori`, `motivo`) through serde renames.

mod calc;
mod declared;
mod objectives;
mod revision;
mod table;

pub use calc::{
    CalcSpec, CategorySpec, ChartKind, ChartSpec, ChartsSpec, CheckSpec, QuantitySpec, SeriesSpec,
    Unit,
};
pub use declared::{Decision, Declared};
pub use objectives::{
    AmbitiSpec, AmbitoSpec, AreaSpec, AreeSpec, IndicatorSpec, ObjectiveSource, Objectives,
    OperationalSpec, ProgrammeSpec, StrategicSpec, Targets,
};
pub use revision::{
    Change, Earlier, JsonDecimal, Revisable, Revision, RevisionKind, WholeRevision,
    WholeRevisionKind, in_force,
};
pub use table::{Cell, ColumnKind, ColumnSpec, HeaderCell, RowSpec, TableSpec, TotalRule};

use crate::content::date::Date;
use crate::content::period::Period;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `content/documento.json`: the identity of the published document, as written (pages use it
/// as `{{ documento.ente }}`, with these Italian names).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    #[serde(rename = "ente")]
    pub institution: String,
    #[serde(rename = "titolo")]
    pub title: String,
    #[serde(rename = "sigla")]
    pub acronym: String,
    /// The plan's years as written (`2025-2027`); [`Book::period`] is the same, read.
    #[serde(rename = "periodo")]
    pub period: String,
    #[serde(rename = "edizione")]
    pub edition: String,
    /// Approval acts, as the document cites them.
    #[serde(rename = "atti", default)]
    pub acts: Vec<String>,
    /// File name of the print edition, used by the PDF renderer and linked from the site.
    #[serde(rename = "file_pdf")]
    pub pdf_file: String,
    /// The edition's date as written (`AAAA-MM-GG`); [`Book::date`] is the same, checked.
    #[serde(rename = "data")]
    pub date: String,
    /// The date the site is published (`AAAA-MM-GG`), printed in every page's footer; the
    /// edition's date when absent. [`Book::published`] is the same, checked.
    #[serde(rename = "pubblicazione", default)]
    pub published: Option<String>,
    /// One sentence on the document for search engines and link previews (every page's meta
    /// description); made of the title, period and ente when absent.
    #[serde(rename = "descrizione", default)]
    pub description: Option<String>,
    /// The ente's website: the ente's name in every page's header links to it.
    #[serde(rename = "sito_ente", default)]
    pub website: Option<String>,
    /// The ente's Amministrazione Trasparente page, where the site is published: every page
    /// links back to it.
    #[serde(rename = "amministrazione_trasparente", default)]
    pub transparency: Option<String>,
    /// The ente's accessibility statement (AgID), which every page of a public
    /// administration's site must link: in every page's footer.
    #[serde(rename = "dichiarazione_accessibilita", default)]
    pub accessibility: Option<String>,
    /// The ente's contacts, in every page's footer.
    #[serde(rename = "contatti", default)]
    pub contacts: Option<Contacts>,
    /// The address where the published folder goes online (`https://www.ente.it/piao/`):
    /// canonical links and `sitemap.xml` need whole addresses, so without it there are none.
    #[serde(rename = "indirizzo_base", default)]
    pub base_url: Option<String>,
    /// Who approved this edition, with which act and when: the Portale PIAO asks for them,
    /// and the record lists as missing whatever is absent (piao never invents an act).
    #[serde(rename = "approvazione", default)]
    pub approval: Option<Approval>,
    /// The number of employees the Portale PIAO asks for, as a formula over the data
    /// (`personale_aree.totale.totale`): computed, never typed.
    #[serde(rename = "dipendenti", default)]
    pub staff: Option<String>,
    /// The licence of the open data (`dati/`), an SPDX id piao knows ([`Licence::parse`],
    /// checked in `manifest.rs` where a wrong one is named); [`Book::licence`] is the same,
    /// read, or [`Licence::default`] when absent.
    #[serde(rename = "licenza", default)]
    pub licence: Option<String>,
}

/// The approval of an edition, as the Portale PIAO records it: each part optional, so that
/// the record can say which one the office still has to fill.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The approving body (`Giunta camerale`).
    #[serde(rename = "organo", default)]
    pub body: Option<String>,
    /// The act's references (`Delibera di Giunta n. 12 del 30 gennaio 2025`).
    #[serde(rename = "atto", default)]
    pub act: Option<String>,
    /// The approval date, `AAAA-MM-GG`.
    #[serde(rename = "data", default)]
    pub date: Option<String>,
}

/// The licences the open data may be published under: the ones the AgID open-data
/// guidelines and the Italian open-data portal use, each with its title and address known
/// here so the data package and the site can cite it without the planner typing them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Licence {
    /// Creative Commons Attribution 4.0: the guidelines' reference licence for PA data.
    #[default]
    CcBy4,
    CcBySa4,
    Cc0,
    Iodl2,
}

impl Licence {
    /// Every licence piao knows, the default first.
    pub const ALL: [Licence; 4] = [
        Licence::CcBy4,
        Licence::CcBySa4,
        Licence::Cc0,
        Licence::Iodl2,
    ];

    /// The licence `documento.json` names by its SPDX identifier.
    pub fn parse(id: &str) -> Option<Licence> {
        Licence::ALL.into_iter().find(|l| l.id() == id)
    }

    /// The SPDX identifier, as `documento.json` writes it.
    pub fn id(self) -> &'static str {
        match self {
            Licence::CcBy4 => "CC-BY-4.0",
            Licence::CcBySa4 => "CC-BY-SA-4.0",
            Licence::Cc0 => "CC0-1.0",
            Licence::Iodl2 => "IODL-2.0",
        }
    }

    /// Its name as the site prints it.
    pub fn title(self) -> &'static str {
        match self {
            Licence::CcBy4 => "Creative Commons Attribuzione 4.0 Internazionale",
            Licence::CcBySa4 => {
                "Creative Commons Attribuzione – Condividi allo stesso modo 4.0 Internazionale"
            }
            Licence::Cc0 => "Creative Commons CC0 1.0 Universale (pubblico dominio)",
            Licence::Iodl2 => "Italian Open Data License v2.0",
        }
    }

    /// The licence's text.
    pub fn url(self) -> &'static str {
        match self {
            Licence::CcBy4 => "https://creativecommons.org/licenses/by/4.0/",
            Licence::CcBySa4 => "https://creativecommons.org/licenses/by-sa/4.0/",
            Licence::Cc0 => "https://creativecommons.org/publicdomain/zero/1.0/",
            Licence::Iodl2 => "https://www.dati.gov.it/iodl/2.0/",
        }
    }
}

/// The contacts printed in the site's footer: each optional, as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    #[serde(rename = "indirizzo", default)]
    pub address: Option<String>,
    #[serde(rename = "telefono", default)]
    pub phone: Option<String>,
    #[serde(rename = "email", default)]
    pub email: Option<String>,
    #[serde(rename = "pec", default)]
    pub pec: Option<String>,
}

/// `sezione.json` of each part folder.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    #[serde(rename = "numero", default)]
    pub number: Option<String>,
    #[serde(rename = "titolo")]
    pub title: String,
}

impl SectionMeta {
    /// How the site, the PDF and the Prospetto name the part: `Sezione 2 – Valore pubblico…`.
    pub fn heading(&self) -> String {
        match &self.number {
            Some(n) => format!("Sezione {n} – {}", self.title),
            None => self.title.clone(),
        }
    }
}

/// A JSON file as loaded: where it is and its text, for positioned diagnostics, and its
/// typed content.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub path: PathBuf,
    pub text: String,
    pub spec: T,
}

impl Book {
    /// Every file read, with its text: for checks that look at the content as written.
    pub fn files(&self) -> Vec<(&Path, &str)> {
        let mut out: Vec<(&Path, &str)> = vec![(&self.manifest_path, &self.manifest_text)];
        for page in self.sections.iter().flat_map(|s| &s.pages) {
            out.push((&page.path, &page.text));
        }
        for t in self.tables.values() {
            out.push((&t.path, &t.text));
        }
        for c in &self.calcs {
            out.push((&c.path, &c.text));
        }
        for c in &self.charts {
            out.push((&c.path, &c.text));
        }
        if let Some(o) = &self.objectives {
            out.push((&o.ambiti.path, &o.ambiti.text));
            out.push((&o.areas.path, &o.areas.text));
            out.extend(
                o.strategic
                    .iter()
                    .map(|s| (s.path.as_path(), s.text.as_str())),
            );
            out.extend(
                o.operational
                    .iter()
                    .map(|s| (s.path.as_path(), s.text.as_str())),
            );
        }
        out
    }
}

/// A loaded `calcoli.json`.
pub type CalcSource = Loaded<CalcSpec>;
/// A loaded `grafici.json`.
pub type ChartsSource = Loaded<ChartsSpec>;
/// A loaded data table; its id is the file's stem.
pub type TableSource = Loaded<TableSpec>;

/// A Markdown page as found on disk.
#[derive(Debug, Clone)]
pub struct PageSource {
    pub slug: String,
    pub path: PathBuf,
    pub text: String,
}

/// A part of the document (a folder).
#[derive(Debug, Clone)]
pub struct SectionSource {
    pub slug: String,
    pub meta: SectionMeta,
    pub pages: Vec<PageSource>,
}

/// Everything under `content/`, parsed but not yet computed.
#[derive(Debug, Clone)]
pub struct Book {
    pub root: PathBuf,
    pub manifest: Manifest,
    /// `documento.json` and its text as written, for positions in it.
    pub manifest_path: PathBuf,
    pub manifest_text: String,
    /// The plan's years: every year the site and the PDF print comes from here.
    pub period: Period,
    /// The edition's date: the PDF's archival metadata, never the clock.
    pub date: Date,
    /// The site's publication date (`pubblicazione`, or the edition's date).
    pub published: Date,
    /// The approval date (`approvazione.data`), when written.
    pub approved: Option<Date>,
    /// Where the published folder goes online, ending with `/` (`indirizzo_base`).
    pub base_url: Option<String>,
    /// The open data's licence (`licenza`, or CC BY 4.0).
    pub licence: Licence,
    pub sections: Vec<SectionSource>,
    /// Data tables by id.
    pub tables: BTreeMap<String, TableSource>,
    pub calcs: Vec<CalcSource>,
    pub charts: Vec<ChartsSource>,
    /// The performance cascade, when the content has an `obiettivi/` folder.
    pub objectives: Option<Objectives>,
}

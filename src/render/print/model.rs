//! The print model: the whole document as data for the typst template (`templates/piao.typ`),
//! serialised as JSON. Figures arrive formatted the Italian way, prose as blocks and runs,
//! revisions as `old`/`new` runs with their reasons, so the template only lays out.

use super::blocks::{Block, Inline};
use crate::view::Identity;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct PrintModel {
    pub document: DocumentData,
    pub parts: Vec<PartData>,
    pub tables: BTreeMap<String, TableData>,
    pub charts: BTreeMap<String, ChartData>,
    pub cascade: Option<CascadeData>,
    pub changes: Vec<ChangeGroupData>,
}

#[derive(Serialize)]
pub struct DocumentData {
    #[serde(flatten)]
    pub identity: Identity,
    /// The edition's date: PDF/A metadata, never the clock.
    pub date: DateData,
    pub running_head: String,
    /// The edition as the running head names it ("Aggiornamento, testo consolidato"): the two
    /// editions of one update must not look alike from outside.
    pub edition_name: String,
    /// The PDF's metadata title, the edition's name included.
    pub pdf_title: String,
    /// The PDF's metadata description, and the consolidated edition's cover note: what the
    /// edition shows (markers, or the acts whose changes it incorporates).
    pub description: String,
    /// What the PDF's document ID is hashed from: stable across builds (byte-identical
    /// output) and different per edition, so archives tell the two files apart.
    #[serde(skip)]
    pub ident: String,
    /// The marked-up edition (revisions shown) or the consolidated one.
    pub marked: bool,
}

#[derive(Serialize)]
pub struct DateData {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Serialize)]
pub struct PartData {
    pub title: String,
    pub label: String,
    pub pages: Vec<PageData>,
}

#[derive(Serialize)]
pub struct PageData {
    /// `None` when the page is the part itself (its title would repeat the part's).
    pub title: Option<String>,
    pub label: String,
    pub blocks: Vec<Block>,
}

#[derive(Serialize)]
pub struct TableData {
    pub title: String,
    pub landscape: bool,
    /// The type size, in points, at which the widths were measured.
    pub size: f64,
    pub numeric: Vec<bool>,
    /// Relative column widths, from how much text each column holds.
    pub widths: Vec<f64>,
    pub header: Vec<Vec<HeadCell>>,
    pub rows: Vec<RowData>,
    pub source: Option<String>,
    pub notes: Vec<Vec<Inline>>,
    pub reasons: Vec<Vec<Inline>>,
}

/// A chart: the same SVG as the site, its title as caption and description as alternative.
#[derive(Serialize)]
pub struct ChartData {
    pub svg: String,
    pub title: String,
    pub alt: String,
    /// The title of the table of its figures.
    pub data: Option<String>,
}

#[derive(Serialize)]
pub struct HeadCell {
    pub text: String,
    pub colspan: u32,
    pub rowspan: u32,
    pub numeric: bool,
}

#[derive(Serialize)]
pub struct RowData {
    pub kind: &'static str,
    pub cells: Vec<CellData>,
}

#[derive(Serialize)]
pub struct CellData {
    pub c: Vec<Inline>,
    pub colspan: usize,
    pub numeric: bool,
    /// The label of its row: a header cell (TH, scope row) in the PDF's structure tree.
    pub header: bool,
    /// A label the content leaves blank under the same label above (a province over its
    /// years), repeated so that no row loses it, not even on a continued page; drawn quieter
    /// so the eye still sees the group.
    pub repeated: bool,
}

#[derive(Serialize)]
pub struct CascadeData {
    pub title: String,
    pub annex_title: String,
    /// The strategic targets' years: the plan's period.
    pub years: Vec<String>,
    /// The operational objectives' year, the period's first.
    pub target_year: String,
    /// The baseline's year, the one before the period.
    pub baseline_year: String,
    pub ambiti: Vec<AmbitoData>,
    pub areas: Vec<AreaData>,
}

#[derive(Serialize)]
pub struct AmbitoData {
    pub title: String,
    pub strategic: Vec<StrategicData>,
}

#[derive(Serialize)]
pub struct NodeData {
    /// Removed or added by the update as a whole: labelled (and, removed, struck) in print.
    pub removed: bool,
    pub added: bool,
    pub label: String,
    pub c: Vec<Inline>,
    pub weight: Vec<Inline>,
}

#[derive(Serialize)]
pub struct IndicatorData {
    pub removed: bool,
    pub added: bool,
    pub name: Vec<Inline>,
    pub kind: Vec<Inline>,
    pub weight: Vec<Inline>,
    pub signal: Vec<Inline>,
    pub algorithm: Vec<Inline>,
    pub source: Vec<Inline>,
    pub baseline: Vec<Inline>,
    pub targets: Vec<Vec<Inline>>,
}

#[derive(Serialize)]
pub struct StrategicData {
    pub label: String,
    pub heading: String,
    pub status: Option<Vec<Inline>>,
    pub intro: Vec<Block>,
    pub card_title: String,
    pub weight: Vec<Inline>,
    pub description: Vec<Block>,
    pub mission: String,
    pub programme: String,
    pub indicators: Vec<IndicatorData>,
    pub notes: Vec<Vec<Block>>,
    pub operational: Vec<NodeData>,
    pub reasons: Vec<Vec<Inline>>,
}

#[derive(Serialize)]
pub struct AreaData {
    pub title: String,
    pub label: String,
    pub ambito: String,
    pub functions: Vec<Block>,
    pub cards: Vec<OperationalData>,
}

#[derive(Serialize)]
pub struct OperationalData {
    pub label: String,
    pub heading: String,
    pub number: u32,
    pub status: Option<Vec<Inline>>,
    pub strategic: NodeData,
    pub card_title: String,
    pub weight: Vec<Inline>,
    pub description: Vec<Block>,
    pub unit: Vec<Inline>,
    pub collectors: Vec<Vec<Inline>>,
    pub validators: Vec<Vec<Inline>>,
    pub indicators: Vec<IndicatorData>,
    pub notes: Vec<Vec<Block>>,
    pub reasons: Vec<Vec<Inline>>,
}

#[derive(Serialize)]
pub struct ChangeGroupData {
    pub title: String,
    pub intro: Option<&'static str>,
    pub objects: Vec<ChangedObjectData>,
}

#[derive(Serialize)]
pub struct ChangedObjectData {
    pub title: String,
    pub label: Option<String>,
    pub items: Vec<ChangeData>,
}

/// A revision an earlier act made to the value, as the Prospetto prints it.
#[derive(Serialize)]
pub struct EarlierData {
    pub old: Vec<Inline>,
    pub new: Vec<Inline>,
    pub reason: Option<Vec<Inline>>,
    pub act: String,
}

#[derive(Serialize)]
pub struct ChangeData {
    pub field: String,
    pub old: Vec<Inline>,
    pub new: Vec<Inline>,
    pub reason: Vec<Inline>,
    pub act: Option<String>,
    /// The value's earlier revisions, oldest first.
    pub history: Vec<EarlierData>,
    /// A consequence: drawn as quietly as in the pages.
    pub quiet: bool,
}

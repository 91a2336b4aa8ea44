//! The computed document: what the compute stage produces and every later stage reads
//! (checks, prose, views, renderers). A leaf: it depends only on the content model.

use crate::content::model::{
    Cell, ChartKind, ColumnKind, Earlier, HeaderCell, Revision, RevisionKind, RowSpec, TableSpec,
    Unit,
};
use crate::diag::Location;
use crate::format;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The computed document: tables by id, quantities by id, charts by id, the revisions of the
/// data tables, and every check run while computing.
#[derive(Debug, Clone)]
pub struct Computed {
    pub tables: BTreeMap<String, Table>,
    pub quantities: BTreeMap<String, Quantity>,
    pub charts: BTreeMap<String, Chart>,
    /// Revisions written in the cells of the data tables, in file order.
    pub amendments: Vec<Amendment>,
    pub checks: Vec<Check>,
    /// The number of employees (`documento.json` `dipendenti`), for the Portale PIAO.
    pub staff: Option<Decimal>,
}

/// A table with every cell resolved, ready to render.
#[derive(Debug, Clone)]
pub struct Table {
    pub id: String,
    pub title: String,
    pub columns: Vec<Column>,
    /// Header rows; one row of column titles unless the content gives its own.
    pub header: Vec<Vec<HeaderCell>>,
    pub rows: Vec<Row>,
    pub source: Option<String>,
    /// Notes under the table (Markdown).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub id: String,
    pub title: String,
    pub kind: ColumnKind,
    pub decimals: u32,
    /// Computed by a formula rather than given in the rows.
    pub computed: bool,
}

/// Where column `col` is in a row's `valori`, which lists the columns that are not computed,
/// in order.
pub fn typed_position(columns: &[Column], col: usize) -> usize {
    columns.iter().take(col).filter(|c| !c.computed).count()
}

/// The formula behind the cell of row `row` in column `col`, as written: the column's
/// `calcolo`, or the cell's own `{"calcolo": ..}`; `None` for a figure typed as it is.
pub fn formula_of<'a>(
    spec: &'a TableSpec,
    columns: &[Column],
    row: Option<&'a RowSpec>,
    col: usize,
) -> Option<&'a str> {
    if let Some(f) = spec.columns.get(col).and_then(|c| c.formula.as_deref()) {
        return Some(f);
    }
    match row?.values.as_ref()?.get(typed_position(columns, col))? {
        Cell::Formula(f) => Some(f),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Data,
    Total,
    Group,
    Calc,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: Option<String>,
    pub kind: RowKind,
    /// One value per column (for a group row: empty, see `group`).
    pub cells: Vec<Value>,
    /// Texts of a group row, spanning the columns when there is a single one.
    pub group: Vec<String>,
    pub decimals: Option<u32>,
    pub emphasis: bool,
}

/// A resolved cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    /// Shown as "-": a figure that has no meaning here (a rate in a total row).
    Dash,
    Number(Decimal),
    /// Markdown text.
    Text(String),
    Revised(Box<Revision<Value>>),
}

impl Row {
    /// How a reader names the row: its first cell's text (the struck one for a removed row),
    /// or its id.
    pub fn label(&self) -> String {
        let first = self.cells.first().map(|v| match v {
            Value::Revised(r) if r.new == Value::Empty => &r.old,
            other => other.current(),
        });
        match first {
            Some(Value::Text(t)) => t.replace("**", ""),
            _ => self.id.clone().unwrap_or_default(),
        }
    }
}

impl Value {
    /// The value in force: the new one of a revision.
    pub fn current(&self) -> &Value {
        match self {
            Value::Revised(r) => r.new.current(),
            other => other,
        }
    }

    pub fn number(&self) -> Option<Decimal> {
        match self.current() {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
}

impl Table {
    /// Decimals a cell is displayed with.
    pub fn decimals(&self, row: &Row, col: usize) -> u32 {
        row.decimals.unwrap_or(self.columns[col].decimals)
    }

    /// The plain Italian text of a cell as the table shows it (the value in force).
    pub fn display(&self, row: &Row, col: usize) -> String {
        display_value(
            row.cells[col].current(),
            self.columns[col].kind,
            self.decimals(row, col),
        )
    }
}

/// Italian text of a value of a column of the given kind (the value in force).
pub fn display_value(value: &Value, kind: ColumnKind, decimals: u32) -> String {
    match value.current() {
        Value::Empty => String::new(),
        Value::Dash => "-".to_string(),
        Value::Text(t) => t.clone(),
        Value::Number(n) if kind == ColumnKind::Percent => format::percent(*n, decimals),
        Value::Number(n) => format::number(*n, decimals),
        Value::Revised(r) => display_value(&r.new, kind, decimals),
    }
}

/// One header row of column titles: the header of a table that does not give its own.
pub fn default_header(columns: &[Column]) -> Vec<Vec<HeaderCell>> {
    vec![
        columns
            .iter()
            .map(|c| HeaderCell {
                text: c.title.clone(),
                colspan: 1,
                rowspan: 1,
            })
            .collect(),
    ]
}

/// A named figure of the document: a primary input or a formula's result.
#[derive(Debug, Clone)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: Unit,
    pub decimals: u32,
    /// What the prose prints: the computed figure unless the content decided otherwise for a
    /// printed one that differs (`dichiarato`).
    pub printed: Printed,
}

/// The note of a figure of the prose the update changes as a consequence: in the text it is
/// marked like any revision, so it says why.
pub const CONSEQUENCE: &str = "cifra ricalcolata per effetto delle modifiche dell'aggiornamento";

/// What the prose prints for a quantity whose printed figure differs from the computed one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Printed {
    #[default]
    Computed,
    /// The approved figure, kept (the difference is in the reviewers' report).
    Kept(Decimal),
    /// The approved figure struck and the computed one marked: a *rettifica*.
    Corrected { printed: Decimal, reason: String },
    /// The figure before the update struck and the computed one marked: a consequence of
    /// the update's revisions.
    Changed { old: Decimal, causes: Vec<Location> },
}

impl Quantity {
    /// The figure as prose prints it: `106`, `68,4%`, `€ 294.152,87`.
    pub fn display(&self) -> String {
        self.shown(self.value)
    }

    /// Any figure of this quantity (a printed one, the one before the update) as it prints.
    pub fn shown(&self, v: Decimal) -> String {
        format::unit(v, self.unit, self.decimals)
    }

    /// The figure as the pages insert it (`{{ grandezze.id }}`): a rettifica as a CriticMarkup
    /// substitution with its reason, so it is marked and listed like any revision of the text.
    pub fn prose(&self) -> String {
        match &self.printed {
            Printed::Computed => self.display(),
            Printed::Kept(v) => self.shown(*v),
            Printed::Corrected { printed, reason } => format!(
                "{{~~{}~>{}~~}}{{>>{reason}<<}}",
                self.shown(*printed),
                self.display()
            ),
            Printed::Changed { old, .. } => format!(
                "{{~~{}~>{}~~}}{{>>{CONSEQUENCE}<<}}",
                self.shown(*old),
                self.display()
            ),
        }
    }
}

/// What kind of check produced a result (`tipo` in `verifica.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CheckKind {
    /// A figure printed in a table compared with the computed one.
    #[serde(rename = "totale")]
    Total,
    /// A figure printed in the prose compared with the computed quantity.
    #[serde(rename = "grandezza")]
    Quantity,
    /// An invariant the figures must satisfy.
    #[serde(rename = "verifica")]
    Condition,
    /// Weights of the performance cascade summing to 100, and the lists repeating them.
    #[serde(rename = "pesi")]
    Weights,
    /// What the plan's life cycle leaves to the planner: the reason of a change since the
    /// approved edition, a target of a year a new plan adds.
    #[serde(rename = "da_completare")]
    Completion,
}

/// The result of one check (`esito` in `verifica.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "esito")]
pub enum CheckResult {
    #[serde(rename = "superata")]
    Passed,
    /// The published document prints another figure than the computed one.
    #[serde(rename = "disaccordo")]
    Disagreement {
        #[serde(rename = "dichiarato")]
        declared: String,
        #[serde(rename = "calcolato")]
        computed: String,
    },
    /// A group of weights does not sum to what it must.
    #[serde(rename = "somma")]
    Sum {
        #[serde(rename = "attesa")]
        expected: String,
        #[serde(rename = "calcolata")]
        computed: String,
    },
    /// The content decides what to publish for a printed figure that no longer differs from
    /// the computed one: the decision is stale.
    #[serde(rename = "decisione_superflua")]
    Obsolete {
        #[serde(rename = "decisione")]
        decision: String,
    },
    /// Something the planner still has to write (`manca`: what, and where to write it).
    #[serde(rename = "da_completare")]
    Incomplete {
        #[serde(rename = "manca")]
        missing: String,
    },
    /// An invariant does not hold: both sides with their values.
    #[serde(rename = "violata")]
    Violated {
        #[serde(rename = "condizione")]
        condition: String,
        #[serde(rename = "sinistra")]
        left: String,
        #[serde(rename = "destra")]
        right: String,
        /// The figures the condition read: not published (the report names the check, and
        /// the paths are the planner's own), printed under the error so the planner sees the
        /// file the figure is typed in rather than only `calcoli.json`.
        #[serde(skip)]
        read: Readings,
    },
}

/// The figures a check read, in the order its condition names them, quantities followed
/// down to the figures they are computed from; the first [`Readings::SHOWN`] are kept, the
/// others only counted, so that a condition over a whole table stays a short message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readings {
    pub shown: Vec<Reading>,
    /// How many more figures the condition read.
    pub more: usize,
}

impl Readings {
    pub const SHOWN: usize = 8;

    /// Adds a figure read (or only counts it once [`Self::SHOWN`] are kept).
    pub fn push(&mut self, reading: Reading) {
        self.push_with(|| reading);
    }

    /// Adds the figure `reading` makes, made only if it is shown: locating a figure scans its
    /// file, and a condition over a whole table reads every row of it, so locating the ones
    /// only counted would cost the table's length for each of its rows.
    pub fn push_with(&mut self, reading: impl FnOnce() -> Reading) {
        if self.shown.len() < Self::SHOWN {
            self.shown.push(reading());
        } else {
            self.more = self.more.saturating_add(1);
        }
    }
}

/// One figure a check read: a table cell or a quantity, as the document shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Where the figure is typed (or computed); `None` for the figures piao derives from
    /// the performance cascade, which no single place holds.
    pub at: Option<Location>,
    /// What it is: `«ISTRUTTORI», «Costo unitario»` or `grandezza «resto_2025»`.
    pub what: String,
    /// Its value as the document prints it: `30.792,97`.
    pub value: String,
}

/// One check run, with where its subject is written.
#[derive(Debug, Clone)]
pub struct Check {
    pub kind: CheckKind,
    pub description: String,
    pub at: Location,
    pub result: CheckResult,
    /// For an accepted violation: the reason the content gives.
    pub accepted: Option<String>,
}

/// A revision of the update with where it is written: in a page (CriticMarkup), in a table
/// cell, in an objective's file. Values are as written (Markdown for prose, Italian figures
/// for cells); this is what the Prospetto delle modifiche lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amendment {
    pub at: Location,
    pub old: String,
    pub new: String,
    /// Empty when the document gives no reason.
    pub reason: String,
    /// What the revision changes, for a structured value (`Target 2025 – indicatore «…»`).
    pub field: Option<String>,
    /// The act that approved it, when the content names one other than the edition's.
    pub act: Option<String>,
    /// For a revision the published act shows only indirectly: the sign the content reads it
    /// from (`dedotta`), which the reviewers' report lists for confirmation.
    pub inferred: Option<String>,
    /// Whether the values are Markdown (prose) rather than plain figures and names.
    pub markdown: bool,
    /// The update's own change, a rettifica (listed in a group of its own) or a consequence.
    pub kind: RevisionKind,
    /// For a consequence: where the revisions it follows from are written, in document
    /// order (the Prospetto lists it under the first).
    pub causes: Vec<Location>,
    /// The revisions earlier acts made to the same value, oldest first, as the document shows
    /// the values: the Prospetto lists them as the value's history.
    pub history: Vec<Earlier<String>>,
}

/// A chart with its values, ready to draw.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub unit: Unit,
    pub decimals: u32,
    /// The table the figures come from.
    pub table: Option<String>,
    /// Indices of the categories set apart.
    pub emphasis: Vec<usize>,
    /// Where the chart is declared.
    pub at: Location,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Decimal>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure past the shown ones is counted without being made (located): a condition over
    /// a whole table must not locate each of its rows.
    #[test]
    fn readings_make_only_the_figures_they_show() {
        let mut read = Readings::default();
        let mut made = 0;
        for i in 0..Readings::SHOWN + 5 {
            read.push_with(|| {
                made += 1;
                Reading {
                    at: None,
                    what: format!("«R{i}»"),
                    value: i.to_string(),
                }
            });
        }
        assert_eq!(made, Readings::SHOWN);
        assert_eq!(read.shown.len(), Readings::SHOWN);
        assert_eq!(read.more, 5);
        assert_eq!(read.shown[0].what, "«R0»");
    }
}

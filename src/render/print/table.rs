//! A computed table for print: header on its grid, cells as runs (changed ones as `old` and
//! `new` runs with their reasons' numbers), spacer rows left out, row labels as row headers
//! (a label left blank under the same one above repeated), column widths from the text,
//! landscape pages for wide tables.

use super::blocks::Inline;
use super::model::{CellData, HeadCell, RowData, TableData};
use super::runs::Runs;
use super::widths::{WIDE, column_widths, fits_portrait};
use crate::compute::model::RowKind;
use crate::view::table::{Scope, TableView};

pub fn table(t: &TableView, link: &dyn Fn(&str) -> Option<String>) -> TableData {
    let mut runs = Runs::new(link, t.reasons.clone());
    let header: Vec<Vec<HeadCell>> = t
        .header
        .iter()
        .map(|row| {
            row.iter()
                .map(|h| HeadCell {
                    text: h.text.clone(),
                    colspan: h.colspan,
                    rowspan: h.rowspan,
                    numeric: h.numeric,
                })
                .collect()
        })
        .collect();
    let rows: Vec<RowData> = t
        .rows
        .iter()
        .filter(|r| !r.blank)
        .map(|row| RowData {
            kind: match row.kind {
                RowKind::Total => "total",
                RowKind::Calc => "calc",
                RowKind::Group => "group",
                RowKind::Data if row.emphasis => "emphasis",
                RowKind::Data => "data",
            },
            cells: row
                .cells
                .iter()
                .map(|c| CellData {
                    c: runs.shown(&c.content),
                    colspan: c.colspan,
                    numeric: c.numeric,
                    header: c.heads == Some(Scope::Row),
                    repeated: false,
                })
                .collect(),
        })
        .collect();
    let rows = repeat_labels(rows);
    let notes = t.notes.iter().map(|n| runs.text(n)).collect();
    // A wide table goes on a landscape page of its own only when its words do not fit a
    // portrait one.
    let landscape = t.numeric.len() >= WIDE && !fits_portrait(&t.header, &rows, &t.numeric);
    TableData {
        title: t.title.clone(),
        landscape,
        widths: column_widths(&t.header, &rows, &t.numeric, landscape),
        numeric: t.numeric.clone(),
        header,
        rows,
        source: t.source.clone(),
        notes,
        reasons: runs.finish(),
    }
}

/// Fills a row label the content leaves blank with the label of the data row above (the
/// content writes a province once over its five years): a row header must not be empty, and a
/// table continued on the next page must not show rows without their label. A group, total
/// or calculated row ends the run: its rows have labels of their own. A label still blank (no
/// label above it) is no header, so the PDF holds no empty header cell.
fn repeat_labels(mut rows: Vec<RowData>) -> Vec<RowData> {
    let mut above: Vec<Option<Vec<Inline>>> = Vec::new();
    for row in &mut rows {
        if row.kind != "data" && row.kind != "emphasis" {
            above.clear();
            continue;
        }
        above.resize(row.cells.len(), None);
        for (cell, last) in row.cells.iter_mut().zip(above.iter_mut()) {
            if !cell.header {
                continue;
            }
            if cell.c.is_empty() {
                match last {
                    Some(label) => {
                        cell.c = label.clone();
                        cell.repeated = true;
                    }
                    None => cell.header = false,
                }
            } else {
                *last = Some(cell.c.clone());
            }
        }
    }
    rows
}

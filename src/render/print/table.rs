//! A computed table for print: header on its grid, cells as runs (changed ones as `old` and
//! `new` runs with their reasons' numbers), spacer rows left out, row labels as row headers
//! (a label the view continues from the row above drawn quieter), column widths from the text,
//! landscape pages for wide tables.

use super::model::{CellData, HeadCell, RowData, TableData};
use super::runs::Runs;
use super::widths::layout;
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
                    repeated: c.continued,
                })
                .collect(),
        })
        .collect();
    let notes = t.notes.iter().map(|n| runs.text(n)).collect();
    let layout = layout(&t.header, &rows, &t.numeric);
    TableData {
        title: t.title.clone(),
        landscape: layout.landscape,
        size: layout.size,
        widths: layout.widths,
        numeric: t.numeric.clone(),
        header,
        rows,
        source: t.source.clone(),
        notes,
        reasons: runs.finish(),
    }
}

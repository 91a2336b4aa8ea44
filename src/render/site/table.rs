//! A computed table as an accessible HTML table: caption, header cells with their scope and
//! spans, row headers, figures right-aligned, changed cells struck and marked, and the
//! reasons listed under the table.

use super::engine::Engine;
use super::html::{Marker, markdown};
use crate::compute::model::RowKind;
use crate::diag::Diagnostic;
use crate::view::datasets::Dataset;
use crate::view::table::{Scope, TableView};
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct HeadView<'a> {
    text: &'a str,
    colspan: u32,
    rowspan: u32,
    scope: &'static str,
    numeric: bool,
}

#[derive(Serialize)]
struct CellView {
    html: String,
    header: bool,
    scope: &'static str,
    colspan: usize,
    numeric: bool,
    /// A label continued from the row above, drawn quieter.
    continued: bool,
}

#[derive(Serialize)]
struct RowView {
    class: &'static str,
    cells: Vec<CellView>,
}

/// The links to a table's open data, from its page.
#[derive(Serialize)]
struct Download {
    csv: String,
    json: String,
}

/// One table as HTML through `tabella.html`, with the links to its open data (`data`) from
/// a page whose way back to the site's root is `root`.
pub fn render(
    engine: &Engine,
    t: &TableView,
    data: Option<&Dataset>,
    root: &str,
) -> Result<String, Diagnostic> {
    let header: Vec<Vec<HeadView>> = t
        .header
        .iter()
        .map(|row| {
            row.iter()
                .map(|h| HeadView {
                    text: &h.text,
                    colspan: h.colspan,
                    rowspan: h.rowspan,
                    scope: if h.colspan > 1 { "colgroup" } else { "col" },
                    numeric: h.numeric,
                })
                .collect()
        })
        .collect();
    let mut marker = Marker::new(&t.id, t.reasons.clone());
    // A group row opens a row group of its own (`tbody`), which its first cell heads.
    let mut bodies: Vec<Vec<RowView>> = vec![Vec::new()];
    for row in &t.rows {
        let class = match row.kind {
            RowKind::Total => "totale",
            RowKind::Calc => "calcolo",
            RowKind::Group => "gruppo",
            RowKind::Data if row.emphasis => "evidenza",
            RowKind::Data => "",
        };
        let cells = row
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| CellView {
                html: marker.shown(&c.content),
                header: c.heads.is_some(),
                scope: match c.heads {
                    Some(Scope::Group) => "rowgroup",
                    Some(Scope::Column) if i == 0 => "rowgroup",
                    Some(Scope::Column) => "col",
                    Some(Scope::Row) | None => "row",
                },
                colspan: c.colspan,
                numeric: c.numeric,
                continued: c.continued,
            })
            .collect();
        let opens = row.kind == RowKind::Group;
        match bodies.last_mut() {
            Some(body) if !opens || body.is_empty() => body.push(RowView { class, cells }),
            _ => bodies.push(vec![RowView { class, cells }]),
        }
    }
    let notes: Vec<String> = t.notes.iter().map(|n| marker.text(n)).collect();
    let mut ctx = Context::new();
    ctx.insert("id", &t.id);
    ctx.insert("title", &t.title);
    // How wide the table is: the caption says it scrolls where it may not fit.
    ctx.insert("columns", &t.numeric.len());
    ctx.insert("header", &header);
    ctx.insert("bodies", &bodies);
    ctx.insert("source", &t.source);
    ctx.insert("notes", &notes);
    // Reasons are Markdown, as everywhere else.
    let reasons: Vec<String> = marker
        .into_notes()
        .reasons()
        .iter()
        .map(|r| markdown(r))
        .collect();
    ctx.insert("reasons", &reasons);
    let download = data.map(|d| Download {
        csv: format!("{root}{}", d.csv),
        json: format!("{root}{}", d.json),
    });
    ctx.insert("download", &download);
    engine.render("tabella.html", &ctx)
}

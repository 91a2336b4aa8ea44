//! A computed table as both renderers draw it: header placed on its grid, every cell shown
//! (changed ones struck and marked), row headers marked, and the reasons numbered.

use super::grid::{self, HeadCell};
use super::notes::Notes;
use super::shown::{Changed, Shown, Text};
use crate::compute::model::{RowKind, Table, Value, display_value};
use crate::content::model::ColumnKind;

#[derive(Debug, Clone)]
pub struct TableView {
    pub id: String,
    pub title: String,
    /// Per column: figures (right-aligned) or text.
    pub numeric: Vec<bool>,
    pub header: Vec<Vec<HeadCell>>,
    pub rows: Vec<RowView>,
    pub source: Option<String>,
    /// Notes under the table (Markdown).
    pub notes: Vec<Text>,
    pub reasons: Notes,
}

#[derive(Debug, Clone)]
pub struct RowView {
    pub kind: RowKind,
    /// A data row in bold.
    pub emphasis: bool,
    /// A data row with no value at all (a spacer).
    pub blank: bool,
    pub cells: Vec<CellView>,
}

#[derive(Debug, Clone)]
pub struct CellView {
    pub content: Shown,
    pub colspan: usize,
    pub numeric: bool,
    /// A header cell of its row or group, and what it heads.
    pub heads: Option<Scope>,
    /// A row label the content leaves blank, continuing the one above: [`continue_labels`]
    /// repeats it here, and the renderers draw it quieter.
    pub continued: bool,
}

/// What a header cell in the body heads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Its row (the first, text column of a data row).
    Row,
    /// The column under it (a group row with one text per column).
    Column,
    /// The group of rows it opens (a group row with one text for the whole row).
    Group,
}

/// The view of a computed table.
pub fn view(t: &Table) -> TableView {
    let numeric: Vec<bool> = t
        .columns
        .iter()
        .map(|c| c.kind != ColumnKind::Text)
        .collect();
    let mut reasons = Notes::default();
    let mut rows = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        let cells: Vec<CellView> = if row.kind == RowKind::Group {
            let single = row.group.len() == 1;
            row.group
                .iter()
                .enumerate()
                .map(|(c, g)| CellView {
                    content: Shown::Same(Text::Markdown(g.clone())),
                    colspan: if single { t.columns.len() } else { 1 },
                    numeric: !single && numeric.get(c).copied().unwrap_or(false),
                    heads: Some(if single { Scope::Group } else { Scope::Column }),
                    continued: false,
                })
                .collect()
        } else {
            row.cells
                .iter()
                .enumerate()
                .map(|(c, v)| {
                    let kind = t.columns[c].kind;
                    CellView {
                        content: shown(v, kind, t.decimals(row, c)),
                        colspan: 1,
                        numeric: numeric[c],
                        heads: (c == 0 && kind == ColumnKind::Text).then_some(Scope::Row),
                        continued: false,
                    }
                })
                .collect()
        };
        for c in &cells {
            reasons.register(&c.content);
        }
        rows.push(RowView {
            kind: row.kind,
            emphasis: row.emphasis,
            blank: row.kind == RowKind::Data && row.cells.iter().all(|c| *c == Value::Empty),
            cells,
        });
    }
    continue_labels(&mut rows);
    let notes: Vec<Text> = t.notes.iter().map(|n| Text::Markdown(n.clone())).collect();
    for n in &notes {
        reasons.register_text(n);
    }
    TableView {
        id: t.id.clone(),
        title: t.title.clone(),
        header: grid::place(&t.header, &numeric),
        numeric,
        rows,
        source: t.source.clone(),
        notes,
        reasons,
    }
}

/// Fills a row label the content leaves blank with the label of the data row above (the
/// content writes a province once over its five years, as the printed table merges the
/// cells): a row header must not be empty, a screen reader reads every row with its label,
/// and a table continued on the next page shows it. A group, total or calculated row ends
/// the run, since its rows have labels of their own; spacer rows are skipped. A label still
/// blank (none above it) heads nothing and is no header.
fn continue_labels(rows: &mut [RowView]) {
    let mut above: Option<Shown> = None;
    for row in rows.iter_mut().filter(|r| !r.blank) {
        if row.kind != RowKind::Data {
            above = None;
            continue;
        }
        let Some(cell) = row
            .cells
            .first_mut()
            .filter(|c| c.heads == Some(Scope::Row))
        else {
            continue;
        };
        if !is_blank(&cell.content) {
            // What the label reads now: a revised label continues as its new text, once.
            above = Some(match &cell.content {
                Shown::Changed(c) => {
                    Shown::Same(c.new.clone().unwrap_or(Text::Plain(String::new())))
                }
                same => same.clone(),
            });
        } else if let Some(label) = &above {
            cell.content = label.clone();
            cell.continued = true;
        } else {
            cell.heads = None;
        }
    }
}

fn is_blank(shown: &Shown) -> bool {
    matches!(shown, Shown::Same(Text::Plain(t) | Text::Markdown(t)) if t.trim().is_empty())
}

/// A cell's value as shown: figures formatted the Italian way, texts as Markdown.
fn shown(v: &Value, kind: ColumnKind, decimals: u32) -> Shown {
    match v {
        Value::Revised(r) => Shown::Changed(Changed {
            kind: r.kind,
            ..Changed::new(
                text(r.old.current(), kind, decimals),
                text(r.new.current(), kind, decimals),
                &r.reason,
            )
        }),
        other => Shown::Same(text(other, kind, decimals)),
    }
}

fn text(v: &Value, kind: ColumnKind, decimals: u32) -> Text {
    match v {
        Value::Text(t) => Text::Markdown(t.clone()),
        other => Text::Plain(display_value(other, kind, decimals)),
    }
}

//! The data tables: every typed cell that differs from the approved edition becomes a revised
//! cell (old struck, new marked), rows the update adds or removes included, and the notes are
//! compared word by word. Computed cells are not compared: they change by themselves, and the
//! compute stage marks them as consequences of the cells they read.

use super::{Changes, words};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{Book, Cell, Revision, RowSpec};
use similar::{Algorithm, DiffTag, capture_diff_slices_by_key};

pub(super) fn compare(book: &mut Book, approved: &Book, changes: &mut Changes) {
    for (id, table) in &mut book.tables {
        let Some(before) = approved.tables.get(id) else {
            continue;
        };
        let file = JsonFile::new(&table.path, &table.text);
        // The columns the rows' values fill, in order: the others are computed.
        let inputs: Vec<String> = (table.spec.columns.iter())
            .filter(|c| c.formula.is_none())
            .map(|c| c.id.clone())
            .collect();
        let old_rows = &before.spec.rows;
        let new_rows = std::mem::take(&mut table.spec.rows);
        let mut rows = Vec::with_capacity(new_rows.len());
        let ops = capture_diff_slices_by_key(Algorithm::Myers, old_rows, &new_rows, row_key);
        for op in ops {
            let (tag, o, n) = op.as_tag_tuple();
            for (k, i) in n.clone().enumerate() {
                let mut row = new_rows[i].clone();
                // A row in both editions (or the n-th of a replaced run) against its old self;
                // a row the update adds against nothing.
                let old = match tag {
                    DiffTag::Equal | DiffTag::Replace => old_rows.get(o.start + k),
                    _ => None,
                };
                cells(&mut row, old, (id, &inputs), i, &file, changes);
                rows.push(row);
            }
            // Rows the update removes: kept, every value struck.
            let gone = match tag {
                DiffTag::Delete => 0,
                DiffTag::Replace => n.len(),
                DiffTag::Equal | DiffTag::Insert => o.len(),
            };
            for old in old_rows[o].iter().skip(gone) {
                let Some(values) = &old.values else { continue };
                let key = format!("{id}/{}", row_key(old));
                let at = file.at(&[Step::Key("righe"), Step::Index(rows.len())]);
                let reason = changes.reason(&key, at);
                let mut row = old.clone();
                row.values = Some(
                    values
                        .iter()
                        .map(|c| match c {
                            Cell::Formula(_) | Cell::Empty => Cell::Empty,
                            c => revised(c.clone(), Cell::Empty, &reason),
                        })
                        .collect(),
                );
                row.declared.clear();
                rows.push(row);
            }
        }
        table.spec.rows = rows;
        for (i, note) in table.spec.notes.iter_mut().enumerate() {
            let old = before.spec.notes.get(i).map_or("", String::as_str);
            if old != note {
                let key = format!("{id}/note {}", i + 1);
                let at = file.at(&[Step::Key("note"), Step::Index(i)]);
                let reason = changes.reason(&key, at);
                if let Some(m) = words::mark(old, note, reason.as_deref()) {
                    *note = m;
                }
            }
        }
    }
}

/// How a row is recognised across editions: its id, else its first text, else its kind.
fn row_key(row: &RowSpec) -> String {
    if let Some(id) = &row.id {
        return id.clone();
    }
    let text = row.values.iter().flatten().find_map(|c| match c {
        Cell::Text(t) => Some(crate::critic::consolidate(t)),
        _ => None,
    });
    text.or_else(|| row.total.clone())
        .or_else(|| row.label.clone())
        .or_else(|| row.group.as_ref().map(|g| g.join(" ")))
        .unwrap_or_else(|| "riga".to_string())
}

/// The typed cells of `row` that differ from `old`'s (all of them when `old` is none).
fn cells(
    row: &mut RowSpec,
    old: Option<&RowSpec>,
    (id, inputs): (&str, &[String]),
    index: usize,
    file: &JsonFile,
    changes: &mut Changes,
) {
    let key = format!("{id}/{}", row_key(row));
    let Some(values) = &mut row.values else {
        return;
    };
    let empty = Vec::new();
    let before = old.and_then(|r| r.values.as_ref()).unwrap_or(&empty);
    for (k, cell) in values.iter_mut().enumerate() {
        let prior = before.get(k).cloned().unwrap_or(Cell::Empty);
        let comparable = |c: &Cell| !matches!(c, Cell::Revised(_) | Cell::Formula(_));
        if *cell == prior || !comparable(cell) || !comparable(&prior) {
            continue;
        }
        let at = file.at(&[
            Step::Key("righe"),
            Step::Index(index),
            Step::Key("valori"),
            Step::Index(k),
        ]);
        let column = inputs
            .get(k)
            .cloned()
            .unwrap_or_else(|| (k + 1).to_string());
        let reason = changes.reason(&format!("{key}/{column}"), at);
        *cell = revised(prior, cell.clone(), &reason);
    }
}

fn revised(old: Cell, new: Cell, reason: &Option<String>) -> Cell {
    Cell::Revised(Box::new(Revision {
        old,
        new,
        reason: reason.clone().unwrap_or_default(),
        kind: Default::default(),
        act: None,
        earlier: Vec::new(),
        inferred: None,
    }))
}

//! The figures a violated check read, for its error message: the check sits in
//! `calcoli.json`, but the planner edited a table, so every cell and quantity the condition
//! reads is named with the file, line and column where it is written, and its value.

use super::formula::{self, glob_match};
use super::model::{
    Quantity, Reading, Readings, RowKind, Table, display_value, formula_of, typed_position,
};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{CalcSource, TableSource};
use crate::diag::Location;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// The figures a condition reads, for its error: each reference in order, a cell where it is
/// typed in its table's file (the input itself, or the row of a computed figure), a quantity
/// where `calcoli.json` defines it, followed by what its formula reads. Each figure once;
/// references that do not resolve are left out (evaluating the condition already passed).
pub fn readings<'a>(
    refs: impl Iterator<Item = &'a str>,
    calcs: &[CalcSource],
    sources: &BTreeMap<String, TableSource>,
    tables: &BTreeMap<String, Table>,
    quantities: &BTreeMap<String, Quantity>,
) -> Readings {
    let mut queue: VecDeque<String> = refs.map(str::to_string).collect();
    let mut seen = BTreeSet::new();
    let mut out = Readings::default();
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if name.contains('.') {
            queue.extend(cell_readings(&name, sources, tables, &mut out));
            continue;
        }
        let Some(quantity) = quantities.get(&name) else {
            continue;
        };
        let defined = calcs.iter().find_map(|src| {
            let i = src.spec.quantities.iter().position(|q| q.id == name)?;
            Some((src, i, src.spec.quantities.get(i)?))
        });
        let at = defined.map(|(src, i, spec)| {
            let key = if spec.formula.is_some() {
                "formula"
            } else {
                "valore"
            };
            JsonFile::new(&src.path, &src.text).at(&[
                Step::Key("grandezze"),
                Step::Index(i),
                Step::Key(key),
            ])
        });
        out.push(Reading {
            at,
            what: format!("grandezza «{name}»"),
            value: quantity.display(),
        });
        let formula = defined.and_then(|(_, _, spec)| spec.formula.as_deref());
        if let Some(expr) = formula.and_then(|f| formula::parse(f).ok()) {
            queue.extend(expr.refs().into_iter().map(|(r, _)| r.to_string()));
        }
    }
    out
}

/// The cells at `tabella.riga.colonna` (the row may be a `*` pattern: then the cells with a
/// figure, the ones the pattern sums). Returns what those cells read elsewhere (a column or
/// a cell that takes its figure from another table or a quantity), to be followed in turn
/// down to where the figure is typed.
fn cell_readings(
    path: &str,
    sources: &BTreeMap<String, TableSource>,
    tables: &BTreeMap<String, Table>,
    out: &mut Readings,
) -> Vec<String> {
    let mut follow = Vec::new();
    let parts: Vec<&str> = path.split('.').collect();
    let [t, r, c] = parts.as_slice() else {
        return follow;
    };
    let Some(table) = tables.get(*t) else {
        return follow;
    };
    let Some((col, column)) = table.columns.iter().enumerate().find(|(_, x)| x.id == *c) else {
        return follow;
    };
    let source = sources.get(*t);
    for (ri, row) in table.rows.iter().enumerate() {
        let Some(id) = row.id.as_deref().filter(|id| glob_match(r, id)) else {
            continue;
        };
        let Some(value) = row.cells.get(col) else {
            continue;
        };
        if r.contains('*') && value.number().is_none() {
            continue;
        }
        // The row as written: the computed rows follow the written ones one to one.
        let spec = source.map(|src| (src, spec_row(src, ri, id)));
        out.push_with(|| {
            let what = format!("«{}», «{}»", row.label(), column.title);
            Reading {
                at: spec.map(|(src, written)| cell_location(src, written, col, table)),
                what: match source {
                    Some(_) => what,
                    None => format!("tabella «{t}», {what}"),
                },
                value: display_value(value, column.kind, table.decimals(row, col)),
            }
        });
        if row.kind == RowKind::Data
            && let Some((src, written)) = spec
        {
            follow.extend(read_elsewhere(src, table, written, id, col));
        }
    }
    follow
}

/// The index of the written row with id `id`, the computed row `ri`: the same index when the
/// rows agree (always, as the compute stage makes one row per written row), else found by id.
/// Looking it up by id alone would cost the table's length for each of its rows.
fn spec_row(src: &TableSource, ri: usize, id: &str) -> Option<usize> {
    match src.spec.rows.get(ri) {
        Some(r) if r.id.as_deref() == Some(id) => Some(ri),
        _ => src
            .spec
            .rows
            .iter()
            .position(|r| r.id.as_deref() == Some(id)),
    }
}

/// What the formula behind cell (`id`, `col`) reads — its column's `calcolo`, or the cell's
/// own `{"calcolo": ..}` — as references: the row's other cells, other tables' cells (with
/// `{riga}` read as `id`) and quantities.
fn read_elsewhere(
    src: &TableSource,
    table: &Table,
    written: Option<usize>,
    id: &str,
    col: usize,
) -> Vec<String> {
    let spec_row = written.and_then(|ri| src.spec.rows.get(ri));
    let text = formula_of(&src.spec, &table.columns, spec_row, col);
    let Some(expr) = text.and_then(|f| formula::parse(f).ok()) else {
        return Vec::new();
    };
    expr.refs()
        .into_iter()
        .map(
            |(name, _)| match table.columns.iter().any(|c| c.id == name) {
                // A column of the same row: that cell, in turn.
                true => format!("{}.{id}.{name}", table.id),
                false => formula::for_row(name, id),
            },
        )
        .collect()
}

/// Where the cell of written row `written`, column `col` is written: the value typed in
/// `valori`, or for a figure piao computes (a computed column, a total, a computed row) the row
/// itself.
fn cell_location(src: &TableSource, written: Option<usize>, col: usize, table: &Table) -> Location {
    let file = JsonFile::new(&src.path, &src.text);
    let Some(ri) = written else {
        return file.at(&[Step::Key("righe")]);
    };
    let typed = src.spec.rows.get(ri).is_some_and(|r| r.values.is_some())
        && table.columns.get(col).is_some_and(|c| !c.computed);
    if typed {
        let k = typed_position(&table.columns, col);
        file.at(&[
            Step::Key("righe"),
            Step::Index(ri),
            Step::Key("valori"),
            Step::Index(k),
        ])
    } else {
        file.at(&[Step::Key("righe"), Step::Index(ri)])
    }
}

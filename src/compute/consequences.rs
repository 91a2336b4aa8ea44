//! The figures the update changes without the content writing it: a total over a revised
//! cell, a share, a budget, a quantity of the prose. The plan as approved before the update
//! (every revision's old value, objectives added left out and removed ones kept) is computed
//! too, and every computed figure that differs is marked as a *consequence* — old struck, new
//! marked, with a quieter marker than the update's own changes — and listed in the Prospetto
//! under the revisions it follows from ([`inputs`] finds them).

use super::declared::differs;
use super::formula::{self, glob_match};
use super::model::{
    Amendment, Computed, Printed, Row, RowKind, Table, Value, display_value, formula_of,
};
use super::weight_tables::{OPERATIONAL_TABLE, STRATEGIC_TABLE};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{Book, Revision, RevisionKind, TableSource, TotalRule};
use crate::diag::Location;
use crate::names::row_id_of_slug;
use std::collections::{BTreeSet, VecDeque};

/// Marks the consequences in `computed` (the marked-up edition's figures), given `before`,
/// the same figures computed from the plan before the update. Figures the content revises or
/// decides itself (rettifiche, printed figures kept) are left as they are.
pub fn mark(book: &Book, before: &Computed, computed: &mut Computed) {
    let inputs = Inputs { book, computed };
    let mut marked: Vec<(String, usize, usize, Value, Option<Amendment>)> = Vec::new();
    for (id, table) in &computed.tables {
        let Some(old) = before.tables.get(id) else {
            continue;
        };
        if old.columns.len() != table.columns.len() {
            continue;
        }
        for (ri, row) in table.rows.iter().enumerate() {
            let Some(old_row) = same_row(old, table, ri) else {
                continue;
            };
            for (col, cell) in row.cells.iter().enumerate() {
                let (Value::Number(new), Some(prev)) =
                    (cell, old_row.cells.get(col).and_then(Value::number))
                else {
                    continue;
                };
                let decimals = table.decimals(row, col);
                if !differs(*new, prev, decimals) {
                    continue;
                }
                let kind = table.columns[col].kind;
                let causes = inputs.causes(Node::Cell {
                    table: id.clone(),
                    row: ri,
                    col,
                });
                // A table derived from the objectives has no file: its consequence is listed
                // only under its cause (the objective's revision).
                let place = format!(
                    "riga «{}», colonna «{}»",
                    row.label(),
                    table.columns[col].title
                );
                let (at, field) = match book.tables.get(id) {
                    Some(src) => (Some(row_at(src, ri)), place),
                    None => (
                        causes.first().cloned(),
                        format!("tabella «{}», {place}", table.title),
                    ),
                };
                let amendment = at.map(|at| Amendment {
                    at,
                    old: display_value(&Value::Number(prev), kind, decimals),
                    new: display_value(cell, kind, decimals),
                    reason: String::new(),
                    field: Some(field),
                    act: None,
                    inferred: None,
                    markdown: false,
                    kind: RevisionKind::Consequence,
                    causes,
                    history: Vec::new(),
                });
                let value = Value::Revised(Box::new(Revision {
                    old: Value::Number(prev),
                    new: cell.clone(),
                    reason: String::new(),
                    kind: RevisionKind::Consequence,
                    act: None,
                    earlier: Vec::new(),
                    inferred: None,
                }));
                marked.push((id.clone(), ri, col, value, amendment));
            }
        }
    }
    let mut changed_quantities = Vec::new();
    for (id, q) in &computed.quantities {
        let Some(old) = before.quantities.get(id) else {
            continue;
        };
        if q.printed != Printed::Computed || !differs(q.value, old.value, q.decimals) {
            continue;
        }
        let causes = inputs.causes(Node::Quantity(id.clone()));
        changed_quantities.push((id.clone(), old.value, causes));
    }
    for (table, ri, col, value, amendment) in marked {
        if let Some(cell) = computed
            .tables
            .get_mut(&table)
            .and_then(|t| t.rows.get_mut(ri))
            .and_then(|r| r.cells.get_mut(col))
        {
            *cell = value;
        }
        computed.amendments.extend(amendment);
    }
    for (id, old, causes) in changed_quantities {
        if let Some(q) = computed.quantities.get_mut(&id) {
            q.printed = Printed::Changed { old, causes };
        }
    }
    computed.amendments.sort_by(|a, b| a.at.cmp(&b.at));
}

/// A figure of the document: a table cell (by row index) or a quantity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Cell {
        table: String,
        row: usize,
        col: usize,
    },
    Quantity(String),
}

/// Follows a computed figure down to the revised figures it is computed from.
struct Inputs<'a> {
    book: &'a Book,
    computed: &'a Computed,
}

impl Inputs<'_> {
    /// Where the revisions that `node` follows from are written (the places the Prospetto
    /// lists them at), in document order.
    fn causes(&self, node: Node) -> Vec<Location> {
        let mut queue = VecDeque::from([node]);
        let mut seen = BTreeSet::new();
        let mut out = BTreeSet::new();
        while let Some(n) = queue.pop_front() {
            if !seen.insert(n.clone()) {
                continue;
            }
            match &n {
                Node::Quantity(id) => queue.extend(self.quantity_reads(id)),
                Node::Cell { table, row, col } => {
                    let Some(t) = self.computed.tables.get(table) else {
                        continue;
                    };
                    if let Some(at) = self.revised_at(t, *row, *col) {
                        out.insert(at);
                        continue;
                    }
                    queue.extend(self.cell_reads(t, *row, *col));
                }
            }
        }
        out.into_iter().collect()
    }

    /// Where the revision of an input cell is written, if the cell is one.
    fn revised_at(&self, t: &Table, ri: usize, col: usize) -> Option<Location> {
        let row = t.rows.get(ri)?;
        let Value::Revised(r) = row.cells.get(col)? else {
            return None;
        };
        if r.kind != RevisionKind::Update {
            return None;
        }
        if let Some(src) = self.book.tables.get(&t.id) {
            let k = super::model::typed_position(&t.columns, col);
            return Some(JsonFile::new(&src.path, &src.text).at(&[
                Step::Key("righe"),
                Step::Index(ri),
                Step::Key("valori"),
                Step::Index(k),
            ]));
        }
        self.objective_at(t, row)
    }

    /// For the weight tables (derived from the objectives): where the Prospetto lists the
    /// objective's revised weight, or its addition or removal.
    fn objective_at(&self, t: &Table, row: &Row) -> Option<Location> {
        let objs = self.book.objectives.as_ref()?;
        let id = row.id.as_deref()?;
        let (path, text, weight, whole) = match t.id.as_str() {
            STRATEGIC_TABLE => objs
                .strategic
                .iter()
                .find(|s| row_id_of_slug(&s.slug) == id)
                .map(|s| (&s.path, &s.text, &s.spec.weight, s.spec.revision.is_some()))?,
            OPERATIONAL_TABLE => objs
                .operational
                .iter()
                .find(|o| row_id_of_slug(&o.slug) == id)
                .map(|o| (&o.path, &o.text, &o.spec.weight, o.spec.revision.is_some()))?,
            _ => return None,
        };
        let file = JsonFile::new(path, text);
        let key = match (weight, whole) {
            (crate::content::model::Revisable::Revised(_), _) => "peso",
            // The Prospetto lists an objective added or removed at its code.
            (_, true) => "codice",
            _ => return None,
        };
        Some(file.at(&[Step::Key(key)]))
    }

    fn quantity_reads(&self, id: &str) -> Vec<Node> {
        let formula = self
            .book
            .calcs
            .iter()
            .flat_map(|c| &c.spec.quantities)
            .find(|q| q.id == id)
            .and_then(|q| q.formula.as_deref());
        let Some(expr) = formula.and_then(|f| formula::parse(f).ok()) else {
            return Vec::new();
        };
        expr.refs()
            .into_iter()
            .flat_map(|(name, _)| self.reference(name))
            .collect()
    }

    /// The figures a reference names: `tabella.riga.colonna` (the row may be a pattern) or a
    /// quantity.
    fn reference(&self, name: &str) -> Vec<Node> {
        let parts: Vec<&str> = name.split('.').collect();
        let [t, r, c] = parts.as_slice() else {
            return vec![Node::Quantity(name.to_string())];
        };
        let Some(table) = self.computed.tables.get(*t) else {
            return Vec::new();
        };
        let Some(col) = table.columns.iter().position(|x| x.id == *c) else {
            return Vec::new();
        };
        table
            .rows
            .iter()
            .enumerate()
            .filter(|(_, row)| row.id.as_deref().is_some_and(|id| glob_match(r, id)))
            .map(|(ri, _)| Node::Cell {
                table: t.to_string(),
                row: ri,
                col,
            })
            .collect()
    }

    /// What a computed cell reads: a total its group's data rows, a computed row the rows it
    /// names, a computed column or a formula cell what its formula names.
    fn cell_reads(&self, t: &Table, ri: usize, col: usize) -> Vec<Node> {
        let Some(row) = t.rows.get(ri) else {
            return Vec::new();
        };
        let src = self.book.tables.get(&t.id);
        let spec_row = src.and_then(|s| s.spec.rows.get(ri));
        let column_spec = src.and_then(|s| s.spec.columns.get(col));
        let column_formula = column_spec.and_then(|c| c.formula.as_deref());
        let cell = |r: usize, c: usize| Node::Cell {
            table: t.id.clone(),
            row: r,
            col: c,
        };
        let formula_reads = |text: &str, row_id: Option<&str>| -> Vec<Node> {
            let Some(expr) = formula::parse(text).ok() else {
                return Vec::new();
            };
            expr.refs()
                .into_iter()
                .flat_map(
                    |(name, _)| match t.columns.iter().position(|c| c.id == name) {
                        Some(c) => vec![cell(ri, c)],
                        None => match row_id {
                            Some(id) => self.reference(&formula::for_row(name, id)),
                            None => self.reference(name),
                        },
                    },
                )
                .collect()
        };
        match row.kind {
            RowKind::Group => Vec::new(),
            RowKind::Total => {
                let by_formula = column_spec.is_some_and(|c| c.in_totals == TotalRule::Formula);
                match column_formula {
                    Some(f) if by_formula => formula_reads(f, row.id.as_deref()),
                    _ => group_members(t, ri)
                        .into_iter()
                        .map(|r| cell(r, col))
                        .collect(),
                }
            }
            RowKind::Calc => {
                let Some(expr) = spec_row
                    .and_then(|r| r.formula.as_deref())
                    .and_then(|f| formula::parse(f).ok())
                else {
                    return Vec::new();
                };
                expr.refs()
                    .into_iter()
                    .flat_map(|(name, _)| {
                        t.rows
                            .iter()
                            .enumerate()
                            .filter(move |(_, r)| {
                                r.id.as_deref().is_some_and(|id| glob_match(name, id))
                            })
                            .map(|(r, _)| r)
                    })
                    .map(|r| cell(r, col))
                    .collect()
            }
            RowKind::Data => match src.and_then(|s| formula_of(&s.spec, &t.columns, spec_row, col))
            {
                Some(f) => formula_reads(f, row.id.as_deref()),
                None => Vec::new(),
            },
        }
    }
}

/// Row `ri` of `table` in the plan before the update: the row with the same id (a table
/// derived from the objectives has no row for an objective the update added), or the row at
/// the same place when rows have no id and the tables have as many.
fn same_row<'a>(old: &'a Table, table: &Table, ri: usize) -> Option<&'a Row> {
    match table.rows.get(ri)?.id.as_deref() {
        Some(id) => old.rows.iter().find(|r| r.id.as_deref() == Some(id)),
        None if old.rows.len() == table.rows.len() => old.rows.get(ri),
        None => None,
    }
}

/// Where a consequence in a data table is listed: its row (the cell is computed, not typed).
fn row_at(src: &TableSource, ri: usize) -> Location {
    JsonFile::new(&src.path, &src.text).at(&[Step::Key("righe"), Step::Index(ri)])
}

/// The data rows a total row sums: those since the previous total or group row.
fn group_members(t: &Table, ri: usize) -> Vec<usize> {
    let start = t.rows[..ri.min(t.rows.len())]
        .iter()
        .rposition(|r| matches!(r.kind, RowKind::Total | RowKind::Group))
        .map_or(0, |i| i + 1);
    (start..ri)
        .filter(|&r| t.rows.get(r).is_some_and(|x| x.kind == RowKind::Data))
        .collect()
}

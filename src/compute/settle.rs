//! What the editions show where the approved text prints another figure than the computed one
//! and the content has decided (`dichiarato` with `decisione`): the printed figure kept, or a
//! *rettifica* — the printed figure struck, the computed one marked, with a reason piao
//! writes from how the figure is computed. Applied once every figure is computed, so no
//! formula ever reads a printed figure; the checks ([`super::declared`]) report the same
//! differences.

use super::declared::differs;
use super::model::{Amendment, Column, Printed, Quantity, Table, Value, display_value, formula_of};
use super::weight_tables::OPERATIONAL_TABLE;
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{
    Book, Decision, Revision, RevisionKind, RowSpec, TableSource, TotalRule,
};
use crate::diag::Diagnostic;
use crate::names::row_id_of_slug;
use std::collections::BTreeMap;

/// Applies every decision; returns the rettifiche of table cells for the Prospetto (those of
/// quantities are listed where the prose prints them).
pub fn settle(
    book: &Book,
    tables: &mut BTreeMap<String, Table>,
    quantities: &mut BTreeMap<String, Quantity>,
) -> Result<Vec<Amendment>, Diagnostic> {
    let mut amendments = Vec::new();
    for (id, src) in &book.tables {
        if let Some(table) = tables.get_mut(id) {
            settle_table(src, table, &mut amendments)?;
        }
    }
    for src in &book.calcs {
        for q in &src.spec.quantities {
            let (Some(declared), Some(quantity)) = (&q.declared, quantities.get_mut(&q.id)) else {
                continue;
            };
            if !differs(quantity.value, declared.value, quantity.decimals) {
                continue;
            }
            quantity.printed = match &declared.decision {
                None | Some(Decision::Correct { marked: false, .. }) => Printed::Computed,
                Some(Decision::Keep { .. }) => Printed::Kept(declared.value),
                Some(Decision::Correct { reason, .. }) => Printed::Corrected {
                    printed: declared.value,
                    reason: correction(reason, || match &q.formula {
                        Some(f) => format!("ricalcolato come `{f}`"),
                        None => "ricalcolato dai dati del documento".into(),
                    }),
                },
            };
        }
    }
    if let (Some(objs), Some(table)) = (&book.objectives, tables.get_mut(OPERATIONAL_TABLE)) {
        for o in &objs.operational {
            let Some(declared) = &o.spec.listed_weight else {
                continue;
            };
            let id = row_id_of_slug(&o.slug);
            let Some(row) = table.rows.iter_mut().find(|r| r.id.as_deref() == Some(&id)) else {
                continue;
            };
            let file = JsonFile::new(&o.path, &o.text);
            let at = [Step::Key("peso_elenco")];
            let Some(cell) = row.cells.get_mut(2) else {
                continue;
            };
            let shown = match cell {
                Value::Revised(r) if r.new == Value::Empty => &mut r.old,
                other => other,
            };
            let Some(scheda) = shown.number() else {
                continue;
            };
            if !differs(scheda, declared.value, 0) {
                continue;
            }
            match &declared.decision {
                Some(Decision::Keep { .. }) => *shown = Value::Number(declared.value),
                Some(Decision::Correct { marked: true, .. }) => {
                    return Err(file.error(
                        &at,
                        "la rettifica del peso dell'elenco non è prevista: l'elenco riporta il peso della scheda; per pubblicare il peso stampato usare «accettato»",
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(amendments)
}

/// The decisions of one table's printed figures, applied to its computed cells.
fn settle_table(
    src: &TableSource,
    table: &mut Table,
    amendments: &mut Vec<Amendment>,
) -> Result<(), Diagnostic> {
    let file = JsonFile::new(&src.path, &src.text);
    for (ri, rs) in src.spec.rows.iter().enumerate() {
        for (col_id, declared) in &rs.declared {
            let Some(decision) = &declared.decision else {
                continue;
            };
            let (Some(col), Some(row)) = (
                table.columns.iter().position(|c| c.id == *col_id),
                table.rows.get(ri),
            ) else {
                continue;
            };
            let decimals = table.decimals(row, col);
            let kind = table.columns[col].kind;
            let label = format!(
                "riga «{}», colonna «{}»",
                row.label(),
                table.columns[col].title
            );
            let Some(computed) = row.cells.get(col).and_then(Value::number) else {
                continue;
            };
            if !differs(computed, declared.value, decimals) {
                continue;
            }
            let at = [
                Step::Key("righe"),
                Step::Index(ri),
                Step::Key("dichiarato"),
                Step::Key(col_id),
            ];
            let new = match decision {
                Decision::Keep { .. } => Value::Number(declared.value),
                Decision::Correct { marked: false, .. } => continue,
                Decision::Correct { reason, .. } => {
                    let reason = correction(reason, || how_computed(src, &table.columns, rs, col));
                    amendments.push(Amendment {
                        at: file.at(&at),
                        old: display_value(&Value::Number(declared.value), kind, decimals),
                        new: display_value(&Value::Number(computed), kind, decimals),
                        reason: reason.clone(),
                        field: Some(label),
                        act: None,
                        inferred: None,
                        markdown: false,
                        kind: RevisionKind::Correction,
                        causes: Vec::new(),
                        history: Vec::new(),
                    });
                    Value::Revised(Box::new(Revision {
                        old: Value::Number(declared.value),
                        new: Value::Number(computed),
                        reason,
                        kind: RevisionKind::Correction,
                        act: None,
                        earlier: Vec::new(),
                        inferred: None,
                    }))
                }
            };
            if let Some(cell) = table.rows.get_mut(ri).and_then(|r| r.cells.get_mut(col)) {
                *cell = new;
            }
        }
    }
    Ok(())
}

/// The reason of a rettifica: the planner's, or how piao computes the figure.
fn correction(reason: &Option<String>, how: impl FnOnce() -> String) -> String {
    let text = reason.clone().unwrap_or_else(how);
    format!("Rettifica: {}", text.trim_end_matches('.'))
}

/// How a printed cell is computed, in the reader's words.
fn how_computed(src: &TableSource, columns: &[Column], rs: &RowSpec, col: usize) -> String {
    let column = src.spec.columns.get(col);
    let column_formula = column.and_then(|c| c.formula.as_deref());
    if column_formula.is_none()
        && let Some(f) = formula_of(&src.spec, columns, Some(rs), col)
    {
        return format!("ricalcolato come `{f}`");
    }
    if let Some(f) = &rs.formula {
        return format!("ricalcolato come `{f}`");
    }
    match (rs.total.is_some(), column) {
        (true, Some(c)) if c.in_totals == TotalRule::Formula => match column_formula {
            Some(f) => format!("ricalcolato con la formula della colonna, `{f}`"),
            None => "ricalcolato come somma delle voci".into(),
        },
        (true, _) => "ricalcolato come somma delle voci".into(),
        (false, _) => match column_formula {
            Some(f) => format!("ricalcolato con la formula della colonna, `{f}`"),
            None => "ricalcolato dai dati del documento".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_planners_reason_replaces_the_computed_one() {
        assert_eq!(
            correction(&None, || "ricalcolato come somma delle voci".into()),
            "Rettifica: ricalcolato come somma delle voci"
        );
        assert_eq!(
            correction(&Some("19 dipendenti su 106.".into()), || unreachable!()),
            "Rettifica: 19 dipendenti su 106"
        );
    }
}

//! Stage 3, compute: every derived figure from the primary data, with exact decimals. Totals,
//! computed columns and computed rows are never read from the content: the values the
//! published document prints (`dichiarato`) are only compared with them. The steps:
//!
//! 1. the performance cascade ([`objectives`]): references, weights summing to 100, the
//!    counts of objectives in force, and the two weight tables of Section 2.2
//!    ([`weight_tables`]);
//! 2. the data tables ([`table`]), each cell resolved, with the revisions of their cells,
//!    each after the tables it reads (`order`): a figure is typed in one table, and the
//!    others refer to it;
//! 3. the quantities and checks of `calcoli.json` ([`quantities`]);
//! 4. the charts ([`charts`]), whose values are formulas over all of the above;
//! 5. the number of employees the manifest names ([`staff`]), for the Portale PIAO;
//! 6. the decisions on printed figures that differ ([`settle`]): kept, or published as a
//!    rettifica.
//!
//! What it produces ([`model::Computed`]) lives in a leaf module every later stage reads.

pub mod charts;
mod consequences;
mod declared;
pub mod formula;
pub mod model;
pub mod objectives;
mod order;
pub mod quantities;
mod readings;
pub mod revisions;
mod settle;
mod staff;
pub mod table;
pub mod target;
pub mod weight_tables;

use crate::content::model::Book;
use crate::diag::Diagnostic;
use model::Computed;
use std::collections::BTreeMap;

/// Marks the figures the update changes as a consequence of its revisions, comparing with
/// the plan before the update (`before`). When the plan before the update cannot be computed
/// (a figure it needs was added by the update), nothing is marked.
pub fn mark_consequences(book: &Book, before: &Book, computed: &mut Computed) {
    if let Ok(old) = compute(before) {
        consequences::mark(book, &old, computed);
    }
}

/// Computes every table, the cascade, every quantity and chart, and runs every check.
pub fn compute(book: &Book) -> Result<Computed, Diagnostic> {
    let mut tables = BTreeMap::new();
    let mut checks = Vec::new();
    let mut amendments = Vec::new();
    let mut given = Vec::new();
    if let Some(objs) = &book.objectives {
        objectives::validate(objs, &book.period)?;
        checks.extend(objectives::weight_checks(objs)?);
        checks.extend(objectives::pending_targets(objs, &book.period));
        for t in weight_tables::tables(objs, &book.period)? {
            if let Some(src) = book.tables.get(&t.id) {
                return Err(Diagnostic::at_file(
                    &src.path,
                    format!(
                        "la tabella «{}» è ricavata dagli obiettivi (cartella obiettivi/): eliminare questo file",
                        t.id
                    ),
                ));
            }
            tables.insert(t.id.clone(), t);
        }
        given = objectives::counts(objs);
    }
    let specs = quantities::specs(&book.calcs, &given)?;
    for id in order::tables(book, &specs)? {
        let Some(source) = book.tables.get(id) else {
            continue;
        };
        let outer = quantities::QuantityEnv::new(&tables, &specs, &given);
        let table = table::compute_table(id, source, &outer, &mut checks)?;
        amendments.extend(revisions::table_amendments(source, &table));
        tables.insert(id.to_string(), table);
    }
    let mut quantities =
        quantities::compute_quantities(&book.calcs, &specs, &tables, &given, &mut checks)?;
    quantities::run_checks(&book.calcs, &book.tables, &tables, &quantities, &mut checks)?;
    let charts = charts::compute(
        &book.charts,
        &|expr| quantities::evaluate(expr, &tables, &quantities),
        &|id| tables.contains_key(id),
    )?;
    let staff = staff::count(book, &tables, &quantities)?;
    amendments.extend(settle::settle(book, &mut tables, &mut quantities)?);
    amendments.sort_by(|a, b| a.at.cmp(&b.at));
    checks.sort_by(|a, b| a.at.cmp(&b.at));
    Ok(Computed {
        tables,
        quantities,
        charts,
        amendments,
        checks,
        staff,
    })
}

//! The revisions written in the cells of the data tables, each placed at its cell in the JSON
//! file and named by its row and column (`riga «…», colonna «…»`, which the Prospetto delle
//! modifiche prefixes with the table's title).

use super::model::{Amendment, Table, Value, display_value};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::TableSource;

/// The revised cells of a table, in row order.
pub fn table_amendments(src: &TableSource, table: &Table) -> Vec<Amendment> {
    let file = JsonFile::new(&src.path, &src.text);
    let mut out = Vec::new();
    for (ri, (spec, row)) in src.spec.rows.iter().zip(&table.rows).enumerate() {
        let Some(values) = &spec.values else { continue };
        let inputs = table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.computed)
            .map(|(i, _)| i);
        for (k, (col, _)) in inputs.zip(values).enumerate() {
            let Value::Revised(r) = &row.cells[col] else {
                continue;
            };
            let kind = table.columns[col].kind;
            let decimals = table.decimals(row, col);
            let path = [
                Step::Key("righe"),
                Step::Index(ri),
                Step::Key("valori"),
                Step::Index(k),
            ];
            out.push(Amendment {
                at: file.at(&path),
                old: display_value(&r.old, kind, decimals),
                new: display_value(&r.new, kind, decimals),
                reason: r.reason.clone(),
                field: Some(format!(
                    "riga «{}», colonna «{}»",
                    row.label(),
                    table.columns[col].title
                )),
                act: r.act.clone(),
                inferred: r.inferred.clone(),
                markdown: false,
                kind: Default::default(),
                causes: Vec::new(),
                history: r
                    .earlier
                    .iter()
                    .map(|e| e.map(|v| display_value(v, kind, decimals)))
                    .collect(),
            });
        }
    }
    out
}

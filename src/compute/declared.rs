//! The figures the published document prints (`dichiarato`), compared with the computed ones
//! at the decimals they are shown with. Every comparison is a check, passed or not: the report
//! lists them all, and a disagreement is a warning the office must read.

use super::model::{Check, CheckKind, CheckResult, Column, Quantity, Row, RowKind, display_value};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{Cell, Decision, Declared, QuantitySpec, RowSpec};
use crate::diag::{Diagnostic, Location};
use crate::format;
use rust_decimal::Decimal;

/// Whether the printed figure differs from the computed one at the decimals it is shown with.
pub(super) fn differs(computed: Decimal, declared: Decimal, decimals: u32) -> bool {
    format::round(computed, decimals) != format::round(declared, decimals)
}

/// The check of one printed figure against the computed one, both rounded to `decimals`. A
/// difference the content has decided is accepted (the report keeps it, the build goes on); a
/// decision where there is no longer a difference is a finding of its own, so stale decisions
/// do not pile up.
pub(super) fn compare(
    kind: CheckKind,
    description: String,
    at: Location,
    computed: Decimal,
    declared: &Declared,
    decimals: u32,
    show: impl Fn(Decimal) -> String,
) -> Check {
    let differ = differs(computed, declared.value, decimals);
    let result = match (&declared.decision, differ) {
        (None, false) => CheckResult::Passed,
        (Some(d), false) => CheckResult::Obsolete {
            decision: decision_name(d).to_string(),
        },
        (_, true) => CheckResult::Disagreement {
            declared: show(declared.value),
            computed: show(computed),
        },
    };
    let accepted = match (&declared.decision, differ) {
        (Some(Decision::Keep { reason }), true) => {
            Some(format!("si pubblica il valore stampato: {reason}"))
        }
        (Some(Decision::Correct { .. }), true) => {
            Some("si pubblica il valore calcolato come rettifica".to_string())
        }
        _ => None,
    };
    Check {
        kind,
        description,
        at,
        result,
        accepted,
    }
}

fn decision_name(d: &Decision) -> &'static str {
    match d {
        Decision::Correct { .. } => "rettifica",
        Decision::Keep { .. } => "accettato",
    }
}

/// The printed figures of a table row, by column.
pub fn compare_row(
    file: &JsonFile,
    title: &str,
    ri: usize,
    rs: &RowSpec,
    row: &Row,
    columns: &[Column],
    checks: &mut Vec<Check>,
) -> Result<(), Diagnostic> {
    for (col_id, declared) in &rs.declared {
        let at = [
            Step::Key("righe"),
            Step::Index(ri),
            Step::Key("dichiarato"),
            Step::Key(col_id),
        ];
        let Some(col) = columns.iter().position(|c| c.id == *col_id) else {
            return Err(file.error(&at, format!("colonna «{col_id}» sconosciuta")));
        };
        if row.kind == RowKind::Data && !columns[col].computed && !formula_cell(rs, columns, col) {
            return Err(file.error(
                &at,
                format!(
                    "la colonna «{col_id}» non è calcolata in questa riga: il valore va in «valori»"
                ),
            ));
        }
        let decimals = row.decimals.unwrap_or(columns[col].decimals);
        let Some(computed) = row.cells[col].number() else {
            return Err(file.error(
                &at,
                format!(
                    "la cella calcolata della colonna «{col_id}» non ha un valore numerico da confrontare"
                ),
            ));
        };
        let kind = columns[col].kind;
        checks.push(compare(
            CheckKind::Total,
            format!(
                "{}: «{}», colonna «{}»",
                title,
                row.label(),
                columns[col].title
            ),
            file.at(&at),
            computed,
            declared,
            decimals,
            |v| display_value(&super::model::Value::Number(v), kind, decimals),
        ));
    }
    Ok(())
}

/// Whether the row's cell in the typed column `col` is written as `{"calcolo": ..}`.
fn formula_cell(rs: &RowSpec, columns: &[Column], col: usize) -> bool {
    let k = super::model::typed_position(columns, col);
    rs.values
        .as_ref()
        .and_then(|v| v.get(k))
        .is_some_and(|c| matches!(c, Cell::Formula(_)))
}

/// The printed figure of a quantity (`grandezze[i].dichiarato`), if it has one.
pub fn compare_quantity(
    file: &JsonFile,
    i: usize,
    spec: &QuantitySpec,
    quantity: &Quantity,
) -> Option<Check> {
    let declared = spec.declared.as_ref()?;
    let at = [
        Step::Key("grandezze"),
        Step::Index(i),
        Step::Key("dichiarato"),
    ];
    Some(compare(
        CheckKind::Quantity,
        spec.description.clone(),
        file.at(&at),
        quantity.value,
        declared,
        spec.decimals,
        |v| format::unit(v, quantity.unit, quantity.decimals),
    ))
}

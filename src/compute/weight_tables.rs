//! The two weight tables of Section 2.2, derived from the cascade so no weight is typed twice:
//! ambiti with their strategic objectives, and strategic objectives with their operational
//! ones. Objectives and weights the update changed are revised cells, like any other.

use super::model::{Column, Row, RowKind, Table, Value, default_header};
use super::objectives::{weight, weight_sum};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{
    ColumnKind, JsonDecimal, Objectives, Revisable, Revision, WholeRevision, WholeRevisionKind,
};
use crate::content::period::Period;
use crate::diag::{Diagnostic, Location};
use crate::names::{row_id_of_code, row_id_of_slug};
use rust_decimal::Decimal;

/// Ids of the two tables.
pub const STRATEGIC_TABLE: &str = "pesi_obiettivi_strategici";
pub const OPERATIONAL_TABLE: &str = "pesi_obiettivi_operativi";

/// Both tables; the operational objectives are those of the `period`'s first year.
pub fn tables(objs: &Objectives, period: &Period) -> Result<[Table; 2], Diagnostic> {
    Ok([strategic_table(objs)?, operational_table(objs, period)?])
}

fn weight_value(w: &Revisable<JsonDecimal>, whole: Option<&WholeRevision>) -> Value {
    let num = |d: Option<&JsonDecimal>| d.map_or(Value::Empty, |d| Value::Number(d.0));
    match (w, whole) {
        (Revisable::Revised(c), _) => Value::Revised(Box::new(Revision {
            old: num(c.old.as_ref()),
            new: num(c.new.as_ref()),
            reason: c.reason.clone().unwrap_or_default(),
            kind: Default::default(),
            // The Prospetto lists the objective's own revision, with its history.
            act: c.act.clone(),
            earlier: Vec::new(),
            inferred: None,
        })),
        (Revisable::Value(v), Some(whole)) => whole_value(Value::Number(v.0), whole),
        (Revisable::Value(v), None) => Value::Number(v.0),
    }
}

/// A cell of an objective added or removed as a whole: struck or marked entirely.
fn whole_value(v: Value, whole: &WholeRevision) -> Value {
    let reason = whole.reason.clone().unwrap_or_default();
    Value::Revised(Box::new(match whole.kind {
        WholeRevisionKind::Removed => Revision {
            old: v,
            new: Value::Empty,
            reason,
            kind: Default::default(),
            act: whole.act.clone(),
            earlier: Vec::new(),
            inferred: None,
        },
        WholeRevisionKind::Added => Revision {
            old: Value::Empty,
            new: v,
            reason,
            kind: Default::default(),
            act: whole.act.clone(),
            earlier: Vec::new(),
            inferred: None,
        },
    }))
}

fn table_shell(id: &str, title: &str, weight_title: &str, kind: ColumnKind) -> Table {
    let column = |id: &str, title: &str, kind| Column {
        id: id.into(),
        title: title.into(),
        kind,
        decimals: 0,
        computed: false,
    };
    let columns = vec![
        column("codice", "Codice", ColumnKind::Text),
        column("obiettivo", "Obiettivo", ColumnKind::Text),
        column("peso", weight_title, kind),
    ];
    Table {
        id: id.into(),
        title: title.into(),
        header: default_header(&columns),
        columns,
        rows: Vec::new(),
        source: None,
        notes: Vec::new(),
    }
}

fn group_row(text: String) -> Row {
    Row {
        id: None,
        kind: RowKind::Group,
        cells: Vec::new(),
        group: vec![text],
        decimals: None,
        emphasis: false,
    }
}

fn data_row(
    id: String,
    code: &str,
    title: &str,
    weight: &Revisable<JsonDecimal>,
    whole: Option<&WholeRevision>,
) -> Row {
    let text = |t: &str| match whole {
        Some(w) => whole_value(Value::Text(t.to_string()), w),
        None => Value::Text(t.to_string()),
    };
    Row {
        id: Some(id),
        kind: RowKind::Data,
        cells: vec![text(code), text(title), weight_value(weight, whole)],
        group: Vec::new(),
        decimals: None,
        emphasis: false,
    }
}

fn total_row(code: &str, sum: Decimal) -> Row {
    Row {
        id: Some(format!("totale_{}", row_id_of_code(code))),
        kind: RowKind::Total,
        cells: vec![
            Value::Text(format!("Totale {code}")),
            Value::Empty,
            Value::Number(sum),
        ],
        group: Vec::new(),
        decimals: None,
        emphasis: false,
    }
}

/// One objective as a row of a weight table.
struct Member<'a> {
    slug: &'a str,
    code: &'a str,
    title: &'a str,
    weight: &'a Revisable<JsonDecimal>,
    revision: Option<&'a WholeRevision>,
    in_force: bool,
}

/// A group: its heading row, a row per member, and the total of the weights in force (an
/// error at `at`, where the group is declared, if it leaves the range of exact decimals).
fn push_group<'a>(
    t: &mut Table,
    heading: String,
    code: &str,
    at: &Location,
    members: impl Iterator<Item = Member<'a>>,
) -> Result<(), Diagnostic> {
    t.rows.push(group_row(heading));
    let mut in_force = Vec::new();
    for m in members {
        if m.in_force {
            in_force.push(weight(m.weight));
        }
        t.rows.push(data_row(
            row_id_of_slug(m.slug),
            m.code,
            m.title,
            m.weight,
            m.revision,
        ));
    }
    let sum = weight_sum(in_force, at)?;
    t.rows.push(total_row(code, sum));
    Ok(())
}

/// Section 2.2's strategic planning table: ambiti, their objectives and weights.
fn strategic_table(objs: &Objectives) -> Result<Table, Diagnostic> {
    let ambiti = JsonFile::new(&objs.ambiti.path, &objs.ambiti.text);
    let mut t = table_shell(
        STRATEGIC_TABLE,
        "Pianificazione strategica: ambiti e obiettivi strategici con il loro peso",
        "Peso nell'ambito",
        ColumnKind::Percent,
    );
    for (i, a) in objs.ambiti.spec.ambiti.iter().enumerate() {
        let at = ambiti.at(&[Step::Key("ambiti"), Step::Index(i), Step::Key("codice")]);
        let members = objs.strategic_of(&a.code).map(|s| Member {
            slug: &s.slug,
            code: &s.spec.code,
            title: &s.spec.title,
            weight: &s.spec.weight,
            revision: s.spec.revision.as_ref(),
            in_force: s.spec.in_force(),
        });
        push_group(
            &mut t,
            format!("{} - {}", a.code, a.title),
            &a.code,
            &at,
            members,
        )?;
    }
    Ok(t)
}

/// Section 2.2's list of operational objectives with their weight in the strategic one.
fn operational_table(objs: &Objectives, period: &Period) -> Result<Table, Diagnostic> {
    let title = format!(
        "Obiettivi operativi {} con il loro peso nell'obiettivo strategico",
        period.target_year()
    );
    let mut t = table_shell(OPERATIONAL_TABLE, &title, "Peso", ColumnKind::Number);
    for s in &objs.strategic {
        let os = &s.spec;
        let members = objs.operational_of(&os.code).map(|o| Member {
            slug: &o.slug,
            code: &o.spec.code,
            title: &o.spec.title,
            weight: &o.spec.weight,
            revision: o.spec.revision.as_ref(),
            in_force: o.spec.in_force(),
        });
        let heading = format!("Obiettivo strategico: {} – {}", os.code, os.title);
        let at = JsonFile::new(&s.path, &s.text).at(&[Step::Key("codice")]);
        push_group(&mut t, heading, &os.code, &at, members)?;
    }
    Ok(t)
}

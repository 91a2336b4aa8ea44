//! A data table of the document as a sheet of open data.
//!
//! The conventions (the README's "Dati aperti" documents them for the reader):
//! - one header per column: the header rows flattened (`LAVORO – OCCUPATI ANNO 2023`),
//!   a row spanning every column being the table's title and left out; a percentage
//!   column's header ends in `(%)` unless it already names `%` (a bare `%` becomes
//!   `Percentuale (%)`), and its values are the percentages as numbers (68,4% is `68.4`);
//! - figures rounded to the decimals the document prints them with (what the site shows),
//!   written with `.` as the decimal point and no grouping; a `-` of the site is empty;
//! - a group row (a sub-header of the rows below it) is no row of data: its (first) text is
//!   in the first column, `Gruppo`, of the rows it heads;
//! - totals and calculated rows are kept, and a last column, `Tipo di riga`, says which rows
//!   are data (`dato`), totals (`totale`) or calculated (`calcolo`);
//! - a row label the content leaves blank under the one above is repeated, as the site does;
//! - in the marked edition, each column with a revised cell is followed by
//!   `<header> – valore precedente`, holding the value before the update in the revised cells
//!   and empty elsewhere; the column itself holds the value in force.

use super::sheet::{Datum, Field, FieldType, Sheet};
use crate::compute::model::{Row, RowKind, Table, Value};
use crate::content::model::ColumnKind;
use crate::format;
use crate::markdown::plain;
use crate::view::table::TableView;

/// The header of the group column.
pub const GROUP: &str = "Gruppo";
/// The header of the row kind column, and its values.
pub const ROW_KIND: &str = "Tipo di riga";
/// What ends the header of a column holding the values before the update.
pub const PREVIOUS: &str = " – valore precedente";

/// Each column's header: its header cells top to bottom, joined by ` – `.
pub fn headers(t: &Table, view: &TableView) -> Vec<String> {
    let n = t.columns.len();
    t.columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let mut parts: Vec<String> = Vec::new();
            for row in &view.header {
                for h in row {
                    let span = h.colspan as usize;
                    let covers = h.column <= c && c < h.column.saturating_add(span);
                    // A cell over every column is the table's title, not a column's.
                    let title_row = n > 1 && span >= n;
                    let text = plain(&h.text);
                    if covers && !title_row && !text.is_empty() && parts.last() != Some(&text) {
                        parts.push(text);
                    }
                }
            }
            let mut title = if parts.is_empty() {
                let own = plain(&column.title);
                if own.is_empty() {
                    column.id.clone()
                } else {
                    own
                }
            } else {
                parts.join(" – ")
            };
            if column.kind == ColumnKind::Percent && title == "%" {
                title = "Percentuale (%)".to_string();
            } else if column.kind == ColumnKind::Percent && !title.contains('%') {
                title.push_str(" (%)");
            }
            title
        })
        .collect()
}

/// What a column holds, for the schema.
fn description(kind: ColumnKind, decimals: u32) -> String {
    match kind {
        ColumnKind::Text => "Testo.".to_string(),
        ColumnKind::Number if decimals == 0 => {
            "Numero, nell'unità indicata dall'intestazione.".to_string()
        }
        ColumnKind::Number => format!(
            "Numero con {decimals} decimali (punto come separatore), nell'unità indicata dall'intestazione."
        ),
        ColumnKind::Percent => "Percentuale in punti: 68,4% è 68.4.".to_string(),
    }
}

/// A value as open data: the figure rounded as the document prints it, the text plain.
fn datum(v: &Value, kind: ColumnKind, decimals: u32) -> Datum {
    match v.current() {
        Value::Number(n) if kind == ColumnKind::Text => Datum::Number(n.normalize()),
        Value::Number(n) => {
            let decimals = decimals.min(rust_decimal::Decimal::MAX_SCALE);
            let mut rounded = format::round(*n, decimals);
            rounded.rescale(decimals);
            Datum::Number(rounded)
        }
        Value::Text(t) => Datum::text_or_empty(plain(t)),
        Value::Empty | Value::Dash | Value::Revised(_) => Datum::Empty,
    }
}

/// The value before the update of a revised cell; `None` for a cell the update left alone.
fn previous(v: &Value) -> Option<&Value> {
    match v {
        Value::Revised(r) => Some(r.old.current()),
        _ => None,
    }
}

fn row_kind(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Data | RowKind::Group => "dato",
        RowKind::Total => "totale",
        RowKind::Calc => "calcolo",
    }
}

/// A row of nothing at all (a spacer between blocks of rows).
fn is_spacer(row: &Row) -> bool {
    row.kind == RowKind::Data && row.cells.iter().all(|c| *c == Value::Empty)
}

/// The sheet of a computed table; `marked` adds the columns of the values before the update.
pub fn sheet(t: &Table, view: &TableView, marked: bool) -> Sheet {
    let titles = headers(t, view);
    let grouped = t.rows.iter().any(|r| r.kind == RowKind::Group);
    let kinds = t
        .rows
        .iter()
        .any(|r| matches!(r.kind, RowKind::Total | RowKind::Calc));
    let revised: Vec<bool> = (0..t.columns.len())
        .map(|c| {
            marked
                && t.rows
                    .iter()
                    .any(|r| r.cells.get(c).and_then(previous).is_some())
        })
        .collect();

    let mut fields = Vec::new();
    if grouped {
        fields.push(Field::new(
            GROUP,
            FieldType::String,
            "Il gruppo di righe a cui la riga appartiene (la riga di intestazione che la precede nella tabella).",
        ));
    }
    for (c, column) in t.columns.iter().enumerate() {
        let fallback = if column.kind == ColumnKind::Text {
            FieldType::String
        } else {
            FieldType::Number
        };
        fields.push(Field::new(
            &titles[c],
            fallback,
            description(column.kind, column.decimals),
        ));
        if revised[c] {
            fields.push(Field::new(
                format!("{}{PREVIOUS}", titles[c]),
                fallback,
                format!(
                    "Il valore di «{}» prima della modifica dell'aggiornamento; vuoto dove il valore non è cambiato.",
                    titles[c]
                ),
            ));
        }
    }
    if kinds {
        fields.push(Field::new(
            ROW_KIND,
            FieldType::String,
            "dato, totale (somma delle righe di dati) o calcolo (riga calcolata da altre righe).",
        ));
    }
    let mut sheet = Sheet::new(fields);

    let mut group = Datum::Empty;
    let mut label = Datum::Empty;
    for (row, shown) in t.rows.iter().zip(&view.rows) {
        if row.kind == RowKind::Group {
            // The first text heads the rows below (the others of a group row with one text
            // per column repeat the columns' titles).
            group = Datum::text_or_empty(row.group.first().map(|g| plain(g)).unwrap_or_default());
            continue;
        }
        if is_spacer(row) {
            continue;
        }
        let mut out = Vec::with_capacity(sheet.fields.len());
        if grouped {
            out.push(group.clone());
        }
        for (c, column) in t.columns.iter().enumerate() {
            let Some(value) = row.cells.get(c) else {
                out.push(Datum::Empty);
                continue;
            };
            let decimals = t.decimals(row, c);
            let mut d = datum(value, column.kind, decimals);
            let continued = shown.cells.get(c).is_some_and(|cell| cell.continued);
            if c == 0 && continued {
                d = label.clone();
            }
            if c == 0 && row.kind == RowKind::Data {
                label = match &d {
                    Datum::Empty => label.clone(),
                    other => other.clone(),
                };
            }
            out.push(d);
            if revised[c] {
                out.push(
                    previous(value).map_or(Datum::Empty, |old| datum(old, column.kind, decimals)),
                );
            }
        }
        // A row with nothing in force nor before the update (all `-`) says nothing, and a
        // blank record is an error for a CSV reader.
        if out
            .iter()
            .skip(usize::from(grouped))
            .all(|d| *d == Datum::Empty)
        {
            continue;
        }
        if kinds {
            out.push(Datum::Text(row_kind(row.kind).to_string()));
        }
        sheet.rows.push(out);
    }
    // The weight tables are keyed by the objectives' codes.
    if let Some(c) = t.columns.iter().position(|c| c.id == "codice") {
        let name = sheet.fields
            [usize::from(grouped) + c + revised[..c].iter().filter(|r| **r).count()]
        .name
        .clone();
        sheet.key_if_unique(&[&name]);
    }
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::model::{Column, default_header};
    use crate::view::shown::{Shown, Text};
    use crate::view::table::view;
    use rust_decimal::Decimal;

    /// The text of a label the view continues.
    fn shown_text(s: &Shown) -> Option<&str> {
        match s {
            Shown::Same(Text::Plain(t) | Text::Markdown(t)) => Some(t),
            _ => None,
        }
    }

    fn column(id: &str, title: &str, kind: ColumnKind, decimals: u32) -> Column {
        Column {
            id: id.into(),
            title: title.into(),
            kind,
            decimals,
            computed: false,
        }
    }

    fn row(kind: RowKind, cells: Vec<Value>, group: Vec<&str>) -> Row {
        Row {
            id: None,
            kind,
            cells,
            group: group.into_iter().map(String::from).collect(),
            decimals: None,
            emphasis: false,
        }
    }

    #[test]
    fn groups_totals_labels_and_percentages() {
        let columns = vec![
            column("voce", "Voce", ColumnKind::Text, 0),
            column("importo", "Importo", ColumnKind::Number, 2),
            column("quota", "Quota", ColumnKind::Percent, 1),
        ];
        let n = |v: i64, s: u32| Value::Number(Decimal::new(v, s));
        let t = Table {
            id: "t".into(),
            title: "T".into(),
            header: default_header(&columns),
            columns,
            rows: vec![
                row(RowKind::Group, vec![], vec!["**Attivo**"]),
                row(
                    RowKind::Data,
                    vec![Value::Text("Crediti".into()), n(12345, 1), n(684, 1)],
                    vec![],
                ),
                row(
                    RowKind::Data,
                    vec![Value::Text("".into()), n(1, 0), Value::Dash],
                    vec![],
                ),
                row(
                    RowKind::Data,
                    vec![Value::Empty, Value::Empty, Value::Empty],
                    vec![],
                ),
                row(
                    RowKind::Total,
                    vec![Value::Text("Totale".into()), n(12355, 1), Value::Dash],
                    vec![],
                ),
            ],
            source: None,
            notes: vec![],
        };
        let v = view(&t);
        assert_eq!(shown_text(&v.rows[2].cells[0].content), Some("Crediti"));
        let s = sheet(&t, &v, false);
        let names: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, [GROUP, "Voce", "Importo", "Quota (%)", ROW_KIND]);
        let text: Vec<Vec<String>> = s
            .rows
            .iter()
            .map(|r| r.iter().map(Datum::text).collect())
            .collect();
        assert_eq!(
            text,
            [
                ["Attivo", "Crediti", "1234.50", "68.4", "dato"],
                ["Attivo", "Crediti", "1.00", "", "dato"],
                ["Attivo", "Totale", "1235.50", "", "totale"],
            ]
        );
    }

    #[test]
    fn multi_row_headers_flatten_without_the_title_row() {
        use crate::content::model::HeaderCell;
        let h = |t: &str, c: u32, r: u32| HeaderCell {
            text: t.into(),
            colspan: c,
            rowspan: r,
        };
        let columns = vec![
            column("area", "Area", ColumnKind::Text, 0),
            column("a", "x", ColumnKind::Number, 0),
            column("b", "y", ColumnKind::Percent, 0),
        ];
        let t = Table {
            id: "t".into(),
            title: "T".into(),
            header: vec![
                vec![h("TITOLO", 3, 1)],
                vec![h("AREA", 1, 2), h("Dotazione", 2, 1)],
                vec![h("2025", 1, 1), h("Quota", 1, 1)],
            ],
            columns,
            rows: vec![],
            source: None,
            notes: vec![],
        };
        assert_eq!(
            headers(&t, &view(&t)),
            ["AREA", "Dotazione – 2025", "Dotazione – Quota (%)"]
        );
    }
}

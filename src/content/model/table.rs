//! A data table file (`*.json` in a section folder): columns, rows and what they print.

use super::declared::Declared;
use super::revision::{ALONE, Entry, NumberVisitor, Revision, history, once};
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    #[serde(rename = "titolo")]
    pub title: String,
    #[serde(rename = "colonne")]
    pub columns: Vec<ColumnSpec>,
    #[serde(rename = "intestazioni", default)]
    pub header: Option<Vec<Vec<HeaderCell>>>,
    #[serde(rename = "righe")]
    pub rows: Vec<RowSpec>,
    #[serde(rename = "fonte", default)]
    pub source: Option<String>,
    #[serde(rename = "note", default)]
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum ColumnKind {
    #[serde(rename = "testo")]
    Text,
    #[serde(rename = "numero")]
    Number,
    #[serde(rename = "percentuale")]
    Percent,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    pub id: String,
    #[serde(rename = "titolo")]
    pub title: String,
    #[serde(rename = "tipo")]
    pub kind: ColumnKind,
    #[serde(rename = "decimali", default)]
    pub decimals: u32,
    /// Formula over the other columns of the same row (`dotazione - posti_coperti`).
    #[serde(rename = "calcolo", default)]
    pub formula: Option<String>,
    #[serde(rename = "nei_totali", default)]
    pub in_totals: TotalRule,
}

/// What a total row shows in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum TotalRule {
    /// The sum of the group's rows.
    #[default]
    #[serde(rename = "somma")]
    Sum,
    /// The column's formula applied to the total row itself (ratios, shares).
    #[serde(rename = "formula")]
    Formula,
    /// Nothing: the figure has no total (rates, unit costs); shown as "-".
    #[serde(rename = "no")]
    Nothing,
}

/// A cell of a header row, spanning columns to the right and rows below.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderCell {
    #[serde(rename = "testo")]
    pub text: String,
    #[serde(rename = "colonne", default = "one")]
    pub colspan: u32,
    #[serde(rename = "righe", default = "one")]
    pub rowspan: u32,
}

fn one() -> u32 {
    1
}

/// A table row as written; exactly one of `valori`, `totale`, `gruppo`, `calcolo` is set
/// (checked by the compute stage, which knows the row's position for the error).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowSpec {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(rename = "valori", default)]
    pub values: Option<Vec<Cell>>,
    /// A total row with this label.
    #[serde(rename = "totale", default)]
    pub total: Option<String>,
    /// A group row's texts.
    #[serde(rename = "gruppo", default)]
    pub group: Option<Vec<String>>,
    /// Formula over rows with an id, applied to each numeric column
    /// (`totale_proventi - totale_oneri`).
    #[serde(rename = "calcolo", default)]
    pub formula: Option<String>,
    #[serde(rename = "etichetta", default)]
    pub label: Option<String>,
    /// Values printed in the published document for computed cells, by column id.
    #[serde(rename = "dichiarato", default)]
    pub declared: BTreeMap<String, Declared>,
    #[serde(rename = "decimali", default)]
    pub decimals: Option<u32>,
    #[serde(rename = "evidenza", default)]
    pub emphasis: bool,
}

/// One cell value as typed in JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(Decimal),
    /// Markdown text.
    Text(String),
    /// A value changed by the update: old struck through, new marked, with the reason.
    Revised(Box<Revision<Cell>>),
    /// `{"calcolo": "costo_personale.istruttori.costo_unitario"}`: a figure typed elsewhere (a
    /// cell of another table, a quantity) or a formula over them, so it is typed once.
    Formula(String),
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "un numero, un testo, null, un calcolo {\"calcolo\": \"tabella.riga.colonna\"} oppure una revisione {\"vecchio\": .., \"nuovo\": .., \"motivo\": ..}",
        )
    }
    fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell::Empty)
    }
    fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
        Ok(Cell::Empty)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Cell, E> {
        NumberVisitor.visit_u64(v).map(Cell::Number)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Cell, E> {
        NumberVisitor.visit_i64(v).map(Cell::Number)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Cell, E> {
        NumberVisitor.visit_f64(v).map(Cell::Number)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        Ok(Cell::Text(v.to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Cell, A::Error> {
        Err(de::Error::invalid_type(de::Unexpected::Seq, &self))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cell, A::Error> {
        let (mut old, mut new, mut reason, mut formula) = (None, None, None, None);
        let (mut act, mut inferred, mut earlier) = (None, None, Vec::new());
        // Whether a key of a revision was read (then `calcolo` is refused), and whether it
        // was `revisioni` (then it stands alone).
        let (mut revised, mut listed) = (false, false);
        while let Some(key) = map.next_key::<String>()? {
            if formula.is_some() {
                return Err(de::Error::unknown_field(&key, &["calcolo"]));
            }
            if listed {
                return Err(de::Error::custom(ALONE));
            }
            match key.as_str() {
                "revisioni" if !revised => {
                    let (before, last) = history(map.next_value::<Vec<Entry<Cell>>>()?)?;
                    earlier = before;
                    listed = true;
                    (old, new, reason) = (Some(last.old), Some(last.new), last.reason);
                    (act, inferred) = (last.act, last.inferred);
                }
                "revisioni" => return Err(de::Error::custom(ALONE)),
                "calcolo" if !revised => formula = Some(map.next_value::<String>()?),
                "vecchio" => once(&mut map, &mut old, "vecchio")?,
                "nuovo" => once(&mut map, &mut new, "nuovo")?,
                "motivo" => once(&mut map, &mut reason, "motivo")?,
                "atto" => once(&mut map, &mut act, "atto")?,
                "dedotta" => once(&mut map, &mut inferred, "dedotta")?,
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["vecchio", "nuovo", "motivo", "atto", "dedotta", "revisioni"],
                    ));
                }
            }
            revised = formula.is_none();
        }
        if let Some(f) = formula {
            return Ok(Cell::Formula(f));
        }
        Ok(Cell::Revised(Box::new(Revision {
            old: old.ok_or_else(|| de::Error::missing_field("vecchio"))?,
            new: new.ok_or_else(|| de::Error::missing_field("nuovo"))?,
            reason: reason.ok_or_else(|| de::Error::missing_field("motivo"))?,
            kind: Default::default(),
            act,
            earlier,
            inferred,
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_every_kind() {
        let cells: Vec<Cell> = serde_json::from_str(
            r#"[null, 3, 1.5, "testo", {"vecchio": 5, "nuovo": 7, "motivo": "m"}]"#,
        )
        .unwrap();
        assert_eq!(cells[0], Cell::Empty);
        assert_eq!(cells[1], Cell::Number(Decimal::from(3)));
        assert_eq!(cells[2], Cell::Number(Decimal::new(15, 1)));
        assert_eq!(cells[3], Cell::Text("testo".into()));
        assert!(matches!(&cells[4], Cell::Revised(r) if r.reason == "m"));
        assert!(serde_json::from_str::<Cell>("[1]").is_err());
        assert!(serde_json::from_str::<Cell>(r#"{"vecchio": 5, "nuovo": 7}"#).is_err());
        assert_eq!(
            serde_json::from_str::<Cell>(r#"{"calcolo": "t.r.c"}"#).unwrap(),
            Cell::Formula("t.r.c".into())
        );
        assert!(serde_json::from_str::<Cell>(r#"{"calcolo": "t.r.c", "motivo": "m"}"#).is_err());
        assert!(serde_json::from_str::<Cell>(r#"{"motivo": "m", "calcolo": "t.r.c"}"#).is_err());
    }
}

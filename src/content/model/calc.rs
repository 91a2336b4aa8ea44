//! `calcoli.json` (named quantities and checks) and `grafici.json` (charts) of a section: the
//! figures the prose cites and draws, each a primary input or a formula over the tables.

use super::declared::Declared;
use super::revision::JsonDecimal;
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalcSpec {
    #[serde(rename = "grandezze", default)]
    pub quantities: Vec<QuantitySpec>,
    #[serde(rename = "verifiche", default)]
    pub checks: Vec<CheckSpec>,
}

/// How a figure reads: a plain number, a percentage, an amount in euro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
pub enum Unit {
    #[default]
    #[serde(rename = "numero")]
    Number,
    #[serde(rename = "percentuale")]
    Percent,
    #[serde(rename = "euro")]
    Euro,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantitySpec {
    pub id: String,
    #[serde(rename = "descrizione")]
    pub description: String,
    /// A primary input ...
    #[serde(rename = "valore", default)]
    pub value: Option<JsonDecimal>,
    /// ... or a formula over tables and other quantities.
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(rename = "unita", default)]
    pub unit: Unit,
    #[serde(rename = "decimali", default)]
    pub decimals: u32,
    /// The figure the published document prints, compared with the computed one.
    #[serde(rename = "dichiarato", default)]
    pub declared: Option<Declared>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    #[serde(rename = "descrizione")]
    pub description: String,
    /// Two formulas and a comparison: `a <= b`.
    #[serde(rename = "condizione")]
    pub condition: String,
    /// Why a known violation is accepted; without it a violation stops the build.
    #[serde(rename = "accettata", default)]
    pub accepted: Option<String>,
}

/// `grafici.json` of a section: the charts its pages place with `{{ grafico(id=..) }}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartsSpec {
    #[serde(rename = "grafici")]
    pub charts: Vec<ChartSpec>,
}

/// A chart: categories along one axis, one or more series of values, each value a formula
/// over the tables and quantities (so a chart changes with its data).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    pub id: String,
    #[serde(rename = "titolo")]
    pub title: String,
    /// What the chart shows, in words: its text alternative.
    #[serde(rename = "descrizione")]
    pub description: String,
    #[serde(rename = "tipo")]
    pub kind: ChartKind,
    #[serde(rename = "categorie")]
    pub categories: Vec<CategorySpec>,
    #[serde(rename = "serie")]
    pub series: Vec<SeriesSpec>,
    #[serde(rename = "unita", default)]
    pub unit: Unit,
    #[serde(rename = "decimali", default)]
    pub decimals: u32,
    /// The table the figures come from, linked from the chart as its data.
    #[serde(rename = "tabella", default)]
    pub table: Option<String>,
    /// Categories to set apart (the three provinces of the Camera in a regional ranking).
    #[serde(rename = "evidenza", default)]
    pub emphasis: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum ChartKind {
    /// Vertical bars, series side by side.
    #[serde(rename = "barre")]
    Bars,
    /// Horizontal bars, one series: rankings and long labels.
    #[serde(rename = "barre_orizzontali")]
    HorizontalBars,
    /// Vertical bars, series stacked: parts of a whole.
    #[serde(rename = "barre_impilate")]
    StackedBars,
    /// Lines with markers: trends over years.
    #[serde(rename = "linee")]
    Lines,
}

/// A category: its label, and the key its series' formulas put in place of `{chiave}`
/// (the label itself when not given).
#[derive(Debug, Clone)]
pub struct CategorySpec {
    pub label: String,
    pub key: String,
}

impl<'de> Deserialize<'de> for CategorySpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            etichetta: String,
            chiave: String,
        }
        #[derive(Deserialize)]
        #[serde(
            untagged,
            expecting = "categoria non valida: atteso un testo (\"Cremona\") oppure {\"etichetta\": .., \"chiave\": ..}"
        )]
        enum Either {
            Label(String),
            Full(Full),
        }
        Ok(match Either::deserialize(d)? {
            Either::Label(l) => CategorySpec {
                key: l.clone(),
                label: l,
            },
            Either::Full(f) => CategorySpec {
                label: f.etichetta,
                key: f.chiave,
            },
        })
    }
}

/// A series: a formula with `{chiave}` for each category, or one formula per category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesSpec {
    #[serde(rename = "nome")]
    pub name: String,
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(rename = "valori", default)]
    pub values: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_is_a_label_or_a_label_with_its_key() {
        let c: Vec<CategorySpec> =
            serde_json::from_str(r#"["Cremona", {"etichetta": "2024", "chiave": "anno_2024"}]"#)
                .unwrap();
        assert_eq!(
            (c[0].label.as_str(), c[0].key.as_str()),
            ("Cremona", "Cremona")
        );
        assert_eq!(
            (c[1].label.as_str(), c[1].key.as_str()),
            ("2024", "anno_2024")
        );
        // serde's English for an untagged enum never reaches the planner.
        for bad in ["12", r#"{"etichetta": "2024", "chiav": "x"}"#] {
            let e = serde_json::from_str::<CategorySpec>(bad)
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with("categoria non valida: atteso un testo"),
                "{e}"
            );
        }
    }
}

//! The typed content model: what the files under `content/` may say. Every struct refuses
//! unknown fields, so a misspelt key is an error with its position instead of a silently
//! ignored figure.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// `content/documento.json`: the identity of the published document.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub ente: String,
    pub titolo: String,
    pub sigla: String,
    pub periodo: String,
    pub edizione: String,
    /// Approval acts, as the document cites them.
    #[serde(default)]
    pub atti: Vec<String>,
    /// File name of the print edition, used by the PDF renderer and linked from the site.
    pub file_pdf: String,
    /// The edition's date (`AAAA-MM-GG`): the PDF's archival metadata, never the clock.
    pub data: String,
}

/// `sezione.json` of each part folder.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    #[serde(default)]
    pub numero: Option<String>,
    pub titolo: String,
}

impl SectionMeta {
    /// How the site, the PDF and the Prospetto name the part: `Sezione 2 – Valore pubblico…`.
    pub fn heading(&self) -> String {
        match &self.numero {
            Some(n) => format!("Sezione {n} – {}", self.titolo),
            None => self.titolo.clone(),
        }
    }
}

/// One data table file (`*.json` other than `sezione.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    pub titolo: String,
    pub colonne: Vec<ColumnSpec>,
    #[serde(default)]
    pub intestazioni: Option<Vec<Vec<HeaderCell>>>,
    pub righe: Vec<RowSpec>,
    #[serde(default)]
    pub fonte: Option<String>,
    #[serde(default)]
    pub note: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Testo,
    Numero,
    Percentuale,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    pub id: String,
    pub titolo: String,
    pub tipo: ColumnKind,
    #[serde(default)]
    pub decimali: u32,
    /// Formula over the other columns of the same row (`dotazione - posti_coperti`).
    #[serde(default)]
    pub calcolo: Option<String>,
    #[serde(default)]
    pub nei_totali: TotalRule,
}

/// What a total row shows in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TotalRule {
    /// The sum of the group's rows.
    #[default]
    Somma,
    /// The column's formula applied to the total row itself (ratios, shares).
    Formula,
    /// Nothing: the figure has no total (rates, unit costs); shown as "-".
    No,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderCell {
    pub testo: String,
    #[serde(default = "one")]
    pub colonne: u32,
    #[serde(default = "one")]
    pub righe: u32,
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
    #[serde(default)]
    pub valori: Option<Vec<Cell>>,
    #[serde(default)]
    pub totale: Option<String>,
    #[serde(default)]
    pub gruppo: Option<Vec<String>>,
    /// Formula over rows with an id, applied to each numeric column
    /// (`totale_proventi - totale_oneri`).
    #[serde(default)]
    pub calcolo: Option<String>,
    #[serde(default)]
    pub etichetta: Option<String>,
    /// Values printed in the published document for computed cells, by column id.
    #[serde(default)]
    pub dichiarato: BTreeMap<String, Decimal4Json>,
    #[serde(default)]
    pub decimali: Option<u32>,
    #[serde(default)]
    pub evidenza: bool,
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
}

/// A change of the update, kept as data so both editions and the list of changes can be
/// produced from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision<T> {
    pub vecchio: T,
    pub nuovo: T,
    pub motivo: String,
}

/// A JSON number read exactly: integers directly, decimals through their shortest
/// round-trip representation (which is what the planner typed, up to 15 significant digits).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decimal4Json(pub Decimal);

impl<'de> Deserialize<'de> for Decimal4Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumberVisitor).map(Decimal4Json)
    }
}

struct NumberVisitor;

impl Visitor<'_> for NumberVisitor {
    type Value = Decimal;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        decimal_from_f64(v).map_err(E::custom)
    }
}

fn decimal_from_f64(v: f64) -> Result<Decimal, String> {
    let repr = format!("{v}");
    let digits = repr.chars().filter(char::is_ascii_digit).count();
    if !v.is_finite() || repr.contains('e') || digits > 15 {
        return Err(format!(
            "il numero {repr} ha troppe cifre per essere letto esattamente (al massimo 15)"
        ));
    }
    Decimal::from_str(&repr).map_err(|e| e.to_string())
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
            "un numero, un testo, null oppure una revisione {\"vecchio\": .., \"nuovo\": .., \"motivo\": ..}",
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
        let (mut old, mut new, mut reason) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "vecchio" => old = Some(map.next_value::<Cell>()?),
                "nuovo" => new = Some(map.next_value::<Cell>()?),
                "motivo" => reason = Some(map.next_value::<String>()?),
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["vecchio", "nuovo", "motivo"],
                    ));
                }
            }
        }
        Ok(Cell::Revised(Box::new(Revision {
            vecchio: old.ok_or_else(|| de::Error::missing_field("vecchio"))?,
            nuovo: new.ok_or_else(|| de::Error::missing_field("nuovo"))?,
            motivo: reason.ok_or_else(|| de::Error::missing_field("motivo"))?,
        })))
    }
}

/// `calcoli.json` of a section: named quantities derived from the tables (or given as
/// primary inputs) and the checks the figures must pass.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalcSpec {
    #[serde(default)]
    pub grandezze: Vec<QuantitySpec>,
    #[serde(default)]
    pub verifiche: Vec<CheckSpec>,
}

/// How a quantity reads in prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    #[default]
    Numero,
    Percentuale,
    Euro,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantitySpec {
    pub id: String,
    pub descrizione: String,
    /// A primary input ...
    #[serde(default)]
    pub valore: Option<Decimal4Json>,
    /// ... or a formula over tables and other quantities.
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(default)]
    pub unita: Unit,
    #[serde(default)]
    pub decimali: u32,
    /// The figure the published document prints, compared with the computed one.
    #[serde(default)]
    pub dichiarato: Option<Decimal4Json>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    pub descrizione: String,
    /// Two formulas and a comparison: `a <= b`.
    pub condizione: String,
    /// Why a known violation is accepted; without it a violation stops the build.
    #[serde(default)]
    pub accettata: Option<String>,
}

/// `grafici.json` of a section: the charts its pages place with `{{ grafico(id=..) }}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartsSpec {
    pub grafici: Vec<ChartSpec>,
}

/// A chart: categories along one axis, one or more series of values, each value a formula
/// over the tables and quantities (so a chart changes with its data).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    pub id: String,
    pub titolo: String,
    /// What the chart shows, in words: its text alternative.
    pub descrizione: String,
    pub tipo: ChartKind,
    pub categorie: Vec<CategorySpec>,
    pub serie: Vec<SeriesSpec>,
    #[serde(default)]
    pub unita: Unit,
    #[serde(default)]
    pub decimali: u32,
    /// The table the figures come from, linked from the chart as its data.
    #[serde(default)]
    pub tabella: Option<String>,
    /// Categories to set apart (the three provinces of the Camera in a regional ranking).
    #[serde(default)]
    pub evidenza: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Vertical bars, series side by side.
    Barre,
    /// Horizontal bars, one series: rankings and long labels.
    BarreOrizzontali,
    /// Vertical bars, series stacked: parts of a whole.
    BarreImpilate,
    /// Lines with markers: trends over years.
    Linee,
}

/// A category: its label, and the key its series' formulas put in place of `{chiave}`
/// (the label itself when not given).
#[derive(Debug, Clone)]
pub struct CategorySpec {
    pub etichetta: String,
    pub chiave: String,
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
        #[serde(untagged)]
        enum Either {
            Label(String),
            Full(Full),
        }
        Ok(match Either::deserialize(d)? {
            Either::Label(l) => CategorySpec {
                chiave: l.clone(),
                etichetta: l,
            },
            Either::Full(f) => CategorySpec {
                etichetta: f.etichetta,
                chiave: f.chiave,
            },
        })
    }
}

/// A series: a formula with `{chiave}` for each category, or one formula per category.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesSpec {
    pub nome: String,
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(default)]
    pub valori: Option<Vec<String>>,
}

/// A JSON file as loaded: where it is and its text, for positioned diagnostics, and its
/// typed content.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub path: PathBuf,
    pub text: String,
    pub spec: T,
}

/// A loaded `calcoli.json`.
pub type CalcSource = Loaded<CalcSpec>;
/// A loaded `grafici.json`.
pub type ChartsSource = Loaded<ChartsSpec>;

/// A loaded table with where it came from, for positioned diagnostics.
#[derive(Debug, Clone)]
pub struct TableSource {
    pub id: String,
    pub path: PathBuf,
    pub text: String,
    pub spec: TableSpec,
}

/// A Markdown page as found on disk.
#[derive(Debug, Clone)]
pub struct PageSource {
    pub slug: String,
    pub path: PathBuf,
    pub text: String,
}

/// A part of the document (a folder).
#[derive(Debug, Clone)]
pub struct SectionSource {
    pub slug: String,
    pub meta: SectionMeta,
    pub pages: Vec<PageSource>,
}

/// Everything under `content/`, parsed but not yet computed.
#[derive(Debug, Clone)]
pub struct Book {
    pub root: PathBuf,
    pub manifest: Manifest,
    pub sections: Vec<SectionSource>,
    pub tables: BTreeMap<String, TableSource>,
    pub calcs: Vec<CalcSource>,
    pub charts: Vec<ChartsSource>,
    /// The performance cascade, when the content has an `obiettivi/` folder.
    pub objectives: Option<Objectives>,
}

/// A value the update may have changed: as written, or `{vecchio, nuovo, motivo, atto}`.
/// `vecchio: null` is an insertion, `nuovo: null` a deletion.
#[derive(Debug, Clone, PartialEq)]
pub enum Revisable<T> {
    Value(T),
    Revised(Box<Change<T>>),
}

/// One change of a structured value, as the content states it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change<T> {
    pub vecchio: Option<T>,
    pub nuovo: Option<T>,
    /// The footnote that explains it; the document does not always give one.
    pub motivo: Option<String>,
    /// The act that approved it, when not the edition's own (`documento.json` `atti`).
    pub atto: Option<String>,
}

impl<T> Revisable<T> {
    /// The value in force after the update (`None` for a deleted one).
    pub fn current(&self) -> Option<&T> {
        match self {
            Revisable::Value(v) => Some(v),
            Revisable::Revised(c) => c.nuovo.as_ref(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Revisable<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RevisableVisitor(std::marker::PhantomData))
    }
}

struct RevisableVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> RevisableVisitor<T> {
    fn plain<E: de::Error, D: Deserializer<'de, Error = E>>(d: D) -> Result<Revisable<T>, E> {
        T::deserialize(d).map(Revisable::Value)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for RevisableVisitor<T> {
    type Value = Revisable<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "un valore oppure una revisione {\"vecchio\": .., \"nuovo\": .., \"motivo\": ..}",
        )
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::plain(de::value::U64Deserializer::new(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::plain(de::value::I64Deserializer::new(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::plain(de::value::F64Deserializer::new(v))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Self::plain(de::value::BoolDeserializer::new(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Self::plain(de::value::StrDeserializer::new(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut old, mut new, mut reason, mut act) = (None, None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "vecchio" => old = Some(map.next_value::<Option<T>>()?),
                "nuovo" => new = Some(map.next_value::<Option<T>>()?),
                "motivo" => reason = Some(map.next_value::<String>()?),
                "atto" => act = Some(map.next_value::<String>()?),
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["vecchio", "nuovo", "motivo", "atto"],
                    ));
                }
            }
        }
        Ok(Revisable::Revised(Box::new(Change {
            vecchio: old.ok_or_else(|| de::Error::missing_field("vecchio"))?,
            nuovo: new.ok_or_else(|| de::Error::missing_field("nuovo"))?,
            motivo: reason,
            atto: act,
        })))
    }
}

/// An objective or indicator added or removed by the update as a whole.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WholeRevision {
    pub tipo: WholeRevisionKind,
    #[serde(default)]
    pub motivo: Option<String>,
    #[serde(default)]
    pub atto: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WholeRevisionKind {
    Eliminato,
    Inserito,
}

/// `obiettivi/ambiti.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmbitiSpec {
    pub ambiti: Vec<AmbitoSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AmbitoSpec {
    pub codice: String,
    pub titolo: String,
}

/// `obiettivi/aree.json`: the organisational areas Allegato 1 groups its schede by.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreeSpec {
    pub aree: Vec<AreaSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    pub id: String,
    pub titolo: String,
    pub ambito: String,
    pub funzioni: String,
}

/// `obiettivi/strategici/*.json`: a strategic objective card of Section 2.2.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategicSpec {
    pub codice: String,
    pub ambito: String,
    pub titolo: String,
    #[serde(default)]
    pub titolo_scheda: Option<String>,
    pub peso: Revisable<Decimal4Json>,
    #[serde(default)]
    pub introduzione: Option<String>,
    pub descrizione: String,
    pub programma: ProgrammeSpec,
    pub indicatori: Vec<IndicatorSpec>,
    #[serde(default)]
    pub note: Vec<String>,
    #[serde(default)]
    pub revisione: Option<WholeRevision>,
}

/// Missione and programma of the DM 27.03.2013 classification.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeSpec {
    pub missione: String,
    pub programma: String,
}

/// `obiettivi/operativi/*.json`: a scheda di programmazione operativa of Allegato 1.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationalSpec {
    pub scheda: u32,
    pub codice: String,
    pub obiettivo_strategico: String,
    pub area: String,
    pub titolo: String,
    #[serde(default)]
    pub titolo_scheda: Option<String>,
    pub peso: Revisable<Decimal4Json>,
    /// The weight the list of Section 2.2 prints, when it differs from the scheda's.
    #[serde(default)]
    pub peso_elenco: Option<Decimal4Json>,
    pub descrizione: String,
    pub uo: String,
    pub rilevatori: Vec<Revisable<String>>,
    pub validatori: Vec<Revisable<String>>,
    pub indicatori: Vec<IndicatorSpec>,
    #[serde(default)]
    pub note: Vec<String>,
    #[serde(default)]
    pub revisione: Option<WholeRevision>,
}

/// An indicator, of a strategic objective (targets by year, with `valore_segnaletico`) or of
/// an operational one (the 2025 target).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    pub nome: String,
    pub peso: Revisable<Decimal4Json>,
    pub tipologia: Revisable<String>,
    #[serde(default)]
    pub valore_segnaletico: Option<String>,
    pub algoritmo: String,
    #[serde(default)]
    pub fonte: Option<Revisable<String>>,
    #[serde(default)]
    pub baseline: Option<Revisable<String>>,
    pub target: Targets,
    #[serde(default)]
    pub revisione: Option<WholeRevision>,
}

/// One target (operational objectives) or one per year (strategic objectives).
#[derive(Debug, Clone)]
pub enum Targets {
    Single(Revisable<String>),
    ByYear(BTreeMap<String, Revisable<String>>),
}

impl<'de> Deserialize<'de> for Targets {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TargetsVisitor)
    }
}

struct TargetsVisitor;

impl<'de> Visitor<'de> for TargetsVisitor {
    type Value = Targets;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("un target (\">= 25\"), una revisione {\"vecchio\": .., \"nuovo\": ..} oppure un target per anno {\"2025\": .., \"2026\": ..}")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Targets, E> {
        Ok(Targets::Single(Revisable::Value(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Targets, E> {
        Err(E::invalid_type(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Targets, A::Error> {
        // A revision has the keys `vecchio`/`nuovo`; targets by year have years as keys.
        let mut years = BTreeMap::new();
        let mut change: Option<Change<String>> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "vecchio" | "nuovo" | "motivo" | "atto" => {
                    let c = change.get_or_insert(Change {
                        vecchio: None,
                        nuovo: None,
                        motivo: None,
                        atto: None,
                    });
                    match key.as_str() {
                        "vecchio" => c.vecchio = map.next_value()?,
                        "nuovo" => c.nuovo = map.next_value()?,
                        "motivo" => c.motivo = Some(map.next_value()?),
                        _ => c.atto = Some(map.next_value()?),
                    }
                }
                year if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) => {
                    years.insert(year.to_string(), map.next_value::<Revisable<String>>()?);
                }
                other => {
                    return Err(de::Error::custom(format!(
                        "chiave «{other}» inattesa nel target: attesi gli anni (\"2025\") oppure vecchio, nuovo, motivo, atto"
                    )));
                }
            }
        }
        match change {
            Some(_) if !years.is_empty() => Err(de::Error::custom(
                "un target è una revisione oppure un elenco per anno, non entrambi",
            )),
            Some(c) => Ok(Targets::Single(Revisable::Revised(Box::new(c)))),
            None => Ok(Targets::ByYear(years)),
        }
    }
}

/// A loaded objective file with where it came from, for positioned diagnostics.
#[derive(Debug, Clone)]
pub struct ObjectiveSource<T> {
    /// File stem: the page's address.
    pub slug: String,
    pub path: PathBuf,
    pub text: String,
    pub spec: T,
}

/// `content/obiettivi/`: the performance cascade.
#[derive(Debug, Clone)]
pub struct Objectives {
    pub ambiti: ObjectiveSource<AmbitiSpec>,
    pub aree: ObjectiveSource<AreeSpec>,
    pub strategici: Vec<ObjectiveSource<StrategicSpec>>,
    pub operativi: Vec<ObjectiveSource<OperationalSpec>>,
}

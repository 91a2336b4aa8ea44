//! `content/obiettivi/`: the performance cascade, ambiti → strategic objectives → operational
//! objectives → indicators, one file per objective.

use super::declared::Declared;
use super::revision::{Change, JsonDecimal, Revisable, WholeRevision, in_force};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// `obiettivi/ambiti.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmbitiSpec {
    pub ambiti: Vec<AmbitoSpec>,
}

/// A strategic area (ambito strategico): `AS 1 – Competitività del sistema economico`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AmbitoSpec {
    #[serde(rename = "codice")]
    pub code: String,
    #[serde(rename = "titolo")]
    pub title: String,
}

/// `obiettivi/aree.json`: the organisational areas Allegato 1 groups its schede by.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreeSpec {
    #[serde(rename = "aree")]
    pub areas: Vec<AreaSpec>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    pub id: String,
    #[serde(rename = "titolo")]
    pub title: String,
    pub ambito: String,
    /// The area's functions (Markdown).
    #[serde(rename = "funzioni")]
    pub functions: String,
}

/// `obiettivi/strategici/*.json`: a strategic objective card of Section 2.2.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategicSpec {
    #[serde(rename = "codice")]
    pub code: String,
    pub ambito: String,
    #[serde(rename = "titolo")]
    pub title: String,
    /// The title the card prints, when it differs from the list's.
    #[serde(rename = "titolo_scheda", default)]
    pub card_title: Option<String>,
    #[serde(rename = "peso")]
    pub weight: Revisable<JsonDecimal>,
    #[serde(rename = "introduzione", default)]
    pub intro: Option<String>,
    #[serde(rename = "descrizione")]
    pub description: String,
    #[serde(rename = "programma")]
    pub programme: ProgrammeSpec,
    #[serde(rename = "indicatori")]
    pub indicators: Vec<IndicatorSpec>,
    #[serde(rename = "note", default)]
    pub notes: Vec<String>,
    #[serde(rename = "revisione", default)]
    pub revision: Option<WholeRevision>,
}

/// Missione and programma of the DM 27.03.2013 classification.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeSpec {
    #[serde(rename = "missione")]
    pub mission: String,
    #[serde(rename = "programma")]
    pub programme: String,
}

/// `obiettivi/operativi/*.json`: a scheda di programmazione operativa of Allegato 1.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationalSpec {
    #[serde(rename = "scheda")]
    pub number: u32,
    #[serde(rename = "codice")]
    pub code: String,
    /// The code of its strategic objective.
    #[serde(rename = "obiettivo_strategico")]
    pub strategic: String,
    pub area: String,
    #[serde(rename = "titolo")]
    pub title: String,
    #[serde(rename = "titolo_scheda", default)]
    pub card_title: Option<String>,
    #[serde(rename = "peso")]
    pub weight: Revisable<JsonDecimal>,
    /// The weight the list of Section 2.2 prints, when it differs from the scheda's.
    #[serde(rename = "peso_elenco", default)]
    pub listed_weight: Option<Declared>,
    #[serde(rename = "descrizione")]
    pub description: String,
    /// The organisational unit (Markdown).
    #[serde(rename = "uo")]
    pub unit: String,
    #[serde(rename = "rilevatori")]
    pub collectors: Vec<Revisable<String>>,
    #[serde(rename = "validatori")]
    pub validators: Vec<Revisable<String>>,
    #[serde(rename = "indicatori")]
    pub indicators: Vec<IndicatorSpec>,
    #[serde(rename = "note", default)]
    pub notes: Vec<String>,
    #[serde(rename = "revisione", default)]
    pub revision: Option<WholeRevision>,
}

/// An indicator, of a strategic objective (targets by year, with `valore_segnaletico`) or of
/// an operational one (the target of the year).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    #[serde(rename = "nome")]
    pub name: String,
    #[serde(rename = "peso")]
    pub weight: Revisable<JsonDecimal>,
    #[serde(rename = "tipologia")]
    pub kind: Revisable<String>,
    /// What the indicator signals (Markdown).
    #[serde(rename = "valore_segnaletico", default)]
    pub signal: Option<String>,
    #[serde(rename = "algoritmo")]
    pub algorithm: String,
    #[serde(rename = "fonte", default)]
    pub source: Option<Revisable<String>>,
    #[serde(default)]
    pub baseline: Option<Revisable<String>>,
    pub target: Targets,
    #[serde(rename = "revisione", default)]
    pub revision: Option<WholeRevision>,
}

/// One target (operational objectives) or one per year of the period (strategic objectives:
/// the compute stage checks the years are exactly the period's). A target written `null` is
/// one the planner has still to set: `piao nuova-edizione` writes it for the years a new plan
/// adds, the checks list it until it is filled and the schede print it «da definire».
#[derive(Debug, Clone)]
pub enum Targets {
    Single(Option<Revisable<String>>),
    ByYear(BTreeMap<String, Option<Revisable<String>>>),
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
        f.write_str("un target (\">= 25\"), una revisione {\"vecchio\": .., \"nuovo\": ..} oppure un target per ogni anno del periodo di documento.json, con l'anno come chiave (AAAA); null per un target ancora da definire")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Targets, E> {
        Ok(Targets::Single(Some(Revisable::Value(v.to_string()))))
    }
    /// `null`: the operational target of a new plan's first year, still to be set.
    fn visit_unit<E: de::Error>(self) -> Result<Targets, E> {
        Ok(Targets::Single(None))
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
                "vecchio" | "nuovo" | "motivo" | "atto" | "dedotta" => {
                    let c = change.get_or_insert_with(Change::empty);
                    match key.as_str() {
                        "vecchio" => c.old = map.next_value()?,
                        "nuovo" => c.new = map.next_value()?,
                        "motivo" => c.reason = Some(map.next_value()?),
                        "dedotta" => c.inferred = Some(map.next_value()?),
                        _ => c.act = Some(map.next_value()?),
                    }
                }
                year if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) => {
                    years.insert(
                        year.to_string(),
                        map.next_value::<Option<Revisable<String>>>()?,
                    );
                }
                other => {
                    return Err(de::Error::custom(format!(
                        "chiave «{other}» inattesa nel target: attesi gli anni del periodo di documento.json (quattro cifre, AAAA) oppure vecchio, nuovo, motivo, atto, dedotta"
                    )));
                }
            }
        }
        match change {
            Some(_) if !years.is_empty() => Err(de::Error::custom(
                "un target è una revisione oppure un elenco per anno, non entrambi",
            )),
            Some(c) => Ok(Targets::Single(Some(Revisable::Revised(Box::new(c))))),
            None => Ok(Targets::ByYear(years)),
        }
    }
}

/// A loaded objective file with where it came from, for positioned diagnostics.
#[derive(Debug, Clone)]
pub struct ObjectiveSource<T> {
    /// File stem as a slug: the page's address.
    pub slug: String,
    pub path: PathBuf,
    pub text: String,
    pub spec: T,
}

/// `content/obiettivi/`: the performance cascade.
#[derive(Debug, Clone)]
pub struct Objectives {
    pub ambiti: ObjectiveSource<AmbitiSpec>,
    pub areas: ObjectiveSource<AreeSpec>,
    pub strategic: Vec<ObjectiveSource<StrategicSpec>>,
    pub operational: Vec<ObjectiveSource<OperationalSpec>>,
}

impl StrategicSpec {
    /// Part of the plan after the update (not removed by it).
    pub fn in_force(&self) -> bool {
        in_force(&self.revision)
    }
}

impl OperationalSpec {
    pub fn in_force(&self) -> bool {
        in_force(&self.revision)
    }
}

impl IndicatorSpec {
    pub fn in_force(&self) -> bool {
        in_force(&self.revision)
    }
}

impl Objectives {
    /// Allegato 1's order: the areas as listed, each with its schede (indices into
    /// `operational`) by number, a replaced objective before the one replacing it.
    pub fn annex(&self) -> Vec<(&AreaSpec, Vec<usize>)> {
        self.areas
            .spec
            .areas
            .iter()
            .map(|a| {
                let mut schede: Vec<usize> = (0..self.operational.len())
                    .filter(|&i| self.operational[i].spec.area == a.id)
                    .collect();
                schede.sort_by_key(|&i| {
                    let o = &self.operational[i].spec;
                    (o.number, o.in_force())
                });
                (a, schede)
            })
            .collect()
    }

    /// The operational objectives of a strategic one, in file order.
    pub fn operational_of<'a>(
        &'a self,
        strategic_code: &'a str,
    ) -> impl Iterator<Item = &'a ObjectiveSource<OperationalSpec>> + 'a {
        self.operational
            .iter()
            .filter(move |o| o.spec.strategic == strategic_code)
    }

    /// The strategic objectives of an ambito, in file order.
    pub fn strategic_of<'a>(
        &'a self,
        ambito: &'a str,
    ) -> impl Iterator<Item = &'a ObjectiveSource<StrategicSpec>> + 'a {
        self.strategic
            .iter()
            .filter(move |s| s.spec.ambito == ambito)
    }
}

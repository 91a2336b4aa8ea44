//! The objectives in force as one JSON document (`dati/obiettivi.json`): plain text, weights and
//! targets read into operator, value and unit, for reuse without scraping the pages. Its keys
//! are Italian: it is published data.

use crate::compute::target::{self, Target};
use crate::content::model::{
    AmbitoSpec, AreaSpec, IndicatorSpec, JsonDecimal, Objectives, Revisable, Targets,
};
use crate::content::period::Period;
use crate::markdown::plain;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct TargetData {
    /// The target as printed.
    #[serde(rename = "testo")]
    printed: String,
    /// The same, read into operator, value and unit.
    #[serde(flatten)]
    read: Option<Target>,
}

#[derive(Serialize)]
struct IndicatorData {
    #[serde(rename = "nome")]
    name: String,
    #[serde(rename = "peso")]
    weight: Option<Decimal>,
    #[serde(rename = "tipologia")]
    kind: Option<String>,
    #[serde(rename = "algoritmo")]
    algorithm: String,
    #[serde(rename = "fonte")]
    source: Option<String>,
    baseline: Option<String>,
    target: BTreeMap<String, TargetData>,
}

#[derive(Serialize)]
struct StrategicData {
    #[serde(rename = "codice")]
    code: String,
    ambito: String,
    #[serde(rename = "titolo")]
    title: String,
    #[serde(rename = "peso")]
    weight: Option<Decimal>,
    #[serde(rename = "descrizione")]
    description: String,
    #[serde(rename = "missione")]
    mission: String,
    #[serde(rename = "programma")]
    programme: String,
    #[serde(rename = "indicatori")]
    indicators: Vec<IndicatorData>,
}

#[derive(Serialize)]
struct OperationalData {
    #[serde(rename = "scheda")]
    number: u32,
    #[serde(rename = "codice")]
    code: String,
    #[serde(rename = "obiettivo_strategico")]
    strategic: String,
    area: String,
    #[serde(rename = "titolo")]
    title: String,
    #[serde(rename = "peso")]
    weight: Option<Decimal>,
    #[serde(rename = "descrizione")]
    description: String,
    #[serde(rename = "uo")]
    unit: String,
    #[serde(rename = "rilevatori")]
    collectors: Vec<String>,
    #[serde(rename = "validatori")]
    validators: Vec<String>,
    #[serde(rename = "indicatori")]
    indicators: Vec<IndicatorData>,
}

#[derive(Serialize)]
struct Data<'a> {
    ambiti: &'a [AmbitoSpec],
    #[serde(rename = "aree")]
    areas: &'a [AreaSpec],
    #[serde(rename = "obiettivi_strategici")]
    strategic: Vec<StrategicData>,
    #[serde(rename = "obiettivi_operativi")]
    operational: Vec<OperationalData>,
}

fn now(v: &Revisable<String>) -> Option<String> {
    v.current().map(|s| plain(s))
}

fn weight(v: &Revisable<JsonDecimal>) -> Option<Decimal> {
    v.current().map(|d| d.0)
}

fn target(t: &Revisable<String>) -> Option<TargetData> {
    t.current().map(|s| TargetData {
        printed: s.clone(),
        read: target::parse(s),
    })
}

/// The indicators in force; every target is keyed by its year, an operational one by the
/// period's first (`target_year`).
fn indicators(list: &[IndicatorSpec], target_year: &str) -> Vec<IndicatorData> {
    list.iter()
        .filter(|i| i.in_force())
        .map(|i| IndicatorData {
            name: plain(&i.name),
            weight: weight(&i.weight),
            kind: now(&i.kind),
            algorithm: plain(&i.algorithm),
            source: i.source.as_ref().and_then(now),
            baseline: i.baseline.as_ref().and_then(now),
            target: match &i.target {
                // A target still to set is left out, like a deleted one.
                Targets::Single(t) => t
                    .as_ref()
                    .and_then(target)
                    .map(|t| (target_year.to_string(), t))
                    .into_iter()
                    .collect(),
                Targets::ByYear(by) => by
                    .iter()
                    .filter_map(|(y, t)| t.as_ref().and_then(target).map(|t| (y.clone(), t)))
                    .collect(),
            },
        })
        .collect()
}

/// The file's bytes; the targets' years come from the plan's `period`.
pub fn objectives(objs: &Objectives, period: &Period) -> Vec<u8> {
    let target_year = period.target_year().to_string();
    let data = Data {
        ambiti: &objs.ambiti.spec.ambiti,
        areas: &objs.areas.spec.areas,
        strategic: objs
            .strategic
            .iter()
            .filter(|s| s.spec.in_force())
            .map(|s| StrategicData {
                code: s.spec.code.clone(),
                ambito: s.spec.ambito.clone(),
                title: s.spec.title.clone(),
                weight: weight(&s.spec.weight),
                description: plain(&s.spec.description),
                mission: s.spec.programme.mission.clone(),
                programme: s.spec.programme.programme.clone(),
                indicators: indicators(&s.spec.indicators, &target_year),
            })
            .collect(),
        operational: objs
            .operational
            .iter()
            .filter(|o| o.spec.in_force())
            .map(|o| OperationalData {
                number: o.spec.number,
                code: o.spec.code.clone(),
                strategic: o.spec.strategic.clone(),
                area: o.spec.area.clone(),
                title: o.spec.title.clone(),
                weight: weight(&o.spec.weight),
                description: plain(&o.spec.description),
                unit: plain(&o.spec.unit),
                collectors: o.spec.collectors.iter().filter_map(now).collect(),
                validators: o.spec.validators.iter().filter_map(now).collect(),
                indicators: indicators(&o.spec.indicators, &target_year),
            })
            .collect(),
    };
    let json = serde_json::to_string_pretty(&data).unwrap_or_default();
    (json + "\n").into_bytes()
}

//! The tables derived from the performance cascade, as sheets of open data keyed by the
//! objectives' codes: the strategic and the operational objectives in force (one row each),
//! their indicators (one row each, keyed by the objective's code and the indicator's number
//! in its card) and the indicators' targets in long form (one row per indicator and year, so
//! a three-year strategic target and a one-year operational one fit the same columns, and
//! each target is also read into kind, operator, figure, unit or deadline).

use super::sheet::{Datum, Field, FieldType, Sheet};
use crate::compute::target::{self, Operator, Target, TargetUnit};
use crate::content::model::{IndicatorSpec, JsonDecimal, Objectives, Revisable, Targets};
use crate::content::period::Period;
use crate::markdown::plain;
use crate::view::datasets::Derived;
use rust_decimal::Decimal;

const CODE: &str = "Codice";
const OBJECTIVE: &str = "Codice obiettivo";
const NUMBER: &str = "N. indicatore";
const YEAR: &str = "Anno";
const WEIGHT: &str = "Peso (%)";
const WEIGHT_NOTE: &str = "Peso percentuale: i pesi degli obiettivi di un gruppo, e degli indicatori di un obiettivo, sommano a 100.";

fn text(s: &str) -> Datum {
    Datum::text_or_empty(plain(s))
}

fn now(v: &Revisable<String>) -> Datum {
    v.current().map_or(Datum::Empty, |s| text(s))
}

fn weight(v: &Revisable<JsonDecimal>) -> Datum {
    v.current()
        .map_or(Datum::Empty, |d| Datum::Number(d.0.normalize()))
}

/// The two columns that name an indicator in the indicators' and the targets' tables.
fn objective_field() -> Field {
    string(
        OBJECTIVE,
        "Il codice dell'obiettivo strategico (OS) o operativo (OO).",
    )
}

fn number_field() -> Field {
    Field::new(
        NUMBER,
        FieldType::Integer,
        "Il numero dell'indicatore nella scheda dell'obiettivo.",
    )
}

fn string(name: &str, description: &str) -> Field {
    Field::new(name, FieldType::String, description)
}

/// The sheet of one of the derived tables.
pub fn sheet(which: Derived, objs: &Objectives, period: &Period) -> Sheet {
    match which {
        Derived::Strategic => strategic(objs),
        Derived::Operational => operational(objs),
        Derived::Indicators => indicators(objs),
        Derived::Targets => targets(objs, period),
    }
}

fn strategic(objs: &Objectives) -> Sheet {
    let mut s = Sheet::new(vec![
        string(CODE, "Il codice dell'obiettivo strategico."),
        string("Ambito", "Il codice dell'ambito strategico."),
        string("Titolo", "Testo."),
        Field::new(WEIGHT, FieldType::Number, WEIGHT_NOTE),
        string("Descrizione", "Testo."),
        string("Missione", "Missione (DM 27.03.2013)."),
        string("Programma", "Programma (DM 27.03.2013)."),
    ]);
    for o in objs.strategic.iter().filter(|o| o.spec.in_force()) {
        let o = &o.spec;
        s.rows.push(vec![
            Datum::Text(o.code.clone()),
            Datum::Text(o.ambito.clone()),
            text(&o.title),
            weight(&o.weight),
            text(&o.description),
            text(&o.programme.mission),
            text(&o.programme.programme),
        ]);
    }
    s.key_if_unique(&[CODE]);
    s
}

fn operational(objs: &Objectives) -> Sheet {
    let mut s = Sheet::new(vec![
        Field::new(
            "Scheda",
            FieldType::Integer,
            "Il numero della scheda nell'Allegato 1.",
        ),
        string(CODE, "Il codice dell'obiettivo operativo."),
        string(
            "Obiettivo strategico",
            "Il codice dell'obiettivo strategico a cui concorre.",
        ),
        string("Area", "L'area organizzativa."),
        string("Titolo", "Testo."),
        Field::new(WEIGHT, FieldType::Number, WEIGHT_NOTE),
        string("Descrizione", "Testo."),
        string("Unità organizzativa", "Testo."),
        string("Rilevatori", "Nomi separati da punto e virgola."),
        string("Validatori", "Nomi separati da punto e virgola."),
    ]);
    let names = |list: &[Revisable<String>]| {
        let names: Vec<String> = list
            .iter()
            .filter_map(|v| v.current().map(|s| plain(s)))
            .collect();
        Datum::text_or_empty(names.join("; "))
    };
    for o in objs.operational.iter().filter(|o| o.spec.in_force()) {
        let o = &o.spec;
        s.rows.push(vec![
            Datum::Number(Decimal::from(o.number)),
            Datum::Text(o.code.clone()),
            Datum::Text(o.strategic.clone()),
            Datum::Text(o.area.clone()),
            text(&o.title),
            weight(&o.weight),
            text(&o.description),
            text(&o.unit),
            names(&o.collectors),
            names(&o.validators),
        ]);
    }
    s.key_if_unique(&[CODE]);
    s
}

/// Every objective in force with its indicators in force, numbered from 1 in its card.
fn each_indicator(objs: &Objectives) -> Vec<(&str, usize, &IndicatorSpec)> {
    let strategic = objs
        .strategic
        .iter()
        .filter(|o| o.spec.in_force())
        .map(|o| (o.spec.code.as_str(), &o.spec.indicators));
    let operational = objs
        .operational
        .iter()
        .filter(|o| o.spec.in_force())
        .map(|o| (o.spec.code.as_str(), &o.spec.indicators));
    strategic
        .chain(operational)
        .flat_map(|(code, list)| {
            list.iter()
                .filter(|i| i.in_force())
                .enumerate()
                .map(move |(n, i)| (code, n + 1, i))
        })
        .collect()
}

fn indicators(objs: &Objectives) -> Sheet {
    let mut s = Sheet::new(vec![
        objective_field(),
        number_field(),
        string("Indicatore", "Testo."),
        Field::new(WEIGHT, FieldType::Number, WEIGHT_NOTE),
        string("Tipologia", "Testo."),
        string("Algoritmo", "Come si calcola."),
        string("Fonte", "Testo."),
        string(
            "Baseline",
            "Il valore di partenza, come scritto nella scheda.",
        ),
    ]);
    for (code, n, i) in each_indicator(objs) {
        s.rows.push(vec![
            Datum::Text(code.to_string()),
            Datum::Number(Decimal::from(n)),
            text(&i.name),
            weight(&i.weight),
            now(&i.kind),
            text(&i.algorithm),
            i.source.as_ref().map_or(Datum::Empty, now),
            i.baseline.as_ref().map_or(Datum::Empty, now),
        ]);
    }
    s.key_if_unique(&[OBJECTIVE, NUMBER]);
    s
}

fn targets(objs: &Objectives, period: &Period) -> Sheet {
    let mut s = Sheet::new(vec![
        objective_field(),
        number_field(),
        Field::new(
            YEAR,
            FieldType::Integer,
            "L'anno a cui il target si riferisce.",
        ),
        string("Target", "Il target come scritto nella scheda."),
        string(
            "Tipo di target",
            "soglia, scadenza o sì/no; vuoto se il testo non si lascia leggere.",
        ),
        string("Operatore", "Per una soglia: >=, <=, >, < oppure =."),
        Field::new(
            "Valore",
            FieldType::Number,
            "Per una soglia, la cifra; per un sì/no, il punteggio se indicato.",
        ),
        string(
            "Unità",
            "Per una soglia: percentuale, giorni, euro; vuoto per un numero puro.",
        ),
        Field::new(
            "Scadenza",
            FieldType::Date,
            "Per una scadenza, la data (AAAA-MM-GG).",
        ),
    ]);
    let first_year = period.target_year().to_string();
    for (code, n, i) in each_indicator(objs) {
        // A target still to set has no row: the open data give what the plan decided.
        let by_year: Vec<(&str, &Revisable<String>)> = match &i.target {
            Targets::Single(t) => t.iter().map(|t| (first_year.as_str(), t)).collect(),
            Targets::ByYear(by) => by
                .iter()
                .filter_map(|(y, t)| t.as_ref().map(|t| (y.as_str(), t)))
                .collect(),
        };
        for (year, t) in by_year {
            let Some(printed) = t.current() else {
                continue;
            };
            let year = year
                .parse::<Decimal>()
                .map_or_else(|_| Datum::Text(year.to_string()), Datum::Number);
            let mut row = vec![
                Datum::Text(code.to_string()),
                Datum::Number(Decimal::from(n)),
                year,
                // As written: not Markdown (`>= 450` is no quotation).
                Datum::text_or_empty(printed.trim().to_string()),
            ];
            row.extend(read(target::parse(printed)));
            s.rows.push(row);
        }
    }
    s.key_if_unique(&[OBJECTIVE, NUMBER, YEAR]);
    s
}

/// Kind, operator, figure, unit and deadline of a target read from its text.
fn read(t: Option<Target>) -> [Datum; 5] {
    let word = |s: &str| Datum::Text(s.to_string());
    match t {
        None => std::array::from_fn(|_| Datum::Empty),
        Some(Target::Threshold {
            operator,
            value,
            unit,
            ..
        }) => [
            word("soglia"),
            word(match operator {
                Operator::AtLeast => ">=",
                Operator::AtMost => "<=",
                Operator::Above => ">",
                Operator::Below => "<",
                Operator::Equal => "=",
            }),
            Datum::Number(value.normalize()),
            unit.map_or(Datum::Empty, |u| {
                word(match u {
                    TargetUnit::Percent => "percentuale",
                    TargetUnit::Days => "giorni",
                    TargetUnit::Euro => "euro",
                })
            }),
            Datum::Empty,
        ],
        Some(Target::Deadline { date }) => [
            word("scadenza"),
            Datum::Empty,
            Datum::Empty,
            Datum::Empty,
            Datum::Date(date),
        ],
        // Whether done or not is in the target's text.
        Some(Target::YesNo { value, .. }) => [
            word("sì/no"),
            Datum::Empty,
            value.map_or(Datum::Empty, |v| Datum::Number(v.normalize())),
            Datum::Empty,
            Datum::Empty,
        ],
    }
}

//! The performance cascade (`content/obiettivi/`): ambiti → strategic objectives → operational
//! objectives → indicators. Checks the references and codes, checks that the weights sum to
//! 100 after the update's revisions, and counts the objectives in force for the prose.

use super::formula;
use super::model::{Check, CheckKind, CheckResult, Quantity};
use super::target;
use crate::content::OBJECTIVES;
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{
    IndicatorSpec, JsonDecimal, ObjectiveSource, Objectives, Revisable, Targets, Unit,
};
use crate::content::period::Period;
use crate::diag::{Diagnostic, Location};
use crate::format;
use crate::markdown;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Names of the counts the prose and `calcoli.json` may use.
pub const STRATEGIC_COUNT: &str = "obiettivi_strategici";
pub const OPERATIONAL_COUNT: &str = "obiettivi_operativi";

/// Numeric parts of a code: `OO 3.1.2` → [3, 1, 2]; `None` when it is not `PREFIX n.n…`.
pub fn code_parts(code: &str, prefix: &str, parts: usize) -> Option<Vec<u32>> {
    let rest = code.strip_prefix(prefix)?.strip_prefix(' ')?;
    let nums: Vec<u32> = rest
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    (nums.len() == parts).then_some(nums)
}

/// The weight in force (zero for a weight the update deleted).
pub fn weight(w: &Revisable<JsonDecimal>) -> Decimal {
    w.current().map(|d| d.0).unwrap_or_default()
}

fn json<T>(src: &ObjectiveSource<T>) -> JsonFile<'_> {
    JsonFile::new(&src.path, &src.text)
}

/// The counts of objectives in force, as quantities.
pub fn counts(objs: &Objectives) -> Vec<(String, Quantity)> {
    let count = |n: usize| Quantity {
        value: Decimal::from(n),
        unit: Unit::Number,
        decimals: 0,
        printed: Default::default(),
    };
    let strategic = objs.strategic.iter().filter(|s| s.spec.in_force()).count();
    let operational = objs
        .operational
        .iter()
        .filter(|o| o.spec.in_force())
        .count();
    vec![
        (STRATEGIC_COUNT.into(), count(strategic)),
        (OPERATIONAL_COUNT.into(), count(operational)),
    ]
}

/// References and codes: every OS in an existing ambito, every OO under an existing OS (whose
/// code it extends) and area, codes unique among the objectives in force, targets readable,
/// the strategic ones given for exactly the years of the `period`.
pub fn validate(objs: &Objectives, period: &Period) -> Result<(), Diagnostic> {
    let ambiti = json(&objs.ambiti);
    let mut ambito_codes = BTreeSet::new();
    for (i, a) in objs.ambiti.spec.ambiti.iter().enumerate() {
        let path = [Step::Key("ambiti"), Step::Index(i), Step::Key("codice")];
        if code_parts(&a.code, "AS", 1).is_none() {
            return Err(ambiti.error(
                &path,
                format!(
                    "codice di ambito non valido «{}»: atteso come \"AS 1\"",
                    a.code
                ),
            ));
        }
        if !ambito_codes.insert(a.code.as_str()) {
            return Err(ambiti.error(&path, format!("ambito «{}» ripetuto", a.code)));
        }
    }
    let areas = json(&objs.areas);
    let mut area_ids = BTreeSet::new();
    for (i, a) in objs.areas.spec.areas.iter().enumerate() {
        if !area_ids.insert(a.id.as_str()) {
            return Err(areas.error(
                &[Step::Key("aree"), Step::Index(i), Step::Key("id")],
                format!("area «{}» ripetuta", a.id),
            ));
        }
        if !ambito_codes.contains(a.ambito.as_str()) {
            return Err(areas.error(
                &[Step::Key("aree"), Step::Index(i), Step::Key("ambito")],
                format!(
                    "ambito «{}» inesistente: gli ambiti sono in ambiti.json",
                    a.ambito
                ),
            ));
        }
    }
    let mut os_codes: BTreeMap<&str, bool> = BTreeMap::new();
    for s in &objs.strategic {
        let file = json(s);
        let spec = &s.spec;
        let Some(parts) = code_parts(&spec.code, "OS", 2) else {
            return Err(file.error(
                &[Step::Key("codice")],
                format!("codice non valido «{}»: atteso come \"OS 1.1\"", spec.code),
            ));
        };
        if !ambito_codes.contains(spec.ambito.as_str()) {
            return Err(file.error(
                &[Step::Key("ambito")],
                format!(
                    "ambito «{}» inesistente: gli ambiti sono in ambiti.json",
                    spec.ambito
                ),
            ));
        }
        if code_parts(&spec.ambito, "AS", 1) != Some(vec![parts[0]]) {
            return Err(file.error(
                &[Step::Key("ambito")],
                format!(
                    "{} non appartiene all'ambito {}: il primo numero del codice è quello dell'ambito",
                    spec.code, spec.ambito
                ),
            ));
        }
        let live = spec.in_force();
        if live && os_codes.get(spec.code.as_str()) == Some(&true) {
            return Err(file.error(
                &[Step::Key("codice")],
                format!(
                    "codice «{}» ripetuto: due obiettivi in vigore non possono avere lo stesso codice",
                    spec.code
                ),
            ));
        }
        *os_codes.entry(spec.code.as_str()).or_insert(false) |= live;
        indicator_shape(&file, &spec.indicators, true, period)?;
    }
    let mut oo_codes = BTreeSet::new();
    let mut numbers = BTreeSet::new();
    for o in &objs.operational {
        let file = json(o);
        let spec = &o.spec;
        let Some(parts) = code_parts(&spec.code, "OO", 3) else {
            return Err(file.error(
                &[Step::Key("codice")],
                format!(
                    "codice non valido «{}»: atteso come \"OO 1.1.1\"",
                    spec.code
                ),
            ));
        };
        if !os_codes.contains_key(spec.strategic.as_str()) {
            return Err(file.error(
                &[Step::Key("obiettivo_strategico")],
                format!(
                    "obiettivo strategico «{}» inesistente: manca in obiettivi/strategici/",
                    spec.strategic
                ),
            ));
        }
        if code_parts(&spec.strategic, "OS", 2).as_deref() != Some(&parts[..2]) {
            return Err(file.error(
                &[Step::Key("obiettivo_strategico")],
                format!(
                    "{} non può appartenere a {}: il codice dell'obiettivo operativo inizia con quello del suo obiettivo strategico",
                    spec.code, spec.strategic
                ),
            ));
        }
        if !area_ids.contains(spec.area.as_str()) {
            return Err(file.error(
                &[Step::Key("area")],
                format!(
                    "area «{}» inesistente: le aree sono in aree.json",
                    spec.area
                ),
            ));
        }
        if spec.in_force() {
            if !oo_codes.insert(spec.code.as_str()) {
                return Err(file.error(
                    &[Step::Key("codice")],
                    format!(
                        "codice «{}» ripetuto: due obiettivi in vigore non possono avere lo stesso codice",
                        spec.code
                    ),
                ));
            }
            if !numbers.insert(spec.number) {
                return Err(file.error(
                    &[Step::Key("scheda")],
                    format!("scheda n. {} ripetuta", spec.number),
                ));
            }
        }
        indicator_shape(&file, &spec.indicators, false, period)?;
    }
    Ok(())
}

/// Every printed side of a target reads as one (`>= 450`, `entro il 30.09.2025`, `SI`).
fn readable(file: &JsonFile, path: &[Step<'_>], t: &Revisable<String>) -> Result<(), Diagnostic> {
    let sides: Vec<&String> = match t {
        Revisable::Value(v) => vec![v],
        Revisable::Revised(c) => c.old.iter().chain(c.new.iter()).collect(),
    };
    for side in sides {
        if target::parse(side).is_none() {
            return Err(file.error(
                path,
                format!("target non leggibile «{side}»: {}", target::EXPECTED),
            ));
        }
    }
    Ok(())
}

/// Strategic indicators have a target per year of the plan's `period`, operational ones the
/// target of its first year.
fn indicator_shape(
    file: &JsonFile,
    indicators: &[IndicatorSpec],
    strategic: bool,
    period: &Period,
) -> Result<(), Diagnostic> {
    for (i, ind) in indicators.iter().enumerate() {
        let path = [Step::Key("indicatori"), Step::Index(i), Step::Key("target")];
        // A target still to set (`null`) is no error: [`pending_targets`] lists it.
        match &ind.target {
            Targets::Single(t) => t.iter().try_for_each(|t| readable(file, &path, t))?,
            Targets::ByYear(years) => {
                for (year, t) in years {
                    let p = [path[0], path[1], path[2], Step::Key(year)];
                    t.iter().try_for_each(|t| readable(file, &p, t))?;
                }
            }
        }
        match (&ind.target, strategic) {
            (Targets::ByYear(years), true) if !years.is_empty() => {
                period_years(file, &path, ind, years, period)?;
            }
            (Targets::Single(_), false) => {}
            (_, true) => {
                return Err(file.error(
                    &path,
                    format!(
                        "target di un obiettivo strategico: atteso un target per anno del periodo {period}, {}",
                        by_year_example(period)
                    ),
                ));
            }
            (_, false) => {
                return Err(file.error(
                    &path,
                    format!(
                        "target di un obiettivo operativo: atteso il target del {} (\">= 25\") o una sua revisione",
                        period.target_year()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// `{"2025": ">= 25", "2026": .., "2027": ..}`: the shape of targets by year, for the period.
fn by_year_example(period: &Period) -> String {
    let years: Vec<String> = period
        .years()
        .enumerate()
        .map(|(i, y)| {
            let target = if i == 0 { "\">= 25\"" } else { ".." };
            format!("\"{y}\": {target}")
        })
        .collect();
    format!("{{{}}}", years.join(", "))
}

/// A strategic indicator's targets are given for the years of the period, each exactly once:
/// a year outside it is an error where it is written, a missing one at the indicator's target.
fn period_years(
    file: &JsonFile,
    path: &[Step<'_>; 3],
    ind: &IndicatorSpec,
    years: &BTreeMap<String, Option<Revisable<String>>>,
    period: &Period,
) -> Result<(), Diagnostic> {
    let name = markdown::plain(&ind.name);
    let expected = format!(
        "attesi i target degli anni del periodo {period} di documento.json ({})",
        period.listed()
    );
    if let Some(extra) = years.keys().find(|y| !period.has_year(y)) {
        let at = [path[0], path[1], path[2], Step::Key(extra)];
        return Err(file.error(
            &at,
            format!(
                "indicatore «{name}»: target per l'anno {extra}, fuori dal periodo; {expected}"
            ),
        ));
    }
    let missing: Vec<String> = period
        .year_keys()
        .into_iter()
        .filter(|y| !years.contains_key(y))
        .collect();
    if !missing.is_empty() {
        let what = if missing.len() == 1 {
            format!("manca il target del {}", missing.join(""))
        } else {
            format!("mancano i target degli anni {}", missing.join(", "))
        };
        return Err(file.error(path, format!("indicatore «{name}»: {what}; {expected}")));
    }
    Ok(())
}

/// Every target written `null` in an objective in force, which the planner has still to set
/// (the years `piao nuova-edizione` adds, the first year's operational targets): a
/// [`CheckKind::Completion`] check at the target, a warning until it is filled, an error
/// under `--strict`, so that an incomplete plan is never published by mistake.
pub fn pending_targets(objs: &Objectives, period: &Period) -> Vec<Check> {
    let mut checks = Vec::new();
    let strategic = objs
        .strategic
        .iter()
        .filter(|s| s.spec.in_force())
        .map(|s| {
            (
                json(s),
                &s.spec.code,
                &s.spec.indicators,
                &s.path,
                "strategici",
            )
        });
    let operational = objs
        .operational
        .iter()
        .filter(|o| o.spec.in_force())
        .map(|o| {
            (
                json(o),
                &o.spec.code,
                &o.spec.indicators,
                &o.path,
                "operativi",
            )
        });
    let first = period.target_year().to_string();
    for (file, code, indicators, path, folder) in strategic.chain(operational) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let written = format!("{OBJECTIVES}/{folder}/{name}");
        for (i, ind) in indicators.iter().enumerate().filter(|(_, i)| i.in_force()) {
            let base = [Step::Key("indicatori"), Step::Index(i), Step::Key("target")];
            let pending: Vec<(&str, Location)> = match &ind.target {
                Targets::Single(None) => vec![(first.as_str(), file.at(&base))],
                Targets::Single(Some(_)) => Vec::new(),
                Targets::ByYear(years) => years
                    .iter()
                    .filter(|(_, t)| t.is_none())
                    .map(|(y, _)| {
                        let at = file.at(&[base[0], base[1], base[2], Step::Key(y)]);
                        (y.as_str(), at)
                    })
                    .collect(),
            };
            for (year, at) in pending {
                checks.push(Check {
                    kind: CheckKind::Completion,
                    description: format!(
                        "Il target {year} dell'indicatore «{}» dell'{code}",
                        markdown::plain(&ind.name)
                    ),
                    at,
                    result: CheckResult::Incomplete {
                        missing: format!("il valore, da indicare in {written}"),
                    },
                    accepted: None,
                });
            }
        }
    }
    checks
}

/// The sum of a group's weights; one out of the range of exact decimals is an error at
/// `at`, where the group is declared.
pub fn weight_sum(
    weights: impl IntoIterator<Item = Decimal>,
    at: &Location,
) -> Result<Decimal, Diagnostic> {
    formula::checked_sum(weights).ok_or_else(|| {
        Diagnostic::new(
            at.clone(),
            "la somma dei pesi è fuori dall'intervallo dei numeri decimali",
        )
    })
}

fn sum_check(description: String, at: Location, sum: Decimal) -> Check {
    let hundred = Decimal::from(100);
    Check {
        kind: CheckKind::Weights,
        description,
        at,
        result: if sum == hundred {
            CheckResult::Passed
        } else {
            CheckResult::Sum {
                expected: format::number(hundred, 0),
                computed: format::plain(sum),
            }
        },
        accepted: None,
    }
}

/// Weights sum to 100 at every level, counting only what is in force after the update; the
/// list of Section 2.2 prints the same weights as the schede.
pub fn weight_checks(objs: &Objectives) -> Result<Vec<Check>, Diagnostic> {
    let mut checks = Vec::new();
    let ambiti = json(&objs.ambiti);
    for (i, a) in objs.ambiti.spec.ambiti.iter().enumerate() {
        let at = ambiti.at(&[Step::Key("ambiti"), Step::Index(i), Step::Key("codice")]);
        let weights = objs
            .strategic_of(&a.code)
            .filter(|s| s.spec.in_force())
            .map(|s| weight(&s.spec.weight));
        let sum = weight_sum(weights, &at)?;
        checks.push(sum_check(
            format!(
                "I pesi degli obiettivi strategici dell'ambito {} sommano a 100",
                a.code
            ),
            at,
            sum,
        ));
    }
    for s in objs.strategic.iter().filter(|s| s.spec.in_force()) {
        let at = json(s).at(&[Step::Key("codice")]);
        let weights = objs
            .operational_of(&s.spec.code)
            .filter(|o| o.spec.in_force())
            .map(|o| weight(&o.spec.weight));
        let sum = weight_sum(weights, &at)?;
        checks.push(sum_check(
            format!(
                "I pesi degli obiettivi operativi in vigore di {} sommano a 100",
                s.spec.code
            ),
            at,
            sum,
        ));
        checks.push(indicator_sum(&json(s), &s.spec.code, &s.spec.indicators)?);
    }
    for o in &objs.operational {
        let file = json(o);
        if o.spec.in_force() {
            checks.push(indicator_sum(&file, &o.spec.code, &o.spec.indicators)?);
        }
        // Also for a replaced objective: the list still prints it.
        if let Some(printed) = &o.spec.listed_weight {
            checks.push(super::declared::compare(
                CheckKind::Weights,
                format!(
                    "Peso di {} nell'elenco della Sezione 2.2 rispetto alla scheda",
                    o.spec.code
                ),
                file.at(&[Step::Key("peso_elenco")]),
                weight(&o.spec.weight),
                printed,
                0,
                format::plain,
            ));
        }
    }
    Ok(checks)
}

fn indicator_sum(
    file: &JsonFile,
    code: &str,
    indicators: &[IndicatorSpec],
) -> Result<Check, Diagnostic> {
    let at = file.at(&[Step::Key("indicatori")]);
    let weights = indicators
        .iter()
        .filter(|i| i.in_force())
        .map(|i| weight(&i.weight));
    let sum = weight_sum(weights, &at)?;
    Ok(sum_check(
        format!("I pesi degli indicatori in vigore di {code} sommano a 100"),
        at,
        sum,
    ))
}

//! Charts (`grafici.json`): every value of every series is a formula over the computed tables
//! and quantities, so a chart always shows the figures of its tables.

use super::formula::{self, Expr, FormulaError};
use super::model::{Chart, Series};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{ChartKind, ChartSpec, ChartsSource};
use crate::diag::Diagnostic;
use crate::format;
use crate::names::is_identifier;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Resolves every declared chart; `eval` evaluates a formula over the computed document, and
/// `has_table` says whether a table exists (a chart links to its data).
pub fn compute(
    sources: &[ChartsSource],
    eval: &dyn Fn(&Expr) -> Result<Decimal, FormulaError>,
    has_table: &dyn Fn(&str) -> bool,
) -> Result<BTreeMap<String, Chart>, Diagnostic> {
    let mut out: BTreeMap<String, Chart> = BTreeMap::new();
    for src in sources {
        let file = JsonFile::new(&src.path, &src.text);
        for (i, c) in src.spec.charts.iter().enumerate() {
            let at = [Step::Key("grafici"), Step::Index(i), Step::Key("id")];
            if !is_identifier(&c.id) {
                return Err(file.error(
                    &at,
                    format!(
                        "identificativo di grafico non valido «{}»: usare lettere minuscole, cifre e _",
                        c.id
                    ),
                ));
            }
            if let Some(other) = out.get(&c.id) {
                return Err(file.error(
                    &at,
                    format!(
                        "grafico «{}» già definito in {}",
                        c.id,
                        other.at.file.display()
                    ),
                ));
            }
            out.insert(c.id.clone(), chart(&file, i, c, eval)?);
        }
    }
    for c in out.values() {
        if let Some(t) = &c.table
            && !has_table(t)
        {
            return Err(Diagnostic::new(
                c.at.clone(),
                format!(
                    "tabella «{t}» inesistente: il grafico rimanda ai dati di una tabella del documento"
                ),
            ));
        }
    }
    Ok(out)
}

/// The chart declared at `grafici[i]`.
fn chart(
    file: &JsonFile,
    i: usize,
    c: &ChartSpec,
    eval: &dyn Fn(&Expr) -> Result<Decimal, FormulaError>,
) -> Result<Chart, Diagnostic> {
    let base = [Step::Key("grafici"), Step::Index(i)];
    let here = |k: &'static str| [base[0], base[1], Step::Key(k)];
    if c.categories.is_empty() || c.series.is_empty() {
        return Err(file.error(&base, "un grafico ha almeno una categoria e una serie"));
    }
    format::check_decimals(c.decimals).map_err(|m| file.error(&here("decimali"), m))?;
    if c.kind == ChartKind::HorizontalBars && c.series.len() > 1 {
        return Err(file.error(&here("serie"), "le barre orizzontali mostrano una sola serie: per confrontarne più d'una usare \"barre\""));
    }
    let mut series = Vec::new();
    for (k, s) in c.series.iter().enumerate() {
        let sbase = [base[0], base[1], Step::Key("serie"), Step::Index(k)];
        let formulas: Vec<(String, Vec<Step>)> = match (&s.formula, &s.values) {
            (Some(f), None) => c
                .categories
                .iter()
                .map(|cat| {
                    let mut path = sbase.to_vec();
                    path.push(Step::Key("formula"));
                    (f.replace("{chiave}", &cat.key), path)
                })
                .collect(),
            (None, Some(v)) if v.len() == c.categories.len() => v
                .iter()
                .enumerate()
                .map(|(j, f)| {
                    let mut path = sbase.to_vec();
                    path.extend([Step::Key("valori"), Step::Index(j)]);
                    (f.clone(), path)
                })
                .collect(),
            (None, Some(v)) => {
                let mut path = sbase.to_vec();
                path.push(Step::Key("valori"));
                return Err(file.error(
                    &path,
                    format!(
                        "{} valori per {} categorie: uno per categoria",
                        v.len(),
                        c.categories.len()
                    ),
                ));
            }
            _ => {
                return Err(file.error(&sbase, "una serie ha esattamente uno tra «formula» (con {chiave} per la categoria) e «valori» (una formula per categoria)"));
            }
        };
        let mut values = Vec::new();
        for (f, path) in formulas {
            let fail = |e: FormulaError| file.error(&path, format!("formula «{f}»: {}", e.kind));
            let expr = formula::parse(&f).map_err(fail)?;
            values.push(eval(&expr).map_err(fail)?);
        }
        series.push(Series {
            name: s.name.clone(),
            values,
        });
    }
    let mut emphasis = Vec::new();
    for (k, key) in c.emphasis.iter().enumerate() {
        match c
            .categories
            .iter()
            .position(|cat| cat.key == *key || cat.label == *key)
        {
            Some(p) => emphasis.push(p),
            None => {
                return Err(file.error(
                    &[base[0], base[1], Step::Key("evidenza"), Step::Index(k)],
                    format!("categoria «{key}» inesistente in questo grafico"),
                ));
            }
        }
    }
    Ok(Chart {
        id: c.id.clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        kind: c.kind,
        categories: c.categories.iter().map(|cat| cat.label.clone()).collect(),
        series,
        unit: c.unit,
        decimals: c.decimals,
        table: c.table.clone(),
        emphasis,
        at: file.at(&here("id")),
    })
}

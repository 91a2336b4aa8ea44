//! Stage 2, for charts (`grafici.json`): every value of every series is a formula over the
//! computed tables and quantities, so a chart always shows the figures of its tables.

use crate::diag::{Diagnostic, line_col};
use crate::formula::{self, Expr, FormulaError};
use crate::jsonpos::{Step, locate};
use crate::load::is_identifier;
use crate::model::{ChartKind, ChartsSource, Unit};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A chart with its values, ready to draw.
#[derive(Debug, Clone)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub description: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub unit: Unit,
    pub decimals: u32,
    /// The table the figures come from.
    pub table: Option<String>,
    /// Indices of the categories set apart.
    pub emphasis: Vec<usize>,
    /// Where the chart is declared.
    pub at: Diagnostic,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Decimal>,
}

/// Resolves every declared chart; `eval` evaluates a formula over the computed document.
pub fn compute(
    sources: &[ChartsSource],
    eval: &dyn Fn(&Expr) -> Result<Decimal, FormulaError>,
) -> Result<BTreeMap<String, Chart>, Diagnostic> {
    let mut out: BTreeMap<String, Chart> = BTreeMap::new();
    for src in sources {
        let at = |path: &[Step<'_>], message: String| {
            let (line, col) = line_col(&src.text, locate(&src.text, path));
            Diagnostic::new(&src.path, line, col, message)
        };
        for (i, c) in src.spec.grafici.iter().enumerate() {
            let base = [Step::Key("grafici"), Step::Index(i)];
            let here = |k: &'static str| [base[0], base[1], Step::Key(k)];
            if !is_identifier(&c.id) {
                return Err(at(
                    &here("id"),
                    format!(
                        "identificativo di grafico non valido «{}»: usare lettere minuscole, cifre e _",
                        c.id
                    ),
                ));
            }
            if let Some(other) = out.get(&c.id) {
                return Err(at(
                    &here("id"),
                    format!(
                        "grafico «{}» già definito in {}",
                        c.id,
                        other.at.file.display()
                    ),
                ));
            }
            if c.categorie.is_empty() || c.serie.is_empty() {
                return Err(at(
                    &base,
                    "un grafico ha almeno una categoria e una serie".into(),
                ));
            }
            if c.tipo == ChartKind::BarreOrizzontali && c.serie.len() > 1 {
                return Err(at(&here("serie"), "le barre orizzontali mostrano una sola serie: per confrontarne più d'una usare \"barre\"".into()));
            }
            let mut series = Vec::new();
            for (k, s) in c.serie.iter().enumerate() {
                let sbase = [base[0], base[1], Step::Key("serie"), Step::Index(k)];
                let formulas: Vec<(String, Vec<Step>)> = match (&s.formula, &s.valori) {
                    (Some(f), None) => c
                        .categorie
                        .iter()
                        .map(|cat| {
                            (
                                f.replace("{chiave}", &cat.chiave),
                                vec![sbase[0], sbase[1], sbase[2], sbase[3], Step::Key("formula")],
                            )
                        })
                        .collect(),
                    (None, Some(v)) if v.len() == c.categorie.len() => v
                        .iter()
                        .enumerate()
                        .map(|(j, f)| {
                            (
                                f.clone(),
                                vec![
                                    sbase[0],
                                    sbase[1],
                                    sbase[2],
                                    sbase[3],
                                    Step::Key("valori"),
                                    Step::Index(j),
                                ],
                            )
                        })
                        .collect(),
                    (None, Some(v)) => {
                        return Err(at(
                            &[sbase[0], sbase[1], sbase[2], sbase[3], Step::Key("valori")],
                            format!(
                                "{} valori per {} categorie: uno per categoria",
                                v.len(),
                                c.categorie.len()
                            ),
                        ));
                    }
                    _ => {
                        return Err(at(&sbase, "una serie ha esattamente uno tra «formula» (con {chiave} per la categoria) e «valori» (una formula per categoria)".into()));
                    }
                };
                let mut values = Vec::new();
                for (f, path) in formulas {
                    let fail = |e: FormulaError| {
                        let start = locate(&src.text, &path);
                        let (line, col) = line_col(&src.text, start);
                        Diagnostic::new(
                            &src.path,
                            line,
                            col,
                            format!("formula «{f}»: {}", e.message),
                        )
                    };
                    let expr = formula::parse(&f).map_err(fail)?;
                    values.push(eval(&expr).map_err(fail)?);
                }
                series.push(Series {
                    name: s.nome.clone(),
                    values,
                });
            }
            let mut emphasis = Vec::new();
            for (k, key) in c.evidenza.iter().enumerate() {
                match c
                    .categorie
                    .iter()
                    .position(|cat| cat.chiave == *key || cat.etichetta == *key)
                {
                    Some(p) => emphasis.push(p),
                    None => {
                        return Err(at(
                            &[base[0], base[1], Step::Key("evidenza"), Step::Index(k)],
                            format!("categoria «{key}» inesistente in questo grafico"),
                        ));
                    }
                }
            }
            out.insert(
                c.id.clone(),
                Chart {
                    id: c.id.clone(),
                    title: c.titolo.clone(),
                    description: c.descrizione.clone(),
                    kind: c.tipo,
                    categories: c
                        .categorie
                        .iter()
                        .map(|cat| cat.etichetta.clone())
                        .collect(),
                    series,
                    unit: c.unita,
                    decimals: c.decimali,
                    table: c.tabella.clone(),
                    emphasis,
                    at: at(&here("id"), String::new()),
                },
            );
        }
    }
    Ok(out)
}

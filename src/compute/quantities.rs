//! Quantities and checks of `calcoli.json`: named figures over the tables (and over each
//! other, evaluated on demand with cycles refused), and the conditions the figures must meet.

use super::declared;
use super::formula::{self, Env, Expr, FormulaError, FormulaErrorKind, glob_match, parse_at};
use super::model::{Check, CheckKind, CheckResult, Quantity, Row, Table};
use super::readings::readings;
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{CalcSource, QuantitySpec, TableSource};
use crate::diag::Diagnostic;
use crate::format;
use crate::names::is_identifier;
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// References of quantities and checks: `tabella.riga.colonna` (row may be a `*` pattern
/// inside `somma`) and the ids of other quantities, evaluated on demand.
struct QuantityEnv<'a> {
    tables: &'a BTreeMap<String, Table>,
    specs: BTreeMap<&'a str, (&'a QuantitySpec, &'a CalcSource, usize)>,
    done: RefCell<BTreeMap<String, Decimal>>,
    stack: RefCell<Vec<String>>,
}

impl<'a> QuantityEnv<'a> {
    /// An environment where the quantities are already known.
    fn computed(
        tables: &'a BTreeMap<String, Table>,
        quantities: &BTreeMap<String, Quantity>,
    ) -> Self {
        QuantityEnv {
            tables,
            specs: BTreeMap::new(),
            done: RefCell::new(
                quantities
                    .iter()
                    .map(|(k, q)| (k.clone(), q.value))
                    .collect(),
            ),
            stack: RefCell::new(Vec::new()),
        }
    }

    /// The figures at `tabella.riga.colonna`; the row may be a `*` pattern, which gathers
    /// the figures it finds (blank cells and "-" count as nothing).
    fn cell(&self, path: &str) -> Result<Vec<Decimal>, FormulaErrorKind> {
        let invalid = FormulaErrorKind::Invalid;
        let parts: Vec<&str> = path.split('.').collect();
        let [t, r, c] = parts.as_slice() else {
            return Err(invalid(format!(
                "riferimento «{path}» non valido: usare «tabella.riga.colonna» oppure il nome di una grandezza"
            )));
        };
        let table = self
            .tables
            .get(*t)
            .ok_or_else(|| invalid(format!("tabella «{t}» inesistente")))?;
        let col = table
            .columns
            .iter()
            .position(|x| x.id == *c)
            .ok_or_else(|| {
                let ids: Vec<&str> = table.columns.iter().map(|x| x.id.as_str()).collect();
                invalid(format!(
                    "colonna «{c}» inesistente nella tabella «{t}»; colonne: {}",
                    ids.join(", ")
                ))
            })?;
        let rows: Vec<&Row> = table
            .rows
            .iter()
            .filter(|x| x.id.as_deref().is_some_and(|id| glob_match(r, id)))
            .collect();
        if rows.is_empty() {
            let ids: Vec<&str> = table.rows.iter().filter_map(|x| x.id.as_deref()).collect();
            return Err(invalid(format!(
                "riga «{r}» inesistente nella tabella «{t}»; righe con id: {}",
                ids.join(", ")
            )));
        }
        let figure = |x: &Row| x.cells.get(col).and_then(|v| v.number());
        if r.contains('*') {
            return Ok(rows.iter().filter_map(|x| figure(x)).collect());
        }
        rows.iter()
            .map(|x| {
                figure(x).ok_or_else(|| {
                    FormulaErrorKind::Missing(format!("la cella «{path}» non contiene un numero"))
                })
            })
            .collect()
    }

    fn quantity(&self, name: &str) -> Result<Decimal, FormulaErrorKind> {
        if let Some(v) = self.done.borrow().get(name) {
            return Ok(*v);
        }
        let (spec, src, i) = *self
            .specs
            .get(name)
            .ok_or_else(|| FormulaErrorKind::Invalid(format!("grandezza «{name}» inesistente")))?;
        if self.stack.borrow().iter().any(|n| n == name) {
            return Err(FormulaErrorKind::Invalid(format!(
                "riferimento circolare: «{name}» dipende da se stessa ({})",
                self.stack.borrow().join(" → ")
            )));
        }
        self.stack.borrow_mut().push(name.to_string());
        let result = evaluate_quantity(self, spec, src, i).map_err(|d| {
            FormulaErrorKind::Invalid(format!(
                "la grandezza «{name}» non è calcolabile ({})",
                d.message
            ))
        });
        self.stack.borrow_mut().pop();
        let v = result?;
        self.done.borrow_mut().insert(name.to_string(), v);
        Ok(v)
    }
}

impl Env for QuantityEnv<'_> {
    fn value(&self, name: &str) -> Result<Decimal, FormulaErrorKind> {
        if name.contains('.') {
            // Without `*` the row is one id, and row ids are unique in a table.
            self.cell(name)?.first().copied().ok_or_else(|| {
                FormulaErrorKind::Missing(format!("la cella «{name}» non contiene un numero"))
            })
        } else {
            self.quantity(name)
        }
    }
    fn values(&self, pattern: &str) -> Result<Vec<Decimal>, FormulaErrorKind> {
        self.cell(pattern)
    }
}

/// Evaluates a formula over the computed tables and quantities (the charts' values).
pub fn evaluate(
    expr: &Expr,
    tables: &BTreeMap<String, Table>,
    quantities: &BTreeMap<String, Quantity>,
) -> Result<Decimal, FormulaError> {
    expr.eval(&QuantityEnv::computed(tables, quantities))
}

fn evaluate_quantity(
    env: &QuantityEnv,
    spec: &QuantitySpec,
    src: &CalcSource,
    i: usize,
) -> Result<Decimal, Diagnostic> {
    let file = JsonFile::new(&src.path, &src.text);
    let base = [Step::Key("grandezze"), Step::Index(i)];
    match (&spec.value, &spec.formula) {
        (Some(v), None) => Ok(v.0),
        (None, Some(text)) => {
            let at = [base[0], base[1], Step::Key("formula")];
            let expr = parse_at(&file, &at, text)?;
            expr.eval(env).map_err(|e| e.located(&file, &at))
        }
        _ => Err(file.error(
            &base,
            "una grandezza ha esattamente uno tra «valore» (dato primario) e «formula»",
        )),
    }
}

/// Every quantity of every `calcoli.json`. `given` are quantities other steps derive (the
/// counts of objectives): formulas may use them by name, and no `calcoli.json` may redefine
/// them.
pub fn compute_quantities(
    calcs: &[CalcSource],
    tables: &BTreeMap<String, Table>,
    given: &[(String, Quantity)],
    checks: &mut Vec<Check>,
) -> Result<BTreeMap<String, Quantity>, Diagnostic> {
    let mut specs = BTreeMap::new();
    for src in calcs {
        let file = JsonFile::new(&src.path, &src.text);
        for (i, q) in src.spec.quantities.iter().enumerate() {
            let at = [Step::Key("grandezze"), Step::Index(i), Step::Key("id")];
            if !is_identifier(&q.id) {
                return Err(file.error(
                    &at,
                    format!(
                        "identificativo di grandezza non valido «{}»: usare lettere minuscole, cifre e _",
                        q.id
                    ),
                ));
            }
            format::check_decimals(q.decimals).map_err(|m| {
                file.error(
                    &[
                        Step::Key("grandezze"),
                        Step::Index(i),
                        Step::Key("decimali"),
                    ],
                    m,
                )
            })?;
            if given.iter().any(|(id, _)| *id == q.id) {
                return Err(file.error(
                    &at,
                    format!(
                        "«{}» è una grandezza ricavata dagli obiettivi: sceglierne un altro nome",
                        q.id
                    ),
                ));
            }
            if let Some((_, other, _)) = specs.insert(q.id.as_str(), (q, src, i)) {
                return Err(file.error(
                    &at,
                    format!(
                        "grandezza «{}» già definita in {}",
                        q.id,
                        other.path.display()
                    ),
                ));
            }
        }
    }
    let env = QuantityEnv {
        tables,
        specs,
        done: RefCell::new(given.iter().map(|(k, q)| (k.clone(), q.value)).collect()),
        stack: RefCell::new(Vec::new()),
    };
    let mut out: BTreeMap<String, Quantity> = given.iter().cloned().collect();
    for src in calcs {
        let file = JsonFile::new(&src.path, &src.text);
        for (i, q) in src.spec.quantities.iter().enumerate() {
            // Already computed when an earlier quantity referred to it.
            let cached = env.done.borrow().get(&q.id).copied();
            let value = match cached {
                Some(v) => v,
                None => {
                    env.stack.borrow_mut().push(q.id.clone());
                    let v = evaluate_quantity(&env, q, src, i);
                    env.stack.borrow_mut().clear();
                    let v = v?;
                    env.done.borrow_mut().insert(q.id.clone(), v);
                    v
                }
            };
            let quantity = Quantity {
                value,
                unit: q.unit,
                decimals: q.decimals,
            };
            checks.extend(declared::compare_quantity(&file, i, q, &quantity));
            out.insert(q.id.clone(), quantity);
        }
    }
    Ok(out)
}

/// The `verifiche` of every `calcoli.json`, over the computed tables and quantities; a
/// violated one lists the figures it read, located in `sources` (the tables as written).
pub fn run_checks(
    calcs: &[CalcSource],
    sources: &BTreeMap<String, TableSource>,
    tables: &BTreeMap<String, Table>,
    quantities: &BTreeMap<String, Quantity>,
    checks: &mut Vec<Check>,
) -> Result<(), Diagnostic> {
    let env = QuantityEnv::computed(tables, quantities);
    for src in calcs {
        let file = JsonFile::new(&src.path, &src.text);
        for (i, v) in src.spec.checks.iter().enumerate() {
            let at = [
                Step::Key("verifiche"),
                Step::Index(i),
                Step::Key("condizione"),
            ];
            let located = |e: FormulaError| e.located(&file, &at);
            let cond = formula::parse_condition(&v.condition).map_err(located)?;
            let left = cond.left.eval(&env).map_err(located)?;
            let right = cond.right.eval(&env).map_err(located)?;
            let result = if cond.cmp.holds(left, right) {
                CheckResult::Passed
            } else {
                let refs = cond.left.refs().into_iter().chain(cond.right.refs());
                CheckResult::Violated {
                    condition: v.condition.clone(),
                    left: format::plain(left),
                    right: format::plain(right),
                    read: readings(
                        refs.map(|(name, _)| name),
                        calcs,
                        sources,
                        tables,
                        quantities,
                    ),
                }
            };
            checks.push(Check {
                kind: CheckKind::Condition,
                description: v.description.clone(),
                at: file.at(&at),
                result,
                accepted: v.accepted.clone(),
            });
        }
    }
    Ok(())
}

//! Quantities and checks of `calcoli.json`: named figures over the tables (and over each
//! other, evaluated on demand with cycles refused), and the conditions the figures must meet.

use super::declared;
use super::formula::{self, Env, Expr, FormulaError, FormulaErrorKind, glob_match, parse_at};
use super::model::Readings;
use super::model::{Check, CheckKind, CheckResult, Quantity, Row, RowKind, Table};
use super::readings::readings;
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{CalcSource, QuantitySpec, TableSource};
use crate::diag::Diagnostic;
use crate::format;
use crate::names::is_identifier;
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The quantities of every `calcoli.json` by id, each checked once: a valid id, valid
/// decimals, not one of the `given` names, not defined twice.
pub struct Specs<'a> {
    by_id: BTreeMap<&'a str, (&'a QuantitySpec, &'a CalcSource, usize)>,
}

impl<'a> Specs<'a> {
    /// The formula of quantity `id`, if it is one (and not a primary input).
    pub fn formula(&self, id: &str) -> Option<&'a str> {
        self.by_id
            .get(id)
            .and_then(|(q, _, _)| q.formula.as_deref())
    }
}

/// Reads and checks the quantities' declarations; `given` are the quantities other steps
/// derive (the counts of objectives), which no `calcoli.json` may redefine.
pub fn specs<'a>(
    calcs: &'a [CalcSource],
    given: &[(String, Quantity)],
) -> Result<Specs<'a>, Diagnostic> {
    let mut by_id = BTreeMap::new();
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
            if let Some((_, other, _)) = by_id.insert(q.id.as_str(), (q, src, i)) {
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
    Ok(Specs { by_id })
}

/// References of quantities and checks: `tabella.riga.colonna` (row may be a `*` pattern
/// inside `somma`) and the ids of other quantities, evaluated on demand. The tables may be
/// only those computed so far: a table whose cells read quantities is computed after the
/// tables those quantities read (see [`super::order`]).
pub struct QuantityEnv<'a> {
    tables: &'a BTreeMap<String, Table>,
    specs: Option<&'a Specs<'a>>,
    done: RefCell<BTreeMap<String, Decimal>>,
    stack: RefCell<Vec<String>>,
}

impl<'a> QuantityEnv<'a> {
    /// An environment that computes the quantities of `specs` when asked.
    pub fn new(
        tables: &'a BTreeMap<String, Table>,
        specs: &'a Specs<'a>,
        given: &[(String, Quantity)],
    ) -> Self {
        QuantityEnv {
            tables,
            specs: Some(specs),
            done: RefCell::new(given.iter().map(|(k, q)| (k.clone(), q.value)).collect()),
            stack: RefCell::new(Vec::new()),
        }
    }

    /// An environment where the quantities are already known.
    fn computed(
        tables: &'a BTreeMap<String, Table>,
        quantities: &BTreeMap<String, Quantity>,
    ) -> Self {
        QuantityEnv {
            tables,
            specs: None,
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
        if path.contains(formula::ROW) {
            return Err(invalid(format!(
                "«{}» vale solo dove c'è una riga: nei calcoli di una tabella e nelle verifiche riga per riga",
                formula::ROW
            )));
        }
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
            .and_then(|s| s.by_id.get(name))
            .ok_or_else(|| unknown(name))?;
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

/// The error for a name that is no quantity.
pub fn unknown(name: &str) -> FormulaErrorKind {
    FormulaErrorKind::Invalid(format!("grandezza «{name}» inesistente"))
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

/// Every quantity of every `calcoli.json`, over the computed tables. `given` are quantities
/// other steps derive (the counts of objectives): formulas may use them by name.
pub fn compute_quantities(
    calcs: &[CalcSource],
    specs: &Specs,
    tables: &BTreeMap<String, Table>,
    given: &[(String, Quantity)],
    checks: &mut Vec<Check>,
) -> Result<BTreeMap<String, Quantity>, Diagnostic> {
    let env = QuantityEnv::new(tables, specs, given);
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
                printed: Default::default(),
            };
            checks.extend(declared::compare_quantity(&file, i, q, &quantity));
            out.insert(q.id.clone(), quantity);
        }
    }
    Ok(out)
}

/// The `verifiche` of every `calcoli.json`, over the computed tables and quantities; a
/// violated one lists the figures it read, located in `sources` (the tables as written). A
/// condition with `{riga}` compares tables row by row (see [`compared_rows`]): each row that
/// fails is a check of its own, named by the row.
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
            let check = |description: String, result| Check {
                kind: CheckKind::Condition,
                description,
                at: file.at(&at),
                result,
                accepted: v.accepted.clone(),
            };
            let names = || cond.left.refs().into_iter().chain(cond.right.refs());
            let read = |row: Option<&str>| {
                let names: Vec<String> = names()
                    .map(|(n, _)| row.map_or_else(|| n.to_string(), |r| formula::for_row(n, r)))
                    .collect();
                readings(
                    names.iter().map(String::as_str),
                    calcs,
                    sources,
                    tables,
                    quantities,
                )
            };
            let Some(rows) = compared_rows(&cond, tables).map_err(|m| file.error(&at, m))? else {
                let result =
                    condition_result(&cond, &v.condition, &env, || read(None)).map_err(located)?;
                checks.push(check(v.description.clone(), result));
                continue;
            };
            let mut failed = false;
            for (id, label) in &rows {
                let row_env = formula::ForRow {
                    inner: &env,
                    row: id,
                };
                let condition = formula::for_row(&v.condition, id);
                let result = condition_result(&cond, &condition, &row_env, || read(Some(id)))
                    .map_err(located)?;
                if result != CheckResult::Passed {
                    failed = true;
                    checks.push(check(format!("{} (riga «{label}»)", v.description), result));
                }
            }
            if !failed {
                checks.push(check(v.description.clone(), CheckResult::Passed));
            }
        }
    }
    Ok(())
}

/// A condition's outcome; a violated one carries its text `text` and, from `read`, the
/// figures it read.
fn condition_result(
    cond: &formula::Condition,
    text: &str,
    env: &dyn Env,
    read: impl FnOnce() -> Readings,
) -> Result<CheckResult, FormulaError> {
    let left = cond.left.eval(env)?;
    let right = cond.right.eval(env)?;
    Ok(if cond.cmp.holds(left, right) {
        CheckResult::Passed
    } else {
        CheckResult::Violated {
            condition: text.to_string(),
            left: format::plain(left),
            right: format::plain(right),
            read: read(),
        }
    })
}

/// The rows a `{riga}` condition runs over, with their labels: the data rows with an id of
/// the first table it reads with `{riga}` as the row (`t.{riga}.c`); each must be in every
/// other table read that way (a category missing there is itself a disagreement). Elsewhere
/// `{riga}` names the same id as a column (`t.r.{riga}`), for a table laid out the other way.
/// `None` for a condition without `{riga}`.
fn compared_rows(
    cond: &formula::Condition,
    tables: &BTreeMap<String, Table>,
) -> Result<Option<Vec<(String, String)>>, String> {
    let refs = || cond.left.refs().into_iter().chain(cond.right.refs());
    let mut read: Vec<&str> = Vec::new();
    for (name, _) in refs() {
        let mut parts = name.split('.');
        if let (Some(table), Some(formula::ROW)) = (parts.next(), parts.next())
            && !read.contains(&table)
        {
            read.push(table);
        }
    }
    let data_rows = |t: &str| -> Result<Vec<(String, String)>, String> {
        let table = tables
            .get(t)
            .ok_or_else(|| format!("tabella «{t}» inesistente"))?;
        Ok(table
            .rows
            .iter()
            .filter(|r| r.kind == RowKind::Data)
            .filter_map(|r| r.id.clone().map(|id| (id, r.label())))
            .collect())
    };
    let Some((first, others)) = read.split_first() else {
        if refs().any(|(n, _)| n.contains(formula::ROW)) {
            return Err(format!(
                "«{0}» deve stare almeno una volta al posto della riga («tabella.{0}.colonna»): è lì che si dice quali righe confrontare",
                formula::ROW
            ));
        }
        return Ok(None);
    };
    let rows = data_rows(first)?;
    for other in others {
        let theirs = data_rows(other)?;
        if let Some((id, _)) = rows
            .iter()
            .find(|(id, _)| !theirs.iter().any(|(t, _)| t == id))
        {
            return Err(format!(
                "confronto riga per riga: la riga «{id}» della tabella «{first}» manca nella tabella «{other}»"
            ));
        }
    }
    Ok(Some(rows))
}

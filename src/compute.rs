//! Stage 2: derive every computed figure from the primary data with exact decimals. Totals,
//! computed columns and computed rows are never read from the content: the values the
//! published document prints (`dichiarato`) are only compared against them.

use crate::cascade;
use crate::charts;
use crate::diag::{Diagnostic, line_col};
use crate::format;
use crate::formula::{self, Env, Expr, FormulaError, glob_match};
use crate::jsonpos::{Step, locate};
use crate::load::is_identifier;
use crate::model::{
    Book, CalcSource, Cell, ColumnKind, HeaderCell, QuantitySpec, Revision, RowSpec, TableSource,
    TotalRule, Unit,
};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// A table with every cell resolved, ready to render.
#[derive(Debug, Clone)]
pub struct Table {
    pub id: String,
    pub titolo: String,
    pub columns: Vec<Column>,
    /// Header rows; one row of column titles unless the content gives its own.
    pub header: Vec<Vec<HeaderCell>>,
    pub rows: Vec<Row>,
    pub fonte: Option<String>,
    pub note: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub id: String,
    pub titolo: String,
    pub kind: ColumnKind,
    pub decimals: u32,
    pub computed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Data,
    Total,
    Group,
    Calc,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub id: Option<String>,
    pub kind: RowKind,
    /// One value per column (for a group row: its texts, see `group`).
    pub cells: Vec<Value>,
    /// Texts of a group row, spanning the columns when there is a single one.
    pub group: Vec<String>,
    pub decimals: Option<u32>,
    pub emphasis: bool,
}

/// A resolved cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    /// Shown as "-": a figure that has no meaning here (a rate in a total row).
    Dash,
    Number(Decimal),
    Text(String),
    Revised(Box<Revision<Value>>),
}

impl Value {
    fn from_cell(cell: &Cell) -> Value {
        match cell {
            Cell::Empty => Value::Empty,
            Cell::Number(n) => Value::Number(*n),
            Cell::Text(t) => Value::Text(t.clone()),
            Cell::Revised(r) => Value::Revised(Box::new(Revision {
                vecchio: Value::from_cell(&r.vecchio),
                nuovo: Value::from_cell(&r.nuovo),
                motivo: r.motivo.clone(),
            })),
        }
    }

    /// The value in force: the new one of a revision.
    pub fn current(&self) -> &Value {
        match self {
            Value::Revised(r) => r.nuovo.current(),
            other => other,
        }
    }

    pub fn number(&self) -> Option<Decimal> {
        match self.current() {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
}

impl Table {
    /// Decimals a cell is displayed with.
    pub fn decimals(&self, row: &Row, col: usize) -> u32 {
        row.decimals.unwrap_or(self.columns[col].decimals)
    }

    /// The plain Italian text of a cell as the table shows it (the value in force).
    pub fn display(&self, row: &Row, col: usize) -> String {
        display_value(
            row.cells[col].current(),
            self.columns[col].kind,
            self.decimals(row, col),
        )
    }
}

/// Italian text of a value of a column of the given kind.
pub fn display_value(value: &Value, kind: ColumnKind, decimals: u32) -> String {
    match value.current() {
        Value::Empty => String::new(),
        Value::Dash => "-".to_string(),
        Value::Text(t) => t.clone(),
        Value::Number(n) if kind == ColumnKind::Percentuale => format::percent(*n, decimals),
        Value::Number(n) => format::number(*n, decimals),
        Value::Revised(_) => unreachable!("current() resolves revisions"),
    }
}

/// A named figure of the document: a primary input or a formula's result.
#[derive(Debug, Clone)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: Unit,
    pub decimals: u32,
}

impl Quantity {
    /// The figure as prose prints it: `106`, `68,4%`, `€ 294.152,87`.
    pub fn display(&self) -> String {
        match self.unit {
            Unit::Numero => format::number(self.value, self.decimals),
            Unit::Percentuale => format::percent(self.value, self.decimals),
            Unit::Euro => format!("€ {}", format::number(self.value, self.decimals)),
        }
    }
}

/// What kind of check produced a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckKind {
    /// A figure printed in a table compared with the computed one.
    Totale,
    /// A figure printed in the prose compared with the computed quantity.
    Grandezza,
    /// An invariant the figures must satisfy.
    Verifica,
    /// Weights of the performance cascade summing to 100, and the lists repeating them.
    Pesi,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "esito", rename_all = "lowercase")]
pub enum CheckResult {
    Superata,
    /// The published document prints another figure than the computed one.
    Disaccordo {
        dichiarato: String,
        calcolato: String,
    },
    /// A group of weights does not sum to what it must.
    Somma {
        attesa: String,
        calcolata: String,
    },
    /// An invariant does not hold: both sides with their values.
    Violata {
        condizione: String,
        sinistra: String,
        destra: String,
    },
}

/// One check run, with where its subject is written.
#[derive(Debug, Clone)]
pub struct Check {
    pub kind: CheckKind,
    pub descrizione: String,
    pub at: Diagnostic,
    pub result: CheckResult,
    /// For an accepted violation: the reason the content gives.
    pub accettata: Option<String>,
}

/// The computed document: tables by id, quantities by id, every revision of the update, and
/// every check run while computing.
#[derive(Debug, Clone)]
pub struct Computed {
    pub tables: BTreeMap<String, Table>,
    pub quantities: BTreeMap<String, Quantity>,
    /// Charts with their values, by id.
    pub charts: BTreeMap<String, charts::Chart>,
    pub revisions: Vec<RevisionAt>,
    pub checks: Vec<Check>,
}

/// A revision of the update with where it is written: in a page (CriticMarkup) or in a
/// table cell. Values are as written (Markdown for prose, Italian figures for cells).
#[derive(Debug, Clone)]
pub struct RevisionAt {
    pub at: Diagnostic,
    pub revision: Revision<String>,
    /// What the revision changes, for a structured value (`Target 2025 – indicatore «…»`).
    pub campo: Option<String>,
    /// The act that approved it, when the content names one other than the edition's.
    pub atto: Option<String>,
    /// Whether the values are Markdown (prose) rather than plain figures and names.
    pub markdown: bool,
}

/// One header row of column titles: the header of a table that does not give its own.
pub fn default_header(columns: &[Column]) -> Vec<Vec<HeaderCell>> {
    vec![
        columns
            .iter()
            .map(|c| HeaderCell {
                testo: c.titolo.clone(),
                colonne: 1,
                righe: 1,
            })
            .collect(),
    ]
}

/// Computes every table, then every quantity, then runs the checks of `calcoli.json`.
/// Revisions here are those of table cells; the prose's come with the expanded pages.
pub fn compute(book: &Book) -> Result<Computed, Diagnostic> {
    let mut tables = BTreeMap::new();
    let mut checks = Vec::new();
    let mut revisions = Vec::new();
    for source in book.tables.values() {
        let table = compute_table(source, &mut checks)?;
        revisions.extend(table_revisions(source, &table));
        tables.insert(source.id.clone(), table);
    }
    let mut given = Vec::new();
    if let Some(objs) = &book.objectives {
        let derived = cascade::derive(objs)?;
        for t in derived.tables {
            if let Some(src) = book.tables.get(&t.id) {
                return Err(Diagnostic::at_file(
                    &src.path,
                    format!(
                        "la tabella «{}» è ricavata dagli obiettivi (cartella obiettivi/): eliminare questo file",
                        t.id
                    ),
                ));
            }
            tables.insert(t.id.clone(), t);
        }
        checks.extend(derived.checks);
        revisions.extend(derived.revisions);
        given = derived.quantities;
    }
    let quantities = compute_quantities(&book.calcs, &tables, &given, &mut checks)?;
    run_checks(&book.calcs, &tables, &quantities, &mut checks)?;
    let charts = charts::compute(&book.charts, &|expr| evaluate(expr, &tables, &quantities))?;
    for c in charts.values() {
        if let Some(t) = &c.table
            && !tables.contains_key(t)
        {
            return Err(c.at.clone().with_message(format!(
                "tabella «{t}» inesistente: il grafico rimanda ai dati di una tabella del documento"
            )));
        }
    }
    let order = |d: &Diagnostic| (d.file.clone(), d.line, d.column);
    revisions.sort_by_key(|r| order(&r.at));
    checks.sort_by_key(|c| order(&c.at));
    Ok(Computed {
        tables,
        quantities,
        charts,
        revisions,
        checks,
    })
}

/// Evaluates a formula over the computed tables and quantities.
fn evaluate(
    expr: &Expr,
    tables: &BTreeMap<String, Table>,
    quantities: &BTreeMap<String, Quantity>,
) -> Result<Decimal, FormulaError> {
    let env = QuantityEnv {
        tables,
        specs: BTreeMap::new(),
        done: RefCell::new(
            quantities
                .iter()
                .map(|(k, q)| (k.clone(), q.value))
                .collect(),
        ),
        stack: RefCell::new(Vec::new()),
    };
    expr.eval(&env)
}

/// Positions inside one JSON file.
struct Ctx<'a> {
    path: &'a std::path::Path,
    text: &'a str,
}

impl Ctx<'_> {
    fn at(&self, path: &[Step<'_>]) -> Diagnostic {
        let (line, col) = line_col(self.text, locate(self.text, path));
        Diagnostic::new(self.path, line, col, "")
    }

    fn err(&self, path: &[Step<'_>], message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            ..self.at(path)
        }
    }

    /// A formula error inside the JSON string at `path`, pointing at the formula's character.
    fn formula_err(&self, path: &[Step<'_>], e: &FormulaError) -> Diagnostic {
        let start = locate(self.text, path) + 1 + e.offset;
        let (line, col) = line_col(self.text, start);
        Diagnostic::new(self.path, line, col, format!("formula: {}", e.message))
    }

    fn parse(&self, path: &[Step<'_>], src: &str) -> Result<Expr, Diagnostic> {
        formula::parse(src).map_err(|e| self.formula_err(path, &e))
    }
}

/// Row values by column id, for column formulas.
struct RowEnv<'a> {
    columns: &'a [Column],
    cells: &'a [Value],
}

impl Env for RowEnv<'_> {
    fn value(&self, name: &str) -> Result<Decimal, String> {
        let i = self
            .columns
            .iter()
            .position(|c| c.id == name)
            .ok_or_else(|| format!("colonna «{name}» sconosciuta"))?;
        self.cells[i]
            .number()
            .ok_or_else(|| format!("la colonna «{name}» non ha un valore numerico in questa riga"))
    }
    fn values(&self, pattern: &str) -> Result<Vec<Decimal>, String> {
        Ok(self
            .columns
            .iter()
            .zip(self.cells)
            .filter(|(c, _)| glob_match(pattern, &c.id))
            .filter_map(|(_, v)| v.number())
            .collect())
    }
}

/// One column's values by row id, for row formulas.
struct ColumnEnv<'a> {
    rows: &'a [Row],
    col: usize,
}

impl Env for ColumnEnv<'_> {
    fn value(&self, name: &str) -> Result<Decimal, String> {
        let row = self
            .rows
            .iter()
            .find(|r| r.id.as_deref() == Some(name))
            .ok_or_else(|| format!("riga «{name}» sconosciuta"))?;
        row.cells[self.col]
            .number()
            .ok_or_else(|| format!("la riga «{name}» non ha un valore numerico in questa colonna"))
    }
    fn values(&self, pattern: &str) -> Result<Vec<Decimal>, String> {
        Ok(self
            .rows
            .iter()
            .filter(|r| r.id.as_deref().is_some_and(|id| glob_match(pattern, id)))
            .filter_map(|r| r.cells[self.col].number())
            .collect())
    }
}

fn compute_table(src: &TableSource, checks: &mut Vec<Check>) -> Result<Table, Diagnostic> {
    let ctx = Ctx {
        path: &src.path,
        text: &src.text,
    };
    let spec = &src.spec;
    if spec.colonne.is_empty() {
        return Err(ctx.err(
            &[Step::Key("colonne")],
            "la tabella deve avere almeno una colonna",
        ));
    }
    let mut formulas: Vec<Option<Expr>> = Vec::new();
    for (i, c) in spec.colonne.iter().enumerate() {
        let at = [Step::Key("colonne"), Step::Index(i), Step::Key("id")];
        if !is_identifier(&c.id) {
            return Err(ctx.err(
                &at,
                format!(
                    "identificativo di colonna non valido «{}»: usare lettere minuscole, cifre e _",
                    c.id
                ),
            ));
        }
        if spec.colonne[..i].iter().any(|o| o.id == c.id) {
            return Err(ctx.err(&at, format!("colonna «{}» ripetuta", c.id)));
        }
        let formula = match &c.calcolo {
            None => None,
            Some(text) => {
                let at = [Step::Key("colonne"), Step::Index(i), Step::Key("calcolo")];
                if c.tipo == ColumnKind::Testo {
                    return Err(ctx.err(&at, "una colonna di testo non può essere calcolata"));
                }
                let expr = ctx.parse(&at, text)?;
                for (name, offset) in expr.refs() {
                    let known = spec.colonne[..i]
                        .iter()
                        .any(|o| glob_match(name, &o.id) && o.tipo != ColumnKind::Testo);
                    if !known {
                        let e = FormulaError {
                            offset,
                            message: format!(
                                "colonna «{name}» sconosciuta o di testo: il calcolo può usare solo colonne numeriche definite prima di «{}»",
                                c.id
                            ),
                        };
                        return Err(ctx.formula_err(&at, &e));
                    }
                }
                Some(expr)
            }
        };
        formulas.push(formula);
    }
    let columns: Vec<Column> = spec
        .colonne
        .iter()
        .map(|c| Column {
            id: c.id.clone(),
            titolo: c.titolo.clone(),
            kind: c.tipo,
            decimals: c.decimali,
            computed: c.calcolo.is_some(),
        })
        .collect();
    let inputs: Vec<usize> = (0..columns.len())
        .filter(|&i| !columns[i].computed)
        .collect();
    let fill_columns = |cells: &mut Vec<Value>, aggregate: bool| {
        for (col, f) in formulas.iter().enumerate() {
            let Some(expr) = f else { continue };
            let rule = spec.colonne[col].nei_totali;
            if aggregate && rule != TotalRule::Formula {
                continue;
            }
            let env = RowEnv {
                columns: &columns,
                cells,
            };
            cells[col] = match expr.eval(&env) {
                Ok(v) => Value::Number(v),
                Err(e) if e.message == "divisione per zero" => Value::Dash,
                Err(_) => Value::Empty,
            };
        }
    };

    let mut rows: Vec<Row> = Vec::with_capacity(spec.righe.len());
    let mut group_start = 0usize;
    for (ri, rs) in spec.righe.iter().enumerate() {
        let at_row = [Step::Key("righe"), Step::Index(ri)];
        let kinds = [
            rs.valori.is_some(),
            rs.totale.is_some(),
            rs.gruppo.is_some(),
            rs.calcolo.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(ctx.err(
                &at_row,
                "ogni riga deve avere esattamente uno tra «valori», «totale», «gruppo» e «calcolo»",
            ));
        }
        if rs.etichetta.is_some() && rs.calcolo.is_none() {
            return Err(ctx.err(
                &[at_row[0], at_row[1], Step::Key("etichetta")],
                "«etichetta» vale solo per le righe con «calcolo»",
            ));
        }
        if let Some(id) = &rs.id {
            let at = [at_row[0], at_row[1], Step::Key("id")];
            if !is_identifier(id) {
                return Err(ctx.err(&at, format!("identificativo di riga non valido «{id}»: usare lettere minuscole, cifre e _")));
            }
            if rows.iter().any(|r| r.id.as_deref() == Some(id)) {
                return Err(ctx.err(&at, format!("riga «{id}» ripetuta")));
            }
        }
        let row = if let Some(values) = &rs.valori {
            if values.len() != inputs.len() {
                let names: Vec<&str> = inputs.iter().map(|&i| columns[i].id.as_str()).collect();
                return Err(ctx.err(
                    &[at_row[0], at_row[1], Step::Key("valori")],
                    format!(
                        "attesi {} valori (colonne {}), trovati {}",
                        inputs.len(),
                        names.join(", "),
                        values.len()
                    ),
                ));
            }
            let mut cells = vec![Value::Empty; columns.len()];
            for (k, (&col, cell)) in inputs.iter().zip(values).enumerate() {
                let v = Value::from_cell(cell);
                if columns[col].kind == ColumnKind::Testo && matches!(v.current(), Value::Number(_))
                {
                    return Err(ctx.err(
                        &[at_row[0], at_row[1], Step::Key("valori"), Step::Index(k)],
                        format!(
                            "la colonna «{}» è di testo: scrivere il valore tra virgolette",
                            columns[col].id
                        ),
                    ));
                }
                cells[col] = v;
            }
            fill_columns(&mut cells, false);
            Row {
                id: rs.id.clone(),
                kind: RowKind::Data,
                cells,
                group: vec![],
                decimals: rs.decimali,
                emphasis: rs.evidenza,
            }
        } else if let Some(label) = &rs.totale {
            let members: Vec<usize> = (group_start..rows.len())
                .filter(|&j| rows[j].kind == RowKind::Data)
                .collect();
            if members.is_empty() {
                return Err(ctx.err(
                    &at_row,
                    "riga di totale senza righe di dati da sommare prima di essa",
                ));
            }
            let mut cells = vec![Value::Empty; columns.len()];
            for (col, c) in columns.iter().enumerate() {
                if c.kind == ColumnKind::Testo {
                    continue;
                }
                if spec.colonne[col].nei_totali == TotalRule::No {
                    cells[col] = Value::Dash;
                    continue;
                }
                let mut sum = Decimal::ZERO;
                for &j in &members {
                    match rows[j].cells[col].current() {
                        Value::Number(n) => sum += n,
                        Value::Empty | Value::Dash => {}
                        other => {
                            return Err(ctx.err(
                                &[Step::Key("righe"), Step::Index(j)],
                                format!("valore non numerico «{}» nella colonna «{}», che entra nel totale della riga {}: usare un numero o \"nei_totali\": \"no\"", display_value(other, c.kind, 0), c.id, ri + 1),
                            ));
                        }
                    }
                }
                cells[col] = Value::Number(sum);
            }
            fill_columns(&mut cells, true);
            put_label(&ctx, &at_row, &columns, &mut cells, label)?;
            Row {
                id: rs.id.clone(),
                kind: RowKind::Total,
                cells,
                group: vec![],
                decimals: rs.decimali,
                emphasis: true,
            }
        } else if let Some(texts) = &rs.gruppo {
            if texts.is_empty() || (texts.len() != 1 && texts.len() != columns.len()) {
                return Err(ctx.err(
                    &[at_row[0], at_row[1], Step::Key("gruppo")],
                    format!(
                        "un gruppo ha un solo testo oppure uno per colonna ({})",
                        columns.len()
                    ),
                ));
            }
            Row {
                id: rs.id.clone(),
                kind: RowKind::Group,
                cells: vec![Value::Empty; columns.len()],
                group: texts.clone(),
                decimals: None,
                emphasis: true,
            }
        } else {
            let text = rs.calcolo.as_deref().expect("checked above");
            let at = [at_row[0], at_row[1], Step::Key("calcolo")];
            let expr = ctx.parse(&at, text)?;
            for (name, offset) in expr.refs() {
                if !rows
                    .iter()
                    .any(|r| r.id.as_deref().is_some_and(|id| glob_match(name, id)))
                {
                    let e = FormulaError {
                        offset,
                        message: format!(
                            "riga «{name}» sconosciuta: il calcolo può usare solo righe con id definite prima"
                        ),
                    };
                    return Err(ctx.formula_err(&at, &e));
                }
            }
            let mut cells = vec![Value::Empty; columns.len()];
            for (col, c) in columns.iter().enumerate() {
                if c.kind == ColumnKind::Testo {
                    continue;
                }
                cells[col] = match spec.colonne[col].nei_totali {
                    TotalRule::No => Value::Dash,
                    _ => expr
                        .eval(&ColumnEnv { rows: &rows, col })
                        .map_or(Value::Dash, Value::Number),
                };
            }
            fill_columns(&mut cells, true);
            let label = rs.etichetta.clone().unwrap_or_default();
            put_label(&ctx, &at_row, &columns, &mut cells, &label)?;
            Row {
                id: rs.id.clone(),
                kind: RowKind::Calc,
                cells,
                group: vec![],
                decimals: rs.decimali,
                emphasis: true,
            }
        };
        if matches!(row.kind, RowKind::Total | RowKind::Group) {
            group_start = rows.len() + 1;
        }
        compare_declared(&ctx, &spec.titolo, ri, rs, &row, &columns, checks)?;
        rows.push(row);
    }

    let header = match &spec.intestazioni {
        Some(h) => h.clone(),
        None => default_header(&columns),
    };
    if let Some(first) = header.first() {
        let span: u32 = first.iter().map(|h| h.colonne).sum();
        if span as usize != columns.len() {
            return Err(ctx.err(
                &[Step::Key("intestazioni"), Step::Index(0)],
                format!(
                    "la prima riga d'intestazione copre {span} colonne, la tabella ne ha {}",
                    columns.len()
                ),
            ));
        }
    }
    Ok(Table {
        id: src.id.clone(),
        titolo: spec.titolo.clone(),
        columns,
        header,
        rows,
        fonte: spec.fonte.clone(),
        note: spec.note.clone(),
    })
}

fn put_label(
    ctx: &Ctx,
    at: &[Step<'_>],
    columns: &[Column],
    cells: &mut [Value],
    label: &str,
) -> Result<(), Diagnostic> {
    if columns[0].kind != ColumnKind::Testo {
        return Err(ctx.err(at, "le righe di totale e di calcolo mettono l'etichetta nella prima colonna, che deve essere di testo"));
    }
    cells[0] = Value::Text(label.to_string());
    Ok(())
}

/// Compares the printed figures of a row with the computed ones, at the decimals the table
/// shows; every comparison is a check, passed or not.
fn compare_declared(
    ctx: &Ctx,
    title: &str,
    ri: usize,
    rs: &RowSpec,
    row: &Row,
    columns: &[Column],
    checks: &mut Vec<Check>,
) -> Result<(), Diagnostic> {
    for (col_id, declared) in &rs.dichiarato {
        let at = [
            Step::Key("righe"),
            Step::Index(ri),
            Step::Key("dichiarato"),
            Step::Key(col_id),
        ];
        let Some(col) = columns.iter().position(|c| c.id == *col_id) else {
            return Err(ctx.err(&at, format!("colonna «{col_id}» sconosciuta")));
        };
        if row.kind == RowKind::Data && !columns[col].computed {
            return Err(ctx.err(
                &at,
                format!(
                    "la colonna «{col_id}» non è calcolata in questa riga: il valore va in «valori»"
                ),
            ));
        }
        let decimals = row.decimals.unwrap_or(columns[col].decimals);
        let shown = |v: Decimal| display_value(&Value::Number(v), columns[col].kind, decimals);
        let Some(computed) = row.cells[col].number() else {
            return Err(ctx.err(&at, format!("la cella calcolata della colonna «{col_id}» non ha un valore numerico da confrontare")));
        };
        let result = if format::round(computed, decimals) == format::round(declared.0, decimals) {
            CheckResult::Superata
        } else {
            CheckResult::Disaccordo {
                dichiarato: shown(declared.0),
                calcolato: shown(computed),
            }
        };
        checks.push(Check {
            kind: CheckKind::Totale,
            descrizione: format!(
                "{}: «{}», colonna «{}»",
                title,
                row_label(row),
                columns[col].titolo
            ),
            at: ctx.at(&at),
            result,
            accettata: None,
        });
    }
    Ok(())
}

/// How a reader names a row: its first cell's text, the struck one for a removed row.
fn row_label(row: &Row) -> String {
    let first = row.cells.first().map(|v| match v {
        Value::Revised(r) if r.nuovo == Value::Empty => &r.vecchio,
        other => other.current(),
    });
    match first {
        Some(Value::Text(t)) => t.replace("**", ""),
        _ => row.id.clone().unwrap_or_default(),
    }
}

/// References of quantities and checks: `tabella.riga.colonna` (row may be a `*` pattern
/// inside `somma`) and the ids of other quantities, evaluated on demand.
struct QuantityEnv<'a> {
    tables: &'a BTreeMap<String, Table>,
    specs: BTreeMap<&'a str, (&'a QuantitySpec, &'a CalcSource, usize)>,
    done: RefCell<BTreeMap<String, Decimal>>,
    stack: RefCell<Vec<String>>,
}

impl QuantityEnv<'_> {
    fn cell(&self, path: &str) -> Result<Vec<Decimal>, String> {
        let parts: Vec<&str> = path.split('.').collect();
        let [t, r, c] = parts.as_slice() else {
            return Err(format!(
                "riferimento «{path}» non valido: usare «tabella.riga.colonna» oppure il nome di una grandezza"
            ));
        };
        let table = self
            .tables
            .get(*t)
            .ok_or_else(|| format!("tabella «{t}» inesistente"))?;
        let col = table
            .columns
            .iter()
            .position(|x| x.id == *c)
            .ok_or_else(|| {
                let ids: Vec<&str> = table.columns.iter().map(|x| x.id.as_str()).collect();
                format!(
                    "colonna «{c}» inesistente nella tabella «{t}»; colonne: {}",
                    ids.join(", ")
                )
            })?;
        let rows: Vec<&Row> = table
            .rows
            .iter()
            .filter(|x| x.id.as_deref().is_some_and(|id| glob_match(r, id)))
            .collect();
        if rows.is_empty() {
            let ids: Vec<&str> = table.rows.iter().filter_map(|x| x.id.as_deref()).collect();
            return Err(format!(
                "riga «{r}» inesistente nella tabella «{t}»; righe con id: {}",
                ids.join(", ")
            ));
        }
        if r.contains('*') {
            // A pattern sums the figures it finds: blank cells and "-" count as nothing.
            return Ok(rows.iter().filter_map(|x| x.cells[col].number()).collect());
        }
        rows.iter()
            .map(|x| {
                x.cells[col]
                    .number()
                    .ok_or_else(|| format!("la cella «{path}» non contiene un numero"))
            })
            .collect()
    }

    fn quantity(&self, name: &str) -> Result<Decimal, String> {
        if let Some(v) = self.done.borrow().get(name) {
            return Ok(*v);
        }
        let (spec, src, i) = *self
            .specs
            .get(name)
            .ok_or_else(|| format!("grandezza «{name}» inesistente"))?;
        if self.stack.borrow().iter().any(|n| n == name) {
            return Err(format!(
                "riferimento circolare: «{name}» dipende da se stessa ({})",
                self.stack.borrow().join(" → ")
            ));
        }
        self.stack.borrow_mut().push(name.to_string());
        let result = evaluate_quantity(self, spec, src, i)
            .map_err(|d| format!("la grandezza «{name}» non è calcolabile ({})", d.message));
        self.stack.borrow_mut().pop();
        let v = result?;
        self.done.borrow_mut().insert(name.to_string(), v);
        Ok(v)
    }
}

impl Env for QuantityEnv<'_> {
    fn value(&self, name: &str) -> Result<Decimal, String> {
        if name.contains('.') {
            self.cell(name).map(|v| v[0])
        } else {
            self.quantity(name)
        }
    }
    fn values(&self, pattern: &str) -> Result<Vec<Decimal>, String> {
        self.cell(pattern)
    }
}

fn evaluate_quantity(
    env: &QuantityEnv,
    spec: &QuantitySpec,
    src: &CalcSource,
    i: usize,
) -> Result<Decimal, Diagnostic> {
    let ctx = Ctx {
        path: &src.path,
        text: &src.text,
    };
    let base = [Step::Key("grandezze"), Step::Index(i)];
    match (&spec.valore, &spec.formula) {
        (Some(v), None) => Ok(v.0),
        (None, Some(text)) => {
            let at = [base[0], base[1], Step::Key("formula")];
            let expr = ctx.parse(&at, text)?;
            expr.eval(env).map_err(|e| ctx.formula_err(&at, &e))
        }
        _ => Err(ctx.err(
            &base,
            "una grandezza ha esattamente uno tra «valore» (dato primario) e «formula»",
        )),
    }
}

/// `given` are quantities other stages derive (the counts of objectives): formulas may use
/// them by name, and no `calcoli.json` may redefine them.
fn compute_quantities(
    calcs: &[CalcSource],
    tables: &BTreeMap<String, Table>,
    given: &[(String, Quantity)],
    checks: &mut Vec<Check>,
) -> Result<BTreeMap<String, Quantity>, Diagnostic> {
    let mut specs = BTreeMap::new();
    for src in calcs {
        let ctx = Ctx {
            path: &src.path,
            text: &src.text,
        };
        for (i, q) in src.spec.grandezze.iter().enumerate() {
            let at = [Step::Key("grandezze"), Step::Index(i), Step::Key("id")];
            if !is_identifier(&q.id) {
                return Err(ctx.err(&at, format!("identificativo di grandezza non valido «{}»: usare lettere minuscole, cifre e _", q.id)));
            }
            if given.iter().any(|(id, _)| *id == q.id) {
                return Err(ctx.err(
                    &at,
                    format!(
                        "«{}» è una grandezza ricavata dagli obiettivi: sceglierne un altro nome",
                        q.id
                    ),
                ));
            }
            if let Some((_, other, _)) = specs.insert(q.id.as_str(), (q, src, i)) {
                return Err(ctx.err(
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
        let ctx = Ctx {
            path: &src.path,
            text: &src.text,
        };
        for (i, q) in src.spec.grandezze.iter().enumerate() {
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
                unit: q.unita,
                decimals: q.decimali,
            };
            if let Some(declared) = q.dichiarato {
                let printed = Quantity {
                    value: declared.0,
                    ..quantity.clone()
                };
                let result =
                    if format::round(declared.0, q.decimali) == format::round(value, q.decimali) {
                        CheckResult::Superata
                    } else {
                        CheckResult::Disaccordo {
                            dichiarato: printed.display(),
                            calcolato: quantity.display(),
                        }
                    };
                checks.push(Check {
                    kind: CheckKind::Grandezza,
                    descrizione: q.descrizione.clone(),
                    at: ctx.at(&[
                        Step::Key("grandezze"),
                        Step::Index(i),
                        Step::Key("dichiarato"),
                    ]),
                    result,
                    accettata: None,
                });
            }
            out.insert(q.id.clone(), quantity);
        }
    }
    Ok(out)
}

fn run_checks(
    calcs: &[CalcSource],
    tables: &BTreeMap<String, Table>,
    quantities: &BTreeMap<String, Quantity>,
    checks: &mut Vec<Check>,
) -> Result<(), Diagnostic> {
    let done = quantities
        .iter()
        .map(|(k, q)| (k.clone(), q.value))
        .collect();
    let env = QuantityEnv {
        tables,
        specs: BTreeMap::new(),
        done: RefCell::new(done),
        stack: RefCell::new(Vec::new()),
    };
    for src in calcs {
        let ctx = Ctx {
            path: &src.path,
            text: &src.text,
        };
        for (i, v) in src.spec.verifiche.iter().enumerate() {
            let at = [
                Step::Key("verifiche"),
                Step::Index(i),
                Step::Key("condizione"),
            ];
            let cond =
                formula::parse_condition(&v.condizione).map_err(|e| ctx.formula_err(&at, &e))?;
            let left = cond.left.eval(&env).map_err(|e| ctx.formula_err(&at, &e))?;
            let right = cond
                .right
                .eval(&env)
                .map_err(|e| ctx.formula_err(&at, &e))?;
            let result = if cond.cmp.holds(left, right) {
                CheckResult::Superata
            } else {
                CheckResult::Violata {
                    condizione: v.condizione.clone(),
                    sinistra: format::plain(left),
                    destra: format::plain(right),
                }
            };
            checks.push(Check {
                kind: CheckKind::Verifica,
                descrizione: v.descrizione.clone(),
                at: ctx.at(&at),
                result,
                accettata: v.accettata.clone(),
            });
        }
    }
    Ok(())
}

/// The revised cells of a table, located at their cell in the JSON file.
fn table_revisions(src: &TableSource, table: &Table) -> Vec<RevisionAt> {
    let mut out = Vec::new();
    for (ri, (spec, row)) in src.spec.righe.iter().zip(&table.rows).enumerate() {
        let Some(values) = &spec.valori else { continue };
        let inputs = table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.computed)
            .map(|(i, _)| i);
        for (k, (col, _)) in inputs.zip(values).enumerate() {
            if let Value::Revised(r) = &row.cells[col] {
                let kind = table.columns[col].kind;
                let decimals = table.decimals(row, col);
                let path = [
                    Step::Key("righe"),
                    Step::Index(ri),
                    Step::Key("valori"),
                    Step::Index(k),
                ];
                let (line, c) = line_col(&src.text, locate(&src.text, &path));
                out.push(RevisionAt {
                    at: Diagnostic::new(&src.path, line, c, ""),
                    revision: Revision {
                        vecchio: display_value(&r.vecchio, kind, decimals),
                        nuovo: display_value(&r.nuovo, kind, decimals),
                        motivo: r.motivo.clone(),
                    },
                    campo: Some(format!(
                        "{} – {}",
                        row_label(row),
                        table.columns[col].titolo
                    )),
                    atto: None,
                    markdown: false,
                });
            }
        }
    }
    out
}

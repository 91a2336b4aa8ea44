//! Stage 2: derive every computed figure from the primary data with exact decimals. Totals,
//! computed columns and computed rows are never read from the content: the values the
//! published document prints (`dichiarato`) are only compared against them.

use crate::diag::{Diagnostic, line_col};
use crate::format;
use crate::jsonpos::{Step, locate};
use crate::load::is_identifier;
use crate::model::{Book, Cell, ColumnKind, HeaderCell, Op, Revision, RowSpec, TableSource};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

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

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// Something the checks want the planner to know, with its place in the content.
#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    pub diag: Diagnostic,
}

/// The computed document: tables by id, every revision of the update, and the
/// disagreements found while computing.
#[derive(Debug, Clone)]
pub struct Computed {
    pub tables: BTreeMap<String, Table>,
    pub revisions: Vec<RevisionAt>,
    pub findings: Vec<Finding>,
}

/// A revision of the update with where it is written: in a page (CriticMarkup) or in a
/// table cell. Values are as written (Markdown for prose, Italian figures for cells).
#[derive(Debug, Clone)]
pub struct RevisionAt {
    pub at: Diagnostic,
    pub revision: Revision<String>,
}

/// Computes every table of the book.
pub fn compute(book: &Book) -> Result<Computed, Diagnostic> {
    let mut tables = BTreeMap::new();
    let mut findings = Vec::new();
    let mut revisions = Vec::new();
    for section in &book.sections {
        for page in &section.pages {
            for (offset, revision) in crate::markdown::critic_markup(&page.text).1 {
                let (line, col) = line_col(&page.text, offset);
                revisions.push(RevisionAt {
                    at: Diagnostic::new(&page.path, line, col, ""),
                    revision,
                });
            }
        }
    }
    for source in book.tables.values() {
        let table = compute_table(source, &mut findings)?;
        revisions.extend(table_revisions(source, &table));
        tables.insert(source.id.clone(), table);
    }
    revisions.sort_by(|a, b| {
        (&a.at.file, a.at.line, a.at.column).cmp(&(&b.at.file, b.at.line, b.at.column))
    });
    // Report in document order: folders and files are numbered in reading order.
    findings.sort_by(|a, b| {
        (&a.diag.file, a.diag.line, a.diag.column).cmp(&(&b.diag.file, b.diag.line, b.diag.column))
    });
    Ok(Computed {
        tables,
        revisions,
        findings,
    })
}

struct Ctx<'a> {
    src: &'a TableSource,
}

impl Ctx<'_> {
    fn err(&self, path: &[Step<'_>], message: impl Into<String>) -> Diagnostic {
        let (line, col) = line_col(&self.src.text, locate(&self.src.text, path));
        Diagnostic::new(&self.src.path, line, col, message)
    }
}

fn compute_table(src: &TableSource, findings: &mut Vec<Finding>) -> Result<Table, Diagnostic> {
    let ctx = Ctx { src };
    let spec = &src.spec;
    if spec.colonne.is_empty() {
        return Err(ctx.err(
            &[Step::Key("colonne")],
            "la tabella deve avere almeno una colonna",
        ));
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
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
        if index.insert(&c.id, i).is_some() {
            return Err(ctx.err(&at, format!("colonna «{}» ripetuta", c.id)));
        }
        if let Some(calc) = &c.calcolo {
            let at = [
                Step::Key("colonne"),
                Step::Index(i),
                Step::Key("calcolo"),
                Step::Key("colonne"),
            ];
            if c.tipo == ColumnKind::Testo {
                return Err(ctx.err(&at, "una colonna di testo non può essere calcolata"));
            }
            check_arity(&ctx, &at, calc.op, calc.colonne.len())?;
            for (k, r) in calc.colonne.iter().enumerate() {
                match index.get(r.as_str()) {
                    Some(&j) if j < i && spec.colonne[j].tipo != ColumnKind::Testo => {}
                    Some(&j) if j < i => {
                        return Err(ctx.err(
                            &[at[0], at[1], at[2], at[3], Step::Index(k)],
                            format!("la colonna «{r}» è di testo e non entra in un calcolo"),
                        ));
                    }
                    _ => {
                        return Err(ctx.err(&[at[0], at[1], at[2], at[3], Step::Index(k)], format!("colonna «{r}» sconosciuta: il calcolo può usare solo colonne definite prima di «{}»", c.id)));
                    }
                }
            }
        }
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

    let mut rows: Vec<Row> = Vec::with_capacity(spec.righe.len());
    let mut row_ids: HashMap<String, usize> = HashMap::new();
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
            if !is_identifier(id) {
                return Err(ctx.err(&[at_row[0], at_row[1], Step::Key("id")], format!("identificativo di riga non valido «{id}»: usare lettere minuscole, cifre e _")));
            }
            if row_ids.insert(id.clone(), rows.len()).is_some() {
                return Err(ctx.err(
                    &[at_row[0], at_row[1], Step::Key("id")],
                    format!("riga «{id}» ripetuta"),
                ));
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
            apply_column_calcs(spec, &index, &columns, &mut cells, false);
            Row {
                id: rs.id.clone(),
                kind: RowKind::Data,
                cells,
                group: vec![],
                decimals: rs.decimali,
                emphasis: rs.evidenza,
            }
        } else if let Some(label) = &rs.totale {
            let mut cells = vec![Value::Empty; columns.len()];
            let members: Vec<&Row> = rows[group_start..]
                .iter()
                .filter(|r| r.kind == RowKind::Data)
                .collect();
            if members.is_empty() {
                return Err(ctx.err(
                    &at_row,
                    "riga di totale senza righe di dati da sommare prima di essa",
                ));
            }
            for (col, c) in columns.iter().enumerate() {
                if c.kind == ColumnKind::Testo {
                    continue;
                }
                if !spec.colonne[col].nei_totali {
                    cells[col] = Value::Dash;
                    continue;
                }
                let mut sum = Decimal::ZERO;
                for (m, member) in members.iter().enumerate() {
                    match member.cells[col].current() {
                        Value::Number(n) => sum += n,
                        Value::Empty => {}
                        other => {
                            let offset = rows[group_start..]
                                .iter()
                                .position(|r| std::ptr::eq(r, *member))
                                .unwrap_or(m)
                                + group_start;
                            return Err(ctx.err(
                                &[Step::Key("righe"), Step::Index(offset)],
                                format!("valore non numerico «{}» nella colonna «{}», che entra nel totale della riga {}: usare un numero o \"nei_totali\": false", display_value(other, c.kind, 0), c.id, ri + 1),
                            ));
                        }
                    }
                }
                cells[col] = Value::Number(sum);
            }
            apply_column_calcs(spec, &index, &columns, &mut cells, true);
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
            let calc = rs.calcolo.as_ref().expect("checked above");
            let at = [
                at_row[0],
                at_row[1],
                Step::Key("calcolo"),
                Step::Key("righe"),
            ];
            check_arity(&ctx, &at, calc.op, calc.righe.len())?;
            let mut operands = Vec::new();
            for (k, r) in calc.righe.iter().enumerate() {
                match row_ids.get(r) {
                    Some(&j) => operands.push(j),
                    None => return Err(ctx.err(&[at[0], at[1], at[2], at[3], Step::Index(k)], format!("riga «{r}» sconosciuta: il calcolo può usare solo righe con id definite prima"))),
                }
            }
            let mut cells = vec![Value::Empty; columns.len()];
            for (col, c) in columns.iter().enumerate() {
                if c.kind == ColumnKind::Testo {
                    continue;
                }
                let nums: Option<Vec<Decimal>> = operands
                    .iter()
                    .map(|&j| rows[j].cells[col].number())
                    .collect();
                cells[col] = match nums {
                    Some(nums) => apply(calc.op, &nums, c.kind).map_or(Value::Dash, Value::Number),
                    None => Value::Dash,
                };
            }
            apply_column_calcs(spec, &index, &columns, &mut cells, true);
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
        compare_declared(&ctx, ri, rs, &row, &columns, &index, findings)?;
        rows.push(row);
    }

    let header = match &spec.intestazioni {
        Some(h) => h.clone(),
        None => vec![
            columns
                .iter()
                .map(|c| HeaderCell {
                    testo: c.titolo.clone(),
                    colonne: 1,
                    righe: 1,
                })
                .collect(),
        ],
    };
    for (hi, hrow) in header.iter().enumerate() {
        let span: u32 = hrow.iter().map(|h| h.colonne).sum();
        // Cells spanning down from earlier rows occupy columns too; only the first row is strict.
        if hi == 0 && span as usize != columns.len() {
            return Err(ctx.err(
                &[Step::Key("intestazioni"), Step::Index(hi)],
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

fn check_arity(ctx: &Ctx, at: &[Step<'_>], op: Op, n: usize) -> Result<(), Diagnostic> {
    let ok = match op {
        Op::Somma | Op::Prodotto => n >= 1,
        Op::Differenza | Op::Rapporto => n == 2,
    };
    if ok {
        Ok(())
    } else {
        Err(ctx.err(
            at,
            format!(
                "l'operazione «{}» vuole {}",
                op_name(op),
                if matches!(op, Op::Differenza | Op::Rapporto) {
                    "esattamente due operandi"
                } else {
                    "almeno un operando"
                }
            ),
        ))
    }
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Somma => "somma",
        Op::Differenza => "differenza",
        Op::Prodotto => "prodotto",
        Op::Rapporto => "rapporto",
    }
}

/// Applies an operation; a ratio is a percentage in a percent column, and has no value when
/// its denominator is zero.
fn apply(op: Op, nums: &[Decimal], kind: ColumnKind) -> Option<Decimal> {
    match op {
        Op::Somma => Some(nums.iter().sum()),
        Op::Prodotto => Some(nums.iter().product()),
        Op::Differenza => Some(nums[0] - nums[1]),
        Op::Rapporto => {
            if nums[1].is_zero() {
                None
            } else {
                let r = nums[0] / nums[1];
                Some(if kind == ColumnKind::Percentuale {
                    r * Decimal::ONE_HUNDRED
                } else {
                    r
                })
            }
        }
    }
}

/// Fills the computed columns of a row. In total and computed rows only ratios are
/// recomputed from the row's own cells; sums, differences and products there are already
/// the totals of the computed column (a product is not additive, so it is never redone).
fn apply_column_calcs(
    spec: &crate::model::TableSpec,
    index: &HashMap<&str, usize>,
    columns: &[Column],
    cells: &mut [Value],
    aggregate: bool,
) {
    for (col, c) in spec.colonne.iter().enumerate() {
        let Some(calc) = &c.calcolo else { continue };
        if aggregate && calc.op != Op::Rapporto {
            continue;
        }
        if aggregate && !c.nei_totali {
            cells[col] = Value::Dash;
            continue;
        }
        let nums: Option<Vec<Decimal>> = calc
            .colonne
            .iter()
            .map(|r| cells[index[r.as_str()]].number())
            .collect();
        cells[col] = match nums {
            Some(nums) => {
                apply(calc.op, &nums, columns[col].kind).map_or(Value::Dash, Value::Number)
            }
            None => Value::Empty,
        };
    }
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
/// shows: a difference is a finding with both values.
fn compare_declared(
    ctx: &Ctx,
    ri: usize,
    rs: &RowSpec,
    row: &Row,
    columns: &[Column],
    index: &HashMap<&str, usize>,
    findings: &mut Vec<Finding>,
) -> Result<(), Diagnostic> {
    for (col_id, declared) in &rs.dichiarato {
        let at = [
            Step::Key("righe"),
            Step::Index(ri),
            Step::Key("dichiarato"),
            Step::Key(col_id),
        ];
        let Some(&col) = index.get(col_id.as_str()) else {
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
        match row.cells[col].number() {
            Some(computed) if format::round(computed, decimals) == format::round(declared.0, decimals) => {}
            Some(computed) => {
                let (line, c) = line_col(&ctx.src.text, locate(&ctx.src.text, &at));
                findings.push(Finding {
                    severity: Severity::Warning,
                    diag: Diagnostic::new(&ctx.src.path, line, c, format!("«{}», colonna «{}»: il documento riporta {}, il valore calcolato è {}", row_label(row), columns[col].titolo, shown(declared.0), shown(computed))),
                });
            }
            None => return Err(ctx.err(&at, format!("la cella calcolata della colonna «{col_id}» non ha un valore numerico da confrontare"))),
        }
    }
    Ok(())
}

fn row_label(row: &Row) -> String {
    match row.cells.first().map(Value::current) {
        Some(Value::Text(t)) => t.replace("**", ""),
        _ => row.id.clone().unwrap_or_default(),
    }
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
                });
            }
        }
    }
    out
}

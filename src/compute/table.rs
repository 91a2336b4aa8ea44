//! Data tables: every cell resolved. Computed columns are formulas over the row, total rows
//! sum their group, computed rows are formulas over the rows above; none of these figures is
//! read from the content, and the ones the published document prints (`dichiarato`) are only
//! compared with them.

use super::declared;
use super::formula::{Env, Expr, FormulaError, FormulaErrorKind, glob_match, parse_at};
use super::model::{Check, Column, Row, RowKind, Table, Value, default_header, display_value};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{Cell, ColumnKind, Revision, RowSpec, TableSource, TotalRule};
use crate::diag::Diagnostic;
use crate::names::is_identifier;
use rust_decimal::Decimal;

/// Computes the table `id`; every comparison with a printed figure is added to `checks`.
pub fn compute_table(
    id: &str,
    src: &TableSource,
    checks: &mut Vec<Check>,
) -> Result<Table, Diagnostic> {
    let file = JsonFile::new(&src.path, &src.text);
    let spec = &src.spec;
    let (columns, formulas) = columns(&file, src)?;
    let mut builder = Builder {
        file,
        src,
        columns: &columns,
        formulas: &formulas,
        rows: Vec::with_capacity(spec.rows.len()),
    };
    let mut group_start = 0usize;
    for (ri, rs) in spec.rows.iter().enumerate() {
        let row = builder.row(ri, rs, group_start)?;
        if matches!(row.kind, RowKind::Total | RowKind::Group) {
            group_start = builder.rows.len() + 1;
        }
        declared::compare_row(&builder.file, &spec.title, ri, rs, &row, &columns, checks)?;
        builder.rows.push(row);
    }
    let rows = builder.rows;
    let header = match &spec.header {
        Some(h) => h.clone(),
        None => default_header(&columns),
    };
    if let Some(first) = header.first() {
        let span: u64 = first.iter().map(|h| u64::from(h.colspan)).sum();
        if span != columns.len() as u64 {
            return Err(file.error(
                &[Step::Key("intestazioni"), Step::Index(0)],
                format!(
                    "la prima riga d'intestazione copre {span} colonne, la tabella ne ha {}",
                    columns.len()
                ),
            ));
        }
    }
    Ok(Table {
        id: id.to_string(),
        title: spec.title.clone(),
        columns,
        header,
        rows,
        source: spec.source.clone(),
        notes: spec.notes.clone(),
    })
}

/// The columns, with the formulas of the computed ones (each over numeric columns defined
/// before it).
fn columns(
    file: &JsonFile,
    src: &TableSource,
) -> Result<(Vec<Column>, Vec<Option<Expr>>), Diagnostic> {
    let specs = &src.spec.columns;
    if specs.is_empty() {
        return Err(file.error(
            &[Step::Key("colonne")],
            "la tabella deve avere almeno una colonna",
        ));
    }
    let mut formulas: Vec<Option<Expr>> = Vec::new();
    for (i, c) in specs.iter().enumerate() {
        let at = [Step::Key("colonne"), Step::Index(i), Step::Key("id")];
        if !is_identifier(&c.id) {
            return Err(file.error(
                &at,
                format!(
                    "identificativo di colonna non valido «{}»: usare lettere minuscole, cifre e _",
                    c.id
                ),
            ));
        }
        if specs[..i].iter().any(|o| o.id == c.id) {
            return Err(file.error(&at, format!("colonna «{}» ripetuta", c.id)));
        }
        let Some(text) = &c.formula else {
            formulas.push(None);
            continue;
        };
        let at = [Step::Key("colonne"), Step::Index(i), Step::Key("calcolo")];
        if c.kind == ColumnKind::Text {
            return Err(file.error(&at, "una colonna di testo non può essere calcolata"));
        }
        let expr = parse_at(file, &at, text)?;
        for (name, offset) in expr.refs() {
            let known = specs[..i]
                .iter()
                .any(|o| glob_match(name, &o.id) && o.kind != ColumnKind::Text);
            if !known {
                let e = FormulaError {
                    offset,
                    kind: FormulaErrorKind::Invalid(format!(
                        "colonna «{name}» sconosciuta o di testo: il calcolo può usare solo colonne numeriche definite prima di «{}»",
                        c.id
                    )),
                };
                return Err(e.located(file, &at));
            }
        }
        formulas.push(Some(expr));
    }
    let columns = specs
        .iter()
        .map(|c| Column {
            id: c.id.clone(),
            title: c.title.clone(),
            kind: c.kind,
            decimals: c.decimals,
            computed: c.formula.is_some(),
        })
        .collect();
    Ok((columns, formulas))
}

/// The rows computed so far, and what computing the next one needs.
struct Builder<'a> {
    file: JsonFile<'a>,
    src: &'a TableSource,
    columns: &'a [Column],
    formulas: &'a [Option<Expr>],
    rows: Vec<Row>,
}

impl Builder<'_> {
    /// Row `ri`, given that its group (for a total) starts at row `group_start`.
    fn row(&self, ri: usize, rs: &RowSpec, group_start: usize) -> Result<Row, Diagnostic> {
        let at_row = [Step::Key("righe"), Step::Index(ri)];
        let kinds = [
            rs.values.is_some(),
            rs.total.is_some(),
            rs.group.is_some(),
            rs.formula.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(self.file.error(
                &at_row,
                "ogni riga deve avere esattamente uno tra «valori», «totale», «gruppo» e «calcolo»",
            ));
        }
        if rs.label.is_some() && rs.formula.is_none() {
            return Err(self.file.error(
                &[at_row[0], at_row[1], Step::Key("etichetta")],
                "«etichetta» vale solo per le righe con «calcolo»",
            ));
        }
        if let Some(id) = &rs.id {
            let at = [at_row[0], at_row[1], Step::Key("id")];
            if !is_identifier(id) {
                return Err(self.file.error(
                    &at,
                    format!(
                        "identificativo di riga non valido «{id}»: usare lettere minuscole, cifre e _"
                    ),
                ));
            }
            if self.rows.iter().any(|r| r.id.as_deref() == Some(id)) {
                return Err(self.file.error(&at, format!("riga «{id}» ripetuta")));
            }
        }
        if let Some(values) = &rs.values {
            self.data_row(ri, rs, values)
        } else if let Some(label) = &rs.total {
            self.total_row(ri, rs, label, group_start)
        } else if let Some(texts) = &rs.group {
            self.group_row(ri, rs, texts)
        } else {
            self.calc_row(ri, rs)
        }
    }

    /// The indices of the columns given in `valori`, in order.
    fn inputs(&self) -> Vec<usize> {
        (0..self.columns.len())
            .filter(|&i| !self.columns[i].computed)
            .collect()
    }

    fn data_row(&self, ri: usize, rs: &RowSpec, values: &[Cell]) -> Result<Row, Diagnostic> {
        let at = [Step::Key("righe"), Step::Index(ri), Step::Key("valori")];
        let inputs = self.inputs();
        if values.len() != inputs.len() {
            let names: Vec<&str> = inputs
                .iter()
                .map(|&i| self.columns[i].id.as_str())
                .collect();
            return Err(self.file.error(
                &at,
                format!(
                    "attesi {} valori (colonne {}), trovati {}",
                    inputs.len(),
                    names.join(", "),
                    values.len()
                ),
            ));
        }
        let mut cells = vec![Value::Empty; self.columns.len()];
        for (k, (&col, cell)) in inputs.iter().zip(values).enumerate() {
            let v = value_of(cell);
            if self.columns[col].kind == ColumnKind::Text && matches!(v.current(), Value::Number(_))
            {
                return Err(self.file.error(
                    &[at[0], at[1], at[2], Step::Index(k)],
                    format!(
                        "la colonna «{}» è di testo: scrivere il valore tra virgolette",
                        self.columns[col].id
                    ),
                ));
            }
            cells[col] = v;
        }
        self.fill_columns(&mut cells, false);
        Ok(Row {
            id: rs.id.clone(),
            kind: RowKind::Data,
            cells,
            group: vec![],
            decimals: rs.decimals,
            emphasis: rs.emphasis,
        })
    }

    fn total_row(
        &self,
        ri: usize,
        rs: &RowSpec,
        label: &str,
        group_start: usize,
    ) -> Result<Row, Diagnostic> {
        let at_row = [Step::Key("righe"), Step::Index(ri)];
        let members: Vec<&Row> = self.rows[group_start.min(self.rows.len())..]
            .iter()
            .filter(|r| r.kind == RowKind::Data)
            .collect();
        if members.is_empty() {
            return Err(self.file.error(
                &at_row,
                "riga di totale senza righe di dati da sommare prima di essa",
            ));
        }
        let mut cells = vec![Value::Empty; self.columns.len()];
        for (col, c) in self.columns.iter().enumerate() {
            if c.kind == ColumnKind::Text {
                continue;
            }
            if self.src.spec.columns[col].in_totals == TotalRule::Nothing {
                cells[col] = Value::Dash;
                continue;
            }
            let mut sum = Decimal::ZERO;
            for (j, member) in self.rows.iter().enumerate().skip(group_start) {
                if member.kind != RowKind::Data {
                    continue;
                }
                match member.cells[col].current() {
                    Value::Number(n) => {
                        sum = sum.checked_add(*n).ok_or_else(|| {
                            self.file.error(
                                &at_row,
                                format!(
                                    "il totale della colonna «{}» è fuori dall'intervallo dei numeri decimali",
                                    c.id
                                ),
                            )
                        })?;
                    }
                    Value::Empty | Value::Dash => {}
                    other => {
                        return Err(self.file.error(
                            &[Step::Key("righe"), Step::Index(j)],
                            format!(
                                "valore non numerico «{}» nella colonna «{}», che entra nel totale della riga {}: usare un numero o \"nei_totali\": \"no\"",
                                display_value(other, c.kind, 0),
                                c.id,
                                ri + 1
                            ),
                        ));
                    }
                }
            }
            cells[col] = Value::Number(sum);
        }
        self.fill_columns(&mut cells, true);
        self.put_label(&at_row, &mut cells, label)?;
        Ok(Row {
            id: rs.id.clone(),
            kind: RowKind::Total,
            cells,
            group: vec![],
            decimals: rs.decimals,
            emphasis: true,
        })
    }

    fn group_row(&self, ri: usize, rs: &RowSpec, texts: &[String]) -> Result<Row, Diagnostic> {
        let n = self.columns.len();
        if texts.is_empty() || (texts.len() != 1 && texts.len() != n) {
            return Err(self.file.error(
                &[Step::Key("righe"), Step::Index(ri), Step::Key("gruppo")],
                format!("un gruppo ha un solo testo oppure uno per colonna ({n})"),
            ));
        }
        Ok(Row {
            id: rs.id.clone(),
            kind: RowKind::Group,
            cells: vec![Value::Empty; n],
            group: texts.to_vec(),
            decimals: None,
            emphasis: true,
        })
    }

    fn calc_row(&self, ri: usize, rs: &RowSpec) -> Result<Row, Diagnostic> {
        let at_row = [Step::Key("righe"), Step::Index(ri)];
        let text = rs.formula.as_deref().unwrap_or_default();
        let at = [at_row[0], at_row[1], Step::Key("calcolo")];
        let expr = parse_at(&self.file, &at, text)?;
        for (name, offset) in expr.refs() {
            let known = self
                .rows
                .iter()
                .any(|r| r.id.as_deref().is_some_and(|id| glob_match(name, id)));
            if !known {
                let e = FormulaError {
                    offset,
                    kind: FormulaErrorKind::Invalid(format!(
                        "riga «{name}» sconosciuta: il calcolo può usare solo righe con id definite prima"
                    )),
                };
                return Err(e.located(&self.file, &at));
            }
        }
        let mut cells = vec![Value::Empty; self.columns.len()];
        for (col, c) in self.columns.iter().enumerate() {
            if c.kind == ColumnKind::Text {
                continue;
            }
            cells[col] = match self.src.spec.columns[col].in_totals {
                TotalRule::Nothing => Value::Dash,
                _ => expr
                    .eval(&ColumnEnv {
                        rows: &self.rows,
                        col,
                    })
                    .map_or(Value::Dash, Value::Number),
            };
        }
        self.fill_columns(&mut cells, true);
        let label = rs.label.clone().unwrap_or_default();
        self.put_label(&at_row, &mut cells, &label)?;
        Ok(Row {
            id: rs.id.clone(),
            kind: RowKind::Calc,
            cells,
            group: vec![],
            decimals: rs.decimals,
            emphasis: true,
        })
    }

    /// Fills the computed columns of a row; in a total or computed row (`aggregate`) only the
    /// columns whose rule is to apply the formula to the row itself.
    fn fill_columns(&self, cells: &mut [Value], aggregate: bool) {
        for (col, f) in self.formulas.iter().enumerate() {
            let Some(expr) = f else { continue };
            if aggregate && self.src.spec.columns[col].in_totals != TotalRule::Formula {
                continue;
            }
            let env = RowEnv {
                columns: self.columns,
                cells,
            };
            cells[col] = match expr.eval(&env) {
                Ok(v) => Value::Number(v),
                Err(e) if e.kind == FormulaErrorKind::DivisionByZero => Value::Dash,
                Err(_) => Value::Empty,
            };
        }
    }

    /// Total and computed rows carry their label in the first column, which must be text.
    fn put_label(
        &self,
        at: &[Step<'_>],
        cells: &mut [Value],
        label: &str,
    ) -> Result<(), Diagnostic> {
        if self.columns[0].kind != ColumnKind::Text {
            return Err(self.file.error(at, "le righe di totale e di calcolo mettono l'etichetta nella prima colonna, che deve essere di testo"));
        }
        cells[0] = Value::Text(label.to_string());
        Ok(())
    }
}

/// A cell as typed, as a value.
fn value_of(cell: &Cell) -> Value {
    match cell {
        Cell::Empty => Value::Empty,
        Cell::Number(n) => Value::Number(*n),
        Cell::Text(t) => Value::Text(t.clone()),
        Cell::Revised(r) => Value::Revised(Box::new(Revision {
            old: value_of(&r.old),
            new: value_of(&r.new),
            reason: r.reason.clone(),
        })),
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

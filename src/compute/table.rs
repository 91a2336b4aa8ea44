//! Data tables: every cell resolved. Computed columns are formulas over the row, total rows
//! sum their group, computed rows are formulas over the rows above; none of these figures is
//! read from the content, and the ones the published document prints (`dichiarato`) are only
//! compared with them.

use super::declared;
use super::formula::{self, Env, Expr, FormulaError, FormulaErrorKind, glob_match, parse_at};
use super::model::{Check, Column, Row, RowKind, Table, Value, default_header};
use super::quantities;
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{
    Cell, ColumnKind, HeaderCell, Revision, RowSpec, TableSource, TotalRule,
};
use crate::diag::Diagnostic;
use crate::format;
use crate::names::is_identifier;
use rust_decimal::Decimal;

/// Computes the table `id`; every comparison with a printed figure is added to `checks`.
/// `outer` answers the references to other tables (`tabella.riga.colonna`, with `{riga}` for
/// the row being computed) and to quantities: the tables they read are computed already.
pub fn compute_table(
    id: &str,
    src: &TableSource,
    outer: &dyn Env,
    checks: &mut Vec<Check>,
) -> Result<Table, Diagnostic> {
    let file = JsonFile::new(&src.path, &src.text);
    let spec = &src.spec;
    let (columns, formulas) = columns(&file, id, src)?;
    let header = match &spec.header {
        Some(h) => {
            check_header(&file, h, columns.len())?;
            h.clone()
        }
        None => default_header(&columns),
    };
    let mut builder = Builder {
        id,
        outer,
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

/// The header rows must tile the table's columns exactly, as the site's `<th>` cells and the
/// PDF's table header are laid out: every row covers each column once, counting the cells
/// that span down from the rows above; spans are at least 1 and stay inside the header. Any
/// other header would be drawn differently by the two editions, or not at all (a span of
/// 4294967295 columns), so it is refused here, at the cell, before any renderer sees it.
fn check_header(file: &JsonFile, header: &[Vec<HeaderCell>], n: usize) -> Result<(), Diagnostic> {
    let key = Step::Key("intestazioni");
    if header.is_empty() {
        return Err(file.error(
            &[key],
            "«intestazioni» è vuoto: toglierlo per usare i titoli delle colonne, oppure dare almeno una riga",
        ));
    }
    // Columns of each header row taken by the cells placed so far.
    let mut taken = vec![vec![false; n]; header.len()];
    for (ri, row) in header.iter().enumerate() {
        let mut col = 0usize;
        for (ci, cell) in row.iter().enumerate() {
            let at = [key, Step::Index(ri), Step::Index(ci)];
            let at_span = |k: &'static str| [at[0], at[1], at[2], Step::Key(k)];
            while taken[ri].get(col) == Some(&true) {
                col += 1;
            }
            if cell.colspan == 0 || cell.rowspan == 0 {
                let k = if cell.colspan == 0 {
                    "colonne"
                } else {
                    "righe"
                };
                return Err(file.error(
                    &at_span(k),
                    "una cella d'intestazione occupa almeno una colonna e una riga",
                ));
            }
            let free = n.saturating_sub(col);
            if free == 0 {
                return Err(file.error(
                    &at,
                    format!(
                        "cella d'intestazione in eccesso: la riga d'intestazione {} ha già coperto tutte le {n} colonne della tabella",
                        ri + 1
                    ),
                ));
            }
            let span = usize::try_from(cell.colspan).unwrap_or(usize::MAX);
            if span > free {
                return Err(file.error(
                    &at_span("colonne"),
                    format!(
                        "la cella d'intestazione copre {} colonne, ma dalla colonna {} ne restano {free}",
                        cell.colspan,
                        col + 1
                    ),
                ));
            }
            let below = header.len() - ri;
            let down = usize::try_from(cell.rowspan).unwrap_or(usize::MAX);
            if down > below {
                return Err(file.error(
                    &at_span("righe"),
                    format!(
                        "la cella d'intestazione scende per {} righe, ma l'intestazione ne ha {below} da questa in giù",
                        cell.rowspan
                    ),
                ));
            }
            let cols = col..col + span;
            if taken[ri][cols.clone()].contains(&true) {
                return Err(file.error(
                    &at,
                    "la cella d'intestazione si sovrappone a una cella di una riga sopra che scende fin qui: ridurre «colonne» o togliere la cella",
                ));
            }
            for cells in &mut taken[ri..ri + down] {
                cells[cols.clone()].fill(true);
            }
            col += span;
        }
        let covered = taken[ri].iter().filter(|t| **t).count();
        if covered != n {
            let which = if ri == 0 {
                "la prima riga d'intestazione".to_string()
            } else {
                format!("la riga d'intestazione {}", ri + 1)
            };
            return Err(file.error(
                &[key, Step::Index(ri)],
                format!(
                    "{which} copre {covered} colonne (contando le celle che scendono dalle righe sopra), la tabella ne ha {n}"
                ),
            ));
        }
    }
    Ok(())
}

/// The columns, with the formulas of the computed ones (each over numeric columns defined
/// before it).
fn columns(
    file: &JsonFile,
    id: &str,
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
        format::check_decimals(c.decimals).map_err(|m| {
            file.error(
                &[Step::Key("colonne"), Step::Index(i), Step::Key("decimali")],
                m,
            )
        })?;
        let Some(text) = &c.formula else {
            formulas.push(None);
            continue;
        };
        let at = [Step::Key("colonne"), Step::Index(i), Step::Key("calcolo")];
        if c.kind == ColumnKind::Text {
            return Err(file.error(&at, "una colonna di testo non può essere calcolata"));
        }
        let expr = parse_at(file, &at, text)?;
        check_refs(file, &at, &expr, id, src, i)?;
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

/// The references of a formula in column `col` (its `calcolo`, or a cell's): a column of the
/// row must be numeric and come before `col`, so a row is computed left to right; a name that
/// is no column is a quantity, and `tabella.riga.colonna` a cell of another table (both
/// resolved while computing, by `outer`); the table's own cells are read by row formulas and
/// totals, not by reference.
fn check_refs(
    file: &JsonFile,
    at: &[Step<'_>],
    expr: &Expr,
    own: &str,
    src: &TableSource,
    col: usize,
) -> Result<(), Diagnostic> {
    let specs = &src.spec.columns;
    for (name, offset) in expr.refs() {
        let fail = |m: String| {
            FormulaError {
                offset,
                kind: FormulaErrorKind::Invalid(m),
            }
            .located(file, at)
        };
        if let Some(table) = name.split_once('.').map(|(t, _)| t) {
            if table == own {
                return Err(fail(format!(
                    "«{name}» legge la tabella stessa: per le altre colonne della riga usare il loro id, per i totali una riga di totale o una grandezza"
                )));
            }
            continue;
        }
        let column = specs.iter().position(|o| glob_match(name, &o.id));
        let Some(j) = column else { continue };
        let here = specs.get(col).map(|c| c.id.as_str()).unwrap_or_default();
        if j >= col || specs[j].kind == ColumnKind::Text {
            return Err(fail(format!(
                "colonna «{name}» di testo o non definita prima: il calcolo di «{here}» può usare solo colonne numeriche definite prima"
            )));
        }
    }
    Ok(())
}

/// The rows computed so far, and what computing the next one needs.
struct Builder<'a> {
    id: &'a str,
    outer: &'a dyn Env,
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
        if let Some(d) = rs.decimals {
            format::check_decimals(d).map_err(|m| {
                self.file
                    .error(&[at_row[0], at_row[1], Step::Key("decimali")], m)
            })?;
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
            let count = format!(
                "attesi {} valori (colonne {}), trovati {}",
                inputs.len(),
                names.join(", "),
                values.len()
            );
            // `30,5` is two values in JSON: the count is wrong because of the comma.
            let list = self.file.offset(&at);
            return Err(
                match crate::diag::number_hint_in_list(self.file.text, list) {
                    Some((typed, hint)) => {
                        Diagnostic::new(self.file.at_offset(typed), format!("{count}: {hint}"))
                    }
                    None => self.file.error(&at, count),
                },
            );
        }
        // Left to right, as the formulas read only the columns before theirs.
        let mut cells = vec![Value::Empty; self.columns.len()];
        let mut typed = inputs.iter().zip(values).enumerate().peekable();
        for col in 0..self.columns.len() {
            let cell = match typed.peek() {
                Some((_, (i, _))) if **i == col => typed.next(),
                _ => None,
            };
            let value = match cell {
                Some((k, (_, Cell::Formula(text)))) => {
                    let at = [at[0], at[1], at[2], Step::Index(k), Step::Key("calcolo")];
                    self.cell_formula(&at, rs, col, text, &cells)?
                }
                Some((k, (_, cell))) => {
                    self.check_cell(&[at[0], at[1], at[2], Step::Index(k)], col, cell)?;
                    value_of(cell)
                }
                None => self.column_value(ri, RowKind::Data, rs, col, &cells)?,
            };
            cells[col] = value;
        }
        Ok(Row {
            id: rs.id.clone(),
            kind: RowKind::Data,
            cells,
            group: vec![],
            decimals: rs.decimals,
            emphasis: rs.emphasis,
        })
    }

    /// A typed cell fits its column: figures in numeric columns, texts in text columns, on
    /// both sides of a revision. A figure typed as a text (`"3"`) would be published as text
    /// and leave the computed cells and totals over it blank.
    fn check_cell(&self, at: &[Step<'_>], col: usize, cell: &Cell) -> Result<(), Diagnostic> {
        let column = &self.columns[col];
        match cell {
            Cell::Revised(r) => {
                for (key, side) in [("vecchio", &r.old), ("nuovo", &r.new)] {
                    let mut path = at.to_vec();
                    path.push(Step::Key(key));
                    if matches!(side, Cell::Formula(_)) {
                        return Err(self.file.error(
                            &path,
                            "una revisione non può contenere un calcolo: il valore calcolato cambia da sé quando cambiano i dati che legge",
                        ));
                    }
                    if matches!(side, Cell::Revised(_)) {
                        return Err(self.file.error(
                            &path,
                            "una revisione non può contenerne un'altra: scrivere il valore precedente in «vecchio» e quello in vigore in «nuovo»",
                        ));
                    }
                    self.check_cell(&path, col, side)?;
                }
                Ok(())
            }
            Cell::Number(_) if column.kind == ColumnKind::Text => Err(self.file.error(
                at,
                format!(
                    "la colonna «{}» è di testo: scrivere il valore tra virgolette",
                    column.id
                ),
            )),
            Cell::Text(t) if column.kind != ColumnKind::Text => {
                let hint = match crate::diag::hints::figure_in_text(t) {
                    Some(n) => format!("scrivere il numero senza virgolette: {n}"),
                    None => "scrivere un numero senza virgolette, con il punto per i decimali, oppure null per una cella vuota".to_string(),
                };
                Err(self.file.error(
                    at,
                    format!(
                        "la colonna «{}» è numerica, ma qui c'è il testo «{}»: {hint}",
                        column.id,
                        t.chars().take(40).collect::<String>()
                    ),
                ))
            }
            _ => Ok(()),
        }
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
            // Data rows hold figures or nothing in numeric columns (`check_cell`); blank
            // cells count as nothing.
            let figures = members.iter().filter_map(|m| m.cells[col].number());
            let sum = formula::checked_sum(figures).ok_or_else(|| {
                self.file.error(
                    &at_row,
                    format!(
                        "il totale della colonna «{}» è fuori dall'intervallo dei numeri decimali",
                        c.id
                    ),
                )
            })?;
            cells[col] = Value::Number(sum);
        }
        self.fill_columns(ri, RowKind::Total, rs, &mut cells)?;
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
                _ => match expr.eval(&ColumnEnv {
                    rows: &self.rows,
                    col,
                }) {
                    Ok(v) => Value::Number(v),
                    // A row it refers to has no figure in this column: nor has this one.
                    Err(e) if matches!(e.kind, FormulaErrorKind::Missing(_)) => Value::Dash,
                    Err(e) => {
                        return Err(Diagnostic::new(
                            e.location(&self.file, &at),
                            format!("formula: {} nella colonna «{}»", e.kind, c.id),
                        ));
                    }
                },
            };
        }
        self.fill_columns(ri, RowKind::Calc, rs, &mut cells)?;
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

    /// Fills the computed columns of a total or computed row whose rule is to apply the
    /// formula to the row itself.
    fn fill_columns(
        &self,
        ri: usize,
        kind: RowKind,
        rs: &RowSpec,
        cells: &mut [Value],
    ) -> Result<(), Diagnostic> {
        for col in 0..self.columns.len() {
            if self.src.spec.columns[col].in_totals == TotalRule::Formula {
                let value = self.column_value(ri, kind, rs, col, cells)?;
                cells[col] = value;
            }
        }
        Ok(())
    }

    /// The computed column `col` in row `ri`, over the cells before it. A cell over a blank
    /// one stays blank; a division by zero or a result out of range is an error: a figure
    /// that does not exist is never published.
    fn column_value(
        &self,
        ri: usize,
        kind: RowKind,
        rs: &RowSpec,
        col: usize,
        cells: &[Value],
    ) -> Result<Value, Diagnostic> {
        let Some(Some(expr)) = self.formulas.get(col) else {
            return Ok(Value::Empty);
        };
        match expr.eval(&self.env(rs, cells)) {
            Ok(v) => Ok(Value::Number(v)),
            Err(e) if matches!(e.kind, FormulaErrorKind::Missing(_)) => Ok(Value::Empty),
            Err(e) => Err(self.column_error(ri, kind, col, expr, &e)),
        }
    }

    /// A cell written as `{"calcolo": ..}` in column `col`, over the cells before it.
    fn cell_formula(
        &self,
        at: &[Step<'_>],
        rs: &RowSpec,
        col: usize,
        text: &str,
        cells: &[Value],
    ) -> Result<Value, Diagnostic> {
        let column = &self.columns[col];
        if column.kind == ColumnKind::Text {
            return Err(self.file.error(
                at,
                format!(
                    "la colonna «{}» è di testo: un calcolo dà un numero",
                    column.id
                ),
            ));
        }
        let expr = parse_at(&self.file, at, text)?;
        check_refs(&self.file, at, &expr, self.id, self.src, col)?;
        match expr.eval(&self.env(rs, cells)) {
            Ok(v) => Ok(Value::Number(v)),
            Err(e) if matches!(e.kind, FormulaErrorKind::Missing(_)) => Ok(Value::Empty),
            Err(e) => Err(e.located(&self.file, at)),
        }
    }

    fn env<'e>(&'e self, rs: &'e RowSpec, cells: &'e [Value]) -> RowEnv<'e> {
        RowEnv {
            columns: self.columns,
            cells,
            row: rs.id.as_deref(),
            outer: self.outer,
        }
    }

    /// Why the computed column `col` has no figure in row `ri`: a reference that names
    /// nothing at its place in the column's formula; a division by zero at the divisor's cell
    /// when the divisor is a column typed in the row, otherwise at the row.
    fn column_error(
        &self,
        ri: usize,
        kind: RowKind,
        col: usize,
        expr: &Expr,
        e: &FormulaError,
    ) -> Diagnostic {
        if let FormulaErrorKind::Invalid(m) = &e.kind {
            let at = [Step::Key("colonne"), Step::Index(col), Step::Key("calcolo")];
            let row = self.src.spec.rows.get(ri).and_then(|r| r.id.as_deref());
            let message = match row {
                Some(id) => format!("formula: {m} (nel calcolo della riga «{id}»)"),
                None => format!("formula: {m}"),
            };
            return Diagnostic::new(e.location(&self.file, &at), message);
        }
        let column = &self.columns[col];
        let text = self.src.spec.columns[col]
            .formula
            .as_deref()
            .unwrap_or_default();
        let named = format!("la colonna calcolata «{}» ({text})", column.id);
        let mut at = vec![Step::Key("righe"), Step::Index(ri)];
        if kind == RowKind::Data {
            at.push(Step::Key("valori"));
        }
        let message = match &e.kind {
            FormulaErrorKind::DivisionByZero if kind == RowKind::Data => {
                let divisor = expr.divisor_at(e.offset);
                let typed = divisor.and_then(|name| {
                    self.inputs()
                        .iter()
                        .position(|&i| self.columns[i].id == name)
                        .map(|k| (name, k))
                });
                // A divisor computed in its turn (read from another table, say) is fixed
                // where its figure comes from.
                let computed = divisor.and_then(|name| {
                    let i = self.columns.iter().position(|c| c.id == name)?;
                    Some((name, self.src.spec.columns[i].formula.as_deref()?))
                });
                match (typed, computed) {
                    (Some((name, k)), _) => {
                        at.push(Step::Index(k));
                        format!(
                            "{named} divide per «{name}», che in questa riga vale zero: correggere il dato, oppure scrivere null se il dato manca (la cella calcolata resta vuota)"
                        )
                    }
                    (None, Some((name, from))) => format!(
                        "{named} divide per «{name}», che in questa riga vale zero: «{name}» è calcolata ({from}), va corretto il dato da cui viene"
                    ),
                    (None, None) => format!(
                        "{named} divide per zero in questa riga: correggere i dati, oppure scrivere null nella cella che manca (la cella calcolata resta vuota)"
                    ),
                }
            }
            FormulaErrorKind::DivisionByZero => format!(
                "{named} divide per zero in questa riga di totale: se il rapporto non ha senso nel totale, usare \"nei_totali\": \"no\" nella colonna"
            ),
            other => format!("{named}: {other} in questa riga"),
        };
        self.file.error(&at, message)
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
        // Computed by the builder (`cell_formula`); a revision cannot hold one.
        Cell::Formula(_) => Value::Empty,
        Cell::Revised(r) => Value::Revised(Box::new(Revision {
            old: value_of(&r.old),
            new: value_of(&r.new),
            reason: r.reason.clone(),
            kind: Default::default(),
            act: r.act.clone(),
            inferred: r.inferred.clone(),
            earlier: r.earlier.iter().map(|e| e.map(value_of)).collect(),
        })),
    }
}

/// What a column's or a cell's formula reads: the row's values by column id, and through
/// `outer` the quantities and the other tables, where `{riga}` is this row's id.
struct RowEnv<'a> {
    columns: &'a [Column],
    cells: &'a [Value],
    row: Option<&'a str>,
    outer: &'a dyn Env,
}

impl RowEnv<'_> {
    /// A reference to another table, with `{riga}` replaced by this row's id.
    fn elsewhere(&self, name: &str) -> Result<String, FormulaErrorKind> {
        if !name.contains(formula::ROW) {
            return Ok(name.to_string());
        }
        match self.row {
            Some(row) => Ok(formula::for_row(name, row)),
            None => Err(FormulaErrorKind::Invalid(format!(
                "«{}» sta per l'id della riga, ma questa riga non ha «id»",
                formula::ROW
            ))),
        }
    }
}

impl Env for RowEnv<'_> {
    fn value(&self, name: &str) -> Result<Decimal, FormulaErrorKind> {
        if name.contains('.') {
            return self.outer.value(&self.elsewhere(name)?);
        }
        let Some(i) = self.columns.iter().position(|c| c.id == name) else {
            return self.outer.value(name).map_err(|e| {
                if e == quantities::unknown(name) {
                    FormulaErrorKind::Invalid(format!(
                        "«{name}» non è una colonna della tabella né una grandezza di un calcoli.json"
                    ))
                } else {
                    e
                }
            });
        };
        self.cells.get(i).and_then(Value::number).ok_or_else(|| {
            FormulaErrorKind::Missing(format!(
                "la colonna «{name}» non ha un valore numerico in questa riga"
            ))
        })
    }
    fn values(&self, pattern: &str) -> Result<Vec<Decimal>, FormulaErrorKind> {
        if pattern.contains('.') {
            return self.outer.values(&self.elsewhere(pattern)?);
        }
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
    fn value(&self, name: &str) -> Result<Decimal, FormulaErrorKind> {
        let row = self
            .rows
            .iter()
            .find(|r| r.id.as_deref() == Some(name))
            .ok_or_else(|| FormulaErrorKind::Invalid(format!("riga «{name}» sconosciuta")))?;
        row.cells
            .get(self.col)
            .and_then(Value::number)
            .ok_or_else(|| {
                FormulaErrorKind::Missing(format!(
                    "la riga «{name}» non ha un valore numerico in questa colonna"
                ))
            })
    }
    fn values(&self, pattern: &str) -> Result<Vec<Decimal>, FormulaErrorKind> {
        Ok(self
            .rows
            .iter()
            .filter(|r| r.id.as_deref().is_some_and(|id| glob_match(pattern, id)))
            .filter_map(|r| r.cells.get(self.col).and_then(Value::number))
            .collect())
    }
}

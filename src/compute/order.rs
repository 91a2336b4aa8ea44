//! The order in which the data tables are computed. A table's columns and cells may read
//! other tables (`cessazioni.{riga}.anno_1`) and quantities, which read tables in turn, so a
//! figure is typed in one table only; each table is computed after every table it reads,
//! directly or through quantities, and a table that ends up reading itself is an error at the
//! reference that closes the circle.

use super::formula::{self, Expr};
use super::quantities::Specs;
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{Book, Cell, TableSource};
use crate::diag::{Diagnostic, Location};
use crate::names::is_identifier;
use std::collections::{BTreeMap, BTreeSet};

/// The ids of the data tables, each after the tables it reads.
pub fn tables<'b>(book: &'b Book, specs: &Specs) -> Result<Vec<&'b str>, Diagnostic> {
    let mut through = Through {
        specs,
        tables: BTreeMap::new(),
    };
    let mut reads: BTreeMap<&str, Vec<(String, Location)>> = BTreeMap::new();
    for (id, src) in &book.tables {
        let mut edges: Vec<(String, Location)> = Vec::new();
        for (name, at) in references(src) {
            let read = match name.split_once('.') {
                Some((table, _)) => BTreeSet::from([table.to_string()]),
                None if is_column(src, &name) => continue,
                None => through.tables_of(&name),
            };
            for table in read {
                // A table naming itself is refused where it does, with its own message.
                if table != *id
                    && book.tables.contains_key(&table)
                    && !edges.iter().any(|(t, _)| *t == table)
                {
                    edges.push((table, at.clone()));
                }
            }
        }
        reads.insert(id.as_str(), edges);
    }
    let mut sorted = Sorter {
        reads: &reads,
        state: BTreeMap::new(),
        path: Vec::new(),
        out: Vec::new(),
    };
    for id in book.tables.keys() {
        sorted.visit(id)?;
    }
    Ok(sorted.out)
}

/// Whether `name` is (or matches, as a pattern) a column of the table: the row's own cells.
fn is_column(src: &TableSource, name: &str) -> bool {
    src.spec
        .columns
        .iter()
        .any(|c| formula::glob_match(name, &c.id))
}

/// Every reference of the table's column formulas and cell formulas, with where it is
/// written. A formula that does not parse is left to the table's computation, which reports
/// it at its place.
fn references(src: &TableSource) -> Vec<(String, Location)> {
    let file = JsonFile::new(&src.path, &src.text);
    let mut out = Vec::new();
    let mut add = |text: &str, path: &[Step<'_>]| {
        if let Ok(expr) = formula::parse(text) {
            for (name, _) in expr.refs() {
                out.push((name.to_string(), file.at(path)));
            }
        }
    };
    for (i, c) in src.spec.columns.iter().enumerate() {
        if let Some(text) = &c.formula {
            add(
                text,
                &[Step::Key("colonne"), Step::Index(i), Step::Key("calcolo")],
            );
        }
    }
    for (ri, row) in src.spec.rows.iter().enumerate() {
        for (k, cell) in row.values.iter().flatten().enumerate() {
            if let Cell::Formula(text) = cell {
                add(
                    text,
                    &[
                        Step::Key("righe"),
                        Step::Index(ri),
                        Step::Key("valori"),
                        Step::Index(k),
                        Step::Key("calcolo"),
                    ],
                );
            }
        }
    }
    out
}

/// The tables a quantity reads, through the quantities it reads, remembered once found.
struct Through<'s, 'a> {
    specs: &'s Specs<'a>,
    tables: BTreeMap<String, BTreeSet<String>>,
}

impl Through<'_, '_> {
    fn tables_of(&mut self, quantity: &str) -> BTreeSet<String> {
        if let Some(known) = self.tables.get(quantity) {
            return known.clone();
        }
        // Marked before the descent: a circle among quantities ends here (and is reported,
        // at its place, when the quantities are computed).
        self.tables.insert(quantity.to_string(), BTreeSet::new());
        let mut found = BTreeSet::new();
        let expr: Option<Expr> = self
            .specs
            .formula(quantity)
            .and_then(|text| formula::parse(text).ok());
        for (name, _) in expr.iter().flat_map(Expr::refs) {
            match name.split_once('.') {
                Some((table, _)) => {
                    found.insert(table.to_string());
                }
                None if is_identifier(name) => found.extend(self.tables_of(name)),
                None => {}
            }
        }
        self.tables.insert(quantity.to_string(), found.clone());
        found
    }
}

/// A depth-first walk that lists each table after the tables it reads.
struct Sorter<'r, 'b> {
    reads: &'r BTreeMap<&'b str, Vec<(String, Location)>>,
    /// `false` while a table's readings are being visited, `true` once it is listed.
    state: BTreeMap<&'b str, bool>,
    path: Vec<&'b str>,
    out: Vec<&'b str>,
}

impl<'b> Sorter<'_, 'b> {
    fn visit(&mut self, id: &'b str) -> Result<(), Diagnostic> {
        // Listed already, or (from the outer loop only) on the path: nothing to do.
        if self.state.contains_key(id) {
            return Ok(());
        }
        self.state.insert(id, false);
        self.path.push(id);
        let reads = self.reads.get(id).map(Vec::as_slice).unwrap_or_default();
        for (table, at) in reads {
            let Some((&next, _)) = self.reads.get_key_value(table.as_str()) else {
                continue;
            };
            if self.state.get(next) == Some(&false) {
                let start = self.path.iter().position(|t| *t == next).unwrap_or(0);
                let mut circle: Vec<&str> = self.path[start..].to_vec();
                circle.push(next);
                return Err(Diagnostic::new(
                    at.clone(),
                    format!(
                        "riferimento circolare tra tabelle: {} (una tabella non può leggere, direttamente o tramite grandezze, una tabella che legge lei)",
                        circle.join(" → ")
                    ),
                ));
            }
            self.visit(next)?;
        }
        self.path.pop();
        self.state.insert(id, true);
        self.out.push(id);
        Ok(())
    }
}

//! The two editions of one source. The marked-up edition (as published) shows every revision
//! of the update; the consolidated one is the text in force. Consolidating is a preprocessor
//! over the loaded book, so every later stage (checks included) runs unchanged on either.

use crate::cascade::in_force;
use crate::markdown::consolidate;
use crate::model::{Book, Cell, Decimal4Json, IndicatorSpec, Objectives, Revisable, Targets};

/// Which text the site shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Edition {
    /// Old values struck through, new ones marked, with their reasons.
    #[default]
    Modifiche,
    /// The plan in force after the update, without markers.
    Consolidata,
}

/// The book as the edition shows it.
pub fn apply(mut book: Book, edition: Edition) -> Book {
    if edition == Edition::Modifiche {
        return book;
    }
    for section in &mut book.sections {
        for page in &mut section.pages {
            page.text = consolidate(&page.text);
        }
    }
    for table in book.tables.values_mut() {
        let spec = &mut table.spec;
        for row in &mut spec.righe {
            for cell in row.valori.iter_mut().flatten() {
                *cell = current_cell(cell);
            }
            for g in row.gruppo.iter_mut().flatten() {
                *g = consolidate(g);
            }
        }
        for n in &mut spec.note {
            *n = consolidate(n);
        }
    }
    if let Some(objs) = &mut book.objectives {
        consolidate_objectives(objs);
    }
    book
}

fn current_cell(cell: &Cell) -> Cell {
    match cell {
        Cell::Revised(r) => current_cell(&r.nuovo),
        Cell::Text(t) => Cell::Text(consolidate(t)),
        other => other.clone(),
    }
}

fn settle<T: Clone>(v: &Revisable<T>) -> Option<Revisable<T>> {
    v.current().cloned().map(Revisable::Value)
}

/// A weight the update deleted counts as nothing.
fn settle_weight(v: &Revisable<Decimal4Json>) -> Revisable<Decimal4Json> {
    Revisable::Value(
        v.current()
            .copied()
            .unwrap_or(Decimal4Json(Default::default())),
    )
}

fn settle_text(v: &Revisable<String>) -> Revisable<String> {
    Revisable::Value(v.current().map(|s| consolidate(s)).unwrap_or_default())
}

fn consolidate_indicators(list: &mut Vec<IndicatorSpec>) {
    list.retain(|i| in_force(&i.revisione));
    for i in list {
        i.revisione = None;
        i.nome = consolidate(&i.nome);
        i.peso = settle_weight(&i.peso);
        i.tipologia = settle_text(&i.tipologia);
        i.valore_segnaletico = i.valore_segnaletico.as_deref().map(consolidate);
        i.algoritmo = consolidate(&i.algoritmo);
        i.fonte = i.fonte.as_ref().and_then(settle);
        i.baseline = i.baseline.as_ref().and_then(settle);
        i.target = match &i.target {
            Targets::Single(t) => Targets::Single(settle_text(t)),
            Targets::ByYear(years) => Targets::ByYear(
                years
                    .iter()
                    .map(|(y, t)| (y.clone(), settle_text(t)))
                    .collect(),
            ),
        };
    }
}

fn consolidate_objectives(objs: &mut Objectives) {
    objs.strategici.retain(|s| in_force(&s.spec.revisione));
    for s in &mut objs.strategici {
        let spec = &mut s.spec;
        spec.revisione = None;
        spec.peso = settle_weight(&spec.peso);
        spec.introduzione = spec.introduzione.as_deref().map(consolidate);
        spec.descrizione = consolidate(&spec.descrizione);
        consolidate_indicators(&mut spec.indicatori);
        spec.note = spec.note.iter().map(|n| consolidate(n)).collect();
    }
    objs.operativi.retain(|o| in_force(&o.spec.revisione));
    for o in &mut objs.operativi {
        let spec = &mut o.spec;
        spec.revisione = None;
        spec.peso = settle_weight(&spec.peso);
        spec.descrizione = consolidate(&spec.descrizione);
        spec.uo = consolidate(&spec.uo);
        for people in [&mut spec.rilevatori, &mut spec.validatori] {
            *people = people.iter().filter_map(settle).collect();
        }
        consolidate_indicators(&mut spec.indicatori);
        spec.note = spec.note.iter().map(|n| consolidate(n)).collect();
    }
}

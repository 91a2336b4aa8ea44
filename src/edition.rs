//! Stage 2, edition: the two editions of one source. The marked-up edition (as published)
//! shows every revision of the update; the consolidated one is the text in force.
//! Consolidating is a preprocessor over the loaded book, so every later stage (checks
//! included) runs unchanged on either.

use crate::content::model::{
    Book, Cell, Decision, Declared, IndicatorSpec, JsonDecimal, Objectives, Revisable, Targets,
    WholeRevision, WholeRevisionKind,
};
use crate::critic::consolidate;

/// Which text the site and the PDF show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Edition {
    /// Old values struck through, new ones marked, with their reasons.
    #[default]
    #[value(name = "modifiche")]
    Marked,
    /// The plan in force after the update, without markers.
    #[value(name = "consolidata")]
    Consolidated,
}

/// The book as the edition shows it.
pub fn apply(mut book: Book, edition: Edition) -> Book {
    if edition == Edition::Marked {
        return book;
    }
    for section in &mut book.sections {
        for page in &mut section.pages {
            page.text = consolidate(&page.text);
        }
    }
    for table in book.tables.values_mut() {
        let spec = &mut table.spec;
        for row in &mut spec.rows {
            row.declared.values_mut().for_each(unmark);
            for cell in row.values.iter_mut().flatten() {
                *cell = current_cell(cell);
            }
            for g in row.group.iter_mut().flatten() {
                *g = consolidate(g);
            }
        }
        for n in &mut spec.notes {
            *n = consolidate(n);
        }
    }
    for calc in &mut book.calcs {
        for q in &mut calc.spec.quantities {
            q.declared.iter_mut().for_each(unmark);
        }
    }
    if let Some(objs) = &mut book.objectives {
        consolidate_objectives(objs);
    }
    book
}

/// A rettifica is part of the text in force: the consolidated edition prints the computed
/// figure alone, like any value the update changed.
fn unmark(d: &mut Declared) {
    if let Some(Decision::Correct { marked, .. }) = &mut d.decision {
        *marked = false;
    }
}

/// The plan as it was before the update, as far as figures go: every revised cell and value
/// at its old value, objectives the update added left out and those it removed kept. The
/// compute stage compares it with the plan in force to mark the figures the update changes
/// as a consequence; no renderer shows it.
pub fn previous(book: &Book) -> Book {
    let mut book = book.clone();
    for table in book.tables.values_mut() {
        for row in &mut table.spec.rows {
            for cell in row.values.iter_mut().flatten() {
                *cell = old_cell(cell);
            }
        }
    }
    if let Some(objs) = &mut book.objectives {
        let before =
            |w: &Option<WholeRevision>| !matches!(w, Some(w) if w.kind == WholeRevisionKind::Added);
        objs.strategic.retain(|s| before(&s.spec.revision));
        objs.operational.retain(|o| before(&o.spec.revision));
        for s in &mut objs.strategic {
            s.spec.revision = None;
            s.spec.weight = old_weight(&s.spec.weight);
            previous_indicators(&mut s.spec.indicators);
        }
        for o in &mut objs.operational {
            o.spec.revision = None;
            o.spec.weight = old_weight(&o.spec.weight);
            previous_indicators(&mut o.spec.indicators);
        }
    }
    book
}

fn old_cell(cell: &Cell) -> Cell {
    match cell {
        Cell::Revised(r) => old_cell(&r.old),
        other => other.clone(),
    }
}

/// A weight the update inserted counted as nothing before it.
fn old_weight(v: &Revisable<JsonDecimal>) -> Revisable<JsonDecimal> {
    match v {
        Revisable::Revised(c) => Revisable::Value(c.old.unwrap_or(JsonDecimal(Default::default()))),
        other => other.clone(),
    }
}

fn previous_indicators(list: &mut Vec<IndicatorSpec>) {
    list.retain(|i| !matches!(&i.revision, Some(w) if w.kind == WholeRevisionKind::Added));
    for i in list {
        i.revision = None;
        i.weight = old_weight(&i.weight);
    }
}

fn current_cell(cell: &Cell) -> Cell {
    match cell {
        Cell::Revised(r) => current_cell(&r.new),
        Cell::Text(t) => Cell::Text(consolidate(t)),
        other => other.clone(),
    }
}

fn settle<T: Clone>(v: &Revisable<T>) -> Option<Revisable<T>> {
    v.current().cloned().map(Revisable::Value)
}

/// A weight the update deleted counts as nothing.
fn settle_weight(v: &Revisable<JsonDecimal>) -> Revisable<JsonDecimal> {
    Revisable::Value(
        v.current()
            .copied()
            .unwrap_or(JsonDecimal(Default::default())),
    )
}

fn settle_text(v: &Revisable<String>) -> Revisable<String> {
    Revisable::Value(v.current().map(|s| consolidate(s)).unwrap_or_default())
}

fn consolidate_indicators(list: &mut Vec<IndicatorSpec>) {
    list.retain(IndicatorSpec::in_force);
    for i in list {
        i.revision = None;
        i.name = consolidate(&i.name);
        i.weight = settle_weight(&i.weight);
        i.kind = settle_text(&i.kind);
        i.signal = i.signal.as_deref().map(consolidate);
        i.algorithm = consolidate(&i.algorithm);
        i.source = i.source.as_ref().and_then(settle);
        i.baseline = i.baseline.as_ref().and_then(settle);
        i.target = match &i.target {
            Targets::Single(t) => Targets::Single(t.as_ref().map(settle_text)),
            Targets::ByYear(years) => Targets::ByYear(
                years
                    .iter()
                    .map(|(y, t)| (y.clone(), t.as_ref().map(settle_text)))
                    .collect(),
            ),
        };
    }
}

fn consolidate_objectives(objs: &mut Objectives) {
    objs.strategic.retain(|s| s.spec.in_force());
    for s in &mut objs.strategic {
        let spec = &mut s.spec;
        spec.revision = None;
        spec.weight = settle_weight(&spec.weight);
        spec.intro = spec.intro.as_deref().map(consolidate);
        spec.description = consolidate(&spec.description);
        consolidate_indicators(&mut spec.indicators);
        spec.notes = spec.notes.iter().map(|n| consolidate(n)).collect();
    }
    objs.operational.retain(|o| o.spec.in_force());
    for o in &mut objs.operational {
        let spec = &mut o.spec;
        spec.revision = None;
        spec.weight = settle_weight(&spec.weight);
        spec.description = consolidate(&spec.description);
        spec.unit = consolidate(&spec.unit);
        for people in [&mut spec.collectors, &mut spec.validators] {
            *people = people.iter().filter_map(settle).collect();
        }
        consolidate_indicators(&mut spec.indicators);
        spec.notes = spec.notes.iter().map(|n| consolidate(n)).collect();
    }
}

//! The performance cascade: objectives and indicators added or removed by the update, and
//! every value and text of those in both editions (weights, targets, types, sources,
//! baselines, people, descriptions). Objectives are recognised by their code, indicators by
//! their position when their number is unchanged, else by their name.

use super::{Changes, words};
use crate::content::jsonpos::{JsonFile, Step};
use crate::content::model::{
    Book, Change, IndicatorSpec, ObjectiveSource, Revisable, Targets, WholeRevision,
    WholeRevisionKind,
};
use crate::diag::Location;
use similar::{Algorithm, DiffTag, capture_diff_slices, capture_diff_slices_by_key};

pub(super) fn compare(book: &mut Book, approved: &Book, changes: &mut Changes) {
    let (Some(objs), Some(before)) = (&mut book.objectives, &approved.objectives) else {
        return;
    };
    let file = JsonFile::new(&objs.areas.path, &objs.areas.text);
    for (i, area) in objs.areas.spec.areas.iter_mut().enumerate() {
        if let Some(old) = before.areas.spec.areas.iter().find(|a| a.id == area.id) {
            let at = file.at(&[Step::Key("aree"), Step::Index(i), Step::Key("funzioni")]);
            let key = format!("aree/{}/funzioni", area.id);
            if area.functions != old.functions {
                let reason = changes.reason(&key, at);
                if let Some(m) = words::mark(&old.functions, &area.functions, reason.as_deref()) {
                    area.functions = m;
                }
            }
        }
    }
    cards(&mut objs.strategic, &before.strategic, changes);
    cards(&mut objs.operational, &before.operational, changes);
}

/// What the strategic and operational objectives share, for the comparison.
trait Card: Clone {
    fn code(&self) -> &str;
    fn revision(&mut self) -> &mut Option<WholeRevision>;
    /// Compares every field with the approved card.
    fn compare(&mut self, old: &Self, code: &str, file: &JsonFile, changes: &mut Changes);
}

fn cards<T: Card>(
    list: &mut Vec<ObjectiveSource<T>>,
    before: &[ObjectiveSource<T>],
    changes: &mut Changes,
) {
    for card in list.iter_mut() {
        let code = card.spec.code().to_string();
        let file = JsonFile::new(&card.path, &card.text);
        // By file first: an objective the update replaces keeps its code in a new file.
        let old = (before.iter().find(|b| b.slug == card.slug))
            .or_else(|| before.iter().find(|b| b.spec.code() == code));
        match old {
            Some(old) => card.spec.compare(&old.spec, &code, &file, changes),
            None if card.spec.revision().is_none() => {
                let reason = changes.reason(&code, file.at(&[]));
                *card.spec.revision() = Some(whole(WholeRevisionKind::Added, reason));
            }
            None => {}
        }
    }
    // Objectives the update removes: the approved card, struck, where its file name sorts.
    for old in before {
        let code = old.spec.code();
        if list
            .iter()
            .any(|c| c.slug == old.slug || c.spec.code() == code)
        {
            continue;
        }
        let file = JsonFile::new(&old.path, &old.text);
        let reason = changes.reason(code, file.at(&[]));
        let mut card = old.clone();
        *card.spec.revision() = Some(whole(WholeRevisionKind::Removed, reason));
        let at = list.partition_point(|c| c.slug < card.slug);
        list.insert(at, card);
    }
}

fn whole(kind: WholeRevisionKind, reason: Option<String>) -> WholeRevision {
    WholeRevision {
        kind,
        reason,
        act: None,
        inferred: None,
    }
}

impl Card for crate::content::model::StrategicSpec {
    fn code(&self) -> &str {
        &self.code
    }
    fn revision(&mut self) -> &mut Option<WholeRevision> {
        &mut self.revision
    }
    fn compare(&mut self, old: &Self, code: &str, file: &JsonFile, changes: &mut Changes) {
        let f = Fields { code, file };
        f.value(&mut self.weight, &old.weight, "peso", changes);
        f.text(
            &mut self.description,
            &old.description,
            "descrizione",
            changes,
        );
        let intro = old.intro.as_deref().unwrap_or("");
        if let Some(t) = &mut self.intro {
            f.text(t, intro, "introduzione", changes);
        }
        f.notes(&mut self.notes, &old.notes, changes);
        indicators(&mut self.indicators, &old.indicators, &f, changes);
    }
}

impl Card for crate::content::model::OperationalSpec {
    fn code(&self) -> &str {
        &self.code
    }
    fn revision(&mut self) -> &mut Option<WholeRevision> {
        &mut self.revision
    }
    fn compare(&mut self, old: &Self, code: &str, file: &JsonFile, changes: &mut Changes) {
        let f = Fields { code, file };
        f.value(&mut self.weight, &old.weight, "peso", changes);
        f.text(
            &mut self.description,
            &old.description,
            "descrizione",
            changes,
        );
        f.text(&mut self.unit, &old.unit, "uo", changes);
        f.people(&mut self.collectors, &old.collectors, "rilevatori", changes);
        f.people(&mut self.validators, &old.validators, "validatori", changes);
        f.notes(&mut self.notes, &old.notes, changes);
        indicators(&mut self.indicators, &old.indicators, &f, changes);
    }
}

/// A card's file and code: where its fields are, and how `motivi.json` names them.
struct Fields<'a> {
    code: &'a str,
    file: &'a JsonFile<'a>,
}

impl Fields<'_> {
    fn at(&self, path: &[&str]) -> Location {
        let steps: Vec<Step> = path.iter().map(|k| step(k)).collect();
        self.file.at(&steps)
    }

    /// `OS 1.4/indicatore 2/target 2026`: a card's field as `motivi.json` names it, numbers
    /// joined to the field they count (indicators and notes from 1, years as they are).
    fn key(&self, path: &[&str]) -> String {
        let mut key = self.code.to_string();
        let mut parts = path.iter().peekable();
        while let Some(p) = parts.next() {
            key.push('/');
            let index = parts.peek().and_then(|n| n.parse::<usize>().ok());
            match (*p, index) {
                ("indicatori", Some(i)) => key.push_str(&format!("indicatore {}", i + 1)),
                ("note", Some(i)) => key.push_str(&format!("nota {}", i + 1)),
                ("target", Some(year)) => key.push_str(&format!("target {year}")),
                (other, _) => {
                    key.push_str(other);
                    continue;
                }
            }
            parts.next();
        }
        key
    }

    fn value<T: Clone + PartialEq>(
        &self,
        cur: &mut Revisable<T>,
        old: &Revisable<T>,
        field: &str,
        changes: &mut Changes,
    ) {
        self.at_path(cur, old, &[field], changes);
    }

    /// A revisable value at `path` in the card (`["indicatori", "0", "peso"]`).
    fn at_path<T: Clone + PartialEq>(
        &self,
        cur: &mut Revisable<T>,
        old: &Revisable<T>,
        path: &[&str],
        changes: &mut Changes,
    ) {
        let (Revisable::Value(new), Some(prior)) = (&*cur, old.current()) else {
            return;
        };
        if new == prior {
            return;
        }
        let reason = changes.reason(&self.key(path), self.at(path));
        *cur = revised(Some(prior.clone()), Some(new.clone()), reason);
    }

    fn optional(
        &self,
        cur: &mut Option<Revisable<String>>,
        old: &Option<Revisable<String>>,
        path: &[&str],
        changes: &mut Changes,
    ) {
        let prior = old.as_ref().and_then(|o| o.current()).cloned();
        match cur {
            Some(c) => {
                let Revisable::Value(new) = &*c else { return };
                if prior.as_ref() == Some(new) {
                    return;
                }
                let reason = changes.reason(&self.key(path), self.at(path));
                *c = revised(prior, Some(new.clone()), reason);
            }
            None if prior.is_some() => {
                let reason = changes.reason(&self.key(path), self.at(&path[..path.len() - 1]));
                *cur = Some(revised(prior, None, reason));
            }
            None => {}
        }
    }

    fn text(&self, cur: &mut String, old: &str, field: &str, changes: &mut Changes) {
        self.text_at(cur, old, &[field], changes);
    }

    fn text_at(&self, cur: &mut String, old: &str, path: &[&str], changes: &mut Changes) {
        if cur == old {
            return;
        }
        let reason = changes.reason(&self.key(path), self.at(path));
        if let Some(m) = words::mark(old, cur, reason.as_deref()) {
            *cur = m;
        }
    }

    fn notes(&self, cur: &mut [String], old: &[String], changes: &mut Changes) {
        for (i, note) in cur.iter_mut().enumerate() {
            let prior = old.get(i).map_or("", String::as_str);
            let index = i.to_string();
            self.text_at(note, prior, &["note", &index], changes);
        }
    }

    /// Rilevatori and validatori: names added and removed, each marked.
    fn people(
        &self,
        cur: &mut Vec<Revisable<String>>,
        old: &[Revisable<String>],
        field: &str,
        changes: &mut Changes,
    ) {
        if cur.iter().any(|p| matches!(p, Revisable::Revised(_))) {
            return;
        }
        let names = |l: &[Revisable<String>]| -> Vec<String> {
            l.iter().filter_map(|p| p.current().cloned()).collect()
        };
        let (before, after) = (names(old), names(cur));
        if before == after {
            return;
        }
        let reason = changes.reason(&self.key(&[field]), self.at(&[field]));
        let mut list = Vec::new();
        for op in capture_diff_slices(Algorithm::Myers, &before, &after) {
            let (tag, o, n) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => list.extend(after[n].iter().cloned().map(Revisable::Value)),
                _ => {
                    for name in &before[o] {
                        list.push(revised(Some(name.clone()), None, reason.clone()));
                    }
                    for name in &after[n] {
                        list.push(revised(None, Some(name.clone()), reason.clone()));
                    }
                }
            }
        }
        *cur = list;
    }
}

/// A path step: digits index an array, anything else is a key.
fn step(k: &str) -> Step<'_> {
    match k.parse::<usize>() {
        Ok(i) => Step::Index(i),
        Err(_) => Step::Key(k),
    }
}

fn revised<T>(old: Option<T>, new: Option<T>, reason: Option<String>) -> Revisable<T> {
    Revisable::Revised(Box::new(Change {
        old,
        new,
        reason,
        act: None,
        inferred: None,
        earlier: Vec::new(),
    }))
}

/// The indicators of a card: paired, added or removed.
fn indicators(
    cur: &mut Vec<IndicatorSpec>,
    old: &[IndicatorSpec],
    f: &Fields,
    changes: &mut Changes,
) {
    let pairs: Vec<(Option<usize>, Option<usize>)> = if cur.len() == old.len() {
        (0..cur.len()).map(|i| (Some(i), Some(i))).collect()
    } else {
        let name = |i: &IndicatorSpec| crate::critic::consolidate(&i.name);
        let mut p = Vec::new();
        for op in capture_diff_slices_by_key(Algorithm::Myers, old, cur, name) {
            let (tag, o, n) = op.as_tag_tuple();
            if tag == DiffTag::Equal {
                p.extend(o.zip(n).map(|(a, b)| (Some(a), Some(b))));
            } else {
                p.extend(o.map(|a| (Some(a), None)));
                p.extend(n.map(|b| (None, Some(b))));
            }
        }
        p
    };
    let mut list = Vec::with_capacity(pairs.len());
    for (o, n) in pairs {
        match (o.and_then(|o| old.get(o)), n.and_then(|n| cur.get(n))) {
            (Some(before), Some(now)) => {
                let mut now = now.clone();
                let k = n.unwrap_or_default().to_string();
                indicator(&mut now, before, &k, f, changes);
                list.push(now);
            }
            (None, Some(now)) => {
                let mut now = now.clone();
                if now.revision.is_none() {
                    let k = n.unwrap_or_default().to_string();
                    let key = format!("{}/indicatore {}", f.code, n.unwrap_or_default() + 1);
                    let reason = changes.reason(&key, f.at(&["indicatori", &k]));
                    now.revision = Some(whole(WholeRevisionKind::Added, reason));
                }
                list.push(now);
            }
            (Some(before), None) => {
                let mut gone = before.clone();
                let key = format!("{}/indicatore {}", f.code, o.unwrap_or_default() + 1);
                let reason = changes.reason(&key, f.at(&["indicatori"]));
                gone.revision = Some(whole(WholeRevisionKind::Removed, reason));
                list.push(gone);
            }
            (None, None) => {}
        }
    }
    *cur = list;
}

fn indicator(
    cur: &mut IndicatorSpec,
    old: &IndicatorSpec,
    k: &str,
    f: &Fields,
    changes: &mut Changes,
) {
    let p = |field| ["indicatori", k, field];
    f.text_at(&mut cur.name, &old.name, &p("nome"), changes);
    f.at_path(&mut cur.weight, &old.weight, &p("peso"), changes);
    f.at_path(&mut cur.kind, &old.kind, &p("tipologia"), changes);
    f.text_at(&mut cur.algorithm, &old.algorithm, &p("algoritmo"), changes);
    if let Some(s) = &mut cur.signal {
        let before = old.signal.as_deref().unwrap_or("");
        f.text_at(s, before, &p("valore_segnaletico"), changes);
    }
    f.optional(&mut cur.source, &old.source, &p("fonte"), changes);
    f.optional(&mut cur.baseline, &old.baseline, &p("baseline"), changes);
    match (&mut cur.target, &old.target) {
        (Targets::Single(c), Targets::Single(o)) => f.optional(c, o, &p("target"), changes),
        (Targets::ByYear(c), Targets::ByYear(o)) => {
            for (year, value) in c.iter_mut() {
                // A year the approved edition did not have belongs to a new period, not to
                // an update of this one.
                if let Some(prior) = o.get(year) {
                    f.optional(value, prior, &["indicatori", k, "target", year], changes);
                }
            }
        }
        _ => {}
    }
}

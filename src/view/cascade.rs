//! The performance cascade as both renderers show it: one walk over every objective's
//! revisable values produces its card (each value unchanged or changed, with the reasons
//! numbered in reading order) and lists each revision, with its place in the file, for the
//! Prospetto delle modifiche.

use super::notes::Notes;
use super::shown::{Shown, Text};
use crate::address;
use crate::compute::model::Amendment;
use crate::content::jsonpos::{self, JsonFile, Step};
use crate::content::model::{
    Earlier, IndicatorSpec, JsonDecimal, ObjectiveSource, Objectives, OperationalSpec, Revisable,
    StrategicSpec, Targets, WholeRevision, WholeRevisionKind,
};
use crate::content::period::Period;
use crate::critic;
use crate::expand::place::Cursor;
use crate::format;
use crate::markdown;
use std::collections::BTreeMap;

/// What a card prints for a target the planner has still to set (`null`, as `piao
/// nuova-edizione` leaves the years a new plan adds): the reader sees it is not decided yet.
pub const PENDING_TARGET: &str = "da definire";

#[derive(Debug, Clone)]
pub struct CascadeView {
    /// The years the strategic targets cover: the plan's period.
    pub years: Vec<String>,
    /// The year of the operational objectives and of their targets: the period's first.
    pub target_year: String,
    /// The year the indicators' baseline measures: the one before the period.
    pub baseline_year: String,
    /// How many objectives are in force after the update, strategic and operational, as the
    /// compute stage counted them (and the prose cites them).
    pub in_force: (String, String),
    pub ambiti: Vec<AmbitoView>,
    /// The strategic objectives' cards, in file order.
    pub strategic: Vec<StrategicCard>,
    /// Allegato 1's areas, in their order.
    pub areas: Vec<AreaView>,
    /// The operational objectives' cards, in file order.
    pub operational: Vec<OperationalCard>,
}

#[derive(Debug, Clone)]
pub struct AmbitoView {
    pub code: String,
    pub title: String,
    /// Its strategic objectives (indices into [`CascadeView::strategic`]).
    pub strategic: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct AreaView {
    pub id: String,
    pub title: String,
    /// `AS 1 – Competitività …`, the ambito the area serves.
    pub ambito: String,
    /// The area's functions (Markdown).
    pub functions: String,
    /// Its cards in Allegato 1's order (indices into [`CascadeView::operational`]).
    pub cards: Vec<usize>,
}

/// An objective as an entry of a list (the tree, a strategic card, Allegato 1's index).
#[derive(Debug, Clone)]
pub struct Node {
    pub url: String,
    /// Removed or added by the update as a whole.
    pub status: Option<WholeRevisionKind>,
    /// `OO 1.1.1 – title`, struck or marked as a whole.
    pub label: Shown,
    pub weight: Shown,
}

/// The banner of an objective the update added or removed.
#[derive(Debug, Clone)]
pub struct Status {
    pub kind: WholeRevisionKind,
    /// «Obiettivo operativo eliminato con l'aggiornamento.»
    pub text: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct IndicatorView {
    pub status: Option<WholeRevisionKind>,
    pub name: Shown,
    /// The tipologia (efficacia, efficienza…).
    pub kind: Shown,
    pub weight: Shown,
    /// The valore segnaletico (strategic indicators).
    pub signal: Option<Text>,
    pub algorithm: Text,
    pub source: Option<Shown>,
    pub baseline: Option<Shown>,
    /// One per year of the strategic targets, or the operational target.
    pub targets: Vec<Shown>,
}

#[derive(Debug, Clone)]
pub struct StrategicCard {
    pub url: String,
    pub code: String,
    pub title: String,
    /// The title the card prints.
    pub card_title: String,
    /// `AS 1 – Competitività …`, when the ambito exists.
    pub ambito: Option<String>,
    pub status: Option<Status>,
    pub intro: Option<Text>,
    /// In the ambito, as a percentage.
    pub weight: Shown,
    pub description: Text,
    pub mission: String,
    pub programme: String,
    pub indicators: Vec<IndicatorView>,
    pub notes: Vec<Text>,
    /// Its operational objectives (indices into [`CascadeView::operational`]).
    pub operational: Vec<usize>,
    /// The objective in the tree: weight as a percentage.
    pub node: Node,
    pub reasons: Notes,
}

/// The strategic objective a scheda declines.
#[derive(Debug, Clone)]
pub struct StrategicRef {
    /// `OS 1.1`.
    pub code: String,
    /// `OS 1.1 – title`.
    pub label: String,
    /// Its card, when it is in force.
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct OperationalCard {
    pub url: String,
    /// The scheda's number.
    pub number: u32,
    pub code: String,
    pub title: String,
    pub card_title: String,
    pub area_title: String,
    pub strategic: StrategicRef,
    pub status: Option<Status>,
    /// In the strategic objective, as a percentage.
    pub weight: Shown,
    pub description: Text,
    pub unit: Text,
    pub collectors: Vec<Shown>,
    pub validators: Vec<Shown>,
    pub indicators: Vec<IndicatorView>,
    pub notes: Vec<Text>,
    /// The objective in lists: weight as a plain number.
    pub node: Node,
    pub reasons: Notes,
}

/// The cascade's view, and every revision of its files; the years come from the plan's
/// `period`, `in_force` are the counts of the objectives in force.
pub fn view(
    objs: &Objectives,
    period: &Period,
    in_force: (String, String),
) -> (CascadeView, Vec<Amendment>) {
    let mut amendments = Vec::new();
    let years = period.year_keys();
    let target_year = period.target_year().to_string();
    let baseline_year = period.baseline_year().to_string();
    let ambito_title: BTreeMap<&str, String> = objs
        .ambiti
        .spec
        .ambiti
        .iter()
        .map(|a| (a.code.as_str(), format!("{} – {}", a.code, a.title)))
        .collect();
    let area_title: BTreeMap<&str, &str> = objs
        .areas
        .spec
        .areas
        .iter()
        .map(|a| (a.id.as_str(), a.title.as_str()))
        .collect();
    let in_force_os: BTreeMap<&str, StrategicRef> = objs
        .strategic
        .iter()
        .filter(|s| s.spec.in_force())
        .map(|s| {
            (
                s.spec.code.as_str(),
                StrategicRef {
                    code: s.spec.code.clone(),
                    label: format!("{} – {}", s.spec.code, s.spec.title),
                    url: Some(address::strategic(&s.slug)),
                },
            )
        })
        .collect();
    let operational: Vec<OperationalCard> = objs
        .operational
        .iter()
        .map(|o| {
            let strategic = in_force_os
                .get(o.spec.strategic.as_str())
                .cloned()
                .unwrap_or_else(|| StrategicRef {
                    code: o.spec.strategic.clone(),
                    label: o.spec.strategic.clone(),
                    url: None,
                });
            let area = area_title
                .get(o.spec.area.as_str())
                .copied()
                .unwrap_or_default();
            operational_card(o, strategic, area, period, &mut amendments)
        })
        .collect();
    let strategic: Vec<StrategicCard> = objs
        .strategic
        .iter()
        .map(|s| {
            let children: Vec<usize> = (0..objs.operational.len())
                .filter(|&i| objs.operational[i].spec.strategic == s.spec.code)
                .collect();
            let ambito = ambito_title.get(s.spec.ambito.as_str()).cloned();
            strategic_card(s, ambito, children, &operational, period, &mut amendments)
        })
        .collect();
    let ambiti = objs
        .ambiti
        .spec
        .ambiti
        .iter()
        .map(|a| AmbitoView {
            code: a.code.clone(),
            title: a.title.clone(),
            strategic: objs
                .strategic
                .iter()
                .enumerate()
                .filter(|(_, s)| s.spec.ambito == a.code)
                .map(|(i, _)| i)
                .collect(),
        })
        .collect();
    let areas = objs
        .annex()
        .into_iter()
        .map(|(a, cards)| AreaView {
            id: a.id.clone(),
            title: a.title.clone(),
            ambito: ambito_title
                .get(a.ambito.as_str())
                .cloned()
                .unwrap_or_default(),
            functions: a.functions.clone(),
            cards,
        })
        .collect();
    let view = CascadeView {
        in_force,
        years,
        target_year,
        baseline_year,
        ambiti,
        strategic,
        areas,
        operational,
    };
    (view, amendments)
}

/// What the content says about a revision besides its values: why, by which act, and
/// (when the published act shows it only indirectly) on what sign it rests.
struct Listed<'a> {
    reason: Option<&'a str>,
    act: Option<&'a str>,
    inferred: Option<&'a str>,
    /// The value's earlier revisions, as listed.
    history: Vec<Earlier<String>>,
}

/// One objective file walked once: its card's values, their notes, its revisions.
struct Walk<'a> {
    file: JsonFile<'a>,
    /// Locates the revisions written inside its texts, in file order.
    cursor: Cursor<'a>,
    notes: Notes,
    amendments: &'a mut Vec<Amendment>,
}

impl<'a> Walk<'a> {
    fn of<T>(src: &'a ObjectiveSource<T>, amendments: &'a mut Vec<Amendment>) -> Self {
        Walk {
            file: JsonFile::new(&src.path, &src.text),
            cursor: Cursor::new(&src.path, &src.text),
            notes: Notes::default(),
            amendments,
        }
    }

    fn list(
        &mut self,
        path: &[Step<'_>],
        field: &str,
        old: String,
        new: String,
        about: Listed<'_>,
    ) {
        self.amendments.push(Amendment {
            at: self.file.at(path),
            old,
            new,
            reason: about.reason.unwrap_or_default().to_string(),
            field: Some(field.to_string()),
            act: about.act.map(str::to_string),
            inferred: about.inferred.map(str::to_string),
            markdown: false,
            kind: Default::default(),
            causes: Vec::new(),
            history: about.history,
        });
    }

    /// A revisable value: shown with `show`, listed (when revised) with `listed`.
    fn value<T>(
        &mut self,
        path: &[Step<'_>],
        field: &str,
        v: &Revisable<T>,
        show: impl Fn(&T) -> Text,
        listed: impl Fn(&T) -> String,
    ) -> Shown {
        if let Revisable::Revised(c) = v {
            let side = |x: &Option<T>| x.as_ref().map(&listed).unwrap_or_default();
            self.list(
                path,
                field,
                side(&c.old),
                side(&c.new),
                Listed {
                    reason: c.reason.as_deref(),
                    act: c.act.as_deref(),
                    inferred: c.inferred.as_deref(),
                    history: c.earlier.iter().map(|e| e.map(side)).collect(),
                },
            );
        }
        let shown = Shown::of(v, show);
        self.notes.register(&shown);
        shown
    }

    /// A plain revisable text (a name, a target).
    fn text(&mut self, path: &[Step<'_>], field: &str, v: &Revisable<String>) -> Shown {
        self.value(path, field, v, |s| Text::Plain(s.clone()), String::clone)
    }

    /// A weight: `20%` in the card, `20` in the list of changes.
    fn weight(
        &mut self,
        path: &[Step<'_>],
        field: &str,
        v: &Revisable<JsonDecimal>,
        percent: bool,
    ) -> Shown {
        self.value(
            path,
            field,
            v,
            |d| weight_text(d, percent),
            |d| format::plain(d.0),
        )
    }

    /// A Markdown text, whose CriticMarkup revisions are listed at their character (escapes
    /// of the JSON string counted, the file read once for all of them).
    fn markdown(&mut self, path: &[Step<'_>], field: &str, md: &str) -> Text {
        let edits = critic::edits(md);
        let quote = if edits.is_empty() {
            0
        } else {
            self.file.offset(path)
        };
        for e in edits {
            let offset = jsonpos::offset_in_string(self.file.text, quote, e.offset);
            self.amendments.push(Amendment {
                at: self.cursor.at(offset),
                old: e.old,
                new: e.new,
                reason: e.reason,
                field: Some(field.to_string()),
                act: None,
                inferred: (!e.inferred.is_empty()).then_some(e.inferred),
                markdown: true,
                kind: Default::default(),
                causes: Vec::new(),
                history: Vec::new(),
            });
        }
        let text = Text::Markdown(md.to_string());
        self.notes.register_text(&text);
        text
    }

    /// Something the update added or removed as a whole: `content` struck or marked, listed
    /// as `listed`.
    fn whole(
        &mut self,
        path: &[Step<'_>],
        field: &str,
        listed: String,
        content: Text,
        w: &Option<WholeRevision>,
    ) -> Shown {
        if let Some(w) = w {
            let (old, new) = match w.kind {
                WholeRevisionKind::Removed => (listed, String::new()),
                WholeRevisionKind::Added => (String::new(), listed),
            };
            let about = Listed {
                reason: w.reason.as_deref(),
                act: w.act.as_deref(),
                inferred: w.inferred.as_deref(),
                history: Vec::new(),
            };
            self.list(path, field, old, new, about);
        }
        let shown = Shown::whole(content, w);
        self.notes.register(&shown);
        shown
    }

    /// The banner of an objective added or removed (its revision is listed by `whole`).
    fn status(&mut self, what: &str, w: &Option<WholeRevision>) -> Option<Status> {
        let w = w.as_ref()?;
        let done = match w.kind {
            WholeRevisionKind::Removed => "eliminato",
            WholeRevisionKind::Added => "inserito",
        };
        let reason = w.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = reason {
            self.notes.number(r);
        }
        Some(Status {
            kind: w.kind,
            text: format!("Obiettivo {what} {done} con l'aggiornamento."),
            reason: reason.map(str::to_string),
        })
    }

    /// The indicators of an objective; a strategic one's targets (`by_year`) get a column per
    /// year of the period.
    fn indicators(
        &mut self,
        list: &[IndicatorSpec],
        period: &Period,
        by_year: bool,
    ) -> Vec<IndicatorView> {
        let baseline_label = format!("Baseline {}", period.baseline_year());
        let target_label = format!("Target {}", period.target_year());
        list.iter()
            .enumerate()
            .map(|(i, ind)| {
                let base = [Step::Key("indicatori"), Step::Index(i)];
                let p = |k: &'static str| [base[0], base[1], Step::Key(k)];
                let name_text = markdown::plain(&ind.name);
                let label = |what: &str| format!("{what} – indicatore «{name_text}»");
                let md_name = self.markdown(&p("nome"), &label("Nome"), &ind.name);
                let name = self.whole(
                    &p("nome"),
                    &format!("Indicatore «{name_text}»"),
                    name_text.clone(),
                    md_name,
                    &ind.revision,
                );
                let kind = self.text(&p("tipologia"), &label("Tipologia"), &ind.kind);
                let weight = self.weight(&p("peso"), &label("Peso"), &ind.weight, false);
                let signal = ind.signal.as_deref().map(|v| {
                    self.markdown(&p("valore_segnaletico"), &label("Valore segnaletico"), v)
                });
                let algorithm = self.markdown(&p("algoritmo"), &label("Algoritmo"), &ind.algorithm);
                let source = ind
                    .source
                    .as_ref()
                    .map(|f| self.text(&p("fonte"), &label("Fonte"), f));
                let baseline = ind
                    .baseline
                    .as_ref()
                    .map(|b| self.text(&p("baseline"), &label(&baseline_label), b));
                let targets = match &ind.target {
                    Targets::Single(Some(t)) => {
                        vec![self.text(&p("target"), &label(&target_label), t)]
                    }
                    Targets::Single(None) => vec![Shown::plain(PENDING_TARGET)],
                    Targets::ByYear(by) => {
                        // Every year the content gives is listed (the compute stage checked
                        // they are the period's); a strategic card shows the period's years
                        // in order.
                        let mut shown: BTreeMap<&str, Shown> = BTreeMap::new();
                        for (year, t) in by {
                            let path = [base[0], base[1], Step::Key("target"), Step::Key(year)];
                            let s = match t {
                                Some(t) => self.text(&path, &label(&format!("Target {year}")), t),
                                None => Shown::plain(PENDING_TARGET),
                            };
                            shown.insert(year, s);
                        }
                        if by_year {
                            period
                                .year_keys()
                                .iter()
                                .map(|y| {
                                    shown.remove(y.as_str()).unwrap_or_else(|| Shown::plain(""))
                                })
                                .collect()
                        } else {
                            shown.into_values().collect()
                        }
                    }
                };
                IndicatorView {
                    status: ind.revision.as_ref().map(|w| w.kind),
                    name,
                    kind,
                    weight,
                    signal,
                    algorithm,
                    source,
                    baseline,
                    targets,
                }
            })
            .collect()
    }
}

fn weight_text(d: &JsonDecimal, percent: bool) -> Text {
    Text::Plain(if percent {
        format::percent(d.0, 0)
    } else {
        format::plain(d.0)
    })
}

fn code_title(code: &str, title: &str) -> String {
    format!("{code} – {title}")
}

fn operational_card(
    o: &ObjectiveSource<OperationalSpec>,
    strategic: StrategicRef,
    area_title: &str,
    period: &Period,
    amendments: &mut Vec<Amendment>,
) -> OperationalCard {
    let spec = &o.spec;
    let mut walk = Walk::of(o, amendments);
    let label = code_title(&spec.code, &spec.title);
    let status = walk.status("operativo", &spec.revision);
    let whole_label = walk.whole(
        &[Step::Key("codice")],
        "Obiettivo operativo",
        label.clone(),
        Text::Plain(label.clone()),
        &spec.revision,
    );
    let weight = walk.weight(
        &[Step::Key("peso")],
        "Peso nell'obiettivo strategico",
        &spec.weight,
        true,
    );
    let description = walk.markdown(
        &[Step::Key("descrizione")],
        "Descrizione",
        &spec.description,
    );
    let unit = walk.markdown(&[Step::Key("uo")], "U.O.", &spec.unit);
    let mut people = |key: &'static str, field: &str, list: &[Revisable<String>]| -> Vec<Shown> {
        list.iter()
            .enumerate()
            .map(|(i, p)| walk.text(&[Step::Key(key), Step::Index(i)], field, p))
            .collect()
    };
    let collectors = people("rilevatori", "Rilevatore", &spec.collectors);
    let validators = people("validatori", "Validatore", &spec.validators);
    let indicators = walk.indicators(&spec.indicators, period, false);
    let notes = spec
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| walk.markdown(&[Step::Key("note"), Step::Index(i)], "Note", n))
        .collect();
    let node = Node {
        url: address::operational(&o.slug),
        status: spec.revision.as_ref().map(|w| w.kind),
        label: whole_label,
        weight: Shown::of(&spec.weight, |d| weight_text(d, false)),
    };
    OperationalCard {
        url: address::operational(&o.slug),
        number: spec.number,
        code: spec.code.clone(),
        title: spec.title.clone(),
        card_title: spec
            .card_title
            .clone()
            .unwrap_or_else(|| spec.title.clone()),
        area_title: area_title.to_string(),
        strategic,
        status,
        weight,
        description,
        unit,
        collectors,
        validators,
        indicators,
        notes,
        node,
        reasons: walk.notes,
    }
}

fn strategic_card(
    s: &ObjectiveSource<StrategicSpec>,
    ambito: Option<String>,
    children: Vec<usize>,
    operational: &[OperationalCard],
    period: &Period,
    amendments: &mut Vec<Amendment>,
) -> StrategicCard {
    let spec = &s.spec;
    let mut walk = Walk::of(s, amendments);
    let label = code_title(&spec.code, &spec.title);
    let status = walk.status("strategico", &spec.revision);
    let whole_label = walk.whole(
        &[Step::Key("codice")],
        "Obiettivo strategico",
        label.clone(),
        Text::Plain(label),
        &spec.revision,
    );
    let intro = spec
        .intro
        .as_deref()
        .map(|t| walk.markdown(&[Step::Key("introduzione")], "Introduzione", t));
    let weight = walk.weight(&[Step::Key("peso")], "Peso nell'ambito", &spec.weight, true);
    let description = walk.markdown(
        &[Step::Key("descrizione")],
        "Descrizione",
        &spec.description,
    );
    let indicators = walk.indicators(&spec.indicators, period, true);
    let notes = spec
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| walk.markdown(&[Step::Key("note"), Step::Index(i)], "Note", n))
        .collect();
    // The card lists its operational objectives last: their reasons come after its own.
    for &i in &children {
        walk.notes.register(&operational[i].node.label);
        walk.notes.register(&operational[i].node.weight);
    }
    StrategicCard {
        url: address::strategic(&s.slug),
        code: spec.code.clone(),
        title: spec.title.clone(),
        card_title: spec
            .card_title
            .clone()
            .unwrap_or_else(|| spec.title.clone()),
        ambito,
        status,
        intro,
        weight: weight.clone(),
        description,
        mission: spec.programme.mission.clone(),
        programme: spec.programme.programme.clone(),
        indicators,
        notes,
        operational: children,
        node: Node {
            url: address::strategic(&s.slug),
            status: spec.revision.as_ref().map(|w| w.kind),
            label: whole_label,
            weight,
        },
        reasons: walk.notes,
    }
}

//! The print model: the whole document as data for the typst template (`templates/piao.typ`).
//! Figures arrive formatted the Italian way, prose as blocks and runs, revisions as `old`/`new`
//! runs with their reasons, so the template only lays out.

use super::blocks::{self, Block, Inline, Resolve};
use super::cascade::{self as site_cascade, ChangeGroup};
use super::html::page_url;
use crate::cascade::{annex, in_force, target_years};
use crate::compute::{Computed, RevisionAt, RowKind, Table, Value, display_value};
use crate::expand::Page;
use crate::format;
use crate::model::{
    Book, ColumnKind, Decimal4Json, IndicatorSpec, Objectives, Revisable, Targets, WholeRevision,
    WholeRevisionKind,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// Tables with at least this many columns are laid out on landscape pages.
const LANDSCAPE_COLUMNS: usize = 8;

#[derive(Serialize)]
pub struct PrintModel {
    pub document: DocumentData,
    pub parts: Vec<PartData>,
    pub tables: BTreeMap<String, TableData>,
    pub charts: BTreeMap<String, ChartData>,
    pub cascade: Option<CascadeData>,
    pub changes: Vec<ChangeGroupData>,
}

#[derive(Serialize)]
pub struct DocumentData {
    pub ente: String,
    pub title: String,
    pub acronym: String,
    pub period: String,
    pub edition: String,
    pub acts: Vec<String>,
    /// The edition's date: PDF/A metadata, never the clock.
    pub date: DateData,
    pub running_head: String,
    /// The marked-up edition (revisions shown) or the consolidated one.
    pub marked: bool,
}

#[derive(Serialize)]
pub struct DateData {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

#[derive(Serialize)]
pub struct PartData {
    pub title: String,
    pub label: String,
    pub pages: Vec<PageData>,
}

#[derive(Serialize)]
pub struct PageData {
    /// `None` when the page is the part itself (its title would repeat the part's).
    pub title: Option<String>,
    pub label: String,
    pub blocks: Vec<Block>,
}

#[derive(Serialize)]
pub struct TableData {
    pub title: String,
    pub landscape: bool,
    pub numeric: Vec<bool>,
    /// Relative column widths, from how much text each column holds.
    pub widths: Vec<f64>,
    pub header: Vec<Vec<HeadCell>>,
    pub rows: Vec<RowData>,
    pub source: Option<String>,
    pub notes: Vec<Vec<Inline>>,
    pub reasons: Vec<Vec<Inline>>,
}

/// A chart: the same SVG as the site, its title as caption and description as alternative.
#[derive(Serialize)]
pub struct ChartData {
    pub svg: String,
    pub title: String,
    pub alt: String,
    /// The title of the table of its figures.
    pub data: Option<String>,
}

#[derive(Serialize)]
pub struct HeadCell {
    pub text: String,
    pub colspan: u32,
    pub rowspan: u32,
    pub numeric: bool,
}

#[derive(Serialize)]
pub struct RowData {
    pub kind: &'static str,
    pub cells: Vec<CellData>,
}

#[derive(Serialize)]
pub struct CellData {
    pub c: Vec<Inline>,
    pub colspan: usize,
    pub numeric: bool,
}

#[derive(Serialize)]
pub struct CascadeData {
    pub title: String,
    pub annex_title: String,
    pub years: Vec<String>,
    pub ambiti: Vec<AmbitoData>,
    pub areas: Vec<AreaData>,
}

#[derive(Serialize)]
pub struct AmbitoData {
    pub title: String,
    pub strategic: Vec<StrategicData>,
}

#[derive(Serialize)]
pub struct NodeData {
    pub label: String,
    pub c: Vec<Inline>,
    pub weight: Vec<Inline>,
}

#[derive(Serialize)]
pub struct IndicatorData {
    pub removed: bool,
    pub added: bool,
    pub name: Vec<Inline>,
    pub kind: Vec<Inline>,
    pub weight: Vec<Inline>,
    pub signal: Vec<Inline>,
    pub algorithm: Vec<Inline>,
    pub source: Vec<Inline>,
    pub baseline: Vec<Inline>,
    pub targets: Vec<Vec<Inline>>,
}

#[derive(Serialize)]
pub struct StrategicData {
    pub label: String,
    pub heading: String,
    pub status: Option<Vec<Inline>>,
    pub intro: Vec<Block>,
    pub card_title: String,
    pub weight: Vec<Inline>,
    pub description: Vec<Block>,
    pub mission: String,
    pub programme: String,
    pub indicators: Vec<IndicatorData>,
    pub notes: Vec<Vec<Block>>,
    pub operational: Vec<NodeData>,
    pub reasons: Vec<Vec<Inline>>,
}

#[derive(Serialize)]
pub struct AreaData {
    pub title: String,
    pub label: String,
    pub ambito: String,
    pub functions: Vec<Block>,
    pub schede: Vec<SchedaData>,
}

#[derive(Serialize)]
pub struct SchedaData {
    pub label: String,
    pub heading: String,
    pub number: u32,
    pub status: Option<Vec<Inline>>,
    pub strategic: NodeData,
    pub card_title: String,
    pub weight: Vec<Inline>,
    pub description: Vec<Block>,
    pub unit: Vec<Inline>,
    pub collectors: Vec<Vec<Inline>>,
    pub validators: Vec<Vec<Inline>>,
    pub indicators: Vec<IndicatorData>,
    pub notes: Vec<Vec<Block>>,
    pub reasons: Vec<Vec<Inline>>,
}

#[derive(Serialize)]
pub struct ChangeGroupData {
    pub title: String,
    pub objects: Vec<ChangedObjectData>,
}

#[derive(Serialize)]
pub struct ChangedObjectData {
    pub title: String,
    pub label: Option<String>,
    pub items: Vec<ChangeData>,
}

#[derive(Serialize)]
pub struct ChangeData {
    pub field: String,
    pub old: Vec<Inline>,
    pub new: Vec<Inline>,
    pub reason: Vec<Inline>,
    pub act: Option<String>,
}

/// A print label from a site address: `allegato-1/oo-1-1-1.html` → `allegato-1/oo-1-1-1`.
pub fn label_of(url: &str) -> String {
    url.trim_start_matches("../")
        .trim_start_matches("./")
        .trim_end_matches(".html")
        .trim_end_matches("/index")
        .to_string()
}

/// The reasons of one scheda or table: one note per distinct reason, referenced by number.
#[derive(Default)]
struct Reasons(Vec<String>);

impl Reasons {
    fn mark(&mut self, reason: &str) -> usize {
        match self.0.iter().position(|r| r == reason) {
            Some(i) => i + 1,
            None => {
                self.0.push(reason.to_string());
                self.0.len()
            }
        }
    }

    fn notes(self) -> Vec<Vec<Inline>> {
        self.0.into_iter().map(blocks::text).collect()
    }
}

/// Builds the print model from the same stages the site reads.
pub fn model(
    book: &Book,
    computed: &Computed,
    pages: &[Page],
    changes: &[ChangeGroup],
    date: DateData,
    marked: bool,
) -> PrintModel {
    let m = &book.manifest;
    let mut labels: BTreeMap<String, String> = pages
        .iter()
        .map(|p| {
            let l = label_of(&page_url(book, p));
            (l.clone(), l)
        })
        .collect();
    if let Some(objs) = &book.objectives {
        labels.insert(
            label_of(site_cascade::TREE_URL),
            label_of(site_cascade::TREE_URL),
        );
        labels.insert(
            label_of(site_cascade::ANNEX_URL),
            label_of(site_cascade::ANNEX_URL),
        );
        for s in &objs.strategici {
            let l = label_of(&crate::cascade::strategic_url(s));
            labels.insert(l.clone(), l);
        }
        for o in &objs.operativi {
            let l = label_of(&crate::cascade::operational_url(o));
            labels.insert(l.clone(), l);
        }
    }
    let link = |url: &str| -> Option<String> {
        let path = url.split('#').next().unwrap_or(url);
        labels.get(&label_of(path)).cloned()
    };

    let mut parts: Vec<PartData> = Vec::new();
    for (si, section) in book.sections.iter().enumerate() {
        let meta = &section.meta;
        let title = meta.heading();
        let mut part = PartData {
            label: format!("parte-{}", section.slug),
            title: title.clone(),
            pages: Vec::new(),
        };
        for page in pages.iter().filter(|p| p.section == si) {
            // A page that is its part (Premessa) does not repeat the title: its `##` become
            // level 2, otherwise the page is level 2 and its `##` level 3.
            let same =
                |t: &str| crate::markdown::slugify(&page.title) == crate::markdown::slugify(t);
            let own = same(&meta.titolo) || same(&title);
            let shift = if own { 0 } else { 1 };
            part.pages.push(PageData {
                title: (!own).then(|| page.title.clone()),
                label: label_of(&page_url(book, page)),
                blocks: blocks::blocks(
                    &page.markdown,
                    shift,
                    Resolve {
                        link: &link,
                        reason: None,
                    },
                ),
            });
        }
        parts.push(part);
    }

    let tables = computed
        .tables
        .iter()
        .map(|(id, t)| (id.clone(), table(t, &link)))
        .collect();

    let charts = computed
        .charts
        .iter()
        .map(|(id, c)| {
            (
                id.clone(),
                ChartData {
                    svg: super::chart::svg(c),
                    title: c.title.clone(),
                    alt: format!("{} {}", c.title, c.description),
                    data: c
                        .table
                        .as_ref()
                        .and_then(|t| computed.tables.get(t))
                        .map(|t| t.titolo.clone()),
                },
            )
        })
        .collect();

    let cascade = book.objectives.as_ref().map(|objs| cascade(objs, &link));

    let changes = changes
        .iter()
        .map(|g| ChangeGroupData {
            title: g.title.clone(),
            objects: g
                .objects
                .iter()
                .map(|o| ChangedObjectData {
                    title: o.place.title.clone(),
                    label: link(&o.place.url),
                    items: o.revisions.iter().map(|r| change(r, &link)).collect(),
                })
                .collect(),
        })
        .collect();

    PrintModel {
        document: DocumentData {
            ente: m.ente.clone(),
            title: m.titolo.clone(),
            acronym: m.sigla.clone(),
            period: m.periodo.clone(),
            edition: m.edizione.clone(),
            acts: m.atti.clone(),
            date,
            running_head: format!("{} — {} {}", m.ente, m.sigla, m.periodo),
            marked,
        },
        parts,
        tables,
        charts,
        cascade,
        changes,
    }
}

fn change(r: &RevisionAt, link: &dyn Fn(&str) -> Option<String>) -> ChangeData {
    let show = |v: &str| {
        if r.markdown {
            blocks::inlines(v, link, &mut |_| 0)
        } else {
            blocks::text(v)
        }
    };
    ChangeData {
        field: site_cascade::field_label(r),
        old: show(&r.revision.vecchio),
        new: show(&r.revision.nuovo),
        reason: if r.revision.motivo.is_empty() {
            vec![Inline::Emph {
                c: blocks::text("non indicato nel documento"),
            }]
        } else {
            blocks::text(&r.revision.motivo)
        },
        act: r.atto.clone(),
    }
}

fn table(t: &Table, link: &dyn Fn(&str) -> Option<String>) -> TableData {
    let mut reasons = Reasons::default();
    let numeric: Vec<bool> = t
        .columns
        .iter()
        .map(|c| c.kind != ColumnKind::Testo)
        .collect();
    let header: Vec<Vec<HeadCell>> = t
        .header
        .iter()
        .map(|row| {
            let mut col = 0;
            row.iter()
                .map(|h| {
                    let cell = HeadCell {
                        text: h.testo.clone(),
                        colspan: h.colonne,
                        rowspan: h.righe,
                        numeric: h.colonne == 1 && numeric.get(col).copied().unwrap_or(false),
                    };
                    col += h.colonne as usize;
                    cell
                })
                .collect()
        })
        .collect();
    let mut rows = Vec::new();
    for row in &t.rows {
        let kind = match row.kind {
            RowKind::Total => "total",
            RowKind::Calc => "calc",
            RowKind::Group => "group",
            RowKind::Data if row.emphasis => "emphasis",
            RowKind::Data => "data",
        };
        if row.kind == RowKind::Data && row.cells.iter().all(|c| *c == Value::Empty) {
            continue;
        }
        let cells = if row.kind == RowKind::Group {
            if row.group.len() == 1 {
                vec![CellData {
                    c: blocks::inlines(&row.group[0], link, &mut |r| reasons.mark(r)),
                    colspan: t.columns.len(),
                    numeric: false,
                }]
            } else {
                row.group
                    .iter()
                    .enumerate()
                    .map(|(c, g)| CellData {
                        c: blocks::inlines(g, link, &mut |r| reasons.mark(r)),
                        colspan: 1,
                        numeric: numeric[c],
                    })
                    .collect()
            }
        } else {
            row.cells
                .iter()
                .enumerate()
                .map(|(c, v)| CellData {
                    c: value_runs(v, t.columns[c].kind, t.decimals(row, c), link, &mut reasons),
                    colspan: 1,
                    numeric: numeric[c],
                })
                .collect()
        };
        rows.push(RowData { kind, cells });
    }
    let landscape = t.columns.len() >= LANDSCAPE_COLUMNS;
    let widths = column_widths(&header, &rows, &numeric, landscape);
    TableData {
        title: t.titolo.clone(),
        landscape,
        widths,
        numeric,
        header,
        rows,
        source: t.fonte.clone(),
        notes: t
            .note
            .iter()
            .map(|n| blocks::inlines(n, link, &mut |_| 0))
            .collect(),
        reasons: reasons.notes(),
    }
}

/// The text of runs, for measuring.
fn plain(runs: &[Inline]) -> String {
    let mut out = String::new();
    for r in runs {
        match r {
            Inline::Text { v } | Inline::Code { v } => out.push_str(v),
            Inline::Strong { c }
            | Inline::Emph { c }
            | Inline::Strike { c }
            | Inline::Old { c }
            | Inline::New { c }
            | Inline::Link { c, .. } => out.push_str(&plain(c)),
            _ => out.push(' '),
        }
    }
    out
}

/// Characters of text in runs (what a cell needs room for).
fn text_len(runs: &[Inline]) -> usize {
    runs.iter()
        .map(|r| match r {
            Inline::Text { v } | Inline::Code { v } => v.chars().count(),
            Inline::Strong { c }
            | Inline::Emph { c }
            | Inline::Strike { c }
            | Inline::Old { c }
            | Inline::New { c }
            | Inline::Link { c, .. } => text_len(c),
            Inline::Note { .. } | Inline::Ref { .. } | Inline::Break => 1,
        })
        .sum()
}

/// Relative widths, in characters of the table's text: every column gets at least its longest
/// word (header included) or figure, and the line's remaining room goes to the columns with
/// more text, so long descriptions widen and short words are never cut.
fn column_widths(
    header: &[Vec<HeadCell>],
    rows: &[RowData],
    numeric: &[bool],
    landscape: bool,
) -> Vec<f64> {
    let n = numeric.len();
    // Capitals and bold header text run wider than the average character.
    let longest_word = |s: &str| {
        s.split_whitespace()
            .map(|w| {
                let len = w.chars().count() as f64;
                if w.chars().any(char::is_lowercase) {
                    len
                } else {
                    len * 1.3
                }
            })
            .fold(0.0, f64::max)
    };
    let mut least = vec![3.0f64; n];
    // Header cells sit after the columns that cells of earlier rows span down into.
    let mut spanned = vec![0u32; n];
    for row in header {
        let mut col = 0;
        for cell in row {
            while col < n && spanned[col] > 0 {
                col += 1;
            }
            if cell.colspan == 1 && col < n {
                least[col] = least[col].max(longest_word(&cell.text) * 1.1 + 1.5);
            }
            let end = (col + cell.colspan as usize).min(n);
            for s in spanned.iter_mut().take(end).skip(col) {
                *s = cell.rowspan;
            }
            col += cell.colspan as usize;
        }
        for s in &mut spanned {
            *s = s.saturating_sub(1);
        }
    }
    let mut wanted = vec![4.0f64; n];
    for c in 0..n {
        let cells: Vec<&RowData> = rows.iter().filter(|r| r.cells.len() == n).collect();
        let lens: Vec<usize> = cells
            .iter()
            .map(|r| text_len(&r.cells[c].c))
            .filter(|l| *l > 0)
            .collect();
        if lens.is_empty() {
            continue;
        }
        // A word longer than the column would overflow it (up to a bound: very long words
        // are rare and wrap at their hyphens).
        let word = cells
            .iter()
            .map(|r| longest_word(&plain(&r.cells[c].c)).min(16.0))
            .fold(0.0, f64::max);
        least[c] = least[c].max(word + 1.0);
        if numeric[c] {
            let widest = *lens.iter().max().unwrap_or(&4) as f64 + 1.0;
            least[c] = least[c].max(widest);
            wanted[c] = widest;
        } else {
            wanted[c] = lens.iter().sum::<usize>() as f64 / lens.len() as f64;
        }
        wanted[c] = wanted[c].max(least[c]);
    }
    // Characters a line holds at the table's type size.
    let room = match (landscape, n > 5) {
        (true, _) => 175.0,
        (false, true) => 118.0,
        (false, false) => 105.0,
    };
    let total: f64 = wanted.iter().sum();
    if total <= room {
        return wanted;
    }
    let floor: f64 = least.iter().sum();
    let extra: f64 = wanted.iter().zip(&least).map(|(w, l)| w - l).sum();
    if floor >= room || extra <= 0.0 {
        return least;
    }
    wanted
        .iter()
        .zip(&least)
        .map(|(w, l)| l + (room - floor) * (w - l) / extra)
        .collect()
}

fn value_runs(
    v: &Value,
    kind: ColumnKind,
    decimals: u32,
    link: &dyn Fn(&str) -> Option<String>,
    reasons: &mut Reasons,
) -> Vec<Inline> {
    match v {
        Value::Revised(r) => {
            let mut out = Vec::new();
            let old = value_runs(&r.vecchio, kind, decimals, link, reasons);
            let new = value_runs(&r.nuovo, kind, decimals, link, reasons);
            if !old.is_empty() {
                out.push(Inline::Old { c: old });
            }
            if !new.is_empty() {
                if !out.is_empty() {
                    out.push(Inline::Text { v: " ".into() });
                }
                out.push(Inline::New { c: new });
            }
            if !r.motivo.trim().is_empty() {
                out.push(Inline::Ref {
                    n: reasons.mark(r.motivo.trim()),
                });
            }
            out
        }
        Value::Text(t) => blocks::inlines(t, link, &mut |r| reasons.mark(r)),
        Value::Empty => Vec::new(),
        other => blocks::text(display_value(other, kind, decimals)),
    }
}

/// Builds the runs of revised values, reasons numbered within one scheda.
struct Card<'a> {
    link: &'a dyn Fn(&str) -> Option<String>,
    reasons: Reasons,
}

impl Card<'_> {
    fn value<T>(&mut self, v: &Revisable<T>, show: impl Fn(&T) -> String) -> Vec<Inline> {
        match v {
            Revisable::Value(x) => blocks::text(show(x)),
            Revisable::Revised(c) => {
                let mut out = Vec::new();
                if let Some(old) = &c.vecchio {
                    out.push(Inline::Old {
                        c: blocks::text(show(old)),
                    });
                }
                if let Some(new) = &c.nuovo {
                    if !out.is_empty() {
                        out.push(Inline::Text { v: " ".into() });
                    }
                    out.push(Inline::New {
                        c: blocks::text(show(new)),
                    });
                }
                if let Some(m) = c.motivo.as_deref().filter(|m| !m.trim().is_empty()) {
                    out.push(Inline::Ref {
                        n: self.reasons.mark(m.trim()),
                    });
                }
                out
            }
        }
    }

    fn weight(&mut self, v: &Revisable<Decimal4Json>, percent: bool) -> Vec<Inline> {
        self.value(v, |d| {
            if percent {
                format::percent(d.0, 0)
            } else {
                format::plain(d.0)
            }
        })
    }

    fn md(&mut self, text: &str) -> Vec<Inline> {
        let reasons = &mut self.reasons;
        blocks::inlines(text, self.link, &mut |r| reasons.mark(r))
    }

    fn md_blocks(&mut self, text: &str) -> Vec<Block> {
        let reasons = &mut self.reasons;
        let mut mark = |r: &str| reasons.mark(r);
        blocks::blocks(
            text,
            0,
            Resolve {
                link: self.link,
                reason: Some(&mut mark),
            },
        )
    }

    /// A whole objective or indicator added or removed: struck or marked entirely.
    fn whole(&mut self, c: Vec<Inline>, w: &Option<WholeRevision>) -> Vec<Inline> {
        let Some(w) = w else { return c };
        let mut out = vec![match w.tipo {
            WholeRevisionKind::Eliminato => Inline::Old { c },
            WholeRevisionKind::Inserito => Inline::New { c },
        }];
        if let Some(m) = w.motivo.as_deref().filter(|m| !m.trim().is_empty()) {
            out.push(Inline::Ref {
                n: self.reasons.mark(m.trim()),
            });
        }
        out
    }

    fn status(&mut self, kind: &str, w: &Option<WholeRevision>) -> Option<Vec<Inline>> {
        let w = w.as_ref()?;
        let what = match w.tipo {
            WholeRevisionKind::Eliminato => "eliminato",
            WholeRevisionKind::Inserito => "inserito",
        };
        let mut out = blocks::text(format!("Obiettivo {kind} {what} con l'aggiornamento."));
        if let Some(m) = w.motivo.as_deref().filter(|m| !m.trim().is_empty()) {
            out.push(Inline::Ref {
                n: self.reasons.mark(m.trim()),
            });
        }
        Some(out)
    }

    fn indicators(&mut self, list: &[IndicatorSpec], years: &[String]) -> Vec<IndicatorData> {
        list.iter()
            .map(|i| {
                let name = self.md(&i.nome);
                IndicatorData {
                    removed: matches!(&i.revisione, Some(w) if w.tipo == WholeRevisionKind::Eliminato),
                    added: matches!(&i.revisione, Some(w) if w.tipo == WholeRevisionKind::Inserito),
                    name: self.whole(name, &i.revisione),
                    kind: self.value(&i.tipologia, String::clone),
                    weight: self.weight(&i.peso, false),
                    signal: i.valore_segnaletico.as_deref().map(|v| self.md(v)).unwrap_or_default(),
                    algorithm: self.md(&i.algoritmo),
                    source: i.fonte.as_ref().map(|f| self.value(f, String::clone)).unwrap_or_default(),
                    baseline: i.baseline.as_ref().map(|b| self.value(b, String::clone)).unwrap_or_default(),
                    targets: match &i.target {
                        Targets::Single(t) => vec![self.value(t, String::clone)],
                        Targets::ByYear(by) => years
                            .iter()
                            .map(|y| by.get(y).map(|t| self.value(t, String::clone)).unwrap_or_default())
                            .collect(),
                    },
                }
            })
            .collect()
    }

    fn finish(self) -> Vec<Vec<Inline>> {
        self.reasons.notes()
    }
}

fn cascade(objs: &Objectives, link: &dyn Fn(&str) -> Option<String>) -> CascadeData {
    let years = target_years(objs);
    let node = |card: &mut Card,
                code: &str,
                title: &str,
                url: String,
                weight: &Revisable<Decimal4Json>,
                percent: bool,
                w: &Option<WholeRevision>| NodeData {
        label: label_of(&url),
        c: card.whole(blocks::text(format!("{code} – {title}")), w),
        weight: card.weight(weight, percent),
    };
    let ambiti = objs
        .ambiti
        .spec
        .ambiti
        .iter()
        .map(|a| AmbitoData {
            title: format!("{} – {}", a.codice, a.titolo),
            strategic: objs
                .strategici
                .iter()
                .filter(|s| s.spec.ambito == a.codice)
                .map(|s| {
                    let spec = &s.spec;
                    let mut card = Card {
                        link,
                        reasons: Reasons::default(),
                    };
                    let operational = objs
                        .operativi
                        .iter()
                        .filter(|o| o.spec.obiettivo_strategico == spec.codice)
                        .map(|o| {
                            node(
                                &mut card,
                                &o.spec.codice,
                                &o.spec.titolo,
                                crate::cascade::operational_url(o),
                                &o.spec.peso,
                                false,
                                &o.spec.revisione,
                            )
                        })
                        .collect();
                    StrategicData {
                        label: label_of(&crate::cascade::strategic_url(s)),
                        heading: format!("{} – {}", spec.codice, spec.titolo),
                        status: card.status("strategico", &spec.revisione),
                        intro: spec
                            .introduzione
                            .as_deref()
                            .map(|t| card.md_blocks(t))
                            .unwrap_or_default(),
                        card_title: spec
                            .titolo_scheda
                            .clone()
                            .unwrap_or_else(|| spec.titolo.clone()),
                        weight: card.weight(&spec.peso, true),
                        description: card.md_blocks(&spec.descrizione),
                        mission: spec.programma.missione.clone(),
                        programme: spec.programma.programma.clone(),
                        indicators: card.indicators(&spec.indicatori, &years),
                        notes: spec.note.iter().map(|n| card.md_blocks(n)).collect(),
                        operational,
                        reasons: card.finish(),
                    }
                })
                .collect(),
        })
        .collect();
    let os_title: BTreeMap<&str, (&str, String)> = objs
        .strategici
        .iter()
        .filter(|s| in_force(&s.spec.revisione))
        .map(|s| {
            (
                s.spec.codice.as_str(),
                (s.spec.titolo.as_str(), crate::cascade::strategic_url(s)),
            )
        })
        .collect();
    let areas = annex(objs)
        .into_iter()
        .map(|(a, schede)| AreaData {
            title: a.titolo.clone(),
            label: format!("area-{}", a.id),
            ambito: objs
                .ambiti
                .spec
                .ambiti
                .iter()
                .find(|x| x.codice == a.ambito)
                .map(|x| format!("{} – {}", x.codice, x.titolo))
                .unwrap_or_default(),
            functions: blocks::blocks(&a.funzioni, 0, Resolve { link, reason: None }),
            schede: schede
                .into_iter()
                .map(|o| {
                    let spec = &o.spec;
                    let mut card = Card {
                        link,
                        reasons: Reasons::default(),
                    };
                    let (os_name, os_url) = os_title
                        .get(spec.obiettivo_strategico.as_str())
                        .cloned()
                        .unwrap_or_default();
                    SchedaData {
                        label: label_of(&crate::cascade::operational_url(o)),
                        heading: format!(
                            "Scheda {} – {} – {}",
                            spec.scheda, spec.codice, spec.titolo
                        ),
                        number: spec.scheda,
                        status: card.status("operativo", &spec.revisione),
                        strategic: NodeData {
                            label: label_of(&os_url),
                            c: blocks::text(format!("{} – {os_name}", spec.obiettivo_strategico)),
                            weight: Vec::new(),
                        },
                        card_title: spec
                            .titolo_scheda
                            .clone()
                            .unwrap_or_else(|| spec.titolo.clone()),
                        weight: card.weight(&spec.peso, true),
                        description: card.md_blocks(&spec.descrizione),
                        unit: card.md(&spec.uo),
                        collectors: spec
                            .rilevatori
                            .iter()
                            .map(|p| card.value(p, String::clone))
                            .collect(),
                        validators: spec
                            .validatori
                            .iter()
                            .map(|p| card.value(p, String::clone))
                            .collect(),
                        indicators: card.indicators(&spec.indicatori, &[]),
                        notes: spec.note.iter().map(|n| card.md_blocks(n)).collect(),
                        reasons: card.finish(),
                    }
                })
                .collect(),
        })
        .collect();
    CascadeData {
        title: site_cascade::TREE_TITLE.into(),
        annex_title: site_cascade::ANNEX_TITLE.into(),
        years,
        ambiti,
        areas,
    }
}

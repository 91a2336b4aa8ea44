//! The performance cascade in the site: the tree of objectives, a page per strategic objective
//! (Section 2.2's cards) and per operational one (Allegato 1's cards), drawn from the view's
//! cards; every changed value struck and marked, its reason a note of the page.

use super::engine::Engine;
use super::html::{Marker, markdown};
use super::page::{GeneratedPage, SitePage};
use crate::address;
use crate::content::model::WholeRevisionKind;
use crate::diag::Diagnostic;
use crate::names::anchor;
use crate::render::escape;
use crate::view::cascade::{
    CascadeView, IndicatorView, Node, OperationalCard, Status, StrategicCard,
};
use crate::view::notes::Notes;
use crate::view::shown::Shown;
use serde::Serialize;
use tera::Context;

/// The prefix of the notes' anchors on every page of the cascade.
const PREFIX: &str = "scheda";

/// The row class and the word that mark an objective or indicator the update added or
/// removed: the class strikes every cell of a removed row and tints the row, the word says it
/// without colour (in black-and-white print) and to a screen reader, once.
fn marks_of(status: Option<WholeRevisionKind>) -> (&'static str, &'static str) {
    match status {
        None => ("", ""),
        Some(WholeRevisionKind::Removed) => ("rev-eliminato", "eliminato"),
        Some(WholeRevisionKind::Added) => ("rev-inserito", "nuovo"),
    }
}

/// The banner of an objective added or removed, with the reference to its reason.
fn status_html(marker: &mut Marker, status: &Option<Status>) -> Option<String> {
    let s = status.as_ref()?;
    let mark = s
        .reason
        .as_deref()
        .map(|r| marker.reference(r))
        .unwrap_or_default();
    Some(format!("{}{mark}", escape::html(&s.text)))
}

/// The reasons of a page as its notes list shows them, and whether the page explains its
/// markers: it does when it has reasons or objectives and indicators labelled as added or
/// removed (`labelled`), whose words and strikes a reader of a black-and-white print must be
/// told about.
fn finish(marker: Marker, ctx: &mut Context, labelled: bool) {
    let notes: Vec<String> = marker
        .into_notes()
        .reasons()
        .iter()
        .map(|n| markdown(n))
        .collect();
    ctx.insert("legend", &(labelled || !notes.is_empty()));
    ctx.insert("reasons", &notes);
    ctx.insert("prefix", PREFIX);
}

#[derive(Serialize)]
struct NodeView {
    class: &'static str,
    mark: &'static str,
    url: String,
    /// The text of the link to the node's page.
    label: String,
    /// The references to the label's notes, after the link.
    refs: String,
    weight: String,
}

fn node(marker: &mut Marker, n: &Node) -> NodeView {
    let (class, mark) = marks_of(n.status);
    let (label, refs) = marker.linkable(&n.label);
    NodeView {
        class,
        mark,
        url: n.url.clone(),
        label,
        refs,
        weight: marker.shown(&n.weight),
    }
}

#[derive(Serialize)]
struct IndicatorRow {
    class: &'static str,
    mark: &'static str,
    name: String,
    kind: String,
    weight: String,
    signal: String,
    algorithm: String,
    source: String,
    baseline: String,
    targets: Vec<String>,
}

fn indicators(marker: &mut Marker, list: &[IndicatorView]) -> Vec<IndicatorRow> {
    list.iter()
        .map(|i| {
            let (class, mark) = marks_of(i.status);
            IndicatorRow {
                class,
                mark,
                name: marker.shown(&i.name),
                kind: marker.shown(&i.kind),
                weight: marker.shown(&i.weight),
                signal: i
                    .signal
                    .as_ref()
                    .map(|s| marker.text(s))
                    .unwrap_or_default(),
                algorithm: marker.text(&i.algorithm),
                source: i
                    .source
                    .as_ref()
                    .map(|s| marker.shown(s))
                    .unwrap_or_default(),
                baseline: i
                    .baseline
                    .as_ref()
                    .map(|s| marker.shown(s))
                    .unwrap_or_default(),
                targets: i.targets.iter().map(|t| marker.shown(t)).collect(),
            }
        })
        .collect()
}

/// Every page of the cascade: the tree, the cards of the strategic objectives, the annex
/// index and its cards.
pub fn pages(engine: &Engine, c: &CascadeView) -> Result<Vec<GeneratedPage>, Diagnostic> {
    let mut out = vec![tree(engine, c)?];
    for card in &c.strategic {
        out.push(strategic(engine, c, card)?);
    }
    out.push(annex(engine, c)?);
    for area in &c.areas {
        for &i in &area.cards {
            out.push(operational(engine, c, &c.operational[i])?);
        }
    }
    Ok(out)
}

fn page(
    url: &str,
    title: String,
    over_title: Option<String>,
    body: String,
    outline: Vec<(String, String)>,
) -> SitePage {
    SitePage {
        url: url.to_string(),
        title,
        part: usize::MAX,
        over_title,
        body,
        outline,
    }
}

fn tree(engine: &Engine, c: &CascadeView) -> Result<GeneratedPage, Diagnostic> {
    #[derive(Serialize)]
    struct AmbitoRow {
        id: String,
        code: String,
        title: String,
        strategic: Vec<TreeOs>,
    }
    #[derive(Serialize)]
    struct TreeOs {
        #[serde(flatten)]
        node: NodeView,
        operational: Vec<NodeView>,
    }
    let mut marker = Marker::new(PREFIX, Notes::default());
    let ambiti: Vec<AmbitoRow> = c
        .ambiti
        .iter()
        .map(|a| AmbitoRow {
            id: anchor(&a.code),
            code: a.code.clone(),
            title: a.title.clone(),
            strategic: a
                .strategic
                .iter()
                .map(|&s| {
                    let card = &c.strategic[s];
                    TreeOs {
                        node: node(&mut marker, &card.node),
                        operational: card
                            .operational
                            .iter()
                            .map(|&o| node(&mut marker, &c.operational[o].node))
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("root", address::root_of(address::TREE.url));
    ctx.insert("in_force_strategic", &c.in_force.0);
    ctx.insert("in_force_operational", &c.in_force.1);
    ctx.insert("target_year", &c.target_year);
    let outline = ambiti
        .iter()
        .map(|a| (a.id.clone(), format!("{} – {}", a.code, a.title)))
        .collect();
    let labelled = ambiti
        .iter()
        .flat_map(|a| &a.strategic)
        .any(|s| !s.node.mark.is_empty() || s.operational.iter().any(|o| !o.mark.is_empty()));
    ctx.insert("ambiti", &ambiti);
    finish(marker, &mut ctx, labelled);
    Ok(GeneratedPage {
        page: page(
            address::TREE.url,
            address::TREE.title.into(),
            Some("Sezione 2.2 – Performance".into()),
            engine.render("albero.html", &ctx)?,
            outline,
        ),
        opens_part: true,
    })
}

fn strategic(
    engine: &Engine,
    c: &CascadeView,
    card: &StrategicCard,
) -> Result<GeneratedPage, Diagnostic> {
    let mut marker = Marker::new(PREFIX, card.reasons.clone());
    let mut ctx = Context::new();
    ctx.insert("root", address::root_of(&card.url));
    ctx.insert("strategic", &true);
    ctx.insert("code", &card.code);
    ctx.insert("status", &status_html(&mut marker, &card.status));
    ctx.insert("intro", &card.intro.as_ref().map(|t| marker.text(t)));
    ctx.insert("card_title", &escape::html(&card.card_title));
    ctx.insert("ambito", &card.ambito);
    ctx.insert("weight", &marker.shown(&card.weight));
    ctx.insert("description", &marker.text(&card.description));
    ctx.insert("mission", &card.mission);
    ctx.insert("programme", &card.programme);
    ctx.insert("years", &c.years);
    ctx.insert("baseline_year", &c.baseline_year);
    ctx.insert("target_year", &c.target_year);
    let rows = indicators(&mut marker, &card.indicators);
    let notes: Vec<String> = card.notes.iter().map(|n| marker.text(n)).collect();
    ctx.insert("notes", &notes);
    let operational: Vec<NodeView> = card
        .operational
        .iter()
        .map(|&o| node(&mut marker, &c.operational[o].node))
        .collect();
    let labelled = card.status.is_some()
        || rows.iter().any(|i| !i.mark.is_empty())
        || operational.iter().any(|o| !o.mark.is_empty());
    ctx.insert("indicators", &rows);
    ctx.insert("operational", &operational);
    finish(marker, &mut ctx, labelled);
    let outline = vec![
        ("indicatori".to_string(), "Indicatori e target".to_string()),
        (
            "obiettivi-operativi".to_string(),
            format!("Obiettivi operativi {}", c.target_year),
        ),
    ];
    Ok(GeneratedPage {
        page: page(
            &card.url,
            format!("{} – {}", card.code, card.title),
            card.ambito.clone(),
            engine.render("strategico.html", &ctx)?,
            outline,
        ),
        opens_part: false,
    })
}

fn annex(engine: &Engine, c: &CascadeView) -> Result<GeneratedPage, Diagnostic> {
    #[derive(Serialize)]
    struct AreaRow {
        id: String,
        title: String,
        ambito: String,
        functions: String,
        cards: Vec<CardRow>,
    }
    #[derive(Serialize)]
    struct CardRow {
        class: &'static str,
        mark: &'static str,
        number: u32,
        url: String,
        label: String,
        refs: String,
        strategic: String,
        weight: String,
    }
    let mut marker = Marker::new(PREFIX, Notes::default());
    let areas: Vec<AreaRow> = c
        .areas
        .iter()
        .map(|a| AreaRow {
            id: a.id.clone(),
            title: a.title.clone(),
            ambito: a.ambito.clone(),
            functions: markdown(&a.functions),
            cards: a
                .cards
                .iter()
                .map(|&i| {
                    let o = &c.operational[i];
                    let n = node(&mut marker, &o.node);
                    CardRow {
                        class: n.class,
                        mark: n.mark,
                        number: o.number,
                        url: n.url,
                        label: n.label,
                        refs: n.refs,
                        strategic: o.strategic.code.clone(),
                        weight: n.weight,
                    }
                })
                .collect(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("root", address::root_of(address::ANNEX.url));
    ctx.insert("target_year", &c.target_year);
    let outline = areas
        .iter()
        .map(|a| (address::area_anchor(&a.id), a.title.clone()))
        .collect();
    let labelled = areas
        .iter()
        .flat_map(|a| &a.cards)
        .any(|o| !o.mark.is_empty());
    ctx.insert("areas", &areas);
    finish(marker, &mut ctx, labelled);
    Ok(GeneratedPage {
        page: page(
            address::ANNEX.url,
            address::ANNEX.title.into(),
            None,
            engine.render("allegato.html", &ctx)?,
            outline,
        ),
        opens_part: true,
    })
}

fn operational(
    engine: &Engine,
    c: &CascadeView,
    card: &OperationalCard,
) -> Result<GeneratedPage, Diagnostic> {
    #[derive(Serialize)]
    struct StrategicLink<'a> {
        label: &'a str,
        url: Option<&'a str>,
    }
    let mut marker = Marker::new(PREFIX, card.reasons.clone());
    let mut ctx = Context::new();
    ctx.insert("root", address::root_of(&card.url));
    ctx.insert("strategic", &false);
    ctx.insert("number", &card.number);
    ctx.insert("code", &card.code);
    ctx.insert("status", &status_html(&mut marker, &card.status));
    ctx.insert(
        "strategic_objective",
        &StrategicLink {
            label: &card.strategic.label,
            url: card.strategic.url.as_deref(),
        },
    );
    ctx.insert("card_title", &escape::html(&card.card_title));
    ctx.insert("weight", &marker.shown(&card.weight));
    ctx.insert("description", &marker.text(&card.description));
    ctx.insert("unit", &marker.text(&card.unit));
    let people = |marker: &mut Marker, list: &[Shown]| -> Vec<String> {
        list.iter().map(|p| marker.shown(p)).collect()
    };
    ctx.insert("collectors", &people(&mut marker, &card.collectors));
    ctx.insert("validators", &people(&mut marker, &card.validators));
    ctx.insert("years", std::slice::from_ref(&c.target_year));
    ctx.insert("baseline_year", &c.baseline_year);
    let rows = indicators(&mut marker, &card.indicators);
    let labelled = card.status.is_some() || rows.iter().any(|i| !i.mark.is_empty());
    ctx.insert("indicators", &rows);
    let notes: Vec<String> = card.notes.iter().map(|n| marker.text(n)).collect();
    ctx.insert("notes", &notes);
    finish(marker, &mut ctx, labelled);
    let over_title = format!(
        "Allegato 1 – {} – Scheda di programmazione operativa {}",
        card.area_title, card.number
    );
    Ok(GeneratedPage {
        page: page(
            &card.url,
            format!("{} – {}", card.code, card.title),
            Some(over_title),
            engine.render("operativo.html", &ctx)?,
            vec![("indicatori".into(), "Indicatori e target".into())],
        ),
        opens_part: false,
    })
}

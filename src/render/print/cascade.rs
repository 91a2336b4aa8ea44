//! The cascade for print: the strategic objectives' cards under their ambiti and Allegato 1's
//! cards under their areas, drawn from the view's cards.

use super::blocks::{self, Inline, Resolve};
use super::model::{
    AmbitoData, AreaData, CascadeData, IndicatorData, NodeData, OperationalData, StrategicData,
};
use super::runs::Runs;
use crate::address::{self, print_label};
use crate::content::model::WholeRevisionKind;
use crate::view::cascade::{
    CascadeView, IndicatorView, Node, OperationalCard, Status, StrategicCard,
};

type Link<'a> = &'a dyn Fn(&str) -> Option<String>;

pub fn cascade(c: &CascadeView, link: Link) -> CascadeData {
    CascadeData {
        title: address::TREE.title.into(),
        annex_title: address::ANNEX.title.into(),
        years: c.years.clone(),
        target_year: c.target_year.clone(),
        baseline_year: c.baseline_year.clone(),
        ambiti: c
            .ambiti
            .iter()
            .map(|a| AmbitoData {
                title: format!("{} – {}", a.code, a.title),
                strategic: a
                    .strategic
                    .iter()
                    .map(|&s| strategic(c, &c.strategic[s], link))
                    .collect(),
            })
            .collect(),
        areas: c
            .areas
            .iter()
            .map(|a| AreaData {
                title: a.title.clone(),
                label: address::area_anchor(&a.id),
                ambito: a.ambito.clone(),
                functions: blocks::blocks(&a.functions, 0, Resolve { link, reason: None }),
                cards: a
                    .cards
                    .iter()
                    .map(|&i| operational(&c.operational[i], link))
                    .collect(),
            })
            .collect(),
    }
}

fn status(runs: &mut Runs, s: &Option<Status>) -> Option<Vec<Inline>> {
    let s = s.as_ref()?;
    let mut out = blocks::text(s.text.clone());
    out.extend(s.reason.as_deref().and_then(|r| runs.reference(r)));
    Some(out)
}

fn node(runs: &mut Runs, n: &Node) -> NodeData {
    NodeData {
        removed: n.status == Some(WholeRevisionKind::Removed),
        added: n.status == Some(WholeRevisionKind::Added),
        label: print_label(&n.url),
        c: runs.shown(&n.label),
        weight: runs.shown(&n.weight),
    }
}

fn indicators(runs: &mut Runs, list: &[IndicatorView]) -> Vec<IndicatorData> {
    list.iter()
        .map(|i| IndicatorData {
            removed: i.status == Some(WholeRevisionKind::Removed),
            added: i.status == Some(WholeRevisionKind::Added),
            name: runs.shown(&i.name),
            kind: runs.shown(&i.kind),
            weight: runs.shown(&i.weight),
            signal: i.signal.as_ref().map(|s| runs.text(s)).unwrap_or_default(),
            algorithm: runs.text(&i.algorithm),
            source: i.source.as_ref().map(|s| runs.shown(s)).unwrap_or_default(),
            baseline: i
                .baseline
                .as_ref()
                .map(|s| runs.shown(s))
                .unwrap_or_default(),
            targets: i.targets.iter().map(|t| runs.shown(t)).collect(),
        })
        .collect()
}

fn strategic(c: &CascadeView, card: &StrategicCard, link: Link) -> StrategicData {
    let mut runs = Runs::new(link, card.reasons.clone());
    StrategicData {
        label: print_label(&card.url),
        heading: format!("{} – {}", card.code, card.title),
        status: status(&mut runs, &card.status),
        intro: card
            .intro
            .as_ref()
            .map(|t| runs.blocks(t))
            .unwrap_or_default(),
        card_title: card.card_title.clone(),
        weight: runs.shown(&card.weight),
        description: runs.blocks(&card.description),
        mission: card.mission.clone(),
        programme: card.programme.clone(),
        indicators: indicators(&mut runs, &card.indicators),
        notes: card.notes.iter().map(|n| runs.blocks(n)).collect(),
        operational: card
            .operational
            .iter()
            .map(|&o| node(&mut runs, &c.operational[o].node))
            .collect(),
        reasons: runs.finish(),
    }
}

fn operational(card: &OperationalCard, link: Link) -> OperationalData {
    let mut runs = Runs::new(link, card.reasons.clone());
    OperationalData {
        label: print_label(&card.url),
        heading: format!("Scheda {} – {} – {}", card.number, card.code, card.title),
        number: card.number,
        status: status(&mut runs, &card.status),
        strategic: NodeData {
            removed: false,
            added: false,
            label: print_label(card.strategic.url.as_deref().unwrap_or_default()),
            c: blocks::text(card.strategic.label.clone()),
            weight: Vec::new(),
        },
        card_title: card.card_title.clone(),
        weight: runs.shown(&card.weight),
        description: runs.blocks(&card.description),
        unit: runs.text(&card.unit),
        collectors: card.collectors.iter().map(|p| runs.shown(p)).collect(),
        validators: card.validators.iter().map(|p| runs.shown(p)).collect(),
        indicators: indicators(&mut runs, &card.indicators),
        notes: card.notes.iter().map(|n| runs.blocks(n)).collect(),
        reasons: runs.finish(),
    }
}

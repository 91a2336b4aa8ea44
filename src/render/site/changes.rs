//! The Prospetto delle modifiche in the site: every revision, grouped by part and page (or
//! objective), old → new with its reason and, when it is not the edition's, its act.

use super::engine::Engine;
use super::html::markdown;
use super::page::SitePage;
use crate::address;
use crate::content::model::{Earlier, RevisionKind};
use crate::diag::Diagnostic;
use crate::render::escape;
use crate::view::changes::ChangeGroup;
use serde::Serialize;
use tera::Context;

/// The page, given the act that approved the edition's changes unless one says otherwise.
pub fn page(
    engine: &Engine,
    groups: &[ChangeGroup],
    default_act: Option<&str>,
) -> Result<SitePage, Diagnostic> {
    #[derive(Serialize)]
    struct Item {
        field: String,
        /// The revised element's page and anchor.
        url: String,
        old: String,
        new: String,
        reason: String,
        act: Option<String>,
        /// A consequence: drawn as quietly as in the pages.
        quiet: bool,
        /// The value's earlier revisions, oldest first.
        history: Vec<Earlier<String>>,
    }
    #[derive(Serialize)]
    struct Object {
        id: usize,
        title: String,
        url: String,
        changes: Vec<Item>,
    }
    #[derive(Serialize)]
    struct Group {
        title: String,
        intro: Option<&'static str>,
        objects: Vec<Object>,
    }
    let mut count = 0;
    let mut view = Vec::new();
    for g in groups {
        let mut objects = Vec::new();
        for o in &g.objects {
            let changes = o
                .rows()
                .into_iter()
                .map(|e| {
                    let a = &e.amendment;
                    let show = |v: &str| {
                        if a.markdown {
                            markdown(v)
                        } else {
                            escape::html(v)
                        }
                    };
                    Item {
                        field: e.label.clone(),
                        url: e.url.clone(),
                        old: show(&a.old),
                        new: show(&a.new),
                        reason: if a.reason.is_empty() {
                            "<span class=\"assente\">non indicato nel documento</span>".to_string()
                        } else {
                            markdown(&a.reason)
                        },
                        act: a.act.clone(),
                        quiet: a.kind == RevisionKind::Consequence,
                        history: a
                            .history
                            .iter()
                            .map(|h| Earlier {
                                reason: h.reason.as_deref().map(markdown),
                                act: escape::html(&h.act),
                                ..h.map(|v| show(v))
                            })
                            .collect(),
                    }
                })
                .collect::<Vec<_>>();
            let rows = changes.len();
            objects.push(Object {
                id: count + 1,
                title: o.place.title.clone(),
                url: o.place.url.clone(),
                changes,
            });
            count += rows;
        }
        view.push(Group {
            title: g.title.clone(),
            intro: g.intro,
            objects,
        });
    }
    let mut ctx = Context::new();
    ctx.insert("root", "");
    ctx.insert("groups", &view);
    ctx.insert("total", &count);
    ctx.insert("act", &default_act);
    let outline = view
        .iter()
        .enumerate()
        .map(|(i, g)| (format!("gruppo-{}", i + 1), g.title.clone()))
        .collect();
    Ok(SitePage {
        url: address::CHANGES.url.into(),
        title: address::CHANGES.title.into(),
        part: usize::MAX,
        over_title: None,
        body: engine.render("modifiche.html", &ctx)?,
        outline,
    })
}

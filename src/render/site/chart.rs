//! A chart in a page: its SVG inline (so it uses the page's font), its description, and a
//! link to the table of its figures.

use super::engine::Engine;
use crate::address;
use crate::compute::model::{Chart, Computed};
use crate::diag::Diagnostic;
use crate::render::chart;
use serde::Serialize;
use std::collections::BTreeMap;
use tera::Context;

#[derive(Serialize)]
struct DataLink {
    title: String,
    url: String,
}

/// The chart's figure for the page at `here`; `table_home` is the page each table is shown in.
pub fn render(
    engine: &Engine,
    c: &Chart,
    computed: &Computed,
    table_home: &BTreeMap<&str, String>,
    here: &str,
) -> Result<String, Diagnostic> {
    let data = c.table.as_deref().and_then(|t| {
        let table = computed.tables.get(t)?;
        let home = table_home.get(t)?;
        let url = if home == here {
            format!("#tabella-{t}")
        } else {
            format!("{}{home}#tabella-{t}", address::root_of(here))
        };
        Some(DataLink {
            title: table.title.clone(),
            url,
        })
    });
    let mut ctx = Context::new();
    ctx.insert("id", &c.id);
    ctx.insert("svg", &chart::svg(c));
    ctx.insert("description", &c.description);
    ctx.insert("data", &data);
    engine.render("grafico.html", &ctx)
}

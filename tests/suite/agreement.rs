//! The site and the print edition are two backends of one view: where both show the same
//! thing (a card's reasons, a table's header), they show it alike.

use crate::common::{fixture, published, visible_text};
use piao::render::assets::Templates;

/// The reasons listed under a card of the site, in order.
fn site_reasons(html: &str) -> Vec<String> {
    html.split("<li id=\"scheda-modifica-")
        .skip(1)
        .map(|item| {
            let text = item.split_once("\">").map_or("", |(_, t)| t);
            let text = text.split(" <a class=\"nota-torna\"").next().unwrap_or("");
            visible_text(text)
        })
        .collect()
}

/// The site and the print edition number a card's reasons alike, because both draw the same
/// view: the list under every strategic and operational card is the same, in the same order.
#[test]
fn site_and_print_number_the_reasons_of_every_card_alike() {
    let (_dir, fixture_content) = fixture("cascata");
    for content in [fixture_content, published()] {
        let prepared = piao::prepare(&content, &piao::Options::default()).unwrap();
        let site = prepared.site(&Templates::Embedded).unwrap();
        let model = serde_json::to_value(prepared.print_model()).unwrap();
        let cascade = &model["cascade"];
        let strategic = cascade["ambiti"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["strategic"].as_array().unwrap());
        let operational = cascade["areas"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|a| a["cards"].as_array().unwrap());
        let mut with_reasons = 0;
        for card in strategic.chain(operational) {
            let label = card["label"].as_str().unwrap();
            let html = std::str::from_utf8(&site[&format!("sito/{label}.html")]).unwrap();
            let print: Vec<String> = card["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|runs| runs[0]["v"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(site_reasons(html), print, "{}: {label}", content.display());
            with_reasons += usize::from(!print.is_empty());
        }
        assert!(with_reasons > 2, "{}", content.display());
    }
}

/// Tables too: every header cell is aligned over numbers in print exactly where the site
/// aligns it (one grid for both), also in the second row of a header whose first cell spans
/// two rows.
#[test]
fn site_and_print_align_every_header_cell_alike() {
    let prepared = piao::prepare(&published(), &piao::Options::default()).unwrap();
    let site = prepared.site(&Templates::Embedded).unwrap();
    let pages: String = site
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(_, v)| String::from_utf8_lossy(v).to_string())
        .collect();
    let model = serde_json::to_value(prepared.print_model()).unwrap();
    let mut multi_row = 0;
    for (id, table) in model["tables"].as_object().unwrap() {
        let print: Vec<bool> = table["header"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|row| row.as_array().unwrap())
            .map(|c| c["numeric"].as_bool().unwrap())
            .collect();
        multi_row += usize::from(table["header"].as_array().unwrap().len() > 1);
        let Some(start) = pages.find(&format!("<figure class=\"tabella\" id=\"tabella-{id}\">"))
        else {
            continue;
        };
        let head = &pages[start..];
        let head = &head[head.find("<thead>").unwrap()..head.find("</thead>").unwrap()];
        // Header cells, and the untitled corners drawn as plain cells.
        let site: Vec<bool> = head
            .split("<t")
            .skip(1)
            .filter(|cell| cell.starts_with("h ") || cell.starts_with("d "))
            .map(|cell| cell.split('>').next().unwrap().contains("class=\"num\""))
            .collect();
        assert_eq!(site, print, "{id}");
    }
    assert!(
        multi_row > 0,
        "the published content has headers on several rows"
    );
}

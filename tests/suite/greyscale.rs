//! Revisions readable without colour (issue 14, "Readable without colour"): in black-and-white
//! print and on greyscale screens an added or removed objective or indicator carries a word
//! («nuovo», «eliminato»), a removed row is struck in every cell, a legend explains the
//! markers — in the site and in the PDF of the published content ([`published`]), which has
//! removed and added objectives and indicators; the consolidated edition has none of them.

use crate::common::{html_pages, pdf_text, repo};
use std::fs;
use std::path::Path;

const REMOVED_LABEL: &str = "<span class=\"rev-etichetta rev-eliminato\">eliminato</span>";
const ADDED_LABEL: &str = "<span class=\"rev-etichetta rev-inserito\">nuovo</span>";

/// The published content built once (marked-up edition), shared with the other files.
fn marked() -> &'static Path {
    &crate::common::published_build().0
}

/// Every page of a built site with its HTML, the path relative to the site.
fn pages(out: &Path) -> Vec<(String, String)> {
    html_pages(out)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(out).unwrap().display().to_string();
            (rel, fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The HTML of every element opened by `open` (up to `close`) in `html`.
fn elements<'a>(html: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    html.split(open)
        .skip(1)
        .map(|rest| rest.split(close).next().unwrap_or(rest))
        .collect()
}

/// The legend of a page, if it has one.
fn legend(html: &str) -> Option<&str> {
    elements(html, "<p class=\"legenda\">", "</p>")
        .first()
        .copied()
}

/// The declarations of the style sheet's rule whose selector list is exactly `selectors`.
fn css_rule(selectors: &str) -> String {
    let css = fs::read_to_string(repo().join("templates/static/piao.css")).unwrap();
    css.lines()
        .find_map(|l| {
            let (sel, body) = l.split_once('{')?;
            (sel.trim() == selectors).then(|| body.to_string())
        })
        .unwrap_or_else(|| panic!("no rule for «{selectors}» in piao.css"))
}

#[test]
fn removed_rows_are_labelled_and_struck_in_every_cell_on_the_site() {
    let pages = pages(marked());
    let mut rows = 0;
    let mut items = 0;
    for (url, html) in &pages {
        for row in elements(html, "<tr class=\"rev-eliminato\">", "</tr>") {
            rows += 1;
            let label = row
                .find(REMOVED_LABEL)
                .unwrap_or_else(|| panic!("{url}: removed row without its label: {row}"));
            // The word comes first, in the row's first header cell, and outside the struck
            // value (so it is neither struck nor announced as the old value).
            let first_cell = row.find("<th").unwrap();
            assert!(first_cell < label, "{url}: {row}");
            assert!(row.find("<del").is_none_or(|d| label < d), "{url}: {row}");
            assert_eq!(row.matches(">eliminato<").count(), 1, "{url}: {row}");
        }
        for item in elements(html, "<li class=\"rev-eliminato\">", "</a>") {
            items += 1;
            assert!(item.starts_with(REMOVED_LABEL), "{url}: {item}");
        }
    }
    // OS 1.3's and OS 1.4's indicators, OO 3.1.2's replaced objective and more.
    assert!(rows >= 4, "only {rows} removed rows in the site");
    assert!(items >= 2, "only {items} removed objectives in the lists");
    // Every cell of a removed row (header or data) is struck, the label excepted.
    let strike = css_rule("tr.rev-eliminato > th, tr.rev-eliminato > td");
    assert!(strike.contains("text-decoration: line-through"), "{strike}");
    let label = css_rule(".rev-etichetta");
    assert!(label.contains("display: inline-block"), "{label}");
    assert!(label.contains("text-decoration: none"), "{label}");

    let card = &pages
        .iter()
        .find(|(url, _)| url.ends_with("oo-3-1-8.html"))
        .unwrap()
        .1;
    let removed = elements(card, "<tr class=\"rev-eliminato\">", "</tr>");
    assert_eq!(removed.len(), 1);
    assert!(removed[0].contains("Realizzazione di una rete intranet"));
    // Weight, algorithm and target of the removed indicator are cells of the struck row.
    for cell in ["20", "Nel sito della nuova Camera", "Entro il 30.06.2025"] {
        assert!(removed[0].contains(cell), "{cell} not in {}", removed[0]);
    }
}

#[test]
fn added_rows_carry_the_word_nuovo_on_the_site() {
    let pages = pages(marked());
    let mut rows = 0;
    let mut items = 0;
    for (url, html) in &pages {
        for row in elements(html, "<tr class=\"rev-inserito\">", "</tr>") {
            rows += 1;
            let label = row
                .find(ADDED_LABEL)
                .unwrap_or_else(|| panic!("{url}: added row without its label: {row}"));
            assert!(row.find("<ins").is_none_or(|i| label < i), "{url}: {row}");
            assert_eq!(row.matches(">nuovo<").count(), 1, "{url}: {row}");
            // The screen reader's own words for the new value stay.
            if row.contains("<ins class=\"rev-nuovo\">") {
                assert!(row.contains("valore aggiornato: "), "{url}: {row}");
            }
        }
        for item in elements(html, "<li class=\"rev-inserito\">", "</a>") {
            items += 1;
            assert!(item.starts_with(ADDED_LABEL), "{url}: {item}");
        }
    }
    assert!(rows >= 2, "only {rows} added rows in the site");
    assert!(items >= 1, "only {items} added objectives in the lists");
    let card = &pages
        .iter()
        .find(|(url, _)| url.ends_with("oo-3-1-8.html"))
        .unwrap()
        .1;
    let added = elements(card, "<tr class=\"rev-inserito\">", "</tr>");
    assert_eq!(added.len(), 1);
    assert!(added[0].contains("Aggiornamento di tutti i PC di Cremona e Pavia"));
}

#[test]
fn the_legend_explains_the_markers_where_revisions_are_shown() {
    let pages = pages(marked());

    let prospetto = pages
        .iter()
        .find(|(url, _)| url == "sito/modifiche.html")
        .map(|(_, html)| html)
        .unwrap();
    let text = legend(prospetto).expect("no legend on the Prospetto");
    for word in [
        "barrato",
        "sottolineato",
        ADDED_LABEL,
        REMOVED_LABEL,
        "ogni cella",
    ] {
        assert!(text.contains(word), "«{word}» not in the legend: {text}");
    }
    // Every page of the cascade showing a removed or added objective or indicator has it.
    for (url, html) in &pages {
        if html.contains("class=\"rev-eliminato\"") || html.contains("class=\"rev-inserito\"") {
            assert!(legend(html).is_some(), "{url}: markers without a legend");
        }
    }
}

#[test]
fn the_pdf_text_labels_removed_and_added_rows_and_explains_them() {
    let text = pdf_text(&marked().join("sito/piao-2025-2027.pdf"));
    for expected in [
        // OO 3.1.8's indicators: one removed, one added (each value announced, issue 14 defect 6).
        "eliminato prima: Realizzazione di una rete",
        "nuovo dopo: Aggiornamento di tutti i PC",
        // OS 3.1's list of operational objectives: OO 3.1.2 replaced.
        "eliminato prima: OO 3.1.2 – Gestione della Formazione",
        "nuovo dopo: OO 3.1.2 – Adempimenti connessi",
        // The Prospetto's introduction.
        "Come leggere le modifiche, anche in bianco e nero",
    ] {
        assert!(text.contains(expected), "«{expected}» not in the PDF text");
    }
    let legend = text
        .split("Come leggere le modifiche")
        .nth(1)
        .unwrap()
        .split("Sezione")
        .next()
        .unwrap();
    for word in [
        "barrato",
        "sottolineato",
        "nuovo",
        "eliminato",
        "ogni cella",
    ] {
        assert!(
            legend.contains(word),
            "«{word}» not in the legend: {legend}"
        );
    }
}

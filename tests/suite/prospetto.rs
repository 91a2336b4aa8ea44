//! The Prospetto delle modifiche on the published document: every entry says where its
//! revision is (heading, table with row and column, objective's field) and links there, and
//! groups and entries follow the document's order — in the site and in the PDF.

use crate::common::{build_into, copy_tree, edit, published, site, visible_text};
use std::fs;
use std::path::Path;

/// One row of the Prospetto as the site shows it: its group (h2), the link and text of the
/// "Dove" cell.
#[derive(Debug)]
struct Row {
    group: String,
    href: String,
    label: String,
}

/// The text between `open` and the next `close` after `from`, and where it ends.
fn between<'a>(text: &'a str, from: usize, open: &str, close: &str) -> Option<(&'a str, usize)> {
    let start = text[from..].find(open)? + from + open.len();
    let end = text[start..].find(close)? + start;
    Some((&text[start..end], end + close.len()))
}

/// The rows of `modifiche.html`, in page order, and the group titles.
fn rows(html: &str) -> (Vec<String>, Vec<Row>) {
    let mut groups = Vec::new();
    let mut rows = Vec::new();
    let mut at = 0;
    loop {
        let next_group = html[at..].find("<h2 id=\"gruppo-").map(|i| i + at);
        let next_row = html[at..].find("<th scope=\"row\">").map(|i| i + at);
        match (next_group, next_row) {
            (Some(g), r) if r.is_none_or(|r| g < r) => {
                let (inner, end) = between(html, g, ">", "</h2>").unwrap();
                groups.push(visible_text(inner));
                at = end;
            }
            (_, Some(r)) => {
                let (cell, end) = between(html, r, "<th scope=\"row\">", "</th>").unwrap();
                let (href, _) = between(cell, 0, "href=\"", "\"").unwrap_or_else(|| {
                    panic!("voce del Prospetto senza collegamento: {cell}");
                });
                rows.push(Row {
                    group: groups.last().cloned().unwrap_or_default(),
                    href: href.to_string(),
                    label: visible_text(cell),
                });
                at = end;
            }
            _ => break,
        }
    }
    (groups, rows)
}

/// Where the element `href` points to is in the built site: the page's text and the byte
/// offset of the anchor (0 for the page itself). Fails when the page or the anchor is missing.
fn target(out: &Path, href: &str) -> (String, usize) {
    let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
    let page = fs::read_to_string(site(out).join(path))
        .unwrap_or_else(|e| panic!("collegamento del Prospetto a una pagina assente {href}: {e}"));
    let offset = if fragment.is_empty() {
        0
    } else {
        page.find(&format!("id=\"{fragment}\""))
            .unwrap_or_else(|| panic!("collegamento del Prospetto a un'ancora assente: {href}"))
    };
    (page, offset)
}

/// The published content with one table revision: a cessazione moved from OPERATORI to
/// ISTRUTTORI in 2026 (the total stays the one printed), written as two revised cells.
fn with_table_revision(dir: &Path) -> std::path::PathBuf {
    let content = dir.join("content");
    copy_tree(&published(), &content);
    let file = content.join("03-organizzazione/cessazioni.json");
    edit(
        &file,
        r#""ISTRUTTORI", 3, 1, 1, 0, 0"#,
        r#""ISTRUTTORI", 3, 1, 1, { "vecchio": 0, "nuovo": 1, "motivo": "Cessazione anticipata" }, 0"#,
    );
    edit(
        &file,
        r#""OPERATORI", 0, 1, 2, 1, 1"#,
        r#""OPERATORI", 0, 1, 2, { "vecchio": 1, "nuovo": 0, "motivo": "Cessazione rinviata" }, 1"#,
    );
    content
}

#[test]
fn every_entry_of_the_prospetto_names_its_place_and_links_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(&published(), &dir.path().join("out"));
    let html = fs::read_to_string(out.join("sito/modifiche.html")).unwrap();
    let (_, rows) = rows(&html);
    assert!(rows.len() > 50, "{} voci", rows.len());
    for r in &rows {
        let bare = ["Testo", "Aggiornamento", "Testo della scheda", ""];
        assert!(
            !bare.contains(&r.label.as_str()),
            "voce senza luogo nel gruppo «{}»: «{}»",
            r.group,
            r.label
        );
        target(&out, &r.href);
    }
    // Sezione 3's revisions are in prose: each names the headings it is under and links to
    // the innermost.
    let section3: Vec<&Row> = rows
        .iter()
        .filter(|r| r.group.starts_with("Sezione 3"))
        .collect();
    assert!(!section3.is_empty());
    for r in &section3 {
        assert!(
            r.label.starts_with("Testo, paragrafo «")
                && r.label.contains("PREVISIONI OCCUPAZIONALI"),
            "{}",
            r.label
        );
        assert!(r.href.contains(".html#"), "{}", r.href);
    }
    assert!(
        section3.iter().any(|r| r
            .label
            .contains("PREVISIONI OCCUPAZIONALI 2025 › Area \"Istruttori\"")
            && r.href
                .ends_with("fabbisogni-di-personale.html#area-istruttori")),
        "{section3:?}"
    );
}

#[test]
fn groups_and_entries_of_the_prospetto_follow_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let out = build_into(&published(), &dir.path().join("out"));
    let html = fs::read_to_string(out.join("sito/modifiche.html")).unwrap();
    let index = visible_text(&fs::read_to_string(out.join("sito/index.html")).unwrap());
    let (groups, rows) = rows(&html);
    assert!(groups.len() >= 3, "{groups:?}");
    // Groups in the order of the site's index (its navigation lists the parts in order).
    let positions: Vec<usize> = groups
        .iter()
        .map(|g| {
            index
                .find(g.as_str())
                .unwrap_or_else(|| panic!("gruppo «{g}» assente dall'indice del sito"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "gruppi fuori ordine: {groups:?} alle posizioni {positions:?}"
    );
    // Entries on one page in the order of their anchors in it; pages in the order of the
    // index within a group.
    for w in rows.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let (pa, pb) = (
            a.href.split('#').next().unwrap(),
            b.href.split('#').next().unwrap(),
        );
        if a.group != b.group {
            continue;
        }
        if pa == pb {
            let (_, oa) = target(&out, &a.href);
            let (_, ob) = target(&out, &b.href);
            assert!(oa <= ob, "«{}» prima di «{}»", a.label, b.label);
        }
    }
}

#[test]
fn a_table_cell_entry_names_table_row_and_column_in_page_order_in_site_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let content = with_table_revision(dir.path());
    let out = build_into(&content, &dir.path().join("out"));
    let html = fs::read_to_string(out.join("sito/modifiche.html")).unwrap();
    let (_, rows) = rows(&html);
    let title = "Tabella «Cessazioni dal servizio 2023-2027 (2023-2024 dato definitivo, 2025-2027 dato previsionale)»";
    let cells: Vec<(usize, &Row)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.label.starts_with(title))
        .collect();
    let labels: Vec<&str> = cells.iter().map(|(_, r)| r.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            format!("{title}, riga «ISTRUTTORI», colonna «2026»"),
            format!("{title}, riga «OPERATORI», colonna «2026»"),
        ],
        "{rows:?}"
    );
    for (_, r) in &cells {
        assert!(r.group.starts_with("Sezione 3"), "{}", r.group);
        assert!(
            r.href
                .ends_with("organizzazione/fabbisogni-di-personale.html#tabella-cessazioni"),
            "{}",
            r.href
        );
        target(&out, &r.href);
    }
    // The table comes before the prose revisions of «PREVISIONI OCCUPAZIONALI», further down
    // the same page.
    let first_prose = rows
        .iter()
        .position(|r| {
            r.label.starts_with("Testo, paragrafo") && r.href.contains("fabbisogni-di-personale")
        })
        .unwrap();
    assert!(cells.iter().all(|(i, _)| *i < first_prose), "{rows:?}");

    // The PDF's Prospetto lists the same places in the same order.
    let pdf = fs::read_dir(site(&out))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .unwrap();
    let text = crate::common::tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
        .replace('\u{ad}', "");
    let prospetto = &text[text.rfind("Prospetto delle modifiche").unwrap()..];
    let flat = prospetto.split_whitespace().collect::<Vec<_>>().join(" ");
    let row = flat.find("riga «ISTRUTTORI», colonna «2026»");
    // The first paragraph listed in Sezione 3 (Sezione 2 lists a consequence in its prose).
    let part = flat.find("Sezione 3 –").unwrap();
    let prose = flat[part..].find("Testo, paragrafo").map(|p| p + part);
    assert!(row.is_some_and(|r| prose.is_some_and(|p| r < p)), "{flat}");
    assert!(flat.contains("Tabella «Cessazioni dal servizio"), "{flat}");
}

//! The PDF's structure tree and page layout (issue 15, defects 7 and 8), on the published
//! content's PDF: every table has header cells and none is empty, a key/value table (the
//! schede's heading blocks) reads each value with its key (a row header), a data table's
//! label column and a label repeated for its group are row headers, captions belong to their
//! tables; no page holds a title alone. The tree is walked with `lopdf` (poppler's `pdfinfo -struct-text` needs
//! minutes on the full PDF).

use crate::common::tool;
use lopdf::{Dictionary, Document, Object};
use std::path::PathBuf;

/// The published content's marked-up PDF, built once for the whole suite.
fn pdf() -> PathBuf {
    crate::common::published_build()
        .0
        .join("sito/piao-2025-2027.pdf")
}

/// A structure element: its type, its attributes' scope, whether it holds content, and its
/// children.
#[derive(Debug)]
struct Element {
    kind: String,
    scope: Option<String>,
    /// Marked content or an annotation of its own (not through a child element).
    marked: bool,
    children: Vec<Element>,
}

impl Element {
    /// Whether a reader finds anything in it: marked content, here or in a descendant.
    fn has_content(&self) -> bool {
        self.marked || self.children.iter().any(Element::has_content)
    }

    fn descendants<'a>(&'a self, out: &mut Vec<&'a Element>) {
        for c in &self.children {
            out.push(c);
            c.descendants(out);
        }
    }

    fn all(&self, kind: &str) -> Vec<&Element> {
        let mut out = Vec::new();
        self.descendants(&mut out);
        out.into_iter().filter(|e| e.kind == kind).collect()
    }
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap()
}

fn name(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<String> {
    d.get(key)
        .ok()
        .and_then(|o| resolve(doc, o).as_name().ok())
        .map(|n| String::from_utf8_lossy(n).to_string())
}

/// The scope of a header cell, from its table attributes (one dictionary or an array).
fn scope(doc: &Document, d: &Dictionary) -> Option<String> {
    let a = resolve(doc, d.get(b"A").ok()?);
    let attributes: Vec<&Object> = match a {
        Object::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    attributes
        .into_iter()
        .filter_map(|o| resolve(doc, o).as_dict().ok())
        .find_map(|a| name(doc, a, b"Scope"))
}

fn element(doc: &Document, d: &Dictionary) -> Element {
    let mut e = Element {
        kind: name(doc, d, b"S").unwrap_or_default(),
        scope: scope(doc, d),
        marked: false,
        children: Vec::new(),
    };
    let kids: Vec<&Object> = match d.get(b"K").map(|k| resolve(doc, k)) {
        Ok(Object::Array(items)) => items.iter().collect(),
        Ok(other) => vec![other],
        Err(_) => Vec::new(),
    };
    for k in kids {
        match resolve(doc, k) {
            Object::Integer(_) => e.marked = true,
            Object::Dictionary(kd) if kd.has(b"S") => e.children.push(element(doc, kd)),
            // A marked-content or object reference.
            Object::Dictionary(_) => e.marked = true,
            _ => {}
        }
    }
    e
}

/// The structure tree of a PDF, from its root.
fn structure(pdf: &std::path::Path) -> Element {
    let doc = Document::load(pdf).unwrap();
    let root = resolve(&doc, doc.catalog().unwrap().get(b"StructTreeRoot").unwrap())
        .as_dict()
        .unwrap();
    element(&doc, root)
}

/// Every table's structure, read once for the tests below.
fn tree() -> &'static Element {
    static TREE: std::sync::OnceLock<Element> = std::sync::OnceLock::new();
    TREE.get_or_init(|| structure(&pdf()))
}

/// A table's rows (in THead, TBody, TFoot or directly under it).
fn rows(table: &Element) -> Vec<&Element> {
    table.all("TR")
}

/// The rows holding data (a data cell), not only headers.
fn data_rows(table: &Element) -> Vec<&Element> {
    rows(table)
        .into_iter()
        .filter(|r| cells(r).iter().any(|c| c.kind == "TD"))
        .collect()
}

/// The cells of a row.
fn cells(row: &Element) -> Vec<&Element> {
    row.children
        .iter()
        .filter(|c| c.kind == "TH" || c.kind == "TD")
        .collect()
}

#[test]
fn every_table_has_header_cells_and_none_is_empty() {
    let tables = tree().all("Table");
    assert!(tables.len() > 100, "only {} tables", tables.len());
    for (i, t) in tables.iter().enumerate() {
        let ths = t.all("TH");
        assert!(!ths.is_empty(), "table {i} has no header cell: {t:#?}");
        let empty = ths.iter().filter(|th| !th.has_content()).count();
        assert_eq!(empty, 0, "table {i} has {empty} empty header cells: {t:#?}");
    }
}

#[test]
fn tables_without_a_header_row_read_each_value_with_its_row_header() {
    // The schede's heading blocks (key, value): no column headers, so every row is led by
    // the key as a row header. (typst leaves out THead and TBody in a table with row
    // headers: the column headers are the cells of scope Column.)
    let tables = tree().all("Table");
    let keyed: Vec<&&Element> = tables
        .iter()
        .filter(|t| {
            !t.all("TH")
                .iter()
                .any(|th| th.scope.as_deref() == Some("Column"))
        })
        .collect();
    assert!(keyed.len() >= 60, "only {} key/value tables", keyed.len());
    for t in keyed {
        for row in rows(t) {
            let first = cells(row).into_iter().next().unwrap();
            assert_eq!(
                (first.kind.as_str(), first.scope.as_deref()),
                ("TH", Some("Row")),
                "a key/value row without its row header: {row:#?}"
            );
        }
    }
}

#[test]
fn data_tables_label_their_rows_and_repeat_grouped_labels() {
    let tables = tree().all("Table");
    let with_row_headers = tables
        .iter()
        .filter(|t| {
            t.all("TH")
                .iter()
                .any(|th| th.scope.as_deref() == Some("Row"))
        })
        .count();
    // Every table has a text label column but a few whose first column is a figure.
    assert!(
        with_row_headers * 10 >= tables.len() * 9,
        "{with_row_headers} of {} tables have row headers",
        tables.len()
    );
    // The antimafia table names its province once over five years: every one of its 45 data
    // rows keeps the province as its row header.
    let antimafia = tables
        .iter()
        .find(|t| {
            let body = data_rows(t);
            body.len() >= 45 && body.iter().all(|r| cells(r).len() == 6)
        })
        .expect("the antimafia table, 6 columns over 45 rows");
    for row in data_rows(antimafia) {
        let first = cells(row).into_iter().next().unwrap();
        assert_eq!(
            first.kind, "TH",
            "a province row without its label: {row:#?}"
        );
        assert!(first.has_content(), "an empty province label: {row:#?}");
    }
}

#[test]
fn captions_belong_to_their_tables() {
    fn walk(e: &Element, orphans: &mut usize, attached: &mut usize) {
        let holds_caption = e.children.iter().any(|c| c.kind == "Caption");
        if holds_caption {
            let with_table = e.kind == "Table"
                || e.children
                    .iter()
                    .any(|c| c.kind == "Table" || c.kind == "Figure" || !c.all("Table").is_empty());
            if with_table {
                *attached += 1;
            } else {
                *orphans += 1;
            }
        }
        for c in &e.children {
            walk(c, orphans, attached);
        }
    }
    let (mut orphans, mut attached) = (0, 0);
    walk(tree(), &mut orphans, &mut attached);
    assert_eq!(orphans, 0, "captions outside any table or figure");
    let inside = tree()
        .all("Table")
        .iter()
        .filter(|t| t.children.iter().any(|c| c.kind == "Caption"))
        .count();
    assert!(
        inside >= 100,
        "only {inside} tables hold their caption ({attached} captions attached)"
    );
}

/// A page of `pdftotext -bbox-layout`: the lines of its body (running head and page number
/// left out).
struct Page {
    lines: Vec<String>,
    /// Every line, running head and page number included (a landscape page has its own).
    every: Vec<String>,
    /// How far down the body the last line reaches (0 empty, 1 full).
    fill: f64,
}

fn attribute(tag: &str, key: &str) -> f64 {
    let from = tag.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
    let rest = &tag[from..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

fn pages() -> Vec<Page> {
    let html = tool("pdftotext", &["-bbox-layout", pdf().to_str().unwrap(), "-"]);
    let mut pages = Vec::new();
    for chunk in html.split("<page ").skip(1) {
        let head = &chunk[..chunk.find('>').unwrap()];
        let height = attribute(head, "height");
        let mut lines = Vec::new();
        let mut lowest: f64 = 68.0;
        let mut every = Vec::new();
        for line in chunk.split("<line ").skip(1) {
            let tag = &line[..line.find('>').unwrap()];
            let (top, bottom) = (attribute(tag, "yMin"), attribute(tag, "yMax"));
            let text: Vec<&str> = line
                .split("<word ")
                .skip(1)
                .filter_map(|w| w.split('>').nth(1)?.split('<').next())
                .collect();
            // Running head (above 2.4 cm) and page number (below 2.2 cm from the foot).
            if top > 68.0 && bottom < height - 62.0 {
                lines.push(text.join(" "));
                lowest = lowest.max(bottom);
            }
            every.push(text.join(" "));
        }
        let fill = (lowest - 68.0) / (height - 130.0);
        pages.push(Page { lines, every, fill });
    }
    pages
}

#[test]
fn no_page_holds_a_title_alone() {
    let pages = pages();
    assert!(pages.len() > 100);
    for (i, p) in pages.iter().enumerate().skip(1) {
        assert!(
            p.lines.len() >= 2,
            "page {} holds only a title: {:?}",
            i + 1,
            p.lines
        );
    }
}

#[test]
fn the_text_fills_the_page_before_a_table_turned_landscape() {
    let pages = pages();
    // The two tables too wide for a portrait page are turned on a page of their own; the
    // text before them goes on filling its page instead of stopping where the table is.
    for caption in [
        "Indicatori economici delle province",
        "Cessazioni dal servizio 2023-2026",
    ] {
        let at = pages
            .iter()
            .position(|p| p.every.iter().any(|l| l.starts_with(caption)))
            .unwrap_or_else(|| panic!("«{caption}» not in the PDF"));
        let before = &pages[at - 1];
        assert!(
            before.fill > 0.8,
            "page {} before «{caption}» is filled to {:.0}%: {:?}",
            at,
            before.fill * 100.0,
            before.lines
        );
    }
}

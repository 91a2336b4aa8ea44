//! The two editions of one update (`--edizione modifiche`, the default, and `consolidata`)
//! are told apart from outside: the PDF's metadata title and document ID, its running head and
//! cover, and the site's titles each name their edition; the consolidated one names the acts
//! it incorporates and claims no markers. Each stays byte-deterministic.

use crate::common::{build_with as build, tool};
use crate::common::{edit, fixture, html_pages};
use std::fs;
use std::path::{Path, PathBuf};

const MARKED: &str = "Aggiornamento, con le modifiche evidenziate";
const CONSOLIDATED: &str = "Aggiornamento, testo consolidato";

/// Builds both editions of `content` under `dir`: (modifiche, consolidata).
fn both(dir: &Path, content: &Path, extra: &[&str]) -> (PathBuf, PathBuf) {
    let marked = dir.join("modifiche");
    let consolidated = dir.join("consolidata");
    build(content, &marked, extra);
    let mut args = vec!["--edizione", "consolidata"];
    args.extend_from_slice(extra);
    build(content, &consolidated, &args);
    (marked, consolidated)
}

/// The value of a `pdfinfo` field ("Title", "Subject").
fn info(pdf: &Path, field: &str) -> String {
    let text = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let prefix = format!("{field}:");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {field} in:\n{text}"))
        .trim()
        .to_string()
}

/// The first element of the trailer's `/ID`: the document's identifier.
fn document_id(pdf: &Path) -> String {
    let bytes = fs::read(pdf).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    let at = raw.rfind("/ID[(").expect("no /ID in the trailer") + "/ID[(".len();
    let end = raw[at..].find(')').unwrap();
    raw[at..at + end].to_string()
}

/// The PDF's pages as `pdftotext` extracts them, soft hyphens removed.
fn pages(pdf: &Path) -> Vec<String> {
    tool("pdftotext", &[pdf.to_str().unwrap(), "-"])
        .replace('\u{ad}', "")
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn each_edition_has_its_own_pdf_title_description_and_document_id() {
    let (dir, content) = fixture("cascata");
    let (marked, consolidated) = both(dir.path(), &content, &["--solo", "pdf"]);
    let (marked, consolidated) = (
        marked.join("sito/prova.pdf"),
        consolidated.join("sito/prova.pdf"),
    );
    assert_eq!(
        info(&marked, "Title"),
        format!("Piano di prova (PIAO) 2025-2027 – {MARKED}")
    );
    assert_eq!(
        info(&consolidated, "Title"),
        format!("Piano di prova (PIAO) 2025-2027 – {CONSOLIDATED}")
    );
    let subject = info(&consolidated, "Subject");
    assert!(
        subject.contains("approvate con «Delibera di prova»") && !subject.contains("evidenziat"),
        "{subject}"
    );
    assert!(
        info(&marked, "Subject").contains("modifiche evidenziate"),
        "{}",
        info(&marked, "Subject")
    );
    let (a, b) = (document_id(&marked), document_id(&consolidated));
    assert!(!a.is_empty() && !b.is_empty());
    assert_ne!(a, b, "both editions carry the document ID {a}");
    // The archival metadata repeats the trailer's ID.
    let xmp = tool("pdfinfo", &["-meta", consolidated.to_str().unwrap()]);
    assert!(
        xmp.contains(&format!("<xmpMM:DocumentID>{b}</xmpMM:DocumentID>")),
        "{xmp}"
    );
}

#[test]
fn each_edition_has_its_own_running_head_and_cover() {
    let (dir, content) = fixture("cascata");
    let (marked, consolidated) = both(dir.path(), &content, &["--solo", "pdf"]);
    let marked = pages(&marked.join("sito/prova.pdf"));
    let consolidated = pages(&consolidated.join("sito/prova.pdf"));
    for (pages, own, other) in [
        (&marked, MARKED, CONSOLIDATED),
        (&consolidated, CONSOLIDATED, MARKED),
    ] {
        assert!(pages.len() > 2, "{pages:?}");
        for (n, page) in pages.iter().enumerate().skip(1) {
            assert!(
                page.contains("Ente di prova — PIAO 2025-2027") && page.contains(own),
                "page {} has no running head «{own}»:\n{page}",
                n + 1
            );
            assert!(!page.contains(other), "page {}: «{other}»", n + 1);
        }
    }
    let cover = marked[0].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(cover.contains("Con le modifiche evidenziate"), "{cover}");
    assert!(
        cover.contains("Le modifiche introdotte con l’aggiornamento sono evidenziate"),
        "{cover}"
    );
    let cover = consolidated[0]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(cover.contains("Testo consolidato"), "{cover}");
    assert!(
        cover.contains("il piano in vigore dopo le modifiche approvate con «Delibera di prova»"),
        "{cover}"
    );
    assert!(
        !consolidated.concat().contains("evidenziat"),
        "the consolidated PDF claims markers"
    );
}

#[test]
fn a_consolidated_edition_without_acts_says_it_consolidates_the_update() {
    let (dir, content) = fixture("cascata");
    edit(
        &content.join("documento.json"),
        r#""atti": ["Delibera di prova"]"#,
        r#""atti": []"#,
    );
    let out = dir.path().join("consolidata");
    build(
        &content,
        &out,
        &["--edizione", "consolidata", "--solo", "pdf"],
    );
    let cover = pages(&out.join("sito/prova.pdf"))[0]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        cover.contains("Testo consolidato: il piano in vigore dopo l’aggiornamento"),
        "{cover}"
    );
    assert!(!cover.contains("Delibera"), "{cover}");
}

#[test]
fn each_edition_names_itself_in_every_site_title() {
    let (dir, content) = fixture("cascata");
    let (marked, consolidated) = both(dir.path(), &content, &["--solo", "html"]);
    for (out, own, other) in [
        (&marked, MARKED, CONSOLIDATED),
        (&consolidated, CONSOLIDATED, MARKED),
    ] {
        let pages = html_pages(out);
        assert!(pages.len() > 3, "{pages:?}");
        for page in pages {
            let html = fs::read_to_string(&page).unwrap();
            let title = html
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .unwrap_or_else(|| panic!("no <title> in {}", page.display()));
            assert!(
                title.contains(&format!("PIAO 2025-2027 ({own})")),
                "{}: {title}",
                page.display()
            );
            assert!(
                html.contains(&format!(r#"<span class="edizione">{own}</span>"#)),
                "{}: no edition in the header",
                page.display()
            );
            assert!(!html.contains(other), "{}: «{other}»", page.display());
        }
    }
    let home = fs::read_to_string(marked.join("sito/index.html")).unwrap();
    let home_consolidated = fs::read_to_string(consolidated.join("sito/index.html")).unwrap();
    assert_ne!(home, home_consolidated);
}

#[test]
fn each_edition_is_byte_deterministic_and_distinct() {
    let (dir, content) = fixture("cascata");
    let (a_marked, a_consolidated) = both(&dir.path().join("a"), &content, &["--solo", "pdf"]);
    let (b_marked, b_consolidated) = both(&dir.path().join("b"), &content, &["--solo", "pdf"]);
    let read = |out: &Path| fs::read(out.join("sito/prova.pdf")).unwrap();
    assert!(
        read(&a_marked) == read(&b_marked),
        "two builds of the marked edition differ"
    );
    assert!(
        read(&a_consolidated) == read(&b_consolidated),
        "two builds of the consolidated edition differ"
    );
    assert!(read(&a_marked) != read(&a_consolidated));
}

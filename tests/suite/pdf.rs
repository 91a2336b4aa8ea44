//! The print and archival PDF, read back with poppler's tools (`pdfinfo`, `pdffonts`,
//! `pdftotext`; `.ci/run` installs them): metadata and standards, embedded fonts, byte-stable
//! output, and one product at a time. That every code, name and figure of a content reaches
//! the PDF is one of the content checks (`planner.rs`), run on `content/` itself.

use crate::common::{build_with as build, fixture, tool};
use std::fs;

#[test]
fn the_pdf_is_archival_accessible_and_dated_by_the_manifest() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    build(&content, &out, &[]);
    let pdf = out.join("sito/prova.pdf");
    let pdf = pdf.to_str().unwrap();
    let info = tool("pdfinfo", &[pdf]);
    for line in [
        "Title:           Piano di prova (PIAO) 2025-2027 – Aggiornamento",
        "Author:          Ente di prova",
        "Tagged:          yes",
        "CreationDate:    Mon Jun 30 00:00:00 2025 UTC",
    ] {
        assert!(info.contains(line), "«{line}» not in:\n{info}");
    }
    let bytes = fs::read(pdf).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("<pdfaid:part>2</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(raw.contains("<pdfuaid:part>1</pdfuaid:part>"));
    assert!(raw.contains("<rdf:li>it-IT</rdf:li>"));
    let fonts = tool("pdffonts", &[pdf]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type (one or more words), encoding, emb, sub, uni, object, generation
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
    }
}

#[test]
fn the_pdf_lays_out_revisions_schede_and_the_prospetto() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    build(&content, &out, &[]);
    let text = tool(
        "pdftotext",
        &[out.join("sito/prova.pdf").to_str().unwrap(), "-"],
    );
    for expected in [
        "Indice",
        "pagina 2 di",
        "Scheda 1 – OO 1.1.1 – Formazione per l'estero",
        "Rocca Maria Luisa",
        "Soragna Simonetta",
        ">=450",
        ">=525",
        "Motivi delle modifiche",
        "Target innalzato dopo il monitoraggio",
        "Prospetto delle modifiche",
        "Obiettivo operativo eliminato con l'aggiornamento",
    ] {
        assert!(
            text.contains(expected),
            "«{expected}» not in the PDF text:\n{text}"
        );
    }
    // A scheda starts its own page; the first of an area shares it only with the area's
    // heading and functions, which alone would leave a page nearly empty.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let start = |code: &str| -> String {
        let page = pages.iter().find(|p| p.contains(code)).unwrap();
        page.split(code)
            .next()
            .unwrap()
            .replace("Ente di prova — PIAO 2025-2027", "")
            .replace("Aggiornamento, con le modifiche evidenziate", "")
    };
    let first = start("Scheda 1 – OO 1.1.1");
    assert!(
        first.contains("Area Promozionale") && !first.contains("Scheda "),
        "the area's first scheda follows only its heading: {first}"
    );
    let second = start("Scheda 2 – OO 1.2.1");
    assert!(
        second.trim().is_empty(),
        "the scheda does not start its page: {second}"
    );

    let consolidated = dir.path().join("consolidata");
    build(&content, &consolidated, &["--edizione", "consolidata"]);
    let text = tool(
        "pdftotext",
        &[consolidated.join("sito/prova.pdf").to_str().unwrap(), "-"],
    );
    assert!(text.contains("Testo consolidato"));
    for gone in [
        "Prospetto delle modifiche",
        "Rocca Maria Luisa",
        "Gradimento degli eventi",
        "Motivi delle modifiche",
    ] {
        assert!(!text.contains(gone), "«{gone}» in the consolidated PDF");
    }
}

#[test]
fn two_builds_give_identical_pdf_bytes() {
    let (dir, content) = fixture("cascata");
    let first = dir.path().join("a");
    let second = dir.path().join("b");
    build(&content, &first, &["--solo", "pdf"]);
    build(&content, &second, &["--solo", "pdf"]);
    assert!(
        fs::read(first.join("sito/prova.pdf")).unwrap()
            == fs::read(second.join("sito/prova.pdf")).unwrap()
    );
}

#[test]
fn building_one_product_keeps_the_other() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    build(&content, &out, &["--solo", "html"]);
    assert!(out.join("sito/index.html").is_file());
    assert!(!out.join("sito/prova.pdf").exists());
    build(&content, &out, &["--solo", "pdf"]);
    assert!(out.join("sito/prova.pdf").is_file());
    assert!(
        fs::read_to_string(out.join("sito/index.html"))
            .unwrap()
            .contains("<a href=\"prova.pdf\">Scarica il documento in PDF</a>")
    );
    assert!(
        out.join("sito/index.html").is_file(),
        "the PDF build removed the site"
    );
    let pdf = fs::read(out.join("sito/prova.pdf")).unwrap();
    crate::common::edit(
        &content.join("01-piano/01-performance.md"),
        "Un testo",
        "Il testo",
    );
    build(&content, &out, &["--solo", "html"]);
    assert_eq!(
        fs::read(out.join("sito/prova.pdf")).unwrap(),
        pdf,
        "the site build changed the PDF"
    );
    assert!(
        fs::read_to_string(out.join("sito/piano/index.html"))
            .unwrap()
            .contains("Il testo")
    );
}

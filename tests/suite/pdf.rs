//! The print and archival PDF, read back with poppler's tools (`pdfinfo`, `pdffonts`,
//! `pdftotext`; `.ci/run` installs them): metadata and standards, embedded fonts, every
//! figure, code and name of the content, byte-stable output, and one product at a time.

use crate::common::{figures, fixture, repo};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} non disponibile ({e}): installare poppler-utils, come fa .ci/run")
    });
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn build(content: &Path, out: &Path, extra: &[&str]) {
    let run = crate::common::run_build_with(content, out, extra);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The real content's PDF, built once for the tests of this file.
fn real_pdf() -> &'static PathBuf {
    static PDF: OnceLock<PathBuf> = OnceLock::new();
    PDF.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let out = dir.join("out");
        build(&repo().join("content"), &out, &["--solo", "pdf"]);
        out.join("piao-2025-2027.pdf")
    })
}

#[test]
fn the_pdf_is_archival_accessible_and_dated_by_the_manifest() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    build(&content, &out, &[]);
    let pdf = out.join("prova.pdf");
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
    let text = tool("pdftotext", &[out.join("prova.pdf").to_str().unwrap(), "-"]);
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
    // A scheda starts its own page.
    let pages: Vec<&str> = text.split('\u{c}').collect();
    let scheda = pages
        .iter()
        .find(|p| p.contains("Scheda 1 – OO 1.1.1"))
        .unwrap();
    let before = scheda.split("Scheda 1 – OO 1.1.1").next().unwrap();
    let before = before
        .replace("Ente di prova — PIAO 2025-2027", "")
        .replace("Aggiornamento", "");
    assert!(
        before.trim().is_empty(),
        "the scheda does not start its page: {scheda}"
    );

    let consolidated = dir.path().join("consolidata");
    build(&content, &consolidated, &["--edizione", "consolidata"]);
    let text = tool(
        "pdftotext",
        &[consolidated.join("prova.pdf").to_str().unwrap(), "-"],
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
        fs::read(first.join("prova.pdf")).unwrap() == fs::read(second.join("prova.pdf")).unwrap()
    );
}

#[test]
fn building_one_product_keeps_the_other() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    build(&content, &out, &["--solo", "html"]);
    assert!(out.join("index.html").is_file());
    assert!(!out.join("prova.pdf").exists());
    build(&content, &out, &["--solo", "pdf"]);
    assert!(out.join("prova.pdf").is_file());
    assert!(
        fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("<a href=\"prova.pdf\">Scarica il documento in PDF</a>")
    );
    assert!(
        out.join("index.html").is_file(),
        "the PDF build removed the site"
    );
    let pdf = fs::read(out.join("prova.pdf")).unwrap();
    crate::common::edit(
        &content.join("01-piano/01-performance.md"),
        "Un testo",
        "Il testo",
    );
    build(&content, &out, &["--solo", "html"]);
    assert_eq!(
        fs::read(out.join("prova.pdf")).unwrap(),
        pdf,
        "the site build changed the PDF"
    );
    assert!(
        fs::read_to_string(out.join("piano/index.html"))
            .unwrap()
            .contains("Il testo")
    );
}

/// Every objective code, every person and every figure of the published document reaches
/// the print edition, as it reaches the site.
#[test]
fn every_code_name_and_figure_of_the_content_is_in_the_real_pdf() {
    let text = tool("pdftotext", &[real_pdf().to_str().unwrap(), "-"]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut people = BTreeSet::new();
    for entry in fs::read_dir(repo().join("content/obiettivi/operativi")).unwrap() {
        let json: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let code = json["codice"].as_str().unwrap().to_string();
        assert!(flat.contains(&format!("{code} –")), "{code} not in the PDF");
        for key in ["rilevatori", "validatori"] {
            for p in json[key].as_array().unwrap() {
                for v in [p, &p["vecchio"], &p["nuovo"]] {
                    if let Some(name) = v.as_str() {
                        people.insert(name.to_string());
                    }
                }
            }
        }
    }
    for name in &people {
        assert!(flat.contains(name.as_str()), "«{name}» not in the PDF");
    }
    assert!(people.len() > 40, "{people:?}");
    for n in 1..=4 {
        for m in 1..=5 {
            let code = format!("OS {n}.{m} –");
            if repo()
                .join(format!("content/obiettivi/strategici/os-{n}.{m}.json"))
                .exists()
            {
                assert!(flat.contains(&code), "{code} not in the PDF");
            }
        }
    }
    // The figures of the site's pages are the figures of the print edition (the check
    // report, with printed values and source positions, is the site's alone).
    let dir = tempfile::tempdir().unwrap();
    let site = crate::common::build_into(&repo().join("content"), &dir.path().join("out"));
    fs::remove_file(site.join("verifica.html")).unwrap();
    let site_figures = figures(&crate::common::site_text(&site));
    let pdf_figures = figures(&flat);
    // A footnote's number set right after a figure reads as more digits in extracted text
    // ("1.130" + note 1 = "1.1301"): such a figure is there.
    let before_note = |f: &String| {
        let d: rust_decimal::Decimal = f.parse().unwrap();
        let shown = piao::format::number(d, d.scale());
        (0..10).any(|n| flat.contains(&format!("{shown}{n}")))
    };
    let missing: Vec<&String> = site_figures
        .difference(&pdf_figures)
        .filter(|f| !before_note(f))
        .collect();
    assert!(
        missing.is_empty(),
        "figures of the site missing from the PDF: {missing:?}"
    );
}

//! What the office uploads: the Portale PIAO record (approval, employees computed from the
//! staff tables, the PDF's size and SHA-256, what is missing), the sitemap and canonical
//! links under `indirizzo_base`, the upload summary and the `--zip` archive of the published
//! folder.

use crate::common::{
    build_with, copy_tree, edit, fixture, html_pages, piao, place, published, refused,
    run_build_with, site,
};
use piao::{Options, Product};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::Path;

const BASE: &str = "https://www.ente-di-prova.it/trasparenza/piao/";

fn record(out: &Path) -> serde_json::Value {
    let text = fs::read_to_string(out.join("revisione/portale-piao.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn missing(record: &serde_json::Value) -> Vec<String> {
    record["mancanti"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["campo"].as_str().unwrap().to_string())
        .collect()
}

/// Every file of the published folder, by address relative to it.
fn published_files(out: &Path) -> BTreeSet<String> {
    let root = site(out);
    walkdir::WalkDir::new(&root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

fn zip_names(archive: &Path) -> BTreeSet<String> {
    let file = fs::File::open(archive).unwrap();
    let zip = zip::ZipArchive::new(file).unwrap();
    zip.file_names().map(|n| n.unwrap().to_string()).collect()
}

#[test]
fn the_published_plan_gives_a_complete_record_a_sitemap_and_one_archive() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&published(), &content);
    edit(
        &content.join("documento.json"),
        "\"data\": \"2025-06-30\"",
        &format!(
            r#""data": "2025-06-30",
  "indirizzo_base": "{BASE}",
  "approvazione": {{"organo": "Giunta camerale", "atto": "Delibera di Giunta n. 99 del 28 luglio 2025", "data": "2025-07-28"}},
  "dipendenti": "personale_aree.totale.totale""#
        ),
    );
    let out = dir.path().join("out");
    let run = run_build_with(&content, &out, &["--zip"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);

    // The employees are the staff table's total as computed, not a typed figure.
    let prepared = piao::prepare(
        &content,
        &Options {
            only: Some(Product::Html),
            ..Options::default()
        },
    )
    .unwrap();
    let staff = prepared.computed.tables["personale_aree"]
        .rows
        .iter()
        .find(|r| r.id.as_deref() == Some("totale"))
        .unwrap()
        .cells
        .last()
        .unwrap()
        .number()
        .unwrap();
    let r = record(&out);
    assert_eq!(Decimal::from(r["dipendenti"].as_u64().unwrap()), staff);
    assert_eq!(r["tipologia"], "PIAO ordinario (50 dipendenti o più)");
    assert_eq!(
        r["approvazione"]["atto"],
        "Delibera di Giunta n. 99 del 28 luglio 2025"
    );
    assert_eq!(r["approvazione"]["data"], "2025-07-28");
    assert!(missing(&r).is_empty(), "{r}");

    // The PDF's size and fingerprint are those of the file published.
    let pdf = fs::read(site(&out).join("piao-2025-2027.pdf")).unwrap();
    assert_eq!(r["documento"]["byte"].as_u64().unwrap(), pdf.len() as u64);
    let sha: String = Sha256::digest(&pdf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(r["documento"]["sha256"], sha.as_str());
    let page = fs::read_to_string(out.join("revisione/portale-piao.html")).unwrap();
    assert!(page.contains(&sha) && page.contains("Delibera di Giunta n. 99"));
    assert!(page.contains("Tutti i dati richiesti sono presenti"));

    // Every page names its address online; the sitemap lists exactly the pages.
    let pages = html_pages(&site(&out));
    let mut listed = BTreeSet::new();
    for page in &pages {
        let rel = page
            .strip_prefix(site(&out))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let html = fs::read_to_string(page).unwrap();
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{BASE}{rel}\">")),
            "{rel}"
        );
        listed.insert(format!("<loc>{BASE}{rel}</loc>"));
    }
    let sitemap = fs::read_to_string(site(&out).join("sitemap.xml")).unwrap();
    let locs: BTreeSet<String> = sitemap
        .lines()
        .filter_map(|l| {
            l.find("<loc>")
                .map(|i| l[i..].split("<lastmod>").next().unwrap().to_string())
        })
        .collect();
    assert_eq!(locs, listed);
    assert!(sitemap.contains("<lastmod>2025-06-30</lastmod>"));

    // The archive holds exactly the published folder, and the summary says what to upload.
    let archive = out.join("piao-2025-2027.zip");
    assert_eq!(zip_names(&archive), published_files(&out));
    let mut zip = zip::ZipArchive::new(fs::File::open(&archive).unwrap()).unwrap();
    let mut inside = Vec::new();
    zip.by_name("piao-2025-2027.pdf")
        .unwrap()
        .read_to_end(&mut inside)
        .unwrap();
    assert_eq!(inside, pdf);
    for line in [
        "Da caricare in Amministrazione Trasparente: la cartella",
        "  - il documento in PDF: ",
        "La stessa cartella in un unico archivio: ",
        "Scheda per il Portale PIAO: ",
    ] {
        assert!(stdout.contains(line), "«{line}» in:\n{stdout}");
    }
    assert!(!stdout.contains("mancano"), "{stdout}");

    // The same content gives the same archive.
    let first = fs::read(&archive).unwrap();
    build_with(&content, &out, &["--zip"]);
    assert_eq!(fs::read(&archive).unwrap(), first);
}

#[test]
fn without_the_fields_the_record_lists_what_is_missing_and_nothing_is_invented() {
    let (dir, content) = fixture("minimo");
    let out = dir.path().join("out");
    let run = run_build_with(&content, &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let r = record(&out);
    assert_eq!(
        missing(&r),
        [
            "approvazione.organo",
            "approvazione.atto",
            "approvazione.data",
            "dipendenti"
        ]
    );
    assert!(r["approvazione"]["atto"].is_null() && r["dipendenti"].is_null());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains(
            "mancano: approvazione.organo, approvazione.atto, approvazione.data, dipendenti"
        ),
        "{stdout}"
    );
    // No address online: no sitemap, no canonical link.
    assert!(!site(&out).join("sitemap.xml").exists());
    for page in html_pages(&site(&out)) {
        assert!(
            !fs::read_to_string(&page)
                .unwrap()
                .contains("rel=\"canonical\"")
        );
    }
    // Without --zip, no archive.
    assert!(!out.join("prova.zip").exists());

    // The record describes the PDF: a build of the site alone keeps it, with the PDF.
    let before = fs::read(out.join("revisione/portale-piao.json")).unwrap();
    build_with(&content, &out, &["--solo", "html"]);
    assert_eq!(
        fs::read(out.join("revisione/portale-piao.json")).unwrap(),
        before
    );
    assert!(site(&out).join("prova.pdf").exists());

    // The archive is the whole folder: not with one product alone.
    let run = run_build_with(&content, &out, &["--solo", "pdf", "--zip"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("non si usa con --solo"));
}

#[test]
fn wrong_fields_are_refused_where_they_are_written() {
    let cases = [
        (
            r#""approvazione": {"data": "28/07/2025"},"#,
            "\"28/07/2025\"",
            "data non valida «28/07/2025»",
        ),
        (
            r#""dipendenti": "personale.totale.totale","#,
            "personale.totale.totale",
            "personale",
        ),
        (
            r#""dipendenti": "attivo.totale.importo","#,
            "\"attivo.totale.importo\"",
            "deve essere un numero intero non negativo: la formula «attivo.totale.importo» dà 1.434,75",
        ),
        (
            r#""indirizzo_base": "https://www.ente.it/piao/?pagina=1","#,
            "\"https://www.ente.it/piao/?pagina=1\"",
            "indirizzo base non valido",
        ),
        (
            r#""approvazione": {"delibera": "n. 1"},"#,
            // serde places an unknown key at its closing quote.
            "\": \"n. 1\"",
            "campo sconosciuto `delibera`; campi ammessi: `organo`, `atto`, `data`",
        ),
    ];
    for (field, needle, words) in cases {
        let (_dir, content) = fixture("minimo");
        edit(
            &content.join("documento.json"),
            "\"data\": \"2025-06-30\"",
            &format!("{field}\n  \"data\": \"2025-06-30\""),
        );
        let at = place(&content, "documento.json", needle);
        let error = refused(&content, &at, words);
        assert!(!error.contains("panicked"), "{error}");
    }
    // The command line says what it accepts.
    let help = String::from_utf8_lossy(&piao(&["build", "--help"]).stdout).to_string();
    assert!(help.contains("--zip"), "{help}");
}

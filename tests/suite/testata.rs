//! The chrome of a public administration's site, from `documento.json`: the ente's website,
//! its Amministrazione Trasparente page, the accessibility statement, contacts and the
//! publication date on every page; the PDF linked from every page; what gets published kept
//! apart from the reviewers' report.

use crate::common::{build_into, edit, fixture, html_pages, place, refused, site};
use std::fs;
use std::path::Path;

const FIELDS: &str = r#""data": "2025-06-30",
  "pubblicazione": "2025-07-15",
  "descrizione": "Il piano di prova dell'ente, con le modifiche dell'aggiornamento.",
  "sito_ente": "https://www.ente-di-prova.it/",
  "amministrazione_trasparente": "https://www.ente-di-prova.it/trasparenza",
  "dichiarazione_accessibilita": "https://form.agid.gov.it/view/prova",
  "contatti": {"indirizzo": "Via Roma, 1 – Città", "telefono": "0376 000000", "email": "urp@ente-di-prova.it", "pec": "ente@pec.ente-di-prova.it"}"#;

fn with_fields(content: &Path) {
    edit(
        &content.join("documento.json"),
        "\"data\": \"2025-06-30\"",
        FIELDS,
    );
}

#[test]
fn every_page_carries_the_entes_links_contacts_date_and_the_pdf() {
    let (dir, content) = fixture("minimo");
    with_fields(&content);
    let out = build_into(&content, &dir.path().join("output"));
    let pages = html_pages(&site(&out));
    assert!(pages.len() >= 3, "{pages:?}");
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        let shown = page.display();
        let root = if page.parent() == Some(site(&out).as_path()) {
            ""
        } else {
            "../"
        };
        for expected in [
            "<a class=\"ente\" href=\"https://www.ente-di-prova.it/\">Ente di prova</a>",
            "<a href=\"https://www.ente-di-prova.it/trasparenza\">Amministrazione Trasparente</a>",
            "<a href=\"https://form.agid.gov.it/view/prova\">Dichiarazione di accessibilità</a>",
            "Data di pubblicazione: 15 luglio 2025",
            "Via Roma, 1 – Città",
            "<a href=\"mailto:urp@ente-di-prova.it\">urp@ente-di-prova.it</a>",
            "PEC: <a href=\"mailto:ente@pec.ente-di-prova.it\">",
            "<meta name=\"description\" content=\"Il piano di prova dell&#39;ente, con le modifiche dell&#39;aggiornamento.\">",
        ] {
            assert!(html.contains(expected), "{shown}: «{expected}» missing");
        }
        for expected in [
            format!("<link rel=\"icon\" href=\"{root}static/favicon.svg\""),
            format!("<a href=\"{root}prova.pdf\">Documento in PDF</a>"),
        ] {
            assert!(html.contains(&expected), "{shown}: «{expected}» missing");
        }
    }
    assert!(site(&out).join("static/favicon.svg").is_file());
}

#[test]
fn without_the_optional_fields_the_chrome_prints_what_it_has() {
    let (dir, content) = fixture("minimo");
    let out = build_into(&content, &dir.path().join("output"));
    let home = fs::read_to_string(site(&out).join("index.html")).unwrap();
    assert!(home.contains("<span class=\"ente\">Ente di prova</span>"));
    // The edition's date stands for the publication date; the description is made of the title.
    assert!(home.contains("Data di pubblicazione: 30 giugno 2025"));
    assert!(home.contains(
        "<meta name=\"description\" content=\"Piano di prova (PIAO) 2025-2027 – Ente di prova: Aggiornamento.\">"
    ));
    assert!(!home.contains("Amministrazione Trasparente</a>"));
    assert!(!home.contains("<address>"));
}

#[test]
fn the_published_folder_holds_no_report_and_no_content_paths() {
    let (dir, content) = fixture("minimo");
    let out = build_into(&content, &dir.path().join("output"));
    let report = out.join("revisione/verifica.html");
    let html = fs::read_to_string(&report).unwrap();
    // The report is framed like the site and reaches it from beside it.
    assert!(html.contains("href=\"../sito/static/piao.css\""), "{html}");
    assert!(
        html.contains("01-conti/"),
        "the report names the content's files"
    );
    assert!(out.join("revisione/verifica.json").is_file());
    for entry in walkdir::WalkDir::new(site(&out)) {
        let path = entry.unwrap().into_path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        assert!(
            !name.starts_with("verifica"),
            "{} is published",
            path.display()
        );
        if name.ends_with(".html") {
            let text = fs::read_to_string(&path).unwrap();
            assert!(
                !text.contains("verifica.html"),
                "{} links the report",
                path.display()
            );
            assert!(
                !text.contains("01-conti/"),
                "{} names a content file",
                path.display()
            );
        }
    }
    // The home page lists the index once: no side index, no phone menu.
    let home = fs::read_to_string(site(&out).join("index.html")).unwrap();
    assert_eq!(
        home.matches("aria-label=\"Indice del documento\"").count(),
        0
    );
    let page = fs::read_to_string(site(&out).join("conti/index.html")).unwrap();
    assert_eq!(
        page.matches("aria-label=\"Indice del documento\"").count(),
        2
    );
    assert!(page.contains("<details class=\"menu-telefono\">"));
}

#[test]
fn a_malformed_address_mail_or_date_is_refused_where_it_is_written() {
    for (key, from, to, words) in [
        (
            "sito_ente",
            "\"https://www.ente-di-prova.it/\"",
            "\"www.ente-di-prova.it\"",
            "indirizzo non valido «www.ente-di-prova.it»: atteso un indirizzo web completo",
        ),
        (
            "dichiarazione_accessibilita",
            "\"https://form.agid.gov.it/view/prova\"",
            "\"javascript:alert(1)\"",
            "indirizzo non valido «javascript:alert(1)»",
        ),
        (
            "pec",
            "\"ente@pec.ente-di-prova.it\"",
            "\"ente pec.it\"",
            "indirizzo di posta non valido «ente pec.it»",
        ),
        (
            "pubblicazione",
            "\"2025-07-15\"",
            "\"15/07/2025\"",
            "data non valida «15/07/2025»: attesa una data del calendario nella forma AAAA-MM-GG",
        ),
    ] {
        let (_dir, content) = fixture("minimo");
        with_fields(&content);
        edit(&content.join("documento.json"), from, to);
        // The error points at the value as written.
        let error = refused(&content, &place(&content, "documento.json", to), words);
        assert!(error.contains(words), "{key}: {error}");
    }
}

#[test]
fn tables_group_their_rows_and_no_row_loses_its_label_and_the_index_shows_where_you_are() {
    let (out, _) = crate::common::published_build();
    let read = |page: &str| fs::read_to_string(site(out).join(page)).unwrap();
    // A sub-header row opens a row group of its own, which its first cell heads.
    let budget = read("identita/risorse-economiche.html");
    assert!(
        budget
            .contains("</tbody><tbody>\n<tr class=\"gruppo\"><th scope=\"rowgroup\">PASSIVO</th>")
    );
    assert!(!budget.contains("scope=\"colgroup\""));
    // The province written once over its five years is repeated, quieter, on every row.
    let context = read("valore-pubblico/contesto.html");
    assert!(!context.contains("<th scope=\"row\"></th>"));
    assert!(context.contains("<th scope=\"row\" class=\"continua\">Bergamo</th><td>2020</td>"));
    // An objective's page marks its part in both indexes (side and phone menu).
    for (page, part) in [
        ("obiettivi/os-1-1.html", "../obiettivi/index.html"),
        ("allegato-1/oo-1-1-1.html", "../allegato-1/index.html"),
    ] {
        let html = read(page);
        let marked = format!("<a href=\"{part}\" aria-current=\"true\">");
        assert_eq!(html.matches(&marked).count(), 2, "{page}");
    }
    // A revised objective's title links its page; the note's reference follows the link.
    let tree = read("obiettivi/index.html");
    assert!(tree.contains("Gestione della Formazione 2025</del></a><sup class=\"rif-modifica\">"));
}

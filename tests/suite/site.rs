//! The site built from a small fixture: structure, accessibility features, computed figures
//! flowing into tables and prose, and byte-identical rebuilds.

use crate::common::{fixture, piao, site_text, visible_text};

fn build(content: &Path) -> std::path::PathBuf {
    crate::common::build_into(content, &content.parent().unwrap().join("output"))
}
use std::fs;
use std::path::Path;

#[test]
fn pages_are_accessible_and_navigable() {
    let (_dir, content) = fixture("minimo");
    let out = build(&content);
    let home = fs::read_to_string(out.join("sito/index.html")).unwrap();
    assert!(home.contains("<html lang=\"it\">"));
    assert!(home.contains("<a class=\"salta\" href=\"#contenuto\">Vai al contenuto</a>"));
    assert!(home.contains("Ente di prova") && home.contains("Delibera di prova"));
    assert!(
        home.contains("href=\"conti/index.html\""),
        "the table of contents links the section"
    );

    let page = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(
        page.contains("<caption id=\"didascalia-attivo\"><span class=\"didascalia-testo\">Attivo")
    );
    assert!(page.contains("<th scope=\"col\" class=\"num\">Importo</th>"));
    assert!(page.contains("<th scope=\"row\">Crediti</th><td class=\"num\">1.234,50</td>"));
    assert!(page.contains("<nav class=\"briciole contenitore\" aria-label=\"Percorso\">"));
    assert!(page.contains("rel=\"prev\""));
    assert!(page.contains("href=\"../static/piao.css\""));
    assert!(
        out.join("sito/static/fonts/TitilliumWeb_400Regular.ttf")
            .is_file()
    );
    // Footnotes both ways.
    assert!(page.contains("href=\"#nota-1\" id=\"rif-nota-1\""));
    assert!(page.contains("href=\"#rif-nota-1\""));
    // No network: nothing is loaded from another host.
    for file in ["index.html", "conti/index.html", "static/piao.css"] {
        let text = fs::read_to_string(out.join("sito").join(file)).unwrap();
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{file} refers to the network"
        );
    }
}

#[test]
fn totals_and_prose_follow_the_data() {
    let (_dir, content) = fixture("minimo");
    let out = build(&content);
    let text = visible_text(&fs::read_to_string(out.join("sito/conti/index.html")).unwrap());
    assert!(
        text.contains("Il totale dell'attivo è di € 1.434,75"),
        "{text}"
    );
    // The total follows the revised «Liquidità»: a consequence, before → after.
    assert!(
        text.contains("TOTALE valore precedente: 1.334,50 valore aggiornato, per effetto delle modifiche: 1.434,75 100,0%"),
        "{text}"
    );

    // One primary input changes: the total and the sentence quoting it follow.
    let table = content.join("01-conti/attivo.json");
    let json = fs::read_to_string(&table)
        .unwrap()
        .replace("1234.5", "1000");
    fs::write(&table, json).unwrap();
    let out = build(&content);
    let text = visible_text(&fs::read_to_string(out.join("sito/conti/index.html")).unwrap());
    assert!(
        text.contains("Il totale dell'attivo è di € 1.200,25"),
        "{text}"
    );
    assert!(text.contains("1.200,25 100,0%"), "{text}");
}

#[test]
fn revisions_show_old_and_new_with_the_reason() {
    let (_dir, content) = fixture("minimo");
    let out = build(&content);
    let page = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(page.contains(
        "<del class=\"rev-vecchio\"><span class=\"sr-only\">valore precedente: </span>100,00</del>"
    ));
    assert!(page.contains(
        "<ins class=\"rev-nuovo\"><span class=\"sr-only\">valore aggiornato: </span>200,25</ins>"
    ));
    assert!(page.contains(
        "<del class=\"rev-vecchio\"><span class=\"sr-only\">testo eliminato: </span>7</del>"
    ));
    let text = site_text(&out);
    assert_eq!(
        text.matches("Motivo della modifica: Aggiornamento").count(),
        2,
        "{text}"
    );
}

#[test]
fn rebuilds_are_byte_identical() {
    let (dir, content) = fixture("minimo");
    let first = build(&content);
    let copy = dir.path().join("primo");
    crate::common::copy_tree(&first, &copy);
    let second = build(&content);
    for entry in walkdir::WalkDir::new(&second) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&second).unwrap();
            assert_eq!(
                fs::read(entry.path()).unwrap(),
                fs::read(copy.join(rel)).unwrap(),
                "{}",
                rel.display()
            );
        }
    }
}

#[test]
fn declared_totals_that_disagree_are_reported_with_both_values() {
    let (_dir, content) = fixture("minimo");
    let table = content.join("01-conti/attivo.json");
    let json = fs::read_to_string(&table)
        .unwrap()
        .replace("1434.75", "1434.70");
    fs::write(&table, json).unwrap();
    let run = piao(&["check", "--content", content.to_str().unwrap()]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("avviso: "), "{stderr}");
    assert!(stderr.contains("attivo.json:11:70"), "{stderr}");
    assert!(
        stderr.contains("il documento riporta 1.434,70, il valore calcolato è 1.434,75"),
        "{stderr}"
    );
}

#[test]
fn revisions_are_kept_as_data_with_their_place() {
    let (_dir, content) = fixture("minimo");
    let outcome = piao::compile(&content, &piao::Options::default()).unwrap();
    let found: Vec<(String, usize, String, String, String)> = outcome
        .amendments
        .iter()
        .map(|r| {
            (
                r.at.file.file_name().unwrap().to_string_lossy().to_string(),
                r.at.line,
                r.old.clone(),
                r.new.clone(),
                r.reason.clone(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "01-bilancio.md".into(),
                7,
                "7".into(),
                "6".into(),
                "Aggiornamento".into()
            ),
            (
                "01-bilancio.md".into(),
                11,
                "€ 33,36".into(),
                "€ 35,87".into(),
                "cifra ricalcolata per effetto delle modifiche dell'aggiornamento".into()
            ),
            (
                "attivo.json".into(),
                10,
                "100,00".into(),
                "200,25".into(),
                "Aggiornamento".into()
            ),
            (
                "attivo.json".into(),
                11,
                "1.334,50".into(),
                "1.434,75".into(),
                String::new()
            ),
        ]
    );
}

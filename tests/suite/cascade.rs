//! The performance cascade over a small fixture: pages, revisions in both editions, the
//! Prospetto delle modifiche, weight checks and reference errors.

use crate::common::{edit, fixture, site, visible_text};
use std::fs;
use std::path::Path;

fn build(content: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    crate::common::run_build_with(content, out, extra)
}

fn built(content: &Path, out: &Path, extra: &[&str]) -> String {
    let run = build(content, out, extra);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stderr).to_string()
}

fn read(out: &Path, page: &str) -> String {
    fs::read_to_string(site(out).join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// Rows of the Prospetto delle modifiche.
fn prospetto_rows(html: &str) -> usize {
    html.split("<table class=\"modifiche\">")
        .skip(1)
        .map(|t| t.split("</table>").next().unwrap())
        .map(|t| t.matches("<tr><th scope=\"row\">").count())
        .sum()
}

#[test]
fn every_objective_has_its_page_in_the_tree_and_the_annex() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    built(&content, &out, &[]);
    for page in [
        "obiettivi/index.html",
        "obiettivi/os-1-1.html",
        "obiettivi/os-1-2.html",
        "allegato-1/index.html",
        "allegato-1/oo-1-1-1.html",
        "allegato-1/oo-1-2-1.html",
        "allegato-1/oo-1-2-1-ptfp.html",
        "allegato-1/oo-1-2-2.html",
    ] {
        assert!(site(&out).join(page).is_file(), "{page} missing");
    }
    let tree = visible_text(&read(&out, "obiettivi/index.html"));
    assert!(tree.contains("AS 1 – Competitività del sistema economico"));
    assert!(tree.contains("OS 1.1 – Sostenere l'internazionalizzazione peso 60%"));
    assert!(tree.contains("OO 1.2.2 – Assessment di maturità digitale"));
    let scheda = visible_text(&read(&out, "allegato-1/oo-1-1-1.html"));
    for text in [
        "Allegato 1 – Area Promozionale – Scheda di programmazione operativa 1",
        "OS 1.1 – Sostenere l'internazionalizzazione",
        "Area Promozionale / Ufficio Estero",
        "Rilevatore: De Bona Nicoletta",
        "Incontri realizzati",
        "Fonte dei dati: Osservatorio camerale",
        ">= 25",
    ] {
        assert!(
            scheda.contains(text),
            "«{text}» not in the scheda: {scheda}"
        );
    }
    // Section 2.2's tables and lists come from the same files.
    let perf = visible_text(&read(&out, "piano/index.html"));
    assert!(perf.contains("Totale AS 1 100%"), "{perf}");
    assert!(perf.contains("OS 1.2 – Favorire la doppia transizione (peso 40%)"));
    assert!(perf.contains("Gli obiettivi sono 2 strategici e 3 operativi"));
}

#[test]
fn revisions_are_marked_with_reasons_and_all_listed_in_the_prospetto() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    let run = build(&content, &out, &[]);
    assert!(run.status.success());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("10 modifiche dell'aggiornamento"),
        "{stdout}"
    );

    let os = read(&out, "obiettivi/os-1-1.html");
    assert!(os.contains("<del class=\"rev-vecchio\"><span class=\"sr-only\">valore precedente: </span>&gt;=450</del>"));
    assert!(os.contains(
        "<ins class=\"rev-nuovo\"><span class=\"sr-only\">valore aggiornato: </span>&gt;=525</ins>"
    ));
    assert!(os.contains("href=\"#scheda-modifica-1\""));
    assert!(
        visible_text(&os).contains("Motivi delle modifiche Target innalzato dopo il monitoraggio")
    );

    // A removed indicator stays, struck; a removed objective stays, struck, with its banner.
    let os2 = read(&out, "obiettivi/os-1-2.html");
    assert!(os2.contains("<tr class=\"rev-eliminato\">"));
    assert!(visible_text(&os2).contains("Rilevazione sostituita da tavoli di lavoro"));
    let removed = visible_text(&read(&out, "allegato-1/oo-1-2-1.html"));
    assert!(removed.contains("Obiettivo operativo eliminato con l'aggiornamento"));
    let people = read(&out, "allegato-1/oo-1-1-1.html");
    assert!(people.contains("Rocca Maria Luisa</del>"));
    assert!(people.contains("Soragna Simonetta</ins>"));

    let prospetto = read(&out, "modifiche.html");
    // The ten revisions, and the total of OS 1.2's weights they move (90 before the update,
    // when the replaced objective was in force), listed under the first of them.
    assert_eq!(prospetto_rows(&prospetto), 11);
    assert!(visible_text(&prospetto).contains("Conseguenza: tabella «Obiettivi operativi 2025 con il loro peso nell'obiettivo strategico», riga «Totale OS 1.2», colonna «Peso» valore precedente: 90 valore aggiornato: 100"));
    let text = visible_text(&prospetto);
    for reason in [
        "Motivo della prosa",
        "Target innalzato dopo il monitoraggio",
        "Rilevazione sostituita da tavoli di lavoro",
        "Precisazione dell'aggiornamento",
        "Obiettivo sostituito",
        "Obiettivo inserito in sostituzione",
        "Avvio del nuovo ente",
        "Peso ridistribuito",
    ] {
        assert!(text.contains(reason), "«{reason}» not in the Prospetto");
    }
    // Grouped in document order: the prose's section, then the cards, then the annex.
    let prose = text.find("Sezione 2 – Performance").unwrap();
    let cards = text.find("Obiettivi strategici e operativi OS").unwrap();
    let annex = text
        .find("Allegato 1 – Schede di programmazione operativa Scheda 1")
        .unwrap();
    assert!(prose < cards && cards < annex, "{text}");
    assert!(text.contains("Target 2025 – indicatore «Imprese supportate» valore precedente: >=450 valore aggiornato: >=525 Target innalzato dopo il monitoraggio"), "{text}");
    assert!(text.contains("Validatore valore precedente: Rocca Maria Luisa valore aggiornato: Soragna Simonetta non indicato nel documento"), "{text}");
}

#[test]
fn the_consolidated_edition_shows_the_plan_in_force_without_markers() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    let run = build(&content, &out, &["--edizione", "consolidata"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("0 modifiche dell'aggiornamento"));
    assert!(!out.join("sito/modifiche.html").exists());
    assert!(!out.join("sito/allegato-1/oo-1-2-1.html").exists());
    let mut all = String::new();
    for entry in walkdir::WalkDir::new(&out) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = fs::read_to_string(&path).unwrap();
            for marker in [
                "<del",
                "<ins",
                "rev-eliminato",
                "rif-modifica",
                "{~~",
                "{>>",
            ] {
                assert!(!html.contains(marker), "{marker} in {}", path.display());
            }
            all.push_str(&visible_text(&html));
        }
    }
    for gone in [
        "Gradimento degli eventi",
        "Gestione della formazione",
        "Rocca Maria Luisa",
        "vecchio",
    ] {
        assert!(
            !all.contains(gone),
            "«{gone}» still in the consolidated edition"
        );
    }
    for kept in [
        "Soragna Simonetta",
        ">=525",
        "Adempimenti del piano dei fabbisogni",
        "Un testo nuovo rivisto",
        "Cicli di incontri formativi per le imprese",
    ] {
        assert!(
            all.contains(kept),
            "«{kept}» missing from the consolidated edition"
        );
    }
}

#[test]
fn weights_that_do_not_sum_to_100_are_reported_with_file_and_line() {
    let (dir, content) = fixture("cascata");
    let os = content.join("obiettivi/strategici/os-1.2.json");
    edit(&os, "\"nuovo\": 100", "\"nuovo\": 90");
    let out = dir.path().join("out");
    let stderr = built(&content, &out, &[]);
    assert!(
        stderr.contains("os-1.2.json:8:17: I pesi degli indicatori in vigore di OS 1.2 sommano a 100: la somma è 90 invece di 100"),
        "{stderr}"
    );
    // An objective replaced but still counted is what the check catches.
    let (dir, content) = fixture("cascata");
    let old = content.join("obiettivi/operativi/oo-1.2.1.json");
    edit(
        &old,
        "\"revisione\": { \"tipo\": \"eliminato\", \"motivo\": \"Obiettivo sostituito\" }",
        "\"note\": []",
    );
    edit(&old, "\"scheda\": 2", "\"scheda\": 9");
    edit(&old, "\"codice\": \"OO 1.2.1\"", "\"codice\": \"OO 1.2.9\"");
    let out = dir.path().join("out");
    let stderr = built(&content, &out, &[]);
    assert!(
        stderr.contains("os-1.2.json:2:13: I pesi degli obiettivi operativi in vigore di OS 1.2 sommano a 100: la somma è 160 invece di 100"),
        "{stderr}"
    );
    // With --strict the build stops and keeps the previous site.
    let run = build(&content, &out, &["--strict"]);
    assert!(!run.status.success());
    assert!(out.join("sito/index.html").is_file());
}

#[test]
fn the_weight_printed_in_the_list_and_the_counts_in_the_prose_are_checked() {
    let (dir, content) = fixture("cascata");
    edit(
        &content.join("obiettivi/operativi/oo-1.2.2.json"),
        "\"descrizione\"",
        "\"peso_elenco\": 45,\n  \"descrizione\"",
    );
    edit(
        &content.join("01-piano/calcoli.json"),
        "\"dichiarato\": 3",
        "\"dichiarato\": 4",
    );
    let out = dir.path().join("out");
    let stderr = built(&content, &out, &[]);
    assert!(
        stderr.contains("oo-1.2.2.json:8:18: Peso di OO 1.2.2 nell'elenco della Sezione 2.2 rispetto alla scheda: il documento riporta 45, il valore calcolato è 40"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "Obiettivi operativi citati nel testo: il documento riporta 4, il valore calcolato è 3"
        ),
        "{stderr}"
    );
}

fn fails_with(content: &Path, location: &str, words: &str) {
    let out = content.parent().unwrap().join("out");
    let run = build(content, &out, &[]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(location) && stderr.contains(words),
        "expected {location} and «{words}» in: {stderr}"
    );
    assert!(!out.exists(), "a failed build wrote output");
}

#[test]
fn broken_references_and_codes_are_positioned_errors() {
    let (_dir, content) = fixture("cascata");
    edit(
        &content.join("obiettivi/operativi/oo-1.1.1.json"),
        "\"OS 1.1\"",
        "\"OS 9.9\"",
    );
    fails_with(
        &content,
        "oo-1.1.1.json:4:27",
        "obiettivo strategico «OS 9.9» inesistente",
    );

    let (_dir, content) = fixture("cascata");
    edit(
        &content.join("obiettivi/operativi/oo-1.2.2.json"),
        "\"OO 1.2.2\"",
        "\"OO 1.1.1\"",
    );
    fails_with(
        &content,
        "oo-1.2.2.json:4:27",
        "non può appartenere a OS 1.2",
    );

    let (_dir, content) = fixture("cascata");
    edit(
        &content.join("obiettivi/operativi/oo-1.2.2.json"),
        "\"OO 1.2.2\"",
        "\"OO 1.2.1\"",
    );
    fails_with(&content, "oo-1.2.2.json:3:13", "codice «OO 1.2.1» ripetuto");

    let (_dir, content) = fixture("cascata");
    edit(
        &content.join("obiettivi/operativi/oo-1.2.2.json"),
        "\"promozionale\"",
        "\"estero\"",
    );
    fails_with(&content, "oo-1.2.2.json:5:11", "area «estero» inesistente");

    let (_dir, content) = fixture("cascata");
    edit(
        &content.join("obiettivi/operativi/oo-1.2.2.json"),
        "\"motivo\": \"Peso ridistribuito\"",
        "\"ragione\": \"Peso ridistribuito\"",
    );
    fails_with(&content, "oo-1.2.2.json:7:", "ragione");

    let (_dir, content) = fixture("cascata");
    edit(
        &content.join("obiettivi/strategici/os-1.2.json"),
        "\"target\": { \"2025\": \">=15\", \"2026\": \">=15\", \"2027\": \">=15\" }",
        "\"target\": \">=15\"",
    );
    fails_with(&content, "os-1.2.json:", "atteso un target per anno");

    let (_dir, content) = fixture("cascata");
    edit(
        &content.join("01-piano/01-performance.md"),
        "\"AS 1\"",
        "\"AS 7\"",
    );
    fails_with(&content, "01-performance.md:", "ambito «AS 7» inesistente");
}

#[test]
fn the_objectives_in_force_are_open_data_with_targets_read() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    built(&content, &out, &[]);
    let data: serde_json::Value = serde_json::from_str(&read(&out, "dati/obiettivi.json")).unwrap();
    let oo = data["obiettivi_operativi"].as_array().unwrap();
    let codes: Vec<&str> = oo.iter().map(|o| o["codice"].as_str().unwrap()).collect();
    assert_eq!(codes, ["OO 1.1.1", "OO 1.2.1", "OO 1.2.2"]);
    assert_eq!(oo[1]["titolo"], "Adempimenti del piano dei fabbisogni");
    assert_eq!(oo[0]["validatori"][0], "Soragna Simonetta");
    assert_eq!(
        oo[0]["descrizione"],
        "Cicli di incontri formativi per le imprese."
    );
    let target = &oo[1]["indicatori"][0]["target"]["2025"];
    assert_eq!(target["testo"], "80%");
    assert_eq!(target["operatore"], "=");
    assert_eq!(target["valore"], "80");
    assert_eq!(target["unita"], "percentuale");
    let os = &data["obiettivi_strategici"][1];
    assert_eq!(os["indicatori"].as_array().unwrap().len(), 1);
    assert_eq!(os["indicatori"][0]["peso"], "100");
    assert_eq!(
        data["obiettivi_strategici"][0]["indicatori"][0]["target"]["2025"]["valore"],
        "525"
    );
}

//! Bad input: one Italian error naming file, line and column, a non-zero exit, and the
//! previous output left exactly as it was.

use crate::common::{edit, fixture, piao};
use std::fs;
use std::path::Path;

/// Runs a build over `content` into an output folder that already holds a previous site,
/// and returns stderr after checking the failure contract.
fn failing_build(content: &Path, expected_location: &str, expected_words: &str) -> String {
    let out = content.parent().unwrap().join("output");
    crate::common::previous_output(&out);
    let run = crate::common::run_build(content, &out);
    let stderr = String::from_utf8_lossy(&run.stderr).to_string();
    assert!(!run.status.success(), "the build should fail:\n{stderr}");
    assert!(
        stderr.contains(expected_location),
        "expected «{expected_location}» in:\n{stderr}"
    );
    assert!(
        stderr.contains(expected_words),
        "expected «{expected_words}» in:\n{stderr}"
    );
    assert!(stderr.starts_with("errore: "), "{stderr}");
    crate::common::assert_previous_output(&out);
    let leftovers: Vec<_> = fs::read_dir(content.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no temporary folder is left behind: {leftovers:?}"
    );
    stderr
}

#[test]
fn malformed_json_names_line_and_column() {
    let (_dir, content) = fixture("minimo");
    let table = content.join("01-conti/attivo.json");
    edit(
        &table,
        "{ \"valori\": [\"Crediti\", 1234.5] },",
        "{ \"valori\": [\"Crediti\", 1234.5] }",
    );
    let err = failing_build(&content, "attivo.json:10:5", "atteso `,` oppure `]`");
    assert_eq!(err.lines().filter(|l| l.starts_with("errore")).count(), 1);
}

#[test]
fn wrong_type_is_explained_in_italian() {
    let (_dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        "\"decimali\": 2",
        "\"decimali\": \"due\"",
    );
    failing_build(
        &content,
        "attivo.json:5:79",
        "tipo non valido: trovato il testo \"due\", atteso un numero intero",
    );
}

#[test]
fn unknown_field_lists_the_allowed_ones() {
    let (_dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        "\"titolo\": \"Attivo\"",
        "\"titolo\": \"Attivo\", \"colore\": \"blu\"",
    );
    failing_build(
        &content,
        "attivo.json:2:30",
        "campo sconosciuto `colore`; campi ammessi:",
    );
}

#[test]
fn missing_section_file_is_named() {
    let (_dir, content) = fixture("minimo");
    fs::remove_file(content.join("01-conti/sezione.json")).unwrap();
    failing_build(&content, "01-conti/sezione.json:1:1", "file mancante");
}

#[test]
fn missing_table_file_points_at_the_page() {
    let (_dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/01-bilancio.md"),
        "tabella(id=\"attivo\")",
        "tabella(id=\"passivo\")",
    );
    failing_build(
        &content,
        "01-bilancio.md:5:",
        "tabella «passivo» inesistente",
    );
}

#[test]
fn unknown_figure_in_prose_points_at_the_expression() {
    let (_dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/01-bilancio.md"),
        "dati.attivo.totale.importo",
        "dati.attivo.totale.valore",
    );
    failing_build(&content, "01-bilancio.md:3:", "inesistente");
}

#[test]
fn wrong_number_of_values_names_the_row() {
    let (_dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        "[\"Crediti\", 1234.5]",
        "[\"Crediti\", 1234.5, 3]",
    );
    failing_build(
        &content,
        "attivo.json:9:17",
        "attesi 2 valori (colonne voce, importo), trovati 3",
    );
}

#[test]
fn check_validates_without_writing() {
    let (dir, content) = fixture("minimo");
    let run = piao(&["check", "--content", content.to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("Contenuti validi"));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);

    edit(&content.join("documento.json"), "\"sigla\": \"PIAO\",", "");
    let run = piao(&["check", "--content", content.to_str().unwrap()]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("documento.json:10:1"));
    assert!(String::from_utf8_lossy(&run.stderr).contains("manca il campo obbligatorio `sigla`"));
}

#[test]
fn a_skipped_heading_level_points_at_the_heading() {
    let (_dir, content) = fixture("minimo");
    let page = content.join("01-conti/01-bilancio.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\n#### Dettaglio\n")).unwrap();
    let line = text.lines().count() + 2;
    failing_build(
        &content,
        &format!("01-bilancio.md:{line}:1"),
        "titolo di livello 4 dopo uno di livello 1",
    );
}

#[test]
fn a_manifest_without_a_valid_date_is_refused() {
    let (_dir, content) = fixture("minimo");
    edit(
        &content.join("documento.json"),
        "\"2025-06-30\"",
        "\"30/06/2025\"",
    );
    failing_build(
        &content,
        "documento.json:9:11",
        "data non valida «30/06/2025»",
    );
}

/// Problems of the machine rather than of the content: named in Italian, with the path, and
/// without a made-up file, line and column.
#[test]
fn a_missing_content_folder_is_named_without_a_position() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("contenuti-assenti");
    let out = dir.path().join("output");
    let run = piao(&[
        "build",
        "--content",
        missing.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(
        stderr.starts_with("errore: cartella dei contenuti non trovata"),
        "{stderr}"
    );
    assert!(stderr.contains("contenuti-assenti: non esiste"), "{stderr}");
    assert!(!stderr.contains(":1:1"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn an_output_folder_that_cannot_be_made_is_a_system_error() {
    let (dir, content) = fixture("minimo");
    let file = dir.path().join("un-file");
    fs::write(&file, "non una cartella").unwrap();
    let out = file.join("sito");
    let run = crate::common::run_build(&content, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(
        stderr.starts_with("errore: creazione della cartella non riuscita: "),
        "{stderr}"
    );
    assert!(stderr.contains("un-file"), "{stderr}");
    assert!(!stderr.contains(":1:1"), "{stderr}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "non una cartella");
}

/// The library reports kinds a caller can match, not only text.
#[test]
fn failures_have_kinds_and_places() {
    let (_dir, content) = fixture("minimo");
    let table = content.join("01-conti/attivo.json");
    edit(&table, "\"decimali\": 2", "\"decimali\": \"due\"");
    match piao::prepare(&content, &piao::Options::default()) {
        Err(piao::Failure::Content(d)) => {
            assert_eq!(d.at.file, table);
            assert_eq!((d.at.line, d.at.column), (5, 79));
        }
        other => panic!("expected a content failure, got {other:?}"),
    }
}

/// A computed column dividing by zero is a content failure at the zero, not a "-" published
/// as if it were a figure (issue 12): decided by the error's kind, located at the cell.
#[test]
fn a_division_by_zero_is_a_failure_at_the_zero() {
    let (_dir, content) = fixture("minimo");
    let table = content.join("01-conti/attivo.json");
    edit(
        &table,
        "{ \"valori\": [\"Crediti\", 1234.5] },",
        "{ \"valori\": [\"Crediti\", 1234.5] }, { \"valori\": [\"Ratei\", 0] },",
    );
    match piao::prepare(&content, &piao::Options::default()) {
        Err(piao::Failure::Content(d)) => {
            assert_eq!(d.at.file, table);
            // `{ "valori": ["Crediti", 1234.5] }, { "valori": ["Ratei", 0] },`: the 0.
            assert_eq!((d.at.line, d.at.column), (9, 62));
            assert!(d.message.contains("divide per «importo»"), "{}", d.message);
        }
        other => panic!("expected a content failure, got {other:?}"),
    }
}

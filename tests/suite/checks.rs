//! The check policy on a small fixture: printed figures that differ are warnings (errors
//! with --strict), broken invariants stop the build unless accepted, formulas fail with a
//! position, and every check reaches the report.

use crate::common::{edit, fixture, piao, visible_text};
use std::fs;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = piao(args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn quantities_reach_the_prose_and_the_report_lists_every_check() {
    let (dir, content) = fixture("minimo");
    let out = dir.path().join("output");
    let (ok, stdout, stderr) = run(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("verifiche: 3 superate, 0 avvisi, 0 accettate"),
        "{stdout}"
    );
    let page = visible_text(&fs::read_to_string(out.join("sito/conti/index.html")).unwrap());
    assert!(
        page.contains(
            "L'attivo per ciascuno dei 40 dipendenti è di testo eliminato: € 33,36 testo inserito: € 35,87"
        ),
        "{page}"
    );

    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("revisione/verifica.json")).unwrap())
            .unwrap();
    assert_eq!(report["controlli"], 3);
    assert_eq!(report["superati"], 3);
    let kinds: Vec<&str> = report["voci"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["tipo"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["totale", "grandezza", "verifica"]);
    assert_eq!(report["voci"][1]["file"], "01-conti/calcoli.json");
    let html = visible_text(&fs::read_to_string(out.join("revisione/verifica.html")).unwrap());
    assert!(html.contains("3 verifiche eseguite"), "{html}");
    assert!(html.contains("Attivo per dipendente"), "{html}");
}

#[test]
fn a_printed_figure_that_differs_is_a_warning_and_an_error_with_strict() {
    let (dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/calcoli.json"),
        "\"dichiarato\": 35.87",
        "\"dichiarato\": 35.90",
    );
    let (ok, _, stderr) = run(&["check", "--content", content.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("avviso: "), "{stderr}");
    assert!(stderr.contains("calcoli.json:5:102: Attivo per dipendente: il documento riporta € 35,90, il valore calcolato è € 35,87"), "{stderr}");

    let out = dir.path().join("output");
    crate::common::previous_output(&out);
    let (ok, _, stderr) = run(&[
        "build",
        "--strict",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(stderr.contains("errore: "), "{stderr}");
    assert!(stderr.contains("il documento riporta € 35,90"), "{stderr}");
    crate::common::assert_previous_output(&out);
}

#[test]
fn a_broken_invariant_stops_the_build_unless_accepted() {
    let (_dir, content) = fixture("minimo");
    let calcs = content.join("01-conti/calcoli.json");
    edit(
        &calcs,
        "attivo.totale.importo > 0",
        "attivo.totale.importo < 1000",
    );
    let (ok, _, stderr) = run(&["check", "--content", content.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("errore: "), "{stderr}");
    assert!(stderr.contains("calcoli.json:8:"), "{stderr}");
    assert!(stderr.contains("L'attivo è positivo: la condizione «attivo.totale.importo < 1000» non è rispettata (1.434,75 contro 1.000)"), "{stderr}");

    edit(
        &calcs,
        "\"condizione\": \"attivo.totale.importo < 1000\"",
        "\"condizione\": \"attivo.totale.importo < 1000\", \"accettata\": \"Dato di prova\"",
    );
    let (ok, stdout, stderr) = run(&["check", "--content", content.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("accettato: "), "{stderr}");
    assert!(stderr.contains("accettata: Dato di prova"), "{stderr}");
    assert!(stdout.contains("1 accettate"), "{stdout}");
}

#[test]
fn formula_errors_point_into_the_formula() {
    let (_dir, content) = fixture("minimo");
    let calcs = content.join("01-conti/calcoli.json");
    edit(
        &calcs,
        "attivo.totale.importo / dipendenti",
        "attivo.totale.valore / dipendenti",
    );
    let (ok, _, stderr) = run(&["check", "--content", content.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "calcoli.json:5:19: formula: colonna «valore» inesistente nella tabella «attivo»"
        ),
        "{stderr}"
    );

    edit(
        &calcs,
        "attivo.totale.valore / dipendenti",
        "attivo.totale.importo / (dipendenti",
    );
    let (ok, _, stderr) = run(&["check", "--content", content.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains("formula: attesa una parentesi chiusa"),
        "{stderr}"
    );

    edit(
        &calcs,
        "attivo.totale.importo / (dipendenti",
        "attivo.totale.importo / attivo_per_dipendente",
    );
    let (ok, _, stderr) = run(&["check", "--content", content.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("riferimento circolare"), "{stderr}");
}

#[test]
fn a_column_formula_naming_an_unknown_column_is_an_error() {
    let (_dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        "\"importo / importo * 100\"",
        "\"importo / imposta * 100\"",
    );
    let (ok, _, stderr) = run(&["check", "--content", content.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("attivo.json:6:"), "{stderr}");
    assert!(
        stderr.contains("«imposta» non è una colonna della tabella né una grandezza"),
        "{stderr}"
    );
}

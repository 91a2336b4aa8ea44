//! Consequential changes: a figure computed from a revised input shows old → new too, with a
//! quieter marker than the update's own changes, and the Prospetto lists it right under the
//! revision it follows from. The consolidated edition shows the figures in force alone.

use crate::common::{
    build_with, copy_tree, edit, fixture, pdf_text, planner_content, visible_text,
};
use std::fs;

#[test]
fn a_total_over_a_revised_cell_is_marked_as_a_consequence() {
    // The fixture revises «Liquidità» from 100 to 200,25: the total was 1.334,50 before.
    let (dir, content) = fixture("minimo");
    let out = dir.path().join("sito");
    build_with(&content, &out, &[]);
    let html = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(
        html.contains("<del class=\"rev-vecchio rev-conseguenza\"><span class=\"sr-only\">valore precedente: </span>1.334,50</del>"),
        "{html}"
    );
    assert!(
        html.contains("<ins class=\"rev-nuovo rev-conseguenza\"><span class=\"sr-only\">valore aggiornato, per effetto delle modifiche: </span>1.434,75</ins>"),
        "{html}"
    );
    // The quantity of the prose computed from the total: struck and marked, with its note.
    let text = visible_text(&html);
    assert!(
        text.contains("testo eliminato: € 33,36 testo inserito: € 35,87"),
        "{text}"
    );
    assert!(
        text.contains("cifra ricalcolata per effetto delle modifiche dell'aggiornamento"),
        "{text}"
    );

    // The Prospetto: each consequence right under the revision it follows from.
    let prospetto = visible_text(&fs::read_to_string(out.join("sito/modifiche.html")).unwrap());
    let cause = prospetto
        .find("riga «Liquidità», colonna «Importo»")
        .expect("the revision is listed");
    let total = prospetto
        .find("Conseguenza: Tabella «Attivo», riga «TOTALE», colonna «Importo» valore precedente: 1.334,50 valore aggiornato: 1.434,75")
        .unwrap_or_else(|| panic!("the consequence is listed: {prospetto}"));
    let prose = prospetto
        .find("Conseguenza: Testo")
        .expect("the prose's consequence is listed");
    assert!(cause < total && total < prose, "{prospetto}");
    let seven = prospetto
        .find("valore precedente: 7 ")
        .expect("the prose's revision");
    assert!(prose < seven, "{prospetto}");

    let pdf = pdf_text(&out.join("sito/prova.pdf"));
    assert!(
        pdf.contains("Conseguenza: Tabella «Attivo», riga «TOTALE»"),
        "{pdf}"
    );
    assert!(pdf.contains("1.334,50"), "{pdf}");

    let cons = dir.path().join("consolidato");
    build_with(&content, &cons, &["--edizione", "consolidata"]);
    let html = fs::read_to_string(cons.join("sito/conti/index.html")).unwrap();
    assert!(
        !html.contains("1.334,50") && !html.contains("33,36"),
        "{html}"
    );
}

#[test]
fn a_planners_revision_of_a_cessazione_marks_the_budgets_it_moves() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&planner_content(), &content);
    edit(
        &content.join("03-organizzazione/cessazioni.json"),
        "[\"ISTRUTTORI\", 3, 1, 1, 0, 0]",
        "[\"ISTRUTTORI\", 3, 1, {\"vecchio\": 1, \"nuovo\": 2, \"motivo\": \"Dimissioni comunicate a settembre\"}, 0, 0]",
    );
    let out = dir.path().join("sito");
    build_with(&content, &out, &["--solo", "html"]);
    let prospetto = visible_text(&fs::read_to_string(out.join("sito/modifiche.html")).unwrap());
    let cause = prospetto
        .find("Dimissioni comunicate a settembre")
        .expect("the revision is listed");
    let after = &prospetto[cause..];
    for moved in [
        "Conseguenza: Tabella «Cessazioni dal servizio 2023-2026 e capacità assunzionali 2024-2027», riga «ISTRUTTORI», colonna «Cessazioni 2025»",
        "Conseguenza: Tabella «Cessazioni dal servizio 2023-2026 e capacità assunzionali 2024-2027», riga «ISTRUTTORI», colonna «Capacità assunzionali 2026»",
        "Conseguenza: Tabella «Cessazioni dal servizio 2023-2026 e capacità assunzionali 2024-2027», riga «TOTALE», colonna «Capacità assunzionali 2026»",
    ] {
        assert!(after.contains(moved), "«{moved}» under its cause:\n{after}");
    }
    // 30.792,97 for one istruttore's cessazione in 2025, twice that with two.
    assert!(
        after.contains("valore precedente: 30.792,97 valore aggiornato: 61.585,94"),
        "{after}"
    );
}

#[test]
fn a_revised_weight_moves_the_total_of_its_weight_table_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&planner_content(), &content);
    let scheda = fs::read_dir(content.join("obiettivi/operativi"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            fs::read_to_string(p)
                .unwrap()
                .contains("\"codice\": \"OO 3.1.1\"")
        })
        .unwrap();
    edit(
        &scheda,
        "  \"peso\": 20,",
        "  \"peso\": {\"vecchio\": 20, \"nuovo\": 25, \"motivo\": \"Prova di un peso\"},",
    );
    let out = dir.path().join("sito");
    build_with(&content, &out, &["--solo", "html"]);
    let prospetto = visible_text(&fs::read_to_string(out.join("sito/modifiche.html")).unwrap());
    let after = &prospetto[prospetto.find("Prova di un peso").expect("listed")..];
    assert!(
        after.starts_with("Prova di un peso Conseguenza: tabella «Obiettivi operativi 2025 con il loro peso nell'obiettivo strategico», riga «Totale OS 3.1», colonna «Peso» valore precedente: 100 valore aggiornato: 105"),
        "{after}"
    );
}

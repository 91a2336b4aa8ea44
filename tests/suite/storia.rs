//! A value's revision history: a table cell names the act that approved its revision
//! (`atto`), and a value revised again by a later act lists its revisions in `revisioni`,
//! oldest first. The marked-up edition shows the current update against the value the
//! previous act approved; the Prospetto keeps the earlier revision as it was, with its act.

use crate::common::{build_with, edit, fixture, pdf_text, refused, visible_text};
use std::fs;

const LIQUIDITY: &str = "{ \"vecchio\": 100, \"nuovo\": 200.25, \"motivo\": \"Aggiornamento\" }";

#[test]
fn a_table_cell_names_the_act_of_its_revision() {
    let (dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        LIQUIDITY,
        "{ \"vecchio\": 100, \"nuovo\": 200.25, \"motivo\": \"Aggiornamento\", \"atto\": \"Delibera di Giunta n. 90 del 15.12.2025\" }",
    );
    let out = dir.path().join("sito");
    build_with(&content, &out, &["--solo", "html"]);
    let prospetto = visible_text(&fs::read_to_string(out.join("sito/modifiche.html")).unwrap());
    assert!(
        prospetto.contains("riga «Liquidità», colonna «Importo» valore precedente: 100,00 valore aggiornato: 200,25 Aggiornamento Atto: Delibera di Giunta n. 90 del 15.12.2025"),
        "{prospetto}"
    );
}

#[test]
fn a_second_revision_keeps_the_first_ones_history() {
    let (dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        LIQUIDITY,
        r#"{ "revisioni": [
            { "vecchio": 100, "nuovo": 150, "motivo": "Monitoraggio di giugno", "atto": "Delibera n. 50 del 30.06.2025" },
            { "vecchio": 150, "nuovo": 200.25, "motivo": "Monitoraggio di dicembre", "atto": "Delibera n. 90 del 15.12.2025" }
        ] }"#,
    );
    let out = dir.path().join("sito");
    build_with(&content, &out, &[]);
    // The page: the current update against the value the previous act approved.
    let page = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(
        page.contains(">150,00</del>") && page.contains(">200,25</ins>"),
        "{page}"
    );
    assert!(!page.contains(">100,00</del>"), "{page}");
    // The Prospetto: the current revision with its act, the earlier one as it was approved.
    let prospetto = visible_text(&fs::read_to_string(out.join("sito/modifiche.html")).unwrap());
    assert!(
        prospetto.contains("valore precedente: 150,00 valore aggiornato: 200,25 Monitoraggio di dicembre Atto: Delibera n. 90 del 15.12.2025 Modifiche precedenti del valore: 100,00 → 150,00 (Monitoraggio di giugno), atto: Delibera n. 50 del 30.06.2025."),
        "{prospetto}"
    );
    // The total moves from the previously approved 1.384,50, not from the original 1.334,50.
    assert!(prospetto.contains("1.384,50"), "{prospetto}");
    let pdf = pdf_text(&out.join("sito/prova.pdf"));
    assert!(
        pdf.contains("Modifiche precedenti del valore:")
            && pdf.contains("Delibera n. 50 del 30.06.2025"),
        "{pdf}"
    );
}

#[test]
fn a_history_that_rewrites_or_omits_an_act_is_refused() {
    for (entries, words) in [
        (
            r#"{ "revisioni": [
            { "vecchio": 100, "nuovo": 150, "motivo": "Giugno", "atto": "Delibera n. 50" },
            { "vecchio": 100, "nuovo": 200.25, "motivo": "Dicembre" }
        ] }"#,
            "la modifica n. 2 parte da un valore («vecchio») diverso da quello in cui la n. 1 lo ha cambiato",
        ),
        (
            r#"{ "revisioni": [
            { "vecchio": 100, "nuovo": 150, "motivo": "Giugno" },
            { "vecchio": 150, "nuovo": 200.25, "motivo": "Dicembre" }
        ] }"#,
            "la modifica n. 1 non indica il suo «atto»",
        ),
        (
            r#"{ "revisioni": [ { "vecchio": 100, "nuovo": 150, "motivo": "Giugno" } ], "nuovo": 3 }"#,
            "«revisioni» sta da solo",
        ),
    ] {
        let (_dir, content) = fixture("minimo");
        let table = content.join("01-conti/attivo.json");
        edit(&table, LIQUIDITY, entries);
        // serde reads the list before it can judge it: the error is at the revision's closing
        // brace (or at the key that follows the list).
        let text = fs::read_to_string(&table).unwrap();
        let end = match words {
            "«revisioni» sta da solo" => text.find("\"nuovo\": 3").unwrap() + "\"nuovo\"".len(),
            _ => text.find("\n        ] }").unwrap() + "\n        ] }".len(),
        };
        let line = text[..end].lines().count();
        let column = text[..end].lines().last().unwrap().chars().count();
        refused(
            &content,
            &format!("{}:{line}:{column}", table.display()),
            words,
        );
    }
}

#[test]
fn a_table_cell_says_when_its_revision_is_inferred() {
    let (dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        LIQUIDITY,
        "{ \"vecchio\": 100, \"nuovo\": 200.25, \"motivo\": \"Aggiornamento\", \"dedotta\": \"due valori affiancati, nessuno barrato\" }",
    );
    let out = dir.path().join("sito");
    build_with(&content, &out, &["--solo", "html"]);
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("revisione/verifica.json")).unwrap())
            .unwrap();
    let inferred = report["modifiche_dedotte"].as_array().unwrap();
    assert_eq!(inferred.len(), 1, "{inferred:?}");
    assert_eq!(inferred[0]["file"], "01-conti/attivo.json");
    assert_eq!(inferred[0]["riga"], 10);
    assert!(
        inferred[0]
            .to_string()
            .contains("due valori affiancati, nessuno barrato"),
        "{inferred:?}"
    );
}

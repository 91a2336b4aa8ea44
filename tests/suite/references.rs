//! Each figure typed once (issue 13): a column or a cell of a table reads another table's cell
//! (`tabella.{riga}.colonna`) or a quantity, so a planner changes a figure in one place and
//! every table, total and quantity follows; checks compare two tables row by row. A
//! reference that cannot be computed is an error at its place, the previous output intact.

use crate::common::{build_into, fixture, place, refused, site_text};
use std::fs;
use std::path::{Path, PathBuf};

/// The `minimo` fixture with two more tables: unit costs per category, typed once, and a plan
/// whose unit-cost column reads them by row, whose cost is a formula over that column, and
/// whose one cell reads a quantity.
fn plan() -> (tempfile::TempDir, PathBuf) {
    let (dir, content) = fixture("minimo");
    let section = content.join("01-conti");
    fs::write(
        section.join("costi.json"),
        r#"{
  "titolo": "Costi unitari",
  "colonne": [
    { "id": "area", "titolo": "Area", "tipo": "testo" },
    { "id": "costo", "titolo": "Costo unitario", "tipo": "numero", "decimali": 2, "nei_totali": "no" }
  ],
  "righe": [
    { "id": "funzionari", "valori": ["Funzionari", 33411.93] },
    { "id": "istruttori", "valori": ["Istruttori", 30792.97] }
  ]
}
"#,
    )
    .unwrap();
    fs::write(
        section.join("piano.json"),
        r#"{
  "titolo": "Piano delle assunzioni",
  "colonne": [
    { "id": "area", "titolo": "Area", "tipo": "testo" },
    { "id": "unita", "titolo": "Unità", "tipo": "numero" },
    { "id": "costo", "titolo": "Costo unitario", "tipo": "numero", "decimali": 2, "nei_totali": "no",
      "calcolo": "costi.{riga}.costo" },
    { "id": "spesa", "titolo": "Spesa", "tipo": "numero", "decimali": 2, "calcolo": "unita * costo" }
  ],
  "righe": [
    { "id": "funzionari", "valori": ["Funzionari", 1] },
    { "id": "istruttori", "valori": ["Istruttori", { "calcolo": "dipendenti / 20" }] },
    { "id": "totale", "totale": "TOTALE" }
  ]
}
"#,
    )
    .unwrap();
    let page = section.join("01-bilancio.md");
    let mut text = fs::read_to_string(&page).unwrap();
    text.push_str("\n{{ tabella(id=\"costi\") }}\n\n{{ tabella(id=\"piano\") }}\n");
    fs::write(&page, text).unwrap();
    (dir, content)
}

/// Replaces `from` with `to` in `file` of the content, which must contain it.
fn change(content: &Path, file: &str, from: &str, to: &str) {
    crate::common::edit(&content.join(file), from, to);
}

/// The visible text of the `piano` table (its caption to its end) in a built site.
fn plan_table(out: &Path) -> String {
    let text = site_text(out);
    let start = text
        .find("Piano delle assunzioni")
        .expect("the plan table is published");
    text[start..].to_string()
}

#[test]
fn a_figure_typed_once_reaches_every_table_that_reads_it() {
    let (dir, content) = plan();
    let out = build_into(&content, &dir.path().join("output"));
    let table = plan_table(&out);
    // The unit costs are read row by row, the cell formula reads the quantity (40 / 20 = 2),
    // and the total sums the computed cells: 33.411,93 + 2 × 30.792,97 = 94.997,87.
    for figure in ["33.411,93", "30.792,97", "61.585,94", "94.997,87"] {
        assert!(table.contains(figure), "«{figure}» in the plan:\n{table}");
    }
    assert!(
        !fs::read_to_string(content.join("01-conti/piano.json"))
            .unwrap()
            .contains("30792.97"),
        "the plan does not type the unit cost again"
    );

    // The planner changes the unit cost where it is typed, and the quantity the cell reads.
    change(&content, "01-conti/costi.json", "30792.97", "31000.5");
    change(
        &content,
        "01-conti/calcoli.json",
        "\"valore\": 40",
        "\"valore\": 60",
    );
    let out = build_into(&content, &dir.path().join("output"));
    let table = plan_table(&out);
    // 3 istruttori (60 / 20) at 31.000,50 = 93.001,50; total 126.413,43.
    for figure in ["31.000,50", "93.001,50", "126.413,43"] {
        assert!(table.contains(figure), "«{figure}» in the plan:\n{table}");
    }
    assert!(
        !table.contains("30.792,97"),
        "the old cost is gone:\n{table}"
    );
}

#[test]
fn a_row_by_row_check_names_the_row_that_disagrees() {
    let (_dir, content) = plan();
    let calcs = content.join("01-conti/calcoli.json");
    let text = fs::read_to_string(&calcs).unwrap().replace(
        "\"verifiche\": [",
        "\"verifiche\": [\n    { \"descrizione\": \"Ogni area costa almeno 31.000 euro\", \"condizione\": \"costi.{riga}.costo >= 31000\" },",
    );
    fs::write(&calcs, text).unwrap();
    let at = place(
        &content,
        "01-conti/calcoli.json",
        "\"costi.{riga}.costo >= 31000",
    );
    let error = refused(&content, &at, "(riga «Istruttori»)");
    assert!(
        error.contains(
            "«costi.istruttori.costo >= 31000» non è rispettata (30.792,97 contro 31.000)"
        ),
        "the condition is shown for the row, with its values: {error}"
    );
    // Funzionari cost 33.411,93: that row passes and is not named.
    assert!(!error.contains("Funzionari"), "{error}");
}

#[test]
fn references_that_cannot_be_computed_are_errors_at_their_place() {
    // (file, text to replace, replacement, needle whose position the error names, words)
    let cases: &[(&str, &str, &str, &str, &str)] = &[
        (
            "01-conti/piano.json",
            "costi.{riga}.costo",
            "cost.{riga}.costo",
            "cost.{riga}",
            "tabella «cost» inesistente (nel calcolo della riga «funzionari»)",
        ),
        (
            "01-conti/piano.json",
            "{ \"id\": \"istruttori\", \"valori\"",
            "{ \"id\": \"operatori\", \"valori\"",
            "costi.{riga}",
            "riga «operatori» inesistente nella tabella «costi»",
        ),
        (
            "01-conti/piano.json",
            "costi.{riga}.costo",
            "piano.{riga}.unita",
            "piano.{riga}",
            "legge la tabella stessa",
        ),
        (
            "01-conti/calcoli.json",
            "attivo.totale.importo / dipendenti",
            "attivo.{riga}.importo / dipendenti",
            "attivo.{riga}",
            "vale solo dove c'è una riga",
        ),
        (
            "01-conti/piano.json",
            "\"dipendenti / 20\"",
            "\"dipendent / 20\"",
            "dipendent /",
            "«dipendent» non è una colonna della tabella né una grandezza",
        ),
        (
            "01-conti/piano.json",
            "{ \"calcolo\": \"dipendenti / 20\" }",
            "{ \"vecchio\": 1, \"nuovo\": { \"calcolo\": \"2\" }, \"motivo\": \"m\" }",
            "{ \"calcolo\": \"2\" }",
            "una revisione non può contenere un calcolo",
        ),
        (
            "01-conti/piano.json",
            "[\"Funzionari\", 1]",
            "[{ \"calcolo\": \"1\" }, 1]",
            "\"1\" }, 1]",
            "la colonna «area» è di testo",
        ),
    ];
    for (file, from, to, needle, words) in cases {
        let (_dir, content) = plan();
        change(&content, file, from, to);
        let at = place(&content, file, needle);
        refused(&content, &at, words);
    }
}

#[test]
fn a_row_by_row_check_refuses_a_row_missing_in_the_other_table() {
    let (_dir, content) = plan();
    let calcs = content.join("01-conti/calcoli.json");
    let text = fs::read_to_string(&calcs).unwrap().replace(
        "\"verifiche\": [",
        "\"verifiche\": [\n    { \"descrizione\": \"Stesse aree\", \"condizione\": \"piano.{riga}.costo == attivo.{riga}.importo\" },",
    );
    fs::write(&calcs, text).unwrap();
    let at = place(&content, "01-conti/calcoli.json", "\"piano.{riga}.costo ==");
    refused(
        &content,
        &at,
        "la riga «funzionari» della tabella «piano» manca nella tabella «attivo»",
    );
}

#[test]
fn tables_that_read_each_other_are_an_error_at_the_reference_closing_the_circle() {
    let (_dir, content) = plan();
    change(
        &content,
        "01-conti/costi.json",
        "[\"Istruttori\", 30792.97]",
        "[\"Istruttori\", { \"calcolo\": \"piano.istruttori.spesa\" }]",
    );
    // Tables are visited in the order of their ids: `costi` reads `piano`, whose column
    // formula reads `costi` back, and that reference closes the circle.
    let at = place(&content, "01-conti/piano.json", "\"costi.{riga}.costo\"");
    refused(
        &content,
        &at,
        "riferimento circolare tra tabelle: costi → piano → costi",
    );
}

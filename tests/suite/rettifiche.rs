//! The policy for a figure the approved text prints differently from how piao computes it
//! (`dichiarato`): a *rettifica* publishes the computed figure with the printed one struck, a
//! reason piao writes and a group of its own in the Prospetto; `accettato` keeps the printed
//! figure, with the reason, and leaves the difference to the reviewers' report; a difference
//! with no decision is a warning, an error under `--strict`; a decision that is no longer
//! needed is a warning too. The real `content/` decides every difference it has.

use crate::common::{
    build_with, edit, fixture, pdf_text, piao, place, planner_content, refused, visible_text,
};
use std::fs;
use std::path::Path;

const TOTAL: &str = "\"dichiarato\": { \"importo\": 1434.75 }";
const QUANTITY: &str = "\"dichiarato\": 35.87";

fn check(content: &Path, strict: bool) -> (bool, String) {
    let c = content.to_str().unwrap();
    let args: &[&str] = if strict {
        &["check", "--strict", "--content", c]
    } else {
        &["check", "--content", c]
    };
    let run = piao(args);
    (
        run.status.success(),
        String::from_utf8_lossy(&run.stderr).to_string(),
    )
}

fn page(out: &Path) -> String {
    fs::read_to_string(out.join("sito/conti/index.html")).unwrap()
}

#[test]
fn an_undecided_difference_is_a_warning_and_stops_strict_mode() {
    let (_dir, content) = fixture("minimo");
    let table = content.join("01-conti/attivo.json");
    edit(&table, TOTAL, "\"dichiarato\": { \"importo\": 1443.75 }");
    let at = place(&content, "01-conti/attivo.json", "1443.75");
    let (ok, stderr) = check(&content, false);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains(&format!("avviso: {at}: Attivo: «TOTALE», colonna «Importo»: il documento riporta 1.443,75, il valore calcolato è 1.434,75; manca la decisione")),
        "{stderr}"
    );
    let (ok, stderr) = check(&content, true);
    assert!(!ok, "{stderr}");
    assert!(stderr.contains(&format!("errore: {at}: ")), "{stderr}");
}

#[test]
fn a_rettifica_is_struck_and_marked_in_the_site_the_pdf_and_the_prospetto() {
    let (dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        TOTAL,
        "\"dichiarato\": { \"importo\": {\"valore\": 1443.75, \"decisione\": \"rettifica\"} }",
    );
    edit(
        &content.join("01-conti/calcoli.json"),
        QUANTITY,
        "\"dichiarato\": {\"valore\": 35.78, \"decisione\": \"rettifica\", \"motivo\": \"1.434,75 euro su 40 dipendenti\"}",
    );
    let (ok, stderr) = check(&content, true);
    assert!(ok, "a decided difference passes --strict:\n{stderr}");
    assert!(
        stderr.contains("si pubblica il valore calcolato come rettifica"),
        "{stderr}"
    );

    let out = dir.path().join("sito");
    build_with(&content, &out, &[]);
    let html = page(&out);
    // The table cell: printed struck, computed marked, the automatic reason in its note.
    assert!(
        html.contains(">1.443,75</del>") && html.contains(">1.434,75</ins>"),
        "{html}"
    );
    assert!(
        html.contains("Rettifica: ricalcolato come somma delle voci"),
        "{html}"
    );
    // The prose: the planner's reason.
    let text = visible_text(&html);
    assert!(text.contains("€ 35,78"), "{text}");
    assert!(
        text.contains("Rettifica: 1.434,75 euro su 40 dipendenti"),
        "{text}"
    );
    let prospetto = visible_text(&fs::read_to_string(out.join("sito/modifiche.html")).unwrap());
    let group = prospetto
        .split("Rettifiche: figure ricalcolate rispetto al testo approvato")
        .nth(2)
        .unwrap_or_else(|| {
            panic!("the rettifiche have a group (and its index entry):\n{prospetto}")
        });
    assert!(
        group.contains("riga «TOTALE», colonna «Importo»"),
        "{group}"
    );
    assert!(
        group.contains("1.443,75") && group.contains("1.434,75"),
        "{group}"
    );
    assert!(group.contains("€ 35,78"), "{group}");
    let update = prospetto.split("Rettifiche: figure").nth(1).unwrap();
    assert!(
        !update.contains("Rettifica:"),
        "the update's own changes come first, without the rettifiche:\n{update}"
    );

    let pdf = pdf_text(&out.join("sito/prova.pdf"));
    assert!(pdf.contains("Rettifiche: figure ricalcolate"), "{pdf}");
    assert!(
        pdf.contains("1.443,75") && pdf.contains("Rettifica: ricalcolato come somma delle voci")
    );

    // The consolidated edition prints the computed figure alone.
    let cons = dir.path().join("consolidato");
    build_with(&content, &cons, &["--edizione", "consolidata"]);
    let html = page(&cons);
    assert!(
        !html.contains("1.443,75") && !html.contains("35,78"),
        "{html}"
    );
    assert!(html.contains("1.434,75"), "{html}");
}

#[test]
fn an_accepted_difference_keeps_the_approved_figure_and_reaches_only_the_report() {
    let (dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/attivo.json"),
        TOTAL,
        "\"dichiarato\": { \"importo\": {\"valore\": 1443.75, \"decisione\": \"accettato\", \"motivo\": \"Come da bilancio approvato.\"} }",
    );
    let (ok, stderr) = check(&content, true);
    assert!(ok, "{stderr}");
    let out = dir.path().join("sito");
    build_with(&content, &out, &[]);
    let html = page(&out);
    let table = html.split("</table>").next().unwrap();
    assert!(table.contains("1.443,75"), "{table}");
    assert!(!table.contains("1.434,75"), "{table}");
    assert!(!html.contains("Rettifica"), "{html}");
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("revisione/verifica.json")).unwrap())
            .unwrap();
    let entry = report["voci"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["esito"] == "disaccordo")
        .expect("the difference is in the report");
    assert_eq!(entry["gravita"], "accettata");
    assert_eq!(entry["dichiarato"], "1.443,75");
    assert!(
        entry["accettata"]
            .as_str()
            .unwrap()
            .contains("Come da bilancio approvato."),
        "{entry}"
    );
}

#[test]
fn a_decision_without_a_difference_is_a_warning() {
    let (_dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/calcoli.json"),
        QUANTITY,
        "\"dichiarato\": {\"valore\": 35.87, \"decisione\": \"rettifica\"}",
    );
    let (ok, stderr) = check(&content, false);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("la decisione «rettifica» non serve più"),
        "{stderr}"
    );
    assert!(!check(&content, true).0);
}

#[test]
fn an_incomplete_decision_is_refused_where_it_is_written() {
    let (_dir, content) = fixture("minimo");
    let calcs = content.join("01-conti/calcoli.json");
    edit(
        &calcs,
        QUANTITY,
        "\"dichiarato\": {\"valore\": 35.90, \"decisione\": \"accettato\"}",
    );
    let text = fs::read_to_string(&calcs).unwrap();
    // serde reads the whole object before it can tell the reason is missing: the error is
    // at its closing brace, on the line of the figure.
    let end = text.find("\"accettato\"}").unwrap() + "\"accettato\"}".len();
    let line = text[..end].lines().count();
    let column = text[..end].lines().last().unwrap().chars().count();
    let at = format!("{}:{line}:{column}", calcs.display());
    refused(
        &content,
        &at,
        "la decisione «accettato» richiede il «motivo»",
    );
}

#[test]
fn the_planners_content_decides_every_difference() {
    let content = planner_content();
    let (ok, stderr) = check(&content, true);
    assert!(
        ok,
        "content/ leaves a difference undecided (or a check fails) under --strict:\n{stderr}"
    );
}

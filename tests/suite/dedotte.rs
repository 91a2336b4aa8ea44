//! Inferred revisions (issue 14, defect 9): a revision the published act shows only through an
//! indirect sign says so in the content (`dedotta`), the reviewers' report lists it with that
//! sign and its place, and the OS 1.3 / OS 1.4 footnote is read as OS 1.4's.

use crate::common::{
    build_with, edit, fixture, pdf_text, planner_content, position_of, refused, visible_text,
};
use piao::compute::model::{CheckKind, CheckResult};
use std::fs;

const SIGN: &str = "due valori affiancati nel testo pubblicato, nessuno barrato";

#[test]
fn an_unknown_key_of_a_revision_is_refused_where_it_is_written() {
    let (_dir, content) = fixture("cascata");
    let file = "obiettivi/operativi/oo-1.2.2.json";
    edit(
        &content.join(file),
        "\"motivo\": \"Peso ridistribuito\" }",
        "\"motivo\": \"Peso ridistribuito\", \"dedotto\": \"grassetto\" }",
    );
    // serde_json places the error at the closing quote of the key.
    let (line, column) = position_of(&content.join(file), "\"dedotto\"");
    let at = format!("{}:{line}:{}", content.join(file).display(), column + 8);
    let error = refused(&content, &at, "campo sconosciuto `dedotto`; campi ammessi:");
    assert!(
        error.contains("`dedotta`"),
        "the new key is listed: {error}"
    );
}

#[test]
fn the_report_lists_each_inferred_revision_with_its_sign_and_place() {
    let (dir, content) = fixture("cascata");
    // A value revision (a weight), a target by year (read by its own visitor) and a whole
    // objective: the three places a revision can say it is inferred.
    let weight = "obiettivi/operativi/oo-1.2.2.json";
    edit(
        &content.join(weight),
        "\"motivo\": \"Peso ridistribuito\" }",
        &format!("\"motivo\": \"Peso ridistribuito\", \"dedotta\": \"{SIGN}\" }}"),
    );
    let target = "obiettivi/strategici/os-1.1.json";
    edit(
        &content.join(target),
        "\"motivo\": \"Target innalzato dopo il monitoraggio\" }",
        "\"motivo\": \"Target innalzato dopo il monitoraggio\", \"dedotta\": \"valore in grassetto\" }",
    );
    let whole = "obiettivi/operativi/oo-1.2.1-ptfp.json";
    edit(
        &content.join(whole),
        "\"motivo\": \"Obiettivo inserito in sostituzione\" }",
        "\"motivo\": \"Obiettivo inserito in sostituzione\", \"dedotta\": \"somma dei pesi\" }",
    );
    let out = dir.path().join("output");
    build_with(&content, &out, &["--solo", "html"]);

    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("revisione/verifica.json")).unwrap())
            .unwrap();
    let inferred = report["modifiche_dedotte"].as_array().unwrap();
    let listed: Vec<(&str, &str, &str, &str)> = inferred
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap(),
                d["vecchio"].as_str().unwrap(),
                d["nuovo"].as_str().unwrap(),
                d["dedotta"].as_str().unwrap(),
            )
        })
        .collect();
    // Only the three marked, in document order (files by path); the fixture's other
    // revisions are explicit and not listed.
    assert_eq!(
        listed,
        [
            (whole, "", listed[0].2, "somma dei pesi"),
            (weight, "30", "40", SIGN),
            (target, ">=450", ">=525", "valore in grassetto"),
        ],
        "{report:#}"
    );
    assert!(listed[0].2.starts_with("OO 1.2.1"), "{report:#}");
    let entry = &inferred[1];
    assert_eq!(entry["motivo"], "Peso ridistribuito");
    assert!(
        entry["campo"].as_str().unwrap().contains("Peso"),
        "{entry:#}"
    );
    let (line, column) = position_of(&content.join(weight), "{ \"vecchio\": 30");
    assert_eq!(
        (entry["riga"].as_u64(), entry["colonna"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );

    let html = visible_text(&fs::read_to_string(out.join("revisione/verifica.html")).unwrap());
    assert!(html.contains("Modifiche dedotte da confermare"), "{html}");
    assert!(html.contains("Modifiche dedotte (3)"), "{html}");
    assert!(
        html.contains(&format!("30 40 {SIGN} {weight}:{line}:{column}")),
        "{html}"
    );
}

#[test]
fn without_inferred_revisions_the_report_says_there_are_none() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("output");
    build_with(&content, &out, &["--solo", "html"]);
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("revisione/verifica.json")).unwrap())
            .unwrap();
    assert_eq!(report["modifiche_dedotte"], serde_json::json!([]));
    let html = visible_text(&fs::read_to_string(out.join("revisione/verifica.html")).unwrap());
    assert!(
        html.contains(
            "Modifiche dedotte da confermare Nessuna modifica di questa edizione è dedotta"
        ),
        "{html}"
    );
}

#[test]
fn os_1_3_and_os_1_4_indicators_weigh_100_in_the_planner_content() {
    let book = piao::content::load(&planner_content()).unwrap();
    let computed = piao::compute::compute(&book).unwrap();
    for code in ["OS 1.3", "OS 1.4"] {
        let description = format!("I pesi degli indicatori in vigore di {code} sommano a 100");
        let check = computed
            .checks
            .iter()
            .find(|c| c.kind == CheckKind::Weights && c.description == description)
            .unwrap_or_else(|| panic!("no weights check for {code}"));
        assert!(
            matches!(check.result, CheckResult::Passed),
            "{code}: {:?}",
            check.result
        );
    }
    // The footnote «il Kpi viene eliminato» is OS 1.4's: its struck indicator carries the
    // reason, marked as inferred from the footnote's position; OS 1.3 keeps both indicators.
    let os_1_4 =
        fs::read_to_string(planner_content().join("obiettivi/strategici/os-1.4.json")).unwrap();
    let os_1_4: serde_json::Value = serde_json::from_str(&os_1_4).unwrap();
    let removed = &os_1_4["indicatori"][1]["revisione"];
    assert_eq!(removed["tipo"], "eliminato");
    assert!(
        removed["motivo"]
            .as_str()
            .unwrap()
            .starts_with("il Kpi viene eliminato"),
        "{removed:#}"
    );
    assert!(
        removed["dedotta"].as_str().unwrap().contains("nota"),
        "{removed:#}"
    );
    let os_1_3 =
        fs::read_to_string(planner_content().join("obiettivi/strategici/os-1.3.json")).unwrap();
    assert!(!os_1_3.contains("\"revisione\""), "{os_1_3}");
}

#[test]
fn a_revision_of_the_prose_says_it_is_inferred_in_the_report_only() {
    let (dir, content) = fixture("minimo");
    edit(
        &content.join("01-conti/01-bilancio.md"),
        "{~~7~>6~~}{>>Aggiornamento<<}",
        "{~~7~>6~~}{>>Aggiornamento<<}{>>dedotta: solo il grassetto nel testo pubblicato<<}",
    );
    let out = dir.path().join("sito");
    build_with(&content, &out, &[]);
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("revisione/verifica.json")).unwrap())
            .unwrap();
    let inferred = report["modifiche_dedotte"].as_array().unwrap();
    assert_eq!(inferred.len(), 1, "{inferred:?}");
    assert_eq!(inferred[0]["file"], "01-conti/01-bilancio.md");
    assert_eq!(
        inferred[0]["dedotta"],
        "solo il grassetto nel testo pubblicato"
    );
    let page = fs::read_to_string(out.join("sito/conti/index.html")).unwrap();
    assert!(!page.contains("grassetto"), "the sign is never published");
    assert!(!pdf_text(&out.join("sito/prova.pdf")).contains("grassetto"));
}

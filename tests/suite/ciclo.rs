//! The plan's life cycle on the published content: approve the 2025-2027 update (its sources
//! consolidated, a snapshot kept), edit two values and a sentence as a planner would, and find
//! exactly those changes, with the figures they change, marked in the site, the PDF and the
//! Prospetto, listed by `piao differenze` with their reasons; then start 2026-2028 and build it.

use crate::common::{build_with, copy_tree, edit, pdf_text, piao, published, run_build_with, site};
use std::fs;
use std::path::Path;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = piao(args);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn differences(content: &Path) -> serde_json::Value {
    let (ok, stdout, stderr) = run(&[
        "differenze",
        "--content",
        content.to_str().unwrap(),
        "--json",
    ]);
    assert!(ok, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// Every change of the listing (consequences apart), as (where, old, new, reason).
fn changes(listing: &serde_json::Value) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for part in listing["parti"].as_array().unwrap() {
        for object in part["voci"].as_array().unwrap() {
            for m in object["modifiche"].as_array().unwrap() {
                let s = |k: &str| m[k].as_str().unwrap_or_default().to_string();
                out.push((s("dove"), s("vecchio"), s("nuovo"), s("motivo")));
            }
        }
    }
    out
}

#[test]
fn approve_update_and_start_the_next_plan() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&published(), &content);
    let c = content.to_str().unwrap();

    // 1. Approve: the sources become the text in force, and the snapshot is kept.
    let act = "Delibera di Giunta n. 99 del 15.12.2025";
    let (ok, _, stderr) = run(&[
        "approva",
        "--content",
        c,
        "--atto",
        act,
        "--data",
        "2025-12-15",
    ]);
    assert!(ok, "{stderr}");
    let snapshot = content.join("approvato/2025-12-15");
    assert!(snapshot.join("approvazione.json").is_file());
    let listing = differences(&content);
    assert_eq!(
        listing["modifiche"], 0,
        "nothing changed since the approval"
    );
    assert_eq!(listing["approvata"]["atto"], act);

    // 2. Edit two values and a sentence, with the reasons of two of them.
    let org = content.join("03-organizzazione");
    edit(
        &org.join("risorse_formazione_2025.json"),
        "46000.00",
        "48000.00",
    );
    edit(
        &content.join("obiettivi/strategici/os-1.1.json"),
        "\"2026\": \">=450\"",
        "\"2026\": \">=500\"",
    );
    edit(
        &org.join("03-fabbisogni-di-personale.md"),
        "rappresenta il presupposto giuridico e organizzativo",
        "costituisce il presupposto giuridico",
    );
    fs::write(
        content.join("motivi.json"),
        r#"{
  "risorse_formazione_2025": "Variazione di bilancio di ottobre 2025",
  "OS 1.1/indicatore 1/target 2026": "Target rivisto dopo il monitoraggio al 30.09.2025"
}"#,
    )
    .unwrap();

    // 3. Exactly those changes, with the total they change.
    let listing = differences(&content);
    let found = changes(&listing);
    assert_eq!(found.len(), 4, "{found:#?}");
    let has = |old: &str, new: &str, reason: &str| {
        found
            .iter()
            .any(|(_, o, n, r)| o == old && n == new && r.contains(reason))
    };
    assert!(
        has("46.000,00", "48.000,00", "Variazione di bilancio"),
        "{found:#?}"
    );
    assert!(
        has(">=450", ">=500", "monitoraggio al 30.09.2025"),
        "{found:#?}"
    );
    assert!(has("rappresenta", "costituisce", ""), "{found:#?}");
    assert!(has("e organizzativo", "—", ""), "{found:#?}");
    assert_eq!(
        listing["conseguenze"], 1,
        "the table's total: 54.000,00 → 56.000,00"
    );
    let unexplained = listing["senza_motivo"].as_array().unwrap();
    assert_eq!(unexplained.len(), 1, "{unexplained:#?}");
    assert!(
        unexplained[0]["manca"]
            .as_str()
            .unwrap()
            .contains("03-organizzazione/03-fabbisogni-di-personale.md")
    );

    // 4. Marked in the site, the Prospetto and the PDF; a warning for the missing reason.
    let out = dir.path().join("output");
    let run1 = run_build_with(&content, &out, &[]);
    let stderr = String::from_utf8_lossy(&run1.stderr);
    assert!(run1.status.success(), "{stderr}");
    assert!(stderr.contains("manca il motivo"), "{stderr}");
    let page = |p: &str| fs::read_to_string(site(&out).join(p)).unwrap();
    let formazione = page("organizzazione/formazione.html");
    assert!(formazione.contains("46.000,00</del>"), "old value struck");
    assert!(formazione.contains("48.000,00</ins>"), "new value marked");
    assert!(
        formazione.contains("56.000,00</ins>"),
        "the total, a consequence"
    );
    let fabbisogni = page("organizzazione/fabbisogni-di-personale.html");
    assert!(fabbisogni.contains("rappresenta</del>"));
    assert!(fabbisogni.contains("costituisce</ins>"));
    assert!(
        fabbisogni.contains("costituisce</ins> il presupposto giuridico"),
        "only the changed words are marked, the sentence is not struck whole"
    );
    let prospetto = page("modifiche.html");
    assert!(prospetto.contains("Variazione di bilancio di ottobre 2025"));
    assert!(prospetto.contains("&gt;=500") || prospetto.contains(">=500"));
    let pdf = pdf_text(&site(&out).join("piao-2025-2027.pdf"));
    assert!(
        pdf.contains("prima: 46.000,00 dopo: 48.000,00"),
        "PDF marks the cell"
    );
    assert!(
        pdf.contains("prima: rappresenta dopo: costituisce"),
        "PDF marks the words"
    );

    // 5. --strict refuses the change without a reason, naming its key; the reason fixes it.
    let (ok, _, stderr) = run(&["check", "--strict", "--content", c]);
    assert!(!ok);
    assert!(
        stderr.contains("\"03-organizzazione/03-fabbisogni-di-personale.md\""),
        "{stderr}"
    );
    fs::write(
        content.join("motivi.json"),
        r#"{
  "risorse_formazione_2025": "Variazione di bilancio di ottobre 2025",
  "OS 1.1/indicatore 1/target 2026": "Target rivisto dopo il monitoraggio al 30.09.2025",
  "03-organizzazione/03-fabbisogni-di-personale.md": "Testo semplificato"
}"#,
    )
    .unwrap();
    let (ok, _, stderr) = run(&["check", "--strict", "--content", c]);
    assert!(ok, "{stderr}");

    // The consolidated edition is the text in force, without marks.
    let plain = dir.path().join("consolidata");
    build_with(&content, &plain, &["--edizione", "consolidata"]);
    let f = fs::read_to_string(site(&plain).join("organizzazione/formazione.html")).unwrap();
    assert!(f.contains("48.000,00") && !f.contains("46.000,00"));

    // 6. Approve the update, then start 2026-2028 from it and build it.
    let (ok, _, stderr) = run(&[
        "approva",
        "--content",
        c,
        "--atto",
        "Delibera n. 120 del 20.12.2025",
        "--data",
        "2025-12-20",
    ]);
    assert!(ok, "{stderr}");
    assert!(
        fs::read_to_string(content.join("motivi.json"))
            .unwrap()
            .trim()
            == "{}"
    );
    let next = dir.path().join("piao-2026-2028");
    let n = next.to_str().unwrap();
    let (ok, stdout, stderr) = run(&[
        "nuova-edizione",
        "--content",
        c,
        "--periodo",
        "2026-2028",
        "--destinazione",
        n,
        "--data",
        "2026-01-31",
    ]);
    assert!(ok, "{stdout}{stderr}");
    let manifest = fs::read_to_string(next.join("documento.json")).unwrap();
    assert!(
        manifest.contains("\"periodo\": \"2026-2028\""),
        "{manifest}"
    );
    let os11 = fs::read_to_string(next.join("obiettivi/strategici/os-1.1.json")).unwrap();
    assert!(
        !os11.contains("\"2025\"") && os11.contains("\"2028\""),
        "{os11}"
    );
    assert!(
        os11.contains("\">=500\""),
        "the approved 2026 target carries over"
    );
    let out2 = dir.path().join("output-2026");
    let run2 = run_build_with(&next, &out2, &[]);
    let stderr = String::from_utf8_lossy(&run2.stderr);
    assert!(run2.status.success(), "{stderr}");
    assert!(
        stderr.contains("2028"),
        "the targets to fill are listed: {stderr}"
    );
    let html = fs::read_to_string(site(&out2).join("index.html")).unwrap();
    assert!(html.contains("2026-2028"));
    assert!(
        !html.contains("rev-vecchio"),
        "a new plan has no revision marks"
    );
}

/// The published content copied and approved.
fn approved_copy(dir: &Path) -> std::path::PathBuf {
    let content = dir.join("content");
    copy_tree(&published(), &content);
    let c = content.to_str().unwrap();
    let (ok, _, stderr) = run(&[
        "approva",
        "--content",
        c,
        "--atto",
        "Delibera n. 1",
        "--data",
        "2025-12-15",
    ]);
    assert!(ok, "{stderr}");
    content
}

#[test]
fn objectives_and_indicators_added_or_removed_are_marked_whole() {
    let dir = tempfile::tempdir().unwrap();
    let content = approved_copy(dir.path());
    let ops = content.join("obiettivi/operativi");
    fs::remove_file(ops.join("oo-1.1.1.json")).unwrap();
    let copy = fs::read_to_string(ops.join("oo-1.1.2.json"))
        .unwrap()
        .replacen("\"OO 1.1.2\"", "\"OO 1.1.9\"", 1)
        .replacen("\"scheda\": 2,", "\"scheda\": 60,", 1);
    fs::write(ops.join("oo-1.1.9.json"), copy).unwrap();
    fs::write(
        content.join("motivi.json"),
        r#"{ "OO 1.1.1": "Obiettivo concluso", "OO 1.1.9": "Nuovo obiettivo", "OS 9.9": "chiave sbagliata" }"#,
    )
    .unwrap();
    let listing = differences(&content);
    let found = changes(&listing);
    assert!(
        found
            .iter()
            .any(|(w, o, n, r)| w.starts_with("Obiettivo operativo")
                && o.starts_with("OO 1.1.1")
                && n == "—"
                && r == "Obiettivo concluso"),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|(w, o, n, r)| w.starts_with("Obiettivo operativo")
                && o == "—"
                && n.starts_with("OO 1.1.9")
                && r == "Nuovo obiettivo"),
        "{found:#?}"
    );
    let out = dir.path().join("output");
    let run1 = run_build_with(&content, &out, &[]);
    let stderr = String::from_utf8_lossy(&run1.stderr);
    assert!(run1.status.success(), "{stderr}");
    assert!(
        stderr.contains("«OS 9.9»"),
        "a reason for no change is a warning: {stderr}"
    );
    let annex = fs::read_to_string(site(&out).join("allegato-1/index.html")).unwrap_or_default()
        + &crate::common::site_text(&out);
    assert!(
        annex.contains("OO 1.1.1"),
        "the removed objective is still shown, struck"
    );
}

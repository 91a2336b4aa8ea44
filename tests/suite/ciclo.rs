//! The plan's life cycle on the planner's content: approve the 2025-2027 update (its sources
//! consolidated, a snapshot kept), edit two values and a sentence as a planner would, and find
//! exactly those changes, with the figures they change, marked in the site, the PDF and the
//! Prospetto, listed by `piao differenze` with their reasons; then start 2026-2028 and build it.
//! (The frozen published copy cannot be approved: it keeps figures printed without a decision,
//! which `piao approva` rightly refuses.) The edits are chosen by structure, not by text, so the
//! planner's own updates do not break the test.

use crate::common::{build_with, copy_tree, pdf_text, piao, planner_content, run_build_with, site};
use rust_decimal::Decimal;
use std::fs;
use std::path::Path;
use std::str::FromStr;

/// Sets the number typed in `row`'s first numeric value of a table file (kept as written
/// elsewhere): returns the old and the new figure.
fn raise_first_figure(path: &Path, by: Decimal) -> (Decimal, Decimal) {
    let text = fs::read_to_string(path).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    for row in value["righe"].as_array_mut().unwrap() {
        let Some(values) = row.get_mut("valori").and_then(|v| v.as_array_mut()) else {
            continue;
        };
        for cell in values.iter_mut() {
            if let Some(n) = cell.as_f64() {
                let old = Decimal::from_str(&n.to_string()).unwrap();
                let new = old + by;
                *cell = serde_json::from_str(&new.normalize().to_string()).unwrap();
                fs::write(path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
                return (old, new);
            }
        }
    }
    panic!("no typed figure in {}", path.display());
}

/// Changes the 2026 target of the first indicator of a strategic objective: old and new.
fn change_a_target(path: &Path) -> (String, String) {
    let text = fs::read_to_string(path).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let target = &mut value["indicatori"][0]["target"]["2026"];
    let old = target.as_str().unwrap().to_string();
    let new = format!("{old} (rivisto)");
    *target = serde_json::json!(new);
    fs::write(path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    (old, new)
}

/// Replaces one plain word of the first long paragraph of a page: the word and its place.
fn change_a_word(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .find(|l| {
            l.len() > 120
                && l.chars().next().is_some_and(char::is_alphabetic)
                && !l.contains(['*', '_', '[', '{', '|', '`'])
        })
        .expect("a long plain paragraph");
    let word = line
        .split(' ')
        .skip(3)
        .find(|w| w.len() >= 7 && w.chars().all(char::is_alphabetic))
        .expect("a long plain word")
        .to_string();
    let edited = line.replacen(&format!(" {word} "), " sostituita ", 1);
    fs::write(path, text.replacen(line, &edited, 1)).unwrap();
    word
}

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
    copy_tree(&planner_content(), &content);
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
    let (old_fig, new_fig) = raise_first_figure(
        &org.join("risorse_formazione_2025.json"),
        Decimal::from(2000),
    );
    let (old_target, new_target) =
        change_a_target(&content.join("obiettivi/strategici/os-1.1.json"));
    let word = change_a_word(&org.join("03-fabbisogni-di-personale.md"));
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
    assert_eq!(found.len(), 3, "{found:#?}");
    let has = |old: &str, new: &str, reason: &str| {
        found
            .iter()
            .any(|(_, o, n, r)| o == old && n == new && r.contains(reason))
    };
    let (old_shown, new_shown) = (
        piao::format::number(old_fig, 2),
        piao::format::number(new_fig, 2),
    );
    assert!(
        has(&old_shown, &new_shown, "Variazione di bilancio"),
        "{found:#?}"
    );
    assert!(
        has(&old_target, &new_target, "monitoraggio al 30.09.2025"),
        "{found:#?}"
    );
    assert!(has(&word, "sostituita", ""), "{found:#?}");
    assert!(
        listing["conseguenze"].as_u64().unwrap() >= 1,
        "the table's total changes"
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
    assert!(
        formazione.contains(&format!("{old_shown}</del>")),
        "old value struck"
    );
    assert!(
        formazione.contains(&format!("{new_shown}</ins>")),
        "new value marked"
    );
    let fabbisogni = page("organizzazione/fabbisogni-di-personale.html");
    assert!(
        fabbisogni.contains(&format!("{word}</del>")),
        "the word struck"
    );
    assert!(
        fabbisogni.contains("sostituita</ins> "),
        "only the changed word is marked, the sentence is not struck whole"
    );
    let prospetto = page("modifiche.html");
    assert!(prospetto.contains("Variazione di bilancio di ottobre 2025"));
    assert!(prospetto.contains("(rivisto)"));
    let pdf = pdf_text(&site(&out).join("piao-2025-2027.pdf"));
    assert!(
        pdf.contains(&format!("prima: {old_shown} dopo: {new_shown}")),
        "PDF marks the cell"
    );
    assert!(
        pdf.contains(&format!("prima: {word} dopo: sostituita")),
        "PDF marks the word"
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
    assert!(f.contains(&new_shown) && !f.contains("rev-vecchio"));

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
        os11.contains(&new_target),
        "the approved 2026 target carries over: {os11}"
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

/// The planner's content copied and approved.
fn approved_copy(dir: &Path) -> std::path::PathBuf {
    let content = dir.join("content");
    copy_tree(&planner_content(), &content);
    let c = content.to_str().unwrap();
    let args = [
        "approva",
        "--content",
        c,
        "--atto",
        "Delibera n. 1",
        "--data",
        "2025-12-15",
    ];
    let (ok, _, stderr) = run(&args);
    assert!(ok, "{stderr}");
    content
}

/// The code of an objective file.
fn code(path: &Path) -> String {
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    v["codice"].as_str().unwrap().to_string()
}

#[test]
fn objectives_added_or_removed_are_marked_whole() {
    let dir = tempfile::tempdir().unwrap();
    let content = approved_copy(dir.path());
    let ops = content.join("obiettivi/operativi");
    let mut files: Vec<_> = fs::read_dir(&ops)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let removed = code(&files[0]);
    fs::remove_file(&files[0]).unwrap();
    let mut added: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&files[1]).unwrap()).unwrap();
    // A new objective of the same strategic one: its code starts with the strategic code.
    let parent = added["obiettivo_strategico"]
        .as_str()
        .unwrap()
        .replace("OS ", "OO ");
    let new_code = format!("{parent}.99");
    added["codice"] = serde_json::json!(new_code);
    added["scheda"] = serde_json::json!(999);
    fs::write(
        ops.join("oo-9.9.9.json"),
        serde_json::to_string_pretty(&added).unwrap(),
    )
    .unwrap();
    let motives = format!(
        r#"{{ "{removed}": "Obiettivo concluso", "{new_code}": "Nuovo obiettivo", "OS 9.9": "chiave sbagliata" }}"#
    );
    fs::write(content.join("motivi.json"), motives).unwrap();
    let listing = differences(&content);
    let found = changes(&listing);
    let whole = |what: &str, old: &str, new: &str, reason: &str| {
        found.iter().any(|(w, o, n, r)| {
            w.starts_with(what) && o.starts_with(old) && n.starts_with(new) && r == reason
        })
    };
    assert!(
        whole("Obiettivo operativo", &removed, "—", "Obiettivo concluso"),
        "{found:#?}"
    );
    assert!(
        whole("Obiettivo operativo", "—", &new_code, "Nuovo obiettivo"),
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
    let text = crate::common::site_text(&out);
    assert!(
        text.contains(&removed),
        "the removed objective is still shown, struck"
    );
    assert!(text.contains(&new_code));
}

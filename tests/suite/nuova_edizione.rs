//! `piao nuova-edizione` starts the next plan from the last approved edition: the fixture
//! `successiva` (a consolidated plan 2025-2027, no revision markers) is approved by hand
//! (copied into `approvato/2025-07-15/`, as `piao approva` would), then moved to 2026-2028.
//! The new tree has the new period, edition and date, the strategic targets of 2026-2028
//! (2025 gone, 2028 to fill), the operational targets to fill, every other file byte for byte;
//! it builds with a warning at each target to fill, and `check --strict` refuses it. Every
//! refusal (a destination in use, a bad period, a source with revisions, no approved
//! edition) writes nothing.

use crate::common::{copy_tree, fixture, piao, place, repo, site, site_text};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const APPROVED: &str = "approvato/2025-07-15";

/// The successiva fixture with its approved edition, and where the new plan will go.
fn approved() -> (TempDir, PathBuf, PathBuf) {
    let (dir, content) = fixture("successiva");
    let snapshot = content.join(APPROVED);
    copy_tree(&repo().join("tests/fixtures/successiva"), &snapshot);
    fs::write(
        snapshot.join("approvazione.json"),
        r#"{"atto": "Delibera di Giunta n. 45 del 15.07.2025", "data": "2025-07-15", "edizione": "Aggiornamento", "periodo": "2025-2027"}"#,
    )
    .unwrap();
    let dest = dir.path().join("piano-2026");
    (dir, content, dest)
}

fn start(content: &Path, dest: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "nuova-edizione",
        "--content",
        content.to_str().unwrap(),
        "--destinazione",
        dest.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    piao(&args)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).to_string()
}

/// The targets of the files of a folder of objectives, indicator by indicator.
fn targets(dir: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        for ind in json(&f)["indicatori"].as_array().unwrap() {
            out.push((name.clone(), ind["target"].clone()));
        }
    }
    out
}

#[test]
fn the_next_plan_starts_from_the_approved_edition() {
    let (_dir, content, dest) = approved();
    // The live content moved on since the approval: the new plan starts from the approved one.
    crate::common::edit(
        &content.join("obiettivi/strategici/os-1.1.json"),
        "\">=450\"",
        "\">=999\"",
    );
    let run = start(
        &content,
        &dest,
        &["--periodo", "2026-2028", "--data", "2026-01-31"],
    );
    let stdout = text(&run.stdout);
    assert!(run.status.success(), "{}{stdout}", text(&run.stderr));
    for said in [
        "Nuova edizione Approvazione 2026-2028 (data 2026-01-31)",
        "Nome del PDF: piao-2026-2028.pdf (era piao-2025-2027.pdf).",
        "tolti 2 target degli anni usciti dal periodo; 2 target da indicare per gli anni nuovi",
        "Obiettivi operativi: 3 target da indicare (null): valevano per il 2025",
        "Da completare: 5 target",
        "Da rivedere a mano (1 file che nomina ancora 2025",
        "  - 01-piano/01-performance.md\n",
    ] {
        assert!(stdout.contains(said), "«{said}» not in:\n{stdout}");
    }
    assert!(stdout.ends_with(&format!(
        "Passo successivo: piao build --content {}\n",
        dest.display()
    )));

    let manifest = json(&dest.join("documento.json"));
    assert_eq!(manifest["periodo"], "2026-2028");
    assert_eq!(manifest["edizione"], "Approvazione");
    assert_eq!(manifest["file_pdf"], "piao-2026-2028.pdf");
    assert_eq!(manifest["data"], "2026-01-31");
    assert!(manifest.get("atti").is_none(), "{manifest}");
    assert_eq!(
        manifest["approvazione"],
        serde_json::json!({"organo": "Giunta camerale"})
    );
    // The key order and layout are the planner's: only the values changed.
    let written = fs::read_to_string(dest.join("documento.json")).unwrap();
    assert!(
        written.contains("  \"periodo\": \"2026-2028\",\n  \"edizione\": \"Approvazione\",\n"),
        "{written}"
    );

    let strategic = targets(&dest.join("obiettivi/strategici"));
    assert_eq!(strategic.len(), 2);
    for (file, target) in &strategic {
        let keys: Vec<&String> = target.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["2026", "2027", "2028"], "{file}");
        assert!(target["2028"].is_null(), "{file}: {target}");
        assert!(target["2026"].is_string() && target["2027"].is_string());
    }
    assert_eq!(strategic[0].1["2026"], ">=450", "the approved target");
    let os12 = fs::read_to_string(dest.join("obiettivi/strategici/os-1.2.json")).unwrap();
    assert!(
        os12.contains(r#""target": { "2026": ">=15", "2027": ">=16", "2028": null }"#),
        "{os12}"
    );
    let operational = targets(&dest.join("obiettivi/operativi"));
    assert_eq!(operational.len(), 3);
    assert!(
        operational.iter().all(|(_, t)| t.is_null()),
        "{operational:?}"
    );

    let fixture = repo().join("tests/fixtures/successiva");
    for same in [
        "01-piano/01-performance.md",
        "01-piano/sezione.json",
        "01-piano/calcoli.json",
        "01-piano/grafici.json",
        "obiettivi/ambiti.json",
        "obiettivi/aree.json",
    ] {
        assert_eq!(
            fs::read(dest.join(same)).unwrap(),
            fs::read(fixture.join(same)).unwrap(),
            "{same}"
        );
    }
    assert!(!dest.join("approvato").exists());

    // The new plan builds, with a warning at each target to fill.
    let out = dest.parent().unwrap().join("output");
    let run = piao(&[
        "build",
        "--content",
        dest.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = text(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("manca il valore"))
        .collect();
    assert_eq!(warnings.len(), 5, "{stderr}");
    for (file, needle, what) in [
        (
            "obiettivi/strategici/os-1.1.json",
            "null",
            "Il target 2028 dell'indicatore «Imprese supportate» dell'OS 1.1",
        ),
        (
            "obiettivi/strategici/os-1.2.json",
            "null",
            "Il target 2028 dell'indicatore «Eventi realizzati» dell'OS 1.2",
        ),
        (
            "obiettivi/operativi/oo-1.1.1.json",
            "null",
            "Il target 2026 dell'indicatore «Incontri realizzati» dell'OO 1.1.1",
        ),
    ] {
        let line = format!(
            "avviso: {}: {what}: manca il valore, da indicare in {file}",
            place(&dest, file, needle)
        );
        assert!(stderr.contains(&line), "«{line}» not in:\n{stderr}");
    }
    let site_text = site_text(&site(&out));
    assert!(site_text.contains("da definire"), "{site_text}");

    // Under --strict the targets to fill stop the check.
    let run = piao(&["check", "--strict", "--content", dest.to_str().unwrap()]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let errors = stderr
        .lines()
        .filter(|l| l.starts_with("errore") && l.contains("manca il valore"))
        .count();
    assert_eq!(errors, 5, "{stderr}");
}

#[test]
fn an_update_of_a_longer_plan_from_a_given_folder() {
    let (dir, content) = fixture("successiva");
    let dest = dir.path().join("nuovo");
    let run = piao(&[
        "nuova-edizione",
        "--da",
        content.to_str().unwrap(),
        "--destinazione",
        dest.to_str().unwrap(),
        "--periodo",
        "2027-2030",
        "--edizione",
        "Aggiornamento",
    ]);
    let stdout = text(&run.stdout);
    assert!(run.status.success(), "{}{stdout}", text(&run.stderr));
    assert!(
        stdout.contains("Il nuovo periodo ha 4 anni, il precedente 3"),
        "{stdout}"
    );
    let manifest = json(&dest.join("documento.json"));
    assert_eq!(manifest["edizione"], "Aggiornamento");
    assert_eq!(manifest["file_pdf"], "piao-2027-2030.pdf");
    // Today, unless given: a date of the calendar, not the old edition's.
    let date = manifest["data"].as_str().unwrap();
    assert!(
        piao::content::date::Date::parse_iso(date).is_some(),
        "{date}"
    );
    assert_ne!(date, "2025-06-30");
    for (file, target) in targets(&dest.join("obiettivi/strategici")) {
        let keys: Vec<&String> = target.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["2027", "2028", "2029", "2030"], "{file}");
        assert!(target["2027"].is_string(), "{file}: the year kept");
        for y in ["2028", "2029", "2030"] {
            assert!(target[y].is_null(), "{file}: {target}");
        }
    }
}

/// Asserts a refusal: exit code 1, the message, and nothing written at `dest`.
fn assert_refused(run: &std::process::Output, dest: &Path, words: &str) -> String {
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("errore: "), "{stderr}");
    assert!(stderr.contains(words), "«{words}» not in:\n{stderr}");
    assert!(stderr.contains("Nessun file è stato scritto."), "{stderr}");
    assert!(!dest.exists(), "{} was created", dest.display());
    stderr
}

#[test]
fn a_destination_in_use_is_never_overwritten() {
    let (_dir, content, dest) = approved();
    fs::create_dir_all(&dest).unwrap();
    fs::write(dest.join("appunti.md"), "da tenere").unwrap();
    let run = start(&content, &dest, &["--periodo", "2026-2028"]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("esiste e non è una cartella vuota"),
        "{stderr}"
    );
    assert_eq!(fs::read_dir(&dest).unwrap().count(), 1);
    assert_eq!(
        fs::read_to_string(dest.join("appunti.md")).unwrap(),
        "da tenere"
    );
    // An empty folder is fine.
    fs::remove_file(dest.join("appunti.md")).unwrap();
    let run = start(&content, &dest, &["--periodo", "2026-2028"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(dest.join("documento.json").is_file());
    // Inside the starting tree it is refused.
    let inside = content.join(APPROVED).join("nuovo");
    let run = start(&content, &inside, &["--periodo", "2026-2028"]);
    assert_refused(&run, &inside, "è dentro la cartella di partenza");
}

#[test]
fn a_bad_period_is_refused() {
    let (_dir, content, dest) = approved();
    for (period, words) in [
        ("2026-28", "--periodo: periodo non valido «2026-28»: atteso"),
        (
            "2028-2026",
            "il primo anno (2028) viene dopo l'ultimo (2026)",
        ),
        ("2026-2026", "un piano copre più anni"),
        (
            "2025-2027",
            "la nuova edizione deve iniziare dopo il 2025, primo anno del periodo 2025-2027",
        ),
        ("2024-2026", "deve iniziare dopo il 2025"),
    ] {
        let run = start(&content, &dest, &["--periodo", period]);
        assert_refused(&run, &dest, words);
    }
    let run = start(
        &content,
        &dest,
        &["--periodo", "2026-2028", "--data", "2026-02-30"],
    );
    assert_refused(&run, &dest, "--data: data non valida «2026-02-30»");
}

#[test]
fn a_source_with_revisions_must_be_approved_first() {
    let (dir, content) = fixture("cascata");
    let dest = dir.path().join("nuovo");
    let run = piao(&[
        "nuova-edizione",
        "--da",
        content.to_str().unwrap(),
        "--destinazione",
        dest.to_str().unwrap(),
        "--periodo",
        "2026-2028",
    ]);
    let at = place(&content, "01-piano/01-performance.md", "{~~");
    assert_refused(
        &run,
        &dest,
        &format!(
            "errore: {at}: l'edizione di partenza contiene ancora revisioni: approvarla prima con piao approva"
        ),
    );
    // A revised value in JSON, at the value.
    crate::common::edit(
        &content.join("01-piano/01-performance.md"),
        "Un testo {~~vecchio~>nuovo~~}{>>Motivo della prosa<<} rivisto.",
        "Un testo rivisto.",
    );
    let run = piao(&[
        "nuova-edizione",
        "--da",
        content.to_str().unwrap(),
        "--destinazione",
        dest.to_str().unwrap(),
        "--periodo",
        "2026-2028",
    ]);
    let at = place(
        &content,
        "obiettivi/operativi/oo-1.1.1.json",
        "\"Cicli di incontri",
    );
    assert_refused(
        &run,
        &dest,
        &format!("errore: {at}: l'edizione di partenza"),
    );
}

#[test]
fn without_an_approved_edition_approva_comes_first() {
    let (dir, content) = fixture("successiva");
    let dest = dir.path().join("nuovo");
    let run = start(&content, &dest, &["--periodo", "2026-2028"]);
    assert_refused(&run, &dest, "nessuna edizione approvata in ");
    assert!(text(&run.stderr).contains("eseguire prima piao approva"));
}

#[test]
fn the_command_is_in_the_help() {
    let run = piao(&["--help"]);
    let help = text(&run.stdout);
    assert!(help.contains("nuova-edizione"), "{help}");
    let run = piao(&["nuova-edizione", "--help"]);
    let help = text(&run.stdout);
    for said in [
        "--periodo",
        "--destinazione",
        "--da",
        "da definire",
        "piao approva",
    ] {
        assert!(help.contains(said), "«{said}» not in:\n{help}");
    }
    let run = piao(&["nuova-edizione", "--destinazione", "x"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("manca l'opzione --periodo"),
        "{}",
        text(&run.stderr)
    );
}

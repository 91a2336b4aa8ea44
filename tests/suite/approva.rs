//! `piao approva` (issue 17): the edition in force recorded as approved, the sources rewritten
//! in consolidated form in their own layout, the approved snapshot kept beside them; and the
//! refusals, which leave the content exactly as it was.
//!
//! The planner's `content/` is the real content approved here: the published copy
//! (`tests/seed/contenuto/`) keeps figures the published act left undecided, which `approva`
//! rightly refuses.

use crate::common::{build_with, copy_tree, edit, piao, planner_content};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const ACT: &str = "Delibera di Giunta n. 45 del 15.07.2025";
const DATE: &str = "2025-07-15";

/// What a consolidated source no longer has: revision objects and CriticMarkup.
const MARKERS: &[&str] = &[
    "\"vecchio\"",
    "\"revisioni\"",
    "\"revisione\"",
    "{++",
    "{--",
    "{~~",
    "{>>",
];

/// Every file under `dir` (the approved editions left out when `skip_approved`), by its path
/// relative to `dir`, with its bytes.
fn tree(dir: &Path, skip_approved: bool) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !(skip_approved && e.depth() == 1 && e.file_name() == "approvato"))
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn approve(content: &Path, act: &str, date: &str) -> std::process::Output {
    piao(&[
        "approva",
        "--content",
        content.to_str().unwrap(),
        "--atto",
        act,
        "--data",
        date,
    ])
}

/// A copy of the planner's content in a fresh folder: (folder, content).
fn real_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&planner_content(), &content);
    (dir, content)
}

/// The keys of a JSON text in the order they are written.
fn keys(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < bytes.len() && bytes[j] != b'"' {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            let mut k = j + 1;
            while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                k += 1;
            }
            if k < bytes.len() && bytes[k] == b':' {
                out.push(text[start..j].to_string());
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn is_subsequence(small: &[String], big: &[String]) -> bool {
    let mut it = big.iter();
    small.iter().all(|s| it.any(|b| b == s))
}

/// The length of the longest common subsequence of two lists of lines.
fn common_lines(a: &[&str], b: &[&str]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for x in a {
        let mut diagonal = 0;
        for (j, y) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if x == y {
                diagonal + 1
            } else {
                above.max(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[test]
fn approva_consolidates_the_real_content_and_keeps_the_approved_edition() {
    let (dir, content) = real_copy();
    let original = dir.path().join("originale");
    copy_tree(&planner_content(), &original);
    let before = tree(&content, true);

    let run = approve(&content, ACT, DATE);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}{stdout}",
        String::from_utf8_lossy(&run.stderr)
    );
    let day = piao::format::date(&piao::content::date::Date::parse_iso(DATE).unwrap());
    assert!(stdout.contains(&format!("Edizione approvata con «{ACT}» del {day}")));
    assert!(stdout.contains("Contenuti riscritti in forma consolidata:"));
    assert!(stdout.contains("Indicatori eliminati dall'aggiornamento"));
    assert!(stdout.contains("motivi.json"), "{stdout}");
    let snapshot = content.join("approvato").join(DATE);
    assert!(stdout.contains(&snapshot.display().to_string()), "{stdout}");
    // Nothing is left beside the content (the staging folder is gone).
    let beside: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");

    let after = tree(&content, true);
    for (path, bytes) in &after {
        let text = String::from_utf8_lossy(bytes);
        for marker in MARKERS {
            assert!(
                !text.contains(marker),
                "{} contiene ancora {marker}",
                path.display()
            );
        }
    }
    for gone in [
        "obiettivi/operativi/oo-3.1.2-formazione.json",
        "obiettivi/operativi/oo-4.1.1.json",
    ] {
        assert!(before.contains_key(Path::new(gone)));
        assert!(!after.contains_key(Path::new(gone)), "{gone}");
    }
    let mut unchanged = 0;
    let mut revised = 0;
    for (path, old) in &before {
        let text = String::from_utf8_lossy(old);
        if path == Path::new("documento.json") {
            // It gains the act: checked below.
            continue;
        }
        // Printed figures (`dichiarato`, `peso_elenco`) go too: after the approval they are
        // piao's own figures, or decided «accettato» (kept).
        let marked = MARKERS.iter().any(|m| text.contains(m))
            || ["\"rettifica\"", "\"dichiarato\"", "\"peso_elenco\""]
                .iter()
                .any(|m| text.contains(m));
        if !marked {
            assert!(
                after.get(path) == Some(old),
                "{} è cambiato senza revisioni",
                path.display()
            );
            unchanged += 1;
            continue;
        }
        let Some(new) = after.get(path) else { continue };
        revised += 1;
        let new = String::from_utf8_lossy(new);
        if path.extension().is_some_and(|e| e == "json") {
            // The keys keep their order: the consolidated file's are the original's, less
            // those of the revisions and of what the update eliminated.
            assert!(
                is_subsequence(&keys(&new), &keys(&text)),
                "{}: ordine delle chiavi cambiato",
                path.display()
            );
        }
        // Every line is kept as written, but the line of each value the update revised and
        // the one before a removed property (its comma).
        let (old_lines, new_lines): (Vec<&str>, Vec<&str>) =
            (text.lines().collect(), new.lines().collect());
        let rewritten = [
            "\"nuovo\"",
            "\"revisione\"",
            "\"rettifica\"",
            "\"dichiarato\"",
            "\"peso_elenco\"",
            "{~~",
            "{++",
            "{--",
            "{>>",
        ]
        .iter()
        .map(|m| text.matches(m).count())
        .sum::<usize>();
        let kept = common_lines(&old_lines, &new_lines);
        assert!(
            new_lines.len() <= kept + rewritten,
            "{}: {} righe su {} riscritte (attese al massimo {rewritten})",
            path.display(),
            new_lines.len() - kept,
            new_lines.len()
        );
        assert!(new_lines.len() <= old_lines.len(), "{}", path.display());
    }
    assert!(unchanged > 20 && revised > 10, "{unchanged} {revised}");

    // The act is recorded in the manifest, the body kept.
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(content.join("documento.json")).unwrap()).unwrap();
    assert_eq!(manifest["approvazione"]["atto"], ACT);
    assert_eq!(manifest["approvazione"]["data"], DATE);
    assert_eq!(manifest["approvazione"]["organo"], "Giunta camerale");

    // The snapshot: the consolidated content as it is now, and the act.
    let mut kept = tree(&snapshot, false);
    let record: serde_json::Value =
        serde_json::from_slice(&kept.remove(Path::new("approvazione.json")).unwrap()).unwrap();
    assert_eq!(
        record,
        serde_json::json!({"atto": ACT, "data": DATE, "edizione": "Aggiornamento", "periodo": "2025-2027"})
    );
    let mut current = after.clone();
    current.remove(Path::new("motivi.json"));
    assert_eq!(
        kept.keys().collect::<Vec<_>>(),
        current.keys().collect::<Vec<_>>()
    );
    assert!(
        kept == current,
        "la copia approvata differisce dai contenuti"
    );

    // The consolidated content builds strictly, and its open data are those of the original's
    // consolidated edition, byte for byte.
    let out = dir.path().join("out");
    build_with(&content, &out, &["--strict", "--solo", "html"]);
    let out_original = dir.path().join("out-originale");
    build_with(
        &original,
        &out_original,
        &["--edizione", "consolidata", "--solo", "html"],
    );
    let mut compared = 0;
    for folder in ["sito/dati/tabelle", "sito/dati/obiettivi"] {
        let approved = tree(&out.join(folder), false);
        let consolidated = tree(&out_original.join(folder), false);
        assert_eq!(
            approved.keys().collect::<Vec<_>>(),
            consolidated.keys().collect::<Vec<_>>(),
            "{folder}"
        );
        for (path, bytes) in &approved {
            if path.extension().is_some_and(|e| e == "csv") {
                assert!(
                    consolidated[path] == *bytes,
                    "{folder}/{} differisce dall'edizione consolidata",
                    path.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 20, "{compared}");
}

/// The content, edited to be refused, is byte-identical after the refusal and has no approved
/// edition; nothing is left beside it.
fn assert_refused(content: &Path, act: &str, date: &str, words: &[&str]) {
    let before = tree(content, false);
    let run = approve(content, act, date);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    for w in words {
        assert!(stderr.contains(w), "«{w}» non in: {stderr}");
    }
    assert!(stderr.contains("Nessun file dei contenuti è stato modificato"));
    assert!(tree(content, false) == before, "contenuti modificati");
    let beside = fs::read_dir(content.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".piao")
        })
        .count();
    assert_eq!(beside, 0);
}

#[test]
fn approva_refuses_an_undecided_printed_figure_and_writes_nothing() {
    let (_dir, content) = real_copy();
    edit(
        &content.join("01-identita/conto_economico.json"),
        "\"anno_2024\": 20528131",
        "\"anno_2024\": 20528135",
    );
    assert_refused(
        &content,
        ACT,
        DATE,
        &[
            "conto_economico.json:14:",
            "manca la decisione",
            "i contenuti non sono approvabili",
        ],
    );
    assert!(!content.join("approvato").exists());
}

#[test]
fn approva_refuses_a_bad_date_an_empty_act_and_an_existing_approval() {
    let (_dir, content) = real_copy();
    assert_refused(
        &content,
        ACT,
        "2025-02-30",
        &["data non valida «2025-02-30»", "AAAA-MM-GG"],
    );
    assert_refused(&content, "  ", DATE, &["manca l'atto di approvazione"]);
    assert!(!content.join("approvato").exists());
    fs::create_dir_all(content.join("approvato").join(DATE)).unwrap();
    assert_refused(
        &content,
        ACT,
        DATE,
        &["l'edizione approvata il 2025-07-15 esiste già"],
    );
    let missing = piao(&["approva", "--content", content.to_str().unwrap()]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("manca l'opzione --atto"));
}

#[test]
fn approva_is_documented_in_italian() {
    let help = String::from_utf8_lossy(&piao(&["--help"]).stdout).to_string();
    assert!(help.contains("approva"), "{help}");
    let help = String::from_utf8_lossy(&piao(&["approva", "--help"]).stdout).to_string();
    for w in [
        "--atto",
        "--data",
        "AAAA-MM-GG",
        "approvato/",
        "motivi.json",
    ] {
        assert!(help.contains(w), "{w}: {help}");
    }
}

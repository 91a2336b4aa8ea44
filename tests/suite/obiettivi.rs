//! The published performance cascade ([`published`]) against the published document
//! (`tests/seed/`): every objective of the seed has its page with its people, every struck
//! value of the seed is a revision, and the weight checks report exactly the document's
//! inconsistencies.

use crate::common::{published, repo, run_build_with, visible_text};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn seed() -> String {
    fs::read_to_string(repo().join("tests/seed/piao-2025-2027-aggiornamento.txt")).unwrap()
}

/// The published content built once (marked-up edition), shared with the other files.
fn site() -> &'static (PathBuf, String) {
    crate::common::published_build()
}

fn page(out: &Path, url: &str) -> String {
    visible_text(
        &fs::read_to_string(out.join(piao::address::SITE).join(url))
            .unwrap_or_else(|e| panic!("{url}: {e}")),
    )
}

/// Codes like `OO 1.1.3` in the seed (also `OO 1.1.3.` and `OS 3.1 EFFICIENZA`).
fn codes(text: &str, prefix: &str, parts: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices(&format!("{prefix} ")) {
        let rest = &text[i + prefix.len() + 1..];
        let code: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let nums: Vec<&str> = code.split('.').filter(|p| !p.is_empty()).collect();
        let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if boundary && nums.len() == parts {
            out.insert(format!("{prefix} {}", nums.join(".")));
        }
    }
    out
}

fn url_of(code: &str) -> String {
    let slug = code.to_lowercase().replace([' ', '.'], "-");
    if code.starts_with("OS") {
        format!("obiettivi/{slug}.html")
    } else {
        format!("allegato-1/{slug}.html")
    }
}

#[test]
fn every_objective_of_the_document_has_its_page() {
    let (out, _) = site();
    let seed = seed();
    let os = codes(&seed, "OS", 2);
    let oo = codes(&seed, "OO", 3);
    assert_eq!(os.len(), 12, "{os:?}");
    assert_eq!(oo.len(), 53, "{oo:?}");
    for code in os.iter().chain(&oo) {
        let text = page(out, &url_of(code));
        assert!(text.contains(&format!("{code} –")), "{code}: {text}");
    }
    let tree = page(out, "obiettivi/index.html");
    let annex = page(out, "allegato-1/index.html");
    for code in os.iter().chain(&oo) {
        assert!(tree.contains(code.as_str()), "{code} not in the tree");
    }
    for code in &oo {
        assert!(annex.contains(code.as_str()), "{code} not in Allegato 1");
    }
    // The replaced OO 3.1.2 keeps its own scheda page, struck.
    let replaced = page(out, "allegato-1/oo-3-1-2-formazione.html");
    assert!(replaced.contains("Obiettivo operativo eliminato con l'aggiornamento"));
}

/// The people of each scheda (rilevatori, validatori, old and new) are on its page.
#[test]
fn every_scheda_names_its_people() {
    let (out, _) = site();
    let seed = seed();
    let mut checked = 0;
    let mut current: Option<String> = None;
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    for line in seed.lines() {
        if line.contains("<b>OBIETTIVO OPERATIVO</b>\t<b>OO ") {
            current = codes(line, "OO", 3).into_iter().next();
        }
        let Some(code) = &current else { continue };
        let Some(rest) = line.strip_prefix("<b>MONITORAGGIO</b>\t") else {
            continue;
        };
        let text = pages.entry(code.clone()).or_insert_with(|| {
            // A replaced objective and its replacement share the code: read both pages.
            let mut t = page(out, &url_of(code));
            let replaced = url_of(code).replace(".html", "-formazione.html");
            if out.join(piao::address::SITE).join(&replaced).exists() {
                t.push_str(&page(out, &replaced));
            }
            t
        });
        let plain = visible_text(&rest.replace("</del>", "/"));
        for part in plain.split(['/', ',']) {
            let name = part
                .trim()
                .trim_start_matches("Rilevatori:")
                .trim_start_matches("Rilevatore:")
                .trim_start_matches("Validatori:")
                .trim_start_matches("Validatore:")
                .trim();
            if name.is_empty() {
                continue;
            }
            assert!(text.contains(name), "{code}: «{name}» missing");
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} names checked");
}

/// Normalised for comparison: lowercase letters and digits only.
fn norm(s: &str) -> String {
    s.replace("\\geq", ">=")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

/// Every value the seed strikes through (`<del>…</del>`) in Section 2.2 and Allegato 1 is the
/// old side of a revision of the content, and reaches the Prospetto delle modifiche.
#[test]
fn every_struck_value_of_the_document_is_a_revision() {
    let (out, _) = site();
    // The revisions are the view's: no need to typeset the PDF for them.
    let view = piao::prepare(&published(), &piao::Options::default())
        .unwrap()
        .view;
    let olds: Vec<String> = view.amendments.iter().map(|r| norm(&r.old)).collect();
    // Text struck as part of an indicator the update removes (its name is the revision).
    let mut removed = String::new();
    for entry in walkdir::WalkDir::new(out) {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = fs::read_to_string(&path).unwrap();
            for row in html.split("<tr class=\"rev-eliminato\">").skip(1) {
                removed.push_str(&norm(&visible_text(row.split("</tr>").next().unwrap())));
            }
        }
    }
    let seed = seed();
    let start = seed.find("## Gli OBIETTIVI STRATEGICI").unwrap_or(0);
    let cascade = &seed[seed[start..].find("OBIETTIVO STRATEGICO").unwrap() + start..];
    let mut struck = 0;
    for chunk in cascade.split("<del>").skip(1) {
        let inner = chunk.split("</del>").next().unwrap();
        let key = norm(&visible_text(
            &inner.replace("&gt;", ">").replace("&lt;", "<"),
        ));
        if key.is_empty() {
            continue;
        }
        struck += 1;
        assert!(
            olds.iter()
                .any(|o| o.contains(&key) || (!o.is_empty() && key.contains(o.as_str())))
                || removed.contains(&key),
            "struck «{inner}» is not the old value of any revision"
        );
    }
    assert!(struck >= 20, "only {struck} struck values found");
    let prospetto = fs::read_to_string(out.join("sito/modifiche.html")).unwrap();
    let rows: usize = prospetto
        .split("<table class=\"modifiche\">")
        .skip(1)
        .map(|t| {
            t.split("</table>")
                .next()
                .unwrap()
                .matches("<tr><th scope=\"row\">")
                .count()
        })
        .sum();
    assert_eq!(rows, view.amendments.len());
}

/// Pairs whose strike-through the extraction lost (`PESO: 70 100`, `5 7`, `14 7`,
/// `>=450 >=525*`) are revisions old → new.
#[test]
fn revisions_lost_by_the_extraction_are_recovered() {
    // The revisions are the view's: no need to typeset the PDF for them.
    let view = piao::prepare(&published(), &piao::Options::default())
        .unwrap()
        .view;
    let pairs: BTreeSet<(String, String)> = view
        .amendments
        .iter()
        .map(|r| (norm(&r.old), norm(&r.new)))
        .collect();
    for (old, new) in [
        ("70", "100"),
        ("5", "7"),
        ("10", "15"),
        ("5", "6"),
        (">=450", ">=525"),
        ("14", "7"),
        ("100%", "80%"),
        ("Rocca Maria Luisa", "Soragna Simonetta"),
        ("Recca Maria Luisa", "Soragna Simonetta"),
    ] {
        assert!(
            pairs
                .iter()
                .any(|(o, n)| o.ends_with(&norm(old)) && n.ends_with(&norm(new))),
            "{old} → {new} is not a revision"
        );
    }
}

/// The consolidated edition has no revision markers and no removed objective.
#[test]
fn the_consolidated_edition_has_no_markers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = run_build_with(&published(), &out, &["--edizione", "consolidata"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains(" 0 modifiche dell'aggiornamento"));
    assert!(!out.join("sito/modifiche.html").exists());
    assert!(!out.join("sito/allegato-1/oo-4-1-1.html").exists());
    assert!(
        !out.join("sito/allegato-1/oo-3-1-2-formazione.html")
            .exists()
    );
    // No revision, no label of an added or removed row, no legend explaining them.
    for path in crate::common::html_pages(&out) {
        let html = fs::read_to_string(&path).unwrap();
        for marker in ["<del", "<ins", "rev-etichetta", "class=\"legenda\""] {
            assert!(!html.contains(marker), "{marker} in {}", path.display());
        }
    }
    let scheda = page(&out, "allegato-1/oo-4-1-2.html");
    assert!(scheda.contains("(peso: 7%)"), "{scheda}");
    let text = crate::common::pdf_text(&out.join("sito/piao-2025-2027.pdf"));
    assert!(!text.contains("Come leggere le modifiche"));
    assert!(!text.contains("eliminato Realizzazione di una rete"));
}

/// The weight checks run on the published content and report, with file and line, exactly the
/// groups of the document that do not sum to 100 and the list's misprinted weight.
#[test]
fn weight_checks_report_the_documents_inconsistencies() {
    let (_, stderr) = site();
    let weights: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("I pesi ") || l.contains("nell'elenco della Sezione 2.2"))
        .collect();
    // OS 1.3: a footnote removes the "gradimento" indicator without moving its weight.
    // OO 3.1.2: the list prints 45 for the replaced objective, its scheda 15.
    let expected = [
        "obiettivi/strategici/os-1.3.json:12:17: I pesi degli indicatori in vigore di OS 1.3 sommano a 100: la somma è 70 invece di 100",
        "obiettivi/operativi/oo-3.1.2-formazione.json:9:18: Peso di OO 3.1.2 nell'elenco della Sezione 2.2 rispetto alla scheda: il documento riporta 45, il valore calcolato è 15",
    ];
    for e in expected {
        assert!(
            weights.iter().any(|l| l.contains(e)),
            "{e} not in {weights:#?}"
        );
    }
    assert_eq!(weights.len(), expected.len(), "{weights:#?}");
    // The prose counts 53 operational objectives: 52 are in force after the update.
    assert!(stderr.contains(
        "Obiettivi operativi citati nel testo della Sezione 2.2 (in vigore dopo l'aggiornamento: l'OO 4.1.1 è eliminato): il documento riporta 53, il valore calcolato è 52"
    ), "{stderr}");
}

//! The plan's years come from `periodo` in `documento.json`: starting the next plan is an edit
//! of the content. The cascata fixture moved to 2026-2028 (its period, its date and the years
//! of its strategic targets rewritten, nothing else) prints the new years in the site's and
//! the PDF's headers and in the open data, and none of the old plan; a bad period, or targets
//! that do not cover exactly the period, stop the build where they are written.

use crate::common::{
    assert_previous_output, edit, fixture, pdf_text, place, position_of, previous_output, refused,
    run_build, site, site_text, visible_text,
};
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The cascata fixture moved one plan forward, to 2026-2028, as a planner would do it.
fn next_plan() -> (TempDir, PathBuf) {
    let (dir, content) = fixture("cascata");
    let manifest = content.join("documento.json");
    edit(&manifest, "\"2025-2027\"", "\"2026-2028\"");
    edit(&manifest, "\"2025-06-30\"", "\"2026-01-31\"");
    for entry in fs::read_dir(content.join("obiettivi/strategici")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        // The latest year first, so that no target moves twice.
        let moved = text
            .replace("\"2027\":", "\"2028\":")
            .replace("\"2026\":", "\"2027\":")
            .replace("\"2025\":", "\"2026\":");
        assert_ne!(moved, text, "{}: no target by year", path.display());
        fs::write(&path, moved).unwrap();
    }
    (dir, content)
}

/// The 2026-2028 plan, built (site and PDF) into `out`.
fn built_next_plan() -> (TempDir, PathBuf) {
    let (dir, content) = next_plan();
    let out = dir.path().join("out");
    let run = run_build(&content, &out);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (dir, out)
}

fn read(out: &Path, page: &str) -> String {
    fs::read_to_string(site(out).join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

/// The only year of the old plan left is the new baseline's (2025, the year before 2026):
/// every `2025` reads `Baseline 2025`, and 2024 (the old baseline) is gone.
fn no_old_year(what: &str, text: &str) {
    assert!(
        !text.contains("2024"),
        "{what}: 2024 still printed:\n{text}"
    );
    let all = text.matches("2025").count();
    let baseline = text.matches("Baseline 2025").count();
    assert!(baseline > 0, "{what}: no Baseline 2025:\n{text}");
    assert_eq!(
        all, baseline,
        "{what}: a 2025 other than the baseline:\n{text}"
    );
}

#[test]
fn a_plan_for_2026_2028_prints_its_years_in_the_site() {
    let (_dir, out) = built_next_plan();
    let strategic = read(&out, "obiettivi/os-1-1.html");
    let head = "<th scope=\"col\">Algoritmo</th><th scope=\"col\">Baseline 2025</th>\
                <th scope=\"col\">Target 2026</th><th scope=\"col\">Target 2027</th>\
                <th scope=\"col\">Target 2028</th></tr>";
    assert!(strategic.contains(head), "{strategic}");
    assert!(strategic.contains("<h2 id=\"obiettivi-operativi\">Obiettivi operativi 2026</h2>"));
    // The revised target of the first year stays with its year.
    let card = visible_text(&strategic);
    assert!(
        card.contains("Target 2026 Target 2027 Target 2028"),
        "{card}"
    );

    let scheda = read(&out, "allegato-1/oo-1-1-1.html");
    let head = "<th scope=\"col\">Algoritmo</th><th scope=\"col\">Baseline 2025</th>\
                <th scope=\"col\">Target 2026</th></tr>";
    assert!(scheda.contains(head), "{scheda}");

    let tree = visible_text(&read(&out, "obiettivi/index.html"));
    assert!(
        tree.contains("gli obiettivi operativi 2026 (con il peso"),
        "{tree}"
    );
    let annex = visible_text(&read(&out, "allegato-1/index.html"));
    assert!(annex.contains("obiettivi operativi 2026, per area organizzativa, come nell'allegato \"Obiettivi Operativi anno 2026\""), "{annex}");
    let weights = visible_text(&read(&out, "piano/index.html"));
    assert!(
        weights.contains("Obiettivi operativi 2026 con il loro peso nell'obiettivo strategico"),
        "{weights}"
    );
    let prospetto = visible_text(&read(&out, "modifiche.html"));
    assert!(prospetto.contains("Target 2026 – indicatore «Imprese supportate» valore precedente: >=450 valore aggiornato: >=525"), "{prospetto}");

    let site = site_text(&out);
    no_old_year("sito", &site);
    let raw: String = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    assert!(!raw.contains("Target 2025") && !raw.contains("Obiettivi operativi 2025"));
}

#[test]
fn a_plan_for_2026_2028_keys_its_open_data_by_its_years() {
    let (_dir, out) = built_next_plan();
    let data: serde_json::Value = serde_json::from_str(&read(&out, "dati/obiettivi.json")).unwrap();
    let strategic = &data["obiettivi_strategici"][0]["indicatori"][0]["target"];
    let years: Vec<&str> = strategic
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(years, ["2026", "2027", "2028"]);
    assert_eq!(strategic["2026"]["testo"], ">=525");
    for o in data["obiettivi_operativi"].as_array().unwrap() {
        for i in o["indicatori"].as_array().unwrap() {
            let keys: Vec<&String> = i["target"].as_object().unwrap().keys().collect();
            assert_eq!(keys, ["2026"], "{}", o["codice"]);
        }
    }
}

/// A word `pdftotext -bbox` places on a page: its text and its box.
struct Word {
    text: String,
    page: usize,
    x: f64,
    top: f64,
    bottom: f64,
}

/// Every word of a PDF with its position, soft hyphens removed.
fn pdf_words(pdf: &Path) -> Vec<Word> {
    let xml = crate::common::tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let len = tag[start..].find('"').unwrap();
        tag[start..start + len].parse().unwrap()
    };
    let mut words = Vec::new();
    for (page, body) in xml.split("<page ").skip(1).enumerate() {
        for w in body.split("<word ").skip(1) {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap();
            words.push(Word {
                text: text.replace('\u{ad}', "").replace("&amp;", "&"),
                page,
                x: attr(tag, "xMin"),
                top: attr(tag, "yMin"),
                bottom: attr(tag, "yMax"),
            });
        }
    }
    words
}

/// The indicator tables' year headers as the PDF lays them out, `Target` over its year in one
/// cell: `Target 2026`, `Baseline 2025`, page by page, top to bottom, left to right; and every
/// word that is such a header's year (by index into `words`).
fn year_headers(words: &[Word]) -> (Vec<String>, Vec<usize>) {
    let mut placed: Vec<(&Word, String)> = Vec::new();
    let mut years = Vec::new();
    for w in words
        .iter()
        .filter(|w| w.text == "Target" || w.text == "Baseline")
    {
        let line = w.bottom - w.top;
        let below = words.iter().position(|v| {
            v.page == w.page
                && (v.x - w.x).abs() < 0.5
                && v.top > w.top + line / 2.0
                && v.top < w.top + line * 1.5
                && v.text.len() == 4
                && v.text.bytes().all(|b| b.is_ascii_digit())
        });
        if let Some(i) = below {
            placed.push((w, format!("{} {}", w.text, words[i].text)));
            years.push(i);
        }
    }
    placed.sort_by(|(a, _), (b, _)| {
        (a.page, a.top, a.x)
            .partial_cmp(&(b.page, b.top, b.x))
            .unwrap()
    });
    (placed.into_iter().map(|(_, label)| label).collect(), years)
}

#[test]
fn a_plan_for_2026_2028_prints_its_years_in_the_pdf() {
    let (_dir, out) = built_next_plan();
    let pdf = out.join("sito/prova.pdf");
    let words = pdf_words(&pdf);
    let (labels, header_years) = year_headers(&words);
    // Two strategic cards (baseline, three years) and four schede (baseline, the first year).
    let strategic = ["Baseline 2025", "Target 2026", "Target 2027", "Target 2028"];
    let scheda = ["Baseline 2025", "Target 2026"];
    let expected: Vec<&str> = [
        &strategic[..],
        &strategic,
        &scheda,
        &scheda,
        &scheda,
        &scheda,
    ]
    .concat();
    assert_eq!(labels, expected);
    // No other 2025 (the old plan's first year) and no 2024 (its baseline) anywhere.
    for (i, w) in words.iter().enumerate() {
        assert!(!w.text.contains("2024"), "«{}» in the PDF", w.text);
        if w.text.contains("2025") {
            assert!(
                header_years.contains(&i),
                "«{}» in the PDF outside a Baseline header",
                w.text
            );
        }
    }
    let text = pdf_text(&pdf);
    for words in [
        "PIAO 2026-2028",
        "Obiettivi operativi 2026 • OO 1.1.1 – Formazione per l'estero",
        "Obiettivi operativi 2026 con il loro peso nell'obiettivo strategico",
        "Target 2026 – indicatore «Imprese supportate»",
    ] {
        assert!(text.contains(words), "«{words}» not in the PDF:\n{text}");
    }
}

#[test]
fn a_bad_period_is_refused_where_it_is_written() {
    for (period, words) in [
        (
            "2027-2025",
            "periodo non valido «2027-2025»: il primo anno (2027) viene dopo l'ultimo (2025)",
        ),
        (
            "2025/2027",
            "periodo non valido «2025/2027»: atteso il primo e l'ultimo anno del piano, di quattro cifre, separati da un trattino (AAAA-AAAA)",
        ),
        (
            "2025-2045",
            "periodo non valido «2025-2045»: 21 anni, al massimo 10",
        ),
    ] {
        let (dir, content) = fixture("cascata");
        edit(
            &content.join("documento.json"),
            "\"2025-2027\"",
            &format!("\"{period}\""),
        );
        let out = dir.path().join("out");
        previous_output(&out);
        let run = run_build(&content, &out);
        assert!(!run.status.success(), "{period}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains("documento.json:5:14") && stderr.contains(words),
            "{period}: {stderr}"
        );
        assert_previous_output(&out);
    }
}

const OS_1_2: &str = "obiettivi/strategici/os-1.2.json";

#[test]
fn a_strategic_target_outside_the_period_is_refused() {
    let (_dir, content) = fixture("cascata");
    let os = content.join(OS_1_2);
    edit(
        &os,
        "\"2027\": \">=15\" }",
        "\"2027\": \">=15\", \"2028\": \">=16\" }",
    );
    // At the value of the year outside the period.
    let at = place(&content, OS_1_2, "\">=16\"");
    refused(
        &content,
        &at,
        "indicatore «Eventi realizzati»: target per l'anno 2028, fuori dal periodo; attesi i target degli anni del periodo 2025-2027 di documento.json (2025, 2026 e 2027)",
    );
}

#[test]
fn a_strategic_target_missing_a_year_of_the_period_is_refused() {
    let (_dir, content) = fixture("cascata");
    let os = content.join(OS_1_2);
    edit(&os, ", \"2027\": \">=15\" }", " }");
    let at = place(&content, OS_1_2, "{ \"2025\": \">=15\"");
    refused(
        &content,
        &at,
        "indicatore «Eventi realizzati»: manca il target del 2027; attesi i target degli anni del periodo 2025-2027 di documento.json (2025, 2026 e 2027)",
    );
}

/// A new period with the old targets: the first target of the old plan is named.
#[test]
fn a_new_period_with_the_old_targets_is_refused() {
    let (_dir, content) = fixture("cascata");
    edit(
        &content.join("documento.json"),
        "\"2025-2027\"",
        "\"2026-2028\"",
    );
    let os = "obiettivi/strategici/os-1.1.json";
    let (line, column) = position_of(&content.join(os), "\"2025\": {");
    let at = format!(
        "{}:{line}:{}",
        content.join(os).display(),
        column + "\"2025\": ".len()
    );
    refused(
        &content,
        &at,
        "target per l'anno 2025, fuori dal periodo; attesi i target degli anni del periodo 2026-2028 di documento.json (2026, 2027 e 2028)",
    );
}

#[test]
fn an_operational_target_by_year_names_the_period_s_first_year() {
    let (_dir, content) = fixture("cascata");
    let oo = content.join("obiettivi/operativi/oo-1.1.1.json");
    edit(
        &oo,
        "\"target\": \">= 25\"",
        "\"target\": { \"2025\": \">= 25\" }",
    );
    refused(
        &content,
        &place(
            &content,
            "obiettivi/operativi/oo-1.1.1.json",
            "{ \"2025\": \">= 25\" }",
        ),
        "target di un obiettivo operativo: atteso il target del 2025 (\">= 25\") o una sua revisione",
    );
    let (_dir, content) = fixture("cascata");
    let os = content.join(OS_1_2);
    edit(
        &os,
        "{ \"2025\": \">=15\", \"2026\": \">=15\", \"2027\": \">=15\" }",
        "\">=15\"",
    );
    refused(
        &content,
        &place(&content, OS_1_2, "\">=15\""),
        "target di un obiettivo strategico: atteso un target per anno del periodo 2025-2027, {\"2025\": \">= 25\", \"2026\": .., \"2027\": ..}",
    );
}

//! Charts declared in content: drawn from the computed figures, the same SVG in the site and
//! the PDF, with their text alternative, following their data, byte-stable.

use crate::common::{edit, fixture, pdf_text, published, run_build_with, site};
use std::fs;
use std::path::Path;

fn build(content: &Path, out: &Path) {
    crate::common::build_with(content, out, &[]);
}

/// The inline SVG of a chart in a page.
fn svg_of(html: &str, id: &str) -> String {
    let figure = html
        .split(&format!("<figure class=\"grafico\" id=\"grafico-{id}\">"))
        .nth(1)
        .unwrap_or_else(|| panic!("chart {id} not in the page"));
    let start = figure.find("<svg").unwrap();
    let end = figure.find("</svg>").unwrap() + 6;
    figure[start..end].to_string()
}

#[test]
fn a_chart_is_in_its_page_and_in_the_pdf_with_its_text_alternative() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    build(&content, &out);
    let html = fs::read_to_string(out.join("sito/piano/index.html")).unwrap();
    let svg = svg_of(&html, "pesi");
    assert!(svg.contains("role=\"img\" aria-labelledby=\"grafico-pesi-titolo grafico-pesi-desc\""));
    assert!(
        svg.contains("<title id=\"grafico-pesi-titolo\">Peso degli obiettivi strategici</title>")
    );
    assert!(svg.contains("<desc id=\"grafico-pesi-desc\">Il peso di ciascun obiettivo strategico nel suo ambito. Peso: OS 1.1: 60%; OS 1.2: 40%.</desc>"), "{svg}");
    assert!(svg.contains("font-family=\"Titillium Web\""));
    assert!(
        svg.contains(">\n60%\n</text>") || svg.contains(">60%</text>"),
        "{svg}"
    );
    let figure = html.split("id=\"grafico-pesi\"").nth(1).unwrap();
    assert!(figure.contains("Dati del grafico: <a href=\"#tabella-pesi_obiettivi_strategici\">"));
    // A chart over quantities: the counts of the objectives in force.
    assert!(svg_of(&html, "obiettivi").contains("Obiettivi: Strategici: 2; Operativi: 3."));

    let text = pdf_text(&out.join("sito/prova.pdf"));
    for expected in [
        "Peso degli obiettivi strategici",
        "Obiettivi in vigore",
        "Dati del grafico: tabella «Pianificazione strategica",
    ] {
        assert!(
            text.contains(expected),
            "«{expected}» not in the PDF: {text}"
        );
    }
}

#[test]
fn a_chart_follows_its_data() {
    let (dir, content) = fixture("cascata");
    let out = dir.path().join("out");
    build(&content, &out);
    let before = svg_of(
        &fs::read_to_string(out.join("sito/piano/index.html")).unwrap(),
        "pesi",
    );
    edit(
        &content.join("obiettivi/strategici/os-1.1.json"),
        "\"peso\": 60",
        "\"peso\": 70",
    );
    build(&content, &out);
    let after = svg_of(
        &fs::read_to_string(out.join("sito/piano/index.html")).unwrap(),
        "pesi",
    );
    assert_ne!(before, after);
    assert!(after.contains("OS 1.1: 70%"));
    assert!(pdf_text(&out.join("sito/prova.pdf")).contains("70%"));
}

#[test]
fn chart_errors_point_at_the_declaration_or_the_page() {
    let cases: [(&str, &str, &str, &str, &str); 3] = [
        (
            "01-piano/grafici.json",
            "{chiave}.peso",
            "{chiave}.pesi",
            "grafici.json:13:",
            "colonna «pesi» inesistente",
        ),
        (
            "01-piano/grafici.json",
            "\"obiettivi_operativi\"]",
            "]",
            "grafici.json:26:",
            "1 valori per 2 categorie",
        ),
        (
            "01-piano/01-performance.md",
            "grafico(id=\"pesi\")",
            "grafico(id=\"pesi_2025\")",
            "01-performance.md:7:",
            "grafico «pesi_2025» inesistente",
        ),
    ];
    for (file, from, to, location, words) in cases {
        let (dir, content) = fixture("cascata");
        let path = content.join(file);
        let text = fs::read_to_string(&path).unwrap();
        let changed = if from == "\"obiettivi_operativi\"]" {
            text.replace(", \"obiettivi_operativi\"]", "]")
        } else {
            text.replacen(from, to, 1)
        };
        assert_ne!(text, changed, "fixture changed");
        fs::write(&path, changed).unwrap();
        let run = run_build_with(&content, &dir.path().join("out"), &[]);
        assert!(!run.status.success());
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr.contains(location) && stderr.contains(words),
            "expected {location} and «{words}» in: {stderr}"
        );
    }
}

/// The charts of the published content: each in its page of the site and in the PDF, each drawn
/// twice to the same bytes with its title and description.
#[test]
fn every_chart_of_the_document_is_in_its_section_and_byte_stable() {
    let expected = [
        ("proventi_oneri", "identita/risorse-economiche.html"),
        ("criminalita_lombardia", "valore-pubblico/contesto.html"),
        ("antimafia_interdittive", "valore-pubblico/contesto.html"),
        ("antimafia_andamento", "valore-pubblico/contesto.html"),
        (
            "pesi_obiettivi_strategici",
            "valore-pubblico/performance.html",
        ),
        (
            "personale_aree",
            "organizzazione/struttura-organizzativa.html",
        ),
        (
            "personale_eta",
            "organizzazione/struttura-organizzativa.html",
        ),
        (
            "lavoro_distanza_sedi",
            "organizzazione/lavoro-a-distanza.html",
        ),
        (
            "dotazione_organica",
            "organizzazione/fabbisogni-di-personale.html",
        ),
        ("cessazioni", "organizzazione/fabbisogni-di-personale.html"),
        (
            "capacita_assunzionali",
            "organizzazione/fabbisogni-di-personale.html",
        ),
        (
            "budget_assunzionale",
            "organizzazione/fabbisogni-di-personale.html",
        ),
    ];
    let prepared = piao::prepare(&published(), &piao::Options::default()).unwrap();
    let charts = &prepared.computed.charts;
    assert_eq!(charts.len(), expected.len());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    build(&published(), &out);
    let text = pdf_text(&out.join("sito/piao-2025-2027.pdf"));
    for (id, page) in expected {
        let chart = &charts[id];
        let svg = piao::render::chart::svg(chart);
        assert!(
            svg == piao::render::chart::svg(chart),
            "{id} differs between two drawings"
        );
        assert!(
            svg.contains(&format!("<title id=\"grafico-{id}-titolo\">")) && svg.contains("<desc "),
            "{id}"
        );
        let html = fs::read_to_string(site(&out).join(page)).unwrap();
        assert!(
            svg_of(&html, id) == svg.trim_end(),
            "{id} is not the same drawing in {page}"
        );
        let title: String = chart
            .title
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&title), "«{title}» ({id}) not in the PDF");
    }
}

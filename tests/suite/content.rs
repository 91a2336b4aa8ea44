//! The published content (the frozen copy, [`published`]) against the published document (the
//! seed text, kept under `tests/seed/`): every figure and heading of the transcribed sections
//! reaches the site, and the computed totals agree with the printed ones wherever the document
//! is consistent.

use crate::common::{figures, piao, published, repo, site_text};
use piao::content::model::RevisionKind;
use std::collections::BTreeSet;
use std::fs;
use std::sync::OnceLock;

fn seed() -> String {
    fs::read_to_string(repo().join("tests/seed/piao-2025-2027-aggiornamento.txt")).unwrap()
}

/// The seed from the Premessa to the end of Allegato 1: the whole published text.
fn seed_in_scope() -> String {
    let s = seed();
    let start = s.find("## PREMESSA").unwrap();
    s[start..].to_string()
}

/// The visible text of the published content's site, built once for all tests of this file.
fn site() -> &'static str {
    static SITE: OnceLock<String> = OnceLock::new();
    SITE.get_or_init(|| site_text(&crate::common::published_build().0))
}

/// The check's report on the published content: (declared, computed) for each disagreement.
fn disagreements() -> Vec<(String, String)> {
    let run = piao(&["check", "--content", published().to_str().unwrap()]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stderr)
        .lines()
        .filter_map(|l| {
            l.split_once("il documento riporta ")
                .map(|(_, rest)| rest.to_string())
        })
        .map(|rest| {
            let (declared, computed) = rest
                .split_once(", il valore calcolato è ")
                .expect("both values are reported");
            // The message goes on after the computed value ("; manca la decisione").
            let computed = computed.split(';').next().unwrap_or(computed);
            (declared.to_string(), computed.to_string())
        })
        .collect()
}

/// A printed figure is missing from the site only when it is a printed total that piao
/// recomputed differently: then the site shows the computed value and the check reports both.
#[test]
fn every_figure_of_the_transcribed_sections_reaches_the_site() {
    let site = site();
    let expected = figures(&seed_in_scope());
    let found = figures(site);
    let missing: BTreeSet<String> = expected.difference(&found).cloned().collect();
    let reported = disagreements();
    let recomputed: BTreeSet<String> = reported
        .iter()
        .flat_map(|(declared, _)| figures(declared))
        .collect();
    let unexplained: Vec<&String> = missing.difference(&recomputed).collect();
    assert!(
        unexplained.is_empty(),
        "figures of the document missing from the site: {unexplained:?}"
    );
    for (_, computed) in &reported {
        assert!(
            site.contains(computed.as_str()),
            "the computed value {computed} is shown"
        );
    }
}

/// The published document's totals agree with the computed ones except where its own figures
/// disagree: exactly these places, each reported with both values.
#[test]
fn computed_totals_equal_the_printed_ones_where_the_document_is_consistent() {
    let mut found = disagreements();
    found.sort();
    let mut expected: Vec<(String, String)> = KNOWN_DISAGREEMENTS
        .iter()
        .map(|(d, c)| (d.to_string(), c.to_string()))
        .collect();
    expected.sort();
    assert_eq!(found, expected);
}

/// Where the published PIAO contradicts itself (printed → computed from its own data).
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[
    // Conto economico 2025: the five proventi add up to 20.657.835, not 20.656.835 ...
    ("20.656.835", "20.657.835"),
    // ... so the result of current operations is -3.131.665, not -3.132.665.
    ("-3.132.665", "-3.131.665"),
    // 2.1, Mantova: the prose's 2023 trade, unemployment and production figures differ from
    // the tables' (export, import, balance in millions; unemployment; production).
    ("7.666", "7.637"),
    ("7.632", "7.529"),
    ("34,7", "108,4"),
    ("4,7%", "4,8%"),
    ("4,9%", "-1,0%"),
    // 2.1: rates per 100.000 inhabitants truncated in the prose (335,6 and 413,9).
    ("335", "336"),
    ("413", "414"),
    // 3.1: area shares printed rounded to one decimal (6/106 is 5,66%, printed 5,70%).
    ("5,70%", "5,66%"),
    ("23,60%", "23,58%"),
    ("9,40%", "9,43%"),
    ("34,90%", "34,91%"),
    ("11,30%", "11,32%"),
    ("15,10%", "15,09%"),
    // 3.1: (155 - 106) / 155 is 31,6%, printed "31% circa".
    ("31%", "32%"),
    // 3.1: 19 / 106 is 17,92%, printed 17,93%.
    ("17,93%", "17,92%"),
    // 3.3: dotazione × unit cost gives 4.847.674,59; the two figures derived from it follow.
    ("€ 4.847.674,48", "€ 4.847.674,59"),
    ("€ 3.285.145,07", "€ 3.285.145,14"),
    ("€ 1.500.060,50", "€ 1.500.060,54"),
    // 3.3: the cessazioni of 2026 are 1+1+1 = 3 (the fixed-term dirigente included), the
    // capacity table prints 2.
    ("2", "3"),
    // 2.2: the prose counts 53 operational objectives; 52 are in force after the update.
    ("53", "52"),
    // 2.2: the list prints 45 for the replaced "Gestione della Formazione 2025", its scheda 15.
    ("45", "15"),
];

#[test]
fn headings_and_names_reach_the_site() {
    let site = site().to_lowercase();
    for heading in [
        "Premessa",
        "Sezione 1 – Identità dell'amministrazione",
        "Risorse economiche",
        "Stato patrimoniale",
        "Conto economico",
        "2.1 – Analisi del contesto esterno e del contesto interno",
        "2.2 - Performance",
        "2.3 - Prevenzione della corruzione e trasparenza",
        "3.1 - Struttura organizzativa e risorse umane",
        "3.2 - Organizzazione del lavoro a distanza",
        "3.3 - Fabbisogni di personale",
        "3.4 - Formazione",
        "3.5 - Azioni positive per le pari opportunità",
        "Sezione 4 – Monitoraggio del PIAO",
        "4.1 Modalità del monitoraggio",
        "Camera di commercio di Cremona-Mantova-Pavia",
        "Aggiornamento",
        "Milano",
        "Sondrio",
        "Monza e Brianza",
        "Whistle-blowing",
        "Syllabus",
        "Comitato Unico di Garanzia",
        "Spesa potenziale massima",
        "Progressioni in deroga",
    ] {
        assert!(
            site.contains(&heading.to_lowercase()),
            "«{heading}» is not in the site"
        );
    }
}

#[test]
fn key_figures_are_formatted_the_italian_way() {
    let site = site();
    for figure in [
        "89.850.797",
        "-3.131.665",
        "€ 3.347.614,05",
        "€ 4.847.674,48",
        "€ 294.152,87",
        "97,20",
        "68,4%",
        "62,26%",
        "41.568,9",
        "26.286.694.492",
        "4.025,67",
        "20.951,78",
        "183,55",
    ] {
        assert!(site.contains(figure), "«{figure}» is not in the site");
    }
}

/// The revisions of the update in the prose and tables (the hiring plan of 3.3) are data:
/// old value, new value and reason. Those of the objectives are tested in `obiettivi.rs`.
#[test]
fn revisions_of_the_update_are_kept_as_data() {
    let view = piao::prepare(&published(), &piao::Options::default())
        .unwrap()
        .view;
    let revisions: Vec<(&str, &str, &str)> = view
        .amendments
        .iter()
        .filter(|r| r.kind == RevisionKind::Update)
        .map(|r| (r.old.as_str(), r.new.as_str(), r.reason.as_str()))
        .collect();
    assert_eq!(revisions.len(), 76, "{revisions:?}");
    // The count of objectives in the prose follows the removal of OO 4.1.1: a consequence.
    assert!(
        view.amendments
            .iter()
            .any(|r| r.kind == RevisionKind::Consequence
                && (r.old.as_str(), r.new.as_str()) == ("53", "52"))
    );
    assert!(revisions.contains(&("7", "6", "Aggiornamento")));
    assert!(revisions.contains(&("€ 215.550,79", "€ 184.757,82", "Aggiornamento")));
    assert!(
        revisions
            .iter()
            .any(|(old, new, _)| old.is_empty() && new.contains("chiamata diretta"))
    );
    assert!(
        revisions
            .iter()
            .any(|(old, new, _)| old.is_empty() && new.contains("Nelle more dell'espletamento"))
    );
}

/// Disagreements between two printed figures that no computation can settle (a misprint in
/// one table) are invariants the content accepts with a reason: reported with both values.
#[test]
fn misprints_are_reported_as_accepted_violations_with_both_values() {
    let run = piao(&["check", "--content", published().to_str().unwrap()]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    let accepted: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("accettato: "))
        .collect();
    assert_eq!(accepted.len(), 2, "{stderr}");
    assert!(
        accepted[0].contains("(2.912,7 contro 21.708)"),
        "{}",
        accepted[0]
    );
    assert!(accepted[1].contains("(2,8 contro 208)"), "{}", accepted[1]);
    assert!(
        accepted
            .iter()
            .all(|l| l.contains("accettata: Refuso del documento pubblicato"))
    );
}

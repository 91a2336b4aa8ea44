//! Every derived figure of the published content ([`published`]) against the published
//! document, wherever the document is consistent; and one primary input changed in a copy of
//! it moving every figure that depends on it, in tables and in prose.

use crate::common::{build_into, copy_tree, piao, published, site_text};
use piao::compute::model::Computed;
use rust_decimal::Decimal;
use std::fs;
use std::str::FromStr;
use std::sync::OnceLock;

/// The published content's figures, computed once for the tests of this file (nothing is
/// rendered: the figures are all there before).
fn computed() -> &'static Computed {
    static COMPUTED: OnceLock<Computed> = OnceLock::new();
    COMPUTED.get_or_init(
        || match piao::prepare(&published(), &piao::Options::default()) {
            Ok(p) => p.computed,
            Err(e) => panic!("{e:?}"),
        },
    )
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A quantity rounded as the document prints it.
fn quantity(c: &Computed, id: &str) -> Decimal {
    let q = &c.quantities[id];
    piao::format::round(q.value, q.decimals)
}

fn cell(c: &Computed, table: &str, row: &str, col: &str) -> Decimal {
    let t = &c.tables[table];
    let r = t
        .rows
        .iter()
        .find(|r| r.id.as_deref() == Some(row))
        .unwrap_or_else(|| panic!("{table}.{row}"));
    let i = t
        .columns
        .iter()
        .position(|x| x.id == col)
        .unwrap_or_else(|| panic!("{table}.{col}"));
    r.cells[i]
        .number()
        .unwrap_or_else(|| panic!("{table}.{row}.{col} is not a number"))
}

#[test]
fn staff_figures() {
    let c = computed();
    assert_eq!(cell(c, "personale_aree", "totale", "totale"), d("106"));
    assert_eq!(cell(c, "personale_aree", "fte", "totale"), d("97.20"));
    assert_eq!(cell(c, "personale_aree", "totale", "anagrafica"), d("37"));
    assert_eq!(cell(c, "personale_eta", "totale", "da_51_a_60"), d("66"));
    assert_eq!(quantity(c, "quota_51_60"), d("62.26"));
    assert_eq!(quantity(c, "quota_30_40"), d("0.94"));
    assert_eq!(quantity(c, "quota_oltre_60"), d("18.87"));
    // The document prints shares rounded to one decimal (5,70%): the exact ones differ.
    assert_eq!(quantity(c, "quota_staff"), d("5.66"));
    assert_eq!(quantity(c, "part_time"), d("30"));
}

#[test]
fn remote_work_figures() {
    let c = computed();
    assert_eq!(
        cell(c, "lavoro_distanza_sedi", "totale", "totale_distanza"),
        d("37")
    );
    assert_eq!(
        piao::format::round(cell(c, "lavoro_distanza_sedi", "totale", "percentuale"), 0),
        d("35")
    );
    assert_eq!(
        piao::format::round(cell(c, "lavoro_distanza_sedi", "cremona", "percentuale"), 0),
        d("44")
    );
    assert_eq!(
        piao::format::round(cell(c, "lavoro_distanza_aree", "totale", "percentuale"), 0),
        d("35")
    );
    assert_eq!(
        cell(c, "lavoro_distanza_aree", "totale", "totale_rw"),
        d("30")
    );
}

#[test]
fn establishment_and_cost_figures() {
    let c = computed();
    assert_eq!(
        cell(c, "dotazione_organica", "totale", "posti_scoperti"),
        d("49")
    );
    assert_eq!(quantity(c, "grado_copertura"), d("68.4"));
    assert_eq!(
        cell(c, "costo_personale", "istruttori", "spesa"),
        d("1662820.38")
    );
    assert_eq!(quantity(c, "spesa_in_servizio"), d("3347614.05"));
    // Dotazione × unit cost: the document prints 4.847.674,48.
    assert_eq!(quantity(c, "spesa_potenziale"), d("4847674.59"));
    assert_eq!(quantity(c, "costo_tempo_determinato"), d("62468.91"));
}

#[test]
fn hiring_capacity_budget_and_carry_overs() {
    let c = computed();
    assert_eq!(
        cell(c, "capacita_assunzionali", "totale", "cap_2024"),
        d("147175.59")
    );
    assert_eq!(
        cell(c, "capacita_assunzionali", "totale", "cap_2025"),
        d("146977.28")
    );
    assert_eq!(
        cell(c, "capacita_assunzionali", "totale", "cap_2026"),
        d("110825.43")
    );
    // The fixed-term dirigente leaving in 2026 generates no capacity for 2027.
    assert_eq!(
        cell(c, "capacita_assunzionali", "dirigenti", "cap_2027"),
        d("0")
    );
    assert_eq!(
        cell(c, "capacita_assunzionali", "totale", "cap_2027"),
        d("53715.40")
    );
    assert_eq!(quantity(c, "budget_2025"), d("294152.87"));
    assert_eq!(quantity(c, "budget_2025_comparto"), d("231683.96"));
    assert_eq!(quantity(c, "budget_2025_piu_spesa"), d("3641766.92"));
    assert_eq!(quantity(c, "spesa_selezione_2025"), d("184757.82"));
    assert_eq!(quantity(c, "resto_2025"), d("78602.08"));
    assert_eq!(quantity(c, "budget_2026"), d("189427.51"));
    assert_eq!(quantity(c, "resto_2026"), d("1167.76"));
    assert_eq!(quantity(c, "budget_2027"), d("54883.16"));
    assert_eq!(quantity(c, "resto_2027"), d("24090.19"));
}

#[test]
fn progressions() {
    let c = computed();
    assert_eq!(
        cell(
            c,
            "progressioni",
            "istruttore_funzionario",
            "costo_complessivo"
        ),
        d("15827.36")
    );
    assert_eq!(
        cell(c, "progressioni", "spesa_totale", "costo_complessivo"),
        d("20951.78")
    );
    assert_eq!(quantity(c, "economia_progressioni"), d("183.55"));
    assert_eq!(quantity(c, "numero_progressioni"), d("10"));
}

#[test]
fn financial_statements() {
    let c = computed();
    assert_eq!(
        cell(c, "stato_patrimoniale", "totale_attivo", "al_31_12_2024"),
        d("89850797")
    );
    assert_eq!(
        cell(c, "stato_patrimoniale", "totale_passivo", "al_31_12_2024"),
        d("89850797")
    );
    assert_eq!(
        cell(c, "stato_patrimoniale", "totale_passivo", "al_18_11_2024"),
        d("89855613")
    );
    assert_eq!(
        cell(c, "conto_economico", "totale_oneri", "anno_2025"),
        d("23789500")
    );
    assert_eq!(
        cell(
            c,
            "conto_economico",
            "risultato_gestione_corrente",
            "anno_2024"
        ),
        d("-5457316")
    );
    // The five proventi 2025 add up to 20.657.835 (the document prints 20.656.835).
    assert_eq!(
        cell(c, "conto_economico", "totale_proventi", "anno_2025"),
        d("20657835")
    );
}

#[test]
fn territorial_totals() {
    let c = computed();
    assert_eq!(
        cell(c, "indicatori_territoriali", "totale", "valore_aggiunto"),
        d("41568.9")
    );
    assert_eq!(
        cell(c, "indicatori_territoriali", "totale", "import"),
        d("26286694492")
    );
}

#[test]
fn antimafia_and_crime_figures() {
    let c = computed();
    for (id, expected) in [
        ("pv_interdittive_comunicazioni", "4"),
        ("pv_interdittive_informazioni", "3"),
        ("mn_interdittive_comunicazioni", "22"),
        ("mn_interdittive_informazioni", "10"),
        ("cr_interdittive_comunicazioni", "13"),
        ("cr_interdittive_informazioni", "8"),
        ("pv_interdittive_2023", "0"),
        ("mn_interdittive_2023", "0"),
        ("cr_interdittive_2023", "1"),
    ] {
        assert_eq!(quantity(c, id), d(expected), "{id}");
    }
    // Total reports over the index per 100.000 give the population behind every rate.
    assert_eq!(
        piao::format::round(c.quantities["pv_abitanti"].value, 0),
        d("539239")
    );
}

/// One more cessazione in 2024 (an istruttore), typed once in the table of cessazioni: the
/// capacity table reads it, and the 2025 capacity, the budget, every remainder carried over
/// and the sentences quoting them follow.
#[test]
fn one_more_cessazione_moves_every_dependent_figure() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&published(), &content);
    let before = site_text(&build_into(&content, &dir.path().join("prima")));
    assert!(before.contains("Budget occupazionale 2025: € 294.152,87"));

    crate::common::edit(
        &content.join("03-organizzazione/cessazioni.json"),
        "[\"ISTRUTTORI\", 3, 1, 1, 0, 0]",
        "[\"ISTRUTTORI\", 3, 2, 1, 0, 0]",
    );
    let after = site_text(&build_into(&content, &dir.path().join("dopo")));
    // 294.152,87 + 30.792,97 and every remainder downstream.
    for figure in [
        "Budget occupazionale 2025: € 324.945,84",
        "resto di € 109.395,05",
        "Budget occupazionale 2026: € 220.220,48",
        "resto di € 31.960,73",
        "Budget occupazionale 2027: € 85.676,13",
        "resto di € 54.883,16",
        "pari ad € 3.672.559,89",
    ] {
        assert!(
            after.contains(figure),
            "«{figure}» missing after the change"
        );
    }
    // The printed figure survives only in the check report, beside the computed one.
    assert_eq!(after.matches("€ 294.152,87").count(), 1);
    assert!(after.contains("documento: € 294.152,87; calcolato: € 324.945,84"));
}

/// A different unit cost changes the staff cost, the potential expenditure, the capacities,
/// the hiring costs and the remainders.
#[test]
fn a_different_unit_cost_moves_every_dependent_figure() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&published(), &content);
    // Typed once, in the cost table: the capacity table and the quantities read it.
    let path = content.join("03-organizzazione/costo_personale.json");
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("30792.97").count(), 1);
    fs::write(&path, text.replace("30792.97", "31000")).unwrap();
    // The capacity table prints the old figure only as the published one (`dichiarato`).
    let capacity: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(content.join("03-organizzazione/capacita_assunzionali.json")).unwrap(),
    )
    .unwrap();
    for row in capacity["righe"].as_array().unwrap() {
        assert!(!row["valori"].to_string().contains("30792.97"), "{row}");
    }
    let after = site_text(&build_into(&content, &dir.path().join("dopo")));
    for figure in [
        // the 2024 capacity of the istruttori: 3 cessazioni 2023 × 31.000
        "93.000,00",
        // 54 × 31.000
        "1.674.000,00",
        // spesa in servizio 3.347.614,05 − 54 × 30.792,97 + 54 × 31.000
        "€ 3.358.793,67",
        // 6 × 31.000 for the 2025 public selection
        "€ 186.000,00",
    ] {
        assert!(
            after.contains(figure),
            "«{figure}» missing after the change"
        );
    }
}

/// Weights are checked after the revisions: the real groups sum to 100, and a planner who
/// raises one weight without lowering another is warned (stopped with `--strict`) with the
/// group named.
#[test]
fn weights_sum_to_100_in_every_group() {
    let c = computed();
    for os in [
        "1_1", "1_2", "1_3", "1_4", "1_5", "2_1", "2_2", "2_3", "2_4", "3_1", "3_2", "4_1",
    ] {
        assert_eq!(
            cell(
                c,
                "pesi_obiettivi_operativi",
                &format!("totale_os_{os}"),
                "peso"
            ),
            d("100"),
            "OS {os}"
        );
    }
    for area in 1..=4 {
        assert_eq!(
            cell(
                c,
                "pesi_obiettivi_strategici",
                &format!("totale_as_{area}"),
                "peso"
            ),
            d("100"),
            "AS {area}"
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&published(), &content);
    crate::common::edit(
        &content.join("obiettivi/operativi/oo-1.1.1.json"),
        "\"peso\": 30",
        "\"peso\": 35",
    );
    let message = "obiettivi/strategici/os-1.1.json:2:13: I pesi degli obiettivi operativi in vigore di OS 1.1 sommano a 100: la somma è 105 invece di 100";
    let run = piao(&["check", "--content", content.to_str().unwrap()]);
    assert!(run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("avviso: ") && stderr.contains(message),
        "{stderr}"
    );
    let run = piao(&["check", "--strict", "--content", content.to_str().unwrap()]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("errore: ") && stderr.contains(message),
        "{stderr}"
    );
}

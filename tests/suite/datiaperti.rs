//! Open data (issue 16): every table of the site as CSV and JSON in `sito/dati/`, described by
//! a Frictionless `datapackage.json`. The CSVs are parsed and compared with the computed model
//! (each figure as a Decimal, each row and column, the documented headers), for the planner's
//! `content/` and the small fixtures, in both editions; the package is validated by the
//! `frictionless` PyPI package (what `.ci/run` installs in `tests/venv`), which also checks
//! each CSV against its schema. A missing validator fails the test with what to install.

use crate::common::{build_with, edit, fixture, html_pages, planner_content, repo, run_build_with};
use piao::compute::model::{RowKind, Table, Value};
use piao::content::model::ColumnKind;
use piao::{Edition, Options, Prepared};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::sync::OnceLock;

const GROUP: &str = "Gruppo";
const ROW_KIND: &str = "Tipo di riga";
const PREVIOUS: &str = " – valore precedente";

/// The site only (the open data is part of it), into a fresh folder.
fn build_site(content: &Path, edition: &str) -> PathBuf {
    let out = tempfile::tempdir().unwrap().keep().join("out");
    build_with(content, &out, &["--solo", "html", "--edizione", edition]);
    out
}

/// The planner's content built once per edition for the tests that read it.
fn planner_build(edition: Edition) -> &'static Path {
    static MARKED: OnceLock<PathBuf> = OnceLock::new();
    static CONSOLIDATED: OnceLock<PathBuf> = OnceLock::new();
    match edition {
        Edition::Marked => MARKED.get_or_init(|| build_site(&planner_content(), "modifiche")),
        Edition::Consolidated => {
            CONSOLIDATED.get_or_init(|| build_site(&planner_content(), "consolidata"))
        }
    }
}

fn prepared(content: &Path, edition: Edition) -> Prepared {
    let options = Options {
        edition,
        ..Options::default()
    };
    piao::prepare(content, &options).unwrap_or_else(|e| panic!("{e:?}"))
}

/// A CSV as its header and records, read strictly (every record as long as the header).
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        !bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "{}: UTF-8 senza BOM",
        path.display()
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            r.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
                .iter()
                .map(String::from)
                .collect()
        })
        .collect();
    (header, rows)
}

/// The figure the site shows, as the CSV must write it: rounded to the printed decimals.
fn expected_number(n: Decimal, decimals: u32) -> Decimal {
    piao::format::round(n, decimals)
}

/// The cell's value as the CSV must hold it, compared as text for texts and as a Decimal for
/// figures (a blank label, which the CSV fills from the row above as the site does, is not
/// compared).
fn assert_cell(csv: &str, value: &Value, kind: ColumnKind, decimals: u32, what: &str) {
    match value.current() {
        Value::Number(n) if kind != ColumnKind::Text => {
            let got = Decimal::from_str(csv)
                .unwrap_or_else(|e| panic!("{what}: «{csv}» non è un numero con il punto ({e})"));
            assert_eq!(got, expected_number(*n, decimals), "{what}");
            assert!(
                !csv.contains(','),
                "{what}: nessun separatore delle migliaia"
            );
        }
        Value::Number(n) => assert_eq!(Decimal::from_str(csv).ok(), Some(*n), "{what}"),
        Value::Text(t) => {
            let plain = piao::markdown::to_text(&piao::critic::consolidate(t));
            if !plain.is_empty() {
                assert_eq!(csv, plain, "{what}");
            }
        }
        Value::Empty | Value::Dash | Value::Revised(_) => {}
    }
}

/// Which CSV column holds each column of the table, and the old-value column after it.
struct Layout {
    grouped: bool,
    kinds: bool,
    columns: Vec<(usize, Option<usize>)>,
}

fn layout(header: &[String], t: &Table, id: &str) -> Layout {
    let grouped = header.first().is_some_and(|h| h == GROUP);
    let kinds = header.last().is_some_and(|h| h == ROW_KIND);
    let mut columns = Vec::new();
    let mut i = usize::from(grouped);
    while i < header.len() - usize::from(kinds) {
        let old = header
            .get(i + 1)
            .filter(|h| **h == format!("{}{PREVIOUS}", header[i]))
            .map(|_| i + 1);
        columns.push((i, old));
        i += 1 + usize::from(old.is_some());
    }
    assert_eq!(
        columns.len(),
        t.columns.len(),
        "{id}: una colonna del CSV per colonna della tabella: {header:?}"
    );
    assert_eq!(
        grouped,
        t.rows.iter().any(|r| r.kind == RowKind::Group),
        "{id}: colonna «{GROUP}» se e solo se la tabella ha gruppi"
    );
    assert_eq!(
        kinds,
        t.rows
            .iter()
            .any(|r| matches!(r.kind, RowKind::Total | RowKind::Calc)),
        "{id}: colonna «{ROW_KIND}» se e solo se la tabella ha totali o righe calcolate"
    );
    Layout {
        grouped,
        kinds,
        columns,
    }
}

/// Every table's CSV against the computed model, and its JSON twin against the CSV.
fn assert_tables_match(content: &Path, out: &Path, edition: Edition) {
    let prepared = prepared(content, edition);
    let dati = out.join("sito/dati");
    assert!(!prepared.computed.tables.is_empty());
    for (id, t) in &prepared.computed.tables {
        let csv_path = dati.join("tabelle").join(format!("{id}.csv"));
        let (header, rows) = read_csv(&csv_path);
        let l = layout(&header, t, id);
        // Headers: self-explanatory, with the unit of a percentage.
        for (c, column) in t.columns.iter().enumerate() {
            let h = &header[l.columns[c].0];
            assert!(!h.trim().is_empty(), "{id}: intestazione vuota");
            if column.kind == ColumnKind::Percent {
                assert!(h.contains('%'), "{id}: «{h}» senza l'unità %");
            }
        }
        let data: Vec<_> = t
            .rows
            .iter()
            .filter(|r| r.kind != RowKind::Group)
            .filter(|r| !(r.kind == RowKind::Data && r.cells.iter().all(|c| *c == Value::Empty)))
            .collect();
        assert_eq!(rows.len(), data.len(), "{id}: una riga per riga di dati");
        let mut group = String::new();
        let mut row_iter = rows.iter();
        for row in &t.rows {
            if row.kind == RowKind::Group {
                group = row
                    .group
                    .first()
                    .map(|g| piao::markdown::to_text(g))
                    .unwrap_or_default();
                continue;
            }
            if row.kind == RowKind::Data && row.cells.iter().all(|c| *c == Value::Empty) {
                continue;
            }
            let record = row_iter.next().unwrap();
            if l.grouped {
                assert_eq!(record[0], group, "{id}: il gruppo della riga");
            }
            if l.kinds {
                let kind = match row.kind {
                    RowKind::Total => "totale",
                    RowKind::Calc => "calcolo",
                    _ => "dato",
                };
                assert_eq!(record.last().unwrap(), kind, "{id}: tipo di riga");
            }
            for (c, column) in t.columns.iter().enumerate() {
                let (at, old_at) = l.columns[c];
                let decimals = t.decimals(row, c);
                let what = format!("{id}, riga «{}», colonna «{}»", row.label(), header[at]);
                assert_cell(&record[at], &row.cells[c], column.kind, decimals, &what);
                match (&row.cells[c], old_at) {
                    (Value::Revised(r), Some(old)) => {
                        assert_eq!(edition, Edition::Marked, "{what}");
                        if r.old.current() == &Value::Empty {
                            assert_eq!(record[old], "", "{what}: nulla prima");
                        } else {
                            assert_cell(
                                &record[old],
                                r.old.current(),
                                column.kind,
                                decimals,
                                &what,
                            );
                        }
                    }
                    (Value::Revised(_), None) => {
                        panic!("{what}: cella modificata senza la colonna del valore precedente")
                    }
                    (_, Some(old)) => assert_eq!(record[old], "", "{what}: invariata"),
                    (_, None) => {}
                }
            }
        }
        assert_json_twin(
            &dati.join("tabelle").join(format!("{id}.json")),
            &header,
            &rows,
        );
    }
}

/// The JSON twin holds the CSV's fields and values.
fn assert_json_twin(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let fields: Vec<&str> = json["campi"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["nome"].as_str().unwrap())
        .collect();
    let header_names: Vec<&str> = header.iter().map(String::as_str).collect();
    assert_eq!(fields, header_names, "{}", path.display());
    let records = json["righe"].as_array().unwrap();
    assert_eq!(records.len(), rows.len(), "{}", path.display());
    for (record, row) in records.iter().zip(rows) {
        for (h, csv) in header.iter().zip(row) {
            let v = &record[h.as_str()];
            let same = match v {
                serde_json::Value::Null => csv.is_empty(),
                serde_json::Value::String(s) => s == csv,
                serde_json::Value::Number(n) => {
                    Decimal::from_str(&n.to_string()).ok() == Decimal::from_str(csv).ok()
                }
                _ => false,
            };
            assert!(same, "{}: «{h}» {v} ≠ «{csv}»", path.display());
        }
    }
}

#[test]
fn every_table_of_the_content_matches_its_csv_and_json_in_both_editions() {
    for edition in [Edition::Marked, Edition::Consolidated] {
        assert_tables_match(&planner_content(), planner_build(edition), edition);
    }
}

#[test]
fn the_fixture_tables_follow_the_documented_conventions() {
    let (_dir, content) = fixture("minimo");
    let marked = build_site(&content, "modifiche");
    assert_tables_match(&content, &marked, Edition::Marked);
    let (header, rows) = read_csv(&marked.join("sito/dati/tabelle/attivo.csv"));
    assert_eq!(header[0], "Voce");
    assert_eq!(header[1], "Importo");
    assert_eq!(header[2], format!("Importo{PREVIOUS}"));
    assert!(header.contains(&"Quota (%)".to_string()), "{header:?}");
    assert_eq!(header.last().unwrap(), ROW_KIND);
    // «Liquidità»: 100 → 200,25, with two decimals as the site prints it.
    let liquidity = rows.iter().find(|r| r[0] == "Liquidità").unwrap();
    assert_eq!(
        (liquidity[1].as_str(), liquidity[2].as_str()),
        ("200.25", "100.00")
    );
    let credits = rows.iter().find(|r| r[0] == "Crediti").unwrap();
    assert_eq!((credits[1].as_str(), credits[2].as_str()), ("1234.50", ""));
    let total = rows.iter().find(|r| r[0] == "TOTALE").unwrap();
    assert_eq!(total[1], "1434.75");
    assert_eq!(total.last().unwrap(), "totale");

    let consolidated = build_site(&content, "consolidata");
    assert_tables_match(&content, &consolidated, Edition::Consolidated);
    let (header, _) = read_csv(&consolidated.join("sito/dati/tabelle/attivo.csv"));
    assert!(
        !header.iter().any(|h| h.ends_with(PREVIOUS)),
        "il testo consolidato non ha valori precedenti: {header:?}"
    );
}

#[test]
fn documented_headers_of_the_real_tables() {
    let out = planner_build(Edition::Consolidated);
    let header = |id: &str| read_csv(&out.join(format!("sito/dati/tabelle/{id}.csv"))).0;
    // Two header rows flattened, one title per column.
    let h = header("lavoro_distanza_aree");
    assert!(h.contains(&"SMART WORKING – CR".to_string()), "{h:?}");
    assert!(
        h.contains(&"REMOTE WORKING – Totale RW".to_string()),
        "{h:?}"
    );
    // A header row over every column is the table's title, not part of a column's.
    let h = header("congiuntura_industria");
    assert!(h.iter().all(|x| !x.contains("INDAGINE")), "{h:?}");
    assert!(h.contains(&"Congiunturale (%)".to_string()), "{h:?}");
    // Group rows are a column, totals are rows marked as such.
    assert_eq!(h.first().unwrap(), GROUP);
    let h = header("costo_personale");
    assert_eq!(h.last().unwrap(), ROW_KIND);
}

#[test]
fn the_cascade_is_published_as_keyed_tables() {
    let out = planner_build(Edition::Consolidated);
    let dati = out.join("sito/dati/obiettivi");
    let prepared = prepared(&planner_content(), Edition::Consolidated);
    let objs = prepared.book.objectives.as_ref().unwrap();
    let (h, rows) = read_csv(&dati.join("strategici.csv"));
    assert_eq!(h[0], "Codice");
    let codes: Vec<&str> = objs
        .strategic
        .iter()
        .filter(|o| o.spec.in_force())
        .map(|o| o.spec.code.as_str())
        .collect();
    assert_eq!(
        rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        codes
    );
    let (_, rows) = read_csv(&dati.join("operativi.csv"));
    assert_eq!(
        rows.len(),
        objs.operational
            .iter()
            .filter(|o| o.spec.in_force())
            .count()
    );
    // One target per indicator and year: three years for a strategic indicator.
    let (h, rows) = read_csv(&dati.join("target.csv"));
    assert_eq!(&h[..3], ["Codice obiettivo", "N. indicatore", "Anno"]);
    let first = &codes[0];
    let years: Vec<&str> = rows
        .iter()
        .filter(|r| r[0] == *first && r[1] == "1")
        .map(|r| r[2].as_str())
        .collect();
    assert_eq!(years, ["2025", "2026", "2027"]);
    let package: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("sito/dati/datapackage.json")).unwrap())
            .unwrap();
    let resources = package["resources"].as_array().unwrap();
    let key = |name: &str| {
        resources
            .iter()
            .find(|r| r["name"] == name)
            .map(|r| r["schema"]["primaryKey"].clone())
            .unwrap()
    };
    assert_eq!(key("obiettivi-strategici"), serde_json::json!(["Codice"]));
    assert_eq!(
        key("target-indicatori"),
        serde_json::json!(["Codice obiettivo", "N. indicatore", "Anno"])
    );
}

/// The `frictionless` command: `PIAO_FRICTIONLESS`, the one `.ci/run` installs, or on PATH.
fn frictionless() -> PathBuf {
    if let Some(p) = std::env::var_os("PIAO_FRICTIONLESS") {
        return PathBuf::from(p);
    }
    let venv = repo().join("tests/venv/bin/frictionless");
    if venv.is_file() {
        return venv;
    }
    PathBuf::from("frictionless")
}

fn validate(package: &Path) {
    let tool = frictionless();
    let run = Command::new(&tool)
        .args(["validate", "--json"])
        .arg(package)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "frictionless non eseguibile ({}: {e}): installarlo con `python3 -m venv tests/venv && tests/venv/bin/pip install frictionless` (come fa .ci/run) o indicarlo in PIAO_FRICTIONLESS",
                tool.display()
            )
        });
    let stdout = String::from_utf8_lossy(&run.stdout);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "risposta di frictionless illeggibile ({e}):\n{stdout}\n{}",
            String::from_utf8_lossy(&run.stderr)
        )
    });
    assert_eq!(
        report["valid"],
        serde_json::Value::Bool(true),
        "{} non valido:\n{}",
        package.display(),
        serde_json::to_string_pretty(&report).unwrap()
    );
    let tasks = report["tasks"].as_array().map_or(0, Vec::len);
    assert!(
        tasks > 0,
        "frictionless non ha controllato alcun file: {stdout}"
    );
}

#[test]
fn the_data_package_validates_with_frictionless() {
    validate(&planner_build(Edition::Marked).join("sito/dati/datapackage.json"));
    let (_dir, content) = fixture("cascata");
    validate(&build_site(&content, "modifiche").join("sito/dati/datapackage.json"));
}

#[test]
fn two_builds_give_identical_data() {
    let read = |out: &Path| -> BTreeMap<PathBuf, Vec<u8>> {
        let dati = out.join("sito/dati");
        walkdir::WalkDir::new(&dati)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(&dati).unwrap().to_path_buf(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let first = read(planner_build(Edition::Marked));
    let second = read(&build_site(&planner_content(), "modifiche"));
    assert!(first.len() > 20, "{:?}", first.keys().collect::<Vec<_>>());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(second[path] == *bytes, "{} differisce", path.display());
    }
}

/// The addresses a page links, resolved against the page's folder (`..` taken away).
fn links(page: &Path, html: &str) -> Vec<PathBuf> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| !h.starts_with("http") && !h.starts_with('#') && !h.starts_with("mailto:"))
        .map(|h| {
            let joined = page.parent().unwrap().join(h.split('#').next().unwrap());
            let mut out = PathBuf::new();
            for c in joined.components() {
                match c {
                    std::path::Component::ParentDir => {
                        out.pop();
                    }
                    other => out.push(other),
                }
            }
            out
        })
        .collect()
}

#[test]
fn every_table_links_its_data_and_the_links_resolve() {
    let out = planner_build(Edition::Marked);
    let site = out.join("sito");
    let mut tables = 0;
    for page in html_pages(&site) {
        let html = fs::read_to_string(&page).unwrap();
        for figure in html
            .split("<figure class=\"tabella\" id=\"tabella-")
            .skip(1)
        {
            let id = figure.split('"').next().unwrap();
            let figure = figure.split("</figure>").next().unwrap();
            tables += 1;
            let line = figure
                .split("<p class=\"scarica-dati\">")
                .nth(1)
                .unwrap_or_else(|| {
                    panic!("{}: la tabella {id} senza «Scarica i dati»", page.display())
                });
            let line = line.split("</p>").next().unwrap();
            assert!(line.starts_with("Scarica i dati:"), "{line}");
            for ext in ["csv", "json"] {
                assert!(
                    line.contains(&format!("dati/tabelle/{id}.{ext}\"")),
                    "{}: {id} senza {ext}: {line}",
                    page.display()
                );
            }
            // Each link names its table for a screen reader.
            assert_eq!(line.matches("della tabella «").count(), 2, "{line}");
            for target in links(&page, line) {
                assert!(
                    target.is_file(),
                    "{}: {} non c'è",
                    page.display(),
                    target.display()
                );
            }
        }
    }
    let prepared = prepared(&planner_content(), Edition::Marked);
    assert!(
        tables >= prepared.computed.tables.len(),
        "{tables} tabelle nel sito"
    );

    // The "Dati aperti" page lists every file of the package, and the footer links it.
    let page = site.join("dati/index.html");
    let html = fs::read_to_string(&page).unwrap();
    let targets = links(&page, &html);
    for target in &targets {
        if target.starts_with(site.join("dati")) {
            assert!(target.is_file(), "{} non c'è", target.display());
        }
    }
    let package: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site.join("dati/datapackage.json")).unwrap())
            .unwrap();
    for r in package["resources"].as_array().unwrap() {
        let path = site.join("dati").join(r["path"].as_str().unwrap());
        assert!(path.is_file(), "{}", path.display());
        assert!(
            targets
                .iter()
                .any(|t| t.ends_with(r["path"].as_str().unwrap())),
            "la pagina dei dati aperti non collega {}",
            r["path"]
        );
    }
    assert!(html.contains("CC-BY-4.0"), "la licenza predefinita");
    let home = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(home.contains("href=\"dati/index.html\">Dati aperti</a>"));
}

#[test]
fn a_bad_licence_is_refused_at_its_place_by_build_and_check() {
    let (dir, content) = fixture("minimo");
    let out = dir.path().join("out");
    build_with(&content, &out, &["--solo", "html"]);
    let before = fs::read(out.join("sito/dati/datapackage.json")).unwrap();
    let manifest = content.join("documento.json");
    edit(
        &manifest,
        "\"data\": \"2025-06-30\"",
        "\"data\": \"2025-06-30\",\n  \"licenza\": \"CC-BY\"",
    );
    let text = fs::read_to_string(&manifest).unwrap();
    let line = text.lines().position(|l| l.contains("licenza")).unwrap() + 1;
    // The value's span on its line: the error is at the value.
    let start = text
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("\"CC-BY\"")
        .unwrap()
        + 1;
    let span = start..=start + "\"CC-BY\"".len();
    let run = run_build_with(&content, &out, &["--solo", "html"]);
    let check = crate::common::piao(&["check", "--content", content.to_str().unwrap()]);
    for (what, run) in [("build", run), ("check", check)] {
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{what}: {stderr}");
        let column: usize = stderr
            .split(&format!("documento.json:{line}:"))
            .nth(1)
            .and_then(|rest| rest.split(':').next())
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("{what}: non alla riga {line}: {stderr}"));
        assert!(
            span.contains(&column),
            "{what}: colonna {column} fuori da {span:?}"
        );
        assert!(
            stderr.contains("CC-BY-4.0") && stderr.contains("IODL-2.0"),
            "{what}: {stderr}"
        );
        assert!(
            stderr.contains("licenza dei dati aperti non riconosciuta «CC-BY»"),
            "{what}: {stderr}"
        );
    }
    assert_eq!(
        fs::read(out.join("sito/dati/datapackage.json")).unwrap(),
        before,
        "l'uscita precedente resta intatta"
    );

    // A known licence is written into the package and the page.
    edit(&manifest, "\"CC-BY\"", "\"CC0-1.0\"");
    build_with(&content, &out, &["--solo", "html"]);
    let package = fs::read_to_string(out.join("sito/dati/datapackage.json")).unwrap();
    assert!(package.contains("\"name\": \"CC0-1.0\""), "{package}");
    assert!(package.contains("creativecommons.org/publicdomain/zero/1.0/"));
}

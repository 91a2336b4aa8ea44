//! The planner's own document. `content/` belongs to the office, which updates it after every
//! decision of the Giunta: the suite pins none of its figures (those of the published text are
//! pinned on the frozen copy, [`crate::common::published`]) and asserts only what holds for
//! any valid content — the *content checks* of [`content_checks`]. They run on `content/` as
//! it is and on copies edited the way a planner edits it, so a red suite means a broken
//! program, never a changed plan.

use crate::common::{
    copy_tree, figures, html_pages, pdf_text, piao, planner_content, run_build, site, visible_text,
};
use piao::compute::model::{Computed, RowKind, Table, Value};
use piao::content::model::{Book, OperationalSpec, Revisable};
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;
use tempfile::TempDir;

/// What the content checks leave behind, for the tests that compare two versions of a plan.
pub struct Checked {
    _dir: TempDir,
    /// The published folder: the site and the PDF.
    out: PathBuf,
    /// The loaded content (its objectives, its manifest).
    book: Book,
    /// Every figure, as computed.
    computed: Computed,
    /// Every revision of the update, in the Prospetto's order.
    amendments: Vec<(String, String, String)>,
    /// The PDF's text, whitespace collapsed.
    pdf_text: String,
}

impl Checked {
    /// The visible text of a page of the site.
    fn page(&self, url: &str) -> String {
        let html = fs::read_to_string(site(&self.out).join(url))
            .unwrap_or_else(|e| panic!("{url} is not in the site: {e}"));
        visible_text(&html)
    }

    /// The visible text of a data table wherever the site shows it (empty when it is in no
    /// page): its caption and cells, without the notes and reasons under it.
    fn table_text(&self, id: &str) -> String {
        let start = format!("<figure class=\"tabella\" id=\"tabella-{id}\">");
        let mut text = String::new();
        for page in html_pages(&self.out) {
            let html = fs::read_to_string(&page).unwrap();
            for figure in html.split(start.as_str()).skip(1) {
                let table = figure.split("</table>").next().unwrap_or_default();
                text.push_str(&visible_text(table));
                text.push('\n');
            }
        }
        text
    }
}

/// The suite's checks of a content folder, true of any valid content: `piao check` accepts
/// it; `piao build` publishes both products without an error; a second build (through the
/// library) gives the same bytes; every objective has its page with its code and people;
/// every number typed in a table shown on the site is there, read the Italian way; the PDF
/// has every objective, a scheda for each operational one, every person and every figure of
/// the site.
pub fn content_checks(content: &Path) -> Checked {
    let shown = content.display();

    let run = piao(&["check", "--content", content.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "piao check refuses {shown}:\n{stderr}"
    );
    assert!(!stderr.contains("errore:"), "{shown}:\n{stderr}");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sito");
    let run = run_build(content, &out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        run.status.success(),
        "piao build fails on {shown}:\n{stderr}"
    );
    assert!(!stderr.contains("errore:"), "{shown}:\n{stderr}");
    assert!(String::from_utf8_lossy(&run.stdout).contains("Sito pubblicato"));

    let prepared = piao::prepare(content, &piao::Options::default())
        .unwrap_or_else(|e| panic!("{shown}: {e:?}"));
    let pdf = site(&out).join(&prepared.book.manifest.pdf_file);
    assert!(
        site(&out).join(piao::address::HOME).is_file(),
        "{shown}: no site"
    );
    assert!(pdf.is_file(), "{shown}: no PDF at {}", pdf.display());

    // Two builds, the same bytes: the one published above and one through the library.
    let again = piao::compile(content, &piao::Options::default())
        .unwrap_or_else(|e| panic!("{shown}: {e:?}"))
        .files;
    let mut written = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&out).unwrap();
            let rel = rel.to_str().unwrap().replace('\\', "/");
            if rel != piao::publish::MARKER {
                written.insert(rel);
            }
        }
    }
    let compiled: BTreeSet<String> = again.keys().cloned().collect();
    assert_eq!(
        written, compiled,
        "{shown}: the two builds wrote other files"
    );
    for (rel, bytes) in &again {
        assert!(
            fs::read(out.join(rel)).unwrap() == *bytes,
            "{shown}: {rel} differs between two builds"
        );
    }

    let checked = Checked {
        _dir: dir,
        pdf_text: pdf_text(&pdf),
        out,
        amendments: prepared
            .view
            .amendments
            .iter()
            .map(|a| (a.old.clone(), a.new.clone(), a.reason.clone()))
            .collect(),
        computed: prepared.computed,
        book: prepared.book,
    };
    objectives_have_their_pages(&checked);
    typed_numbers_reach_the_site(&checked);
    the_pdf_has_what_the_site_has(&checked);
    checked
}

/// Every objective, strategic and operational (removed ones too: the marked-up edition keeps
/// them, struck), has its page headed by its code, and each scheda names its people; the
/// tree lists every strategic objective and the Allegato every operational one.
fn objectives_have_their_pages(c: &Checked) {
    let Some(objectives) = &c.book.objectives else {
        return;
    };
    let tree = c.page(piao::address::TREE.url);
    for o in &objectives.strategic {
        let code = &o.spec.code;
        let page = c.page(&piao::address::strategic(&o.slug));
        assert!(page.contains(&format!("{code} –")), "{code}: {page}");
        assert!(tree.contains(code.as_str()), "{code} is not in the tree");
    }
    let annex = c.page(piao::address::ANNEX.url);
    for o in &objectives.operational {
        let code = &o.spec.code;
        let page = c.page(&piao::address::operational(&o.slug));
        assert!(page.contains(&format!("{code} –")), "{code}: {page}");
        assert!(
            annex.contains(code.as_str()),
            "{code} is not in the Allegato"
        );
        for person in people(&o.spec) {
            assert!(
                page.contains(&person),
                "{code}: «{person}» is not in its scheda"
            );
        }
    }
}

/// The people of a scheda, before and after the update.
fn people(o: &OperationalSpec) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in o.collectors.iter().chain(&o.validators) {
        match p {
            Revisable::Value(name) => {
                out.insert(name.clone());
            }
            Revisable::Revised(change) => {
                out.extend(change.old.iter().chain(&change.new).cloned());
            }
        }
    }
    out
}

/// The numbers a planner typed in a table (data rows, not computed columns), with the
/// decimals the table shows them with: both sides of a revised cell.
fn typed_numbers(table: &Table) -> Vec<(String, Decimal, u32)> {
    let mut out = Vec::new();
    for row in table.rows.iter().filter(|r| r.kind == RowKind::Data) {
        for (col, cell) in row.cells.iter().enumerate() {
            if table.columns[col].computed {
                continue;
            }
            let decimals = table.decimals(row, col);
            let sides = match cell {
                Value::Revised(r) => vec![&r.old, &r.new],
                other => vec![other],
            };
            for side in sides {
                if let Value::Number(n) = side {
                    let place = format!("{}.{}.{}", table.id, row.label(), table.columns[col].id);
                    out.push((place, *n, decimals));
                }
            }
        }
    }
    out
}

/// A figure as [`figures`] reads it back: rounded as shown, trailing zeros dropped, without
/// its sign (which [`figures`] reads as text: `-4,6%` is 4.6).
fn canonical(n: Decimal, decimals: u32) -> String {
    piao::format::round(n, decimals)
        .abs()
        .normalize()
        .to_string()
}

/// Every number typed in a table that the site shows is in that table, written the Italian
/// way: read back with Italian separators (`30.792,97`), it is the typed value, rounded to
/// the table's decimals. A figure written the English way (`30792.97`) reads as two others.
fn typed_numbers_reach_the_site(c: &Checked) {
    let mut checked = 0;
    for (id, table) in &c.computed.tables {
        let text = c.table_text(id);
        if text.is_empty() {
            continue;
        }
        let shown = figures(&text);
        for (place, n, decimals) in typed_numbers(table) {
            assert!(
                shown.contains(&canonical(n, decimals)),
                "{place}: {n} is not in the site's table, read the Italian way:\n{text}"
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no typed number of a table is on the site");
}

/// The print edition has what the site has: every objective's code, every person of the
/// schede, one scheda per operational objective, every figure of the pages (the check report, with printed values and source
/// positions, is the site's alone).
fn the_pdf_has_what_the_site_has(c: &Checked) {
    let text = &c.pdf_text;
    if let Some(objectives) = &c.book.objectives {
        for code in objectives
            .strategic
            .iter()
            .map(|o| &o.spec.code)
            .chain(objectives.operational.iter().map(|o| &o.spec.code))
        {
            assert!(
                text.contains(&format!("{code} –")),
                "{code} is not in the PDF"
            );
        }
        for o in &objectives.operational {
            for person in people(&o.spec) {
                assert!(text.contains(&person), "«{person}» is not in the PDF");
            }
        }
        // As many schede as operational objectives: each heading once per objective bearing
        // it (a replaced objective and its replacement share number and code).
        let mut headings: BTreeMap<String, usize> = BTreeMap::new();
        for o in &objectives.operational {
            let heading = format!("Scheda {} – {} –", o.spec.number, o.spec.code);
            *headings.entry(heading).or_default() += 1;
        }
        for (heading, objectives) in headings {
            assert_eq!(
                text.matches(heading.as_str()).count(),
                objectives,
                "«{heading}» in the PDF"
            );
        }
    }
    // The published pages: the reviewers' report and Portale PIAO record are beside them.
    let site: String = html_pages(&site(&c.out))
        .iter()
        // The open data's page prints file sizes, not figures of the document.
        .filter(|p| !p.ends_with(piao::address::DATA_PAGE.url))
        .map(|p| visible_text(&fs::read_to_string(p).unwrap()))
        .collect::<Vec<_>>()
        .join("\n");
    let in_pdf = figures(text);
    // A footnote's number set right after a figure reads as more digits in extracted text
    // ("1.130" + note 1 = "1.1301"): such a figure is there.
    let before_note = |f: &String| {
        let d: Decimal = f.parse().unwrap();
        let shown = piao::format::number(d, d.scale());
        (0..10).any(|n| text.contains(&format!("{shown}{n}")))
    };
    let missing: Vec<String> = figures(&site)
        .difference(&in_pdf)
        .filter(|f| !before_note(f))
        .cloned()
        .collect();
    assert!(
        missing.is_empty(),
        "figures of the site missing from the PDF: {missing:?}"
    );
}

/// `content/` as it is, through the content checks once for every test of this file.
fn planner() -> &'static Checked {
    static CHECKED: OnceLock<Checked> = OnceLock::new();
    CHECKED.get_or_init(|| content_checks(&planner_content()))
}

/// `content/` as the office left it passes the content checks (they are the assertions).
#[test]
fn the_planners_content_passes_the_content_checks() {
    planner();
}

/// A copy of `content/` to edit, in a temporary folder.
fn planner_copy() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy_tree(&planner_content(), &content);
    (dir, content)
}

fn read_json(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write_json(path: &Path, value: &serde_json::Value) {
    fs::write(path, serde_json::to_string_pretty(value).unwrap()).unwrap();
}

/// A JSON number holding exactly `d`.
fn json_number(d: Decimal) -> serde_json::Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap()
}

/// The typed cell of row `row` in column `column` of a table file: its index in the row's
/// `valori`, which skip the computed columns.
fn typed_cell<'a>(
    table: &'a mut serde_json::Value,
    row: &str,
    column: &str,
) -> &'a mut serde_json::Value {
    let typed = typed_columns(table);
    let index = typed
        .iter()
        .position(|c| c == column)
        .unwrap_or_else(|| panic!("no typed column «{column}» in {typed:?}"));
    let row = table["righe"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["id"] == row)
        .unwrap_or_else(|| panic!("no row «{row}»"));
    &mut row["valori"][index]
}

/// The ids of a table's typed columns (those without `calcolo`), the order of `valori`.
fn typed_columns(table: &serde_json::Value) -> Vec<String> {
    table["colonne"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("calcolo").is_none())
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

/// One more cessazione of an operatore esperto, in the last year of the table whose figure
/// is typed as a plain number. Returns the column's id.
fn one_more_cessazione(content: &Path) -> String {
    let path = content.join("03-organizzazione/cessazioni.json");
    let mut table = read_json(&path);
    let columns = typed_columns(&table);
    let column = columns
        .iter()
        .rev()
        .find(|c| typed_cell(&mut table, "operatori_esperti", c).is_u64())
        .expect("a year of the operatori esperti typed as a number")
        .clone();
    let cell = typed_cell(&mut table, "operatori_esperti", &column);
    *cell = json!(cell.as_u64().unwrap() + 1);
    write_json(&path, &table);
    column
}

/// A target as the schede print a threshold over a whole number (`>= 25`, `>90`): the text
/// before the number and the number.
fn whole_threshold(target: &str) -> Option<(&str, u64)> {
    let digits = target.trim_start_matches(['>', '<', '=', '≥', '≤', ' ']);
    let prefix = &target[..target.len() - digits.len()];
    let n = digits.parse().ok()?;
    (!prefix.trim().is_empty()).then_some((prefix, n))
}

/// Why the test raises a target: the reason the Prospetto and the scheda must show.
const RAISED: &str = "Target innalzato con deliberazione della Giunta (prova della suite)";

/// Raises the first whole-number threshold of the operational objectives (files in name
/// order), written as a revision of the update: returns the objective's code, the old target
/// and the new one.
fn raise_a_target(content: &Path) -> (String, String, String) {
    let folder = content.join("obiettivi/operativi");
    let mut files: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for path in files {
        let mut objective = read_json(&path);
        let code = objective["codice"].as_str().unwrap_or_default().to_string();
        let Some(indicators) = objective["indicatori"].as_array_mut() else {
            continue;
        };
        for indicator in indicators {
            let Some(old) = indicator["target"].as_str().map(str::to_string) else {
                continue;
            };
            let Some((prefix, n)) = whole_threshold(&old) else {
                continue;
            };
            let new = format!("{prefix}{}", n + 1 + n / 5);
            indicator["target"] = json!({ "vecchio": old, "nuovo": new, "motivo": RAISED });
            write_json(&path, &objective);
            return (code, old, new);
        }
    }
    panic!("no operational objective has a whole-number target");
}

/// Every table cell whose figure differs between two versions of the plan, with the new
/// figure as the table shows it.
fn changed_cells(before: &Computed, after: &Computed) -> BTreeMap<String, (Decimal, u32)> {
    let mut out = BTreeMap::new();
    for (id, table) in &after.tables {
        let Some(old) = before.tables.get(id) else {
            continue;
        };
        for (row, old_row) in table.rows.iter().zip(&old.rows) {
            for (col, cell) in row.cells.iter().enumerate() {
                let Some(new) = cell.number() else {
                    continue;
                };
                if old_row.cells.get(col).and_then(Value::number) != Some(new) {
                    let place = format!("{id}.{}.{}", row.label(), table.columns[col].id);
                    out.insert(place, (new, table.decimals(row, col)));
                }
            }
        }
    }
    out
}

/// Every changed figure of a table the site shows is in that table on the site.
fn changed_figures_reach_the_site(before: &Checked, after: &Checked) -> usize {
    let changed = changed_cells(&before.computed, &after.computed);
    for (place, (value, decimals)) in &changed {
        let id = place.split('.').next().unwrap();
        let text = after.table_text(id);
        if !text.is_empty() {
            assert!(
                figures(&text).contains(&canonical(*value, *decimals)),
                "{place}: the new figure {value} is not in the site's table:\n{text}"
            );
        }
    }
    changed.len()
}

/// The value of a cell of a computed table, by row id and column id.
fn cell(c: &Computed, table: &str, row: &str, column: &str) -> Option<Decimal> {
    let t = c.tables.get(table)?;
    let col = t.columns.iter().position(|x| x.id == column)?;
    t.rows
        .iter()
        .find(|r| r.id.as_deref() == Some(row))?
        .cells
        .get(col)?
        .number()
}

/// A planner's update after a decision of the Giunta — one more cessazione of an operatore
/// esperto, a raised target of an operational objective (a revision with its reason) — passes
/// the content checks, and reaches the output: the table, its total and every figure that
/// depends on them, the scheda, the Prospetto and the PDF.
#[test]
fn a_planners_update_passes_the_content_checks_and_reaches_the_output() {
    let before = planner();
    let (_dir, content) = planner_copy();
    let column = one_more_cessazione(&content);
    let (code, old, new) = raise_a_target(&content);
    let after = content_checks(&content);

    let was = cell(&before.computed, "cessazioni", "operatori_esperti", &column).unwrap();
    assert_eq!(
        cell(&after.computed, "cessazioni", "operatori_esperti", &column),
        Some(was + Decimal::ONE)
    );
    // The cell itself and at least its total moved, and the site shows every moved figure.
    assert!(changed_figures_reach_the_site(before, &after) >= 2);

    assert!(
        after
            .amendments
            .contains(&(old.clone(), new.clone(), RAISED.to_string())),
        "{old} → {new} is not a revision: {:?}",
        after.amendments
    );
    let objective = after
        .book
        .objectives
        .as_ref()
        .unwrap()
        .operational
        .iter()
        .find(|o| o.spec.code == code)
        .unwrap();
    let scheda = after.page(&piao::address::operational(&objective.slug));
    assert!(scheda.contains(&new) && scheda.contains(&old), "{scheda}");
    assert!(scheda.contains(RAISED), "{scheda}");
    let prospetto = after.page(piao::address::CHANGES.url);
    assert!(prospetto.contains(&new) && prospetto.contains(RAISED));
    assert!(
        after.pdf_text.contains(RAISED),
        "the reason is not in the PDF"
    );
}

/// A new unit cost for the istruttori, typed once in the staff cost table: every table that
/// lists the istruttori' unit cost (the hiring capacity too) follows, the spending derived
/// from it moves, and the site shows the new cost the Italian way.
#[test]
fn a_new_unit_cost_passes_the_content_checks_and_reaches_the_output() {
    let before = planner();
    let (_dir, content) = planner_copy();
    let path = content.join("03-organizzazione/costo_personale.json");
    let mut table = read_json(&path);
    let cost = typed_cell(&mut table, "istruttori", "costo_unitario");
    let old = Decimal::from_str(&cost.to_string()).unwrap();
    let new = old + Decimal::ONE_HUNDRED;
    *cost = json_number(new);
    write_json(&path, &table);

    let after = content_checks(&content);
    let mut tables = 0;
    for (id, t) in &after.computed.tables {
        if let Some(value) = cell(&after.computed, id, "istruttori", "costo_unitario") {
            assert_eq!(
                value, new,
                "{id}: the unit cost is not the staff cost table's"
            );
            let text = after.table_text(id);
            if !text.is_empty() {
                let row = t
                    .rows
                    .iter()
                    .find(|r| r.id.as_deref() == Some("istruttori"))
                    .unwrap();
                let col = t
                    .columns
                    .iter()
                    .position(|c| c.id == "costo_unitario")
                    .unwrap();
                assert!(
                    figures(&text).contains(&canonical(new, t.decimals(row, col))),
                    "{id}: the new unit cost {new} is not in the site's table:\n{text}"
                );
            }
            tables += 1;
        }
    }
    assert!(tables >= 1, "no table lists the istruttori' unit cost");
    // The cost and the spending derived from it moved, and the site shows them.
    assert!(changed_figures_reach_the_site(before, &after) >= 2);
}

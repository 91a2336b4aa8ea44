//! Safety of the figures (issue 12): formulas and tables that used to crash piao (an overflow,
//! ten thousand parentheses, a header spanning 4294967295 columns) or to publish a wrong
//! figure with exit 0 (a division by zero shown as `-`, a number typed as text, 28 decimals)
//! are Italian errors at the character that causes them, from `check` and `build` alike, and
//! a previous site is left exactly as it was.

use crate::common::{build_into, copy_tree, fixture, piao, published, run_build};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A content tree to break, and the folder a build would publish it to.
struct Tree {
    _dir: TempDir,
    content: PathBuf,
    out: PathBuf,
    /// Every file of the site published before the content was broken (none for the published
    /// content, which takes seconds to typeset: there the output folder must stay absent).
    before: BTreeMap<PathBuf, Vec<u8>>,
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

impl Tree {
    /// The `minimo` fixture, already published once.
    fn minimo() -> Self {
        Self::published("minimo")
    }

    /// A fixture, already published once.
    fn published(name: &str) -> Self {
        let (dir, content) = fixture(name);
        let out = build_into(&content, &dir.path().join("sito"));
        let before = snapshot(&out);
        assert!(!before.is_empty());
        Tree {
            _dir: dir,
            content,
            out,
            before,
        }
    }

    /// A copy of the published content (its tables are the real ones, the edits below find
    /// their text there).
    fn real() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        copy_tree(&published(), &content);
        let out = dir.path().join("sito");
        Tree {
            _dir: dir,
            content,
            out,
            before: BTreeMap::new(),
        }
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.content.join(rel)
    }

    /// Replaces the first `from` with `to` in the content file `rel`.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        crate::common::edit(&self.file(rel), from, to);
    }

    /// `rel:line:column` of the first `needle` in the content file `rel`, columns counted in
    /// characters: where an error about what `needle` starts with must point.
    fn at(&self, rel: &str, needle: &str) -> String {
        self.after(rel, "", needle)
    }

    /// `rel:line:column` of the first `needle` after the first `context` in `rel`.
    fn after(&self, rel: &str, context: &str, needle: &str) -> String {
        let text = fs::read_to_string(self.file(rel)).unwrap();
        let from = text
            .find(context)
            .unwrap_or_else(|| panic!("«{context}» not in {rel}"));
        let offset = from
            + text[from..]
                .find(needle)
                .unwrap_or_else(|| panic!("«{needle}» not in {rel}"));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
        format!("{rel}:{line}:{column}")
    }

    /// `check` and `build` both refuse the content with exit code 1 and one Italian error
    /// saying `words` at `location` (`rel:line:column`, or only `rel` for any position in
    /// it); the previous site is intact. Returns the position and the message.
    fn refused(&self, location: &str, words: &str) -> (String, String) {
        let check = piao(&["check", "--content", self.content.to_str().unwrap()]);
        let build = run_build(&self.content, &self.out);
        let mut lines = Vec::new();
        for (command, run) in [("check", &check), ("build", &build)] {
            let stderr = String::from_utf8_lossy(&run.stderr).to_string();
            assert_eq!(run.status.code(), Some(1), "{command}:\n{stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
            let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("errore")).collect();
            assert_eq!(errors.len(), 1, "{command}:\n{stderr}");
            lines.push(errors[0].to_string());
        }
        assert_eq!(lines[0], lines[1], "check and build say the same");
        let prefix = format!("errore: {}/", self.content.display());
        let rest = lines[0]
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("not in the content: {}", lines[0]));
        let (position, message) = rest.split_once(": ").unwrap();
        let expected = if location.contains(':') {
            position == location
        } else {
            position.starts_with(&format!("{location}:"))
        };
        assert!(expected, "expected at {location}: {}", lines[0]);
        assert!(message.contains(words), "«{words}» not in: {message}");
        if self.before.is_empty() {
            assert!(!self.out.exists(), "nothing is published");
        } else {
            assert!(
                snapshot(&self.out) == self.before,
                "the previous site is intact"
            );
        }
        (position.to_string(), message.to_string())
    }

    /// `check` accepts the content.
    fn accepted(&self) {
        let run = piao(&["check", "--content", self.content.to_str().unwrap()]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

const ATTIVO: &str = "01-conti/attivo.json";
const CALCOLI: &str = "01-conti/calcoli.json";
const BIG: &str = "79228162514264337593543950335";

/// Defect 4: a sum beyond exact decimals used to panic (`Addition overflowed`); in a
/// quantity, a computed column, a total row, a check, it is an error at its place.
#[test]
fn sums_beyond_exact_decimals_are_errors_at_their_place() {
    let t = Tree::minimo();
    let formula = "\"attivo.totale.importo / dipendenti\"";
    t.edit(
        CALCOLI,
        formula,
        &format!("\"somma({BIG}, attivo.totale.importo)\""),
    );
    let (_, message) = t.refused(&t.at(CALCOLI, "somma("), "formula: ");
    assert!(message.contains("fuori dall'intervallo dei numeri decimali"));

    // Each typed figure fits, their products do not: the computed cell is refused at its row.
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "\"Crediti\", 1234.5",
        "\"Crediti\", 18446744073709551615",
    );
    t.edit(
        ATTIVO,
        "\"importo / importo * 100\"",
        "\"importo * importo\"",
    );
    let (_, message) = t.refused(
        &t.at(ATTIVO, "[\"Crediti\""),
        "la colonna calcolata «quota»",
    );
    assert!(message.contains("fuori dall'intervallo"), "{message}");

    // Every product fits, their total does not.
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "\"Crediti\", 1234.5",
        "\"Crediti\", 18446744073709551615",
    );
    t.edit(ATTIVO, "200.25", "18446744073709551615");
    t.edit(
        ATTIVO,
        "\"importo / importo * 100\"",
        "\"importo * 4000000000\"",
    );
    t.edit(ATTIVO, ", \"nei_totali\": \"formula\"", "");
    t.refused(
        &t.at(ATTIVO, "{ \"id\": \"totale\""),
        "il totale della colonna «quota» è fuori dall'intervallo dei numeri decimali",
    );

    let t = Tree::minimo();
    t.edit(
        CALCOLI,
        "\"attivo.totale.importo > 0\"",
        &format!("\"{BIG} + {BIG} > 0\""),
    );
    let (_, message) = t.refused(&t.at(CALCOLI, &format!("+ {BIG} >")), "formula: ");
    assert!(message.contains("fuori dall'intervallo"), "{message}");
}

/// Defect 4: ten thousand nested parentheses overflowed the stack (exit 134). Every way of
/// nesting or chaining is refused at the level past the limit, with exit code 1.
#[test]
fn deep_formulas_are_refused_not_a_crash() {
    let cases = [
        format!("{}importo{}", "(".repeat(10_000), ")".repeat(10_000)),
        format!("{}importo", "-".repeat(10_000)),
        format!("{}importo{}", "somma(".repeat(10_000), ")".repeat(10_000)),
        format!("{}importo{}", "max(1, ".repeat(65), ")".repeat(65)),
        vec!["importo"; 10_000].join(" + "),
        vec!["importo"; 66].join(" * "),
    ];
    for formula in cases {
        let t = Tree::minimo();
        t.edit(ATTIVO, "importo / importo * 100", &formula);
        let start = t.at(ATTIVO, &formula[..20]);
        let (position, message) = t.refused(ATTIVO, "formula: ");
        assert!(message.contains("al massimo 64"), "{message}");
        // Inside the formula, past the levels allowed.
        let split = |p: &str| {
            let (line, column) = p.rsplit_once(':').unwrap();
            (line.to_string(), column.parse::<usize>().unwrap())
        };
        let ((line, column), (start_line, start_column)) = (split(&position), split(&start));
        assert_eq!(line, start_line);
        assert!(column >= start_column + 64, "{position}");
        assert!(column < start_column + formula.len(), "{position}");
    }
}

/// Defect 4: header spans that reached 4294967295 columns or rows, or left the grid, are
/// refused at the span, in every row, before any renderer lays them out.
#[test]
fn header_spans_are_checked_in_every_row() {
    let header = |rows: &str| format!("\"intestazioni\": {rows},\n  \"righe\": [");
    let cases = [
        (
            r#"[[{"testo": "A", "righe": 2}, {"testo": "B", "colonne": 2}], [{"testo": "x"}, {"testo": "y", "colonne": 4294967295}]]"#,
            "4294967295",
            "copre 4294967295 colonne, ma dalla colonna 3 ne restano 1",
        ),
        (
            r#"[[{"testo": "A", "righe": 4294967295}, {"testo": "B", "colonne": 2}], [{"testo": "x"}, {"testo": "y"}]]"#,
            "4294967295",
            "scende per 4294967295 righe, ma l'intestazione ne ha 2",
        ),
        (
            r#"[[{"testo": "A", "colonne": 0}, {"testo": "B", "colonne": 3}]]"#,
            "0}",
            "occupa almeno una colonna e una riga",
        ),
        (
            r#"[[{"testo": "A"}, {"testo": "B", "righe": 2}, {"testo": "C"}], [{"testo": "x", "colonne": 2}, {"testo": "y"}]]"#,
            "{\"testo\": \"x\"",
            "si sovrappone a una cella di una riga sopra",
        ),
        (
            r#"[[{"testo": "A", "righe": 2}, {"testo": "B", "colonne": 2}], [{"testo": "x"}]]"#,
            "[{\"testo\": \"x\"}]",
            "la riga d'intestazione 2 copre 2 colonne",
        ),
        (
            r#"[[{"testo": "A"}, {"testo": "B"}, {"testo": "C"}, {"testo": "D"}]]"#,
            "{\"testo\": \"D\"}",
            "cella d'intestazione in eccesso",
        ),
        ("[]", "[]", "«intestazioni» è vuoto"),
    ];
    for (rows, needle, words) in cases {
        let t = Tree::minimo();
        t.edit(ATTIVO, "\"righe\": [", &header(rows));
        t.refused(&t.at(ATTIVO, needle), words);
    }
    // A header that tiles the columns is accepted.
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "\"righe\": [",
        &header(
            r#"[[{"testo": "A", "righe": 2}, {"testo": "B", "colonne": 2}], [{"testo": "x"}, {"testo": "y"}]]"#,
        ),
    );
    t.accepted();

    // The real document's two-row header, with its third cell spanning off the table.
    let t = Tree::real();
    let table = "03-organizzazione/lavoro_distanza_aree.json";
    t.edit(
        table,
        "{ \"testo\": \"SMART WORKING\", \"colonne\": 4 }",
        "{ \"testo\": \"SMART WORKING\", \"colonne\": 4294967295 }",
    );
    t.refused(
        &t.at(table, "4294967295"),
        "copre 4294967295 colonne, ma dalla colonna 3 ne restano 10",
    );
}

/// Defect 7: a computed column dividing by zero showed `-` and exited 0. It is an error at
/// the cell holding the zero; `null` there says the figure is missing, and the computed cell
/// stays blank.
#[test]
fn a_division_by_zero_is_an_error_at_the_zero() {
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "{ \"valori\": [\"Crediti\", 1234.5] },",
        "{ \"valori\": [\"Crediti\", 1234.5] }, { \"valori\": [\"Ratei\", 0] },",
    );
    let (_, message) = t.refused(&t.at(ATTIVO, "0] }"), "divide per «importo»");
    assert!(message.contains("(importo / importo * 100)"), "{message}");
    assert!(message.contains("scrivere null"), "{message}");

    // In a total row the formula applies to the totals: the hint is the column's rule.
    let t = Tree::minimo();
    t.edit(ATTIVO, "\"Crediti\", 1234.5", "\"Crediti\", -200.25");
    let (_, message) = t.refused(
        &t.at(ATTIVO, "{ \"id\": \"totale\""),
        "divide per zero in questa riga di totale",
    );
    assert!(message.contains("\"nei_totali\": \"no\""), "{message}");

    // A divisor that is an expression: the error is at the row's values.
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "importo / importo * 100",
        "importo / (importo - importo)",
    );
    t.refused(
        &t.at(ATTIVO, "[\"Crediti\""),
        "divide per zero in questa riga",
    );

    // The real document: an area with no staff would make its share of remote work 0/0.
    // Its staff is typed in the table by area and read by the remote-work table, so the
    // error names the row and where the divisor comes from.
    let t = Tree::real();
    for (profile, staff) in [
        ("Dirigenti", 1),
        ("Funzionari ed EQ", 1),
        ("Istruttori", 3),
        ("Operatori Esperti", 1),
    ] {
        t.edit(
            "03-organizzazione/personale_aree.json",
            &format!("[\"{profile}\", {staff},"),
            &format!("[\"{profile}\", 0,"),
        );
    }
    let table = "03-organizzazione/lavoro_distanza_aree.json";
    t.refused(
        &t.after(table, "\"id\": \"staff\"", "["),
        "la colonna calcolata «percentuale» (totale_distanza / dipendenti * 100) divide per «dipendenti», che in questa riga vale zero: «dipendenti» è calcolata (personale_aree.totale.{riga})",
    );
}

/// The declared way to a blank computed cell: `null` for the missing figure.
#[test]
fn a_missing_figure_leaves_its_computed_cell_blank() {
    use piao::compute::model::Value;
    let (_dir, content) = fixture("minimo");
    crate::common::edit(
        &content.join(ATTIVO),
        "{ \"valori\": [\"Crediti\", 1234.5] },",
        "{ \"valori\": [\"Crediti\", 1234.5] }, { \"valori\": [\"Ratei\", null] },",
    );
    let prepared = piao::prepare(&content, &piao::Options::default()).unwrap();
    let table = &prepared.computed.tables["attivo"];
    let row = table
        .rows
        .iter()
        .find(|r| r.cells[0] == Value::Text("Ratei".into()))
        .unwrap();
    assert_eq!(row.cells[1], Value::Empty);
    assert_eq!(row.cells[2], Value::Empty);
    assert_eq!(table.display(row, 2), "");
}

/// Defect 7 and 9: a number typed as text (`"3"`) was shown as text, left its computed cell
/// blank and was reported, by the total, at the start of the row. It is an error at the
/// cell, in either side of a revision, and the hint gives the number to write.
#[test]
fn a_number_typed_as_text_is_an_error_at_its_cell() {
    let cases = [
        ("\"3\"", "scrivere il numero senza virgolette: 3"),
        ("\"1.234,5\"", "scrivere il numero senza virgolette: 1234.5"),
        ("\"n.d.\"", "oppure null per una cella vuota"),
        ("\"NaN\"", "oppure null per una cella vuota"),
        ("\"Infinity\"", "oppure null per una cella vuota"),
        ("\"\"", "oppure null per una cella vuota"),
    ];
    for (typed, hint) in cases {
        let t = Tree::minimo();
        t.edit(
            ATTIVO,
            "\"Crediti\", 1234.5",
            &format!("\"Crediti\", {typed}"),
        );
        let (_, message) = t.refused(&t.at(ATTIVO, &format!("{typed}]")), hint);
        assert!(
            message.starts_with("la colonna «importo» è numerica"),
            "{message}"
        );
    }
    let t = Tree::minimo();
    t.edit(ATTIVO, "\"nuovo\": 200.25", "\"nuovo\": \"200.25\"");
    t.refused(
        &t.at(ATTIVO, "\"200.25\""),
        "scrivere il numero senza virgolette: 200.25",
    );

    // In the real document, in a table whose total sums the column.
    let t = Tree::real();
    let table = "03-organizzazione/dotazione_organica.json";
    t.edit(table, "[\"DIRIGENTI\", 5]", "[\"DIRIGENTI\", \"5\"]");
    t.refused(
        &t.at(table, "\"5\""),
        "la colonna «dotazione» è numerica, ma qui c'è il testo «5»: scrivere il numero senza virgolette: 5",
    );
}

/// Defect 7: `"decimali": 4000000000` printed 28 decimals. Decimals go from 0 to 6 for
/// columns, rows, quantities and charts; negative and fractional ones are refused in Italian.
#[test]
fn decimals_are_limited_at_every_place() {
    let cases = [
        (
            ATTIVO,
            "\"decimali\": 2",
            "\"decimali\": 4000000000",
            "4000000000",
        ),
        (
            ATTIVO,
            "\"Crediti\", 1234.5] }",
            "\"Crediti\", 1234.5], \"decimali\": 7 }",
            "7 }",
        ),
        (CALCOLI, "\"decimali\": 2", "\"decimali\": 99", "99"),
    ];
    for (file, from, to, needle) in cases {
        let t = Tree::minimo();
        t.edit(file, from, to);
        t.refused(&t.at(file, needle), "troppi decimali");
    }
    let t = Tree::published("cascata");
    let charts = "01-piano/grafici.json";
    t.edit(
        charts,
        "\"tipo\": \"barre\",",
        "\"tipo\": \"barre\", \"decimali\": 10,",
    );
    t.refused(&t.at(charts, "10,"), "da 0 a 6");

    for (typed, words) in [
        (
            "-1",
            "trovato il numero `-1`, atteso un numero intero da 0 a 4294967295",
        ),
        (
            "1.5",
            "trovato il numero `1.5`, atteso un numero intero da 0 a 4294967295",
        ),
        ("1e30", "atteso un numero intero da 0 a 4294967295"),
    ] {
        let t = Tree::minimo();
        t.edit(ATTIVO, "\"decimali\": 2", &format!("\"decimali\": {typed}"));
        let (_, message) = t.refused(ATTIVO, words);
        assert!(!message.contains("expected"), "{message}");
    }
}

/// Defect 9: a non-ASCII character in a formula was shown as «Ã» (its first byte). It is
/// named whole, at its column, also when the JSON writes it as an escape.
#[test]
fn a_non_ascii_character_in_a_formula_is_named_at_its_place() {
    let t = Tree::minimo();
    t.edit(ATTIVO, "importo / importo * 100", "importo / importò * 100");
    t.refused(
        &t.at(ATTIVO, "ò"),
        "formula: carattere non ammesso «ò» in una formula",
    );
    let t = Tree::minimo();
    t.edit(ATTIVO, "importo / importo * 100", "importo × 100 / importo");
    t.refused(&t.at(ATTIVO, "×"), "carattere non ammesso «×»");
    // `\u00f2` is six characters in the file and one in the formula: the error is at the
    // escape, and so is an error after it.
    let t = Tree::minimo();
    t.edit(ATTIVO, "importo / importo * 100", "importo \\u00f2 importo");
    t.refused(&t.at(ATTIVO, "\\u00f2"), "carattere non ammesso «ò»");
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "\"importo / importo * 100\"",
        "\"importo / \\\"importo\\\" * 100\"",
    );
    t.refused(&t.at(ATTIVO, "\\\"importo"), "carattere non ammesso «\"»");
}

/// What a careful tester tries next: percentages of a zero total, empty sums, huge JSON
/// numbers, checks dividing by zero, a revision inside a revision, a pattern of many `*`.
#[test]
fn further_variations_are_errors_at_their_place() {
    // A share of a total that is zero.
    let t = Tree::minimo();
    t.edit(CALCOLI, "\"valore\": 40", "\"valore\": 0");
    t.edit(
        CALCOLI,
        "importo / dipendenti",
        "importo / dipendenti * 100",
    );
    t.refused(
        &t.at(CALCOLI, "dipendenti * 100"),
        "formula: divisione per zero",
    );

    // A computed row dividing by zero, at the divisor in its formula.
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "\"dichiarato\": { \"importo\": 1434.75 } }",
        "\"dichiarato\": { \"importo\": 1434.75 } },\n    { \"calcolo\": \"totale / (totale - totale)\", \"etichetta\": \"Rapporto\" }",
    );
    t.refused(
        &t.at(ATTIVO, "totale - totale)"),
        "formula: divisione per zero nella colonna «importo»",
    );

    // A check dividing by zero.
    let t = Tree::minimo();
    t.edit(
        CALCOLI,
        "\"attivo.totale.importo > 0\"",
        "\"attivo.totale.importo / 0 > 0\"",
    );
    t.refused(&t.at(CALCOLI, "0 > 0"), "formula: divisione per zero");

    // somma() of nothing, and of a pattern that finds no figure.
    let t = Tree::minimo();
    t.edit(CALCOLI, "attivo.totale.importo / dipendenti", "somma()");
    t.refused(
        &t.at(CALCOLI, "somma()"),
        "somma(..) vuole almeno un valore",
    );
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "{ \"valori\": [\"Crediti\", 1234.5] }",
        "{ \"id\": \"crediti_1\", \"valori\": [\"Crediti\", null] }",
    );
    t.edit(
        CALCOLI,
        "attivo.totale.importo / dipendenti",
        "somma(attivo.crediti_*.importo)",
    );
    t.refused(
        &t.at(CALCOLI, "attivo.crediti_*"),
        "«attivo.crediti_*.importo» non trova nessun valore numerico da sommare",
    );

    // A JSON number too large to read exactly.
    let t = Tree::minimo();
    t.edit(ATTIVO, "\"Crediti\", 1234.5", "\"Crediti\", 1e30");
    let (_, message) = t.refused(ATTIVO, "troppe cifre per essere letto esattamente");
    assert!(message.contains("al massimo 15"), "{message}");

    // A revision inside a revision.
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "\"vecchio\": 100",
        "\"vecchio\": { \"vecchio\": 1, \"nuovo\": 2, \"motivo\": \"m\" }",
    );
    t.refused(
        &t.at(ATTIVO, "{ \"vecchio\": 1"),
        "una revisione non può contenerne un'altra",
    );

    // A pattern of many `*` against long row ids: answered at once (a recursive match took
    // exponential time), here with "no such row".
    let t = Tree::minimo();
    let stars = format!("attivo.{}x.importo", "*_".repeat(40));
    t.edit(
        CALCOLI,
        "attivo.totale.importo / dipendenti",
        &format!("somma({stars})"),
    );
    t.edit(
        ATTIVO,
        "{ \"valori\": [\"Crediti\", 1234.5] }",
        &format!(
            "{{ \"id\": \"{}\", \"valori\": [\"Crediti\", 1234.5] }}",
            "_".repeat(200)
        ),
    );
    let started = std::time::Instant::now();
    t.refused(&t.at(CALCOLI, &stars), "inesistente nella tabella «attivo»");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

//! What the planner reads when something is wrong (issue 13, point 5): the errors come last,
//! after the warnings and a line counting them; a failed check lists the figures it read, at
//! the file and cell where each is typed; the common mistakes of JSON typed by hand (a decimal
//! comma, a thousands separator, a missing or typographic quote) get an Italian hint at the
//! character that is wrong.

use crate::common::{
    assert_previous_output, edit, fixture, piao, place, previous_output, refused, run_build,
};
use std::path::PathBuf;
use std::process::Output;

const ATTIVO: &str = "01-conti/attivo.json";
const CALCS: &str = "01-conti/calcoli.json";

/// A copy of the `minimo` fixture with an output folder holding a previous site.
struct Tree {
    _dir: tempfile::TempDir,
    content: PathBuf,
    out: PathBuf,
}

impl Tree {
    fn minimo() -> Self {
        let (dir, content) = fixture("minimo");
        let out = dir.path().join("output");
        previous_output(&out);
        Tree {
            _dir: dir,
            content,
            out,
        }
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.content.join(rel)
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        edit(&self.file(rel), from, to);
    }

    /// `…/rel:line:column` of the first `needle` in `rel`, columns in characters.
    fn at(&self, rel: &str, needle: &str) -> String {
        place(&self.content, rel, needle)
    }

    fn build(&self) -> Output {
        run_build(&self.content, &self.out)
    }

    fn check(&self) -> Output {
        piao(&["check", "--content", self.content.to_str().unwrap()])
    }

    /// Both `check` and `build` fail with exit code 1 and the single error line
    /// `errore: {location}: {message}`; the previous site is left as it was.
    fn refused(&self, location: &str, message: &str) {
        let error = refused(&self.content, location, message);
        assert_eq!(error, format!("errore: {location}: {message}"));
    }
}

fn stderr_of(run: &Output) -> String {
    String::from_utf8_lossy(&run.stderr).to_string()
}

/// Gives the fixture's rows ids and adds a warning (a printed figure that differs), an
/// accepted violation and a violation that stops the build, reading a cell of the table.
fn warnings_and_an_error(t: &Tree) {
    t.edit(
        ATTIVO,
        "{ \"valori\": [\"Crediti\", 1234.5] }",
        "{ \"id\": \"crediti\", \"valori\": [\"Crediti\", -2000] }",
    );
    t.edit(
        ATTIVO,
        "{ \"valori\": [\"Liquidità\"",
        "{ \"id\": \"liquidita\", \"valori\": [\"Liquidità\"",
    );
    t.edit(ATTIVO, "\"importo\": 1434.75", "\"importo\": -1799.75");
    t.edit(CALCS, "\"dichiarato\": 35.87", "\"dichiarato\": 35.90");
    t.edit(
        CALCS,
        "{ \"descrizione\": \"L'attivo è positivo\", \"condizione\": \"attivo.totale.importo > 0\" }",
        "{ \"descrizione\": \"L'attivo è positivo\", \"condizione\": \"attivo.totale.importo > 0\", \"accettata\": \"Dato di prova\" },
    { \"descrizione\": \"I crediti superano la liquidità\", \"condizione\": \"attivo.crediti.importo > attivo.liquidita.importo\" }",
    );
}

/// The lines of a failed run: every warning and accepted violation, then their count, then
/// the error with the cells it read, then what the failure means.
#[test]
fn an_error_is_printed_last_after_the_warnings_and_their_count() {
    let t = Tree::minimo();
    warnings_and_an_error(&t);
    let run = t.build();
    let stderr = stderr_of(&run);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let kinds: Vec<&str> = lines
        .iter()
        .map(|l| l.split_once(": ").map_or(*l, |(k, _)| k))
        .collect();
    assert_eq!(kinds[..2], ["avviso", "accettato"], "{stderr}");
    assert_eq!(
        lines[2], "1 avviso e 1 violazione accettata, elencati sopra.",
        "{stderr}"
    );
    assert_eq!(
        lines[3],
        format!(
            "errore: {}: I crediti superano la liquidità: la condizione «attivo.crediti.importo > attivo.liquidita.importo» non è rispettata (-2.000 contro 200,25)",
            t.at(CALCS, "\"attivo.crediti.importo")
        ),
        "{stderr}"
    );
    assert_eq!(
        lines[4..],
        [
            "  dati letti dalla verifica:".to_string(),
            format!(
                "    {}: «Crediti», «Importo» = -2.000,00",
                t.at(ATTIVO, "-2000")
            ),
            format!(
                "    {}: «Liquidità», «Importo» = 200,25",
                t.at(ATTIVO, "{ \"vecchio\"")
            ),
            "1 verifica non superata: correggere i dati o motivarne l'accettazione.".to_string(),
            "La cartella di uscita precedente non è stata modificata.".to_string(),
        ],
        "{stderr}"
    );
    assert_previous_output(&t.out);

    // `check` prints the same, without the line about the output folder.
    let check = stderr_of(&t.check());
    assert_eq!(check.lines().collect::<Vec<_>>(), lines[..lines.len() - 1]);
}

/// A successful run keeps listing its warnings, and counts them at the end.
#[test]
fn a_successful_run_lists_its_warnings_then_counts_them() {
    let t = Tree::minimo();
    t.edit(CALCS, "\"dichiarato\": 35.87", "\"dichiarato\": 35.90");
    let run = t.build();
    let stderr = stderr_of(&run);
    assert!(run.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].starts_with("avviso: "), "{stderr}");
    assert_eq!(lines[1], "1 avviso, elencato sopra.");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.starts_with("Sito pubblicato in "), "{stdout}");

    // Without warnings nothing is counted.
    let t = Tree::minimo();
    let run = t.build();
    assert!(run.status.success());
    assert_eq!(stderr_of(&run), "");
}

/// A condition over a quantity lists the quantity where `calcoli.json` defines it and then
/// what its formula reads, down to the primary figures.
#[test]
fn a_failed_check_follows_quantities_to_their_figures() {
    let t = Tree::minimo();
    t.edit(
        CALCS,
        "\"condizione\": \"attivo.totale.importo > 0\"",
        "\"condizione\": \"attivo_per_dipendente > 100\"",
    );
    let stderr = stderr_of(&t.check());
    let read: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("  dati letti"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .collect();
    assert_eq!(
        read,
        [
            format!(
                "    {}: grandezza «attivo_per_dipendente» = € 35,87",
                t.at(CALCS, "\"attivo.totale.importo / dipendenti\"")
            ),
            format!(
                "    {}: «TOTALE», «Importo» = 1.434,75",
                t.at(ATTIVO, "{ \"id\": \"totale\"")
            ),
            format!("    {}: grandezza «dipendenti» = 40", t.at(CALCS, "40 }")),
        ],
        "{stderr}"
    );
}

/// A condition over many cells names the first eight and counts the others.
#[test]
fn a_failed_check_over_many_cells_lists_eight() {
    let t = Tree::minimo();
    let rows: String = (1..=10)
        .map(|i| format!("{{ \"id\": \"r_{i}\", \"valori\": [\"R{i}\", {i}] }},\n    "))
        .collect();
    t.edit(
        ATTIVO,
        "\"righe\": [\n    ",
        &format!("\"righe\": [\n    {rows}"),
    );
    t.edit(
        CALCS,
        "\"condizione\": \"attivo.totale.importo > 0\"",
        "\"condizione\": \"somma(attivo.r_*.importo) > 1000\"",
    );
    let stderr = stderr_of(&t.check());
    let read: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("  dati letti"))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .collect();
    assert_eq!(read.len(), 9, "{stderr}");
    assert_eq!(
        read[0],
        format!("    {}: «R1», «Importo» = 1,00", t.at(ATTIVO, "1] }"))
    );
    assert!(read[7].contains("«R8», «Importo» = 8,00"), "{stderr}");
    assert_eq!(read[8], "    … e altri 2");
}

#[test]
fn a_decimal_comma_gets_a_hint_at_the_number() {
    // In a field: JSON reads `40` and then a field named `5`.
    let t = Tree::minimo();
    t.edit(CALCS, "\"valore\": 40", "\"valore\": 40,5");
    t.refused(
        &t.at(CALCS, "40,5"),
        "numero «40,5» non valido in JSON: usare il punto per i decimali: 40.5",
    );
    // In a row of a table: JSON reads two values, one too many.
    let t = Tree::minimo();
    t.edit(ATTIVO, "1234.5]", "1234,5]");
    t.refused(
        &t.at(ATTIVO, "1234,5"),
        "attesi 2 valori (colonne voce, importo), trovati 3: forse numero «1234,5» non valido in JSON: usare il punto per i decimali: 1234.5",
    );
}

#[test]
fn a_thousands_separator_gets_a_hint_at_the_number() {
    let t = Tree::minimo();
    t.edit(ATTIVO, "1234.5]", "1.234.567]");
    t.refused(
        &t.at(ATTIVO, "1.234.567"),
        "numero «1.234.567» non valido in JSON: scriverlo senza separatore delle migliaia: 1234567",
    );
    let t = Tree::minimo();
    t.edit(ATTIVO, "\"importo\": 1434.75", "\"importo\": 1.434,75");
    t.refused(
        &t.at(ATTIVO, "1.434,75"),
        "numero «1.434,75» non valido in JSON: scriverlo senza separatore delle migliaia e con il punto per i decimali: 1434.75",
    );
}

#[test]
fn a_figure_typed_as_a_text_gets_the_number_to_write() {
    let t = Tree::minimo();
    t.edit(CALCS, "\"dichiarato\": 35.87", "\"dichiarato\": \"35,87\"");
    // serde_json knows a value's type once it has read it: the position is its last quote.
    t.refused(
        &t.at(CALCS, "\" }"),
        "tipo non valido: trovato il testo \"35,87\", atteso il numero stampato nel documento, oppure {\"valore\": .., \"decisione\": \"rettifica\" | \"accettato\", \"motivo\": ..}: scrivere il numero senza virgolette: 35.87",
    );
}

#[test]
fn missing_quotes_get_a_hint() {
    let cases = [
        // The closing quote of a name.
        (
            "\"titolo\": \"Attivo\"",
            "\"titolo: \"Attivo\"",
            ": \"Attivo",
            "manca la virgoletta di chiusura del nome del campo: scrivere \"titolo\":",
        ),
        // A text without quotes.
        (
            "\"titolo\": \"Attivo\"",
            "\"titolo\": Attivo patrimoniale",
            "Attivo",
            "un testo va tra virgolette doppie: \"Attivo patrimoniale\"",
        ),
        // A name without quotes.
        (
            "\"titolo\": \"Attivo\"",
            "titolo: \"Attivo\"",
            "titolo",
            "il nome del campo va tra virgolette: \"titolo\"",
        ),
        // Apostrophes instead of quotes.
        (
            "\"titolo\": \"Attivo\"",
            "'titolo': 'Attivo'",
            "'titolo'",
            "in JSON i nomi dei campi e i testi vanno tra virgolette doppie \", non tra apici '",
        ),
        // A text left open at the end of its line.
        (
            "\"titolo\": \"Attivo\",",
            "\"titolo\": \"Attivo,",
            "\n  \"colonne\"",
            "il testo non si chiude su questa riga: manca la virgoletta \" di chiusura (per andare a capo dentro un testo scrivere \\n)",
        ),
        // A tab typed inside a text.
        (
            "\"titolo\": \"Attivo\"",
            "\"titolo\": \"Attivo\tpatrimoniale\"",
            "\tpatrimoniale",
            "tabulazione dentro un testo: sostituirla con uno spazio (oppure scrivere \\t)",
        ),
    ];
    for (from, to, culprit, hint) in cases {
        let t = Tree::minimo();
        t.edit(ATTIVO, from, to);
        t.refused(&t.at(ATTIVO, culprit), hint);
    }
}

#[test]
fn curly_quotes_pasted_from_a_word_processor_get_a_hint() {
    let hint = "virgolette tipografiche “ ” non valide in JSON (forse il testo è stato incollato da un programma di videoscrittura): usare le virgolette dritte \"";
    for (to, culprit) in [
        ("\"titolo\": “Attivo”", "“"),
        ("“titolo”: \"Attivo\"", "“"),
        ("\"titolo”: \"Attivo\"", "”"),
        ("\"titolo\": \"Attivo”", "”"),
    ] {
        let t = Tree::minimo();
        t.edit(ATTIVO, "\"titolo\": \"Attivo\"", to);
        t.refused(&t.at(ATTIVO, culprit), hint);
    }
}

/// A curly quote inside a text is the text's own: it still builds.
#[test]
fn curly_quotes_inside_a_text_are_text() {
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "\"titolo\": \"Attivo\"",
        "\"titolo\": \"L’“Attivo”\"",
    );
    let run = t.build();
    assert!(run.status.success(), "{}", stderr_of(&run));
}

/// The position is counted in characters even after accented letters, where serde_json
/// counts bytes.
#[test]
fn positions_after_accented_letters_are_in_characters() {
    let t = Tree::minimo();
    t.edit(
        ATTIVO,
        "[\"Liquidità\", { \"vecchio\"",
        "[\"Liquidità\" { \"vecchio\"",
    );
    t.refused(
        &t.at(ATTIVO, "{ \"vecchio\""),
        "atteso `,` oppure `]`: manca la virgola prima di questo valore",
    );
}

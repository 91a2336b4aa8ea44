//! Diagnostics shown to the office staff: every problem names a file, a line and a column, in
//! Italian, so a planner can open the file and fix it without reading Rust.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem found in the content, located as precisely as the source allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            message: message.into(),
        }
    }

    /// A problem with a whole file (missing, unreadable): it points at its first character.
    /// The same place with another message.
    pub fn with_message(self, message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            ..self
        }
    }

    pub fn at_file(file: &Path, message: impl Into<String>) -> Self {
        Self::new(file, 1, 1, message)
    }

    /// Converts a serde_json error into an Italian diagnostic at the position serde reports.
    pub fn from_json(file: &Path, err: &serde_json::Error) -> Self {
        Self::new(
            file,
            err.line(),
            err.column(),
            translate_serde(&err.to_string()),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

impl std::error::Error for Diagnostic {}

/// Byte offset → (line, column), both 1-based, columns counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map_or(before, |i| &before[i + 1..])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// serde and serde_json speak English; the office does not. This rewrites their messages
/// (without the trailing " at line X column Y", which the diagnostic carries itself).
fn translate_serde(raw: &str) -> String {
    let msg = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (field, expected) = split_expected(rest);
        return match expected {
            Some(list) => format!("campo sconosciuto {field}; campi ammessi: {list}"),
            None => format!("campo sconosciuto {field}: qui non sono ammessi campi"),
        };
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        let (value, expected) = split_expected(rest);
        return format!(
            "valore non ammesso {value}; valori ammessi: {}",
            expected.unwrap_or_default()
        );
    }
    if let Some(field) = msg.strip_prefix("missing field ") {
        return format!("manca il campo obbligatorio {field}");
    }
    if let Some(field) = msg.strip_prefix("duplicate field ") {
        return format!("campo ripetuto {field}");
    }
    if let Some((found, expected)) = msg
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        return format!(
            "tipo non valido: trovato {}, atteso {}",
            phrase(found),
            phrase(expected)
        );
    }
    if let Some((found, expected)) = msg
        .strip_prefix("invalid value: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        return format!(
            "valore non valido: trovato {}, atteso {}",
            phrase(found),
            phrase(expected)
        );
    }
    if let Some((found, expected)) = msg
        .strip_prefix("invalid length ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        return format!(
            "numero di elementi non valido ({found}), atteso {}",
            phrase(expected)
        );
    }
    let fixed = [
        (
            "EOF while parsing an object",
            "il file finisce dentro un oggetto: manca `}`",
        ),
        (
            "EOF while parsing a list",
            "il file finisce dentro un elenco: manca `]`",
        ),
        (
            "EOF while parsing a string",
            "il file finisce dentro un testo: manca `\"`",
        ),
        (
            "EOF while parsing a value",
            "il file finisce dove era atteso un valore",
        ),
        ("expected `:`", "atteso `:` dopo il nome del campo"),
        ("expected `,` or `}`", "atteso `,` oppure `}`"),
        ("expected `,` or `]`", "atteso `,` oppure `]`"),
        (
            "expected value",
            "atteso un valore JSON (numero, testo, elenco, oggetto, true, false o null)",
        ),
        ("expected ident", "atteso true, false o null"),
        ("trailing comma", "virgola finale non ammessa"),
        (
            "key must be a string",
            "il nome del campo deve essere un testo tra virgolette",
        ),
        (
            "trailing characters",
            "caratteri in eccesso dopo la fine del documento JSON",
        ),
        (
            "control character (\\u0000-\\u001F) found while parsing a string",
            "carattere di controllo non ammesso in un testo (usare \\n per andare a capo)",
        ),
        ("invalid escape", "sequenza di escape non valida"),
        ("invalid number", "numero non valido"),
        (
            "number out of range",
            "numero fuori dall'intervallo ammesso",
        ),
    ];
    for (en, it) in fixed {
        if msg == en {
            return it.to_string();
        }
    }
    msg.to_string()
}

fn split_expected(rest: &str) -> (&str, Option<&str>) {
    if let Some((a, b)) = rest.split_once(", expected one of ") {
        (a, Some(b))
    } else if let Some((a, b)) = rest.split_once(", expected ") {
        (a, Some(b))
    } else if let Some((a, _)) = rest.split_once(", there are no fields") {
        (a, None)
    } else {
        (rest, None)
    }
}

/// Translates the "expecting" phrases of serde and of this crate's own visitors.
fn phrase(p: &str) -> String {
    let p = p.trim();
    let table = [
        ("a string", "un testo"),
        ("a sequence", "un elenco [..]"),
        ("a map", "un oggetto {..}"),
        ("a boolean", "true o false"),
        ("boolean", "true o false"),
        ("a number", "un numero"),
        ("integer", "un numero intero"),
        ("u8", "un numero intero"),
        ("usize", "un numero intero"),
        ("u32", "un numero intero"),
        ("null", "null"),
        ("unit value", "null"),
        ("map", "un oggetto {..}"),
        ("sequence", "un elenco [..]"),
        ("string", "un testo"),
    ];
    for (en, it) in table {
        if p == en {
            return it.to_string();
        }
    }
    if let Some(s) = p.strip_prefix("string ") {
        return format!("il testo {s}");
    }
    if let Some(s) = p.strip_prefix("integer ") {
        return format!("il numero {s}");
    }
    if let Some(s) = p.strip_prefix("floating point ") {
        return format!("il numero {s}");
    }
    if let Some(s) = p.strip_prefix("boolean ") {
        return format!("il valore {s}");
    }
    if let Some(s) = p.strip_prefix("struct ") {
        return format!("un oggetto {s}");
    }
    p.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("àb\ncd", 2), (1, 2));
    }

    #[test]
    fn serde_messages_become_italian() {
        assert_eq!(
            translate_serde(
                "unknown field `colore`, expected one of `id`, `titolo` at line 3 column 9"
            ),
            "campo sconosciuto `colore`; campi ammessi: `id`, `titolo`"
        );
        assert_eq!(
            translate_serde("invalid type: string \"x\", expected a sequence at line 1 column 2"),
            "tipo non valido: trovato il testo \"x\", atteso un elenco [..]"
        );
        assert_eq!(
            translate_serde("missing field `titolo`"),
            "manca il campo obbligatorio `titolo`"
        );
    }
}

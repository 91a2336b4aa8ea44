//! serde and serde_json speak English; the office does not. Their messages are rewritten here
//! (without the trailing " at line X column Y", which the diagnostic carries itself).

/// Byte offset in `text` of the character serde_json's error points at. serde_json counts
/// columns in bytes, one past the character it stopped at; a column 0 means it stopped on the
/// line break ending the line before (a text left open at the end of its line).
pub fn error_offset(text: &str, line: usize, column: usize) -> usize {
    let start = match line {
        0 | 1 => 0,
        n => text
            .match_indices('\n')
            .nth(n - 2)
            .map_or(text.len(), |(i, _)| i + 1),
    };
    match column {
        0 => start.saturating_sub(1),
        c => start.saturating_add(c - 1).min(text.len()),
    }
}

/// The Italian of a serde or serde_json message.
pub fn translate(raw: &str) -> String {
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
        ("u8", "un numero intero da 0 a 255"),
        ("usize", "un numero intero non negativo"),
        ("u32", "un numero intero da 0 a 4294967295"),
        ("u64", "un numero intero non negativo"),
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
    fn serde_messages_become_italian() {
        assert_eq!(
            translate("unknown field `colore`, expected one of `id`, `titolo` at line 3 column 9"),
            "campo sconosciuto `colore`; campi ammessi: `id`, `titolo`"
        );
        assert_eq!(
            translate("invalid type: string \"x\", expected a sequence at line 1 column 2"),
            "tipo non valido: trovato il testo \"x\", atteso un elenco [..]"
        );
        assert_eq!(
            translate("missing field `titolo`"),
            "manca il campo obbligatorio `titolo`"
        );
    }

    #[test]
    fn a_negative_or_huge_count_says_which_integers_are_allowed() {
        for raw in [
            "invalid value: integer `-1`, expected u32 at line 5 column 76",
            "invalid type: floating point `1e30`, expected u32 at line 5 column 78",
        ] {
            let it = translate(raw);
            assert!(
                it.ends_with("atteso un numero intero da 0 a 4294967295"),
                "{it}"
            );
            assert!(!it.contains("expected"), "{it}");
        }
    }
}

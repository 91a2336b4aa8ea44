//! The mistakes an office makes typing JSON by hand, recognised from the text around the place
//! where the parser stopped. serde_json only knows the character it could not read: a decimal
//! comma (`30,5` in a field) reaches it as a second field whose name is not quoted, a quote
//! pasted from Word as a value that does not start. Each mistake gets an Italian hint at the
//! character the planner typed, saying what to write instead.

/// Typographic quotes a word processor puts in place of `"` and `'`.
const CURLY: [char; 6] = ['“', '”', '„', '‘', '’', '‚'];

/// A hint for a syntax error serde reported as `raw` (its English message, without the
/// position) at byte `at` of `text`: the byte offset of the mistake and what to do, or `None`
/// when the text shows none of the common mistakes.
pub fn syntax(text: &str, at: usize, raw: &str) -> Option<(usize, String)> {
    let at = floor_boundary(text, at);
    let c = text.get(at..).and_then(|s| s.chars().next());
    curly_quote(text, at, c)
        .or_else(|| c.and_then(|c| italian_number(text, at, c)))
        .or_else(|| quoting(text, at, c, raw))
}

/// A hint for a value of the wrong type: a figure typed as a text (`"30,5"`) where a number
/// is expected. `raw` is serde's message.
pub fn data(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix("invalid type: string \"")?;
    let (found, expected) = rest.split_once("\", expected ")?;
    if !(expected.contains("number") || expected.contains("numero")) {
        return None;
    }
    Some(format!(
        "scrivere il numero senza virgolette: {}",
        figure_in_text(found)?
    ))
}

/// The JSON number a figure typed as a text stands for (`"30,5"` → `30.5`, `"1.234"` →
/// `1234`, `"3"` → `3`), or `None` for a text that is no figure.
pub fn figure_in_text(text: &str) -> Option<String> {
    let text = text.trim();
    match number_fix(text) {
        Some((_, fixed)) => Some(fixed),
        None if is_plain_number(text) => Some(text.to_string()),
        None => None,
    }
}

/// A figure written the Italian way inside the list that starts at byte `start` of `text`
/// (valid JSON): `[1, 30,5]` reads as three figures, and the table then counts one value too
/// many. The offset of the first such figure and what to write instead.
pub fn number_in_list(text: &str, start: usize) -> Option<(usize, String)> {
    let b = text.as_bytes();
    if b.get(start) != Some(&b'[') {
        return None;
    }
    let (mut i, mut depth, mut in_string) = (start, 0usize, false);
    let mut token_start = None;
    while let Some(&c) = b.get(i) {
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else if c.is_ascii_digit()
            || c == b'-'
            || ((c == b',' || c == b'.') && token_start.is_some())
        {
            token_start.get_or_insert(i);
        } else {
            if let Some(t) = token_start.take() {
                let token = text.get(t..i)?.trim_end_matches(',');
                if depth == 1
                    && token.contains(',')
                    && let Some((fix, fixed)) = number_fix(token)
                {
                    return Some((t, format!("forse {}", number_message(token, fix, &fixed))));
                }
            }
            match c {
                b'"' => in_string = true,
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return None;
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

const CURLY_HINT: &str = "virgolette tipografiche “ ” non valide in JSON (forse il testo è stato incollato da un programma di videoscrittura): usare le virgolette dritte \"";

/// A curly quote where the parser stopped, or one on the same line placed where JSON wants a
/// `"` (next to `{ [ , :`), which ended or failed to start a text.
fn curly_quote(text: &str, at: usize, c: Option<char>) -> Option<(usize, String)> {
    if c.is_some_and(|c| CURLY.contains(&c)) {
        return Some((at, CURLY_HINT.to_string()));
    }
    if c.is_some_and(|c| c == '«' || c == '»') {
        return Some((
            at,
            "le virgolette « » vanno dentro un testo: in JSON un testo si apre e si chiude con le virgolette dritte \"".to_string(),
        ));
    }
    let start = line_start(text, at);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = text.get(start..end)?;
    line.char_indices()
        .take_while(|(i, _)| start + i < at)
        .filter(|(i, q)| {
            CURLY.contains(q) && {
                let before = line[..*i].trim_end().chars().next_back();
                let after = line[i + q.len_utf8()..].trim_start().chars().next();
                matches!(before, None | Some('{' | '[' | ',' | ':'))
                    || matches!(after, None | Some(':' | ',' | '}' | ']'))
            }
        })
        .last()
        .map(|(i, _)| (start + i, CURLY_HINT.to_string()))
}

/// A number written the Italian way (`30,5`, `1.234.567`, `1.234,50`) where the parser
/// stopped inside it: JSON read `30` and then did not know what `,5` was.
fn italian_number(text: &str, at: usize, c: char) -> Option<(usize, String)> {
    let in_number = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    if !in_number(c) {
        return None;
    }
    let b = text.as_bytes();
    let mut left = at;
    while left > 0 && b.get(left - 1).is_some_and(|&x| in_number(x as char)) {
        left -= 1;
    }
    if left > 0 && b.get(left - 1) == Some(&b'-') {
        left -= 1;
    }
    let mut right = at;
    while b.get(right).is_some_and(|&x| in_number(x as char)) {
        right += 1;
    }
    // The comma that ends the value (`30,5, "b"`) is not part of it.
    while right > at + 1 && matches!(b.get(right - 1), Some(b',' | b'.')) {
        right -= 1;
    }
    // In a value's place: after the `:` of a field or in a list.
    let before = text.get(..left)?.trim_end().chars().last();
    if !matches!(before, Some(':' | '[' | ',')) {
        return None;
    }
    let token = text.get(left..right)?;
    let (fix, fixed) = number_fix(token)?;
    Some((left, number_message(token, fix, &fixed)))
}

/// `numero «30,5» non valido in JSON: usare il punto per i decimali: 30.5`
fn number_message(token: &str, fix: Fix, fixed: &str) -> String {
    let what = match fix {
        Fix::Decimal => "usare il punto per i decimali",
        Fix::Thousands => "scriverlo senza separatore delle migliaia",
        Fix::Both => "scriverlo senza separatore delle migliaia e con il punto per i decimali",
    };
    format!("numero «{token}» non valido in JSON: {what}: {fixed}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fix {
    /// `30,5`
    Decimal,
    /// `1.234.567`, `1,234,567`, `1,234.50`
    Thousands,
    /// `1.234,50`
    Both,
}

/// How a number written with separators reads in JSON, if it is one: `1.234,50` → `1234.50`.
/// A single `.` is already JSON; a single `,` is the Italian decimal comma.
fn number_fix(token: &str) -> Option<(Fix, String)> {
    let (sign, digits) = match token.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", token),
    };
    let commas = digits.matches(',').count();
    let dots = digits.matches('.').count();
    // Separated by thousands: every group after the first has three digits.
    let grouped = |s: &str, sep: char| {
        let mut groups = s.split(sep);
        let first = groups.next().unwrap_or_default();
        (1..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_digit())
            && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (fix, fixed) = match (digits.rfind('.'), digits.rfind(',')) {
        (None, Some(c)) if commas == 1 => {
            let (int, dec) = (&digits[..c], &digits[c + 1..]);
            (all_digits(int) && all_digits(dec)).then(|| (Fix::Decimal, format!("{int}.{dec}")))?
        }
        (None, Some(_)) => {
            grouped(digits, ',').then(|| (Fix::Thousands, digits.replace(',', "")))?
        }
        (Some(_), None) if dots >= 2 => {
            grouped(digits, '.').then(|| (Fix::Thousands, digits.replace('.', "")))?
        }
        // `1.234,50`: dots group the thousands, the comma separates the decimals.
        (Some(d), Some(c)) if c > d && commas == 1 => {
            let (int, dec) = (&digits[..c], &digits[c + 1..]);
            (grouped(int, '.') && all_digits(dec))
                .then(|| (Fix::Both, format!("{}.{dec}", int.replace('.', ""))))?
        }
        // `1,234.50`: the English way, commas grouping the thousands.
        (Some(d), Some(_)) if dots == 1 => {
            let (int, dec) = (&digits[..d], &digits[d + 1..]);
            (grouped(int, ',') && all_digits(dec))
                .then(|| (Fix::Thousands, format!("{}.{dec}", int.replace(',', ""))))?
        }
        _ => return None,
    };
    Some((fix, format!("{sign}{fixed}")))
}

fn is_plain_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (int, dec) = s.split_once('.').unwrap_or((s, "0"));
    [int, dec]
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Quotes missing, unbalanced or of the wrong kind: a name or a text without quotes, a name
/// whose closing quote is missing (`"titolo: "x"`), a quote inside a text, a text that does
/// not close on its line, apostrophes instead of quotes, a comma missing between two fields.
fn quoting(text: &str, at: usize, c: Option<char>, raw: &str) -> Option<(usize, String)> {
    let c = c?;
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    if c == '\'' && matches!(raw, "key must be a string" | "expected value") {
        return Some((
            at,
            "in JSON i nomi dei campi e i testi vanno tra virgolette doppie \", non tra apici '"
                .to_string(),
        ));
    }
    match raw {
        "key must be a string" if word_char(c) => {
            let end = text[at..]
                .find(|x: char| !word_char(x))
                .map_or(text.len(), |i| at + i);
            Some((
                at,
                format!(
                    "il nome del campo va tra virgolette: \"{}\"",
                    text.get(at..end)?
                ),
            ))
        }
        "expected value" | "expected ident" if word_char(c) => {
            // `expected ident` stops inside a word that began like true, false or null.
            let start = text[..at]
                .char_indices()
                .rev()
                .take_while(|(_, x)| word_char(*x))
                .last()
                .map_or(at, |(i, _)| i);
            let word_end = text[start..]
                .find(|x: char| !word_char(x))
                .map_or(text.len(), |i| start + i);
            let word = text.get(start..word_end)?;
            if ["true", "false", "null"].contains(&word.to_lowercase().as_str()) {
                return Some((
                    start,
                    format!("scrivere «{}» in minuscolo", word.to_lowercase()),
                ));
            }
            Some((
                start,
                format!(
                    "un testo va tra virgolette doppie: \"{}\"",
                    preview(text, start)
                ),
            ))
        }
        "expected `:`" => {
            let (open, close) = previous_string(text, at)?;
            let name = text.get(open + 1..close)?;
            let colon = name.find(':')?;
            Some((
                open + 1 + colon,
                format!(
                    "manca la virgoletta di chiusura del nome del campo: scrivere \"{}\":",
                    name[..colon].trim_end()
                ),
            ))
        }
        "expected `,` or `}`" | "expected `,` or `]`" => {
            let prev = text[..at].trim_end();
            let last = prev.chars().last()?;
            if matches!(c, '"' | '{' | '[') && (last.is_ascii_alphanumeric() || "\"}]".contains(last))
            {
                // Where the next value starts, as serde says: the comma goes before it.
                return Some((
                    at,
                    format!(
                        "{}: manca la virgola prima di questo valore",
                        super::json::translate(raw)
                    ),
                ));
            }
            if last == '"' && word_char(c) {
                return Some((
                    prev.len() - 1,
                    "questa virgoletta chiude il testo prima del previsto: le virgolette dentro un testo si scrivono \\\" (oppure « »)".to_string(),
                ));
            }
            None
        }
        "control character (\\u0000-\\u001F) found while parsing a string" => match c {
            '\n' | '\r' => Some((
                at,
                "il testo non si chiude su questa riga: manca la virgoletta \" di chiusura (per andare a capo dentro un testo scrivere \\n)".to_string(),
            )),
            '\t' => Some((
                at,
                "tabulazione dentro un testo: sostituirla con uno spazio (oppure scrivere \\t)"
                    .to_string(),
            )),
            _ => None,
        },
        _ => None,
    }
}

/// The string that ends at the last `"` before `at` (ignoring white space): its opening
/// and closing quotes, when both are on the same line.
fn previous_string(text: &str, at: usize) -> Option<(usize, usize)> {
    let close = text[..at].trim_end().len().checked_sub(1)?;
    if text.as_bytes().get(close) != Some(&b'"') {
        return None;
    }
    let start = line_start(text, close);
    let open = start + text.get(start..close)?.rfind('"')?;
    Some((open, close))
}

/// The text from `start` to the end of its line, without the punctuation that closes a field,
/// cut at 40 characters.
fn preview(text: &str, start: usize) -> String {
    let rest = &text[start..];
    let line = rest.lines().next().unwrap_or_default();
    let line = line.trim_end().trim_end_matches([',', '}', ']']).trim_end();
    let mut out: String = line.chars().take(40).collect();
    if line.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Byte offset of the start of the line holding byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hint for `text` as serde_json reports its error: where (line:column in characters)
    /// and what.
    fn hint_for(text: &str) -> Option<(usize, usize, String)> {
        let err = serde_json::from_str::<serde_json::Value>(text).expect_err("invalid JSON");
        let raw = err.to_string();
        let raw = raw
            .rsplit_once(" at line ")
            .map_or(raw.as_str(), |(m, _)| m);
        let at = super::super::json::error_offset(text, err.line(), err.column());
        let (offset, message) = syntax(text, at, raw)?;
        let (line, column) = super::super::line_col(text, offset);
        Some((line, column, message))
    }

    #[test]
    fn a_decimal_comma_in_a_field() {
        let (line, column, message) = hint_for("{\n  \"valore\": 30,5\n}").unwrap();
        assert_eq!((line, column), (2, 13));
        assert_eq!(
            message,
            "numero «30,5» non valido in JSON: usare il punto per i decimali: 30.5"
        );
        let (_, _, message) = hint_for("{\"a\": {\"b\": -0,25, \"c\": 1}}").unwrap();
        assert!(message.ends_with("decimali: -0.25"), "{message}");
    }

    #[test]
    fn a_thousands_separator() {
        let (line, column, message) = hint_for("{\"valore\": 1.234.567}").unwrap();
        assert_eq!((line, column), (1, 12));
        assert_eq!(
            message,
            "numero «1.234.567» non valido in JSON: scriverlo senza separatore delle migliaia: 1234567"
        );
        let (_, column, message) = hint_for("{\"valore\": 1.234,50, \"x\": 1}").unwrap();
        assert_eq!(column, 12);
        assert!(
            message.ends_with(
                "senza separatore delle migliaia e con il punto per i decimali: 1234.50"
            ),
            "{message}"
        );
        let (_, _, message) = hint_for("[1.234.567]").unwrap();
        assert!(message.ends_with(": 1234567"), "{message}");
    }

    #[test]
    fn separators_are_read_the_italian_way() {
        assert_eq!(number_fix("30,5"), Some((Fix::Decimal, "30.5".into())));
        assert_eq!(
            number_fix("1.234.567"),
            Some((Fix::Thousands, "1234567".into()))
        );
        assert_eq!(
            number_fix("1,234,567"),
            Some((Fix::Thousands, "1234567".into()))
        );
        assert_eq!(number_fix("1.234,5"), Some((Fix::Both, "1234.5".into())));
        assert_eq!(
            number_fix("1,234.5"),
            Some((Fix::Thousands, "1234.5".into()))
        );
        assert_eq!(
            number_fix("-1.000.000,00"),
            Some((Fix::Both, "-1000000.00".into()))
        );
        // Not a number with separators: left to the parser's own message.
        for s in [
            "1.5",
            "12.34.5",
            "1,,2",
            ",5",
            "5,",
            "1.2,3",
            "1234.567.890",
        ] {
            assert_eq!(number_fix(s), None, "{s}");
        }
    }

    #[test]
    fn curly_quotes_pasted_from_a_word_processor() {
        for (text, column) in [
            ("{\"titolo\": “Piano”}", 12),
            ("{“titolo”: \"Piano\"}", 2),
            ("{\"titolo”: \"Piano\"}", 9),
            ("{\"a\": \"Piano”, \"b\": 1}", 13),
        ] {
            let (line, col, message) = hint_for(text).unwrap();
            assert_eq!((line, col), (1, column), "{text}");
            assert!(
                message.starts_with("virgolette tipografiche “ ”"),
                "{message}"
            );
            assert!(
                message.ends_with("usare le virgolette dritte \""),
                "{message}"
            );
        }
        // Curly quotes inside a text are text: the hint goes elsewhere.
        let (_, _, message) = hint_for("{\"a\": \"il “Piano” 2025\" \"b\": 1}").unwrap();
        assert!(
            message.ends_with("manca la virgola prima di questo valore"),
            "{message}"
        );
    }

    #[test]
    fn missing_and_wrong_quotes() {
        let (line, column, message) = hint_for("{\n  \"titolo: \"Piano\"\n}").unwrap();
        assert_eq!((line, column), (2, 10));
        assert_eq!(
            message,
            "manca la virgoletta di chiusura del nome del campo: scrivere \"titolo\":"
        );
        let (_, column, message) = hint_for("{\"titolo\": Piano della performance,}").unwrap();
        assert_eq!(column, 12);
        assert_eq!(
            message,
            "un testo va tra virgolette doppie: \"Piano della performance\""
        );
        let (_, column, message) = hint_for("{\"titolo\": nuovo piano}").unwrap();
        assert_eq!(column, 12);
        assert!(message.ends_with("\"nuovo piano\""), "{message}");
        let (_, _, message) = hint_for("{\"attivo\": True}").unwrap();
        assert_eq!(message, "scrivere «true» in minuscolo");
        let (_, column, message) = hint_for("{titolo: \"Piano\"}").unwrap();
        assert_eq!(column, 2);
        assert_eq!(message, "il nome del campo va tra virgolette: \"titolo\"");
        for text in ["{'titolo': \"x\"}", "{\"titolo\": 'x'}"] {
            let (_, _, message) = hint_for(text).unwrap();
            assert!(message.contains("non tra apici '"), "{message}");
        }
        let (_, column, message) = hint_for("{\"a\": \"il \"nuovo\" piano\"}").unwrap();
        assert_eq!(column, 11);
        assert!(message.contains("si scrivono \\\""), "{message}");
    }

    #[test]
    fn a_text_that_does_not_close_or_holds_a_tab() {
        let (line, column, message) = hint_for("{\"a\": \"Piano,\n \"b\": 1}").unwrap();
        assert_eq!((line, column), (1, 14));
        assert!(
            message.starts_with("il testo non si chiude su questa riga"),
            "{message}"
        );
        let (line, column, message) = hint_for("{\"a\": \"x\ty\"}").unwrap();
        assert_eq!((line, column), (1, 9));
        assert!(message.starts_with("tabulazione"), "{message}");
    }

    #[test]
    fn a_missing_comma_between_fields() {
        let (line, column, message) = hint_for("{\n  \"a\": 1\n  \"b\": 2\n}").unwrap();
        assert_eq!((line, column), (3, 3));
        assert_eq!(
            message,
            "atteso `,` oppure `}`: manca la virgola prima di questo valore"
        );
        let (_, _, message) = hint_for("[{\"a\": 1} {\"a\": 2}]").unwrap();
        assert_eq!(
            message,
            "atteso `,` oppure `]`: manca la virgola prima di questo valore"
        );
    }

    #[test]
    fn other_errors_get_no_hint() {
        for text in ["{\"a\": 1,}", "{\"a\": [1, 2}", "[1 2]x", "{\"a\": -}"] {
            let err = serde_json::from_str::<serde_json::Value>(text).expect_err(text);
            let at = super::super::json::error_offset(text, err.line(), err.column());
            let raw = err.to_string();
            let raw = raw
                .rsplit_once(" at line ")
                .map_or(raw.as_str(), |(m, _)| m);
            assert_eq!(syntax(text, at, raw), None, "{text}: {raw}");
        }
    }

    #[test]
    fn a_decimal_comma_in_a_list_makes_one_value_too_many() {
        let text = "{\"valori\": [\"a,b\", [1,2], 3, 30,5, 1.234,50]}";
        let start = text.find('[').unwrap();
        let (at, message) = number_in_list(text, start).unwrap();
        assert_eq!(&text[at..at + 4], "30,5");
        assert_eq!(
            message,
            "forse numero «30,5» non valido in JSON: usare il punto per i decimali: 30.5"
        );
        let text = "[\"x\", 1.234,50]";
        let (at, message) = number_in_list(text, 0).unwrap();
        assert_eq!(at, 6);
        assert!(message.ends_with(": 1234.50"), "{message}");
        // Lists written without spaces, texts with commas, nested lists: nothing to say.
        for text in [
            "[1, 2, 3]",
            "[\"30,5\", 1]",
            "[[1,2], 3]",
            "[1,2,3]",
            "[-1, 0.5]",
        ] {
            assert_eq!(number_in_list(text, 0), None, "{text}");
        }
    }

    #[test]
    fn a_figure_typed_as_a_text() {
        assert_eq!(
            data("invalid type: string \"30,5\", expected a number").as_deref(),
            Some("scrivere il numero senza virgolette: 30.5")
        );
        assert_eq!(
            data("invalid type: string \"12\", expected a number").as_deref(),
            Some("scrivere il numero senza virgolette: 12")
        );
        assert_eq!(
            data("invalid type: string \"dodici\", expected a number"),
            None
        );
        assert_eq!(
            data("invalid type: string \"3\", expected a sequence"),
            None
        );
    }
}

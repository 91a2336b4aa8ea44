//! tera's errors in Italian, with the position tera reports: pages of the content and the
//! site's templates are both tera templates.

use std::error::Error as _;

/// The (line, column) of a tera error, when tera reports one, and its Italian message.
pub fn translate(err: &tera::Error) -> (Option<(usize, usize)>, String) {
    let report = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let mut message = match report {
        Some(r) => r.message().to_string(),
        None => err.to_string(),
    };
    let mut source = err.source();
    while let Some(s) = source {
        message = format!("{message}: {s}");
        source = s.source();
    }
    match report {
        Some(r) => (
            Some((r.span().start_line, r.span().start_col + 1)),
            italian(&message),
        ),
        None => match reported_position(&message) {
            // Reference errors come as a rendered report: "error: ..\n --> file:line:col".
            Some(position) => {
                let first = message
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("error: ");
                (Some(position), italian(first))
            }
            None => (None, italian(&message)),
        },
    }
}

fn reported_position(report: &str) -> Option<(usize, usize)> {
    let at = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = at.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    Some((line, col))
}

fn italian(msg: &str) -> String {
    let quoted = |rest: &str| {
        rest.split_once('`')
            .map(|(name, tail)| (name.to_string(), tail.to_string()))
    };
    if let Some((name, tail)) = msg.strip_prefix("Field `").and_then(quoted) {
        let available = tail
            .split_once("Available fields: ")
            .map(|(_, a)| format!("; disponibili: {}", a.trim_end_matches('.')))
            .unwrap_or_default();
        return format!("«{name}» inesistente in questo punto dei dati{available}");
    }
    if let Some((name, _)) = msg.strip_prefix("Variable `").and_then(quoted) {
        return format!(
            "valore «{name}» inesistente: le pagine possono usare solo «dati», «grandezze», «documento» e «tabella(id=..)»"
        );
    }
    if let Some((name, _)) = msg.strip_prefix("Unknown filter `").and_then(quoted) {
        return format!("filtro «{name}» inesistente");
    }
    if let Some((name, _)) = msg.strip_prefix("Unknown function `").and_then(quoted) {
        return format!(
            "funzione «{name}» inesistente: l'unica funzione delle pagine è tabella(id=\"..\")"
        );
    }
    if let Some(rest) = msg.strip_prefix("Found ")
        && let Some((found, expected)) = rest.split_once(" but expected ")
    {
        return format!(
            "trovato {}, mentre era atteso {}",
            token(found),
            expected_tokens(expected.trim_end_matches('.'))
        );
    }
    if let Some(rest) = msg.strip_prefix("Found ")
        && let Some((found, _)) = rest.split_once(" but was expecting ")
    {
        return format!(
            "trovato {}, mentre era atteso «elif», «else» o «endif»",
            token(found)
        );
    }
    if let Some(name) = msg
        .strip_prefix("Template '")
        .and_then(|r| r.split_once("' not found"))
        .or_else(|| {
            msg.strip_prefix("Unknown template `")
                .and_then(|r| r.split_once('`'))
        })
        .map(|(name, _)| name)
    {
        return format!("modello «{name}» inesistente: le pagine non possono includere altri file");
    }
    if let Some((open, _)) = msg
        .strip_prefix("String opened with `")
        .and_then(|r| r.split_once('`'))
    {
        return format!("testo aperto con {open} e mai chiuso: manca il {open} finale");
    }
    let fixed = [
        (
            "Unexpected end of input",
            "l'espressione non è chiusa: manca «}}» (o «%}» per un'istruzione) prima della fine del testo",
        ),
        (
            "Unexpected character",
            "carattere inatteso in un'espressione",
        ),
        (
            "Unknown tag",
            "istruzione «{% … %}» sconosciuta (sono ammesse, ad esempio, if e for)",
        ),
        (
            "Closing comment tag",
            "commento «{#» senza chiusura: manca «#}»",
        ),
        (
            "The expression is too complex",
            "espressione troppo complessa",
        ),
        (
            "The template nesting is too deep",
            "annidamento troppo profondo",
        ),
        ("Invalid Integer", "numero intero non valido"),
        ("Invalid float", "numero decimale non valido"),
    ];
    if let Some((_, italian)) = fixed.iter().find(|(english, _)| msg.starts_with(english)) {
        return (*italian).to_string();
    }
    // What tera says in cases not translated above stays as its detail, clearly marked.
    format!("espressione del modello non valida (dettaglio in inglese di tera: {msg})")
}

/// A token as tera names it (`identifier`, `` `}}` ``), in Italian.
fn token(t: &str) -> String {
    let t = t.trim();
    let word = match t {
        "identifier" | "ident" => "un nome",
        "string" => "un testo tra virgolette",
        "integer" => "un numero intero",
        "float" => "un numero decimale",
        "bool" => "un valore vero/falso",
        "content" | "raw content" => "del testo",
        "comment" => "un commento",
        _ => "",
    };
    if !word.is_empty() {
        return word.to_string();
    }
    match t.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        Some(symbol) => format!("«{symbol}»"),
        None => format!("«{t}»"),
    }
}

/// tera's list of expected tokens: `one of: a, b or c`, or a single token.
fn expected_tokens(list: &str) -> String {
    let list = list.strip_prefix("one of: ").unwrap_or(list);
    let parts: Vec<String> = list
        .split(", ")
        .flat_map(|p| p.split(" or "))
        .map(token)
        .collect();
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} o {last}", rest.join(", ")),
        _ => parts.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_reports_give_their_position() {
        assert_eq!(
            reported_position("error: x\n  --> pagina.md:3:14\n"),
            Some((3, 14))
        );
        assert_eq!(reported_position("nessuna posizione"), None);
    }

    #[test]
    fn messages_become_italian() {
        assert_eq!(
            italian("Unknown filter `maiuscolo`"),
            "filtro «maiuscolo» inesistente"
        );
        assert!(
            italian("Field `valore` not found. Available fields: importo.")
                .starts_with("«valore» inesistente in questo punto dei dati; disponibili: importo")
        );
        assert_eq!(
            italian("Found identifier but expected `}}`."),
            "trovato un nome, mentre era atteso «}}»"
        );
        assert_eq!(
            italian("Found `)` but expected one of: integer, float, string or `(`."),
            "trovato «)», mentre era atteso un numero intero, un numero decimale, un testo tra virgolette o «(»"
        );
        assert!(italian("Unexpected end of input").starts_with("l'espressione non è chiusa"));
        assert_eq!(
            italian("Template 'altro.md' not found"),
            "modello «altro.md» inesistente: le pagine non possono includere altri file"
        );
    }
}

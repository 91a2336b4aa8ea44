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
    format!("espressione del modello non valida: {msg}")
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
    }
}

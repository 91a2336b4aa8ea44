//! `documento.json` checked where it is written: the plan's years, the PDF's file name, the
//! dates, and the addresses and contacts that the site's header and footer print on every page
//! of a public administration's site.

use super::date::Date;
use super::jsonpos::{JsonFile, Step};
use super::model::{Licence, Manifest};
use super::period::Period;
use crate::diag::Diagnostic;
use crate::markdown;

/// What the manifest states, read: the plan's years, the edition's date, the publication date.
pub struct Read {
    pub period: Period,
    pub date: Date,
    /// The publication date: `pubblicazione`, or the edition's date.
    pub published: Date,
    /// The approval date (`approvazione.data`), when the office has written it.
    pub approved: Option<Date>,
    /// `indirizzo_base`, ending with `/` so that a page's address is appended to it.
    pub base_url: Option<String>,
    /// `licenza`, or the default.
    pub licence: Licence,
}

/// Reads and checks the manifest; the first problem is an error at its key.
pub fn read(file: &JsonFile, manifest: &Manifest) -> Result<Read, Diagnostic> {
    let period = Period::parse(&manifest.period)
        .map_err(|message| file.error(&[Step::Key("periodo")], message))?;
    if !is_pdf_name(&manifest.pdf_file) {
        return Err(file.error(
            &[Step::Key("file_pdf")],
            format!(
                "nome del PDF non valido «{}»: atteso un nome di file semplice che termina con .pdf, come \"piao-{period}.pdf\" (lettere, cifre, - e _, senza cartelle)",
                manifest.pdf_file
            ),
        ));
    }
    let date = date_at(file, &[Step::Key("data")], &manifest.date)?;
    let published = match &manifest.published {
        Some(written) => date_at(file, &[Step::Key("pubblicazione")], written)?,
        None => date,
    };
    let approved = match manifest.approval.as_ref().and_then(|a| a.date.as_ref()) {
        Some(written) => Some(date_at(
            file,
            &[Step::Key("approvazione"), Step::Key("data")],
            written,
        )?),
        None => None,
    };
    if let Some(base) = &manifest.base_url
        && (!is_web_address(base) || base.contains(['?', '#']))
    {
        return Err(file.error(
            &[Step::Key("indirizzo_base")],
            format!(
                "indirizzo base non valido «{base}»: atteso l'indirizzo web completo della cartella pubblicata, senza ? né #, come \"https://www.ente.it/piao/\""
            ),
        ));
    }
    let licence = match &manifest.licence {
        None => Licence::default(),
        Some(id) => Licence::parse(id).ok_or_else(|| {
            let known: Vec<String> = Licence::ALL
                .iter()
                .map(|l| format!("\"{}\" ({})", l.id(), l.title()))
                .collect();
            file.error(
                &[Step::Key("licenza")],
                format!(
                    "licenza dei dati aperti non riconosciuta «{id}»: attesa una tra {}",
                    known.join(", ")
                ),
            )
        })?,
    };
    for (key, address) in [
        ("sito_ente", &manifest.website),
        ("amministrazione_trasparente", &manifest.transparency),
        ("dichiarazione_accessibilita", &manifest.accessibility),
    ] {
        if let Some(address) = address
            && !is_web_address(address)
        {
            return Err(file.error(
                &[Step::Key(key)],
                format!(
                    "indirizzo non valido «{address}»: atteso un indirizzo web completo, come \"https://www.ente.it/pagina\""
                ),
            ));
        }
    }
    if let Some(contacts) = &manifest.contacts {
        for (key, email) in [("email", &contacts.email), ("pec", &contacts.pec)] {
            if let Some(email) = email
                && !is_email(email)
            {
                return Err(file.error(
                    &[Step::Key("contatti"), Step::Key(key)],
                    format!(
                        "indirizzo di posta non valido «{email}»: atteso un indirizzo come \"ufficio@ente.it\", senza spazi"
                    ),
                ));
            }
        }
    }
    Ok(Read {
        period,
        date,
        published,
        approved,
        licence,
        base_url: manifest.base_url.as_ref().map(|b| {
            if b.ends_with('/') {
                b.clone()
            } else {
                format!("{b}/")
            }
        }),
    })
}

/// A calendar date written `AAAA-MM-GG` at `path`.
fn date_at(file: &JsonFile, path: &[Step<'_>], written: &str) -> Result<Date, Diagnostic> {
    Date::parse_iso(written).ok_or_else(|| {
        file.error(
            path,
            format!(
                "data non valida «{written}»: attesa una data del calendario nella forma AAAA-MM-GG (anno-mese-giorno, con due cifre per mese e giorno)"
            ),
        )
    })
}

/// The PDF is written into the output folder under this name: a plain file name, so it can
/// neither leave the folder (`../`, an absolute path) nor replace a page (`index.html`).
fn is_pdf_name(name: &str) -> bool {
    name.strip_suffix(".pdf").is_some_and(|stem| {
        !stem.is_empty()
            && stem.len() <= 100
            && !stem.starts_with(['-', '.'])
            && stem
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && !stem.contains("..")
    })
}

/// An address every page links: a whole `http(s)://` address with a host, one the content's
/// own links would also be allowed to use.
fn is_web_address(address: &str) -> bool {
    let lower = address.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        host.contains('.') && !host.starts_with('.')
    }) && !address.chars().any(char::is_whitespace)
        && markdown::is_external(address)
}

/// A plain mail address: one `@`, a dotted domain, no white space.
fn is_email(address: &str) -> bool {
    let Some((user, domain)) = address.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && address.len() <= 254
        && !address.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_mail_are_whole() {
        assert!(is_web_address("https://www.ente.it/trasparenza?x=1"));
        assert!(is_web_address("http://ente.it"));
        for bad in [
            "www.ente.it",
            "javascript:alert(1)",
            "https://",
            "https://ente",
            "https://ente.it/a b",
            "ftp://ente.it",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
        assert!(is_email("protocollo@pec.ente.it"));
        for bad in [
            "ente.it",
            "@ente.it",
            "a@ente",
            "a b@ente.it",
            "a@@ente.it",
            "a@ente.it.",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn pdf_names_stay_in_the_folder() {
        assert!(is_pdf_name("piao-2025-2027.pdf"));
        for bad in [
            "../x.pdf", "a/b.pdf", ".pdf", "x.html", "-x.pdf", "a..b.pdf",
        ] {
            assert!(!is_pdf_name(bad), "{bad}");
        }
    }
}

//! How things are named, in one place: which identifiers the content may use (tables, rows,
//! columns, quantities, charts), how file names become the slugs of site addresses, and how
//! headings become anchors. The rules are shared by the loader (which refuses bad names), the
//! compute stage (ids of derived rows) and the renderers (anchors).

/// Identifiers usable in formulas and page expressions (`dati.tabella.riga.colonna`):
/// lowercase letters, digits and `_`, not starting with a digit.
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
}

/// A piece of a site address: lowercase letters, digits and `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Why a name was refused, for the loader's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugError {
    /// `premessa` instead of `01-premessa`.
    NoOrderPrefix,
    /// Characters a site address cannot carry.
    BadCharacters,
}

/// The slug of a section folder or page file: `03-organizzazione` → `organizzazione`. The
/// numeric prefix gives the order and does not appear in addresses.
pub fn ordered_slug(stem: &str) -> Result<&str, SlugError> {
    let slug = match stem.split_once('-') {
        Some((prefix, rest))
            if !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_digit()) =>
        {
            rest
        }
        _ => return Err(SlugError::NoOrderPrefix),
    };
    if is_slug(slug) {
        Ok(slug)
    } else {
        Err(SlugError::BadCharacters)
    }
}

/// The slug of an objective file: `oo-3.1.2-formazione` → `oo-3-1-2-formazione`.
pub fn objective_slug(stem: &str) -> Option<String> {
    let slug = stem.replace('.', "-");
    is_slug(&slug).then_some(slug)
}

/// The id of a derived table's row for an objective file: `oo-1-1-1` → `oo_1_1_1`.
pub fn row_id_of_slug(slug: &str) -> String {
    slug.replace('-', "_")
}

/// The id of a derived table's row for a code: `OS 1.1` → `os_1_1`.
pub fn row_id_of_code(code: &str) -> String {
    code.to_lowercase().replace([' ', '.'], "_")
}

/// URL fragment for a heading: lowercase ASCII, accents folded, words joined by `-`.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for ch in text.chars() {
        let folded = match ch {
            'à' | 'á' | 'À' | 'Á' => 'a',
            'è' | 'é' | 'È' | 'É' => 'e',
            'ì' | 'í' | 'Ì' | 'Í' => 'i',
            'ò' | 'ó' | 'Ò' | 'Ó' => 'o',
            'ù' | 'ú' | 'Ù' | 'Ú' => 'u',
            c => c,
        };
        if folded.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            out.push(folded.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "sezione".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert!(is_identifier("costo_personale"));
        assert!(is_identifier("anno_2025"));
        assert!(!is_identifier("2025"));
        assert!(!is_identifier("Costo"));
        assert!(!is_identifier("costo-personale"));
        assert!(!is_identifier(""));
    }

    #[test]
    fn slugs_of_files() {
        assert_eq!(ordered_slug("03-organizzazione"), Ok("organizzazione"));
        assert_eq!(
            ordered_slug("01-risorse-economiche"),
            Ok("risorse-economiche")
        );
        assert_eq!(ordered_slug("premessa"), Err(SlugError::NoOrderPrefix));
        assert_eq!(ordered_slug("01-Premessa"), Err(SlugError::BadCharacters));
        assert_eq!(
            objective_slug("oo-3.1.2-formazione").as_deref(),
            Some("oo-3-1-2-formazione")
        );
        assert_eq!(objective_slug("OO 1.1"), None);
        assert_eq!(row_id_of_code("OS 1.1"), "os_1_1");
        assert_eq!(row_id_of_slug("oo-1-1-1"), "oo_1_1_1");
    }

    #[test]
    fn anchors_fold_accents() {
        assert_eq!(anchor("Età media"), "eta-media");
        assert_eq!(anchor("3.1 - Struttura"), "3-1-struttura");
        assert_eq!(anchor("—"), "sezione");
    }
}

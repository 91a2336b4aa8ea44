//! Characters the PDF cannot show. PDF/A requires every character to be drawn with an embedded
//! font; typst refuses the whole document otherwise, with an English message located in the
//! print template. The content is checked first, so the planner reads where the character is
//! (an emoji in an objective's title, a sign pasted from another program) and what to do.

use crate::content::model::Book;
use crate::diag::{Diagnostic, Location};
use crate::render::assets::fonts;
use std::sync::OnceLock;
use typst::foundations::Bytes;
use typst::text::{Coverage, Font};

/// The characters of the PDF's fonts, read once from the embedded files.
fn coverage() -> &'static [Coverage] {
    static COVERAGE: OnceLock<Vec<Coverage>> = OnceLock::new();
    COVERAGE.get_or_init(|| {
        fonts::print_faces()
            .into_iter()
            .flat_map(|face| Font::iter(Bytes::new(face)))
            .map(|font| font.info().coverage.clone())
            .collect()
    })
}

/// Whether some font of the PDF draws `c`. Spaces and control characters are layout, not
/// glyphs.
pub fn printable(c: char) -> bool {
    c.is_ascii() || c.is_whitespace() || c.is_control() || {
        let code = u32::from(c);
        coverage().iter().any(|cov| cov.contains(code))
    }
}

/// The first character of the content that no font of the PDF has, at its place.
pub fn check(book: &Book) -> Result<(), Diagnostic> {
    for (path, text) in book.files() {
        if let Some((offset, c)) = text.char_indices().find(|&(_, c)| !printable(c)) {
            return Err(Diagnostic::new(
                Location::in_text(path, text, offset),
                format!(
                    "il carattere «{c}» (U+{:04X}) non è disponibile nei caratteri del PDF, che lo rifiuterebbe: sostituirlo con un testo o un segno comune, o toglierlo",
                    u32::from(c)
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_text_and_common_signs_are_printable() {
        for c in "àèéìòù ÀÈÉ €–—…«»“”‘’•·×÷≥≤±°%&§".chars() {
            assert!(printable(c), "{c}");
        }
    }

    #[test]
    fn emoji_and_unknown_scripts_are_not() {
        for c in ['🙂', '\u{1F4C8}', '𓀀'] {
            assert!(!printable(c), "{c}");
        }
    }
}

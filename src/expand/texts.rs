//! The texts of the data files, checked where they are written before either renderer reads
//! them. What both renderers read as Markdown (a table's text cells, group and total labels and
//! notes; an objective's description, introduction, unit, notes, an indicator's name,
//! algorithm and signal; an area's functions; every revision's reason) follows the rules of
//! piao's Markdown ([`markdown::check`]); every other string is plain text, escaped by both
//! renderers, and only needs words the PDF can break. The files are read as written, so a
//! problem has the same place whichever edition is built.

use crate::content::jsonpos;
use crate::content::model::Book;
use crate::diag::{Diagnostic, Location};
use crate::markdown::{self, Problem, Source};
use std::path::Path;

/// The keys whose strings (and every string inside them: a revised cell's `vecchio` and
/// `nuovo`, the items of `note`) a data table's renderers read as Markdown.
const TABLE_MARKDOWN: &[&str] = &["valori", "totale", "etichetta", "gruppo", "note", "motivo"];

/// The same for the files of the performance cascade.
const OBJECTIVE_MARKDOWN: &[&str] = &[
    "descrizione",
    "introduzione",
    "uo",
    "note",
    "nome",
    "algoritmo",
    "valore_segnaletico",
    "funzioni",
    "motivo",
];

/// Checks every string of the book's tables and objectives.
pub fn check(book: &Book) -> Result<(), Diagnostic> {
    for table in book.tables.values() {
        check_file(&table.path, &table.text, TABLE_MARKDOWN)?;
    }
    if let Some(objs) = &book.objectives {
        check_file(&objs.ambiti.path, &objs.ambiti.text, OBJECTIVE_MARKDOWN)?;
        check_file(&objs.areas.path, &objs.areas.text, OBJECTIVE_MARKDOWN)?;
        for o in &objs.strategic {
            check_file(&o.path, &o.text, OBJECTIVE_MARKDOWN)?;
        }
        for o in &objs.operational {
            check_file(&o.path, &o.text, OBJECTIVE_MARKDOWN)?;
        }
    }
    Ok(())
}

fn check_file(path: &Path, text: &str, markdown_keys: &[&str]) -> Result<(), Diagnostic> {
    match first_problem(text, markdown_keys) {
        Some((offset, message)) => Err(Diagnostic::new(
            Location::in_text(path, text, offset),
            message,
        )),
        None => Ok(()),
    }
}

/// A container being read: an object (with the key of the value being read) or an array, and
/// whether its strings are Markdown.
struct Frame {
    object: bool,
    markdown: bool,
    key: Option<String>,
}

impl Frame {
    /// Whether the value being read in this container is Markdown.
    fn value_is_markdown(&self, markdown_keys: &[&str]) -> bool {
        self.markdown
            || (self.object
                && self
                    .key
                    .as_deref()
                    .is_some_and(|k| markdown_keys.contains(&k)))
    }
}

/// The first string of the JSON `text` (in file order) that breaks the rules: its byte offset
/// in the file and the message. The text is read once, as written (the loader has already
/// parsed it), so every place is exact, escapes included.
fn first_problem(text: &str, markdown_keys: &[&str]) -> Option<(usize, String)> {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                let markdown = stack
                    .last()
                    .is_some_and(|f| f.value_is_markdown(markdown_keys));
                stack.push(Frame {
                    object: bytes[i] == b'{',
                    markdown,
                    key: None,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                if let Some(parent) = stack.last_mut().filter(|f| f.object) {
                    parent.key = None;
                }
                i += 1;
            }
            b'"' => {
                let end = string_end(bytes, i);
                let decoded: String = serde_json::from_str(&text[i..end]).unwrap_or_default();
                match stack.last_mut() {
                    Some(frame) if frame.object && frame.key.is_none() => {
                        frame.key = Some(decoded);
                    }
                    frame => {
                        let markdown = frame
                            .as_deref()
                            .is_some_and(|f| f.value_is_markdown(markdown_keys));
                        let checked = if markdown {
                            markdown::check(&decoded, Source::Data)
                        } else {
                            markdown::check_words(&decoded)
                        };
                        if let Err(Problem { offset, message }) = checked {
                            return Some((jsonpos::offset_in_string(text, i, offset), message));
                        }
                        if let Some(f) = frame.filter(|f| f.object) {
                            f.key = None;
                        }
                    }
                }
                i = end;
            }
            b',' | b':' => i += 1,
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                // A number, true, false or null: it ends an object's member.
                while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']') {
                    i += 1;
                }
                if let Some(f) = stack.last_mut().filter(|f| f.object) {
                    f.key = None;
                }
            }
        }
    }
    None
}

/// The offset just past the string whose opening quote is at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut j = start + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return j + 1,
            _ => j += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keys_are_checked_in_file_order_and_placed_exactly() {
        let json = "{\n  \"titolo\": \"<b> è testo semplice\",\n  \"righe\": [\n    { \"valori\": [\"ok\", { \"vecchio\": \"a\", \"nuovo\": \"\\\"x\\\" <script>\", \"motivo\": \"m\" }] }\n  ],\n  \"note\": [\"<i>\"]\n}";
        let (offset, message) = first_problem(json, TABLE_MARKDOWN).unwrap();
        assert!(
            json[offset..].starts_with("<script>"),
            "{}",
            &json[offset..]
        );
        assert!(message.starts_with("HTML non ammesso"), "{message}");
    }

    #[test]
    fn plain_strings_only_need_breakable_words() {
        let long = "x".repeat(markdown::MAX_WORD + 1);
        let json = format!("{{\"titolo\": \"<b>\", \"fonte\": \"a {long}\"}}");
        let (offset, _) = first_problem(&json, TABLE_MARKDOWN).unwrap();
        assert_eq!(offset, json.find(&long).unwrap());
        assert!(
            first_problem(
                "{\"titolo\": \"<b>\", \"n\": [1, true, null]}",
                TABLE_MARKDOWN
            )
            .is_none()
        );
    }
}

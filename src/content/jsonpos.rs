//! Finds where a value sits in a JSON text. serde reports positions only for syntax and type
//! errors; the compute and check stages find problems after parsing (a total that disagrees,
//! an unknown column id) and still owe the planner a line and a column.

use crate::diag::{Diagnostic, Location};
use std::path::Path;

/// A JSON file of the content, already parsed: where its values are.
#[derive(Debug, Clone, Copy)]
pub struct JsonFile<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

impl<'a> JsonFile<'a> {
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        JsonFile { path, text }
    }

    /// Byte offset of the value at `path` (or of its deepest existing ancestor).
    pub fn offset(&self, path: &[Step<'_>]) -> usize {
        locate(self.text, path)
    }

    /// The location of the value at `path`.
    pub fn at(&self, path: &[Step<'_>]) -> Location {
        self.at_offset(self.offset(path))
    }

    /// The location of a byte offset of the file.
    pub fn at_offset(&self, offset: usize) -> Location {
        Location::in_text(self.path, self.text, offset)
    }

    /// Byte offset in the file of byte `offset` of the string value at `path` as decoded:
    /// escapes (`\"`, `\u00e0`) take more room in the file than in the string, so an error
    /// found in a decoded formula or text points at the character the planner typed.
    pub fn string_offset(&self, path: &[Step<'_>], offset: usize) -> usize {
        offset_in_string(self.text, self.offset(path), offset)
    }

    /// A problem with the value at `path`.
    pub fn error(&self, path: &[Step<'_>], message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.at(path), message)
    }
}

/// Byte offset in `text` (a JSON file) of byte `decoded` of the string value whose opening
/// quote is at `quote` (or `quote` itself when no string starts there): escapes (`\"`,
/// `\u00e0`) take more room in the file than in the string.
pub fn offset_in_string(text: &str, quote: usize, decoded: usize) -> usize {
    let b = text.as_bytes();
    if b.get(quote) != Some(&b'"') {
        return quote;
    }
    let (mut raw, mut read) = (quote + 1, 0usize);
    while read < decoded {
        let Some(&c) = b.get(raw) else { break };
        let (raw_len, decoded_len) = match c {
            b'"' => break,
            b'\\' => escape_len(b.get(raw + 1..).unwrap_or_default()),
            _ => {
                let len = utf8_len(c);
                (len, len)
            }
        };
        raw += raw_len;
        read += decoded_len;
    }
    raw.min(b.len())
}

/// One step of a path into a JSON document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Byte offset of the value at `path` in `text` (already valid JSON), or of the deepest
/// ancestor that exists.
pub fn locate(text: &str, path: &[Step<'_>]) -> usize {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    for step in path {
        match find_child(bytes, pos, *step) {
            Some(child) => pos = child,
            None => break,
        }
    }
    pos
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Start offset of the child value of the container starting at `i`.
fn find_child(b: &[u8], i: usize, step: Step<'_>) -> Option<usize> {
    match (b.get(i)?, step) {
        (b'{', Step::Key(key)) => {
            let mut j = skip_ws(b, i + 1);
            while j < b.len() && b[j] != b'}' {
                let key_end = skip_value(b, j);
                let name = std::str::from_utf8(&b[j + 1..key_end.saturating_sub(1)]).ok()?;
                j = skip_ws(b, key_end);
                j = skip_ws(b, j + 1); // ':'
                if name == key {
                    return Some(j);
                }
                j = skip_ws(b, skip_value(b, j));
                if b.get(j) == Some(&b',') {
                    j = skip_ws(b, j + 1);
                }
            }
            None
        }
        (b'[', Step::Index(n)) => {
            let mut j = skip_ws(b, i + 1);
            let mut k = 0;
            while j < b.len() && b[j] != b']' {
                if k == n {
                    return Some(j);
                }
                j = skip_ws(b, skip_value(b, j));
                if b.get(j) == Some(&b',') {
                    j = skip_ws(b, j + 1);
                }
                k += 1;
            }
            None
        }
        _ => None,
    }
}

/// Bytes a UTF-8 character takes, from its first byte.
fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// For the escape after a `\` (`rest` starts at the character after it): the bytes it takes
/// in the file (with the `\`) and in the decoded string.
fn escape_len(rest: &[u8]) -> (usize, usize) {
    let hex = |r: &[u8]| {
        std::str::from_utf8(r.get(1..5)?)
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
    };
    match rest.first() {
        Some(b'u') => match hex(rest) {
            // A surrogate pair, `\ud83d\ude00`: one character of four bytes.
            Some(0xD800..=0xDBFF) if rest.get(5..7) == Some(&b"\\u"[..]) => (12, 4),
            Some(code) => (6, char::from_u32(code).map_or(3, char::len_utf8)),
            None => (2, 1),
        },
        _ => (2, 1),
    }
}

/// Offset just past the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => {
            let mut j = i + 1;
            while j < b.len() {
                match b[j] {
                    b'\\' => j += 2,
                    b'"' => return j + 1,
                    _ => j += 1,
                }
            }
            j
        }
        Some(b'{') | Some(b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_value(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            j
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']') && !b[j].is_ascii_whitespace()
            {
                j += 1;
            }
            j
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::line_col;

    #[test]
    fn finds_nested_values() {
        let text = "{\n  \"a\": [1, {\"b\": \"x,}\"}],\n  \"c\": {\"d\": [10, 20]}\n}";
        let at = |p: &[Step]| line_col(text, locate(text, p));
        assert_eq!(
            at(&[Step::Key("c"), Step::Key("d"), Step::Index(1)]),
            (3, 19)
        );
        assert_eq!(
            at(&[Step::Key("a"), Step::Index(1), Step::Key("b")]),
            (2, 18)
        );
        // A missing step stops at the deepest existing ancestor.
        assert_eq!(at(&[Step::Key("c"), Step::Key("zz")]), (3, 8));
    }

    #[test]
    fn json_escapes_are_counted_in_the_file() {
        let json = r#"{"a": "x\n\"y\" \u00e0 \ud83d\ude00 z"}"#;
        let quote = json.find("\"x").unwrap();
        let text: String = serde_json::from_str(&json[quote..json.len() - 1]).unwrap();
        let z = text.find('z').unwrap();
        assert_eq!(&json[offset_in_string(json, quote, z)..][..1], "z");
        let y = text.find('y').unwrap();
        assert_eq!(&json[offset_in_string(json, quote, y)..][..1], "y");
    }

    #[test]
    fn string_offsets_skip_escapes() {
        let text = r#"{"f": "a\"b\u00e0c\ud83d\ude00d", "n": 5}"#;
        let file = JsonFile::new(Path::new("x.json"), text);
        let decoded: String = serde_json::from_str::<serde_json::Value>(text).unwrap()["f"]
            .as_str()
            .unwrap()
            .to_string();
        for (i, ch) in decoded.char_indices() {
            let raw = file.string_offset(&[Step::Key("f")], i);
            let typed = &text[raw..];
            match ch {
                '"' => assert!(typed.starts_with("\\\""), "{typed}"),
                'à' => assert!(typed.starts_with("\\u00e0"), "{typed}"),
                '😀' => assert!(typed.starts_with("\\ud83d"), "{typed}"),
                other => assert!(typed.starts_with(other), "{typed}"),
            }
        }
        // Not a string: the value itself.
        assert_eq!(file.string_offset(&[Step::Key("n")], 3), text.len() - 2);
    }
}

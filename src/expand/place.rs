//! Where a place of a text is in its file, when the text is not the file as written: a page
//! after its expressions are expanded (a string of a JSON file after its escapes are decoded is
//! [`crate::content::jsonpos::offset_in_string`]).
//! And a cursor that locates many places of one text in a single pass, so a page with
//! thousands of revisions is not read again from its start for each of them.

use crate::diag::Location;
use std::path::Path;

/// Locates byte offsets of one text, in increasing order, reading it once.
pub struct Cursor<'a> {
    file: &'a Path,
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(file: &'a Path, text: &'a str) -> Self {
        Cursor {
            file,
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// The location of byte `offset` (as [`Location::in_text`] gives it); an offset before the
    /// last one asked starts again from the beginning.
    pub fn at(&mut self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = Cursor::new(self.file, self.text);
        }
        for c in self.text[self.offset..offset].chars() {
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.offset = offset;
        Location::new(self.file, self.line, self.column)
    }
}

/// The location in `source` (a page as written) of byte `offset` of `expanded` (the page after
/// its expressions are expanded). Text outside the expressions is where it was: a place before
/// the first changed byte, or after the last, maps exactly. Inside, when the expressions kept
/// the lines (they expand within their line), the place maps on its line: exactly if outside
/// the expressions of that line, else to where the expression that wrote it starts; otherwise
/// to the first expression whose output differs from its source.
pub fn expanded(file: &Path, source: &str, expanded: &str, offset: usize) -> Location {
    let offset = offset.min(expanded.len());
    let (prefix, suffix) = common_ends(source, expanded);
    if offset < prefix {
        return Location::in_text(file, source, offset);
    }
    if offset >= expanded.len() - suffix {
        return Location::in_text(file, source, offset + source.len() - expanded.len());
    }
    let changed_lines = |t: &str, end: usize| t[prefix..end].matches('\n').count();
    let same_lines = changed_lines(source, source.len() - suffix)
        == changed_lines(expanded, expanded.len() - suffix);
    if !same_lines {
        return Location::in_text(file, source, prefix);
    }
    let line = expanded[..offset].matches('\n').count();
    let (exp_start, exp_line) = nth_line(expanded, line);
    let (src_start, src_line) = nth_line(source, line);
    let column = offset - exp_start;
    let (q, r) = common_ends(src_line, exp_line);
    let mapped = if column < q {
        column
    } else if column >= exp_line.len() - r {
        column + src_line.len() - exp_line.len()
    } else {
        q
    };
    Location::in_text(file, source, src_start + mapped)
}

/// The lengths in bytes of the longest common prefix and suffix of `a` and `b`, on character
/// boundaries and not overlapping.
fn common_ends(a: &str, b: &str) -> (usize, usize) {
    let mut prefix = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(prefix) || !b.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let room = a.len().min(b.len()) - prefix;
    let mut suffix = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    while !a.is_char_boundary(a.len() - suffix) || !b.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    (prefix, suffix)
}

/// The start and the text (without its line break) of line `n` (0-based) of `text`; past the
/// end, the last line.
fn nth_line(text: &str, n: usize) -> (usize, &str) {
    let mut start = 0;
    for _ in 0..n {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    (start, &text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::line_col;

    #[test]
    fn the_cursor_agrees_with_line_col() {
        let text = "àb\ncd\n\nèf";
        let mut cursor = Cursor::new(Path::new("p.md"), text);
        for offset in [0, 2, 3, 5, 6, 7, 9, 1, 11, 4] {
            let at = cursor.at(offset);
            assert_eq!((at.line, at.column), line_col(text, offset), "{offset}");
        }
    }

    #[test]
    fn an_expanded_place_maps_back_to_its_source() {
        let source = "# T\n\nEnte: {{ documento.ente }} <b>\n\nfine <i>\n";
        let expanded = "# T\n\nEnte: Camera di commercio <b>\n\nfine <i>\n";
        let at = |needle: &str| {
            let offset = expanded.find(needle).unwrap();
            let l = super::expanded(Path::new("p.md"), source, expanded, offset);
            (l.line, l.column)
        };
        // After the expression on its line, and after every expression: exact.
        assert_eq!(at("<b>"), (3, 28));
        assert_eq!(at("<i>"), (5, 6));
        // Inside what an expression wrote: the expression.
        assert_eq!(at("commercio"), (3, 7));
        assert_eq!(at("Ente"), (3, 1));
    }
}

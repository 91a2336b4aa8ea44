//! Word-level difference of two Markdown texts, written as CriticMarkup in the newer one: an
//! edited sentence shows the words that changed, not the whole paragraph struck. Lines are
//! aligned first, so the marks never cross a paragraph, a list item or a table row; inside a
//! line, a change that touches Markdown's own syntax (emphasis, links, code, a template's
//! `{{ … }}`) is marked on the whole line instead, so the marks cannot break it.

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// `new` with every difference from `old` marked (`{~~old~>new~~}`, `{++…++}`, `{--…--}`),
/// each followed by `{>>reason<<}` when there is one; `None` when the texts are equal.
/// Consolidating the result gives `new` back exactly. Lines of `new` that already carry
/// CriticMarkup are the planner's own revisions and are kept as written.
pub fn mark(old: &str, new: &str, reason: Option<&str>) -> Option<String> {
    if old == new {
        return None;
    }
    let note = reason
        .map(|r| format!("{{>>{}<<}}", r.replace("<<}", "<< }")))
        .unwrap_or_default();
    let old_lines: Vec<&str> = old.split('\n').collect();
    let new_lines: Vec<&str> = new.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(new_lines.len());
    for op in capture_diff_slices(Algorithm::Myers, &old_lines, &new_lines) {
        let (tag, o, n) = op.as_tag_tuple();
        let (olds, news) = (&old_lines[o], &new_lines[n]);
        match tag {
            DiffTag::Equal => out.extend(news.iter().map(|l| l.to_string())),
            DiffTag::Insert | DiffTag::Delete | DiffTag::Replace => {
                let paired = olds.len().min(news.len());
                for (a, b) in olds.iter().zip(news.iter()) {
                    out.push(line(a, b, &note));
                }
                out.extend(news[paired..].iter().map(|l| inserted(l, &note)));
                let gone = &olds[paired..];
                // Blank lines go with the lines they separated: a deleted paragraph keeps
                // its own, a merely removed blank line leaves nothing.
                if gone.iter().any(|l| !l.trim().is_empty()) {
                    out.extend(gone.iter().map(|l| deleted(l, &note)));
                }
            }
        }
    }
    Some(out.join("\n"))
}

/// Whether a line already has revision marks written by the planner.
fn hand_marked(line: &str) -> bool {
    ["{++", "{--", "{~~", "{>>"]
        .iter()
        .any(|m| line.contains(m))
}

/// A line that replaced another.
fn line(old: &str, new: &str, note: &str) -> String {
    if old == new || hand_marked(new) {
        return new.to_string();
    }
    if is_row(old) && is_row(new) {
        return row(old, new, note);
    }
    let (op, orest) = split_prefix(old);
    let (np, nrest) = split_prefix(new);
    if op != np {
        return format!("{np}{}", whole(orest, nrest, note));
    }
    format!("{np}{}", words(orest, nrest, note))
}

fn inserted(line: &str, note: &str) -> String {
    if line.trim().is_empty() || hand_marked(line) {
        return line.to_string();
    }
    if is_row(line) {
        return row("", line, note);
    }
    let (p, rest) = split_prefix(line);
    format!("{p}{}", whole("", rest, note))
}

fn deleted(line: &str, note: &str) -> String {
    if line.trim().is_empty() {
        return String::new();
    }
    if is_row(line) {
        return row(line, "", note);
    }
    let (p, rest) = split_prefix(line);
    format!("{p}{}", whole(rest, "", note))
}

/// A table row of the pipe syntax (`| a | b |`), or its separator.
fn is_row(line: &str) -> bool {
    line.trim_start().starts_with('|')
}

/// A table row cell by cell, so the pipes stay outside the marks. `old` or `new` may be
/// empty (an inserted or deleted row); a separator row (`|---|`) is never marked.
fn row(old: &str, new: &str, note: &str) -> String {
    let cells = |l: &str| -> Vec<String> { l.split('|').map(str::to_string).collect() };
    if new.is_empty() {
        if old.contains("---") {
            return String::new();
        }
        let c = cells(old);
        return c
            .iter()
            .enumerate()
            .map(|(i, cell)| inner_cell(&c, i, cell, |t| whole(t, "", note)))
            .collect::<Vec<_>>()
            .join("|");
    }
    if new.contains("---") {
        return new.to_string();
    }
    let (oc, nc) = (cells(old), cells(new));
    nc.iter()
        .enumerate()
        .map(|(i, cell)| {
            let before = oc.get(i).map(String::as_str).unwrap_or("");
            inner_cell(&nc, i, cell, |t| whole(before.trim(), t, note))
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// One cell of a split row: the text between the pipes marked by `f`, its padding kept; the
/// empty pieces before the first pipe and after the last are not cells.
fn inner_cell(all: &[String], i: usize, cell: &str, f: impl Fn(&str) -> String) -> String {
    let edge = i == 0 || i + 1 == all.len();
    let t = cell.trim();
    if edge && t.is_empty() {
        return cell.to_string();
    }
    let lead = &cell[..cell.len() - cell.trim_start().len()];
    let trail = &cell[cell.trim_end().len()..];
    format!("{lead}{}{trail}", f(t))
}

/// A line's block syntax (indentation, list marker, heading, quote), kept outside the marks.
fn split_prefix(line: &str) -> (&str, &str) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    let rest = &line[i..];
    let marker = if rest.starts_with("- ") || rest.starts_with("* ") || rest.starts_with("+ ") {
        2
    } else if rest.starts_with('#') || rest.starts_with('>') {
        let n = rest.bytes().take_while(|&c| c == b'#' || c == b'>').count();
        n + rest[n..].bytes().take_while(|&c| c == b' ').count()
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && (rest[digits..].starts_with(". ") || rest[digits..].starts_with(") ")) {
            digits + 2
        } else {
            0
        }
    };
    line.split_at(i + marker)
}

/// The whole text replaced: `{~~old~>new~~}`, or an insertion or deletion when a side is
/// empty.
fn whole(old: &str, new: &str, note: &str) -> String {
    if old.trim() == new.trim() {
        return new.to_string();
    }
    match (old.trim().is_empty(), new.trim().is_empty()) {
        (true, true) => new.to_string(),
        (true, false) => format!("{{++{new}++}}{note}"),
        (false, true) => format!("{{--{old}--}}{note}"),
        (false, false) => format!("{{~~{old}~>{new}~~}}{note}"),
    }
}

/// Characters of Markdown's and the templates' inline syntax: a change that contains one is
/// marked on the whole line.
const SYNTAX: &[char] = &[
    '*', '_', '`', '[', ']', '<', '>', '{', '}', '~', '\\', '|', '!',
];

/// The words of a line that changed, each run of changes marked once.
fn words(old: &str, new: &str, note: &str) -> String {
    let (ot, nt) = (tokens(old), tokens(new));
    let ops = capture_diff_slices(Algorithm::Myers, &ot, &nt);
    // Runs of changes, with the equal whitespace between two changes folded into the run.
    let mut hunks: Vec<(std::ops::Range<usize>, std::ops::Range<usize>, bool)> = Vec::new();
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        let changed = tag != DiffTag::Equal;
        let blank = !changed && nt[n.clone()].iter().all(|t| t.trim().is_empty());
        match hunks.last_mut() {
            Some((lo, ln, true)) if changed || blank => {
                lo.end = o.end;
                ln.end = n.end;
            }
            _ => hunks.push((o, n, changed)),
        }
    }
    // A fold that ended on equal whitespace gives it back.
    let mut out = String::with_capacity(new.len() + 32);
    for (o, n, changed) in hunks {
        let (os, ns) = (ot[o].concat(), nt[n].concat());
        if !changed {
            out.push_str(&ns);
            continue;
        }
        let (oc, nc) = (os.trim(), ns.trim());
        if oc.contains(SYNTAX) || nc.contains(SYNTAX) {
            return whole(old, new, note);
        }
        if nc.is_empty() && !oc.is_empty() {
            // Words taken out keep their spaces inside the struck text, so it never runs
            // into its neighbours, and the text in force is exactly the new one.
            out.push_str(&ns);
            out.push_str(&format!("{{--{os}--}}{note}"));
            continue;
        }
        let lead = &ns[..ns.len() - ns.trim_start().len()];
        let trail = &ns[ns.trim_end().len()..];
        out.push_str(lead);
        out.push_str(&whole(oc, nc, note));
        if !nc.is_empty() || trail != lead {
            out.push_str(trail);
        }
    }
    out
}

/// A line cut into words and the whitespace between them; a template's `{{ … }}` or
/// `{% … %}` is one token, whatever its spaces.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut i = 0;
    let b = line.as_bytes();
    while i < b.len() {
        let start = i;
        if line[i..].starts_with("{{") || line[i..].starts_with("{%") {
            let close = if b[i + 1] == b'{' { "}}" } else { "%}" };
            i = line[i + 2..].find(close).map_or(b.len(), |k| i + 2 + k + 2);
        } else {
            let space = b[i].is_ascii_whitespace();
            while i < b.len()
                && b[i].is_ascii_whitespace() == space
                && !(line[i..].starts_with("{{") || line[i..].starts_with("{%"))
            {
                i += line[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
        out.push(&line[start..i]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::critic::consolidate;

    fn check(old: &str, new: &str, expected: &str) {
        let marked = mark(old, new, Some("m")).unwrap();
        assert_eq!(marked, expected);
        // A deleted paragraph leaves its blank lines, which Markdown reads as one.
        fn blanks(t: &str) -> Vec<&str> {
            t.split("\n\n").filter(|p| !p.is_empty()).collect()
        }
        assert_eq!(
            blanks(&consolidate(&marked)),
            blanks(new),
            "consolidates to the new text"
        );
    }

    #[test]
    fn an_edited_sentence_shows_its_changed_words() {
        check(
            "Si prevede l'assunzione di 7 unità nel 2025.",
            "Si prevede l'assunzione di 9 unità nel 2026.",
            "Si prevede l'assunzione di {~~7~>9~~}{>>m<<} unità nel {~~2025.~>2026.~~}{>>m<<}",
        );
        check(
            "La Camera promuove le imprese.",
            "La Camera promuove e sostiene le imprese.",
            "La Camera promuove {++e sostiene++}{>>m<<} le imprese.",
        );
        check(
            "La Camera promuove e sostiene le imprese.",
            "La Camera promuove le imprese.",
            "La Camera promuove {--e sostiene --}{>>m<<}le imprese.",
        );
        assert_eq!(mark("uguale", "uguale", None), None);
    }

    #[test]
    fn lists_tables_and_syntax_stay_intact() {
        check(
            "- uno\n- due",
            "- uno\n- tre",
            "- uno\n- {~~due~>tre~~}{>>m<<}",
        );
        check("- uno", "- uno\n- due", "- uno\n- {++due++}{>>m<<}");
        check(
            "| a | 1 |\n|---|---|\n| b | 2 |",
            "| a | 1 |\n|---|---|\n| b | 3 |",
            "| a | 1 |\n|---|---|\n| b | {~~2~>3~~}{>>m<<} |",
        );
        check(
            "Testo **in grassetto** qui.",
            "Testo **in corsivo** qui.",
            "{~~Testo **in grassetto** qui.~>Testo **in corsivo** qui.~~}{>>m<<}",
        );
        check(
            "Sono {{ grandezze.a }} unità.",
            "Sono {{ grandezze.b }} unità.",
            "{~~Sono {{ grandezze.a }} unità.~>Sono {{ grandezze.b }} unità.~~}{>>m<<}",
        );
        check(
            "Primo.\n\nSecondo.\n\nTerzo.",
            "Primo.\n\nTerzo.",
            "Primo.\n\n{--Secondo.--}{>>m<<}\n\nTerzo.",
        );
    }

    #[test]
    fn the_planners_own_marks_are_kept() {
        let new = "Testo {++nuovo++}{>>scritto a mano<<}.";
        assert_eq!(mark("Testo.", new, Some("m")).unwrap(), new);
    }
}

//! Column widths of a printed table: typst needs them up front, and equal columns waste the
//! page. Widths are relative, in characters of the table's text: every column gets at least
//! its longest word (header included) or figure, and the line's remaining room goes to the
//! columns with more text, so long descriptions widen and short words are never cut.

use super::blocks::Inline;
use super::model::RowData;
use crate::view::grid::HeadCell as GridCell;

/// The text of runs, for measuring.
fn plain(runs: &[Inline]) -> String {
    let mut out = String::new();
    for r in runs {
        match r {
            Inline::Text { v } | Inline::Code { v } => out.push_str(v),
            Inline::Strong { c }
            | Inline::Emph { c }
            | Inline::Strike { c }
            | Inline::Old { c }
            | Inline::New { c }
            | Inline::Link { c, .. } => out.push_str(&plain(c)),
            _ => out.push(' '),
        }
    }
    out
}

/// Characters of text in runs (what a cell needs room for).
fn text_len(runs: &[Inline]) -> usize {
    runs.iter()
        .map(|r| match r {
            Inline::Text { v } | Inline::Code { v } => v.chars().count(),
            Inline::Strong { c }
            | Inline::Emph { c }
            | Inline::Strike { c }
            | Inline::Old { c }
            | Inline::New { c }
            | Inline::OldQuiet { c }
            | Inline::NewQuiet { c }
            | Inline::Link { c, .. } => text_len(c),
            Inline::Note { .. } | Inline::Ref { .. } | Inline::Break => 1,
        })
        .sum()
}

/// How a table is set: on a landscape page or not, its type size, its column widths.
pub struct Layout {
    pub landscape: bool,
    /// Points.
    pub size: f64,
    pub widths: Vec<f64>,
}

/// Tables with this many columns are wide: set at 7 points when kept on a portrait page, and
/// turned landscape only when their words do not fit one.
const WIDE: usize = 8;

/// Characters a column's padding takes, on each side of its text.
const PADDING: f64 = 1.0;

/// The type size of a table (points) and the characters a line of it holds at that size, on a
/// portrait or `landscape` page, with `columns` columns: more than five are set smaller, a
/// wide table kept portrait smaller still. One home for both, so that the widths are measured
/// at the size the template sets.
fn type_and_room(landscape: bool, columns: usize) -> (f64, f64) {
    match (landscape, columns) {
        // Only wide tables are turned landscape.
        (true, _) => (8.0, 175.0),
        (false, n) if n >= WIDE => (7.0, 135.0),
        (false, n) if n > 5 => (8.0, 118.0),
        (false, _) => (9.0, 105.0),
    }
}

/// The layout of a table whose header cells are placed on the grid, with `rows` as printed. A
/// landscape page of its own takes a whole page, so it is kept for the wide tables whose
/// columns, each as wide as its longest word, do not fit a portrait one.
pub fn layout(header: &[Vec<GridCell>], rows: &[RowData], numeric: &[bool]) -> Layout {
    let (least, wanted) = needs(header, rows, numeric);
    let columns = numeric.len();
    let floor: f64 = least.iter().sum::<f64>() + 2.0 * PADDING * least.len() as f64;
    let landscape = columns >= WIDE && floor > type_and_room(false, columns).1;
    let (size, room) = type_and_room(landscape, columns);
    Layout {
        landscape,
        size,
        widths: widths(least, wanted, room),
    }
}

/// Relative widths: what each column wants when the line holds it all, otherwise each its
/// least and the rest of the line shared by what they want beyond it.
fn widths(least: Vec<f64>, wanted: Vec<f64>, room: f64) -> Vec<f64> {
    let total: f64 = wanted.iter().sum();
    if total <= room {
        return wanted;
    }
    let floor: f64 = least.iter().sum();
    let extra: f64 = wanted.iter().zip(&least).map(|(w, l)| w - l).sum();
    if floor >= room || extra <= 0.0 {
        return least;
    }
    wanted
        .iter()
        .zip(&least)
        .map(|(w, l)| l + (room - floor) * (w - l) / extra)
        .collect()
}

/// Per column, the least width (its longest word, header included, or figure) and the wanted
/// one (its average text), in characters.
fn needs(header: &[Vec<GridCell>], rows: &[RowData], numeric: &[bool]) -> (Vec<f64>, Vec<f64>) {
    let n = numeric.len();
    // Capitals and bold header text run wider than the average character.
    let longest_word = |s: &str| {
        s.split_whitespace()
            .map(|w| {
                let len = w.chars().count() as f64;
                if w.chars().any(char::is_lowercase) {
                    len
                } else {
                    len * 1.3
                }
            })
            .fold(0.0, f64::max)
    };
    let mut least = vec![3.0f64; n];
    for cell in header.iter().flatten() {
        if cell.colspan == 1 && cell.column < n {
            least[cell.column] = least[cell.column].max(longest_word(&cell.text) * 1.1 + 1.5);
        }
    }
    let mut wanted = vec![4.0f64; n];
    for c in 0..n {
        let cells: Vec<&RowData> = rows.iter().filter(|r| r.cells.len() == n).collect();
        let lens: Vec<usize> = cells
            .iter()
            .map(|r| text_len(&r.cells[c].c))
            .filter(|l| *l > 0)
            .collect();
        if lens.is_empty() {
            continue;
        }
        // A word longer than the column would overflow it (up to a bound: very long words
        // are rare and wrap at their hyphens).
        let word = cells
            .iter()
            .map(|r| longest_word(&plain(&r.cells[c].c)).min(16.0))
            .fold(0.0, f64::max);
        least[c] = least[c].max(word + 1.0);
        if numeric[c] {
            let widest = *lens.iter().max().unwrap_or(&4) as f64 + 1.0;
            least[c] = least[c].max(widest);
            wanted[c] = widest;
        } else {
            wanted[c] = lens.iter().sum::<usize>() as f64 / lens.len() as f64;
        }
        wanted[c] = wanted[c].max(least[c]);
    }
    (least, wanted)
}

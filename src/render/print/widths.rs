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

/// Characters a line of a table holds: on a portrait or `landscape` page, with `columns`
/// columns (the template sets more than five smaller, and a wide table kept portrait smaller
/// still).
fn room(landscape: bool, columns: usize) -> f64 {
    match (landscape, columns) {
        (true, _) => 175.0,
        (false, n) if n >= WIDE => 135.0,
        (false, n) if n > 5 => 118.0,
        (false, _) => 105.0,
    }
}

/// Tables with this many columns are wide: set at 7 points when kept on a portrait page.
pub const WIDE: usize = 8;

/// Characters a column's padding takes, on each side of its text.
const PADDING: f64 = 1.0;

/// Whether the table fits a portrait page with every column as wide as its longest word: a
/// landscape page of its own leaves the text before it a mostly empty page, so it is kept
/// for the tables that need it.
pub fn fits_portrait(header: &[Vec<GridCell>], rows: &[RowData], numeric: &[bool]) -> bool {
    let (least, _) = needs(header, rows, numeric);
    let padding = 2.0 * PADDING * least.len() as f64;
    least.iter().sum::<f64>() + padding <= room(false, numeric.len())
}

/// Relative widths for a table whose header cells are placed on the grid, with `rows` as
/// printed, on a portrait or `landscape` page.
pub fn column_widths(
    header: &[Vec<GridCell>],
    rows: &[RowData],
    numeric: &[bool],
    landscape: bool,
) -> Vec<f64> {
    let (least, wanted) = needs(header, rows, numeric);
    let room = room(landscape, numeric.len());
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

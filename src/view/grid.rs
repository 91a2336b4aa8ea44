//! A table's header laid on a grid: cells that span rows occupy the rows below, so each cell
//! knows the column it starts at. The site aligns a header cell over a single numeric column
//! to the right like the figures under it, and the print edition sizes its columns from the
//! same placement.

use crate::content::model::HeaderCell;

/// A header cell placed on the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadCell {
    pub text: String,
    pub colspan: u32,
    pub rowspan: u32,
    /// The column it starts at.
    pub column: usize,
    /// Over a single numeric column.
    pub numeric: bool,
}

/// Places the header rows over columns whose numeric flags are `numeric`.
pub fn place(header: &[Vec<HeaderCell>], numeric: &[bool]) -> Vec<Vec<HeadCell>> {
    let n = numeric.len();
    let mut occupied: Vec<Vec<bool>> = vec![vec![false; n]; header.len()];
    header
        .iter()
        .enumerate()
        .map(|(ri, row)| {
            let mut col = 0usize;
            row.iter()
                .map(|h| {
                    while occupied[ri].get(col).copied().unwrap_or(false) {
                        col += 1;
                    }
                    let span = h.colspan as usize;
                    let rows = ri..ri.saturating_add(h.rowspan as usize).min(header.len());
                    let cols = col.min(n)..col.saturating_add(span).min(n);
                    for cells in &mut occupied[rows] {
                        cells[cols.clone()].fill(true);
                    }
                    let cell = HeadCell {
                        text: h.text.clone(),
                        colspan: h.colspan,
                        rowspan: h.rowspan,
                        column: col,
                        numeric: h.colspan == 1 && numeric.get(col).copied().unwrap_or(false),
                    };
                    col = col.saturating_add(span);
                    cell
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, colspan: u32, rowspan: u32) -> HeaderCell {
        HeaderCell {
            text: text.into(),
            colspan,
            rowspan,
        }
    }

    #[test]
    fn a_cell_spanning_rows_pushes_the_next_row_right() {
        // | AREA (2 rows) | SMART WORKING (2 columns) |
        // |               | CR          | MN          |
        let header = vec![
            vec![cell("AREA", 1, 2), cell("SMART WORKING", 2, 1)],
            vec![cell("CR", 1, 1), cell("MN", 1, 1)],
        ];
        let placed = place(&header, &[false, true, true]);
        assert_eq!(placed[0][0].column, 0);
        assert!(!placed[0][0].numeric);
        assert_eq!(placed[0][1].column, 1);
        assert!(!placed[0][1].numeric, "spanning two columns");
        assert_eq!((placed[1][0].column, placed[1][1].column), (1, 2));
        assert!(placed[1][0].numeric && placed[1][1].numeric);
    }

    #[test]
    fn absurd_spans_stay_on_the_grid() {
        let header = vec![vec![cell("X", u32::MAX, u32::MAX)], vec![cell("Y", 1, 1)]];
        let placed = place(&header, &[true, true]);
        assert_eq!(placed[0][0].column, 0);
        assert_eq!(placed[1][0].column, 2);
        assert!(!placed[1][0].numeric);
    }
}

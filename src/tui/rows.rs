//! A table's cells kept compactly: every cell's text in one buffer with the offsets where cells
//! and rows end. A page of 10,000 workspaces costs a few allocations instead of 70,000, which is
//! what lets fifty served sessions each hold one (DESIGN §11, §12).

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    text: String,
    /// Where each cell ends in `text`.
    cell_ends: Vec<u32>,
    /// Where each row's cells end in `cell_ends`.
    row_ends: Vec<u32>,
}

impl Rows {
    pub fn push<S: AsRef<str>>(&mut self, row: impl IntoIterator<Item = S>) {
        for cell in row {
            // Nothing stored runs as an escape on the person's terminal.
            self.text
                .push_str(&crate::domain::text::printable(cell.as_ref()));
            self.cell_ends.push(self.text.len() as u32);
        }
        self.row_ends.push(self.cell_ends.len() as u32);
    }

    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.cell_ends.shrink_to_fit();
        self.row_ends.shrink_to_fit();
    }

    pub fn len(&self) -> usize {
        self.row_ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_ends.is_empty()
    }

    /// The cells of row `i` (none past the end).
    pub fn row(&self, i: usize) -> impl Iterator<Item = &str> + '_ {
        let (first, last) = match i {
            _ if i >= self.len() => (0, 0),
            0 => (0, self.row_ends[0] as usize),
            _ => (self.row_ends[i - 1] as usize, self.row_ends[i] as usize),
        };
        (first..last).map(move |c| {
            let start = if c == 0 {
                0
            } else {
                self.cell_ends[c - 1] as usize
            };
            &self.text[start..self.cell_ends[c] as usize]
        })
    }

    /// One cell, or "" where the row has none.
    pub fn cell(&self, i: usize, j: usize) -> &str {
        self.row(i).nth(j).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_cells() {
        let mut r = Rows::default();
        r.push(["a", "", "ccc"]);
        r.push(Vec::<String>::new());
        r.push(vec!["d".to_owned()]);
        assert_eq!(r.len(), 3);
        assert_eq!(r.row(0).collect::<Vec<_>>(), vec!["a", "", "ccc"]);
        assert_eq!(r.row(1).count(), 0);
        assert_eq!(r.row(2).collect::<Vec<_>>(), vec!["d"]);
        assert_eq!(r.row(3).count(), 0);
        assert_eq!(r.cell(0, 2), "ccc");
        assert_eq!(r.cell(2, 5), "");
    }
}

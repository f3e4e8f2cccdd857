//! The records of a chunk cut into blocks of cells, for a reader's column path
//! ([`ledger_block`](super::ledger_block)).
//!
//! A reader's row path converts each record in turn: every field of a row is found, parsed
//! and pushed before the next row's. A column path cuts the records of a block of
//! [`BLOCK_ROWS`] rows first (by the same tokenizer, [`records`]), keeping each wanted
//! field's place, and then converts each column in a loop of its own over the block (the
//! values cleaned there, by [`clean`]), so that a loop's branches follow one column's values
//! and its code stays small.

use std::ops::Range;

use super::read::clean;
use super::tokenize::{records, Dialect, Known};

/// The rows cut before their columns are converted: their text (about 100 bytes a row) and
/// their cells' places stay in a core's cache between the columns' passes.
const BLOCK_ROWS: usize = 1024;

/// The place of a field in the chunk's text (empty where the row has no such field).
type Cell = Range<u32>;

/// The cut and not yet converted rows of a block: for each row, the field of each of the
/// reader's columns that the file has, and its line.
pub(super) struct Cells {
    /// `fields.len()` cells a row.
    cells: Vec<Cell>,
    /// The field of each kept cell (the reader's columns that the file has).
    fields: Vec<usize>,
    /// Per reader's column: its cell's place in a row (none where the file has no such field).
    cell_of: Vec<Option<usize>>,
    lines: Vec<u64>,
}

impl Cells {
    /// The rows.
    pub(super) fn rows(&self) -> usize {
        self.lines.len()
    }

    /// Each row's line.
    pub(super) fn lines(&self) -> &[u64] {
        &self.lines
    }

    /// The bytes of every field together (at least the bytes of their cleaned values).
    pub(super) fn bytes(&self) -> usize {
        self.cells.iter().map(|cell| (cell.end - cell.start) as usize).sum()
    }

    /// The cleaned values ([`clean`]) of column `k` (of the reader's `columns`), a row at a
    /// time: empty where the file has no such field. (Cleaned here, in a column's loop, where
    /// the branches of `clean` follow one column's values, not while the records are cut.)
    #[inline(always)]
    pub(super) fn column<'t>(&'t self, text: &'t str, k: usize) -> impl Iterator<Item = &'t str> + 't {
        let place = self.place(k);
        (0..self.rows()).map(move |row| self.value(text, row, place))
    }

    /// Where column `k` (of the reader's `columns`) sits in a row, for [`Cells::value`] (none
    /// where the file has no such field).
    pub(super) fn place(&self, k: usize) -> Option<usize> {
        self.cell_of.get(k).copied().flatten()
    }

    /// The cleaned value of row `row` at `place` (from [`Cells::place`]; "" for none).
    #[inline(always)]
    pub(super) fn value<'t>(&self, text: &'t str, row: usize, place: Option<usize>) -> &'t str {
        match place {
            Some(at) => cleaned(text, self.cells.get(row * self.fields.len() + at)),
            None => "",
        }
    }

    /// Keeps the fields of a record (`fields` of `text`) on line `line`; a record of empty
    /// fields only is skipped, as the row path skips it.
    #[inline]
    fn cut(&mut self, text: &str, fields: &[Range<usize>], line: u64) {
        let at = self.cells.len();
        self.cells.extend(self.fields.iter().map(|&c| fields.get(c).map_or(0..0, |range| range.start as u32..range.end as u32)));
        // A record may be blank only if its first kept field is empty (most have one). (One
        // whose fields are all spaces is kept: its required values are empty, and the
        // converter gives up on it.)
        if self.cells.get(at).map_or(true, |first| first.is_empty())
            && fields.iter().all(|range| text.get(range.clone()).map_or(true, |raw| clean(raw).is_empty()))
        {
            self.cells.truncate(at);
            return;
        }
        self.lines.push(line);
    }

    fn clear(&mut self) {
        self.cells.clear();
        self.lines.clear();
    }
}

/// Reads the records of `text` (whole records, the first on line `first_line`) a block at a
/// time: each record is cut into the cells of `columns` (a field's index in the record, or
/// none), and each block goes to `convert`; returns the line after the text. `None` as soon
/// as a record needed unescaping (the row path reads it) or `convert` gives `None`.
pub(super) fn by_blocks(
    text: &str,
    first_line: u64,
    dialect: Dialect,
    known: Known,
    columns: &[Option<usize>],
    mut convert: impl FnMut(&Cells) -> Option<()>,
) -> Option<u64> {
    // Offsets into the text are `u32`: a chunk is a few MiB.
    u32::try_from(text.len()).ok()?;
    let fields: Vec<usize> = columns.iter().flatten().copied().collect();
    let mut cell_of = Vec::with_capacity(columns.len());
    for column in columns {
        cell_of.push(column.map(|_| cell_of.iter().flatten().count()));
    }
    let mut block = Cells { cells: Vec::with_capacity(BLOCK_ROWS * fields.len()), fields, cell_of, lines: Vec::with_capacity(BLOCK_ROWS) };
    let mut fine = true;
    let after = records(text, first_line, dialect, known, |source, fields, line| {
        if !fine {
            return;
        }
        // A record with quotes unescaped into another buffer: the row path reads it.
        if source.as_ptr() != text.as_ptr() || source.len() != text.len() {
            fine = false;
            return;
        }
        block.cut(text, fields, line);
        if block.rows() == BLOCK_ROWS {
            fine = convert(&block).is_some();
            block.clear();
        }
    });
    if fine && block.rows() > 0 {
        fine = convert(&block).is_some();
    }
    fine.then_some(after)
}

/// The cleaned value of a cell of `text` ("" for none).
#[inline(always)]
fn cleaned<'t>(text: &'t str, cell: Option<&Cell>) -> &'t str {
    match cell.and_then(|cell| text.get(cell.start as usize..cell.end as usize)) {
        Some(raw) => clean(raw),
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block's cleaned values, a column at a time, and its lines.
    type Block = (Vec<Vec<String>>, Vec<u64>);

    /// Each block's rows: the cleaned values of each of `columns`, and the lines.
    fn blocks(text: &str, columns: &[Option<usize>]) -> Option<Vec<Block>> {
        let mut seen = Vec::new();
        by_blocks(text, 1, Dialect::csv(true), Known::default(), columns, |block| {
            let values = (0..columns.len()).map(|k| block.column(text, k).map(String::from).collect()).collect();
            // `value` by place reads what `column` reads.
            for k in 0..columns.len() {
                let by_place: Vec<&str> = (0..block.rows()).map(|row| block.value(text, row, block.place(k))).collect();
                assert_eq!(by_place, block.column(text, k).collect::<Vec<_>>());
            }
            seen.push((values, block.lines().to_vec()));
            Some(())
        })?;
        Some(seen)
    }

    #[test]
    fn records_are_cut_into_cleaned_cells_and_blank_ones_skipped() {
        let text = "a,b, `c \n,,\n  , ,\r\nd,,f\n";
        let columns = [Some(0), None, Some(2), Some(7)];
        let rows = |values: [&str; 3]| values.map(String::from).to_vec();
        assert_eq!(
            blocks(text, &columns),
            Some(vec![(vec![rows(["a", "", "d"]), rows(["", "", ""]), rows(["c", "", "f"]), rows(["", "", ""])], vec![1, 3, 4])])
        );
        // More than a block: cut into blocks of BLOCK_ROWS rows, every line kept.
        let long: String = (0..BLOCK_ROWS + 5).map(|k| format!("{k},x\n")).collect();
        let cut = blocks(&long, &[Some(0)]).unwrap();
        assert_eq!(cut.iter().map(|(_, lines)| lines.len()).collect::<Vec<_>>(), [BLOCK_ROWS, 5]);
        assert_eq!(cut[1].1, (BLOCK_ROWS as u64 + 1..=BLOCK_ROWS as u64 + 5).collect::<Vec<_>>());
        assert_eq!(cut[1].0[0][4], (BLOCK_ROWS + 4).to_string());
    }

    #[test]
    fn a_record_with_an_escaped_quote_or_a_refused_block_gives_up() {
        assert_eq!(blocks("a,\"b\"\"c\"\n", &[Some(0)]), None);
        assert!(by_blocks("a\n", 1, Dialect::csv(true), Known::default(), &[Some(0)], |_| None).is_none());
    }
}

//! The source line of each row of a table ([`LineColumn`]), kept as runs of consecutive lines.

/// The 1-based line of each row of a table in its source file (0 for rows built in code).
///
/// A file's rows mostly follow one another line by line, so the column keeps runs (the first
/// row of each, and its line) rather than a number a row: a table read from a file without a
/// bad or multi-line record has one run, whatever its size.
///
/// # Example
/// ```
/// let csv = "trade_id,time,amount,channel\nA1,2026-05-06 10:00:00,1.00,credit\nA2,2026-05-06 10:01:00,1.00,credit\n";
/// let ledger = posfee::reconcile::read_ledger_csv(csv.as_bytes(), "ledger.csv")?;
/// let lines = ledger.lines();
/// assert_eq!((lines.len(), lines.get(0), lines.get(1)), (2, 2, 3));
/// assert_eq!(lines.iter().collect::<Vec<u64>>(), [2, 3]);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineColumn {
    /// The runs in row order. A run lasts until the next one's first row (the last until
    /// `rows`); its rows are on consecutive lines, or all on line 0. Each run is as long as it
    /// can be, so that equal columns have equal runs.
    runs: Vec<Run>,
    rows: usize,
}

/// The first row of a run and its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    row: usize,
    line: u64,
}

impl Run {
    /// The line of row `row` of the run (at or after its first row), if it can be told.
    #[inline]
    fn line_of(self, row: usize) -> Option<u64> {
        match self.line {
            0 => Some(0),
            line => line.checked_add((row - self.row) as u64),
        }
    }
}

impl LineColumn {
    /// `rows` rows on consecutive lines from `first_line` (0: every row on line 0).
    pub(crate) fn consecutive(first_line: u64, rows: usize) -> LineColumn {
        let runs = if rows == 0 { Vec::new() } else { vec![Run { row: 0, line: first_line }] };
        LineColumn { runs, rows }
    }

    /// The number of rows.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Ledger::new("l").lines().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether there is no row.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("l").lines().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The line of row `row`.
    ///
    /// # Panics
    /// When there is no such row (as indexing a slice does).
    ///
    /// # Example
    /// ```
    /// let csv = "trade_id,time,amount,channel\nA1,2026-05-06 10:00:00,1.00,credit\n";
    /// let ledger = posfee::reconcile::read_ledger_csv(csv.as_bytes(), "ledger.csv")?;
    /// assert_eq!(ledger.lines().get(0), 2);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn get(&self, row: usize) -> u64 {
        assert!(row < self.rows, "row {row} of a table of {} rows", self.rows);
        let run = self.runs[self.runs.partition_point(|run| run.row <= row) - 1];
        // A run never goes past the last line (`push` starts another), so the line is known.
        run.line_of(row).unwrap_or(u64::MAX)
    }

    /// The lines in row order.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Ledger::new("l").lines().iter().count(), 0);
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = u64> + '_ {
        let ends = self.runs.iter().skip(1).map(|run| run.row).chain(std::iter::once(self.rows));
        let lines = self.runs.iter().zip(ends).flat_map(|(&run, end)| (run.row..end).map(move |row| run.line_of(row).unwrap_or(u64::MAX)));
        Counted { lines, left: self.rows }
    }

    /// The lines of rows `rows` (panics past the last row, as indexing a slice does).
    #[cfg(any(feature = "arrow", test))]
    pub(crate) fn lines_in(&self, rows: std::ops::Range<usize>) -> impl Iterator<Item = u64> + '_ {
        assert!(rows.start <= rows.end && rows.end <= self.rows, "rows {rows:?} of a table of {} rows", self.rows);
        // The run of the first row, then each run's rows within `rows`.
        let first = self.runs.partition_point(|run| run.row <= rows.start).saturating_sub(1);
        let runs = &self.runs[first.min(self.runs.len())..];
        let ends = runs.iter().skip(1).map(|run| run.row).chain(std::iter::once(self.rows));
        runs.iter()
            .zip(ends)
            .take_while(move |(run, _)| run.row < rows.end)
            .flat_map(move |(&run, end)| (run.row.max(rows.start)..end.min(rows.end)).map(move |row| run.line_of(row).unwrap_or(u64::MAX)))
    }

    /// The lines in row order, one number a row.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("l").lines().to_vec().is_empty());
    /// ```
    pub fn to_vec(&self) -> Vec<u64> {
        self.iter().collect()
    }

    /// Appends a row on line `line`.
    #[inline]
    pub(crate) fn push(&mut self, line: u64) {
        if !matches!(self.runs.last(), Some(run) if run.line_of(self.rows) == Some(line)) {
            self.runs.push(Run { row: self.rows, line });
        }
        self.rows += 1;
    }

    /// Appends the rows of `other`.
    pub(crate) fn append(&mut self, other: &LineColumn) {
        for (k, run) in other.runs.iter().enumerate() {
            let joins = k == 0 && self.runs.last().is_some_and(|last| last.line_of(self.rows) == Some(run.line));
            if !joins {
                self.runs.push(Run { row: self.rows + run.row, line: run.line });
            }
        }
        self.rows += other.rows;
    }

    /// Moves every row read from a file (not on line 0) `by` lines down: the rows of a part
    /// of a file, numbered from 1 while it was read, moved to their lines in the file.
    pub(crate) fn shift(&mut self, by: u64) {
        for run in self.runs.iter_mut().filter(|run| run.line != 0) {
            run.line = run.line.saturating_add(by);
        }
    }

    /// Removes every row, keeping the room.
    pub(crate) fn clear(&mut self) {
        self.runs.clear();
        self.rows = 0;
    }

    /// Bytes held, for memory accounting.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.runs.capacity() * std::mem::size_of::<Run>()
    }
}

/// An iterator that knows how many items it has left.
struct Counted<I> {
    lines: I,
    left: usize,
}

impl<I: Iterator<Item = u64>> Iterator for Counted<I> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let line = self.lines.next()?;
        self.left -= 1;
        Some(line)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<I: Iterator<Item = u64>> ExactSizeIterator for Counted<I> {}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn pushed(lines: &[u64]) -> LineColumn {
        let mut column = LineColumn::default();
        lines.iter().for_each(|&line| column.push(line));
        column
    }

    #[test]
    fn a_file_read_line_by_line_is_one_run() {
        let column = pushed(&[2, 3, 4, 5]);
        assert_eq!((column.runs.len(), column.len()), (1, 4));
        assert_eq!(column, LineColumn::consecutive(2, 4));
        assert_eq!(pushed(&[0, 0, 0]).runs.len(), 1, "rows built in code");
        assert_eq!(pushed(&[2, 3, 5, 6, 0, 0, 7]).runs.len(), 4);
    }

    #[test]
    fn shifted_rows_read_as_pushed_on_their_moved_lines_and_rows_built_in_code_stay_on_line_0() {
        let mut column = pushed(&[1, 2, 0, 3, 5, 6]);
        column.shift(40);
        assert_eq!(column, pushed(&[41, 42, 0, 43, 45, 46]));
    }

    #[test]
    #[should_panic(expected = "row 2 of a table of 2 rows")]
    fn a_row_past_the_end_panics_as_a_slice_would() {
        pushed(&[2, 3]).get(2);
    }

    proptest! {
        #[test]
        fn lines_read_back_as_pushed_and_appended(
            steps in proptest::collection::vec(0..6u8, 0..40),
            split in 0..40usize,
        ) {
            // Lines that mostly follow one another, as a file's do; line 0 (rows built in
            // code), a line repeated, and the last line there is.
            let mut at = 1u64;
            let lines: Vec<u64> = steps
                .iter()
                .map(|&step| match step {
                    0 => 0,
                    5 => u64::MAX,
                    step => {
                        at += u64::from(step % 2);
                        at
                    }
                })
                .collect();
            let column = pushed(&lines);
            prop_assert_eq!(column.to_vec(), lines.clone());
            prop_assert_eq!(column.iter().len(), lines.len());
            prop_assert!((0..lines.len()).all(|row| column.get(row) == lines[row]));
            let split = split.min(lines.len());
            for rows in [0..split, split..lines.len(), split / 2..split.div_ceil(2) + lines.len() / 2] {
                let rows = rows.start.min(lines.len())..rows.end.min(lines.len()).max(rows.start.min(lines.len()));
                prop_assert_eq!(column.lines_in(rows.clone()).collect::<Vec<_>>(), lines[rows].to_vec());
            }
            let mut joined = pushed(&lines[..split]);
            joined.append(&pushed(&lines[split..]));
            prop_assert_eq!(&joined, &column, "the same runs however the rows came");
            let mut refilled = pushed(&[9, 10]);
            refilled.clear();
            lines.iter().for_each(|&line| refilled.push(line));
            prop_assert_eq!(&refilled, &column);
        }
    }
}

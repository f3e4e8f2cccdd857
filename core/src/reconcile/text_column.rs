//! A column of strings in one buffer ([`TextColumn`]), with 32-bit offsets: owned, or shared
//! with the store that holds the text already ([`SharedText`], e.g. an Arrow string array).

use std::fmt;
use std::sync::Arc;

use super::interned_text::{value_of, InternedText, Key};
use crate::error::{Error, ErrorKind, Result};
use crate::text::{surely_trimmed, surely_unspaced, trim};

/// Text held outside posfee (an Arrow string array's buffers, say) that a [`TextColumn`]
/// shares instead of copying (see [`TextColumn::shared`]).
///
/// `parts()` gives the text and the offsets in Arrow's layout for a string array whose
/// offsets start at 0: value `i` is `text[offsets[i]..offsets[i + 1]]`. An implementation
/// must give the same answer on every call (the offsets are checked once, when the column is
/// made; reads of a column whose parts changed since may panic).
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use posfee::reconcile::{SharedText, TextColumn};
///
/// struct Values { text: String, offsets: Vec<u32> }
/// impl SharedText for Values {
///     fn parts(&self) -> (&str, &[u32]) { (&self.text, &self.offsets) }
/// }
///
/// let column = TextColumn::shared(Arc::new(Values { text: "T1T22".into(), offsets: vec![0, 2, 5] }))?;
/// assert_eq!((column.len(), column.get(0), column.get(1)), (2, "T1", "T22"));
/// # Ok::<(), posfee::Error>(())
/// ```
pub trait SharedText: Send + Sync {
    /// The values' text back to back, and where each value starts (then where the last ends).
    fn parts(&self) -> (&str, &[u32]);
}

/// A column of strings stored in one buffer (no allocation per row), with 32-bit offsets:
/// a column holds at most [`TextColumn::MAX_BYTES`] of text. The buffer is the column's own,
/// or text shared with another store ([`TextColumn::shared`], or in chunks with
/// [`TextColumn::chunked`]), copied only when the column is changed.
///
/// # Example
/// ```
/// use posfee::reconcile::TextColumn;
/// let mut column = TextColumn::default();
/// column.push("T0000001")?;
/// column.push("")?;
/// assert_eq!((column.get(0), column.get(1), column.len()), ("T0000001", "", 2));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Clone)]
pub struct TextColumn {
    storage: Storage,
}

#[derive(Clone)]
enum Storage {
    /// `offsets`: where each value starts, and after them where the last one ends (starts
    /// with 0, one entry more than there are values; empty, without allocating, for none).
    Owned { text: String, offsets: Vec<u32> },
    /// Values all `width` bytes long, back to back, without offsets: value `i` is
    /// `text[i * width..(i + 1) * width]`. A reader's table holds its references and ids of
    /// one length (12-digit RRNs, 6-digit traces) and its columns without a value this way
    /// ([`TextColumn::append`] keeps parts of one width so): four bytes a row less than
    /// offsets, and no offsets to move when a part is appended.
    Fixed { text: String, width: usize, rows: usize },
    /// Checked by [`TextColumn::shared`]; `plain`: every byte is visible ASCII (see
    /// [`check_parts`]), so no value has whitespace to trim.
    Shared { values: Arc<dyn SharedText>, plain: bool },
    /// Checked by [`TextColumn::chunked`].
    Chunks(Arc<Chunks>),
    /// Few distinct values, each held once (see [`TextColumn::interned`]).
    Interned(Box<InternedText>),
}

/// Shared pieces of a column, each of `1 << shift` rows but the last (which has at most as
/// many, and at least one): row `r` is row `r & mask` of piece `r >> shift`.
pub(crate) struct Chunks {
    pieces: Vec<Arc<dyn SharedText>>,
    shift: u32,
    rows: usize,
    text_bytes: usize,
    /// Every piece is plain (see [`Storage::Shared`]).
    plain: bool,
}

impl Chunks {
    #[inline]
    fn get(&self, index: usize) -> &str {
        chunk_value(self.pieces[index >> self.shift].parts(), self.shift, index)
    }
}

impl Default for TextColumn {
    fn default() -> TextColumn {
        TextColumn { storage: Storage::Owned { text: String::new(), offsets: Vec::new() } }
    }
}

impl TextColumn {
    /// The most text one column holds (4 GiB − 1 byte).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::TextColumn::MAX_BYTES, u32::MAX as usize);
    /// ```
    pub const MAX_BYTES: usize = u32::MAX as usize;

    /// An empty column for few distinct values (a table's terminals, merchant numbers and
    /// names): each value is held once, a row holds its number. A column that meets more than
    /// 65,536 distinct values holds its text row by row from then on; either way it reads the
    /// same.
    pub(crate) fn interned() -> TextColumn {
        TextColumn { storage: Storage::Interned(Box::default()) }
    }

    /// A column of the rows of `interned` (see [`TextColumn::interned`]).
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))] // the Arrow reader's interning
    pub(crate) fn of_interned(interned: InternedText) -> TextColumn {
        TextColumn { storage: Storage::Interned(Box::new(interned)) }
    }

    /// A column of the values of `values`, shared rather than copied. The offsets are
    /// checked once here, so that reading a value never fails.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when the offsets do not start at 0, decrease, fall inside
    /// a character, or do not end at the end of the text.
    ///
    /// # Example
    /// ```
    /// use std::sync::Arc;
    /// use posfee::reconcile::{SharedText, TextColumn};
    /// struct Values(&'static str, Vec<u32>);
    /// impl SharedText for Values {
    ///     fn parts(&self) -> (&str, &[u32]) { (self.0, &self.1) }
    /// }
    /// assert_eq!(TextColumn::shared(Arc::new(Values("A1消费", vec![0, 2, 5, 8])))?.get(2), "费");
    /// let inside_a_character = TextColumn::shared(Arc::new(Values("消费", vec![0, 2, 6])));
    /// assert_eq!(inside_a_character.unwrap_err().code(), "invalid_request");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn shared(values: Arc<dyn SharedText>) -> Result<TextColumn> {
        let (text, offsets) = values.parts();
        let plain = check_parts(text, offsets)?;
        Ok(TextColumn { storage: Storage::Shared { values, plain } })
    }

    /// A column of the values of `pieces`, one after the other (the chunks of an Arrow
    /// column, say), each checked as [`TextColumn::shared`] checks it. The pieces are shared
    /// when each but the last holds the same power-of-two number of rows (as Feather's
    /// record batches and Parquet's row groups usually do): reading a row then costs a shift
    /// and a mask more. Other pieces are copied into one buffer.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when a piece's offsets are wrong (as for
    /// [`TextColumn::shared`]), or the pieces hold more than [`TextColumn::MAX_BYTES`] of
    /// text.
    ///
    /// # Example
    /// ```
    /// use std::sync::Arc;
    /// use posfee::reconcile::{SharedText, TextColumn};
    /// struct Values(&'static str, Vec<u32>);
    /// impl SharedText for Values {
    ///     fn parts(&self) -> (&str, &[u32]) { (self.0, &self.1) }
    /// }
    /// let pieces: Vec<Arc<dyn SharedText>> =
    ///     vec![Arc::new(Values("T1T2", vec![0, 2, 4])), Arc::new(Values("消费", vec![0, 6]))];
    /// let column = TextColumn::chunked(pieces)?;
    /// assert_eq!((column.len(), column.get(1), column.get(2)), (3, "T2", "消费"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn chunked(pieces: Vec<Arc<dyn SharedText>>) -> Result<TextColumn> {
        let checked = pieces.into_iter().map(|piece| {
            let (text, offsets) = piece.parts();
            let plain = check_parts(text, offsets)?;
            Ok((piece, plain))
        });
        TextColumn::of_checked_pieces(checked.collect::<Result<Vec<_>>>()?)
    }

    /// [`TextColumn::chunked`] of pieces whose parts the caller has checked as
    /// `check_parts` does (offsets from 0 to the text's length, never decreasing, on
    /// character boundaries), each with whether its text is plain (visible ASCII). An Arrow
    /// string column checked when read (`arrow::values::Strings`) is not checked again.
    pub(crate) fn of_checked_pieces(pieces: Vec<(Arc<dyn SharedText>, bool)>) -> Result<TextColumn> {
        // Each piece's parts read once: its rows and text counted.
        let (mut kept, mut all_bytes, mut plain) = (Vec::with_capacity(pieces.len()), 0usize, true);
        for (piece, piece_plain) in pieces {
            let (text, offsets) = piece.parts();
            plain &= piece_plain;
            let (rows, bytes) = (offsets.len().saturating_sub(1), text.len());
            all_bytes += bytes;
            if rows > 0 {
                kept.push((piece, rows, bytes));
            }
        }
        if all_bytes > Self::MAX_BYTES {
            return Err(too_much_text(0));
        }
        match kept.as_slice() {
            [] => return Ok(TextColumn::default()),
            [_] => return Ok(TextColumn { storage: Storage::Shared { values: kept.remove(0).0, plain } }),
            [(_, rows, _), middle @ .., (_, last_rows, _)] => {
                let rows = *rows;
                if rows.is_power_of_two() && middle.iter().all(|&(_, middle_rows, _)| middle_rows == rows) && *last_rows <= rows {
                    let (total_rows, text_bytes) = kept.iter().fold((0, 0), |(r, b), &(_, rows, bytes)| (r + rows, b + bytes));
                    let pieces = kept.into_iter().map(|(piece, _, _)| piece).collect();
                    let chunks = Chunks { pieces, shift: rows.trailing_zeros(), rows: total_rows, text_bytes, plain };
                    return Ok(TextColumn { storage: Storage::Chunks(Arc::new(chunks)) });
                }
            }
        }
        TextColumn::joined(kept.iter().map(|(piece, _, _)| piece.parts()))
    }

    /// A column of the values of several pieces of text in Arrow's layout, one after the
    /// other, copied into one buffer: piece `(text, offsets)` holds the values
    /// `text[offsets[i] - offsets[0]..offsets[i + 1] - offsets[0]]` (a slice of an Arrow
    /// array, whose offsets need not start at 0). Checked as [`TextColumn::shared`] checks.
    pub(crate) fn joined<'p>(pieces: impl Iterator<Item = (&'p str, &'p [u32])> + Clone) -> Result<TextColumn> {
        let (rows, bytes) =
            pieces.clone().fold((0, 0), |(rows, bytes), (text, offsets)| (rows + offsets.len().saturating_sub(1), bytes + text.len()));
        if bytes > Self::MAX_BYTES {
            return Err(too_much_text(0));
        }
        let (mut text, mut offsets) = (String::with_capacity(bytes), Vec::with_capacity(rows + 1));
        offsets.push(0);
        for (piece, piece_offsets) in pieces {
            let Some((&first, rest)) = piece_offsets.split_first() else { continue };
            // Rebased with wrapping arithmetic: an offset below the first wraps to a huge one,
            // and the check below finds it.
            let base = (text.len() as u32).wrapping_sub(first);
            text.push_str(piece);
            offsets.extend(rest.iter().map(|offset| offset.wrapping_add(base)));
            if offsets.last().is_some_and(|&last| last as usize != text.len()) {
                return Err(shared_error(format!("a piece's offsets end {} bytes from where its text ends", piece.len())));
            }
        }
        check_parts(&text, &offsets)?;
        Ok(TextColumn { storage: Storage::Owned { text, offsets } })
    }

    /// `rows` values, each `value`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when that is more than [`TextColumn::MAX_BYTES`] of text.
    ///
    /// # Example
    /// ```
    /// let column = posfee::reconcile::TextColumn::filled("00", 3)?;
    /// assert_eq!((column.len(), column.get(2)), (3, "00"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn filled(value: &str, rows: usize) -> Result<TextColumn> {
        if value.len().saturating_mul(rows) > Self::MAX_BYTES {
            return Err(too_much_text(0));
        }
        // Values of one width: the text alone (none at all for an empty value).
        Ok(TextColumn { storage: Storage::Fixed { text: value.repeat(rows), width: value.len(), rows } })
    }

    /// Appends a value.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when the column would hold more than
    /// [`TextColumn::MAX_BYTES`] of text (nothing is appended).
    ///
    /// # Example
    /// ```
    /// let mut column = posfee::reconcile::TextColumn::default();
    /// column.push("a")?;
    /// assert_eq!(column.get(0), "a");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn push(&mut self, value: &str) -> Result<()> {
        if !self.has_room(value.len()) {
            return Err(too_much_text(self.len()));
        }
        self.push_fitting(value);
        Ok(())
    }

    /// Whether `bytes` more text fit.
    #[inline]
    pub(crate) fn has_room(&self, bytes: usize) -> bool {
        self.text_len().saturating_add(bytes) <= Self::MAX_BYTES
    }

    /// Appends a value the caller has checked with [`TextColumn::has_room`].
    #[inline(always)]
    pub(crate) fn push_fitting(&mut self, value: &str) {
        // The common case, a value after others in a column of its own buffers, inlined where
        // the readers push it: a call a value cost a ledger's reading 7-10% of its time.
        if let Storage::Owned { text, offsets } = &mut self.storage {
            if !offsets.is_empty() {
                text.push_str(value);
                offsets.push(text.len() as u32);
                return;
            }
        }
        self.push_slowly(value);
    }

    /// [`TextColumn::push_fitting`] of a column's first value, or into an interned, shared or
    /// chunked column. (Kept out of line: inlined at every push too, the interned columns'
    /// look-up made a ledger's reading no faster.)
    #[inline(never)]
    fn push_slowly(&mut self, value: &str) {
        let kept = match &mut self.storage {
            Storage::Interned(interned) => interned.push(value),
            Storage::Fixed { text, width, rows } if value.len() == *width => {
                text.push_str(value);
                *rows += 1;
                true
            }
            _ => false,
        };
        if kept {
            return;
        }
        let (text, offsets) = self.owned();
        if offsets.is_empty() {
            offsets.push(0);
        }
        text.push_str(value);
        offsets.push(text.len() as u32);
    }

    /// The pieces of text and their offsets (one piece unless the column is chunked).
    fn pieces(&self) -> impl Iterator<Item = (&str, &[u32])> + Clone {
        let (one, many) = match &self.storage {
            Storage::Owned { text, offsets } => (Some((text.as_str(), offsets.as_slice())), &[][..]),
            Storage::Shared { values, .. } => (Some(values.parts()), &[][..]),
            Storage::Chunks(chunks) => (None, chunks.pieces.as_slice()),
            Storage::Interned(_) | Storage::Fixed { .. } => {
                unreachable!("an interned or fixed-width column's rows are not pieces of text: its callers read it first")
            }
        };
        one.into_iter().chain(many.iter().map(|piece| piece.parts()))
    }

    /// The column's own buffers, copied from the shared text first if need be.
    #[inline]
    fn owned(&mut self) -> (&mut String, &mut Vec<u32>) {
        if !matches!(self.storage, Storage::Owned { .. }) {
            self.copy_shared();
        }
        match &mut self.storage {
            Storage::Owned { text, offsets } => (text, offsets),
            _ => unreachable!("copied above"),
        }
    }

    /// Copies shared or chunked text into buffers of the column's own (once, before the
    /// first change; kept out of the way of the pushes, which find the column owned).
    #[cold]
    #[inline(never)]
    fn copy_shared(&mut self) {
        *self = match &mut self.storage {
            Storage::Interned(interned) => {
                let (text, offsets) = interned.expanded();
                TextColumn { storage: Storage::Owned { text, offsets } }
            }
            Storage::Fixed { text, width, rows } => {
                // Below `MAX_BYTES`, as the text is.
                let offsets = (0..=*rows).map(|row| (row * *width) as u32).collect();
                TextColumn { storage: Storage::Owned { text: std::mem::take(text), offsets } }
            }
            _ => TextColumn::joined(self.pieces()).unwrap_or_else(|_| unreachable!("checked pieces within the size limit")),
        };
    }

    /// The text and the offsets resolved once, for loops over many rows: reading through a
    /// view skips the per-read look-up of where the text lives (owned, shared, or the
    /// pieces of a chunked column).
    #[inline]
    pub(crate) fn view(&self) -> TextView<'_> {
        match &self.storage {
            Storage::Owned { text, offsets } => TextView::One { text, offsets },
            Storage::Fixed { text, width, .. } => TextView::Fixed { text, width: *width },
            Storage::Shared { values, .. } => {
                let (text, offsets) = values.parts();
                TextView::One { text, offsets }
            }
            Storage::Chunks(chunks) => {
                TextView::Chunks { pieces: chunks.pieces.iter().map(|piece| piece.parts()).collect(), shift: chunks.shift }
            }
            Storage::Interned(interned) => {
                let (text, offsets, keys) = interned.parts();
                TextView::Interned { text, offsets, keys }
            }
        }
    }

    /// The value of row `index`.
    ///
    /// # Panics
    /// When `index >= self.len()`.
    ///
    /// # Example
    /// ```
    /// let mut column = posfee::reconcile::TextColumn::default();
    /// column.push("x")?;
    /// assert_eq!(column.get(0), "x");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn get(&self, index: usize) -> &str {
        match &self.storage {
            Storage::Chunks(chunks) => chunks.get(index),
            _ => self.view().get(index),
        }
    }

    /// The values in order.
    ///
    /// # Example
    /// ```
    /// let mut column = posfee::reconcile::TextColumn::default();
    /// column.push("a")?;
    /// column.push("b")?;
    /// assert_eq!(column.iter().collect::<Vec<_>>(), ["a", "b"]);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        let view = self.view();
        (0..self.len()).map(move |row| view.get(row))
    }

    /// The number of values.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::TextColumn::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        match &self.storage {
            Storage::Chunks(chunks) => chunks.rows,
            Storage::Interned(interned) => interned.len(),
            Storage::Fixed { rows, .. } => *rows,
            _ => self.pieces().map(|(_, offsets)| offsets.len().saturating_sub(1)).sum(),
        }
    }

    /// Whether the column has no values.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::TextColumn::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of text the values hold.
    #[inline]
    pub(crate) fn text_len(&self) -> usize {
        // Asked on every push: an owned column's length without the walk over pieces.
        match &self.storage {
            Storage::Owned { text, .. } | Storage::Fixed { text, .. } => text.len(),
            Storage::Shared { values, .. } => values.parts().0.len(),
            Storage::Chunks(chunks) => chunks.text_bytes,
            Storage::Interned(interned) => interned.row_bytes(),
        }
    }

    /// Reserves room for `rows` more values of `bytes` more text.
    pub(crate) fn reserve(&mut self, rows: usize, bytes: usize) {
        match &mut self.storage {
            Storage::Interned(interned) => return interned.reserve(rows),
            Storage::Fixed { text, .. } => return text.reserve(bytes),
            _ => {}
        }
        let (text, offsets) = self.owned();
        text.reserve(bytes);
        offsets.reserve(rows);
    }

    /// Removes every value; an owned column keeps its buffers' room (for a reader that fills
    /// it again), a shared one lets its text go.
    pub(crate) fn clear(&mut self) {
        match &mut self.storage {
            Storage::Owned { text, offsets } => {
                text.clear();
                offsets.clear();
            }
            Storage::Interned(interned) => interned.clear(),
            Storage::Fixed { text, rows, .. } => {
                text.clear();
                *rows = 0;
            }
            Storage::Shared { .. } | Storage::Chunks(_) => *self = TextColumn::default(),
        }
    }

    /// Appends all values of `other`.
    ///
    /// # Errors
    /// When the text would exceed [`TextColumn::MAX_BYTES`] (nothing is appended).
    pub(crate) fn append(&mut self, other: &TextColumn) -> Result<()> {
        if !self.has_room(other.text_len()) {
            return Err(too_much_text(self.len()));
        }
        if other.is_empty() || self.append_fixed(other) {
            return Ok(());
        }
        if let (Storage::Interned(interned), Storage::Interned(other_interned)) = (&mut self.storage, &other.storage) {
            if interned.append(other_interned) {
                return Ok(());
            }
        }
        // Into or out of an interned column (or one that no longer can be), out of a
        // fixed-width one: value by value.
        if matches!(self.storage, Storage::Interned(_)) || matches!(other.storage, Storage::Interned(_) | Storage::Fixed { .. }) {
            other.iter().for_each(|value| self.push_fitting(value));
            return Ok(());
        }
        let (text, offsets) = self.owned();
        if offsets.is_empty() {
            offsets.push(0);
        }
        for (other_text, other_offsets) in other.pieces() {
            let base = text.len() as u32;
            text.push_str(other_text);
            offsets.extend(other_offsets.iter().skip(1).map(|offset| offset + base));
        }
        Ok(())
    }

    /// [`TextColumn::append`] of values all of one width (`other`'s, see [`Storage::Fixed`])
    /// to a column without rows or of values of that width: their text alone. `false` (nothing
    /// appended) for any other.
    fn append_fixed(&mut self, other: &TextColumn) -> bool {
        // (A column that holds offsets already keeps them: `other`'s are not looked at.)
        let takes_one_width = match &self.storage {
            Storage::Fixed { .. } => true,
            Storage::Owned { offsets, .. } => offsets.len() <= 1,
            _ => false,
        };
        if !takes_one_width {
            return false;
        }
        let Some((other_text, other_width)) = other.one_width() else { return false };
        let other_rows = other.len();
        match &mut self.storage {
            Storage::Fixed { text, width, rows } if *width == other_width => {
                text.push_str(other_text);
                *rows += other_rows;
            }
            // (Keeping the room reserved for the text.)
            Storage::Owned { text, offsets } if offsets.len() <= 1 => {
                let mut text = std::mem::take(text);
                text.push_str(other_text);
                self.storage = Storage::Fixed { text, width: other_width, rows: other_rows };
            }
            _ => return false,
        }
        true
    }

    /// Holds an owned column whose values are all of one width without their offsets (see
    /// [`Storage::Fixed`]); any other column stays as it is.
    pub(crate) fn fixed_if_one_width(&mut self) {
        let Some((_, width)) = self.one_width() else { return };
        if let Storage::Owned { text, .. } = &mut self.storage {
            let (text, rows) = (std::mem::take(text), self.len());
            self.storage = Storage::Fixed { text, width, rows };
        }
    }

    /// The text and the width of a column with rows whose values are all of one width, as
    /// [`Storage::Fixed`] holds them (the whole text, its values in order); `None` for any
    /// other. One pass over an owned column's offsets.
    fn one_width(&self) -> Option<(&str, usize)> {
        match &self.storage {
            Storage::Fixed { text, width, rows } if *rows > 0 => Some((text, *width)),
            Storage::Owned { text, offsets } if offsets.len() > 1 => {
                let width = offsets[1].wrapping_sub(offsets[0]);
                // A pass that vectorizes (no early exit). Owned offsets start at 0.
                let same = offsets.iter().zip(&offsets[1..]).fold(true, |same, (start, end)| same & (end.wrapping_sub(*start) == width));
                same.then_some((text.as_str(), width as usize))
            }
            _ => None,
        }
    }

    /// The same values without surrounding whitespace (as [`str::trim`]): `self` when none
    /// has any (shared text stays shared), else a copy.
    pub(crate) fn trimmed(self) -> TextColumn {
        let trimmed = |(text, offsets): (&str, &[u32])| {
            let padded = |pair: &[u32]| {
                let (start, end) = (pair[0] as usize, pair[1] as usize);
                start < end && !surely_trimmed(&text.as_bytes()[start..end]) && {
                    let value = &text[start..end];
                    value.starts_with(char::is_whitespace) || value.ends_with(char::is_whitespace)
                }
            };
            // Text without any whitespace (the usual case) is settled in one fast pass.
            surely_unspaced(text.as_bytes()) || !offsets.windows(2).any(padded)
        };
        // (`by_pieces`: whether the values are read from the pieces of text when not plain.)
        let (plain, by_pieces, interned) = match &self.storage {
            Storage::Owned { .. } => (false, true, false),
            // Each value looked at, unless the text has no whitespace at all.
            Storage::Fixed { text, .. } => {
                (surely_unspaced(text.as_bytes()) || self.iter().all(|value| trim(value).len() == value.len()), false, false)
            }
            Storage::Shared { plain, .. } => (*plain, true, false),
            Storage::Chunks(chunks) => (chunks.plain, true, false),
            // Each distinct value looked at once.
            Storage::Interned(interned) => (interned.is_trimmed(), false, true),
        };
        // Shared text found plain when it was checked needs no second pass.
        if plain || (by_pieces && self.pieces().all(trimmed)) {
            return self;
        }
        let mut column = if interned { TextColumn::interned() } else { TextColumn::default() };
        column.reserve(self.len(), self.text_len());
        for value in self.iter() {
            column.push_fitting(trim(value));
        }
        column
    }

    /// Whether the text is shared, not the column's own (for tests of the paths that share).
    #[cfg(all(test, feature = "arrow"))]
    pub(crate) fn shares_text(&self) -> bool {
        matches!(self.storage, Storage::Shared { .. } | Storage::Chunks(_))
    }

    /// Whether the values are held without offsets, all of one width (for tests of the
    /// readers' tables).
    #[cfg(test)]
    pub(crate) fn is_fixed_width(&self) -> bool {
        matches!(self.storage, Storage::Fixed { .. })
    }

    /// Whether each distinct value is held once (for tests of the paths that intern).
    #[cfg(all(test, feature = "arrow"))]
    pub(crate) fn is_interned(&self) -> bool {
        matches!(self.storage, Storage::Interned(_))
    }

    /// Whether a value is empty (one pass over the offsets, without reading the text).
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))] // the Arrow reader's check
    pub(crate) fn has_empty(&self) -> bool {
        match &self.storage {
            Storage::Interned(interned) => return interned.has_empty(),
            Storage::Fixed { width, rows, .. } => return *width == 0 && *rows > 0,
            _ => {}
        }
        self.pieces().any(|(_, offsets)| {
            offsets.iter().zip(offsets.get(1..).unwrap_or_default()).fold(false, |empty, (start, end)| empty | (start == end))
        })
    }

    /// Bytes held (text plus offsets, shared text included), for memory accounting.
    ///
    /// # Example
    /// ```
    /// let mut column = posfee::reconcile::TextColumn::default();
    /// column.push("abc")?;
    /// assert!(column.heap_bytes() >= 3);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn heap_bytes(&self) -> usize {
        match &self.storage {
            Storage::Owned { text, offsets } => text.capacity() + offsets.capacity() * std::mem::size_of::<u32>(),
            Storage::Interned(interned) => interned.heap_bytes(),
            Storage::Fixed { text, .. } => text.capacity(),
            _ => self.pieces().map(|(text, offsets)| text.len() + std::mem::size_of_val(offsets)).sum(),
        }
    }
}

impl PartialEq for TextColumn {
    fn eq(&self, other: &TextColumn) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for TextColumn {}

impl fmt::Debug for TextColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A [`TextColumn`]'s text and offsets, resolved (see [`TextColumn::view`]).
#[derive(Clone)]
pub(crate) enum TextView<'a> {
    /// One piece.
    One { text: &'a str, offsets: &'a [u32] },
    /// Values all `width` bytes long, back to back (see [`Storage::Fixed`]).
    Fixed { text: &'a str, width: usize },
    /// Chunks, each of `1 << shift` rows but the last.
    Chunks { pieces: Vec<(&'a str, &'a [u32])>, shift: u32 },
    /// Distinct values (`text`, `offsets`) and the number of each row's (`keys`).
    Interned { text: &'a str, offsets: &'a [u32], keys: &'a [Key] },
}

impl<'a> TextView<'a> {
    /// The value of row `index` (panics when there is no such row). Inlined everywhere but in
    /// WebAssembly, which is built for size.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    pub(crate) fn get(&self, index: usize) -> &'a str {
        match self {
            TextView::One { text, offsets } => &text[offsets[index] as usize..offsets[index + 1] as usize],
            TextView::Fixed { text, width } => &text[index * width..index * width + width],
            TextView::Chunks { pieces, shift } => chunk_value(pieces[index >> shift], *shift, index),
            TextView::Interned { text, offsets, keys } => value_of(text, offsets, u32::from(keys[index])),
        }
    }
}

impl TextView<'_> {
    /// Whether row `index` is empty, from the offsets alone (panics when there is no such row).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    pub(crate) fn is_empty_at(&self, index: usize) -> bool {
        let (offsets, row) = match self {
            TextView::One { offsets, .. } => (*offsets, index),
            TextView::Fixed { width, .. } => return *width == 0,
            TextView::Chunks { pieces, shift } => (pieces[index >> shift].1, chunk_row(*shift, index)),
            TextView::Interned { offsets, keys, .. } => (*offsets, usize::from(keys[index])),
        };
        offsets[row] == offsets[row + 1]
    }
}

/// Row `index` of a column in chunks of `1 << shift` rows, from its chunk `piece`.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn chunk_value<'a>((text, offsets): (&'a str, &'a [u32]), shift: u32, index: usize) -> &'a str {
    let row = chunk_row(shift, index);
    &text[offsets[row] as usize..offsets[row + 1] as usize]
}

/// Row `index` of a column in chunks of `1 << shift` rows: its row within its chunk.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn chunk_row(shift: u32, index: usize) -> usize {
    index & ((1 << shift) - 1)
}

/// Whether every byte of `text` is visible ASCII (`!` to `~`): no value cut from it has
/// whitespace at either end, and every offset into it is a character boundary.
fn is_plain(text: &str) -> bool {
    // A pass that vectorizes (no early exit).
    text.bytes().fold(true, |plain, byte| plain & (byte.wrapping_sub(b'!') <= b'~' - b'!'))
}

/// Checks text and offsets in Arrow's layout: the offsets run from 0 to the text's length,
/// never decrease, and fall on character boundaries. `true` when the text is plain: every
/// byte visible ASCII (`!` to `~`), so that no value has whitespace at either end.
fn check_parts(text: &str, offsets: &[u32]) -> Result<bool> {
    let (Some(&first), Some(&last)) = (offsets.first(), offsets.last()) else { return Err(shared_error("no offsets".into())) };
    if first != 0 || last as usize != text.len() {
        return Err(shared_error(format!("the offsets run from {first} to {last}, not from 0 to the text's {} bytes", text.len())));
    }
    plain_if_values_fit(text, offsets).map_err(|fault| match fault {
        OffsetFault::Decreasing => shared_error("the offsets decrease".into()),
        OffsetFault::InsideCharacter(offset) => shared_error(format!("offset {offset} falls inside a character")),
    })
}

/// Why the offsets of a text's values do not cut it into values.
#[derive(Debug, PartialEq)]
pub(crate) enum OffsetFault {
    /// An offset is smaller than the one before it.
    Decreasing,
    /// This offset (less the first) falls inside a character.
    InsideCharacter(usize),
}

/// Whether `text` is plain ([`is_plain`]), once the `offsets` of its values are checked: never
/// decreasing, and each (less the first, which is the text's start) on a character boundary.
/// The caller has checked that the first and last offsets bound the text. Shared by the core's
/// own shared columns and Arrow's string arrays (`i32` offsets into a buffer that may hold
/// more than the array's text).
pub(crate) fn plain_if_values_fit<O: Copy + PartialOrd + Into<i64>>(text: &str, offsets: &[O]) -> std::result::Result<bool, OffsetFault> {
    // Passes that vectorize: non-decreasing offsets, then (unless the text is ASCII, all
    // of whose offsets are boundaries) offsets on character boundaries.
    if !offsets.iter().zip(offsets.get(1..).unwrap_or_default()).fold(true, |fine, (before, after)| fine & (before <= after)) {
        return Err(OffsetFault::Decreasing);
    }
    let plain = is_plain(text);
    if !plain && !text.is_ascii() {
        let first = offsets.first().map_or(0, |&first| first.into());
        let inside = offsets.iter().map(|&offset| (offset.into() - first) as usize).find(|&at| !text.is_char_boundary(at));
        if let Some(at) = inside {
            return Err(OffsetFault::InsideCharacter(at));
        }
    }
    Ok(plain)
}

fn shared_error(why: String) -> Error {
    Error::new(ErrorKind::InvalidRequest, format!("shared text column: {why}"))
}

/// The error of a text column that would exceed [`TextColumn::MAX_BYTES`] after `rows` rows.
pub(crate) fn too_much_text(rows: usize) -> Error {
    Error::new(
        ErrorKind::InvalidRequest,
        format!("a text column would hold more than 4 GiB after {rows} rows; split the input into smaller tables"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Values(String, Vec<u32>);

    impl SharedText for Values {
        fn parts(&self) -> (&str, &[u32]) {
            (&self.0, &self.1)
        }
    }

    fn shared(text: &str, offsets: &[u32]) -> Result<TextColumn> {
        TextColumn::shared(Arc::new(Values(text.to_string(), offsets.to_vec())))
    }

    #[test]
    fn shared_text_reads_like_pushed_values_and_checks_the_offsets() {
        let mut pushed = TextColumn::default();
        for value in [" a", "消", "", "费c"] {
            pushed.push(value).unwrap();
        }
        let column = shared(" a消费c", &[0, 2, 5, 5, 9]).unwrap();
        assert_eq!(column, pushed);
        assert_eq!(column.iter().collect::<Vec<_>>(), [" a", "消", "", "费c"]);
        for (text, offsets) in [("ab", vec![]), ("ab", vec![1, 2]), ("ab", vec![0, 2, 1]), ("消", vec![0, 1, 3]), ("ab", vec![0, 1])] {
            let error = shared(text, &offsets).unwrap_err();
            assert_eq!(error.code(), "invalid_request", "{text:?} {offsets:?}");
        }
        assert!(shared("", &[0]).unwrap().is_empty());
    }

    #[test]
    fn joined_pieces_read_like_pushed_values_and_are_checked() {
        let mut pushed = TextColumn::default();
        for value in ["a", "消", "", "费c", "d"] {
            pushed.push(value).unwrap();
        }
        // The second piece is a slice of an Arrow array: its offsets start at 7.
        let pieces = [("a消", &[0u32, 1, 4][..]), ("费c", &[7, 7, 11][..]), ("", &[3][..]), ("d", &[5, 6][..])];
        assert_eq!(TextColumn::joined(pieces.into_iter()).unwrap(), pushed);
        assert!(TextColumn::joined(std::iter::empty()).unwrap().is_empty());
        let bad: [&[(&str, &[u32])]; 4] = [
            &[("ab", &[0, 1])],    // the offsets end before the text
            &[("ab", &[5, 4, 7])], // an offset below the first
            &[("ab", &[0, 2, 1])], // decreasing
            &[("消", &[0, 1, 3])], // inside a character
        ];
        for pieces in bad {
            let error = TextColumn::joined(pieces.iter().copied()).unwrap_err();
            assert_eq!(error.code(), "invalid_request", "{pieces:?}");
        }
    }

    fn pieces(pieces: &[(&str, &[u32])]) -> Vec<Arc<dyn SharedText>> {
        pieces.iter().map(|(text, offsets)| Arc::new(Values(text.to_string(), offsets.to_vec())) as Arc<dyn SharedText>).collect()
    }

    #[test]
    fn chunks_of_power_of_two_rows_are_shared_and_read_like_pushed_values() {
        let values = ["a", "消", "", " b", "费c", "d", "e"];
        let mut pushed = TextColumn::default();
        values.iter().for_each(|value| pushed.push(value).unwrap());
        // Two rows a piece, the last with one, and an empty piece that is left out.
        let chunks = [("a消", &[0u32, 1, 4][..]), ("", &[0][..]), (" b", &[0, 0, 2]), ("费cd", &[0, 4, 5]), ("e", &[0, 1])];
        let column = TextColumn::chunked(pieces(&chunks)).unwrap();
        assert!(matches!(column.storage, Storage::Chunks(_)));
        assert_eq!((column.len(), column.text_len()), (7, pushed.text_len()));
        assert_eq!(column, pushed);
        assert_eq!((0..7).map(|row| column.get(row)).collect::<Vec<_>>(), values);
        let view = column.view();
        assert_eq!((0..7).map(|row| view.get(row)).collect::<Vec<_>>(), values);
        assert_eq!(column.heap_bytes(), 12 + 4 * 11, "the empty piece is left out");
        assert!(column.has_empty() && !TextColumn::chunked(pieces(&chunks[3..])).unwrap().has_empty());
        // Trimming copies only when a value is padded.
        assert_eq!(column.clone().trimmed().iter().collect::<Vec<_>>(), ["a", "消", "", "b", "费c", "d", "e"]);
        let clean = TextColumn::chunked(pieces(&[("ab", &[0, 1, 2]), ("c", &[0, 1])])).unwrap();
        assert!(matches!(clean.trimmed().storage, Storage::Chunks(_)));
        // Changing a chunked column copies it first; appending one copies its values.
        let mut changed = column.clone();
        changed.push("f").unwrap();
        let mut appended = TextColumn::default();
        appended.append(&column).unwrap();
        appended.push("f").unwrap();
        assert_eq!(changed, appended);
        assert_eq!(changed.iter().last(), Some("f"));
    }

    #[test]
    fn other_chunks_are_copied_and_bad_ones_refused() {
        let three_rows = [("abc", &[0u32, 1, 2, 3][..]), ("d", &[0, 1])];
        let uneven = [("ab", &[0u32, 1, 2][..]), ("c", &[0, 1]), ("de", &[0, 1, 2])];
        for chunks in [&three_rows[..], &uneven[..]] {
            let column = TextColumn::chunked(pieces(chunks)).unwrap();
            assert!(matches!(column.storage, Storage::Owned { .. }));
            assert_eq!(column.iter().collect::<String>(), chunks.iter().map(|(text, _)| *text).collect::<String>());
        }
        let one = TextColumn::chunked(pieces(&[("", &[0]), ("xy", &[0, 2])])).unwrap();
        assert!(matches!(one.storage, Storage::Shared { .. }));
        assert!(TextColumn::chunked(Vec::new()).unwrap().is_empty());
        for bad in [&[("ab", &[0u32, 1, 2][..]), ("消", &[0, 1])][..], &[("ab", &[0, 2, 1])], &[("a", &[1, 1])]] {
            assert_eq!(TextColumn::chunked(pieces(bad)).unwrap_err().code(), "invalid_request", "{bad:?}");
        }
    }

    #[test]
    fn an_empty_value_is_found_in_owned_and_shared_columns() {
        assert!(!TextColumn::default().has_empty());
        assert!(!shared("ab", &[0, 1, 2]).unwrap().has_empty());
        assert!(shared("ab", &[0, 1, 1, 2]).unwrap().has_empty());
        let mut owned = TextColumn::filled("x", 3).unwrap();
        assert!(!owned.has_empty());
        owned.push("").unwrap();
        assert!(owned.has_empty());
        assert!(TextColumn::filled("", 2).unwrap().has_empty());
    }

    #[test]
    fn changing_shared_text_copies_it_first() {
        let mut column = shared("xy", &[0, 1, 2]).unwrap();
        column.append(&shared("zw", &[0, 2]).unwrap()).unwrap();
        column.push("v").unwrap();
        assert_eq!(column.iter().collect::<Vec<_>>(), ["x", "y", "zw", "v"]);
    }

    #[test]
    fn trimmed_keeps_a_clean_column_and_trims_the_rest() {
        let clean = shared("ab", &[0, 1, 2]).unwrap();
        assert!(matches!(clean.trimmed().storage, Storage::Shared { .. }));
        let cjk = shared("消费A", &[0, 6, 7]).unwrap();
        assert!(matches!(cjk.trimmed().storage, Storage::Shared { .. }));
        let inner_space = shared("a bc", &[0, 3, 4]).unwrap();
        assert!(matches!(inner_space.trimmed().storage, Storage::Shared { .. }), "a space inside a value is kept");
        let unsure = shared("a\u{3000}b", &[0, 4, 5]).unwrap();
        assert_eq!(unsure.trimmed().iter().collect::<Vec<_>>(), ["a", "b"]);
        let padded = shared(" a b\u{3000}", &[0, 2, 7]).unwrap().trimmed();
        assert_eq!(padded.iter().collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn shared_text_is_plain_only_when_every_byte_is_visible_ascii() {
        let plain = |text: &str| match shared(text, &[0, text.len() as u32]).unwrap().storage {
            Storage::Shared { plain, .. } => plain,
            _ => unreachable!("shared"),
        };
        assert!(plain("T0000001!~") && plain(""));
        for byte in (0..=0x7Fu8).filter(|byte| !byte.is_ascii_graphic()) {
            assert!(!plain(&format!("a{}b", byte as char)), "byte {byte:#x}");
        }
        assert!(!plain("消费") && !plain("a\u{3000}"));
        // Each value of a text that is not plain is still trimmed, in a chunked column too.
        let padded = TextColumn::chunked(pieces(&[("ab", &[0, 1, 2]), (" c", &[0, 2])])).unwrap();
        assert_eq!(padded.trimmed().iter().collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn offsets_that_start_past_zero_are_checked_from_the_first() {
        // Arrow's offsets of a sliced array: the text begins at the first offset.
        assert_eq!(plain_if_values_fit("ab", &[7i32, 8, 9]), Ok(true));
        assert_eq!(plain_if_values_fit("消费", &[7i32, 10, 13]), Ok(false));
        assert_eq!(plain_if_values_fit("消费", &[7i32, 8, 13]), Err(OffsetFault::InsideCharacter(1)));
        assert_eq!(plain_if_values_fit("消费", &[7i32, 11, 10, 13]), Err(OffsetFault::Decreasing));
        assert_eq!(plain_if_values_fit("ab", &[] as &[u32]), Ok(true));
    }

    /// What a column holds, read every way a caller reads it.
    fn read(column: &TextColumn) -> (Vec<String>, usize, bool, Vec<bool>) {
        let view = column.view();
        let empties = (0..column.len()).map(|row| view.is_empty_at(row)).collect();
        (column.iter().map(str::to_string).collect(), column.text_len(), column.has_empty(), empties)
    }

    proptest::proptest! {
        #[test]
        fn an_interned_column_reads_as_one_held_row_by_row(
            pushed in proptest::collection::vec(0..7usize, 0..60),
            appended in proptest::collection::vec(0..7usize, 0..30),
            split in 0..60usize,
        ) {
            const VALUES: [&str; 7] = ["T1", "T2", "", " T1", "T1 ", "沪上小馆", "102310058120001"];
            let (mut interned, mut owned) = (TextColumn::interned(), TextColumn::default());
            for (k, &value) in pushed.iter().enumerate() {
                interned.push(VALUES[value]).unwrap();
                owned.push(VALUES[value]).unwrap();
                // A part of the rows read, emptied and filled again, as a reader's parts are.
                if k == split {
                    interned.clear();
                    owned.clear();
                }
            }
            // Appended from an interned part, from an owned one, and from shared text.
            let mut part = TextColumn::interned();
            appended.iter().for_each(|&value| part.push(VALUES[value]).unwrap());
            let plain: TextColumn = { let mut c = TextColumn::default(); appended.iter().for_each(|&v| c.push(VALUES[v]).unwrap()); c };
            for other in [&part, &plain] {
                interned.append(other).unwrap();
                owned.append(other).unwrap();
            }
            proptest::prop_assert_eq!(read(&interned), read(&owned));
            proptest::prop_assert_eq!(&interned, &owned);
            let (interned, owned) = (interned.trimmed(), owned.trimmed());
            proptest::prop_assert_eq!(read(&interned), read(&owned));
        }
    }

    /// A column of `values` pushed one by one.
    fn pushed(values: &[&str]) -> TextColumn {
        let mut column = TextColumn::default();
        values.iter().for_each(|value| column.push(value).unwrap());
        column
    }

    #[test]
    fn values_of_one_width_are_held_without_offsets_until_one_differs() {
        let mut column = TextColumn::default();
        column.append(&pushed(&["602600000001", "602600000002"])).unwrap();
        assert!(matches!(column.storage, Storage::Fixed { width: 12, rows: 2, .. }));
        column.append(&pushed(&["602600000003"])).unwrap();
        column.push("消费消费").unwrap(); // 12 bytes too
        column.append(&TextColumn::default()).unwrap();
        assert!(matches!(column.storage, Storage::Fixed { width: 12, rows: 4, .. }));
        assert_eq!((column.text_len(), column.heap_bytes() >= 48, column.has_empty()), (48, true, false));
        assert_eq!(column.get(3), "消费消费");
        // A value of another width: offsets from then on, the values the same.
        column.append(&pushed(&["", "R1"])).unwrap();
        assert!(matches!(column.storage, Storage::Owned { .. }));
        let all = ["602600000001", "602600000002", "602600000003", "消费消费", "", "R1"];
        assert_eq!(column, pushed(&all));
        let mut again = TextColumn::default();
        again.append(&pushed(&all[..2])).unwrap();
        again.push("R1").unwrap();
        assert_eq!(again, pushed(&["602600000001", "602600000002", "R1"]));
        // Empty values: no text, and no offsets either.
        let mut empty = TextColumn::default();
        empty.append(&pushed(&["", ""])).unwrap();
        empty.append(&TextColumn::filled("", 3).unwrap()).unwrap();
        assert!(matches!(empty.storage, Storage::Fixed { width: 0, rows: 5, .. }));
        assert_eq!((empty.len(), empty.get(4), empty.has_empty(), empty.view().is_empty_at(4), empty.heap_bytes()), (5, "", true, true, 0));
        // Out of a column of one width into others.
        let mut interned = TextColumn::interned();
        interned.push("T1").unwrap();
        interned.append(&TextColumn::filled("T2", 2).unwrap()).unwrap();
        assert_eq!((matches!(interned.storage, Storage::Interned(_)), interned), (true, pushed(&["T1", "T2", "T2"])));
        let mut owned = pushed(&["a", "bb"]);
        owned.append(&TextColumn::filled("ccc", 2).unwrap()).unwrap();
        assert_eq!(owned, pushed(&["a", "bb", "ccc", "ccc"]));
        // Padded values of one width are trimmed one by one.
        assert_eq!(TextColumn::filled(" a", 2).unwrap().trimmed(), pushed(&["a", "a"]));
        let mut cleared = TextColumn::filled("ab", 2).unwrap();
        cleared.clear();
        cleared.push("c").unwrap();
        assert_eq!(cleared, pushed(&["c"]));
    }

    proptest::proptest! {
        /// A column made of parts (appended, the first made fixed-width as a reader's first
        /// part is, then values pushed) reads as the same values pushed one by one.
        #[test]
        fn a_column_of_parts_reads_as_its_values_pushed(
            parts in proptest::collection::vec(proptest::collection::vec(0..5usize, 0..8), 0..6),
            after in proptest::collection::vec(0..5usize, 0..4),
            first_fixed in proptest::bool::ANY,
        ) {
            // Two widths of 12 bytes, one of them CJK; an empty value; one of 2 bytes.
            const VALUES: [&str; 5] = ["602600000001", "602600000002", "消费消费", "", "R1"];
            let (mut column, mut one_by_one) = (TextColumn::default(), TextColumn::default());
            for (k, part) in parts.iter().enumerate() {
                let values: Vec<&str> = part.iter().map(|&v| VALUES[v]).collect();
                column.append(&pushed(&values)).unwrap();
                if k == 0 && first_fixed {
                    column.fixed_if_one_width();
                }
                values.iter().for_each(|value| one_by_one.push(value).unwrap());
            }
            for &value in &after {
                column.push(VALUES[value]).unwrap();
                one_by_one.push(VALUES[value]).unwrap();
            }
            proptest::prop_assert_eq!(read(&column), read(&one_by_one));
            proptest::prop_assert_eq!(&column, &one_by_one);
            proptest::prop_assert_eq!(read(&column.clone().trimmed()), read(&one_by_one.trimmed()));
        }
    }

    #[test]
    fn an_interned_column_that_meets_too_many_values_holds_them_row_by_row() {
        let values: Vec<String> = (0..70_000).map(|k| format!("T{k:07}")).collect();
        let mut column = TextColumn::interned();
        for value in &values {
            column.push(value).unwrap();
        }
        assert!(matches!(column.storage, Storage::Owned { .. }));
        // Appended to an interned column, and an interned column appended to it.
        let mut part = TextColumn::interned();
        part.push("T0000001").unwrap();
        column.append(&part).unwrap();
        let mut small = TextColumn::interned();
        small.push("x").unwrap();
        small.append(&column).unwrap();
        assert!(matches!(small.storage, Storage::Owned { .. }));
        let expected: Vec<&str> = std::iter::once("x").chain(values.iter().map(String::as_str)).chain(["T0000001"]).collect();
        assert_eq!(small.iter().collect::<Vec<_>>(), expected);
        assert_eq!(small.text_len(), expected.iter().map(|value| value.len()).sum::<usize>());
    }

    #[test]
    fn an_empty_column_holds_nothing() {
        let mut column = TextColumn::default();
        assert_eq!((column.heap_bytes(), column.len(), column.iter().count()), (0, 0, 0));
        assert_eq!(column, TextColumn::filled("", 0).unwrap());
        column.append(&TextColumn::default()).unwrap();
        column.append(&shared("ab", &[0, 2]).unwrap()).unwrap();
        assert_eq!(column.iter().collect::<Vec<_>>(), ["ab"]);
    }

    #[test]
    fn filled_repeats_a_value() {
        let empty = TextColumn::filled("", 3).unwrap();
        assert_eq!((empty.len(), empty.get(2)), (3, ""));
        assert_eq!(TextColumn::filled("00", 2).unwrap().get(1), "00");
        assert_eq!(TextColumn::filled("x", 0).unwrap().len(), 0);
    }
}

//! A column of strings in one buffer ([`TextColumn`]), with 32-bit offsets: owned, or shared
//! with the store that holds the text already ([`SharedText`], e.g. an Arrow string array).

use std::fmt;
use std::sync::Arc;

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
/// or text shared with another store ([`TextColumn::shared`]), copied only when the column
/// is changed.
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
    /// Checked by [`TextColumn::shared`].
    Shared(Arc<dyn SharedText>),
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
        let bad = |why: String| Err(Error::new(ErrorKind::InvalidRequest, format!("shared text column: {why}")));
        let (Some(&first), Some(&last)) = (offsets.first(), offsets.last()) else { return bad("no offsets".into()) };
        if first != 0 || last as usize != text.len() {
            return bad(format!("the offsets run from {first} to {last}, not from 0 to the text's {} bytes", text.len()));
        }
        // Passes that vectorize: non-decreasing offsets, then (unless the text is ASCII, all
        // of whose offsets are boundaries) offsets on character boundaries.
        if !offsets.iter().zip(&offsets[1..]).fold(true, |fine, (before, after)| fine & (before <= after)) {
            return bad("the offsets decrease".into());
        }
        if !text.is_ascii() {
            if let Some(offset) = offsets.iter().find(|&&offset| !text.is_char_boundary(offset as usize)) {
                return bad(format!("offset {offset} falls inside a character"));
            }
        }
        Ok(TextColumn { storage: Storage::Shared(values) })
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
        if value.is_empty() {
            // Zeroed memory: the offsets cost nothing until they are read.
            return Ok(TextColumn { storage: Storage::Owned { text: String::new(), offsets: vec![0; rows + 1] } });
        }
        if value.len().saturating_mul(rows) > Self::MAX_BYTES {
            return Err(too_much_text(0));
        }
        let mut column = TextColumn::default();
        column.reserve(rows, value.len() * rows);
        for _ in 0..rows {
            column.push_fitting(value);
        }
        Ok(column)
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
    #[inline]
    pub(crate) fn push_fitting(&mut self, value: &str) {
        let (text, offsets) = self.owned();
        if offsets.is_empty() {
            offsets.push(0);
        }
        text.push_str(value);
        offsets.push(text.len() as u32);
    }

    /// The text and the offsets.
    #[inline]
    fn parts(&self) -> (&str, &[u32]) {
        match &self.storage {
            Storage::Owned { text, offsets } => (text, offsets),
            Storage::Shared(values) => values.parts(),
        }
    }

    /// The column's own buffers, copied from the shared text first if need be.
    fn owned(&mut self) -> (&mut String, &mut Vec<u32>) {
        if let Storage::Shared(values) = &self.storage {
            let (text, offsets) = values.parts();
            self.storage = Storage::Owned { text: text.to_string(), offsets: offsets.to_vec() };
        }
        match &mut self.storage {
            Storage::Owned { text, offsets } => (text, offsets),
            Storage::Shared(_) => unreachable!("copied above"),
        }
    }

    /// The text and the offsets resolved once, for loops over many rows: reading through a
    /// view skips the per-read look-up of where the text lives (owned or shared).
    #[inline]
    pub(crate) fn view(&self) -> TextView<'_> {
        let (text, offsets) = self.parts();
        TextView { text, offsets }
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
        self.view().get(index)
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
        let (text, offsets) = self.parts();
        offsets.windows(2).map(move |pair| &text[pair[0] as usize..pair[1] as usize])
    }

    /// The number of values.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::TextColumn::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.parts().1.len().saturating_sub(1)
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
    pub(crate) fn text_len(&self) -> usize {
        self.parts().0.len()
    }

    /// Reserves room for `rows` more values of `bytes` more text.
    pub(crate) fn reserve(&mut self, rows: usize, bytes: usize) {
        let (text, offsets) = self.owned();
        text.reserve(bytes);
        offsets.reserve(rows);
    }

    /// Appends all values of `other`.
    ///
    /// # Errors
    /// When the text would exceed [`TextColumn::MAX_BYTES`] (nothing is appended).
    pub(crate) fn append(&mut self, other: &TextColumn) -> Result<()> {
        if !self.has_room(other.text_len()) {
            return Err(too_much_text(self.len()));
        }
        let (other_text, other_offsets) = other.parts();
        let (text, offsets) = self.owned();
        if offsets.is_empty() {
            offsets.push(0);
        }
        let base = text.len() as u32;
        text.push_str(other_text);
        offsets.extend(other_offsets.iter().skip(1).map(|offset| offset + base));
        Ok(())
    }

    /// The same values without surrounding whitespace (as [`str::trim`]): `self` when none
    /// has any (shared text stays shared), else a copy.
    pub(crate) fn trimmed(self) -> TextColumn {
        let (text, offsets) = self.parts();
        let padded = |pair: &[u32]| {
            let (start, end) = (pair[0] as usize, pair[1] as usize);
            start < end && !surely_trimmed(&text.as_bytes()[start..end]) && {
                let value = &text[start..end];
                value.starts_with(char::is_whitespace) || value.ends_with(char::is_whitespace)
            }
        };
        // Text without any whitespace (the usual case) is settled in one fast pass.
        if surely_unspaced(text.as_bytes()) || !offsets.windows(2).any(padded) {
            return self;
        }
        let mut column = TextColumn::default();
        column.reserve(self.len(), self.text_len());
        for value in self.iter() {
            column.push_fitting(trim(value));
        }
        column
    }

    /// Whether a value is empty (one pass over the offsets, without reading the text).
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))] // the Arrow reader's check
    pub(crate) fn has_empty(&self) -> bool {
        let offsets = self.parts().1;
        offsets.iter().zip(offsets.iter().skip(1)).fold(false, |empty, (start, end)| empty | (start == end))
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
            Storage::Shared(values) => {
                let (text, offsets) = values.parts();
                text.len() + std::mem::size_of_val(offsets)
            }
        }
    }
}

impl PartialEq for TextColumn {
    fn eq(&self, other: &TextColumn) -> bool {
        self.len() == other.len() && (self.is_empty() || self.parts() == other.parts())
    }
}

impl Eq for TextColumn {}

impl fmt::Debug for TextColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// A [`TextColumn`]'s text and offsets (see [`TextColumn::view`]).
#[derive(Clone, Copy)]
pub(crate) struct TextView<'a> {
    text: &'a str,
    offsets: &'a [u32],
}

impl<'a> TextView<'a> {
    /// The value of row `index` (panics when there is no such row).
    #[inline]
    pub(crate) fn get(self, index: usize) -> &'a str {
        &self.text[self.offsets[index] as usize..self.offsets[index + 1] as usize]
    }
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
        assert!(matches!(clean.trimmed().storage, Storage::Shared(_)));
        let cjk = shared("消费A", &[0, 6, 7]).unwrap();
        assert!(matches!(cjk.trimmed().storage, Storage::Shared(_)));
        let inner_space = shared("a bc", &[0, 3, 4]).unwrap();
        assert!(matches!(inner_space.trimmed().storage, Storage::Shared(_)), "a space inside a value is kept");
        let unsure = shared("a\u{3000}b", &[0, 4, 5]).unwrap();
        assert_eq!(unsure.trimmed().iter().collect::<Vec<_>>(), ["a", "b"]);
        let padded = shared(" a b\u{3000}", &[0, 2, 7]).unwrap().trimmed();
        assert_eq!(padded.iter().collect::<Vec<_>>(), ["a", "b"]);
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

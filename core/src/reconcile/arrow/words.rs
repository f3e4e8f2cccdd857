//! The rows of a column of words — few distinct texts: terminals, merchant numbers and names,
//! channels, kinds — read by their keys ([`text_key`]), without a copy of their text: from a
//! string array's offsets and text ([`OffsetRows`]), or from a string view array's views as
//! they are ([`ViewRows`]; polars hands its strings over as `string_view`), whose texts of up
//! to 12 bytes are held in their views.
//!
//! A dictionary's rows (pandas' categoricals, polars' `Categorical`) are read by their keys,
//! each of its values read once ([`DictionaryWords`]).
//!
//! A key is a text of at most 15 bytes as a number: its bytes, then its length in the top
//! byte, so that two texts have the same key exactly when they are equal, whichever array
//! holds them.

use arrow_array::cast::AsArray;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Int64Array, StringArray, StringViewArray};
use arrow_buffer::Buffer;

/// A chunk of a column of words: a string array, a string view array read as it is, or a
/// dictionary (pandas' categoricals, polars' `Categorical`) read by its keys.
pub(super) enum Words {
    /// Offsets into one text (`utf8`; other string types are cast to it).
    Offsets(StringArray),
    /// Views (`string_view`): a text of up to 12 bytes in its view, a longer one in a buffer.
    Views(StringViewArray),
    /// A dictionary of texts without a null.
    Dictionary(DictionaryWords),
}

/// A dictionary array of texts: each row a key into its values.
pub(super) struct DictionaryWords {
    /// The dictionary array, for a cast to a string array.
    pub(super) array: ArrayRef,
    /// The keys as 64-bit integers (a key may be out of the values' range, or negative: an
    /// array imported through Arrow's C interface is not checked).
    pub(super) keys: Int64Array,
    /// The values (string or string view arrays, without a null).
    pub(super) values: Box<Words>,
    /// How many values there are.
    pub(super) values_len: usize,
}

impl DictionaryWords {
    /// A dictionary `array` of `keys` into `values`.
    pub(super) fn new(array: ArrayRef, keys: Int64Array, values: Words) -> DictionaryWords {
        let values_len = values.len();
        DictionaryWords { array, keys, values: Box::new(values), values_len }
    }

    /// Row `row`'s index into the values; `None` for a null or a key out of their range.
    #[inline(always)]
    pub(super) fn index(&self, row: usize) -> Option<usize> {
        self.index_of(*self.keys.values().get(row)?).filter(|_| self.keys.is_valid(row))
    }

    /// The index into the values of a key; `None` for a key out of their range.
    #[inline(always)]
    pub(super) fn index_of(&self, key: i64) -> Option<usize> {
        usize::try_from(key).ok().filter(|&index| index < self.values_len)
    }
}

impl Words {
    /// The chunk's rows.
    pub(super) fn len(&self) -> usize {
        match self {
            Words::Offsets(array) => array.len(),
            Words::Views(array) => array.len(),
            Words::Dictionary(dictionary) => dictionary.keys.len(),
        }
    }

    /// The chunk's nulls.
    pub(super) fn null_count(&self) -> usize {
        match self {
            Words::Offsets(array) => array.null_count(),
            Words::Views(array) => array.null_count(),
            Words::Dictionary(dictionary) => dictionary.keys.null_count(),
        }
    }

    /// Whether row `row` is null.
    pub(super) fn is_null(&self, row: usize) -> bool {
        match self {
            Words::Offsets(array) => array.is_null(row),
            Words::Views(array) => array.is_null(row),
            Words::Dictionary(dictionary) => dictionary.keys.is_null(row),
        }
    }

    /// Row `row`'s bytes (not checked as UTF-8); `None` for a row outside the chunk or bytes
    /// outside the buffers.
    pub(super) fn bytes(&self, row: usize) -> Option<&[u8]> {
        match self {
            Words::Offsets(array) => OffsetRows::of(array).bytes(row),
            Words::Views(array) => (row < array.len()).then(|| ViewRows::of(array).bytes(row)).flatten(),
            Words::Dictionary(dictionary) => dictionary.values.bytes(dictionary.index(row)?),
        }
    }

    /// The chunk as a string array, its text not checked yet (a view array's texts copied, a
    /// dictionary's looked up); `None` when a view points outside its buffers, or a key
    /// outside the dictionary ([`to_utf8`]).
    pub(super) fn to_offsets(&self) -> Option<StringArray> {
        match self {
            Words::Offsets(array) => Some(array.clone()),
            Words::Views(array) => to_utf8(&(Arc::new(array.clone()) as ArrayRef)).ok(),
            Words::Dictionary(dictionary) => to_utf8(&dictionary.array).ok(),
        }
    }
}

/// Why a column of a string type was not cast to a string array.
pub(super) enum Refused {
    /// A string view (not null) points outside its buffers.
    ViewOutside,
    /// A dictionary key (not null) is outside its values.
    KeyOutside,
    /// Arrow's cast failed.
    Cast(arrow_schema::ArrowError),
}

/// A column of a string type (or dictionary of strings) as a string array, its text not
/// checked yet; refused when a view points outside its buffers or a key outside its
/// dictionary's values. (An array imported through Arrow's C interface, or made by pyarrow's
/// `from_buffers` or `from_arrays(safe=False)`, is not checked, and Arrow's cast reads it
/// unchecked: such an array is refused before it is cast.)
pub(super) fn to_utf8(array: &ArrayRef) -> Result<StringArray, Refused> {
    if views_outside_buffers(array) {
        return Err(Refused::ViewOutside);
    }
    if keys_outside_dictionary(array) {
        return Err(Refused::KeyOutside);
    }
    let cast = arrow_cast::cast(array, &arrow_schema::DataType::Utf8).map_err(Refused::Cast)?;
    Ok(cast.as_string::<i32>().clone())
}

/// Whether `array` is a string view array (or a dictionary of one) with a view of a text of
/// more than 12 bytes (not null) that points outside its buffers.
fn views_outside_buffers(array: &ArrayRef) -> bool {
    if let Some(views) = array.as_string_view_opt() {
        return any_view_outside(views);
    }
    array.as_any_dictionary_opt().is_some_and(|dictionary| views_outside_buffers(dictionary.values()))
}

/// Whether `array` is a dictionary with a key (not null) outside its values: negative, or past
/// them (Arrow's cast would panic on such a key).
fn keys_outside_dictionary(array: &ArrayRef) -> bool {
    let Some(dictionary) = array.as_any_dictionary_opt() else { return false };
    let values = dictionary.values().len() as i64;
    let Some(keys) = dictionary_keys(dictionary) else { return true };
    keys.values().iter().enumerate().any(|(row, &key)| !(0..values).contains(&key) && keys.is_valid(row))
}

/// A dictionary's keys as 64-bit integers; `None` for an unsigned key past `i64::MAX` (not
/// null), which no dictionary has values for.
pub(super) fn dictionary_keys(dictionary: &dyn arrow_array::AnyDictionaryArray) -> Option<Int64Array> {
    // Not `safe`: a key that does not fit is an error, not a null.
    let options = arrow_cast::CastOptions { safe: false, ..Default::default() };
    let keys = arrow_cast::cast_with_options(dictionary.keys(), &arrow_schema::DataType::Int64, &options).ok()?;
    Some(keys.as_primitive::<arrow_array::types::Int64Type>().clone())
}

/// Whether a view of a text of more than 12 bytes (not null) points outside the buffers.
pub(super) fn any_view_outside(array: &StringViewArray) -> bool {
    let buffers = array.data_buffers();
    let outside = |view: u128| {
        let length = view as u32 as usize;
        length > 12 && place(buffers, view).and_then(|(buffer, start)| buffer.get(start..start.checked_add(length)?)).is_none()
    };
    // Blocks of views of texts of up to 12 bytes (all of them, in most columns) passed by
    // their lengths alone, without a branch.
    let views = array.views();
    views.chunks(256).enumerate().any(|(block, chunk)| {
        let inline = chunk.iter().fold(true, |inline, &view| inline & (view as u32 <= 12));
        !inline && chunk.iter().enumerate().any(|(k, &view)| array.is_valid(block * 256 + k) && outside(view))
    })
}

/// The buffer and the start of the text of a view of a text of more than 12 bytes.
#[inline(always)]
fn place(buffers: &[Buffer], view: u128) -> Option<(&[u8], usize)> {
    let (buffer, start) = ((view >> 64) as u32 as usize, (view >> 96) as u32 as usize);
    Some((buffers.get(buffer)?.as_slice(), start))
}

/// The rows of a chunk of words, each read by its key. Row numbers are below
/// [`WordRows::rows`] (a method may panic for another).
pub(super) trait WordRows<'a>: Copy {
    /// The rows.
    fn rows(self) -> usize;
    /// The rows from `from` on (none past the end).
    fn skip(self, from: usize) -> Self;
    /// A row's key ([`text_key`]); `None` for a text of more than 15 bytes, or outside the
    /// buffers.
    fn key(self, row: usize) -> Option<u128>;
    /// A row's short key ([`short_text_key`]); `None` for a text of more than 7 bytes.
    fn short_key(self, row: usize) -> Option<u64>;
    /// A row's bytes (not checked as UTF-8); `None` when they are outside the buffers.
    fn bytes(self, row: usize) -> Option<&'a [u8]>;
    /// The bytes of the rows' texts together.
    fn text_bytes(self) -> usize;
    /// How many of the rows after `row` (of the first `rows`) have its text, counted in
    /// whole blocks of `block_rows` rows, each of whose rows has it.
    fn repeats(self, row: usize, rows: usize, block_rows: usize) -> usize;
}

/// The rows of a string array: its offsets into its text.
#[derive(Clone, Copy)]
pub(super) struct OffsetRows<'a> {
    offsets: &'a [i32],
    text: &'a [u8],
}

impl<'a> OffsetRows<'a> {
    /// The rows of `offsets` (a row more than the rows) into `text`.
    pub(super) fn new(offsets: &'a [i32], text: &'a [u8]) -> OffsetRows<'a> {
        OffsetRows { offsets, text }
    }

    /// The rows of a string array.
    pub(super) fn of(array: &'a StringArray) -> OffsetRows<'a> {
        OffsetRows::new(array.value_offsets(), array.value_data())
    }
}

impl<'a> WordRows<'a> for OffsetRows<'a> {
    fn rows(self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    fn skip(self, from: usize) -> OffsetRows<'a> {
        OffsetRows { offsets: self.offsets.get(from..).unwrap_or_default(), text: self.text }
    }

    #[inline(always)]
    fn key(self, row: usize) -> Option<u128> {
        text_key(self.text, self.offsets[row] as usize, self.offsets[row + 1] as usize)
    }

    #[inline(always)]
    fn short_key(self, row: usize) -> Option<u64> {
        short_text_key(self.text, self.offsets[row] as usize, self.offsets[row + 1] as usize)
    }

    fn bytes(self, row: usize) -> Option<&'a [u8]> {
        let (start, end) = (*self.offsets.get(row)? as usize, *self.offsets.get(row + 1)? as usize);
        self.text.get(start..end)
    }

    fn text_bytes(self) -> usize {
        // The offsets never decrease (each row's text was cut from them).
        self.offsets.last().zip(self.offsets.first()).map_or(0, |(&end, &start)| end.wrapping_sub(start) as usize)
    }

    /// A block's offsets are `row`'s length apart, and its text is the text before it moved
    /// by that length (so, row by row, `row`'s).
    #[inline(never)]
    fn repeats(self, row: usize, rows: usize, block_rows: usize) -> usize {
        let (offsets, text) = (self.offsets, self.text);
        let (Some(&start), Some(&end)) = (offsets.get(row), offsets.get(row + 1)) else { return 0 };
        let Ok(length) = usize::try_from(end.wrapping_sub(start)) else { return 0 };
        let mut run = 0;
        while row + 1 + run + block_rows <= rows {
            let first = row + 1 + run;
            let Some(block) = offsets.get(first..=first + block_rows) else { break };
            // Each row of the block `length` long (the first starts where the row before it,
            // of `row`'s text, ends).
            let step = length as i32;
            let spaced = block.iter().zip(&block[1..]).fold(true, |fine, (&start, &end)| fine & (end.wrapping_sub(start) == step));
            let (from, to) = (block[0] as usize, block[block_rows] as usize);
            let before = from.checked_sub(length).and_then(|before| text.get(before..to.checked_sub(length)?));
            if !spaced || before.is_none() || text.get(from..to) != before {
                break;
            }
            run += block_rows;
        }
        run
    }
}

/// The rows of a string view array: each row's view (16 bytes: the length, then a text of up
/// to 12 bytes, or else its first 4 bytes, its buffer and its start in it).
#[derive(Clone, Copy)]
pub(super) struct ViewRows<'a> {
    views: &'a [u128],
    /// The views' bytes (the texts of up to 12 bytes are cut from them).
    view_bytes: &'a [u8],
    buffers: &'a [Buffer],
}

impl<'a> ViewRows<'a> {
    /// The rows of a string view array.
    pub(super) fn of(array: &'a StringViewArray) -> ViewRows<'a> {
        ViewRows { views: array.views(), view_bytes: array.views().inner().as_slice(), buffers: array.data_buffers() }
    }
}

impl<'a> WordRows<'a> for ViewRows<'a> {
    fn rows(self) -> usize {
        self.views.len()
    }

    fn skip(self, from: usize) -> ViewRows<'a> {
        ViewRows {
            views: self.views.get(from..).unwrap_or_default(),
            view_bytes: self.view_bytes.get(from.saturating_mul(16)..).unwrap_or_default(),
            buffers: self.buffers,
        }
    }

    #[inline(always)]
    fn key(self, row: usize) -> Option<u128> {
        let view = self.views[row];
        let length = view as u32 as usize;
        if length <= 12 {
            // The text's bytes are the view's from its fifth on (any padding after them cut).
            return Some(((view >> 32) & low_bytes(length)) | ((length as u128) << 120));
        }
        let (buffer, start) = place(self.buffers, view)?;
        text_key(buffer, start, start.checked_add(length)?)
    }

    #[inline(always)]
    fn short_key(self, row: usize) -> Option<u64> {
        let view = self.views[row];
        let length = view as u32 as usize;
        let mask = *SHORT_KEY_MASKS.get(length)?;
        Some((((view >> 32) as u64) & mask) | ((length as u64) << 56))
    }

    fn bytes(self, row: usize) -> Option<&'a [u8]> {
        let view = *self.views.get(row)?;
        let length = view as u32 as usize;
        if length <= 12 {
            let start = row.checked_mul(16)? + 4;
            return self.view_bytes.get(start..start + length);
        }
        let (buffer, start) = place(self.buffers, view)?;
        buffer.get(start..start.checked_add(length)?)
    }

    fn text_bytes(self) -> usize {
        self.views.iter().map(|&view| view as u32 as usize).sum()
    }

    /// Rows of the same view have the same text (the same length and bytes, or the same
    /// place in the same buffer); rows of the same text in other views end the run.
    #[inline(never)]
    fn repeats(self, row: usize, rows: usize, block_rows: usize) -> usize {
        let Some(&view) = self.views.get(row) else { return 0 };
        let mut run = 0;
        while row + 1 + run + block_rows <= rows {
            let first = row + 1 + run;
            let Some(block) = self.views.get(first..first + block_rows) else { break };
            // The first row alone before the block (rows of a text of more than 12 bytes have
            // one key and other views unless the array holds each text once).
            if block.first() != Some(&view) || !block.iter().fold(true, |same, &other| same & (other == view)) {
                break;
            }
            run += block_rows;
        }
        run
    }
}

/// The masks of `Text::key`: the 16 bytes from `16 - length` keep a text's `length` bytes.
const KEY_MASKS: [u8; 32] = {
    let mut masks = [0u8; 32];
    let mut k = 0;
    while k < 16 {
        masks[k] = 0xFF;
        k += 1;
    }
    masks
};

/// The low `length` bytes of a number (all of them from 16 on), from a table (a 128-bit
/// shift by a variable is several instructions with a branch).
#[inline(always)]
fn low_bytes(length: usize) -> u128 {
    let length = length.min(16);
    let mask: [u8; 16] = KEY_MASKS[16 - length..32 - length].try_into().unwrap_or_default();
    u128::from_le_bytes(mask)
}

/// The key ([`Text::key`](super::values::Text::key)) of the text at `start..end` of a string
/// column's `values`.
#[inline(always)]
pub(super) fn text_key(values: &[u8], start: usize, end: usize) -> Option<u128> {
    let length = end.wrapping_sub(start);
    let window: [u8; 16] = match values.get(start..start.checked_add(16)?) {
        Some(window) => window.try_into().ok()?,
        None => window_near_end(values, start, end)?,
    };
    (length <= 15).then(|| (u128::from_le_bytes(window) & low_bytes(length)) | ((length as u128) << 120))
}

/// Writes to `out` the value that `look_up(row)` gives each of the first `rows` rows of
/// `words` with the row's key, up to the first row it gives none for; returns that row
/// (`rows` when there is none). Rows in runs of one key are written a block at a time
/// ([`Runs`]) without a look-up.
#[inline(always)]
pub(super) fn fill_runs<'a, K: PartialEq + Copy, T: Copy>(
    words: impl WordRows<'a>,
    rows: usize,
    out: &mut [T],
    no_key: K,
    mut look_up: impl FnMut(usize) -> Option<(K, T)>,
) -> usize {
    let (mut row, mut runs) = (0, Runs::new(no_key));
    while row < rows {
        let Some((key, value)) = look_up(row) else { return row };
        out[row] = value;
        let same = runs.after(key, words, row, rows);
        if same > 0 {
            out[row + 1..=row + same].fill(value);
        }
        row += 1 + same;
    }
    rows
}

/// A column's rows of the same text, met one after another: after [`Runs::AFTER`] rows of
/// one key in a row, the rows that follow are compared with it [`Runs::BLOCK_ROWS`] at a time
/// ([`WordRows::repeats`]: for a string array, one comparison of offsets and one `memcmp` a
/// block) instead of one by one. A column of one value (a merchant number, a kind that is
/// nearly always `purchase`) is read at the speed of `memcmp`; one of values in no order
/// (terminals, channels) pays a block's try at most once every few rows, and then rarely.
struct Runs<K> {
    last: K,
    same: u32,
}

impl<K: PartialEq + Copy> Runs<K> {
    /// Rows of one key in a row before a block is compared.
    const AFTER: u32 = 4;
    /// The rows of a block.
    const BLOCK_ROWS: usize = 64;

    /// Runs of keys, the first row's key compared with `none` (which no text has).
    fn new(none: K) -> Runs<K> {
        Runs { last: none, same: 0 }
    }

    /// The rows after `row` (of `rows` of `words`) known to have its text, whose key is
    /// `key`: none unless the rows before it had that key too.
    #[inline(always)]
    fn after<'a>(&mut self, key: K, words: impl WordRows<'a>, row: usize, rows: usize) -> usize {
        // Without a branch on the key (in a column of values in no order, it would be
        // mispredicted every other row).
        self.same = (self.same + 1) * u32::from(key == self.last);
        self.last = key;
        if self.same < Self::AFTER {
            return 0;
        }
        self.same = 0;
        words.repeats(row, rows, Self::BLOCK_ROWS)
    }
}

/// The short key of the text at `start..end` of a string column's `values`, for a text of at
/// most 7 bytes: its bytes, then its length in the top byte, in one 8-byte load (the bytes
/// one by one near the buffer's end); `None` for a longer text. It is that text's key
/// ([`Text::key`](super::values::Text::key)) with its two halves xor-ed (for such a text,
/// the high half is the length alone).
#[inline(always)]
pub(super) fn short_text_key(values: &[u8], start: usize, end: usize) -> Option<u64> {
    let length = end.wrapping_sub(start);
    let window: [u8; 8] = match values.get(start..start.checked_add(8)?) {
        Some(window) => window.try_into().ok()?,
        None => window_near_end(values, start, end)?,
    };
    let mask = *SHORT_KEY_MASKS.get(length)?;
    Some((u64::from_le_bytes(window) & mask) | ((length as u64) << 56))
}

/// The text at `start..end` of `values`, too near the buffer's end for a window of `N` bytes
/// to be read in one load (the last rows, or every row of a column of empty texts), followed
/// by zeros; `None` when it has more than `N` bytes.
#[cold]
fn window_near_end<const N: usize>(values: &[u8], start: usize, end: usize) -> Option<[u8; N]> {
    let text = values.get(start..end)?;
    let mut window = [0u8; N];
    window.get_mut(..text.len())?.copy_from_slice(text);
    Some(window)
}

/// The masks of `short_text_key` by length: the low `length` bytes.
const SHORT_KEY_MASKS: [u64; 8] = [0, 0xFF, 0xFFFF, 0xFF_FFFF, 0xFFFF_FFFF, 0xFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF, 0xFF_FFFF_FFFF_FFFF];

#[cfg(test)]
mod tests {
    use super::*;

    /// `repeats` counts whole blocks of rows of the row's text after it, and stops at the
    /// block with a row of another length (even one whose bytes continue the pattern, `abab`
    /// after `ab`s) or another byte, or when no whole block is left; in string arrays and in
    /// string view arrays alike (texts of 2 bytes, in their views, and of 14, in a buffer, each
    /// text once: equal views).
    #[test]
    fn repeats_counts_whole_blocks_of_the_rows_text() {
        let shared_views = |texts: &[&str]| {
            let mut builder = arrow_array::builder::StringViewBuilder::new().with_deduplicate_strings();
            texts.iter().for_each(|text| builder.append_value(text));
            builder.finish()
        };
        for long in [false, true] {
            let text = |short: &'static str| if long { short.repeat(7).leak() as &str } else { short };
            let repeats = |texts: &[&str], row: usize, rows: usize| {
                let (offsets, views) = (StringArray::from(texts.to_vec()), shared_views(texts));
                let by_offsets = OffsetRows::of(&offsets).repeats(row, rows, 64);
                assert_eq!(ViewRows::of(&views).repeats(row, rows, 64), by_offsets, "{texts:?}");
                by_offsets
            };
            let mut texts = vec![text("ab"); 201];
            // Rows 5..197 are three whole blocks of 64; rows 197..201 are not a whole block.
            assert_eq!(repeats(&texts, 4, 201), 192);
            assert_eq!(repeats(&texts, 4, 69), 64);
            assert_eq!(repeats(&texts, 4, 68), 0);
            texts[150] = text("ac");
            assert_eq!(repeats(&texts, 4, 201), 128);
            texts[150] = text("abab");
            assert_eq!(repeats(&texts, 4, 201), 128);
            texts[6] = "";
            assert_eq!(repeats(&texts, 4, 201), 0);
        }
        // Rows of a long text each in its own place in the buffer are not a run (their views
        // differ): they are read one by one.
        assert_eq!(ViewRows::of(&StringViewArray::from(vec!["abcdefghijklmn"; 100])).repeats(0, 100, 64), 0);
        // Empty texts repeat too.
        assert_eq!(OffsetRows::of(&StringArray::from(vec![""; 100])).repeats(0, 100, 64), 64);
        assert_eq!(ViewRows::of(&StringViewArray::from(vec![""; 100])).repeats(0, 100, 64), 64);
    }

    proptest::proptest! {
        /// A row's key, short key and bytes are the same from a string array and from a string
        /// view array of the same texts (of 0 to 20 bytes: in their views up to 12, in a buffer
        /// from 13; keys up to 15, short keys up to 7), sliced or not.
        #[test]
        fn views_and_offsets_give_the_same_keys(
            texts in proptest::collection::vec("[a-z0-9终端]{0,8}", 1..40),
            from in 0usize..5,
        ) {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let offsets = StringArray::from(texts.clone());
            let views = StringViewArray::from(texts.clone());
            let from = from.min(texts.len() - 1);
            let (offsets, views) = (offsets.slice(from, texts.len() - from), views.slice(from, texts.len() - from));
            let (by_offsets, by_views) = (OffsetRows::of(&offsets), ViewRows::of(&views));
            proptest::prop_assert_eq!(by_offsets.rows(), by_views.rows());
            proptest::prop_assert_eq!(by_offsets.text_bytes(), by_views.text_bytes());
            for row in 0..by_offsets.rows() {
                let text = texts[from + row].as_bytes();
                proptest::prop_assert_eq!(by_views.key(row), by_offsets.key(row));
                proptest::prop_assert_eq!(by_views.key(row).is_some(), text.len() <= 15);
                proptest::prop_assert_eq!(by_views.short_key(row), by_offsets.short_key(row));
                proptest::prop_assert_eq!(by_views.short_key(row).is_some(), text.len() <= 7);
                proptest::prop_assert_eq!(by_views.bytes(row), Some(text));
                proptest::prop_assert_eq!(by_offsets.bytes(row), Some(text));
                proptest::prop_assert_eq!(by_views.skip(row).key(0), by_offsets.skip(row).key(0));
            }
        }
    }

    /// Keys tell texts apart by their bytes and their length (a text and the same text with a
    /// zero byte after it differ), in views and in a buffer.
    #[test]
    fn keys_tell_texts_apart_by_length() {
        let texts = vec!["ab", "ab\0", "abcdefghijkl", "abcdefghijkl\0", "abcdefghijklm", "abcdefghijklmn\0", ""];
        let views = StringViewArray::from(texts.clone());
        let keys: Vec<Option<u128>> = (0..texts.len()).map(|row| ViewRows::of(&views).key(row)).collect();
        let distinct: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(distinct.len(), texts.len());
        assert!(keys.iter().all(Option::is_some));
    }
}

//! Text of few distinct values (the terminals, merchant numbers and names, batches of a
//! table), each value held once and each row holding the number of its value: two bytes a
//! row instead of the value's bytes and an offset, and less memory to fill when a file is read.

use super::hash::{text_hash, FxHashMap};

/// The most distinct values a column keeps interned; a column that meets more holds its text
/// row by row (see [`InternedText::push`]). Their numbers fit a [`Key`].
pub(crate) const INTERNED_VALUES_MAX: usize = 1 << 16;

/// The number of a row's value: two bytes a row.
pub(crate) type Key = u16;

/// Rows of text as numbers into a list of distinct values.
///
/// Every value in the list is the value of some row (values are added by the rows that
/// bring them, and [`InternedText::clear`] empties the list too).
#[derive(Clone, Default)]
pub(crate) struct InternedText {
    /// The distinct values back to back.
    text: String,
    /// Where each value starts, then where the last ends (empty while there is none).
    offsets: Vec<u32>,
    /// The number of each row's value.
    keys: Vec<Key>,
    /// Each value's number, by the hash of its text.
    index: FxHashMap<u64, u32>,
    /// The bytes of all rows' values together (what the column would hold row by row).
    row_bytes: usize,
    /// Values met lately, by [`recent_slot`]: tried before the hash (a ledger's rows
    /// alternate among a few terminals).
    recent: [Recent; RECENT_SLOTS],
}

/// A value met lately: its number and where its text is, read without the offsets.
#[derive(Clone, Copy, Default)]
struct Recent {
    key: u32,
    start: u32,
    /// Where the text ends, plus one; 0 in a slot that holds none (whose text is then none).
    end_and_one: u32,
}

/// The values [`InternedText::push`] tries before hashing.
const RECENT_SLOTS: usize = 8;

/// Where a value's number is kept among the recent ones: by its length and last byte (the
/// digit that tells one terminal from the next).
#[inline]
fn recent_slot(value: &str) -> usize {
    (value.len() ^ usize::from(value.as_bytes().last().copied().unwrap_or(0))) % RECENT_SLOTS
}

impl InternedText {
    /// The number of rows.
    #[inline]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The bytes of all rows' values together.
    #[inline]
    pub fn row_bytes(&self) -> usize {
        self.row_bytes
    }

    /// The distinct values, their offsets and the rows' numbers (for a view).
    #[inline]
    pub fn parts(&self) -> (&str, &[u32], &[Key]) {
        (&self.text, &self.offsets, &self.keys)
    }

    /// The value of row `row` (panics when there is no such row).
    #[cfg(test)]
    pub fn get(&self, row: usize) -> &str {
        self.value(u32::from(self.keys[row]))
    }

    #[inline]
    fn value(&self, key: u32) -> &str {
        value_of(&self.text, &self.offsets, key)
    }

    /// The number of distinct values.
    fn values(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Appends a row of `value`; `false`, with nothing appended, when the value cannot be
    /// kept interned: it would be the [`INTERNED_VALUES_MAX`]th + 1 value, or its hash is
    /// another value's (the column then holds its text row by row instead).
    #[inline]
    pub fn push(&mut self, value: &str) -> bool {
        let slot = recent_slot(value);
        let recent = self.recent[slot];
        let met = self.text.as_bytes().get(recent.start as usize..(recent.end_and_one as usize).wrapping_sub(1));
        let key = if met.is_some_and(|met| same_bytes(met, value.as_bytes())) {
            recent.key
        } else {
            match self.key_of(value) {
                Some(key) => {
                    // The value's text is the text of `key`, which starts at its offset.
                    if let Some(&start) = self.offsets.get(key as usize) {
                        self.recent[slot] = Recent { key, start, end_and_one: (start + value.len() as u32).wrapping_add(1) };
                    }
                    key
                }
                None => return false,
            }
        };
        // Below INTERNED_VALUES_MAX, which `key_of` keeps.
        self.keys.push(key as Key);
        self.row_bytes += value.len();
        true
    }

    /// The number of `value`, added to the list if it is new; `None` when it cannot be.
    fn key_of(&mut self, value: &str) -> Option<u32> {
        let hash = index_hash(value);
        if let Some(&key) = self.index.get(&hash) {
            return same_text(self.value(key), value).then_some(key);
        }
        if self.values() >= INTERNED_VALUES_MAX || self.text.len().saturating_add(value.len()) > u32::MAX as usize {
            return None;
        }
        let key = self.values() as u32;
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.text.push_str(value);
        self.offsets.push(self.text.len() as u32);
        self.index.insert(hash, key);
        Some(key)
    }

    /// The number of `value` in the list, which is added if it is new; `None` when it cannot
    /// be kept interned (as [`InternedText::push`]). No row is appended: a caller that numbers
    /// its rows' values this way appends the rows with [`InternedText::extend_numbered`].
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))] // the Arrow reader's interning
    pub fn number(&mut self, value: &str) -> Option<Key> {
        // Below INTERNED_VALUES_MAX, which `key_of` keeps.
        self.key_of(value).map(|key| key as Key)
    }

    /// The value numbered `number` (a number [`InternedText::number`] gave; panics for another).
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))] // the Arrow reader's interning
    pub fn text_of(&self, number: Key) -> &str {
        self.value(u32::from(number))
    }

    /// Appends rows by the numbers of their values (each a number [`InternedText::number`]
    /// gave), `bytes` being their values' bytes together.
    #[cfg_attr(not(feature = "arrow"), allow(dead_code))] // the Arrow reader's interning
    pub fn extend_numbered(&mut self, keys: Vec<Key>, bytes: usize) {
        debug_assert!(keys.iter().all(|&key| usize::from(key) < self.values()));
        if self.keys.is_empty() {
            self.keys = keys;
        } else {
            self.keys.extend(keys);
        }
        self.row_bytes += bytes;
    }

    /// Appends the rows of `other`; `false` when one of its values cannot be kept interned
    /// (then no row was appended, though values may have been added to the list: the caller
    /// holds the column row by row from then on).
    pub fn append(&mut self, other: &InternedText) -> bool {
        // Each of the other's values numbered here once, then its rows renumbered.
        let mut renumbered: Vec<Key> = Vec::with_capacity(other.values());
        for key in 0..other.values() as u32 {
            match self.key_of(other.value(key)) {
                Some(here) => renumbered.push(here as Key),
                None => return false,
            }
        }
        self.keys.extend(other.keys.iter().map(|&key| renumbered[key as usize]));
        self.row_bytes += other.row_bytes;
        true
    }

    /// Reserves room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.keys.reserve(rows);
    }

    /// Removes every row and value, keeping the room.
    pub fn clear(&mut self) {
        self.text.clear();
        self.offsets.clear();
        self.keys.clear();
        self.index.clear();
        self.row_bytes = 0;
        self.recent = Default::default();
    }

    /// Whether a row's value is empty (every listed value is some row's).
    pub fn has_empty(&self) -> bool {
        self.offsets.windows(2).any(|pair| pair[0] == pair[1])
    }

    /// Whether every value is free of whitespace at either end.
    pub fn is_trimmed(&self) -> bool {
        (0..self.values() as u32).all(|key| {
            let value = self.value(key);
            value.trim().len() == value.len()
        })
    }

    /// The rows' text and offsets, row by row (`row_bytes` of text).
    pub fn expanded(&self) -> (String, Vec<u32>) {
        let (mut text, mut offsets) = (String::with_capacity(self.row_bytes), Vec::with_capacity(self.keys.len() + 1));
        offsets.push(0);
        for &key in &self.keys {
            text.push_str(self.value(u32::from(key)));
            offsets.push(text.len() as u32);
        }
        (text, offsets)
    }

    /// Bytes held, for memory accounting.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.offsets.capacity() * std::mem::size_of::<u32>()
            + self.keys.capacity() * std::mem::size_of::<Key>()
            + self.index.capacity() * std::mem::size_of::<(u64, u32)>()
    }
}

/// A value's key in [`InternedText`]'s index: its text hash ([`text_hash`]) turned so that its
/// top bits come first. The index hashes a key by one multiplication, whose low bits (which
/// pick the bucket) depend on the key's low bits alone; a text hash's low bits do not depend on
/// the last bytes of a text's words, where texts such as T0000001, T0000002, ... differ (only
/// its top bits depend on every byte). Keyed by the text hash itself, 60,000 such terminals
/// fell into one bucket: a ledger of 200,000 rows of them read at 15 MB/s, not 514.
#[inline]
fn index_hash(value: &str) -> u64 {
    text_hash(value).rotate_left(16)
}

/// Value `key` of a list of values in Arrow's layout.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn value_of<'a>(text: &'a str, offsets: &[u32], key: u32) -> &'a str {
    let key = key as usize;
    &text[offsets[key] as usize..offsets[key + 1] as usize]
}

/// The values of a list in Arrow's layout, in the order of their numbers (an interned column's
/// distinct values: [`value_of`] of each number).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn values_of<'a>(text: &'a str, offsets: &'a [u32]) -> impl Iterator<Item = &'a str> + 'a {
    (0..offsets.len().saturating_sub(1) as u32).map(move |key| value_of(text, offsets, key))
}

/// Whether two texts are the same, short ones (as terminals and merchant numbers are)
/// compared a word or two at a time in place rather than by a call to `memcmp`.
#[inline]
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// [`same_text`] of bytes.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len != b.len() {
        return false;
    }
    // Two words that overlap when the texts are shorter than two words.
    let word = |bytes: &[u8], at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    match len {
        8..=16 => word(a, 0) == word(b, 0) && word(a, len - 8) == word(b, len - 8),
        0..=7 => a.iter().zip(b).fold(true, |same, (x, y)| same & (x == y)),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn texts_that_differ_only_at_their_end_spread_over_the_index() {
        use std::hash::BuildHasher;
        // The buckets of a map of 65,536 buckets that 60,000 texts fall into: their hashes'
        // low 16 bits.
        let buckets = |hash: fn(&str) -> u64, text: fn(u32) -> String| {
            let low_bits = (0..60_000).map(|n| super::super::hash::FxBuild::default().hash_one(hash(&text(n))) & 0xFFFF);
            low_bits.collect::<std::collections::HashSet<u64>>().len()
        };
        fn terminal(n: u32) -> String {
            format!("T{n:07}")
        }
        fn merchant_no(n: u32) -> String {
            format!("1023100581{n:05}")
        }
        // Keyed by the text hash alone, all fell into one bucket.
        assert_eq!((buckets(text_hash, terminal), buckets(text_hash, merchant_no)), (1, 1));
        for text in [terminal, merchant_no] {
            assert!(buckets(index_hash, text) > 35_000, "{}", buckets(index_hash, text));
        }
    }

    fn interned(values: &[&str]) -> InternedText {
        let mut text = InternedText::default();
        assert!(values.iter().all(|value| text.push(value)));
        text
    }

    #[test]
    fn each_distinct_value_is_held_once_and_each_row_reads_its_own() {
        let rows = ["T1", "T1", "T2", "", "T1", "消费", "T2"];
        let text = interned(&rows);
        assert_eq!((text.len(), text.values()), (7, 4));
        assert_eq!((0..text.len()).map(|row| text.get(row)).collect::<Vec<_>>(), rows);
        assert_eq!(text.row_bytes(), rows.iter().map(|value| value.len()).sum::<usize>());
        assert!(text.has_empty() && !interned(&["a", "b"]).has_empty());
        let (expanded, offsets) = text.expanded();
        assert_eq!((expanded.as_str(), offsets.len()), ("T1T1T2T1消费T2", 8));
    }

    #[test]
    fn appended_rows_are_renumbered_into_the_list() {
        let mut text = interned(&["a", "b"]);
        assert!(text.append(&interned(&["c", "b", "c", "a"])));
        assert_eq!((0..text.len()).map(|row| text.get(row)).collect::<Vec<_>>(), ["a", "b", "c", "b", "c", "a"]);
        assert_eq!((text.values(), text.row_bytes()), (3, 6));
    }

    #[test]
    fn a_value_past_the_limit_is_refused_and_nothing_is_appended() {
        let mut text = InternedText::default();
        for value in 0..INTERNED_VALUES_MAX {
            assert!(text.push(&value.to_string()));
        }
        assert!(text.push("0"), "a value already held is always taken");
        assert!(!text.push("new"));
        assert_eq!(text.len(), INTERNED_VALUES_MAX + 1);
        // The last value's number is the largest a key holds, and reads back as its value.
        assert_eq!(text.get(INTERNED_VALUES_MAX - 1), (INTERNED_VALUES_MAX - 1).to_string());
        assert_eq!((text.get(INTERNED_VALUES_MAX), text.parts().2[INTERNED_VALUES_MAX - 1]), ("0", Key::MAX));
        let mut small = interned(&["x"]);
        assert!(!small.append(&text));
        assert_eq!(small.len(), 1, "no row appended");
    }

    #[test]
    fn cleared_text_holds_no_value_and_fills_again() {
        let mut text = interned(&["", "a"]);
        text.clear();
        assert!(!text.has_empty() && text.len() == 0 && text.row_bytes() == 0);
        assert!(text.push("b"));
        assert_eq!((text.get(0), text.values()), ("b", 1));
    }

    #[test]
    fn a_value_met_before_a_clear_is_not_read_at_its_old_place() {
        // "T1" was met at bytes 4..6; after the clear those bytes are the end of "ABCDT1".
        let mut text = interned(&["A5", "B6", "T1"]);
        text.clear();
        assert!(text.push("ABCDT1") && text.push("T1"));
        assert_eq!((text.get(0), text.get(1), text.values()), ("ABCDT1", "T1", 2));
    }

    proptest! {
        /// Rows read back as pushed, each distinct value held once, through clears and values
        /// that are pieces of others (which the recent values' places in the text could mistake).
        #[test]
        fn rows_read_back_as_pushed_through_clears(steps in prop::collection::vec(prop::option::weighted(0.9, 0usize..9), 0..80)) {
            const VALUES: [&str; 9] = ["", "T1", "A5", "B6", "ABCDT1", "T", "1", "消费", "T1T1"];
            let (mut text, mut rows) = (InternedText::default(), Vec::new());
            for step in steps {
                match step {
                    Some(value) => {
                        prop_assert!(text.push(VALUES[value]));
                        rows.push(VALUES[value]);
                    }
                    None => {
                        text.clear();
                        rows.clear();
                    }
                }
                prop_assert_eq!((0..text.len()).map(|row| text.get(row)).collect::<Vec<_>>(), rows.clone());
                prop_assert_eq!(text.values(), rows.iter().collect::<std::collections::HashSet<_>>().len());
            }
        }
    }

    #[test]
    fn texts_are_the_same_exactly_when_their_bytes_are() {
        let texts =
            ["", "a", "ab", "abcdefg", "abcdefgh", "abcdefgi", "bbcdefgh", "abcdefghijklmnop", "abcdefghijklmnoq", "Abcdefghijklmnop"];
        let longer = ["abcdefghijklmnopq", "abcdefghijklmnopr", "消费消费消费", "消费消费消贵"];
        for a in texts.iter().chain(&longer) {
            for b in texts.iter().chain(&longer) {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn trimmed_values_are_told_from_padded_ones() {
        assert!(interned(&["a b", "消费"]).is_trimmed());
        assert!(!interned(&["a", " b"]).is_trimmed());
        assert!(!interned(&["a\u{3000}"]).is_trimmed());
    }
}

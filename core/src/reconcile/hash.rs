//! A small fast hasher for the matching indexes (keys are short strings and integers).

use std::hash::{BuildHasherDefault, Hasher};

/// The Fx hash (as used in rustc): one multiply and rotate per word.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder().len();
        if rest > 0 {
            self.add(tail_word(bytes, rest));
        }
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    #[inline]
    fn write_i64(&mut self, value: i64) {
        self.add(value as u64);
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The last `rest` bytes (1 to 7) of `bytes` as a little-endian word padded with zeros, read
/// by loads of the input in place: copied into a zeroed word on the stack (a call to `memcpy`
/// of an unknown length), the word was stored byte by byte and loaded whole, a
/// store-forwarding stall on every reference hashed (a third of the key hash's time in `perf`).
#[inline]
fn tail_word(bytes: &[u8], rest: usize) -> u64 {
    let n = bytes.len();
    if let Some(last) = bytes.last_chunk::<8>() {
        // The tail is the top `rest` bytes of the last eight.
        return u64::from_le_bytes(*last) >> (8 * (8 - rest));
    }
    // The whole text is the tail: two loads that overlap (4 to 7 bytes) or three bytes (1 to
    // 3), each at its place in the word.
    match (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        (Some(first), Some(last)) => u64::from(u32::from_le_bytes(*first)) | u64::from(u32::from_le_bytes(*last)) << (8 * (n - 4)),
        _ => u64::from(bytes[0]) | u64::from(bytes[n / 2]) << (8 * (n / 2)) | u64::from(bytes[n - 1]) << (8 * (n - 1)),
    }
}

/// The Fx hash of a text's bytes (an interned value's, a terminal's in a reference key).
pub(crate) fn text_hash(text: &str) -> u64 {
    bytes_hash(text.as_bytes())
}

/// The Fx hash of bytes ([`text_hash`] of text not yet checked as UTF-8).
pub(crate) fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;
pub(crate) type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;

/// A filter of reference numbers: whether a text may be one of those it was built from (never
/// a wrong "no"), one bit per fingerprint and 16 bits per text. A pass over every row of a
/// ledger that looks for the purchases a few reversals refer to asks the filter first, and
/// hashes and probes its map only for the rows the filter lets through.
pub(crate) struct ReferenceFilter {
    bits: Vec<u64>,
    /// 64 less the number of bits of a fingerprint's index.
    shift: u32,
}

impl ReferenceFilter {
    pub fn new<'t>(texts: impl ExactSizeIterator<Item = &'t str>) -> ReferenceFilter {
        let index_bits = texts.len().max(4).saturating_mul(16).min(1 << 30).next_power_of_two().trailing_zeros();
        let mut filter = ReferenceFilter { bits: vec![0; (1usize << index_bits).div_ceil(64)], shift: 64 - index_bits };
        for text in texts {
            let bit = filter.bit(text);
            filter.bits[bit / 64] |= 1 << (bit % 64);
        }
        filter
    }

    #[inline]
    pub fn may_contain(&self, text: &str) -> bool {
        let bit = self.bit(text);
        self.bits[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// The bit of a text: its first and last eight bytes (a reference number is usually 12
    /// digits; a shorter text's bytes, twice) and its length, mixed by one multiplication.
    /// The words are loaded in place (see [`tail_word`]): copied into zeroed words, they cost
    /// the passes over a million-row ledger that ask the filter a `memcpy` call a row.
    #[inline]
    fn bit(&self, text: &str) -> usize {
        let bytes = text.as_bytes();
        let (head, tail) = match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            (Some(first), Some(last)) => (u64::from_le_bytes(*first), u64::from_le_bytes(*last)),
            _ if bytes.is_empty() => (0, 0),
            _ => {
                let word = tail_word(bytes, bytes.len());
                (word, word)
            }
        };
        let mixed = (head ^ tail.rotate_left(29) ^ bytes.len() as u64).wrapping_mul(SEED);
        (mixed >> self.shift) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::{tail_word, ReferenceFilter};
    use proptest::prelude::*;

    proptest! {
        /// The tail read in place is the tail copied into a zeroed word, for every length.
        #[test]
        fn a_tail_read_in_place_is_the_tail_copied(bytes in proptest::collection::vec(any::<u8>(), 1..40)) {
            let rest = bytes.len() % 8;
            prop_assume!(rest > 0);
            let mut word = [0u8; 8];
            word[..rest].copy_from_slice(&bytes[bytes.len() - rest..]);
            prop_assert_eq!(tail_word(&bytes, rest), u64::from_le_bytes(word));
        }
    }

    #[test]
    fn a_reference_filter_never_refuses_a_text_it_holds_and_lets_few_others_through() {
        let held: Vec<String> = (0..5_000u64).map(|k| format!("6026{:08}", k * 7 + 3)).collect();
        let mut odd = held.clone();
        odd.extend(["", "1", "a long reference number with more than sixteen bytes", "退款参考号"].map(String::from));
        let filter = ReferenceFilter::new(odd.iter().map(String::as_str));
        assert!(odd.iter().all(|text| filter.may_contain(text)));
        let others: Vec<String> = (0..100_000u64).map(|k| format!("6026{:08}", k * 7 + 5)).collect();
        let through = others.iter().filter(|text| filter.may_contain(text)).count();
        assert!(through < others.len() / 10, "{through} of {} other numbers let through", others.len());
        let empty = ReferenceFilter::new(std::iter::empty());
        assert!(!empty.may_contain("602600000001"));
    }
}

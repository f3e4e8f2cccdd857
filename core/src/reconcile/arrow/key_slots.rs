//! A few texts' values remembered by the texts' keys ([`Text::key`](super::values::Text::key)):
//! the columns of few distinct words (channels, kinds, settlement modes) read with one
//! comparison a row, each distinct word parsed once.

use super::words::{fill_runs, WordRows};

/// A few texts' keys (`Text::key`) and values, each key alone in its slot of a table
/// indexed by a multiplicative hash: a lookup is one load and one comparison.
pub(super) struct KeySlots<T> {
    multiplier: u64,
    keys: [u128; KEY_SLOTS],
    /// Each key of a text of at most 7 bytes as [`short_text_key`](super::words::short_text_key) gives it, else
    /// [`NO_SHORT_KEY`]; in the same slot (a short key is its key's two halves xor-ed, which
    /// is what the slot is found from).
    short_keys: [u64; KEY_SLOTS],
    values: [T; KEY_SLOTS],
    count: usize,
    /// Whether every key is a short one (and there is one).
    short_only: bool,
}

const KEY_SLOTS: usize = 32;
/// The most keys in the slots (channels and modes: a handful; the others go the slow way).
const KEY_SLOTS_USED: usize = 8;
/// No text's key: a key's top byte is its length, at most 15.
const NO_KEY: u128 = u128::MAX;
/// No text's short key (whose top byte is its length, at most 7).
const NO_SHORT_KEY: u64 = u64::MAX;

impl<T: Copy> KeySlots<T> {
    pub(super) fn new(placeholder: T) -> KeySlots<T> {
        KeySlots {
            multiplier: 0x9E37_79B9_7F4A_7C15,
            keys: [NO_KEY; KEY_SLOTS],
            short_keys: [NO_SHORT_KEY; KEY_SLOTS],
            values: [placeholder; KEY_SLOTS],
            count: 0,
            short_only: false,
        }
    }

    #[inline]
    fn slot(multiplier: u64, key: u128) -> usize {
        Self::short_slot(multiplier, (key as u64) ^ ((key >> 64) as u64))
    }

    #[inline(always)]
    fn short_slot(multiplier: u64, short_key: u64) -> usize {
        (short_key.wrapping_mul(multiplier) >> 59) as usize
    }

    /// The short key of a key: the same as [`short_text_key`](super::words::short_text_key) gives for its text, if that
    /// text has at most 7 bytes.
    fn short_key(key: u128) -> Option<u64> {
        ((key >> 120) <= 7).then_some((key as u64) ^ ((key >> 64) as u64))
    }

    #[inline]
    pub(super) fn get(&self, key: u128) -> Option<T> {
        let slot = Self::slot(self.multiplier, key);
        (self.keys[slot] == key).then(|| self.values[slot])
    }

    /// Writes to `out` the value of each row of a chunk of words without nulls (at least as
    /// many rows as `out`): from the slots, or else `other(slots, row, key)` (which may insert
    /// the row's key, or give up: `None`).
    pub(super) fn fill<'a>(
        &mut self,
        words: impl WordRows<'a>,
        out: &mut [T],
        mut other: impl FnMut(&mut Self, usize, Option<u128>) -> Option<T>,
    ) -> Option<()> {
        let mut row = 0;
        while row < out.len() {
            // The rows whose keys are in the slots in a loop of their own (few values live:
            // no spill), each other row on its own.
            row = self.fill_from(words, row, out);
            if let Some(value) = out.get_mut(row) {
                let key = (row < words.rows()).then(|| words.key(row)).flatten();
                *value = other(self, row, key)?;
                row += 1;
            }
        }
        Some(())
    }

    /// Writes to `out` the values of the texts of `words` from row `from` on, up to the first
    /// whose key is not in the slots; returns that row (the end of `out` or of the column when
    /// there is none).
    pub(super) fn fill_from<'a>(&self, words: impl WordRows<'a>, from: usize, out: &mut [T]) -> usize {
        let words = words.skip(from);
        let out = out.get_mut(from..).unwrap_or_default();
        if self.short_only {
            return from + self.fill_short(words, out);
        }
        let rows = out.len().min(words.rows());
        from + fill_runs(words, rows, out, NO_KEY, |k| words.key(k).and_then(|key| Some((key, self.get(key)?))))
    }

    /// [`KeySlots::fill_from`] when every key is short: texts of up to 7 bytes (the usual
    /// channel and mode words) by an 8-byte key, one comparison; returns the rows filled. Not
    /// inlined, so that its loop has the registers to itself (inlined, it kept the multiplier
    /// and the buffer's address in memory).
    #[inline(never)]
    fn fill_short<'a>(&self, words: impl WordRows<'a>, out: &mut [T]) -> usize {
        let rows = out.len().min(words.rows());
        fill_runs(words, rows, out, NO_SHORT_KEY, |k| {
            let key = words.short_key(k)?;
            let slot = Self::short_slot(self.multiplier, key);
            (self.short_keys[slot] == key).then(|| (key, self.values[slot]))
        })
    }

    /// Adds a key (up to [`KEY_SLOTS_USED`]): when its slot is taken, another multiplier is
    /// looked for under which every key has a slot of its own (for 8 keys in 32 slots, a
    /// random multiplier does with a chance of 2 in 5); without one, the key is left out.
    pub(super) fn insert(&mut self, key: u128, value: T) {
        if self.count == KEY_SLOTS_USED || self.get(key).is_some() {
            return;
        }
        let slot = Self::slot(self.multiplier, key);
        if self.keys[slot] == NO_KEY {
            (self.keys[slot], self.values[slot], self.count) = (key, value, self.count + 1);
            self.short_keys[slot] = Self::short_key(key).unwrap_or(NO_SHORT_KEY);
            self.short_only = (0..KEY_SLOTS).all(|k| self.keys[k] == NO_KEY || self.short_keys[k] != NO_SHORT_KEY);
            return;
        }
        let mut entries: Vec<(u128, T)> =
            (0..KEY_SLOTS).filter(|k| self.keys[*k] != NO_KEY).map(|k| (self.keys[k], self.values[k])).collect();
        entries.push((key, value));
        let mut multiplier = self.multiplier;
        for _ in 0..256 {
            // The next of splitmix64's numbers, odd.
            multiplier = multiplier.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = multiplier;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            let candidate = (z ^ (z >> 31)) | 1;
            let mut taken = [false; KEY_SLOTS];
            if entries.iter().all(|(key, _)| !std::mem::replace(&mut taken[Self::slot(candidate, *key)], true)) {
                self.multiplier = candidate;
                self.keys = [NO_KEY; KEY_SLOTS];
                self.short_keys = [NO_SHORT_KEY; KEY_SLOTS];
                for (key, value) in &entries {
                    let slot = Self::slot(candidate, *key);
                    (self.keys[slot], self.values[slot]) = (*key, *value);
                    self.short_keys[slot] = Self::short_key(*key).unwrap_or(NO_SHORT_KEY);
                }
                self.count = entries.len();
                self.short_only = entries.iter().all(|(key, _)| Self::short_key(*key).is_some());
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn key_slots_give_each_key_its_own_value_or_nothing(
            keys in proptest::collection::hash_set((0u8..=15, proptest::num::u128::ANY), 1..24),
            others in proptest::collection::vec((0u8..=15, proptest::num::u128::ANY), 0..24),
        ) {
            // A key as `Text::key` makes it: the length in the top byte, the bytes below.
            let key = |(length, bytes): (u8, u128)| (bytes & ((1u128 << (8 * u32::from(length))) - 1)) | (u128::from(length) << 120);
            let keys: Vec<u128> = keys.into_iter().map(key).collect::<std::collections::HashSet<_>>().into_iter().collect();
            let mut slots = KeySlots::new(u32::MAX);
            for (value, k) in keys.iter().enumerate() {
                slots.insert(*k, value as u32);
            }
            let mut found = 0;
            for (value, k) in keys.iter().enumerate() {
                match slots.get(*k) {
                    Some(got) => {
                        proptest::prop_assert_eq!(got, value as u32);
                        found += 1;
                    }
                    None => proptest::prop_assert!(value >= KEY_SLOTS_USED, "key {value} of {} was left out", keys.len()),
                }
            }
            // The first 8 distinct keys, each with a slot of its own (a multiplier found).
            proptest::prop_assert_eq!(found, keys.len().min(KEY_SLOTS_USED));
            proptest::prop_assert_eq!(found, slots.count);
            for other in others.into_iter().map(key).filter(|k| !keys.contains(k)) {
                proptest::prop_assert_eq!(slots.get(other), None);
            }
        }
    }
}

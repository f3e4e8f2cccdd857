//! Passes over every row of a table on all cores: the rows a test keeps, the distinct values
//! of a column, and the rows cut into parts of consecutive rows (many small ones, or a few a
//! core), each to be run through in a plain loop of its own.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hash};
use std::ops::Range;

use rayon::prelude::*;

use super::hash::FxBuild;

/// The rows of a part (see [`row_parts`]): large enough that a part's own sums and maps are
/// made rarely, small enough that both cores get many.
const PART_ROWS: usize = 1 << 15;

/// The rows below `rows` that `keep` keeps, in order, found on all cores (for passes that
/// class few rows among many: finding them is the work, classing them is not).
pub(crate) fn rows_where(rows: usize, keep: impl Fn(usize) -> bool + Sync) -> Vec<usize> {
    (0..rows).into_par_iter().with_min_len(1 << 14).filter(|&row| keep(row)).collect()
}

/// `rows` copies of `value`, written on all cores. A vector of millions of rows is fresh
/// memory, mapped page by page as it is first written: `vec![value; rows]` writes it (or,
/// for zeros, leaves it to whoever writes it first, often a loop that sets a few rows) on one
/// core while the other waits. At 10M rows a side, a few hundred milliseconds of page faults
/// of the reconcile's vectors were taken on the main thread alone. (WebAssembly has one
/// thread and is built for size: there it is `vec!`.)
pub(crate) fn filled<T: Copy + Send + Sync>(value: T, rows: usize) -> Vec<T> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let mut values = Vec::with_capacity(rows);
        (0..rows).into_par_iter().with_min_len(1 << 14).map(|_| value).collect_into_vec(&mut values);
        values
    }
    #[cfg(target_arch = "wasm32")]
    vec![value; rows]
}

/// `value(row)` of each of `rows`, in order, made on all cores (in WebAssembly, one thread
/// built for size, in a plain loop).
pub(crate) fn each_row<T: Send>(rows: Vec<usize>, value: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    #[cfg(not(target_arch = "wasm32"))]
    return rows.into_par_iter().map(value).collect();
    #[cfg(target_arch = "wasm32")]
    rows.into_iter().map(value).collect()
}

/// The first row below `rows` that `test` holds for, searched on all cores a part at a time
/// (a plain loop in each part: no shared state is looked at between two rows).
pub(crate) fn first_row_where(rows: usize, test: impl Fn(usize) -> bool + Sync) -> Option<usize> {
    row_parts(rows).find_map_first(|part| part.into_iter().find(|&row| test(row)))
}

/// The distinct values of `value(row)` over the rows below `rows`, found on all cores a part
/// at a time. For columns of few values, often in runs or interleaved (the rows of a few
/// terminals): a part keeps the last value it met in each of [`SEEN_SLOTS`] slots, a
/// value's slot chosen by its hash, and hashes a value into its set only when its slot holds
/// another. (A search of the last few values, stopping at the first equal, mispredicted its
/// branches at most rows where three terminals' rows alternate: 3.5 ms for a million rows,
/// against 0.7 ms this way.) The parts one thread runs in a row fill one set (`fold`), and two
/// sets are merged into the larger: where most values are distinct (tens of thousands of
/// terminals), a set a part merged in a tree hashed each value again at every level.
pub(crate) fn distinct<T: Copy + Eq + Hash + Send>(rows: usize, value: impl Fn(usize) -> T + Sync) -> HashSet<T, FxBuild> {
    row_parts(rows)
        .fold(HashSet::default, |mut seen, part| {
            let Some(first) = part.clone().next().map(&value) else { return seen };
            seen.insert(first);
            let mut slots = [first; SEEN_SLOTS];
            for row in part {
                let value = value(row);
                let slot = &mut slots[seen_slot(&value)];
                if *slot != value {
                    seen.insert(value);
                    *slot = value;
                }
            }
            seen
        })
        .reduce(HashSet::default, |seen, other| {
            let (mut larger, smaller) = if seen.len() >= other.len() { (seen, other) } else { (other, seen) };
            larger.extend(smaller);
            larger
        })
}

/// The slots of [`distinct`]'s last values: a power of two.
const SEEN_SLOTS: usize = 64;

/// The slot of `value` among [`SEEN_SLOTS`]: the top bits of its hash.
#[inline(always)]
fn seen_slot<T: Hash>(value: &T) -> usize {
    (FxBuild::default().hash_one(value) >> (64 - SEEN_SLOTS.trailing_zeros())) as usize
}

/// The rows below `rows` cut into consecutive parts of [`PART_ROWS`] (the last shorter), in
/// order, to be run through on all cores. A part summed in a loop of its own keeps its sums
/// in place; a `fold` would move them at every row.
pub(crate) fn row_parts(rows: usize) -> impl IndexedParallelIterator<Item = Range<usize>> {
    (0..rows.div_ceil(PART_ROWS)).into_par_iter().map(move |part| part * PART_ROWS..rows.min((part + 1) * PART_ROWS))
}

/// The rows below `rows` cut into a few parts a core (four, the last shorter), in order:
/// for passes whose parts each carry a cost of their own (a count for every day of the
/// part's span, a merge that starts with two searches), which [`row_parts`]' many parts
/// would multiply.
pub(crate) fn few_parts(rows: usize) -> Vec<Range<usize>> {
    let size = rows.div_ceil(4 * rayon::current_num_threads()).max(1);
    (0..rows).step_by(size).map(|start| start..rows.min(start + size)).collect()
}

/// Items sorted into buckets by [`bucket_sorted`]: bucket `first + b` holds
/// `items[starts[b]..starts[b + 1]]`.
pub(crate) struct Buckets {
    pub items: Vec<u32>,
    pub first: u32,
    pub starts: Vec<usize>,
}

impl Buckets {
    /// The items of bucket `bucket` (none when it is outside the buckets' span).
    pub(crate) fn of(&self, bucket: u32) -> &[u32] {
        match bucket.checked_sub(self.first).map(|b| b as usize) {
            Some(b) if b + 1 < self.starts.len() => &self.items[self.starts[b]..self.starts[b + 1]],
            _ => &[],
        }
    }
}

/// The positions `k` below `buckets.len()` (or `items[k]`, when given) sorted by their bucket
/// `buckets[k]`, and within a bucket in position order (positions whose bucket is `u32::MAX`
/// left out), on all cores: a counting sort for buckets of a small span (days of a statement,
/// numbers of interned values). The positions are cut into [`few_parts`]; each part counts its
/// items per bucket of its own span, the parts' places for each bucket are cut from the output
/// in order (bucket by bucket, part by part), and each part then places its items in its
/// places. (Not generic, so that it is compiled once: WebAssembly modules have size budgets.)
pub(crate) fn bucket_sorted(buckets: &[u32], items: Option<&[u32]>) -> Buckets {
    let parts = few_parts(buckets.len());
    let bucket_of = |part: &Range<usize>| buckets[part.clone()].iter().copied().filter(|&b| b != u32::MAX);
    // Each part's first bucket and its items counted per bucket from it.
    let counts: Vec<(u32, Vec<u32>)> = parts
        .par_iter()
        .map(|part| {
            let (low, high) = bucket_of(part).fold((u32::MAX, 0), |(low, high), b| (low.min(b), high.max(b)));
            let mut counts = vec![0u32; if low > high { 0 } else { (high - low) as usize + 1 }];
            bucket_of(part).for_each(|b| counts[(b - low) as usize] += 1);
            (low, counts)
        })
        .collect();
    let spans = || counts.iter().filter(|(_, counts)| !counts.is_empty());
    let Some(first) = spans().map(|&(low, _)| low).min() else {
        return Buckets { items: Vec::new(), first: 0, starts: vec![0] };
    };
    let span = spans().map(|(low, counts)| (low - first) as usize + counts.len()).max().unwrap_or(0);
    // A part's count of bucket `first + b`.
    let count_of = |(low, counts): &(u32, Vec<u32>), b: usize| {
        (b + first as usize).checked_sub(*low as usize).and_then(|k| counts.get(k)).map_or(0, |&count| count as usize)
    };
    let mut sorted = vec![0u32; counts.iter().map(|(_, counts)| counts.iter().map(|&count| count as usize).sum::<usize>()).sum()];
    let mut starts = Vec::with_capacity(span + 1);
    let mut places: Vec<Vec<&mut [u32]>> = parts.iter().map(|_| Vec::with_capacity(span)).collect();
    let (mut rest, mut start) = (sorted.as_mut_slice(), 0);
    for b in 0..span {
        starts.push(start);
        for (part_places, part_counts) in places.iter_mut().zip(&counts) {
            let count = count_of(part_counts, b);
            let (place, after) = std::mem::take(&mut rest).split_at_mut(count);
            part_places.push(place);
            (rest, start) = (after, start + count);
        }
    }
    starts.push(start);
    parts.into_par_iter().zip(places).for_each(|(part, mut places)| {
        for k in part.filter(|&k| buckets[k] != u32::MAX) {
            let place = &mut places[(buckets[k] - first) as usize];
            if let Some((slot, after)) = std::mem::take(place).split_first_mut() {
                *slot = items.map_or(k as u32, |items| items[k]);
                *place = after;
            }
        }
    });
    Buckets { items: sorted, first, starts }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bucket sort against a stable sort of the same items (spans of one bucket, of
    /// many, items without a bucket, the first and last positions, sizes around the parts').
    #[test]
    fn bucket_sorted_is_a_stable_sort_by_bucket() {
        for len in [0usize, 1, 7, 1_000, 100_003] {
            for spread in [1u32, 3, 997] {
                let bucket = |k: usize| (k % 5 != 3).then(|| 40 + ((k as u32).wrapping_mul(2_654_435_761) >> 7) % spread);
                let of_positions: Vec<u32> = (0..len).map(|k| bucket(k).unwrap_or(u32::MAX)).collect();
                let items: Vec<u32> = (0..len).map(|k| (k as u32) ^ 0x5555).collect();
                // The positions themselves, then items given.
                let positions = bucket_sorted(&of_positions, None);
                let expected: Vec<u32> = {
                    let mut expected: Vec<(u32, u32)> = (0..len).filter_map(|k| bucket(k).map(|b| (b, k as u32))).collect();
                    expected.sort_by_key(|&(b, _)| b);
                    expected.iter().map(|&(_, k)| k).collect()
                };
                assert_eq!(positions.items, expected, "{len} {spread}");
                let buckets = bucket_sorted(&of_positions, Some(&items));
                let item = |k: usize| items[k];
                let mut expected: Vec<(u32, u32)> = (0..len).filter_map(|k| bucket(k).map(|b| (b, item(k)))).collect();
                expected.sort_by_key(|&(b, _)| b);
                assert_eq!(buckets.items, expected.iter().map(|&(_, item)| item).collect::<Vec<_>>(), "{len} {spread}");
                for b in 0..spread + 50 {
                    let of: Vec<u32> = expected.iter().filter(|&&(e, _)| e == b).map(|&(_, item)| item).collect();
                    assert_eq!(buckets.of(b), of.as_slice(), "bucket {b} of {len} {spread}");
                }
            }
        }
    }

    #[test]
    fn filled_holds_the_value_in_every_row() {
        for rows in [0, 1, (1 << 14) - 1, 1 << 14, 3 * (1 << 14) + 5] {
            let values = filled(u32::MAX, rows);
            assert_eq!(values.len(), rows);
            assert!(values.iter().all(|&v| v == u32::MAX), "{rows} rows");
        }
    }

    #[test]
    fn parts_cover_every_row_once_in_order() {
        let most = 4 * rayon::current_num_threads();
        for rows in [0, 1, 2, most - 1, most, most + 1, PART_ROWS - 1, PART_ROWS, PART_ROWS + 1, 3 * PART_ROWS + 7] {
            for (parts, few) in [(row_parts(rows).collect::<Vec<Range<usize>>>(), false), (few_parts(rows), true)] {
                let covered: Vec<usize> = parts.iter().cloned().flatten().collect();
                assert_eq!(covered, (0..rows).collect::<Vec<_>>(), "{rows} rows");
                assert!(parts.iter().all(|part| !part.is_empty()), "{rows} rows");
                assert!(!few || parts.len() <= most, "{rows} rows in {} parts", parts.len());
            }
        }
    }

    #[test]
    fn rows_where_keeps_the_rows_of_the_test_in_order() {
        let rows = 100_000;
        assert_eq!(rows_where(rows, |row| row % 7 == 3), (0..rows).filter(|row| row % 7 == 3).collect::<Vec<_>>());
        assert!(rows_where(0, |_| true).is_empty());
    }

    #[test]
    fn the_first_row_where_the_test_holds_is_the_first_in_row_order() {
        let rows = 5 * PART_ROWS + 3;
        for first in [0, 1, PART_ROWS - 1, PART_ROWS, 3 * PART_ROWS + 2, rows - 1] {
            // Every row from `first` on, and a row of every later part, holds: the first wins.
            let found = first_row_where(rows, |row| row >= first && (row == first || row % PART_ROWS == 5));
            assert_eq!(found, Some(first));
        }
        assert_eq!(first_row_where(rows, |_| false), None);
        assert_eq!(first_row_where(0, |_| true), None);
    }

    /// Where most values are distinct, over many parts (the sets of the threads merged):
    /// each value once, none lost.
    #[test]
    fn distinct_values_of_many_parts_each_mostly_new() {
        let rows = 5 * PART_ROWS + 123;
        let value = |row: usize| (row * 7919 % (rows / 3)) as u32;
        let found = distinct(rows, value);
        assert_eq!(found.len(), rows / 3);
        assert!((0..(rows / 3) as u32).all(|v| found.contains(&v)));
    }

    proptest::proptest! {
        /// The distinct values are those of every row: values in runs longer than a part,
        /// values that come back after more than the few remembered, a part's first value,
        /// and no rows at all.
        #[test]
        fn distinct_values_are_every_rows_values(
            runs in proptest::collection::vec((0u8..12, 1usize..3 * PART_ROWS / 2), 0..6),
            spread in proptest::collection::vec(0u8..12, 0..40),
        ) {
            let mut values: Vec<u8> = runs.iter().flat_map(|&(value, length)| std::iter::repeat(value).take(length)).collect();
            values.extend(&spread);
            let expected: HashSet<u8> = values.iter().copied().collect();
            let found = distinct(values.len(), |row| values[row]);
            proptest::prop_assert_eq!(found.into_iter().collect::<HashSet<u8>>(), expected);
        }
    }
}

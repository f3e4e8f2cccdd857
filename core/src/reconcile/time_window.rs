//! Step 4 of matching, the fallback by time: a ledger row left without a partner takes the
//! closest free statement row of its group (same terminal, amount and kind) at most `window`
//! seconds away, ledger rows in (time, row) order, ties going to the earlier statement row; a
//! ledger row with a reference may only take a statement row without one.
//!
//! Groups never share a row, so each group's ledger rows may be run through on their own:
//! both sides are sorted by group (on all cores), cut into parts at group boundaries, and the
//! parts paired side by side. The pairs are those of one loop over the ledger rows in (time,
//! row) order (a test holds it against that loop, which WebAssembly runs: one thread, and
//! built for size).

#[cfg(not(target_arch = "wasm32"))]
use std::ops::Range;

#[cfg(not(target_arch = "wasm32"))]
use rayon::prelude::*;

#[cfg(any(test, target_arch = "wasm32"))]
use super::hash::FxHashMap;

use super::matching::NONE;
use crate::quote::TradeKind;

/// The group of a row: terminal, amount and kind. Ordered by the terminal's hash first, so
/// that most comparisons end before the text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct GroupKey<'t> {
    terminal_hash: u64,
    amount_fen: i64,
    kind: u8,
    terminal: &'t str,
}

impl<'t> GroupKey<'t> {
    /// The group of a row whose terminal is `terminal` (of hash `terminal_hash`).
    pub(crate) fn new(terminal_hash: u64, amount_fen: i64, kind: TradeKind, terminal: &'t str) -> GroupKey<'t> {
        GroupKey { terminal_hash, amount_fen, kind: kind as u8, terminal }
    }
}

/// A ledger row waiting for a partner. Sorted by group, then (time, row): the order in which
/// a group's rows take their partners.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Waiting<'t> {
    pub(crate) key: GroupKey<'t>,
    pub(crate) time: i64,
    pub(crate) row: u32,
    /// Whether the row has a reference (it then takes only statement rows without one).
    pub(crate) referenced: bool,
}

/// A free statement row. Sorted by group, then whether it has a reference, then (time, row):
/// each group's two lists in turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Free<'t> {
    pub(crate) key: GroupKey<'t>,
    pub(crate) referenced: bool,
    pub(crate) time: i64,
    pub(crate) row: u32,
}

/// The pairs (ledger row, statement row) of the fallback.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn pair_by_time(mut waiting: Vec<Waiting<'_>>, mut free: Vec<Free<'_>>, window: i64) -> Vec<(u32, u32)> {
    waiting.par_sort_unstable();
    free.par_sort_unstable();
    // Parts of the waiting rows, each started at the first row of its group.
    let mut starts: Vec<usize> = super::row_scan::few_parts(waiting.len())
        .into_iter()
        .map(|part| waiting.partition_point(|w| w.key < waiting[part.start].key))
        .collect();
    starts.push(waiting.len());
    starts.dedup();
    starts
        .par_windows(2)
        .flat_map_iter(|bounds| {
            let part = &waiting[bounds[0]..bounds[1]];
            pairs_in_part(part, &free[groups_of(&free, part)], window)
        })
        .collect()
}

/// The pairs (ledger row, statement row) of the fallback.
#[cfg(target_arch = "wasm32")]
pub(crate) fn pair_by_time(waiting: Vec<Waiting<'_>>, free: Vec<Free<'_>>, window: i64) -> Vec<(u32, u32)> {
    pairs_in_one_loop(&waiting, &free, window)
}

/// The pairs of one loop over all waiting rows in (time, row) order, the groups found by
/// their text in a hash map: what WebAssembly runs (one thread, built for size: no sort of
/// the groups), and what the pairs found in parts are tested against.
#[cfg(any(test, target_arch = "wasm32"))]
fn pairs_in_one_loop(waiting: &[Waiting<'_>], free: &[Free<'_>], window: i64) -> Vec<(u32, u32)> {
    let mut groups: FxHashMap<(&str, i64, u8), u32> = FxHashMap::default();
    let keyed = free
        .iter()
        .map(|f| {
            let next = groups.len() as u32;
            let group = *groups.entry((f.key.terminal, f.key.amount_fen, f.key.kind)).or_insert(next);
            (group, f.referenced, f.time, f.row)
        })
        .collect();
    let (mut rows, lists) = FreeRows::of_groups(groups.len(), keyed);
    // (time, row) order, sorted as the free rows are sorted (one sort in WebAssembly's code):
    // the waiting rows are in row order, so their places in it break ties in time as rows do.
    debug_assert!(waiting.windows(2).all(|w| w[0].row < w[1].row));
    let mut order: Vec<(u32, bool, i64, u32)> = waiting.iter().enumerate().map(|(k, w)| (0, false, w.time, k as u32)).collect();
    order.sort_unstable();
    let mut pairs = Vec::new();
    for w in order.into_iter().map(|(_, _, _, k)| waiting[k as usize]) {
        let Some(&group) = groups.get(&(w.key.terminal, w.key.amount_fen, w.key.kind)) else { continue };
        if let Some(j) = rows.take_closest(&lists[group as usize], w.referenced, w.time, window) {
            pairs.push((w.row, j));
        }
    }
    pairs
}

/// The free rows (sorted) of the groups of `part` (sorted, not empty).
#[cfg(not(target_arch = "wasm32"))]
fn groups_of(free: &[Free<'_>], part: &[Waiting<'_>]) -> Range<usize> {
    let (Some(first), Some(last)) = (part.first(), part.last()) else { return 0..0 };
    free.partition_point(|f| f.key < first.key)..free.partition_point(|f| f.key <= last.key)
}

/// The pairs of waiting rows and free rows, both sorted; each waiting row in turn takes the
/// closest free row of its group.
#[cfg(not(target_arch = "wasm32"))]
fn pairs_in_part(waiting: &[Waiting<'_>], free: &[Free<'_>], window: i64) -> Vec<(u32, u32)> {
    // Each group's number, in key order.
    let mut keys = Vec::new();
    let keyed: Vec<(u32, bool, i64, u32)> = free
        .iter()
        .map(|f| {
            if keys.last() != Some(&f.key) {
                keys.push(f.key);
            }
            ((keys.len() - 1) as u32, f.referenced, f.time, f.row)
        })
        .collect();
    let (mut rows, lists) = FreeRows::of_groups(keys.len(), keyed);
    let mut pairs = Vec::new();
    let mut group = 0;
    for w in waiting {
        while group < keys.len() && keys[group] < w.key {
            group += 1;
        }
        if group == keys.len() {
            break;
        }
        if keys[group] != w.key {
            continue;
        }
        if let Some(j) = rows.take_closest(&lists[group], w.referenced, w.time, window) {
            pairs.push((w.row, j));
        }
    }
    pairs
}

/// The free statement rows of the fallback, in lists: a group (terminal, amount, kind) has
/// two, the rows without a reference and those with one, each sorted by (time, row). All
/// lists lie in one array, each followed by a slot of its own, so that no list is allocated
/// alone. Which rows are still free is kept as two disjoint-set forests with path halving,
/// over the same slots (finding the nearest free row is near constant time, however many
/// rows around it are taken).
struct FreeRows {
    /// (time, row) of the lists' rows; the slot after a list holds `(i64::MAX, NONE)`.
    rows: Vec<(i64, u32)>,
    /// `right[s]`: a free slot ≥ s of the same list is found by following; the slot after
    /// the list means none.
    right: Vec<u32>,
    /// `left[s]`: a free slot < s of the same list is found by following, shifted by one (the
    /// slot after the one found); the list's first slot means none.
    left: Vec<u32>,
}

/// Where a list of [`FreeRows`] lies: its first slot and its length.
#[derive(Clone, Copy, Default)]
struct List {
    start: u32,
    len: u32,
}

impl FreeRows {
    /// The lists of `groups` groups from (group, has a reference, time, row) of every free
    /// row; returns them with each group's two lists (without, with a reference).
    fn of_groups(groups: usize, mut keyed: Vec<(u32, bool, i64, u32)>) -> (FreeRows, Vec<[List; 2]>) {
        keyed.sort_unstable();
        let mut lists = vec![[List::default(); 2]; groups];
        let mut rows = Vec::with_capacity(keyed.len() + 2 * groups);
        let mut start = 0;
        while start < keyed.len() {
            let (group, has_reference, _, _) = keyed[start];
            let end = start + keyed[start..].iter().take_while(|e| (e.0, e.1) == (group, has_reference)).count();
            let list = List { start: rows.len() as u32, len: (end - start) as u32 };
            lists[group as usize][usize::from(has_reference)] = list;
            rows.extend(keyed[start..end].iter().map(|&(_, _, time, row)| (time, row)));
            rows.push((i64::MAX, NONE));
            start = end;
        }
        let slots: Vec<u32> = (0..rows.len() as u32).collect();
        (FreeRows { rows, right: slots.clone(), left: slots }, lists)
    }

    /// Takes the free row closest in time to `at` (at most `window` seconds away, ties to the
    /// earlier row) of a group's `lists` (without, with a reference) that a row may take: one
    /// with a reference only the first. Returns its row.
    fn take_closest(&mut self, lists: &[List; 2], referenced: bool, at: i64, window: i64) -> Option<u32> {
        let allowed = if referenced { 1 } else { 2 };
        let mut best: Option<(i64, u32, usize)> = None;
        for &list in &lists[..allowed] {
            if let Some((gap, slot)) = self.closest(list, at, window) {
                let row = self.rows[slot].1;
                if best.map_or(true, |(best_gap, best_row, _)| (gap, row) < (best_gap, best_row)) {
                    best = Some((gap, row, slot));
                }
            }
        }
        best.map(|(_, _, slot)| self.take(slot))
    }

    /// The first free slot of the list at or after `slot` (the slot after the list when none).
    fn free_at_or_after(&mut self, slot: u32) -> u32 {
        let mut k = slot;
        while self.right[k as usize] != k {
            let next = self.right[self.right[k as usize] as usize];
            self.right[k as usize] = next;
            k = next;
        }
        k
    }

    /// The last free slot of `list` before `slot` (`None` when none).
    fn free_before(&mut self, list: List, slot: u32) -> Option<u32> {
        let mut k = slot;
        while self.left[k as usize] != k {
            let next = self.left[self.left[k as usize] as usize];
            self.left[k as usize] = next;
            k = next;
        }
        (k > list.start).then(|| k - 1)
    }

    /// Marks `slot` taken; returns its row.
    fn take(&mut self, slot: usize) -> u32 {
        self.right[slot] = slot as u32 + 1;
        self.left[slot + 1] = slot as u32;
        self.rows[slot].1
    }

    /// The free row of `list` closest in time to `at`, at most `window` seconds away, ties
    /// to the earlier row: `(gap, slot)`.
    fn closest(&mut self, list: List, at: i64, window: i64) -> Option<(i64, usize)> {
        if list.len == 0 {
            return None;
        }
        let (start, end) = (list.start as usize, (list.start + list.len) as usize);
        let from = (start + self.rows[start..end].partition_point(|&(t, _)| t < at)) as u32;
        let after = Some(self.free_at_or_after(from) as usize)
            .filter(|&k| k < end)
            .map(|k| (self.rows[k].0 - at, k))
            .filter(|&(gap, _)| gap <= window);
        let before = self.free_before(list, from).and_then(|k| {
            // Among free rows of that same time, the earliest row (the lowest slot).
            let time = self.rows[k as usize].0;
            let run = (start + self.rows[start..end].partition_point(|&(t, _)| t < time)) as u32;
            let k = self.free_at_or_after(run) as usize;
            let gap = at - self.rows[k].0;
            (gap <= window).then_some((gap, k))
        });
        match (before, after) {
            (Some(b), Some(a)) => Some(if (b.0, self.rows[b.1].1) <= (a.0, self.rows[a.1].1) { b } else { a }),
            (b, a) => b.or(a),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TERMINALS: [&str; 4] = ["T1", "T2", "T3", "终端4"];

    /// A row's group: terminals whose hashes collide in pairs (T1 with T3, T2 with 终端4),
    /// so that groups are told apart by their text too.
    fn key(terminal: usize, amount_fen: i64, refund: bool) -> GroupKey<'static> {
        let kind = if refund { TradeKind::Refund } else { TradeKind::Purchase };
        GroupKey::new((terminal % 2) as u64, amount_fen, kind, TERMINALS[terminal])
    }

    proptest! {
        /// Sorted by group and paired in parts, the rows pair as in one loop over all of them:
        /// many rows of a few groups and times (ties in time and gap), rows with and without a
        /// reference on both sides, ledger rows of groups with no free row.
        #[test]
        fn pairs_by_group_are_the_pairs_of_one_loop(
            ledger in proptest::collection::vec((0usize..4, 1i64..4, any::<bool>(), 0i64..30, any::<bool>()), 0..300),
            statement in proptest::collection::vec((0usize..4, 1i64..4, any::<bool>(), 0i64..30, any::<bool>()), 0..300),
            window in 0i64..6,
        ) {
            let waiting: Vec<Waiting<'_>> = ledger
                .iter()
                .enumerate()
                .map(|(row, &(terminal, amount, refund, time, referenced))| Waiting { key: key(terminal, amount, refund), time, row: row as u32, referenced })
                .collect();
            let free: Vec<Free<'_>> = statement
                .iter()
                .enumerate()
                .map(|(row, &(terminal, amount, refund, time, referenced))| Free { key: key(terminal, amount, refund), referenced, time, row: row as u32 })
                .collect();
            let mut expected = pairs_in_one_loop(&waiting, &free, window);
            let mut pairs = pair_by_time(waiting, free, window);
            expected.sort_unstable();
            pairs.sort_unstable();
            prop_assert_eq!(pairs, expected);
        }
    }
}

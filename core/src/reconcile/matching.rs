//! Matching ledger rows to statement rows.
//!
//! 1. Ledger rows that expect no settlement are set aside: declined (response code not
//!    `00`), and voided purchases together with their voids.
//! 2. Duplicates: on each side, a row with the same reference number, terminal and trade
//!    date (China time) as an earlier row is a duplicate of it. Rows without a reference
//!    are duplicates when terminal, trade time, amount and kind all repeat.
//! 3. By reference: same reference number, terminal and trade date.
//! 4. Fallback, for pairs where either side has no reference: same terminal, amount and
//!    kind, trade times at most `window` seconds apart. Strictly one-to-one and
//!    deterministic: ledger rows in (time, row) order each take the closest free statement
//!    row, ties going to the earlier statement row.

#![allow(clippy::needless_range_loop)] // columns are indexed by row on purpose

use crate::messages::{Clause, Text};

use super::class::Class;
use super::hash::{FxHashMap, ReferenceFilter};
use super::report::MatchedBy;
use super::response::is_approved;
use super::schema::{china_day, Ledger, Side, Statement};
use crate::quote::TradeKind;
use rayon::prelude::*;
use std::hash::Hasher as _;

pub(crate) const NONE: u32 = u32::MAX;

/// The outcome of matching: partners, and classes of rows that are not in a pair.
pub(crate) struct Matching {
    pub ledger_partner: Vec<u32>,
    pub statement_partner: Vec<u32>,
    pub ledger_class: Classes,
    pub statement_class: Classes,
    /// (ledger, statement, how): pairs by reference in ledger order, then the time-window pairs.
    pub pairs: Vec<(u32, u32, MatchedBy)>,
}

/// The classes given to rows outside pairs: a byte a row, the reasons kept apart (few rows
/// have one).
pub(crate) struct Classes {
    pub class: Vec<Option<Class>>,
    /// (row, reason) in the order they were given; a later one for the same row wins.
    pub reasons: Vec<(u32, Text)>,
}

impl Classes {
    fn new(rows: usize) -> Classes {
        Classes { class: vec![None; rows], reasons: Vec::new() }
    }

    fn set(&mut self, row: usize, class: Class, reason: Text) {
        self.class[row] = Some(class);
        self.reasons.push((row as u32, reason));
    }

    fn is_unset(&self, row: usize) -> bool {
        self.class[row].is_none()
    }
}

pub(crate) type RefKey<'a> = (&'a str, &'a str, i64);

pub(crate) fn match_rows(ledger: &Ledger, statement: &Statement, window_seconds: i64) -> Matching {
    match_rows_hashed(ledger, statement, window_seconds, key_hash)
}

/// [`match_rows`] with the hash of reference keys given (tests force collisions with it).
pub(crate) fn match_rows_hashed(ledger: &Ledger, statement: &Statement, window_seconds: i64, key_hash: fn(RefKey<'_>) -> u64) -> Matching {
    let n = ledger.len();
    let m = statement.len();
    let mut ledger_class = Classes::new(n);
    let mut statement_class = Classes::new(m);

    // The text columns the loops below read, resolved once.
    let (ledger_rrn, ledger_terminal, ledger_response_code, ledger_original_rrn) =
        (ledger.rrn.view(), ledger.terminal.view(), ledger.response_code.view(), ledger.original_rrn.view());
    let (statement_rrn, statement_terminal) = (statement.rrn.view(), statement.terminal.view());

    // 1. Declined and voided.
    let mut void_rows: Vec<usize> = Vec::new();
    for i in 0..n {
        if !is_approved(ledger_response_code.get(i)) {
            ledger_class.set(i, Class::Declined, super::response::declined_reason(ledger_response_code.get(i)));
        } else if ledger.kind[i] == TradeKind::Void {
            void_rows.push(i);
        }
    }
    let mut voided_keys: FxHashMap<RefKey<'_>, u32> = FxHashMap::default();
    if !void_rows.is_empty() {
        let wanted: FxHashMap<(&str, &str), ()> =
            void_rows.iter().map(|&i| ((ledger_original_rrn.get(i), ledger_terminal.get(i)), ())).collect();
        let filter = ReferenceFilter::new(void_rows.iter().map(|&i| ledger_original_rrn.get(i)));
        let mut purchase_by_rrn: FxHashMap<(&str, &str), u32> = FxHashMap::default();
        for i in 0..n {
            if ledger_class.is_unset(i) && ledger.kind[i] == TradeKind::Purchase && filter.may_contain(ledger_rrn.get(i)) {
                let key = (ledger_rrn.get(i), ledger_terminal.get(i));
                if wanted.contains_key(&key) {
                    purchase_by_rrn.entry(key).or_insert(i as u32);
                }
            }
        }
        for &i in &void_rows {
            let original = ledger_original_rrn.get(i);
            match purchase_by_rrn.get(&(original, ledger_terminal.get(i))).copied() {
                Some(p) if ledger_class.is_unset(p as usize) => {
                    ledger_class.set(
                        p as usize,
                        Class::Voided,
                        Text::of(Clause::VoidedBy { row: i as u32, trade_id: ledger.trade_id.get(i) }),
                    );
                    ledger_class.set(i, Class::Voided, Text::of(Clause::VoidOf { row: p, original }));
                    voided_keys
                        .insert((ledger_rrn.get(p as usize), ledger_terminal.get(p as usize), china_day(ledger.time[p as usize])), p);
                }
                _ => {
                    ledger_class.set(
                        i,
                        Class::VoidWithoutOriginal,
                        Text::of(Clause::VoidWithoutOriginal { original, terminal: ledger_terminal.get(i) }),
                    );
                }
            }
        }
    }

    // 2. Duplicates and 3. matching by reference: both sides' keys are hashed and sorted in
    // parallel, then merged. Within a run of equal hashes the real keys are compared.
    let ledger_key = |i: usize| (ledger_rrn.get(i), ledger_terminal.get(i), china_day(ledger.time[i]));
    let statement_key = |j: usize| (statement_rrn.get(j), statement_terminal.get(j), china_day(statement.time[j]));
    let same_reference = |i: usize, j: usize| statement_key(j) == ledger_key(i) && statement.kind[j] == ledger.kind[i];
    let mut ledger_refs: Vec<(u64, u32)> = (0..n)
        .into_par_iter()
        .filter(|&i| ledger_class.is_unset(i) && !ledger_rrn.get(i).is_empty())
        .map(|i| (key_hash(ledger_key(i)), i as u32))
        .collect();
    let mut statement_refs: Vec<(u64, u32)> =
        (0..m).into_par_iter().filter(|&j| !statement_rrn.get(j).is_empty()).map(|j| (key_hash(statement_key(j)), j as u32)).collect();
    rayon::join(|| ledger_refs.par_sort_unstable(), || statement_refs.par_sort_unstable());
    let ledger_firsts = firsts(
        &ledger_refs,
        |i| ledger_key(i as usize),
        |dup, first| {
            ledger_class.set(dup as usize, Class::LedgerDuplicate, repeats(Side::Ledger, first, ledger.line[first as usize]));
        },
    );
    let statement_firsts = firsts(
        &statement_refs,
        |j| statement_key(j as usize),
        |dup, first| {
            statement_class.set(dup as usize, Class::StatementDuplicate, repeats(Side::Statement, first, statement.line[first as usize]));
        },
    );
    drop((ledger_refs, statement_refs));
    // Rows without a reference are duplicates when terminal, time, amount and kind repeat.
    let mut statement_plain: FxHashMap<(&str, i64, i64, TradeKind), u32> = FxHashMap::default();
    for j in 0..m {
        if statement_rrn.get(j).is_empty() {
            let first = *statement_plain
                .entry((statement_terminal.get(j), statement.time[j], statement.amount_fen[j], statement.kind[j]))
                .or_insert(j as u32);
            if first != j as u32 {
                statement_class.set(j, Class::StatementDuplicate, repeats(Side::Statement, first, statement.line[first as usize]));
            }
        }
    }
    let mut ledger_plain: FxHashMap<(&str, i64, i64, TradeKind), u32> = FxHashMap::default();
    for i in 0..n {
        if ledger_class.is_unset(i) && ledger_rrn.get(i).is_empty() {
            let first =
                *ledger_plain.entry((ledger_terminal.get(i), ledger.time[i], ledger.amount_fen[i], ledger.kind[i])).or_insert(i as u32);
            if first != i as u32 {
                ledger_class.set(i, Class::LedgerDuplicate, repeats(Side::Ledger, first, ledger.line[first as usize]));
            }
        }
    }

    let mut ledger_partner = vec![NONE; n];
    let mut statement_partner = vec![NONE; m];
    let mut pairs = Vec::with_capacity(n.min(m));
    // A hash held by one row on each side (nearly every pair) makes the statement row the
    // ledger row's candidate, whose keys are compared afterwards, in ledger order (memory
    // friendly, and no sort: a ledger row is in one run); longer runs are resolved here.
    let mut candidate = vec![NONE; n];
    let (mut a, mut b) = (0, 0);
    while a < ledger_firsts.len() && b < statement_firsts.len() {
        let (ha, hb) = (ledger_firsts[a].0, statement_firsts[b].0);
        if ha < hb {
            a += 1;
        } else if hb < ha {
            b += 1;
        } else {
            let a_end = a + ledger_firsts[a..].iter().take_while(|e| e.0 == ha).count();
            let b_end = b + statement_firsts[b..].iter().take_while(|e| e.0 == ha).count();
            if a_end == a + 1 && b_end == b + 1 {
                candidate[ledger_firsts[a].1 as usize] = statement_firsts[b].1;
            } else {
                for &(_, i) in &ledger_firsts[a..a_end] {
                    let i = i as usize;
                    let found = statement_firsts[b..b_end]
                        .iter()
                        .map(|&(_, j)| j as usize)
                        .find(|&j| statement_partner[j] == NONE && same_reference(i, j));
                    if let Some(j) = found {
                        // Confirmed: kept as the row's candidate too, so that the pairs come
                        // out in ledger order below.
                        ledger_partner[i] = j as u32;
                        statement_partner[j] = i as u32;
                        candidate[i] = j as u32;
                    }
                }
            }
            a = a_end;
            b = b_end;
        }
    }
    drop((ledger_firsts, statement_firsts));
    candidate.par_iter_mut().enumerate().filter(|(_, j)| **j != NONE).for_each(|(i, j)| {
        if !same_reference(i, *j as usize) {
            *j = NONE;
        }
    });
    for (i, &j) in candidate.iter().enumerate().filter(|(_, &j)| j != NONE) {
        ledger_partner[i] = j;
        statement_partner[j as usize] = i as u32;
        pairs.push((i as u32, j, MatchedBy::Reference));
    }
    drop(candidate);

    // 4. Fallback by terminal, amount, kind and time. Each group is split by whether the
    // statement row has a reference (a ledger row with a reference may only take a statement
    // row without one) and sorted by (time, row); each query is a binary search and two
    // look-ups in a list of free rows, so the whole step is O(n log n) whatever the window.
    let mut free: FxHashMap<(&str, i64, TradeKind), [FreeRows; 2]> = FxHashMap::default();
    for j in 0..m {
        if statement_partner[j] == NONE && statement_class.is_unset(j) {
            let key = (statement_terminal.get(j), statement.amount_fen[j], statement.kind[j]);
            let has_reference = usize::from(!statement_rrn.get(j).is_empty());
            free.entry(key).or_default()[has_reference].rows.push((statement.time[j], j as u32));
        }
    }
    for lists in free.values_mut() {
        for list in lists.iter_mut() {
            list.rows.sort_unstable();
        }
    }
    if !free.is_empty() {
        let mut waiting: Vec<u32> =
            (0..n as u32).filter(|&i| ledger_partner[i as usize] == NONE && ledger_class.is_unset(i as usize)).collect();
        waiting.sort_by_key(|&i| (ledger.time[i as usize], i));
        for i in waiting {
            let i = i as usize;
            let Some(lists) = free.get_mut(&(ledger_terminal.get(i), ledger.amount_fen[i], ledger.kind[i])) else {
                continue;
            };
            let allowed = if ledger_rrn.get(i).is_empty() { 2 } else { 1 };
            let best = lists[..allowed]
                .iter_mut()
                .enumerate()
                .filter_map(|(list, rows)| rows.closest(ledger.time[i], window_seconds).map(|(gap, k)| (gap, rows.rows[k].1, list, k)))
                .min_by_key(|&(gap, j, _, _)| (gap, j));
            if let Some((_, j, list, k)) = best {
                lists[list].take(k);
                ledger_partner[i] = j;
                statement_partner[j as usize] = i as u32;
                pairs.push((i as u32, j, MatchedBy::TimeWindow));
            }
        }
    }

    // Unmatched rows. A statement row may settle a trade the terminal declined.
    let declined_keys: FxHashMap<RefKey<'_>, u32> = (0..n)
        .filter(|&i| !ledger_rrn.get(i).is_empty() && ledger_class.class[i] == Some(Class::Declined))
        .map(|i| ((ledger_rrn.get(i), ledger_terminal.get(i), china_day(ledger.time[i])), i as u32))
        .collect();
    for i in 0..n {
        if ledger_class.is_unset(i) && ledger_partner[i] == NONE {
            ledger_class.set(
                i,
                Class::NeverSettled,
                Text::of(Clause::NeverSettled {
                    kind: ledger.kind[i],
                    amount: crate::money::Money::from_fen(ledger.amount_fen[i]),
                    terminal: ledger_terminal.get(i),
                }),
            );
        }
    }
    for j in 0..m {
        if statement_class.is_unset(j) && statement_partner[j] == NONE {
            let key = (statement_rrn.get(j), statement_terminal.get(j), china_day(statement.time[j]));
            let reason = match voided_keys.get(&key) {
                Some(&p) => Clause::SettlesVoided { row: p },
                None if !declined_keys.is_empty() && declined_keys.contains_key(&key) => {
                    let p = declined_keys[&key];
                    Clause::SettlesDeclined { row: p, code: ledger_response_code.get(p as usize) }
                }
                None if statement_rrn.get(j).is_empty() => Clause::NoLedgerTradeByAmount,
                None => Clause::NoLedgerTrade { rrn: statement_rrn.get(j), terminal: statement_terminal.get(j) },
            };
            let reason = Text::of(reason);
            statement_class.set(j, Class::NoLedgerTrade, reason);
        }
    }
    Matching { ledger_partner, statement_partner, ledger_class, statement_class, pairs }
}

/// The reason of a duplicate: the row it repeats.
fn repeats(side: Side, first: u32, line: u64) -> Text {
    Text::of(Clause::Repeats { ledger_side: side == Side::Ledger, first, line })
}

fn key_hash((rrn, terminal, day): RefKey<'_>) -> u64 {
    let mut hasher = super::hash::FxHasher::default();
    hasher.write(rrn.as_bytes());
    hasher.write_u8(0xFF);
    hasher.write(terminal.as_bytes());
    hasher.write_i64(day);
    // A final mix so that the sort spreads keys well.
    let h = hasher.finish();
    (h ^ (h >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ (h >> 32)
}

/// From (hash, row) sorted by hash then row: the first row of every distinct key, in the
/// same order; `duplicate(row, first)` is called for every later row with the same key.
fn firsts<'a, K: PartialEq + 'a>(sorted: &[(u64, u32)], key: impl Fn(u32) -> K, mut duplicate: impl FnMut(u32, u32)) -> Vec<(u64, u32)> {
    let mut out = Vec::with_capacity(sorted.len());
    let mut start = 0;
    while start < sorted.len() {
        let hash = sorted[start].0;
        let end = start + sorted[start..].iter().take_while(|e| e.0 == hash).count();
        if end == start + 1 {
            out.push(sorted[start]);
            start = end;
            continue;
        }
        let run_first = out.len();
        for &(_, row) in &sorted[start..end] {
            let row_key = key(row);
            match out[run_first..].iter().find(|&&(_, first): &&(u64, u32)| key(first) == row_key) {
                Some(&(_, first)) => duplicate(row, first),
                None => out.push((hash, row)),
            }
        }
        start = end;
    }
    out
}

/// Statement rows of one fallback group, sorted by (time, row), and which of them are still
/// free, as two disjoint-set forests with path halving (finding the nearest free row is
/// near constant time, however many rows around it are taken). The forests are made at the
/// first row taken: most groups hold one row, and many are never asked.
#[derive(Default)]
pub(crate) struct FreeRows {
    /// (time, row), sorted.
    pub rows: Vec<(i64, u32)>,
    /// `right[k]`: a free index ≥ k is found by following; `rows.len()` means none. Empty
    /// while every row is free, as `left`.
    right: Vec<u32>,
    /// `left[k]`: for index `k - 1` and below; 0 means none (indices are shifted by one).
    left: Vec<u32>,
}

impl FreeRows {
    /// The first free index at or after `k` (`rows.len()` when none).
    fn free_at_or_after(&mut self, k: usize) -> usize {
        if self.right.is_empty() {
            return k;
        }
        let mut k = k as u32;
        while self.right[k as usize] != k {
            let next = self.right[self.right[k as usize] as usize];
            self.right[k as usize] = next;
            k = next;
        }
        k as usize
    }

    /// The last free index before `k` (`None` when none).
    fn free_before(&mut self, k: usize) -> Option<usize> {
        if self.left.is_empty() {
            return k.checked_sub(1);
        }
        let mut k = k as u32;
        while self.left[k as usize] != k {
            let next = self.left[self.left[k as usize] as usize];
            self.left[k as usize] = next;
            k = next;
        }
        (k as usize).checked_sub(1)
    }

    /// Marks index `k` taken.
    pub(crate) fn take(&mut self, k: usize) {
        if self.right.is_empty() {
            let len = self.rows.len() as u32;
            self.right = (0..=len).collect();
            self.left = (0..=len).collect();
        }
        self.right[k] = k as u32 + 1;
        self.left[k + 1] = k as u32;
    }

    /// The free row closest in time to `at`, at most `window` seconds away, ties to the
    /// earlier row: `(gap, index)`.
    pub(crate) fn closest(&mut self, at: i64, window: i64) -> Option<(i64, usize)> {
        let from = self.rows.partition_point(|&(t, _)| t < at);
        let after = Some(self.free_at_or_after(from))
            .filter(|&k| k < self.rows.len())
            .map(|k| (self.rows[k].0 - at, k))
            .filter(|&(gap, _)| gap <= window);
        let before = self.free_before(from).and_then(|k| {
            // Among free rows of that same time, the earliest row (the lowest index).
            let time = self.rows[k].0;
            let run = self.rows.partition_point(|&(t, _)| t < time);
            let k = self.free_at_or_after(run);
            let gap = at - self.rows[k].0;
            (gap <= window).then_some((gap, k))
        });
        match (before, after) {
            (Some(b), Some(a)) => Some(if (b.0, self.rows[b.1].1) <= (a.0, self.rows[a.1].1) { b } else { a }),
            (b, a) => b.or(a),
        }
    }
}

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
use super::hash::{text_hash, FxHashMap, ReferenceFilter};
#[cfg(not(target_arch = "wasm32"))]
use super::interned_text::{same_text, values_of};
use super::report::MatchedBy;
use super::response::is_approved;
use super::row_scan::rows_where;
use super::schema::{china_day, Ledger, Side, Statement};
use super::text_column::TextView;
use super::time_window;
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
    /// How each ledger row was paired (`None` when it was not).
    pub matched_by: Vec<Option<MatchedBy>>,
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
        Classes { class: super::row_scan::filled(None, rows), reasons: Vec::new() }
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
pub(crate) fn match_rows_hashed(
    ledger: &Ledger,
    statement: &Statement,
    window_seconds: i64,
    key_hash: fn(HashedKey<'_>) -> u64,
) -> Matching {
    let n = ledger.len();
    let m = statement.len();
    let mut ledger_class = Classes::new(n);
    let mut statement_class = Classes::new(m);

    // The text columns the loops below read, resolved once.
    let (ledger_rrn, ledger_terminal, ledger_response_code, ledger_original_rrn) =
        (ledger.rrn.view(), ledger.terminal.view(), ledger.response_code.view(), ledger.original_rrn.view());
    let (statement_rrn, statement_terminal) = (statement.rrn.view(), statement.terminal.view());

    // 1. Declined and voided (the few rows found on all cores, then set in row order).
    let mut void_rows: Vec<usize> = Vec::new();
    let set_aside = rows_where(n, |i| ledger.kind[i] == TradeKind::Void || !is_approved(ledger_response_code.get(i)));
    for i in set_aside {
        if !is_approved(ledger_response_code.get(i)) {
            ledger_class.set(i, Class::Declined, super::response::declined_reason(ledger_response_code.get(i)));
        } else {
            void_rows.push(i);
        }
    }
    let mut voided_keys: FxHashMap<RefKey<'_>, u32> = FxHashMap::default();
    if !void_rows.is_empty() {
        let wanted: FxHashMap<(&str, &str), ()> =
            void_rows.iter().map(|&i| ((ledger_original_rrn.get(i), ledger_terminal.get(i)), ())).collect();
        let filter = ReferenceFilter::new(void_rows.iter().map(|&i| ledger_original_rrn.get(i)));
        let mut purchase_by_rrn: FxHashMap<(&str, &str), u32> = FxHashMap::default();
        let purchases = rows_where(n, |i| {
            ledger_class.is_unset(i)
                && ledger.kind[i] == TradeKind::Purchase
                && filter.may_contain(ledger_rrn.get(i))
                && wanted.contains_key(&(ledger_rrn.get(i), ledger_terminal.get(i)))
        });
        for i in purchases {
            purchase_by_rrn.entry((ledger_rrn.get(i), ledger_terminal.get(i))).or_insert(i as u32);
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
    let (ledger_terminal_hash, statement_terminal_hash) = (TerminalHashes::new(&ledger_terminal), TerminalHashes::new(&statement_terminal));
    let ledger_hashed = |i: usize| (ledger_rrn.get(i), ledger_terminal_hash.get(i), china_day(ledger.time[i]));
    let statement_hashed = |j: usize| (statement_rrn.get(j), statement_terminal_hash.get(j), china_day(statement.time[j]));
    // The same reference: compared field by field, the cheap ones first, the terminals by
    // number where both sides hold them interned. (WebAssembly, built for size: the tuples.)
    #[cfg(not(target_arch = "wasm32"))]
    let same_terminal = SameTerminal::new(&ledger_terminal, &statement_terminal);
    #[cfg(not(target_arch = "wasm32"))]
    let same_reference = |i: usize, j: usize| {
        statement.kind[j] == ledger.kind[i]
            && china_day(statement.time[j]) == china_day(ledger.time[i])
            && same_text(statement_rrn.get(j), ledger_rrn.get(i))
            && same_terminal.of(i, j)
    };
    #[cfg(target_arch = "wasm32")]
    let same_reference = |i: usize, j: usize| statement_key(j) == ledger_key(i) && statement.kind[j] == ledger.kind[i];
    // A row left out sorts last and is cut off after the sort: written in place, no list of
    // parts gathered and copied.
    let mut ledger_refs: Vec<Keyed> = Vec::with_capacity(n);
    (0..n)
        .into_par_iter()
        .map(|i| Keyed::of(i, ledger_class.is_unset(i) && !ledger_rrn.is_empty_at(i), || key_hash(ledger_hashed(i))))
        .collect_into_vec(&mut ledger_refs);
    let mut statement_refs: Vec<Keyed> = Vec::with_capacity(m);
    (0..m)
        .into_par_iter()
        .map(|j| Keyed::of(j, !statement_rrn.is_empty_at(j), || key_hash(statement_hashed(j))))
        .collect_into_vec(&mut statement_refs);
    rayon::join(|| Keyed::sort_kept(&mut ledger_refs), || Keyed::sort_kept(&mut statement_refs));
    // The line of the row a duplicate repeats.
    let (ledger_line, statement_line) = (|i: u32| ledger.line.get(i as usize), |j: u32| statement.line.get(j as usize));
    // Each side's duplicates: the keys with a reference of each side on a core of their own,
    // and beside them the statement's rows without one (a few percent of a bank file's, found
    // by a hash map: on the statement's core they made it the last to finish), whose
    // duplicates are set after. Rows without a reference are duplicates when terminal, time,
    // amount and kind repeat (they are not among the hashed rows, so `keep_firsts` never
    // classes them).
    let ((), statement_plain_duplicates) = rayon::join(
        || {
            rayon::join(
                || {
                    keep_firsts(&mut ledger_refs, |i| ledger_key(i as usize), &mut ledger_class, Side::Ledger, ledger_line);
                    let plain = rows_where(n, |i| ledger_class.is_unset(i) && ledger_rrn.is_empty_at(i));
                    let key = |i: usize| (ledger_terminal.get(i), ledger.time[i], ledger.amount_fen[i], ledger.kind[i]);
                    for (i, first) in plain_duplicates(plain, key) {
                        set_duplicate(&mut ledger_class, Side::Ledger, i, first, ledger_line(first));
                    }
                },
                || keep_firsts(&mut statement_refs, |j| statement_key(j as usize), &mut statement_class, Side::Statement, statement_line),
            );
        },
        || {
            let plain = rows_where(m, |j| statement_rrn.is_empty_at(j));
            let key = |j: usize| (statement_terminal.get(j), statement.time[j], statement.amount_fen[j], statement.kind[j]);
            plain_duplicates(plain, key)
        },
    );
    for (j, first) in statement_plain_duplicates {
        set_duplicate(&mut statement_class, Side::Statement, j, first, statement_line(first));
    }
    let (ledger_firsts, statement_firsts) = (ledger_refs, statement_refs);

    let (mut ledger_partner, mut statement_partner) = pair_by_reference(&ledger_firsts, &statement_firsts, n, m, same_reference);
    drop((ledger_firsts, statement_firsts));
    let mut matched_by: Vec<Option<MatchedBy>> = ledger_partner.par_iter().map(|&j| (j != NONE).then_some(MatchedBy::Reference)).collect();

    // 4. Fallback by terminal, amount, kind and time (see `time_window`).
    let free = rows_where(m, |j| statement_partner[j] == NONE && statement_class.is_unset(j));
    if !free.is_empty() {
        let waiting = rows_where(n, |i| ledger_partner[i] == NONE && ledger_class.is_unset(i));
        fn key<'t>(
            terminal: &TextView<'t>,
            hashes: &TerminalHashes,
            amount_fen: &[i64],
            kind: &[TradeKind],
            row: usize,
        ) -> time_window::GroupKey<'t> {
            time_window::GroupKey::new(hashes.get(row), amount_fen[row], kind[row], terminal.get(row))
        }
        let waiting = super::row_scan::each_row(waiting, |i| time_window::Waiting {
            key: key(&ledger_terminal, &ledger_terminal_hash, &ledger.amount_fen, &ledger.kind, i),
            time: ledger.time[i],
            row: i as u32,
            referenced: !ledger_rrn.is_empty_at(i),
        });
        let free = super::row_scan::each_row(free, |j| time_window::Free {
            key: key(&statement_terminal, &statement_terminal_hash, &statement.amount_fen, &statement.kind, j),
            referenced: !statement_rrn.is_empty_at(j),
            time: statement.time[j],
            row: j as u32,
        });
        for (i, j) in time_window::pair_by_time(waiting, free, window_seconds) {
            ledger_partner[i as usize] = j;
            statement_partner[j as usize] = i;
            matched_by[i as usize] = Some(MatchedBy::TimeWindow);
        }
    }

    // Unmatched rows. A statement row may settle a trade the terminal declined.
    let declined_keys: FxHashMap<RefKey<'_>, u32> =
        rows_where(n, |i| ledger_class.class[i] == Some(Class::Declined) && !ledger_rrn.is_empty_at(i))
            .into_iter()
            .map(|i| ((ledger_rrn.get(i), ledger_terminal.get(i), china_day(ledger.time[i])), i as u32))
            .collect();
    for i in rows_where(n, |i| ledger_class.is_unset(i) && ledger_partner[i] == NONE) {
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
    for j in rows_where(m, |j| statement_class.is_unset(j) && statement_partner[j] == NONE) {
        let key = (statement_rrn.get(j), statement_terminal.get(j), china_day(statement.time[j]));
        let declined = if declined_keys.is_empty() { None } else { declined_keys.get(&key).copied() };
        let reason = match (voided_keys.get(&key), declined) {
            (Some(&p), _) => Clause::SettlesVoided { row: p },
            (None, Some(p)) => Clause::SettlesDeclined { row: p, code: ledger_response_code.get(p as usize) },
            _ if statement_rrn.get(j).is_empty() => Clause::NoLedgerTradeByAmount,
            _ => Clause::NoLedgerTrade { rrn: statement_rrn.get(j), terminal: statement_terminal.get(j) },
        };
        let reason = Text::of(reason);
        statement_class.set(j, Class::NoLedgerTrade, reason);
    }
    Matching { ledger_partner, statement_partner, ledger_class, statement_class, matched_by }
}

/// The pairs by reference of both sides' kept keys (each sorted by hash): the ledger rows'
/// partners and the statement rows' ([`NONE`] for none). A hash held by one row on each side
/// (nearly every pair) makes the statement row the ledger row's candidate, whose keys are
/// compared afterwards, in ledger order (memory friendly, and no sort: a ledger row is in one
/// run); longer runs are resolved as they are met, a ledger row taking the first statement
/// row of its run with its reference not yet taken.
///
/// On all cores: the keys are cut into parts at hash boundaries (a run of one hash is in one
/// part on each side), so that no two parts write the same row; the rows' partners are
/// atomics only so that the parts may write them side by side.
fn pair_by_reference(
    ledger_firsts: &[Keyed],
    statement_firsts: &[Keyed],
    n: usize,
    m: usize,
    same_reference: impl Fn(usize, usize) -> bool + Sync,
) -> (Vec<u32>, Vec<u32>) {
    use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
    // (Made in place from plain numbers, and back again below.)
    let atomics = |rows: usize| super::row_scan::filled(NONE, rows).into_iter().map(AtomicU32::new).collect::<Vec<AtomicU32>>();
    let (candidate, statement_partner) = (atomics(n), atomics(m));
    // Where each part starts on both sides: at the first key of a hash.
    let mut starts: Vec<(usize, usize)> = super::row_scan::few_parts(ledger_firsts.len())
        .into_iter()
        .map(|part| {
            let hash = ledger_firsts[part.start].hash();
            (ledger_firsts.partition_point(|e| e.hash() < hash), statement_firsts.partition_point(|e| e.hash() < hash))
        })
        .collect();
    starts.push((ledger_firsts.len(), statement_firsts.len()));
    starts.par_windows(2).for_each(|bounds| {
        let (ledger_firsts, statement_firsts) = (&ledger_firsts[bounds[0].0..bounds[1].0], &statement_firsts[bounds[0].1..bounds[1].1]);
        let (mut a, mut b) = (0, 0);
        while a < ledger_firsts.len() && b < statement_firsts.len() {
            let (ha, hb) = (ledger_firsts[a].hash(), statement_firsts[b].hash());
            if ha < hb {
                a += 1;
            } else if hb < ha {
                b += 1;
            } else {
                let a_end = a + ledger_firsts[a..].iter().take_while(|e| e.hash() == ha).count();
                let b_end = b + statement_firsts[b..].iter().take_while(|e| e.hash() == ha).count();
                if a_end == a + 1 && b_end == b + 1 {
                    candidate[ledger_firsts[a].row() as usize].store(statement_firsts[b].row(), Relaxed);
                } else {
                    for keyed in &ledger_firsts[a..a_end] {
                        let i = keyed.row() as usize;
                        let found = statement_firsts[b..b_end]
                            .iter()
                            .map(|keyed| keyed.row() as usize)
                            .find(|&j| statement_partner[j].load(Relaxed) == NONE && same_reference(i, j));
                        if let Some(j) = found {
                            // Confirmed (and confirmed again below, as every candidate).
                            statement_partner[j].store(i as u32, Relaxed);
                            candidate[i].store(j as u32, Relaxed);
                        }
                    }
                }
                a = a_end;
                b = b_end;
            }
        }
    });
    // The candidates confirmed are the ledger rows' partners (a statement row is the candidate
    // of one ledger row at most: its hash's run holds one row, or it was taken once).
    candidate.par_iter().enumerate().for_each(|(i, partner)| match partner.load(Relaxed) {
        NONE => {}
        j if same_reference(i, j as usize) => statement_partner[j as usize].store(i as u32, Relaxed),
        _ => partner.store(NONE, Relaxed),
    });
    // Plain numbers again, in place.
    let plain = |partners: Vec<AtomicU32>| partners.into_iter().map(AtomicU32::into_inner).collect::<Vec<u32>>();
    (plain(candidate), plain(statement_partner))
}

/// Every row of `rows` (in order) whose key an earlier row of `rows` has, with that earlier
/// row: `(row, first)`, in the order of `rows`.
fn plain_duplicates<K: std::hash::Hash + Eq>(rows: Vec<usize>, key: impl Fn(usize) -> K) -> Vec<(usize, u32)> {
    // Room for every row from the start: the map is not grown (and its entries moved) on the way.
    let mut first_of: FxHashMap<K, u32> = FxHashMap::with_capacity_and_hasher(rows.len(), Default::default());
    let mut duplicates = Vec::new();
    for row in rows {
        let first = *first_of.entry(key(row)).or_insert(row as u32);
        if first != row as u32 {
            duplicates.push((row, first));
        }
    }
    duplicates
}

/// Classes row `row` of `side` a duplicate of its row `first` (on line `first_line`).
fn set_duplicate(classes: &mut Classes, side: Side, row: usize, first: u32, first_line: u64) {
    let class = if side == Side::Ledger { Class::LedgerDuplicate } else { Class::StatementDuplicate };
    classes.set(row, class, Text::of(Clause::Repeats { ledger_side: side == Side::Ledger, first, line: first_line }));
}

/// A reference key with its terminal hashed ([`text_hash`]): what [`key_hash`] mixes.
pub(crate) type HashedKey<'a> = (&'a str, u64, i64);

fn key_hash((rrn, terminal_hash, day): HashedKey<'_>) -> u64 {
    let mut hasher = super::hash::FxHasher::default();
    hasher.write(rrn.as_bytes());
    hasher.write_u64(terminal_hash);
    hasher.write_i64(day);
    // A final mix so that the sort spreads keys well.
    let h = hasher.finish();
    (h ^ (h >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ (h >> 32)
}

/// Each row's terminal hashed ([`text_hash`]): each distinct value once where the column holds
/// each value once (as the file readers hold terminals), else row by row. Either way a row's
/// hash is its text's, whichever way each side holds its terminals.
struct TerminalHashes<'v> {
    view: &'v TextView<'v>,
    /// The hash of each distinct value of an interned column (empty for any other, and in
    /// WebAssembly).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    of_value: Vec<u64>,
}

impl<'v> TerminalHashes<'v> {
    fn new(view: &'v TextView<'v>) -> TerminalHashes<'v> {
        let of_value = match view {
            // (Not in WebAssembly, which is built for size: there every row's text is hashed.)
            #[cfg(not(target_arch = "wasm32"))]
            TextView::Interned { text, offsets, .. } => values_of(text, offsets).map(text_hash).collect(),
            _ => Vec::new(),
        };
        TerminalHashes { view, of_value }
    }

    #[inline]
    fn get(&self, row: usize) -> u64 {
        match self.view {
            #[cfg(not(target_arch = "wasm32"))]
            TextView::Interned { keys, .. } => self.of_value[usize::from(keys[row])],
            view => text_hash(view.get(row)),
        }
    }
}

/// Whether a ledger row's terminal is a statement row's. Where both sides hold their terminals
/// interned (as the file readers do), each side's numbers are mapped once to the number of
/// their text's first value in the statement's list, and rows compare those; else the texts.
#[cfg(not(target_arch = "wasm32"))]
struct SameTerminal<'v> {
    ledger: &'v TextView<'v>,
    statement: &'v TextView<'v>,
    /// By the ledger's number of a value, the statement's first number of the same text
    /// ([`NONE`] when the statement has no such value); empty unless both sides are interned.
    ledger_to_statement: Vec<u32>,
    /// By the statement's number of a value, the first number of the same text.
    statement_first: Vec<u32>,
}

#[cfg(not(target_arch = "wasm32"))]
impl<'v> SameTerminal<'v> {
    fn new(ledger: &'v TextView<'v>, statement: &'v TextView<'v>) -> SameTerminal<'v> {
        let (mut ledger_to_statement, mut statement_first) = (Vec::new(), Vec::new());
        if let (TextView::Interned { text, offsets, .. }, TextView::Interned { text: statement_text, offsets: statement_offsets, .. }) =
            (ledger, statement)
        {
            let mut first_of: FxHashMap<&str, u32> = FxHashMap::default();
            statement_first = values_of(statement_text, statement_offsets)
                .enumerate()
                .map(|(key, value)| *first_of.entry(value).or_insert(key as u32))
                .collect();
            ledger_to_statement = values_of(text, offsets).map(|value| first_of.get(value).copied().unwrap_or(NONE)).collect();
        }
        SameTerminal { ledger, statement, ledger_to_statement, statement_first }
    }

    /// Whether ledger row `i` and statement row `j` have the same terminal.
    #[inline]
    fn of(&self, i: usize, j: usize) -> bool {
        match (self.ledger, self.statement) {
            (TextView::Interned { keys, .. }, TextView::Interned { keys: statement_keys, .. }) => {
                self.ledger_to_statement[usize::from(keys[i])] == self.statement_first[usize::from(statement_keys[j])]
            }
            (ledger, statement) => same_text(ledger.get(i), statement.get(j)),
        }
    }
}

/// A row's hashed reference key, packed in one word so that it sorts fast: 31 bits of the
/// hash above the row, so that keys sort by hash, then row. Keys whose 31 bits collide (two
/// hundred or so pairs in a million keys) are told apart by their keys, as any equal hashes.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
struct Keyed(u64);

impl Keyed {
    /// A row left out: sorts after every row (no row is [`NONE`]), its hash above any row's.
    const LEFT_OUT: Keyed = Keyed(u64::MAX);

    /// The bits of a hash a row keeps: 31, below [`Keyed::LEFT_OUT`]'s.
    const HASH_BITS: u64 = 0x7FFF_FFFF_0000_0000;

    /// Row `row` with the hash `hash()` when it is `kept`, else [`Keyed::LEFT_OUT`].
    fn of(row: usize, kept: bool, hash: impl FnOnce() -> u64) -> Keyed {
        if kept {
            Keyed((hash() & Keyed::HASH_BITS) | row as u64)
        } else {
            Keyed::LEFT_OUT
        }
    }

    /// Sorts keys made in row order (as `(0..n).map(Keyed::of)` makes them) and cuts off the
    /// rows left out: a stable radix sort by the hash alone gives the order of the whole word,
    /// as each hash's rows are already in order.
    fn sort_kept(refs: &mut Vec<Keyed>) {
        // Out of row order, a later row of a key would sort first and be kept as the first.
        debug_assert!(refs
            .iter()
            .filter(|&&keyed| keyed != Keyed::LEFT_OUT)
            .try_fold(0, |next, keyed| (keyed.row() >= next).then(|| keyed.row() + 1))
            .is_some());
        if cfg!(target_arch = "wasm32") || refs.len() < Keyed::DEALT_MIN {
            radsort::sort_by_key(refs.as_mut_slice(), |keyed| keyed.hash() as u32);
            let kept = refs.len() - refs.iter().rev().take_while(|&&keyed| keyed == Keyed::LEFT_OUT).count();
            refs.truncate(kept);
        } else {
            *refs = Keyed::dealt_and_sorted(refs);
        }
    }

    /// From this many keys [`Keyed::sort_kept`] deals them to buckets first (below it, and in
    /// WebAssembly, one radix sort of the whole: the keys fit in a core's cache, or nearly).
    const DEALT_MIN: usize = 1 << 19;

    /// The buckets [`Keyed::dealt_and_sorted`] deals keys to, by the top bits of their hash.
    const BUCKET_BITS: u32 = 8;

    /// The hash bits below a bucket's: sorted within the bucket in two passes, by the low
    /// [`Keyed::LOW_DIGIT_BITS`], then by the rest.
    const IN_BUCKET_BITS: u32 = Keyed::HASH_BITS.count_ones() - Keyed::BUCKET_BITS;
    const LOW_DIGIT_BITS: u32 = 12;

    /// The rows kept of `refs` (made in row order), sorted by hash then row, in two levels:
    /// dealt to 256 buckets by the top 8 bits of their hash (in row order, so a bucket's rows
    /// stay in order; rows left out are dropped), then each bucket, small enough to stay in a
    /// core's cache, sorted by the hash's other 23 bits in two stable counting passes. One
    /// pass over the keys in memory where a radix sort of the whole makes four (one for each
    /// byte of the hash): 10M keys in about two thirds of `radsort`'s time, 1M in about the
    /// same.
    fn dealt_and_sorted(refs: &[Keyed]) -> Vec<Keyed> {
        const BUCKETS: usize = 1 << Keyed::BUCKET_BITS;
        // A row left out (hash all ones) falls past the last bucket.
        let bucket_of = |keyed: Keyed| ((keyed.hash() >> Keyed::IN_BUCKET_BITS) as usize).min(BUCKETS);
        let mut ends = [0usize; BUCKETS + 1];
        for &keyed in refs {
            ends[bucket_of(keyed)] += 1;
        }
        let mut next = [0usize; BUCKETS + 1];
        let mut start = 0;
        for (bucket, end) in ends.iter_mut().enumerate() {
            next[bucket] = start;
            start += *end;
            *end = start;
        }
        let kept = next[BUCKETS];
        // Zeroed by the allocator (no pass to fill it), every slot then written once.
        let mut dealt = vec![0u64; kept];
        for &keyed in refs {
            let bucket = bucket_of(keyed);
            if bucket < BUCKETS {
                dealt[next[bucket]] = keyed.0;
                next[bucket] += 1;
            }
        }
        let mut scratch = Vec::new();
        let mut bucket_start = 0;
        for &bucket_end in &ends[..BUCKETS] {
            Keyed::sort_bucket(&mut dealt[bucket_start..bucket_end], &mut scratch);
            bucket_start = bucket_end;
        }
        dealt.into_iter().map(Keyed).collect()
    }

    /// Sorts words of one bucket by the hash bits below the bucket's, stably: by the low
    /// [`Keyed::LOW_DIGIT_BITS`] into `scratch`, then by the rest back into `words`.
    fn sort_bucket(words: &mut [u64], scratch: &mut Vec<u64>) {
        const LOW: usize = 1 << Keyed::LOW_DIGIT_BITS;
        const HIGH: usize = 1 << (Keyed::IN_BUCKET_BITS - Keyed::LOW_DIGIT_BITS);
        if words.len() < 2 {
            return;
        }
        let low_digit = |word: u64| Keyed(word).hash() as usize & (LOW - 1);
        let high_digit = |word: u64| (Keyed(word).hash() >> Keyed::LOW_DIGIT_BITS) as usize & (HIGH - 1);
        let (mut low, mut high) = ([0u32; LOW], [0u32; HIGH]);
        for &word in words.iter() {
            low[low_digit(word)] += 1;
            high[high_digit(word)] += 1;
        }
        for counts in [&mut low[..], &mut high[..]] {
            let mut start = 0;
            for count in counts.iter_mut() {
                (*count, start) = (start, start + *count);
            }
        }
        scratch.clear();
        scratch.resize(words.len(), 0);
        for &word in words.iter() {
            let slot = &mut low[low_digit(word)];
            scratch[*slot as usize] = word;
            *slot += 1;
        }
        for &word in scratch.iter() {
            let slot = &mut high[high_digit(word)];
            words[*slot as usize] = word;
            *slot += 1;
        }
    }

    fn hash(self) -> u64 {
        self.0 >> 32
    }

    fn row(self) -> u32 {
        self.0 as u32
    }
}

/// Keeps, of keys sorted by hash then row, the first row of every distinct key, in the same
/// order; every later row with the same key is classed a duplicate of `side`'s first
/// ([`set_duplicate`], `line` giving the first row's line). In place: the rows kept are moved
/// down over those dropped, never past one not yet read.
fn keep_firsts<'a, K: PartialEq + 'a>(
    sorted: &mut Vec<Keyed>,
    key: impl Fn(u32) -> K,
    classes: &mut Classes,
    side: Side,
    line: impl Fn(u32) -> u64,
) {
    let (mut kept, mut start) = (0, 0);
    while start < sorted.len() {
        let hash = sorted[start].hash();
        let end = start + sorted[start..].iter().take_while(|e| e.hash() == hash).count();
        let run_first = kept;
        for read in start..end {
            let row = sorted[read].row();
            let first = if end == start + 1 {
                None
            } else {
                let row_key = key(row);
                sorted[run_first..kept].iter().map(|keyed| keyed.row()).find(|&first| key(first) == row_key)
            };
            match first {
                Some(first) => set_duplicate(classes, side, row as usize, first, line(first)),
                None => {
                    sorted[kept] = sorted[read];
                    kept += 1;
                }
            }
        }
        start = end;
    }
    sorted.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The radix sort by hash, and the sort in buckets, give the order of a sort of the
        /// whole words, and cut off exactly the rows left out: hashes with every kept bit set
        /// (next to the rows left out), hashes at a bucket's first and last place, and runs
        /// of equal hashes included.
        #[test]
        fn keys_sort_as_whole_words(rows in proptest::collection::vec((0u8..6, any::<u64>(), any::<bool>()), 0..300)) {
            let refs: Vec<Keyed> = rows.iter().enumerate().map(|(row, &(choice, random, kept))| Keyed::of(row, kept, || hash_of(choice, random))).collect();
            let mut sorted = refs.clone();
            Keyed::sort_kept(&mut sorted);
            let dealt = Keyed::dealt_and_sorted(&refs);
            let mut expected: Vec<Keyed> = refs.into_iter().filter(|&keyed| keyed != Keyed::LEFT_OUT).collect();
            expected.sort_unstable();
            prop_assert_eq!(&sorted, &expected);
            prop_assert_eq!(dealt, expected);
        }
    }

    /// A hash for the sort's tests: all ones, zero, few values, a bucket's first and last
    /// place (the bits below the bucket's all zero or all one), or any.
    fn hash_of(choice: u8, random: u64) -> u64 {
        match choice {
            0 => u64::MAX,
            1 => 0,
            2 => random & 0xFFFF_0000_0000_0000,
            3 => random & 0xFF80_0000_0000_0000,
            4 => random | 0x007F_FFFF_0000_0000,
            _ => random,
        }
    }

    /// Enough keys for [`Keyed::sort_kept`] to deal them to buckets: buckets of thousands of
    /// rows, long runs of one hash, rows left out.
    #[test]
    fn many_keys_sort_as_whole_words_in_buckets() {
        let rows = Keyed::DEALT_MIN + 12_345;
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let refs: Vec<Keyed> = (0..rows)
            .map(|row| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                Keyed::of(row, state % 7 != 0, || hash_of((state % 9) as u8, state.rotate_left(17)))
            })
            .collect();
        let mut sorted = refs.clone();
        Keyed::sort_kept(&mut sorted);
        let mut expected: Vec<Keyed> = refs.into_iter().filter(|&keyed| keyed != Keyed::LEFT_OUT).collect();
        expected.sort_unstable();
        assert!(expected.len() > Keyed::DEALT_MIN / 2);
        assert!(sorted == expected);
    }

    /// [`pair_by_reference`] in one loop over both sides' keys, as it was before it ran in
    /// parts on all cores.
    fn pairs_in_one_loop(
        ledger_firsts: &[Keyed],
        statement_firsts: &[Keyed],
        n: usize,
        m: usize,
        same_reference: impl Fn(usize, usize) -> bool,
    ) -> (Vec<u32>, Vec<u32>) {
        let (mut ledger_partner, mut statement_partner) = (vec![NONE; n], vec![NONE; m]);
        let (mut a, mut b) = (0, 0);
        while a < ledger_firsts.len() && b < statement_firsts.len() {
            let (ha, hb) = (ledger_firsts[a].hash(), statement_firsts[b].hash());
            if ha != hb {
                (a, b) = if ha < hb { (a + 1, b) } else { (a, b + 1) };
                continue;
            }
            let a_end = a + ledger_firsts[a..].iter().take_while(|e| e.hash() == ha).count();
            let b_end = b + statement_firsts[b..].iter().take_while(|e| e.hash() == ha).count();
            for keyed in &ledger_firsts[a..a_end] {
                let i = keyed.row() as usize;
                let free = statement_firsts[b..b_end]
                    .iter()
                    .map(|keyed| keyed.row() as usize)
                    .find(|&j| statement_partner[j] == NONE && same_reference(i, j));
                if let Some(j) = free {
                    (ledger_partner[i], statement_partner[j]) = (j as u32, i as u32);
                }
            }
            (a, b) = (a_end, b_end);
        }
        (ledger_partner, statement_partner)
    }

    proptest! {
        /// The pairs found in parts on all cores are those of one loop over the keys: rows
        /// whose references differ though their hashes are equal (runs of one row a side and
        /// longer), rows with no partner, and more hashes than parts or fewer.
        #[test]
        fn pairs_in_parts_are_the_pairs_of_one_loop(
            ledger in proptest::collection::vec((0u64..40, 0u8..6, any::<bool>()), 0..400),
            statement in proptest::collection::vec((0u64..40, 0u8..6, any::<bool>()), 0..400),
        ) {
            // A row's hash (a few values, so that runs are common) and its reference (which
            // decides a pair; equal references have equal hashes, as real keys do).
            let reference = |&(hash, tag, _): &(u64, u8, bool)| hash * 8 + u64::from(tag % 3);
            let keys = |rows: &[(u64, u8, bool)]| {
                let mut keys: Vec<Keyed> = rows.iter().enumerate().map(|(row, &(hash, _, kept))| Keyed::of(row, kept, || hash << 33)).collect();
                Keyed::sort_kept(&mut keys);
                keys
            };
            let (ledger_firsts, statement_firsts) = (keys(&ledger), keys(&statement));
            let same_reference = |i: usize, j: usize| reference(&ledger[i]) == reference(&statement[j]);
            let (n, m) = (ledger.len(), statement.len());
            let expected = pairs_in_one_loop(&ledger_firsts, &statement_firsts, n, m, same_reference);
            prop_assert_eq!(pair_by_reference(&ledger_firsts, &statement_firsts, n, m, same_reference), expected);
        }
    }

    #[test]
    fn a_terminal_hashes_the_same_whichever_way_its_column_holds_it() {
        use crate::reconcile::TextColumn;
        let values = ["T0000001", "T0000002", "", "T0000001", "终端7", "T0000002"];
        let (mut interned, mut owned) = (TextColumn::interned(), TextColumn::default());
        for value in values {
            interned.push(value).unwrap();
            owned.push(value).unwrap();
        }
        let (interned_view, owned_view) = (interned.view(), owned.view());
        assert!(matches!(interned_view, TextView::Interned { .. }) && matches!(owned_view, TextView::One { .. }));
        let (by_value, by_row) = (TerminalHashes::new(&interned_view), TerminalHashes::new(&owned_view));
        for (row, value) in values.iter().enumerate() {
            assert_eq!((by_value.get(row), by_row.get(row)), (text_hash(value), text_hash(value)), "row {row}");
        }
        assert_ne!(text_hash("T0000001"), text_hash("T0000002"));
    }

    #[test]
    fn terminals_compare_by_number_as_by_text_whichever_way_each_side_holds_them() {
        use crate::reconcile::TextColumn;
        // The sides list their values in different orders; each has a value the other lacks.
        let ledger_values = ["T2", "T1", "T2", "终端7", "", "T3", "T1"];
        let statement_values = ["T1", "T4", "", "T2", "终端7", "T1", "T3", "T2"];
        let column = |values: &[&str], interned: bool| {
            let mut column = if interned { TextColumn::interned() } else { TextColumn::default() };
            values.iter().for_each(|value| column.push(value).unwrap());
            column
        };
        for (ledger_interned, statement_interned) in [(true, true), (true, false), (false, true), (false, false)] {
            let (ledger, statement) = (column(&ledger_values, ledger_interned), column(&statement_values, statement_interned));
            let (ledger_view, statement_view) = (ledger.view(), statement.view());
            assert_eq!(matches!(ledger_view, TextView::Interned { .. }), ledger_interned);
            assert_eq!(matches!(statement_view, TextView::Interned { .. }), statement_interned);
            let same = SameTerminal::new(&ledger_view, &statement_view);
            for (i, ledger_value) in ledger_values.iter().enumerate() {
                for (j, statement_value) in statement_values.iter().enumerate() {
                    assert_eq!(same.of(i, j), ledger_value == statement_value, "{ledger_interned} {statement_interned}: rows {i}, {j}");
                }
            }
        }
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic]
    fn keys_out_of_row_order_are_refused() {
        let mut refs = vec![Keyed::of(1, true, || 7 << 32), Keyed::LEFT_OUT, Keyed::of(0, true, || 7 << 32)];
        Keyed::sort_kept(&mut refs);
    }
}

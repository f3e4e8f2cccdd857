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

use std::borrow::Cow;

use super::class::Class;
use super::hash::FxHashMap;
use super::report::MatchedBy;
use super::response::is_approved;
use super::schema::{china_day, Ledger, Statement};
use crate::quote::TradeKind;

pub(crate) const NONE: u32 = u32::MAX;

/// The outcome of matching: partners, and classes of rows that are not in a pair.
pub(crate) struct Matching {
    pub ledger_partner: Vec<u32>,
    pub statement_partner: Vec<u32>,
    pub ledger_class: Vec<Option<(Class, Cow<'static, str>)>>,
    pub statement_class: Vec<Option<(Class, Cow<'static, str>)>>,
    /// (ledger, statement, how)
    pub pairs: Vec<(u32, u32, MatchedBy)>,
}

type RefKey<'a> = (&'a str, &'a str, i64);

pub(crate) fn match_rows(ledger: &Ledger, statement: &Statement, window_seconds: i64) -> Matching {
    let n = ledger.len();
    let m = statement.len();
    let mut ledger_class: Vec<Option<(Class, Cow<'static, str>)>> = vec![None; n];
    let mut statement_class: Vec<Option<(Class, Cow<'static, str>)>> = vec![None; m];

    // 1. Declined and voided.
    let mut purchase_by_rrn: FxHashMap<(&str, &str), u32> = FxHashMap::default();
    for i in 0..n {
        if !is_approved(ledger.response_code.get(i)) {
            let code = ledger.response_code.get(i);
            let meaning = super::response::ResponseMeaning::of(code);
            ledger_class[i] = Some((
                Class::Declined,
                Cow::Owned(format!(
                    "declined with response code {}: {} / {}",
                    meaning.code, meaning.zh, meaning.en
                )),
            ));
        } else if ledger.kind[i] == TradeKind::Purchase && !ledger.rrn.get(i).is_empty() {
            purchase_by_rrn
                .entry((ledger.rrn.get(i), ledger.terminal.get(i)))
                .or_insert(i as u32);
        }
    }
    let mut voided_keys: FxHashMap<RefKey<'_>, u32> = FxHashMap::default();
    for i in 0..n {
        if ledger_class[i].is_some() || ledger.kind[i] != TradeKind::Void {
            continue;
        }
        let original = ledger.original_rrn.get(i);
        match purchase_by_rrn
            .get(&(original, ledger.terminal.get(i)))
            .copied()
        {
            Some(p) if ledger_class[p as usize].is_none() => {
                ledger_class[p as usize] = Some((
                    Class::Voided,
                    Cow::Owned(format!(
                        "voided by ledger row {} (trade {})",
                        i,
                        ledger.trade_id.get(i)
                    )),
                ));
                ledger_class[i] = Some((
                    Class::Voided,
                    Cow::Owned(format!(
                        "void of ledger row {p} (reference {original}); no settlement expected"
                    )),
                ));
                voided_keys.insert(
                    (
                        ledger.rrn.get(p as usize),
                        ledger.terminal.get(p as usize),
                        china_day(ledger.time[p as usize]),
                    ),
                    p,
                );
            }
            _ => {
                ledger_class[i] = Some((
                    Class::Voided,
                    Cow::Owned(format!(
                        "void of reference {original}, which is not an open purchase in the ledger"
                    )),
                ));
            }
        }
    }

    // 2. Duplicates and 3. the reference index.
    let mut statement_by_ref: FxHashMap<RefKey<'_>, u32> =
        FxHashMap::with_capacity_and_hasher(m, Default::default());
    let mut statement_plain: FxHashMap<(&str, i64, i64, TradeKind), u32> = FxHashMap::default();
    for j in 0..m {
        let rrn = statement.rrn.get(j);
        let first = if rrn.is_empty() {
            *statement_plain
                .entry((
                    statement.terminal.get(j),
                    statement.time[j],
                    statement.amount_fen[j],
                    statement.kind[j],
                ))
                .or_insert(j as u32)
        } else {
            *statement_by_ref
                .entry((rrn, statement.terminal.get(j), china_day(statement.time[j])))
                .or_insert(j as u32)
        };
        if first != j as u32 {
            statement_class[j] = Some((
                Class::StatementDuplicate,
                Cow::Owned(format!(
                    "repeats statement row {first} (line {})",
                    statement.line[first as usize]
                )),
            ));
        }
    }
    let mut ledger_seen: FxHashMap<RefKey<'_>, u32> =
        FxHashMap::with_capacity_and_hasher(n, Default::default());
    let mut ledger_plain: FxHashMap<(&str, i64, i64, TradeKind), u32> = FxHashMap::default();
    for i in 0..n {
        if ledger_class[i].is_some() {
            continue;
        }
        let rrn = ledger.rrn.get(i);
        let first = if rrn.is_empty() {
            *ledger_plain
                .entry((
                    ledger.terminal.get(i),
                    ledger.time[i],
                    ledger.amount_fen[i],
                    ledger.kind[i],
                ))
                .or_insert(i as u32)
        } else {
            *ledger_seen
                .entry((rrn, ledger.terminal.get(i), china_day(ledger.time[i])))
                .or_insert(i as u32)
        };
        if first != i as u32 {
            ledger_class[i] = Some((
                Class::LedgerDuplicate,
                Cow::Owned(format!(
                    "repeats ledger row {first} (line {})",
                    ledger.line[first as usize]
                )),
            ));
        }
    }

    let mut ledger_partner = vec![NONE; n];
    let mut statement_partner = vec![NONE; m];
    let mut pairs = Vec::with_capacity(n.min(m));
    for i in 0..n {
        if ledger_class[i].is_some() || ledger.rrn.get(i).is_empty() {
            continue;
        }
        let key = (
            ledger.rrn.get(i),
            ledger.terminal.get(i),
            china_day(ledger.time[i]),
        );
        if let Some(&j) = statement_by_ref.get(&key) {
            if statement_partner[j as usize] == NONE && statement.kind[j as usize] == ledger.kind[i]
            {
                ledger_partner[i] = j;
                statement_partner[j as usize] = i as u32;
                pairs.push((i as u32, j, MatchedBy::Reference));
            }
        }
    }

    // 4. Fallback by terminal, amount, kind and time.
    let mut free: FxHashMap<(&str, i64, TradeKind), Vec<u32>> = FxHashMap::default();
    for j in 0..m {
        if statement_partner[j] == NONE && statement_class[j].is_none() {
            free.entry((
                statement.terminal.get(j),
                statement.amount_fen[j],
                statement.kind[j],
            ))
            .or_default()
            .push(j as u32);
        }
    }
    if !free.is_empty() {
        let mut waiting: Vec<u32> = (0..n as u32)
            .filter(|&i| ledger_partner[i as usize] == NONE && ledger_class[i as usize].is_none())
            .collect();
        waiting.sort_by_key(|&i| (ledger.time[i as usize], i));
        for i in waiting {
            let i = i as usize;
            let Some(candidates) =
                free.get(&(ledger.terminal.get(i), ledger.amount_fen[i], ledger.kind[i]))
            else {
                continue;
            };
            let ledger_rrn_empty = ledger.rrn.get(i).is_empty();
            let best = candidates
                .iter()
                .copied()
                .filter(|&j| statement_partner[j as usize] == NONE)
                .filter(|&j| ledger_rrn_empty || statement.rrn.get(j as usize).is_empty())
                .map(|j| ((statement.time[j as usize] - ledger.time[i]).abs(), j))
                .filter(|&(gap, _)| gap <= window_seconds)
                .min();
            if let Some((_, j)) = best {
                ledger_partner[i] = j;
                statement_partner[j as usize] = i as u32;
                pairs.push((i as u32, j, MatchedBy::TimeWindow));
            }
        }
    }

    // Unmatched rows.
    for i in 0..n {
        if ledger_class[i].is_none() && ledger_partner[i] == NONE {
            ledger_class[i] = Some((
                Class::NeverSettled,
                Cow::Owned(format!(
                    "approved {} of ¥{} at terminal {:?} has no statement row",
                    ledger.kind[i].name(),
                    crate::money::Money::from_fen(ledger.amount_fen[i]),
                    ledger.terminal.get(i)
                )),
            ));
        }
    }
    for j in 0..m {
        if statement_class[j].is_none() && statement_partner[j] == NONE {
            let key = (
                statement.rrn.get(j),
                statement.terminal.get(j),
                china_day(statement.time[j]),
            );
            let reason = match voided_keys.get(&key) {
                Some(p) => Cow::Owned(format!("settles ledger row {p}, which was voided")),
                None if statement.rrn.get(j).is_empty() => Cow::Borrowed(
                    "no ledger trade with the same terminal and amount within the time window",
                ),
                None => Cow::Owned(format!(
                    "no ledger trade with reference {} at terminal {:?} on that day",
                    statement.rrn.get(j),
                    statement.terminal.get(j)
                )),
            };
            statement_class[j] = Some((Class::NoLedgerTrade, reason));
        }
    }
    Matching {
        ledger_partner,
        statement_partner,
        ledger_class,
        statement_class,
        pairs,
    }
}

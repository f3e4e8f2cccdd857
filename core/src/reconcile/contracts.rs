//! Which contract each row is checked against: the single contract of
//! [`ReconcileOptions`], or with a [`Registry`] the contract of the row's merchant in force on
//! its trade date — found once per row, by index, before the checks. A refund or void in the
//! ledger is its purchase's: it is checked against the contract the purchase was (a terminal
//! may have moved to another merchant in between).

use chrono::NaiveDate;
use rayon::prelude::*;

use super::hash::{FxHashMap, ReferenceFilter};
use super::interned_text::values_of;
use super::matching::NONE;
use super::merchant::MerchantProfile;
use super::registry::Registry;
use super::schema::{china_day, Ledger, Statement};
use super::text_column::TextView;
use super::ReconcileOptions;
use crate::quote::TradeKind;
use crate::schedule::Schedule;

/// A contract to check rows against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Contract<'a> {
    pub schedule: &'a Schedule,
    pub profile: &'a MerchantProfile,
    pub agent: &'a str,
}

/// The contracts and, per row, the index of its contract ([`NONE`]: none found).
#[derive(Debug)]
pub(crate) struct Contracts<'a> {
    pub list: Vec<Contract<'a>>,
    pub registry: Option<&'a Registry>,
    /// Per ledger row (empty: every row has contract 0).
    ledger: Vec<u32>,
    /// Per statement row (empty: every row has contract 0).
    statement: Vec<u32>,
}

/// The trade date (China time) of a row's time.
pub(crate) fn trade_date(seconds: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + chrono::Days::new(china_day(seconds).max(0) as u64)
}

/// The trade date of the last row asked for, kept: rows come in runs of a day, and a date from
/// a day is a calendar computation (most of a pass over the rows when done for every row).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LastDate {
    day: i64,
    date: NaiveDate,
}

impl Default for LastDate {
    fn default() -> Self {
        LastDate { day: i64::MIN, date: NaiveDate::MIN }
    }
}

impl LastDate {
    /// The trade date of `seconds` ([`trade_date`]).
    pub fn of(&mut self, seconds: i64) -> NaiveDate {
        let day = china_day(seconds);
        if day != self.day {
            (self.day, self.date) = (day, trade_date(seconds));
        }
        self.date
    }
}

/// Per row, the index of the registry's contract of its terminal (or, for a row without a
/// terminal, of its merchant number) in force on its trade date; [`NONE`] where none is.
pub(crate) fn resolve_rows(registry: &Registry, times: &[i64], terminals: TextView<'_>, merchant_numbers: TextView<'_>) -> Vec<u32> {
    // Where the terminals are held once a value (as read from files), each value's contracts
    // are looked up once, and a row only picks the one in force on its day. `None`: the empty
    // value (no terminal).
    let of_value: Vec<Option<&[usize]>> = match &terminals {
        TextView::Interned { text, offsets, .. } => values_of(text, offsets)
            .map(|value| Some(value).filter(|value| !value.is_empty()).map(|value| registry.terminal_contracts(value)))
            .collect(),
        _ => Vec::new(),
    };
    (0..times.len())
        .into_par_iter()
        .with_min_len(4096)
        .map_init(LastDate::default, |last_date, k| {
            let day = last_date.of(times[k]);
            let candidates = match &terminals {
                TextView::Interned { keys, .. } => of_value[usize::from(keys[k])],
                _ => Some(terminals.get(k)).filter(|terminal| !terminal.is_empty()).map(|terminal| registry.terminal_contracts(terminal)),
            };
            // A row with a terminal is its terminal's merchant's (or no one's: an unknown
            // terminal); only a row without one is found by its merchant number.
            let found = match candidates {
                Some(contracts) => registry.in_force(contracts, day),
                None => {
                    let merchant_no = merchant_numbers.get(k);
                    if merchant_no.is_empty() {
                        None
                    } else {
                        registry.contract_for_merchant(merchant_no, day)
                    }
                }
            };
            found.map_or(NONE, |c| c as u32)
        })
        .collect()
}

/// Gives each ledger refund or void the contract of the purchase it reverses (same reference
/// and terminal), when that purchase is in the ledger and has one.
fn follow_purchases(ledger: &Ledger, contracts: &mut [u32]) {
    let (rrn, terminal, original) = (ledger.rrn.view(), ledger.terminal.view(), ledger.original_rrn.view());
    let reversals: Vec<usize> =
        (0..ledger.len()).filter(|&i| ledger.kind[i] != TradeKind::Purchase && !original.get(i).is_empty()).collect();
    if reversals.is_empty() {
        return;
    }
    let wanted: FxHashMap<(&str, &str), ()> = reversals.iter().map(|&i| ((original.get(i), terminal.get(i)), ())).collect();
    let filter = ReferenceFilter::new(reversals.iter().map(|&i| original.get(i)));
    let found: Vec<((&str, &str), u32)> = (0..ledger.len())
        .into_par_iter()
        .with_min_len(4096)
        .filter(|&i| {
            ledger.kind[i] == TradeKind::Purchase && filter.may_contain(rrn.get(i)) && wanted.contains_key(&(rrn.get(i), terminal.get(i)))
        })
        .map(|i| ((rrn.get(i), terminal.get(i)), contracts[i]))
        .collect();
    let mut purchases: FxHashMap<(&str, &str), u32> = FxHashMap::default();
    for (key, contract) in found {
        // The first purchase of a reference is the original (later ones are duplicates).
        purchases.entry(key).or_insert(contract);
    }
    for i in reversals {
        match purchases.get(&(original.get(i), terminal.get(i))) {
            Some(&contract) if contract != NONE => contracts[i] = contract,
            _ => {}
        }
    }
}

impl<'a> Contracts<'a> {
    /// The contracts of `options`, resolved for every row of both tables.
    pub fn resolve(ledger: &Ledger, statement: &Statement, options: &'a ReconcileOptions) -> Contracts<'a> {
        match options.merchants.as_deref() {
            None => Contracts {
                list: vec![Contract { schedule: &options.schedule, profile: &options.profile, agent: "" }],
                registry: None,
                ledger: Vec::new(),
                statement: Vec::new(),
            },
            Some(registry) => {
                let list =
                    registry.contracts().iter().map(|c| Contract { schedule: &c.schedule, profile: &c.profile, agent: &c.agent }).collect();
                let (ledger_contracts, statement) = rayon::join(
                    || {
                        let mut contracts = resolve_rows(registry, &ledger.time, ledger.terminal.view(), ledger.merchant_no.view());
                        follow_purchases(ledger, &mut contracts);
                        contracts
                    },
                    || resolve_rows(registry, &statement.time, statement.terminal.view(), statement.merchant_no.view()),
                );
                let ledger = ledger_contracts;
                Contracts { list, registry: Some(registry), ledger, statement }
            }
        }
    }

    /// Whether rows are checked against a registry's contracts.
    pub fn is_portfolio(&self) -> bool {
        self.registry.is_some()
    }

    /// The contract of ledger row `i` ([`NONE`] when none).
    #[inline]
    pub fn ledger(&self, i: usize) -> u32 {
        if self.ledger.is_empty() {
            0
        } else {
            self.ledger[i]
        }
    }

    /// The contract of statement row `j` ([`NONE`] when none).
    #[inline]
    pub fn statement(&self, j: usize) -> u32 {
        if self.statement.is_empty() {
            0
        } else {
            self.statement[j]
        }
    }

    /// The contract of a matched pair: the ledger row's (the merchant's own record), else the
    /// statement row's.
    #[inline]
    pub fn pair(&self, i: usize, j: usize) -> u32 {
        match self.ledger(i) {
            NONE => self.statement(j),
            c => c,
        }
    }
}

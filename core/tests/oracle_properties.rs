//! posfee against the independent oracle (`tests/oracle/mod.rs`): `Schedule::quote`,
//! `Schedule::quote_refund`, the bulk `FeeKernel` and reconciliation's expected fee, on the
//! presets and on generated schedules, for trades over 2005–2026.
//!
//! Every error is counted by code and the share of errors is asserted within a stated band,
//! so a change that makes most cases fail (and so skip the value checks) fails the test.

mod oracle;

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use posfee::reconcile::{
    reconcile, Class, FeeKernel, Ledger, LedgerRecord, MerchantProfile, ReconcileOptions, Side, Statement, StatementRecord,
};
use posfee::{
    Calendar, CalendarPolicy, CardType, Channel, Column, Money, OnInvalid, QuoteRequest, Schedule, SettlementMode, TableOptions, TradeKind,
    TradeTable, Warnings,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use oracle::{Days, Settle, Trade};

const CHANNELS: [&str; 8] = ["credit", "debit", "wechat", "alipay", "unionpay_qr", "quickpass", "huabei", "jd_baitiao"];
const MODES: [&str; 8] = ["T0", "T1", "T2", "T3", "D0", "D1", "D2", "S0"];

fn days() -> &'static Days {
    static DAYS: std::sync::OnceLock<Days> = std::sync::OnceLock::new();
    DAYS.get_or_init(Days::china)
}

/// Counts of outcomes by name, for the share assertions.
#[derive(Default, Debug)]
struct Tally(BTreeMap<String, u64>);

impl Tally {
    fn add(&mut self, name: &str) {
        *self.0.entry(name.to_string()).or_default() += 1;
    }
    fn get(&self, name: &str) -> u64 {
        self.0.get(name).copied().unwrap_or(0)
    }
    fn total(&self) -> u64 {
        self.0.values().sum()
    }
    fn share(&self, names: &[&str]) -> f64 {
        names.iter().map(|n| self.get(n)).sum::<u64>() as f64 / self.total().max(1) as f64
    }
}

fn at_of(unix: i64, utc: bool) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(if utc { 0 } else { 8 * 3600 }).unwrap();
    DateTime::from_timestamp(unix, 0).unwrap().with_timezone(&offset)
}

fn request_of(trade: &Trade, utc: bool) -> QuoteRequest {
    let amount = Money::from_millifen(i64::try_from(trade.amount).unwrap()).unwrap();
    let mut request = QuoteRequest::new(amount, Channel::parse(&trade.channel).unwrap(), at_of(trade.at, utc))
        .settlement(SettlementMode::parse(&trade.settle.text()).unwrap());
    request.merchant_class = trade.class.clone();
    request.card_type = trade.card.as_deref().map(|c| CardType::parse(c).unwrap());
    request
}

fn mode_of(mode: SettlementMode) -> Settle {
    Settle::parse(&mode.to_string()).unwrap()
}

/// Compares one purchase quote with the oracle; returns the outcome's name for the tally.
fn check_quote(schedule: &Schedule, model: &oracle::Schedule, trade: &Trade, utc: bool) -> Result<String, TestCaseError> {
    let request = request_of(trade, utc);
    let expected = model.quote(trade, days());
    let actual = schedule.quote(&request);
    let context = || format!("{trade:?} (utc {utc}) under\n{}", schedule.to_toml());
    match (expected, actual) {
        (Err(code), Err(error)) => {
            prop_assert_eq!(code, error.code(), "error {} for {}", error, context());
            Ok(code.to_string())
        }
        (Err(code), Ok(quote)) => {
            Err(TestCaseError::fail(format!("oracle: {code}; posfee: fee {} rule {} for {}", quote.fee, quote.rule, context())))
        }
        (Ok(quoted), Err(error)) => Err(TestCaseError::fail(format!("oracle: {quoted:?}; posfee: {error} for {}", context()))),
        (Ok(quoted), Ok(quote)) => {
            let p = &quoted.priced;
            prop_assert_eq!(&*quote.rule, p.rule.as_str(), "rule for {}", context());
            prop_assert_eq!(quote.version_effective_from.timestamp(), p.version_from, "version for {}", context());
            prop_assert_eq!(i128::from(quote.lines[0].before_limit.millifen()), p.before_limit, "before limit for {}", context());
            prop_assert_eq!(i128::from(quote.lines[0].amount.millifen()), p.rate_line, "rate line for {}", context());
            prop_assert_eq!(quote.cap_applied(), p.capped, "cap for {}", context());
            prop_assert_eq!(quote.floor_applied(), p.floored, "floor for {}", context());
            let surcharges: Vec<(String, i128)> = quote
                .lines
                .iter()
                .filter(|l| l.kind == posfee::FeeLineKind::Surcharge)
                .map(|l| (l.source.to_string(), i128::from(l.amount.millifen())))
                .collect();
            prop_assert_eq!(&surcharges, &p.surcharges, "surcharges for {}", context());
            let fixed: i128 =
                quote.lines.iter().filter(|l| l.kind == posfee::FeeLineKind::Fixed).map(|l| i128::from(l.amount.millifen())).sum();
            prop_assert_eq!(fixed, p.fixed, "fixed for {}", context());
            prop_assert_eq!(i128::from(quote.fee.millifen()), p.fee, "fee for {}", context());
            prop_assert_eq!(i128::from(quote.net.millifen()), trade.amount - p.fee, "net for {}", context());
            prop_assert_eq!(quote.fee_exceeds_amount, p.fee > trade.amount, "fee_exceeds_amount for {}", context());
            prop_assert_eq!(mode_of(quote.settlement), p.settle, "settlement mode for {}", context());
            prop_assert_eq!(quote.instant_minimum.is_some(), p.fell_back, "fallback for {}", context());
            prop_assert_eq!(quote.trade_day, quoted.trade_day, "trade day for {}", context());
            prop_assert_eq!(quote.settles_on, quoted.settles_on, "settles_on for {}", context());
            let mut name = String::from("ok");
            if p.capped {
                name.push_str(" capped");
            }
            if p.floored {
                name.push_str(" floored");
            }
            if p.fell_back {
                name.push_str(" fell_back");
            }
            if !p.surcharges.is_empty() {
                name.push_str(" surcharged");
            }
            Ok(name)
        }
    }
}

/// Compares a refund of `share` thousandths of the purchase, `later` seconds after it.
fn check_refund(schedule: &Schedule, model: &oracle::Schedule, trade: &Trade, refund: i128, later: i64) -> Result<String, TestCaseError> {
    let request = request_of(trade, false);
    let at = at_of(trade.at + later, false);
    let expected = model.refund(trade, refund, trade.at + later, days());
    let actual = schedule.quote_refund(&request, Money::from_millifen(refund as i64).unwrap(), at);
    let context = || format!("refund {refund} at +{later}s of {trade:?} under\n{}", schedule.to_toml());
    match (expected, actual) {
        (Err(code), Err(error)) => {
            prop_assert_eq!(code, error.code(), "{} for {}", error, context());
            Ok(format!("refund {code}"))
        }
        (Ok((returned, trade_day, on)), Ok(quote)) => {
            prop_assert_eq!(quote.kind, TradeKind::Refund);
            prop_assert_eq!(i128::from(quote.fee_returned.millifen()), returned, "returned for {}", context());
            prop_assert_eq!(quote.fee, Money::ZERO);
            prop_assert_eq!(i128::from(quote.net.millifen()), returned - refund, "net for {}", context());
            prop_assert_eq!(quote.trade_day, trade_day, "trade day for {}", context());
            prop_assert_eq!(quote.settles_on, on, "settles_on for {}", context());
            Ok(if returned > 0 { "refund returned".into() } else { "refund kept".into() })
        }
        (expected, actual) => Err(TestCaseError::fail(format!("oracle {expected:?}, posfee {actual:?} for {}", context()))),
    }
}

/// The kernel against the oracle's price of a trade without a card type, at the trade's time.
fn check_kernel(schedule: &Schedule, model: &oracle::Schedule, trade: &Trade) -> Result<String, TestCaseError> {
    if trade.amount < 0 || trade.amount % 1_000 != 0 || trade.amount > oracle::MAX_AMOUNT_MILLIFEN {
        return Ok("kernel skipped (amount)".into());
    }
    let mode = SettlementMode::parse(&trade.settle.text()).unwrap();
    let channel = Channel::parse(&trade.channel).unwrap();
    let kernel = match FeeKernel::new(schedule, at_of(trade.at, false), trade.class.as_deref(), mode) {
        Ok(kernel) => kernel,
        Err(error) => {
            prop_assert_eq!(error.code(), "no_schedule_version");
            prop_assert!(model.version_at(trade.at).is_none());
            return Ok("kernel no_schedule_version".into());
        }
    };
    let plain = Trade { card: None, ..trade.clone() };
    let priced = model.price(&plain);
    let version = model.version_at(trade.at).unwrap();
    // The documented scope of the kernel: channels whose rules have no band, window or card
    // type, with no instant-payout minimum and at most one surcharge for the mode.
    let rules: Vec<_> = version.rules.iter().filter(|r| r.channels.contains(&trade.channel)).collect();
    let unconditional = !rules.is_empty()
        && rules.iter().all(|r| r.over.is_none() && r.up_to.is_none() && r.from.is_none() && r.until.is_none() && r.card.is_none());
    let applicable: Vec<_> = version
        .surcharges
        .iter()
        .filter(|s| s.modes.contains(&trade.settle) && s.channels.as_ref().map_or(true, |c| c.contains(&trade.channel)))
        .collect();
    let in_scope = unconditional && applicable.iter().all(|s| s.min.is_none()) && applicable.len() <= 1;
    let amount_fen = (trade.amount / 1_000) as i64;
    match (kernel.fee(amount_fen, channel), &priced) {
        (Some(fee), Ok(p)) => {
            prop_assert_eq!(i128::from(fee.millifen()), p.fee, "kernel fee of {:?} under\n{}", trade, schedule.to_toml());
            let mut out = [0i64; 2];
            kernel.fees_millifen(&[amount_fen, amount_fen], &[channel, channel], &mut out).unwrap();
            prop_assert_eq!(i128::from(out[1]), p.fee, "kernel column fee of {:?}", trade);
            Ok("kernel priced".into())
        }
        (Some(fee), Err(code)) => Err(TestCaseError::fail(format!("kernel priced {fee} where the oracle says {code}: {trade:?}"))),
        (None, Ok(_)) if in_scope => {
            Err(TestCaseError::fail(format!("the kernel leaves out a channel in its scope: {trade:?}\n{}", schedule.to_toml())))
        }
        (None, _) => Ok("kernel not in scope".into()),
    }
}

/// `Schedule::quote_table` (both calendar policies, raise and report) and `fee_table` against
/// `Schedule::quote` row by row, on the trades with whole-fen amounts as one table; returns
/// how many rows were quoted.
fn check_table(schedule: &Schedule, trades: &[Trade]) -> Result<usize, TestCaseError> {
    let trades: Vec<&Trade> = trades.iter().filter(|t| t.amount % 1_000 == 0).collect();
    const CLASSES: [&str; 4] = ["", "discounted", "waived", "hotel"];
    let amounts: Vec<i64> = trades.iter().map(|t| (t.amount / 1_000) as i64).collect();
    let channels: Vec<Channel> = trades.iter().map(|t| Channel::parse(&t.channel).unwrap()).collect();
    let times: Vec<i64> = trades.iter().map(|t| t.at).collect();
    let modes: Vec<SettlementMode> = trades.iter().map(|t| SettlementMode::parse(&t.settle.text()).unwrap()).collect();
    let classes: Vec<u32> =
        trades.iter().map(|t| CLASSES.iter().position(|c| Some(*c) == t.class.as_deref()).unwrap_or(0) as u32).collect();
    let cards: Vec<Option<CardType>> = trades.iter().map(|t| t.card.as_deref().map(|c| CardType::parse(c).unwrap())).collect();
    let table = TradeTable::new(&amounts, Column::Each(&channels), Column::Each(&times))
        .settlement(Column::Each(&modes))
        .merchant_class(&CLASSES, Column::Each(&classes))
        .card_type(Column::Each(&cards));
    let mut quoted_rows = 0;
    for policy in [CalendarPolicy::Strict, CalendarPolicy::WeekendsOnly] {
        let report = TableOptions { on_invalid: OnInvalid::Report, calendar_policy: policy };
        let quoted = schedule.quote_table(&table, &report).map_err(|e| TestCaseError::fail(format!("table refused: {e}")))?;
        let mut first_error = None;
        for (row, trade) in trades.iter().enumerate() {
            let request = request_of(trade, false).calendar_policy(policy);
            let context = || format!("row {row} {trade:?} under\n{}", schedule.to_toml());
            match schedule.quote(&request) {
                Ok(quote) => {
                    prop_assert!(quoted.is_valid(row), "table error {:?} where quote prices: {}", quoted.error(row), context());
                    prop_assert_eq!(quoted.fee[row], quote.fee, "fee {}", context());
                    prop_assert_eq!(quoted.net[row], quote.net, "net {}", context());
                    prop_assert_eq!(quoted.rule_id(row), &*quote.rule, "rule {}", context());
                    prop_assert_eq!(quoted.limit[row], quote.lines[0].limit.map(|l| l.kind), "limit {}", context());
                    prop_assert_eq!(quoted.settlement_applied[row], quote.settlement, "settlement {}", context());
                    prop_assert_eq!(quoted.trade_day[row], quote.trade_day, "trade day {}", context());
                    prop_assert_eq!(quoted.settles_on[row], quote.settles_on, "settles on {}", context());
                    prop_assert_eq!(quoted.warnings[row], Warnings::of(&quote), "warnings {}", context());
                    quoted_rows += 1;
                }
                Err(error) => {
                    first_error.get_or_insert((row, error.code()));
                    let got =
                        quoted.error(row).ok_or_else(|| TestCaseError::fail(format!("table priced, quote says {error}: {}", context())))?;
                    prop_assert_eq!(got.code(), error.code(), "{}", context());
                    prop_assert_eq!(got.message(), format!("row {row}: {}", error.message()));
                    prop_assert!(got.location().field.is_some());
                }
            }
        }
        // Raise: the first bad row's error, or the same table.
        match (schedule.quote_table(&table, &TableOptions { on_invalid: OnInvalid::Raise, calendar_policy: policy }), first_error) {
            (Ok(raised), None) => prop_assert_eq!(&raised, &quoted),
            (Err(error), Some((row, code))) => {
                prop_assert_eq!(error.code(), code);
                prop_assert!(error.message().starts_with(&format!("row {row}: ")), "{}", error);
            }
            (outcome, expected) => return Err(TestCaseError::fail(format!("raise gave {outcome:?}, expected error {expected:?}"))),
        }
        // Fees only: the same fees, a calendar never in the way.
        let (fees, errors) = schedule.fee_table(&table, OnInvalid::Report).unwrap();
        for (row, fee) in fees.iter().enumerate() {
            if quoted.is_valid(row) {
                prop_assert_eq!(*fee, quoted.fee[row], "fee_table row {}", row);
            } else if quoted.error(row).unwrap().code() != "calendar_out_of_range" {
                prop_assert!(errors.iter().any(|e| e.row == row), "fee_table priced bad row {}", row);
            }
        }
    }
    // Fees only, on tables whose rows share a mode, class and card type (where `fee_table`
    // takes one lane a channel): each such group of trades as a table of its own, at the
    // trades' own times and all at the group's first time (one time span for sure).
    let mut groups: Vec<(SettlementMode, u32, Option<CardType>)> = Vec::new();
    for key in modes.iter().zip(&classes).zip(&cards).map(|((m, c), k)| (*m, *c, *k)) {
        if !groups.contains(&key) {
            groups.push(key);
        }
    }
    for (mode, class, card) in groups {
        let rows: Vec<usize> = (0..trades.len()).filter(|&r| (modes[r], classes[r], cards[r]) == (mode, class, card)).collect();
        let amounts: Vec<i64> = rows.iter().map(|&r| amounts[r]).collect();
        let channels: Vec<Channel> = rows.iter().map(|&r| channels[r]).collect();
        let times: Vec<i64> = rows.iter().map(|&r| times[r]).collect();
        for time in [Column::Each(&times[..]), Column::All(times[0])] {
            let channel_columns = match channels.iter().all(|c| *c == channels[0]) {
                true => vec![Column::Each(&channels[..]), Column::All(channels[0])],
                false => vec![Column::Each(&channels[..])],
            };
            for channel in channel_columns {
                let table = TradeTable::new(&amounts, channel, time)
                    .settlement(Column::All(mode))
                    .merchant_class(&CLASSES, Column::All(class))
                    .card_type(Column::All(card));
                let (fees, errors) = schedule.fee_table(&table, OnInvalid::Report).unwrap();
                for (k, &r) in rows.iter().enumerate() {
                    let trade = Trade { at: time.get(k), ..trades[r].clone() };
                    let context = || format!("grouped row {k} {trade:?} ({time:?}) under\n{}", schedule.to_toml());
                    match schedule.quote(&request_of(&trade, false).calendar_policy(CalendarPolicy::WeekendsOnly)) {
                        Ok(quote) => {
                            prop_assert!(!errors.iter().any(|e| e.row == k), "fee_table error where quote prices: {}", context());
                            prop_assert_eq!(fees[k], quote.fee, "fee_table fee {}", context());
                        }
                        Err(error) if error.code() != "calendar_out_of_range" => {
                            prop_assert!(errors.iter().any(|e| e.row == k), "fee_table priced {}: {}", error, context());
                            prop_assert_eq!(fees[k], Money::ZERO, "a row in error has no fee: {}", context());
                        }
                        Err(_) => {}
                    }
                }
            }
        }
    }
    Ok(quoted_rows)
}

// ---------------------------------------------------------------------------------------
// Generators.

/// Seconds from 2005-01-01 00:00 China time to the end of 2026.
const SPAN_SECONDS: i64 = 8_035 * 86_400;
const START_2005: i64 = 1_104_508_800; // 2005-01-01T00:00:00+08:00

fn trade_strategy() -> impl Strategy<Value = (Trade, bool)> {
    let amount = prop_oneof![
        4 => (0i128..10_000).prop_map(|f| f * 1_000),
        4 => (0i128..2_000_000).prop_map(|f| f * 1_000),
        1 => (0i128..=100_000_000_000).prop_map(|f| f * 1_000),
        1 => (-5_000i128..0).prop_map(|f| f * 1_000),
        1 => (0i128..1_000_000_000).prop_filter("sub-fen", |m| m % 1_000 != 0),
    ];
    let time = prop_oneof![
        6 => 0i64..SPAN_SECONDS,
        // around the cut-offs and midnight
        2 => (0i64..8_035, prop_oneof![Just(79_200i64), Just(81_600), Just(82_800), Just(86_399), Just(0)], -2i64..2)
            .prop_map(|(day, second, delta)| (day * 86_400 + second + delta).clamp(0, SPAN_SECONDS - 1)),
        // the last days of the data
        2 => (SPAN_SECONDS - 6 * 86_400)..SPAN_SECONDS,
    ];
    (
        amount,
        0usize..8,
        time,
        0usize..8,
        prop_oneof![4 => Just(None), 1 => Just(Some("discounted")), 1 => Just(Some("waived")), 1 => Just(Some("hotel"))],
        prop_oneof![4 => Just(None), 1 => Just(Some("credit")), 1 => Just(Some("debit"))],
        prop_oneof![4 => Just(false), 1 => Just(true)],
    )
        .prop_map(|(amount, channel, time, mode, class, card, utc)| {
            let trade = Trade {
                amount,
                channel: CHANNELS[channel].to_string(),
                at: START_2005 + time,
                settle: Settle::parse(MODES[mode]).unwrap(),
                class: class.map(str::to_string),
                card: card.map(str::to_string),
            };
            (trade, utc)
        })
}

#[derive(Debug, Clone)]
struct RuleGen {
    mask: u8,
    rate_e8: i64,
    cap: Option<i64>,
    floor: Option<i64>,
    fixed: Option<i64>,
    band: Option<(Option<i64>, Option<i64>)>,
    window: Option<(Option<i64>, Option<i64>)>,
    class: Option<&'static str>,
    card: Option<&'static str>,
    priority: i32,
}

#[derive(Debug, Clone)]
struct SurchargeGen {
    modes: u8,
    channels: Option<u8>,
    fixed: Option<i64>,
    rate_e8: Option<i64>,
    min_fen: Option<i64>,
    fallback: usize,
}

#[derive(Debug, Clone)]
struct ScheduleGen {
    mode: usize,
    scale: u32,
    cutoff: usize,
    proportional: bool,
    versions: Vec<(i64, Vec<RuleGen>, Vec<SurchargeGen>)>,
}

const SPECIAL_RATES: [i64; 8] = [0, 380_000, 500_000, 550_000, 600_000, 680_000, 1_250_000, 10_000_000];

fn rule_strategy() -> impl Strategy<Value = RuleGen> {
    let fen_band = prop_oneof![Just(0i64), Just(100_000), Just(500_000), 0i64..1_000_000];
    (
        prop_oneof![3 => 1u8..=255, 1 => Just(255u8), 1 => Just(1u8), 1 => Just(0b0011_0000u8)],
        prop_oneof![Just(0usize), 1usize..8].prop_flat_map(
            |k| {
                if k == 0 {
                    (0i64..1_000_000).boxed()
                } else {
                    Just(SPECIAL_RATES[k]).boxed()
                }
            },
        ),
        proptest::option::weighted(0.3, prop_oneof![0i64..3_000_000, Just(2_000_000), Just(1_800_000)]),
        proptest::option::weighted(0.2, 0i64..600_000),
        proptest::option::weighted(0.2, prop_oneof![0i64..400_000, Just(300_000), Just(10_000)]),
        proptest::option::weighted(0.3, (proptest::option::of(fen_band.clone()), proptest::option::of(fen_band))),
        proptest::option::weighted(0.2, (proptest::option::of(0i64..SPAN_SECONDS), proptest::option::of(0i64..SPAN_SECONDS))),
        proptest::option::weighted(0.25, prop_oneof![Just("discounted"), Just("waived")]),
        proptest::option::weighted(0.15, prop_oneof![Just("credit"), Just("debit")]),
        prop_oneof![4 => Just(0i32), 1 => -2i32..4],
    )
        .prop_map(|(mask, rate_e8, cap, floor, fixed, band, window, class, card, priority)| RuleGen {
            mask,
            // Bands and windows in order (an empty one is refused by both sides, rarely worth a case).
            band: band.map(|(a, b)| match (a, b) {
                (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
                other => other,
            }),
            window: window.map(|(a, b)| match (a, b) {
                (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
                other => other,
            }),
            rate_e8,
            cap,
            floor,
            fixed,
            class,
            card,
            priority,
        })
}

fn surcharge_strategy() -> impl Strategy<Value = SurchargeGen> {
    (
        1u8..16,
        proptest::option::of(1u8..=255),
        proptest::option::weighted(0.7, prop_oneof![Just(300_000i64), Just(200_000), 0i64..500_000]),
        proptest::option::weighted(0.4, prop_oneof![Just(30_000i64), Just(100_000), 0i64..300_000]),
        proptest::option::weighted(0.4, prop_oneof![Just(10_000i64), 0i64..50_000]),
        0usize..6,
    )
        .prop_map(|(modes, channels, fixed, rate_e8, min_fen, fallback)| SurchargeGen {
            modes,
            channels,
            fixed,
            rate_e8,
            min_fen,
            fallback,
        })
}

fn schedule_strategy() -> impl Strategy<Value = ScheduleGen> {
    let version = (
        prop_oneof![3 => Just(-1i64), 2 => -400 * 86_400i64..SPAN_SECONDS],
        proptest::collection::vec(rule_strategy(), 1..6),
        prop_oneof![2 => Just(Vec::new()), 1 => proptest::collection::vec(surcharge_strategy(), 1..3)],
        // Most versions rank their rules by distinct priorities (file order reversed), so
        // that most schedules are valid; the others keep the generated priorities, which
        // often leave two rules tied (a schedule both sides must refuse).
        prop_oneof![3 => Just(true), 1 => Just(false)],
    )
        .prop_map(|(from, mut rules, surcharges, ranked)| {
            if ranked {
                let count = rules.len() as i32;
                for (k, rule) in rules.iter_mut().enumerate() {
                    rule.priority = count - k as i32;
                }
            }
            (from, rules, surcharges)
        });
    (0usize..4, 0u32..=5, 0usize..4, any::<bool>(), proptest::collection::vec(version, 1..4)).prop_map(
        |(mode, scale, cutoff, proportional, mut versions)| {
            // The first version mostly starts before the trades; later ones in order.
            versions.sort_by_key(|v| v.0);
            if let Some(first) = versions.first_mut() {
                if first.0 == -1 {
                    first.0 = -400 * 86_400;
                }
            }
            let mut last = i64::MIN;
            for version in &mut versions {
                if version.0 <= last {
                    version.0 = last + 86_400 * 30;
                }
                last = version.0;
            }
            ScheduleGen { mode, scale, cutoff, proportional, versions }
        },
    )
}

/// `value × 10^-decimals` as a decimal text.
fn decimal(value: i64, decimals: u32) -> String {
    let unit = 10i64.pow(decimals);
    format!("{}.{:0width$}", value / unit, value % unit, width = decimals as usize)
}

fn money_text(millifen: i64) -> String {
    oracle::yuan(i128::from(millifen), 5)
}

fn time_text(offset: i64) -> String {
    // Alternate China-time and UTC spellings of the instant.
    let at = START_2005 + offset;
    if offset % 2 == 0 {
        oracle::china_text(at)
    } else {
        DateTime::from_timestamp(at, 0).unwrap().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

fn channels_text(mask: u8) -> String {
    let names: Vec<String> = (0..8).filter(|k| mask & (1 << k) != 0).map(|k| format!("\"{}\"", CHANNELS[k])).collect();
    format!("[{}]", names.join(", "))
}

fn render(spec: &ScheduleGen) -> String {
    let mode = ["half_up", "half_even", "up", "down"][spec.mode];
    let unit = 10i64.pow(5 - spec.scale);
    let quantize = |v: i64| v - v % unit;
    let mut text = format!("name = \"generated\"\nrefund_policy = \"{}\"\n", if spec.proportional { "proportional" } else { "keep_fee" });
    if let Some(cutoff) = [None, Some("22:00"), Some("22:40"), Some("23:00")][spec.cutoff] {
        text.push_str(&format!("cutoff = \"{cutoff}\"\n"));
    }
    text.push_str(&format!("[rounding]\nmode = \"{mode}\"\nscale = {}\n", spec.scale));
    for (from, rules, surcharges) in &spec.versions {
        text.push_str(&format!("[[versions]]\neffective_from = \"{}\"\n", time_text(*from)));
        for (k, rule) in rules.iter().enumerate() {
            text.push_str(&format!(
                "[[versions.rules]]\nid = \"r{k}\"\nchannels = {}\nrate = \"{}%\"\n",
                channels_text(rule.mask),
                decimal(rule.rate_e8, 6),
            ));
            if rule.priority != 0 {
                text.push_str(&format!("priority = {}\n", rule.priority));
            }
            for (key, value) in [("cap", rule.cap), ("floor", rule.floor), ("fixed", rule.fixed)] {
                if let Some(value) = value {
                    text.push_str(&format!("{key} = \"{}\"\n", money_text(quantize(value))));
                }
            }
            if let Some((over, up_to)) = rule.band {
                if let Some(over) = over {
                    text.push_str(&format!("amount_over = \"{}\"\n", money_text(over * 1_000)));
                }
                if let Some(up_to) = up_to {
                    text.push_str(&format!("amount_up_to = \"{}\"\n", money_text(up_to * 1_000)));
                }
            }
            if let Some((from, until)) = rule.window {
                if let Some(from) = from {
                    text.push_str(&format!("valid_from = \"{}\"\n", time_text(from)));
                }
                if let Some(until) = until {
                    text.push_str(&format!("valid_until = \"{}\"\n", time_text(until)));
                }
            }
            if let Some(class) = rule.class {
                text.push_str(&format!("merchant_class = \"{class}\"\n"));
            }
            if let Some(card) = rule.card {
                text.push_str(&format!("card_type = \"{card}\"\n"));
            }
        }
        for (k, s) in surcharges.iter().enumerate() {
            let modes: Vec<String> = ["T0", "D0", "S0", "D1"]
                .iter()
                .enumerate()
                .filter(|(b, _)| s.modes & (1 << b) != 0)
                .map(|(_, m)| format!("\"{m}\""))
                .collect();
            text.push_str(&format!("[[versions.surcharges]]\nid = \"s{k}\"\nmodes = [{}]\n", modes.join(", ")));
            if let Some(channels) = s.channels {
                text.push_str(&format!("channels = {}\n", channels_text(channels)));
            }
            if let Some(fixed) = s.fixed {
                text.push_str(&format!("fixed = \"{}\"\n", money_text(quantize(fixed))));
            }
            if let Some(rate) = s.rate_e8 {
                text.push_str(&format!("rate = \"{}bp\"\n", decimal(rate, 4)));
            }
            if let Some(min) = s.min_fen {
                text.push_str(&format!("min_amount = \"{}\"\n", money_text(min * 1_000)));
            }
            text.push_str(&format!("fallback = \"{}\"\n", ["T1", "T1", "T0", "D1", "D0", "T2"][s.fallback]));
        }
    }
    text
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() })
}

fn report(name: &str, tally: &Tally) {
    eprintln!("{name}: {} outcomes", tally.total());
    for (outcome, count) in &tally.0 {
        eprintln!("  {outcome:<40} {count:>7} ({:.1}%)", 100.0 * *count as f64 / tally.total() as f64);
    }
}

// ---------------------------------------------------------------------------------------
// The oracle's own facts (so that a broken oracle does not pass as a broken posfee).

#[test]
fn the_oracle_day_table_has_the_2026_notice() {
    let days = days();
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    // DOMAIN.md §3: 2026 days off and make-up working days.
    for (from, to) in [
        (d(1, 1), d(1, 3)),
        (d(2, 15), d(2, 23)),
        (d(4, 4), d(4, 6)),
        (d(5, 1), d(5, 5)),
        (d(6, 19), d(6, 21)),
        (d(9, 25), d(9, 27)),
        (d(10, 1), d(10, 7)),
    ] {
        let mut day = from;
        while day <= to {
            assert_eq!(days.is_working(day), Some(false), "{day}");
            day += Duration::days(1);
        }
    }
    for makeup in [d(1, 4), d(2, 14), d(2, 28), d(5, 9), d(9, 20), d(10, 10)] {
        assert_eq!(days.is_working(makeup), Some(true), "{makeup}");
    }
    // The 2018 UnionPay notice: trades of 4/4–4/7 paid on Sunday 4/8, a make-up day.
    assert_eq!(days.working_after(NaiveDate::from_ymd_opt(2018, 4, 4).unwrap(), 1), NaiveDate::from_ymd_opt(2018, 4, 8));
    assert_eq!(days.first, NaiveDate::from_ymd_opt(2005, 1, 1).unwrap());
    assert_eq!(days.last(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    assert_eq!(days.working_after(days.last(), 1), None);
    assert_eq!(oracle::Mode::HalfEven.round(25, 10), 2);
    assert_eq!(oracle::Mode::HalfEven.round(35, 10), 4);
    assert_eq!(oracle::Mode::HalfUp.round(25, 10), 3);
    assert_eq!(oracle::Mode::Up.round(21, 10), 3);
    assert_eq!(oracle::Mode::Down.round(29, 10), 2);
    assert_eq!(oracle::rate("0.60%"), Some(600_000));
    assert_eq!(oracle::rate("60bp"), Some(600_000));
    assert_eq!(oracle::rate("0.006"), Some(600_000));
    assert_eq!(oracle::money("0.1"), Some(10_000));
}

/// Every day of the data: posfee's calendar and the oracle's table agree.
#[test]
fn the_calendar_agrees_with_the_oracle_on_every_day() {
    let days = days();
    let calendar = Calendar::china();
    let mut day = days.first;
    let mut working = 0;
    while day <= days.last() {
        let expected = days.is_working(day).unwrap();
        assert_eq!(calendar.is_business_day(day).unwrap(), expected, "{day}");
        working += i32::from(expected);
        day += Duration::days(1);
    }
    assert!((5_300..5_600).contains(&working), "{working} working days in 2005–2026");
    assert!(calendar.is_business_day(days.last() + Duration::days(1)).is_err());
    assert!(calendar.is_business_day(days.first - Duration::days(1)).is_err());
}

// ---------------------------------------------------------------------------------------
// The presets.

#[test]
fn presets_agree_with_the_oracle() {
    let tally = Mutex::new(Tally::default());
    let presets: Vec<(Schedule, oracle::Schedule)> = posfee::presets()
        .into_iter()
        .map(|name| {
            let text = posfee::preset_toml(name).unwrap();
            (Schedule::from_toml(text).unwrap(), oracle::Schedule::from_toml(text).unwrap())
        })
        .collect();
    let presets = &presets;
    let mut runner = runner(4_000);
    // Three trades in four are moved into the presets' years (from 2016-09-06, 3,769 days).
    let strategy = (0..presets.len(), trade_strategy(), 0usize..4, 0i128..=1_100, -3_600i64..(5 * 86_400), prop::bool::weighted(0.75));
    let result = runner.run(&strategy, |(index, (mut trade, utc), rounding, share, later, recent)| {
        const START_2016_09_06: i64 = 1_473_091_200;
        if recent && trade.at < START_2016_09_06 {
            trade.at = START_2016_09_06 + (trade.at - START_2005).rem_euclid(3_769 * 86_400);
        }
        let (schedule, model) = &presets[index];
        // Each preset under every rounding mode at the fen.
        let (schedule, model) = if rounding == 0 {
            (schedule.clone(), model.clone())
        } else {
            let mode = [posfee::RoundingMode::HalfUp, posfee::RoundingMode::HalfEven, posfee::RoundingMode::Up, posfee::RoundingMode::Down]
                [rounding];
            let model_mode = [oracle::Mode::HalfUp, oracle::Mode::HalfEven, oracle::Mode::Up, oracle::Mode::Down][rounding];
            (schedule.with_rounding(posfee::Rounding::new(mode, 2).unwrap()), oracle::Schedule { mode: model_mode, ..model.clone() })
        };
        let outcome = check_quote(&schedule, &model, &trade, utc)?;
        let kernel = check_kernel(&schedule, &model, &trade)?;
        let refund = if outcome.starts_with("ok") {
            let proportional =
                (schedule.with_refund_policy(posfee::RefundPolicy::Proportional), oracle::Schedule { proportional: true, ..model.clone() });
            check_refund(&proportional.0, &proportional.1, &trade, trade.amount / 1_000 * share / 1_000 * 1_000, later)?
        } else {
            String::new()
        };
        let mut tally = tally.lock().unwrap();
        tally.add(outcome.split(' ').next().unwrap());
        tally.add(&format!("detail {outcome}"));
        tally.add(&format!("detail {kernel}"));
        if !refund.is_empty() {
            tally.add(&format!("detail {refund}"));
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    let tally = tally.into_inner().unwrap();
    report("presets", &tally);
    let purchases = ["ok", "invalid_amount", "invalid_request", "no_schedule_version", "no_matching_rule", "calendar_out_of_range"];
    let errors = tally.share(&purchases[1..]) / tally.share(&purchases);
    // Stated band: sub-fen, negative amounts (2/11), unknown classes and contradicting cards,
    // channels a preset does not price, trades before 2016-09-06 (half the span).
    assert!((0.4..0.75).contains(&errors), "error share {errors:.3} outside 0.4–0.75");
    for code in purchases {
        assert!(tally.get(code) >= 20, "too few {code}: {tally:?}");
    }
    for detail in ["detail ok capped", "detail refund returned", "detail kernel priced", "detail ok surcharged"] {
        assert!(tally.0.keys().filter(|k| k.starts_with(detail)).map(|k| tally.get(k)).sum::<u64>() >= 10, "too few {detail}: {tally:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Generated schedules.

#[test]
fn generated_schedules_agree_with_the_oracle() {
    let tally = Mutex::new(Tally::default());
    let mut runner = runner(1_500);
    let strategy = (schedule_strategy(), proptest::collection::vec((trade_strategy(), 0i128..=1_100, -3_600i64..(5 * 86_400)), 12));
    let result = runner.run(&strategy, |(spec, trades)| {
        let text = render(&spec);
        let (schedule, model) = match (Schedule::from_toml(&text), oracle::Schedule::from_toml(&text)) {
            (Ok(schedule), Ok(model)) => (schedule, model),
            (Err(error), Err(_)) => {
                prop_assert_eq!(error.code(), "invalid_schedule");
                tally.lock().unwrap().add("schedule invalid (both)");
                return Ok(());
            }
            (Ok(_), Err(reason)) => return Err(TestCaseError::fail(format!("posfee accepts, the oracle refuses ({reason}):\n{text}"))),
            (Err(error), Ok(_)) => return Err(TestCaseError::fail(format!("posfee refuses ({error}), the oracle accepts:\n{text}"))),
        };
        tally.lock().unwrap().add("schedule valid");
        let table_rows = check_table(&schedule, &trades.iter().map(|((t, _), _, _)| t.clone()).collect::<Vec<_>>())?;
        tally.lock().unwrap().0.entry("detail table quoted".into()).and_modify(|n| *n += table_rows as u64).or_insert(table_rows as u64);
        for ((trade, utc), share, later) in &trades {
            let outcome = check_quote(&schedule, &model, trade, *utc)?;
            let kernel = check_kernel(&schedule, &model, trade)?;
            let refund = if outcome.starts_with("ok") {
                check_refund(&schedule, &model, trade, trade.amount / 1_000 * share / 1_000 * 1_000, *later)?
            } else {
                String::new()
            };
            let mut tally = tally.lock().unwrap();
            tally.add(outcome.split(' ').next().unwrap());
            tally.add(&format!("detail {outcome}"));
            tally.add(&format!("detail {kernel}"));
            if !refund.is_empty() {
                tally.add(&format!("detail {refund}"));
            }
        }
        // Reconciliation's expected fee and classes on the same trades.
        check_reconcile(&schedule, &model, &trades.iter().map(|((t, _), _, _)| t.clone()).collect::<Vec<_>>(), &mut tally.lock().unwrap())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    let tally = tally.into_inner().unwrap();
    report("generated", &tally);
    let valid = tally.get("schedule valid") as f64 / (tally.get("schedule valid") + tally.get("schedule invalid (both)")) as f64;
    // Stated band: most schedules are valid; ties, cap below floor and a fallback among
    // the surcharged modes make the rest invalid on both sides.
    assert!((0.4..0.85).contains(&valid), "valid schedule share {valid:.3} outside 0.4–0.85");
    let purchases = ["ok", "invalid_amount", "invalid_request", "no_schedule_version", "no_matching_rule", "calendar_out_of_range"];
    let errors = tally.share(&purchases[1..]) / tally.share(&purchases);
    // Stated band: as for the presets, plus trades before a version, outside windows and
    // bands, and classes the schedule does not name.
    assert!((0.6..0.88).contains(&errors), "error share {errors:.3} outside 0.6–0.88");
    for code in purchases {
        assert!(tally.get(code) >= 20, "too few {code}: {tally:?}");
    }
    for detail in [
        "detail ok capped",
        "detail ok floored",
        "detail ok fell_back",
        "detail ok surcharged",
        "detail refund returned",
        "detail kernel priced",
        "detail table quoted",
        "reconcile ok",
        "reconcile fee_above",
        "reconcile extra_fee",
        "reconcile fee_below",
        "reconcile settled_late",
    ] {
        assert!(tally.0.keys().filter(|k| k.starts_with(detail)).map(|k| tally.get(k)).sum::<u64>() >= 10, "too few {detail}: {tally:?}");
    }
}

/// Every preset (under each rounding mode at the fen) quotes tables of 40 random trades as
/// `Schedule::quote` quotes each row.
#[test]
fn preset_tables_agree_with_quote() {
    let presets: Vec<Schedule> = posfee::presets().into_iter().map(|name| Schedule::preset(name).unwrap()).collect();
    let quoted = std::sync::atomic::AtomicUsize::new(0);
    let mut runner = runner(600);
    let strategy = (0..presets.len(), 0usize..4, proptest::collection::vec(trade_strategy(), 40));
    let result = runner.run(&strategy, |(index, rounding, trades)| {
        let mode =
            [posfee::RoundingMode::HalfUp, posfee::RoundingMode::HalfEven, posfee::RoundingMode::Up, posfee::RoundingMode::Down][rounding];
        let schedule = presets[index].with_rounding(posfee::Rounding::new(mode, 2).unwrap());
        const START_2016_09_06: i64 = 1_473_091_200;
        let trades: Vec<Trade> = trades
            .into_iter()
            .map(|(mut trade, _)| {
                if trade.at < START_2016_09_06 && trade.at % 4 != 0 {
                    trade.at = START_2016_09_06 + (trade.at - START_2005).rem_euclid(3_769 * 86_400);
                }
                trade
            })
            .collect();
        quoted.fetch_add(check_table(&schedule, &trades)?, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
    let quoted = quoted.into_inner();
    assert!(quoted > 600 * 40 / 5, "too few rows quoted: {quoted}");
}

const MERCHANT_NO: &str = "102310058120001";

/// Reconciles the oracle-priced statement of `trades` (all under one merchant profile:
/// the first trade's settlement mode and a known merchant class) and checks each pair's
/// expected fee and class. Every fifth row carries a fault whose class follows from the
/// oracle's numbers and the documented rules (excess a multiple of ¥0.10: extra_fee).
fn check_reconcile(schedule: &Schedule, model: &oracle::Schedule, trades: &[Trade], tally: &mut Tally) -> Result<(), TestCaseError> {
    let settle = trades[0].settle;
    let class = trades.iter().filter_map(|t| t.class.clone()).find(|c| model.classes().contains(c));
    let mut profile = MerchantProfile::new(MERCHANT_NO, "oracle shop")
        .unwrap()
        .terminals(["T0000001"])
        .settlement(SettlementMode::parse(&settle.text()).unwrap());
    if let Some(class) = &class {
        profile = profile.merchant_class(class.clone());
    }
    let options = ReconcileOptions::new(schedule.clone(), profile);
    let mut ledger = Ledger::new("ledger");
    let mut statement = Statement::new("statement");
    // (statement row, expected fee, expected class)
    let mut expected: Vec<(usize, i128, Class)> = Vec::new();
    for (k, trade) in trades.iter().enumerate() {
        let trade = Trade { settle, class: class.clone(), ..trade.clone() };
        let card =
            trade.card.as_deref().filter(|c| !(trade.channel == "credit" && *c == "debit" || trade.channel == "debit" && *c == "credit"));
        let trade = Trade { card: card.map(str::to_string), ..trade };
        let Ok(priced) = model.price(&trade) else { continue };
        let dates = model.settle(trade.at, priced.settle, days());
        let at = at_of(trade.at, false);
        let channel = Channel::parse(&trade.channel).unwrap();
        let amount = Money::from_millifen(trade.amount as i64).unwrap();
        let rrn = format!("{:012}", 100_000 + k);
        let mut record = LedgerRecord::new(format!("O{k}"), at, amount, channel);
        record.rrn = rrn.clone();
        record.terminal = "T0000001".into();
        record.card_type = trade.card.as_deref().map(|c| CardType::parse(c).unwrap());
        ledger.push(record.clone()).unwrap();
        let settles_on = dates.map_or(model.trade_day(trade.at), |(_, on)| on);
        let fee = Money::from_millifen(priced.fee as i64).unwrap();
        let mut row = StatementRecord::new(settles_on, at, amount, fee, channel);
        row.rrn = rrn.clone();
        row.terminal = "T0000001".into();
        let mut class_expected = if dates.is_err() { Class::Unchecked } else { Class::Ok };
        match k % 5 {
            1 => {
                // A rise by a whole number of dimes reads as a fixed add-on; any other as fee_above.
                let excess = [1i64, 10, 300, 7, 130][k % 4];
                row.fee = fee + Money::from_fen(excess);
                row.net = amount - row.fee;
                class_expected = if excess % 10 == 0 { Class::ExtraFee } else { Class::FeeAbove };
            }
            2 => {
                // One fen under the contract (a negative fee when the contract's fee is zero).
                row.fee = fee - Money::from_fen(1);
                row.net = amount - row.fee;
                class_expected = Class::FeeBelow;
            }
            3 if dates.is_ok() => {
                // Paid one working day after the first working day on or after the due date:
                // a working day of [due, paid) passes, so it is late (the checker counts the
                // working days of [due, paid); a D+N due date on a holiday paid on the next
                // working day is on time).
                if let Some(late) = days().working_after(settles_on, 0).and_then(|due| days().working_after(due, 1)) {
                    row.settlement_date = late;
                    class_expected = Class::SettledLate;
                }
            }
            _ => {}
        }
        statement.push(row).unwrap();
        expected.push((statement.len() - 1, priced.fee, class_expected));
        // A refund of part of the purchase two days later (priced by the oracle).
        if k % 3 == 0 && trade.amount >= 2_000 {
            let refund_amount = trade.amount / 2_000 * 1_000;
            let refund_at = trade.at + 2 * 86_400;
            if let Ok((returned, _, on)) = model.refund(&trade, refund_amount, refund_at, days()) {
                let refund_rrn = format!("{:012}", 900_000 + k);
                let mut refund = LedgerRecord::new(
                    format!("R{k}"),
                    at_of(refund_at, false),
                    Money::from_millifen(refund_amount as i64).unwrap(),
                    channel,
                );
                refund.kind = TradeKind::Refund;
                refund.original_rrn = rrn.clone();
                refund.rrn = refund_rrn.clone();
                refund.terminal = "T0000001".into();
                refund.card_type = record.card_type;
                ledger.push(refund).unwrap();
                let refund_money = Money::from_millifen(refund_amount as i64).unwrap();
                let returned_money = Money::from_millifen(returned as i64).unwrap();
                let mut row = StatementRecord::new(on, at_of(refund_at, false), refund_money, -returned_money, channel);
                row.kind = TradeKind::Refund;
                row.net = -refund_money + returned_money;
                row.rrn = refund_rrn;
                row.terminal = "T0000001".into();
                statement.push(row).unwrap();
                expected.push((statement.len() - 1, -returned, Class::Ok));
            }
        }
    }
    if expected.is_empty() {
        return Ok(());
    }
    let report = reconcile(&ledger, &statement, &options).map_err(|e| TestCaseError::fail(format!("reconcile: {e}")))?;
    let rows: BTreeMap<usize, _> = report.rows().filter(|r| r.side == Side::Statement).filter_map(|r| r.index.map(|j| (j, r))).collect();
    for (j, fee, class) in expected {
        let row = rows[&j];
        prop_assert_eq!(row.class, class, "statement row {} ({}) under\n{}", j, row.reason, schedule.to_toml());
        prop_assert_eq!(row.expected_fee.map(|f| i128::from(f.millifen())), Some(fee), "expected fee of row {} ({})", j, row.reason);
        tally.add(&format!("reconcile {}", class.name()));
    }
    Ok(())
}

/// A surcharged mode whose fallback is another surcharged mode with its own minimum: below
/// both minimums the trade falls back twice (DESIGN.md "Schedules": a surcharge applies from
/// its minimum amount; below it the trade falls back without the surcharge). posfee falls back
/// once (quote.rs `settlement_mode`) and charges D0's ¥2 on a ¥50 trade although D0 starts at ¥200:
/// fee ¥2.25 settling D0 instead of ¥0.25 settling T1.
#[test]
fn chained_instant_payout_fallback() {
    let text = r#"
name = "chain"
[rounding]
mode = "half_up"
scale = 2
[[versions]]
effective_from = "2026-01-01"
[[versions.rules]]
id = "card"
channels = ["debit"]
rate = "0.5%"
[[versions.surcharges]]
id = "s0"
modes = ["S0"]
fixed = "1"
min_amount = "100"
fallback = "D0"
[[versions.surcharges]]
id = "d0"
modes = ["D0"]
fixed = "2"
min_amount = "200"
fallback = "T1"
"#;
    let trade = Trade {
        amount: 5_000_000,
        channel: "debit".into(),
        at: oracle::instant("2026-05-06T10:00:00+08:00").unwrap(),
        settle: Settle::S0,
        class: None,
        card: None,
    };
    let expected = oracle::Schedule::from_toml(text).unwrap().quote(&trade, days()).unwrap();
    assert_eq!((expected.priced.fee, expected.priced.settle), (25_000, Settle::T(1)));
    let quote = Schedule::from_toml(text).unwrap().quote(&request_of(&trade, false)).unwrap();
    assert_eq!((quote.fee.to_string(), quote.settlement), ("0.25".to_string(), SettlementMode::T(1)));
}

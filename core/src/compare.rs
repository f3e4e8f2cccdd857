//! Comparing offers on a merchant's own trades: what each schedule would have cost, by
//! channel and month, against the first (current) one, and the amounts at which one offer
//! stops being the cheaper.

use chrono::{DateTime, Datelike, FixedOffset};
use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::channel::{CardType, Channel};
use crate::error::{Error, ErrorKind, Result};
use crate::lane::{AnyRounding, Lane, AMOUNT_FEN_MAX};
use crate::money::{Money, MILLIFEN_PER_FEN};
use crate::quote_table::{lanes_by_amount, Column, OnInvalid, RowError, TradeTable};
use crate::rate::RATE_ONE_E8;
use crate::rounding::Rounding;
use crate::schedule::Schedule;
use crate::settlement::{china_offset, SettlementMode};

/// The most offers one comparison takes.
///
/// # Example
/// ```
/// assert_eq!(posfee::OFFERS_MAX, 16);
/// ```
pub const OFFERS_MAX: usize = 16;

/// A schedule to compare, optionally with the settlement mode the offer comes with (it then
/// replaces the trades' own, e.g. an instant-payout POS at D0 against a T1 one).
///
/// # Example
/// ```
/// use posfee::{Offer, Schedule, SettlementMode};
/// let offer = Offer::new(Schedule::preset("standard-d0")?).settlement(SettlementMode::D(0));
/// assert_eq!(offer.to_string(), "standard-d0@D0");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// The schedule.
    pub schedule: Schedule,
    /// The settlement mode of every trade under this offer, when the offer fixes it.
    pub settlement: Option<SettlementMode>,
}

impl Offer {
    /// An offer that keeps the trades' settlement modes.
    ///
    /// # Example
    /// ```
    /// let offer = posfee::Offer::new(posfee::Schedule::preset("sft-smart")?);
    /// assert_eq!(offer.settlement, None);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(schedule: Schedule) -> Offer {
        Offer { schedule, settlement: None }
    }

    /// Fixes the settlement mode of every trade under this offer.
    ///
    /// # Example
    /// ```
    /// use posfee::{Offer, Schedule, SettlementMode};
    /// assert_eq!(Offer::new(Schedule::preset("standard")?).settlement(SettlementMode::T(0)).settlement, Some(SettlementMode::T(0)));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn settlement(mut self, settlement: SettlementMode) -> Offer {
        self.settlement = Some(settlement);
        self
    }
}

impl std::fmt::Display for Offer {
    /// The schedule's name, with `@MODE` when the offer fixes the settlement mode.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.schedule.name())?;
        if let Some(settlement) = self.settlement {
            write!(f, "@{settlement}")?;
        }
        Ok(())
    }
}

/// Trades, amount and fees of a group of trades under one offer.
///
/// # Example
/// ```
/// let group = posfee::Subtotal::default();
/// assert_eq!((group.trades, group.fee), (0, posfee::Money::ZERO));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subtotal {
    /// The group: a channel name or a month (`YYYY-MM`, China time of the trade); empty for
    /// all trades.
    pub key: CompactString,
    /// Trades in the group.
    pub trades: u64,
    /// Their amounts.
    pub amount: Money,
    /// Their fees.
    pub fee: Money,
}

impl Subtotal {
    /// `fee ÷ amount` as a fraction, rounded half-even to 8 decimals (0.00598765 is
    /// 0.598765%); `None` without amount.
    ///
    /// # Example
    /// ```
    /// use posfee::{Money, Subtotal};
    /// let group = Subtotal { fee: Money::from_fen(60), amount: Money::from_yuan(100), ..Default::default() };
    /// assert_eq!(group.effective_rate().unwrap().to_string(), "0.00600000");
    /// ```
    pub fn effective_rate(&self) -> Option<Decimal> {
        if self.amount.is_zero() {
            return None;
        }
        let rate = self.fee.to_decimal().checked_div(self.amount.to_decimal())?;
        let mut rate = rate.round_dp_with_strategy(8, rust_decimal::RoundingStrategy::MidpointNearestEven);
        rate.rescale(8);
        Some(rate)
    }
}

/// What one offer costs on the trades.
///
/// # Example
/// ```
/// let totals = posfee::OfferTotals::default();
/// assert!(totals.by_channel.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferTotals {
    /// The offer (`name` or `name@MODE`).
    pub offer: CompactString,
    /// Every compared trade.
    pub total: Subtotal,
    /// This offer's fees minus the first offer's (negative: cheaper than the current offer).
    pub difference: Money,
    /// Per channel, in channel order.
    pub by_channel: Vec<Subtotal>,
    /// Per month of the trade time (China time), in order.
    pub by_month: Vec<Subtotal>,
}

/// An amount at which the cheaper of two offers changes, for one channel: below it one offer
/// is cheaper, above it the other. Between `below` and `from` the two are equal or take turns
/// by a fen of rounding.
///
/// # Example
/// ```
/// use posfee::{BreakEven, Channel, Money};
/// let point = BreakEven { channel: Channel::Credit, cheaper_below: 1, cheaper_above: 0, below: Money::from_yuan(3738), from: Money::from_yuan(3762), exact: true };
/// assert_eq!(point.cheaper_above, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakEven {
    /// The channel.
    pub channel: Channel,
    /// The offer (index) strictly cheaper at every amount from the previous change up to `below`.
    pub cheaper_below: usize,
    /// The offer (index) strictly cheaper at every amount from `from` up to the next change.
    pub cheaper_above: usize,
    /// The last amount at which `cheaper_below` is strictly cheaper.
    pub below: Money,
    /// The first amount from which `cheaper_above` is strictly cheaper.
    pub from: Money,
    /// Whether every amount in between was checked; `false` when the rates differ so little
    /// that the span of rounding noise is too long to walk (over a million fen), and
    /// `below`/`from` are the edges of that span.
    pub exact: bool,
}

/// The comparison of offers on a table of trades.
///
/// # Example
/// ```
/// use posfee::{compare, Channel, Column, Offer, OnInvalid, Schedule, TradeTable};
/// let table = TradeTable::new(&[500_000], Column::All(Channel::Debit), Column::All(1_778_040_000));
/// let offers = [Offer::new(Schedule::preset("sft-traditional")?), Offer::new(Schedule::preset("sft-smart")?)];
/// let comparison = compare(&table, &offers, OnInvalid::Raise)?;
/// assert_eq!(comparison.offers[1].difference, posfee::Money::ZERO); // both capped at ¥20 on ¥5000
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Per offer, in the order given.
    pub offers: Vec<OfferTotals>,
    /// Per channel of the trades and pair of offers, the amounts at which the cheaper one
    /// changes, judged at the channel's latest trade (its time, merchant class, card type and
    /// settlement mode).
    pub break_evens: Vec<BreakEven>,
    /// Rows left out because an offer cannot price them (with [`OnInvalid::Report`]): the
    /// first offer's error that refuses each, its message starting with the offer's name.
    pub excluded: Vec<RowError>,
}

impl Comparison {
    /// The comparison as JSON, the one shape every surface prints: `offers` (each with
    /// `offer`, `total`, `difference`, `by_channel`, `by_month`; a group has `key`, `trades`,
    /// `amount`, `fee`, `effective_rate`), `break_evens` (`channel`, `cheaper_below`,
    /// `cheaper_above` as offer names, `below`, `from`, `exact`), `excluded` (`row`, `code`,
    /// `message`) and `sentences`. Money and rates are strings.
    ///
    /// # Example
    /// ```
    /// use posfee::{compare, Channel, Column, Offer, OnInvalid, Schedule, TradeTable};
    /// let table = TradeTable::new(&[10_000], Column::All(Channel::Credit), Column::All(1_778_040_000));
    /// let comparison = compare(&table, &[Offer::new(Schedule::preset("sft-smart")?)], OnInvalid::Raise)?;
    /// let json = comparison.to_json_value();
    /// assert_eq!(json["offers"][0]["total"]["fee"], "0.60");
    /// assert_eq!(json["offers"][0]["total"]["effective_rate"], "0.00600000");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_json_value(&self) -> serde_json::Value {
        use serde_json::json;
        let group = |g: &Subtotal| {
            json!({
                "key": g.key.as_str(),
                "trades": g.trades,
                "amount": g.amount.to_string(),
                "fee": g.fee.to_string(),
                "effective_rate": g.effective_rate().map(|rate| rate.to_string()),
            })
        };
        let offers: Vec<_> = self
            .offers
            .iter()
            .map(|offer| {
                json!({
                    "offer": offer.offer.as_str(),
                    "total": group(&offer.total),
                    "difference": offer.difference.to_string(),
                    "by_channel": offer.by_channel.iter().map(group).collect::<Vec<_>>(),
                    "by_month": offer.by_month.iter().map(group).collect::<Vec<_>>(),
                })
            })
            .collect();
        let break_evens: Vec<_> = self
            .break_evens
            .iter()
            .map(|point| {
                json!({
                    "channel": point.channel.name(),
                    "cheaper_below": self.offers[point.cheaper_below].offer.as_str(),
                    "cheaper_above": self.offers[point.cheaper_above].offer.as_str(),
                    "below": point.below.to_string(),
                    "from": point.from.to_string(),
                    "exact": point.exact,
                })
            })
            .collect();
        let excluded: Vec<_> =
            self.excluded.iter().map(|e| json!({"row": e.row, "code": e.error.code(), "message": e.error.message()})).collect();
        json!({"offers": offers, "break_evens": break_evens, "excluded": excluded, "sentences": self.break_even_sentences()})
    }

    /// [`Comparison::to_json_value`] as pretty-printed text.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Comparison::default().to_json().contains("\"offers\""));
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.to_json_value()).expect("a comparison always prints as JSON")
    }

    /// One sentence per break-even, e.g. `credit: sft-smart is cheaper up to ¥3738.97,
    /// standard-d0@D0 from ¥3761.03`.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Comparison::default().break_even_sentences().is_empty());
    /// ```
    pub fn break_even_sentences(&self) -> Vec<String> {
        self.break_evens
            .iter()
            .map(|point| {
                let approximate = if point.exact { "" } else { " (approximately: rounding noise in between)" };
                format!(
                    "{}: {} is cheaper up to ¥{}, {} from ¥{}{approximate}",
                    point.channel, self.offers[point.cheaper_below].offer, point.below, self.offers[point.cheaper_above].offer, point.from
                )
            })
            .collect()
    }
}

/// Prices the trades under each offer and compares: totals, effective rates, fees per
/// channel and month, the difference against the first offer, and break-even amounts
/// between each pair of offers. Fees are those of [`Schedule::fee_table`] (and so of
/// [`Schedule::quote`]); settlement dates play no part.
///
/// # Errors
/// [`ErrorKind::InvalidRequest`] without offers or with more than [`OFFERS_MAX`]; as
/// [`Schedule::fee_table`] for the table; with [`OnInvalid::Raise`], the first row an offer
/// cannot price (the message names the offer and the row); [`ErrorKind::Overflow`] when a
/// total passes [`Money::MAX`].
///
/// # Example
/// ```
/// use posfee::{compare, Channel, Column, Offer, OnInvalid, Schedule, SettlementMode, TradeTable};
/// // ¥200 and ¥8000 on credit cards, May 2026.
/// let table = TradeTable::new(&[20_000, 800_000], Column::All(Channel::Credit), Column::All(1_778_040_000));
/// let offers = [
///     Offer::new(Schedule::preset("sft-smart")?),                                 // 0.6%, T1
///     Offer::new(Schedule::preset("standard-d0")?).settlement(SettlementMode::D(0)), // 0.6% + ¥3 from ¥100, D0
/// ];
/// let comparison = compare(&table, &offers, OnInvalid::Raise)?;
/// assert_eq!(comparison.offers[0].total.fee.to_string(), "49.20");
/// assert_eq!(comparison.offers[1].difference.to_string(), "6.00");
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn compare(table: &TradeTable<'_>, offers: &[Offer], on_invalid: OnInvalid) -> Result<Comparison> {
    if offers.is_empty() || offers.len() > OFFERS_MAX {
        return Err(Error::new(ErrorKind::InvalidRequest, format!("{} offers: compare takes 1 to {OFFERS_MAX}", offers.len())));
    }
    let rows = table.rows();
    let mut fees = Vec::with_capacity(offers.len());
    // Per row, the first offer's error that refuses it.
    let mut excluded: Vec<Option<Error>> = vec![None; rows];
    for offer in offers {
        let priced = offer_table(table, offer);
        let (offer_fees, errors) = offer.schedule.fee_table(&priced, on_invalid).map_err(|e| named(offer, e))?;
        for RowError { row, error } in errors {
            excluded[row].get_or_insert_with(|| named(offer, error));
        }
        fees.push(offer_fees);
    }
    let months = months_of(table);
    let mut totals = Vec::with_capacity(offers.len());
    for (offer, offer_fees) in offers.iter().zip(&fees) {
        let mut total = Sums::default();
        let mut by_channel = vec![Sums::default(); Channel::ALL.len()];
        let mut by_month = vec![Sums::default(); months.keys.len()];
        for row in 0..rows {
            if excluded[row].is_some() {
                continue;
            }
            let (amount, fee) = (i128::from(table.amount_fen[row]) * i128::from(MILLIFEN_PER_FEN), i128::from(offer_fees[row].millifen()));
            total.add(amount, fee);
            by_channel[table.channel.get(row) as usize].add(amount, fee);
            by_month[months.index[row] as usize].add(amount, fee);
        }
        let by_channel = Channel::ALL
            .iter()
            .zip(by_channel)
            .filter(|(_, sums)| sums.trades > 0)
            .map(|(channel, sums)| sums.subtotal(channel.name()))
            .collect::<Result<Vec<_>>>()?;
        let by_month = months
            .keys
            .iter()
            .zip(by_month)
            .filter(|(_, sums)| sums.trades > 0)
            .map(|(month, sums)| sums.subtotal(month))
            .collect::<Result<Vec<_>>>()?;
        totals.push(OfferTotals {
            offer: offer.to_string().into(),
            total: total.subtotal("")?,
            difference: Money::ZERO,
            by_channel,
            by_month,
        });
    }
    let first_fee = totals[0].total.fee;
    for offer in &mut totals {
        offer.difference = offer.total.fee.checked_sub(first_fee).ok_or_else(overflow)?;
    }
    let mut break_evens = Vec::new();
    for (channel, row) in latest_rows(table, &excluded) {
        for first in 0..offers.len() {
            for second in first + 1..offers.len() {
                break_evens.extend(break_evens_at(table, row, channel, (first, &offers[first]), (second, &offers[second])));
            }
        }
    }
    let excluded = excluded.into_iter().enumerate().filter_map(|(row, error)| error.map(|error| RowError { row, error })).collect();
    Ok(Comparison { offers: totals, break_evens, excluded })
}

fn overflow() -> Error {
    Error::new(ErrorKind::Overflow, format!("a total passes the largest amount ¥{}", Money::MAX))
}

fn named(offer: &Offer, error: Error) -> Error {
    let location = error.location().clone();
    Error::new(error.kind(), format!("{offer}: {}", error.message())).at(location)
}

/// The table as `offer` prices it: its settlement mode instead of the trades' when it has one.
fn offer_table<'a>(table: &TradeTable<'a>, offer: &Offer) -> TradeTable<'a> {
    match offer.settlement {
        Some(mode) => table.settlement(Column::All(mode)),
        None => *table,
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    trades: u64,
    amount_millifen: i128,
    fee_millifen: i128,
}

impl Sums {
    fn add(&mut self, amount_millifen: i128, fee_millifen: i128) {
        self.trades += 1;
        self.amount_millifen += amount_millifen;
        self.fee_millifen += fee_millifen;
    }

    fn subtotal(self, key: &str) -> Result<Subtotal> {
        let money = |millifen: i128| i64::try_from(millifen).ok().and_then(|m| Money::from_millifen(m).ok()).ok_or_else(overflow);
        Ok(Subtotal { key: key.into(), trades: self.trades, amount: money(self.amount_millifen)?, fee: money(self.fee_millifen)? })
    }
}

/// Each row's month (China time) as an index into the sorted month keys.
struct Months {
    keys: Vec<CompactString>,
    index: Vec<u32>,
}

fn months_of(table: &TradeTable<'_>) -> Months {
    // Months as year × 12 + month − 1, by local day (few distinct days in a table).
    let mut month_of_day: Option<(i64, i32)> = None;
    let mut codes = Vec::with_capacity(table.rows());
    for row in 0..table.rows() {
        let day = (table.time_unix_s.get(row).saturating_add(8 * 3600)).div_euclid(86_400);
        let code = match month_of_day {
            Some((cached, code)) if cached == day => code,
            _ => {
                let code = i32::try_from(day)
                    .ok()
                    .and_then(chrono::NaiveDate::from_epoch_days)
                    .map_or(i32::MIN, |date| date.year() * 12 + date.month0() as i32);
                month_of_day = Some((day, code));
                code
            }
        };
        codes.push(code);
    }
    let mut distinct: Vec<i32> = Vec::new();
    let mut last = None;
    for &code in &codes {
        if last != Some(code) {
            crate::quote_table::insert_sorted(&mut distinct, code);
            last = Some(code);
        }
    }
    let keys = distinct
        .iter()
        .map(|&code| {
            if code == i32::MIN {
                "".into()
            } else {
                compact_str::format_compact!("{:04}-{:02}", code.div_euclid(12), code.rem_euclid(12) + 1)
            }
        })
        .collect();
    let index = codes.iter().map(|code| distinct.binary_search(code).unwrap_or(0) as u32).collect();
    Months { keys, index }
}

/// Per channel of the compared rows, its latest trade (the last row of the latest time).
fn latest_rows(table: &TradeTable<'_>, excluded: &[Option<Error>]) -> Vec<(Channel, usize)> {
    let mut latest: [Option<(i64, usize)>; Channel::ALL.len()] = [None; Channel::ALL.len()];
    for row in (0..table.rows()).filter(|&row| excluded[row].is_none()) {
        let slot = &mut latest[table.channel.get(row) as usize];
        let time = table.time_unix_s.get(row);
        if slot.map_or(true, |(t, _)| time >= t) {
            *slot = Some((time, row));
        }
    }
    Channel::ALL.iter().zip(latest).filter_map(|(channel, slot)| slot.map(|(_, row)| (*channel, row))).collect()
}

/// The break-evens of two offers for a trade like `row` (its time, class and card type; the
/// offers' settlement modes or its own).
fn break_evens_at(table: &TradeTable<'_>, row: usize, channel: Channel, a: (usize, &Offer), b: (usize, &Offer)) -> Vec<BreakEven> {
    let Some(at) = DateTime::from_timestamp(table.time_unix_s.get(row), 0).map(|utc| utc.with_timezone(&china_offset())) else {
        return Vec::new();
    };
    let class = table.merchant_class_names.get(table.merchant_class.get(row) as usize).copied().filter(|name| !name.is_empty());
    let card_type = table.card_type.get(row);
    let fee_a = FeeCurve::new(a.1, at, channel, table.settlement.get(row), class, card_type);
    let fee_b = FeeCurve::new(b.1, at, channel, table.settlement.get(row), class, card_type);
    break_evens(&fee_a, &fee_b, channel, a.0, b.0)
}

/// The break-evens between two schedules for one kind of trade: `channel` at `at`, with the
/// merchant class and card type given, under each schedule's settlement mode (`None`: T1).
/// The fee of every whole-fen amount is that of [`Schedule::quote`]; amounts a schedule
/// does not price are left out.
///
/// # Example
/// ```
/// use posfee::{break_even, parse_china_time, Channel, Offer, Schedule, SettlementMode};
/// // sft-smart credit 0.6% T1 against standard-d0 at D0: 0.6% + ¥3 from ¥100 (T1 below it).
/// let at = parse_china_time("2026-05-06 12:00")?;
/// let points = break_even(&Offer::new(Schedule::preset("sft-smart")?), &Offer::new(Schedule::preset("standard-d0")?).settlement(SettlementMode::D(0)), Channel::Credit, at, None, None);
/// // Equal below ¥100; from ¥100 on, sft-smart is ¥3 cheaper: no amount where the order changes.
/// assert!(points.is_empty());
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn break_even(
    first: &Offer,
    second: &Offer,
    channel: Channel,
    at: DateTime<FixedOffset>,
    merchant_class: Option<&str>,
    card_type: Option<CardType>,
) -> Vec<BreakEven> {
    let fee_a = FeeCurve::new(first, at, channel, SettlementMode::T(1), merchant_class, card_type);
    let fee_b = FeeCurve::new(second, at, channel, SettlementMode::T(1), merchant_class, card_type);
    break_evens(&fee_a, &fee_b, channel, 0, 1)
}

/// The fee of one kind of trade as a function of the amount, in pieces on which it is
/// `Σ round(amount × rate_k) + constant`.
struct FeeCurve {
    rounding: Rounding,
    /// `(first fen, lane)`; `None` where the schedule does not price by a lane.
    lanes: Vec<(i64, Option<Lane>)>,
    /// `(first fen, piece)`, ascending, from 0.
    pieces: Vec<(i64, Option<Piece>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    /// Sum of the rates of the rounded lines (units of 10⁻⁸).
    rate_e8: i64,
    /// Number of rounded lines.
    rounded_lines: i64,
    /// The constant part (thousandths of a fen).
    constant_millifen: i64,
}

impl FeeCurve {
    fn new(
        offer: &Offer,
        at: DateTime<FixedOffset>,
        channel: Channel,
        trade_mode: SettlementMode,
        class: Option<&str>,
        card_type: Option<CardType>,
    ) -> FeeCurve {
        let schedule = &offer.schedule;
        let rounding = schedule.rounding();
        let mode = offer.settlement.unwrap_or(trade_mode);
        let lanes = lanes_by_amount(schedule, at, channel, mode, class, card_type);
        let mut pieces = Vec::new();
        for (k, (start, lane)) in lanes.iter().enumerate() {
            let end = lanes.get(k + 1).map_or(AMOUNT_FEN_MAX + 1, |next| next.0);
            let Some(lane) = lane else {
                pieces.push((*start, None));
                continue;
            };
            let rate_fee = |fen: i64| rounding.apply_rate(Money::from_fen(fen), lane.rate).millifen();
            // The rate line is the floor below `floored_until`, linear up to `capped_from`, the cap after.
            let floored_until = first_fen(*start, end, |fen| rate_fee(fen) >= lane.floor_millifen);
            let capped_from = first_fen(floored_until, end, |fen| rate_fee(fen) > lane.cap_millifen);
            let (surcharge_rate, surcharge_lines) = if lane.has_surcharge { (lane.surcharge_rate.e8(), 1) } else { (0, 0) };
            let constant = lane.fixed.millifen() + if lane.has_surcharge { lane.surcharge_fixed.millifen() } else { 0 };
            let piece = |rate_e8: i64, rounded_lines: i64, fixed_millifen: i64| Piece {
                rate_e8: rate_e8 + surcharge_rate,
                rounded_lines: rounded_lines + surcharge_lines,
                constant_millifen: constant + fixed_millifen,
            };
            if *start < floored_until {
                pieces.push((*start, Some(piece(0, 0, lane.floor_millifen))));
            }
            if floored_until < capped_from {
                pieces.push((floored_until, Some(piece(lane.rate.e8(), 1, 0))));
            }
            if capped_from < end {
                pieces.push((capped_from, Some(piece(0, 0, lane.cap_millifen))));
            }
        }
        FeeCurve { rounding, lanes, pieces }
    }

    /// The piece holding `fen`, and where the next one starts.
    fn piece_at(&self, fen: i64) -> (Option<Piece>, i64) {
        let k = self.pieces.partition_point(|(start, _)| *start <= fen) - 1;
        (self.pieces[k].1, self.pieces.get(k + 1).map_or(AMOUNT_FEN_MAX + 1, |next| next.0))
    }

    /// The exact fee of `fen` (thousandths of a fen), `None` where not priced by a lane.
    fn fee(&self, fen: i64) -> Option<i64> {
        let k = self.lanes.partition_point(|(start, _)| *start <= fen) - 1;
        self.lanes[k].1.map(|lane| lane.fee_millifen(AnyRounding(self.rounding), fen))
    }

    /// The largest error of a rounded line (thousandths of a fen).
    fn unit_millifen(&self) -> i64 {
        10i64.pow(crate::money::MONEY_SCALE - self.rounding.scale)
    }
}

/// The first fen in `[low, high)` where the non-decreasing `reaches` holds, else `high`.
fn first_fen(low: i64, high: i64, reaches: impl Fn(i64) -> bool) -> i64 {
    let (mut below, mut at) = (low - 1, high);
    while at - below > 1 {
        let middle = below + (at - below) / 2;
        if reaches(middle) {
            at = middle;
        } else {
            below = middle;
        }
    }
    at
}

/// Which offer is cheaper over a run of amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cheaper {
    First,
    Second,
    /// Equal, or taking turns within rounding.
    Neither,
    /// One of the offers does not price these amounts.
    Unpriced,
}

/// The longest walk over rounding noise (fen).
const NOISE_WALK_MAX: i64 = 1_000_000;

fn break_evens(a: &FeeCurve, b: &FeeCurve, channel: Channel, first: usize, second: usize) -> Vec<BreakEven> {
    // Runs of (first fen, last fen, cheaper, exact).
    let mut runs: Vec<(i64, i64, Cheaper, bool)> = Vec::new();
    let mut push = |start: i64, last: i64, cheaper: Cheaper, exact: bool| {
        if start > last {
            return;
        }
        match runs.last_mut() {
            Some(run) if run.2 == cheaper && run.1 + 1 == start => {
                run.1 = last;
                run.3 &= exact;
            }
            _ => runs.push((start, last, cheaper, exact)),
        }
    };
    let strict = |fen: i64| match (a.fee(fen), b.fee(fen)) {
        (Some(x), Some(y)) if x < y => Cheaper::First,
        (Some(x), Some(y)) if x > y => Cheaper::Second,
        (Some(_), Some(_)) => Cheaper::Neither,
        _ => Cheaper::Unpriced,
    };
    let mut start = 0;
    while start <= AMOUNT_FEN_MAX {
        let ((piece_a, end_a), (piece_b, end_b)) = (a.piece_at(start), b.piece_at(start));
        let end = end_a.min(end_b); // exclusive
        let (Some(pa), Some(pb)) = (piece_a, piece_b) else {
            push(start, end - 1, Cheaper::Unpriced, true);
            start = end;
            continue;
        };
        // fee_a − fee_b = h(x) + rounding, h(x) = x × Δrate × 1000 / 10⁸ + Δconstant (millifen),
        // |rounding| < E. Outside |h| ≤ E the sign of h is the answer; inside, walk.
        let slope = i128::from(pa.rate_e8 - pb.rate_e8); // h = slope × x / 10⁵ + offset
        let offset = i128::from(pa.constant_millifen - pb.constant_millifen);
        let noise = i128::from(pa.rounded_lines * a.unit_millifen() + pb.rounded_lines * b.unit_millifen());
        let scale = i128::from(RATE_ONE_E8 / MILLIFEN_PER_FEN);
        let sign_of = |h_scaled: i128| if h_scaled > 0 { Cheaper::Second } else { Cheaper::First };
        if slope == 0 {
            let cheaper = if offset.abs() > noise { sign_of(offset) } else { Cheaper::Neither };
            push(start, end - 1, cheaper, true);
            start = end;
            continue;
        }
        // The amounts with |slope × x + offset × 10⁵| ≤ noise × 10⁵, clipped to the piece.
        let (zone_low, zone_high) = {
            // x with h(x) in [−noise, noise]: for slope > 0, x ∈ [ceil((−noise − offset)·s/slope), floor((noise − offset)·s/slope)].
            let low_x = ceil_div((-noise - offset) * scale, slope);
            let high_x = floor_div((noise - offset) * scale, slope);
            let (low_x, high_x) = if slope > 0 {
                (low_x, high_x)
            } else {
                (ceil_div((noise - offset) * scale, slope), floor_div((-noise - offset) * scale, slope))
            };
            (low_x.max(i128::from(start)) as i64, high_x.min(i128::from(end - 1)) as i64)
        };
        let h_scaled = |x: i64| slope * i128::from(x) + offset * scale;
        if zone_low > zone_high {
            // No noise in this piece: one sign, or two on either side of the zone.
            // h changes sign at most once, where slope × x + offset × 10⁵ passes 0.
            let split = ceil_div(-offset * scale, slope).clamp(i128::from(start), i128::from(end)) as i64;
            push(start, split - 1, sign_of(h_scaled(start)), true);
            push(split, end - 1, sign_of(h_scaled(end - 1)), true);
            start = end;
            continue;
        }
        // Left of the zone one offer is cheaper, right of it the other (where the piece
        // reaches past the zone). Inside, the amounts where the left one stays strictly
        // cheaper extend its run, those from which the right one always is start the next;
        // what lies between is noise.
        let (left, right) =
            ((zone_low > start).then(|| sign_of(h_scaled(start))), (zone_high < end - 1).then(|| sign_of(h_scaled(end - 1))));
        if let Some(left) = left {
            push(start, zone_low - 1, left, true);
        }
        if zone_high - zone_low < NOISE_WALK_MAX {
            let mut below = zone_low - 1;
            if let Some(left) = left {
                while below < zone_high && strict(below + 1) == left {
                    below += 1;
                }
            }
            let mut from = zone_high + 1;
            if let Some(right) = right {
                while from - 1 > below && strict(from - 1) == right {
                    from -= 1;
                }
            }
            if let Some(left) = left {
                push(zone_low, below, left, true);
            }
            push(below + 1, from - 1, Cheaper::Neither, true);
            if let Some(right) = right {
                push(from, zone_high, right, true);
            }
        } else {
            push(zone_low, zone_high, Cheaper::Neither, false);
        }
        if let Some(right) = right {
            push(zone_high + 1, end - 1, right, true);
        }
        start = end;
    }
    // A break-even between consecutive strict runs of different offers, over any noise between.
    let mut points = Vec::new();
    let mut last_strict: Option<(i64, Cheaper)> = None;
    let mut exact = true;
    for (first_fen, last_fen, cheaper, run_exact) in runs {
        match cheaper {
            Cheaper::Unpriced => {
                last_strict = None;
                exact = true;
            }
            Cheaper::Neither => exact &= run_exact,
            Cheaper::First | Cheaper::Second => {
                if let Some((below, before)) = last_strict.filter(|(_, before)| *before != cheaper) {
                    let index = |c: Cheaper| if c == Cheaper::First { first } else { second };
                    points.push(BreakEven {
                        channel,
                        cheaper_below: index(before),
                        cheaper_above: index(cheaper),
                        below: Money::from_fen(below),
                        from: Money::from_fen(first_fen),
                        exact,
                    });
                }
                last_strict = Some((last_fen, cheaper));
                exact = true;
            }
        }
    }
    points
}

fn floor_div(numerator: i128, denominator: i128) -> i128 {
    let (q, r) = (numerator / denominator, numerator % denominator);
    if r != 0 && ((r < 0) != (denominator < 0)) {
        q - 1
    } else {
        q
    }
}

fn ceil_div(numerator: i128, denominator: i128) -> i128 {
    -floor_div(-numerator, denominator)
}

/// Where a capped rule's fee stops growing: the rule pricing a kind of trade, its cap,
/// cap ÷ rate (the amount at which the unrounded rate fee equals the cap) and the first
/// whole-fen amount whose rounded fee reaches it.
///
/// # Example
/// ```
/// use posfee::{parse_china_time, Channel, Schedule};
/// let cap = Schedule::preset("sft-traditional")?.cap_threshold(Channel::Debit, parse_china_time("2026-05-06")?, None, None)?.unwrap();
/// assert_eq!((cap.rule.as_str(), cap.cap.to_string(), cap.from.to_string()), ("debit", "20.00".into(), "3635.46".into()));
/// assert_eq!((cap.break_even.to_string(), cap.break_even_exact), ("3636.3636".into(), false)); // ¥20 ÷ 0.55% = 3636.3636…
/// let json = serde_json::to_value(&cap).unwrap(); // every surface's shape: numbers as strings
/// assert_eq!((json["rate"].as_str(), json["break_even"].as_str()), (Some("0.55%"), Some("3636.3636")));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapThreshold {
    /// The rule's id.
    pub rule: CompactString,
    /// The rule's rate.
    pub rate: crate::rate::Rate,
    /// The cap.
    pub cap: Money,
    /// cap ÷ rate, cut to 4 decimals (towards zero).
    #[serde(serialize_with = "decimal_text")]
    pub break_even: Decimal,
    /// Whether cap ÷ rate is exactly `break_even`.
    pub break_even_exact: bool,
    /// The smallest whole-fen amount whose rounded rate fee reaches the cap.
    pub from: Money,
}

/// cap ÷ rate in yuan, cut to 4 decimals (towards zero), and whether that is exact, in integer
/// arithmetic (no decimal division, which is large code in the WebAssembly calculator): cap is
/// `millifen / 10^5` yuan and rate `e8 / 10^8`, so the quotient in units of ¥0.0001 is
/// `millifen × 10^7 / e8`. `None` for a zero rate or a quotient outside [`Decimal`].
fn decimal_text<S: serde::Serializer>(value: &Decimal, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_str(value)
}

fn cap_over_rate(cap: Money, rate: crate::rate::Rate) -> Option<(Decimal, bool)> {
    let numerator = i128::from(cap.millifen()).checked_mul(10_000_000)?;
    let denominator = i128::from(rate.e8());
    let quotient = numerator.checked_div(denominator)?;
    let break_even = Decimal::try_from_i128_with_scale(quotient, 4).ok()?;
    Some((break_even, numerator % denominator == 0))
}

impl Schedule {
    /// Where the cap of the rule pricing `channel` starts to apply: for every capped rule of
    /// the version in force at `at` that could price the channel, the first amount reaching
    /// its cap ([`crate::Rule::cap_reached_from`]), kept only when [`Schedule::quote`] prices
    /// that amount with that very rule (merchant class, card type, bands and promotions all
    /// decided by the quote); the smallest such amount. `None` when no capped rule applies.
    ///
    /// The probe quotes only read the fee, which needs no holiday data: a trade at the end
    /// of the calendar data still gets its threshold.
    ///
    /// # Errors
    /// As [`Schedule::quote`] for the time, merchant class and card type (never
    /// [`ErrorKind::NoMatchingRule`]: a rule that does not price the probe is skipped);
    /// [`ErrorKind::Overflow`] when cap ÷ rate leaves the decimal range.
    ///
    /// # Example
    /// ```
    /// use posfee::{parse_china_time, Channel, Schedule};
    /// let at = parse_china_time("2026-05-06")?;
    /// let standard = Schedule::preset("standard")?;
    /// assert_eq!(standard.cap_threshold(Channel::Credit, at, None, None)?, None);
    /// let discounted = standard.cap_threshold(Channel::Debit, at, Some("discounted"), None)?.unwrap();
    /// assert_eq!((discounted.rule.as_str(), discounted.break_even.to_string()), ("discounted-debit", "4500.0000".into()));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn cap_threshold(
        &self,
        channel: Channel,
        at: DateTime<FixedOffset>,
        merchant_class: Option<&str>,
        card_type: Option<CardType>,
    ) -> Result<Option<CapThreshold>> {
        let version = self.version_at(at)?;
        let mut best: Option<CapThreshold> = None;
        for rule in version.rules().iter().filter(|rule| rule.channels().contains(&channel)) {
            let (Some(cap), Some(from)) = (rule.cap(), rule.cap_reached_from(self.rounding())) else {
                continue;
            };
            let mut request = crate::QuoteRequest::new(from, channel, at).calendar_policy(crate::CalendarPolicy::WeekendsOnly);
            request.merchant_class = merchant_class.map(str::to_string);
            request.card_type = card_type;
            let quote = match self.quote(&request) {
                Ok(quote) => quote,
                Err(error) if error.kind() == ErrorKind::NoMatchingRule => continue,
                Err(error) => return Err(error),
            };
            if &*quote.rule != rule.id() || best.as_ref().is_some_and(|b| b.from <= from) {
                continue;
            }
            let overflow =
                || Error::new(ErrorKind::Overflow, format!("cap {cap} ÷ rate {} of rule {} is out of range", rule.rate(), rule.id()));
            let (break_even, break_even_exact) = cap_over_rate(cap, rule.rate()).ok_or_else(overflow)?;
            best = Some(CapThreshold { rule: rule.id().into(), rate: rule.rate(), cap, break_even, break_even_exact, from });
        }
        Ok(best)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate::Rate;

    /// The integer quotient equals decimal division cut to 4 decimals, exactness included.
    #[test]
    fn cap_over_rate_is_decimal_division_cut_to_four_places() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        let mut cases = vec![(2_000_000, 550_000), (1_800_000, 400_000), (1, 1), (Money::MAX.millifen(), 1), (3_000, 33_333)];
        for _ in 0..20_000 {
            cases.push((1 + next(100_000_000) as i64 * [1, 10, 1_000][next(3) as usize], 1 + next(5_000_000) as i64));
        }
        for (millifen, e8) in cases {
            let (cap, rate) = (Money::from_millifen(millifen).unwrap(), Rate::from_e8(e8).unwrap());
            let quotient = cap.to_decimal().checked_div(rate.to_decimal()).unwrap();
            let mut expected = quotient.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::ToZero);
            let exact = quotient == expected;
            expected.rescale(4);
            assert_eq!(cap_over_rate(cap, rate), Some((expected, exact)), "{cap} / {rate}");
        }
        assert_eq!(cap_over_rate(Money::from_fen(100), Rate::ZERO), None);
    }
}

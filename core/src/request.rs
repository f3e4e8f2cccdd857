//! Requests as named text fields: what a surface that receives objects of strings (a
//! JavaScript object, a JSON body) asks of the core — one quote, where a cap starts, a table
//! of trades to quote, offers to compare — and how each field is read. The rules a request
//! carries (a schedule named by exactly one of a preset and TOML text, money never as a
//! number, the defaults of absent fields, the fields named in every error) live here, so that
//! a binding only moves the fields across.
//!
//! The field names of errors are the core's (`card_type`, `merchant_class`, `on_invalid`); a
//! surface that names its fields otherwise renames them where it maps errors.

mod object;

pub use object::{known_keys, Case, Object, Value};

use chrono::{DateTime, FixedOffset};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::error::{Error, ErrorKind, Result};
use crate::{
    float_money_error, parse_china_time, Calendar, CalendarPolicy, CapThreshold, CardType, Channel, MerchantLimits, Money, Offer,
    OnInvalid, Quote, QuoteRequest, Schedule, SettlementMode, TableOptions, TradeColumns, TradeDefaults, TradeText,
};

/// An amount as a request gave it: text, or a number, which is refused when read (binary
/// floating point cannot hold money exactly).
///
/// # Example
/// ```
/// use posfee::request::AmountInput;
/// let amounts: Vec<AmountInput> = serde_json::from_str(r#"["1000.50", 1000]"#)?;
/// assert_eq!(amounts[0].parse()?.to_string(), "1000.50");
/// assert_eq!(amounts[1].parse().unwrap_err().code(), "invalid_amount");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountInput {
    /// The decimal text.
    Text(String),
    /// A number, as it is shown in its refusal (a whole number as written, else `1000.00`).
    Number(String),
}

impl AmountInput {
    /// The amount, or the error of money given as a number.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] in the field `amount`.
    ///
    /// # Example
    /// ```
    /// use posfee::request::AmountInput;
    /// let error = AmountInput::Number("1000".into()).parse().unwrap_err();
    /// assert!(error.message().contains("pass a string such as \"1000\""));
    /// assert_eq!(error.location().field.as_deref(), Some("amount"));
    /// ```
    pub fn parse(&self) -> Result<Money> {
        match self {
            AmountInput::Text(text) => Money::parse_amount(text).map_err(|e| e.in_field("amount")),
            AmountInput::Number(number) => Err(self::refused_number(number)),
        }
    }
}

/// The error of an amount given as a number (shown as `number`).
fn refused_number(number: &str) -> Error {
    let instead = format!("pass a string such as \"{number}\"");
    float_money_error(&format!("amount {number} is a number"), &instead).in_field("amount")
}

impl<'de> Deserialize<'de> for AmountInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = AmountInput;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an amount as a string such as \"1000.00\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<AmountInput, E> {
                Ok(AmountInput::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<AmountInput, E> {
                Ok(AmountInput::Text(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<AmountInput, E> {
                Ok(AmountInput::Number(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<AmountInput, E> {
                Ok(AmountInput::Number(v.to_string()))
            }
            // A number with a fraction, or a whole one past 2⁵³: refused, shown by an example
            // (its own digits would need float printing).
            fn visit_f64<E: de::Error>(self, _refused: f64) -> std::result::Result<AmountInput, E> {
                Ok(AmountInput::Number("1000.00".to_owned()))
            }
        }
        deserializer.deserialize_any(AmountVisitor)
    }
}

/// Which schedule a request names: a preset, or TOML text.
///
/// # Example
/// ```
/// use posfee::request::ScheduleSource;
/// let source = ScheduleSource::of(&Some("standard".into()), &None)?;
/// assert_eq!(source.load()?.name(), "standard");
/// assert_eq!(ScheduleSource::of(&None, &None).unwrap_err().location().field.as_deref(), Some("preset"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleSource {
    /// A preset name.
    Preset(String),
    /// TOML text of a schedule.
    Toml(String),
}

impl ScheduleSource {
    /// The schedule of a request's `preset` and `schedule` fields, exactly one of them given
    /// (an empty string is a value, handed on, not an absent field).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] for both (field `schedule`) or neither (field `preset`).
    ///
    /// # Example
    /// ```
    /// use posfee::request::ScheduleSource;
    /// let both = ScheduleSource::of(&Some("standard".into()), &Some("name = 'x'".into())).unwrap_err();
    /// assert_eq!((both.code(), both.location().field.as_deref()), ("invalid_request", Some("schedule")));
    /// assert_eq!(ScheduleSource::of(&None, &Some(String::new()))?, ScheduleSource::Toml(String::new()));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn of(preset: &Option<String>, schedule: &Option<String>) -> Result<ScheduleSource> {
        let refused = |message: &str, field: &str| Err(Error::new(ErrorKind::InvalidRequest, message).in_field(field));
        match (preset, schedule) {
            (Some(name), None) => Ok(ScheduleSource::Preset(name.clone())),
            (None, Some(text)) => Ok(ScheduleSource::Toml(text.clone())),
            (Some(_), Some(_)) => refused("give either `preset` or `schedule`, not both", "schedule"),
            (None, None) => refused("give a `preset` name or a `schedule` (TOML text)", "preset"),
        }
    }

    /// The schedule, parsed.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownPreset`] (field `preset`) or [`ErrorKind::InvalidSchedule`] (field
    /// `schedule`).
    ///
    /// # Example
    /// ```
    /// use posfee::request::ScheduleSource;
    /// let error = ScheduleSource::Toml("name = \"x\"\nrate = ".into()).load().unwrap_err();
    /// assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_schedule", Some("schedule")));
    /// ```
    pub fn load(&self) -> Result<Schedule> {
        match self {
            ScheduleSource::Preset(name) => Schedule::preset(name).map_err(|e| e.in_field("preset")),
            ScheduleSource::Toml(text) => Schedule::from_toml(text).map_err(|e| e.in_field("schedule")),
        }
    }
}

/// Where the cap of a rule starts: the trade's fields other than its amount.
///
/// # Example
/// ```
/// use posfee::request::CapInput;
/// let input = CapInput { channel: "debit".into(), at: "2026-05-06 10:00".into(), ..Default::default() };
/// let threshold = input.cap_threshold(&posfee::Schedule::preset("sft-traditional")?)?.expect("a capped rule");
/// assert_eq!(threshold.cap.to_string(), "20.00");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapInput {
    /// The channel name.
    pub channel: String,
    /// The trade time.
    pub at: String,
    /// The merchant class.
    pub merchant_class: Option<String>,
    /// The card type (`credit` / `debit`).
    pub card_type: Option<String>,
}

impl CapInput {
    /// Where the cap of the rule pricing the channel starts to apply ([`Schedule::cap_threshold`]).
    ///
    /// # Errors
    /// The channel's, time's and card type's errors in their fields; the schedule's.
    ///
    /// # Example
    /// ```
    /// use posfee::request::CapInput;
    /// let input = CapInput { channel: "visa".into(), at: "2026-05-06".into(), ..Default::default() };
    /// let error = input.cap_threshold(&posfee::Schedule::preset("standard")?).unwrap_err();
    /// assert_eq!(error.location().field.as_deref(), Some("channel"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn cap_threshold(&self, schedule: &Schedule) -> Result<Option<CapThreshold>> {
        let (channel, at, card_type) = self.read()?;
        schedule.cap_threshold(channel, at, self.merchant_class.as_deref(), card_type)
    }

    /// The channel, time and card type, read (errors in their fields).
    fn read(&self) -> Result<(Channel, DateTime<FixedOffset>, Option<CardType>)> {
        let channel = Channel::parse(&self.channel).map_err(|e| e.in_field("channel"))?;
        let at = parse_china_time(&self.at).map_err(|e| e.in_field("at"))?;
        let card_type = self.card_type.as_deref().map(|t| CardType::parse(t).map_err(|e| e.in_field("card_type"))).transpose()?;
        Ok((channel, at, card_type))
    }
}

/// One purchase to quote, as text.
///
/// # Example
/// ```
/// use posfee::request::{CapInput, QuoteInput};
/// let trade = CapInput { channel: "debit".into(), at: "2026-09-30T22:30:00+08:00".into(), ..Default::default() };
/// let input = QuoteInput { amount: "5000".into(), trade, ..Default::default() };
/// let quote = input.quote(&posfee::Schedule::preset("sft-traditional")?, posfee::Calendar::china())?;
/// assert_eq!((quote.fee.to_string(), quote.settles_on.to_string()), ("20.00".into(), "2026-10-08".into()));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteInput {
    /// The amount, as text.
    pub amount: String,
    /// The channel, time, merchant class and card type.
    pub trade: CapInput,
    /// The settlement mode (default T1).
    pub settlement: Option<String>,
    /// Whether a settlement date past the calendar's data may be provisional (weekends only).
    pub provisional: Option<bool>,
    /// The merchant's limits to warn about.
    pub limits: Option<MerchantLimits>,
}

impl QuoteInput {
    /// The core's request.
    ///
    /// # Errors
    /// The first field that cannot be read, named.
    ///
    /// # Example
    /// ```
    /// use posfee::request::{CapInput, QuoteInput};
    /// let trade = CapInput { channel: "debit".into(), at: "2026-05-06".into(), ..Default::default() };
    /// let input = QuoteInput { amount: "5000".into(), trade, settlement: Some("T9x".into()), ..Default::default() };
    /// assert_eq!(input.request().unwrap_err().location().field.as_deref(), Some("settlement"));
    /// ```
    pub fn request(&self) -> Result<QuoteRequest> {
        let amount = Money::parse_amount(&self.amount).map_err(|e| e.in_field("amount"))?;
        let (channel, at, card_type) = self.trade.read()?;
        let mut request = QuoteRequest::new(amount, channel, at);
        if let Some(settlement) = self.settlement.as_deref() {
            request = request.settlement(SettlementMode::parse(settlement).map_err(|e| e.in_field("settlement"))?);
        }
        if let Some(class) = self.trade.merchant_class.as_deref() {
            request = request.merchant_class(class);
        }
        if let Some(card_type) = card_type {
            request = request.card_type(card_type);
        }
        if self.provisional == Some(true) {
            request = request.calendar_policy(CalendarPolicy::WeekendsOnly);
        }
        if let Some(limits) = &self.limits {
            request = request.limits(limits.clone());
        }
        Ok(request)
    }

    /// The quote of the purchase with `schedule`, settled by `calendar`.
    ///
    /// # Errors
    /// As [`QuoteInput::request`]; the schedule's and calendar's.
    ///
    /// # Example
    /// ```
    /// use posfee::request::{CapInput, QuoteInput};
    /// let trade = CapInput { channel: "debit".into(), at: "2031-05-06".into(), ..Default::default() };
    /// let input = QuoteInput { amount: "100".into(), trade, provisional: Some(true), ..Default::default() };
    /// assert!(input.quote(&posfee::Schedule::preset("standard")?, posfee::Calendar::china())?.settles_on_provisional);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote(&self, schedule: &Schedule, calendar: &Calendar) -> Result<Quote> {
        schedule.quote_with(&self.request()?, calendar)
    }
}

/// One trade of a table, by the canonical column names ([`crate::TRADE_COLUMNS`]).
///
/// # Example
/// ```
/// let row: posfee::request::TradeRow = serde_json::from_str(r#"{"amount": "100", "channel": "wechat", "time": "2026-05-06"}"#)?;
/// assert_eq!(row.settlement, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TradeRow {
    /// The amount, as text.
    pub amount: AmountInput,
    /// The channel name.
    pub channel: String,
    /// The trade time.
    pub time: String,
    /// The settlement mode (default: the request's, else T1).
    pub settlement: Option<String>,
    /// The merchant class.
    pub merchant_class: Option<String>,
    /// The card type.
    pub card_type: Option<String>,
}

/// The most rows one request of trades holds ([`QuoteManyInput`], [`CompareInput`]): the
/// rows arrive as objects, each held whole before the table is built.
pub const REQUEST_ROWS_MAX: usize = 1_000_000;

/// The rows as the core's trade columns (a row that cannot be read keeps its error).
fn trade_columns(rows: &[TradeRow]) -> Result<TradeColumns> {
    if rows.len() > REQUEST_ROWS_MAX {
        let message = format!("{} rows is more than the limit of {REQUEST_ROWS_MAX}", rows.len());
        return Err(Error::new(ErrorKind::InvalidRequest, message).in_field("rows"));
    }
    let mut columns = TradeColumns::new(&TradeDefaults::default());
    for row in rows {
        match &row.amount {
            AmountInput::Text(amount) => columns.push_text(&TradeText {
                amount,
                channel: &row.channel,
                time: &row.time,
                settlement: row.settlement.as_deref(),
                merchant_class: row.merchant_class.as_deref(),
                card_type: row.card_type.as_deref(),
            })?,
            AmountInput::Number(number) => columns.push_refused(refused_number(number)),
        }
    }
    Ok(columns)
}

/// The `on_invalid` word of a request (`raise` when absent).
fn on_invalid(text: &Option<String>) -> Result<OnInvalid> {
    OnInvalid::parse(text.as_deref().unwrap_or("raise"))
}

/// Trades to quote as one table, with one schedule (field names in camelCase, as JSON and
/// JavaScript write them).
///
/// # Example
/// ```
/// let input: posfee::request::QuoteManyInput = serde_json::from_str(
///     r#"{"preset": "sft-traditional", "rows": [{"amount": "5000", "channel": "debit", "time": "2026-09-30 22:30"}]}"#,
/// )?;
/// let rows = input.quote(posfee::Calendar::china())?;
/// assert_eq!((rows[0].fee.as_str(), rows[0].limit.as_str(), rows[0].settles_on.as_str()), ("20.00", "cap", "2026-10-08"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuoteManyInput {
    /// A preset name.
    pub preset: Option<String>,
    /// TOML text of a schedule.
    pub schedule: Option<String>,
    /// The trades.
    pub rows: Vec<TradeRow>,
    /// Whether settlement dates past the calendar's data may be provisional.
    pub provisional: Option<bool>,
    /// `raise` (the default: the first bad row is the error) or `report` (in its row).
    pub on_invalid: Option<String>,
}

impl QuoteManyInput {
    /// Every row quoted, as text: a row that cannot be quoted has its `error` (with `report`).
    ///
    /// # Errors
    /// The schedule's; more than [`REQUEST_ROWS_MAX`] rows; with `raise`, the first bad row's
    /// error (`row N: ...`, with its field).
    ///
    /// # Example
    /// ```
    /// let input: posfee::request::QuoteManyInput = serde_json::from_str(
    ///     r#"{"preset": "standard", "onInvalid": "report", "rows": [{"amount": 5, "channel": "debit", "time": "2026-05-06"}]}"#,
    /// )?;
    /// assert!(input.quote(posfee::Calendar::china())?[0].error.starts_with("invalid_amount: "));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn quote(&self, calendar: &Calendar) -> Result<Vec<QuotedRow>> {
        let schedule = ScheduleSource::of(&self.preset, &self.schedule)?.load()?;
        let policy = if self.provisional == Some(true) { CalendarPolicy::WeekendsOnly } else { CalendarPolicy::Strict };
        let options = TableOptions { on_invalid: on_invalid(&self.on_invalid)?, calendar_policy: policy };
        let (quoted, errors) = trade_columns(&self.rows)?.quote(&schedule, &options, calendar)?;
        let mut errors = errors.iter().peekable();
        Ok((0..self.rows.len())
            .map(|row| {
                let mut cells = quoted.row_cells(row);
                if let Some(bad) = errors.next_if(|e| e.row == row) {
                    cells = Default::default();
                    cells[8] = format!("{}: {}", bad.error.code(), bad.error.message());
                }
                let [fee, net, rule, limit, settlement_applied, trade_day, settles_on, warnings, error] = cells;
                QuotedRow { fee, net, rule, limit, settlement_applied, trade_day, settles_on, warnings, error }
            })
            .collect())
    }
}

/// A quoted row: the texts of [`crate::QUOTED_COLUMNS`], in that order
/// ([`crate::QuotedTable::row_cells`]).
///
/// # Example
/// ```
/// let row = posfee::request::QuotedRow { fee: "0.60".into(), ..Default::default() };
/// assert_eq!(serde_json::to_value(&row)?["fee"], "0.60");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QuotedRow {
    /// The fee, in yuan.
    pub fee: String,
    /// The amount less the fee.
    pub net: String,
    /// The rule's id.
    pub rule: String,
    /// `cap`, `floor` or empty.
    pub limit: String,
    /// The settlement mode applied.
    pub settlement_applied: String,
    /// The trade day.
    pub trade_day: String,
    /// The settlement date.
    pub settles_on: String,
    /// The warnings, joined by `;`.
    pub warnings: String,
    /// The row's error (`code: message`), or empty.
    pub error: String,
}

/// An offer to compare: a schedule, optionally with the settlement mode it comes with.
///
/// # Example
/// ```
/// let offer: posfee::request::OfferInput = serde_json::from_str(r#"{"preset": "sft-smart", "settlement": "D0"}"#)?;
/// assert_eq!(offer.settlement.as_deref(), Some("D0"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OfferInput {
    /// A preset name.
    pub preset: Option<String>,
    /// TOML text of a schedule.
    pub schedule: Option<String>,
    /// The settlement mode the offer comes with.
    pub settlement: Option<String>,
}

impl OfferInput {
    /// The core's offer.
    ///
    /// # Errors
    /// As [`ScheduleSource::of`] and [`ScheduleSource::load`]; a settlement mode that is not one.
    ///
    /// # Example
    /// ```
    /// let offer: posfee::request::OfferInput = serde_json::from_str(r#"{"preset": "sft-smart", "settlement": "T0x"}"#)?;
    /// assert_eq!(offer.offer().unwrap_err().location().field.as_deref(), Some("settlement"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn offer(&self) -> Result<Offer> {
        let offer = Offer::new(ScheduleSource::of(&self.preset, &self.schedule)?.load()?);
        match &self.settlement {
            Some(mode) => Ok(offer.settlement(SettlementMode::parse(mode).map_err(|e| e.in_field("settlement"))?)),
            None => Ok(offer),
        }
    }
}

/// Offers compared on rows of trades.
///
/// # Example
/// ```
/// let input: posfee::request::CompareInput = serde_json::from_str(r#"{
///     "rows": [{"amount": "5000", "channel": "debit", "time": "2026-05-06"}],
///     "offers": [{"preset": "sft-traditional"}, {"preset": "sft-smart"}]}"#)?;
/// assert_eq!(input.compare()?["offers"].as_array().map(Vec::len), Some(2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompareInput {
    /// The trades.
    pub rows: Vec<TradeRow>,
    /// The offers, the current one first.
    pub offers: Vec<OfferInput>,
    /// `raise` (default) or `report`.
    pub on_invalid: Option<String>,
}

impl CompareInput {
    /// The comparison, as the core's comparison JSON ([`crate::Comparison::to_json_value`]).
    ///
    /// # Errors
    /// An offer's (field `offers[k]...`); with `raise`, the first row that cannot be read or
    /// that an offer cannot price.
    ///
    /// # Example
    /// ```
    /// let input: posfee::request::CompareInput = serde_json::from_str(r#"{"rows": [], "offers": [{"preset": "nope"}]}"#)?;
    /// assert_eq!(input.compare().unwrap_err().location().field.as_deref(), Some("offers[0].preset"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn compare(&self) -> Result<serde_json::Value> {
        let mode = on_invalid(&self.on_invalid)?;
        let offers = self
            .offers
            .iter()
            .enumerate()
            .map(|(k, offer)| offer.offer().map_err(|e| e.in_field(format!("offers[{k}]"))))
            .collect::<Result<Vec<_>>>()?;
        Ok(trade_columns(&self.rows)?.compare(&offers, mode)?.to_json_value())
    }
}

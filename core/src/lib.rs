//! # posfee
//!
//! Exact fee and settlement calculations for China card and QR acquiring (POS terminals,
//! WeChat Pay, Alipay, UnionPay QR), with bulk reconciliation of trades against acquirer
//! statements.
//!
//! - [`Money`] and [`Rate`] are exact fixed-point numbers (no floating point anywhere).
//! - A [`Schedule`] is data (TOML/JSON): rules per channel with rate, cap, floor, fixed fee,
//!   amount bands, promotional windows, merchant classes; settlement surcharges; effective-
//!   dated versions; explicit [`Rounding`]. Presets ship in `data/presets/`.
//! - [`Schedule::quote`] gives the fee, the net amount, the settlement date and an
//!   explanation for a trade; voids and refunds too.
//! - [`Calendar`] is the mainland China working-day calendar (holidays and make-up working
//!   days, 2005–2026 embedded, newer years loadable at run time).
//! - [`mcc`] holds the merchant category codes (MCC) and the fee class each one was priced
//!   in before 2016 (餐娱类, 一般类, 民生类, 公益类, ...), as data.
//! - [`CostModel`] splits a card fee into the regulated issuer and network fees and the
//!   acquirer's margin.
//!
//! ```
//! use posfee::{Channel, Money, QuoteRequest, Schedule, SettlementMode, parse_china_time};
//!
//! let schedule = Schedule::preset("sft-traditional")?;
//! let request = QuoteRequest::new(Money::parse_amount("5000")?, Channel::Debit, parse_china_time("2026-09-30T22:30:00+08:00")?)
//!     .settlement(SettlementMode::T(1));
//! let quote = schedule.quote(&request)?;
//! assert_eq!(quote.fee, Money::from_yuan(20));          // 0.55% capped at ¥20
//! assert_eq!(quote.net.to_string(), "4980.00");
//! assert_eq!(quote.settles_on.to_string(), "2026-10-08"); // after the National Day break
//! # Ok::<(), posfee::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod calendar;
mod channel;
mod compare;
mod config_toml;
mod cost;
mod data_table;
mod error;
mod fixed;
mod lane;
mod lang;
mod limits;
pub mod mcc;
mod merchant_limits;
mod messages;
mod money;
mod presets;
mod quote;
mod quote_table;
mod rate;
#[cfg(feature = "reconcile")]
pub mod reconcile;
pub mod request;
mod rounding;
mod schedule;
mod settlement;
mod text;
mod trade_columns;

pub use calendar::{
    business_days_from_text, Calendar, CalendarUnder, Day, Holiday, HolidayCnDay, HolidayCnYear, ProvisionalCalendar, Reckoned,
    ANSWER_YEARS,
};
pub use channel::{CardType, Channel, ChannelInfo};
pub use compare::{break_even, compare, BreakEven, CapThreshold, Comparison, Offer, OfferTotals, Subtotal, OFFERS_MAX};
pub use cost::{CardFee, CostModel, CostSplit};
pub use error::{shown, Error, ErrorKind, Location, Result};
pub use lang::Lang;
pub use limits::{CONFIG_BYTES_MAX, CONFIG_DEPTH_MAX};
pub use merchant_limits::{BusinessHours, ChannelLimits, LimitKind, LimitWarning, MerchantLimits, CHANNEL_LIMITS_MAX};
pub use messages::Text;
pub use money::{float_money_error, Money, MILLIFEN_PER_FEN, MILLIFEN_PER_YUAN, MONEY_SCALE};
pub use presets::{preset_infos, preset_toml, presets, PresetInfo};
pub use quote::{AppliedLimit, CalendarPolicy, FeeLine, FeeLineKind, Limit, Quote, QuoteJson, QuoteRequest, TradeKind};
pub use quote_table::{
    Column, OnInvalid, QuotedTable, RowError, TableOptions, TradeTable, Warnings, MERCHANT_CLASS_NAMES_MAX, QUOTED_COLUMNS, TABLE_ROWS_MAX,
    TRADE_COLUMNS,
};
pub use rate::{Rate, RATE_ONE_E8, RATE_SCALE};
pub use rounding::{Rounding, RoundingMode};
pub use schedule::{RefundPolicy, Rule, Schedule, Surcharge, Version, RATE_SANITY_LIMIT};
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub use settlement::china_now;
pub use settlement::{china_offset, parse_china_time, parse_date, CutOff, SettlementMode};
pub use trade_columns::{TradeColumns, TradeDefaults, TradeText};

/// The README's Rust examples, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// Reads a UTF-8 text file, naming it in the error.
pub(crate) fn read_text_file(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| io_error(path, &e))
}

/// The error of a file that cannot be read: `cannot read PATH: why`, at the file.
pub(crate) fn io_error(path: &std::path::Path, error: &std::io::Error) -> Error {
    let file = path.display().to_string();
    Error::new(ErrorKind::Io, format!("cannot read {file}: {error}")).at(Location::default().file(file))
}

/// Reads a whole file for a reader of bytes, naming the file in the error.
///
/// # Errors
/// [`ErrorKind::Io`] (`cannot read PATH: why`, at the file).
///
/// # Example
/// ```
/// let err = posfee::read_file(std::path::Path::new("no-such-file.csv")).unwrap_err();
/// assert_eq!(err.code(), "io");
/// assert_eq!(err.location().file.as_deref(), Some("no-such-file.csv"));
/// ```
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| io_error(path, &e))
}

/// The first `limit` bytes of a file (all of a shorter one), to choose its format; the error
/// names the file.
///
/// # Errors
/// [`ErrorKind::Io`], as [`read_file`].
///
/// # Example
/// ```
/// let path = std::env::temp_dir().join("posfee-read-head.txt");
/// std::fs::write(&path, "交易日期,金额\n")?;
/// assert_eq!(posfee::read_file_head(&path, 4)?, "交易".as_bytes()[..4]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_file_head(path: &std::path::Path, limit: usize) -> Result<Vec<u8>> {
    use std::io::Read as _;
    let mut head = Vec::new();
    std::fs::File::open(path).and_then(|file| file.take(limit as u64).read_to_end(&mut head)).map_err(|e| io_error(path, &e))?;
    Ok(head)
}

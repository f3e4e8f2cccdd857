//! Arrow record batches ↔ the core's columnar `Ledger` and `Statement`.
//!
//! Only type conversion happens here: each Arrow column is read as the core type of the
//! canonical schema (see `posfee::reconcile` and the Python docs of `posfee.reconcile`).
//! Schema problems (a missing column, a column of the wrong type, money as floats) fail
//! the whole call; a bad value in one row is an error naming the row and the column, or,
//! with `on_invalid="report"`, an unreadable row of the report (never dropped).

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Decimal128Type, Int64Type};
use arrow_array::{Array, ArrayRef, Date32Array, Decimal128Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};

use posfee::reconcile::{Ledger, LedgerRow, Statement, StatementRow};
use posfee::{CardType, Channel, Error, ErrorKind, Location, Money, TradeKind};

/// A failure of a conversion: a wrong column type (→ `TypeError`), money as floats (→
/// `FloatAmountError`, with the column) or a core error.
pub enum Failure {
    Type(String),
    Float(String, String),
    Core(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Core(error)
    }
}

pub use posfee::OnInvalid;

fn missing(side: &str, column: &str, batch: &RecordBatch) -> Failure {
    let present: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
    Failure::Core(
        Error::new(
            ErrorKind::InvalidRecord,
            format!(
                "the {side} has no column `{column}` (it has: {})",
                if present.is_empty() { "none".to_string() } else { present.join(", ") }
            ),
        )
        .in_field(column),
    )
}

fn wrong_type(side: &str, column: &str, data_type: &DataType, expected: &str) -> Failure {
    if matches!(data_type, DataType::Float16 | DataType::Float32 | DataType::Float64) && expected.contains("decimal") {
        return Failure::Float(
            format!(
                "column `{column}` of the {side} is {data_type}, and money is never a float in posfee (floats are not \
                 accepted): binary floating point cannot hold most decimal amounts exactly, so fees would be wrong by \
                 fractions of a fen; use decimal (e.g. pyarrow.decimal128(18, 2), polars.Decimal, or decimal.Decimal \
                 objects in pandas), strings, or integers of yuan"
            ),
            column.to_string(),
        );
    }
    Failure::Type(format!("column `{column}` of the {side} must be {expected}, not {data_type}"))
}

/// A text column (any string type, or dictionary of strings), read as `StringArray`.
pub struct Text(pub Option<StringArray>);

impl Text {
    /// The value of a row; `None` for a null or an absent column.
    #[inline]
    pub fn get(&self, row: usize) -> Option<&str> {
        self.0.as_ref().and_then(|a| if a.is_null(row) { None } else { Some(a.value(row)) })
    }
}

pub fn text(side: &str, batch: &RecordBatch, index: &HashMap<String, usize>, column: &str, required: bool) -> Result<Text, Failure> {
    let Some(&position) = index.get(column) else {
        return if required { Err(missing(side, column, batch)) } else { Ok(Text(None)) };
    };
    let array = batch.column(position);
    let string_like = match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => true,
        DataType::Dictionary(_, value) => matches!(**value, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View),
        _ => false,
    };
    if !string_like {
        return Err(wrong_type(side, column, array.data_type(), "strings (text keeps leading zeros of ids)"));
    }
    let utf8 = arrow_cast::cast(array, &DataType::Utf8).map_err(|e| Failure::Type(format!("column `{column}` of the {side}: {e}")))?;
    Ok(Text(Some(utf8.as_string::<i32>().clone())))
}

/// A money column: decimal (exact), text, or integers of yuan (read as decimals of scale 0,
/// which hold every integer type exactly).
pub enum MoneyColumn {
    Decimal(Decimal128Array, u32),
    Text(StringArray),
    Yuan(Decimal128Array),
    Absent,
}

pub fn money_column(
    side: &str,
    batch: &RecordBatch,
    index: &HashMap<String, usize>,
    column: &str,
    required: bool,
) -> Result<MoneyColumn, Failure> {
    let Some(&position) = index.get(column) else {
        return if required { Err(missing(side, column, batch)) } else { Ok(MoneyColumn::Absent) };
    };
    let array = batch.column(position);
    Ok(match array.data_type() {
        DataType::Decimal32(_, scale) | DataType::Decimal64(_, scale) | DataType::Decimal128(_, scale) | DataType::Decimal256(_, scale) => {
            if *scale < 0 {
                return Err(wrong_type(side, column, array.data_type(), "a decimal with a non-negative scale"));
            }
            MoneyColumn::Decimal(decimal128(side, column, array, *scale)?, *scale as u32)
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(_, _) | DataType::Null => {
            // Null: a column of nulls (e.g. an empty pandas partition), read as text.
            let Text(Some(text)) = self::text(side, batch, index, column, true)? else { unreachable!("required") };
            MoneyColumn::Text(text)
        }
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => MoneyColumn::Yuan(decimal128(side, column, array, 0)?),
        other => return Err(wrong_type(side, column, other, "decimal, strings or integers of yuan")),
    })
}

/// A decimal or integer column as 128-bit decimals of the given scale (exact).
fn decimal128(side: &str, column: &str, array: &ArrayRef, scale: i8) -> Result<Decimal128Array, Failure> {
    let as128 = arrow_cast::cast(array, &DataType::Decimal128(38, scale))
        .map_err(|e| Failure::Type(format!("column `{column}` of the {side}: {e}")))?;
    Ok(as128.as_primitive::<Decimal128Type>().clone())
}

impl MoneyColumn {
    /// The value of a row (`None` for null or an absent column). `amount` selects the trade
    /// amount check (non-negative, whole fen) over the statement money check.
    #[inline]
    pub fn get(&self, row: usize, amount: bool) -> Result<Option<Money>, Error> {
        let parse = |text: &str| if amount { Money::parse_amount(text) } else { Money::parse(text) };
        match self {
            MoneyColumn::Absent => Ok(None),
            MoneyColumn::Decimal(array, scale) => {
                if array.is_null(row) {
                    return Ok(None);
                }
                let value = array.value(row);
                // The usual case (an amount with at most 5 decimals that fits in i64) in i64.
                let fast = (*scale <= 5).then(|| i64::try_from(value).ok()?.checked_mul(10i64.pow(5 - scale))).flatten();
                let millifen = if let Some(millifen) = fast {
                    Some(i128::from(millifen))
                } else if *scale <= 5 {
                    value.checked_mul(10i128.pow(5 - scale))
                } else {
                    let unit = 10i128.pow(scale - 5);
                    (value % unit == 0).then(|| value / unit)
                };
                // Beyond i64 millifen or with more than 5 places: the core reads the exact text
                // and names what is wrong (out of range, too many decimal places).
                let Some(millifen) = millifen.and_then(|m| i64::try_from(m).ok()) else {
                    return parse(&<Decimal128Type as arrow_array::types::DecimalType>::format_decimal(value, 38, *scale as i8)).map(Some);
                };
                let money = Money::from_millifen(millifen)?;
                if amount {
                    money.into_amount().map(Some)
                } else {
                    Ok(Some(money))
                }
            }
            MoneyColumn::Text(array) => {
                if array.is_null(row) {
                    return Ok(None);
                }
                parse(array.value(row)).map(Some)
            }
            MoneyColumn::Yuan(array) => {
                if array.is_null(row) {
                    return Ok(None);
                }
                let yuan = array.value(row);
                let Some(fen) = yuan.checked_mul(100).and_then(|f| i64::try_from(f).ok()) else {
                    // The core names a value beyond range in its own words.
                    return parse(&yuan.to_string()).map(Some);
                };
                let money = Money::try_from_fen(fen)?;
                if amount {
                    money.into_amount().map(Some)
                } else {
                    Ok(Some(money))
                }
            }
        }
    }
}

/// A time column: timestamps (aware: an instant; naive: China wall-clock time), dates
/// (midnight China time) or text (RFC 3339, or China time without an offset).
pub enum TimeValues {
    Timestamp(Int64Array, i64, bool),
    Date(Date32Array),
    Text(StringArray),
}

pub struct TimeColumn {
    pub values: TimeValues,
    /// The China day (since 1970) of the last date read and the date.
    last_date: Cell<Option<(i64, NaiveDate)>>,
    /// The day (since 1970, UTC) of the last instant read and its date: the rows of one day
    /// (the usual order) share the calendar arithmetic.
    last_day: Cell<Option<(i64, NaiveDate)>>,
}

pub fn time_column(side: &str, batch: &RecordBatch, index: &HashMap<String, usize>, column: &str) -> Result<TimeColumn, Failure> {
    let Some(&position) = index.get(column) else { return Err(missing(side, column, batch)) };
    let array = batch.column(position);
    let values = match array.data_type() {
        DataType::Timestamp(unit, tz) => {
            let per_second = match unit {
                TimeUnit::Second => 1,
                TimeUnit::Millisecond => 1_000,
                TimeUnit::Microsecond => 1_000_000,
                TimeUnit::Nanosecond => 1_000_000_000,
            };
            let as_i64 = arrow_cast::cast(array, &DataType::Int64).map_err(|e| Failure::Type(format!("column `{column}`: {e}")))?;
            TimeValues::Timestamp(as_i64.as_primitive::<Int64Type>().clone(), per_second, tz.is_some())
        }
        DataType::Date32 | DataType::Date64 => {
            let as_date32 = arrow_cast::cast(array, &DataType::Date32).map_err(|e| Failure::Type(format!("column `{column}`: {e}")))?;
            TimeValues::Date(as_date32.as_primitive::<Date32Type>().clone())
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(_, _) | DataType::Null => {
            let Text(Some(text)) = self::text(side, batch, index, column, true)? else { unreachable!("required") };
            TimeValues::Text(text)
        }
        other => return Err(wrong_type(side, column, other, "timestamps, dates or ISO 8601 strings")),
    };
    Ok(TimeColumn { values, last_date: Cell::new(None), last_day: Cell::new(None) })
}

/// The Unix seconds of a timestamp of `per_second` units; a naive timestamp is China
/// wall-clock time, as for scalar quotes.
#[inline]
pub fn timestamp_seconds(value: i64, per_second: i64, aware: bool) -> i64 {
    let seconds = value.div_euclid(per_second);
    if aware {
        seconds
    } else {
        seconds.saturating_sub(8 * 3600)
    }
}

fn china(seconds: i64) -> Option<DateTime<FixedOffset>> {
    posfee::china_offset().timestamp_opt(seconds, 0).single()
}

impl TimeColumn {
    /// [`china`] of `seconds`, the date taken from the last row's when the day is the same.
    #[inline]
    fn instant(&self, seconds: i64) -> Result<DateTime<FixedOffset>, Error> {
        let (day, second) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400) as u32);
        if let Some((_, date)) = self.last_day.get().filter(|(last, _)| *last == day) {
            let time = NaiveTime::from_num_seconds_from_midnight_opt(second, 0).expect("a second of the day");
            return Ok(DateTime::from_naive_utc_and_offset(date.and_time(time), posfee::china_offset()));
        }
        let instant = china(seconds).ok_or_else(|| Error::new(ErrorKind::InvalidDate, "time is out of range"))?;
        self.last_day.set(Some((day, instant.naive_utc().date())));
        Ok(instant)
    }

    /// The instant of a row of timestamps or dates in Unix seconds, unchecked (`Some(None)`:
    /// null); `None` for text.
    #[inline]
    fn seconds(&self, row: usize) -> Option<Option<i64>> {
        Some(match &self.values {
            TimeValues::Timestamp(array, _, _) if array.is_null(row) => None,
            TimeValues::Date(array) if array.is_null(row) => None,
            TimeValues::Timestamp(array, per_second, aware) => Some(timestamp_seconds(array.value(row), *per_second, *aware)),
            TimeValues::Date(array) => Some(i64::from(array.value(row)) * 86_400 - 8 * 3600),
            TimeValues::Text(_) => return None,
        })
    }

    /// The instant of a row in Unix seconds; `None` for a null or a value that does not read.
    #[inline]
    pub fn unix_seconds(&self, row: usize) -> Option<i64> {
        match self.seconds(row) {
            Some(seconds) => seconds,
            None => self.get(row).ok().flatten().map(|time| time.timestamp()),
        }
    }

    #[inline]
    fn get(&self, row: usize) -> Result<Option<DateTime<FixedOffset>>, Error> {
        match (&self.values, self.seconds(row)) {
            (_, Some(seconds)) => seconds.map(|seconds| self.instant(seconds)).transpose(),
            (TimeValues::Text(array), None) if !array.is_null(row) => posfee::parse_china_time(array.value(row)).map(Some),
            _ => Ok(None),
        }
    }

    pub fn date(&self, row: usize) -> Result<Option<NaiveDate>, Error> {
        match &self.values {
            TimeValues::Text(array) => {
                if array.is_null(row) {
                    return Ok(None);
                }
                let text = array.value(row);
                posfee::parse_date(text).or_else(|_| posfee::parse_china_time(text).map(|t| t.date_naive())).map(Some)
            }
            _ => {
                let Some(seconds) = self.seconds(row).flatten() else { return Ok(None) };
                let day = (seconds + 8 * 3600).div_euclid(86_400);
                // Far from the ends of chrono's range, a day's instants are all valid or not.
                let sure = (-(1 << 40)..1 << 40).contains(&seconds);
                if let Some((_, date)) = self.last_date.get().filter(|(last, _)| sure && *last == day) {
                    return Ok(Some(date));
                }
                let date = self.instant(seconds)?.date_naive();
                self.last_date.set(Some((day, date)));
                Ok(Some(date))
            }
        }
    }
}

pub fn kind(text: Option<&str>) -> Result<TradeKind, Error> {
    // The canonical names and no kind at all, the usual values, without trimming.
    match text {
        None | Some("") | Some("purchase") => return Ok(TradeKind::Purchase),
        Some("void") => return Ok(TradeKind::Void),
        Some("refund") => return Ok(TradeKind::Refund),
        Some(_) => {}
    }
    let text = text.unwrap_or("").trim();
    if text.is_empty() {
        return Ok(TradeKind::Purchase);
    }
    [TradeKind::Purchase, TradeKind::Void, TradeKind::Refund]
        .into_iter()
        .find(|k| k.name().eq_ignore_ascii_case(text))
        .ok_or_else(|| Error::new(ErrorKind::InvalidRecord, format!("kind {text:?} is not purchase, void or refund")))
}

/// The response code of an approved trade, the default of a ledger row.
pub const APPROVED: &str = "00";

/// An error when a column name appears twice (which of the two would be meant?).
pub fn unique_columns(side: &str, batch: &RecordBatch) -> Result<(), Failure> {
    let schema = batch.schema();
    let mut seen = std::collections::HashSet::new();
    match schema.fields().iter().map(|f| f.name()).find(|name| !seen.insert(name.as_str())) {
        None => Ok(()),
        Some(name) => Err(Failure::Core(
            Error::new(ErrorKind::InvalidRecord, format!("the {side} has the column `{name}` more than once")).in_field(name.as_str()),
        )),
    }
}

pub fn column_index(batch: &RecordBatch) -> HashMap<String, usize> {
    batch.schema().fields().iter().enumerate().map(|(i, f)| (f.name().clone(), i)).collect()
}

fn required<T>(value: Option<T>, column: &str) -> Result<T, Error> {
    value.ok_or_else(|| Error::new(ErrorKind::InvalidRecord, format!("`{column}` is null")).in_field(column))
}

fn located(error: Error, name: &str, row: u64, column: &str) -> Error {
    let error = if error.location().field.is_none() { error.in_field(column) } else { error };
    error.at(Location::default().file(name).line(row))
}

/// What becomes of a row that cannot be read: it stops the conversion (`Raise`), or is kept
/// by `keep` as an issue whose raw text names the row (`Report`).
fn reject(on_invalid: OnInvalid, error: Error, keep: impl FnOnce(Error, String)) -> Result<(), Error> {
    match on_invalid {
        OnInvalid::Raise => Err(error),
        OnInvalid::Report => {
            let raw = format!("row {}", error.location().line.unwrap_or_default());
            keep(error, raw);
            Ok(())
        }
    }
}

/// Appends the rows of a batch to a ledger. `first_row` is the 0-based row number of the
/// batch's first row in the whole input.
pub fn push_ledger_batch(ledger: &mut Ledger, batch: &RecordBatch, first_row: u64, on_invalid: OnInvalid) -> Result<(), Failure> {
    const SIDE: &str = "ledger";
    let index = column_index(batch);
    let trade_id = text(SIDE, batch, &index, "trade_id", true)?;
    let time = time_column(SIDE, batch, &index, "time")?;
    let amount = money_column(SIDE, batch, &index, "amount", true)?;
    let channel = text(SIDE, batch, &index, "channel", true)?;
    let rrn = text(SIDE, batch, &index, "rrn", false)?;
    let trace = text(SIDE, batch, &index, "trace", false)?;
    let terminal = text(SIDE, batch, &index, "terminal", false)?;
    let merchant_no = text(SIDE, batch, &index, "merchant_no", false)?;
    let card_type = text(SIDE, batch, &index, "card_type", false)?;
    let kind_column = text(SIDE, batch, &index, "kind", false)?;
    let response_code = text(SIDE, batch, &index, "response_code", false)?;
    let original_rrn = text(SIDE, batch, &index, "original_rrn", false)?;
    let name = ledger.name().to_string();
    let build = |row: usize| -> Result<LedgerRow<'_>, Error> {
        let line = first_row + row as u64 + 1;
        (|| -> Result<LedgerRow<'_>, Error> {
            let time = required(time.get(row).map_err(|e| located(e, &name, line, "time"))?, "time")?;
            let amount = required(amount.get(row, true).map_err(|e| located(e, &name, line, "amount"))?, "amount")?;
            let channel = Channel::parse(required(channel.get(row), "channel")?).map_err(|e| located(e, &name, line, "channel"))?;
            let card_type = match card_type.get(row).filter(|c| !c.trim().is_empty()) {
                Some(card) => Some(CardType::parse(card).map_err(|e| located(e, &name, line, "card_type"))?),
                None => None,
            };
            Ok(LedgerRow {
                trade_id: required(trade_id.get(row), "trade_id")?,
                rrn: rrn.get(row).unwrap_or(""),
                trace: trace.get(row).unwrap_or(""),
                terminal: terminal.get(row).unwrap_or(""),
                merchant_no: merchant_no.get(row).unwrap_or(""),
                time,
                amount,
                channel,
                card_type,
                kind: kind(kind_column.get(row)).map_err(|e| located(e, &name, line, "kind"))?,
                // A ledger row without a response code was approved (LedgerRecord's default).
                response_code: response_code.get(row).unwrap_or(APPROVED),
                original_rrn: original_rrn.get(row).unwrap_or(""),
                line,
            })
        })()
        .map_err(|e| e.at(Location::default().file(name.clone()).line(line)))
    };
    ledger.extend_rows(batch.num_rows(), build, |ledger, error| reject(on_invalid, error, |error, raw| ledger.push_issue(error, raw)))?;
    Ok(())
}

/// Appends the rows of a batch to a statement.
pub fn push_statement_batch(statement: &mut Statement, batch: &RecordBatch, first_row: u64, on_invalid: OnInvalid) -> Result<(), Failure> {
    const SIDE: &str = "statement";
    let index = column_index(batch);
    let settlement_date = time_column(SIDE, batch, &index, "settlement_date")?;
    let time = time_column(SIDE, batch, &index, "time")?;
    let amount = money_column(SIDE, batch, &index, "amount", true)?;
    let fee = money_column(SIDE, batch, &index, "fee", true)?;
    let net = money_column(SIDE, batch, &index, "net", false)?;
    let channel = text(SIDE, batch, &index, "channel", true)?;
    let merchant_no = text(SIDE, batch, &index, "merchant_no", false)?;
    let merchant_name = text(SIDE, batch, &index, "merchant_name", false)?;
    let terminal = text(SIDE, batch, &index, "terminal", false)?;
    let batch_number = text(SIDE, batch, &index, "batch", false)?;
    let rrn = text(SIDE, batch, &index, "rrn", false)?;
    let kind_column = text(SIDE, batch, &index, "kind", false)?;
    let name = statement.name().to_string();
    let build = |row: usize| -> Result<StatementRow<'_>, Error> {
        let line = first_row + row as u64 + 1;
        (|| -> Result<StatementRow<'_>, Error> {
            let date = required(settlement_date.date(row).map_err(|e| located(e, &name, line, "settlement_date"))?, "settlement_date")?;
            let time = required(time.get(row).map_err(|e| located(e, &name, line, "time"))?, "time")?;
            let amount = required(amount.get(row, true).map_err(|e| located(e, &name, line, "amount"))?, "amount")?;
            let fee = required(fee.get(row, false).map_err(|e| located(e, &name, line, "fee"))?, "fee")?;
            let channel = Channel::parse(required(channel.get(row), "channel")?).map_err(|e| located(e, &name, line, "channel"))?;
            let kind = kind(kind_column.get(row)).map_err(|e| located(e, &name, line, "kind"))?;
            let net = match net.get(row, false).map_err(|e| located(e, &name, line, "net"))? {
                Some(net) => net,
                // Money::MAX stands in for a net beyond range: push_row rejects the fee.
                None if matches!(net, MoneyColumn::Absent) => kind.net(amount, fee).unwrap_or(Money::MAX),
                None => return Err(required::<Money>(None, "net").unwrap_err()),
            };
            Ok(StatementRow {
                settlement_date: date,
                merchant_no: merchant_no.get(row).unwrap_or(""),
                merchant_name: merchant_name.get(row).unwrap_or(""),
                terminal: terminal.get(row).unwrap_or(""),
                batch: batch_number.get(row).unwrap_or(""),
                rrn: rrn.get(row).unwrap_or(""),
                time,
                amount,
                fee,
                net,
                channel,
                kind,
                line,
            })
        })()
        .map_err(|e| e.at(Location::default().file(name.clone()).line(line)))
    };
    statement.extend_rows(batch.num_rows(), build, |statement, error| {
        reject(on_invalid, error, |error, raw| statement.push_issue(error, raw))
    })?;
    Ok(())
}

/// Arrow output helpers.
pub mod out {
    use super::*;
    use arrow_array::builder::{Decimal128Builder, StringBuilder, TimestampSecondBuilder};
    use arrow_array::Date32Array;
    use arrow_schema::{Field, Schema, SchemaRef};

    pub fn money_builder(capacity: usize, scale: i8) -> Decimal128Builder {
        Decimal128Builder::with_capacity(capacity)
            .with_precision_and_scale(if scale == 2 { 18 } else { 20 }, scale)
            .expect("valid decimal type")
    }

    /// Money as a decimal of the given scale (2 for amounts in fen, 5 for fees).
    pub fn money_value(money: Money, scale: i8) -> i128 {
        let millifen = i128::from(money.millifen());
        match scale {
            5 => millifen,
            _ => millifen / 1_000,
        }
    }

    pub fn ledger_batch(ledger: &Ledger) -> (SchemaRef, RecordBatch) {
        const NAMES: [&str; 10] =
            ["trade_id", "rrn", "trace", "terminal", "merchant_no", "channel", "card_type", "kind", "response_code", "original_rrn"];
        let n = ledger.len();
        let mut strings: Vec<StringBuilder> = NAMES.iter().map(|_| StringBuilder::with_capacity(n, n * 12)).collect();
        let mut time = TimestampSecondBuilder::with_capacity(n).with_timezone("+08:00");
        let mut amount = money_builder(n, 2);
        for i in 0..n {
            let r = ledger.record(i);
            let values = [
                r.trade_id.as_str(),
                r.rrn.as_str(),
                r.trace.as_str(),
                r.terminal.as_str(),
                r.merchant_no.as_str(),
                r.channel.name(),
                r.card_type.map(|c| c.name()).unwrap_or(""),
                r.kind.name(),
                r.response_code.as_str(),
                r.original_rrn.as_str(),
            ];
            for (builder, value) in strings.iter_mut().zip(values) {
                builder.append_value(value);
            }
            time.append_value(r.time.timestamp());
            amount.append_value(money_value(r.amount, 2));
        }
        let mut columns: Vec<(String, ArrayRef)> =
            NAMES.iter().zip(strings.iter_mut()).map(|(name, b)| (name.to_string(), Arc::new(b.finish()) as ArrayRef)).collect();
        columns.insert(5, ("time".into(), Arc::new(time.finish())));
        columns.insert(6, ("amount".into(), Arc::new(amount.finish())));
        batch(columns)
    }

    pub fn statement_batch(statement: &Statement) -> (SchemaRef, RecordBatch) {
        let n = statement.len();
        let mut strings: Vec<StringBuilder> = (0..7).map(|_| StringBuilder::with_capacity(n, n * 12)).collect();
        let mut dates: Vec<i32> = Vec::with_capacity(n);
        let mut time = TimestampSecondBuilder::with_capacity(n).with_timezone("+08:00");
        let mut amount = money_builder(n, 2);
        let mut fee = money_builder(n, 5);
        let mut net = money_builder(n, 5);
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
        for i in 0..n {
            let r = statement.record(i);
            let values = [
                r.merchant_no.as_str(),
                r.merchant_name.as_str(),
                r.terminal.as_str(),
                r.batch.as_str(),
                r.rrn.as_str(),
                r.channel.name(),
                r.kind.name(),
            ];
            for (builder, value) in strings.iter_mut().zip(values) {
                builder.append_value(value);
            }
            dates.push((r.settlement_date - epoch).num_days() as i32);
            time.append_value(r.time.timestamp());
            amount.append_value(money_value(r.amount, 2));
            fee.append_value(money_value(r.fee, 5));
            net.append_value(money_value(r.net, 5));
        }
        let mut built = strings.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef);
        let mut next = || built.next().expect("seven columns");
        let columns: Vec<(String, ArrayRef)> = vec![
            ("settlement_date".into(), Arc::new(Date32Array::from(dates))),
            ("merchant_no".into(), next()),
            ("merchant_name".into(), next()),
            ("terminal".into(), next()),
            ("batch".into(), next()),
            ("rrn".into(), next()),
            ("time".into(), Arc::new(time.finish())),
            ("amount".into(), Arc::new(amount.finish())),
            ("fee".into(), Arc::new(fee.finish())),
            ("net".into(), Arc::new(net.finish())),
            ("channel".into(), next()),
            ("kind".into(), next()),
            ("line".into(), Arc::new(arrow_array::UInt64Array::from(statement.lines().to_vec()))),
        ];
        batch(columns)
    }

    pub fn batch(columns: Vec<(String, ArrayRef)>) -> (SchemaRef, RecordBatch) {
        let fields: Vec<Field> = columns.iter().map(|(name, array)| Field::new(name, array.data_type().clone(), true)).collect();
        let schema: SchemaRef = Arc::new(Schema::new(fields));
        let arrays: Vec<ArrayRef> = columns.into_iter().map(|(_, a)| a).collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays).expect("columns of equal length and matching types");
        (schema, batch)
    }
}

//! `posfee._core` table quotes and comparisons: an Arrow table of trades (the canonical
//! columns, `posfee::TRADE_COLUMNS`) is converted, a batch at a time, into the columns of a
//! `posfee::TradeTable`; the core prices it (`Schedule::quote_table`, `posfee::compare`);
//! the quoted columns come back as Arrow arrays (decimal128 money, date32 dates). Only
//! conversions happen here; the GIL is released throughout.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::cast::AsArray;
use arrow_array::types::Int32Type;
use arrow_array::{Array, ArrayRef, DictionaryArray, Int32Array, RecordBatch, StringArray};
use arrow_array::{Date32Array, Decimal128Array};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use chrono::Datelike;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;
use rayon::prelude::*;

use posfee::{
    CalendarPolicy, CardType, Channel, Column, Error, ErrorKind, Money, Offer, OnInvalid, QuotedTable, RowError, Schedule, SettlementMode,
    TableOptions, TradeTable, Warnings, QUOTED_COLUMNS,
};

use crate::errors::{core_error, float_error, panic_error, run, Outcome};
use crate::quote::PySchedule;

/// A conversion failure of the whole input (→ `TypeError` / `FloatAmountError`) or a core error.
enum Failure {
    Type(String),
    Float(String, &'static str),
    Core(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::Core(error)
    }
}

fn finish<T>(py: Python<'_>, outcome: Outcome<Result<T, Failure>>) -> PyResult<T> {
    match outcome {
        Outcome::Done(Ok(value)) => Ok(value),
        Outcome::Done(Err(Failure::Type(message))) => Err(PyTypeError::new_err(message)),
        Outcome::Done(Err(Failure::Float(message, column))) => Err(float_error(py, &message, &posfee::Location::default().field(column))),
        Outcome::Done(Err(Failure::Core(error))) | Outcome::Failed(error) => Err(core_error(py, &error)),
        Outcome::Panicked(payload) => Err(panic_error(py, payload)),
    }
}

/// Values for the optional columns when a table lacks them (or a cell is null).
#[derive(Clone)]
pub struct Defaults {
    settlement: SettlementMode,
    merchant_class: String,
    card_type: Option<CardType>,
}

/// One batch as core columns; rows whose values cannot be read carry placeholders and an error.
struct Converted {
    amount_fen: Vec<i64>,
    channel: Vec<Channel>,
    time_unix_s: Vec<i64>,
    settlement: Vec<SettlementMode>,
    merchant_class: Vec<u32>,
    card_type: Vec<Option<CardType>>,
    errors: Vec<RowError>,
}

fn row_error(row: usize, field: &str, error: Error) -> RowError {
    let message = format!("row {row}: {}", error.message());
    RowError { row, error: Error::new(error.kind(), message).at(error.location().clone().field(field)) }
}

/// Text cells of a column, parsed once per distinct text (columns of channels and modes
/// repeat a handful of values).
fn parsed_texts<T: Copy>(
    array: &StringArray,
    parse: impl Fn(&str) -> posfee::Result<T>,
    mut each: impl FnMut(usize, Option<Result<T, &Error>>),
) {
    // A few distinct texts, compared byte for byte (no hashing); past 32, a map. Errors are
    // kept once each, values are `Copy`: no per-row allocation.
    let mut errors: Vec<Error> = Vec::new();
    let mut seen: Vec<(&str, Result<T, usize>)> = Vec::new();
    let mut many: HashMap<&str, Result<T, usize>> = HashMap::new();
    for row in 0..array.len() {
        if array.is_null(row) {
            each(row, None);
            continue;
        }
        let text = array.value(row);
        let found = match seen.iter().find(|(known, _)| known.len() == text.len() && *known == text) {
            Some((_, value)) => *value,
            None => {
                let mut parsed = || match parse(text) {
                    Ok(value) => Ok(value),
                    Err(error) => {
                        errors.push(error);
                        Err(errors.len() - 1)
                    }
                };
                if seen.len() < 32 {
                    let value = parsed();
                    seen.push((text, value));
                    value
                } else {
                    match many.get(text) {
                        Some(value) => *value,
                        None => {
                            let value = parsed();
                            many.insert(text, value);
                            value
                        }
                    }
                }
            }
        };
        each(row, Some(found.map_err(|k| &errors[k])));
    }
}

fn as_text(column: &str, array: &ArrayRef) -> Result<StringArray, Failure> {
    let string_like = match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => true,
        DataType::Dictionary(_, value) => matches!(**value, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View),
        _ => false,
    };
    if !string_like {
        return Err(Failure::Type(format!("column `{column}` of the trades must be strings, not {}", array.data_type())));
    }
    let utf8 = arrow_cast::cast(array, &DataType::Utf8).map_err(|e| Failure::Type(format!("column `{column}` of the trades: {e}")))?;
    Ok(utf8.as_string::<i32>().clone())
}

/// Amounts in fen: decimal (exact), integers of yuan, or text; never floats.
fn amounts(array: &ArrayRef, offset: usize, errors: &mut Vec<RowError>) -> Result<Vec<i64>, Failure> {
    let bad = |row: usize, message: String| row_error(offset + row, "amount", Error::new(ErrorKind::InvalidAmount, message));
    let mut out = Vec::with_capacity(array.len());
    match array.data_type() {
        DataType::Decimal128(_, scale) => {
            let values = array.as_primitive::<arrow_array::types::Decimal128Type>();
            let scale = i32::from(*scale);
            for row in 0..values.len() {
                if values.is_null(row) {
                    errors.push(bad(row, "the amount is missing".into()));
                    out.push(0);
                    continue;
                }
                let value = values.value(row);
                let fen = if scale <= 2 {
                    10i128.checked_pow((2 - scale) as u32).and_then(|factor| value.checked_mul(factor))
                } else {
                    let factor = 10i128.checked_pow((scale - 2) as u32).unwrap_or(i128::MAX);
                    (value % factor == 0).then(|| value / factor)
                };
                match fen.and_then(|fen| i64::try_from(fen).ok()) {
                    Some(fen) => out.push(fen),
                    None => {
                        let text = Money::parse(&arrow_cast::display::array_value_to_string(array, row).unwrap_or_default())
                            .and_then(Money::into_amount)
                            .err()
                            .map_or_else(|| "the amount is not a whole number of fen".to_string(), |e| e.message().to_string());
                        errors.push(bad(row, text));
                        out.push(0);
                    }
                }
            }
        }
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::UInt8 | DataType::UInt16 | DataType::UInt32 => {
            let values = arrow_cast::cast(array, &DataType::Int64).map_err(|e| Failure::Type(e.to_string()))?;
            let values = values.as_primitive::<arrow_array::types::Int64Type>();
            for row in 0..values.len() {
                match (values.is_valid(row)).then(|| values.value(row).checked_mul(100)).flatten() {
                    Some(fen) => out.push(fen),
                    None => {
                        errors.push(bad(
                            row,
                            if values.is_null(row) { "the amount is missing".into() } else { "the amount is out of range".into() },
                        ));
                        out.push(0);
                    }
                }
            }
        }
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            return Err(Failure::Float(
                format!(
                    "column `amount` of the trades is {}, and money is never a float in posfee: use decimal (e.g. \
                     pyarrow.decimal128(18, 2), polars.Decimal, or decimal.Decimal objects in pandas), strings, or integers of yuan",
                    array.data_type()
                ),
                "amount",
            ))
        }
        _ => {
            let text = as_text("amount", array).map_err(|_| {
                Failure::Type(format!(
                    "column `amount` of the trades must be decimal, integers of yuan or strings, not {}",
                    array.data_type()
                ))
            })?;
            for row in 0..text.len() {
                let parsed = if text.is_null(row) {
                    Err(Error::new(ErrorKind::InvalidAmount, "the amount is missing"))
                } else {
                    Money::parse_amount(text.value(row))
                };
                match parsed.map(|money| money.fen().unwrap_or(0)) {
                    Ok(fen) => out.push(fen),
                    Err(error) => {
                        errors.push(row_error(offset + row, "amount", error));
                        out.push(0);
                    }
                }
            }
        }
    }
    Ok(out)
}

const CHINA_OFFSET_S: i64 = 8 * 3600;

/// Trade times in seconds since 1970 (UTC): timestamps (naive ones are China time), dates
/// (midnight China time) or ISO 8601 text.
fn times(array: &ArrayRef, offset: usize, errors: &mut Vec<RowError>) -> Result<Vec<i64>, Failure> {
    let mut out = Vec::with_capacity(array.len());
    let missing = |row: usize| row_error(offset + row, "time", Error::new(ErrorKind::InvalidDate, "the time is missing"));
    match array.data_type() {
        DataType::Timestamp(unit, zone) => {
            let per_second: i64 = match unit {
                TimeUnit::Second => 1,
                TimeUnit::Millisecond => 1_000,
                TimeUnit::Microsecond => 1_000_000,
                TimeUnit::Nanosecond => 1_000_000_000,
            };
            let shift = if zone.is_some() { 0 } else { CHINA_OFFSET_S };
            let values = arrow_cast::cast(array, &DataType::Int64).map_err(|e| Failure::Type(e.to_string()))?;
            let values = values.as_primitive::<arrow_array::types::Int64Type>();
            for row in 0..values.len() {
                if values.is_null(row) {
                    errors.push(missing(row));
                    out.push(0);
                } else {
                    out.push(values.value(row).div_euclid(per_second) - shift);
                }
            }
        }
        DataType::Date32 => {
            let values = array.as_primitive::<arrow_array::types::Date32Type>();
            for row in 0..values.len() {
                if values.is_null(row) {
                    errors.push(missing(row));
                    out.push(0);
                } else {
                    out.push(i64::from(values.value(row)) * 86_400 - CHINA_OFFSET_S);
                }
            }
        }
        _ => {
            let text = as_text("time", array).map_err(|_| {
                Failure::Type(format!("column `time` of the trades must be timestamps, dates or strings, not {}", array.data_type()))
            })?;
            parsed_texts(
                &text,
                |t| posfee::parse_china_time(t).map(|at| at.timestamp()),
                |row, parsed| match parsed {
                    Some(Ok(seconds)) => out.push(seconds),
                    Some(Err(error)) => {
                        errors.push(row_error(offset + row, "time", error.clone()));
                        out.push(0);
                    }
                    None => {
                        errors.push(missing(row));
                        out.push(0);
                    }
                },
            );
        }
    }
    Ok(out)
}

/// A text column parsed by `parse`; a null (or an absent column) takes `default`.
fn parsed_column<T: Copy + Default>(
    array: Option<&ArrayRef>,
    column: &'static str,
    rows: usize,
    offset: usize,
    default: Option<T>,
    parse: impl Fn(&str) -> posfee::Result<T>,
    errors: &mut Vec<RowError>,
) -> Result<Vec<T>, Failure> {
    let Some(array) = array else {
        return match default {
            Some(value) => Ok(vec![value; rows]),
            None => {
                Err(Failure::Core(Error::new(ErrorKind::InvalidRecord, format!("the trades have no column `{column}`")).in_field(column)))
            }
        };
    };
    let text = as_text(column, array)?;
    let mut out = Vec::with_capacity(rows);
    parsed_texts(&text, parse, |row, parsed| match (parsed, default) {
        (Some(Ok(value)), _) | (None, Some(value)) => out.push(value),
        (Some(Err(error)), _) => {
            errors.push(row_error(offset + row, column, error.clone()));
            out.push(T::default());
        }
        (None, None) => {
            errors.push(row_error(offset + row, column, Error::new(ErrorKind::InvalidRecord, format!("the {column} is missing"))));
            out.push(T::default());
        }
    });
    Ok(out)
}

/// A placeholder channel for rows whose channel cannot be read.
#[derive(Clone, Copy)]
struct ChannelValue(Channel);
impl Default for ChannelValue {
    fn default() -> Self {
        ChannelValue(Channel::Credit)
    }
}
#[derive(Clone, Copy)]
struct ModeValue(SettlementMode);
impl Default for ModeValue {
    fn default() -> Self {
        ModeValue(SettlementMode::T(1))
    }
}

fn convert(batch: &RecordBatch, offset: usize, defaults: &Defaults, classes: &mut Vec<String>) -> Result<Converted, Failure> {
    let schema = batch.schema();
    let column = |name: &str| schema.index_of(name).ok().map(|k| batch.column(k));
    let missing = |name: &'static str| {
        let present: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        Failure::Core(
            Error::new(ErrorKind::InvalidRecord, format!("the trades have no column `{name}` (they have: {})", present.join(", ")))
                .in_field(name),
        )
    };
    let rows = batch.num_rows();
    let mut errors = Vec::new();
    let amount_fen = amounts(column("amount").ok_or_else(|| missing("amount"))?, offset, &mut errors)?;
    let channel = parsed_column(
        Some(column("channel").ok_or_else(|| missing("channel"))?),
        "channel",
        rows,
        offset,
        None,
        |t| Channel::parse(t).map(ChannelValue),
        &mut errors,
    )?;
    let time_unix_s = times(column("time").ok_or_else(|| missing("time"))?, offset, &mut errors)?;
    let settlement = parsed_column(
        column("settlement"),
        "settlement",
        rows,
        offset,
        Some(ModeValue(defaults.settlement)),
        |t| SettlementMode::parse(t).map(ModeValue),
        &mut errors,
    )?;
    let card_type = parsed_column(
        column("card_type"),
        "card_type",
        rows,
        offset,
        Some(defaults.card_type),
        |t| CardType::parse(t).map(Some),
        &mut errors,
    )?;
    // Merchant classes as codes into `classes` (shared by every batch).
    let mut merchant_class = Vec::with_capacity(rows);
    let default_code = intern(classes, &defaults.merchant_class);
    match column("merchant_class") {
        None => merchant_class.resize(rows, default_code),
        Some(array) => {
            let text = as_text("merchant_class", array)?;
            let mut last: Option<(&str, u32)> = None;
            for row in 0..rows {
                if text.is_null(row) {
                    merchant_class.push(default_code);
                    continue;
                }
                let name = text.value(row);
                let code = match last {
                    Some((previous, code)) if previous == name => code,
                    _ => intern(classes, name),
                };
                last = Some((name, code));
                merchant_class.push(code);
            }
        }
    }
    if classes.len() > posfee::MERCHANT_CLASS_NAMES_MAX {
        return Err(Failure::Core(
            Error::new(ErrorKind::InvalidRequest, format!("more than {} merchant classes", posfee::MERCHANT_CLASS_NAMES_MAX))
                .in_field("merchant_class"),
        ));
    }
    errors.sort_by_key(|e| e.row);
    Ok(Converted {
        amount_fen,
        channel: channel.into_iter().map(|c| c.0).collect(),
        time_unix_s,
        settlement: settlement.into_iter().map(|m| m.0).collect(),
        merchant_class,
        card_type,
        errors,
    })
}

fn intern(classes: &mut Vec<String>, name: &str) -> u32 {
    match classes.iter().position(|c| c == name) {
        Some(code) => code as u32,
        None => {
            classes.push(name.to_string());
            (classes.len() - 1) as u32
        }
    }
}

impl Converted {
    /// The rows without a conversion error, and the input row of each.
    fn readable(&self) -> (Converted, Vec<usize>) {
        let bad: std::collections::HashSet<usize> = self.errors.iter().map(|e| e.row).collect();
        let kept: Vec<usize> = (0..self.amount_fen.len()).filter(|row| !bad.contains(row)).collect();
        let converted = Converted {
            amount_fen: kept.iter().map(|&k| self.amount_fen[k]).collect(),
            channel: kept.iter().map(|&k| self.channel[k]).collect(),
            time_unix_s: kept.iter().map(|&k| self.time_unix_s[k]).collect(),
            settlement: kept.iter().map(|&k| self.settlement[k]).collect(),
            merchant_class: kept.iter().map(|&k| self.merchant_class[k]).collect(),
            card_type: kept.iter().map(|&k| self.card_type[k]).collect(),
            errors: Vec::new(),
        };
        (converted, kept)
    }

    fn table<'a>(&'a self, names: &'a [&'a str]) -> TradeTable<'a> {
        TradeTable::new(&self.amount_fen, Column::Each(&self.channel), Column::Each(&self.time_unix_s))
            .settlement(Column::Each(&self.settlement))
            .merchant_class(names, Column::Each(&self.merchant_class))
            .card_type(Column::Each(&self.card_type))
    }
}

/// Every batch of the input, read with the GIL released.
fn batches(reader: Box<dyn arrow_array::RecordBatchReader + Send>) -> Result<Vec<RecordBatch>, Failure> {
    let schema = reader.schema();
    let mut batches = Vec::new();
    for batch in reader {
        batches.push(batch.map_err(|e| Failure::Type(format!("cannot read the trades as Arrow: {e}")))?);
    }
    if batches.is_empty() {
        batches.push(RecordBatch::new_empty(schema));
    }
    Ok(batches)
}

/// The Arrow schema of the quoted columns (`posfee::QUOTED_COLUMNS`) at a money scale.
fn quoted_schema(scale: i8) -> Arc<Schema> {
    let dictionary = || DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let types = [
        DataType::Decimal128(18, scale),
        DataType::Decimal128(18, scale),
        dictionary(),
        dictionary(),
        dictionary(),
        DataType::Date32,
        DataType::Date32,
        dictionary(),
        DataType::Utf8,
    ];
    Arc::new(Schema::new(QUOTED_COLUMNS.iter().zip(types).map(|(name, t)| Field::new(*name, t, true)).collect::<Vec<_>>()))
}

fn dictionary(keys: Int32Array, values: Vec<String>) -> ArrayRef {
    let values: ArrayRef = Arc::new(StringArray::from(values));
    Arc::new(DictionaryArray::<Int32Type>::try_new(keys, values).expect("keys index the values"))
}

const WARNING_COMBINATIONS: u8 = 16;

/// Rows a piece of a table: pieces are converted, priced and turned into Arrow on all cores.
const CHUNK_ROWS: usize = 1 << 20;

/// The quoted columns of one batch as Arrow arrays; rows in `errors` are null but for `error`.
fn quoted_batch(quoted: &QuotedTable, errors: &[RowError], offset: usize, scale: i8) -> RecordBatch {
    let rows = quoted.fee.len();
    // Rows with an error are null in every column but `error`.
    let nulls = (!errors.is_empty()).then(|| {
        let mut valid = vec![true; rows];
        for e in errors {
            valid[e.row - offset] = false;
        }
        NullBuffer::from(valid)
    });
    let divisor = 10i64.pow(5 - scale as u32);
    let money = |values: &[Money]| -> ArrayRef {
        let values: Vec<i128> = values.iter().map(|value| i128::from(value.millifen() / divisor)).collect();
        Arc::new(Decimal128Array::new(values.into(), nulls.clone()).with_precision_and_scale(18, scale).expect("a valid decimal type"))
    };
    let keys = |values: Vec<i32>| Int32Array::new(values.into(), nulls.clone());
    let rule = dictionary(keys(quoted.rule.iter().map(|&r| if r == u32::MAX { 0 } else { r as i32 }).collect()), {
        let mut ids: Vec<String> = quoted.rule_ids.iter().map(|id| id.to_string()).collect();
        if ids.is_empty() {
            ids.push(String::new());
        }
        ids
    });
    // No limit is a null key.
    let limit_valid: Vec<bool> =
        (0..rows).map(|row| quoted.limit[row].is_some() && nulls.as_ref().is_none_or(|n| n.is_valid(row))).collect();
    let limit_keys: Vec<i32> = quoted.limit.iter().map(|l| i32::from(*l == Some(posfee::Limit::Floor))).collect();
    let limit = dictionary(Int32Array::new(limit_keys.into(), Some(NullBuffer::from(limit_valid))), vec!["cap".into(), "floor".into()]);
    let mut modes: Vec<SettlementMode> = Vec::new();
    let mode_keys: Vec<i32> = quoted
        .settlement_applied
        .iter()
        .map(|mode| match modes.iter().position(|m| m == mode) {
            Some(code) => code as i32,
            None => {
                modes.push(*mode);
                (modes.len() - 1) as i32
            }
        })
        .collect();
    if modes.is_empty() {
        modes.push(SettlementMode::T(1));
    }
    let settlement = dictionary(keys(mode_keys), modes.iter().map(|m| m.to_string()).collect());
    const EPOCH_FROM_CE: i32 = 719_163;
    let date = |values: &[chrono::NaiveDate]| -> ArrayRef {
        let days: Vec<i32> = values.iter().map(|value| value.num_days_from_ce() - EPOCH_FROM_CE).collect();
        Arc::new(Date32Array::new(days.into(), nulls.clone()))
    };
    let warning_texts: Vec<String> = (0..WARNING_COMBINATIONS).map(|bits| warnings_of(bits).to_string()).collect();
    let warnings = dictionary(keys(quoted.warnings.iter().map(|w| i32::from(bits_of(*w))).collect()), warning_texts);
    let error: ArrayRef = if errors.is_empty() {
        arrow_array::new_null_array(&DataType::Utf8, rows)
    } else {
        let mut error = StringBuilder::new();
        let mut next = errors.iter().peekable();
        for row in 0..rows {
            match next.peek() {
                Some(e) if e.row - offset == row => {
                    error.append_value(format!("{}: {}", e.error.code(), e.error.message()));
                    next.next();
                }
                _ => error.append_null(),
            }
        }
        Arc::new(error.finish())
    };
    let columns: Vec<ArrayRef> = vec![
        money(&quoted.fee),
        money(&quoted.net),
        rule,
        limit,
        settlement,
        date(&quoted.trade_day),
        date(&quoted.settles_on),
        warnings,
        error,
    ];
    RecordBatch::try_new(quoted_schema(scale), columns).expect("columns of the schema")
}

fn bits_of(warnings: Warnings) -> u8 {
    [Warnings::FEE_EXCEEDS_AMOUNT, Warnings::SETTLEMENT_FELL_BACK, Warnings::CALENDAR_DATA_ENDS, Warnings::PROVISIONAL]
        .iter()
        .enumerate()
        .filter(|(_, flag)| warnings.contains(**flag))
        .map(|(k, _)| 1u8 << k)
        .sum()
}

fn warnings_of(bits: u8) -> Warnings {
    [Warnings::FEE_EXCEEDS_AMOUNT, Warnings::SETTLEMENT_FELL_BACK, Warnings::CALENDAR_DATA_ENDS, Warnings::PROVISIONAL]
        .iter()
        .enumerate()
        .filter(|(k, _)| bits & (1 << k) != 0)
        .fold(Warnings::NONE, |all, (_, flag)| all.with(*flag))
}

fn defaults(settlement: &str, merchant_class: Option<String>, card_type: Option<&str>) -> posfee::Result<Defaults> {
    Ok(Defaults {
        settlement: SettlementMode::parse(settlement).map_err(|e| e.in_field("settlement"))?,
        merchant_class: merchant_class.unwrap_or_default(),
        card_type: card_type.map(CardType::parse).transpose().map_err(|e| e.in_field("card_type"))?,
    })
}

/// The quoted columns of an Arrow table of trades, as a pyarrow Table (same rows, same order).
#[pyfunction]
#[pyo3(signature = (schedule, data, *, settlement = "T1", merchant_class = None, card_type = None, calendar = None, provisional = false, on_invalid = "raise"))]
#[allow(clippy::too_many_arguments)]
pub fn quote_table<'py>(
    py: Python<'py>,
    schedule: &PySchedule,
    data: AnyRecordBatch,
    settlement: &str,
    merchant_class: Option<String>,
    card_type: Option<&str>,
    calendar: Option<&Bound<'py, PyAny>>,
    provisional: bool,
    on_invalid: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mode = crate::reconcile::on_invalid(py, on_invalid)?;
    let defaults = defaults(settlement, merchant_class, card_type).map_err(|e| core_error(py, &e))?;
    let calendar: Option<Arc<posfee::Calendar>> = match calendar.filter(|c| !c.is_none()) {
        Some(calendar) => match &crate::calendar::extract(calendar)?.get().calendar {
            crate::calendar::CalendarRef::Embedded(calendar) => Some(Arc::new((*calendar).clone())),
            crate::calendar::CalendarRef::Loaded(calendar) => Some(Arc::clone(calendar)),
        },
        None => None,
    };
    let schedule: Arc<Schedule> = Arc::clone(&schedule.schedule);
    let reader = data.into_reader()?;
    let scale = schedule.rounding().scale.max(2) as i8;
    let options = TableOptions {
        on_invalid: OnInvalid::Report,
        calendar_policy: if provisional { CalendarPolicy::WeekendsOnly } else { CalendarPolicy::Strict },
    };
    let outcome = py.detach(move || {
        run(|| {
            let work = || -> Result<Vec<RecordBatch>, Failure> {
                let calendar = calendar.as_deref().unwrap_or(posfee::Calendar::china());
                // Pieces of at most CHUNK_ROWS rows (zero-copy slices), priced on all cores.
                let mut pieces = Vec::new();
                let mut offset = 0;
                for batch in batches(reader)? {
                    let mut start = 0;
                    while start < batch.num_rows() || (start == 0 && batch.num_rows() == 0) {
                        let length = CHUNK_ROWS.min(batch.num_rows() - start);
                        pieces.push((offset + start, batch.slice(start, length)));
                        start += length.max(1);
                    }
                    offset += batch.num_rows();
                }
                let priced: Vec<Result<(RecordBatch, Option<RowError>), Failure>> = pieces
                    .par_iter()
                    // Each worker quotes into the same columns piece after piece (no fresh pages).
                    .map_init(QuotedTable::default, |quoted, (offset, piece)| -> Result<(RecordBatch, Option<RowError>), Failure> {
                        let offset = *offset;
                        let mut classes = vec![String::new()];
                        let converted = convert(piece, offset, &defaults, &mut classes)?;
                        let names: Vec<&str> = classes.iter().map(String::as_str).collect();
                        schedule.quote_table_into(&converted.table(&names), &options, calendar, quoted)?;
                        let quoted = &*quoted;
                        // Each row's first error: its values, else its quote.
                        let mut errors: Vec<RowError> = converted.errors.clone();
                        errors.dedup_by_key(|e| e.row);
                        for RowError { row, error } in quoted.errors.iter() {
                            if errors.binary_search_by_key(&(offset + row), |e| e.row).is_err() {
                                let message = error.message().replacen(&format!("row {row}: "), &format!("row {}: ", offset + row), 1);
                                errors.push(RowError {
                                    row: offset + row,
                                    error: Error::new(error.kind(), message).at(error.location().clone()),
                                });
                            }
                        }
                        errors.sort_by_key(|e| e.row);
                        let first = errors.first().cloned();
                        Ok((quoted_batch(quoted, &errors, offset, scale), first))
                    })
                    .collect();
                let mut out = Vec::with_capacity(priced.len());
                for piece in priced {
                    let (batch, first) = piece?;
                    if let (OnInvalid::Raise, Some(first)) = (mode, first) {
                        return Err(Failure::Core(first.error));
                    }
                    out.push(batch);
                }
                Ok(out)
            };
            Ok(work())
        })
    });
    let batches = finish(py, outcome)?;
    PyTable::try_new(batches, quoted_schema(scale))?.into_pyarrow(py)
}

/// Compares offers (`(schedule, settlement mode or None)`) on an Arrow table of trades;
/// returns the core's comparison JSON.
#[pyfunction]
#[pyo3(signature = (data, offers, *, settlement = "T1", merchant_class = None, card_type = None, on_invalid = "raise"))]
pub fn compare(
    py: Python<'_>,
    data: AnyRecordBatch,
    offers: Vec<(PyRef<'_, PySchedule>, Option<String>)>,
    settlement: &str,
    merchant_class: Option<String>,
    card_type: Option<&str>,
    on_invalid: &str,
) -> PyResult<String> {
    let mode = crate::reconcile::on_invalid(py, on_invalid)?;
    let defaults = defaults(settlement, merchant_class, card_type).map_err(|e| core_error(py, &e))?;
    let offers = offers
        .iter()
        .map(|(schedule, settlement)| {
            let offer = Offer::new((*schedule.schedule).clone());
            match settlement {
                Some(text) => {
                    SettlementMode::parse(text).map(|mode| offer.settlement(mode)).map_err(|e| core_error(py, &e.in_field("offers")))
                }
                None => Ok(offer),
            }
        })
        .collect::<PyResult<Vec<_>>>()?;
    let reader = data.into_reader()?;
    let outcome = py.detach(move || {
        run(|| {
            let work = || -> Result<String, Failure> {
                // One table of every batch (a comparison needs all trades at once).
                let batches = batches(reader)?;
                let schema = batches[0].schema();
                let batch = arrow_select::concat::concat_batches(&schema, &batches).map_err(|e| Failure::Type(e.to_string()))?;
                let mut classes = vec![String::new()];
                let converted = convert(&batch, 0, &defaults, &mut classes)?;
                if let (OnInvalid::Raise, Some(first)) = (mode, converted.errors.first()) {
                    return Err(Failure::Core(first.error.clone()));
                }
                // Rows whose values cannot be read are left out (and listed first).
                let (readable, kept) = converted.readable();
                let names: Vec<&str> = classes.iter().map(String::as_str).collect();
                let mut comparison = posfee::compare(&readable.table(&names), &offers, mode).map_err(|error| {
                    // `OFFER: row N:` names a row of the readable ones: name the input row.
                    let row = error.message().split("row ").nth(1).and_then(|r| r.split(':').next()).and_then(|n| n.parse::<usize>().ok());
                    match row.filter(|&row| row < kept.len()) {
                        Some(row) => {
                            Error::new(error.kind(), error.message().replacen(&format!("row {row}: "), &format!("row {}: ", kept[row]), 1))
                                .at(error.location().clone())
                        }
                        None => error,
                    }
                })?;
                for excluded in &mut comparison.excluded {
                    let row = excluded.row;
                    excluded.row = kept[row];
                    excluded.error = Error::new(
                        excluded.error.kind(),
                        excluded.error.message().replacen(&format!("row {row}: "), &format!("row {}: ", kept[row]), 1),
                    )
                    .at(excluded.error.location().clone());
                }
                let mut excluded = converted.errors.clone();
                excluded.dedup_by_key(|e| e.row);
                excluded.append(&mut comparison.excluded);
                excluded.sort_by_key(|e| e.row);
                comparison.excluded = excluded;
                Ok(comparison.to_json())
            };
            Ok(work())
        })
    });
    finish(py, outcome)
}

/// For the benchmark (py/bench/bench_quote_table.py): the same conversion as `quote_table`,
/// then the core's `Schedule::quote_table` alone, timed: `(rows, seconds)` of the core part,
/// on a table of one batch.
#[pyfunction]
pub fn _time_core_quote_table(py: Python<'_>, schedule: &PySchedule, data: AnyRecordBatch, repeat: usize) -> PyResult<(usize, f64)> {
    let schedule: Arc<Schedule> = Arc::clone(&schedule.schedule);
    let reader = data.into_reader()?;
    let outcome = py.detach(move || {
        run(|| {
            let work = || -> Result<(usize, f64), Failure> {
                let batches = batches(reader)?;
                let schema = batches[0].schema();
                let batch = arrow_select::concat::concat_batches(&schema, &batches).map_err(|e| Failure::Type(e.to_string()))?;
                let defaults = Defaults { settlement: SettlementMode::T(1), merchant_class: String::new(), card_type: None };
                let mut classes = vec![String::new()];
                let converted = convert(&batch, 0, &defaults, &mut classes)?;
                let names: Vec<&str> = classes.iter().map(String::as_str).collect();
                let table = converted.table(&names);
                let mut best = f64::INFINITY;
                for _ in 0..repeat.max(1) {
                    let started = std::time::Instant::now();
                    let quoted = schedule.quote_table(&table, &TableOptions::default())?;
                    best = best.min(started.elapsed().as_secs_f64());
                    drop(quoted);
                }
                Ok((table.rows(), best))
            };
            Ok(work())
        })
    });
    finish(py, outcome)
}

//! Arrow columns read as the core's values: text, money (decimal, text or integers of yuan),
//! times (timestamps, dates or text). A column of a type that cannot hold its values fails
//! the whole read ([`ArrowReadError::ColumnType`], [`ArrowReadError::FloatMoney`]); a bad
//! value is the core's error for that value, located by the caller.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Decimal128Type, Int64Type};
use arrow_array::{Array, ArrayRef, Date32Array, Decimal128Array, Int64Array, RecordBatch, StringArray, StringViewArray};
use arrow_buffer::Buffer;
use arrow_schema::{DataType, TimeUnit};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use yoke::Yoke;

use super::words::{any_view_outside, dictionary_keys, text_key, to_utf8, DictionaryWords, Refused, ViewRows, WordRows, Words};
use super::ArrowReadError;
use crate::error::{Error, ErrorKind, Location};
use crate::money::Money;
use crate::reconcile::canonical::required;
use crate::reconcile::text_column::{plain_if_values_fit, OffsetFault};
use crate::reconcile::{CanonicalColumn, LEDGER_COLUMNS, STATEMENT_COLUMNS};
use crate::settlement::{china_offset, parse_china_time, parse_date};
use crate::text::trim;

/// One side of the input (ledger or statement): its name in messages and its canonical
/// columns, which say which columns are required.
#[derive(Clone, Copy)]
pub(super) struct Side {
    name: &'static str,
    columns: &'static [CanonicalColumn],
}

impl Side {
    /// A side named `name` in messages, with its canonical columns.
    pub(super) const fn new(name: &'static str, columns: &'static [CanonicalColumn]) -> Side {
        Side { name, columns }
    }
}

/// The ledger side.
pub(super) const LEDGER: Side = Side { name: "ledger", columns: &LEDGER_COLUMNS };
/// The statement side.
pub(super) const STATEMENT: Side = Side { name: "statement", columns: &STATEMENT_COLUMNS };

impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// A schema failure: the column's type cannot hold its values.
fn column_type(column: &str, message: String) -> ArrowReadError {
    ArrowReadError::ColumnType(Error::new(ErrorKind::InvalidRecord, message).at(Location::default().field(column)))
}

fn missing(side: Side, column: &str, batch: &RecordBatch) -> ArrowReadError {
    let present: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
    ArrowReadError::Invalid(
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

fn wrong_type(side: Side, column: &str, data_type: &DataType, expected: &str) -> ArrowReadError {
    if matches!(data_type, DataType::Float16 | DataType::Float32 | DataType::Float64) && expected.contains("decimal") {
        let error = crate::float_money_error(
            &format!("column `{column}` of the {side} is {data_type}"),
            "use decimal (e.g. pyarrow.decimal128(18, 2), polars.Decimal, or decimal.Decimal objects in pandas), strings, \
             or integers of yuan",
        );
        return ArrowReadError::FloatMoney(error.at(Location::default().field(column)));
    }
    column_type(column, format!("column `{column}` of the {side} must be {expected}, not {data_type}"))
}

/// A text column (any string type, or dictionary of strings), read as `StringArray`.
pub(super) struct Text(pub(super) Option<Strings>);

/// A string array whose text is checked: offsets that never decrease, within the buffer and
/// on character boundaries, and UTF-8 text (an array imported from Python or C through
/// Arrow's C interface is not checked on import, and Arrow reads its values unchecked).
pub(super) struct Strings {
    pub(super) array: StringArray,
    /// The text of the array's values, from its first offset to its last, as one `&str`
    /// where it lives in Arrow's buffer (checked once, with SIMD).
    pub(super) whole: Yoke<&'static str, Arc<Buffer>>,
    /// Whether that text is plain (visible ASCII only: see `text_column::is_plain`).
    pub(super) plain: bool,
}

impl std::ops::Deref for Strings {
    type Target = StringArray;

    fn deref(&self) -> &StringArray {
        &self.array
    }
}

impl Strings {
    /// `array` checked; the error names the column and the row (of the batch, 1-based; see
    /// [`ArrowReadError::numbered_from`]) of the first bad value.
    pub(super) fn new(side: Side, column: &str, array: StringArray) -> Result<Strings, ArrowReadError> {
        let offsets = array.value_offsets();
        let (Some(&first), Some(&last)) = (offsets.first(), offsets.last()) else {
            return Err(column_type(column, format!("column `{column}` of the {side}: a string array without offsets")));
        };
        let (Ok(start), Ok(end)) = (usize::try_from(first), usize::try_from(last)) else {
            return Err(column_type(column, format!("column `{column}` of the {side}: a negative offset")));
        };
        let out_of_order = || column_type(column, format!("column `{column}` of the {side}: offsets out of order or past the text"));
        if start > end || end > array.values().len() {
            return Err(out_of_order());
        }
        let text = Arc::new(array.values().slice_with_length(start, end - start));
        let whole: Result<Yoke<&'static str, Arc<Buffer>>, _> =
            Yoke::try_attach_to_cart(text, |text: &Buffer| simdutf8::basic::from_utf8(text.as_slice()));
        let Ok(whole) = whole else { return Err(not_utf8(side, column, &array)) };
        let plain = match plain_if_values_fit(whole.get(), offsets) {
            Ok(plain) => plain,
            Err(OffsetFault::Decreasing) => return Err(out_of_order()),
            Err(OffsetFault::InsideCharacter(_)) => return Err(not_utf8(side, column, &array)),
        };
        Ok(Strings { array, whole, plain })
    }
}

/// The error of a string array with a value that is not UTF-8 text (or begins or ends inside
/// a character): its first such row.
#[cold]
fn not_utf8(side: Side, column: &str, array: &StringArray) -> ArrowReadError {
    let (offsets, bytes) = (array.value_offsets(), array.values().as_slice());
    let bad = (0..array.len()).find_map(|row| {
        let value = &bytes[offsets[row] as usize..offsets[row + 1] as usize];
        std::str::from_utf8(value).is_err().then_some((row, value))
    });
    let (row, value) = bad.unwrap_or((0, &[]));
    not_utf8_at(side, column, row, value)
}

/// The error of a value `value` of row `row` (of the batch, 0-based) that is not UTF-8 text.
#[cold]
fn not_utf8_at(side: Side, column: &str, row: usize, value: &[u8]) -> ArrowReadError {
    let shown: String = value.iter().take(32).map(|byte| format!("{byte:02x}")).collect::<Vec<_>>().join(" ");
    let message = format!("column `{column}` of the {side} holds text that is not UTF-8 (bytes {shown}); Arrow string columns hold UTF-8");
    ArrowReadError::Invalid(Error::new(ErrorKind::InvalidRecord, message).at(Location::default().field(column).line(row as u64 + 1)))
}

/// A text column read for its few distinct values (channels, modes): string views as they are
/// (their places in their buffers checked, each distinct text checked as UTF-8 when it is
/// read: [`WordColumn::text`]), any other string type as a checked [`Text`].
pub(super) enum WordColumn {
    /// A checked string array, or an absent column.
    Text(Text),
    /// String views, with the side and the column's name for the error of a text that is
    /// not UTF-8.
    Views(StringViewArray, Side, String),
}

impl WordColumn {
    /// Whether the column is absent.
    pub(super) fn is_absent(&self) -> bool {
        matches!(self, WordColumn::Text(Text(None)))
    }

    /// The value of a row; `None` for a null or an absent column; the column's error (at the
    /// row, of the batch) for a text that is not UTF-8.
    pub(super) fn text(&self, row: usize) -> Result<Option<&str>, ArrowReadError> {
        match self {
            WordColumn::Text(text) => Ok(text.get(row)),
            WordColumn::Views(views, _, _) if views.is_null(row) => Ok(None),
            WordColumn::Views(views, side, column) => {
                // The views' places were checked when the column was read.
                let bytes = ViewRows::of(views).bytes(row).unwrap_or_default();
                std::str::from_utf8(bytes).map(Some).map_err(|_| not_utf8_at(*side, column, row, bytes))
            }
        }
    }

    /// A row's key ([`Text::key`]); `None` for a longer text, a null or an absent column.
    #[inline(always)]
    pub(super) fn key(&self, row: usize) -> Option<u128> {
        match self {
            WordColumn::Text(text) => text.key(row),
            WordColumn::Views(views, _, _) => (!views.is_null(row)).then(|| ViewRows::of(views).key(row)).flatten(),
        }
    }
}

impl ArrowReadError {
    /// The error of a column of a batch whose first row is row `first_row` (0-based) of the
    /// whole input: a row it names, numbered in the input.
    pub(super) fn numbered_from(self, first_row: u64) -> ArrowReadError {
        let moved = |error: Error| match error.location().line {
            Some(line) => {
                let line = line + first_row;
                error.at(Location::default().line(line))
            }
            None => error,
        };
        match self {
            ArrowReadError::ColumnType(error) => ArrowReadError::ColumnType(moved(error)),
            ArrowReadError::Invalid(error) => ArrowReadError::Invalid(moved(error)),
            other => other,
        }
    }
}

impl Text {
    /// The value of a row; `None` for a null or an absent column.
    #[inline]
    pub(super) fn get(&self, row: usize) -> Option<&str> {
        self.0.as_ref().and_then(|a| if a.is_null(row) { None } else { Some(a.value(row)) })
    }
}

impl Text {
    /// A row's text of at most 15 bytes as a number: its bytes, then its length in the top
    /// byte (so that two texts have the same key exactly when they are equal), read from the
    /// column's buffer in one load (the bytes one by one near the buffer's end); `None` for a
    /// longer text or a null.
    // Inlined: returned through memory, the key's two halves were stored apart and loaded
    // whole for the comparison, a store-forwarding stall on every row.
    #[inline(always)]
    pub(super) fn key(&self, row: usize) -> Option<u128> {
        let array = self.0.as_ref()?;
        if array.is_null(row) {
            return None;
        }
        let offsets = array.value_offsets();
        text_key(array.values(), offsets[row] as usize, offsets[row + 1] as usize)
    }
}

fn text(side: Side, batch: &RecordBatch, index: &HashMap<String, usize>, column: &str) -> Result<Text, ArrowReadError> {
    match utf8(side, batch, index, column)? {
        Some(array) => Ok(Text(Some(Strings::new(side, column, array)?))),
        None => Ok(Text(None)),
    }
}

/// A text column (any string type, or dictionary of strings) as a `StringArray`, not checked
/// yet (see [`Strings::new`]); `None` for an absent optional column.
fn utf8(side: Side, batch: &RecordBatch, index: &HashMap<String, usize>, column: &str) -> Result<Option<StringArray>, ArrowReadError> {
    string_column(side, batch, index, column)?.map(|array| cast_utf8(side, column, array)).transpose()
}

/// A column of words (few distinct texts): a string view column as it is, any other string
/// type as a `StringArray` (see [`utf8`]); `None` for an absent optional column.
fn words(side: Side, batch: &RecordBatch, index: &HashMap<String, usize>, column: &str) -> Result<Option<Words>, ArrowReadError> {
    let Some(array) = string_column(side, batch, index, column)? else { return Ok(None) };
    if let Some(dictionary) = array.as_any_dictionary_opt().filter(|dictionary| dictionary.values().null_count() == 0) {
        // Keys of any integer type as 64-bit ones (unsigned ones past `i64::MAX` do not cast:
        // such a dictionary goes to the cast below, which refuses it).
        if let Some(keys) = dictionary_keys(dictionary) {
            let values = match dictionary.values().as_string_view_opt() {
                Some(views) => Words::Views(views.clone()),
                None => Words::Offsets(cast_utf8(side, column, dictionary.values())?),
            };
            return Ok(Some(Words::Dictionary(DictionaryWords::new(array.clone(), keys, values))));
        }
    }
    Ok(Some(match array.as_string_view_opt() {
        Some(views) => Words::Views(views.clone()),
        None => Words::Offsets(cast_utf8(side, column, array)?),
    }))
}

/// A column of any string type (or dictionary of strings); `None` for an absent optional
/// column, an error for a column of another type.
fn string_column<'b>(
    side: Side,
    batch: &'b RecordBatch,
    index: &HashMap<String, usize>,
    column: &str,
) -> Result<Option<&'b ArrayRef>, ArrowReadError> {
    let Some(&position) = index.get(column) else {
        return if required(side.columns, column) { Err(missing(side, column, batch)) } else { Ok(None) };
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
    Ok(Some(array))
}

/// The error of a string view column with a view that points outside its buffers.
fn views_outside(side: Side, column: &str) -> ArrowReadError {
    column_type(column, format!("column `{column}` of the {side}: a string view points outside its buffers"))
}

/// A column of a string type as a `StringArray` ([`to_utf8`]); the column's error when it is
/// refused.
fn cast_utf8(side: Side, column: &str, array: &ArrayRef) -> Result<StringArray, ArrowReadError> {
    to_utf8(array).map_err(|refused| match refused {
        Refused::ViewOutside => views_outside(side, column),
        Refused::KeyOutside => column_type(column, format!("column `{column}` of the {side}: a dictionary key outside its values")),
        Refused::Cast(e) => column_type(column, format!("column `{column}` of the {side}: {e}")),
    })
}

/// Whether a text cell is null or only spaces: no value, as an empty cell of a CSV file.
#[inline]
fn blank_or_null(array: &StringArray, row: usize) -> bool {
    array.is_null(row) || trim(array.value(row)).is_empty()
}

/// A money column: decimal (exact), text, or integers of yuan (read as decimals of scale 0,
/// which hold every integer type exactly).
pub(super) enum MoneyColumn {
    Decimal(Decimal128Array, u32),
    Text(StringArray),
    Yuan(Decimal128Array),
    Absent,
}

fn money_column(side: Side, batch: &RecordBatch, index: &HashMap<String, usize>, column: &str) -> Result<MoneyColumn, ArrowReadError> {
    let Some(&position) = index.get(column) else {
        return if required(side.columns, column) { Err(missing(side, column, batch)) } else { Ok(MoneyColumn::Absent) };
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
            let Text(Some(text)) = self::text(side, batch, index, column)? else { unreachable!("required") };
            MoneyColumn::Text(text.array)
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
fn decimal128(side: Side, column: &str, array: &ArrayRef, scale: i8) -> Result<Decimal128Array, ArrowReadError> {
    if array.data_type() == &DataType::Decimal128(38, scale) || matches!(array.data_type(), DataType::Decimal128(_, s) if *s == scale) {
        // Already 128-bit decimals of that scale: the same buffer (the precision is not used).
        return Ok(array.as_primitive::<Decimal128Type>().clone());
    }
    let as128 = arrow_cast::cast(array, &DataType::Decimal128(38, scale))
        .map_err(|e| column_type(column, format!("column `{column}` of the {side}: {e}")))?;
    Ok(as128.as_primitive::<Decimal128Type>().clone())
}

impl MoneyColumn {
    /// The trade amounts of every row in fen into `amount_fen`, without a check per row in
    /// [`MoneyColumn::get`] for the usual case: decimals of at most 2 places, whole fen from 0
    /// to [`Money::MAX_AMOUNT`]. Returns the rows outside it (a null, a negative or too large
    /// amount), which hold 0, for `get` to read and name what is wrong; `None` (and nothing
    /// written) for a column of another kind.
    pub(super) fn amount_fen_fast(&self, amount_fen: &mut Vec<i64>) -> Option<Vec<usize>> {
        let MoneyColumn::Decimal(array, scale) = self else { return None };
        let unit = 10i128.pow(2u32.checked_sub(*scale)?);
        let max_fen = i128::from(Money::MAX_AMOUNT.fen().expect("whole fen"));
        // Usual: from 0 to the largest amount (a whole multiple of every unit).
        let (max_value, unit) = (max_fen / unit, unit as i64);
        // As u128, a negative value is above the largest: one comparison.
        let usual = |value: &i128| *value as u128 <= max_value as u128;
        // The bits set in any row (an or a row, which vectorises): when none is at or above
        // the highest power of two up to the largest amount (¥687M in fen), every row is
        // usual (as u128, a negative value has its top bit set). Else one pass without a
        // branch, and a second when some row is not usual. The usual scale's unit (1) a
        // constant.
        let values = array.values();
        let below_bits = 127 - (max_value as u128 + 1).leading_zeros();
        let spread = values.iter().fold(0u128, |spread, value| spread | *value as u128);
        let mut all_usual = true;
        let mut fen = |unit: i64| match spread >> below_bits {
            0 => amount_fen.extend(values.iter().map(|value| *value as i64 * unit)),
            _ => amount_fen.extend(values.iter().map(|value| {
                let fits = usual(value);
                all_usual &= fits;
                i64::from(fits) * (*value as i64) * unit
            })),
        };
        match unit {
            1 => fen(1),
            unit => fen(unit),
        }
        let mut others: Vec<usize> =
            if all_usual { Vec::new() } else { array.values().iter().enumerate().filter(|(_, v)| !usual(v)).map(|(row, _)| row).collect() };
        if let Some(nulls) = array.nulls() {
            others.extend(nulls.iter().enumerate().filter(|(_, valid)| !valid).map(|(row, _)| row));
            others.sort_unstable();
            others.dedup();
        }
        Some(others)
    }

    /// The value of a row (`None` for null or an absent column). `amount` selects the trade
    /// amount check (non-negative, whole fen) over the statement money check.
    #[inline]
    pub(super) fn get(&self, row: usize, amount: bool) -> Result<Option<Money>, Error> {
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
            MoneyColumn::Text(array) => match blank_or_null(array, row) {
                true => Ok(None),
                false => parse(array.value(row)).map(Some),
            },
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
pub(super) enum TimeValues {
    Timestamp(Int64Array, i64, bool),
    Date(Date32Array),
    Text(StringArray),
}

pub(super) struct TimeColumn {
    pub(super) values: TimeValues,
    /// The China day (since 1970) of the last date read and the date.
    last_date: Cell<Option<(i64, NaiveDate)>>,
    /// The day (since 1970, UTC) of the last instant read and its date: the rows of one day
    /// (the usual order) share the calendar arithmetic.
    last_day: Cell<Option<(i64, NaiveDate)>>,
}

fn time_column(side: Side, batch: &RecordBatch, index: &HashMap<String, usize>, column: &str) -> Result<TimeColumn, ArrowReadError> {
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
            let as_i64 = arrow_cast::cast(array, &DataType::Int64).map_err(|e| column_type(column, format!("column `{column}`: {e}")))?;
            TimeValues::Timestamp(as_i64.as_primitive::<Int64Type>().clone(), per_second, tz.is_some())
        }
        DataType::Date32 | DataType::Date64 => {
            let as_date32 =
                arrow_cast::cast(array, &DataType::Date32).map_err(|e| column_type(column, format!("column `{column}`: {e}")))?;
            TimeValues::Date(as_date32.as_primitive::<Date32Type>().clone())
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(_, _) | DataType::Null => {
            let Text(Some(text)) = self::text(side, batch, index, column)? else { unreachable!("required") };
            TimeValues::Text(text.array)
        }
        other => return Err(wrong_type(side, column, other, "timestamps, dates or ISO 8601 strings")),
    };
    Ok(TimeColumn { values, last_date: Cell::new(None), last_day: Cell::new(None) })
}

/// The Unix seconds of a timestamp of `per_second` units; a naive timestamp is China
/// wall-clock time, as for scalar quotes.
#[inline]
pub(super) fn timestamp_seconds(value: i64, per_second: i64, aware: bool) -> i64 {
    let seconds = value.div_euclid(per_second);
    if aware {
        seconds
    } else {
        seconds.saturating_sub(8 * 3600)
    }
}

fn china(seconds: i64) -> Option<DateTime<FixedOffset>> {
    china_offset().timestamp_opt(seconds, 0).single()
}

impl TimeColumn {
    /// [`china`] of `seconds`, the date taken from the last row's when the day is the same.
    #[inline]
    fn instant(&self, seconds: i64) -> Result<DateTime<FixedOffset>, Error> {
        let (day, second) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400) as u32);
        if let Some((_, date)) = self.last_day.get().filter(|(last, _)| *last == day) {
            let time = NaiveTime::from_num_seconds_from_midnight_opt(second, 0).expect("a second of the day");
            return Ok(DateTime::from_naive_utc_and_offset(date.and_time(time), china_offset()));
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

    /// The first row's instant in Unix seconds when every row is a timestamp (no null) in the
    /// span `[low, high)` that `span_of` gives for that first instant; else `None`. The rows
    /// are compared in the column's own unit, none of them read as seconds.
    pub(super) fn first_if_all_in_span(&self, span_of: impl Fn(i64) -> Option<(i64, i64)>) -> Option<i64> {
        let TimeValues::Timestamp(array, per_second, aware) = &self.values else { return None };
        if array.null_count() != 0 {
            return None;
        }
        let values = array.values();
        let first_s = timestamp_seconds(*values.first()?, *per_second, *aware);
        let (low_s, high_s) = span_of(first_s)?;
        // A row's instant is `floor(value / per_second) - offset`, so it is in the span
        // exactly when `(low + offset) × per_second <= value < (high + offset) × per_second`.
        let offset_s = if *aware { 0 } else { 8 * 3600 };
        let bound = |seconds: i64| (i128::from(seconds) + offset_s) * i128::from(*per_second);
        let low = bound(low_s).max(i128::from(i64::MIN));
        let width = bound(high_s).min(i128::from(i64::MAX) + 1) - low;
        let Ok(width) = u64::try_from(width) else {
            return (width > 0).then_some(first_s); // every value, or none
        };
        let low = low as i64;
        let in_span = |value: i64| (value.wrapping_sub(low) as u64) < width;
        // The bits where a row differs from the first (a xor and an or a row, which vectorise):
        // all rows agree with it above the highest of them, so they lie in the block of 2^k
        // values that holds the first; when both ends of that block are in the span, so are
        // they. Else (rows on both sides of a power of two, or of zero) each row is compared.
        let first = values[0];
        let spread = values.iter().fold(0u64, |spread, &value| spread | (value ^ first) as u64);
        let k = 64 - spread.leading_zeros();
        if k < 63 {
            let block_low = first & !((1i64 << k) - 1);
            if in_span(block_low) && in_span(block_low + ((1i64 << k) - 1)) {
                return Some(first_s);
            }
        }
        // One comparison a row; no early exit (a branch a row).
        values.iter().fold(true, |all, &value| all & in_span(value)).then_some(first_s)
    }

    /// The instants of every row in Unix seconds for timestamps without nulls (each row as
    /// [`TimeColumn::unix_seconds`] gives it); `None` for other columns.
    pub(super) fn unix_seconds_all(&self) -> Option<Vec<i64>> {
        let mut seconds = Vec::new();
        self.push_unix_seconds_all(&mut seconds).map(|()| seconds)
    }

    /// Appends to `out` the instants of [`TimeColumn::unix_seconds_all`]; `None` (and nothing
    /// appended) for other columns.
    pub(super) fn push_unix_seconds_all(&self, out: &mut Vec<i64>) -> Option<()> {
        match &self.values {
            TimeValues::Timestamp(array, per_second, aware) if array.null_count() == 0 => {
                let values = array.values();
                // Each unit's divisor a constant, so that the division is a multiplication;
                // times from 1970 on (the usual) divided as u64, without a sign correction,
                // and all again the general way when one is earlier.
                fn seconds<const PER_SECOND: u64>(out: &mut Vec<i64>, values: &[i64], aware: bool) {
                    let offset_s = if aware { 0 } else { 8 * 3600 };
                    let (mut earlier, from) = (false, out.len());
                    out.extend(values.iter().map(|&value| {
                        earlier |= value < 0;
                        ((value as u64 / PER_SECOND) as i64).wrapping_sub(offset_s)
                    }));
                    if earlier {
                        out.truncate(from);
                        out.extend(values.iter().map(|&value| timestamp_seconds(value, PER_SECOND as i64, aware)));
                    }
                }
                match per_second {
                    1 => seconds::<1>(out, values, *aware),
                    1_000 => seconds::<1_000>(out, values, *aware),
                    1_000_000 => seconds::<1_000_000>(out, values, *aware),
                    _ => seconds::<1_000_000_000>(out, values, *aware),
                }
                Some(())
            }
            _ => None,
        }
    }

    /// The instant of a row in Unix seconds; `None` for a null or a value that does not read.
    #[inline]
    pub(super) fn unix_seconds(&self, row: usize) -> Option<i64> {
        match self.seconds(row) {
            Some(seconds) => seconds,
            None => self.get(row).ok().flatten().map(|time| time.timestamp()),
        }
    }

    #[inline]
    pub(super) fn get(&self, row: usize) -> Result<Option<DateTime<FixedOffset>>, Error> {
        match (&self.values, self.seconds(row)) {
            (_, Some(seconds)) => seconds.map(|seconds| self.instant(seconds)).transpose(),
            (TimeValues::Text(array), None) if !blank_or_null(array, row) => parse_china_time(array.value(row)).map(Some),
            _ => Ok(None),
        }
    }

    pub(super) fn date(&self, row: usize) -> Result<Option<NaiveDate>, Error> {
        match &self.values {
            TimeValues::Text(array) => {
                if blank_or_null(array, row) {
                    return Ok(None);
                }
                let text = array.value(row);
                parse_date(text).or_else(|_| parse_china_time(text).map(|t| t.date_naive())).map(Some)
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

/// An error when a column name appears twice (which of the two would be meant?).
pub(super) fn unique_columns(side: Side, batch: &RecordBatch) -> Result<(), ArrowReadError> {
    let schema = batch.schema();
    let mut seen = std::collections::HashSet::new();
    match schema.fields().iter().map(|f| f.name()).find(|name| !seen.insert(name.as_str())) {
        None => Ok(()),
        Some(name) => Err(ArrowReadError::Invalid(
            Error::new(ErrorKind::InvalidRecord, format!("the {side} has the column `{name}` more than once")).in_field(name.as_str()),
        )),
    }
}

/// The columns of one batch of a side, found by name; the errors of a column name their row
/// in the whole input, whose row `first_row` (0-based) is the batch's first.
pub(super) struct BatchColumns<'a> {
    side: Side,
    batch: &'a RecordBatch,
    index: HashMap<String, usize>,
    first_row: u64,
}

impl<'a> BatchColumns<'a> {
    pub(super) fn new(side: Side, batch: &'a RecordBatch, first_row: u64) -> BatchColumns<'a> {
        BatchColumns { side, batch, index: column_index(batch), first_row }
    }

    /// A text column ([`text`]).
    pub(super) fn text(&self, column: &str) -> Result<Text, ArrowReadError> {
        text(self.side, self.batch, &self.index, column).map_err(|error| error.numbered_from(self.first_row))
    }

    /// A column of few distinct words to parse ([`WordColumn`]).
    pub(super) fn word_column(&self, column: &str) -> Result<WordColumn, ArrowReadError> {
        let numbered = |error: ArrowReadError| error.numbered_from(self.first_row);
        let Some(array) = string_column(self.side, self.batch, &self.index, column).map_err(numbered)? else {
            return Ok(WordColumn::Text(Text(None)));
        };
        Ok(match array.as_string_view_opt() {
            Some(views) if any_view_outside(views) => return Err(numbered(views_outside(self.side, column))),
            Some(views) => WordColumn::Views(views.clone(), self.side, column.to_string()),
            None => {
                let array = cast_utf8(self.side, column, array).map_err(numbered)?;
                WordColumn::Text(Text(Some(Strings::new(self.side, column, array).map_err(numbered)?)))
            }
        })
    }

    /// A column of words ([`words`]).
    pub(super) fn words(&self, column: &str) -> Result<Option<Words>, ArrowReadError> {
        words(self.side, self.batch, &self.index, column).map_err(|error| error.numbered_from(self.first_row))
    }

    /// A money column ([`money_column`]).
    pub(super) fn money(&self, column: &str) -> Result<MoneyColumn, ArrowReadError> {
        money_column(self.side, self.batch, &self.index, column).map_err(|error| error.numbered_from(self.first_row))
    }

    /// A time column ([`time_column`]).
    pub(super) fn time(&self, column: &str) -> Result<TimeColumn, ArrowReadError> {
        time_column(self.side, self.batch, &self.index, column).map_err(|error| error.numbered_from(self.first_row))
    }
}

fn column_index(batch: &RecordBatch) -> HashMap<String, usize> {
    batch.schema().fields().iter().enumerate().map(|(i, f)| (f.name().clone(), i)).collect()
}

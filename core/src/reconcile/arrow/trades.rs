//! Arrow tables of trades priced in bulk: a record batch of the trade columns
//! ([`TRADE_COLUMNS`](crate::TRADE_COLUMNS): `amount`, `channel`, `time`, and optionally
//! `settlement`, `merchant_class`, `card_type`) read into a [`TradeTable`]'s columns with the
//! readers' rules (exact money, China time for naive times, the channel and mode words), and
//! the quoted columns ([`QUOTED_COLUMNS`]) written as a record batch. [`quote_batches`],
//! [`fee_batches`] (the fees alone) and [`compare_batches`] do both for a whole table.
//!
//! Rows are counted from 0 across all batches (`row 5: …`), as by
//! [`Schedule::quote_table`]. A row whose values cannot be read is the table's error with
//! [`OnInvalid::Raise`]; otherwise its quoted cells are null and its `error` cell says why.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{Array, ArrayRef, Date32Array, Decimal128Array, DictionaryArray, Int32Array, RecordBatch, StringArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use rayon::prelude::*;

use super::key_slots::KeySlots;
use super::values::{BatchColumns, Side, Text, WordColumn};
use super::words::{OffsetRows, ViewRows};
use super::ArrowReadError;
use crate::calendar::Calendar;
use crate::channel::{CardType, Channel};
use crate::compare::{Comparison, Offer};
use crate::error::{Error, ErrorKind, Result};
use crate::quote::Limit;
use crate::quote_table::{fee_span_s, span_starts_s, Column, OnInvalid, QuotedTable, RowError, TableOptions, Warnings, QUOTED_COLUMNS};
use crate::reconcile::{CanonicalColumn, ColumnType};
use crate::schedule::Schedule;
use crate::settlement::SettlementMode;
use crate::trade_columns::{TradeColumns, TradeDefaults};

/// The columns of a table of trades to price, as [`CanonicalColumn`]s.
///
/// # Example
/// ```
/// use posfee::reconcile::arrow::TRADE_TABLE_COLUMNS;
/// let required: Vec<&str> = TRADE_TABLE_COLUMNS.iter().filter(|c| c.required).map(|c| c.name).collect();
/// assert_eq!(required, ["amount", "channel", "time"]);
/// ```
pub const TRADE_TABLE_COLUMNS: [CanonicalColumn; 6] = [
    CanonicalColumn { name: "amount", kind: ColumnType::Amount, required: true, meaning: "the trade amount in yuan" },
    CanonicalColumn { name: "channel", kind: ColumnType::Text, required: true, meaning: "credit, debit, wechat, alipay, …" },
    CanonicalColumn { name: "time", kind: ColumnType::Time, required: true, meaning: "when the trade was made" },
    CanonicalColumn { name: "settlement", kind: ColumnType::Text, required: false, meaning: "T1, D0, … (else the default)" },
    CanonicalColumn { name: "merchant_class", kind: ColumnType::Text, required: false, meaning: "the merchant class (else the default)" },
    CanonicalColumn { name: "card_type", kind: ColumnType::Text, required: false, meaning: "debit or credit, for QR trades paid by card" },
];

const TRADES: Side = Side::new("trade table", &TRADE_TABLE_COLUMNS);

impl TradeColumns {
    /// Reads `batch`, whose first row is row `first_row` of the table (for messages).
    ///
    /// # Errors
    /// A missing required column or a column of the wrong type ([`ArrowReadError`]); more
    /// than [`MERCHANT_CLASS_NAMES_MAX`](crate::MERCHANT_CLASS_NAMES_MAX) merchant classes.
    /// A bad value is not an error here: it is in [`TradeColumns::errors`].
    ///
    /// # Example
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, Int64Array, RecordBatch};
    /// use posfee::reconcile::arrow::{ArrowReadError, TradeColumns, TradeDefaults};
    /// let batch = RecordBatch::try_from_iter([("amount", Arc::new(Int64Array::from(vec![1])) as ArrayRef)]).unwrap();
    /// let failure = TradeColumns::from_batch(&batch, 0, &TradeDefaults::default()).unwrap_err();
    /// assert_eq!(failure.error().location().field.as_deref(), Some("channel"));
    /// ```
    pub fn from_batch(
        batch: &RecordBatch,
        first_row: usize,
        defaults: &TradeDefaults,
    ) -> std::result::Result<TradeColumns, ArrowReadError> {
        Ok(TradeColumns::read_batch(batch, first_row, defaults, None)?.0)
    }

    /// [`TradeColumns::from_batch`]; given the starts of a schedule's time spans `starts_s`
    /// ([`span_starts_s`]), when every row's time is in the span of the first (the fees are
    /// then those of any time in it), the times are left unread (empty) and the first row's
    /// is returned.
    fn read_batch(
        batch: &RecordBatch,
        first_row: usize,
        defaults: &TradeDefaults,
        starts_s: Option<&[i64]>,
    ) -> std::result::Result<(TradeColumns, Option<i64>), ArrowReadError> {
        let columns = BatchColumns::new(TRADES, batch, first_row as u64);
        let rows = batch.num_rows();
        let mut errors = Vec::new();
        let mut bad = |row: usize, field: &str, error: Error| errors.push(RowError::reading(first_row + row, error.in_field(field)));

        let amounts = columns.money("amount")?;
        let mut amount_fen = Vec::with_capacity(rows);
        // Decimals in the usual range without a check per row; the others (and other kinds
        // of column) one by one, with the reason a bad one is bad.
        let others = amounts.amount_fen_fast(&mut amount_fen);
        if others.is_none() {
            amount_fen.resize(rows, 0);
        }
        let to_read: Box<dyn Iterator<Item = usize>> = match others {
            Some(others) => Box::new(others.into_iter()),
            None => Box::new(0..rows),
        };
        for row in to_read {
            // A row in error holds 0, not what the buffer had under a null.
            amount_fen[row] = 0;
            match amounts.get(row, true) {
                Ok(Some(money)) => amount_fen[row] = money.fen().unwrap_or(0),
                Ok(None) => bad(row, "amount", Error::new(ErrorKind::InvalidAmount, "the amount is missing")),
                Err(error) => bad(row, "amount", error),
            }
        }

        let numbered = |error: ArrowReadError| error.numbered_from(first_row as u64);
        let channel =
            parsed(&columns.word_column("channel")?, rows, None, Channel::Credit, "channel", Channel::parse, &mut bad).map_err(numbered)?;

        let times = columns.time("time")?;
        let one_span_s = starts_s.and_then(|starts_s| times.first_if_all_in_span(|time_s| fee_span_s(starts_s, time_s)));
        let mut time_unix_s = match one_span_s {
            Some(_) => Vec::new(),
            None => times.unix_seconds_all().unwrap_or_default(),
        };
        for row in (time_unix_s.len()..rows).filter(|_| one_span_s.is_none()) {
            let seconds = match times.unix_seconds(row) {
                Some(seconds) => Ok(seconds),
                None => match times.get(row) {
                    Ok(Some(at)) => Ok(at.timestamp()),
                    Ok(None) => Err(Error::new(ErrorKind::InvalidDate, "the time is missing")),
                    Err(error) => Err(error),
                },
            };
            time_unix_s.push(seconds.unwrap_or_else(|error| {
                bad(row, "time", error);
                0
            }));
        }

        let settlement = parsed(
            &columns.word_column("settlement")?,
            rows,
            Some(defaults.settlement),
            defaults.settlement,
            "settlement",
            SettlementMode::parse,
            &mut bad,
        )
        .map_err(numbered)?;
        let card_type = parsed(
            &columns.word_column("card_type")?,
            rows,
            Some(defaults.card_type),
            None,
            "card_type",
            |t| CardType::parse(t).map(Some),
            &mut bad,
        )
        .map_err(numbered)?;

        // Merchant classes as codes into `classes`.
        let mut classes = vec![defaults.merchant_class.clone()];
        let names = columns.text("merchant_class")?;
        let mut merchant_class = Vec::with_capacity(if names.0.is_some() { rows } else { 0 });
        let mut last: Option<(&str, u32)> = None;
        for row in (0..rows).filter(|_| names.0.is_some()) {
            let code = match names.get(row) {
                None => 0,
                Some(name) => match last {
                    Some((previous, code)) if previous == name => code,
                    _ => {
                        let code = match classes.iter().position(|c| c == name) {
                            Some(code) => code as u32,
                            None => {
                                classes.push(name.to_string());
                                (classes.len() - 1) as u32
                            }
                        };
                        last = Some((name, code));
                        code
                    }
                },
            };
            merchant_class.push(code);
        }
        if classes.len() > crate::MERCHANT_CLASS_NAMES_MAX {
            return Err(ArrowReadError::Invalid(
                Error::new(ErrorKind::InvalidRequest, format!("more than {} merchant classes", crate::MERCHANT_CLASS_NAMES_MAX))
                    .in_field("merchant_class"),
            ));
        }
        // Each row's first error, in row order.
        errors.sort_by_key(|e| e.row);
        errors.dedup_by_key(|e| e.row);
        let columns = TradeColumns {
            amount_fen,
            channel,
            time_unix_s,
            settlement,
            merchant_class,
            classes,
            card_type,
            errors,
            defaults: defaults.clone(),
        };
        Ok((columns, one_span_s))
    }
}

/// A text column parsed by `parse`, once per distinct text (channels and modes repeat a
/// handful of values); a null cell takes `default` (an error without one), an absent column is
/// empty (every row takes the default, see `TradeColumns`); a row
/// with an error holds `placeholder`. The column's error for a text that is not UTF-8 (of
/// string views, whose texts are checked as they are met).
#[allow(clippy::too_many_arguments)]
fn parsed<T: Copy>(
    column: &WordColumn,
    rows: usize,
    default: Option<T>,
    placeholder: T,
    field: &str,
    parse: impl Fn(&str) -> Result<T>,
    bad: &mut impl FnMut(usize, &str, Error),
) -> std::result::Result<Vec<T>, ArrowReadError> {
    if column.is_absent() && default.is_some() {
        return Ok(Vec::new()); // every row takes the default (see `TradeColumns`)
    }
    // Texts of up to 15 bytes that read, by their key (`Text::key`) in a table of slots
    // indexed by the key's hash, with a multiplier chosen so that no two keys share a slot:
    // one comparison a row, and no branch that rows in random order would mispredict; the
    // others compared byte for byte; past 32, a map. Each error is kept once.
    let mut slots = KeySlots::new(placeholder);
    let mut seen: Vec<(&str, std::result::Result<T, usize>)> = Vec::new();
    let mut many: HashMap<&str, std::result::Result<T, usize>> = HashMap::new();
    let mut failures: Vec<Error> = Vec::new();
    // The first text that is not UTF-8 (the column's error).
    let mut not_utf8: Option<ArrowReadError> = None;
    // The value of a row whose key is not in the slots (yet), put in the slots when it reads.
    let mut other = |slots: &mut KeySlots<T>, row: usize, key: Option<u128>| -> T {
        let text = match column.text(row) {
            Ok(Some(text)) => text,
            Ok(None) => {
                return match default {
                    Some(value) => value,
                    None => {
                        bad(row, field, Error::new(ErrorKind::InvalidRecord, format!("the {field} is missing")));
                        placeholder
                    }
                };
            }
            Err(error) => {
                not_utf8.get_or_insert(error);
                return placeholder;
            }
        };
        let found = match seen.iter().find(|(known, _)| known.len() == text.len() && *known == text) {
            Some((_, value)) => *value,
            None => {
                let mut parse_once = || {
                    parse(text).map_err(|error| {
                        failures.push(error);
                        failures.len() - 1
                    })
                };
                if seen.len() < 32 {
                    let value = parse_once();
                    seen.push((text, value));
                    value
                } else {
                    *many.entry(text).or_insert_with(parse_once)
                }
            }
        };
        match found {
            Ok(value) => {
                if let Some(key) = key {
                    slots.insert(key, value);
                }
                value
            }
            Err(k) => {
                bad(row, field, failures[k].clone());
                placeholder
            }
        }
    };
    // Written in place (a push kept the vector's length and capacity in memory, reloaded and
    // stored at every row).
    let mut out = vec![placeholder; rows];
    // The usual column, without nulls: each row's key straight from the buffers.
    match column {
        WordColumn::Text(Text(Some(strings))) if strings.array.null_count() == 0 => {
            slots.fill(OffsetRows::of(&strings.array), &mut out, |slots, row, key| Some(other(slots, row, key)));
        }
        WordColumn::Views(views, _, _) if views.null_count() == 0 => {
            slots.fill(ViewRows::of(views), &mut out, |slots, row, key| Some(other(slots, row, key)));
        }
        _ => {
            for (row, value) in out.iter_mut().enumerate() {
                let key = column.key(row);
                *value = match key.and_then(|key| slots.get(key)) {
                    Some(found) => found,
                    None => other(&mut slots, row, key),
                };
            }
        }
    }
    match not_utf8 {
        Some(error) => Err(error),
        None => Ok(out),
    }
}

/// The Arrow schema of the quoted columns ([`QUOTED_COLUMNS`]) at a money scale: money as
/// `decimal128(18, scale)`, dates as `date32`, words as dictionaries, `error` as text.
///
/// # Example
/// ```
/// let schema = posfee::reconcile::arrow::quoted_schema(2);
/// assert_eq!(schema.field(0).name(), "fee");
/// assert_eq!(schema.field(0).data_type(), &arrow_schema::DataType::Decimal128(18, 2));
/// ```
pub fn quoted_schema(scale: i8) -> SchemaRef {
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

const WARNING_FLAGS: [Warnings; 4] =
    [Warnings::FEE_EXCEEDS_AMOUNT, Warnings::SETTLEMENT_FELL_BACK, Warnings::CALENDAR_DATA_ENDS, Warnings::PROVISIONAL];

fn bits_of(warnings: Warnings) -> u8 {
    WARNING_FLAGS.iter().enumerate().filter(|(_, flag)| warnings.contains(**flag)).map(|(k, _)| 1u8 << k).sum()
}

fn warnings_of(bits: u8) -> Warnings {
    WARNING_FLAGS.iter().enumerate().filter(|(k, _)| bits & (1 << k) != 0).fold(Warnings::NONE, |all, (_, flag)| all.with(*flag))
}

/// The quoted columns of a batch whose first row is row `first_row`, as a record batch
/// ([`quoted_schema`]); rows in `errors` (row order) are null but for `error`.
///
/// # Example
/// ```
/// use posfee::{Channel, Column, Schedule, TableOptions, TradeTable};
/// let table = TradeTable::new(&[10_000], Column::All(Channel::Credit), Column::All(1_778_040_000));
/// let quoted = Schedule::preset("standard")?.quote_table(&table, &TableOptions::default())?;
/// let batch = posfee::reconcile::arrow::quoted_batch(&quoted, &[], 0, 2);
/// assert_eq!(batch.num_rows(), 1);
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn quoted_batch(quoted: &QuotedTable, errors: &[RowError], first_row: usize, scale: i8) -> RecordBatch {
    let rows = quoted.fee.len();
    let nulls = error_nulls(errors, first_row, rows);
    let money = |values: &[crate::money::Money]| money_array(values, nulls.clone(), scale);
    let keys = |values: Vec<i32>| Int32Array::new(values.into(), nulls.clone());
    let mut rule_ids: Vec<String> = quoted.rule_ids.iter().map(|id| id.to_string()).collect();
    if rule_ids.is_empty() {
        rule_ids.push(String::new());
    }
    let rule = dictionary(keys(quoted.rule.iter().map(|&r| if r == u32::MAX { 0 } else { r as i32 }).collect()), rule_ids);
    // No limit is a null key.
    let limit_valid: Vec<bool> =
        (0..rows).map(|row| quoted.limit[row].is_some() && nulls.as_ref().map_or(true, |n| n.is_valid(row))).collect();
    let limit_keys: Vec<i32> = quoted.limit.iter().map(|l| i32::from(*l == Some(Limit::Floor))).collect();
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
    let date = |values: &[chrono::NaiveDate]| -> ArrayRef {
        let days: Vec<i32> = values.iter().map(|&value| crate::reconcile::schema::epoch_day(value) as i32).collect();
        Arc::new(Date32Array::new(days.into(), nulls.clone()))
    };
    let warning_texts: Vec<String> = (0..1u8 << WARNING_FLAGS.len()).map(|bits| warnings_of(bits).to_string()).collect();
    let warnings = dictionary(keys(quoted.warnings.iter().map(|w| i32::from(bits_of(*w))).collect()), warning_texts);
    let columns: Vec<ArrayRef> = vec![
        money(&quoted.fee),
        money(&quoted.net),
        rule,
        limit,
        settlement,
        date(&quoted.trade_day),
        date(&quoted.settles_on),
        warnings,
        error_column(errors, first_row, rows),
    ];
    RecordBatch::try_new(quoted_schema(scale), columns).expect("columns of the schema")
}

/// The `error` column: `code: message` of each row in `errors` (row order), else null.
fn error_column(errors: &[RowError], first_row: usize, rows: usize) -> ArrayRef {
    if errors.is_empty() {
        return arrow_array::new_null_array(&DataType::Utf8, rows);
    }
    let mut error = StringBuilder::new();
    let mut next = errors.iter().peekable();
    for row in 0..rows {
        match next.peek() {
            Some(e) if e.row - first_row == row => {
                error.append_value(format!("{}: {}", e.error.code(), e.error.message()));
                next.next();
            }
            _ => error.append_null(),
        }
    }
    Arc::new(error.finish())
}

/// The nulls of a piece's quoted cells: the rows in `errors`, none if there are none.
fn error_nulls(errors: &[RowError], first_row: usize, rows: usize) -> Option<NullBuffer> {
    (!errors.is_empty()).then(|| {
        let mut valid = vec![true; rows];
        for e in errors {
            valid[e.row - first_row] = false;
        }
        NullBuffer::from(valid)
    })
}

/// Money as `decimal128(18, scale)` (scale at most 5), null where `nulls` says.
fn money_array(values: &[crate::money::Money], nulls: Option<NullBuffer>, scale: i8) -> ArrayRef {
    let mut units = Vec::with_capacity(values.len());
    push_money(&mut units, values, scale);
    decimal_array(units, nulls, scale)
}

/// `decimal128(18, scale)` of the unscaled `units`, null where `nulls` says.
fn decimal_array(units: Vec<i128>, nulls: Option<NullBuffer>, scale: i8) -> ArrayRef {
    Arc::new(Decimal128Array::new(units.into(), nulls).with_precision_and_scale(18, scale).expect("a valid decimal type"))
}

/// Appends `values` to `units` as unscaled decimals of `scale` (at most 5).
fn push_money(units: &mut Vec<i128>, values: &[crate::money::Money], scale: i8) {
    fn divided(units: &mut Vec<i128>, values: &[crate::money::Money], divide: impl Fn(i64) -> i64) {
        units.extend(values.iter().map(|value| i128::from(divide(value.millifen()))));
    }
    // The usual scale's divisor a constant, so that the division is a multiplication; values
    // none of which is negative (fees, usually: an or a row decides) divided without the
    // sign's correction.
    let none_negative = values.iter().fold(0, |bits, value| bits | value.millifen()) >= 0;
    match (10i64.pow(5 - scale.clamp(0, 5) as u32), none_negative) {
        (1_000, true) => divided(units, values, |m| (m as u64 / 1_000) as i64),
        (1_000, false) => divided(units, values, |m| m / 1_000),
        (divisor, _) => divided(units, values, |m| m / divisor),
    }
}

/// Prices every row of a table of trades (its batches in order): one record batch of the
/// quoted columns ([`quoted_batch`]) per piece of at most 2²⁰ rows (fewer for a smaller table, to use every core), the same rows in the same
/// order. The money scale of the output is the schedule's rounding scale (at least 2).
///
/// # Errors
/// A missing column or one of the wrong type ([`ArrowReadError`]); with
/// [`OnInvalid::Raise`], the first row's error (reading or pricing), else none.
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// use posfee::reconcile::arrow::{quote_batches, TradeDefaults};
/// use posfee::{Calendar, OnInvalid, Schedule, TableOptions};
/// let text = |values: Vec<&str>| Arc::new(StringArray::from(values)) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("amount", text(vec!["5000", "100"])),
///     ("channel", text(vec!["debit", "wechat"])),
///     ("time", text(vec!["2026-05-06 10:00", "2026-05-06 11:00"])),
/// ]).unwrap();
/// let options = TableOptions { on_invalid: OnInvalid::Raise, ..TableOptions::default() };
/// let quoted = quote_batches(&Schedule::preset("standard")?, &[batch], &TradeDefaults::default(), &options, Calendar::china()).unwrap();
/// assert_eq!(quoted[0].num_rows(), 2);
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn quote_batches(
    schedule: &Schedule,
    batches: &[RecordBatch],
    defaults: &TradeDefaults,
    options: &TableOptions,
    calendar: &Calendar,
) -> std::result::Result<Vec<RecordBatch>, ArrowReadError> {
    let scale = money_scale(schedule);
    let priced = TableOptions { on_invalid: OnInvalid::Report, calendar_policy: options.calendar_policy };
    let results: Vec<PieceResult> = pieces(batches)
        .par_iter()
        // Each worker quotes into the same columns piece after piece (no fresh pages).
        .map_init(QuotedTable::default, |quoted, (first_row, piece)| {
            let columns = TradeColumns::from_batch(piece, *first_row, defaults)?;
            let names = columns.class_names();
            schedule.quote_table_into(&columns.table(&names), &priced, calendar, quoted)?;
            let errors = first_errors(&columns.errors, &quoted.errors, *first_row);
            let first = errors.first().cloned();
            Ok((quoted_batch(quoted, &errors, *first_row, scale), first))
        })
        .collect();
    raise_or_collect(results, options.on_invalid)
}

/// The Arrow schema of [`fee_batches`]' output: `fee` as `decimal128(18, scale)` and `error`
/// (the `fee` and `error` fields of [`quoted_schema`]).
///
/// # Example
/// ```
/// let schema = posfee::reconcile::arrow::fee_schema(2);
/// let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
/// assert_eq!(names, ["fee", "error"]);
/// ```
pub fn fee_schema(scale: i8) -> SchemaRef {
    let quoted = quoted_schema(scale);
    Arc::new(Schema::new(vec![quoted.field(0).clone(), quoted.field(QUOTED_COLUMNS.len() - 1).clone()]))
}

/// The fees alone of every row of a table of trades (its batches in order), on all cores:
/// the same fees as [`quote_batches`] (by [`Schedule::fee_table`]: no settlement dates, so
/// no calendar), one record batch of [`fee_schema`] per piece of at most 2²⁰ rows (fewer for a smaller table, to use every core).
///
/// # Errors
/// As [`quote_batches`].
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// use arrow_array::cast::AsArray;
/// use arrow_array::types::Decimal128Type;
/// use posfee::reconcile::arrow::{fee_batches, TradeDefaults};
/// use posfee::{OnInvalid, Schedule};
/// let text = |values: Vec<&str>| Arc::new(StringArray::from(values)) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("amount", text(vec!["5000", "100", "12"])),
///     ("channel", text(vec!["debit", "wechat", "visa"])),
///     ("time", text(vec!["2026-05-06 10:00", "2026-05-06 11:00", "2026-05-06 12:00"])),
/// ]).unwrap();
/// let fees = fee_batches(&Schedule::preset("sft-traditional")?, &[batch], &TradeDefaults::default(), OnInvalid::Report).unwrap();
/// let fee: Vec<Option<i128>> = fees[0].column(0).as_primitive::<Decimal128Type>().iter().collect();
/// assert_eq!(fee, [Some(2_000), Some(38), None]); // ¥20.00 (the debit cap), ¥0.38, and a row in error
/// assert!(fees[0].column(1).as_string::<i32>().value(2).starts_with("invalid_channel: row 2: "));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn fee_batches(
    schedule: &Schedule,
    batches: &[RecordBatch],
    defaults: &TradeDefaults,
    on_invalid: OnInvalid,
) -> std::result::Result<Vec<RecordBatch>, ArrowReadError> {
    let scale = money_scale(schedule);
    let starts_s = span_starts_s(schedule);
    let results: Vec<PieceResult> = pieces(batches)
        .par_iter()
        .map(|(first_row, piece)| {
            // Read and priced in chunks whose columns stay in the core's cache, written
            // straight into the piece's output.
            let rows = piece.num_rows();
            let mut units = Vec::with_capacity(rows);
            let mut errors = Vec::new();
            for start in (0..rows.max(1)).step_by(CHUNK_ROWS) {
                let chunk = piece.slice(start, CHUNK_ROWS.min(rows - start));
                let (columns, priced) = chunk_fees(schedule, &chunk, first_row + start, defaults, &starts_s, scale, &mut units)?;
                errors.extend(first_errors(&columns.errors, &priced, first_row + start));
            }
            let first = errors.first().cloned();
            let columns =
                vec![decimal_array(units, error_nulls(&errors, *first_row, rows), scale), error_column(&errors, *first_row, rows)];
            Ok((RecordBatch::try_new(fee_schema(scale), columns).expect("columns of the schema"), first))
        })
        .collect();
    raise_or_collect(results, on_invalid)
}

/// The fees of a chunk of a table (`first_row` its first row's number in the table), appended
/// to `units` as unscaled decimals of `scale` ([`money_scale`]); its columns, and the
/// errors of its rows' prices. When its rows' times all fall in one of the schedule's time
/// spans (the usual chunk of a month's trades), they are not read one by one: every row is
/// priced at the first row's time, which gives each the fee of its own, in fen when it can
/// ([`Schedule::fee_table_fen`]). A row that does not price that way (refused: its error names
/// its time) has the chunk priced again with each row's time, the times then read (the other
/// columns as they were).
fn chunk_fees(
    schedule: &Schedule,
    chunk: &RecordBatch,
    first_row: usize,
    defaults: &TradeDefaults,
    starts_s: &[i64],
    scale: i8,
    units: &mut Vec<i128>,
) -> std::result::Result<(TradeColumns, Vec<RowError>), ArrowReadError> {
    let (mut columns, one_span_s) = TradeColumns::read_batch(chunk, first_row, defaults, Some(starts_s))?;
    if let Some(time_s) = one_span_s {
        let names = columns.class_names();
        let table = columns.table_at(&names, Column::All(time_s));
        if schedule.fee_table_fen(&table, units)? {
            return Ok((columns, Vec::new()));
        }
        let (fees, priced) = schedule.fee_table(&table, OnInvalid::Report)?;
        if priced.is_empty() {
            push_money(units, &fees, scale);
            return Ok((columns, priced));
        }
        // Times found in one span are timestamps without nulls: read in one go, none in error.
        match BatchColumns::new(TRADES, chunk, first_row as u64).time("time")?.unix_seconds_all() {
            Some(time_unix_s) => columns.time_unix_s = time_unix_s,
            None => columns = TradeColumns::from_batch(chunk, first_row, defaults)?,
        }
    }
    let names = columns.class_names();
    let (fees, priced) = schedule.fee_table(&columns.table(&names), OnInvalid::Report)?;
    push_money(units, &fees, scale);
    Ok((columns, priced))
}

/// The money scale of the quoted columns: the schedule's rounding scale, at least 2.
fn money_scale(schedule: &Schedule) -> i8 {
    schedule.rounding().scale.max(2) as i8
}

/// A piece's batch of output, and its first row's error.
type PieceResult = std::result::Result<(RecordBatch, Option<RowError>), ArrowReadError>;

/// The rows of a piece of a table (pieces are read, priced and written on all cores): four
/// pieces a thread, so that a table of a million rows keeps every core busy, but at least
/// [`PIECE_ROWS_MIN`] (each piece compiles its own prices) and at most [`PIECE_ROWS_MAX`]
/// (its columns stay small).
fn piece_rows(rows: usize) -> usize {
    rows.div_ceil(4 * rayon::current_num_threads()).clamp(PIECE_ROWS_MIN, PIECE_ROWS_MAX)
}

const PIECE_ROWS_MIN: usize = 1 << 16;
const PIECE_ROWS_MAX: usize = 1 << 20;

/// The rows of a piece read and priced at a time: their columns (about 40 bytes a row) stay
/// in a core's cache between reading and pricing.
const CHUNK_ROWS: usize = 1 << 14;

/// The batches cut in pieces of at most [`piece_rows`], each with the table's number of its
/// first row (an empty batch is a piece of its own, so an empty table keeps its batch).
fn pieces(batches: &[RecordBatch]) -> Vec<(usize, RecordBatch)> {
    let piece_rows = piece_rows(batches.iter().map(RecordBatch::num_rows).sum());
    let mut pieces = Vec::new();
    let mut first_row = 0;
    for batch in batches {
        let mut start = 0;
        while start < batch.num_rows() || (start == 0 && batch.num_rows() == 0) {
            let length = piece_rows.min(batch.num_rows() - start);
            pieces.push((first_row + start, batch.slice(start, length)));
            start += length.max(1);
        }
        first_row += batch.num_rows();
    }
    pieces
}

/// Each row's first error, in row order: its values' (`read`, numbered in the table), else its
/// price's (`priced`, numbered in the piece that starts at row `first_row`).
fn first_errors(read: &[RowError], priced: &[RowError], first_row: usize) -> Vec<RowError> {
    let priced = priced.iter().map(|e| e.clone().renumbered(first_row + e.row));
    let mut errors: Vec<RowError> = read.iter().cloned().chain(priced).collect();
    // A stable sort keeps a row's reading error before its pricing error; one error a row (the
    // output's error column takes them in row order, one a row).
    errors.sort_by_key(|e| e.row);
    errors.dedup_by_key(|e| e.row);
    errors
}

/// The pieces' batches in order; with [`OnInvalid::Raise`], the first piece's first error.
fn raise_or_collect(results: Vec<PieceResult>, on_invalid: OnInvalid) -> std::result::Result<Vec<RecordBatch>, ArrowReadError> {
    let mut out = Vec::with_capacity(results.len());
    for result in results {
        let (batch, first) = result?;
        if let (OnInvalid::Raise, Some(first)) = (on_invalid, first) {
            return Err(ArrowReadError::Invalid(first.error));
        }
        out.push(batch);
    }
    Ok(out)
}

/// Compares `offers` on a table of trades ([`compare`](crate::compare)): rows whose values
/// cannot be read are left out and listed first in [`Comparison::excluded`] (with
/// [`OnInvalid::Raise`], the first is the error); every row number is the table's.
///
/// # Errors
/// As [`quote_batches`], and as [`compare`](crate::compare).
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// use posfee::reconcile::arrow::{compare_batches, TradeDefaults};
/// use posfee::{OnInvalid, Offer, Schedule};
/// let text = |values: Vec<&str>| Arc::new(StringArray::from(values)) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("amount", text(vec!["5000", "oops"])),
///     ("channel", text(vec!["debit", "credit"])),
///     ("time", text(vec!["2026-05-06 10:00", "2026-05-06 11:00"])),
/// ]).unwrap();
/// let offers = [Offer::new(Schedule::preset("sft-traditional")?), Offer::new(Schedule::preset("sft-smart")?)];
/// let comparison = compare_batches(&[batch], &offers, &TradeDefaults::default(), OnInvalid::Report).unwrap();
/// assert_eq!(comparison.excluded[0].row, 1);
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn compare_batches(
    batches: &[RecordBatch],
    offers: &[Offer],
    defaults: &TradeDefaults,
    on_invalid: OnInvalid,
) -> std::result::Result<Comparison, ArrowReadError> {
    // One table of every batch (a comparison needs all trades at once).
    let schema = batches.first().map(RecordBatch::schema).unwrap_or_else(|| Arc::new(Schema::empty()));
    let batch = arrow_select::concat::concat_batches(&schema, batches)
        .map_err(|e| ArrowReadError::ColumnType(Error::new(ErrorKind::InvalidRecord, e.to_string())))?;
    let columns = TradeColumns::from_batch(&batch, 0, defaults)?;
    columns.compare(offers, on_invalid).map_err(ArrowReadError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::arrow::values::Strings;
    use arrow_array::cast::AsArray;
    use arrow_array::Array;

    fn batch(amounts: Vec<&str>, channels: Vec<&str>) -> RecordBatch {
        let text = |values: Vec<&str>| Arc::new(StringArray::from(values)) as ArrayRef;
        let times = vec!["2026-05-06 10:00"; amounts.len()];
        RecordBatch::try_from_iter([("amount", text(amounts)), ("channel", text(channels)), ("time", text(times))]).unwrap()
    }

    #[test]
    fn rows_are_numbered_across_batches_and_bad_rows_are_null_with_their_error() {
        let batches = [batch(vec!["100", "5000"], vec!["credit", "debit"]), batch(vec!["-1", "100"], vec!["credit", "visa"])];
        let schedule = Schedule::preset("sft-traditional").unwrap();
        let report = TableOptions { on_invalid: OnInvalid::Report, ..TableOptions::default() };
        let quoted = quote_batches(&schedule, &batches, &TradeDefaults::default(), &report, Calendar::china()).unwrap();
        let fee: Vec<Option<i128>> = quoted
            .iter()
            .flat_map(|b| b.column(0).as_primitive::<arrow_array::types::Decimal128Type>().iter().collect::<Vec<_>>())
            .collect();
        assert_eq!(fee, [Some(60), Some(2_000), None, None]);
        let errors: Vec<Option<String>> =
            quoted.iter().flat_map(|b| b.column(8).as_string::<i32>().iter().map(|e| e.map(str::to_string)).collect::<Vec<_>>()).collect();
        assert!(errors[2].as_deref().is_some_and(|e| e.starts_with("invalid_amount: row 2: ")), "{errors:?}");
        assert!(errors[3].as_deref().is_some_and(|e| e.starts_with("invalid_channel: row 3: ") && e.contains("visa")), "{errors:?}");
        let raise = quote_batches(&schedule, &batches, &TradeDefaults::default(), &TableOptions::default(), Calendar::china()).unwrap_err();
        assert_eq!((raise.error().code(), raise.error().location().field.as_deref()), ("invalid_amount", Some("amount")));
        assert!(raise.error().message().starts_with("row 2: "));
    }

    #[test]
    fn a_decimal_amount_in_error_reads_as_zero_with_its_error() {
        // The value under a null, and a negative one: both rows hold 0, each with its error.
        let values = arrow_buffer::ScalarBuffer::from(vec![12_345i128, 77_700, -100, 500]);
        let nulls = arrow_buffer::NullBuffer::from(vec![true, false, true, true]);
        let amounts = arrow_array::Decimal128Array::new(values, Some(nulls)).with_precision_and_scale(18, 2).unwrap();
        let text = |values: Vec<&str>| Arc::new(StringArray::from(values)) as ArrayRef;
        let batch = RecordBatch::try_from_iter([
            ("amount", Arc::new(amounts) as ArrayRef),
            ("channel", text(vec!["credit"; 4])),
            ("time", text(vec!["2026-05-06 10:00"; 4])),
        ])
        .unwrap();
        let columns = TradeColumns::from_batch(&batch, 10, &TradeDefaults::default()).unwrap();
        let names = columns.class_names();
        assert_eq!(columns.table(&names).amount_fen, [12_345, 0, 0, 500]);
        let rows: Vec<(usize, &str)> = columns.errors.iter().map(|e| (e.row, e.error.code())).collect();
        assert_eq!(rows, [(11, "invalid_amount"), (12, "invalid_amount")]);
    }

    proptest::proptest! {
        /// Decimal amounts read as the same amounts written as text: each row's fen, or 0 and
        /// an error on the same rows (amounts near the fast check's power of two, the largest
        /// amount and one fen past it, negative, huge, under a null).
        #[test]
        fn decimal_amounts_read_as_their_text(
            scale in 0u32..=4,
            cells in proptest::collection::vec((proptest::prop_oneof![
                0i128..3_000_000,
                (1i128 << 36) - 2..(1i128 << 36) + 2,
                proptest::sample::select(vec![100_000_000_000i128, 100_000_000_001, -1, -100, i128::MAX, i128::MIN, 1 << 64]),
            ], proptest::bool::weighted(0.9)), 1..40),
        ) {
            // Values in fen, as units of the scale (a scale below 2 keeps whole units).
            let values: Vec<i128> = cells.iter().map(|(fen, _)| if scale >= 2 { fen.saturating_mul(10i128.pow(scale - 2)) } else { fen / 10i128.pow(2 - scale) }).collect();
            let valid: Vec<bool> = cells.iter().map(|(_, valid)| *valid).collect();
            let decimal = Decimal128Array::new(values.clone().into(), Some(NullBuffer::from(valid.clone()))).with_precision_and_scale(38, scale as i8).unwrap();
            let text: Vec<Option<String>> = values.iter().zip(&valid).map(|(value, valid)| valid.then(|| {
                let digits = value.unsigned_abs().to_string();
                let digits = format!("{digits:0>width$}", width = scale as usize + 1);
                let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
                format!("{}{whole}{}{fraction}", if *value < 0 { "-" } else { "" }, if scale > 0 { "." } else { "" })
            })).collect();
            let read = |amount: ArrayRef| {
                let rows = values.len();
                let batch = RecordBatch::try_from_iter([
                    ("amount", amount),
                    ("channel", Arc::new(StringArray::from(vec!["credit"; rows])) as ArrayRef),
                    ("time", Arc::new(StringArray::from(vec!["2026-05-06 10:00"; rows])) as ArrayRef),
                ]).unwrap();
                let columns = TradeColumns::from_batch(&batch, 0, &TradeDefaults::default()).unwrap();
                let errors: Vec<(usize, String)> = columns.errors.iter().map(|e| (e.row, e.error.code().to_string())).collect();
                (columns.amount_fen, errors)
            };
            proptest::prop_assert_eq!(read(Arc::new(decimal)), read(Arc::new(StringArray::from(text))));
        }
    }

    proptest::proptest! {
        /// The word columns (channel, settlement, card type) read alike from strings and from
        /// string views (what polars hands over): the same values and the same errors on the
        /// same rows, with nulls, words that do not read, and texts of more than 12 bytes (in a
        /// buffer, not in their views) and of more than 15 (without a key).
        #[test]
        fn word_columns_read_alike_from_strings_and_string_views(
            cells in proptest::collection::vec((0usize..9, 0usize..6, 0usize..5), 1..60),
            first_row in 0usize..3,
        ) {
            const CHANNELS: [Option<&str>; 9] = [Some("credit"), Some("debit"), Some("wechat"), Some(" Alipay "), Some("visa"), None,
                Some("unionpay_qr"), Some("a channel name too long for a key"), Some("信用卡信用卡信用卡")];
            const MODES: [Option<&str>; 6] = [Some("T1"), Some("D0"), None, Some("T9"), Some("T1 "), Some("not a settlement mode")];
            const CARDS: [Option<&str>; 5] = [Some("debit"), Some("credit"), None, Some(""), Some("借记卡")];
            let rows = cells.len();
            let column = |values: Vec<Option<&str>>, views: bool| -> ArrayRef {
                if views { Arc::new(arrow_array::StringViewArray::from(values)) } else { Arc::new(StringArray::from(values)) }
            };
            let read = |views: bool| {
                let batch = RecordBatch::try_from_iter([
                    ("amount", Arc::new(StringArray::from(vec!["100.00"; rows])) as ArrayRef),
                    ("channel", column(cells.iter().map(|c| CHANNELS[c.0]).collect(), views)),
                    ("time", Arc::new(StringArray::from(vec!["2026-05-06 10:00"; rows])) as ArrayRef),
                    ("settlement", column(cells.iter().map(|c| MODES[c.1]).collect(), views)),
                    ("card_type", column(cells.iter().map(|c| CARDS[c.2]).collect(), views)),
                ]).unwrap();
                let columns = TradeColumns::from_batch(&batch, first_row, &TradeDefaults::default()).unwrap();
                let errors: Vec<(usize, String)> = columns.errors.iter().map(|e| (e.row, e.error.to_string())).collect();
                (format!("{:?} {:?} {:?}", columns.channel, columns.settlement, columns.card_type), errors)
            };
            let from_strings = read(false);
            proptest::prop_assert!(from_strings.1.len() <= rows);
            proptest::prop_assert_eq!(read(true), from_strings);
        }
    }

    #[test]
    fn the_fees_alone_are_the_quotes_fees_with_the_same_errors() {
        let schedule = Schedule::preset("sft-traditional").unwrap();
        let channels = ["credit", "debit", "wechat", "alipay", "visa"];
        let amounts: Vec<String> = (0..3_000).map(|k| format!("{}.{:02}", (k * 7_919) % 30_000, k % 100)).collect();
        let batches: Vec<RecordBatch> = amounts
            .chunks(1_000)
            .map(|chunk| {
                let mut amounts: Vec<&str> = chunk.iter().map(String::as_str).collect();
                amounts[3] = "-5"; // a bad amount in every batch
                batch(amounts, (0..chunk.len()).map(|k| channels[k % channels.len()]).collect())
            })
            .collect();
        let report = TableOptions { on_invalid: OnInvalid::Report, ..TableOptions::default() };
        let quoted = quote_batches(&schedule, &batches, &TradeDefaults::default(), &report, Calendar::china()).unwrap();
        let fees = fee_batches(&schedule, &batches, &TradeDefaults::default(), OnInvalid::Report).unwrap();
        let column = |batches: &[RecordBatch], k: usize| -> Vec<String> {
            batches
                .iter()
                .flat_map(|b| {
                    (0..b.num_rows()).map(|row| arrow_cast::display::array_value_to_string(b.column(k), row).unwrap()).collect::<Vec<_>>()
                })
                .collect()
        };
        assert_eq!(column(&fees, 0), column(&quoted, 0));
        assert_eq!(column(&fees, 1), column(&quoted, 8));
        let errors = column(&fees, 1).iter().filter(|e| !e.is_empty()).count();
        assert_eq!(errors, 3 + 600, "a bad amount a batch, and every fifth channel");
        assert!(column(&fees, 1)[1_003].starts_with("invalid_amount: row 1003: "));
        let raise = fee_batches(&schedule, &batches, &TradeDefaults::default(), OnInvalid::Raise).unwrap_err();
        assert!(raise.error().message().starts_with("row 3: "), "{}", raise.error());
        assert_eq!(fee_schema(4).field(0).data_type(), &DataType::Decimal128(18, 4));
    }

    #[test]
    fn a_table_of_one_batch_is_priced_in_pieces_with_its_own_row_numbers() {
        // 300,000 rows in one batch: pieces of 65,536 to 75,000 rows, whatever the threads.
        let schedule = Schedule::preset("sft-traditional").unwrap();
        let rows = 300_000;
        let amounts: Vec<String> =
            (0..rows).map(|k| if [5, 70_000, 250_000].contains(&k) { "-1".into() } else { format!("{}.00", 1 + k % 9_000) }).collect();
        let channels = ["credit", "debit", "wechat"];
        let batches = [batch(amounts.iter().map(String::as_str).collect(), (0..rows).map(|k| channels[k % 3]).collect())];
        assert!(pieces(&batches).len() >= 4);
        let report = TableOptions { on_invalid: OnInvalid::Report, ..TableOptions::default() };
        let quoted = quote_batches(&schedule, &batches, &TradeDefaults::default(), &report, Calendar::china()).unwrap();
        assert_eq!(quoted.iter().map(RecordBatch::num_rows).sum::<usize>(), rows);
        let errors: Vec<(usize, String)> = quoted
            .iter()
            .flat_map(|b| b.column(8).as_string::<i32>().iter().map(|e| e.unwrap_or("").to_string()).collect::<Vec<_>>())
            .enumerate()
            .filter(|(_, e)| !e.is_empty())
            .collect();
        let at: Vec<usize> = errors.iter().map(|(row, _)| *row).collect();
        assert_eq!(at, [5, 70_000, 250_000]);
        for (row, error) in &errors {
            assert!(error.starts_with(&format!("invalid_amount: row {row}: ")), "{error}");
        }
        // Each fee is the scalar quote's (a sample across the pieces).
        let fees: Vec<Option<i128>> = quoted
            .iter()
            .flat_map(|b| b.column(0).as_primitive::<arrow_array::types::Decimal128Type>().iter().collect::<Vec<_>>())
            .collect();
        for k in [0, 65_535, 65_536, 131_071, 200_001, rows - 1] {
            let request = crate::QuoteRequest::new(
                crate::Money::parse_amount(&amounts[k]).unwrap(),
                crate::Channel::parse(channels[k % 3]).unwrap(),
                crate::parse_china_time("2026-05-06 10:00").unwrap(),
            );
            assert_eq!(fees[k], Some(i128::from(schedule.quote(&request).unwrap().fee.millifen() / crate::MILLIFEN_PER_FEN)), "row {k}");
        }
        let raise = quote_batches(&schedule, &batches, &TradeDefaults::default(), &TableOptions::default(), Calendar::china()).unwrap_err();
        assert!(raise.error().message().starts_with("row 5: "), "{}", raise.error());
        assert_eq!((piece_rows(0), piece_rows(usize::MAX / 2)), (PIECE_ROWS_MIN, PIECE_ROWS_MAX));
        // The fees alone, read and priced in chunks of each piece: the same fees and errors.
        assert!(rows > 4 * CHUNK_ROWS && 70_000 % CHUNK_ROWS != 0);
        let fee_only = fee_batches(&schedule, &batches, &TradeDefaults::default(), OnInvalid::Report).unwrap();
        let fee_alone: Vec<Option<i128>> = fee_only
            .iter()
            .flat_map(|b| b.column(0).as_primitive::<arrow_array::types::Decimal128Type>().iter().collect::<Vec<_>>())
            .collect();
        assert!(fee_alone == fees, "fee_batches and quote_batches differ");
        let error_rows: Vec<usize> = fee_only
            .iter()
            .flat_map(|b| b.column(1).as_string::<i32>().iter().map(|e| e.map(str::to_string)).collect::<Vec<_>>())
            .enumerate()
            .filter_map(|(row, e)| e.filter(|e| e.starts_with(&format!("invalid_amount: row {row}: "))).map(|_| row))
            .collect();
        assert_eq!(error_rows, [5, 70_000, 250_000]);
        let raise = fee_batches(&schedule, &batches, &TradeDefaults::default(), OnInvalid::Raise).unwrap_err();
        assert!(raise.error().message().starts_with("row 5: "), "{}", raise.error());
    }

    proptest::proptest! {
        /// Money written as unscaled decimals: each value's millifen divided by the scale's
        /// unit (toward zero, as i128), with and without negative values among them.
        #[test]
        fn money_is_written_as_its_unscaled_decimal(
            millifen in proptest::collection::vec(proptest::prop_oneof![0i64..10_000_000, proptest::num::i64::ANY], 0..40),
            scale in 0i8..=5,
        ) {
            let values: Vec<crate::money::Money> = millifen.iter().map(|m| crate::money::Money::from_millifen_unchecked(*m)).collect();
            let mut units = Vec::new();
            push_money(&mut units, &values, scale);
            let expected: Vec<i128> = millifen.iter().map(|m| i128::from(*m) / 10i128.pow(5 - scale as u32)).collect();
            proptest::prop_assert_eq!(units, expected);
        }

        /// A text column read by `parsed` against each row's text looked up: texts of every
        /// length (the short keys' loop, the long keys', and the rows between), some that do
        /// not read.
        #[test]
        fn texts_read_as_their_values_whatever_their_lengths(
            pool in proptest::collection::vec(proptest::prop_oneof!["[ab\\x00z]{0,7}", "[a-dz微\\x00]{0,9}"], 1..14),
            picks in proptest::collection::vec(0usize..1_000, 1..400),
            views: bool,
        ) {
            let texts: Vec<&str> = picks.iter().map(|pick| pool[pick % pool.len()].as_str()).collect();
            let value_of = |text: &str| pool.iter().position(|known| known == text).unwrap() as u32;
            let parse = |text: &str| match text.starts_with('z') {
                true => Err(Error::new(ErrorKind::InvalidRecord, format!("{text:?} does not read"))),
                false => Ok(value_of(text)),
            };
            let mut bad_rows = Vec::new();
            // As strings, or as string views (texts of up to 12 bytes in their views).
            let column = match views {
                false => WordColumn::Text(Text(Some(Strings::new(TRADES, "channel", StringArray::from(texts.clone())).unwrap()))),
                true => WordColumn::Views(arrow_array::StringViewArray::from(texts.clone()), TRADES, "channel".into()),
            };
            let read = parsed(&column, texts.len(), None, u32::MAX, "word", parse, &mut |row, _: &str, _| bad_rows.push(row)).unwrap();
            let expected: Vec<u32> = texts.iter().map(|text| if text.starts_with('z') { u32::MAX } else { value_of(text) }).collect();
            proptest::prop_assert_eq!(read, expected);
            let expected_bad: Vec<usize> = (0..texts.len()).filter(|row| texts[*row].starts_with('z')).collect();
            proptest::prop_assert_eq!(bad_rows, expected_bad);
        }
    }

    #[test]
    fn absent_optional_columns_are_the_defaults_without_a_value_a_row() {
        let defaults = TradeDefaults::new("D0", Some("discounted"), Some("debit")).unwrap();
        let columns = TradeColumns::from_batch(&batch(vec!["100", "7"], vec!["credit", "unionpay_qr"]), 0, &defaults).unwrap();
        assert!(columns.settlement.is_empty() && columns.merchant_class.is_empty() && columns.card_type.is_empty());
        let names = columns.class_names();
        let table = columns.table(&names);
        assert_eq!(
            (table.settlement.get(1), table.card_type.get(1), table.merchant_class.get(1)),
            (SettlementMode::D(0), Some(CardType::Debit), 0)
        );
        assert_eq!(table.merchant_class_names, ["discounted"]);
        let (kept, rows) = columns.readable();
        assert_eq!((kept.rows(), rows), (2, vec![0, 1]));
        assert!(kept.settlement.is_empty());
    }

    #[test]
    fn timestamps_of_every_unit_read_as_each_row_alone_before_and_after_1970() {
        use arrow_array::{TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray};
        // Seconds; 1969-12-31 23:59:59.5 UTC floors to -1, and a naive time is China time.
        let seconds: [i64; 4] = [1_778_040_000, 0, -1, -86_400 * 365];
        for with_early in [false, true] {
            let rows = if with_early { 4 } else { 2 };
            for zone in [None, Some("+00:00")] {
                let scaled = |per_second: i64| -> Vec<i64> {
                    seconds[..rows].iter().map(|s| s * per_second + if *s == -1 { per_second / 2 } else { 0 }).collect()
                };
                let columns: [ArrayRef; 4] = [
                    Arc::new(TimestampSecondArray::from(scaled(1)).with_timezone_opt(zone)),
                    Arc::new(TimestampMillisecondArray::from(scaled(1_000)).with_timezone_opt(zone)),
                    Arc::new(TimestampMicrosecondArray::from(scaled(1_000_000)).with_timezone_opt(zone)),
                    Arc::new(TimestampNanosecondArray::from(scaled(1_000_000_000)).with_timezone_opt(zone)),
                ];
                for time in columns {
                    let (amounts, channels): (Vec<&str>, Vec<&str>) = (vec!["1"; rows], vec!["credit"; rows]);
                    let batch = RecordBatch::try_from_iter([
                        ("amount", Arc::new(StringArray::from(amounts)) as ArrayRef),
                        ("channel", Arc::new(StringArray::from(channels)) as ArrayRef),
                        ("time", time),
                    ])
                    .unwrap();
                    let read = TradeColumns::from_batch(&batch, 0, &TradeDefaults::default()).unwrap();
                    let offset_s = if zone.is_some() { 0 } else { 8 * 3600 };
                    let expected: Vec<i64> = seconds[..rows].iter().map(|s| s - offset_s).collect();
                    assert_eq!(read.time_unix_s, expected, "{zone:?}, {:?}", batch.column(2).data_type());
                }
            }
        }
    }

    #[test]
    fn the_columns_equal_the_trades_read_one_by_one() {
        let columns = TradeColumns::from_batch(&batch(vec!["12.34", "7"], vec!["wechat", "credit"]), 0, &TradeDefaults::default()).unwrap();
        assert_eq!(columns.amount_fen(), [1_234, 700]);
        assert_eq!(columns.channel, [Channel::Wechat, Channel::Credit]);
        let at = crate::settlement::parse_china_time("2026-05-06 10:00").unwrap().timestamp();
        assert_eq!(columns.time_unix_s, [at, at]);
        assert!(columns.errors().is_empty() && quoted_batch(&QuotedTable::default(), &[], 0, 2).column(8).is_empty());
    }

    /// A table of trades as pyarrow and polars hand them over (decimal amounts of `scale`, text
    /// channels, timestamps of `unit`, China time or with a zone), with a few odd rows of each
    /// kind: amounts negative, too large or null; channels unknown, longer than a key, spelled
    /// another way or null; times before 1970, in another span of a schedule or null.
    /// `odd_per_mille`: how often such a row comes; `pool`: the other rows' channels.
    fn arrow_trades(
        rows: usize,
        seed: u64,
        scale: u32,
        unit: arrow_schema::TimeUnit,
        aware: bool,
        odd_per_mille: u64,
        pool: &[&'static str],
    ) -> RecordBatch {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let per_second = per_second(unit);
        let per_fen = 10i128.pow(scale) / 100;
        let (mut amounts, mut channels, mut times) = (Vec::new(), Vec::new(), Vec::new());
        // December 2025: sft-esign's rule of 2026-01-01 is a span boundary a row may cross.
        let start_s = 1_766_620_800; // 2025-12-25T00:00:00Z
        for _ in 0..rows {
            let odd = next() % 1000 < odd_per_mille;
            let fen = 1 + (next() % 2_000_000) as i128;
            let amount = match (odd, next() % 4) {
                (true, 0) => Some(-fen * per_fen.max(1)),
                (true, 1) => Some(10i128.pow(15 + scale)),
                (true, 2) => None,
                _ => Some(if scale >= 2 { fen * per_fen } else { fen / 10i128.pow(2 - scale) + 1 }),
            };
            let channel = match (odd, next() % 5) {
                (true, 0) => Some("visa"),
                (true, 1) => Some("wechat_pay_in_a_store"),
                (true, 2) => Some("Credit Card"),
                (true, 3) => None,
                _ => Some(pool[(next() % pool.len() as u64) as usize]),
            };
            let second = match (odd, next() % 3) {
                (true, 0) => Some(-86_400 * 3 - (next() % 1000) as i64),
                (true, 1) => Some(start_s + 10 * 86_400 + (next() % 86_400) as i64),
                (true, 2) => None,
                _ => Some(start_s + (next() % (3 * 86_400)) as i64),
            };
            amounts.push(amount);
            channels.push(channel);
            times.push(second.map(|s| s * per_second + (next() % per_second as u64) as i64 * i64::from(!odd)));
        }
        let amount = Decimal128Array::from(amounts).with_precision_and_scale(38, scale as i8).unwrap();
        RecordBatch::try_from_iter([
            ("amount", Arc::new(amount) as ArrayRef),
            ("channel", Arc::new(StringArray::from(channels)) as ArrayRef),
            ("time", timestamps(times, unit, aware)),
        ])
        .unwrap()
    }

    /// A timestamp column of `unit`: China time without a zone, or with the zone +08:00.
    fn timestamps(values: Vec<Option<i64>>, unit: arrow_schema::TimeUnit, aware: bool) -> ArrayRef {
        use arrow_array::{TimestampMicrosecondArray, TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray};
        let zone = aware.then(|| Arc::<str>::from("+08:00"));
        match unit {
            arrow_schema::TimeUnit::Second => Arc::new(TimestampSecondArray::from(values).with_timezone_opt(zone)),
            arrow_schema::TimeUnit::Millisecond => Arc::new(TimestampMillisecondArray::from(values).with_timezone_opt(zone)),
            arrow_schema::TimeUnit::Microsecond => Arc::new(TimestampMicrosecondArray::from(values).with_timezone_opt(zone)),
            arrow_schema::TimeUnit::Nanosecond => Arc::new(TimestampNanosecondArray::from(values).with_timezone_opt(zone)),
        }
    }

    fn per_second(unit: arrow_schema::TimeUnit) -> i64 {
        match unit {
            arrow_schema::TimeUnit::Second => 1,
            arrow_schema::TimeUnit::Millisecond => 1_000,
            arrow_schema::TimeUnit::Microsecond => 1_000_000,
            arrow_schema::TimeUnit::Nanosecond => 1_000_000_000,
        }
    }

    fn any_unit() -> impl proptest::strategy::Strategy<Value = arrow_schema::TimeUnit> {
        proptest::sample::select(vec![
            arrow_schema::TimeUnit::Second,
            arrow_schema::TimeUnit::Millisecond,
            arrow_schema::TimeUnit::Microsecond,
            arrow_schema::TimeUnit::Nanosecond,
        ])
    }

    proptest::proptest! {
        /// The span check in the column's unit against each row read as seconds: rows near two
        /// span starts, near 1970, and near the first and last times the crate reads.
        #[test]
        fn times_are_found_in_one_span_exactly_when_each_rows_seconds_are(
            unit in any_unit(),
            aware in proptest::bool::ANY,
            around_s in proptest::sample::select(vec![1_767_196_800i64, 0, -62_135_596_800, 253_402_300_799]),
            offsets_s in proptest::collection::vec(proptest::prop_oneof![
                -100_000i64..100_000,
                // A span's ends, in Unix seconds and in China time.
                proptest::sample::select(vec![-1i64, 0, 86_399, 86_400, -28_801, -28_800, 57_599, 57_600]),
            ], 1..12),
            fractions in proptest::collection::vec(proptest::prop_oneof![proptest::strategy::Just(0u64), proptest::strategy::Just(u64::MAX), 0u64..u64::MAX], 12),
        ) {
            let per_second = per_second(unit);
            let values: Option<Vec<Option<i64>>> = offsets_s
                .iter()
                .zip(&fractions)
                .map(|(offset_s, fraction)| (around_s + offset_s).checked_mul(per_second)?.checked_add(match fraction {
                    &u64::MAX => per_second - 1, // the last instant of the second
                    fraction => (fraction % per_second as u64) as i64,
                }).map(Some))
                .collect();
            let Some(values) = values else { return Ok(()) }; // beyond the unit's range
            // Spans starting at `around_s` and a day after it (a span's bounds in Unix seconds;
            // naive rows are China time, eight hours ahead).
            let starts_s = [around_s, around_s + 86_400];
            let batch = RecordBatch::try_from_iter([("time", timestamps(values, unit, aware))]).unwrap();
            let times = BatchColumns::new(TRADES, &batch, 0).time("time").unwrap();
            let seconds = times.unix_seconds_all().unwrap();
            let expected = fee_span_s(&starts_s, seconds[0])
                .filter(|(low_s, high_s)| seconds.iter().all(|s| (*low_s..*high_s).contains(s)))
                .map(|_| seconds[0]);
            proptest::prop_assert_eq!(times.first_if_all_in_span(|time_s| fee_span_s(&starts_s, time_s)), expected, "{:?}", seconds);
        }
    }

    /// A schedule with what no preset has in a lane without a surcharge: fixed fees, floors,
    /// and a cap with a floor, rounded half to even.
    const FIXED_AND_FLOOR: &str = r#"
name = "fixed-and-floor"
[rounding]
mode = "half_even"
scale = 2
[[versions]]
effective_from = "2016-09-06"
[[versions.rules]]
id = "credit"
channels = ["credit"]
rate = "0.61%"
fixed = "0.10"
floor = "0.50"
[[versions.rules]]
id = "debit"
channels = ["debit"]
rate = "0.5%"
floor = "1"
cap = "18"
[[versions.rules]]
id = "qr"
channels = ["wechat", "alipay"]
rate = "0.385%"
fixed = "0.01"
"#;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn the_fees_alone_of_decimal_and_timestamp_tables_are_the_quotes_with_their_errors(
            preset in proptest::sample::select(vec!["sft-traditional", "sft-esign", "sft-smart", "standard", "standard-d0", FIXED_AND_FLOOR]),
            rows in 1usize..3 * CHUNK_ROWS,
            seed in proptest::num::u64::ANY,
            scale in 0u32..=3,
            unit in any_unit(),
            aware in proptest::bool::ANY,
            odd_per_mille in proptest::sample::select(vec![0u64, 0, 0, 1, 20]),
            all_channels in proptest::bool::ANY,
        ) {
            let schedule = if preset == FIXED_AND_FLOOR { Schedule::from_toml(FIXED_AND_FLOOR).unwrap() } else { Schedule::preset(preset).unwrap() };
            // All channels, some of which a preset does not price, or the four the usual
            // tables hold (and 微信支付, another spelling of WeChat).
            let channels: &[&str] = if all_channels {
                &["credit", "debit", "wechat", "alipay", "微信支付", "unionpay_qr", "quickpass", "京东白条"]
            } else {
                &["credit", "debit", "wechat", "alipay", "微信支付"]
            };
            let batches = [arrow_trades(rows, seed, scale, unit, aware, odd_per_mille, channels)];
            // The full quotes' fees and errors against the fees alone (two ways through the
            // schedule: by plan a row, and by one lane a channel), row by row.
            let report = TableOptions { on_invalid: OnInvalid::Report, ..TableOptions::default() };
            let quoted = quote_batches(&schedule, &batches, &TradeDefaults::default(), &report, Calendar::china()).unwrap();
            let fees = fee_batches(&schedule, &batches, &TradeDefaults::default(), OnInvalid::Report).unwrap();
            let column = |batches: &[RecordBatch], k: usize| -> Vec<Option<i128>> {
                batches.iter().flat_map(|b| b.column(k).as_primitive::<arrow_array::types::Decimal128Type>().iter().collect::<Vec<_>>()).collect()
            };
            let errors = |batches: &[RecordBatch], k: usize| -> Vec<Option<String>> {
                batches.iter().flat_map(|b| b.column(k).as_string::<i32>().iter().map(|e| e.map(str::to_string)).collect::<Vec<_>>()).collect()
            };
            let (fee, quote_fee) = (column(&fees, 0), column(&quoted, 0));
            let (error, quote_error) = (errors(&fees, 1), errors(&quoted, QUOTED_COLUMNS.len() - 1));
            proptest::prop_assert_eq!((fee.len(), error.len()), (rows, rows));
            for row in 0..rows {
                proptest::prop_assert_eq!(fee[row], quote_fee[row], "fee of row {}", row);
                proptest::prop_assert_eq!(&error[row], &quote_error[row], "error of row {}", row);
                // Checked on its own too (both ways share how a piece's errors become its
                // column): a fee is null exactly when its row has an error, which names it.
                proptest::prop_assert_eq!(fee[row].is_none(), error[row].is_some(), "row {}: fee {:?}, error {:?}", row, fee[row], &error[row]);
                if let Some(error) = &error[row] {
                    proptest::prop_assert!(error.contains(&format!(": row {row}: ")), "row {}: {}", row, error);
                }
            }
        }
    }
}

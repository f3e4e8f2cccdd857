//! Arrow record batches as ledgers and statements, and ledgers, statements and reports as
//! record batches (feature `arrow`, on in the Python package and the command line, off in the
//! WebAssembly build).
//!
//! The columns are the canonical ones ([`LEDGER_COLUMNS`](super::LEDGER_COLUMNS),
//! [`STATEMENT_COLUMNS`](super::STATEMENT_COLUMNS)), read with the rules of the CSV readers:
//! the same kind words (消费 / 撤销 / 退货), the same default response code (`00`), the same
//! net rule when a statement has no `net`, China time for naive times, exact money.
//!
//! - Text: any string type (or a dictionary of strings); a null reads as empty.
//! - Money: decimal (exact; more than five places is an error), text (`"12.34"`), or
//!   integers of yuan; floats are refused ([`ArrowReadError::FloatMoney`]).
//! - Times: timestamps (aware: the instant; naive: China wall-clock time), dates (midnight
//!   China time) or text; settlement dates: dates, timestamps or text.
//!
//! A column of a type that cannot hold its values fails the whole read
//! ([`ArrowReadError::ColumnType`]); so does a missing required column. A bad value in a row
//! is the error of that row (its line is the 1-based row number across all batches, its
//! field the column) or, with [`OnInvalid::Report`], a [`ReadIssue`](super::ReadIssue) whose
//! raw text is `row N`, as the CSV readers keep a line they cannot read.
//!
//! Whole columns are converted at once (text shared with Arrow's buffers, not copied, or, for
//! the columns of few distinct values, each distinct value held once); input that path cannot
//! take whole goes row by row, with the same outcome.

mod columns;
mod key_slots;
mod output;
mod rows;
#[cfg(test)]
mod tests;
mod trades;
mod values;
mod words;

use std::fmt;

use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::SchemaRef;

pub use crate::trade_columns::{TradeColumns, TradeDefaults};
pub use trades::{compare_batches, fee_batches, fee_schema, quote_batches, quoted_batch, quoted_schema, TRADE_TABLE_COLUMNS};

use super::{Ledger, MarginRow, Report, Statement};
use crate::error::{Error, ErrorKind};
use crate::lang::Lang;
use crate::quote_table::OnInvalid;

/// Why an Arrow table could not be read.
///
/// Every case holds the core [`Error`] (with the column as its field); a surface that tells
/// a wrong schema apart (Python: `TypeError`, `FloatAmountError`) matches on the case, others
/// take the error (`From<ArrowReadError> for Error`).
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
/// use posfee::reconcile::arrow::{statement_from_arrow, ArrowReadError, ArrowReadOptions};
/// let text = |value: &str| Arc::new(StringArray::from(vec![value])) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("settlement_date", text("2026-05-07")),
///     ("time", text("2026-05-06 10:00:00")),
///     ("amount", text("100.00")),
///     ("fee", Arc::new(Float64Array::from(vec![0.6])) as ArrayRef),
///     ("channel", text("credit")),
/// ]).unwrap();
/// let failure = statement_from_arrow("s", &[batch], ArrowReadOptions::default()).unwrap_err();
/// assert!(matches!(failure, ArrowReadError::FloatMoney(_)));
/// let error = posfee::Error::from(failure);
/// assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_amount", Some("fee")));
/// ```
#[derive(Debug, Clone)]
pub enum ArrowReadError {
    /// A column's type cannot hold its values (ids as integers, a date as a number, ...).
    ColumnType(Error),
    /// A money column of floating point numbers: money is never a float in posfee.
    FloatMoney(Error),
    /// A missing column, a column named twice, a string column whose text is not UTF-8 (an
    /// array that breaks Arrow's format, whatever `on_invalid` says), or a row's bad value
    /// (with `Raise`).
    Invalid(Error),
    /// The stream itself failed: a batch could not be read ([`collect_batches`]).
    Stream(Error),
}

impl ArrowReadError {
    /// The core error of any case.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::arrow::ArrowReadError;
    /// let failure = ArrowReadError::Invalid(posfee::Money::parse_amount("x").unwrap_err());
    /// assert_eq!(failure.error().code(), "invalid_amount");
    /// ```
    pub fn error(&self) -> &Error {
        match self {
            ArrowReadError::ColumnType(error)
            | ArrowReadError::FloatMoney(error)
            | ArrowReadError::Invalid(error)
            | ArrowReadError::Stream(error) => error,
        }
    }
}

impl fmt::Display for ArrowReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error().fmt(f)
    }
}

impl std::error::Error for ArrowReadError {}

impl From<Error> for ArrowReadError {
    fn from(error: Error) -> ArrowReadError {
        ArrowReadError::Invalid(error)
    }
}

impl From<ArrowReadError> for Error {
    fn from(failure: ArrowReadError) -> Error {
        match failure {
            ArrowReadError::ColumnType(error)
            | ArrowReadError::FloatMoney(error)
            | ArrowReadError::Invalid(error)
            | ArrowReadError::Stream(error) => error,
        }
    }
}

/// Every batch of an Arrow stream (a Parquet or IPC file's reader, a Python object's
/// C stream), `progress` told the rows read so far after each batch. A stream without
/// batches gives one empty batch of its schema, so that its columns are still checked.
///
/// # Errors
/// [`ArrowReadError::Stream`] ([`ErrorKind::InvalidRecord`]) when a batch cannot be read:
/// "cannot read `what`: " and the stream's error.
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use arrow_array::{RecordBatch, RecordBatchIterator, StringArray};
/// use arrow_schema::{ArrowError, DataType, Field, Schema};
/// use posfee::reconcile::arrow::{collect_batches, ArrowReadError};
/// let schema = Arc::new(Schema::new(vec![Field::new("amount", DataType::Utf8, false)]));
/// let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(vec!["1.00", "2.00"]))])?;
/// let mut seen = Vec::new();
/// let stream = RecordBatchIterator::new([Ok(batch.clone()), Ok(batch)], schema.clone());
/// let batches = collect_batches(stream, "the trades", |rows| seen.push(rows))?;
/// assert_eq!((batches.len(), seen), (2, vec![2, 4]));
/// let empty = collect_batches(RecordBatchIterator::new([], schema.clone()), "the trades", |_| {})?;
/// assert_eq!((empty.len(), empty[0].num_rows(), empty[0].num_columns()), (1, 0, 1));
/// let failing = RecordBatchIterator::new([Err(ArrowError::ComputeError("lost".into()))], schema);
/// let error = collect_batches(failing, "the trades", |_| {}).unwrap_err();
/// assert!(matches!(error, ArrowReadError::Stream(_)) && error.to_string().starts_with("cannot read the trades: "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn collect_batches(
    reader: impl RecordBatchReader,
    what: &str,
    mut progress: impl FnMut(u64),
) -> Result<Vec<RecordBatch>, ArrowReadError> {
    let schema = reader.schema();
    let mut batches = Vec::new();
    let mut rows = 0u64;
    for batch in reader {
        let batch = batch.map_err(|e| ArrowReadError::Stream(Error::new(ErrorKind::InvalidRecord, format!("cannot read {what}: {e}"))))?;
        rows += batch.num_rows() as u64;
        batches.push(batch);
        progress(rows);
    }
    if batches.is_empty() {
        batches.push(RecordBatch::new_empty(schema));
    }
    Ok(batches)
}

/// How Arrow input is read: what becomes of a row that cannot be read, and whether to go row
/// by row even where whole columns would do (slower, same outcome: for tests).
///
/// # Example
/// ```
/// use posfee::OnInvalid;
/// use posfee::reconcile::arrow::ArrowReadOptions;
/// let options = ArrowReadOptions::default().on_invalid(OnInvalid::Report);
/// assert_eq!((options.on_invalid, options.by_rows), (OnInvalid::Report, false));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArrowReadOptions {
    /// A bad row stops the read with its error (`Raise`, the default) or is kept as an issue.
    pub on_invalid: OnInvalid,
    /// Row by row even where whole columns would do.
    pub by_rows: bool,
}

impl ArrowReadOptions {
    /// With `on_invalid`.
    ///
    /// # Example
    /// ```
    /// let options = posfee::reconcile::arrow::ArrowReadOptions::default().on_invalid(posfee::OnInvalid::Raise);
    /// assert_eq!(options.on_invalid, posfee::OnInvalid::Raise);
    /// ```
    pub fn on_invalid(mut self, on_invalid: OnInvalid) -> ArrowReadOptions {
        self.on_invalid = on_invalid;
        self
    }

    /// Row by row (`true`) or column at a time where possible.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::arrow::ArrowReadOptions::default().by_rows(true).by_rows);
    /// ```
    pub fn by_rows(mut self, by_rows: bool) -> ArrowReadOptions {
        self.by_rows = by_rows;
        self
    }
}

/// At least one batch: an empty input is an empty batch, which still carries the schema.
fn some_batches(side: &str, batches: &[RecordBatch]) -> Result<(), ArrowReadError> {
    if batches.is_empty() {
        let message = format!("the {side} has no record batch (an empty table is one empty batch with its schema)");
        return Err(ArrowReadError::Invalid(Error::new(ErrorKind::InvalidRequest, message)));
    }
    Ok(())
}

/// A ledger (named `name`, as a file is) from record batches of the canonical ledger columns.
///
/// # Errors
/// [`ArrowReadError`]: a missing required column, a column named twice or of the wrong type,
/// no batch at all; with [`OnInvalid::Raise`], the first bad row's error (its line the
/// 1-based row, its field the column).
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// use posfee::OnInvalid;
/// use posfee::reconcile::arrow::{ledger_from_arrow, ArrowReadOptions};
/// let text = |values: &[&str]| Arc::new(StringArray::from(values.to_vec())) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("trade_id", text(&["A1", "A2"])),
///     ("time", text(&["2026-05-06 10:00:00", "2026-05-06 10:05:00"])),
///     ("amount", text(&["100.00", "12.345"])),
///     ("channel", text(&["credit", "debit"])),
///     ("kind", text(&["消费", "purchase"])),
/// ]).unwrap();
/// let ledger = ledger_from_arrow("ledger", &[batch], ArrowReadOptions::default().on_invalid(OnInvalid::Report))?;
/// assert_eq!(ledger.len(), 1);
/// assert_eq!(ledger.record(0).response_code, "00"); // approved unless stated
/// let issue = &ledger.issues()[0]; // 12.345 is not whole fen
/// assert_eq!((issue.error.location().line, issue.error.location().field.as_deref()), (Some(2), Some("amount")));
/// # Ok::<(), posfee::reconcile::arrow::ArrowReadError>(())
/// ```
pub fn ledger_from_arrow(name: &str, batches: &[RecordBatch], options: ArrowReadOptions) -> Result<Ledger, ArrowReadError> {
    some_batches("ledger", batches)?;
    columns::ledger(name, batches, options)
}

/// A statement from record batches of the canonical statement columns; without a `net`
/// column each row's net is `amount − fee` (a purchase) or `−amount − fee`.
///
/// # Errors
/// As [`ledger_from_arrow`].
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// use posfee::reconcile::arrow::{statement_from_arrow, ArrowReadOptions};
/// let text = |values: &[&str]| Arc::new(StringArray::from(values.to_vec())) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("settlement_date", text(&["20260507"])),
///     ("time", text(&["2026-05-06 10:00:00"])),
///     ("amount", text(&["100.00"])),
///     ("fee", text(&["0.60"])),
///     ("channel", text(&["贷记卡"])),
///     ("kind", text(&["退货"])),
/// ]).unwrap();
/// let statement = statement_from_arrow("statement", &[batch], ArrowReadOptions::default())?;
/// assert_eq!(statement.record(0).net.to_string(), "-100.60");
/// # Ok::<(), posfee::reconcile::arrow::ArrowReadError>(())
/// ```
pub fn statement_from_arrow(name: &str, batches: &[RecordBatch], options: ArrowReadOptions) -> Result<Statement, ArrowReadError> {
    some_batches("statement", batches)?;
    columns::statement(name, batches, options)
}

/// The Arrow schema of a ledger as posfee writes it: the [`LEDGER_COLUMNS`](super::LEDGER_COLUMNS)
/// in order, text `utf8`, times second timestamps at `+08:00`, amounts `decimal128(18, 2)`.
///
/// # Example
/// ```
/// use arrow_schema::DataType;
/// let schema = posfee::reconcile::arrow::ledger_schema();
/// assert_eq!(schema.field_with_name("amount").unwrap().data_type(), &DataType::Decimal128(18, 2));
/// assert_eq!(schema.fields().len(), posfee::reconcile::LEDGER_COLUMNS.len());
/// ```
pub fn ledger_schema() -> SchemaRef {
    output::schema(&super::LEDGER_COLUMNS, false)
}

/// The Arrow schema of a statement as posfee writes it: the
/// [`STATEMENT_COLUMNS`](super::STATEMENT_COLUMNS) in order (settlement dates `date32`, fees and
/// nets `decimal128(20, 5)`), then `line` (`uint64`, each row's line in its file).
///
/// # Example
/// ```
/// use arrow_schema::DataType;
/// let schema = posfee::reconcile::arrow::statement_schema();
/// assert_eq!(schema.field_with_name("fee").unwrap().data_type(), &DataType::Decimal128(20, 5));
/// assert_eq!(schema.field(12).name(), "line");
/// ```
pub fn statement_schema() -> SchemaRef {
    output::schema(&super::STATEMENT_COLUMNS, true)
}

/// A ledger as one record batch of the canonical ledger columns (amounts `decimal128(18, 2)`,
/// times second timestamps at `+08:00`: [`ledger_schema`]); [`ledger_from_arrow`] reads it
/// back equal.
///
/// # Example
/// ```
/// use posfee::reconcile::arrow::{ledger_from_arrow, ledger_to_arrow, ArrowReadOptions};
/// use posfee::reconcile::simulation::{generate, SimulationOptions};
/// let sample = generate(&SimulationOptions::new(1).trades(50))?;
/// let batch = ledger_to_arrow(&sample.ledger);
/// assert_eq!(batch.schema().field(0).name(), "trade_id");
/// let back = ledger_from_arrow("ledger", &[batch], ArrowReadOptions::default())?;
/// assert_eq!(back.amounts_fen(), sample.ledger.amounts_fen());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn ledger_to_arrow(ledger: &Ledger) -> RecordBatch {
    output::ledger_batch(ledger)
}

/// A statement as one record batch of [`statement_schema`]: the canonical statement columns
/// (fees and nets `decimal128(20, 5)`, settlement dates `date32`) and `line`, each row's line
/// in its file.
///
/// # Example
/// ```
/// use posfee::reconcile::arrow::statement_to_arrow;
/// use posfee::reconcile::simulation::{generate, SimulationOptions};
/// let sample = generate(&SimulationOptions::new(1).trades(50))?;
/// let batch = statement_to_arrow(&sample.statement);
/// assert_eq!(batch.num_rows(), sample.statement.len());
/// assert_eq!(batch.schema().field(12).name(), "line");
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn statement_to_arrow(statement: &Statement) -> RecordBatch {
    output::statement_batch(statement)
}

/// The rows of a [`MarginReport`](super::MarginReport) (one per trade and level of the agent
/// tree) as one record batch, in the order and with the names of the fields of
/// [`MarginRow`]: `trade` `uint64`, `date` `date32`, `level` `uint32`, the amount
/// `decimal128(18, 2)`, the merchant's fee, cost and margin `decimal128(20, 5)` (exact, as the
/// report's fees), the merchant number, channel and agent dictionary-encoded.
///
/// # Example
/// ```
/// use posfee::reconcile::{margins, AgentTree, Registry, Ledger, LedgerRecord};
/// use posfee::reconcile::arrow::margins_to_arrow;
/// use posfee::{Channel, Money, parse_china_time};
/// let registry = Registry::from_csv("merchant_no,schedule,agent,terminals\n102310058120001,sft-traditional,city,T1\n", "m.csv", posfee::Schedule::preset)?;
/// let agents = AgentTree::from_csv("agent,parent,cost_schedule\nprovince,,standard\ncity,province,sft-smart\n", "a.csv", posfee::Schedule::preset)?;
/// let mut ledger = Ledger::new("trades");
/// let mut trade = LedgerRecord::new("A1", parse_china_time("2026-03-02 10:00")?, Money::from_yuan(1000), Channel::Debit);
/// trade.terminal = "T1".into();
/// ledger.push(trade)?;
/// let report = margins(&ledger, &registry, &agents, posfee::Calendar::china())?;
/// let batch = margins_to_arrow(&report.rows);
/// assert_eq!(batch.num_rows(), 2);
/// assert_eq!(batch.schema().field(9).name(), "cost");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn margins_to_arrow(rows: &[MarginRow]) -> RecordBatch {
    output::margins_batch(rows)
}

/// A report's rows as record batches (parts built in parallel) with the columns of
/// [`REPORT_CSV_COLUMNS`](super::REPORT_CSV_COLUMNS), the reasons in `lang`: money as
/// `decimal128` (amount scale 2, fees scale 5), the few-valued texts dictionary-encoded (side,
/// class and matched_by with `int8` keys; terminal, findings, reason, merchant_no and agent
/// with `int32` keys), the trade id and reference as strings; the input row's keys (trade id,
/// reference, terminal) null where the row has none.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, REPORT_CSV_COLUMNS, simulation::{generate, SimulationOptions}};
/// use posfee::reconcile::arrow::report_to_arrow;
/// let sample = generate(&SimulationOptions::new(7).trades(200))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// let batches = report_to_arrow(&report, &sample.ledger, &sample.statement, posfee::Lang::En);
/// let names: Vec<String> = batches[0].schema().fields().iter().map(|f| f.name().clone()).collect();
/// assert_eq!(names, REPORT_CSV_COLUMNS);
/// assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), report.len());
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn report_to_arrow(report: &Report, ledger: &Ledger, statement: &Statement, lang: Lang) -> Vec<RecordBatch> {
    output::report_batches(report, ledger, statement, lang)
}

//! Arrow record batch → core `Ledger` / `Statement`, a column at a time (the fast path).
//!
//! Each Arrow column becomes a core column in one pass: text is shared with Arrow's buffers
//! (no copy, see `posfee::reconcile::SharedText`), numbers are converted in tight loops, and
//! the core's `from_columns` checks every row as `push_row` would. A batch this path cannot
//! take whole (a null where a value is required, a value that does not convert, a row the
//! core rejects) goes through the row path instead (`tables::push_*_batch`), which gives each
//! bad row its error or its issue: the outcome is the same either way, only slower.

use std::sync::Arc;

use arrow_array::{Array, RecordBatch, StringArray};
use arrow_buffer::{OffsetBuffer, ScalarBuffer};

use posfee::reconcile::{Ledger, LedgerColumns, SharedText, Statement, StatementColumns, TextColumn};
use posfee::{CardType, Channel, Money, TradeKind};

use crate::tables::{self, kind, money_column, net_without_column, push_ledger_batch, push_statement_batch, text, time_column};
use crate::tables::{Failure, MoneyColumn, OnInvalid, Text, TimeColumn, APPROVED};

/// The text of an Arrow string array, shared with a `TextColumn`.
struct ArrowText {
    /// The text as one value (so that it reads as `&str` without unsafe code; checked as
    /// UTF-8 once, when built).
    whole: StringArray,
    /// The array's offsets (never negative in an Arrow array, so read as `u32`).
    offsets: ScalarBuffer<u32>,
}

impl SharedText for ArrowText {
    fn parts(&self) -> (&str, &[u32]) {
        (self.whole.value(0), &self.offsets)
    }
}

/// A string array as a core column sharing its buffers; `None` when it cannot be shared
/// (a slice of a larger array, whose offsets do not start at 0).
fn shared(array: &StringArray) -> Option<TextColumn> {
    let offsets = array.offsets();
    if *offsets.first()? != 0 {
        return None;
    }
    let last = *offsets.last()?;
    let values = array.values().slice_with_length(0, usize::try_from(last).ok()?);
    let whole = StringArray::try_new(OffsetBuffer::new(ScalarBuffer::from(vec![0, last])), values, None).ok()?;
    let offsets = ScalarBuffer::<u32>::new(offsets.inner().inner().clone(), 0, offsets.len());
    TextColumn::shared(Arc::new(ArrowText { whole, offsets })).ok()
}

/// A text column of `rows` rows in which a null (or an absent column) reads as `null`;
/// `None` when `required` and there is a null.
fn text_column(column: &Text, rows: usize, null: &str, required: bool) -> Option<TextColumn> {
    let Text(Some(array)) = column else { return if required { None } else { TextColumn::filled(null, rows).ok() } };
    if array.null_count() > 0 && required {
        return None;
    }
    // A null slot of an Arrow array usually holds no text: it reads as "" as it is.
    let nulls_read_as_null =
        array.null_count() == 0 || (null.is_empty() && (0..rows).all(|row| array.is_valid(row) || array.value_length(row) == 0));
    if nulls_read_as_null {
        if let Some(column) = shared(array) {
            return Some(column);
        }
    }
    let mut column = TextColumn::default();
    (0..rows).try_for_each(|row| column.push(if array.is_null(row) { null } else { array.value(row) })).ok()?;
    Some(column)
}

/// The values of a column of few distinct values (channels, kinds), each distinct text parsed
/// once; `None` when one does not parse.
fn parsed<T: Copy>(column: &Text, rows: usize, absent: T, parse: impl Fn(Option<&str>) -> Option<T>) -> Option<Vec<T>> {
    /// Distinct values remembered; beyond them, values are parsed row by row.
    const SEEN: usize = 16;
    let Text(Some(array)) = column else { return Some(vec![absent; rows]) };
    let (offsets, bytes) = (array.value_offsets(), array.value_data());
    let mut seen: Vec<(u128, T)> = Vec::with_capacity(SEEN);
    let mut values = Vec::with_capacity(rows);
    for row in 0..rows {
        let key = if array.is_valid(row) { short_key(&bytes[offsets[row] as usize..offsets[row + 1] as usize]) } else { Some(NULL_KEY) };
        let value = match key.and_then(|key| seen.iter().find(|(known, _)| *known == key)) {
            Some(&(_, value)) => value,
            None => {
                let value = parse(array.is_valid(row).then(|| array.value(row)))?;
                if let Some(key) = key.filter(|_| seen.len() < SEEN) {
                    seen.push((key, value));
                }
                value
            }
        };
        values.push(value);
    }
    Some(values)
}

/// The key of a null in [`parsed`]: no text has it.
const NULL_KEY: u128 = u128::MAX;

/// A text of at most 15 bytes as a number (its length in the top byte): equal numbers, equal
/// texts. Comparing these is much cheaper than comparing texts row by row.
#[inline]
fn short_key(text: &[u8]) -> Option<u128> {
    (text.len() <= 15).then(|| text.iter().fold(text.len() as u128, |key, &byte| key << 8 | u128::from(byte)))
}

/// Trade times as Unix seconds; `None` at a null or a value that does not read.
fn seconds(time: &TimeColumn, rows: usize) -> Option<Vec<i64>> {
    (0..rows).map(|row| time.unix_seconds(row)).collect()
}

/// Money values of a column; `None` at a null or a value that does not convert. Trade amounts
/// (`amount`) are checked further by `fen` and the core.
fn money(column: &MoneyColumn, rows: usize, amount: bool) -> Option<Vec<Money>> {
    match column {
        // The usual case, decimals of at most 5 places without nulls, in one pass.
        MoneyColumn::Decimal(array, scale) if *scale <= 5 && array.null_count() == 0 => {
            let unit = 10i128.pow(5 - scale);
            array.values().iter().map(|value| Money::from_millifen(i64::try_from(value.checked_mul(unit)?).ok()?).ok()).collect()
        }
        _ => (0..rows).map(|row| column.get(row, amount).ok().flatten()).collect(),
    }
}

fn fen(amounts: Vec<Money>) -> Option<Vec<i64>> {
    amounts.into_iter().map(|amount| amount.fen()).collect()
}

/// How a batch is read: what becomes of a bad row, and whether to go row by row even when
/// the column path would do (the tests compare the two paths).
#[derive(Clone, Copy)]
pub struct Reading {
    pub on_invalid: OnInvalid,
    pub by_rows: bool,
}

/// The ledger of a whole batch: column at a time, or else row by row (see the module docs).
pub fn ledger(name: &str, batch: &RecordBatch, reading: Reading) -> Result<Ledger, Failure> {
    const SIDE: &str = "ledger";
    let index = tables::column_index(batch);
    let rows = batch.num_rows();
    // The schema checks of the row path, and its columns.
    let time = time_column(SIDE, batch, &index, "time")?;
    let amount = money_column(SIDE, batch, &index, "amount", true)?;
    let [trade_id, channel, rrn, trace, terminal, merchant_no, card_type, kind_column, response_code, original_rrn] = [
        ("trade_id", true),
        ("channel", true),
        ("rrn", false),
        ("trace", false),
        ("terminal", false),
        ("merchant_no", false),
        ("card_type", false),
        ("kind", false),
        ("response_code", false),
        ("original_rrn", false),
    ]
    .map(|(column, required)| text(SIDE, batch, &index, column, required));
    let [trade_id, channel, rrn, trace, terminal, merchant_no, card_type, kind_column, response_code, original_rrn] =
        [trade_id?, channel?, rrn?, trace?, terminal?, merchant_no?, card_type?, kind_column?, response_code?, original_rrn?];
    let columns = || -> Option<LedgerColumns> {
        Some(LedgerColumns {
            trade_id: text_column(&trade_id, rows, "", true)?,
            rrn: text_column(&rrn, rows, "", false)?,
            trace: text_column(&trace, rows, "", false)?,
            terminal: text_column(&terminal, rows, "", false)?,
            merchant_no: text_column(&merchant_no, rows, "", false)?,
            time_s: seconds(&time, rows)?,
            amount_fen: fen(money(&amount, rows, true)?)?,
            channel: parsed(&channel, rows, Channel::Credit, |text| Channel::parse(text?).ok())?,
            card_type: parsed(&card_type, rows, None, |text| match text.filter(|c| !c.trim().is_empty()) {
                Some(card) => CardType::parse(card).ok().map(Some),
                None => Some(None),
            })?,
            kind: parsed(&kind_column, rows, TradeKind::Purchase, |text| kind(text).ok())?,
            response_code: text_column(&response_code, rows, APPROVED, false)?,
            original_rrn: text_column(&original_rrn, rows, "", false)?,
            first_line: 1,
        })
    };
    if let Some(ledger) = columns().filter(|_| !reading.by_rows).and_then(|columns| Ledger::from_columns(name, columns).ok()) {
        return Ok(ledger);
    }
    let mut ledger = Ledger::new(name);
    push_ledger_batch(&mut ledger, batch, 0, reading.on_invalid)?;
    Ok(ledger)
}

/// The statement of a whole batch: column at a time, or else row by row.
pub fn statement(name: &str, batch: &RecordBatch, reading: Reading) -> Result<Statement, Failure> {
    const SIDE: &str = "statement";
    let index = tables::column_index(batch);
    let rows = batch.num_rows();
    let settlement_date = time_column(SIDE, batch, &index, "settlement_date")?;
    let time = time_column(SIDE, batch, &index, "time")?;
    let amount = money_column(SIDE, batch, &index, "amount", true)?;
    let fee = money_column(SIDE, batch, &index, "fee", true)?;
    let net = money_column(SIDE, batch, &index, "net", false)?;
    let [channel, merchant_no, merchant_name, terminal, rrn, kind_column] =
        [("channel", true), ("merchant_no", false), ("merchant_name", false), ("terminal", false), ("rrn", false), ("kind", false)]
            .map(|(column, required)| text(SIDE, batch, &index, column, required));
    let [channel, merchant_no, merchant_name, terminal, rrn, kind_column] =
        [channel?, merchant_no?, merchant_name?, terminal?, rrn?, kind_column?];
    let columns = || -> Option<StatementColumns> {
        let amounts = money(&amount, rows, true)?;
        let fees = money(&fee, rows, false)?;
        let nets = match net {
            MoneyColumn::Absent => amounts.iter().zip(&fees).map(|(&amount, &fee)| net_without_column(amount, fee)).collect(),
            _ => money(&net, rows, false)?,
        };
        Some(StatementColumns {
            settlement_date: (0..rows).map(|row| settlement_date.date(row).ok().flatten()).collect::<Option<_>>()?,
            merchant_no: text_column(&merchant_no, rows, "", false)?,
            merchant_name: text_column(&merchant_name, rows, "", false)?,
            terminal: text_column(&terminal, rows, "", false)?,
            rrn: text_column(&rrn, rows, "", false)?,
            time_s: seconds(&time, rows)?,
            amount_fen: fen(amounts)?,
            fee: fees,
            net: nets,
            channel: parsed(&channel, rows, Channel::Credit, |text| Channel::parse(text?).ok())?,
            kind: parsed(&kind_column, rows, TradeKind::Purchase, |text| kind(text).ok())?,
            first_line: 1,
        })
    };
    if let Some(statement) = columns().filter(|_| !reading.by_rows).and_then(|columns| Statement::from_columns(name, columns).ok()) {
        return Ok(statement);
    }
    let mut statement = Statement::new(name);
    push_statement_batch(&mut statement, batch, 0, reading.on_invalid)?;
    Ok(statement)
}

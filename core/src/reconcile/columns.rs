//! Whole tables given column by column ([`LedgerColumns`], [`StatementColumns`]): the path of
//! column stores such as Arrow (the Python binding's), which hold each column in one piece.
//! [`Ledger::from_columns`] and [`Statement::from_columns`] check every row as `push_row`
//! does and store what it would store, column at a time.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use rayon::prelude::*;

use super::line_column::LineColumn;
use super::row_scan::first_row_where;
use super::schema::{check_original, check_signed, Ledger, LedgerRow, Statement, StatementRow, TIME_RANGE};
use super::text_column::TextColumn;
use crate::channel::{CardType, Channel};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::money::Money;
use crate::quote::TradeKind;
use crate::settlement::china_offset;

/// A ledger's rows, column by column (see [`Ledger::from_columns`]). Each column has one
/// value per row; the fields mean what they mean in
/// [`LedgerRecord`](crate::reconcile::LedgerRecord), with times in Unix seconds and amounts
/// in fen.
///
/// # Example
/// ```
/// use posfee::{Channel, TradeKind};
/// use posfee::reconcile::{Ledger, LedgerColumns, TextColumn};
/// let text = |values: &[&str]| -> posfee::Result<TextColumn> {
///     let mut column = TextColumn::default();
///     values.iter().try_for_each(|value| column.push(value))?;
///     Ok(column)
/// };
/// let columns = LedgerColumns {
///     trade_id: text(&["A1", "A2"])?,
///     rrn: text(&["612610000001", "612610000002"])?,
///     trace: TextColumn::filled("", 2)?,
///     terminal: TextColumn::filled("T0000001", 2)?,
///     merchant_no: TextColumn::filled("", 2)?,
///     time_s: vec![1_778_032_800, 1_778_036_400],
///     amount_fen: vec![10_000, 10_000],
///     channel: vec![Channel::Credit; 2],
///     card_type: vec![None; 2],
///     kind: vec![TradeKind::Purchase, TradeKind::Void],
///     response_code: TextColumn::filled("00", 2)?,
///     original_rrn: text(&["", "612610000001"])?,
///     first_line: 1,
/// };
/// let ledger = Ledger::from_columns("ledger", columns)?;
/// assert_eq!(ledger.record(1).original_rrn, "612610000001");
/// assert_eq!(ledger.record(1).line, 2);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct LedgerColumns {
    /// The merchant's own ids of the trades.
    pub trade_id: TextColumn,
    /// Reference numbers (may be empty).
    pub rrn: TextColumn,
    /// Trace numbers.
    pub trace: TextColumn,
    /// Terminal ids.
    pub terminal: TextColumn,
    /// Merchant numbers the terminals printed.
    pub merchant_no: TextColumn,
    /// Trade times, Unix seconds.
    pub time_s: Vec<i64>,
    /// Trade amounts, fen.
    pub amount_fen: Vec<i64>,
    /// Channels.
    pub channel: Vec<Channel>,
    /// Card types, when known.
    pub card_type: Vec<Option<CardType>>,
    /// Purchase, void or refund.
    pub kind: Vec<TradeKind>,
    /// ISO 8583 response codes (`00`: approved).
    pub response_code: TextColumn,
    /// For voids and refunds, the purchase's reference number.
    pub original_rrn: TextColumn,
    /// The line number of the first row (1-based); row `i` gets `first_line + i`.
    pub first_line: u64,
}

/// A statement's rows, column by column (see [`Statement::from_columns`]); the fields mean
/// what they mean in [`StatementRecord`](crate::reconcile::StatementRecord), with times in
/// Unix seconds and trade amounts in fen.
///
/// # Example
/// ```
/// use posfee::{Channel, Money, TradeKind, parse_date};
/// use posfee::reconcile::{Statement, StatementColumns, TextColumn};
/// let columns = StatementColumns {
///     settlement_date: vec![parse_date("2026-05-07")?],
///     merchant_no: TextColumn::filled("102310058120001", 1)?,
///     merchant_name: TextColumn::filled(" 小店 ", 1)?,
///     terminal: TextColumn::filled("T0000001", 1)?,
///     batch: TextColumn::filled("000012", 1)?,
///     rrn: TextColumn::filled("612610000001", 1)?,
///     time_s: vec![1_778_032_800],
///     amount_fen: vec![10_000],
///     fee: vec![Money::from_fen(60)],
///     net: vec![Money::from_fen(9_940)],
///     channel: vec![Channel::Credit],
///     kind: vec![TradeKind::Purchase],
///     first_line: 2,
/// };
/// let statement = Statement::from_columns("statement.csv", columns)?;
/// assert_eq!(statement.record(0).merchant_name, "小店"); // trimmed, as by push_row
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct StatementColumns {
    /// Settlement dates (清算日期).
    pub settlement_date: Vec<NaiveDate>,
    /// Merchant numbers.
    pub merchant_no: TextColumn,
    /// Merchant names.
    pub merchant_name: TextColumn,
    /// Terminal ids.
    pub terminal: TextColumn,
    /// Batch numbers (批次号; a value may be empty). An empty column (no values at all) stands
    /// for a statement without batch numbers.
    pub batch: TextColumn,
    /// Reference numbers.
    pub rrn: TextColumn,
    /// Trade times, Unix seconds.
    pub time_s: Vec<i64>,
    /// Trade amounts, fen.
    pub amount_fen: Vec<i64>,
    /// Fees charged.
    pub fee: Vec<Money>,
    /// Signed effects on the merchant's account.
    pub net: Vec<Money>,
    /// Channels.
    pub channel: Vec<Channel>,
    /// Purchase, void or refund.
    pub kind: Vec<TradeKind>,
    /// The line number of the first row (1-based).
    pub first_line: u64,
}

/// Checks that every column has `rows` values.
fn check_lengths(name: &str, rows: usize, lengths: &[(&str, usize)]) -> Result<()> {
    match lengths.iter().find(|(_, len)| *len != rows) {
        Some((column, len)) => Err(Error::new(
            ErrorKind::InvalidRequest,
            format!("column `{column}` has {len} values, `time_s` has {rows}: every column needs one value per row"),
        )
        .at(Location::default().file(name).field(*column))),
        None => Ok(()),
    }
}

/// Text columns trimmed as `push_row` trims (see [`TextColumn::trimmed`]), on all cores.
fn trimmed<const N: usize>(columns: [TextColumn; N]) -> [TextColumn; N] {
    let mut columns = columns.map(Some);
    columns.par_iter_mut().for_each(|column| *column = column.take().map(TextColumn::trimmed));
    columns.map(Option::unwrap_or_default)
}

/// Whether a row's time and trade amount pass `push_row`'s checks (`check_time`, `check_amount`).
#[inline]
fn time_and_amount_ok(seconds: i64, amount_fen: i64) -> bool {
    TIME_RANGE.contains(&seconds) && (0..=Money::MAX_AMOUNT.fen().unwrap_or(i64::MAX)).contains(&amount_fen)
}

/// The instant and the amount of a row, for replaying `push_row` on it.
fn instant_and_amount(seconds: i64, amount_fen: i64, at: Location) -> Result<(DateTime<FixedOffset>, Money)> {
    let instant = china_offset().timestamp_opt(seconds, 0).single().ok_or_else(|| {
        Error::new(ErrorKind::InvalidDate, format!("trade time {seconds} s after 1970 is outside 1970–2199")).at(at.clone().field("time"))
    })?;
    Ok((instant, Money::try_from_fen(amount_fen).map_err(|e| e.at(at.field("amount")))?))
}

impl Ledger {
    /// A ledger of whole columns: every row is checked as by [`Ledger::push_row`], and text
    /// is trimmed where `push_row` trims it. The columns are moved in, not copied (a text
    /// column is copied only when some value needs trimming).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when the columns differ in length; otherwise the first
    /// row's error that `push_row` would give (with the line `first_line + row`).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{Ledger, LedgerColumns};
    /// let columns = LedgerColumns { time_s: vec![0], ..LedgerColumns::default() };
    /// let error = Ledger::from_columns("ledger", columns).unwrap_err();
    /// assert_eq!(error.location().field.as_deref(), Some("trade_id"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_columns(name: impl Into<String>, columns: LedgerColumns) -> Result<Ledger> {
        let name = name.into();
        let rows = columns.time_s.len();
        check_lengths(
            &name,
            rows,
            &[
                ("trade_id", columns.trade_id.len()),
                ("rrn", columns.rrn.len()),
                ("trace", columns.trace.len()),
                ("terminal", columns.terminal.len()),
                ("merchant_no", columns.merchant_no.len()),
                ("amount_fen", columns.amount_fen.len()),
                ("channel", columns.channel.len()),
                ("card_type", columns.card_type.len()),
                ("kind", columns.kind.len()),
                ("response_code", columns.response_code.len()),
                ("original_rrn", columns.original_rrn.len()),
            ],
        )?;
        let bad = |row: usize| {
            !time_and_amount_ok(columns.time_s[row], columns.amount_fen[row])
                || (columns.kind[row] != TradeKind::Purchase
                    && check_original(columns.kind[row], "", columns.original_rrn.get(row)).is_err())
        };
        if let Some(row) = first_row_where(rows, bad) {
            return Err(columns.replay(&name, row));
        }
        let LedgerColumns { trade_id, rrn, trace, terminal, merchant_no, response_code, original_rrn, first_line, .. } = columns;
        let [rrn, terminal, merchant_no, response_code, original_rrn] = trimmed([rrn, terminal, merchant_no, response_code, original_rrn]);
        Ok(Ledger {
            trade_id,
            rrn,
            trace,
            terminal,
            merchant_no,
            time: columns.time_s,
            amount_fen: columns.amount_fen,
            channel: columns.channel,
            card_type: columns.card_type,
            kind: columns.kind,
            response_code,
            original_rrn,
            line: LineColumn::consecutive(first_line, rows),
            ..Ledger::new(name)
        })
    }
}

impl Statement {
    /// A statement of whole columns, checked and trimmed as by [`Statement::push_row`]; see
    /// [`Ledger::from_columns`].
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when the columns differ in length; otherwise the first
    /// row's error that `push_row` would give.
    ///
    /// # Example
    /// ```
    /// use posfee::Money;
    /// use posfee::reconcile::{Statement, StatementColumns};
    /// let columns = StatementColumns { time_s: vec![0], ..StatementColumns::default() };
    /// assert_eq!(Statement::from_columns("s", columns).unwrap_err().code(), "invalid_request");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_columns(name: impl Into<String>, mut columns: StatementColumns) -> Result<Statement> {
        let name = name.into();
        let rows = columns.time_s.len();
        if columns.batch.is_empty() && rows > 0 {
            columns.batch = TextColumn::filled("", rows)?;
        }
        check_lengths(
            &name,
            rows,
            &[
                ("settlement_date", columns.settlement_date.len()),
                ("merchant_no", columns.merchant_no.len()),
                ("merchant_name", columns.merchant_name.len()),
                ("terminal", columns.terminal.len()),
                ("batch", columns.batch.len()),
                ("rrn", columns.rrn.len()),
                ("amount_fen", columns.amount_fen.len()),
                ("fee", columns.fee.len()),
                ("net", columns.net.len()),
                ("channel", columns.channel.len()),
                ("kind", columns.kind.len()),
            ],
        )?;
        let bad = |row: usize| {
            !time_and_amount_ok(columns.time_s[row], columns.amount_fen[row])
                || check_signed(columns.fee[row], "fee").is_err()
                || check_signed(columns.net[row], "net").is_err()
        };
        if let Some(row) = first_row_where(rows, bad) {
            return Err(columns.replay(&name, row));
        }
        let StatementColumns { merchant_no, merchant_name, terminal, batch, rrn, first_line, .. } = columns;
        let [merchant_no, merchant_name, terminal, batch, rrn] = trimmed([merchant_no, merchant_name, terminal, batch, rrn]);
        Ok(Statement {
            settlement_date: columns.settlement_date,
            merchant_no,
            merchant_name,
            terminal,
            batch,
            rrn,
            time: columns.time_s,
            amount_fen: columns.amount_fen,
            fee: columns.fee,
            net: columns.net,
            channel: columns.channel,
            kind: columns.kind,
            line: LineColumn::consecutive(first_line, rows),
            ..Statement::new(name)
        })
    }
}

impl LedgerColumns {
    /// The error [`Ledger::push_row`] gives for row `row` (one that fails its checks).
    fn replay(&self, name: &str, row: usize) -> Error {
        let line = self.first_line + row as u64;
        let (time, amount) = match instant_and_amount(self.time_s[row], self.amount_fen[row], Location::default().file(name).line(line)) {
            Ok(values) => values,
            Err(error) => return error,
        };
        let row = LedgerRow {
            trade_id: self.trade_id.get(row),
            rrn: self.rrn.get(row),
            trace: self.trace.get(row),
            terminal: self.terminal.get(row),
            merchant_no: self.merchant_no.get(row),
            time,
            amount,
            channel: self.channel[row],
            card_type: self.card_type[row],
            kind: self.kind[row],
            response_code: self.response_code.get(row),
            original_rrn: self.original_rrn.get(row),
            line,
        };
        Ledger::new(name).push_row(row).expect_err("a row that fails the checks")
    }
}

impl StatementColumns {
    /// The error [`Statement::push_row`] gives for row `row` (one that fails its checks).
    fn replay(&self, name: &str, row: usize) -> Error {
        let line = self.first_line + row as u64;
        let (time, amount) = match instant_and_amount(self.time_s[row], self.amount_fen[row], Location::default().file(name).line(line)) {
            Ok(values) => values,
            Err(error) => return error,
        };
        let row = StatementRow {
            settlement_date: self.settlement_date[row],
            merchant_no: self.merchant_no.get(row),
            merchant_name: self.merchant_name.get(row),
            terminal: self.terminal.get(row),
            batch: self.batch.get(row),
            rrn: self.rrn.get(row),
            time,
            amount,
            fee: self.fee[row],
            net: self.net[row],
            channel: self.channel[row],
            kind: self.kind[row],
            line,
        };
        Statement::new(name).push_row(row).expect_err("a row that fails the checks")
    }
}

//! The canonical columnar schema of a [`Ledger`] (the merchant's own trade records) and a
//! [`Statement`] (the acquirer's settlement file).
//!
//! Both are tables of equal-length columns. Amounts are exact: trade amounts are whole fen
//! (`i64`), fees and net amounts are [`Money`] (thousandths of a fen, for WeChat's five
//! decimals). Times are Unix seconds (the instant; China time is UTC+08:00). Text columns
//! are stored in one buffer each ([`TextColumn`]). Rows that could not be read are kept in
//! the table's [`issues`](Ledger::issues), so that no input row is ever dropped.
//!
//! | ledger column | meaning |
//! |---|---|
//! | `trade_id` | the merchant's own id of the trade (order number) |
//! | `rrn` | reference number (参考号, 12 characters); may be empty |
//! | `trace` | trace / voucher number (凭证号) |
//! | `terminal` | terminal id (终端号) |
//! | `merchant_no` | the merchant number the terminal printed |
//! | `time` | trade time |
//! | `amount_fen` | trade amount, whole fen, non-negative |
//! | `channel` | [`Channel`] |
//! | `card_type` | [`CardType`] when known (UnionPay QR above ¥1000) |
//! | `kind` | purchase, void or refund ([`TradeKind`]) |
//! | `response_code` | ISO 8583 field 39 (`00` approved) |
//! | `original_rrn` | for voids and refunds: the reference number of the purchase |
//!
//! | statement column | meaning |
//! |---|---|
//! | `settlement_date` | 清算日期 |
//! | `merchant_no` | 商户号 (15 characters, MCC inside) |
//! | `merchant_name` | 商户名称 (may be empty) |
//! | `terminal` | 终端号 |
//! | `rrn` | 参考号 (for QR bills: the merchant order number) |
//! | `time` | trade time |
//! | `amount_fen` | trade amount, whole fen, non-negative |
//! | `fee` | fee charged ([`Money`]; negative when a fee is returned) |
//! | `net` | signed effect on the merchant's account: `amount − fee` for a purchase, `−amount − fee` for a refund or void |
//! | `channel` | [`Channel`] (card type for card trades) |
//! | `kind` | purchase, void or refund |

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

use crate::channel::{CardType, Channel};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::money::Money;
use crate::quote::TradeKind;
use crate::settlement::china_offset;
use crate::text::trim;

use super::line_column::LineColumn;
use super::text_column::too_much_text;
use super::text_column::TextColumn;

/// The ledger's text columns in the order [`Ledger::text_columns`] gives them: each one's
/// canonical column (its place in [`LEDGER_COLUMNS`](super::LEDGER_COLUMNS)) and whether its
/// value is trimmed when pushed (the trade id and trace are kept as they are).
pub(crate) const LEDGER_TEXT: [(usize, bool); 7] = [(0, false), (1, true), (2, false), (3, true), (4, true), (10, true), (11, true)];

/// Pushes one row's values into a table's text columns, all or none. (Inlined but in
/// WebAssembly: the readers call it for every row.)
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline)]
fn push_text<const N: usize>(columns: [(&mut TextColumn, &str); N], rows: usize) -> Result<()> {
    if columns.iter().any(|(column, value)| !column.has_room(value.len())) {
        return Err(too_much_text(rows));
    }
    for (column, value) in columns {
        column.push_fitting(value);
    }
    Ok(())
}

/// [`push_text`] for a reader that counts down `room`, the bytes of text every column of the
/// table still has room for (at most each column's [`TextColumn::MAX_BYTES`] less its
/// text, as [`Statement::text_room`] gives it): a row whose values fit in `room` is pushed
/// without asking each column (five questions a row were 4-8% of a statement's reading),
/// else `room` is spent and the columns are asked, as by [`push_text`]. WebAssembly always
/// asks (built for size).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline)]
fn push_text_within<const N: usize>(columns: [(&mut TextColumn, &str); N], rows: usize, room: &mut usize) -> Result<()> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        // Each column's text grows by at most the row's bytes, which `room` loses.
        let bytes = columns.iter().fold(0usize, |bytes, (_, value)| bytes.saturating_add(value.len()));
        if bytes <= *room {
            *room -= bytes;
            for (column, value) in columns {
                column.push_fitting(value);
            }
            return Ok(());
        }
        *room = 0;
    }
    #[cfg(target_arch = "wasm32")]
    let _ = room;
    push_text(columns, rows)
}

/// Appends the text columns of a later part of a table, all or none.
fn append_text<const N: usize>(columns: [(&mut TextColumn, &TextColumn); N]) -> Result<()> {
    if let Some((column, _)) = columns.iter().find(|(column, other)| !column.has_room(other.text_len())) {
        return Err(too_much_text(column.len()));
    }
    for (column, other) in columns {
        column.append(other)?;
    }
    Ok(())
}

/// What `count` (rows, or bytes of a column's text) read from the first `read_bytes` of a
/// file comes to over its next `rest_bytes`, an eighth more to be safe: the rows read so far
/// are the sample. Room reserved and never touched costs no memory; a column that outgrows
/// it is copied once more, as without it.
pub(crate) fn scaled(count: usize, read_bytes: usize, rest_bytes: usize) -> usize {
    let rest = count as u128 * rest_bytes as u128 / read_bytes.max(1) as u128;
    usize::try_from(rest.saturating_add(rest / 8).saturating_add(16)).unwrap_or(usize::MAX)
}

/// Room in `column` for the rest of a file read in blocks, at its rows and text per byte read
/// so far ([`scaled`]); never past [`TextColumn::MAX_BYTES`].
fn reserve_scaled(column: &mut TextColumn, read_bytes: usize, rest_bytes: usize) {
    let room = TextColumn::MAX_BYTES.saturating_sub(column.text_len());
    let bytes = scaled(column.text_len(), read_bytes, rest_bytes).min(room);
    column.reserve(scaled(column.len(), read_bytes, rest_bytes), bytes);
}

/// Rows a batch ([`Ledger::extend_rows`], [`Statement::extend_rows`]) stores before it
/// reserves text for the rest of the batch at the size those rows had on average.
pub(crate) const SAMPLE_ROWS: usize = 256;

/// The loop of `extend_rows`, shared by [`Ledger`] and [`Statement`]: `push` stores a row as
/// `push_row` does; `text` lists the table's text columns.
fn extend_rows<T, R>(
    table: &mut T,
    rows: usize,
    mut row: impl FnMut(usize) -> Result<R>,
    mut rejected: impl FnMut(&mut T, Error) -> Result<()>,
    push: impl Fn(&mut T, R) -> Result<()>,
    text: impl Fn(&mut T) -> Vec<&mut TextColumn>,
) -> Result<()> {
    let before: Vec<(usize, usize)> = text(table).iter().map(|column| (column.len(), column.text_len())).collect();
    for index in 0..rows {
        if index == SAMPLE_ROWS {
            let rest = rows - index;
            for (column, (len, bytes)) in text(table).into_iter().zip(&before) {
                let (stored, text_bytes) = (column.len() - len, column.text_len() - bytes);
                if stored > 0 {
                    let room = TextColumn::MAX_BYTES - column.text_len();
                    column.reserve(rest, text_bytes.div_ceil(stored).saturating_mul(rest).min(room));
                }
            }
        }
        if let Err(error) = row(index).and_then(|row| push(table, row)) {
            rejected(table, error)?;
        }
    }
    Ok(())
}

/// One input line that could not be read: where it was, why, and its raw text.
///
/// # Example
/// ```
/// use posfee::reconcile::{read_ledger_csv, Side};
/// let ledger = read_ledger_csv(b"trade_id,time,amount,channel\nA1,2026-05-06 10:00,12.345,credit\n", "ledger.csv")?;
/// let issue = &ledger.issues()[0];
/// assert_eq!(issue.side, Side::Ledger);
/// assert_eq!(issue.error.location().line, Some(2));
/// assert_eq!(issue.error.location().field.as_deref(), Some("amount"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadIssue {
    /// Which input the line belongs to.
    pub side: Side,
    /// The error, with file, line, column and field.
    pub error: Error,
    /// The raw text of the line (lossily decoded), for the report.
    pub raw: String,
}

impl ReadIssue {
    /// With [`OnInvalid::Raise`](crate::OnInvalid::Raise), the first of `issues` (the lines a
    /// reader kept as unreadable) as the error; with `Report`, `Ok`: they stay unreadable rows
    /// of the report. Every surface's `on_invalid` for a file it has read.
    ///
    /// # Errors
    /// The first issue's error, with its file, line and field.
    ///
    /// # Example
    /// ```
    /// use posfee::{reconcile::{read_ledger_csv, ReadIssue}, OnInvalid};
    /// let ledger = read_ledger_csv(b"trade_id,time,amount,channel\nA1,2026-05-06 10:00,x,credit\n", "ledger.csv")?;
    /// assert!(ReadIssue::raise_first(OnInvalid::Report, ledger.issues()).is_ok());
    /// assert_eq!(ReadIssue::raise_first(OnInvalid::Raise, ledger.issues()).unwrap_err().location().line, Some(2));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn raise_first(on_invalid: crate::OnInvalid, issues: &[ReadIssue]) -> Result<()> {
        match (on_invalid, issues.first()) {
            (crate::OnInvalid::Raise, Some(issue)) => Err(issue.error.clone()),
            _ => Ok(()),
        }
    }
}

/// Which input a row comes from.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::Side::Statement.name(), "statement");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The merchant's own trade records.
    Ledger,
    /// The acquirer's settlement statement.
    Statement,
}

impl Side {
    /// `ledger` or `statement`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Side::Ledger.name(), "ledger");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Side::Ledger => "ledger",
            Side::Statement => "statement",
        }
    }
}

/// Converts a date-time to the Unix seconds of the time columns.
pub(crate) fn to_unix(at: DateTime<FixedOffset>) -> i64 {
    at.timestamp()
}

/// Converts Unix seconds back to a China-time date-time.
pub(crate) fn from_unix(seconds: i64) -> DateTime<FixedOffset> {
    china_offset().timestamp_opt(seconds, 0).single().unwrap_or_else(|| china_offset().timestamp_opt(0, 0).unwrap())
}

/// The China-time calendar date of Unix seconds, as days since 1970-01-01.
#[inline]
pub(crate) fn china_day(seconds: i64) -> i64 {
    (seconds + 8 * 3600).div_euclid(86_400)
}

/// A date as days since 1970-01-01 (the unit of [`china_day`]).
#[inline]
pub(crate) fn epoch_day(date: NaiveDate) -> i64 {
    const EPOCH_FROM_CE: i64 = 719_163;
    i64::from(chrono::Datelike::num_days_from_ce(&date)) - EPOCH_FROM_CE
}

/// Seconds accepted in a time column: years 1970 to 2199.
pub(crate) const TIME_RANGE: std::ops::Range<i64> = 0..7_258_118_400;

/// The time of a row given to [`Ledger::push_row`] or [`Statement::push_row`]: a date-time
/// with its offset, or [`UnixSeconds`] already counted (what the file readers give, so that
/// no date-time is built per row only to be taken apart again).
///
/// # Example
/// ```
/// use posfee::parse_china_time;
/// use posfee::reconcile::{RowTime, UnixSeconds};
/// let at = parse_china_time("2026-05-06 10:00")?; // 02:00 UTC
/// assert_eq!(at.unix_seconds(), 1_778_032_800);
/// assert_eq!(UnixSeconds(1_778_032_800).unix_seconds(), 1_778_032_800);
/// # Ok::<(), posfee::Error>(())
/// ```
pub trait RowTime: Copy {
    /// Seconds since 1970-01-01 00:00:00 UTC.
    fn unix_seconds(self) -> i64;
}

impl RowTime for DateTime<FixedOffset> {
    #[inline]
    fn unix_seconds(self) -> i64 {
        to_unix(self)
    }
}

/// A row's time as seconds since 1970-01-01 00:00:00 UTC, the unit of the time columns
/// (see [`RowTime`]).
///
/// # Example
/// ```
/// use posfee::{Channel, Money, TradeKind};
/// use posfee::reconcile::{Ledger, LedgerRow, UnixSeconds};
/// let mut ledger = Ledger::new("ledger");
/// ledger.push_row(LedgerRow {
///     trade_id: "A1", rrn: "", trace: "", terminal: "T1", merchant_no: "",
///     time: UnixSeconds(1_778_032_800), amount: Money::from_yuan(100), channel: Channel::Credit,
///     card_type: None, kind: TradeKind::Purchase, response_code: "00", original_rrn: "", line: 1,
/// })?;
/// assert_eq!(ledger.record(0).time.to_rfc3339(), "2026-05-06T10:00:00+08:00");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixSeconds(pub i64);

impl From<DateTime<FixedOffset>> for UnixSeconds {
    #[inline]
    fn from(at: DateTime<FixedOffset>) -> UnixSeconds {
        UnixSeconds(to_unix(at))
    }
}

impl RowTime for UnixSeconds {
    #[inline]
    fn unix_seconds(self) -> i64 {
        self.0
    }
}

/// `seconds` when they fall in [`TIME_RANGE`]; the error names the time in China time.
pub(crate) fn check_time(seconds: i64) -> Result<i64> {
    if TIME_RANGE.contains(&seconds) {
        Ok(seconds)
    } else {
        Err(time_out_of_range(seconds))
    }
}

#[cold]
fn time_out_of_range(seconds: i64) -> Error {
    let time = china_offset().timestamp_opt(seconds, 0).single().map_or_else(|| format!("{seconds} s after 1970"), |at| at.to_rfc3339());
    Error::new(ErrorKind::InvalidDate, format!("trade time {time} is outside 1970–2199")).in_field("time")
}

pub(crate) fn check_amount(amount: Money) -> Result<i64> {
    let amount = amount.into_amount().map_err(|e| e.in_field("amount"))?;
    Ok(amount.fen().unwrap_or_default())
}

/// A void or refund names the purchase it undoes (`original_rrn`, trimmed).
pub(crate) fn check_original(kind: TradeKind, trade_id: &str, original_rrn: &str) -> Result<()> {
    if kind != TradeKind::Purchase && trim(original_rrn).is_empty() {
        return Err(Error::new(ErrorKind::InvalidRecord, format!("{} {trade_id:?} has no original reference number", kind.name())));
    }
    Ok(())
}

/// A statement's fee or net amount is at most [`Money::MAX_AMOUNT`] either way.
pub(crate) fn check_signed(value: Money, field: &str) -> Result<()> {
    if value > Money::MAX_AMOUNT || -value > Money::MAX_AMOUNT {
        return Err(Error::new(ErrorKind::InvalidAmount, format!("{field} ¥{value} exceeds ¥{}", Money::MAX_AMOUNT)));
    }
    Ok(())
}

/// One ledger row, as pushed to or read from a [`Ledger`].
///
/// # Example
/// ```
/// use posfee::{Channel, Money, parse_china_time};
/// use posfee::reconcile::LedgerRecord;
/// let mut record = LedgerRecord::new("A1", parse_china_time("2026-05-06 10:00")?, Money::from_yuan(100), Channel::Credit);
/// record.rrn = "612610000001".into();
/// record.terminal = "T0000001".into();
/// assert_eq!(record.response_code, "00");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRecord {
    /// The merchant's own id of the trade.
    pub trade_id: String,
    /// Reference number (参考号); empty when unknown.
    pub rrn: String,
    /// Trace / voucher number (凭证号).
    pub trace: String,
    /// Terminal id.
    pub terminal: String,
    /// The merchant number the terminal used.
    pub merchant_no: String,
    /// Trade time.
    pub time: DateTime<FixedOffset>,
    /// Trade amount (non-negative, whole fen).
    pub amount: Money,
    /// Payment channel.
    pub channel: Channel,
    /// Card type, when known.
    pub card_type: Option<CardType>,
    /// Purchase, void or refund.
    pub kind: TradeKind,
    /// Response code (`00` approved).
    pub response_code: String,
    /// For voids and refunds: the reference number of the purchase.
    pub original_rrn: String,
    /// The 1-based line in the source file (0 when built in code).
    pub line: u64,
}

impl LedgerRecord {
    /// An approved purchase with empty reference, trace, terminal and merchant number.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, TradeKind, parse_china_time};
    /// let record = posfee::reconcile::LedgerRecord::new("A1", parse_china_time("2026-05-06")?, Money::from_fen(1), Channel::Wechat);
    /// assert_eq!(record.kind, TradeKind::Purchase);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(trade_id: impl Into<String>, time: DateTime<FixedOffset>, amount: Money, channel: Channel) -> LedgerRecord {
        LedgerRecord {
            trade_id: trade_id.into(),
            rrn: String::new(),
            trace: String::new(),
            terminal: String::new(),
            merchant_no: String::new(),
            time,
            amount,
            channel,
            card_type: None,
            kind: TradeKind::Purchase,
            response_code: "00".to_string(),
            original_rrn: String::new(),
            line: 0,
        }
    }
}

/// The merchant's trade records, column by column. See the [schema](crate::reconcile#canonical-schema).
///
/// # Example
/// ```
/// use posfee::{Channel, Money, parse_china_time};
/// use posfee::reconcile::{Ledger, LedgerRecord};
/// let mut ledger = Ledger::new("pos-export");
/// ledger.push(LedgerRecord::new("A1", parse_china_time("2026-05-06 10:00")?, Money::from_yuan(100), Channel::Credit))?;
/// assert_eq!(ledger.len(), 1);
/// assert_eq!(ledger.amounts_fen(), &[10_000]);
/// assert_eq!(ledger.record(0).trade_id, "A1");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    pub(crate) name: String,
    pub(crate) trade_id: TextColumn,
    pub(crate) rrn: TextColumn,
    pub(crate) trace: TextColumn,
    pub(crate) terminal: TextColumn,
    pub(crate) merchant_no: TextColumn,
    pub(crate) time: Vec<i64>,
    pub(crate) amount_fen: Vec<i64>,
    pub(crate) channel: Vec<Channel>,
    pub(crate) card_type: Vec<Option<CardType>>,
    pub(crate) kind: Vec<TradeKind>,
    pub(crate) response_code: TextColumn,
    pub(crate) original_rrn: TextColumn,
    pub(crate) line: LineColumn,
    pub(crate) issues: Vec<ReadIssue>,
}

impl Ledger {
    /// An empty ledger; `name` (usually the file name) appears in locations.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("ledger.csv").is_empty());
    /// ```
    pub fn new(name: impl Into<String>) -> Ledger {
        // Terminals, merchant numbers and response codes take few values: each is held once.
        Ledger {
            name: name.into(),
            terminal: TextColumn::interned(),
            merchant_no: TextColumn::interned(),
            response_code: TextColumn::interned(),
            ..Ledger::default()
        }
    }

    /// The name given at creation.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Ledger::new("a.csv").name(), "a.csv");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Appends a row after checking it.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] for a negative or sub-fen amount, [`ErrorKind::InvalidDate`]
    /// for a time outside 1970–2199, [`ErrorKind::InvalidRecord`] for a void or refund without
    /// `original_rrn`; the location names the table, line and field.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, parse_china_time};
    /// use posfee::reconcile::{Ledger, LedgerRecord};
    /// let mut ledger = Ledger::new("l");
    /// let bad = LedgerRecord::new("A1", parse_china_time("2026-05-06")?, Money::from_fen(-1), Channel::Credit);
    /// assert_eq!(ledger.push(bad).unwrap_err().code(), "invalid_amount");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn push(&mut self, record: LedgerRecord) -> Result<()> {
        self.push_row(LedgerRow {
            trade_id: &record.trade_id,
            rrn: &record.rrn,
            trace: &record.trace,
            terminal: &record.terminal,
            merchant_no: &record.merchant_no,
            time: record.time,
            amount: record.amount,
            channel: record.channel,
            card_type: record.card_type,
            kind: record.kind,
            response_code: &record.response_code,
            original_rrn: &record.original_rrn,
            line: record.line,
        })
    }

    /// [`Ledger::push`] without owning the text (the readers' and the Python binding's path).
    ///
    /// # Errors
    /// As [`Ledger::push`].
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, TradeKind, parse_china_time};
    /// use posfee::reconcile::{Ledger, LedgerRow};
    /// let mut ledger = Ledger::new("ledger");
    /// ledger.push_row(LedgerRow {
    ///     trade_id: "A1", rrn: "612610000001", trace: "", terminal: "T0000001", merchant_no: "",
    ///     time: parse_china_time("2026-05-06 10:00")?, amount: Money::from_yuan(100), channel: Channel::Credit,
    ///     card_type: None, kind: TradeKind::Purchase, response_code: "00", original_rrn: "", line: 1,
    /// })?;
    /// assert_eq!(ledger.record(0).rrn, "612610000001");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn push_row<T: RowTime>(&mut self, row: LedgerRow<'_, T>) -> Result<()> {
        let at = || Location::default().file(self.name.clone()).line(row.line.max(1));
        let time = check_time(row.time.unix_seconds()).map_err(|e| e.at(at()))?;
        let amount_fen = check_amount(row.amount).map_err(|e| e.at(at()))?;
        check_original(row.kind, row.trade_id, row.original_rrn).map_err(|e| e.at(at().field("original_rrn")))?;
        let mut values = [row.trade_id, row.rrn, row.trace, row.terminal, row.merchant_no, row.response_code, row.original_rrn];
        for (value, (_, trimmed)) in values.iter_mut().zip(LEDGER_TEXT) {
            if trimmed {
                *value = trim(value);
            }
        }
        let [trade_id, rrn, trace, terminal, merchant_no, response_code, original_rrn] = values;
        let text = [
            (&mut self.trade_id, trade_id),
            (&mut self.rrn, rrn),
            (&mut self.trace, trace),
            (&mut self.terminal, terminal),
            (&mut self.merchant_no, merchant_no),
            (&mut self.response_code, response_code),
            (&mut self.original_rrn, original_rrn),
        ];
        push_text(text, self.time.len()).map_err(|e| e.at(at()))?;
        self.time.push(time);
        self.amount_fen.push(amount_fen);
        self.channel.push(row.channel);
        self.card_type.push(row.card_type);
        self.kind.push(row.kind);
        self.line.push(row.line);
        Ok(())
    }

    /// Appends a batch of `rows` rows at once (the Python binding's path for a batch of an
    /// Arrow table): `row(i)` reads row `i` of the batch, which is checked and stored as
    /// [`Ledger::push_row`] does. Room for the batch is reserved up front (for the text, at the
    /// size of the batch's first rows), so the columns grow once a batch, not value by value.
    ///
    /// A row that `row` cannot read, or that fails a check, is not stored: its error goes to
    /// `rejected`, which keeps it (e.g. with [`Ledger::push_issue`]) and returns `Ok`, or stops
    /// the batch by returning an error, which `extend_rows` returns (the rows before it are
    /// stored, none after it).
    ///
    /// # Errors
    /// The error `rejected` returns.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, TradeKind, parse_china_time};
    /// use posfee::reconcile::{Ledger, LedgerRow};
    /// let ids = ["A1", "A2", "A3"];
    /// let fen = [10_000, -5, 250];
    /// let time = parse_china_time("2026-05-06 10:00")?;
    /// let mut ledger = Ledger::new("ledger");
    /// ledger.extend_rows(
    ///     ids.len(),
    ///     |i| Ok(LedgerRow {
    ///         trade_id: ids[i], rrn: "", trace: "", terminal: " T0000001 ", merchant_no: "", time,
    ///         amount: Money::from_fen(fen[i]), channel: Channel::Credit, card_type: None,
    ///         kind: TradeKind::Purchase, response_code: "00", original_rrn: "", line: i as u64 + 1,
    ///     }),
    ///     |ledger, error| {
    ///         ledger.push_issue(error, "");
    ///         Ok(())
    ///     },
    /// )?;
    /// assert_eq!(ledger.len(), 2);
    /// assert_eq!(ledger.record(1).trade_id, "A3");
    /// assert_eq!(ledger.record(1).terminal, "T0000001"); // trimmed, as by push_row
    /// assert_eq!(ledger.issues()[0].error.location().line, Some(2));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn extend_rows<'a>(
        &mut self,
        rows: usize,
        row: impl FnMut(usize) -> Result<LedgerRow<'a>>,
        rejected: impl FnMut(&mut Ledger, Error) -> Result<()>,
    ) -> Result<()> {
        self.reserve(rows, 0);
        extend_rows(self, rows, row, rejected, Ledger::push_row, |ledger| ledger.text_columns().into())
    }

    /// The text columns, in the order of [`LEDGER_TEXT`].
    pub(crate) fn text_columns(&mut self) -> [&mut TextColumn; 7] {
        [
            &mut self.trade_id,
            &mut self.rrn,
            &mut self.trace,
            &mut self.terminal,
            &mut self.merchant_no,
            &mut self.response_code,
            &mut self.original_rrn,
        ]
    }

    /// Reserves room for the rest of a file read in blocks, from the rows read so far (see
    /// [`scaled`]): each column at the size it has per byte of the file read.
    pub(crate) fn reserve_rest(&mut self, read_bytes: usize, rest_bytes: usize) {
        for column in self.text_columns() {
            reserve_scaled(column, read_bytes, rest_bytes);
        }
        self.reserve_rows(scaled(self.len(), read_bytes, rest_bytes));
    }

    /// Reserves room for `rows` more rows in the columns that are not text.
    fn reserve_rows(&mut self, rows: usize) {
        self.time.reserve(rows);
        self.amount_fen.reserve(rows);
        self.channel.reserve(rows);
        self.card_type.reserve(rows);
        self.kind.reserve(rows);
    }

    /// Reserves room for about `rows` rows with `text_bytes` of text over all text columns.
    pub(crate) fn reserve(&mut self, rows: usize, text_bytes: usize) {
        for (column, share) in [
            (&mut self.trade_id, 6),
            (&mut self.rrn, 6),
            (&mut self.trace, 3),
            (&mut self.terminal, 4),
            (&mut self.merchant_no, 8),
            (&mut self.response_code, 1),
            (&mut self.original_rrn, 1),
        ] {
            column.reserve(rows, text_bytes * share / 29);
        }
        self.reserve_rows(rows);
    }

    /// Appends all rows and issues of `other` (a later part of the same input).
    ///
    /// # Errors
    /// When a text column would exceed [`TextColumn::MAX_BYTES`] (nothing is appended).
    ///
    /// `other` is left empty, with its room kept unless it was taken whole (the first part,
    /// when no room was reserved), so that a reader can fill it again without asking the
    /// system for fresh memory.
    pub(crate) fn append(&mut self, other: &mut Ledger) -> Result<()> {
        // The first part is taken whole, unless room for every row was reserved.
        if self.is_empty() && self.issues.is_empty() && self.time.capacity() == 0 {
            let emptied = Ledger::new(self.name.clone());
            *self = Ledger { name: std::mem::take(&mut self.name), ..std::mem::replace(other, emptied) };
            // Values of one width without their offsets, so that the parts after this one
            // append their text alone.
            self.text_columns().into_iter().for_each(TextColumn::fixed_if_one_width);
            return Ok(());
        }
        append_text([
            (&mut self.trade_id, &other.trade_id),
            (&mut self.rrn, &other.rrn),
            (&mut self.trace, &other.trace),
            (&mut self.terminal, &other.terminal),
            (&mut self.merchant_no, &other.merchant_no),
            (&mut self.response_code, &other.response_code),
            (&mut self.original_rrn, &other.original_rrn),
        ])
        .map_err(|e| e.at(Location::default().file(self.name.clone())))?;
        self.time.extend_from_slice(&other.time);
        self.amount_fen.extend_from_slice(&other.amount_fen);
        self.channel.extend_from_slice(&other.channel);
        self.card_type.extend_from_slice(&other.card_type);
        self.kind.extend_from_slice(&other.kind);
        self.line.append(&other.line);
        self.issues.append(&mut other.issues);
        other.clear();
        Ok(())
    }

    /// Moves every row and issue read from a file `by` lines down: a part of a file whose
    /// lines were numbered from 1 while it was read, moved to its lines in the file.
    pub(crate) fn shift_lines(&mut self, by: u64) {
        self.line.shift(by);
        self.issues.iter_mut().for_each(|issue| issue.error.shift_line(by));
    }

    /// Removes every row and issue, keeping the columns' room (the name stays).
    pub(crate) fn clear(&mut self) {
        for column in self.text_columns() {
            column.clear();
        }
        self.time.clear();
        self.amount_fen.clear();
        self.channel.clear();
        self.card_type.clear();
        self.kind.clear();
        self.line.clear();
        self.issues.clear();
    }

    /// Records a line that could not be read (it will appear in the report as unreadable).
    ///
    /// # Example
    /// ```
    /// let mut ledger = posfee::reconcile::Ledger::new("l");
    /// ledger.push_issue(posfee::Money::parse_amount("garbled").unwrap_err(), "x,y");
    /// assert_eq!(ledger.issues().len(), 1);
    /// ```
    pub fn push_issue(&mut self, error: Error, raw: impl Into<String>) {
        let error = error.at(Location::default().file(self.name.clone()));
        self.issues.push(ReadIssue { side: Side::Ledger, error, raw: raw.into() });
    }

    /// Row `index` as a record.
    ///
    /// # Panics
    /// When `index >= self.len()`.
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, parse_china_time};
    /// # use posfee::reconcile::{Ledger, LedgerRecord};
    /// let mut ledger = Ledger::new("l");
    /// ledger.push(LedgerRecord::new("A1", parse_china_time("2026-05-06 10:00")?, Money::from_yuan(1), Channel::Debit))?;
    /// assert_eq!(ledger.record(0).amount, Money::from_yuan(1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn record(&self, index: usize) -> LedgerRecord {
        LedgerRecord {
            trade_id: self.trade_id.get(index).to_string(),
            rrn: self.rrn.get(index).to_string(),
            trace: self.trace.get(index).to_string(),
            terminal: self.terminal.get(index).to_string(),
            merchant_no: self.merchant_no.get(index).to_string(),
            time: from_unix(self.time[index]),
            amount: Money::from_fen(self.amount_fen[index]),
            channel: self.channel[index],
            card_type: self.card_type[index],
            kind: self.kind[index],
            response_code: self.response_code.get(index).to_string(),
            original_rrn: self.original_rrn.get(index).to_string(),
            line: self.line.get(index),
        }
    }

    /// The number of rows read (not counting [`issues`](Ledger::issues)).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Ledger::new("l").len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.amount_fen.len()
    }

    /// Whether the ledger has no rows.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("l").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.amount_fen.is_empty()
    }

    /// The lines that could not be read.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("l").issues().is_empty());
    /// ```
    pub fn issues(&self) -> &[ReadIssue] {
        &self.issues
    }

    /// The amount column, in fen.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("l").amounts_fen().is_empty());
    /// ```
    pub fn amounts_fen(&self) -> &[i64] {
        &self.amount_fen
    }

    /// The channel column.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("l").channels().is_empty());
    /// ```
    pub fn channels(&self) -> &[Channel] {
        &self.channel
    }

    /// The trade id column.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, parse_china_time};
    /// use posfee::reconcile::{Ledger, LedgerRecord};
    /// let mut ledger = Ledger::new("l");
    /// ledger.push(LedgerRecord::new("A1", parse_china_time("2026-05-06 10:00")?, Money::from_yuan(1), Channel::Debit))?;
    /// assert_eq!(ledger.trade_ids().get(0), "A1");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn trade_ids(&self) -> &TextColumn {
        &self.trade_id
    }

    /// The reference number column.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("l").rrns().is_empty());
    /// ```
    pub fn rrns(&self) -> &TextColumn {
        &self.rrn
    }

    /// The terminal id column.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("l").terminals().is_empty());
    /// ```
    pub fn terminals(&self) -> &TextColumn {
        &self.terminal
    }

    /// The 1-based line of each row in its source file (0 for rows built in code).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Ledger::new("x").lines().is_empty());
    /// ```
    pub fn lines(&self) -> &LineColumn {
        &self.line
    }

    /// Approximate bytes held by the columns, for memory accounting.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Ledger::new("l").heap_bytes(), 0);
    /// ```
    pub fn heap_bytes(&self) -> usize {
        let text = [&self.trade_id, &self.rrn, &self.trace, &self.terminal, &self.merchant_no, &self.response_code, &self.original_rrn];
        text.iter().map(|c| c.heap_bytes()).sum::<usize>()
            + self.time.capacity() * 8
            + self.amount_fen.capacity() * 8
            + self.channel.capacity()
            + self.card_type.capacity()
            + self.kind.capacity()
            + self.line.heap_bytes()
    }
}

/// One statement row, as pushed to or read from a [`Statement`].
///
/// # Example
/// ```
/// use posfee::{Channel, Money, parse_china_time, parse_date};
/// use posfee::reconcile::StatementRecord;
/// let record = StatementRecord::new(parse_date("2026-05-07")?, parse_china_time("2026-05-06 10:00")?, Money::from_yuan(100), Money::parse("0.60")?, Channel::Credit);
/// assert_eq!(record.net.to_string(), "99.40");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRecord {
    /// Settlement date (清算日期).
    pub settlement_date: NaiveDate,
    /// Merchant number (15 characters).
    pub merchant_no: String,
    /// Merchant name (may be empty).
    pub merchant_name: String,
    /// Terminal id.
    pub terminal: String,
    /// Batch number (批次号; empty when the statement shows none).
    pub batch: String,
    /// Reference number (or merchant order number for QR bills).
    pub rrn: String,
    /// Trade time.
    pub time: DateTime<FixedOffset>,
    /// Trade amount (non-negative, whole fen).
    pub amount: Money,
    /// Fee charged (negative when returned).
    pub fee: Money,
    /// Signed net effect on the merchant's account.
    pub net: Money,
    /// Channel (card type for card trades).
    pub channel: Channel,
    /// Purchase, void or refund.
    pub kind: TradeKind,
    /// The 1-based line in the source file (0 when built in code).
    pub line: u64,
}

impl StatementRecord {
    /// A purchase row with `net = amount − fee` and empty merchant, terminal and reference.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, parse_china_time, parse_date};
    /// let r = posfee::reconcile::StatementRecord::new(parse_date("2026-05-07")?, parse_china_time("2026-05-06")?, Money::from_yuan(1), Money::ZERO, Channel::Alipay);
    /// assert_eq!(r.net, Money::from_yuan(1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(settlement_date: NaiveDate, time: DateTime<FixedOffset>, amount: Money, fee: Money, channel: Channel) -> StatementRecord {
        StatementRecord {
            settlement_date,
            merchant_no: String::new(),
            merchant_name: String::new(),
            terminal: String::new(),
            batch: String::new(),
            rrn: String::new(),
            time,
            amount,
            fee,
            net: amount - fee,
            channel,
            kind: TradeKind::Purchase,
            line: 0,
        }
    }
}

/// The acquirer's settlement statement, column by column. See the [schema](crate::reconcile#canonical-schema).
///
/// # Example
/// ```
/// use posfee::{Channel, Money, parse_china_time, parse_date};
/// use posfee::reconcile::{Statement, StatementRecord};
/// let mut statement = Statement::new("settle.csv");
/// statement.push(StatementRecord::new(parse_date("2026-05-07")?, parse_china_time("2026-05-06 10:00")?, Money::from_yuan(100), Money::parse("0.60")?, Channel::Credit))?;
/// assert_eq!(statement.len(), 1);
/// assert_eq!(statement.record(0).fee.to_string(), "0.60");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    pub(crate) name: String,
    pub(crate) settlement_date: Vec<NaiveDate>,
    pub(crate) merchant_no: TextColumn,
    pub(crate) merchant_name: TextColumn,
    pub(crate) terminal: TextColumn,
    pub(crate) batch: TextColumn,
    pub(crate) rrn: TextColumn,
    pub(crate) time: Vec<i64>,
    pub(crate) amount_fen: Vec<i64>,
    pub(crate) fee: Vec<Money>,
    pub(crate) net: Vec<Money>,
    pub(crate) channel: Vec<Channel>,
    pub(crate) kind: Vec<TradeKind>,
    pub(crate) line: LineColumn,
    pub(crate) issues: Vec<ReadIssue>,
    /// Rows a format profile skips by rule: not the merchant's trades (a personal bill's own
    /// spending, transfers, closed orders).
    pub(crate) skipped_rows: u64,
    /// Deduction lines (流量费, 服务费): money the acquirer takes from a payout, not trades.
    pub(crate) deductions: Vec<StatementDeduction>,
}

/// A deduction line of a statement: money the acquirer takes from a payout that is not a
/// trade's fee (an annual service fee 服务费, a SIM data fee 流量费, a deposit 押金). A format
/// profile maps such a row's kind to `deduction`; the deposit check names it as the reason
/// for a short deposit ([`reconcile_deposits`](crate::reconcile::deposits::reconcile_deposits)).
///
/// # Example
/// ```
/// use posfee::{Money, parse_date};
/// use posfee::reconcile::{Statement, StatementDeduction};
/// let mut statement = Statement::new("s.csv");
/// statement.push_deduction(StatementDeduction::new(parse_date("2026-11-02")?, Money::from_yuan(99), "流量费"))?;
/// assert_eq!(statement.deductions()[0].text, "流量费");
/// assert!(statement.is_empty()); // not a trade
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementDeduction {
    /// The settlement date whose payout it is taken from.
    pub settlement_date: NaiveDate,
    /// The merchant number (may be empty).
    pub merchant_no: String,
    /// The batch number (may be empty).
    pub batch: String,
    /// The money taken (positive, whole fen).
    pub amount: Money,
    /// What the statement calls it (the kind column's text: `流量费`).
    pub text: String,
    /// The 1-based line in the source file (0 when built in code).
    pub line: u64,
}

impl StatementDeduction {
    /// A deduction of `amount` on `settlement_date`, with empty merchant and batch numbers.
    ///
    /// # Example
    /// ```
    /// let d = posfee::reconcile::StatementDeduction::new(posfee::parse_date("2026-11-02")?, posfee::Money::from_yuan(99), "服务费");
    /// assert_eq!((d.merchant_no.as_str(), d.line), ("", 0));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(settlement_date: NaiveDate, amount: Money, text: impl Into<String>) -> StatementDeduction {
        StatementDeduction { settlement_date, merchant_no: String::new(), batch: String::new(), amount, text: text.into(), line: 0 }
    }
}

impl Statement {
    /// An empty statement; `name` (usually the file name) appears in locations.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Statement::new("s.csv").is_empty());
    /// ```
    pub fn new(name: impl Into<String>) -> Statement {
        // Merchant numbers and names, terminals and batches take few values: each is held once.
        Statement {
            name: name.into(),
            merchant_no: TextColumn::interned(),
            merchant_name: TextColumn::interned(),
            terminal: TextColumn::interned(),
            batch: TextColumn::interned(),
            ..Statement::default()
        }
    }

    /// The name given at creation.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Statement::new("s.csv").name(), "s.csv");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Appends a row after checking it.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] for a negative or sub-fen amount or a fee or net beyond
    /// [`Money::MAX_AMOUNT`]; [`ErrorKind::InvalidDate`] for a time outside 1970–2199.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, parse_china_time, parse_date};
    /// use posfee::reconcile::{Statement, StatementRecord};
    /// let mut statement = Statement::new("s");
    /// let bad = StatementRecord::new(parse_date("2026-05-07")?, parse_china_time("2026-05-06")?, Money::parse("0.001")?, Money::ZERO, Channel::Credit);
    /// assert_eq!(statement.push(bad).unwrap_err().code(), "invalid_amount");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn push(&mut self, record: StatementRecord) -> Result<()> {
        self.push_row(StatementRow {
            settlement_date: record.settlement_date,
            merchant_no: &record.merchant_no,
            merchant_name: &record.merchant_name,
            terminal: &record.terminal,
            batch: &record.batch,
            rrn: &record.rrn,
            time: record.time,
            amount: record.amount,
            fee: record.fee,
            net: record.net,
            channel: record.channel,
            kind: record.kind,
            line: record.line,
        })
    }

    /// [`Statement::push`] without owning the text (the readers' and the Python binding's path).
    ///
    /// # Errors
    /// As [`Statement::push`].
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, TradeKind, parse_china_time, parse_date};
    /// use posfee::reconcile::{Statement, StatementRow};
    /// let mut statement = Statement::new("statement");
    /// statement.push_row(StatementRow {
    ///     settlement_date: parse_date("2026-05-07")?, merchant_no: "102310058120001", merchant_name: "",
    ///     terminal: "T0000001", batch: "000012", rrn: "612610000001", time: parse_china_time("2026-05-06 10:00")?,
    ///     amount: Money::from_yuan(100), fee: Money::from_fen(60), net: Money::from_fen(9_940),
    ///     channel: Channel::Credit, kind: TradeKind::Purchase, line: 1,
    /// })?;
    /// assert_eq!(statement.len(), 1);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn push_row<T: RowTime>(&mut self, row: StatementRow<'_, T>) -> Result<()> {
        self.push_row_within(row, &mut 0)
    }

    /// [`Statement::push_row`] by a reader that counts down `room`, the bytes of text every
    /// text column still has room for: from [`Statement::text_room`], then as this leaves it
    /// (see `push_text_within`).
    #[inline]
    pub(crate) fn push_row_within<T: RowTime>(&mut self, row: StatementRow<'_, T>, room: &mut usize) -> Result<()> {
        let at = || Location::default().file(self.name.clone()).line(row.line.max(1));
        let time = check_time(row.time.unix_seconds()).map_err(|e| e.at(at()))?;
        let amount_fen = check_amount(row.amount).map_err(|e| e.at(at()))?;
        for (value, field) in [(row.fee, "fee"), (row.net, "net")] {
            check_signed(value, field).map_err(|e| e.at(at().field(field)))?;
        }
        let text = [
            (&mut self.merchant_no, trim(row.merchant_no)),
            (&mut self.merchant_name, trim(row.merchant_name)),
            (&mut self.terminal, trim(row.terminal)),
            (&mut self.batch, trim(row.batch)),
            (&mut self.rrn, trim(row.rrn)),
        ];
        push_text_within(text, self.time.len(), room).map_err(|e| e.at(at()))?;
        self.settlement_date.push(row.settlement_date);
        self.time.push(time);
        self.amount_fen.push(amount_fen);
        self.fee.push(row.fee);
        self.net.push(row.net);
        self.channel.push(row.channel);
        self.kind.push(row.kind);
        self.line.push(row.line);
        Ok(())
    }

    /// Appends a batch of `rows` rows at once (the Python binding's path for a batch of an
    /// Arrow table): `row(i)` reads row `i` of the batch, which is checked and stored as
    /// [`Statement::push_row`] does; see [`Ledger::extend_rows`].
    ///
    /// # Errors
    /// The error `rejected` returns.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, TradeKind, parse_china_time, parse_date};
    /// use posfee::reconcile::{Statement, StatementRow};
    /// let fee = [Money::from_fen(60), Money::from_yuan(2_000_000_000)];
    /// let (date, time) = (parse_date("2026-05-07")?, parse_china_time("2026-05-06 10:00")?);
    /// let mut statement = Statement::new("statement");
    /// let stopped = statement.extend_rows(
    ///     fee.len(),
    ///     |i| Ok(StatementRow {
    ///         settlement_date: date, merchant_no: "102310058120001", merchant_name: "", terminal: "T0000001",
    ///         batch: "", rrn: "612610000001", time, amount: Money::from_yuan(100), fee: fee[i],
    ///         net: Money::from_yuan(100) - fee[i], channel: Channel::Credit, kind: TradeKind::Purchase, line: i as u64 + 1,
    ///     }),
    ///     |_, error| Err(error),
    /// );
    /// assert_eq!(stopped.unwrap_err().location().field.as_deref(), Some("fee"));
    /// assert_eq!(statement.len(), 1);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn extend_rows<'a>(
        &mut self,
        rows: usize,
        row: impl FnMut(usize) -> Result<StatementRow<'a>>,
        rejected: impl FnMut(&mut Statement, Error) -> Result<()>,
    ) -> Result<()> {
        self.reserve(rows, 0);
        extend_rows(self, rows, row, rejected, Statement::push_row, |statement| statement.text_columns().into())
    }

    /// The text columns.
    fn text_columns(&mut self) -> [&mut TextColumn; 5] {
        [&mut self.merchant_no, &mut self.merchant_name, &mut self.terminal, &mut self.batch, &mut self.rrn]
    }

    /// The bytes of text every text column still has room for (the least room of any; none
    /// in WebAssembly, whose pushes always ask the columns).
    pub(crate) fn text_room(&mut self) -> usize {
        if cfg!(target_arch = "wasm32") {
            return 0;
        }
        self.text_columns()
            .iter()
            .fold(TextColumn::MAX_BYTES, |room, column| room.min(TextColumn::MAX_BYTES.saturating_sub(column.text_len())))
    }

    /// Reserves room for the rest of a file read in blocks, from the rows read so far (see
    /// [`scaled`]): each column at the size it has per byte of the file read.
    pub(crate) fn reserve_rest(&mut self, read_bytes: usize, rest_bytes: usize) {
        for column in self.text_columns() {
            reserve_scaled(column, read_bytes, rest_bytes);
        }
        self.reserve_rows(scaled(self.len(), read_bytes, rest_bytes));
    }

    /// Reserves room for `rows` more rows in the columns that are not text.
    fn reserve_rows(&mut self, rows: usize) {
        self.settlement_date.reserve(rows);
        self.time.reserve(rows);
        self.amount_fen.reserve(rows);
        self.fee.reserve(rows);
        self.net.reserve(rows);
        self.channel.reserve(rows);
        self.kind.reserve(rows);
    }

    /// Reserves room for about `rows` rows with `text_bytes` of text over all text columns.
    pub(crate) fn reserve(&mut self, rows: usize, text_bytes: usize) {
        let columns = [
            (&mut self.merchant_no, 15),
            (&mut self.merchant_name, 12),
            (&mut self.terminal, 8),
            (&mut self.batch, 6),
            (&mut self.rrn, 12),
        ];
        for (column, share) in columns {
            column.reserve(rows, text_bytes * share / 53);
        }
        self.reserve_rows(rows);
    }

    /// Appends all rows and issues of `other` (a later part of the same input).
    ///
    /// # Errors
    /// When a text column would exceed [`TextColumn::MAX_BYTES`] (nothing is appended).
    ///
    /// `other` is left empty, with its room kept unless it was taken whole (as
    /// [`Ledger::append`] leaves its part).
    pub(crate) fn append(&mut self, other: &mut Statement) -> Result<()> {
        // The first part is taken whole, unless room for every row was reserved.
        if self.is_empty() && self.issues.is_empty() && self.skipped_rows == 0 && self.deductions.is_empty() && self.time.capacity() == 0 {
            let emptied = Statement::new(self.name.clone());
            *self = Statement { name: std::mem::take(&mut self.name), ..std::mem::replace(other, emptied) };
            // Values of one width without their offsets, so that the parts after this one
            // append their text alone.
            self.text_columns().into_iter().for_each(TextColumn::fixed_if_one_width);
            return Ok(());
        }
        append_text([
            (&mut self.merchant_no, &other.merchant_no),
            (&mut self.merchant_name, &other.merchant_name),
            (&mut self.terminal, &other.terminal),
            (&mut self.batch, &other.batch),
            (&mut self.rrn, &other.rrn),
        ])
        .map_err(|e| e.at(Location::default().file(self.name.clone())))?;
        self.skipped_rows += other.skipped_rows;
        self.deductions.append(&mut other.deductions);
        self.settlement_date.extend_from_slice(&other.settlement_date);
        self.time.extend_from_slice(&other.time);
        self.amount_fen.extend_from_slice(&other.amount_fen);
        self.fee.extend_from_slice(&other.fee);
        self.net.extend_from_slice(&other.net);
        self.channel.extend_from_slice(&other.channel);
        self.kind.extend_from_slice(&other.kind);
        self.line.append(&other.line);
        self.issues.append(&mut other.issues);
        other.clear();
        Ok(())
    }

    /// Moves every row, issue and deduction read from a file `by` lines down (as
    /// [`Ledger::shift_lines`]).
    pub(crate) fn shift_lines(&mut self, by: u64) {
        self.line.shift(by);
        self.issues.iter_mut().for_each(|issue| issue.error.shift_line(by));
        self.deductions.iter_mut().filter(|deduction| deduction.line != 0).for_each(|deduction| deduction.line += by);
    }

    /// Removes every row, issue and deduction, keeping the columns' room (the name stays).
    fn clear(&mut self) {
        for column in self.text_columns() {
            column.clear();
        }
        self.settlement_date.clear();
        self.time.clear();
        self.amount_fen.clear();
        self.fee.clear();
        self.net.clear();
        self.channel.clear();
        self.kind.clear();
        self.line.clear();
        self.issues.clear();
        self.skipped_rows = 0;
        self.deductions.clear();
    }

    /// Appends a deduction line (not a trade).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] for an amount that is not positive, has a fraction of a
    /// fen, or exceeds [`Money::MAX_AMOUNT`].
    ///
    /// # Example
    /// ```
    /// use posfee::{Money, parse_date};
    /// use posfee::reconcile::{Statement, StatementDeduction};
    /// let mut statement = Statement::new("s");
    /// let negative = StatementDeduction::new(parse_date("2026-11-02")?, Money::from_yuan(-99), "流量费");
    /// assert_eq!(statement.push_deduction(negative).unwrap_err().code(), "invalid_amount");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn push_deduction(&mut self, deduction: StatementDeduction) -> Result<()> {
        let at = Location::default().file(self.name.clone()).line(deduction.line.max(1)).field("amount");
        if deduction.amount <= Money::ZERO || deduction.amount.fen().is_none() || deduction.amount > Money::MAX_AMOUNT {
            let message =
                format!("a deduction of ¥{} is not a positive amount in whole fen up to ¥{}", deduction.amount, Money::MAX_AMOUNT);
            return Err(Error::new(ErrorKind::InvalidAmount, message).at(at));
        }
        self.deductions.push(deduction);
        Ok(())
    }

    /// The deduction lines (流量费, 服务费) read from the statement, in file order.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Statement::new("s").deductions().is_empty());
    /// ```
    pub fn deductions(&self) -> &[StatementDeduction] {
        &self.deductions
    }

    /// Records a line that could not be read (it will appear in the report as unreadable).
    ///
    /// # Example
    /// ```
    /// let mut statement = posfee::reconcile::Statement::new("s");
    /// statement.push_issue(posfee::Money::parse_amount("garbled").unwrap_err(), "x,y");
    /// assert_eq!(statement.issues().len(), 1);
    /// ```
    pub fn push_issue(&mut self, error: Error, raw: impl Into<String>) {
        let error = error.at(Location::default().file(self.name.clone()));
        self.issues.push(ReadIssue { side: Side::Statement, error, raw: raw.into() });
    }

    /// Row `index` as a record.
    ///
    /// # Panics
    /// When `index >= self.len()`.
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, parse_china_time, parse_date};
    /// # use posfee::reconcile::{Statement, StatementRecord};
    /// let mut statement = Statement::new("s");
    /// statement.push(StatementRecord::new(parse_date("2026-05-07")?, parse_china_time("2026-05-06")?, Money::from_yuan(1), Money::ZERO, Channel::Debit))?;
    /// assert_eq!(statement.record(0).channel, Channel::Debit);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn record(&self, index: usize) -> StatementRecord {
        StatementRecord {
            settlement_date: self.settlement_date[index],
            merchant_no: self.merchant_no.get(index).to_string(),
            merchant_name: self.merchant_name.get(index).to_string(),
            terminal: self.terminal.get(index).to_string(),
            batch: self.batch.get(index).to_string(),
            rrn: self.rrn.get(index).to_string(),
            time: from_unix(self.time[index]),
            amount: Money::from_fen(self.amount_fen[index]),
            fee: self.fee[index],
            net: self.net[index],
            channel: self.channel[index],
            kind: self.kind[index],
            line: self.line.get(index),
        }
    }

    /// The number of rows read (not counting [`issues`](Statement::issues)).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Statement::new("s").len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.amount_fen.len()
    }

    /// Whether the statement has no rows.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Statement::new("s").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.amount_fen.is_empty()
    }

    /// The rows a format profile skipped by rule because they are not the merchant's trades
    /// (a personal bill's own spending, neutral transfers, closed orders): counted, so that
    /// every line of a file is accounted for as a row, an issue, or a skipped row.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{read_statement, Profile};
    /// let profile = Profile::from_toml("name = \"p\"\ntitle = \"t\"\nsource = \"s\"\nchannel = \"wechat\"\n[fields]\ntrade_date = { names = [\"time\"] }\namount = { names = [\"amount\"] }\nfee = { names = [\"fee\"] }\ndirection = { names = [\"dir\"], map = { in = \"income\", out = \"expense\" } }\n")?;
    /// let statement = read_statement(b"time,amount,fee,dir\n2026-05-06 10:00:00,10.00,0,in\n2026-05-06 11:00:00,5.00,0,out\n", "bill.csv", &profile)?;
    /// assert_eq!((statement.len(), statement.skipped_rows()), (1, 1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn skipped_rows(&self) -> u64 {
        self.skipped_rows
    }

    /// The lines that could not be read.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Statement::new("s").issues().is_empty());
    /// ```
    pub fn issues(&self) -> &[ReadIssue] {
        &self.issues
    }

    /// The amount column, in fen.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Statement::new("s").amounts_fen().is_empty());
    /// ```
    pub fn amounts_fen(&self) -> &[i64] {
        &self.amount_fen
    }

    /// The reference number column.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Statement::new("s").rrns().is_empty());
    /// ```
    pub fn rrns(&self) -> &TextColumn {
        &self.rrn
    }

    /// The terminal id column.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Statement::new("s").terminals().is_empty());
    /// ```
    pub fn terminals(&self) -> &TextColumn {
        &self.terminal
    }

    /// The batch number column (批次号; empty values where the statement shows none).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Statement::new("s").batches().is_empty());
    /// ```
    pub fn batches(&self) -> &TextColumn {
        &self.batch
    }

    /// The 1-based line of each row in its source file (0 for rows built in code).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Statement::new("x").lines().is_empty());
    /// ```
    pub fn lines(&self) -> &LineColumn {
        &self.line
    }

    /// Approximate bytes held by the columns, for memory accounting.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Statement::new("s").heap_bytes(), 0);
    /// ```
    pub fn heap_bytes(&self) -> usize {
        let text = [&self.merchant_no, &self.merchant_name, &self.terminal, &self.batch, &self.rrn];
        text.iter().map(|c| c.heap_bytes()).sum::<usize>()
            + self.settlement_date.capacity() * 4
            + self.time.capacity() * 8
            + self.amount_fen.capacity() * 8
            + self.fee.capacity() * 8
            + self.net.capacity() * 8
            + self.channel.capacity()
            + self.kind.capacity()
            + self.line.heap_bytes()
    }
}

/// A ledger row borrowing its text: what the readers and the Python binding push with
/// [`Ledger::push_row`] (no allocation per row). The fields mean what they mean in
/// [`LedgerRecord`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerRow<'a, T = DateTime<FixedOffset>> {
    /// The merchant's own id of the trade.
    pub trade_id: &'a str,
    /// Reference number (参考号); may be empty.
    pub rrn: &'a str,
    /// Trace / voucher number (凭证号).
    pub trace: &'a str,
    /// Terminal id (终端号).
    pub terminal: &'a str,
    /// The merchant number the terminal printed.
    pub merchant_no: &'a str,
    /// Trade time: a date-time, or [`UnixSeconds`] (see [`RowTime`]).
    pub time: T,
    /// Trade amount (non-negative, whole fen).
    pub amount: Money,
    /// Payment channel.
    pub channel: Channel,
    /// Card type when known.
    pub card_type: Option<CardType>,
    /// Purchase, void or refund.
    pub kind: TradeKind,
    /// ISO 8583 field 39 (`00` approved).
    pub response_code: &'a str,
    /// For voids and refunds: the reference number of the purchase.
    pub original_rrn: &'a str,
    /// The 1-based line (or row) in the source; 0 when unknown.
    pub line: u64,
}

/// A statement row borrowing its text: what the readers and the Python binding push with
/// [`Statement::push_row`] (no allocation per row). The fields mean what they mean in
/// [`StatementRecord`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementRow<'a, T = DateTime<FixedOffset>> {
    /// 清算日期.
    pub settlement_date: NaiveDate,
    /// 商户号.
    pub merchant_no: &'a str,
    /// 商户名称 (may be empty).
    pub merchant_name: &'a str,
    /// 终端号.
    pub terminal: &'a str,
    /// 批次号 (may be empty).
    pub batch: &'a str,
    /// 参考号.
    pub rrn: &'a str,
    /// Trade time: a date-time, or [`UnixSeconds`] (see [`RowTime`]).
    pub time: T,
    /// Trade amount (non-negative, whole fen).
    pub amount: Money,
    /// Fee charged (negative when a fee is returned).
    pub fee: Money,
    /// Signed effect on the merchant's account.
    pub net: Money,
    /// Payment channel.
    pub channel: Channel,
    /// Purchase, void or refund.
    pub kind: TradeKind,
    /// The 1-based line (or row) in the source; 0 when unknown.
    pub line: u64,
}

#[cfg(test)]
mod tests {
    use super::{scaled, Statement, StatementRow};
    use crate::channel::Channel;
    use crate::money::Money;
    use crate::quote::TradeKind;
    use crate::text::trim;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    proptest! {
        /// A reader's counted room: a row whose trimmed values fit is pushed and the room
        /// loses exactly their bytes, one that does not spends it (the columns are then asked);
        /// the room never exceeds what every column has; the rows are those `push_row` pushes.
        #[test]
        fn a_counted_room_loses_each_rows_bytes_and_stays_within_every_columns_room(
            rows in prop::collection::vec(prop::array::uniform5(" ?[a-z0-9中]{0,14} ?"), 0..24),
            start in prop_oneof![Just(usize::MAX), 0usize..160],
        ) {
            let date = NaiveDate::from_ymd_opt(2026, 5, 7).unwrap_or_default();
            let (mut counted, mut plain) = (Statement::new("s"), Statement::new("s"));
            let mut room = start.min(counted.text_room());
            for (line, [merchant_no, merchant_name, terminal, batch, rrn]) in rows.iter().enumerate() {
                let row = StatementRow {
                    settlement_date: date, merchant_no, merchant_name, terminal, batch, rrn,
                    time: super::UnixSeconds(1_778_000_000 + line as i64), amount: Money::from_fen(100), fee: Money::from_fen(1),
                    net: Money::from_fen(99), channel: Channel::Debit, kind: TradeKind::Purchase, line: line as u64 + 1,
                };
                let bytes: usize = [merchant_no, merchant_name, terminal, batch, rrn].iter().map(|v| trim(v).len()).sum();
                let before = room;
                prop_assert!(counted.push_row_within(row, &mut room).is_ok());
                prop_assert!(plain.push_row(row).is_ok());
                prop_assert_eq!(room, before.saturating_sub(bytes), "a row of {} bytes", bytes);
                prop_assert!(room <= counted.text_room(), "room {} above the columns' {}", room, counted.text_room());
            }
            prop_assert_eq!(counted, plain);
        }
    }

    #[test]
    fn the_rest_of_a_file_is_reserved_at_the_sizes_of_the_part_read() {
        // 100 rows in the first 10 bytes: 900 more in the next 90, an eighth more, and 16.
        assert_eq!(scaled(100, 10, 90), 900 + 112 + 16);
        assert_eq!(scaled(100, 10, 0), 16, "nothing left to read");
        assert_eq!(scaled(0, 0, 1_000), 16, "nothing read: no sample");
        assert_eq!(scaled(usize::MAX, 1, usize::MAX), usize::MAX, "no overflow");
    }
}

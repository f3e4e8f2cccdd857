//! Quoting a whole table of trades: columns in, columns out, with the rules of
//! [`Schedule::quote_with`] row for row.
//!
//! The table is cut into pieces on which the schedule's choices cannot change: time spans
//! between version starts and rule windows, and amount spans between rule bands and
//! instant-payout minimums. For each piece that occurs, the schedule's own rule choice and
//! settlement fallback ([`Schedule::quote_with`]'s code) run once, on the piece's first
//! trade, and compile to a [`Lane`]; every row of the piece is then priced by the lane's
//! integer arithmetic. Rows that a lane cannot price (two surcharges at once) and rows with
//! an error go through [`Schedule::quote_with`] itself, so a row's error is the scalar one.

use chrono::{DateTime, FixedOffset, NaiveDate};
use compact_str::CompactString;

use crate::calendar::Calendar;
use crate::channel::{CardType, Channel};
use crate::error::{Error, ErrorKind, Result};
#[cfg(feature = "arrow")]
use crate::lane::FenLane;
use crate::lane::{with_round_rate, Lane, RoundRate, AMOUNT_FEN_MAX};
use crate::money::{Money, MILLIFEN_PER_FEN};
use crate::quote::{card_type_of, settlement_mode, settles_on, CalendarPolicy, Limit, Quote, QuoteRequest};
use crate::schedule::{Matchable, Schedule, Version};
use crate::settlement::{china_offset, SettlementMode};

/// The canonical names of a table of trades, in order: `amount` (yuan; whole fen),
/// `channel`, `time` (China time unless an offset is given), `settlement`, `merchant_class`,
/// `card_type`. The first three are required; the others default to T1, no class and the
/// channel's own card type. Every surface (Rust, Python, JavaScript, the CLI) reads these.
///
/// # Example
/// ```
/// assert_eq!(posfee::TRADE_COLUMNS[0], "amount");
/// ```
pub const TRADE_COLUMNS: [&str; 6] = ["amount", "channel", "time", "settlement", "merchant_class", "card_type"];

/// The canonical names of the columns [`Schedule::quote_table`] adds, in order; every
/// surface writes these (see [`QuotedTable::row_cells`] for their text form).
///
/// # Example
/// ```
/// assert_eq!(posfee::QUOTED_COLUMNS, ["fee", "net", "rule", "limit", "settlement_applied", "trade_day", "settles_on", "warnings", "error"]);
/// ```
pub const QUOTED_COLUMNS: [&str; 9] = ["fee", "net", "rule", "limit", "settlement_applied", "trade_day", "settles_on", "warnings", "error"];

/// The most rows one table may have.
///
/// # Example
/// ```
/// assert_eq!(posfee::TABLE_ROWS_MAX, 1_000_000_000);
/// ```
pub const TABLE_ROWS_MAX: usize = 1_000_000_000;

/// The most merchant-class names one table may have.
///
/// # Example
/// ```
/// assert_eq!(posfee::MERCHANT_CLASS_NAMES_MAX, 1024);
/// ```
pub const MERCHANT_CLASS_NAMES_MAX: usize = 1024;

/// A column of a table: one value per row, or one value for every row.
///
/// # Example
/// ```
/// use posfee::{Channel, Column};
/// let each = Column::Each(&[Channel::Credit, Channel::Debit][..]);
/// assert_eq!(each.get(1), Channel::Debit);
/// assert_eq!(Column::All(Channel::Wechat).get(7), Channel::Wechat);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column<'a, T> {
    /// The same value in every row.
    All(T),
    /// One value per row.
    Each(&'a [T]),
}

impl<T: Copy> Column<'_, T> {
    /// The value of `row` (`row` must be within the column).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Column::Each(&[3, 4][..]).get(0), 3);
    /// ```
    #[inline(always)]
    pub fn get(&self, row: usize) -> T {
        match self {
            Column::All(value) => *value,
            Column::Each(values) => values[row],
        }
    }

    /// The number of values, `None` for [`Column::All`].
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Column::All(1).len(), None);
    /// assert_eq!(posfee::Column::Each(&[1, 2][..]).len(), Some(2));
    /// ```
    pub fn len(&self) -> Option<usize> {
        match self {
            Column::All(_) => None,
            Column::Each(values) => Some(values.len()),
        }
    }

    /// Whether the column holds no value ([`Column::Each`] of an empty slice).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Column::<i64>::Each(&[]).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

/// A table of trades as columns. Amounts are whole fen (the row count is their number),
/// times are seconds since the Unix epoch (UTC; sub-second parts dropped, rule boundaries
/// are whole seconds), merchant classes are codes into `merchant_class_names` (an empty
/// name is no class, the standard rates). Build it with [`TradeTable::new`] and the setters.
///
/// # Example
/// ```
/// use posfee::{Channel, Column, SettlementMode, TradeTable};
/// let amounts = [10_000, 500_000];
/// let channels = [Channel::Credit, Channel::Debit];
/// let table = TradeTable::new(&amounts, Column::Each(&channels), Column::All(1_778_040_000))
///     .settlement(Column::All(SettlementMode::D(0)));
/// assert_eq!(table.rows(), 2);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TradeTable<'a> {
    /// Trade amounts in fen.
    pub amount_fen: &'a [i64],
    /// Channels.
    pub channel: Column<'a, Channel>,
    /// Trade times, seconds since 1970-01-01T00:00:00Z.
    pub time_unix_s: Column<'a, i64>,
    /// Requested settlement modes.
    pub settlement: Column<'a, SettlementMode>,
    /// Merchant classes, as indices into `merchant_class_names`.
    pub merchant_class: Column<'a, u32>,
    /// The merchant-class names the codes refer to (`""`: no class).
    pub merchant_class_names: &'a [&'a str],
    /// Card types behind QR and NFC payments (`None`: the channel's own, or unknown).
    pub card_type: Column<'a, Option<CardType>>,
}

impl<'a> TradeTable<'a> {
    /// A table settling T1, without merchant classes or card types.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Column, TradeTable};
    /// let table = TradeTable::new(&[100], Column::All(Channel::Wechat), Column::All(0));
    /// assert_eq!(table.rows(), 1);
    /// ```
    pub fn new(amount_fen: &'a [i64], channel: Column<'a, Channel>, time_unix_s: Column<'a, i64>) -> TradeTable<'a> {
        TradeTable {
            amount_fen,
            channel,
            time_unix_s,
            settlement: Column::All(SettlementMode::T(1)),
            merchant_class: Column::All(0),
            merchant_class_names: &[""],
            card_type: Column::All(None),
        }
    }

    /// Sets the settlement column.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Column, SettlementMode, TradeTable};
    /// let table = TradeTable::new(&[100], Column::All(Channel::Debit), Column::All(0)).settlement(Column::All(SettlementMode::S0));
    /// assert_eq!(table.settlement.get(0), SettlementMode::S0);
    /// ```
    pub fn settlement(mut self, settlement: Column<'a, SettlementMode>) -> TradeTable<'a> {
        self.settlement = settlement;
        self
    }

    /// Sets the merchant classes: codes into `names` (`""` is no class).
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Column, TradeTable};
    /// let table = TradeTable::new(&[100, 200], Column::All(Channel::Debit), Column::All(0))
    ///     .merchant_class(&["", "discounted"], Column::Each(&[0, 1]));
    /// assert_eq!(table.merchant_class.get(1), 1);
    /// ```
    pub fn merchant_class(mut self, names: &'a [&'a str], codes: Column<'a, u32>) -> TradeTable<'a> {
        self.merchant_class_names = names;
        self.merchant_class = codes;
        self
    }

    /// Sets the card types.
    ///
    /// # Example
    /// ```
    /// use posfee::{CardType, Channel, Column, TradeTable};
    /// let table = TradeTable::new(&[100], Column::All(Channel::UnionpayQr), Column::All(0)).card_type(Column::All(Some(CardType::Debit)));
    /// assert_eq!(table.card_type.get(0), Some(CardType::Debit));
    /// ```
    pub fn card_type(mut self, card_type: Column<'a, Option<CardType>>) -> TradeTable<'a> {
        self.card_type = card_type;
        self
    }

    /// The number of rows.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Column, TradeTable};
    /// assert_eq!(TradeTable::new(&[], Column::All(Channel::Debit), Column::All(0)).rows(), 0);
    /// ```
    pub fn rows(&self) -> usize {
        self.amount_fen.len()
    }

    /// The request [`Schedule::quote_with`] gets for `row`, with `policy`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] for an amount beyond [`Money::MAX`];
    /// [`ErrorKind::InvalidDate`] for a time beyond the dates chrono represents;
    /// [`ErrorKind::InvalidRequest`] for a merchant-class code without a name; each naming
    /// the row and field.
    ///
    /// # Example
    /// ```
    /// use posfee::{CalendarPolicy, Channel, Column, TradeTable};
    /// let table = TradeTable::new(&[100], Column::All(Channel::Debit), Column::All(0));
    /// assert_eq!(table.request(0, CalendarPolicy::Strict)?.at.to_rfc3339(), "1970-01-01T08:00:00+08:00");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn request(&self, row: usize, policy: CalendarPolicy) -> Result<QuoteRequest> {
        let amount = Money::try_from_fen(self.amount_fen[row]).map_err(|e| row_error(row, "amount", e))?;
        let time = self.time_unix_s.get(row);
        let at = DateTime::from_timestamp(time, 0).map(|utc| utc.with_timezone(&china_offset())).ok_or_else(|| {
            row_error(row, "time", Error::new(ErrorKind::InvalidDate, format!("time {time} s after 1970 is out of range")))
        })?;
        let mut request = QuoteRequest::new(amount, self.channel.get(row), at).settlement(self.settlement.get(row)).calendar_policy(policy);
        request.card_type = self.card_type.get(row);
        let code = self.merchant_class.get(row);
        let name = self.merchant_class_names.get(code as usize).ok_or_else(|| {
            row_error(
                row,
                "merchant_class",
                Error::new(
                    ErrorKind::InvalidRequest,
                    format!("merchant class code {code} has no name ({} names)", self.merchant_class_names.len()),
                ),
            )
        })?;
        if !name.is_empty() {
            request = request.merchant_class(*name);
        }
        Ok(request)
    }

    fn check(&self) -> Result<()> {
        let rows = self.rows();
        if rows > TABLE_ROWS_MAX {
            return Err(Error::new(ErrorKind::InvalidRequest, format!("{rows} rows is more than the limit of {TABLE_ROWS_MAX}")));
        }
        let lengths = [
            ("channel", self.channel.len()),
            ("time", self.time_unix_s.len()),
            ("settlement", self.settlement.len()),
            ("merchant_class", self.merchant_class.len()),
            ("card_type", self.card_type.len()),
        ];
        for (field, length) in lengths {
            if let Some(length) = length.filter(|&length| length != rows) {
                return Err(Error::new(ErrorKind::InvalidRequest, format!("the {field} column has {length} values for {rows} amounts"))
                    .in_field(field));
            }
        }
        if self.merchant_class_names.len() > MERCHANT_CLASS_NAMES_MAX {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("{} merchant-class names is more than the limit of {MERCHANT_CLASS_NAMES_MAX}", self.merchant_class_names.len()),
            )
            .in_field("merchant_class"));
        }
        Ok(())
    }
}

/// What a table quote does with a row that cannot be quoted.
///
/// # Example
/// ```
/// assert_eq!(posfee::OnInvalid::default(), posfee::OnInvalid::Raise);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnInvalid {
    /// Stop with the first bad row's error (naming the row and field).
    #[default]
    Raise,
    /// Keep going: the row's error goes to [`QuotedTable::errors`], its cells are empty.
    Report,
}

impl OnInvalid {
    /// `raise` or `report` (every surface's `on_invalid` / `--on-invalid`).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] naming the value and the field `on_invalid`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::OnInvalid::parse("report")?, posfee::OnInvalid::Report);
    /// let error = posfee::OnInvalid::parse("skip").unwrap_err();
    /// assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_request", Some("on_invalid")));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<OnInvalid> {
        match text {
            "raise" => Ok(OnInvalid::Raise),
            "report" => Ok(OnInvalid::Report),
            other => {
                let shown = crate::error::shown(other);
                Err(Error::new(ErrorKind::InvalidRequest, format!("on_invalid {shown:?} is not 'raise' or 'report'"))
                    .in_field("on_invalid"))
            }
        }
    }
}

/// Options of [`Schedule::quote_table`].
///
/// # Example
/// ```
/// let options = posfee::TableOptions { on_invalid: posfee::OnInvalid::Report, ..Default::default() };
/// assert_eq!(options.calendar_policy, posfee::CalendarPolicy::Strict);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableOptions {
    /// Stop at a bad row, or report it and go on.
    pub on_invalid: OnInvalid,
    /// Settlement dates beyond the calendar data: an error, or provisional (weekends only).
    pub calendar_policy: CalendarPolicy,
}

/// Notes on a quoted row, as flags.
///
/// # Example
/// ```
/// use posfee::Warnings;
/// let both = Warnings::FEE_EXCEEDS_AMOUNT.with(Warnings::PROVISIONAL);
/// assert_eq!(both.to_string(), "fee_exceeds_amount;provisional");
/// assert!(Warnings::NONE.is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Warnings(u8);

impl Warnings {
    /// No warning.
    pub const NONE: Warnings = Warnings(0);
    /// The fee exceeds the amount: the net is negative ([`Quote::fee_exceeds_amount`]).
    pub const FEE_EXCEEDS_AMOUNT: Warnings = Warnings(1);
    /// The amount is below an instant-payout minimum: the trade settles in the fallback mode
    /// ([`Quote::instant_minimum`]).
    pub const SETTLEMENT_FELL_BACK: Warnings = Warnings(2);
    /// The trade day is in the last month of the calendar data ([`Quote::calendar_data_ends`]).
    pub const CALENDAR_DATA_ENDS: Warnings = Warnings(4);
    /// The settlement date counted weekends only, beyond the data ([`Quote::settles_on_provisional`]).
    pub const PROVISIONAL: Warnings = Warnings(8);
    const NAMES: [(Warnings, &'static str); 4] = [
        (Warnings::FEE_EXCEEDS_AMOUNT, "fee_exceeds_amount"),
        (Warnings::SETTLEMENT_FELL_BACK, "settlement_fell_back"),
        (Warnings::CALENDAR_DATA_ENDS, "calendar_data_ends"),
        (Warnings::PROVISIONAL, "provisional"),
    ];

    /// These warnings and `other`.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Warnings::NONE.with(posfee::Warnings::PROVISIONAL).contains(posfee::Warnings::PROVISIONAL));
    /// ```
    pub const fn with(self, other: Warnings) -> Warnings {
        Warnings(self.0 | other.0)
    }

    /// Whether every warning of `other` is set.
    ///
    /// # Example
    /// ```
    /// assert!(!posfee::Warnings::NONE.contains(posfee::Warnings::PROVISIONAL));
    /// ```
    pub const fn contains(self, other: Warnings) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether no warning is set.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Warnings::default().is_empty());
    /// ```
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The names of the warnings set, in a fixed order.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Warnings::CALENDAR_DATA_ENDS.names().collect::<Vec<_>>(), ["calendar_data_ends"]);
    /// ```
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Warnings::NAMES.into_iter().filter(move |(flag, _)| self.contains(*flag)).map(|(_, name)| name)
    }

    /// The warnings of a scalar quote.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, QuoteRequest, Schedule, SettlementMode, Warnings, parse_china_time};
    /// let quote = Schedule::preset("standard-d0")?.quote(
    ///     &QuoteRequest::new(Money::from_yuan(1), Channel::Debit, parse_china_time("2026-05-06 10:00")?).settlement(SettlementMode::D(0)),
    /// )?;
    /// assert_eq!(Warnings::of(&quote), Warnings::FEE_EXCEEDS_AMOUNT);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn of(quote: &Quote) -> Warnings {
        let flag = |set: bool, flag: Warnings| if set { flag } else { Warnings::NONE };
        flag(quote.fee_exceeds_amount, Warnings::FEE_EXCEEDS_AMOUNT)
            .with(flag(quote.instant_minimum.is_some(), Warnings::SETTLEMENT_FELL_BACK))
            .with(flag(quote.calendar_data_ends.is_some(), Warnings::CALENDAR_DATA_ENDS))
            .with(flag(quote.settles_on_provisional, Warnings::PROVISIONAL))
    }
}

impl std::fmt::Display for Warnings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (k, name) in self.names().enumerate() {
            if k > 0 {
                f.write_str(";")?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

/// A row that could not be quoted: its index (from 0) and its error, whose message starts
/// with `row N:` and whose location names the field.
///
/// # Example
/// ```
/// use posfee::{Channel, Column, OnInvalid, Schedule, TableOptions, TradeTable};
/// let table = TradeTable::new(&[100, -5], Column::All(Channel::Debit), Column::All(1_778_040_000));
/// let quoted = Schedule::preset("standard")?.quote_table(&table, &TableOptions { on_invalid: OnInvalid::Report, ..Default::default() })?;
/// assert_eq!(quoted.errors[0].row, 1);
/// assert_eq!(quoted.errors[0].error.code(), "invalid_amount");
/// assert_eq!(quoted.errors[0].error.location().field.as_deref(), Some("amount"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row, from 0.
    pub row: usize,
    /// The error.
    pub error: Error,
}

impl RowError {
    /// The error of a table's `row` from reading its values (an amount, a channel, a time
    /// given as text): `row N:` before the message, as the table's own errors say it.
    ///
    /// # Example
    /// ```
    /// let error = posfee::Money::parse_amount("12.345").unwrap_err().in_field("amount");
    /// let bad = posfee::RowError::reading(3, error);
    /// assert!(bad.error.message().starts_with("row 3: "));
    /// assert_eq!(bad.error.location().field.as_deref(), Some("amount"));
    /// ```
    pub fn reading(row: usize, error: Error) -> RowError {
        let location = error.location().clone();
        RowError { row, error: Error::new(error.kind(), format!("row {row}: {}", error.message())).at(location) }
    }

    /// The same error told as row `to` of another numbering (the caller's rows before it left
    /// some out): the row and the first `row N:` of the message.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Column, OnInvalid, Schedule, TableOptions, TradeTable};
    /// let table = TradeTable::new(&[-5], Column::All(Channel::Debit), Column::All(1_778_040_000));
    /// let options = TableOptions { on_invalid: OnInvalid::Report, ..Default::default() };
    /// let quoted = Schedule::preset("standard")?.quote_table(&table, &options)?;
    /// let moved = quoted.errors[0].clone().renumbered(7);
    /// assert_eq!(moved.row, 7);
    /// assert!(moved.error.message().starts_with("row 7: "));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn renumbered(self, to: usize) -> RowError {
        let location = self.error.location().clone();
        let message = self.error.message().replacen(&format!("row {}: ", self.row), &format!("row {to}: "), 1);
        RowError { row: to, error: Error::new(self.error.kind(), message).at(location) }
    }

    /// The error without its `row N:`, for a caller that names the row its own way (a line of
    /// its file, given with [`Error::at`]).
    ///
    /// # Example
    /// ```
    /// let error = posfee::Money::parse_amount("x").unwrap_err();
    /// let bad = posfee::RowError::reading(0, error.clone());
    /// assert_eq!(bad.unnumbered().message(), error.message());
    /// ```
    pub fn unnumbered(self) -> Error {
        let location = self.error.location().clone();
        let message = self.error.message().replacen(&format!("row {}: ", self.row), "", 1);
        Error::new(self.error.kind(), message).at(location)
    }
}

/// The quoted columns of a table ([`QUOTED_COLUMNS`]), one value per input row. The cells of
/// a row in [`errors`](QuotedTable::errors) are zero, empty or the epoch date; use
/// [`QuotedTable::is_valid`].
///
/// # Example
/// ```
/// use posfee::{Channel, Column, Schedule, TableOptions, TradeTable};
/// let amounts = [500_000]; // ¥5000
/// let table = TradeTable::new(&amounts, Column::All(Channel::Debit), Column::All(1_790_778_600)); // 2026-09-30 22:30 China
/// let quoted = Schedule::preset("sft-traditional")?.quote_table(&table, &TableOptions::default())?;
/// assert_eq!(quoted.fee[0].to_string(), "20.00");
/// assert_eq!(quoted.rule_id(0), "debit");
/// assert_eq!(quoted.settles_on[0].to_string(), "2026-10-08");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuotedTable {
    /// The fee of each row.
    pub fee: Vec<Money>,
    /// What the merchant receives: amount − fee (negative when the fee exceeds the amount).
    pub net: Vec<Money>,
    /// The rule that priced each row, as an index into `rule_ids`.
    pub rule: Vec<u32>,
    /// The rule ids the `rule` column refers to.
    pub rule_ids: Vec<CompactString>,
    /// The cap or floor that changed the rate fee, if any.
    pub limit: Vec<Option<Limit>>,
    /// The settlement mode applied (differs from the requested one below an instant-payout minimum).
    pub settlement_applied: Vec<SettlementMode>,
    /// The trade day (after the acquirer's cut-off).
    pub trade_day: Vec<NaiveDate>,
    /// The day the money arrives.
    pub settles_on: Vec<NaiveDate>,
    /// Notes on each row.
    pub warnings: Vec<Warnings>,
    /// The rows that could not be quoted, by row (only with [`OnInvalid::Report`]).
    pub errors: Vec<RowError>,
}

const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(date) => date,
    None => panic!("1970-01-01 is a date"),
};
const NO_RULE: u32 = u32::MAX;

impl QuotedTable {
    /// The rule id of `row` (empty for a row with an error).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::QuotedTable::default().rule_ids.len(), 0);
    /// ```
    pub fn rule_id(&self, row: usize) -> &str {
        self.rule_ids.get(self.rule[row] as usize).map_or("", |id| id.as_str())
    }

    /// Whether `row` was quoted (it is not in [`errors`](QuotedTable::errors)).
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Column, OnInvalid, Schedule, TableOptions, TradeTable};
    /// let table = TradeTable::new(&[100, -1], Column::All(Channel::Credit), Column::All(1_778_040_000));
    /// let quoted = Schedule::preset("standard")?.quote_table(&table, &TableOptions { on_invalid: OnInvalid::Report, ..Default::default() })?;
    /// assert!(quoted.is_valid(0) && !quoted.is_valid(1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn is_valid(&self, row: usize) -> bool {
        self.rule[row] != NO_RULE
    }

    /// The error of `row`, if it has one.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::QuotedTable::default().error(0).is_none());
    /// ```
    pub fn error(&self, row: usize) -> Option<&Error> {
        self.errors.binary_search_by_key(&row, |e| e.row).ok().map(|k| &self.errors[k].error)
    }

    /// The text of `row`'s cells, in the order of [`QUOTED_COLUMNS`]: money in yuan at the
    /// schedule's scale, `cap`/`floor`/empty, dates as `YYYY-MM-DD`, warnings joined by `;`,
    /// and the error as `code: message`. Every surface writes these texts.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Column, Schedule, TableOptions, TradeTable};
    /// let table = TradeTable::new(&[500_000], Column::All(Channel::Debit), Column::All(1_790_778_600));
    /// let quoted = Schedule::preset("sft-traditional")?.quote_table(&table, &TableOptions::default())?;
    /// assert_eq!(quoted.row_cells(0), ["20.00", "4980.00", "debit", "cap", "T1", "2026-09-30", "2026-10-08", "", ""]);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn row_cells(&self, row: usize) -> [String; 9] {
        if let Some(error) = self.error(row) {
            let mut cells: [String; 9] = Default::default();
            cells[8] = format!("{}: {}", error.code(), error.message());
            return cells;
        }
        [
            self.fee[row].to_string(),
            self.net[row].to_string(),
            self.rule_id(row).to_string(),
            self.limit[row].map_or("", Limit::name).to_string(),
            self.settlement_applied[row].to_string(),
            self.trade_day[row].to_string(),
            self.settles_on[row].to_string(),
            self.warnings[row].to_string(),
            String::new(),
        ]
    }

    /// Empties every column, keeping its memory.
    fn clear(&mut self) {
        self.fee.clear();
        self.net.clear();
        self.rule.clear();
        self.rule_ids.clear();
        self.limit.clear();
        self.settlement_applied.clear();
        self.trade_day.clear();
        self.settles_on.clear();
        self.warnings.clear();
        self.errors.clear();
    }

    /// Room for `rows` more rows in every column.
    fn reserve(&mut self, rows: usize) {
        self.fee.reserve(rows);
        self.net.reserve(rows);
        self.rule.reserve(rows);
        self.limit.reserve(rows);
        self.settlement_applied.reserve(rows);
        self.trade_day.reserve(rows);
        self.settles_on.reserve(rows);
        self.warnings.reserve(rows);
    }

    /// Appends the cells of a row priced later (the fee alone without `DATES`).
    fn push_placeholder<const DATES: bool>(&mut self) {
        self.fee.push(Money::ZERO);
        if DATES {
            self.net.push(Money::ZERO);
            self.rule.push(NO_RULE);
            self.limit.push(None);
            self.settlement_applied.push(SettlementMode::T(1));
            self.trade_day.push(EPOCH);
            self.settles_on.push(EPOCH);
            self.warnings.push(Warnings::NONE);
        }
    }

    /// Writes a scalar answer into `row` (the fee alone without `DATES`).
    fn set<const DATES: bool>(&mut self, row: usize, amount_fen: i64, quote: &RowQuote) {
        self.fee[row] = Money::from_millifen_unchecked(quote.fee_millifen);
        if DATES {
            self.net[row] = Money::from_millifen_unchecked(amount_fen * MILLIFEN_PER_FEN - quote.fee_millifen);
            self.rule[row] = quote.rule;
            self.limit[row] = quote.limit;
            self.settlement_applied[row] = quote.settlement;
            self.trade_day[row] = quote.trade_day;
            self.settles_on[row] = quote.settles_on;
            self.warnings[row] = quote.warnings;
        }
    }
}

/// One row's answer from the scalar quote.
struct RowQuote {
    fee_millifen: i64,
    rule: u32,
    limit: Option<Limit>,
    settlement: SettlementMode,
    trade_day: NaiveDate,
    settles_on: NaiveDate,
    warnings: Warnings,
}

/// The error of a row: `row N:` before the message, the field in the location.
fn row_error(row: usize, field: &str, error: Error) -> Error {
    let error = if error.location().field.is_none() { error.in_field(field) } else { error };
    RowError::reading(row, error).error
}

/// The field an error of [`Schedule::quote_with`] comes from.
fn field_of(kind: ErrorKind, message: &str) -> &'static str {
    match kind {
        ErrorKind::InvalidAmount => "amount",
        ErrorKind::NoScheduleVersion | ErrorKind::CalendarOutOfRange | ErrorKind::InvalidDate => "time",
        ErrorKind::InvalidSettlement => "settlement",
        ErrorKind::InvalidRequest if message.starts_with("card type") => "card_type",
        ErrorKind::InvalidRequest if message.contains("merchant class") => "merchant_class",
        _ => "channel",
    }
}

/// How the rows of one piece are priced.
#[derive(Debug, Clone, Copy)]
enum Price {
    /// By a lane: the rule, its limit-free lane, the applied mode and whether it fell back.
    Lane { lane: Lane, rule: u32, settlement: SettlementMode, fell_back: bool },
    /// By [`Schedule::quote_with`] (an error, or a case a lane does not hold).
    Scalar,
}

/// The amount spans of one (time span, channel, mode, class, card type): `(first fen, price)`.
#[derive(Debug, Clone)]
struct Plan {
    spans: Vec<(i64, Price)>,
}

impl Plan {
    #[inline(always)]
    fn price(&self, amount_fen: i64) -> &Price {
        // Few spans (usually one): scan from the top.
        let mut k = self.spans.len() - 1;
        while self.spans[k].0 > amount_fen {
            k -= 1;
        }
        &self.spans[k].1
    }
}

/// Settlement modes as small codes: T0–T60, D0–D60, S0.
const MODE_CODES: usize = 2 * (SettlementMode::MAX_DAYS as usize + 1) + 1;

fn mode_code(mode: SettlementMode) -> Option<usize> {
    let max = usize::from(SettlementMode::MAX_DAYS);
    match mode {
        SettlementMode::T(n) if usize::from(n) <= max => Some(usize::from(n)),
        SettlementMode::D(n) if usize::from(n) <= max => Some(max + 1 + usize::from(n)),
        SettlementMode::S0 => Some(MODE_CODES - 1),
        _ => None,
    }
}

/// The smallest whole second at or after `at`.
fn ceil_seconds(at: DateTime<FixedOffset>) -> i64 {
    at.timestamp() + i64::from(at.timestamp_subsec_nanos() > 0)
}

/// The starts of a schedule's time spans (whole seconds, ascending): where a version takes
/// effect and where a rule starts or stops applying. Within a span, a trade's fee depends on
/// its amount, channel, mode, class and card type alone (not on its time).
pub(crate) fn span_starts_s(schedule: &Schedule) -> Vec<i64> {
    let mut starts_s: Vec<i64> = Vec::new();
    for version in schedule.versions() {
        insert_sorted(&mut starts_s, ceil_seconds(version.effective_from()));
        for rule in version.rules() {
            for bound in [rule.valid_from(), rule.valid_until()].into_iter().flatten() {
                insert_sorted(&mut starts_s, ceil_seconds(bound));
            }
        }
    }
    starts_s
}

/// The span of `time_s` among spans starting at `starts_s` ([`span_starts_s`]): its index
/// and bounds `[low, high)` (span k is `[starts[k-1], starts[k])`, span 0 everything before
/// `starts[0]`).
fn span_of(starts_s: &[i64], time_s: i64) -> (usize, i64, i64) {
    let span = starts_s.partition_point(|&start| start <= time_s);
    let low = if span == 0 { i64::MIN } else { starts_s[span - 1] };
    let high = starts_s.get(span).copied().unwrap_or(i64::MAX);
    (span, low, high)
}

/// The times `[low, high)` (seconds since 1970) in the span of `time_s` that the crate reads
/// (the years 1 to 9999): rows at any of them are priced alike; `None` when `time_s` is not
/// one of those times.
pub(crate) fn fee_span_s(starts_s: &[i64], time_s: i64) -> Option<(i64, i64)> {
    let (_, low, high) = span_of(starts_s, time_s);
    let (low_s, high_s) = (low.max(TIME_MIN_S), high.min(TIME_MAX_S + 1));
    (low_s..high_s).contains(&time_s).then_some((low_s, high_s))
}

/// Seconds of the years 1 to 9999 (the dates the crate reads and prints).
const TIME_MIN_S: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
const TIME_MAX_S: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
const CHINA_OFFSET_S: i64 = 8 * 3600;
const DAY_S: i64 = 86_400;

/// A schedule compiled for one table: time spans, interned modes and rules, and the plans
/// built so far.
struct Compiled<'s> {
    schedule: &'s Schedule,
    calendar: &'s Calendar,
    policy: CalendarPolicy,
    class_names: Vec<Option<&'s str>>,
    /// Starts of the time spans (whole seconds, ascending): span k is
    /// `[starts[k-1], starts[k])`, span 0 everything before `starts[0]`.
    starts_s: Vec<i64>,
    /// Per settlement-mode code, its dense index (`u8::MAX`: not seen).
    mode_index: [u8; MODE_CODES],
    modes: Vec<SettlementMode>,
    /// Per time span, the plan index of each (channel, mode, class, card type), built lazily.
    tables: Vec<Vec<u32>>,
    plans: Vec<Plan>,
    /// Per plan, its first amount span's price and where the next span starts (the one a
    /// row needs, without going through the plan, in the common case of a single span).
    firsts: Vec<(Price, i64)>,
    rule_ids: Vec<CompactString>,
    cutoff_s: i64,
}

const NOT_BUILT: u32 = u32::MAX;
const CARD_TYPES: usize = 3;

impl<'s> Compiled<'s> {
    fn new(schedule: &'s Schedule, calendar: &'s Calendar, policy: CalendarPolicy, table: &TradeTable<'s>) -> Compiled<'s> {
        let starts_s = span_starts_s(schedule);
        let mut mode_index = [u8::MAX; MODE_CODES];
        let mut modes = Vec::new();
        let mut see = |mode: SettlementMode| {
            if let Some(code) = mode_code(mode) {
                if mode_index[code] == u8::MAX {
                    mode_index[code] = modes.len() as u8;
                    modes.push(mode);
                }
            }
        };
        match table.settlement {
            Column::All(mode) => see(mode),
            Column::Each(column) => {
                let mut seen = [false; MODE_CODES];
                for &mode in column {
                    if let Some(code) = mode_code(mode) {
                        if !seen[code] {
                            seen[code] = true;
                            see(mode);
                        }
                    }
                }
            }
        }
        let class_names = table.merchant_class_names.iter().map(|name| (!name.is_empty()).then_some(*name)).collect();
        Compiled {
            schedule,
            calendar,
            policy,
            class_names,
            tables: vec![Vec::new(); starts_s.len() + 1],
            starts_s,
            mode_index,
            modes,
            plans: Vec::new(),
            firsts: Vec::new(),
            rule_ids: Vec::new(),
            cutoff_s: i64::from(schedule.cutoff().seconds()),
        }
    }

    fn keys_per_span(&self) -> usize {
        Channel::ALL.len() * self.modes.len().max(1) * self.class_names.len().max(1) * CARD_TYPES
    }

    #[inline(always)]
    fn key(&self, channel: Channel, mode: usize, class: usize, card_type: Option<CardType>) -> usize {
        let card = match card_type {
            None => 0,
            Some(CardType::Credit) => 1,
            Some(CardType::Debit) => 2,
        };
        ((channel as usize * self.modes.len() + mode) * self.class_names.len() + class) * CARD_TYPES + card
    }

    /// The span of `time_s`: its index and bounds `[low, high)`.
    fn span_of(&self, time_s: i64) -> (usize, i64, i64) {
        span_of(&self.starts_s, time_s)
    }

    fn intern_rule(&mut self, id: &CompactString) -> u32 {
        // Few rule ids a table: a scan (no hashing code in the WebAssembly build).
        if let Some(index) = self.rule_ids.iter().position(|known| known == id) {
            return index as u32;
        }
        self.rule_ids.push(id.clone());
        (self.rule_ids.len() - 1) as u32
    }

    /// The plan of a key in a time span: the schedule's choices on each amount span.
    fn build(&mut self, span: usize, channel: Channel, mode: usize, class: usize, card_type: Option<CardType>) -> u32 {
        let representative = if span == 0 { self.starts_s.first().map_or(0, |s| s.saturating_sub(1)) } else { self.starts_s[span - 1] };
        let plan = match DateTime::from_timestamp(representative, 0) {
            Some(utc) => self.plan(utc.with_timezone(&china_offset()), channel, self.modes[mode], self.class_names[class], card_type),
            None => Plan { spans: vec![(0, Price::Scalar)] },
        };
        let first = (plan.spans[0].1, plan.spans.get(1).map_or(i64::MAX, |next| next.0));
        self.firsts.push(first);
        self.plans.push(plan);
        (self.plans.len() - 1) as u32
    }

    /// The plan of a key in a time span, built on first use.
    fn plan_of(&mut self, span: usize, channel: Channel, mode: usize, class: usize, card_type: Option<CardType>) -> u32 {
        if self.tables[span].is_empty() {
            self.tables[span] = vec![NOT_BUILT; self.keys_per_span()];
        }
        let key = self.key(channel, mode, class, card_type);
        if self.tables[span][key] == NOT_BUILT {
            self.tables[span][key] = self.build(span, channel, mode, class, card_type);
        }
        self.tables[span][key]
    }

    fn plan(
        &mut self,
        at: DateTime<FixedOffset>,
        channel: Channel,
        requested: SettlementMode,
        class: Option<&str>,
        card_type: Option<CardType>,
    ) -> Plan {
        let scalar = Plan { spans: vec![(0, Price::Scalar)] };
        let schedule = self.schedule;
        let (Ok(version), Ok(card_type), Ok(())) =
            (schedule.version_at(at), card_type_of(channel, card_type), schedule.check_merchant_class(class))
        else {
            return scalar;
        };
        let mut spans = Vec::new();
        for start_fen in amount_starts(version, channel) {
            let amount = Money::from_fen(start_fen);
            let trade = Matchable { channel, amount, at, merchant_class: class, card_type };
            let price = match schedule.rule_for(version, &trade) {
                Err(_) => Price::Scalar,
                Ok(rule) => {
                    let (settlement, minimum) = settlement_mode(version, requested, channel, amount);
                    let mut surcharges = version.surcharges().iter().filter(|s| s.applies_to(settlement, channel));
                    match (surcharges.next(), surcharges.next()) {
                        (surcharge, None) => Price::Lane {
                            lane: Lane::new(rule, surcharge),
                            rule: self.intern_rule(rule.id_arc()),
                            settlement,
                            fell_back: minimum.is_some(),
                        },
                        _ => Price::Scalar,
                    }
                }
            };
            spans.push((start_fen, price));
        }
        Plan { spans }
    }
}

/// The lanes that price trades of `channel` at `at` (mode, class, card type given) by amount:
/// `(first fen, lane)` in ascending order; `None` where a lane does not hold the price (the
/// schedule refuses those trades, or two surcharges apply).
pub(crate) fn lanes_by_amount(
    schedule: &Schedule,
    at: DateTime<FixedOffset>,
    channel: Channel,
    settlement: SettlementMode,
    class: Option<&str>,
    card_type: Option<CardType>,
) -> Vec<(i64, Option<Lane>)> {
    let table = TradeTable::new(&[], Column::All(channel), Column::All(0));
    let mut compiled = Compiled::new(schedule, Calendar::china(), CalendarPolicy::WeekendsOnly, &table);
    let plan = compiled.plan(at, channel, settlement, class, card_type);
    plan.spans
        .into_iter()
        .map(|(start, price)| match price {
            Price::Lane { lane, .. } => (start, Some(lane)),
            Price::Scalar => (start, None),
        })
        .collect()
}

/// The first fen of each amount span of `channel` in `version`: 0, and every amount at which
/// a rule band or an instant-payout minimum changes the answer.
fn amount_starts(version: &Version, channel: Channel) -> Vec<i64> {
    let fen_above = |money: Money| money.millifen().div_euclid(MILLIFEN_PER_FEN) + 1; // first fen > money
    let fen_from = |money: Money| (money.millifen() + MILLIFEN_PER_FEN - 1).div_euclid(MILLIFEN_PER_FEN); // first fen ≥ money
    let mut starts = vec![0];
    for rule in version.rules().iter().filter(|r| r.channels().contains(&channel)) {
        for bound in [rule.amount_over(), rule.amount_up_to()].into_iter().flatten() {
            insert_sorted(&mut starts, fen_above(bound));
        }
    }
    for surcharge in version.surcharges().iter().filter(|s| s.channels().contains(&channel)) {
        if let Some(minimum) = surcharge.min_amount() {
            insert_sorted(&mut starts, fen_from(minimum));
        }
    }
    starts.retain(|&fen| (0..=AMOUNT_FEN_MAX).contains(&fen));
    starts
}

/// Inserts `value` into the ascending `values` unless it is there (few values: no general
/// sort, which would add to the WebAssembly build).
pub(crate) fn insert_sorted<T: Ord>(values: &mut Vec<T>, value: T) {
    if let Err(at) = values.binary_search(&value) {
        values.insert(at, value);
    }
}

/// The civil date of a day count since 1970-01-01.
#[inline(always)]
fn date_of_days(days: i64) -> NaiveDate {
    NaiveDate::from_epoch_days(days as i32).unwrap_or(EPOCH)
}

impl Schedule {
    /// Quotes every row of a table with the embedded China calendar: the same fee, net, rule,
    /// settlement and dates as [`Schedule::quote`] on each row, as columns.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when a column's length differs from the amounts' or a
    /// limit is passed ([`TABLE_ROWS_MAX`], [`MERCHANT_CLASS_NAMES_MAX`]); with
    /// [`OnInvalid::Raise`], the first bad row's error (as [`Schedule::quote`]'s, prefixed
    /// `row N:`, with the field in its location).
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Column, Schedule, SettlementMode, TableOptions, TradeTable, Warnings};
    /// let amounts = [100, 5_000, 500_000]; // ¥1, ¥50, ¥5000
    /// let channels = [Channel::Debit, Channel::Credit, Channel::Debit];
    /// let table = TradeTable::new(&amounts, Column::Each(&channels), Column::All(1_778_040_000)) // 2026-05-06 12:00 China
    ///     .settlement(Column::All(SettlementMode::D(0)));
    /// let quoted = Schedule::preset("standard-d0")?.quote_table(&table, &TableOptions::default())?;
    /// // ¥1 debit: 0.5% rounds to ¥0.01, plus ¥3 for D0; ¥50 credit: below the ¥100 instant-payout
    /// // minimum, so T1 without the ¥3; ¥5000 debit: capped at ¥20, plus ¥3.
    /// assert_eq!(quoted.fee.iter().map(|f| f.to_string()).collect::<Vec<_>>(), ["3.01", "0.30", "23.00"]);
    /// assert_eq!(quoted.warnings[0], Warnings::FEE_EXCEEDS_AMOUNT);
    /// assert_eq!(quoted.settlement_applied[1], SettlementMode::T(1));
    /// assert_eq!(quoted.warnings[1], Warnings::SETTLEMENT_FELL_BACK);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote_table(&self, table: &TradeTable<'_>, options: &TableOptions) -> Result<QuotedTable> {
        self.quote_table_with(table, options, Calendar::china())
    }

    /// [`Schedule::quote_table`] with the given calendar.
    ///
    /// # Errors
    /// As [`Schedule::quote_table`].
    ///
    /// # Example
    /// ```
    /// use posfee::{Calendar, Channel, Column, Schedule, TableOptions, TradeTable};
    /// let table = TradeTable::new(&[1_000], Column::All(Channel::Alipay), Column::All(1_770_944_400)); // 2026-02-13 09:00
    /// let quoted = Schedule::preset("standard")?.quote_table_with(&table, &TableOptions::default(), Calendar::china())?;
    /// assert_eq!(quoted.settles_on[0].to_string(), "2026-02-14"); // a make-up Saturday
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote_table_with(&self, table: &TradeTable<'_>, options: &TableOptions, calendar: &Calendar) -> Result<QuotedTable> {
        let mut out = QuotedTable::default();
        self.quote_table_into(table, options, calendar, &mut out)?;
        Ok(out)
    }

    /// [`Schedule::quote_table_with`] into `out`, whose columns are cleared and refilled,
    /// keeping their memory: a caller quoting table after table (chunks of a file, a
    /// stream) pays for fresh pages once, not per table.
    ///
    /// # Errors
    /// As [`Schedule::quote_table`]; `out` then holds no rows.
    ///
    /// # Example
    /// ```
    /// use posfee::{Calendar, Channel, Column, QuotedTable, Schedule, TableOptions, TradeTable};
    /// let schedule = Schedule::preset("standard")?;
    /// let mut out = QuotedTable::default();
    /// for amounts in [[10_000, 20_000], [30_000, 40_000]] {
    ///     let table = TradeTable::new(&amounts, Column::All(Channel::Credit), Column::All(1_778_040_000));
    ///     schedule.quote_table_into(&table, &TableOptions::default(), Calendar::china(), &mut out)?;
    /// }
    /// assert_eq!(out.fee[1].to_string(), "2.40"); // the second table: 0.6% of ¥400
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote_table_into(
        &self,
        table: &TradeTable<'_>,
        options: &TableOptions,
        calendar: &Calendar,
        out: &mut QuotedTable,
    ) -> Result<()> {
        out.clear();
        let outcome = table.check().and_then(|()| {
            out.reserve(table.rows());
            self.fill::<true>(table, options, calendar, out)
        });
        if outcome.is_err() {
            out.clear();
        }
        outcome
    }

    /// The fees of every row of a table, without settlement dates (the fast path for totals
    /// and comparisons): the same fees as [`Schedule::quote_table`]. A row that cannot be
    /// priced is an error (with [`OnInvalid::Raise`]) or a [`RowError`] with a zero fee; a
    /// date beyond the calendar data is not an error here.
    ///
    /// # Errors
    /// As [`Schedule::quote_table`], except [`ErrorKind::CalendarOutOfRange`].
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Column, Schedule, TradeTable};
    /// let table = TradeTable::new(&[10_000, 500_000], Column::Each(&[Channel::Credit, Channel::Debit]), Column::All(1_798_646_400)); // 2026-12-31
    /// let (fees, errors) = Schedule::preset("sft-traditional")?.fee_table(&table, posfee::OnInvalid::Raise)?;
    /// assert_eq!(fees, [posfee::Money::from_fen(60), posfee::Money::from_yuan(20)]);
    /// assert!(errors.is_empty());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn fee_table(&self, table: &TradeTable<'_>, on_invalid: OnInvalid) -> Result<(Vec<Money>, Vec<RowError>)> {
        table.check()?;
        let mut out = QuotedTable { fee: Vec::with_capacity(table.rows()), ..Default::default() };
        let options = TableOptions { on_invalid, calendar_policy: CalendarPolicy::WeekendsOnly };
        self.fill::<false>(table, &options, Calendar::china(), &mut out)?;
        Ok((out.fee, out.errors))
    }

    /// [`Schedule::fee_table`]'s fees appended to `fees_fen` in whole fen (the unscaled values
    /// of a decimal of scale 2), computed in fen, when that is the same: the schedule rounds to
    /// the fen, and the table's rows share one time span, mode, class and card type, have
    /// channels given one by one whose lanes have no surcharge and whole-fen fixed fees, floors
    /// and caps, and amounts in those lanes. Returns whether it was (else nothing is appended,
    /// and the table is for [`Schedule::fee_table`]).
    ///
    /// # Errors
    /// As [`Schedule::fee_table`] (a table whose columns' lengths differ).
    #[cfg(feature = "arrow")]
    pub(crate) fn fee_table_fen(&self, table: &TradeTable<'_>, fees_fen: &mut Vec<i128>) -> Result<bool> {
        table.check()?;
        let Column::Each(channels) = table.channel else {
            return Ok(false);
        };
        if self.rounding().scale != 2 {
            return Ok(false);
        }
        let mut compiled = Compiled::new(self, Calendar::china(), CalendarPolicy::WeekendsOnly, table);
        let Some(lanes) = ChannelLanes::of(table, &mut compiled) else {
            return Ok(false);
        };
        let Some(in_fen) = lanes.in_fen() else {
            return Ok(false);
        };
        let (first, mut others) = (fees_fen.len(), Vec::new());
        with_round_rate!(self.rounding(), round => lanes.fees_fen(&in_fen, round, table.amount_fen, channels, fees_fen, &mut others));
        if !others.is_empty() {
            fees_fen.truncate(first);
        }
        Ok(others.is_empty())
    }

    /// Prices every row into `out` (empty columns: all of them filled with `DATES`, else `fee`
    /// alone): the compiled plans first, then the rows they leave to the scalar quote, in row
    /// order.
    fn fill<const DATES: bool>(
        &self,
        table: &TradeTable<'_>,
        options: &TableOptions,
        calendar: &Calendar,
        out: &mut QuotedTable,
    ) -> Result<()> {
        let mut compiled = Compiled::new(self, calendar, options.calendar_policy, table);
        // Filled as a local value: its columns' lengths then stay out of memory the heap
        // writes could reach, instead of being reloaded through `out` at every push.
        let mut local = std::mem::take(out);
        let scalar_rows = with_round_rate!(self.rounding(), round => if DATES {
            self.lane_rows::<DATES, _>(round, table, &mut compiled, &mut local)
        } else {
            self.fee_rows(round, table, &mut compiled, &mut local)
        });
        *out = local;
        for row in scalar_rows {
            match self.scalar_row(table, row, &mut compiled) {
                Ok(quote) => out.set::<DATES>(row, table.amount_fen[row], &quote),
                Err(error) if options.on_invalid == OnInvalid::Raise => return Err(error),
                Err(error) => out.errors.push(RowError { row, error }),
            }
        }
        out.rule_ids = compiled.rule_ids;
        Ok(())
    }

    /// Prices the rows a lane holds; returns the others.
    #[inline(always)]
    fn lane_rows<const DATES: bool, R: RoundRate>(
        &self,
        round: R,
        table: &TradeTable<'_>,
        compiled: &mut Compiled<'_>,
        out: &mut QuotedTable,
    ) -> Vec<usize> {
        let mut scalar_rows = Vec::new();
        let mut plans = RowPlans::new(compiled);
        let mut dates = DateCache::new();
        for row in 0..table.rows() {
            let amount_fen = table.amount_fen[row];
            let Some((lane, rule, settlement, fell_back)) = plans.price(table, row, compiled) else {
                scalar_rows.push(row);
                out.push_placeholder::<DATES>();
                continue;
            };
            let (fee_millifen, limit) = lane.fee_and_limit(round, amount_fen);
            out.fee.push(Money::from_millifen_unchecked(fee_millifen));
            if !DATES {
                continue;
            }
            let Some(day) = dates.get(table.time_unix_s.get(row), settlement, compiled) else {
                scalar_rows.push(row);
                out.fee.pop();
                out.push_placeholder::<DATES>();
                continue;
            };
            let warnings = Warnings(
                day.warnings.0
                    | (u8::from(fee_millifen > amount_fen * MILLIFEN_PER_FEN) * Warnings::FEE_EXCEEDS_AMOUNT.0)
                    | (u8::from(fell_back) * Warnings::SETTLEMENT_FELL_BACK.0),
            );
            out.net.push(Money::from_millifen_unchecked(amount_fen * MILLIFEN_PER_FEN - fee_millifen));
            out.rule.push(rule);
            out.limit.push(limit);
            out.settlement_applied.push(settlement);
            out.trade_day.push(day.trade_day);
            out.settles_on.push(day.settles_on);
            out.warnings.push(warnings);
        }
        plans.finish(compiled);
        scalar_rows
    }

    /// The fees alone of the rows a lane holds; returns the others. A table whose rows share
    /// one time span, settlement mode, merchant class and card type (a chunk of a month's
    /// trades, say) has one lane a channel: each row then takes its channel's lane without
    /// looking up a plan, and the rows outside that lane's amounts go the way of
    /// [`Schedule::lane_rows`]. Other tables go that way whole.
    #[inline(always)]
    fn fee_rows<R: RoundRate>(&self, round: R, table: &TradeTable<'_>, compiled: &mut Compiled<'_>, out: &mut QuotedTable) -> Vec<usize> {
        let Some(lanes) = ChannelLanes::of(table, compiled) else {
            return self.lane_rows::<false, R>(round, table, compiled, out);
        };
        let mut others = Vec::new();
        let first = out.fee.len();
        match (table.channel, lanes.surcharge) {
            (Column::Each(channels), false) => {
                lanes.fees::<R, false>(round, table.amount_fen, channels.iter().copied(), &mut out.fee, &mut others)
            }
            (Column::Each(channels), true) => {
                lanes.fees::<R, true>(round, table.amount_fen, channels.iter().copied(), &mut out.fee, &mut others)
            }
            (Column::All(channel), _) => {
                lanes.fees::<R, true>(round, table.amount_fen, std::iter::repeat(channel), &mut out.fee, &mut others)
            }
        }
        let mut scalar_rows = Vec::new();
        let mut plans = RowPlans::new(compiled);
        for row in others {
            out.fee[first + row] = match plans.price(table, row, compiled) {
                Some((lane, ..)) => Money::from_millifen_unchecked(lane.fee_millifen(round, table.amount_fen[row])),
                None => {
                    scalar_rows.push(row);
                    Money::ZERO
                }
            };
        }
        plans.finish(compiled);
        scalar_rows
    }

    /// One row through [`Schedule::quote_with`] itself.
    #[cold]
    fn scalar_row(&self, table: &TradeTable<'_>, row: usize, compiled: &mut Compiled<'_>) -> Result<RowQuote> {
        let request = table.request(row, compiled.policy)?;
        match self.quote_with(&request, compiled.calendar) {
            Ok(quote) => Ok(RowQuote {
                fee_millifen: quote.fee.millifen(),
                rule: compiled.intern_rule(&quote.rule),
                limit: quote.lines.first().and_then(|line| line.limit).map(|limit| limit.kind),
                settlement: quote.settlement,
                trade_day: quote.trade_day,
                settles_on: quote.settles_on,
                warnings: Warnings::of(&quote),
            }),
            Err(error) => {
                let field = field_of(error.kind(), error.message());
                Err(row_error(row, field, error))
            }
        }
    }
}

/// A row's price by its plan: the plans of the time span of the last row looked up are kept
/// at hand (taken out of [`Compiled`] while they are current), for rows in time order.
struct RowPlans {
    span: usize,
    low: i64,
    high: i64,
    plans_of_span: Vec<u32>,
    keys: usize,
    class_count: usize,
}

impl RowPlans {
    fn new(compiled: &Compiled<'_>) -> RowPlans {
        RowPlans {
            span: usize::MAX,
            low: 0,
            high: 0,
            plans_of_span: Vec::new(),
            keys: compiled.keys_per_span(),
            class_count: compiled.class_names.len(),
        }
    }

    /// The lane of `row`, its rule, applied mode and whether the mode fell back; `None`
    /// when a lane does not price it (a value out of range, or the plan says so).
    #[inline(always)]
    fn price(&mut self, table: &TradeTable<'_>, row: usize, compiled: &mut Compiled<'_>) -> Option<(Lane, u32, SettlementMode, bool)> {
        let amount_fen = table.amount_fen[row];
        let time_s = table.time_unix_s.get(row);
        let mode_code = mode_code(table.settlement.get(row));
        let class = table.merchant_class.get(row) as usize;
        let in_range = (0..=AMOUNT_FEN_MAX).contains(&amount_fen)
            && (TIME_MIN_S..=TIME_MAX_S).contains(&time_s)
            && mode_code.is_some()
            && class < self.class_count;
        if !in_range {
            return None;
        }
        if !(self.low..self.high).contains(&time_s) || self.span == usize::MAX {
            if self.span != usize::MAX {
                compiled.tables[self.span] = std::mem::take(&mut self.plans_of_span);
            }
            (self.span, self.low, self.high) = compiled.span_of(time_s);
            self.plans_of_span = std::mem::take(&mut compiled.tables[self.span]);
            if self.plans_of_span.is_empty() {
                self.plans_of_span = vec![NOT_BUILT; self.keys];
            }
        }
        let channel = table.channel.get(row);
        let card_type = table.card_type.get(row);
        let mode = usize::from(compiled.mode_index[mode_code.unwrap_or(0)]);
        let key = compiled.key(channel, mode, class, card_type);
        let mut plan = self.plans_of_span[key];
        if plan == NOT_BUILT {
            plan = compiled.build(self.span, channel, mode, class, card_type);
            self.plans_of_span[key] = plan;
        }
        let (first, next_start) = &compiled.firsts[plan as usize];
        let price = if amount_fen < *next_start { first } else { compiled.plans[plan as usize].price(amount_fen) };
        match price {
            Price::Lane { lane, rule, settlement, fell_back } => Some((*lane, *rule, *settlement, *fell_back)),
            Price::Scalar => None,
        }
    }

    /// Gives the current span's plans back to `compiled`.
    fn finish(self, compiled: &mut Compiled<'_>) {
        if self.span != usize::MAX {
            compiled.tables[self.span] = self.plans_of_span;
        }
    }
}

/// The lane of each channel of a table whose rows share one time span, settlement mode,
/// merchant class and card type, for the amounts from 0 to below `next_start_fen` (a channel
/// without a lane, or not in the table: 0, no amount).
struct ChannelLanes {
    lanes: [Lane; Channel::ALL.len()],
    next_start_fen: [i64; Channel::ALL.len()],
    /// Whether a lane has a surcharge.
    surcharge: bool,
}

/// The low bits of an amount that the fee loops price: every valid amount (up to
/// [`AMOUNT_FEN_MAX`]) is within them, and a product of any of them with a rate (at most 10%)
/// is below 2⁶³.
const AMOUNT_FEN_MASK: i64 = (1 << 37) - 1;
const _: () = assert!(AMOUNT_FEN_MAX <= AMOUNT_FEN_MASK && AMOUNT_FEN_MASK.checked_mul(10_000_000).is_some());

impl ChannelLanes {
    /// The lane of each channel for `table`; `None` unless its rows share a time span, mode,
    /// class and card type (all in range).
    fn of(table: &TradeTable<'_>, compiled: &mut Compiled<'_>) -> Option<ChannelLanes> {
        let (Column::All(mode), Column::All(class), Column::All(card_type)) = (table.settlement, table.merchant_class, table.card_type)
        else {
            return None;
        };
        let mode = usize::from(*compiled.mode_index.get(mode_code(mode)?)?);
        let class = class as usize;
        if table.rows() == 0 || mode >= compiled.modes.len() || class >= compiled.class_names.len() {
            return None;
        }
        let first_s = table.time_unix_s.get(0);
        // The first row's time span, within the times the crate reads; every row in it (one
        // comparison a row, as u64 from the span's start).
        let (low_s, high_s) = fee_span_s(&compiled.starts_s, first_s)?;
        let (span, ..) = compiled.span_of(first_s);
        let in_span = |time_s: i64| (time_s.wrapping_sub(low_s) as u64) < (high_s.wrapping_sub(low_s) as u64);
        let all_in_span = match table.time_unix_s {
            Column::All(time_s) => in_span(time_s),
            Column::Each(times) => times.iter().fold(true, |all, &time_s| all & in_span(time_s)),
        };
        if !all_in_span {
            return None;
        }
        // Every channel's lane (a plan costs less than finding which channels the rows use).
        let no_lane = Lane::new_zero();
        let mut lanes = ChannelLanes { lanes: [no_lane; Channel::ALL.len()], next_start_fen: [0; Channel::ALL.len()], surcharge: false };
        for channel in Channel::ALL {
            let plan = compiled.plan_of(span, channel, mode, class, card_type);
            if let (Price::Lane { lane, .. }, next_start_fen) = compiled.firsts[plan as usize] {
                lanes.lanes[channel as usize] = lane;
                lanes.next_start_fen[channel as usize] = next_start_fen.min(AMOUNT_FEN_MAX + 1);
                lanes.surcharge |= lane.has_surcharge;
            }
        }
        Some(lanes)
    }

    /// Appends the fee of each row to `fees` (of its channel's lane, whatever its amount) and
    /// lists in `others` the rows whose amount is outside that lane (negative, or beyond it).
    /// `SURCHARGE`: whether to add the lanes' surcharges (false only when none has one).
    #[inline(always)]
    fn fees<R: RoundRate, const SURCHARGE: bool>(
        &self,
        round: R,
        amount_fen: &[i64],
        channels: impl Iterator<Item = Channel>,
        fees: &mut Vec<Money>,
        others: &mut Vec<usize>,
    ) {
        self.each_fee(amount_fen, channels, fees, others, |k, in_range_fen| {
            Money::from_millifen_unchecked(self.lanes[k].fee_millifen_unbranched::<R, SURCHARGE>(round, in_range_fen))
        });
    }

    /// The lanes in whole fen ([`Lane::in_fen`]), if every lane is; a channel without a lane
    /// keeps a lane that charges nothing (its rows are in no lane: `next_start_fen` is 0).
    #[cfg(feature = "arrow")]
    fn in_fen(&self) -> Option<[FenLane; Channel::ALL.len()]> {
        let mut lanes = [FenLane::ZERO; Channel::ALL.len()];
        for (fen, (lane, next_start_fen)) in lanes.iter_mut().zip(self.lanes.iter().zip(self.next_start_fen)) {
            if next_start_fen > 0 {
                *fen = lane.in_fen()?;
            }
        }
        Some(lanes)
    }

    /// [`ChannelLanes::fees`] in whole fen, of the lanes `in_fen` ([`ChannelLanes::in_fen`]),
    /// appended to `fees_fen` as unscaled decimals of scale 2.
    #[cfg(feature = "arrow")]
    #[inline(always)]
    fn fees_fen<R: RoundRate>(
        &self,
        in_fen: &[FenLane; Channel::ALL.len()],
        round: R,
        amount_fen: &[i64],
        channels: &[Channel],
        fees_fen: &mut Vec<i128>,
        others: &mut Vec<usize>,
    ) {
        // The lanes a local copy (their address then a register's, not reloaded a row), and
        // without the floors' arithmetic when none has one (the usual schedule).
        let in_fen = *in_fen;
        let channels = channels.iter().copied();
        if in_fen.iter().all(|lane| !lane.has_floor()) {
            self.each_fee(amount_fen, channels, fees_fen, others, |k, fen| i128::from(in_fen[k].fee_fen::<R, false>(round, fen)));
        } else {
            self.each_fee(amount_fen, channels, fees_fen, others, |k, fen| i128::from(in_fen[k].fee_fen::<R, true>(round, fen)));
        }
    }

    /// Appends `fee(channel index, amount)` of each row to `out`, and lists in `others` the
    /// rows whose amount is outside their channel's lane (negative, or beyond it), whose fee
    /// is then to be found again. `fee` is given an amount from 0 to [`AMOUNT_FEN_MASK`]:
    /// a row's own when it is in its lane, else one that keeps the arithmetic in range.
    #[inline(always)]
    fn each_fee<T>(
        &self,
        amount_fen: &[i64],
        channels: impl Iterator<Item = Channel>,
        out: &mut Vec<T>,
        others: &mut Vec<usize>,
        fee: impl Fn(usize, i64) -> T,
    ) {
        out.extend(amount_fen.iter().zip(channels).enumerate().map(|(row, (&amount_fen, channel))| {
            let k = channel as usize;
            // As u64, a negative amount is beyond every lane: one comparison.
            if amount_fen as u64 >= self.next_start_fen[k] as u64 {
                others.push(row);
            }
            // The amount's low bits keep the arithmetic in range (one `and`); they are the
            // amount itself for a row in its lane, and a row outside is priced again.
            fee(k, amount_fen & AMOUNT_FEN_MASK)
        }));
    }
}

/// The trade day, settlement date and calendar warnings of recent (time, mode) pairs, by day:
/// trades of a table fall on few days.
struct DateCache {
    slots: Vec<DateSlot>,
}

#[derive(Clone, Copy)]
struct DateSlot {
    /// The trade day (days since 1970-01-01), `i64::MIN` when empty.
    day: i64,
    /// The local day for S0 (its settlement date), else 0.
    local_day: i64,
    settlement: SettlementMode,
    trade_day: NaiveDate,
    settles_on: NaiveDate,
    warnings: Warnings,
}

impl DateCache {
    const SLOTS: usize = 512;

    fn new() -> DateCache {
        let empty = DateSlot {
            day: i64::MIN,
            local_day: 0,
            settlement: SettlementMode::T(1),
            trade_day: EPOCH,
            settles_on: EPOCH,
            warnings: Warnings::NONE,
        };
        DateCache { slots: vec![empty; DateCache::SLOTS] }
    }

    /// The dates of a trade at `time_s` settling `settlement`; `None` when the calendar
    /// refuses (the row then goes to the scalar quote, which says why).
    #[inline(always)]
    fn get(&mut self, time_s: i64, settlement: SettlementMode, compiled: &Compiled<'_>) -> Option<DateSlot> {
        let local_s = time_s + CHINA_OFFSET_S;
        let local_day = local_s.div_euclid(DAY_S);
        let day = local_day + i64::from(compiled.cutoff_s > 0 && local_s.rem_euclid(DAY_S) >= compiled.cutoff_s);
        let local_key = if settlement == SettlementMode::S0 { local_day } else { 0 };
        let mode_hash = match settlement {
            SettlementMode::T(n) => n as usize,
            SettlementMode::D(n) => 97 + n as usize,
            SettlementMode::S0 => 211,
        };
        let index = (day as usize).wrapping_mul(7).wrapping_add(mode_hash) % DateCache::SLOTS;
        let slot = &mut self.slots[index];
        if slot.day == day && slot.local_day == local_key && slot.settlement == settlement {
            return Some(*slot);
        }
        let trade_day = date_of_days(day);
        let (settles_on, provisional) =
            settles_on(trade_day, date_of_days(local_day), settlement, compiled.policy, compiled.calendar).ok()?;
        let mut warnings = Warnings::NONE;
        if provisional {
            warnings = warnings.with(Warnings::PROVISIONAL);
        }
        if compiled.calendar.data_ends_near(trade_day).is_some() {
            warnings = warnings.with(Warnings::CALENDAR_DATA_ENDS);
        }
        *slot = DateSlot { day, local_day: local_key, settlement, trade_day, settles_on, warnings };
        Some(*slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(preset: &str, channel: Channel, mode: SettlementMode, class: &'static str) -> Plan {
        let schedule = Schedule::preset(preset).unwrap();
        let names = ["", class];
        let table = TradeTable::new(&[0], Column::All(channel), Column::All(1_778_040_000))
            .settlement(Column::All(mode))
            .merchant_class(&names, Column::All(1));
        let mut compiled = Compiled::new(&schedule, Calendar::china(), CalendarPolicy::Strict, &table);
        let (span, _, _) = compiled.span_of(1_778_040_000);
        let plan = compiled.build(span, channel, 0, 1, None);
        compiled.plans[plan as usize].clone()
    }

    #[test]
    fn plans_are_lanes_on_the_presets() {
        // Credit under standard-d0 at D0: below ¥100 T1 without the surcharge, from ¥100 D0 with it.
        let plan = plan_of("standard-d0", Channel::Credit, SettlementMode::D(0), "");
        let spans: Vec<(i64, Option<SettlementMode>)> = plan
            .spans
            .iter()
            .map(|(start, price)| (*start, if let Price::Lane { settlement, .. } = price { Some(*settlement) } else { None }))
            .collect();
        assert_eq!(spans, [(0, Some(SettlementMode::T(1))), (10_000, Some(SettlementMode::D(0)))]);
        // UnionPay QR without a card type: a lane up to ¥1000, the scalar path (its error) above.
        let plan = plan_of("standard", Channel::UnionpayQr, SettlementMode::T(1), "");
        assert!(matches!(plan.spans[..], [(0, Price::Lane { .. }), (100_001, Price::Scalar)]));
        // An unknown class: every row through the scalar quote, which names the class.
        let plan = plan_of("standard", Channel::Credit, SettlementMode::T(1), "hotel");
        assert!(matches!(plan.spans[..], [(0, Price::Scalar)]));
    }

    #[test]
    fn promotions_split_time() {
        let schedule = Schedule::preset("sft-esign").unwrap();
        let table = TradeTable::new(&[0], Column::All(Channel::Credit), Column::All(0));
        let compiled = Compiled::new(&schedule, Calendar::china(), CalendarPolicy::Strict, &table);
        assert!(compiled.starts_s.len() >= 3, "{:?}", compiled.starts_s); // version start, promotion start and end
    }

    #[test]
    fn lengths_and_limits_are_checked() {
        let schedule = Schedule::preset("standard").unwrap();
        let table = TradeTable::new(&[1, 2], Column::Each(&[Channel::Credit]), Column::All(0));
        let error = schedule.quote_table(&table, &TableOptions::default()).unwrap_err();
        assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_request", Some("channel")));
        let names = vec![""; MERCHANT_CLASS_NAMES_MAX + 1];
        let table = TradeTable::new(&[1], Column::All(Channel::Credit), Column::All(0)).merchant_class(&names, Column::All(0));
        assert_eq!(schedule.quote_table(&table, &TableOptions::default()).unwrap_err().code(), "invalid_request");
        // A class code without a name, a time beyond year 9999, an amount beyond Money::MAX: errors naming the field.
        let report = TableOptions { on_invalid: OnInvalid::Report, ..Default::default() };
        let table = TradeTable::new(&[100, 100, i64::MAX], Column::All(Channel::Credit), Column::Each(&[1_778_040_000, i64::MAX, 0]))
            .merchant_class(&[""], Column::Each(&[7, 0, 0]));
        let quoted = schedule.quote_table(&table, &report).unwrap();
        let fields: Vec<_> = quoted.errors.iter().map(|e| (e.row, e.error.code(), e.error.location().field.clone().unwrap())).collect();
        assert_eq!(
            fields,
            [(0, "invalid_request", "merchant_class".into()), (1, "invalid_date", "time".into()), (2, "invalid_amount", "amount".into())]
        );
    }
}

//! A table of trades given as text — a CSV file's cells, JavaScript objects, Arrow string
//! columns — read into the columns of a [`TradeTable`] by one set of rules: exact money, China
//! time for a time without an offset, the channel, settlement-mode and card-type words, and
//! merchant classes as codes. A row that cannot be read keeps placeholders and its error
//! ([`TradeColumns::errors`]), so that every surface can report it in place
//! ([`TradeColumns::quote`]) or leave it out ([`TradeColumns::compare`]), and numbers it as
//! the caller's row.

use crate::calendar::Calendar;
use crate::channel::{CardType, Channel};
use crate::compare::{compare, Comparison, Offer};
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::quote_table::{Column, OnInvalid, QuotedTable, RowError, TableOptions, TradeTable, MERCHANT_CLASS_NAMES_MAX};
use crate::schedule::Schedule;
use crate::settlement::{parse_china_time, SettlementMode};

/// Values for the optional columns when a table lacks them (or a cell is empty).
///
/// # Example
/// ```
/// use posfee::TradeDefaults;
/// assert!(TradeDefaults::new("D0", Some("discounted"), None).is_ok());
/// assert_eq!(TradeDefaults::new("X9", None, None).unwrap_err().location().field.as_deref(), Some("settlement"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeDefaults {
    pub(crate) settlement: SettlementMode,
    pub(crate) merchant_class: String,
    pub(crate) card_type: Option<CardType>,
}

impl TradeDefaults {
    /// The defaults from their words (`T1`, a merchant class or none, `debit` / `credit` or none).
    ///
    /// # Errors
    /// The error of a word that is not a settlement mode or card type, naming its field.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::TradeDefaults::new("T1", None, Some("debit")).is_ok());
    /// ```
    pub fn new(settlement: &str, merchant_class: Option<&str>, card_type: Option<&str>) -> Result<TradeDefaults> {
        Ok(TradeDefaults {
            settlement: SettlementMode::parse(settlement).map_err(|e| e.in_field("settlement"))?,
            merchant_class: merchant_class.unwrap_or_default().to_string(),
            card_type: card_type.map(CardType::parse).transpose().map_err(|e| e.in_field("card_type"))?,
        })
    }
}

impl Default for TradeDefaults {
    /// T1, the standard class, no card type.
    fn default() -> TradeDefaults {
        TradeDefaults { settlement: SettlementMode::T(1), merchant_class: String::new(), card_type: None }
    }
}

/// One trade as text, by the canonical column names ([`TRADE_COLUMNS`](crate::TRADE_COLUMNS));
/// `None` for an empty cell or a column the table lacks (the [`TradeDefaults`] then apply).
///
/// # Example
/// ```
/// let trade = posfee::TradeText { amount: "100", channel: "wechat", time: "2026-05-06 10:00", ..Default::default() };
/// assert_eq!(trade.settlement, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TradeText<'a> {
    /// The amount in yuan (`1234.50`; never a float's text such as `1e3`).
    pub amount: &'a str,
    /// The channel word (`credit`, `wechat`, …).
    pub channel: &'a str,
    /// RFC 3339, or a date-time or date read as China time.
    pub time: &'a str,
    /// The settlement mode (`T1`, `D0`, `S0`).
    pub settlement: Option<&'a str>,
    /// The merchant class.
    pub merchant_class: Option<&'a str>,
    /// `debit` or `credit`, for a QR trade paid by card.
    pub card_type: Option<&'a str>,
}

/// A trade's values read from its text.
struct ReadTrade {
    amount: Money,
    channel: Channel,
    time: chrono::DateTime<chrono::FixedOffset>,
    settlement: SettlementMode,
    card_type: Option<CardType>,
}

impl TradeText<'_> {
    /// The values, empty cells taking `defaults`; an error names its field.
    fn read(&self, defaults: &TradeDefaults) -> Result<ReadTrade> {
        let field = |name: &'static str| move |e: Error| e.in_field(name);
        Ok(ReadTrade {
            amount: Money::parse_amount(self.amount.trim()).map_err(field("amount"))?,
            channel: Channel::parse(self.channel).map_err(field("channel"))?, // the word parsers trim
            time: parse_china_time(self.time).map_err(field("time"))?,
            settlement: match self.settlement {
                Some(text) => SettlementMode::parse(text).map_err(field("settlement"))?,
                None => defaults.settlement,
            },
            card_type: match self.card_type {
                Some(text) => Some(CardType::parse(text).map_err(field("card_type"))?),
                None => defaults.card_type,
            },
        })
    }

    /// The quote request of this trade (one trade given as text: a command line's arguments,
    /// a JavaScript request), empty cells taking `defaults`.
    ///
    /// # Errors
    /// The error of the first value that does not read, naming its field (`amount`,
    /// `channel`, `time`, `settlement`, `card_type`).
    ///
    /// # Example
    /// ```
    /// use posfee::{Schedule, TradeDefaults, TradeText};
    /// let trade = TradeText { amount: "5000", channel: "debit", time: "2026-09-30 22:30", ..Default::default() };
    /// let quote = Schedule::preset("sft-traditional")?.quote(&trade.quote_request(&TradeDefaults::default())?)?;
    /// assert_eq!(quote.fee.to_string(), "20.00");
    /// let bad = TradeText { amount: "5000", channel: "visa", time: "2026-09-30", ..Default::default() };
    /// assert_eq!(bad.quote_request(&TradeDefaults::default()).unwrap_err().location().field.as_deref(), Some("channel"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote_request(&self, defaults: &TradeDefaults) -> Result<crate::QuoteRequest> {
        let trade = self.read(defaults)?;
        let mut request = crate::QuoteRequest::new(trade.amount, trade.channel, trade.time).settlement(trade.settlement);
        match self.merchant_class.map(str::trim).unwrap_or(&defaults.merchant_class) {
            "" => {}
            class => request = request.merchant_class(class),
        }
        if let Some(card_type) = trade.card_type {
            request = request.card_type(card_type);
        }
        Ok(request)
    }
}

/// Trades as the columns of a [`TradeTable`]; rows whose values cannot be read hold
/// placeholders and have an error in [`TradeColumns::errors`] (`row N: …`, with the field).
///
/// # Example
/// ```
/// use posfee::{TradeColumns, TradeDefaults, TradeText};
/// let mut columns = TradeColumns::new(&TradeDefaults::default());
/// columns.push_text(&TradeText { amount: "100.00", channel: "credit", time: "2026-05-06 10:00", ..Default::default() })?;
/// columns.push_text(&TradeText { amount: "x", channel: "debit", time: "2026-05-06 11:00", ..Default::default() })?;
/// assert_eq!((columns.rows(), columns.amount_fen()[0]), (2, 10_000));
/// assert_eq!(columns.errors()[0].row, 1);
/// assert_eq!(columns.errors()[0].error.location().field.as_deref(), Some("amount"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TradeColumns {
    pub(crate) amount_fen: Vec<i64>,
    pub(crate) channel: Vec<Channel>,
    pub(crate) time_unix_s: Vec<i64>,
    /// Empty when every row takes the default (a table without the column), as are
    /// `merchant_class` and `card_type`.
    pub(crate) settlement: Vec<SettlementMode>,
    pub(crate) merchant_class: Vec<u32>,
    /// The names the class codes stand for (code 0: the default class).
    pub(crate) classes: Vec<String>,
    pub(crate) card_type: Vec<Option<CardType>>,
    /// Each bad row's first error, in row order.
    pub(crate) errors: Vec<RowError>,
    pub(crate) defaults: TradeDefaults,
}

impl TradeColumns {
    /// No rows yet; empty cells will take `defaults`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::TradeColumns::new(&posfee::TradeDefaults::default()).rows(), 0);
    /// ```
    pub fn new(defaults: &TradeDefaults) -> TradeColumns {
        TradeColumns { classes: vec![defaults.merchant_class.clone()], defaults: defaults.clone(), ..TradeColumns::default() }
    }

    /// Adds a row read from `trade`. A value that cannot be read is not an error here: the
    /// row holds placeholders and its error (the first bad field's) is in
    /// [`TradeColumns::errors`].
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] past [`MERCHANT_CLASS_NAMES_MAX`] merchant classes.
    ///
    /// # Example
    /// ```
    /// use posfee::{TradeColumns, TradeDefaults, TradeText};
    /// let mut columns = TradeColumns::new(&TradeDefaults::new("D0", None, None)?);
    /// columns.push_text(&TradeText { amount: "5", channel: "visa", time: "2026-05-06", ..Default::default() })?;
    /// assert!(columns.errors()[0].error.message().starts_with("row 0: "));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn push_text(&mut self, trade: &TradeText<'_>) -> Result<()> {
        match trade.read(&self.defaults) {
            Ok(ReadTrade { amount, channel, time, settlement, card_type }) => {
                // Only a readable row's class is a class of the table (and counts to the limit).
                let code = match trade.merchant_class {
                    None => 0,
                    Some(name) => self.class_code(name)?,
                };
                self.amount_fen.push(amount.fen().unwrap_or(0));
                self.channel.push(channel);
                self.time_unix_s.push(time.timestamp());
                self.settlement.push(settlement);
                self.merchant_class.push(code);
                self.card_type.push(card_type);
            }
            Err(error) => self.push_refused(error),
        }
        Ok(())
    }

    /// Adds a record that could not be read at all (a CSV line that does not parse, a row with
    /// too few fields): placeholders, and an [`ErrorKind::InvalidRecord`] saying `why`.
    ///
    /// # Example
    /// ```
    /// let mut columns = posfee::TradeColumns::new(&posfee::TradeDefaults::default());
    /// columns.push_unreadable("3 fields, the header 4");
    /// assert_eq!(columns.errors()[0].error.message(), "row 0: 3 fields, the header 4");
    /// assert_eq!(columns.errors()[0].error.code(), "invalid_record");
    /// ```
    pub fn push_unreadable(&mut self, why: impl Into<String>) {
        self.push_refused(Error::new(ErrorKind::InvalidRecord, why));
    }

    /// Adds a row whose value the caller has already refused with the core's `error` (an
    /// amount given as a float, say): placeholders, and that error.
    ///
    /// # Example
    /// ```
    /// let mut columns = posfee::TradeColumns::new(&posfee::TradeDefaults::default());
    /// columns.push_refused(posfee::float_money_error("amount 0.1 is a float", "pass text").in_field("amount"));
    /// assert_eq!(columns.errors()[0].error.code(), "invalid_amount");
    /// ```
    pub fn push_refused(&mut self, error: Error) {
        self.errors.push(RowError::reading(self.amount_fen.len(), error));
        self.amount_fen.push(0);
        self.channel.push(Channel::Credit);
        self.time_unix_s.push(0);
        self.settlement.push(self.defaults.settlement);
        self.merchant_class.push(0);
        self.card_type.push(None);
    }

    fn class_code(&mut self, name: &str) -> Result<u32> {
        let name = name.trim();
        if let Some(code) = self.classes.iter().position(|known| known == name) {
            return Ok(code as u32);
        }
        if self.classes.len() >= MERCHANT_CLASS_NAMES_MAX {
            return Err(Error::new(ErrorKind::InvalidRequest, format!("more than {MERCHANT_CLASS_NAMES_MAX} merchant classes"))
                .in_field("merchant_class"));
        }
        self.classes.push(name.to_string());
        Ok((self.classes.len() - 1) as u32)
    }

    /// The number of rows, readable or not.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::TradeColumns::default().rows(), 0);
    /// ```
    pub fn rows(&self) -> usize {
        self.amount_fen.len()
    }

    /// The amounts in fen (0 where the amount could not be read).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::TradeColumns::default().amount_fen().is_empty());
    /// ```
    pub fn amount_fen(&self) -> &[i64] {
        &self.amount_fen
    }

    /// The rows whose values could not be read, each with its first error (row order).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::TradeColumns::default().errors().is_empty());
    /// ```
    pub fn errors(&self) -> &[RowError] {
        &self.errors
    }

    /// The merchant class names the rows' codes stand for, to pass to [`TradeColumns::table`].
    ///
    /// # Example
    /// ```
    /// assert!(posfee::TradeColumns::default().class_names().is_empty());
    /// ```
    pub fn class_names(&self) -> Vec<&str> {
        self.classes.iter().map(String::as_str).collect()
    }

    /// The columns as a [`TradeTable`] (`names`: [`TradeColumns::class_names`]).
    ///
    /// # Example
    /// ```
    /// let columns = posfee::TradeColumns::default();
    /// assert_eq!(columns.table(&columns.class_names()).rows(), 0);
    /// ```
    pub fn table<'a>(&'a self, names: &'a [&'a str]) -> TradeTable<'a> {
        self.table_at(names, Column::Each(&self.time_unix_s))
    }

    /// [`TradeColumns::table`] with the times `time_unix_s` instead of the rows' own.
    pub(crate) fn table_at<'a>(&'a self, names: &'a [&'a str], time_unix_s: Column<'a, i64>) -> TradeTable<'a> {
        let rows = self.rows();
        TradeTable::new(&self.amount_fen, Column::Each(&self.channel), time_unix_s)
            .settlement(each_or(&self.settlement, rows, self.defaults.settlement))
            .merchant_class(names, each_or(&self.merchant_class, rows, 0))
            .card_type(each_or(&self.card_type, rows, self.defaults.card_type))
    }

    /// Quotes every row with `schedule` ([`Schedule::quote_table_with`]) and gives each bad
    /// row's first error — its text's, else its quote's — in row order. With
    /// [`OnInvalid::Raise`] in `options` the first of them is the error.
    ///
    /// # Errors
    /// The first bad row's (with `Raise`); the schedule's table errors.
    ///
    /// # Example
    /// ```
    /// use posfee::{Calendar, OnInvalid, Schedule, TableOptions, TradeColumns, TradeDefaults, TradeText};
    /// let mut columns = TradeColumns::new(&TradeDefaults::default());
    /// columns.push_text(&TradeText { amount: "x", channel: "credit", time: "2026-05-06", ..Default::default() })?;
    /// columns.push_text(&TradeText { amount: "100", channel: "credit", time: "2026-05-06", ..Default::default() })?;
    /// let report = TableOptions { on_invalid: OnInvalid::Report, ..Default::default() };
    /// let (quoted, errors) = columns.quote(&Schedule::preset("standard")?, &report, Calendar::china())?;
    /// assert_eq!((errors.len(), errors[0].row, quoted.row_cells(1)[0].as_str()), (1, 0, "0.60"));
    /// assert!(columns.quote(&Schedule::preset("standard")?, &TableOptions::default(), Calendar::china()).is_err());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote(&self, schedule: &Schedule, options: &TableOptions, calendar: &Calendar) -> Result<(QuotedTable, Vec<RowError>)> {
        let names = self.class_names();
        let report = TableOptions { on_invalid: OnInvalid::Report, ..*options };
        let quoted = schedule.quote_table_with(&self.table(&names), &report, calendar)?;
        let mut errors = self.errors.clone();
        for error in &quoted.errors {
            if errors.binary_search_by_key(&error.row, |e| e.row).is_err() {
                errors.push(error.clone());
            }
        }
        errors.sort_by_key(|e| e.row);
        if let (OnInvalid::Raise, Some(first)) = (options.on_invalid, errors.first()) {
            return Err(first.error.clone());
        }
        Ok((quoted, errors))
    }

    /// The rows without an error, and the input row of each.
    pub(crate) fn readable(&self) -> (TradeColumns, Vec<usize>) {
        let kept: Vec<usize> = (0..self.rows()).filter(|row| self.errors.binary_search_by_key(row, |e| e.row).is_err()).collect();
        // A column of defaults (empty) stays empty.
        fn pick<T: Copy>(column: &[T], kept: &[usize]) -> Vec<T> {
            if column.is_empty() {
                return Vec::new();
            }
            kept.iter().map(|&k| column[k]).collect()
        }
        let columns = TradeColumns {
            amount_fen: pick(&self.amount_fen, &kept),
            channel: pick(&self.channel, &kept),
            time_unix_s: pick(&self.time_unix_s, &kept),
            settlement: pick(&self.settlement, &kept),
            merchant_class: pick(&self.merchant_class, &kept),
            classes: self.classes.clone(),
            card_type: pick(&self.card_type, &kept),
            errors: Vec::new(),
            defaults: self.defaults.clone(),
        };
        (columns, kept)
    }

    /// Compares `offers` on the rows ([`compare`](crate::compare)): rows whose values cannot
    /// be read are left out and listed in [`Comparison::excluded`] with the rows an offer
    /// cannot price, in row order, every row number the caller's. With
    /// [`OnInvalid::Raise`], the first unreadable row is the error, else the first row an
    /// offer cannot price.
    ///
    /// # Errors
    /// As [`compare`](crate::compare), and the first unreadable row with `Raise`.
    ///
    /// # Example
    /// ```
    /// use posfee::{OnInvalid, Offer, Schedule, TradeColumns, TradeDefaults, TradeText};
    /// let mut columns = TradeColumns::new(&TradeDefaults::default());
    /// columns.push_text(&TradeText { amount: "5000", channel: "debit", time: "2026-05-06 10:00", ..Default::default() })?;
    /// columns.push_text(&TradeText { amount: "oops", channel: "credit", time: "2026-05-06 11:00", ..Default::default() })?;
    /// let offers = [Offer::new(Schedule::preset("sft-traditional")?), Offer::new(Schedule::preset("sft-smart")?)];
    /// let comparison = columns.compare(&offers, OnInvalid::Report)?;
    /// assert_eq!((comparison.excluded.len(), comparison.excluded[0].row), (1, 1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn compare(&self, offers: &[Offer], on_invalid: OnInvalid) -> Result<Comparison> {
        if let (OnInvalid::Raise, Some(first)) = (on_invalid, self.errors.first()) {
            return Err(first.error.clone());
        }
        let (readable, kept) = self.readable();
        let names = readable.class_names();
        let mut comparison = compare(&readable.table(&names), offers, OnInvalid::Report)?;
        let mut excluded = self.errors.clone();
        excluded.extend(comparison.excluded.drain(..).map(|e| {
            let row = kept[e.row];
            e.renumbered(row)
        }));
        excluded.sort_by_key(|e| e.row);
        if let (OnInvalid::Raise, Some(first)) = (on_invalid, excluded.first()) {
            return Err(first.error.clone());
        }
        comparison.excluded = excluded;
        Ok(comparison)
    }
}

/// A column of every row, or of none: then every row takes `default`.
fn each_or<T: Copy>(column: &[T], rows: usize, default: T) -> Column<'_, T> {
    if column.len() == rows {
        Column::Each(column)
    } else {
        Column::All(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trade<'a>(amount: &'a str, channel: &'a str) -> TradeText<'a> {
        TradeText { amount, channel, time: "2026-05-06 10:00", ..TradeText::default() }
    }

    #[test]
    fn empty_cells_take_the_defaults_and_classes_become_codes() {
        let defaults = TradeDefaults::new("D0", Some("discounted"), Some("debit")).unwrap();
        let mut columns = TradeColumns::new(&defaults);
        columns.push_text(&trade("100", "unionpay_qr")).unwrap();
        columns
            .push_text(&TradeText {
                merchant_class: Some(" retail "),
                settlement: Some("T1"),
                card_type: Some("credit"),
                ..trade("1", "credit")
            })
            .unwrap();
        columns.push_text(&TradeText { merchant_class: Some("retail"), ..trade("2", "credit") }).unwrap();
        assert_eq!(columns.class_names(), ["discounted", "retail"]);
        assert_eq!(columns.merchant_class, [0, 1, 1]);
        assert_eq!(columns.settlement, [SettlementMode::D(0), SettlementMode::T(1), SettlementMode::D(0)]);
        assert_eq!(columns.card_type, [Some(CardType::Debit), Some(CardType::Credit), Some(CardType::Debit)]);
        assert!(columns.errors().is_empty());
    }

    #[test]
    fn a_bad_row_names_its_row_and_first_bad_field_and_holds_placeholders() {
        let mut columns = TradeColumns::new(&TradeDefaults::default());
        columns.push_text(&trade("100", "credit")).unwrap();
        columns.push_text(&TradeText { time: "tomorrow", settlement: Some("X9"), ..trade("100", "credit") }).unwrap();
        columns.push_text(&TradeText { card_type: Some("amex"), ..trade("100", "credit") }).unwrap();
        let fields: Vec<(usize, Option<&str>)> = columns.errors().iter().map(|e| (e.row, e.error.location().field.as_deref())).collect();
        assert_eq!(fields, [(1, Some("time")), (2, Some("card_type"))]);
        assert!(columns.errors()[0].error.message().starts_with("row 1: "), "{}", columns.errors()[0].error);
        assert_eq!((columns.rows(), columns.amount_fen()), (3, &[10_000, 0, 0][..]));
    }

    #[test]
    fn more_merchant_classes_than_the_limit_is_an_error() {
        let mut columns = TradeColumns::new(&TradeDefaults::default());
        for k in 1..MERCHANT_CLASS_NAMES_MAX {
            let class = format!("class-{k}");
            columns.push_text(&TradeText { merchant_class: Some(&class), ..trade("1", "credit") }).unwrap();
        }
        // An unreadable row's class is not a class of the table: it does not count.
        columns.push_text(&TradeText { merchant_class: Some("unread"), ..trade("oops", "credit") }).unwrap();
        assert_eq!((columns.classes.len(), columns.errors().len()), (MERCHANT_CLASS_NAMES_MAX, 1));
        let error = columns.push_text(&TradeText { merchant_class: Some("one-too-many"), ..trade("1", "credit") }).unwrap_err();
        assert_eq!((error.kind(), error.location().field.as_deref()), (ErrorKind::InvalidRequest, Some("merchant_class")));
    }

    #[test]
    fn a_quote_request_reads_the_text_as_a_row_does() {
        let defaults = TradeDefaults::new("D0", Some("discounted"), Some("debit")).unwrap();
        let request = trade("100.50", "unionpay_qr").quote_request(&defaults).unwrap();
        assert_eq!((request.amount, request.settlement), (Money::from_fen(10_050), SettlementMode::D(0)));
        assert_eq!((request.merchant_class.as_deref(), request.card_type), (Some("discounted"), Some(CardType::Debit)));
        let own = TradeText { merchant_class: Some(" retail "), settlement: Some("T1"), ..trade("1", "credit") };
        let request = own.quote_request(&TradeDefaults::default()).unwrap();
        assert_eq!((request.merchant_class.as_deref(), request.settlement), (Some("retail"), SettlementMode::T(1)));
        assert_eq!(trade("1", "credit").quote_request(&TradeDefaults::default()).unwrap().merchant_class, None);
        for (bad, field) in [(trade("-1", "credit"), "amount"), (TradeText { time: "soon", ..trade("1", "credit") }, "time")] {
            assert_eq!(bad.quote_request(&defaults).unwrap_err().location().field.as_deref(), Some(field));
        }
    }

    #[test]
    fn compare_numbers_every_left_out_row_as_the_callers() {
        // Row 1 cannot be read; row 3 (in 2010, before either schedule) is priced by neither.
        let mut columns = TradeColumns::new(&TradeDefaults::default());
        for (amount, channel) in [("5000", "debit"), ("oops", "credit"), ("100", "wechat")] {
            columns.push_text(&trade(amount, channel)).unwrap();
        }
        columns.push_text(&TradeText { time: "2010-05-06", ..trade("100", "credit") }).unwrap();
        let offers = [Offer::new(Schedule::preset("sft-traditional").unwrap()), Offer::new(Schedule::preset("sft-smart").unwrap())];
        let comparison = columns.compare(&offers, OnInvalid::Report).unwrap();
        let rows: Vec<usize> = comparison.excluded.iter().map(|e| e.row).collect();
        assert_eq!(rows, [1, 3]);
        assert!(comparison.excluded[1].error.message().contains("row 3: "), "{}", comparison.excluded[1].error);
        assert_eq!(comparison.offers[0].total.trades, 2);
        let raised = columns.compare(&offers, OnInvalid::Raise).unwrap_err();
        assert!(raised.message().starts_with("row 1: "), "{raised}");
    }
}

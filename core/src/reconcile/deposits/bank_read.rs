//! Reading a bank account statement export with a [`BankProfile`]: the rows of the account
//! (money in and out), every line that cannot be read kept with its file, true line,
//! column, field and reason.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveTime};

use super::bank_profile::{BankField, BankProfile};
use crate::error::{Error, ErrorKind, Location, Result};
use crate::money::Money;
use crate::reconcile::read::{
    clean, decode_as, fast_date, find_cleaned, header, parse_money_text, parse_time_of_day, parsed_by, stream, Fit, Row,
};
use crate::reconcile::tokenize::{Dialect, Known};
use crate::reconcile::MoneyUnit;

/// The largest bank statement accepted: 256 MiB (an account's statement of years is a few MiB).
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::deposits::BANK_STATEMENT_BYTES_MAX, 256 << 20);
/// ```
pub const BANK_STATEMENT_BYTES_MAX: usize = 256 << 20;

/// The most rows a bank statement may have: 2,000,000.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::deposits::BANK_ROWS_MAX, 2_000_000);
/// ```
pub const BANK_ROWS_MAX: usize = 2_000_000;

/// One row of a bank account statement.
///
/// # Example
/// ```
/// use posfee::Money;
/// let row = posfee::reconcile::deposits::BankRow::new(posfee::parse_date("2026-11-02")?, Money::parse("12246.67")?, "拉卡拉支付股份有限公司");
/// assert!(row.is_credit());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BankRow {
    /// The posting date (记账日期).
    pub date: NaiveDate,
    /// The time of day, when the file gives one.
    pub time: Option<NaiveTime>,
    /// Signed: positive is money in, negative money out. Whole fen.
    pub amount: Money,
    /// The balance after the row, when the file gives one.
    pub balance: Option<Money>,
    /// The counterparty's name (some banks run name and account together).
    pub counterparty: String,
    /// The counterparty's account number.
    pub counterparty_account: String,
    /// The bank's description (摘要).
    pub summary: String,
    /// Free text (附言, 用途, 交易场所).
    pub memo: String,
    /// The 1-based line in the file (0 when built in code).
    pub line: u64,
}

impl BankRow {
    /// A row with empty texts, no time and no balance.
    ///
    /// # Example
    /// ```
    /// let row = posfee::reconcile::deposits::BankRow::new(posfee::parse_date("2026-11-02")?, posfee::Money::from_yuan(-99), "");
    /// assert!(!row.is_credit());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(date: NaiveDate, amount: Money, counterparty: impl Into<String>) -> BankRow {
        BankRow {
            date,
            time: None,
            amount,
            balance: None,
            counterparty: counterparty.into(),
            counterparty_account: String::new(),
            summary: String::new(),
            memo: String::new(),
            line: 0,
        }
    }

    /// Whether the row is money in.
    ///
    /// # Example
    /// ```
    /// let row = posfee::reconcile::deposits::BankRow::new(posfee::parse_date("2026-11-02")?, posfee::Money::from_yuan(5), "");
    /// assert!(row.is_credit());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn is_credit(&self) -> bool {
        self.amount > Money::ZERO
    }
}

/// A line of a bank statement that could not be read: the error (file, line, column,
/// field, reason) and the raw text.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::{read_bank_statement, BankProfile};
/// let text = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n2026-11-02,CNY,12.3.4,0,,,\n";
/// let bank = read_bank_statement(text.as_bytes(), "cmb.csv", &BankProfile::builtin("cmb-debit")?)?;
/// let issue = &bank.issues()[0];
/// assert_eq!((issue.error.location().line, issue.error.location().column), (Some(2), Some(3)));
/// assert_eq!(issue.error.location().field.as_deref(), Some("amount"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankIssue {
    /// The error, with file, line, column and field.
    pub error: Error,
    /// The raw text of the line.
    pub raw: String,
}

impl BankIssue {
    /// With [`OnInvalid::Raise`](crate::OnInvalid::Raise), the first issue as an error (a bank
    /// line that cannot be read stops the check); with `Report` none (the lines stay in the
    /// report as unreadable): the same rule as
    /// [`ReadIssue::raise_first`](crate::reconcile::ReadIssue::raise_first) for statements.
    ///
    /// # Errors
    /// The first issue's error, with its file, line and field.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::{read_bank_statement, BankIssue, BankProfile};
    /// let text = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n2026-11-02,CNY,12.3.4,0,,,\n";
    /// let bank = read_bank_statement(text.as_bytes(), "cmb.csv", &BankProfile::builtin("cmb-debit")?)?;
    /// assert!(BankIssue::raise_first(posfee::OnInvalid::Report, bank.issues()).is_ok());
    /// assert_eq!(BankIssue::raise_first(posfee::OnInvalid::Raise, bank.issues()).unwrap_err().location().line, Some(2));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn raise_first(on_invalid: crate::OnInvalid, issues: &[BankIssue]) -> Result<()> {
        match (on_invalid, issues.first()) {
            (crate::OnInvalid::Raise, Some(issue)) => Err(issue.error.clone()),
            _ => Ok(()),
        }
    }
}

/// A bank account statement: its rows, the lines that could not be read, and the rows
/// skipped by rule (other currencies).
///
/// # Example
/// ```
/// use posfee::{Money, parse_date};
/// use posfee::reconcile::deposits::{BankRow, BankStatement};
/// let mut bank = BankStatement::new("bank.csv");
/// bank.push(BankRow::new(parse_date("2026-11-02")?, Money::from_yuan(100), "拉卡拉"))?;
/// assert_eq!(bank.len(), 1);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BankStatement {
    name: String,
    rows: Vec<BankRow>,
    issues: Vec<BankIssue>,
    skipped_rows: u64,
}

impl BankStatement {
    /// An empty statement; `name` (usually the file name) appears in locations.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::deposits::BankStatement::new("b.csv").is_empty());
    /// ```
    pub fn new(name: impl Into<String>) -> BankStatement {
        BankStatement { name: name.into(), ..BankStatement::default() }
    }

    /// The name given at creation.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::BankStatement::new("b.csv").name(), "b.csv");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Appends a row after checking it.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] for an amount or balance that is not whole fen or beyond
    /// [`Money::MAX_AMOUNT`]; [`ErrorKind::InvalidRecord`] past [`BANK_ROWS_MAX`] rows.
    ///
    /// # Example
    /// ```
    /// use posfee::{Money, parse_date};
    /// use posfee::reconcile::deposits::{BankRow, BankStatement};
    /// let mut bank = BankStatement::new("b");
    /// let err = bank.push(BankRow::new(parse_date("2026-11-02")?, Money::parse("0.001")?, "")).unwrap_err();
    /// assert_eq!(err.code(), "invalid_amount");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn push(&mut self, row: BankRow) -> Result<()> {
        let at = || Location::default().file(self.name.clone()).line(row.line.max(1));
        if self.rows.len() >= BANK_ROWS_MAX {
            return Err(Error::new(ErrorKind::InvalidRecord, format!("a bank statement has at most {BANK_ROWS_MAX} rows")).at(at()));
        }
        for (value, field) in [(Some(row.amount), "amount"), (row.balance, "balance")] {
            let Some(value) = value else { continue };
            if value.fen().is_none() {
                return Err(
                    Error::new(ErrorKind::InvalidAmount, format!("{field} ¥{value} is not a whole number of fen")).at(at().field(field))
                );
            }
            if value > Money::MAX_AMOUNT || -value > Money::MAX_AMOUNT {
                return Err(
                    Error::new(ErrorKind::InvalidAmount, format!("{field} ¥{value} exceeds ¥{}", Money::MAX_AMOUNT)).at(at().field(field))
                );
            }
        }
        self.rows.push(row);
        Ok(())
    }

    /// Records a line that could not be read.
    ///
    /// # Example
    /// ```
    /// let mut bank = posfee::reconcile::deposits::BankStatement::new("b");
    /// bank.push_issue(posfee::Money::parse_amount("garbled").unwrap_err(), "x");
    /// assert_eq!(bank.issues()[0].error.location().file.as_deref(), Some("b"));
    /// ```
    pub fn push_issue(&mut self, error: Error, raw: impl Into<String>) {
        let error = error.at(Location::default().file(self.name.clone()));
        self.issues.push(BankIssue { error, raw: raw.into() });
    }

    /// The rows, in file order.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::deposits::BankStatement::new("b").rows().is_empty());
    /// ```
    pub fn rows(&self) -> &[BankRow] {
        &self.rows
    }

    /// The lines that could not be read.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::deposits::BankStatement::new("b").issues().is_empty());
    /// ```
    pub fn issues(&self) -> &[BankIssue] {
        &self.issues
    }

    /// Rows skipped by rule: rows in a currency other than renminbi.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::BankStatement::new("b").skipped_rows(), 0);
    /// ```
    pub fn skipped_rows(&self) -> u64 {
        self.skipped_rows
    }

    /// The number of rows.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::BankStatement::new("b").len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::deposits::BankStatement::new("b").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Reads a bank account statement with a [`BankProfile`] ([`BankProfile::builtin`],
/// [`BankProfile::from_toml`] or [`BankProfile::sniff`]).
///
/// The text is decoded (UTF-8 with or without BOM, or GB18030/GBK), the header row is the
/// first line naming the profile's date and money columns (preambles before it are skipped),
/// footer lines (合计) are not rows, and every other line becomes a [`BankRow`] or a
/// [`BankIssue`] with file, true line (LF, CRLF or CR), column, field and reason. Where the
/// file states its own credit and debit sums, the rows read must add up to them.
///
/// # Errors
/// [`ErrorKind::InvalidRecord`] when no line holds the profile's header (naming the missing
/// columns) or the input exceeds [`BANK_STATEMENT_BYTES_MAX`]; a spreadsheet (.xlsx, .xls) is
/// read from its first sheet, with the errors of a workbook the statement readers give
/// ([`is_workbook`](crate::reconcile::is_workbook); without the `excel` feature, an error saying to
/// save the sheet as CSV).
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::{read_bank_statement, BankProfile};
/// let text = "中国银行交易流水明细单\r\n\
///             记账日期,记账时间,币别,金额,余额,交易名称,渠道,网点名称,附言,对方账户名,对方卡号/账号,对方开户行,借记卡号\r\n\
///             2026-11-02,09:12:40,人民币,\"12,246.67\",\"20,000.00\",银联入账,银企对接,----------,结算款,拉卡拉支付股份有限公司,3101******0001,----------,3167\r\n";
/// let bank = read_bank_statement(text.as_bytes(), "boc.csv", &BankProfile::builtin("boc-debit")?)?;
/// let row = &bank.rows()[0];
/// assert_eq!((row.line, row.amount.to_string(), row.counterparty.as_str()), (3, "12246.67".to_string(), "拉卡拉支付股份有限公司"));
/// assert_eq!(row.memo, "结算款");
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn read_bank_statement(bytes: &[u8], file: &str, profile: &BankProfile) -> Result<BankStatement> {
    let text = bank_text(bytes, file)?;
    let bytes: &[u8] = &text;
    if bytes.len() > BANK_STATEMENT_BYTES_MAX {
        return Err(Error::new(
            ErrorKind::InvalidRecord,
            format!("a bank statement of {} bytes exceeds the limit of {BANK_STATEMENT_BYTES_MAX}", bytes.len()),
        )
        .at(Location::default().file(file)));
    }
    let text = decode_as(bytes, profile.encoding);
    let layout = Layout::locate(&text, file, profile)?;
    let mut bank = BankStatement::new(file);
    let mut sums = Sums::default();
    let data = &text[layout.data_start..];
    stream(
        data,
        layout.data_line,
        layout.dialect(),
        Known::default(),
        |row| match row {
            Err((line, error)) => bank.push_issue(error.at(Location::default().line(line).field("record")), ""),
            Ok(row) => layout.take(row, &mut bank, &mut sums),
        },
        file,
    );
    layout.check_totals(&mut bank, &sums);
    Ok(bank)
}

/// Reads a bank statement file: with `profile`, or the shipped profile that fits its first
/// bytes ([`BankProfile::sniff`]).
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read; otherwise as [`read_bank_statement`] and
/// [`BankProfile::sniff`].
///
/// # Example
/// ```
/// let path = std::env::temp_dir().join("posfee-doc-bank.csv");
/// std::fs::write(&path, "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n2026-11-02,CNY,100.00,100.00,转账,拉卡拉支付,\n")?;
/// let bank = posfee::reconcile::deposits::read_bank_statement_file(&path, None)?;
/// assert_eq!(bank.rows()[0].amount.to_string(), "100.00");
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_bank_statement_file(path: impl AsRef<std::path::Path>, profile: Option<&BankProfile>) -> Result<BankStatement> {
    let path = path.as_ref();
    let file = path.display().to_string();
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("cannot read {file}: {e}")).at(Location::default().file(file.clone()));
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > BANK_STATEMENT_BYTES_MAX as u64 {
        return Err(Error::new(
            ErrorKind::InvalidRecord,
            format!("a bank statement of {size} bytes exceeds the limit of {BANK_STATEMENT_BYTES_MAX}"),
        )
        .at(Location::default().file(file.clone())));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let text = bank_text(&bytes, &file)?;
    let bytes: &[u8] = &text;
    let sniffed;
    let profile = match profile {
        Some(profile) => profile,
        None => {
            sniffed = BankProfile::sniff(bytes).map_err(|e| e.at(Location::default().file(file.clone())))?;
            &sniffed
        }
    };
    read_bank_statement(bytes, &file, profile)
}

/// Reads a bank statement file with the profile `format` names: `auto` sniffs its text (a
/// spreadsheet's first sheet converted first); another name or a `.toml` profile file is
/// resolved against the file's first [`crate::reconcile::Profile::SNIFF_BYTES`]
/// ([`BankProfile::resolve`]).
///
/// # Errors
/// As [`crate::read_file_head`], [`BankProfile::resolve`] and [`read_bank_statement_file`].
///
/// # Example
/// ```
/// let path = std::env::temp_dir().join("posfee-doc-bank-named.csv");
/// std::fs::write(&path, "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n2026-11-02,CNY,100.00,100.00,转账,拉卡拉支付,\n")?;
/// let bank = posfee::reconcile::deposits::read_bank_file(&path, "cmb-debit")?;
/// assert_eq!(bank.rows()[0].amount.to_string(), "100.00");
/// assert_eq!(posfee::reconcile::deposits::read_bank_file(&path, "hsbc").unwrap_err().location().field.as_deref(), Some("bank_format"));
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_bank_file(path: &std::path::Path, format: &str) -> Result<BankStatement> {
    if format.trim() == "auto" {
        return read_bank_statement_file(path, None);
    }
    let head = crate::read_file_head(path, crate::reconcile::Profile::SNIFF_BYTES)?;
    read_bank_statement_file(path, Some(&BankProfile::resolve(format, &head, &path.display().to_string())?))
}

/// The bytes to read as text: a workbook's first sheet as CSV text (row *k* on line *k*, by the
/// statement readers' workbook conversion), anything else as it is.
fn bank_text<'b>(bytes: &'b [u8], file: &str) -> Result<Cow<'b, [u8]>> {
    if crate::reconcile::is_workbook(bytes) {
        return Ok(Cow::Owned(crate::reconcile::workbook::sheet_as_csv(bytes, file)?.into_bytes()));
    }
    Ok(Cow::Borrowed(bytes))
}

/// Reads a bank statement export given as bytes, a CSV file or a spreadsheet (.xlsx, .xls: its
/// first sheet), with the profile `format` names ([`BankProfile::resolve`]: `auto` sniffs the
/// text, a `.toml` name is a profile file).
///
/// # Errors
/// As [`BankProfile::resolve`] and [`read_bank_statement`].
///
/// # Example
/// ```
/// let csv = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n2026-11-02,CNY,100.00,100.00,转账,拉卡拉支付,\n";
/// let bank = posfee::reconcile::deposits::read_bank_export(csv.as_bytes(), "bank.csv", "auto")?;
/// assert_eq!(bank.rows()[0].amount.to_string(), "100.00");
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn read_bank_export(bytes: &[u8], file: &str, format: &str) -> Result<BankStatement> {
    let text = bank_text(bytes, file)?;
    let profile = BankProfile::resolve(format, &text[..text.len().min(crate::reconcile::Profile::SNIFF_BYTES)], file)?;
    read_bank_statement(&text, file, &profile)
}

/// How `profile` fits the first bytes of a file.
pub(crate) fn fit(head: &[u8], profile: &BankProfile) -> Fit {
    let text = decode_as(head, profile.encoding);
    match Layout::locate(&text, "", profile) {
        Ok(layout) => Fit { complete: true, found: layout.columns.iter().flatten().count(), missing: String::new() },
        Err(error) => Fit { complete: false, found: 0, missing: error.message().rsplit("missing ").next().unwrap_or("").to_string() },
    }
}

/// The credit and debit sums read, for a file that states its own.
#[derive(Debug, Default)]
struct Sums {
    credit_millifen: i128,
    debit_millifen: i128,
    /// The footer row with the stated sums: line and fields.
    stated: Option<(u64, Vec<String>)>,
}

/// Where a profile's fields are in this file.
struct Layout<'p> {
    profile: &'p BankProfile,
    /// Per [`BankField`]: the 0-based column.
    columns: Vec<Option<usize>>,
    data_start: usize,
    data_line: u64,
}

impl<'p> Layout<'p> {
    fn locate(text: &str, file: &str, profile: &'p BankProfile) -> Result<Layout<'p>> {
        let dialect = Dialect { delimiter: profile.delimiter, comment: false };
        let locate = |record: &csv::StringRecord| -> Vec<Option<usize>> {
            BankField::ALL
                .iter()
                .map(|&field| profile.field(field)?.names.iter().find_map(|name| find_cleaned(record, name, &[])))
                .collect()
        };
        let complete = |found: &[Option<usize>]| profile.required_fields().all(|f| found[f as usize].is_some());
        match header(text, dialect, profile.header_search_lines, |record| complete(&locate(record))) {
            Ok((record, data_start, data_line)) => Ok(Layout { profile, columns: locate(&record), data_start, data_line }),
            Err(first_line) => {
                let mut best: Option<(usize, Vec<Option<usize>>)> = None;
                let _ = header(text, dialect, profile.header_search_lines, |record| {
                    let found = locate(record);
                    let score = profile.required_fields().filter(|f| found[*f as usize].is_some()).count();
                    if best.as_ref().map_or(true, |(s, _)| score > *s) {
                        best = Some((score, found));
                    }
                    false
                });
                let found = best.map(|(_, found)| found).unwrap_or_else(|| vec![None; BankField::ALL.len()]);
                let missing: Vec<String> = profile
                    .required_fields()
                    .filter(|f| found[*f as usize].is_none())
                    .map(|f| format!("{} ({})", f.name(), profile.names(f).first().map(String::as_str).unwrap_or("?")))
                    .collect();
                Err(Error::new(
                    ErrorKind::InvalidRecord,
                    format!(
                        "no header row of the {} bank format in the first {} lines; missing {}",
                        profile.name,
                        profile.header_search_lines,
                        missing.join(", ")
                    ),
                )
                .at(Location::default().file(file).line(first_line)))
            }
        }
    }

    fn dialect(&self) -> Dialect {
        Dialect { delimiter: self.profile.delimiter, comment: false }
    }

    /// The cleaned value of `field` (empty for a null value or a run of dashes).
    fn value<'r>(&self, row: &Row<'r>, field: BankField) -> &'r str {
        let value = row.get(self.columns[field as usize]);
        let profile = self.profile;
        if profile.dashes_are_empty && !value.is_empty() && value.bytes().all(|b| b == b'-') {
            return "";
        }
        if profile.null_values.iter().any(|null| null == value) {
            return "";
        }
        value
    }

    fn error(&self, row: &Row<'_>, field: BankField, message: String, kind: ErrorKind) -> Error {
        row.error(self.columns[field as usize], field.name(), Error::new(kind, message))
    }

    fn money(&self, row: &Row<'_>, field: BankField) -> Result<Option<Money>> {
        let text = self.value(row, field);
        if text.is_empty() {
            return Ok(None);
        }
        let text = text.strip_prefix('+').unwrap_or(text);
        parse_money_text(text, MoneyUnit::Yuan).map(Some).map_err(|e| row.error(self.columns[field as usize], field.name(), e))
    }

    /// A line after the header: a footer, a skipped row, a row or an issue.
    fn take(&self, row: &Row<'_>, bank: &mut BankStatement, sums: &mut Sums) {
        let first = row.get(Some(0));
        let profile = self.profile;
        if profile.totals_row_prefix.as_deref().is_some_and(|prefix| first.starts_with(prefix)) {
            sums.stated = Some((row.line, (0..row.fields.len()).map(|c| row.get(Some(c)).to_string()).collect()));
            return;
        }
        if profile.footer_prefixes.iter().any(|prefix| first.starts_with(prefix.as_str())) {
            return;
        }
        match self.row(row, sums) {
            Ok(None) => bank.skipped_rows += 1,
            Ok(Some(record)) => {
                if let Err(error) = bank.push(record) {
                    bank.push_issue(error, row.raw());
                }
            }
            Err(error) => bank.push_issue(error, row.raw()),
        }
    }

    /// Converts a row: `Ok(None)` for a row in another currency.
    fn row(&self, row: &Row<'_>, sums: &mut Sums) -> Result<Option<BankRow>> {
        use BankField as F;
        let profile = self.profile;
        if let Some(spec) = profile.field(F::Currency) {
            let currency = self.value(row, F::Currency);
            if !currency.is_empty() && !spec.accept.is_empty() && !spec.accept.iter().any(|a| a.eq_ignore_ascii_case(currency)) {
                return Ok(None);
            }
        }
        let date_text = self.value(row, F::Date);
        if date_text.is_empty() {
            let message = match self.columns[F::Date as usize] {
                Some(c) if c >= row.fields.len() => {
                    format!("the row has {} field(s) and ends before column {} (date)", row.fields.len(), c + 1)
                }
                _ => "date is empty".to_string(),
            };
            return Err(self.error(row, F::Date, message, ErrorKind::InvalidRecord));
        }
        let (date, mut time) = self.date(date_text).map_err(|e| row.error(self.columns[F::Date as usize], F::Date.name(), e))?;
        let time_text = self.value(row, F::Time);
        if !time_text.is_empty() {
            time = Some(parse_time_of_day(time_text).ok_or_else(|| {
                self.error(row, F::Time, format!("time {time_text:?} is not a time of day (10:30:00 or 103000)"), ErrorKind::InvalidDate)
            })?);
        }
        let amount = if profile.field(F::Amount).is_some() {
            let amount = self
                .money(row, F::Amount)?
                .ok_or_else(|| self.error(row, F::Amount, "amount is empty".into(), ErrorKind::InvalidRecord))?;
            match profile.field(F::Direction) {
                None => amount,
                Some(spec) => {
                    let direction = self.value(row, F::Direction);
                    if amount.is_negative() {
                        return Err(self.error(
                            row,
                            F::Amount,
                            format!("amount {amount} is negative, but the direction column gives the sign"),
                            ErrorKind::InvalidAmount,
                        ));
                    }
                    if spec.credit.iter().any(|v| v == direction) {
                        amount
                    } else if spec.debit.iter().any(|v| v == direction) {
                        -amount
                    } else {
                        let known: Vec<&str> = spec.credit.iter().chain(&spec.debit).map(String::as_str).collect();
                        return Err(self.error(
                            row,
                            F::Direction,
                            format!("direction {direction:?} is not one of {}", known.join(", ")),
                            ErrorKind::InvalidRecord,
                        ));
                    }
                }
            }
        } else {
            let credit = self.money(row, F::Credit)?;
            let debit = self.money(row, F::Debit)?;
            match (credit.filter(|m| !m.is_zero()), debit.filter(|m| !m.is_zero())) {
                (Some(_), Some(_)) => {
                    return Err(self.error(row, F::Debit, "the row has both money in and money out".into(), ErrorKind::InvalidRecord))
                }
                (Some(credit), None) if credit.is_negative() => {
                    return Err(self.error(row, F::Credit, format!("money in {credit} is negative"), ErrorKind::InvalidAmount))
                }
                (Some(credit), None) => {
                    sums.credit_millifen += i128::from(credit.millifen());
                    credit
                }
                (None, Some(debit)) => {
                    sums.debit_millifen += i128::from(debit.abs().millifen());
                    -debit.abs()
                }
                (None, None) if credit.is_some() || debit.is_some() => Money::ZERO,
                (None, None) => {
                    return Err(self.error(row, F::Credit, "the row has neither money in nor money out".into(), ErrorKind::InvalidRecord))
                }
            }
        };
        let balance = self.money(row, F::Balance)?;
        Ok(Some(BankRow {
            date,
            time,
            amount,
            balance,
            counterparty: self.value(row, F::Counterparty).to_string(),
            counterparty_account: self.value(row, F::CounterpartyAccount).to_string(),
            summary: self.value(row, F::Summary).to_string(),
            memo: self.value(row, F::Memo).to_string(),
            line: row.line,
        }))
    }

    /// A date (and a time, when the column holds one) by the field's format or the usual forms.
    fn date(&self, text: &str) -> Result<(NaiveDate, Option<NaiveTime>)> {
        let bad = |format: &str| Error::new(ErrorKind::InvalidDate, format!("date {text:?} does not have the form {format:?}"));
        if let Some((spec, format)) = self.profile.field(BankField::Date).and_then(|f| Some((f, f.format.as_deref()?))) {
            // As NaiveDate::parse_from_str, then NaiveDateTime's, with the format read once.
            let parsed = parsed_by(&spec.format_items, text).ok_or_else(|| bad(format))?;
            return match parsed.to_naive_date() {
                Ok(date) => Ok((date, None)),
                Err(_) => parsed.to_naive_datetime_with_offset(0).map(|at| (at.date(), Some(at.time()))).map_err(|_| bad(format)),
            };
        }
        if let Ok(date) = fast_date(text) {
            return Ok((date, None));
        }
        let at = crate::settlement::parse_china_time(text)
            .map_err(|_| Error::new(ErrorKind::InvalidDate, format!("date {text:?} is not a date (2026-11-02 or 20261102)")))?;
        let time = at.time();
        Ok((at.date_naive(), (time != NaiveTime::MIN).then_some(time)))
    }

    /// Compares the footer's stated credit and debit sums with the rows read.
    fn check_totals(&self, bank: &mut BankStatement, sums: &Sums) {
        let Some((line, fields)) = &sums.stated else { return };
        let stated = |field: BankField| {
            let column = self.columns[field as usize]?;
            let text = clean(fields.get(column)?);
            if text.is_empty() || text.bytes().all(|b| b == b'-') {
                return None;
            }
            parse_money_text(text.strip_prefix('+').unwrap_or(text), MoneyUnit::Yuan).ok().map(|m| i128::from(m.abs().millifen()))
        };
        let yuan = |millifen: i128| {
            i64::try_from(millifen).ok().and_then(|m| Money::from_millifen(m).ok()).map_or(millifen.to_string(), |m| m.to_string())
        };
        let mut wrong = Vec::new();
        for (field, read, what) in
            [(BankField::Credit, sums.credit_millifen, "money in"), (BankField::Debit, sums.debit_millifen, "money out")]
        {
            if let Some(stated) = stated(field) {
                if stated != read {
                    wrong.push(format!("{what} ¥{} stated, ¥{} read", yuan(stated), yuan(read)));
                }
            }
        }
        if wrong.is_empty() {
            return;
        }
        let why = match bank.issues.len() {
            0 => "a truncated file or a lost row".to_string(),
            n => format!("{n} line(s) of the file could not be read and are reported on their own"),
        };
        let message = format!("the file's own totals disagree with the rows read ({}): {why}", wrong.join("; "));
        bank.push_issue(
            Error::new(ErrorKind::InvalidRecord, message).at(Location::default().line(*line).field("totals")),
            fields.join(","),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{read_bank_statement, BankProfile};
    use chrono::{NaiveDate, NaiveDateTime};
    use proptest::prelude::*;

    proptest! {
        /// A date column with a format reads as chrono's `parse_from_str` reads the text (a
        /// date, else a date-time), with the format read once for the file: the same dates,
        /// times and refusals, for dates in and out of the calendar.
        #[test]
        fn formatted_bank_dates_read_as_chrono_reads_their_text(
            format in prop_oneof![Just("%Y%m%d"), Just("%Y-%m-%d %H:%M:%S"), Just("%Y/%m/%d"), Just("%d.%m.%Y")],
            (year, month, day) in (1990i32..2100, 0u32..14, 0u32..33),
            (hour, minute, second) in (0u32..25, 0u32..61, 0u32..61),
            other in "[0-9 ./:-]{0,20}",
            written in any::<bool>(),
        ) {
            let text = if written {
                format
                    .replace("%Y", &format!("{year:04}"))
                    .replace("%m", &format!("{month:02}"))
                    .replace("%d", &format!("{day:02}"))
                    .replace("%H", &format!("{hour:02}"))
                    .replace("%M", &format!("{minute:02}"))
                    .replace("%S", &format!("{second:02}"))
            } else {
                other
            };
            let profile = BankProfile::from_toml(&format!(
                "name = \"t\"\ntitle = \"t\"\nsource = \"t\"\n[fields]\ndate = {{ names = [\"日期\"], format = \"{format}\" }}\namount = {{ names = [\"金额\"] }}\n"
            ))
            .unwrap();
            let bank = read_bank_statement(format!("日期,金额\n{text},1.00\n").as_bytes(), "b.csv", &profile).unwrap();
            let cell = text.trim();
            let expected = NaiveDate::parse_from_str(cell, format)
                .map(|date| (date, None))
                .or_else(|_| NaiveDateTime::parse_from_str(cell, format).map(|at| (at.date(), Some(at.time()))));
            match expected {
                Ok((date, time)) if !cell.is_empty() => {
                    prop_assert_eq!(bank.rows().len(), 1, "{:?}: {:?}", text, bank.issues());
                    prop_assert_eq!((bank.rows()[0].date, bank.rows()[0].time), (date, time));
                }
                _ => {
                    prop_assert_eq!(bank.rows().len(), 0, "{:?} read as {:?}", text, bank.rows());
                    prop_assert_eq!(bank.issues().len(), 1);
                }
            }
        }
    }
}

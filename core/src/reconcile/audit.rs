//! The audit of one statement file as a merchant without a back office runs it (the web
//! page's statement checker): the file's bytes in any shipped format (sniffed), the contract,
//! and the merchant's ledger when there is one.
//!
//! With a ledger the audit is [`reconcile`]; without one it is [`check_statement`] (the
//! statement against the ledger it implies), and then only statement rows count: the implied
//! ledger mirrors the statement, so its rows add nothing a user must look at. The
//! [`AuditOverview`] is what a screen shows first — the report's summary, the classes with
//! rows, and the problem rows with the keys that find them in the files.

use serde::{Deserialize, Serialize};

use super::{
    check_statement, implied_ledger, read_ledger_csv, read_statement, reconcile, Class, ClassTotals, Ledger, MerchantProfile, Profile,
    ReconcileOptions, Report, RowKeys, RowResult, Side, Statement, Summary,
};
use crate::error::{Error, ErrorKind, Result};
use crate::lang::Lang;
use crate::request::ScheduleSource;
use crate::SettlementMode;

/// The largest file an audit reads: 64 MiB (about 400,000 rows of a bank statement; the
/// page holds the file and the report in memory).
pub const AUDIT_FILE_BYTES_MAX: usize = 64 << 20;

/// The most problem rows an [`AuditOverview`] lists (its `problem_rows_total` counts them all).
pub const PROBLEM_ROWS_MAX: usize = 2_000;

/// How many problem rows an [`AuditOverview`] lists when a caller asks for `requested`:
/// [`PROBLEM_ROWS_MAX`] when it does not say.
///
/// # Errors
/// [`ErrorKind::InvalidRequest`] over [`PROBLEM_ROWS_MAX`], in the field `rows_max`.
///
/// # Example
/// ```
/// use posfee::reconcile::{problem_rows_max, PROBLEM_ROWS_MAX};
/// assert_eq!((problem_rows_max(None)?, problem_rows_max(Some(5))?), (PROBLEM_ROWS_MAX, 5));
/// assert_eq!(problem_rows_max(Some(PROBLEM_ROWS_MAX + 1)).unwrap_err().location().field.as_deref(), Some("rows_max"));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn problem_rows_max(requested: Option<usize>) -> Result<usize> {
    match requested {
        None => Ok(PROBLEM_ROWS_MAX),
        Some(rows) if rows <= PROBLEM_ROWS_MAX => Ok(rows),
        Some(rows) => {
            Err(Error::new(ErrorKind::InvalidRequest, format!("{rows} problem rows asked for; at most {PROBLEM_ROWS_MAX} are listed"))
                .in_field("rows_max"))
        }
    }
}

/// A file given as bytes: its name (in the location of every error) and the format to read
/// it with (`auto`: sniffed from its first [`Profile::SNIFF_BYTES`]).
///
/// # Example
/// ```
/// use posfee::reconcile::FileBytes;
/// let file = FileBytes::new("settle.csv", "清算日期,交易日期,交易时间,交易金额,手续费,卡类别\n".as_bytes());
/// assert_eq!(file.read_statement()?.0.name(), "bank-pos");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileBytes<'a> {
    /// The file name.
    pub name: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
    /// `auto` or a format name ([`Profile::resolve`]).
    pub format: &'a str,
}

impl<'a> FileBytes<'a> {
    /// A file whose format is sniffed (`auto`).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::FileBytes::new("s.csv", b"").format, "auto");
    /// ```
    pub fn new(name: &'a str, bytes: &'a [u8]) -> FileBytes<'a> {
        FileBytes { name, bytes, format: "auto" }
    }

    /// The same file read with `format` (`auto` or a format name).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::FileBytes::new("s.csv", b"").format("wechat").format, "wechat");
    /// ```
    pub fn format(self, format: &'a str) -> FileBytes<'a> {
        FileBytes { format, ..self }
    }

    /// Its first bytes, where a format is sniffed.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::FileBytes::new("s.csv", b"abc").head(), b"abc");
    /// ```
    pub fn head(&self) -> &'a [u8] {
        &self.bytes[..self.bytes.len().min(Profile::SNIFF_BYTES)]
    }

    /// Refuses a file over [`AUDIT_FILE_BYTES_MAX`], naming it and its size, in `field`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] over the limit.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{FileBytes, AUDIT_FILE_BYTES_MAX};
    /// let big = vec![b'a'; AUDIT_FILE_BYTES_MAX + 1];
    /// let err = FileBytes::new("big.csv", &big).check_size("ledger").unwrap_err();
    /// assert_eq!(err.location().field.as_deref(), Some("ledger"));
    /// assert!(FileBytes::new("small.csv", b"a").check_size("ledger").is_ok());
    /// ```
    pub fn check_size(&self, field: &str) -> Result<()> {
        if self.bytes.len() > AUDIT_FILE_BYTES_MAX {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("{} is {} bytes; files are read up to {AUDIT_FILE_BYTES_MAX} bytes (64 MiB)", self.name, self.bytes.len()),
            )
            .in_field(field));
        }
        Ok(())
    }

    /// Reads the file as a statement: the format chosen (sniffed when `auto`) and the rows.
    ///
    /// # Errors
    /// [`FileBytes::check_size`] (field `statement`); an unknown format (field `format`); any
    /// error of [`read_statement`] (file, line, column, field).
    ///
    /// # Example
    /// ```
    /// let file = posfee::reconcile::FileBytes::new("s.csv", b"").format("visa");
    /// assert_eq!(file.read_statement().unwrap_err().location().field.as_deref(), Some("format"));
    /// ```
    pub fn read_statement(&self) -> Result<(Profile, Statement)> {
        self.check_size("statement")?;
        let chosen = Profile::resolve(self.format, self.head(), self.name).map_err(|e| e.in_field("format"))?;
        let statement = read_statement(self.bytes, self.name, &chosen)?;
        Ok((chosen, statement))
    }

    /// The purchases of the file read as a statement, as rows of a table of trades to price
    /// under other offers ([`compare`](crate::compare)): refunds, reversals and rows that did
    /// not succeed are left out.
    ///
    /// # Errors
    /// As [`FileBytes::read_statement`].
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, FileBytes};
    /// let sample = generate(&SimulationOptions::new(7).trades(50))?;
    /// let bytes = write_bank_csv(&sample.statement);
    /// let purchases = FileBytes::new("settle.csv", bytes.as_bytes()).purchases()?;
    /// assert_eq!(purchases.format, "bank-pos");
    /// let first = &purchases.trades[0];
    /// assert_eq!((first.time.len(), first.amount.contains('.')), (19, true)); // 2026-05-01 09:12:45, 1234.50
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn purchases(&self) -> Result<StatementPurchases> {
        let (chosen, statement) = self.read_statement()?;
        let trades = (0..statement.len())
            .map(|j| statement.record(j))
            .filter(|record| record.kind == crate::TradeKind::Purchase)
            .map(|record| PurchaseText {
                amount: record.amount.to_string(),
                channel: record.channel.name(),
                time: record.time.format("%Y-%m-%d %H:%M:%S").to_string(),
            })
            .collect();
        Ok(StatementPurchases { format: chosen.name().to_string(), trades })
    }
}

/// The purchases of a statement file ([`FileBytes::purchases`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementPurchases {
    /// The format the file was read with.
    pub format: String,
    /// Its purchases, in file order.
    pub trades: Vec<PurchaseText>,
}

/// A purchase as the text of a row of a table of trades: the required
/// [`TRADE_COLUMNS`](crate::TRADE_COLUMNS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseText {
    /// The amount in yuan (`1234.50`).
    pub amount: String,
    /// The channel's name (`credit`, `wechat`, …).
    pub channel: &'static str,
    /// The trade time, China time (`2026-05-06 10:00:00`).
    pub time: String,
}

/// A statement checked against the contract, with or without the merchant's ledger: the
/// tables and the report, kept for the downloads (the report CSV, the dispute list).
///
/// # Example
/// ```
/// use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, FileBytes, StatementAudit};
/// let sample = generate(&SimulationOptions::new(7).trades(300))?;
/// let bytes = write_bank_csv(&sample.statement);
/// let audit = StatementAudit::run(FileBytes::new("settle.csv", bytes.as_bytes()), None, sample.options.clone())?;
/// let overview = audit.overview(10);
/// assert_eq!(overview.format, "bank-pos");
/// assert!(overview.problem_rows.iter().all(|r| r.row.class.is_problem() && r.row.side.name() == "statement"));
/// assert!(overview.problem_rows_total >= overview.problem_rows.len());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct StatementAudit {
    /// The statement format used (sniffed when `auto`).
    pub format: String,
    /// The statement.
    pub statement: Statement,
    /// The ledger (the one the statement implies when none was given).
    pub ledger: Ledger,
    /// Whether a ledger was given.
    pub with_ledger: bool,
    /// The report.
    pub report: Report,
    /// The merchant's profile (for the dispute list).
    pub profile: MerchantProfile,
}

impl StatementAudit {
    /// Reads the statement (and the ledger, a canonical ledger CSV) and checks it.
    ///
    /// # Errors
    /// As [`FileBytes::read_statement`]; for the ledger, [`FileBytes::check_size`] (field
    /// `ledger`) and [`read_ledger_csv`]; any error of [`reconcile`] or [`check_statement`].
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, write_ledger_csv, FileBytes, StatementAudit};
    /// let sample = generate(&SimulationOptions::new(7).trades(300))?;
    /// let (statement, ledger) = (write_bank_csv(&sample.statement), write_ledger_csv(&sample.ledger));
    /// let audit = StatementAudit::run(FileBytes::new("settle.csv", statement.as_bytes()), Some(FileBytes::new("ledger.csv", ledger.as_bytes())), sample.options.clone())?;
    /// assert!(audit.with_ledger && audit.ledger.len() == sample.ledger.len());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn run(statement: FileBytes<'_>, ledger: Option<FileBytes<'_>>, options: ReconcileOptions) -> Result<StatementAudit> {
        let (chosen, statement) = statement.read_statement()?;
        let with_ledger = ledger.is_some();
        let (ledger, report) = match ledger {
            Some(file) => {
                file.check_size("ledger")?;
                let ledger = read_ledger_csv(file.bytes, file.name)?;
                let report = reconcile(&ledger, &statement, &options)?;
                (ledger, report)
            }
            None => (implied_ledger(&statement)?, check_statement(&statement, &options)?),
        };
        Ok(StatementAudit { format: chosen.name().to_string(), statement, ledger, with_ledger, report, profile: options.profile })
    }

    /// The rows a user must look at, in row order, with the keys that find them in the
    /// files: rows of a problem class ([`Class::is_problem`]); without a ledger only the
    /// statement's.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, FileBytes, StatementAudit};
    /// # let sample = generate(&SimulationOptions::new(7).trades(300))?;
    /// # let bytes = write_bank_csv(&sample.statement);
    /// let audit = StatementAudit::run(FileBytes::new("settle.csv", bytes.as_bytes()), None, sample.options.clone())?;
    /// let first = audit.problem_rows().next().expect("a problem");
    /// assert_eq!(first.keys.rrn, audit.statement.record(first.row.index.unwrap()).rrn);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn problem_rows(&self) -> impl Iterator<Item = KeyedRow<'_>> + '_ {
        self.report
            .rows()
            .enumerate()
            .filter(|(_, row)| self.counts(row))
            .map(|(k, row)| KeyedRow { row, keys: self.report.row_keys(k, &self.ledger, &self.statement) })
    }

    /// Whether a row is one a user must look at.
    fn counts(&self, row: &RowResult<'_>) -> bool {
        row.class.is_problem() && (self.with_ledger || row.side != Side::Ledger)
    }

    /// The classes with rows, in [`Class::ALL`] order: the summary's totals, with the ledger
    /// side left at zero when no ledger was given (the implied ledger only mirrors the
    /// statement).
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, FileBytes, StatementAudit};
    /// # let sample = generate(&SimulationOptions::new(7).trades(300))?;
    /// # let bytes = write_bank_csv(&sample.statement);
    /// let audit = StatementAudit::run(FileBytes::new("settle.csv", bytes.as_bytes()), None, sample.options.clone())?;
    /// let classes = audit.classes();
    /// assert!(classes.iter().all(|c| c.ledger_rows == 0 && c.statement_rows + c.unreadable_rows > 0));
    /// assert_eq!(classes.iter().map(|c| c.statement_rows).sum::<u64>(), audit.statement.len() as u64);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn classes(&self) -> Vec<ClassTotals> {
        self.report
            .summary
            .classes
            .iter()
            .map(|totals| {
                let mut totals = totals.clone();
                if !self.with_ledger {
                    totals.ledger_rows = 0;
                    totals.ledger_amount = crate::money::Money::ZERO;
                }
                totals
            })
            .filter(|totals| totals.class.is_some() && totals.statement_rows + totals.unreadable_rows + totals.ledger_rows > 0)
            .collect()
    }

    /// What a screen shows first: at most `rows_max` problem rows (and how many there are),
    /// the classes with rows, the summary.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, FileBytes, StatementAudit};
    /// # let sample = generate(&SimulationOptions::new(7).trades(300))?;
    /// # let bytes = write_bank_csv(&sample.statement);
    /// let audit = StatementAudit::run(FileBytes::new("settle.csv", bytes.as_bytes()), None, sample.options.clone())?;
    /// let overview = audit.overview(1);
    /// assert_eq!(overview.problem_rows.len(), 1);
    /// assert_eq!(overview.problem_rows_total, audit.problem_rows().count());
    /// assert_eq!(overview.labels.len(), posfee::reconcile::Class::ALL.len());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn overview(&self, rows_max: usize) -> AuditOverview<'_> {
        let mut problem_rows = Vec::new();
        let mut problem_rows_total = 0;
        for row in self.problem_rows() {
            problem_rows_total += 1;
            if problem_rows.len() < rows_max {
                problem_rows.push(row);
            }
        }
        AuditOverview {
            format: &self.format,
            with_ledger: self.with_ledger,
            lang: self.report.lang(),
            statement_rows: self.statement.len(),
            summary: &self.report.summary,
            classes: self.classes(),
            labels: Class::ALL.map(ClassLabel::from).to_vec(),
            problem_rows,
            problem_rows_total,
        }
    }

    /// The report as CSV ([`Report::to_csv`]): every row of both sides and every unreadable
    /// line.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, FileBytes, StatementAudit};
    /// # let sample = generate(&SimulationOptions::new(7).trades(300))?;
    /// # let bytes = write_bank_csv(&sample.statement);
    /// let audit = StatementAudit::run(FileBytes::new("settle.csv", bytes.as_bytes()), None, sample.options.clone())?;
    /// assert_eq!(audit.report_csv().lines().count(), audit.report.len() + 1);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn report_csv(&self) -> String {
        self.report.to_csv(&self.ledger, &self.statement)
    }

    /// The dispute list ([`Report::dispute`]).
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, FileBytes, StatementAudit};
    /// # let sample = generate(&SimulationOptions::new(7).trades(300))?;
    /// # let bytes = write_bank_csv(&sample.statement);
    /// let audit = StatementAudit::run(FileBytes::new("settle.csv", bytes.as_bytes()), None, sample.options.clone())?;
    /// assert!(audit.dispute().to_html(posfee::Lang::Zh).contains("<html"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn dispute(&self) -> super::DisputeList {
        self.report.dispute(&self.statement, &self.profile)
    }
}

/// A report row with the keys of its input row ([`Report::row_keys`]): the row as the report's
/// JSON has it, and where to find the trade.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}, KeyedRow};
/// let sample = generate(&SimulationOptions::new(3).trades(100))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// let row = KeyedRow { row: report.row(0).unwrap(), keys: report.row_keys(0, &sample.ledger, &sample.statement) };
/// let json = serde_json::to_value(&row).unwrap();
/// assert_eq!(json["keys"]["rrn"], sample.ledger.record(0).rrn.as_str());
/// assert_eq!(json["row"]["class"], row.row.class.name());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KeyedRow<'a> {
    /// The row.
    pub row: RowResult<'a>,
    /// Its input row's keys.
    pub keys: RowKeys<'a>,
}

/// A class's name, Chinese label and whether a user must look at it, for a screen that shows
/// classes by name.
///
/// # Example
/// ```
/// use posfee::reconcile::{Class, ClassLabel};
/// use posfee::reconcile::deposits::DepositClass;
/// let label = ClassLabel::from(Class::NeverSettled);
/// assert_eq!((label.name, label.name_zh, label.problem), ("never_settled", "未到账", true));
/// assert_eq!(ClassLabel::from(DepositClass::DepositMissing).name_zh, "未到账");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClassLabel {
    /// The class name ([`Class::name`]).
    pub name: &'static str,
    /// Its Chinese label ([`Class::name_zh`]).
    pub name_zh: &'static str,
    /// [`Class::is_problem`].
    pub problem: bool,
}

impl From<Class> for ClassLabel {
    fn from(class: Class) -> ClassLabel {
        ClassLabel { name: class.name(), name_zh: class.name_zh(), problem: class.is_problem() }
    }
}

impl From<super::deposits::DepositClass> for ClassLabel {
    fn from(class: super::deposits::DepositClass) -> ClassLabel {
        ClassLabel { name: class.name(), name_zh: class.name_zh(), problem: class.is_problem() }
    }
}

/// What [`StatementAudit::overview`] gives a screen (serializable; money as strings).
///
/// # Example
/// ```
/// # use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, FileBytes, StatementAudit};
/// # let sample = generate(&SimulationOptions::new(7).trades(300))?;
/// # let bytes = write_bank_csv(&sample.statement);
/// let audit = StatementAudit::run(FileBytes::new("settle.csv", bytes.as_bytes()), None, sample.options.clone())?;
/// let json = serde_json::to_value(audit.overview(5)).unwrap();
/// assert_eq!(json["summary"]["statement_rows"], audit.statement.len() as u64);
/// assert_eq!(json["problem_rows"].as_array().unwrap().len(), 5);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditOverview<'a> {
    /// The statement format used (sniffed when `auto`).
    pub format: &'a str,
    /// Whether a ledger was given (otherwise the statement was checked alone).
    pub with_ledger: bool,
    /// The language of the rows' reasons ([`Report::lang`]).
    pub lang: Lang,
    /// The statement rows read.
    pub statement_rows: usize,
    /// The report's summary.
    pub summary: &'a Summary,
    /// [`StatementAudit::classes`].
    pub classes: Vec<ClassTotals>,
    /// Every class's label, in [`Class::ALL`] order.
    pub labels: Vec<ClassLabel>,
    /// The first problem rows ([`StatementAudit::problem_rows`]).
    pub problem_rows: Vec<KeyedRow<'a>>,
    /// All problem rows.
    pub problem_rows_total: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::simulation::{generate, SimulationOptions};
    use crate::reconcile::{write_bank_csv, write_ledger_csv};

    #[test]
    fn without_a_ledger_only_the_statement_rows_are_problems() {
        let sample = generate(&SimulationOptions::new(11).trades(1_000)).unwrap();
        let bytes = write_bank_csv(&sample.statement);
        let audit = StatementAudit::run(FileBytes::new("settle.csv", bytes.as_bytes()), None, sample.options.clone()).unwrap();
        assert!(!audit.with_ledger);
        let statement_problems = audit.report.rows().filter(|r| r.side == Side::Statement && r.class.is_problem()).count();
        let ledger_problems = audit.report.rows().filter(|r| r.side == Side::Ledger && r.class.is_problem()).count();
        assert!(statement_problems > 0 && ledger_problems > 0, "{statement_problems} {ledger_problems}");
        assert_eq!(audit.problem_rows().count(), statement_problems);
        assert!(audit.classes().iter().all(|c| c.ledger_rows == 0 && c.ledger_amount == crate::Money::ZERO));
        // The keys are the statement row's.
        for row in audit.problem_rows().take(20) {
            let record = audit.statement.record(row.row.index.unwrap());
            assert_eq!(
                (row.keys.rrn, row.keys.terminal, row.keys.time),
                (record.rrn.as_str(), record.terminal.as_str(), Some(record.time))
            );
        }
    }

    #[test]
    fn with_a_ledger_both_sides_count_and_money_that_never_arrived_shows() {
        let sample = generate(&SimulationOptions::new(9).trades(1_500)).unwrap();
        let (statement, ledger) = (write_bank_csv(&sample.statement), write_ledger_csv(&sample.ledger));
        let audit = StatementAudit::run(
            FileBytes::new("settle.csv", statement.as_bytes()),
            Some(FileBytes::new("ledger.csv", ledger.as_bytes())),
            sample.options.clone(),
        )
        .unwrap();
        assert!(audit.with_ledger);
        assert_eq!(audit.problem_rows().count(), audit.report.rows().filter(|r| r.class.is_problem()).count());
        let never = audit.classes().into_iter().find(|c| c.class == Some(Class::NeverSettled)).expect("never settled");
        assert!(never.ledger_rows > 0);
        let ledger_row = audit.problem_rows().find(|r| r.row.side == Side::Ledger).expect("a ledger row");
        assert_eq!(ledger_row.keys.trade_id, audit.ledger.record(ledger_row.row.index.unwrap()).trade_id);
        // The overview keeps the first rows in row order.
        let overview = audit.overview(3);
        let first: Vec<_> = audit.problem_rows().take(3).collect();
        assert_eq!(overview.problem_rows, first);
        assert_eq!(overview.classes, audit.classes());
    }

    #[test]
    fn a_ledger_over_the_limit_is_refused_in_its_field() {
        let sample = generate(&SimulationOptions::new(1).trades(50)).unwrap();
        let statement = write_bank_csv(&sample.statement);
        let big = vec![b' '; AUDIT_FILE_BYTES_MAX + 1];
        let err = StatementAudit::run(
            FileBytes::new("settle.csv", statement.as_bytes()),
            Some(FileBytes::new("l.csv", &big)),
            sample.options.clone(),
        )
        .unwrap_err();
        assert_eq!((err.kind(), err.location().field.as_deref()), (ErrorKind::InvalidRequest, Some("ledger")));
        assert!(err.message().contains("l.csv") && err.message().contains(&(AUDIT_FILE_BYTES_MAX + 1).to_string()), "{err}");
        // At the limit it is read (and fails as text, not for its size).
        let at = vec![b' '; AUDIT_FILE_BYTES_MAX];
        assert!(FileBytes::new("l.csv", &at).check_size("ledger").is_ok());
    }
}

/// A statement audit asked for by named fields (camelCase, as JSON and JavaScript write
/// them), without the files' bytes: the contract, the files' names and formats, and how much
/// to list.
///
/// # Example
/// ```
/// use posfee::reconcile::{simulation::{generate, SimulationOptions}, write_bank_csv, AuditRequest};
/// let sample = generate(&SimulationOptions::new(7).trades(300))?;
/// let request: AuditRequest = serde_json::from_value(serde_json::json!({
///     "name": "settle.csv", "preset": "standard", "merchantNo": sample.options.profile.merchant_no.as_str(), "rowsMax": 5}))?;
/// let (audit, rows_max) = request.run(write_bank_csv(&sample.statement).as_bytes(), None)?;
/// assert_eq!((audit.format.as_str(), rows_max), ("bank-pos", 5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRequest {
    /// The statement's file name (in every location of an error).
    pub name: String,
    /// `auto` (sniffed) or a shipped format name.
    #[serde(default)]
    pub format: Option<String>,
    /// The ledger's file name.
    #[serde(default)]
    pub ledger_name: Option<String>,
    /// A preset name.
    #[serde(default)]
    pub preset: Option<String>,
    /// A schedule as TOML text.
    #[serde(default)]
    pub schedule: Option<String>,
    /// The registered merchant number (15 digits).
    pub merchant_no: String,
    /// Registered terminals (empty: not checked).
    #[serde(default)]
    pub terminals: Option<Vec<String>>,
    /// The contracted settlement mode (`T+1` when absent).
    #[serde(default)]
    pub settlement: Option<String>,
    /// `zh` (the default) or `en`: the language of the findings and the dispute list.
    #[serde(default)]
    pub lang: Option<String>,
    /// Problem rows to list, at most [`PROBLEM_ROWS_MAX`] (the default).
    #[serde(default)]
    pub rows_max: Option<u32>,
}

impl AuditRequest {
    /// The keys of the request object a surface passes, spelt as the request's JSON spells
    /// them: its fields, and `statement` and `ledger`, the files (handed over apart, as bytes).
    /// A surface whose reader ignores unknown keys checks against these
    /// ([`crate::request::known_keys`]).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::AuditRequest::KEYS.contains(&"merchantNo"));
    /// ```
    pub const KEYS: [&'static str; 12] = [
        "statement",
        "name",
        "format",
        "ledger",
        "ledgerName",
        "preset",
        "schedule",
        "merchantNo",
        "terminals",
        "settlement",
        "lang",
        "rowsMax",
    ];
}

impl AuditRequest {
    /// Reads the statement (and the ledger) and checks it: the audit, and the number of
    /// problem rows to list ([`StatementAudit::overview`]).
    ///
    /// # Errors
    /// Any error of reading (file, line, column, field), of the schedule, merchant number,
    /// settlement mode or language; [`ErrorKind::InvalidRequest`] for a file over
    /// [`AUDIT_FILE_BYTES_MAX`] or a `rows_max` over [`PROBLEM_ROWS_MAX`].
    ///
    /// # Example
    /// ```
    /// let request = posfee::reconcile::AuditRequest { name: "s.csv".into(), preset: Some("standard".into()), lang: Some("fr".into()), ..Default::default() };
    /// assert_eq!(request.run(b"", None).unwrap_err().location().field.as_deref(), Some("merchant_no"));
    /// ```
    pub fn run(&self, statement_bytes: &[u8], ledger_bytes: Option<&[u8]>) -> Result<(StatementAudit, usize)> {
        let rows_max = problem_rows_max(self.rows_max.map(|n| n as usize))?;
        let schedule = ScheduleSource::of(&self.preset, &self.schedule)?.load()?;
        let mut profile = MerchantProfile::new(&self.merchant_no, "")?.terminals(self.terminals.iter().flatten().cloned());
        if let Some(settlement) = &self.settlement {
            profile.settlement = SettlementMode::parse(settlement).map_err(|e| e.in_field("settlement"))?;
        }
        let mut options = ReconcileOptions::new(schedule, profile);
        options.lang = Lang::parse(self.lang.as_deref().unwrap_or("zh")).map_err(|e| e.in_field("lang"))?;
        let statement = FileBytes::new(&self.name, statement_bytes).format(self.format.as_deref().unwrap_or("auto"));
        let ledger = ledger_bytes.map(|bytes| FileBytes::new(self.ledger_name.as_deref().unwrap_or("ledger.csv"), bytes));
        Ok((StatementAudit::run(statement, ledger, options)?, rows_max))
    }
}

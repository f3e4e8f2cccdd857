//! The statement checker (feature `audit`, a separate build loaded on demand by the page):
//! `checkStatement` reads a statement file (any shipped format, sniffed), optionally a
//! ledger, and reconciles it against the contract — with the ledger, as `posfee reconcile`
//! does; without one, with [`posfee::reconcile::check_statement`]. Every number and text comes
//! from the core; this module only converts.

use serde::{Deserialize, Serialize};

use posfee::reconcile::{
    check_statement, implied_ledger, read_ledger_csv, read_statement, reconcile, Class, DailyRate, Finding, Ledger, MerchantProfile,
    Profile, ReconcileOptions, Report, RowResult, Side, Statement, Summary, TerminalMerchants,
};
use posfee::{ErrorKind, Lang, SettlementMode};

use crate::failure::Error;

/// The largest statement or ledger file `checkStatement` reads: 64 MiB (about 400,000 rows of
/// a bank statement; the page holds the file and the report in memory).
pub const FILE_BYTES_MAX: usize = 64 << 20;

/// The most problem rows one call returns (`problemRowsTotal` counts them all).
pub const PROBLEM_ROWS_MAX: usize = 2_000;

/// The request of `checkStatement`, without the file bytes (read apart, as `Uint8Array`s).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckInput {
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
    /// `zh` or `en`: the language of the findings and the dispute list.
    #[serde(default)]
    pub lang: Option<String>,
    /// Problem rows to return, at most [`PROBLEM_ROWS_MAX`] (the default).
    #[serde(default)]
    pub rows_max: Option<u32>,
}

/// The keys `checkStatement` accepts.
pub const CHECK_FIELDS: [&str; 12] = [
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

/// One row a user must look at: the statement row (or a ledger row, or an unreadable line)
/// with its class and reason. Money as strings.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProblemRow {
    /// `ledger` or `statement`.
    pub side: Side,
    /// The line in its file.
    pub line: u64,
    /// The class name (`fee_above`, ...).
    pub class: &'static str,
    /// The class in Chinese.
    pub class_zh: &'static str,
    /// The reference number (参考号), when the row is a statement row.
    pub rrn: String,
    /// The terminal.
    pub terminal: String,
    /// The merchant number the row was booked under.
    pub merchant_no: String,
    /// The trade time, China time (`2026-05-06 10:00:00`).
    pub time: String,
    /// The amount.
    pub amount: String,
    /// The fee charged.
    pub fee: Option<String>,
    /// The contract's fee.
    pub expected_fee: Option<String>,
    /// The net amount.
    pub net: Option<String>,
    /// Why (English, from the core).
    pub reason: String,
}

/// What `checkStatement` returns (besides the report handle's downloads).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutput {
    /// The statement format used (sniffed when `auto`).
    pub format: String,
    /// Whether a ledger was given (otherwise the statement was checked alone).
    pub with_ledger: bool,
    /// The statement rows read.
    pub statement_rows: usize,
    /// The totals of the core's summary (money as strings).
    pub totals: Totals,
    /// Statement rows per class (only classes with rows), with the class's Chinese label
    /// from the core.
    pub classes: Vec<ClassCount>,
    /// The findings, in the requested language, largest money first.
    pub findings: Vec<FindingText>,
    /// Daily effective rates per channel (as `summary.dailyRates`).
    pub daily_rates: Vec<DailyRate>,
    /// Merchant numbers per terminal (as `summary.terminals`).
    pub terminals: Vec<TerminalMerchants>,
    /// The problem rows (at most `rowsMax`), in row order.
    pub problem_rows: Vec<ProblemRow>,
    /// All problem rows.
    pub problem_rows_total: usize,
}

/// The totals of a report's [`Summary`]: statement amounts, fees, nets, the contract's fees and
/// the difference (only these cross: the whole summary's serialisation does not fit the size
/// budget, and its other parts are given as `classes`, `findings`, `dailyRates`, `terminals`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Statement rows read.
    pub statement_rows: u64,
    /// Ledger rows (the implied ledger's when none was given).
    pub ledger_rows: u64,
    /// Lines that could not be read.
    pub unreadable_rows: u64,
    /// Sum of the statement amounts.
    pub statement_amount: String,
    /// Sum of the statement fees.
    pub statement_fee: String,
    /// Sum of the statement nets.
    pub statement_net: String,
    /// Sum of the contract's fees of matched rows.
    pub expected_fee: String,
    /// Fees charged on matched rows.
    pub charged_fee: String,
    /// Charged above the contract.
    pub overcharge: String,
    /// Charged below the contract.
    pub undercharge: String,
}

impl From<&Summary> for Totals {
    fn from(summary: &Summary) -> Totals {
        Totals {
            statement_rows: summary.statement_rows,
            ledger_rows: summary.ledger_rows,
            unreadable_rows: summary.unreadable_rows,
            statement_amount: summary.statement_amount.to_string(),
            statement_fee: summary.statement_fee.to_string(),
            statement_net: summary.statement_net.to_string(),
            expected_fee: summary.expected_fee.to_string(),
            charged_fee: summary.charged_fee.to_string(),
            overcharge: summary.overcharge.to_string(),
            undercharge: summary.undercharge.to_string(),
        }
    }
}

/// Statement rows of one class.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClassCount {
    /// The class name (`fee_above`, ...).
    pub class: &'static str,
    /// The class in Chinese (from the core).
    pub class_zh: &'static str,
    /// Whether a user must look at it.
    pub problem: bool,
    /// Statement rows (or unreadable lines).
    pub rows: u64,
    /// Ledger rows, when a ledger was given (0 otherwise: the implied ledger mirrors the
    /// statement).
    pub ledger_rows: u64,
    /// Their amounts.
    pub ledger_amount: String,
    /// Their amounts.
    pub amount: String,
    /// Their fees.
    pub fee: String,
    /// Their nets.
    pub net: String,
}

/// A trade of a statement for comparing offers: strings only.
#[derive(Debug, Clone, Serialize)]
pub struct TradeText {
    /// The amount.
    pub amount: String,
    /// The channel name.
    pub channel: &'static str,
    /// The trade time, China time.
    pub time: String,
}

/// The purchases of a statement file as trades (`statementTrades`), for `compare`.
///
/// # Errors
/// As [`check_impl`] for reading.
pub fn statement_trades_impl(name: &str, format: Option<&str>, bytes: &[u8]) -> Result<(String, Vec<TradeText>), Error> {
    let (chosen, statement) = read_statement_bytes(name, format, bytes)?;
    let trades = (0..statement.len())
        .map(|j| statement.record(j))
        .filter(|record| record.kind == posfee::TradeKind::Purchase)
        .map(|record| TradeText {
            amount: record.amount.to_string(),
            channel: record.channel.name(),
            time: record.time.format("%Y-%m-%d %H:%M:%S").to_string(),
        })
        .collect();
    Ok((chosen.name().to_string(), trades))
}

/// A finding in one language, with its money as strings.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingText {
    /// `rate`, `add_on`, ...
    pub kind: &'static str,
    /// The sentence, in the requested language.
    pub text: String,
    /// The first trade day.
    pub first_day: String,
    /// Trades covered.
    pub trades: u64,
    /// The money involved.
    pub money: String,
}

impl FindingText {
    fn new(finding: &Finding, lang: Lang) -> FindingText {
        FindingText {
            kind: finding.kind.name(),
            text: match lang {
                Lang::Zh => finding.zh.clone(),
                Lang::En => finding.en.clone(),
            },
            first_day: finding.first_day.to_string(),
            trades: finding.trades,
            money: finding.money.to_string(),
        }
    }
}

/// A checked statement: the tables and the report, kept for the downloads.
pub struct Checked {
    /// The statement.
    pub statement: Statement,
    /// The ledger (the implied one when none was given).
    pub ledger: Ledger,
    /// The report.
    pub report: Report,
    /// The merchant profile.
    pub profile: MerchantProfile,
    /// The language of the downloads.
    pub lang: Lang,
    /// What `checkStatement` returns.
    pub output: CheckOutput,
}

/// An error when a file (`field`: `statement`, `ledger`, `bank`) is over [`FILE_BYTES_MAX`].
pub(crate) fn too_large(name: &str, bytes: &[u8], field: &str) -> Result<(), Error> {
    if bytes.len() > FILE_BYTES_MAX {
        return Err(Error::new(
            ErrorKind::InvalidRequest,
            format!("{name} is {} bytes; the page reads files up to {FILE_BYTES_MAX} bytes (64 MiB)", bytes.len()),
        )
        .in_field(field));
    }
    Ok(())
}

/// Reads a statement file of at most [`FILE_BYTES_MAX`] bytes with the profile `format` names
/// (`auto`, the default: sniffed from its first 64 KiB).
pub(crate) fn read_statement_bytes(name: &str, format: Option<&str>, bytes: &[u8]) -> Result<(Profile, Statement), Error> {
    too_large(name, bytes, "statement")?;
    let head = &bytes[..bytes.len().min(64 << 10)];
    let chosen = Profile::resolve(format.unwrap_or("auto"), head, name).map_err(|e| e.in_field("format"))?;
    let statement = read_statement(bytes, name, &chosen)?;
    Ok((chosen, statement))
}

/// Reads and checks: the plain-Rust body of `checkStatement` (unit-tested on the host).
///
/// # Errors
/// Any core error of reading (file, line, column, field), of the schedule, merchant number,
/// settlement mode or language; [`ErrorKind::InvalidRequest`] for a file over
/// [`FILE_BYTES_MAX`] or a `rowsMax` over [`PROBLEM_ROWS_MAX`].
pub fn check_impl(input: &CheckInput, statement_bytes: &[u8], ledger_bytes: Option<&[u8]>) -> Result<Checked, Error> {
    let rows_max = input.rows_max.map_or(PROBLEM_ROWS_MAX, |n| n as usize);
    if rows_max > PROBLEM_ROWS_MAX {
        return Err(Error::new(ErrorKind::InvalidRequest, format!("rowsMax {rows_max} is over {PROBLEM_ROWS_MAX}")).in_field("rowsMax"));
    }
    let lang = Lang::parse(input.lang.as_deref().unwrap_or("zh")).map_err(|e| e.in_field("lang"))?;
    let schedule = crate::ScheduleSource::of(&input.preset, &input.schedule)?.load()?;
    let mut profile = MerchantProfile::new(&input.merchant_no, "")?;
    if let Some(terminals) = &input.terminals {
        profile.terminals = terminals.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
    }
    if let Some(settlement) = &input.settlement {
        profile.settlement = SettlementMode::parse(settlement).map_err(|e| e.in_field("settlement"))?;
    }
    let (chosen, statement) = read_statement_bytes(&input.name, input.format.as_deref(), statement_bytes)?;
    let options = ReconcileOptions::new(schedule, profile.clone());
    let (ledger, mut report) = match ledger_bytes {
        Some(bytes) => {
            let name = input.ledger_name.as_deref().unwrap_or("ledger.csv");
            too_large(name, bytes, "ledger")?;
            let ledger = read_ledger_csv(bytes, name)?;
            let report = reconcile(&ledger, &statement, &options)?;
            (ledger, report)
        }
        None => (implied_ledger(&statement)?, check_statement(&statement, &options)?),
    };
    report.set_lang(lang);
    let mut problem_rows = Vec::new();
    let mut problem_rows_total = 0;
    for row in report.rows() {
        // Without a ledger the ledger side mirrors the statement: only statement rows count.
        if !row.class.is_problem() || (ledger_bytes.is_none() && row.side == Side::Ledger) {
            continue;
        }
        problem_rows_total += 1;
        if problem_rows.len() < rows_max {
            problem_rows.push(problem_row(&row, &ledger, &statement));
        }
    }
    let summary = &report.summary;
    let output = CheckOutput {
        format: chosen.name().to_string(),
        with_ledger: ledger_bytes.is_some(),
        statement_rows: statement.len(),
        classes: summary
            .classes
            .iter()
            .filter_map(|totals| totals.class.map(|class| (class, totals)))
            .map(|(class, totals)| (class, totals, if ledger_bytes.is_some() { totals.ledger_rows } else { 0 }))
            .filter(|(_, totals, ledger_rows)| totals.statement_rows + totals.unreadable_rows + ledger_rows > 0)
            .map(|(class, totals, ledger_rows)| ClassCount {
                class: class.name(),
                class_zh: class.name_zh(),
                problem: class.is_problem(),
                rows: totals.statement_rows + totals.unreadable_rows,
                ledger_rows,
                ledger_amount: if ledger_rows > 0 { totals.ledger_amount.to_string() } else { "0.00".to_string() },
                amount: totals.statement_amount.to_string(),
                fee: totals.statement_fee.to_string(),
                net: totals.statement_net.to_string(),
            })
            .collect(),
        findings: summary.findings.iter().map(|f| FindingText::new(f, lang)).collect(),
        daily_rates: summary.daily_rates.clone(),
        terminals: summary.terminals.clone(),
        totals: Totals::from(summary),
        problem_rows,
        problem_rows_total,
    };
    Ok(Checked { statement, ledger, report, profile, lang, output })
}

fn problem_row(row: &RowResult<'_>, ledger: &Ledger, statement: &Statement) -> ProblemRow {
    let (rrn, terminal, merchant_no, time) = match (row.side, row.index) {
        (Side::Statement, Some(j)) => {
            let record = statement.record(j);
            (record.rrn, record.terminal, record.merchant_no, record.time.format("%Y-%m-%d %H:%M:%S").to_string())
        }
        (Side::Ledger, Some(i)) => {
            let record = ledger.record(i);
            (record.rrn, record.terminal, record.merchant_no, record.time.format("%Y-%m-%d %H:%M:%S").to_string())
        }
        _ => Default::default(),
    };
    ProblemRow {
        side: row.side,
        line: row.line,
        class: row.class.name(),
        class_zh: row.class.name_zh(),
        rrn,
        terminal,
        merchant_no,
        time,
        amount: row.amount.to_string(),
        fee: row.fee.map(|m| m.to_string()),
        expected_fee: row.expected_fee.map(|m| m.to_string()),
        net: row.net.map(|m| m.to_string()),
        reason: row.reason.to_string(),
    }
}

impl Checked {
    /// The report CSV (every row of both sides and every unreadable line).
    pub fn report_csv(&self) -> String {
        self.report.to_csv(&self.ledger, &self.statement)
    }

    /// The dispute list as a printable HTML page, in the request's language.
    pub fn dispute_html(&self) -> String {
        self.report.dispute(&self.statement, &self.profile).to_html(self.lang)
    }

    /// The dispute list as CSV, in the request's language.
    pub fn dispute_csv(&self) -> String {
        self.report.dispute(&self.statement, &self.profile).to_csv(self.lang)
    }

    /// Counts of statement rows per class name (for tests and the page's chips).
    pub fn statement_rows_in(&self, class: Class) -> u64 {
        self.report.summary.class(class).statement_rows
    }
}

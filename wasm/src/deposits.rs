//! The deposit check (feature `deposits`: the statement checker plus this, a third module the
//! page loads only when a bank statement is given): `checkDeposits` reads the
//! acquirer's statement and the merchant's bank statement (any shipped bank format, sniffed)
//! and runs [`posfee::reconcile::deposits::reconcile_deposits`]. Every number and text comes
//! from the core; this module only converts (money as strings).

use serde::{Deserialize, Serialize};

use posfee::reconcile::deposits::{read_bank_statement, reconcile_deposits, BankProfile, DepositClass, DepositOptions, DepositReport};
use posfee::{parse_date, Lang};

use crate::audit::{read_statement_bytes, too_large};
use crate::failure::Error;

/// The request of `checkDeposits`, without the file bytes (read apart, as `Uint8Array`s).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DepositsInput {
    /// The statement's file name (in every location of an error).
    pub name: String,
    /// `auto` (sniffed) or a shipped statement format name.
    #[serde(default)]
    pub format: Option<String>,
    /// The bank statement's file name.
    pub bank_name: String,
    /// `auto` (sniffed) or a shipped bank format name (`icbc-debit`, `cmb-business`, ...).
    #[serde(default)]
    pub bank_format: Option<String>,
    /// The last day the bank statement covers, `YYYY-MM-DD` (default: its latest row).
    #[serde(default)]
    pub as_of: Option<String>,
    /// The first day it covers (default: its earliest row).
    #[serde(default)]
    pub covered_from: Option<String>,
    /// `zh` or `en`: the findings' language.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The keys `checkDeposits` accepts.
pub const DEPOSITS_FIELDS: [&str; 9] = ["statement", "name", "format", "bank", "bankName", "bankFormat", "asOf", "coveredFrom", "lang"];

/// Payouts and bank rows of one deposit class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepositClassCount {
    /// The class name (`deposit_short`, ...).
    pub class: &'static str,
    /// The class in Chinese (from the core).
    pub class_zh: &'static str,
    /// Whether a user must look at it.
    pub problem: bool,
    /// Expected payouts in the class.
    pub payouts: u64,
    /// Their expected sum.
    pub expected: String,
    /// What did not arrive of them.
    pub difference: String,
    /// The acquirer's bank rows in the class.
    pub bank_rows: u64,
    /// Their signed sum.
    pub bank_amount: String,
}

/// A deposit finding in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepositFindingText {
    /// The class it reports.
    pub class: &'static str,
    /// The sentence, in the requested language.
    pub text: String,
}

/// What `checkDeposits` returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DepositsOutput {
    /// The statement format used.
    pub format: String,
    /// The bank statement format used.
    pub bank_format: String,
    /// Expected payouts.
    pub payouts: u64,
    /// Their sum.
    pub expected: String,
    /// Rows of the bank statement read.
    pub bank_rows: u64,
    /// The acquirer's rows among them.
    pub acquirer_rows: u64,
    /// Money expected but not arrived (missing payouts and short differences).
    pub not_arrived: String,
    /// Lines of either file that could not be read.
    pub unreadable_lines: u64,
    /// The statement's deduction lines (流量费, 服务费).
    pub statement_deductions: u64,
    /// The period the bank statement covers (`YYYY-MM-DD`), when it has one.
    pub covered_from: Option<String>,
    /// Its last day.
    pub as_of: Option<String>,
    /// Per class with payouts or bank rows, in the core's order.
    pub classes: Vec<DepositClassCount>,
    /// The findings, problems first.
    pub findings: Vec<DepositFindingText>,
    /// Notes on what the check could not see (English, from the core).
    pub warnings: Vec<String>,
}

impl DepositsOutput {
    /// The page's view of a deposit report, findings in `lang`.
    pub fn new(report: &DepositReport, format: &str, bank_format: &str, lang: Lang) -> DepositsOutput {
        let summary = &report.summary;
        DepositsOutput {
            format: format.to_string(),
            bank_format: bank_format.to_string(),
            payouts: summary.payouts,
            expected: summary.expected.to_string(),
            bank_rows: summary.bank_rows,
            acquirer_rows: summary.acquirer_rows,
            not_arrived: summary.not_arrived.to_string(),
            unreadable_lines: summary.unreadable_lines,
            statement_deductions: summary.statement_deductions,
            covered_from: summary.covered_from.map(|d| d.to_string()),
            as_of: summary.as_of.map(|d| d.to_string()),
            classes: DepositClass::ALL
                .into_iter()
                .map(|class| (class, summary.class(class)))
                .filter(|(_, totals)| totals.payouts + totals.bank_rows > 0)
                .map(|(class, totals)| DepositClassCount {
                    class: class.name(),
                    class_zh: class.name_zh(),
                    problem: class.is_problem(),
                    payouts: totals.payouts,
                    expected: totals.expected.to_string(),
                    difference: totals.difference.to_string(),
                    bank_rows: totals.bank_rows,
                    bank_amount: totals.bank_amount.to_string(),
                })
                .collect(),
            findings: report
                .findings
                .iter()
                .map(|f| DepositFindingText { class: f.class.name(), text: f.text(lang).to_string() })
                .collect(),
            warnings: summary.warnings.clone(),
        }
    }
}

/// Reads both files and checks the deposits: the plain-Rust body of `checkDeposits`
/// (unit-tested on the host).
///
/// # Errors
/// Any core error of reading either file (file, line, column, field), of the bank format, the
/// dates or the language; [`posfee::ErrorKind::InvalidRequest`] for a file over the page's
/// limit.
pub fn deposits_impl(input: &DepositsInput, statement_bytes: &[u8], bank_bytes: &[u8]) -> Result<DepositsOutput, Error> {
    let lang = Lang::parse(input.lang.as_deref().unwrap_or("zh")).map_err(|e| e.in_field("lang"))?;
    let mut options = DepositOptions::new();
    for (text, slot, field) in [(&input.as_of, &mut options.as_of, "asOf"), (&input.covered_from, &mut options.covered_from, "coveredFrom")]
    {
        if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
            *slot = Some(parse_date(text.trim()).map_err(|e| e.in_field(field))?);
        }
    }
    let (chosen, statement) = read_statement_bytes(&input.name, input.format.as_deref(), statement_bytes)?;
    too_large(&input.bank_name, bank_bytes, "bank")?;
    let head = &bank_bytes[..bank_bytes.len().min(64 << 10)];
    let profile = BankProfile::resolve(input.bank_format.as_deref().unwrap_or("auto"), head, &input.bank_name)?;
    let bank = read_bank_statement(bank_bytes, &input.bank_name, &profile)?;
    let report = reconcile_deposits(&statement, &bank, &options)?;
    Ok(DepositsOutput::new(&report, chosen.name(), profile.name(), lang))
}

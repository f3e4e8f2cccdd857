//! The deposit report: every expected payout and every acquirer's bank row in one class,
//! totals per class (checked to balance), and findings in plain words (English and Chinese).

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::Serialize;

use super::class::DepositClass;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::reconcile::neutralize_cell;

/// An expected payout and what arrived for it.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::{reconcile_deposits, DepositClass, DepositOptions};
/// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
/// let sample = generate_deposits(&DepositSimulationOptions::new(3))?;
/// let report = reconcile_deposits(&sample.statement, &sample.bank, &sample.options)?;
/// let payout = &report.payouts[0];
/// assert!(payout.expected > posfee::Money::ZERO);
/// assert!(!payout.statement_lines.is_empty());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayoutResult {
    /// The statement's settlement date.
    pub settlement_date: NaiveDate,
    /// The merchant number (empty when payouts are not grouped by merchant number).
    pub merchant_no: String,
    /// The batch number (批次号; empty when the statement shows none or payouts are not
    /// grouped by batch).
    pub batch: String,
    /// The net the statement says is owed, rounded to the fen.
    pub expected: Money,
    /// What arrived for it (`None` when nothing did).
    pub received: Option<Money>,
    /// `expected − received` (the whole payout when nothing arrived, zero when in full).
    pub difference: Money,
    /// The class.
    pub class: DepositClass,
    /// The date the money was posted.
    pub posted_on: Option<NaiveDate>,
    /// Business days after the due day (the first business day on or after the settlement date).
    pub delay_business_days: Option<i64>,
    /// For a missing payout: business days from its due day to the bank statement's last day.
    pub overdue_business_days: Option<i64>,
    /// The statement lines behind the payout.
    pub statement_lines: Vec<u64>,
    /// The bank lines that paid it (the credit, then a deduction line).
    pub bank_lines: Vec<u64>,
    /// The statement's deduction lines (流量费, 服务费) that explain a short deposit.
    pub statement_deduction_lines: Vec<u64>,
    /// Why, in words.
    pub reason: String,
}

/// An acquirer's bank row and the payouts it belongs to.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::{reconcile_deposits, DepositClass};
/// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
/// let sample = generate_deposits(&DepositSimulationOptions::new(3))?;
/// let report = reconcile_deposits(&sample.statement, &sample.bank, &sample.options)?;
/// assert!(report.bank.iter().all(|row| row.line > 0));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BankEntryResult {
    /// The line in the bank file.
    pub line: u64,
    /// The posting date.
    pub date: NaiveDate,
    /// Signed amount (positive = money in).
    pub amount: Money,
    /// The counterparty.
    pub counterparty: String,
    /// The description and memo.
    pub memo: String,
    /// The class.
    pub class: DepositClass,
    /// The payouts it pays (indices into [`DepositReport::payouts`]).
    pub payouts: Vec<usize>,
    /// Why, in words.
    pub reason: String,
}

/// A deduction line of the statement (流量费, 服务费) and the short payout it explains.
///
/// # Example
/// ```
/// use posfee::{Money, parse_date};
/// use posfee::reconcile::deposits::DeductionResult;
/// let line = DeductionResult { line: 14, settlement_date: parse_date("2026-11-02")?, merchant_no: String::new(), batch: String::new(), amount: Money::from_yuan(99), text: "流量费".into(), payout: Some(0) };
/// assert_eq!(line.payout, Some(0));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeductionResult {
    /// The line in the statement file.
    pub line: u64,
    /// The settlement date it belongs to.
    pub settlement_date: NaiveDate,
    /// The merchant number (may be empty).
    pub merchant_no: String,
    /// The batch number (may be empty).
    pub batch: String,
    /// The money taken.
    pub amount: Money,
    /// What the statement calls it.
    pub text: String,
    /// The short payout it explains (an index into [`DepositReport::payouts`]; `None`: no
    /// payout is short by it).
    pub payout: Option<usize>,
}

/// A line of an input that could not be read.
///
/// # Example
/// ```
/// let line = posfee::reconcile::deposits::UnreadableLine { side: "bank".into(), line: 3, reason: "garbled".into() };
/// assert_eq!(line.side, "bank");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnreadableLine {
    /// `statement` or `bank`.
    pub side: String,
    /// The line (0 when unknown).
    pub line: u64,
    /// The error, with file, line, column and field.
    pub reason: String,
}

/// A finding in plain words, with the rows behind it.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::{reconcile_deposits, DepositClass};
/// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
/// let sample = generate_deposits(&DepositSimulationOptions::new(3))?;
/// let report = reconcile_deposits(&sample.statement, &sample.bank, &sample.options)?;
/// let missing = report.findings.iter().find(|f| f.class == DepositClass::DepositMissing).unwrap();
/// assert!(missing.en.contains("has not arrived") && missing.zh.contains("未到账"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepositFinding {
    /// The class it reports.
    pub class: DepositClass,
    /// In English.
    pub en: String,
    /// In Chinese.
    pub zh: String,
    /// The payouts behind it (indices into [`DepositReport::payouts`]).
    pub payouts: Vec<usize>,
    /// The bank lines behind it.
    pub bank_lines: Vec<u64>,
    /// The statement lines behind it.
    pub statement_lines: Vec<u64>,
}

impl DepositFinding {
    /// The finding in `lang`.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::{reconcile_deposits, DepositClass};
    /// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
    /// let sample = generate_deposits(&DepositSimulationOptions::new(3))?;
    /// let report = reconcile_deposits(&sample.statement, &sample.bank, &sample.options)?;
    /// let finding = &report.findings[0];
    /// assert_eq!((finding.text(posfee::Lang::En), finding.text(posfee::Lang::Zh)), (finding.en.as_str(), finding.zh.as_str()));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn text(&self, lang: crate::Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// Counts and sums of one class.
///
/// # Example
/// ```
/// let totals = posfee::reconcile::deposits::DepositClassTotals::default();
/// assert_eq!(totals.payouts, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DepositClassTotals {
    /// The class (`None` only in a default value).
    pub class: Option<DepositClass>,
    /// Payouts in the class.
    pub payouts: u64,
    /// Their expected amounts.
    pub expected: Money,
    /// Their differences (expected − received).
    pub difference: Money,
    /// Acquirer's bank rows in the class.
    pub bank_rows: u64,
    /// Their signed amounts.
    pub bank_amount: Money,
}

/// The totals of a [`DepositReport`].
///
/// # Example
/// ```
/// let summary = posfee::reconcile::deposits::DepositSummary::default();
/// assert_eq!(summary.expected, posfee::Money::ZERO);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DepositSummary {
    /// Expected payouts.
    pub payouts: u64,
    /// Their sum.
    pub expected: Money,
    /// Rows of the bank statement read.
    pub bank_rows: u64,
    /// The acquirer's rows among them.
    pub acquirer_rows: u64,
    /// The acquirer's rows' signed sum.
    pub acquirer_amount: Money,
    /// Bank rows not from the acquirer (left out of matching).
    pub other_bank_rows: u64,
    /// Bank rows skipped by rule (other currencies).
    pub skipped_bank_rows: u64,
    /// The statement's deduction lines (流量费, 服务费).
    pub statement_deductions: u64,
    /// Those among them that explain a short deposit.
    pub statement_deductions_explaining: u64,
    /// Lines that could not be read (statement and bank).
    pub unreadable_lines: u64,
    /// The first day the bank statement covers.
    pub covered_from: Option<NaiveDate>,
    /// The last day it covers.
    pub as_of: Option<NaiveDate>,
    /// Money expected but not (yet) arrived: missing payouts and short differences.
    pub not_arrived: Money,
    /// Per class, in [`DepositClass::ALL`] order.
    pub classes: Vec<DepositClassTotals>,
    /// Notes on what the check could not see.
    pub warnings: Vec<String>,
}

impl DepositSummary {
    /// The totals of `class`.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::{DepositClass, DepositSummary};
    /// assert_eq!(DepositSummary::default().class(DepositClass::Deposited).payouts, 0);
    /// ```
    pub fn class(&self, class: DepositClass) -> DepositClassTotals {
        self.classes.iter().find(|t| t.class == Some(class)).cloned().unwrap_or_default()
    }
}

/// The result of [`reconcile_deposits`](super::reconcile_deposits).
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::{reconcile_deposits, DepositClass};
/// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
/// let sample = generate_deposits(&DepositSimulationOptions::new(8))?;
/// let report = reconcile_deposits(&sample.statement, &sample.bank, &sample.options)?;
/// assert_eq!(report.summary.payouts as usize, report.payouts.len());
/// assert!(report.summary.class(DepositClass::DepositMissing).payouts >= 1);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DepositReport {
    /// Totals.
    pub summary: DepositSummary,
    /// Every expected payout, by settlement date and merchant number.
    pub payouts: Vec<PayoutResult>,
    /// Every acquirer's bank row, in file order.
    pub bank: Vec<BankEntryResult>,
    /// Every deduction line of the statement, in file order.
    pub deductions: Vec<DeductionResult>,
    /// Lines of either input that could not be read.
    pub unreadable: Vec<UnreadableLine>,
    /// Findings in plain words: problems first (missing, short, late, unexplained), then notes.
    pub findings: Vec<DepositFinding>,
}

/// The columns of [`DepositReport::to_csv`].
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::deposits::DEPOSIT_CSV_COLUMNS[0], "side");
/// ```
pub const DEPOSIT_CSV_COLUMNS: [&str; 15] = [
    "side",
    "index",
    "line",
    "class",
    "date",
    "merchant_no",
    "batch",
    "amount",
    "received",
    "difference",
    "delay_business_days",
    "overdue_business_days",
    "lines",
    "counterparty",
    "reason",
];

impl DepositReport {
    /// Every payout, bank row, statement deduction line and unreadable line as CSV
    /// ([`DEPOSIT_CSV_COLUMNS`]): `side` is `payout`, `bank`, `deduction` or `unreadable`;
    /// `lines` lists the bank lines of a payout or the payouts (indices) of a bank row or a
    /// deduction line (whose class is `statement_deduction` and reason its text). Text from the inputs is neutralized for spreadsheets.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::reconcile_deposits;
    /// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
    /// let sample = generate_deposits(&DepositSimulationOptions::new(2))?;
    /// let report = reconcile_deposits(&sample.statement, &sample.bank, &sample.options)?;
    /// let csv = report.to_csv();
    /// assert!(csv.starts_with("side,index,line,class,"));
    /// assert_eq!(csv.lines().count(), 1 + report.payouts.len() + report.bank.len() + report.deductions.len() + report.unreadable.len());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::with_capacity(128 * (self.payouts.len() + self.bank.len() + 1)));
        let _ = writer.write_record(DEPOSIT_CSV_COLUMNS);
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(";");
        for (k, p) in self.payouts.iter().enumerate() {
            let cells: [Cow<'_, str>; 15] = [
                "payout".into(),
                k.to_string().into(),
                p.statement_lines.first().map(u64::to_string).unwrap_or_default().into(),
                p.class.name().into(),
                p.settlement_date.to_string().into(),
                neutralize_cell(&p.merchant_no),
                neutralize_cell(&p.batch),
                p.expected.to_string().into(),
                p.received.map(|m| m.to_string()).unwrap_or_default().into(),
                p.difference.to_string().into(),
                number(p.delay_business_days).into(),
                number(p.overdue_business_days).into(),
                list(&mut p.bank_lines.iter().map(u64::to_string)).into(),
                "".into(),
                neutralize_cell(&p.reason),
            ];
            let _ = writer.write_record(cells.iter().map(|c| c.as_bytes()));
        }
        for (k, b) in self.bank.iter().enumerate() {
            let cells: [Cow<'_, str>; 15] = [
                "bank".into(),
                k.to_string().into(),
                b.line.to_string().into(),
                b.class.name().into(),
                b.date.to_string().into(),
                "".into(),
                "".into(),
                b.amount.to_string().into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                list(&mut b.payouts.iter().map(usize::to_string)).into(),
                neutralize_cell(&b.counterparty),
                neutralize_cell(&b.reason),
            ];
            let _ = writer.write_record(cells.iter().map(|c| c.as_bytes()));
        }
        for (k, d) in self.deductions.iter().enumerate() {
            let cells: [Cow<'_, str>; 15] = [
                "deduction".into(),
                k.to_string().into(),
                d.line.to_string().into(),
                "statement_deduction".into(),
                d.settlement_date.to_string().into(),
                neutralize_cell(&d.merchant_no),
                neutralize_cell(&d.batch),
                d.amount.to_string().into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                d.payout.map(|p| p.to_string()).unwrap_or_default().into(),
                "".into(),
                neutralize_cell(&d.text),
            ];
            let _ = writer.write_record(cells.iter().map(|c| c.as_bytes()));
        }
        for (k, u) in self.unreadable.iter().enumerate() {
            let cells: [Cow<'_, str>; 15] = [
                "unreadable".into(),
                k.to_string().into(),
                u.line.to_string().into(),
                "unreadable".into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                "".into(),
                u.side.as_str().into(),
                "".into(),
                neutralize_cell(&u.reason),
            ];
            let _ = writer.write_record(cells.iter().map(|c| c.as_bytes()));
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The report as JSON (amounts as strings, dates as `YYYY-MM-DD`).
    ///
    /// # Example
    /// ```
    /// let json = posfee::reconcile::deposits::DepositReport::default().to_json();
    /// assert!(json.contains("\"findings\""));
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The problems among the findings (late, short, missing, unexplained).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::DepositReport::default().problems().count(), 0);
    /// ```
    pub fn problems(&self) -> impl Iterator<Item = &DepositFinding> {
        self.findings.iter().filter(|f| f.class.is_problem())
    }
}

/// `¥12,345.67` (`-¥99.00` for negatives): yuan with thousands separators.
pub(crate) fn yuan(money: Money) -> String {
    let text = money.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (k, c) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if money.is_negative() { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}¥{grouped}")
    } else {
        format!("{sign}¥{grouped}.{fraction}")
    }
}

/// Checks that every payout and row is in one class and the sums balance: the report's
/// totals before (from the rows) and after (over the classes), and the money of every
/// matched class. A failure is a bug: an [`ErrorKind::Internal`] error, not a panic.
pub(crate) fn check_balance(report: &DepositReport, payouts_expected: i128, acquirer_amount: i128) -> Result<()> {
    let broken = |what: String| {
        Err(Error::new(ErrorKind::Internal, format!("the deposit report does not balance ({what}); this is a bug in posfee")))
    };
    let payouts: i128 = report.payouts.iter().map(|p| i128::from(p.expected.millifen())).sum();
    let classes: i128 = report.summary.classes.iter().map(|t| i128::from(t.expected.millifen())).sum();
    if payouts != payouts_expected || classes != payouts_expected {
        return broken(format!(
            "expected payouts {payouts_expected} before, {payouts} in rows, {classes} over classes (thousandths of a fen)"
        ));
    }
    let rows: i128 = report.bank.iter().map(|b| i128::from(b.amount.millifen())).sum();
    let bank_classes: i128 = report.summary.classes.iter().map(|t| i128::from(t.bank_amount.millifen())).sum();
    if rows != acquirer_amount || bank_classes != acquirer_amount {
        return broken(format!("acquirer rows {acquirer_amount} before, {rows} in rows, {bank_classes} over classes"));
    }
    let counted: u64 = report.summary.classes.iter().map(|t| t.payouts).sum();
    let counted_bank: u64 = report.summary.classes.iter().map(|t| t.bank_rows).sum();
    if counted as usize != report.payouts.len() || counted_bank as usize != report.bank.len() {
        return broken("row counts over classes".into());
    }
    // Money that arrived balances with the rows that brought it.
    for (k, row) in report.bank.iter().enumerate() {
        if row.payouts.iter().any(|&p| p >= report.payouts.len()) {
            return broken(format!("bank row {k} names a payout that does not exist"));
        }
        let paid: i128 = row.payouts.iter().map(|&p| i128::from(report.payouts[p].expected.millifen())).sum();
        let amount = i128::from(row.amount.millifen());
        let ok = match row.class {
            DepositClass::Deposited | DepositClass::DepositedLate | DepositClass::DepositMerged => paid == amount,
            DepositClass::DepositShort => row.payouts.len() == 1,
            DepositClass::UnexplainedCredit | DepositClass::UnexplainedDebit => row.payouts.is_empty(),
            DepositClass::DepositMissing | DepositClass::NotChecked => false,
        };
        if !ok {
            return broken(format!("bank line {} ({}) against its payouts", row.line, row.class.name()));
        }
    }
    for p in &report.payouts {
        let received = p.received.map_or(0, |m| i128::from(m.millifen()));
        let ok = match p.class {
            DepositClass::Deposited | DepositClass::DepositedLate | DepositClass::DepositMerged => {
                received == i128::from(p.expected.millifen()) && p.difference.is_zero()
            }
            DepositClass::DepositShort => {
                p.difference > Money::ZERO && received + i128::from(p.difference.millifen()) == i128::from(p.expected.millifen())
            }
            DepositClass::DepositMissing => p.received.is_none() && p.difference == p.expected,
            DepositClass::NotChecked => p.received.is_none(),
            DepositClass::UnexplainedCredit | DepositClass::UnexplainedDebit => false,
        };
        if !ok {
            return broken(format!("payout of {} ({}) against what arrived", p.settlement_date, p.class.name()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(yuan(Money::parse("12345.67").unwrap()), "¥12,345.67");
        assert_eq!(yuan(Money::parse("-99").unwrap()), "-¥99.00");
        assert_eq!(yuan(Money::parse("1234567").unwrap()), "¥1,234,567.00");
        assert_eq!(yuan(Money::parse("0.5").unwrap()), "¥0.50");
        assert_eq!(yuan(Money::parse("100").unwrap()), "¥100.00");
    }

    #[test]
    fn a_report_that_does_not_balance_is_an_internal_error() {
        let date = crate::settlement::parse_date("2026-11-02").unwrap();
        let payout = PayoutResult {
            settlement_date: date,
            merchant_no: String::new(),
            batch: String::new(),
            expected: Money::from_yuan(100),
            received: Some(Money::from_yuan(100)),
            difference: Money::ZERO,
            class: DepositClass::Deposited,
            posted_on: Some(date),
            delay_business_days: Some(0),
            overdue_business_days: None,
            statement_lines: vec![2],
            bank_lines: vec![5],
            statement_deduction_lines: Vec::new(),
            reason: String::new(),
        };
        let row = BankEntryResult {
            line: 5,
            date,
            amount: Money::from_yuan(100),
            counterparty: String::new(),
            memo: String::new(),
            class: DepositClass::Deposited,
            payouts: vec![0],
            reason: String::new(),
        };
        let totals = DepositClassTotals {
            class: Some(DepositClass::Deposited),
            payouts: 1,
            expected: Money::from_yuan(100),
            difference: Money::ZERO,
            bank_rows: 1,
            bank_amount: Money::from_yuan(100),
        };
        let mut report = DepositReport { payouts: vec![payout], bank: vec![row], ..DepositReport::default() };
        report.summary.classes = vec![totals];
        let fen = |yuan: i128| yuan * 100_000;
        assert!(check_balance(&report, fen(100), fen(100)).is_ok());
        // Totals before and after disagree.
        assert_eq!(check_balance(&report, fen(101), fen(100)).unwrap_err().code(), "internal");
        // A credit that does not equal the payout it pays.
        report.bank[0].amount = Money::from_yuan(90);
        report.summary.classes[0].bank_amount = Money::from_yuan(90);
        assert_eq!(check_balance(&report, fen(100), fen(90)).unwrap_err().code(), "internal");
        // A payout whose class and money disagree.
        report.bank[0].amount = Money::from_yuan(100);
        report.summary.classes[0].bank_amount = Money::from_yuan(100);
        report.payouts[0].received = None;
        assert_eq!(check_balance(&report, fen(100), fen(100)).unwrap_err().code(), "internal");
    }
}

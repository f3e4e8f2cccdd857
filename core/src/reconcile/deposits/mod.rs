//! Did the money reach the bank account: three-way reconciliation of the acquirer's
//! statement with the merchant's bank account statement (到账核对).
//!
//! - The bank statement is read with a [`BankProfile`] (TOML data, like the statement
//!   profiles): shipped ones for the CSV exports of ICBC, China Merchants Bank, China
//!   Construction Bank, Agricultural Bank of China and Bank of China ([`bank_formats`]), a
//!   user's own for any other bank ([`BankProfile::from_toml`]), or the one that fits
//!   ([`BankProfile::sniff`]). [`read_bank_statement`] keeps every line it cannot read as a
//!   [`BankIssue`] with file, true line, column and field.
//! - Only the acquirer's rows matter: they are recognised by texts in the counterparty's
//!   name or account, the description or the memo ([`DepositOptions::acquirer_texts`],
//!   [`DEFAULT_ACQUIRER_TEXTS`]).
//! - [`reconcile_deposits`] groups the statement's nets into expected payouts (by settlement
//!   date, merchant number and batch number), matches them to the acquirer's credits exactly by amount
//!   within a posting delay in business days of the China calendar, finds merged deposits
//!   (several payouts in one credit, as after a holiday), short deposits (with the deduction
//!   line when the bank shows one), missing payouts and unexplained credits, and says so in
//!   plain words (English and Chinese) in a [`DepositReport`].
//! - [`simulation::generate_deposits`] makes seeded statement / bank statement pairs with
//!   injected faults and the answer key.
//!
//! ## Example
//! ```
//! use posfee::{Channel, Money, parse_china_time, parse_date};
//! use posfee::reconcile::{Statement, StatementRecord};
//! use posfee::reconcile::deposits::{read_bank_statement, reconcile_deposits, BankProfile, DepositClass, DepositOptions};
//!
//! let mut statement = Statement::new("statement.csv");
//! for (day, amount, fee) in [("2026-11-02", "12420", "74.52"), ("2026-11-03", "5000", "30")] {
//!     statement.push(StatementRecord::new(parse_date(day)?, parse_china_time("2026-11-01 10:00")?, Money::parse(amount)?, Money::parse(fee)?, Channel::Credit))?;
//! }
//! let bank = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n\
//!             2026-11-02,CNY,\"12,246.48\",\"12,246.48\",代发,拉卡拉支付股份有限公司,结算款\n";
//! let bank = read_bank_statement(bank.as_bytes(), "cmb.csv", &BankProfile::builtin("cmb-debit")?)?;
//! let options = DepositOptions::new().as_of(parse_date("2026-11-10")?);
//! let report = reconcile_deposits(&statement, &bank, &options)?;
//! assert_eq!(report.payouts[0].class, DepositClass::DepositShort);
//! assert_eq!(report.payouts[0].difference, Money::from_yuan(99));
//! assert_eq!(report.payouts[1].class, DepositClass::DepositMissing);
//! assert_eq!(report.findings[0].en, "payout of ¥4,970.00 for 2026-11-03 has not arrived (5 business days overdue)");
//! assert_eq!(report.findings[1].en, "¥99.00 less than the statement's net on 2026-11-02 (流量费?): ¥12,246.48 arrived on 2026-11-02 for ¥12,345.48");
//! # Ok::<(), posfee::Error>(())
//! ```

mod acquirer;
mod audit;
mod bank_profile;
mod bank_read;
mod class;
mod deductions;
mod findings;
mod matching;
mod payouts;
mod report;
pub mod simulation;

pub use acquirer::DEFAULT_ACQUIRER_TEXTS;
pub use audit::{DepositAudit, DepositOverview, DepositRequest};
pub use bank_profile::{bank_format_infos, bank_formats, BankField, BankProfile};
pub use bank_read::{
    read_bank_export, read_bank_file, read_bank_statement, read_bank_statement_file, BankIssue, BankRow, BankStatement, BANK_ROWS_MAX,
    BANK_STATEMENT_BYTES_MAX,
};
pub use class::DepositClass;
pub use matching::MERGE_CANDIDATES_MAX;
pub use report::{
    BankEntryResult, DeductionResult, DepositClassTotals, DepositFinding, DepositReport, DepositSummary, PayoutResult, UnreadableLine,
    DEPOSIT_CSV_COLUMNS,
};

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::reconcile::Statement;
use matching::{Entry, Rules, Unchecked};

/// The largest posting delay that may be allowed: 20 business days.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::deposits::DELAY_MAX_BUSINESS_DAYS_LIMIT, 20);
/// ```
pub const DELAY_MAX_BUSINESS_DAYS_LIMIT: i64 = 20;

/// How to check deposits.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::DepositOptions;
/// let options = DepositOptions::new().delay_max_business_days(3).acquirer_text("付临门");
/// assert_eq!((options.on_time_business_days, options.delay_max_business_days), (0, 3));
/// assert!(options.acquirer_texts.contains(&"付临门".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DepositOptions {
    /// The business-day calendar (`None`: [`Calendar::china`]).
    pub calendar: Option<Calendar>,
    /// A payout posted this many business days after its due day is still on time
    /// (default 0: on the due day, the first business day on or after the settlement date).
    pub on_time_business_days: i64,
    /// The latest a payout may be posted and still be matched, in business days after its
    /// due day (default 2; at most [`DELAY_MAX_BUSINESS_DAYS_LIMIT`]). Later than on time is
    /// [`DepositClass::DepositedLate`].
    pub delay_max_business_days: i64,
    /// The most payouts one merged deposit may hold (default 8, 2 to [`MERGE_CANDIDATES_MAX`]).
    pub merge_payouts_max: usize,
    /// The largest shortfall read as a short deposit rather than an unrelated credit
    /// (default ¥500: service and data fees are tens to hundreds of yuan).
    pub short_difference_max: Money,
    /// Group payouts by merchant number as well as settlement date (default true; turn off
    /// for an acquirer that pays all merchant numbers in one sum).
    pub group_by_merchant: bool,
    /// Group payouts by batch number (批次号) too, where the statement shows one (default
    /// true: a bank acquirer pays each terminal batch on its own; turn off for an acquirer
    /// that pays a day's batches in one sum, which would otherwise show as merged deposits).
    pub group_by_batch: bool,
    /// Texts that mark a bank row as the acquirer's ([`DEFAULT_ACQUIRER_TEXTS`]).
    pub acquirer_texts: Vec<String>,
    /// The first day the bank statement covers (default: its earliest row).
    pub covered_from: Option<NaiveDate>,
    /// The last day the bank statement covers (default: its latest row): payouts that may
    /// still be posted after it are not checked.
    pub as_of: Option<NaiveDate>,
}

impl Default for DepositOptions {
    fn default() -> DepositOptions {
        DepositOptions::new()
    }
}

impl DepositOptions {
    /// The defaults above.
    ///
    /// # Example
    /// ```
    /// let options = posfee::reconcile::deposits::DepositOptions::new();
    /// assert_eq!(options.short_difference_max, posfee::Money::from_yuan(500));
    /// ```
    pub fn new() -> DepositOptions {
        DepositOptions {
            calendar: None,
            on_time_business_days: 0,
            delay_max_business_days: 2,
            merge_payouts_max: 8,
            short_difference_max: Money::from_yuan(500),
            group_by_merchant: true,
            group_by_batch: true,
            acquirer_texts: DEFAULT_ACQUIRER_TEXTS.iter().map(|t| t.to_string()).collect(),
            covered_from: None,
            as_of: None,
        }
    }

    /// Sets the latest posting delay.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::deposits::DepositOptions::new().delay_max_business_days(5).delay_max_business_days, 5);
    /// ```
    pub fn delay_max_business_days(mut self, days: i64) -> DepositOptions {
        self.delay_max_business_days = days;
        self
    }

    /// Adds a text that marks the acquirer's rows.
    ///
    /// # Example
    /// ```
    /// let options = posfee::reconcile::deposits::DepositOptions::new().acquirer_text("6222020200112233");
    /// assert_eq!(options.acquirer_texts.last().map(String::as_str), Some("6222020200112233"));
    /// ```
    pub fn acquirer_text(mut self, text: impl Into<String>) -> DepositOptions {
        self.acquirer_texts.push(text.into());
        self
    }

    /// Sets the last day the bank statement covers.
    ///
    /// # Example
    /// ```
    /// let options = posfee::reconcile::deposits::DepositOptions::new().as_of(posfee::parse_date("2026-11-30")?);
    /// assert_eq!(options.as_of.unwrap().to_string(), "2026-11-30");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn as_of(mut self, date: NaiveDate) -> DepositOptions {
        self.as_of = Some(date);
        self
    }

    /// Sets the calendar.
    ///
    /// # Example
    /// ```
    /// let options = posfee::reconcile::deposits::DepositOptions::new().calendar(posfee::Calendar::china().clone());
    /// assert!(options.calendar.is_some());
    /// ```
    pub fn calendar(mut self, calendar: Calendar) -> DepositOptions {
        self.calendar = Some(calendar);
        self
    }

    /// What payouts are grouped by besides the settlement date.
    pub(crate) fn grouping(&self) -> payouts::Grouping {
        payouts::Grouping { by_merchant: self.group_by_merchant, by_batch: self.group_by_batch }
    }

    fn check(&self) -> Result<()> {
        let bad = |message: String, field: &str| Err(Error::new(ErrorKind::InvalidRequest, message).in_field(field));
        if !(0..=DELAY_MAX_BUSINESS_DAYS_LIMIT).contains(&self.delay_max_business_days) {
            return bad(
                format!(
                    "the posting delay of {} business days is outside 0 to {DELAY_MAX_BUSINESS_DAYS_LIMIT}",
                    self.delay_max_business_days
                ),
                "delay_max_business_days",
            );
        }
        if !(0..=self.delay_max_business_days).contains(&self.on_time_business_days) {
            return bad(
                format!(
                    "{} business days on time is outside 0 to the posting delay ({})",
                    self.on_time_business_days, self.delay_max_business_days
                ),
                "on_time_business_days",
            );
        }
        if !(2..=MERGE_CANDIDATES_MAX).contains(&self.merge_payouts_max) {
            return bad(
                format!("merged deposits of {} payouts: the limit is 2 to {MERGE_CANDIDATES_MAX}", self.merge_payouts_max),
                "merge_payouts_max",
            );
        }
        if self.short_difference_max.is_negative() || self.short_difference_max > Money::MAX_AMOUNT {
            return bad(
                format!("the short difference ¥{} is outside 0 to ¥{}", self.short_difference_max, Money::MAX_AMOUNT),
                "short_difference_max",
            );
        }
        if self.acquirer_texts.len() > acquirer::ACQUIRER_TEXTS_MAX
            || self.acquirer_texts.iter().any(|t| t.trim().is_empty() || t.len() > 200)
        {
            return bad(
                format!("acquirer texts: at most {} texts of 1 to 200 bytes, none empty", acquirer::ACQUIRER_TEXTS_MAX),
                "acquirer_texts",
            );
        }
        if let (Some(from), Some(to)) = (self.covered_from, self.as_of) {
            if from > to {
                return bad(format!("the bank statement's period starts ({from}) after it ends ({to})"), "covered_from");
            }
        }
        Ok(())
    }
}

/// Reconciles the acquirer's statement with the merchant's bank statement: every expected
/// payout and every acquirer's bank row lands in exactly one [`DepositClass`], with a reason
/// and, for each problem, a finding in plain words.
///
/// # Errors
/// [`ErrorKind::InvalidRequest`] for options outside their limits;
/// [`ErrorKind::CalendarOutOfRange`] when a date needs holiday data the calendar does not
/// have; [`ErrorKind::Overflow`] when a payout's sum leaves [`Money::MAX`];
/// [`ErrorKind::Internal`] if the report's totals do not balance (a bug).
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::{reconcile_deposits, DepositClass};
/// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
/// let sample = generate_deposits(&DepositSimulationOptions::new(42))?;
/// let report = reconcile_deposits(&sample.statement, &sample.bank, &sample.options)?;
/// for (k, payout) in report.payouts.iter().enumerate() {
///     assert_eq!(payout.class, sample.key.payout_class(k), "payout {k}");
/// }
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn reconcile_deposits(statement: &Statement, bank: &BankStatement, options: &DepositOptions) -> Result<DepositReport> {
    options.check()?;
    let calendar = options.calendar.as_ref().unwrap_or_else(|| Calendar::china());
    let payouts = payouts::expected_payouts(statement, options.grouping())?;
    let rows = bank.rows();
    let acquirer_texts = acquirer::AcquirerTexts::new(&options.acquirer_texts);
    let acquirer_rows: Vec<usize> = (0..rows.len()).filter(|&k| acquirer_texts.marks(&rows[k])).collect();
    let entries: Vec<Entry> =
        acquirer_rows.iter().map(|&k| Entry { date: rows[k].date, amount: rows[k].amount, line: rows[k].line }).collect();
    let first_row = rows.iter().map(|r| r.date).min();
    let last_row = rows.iter().map(|r| r.date).max();
    let (covered_from, as_of) = match (options.covered_from.or(first_row), options.as_of.or(last_row)) {
        (Some(from), Some(to)) => (from, to),
        // An empty bank statement with no period given: nothing can be checked.
        _ => (NaiveDate::MAX, NaiveDate::MIN),
    };
    let rules = Rules {
        calendar,
        on_time_business_days: options.on_time_business_days,
        delay_max_business_days: options.delay_max_business_days,
        merge_payouts_max: options.merge_payouts_max,
        short_difference_max: options.short_difference_max,
        covered_from,
        as_of,
    };
    let outcome = matching::match_deposits(&payouts, &entries, &rules)?;

    // Payouts.
    let mut results = Vec::with_capacity(payouts.len());
    for (p, payout) in payouts.iter().enumerate() {
        let class = outcome.payout_class[p];
        let received = outcome.payout_received[p];
        let entry_lines: Vec<u64> = outcome.payout_entries[p].iter().map(|&k| entries[k].line).collect();
        let posted_on = outcome.payout_entries[p].first().map(|&k| entries[k].date);
        let reason = match class {
            DepositClass::Deposited => format!("arrived in full on {}", posted_on.map(|d| d.to_string()).unwrap_or_default()),
            DepositClass::DepositedLate => format!(
                "arrived in full on {}, {} business day(s) after its due day",
                posted_on.map(|d| d.to_string()).unwrap_or_default(),
                outcome.payout_delay[p].unwrap_or(0)
            ),
            DepositClass::DepositMerged => {
                let k = outcome.payout_entries[p][0];
                format!(
                    "arrived with {} other payout(s) in one deposit of {} on {}",
                    outcome.entry_payouts[k].len() - 1,
                    report::yuan(entries[k].amount),
                    entries[k].date
                )
            }
            DepositClass::DepositShort => match outcome.payout_entries[p].get(1) {
                Some(&d) => {
                    format!("arrived in full, but the acquirer deducted {} on line {}", report::yuan(-entries[d].amount), entries[d].line)
                }
                None => format!("{} arrived instead of {}", report::yuan(received.unwrap_or_default()), report::yuan(payout.amount)),
            },
            DepositClass::DepositMissing => {
                format!("nothing arrived within {} business day(s) of its due day", options.delay_max_business_days)
            }
            DepositClass::NotChecked => match outcome.payout_unchecked[p] {
                Some(Unchecked::ZeroNet) => "the net is zero: nothing to deposit".to_string(),
                Some(Unchecked::DueAfter(_)) if as_of == NaiveDate::MIN => {
                    "may be posted after the bank statement's last day: it has no rows, and no period was given".to_string()
                }
                Some(Unchecked::DueAfter(end)) => format!("may be posted up to {end}, after the bank statement's last day {as_of}"),
                Some(Unchecked::BeforeStart) => format!("may have been posted before the bank statement's first day {covered_from}"),
                None => String::new(),
            },
            DepositClass::UnexplainedCredit | DepositClass::UnexplainedDebit => String::new(),
        };
        let difference = match class {
            DepositClass::DepositMissing => payout.amount,
            DepositClass::NotChecked => Money::ZERO,
            _ => payout.amount - received.unwrap_or(payout.amount),
        };
        results.push(PayoutResult {
            settlement_date: payout.settlement_date,
            merchant_no: payout.merchant_no.clone(),
            batch: payout.batch.clone(),
            expected: payout.amount,
            received,
            difference,
            class,
            posted_on,
            delay_business_days: outcome.payout_delay[p],
            overdue_business_days: outcome.payout_overdue[p],
            statement_lines: payout.lines.clone(),
            bank_lines: entry_lines,
            statement_deduction_lines: Vec::new(),
            reason,
        });
    }

    // The statement's deduction lines that explain short deposits.
    let explained = deductions::explain_shortfalls(&results, statement.deductions());
    let deduction_results: Vec<DeductionResult> =
        statement.deductions().iter().zip(&explained).map(|(d, &payout)| deductions::result(d, payout)).collect();
    for (p, payout) in results.iter_mut().enumerate() {
        let lines: Vec<&DeductionResult> = deduction_results.iter().filter(|d| d.payout == Some(p)).collect();
        if !lines.is_empty() {
            payout.statement_deduction_lines = lines.iter().map(|d| d.line).collect();
            payout.reason = format!("{}; the statement deducts {}", payout.reason, deductions::describe(&lines).0);
        }
    }

    // The acquirer's bank rows.
    let mut bank_results = Vec::with_capacity(entries.len());
    for (k, &row) in acquirer_rows.iter().enumerate() {
        let row = &rows[row];
        let class = outcome.entry_class[k];
        let paid: Vec<String> = outcome.entry_payouts[k].iter().map(|&p| payouts[p].settlement_date.to_string()).collect();
        let reason = match class {
            DepositClass::UnexplainedCredit => "a credit from the acquirer that matches no payout of the statement".to_string(),
            DepositClass::UnexplainedDebit => "a debit by the acquirer that matches no payout".to_string(),
            DepositClass::DepositShort if row.amount.is_negative() => format!("deducted from the payout for {}", paid.join(", ")),
            _ => format!("pays the payout(s) for {}", paid.join(", ")),
        };
        bank_results.push(BankEntryResult {
            line: row.line,
            date: row.date,
            amount: row.amount,
            counterparty: row.counterparty.clone(),
            memo: [row.summary.as_str(), row.memo.as_str()].iter().filter(|t| !t.is_empty()).copied().collect::<Vec<_>>().join(" "),
            class,
            payouts: outcome.entry_payouts[k].clone(),
            reason,
        });
    }

    let mut unreadable: Vec<UnreadableLine> = statement
        .issues()
        .iter()
        .map(|issue| UnreadableLine {
            side: "statement".into(),
            line: issue.error.location().line.unwrap_or(0),
            reason: issue.error.to_string(),
        })
        .collect();
    unreadable.extend(bank.issues().iter().map(|issue| UnreadableLine {
        side: "bank".into(),
        line: issue.error.location().line.unwrap_or(0),
        reason: issue.error.to_string(),
    }));

    let mut report = DepositReport {
        summary: DepositSummary::default(),
        payouts: results,
        bank: bank_results,
        deductions: deduction_results,
        unreadable,
        findings: Vec::new(),
    };
    let sum = |values: &mut dyn Iterator<Item = Money>| -> Result<Money> {
        let total: i128 = values.map(|m| i128::from(m.millifen())).sum();
        i64::try_from(total)
            .ok()
            .and_then(|m| Money::from_millifen(m).ok())
            .ok_or_else(|| Error::new(ErrorKind::Overflow, format!("a sum of the deposit report is beyond ¥{}", Money::MAX)))
    };
    let mut classes = Vec::with_capacity(DepositClass::ALL.len());
    for class in DepositClass::ALL {
        let in_class: Vec<&PayoutResult> = report.payouts.iter().filter(|p| p.class == class).collect();
        let rows_in_class: Vec<&BankEntryResult> = report.bank.iter().filter(|b| b.class == class).collect();
        classes.push(DepositClassTotals {
            class: Some(class),
            payouts: in_class.len() as u64,
            expected: sum(&mut in_class.iter().map(|p| p.expected))?,
            difference: sum(&mut in_class.iter().map(|p| p.difference))?,
            bank_rows: rows_in_class.len() as u64,
            bank_amount: sum(&mut rows_in_class.iter().map(|b| b.amount))?,
        });
    }
    let mut warnings = Vec::new();
    if !statement.issues().is_empty() {
        warnings.push(format!(
            "{} line(s) of the statement could not be read: the payouts of their days may be missing their nets",
            statement.issues().len()
        ));
    }
    let rounded = payouts.iter().filter(|p| p.amount != p.exact).count();
    if rounded > 0 {
        warnings.push(format!("{rounded} payout(s) have nets below the fen (five-decimal fees), rounded to the fen half away from zero"));
    }
    if acquirer_rows.is_empty() && !rows.is_empty() {
        warnings.push(format!(
            "no row of the bank statement is recognised as the acquirer's (texts looked for: {}); add the acquirer's name or account",
            options.acquirer_texts.join(", ")
        ));
    }
    report.summary = DepositSummary {
        payouts: payouts.len() as u64,
        expected: sum(&mut payouts.iter().map(|p| p.amount))?,
        bank_rows: rows.len() as u64,
        acquirer_rows: entries.len() as u64,
        acquirer_amount: sum(&mut entries.iter().map(|e| e.amount))?,
        other_bank_rows: (rows.len() - entries.len()) as u64,
        skipped_bank_rows: bank.skipped_rows(),
        statement_deductions: report.deductions.len() as u64,
        statement_deductions_explaining: report.deductions.iter().filter(|d| d.payout.is_some()).count() as u64,
        unreadable_lines: report.unreadable.len() as u64,
        covered_from: (covered_from <= as_of).then_some(covered_from),
        as_of: (covered_from <= as_of).then_some(as_of),
        not_arrived: sum(&mut report
            .payouts
            .iter()
            .filter(|p| matches!(p.class, DepositClass::DepositMissing | DepositClass::DepositShort))
            .map(|p| p.difference))?,
        classes,
        warnings,
    };
    report.findings = findings::findings(&report, &outcome.payout_unchecked);
    let expected_before: i128 = payouts.iter().map(|p| i128::from(p.amount.millifen())).sum();
    let acquirer_before: i128 = entries.iter().map(|e| i128::from(e.amount.millifen())).sum();
    report::check_balance(&report, expected_before, acquirer_before)?;
    Ok(report)
}

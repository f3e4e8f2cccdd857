//! The reconciliation report: one [`RowResult`] per input row, a [`Summary`], and CSV / JSON
//! export.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use super::class::{Class, ClassSet};
use super::response::ResponseMeaning;
use super::schema::Side;
use crate::channel::Channel;
use crate::money::Money;

/// How a pair was matched.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::MatchedBy::Reference.name(), "reference");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// Same reference number, terminal and trade date.
    Reference,
    /// No usable reference: same terminal and amount, trade times within the window.
    TimeWindow,
}

impl MatchedBy {
    /// `reference` or `time_window`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::MatchedBy::TimeWindow.name(), "time_window");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            MatchedBy::Reference => "reference",
            MatchedBy::TimeWindow => "time_window",
        }
    }
}

/// What happened to one input row.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}, Class, Side};
/// let sample = generate(&SimulationOptions::new(7).trades(200))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// let row = &report.rows[0];
/// assert_eq!(row.side, Side::Ledger);
/// assert!(!row.reason.is_empty());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowResult {
    /// Which input.
    pub side: Side,
    /// The row index in its table (`None` for an unreadable line).
    pub index: Option<usize>,
    /// The 1-based line in the source file (0 when unknown).
    pub line: u64,
    /// The class the row lands in.
    pub class: Class,
    /// Every discrepancy found (the class is the first of them).
    pub findings: ClassSet,
    /// For a matched row: the index of the row on the other side.
    pub partner: Option<usize>,
    /// For a matched row: how it was matched.
    pub matched_by: Option<MatchedBy>,
    /// The row's trade amount (zero for an unreadable line).
    pub amount: Money,
    /// Statement rows: the fee charged.
    pub fee: Option<Money>,
    /// Statement rows: the net amount.
    pub net: Option<Money>,
    /// Matched pairs: the fee the contract expects.
    pub expected_fee: Option<Money>,
    /// Why the row is in its class, in words (names values and dates).
    pub reason: Cow<'static, str>,
}

/// Counts and sums of one class.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}, Class};
/// let sample = generate(&SimulationOptions::new(7).trades(200))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// let ok = report.summary.class(Class::Ok);
/// assert!(ok.ledger_rows > 0 && ok.ledger_rows == ok.statement_rows);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ClassTotals {
    /// The class.
    pub class: Option<Class>,
    /// Ledger rows in the class.
    pub ledger_rows: u64,
    /// Statement rows in the class.
    pub statement_rows: u64,
    /// Unreadable lines (only for [`Class::Unreadable`]).
    pub unreadable_rows: u64,
    /// Sum of the ledger amounts.
    pub ledger_amount: Money,
    /// Sum of the statement amounts.
    pub statement_amount: Money,
    /// Sum of the statement fees.
    pub statement_fee: Money,
    /// Sum of the statement net amounts.
    pub statement_net: Money,
    /// Sum of the expected fees (matched pairs).
    pub expected_fee: Money,
}

/// Declined trades with one response code.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(7).trades(2000))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// assert!(report.summary.declined.iter().any(|d| d.meaning.known));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclinedCount {
    /// The code and its meaning.
    pub meaning: ResponseMeaning,
    /// Trades declined with it.
    pub trades: u64,
    /// Their amounts.
    pub amount: Money,
}

/// The effective fee rate of one trade day and channel, over the statement's purchases.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(7).trades(500))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// assert!(report.summary.daily_rates[0].rate.ends_with('%'));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DailyRate {
    /// The trade date (China time).
    pub date: NaiveDate,
    /// The channel.
    pub channel: Channel,
    /// Purchases.
    pub trades: u64,
    /// Their amounts.
    pub amount: Money,
    /// Their fees.
    pub fee: Money,
    /// fee ÷ amount as a percentage with four decimals (a string, never a float).
    pub rate: String,
}

/// The merchant numbers and names seen on one terminal of the statement.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(7).trades(500))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// assert!(!report.summary.terminals[0].merchant_numbers.is_empty());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TerminalMerchants {
    /// The terminal id.
    pub terminal: String,
    /// Distinct merchant numbers, sorted.
    pub merchant_numbers: Vec<String>,
    /// Distinct merchant names, sorted.
    pub merchant_names: Vec<String>,
}

/// Totals of a reconciliation.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(7).trades(500))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// let s = &report.summary;
/// assert_eq!(s.ledger_rows as usize, sample.ledger.len());
/// assert!(s.overcharge >= posfee::Money::ZERO);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Ledger rows read.
    pub ledger_rows: u64,
    /// Statement rows read.
    pub statement_rows: u64,
    /// Lines of either input that could not be read.
    pub unreadable_rows: u64,
    /// Sum of all ledger amounts.
    pub ledger_amount: Money,
    /// Sum of all statement amounts.
    pub statement_amount: Money,
    /// Sum of all statement fees.
    pub statement_fee: Money,
    /// Sum of all statement net amounts.
    pub statement_net: Money,
    /// Per class, in [`Class::ALL`] order.
    pub classes: Vec<ClassTotals>,
    /// Matched pairs: the fees the contract expects.
    pub expected_fee: Money,
    /// Matched pairs: the fees charged.
    pub charged_fee: Money,
    /// Matched pairs: the sum of fees charged above the contract.
    pub overcharge: Money,
    /// Matched pairs: the sum of fees charged below the contract.
    pub undercharge: Money,
    /// Declined trades by response code.
    pub declined: Vec<DeclinedCount>,
    /// Effective rate per trade day and channel.
    pub daily_rates: Vec<DailyRate>,
    /// Merchant numbers per terminal.
    pub terminals: Vec<TerminalMerchants>,
}

impl Summary {
    /// The totals of one class.
    ///
    /// # Example
    /// ```
    /// let summary = posfee::reconcile::Summary::default();
    /// assert_eq!(summary.class(posfee::reconcile::Class::Ok).ledger_rows, 0);
    /// ```
    pub fn class(&self, class: Class) -> ClassTotals {
        self.classes
            .iter()
            .find(|c| c.class == Some(class))
            .cloned()
            .unwrap_or(ClassTotals { class: Some(class), ..ClassTotals::default() })
    }

    /// A plain-text table of the classes and totals, for a terminal.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
    /// let sample = generate(&SimulationOptions::new(7).trades(300))?;
    /// let table = reconcile(&sample.ledger, &sample.statement, &sample.options)?.summary.table();
    /// assert!(table.contains("never_settled"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<20} {:<10} {:>8} {:>10} {:>16} {:>16} {:>12} {:>12}",
            "class", "", "ledger", "statement", "ledger ¥", "statement ¥", "fee ¥", "expected ¥"
        );
        for totals in &self.classes {
            let Some(class) = totals.class else { continue };
            let rows = totals.ledger_rows + totals.statement_rows + totals.unreadable_rows;
            if rows == 0 && class != Class::Ok {
                continue;
            }
            if class == Class::Unreadable {
                let _ = writeln!(
                    out,
                    "{:<20} {:<10} {:>19} line(s) of either file (listed in the report)",
                    class.name(),
                    class.name_zh(),
                    totals.unreadable_rows
                );
                continue;
            }
            let _ = writeln!(
                out,
                "{:<20} {:<10} {:>8} {:>10} {:>16} {:>16} {:>12} {:>12}",
                class.name(),
                class.name_zh(),
                totals.ledger_rows,
                totals.statement_rows + totals.unreadable_rows,
                totals.ledger_amount.to_string(),
                totals.statement_amount.to_string(),
                totals.statement_fee.to_string(),
                totals.expected_fee.to_string()
            );
        }
        let _ = writeln!(
            out,
            "{:<20} {:<10} {:>8} {:>10} {:>16} {:>16} {:>12} {:>12}",
            "total",
            "",
            self.ledger_rows,
            self.statement_rows,
            self.ledger_amount.to_string(),
            self.statement_amount.to_string(),
            self.statement_fee.to_string(),
            self.expected_fee.to_string()
        );
        let _ = writeln!(out);
        let _ = writeln!(out, "fees on matched trades: charged ¥{}, contract ¥{}", self.charged_fee, self.expected_fee);
        let _ = writeln!(out, "overcharged ¥{}, undercharged ¥{}", self.overcharge, self.undercharge);
        if !self.declined.is_empty() {
            let _ = writeln!(out, "declined trades by response code:");
            for d in &self.declined {
                let _ = writeln!(
                    out,
                    "  {:>4} {:>6} trades ¥{:>12}  {} / {}",
                    d.meaning.code,
                    d.trades,
                    d.amount.to_string(),
                    d.meaning.zh,
                    d.meaning.en
                );
            }
        }
        let shared: Vec<&TerminalMerchants> =
            self.terminals.iter().filter(|t| t.merchant_numbers.len() > 1 || t.merchant_names.len() > 1).collect();
        for t in shared {
            let _ = writeln!(
                out,
                "terminal {} settled under {} merchant numbers: {}",
                t.terminal,
                t.merchant_numbers.len(),
                t.merchant_numbers.join(", ")
            );
        }
        out
    }
}

/// The result of [`reconcile`](super::reconcile): every input row in exactly one class, and
/// the totals.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(3).trades(300))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// assert_eq!(report.rows.len(), sample.ledger.len() + sample.statement.len()
///     + sample.ledger.issues().len() + sample.statement.issues().len());
/// assert!(report.to_csv().starts_with("side,index,line,class"));
/// assert!(report.to_json().contains("\"summary\""));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Totals.
    pub summary: Summary,
    /// One row per input row: ledger rows in order, then statement rows, then unreadable lines.
    pub rows: Vec<RowResult>,
}

impl Report {
    /// The rows whose class is `class`.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}, Class};
    /// let sample = generate(&SimulationOptions::new(3).trades(300))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// assert!(report.rows_in(Class::NeverSettled).count() > 0);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn rows_in(&self, class: Class) -> impl Iterator<Item = &RowResult> {
        self.rows.iter().filter(move |r| r.class == class)
    }

    /// The rows as CSV (header `side,index,line,class,findings,partner,matched_by,amount,fee,net,expected_fee,reason`).
    ///
    /// # Example
    /// ```
    /// let report = posfee::reconcile::Report { summary: Default::default(), rows: vec![] };
    /// assert_eq!(report.to_csv().lines().count(), 1);
    /// ```
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::with_capacity(self.rows.len() * 96 + 128));
        let _ = writer.write_record([
            "side",
            "index",
            "line",
            "class",
            "findings",
            "partner",
            "matched_by",
            "amount",
            "fee",
            "net",
            "expected_fee",
            "reason",
        ]);
        let opt = |m: Option<Money>| m.map(|m| m.to_string()).unwrap_or_default();
        for row in &self.rows {
            let findings: Vec<&str> = row.findings.iter().map(Class::name).collect();
            let _ = writer.write_record([
                row.side.name().to_string(),
                row.index.map(|i| i.to_string()).unwrap_or_default(),
                row.line.to_string(),
                row.class.name().to_string(),
                findings.join(";"),
                row.partner.map(|i| i.to_string()).unwrap_or_default(),
                row.matched_by.map(|m| m.name().to_string()).unwrap_or_default(),
                row.amount.to_string(),
                opt(row.fee),
                opt(row.net),
                opt(row.expected_fee),
                row.reason.to_string(),
            ]);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The summary and rows as JSON (amounts as strings).
    ///
    /// # Example
    /// ```
    /// let report = posfee::reconcile::Report { summary: Default::default(), rows: vec![] };
    /// assert!(report.to_json().starts_with('{'));
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// fee ÷ amount as a percentage with four decimals, computed exactly and rounded half up.
pub(crate) fn rate_text(fee: Money, amount: Money) -> String {
    if amount.is_zero() {
        return "-".to_string();
    }
    // percent × 10⁴ = fee × 10⁶ / amount
    let numerator = i128::from(fee.millifen()) * 1_000_000;
    let denominator = i128::from(amount.millifen());
    let mut units = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator.abs() {
        units += if (numerator < 0) != (denominator < 0) { -1 } else { 1 };
    }
    let sign = if units < 0 { "-" } else { "" };
    let units = units.abs();
    format!("{sign}{}.{:04}%", units / 10_000, units % 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_text_is_exact() {
        assert_eq!(rate_text(Money::from_fen(60), Money::from_fen(10_000)), "0.6000%");
        assert_eq!(rate_text(Money::from_fen(1), Money::from_fen(3)), "33.3333%");
        assert_eq!(rate_text(Money::from_fen(2), Money::from_fen(3)), "66.6667%");
        assert_eq!(rate_text(Money::ZERO, Money::ZERO), "-");
    }
}

//! The reconciliation report: one [`RowResult`] per input row, a [`Summary`], and CSV / JSON
//! export.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::ser::SerializeStruct as _;
use serde::Serialize;

use super::class::{Class, ClassSet};
use super::diagnosis::ChargedAs;
use super::findings::Finding;
use super::line_column::LineColumn;
use super::matching::NONE;
use super::response::{ResponseAction, ResponseMeaning};
use super::schema::{from_unix, Ledger, Side, Statement};
use super::spreadsheet::neutralize_cell;
use crate::channel::Channel;
use crate::lang::Lang;
use crate::merchant_limits::{ChannelLimits, LimitKind};
use crate::messages::Text;
use crate::money::Money;

/// The columns of [`Report::to_csv`], in order: the one report schema of every surface.
pub const REPORT_CSV_COLUMNS: [&str; 20] = [
    "side",
    "index",
    "line",
    "trade_id",
    "rrn",
    "terminal",
    "class",
    "findings",
    "partner",
    "matched_by",
    "amount",
    "fee",
    "net",
    "expected_fee",
    "reason",
    "charged_rate",
    "charged_fixed",
    "charged_cap",
    "merchant_no",
    "agent",
];

/// The keys of a report row's input row ([`Report::row_keys`]).
///
/// # Example
/// ```
/// let keys = posfee::reconcile::RowKeys::default();
/// assert_eq!((keys.trade_id, keys.rrn, keys.terminal, keys.time), ("", "", "", None));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RowKeys<'t> {
    /// The ledger's trade id (empty for statement rows and unreadable lines).
    pub trade_id: &'t str,
    /// The reference number (RRN or order number).
    pub rrn: &'t str,
    /// The terminal.
    pub terminal: &'t str,
    /// The trade time, China time (none for an unreadable line).
    #[serde(serialize_with = "crate::settlement::rfc3339_or_null")]
    pub time: Option<DateTime<FixedOffset>>,
}

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

/// What happened to one input row: a view built on demand from the [`Report`]'s columns
/// ([`Report::row`], [`Report::rows`]).
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}, Class, Side};
/// let sample = generate(&SimulationOptions::new(7).trades(200))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// let row = report.row(0).expect("a first row");
/// assert_eq!(row.side, Side::Ledger);
/// assert!(!row.reason.is_empty());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RowResult<'a> {
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
    pub reason: &'a str,
    /// Matched purchases charged another fee than the contract's: what the acquirer
    /// actually charged (rate, fixed, cap), when a pricing reproduces the fee.
    pub charged_as: Option<&'a ChargedAs>,
    /// The registered merchant number of the contract the row was checked against (empty
    /// when none: an unknown terminal, an unreadable line).
    pub merchant_no: &'a str,
    /// The agent who signed that merchant (portfolio reconciliation; empty otherwise).
    pub agent: &'a str,
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

/// Declined trades grouped by what the merchant should do about them.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(7).trades(2000))?;
/// let summary = reconcile(&sample.ledger, &sample.statement, &sample.options)?.summary;
/// let by_code: u64 = summary.declined.iter().map(|d| d.trades).sum();
/// let by_action: u64 = summary.declined_by_action.iter().map(|d| d.trades).sum();
/// assert_eq!(by_code, by_action);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclinedByAction {
    /// What to do.
    pub action: ResponseAction,
    /// The response codes with this action, sorted.
    pub codes: Vec<String>,
    /// Trades declined with them.
    pub trades: u64,
    /// Their amounts.
    pub amount: Money,
}

/// [`DeclinedCount`]s grouped by their action, in [`ResponseAction::ALL`] order.
pub(crate) fn declined_by_action(declined: &[DeclinedCount]) -> Vec<DeclinedByAction> {
    let mut groups: Vec<DeclinedByAction> = Vec::new();
    for action in ResponseAction::ALL {
        let mut group = DeclinedByAction { action, codes: Vec::new(), trades: 0, amount: Money::ZERO };
        for count in declined.iter().filter(|d| d.meaning.action == action) {
            group.codes.push(count.meaning.code.clone());
            group.trades += count.trades;
            group.amount = group.amount.checked_add(count.amount).unwrap_or(Money::MAX);
        }
        if !group.codes.is_empty() {
            group.codes.sort_unstable();
            groups.push(group);
        }
    }
    groups
}

/// A day or month whose approved purchases came within 10% of a registered limit, or passed
/// it ([`MerchantProfile::limits`](super::MerchantProfile::limits)).
///
/// # Example
/// ```
/// use posfee::{parse_china_time, Channel, ChannelLimits, LimitKind, MerchantLimits, Money};
/// use posfee::reconcile::{reconcile, Ledger, LedgerRecord, MerchantProfile, ReconcileOptions, Statement};
/// let mut ledger = Ledger::new("ledger.csv");
/// for (rrn, at, yuan) in [("000000000001", "2026-03-02 10:00", 95_000), ("000000000002", "2026-03-02 11:00", 90_000)] {
///     let mut record = LedgerRecord::new(rrn, parse_china_time(at)?, Money::from_yuan(yuan), Channel::Debit);
///     record.rrn = rrn.into();
///     ledger.push(record)?;
/// }
/// let limits = MerchantLimits::new().with(ChannelLimits::new([Channel::Debit]).per_day(Money::from_yuan(200_000)));
/// let profile = MerchantProfile::new("102310058120001", "shop")?.limits(limits);
/// let options = ReconcileOptions::new(posfee::Schedule::preset("standard")?, profile);
/// let near = reconcile(&ledger, &Statement::new("statement.csv"), &options)?.summary.near_limits;
/// assert_eq!((near[0].period.as_str(), near[0].kind, near[0].amount, near[0].trades), ("2026-03-02", LimitKind::PerDay, Money::from_yuan(185_000), 2));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearLimit {
    /// The day (`YYYY-MM-DD`, China time) or month (`YYYY-MM`).
    pub period: String,
    /// The limit: per day, per day count, or per month.
    pub kind: LimitKind,
    /// The channels the limit covers together (empty: every channel).
    pub channels: Vec<Channel>,
    /// The amount limit (per day, per month).
    pub limit_amount: Option<Money>,
    /// The count limit (per day count).
    pub limit_trades: Option<u32>,
    /// The period's approved purchases.
    pub amount: Money,
    /// Their number.
    pub trades: u64,
    /// The merchant whose limit it is (portfolio reconciliation; empty otherwise).
    pub merchant_no: String,
}

impl NearLimit {
    pub(crate) fn new(
        period: String,
        kind: LimitKind,
        scope: &ChannelLimits,
        limit_amount: Option<Money>,
        limit_trades: Option<u32>,
        amount: Money,
        trades: u64,
    ) -> NearLimit {
        NearLimit { period, kind, channels: scope.channels.clone(), limit_amount, limit_trades, amount, trades, merchant_no: String::new() }
    }
}

/// The effective fee rate of one trade day and channel, over the statement's purchases.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(7).trades(500))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// use rust_decimal::{Decimal, RoundingStrategy};
/// assert!(!report.summary.daily_rates.is_empty());
/// for day in &report.summary.daily_rates {
///     // fee ÷ amount in percent, four decimals, half away from zero.
///     let percent = day.fee.to_decimal() * Decimal::from(100) / day.amount.to_decimal();
///     assert_eq!(day.rate, format!("{:.4}%", percent.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)));
/// }
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
/// // Over- and undercharges are the row-by-row differences of the matched pairs.
/// let (mut over, mut under) = (posfee::Money::ZERO, posfee::Money::ZERO);
/// for row in report.rows() {
///     if let (Some(fee), Some(expected)) = (row.fee, row.expected_fee) {
///         if fee > expected { over = over + (fee - expected) } else { under = under + (expected - fee) }
///     }
/// }
/// assert_eq!((s.overcharge, s.undercharge), (over, under));
/// assert!(s.overcharge > posfee::Money::ZERO);
/// assert_eq!(s.charged_fee - s.expected_fee, s.overcharge - s.undercharge);
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
    /// Declined trades by what the merchant should do (in [`ResponseAction::ALL`] order).
    pub declined_by_action: Vec<DeclinedByAction>,
    /// Days and months that came within 10% of a registered limit, or passed it (empty
    /// without [`MerchantProfile::limits`](super::MerchantProfile::limits)).
    pub near_limits: Vec<NearLimit>,
    /// Effective rate per trade day and channel.
    pub daily_rates: Vec<DailyRate>,
    /// Merchant numbers per terminal.
    pub terminals: Vec<TerminalMerchants>,
    /// Things to know that are not findings of a row: for example that the trades reach
    /// the last month of the calendar's holiday data (load the next year's notice).
    pub warnings: Vec<String>,
    /// What the acquirer did to many trades (a rate rise from a day, an add-on, a cap not
    /// applied, later settlement, 跳码…), largest money involved first.
    pub findings: Vec<Finding>,
    /// Portfolio reconciliation: the totals of each merchant, by merchant number (empty for
    /// one merchant). [`Summary::merchants_ranked`] orders them by a problem.
    pub merchants: Vec<MerchantTotals>,
}

/// One merchant's totals in a portfolio reconciliation.
///
/// # Example
/// ```
/// let totals = posfee::reconcile::MerchantTotals::default();
/// assert_eq!(totals.overcharge, posfee::Money::ZERO);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MerchantTotals {
    /// The merchant number.
    pub merchant_no: String,
    /// Its name.
    pub name: String,
    /// The agent who signed it.
    pub agent: String,
    /// Ledger rows checked against its contracts.
    pub ledger_rows: u64,
    /// Statement rows checked against its contracts.
    pub statement_rows: u64,
    /// Rows in a problem class ([`Class::is_problem`]), either side.
    pub problem_rows: u64,
    /// Fees charged above the contract (matched pairs).
    pub overcharge: Money,
    /// Fees charged below the contract.
    pub undercharge: Money,
    /// Approved trades never settled.
    pub never_settled_trades: u64,
    /// Their amounts.
    pub never_settled_amount: Money,
    /// Trades settled late.
    pub settled_late_trades: u64,
    /// Their net amounts.
    pub settled_late_net: Money,
    /// Statement rows booked under another merchant number or terminal (跳码).
    pub merchant_differs_trades: u64,
    /// Their amounts.
    pub merchant_differs_amount: Money,
}

/// What [`Summary::merchants_ranked`] orders merchants by.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::MerchantRanking::ALL.len(), 4);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MerchantRanking {
    /// Fees charged above the contract.
    Overcharge,
    /// Money never settled.
    NeverSettled,
    /// Net settled late.
    SettledLate,
    /// Amounts booked elsewhere (跳码).
    MerchantDiffers,
}

impl MerchantRanking {
    /// Every ranking.
    pub const ALL: [MerchantRanking; 4] =
        [MerchantRanking::Overcharge, MerchantRanking::NeverSettled, MerchantRanking::SettledLate, MerchantRanking::MerchantDiffers];

    fn key(self, totals: &MerchantTotals) -> Money {
        match self {
            MerchantRanking::Overcharge => totals.overcharge,
            MerchantRanking::NeverSettled => totals.never_settled_amount,
            MerchantRanking::SettledLate => totals.settled_late_net.abs(),
            MerchantRanking::MerchantDiffers => totals.merchant_differs_amount.abs(),
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (MerchantRanking::Overcharge, Lang::En) => "overcharged",
            (MerchantRanking::NeverSettled, Lang::En) => "never settled",
            (MerchantRanking::SettledLate, Lang::En) => "settled late",
            (MerchantRanking::MerchantDiffers, Lang::En) => "booked elsewhere (跳码)",
            (MerchantRanking::Overcharge, Lang::Zh) => "多收手续费",
            (MerchantRanking::NeverSettled, Lang::Zh) => "未结算",
            (MerchantRanking::SettledLate, Lang::Zh) => "延迟结算",
            (MerchantRanking::MerchantDiffers, Lang::Zh) => "入账到其他商户号（跳码）",
        }
    }
}

impl Summary {
    /// The merchants with money in a ranking, largest first (ties by merchant number).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{MerchantRanking, Summary};
    /// assert!(Summary::default().merchants_ranked(MerchantRanking::Overcharge).is_empty());
    /// ```
    pub fn merchants_ranked(&self, ranking: MerchantRanking) -> Vec<&MerchantTotals> {
        let mut ranked: Vec<&MerchantTotals> = self.merchants.iter().filter(|m| !ranking.key(m).is_zero()).collect();
        ranked.sort_by(|a, b| ranking.key(b).cmp(&ranking.key(a)).then(a.merchant_no.cmp(&b.merchant_no)));
        ranked
    }

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
        self.table_in(Lang::En)
    }

    /// [`Summary::table`] in `lang` (class names are given as their identifiers in both).
    ///
    /// # Example
    /// ```
    /// use posfee::{Lang, reconcile::{reconcile, simulation::{generate, SimulationOptions}}};
    /// let sample = generate(&SimulationOptions::new(7).trades(300))?;
    /// let table = reconcile(&sample.ledger, &sample.statement, &sample.options)?.summary.table_in(Lang::Zh);
    /// assert!(table.contains("never_settled") && table.contains("已匹配交易的手续费"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn table_in(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<20} {:<10} {:>8} {:>10} {:>16} {:>16} {:>12} {:>12}",
            lang.pick("类别", "class"),
            "",
            lang.pick("流水", "ledger"),
            lang.pick("对账单", "statement"),
            lang.pick("流水 ¥", "ledger ¥"),
            lang.pick("对账单 ¥", "statement ¥"),
            lang.pick("手续费 ¥", "fee ¥"),
            lang.pick("合同 ¥", "expected ¥")
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
                    "{:<20} {:<10} {:>19} {}",
                    class.name(),
                    class.name_zh(),
                    totals.unreadable_rows,
                    lang.pick("行（两个文件合计，见报告）", "line(s) of either file (listed in the report)")
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
            lang.pick("合计", "total"),
            "",
            self.ledger_rows,
            self.statement_rows,
            self.ledger_amount.to_string(),
            self.statement_amount.to_string(),
            self.statement_fee.to_string(),
            self.expected_fee.to_string()
        );
        let _ = writeln!(out);
        if zh {
            let _ = writeln!(out, "已匹配交易的手续费：实收 ¥{}，合同 ¥{}", self.charged_fee, self.expected_fee);
            let _ = writeln!(out, "多收 ¥{}，少收 ¥{}", self.overcharge, self.undercharge);
        } else {
            let _ = writeln!(out, "fees on matched trades: charged ¥{}, contract ¥{}", self.charged_fee, self.expected_fee);
            let _ = writeln!(out, "overcharged ¥{}, undercharged ¥{}", self.overcharge, self.undercharge);
        }
        if !self.declined.is_empty() {
            let _ = writeln!(out, "{}", lang.pick("被拒交易（按应答码）：", "declined trades by response code:"));
            for d in &self.declined {
                let meaning = lang.pick(&d.meaning.zh, &d.meaning.en);
                let _ = writeln!(
                    out,
                    "  {:>4} {:>6} {} ¥{:>12}  {meaning}",
                    d.meaning.code,
                    d.trades,
                    trades_word(d.trades, lang),
                    d.amount.to_string()
                );
            }
            let _ = writeln!(out, "{}", lang.pick("被拒交易（按处理方式）：", "declined trades by what to do:"));
            for d in &self.declined_by_action {
                let _ = writeln!(
                    out,
                    "  {:>6} {} ¥{:>12}  {} ({} {})",
                    d.trades,
                    trades_word(d.trades, lang),
                    d.amount.to_string(),
                    lang.pick(d.action.name_zh(), d.action.name_en()),
                    lang.pick("应答码", "codes"),
                    d.codes.join(", ")
                );
            }
        }
        for near in &self.near_limits {
            let scope = ChannelLimits::new(near.channels.iter().copied());
            let used = match (near.limit_amount, near.limit_trades, zh) {
                (Some(limit), _, false) => format!("¥{} of ¥{} ({})", near.amount, limit, rate_text(near.amount, limit)),
                (Some(limit), _, true) => format!("¥{} / ¥{}（{}）", near.amount, limit, rate_text(near.amount, limit)),
                (None, Some(limit), false) => format!("{} of {limit} trades", near.trades),
                (None, Some(limit), true) => format!("{} / {limit} 笔", near.trades),
                (None, None, _) => String::new(),
            };
            let merchant = if near.merchant_no.is_empty() { String::new() } else { format!("{} ", near.merchant_no) };
            if zh {
                let _ = writeln!(out, "接近限额：{merchant}{} {}（{}）：{used}", near.period, near.kind.name_zh(), scope.scope_zh());
            } else {
                let _ = writeln!(
                    out,
                    "near a limit: {merchant}{} {} {} ({}): {used}",
                    near.period,
                    near.kind.name(),
                    near.kind.name_zh(),
                    scope.scope_en()
                );
            }
        }
        let shared: Vec<&TerminalMerchants> =
            self.terminals.iter().filter(|t| t.merchant_numbers.len() > 1 || t.merchant_names.len() > 1).collect();
        for t in shared {
            let numbers = t.merchant_numbers.join(", ");
            if zh {
                let _ = writeln!(out, "终端 {} 以 {} 个商户号结算：{numbers}", t.terminal, t.merchant_numbers.len());
            } else {
                let _ = writeln!(out, "terminal {} settled under {} merchant numbers: {numbers}", t.terminal, t.merchant_numbers.len());
            }
        }
        if !self.merchants.is_empty() {
            if zh {
                let _ = writeln!(out, "{} 个商户；每类问题金额最大的五个：", self.merchants.len());
            } else {
                let _ = writeln!(
                    out,
                    "{}; the five largest of each problem:",
                    crate::text::counted(self.merchants.len() as i128, "merchant", "merchants")
                );
            }
            for ranking in MerchantRanking::ALL {
                let ranked = self.merchants_ranked(ranking);
                if ranked.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "  {}{}", ranking.title(lang), lang.pick("：", ":"));
                for m in ranked.iter().take(5) {
                    let agent = lang.pick("代理商", "agent");
                    let _ = writeln!(out, "    {} {:<16} ¥{:>12}  {agent} {}", m.merchant_no, m.name, ranking.key(m).to_string(), m.agent);
                }
            }
        }
        if !self.findings.is_empty() {
            let _ = writeln!(out, "{}", lang.pick("发现（按金额从大到小）：", "findings (largest money first):"));
            for finding in &self.findings {
                let _ = writeln!(out, "  - {}", lang.pick(&finding.zh, &finding.en));
            }
        }
        for warning in &self.warnings {
            let _ = writeln!(out, "{}{warning}", lang.pick("注意：", "NOTE: "));
        }
        out
    }
}

/// The unit after a count of trades in a table: `trade`, `trades` or `笔`.
fn trades_word(trades: u64, lang: Lang) -> &'static str {
    match (lang, trades) {
        (Lang::Zh, _) => "笔",
        (Lang::En, 1) => "trade",
        (Lang::En, _) => "trades",
    }
}

/// The results of one side's rows, column by column (row `i` of the side's table).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SideRows {
    pub class: Vec<Class>,
    pub findings: Vec<ClassSet>,
    /// The row on the other side ([`NONE`] when unmatched).
    pub partner: Vec<u32>,
    /// Index into [`Report::reasons`].
    pub reason: Vec<u32>,
}

impl SideRows {
    pub(crate) fn partner(&self, row: usize) -> Option<usize> {
        Some(self.partner[row]).filter(|&p| p != NONE).map(|p| p as usize)
    }
}

/// The columns of the two tables a report shows as they are (line and amount of both sides,
/// the statement's fee and net): copies, when the report was made from borrowed tables
/// ([`reconcile`](super::reconcile)), or the tables themselves, shared with the caller
/// ([`reconcile_shared`](super::reconcile_shared): about 48 bytes a row pair less).
#[derive(Debug, Clone)]
pub(crate) enum TableColumns {
    Copied(Box<CopiedColumns>),
    Shared(Arc<Ledger>, Arc<Statement>),
}

/// [`TableColumns::Copied`]'s columns.
#[derive(Debug, Clone, Default)]
pub(crate) struct CopiedColumns {
    ledger_line: LineColumn,
    ledger_amount_fen: Vec<i64>,
    statement_line: LineColumn,
    statement_amount_fen: Vec<i64>,
    fee: Vec<Money>,
    net: Vec<Money>,
}

/// The columns of a [`TableColumns`], borrowed.
#[derive(PartialEq, Eq)]
pub(crate) struct Shown<'a> {
    pub ledger_line: &'a LineColumn,
    pub ledger_amount_fen: &'a [i64],
    pub statement_line: &'a LineColumn,
    pub statement_amount_fen: &'a [i64],
    pub fee: &'a [Money],
    pub net: &'a [Money],
}

impl TableColumns {
    /// Copies of the columns of borrowed tables.
    pub fn copied(ledger: &Ledger, statement: &Statement) -> TableColumns {
        TableColumns::Copied(Box::new(CopiedColumns {
            ledger_line: ledger.line.clone(),
            ledger_amount_fen: ledger.amount_fen.clone(),
            statement_line: statement.line.clone(),
            statement_amount_fen: statement.amount_fen.clone(),
            fee: statement.fee.clone(),
            net: statement.net.clone(),
        }))
    }

    pub fn get(&self) -> Shown<'_> {
        match self {
            TableColumns::Copied(c) => Shown {
                ledger_line: &c.ledger_line,
                ledger_amount_fen: &c.ledger_amount_fen,
                statement_line: &c.statement_line,
                statement_amount_fen: &c.statement_amount_fen,
                fee: &c.fee,
                net: &c.net,
            },
            TableColumns::Shared(ledger, statement) => Shown {
                ledger_line: &ledger.line,
                ledger_amount_fen: &ledger.amount_fen,
                statement_line: &statement.line,
                statement_amount_fen: &statement.amount_fen,
                fee: &statement.fee,
                net: &statement.net,
            },
        }
    }
}

impl Default for TableColumns {
    fn default() -> TableColumns {
        TableColumns::Copied(Box::default())
    }
}

/// Equal when the columns hold the same values, copied or shared.
impl PartialEq for TableColumns {
    fn eq(&self, other: &TableColumns) -> bool {
        self.get() == other.get()
    }
}

impl Eq for TableColumns {}

/// A line of either input that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnreadableRow {
    pub side: Side,
    pub line: u64,
    /// Index into [`Report::reasons`].
    pub reason: u32,
}

/// A column of fees that may be absent, eight bytes a row (an `Option<Money>` takes sixteen):
/// thousandths of a fen, [`FeeColumn::ABSENT`] for none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FeeColumn {
    millifen: Vec<i64>,
}

impl FeeColumn {
    /// No fee: beyond the range of [`Money`], so never a fee's own value.
    const ABSENT: i64 = i64::MIN;

    /// `rows` rows without a fee.
    pub(crate) fn absent(rows: usize) -> FeeColumn {
        FeeColumn { millifen: super::row_scan::filled(FeeColumn::ABSENT, rows) }
    }

    /// The fee of row `row`, if any (`None` too past the last row).
    #[inline]
    pub(crate) fn get(&self, row: usize) -> Option<Money> {
        self.millifen.get(row).and_then(|&millifen| Money::from_millifen(millifen).ok())
    }

    /// The rows' values, to be filled by [`FeeColumn::value`], in parts.
    pub(crate) fn values_mut(&mut self) -> &mut [i64] {
        &mut self.millifen
    }

    /// The value that stands for `fee` in [`FeeColumn::values_mut`].
    pub(crate) fn value(fee: Option<Money>) -> i64 {
        fee.map_or(FeeColumn::ABSENT, Money::millifen)
    }
}

/// The diagnosed fees of a statement's rows (sorted by row), with a bit a row saying which
/// rows have one: most rows have none, and a row's look-up is then one bit, not a search
/// (the rows of a report are read one after the other, each looked up).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ChargedAsRows {
    sorted: Vec<(u32, ChargedAs)>,
    /// Bit `j % 64` of word `j / 64`: whether statement row `j` has a diagnosis.
    present: Vec<u64>,
}

impl ChargedAsRows {
    /// The diagnoses `sorted` (by statement row, each row once) of a statement of `rows` rows.
    pub(crate) fn new(sorted: Vec<(u32, ChargedAs)>, rows: usize) -> ChargedAsRows {
        let mut present = vec![0u64; rows.div_ceil(64)];
        for &(j, _) in &sorted {
            if let Some(word) = present.get_mut(j as usize / 64) {
                *word |= 1 << (j % 64);
            }
        }
        ChargedAsRows { sorted, present }
    }

    /// The diagnosis of statement row `j`, if any.
    #[inline]
    pub(crate) fn get(&self, j: usize) -> Option<&ChargedAs> {
        if !self.present.get(j / 64).is_some_and(|word| word >> (j % 64) & 1 == 1) {
            return None;
        }
        let k = self.sorted.binary_search_by_key(&(j as u32), |(row, _)| *row).ok()?;
        Some(&self.sorted[k].1)
    }
}

/// The result of [`reconcile`](super::reconcile): every input row in exactly one class, and
/// the totals.
///
/// The rows are held column by column (about 22 bytes a row, reasons shared, and about 24 more
/// of the tables' lines, amounts, fees and nets unless the report shares the tables:
/// [`reconcile_shared`](super::reconcile_shared)); [`Report::row`] and [`Report::rows`] build
/// each [`RowResult`] on demand: ledger rows in order, then statement rows, then unreadable
/// lines.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(3).trades(300))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// assert_eq!(report.len(), sample.ledger.len() + sample.statement.len()
///     + sample.ledger.issues().len() + sample.statement.issues().len());
/// assert!(report.to_csv(&sample.ledger, &sample.statement).starts_with("side,index,line,trade_id"));
/// assert!(report.to_json().contains("\"summary\""));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Totals.
    pub summary: Summary,
    pub(crate) ledger: SideRows,
    pub(crate) statement: SideRows,
    /// Ledger rows: how each was matched.
    pub(crate) matched_by: Vec<Option<MatchedBy>>,
    /// Ledger rows: the fee the contract expects of the pair.
    pub(crate) expected_fee: FeeColumn,
    /// The tables' line, amount, fee and net columns.
    pub(crate) tables: TableColumns,
    pub(crate) unreadable: Vec<UnreadableRow>,
    /// Every distinct reason text; rows refer to them by index.
    pub(crate) reasons: Vec<Text>,
    /// The language of the reasons in [`RowResult`] and the CSV.
    pub(crate) lang: Lang,
    /// Diagnosed fees by statement row.
    pub(crate) charged_as: ChargedAsRows,
    /// Per contract: merchant number, name, agent.
    pub(crate) merchants: Vec<(String, String, String)>,
    /// Per ledger / statement row: its contract (empty: every row has contract 0; `NONE`:
    /// no contract).
    pub(crate) ledger_contract: Vec<u32>,
    pub(crate) statement_contract: Vec<u32>,
    /// The statement rows of each of the summary's findings, in the same order.
    pub(crate) finding_rows: Vec<Vec<u32>>,
}

impl Report {
    /// The language of the rows' reasons (and of the CSV's `reason` column): the options'
    /// [`ReconcileOptions::lang`](super::ReconcileOptions), English unless set.
    ///
    /// # Example
    /// ```
    /// use posfee::{Lang, reconcile::{reconcile, simulation::{generate, SimulationOptions}}};
    /// let sample = generate(&SimulationOptions::new(3).trades(300))?;
    /// let mut report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// assert_eq!(report.lang(), Lang::En);
    /// assert!(report.row(0).unwrap().reason.starts_with("matched"));
    /// report.set_lang(Lang::Zh);
    /// assert!(report.row(0).unwrap().reason.starts_with("已匹配"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Shows the reasons in `lang` from now on (each reason is held in both languages).
    ///
    /// # Example
    /// ```
    /// let mut report = posfee::reconcile::Report::default();
    /// report.set_lang(posfee::Lang::En);
    /// assert_eq!(report.lang(), posfee::Lang::En);
    /// ```
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// The reason of row `k` ([`Report::row`] order) in `lang`, or `None` past the end.
    ///
    /// # Example
    /// ```
    /// use posfee::{Lang, reconcile::{reconcile, simulation::{generate, SimulationOptions}}};
    /// let sample = generate(&SimulationOptions::new(3).trades(300))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// assert_eq!(report.reason_in(0, Lang::En), Some(report.row(0).unwrap().reason));
    /// assert!(report.reason_in(0, Lang::Zh).unwrap().starts_with("已匹配"));
    /// assert_eq!(report.reason_in(report.len(), Lang::Zh), None);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn reason_in(&self, k: usize, lang: Lang) -> Option<&str> {
        let (ledger_rows, statement_rows) = (self.ledger.class.len(), self.statement.class.len());
        let index = if k < ledger_rows {
            self.ledger.reason[k]
        } else if k < ledger_rows + statement_rows {
            self.statement.reason[k - ledger_rows]
        } else {
            self.unreadable.get(k - ledger_rows - statement_rows)?.reason
        };
        Some(self.reasons[index as usize].get(lang))
    }

    /// The number of rows: every input row and unreadable line.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::Report::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.ledger.class.len() + self.statement.class.len() + self.unreadable.len()
    }

    /// Whether the report has no rows.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::Report::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `k` (ledger rows first, then statement rows, then unreadable lines), or `None`
    /// past the end.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}, Side};
    /// let sample = generate(&SimulationOptions::new(3).trades(300))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// let first_statement_row = report.row(sample.ledger.len()).expect("a statement row");
    /// assert_eq!((first_statement_row.side, first_statement_row.index), (Side::Statement, Some(0)));
    /// assert!(report.row(report.len()).is_none());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn row(&self, k: usize) -> Option<RowResult<'_>> {
        let (ledger_rows, statement_rows) = (self.ledger.class.len(), self.statement.class.len());
        if k < ledger_rows {
            Some(self.ledger_row(k))
        } else if k < ledger_rows + statement_rows {
            Some(self.statement_row(k - ledger_rows))
        } else {
            self.unreadable.get(k - ledger_rows - statement_rows).map(|u| RowResult {
                side: u.side,
                index: None,
                line: u.line,
                class: Class::Unreadable,
                findings: ClassSet::EMPTY.with(Class::Unreadable),
                partner: None,
                matched_by: None,
                amount: Money::ZERO,
                fee: None,
                net: None,
                expected_fee: None,
                reason: self.reasons[u.reason as usize].get(self.lang),
                charged_as: None,
                merchant_no: "",
                agent: "",
            })
        }
    }

    fn ledger_row(&self, i: usize) -> RowResult<'_> {
        let (side, tables) = (&self.ledger, self.tables.get());
        RowResult {
            side: Side::Ledger,
            index: Some(i),
            line: tables.ledger_line.get(i),
            class: side.class[i],
            findings: side.findings[i],
            partner: side.partner(i),
            matched_by: self.matched_by[i],
            amount: Money::from_fen(tables.ledger_amount_fen[i]),
            fee: None,
            net: None,
            expected_fee: self.expected_fee.get(i),
            reason: self.reasons[side.reason[i] as usize].get(self.lang),
            charged_as: side.partner(i).and_then(|j| self.charged_as_of(j)),
            merchant_no: self.merchant_of(&self.ledger_contract, i).0,
            agent: self.merchant_of(&self.ledger_contract, i).2,
        }
    }

    /// Merchant number, name and agent of a row's contract.
    pub(crate) fn merchant_of(&self, contracts: &[u32], row: usize) -> (&str, &str, &str) {
        let c = if contracts.is_empty() { 0 } else { contracts[row] };
        self.merchants.get(c as usize).map_or(("", "", ""), |(number, name, agent)| (number, name, agent))
    }

    fn statement_row(&self, j: usize) -> RowResult<'_> {
        let (side, tables) = (&self.statement, self.tables.get());
        let partner = side.partner(j);
        RowResult {
            side: Side::Statement,
            index: Some(j),
            line: tables.statement_line.get(j),
            class: side.class[j],
            findings: side.findings[j],
            partner,
            matched_by: partner.and_then(|i| self.matched_by[i]),
            amount: Money::from_fen(tables.statement_amount_fen[j]),
            fee: Some(tables.fee[j]),
            net: Some(tables.net[j]),
            expected_fee: partner.and_then(|i| self.expected_fee.get(i)),
            reason: self.reasons[side.reason[j] as usize].get(self.lang),
            charged_as: self.charged_as_of(j),
            merchant_no: self.merchant_of(&self.statement_contract, j).0,
            agent: self.merchant_of(&self.statement_contract, j).2,
        }
    }

    pub(crate) fn charged_as_of(&self, statement_row: usize) -> Option<&ChargedAs> {
        self.charged_as.get(statement_row)
    }

    /// The statement rows behind finding `k` of [`Summary::findings`] (empty past the end).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{reconcile, simulation::{generate, Pattern, SimulationOptions}};
    /// let add_on = Pattern::AddOn { from: posfee::parse_date("2026-03-20")?, channel: posfee::Channel::Debit, fixed: posfee::Money::from_yuan(3) };
    /// let sample = generate(&SimulationOptions::new(9).trades(1_000).faults_per_class(0).pattern(add_on))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// let rows = report.finding_rows(0);
    /// assert_eq!(rows.len() as u64, report.summary.findings[0].trades);
    /// assert!(rows.iter().all(|&j| sample.statement.record(j as usize).fee - report.row(sample.ledger.len() + j as usize).unwrap().expected_fee.unwrap() == posfee::Money::from_yuan(3)));
    /// assert!(report.finding_rows(99).is_empty());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn finding_rows(&self, k: usize) -> &[u32] {
        self.finding_rows.get(k).map_or(&[], Vec::as_slice)
    }

    /// Every row in order: ledger rows, statement rows, unreadable lines.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}, Class};
    /// let sample = generate(&SimulationOptions::new(3).trades(300))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// assert_eq!(report.rows().len(), report.len());
    /// assert!(report.rows().any(|row| row.class == Class::Ok));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn rows(&self) -> Rows<'_> {
        Rows { report: self, next: 0, end: self.len() }
    }

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
    pub fn rows_in(&self, class: Class) -> impl Iterator<Item = RowResult<'_>> + '_ {
        let ledger = (0..self.ledger.class.len()).filter(move |&i| self.ledger.class[i] == class).map(|i| self.ledger_row(i));
        let statement = (0..self.statement.class.len()).filter(move |&j| self.statement.class[j] == class).map(|j| self.statement_row(j));
        let offset = self.ledger.class.len() + self.statement.class.len();
        let unreadable = (0..self.unreadable.len()).filter(move |_| class == Class::Unreadable).filter_map(move |u| self.row(offset + u));
        ledger.chain(statement).chain(unreadable)
    }

    /// The keys of row `k`'s input row, read from the tables the report was made from:
    /// trade id (ledger rows), reference number and terminal; empty for an unreadable line.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
    /// let sample = generate(&SimulationOptions::new(3).trades(100))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// let keys = report.row_keys(0, &sample.ledger, &sample.statement);
    /// assert_eq!(keys.trade_id, sample.ledger.record(0).trade_id);
    /// assert_eq!(keys.rrn, sample.ledger.record(0).rrn);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn row_keys<'t>(&self, k: usize, ledger: &'t Ledger, statement: &'t Statement) -> RowKeys<'t> {
        match self.row(k).map(|row| (row.side, row.index)) {
            Some((Side::Ledger, Some(i))) if i < ledger.len() => RowKeys {
                trade_id: ledger.trade_ids().get(i),
                rrn: ledger.rrns().get(i),
                terminal: ledger.terminals().get(i),
                time: Some(from_unix(ledger.time[i])),
            },
            Some((Side::Statement, Some(j))) if j < statement.len() => RowKeys {
                trade_id: "",
                rrn: statement.rrns().get(j),
                terminal: statement.terminals().get(j),
                time: Some(from_unix(statement.time[j])),
            },
            _ => RowKeys::default(),
        }
    }

    /// The rows as CSV, one line per row in [`Report::rows`] order, with the keys of the input
    /// row ([`Report::row_keys`]) so a clerk can find the trade. Header:
    /// `side,index,line,trade_id,rrn,terminal,class,findings,partner,matched_by,amount,fee,net,expected_fee,reason,charged_rate,charged_fixed,charged_cap,merchant_no,agent`.
    ///
    /// Text copied from the inputs (ids, references, terminals, reasons) is written with a
    /// leading `'` where a spreadsheet would run it as a formula ([`neutralize_cell`]).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
    /// let sample = generate(&SimulationOptions::new(3).trades(100))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// let csv = report.to_csv(&sample.ledger, &sample.statement);
    /// assert!(csv.starts_with("side,index,line,trade_id,rrn,terminal,class,"));
    /// assert_eq!(csv.lines().count(), report.len() + 1);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_csv(&self, ledger: &Ledger, statement: &Statement) -> String {
        self.to_csv_in(ledger, statement, self.lang)
    }

    /// [`Report::to_csv`] written to `out` as it is made ([`Report::write_csv_in`]).
    ///
    /// # Errors
    /// The first error of `out`.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
    /// let sample = generate(&SimulationOptions::new(3).trades(100))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// let mut out: Vec<u8> = Vec::new();
    /// report.write_csv(&sample.ledger, &sample.statement, &mut out)?;
    /// assert_eq!(String::from_utf8(out)?, report.to_csv(&sample.ledger, &sample.statement));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_csv(&self, ledger: &Ledger, statement: &Statement, out: &mut (dyn std::io::Write + Send)) -> std::io::Result<()> {
        self.write_csv_in(ledger, statement, self.lang, out)
    }

    /// [`Report::to_csv`] with the reasons in `lang`.
    ///
    /// # Example
    /// ```
    /// use posfee::{Lang, reconcile::{reconcile, simulation::{generate, SimulationOptions}}};
    /// let sample = generate(&SimulationOptions::new(3).trades(100))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// let csv = report.to_csv_in(&sample.ledger, &sample.statement, Lang::Zh);
    /// assert!(csv.contains("已匹配") && !csv.contains("as contracted"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_csv_in(&self, ledger: &Ledger, statement: &Statement, lang: Lang) -> String {
        super::csv_text::csv_in_parts(&REPORT_CSV_COLUMNS, self.len(), 192, |writer, k| self.csv_row(writer, k, ledger, statement, lang))
    }

    /// [`Report::to_csv_in`] written to `out` as it is made (on all cores, a part of the rows
    /// at a time): the text is never held whole, and the writing overlaps the making.
    ///
    /// # Errors
    /// The first error of `out`.
    ///
    /// # Example
    /// ```
    /// use posfee::{Lang, reconcile::{reconcile, simulation::{generate, SimulationOptions}}};
    /// let sample = generate(&SimulationOptions::new(3).trades(100))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// let mut out: Vec<u8> = Vec::new();
    /// report.write_csv_in(&sample.ledger, &sample.statement, Lang::En, &mut out)?;
    /// assert_eq!(String::from_utf8(out)?, report.to_csv_in(&sample.ledger, &sample.statement, Lang::En));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_csv_in(
        &self,
        ledger: &Ledger,
        statement: &Statement,
        lang: Lang,
        out: &mut (dyn std::io::Write + Send),
    ) -> std::io::Result<()> {
        super::csv_text::write_csv_in_parts(out, &REPORT_CSV_COLUMNS, self.len(), 192, |writer, k| {
            self.csv_row(writer, k, ledger, statement, lang)
        })
    }

    /// Writes row `k` as a CSV record of [`REPORT_CSV_COLUMNS`].
    fn csv_row(&self, writer: &mut csv::Writer<Vec<u8>>, k: usize, ledger: &Ledger, statement: &Statement, lang: Lang) {
        let Some(row) = self.row(k) else { return };
        let opt = |m: Option<Money>| m.map(|m| m.to_string()).unwrap_or_default();
        let keys = self.row_keys(k, ledger, statement);
        let _ = writer.write_record(
            [
                Cow::Borrowed(row.side.name()),
                Cow::Owned(row.index.map(|i| i.to_string()).unwrap_or_default()),
                Cow::Owned(row.line.to_string()),
                neutralize_cell(keys.trade_id),
                neutralize_cell(keys.rrn),
                neutralize_cell(keys.terminal),
                Cow::Borrowed(row.class.name()),
                Cow::Owned(row.findings.names_text()),
                Cow::Owned(row.partner.map(|i| i.to_string()).unwrap_or_default()),
                Cow::Borrowed(row.matched_by.map(|m| m.name()).unwrap_or_default()),
                Cow::Owned(row.amount.to_string()),
                Cow::Owned(opt(row.fee)),
                Cow::Owned(opt(row.net)),
                Cow::Owned(opt(row.expected_fee)),
                neutralize_cell(self.reason_in(k, lang).unwrap_or_default()),
                Cow::Owned(row.charged_as.map(|c| c.rate.to_string()).unwrap_or_default()),
                Cow::Owned(opt(row.charged_as.map(|c| c.fixed))),
                Cow::Owned(opt(row.charged_as.and_then(|c| c.cap))),
                Cow::Borrowed(row.merchant_no),
                neutralize_cell(row.agent),
            ]
            .iter()
            .map(|cell| cell.as_bytes()),
        );
    }

    /// The summary and rows as JSON (amounts as strings).
    ///
    /// # Example
    /// ```
    /// let report = posfee::reconcile::Report::default();
    /// assert!(report.to_json().starts_with('{'));
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The rows of a [`Report`] in order, built on demand ([`Report::rows`]).
///
/// # Example
/// ```
/// let report = posfee::reconcile::Report::default();
/// let mut rows: posfee::reconcile::Rows<'_> = report.rows();
/// assert_eq!(rows.len(), 0);
/// assert!(rows.next().is_none());
/// ```
#[derive(Debug, Clone)]
pub struct Rows<'a> {
    report: &'a Report,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Rows<'a> {
    type Item = RowResult<'a>;

    fn next(&mut self) -> Option<RowResult<'a>> {
        if self.next >= self.end {
            return None;
        }
        self.next += 1;
        self.report.row(self.next - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Rows<'_> {}

impl<'a> DoubleEndedIterator for Rows<'a> {
    fn next_back(&mut self) -> Option<RowResult<'a>> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        self.report.row(self.end)
    }
}

impl Serialize for Report {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Rows<'a>(&'a Report);
        impl Serialize for Rows<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.rows())
            }
        }
        let mut report = serializer.serialize_struct("Report", 2)?;
        report.serialize_field("summary", &self.summary)?;
        report.serialize_field("rows", &Rows(self))?;
        report.end()
    }
}

/// One contract's share of its merchant's totals, summed over a part of the rows (money in
/// thousandths of a fen, wide enough for any number of rows: checked once, at the end).
#[derive(Clone, Default)]
struct ContractSums {
    ledger_rows: u64,
    statement_rows: u64,
    problem_rows: u64,
    never_settled_trades: u64,
    never_settled_millifen: i128,
    overcharge_millifen: i128,
    undercharge_millifen: i128,
    settled_late_trades: u64,
    settled_late_net_millifen: i128,
    merchant_differs_trades: u64,
    merchant_differs_millifen: i128,
    /// The contract's first row: its side (the ledger first) and index.
    first_row: Option<(Side, usize)>,
}

impl ContractSums {
    fn add(&mut self, other: &ContractSums) {
        self.ledger_rows += other.ledger_rows;
        self.statement_rows += other.statement_rows;
        self.problem_rows += other.problem_rows;
        self.never_settled_trades += other.never_settled_trades;
        self.never_settled_millifen += other.never_settled_millifen;
        self.overcharge_millifen += other.overcharge_millifen;
        self.undercharge_millifen += other.undercharge_millifen;
        self.settled_late_trades += other.settled_late_trades;
        self.settled_late_net_millifen += other.settled_late_net_millifen;
        self.merchant_differs_trades += other.merchant_differs_trades;
        self.merchant_differs_millifen += other.merchant_differs_millifen;
        self.first_row = self.first_row.into_iter().chain(other.first_row).min();
    }
}

/// `each(sums of the row's contract, row)` for every row below `rows` with a contract
/// (`contracts[row]`, or contract 0 for all when `contracts` is empty), on all cores: the rows
/// cut into a few parts a core ([`row_scan::few_parts`](super::row_scan::few_parts)), each part
/// summed into a list of `count` contracts of its own, and the lists added. (A list a part of
/// 32,768 rows would be many lists of a large registry's contracts.)
fn sums_by_contract(rows: usize, contracts: &[u32], count: usize, each: impl Fn(&mut ContractSums, usize) + Sync) -> Vec<ContractSums> {
    use rayon::prelude::*;
    super::row_scan::few_parts(rows)
        .into_par_iter()
        .map(|part| {
            let mut sums = vec![ContractSums::default(); count];
            for row in part {
                let contract = contracts.get(row).map_or(0, |&c| c as usize);
                if let Some(sums) = sums.get_mut(contract) {
                    each(sums, row);
                }
            }
            sums
        })
        .reduce(
            || vec![ContractSums::default(); count],
            |mut sums, other| {
                sums.iter_mut().zip(&other).for_each(|(sum, other)| sum.add(other));
                sums
            },
        )
}

/// Per merchant: the totals of the rows checked against its contracts, in the order of the
/// merchant numbers. Summed per contract on all cores, then the contracts of one merchant
/// number added (its name and agent are those of the contract of its first row, the ledger's
/// rows first). A contract without a merchant number, and a row without a contract, count for
/// no merchant.
pub(crate) fn merchant_totals(report: &Report) -> crate::error::Result<Vec<MerchantTotals>> {
    let tables = report.tables.get();
    let count = report.merchants.len();
    let (ledger, statement) = rayon::join(
        || {
            sums_by_contract(report.ledger.class.len(), &report.ledger_contract, count, |sums, i| {
                let class = report.ledger.class[i];
                sums.first_row.get_or_insert((Side::Ledger, i));
                sums.ledger_rows += 1;
                sums.problem_rows += u64::from(class.is_problem());
                if class == Class::NeverSettled {
                    sums.never_settled_trades += 1;
                    sums.never_settled_millifen += i128::from(Money::from_fen(tables.ledger_amount_fen[i]).millifen());
                }
            })
        },
        || {
            sums_by_contract(report.statement.class.len(), &report.statement_contract, count, |sums, j| {
                let (class, findings) = (report.statement.class[j], report.statement.findings[j]);
                sums.first_row.get_or_insert((Side::Statement, j));
                sums.statement_rows += 1;
                sums.problem_rows += u64::from(class.is_problem());
                if let Some(expected) = report.statement.partner(j).and_then(|i| report.expected_fee.get(i)) {
                    let (fee, expected) = (i128::from(tables.fee[j].millifen()), i128::from(expected.millifen()));
                    if fee > expected {
                        sums.overcharge_millifen += fee - expected;
                    } else {
                        sums.undercharge_millifen += expected - fee;
                    }
                }
                if findings.contains(Class::SettledLate) {
                    sums.settled_late_trades += 1;
                    sums.settled_late_net_millifen += i128::from(tables.net[j].millifen());
                }
                if findings.contains(Class::MerchantDiffers) {
                    sums.merchant_differs_trades += 1;
                    sums.merchant_differs_millifen += i128::from(Money::from_fen(tables.statement_amount_fen[j]).millifen());
                }
            })
        },
    );
    // The contracts of each merchant number, its first row's contract first.
    let mut by_number: std::collections::BTreeMap<&str, (ContractSums, (Side, usize), usize)> = std::collections::BTreeMap::new();
    for (contract, ((number, _, _), (ledger, statement))) in report.merchants.iter().zip(ledger.iter().zip(&statement)).enumerate() {
        let mut sums = ledger.clone();
        sums.add(statement);
        let Some(first_row) = sums.first_row.filter(|_| !number.is_empty()) else { continue };
        let (total, first, named_by) = by_number.entry(number.as_str()).or_insert_with(|| (ContractSums::default(), first_row, contract));
        if first_row < *first {
            (*first, *named_by) = (first_row, contract);
        }
        total.add(&sums);
    }
    let money = |millifen: i128| {
        i64::try_from(millifen)
            .ok()
            .and_then(|m| Money::from_millifen(m).ok())
            .ok_or_else(|| crate::error::Error::new(crate::error::ErrorKind::Overflow, "a merchant's total is beyond the range of amounts"))
    };
    by_number
        .into_iter()
        .map(|(number, (sums, _, named_by))| {
            let (_, name, agent) = &report.merchants[named_by];
            Ok(MerchantTotals {
                merchant_no: number.to_string(),
                name: name.clone(),
                agent: agent.clone(),
                ledger_rows: sums.ledger_rows,
                statement_rows: sums.statement_rows,
                problem_rows: sums.problem_rows,
                never_settled_trades: sums.never_settled_trades,
                never_settled_amount: money(sums.never_settled_millifen)?,
                overcharge: money(sums.overcharge_millifen)?,
                undercharge: money(sums.undercharge_millifen)?,
                settled_late_trades: sums.settled_late_trades,
                settled_late_net: money(sums.settled_late_net_millifen)?,
                merchant_differs_trades: sums.merchant_differs_trades,
                merchant_differs_amount: money(sums.merchant_differs_millifen)?,
            })
        })
        .collect()
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

    #[test]
    fn each_statement_row_finds_its_own_diagnosis_and_no_other() {
        let charged = |fen: i64| ChargedAs {
            pricing: super::super::Pricing::AddOn { fixed: Money::from_fen(fen), contract_rate: crate::Rate::parse("0.6%").unwrap() },
            rate: crate::Rate::parse("0.6%").unwrap(),
            fixed: Money::from_fen(fen),
            cap: None,
            alternative: None,
        };
        // Rows at either end of a 64-row word, in the last word, and the last row.
        let rows = 200;
        let with: Vec<u32> = vec![0, 5, 63, 64, 127, 128, 190, 199];
        let table = ChargedAsRows::new(with.iter().map(|&j| (j, charged(i64::from(j) + 1))).collect(), rows);
        for j in 0..rows + 70 {
            let expected = with.contains(&(j as u32)).then(|| charged(j as i64 + 1));
            assert_eq!(table.get(j), expected.as_ref(), "row {j}");
        }
        let none = ChargedAsRows::new(Vec::new(), rows);
        assert!((0..rows + 1).all(|j| none.get(j).is_none()));
        assert!(ChargedAsRows::new(Vec::new(), 0).get(0).is_none());
    }
}

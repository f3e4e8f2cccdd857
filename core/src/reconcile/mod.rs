//! Bulk reconciliation: match the merchant's trades (a [`Ledger`]) against the acquirer's
//! settlement statement (a [`Statement`]) and find every discrepancy.
//!
//! - Inputs are columnar tables with a documented canonical schema ([`schema`](Ledger));
//!   statement files are read by [`read_statement`] with a format [`Profile`] (TOML data:
//!   [`Profile::builtin`] for the shipped ones listed by [`formats`] — bank / UnionPay POS
//!   CSV, WeChat Pay merchant bills (ALL, SUCCESS, REFUND, early layout), personal WeChat and
//!   Alipay bills, Alipay 业务明细, JL Pay, Allinpay 收银宝, Leshua, UnionPay ACP ZM — a
//!   user's own with [`Profile::from_toml`], or [`Profile::sniff`] to name the one that fits);
//!   [`read_bank_csv`], [`read_wechat_bill`] and [`read_alipay_csv`] are shipped profiles, and
//!   [`read_ledger_csv`] reads canonical ledger CSVs. A line that cannot be read is kept as a
//!   [`ReadIssue`] with file, line, column and reason; a file's own totals are checked.
//! - [`reconcile`] matches rows (by reference number, terminal and trade date; then by
//!   terminal, amount and time window), checks each pair against the contracted
//!   [`Schedule`] (the version in force at the trade time) and the registered
//!   [`MerchantProfile`], and puts every input row in exactly one [`Class`], with a reason.
//! - The [`Report`] has counts and sums per class, expected vs charged fees, the
//!   overcharge, the effective rate per day and channel, and the merchant numbers seen on
//!   each terminal; it exports to CSV and JSON. Conservation (the sums of the inputs equal
//!   the sums over the classes) is asserted on every run.
//! - [`simulation`] generates seeded ledger / statement pairs with injected faults of every
//!   class and the answer key (for tests, benchmarks and the demo).
//! - [`deposits`] checks that the statement's payouts reached the merchant's bank account
//!   ([`deposits::reconcile_deposits`], with bank statements read by bank profiles).
//!
//! ## Canonical schema
//!
//! Both tables are columns of equal length. Amounts are exact: trade amounts are whole fen
//! (`i64`), fees and net amounts are [`Money`] (thousandths of a fen, for WeChat's five
//! decimals). Times are instants (China time is UTC+08:00). Text columns are stored in one
//! buffer each ([`TextColumn`]). Lines that could not be read are kept as [`ReadIssue`]s.
//! The tables below are [`LEDGER_COLUMNS`] and [`STATEMENT_COLUMNS`], the one description
//! the readers (CSV and, with the feature `arrow`, Arrow tables: `reconcile::arrow`) follow.
//!
//! | ledger column | type | required | meaning |
//! |---|---|---|---|
//! | `trade_id` | text | yes | the merchant's own id of the trade (order number) |
//! | `rrn` | text | no | reference number (参考号, 12 characters); may be empty |
//! | `trace` | text | no | trace / voucher number (凭证号) |
//! | `terminal` | text | no | terminal id (终端号) |
//! | `merchant_no` | text | no | the merchant number the terminal printed |
//! | `time` | time | yes | trade time |
//! | `amount` | amount | yes | trade amount, whole fen, non-negative |
//! | `channel` | text | yes | `debit`, `credit`, `wechat`, `alipay`, `unionpay_qr`, ... ([`Channel`](crate::Channel)) |
//! | `card_type` | text | no | [`CardType`](crate::CardType) when known (UnionPay QR above ¥1000) |
//! | `kind` | text | no | purchase, void or refund (also 消费, 撤销, 退货); empty: purchase |
//! | `response_code` | text | no | ISO 8583 field 39; empty: `00` (approved) |
//! | `original_rrn` | text | no | for voids and refunds: the reference number of the purchase |
//!
//! | statement column | type | required | meaning |
//! |---|---|---|---|
//! | `settlement_date` | date | yes | 清算日期 (an empty cell: the trade date) |
//! | `merchant_no` | text | no | 商户号 (15 characters, MCC inside) |
//! | `merchant_name` | text | no | 商户名称 (may be empty) |
//! | `terminal` | text | no | 终端号 |
//! | `batch` | text | no | 批次号 (may be empty; deposits group payouts by it) |
//! | `rrn` | text | no | 参考号 (for QR bills: the merchant order number) |
//! | `time` | time | yes | trade time |
//! | `amount` | amount | yes | trade amount, whole fen, non-negative |
//! | `fee` | money | yes | fee charged (negative when a fee is returned) |
//! | `net` | money | no | signed effect on the merchant's account: `amount − fee` for a purchase, `−amount − fee` for a refund or void (derived so when absent) |
//! | `channel` | text | yes | channel name, or the card type in words (借记卡, 贷记卡) |
//! | `kind` | text | no | purchase, void or refund (also 消费, 撤销, 退货); empty: purchase |
//!
//! ## Example
//!
//! ```
//! use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}, Class};
//! let sample = generate(&SimulationOptions::new(42).trades(1_000))?;
//! let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
//! assert!(report.summary.class(Class::Ok).ledger_rows > 900);
//! for (row, class) in &sample.key.ledger {
//!     assert_eq!(report.row(*row).unwrap().class, *class);
//! }
//! # Ok::<(), posfee::Error>(())
//! ```

#[cfg(feature = "arrow")]
pub mod arrow;
mod audit;
mod blocks;
mod canonical;
mod cells;
mod checks;
mod civil;
mod class;
mod columns;
mod contracts;
mod csv_text;
pub mod deposits;
mod diagnosis;
mod dispute;
mod findings;
mod hash;
mod interned_text;
mod kernel;
mod ledger_block;
mod limit_checks;
mod line_column;
mod margins;
mod matching;
mod merchant;
mod portfolio_simulation;
mod profile;
mod profile_choice;
mod read;
mod registry;
mod report;
mod response;
mod row_scan;
mod schema;
pub mod simulation;
mod spreadsheet;
mod statement_check;
#[cfg(test)]
mod tests;
mod text_column;
mod time_window;
mod tokenize;
mod workbook;
#[cfg(feature = "excel")]
mod xls_guard;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

#[cfg(not(target_arch = "wasm32"))]
use interned_text::{value_of, Key};
#[cfg(not(target_arch = "wasm32"))]
use text_column::TextView;

pub use audit::{
    problem_rows_max, AuditOverview, AuditRequest, ClassLabel, FileBytes, KeyedRow, PurchaseText, StatementAudit, StatementPurchases,
    AUDIT_FILE_BYTES_MAX, PROBLEM_ROWS_MAX,
};
pub use canonical::{CanonicalColumn, ColumnType, LEDGER_COLUMNS, STATEMENT_COLUMNS};
pub use class::{Class, ClassSet};
pub use columns::{LedgerColumns, StatementColumns};
pub use diagnosis::{ChargedAs, Pricing, RATE_GRID_MAX_PERCENT};
pub use dispute::{DisputeFormat, DisputeList, DisputeRow, DisputeSection, DISPUTE_CSV_COLUMNS};
pub use findings::{Finding, FindingKind};
pub use kernel::FeeKernel;
pub use line_column::LineColumn;
pub use margins::{margins, Agent, AgentTree, MarginReport, MarginRow, MarginTotals, AGENTS_MAX, AGENT_DEPTH_MAX};
pub use merchant::{MerchantNumber, MerchantProfile};
pub use profile::{format_infos, formats, Encoding, FeeSign, FormatInfo, MoneyUnit, Profile};
pub use read::{
    read_alipay_csv, read_bank_csv, read_ledger_csv, read_ledger_file, read_statement, read_statement_file, read_statement_with,
    read_wechat_bill, write_bank_csv, write_ledger_csv, ColumnMap, ReadOptions, StatementField,
};
pub use registry::{MerchantContract, Registry, REGISTRY_BYTES_MAX, REGISTRY_CONTRACTS_MAX};
pub use report::{
    ClassTotals, DailyRate, DeclinedByAction, DeclinedCount, MatchedBy, MerchantRanking, MerchantTotals, NearLimit, Report, RowKeys,
    RowResult, Rows, Summary, TerminalMerchants, REPORT_CSV_COLUMNS,
};
pub use response::{DeclinedBy, ResponseAction, ResponseMeaning};
pub use schema::{
    Ledger, LedgerRecord, LedgerRow, ReadIssue, RowTime, Side, Statement, StatementDeduction, StatementRecord, StatementRow, UnixSeconds,
};
pub use spreadsheet::{neutralize_cell, restore_cell};
pub use statement_check::{check_statement, implied_ledger};
pub use text_column::{SharedText, TextColumn};
pub use workbook::{is_workbook, WORKBOOK_UNPACKED_BYTES_MAX};

use crate::calendar::Calendar;
use crate::channel::Channel;
use crate::error::{Error, ErrorKind, Result};
use crate::lang::Lang;
use crate::messages::{self, Clause, Text};
use crate::money::Money;
use crate::quote::{CalendarPolicy, TradeKind};
use crate::schedule::Schedule;
use matching::NONE;
use report::{SideRows, TableColumns, UnreadableRow};
use schema::china_day;

/// The largest fallback matching window: 7 days. Trade times of the two sides differ by
/// seconds or minutes; a window of days already pairs unrelated trades.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, Ledger, MerchantProfile, ReconcileOptions, Statement, MATCH_WINDOW_SECONDS_MAX};
/// let options = ReconcileOptions::new(posfee::Schedule::preset("standard")?, MerchantProfile::new("102310058120001", "s")?)
///     .match_window_seconds(MATCH_WINDOW_SECONDS_MAX + 1);
/// let err = reconcile(&Ledger::new("l"), &Statement::new("s"), &options).unwrap_err();
/// assert_eq!(err.code(), "invalid_request");
/// # Ok::<(), posfee::Error>(())
/// ```
pub const MATCH_WINDOW_SECONDS_MAX: i64 = 7 * 86_400;

/// A match window given as text (a command-line value; a Python int of any size, as its
/// decimal text): a whole number of seconds from 0 to [`MATCH_WINDOW_SECONDS_MAX`]. A number
/// out of range gets the error [`reconcile`] gives for it, naming the number as written, even
/// one beyond 64 bits.
///
/// # Errors
/// [`ErrorKind::InvalidRequest`] in the field `match_window_seconds`: not a whole number, or
/// out of range.
///
/// # Example
/// ```
/// use posfee::reconcile::parse_match_window;
/// assert_eq!(parse_match_window("300")?, 300);
/// let far = parse_match_window("100000000000000000000").unwrap_err();
/// assert_eq!(far.code(), "invalid_request");
/// assert!(far.message().starts_with("match window 100000000000000000000 s is outside 0 to 604800 s"));
/// assert_eq!(far.location().field.as_deref(), Some("match_window_seconds"));
/// assert!(parse_match_window("-5").is_err() && parse_match_window("5 min").is_err());
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn parse_match_window(text: &str) -> Result<i64> {
    crate::text::check_whole_number(text, "a whole number of seconds", "match_window_seconds")?;
    text.parse::<i64>()
        .ok()
        .filter(|s| (0..=MATCH_WINDOW_SECONDS_MAX).contains(s))
        .ok_or_else(|| window_out_of_range(&crate::error::shown(text)))
}

/// A match window outside 0 to [`MATCH_WINDOW_SECONDS_MAX`], shown as `shown`.
fn window_out_of_range(shown: &str) -> Error {
    let message = format!("match window {shown} s is outside 0 to {MATCH_WINDOW_SECONDS_MAX} s (7 days)");
    Error::new(ErrorKind::InvalidRequest, message).in_field("match_window_seconds")
}

/// What to reconcile against, and how.
///
/// # Example
/// ```
/// use posfee::Schedule;
/// use posfee::reconcile::{MerchantProfile, ReconcileOptions};
/// let options = ReconcileOptions::new(Schedule::preset("sft-traditional")?, MerchantProfile::new("102310058120001", "shop")?)
///     .match_window_seconds(300);
/// assert_eq!(options.match_window_seconds, 300);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ReconcileOptions {
    /// The contracted fee schedule.
    pub schedule: Schedule,
    /// The registered merchant profile.
    pub profile: MerchantProfile,
    /// The working-day calendar (`None`: [`Calendar::china`]).
    pub calendar: Option<Calendar>,
    /// What to do with settlement dates in years without calendar data.
    pub calendar_policy: CalendarPolicy,
    /// Fallback matching: the largest gap between the two trade times (default 120 s, at
    /// most [`MATCH_WINDOW_SECONDS_MAX`]).
    pub match_window_seconds: i64,
    /// Business days a settlement may be late before it is flagged (default 0).
    pub late_tolerance_business_days: i64,
    /// A fee excess that is a whole multiple of this is a fixed extra component
    /// ([`Class::ExtraFee`], e.g. the ¥3 of "0.68+3"); any other excess is
    /// [`Class::FeeAbove`]. Default ¥0.10; zero turns the distinction off.
    pub extra_fee_unit: Money,
    /// The largest fixed add-on per trade the diagnosis of a wrong fee considers
    /// ([`ChargedAs`]; default ¥10.00).
    pub add_on_max: Money,
    /// The fewest trades a fee or settlement pattern needs to be a [`Finding`] (default 3).
    pub finding_min_trades: usize,
    /// A service agent's merchants: when set, every row is checked against its merchant's
    /// contract in force on its trade date (found by terminal, else by merchant number), and
    /// `schedule` and `profile` are not used (portfolio reconciliation).
    pub merchants: Option<Arc<Registry>>,
    /// The language of the report's row reasons (default English; [`Report::set_lang`]
    /// switches it later, and findings carry both).
    pub lang: Lang,
}

impl ReconcileOptions {
    /// Options with the defaults above.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{MerchantProfile, ReconcileOptions};
    /// let options = ReconcileOptions::new(posfee::Schedule::preset("standard")?, MerchantProfile::new("102310058120001", "shop")?);
    /// assert_eq!(options.match_window_seconds, 120);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(schedule: Schedule, profile: MerchantProfile) -> ReconcileOptions {
        ReconcileOptions {
            schedule,
            profile,
            calendar: None,
            calendar_policy: CalendarPolicy::Strict,
            match_window_seconds: 120,
            late_tolerance_business_days: 0,
            extra_fee_unit: Money::from_fen(10),
            add_on_max: Money::from_yuan(10),
            finding_min_trades: 3,
            merchants: None,
            lang: Lang::En,
        }
    }

    /// Options to reconcile a portfolio: every row checked against its merchant's contract in
    /// `registry` (the first contract stands in for `schedule` and `profile`, which are not
    /// used).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] for a registry without contracts.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{ReconcileOptions, Registry};
    /// let registry = Registry::from_csv("merchant_no,schedule,terminals\n102310058120001,standard,T1\n", "m.csv", posfee::Schedule::preset)?;
    /// let options = ReconcileOptions::portfolio(registry)?;
    /// assert_eq!(options.merchants.as_ref().map(|r| r.contracts().len()), Some(1));
    /// assert!(ReconcileOptions::portfolio(Registry::default()).is_err());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn portfolio(registry: Registry) -> Result<ReconcileOptions> {
        let first = registry
            .contracts()
            .first()
            .ok_or_else(|| Error::new(ErrorKind::InvalidRequest, "the merchant registry has no contracts").in_field("merchants"))?;
        let mut options = ReconcileOptions::new((*first.schedule).clone(), first.profile.clone());
        options.merchants = Some(Arc::new(registry));
        Ok(options)
    }

    /// Sets the fallback matching window.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{MerchantProfile, ReconcileOptions};
    /// let options = ReconcileOptions::new(posfee::Schedule::preset("standard")?, MerchantProfile::new("102310058120001", "s")?).match_window_seconds(60);
    /// assert_eq!(options.match_window_seconds, 60);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn match_window_seconds(mut self, seconds: i64) -> ReconcileOptions {
        self.match_window_seconds = seconds;
        self
    }

    /// Sets the calendar.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{MerchantProfile, ReconcileOptions};
    /// let options = ReconcileOptions::new(posfee::Schedule::preset("standard")?, MerchantProfile::new("102310058120001", "s")?)
    ///     .calendar(posfee::Calendar::china().clone());
    /// assert!(options.calendar.is_some());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn calendar(mut self, calendar: Calendar) -> ReconcileOptions {
        self.calendar = Some(calendar);
        self
    }

    /// Sets the calendar policy.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{MerchantProfile, ReconcileOptions};
    /// let options = ReconcileOptions::new(posfee::Schedule::preset("standard")?, MerchantProfile::new("102310058120001", "s")?)
    ///     .calendar_policy(posfee::CalendarPolicy::WeekendsOnly);
    /// assert_eq!(options.calendar_policy, posfee::CalendarPolicy::WeekendsOnly);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn calendar_policy(mut self, policy: CalendarPolicy) -> ReconcileOptions {
        self.calendar_policy = policy;
        self
    }
}

/// Reconciles a ledger against a statement: every row of both (and every line that could
/// not be read) lands in exactly one [`Class`] of the [`Report`], with a reason.
///
/// Matching and checks run in parallel (rayon); the result does not depend on the number
/// of threads.
///
/// # Errors
/// [`ErrorKind::InvalidRequest`] when the match window is outside 0 to
/// [`MATCH_WINDOW_SECONDS_MAX`], the profile's merchant class is not one the schedule prices
/// ([`Schedule::check_merchant_class`]), or a table has more than 4,000,000,000 rows; [`ErrorKind::Overflow`] when a sum of amounts leaves
/// [`Money::MAX`].
///
/// # Panics
/// Only on a broken internal invariant: the conservation check (the sums of the input
/// amounts, fees and nets equal the sums over the classes) is an assertion.
///
/// # Example
/// ```
/// use posfee::{Channel, Money, Schedule, parse_china_time, parse_date};
/// use posfee::reconcile::*;
/// let mut ledger = Ledger::new("ledger");
/// let mut trade = LedgerRecord::new("A1", parse_china_time("2026-05-06 10:00")?, Money::from_yuan(1000), Channel::Credit);
/// trade.rrn = "612610000001".into();
/// trade.terminal = "T0000001".into();
/// ledger.push(trade)?;
/// let mut statement = Statement::new("statement");
/// let mut row = StatementRecord::new(parse_date("2026-05-07")?, parse_china_time("2026-05-06 10:00")?, Money::from_yuan(1000), Money::from_yuan(9), Channel::Credit);
/// row.rrn = "612610000001".into();
/// row.terminal = "T0000001".into();
/// row.merchant_no = "102310058120001".into();
/// statement.push(row)?;
/// let options = ReconcileOptions::new(Schedule::preset("standard")?, MerchantProfile::new("102310058120001", "shop")?);
/// let report = reconcile(&ledger, &statement, &options)?;
/// assert_eq!(report.row(0).unwrap().class, Class::ExtraFee); // ¥9 charged, 0.6% = ¥6 contracted
/// assert_eq!(report.summary.overcharge, Money::from_yuan(3));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn reconcile(ledger: &Ledger, statement: &Statement, options: &ReconcileOptions) -> Result<Report> {
    reconcile_with(ledger, statement, options, || TableColumns::copied(ledger, statement))
}

/// [`reconcile`], for tables the caller shares with the report: the report refers to the
/// tables' line, amount, fee and net columns instead of copying them (48 bytes less a pair of
/// rows at the peak: 48 MB for a million trades a side). The rows, summary and errors are
/// the same as [`reconcile`]'s.
///
/// # Errors
/// As [`reconcile`].
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use posfee::reconcile::{reconcile, reconcile_shared, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(3).trades(300))?;
/// let (ledger, statement) = (Arc::new(sample.ledger.clone()), Arc::new(sample.statement.clone()));
/// let shared = reconcile_shared(Arc::clone(&ledger), Arc::clone(&statement), &sample.options)?;
/// assert_eq!(shared, reconcile(&sample.ledger, &sample.statement, &sample.options)?);
/// assert!(shared.to_csv(&ledger, &statement).starts_with("side,index,line,trade_id"));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn reconcile_shared(ledger: Arc<Ledger>, statement: Arc<Statement>, options: &ReconcileOptions) -> Result<Report> {
    reconcile_with(&ledger, &statement, options, || TableColumns::Shared(Arc::clone(&ledger), Arc::clone(&statement)))
}

/// [`reconcile`], the report's table columns given by `tables` once every check has passed.
fn reconcile_with(
    ledger: &Ledger,
    statement: &Statement,
    options: &ReconcileOptions,
    tables: impl FnOnce() -> TableColumns,
) -> Result<Report> {
    if !(0..=MATCH_WINDOW_SECONDS_MAX).contains(&options.match_window_seconds) {
        return Err(window_out_of_range(&options.match_window_seconds.to_string()));
    }
    if options.merchants.is_none() {
        options.schedule.check_merchant_class(options.profile.merchant_class.as_deref())?;
    }
    if ledger.len() >= NONE as usize || statement.len() >= NONE as usize {
        return Err(Error::new(ErrorKind::InvalidRequest, "a table has more than 4,000,000,000 rows"));
    }
    let calendar = options.calendar.as_ref().unwrap_or_else(|| Calendar::china());
    let matching::Matching { ledger_partner, statement_partner, ledger_class, statement_class, matched_by } =
        matching::match_rows(ledger, statement, options.match_window_seconds);
    let mut reasons = vec![messages::AS_CONTRACTED, messages::UNMATCHED];

    // Ledger rows: the checks of every pair, in parallel, written in place.
    let n = ledger.len();
    let contracts = contracts::Contracts::resolve(ledger, statement, options);
    let checker = checks::Checker::new(ledger, statement, options, &contracts, calendar);
    let mut findings = vec![ClassSet::EMPTY; n];
    let mut expected_fee = report::FeeColumn::absent(n);
    const CHUNK: usize = 4096;
    let found: Vec<(u32, checks::Verdict)> = findings
        .par_chunks_mut(CHUNK)
        .zip(expected_fee.values_mut().par_chunks_mut(CHUNK))
        .enumerate()
        .flat_map_iter(|(chunk, (findings, expected_fee))| {
            let mut found = Vec::new();
            let mut due_dates = checks::DueDates::new();
            for k in 0..findings.len() {
                let i = chunk * CHUNK + k;
                if ledger_partner[i] != NONE {
                    let verdict = checker.check(i, ledger_partner[i] as usize, &mut due_dates);
                    findings[k] = verdict.findings;
                    expected_fee[k] = report::FeeColumn::value(verdict.expected_fee);
                    if !verdict.reason.is_empty() {
                        found.push((i as u32, verdict));
                    }
                }
            }
            found
        })
        .collect();
    let (found, charged_as, late) = diagnose(found, &checker, &ledger_partner, options, calendar);
    let contracts = checker.contracts;
    drop(checker);
    // (Written on all cores: the reasons given below are few rows spread over all of it, which
    // would otherwise take its page faults one at a time on this thread.)
    let mut reason = row_scan::filled(0u32, n);
    let mut class: Vec<Class> = Vec::with_capacity(n);
    findings
        .par_iter_mut()
        .zip(reason.par_iter_mut())
        .enumerate()
        .map(|(i, (findings, reason))| {
            if ledger_partner[i] != NONE {
                return findings.first().unwrap_or(Class::Ok);
            }
            let class = ledger_class.class[i].unwrap_or_else(|| {
                *reason = 1;
                Class::NeverSettled
            });
            *findings = ClassSet::EMPTY.with(class);
            class
        })
        .collect_into_vec(&mut class);
    give_reasons(&mut reason, &mut reasons, found);
    give_reasons(&mut reason, &mut reasons, ledger_class.reasons);
    // Limits: the single merchant's profile's, or each portfolio merchant's own.
    let limit_groups = limit_checks::limit_groups(ledger, options, contracts);
    for group in &limit_groups {
        let explained = limit_checks::explain_declines(ledger, &class, group.limits, &group.rows);
        give_reasons(&mut reason, &mut reasons, explained);
    }
    let ledger_rows = SideRows { class, findings, partner: ledger_partner, reason };

    // Statement rows: a matched row shares its ledger partner's verdict.
    let m = statement.len();
    let mut reason = row_scan::filled(1u32, m);
    let mut findings = vec![ClassSet::EMPTY; m];
    let of_unknown_terminal =
        |j: usize| matches!(statement_class.class[j], None | Some(Class::NoLedgerTrade)) && contracts.statement(j) == NONE;
    let mut class: Vec<Class> = Vec::with_capacity(m);
    findings
        .par_iter_mut()
        .zip(reason.par_iter_mut())
        .enumerate()
        .map(|(j, (findings, reason))| match statement_partner[j] {
            NONE => {
                let class = match statement_class.class[j] {
                    _ if of_unknown_terminal(j) => Class::UnknownTerminal,
                    Some(class) => class,
                    None => Class::NoLedgerTrade,
                };
                *findings = ClassSet::EMPTY.with(class);
                class
            }
            i => {
                let i = i as usize;
                *findings = ledger_rows.findings[i];
                *reason = ledger_rows.reason[i];
                ledger_rows.class[i]
            }
        })
        .collect_into_vec(&mut class);
    let unknown = row_scan::rows_where(m, |j| statement_partner[j] == NONE && of_unknown_terminal(j))
        .into_iter()
        .map(|j| (j as u32, unknown_terminal(statement, j)));
    give_reasons(&mut reason, &mut reasons, statement_class.reasons);
    give_reasons(&mut reason, &mut reasons, unknown);
    let statement_rows = SideRows { class, findings, partner: statement_partner, reason };

    let mut unreadable = Vec::with_capacity(ledger.issues.len() + statement.issues.len());
    for issue in ledger.issues.iter().chain(statement.issues.iter()) {
        unreadable.push(UnreadableRow { side: issue.side, line: issue.error.location().line.unwrap_or(0), reason: reasons.len() as u32 });
        reasons.push(Text::of(Clause::Unreadable { error: issue.error.to_string() }));
    }

    let (found_findings, finding_rows) = findings::detect(&findings::Evidence {
        statement,
        options,
        contracts,
        partner: &statement_rows.partner,
        findings: &statement_rows.findings,
        expected_fee: &expected_fee,
        charged_as: &charged_as,
        late: &late,
    });
    // Whose each row is: the pair's contract, or the row's own when unmatched.
    let (ledger_contract, statement_contract) = if contracts.is_portfolio() {
        let of_ledger = (0..ledger.len())
            .map(|i| match ledger_rows.partner[i] {
                NONE => contracts.ledger(i),
                j => contracts.pair(i, j as usize),
            })
            .collect();
        let of_statement = (0..statement.len())
            .map(|j| match statement_rows.partner[j] {
                NONE => contracts.statement(j),
                i => contracts.pair(i as usize, j),
            })
            .collect();
        (of_ledger, of_statement)
    } else {
        (Vec::new(), Vec::new())
    };
    let merchants =
        contracts.list.iter().map(|c| (c.profile.merchant_no.as_str().to_string(), c.profile.name.clone(), c.agent.to_string())).collect();
    let mut report = Report {
        summary: Summary::default(),
        charged_as: report::ChargedAsRows::new(charged_as, statement.len()),
        finding_rows,
        merchants,
        ledger_contract,
        statement_contract,
        ledger: ledger_rows,
        statement: statement_rows,
        matched_by,
        expected_fee,
        tables: tables(),
        unreadable,
        reasons,
        lang: options.lang,
    };
    report.summary = summarize(ledger, statement, &report)?;
    report.summary.findings = found_findings;
    for group in &limit_groups {
        for mut near in limit_checks::near_limits(ledger, group.limits, &group.rows) {
            near.merchant_no = group.merchant_no.to_string();
            report.summary.near_limits.push(near);
        }
    }
    if contracts.is_portfolio() {
        report.summary.merchants = report::merchant_totals(&report)?;
    }
    let latest = ledger.time.iter().chain(&statement.time).max().map(|&seconds| schema::from_unix(seconds).date_naive());
    if let Some(last) = latest.and_then(|day| calendar.data_ends_near(day)) {
        report.summary.warnings.push(format!(
            "the trades reach the last month of the holiday data, which ends {last}: settlement dates after it cannot be checked \
             until the holiday notice of {} is loaded (rows that need it are classed unchecked)",
            chrono::Datelike::year(&last) + 1
        ));
    }
    Ok(report)
}

/// The diagnosis of every purchase whose fee differs from the contract ([`ChargedAs`], by
/// statement row), its reason rewritten to say what the acquirer charged; and the late rows
/// (statement row, business days late). Returns the reasons as `(ledger row, text)`.
#[allow(clippy::type_complexity)]
fn diagnose(
    found: Vec<(u32, checks::Verdict<'_>)>,
    checker: &checks::Checker<'_>,
    ledger_partner: &[u32],
    options: &ReconcileOptions,
    calendar: &Calendar,
) -> (Vec<(u32, Text)>, Vec<(u32, ChargedAs)>, Vec<(u32, i64)>) {
    let statement = checker.statement;
    let terminals = statement.terminal.view();
    let mut late = Vec::new();
    let mut cases = Vec::new();
    let mut case_of = Vec::new();
    for (k, (i, verdict)) in found.iter().enumerate() {
        let j = ledger_partner[*i as usize];
        if let Some(days) = verdict.late_business_days {
            late.push((j, days));
        }
        if verdict.fee_clause.is_some() && statement.kind[j as usize] == TradeKind::Purchase {
            let amount = Money::from_fen(statement.amount_fen[j as usize]);
            let c = checker.contracts.pair(*i as usize, j as usize);
            cases.push(diagnosis::FeeCase {
                statement_row: j,
                contract: c,
                schedule: checker.contracts.list[c as usize].schedule,
                channel: statement.channel[j as usize],
                terminal: terminals.get(j as usize),
                amount,
                charged: statement.fee[j as usize],
                request: checker.request(c as usize, *i as usize, amount, CalendarPolicy::WeekendsOnly),
            });
            case_of.push(k);
        }
    }
    let schedules = checker.contracts.list.iter().map(|c| c.schedule);
    // Each diagnosis with its text (in both languages, money written out), made on all cores:
    // a few thousand rows of a million took 9 ms of one core.
    let diagnoses: Vec<Option<(ChargedAs, Text)>> = diagnosis::Diagnoser::new(schedules, calendar, options.add_on_max)
        .diagnose(&cases)
        .into_par_iter()
        .zip(&cases)
        .map(|(diagnosis, case)| {
            diagnosis.map(|d| {
                let pricing = Text::new(d.describe(Lang::Zh, case.channel), d.describe(Lang::En, case.channel));
                (d, pricing)
            })
        })
        .collect();
    let mut found = found;
    let mut charged_as = Vec::new();
    for ((case, k), diagnosis) in cases.iter().zip(case_of).zip(diagnoses) {
        let Some((diagnosis, pricing)) = diagnosis else { continue };
        let verdict = &mut found[k].1;
        if let Some(clause) = verdict.fee_clause.and_then(|k| verdict.reason.get_mut(k)) {
            *clause = Clause::Charged { pricing, fee: case.charged, contract: verdict.expected_fee.unwrap_or_default() };
        }
        charged_as.push((case.statement_row, diagnosis));
    }
    charged_as.sort_unstable_by_key(|(j, _)| *j);
    late.sort_unstable();
    let found = found.into_par_iter().map(|(i, verdict)| (i, Text::of_clauses(&verdict.reason))).collect();
    (found, charged_as, late)
}

/// Why an unmatched statement row of a portfolio has no contract.
fn unknown_terminal(statement: &Statement, j: usize) -> Text {
    Text::of(Clause::UnknownTerminal {
        terminal: statement.terminal.view().get(j),
        merchant_no: statement.merchant_no.view().get(j),
        date: contracts::trade_date(statement.time[j]),
    })
}

/// Adds each `(row, text)` to the reason texts and points the row at it (a later text for
/// the same row wins).
fn give_reasons(reason: &mut [u32], reasons: &mut Vec<Text>, given: impl IntoIterator<Item = (u32, Text)>) {
    for (row, text) in given {
        reason[row as usize] = reasons.len() as u32;
        reasons.push(text);
    }
}

/// Exact sum in i128 thousandths of a fen, as [`Money`].
fn to_money(millifen: i128, what: &str) -> Result<Money> {
    i64::try_from(millifen)
        .ok()
        .and_then(|m| Money::from_millifen(m).ok())
        .ok_or_else(|| Error::new(ErrorKind::Overflow, format!("the sum of {what} is beyond ¥{}", Money::MAX)))
}

/// Rows and sums per class, in thousandths of a fen: [ledger amount, statement amount, fee,
/// net, expected fee]; and the pairs' expected, charged, over- and undercharged fees. Summed
/// over parts of the rows on all cores, then added up.
#[derive(Clone, Copy)]
struct ClassSums {
    rows: [[u64; 2]; Class::ALL.len()],
    sums: [[i128; 5]; Class::ALL.len()],
    fees: [i128; 4],
}

impl ClassSums {
    const ZERO: ClassSums = ClassSums { rows: [[0; 2]; Class::ALL.len()], sums: [[0; 5]; Class::ALL.len()], fees: [0; 4] };

    fn add(mut self, other: ClassSums) -> ClassSums {
        for (mine, theirs) in self.rows.iter_mut().flatten().zip(other.rows.iter().flatten()) {
            *mine += theirs;
        }
        for (mine, theirs) in self.sums.iter_mut().flatten().zip(other.sums.iter().flatten()) {
            *mine += theirs;
        }
        for (mine, theirs) in self.fees.iter_mut().zip(other.fees) {
            *mine += theirs;
        }
        self
    }

    /// Adds `add(sums, row)` for every row below `rows`, in parts on all cores.
    fn over(rows: usize, add: impl Fn(&mut ClassSums, usize) + Sync) -> ClassSums {
        row_scan::row_parts(rows)
            .map(|part| {
                let mut sums = ClassSums::ZERO;
                for row in part {
                    add(&mut sums, row);
                }
                sums
            })
            .reduce(|| ClassSums::ZERO, ClassSums::add)
    }

    /// The sums of the ledger's rows.
    fn of_ledger(ledger: &Ledger, class: &[Class]) -> ClassSums {
        ClassSums::over(class.len(), |sums, i| {
            let amount = i128::from(ledger.amount_fen[i]) * 1000;
            sums.rows[class[i] as usize][0] += 1;
            sums.sums[class[i] as usize][0] += amount;
        })
    }

    /// The sums of the statement's rows, and the fees of its pairs.
    fn of_statement(statement: &Statement, report: &Report) -> ClassSums {
        let (class, partner) = (&report.statement.class, &report.statement.partner);
        ClassSums::over(class.len(), |sums, j| {
            let c = class[j] as usize;
            let row = [
                i128::from(statement.amount_fen[j]) * 1000,
                i128::from(statement.fee[j].millifen()),
                i128::from(statement.net[j].millifen()),
            ];
            sums.rows[c][1] += 1;
            for (k, value) in row.into_iter().enumerate() {
                sums.sums[c][k + 1] += value;
            }
            let expected = report.expected_fee.get(partner[j] as usize).filter(|_| partner[j] != NONE);
            if let Some(expected) = expected {
                let (expected, fee) = (i128::from(expected.millifen()), row[1]);
                sums.sums[c][4] += expected;
                sums.fees[0] += expected;
                sums.fees[1] += fee;
                sums.fees[if fee > expected { 2 } else { 3 }] += (fee - expected).abs();
            }
        })
    }
}

/// (trades, amount, fee) of one day's statement purchases, by channel; sums in thousandths of
/// a fen.
type DaySums = [(u64, i128, i128); Channel::ALL.len()];

/// The statement's purchases summed per China trade day and channel, days in order (a day
/// whose sums cannot be shown, beyond ¥[`Money::MAX`], is left out by the caller). Summed in
/// parts on all cores; rows come mostly in time order, so a part holds its current day's
/// sums aside and looks a day up only when the day changes.
fn daily_sums(statement: &Statement) -> BTreeMap<i64, DaySums> {
    let merge = |mut days: BTreeMap<i64, DaySums>, day: i64, sums: &DaySums| {
        let entry = days.entry(day).or_insert([(0, 0, 0); Channel::ALL.len()]);
        for (total, part) in entry.iter_mut().zip(sums) {
            *total = (total.0 + part.0, total.1 + part.1, total.2 + part.2);
        }
        days
    };
    row_scan::row_parts(statement.len())
        .map(|part| {
            let mut days = BTreeMap::new();
            let mut current: Option<(i64, DaySums)> = None;
            for j in part {
                if statement.kind[j] != TradeKind::Purchase {
                    continue;
                }
                let day = china_day(statement.time[j]);
                let sums = match &mut current {
                    Some((held, sums)) if *held == day => sums,
                    _ => {
                        if let Some((held, sums)) = current.take() {
                            days = merge(days, held, &sums);
                        }
                        &mut current.insert((day, [(0, 0, 0); Channel::ALL.len()])).1
                    }
                };
                let sums = &mut sums[statement.channel[j] as usize];
                sums.0 += 1;
                sums.1 += i128::from(statement.amount_fen[j]) * 1000;
                sums.2 += i128::from(statement.fee[j].millifen());
            }
            match current {
                Some((day, sums)) => merge(days, day, &sums),
                None => days,
            }
        })
        .reduce(BTreeMap::new, |days, other| other.iter().fold(days, |days, (&day, sums)| merge(days, day, sums)))
}

/// Each terminal's distinct merchant numbers and names, in the order of the terminals, from
/// the distinct (terminal, number, name) of the statement's rows: sorted, then taken a
/// terminal's run at a time (no map or set a terminal: a statement may name tens of thousands).
/// A row without any of the three names no terminal; an empty number or name is not listed.
fn terminal_merchants(mut seen: Vec<(&str, &str, &str)>) -> Vec<TerminalMerchants> {
    seen.retain(|&(terminal, number, name)| !(terminal.is_empty() && number.is_empty() && name.is_empty()));
    #[cfg(not(target_arch = "wasm32"))]
    seen.par_sort_unstable();
    #[cfg(target_arch = "wasm32")]
    seen.sort_unstable();
    seen.chunk_by(|a, b| a.0 == b.0)
        .map(|run| {
            // Sorted by number within the run; the names sorted apart.
            let mut numbers: Vec<&str> = run.iter().map(|&(_, number, _)| number).filter(|number| !number.is_empty()).collect();
            numbers.dedup();
            let mut names: Vec<&str> = run.iter().map(|&(_, _, name)| name).filter(|name| !name.is_empty()).collect();
            names.sort_unstable();
            names.dedup();
            TerminalMerchants {
                terminal: run[0].0.to_string(),
                merchant_numbers: numbers.into_iter().map(str::to_string).collect(),
                merchant_names: names.into_iter().map(str::to_string).collect(),
            }
        })
        .collect()
}

/// Counts and sums; asserts conservation.
fn summarize(ledger: &Ledger, statement: &Statement, report: &Report) -> Result<Summary> {
    let (ledger_sums, statement_sums) =
        rayon::join(|| ClassSums::of_ledger(ledger, &report.ledger.class), || ClassSums::of_statement(statement, report));
    let ClassSums { rows, sums, fees: [expected_fee, charged_fee, overcharge, undercharge] } = ledger_sums.add(statement_sums);
    // Totals before: straight from the input columns.
    let total = |values: &[i64]| values.par_iter().map(|&v| i128::from(v)).sum::<i128>();
    let money_total = |values: &[Money]| values.par_iter().map(|v| i128::from(v.millifen())).sum::<i128>();
    let (ledger_before, amount_before) = (total(&ledger.amount_fen) * 1000, total(&statement.amount_fen) * 1000);
    let (fee_before, net_before) = (money_total(&statement.fee), money_total(&statement.net));
    let mut counts = [[0u64; 3]; Class::ALL.len()];
    for (count, rows) in counts.iter_mut().zip(rows) {
        count[..2].copy_from_slice(&rows);
    }
    counts[Class::Unreadable as usize][2] += report.unreadable.len() as u64;
    // Totals after: over the classes. Conservation is an invariant, not an input error.
    let after = |k: usize| sums.iter().map(|s| s[k]).sum::<i128>();
    assert_eq!(after(0), ledger_before, "conservation: ledger amounts");
    assert_eq!(after(1), amount_before, "conservation: statement amounts");
    assert_eq!(after(2), fee_before, "conservation: statement fees");
    assert_eq!(after(3), net_before, "conservation: statement nets");
    let counted: u64 = counts.iter().flatten().sum();
    assert_eq!(counted as usize, ledger.len() + statement.len() + ledger.issues.len() + statement.issues.len(), "conservation: rows");
    let mut classes = Vec::with_capacity(Class::ALL.len());
    for class in Class::ALL {
        let (s, n) = (&sums[class as usize], &counts[class as usize]);
        classes.push(ClassTotals {
            class: Some(class),
            ledger_rows: n[0],
            statement_rows: n[1],
            unreadable_rows: n[2],
            ledger_amount: to_money(s[0], "ledger amounts")?,
            statement_amount: to_money(s[1], "statement amounts")?,
            statement_fee: to_money(s[2], "statement fees")?,
            statement_net: to_money(s[3], "statement nets")?,
            expected_fee: to_money(s[4], "expected fees")?,
        });
    }

    // Declined by code.
    let mut declined: BTreeMap<String, (u64, Money)> = BTreeMap::new();
    for i in row_scan::rows_where(ledger.len(), |i| report.ledger.class[i] == Class::Declined) {
        let entry = declined.entry(ledger.response_code.get(i).to_string()).or_insert((0, Money::ZERO));
        entry.0 += 1;
        entry.1 = entry.1.checked_add(Money::from_fen(ledger.amount_fen[i])).unwrap_or(Money::MAX);
    }
    let declined = declined
        .into_iter()
        .map(|(code, (trades, amount))| DeclinedCount { meaning: ResponseMeaning::of(&code), trades, amount })
        .collect::<Vec<_>>();
    let declined_by_action = report::declined_by_action(&declined);

    // Effective rate per trade day and channel, over statement purchases.
    let daily = daily_sums(statement);
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let daily_rates = daily
        .into_iter()
        .flat_map(|(day, sums)| Channel::ALL.into_iter().zip(sums).map(move |(channel, sums)| (day, channel, sums)))
        .filter(|&(_, _, (trades, _, _))| trades > 0)
        .filter_map(|(day, channel, (trades, amount, fee))| {
            let amount = Money::from_millifen(i64::try_from(amount).ok()?).ok()?;
            let fee = Money::from_millifen(i64::try_from(fee).ok()?).ok()?;
            Some(DailyRate {
                date: epoch + chrono::Days::new(day.max(0) as u64),
                channel,
                trades,
                amount,
                fee,
                rate: report::rate_text(fee, amount),
            })
        })
        .collect();

    // Merchant numbers per terminal: the distinct (terminal, number, name) first, then in
    // order. Where the three columns hold each value once (as read from files), the distinct
    // triples of the values' numbers, looked up afterwards; no text is compared or hashed a row.
    // (Not in WebAssembly, which is built for size: the statement checker's module is within
    // its budget with one of the two ways, and both give the same.)
    let (terminal, merchant_no, merchant_name) = (statement.terminal.view(), statement.merchant_no.view(), statement.merchant_name.view());
    let seen: Vec<(&str, &str, &str)> = match (&terminal, &merchant_no, &merchant_name) {
        #[cfg(not(target_arch = "wasm32"))]
        (
            TextView::Interned { text: terminal_text, offsets: terminal_offsets, keys: terminal_keys },
            TextView::Interned { text: number_text, offsets: number_offsets, keys: number_keys },
            TextView::Interned { text: name_text, offsets: name_offsets, keys: name_keys },
        ) => {
            // The three numbers in one word (each a `Key` of 16 bits): one comparison a row.
            const _: () = assert!(std::mem::size_of::<Key>() == 2);
            let word = |j: usize| u64::from(terminal_keys[j]) | u64::from(number_keys[j]) << 16 | u64::from(name_keys[j]) << 32;
            let number = |word: u64, at: u32| u32::from((word >> at) as Key);
            row_scan::distinct(statement.len(), word)
                .into_iter()
                .map(|word| {
                    (
                        value_of(terminal_text, terminal_offsets, number(word, 0)),
                        value_of(number_text, number_offsets, number(word, 16)),
                        value_of(name_text, name_offsets, number(word, 32)),
                    )
                })
                .collect()
        }
        _ => row_scan::distinct(statement.len(), |j| (terminal.get(j), merchant_no.get(j), merchant_name.get(j))).into_iter().collect(),
    };
    let terminals = terminal_merchants(seen);

    Ok(Summary {
        ledger_rows: ledger.len() as u64,
        statement_rows: statement.len() as u64,
        unreadable_rows: (ledger.issues.len() + statement.issues.len()) as u64,
        ledger_amount: to_money(ledger_before, "ledger amounts")?,
        statement_amount: to_money(amount_before, "statement amounts")?,
        statement_fee: to_money(fee_before, "statement fees")?,
        statement_net: to_money(net_before, "statement nets")?,
        classes,
        expected_fee: to_money(expected_fee, "expected fees")?,
        charged_fee: to_money(charged_fee, "charged fees")?,
        overcharge: to_money(overcharge, "overcharges")?,
        undercharge: to_money(undercharge, "undercharges")?,
        declined,
        declined_by_action,
        near_limits: Vec::new(),
        daily_rates,
        terminals,
        warnings: Vec::new(),
        findings: Vec::new(),
        merchants: Vec::new(),
    })
}

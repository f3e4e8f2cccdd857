//! Simulation: seeded generation of a merchant's ledger and the acquirer's statement, with
//! injected faults of every [`Class`] and the answer key.
//!
//! This module is for tests, benchmarks and demonstrations, not for production data. The
//! same seed and options always give the same tables (on every platform), so a failing
//! test is replayed from its seed.
//!
//! The merchant: 沪上小馆 (merchant number 102310058120001, MCC 5812 restaurants), a few
//! terminals; by default the `sft-traditional` preset, settlement T1, March 2026. The preset,
//! settlement mode, merchant class and period are options (Spring Festival: February 2026;
//! National Day: October 2026). Trades are spread over the period (07:00–23:30, so some fall
//! after a 23:00 cut-off), 35% credit, 30% debit, 20% WeChat, 15% Alipay (channels the
//! schedule does not price are left out). Some clean QR rows lose their reference on the
//! statement (matched by time window); some clean purchases are refunded later.
//!
//! The statement is priced with [`Schedule::quote_with`] and [`Schedule::quote_refund`], the
//! functions the checker uses too: the simulation tests matching and classification. The
//! prices and dates of its clean rows are checked against an independent oracle in the test
//! tree (`core/tests/simulation_oracle.rs`).
//!
//! The answer key follows the documented rules of the checker, not a tuned sample: a fee
//! excess that is a whole multiple of [`ReconcileOptions::extra_fee_unit`] is `extra_fee`,
//! any other `fee_above`; a fee one fen below a zero contract fee (a negative fee) is
//! `fee_below`.

use std::collections::HashMap;

pub use super::portfolio_simulation::{generate_portfolio, ContractChange, InjectedFault, Portfolio, PortfolioFault, PortfolioOptions};

use chrono::{NaiveDate, TimeZone};

use super::class::Class;
use super::merchant::MerchantProfile;
use super::schema::{Ledger, LedgerRecord, Statement, StatementRecord};
use super::ReconcileOptions;
use crate::calendar::Calendar;
use crate::channel::Channel;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::quote::{QuoteRequest, TradeKind};
use crate::schedule::Schedule;
use crate::settlement::{china_offset, SettlementMode};

/// The registered merchant number of the simulated merchant.
pub const MERCHANT_NO: &str = "102310058120001";
/// The merchant number MCC-jumped trades are booked under (MCC 5411, supermarkets).
pub const JUMPED_MERCHANT_NO: &str = "102310054110007";

/// What to generate.
///
/// # Example
/// ```
/// let options = posfee::reconcile::simulation::SimulationOptions::new(7).trades(1_000).faults_per_class(2);
/// assert_eq!((options.seed, options.trades, options.faults_per_class), (7, 1_000, 2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulationOptions {
    /// The seed: same seed, same tables.
    pub seed: u64,
    /// Purchases in the ledger (before injected extra rows).
    pub trades: usize,
    /// Faults injected per class (limited so that at most half the trades are faulty).
    pub faults_per_class: usize,
    /// The first trade day.
    pub start: NaiveDate,
    /// Days of trading.
    pub days: u32,
    /// Terminals.
    pub terminals: usize,
    /// The preset of the contract.
    pub preset: String,
    /// The contracted settlement mode.
    pub settlement: SettlementMode,
    /// The merchant class of the contract (one the preset names), if any.
    pub merchant_class: Option<String>,
    /// What the acquirer does to the clean trades from a day on (none by default).
    pub patterns: Vec<Pattern>,
}

/// Something the acquirer does to every clean trade it applies to from a day on: the
/// patterns the findings ([`Finding`](super::Finding)) must find.
///
/// # Example
/// ```
/// use posfee::reconcile::simulation::{generate, Pattern, SimulationOptions};
/// let later = Pattern::SettledLater { from: posfee::parse_date("2026-03-16")?, business_days: 1 };
/// let sample = generate(&SimulationOptions::new(4).trades(500).pattern(later))?;
/// assert!(sample.patterns[0].trades > 100);
/// assert!(sample.patterns[0].first_day >= posfee::parse_date("2026-03-16")?);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// The channel's trades charged `rate` (no cap) instead of the contract's rate.
    Rate {
        /// The first trade day.
        from: NaiveDate,
        /// The channel.
        channel: Channel,
        /// The rate charged.
        rate: crate::rate::Rate,
    },
    /// A fixed amount added to each fee of the channel.
    AddOn {
        /// The first trade day.
        from: NaiveDate,
        /// The channel.
        channel: Channel,
        /// The amount added per trade.
        fixed: Money,
    },
    /// The contract's cap not applied.
    CapNotApplied {
        /// The first trade day.
        from: NaiveDate,
    },
    /// Trades priced as another merchant class (`None`: without a class).
    MerchantClass {
        /// The first trade day.
        from: NaiveDate,
        /// The class priced.
        merchant_class: Option<String>,
    },
    /// Settlement `business_days` later than the contract's due date.
    SettledLater {
        /// The first trade day.
        from: NaiveDate,
        /// Business days late.
        business_days: u32,
    },
    /// A terminal's trades booked under another merchant number (跳码).
    MerchantNumber {
        /// The first trade day.
        from: NaiveDate,
        /// The terminal.
        terminal: String,
        /// The merchant number booked.
        merchant_no: String,
    },
}

impl Pattern {
    /// The first trade day the pattern applies to.
    ///
    /// # Example
    /// ```
    /// let from = posfee::parse_date("2026-03-16")?;
    /// assert_eq!(posfee::reconcile::simulation::Pattern::CapNotApplied { from }.from(), from);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from(&self) -> NaiveDate {
        match self {
            Pattern::Rate { from, .. }
            | Pattern::AddOn { from, .. }
            | Pattern::CapNotApplied { from }
            | Pattern::MerchantClass { from, .. }
            | Pattern::SettledLater { from, .. }
            | Pattern::MerchantNumber { from, .. } => *from,
        }
    }
}

/// What a pattern did to the generated statement: the answer key of a finding.
///
/// # Example
/// ```
/// let injected = posfee::reconcile::simulation::InjectedPattern::default();
/// assert_eq!(injected.trades, 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InjectedPattern {
    /// The first trade day of a changed row.
    pub first_day: NaiveDate,
    /// Statement rows changed.
    pub trades: u64,
    /// Fee patterns: charged minus contract; later settlement: the nets paid late; merchant
    /// number: the amounts booked elsewhere.
    pub money: Money,
}

impl SimulationOptions {
    /// 5,000 trades in March 2026 on 3 terminals, 3 faults per class, `sft-traditional`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::simulation::SimulationOptions::new(1).trades, 5_000);
    /// ```
    pub fn new(seed: u64) -> SimulationOptions {
        SimulationOptions {
            seed,
            trades: 5_000,
            faults_per_class: 3,
            start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default(),
            days: 31,
            terminals: 3,
            preset: "sft-traditional".to_string(),
            settlement: SettlementMode::T(1),
            merchant_class: None,
            patterns: Vec::new(),
        }
    }

    /// Adds a pattern of the acquirer's.
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::simulation::{Pattern, SimulationOptions};
    /// let from = posfee::parse_date("2026-03-16")?;
    /// assert_eq!(SimulationOptions::new(1).pattern(Pattern::CapNotApplied { from }).patterns.len(), 1);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn pattern(mut self, pattern: Pattern) -> SimulationOptions {
        self.patterns.push(pattern);
        self
    }

    /// Sets the preset of the contract.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::simulation::SimulationOptions::new(1).preset("standard-d0").preset, "standard-d0");
    /// ```
    pub fn preset(mut self, preset: impl Into<String>) -> SimulationOptions {
        self.preset = preset.into();
        self
    }

    /// Sets the contracted settlement mode.
    ///
    /// # Example
    /// ```
    /// use posfee::SettlementMode;
    /// let options = posfee::reconcile::simulation::SimulationOptions::new(1).settlement(SettlementMode::D(0));
    /// assert_eq!(options.settlement, SettlementMode::D(0));
    /// ```
    pub fn settlement(mut self, settlement: SettlementMode) -> SimulationOptions {
        self.settlement = settlement;
        self
    }

    /// Sets the merchant class of the contract.
    ///
    /// # Example
    /// ```
    /// let options = posfee::reconcile::simulation::SimulationOptions::new(1).merchant_class("discounted");
    /// assert_eq!(options.merchant_class.as_deref(), Some("discounted"));
    /// ```
    pub fn merchant_class(mut self, merchant_class: impl Into<String>) -> SimulationOptions {
        self.merchant_class = Some(merchant_class.into());
        self
    }

    /// Trades over one calendar month (e.g. 2026-02 for Spring Festival, 2026-10 for National Day).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] for a month that does not exist.
    ///
    /// # Example
    /// ```
    /// let options = posfee::reconcile::simulation::SimulationOptions::new(1).month(2026, 2)?;
    /// assert_eq!((options.start.to_string(), options.days), ("2026-02-01".to_string(), 28));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn month(mut self, year: i32, month: u32) -> Result<SimulationOptions> {
        let bad = || Error::new(ErrorKind::InvalidRequest, format!("month {year}-{month:02} does not exist"));
        let start = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        let next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
        self.days = (next.ok_or_else(bad)? - start).num_days() as u32;
        self.start = start;
        Ok(self)
    }

    /// Sets the number of trades.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::simulation::SimulationOptions::new(1).trades(10).trades, 10);
    /// ```
    pub fn trades(mut self, trades: usize) -> SimulationOptions {
        self.trades = trades;
        self
    }

    /// Sets the faults per class.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::simulation::SimulationOptions::new(1).faults_per_class(9).faults_per_class, 9);
    /// ```
    pub fn faults_per_class(mut self, faults: usize) -> SimulationOptions {
        self.faults_per_class = faults;
        self
    }
}

/// The expected class of every row that is not [`Class::Ok`].
///
/// # Example
/// ```
/// use posfee::reconcile::{simulation::{generate, SimulationOptions}, Class};
/// let sample = generate(&SimulationOptions::new(5).trades(500))?;
/// assert_eq!(sample.key.ledger_class(usize::MAX), Class::Ok);
/// assert!(sample.key.ledger.iter().any(|(_, c)| *c == Class::NeverSettled));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerKey {
    /// (ledger row, class) for every ledger row not expected to be `Ok`.
    pub ledger: Vec<(usize, Class)>,
    /// (statement row, class) for every statement row not expected to be `Ok`.
    pub statement: Vec<(usize, Class)>,
    /// Unreadable lines injected (ledger, statement).
    pub unreadable: (usize, usize),
}

impl AnswerKey {
    /// The expected class of ledger row `index`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::simulation::AnswerKey::default().ledger_class(0), posfee::reconcile::Class::Ok);
    /// ```
    pub fn ledger_class(&self, index: usize) -> Class {
        self.ledger.iter().find(|(i, _)| *i == index).map(|(_, c)| *c).unwrap_or(Class::Ok)
    }

    /// The expected class of statement row `index`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::simulation::AnswerKey::default().statement_class(0), posfee::reconcile::Class::Ok);
    /// ```
    pub fn statement_class(&self, index: usize) -> Class {
        self.statement.iter().find(|(i, _)| *i == index).map(|(_, c)| *c).unwrap_or(Class::Ok)
    }

    /// Both sides as maps (row → class), for checking large runs.
    ///
    /// # Example
    /// ```
    /// let (ledger, statement) = posfee::reconcile::simulation::AnswerKey::default().maps();
    /// assert!(ledger.is_empty() && statement.is_empty());
    /// ```
    pub fn maps(&self) -> (HashMap<usize, Class>, HashMap<usize, Class>) {
        (self.ledger.iter().copied().collect(), self.statement.iter().copied().collect())
    }
}

/// A generated ledger / statement pair, the options to reconcile them, and the answer key.
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, SimulationOptions}};
/// let sample = generate(&SimulationOptions::new(11).trades(300))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// assert_eq!(report.len(), sample.ledger.len() + sample.statement.len() + 2);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The merchant's trades.
    pub ledger: Ledger,
    /// The acquirer's statement.
    pub statement: Statement,
    /// The contract and profile.
    pub options: ReconcileOptions,
    /// What the reconciliation must find.
    pub key: AnswerKey,
    /// What each of [`SimulationOptions::patterns`] did, in the same order.
    pub patterns: Vec<InjectedPattern>,
}

/// SplitMix64: small, fast, the same everywhere.
#[derive(Debug, Clone)]
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }

    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }
}

const FAULTS: [Class; 14] = [
    Class::AmountDiffers,
    Class::ExtraFee,
    Class::FeeAbove,
    Class::FeeBelow,
    Class::NetDiffers,
    Class::SettledLate,
    Class::SettledBeforeTrade,
    Class::MerchantDiffers,
    Class::Declined,
    Class::Voided,
    Class::VoidWithoutOriginal,
    Class::NeverSettled,
    Class::NoLedgerTrade,
    Class::LedgerDuplicate,
];

struct Draft {
    ledger: Vec<(LedgerRecord, Class)>,
    statement: Vec<(StatementRecord, Class)>,
}

/// Generates a sample.
///
/// # Errors
/// [`ErrorKind::InvalidRequest`] for zero trades, days or terminals; errors of the preset.
///
/// # Example
/// ```
/// use posfee::reconcile::simulation::{generate, SimulationOptions};
/// let a = generate(&SimulationOptions::new(3).trades(100))?;
/// let b = generate(&SimulationOptions::new(3).trades(100))?;
/// assert_eq!(a.ledger, b.ledger);
/// assert!(generate(&SimulationOptions::new(3).trades(0)).is_err());
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn generate(options: &SimulationOptions) -> Result<Simulation> {
    if options.trades == 0 || options.days == 0 || options.terminals == 0 || options.terminals > 9_999 || options.trades > 100_000_000 {
        return Err(Error::new(
            ErrorKind::InvalidRequest,
            "a simulation needs 1–100,000,000 trades, at least one day and 1–9,999 terminals",
        ));
    }
    let schedule = Schedule::preset(&options.preset)?;
    schedule.check_merchant_class(options.merchant_class.as_deref())?;
    let mut profile = MerchantProfile::new(MERCHANT_NO, "沪上小馆")?
        .terminals((1..=options.terminals).map(|t| format!("T{t:07}")))
        .settlement(options.settlement);
    profile.merchant_class = options.merchant_class.clone();
    let calendar = Calendar::china();
    // Every date the sample needs (the last trade day, refunds up to 3 days later, a late
    // settlement 3 business days after the due date) must have calendar data: a sample whose
    // due dates cannot be checked would test nothing.
    let last_day = options.start + chrono::Days::new(u64::from(options.days) + 4);
    let settle_days = match options.settlement {
        SettlementMode::T(n) | SettlementMode::D(n) => i64::from(n),
        SettlementMode::S0 => 0,
    };
    calendar
        .add_business_days(last_day + chrono::Days::new(settle_days as u64), settle_days + 4)
        .map_err(|e| Error::new(ErrorKind::InvalidRequest, format!("the simulated period must end well inside the calendar data: {e}")))?;
    // The usual channel mix, limited to channels the contract prices.
    let mix: Vec<(u64, Channel)> = [(35, Channel::Credit), (30, Channel::Debit), (20, Channel::Wechat), (15, Channel::Alipay)]
        .into_iter()
        .filter(|(_, channel)| {
            let at = china_offset().from_local_datetime(&options.start.and_hms_opt(12, 0, 0).unwrap_or_default()).single();
            at.is_some_and(|at| {
                let mut probe =
                    QuoteRequest::new(Money::from_yuan(100), *channel, at).calendar_policy(crate::quote::CalendarPolicy::WeekendsOnly);
                probe.merchant_class = options.merchant_class.clone();
                schedule.quote_with(&probe, calendar).is_ok()
            })
        })
        .collect();
    let weight_total: u64 = mix.iter().map(|(weight, _)| weight).sum();
    if weight_total == 0 {
        return Err(Error::new(
            ErrorKind::InvalidRequest,
            format!("preset {:?} prices none of credit, debit, WeChat, Alipay", options.preset),
        ));
    }
    let mut rng = Rng(options.seed ^ 0x005E_ED0F_F00D);
    let start = china_offset()
        .from_local_datetime(&options.start.and_hms_opt(0, 0, 0).unwrap_or_default())
        .single()
        .ok_or_else(|| Error::new(ErrorKind::InvalidRequest, "bad start date"))?
        .timestamp();

    // Trade times, sorted.
    let mut times: Vec<i64> = (0..options.trades)
        .map(|_| start + rng.below(u64::from(options.days)) as i64 * 86_400 + rng.range(7 * 3600, 23 * 3600 + 1800))
        .collect();
    times.sort_unstable();

    let faults_per_class = options.faults_per_class.min(options.trades / (2 * FAULTS.len()).max(1));
    // Which trades carry which fault: distinct trades, chosen by the seed.
    let mut fault_of: Vec<Option<Class>> = vec![None; options.trades];
    for class in FAULTS {
        let mut placed = 0;
        let mut attempts = 0;
        while placed < faults_per_class && attempts < 100 * faults_per_class + 100 {
            attempts += 1;
            let t = rng.below(options.trades as u64) as usize;
            if fault_of[t].is_none() {
                fault_of[t] = Some(class);
                placed += 1;
            }
        }
    }

    let extra_fee_unit = ReconcileOptions::new(schedule.clone(), profile.clone()).extra_fee_unit;
    let mut injected = vec![InjectedPattern::default(); options.patterns.len()];
    let mut draft = Draft { ledger: Vec::with_capacity(options.trades + 64), statement: Vec::with_capacity(options.trades + 64) };
    let rrn_base: u64 = 600_000_000_000 + (options.seed % 1000) * 100_000_000;
    let mut next_rrn = 0u64;
    let mut rrn = || {
        next_rrn += 1;
        format!("{:012}", rrn_base + next_rrn)
    };
    for (t, &time) in times.iter().enumerate() {
        let at = china_offset().timestamp_opt(time, 0).single().unwrap_or_else(|| china_offset().timestamp_opt(0, 0).unwrap());
        let channel = {
            let mut draw = rng.below(weight_total);
            let mut chosen = mix[0].1;
            for (weight, channel) in &mix {
                if draw < *weight {
                    chosen = *channel;
                    break;
                }
                draw -= weight;
            }
            chosen
        };
        // Amounts from ¥1 to about ¥5,000, most of them small.
        let magnitude = rng.range(0, 3);
        let amount_fen = match magnitude {
            0 => rng.range(100, 5_000),
            1 => rng.range(1_000, 30_000),
            2 => rng.range(10_000, 200_000),
            _ => rng.range(100_000, 500_000),
        };
        let terminal = format!("T{:07}", 1 + rng.below(options.terminals as u64));
        let mut record = LedgerRecord::new(format!("O{t:09}"), at, Money::from_fen(amount_fen), channel);
        record.rrn = rrn();
        record.trace = format!("{:06}", t % 1_000_000);
        record.terminal = terminal.clone();
        record.merchant_no = MERCHANT_NO.to_string();
        let fault = fault_of[t];

        if fault == Some(Class::Declined) {
            let codes = ["51", "55", "14", "61", "96", "83"];
            record.response_code = codes[rng.below(codes.len() as u64) as usize].to_string();
            draft.ledger.push((record, Class::Declined));
            continue;
        }
        if fault == Some(Class::Voided) {
            let mut void = record.clone();
            void.trade_id = format!("V{t:09}");
            void.kind = TradeKind::Void;
            void.original_rrn = record.rrn.clone();
            void.rrn = rrn();
            void.time = at + chrono::Duration::seconds(rng.range(30, 600));
            draft.ledger.push((record, Class::Voided));
            draft.ledger.push((void, Class::Voided));
            continue;
        }

        if fault == Some(Class::VoidWithoutOriginal) {
            // A void of a purchase that is in neither file.
            record.trade_id = format!("V{t:09}");
            record.kind = TradeKind::Void;
            record.original_rrn = rrn();
            draft.ledger.push((record, Class::VoidWithoutOriginal));
            continue;
        }

        let mut request = QuoteRequest::new(record.amount, channel, at).settlement(profile.settlement);
        request.merchant_class = options.merchant_class.clone();
        let quote = options_quote(&schedule, &request, calendar)?;
        let mut row = StatementRecord::new(quote.settles_on, at, record.amount, quote.fee, channel);
        row.merchant_no = MERCHANT_NO.to_string();
        row.merchant_name = profile.name.clone();
        row.terminal = terminal.clone();
        row.rrn = record.rrn.clone();
        let mut ledger_class = fault.unwrap_or(Class::Ok);
        if fault.is_none() {
            let changed =
                apply_patterns(&options.patterns, &mut injected, &mut row, &quote, &request, &schedule, calendar, extra_fee_unit)?;
            ledger_class = changed.unwrap_or(Class::Ok);
        }
        let mut statement_class = ledger_class;
        match fault {
            Some(Class::AmountDiffers) => {
                let delta = rng.range(1, 100) * if rng.below(2) == 0 || amount_fen <= 100 { 1 } else { -1 };
                row.amount = Money::from_fen(amount_fen + delta);
                let quote = options_quote(&schedule, &QuoteRequest { amount: row.amount, ..request.clone() }, calendar)?;
                row.fee = quote.fee;
                row.net = row.amount - row.fee;
            }
            Some(Class::ExtraFee) => {
                let extra = [300, 200, 10][rng.below(3) as usize];
                row.fee = row.fee + Money::from_fen(extra);
                row.net = row.amount - row.fee;
            }
            Some(Class::FeeAbove) => {
                // A silent rate rise (+0.13%, at least a fen). The checker reads an excess in
                // whole multiples of `extra_fee_unit` (¥0.10) as a fixed add-on: such an
                // excess is labelled `extra_fee`, by that documented rule, not nudged away.
                let excess = Money::from_fen(((amount_fen * 13 + 5_000) / 10_000).max(1));
                row.fee = row.fee + excess;
                row.net = row.amount - row.fee;
                let unit = ReconcileOptions::new(schedule.clone(), profile.clone()).extra_fee_unit.millifen();
                if unit > 0 && excess.millifen() % unit == 0 {
                    ledger_class = Class::ExtraFee;
                    statement_class = Class::ExtraFee;
                }
            }
            Some(Class::FeeBelow) => {
                // One fen under the contract; under a zero contract fee that is a negative
                // fee (the acquirer paying the merchant), still below the contract.
                row.fee = quote.fee - Money::from_fen(1);
                row.net = row.amount - row.fee;
            }
            Some(Class::NetDiffers) => {
                row.net = row.net - Money::from_fen(rng.range(1, 100));
            }
            Some(Class::SettledLate) => {
                // 1–3 business days after the first business day on or after the due date
                // (a D0 / S0 due date may be a holiday; the checker counts the business days
                // of [due, settled), so a payment on the next business day is on time).
                let first_business = calendar.add_business_days(quote.settles_on, 0)?;
                row.settlement_date = calendar.add_business_days(first_business, rng.range(1, 3))?;
            }
            Some(Class::SettledBeforeTrade) => {
                row.settlement_date = at.date_naive() - chrono::Duration::days(rng.range(1, 3));
            }
            Some(Class::MerchantDiffers) => {
                row.merchant_no = JUMPED_MERCHANT_NO.to_string();
                row.merchant_name = "某某超市".to_string();
            }
            Some(Class::NeverSettled) => {
                draft.ledger.push((record, Class::NeverSettled));
                continue;
            }
            Some(Class::NoLedgerTrade) => {
                draft.statement.push((row, Class::NoLedgerTrade));
                continue;
            }
            Some(Class::LedgerDuplicate) => {
                ledger_class = Class::Ok;
                statement_class = Class::Ok;
                draft.ledger.push((record.clone(), Class::LedgerDuplicate));
            }
            _ => {
                // Clean trades: some QR rows lose their reference on the statement and are
                // matched by terminal, amount and time; some are duplicated on the statement;
                // some are refunded later.
                if matches!(channel, Channel::Wechat | Channel::Alipay) && rng.below(10) == 0 {
                    row.rrn.clear();
                    row.time = at + chrono::Duration::seconds(rng.range(0, 30));
                }
                if rng.below(2_000) == 0 {
                    draft.statement.push((row.clone(), Class::StatementDuplicate));
                }
                if rng.below(200) == 0 && amount_fen >= 200 {
                    let refund_at = at + chrono::Duration::days(rng.range(1, 3));
                    let refund_amount = Money::from_fen(rng.range(100, amount_fen));
                    let refund_quote = schedule.quote_refund_with(&request, refund_amount, refund_at, calendar)?;
                    let mut refund = record.clone();
                    refund.trade_id = format!("R{t:09}");
                    refund.kind = TradeKind::Refund;
                    refund.original_rrn = record.rrn.clone();
                    refund.rrn = rrn();
                    refund.time = refund_at;
                    refund.amount = refund_amount;
                    let mut refund_row =
                        StatementRecord::new(refund_quote.settles_on, refund_at, refund_amount, -refund_quote.fee_returned, channel);
                    refund_row.kind = TradeKind::Refund;
                    refund_row.net = -refund_amount + refund_quote.fee_returned;
                    refund_row.merchant_no = MERCHANT_NO.to_string();
                    refund_row.merchant_name = profile.name.clone();
                    refund_row.terminal = terminal.clone();
                    refund_row.rrn = refund.rrn.clone();
                    draft.ledger.push((refund, Class::Ok));
                    draft.statement.push((refund_row, Class::Ok));
                }
            }
        }
        draft.ledger.push((record, ledger_class));
        draft.statement.push((row, statement_class));
    }
    // A duplicated statement row is a copy of its original: make sure every seed has some.
    let clean: Vec<usize> =
        draft.statement.iter().enumerate().filter(|(_, (r, c))| *c == Class::Ok && r.kind == TradeKind::Purchase).map(|(j, _)| j).collect();
    for _ in 0..faults_per_class {
        if clean.is_empty() {
            break;
        }
        let j = clean[rng.below(clean.len() as u64) as usize];
        let copy = draft.statement[j].0.clone();
        draft.statement.push((copy, Class::StatementDuplicate));
    }

    draft.ledger.sort_by_key(|(r, _)| r.time);
    draft.statement.sort_by_key(|(r, _)| (r.settlement_date, r.time));
    // After sorting, the first of equal rows is the original.
    fix_duplicates(&mut draft);

    let mut ledger = Ledger::new("simulated-ledger");
    let mut statement = Statement::new("simulated-statement");
    let mut key = AnswerKey::default();
    for (i, (mut record, class)) in draft.ledger.into_iter().enumerate() {
        record.line = i as u64 + 2;
        ledger.push(record)?;
        if class != Class::Ok {
            key.ledger.push((i, class));
        }
    }
    for (j, (mut record, class)) in draft.statement.into_iter().enumerate() {
        record.line = j as u64 + 2;
        statement.push(record)?;
        if class != Class::Ok {
            key.statement.push((j, class));
        }
    }
    ledger.push_issue(
        Error::new(ErrorKind::InvalidRecord, "simulated garbled line").at(crate::error::Location::default().line(ledger.len() as u64 + 2)),
        "\u{fffd}\u{fffd},,12.3.4",
    );
    statement.push_issue(
        Error::new(ErrorKind::InvalidRecord, "simulated garbled line")
            .at(crate::error::Location::default().line(statement.len() as u64 + 2)),
        "合并,x",
    );
    key.unreadable = (1, 1);
    Ok(Simulation { ledger, statement, options: ReconcileOptions::new(schedule, profile), key, patterns: injected })
}

/// Applies the patterns to a clean purchase's statement row; the class the row lands in
/// when one changed it (the first of its classes, as the checker orders them).
#[allow(clippy::too_many_arguments)]
fn apply_patterns(
    patterns: &[Pattern],
    injected: &mut [InjectedPattern],
    row: &mut StatementRecord,
    quote: &crate::quote::Quote,
    request: &QuoteRequest,
    schedule: &Schedule,
    calendar: &Calendar,
    extra_fee_unit: Money,
) -> Result<Option<Class>> {
    let day = row.time.date_naive();
    let mut class: Option<Class> = None;
    for (pattern, injected) in patterns.iter().zip(injected.iter_mut()) {
        if day < pattern.from() {
            continue;
        }
        let rate_fee = quote.lines.iter().find(|l| l.kind == crate::quote::FeeLineKind::Rate).map_or(Money::ZERO, |l| l.amount);
        let fee = match pattern {
            Pattern::Rate { channel, rate, .. } if *channel == row.channel => {
                Some(quote.fee - rate_fee + schedule.rounding().apply_rate(row.amount, *rate))
            }
            Pattern::AddOn { channel, fixed, .. } if *channel == row.channel => Some(quote.fee + *fixed),
            Pattern::CapNotApplied { .. } if quote.cap_applied() => {
                Some(quote.fee - rate_fee + schedule.rounding().apply_rate(row.amount, quote.rate))
            }
            Pattern::MerchantClass { merchant_class, .. } => {
                let request = QuoteRequest { merchant_class: merchant_class.clone(), ..request.clone() };
                schedule.quote_with(&request, calendar).ok().map(|q| q.fee)
            }
            _ => None,
        };
        let changed = match (pattern, fee) {
            (_, Some(fee)) if fee != quote.fee => {
                row.fee = fee;
                row.net = row.amount - fee;
                injected.money = injected.money + (fee - quote.fee);
                let excess = fee - quote.fee;
                let unit = extra_fee_unit.millifen();
                Some(if excess < Money::ZERO {
                    Class::FeeBelow
                } else if unit > 0 && excess.millifen() % unit == 0 {
                    Class::ExtraFee
                } else {
                    Class::FeeAbove
                })
            }
            (Pattern::SettledLater { business_days, .. }, _) => {
                let first_business = calendar.add_business_days(quote.settles_on, 0)?;
                row.settlement_date = calendar.add_business_days(first_business, i64::from(*business_days))?;
                injected.money = injected.money + row.net;
                (*business_days > 0).then_some(Class::SettledLate)
            }
            (Pattern::MerchantNumber { terminal, merchant_no, .. }, _) if *terminal == row.terminal => {
                row.merchant_no = merchant_no.clone();
                injected.money = injected.money + row.amount;
                Some(Class::MerchantDiffers)
            }
            _ => None,
        };
        if let Some(changed) = changed {
            if injected.trades == 0 || day < injected.first_day {
                injected.first_day = day;
            }
            injected.trades += 1;
            class = Some(class.map_or(changed, |c| c.min(changed)));
        }
    }
    Ok(class)
}

fn options_quote(schedule: &Schedule, request: &QuoteRequest, calendar: &Calendar) -> Result<crate::quote::Quote> {
    schedule.quote_with(request, calendar)
}

/// Stable sorting keeps copies after originals; make sure the first of a group of equal
/// rows carries the original's class and the later ones the duplicate class.
fn fix_duplicates(draft: &mut Draft) {
    let mut seen: HashMap<(String, String, i64), usize> = HashMap::new();
    for k in 0..draft.ledger.len() {
        let (r, class) = &draft.ledger[k];
        if r.kind == TradeKind::Purchase && r.response_code == "00" {
            let key = (r.rrn.clone(), r.terminal.clone(), r.time.timestamp());
            if let Some(&first) = seen.get(&key) {
                if *class != Class::LedgerDuplicate {
                    // Equal rows: the first carries the original's class, the later the duplicate's.
                    let original = *class;
                    draft.ledger[first].1 = original;
                    draft.ledger[k].1 = Class::LedgerDuplicate;
                }
            } else {
                seen.insert(key, k);
            }
        }
    }
    let mut seen: HashMap<(String, String, i64, i64), usize> = HashMap::new();
    for k in 0..draft.statement.len() {
        let (r, class) = &draft.statement[k];
        let key = (r.rrn.clone(), r.terminal.clone(), r.time.timestamp(), r.amount.millifen());
        if let Some(&first) = seen.get(&key) {
            if *class != Class::StatementDuplicate {
                // Equal rows: the first carries the original's class, the later the duplicate's.
                let original = *class;
                draft.statement[first].1 = original;
                draft.statement[k].1 = Class::StatementDuplicate;
            }
        } else {
            seen.insert(key, k);
        }
    }
}

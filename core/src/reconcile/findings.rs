//! Findings across rows: what the acquirer changed, from which day, on how many trades and
//! how much money.
//!
//! A row's class says what is wrong with one trade; a finding says what happened to many:
//! a rate that rose on a day, a fixed add-on that appeared, a cap that stopped applying,
//! trades priced as another merchant class, settlement that became later (T+1 became
//! T+2), a terminal whose trades are booked under another merchant number (跳码), or a
//! terminal that is not the merchant's.
//!
//! A fee or settlement pattern is a finding when it is a *step*: at least
//! [`ReconcileOptions::finding_min_trades`](super::ReconcileOptions::finding_min_trades)
//! trades share it, and from its first day on it covers at least half of the trades it
//! could apply to (of its channel; failing that, of one terminal of its channel). Scattered
//! wrong fees stay row classes without a finding. Every booking under another merchant number and every
//! trade on an unregistered terminal is a finding, whatever the count.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use super::class::{Class, ClassSet};
use super::contracts::Contracts;
use super::diagnosis::{percent, ChargedAs, Pricing};
use super::hash::FxHashMap;
use super::interned_text::values_of;
use super::matching::NONE;
use super::merchant::mcc_of;
use super::merchant::MerchantProfile;
use super::report::FeeColumn;
use super::row_scan::{bucket_sorted, Buckets};
use super::schema::{china_day, Statement};
use super::text_column::TextView;
use super::ReconcileOptions;
use crate::channel::Channel;
use crate::lang::Lang;
use crate::money::Money;
use crate::quote::TradeKind;
use crate::rate::Rate;
use crate::text::counted;

/// What a [`Finding`] is about.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::FindingKind::SettledLater.name(), "settled_later");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Trades of a channel charged another rate.
    Rate,
    /// A fixed amount added to each trade's fee.
    AddOn,
    /// The contract's cap not applied.
    CapNotApplied,
    /// Another cap than the contract's.
    Cap,
    /// Trades priced as another merchant class.
    MerchantClass,
    /// Settlement systematically later than the contract's mode.
    SettledLater,
    /// A terminal's trades booked under another merchant number (跳码).
    MerchantNumber,
    /// Trades on a terminal not registered to the merchant.
    UnregisteredTerminal,
}

impl FindingKind {
    /// The snake_case name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::FindingKind::MerchantNumber.name(), "merchant_number");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            FindingKind::Rate => "rate",
            FindingKind::AddOn => "add_on",
            FindingKind::CapNotApplied => "cap_not_applied",
            FindingKind::Cap => "cap",
            FindingKind::MerchantClass => "merchant_class",
            FindingKind::SettledLater => "settled_later",
            FindingKind::MerchantNumber => "merchant_number",
            FindingKind::UnregisteredTerminal => "unregistered_terminal",
        }
    }

    fn of(pricing: &Pricing) -> FindingKind {
        match pricing {
            Pricing::Rate { .. } => FindingKind::Rate,
            Pricing::AddOn { .. } => FindingKind::AddOn,
            Pricing::CapNotApplied { .. } => FindingKind::CapNotApplied,
            Pricing::Cap { .. } => FindingKind::Cap,
            Pricing::MerchantClass { .. } => FindingKind::MerchantClass,
        }
    }
}

/// Something the acquirer did to many trades, in plain words (Chinese and English), with
/// its first day, the trades and the money involved. The statement rows behind it are
/// [`Report::finding_rows`](super::Report::finding_rows).
///
/// # Example
/// ```
/// use posfee::reconcile::{reconcile, simulation::{generate, Pattern, SimulationOptions}, FindingKind};
/// let from = posfee::parse_date("2026-03-10")?;
/// let rise = Pattern::Rate { from, channel: posfee::Channel::Credit, rate: posfee::Rate::parse("0.68%")? };
/// let sample = generate(&SimulationOptions::new(7).trades(2_000).faults_per_class(0).pattern(rise))?;
/// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
/// let finding = &report.summary.findings[0];
/// assert_eq!((finding.kind, finding.first_day), (FindingKind::Rate, sample.patterns[0].first_day));
/// assert!(finding.en.starts_with(&format!("from {} credit trades were charged 0.68% instead of 0.60%", finding.first_day)));
/// assert_eq!(report.finding_rows(0).len() as u64, finding.trades);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What it is about.
    pub kind: FindingKind,
    /// The registered merchant number whose trades these are.
    pub merchant: String,
    /// The agent who signed that merchant (portfolio reconciliation; empty otherwise).
    pub agent: String,
    /// The channel, when the finding is about one.
    pub channel: Option<Channel>,
    /// The terminal, when the finding is about one.
    pub terminal: Option<String>,
    /// The merchant number the trades were booked under ([`FindingKind::MerchantNumber`]).
    pub merchant_no: Option<String>,
    /// The fee pricing found (fee findings).
    pub pricing: Option<Pricing>,
    /// Business days late ([`FindingKind::SettledLater`]).
    pub late_business_days: Option<i64>,
    /// The first trade day (China time) it shows on.
    pub first_day: NaiveDate,
    /// The last trade day it shows on.
    pub last_day: NaiveDate,
    /// The trades it covers.
    pub trades: u64,
    /// Their amounts.
    pub amount: Money,
    /// The money involved: the fees charged minus the contract's (negative when charged
    /// below it) for fee findings; the net paid late; the amount booked elsewhere.
    pub money: Money,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

impl Finding {
    /// The text in one language.
    ///
    /// # Example
    /// ```
    /// # use posfee::reconcile::{reconcile, simulation::{generate, Pattern, SimulationOptions}};
    /// # let later = Pattern::SettledLater { from: posfee::parse_date("2026-03-10")?, business_days: 1 };
    /// # let sample = generate(&SimulationOptions::new(7).trades(2_000).faults_per_class(0).pattern(later))?;
    /// let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    /// assert!(report.summary.findings[0].text(posfee::Lang::Zh).contains("晚1个工作日"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// What the checks left for the findings: per statement row.
pub(crate) struct Evidence<'a> {
    pub statement: &'a Statement,
    pub options: &'a ReconcileOptions,
    pub contracts: &'a Contracts<'a>,
    /// Statement row → ledger row ([`NONE`] when unmatched).
    pub partner: &'a [u32],
    pub findings: &'a [ClassSet],
    /// The fee the contract expects, per ledger row.
    pub expected_fee: &'a FeeColumn,
    /// Diagnosed fees, by statement row (sorted).
    pub charged_as: &'a [(u32, ChargedAs)],
    /// Late rows: (statement row, business days late).
    pub late: &'a [(u32, i64)],
}

/// A group of rows that may be one finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    /// A fee pricing on one channel.
    Fee(u32, Channel, Pricing),
    /// Priced as another merchant class, on any channel.
    Class(u32, Option<String>),
    Late(u32, i64),
    Booked(u32, String, String),
    Unregistered(u32, String),
}

impl<'a> Evidence<'a> {
    /// The contract of statement row `j`: its pair's, or its own when unmatched.
    fn contract(&self, j: usize) -> u32 {
        match self.partner[j] {
            NONE => self.contracts.statement(j),
            i => self.contracts.pair(i as usize, j),
        }
    }

    fn profile(&self, c: u32) -> &MerchantProfile {
        self.contracts.list[c as usize].profile
    }

    /// `merchant number name: ` before a finding of a portfolio (empty for one merchant).
    fn merchant_prefix(&self, c: u32) -> String {
        if !self.contracts.is_portfolio() {
            return String::new();
        }
        let profile = self.profile(c);
        format!("{} {}: ", profile.merchant_no.as_str(), profile.name).replace(" : ", ": ")
    }

    fn day(&self, j: u32) -> i64 {
        china_day(self.statement.time[j as usize])
    }

    fn fee_difference(&self, j: u32) -> Money {
        let i = self.partner[j as usize];
        let expected = self.expected_fee.get(i as usize).unwrap_or_default();
        self.statement.fee[j as usize] - expected
    }

    /// Whether at most `most` matched rows from `first_day` on could a pattern apply to: the
    /// rows of the day index from that day (of the terminal's, for a terminal).
    #[allow(clippy::too_many_arguments)]
    fn eligible_at_most(
        &self,
        index: &DayIndex<'a>,
        c: u32,
        first_day: i64,
        purchases: bool,
        channels: &[Channel],
        terminal: Option<&str>,
        min_amount_fen: i64,
        most: usize,
    ) -> bool {
        let rows = match terminal {
            None => &index.rows[..],
            Some(terminal) => index.of_terminal(self, terminal),
        };
        let from = rows.partition_point(|&j| self.day(j) < first_day);
        let pattern_applies = |j: usize| {
            (!self.contracts.is_portfolio() || self.contract(j) == c)
                && (!purchases || self.statement.kind[j] == TradeKind::Purchase)
                && (channels.is_empty() || channels.contains(&self.statement.channel[j]))
                && self.statement.amount_fen[j] >= min_amount_fen
        };
        // The count stops past `most`: a group that is no step stops early.
        let counted = rows[from..].iter().map(|&j| j as usize).filter(|&j| pattern_applies(j)).take(most + 1).count();
        // Every test run (debug builds) checks the count against a pass over the whole
        // statement.
        debug_assert_eq!(
            counted,
            (0..self.statement.len())
                .filter(|&j| self.partner[j] != NONE
                    && china_day(self.statement.time[j]) >= first_day
                    && terminal.map_or(true, |t| self.statement.terminal.get(j) == t)
                    && pattern_applies(j))
                .take(most + 1)
                .count(),
            "the day index and a whole pass disagree (first day {first_day}, terminal {terminal:?})"
        );
        counted <= most
    }

    /// Whether the rows (sorted by day) are a step: enough of them, covering at least half
    /// of what they could apply to from their first day.
    #[allow(clippy::too_many_arguments)]
    fn is_step(
        &self,
        index: &OnceCell<DayIndex<'a>>,
        c: u32,
        rows: &[u32],
        channels: &[Channel],
        terminal: Option<&str>,
        purchases: bool,
        min_amount_fen: i64,
    ) -> bool {
        let Some(&first) = rows.first() else { return false };
        rows.len() >= self.options.finding_min_trades.max(1)
            && self.eligible_at_most(
                index.get_or_init(|| DayIndex::new(self)),
                c,
                self.day(first),
                purchases,
                channels,
                terminal,
                min_amount_fen,
                rows.len() * 2,
            )
    }
}

/// The matched statement rows in trade-day order (rows of one day in row order), and of each
/// terminal, for the step test: the rows a pattern could apply to from a day on are a tail
/// of a list, not a pass over the whole statement for every group and terminal.
struct DayIndex<'s> {
    rows: Vec<u32>,
    /// The same rows, grouped by terminal (built when a terminal is first asked for).
    by_terminal: OnceCell<TerminalRows<'s>>,
}

/// The rows of the day index grouped by terminal, each terminal's in the index's order: the
/// bucket of each terminal's number.
struct TerminalRows<'s> {
    numbers: FxHashMap<&'s str, u32>,
    rows: Buckets,
}

impl<'s> DayIndex<'s> {
    /// The matched rows sorted by day (a counting sort, [`bucket_sorted`], on all cores; days
    /// are 0 to about 84,000 in the accepted time range, a statement's span is small).
    fn new(evidence: &Evidence<'s>) -> DayIndex<'s> {
        // Each matched row's China day, an unmatched row's none.
        let mut slots: Vec<u32> = Vec::with_capacity(evidence.statement.len());
        (0..evidence.statement.len() as u32)
            .into_par_iter()
            .map(|j| if evidence.partner[j as usize] != NONE { evidence.day(j) as u32 } else { u32::MAX })
            .collect_into_vec(&mut slots);
        let rows = bucket_sorted(&slots, None).items;
        DayIndex { rows, by_terminal: OnceCell::new() }
    }

    /// The rows of the day index on `terminal`, in its order.
    fn of_terminal(&self, evidence: &Evidence<'s>, terminal: &str) -> &[u32] {
        let by_terminal = self.by_terminal.get_or_init(|| {
            let rows = &self.rows;
            match evidence.statement.terminal.view() {
                // Terminals held once each: the rows grouped by their number, no text hashed.
                TextView::Interned { text, offsets, keys } => {
                    let of_rows: Vec<u32> = rows.par_iter().map(|&j| u32::from(keys[j as usize])).collect();
                    TerminalRows { numbers: values_of(text, offsets).zip(0..).collect(), rows: bucket_sorted(&of_rows, Some(rows)) }
                }
                terminals => {
                    let mut numbers: FxHashMap<&'s str, u32> = FxHashMap::default();
                    let of_rows: Vec<u32> = rows
                        .iter()
                        .map(|&j| {
                            let next = numbers.len() as u32;
                            *numbers.entry(terminals.get(j as usize)).or_insert(next)
                        })
                        .collect();
                    TerminalRows { numbers, rows: bucket_sorted(&of_rows, Some(rows)) }
                }
            }
        });
        by_terminal.numbers.get(terminal).map_or(&[], |&number| by_terminal.rows.of(number))
    }
}

/// The findings and, for each, its statement rows; ordered by money involved (largest
/// first), then first day.
pub(crate) fn detect(evidence: &Evidence<'_>) -> (Vec<Finding>, Vec<Vec<u32>>) {
    let statement = evidence.statement;
    let mut groups: BTreeMap<Group, Vec<u32>> = BTreeMap::new();
    let mut pricing_of: BTreeMap<Group, &Pricing> = BTreeMap::new();
    for (j, charged) in evidence.charged_as {
        let c = evidence.contract(*j as usize);
        let group = match &charged.pricing {
            Pricing::MerchantClass { merchant_class, .. } => Group::Class(c, merchant_class.clone()),
            other => Group::Fee(c, statement.channel[*j as usize], other.clone()),
        };
        pricing_of.entry(group.clone()).or_insert(&charged.pricing);
        groups.entry(group).or_default().push(*j);
    }
    for &(j, late) in evidence.late {
        groups.entry(Group::Late(evidence.contract(j as usize), late)).or_default().push(j);
    }
    let (terminals, merchant_numbers) = (statement.terminal.view(), statement.merchant_no.view());
    for j in 0..statement.len() {
        if !evidence.findings[j].contains(Class::MerchantDiffers) {
            continue;
        }
        let c = evidence.contract(j);
        let profile = evidence.profile(c);
        let (terminal, merchant_no) = (terminals.get(j), merchant_numbers.get(j));
        if !merchant_no.is_empty() && merchant_no != profile.merchant_no.as_str() {
            groups.entry(Group::Booked(c, terminal.to_string(), merchant_no.to_string())).or_default().push(j as u32);
        } else if !terminal.is_empty() && !profile.terminals.iter().any(|t| t == terminal) {
            groups.entry(Group::Unregistered(c, terminal.to_string())).or_default().push(j as u32);
        }
    }

    let mut found: Vec<(Finding, Vec<u32>)> = Vec::new();
    let index = OnceCell::new();
    for (group, mut rows) in groups {
        rows.sort_unstable_by_key(|&j| (evidence.day(j), j));
        match &group {
            &Group::Fee(c, channel, ref pricing) => {
                let min_amount = match pricing {
                    Pricing::CapNotApplied { .. } | Pricing::Cap { .. } => {
                        rows.iter().map(|&j| statement.amount_fen[j as usize]).min().unwrap_or(0)
                    }
                    _ => 0,
                };
                if evidence.is_step(&index, c, &rows, &[channel], None, true, min_amount) {
                    found.push((fee_finding(evidence, c, pricing, Some(channel), None, &rows), rows));
                    continue;
                }
                // Not a step of the channel: of one of its terminals?
                let mut by_terminal: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
                for &j in &rows {
                    by_terminal.entry(terminals.get(j as usize)).or_default().push(j);
                }
                for (terminal, rows) in by_terminal {
                    if !terminal.is_empty() && evidence.is_step(&index, c, &rows, &[channel], Some(terminal), true, min_amount) {
                        found.push((fee_finding(evidence, c, pricing, Some(channel), Some(terminal), &rows), rows));
                    }
                }
            }
            &Group::Class(c, _) => {
                let mut channels: Vec<Channel> = rows.iter().map(|&j| statement.channel[j as usize]).collect();
                channels.sort_unstable();
                channels.dedup();
                if evidence.is_step(&index, c, &rows, &channels, None, true, 0) {
                    found.push((fee_finding(evidence, c, pricing_of[&group], None, None, &rows), rows));
                }
            }
            &Group::Late(c, late) => {
                if evidence.is_step(&index, c, &rows, &[], None, false, 0) {
                    found.push((late_finding(evidence, c, late, &rows), rows));
                }
            }
            Group::Booked(c, terminal, merchant_no) => {
                found.push((booked_finding(evidence, *c, terminal, Some(merchant_no), &rows), rows));
            }
            Group::Unregistered(c, terminal) => {
                found.push((booked_finding(evidence, *c, terminal, None, &rows), rows));
            }
        }
    }
    found.sort_by(|(a, _), (b, _)| b.money.abs().cmp(&a.money.abs()).then(a.first_day.cmp(&b.first_day)).then(a.kind.cmp(&b.kind)));
    found.into_iter().unzip()
}

/// First and last day, trades and amounts of sorted rows.
fn span(evidence: &Evidence<'_>, rows: &[u32]) -> (NaiveDate, NaiveDate, u64, Money) {
    let day = |j: Option<&u32>| j.map_or_else(NaiveDate::default, |&j| date_of(evidence.day(j)));
    let amount = rows
        .iter()
        .fold(Money::ZERO, |sum, &j| sum.checked_add(Money::from_fen(evidence.statement.amount_fen[j as usize])).unwrap_or(Money::MAX));
    (day(rows.first()), day(rows.last()), rows.len() as u64, amount)
}

fn date_of(day: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default() + chrono::Days::new(day.max(0) as u64)
}

fn fee_finding(
    evidence: &Evidence<'_>,
    c: u32,
    pricing: &Pricing,
    channel: Option<Channel>,
    terminal: Option<&str>,
    rows: &[u32],
) -> Finding {
    let (first_day, last_day, trades, amount) = span(evidence, rows);
    let money = rows.iter().fold(Money::ZERO, |sum, &j| sum.checked_add(evidence.fee_difference(j)).unwrap_or(Money::MAX));
    let (over_en, over_zh) = if money >= Money::ZERO { ("over", "多收") } else { ("under", "少收") };
    let size = money.abs();
    let (whose_en, whose_zh) = match (channel, terminal) {
        (Some(c), Some(t)) => (format!("{} trades on terminal {t}", c.name()), format!("终端{t}的{}交易", c.name_zh())),
        (Some(c), None) => (format!("{} trades", c.name()), format!("{}交易", c.name_zh())),
        (None, _) => ("trades".to_string(), "交易".to_string()),
    };
    let channel_of_cap = channel.unwrap_or(Channel::Debit);
    let (what_en, what_zh) = match pricing {
        Pricing::CapNotApplied { cap } => (
            format!("the {} cap of ¥{cap} was not applied to {whose_en}", channel_of_cap.name()),
            format!("{whose_zh}未执行{}封顶¥{cap}", channel_of_cap.name_zh()),
        ),
        Pricing::MerchantClass { merchant_class, .. } => {
            let rates = class_rates(evidence, rows);
            match merchant_class {
                Some(class) => (
                    format!("{whose_en} were priced as a {class}-class merchant ({rates})"),
                    format!("{whose_zh}按{class}类商户计费（{rates}）"),
                ),
                None => (
                    format!("{whose_en} were priced without the contract's merchant class ({rates})"),
                    format!("{whose_zh}未按合同商户类别计费（{rates}）"),
                ),
            }
        }
        other => (
            format!("{whose_en} were {}", other.describe(Lang::En, channel_of_cap)),
            format!("{whose_zh}{}", other.describe(Lang::Zh, channel_of_cap)),
        ),
    };
    Finding {
        merchant: evidence.profile(c).merchant_no.as_str().to_string(),
        agent: evidence.contracts.list[c as usize].agent.to_string(),
        kind: FindingKind::of(pricing),
        channel,
        terminal: terminal.map(str::to_string),
        merchant_no: None,
        pricing: Some(pricing.clone()),
        late_business_days: None,
        first_day,
        last_day,
        trades,
        amount,
        money,
        en: format!("{}from {first_day} {what_en}: {}, ¥{size} {over_en}", evidence.merchant_prefix(c), trades_en(trades)),
        zh: format!("{}自{first_day}起，{what_zh}：{trades}笔，{over_zh}¥{size}", evidence.merchant_prefix(c)),
    }
}

/// `1 trade`, `2 trades`.
fn trades_en(trades: u64) -> String {
    counted(i128::from(trades), "trade", "trades")
}

/// The class's rate per channel of the rows: `credit 0.38%, debit 0.40%`.
fn class_rates(evidence: &Evidence<'_>, rows: &[u32]) -> String {
    let mut rates: BTreeMap<Channel, Rate> = BTreeMap::new();
    for (j, charged) in evidence.charged_as {
        if rows.binary_search_by_key(&(evidence.day(*j), *j), |&r| (evidence.day(r), r)).is_ok() {
            rates.entry(evidence.statement.channel[*j as usize]).or_insert(charged.rate);
        }
    }
    rates.iter().map(|(channel, rate)| format!("{} {}", channel.name(), percent(*rate))).collect::<Vec<_>>().join(", ")
}

fn late_finding(evidence: &Evidence<'_>, c: u32, late: i64, rows: &[u32]) -> Finding {
    let (first_day, last_day, trades, amount) = span(evidence, rows);
    let money = rows.iter().fold(Money::ZERO, |sum, &j| sum.checked_add(evidence.statement.net[j as usize]).unwrap_or(Money::MAX));
    let mode = evidence.profile(c).settlement;
    let as_mode = match mode {
        crate::settlement::SettlementMode::T(n) => format!("T{}", i64::from(n) + late),
        crate::settlement::SettlementMode::D(n) => format!("D{}", i64::from(n) + late),
        crate::settlement::SettlementMode::S0 => format!("S0 + {late}"),
    };
    Finding {
        merchant: evidence.profile(c).merchant_no.as_str().to_string(),
        agent: evidence.contracts.list[c as usize].agent.to_string(),
        kind: FindingKind::SettledLater,
        channel: None,
        terminal: None,
        merchant_no: None,
        pricing: None,
        late_business_days: Some(late),
        first_day,
        last_day,
        trades,
        amount,
        money,
        en: format!(
            "{}from {first_day} trades settled {} later than {mode} (as {as_mode}): {}, ¥{money} paid late",
            evidence.merchant_prefix(c),
            counted(i128::from(late), "business day", "business days"),
            trades_en(trades)
        ),
        zh: format!(
            "{}自{first_day}起，结算比{mode}晚{late}个工作日（实为{as_mode}）：{trades}笔，¥{money}晚到账",
            evidence.merchant_prefix(c)
        ),
    }
}

/// An MCC in words, with its category of the pre-2016 fee schedule when the MCC table
/// knows it: ` (MCC 5411 supermarkets, people's livelihood class)` and its Chinese.
fn mcc_words(mcc: &str) -> (String, String) {
    match crate::mcc::mcc_info(mcc) {
        Some(info) => (
            format!(" (MCC {mcc} {}, {} class)", info.name_en, info.category.name_en()),
            format!("（MCC {mcc} {}，{}）", info.name_zh, info.category.name_zh()),
        ),
        None => (format!(" (MCC {mcc})"), format!("（MCC {mcc}）")),
    }
}

fn booked_finding(evidence: &Evidence<'_>, c: u32, terminal: &str, merchant_no: Option<&str>, rows: &[u32]) -> Finding {
    let (first_day, last_day, trades, amount) = span(evidence, rows);
    let registered = &evidence.profile(c).merchant_no;
    let (kind, en, zh) = match merchant_no {
        Some(number) => {
            let (theirs, theirs_zh) = mcc_of(number).map_or_else(Default::default, mcc_words);
            let (ours, ours_zh) = mcc_words(registered.mcc());
            (
                FindingKind::MerchantNumber,
                format!(
                    "from {first_day} trades on terminal {terminal} were booked under merchant number {number}{theirs} instead of {}{ours} (跳码): {}, ¥{amount}",
                    registered.as_str(),
                    trades_en(trades)
                ),
                format!(
                    "自{first_day}起，终端{terminal}的交易记在商户号{number}{theirs_zh}下，而非登记的{}{ours_zh}（跳码）：{trades}笔，¥{amount}",
                    registered.as_str()
                ),
            )
        }
        None => (
            FindingKind::UnregisteredTerminal,
            format!(
                "from {first_day} trades were settled on terminal {terminal}, which is not registered to the merchant: {}, ¥{amount}",
                trades_en(trades)
            ),
            format!("自{first_day}起，未登记给本商户的终端{terminal}有交易结算：{trades}笔，¥{amount}"),
        ),
    };
    Finding {
        merchant: evidence.profile(c).merchant_no.as_str().to_string(),
        agent: evidence.contracts.list[c as usize].agent.to_string(),
        kind,
        channel: None,
        terminal: Some(terminal.to_string()),
        merchant_no: merchant_no.map(str::to_string),
        pricing: None,
        late_business_days: None,
        first_day,
        last_day,
        trades,
        amount,
        money: amount,
        en: format!("{}{en}", evidence.merchant_prefix(c)),
        zh: format!("{}{zh}", evidence.merchant_prefix(c)),
    }
}

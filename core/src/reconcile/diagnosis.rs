//! What the acquirer actually charged: the pricing that reproduces a charged fee exactly.
//!
//! A fee that differs from the contract has many possible stories; the checker only knows
//! that it differs. For each such purchase, [`Diagnoser::fits`] lists every pricing that
//! gives the charged fee to the fen under the schedule's own rounding:
//!
//! - the pricing of another merchant class the schedule names (a merchant priced as
//!   `discounted`);
//! - the contract with its cap not applied, or with another cap;
//! - another rate (on a grid of 0.01% up to [`RATE_GRID_MAX_PERCENT`]%, and the schedule's own
//!   rates), everything else of the contract unchanged;
//! - the contract plus a fixed add-on per trade (up to
//!   [`ReconcileOptions::add_on_max`](super::ReconcileOptions::add_on_max)).
//!
//! One trade often fits both a rate and an add-on (¥5,000 at 0.68% is ¥34.00, and so is
//! 0.60% plus ¥4.00). The other trades decide ([`choose`]): a pricing that fits more trades
//! of the same channel and terminal (then of the channel) wins — a constant difference is an
//! add-on, a constant ratio a rate. When the evidence ties between a rate and an add-on,
//! the answer keeps the other as its [`ChargedAs::alternative`] and says so.

use std::cmp::Reverse;

use rayon::prelude::*;
use serde::Serialize;

use super::hash::FxHashMap;
use crate::calendar::Calendar;
use crate::channel::Channel;
use crate::lang::Lang;
use crate::money::Money;
use crate::quote::{FeeLineKind, Limit, Quote, QuoteRequest};
use crate::rate::Rate;
use crate::schedule::Schedule;

/// The largest rate of the grid searched for a charged rate, in percent (0.01% steps).
pub const RATE_GRID_MAX_PERCENT: u32 = 5;

/// One grid step (0.01%) in rate units of 10⁻⁸.
const GRID_STEP_E8: i64 = 10_000;

/// A pricing that reproduces a charged fee, in the acquirer's terms.
///
/// # Example
/// ```
/// use posfee::{Lang, Money, Rate, Channel};
/// use posfee::reconcile::Pricing;
/// let rise = Pricing::Rate { rate: Rate::parse("0.68%")?, contract_rate: Rate::parse("0.6%")? };
/// assert_eq!(rise.describe(Lang::En, Channel::Credit), "charged 0.68% instead of 0.60%");
/// let add_on = Pricing::AddOn { fixed: Money::from_yuan(3), contract_rate: Rate::parse("0.6%")? };
/// assert_eq!(add_on.describe(Lang::En, Channel::Credit), "0.60% plus ¥3.00 per trade");
/// assert_eq!(add_on.describe(Lang::Zh, Channel::Credit), "0.60%另加每笔¥3.00");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pricing {
    /// Another rate than the contract's; the rest of the contract unchanged.
    Rate {
        /// The rate charged.
        rate: Rate,
        /// The contract's rate.
        contract_rate: Rate,
    },
    /// The contract's pricing plus a fixed amount per trade.
    AddOn {
        /// The amount added to each trade's fee.
        fixed: Money,
        /// The contract's rate.
        contract_rate: Rate,
    },
    /// The contract's cap was not applied (the fee is the uncapped rate fee).
    CapNotApplied {
        /// The contract's cap.
        cap: Money,
    },
    /// Another cap than the contract's.
    Cap {
        /// The cap charged.
        cap: Money,
        /// The contract's cap.
        contract_cap: Money,
    },
    /// The pricing of another merchant class of the schedule (`None`: the pricing without
    /// a class).
    MerchantClass {
        /// The class the trade was priced as.
        merchant_class: Option<String>,
        /// That class's rate.
        rate: Rate,
    },
}

impl Pricing {
    /// `rate`, `add_on`, `cap_not_applied`, `cap` or `merchant_class`.
    ///
    /// # Example
    /// ```
    /// let pricing = posfee::reconcile::Pricing::CapNotApplied { cap: posfee::Money::from_yuan(20) };
    /// assert_eq!(pricing.name(), "cap_not_applied");
    /// ```
    pub const fn name(&self) -> &'static str {
        match self {
            Pricing::Rate { .. } => "rate",
            Pricing::AddOn { .. } => "add_on",
            Pricing::CapNotApplied { .. } => "cap_not_applied",
            Pricing::Cap { .. } => "cap",
            Pricing::MerchantClass { .. } => "merchant_class",
        }
    }

    /// What the acquirer did, in a few words (the channel names the cap's card).
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Lang, Money};
    /// let pricing = posfee::reconcile::Pricing::CapNotApplied { cap: Money::from_yuan(20) };
    /// assert_eq!(pricing.describe(Lang::En, Channel::Debit), "debit cap of ¥20.00 not applied");
    /// assert_eq!(pricing.describe(Lang::Zh, Channel::Debit), "借记卡封顶¥20.00未执行");
    /// ```
    pub fn describe(&self, lang: Lang, channel: Channel) -> String {
        match (self, lang) {
            (Pricing::Rate { rate, contract_rate }, Lang::En) => {
                format!("charged {} instead of {}", percent(*rate), percent(*contract_rate))
            }
            (Pricing::Rate { rate, contract_rate }, Lang::Zh) => {
                format!("按{}收费（合同{}）", percent(*rate), percent(*contract_rate))
            }
            (Pricing::AddOn { fixed, contract_rate }, Lang::En) => format!("{} plus ¥{fixed} per trade", percent(*contract_rate)),
            (Pricing::AddOn { fixed, contract_rate }, Lang::Zh) => format!("{}另加每笔¥{fixed}", percent(*contract_rate)),
            (Pricing::CapNotApplied { cap }, Lang::En) => format!("{} cap of ¥{cap} not applied", channel.name()),
            (Pricing::CapNotApplied { cap }, Lang::Zh) => format!("{}封顶¥{cap}未执行", channel.name_zh()),
            (Pricing::Cap { cap, contract_cap }, Lang::En) => format!("capped at ¥{cap} instead of ¥{contract_cap}"),
            (Pricing::Cap { cap, contract_cap }, Lang::Zh) => format!("按¥{cap}封顶（合同¥{contract_cap}）"),
            (Pricing::MerchantClass { merchant_class: Some(class), rate }, Lang::En) => {
                format!("priced as a {class}-class merchant ({})", percent(*rate))
            }
            (Pricing::MerchantClass { merchant_class: Some(class), rate }, Lang::Zh) => {
                format!("按{class}类商户计费（{}）", percent(*rate))
            }
            (Pricing::MerchantClass { merchant_class: None, rate }, Lang::En) => {
                format!("priced without the contract's merchant class ({})", percent(*rate))
            }
            (Pricing::MerchantClass { merchant_class: None, rate }, Lang::Zh) => {
                format!("未按合同商户类别计费（{}）", percent(*rate))
            }
        }
    }

    /// Preference when the evidence ties (lower first): the most specific story first.
    fn rank(&self, own_rates: &[Rate]) -> u8 {
        match self {
            Pricing::MerchantClass { .. } => 0,
            Pricing::CapNotApplied { .. } => 1,
            Pricing::Cap { .. } => 2,
            Pricing::Rate { rate, .. } if own_rates.contains(rate) => 3,
            Pricing::Rate { .. } => 4,
            Pricing::AddOn { .. } => 5,
        }
    }

    /// Whether a tie between this and `other` leaves the story open (a rate or an add-on).
    fn rivals(&self, other: &Pricing) -> bool {
        matches!((self, other), (Pricing::Rate { .. }, Pricing::AddOn { .. }) | (Pricing::AddOn { .. }, Pricing::Rate { .. }))
    }
}

/// A rate as a percentage with at least two decimals (`0.60%`, `0.585%`).
pub(crate) fn percent(rate: Rate) -> String {
    let text = rate.percent_text();
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    match decimals {
        0 => format!("{text}.00%"),
        1 => format!("{text}0%"),
        _ => format!("{text}%"),
    }
}

/// How a checked purchase was actually priced: the diagnosis of a fee that differs from
/// the contract, with the charged pricing as exact values.
///
/// # Example
/// ```
/// use posfee::{Channel, Money, Schedule, parse_china_time, parse_date};
/// use posfee::reconcile::*;
/// // Two credit trades charged 0.68% against a contract of 0.60%.
/// let (mut ledger, mut statement) = (Ledger::new("ledger"), Statement::new("statement"));
/// for (k, yuan) in [(1, 5000), (2, 1234)] {
///     let at = parse_china_time("2026-05-06 10:00")?;
///     let mut trade = LedgerRecord::new(format!("A{k}"), at, Money::from_yuan(yuan), Channel::Credit);
///     trade.rrn = format!("61261000000{k}");
///     let fee = posfee::Rounding::FEN_HALF_UP.apply_rate(Money::from_yuan(yuan), posfee::Rate::parse("0.68%")?);
///     let mut row = StatementRecord::new(parse_date("2026-05-07")?, at, Money::from_yuan(yuan), fee, Channel::Credit);
///     row.rrn = trade.rrn.clone();
///     ledger.push(trade)?;
///     statement.push(row)?;
/// }
/// let options = ReconcileOptions::new(Schedule::preset("standard")?, MerchantProfile::new("102310058120001", "shop")?);
/// let report = reconcile(&ledger, &statement, &options)?;
/// let row = report.row(0).unwrap();
/// let charged = row.charged_as.expect("a diagnosis");
/// assert_eq!(charged.rate, posfee::Rate::parse("0.68%")?);
/// assert!(charged.alternative.is_none()); // ¥1,234 at 0.68% is not 0.60% plus the ¥4.00 of ¥5,000
/// assert!(row.reason.starts_with("charged 0.68% instead of 0.60% (fee ¥34.00, contract ¥30.00)"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChargedAs {
    /// The diagnosis.
    pub pricing: Pricing,
    /// The rate the fee was charged at.
    pub rate: Rate,
    /// The fixed part of the charged fee per trade (the contract's fixed fees and
    /// surcharges, plus any add-on).
    pub fixed: Money,
    /// The cap that limited the charged rate fee (`None` when no cap did).
    pub cap: Option<Money>,
    /// Another pricing that fits as well on the evidence (a rate against an add-on).
    pub alternative: Option<Pricing>,
}

impl ChargedAs {
    /// The diagnosis in words, with the alternative when the trades cannot tell.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Lang, Money, Rate};
    /// use posfee::reconcile::{ChargedAs, Pricing};
    /// let charged = ChargedAs {
    ///     pricing: Pricing::Rate { rate: Rate::parse("0.68%")?, contract_rate: Rate::parse("0.6%")? },
    ///     rate: Rate::parse("0.68%")?, fixed: Money::ZERO, cap: None,
    ///     alternative: Some(Pricing::AddOn { fixed: Money::from_yuan(4), contract_rate: Rate::parse("0.6%")? }),
    /// };
    /// assert_eq!(charged.describe(Lang::En, Channel::Credit),
    ///     "charged 0.68% instead of 0.60%, or 0.60% plus ¥4.00 per trade: these trades cannot tell which");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn describe(&self, lang: Lang, channel: Channel) -> String {
        let main = self.pricing.describe(lang, channel);
        match (&self.alternative, lang) {
            (None, _) => main,
            (Some(other), Lang::En) => format!("{main}, or {}: these trades cannot tell which", other.describe(lang, channel)),
            (Some(other), Lang::Zh) => format!("{main}，或{}（现有交易无法区分）", other.describe(lang, channel)),
        }
    }
}

/// One pricing that reproduces a charged fee, with its exact parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fit {
    pub pricing: Pricing,
    pub rate: Rate,
    pub fixed: Money,
    pub cap: Option<Money>,
}

/// A checked purchase whose fee differs from the contract.
#[derive(Debug, Clone)]
pub(crate) struct FeeCase<'a> {
    pub statement_row: u32,
    /// The contract the trade is checked against (evidence is weighed per contract).
    pub contract: u32,
    /// Its schedule.
    pub schedule: &'a Schedule,
    pub channel: Channel,
    pub terminal: &'a str,
    pub amount: Money,
    pub charged: Money,
    /// The contract's request for the trade (merchant class, card type, settlement).
    pub request: QuoteRequest,
}

/// What the diagnosis needs of a schedule: every rate its rules use (any channel, any
/// version) and its merchant classes (and `None`).
struct Known {
    own_rates: Vec<Rate>,
    classes: Vec<Option<String>>,
}

impl Known {
    fn of(schedule: &Schedule) -> Known {
        let mut own_rates: Vec<Rate> = schedule.versions().iter().flat_map(|v| v.rules().iter().map(|r| r.rate())).collect();
        own_rates.sort_unstable();
        own_rates.dedup();
        let classes = std::iter::once(None).chain(schedule.merchant_classes().into_iter().map(|class| Some(class.to_string()))).collect();
        Known { own_rates, classes }
    }
}

/// Finds the pricings that reproduce wrong fees, under each case's own schedule.
pub(crate) struct Diagnoser<'a> {
    calendar: &'a Calendar,
    add_on_max: Money,
    /// Per distinct schedule (by address).
    known: FxHashMap<usize, Known>,
}

fn address(schedule: &Schedule) -> usize {
    schedule as *const Schedule as usize
}

/// The fee's rate line, the rest of the fee, and the cap that limited the rate fee.
fn parts(quote: &Quote) -> (Money, Money, Option<Money>) {
    let line = quote.lines.iter().find(|line| line.kind == FeeLineKind::Rate);
    let rate_fee = line.map_or(Money::ZERO, |line| line.amount);
    let cap = line.and_then(|line| line.limit).filter(|limit| limit.kind == Limit::Cap).map(|limit| limit.value);
    (rate_fee, quote.fee - rate_fee, cap)
}

impl<'a> Diagnoser<'a> {
    pub fn new<'s>(schedules: impl IntoIterator<Item = &'s Schedule>, calendar: &'a Calendar, add_on_max: Money) -> Diagnoser<'a> {
        let mut known = FxHashMap::default();
        for schedule in schedules {
            known.entry(address(schedule)).or_insert_with(|| Known::of(schedule));
        }
        Diagnoser { calendar, add_on_max, known }
    }

    fn known(&self, schedule: &Schedule) -> Option<&Known> {
        self.known.get(&address(schedule))
    }

    /// Every pricing that reproduces the charged fee of `case`, most plausible first within
    /// each kind (an empty list when the contract cannot price the trade).
    pub fn fits(&self, case: &FeeCase<'_>) -> Vec<Fit> {
        let schedule = case.schedule;
        let Some(known) = self.known(schedule) else { return Vec::new() };
        let Ok(contract) = schedule.quote_with(&case.request, self.calendar) else { return Vec::new() };
        if contract.fee == case.charged {
            return Vec::new();
        }
        let rounding = schedule.rounding();
        let (_, others, applied_cap) = parts(&contract);
        let rule_cap = schedule
            .version_at(case.request.at)
            .ok()
            .and_then(|version| version.rules().iter().find(|rule| rule.id() == contract.rule.as_str()))
            .and_then(|rule| rule.cap());
        let mut fits = Vec::new();

        // Another merchant class of the schedule.
        for class in &known.classes {
            if *class == case.request.merchant_class {
                continue;
            }
            let mut request = case.request.clone();
            request.merchant_class = class.clone();
            if let Ok(quote) = schedule.quote_with(&request, self.calendar) {
                if quote.fee == case.charged {
                    let (_, fixed, cap) = parts(&quote);
                    fits.push(Fit {
                        pricing: Pricing::MerchantClass { merchant_class: class.clone(), rate: quote.rate },
                        rate: quote.rate,
                        fixed,
                        cap,
                    });
                }
            }
        }

        // The rate part of the charged fee, when only the rate part changed.
        let target = case.charged - others;
        if let Some(cap) = applied_cap {
            let uncapped = rounding.apply_rate(case.amount, contract.rate);
            let pricing = if target == uncapped {
                Some(Pricing::CapNotApplied { cap })
            } else if target > Money::ZERO && target < uncapped {
                Some(Pricing::Cap { cap: target, contract_cap: cap })
            } else {
                None
            };
            if let Some(pricing) = pricing {
                let cap = matches!(pricing, Pricing::Cap { .. }).then_some(target);
                fits.push(Fit { pricing, rate: contract.rate, fixed: others, cap });
            }
        }

        // Another rate: only where no cap binds at the charged figure.
        if target > Money::ZERO && rule_cap.map_or(true, |cap| target <= cap) {
            let fee_at = |e8: i64| rounding.apply_rate(case.amount, Rate::from_e8_unchecked(e8));
            let (mut low, mut high) = (1i64, i64::from(RATE_GRID_MAX_PERCENT) * 100);
            // First grid step whose fee reaches the target (fees never fall as the rate grows).
            while low < high {
                let middle = (low + high) / 2;
                if fee_at(middle * GRID_STEP_E8) >= target {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            let mut rates: Vec<Rate> = (low..=i64::from(RATE_GRID_MAX_PERCENT) * 100)
                .map(|step| step * GRID_STEP_E8)
                .take_while(|&e8| fee_at(e8) == target)
                .map(Rate::from_e8_unchecked)
                .collect();
            rates.extend(known.own_rates.iter().filter(|r| r.e8() % GRID_STEP_E8 != 0 && fee_at(r.e8()) == target));
            // Nearest to the exact ratio first: |amount × rate − target|.
            let distance = |rate: &Rate| {
                (i128::from(case.amount.millifen()) * i128::from(rate.e8()) - i128::from(target.millifen()) * 100_000_000).abs()
            };
            rates.sort_by_key(|rate| (distance(rate), rate.e8()));
            for rate in rates.into_iter().filter(|&rate| rate != contract.rate) {
                fits.push(Fit { pricing: Pricing::Rate { rate, contract_rate: contract.rate }, rate, fixed: others, cap: None });
            }
        }

        // A fixed add-on per trade.
        let extra = case.charged - contract.fee;
        if extra > Money::ZERO && extra <= self.add_on_max {
            fits.push(Fit {
                pricing: Pricing::AddOn { fixed: extra, contract_rate: contract.rate },
                rate: contract.rate,
                fixed: others + extra,
                cap: applied_cap,
            });
        }
        fits
    }

    /// The diagnosis of every case: the fits of each, decided by the evidence of the others.
    pub fn diagnose(&self, cases: &[FeeCase<'_>]) -> Vec<Option<ChargedAs>> {
        let fits: Vec<Vec<Fit>> = cases.par_iter().map(|case| self.fits(case)).collect();
        choose(cases, fits, |case| self.known(case.schedule).map_or(&[][..], |k| &k.own_rates))
    }
}

/// Decides each case's pricing by how many cases of the same channel and terminal (then of
/// the channel) the same pricing fits.
pub(crate) fn choose<'r>(
    cases: &[FeeCase<'_>],
    fits: Vec<Vec<Fit>>,
    own_rates_of: impl Fn(&FeeCase<'_>) -> &'r [Rate],
) -> Vec<Option<ChargedAs>> {
    let mut by_terminal: FxHashMap<(u32, Channel, &str, &Pricing), u32> = FxHashMap::default();
    let mut by_channel: FxHashMap<(u32, Channel, &Pricing), u32> = FxHashMap::default();
    for (case, fits) in cases.iter().zip(&fits) {
        for fit in fits {
            *by_terminal.entry((case.contract, case.channel, case.terminal, &fit.pricing)).or_default() += 1;
            *by_channel.entry((case.contract, case.channel, &fit.pricing)).or_default() += 1;
        }
    }
    let support = |case: &FeeCase<'_>, pricing: &Pricing| {
        (
            by_terminal.get(&(case.contract, case.channel, case.terminal, pricing)).copied().unwrap_or(0),
            by_channel.get(&(case.contract, case.channel, pricing)).copied().unwrap_or(0),
        )
    };
    cases
        .iter()
        .zip(&fits)
        .map(|(case, fits)| {
            let own_rates = own_rates_of(case);
            let score = |(k, fit): (usize, &Fit)| (support(case, &fit.pricing), Reverse(fit.pricing.rank(own_rates)), Reverse(k));
            let best = fits.iter().enumerate().max_by_key(|&(k, fit)| score((k, fit)))?.1;
            let evidence = support(case, &best.pricing);
            let alternative = fits
                .iter()
                .filter(|fit| fit.pricing.rivals(&best.pricing) && support(case, &fit.pricing) == evidence)
                .min_by_key(|fit| fit.pricing.rank(own_rates))
                .map(|fit| fit.pricing.clone());
            Some(ChargedAs { pricing: best.pricing.clone(), rate: best.rate, fixed: best.fixed, cap: best.cap, alternative })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settlement::parse_china_time;

    fn case(amount_fen: i64, charged_fen: i64, channel: Channel, terminal: &str) -> FeeCase<'_> {
        let at = parse_china_time("2026-05-06 10:00").unwrap();
        FeeCase {
            statement_row: 0,
            contract: 0,
            schedule: standard(),
            channel,
            terminal,
            amount: Money::from_fen(amount_fen),
            charged: Money::from_fen(charged_fen),
            request: QuoteRequest::new(Money::from_fen(amount_fen), channel, at),
        }
    }

    fn standard() -> &'static Schedule {
        static STANDARD: std::sync::OnceLock<Schedule> = std::sync::OnceLock::new();
        STANDARD.get_or_init(|| Schedule::preset("standard").unwrap())
    }

    fn diagnose(schedule: &str, cases: &[FeeCase<'_>]) -> Vec<Option<ChargedAs>> {
        assert_eq!(schedule, "standard", "the cases are priced under standard");
        Diagnoser::new([standard()], Calendar::china(), Money::from_yuan(10)).diagnose(cases)
    }

    fn rate(text: &str) -> Rate {
        Rate::parse(text).unwrap()
    }

    #[test]
    fn a_constant_ratio_is_a_rate() {
        // standard: credit 0.60%. Charged 0.68% on three amounts.
        let cases = [
            case(500_000, 3_400, Channel::Credit, "T1"),
            case(123_456, 840, Channel::Credit, "T1"),
            case(20_000, 136, Channel::Credit, "T2"),
        ];
        for charged in diagnose("standard", &cases) {
            let charged = charged.unwrap();
            assert_eq!(charged.pricing, Pricing::Rate { rate: rate("0.68%"), contract_rate: rate("0.6%") });
            assert_eq!((charged.rate, charged.fixed, charged.cap, charged.alternative), (rate("0.68%"), Money::ZERO, None, None));
        }
    }

    #[test]
    fn a_constant_difference_is_an_add_on() {
        // 0.60% plus ¥3.00 on three amounts.
        let cases = [
            case(500_000, 3_300, Channel::Credit, "T1"),
            case(123_456, 1_041, Channel::Credit, "T1"),
            case(20_000, 420, Channel::Credit, "T1"),
        ];
        for charged in diagnose("standard", &cases) {
            let charged = charged.unwrap();
            assert_eq!(charged.pricing, Pricing::AddOn { fixed: Money::from_yuan(3), contract_rate: rate("0.6%") });
            assert_eq!((charged.rate, charged.fixed, charged.alternative), (rate("0.6%"), Money::from_yuan(3), None));
        }
    }

    #[test]
    fn one_trade_cannot_tell_a_rate_from_an_add_on() {
        let charged = diagnose("standard", &[case(500_000, 3_400, Channel::Credit, "T1")]).remove(0).unwrap();
        assert_eq!(charged.pricing, Pricing::Rate { rate: rate("0.68%"), contract_rate: rate("0.6%") });
        assert_eq!(charged.alternative, Some(Pricing::AddOn { fixed: Money::from_yuan(4), contract_rate: rate("0.6%") }));
        // Trades of one amount cannot tell either.
        let same = [case(500_000, 3_400, Channel::Credit, "T1"), case(500_000, 3_400, Channel::Credit, "T2")];
        assert!(diagnose("standard", &same).iter().all(|c| c.as_ref().unwrap().alternative.is_some()));
    }

    #[test]
    fn a_cap_not_applied() {
        // standard: debit 0.50% capped at ¥20: ¥5,500 → ¥27.50 uncapped.
        let schedule = Schedule::preset("standard").unwrap();
        let debit = schedule.versions()[0].rules().iter().find(|r| r.id() == "debit").unwrap();
        assert_eq!((debit.rate(), debit.cap()), (rate("0.5%"), Some(Money::from_yuan(20))));
        let charged = diagnose("standard", &[case(550_000, 2_750, Channel::Debit, "T1")]).remove(0).unwrap();
        assert_eq!(charged.pricing, Pricing::CapNotApplied { cap: Money::from_yuan(20) });
        assert_eq!((charged.rate, charged.cap, charged.alternative), (rate("0.5%"), None, None));
        // Another cap: ¥25 on ¥6,000 and ¥8,000.
        let cases = [case(600_000, 2_500, Channel::Debit, "T1"), case(800_000, 2_500, Channel::Debit, "T1")];
        for charged in diagnose("standard", &cases) {
            let charged = charged.unwrap();
            assert_eq!(charged.pricing, Pricing::Cap { cap: Money::from_yuan(25), contract_cap: Money::from_yuan(20) });
            assert_eq!(charged.cap, Some(Money::from_yuan(25)));
        }
    }

    #[test]
    fn another_merchant_class() {
        // standard prices a discounted class: credit 0.38%.
        let cases = [case(100_000, 380, Channel::Credit, "T1"), case(33_333, 127, Channel::Credit, "T1")];
        for charged in diagnose("standard", &cases) {
            let charged = charged.unwrap();
            assert_eq!(charged.pricing, Pricing::MerchantClass { merchant_class: Some("discounted".into()), rate: rate("0.38%") });
            assert_eq!(charged.alternative, None);
        }
    }

    #[test]
    fn a_zero_fee_is_the_waived_class_and_an_outrageous_fee_is_no_story() {
        let charged = diagnose("standard", &[case(1_000, 0, Channel::Credit, "T1")]).remove(0).unwrap();
        assert_eq!(charged.pricing, Pricing::MerchantClass { merchant_class: Some("waived".into()), rate: Rate::ZERO });
        // ¥20 on ¥100: 20% is beyond the grid, ¥19.40 beyond the add-on limit.
        assert_eq!(diagnose("standard", &[case(10_000, 2_000, Channel::Credit, "T1")]), vec![None]);
        // The contract's own fee: nothing to diagnose.
        assert_eq!(diagnose("standard", &[case(10_000, 60, Channel::Credit, "T1")]), vec![None]);
    }

    #[test]
    fn percent_has_two_decimals() {
        assert_eq!(percent(rate("0.6%")), "0.60%");
        assert_eq!(percent(rate("1%")), "1.00%");
        assert_eq!(percent(rate("0.585%")), "0.585%");
    }
}

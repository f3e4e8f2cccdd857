//! Fee schedules: rules as data, effective-dated versions, explicit rounding.
//!
//! A [`Schedule`] is a list of [`Version`]s, each in force from a date-time on; a version
//! holds [`Rule`]s (which channel, amount band, validity window, merchant class and card
//! type they match; their rate, cap, floor and fixed fee) and settlement [`Surcharge`]s
//! (D0 / S0 add-ons with an optional minimum amount). Schedules load from TOML or JSON,
//! are validated on load, and print back to TOML.

mod file;
#[cfg(test)]
mod tests;

use compact_str::CompactString;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::channel::{CardType, Channel};
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::rate::Rate;
use crate::rounding::Rounding;
use crate::settlement::{CutOff, SettlementMode};

/// The highest rate a rule or surcharge may have: 10%. Anything above is a typo (`0.6`
/// instead of `0.6%`) rather than a fee.
pub const RATE_SANITY_LIMIT: Rate = Rate::from_e8_unchecked(crate::rate::RATE_ONE_E8 / 10);

/// What happens to the fee of a trade that is later refunded (退货).
///
/// # Example
/// ```
/// assert_eq!(posfee::RefundPolicy::KeepFee.name(), "keep_fee");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RefundPolicy {
    /// The acquirer keeps the original fee (the usual case).
    #[default]
    KeepFee,
    /// The acquirer returns the original fee in proportion to the refunded amount.
    Proportional,
}

impl RefundPolicy {
    /// `keep_fee` or `proportional`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::RefundPolicy::Proportional.name(), "proportional");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            RefundPolicy::KeepFee => "keep_fee",
            RefundPolicy::Proportional => "proportional",
        }
    }
}

/// One pricing rule of a schedule version.
///
/// A rule matches a trade when the channel is one of `channels`, the amount lies in
/// `(amount_over, amount_up_to]`, the trade time lies in `[valid_from, valid_until)`, and
/// the merchant class and card type equal the rule's (when the rule names them). Among
/// matching rules the one with the highest `priority` wins, then the most specific (most
/// conditions set); rules that could match the same trade with neither are rejected on load.
///
/// The fee is `amount × rate`, rounded, raised to `floor` and lowered to `cap`, plus `fixed`.
///
/// # Example
/// ```
/// let schedule = posfee::Schedule::preset("sft-traditional")?;
/// let debit = schedule.versions()[0].rules().iter().find(|r| r.id() == "debit").unwrap();
/// assert_eq!(debit.rate().to_string(), "0.55%");
/// assert_eq!(debit.cap().map(|c| c.to_string()), Some("20.00".to_string()));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    id: CompactString,
    channels: Vec<Channel>,
    #[serde(skip)]
    channel_mask: u16,
    rate: Rate,
    cap: Option<Money>,
    floor: Option<Money>,
    fixed: Money,
    amount_over: Option<Money>,
    amount_up_to: Option<Money>,
    #[serde(serialize_with = "crate::settlement::rfc3339_or_null")]
    valid_from: Option<DateTime<FixedOffset>>,
    #[serde(serialize_with = "crate::settlement::rfc3339_or_null")]
    valid_until: Option<DateTime<FixedOffset>>,
    merchant_class: Option<String>,
    card_type: Option<CardType>,
    priority: i32,
    note: Option<String>,
}

macro_rules! getter {
    ($(#[$doc:meta])* $name:ident: $type:ty, $example:literal) => {
        $(#[$doc])*
        ///
        /// # Example
        /// ```
        /// let schedule = posfee::Schedule::preset("standard")?;
        /// let rule = &schedule.versions()[0].rules()[0];
        #[doc = $example]
        /// # Ok::<(), posfee::Error>(())
        /// ```
        pub fn $name(&self) -> $type {
            self.$name.clone()
        }
    };
}

impl Rule {
    /// The rule's identifier, unique within its version.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// assert_eq!(schedule.versions()[0].rules()[0].id(), "credit");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The channels the rule applies to.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// assert_eq!(schedule.versions()[0].rules()[0].channels(), &[posfee::Channel::Credit]);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn channels(&self) -> &[Channel] {
        &self.channels
    }

    getter!(
        /// The percentage rate.
        rate: Rate, "assert_eq!(rule.rate().to_string(), \"0.6%\");"
    );
    getter!(
        /// The largest fee per transaction from the rate (before the fixed fee), if capped.
        cap: Option<Money>, "assert_eq!(rule.cap(), None);"
    );
    getter!(
        /// The smallest fee per transaction from the rate, if any.
        floor: Option<Money>, "assert_eq!(rule.floor(), None);"
    );
    getter!(
        /// A fixed fee per transaction added after cap and floor (zero when none).
        fixed: Money, "assert!(rule.fixed().is_zero());"
    );
    getter!(
        /// The rule applies to amounts strictly above this, if set.
        amount_over: Option<Money>, "assert_eq!(rule.amount_over(), None);"
    );
    getter!(
        /// The rule applies to amounts up to and including this, if set.
        amount_up_to: Option<Money>, "assert_eq!(rule.amount_up_to(), None);"
    );
    getter!(
        /// The rule applies to trades at or after this time, if set.
        valid_from: Option<DateTime<FixedOffset>>, "assert_eq!(rule.valid_from(), None);"
    );
    getter!(
        /// The rule applies to trades before this time, if set.
        valid_until: Option<DateTime<FixedOffset>>, "assert_eq!(rule.valid_until(), None);"
    );
    getter!(
        /// The card type the rule requires (for UnionPay QR above ¥1000), if any.
        card_type: Option<CardType>, "assert_eq!(rule.card_type(), None);"
    );
    getter!(
        /// The explicit priority (higher wins; default 0).
        priority: i32, "assert_eq!(rule.priority(), 0);"
    );

    /// The merchant class the rule is limited to, if any.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// assert!(schedule.versions()[0].rules().iter().any(|r| r.merchant_class() == Some("discounted")));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn merchant_class(&self) -> Option<&str> {
        self.merchant_class.as_deref()
    }

    /// A free-text note (where the number comes from).
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// let _ = schedule.versions()[0].rules()[0].note();
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The smallest trade amount (whole fen) from which the rule's rate fee, rounded with
    /// `rounding`, reaches its cap: every larger amount that the rule prices pays exactly the
    /// cap (plus any fixed fee). Exact integer arithmetic; the answer respects the rule's
    /// amount band. `None` when the rule has no cap, a zero rate, or never reaches the cap
    /// within its band and [`Money::MAX_AMOUNT`].
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("sft-traditional")?;
    /// let debit = schedule.versions()[0].rules().iter().find(|r| r.id() == "debit").unwrap();
    /// // ¥20 ÷ 0.55% = ¥3636.36…; half-up to the fen, 0.55% of ¥3635.46 is ¥19.99503 → ¥20.00.
    /// assert_eq!(debit.cap_reached_from(schedule.rounding()).map(|m| m.to_string()), Some("3635.46".into()));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn cap_reached_from(&self, rounding: Rounding) -> Option<Money> {
        let cap = self.cap?;
        if self.rate == Rate::ZERO {
            return None;
        }
        let lowest = self.amount_over.map_or(Some(0), |over| over.fen().map(|fen| fen + 1))?;
        let highest = self.amount_up_to.unwrap_or(Money::MAX_AMOUNT).min(Money::MAX_AMOUNT).fen()?;
        let reaches = |fen: i64| rounding.apply_rate(Money::from_fen(fen), self.rate) >= cap;
        if lowest > highest || !reaches(highest) {
            return None;
        }
        // The rounded fee never falls as the amount grows: bisect for the first fen that reaches.
        let (mut below, mut at) = (lowest - 1, highest);
        while at - below > 1 {
            let middle = below + (at - below) / 2;
            if reaches(middle) {
                at = middle;
            } else {
                below = middle;
            }
        }
        Some(Money::from_fen(at))
    }

    pub(crate) fn id_arc(&self) -> &CompactString {
        &self.id
    }

    fn specificity(&self) -> u8 {
        u8::from(self.amount_over.is_some() || self.amount_up_to.is_some())
            + u8::from(self.valid_from.is_some() || self.valid_until.is_some())
            + u8::from(self.merchant_class.is_some())
            + u8::from(self.card_type.is_some())
    }

    fn rank(&self) -> (i32, u8) {
        (self.priority, self.specificity())
    }

    /// Whether the rule prices `trade`, asked only of the rules of the trade's channel (a
    /// version's candidates), so the channel is not checked again here.
    #[inline]
    fn matches(&self, trade: &Matchable<'_>) -> bool {
        self.amount_over.map_or(true, |over| trade.amount > over)
            && self.amount_up_to.map_or(true, |up_to| trade.amount <= up_to)
            && self.valid_from.map_or(true, |from| trade.at >= from)
            && self.valid_until.map_or(true, |until| trade.at < until)
            && self.merchant_class.as_deref().map_or(true, |class| trade.merchant_class == Some(class))
            && self.card_type.map_or(true, |card| trade.card_type == Some(card))
    }

    /// Whether some trade could match both rules.
    fn overlaps(&self, other: &Rule) -> bool {
        let bands_meet = {
            let low = self.amount_over.max(other.amount_over);
            let high = match (self.amount_up_to, other.amount_up_to) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            match (low, high) {
                (Some(low), Some(high)) => high > low,
                _ => true,
            }
        };
        let windows_meet = {
            let start = self.valid_from.max(other.valid_from);
            let end = match (self.valid_until, other.valid_until) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            match (start, end) {
                (Some(start), Some(end)) => end > start,
                _ => true,
            }
        };
        let compatible = |a: Option<&str>, b: Option<&str>| a.is_none() || b.is_none() || a == b;
        self.channel_mask & other.channel_mask != 0
            && bands_meet
            && windows_meet
            && compatible(self.merchant_class(), other.merchant_class())
            && compatible(self.card_type.map(CardType::name), other.card_type.map(CardType::name))
    }
}

/// An add-on charged for a settlement mode (D0 / S0 instant payout, T0), as a fixed fee per
/// transaction and/or a rate; optionally only from a minimum amount, below which the trade
/// falls back to another mode (usually T1) without the add-on.
///
/// # Example
/// ```
/// let schedule = posfee::Schedule::preset("standard-d0")?;
/// let surcharge = &schedule.versions()[0].surcharges()[0];
/// assert_eq!(surcharge.fixed().to_string(), "3.00");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Surcharge {
    id: CompactString,
    modes: Vec<SettlementMode>,
    channels: Vec<Channel>,
    #[serde(skip)]
    channel_mask: u16,
    fixed: Money,
    rate: Rate,
    min_amount: Option<Money>,
    fallback: SettlementMode,
    note: Option<String>,
}

impl Surcharge {
    /// The surcharge's identifier.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard-d0")?;
    /// assert!(!schedule.versions()[0].surcharges()[0].id().is_empty());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The settlement modes it is charged for.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard-d0")?;
    /// assert!(schedule.versions()[0].surcharges()[0].modes().contains(&posfee::SettlementMode::D(0)));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn modes(&self) -> &[SettlementMode] {
        &self.modes
    }

    /// The channels it applies to (every channel when the file names none).
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard-d0")?;
    /// assert!(!schedule.versions()[0].surcharges()[0].channels().is_empty());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn channels(&self) -> &[Channel] {
        &self.channels
    }

    /// The fixed add-on per transaction.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard-d0")?;
    /// assert_eq!(schedule.versions()[0].surcharges()[0].fixed(), posfee::Money::from_yuan(3));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn fixed(&self) -> Money {
        self.fixed
    }

    /// The add-on rate.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard-d0")?;
    /// assert_eq!(schedule.versions()[0].surcharges()[0].rate(), posfee::Rate::ZERO);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// The smallest amount paid out in this mode, if any.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard-d0")?;
    /// let credit = schedule.versions()[0].surcharges().iter().find(|s| s.id() == "instant-credit").unwrap();
    /// assert_eq!(credit.min_amount(), Some(posfee::Money::from_yuan(100)));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn min_amount(&self) -> Option<Money> {
        self.min_amount
    }

    /// The mode a trade below the minimum falls back to.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard-d0")?;
    /// assert_eq!(schedule.versions()[0].surcharges()[0].fallback(), posfee::SettlementMode::T(1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn fallback(&self) -> SettlementMode {
        self.fallback
    }

    /// A free-text note.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard-d0")?;
    /// let _ = schedule.versions()[0].surcharges()[0].note();
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    pub(crate) fn id_arc(&self) -> &CompactString {
        &self.id
    }

    #[inline]
    pub(crate) fn applies_to(&self, mode: SettlementMode, channel: Channel) -> bool {
        self.channel_mask & (1 << channel as u16) != 0 && self.modes.contains(&mode)
    }
}

/// The rules and surcharges of a schedule in force from `effective_from` on.
///
/// # Example
/// ```
/// let schedule = posfee::Schedule::preset("sft-traditional")?;
/// assert_eq!(schedule.versions()[0].effective_from().to_rfc3339(), "2016-09-06T00:00:00+08:00");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    #[serde(serialize_with = "crate::settlement::rfc3339")]
    effective_from: DateTime<FixedOffset>,
    note: Option<String>,
    rules: Vec<Rule>,
    surcharges: Vec<Surcharge>,
    /// Per channel, the indices of its rules in descending rank.
    #[serde(skip)]
    candidates: [Vec<u16>; Channel::ALL.len()],
}

impl Version {
    /// When this version takes effect.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// assert!(schedule.versions()[0].effective_from().timestamp() > 0);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn effective_from(&self) -> DateTime<FixedOffset> {
        self.effective_from
    }

    /// A free-text note about the version.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// let _ = schedule.versions()[0].note();
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The rules, in file order.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// assert!(schedule.versions()[0].rules().len() >= 6);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The settlement surcharges, in file order.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// assert!(schedule.versions()[0].surcharges().is_empty());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn surcharges(&self) -> &[Surcharge] {
        &self.surcharges
    }

    /// The rule that prices a trade, if any.
    #[inline]
    fn rule_for(&self, trade: &Matchable<'_>) -> Option<&Rule> {
        self.candidates[trade.channel as usize].iter().map(|&index| &self.rules[usize::from(index)]).find(|rule| rule.matches(trade))
    }

    fn build(effective_from: DateTime<FixedOffset>, note: Option<String>, rules: Vec<Rule>, surcharges: Vec<Surcharge>) -> Version {
        let candidates = std::array::from_fn(|channel| {
            let mut indices: Vec<u16> =
                (0..rules.len() as u16).filter(|&i| rules[usize::from(i)].channel_mask & (1 << channel) != 0).collect();
            // Highest rank first, ties in file order (no general sort: small WebAssembly code).
            crate::calendar::insertion_sort_by(&mut indices, |&a, &b| rules[usize::from(a)].rank() > rules[usize::from(b)].rank());
            indices
        });
        Version { effective_from, note, rules, surcharges, candidates }
    }
}

/// The fields of a trade that rules match on.
pub(crate) struct Matchable<'a> {
    pub channel: Channel,
    pub amount: Money,
    pub at: DateTime<FixedOffset>,
    pub merchant_class: Option<&'a str>,
    pub card_type: Option<CardType>,
}

/// A merchant's fee schedule: named, with rounding, refund policy, the acquirer's cut-off,
/// and effective-dated versions of rules.
///
/// Serialized (serde), it is the schedule as every surface shows it (`Schedule.info()` in
/// JavaScript): each field with its defaults filled in, every rule and surcharge with all
/// its keys (`null` when unset), money and rates as strings. [`Schedule::to_toml`] and
/// [`Schedule::to_json`] give the schedule file instead, which leaves unset keys out.
///
/// # Example
/// ```
/// use posfee::{Channel, Money, QuoteRequest, Schedule, parse_china_time};
/// let schedule = Schedule::from_toml(r#"
/// name = "my-contract"
/// cutoff = "23:00"
/// [rounding]
/// mode = "half_up"
/// scale = 2
/// [[versions]]
/// effective_from = "2026-01-01"
/// [[versions.rules]]
/// id = "card"
/// channels = ["credit", "debit"]
/// rate = "0.68%"
/// fixed = "3"
/// "#)?;
/// let at = parse_china_time("2026-03-02 10:00")?;
/// let quote = schedule.quote(&QuoteRequest::new(Money::from_yuan(1000), Channel::Credit, at))?;
/// assert_eq!(quote.fee.to_string(), "9.80"); // 0.68% + ¥3
/// assert!(schedule.to_toml().contains("0.68%"));
/// let data = serde_json::to_value(&schedule).unwrap();
/// assert_eq!((data["cutoff"].as_str(), data["refund_policy"].as_str()), (Some("23:00"), Some("keep_fee")));
/// assert_eq!(data["versions"][0]["rules"][0]["cap"], serde_json::Value::Null);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    name: CompactString,
    title: Option<String>,
    title_zh: Option<String>,
    source: Option<String>,
    rounding: Rounding,
    refund_policy: RefundPolicy,
    cutoff: CutOff,
    versions: Vec<Version>,
}

impl Schedule {
    /// Loads and validates a schedule from TOML.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidSchedule`]: malformed TOML (with line and column), or a rule that
    /// breaks a check (overlap with no order, cap below floor, rate above
    /// [`RATE_SANITY_LIMIT`], ...), naming the version and rule.
    ///
    /// # Example
    /// ```
    /// let err = posfee::Schedule::from_toml("name = \"x\"\nversions = []").unwrap_err();
    /// assert_eq!(err.code(), "invalid_schedule");
    /// ```
    pub fn from_toml(text: &str) -> Result<Schedule> {
        file::from_toml(text)
    }

    /// Loads and validates a schedule from JSON (the same fields as the TOML form).
    ///
    /// # Errors
    /// As [`Schedule::from_toml`].
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// let again = posfee::Schedule::from_json(&schedule.to_json())?;
    /// assert_eq!(again, schedule);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Schedule> {
        file::from_json(text)
    }

    /// Loads a schedule from a `.toml` or `.json` file.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when unreadable; otherwise as [`Schedule::from_toml`] with the file named.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Schedule::from_file("missing.toml").unwrap_err().code(), "io");
    /// ```
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Schedule> {
        let path = path.as_ref();
        let text = crate::read_text_file(path)?;
        let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let parsed = if is_json { Schedule::from_json(&text) } else { Schedule::from_toml(&text) };
        parsed.map_err(|e| e.at(crate::Location::default().file(path.display().to_string())))
    }

    /// Prints the schedule as TOML, which [`Schedule::from_toml`] reads back to an equal schedule.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("sft-esign")?;
    /// assert_eq!(posfee::Schedule::from_toml(&schedule.to_toml())?, schedule);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_toml(&self) -> String {
        file::to_toml(self)
    }

    /// Prints the schedule as JSON.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Schedule::preset("standard")?.to_json().contains("\"name\""));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        file::to_json(self)
    }

    /// The schedule's name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Schedule::preset("standard")?.name(), "standard");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn name_compact(&self) -> &CompactString {
        &self.name
    }

    /// A human title, if any.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Schedule::preset("sft-smart")?.title().unwrap().contains("POS"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// The title in a language: Chinese (the schedule file's `title_zh`) when asked and given,
    /// otherwise the title ([`Schedule::title`]).
    ///
    /// # Example
    /// ```
    /// use posfee::{Lang, Schedule};
    /// let smart = Schedule::preset("sft-smart")?;
    /// assert_eq!(smart.title_in(Lang::Zh), Some("盛付通智能POS"));
    /// assert_eq!(smart.title_in(Lang::En), smart.title());
    /// let own = Schedule::from_toml("name = \"own\"\ntitle = \"Mine\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n[[versions]]\neffective_from = \"2026-01-01\"\n[[versions.rules]]\nid = \"all\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\n")?;
    /// assert_eq!(own.title_in(Lang::Zh), Some("Mine")); // no title_zh: the title
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn title_in(&self, lang: crate::Lang) -> Option<&str> {
        match lang {
            crate::Lang::Zh => self.title_zh.as_deref().or(self.title.as_deref()),
            crate::Lang::En => self.title.as_deref(),
        }
    }

    /// Where the numbers come from.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Schedule::preset("sft-traditional")?.source().is_some());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The rounding mode and scale of every fee line.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Schedule::preset("standard")?.rounding(), posfee::Rounding::FEN_HALF_UP);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn rounding(&self) -> Rounding {
        self.rounding
    }

    /// What refunds do to the original fee.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Schedule::preset("standard")?.refund_policy(), posfee::RefundPolicy::KeepFee);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn refund_policy(&self) -> RefundPolicy {
        self.refund_policy
    }

    /// The acquirer's daily cut-off.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Schedule::preset("standard")?.cutoff().to_string(), "23:00");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn cutoff(&self) -> CutOff {
        self.cutoff
    }

    /// The versions, oldest first.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Schedule::preset("standard")?.versions().len(), 1);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn versions(&self) -> &[Version] {
        &self.versions
    }

    /// A copy with another rounding rule (to compare half-up with half-even, say).
    ///
    /// # Example
    /// ```
    /// use posfee::{Rounding, RoundingMode, Schedule};
    /// let even = Schedule::preset("standard")?.with_rounding(Rounding::new(RoundingMode::HalfEven, 2)?);
    /// assert_eq!(even.rounding().mode, RoundingMode::HalfEven);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn with_rounding(&self, rounding: Rounding) -> Schedule {
        Schedule { rounding, ..self.clone() }
    }

    /// A copy with another refund policy.
    ///
    /// # Example
    /// ```
    /// use posfee::{RefundPolicy, Schedule};
    /// let s = Schedule::preset("standard")?.with_refund_policy(RefundPolicy::Proportional);
    /// assert_eq!(s.refund_policy(), RefundPolicy::Proportional);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn with_refund_policy(&self, refund_policy: RefundPolicy) -> Schedule {
        Schedule { refund_policy, ..self.clone() }
    }

    /// The merchant classes the schedule prices (every `merchant_class` of any rule of any
    /// version), sorted, each once.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Schedule::preset("standard")?.merchant_classes(), vec!["discounted", "waived"]);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn merchant_classes(&self) -> Vec<&str> {
        // A handful of classes: kept sorted by insertion (no general sort: small WebAssembly code).
        let mut classes: Vec<&str> = Vec::new();
        for class in self.versions.iter().flat_map(|v| v.rules.iter().filter_map(|r| r.merchant_class())) {
            if let Err(at) = classes.binary_search(&class) {
                classes.insert(at, class);
            }
        }
        classes
    }

    /// Whether some rule of the schedule prices `class` (no allocation, unlike
    /// [`Schedule::merchant_classes`]).
    #[cfg(feature = "reconcile")]
    pub(crate) fn has_merchant_class(&self, class: &str) -> bool {
        self.versions.iter().flat_map(|v| v.rules.iter()).any(|r| r.merchant_class() == Some(class))
    }

    /// Checks that a merchant class is one the schedule prices: a class it does not know
    /// (a typo, another case, a stray space) would silently price the trade at the standard
    /// rate, so it is an error instead.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] naming the class and the accepted ones.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// assert!(schedule.check_merchant_class(Some("discounted")).is_ok());
    /// assert!(schedule.check_merchant_class(None).is_ok());
    /// let err = schedule.check_merchant_class(Some("Discounted")).unwrap_err();
    /// assert_eq!(err.code(), "invalid_request");
    /// assert!(err.to_string().contains("\"Discounted\"") && err.to_string().contains("discounted, waived"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn check_merchant_class(&self, merchant_class: Option<&str>) -> Result<()> {
        let Some(class) = merchant_class else { return Ok(()) };
        let classes = self.merchant_classes();
        if classes.contains(&class) {
            return Ok(());
        }
        let accepted = if classes.is_empty() { "none: it prices every merchant alike".to_string() } else { classes.join(", ") };
        Err(Error::new(
            ErrorKind::InvalidRequest,
            format!(
                "merchant class {class:?} is not one schedule {:?} prices (accepted: {accepted}; leave it out for the standard rates)",
                &*self.name
            ),
        )
        .in_field("merchant_class"))
    }

    /// The version in force at `at`.
    ///
    /// # Errors
    /// [`ErrorKind::NoScheduleVersion`] when `at` is before the first version.
    ///
    /// # Example
    /// ```
    /// let schedule = posfee::Schedule::preset("standard")?;
    /// assert!(schedule.version_at(posfee::parse_china_time("2010-01-01")?).is_err());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn version_at(&self, at: DateTime<FixedOffset>) -> Result<&Version> {
        let index = self.versions.partition_point(|v| v.effective_from <= at);
        if index == 0 {
            return Err(Error::new(
                ErrorKind::NoScheduleVersion,
                format!(
                    "schedule {:?} has no version in force at {}; its first version starts {}",
                    &*self.name,
                    at.to_rfc3339(),
                    self.versions[0].effective_from.to_rfc3339()
                ),
            ));
        }
        Ok(&self.versions[index - 1])
    }

    pub(crate) fn rule_for<'v>(&self, version: &'v Version, trade: &Matchable<'_>) -> Result<&'v Rule> {
        version.rule_for(trade).ok_or_else(|| {
            let mut conditions = format!("channel {} amount ¥{}", trade.channel, trade.amount);
            if let Some(class) = trade.merchant_class {
                conditions.push_str(&format!(" merchant class {class:?}"));
            }
            if let Some(card) = trade.card_type {
                conditions.push_str(&format!(" card type {card}"));
            }
            let hint = if version.candidates[trade.channel as usize].is_empty() {
                format!("; the version has no rule for {} at all", trade.channel)
            } else if trade.card_type.is_none()
                && version.rules.iter().any(|r| r.card_type.is_some() && r.channel_mask & (1 << trade.channel as u16) != 0)
            {
                "; rules for this amount need the card type (credit or debit)".to_string()
            } else {
                String::new()
            };
            Error::new(
                ErrorKind::NoMatchingRule,
                format!(
                    "no rule of schedule {:?} (version from {}) matches {conditions} at {}{hint}",
                    &*self.name,
                    version.effective_from.to_rfc3339(),
                    trade.at.to_rfc3339()
                ),
            )
        })
    }
}

#[cfg(test)]
mod cap_reached_from_tests {
    use crate::{Money, Rounding, RoundingMode, Schedule};

    fn debit_rule(preset: &str) -> super::Rule {
        let schedule = Schedule::preset(preset).unwrap();
        schedule.versions()[0].rules().iter().find(|rule| rule.id() == "debit").unwrap().clone()
    }

    #[test]
    fn is_the_first_fen_whose_rounded_fee_reaches_the_cap() {
        for preset in ["sft-traditional", "sft-esign", "sft-smart", "standard", "standard-d0"] {
            let rule = debit_rule(preset);
            for rounding in
                [Rounding::FEN_HALF_UP, Rounding::new(RoundingMode::Down, 2).unwrap(), Rounding::new(RoundingMode::Up, 5).unwrap()]
            {
                let from = rule.cap_reached_from(rounding).unwrap();
                let cap = rule.cap().unwrap();
                assert!(rounding.apply_rate(from, rule.rate()) >= cap, "{preset} {rounding:?}");
                let before = Money::from_fen(from.fen().unwrap() - 1);
                assert!(rounding.apply_rate(before, rule.rate()) < cap, "{preset} {rounding:?}");
            }
        }
        // ¥20 ÷ 0.5% = ¥4000 exactly; half-up reaches ¥20.00 from ¥3999.00 (¥19.995).
        assert_eq!(debit_rule("standard").cap_reached_from(Rounding::FEN_HALF_UP), Some(Money::from_yuan(3999)));
        assert_eq!(debit_rule("standard").cap_reached_from(Rounding::new(RoundingMode::Down, 2).unwrap()), Some(Money::from_yuan(4000)));
    }

    #[test]
    fn none_without_a_cap_or_rate() {
        let schedule = Schedule::preset("standard").unwrap();
        let credit = schedule.versions()[0].rules().iter().find(|rule| rule.id() == "credit").unwrap();
        assert_eq!(credit.cap_reached_from(Rounding::FEN_HALF_UP), None);
    }

    #[test]
    fn respects_the_amount_band() {
        let schedule = Schedule::preset("standard").unwrap();
        let rule = schedule.versions()[0].rules().iter().find(|rule| rule.id() == "unionpay-debit").unwrap();
        // Band (1000, ∞): the cap is reached at ¥3999.00 as for plain debit.
        assert_eq!(rule.cap_reached_from(Rounding::FEN_HALF_UP), Some(Money::from_yuan(3999)));
        let narrow = Schedule::from_toml(
            r#"
name = "narrow"
[rounding]
mode = "half_up"
scale = 2
[[versions]]
effective_from = "2026-01-01"
[[versions.rules]]
id = "small"
channels = ["debit"]
rate = "0.5%"
cap = "20"
amount_up_to = "1000"
[[versions.rules]]
id = "large"
channels = ["debit"]
rate = "0.5%"
amount_over = "1000"
"#,
        )
        .unwrap();
        assert_eq!(narrow.versions()[0].rules()[0].cap_reached_from(Rounding::FEN_HALF_UP), None);
    }

    /// A debit rule at 0.5% capped at ¥20 (reached from ¥3999.00) in the band `band`.
    fn banded(band: &str) -> super::Rule {
        let text = format!(
            "name = \"banded\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n[[versions]]\neffective_from = \"2026-01-01\"\n\
             [[versions.rules]]\nid = \"band\"\nchannels = [\"debit\"]\nrate = \"0.5%\"\ncap = \"20\"\n{band}"
        );
        Schedule::from_toml(&text).unwrap().versions()[0].rules()[0].clone()
    }

    #[test]
    fn a_band_above_the_threshold_reaches_the_cap_from_its_first_fen() {
        // Every amount of (¥5000, ∞) pays the cap: the first is ¥5000.01, not ¥5000.00.
        assert_eq!(banded("amount_over = \"5000\"").cap_reached_from(Rounding::FEN_HALF_UP), Some(Money::from_fen(500_001)));
        // A band of one fen, (¥5000.00, ¥5000.01]: that fen.
        let one_fen = banded("amount_over = \"5000\"\namount_up_to = \"5000.01\"");
        assert_eq!(one_fen.cap_reached_from(Rounding::FEN_HALF_UP), Some(Money::from_fen(500_001)));
        // A band that straddles the threshold: the threshold.
        assert_eq!(
            banded("amount_over = \"3000\"\namount_up_to = \"4500\"").cap_reached_from(Rounding::FEN_HALF_UP),
            Some(Money::from_yuan(3999))
        );
    }
}

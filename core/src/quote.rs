//! Quoting a trade: fee, net amount, settlement date and an explanation.

use crate::lang::Lang;
use compact_str::CompactString;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::channel::{CardType, Channel};
use crate::error::{Error, ErrorKind, Result};
use crate::merchant_limits::{LimitWarning, MerchantLimits};
use crate::money::Money;
use crate::rate::Rate;
use crate::schedule::{Matchable, RefundPolicy, Schedule, Version};
use crate::settlement::{china_offset, SettlementMode};

/// What a quoted transaction is.
///
/// # Example
/// ```
/// assert_eq!(posfee::TradeKind::Refund.name(), "refund");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TradeKind {
    /// A purchase (消费).
    Purchase,
    /// A void (撤销): the same-day cancellation of a purchase before settlement; no fee.
    Void,
    /// A refund (退货): a later transaction returning part or all of a purchase.
    Refund,
}

impl TradeKind {
    /// `purchase`, `void` or `refund`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::TradeKind::Void.name(), "void");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            TradeKind::Purchase => "purchase",
            TradeKind::Void => "void",
            TradeKind::Refund => "refund",
        }
    }

    /// The trade amount with the sign it has in a settlement: positive for a purchase,
    /// negative for a void or refund (money going back to the cardholder).
    ///
    /// # Example
    /// ```
    /// use posfee::{Money, TradeKind};
    /// assert_eq!(TradeKind::Refund.signed_amount(Money::from_yuan(40)), -Money::from_yuan(40));
    /// ```
    pub fn signed_amount(self, amount: Money) -> Money {
        match self {
            TradeKind::Purchase => amount,
            TradeKind::Void | TradeKind::Refund => -amount,
        }
    }

    /// The net a statement row of this kind settles: the signed amount minus the fee
    /// (`amount − fee` for a purchase, `−amount − fee` for a void or refund, whose fee is
    /// negative when it is returned). `None` when the result leaves the range of [`Money`].
    ///
    /// # Example
    /// ```
    /// use posfee::{Money, TradeKind};
    /// assert_eq!(TradeKind::Purchase.net(Money::from_yuan(100), Money::from_fen(60)), Some(Money::from_fen(9_940)));
    /// assert_eq!(TradeKind::Refund.net(Money::from_yuan(40), Money::ZERO), Some(-Money::from_yuan(40)));
    /// assert_eq!(TradeKind::Refund.net(Money::from_yuan(40), -Money::from_fen(24)), Some(-Money::from_fen(3_976)));
    /// ```
    pub fn net(self, amount: Money, fee: Money) -> Option<Money> {
        self.signed_amount(amount).checked_sub(fee)
    }
}

/// Whether settlement dates may use the "weekends only" rule for years without calendar data.
///
/// # Example
/// ```
/// assert_eq!(posfee::CalendarPolicy::default(), posfee::CalendarPolicy::Strict);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarPolicy {
    /// A date outside the calendar data is an error.
    #[default]
    Strict,
    /// Outside the data, Monday to Friday count as business days; the quote is marked
    /// provisional.
    WeekendsOnly,
}

impl CalendarPolicy {
    /// The policy of a `provisional` flag, as the command line and the bindings take it:
    /// `true` is [`CalendarPolicy::WeekendsOnly`], `false` [`CalendarPolicy::Strict`].
    ///
    /// # Example
    /// ```
    /// use posfee::CalendarPolicy;
    /// assert_eq!(CalendarPolicy::provisional(true), CalendarPolicy::WeekendsOnly);
    /// assert_eq!(CalendarPolicy::provisional(false), CalendarPolicy::Strict);
    /// ```
    pub fn provisional(provisional: bool) -> CalendarPolicy {
        if provisional {
            CalendarPolicy::WeekendsOnly
        } else {
            CalendarPolicy::Strict
        }
    }
}

/// A trade to quote. Build it with [`QuoteRequest::new`] and the setters.
///
/// # Example
/// ```
/// use posfee::{Channel, Money, QuoteRequest, SettlementMode, parse_china_time};
/// let request = QuoteRequest::new(Money::from_yuan(100), Channel::Wechat, parse_china_time("2026-05-06 12:00")?)
///     .settlement(SettlementMode::D(0));
/// assert_eq!(request.settlement, SettlementMode::D(0));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRequest {
    /// The trade amount (non-negative, whole fen).
    pub amount: Money,
    /// The payment channel.
    pub channel: Channel,
    /// When the trade happened, with its UTC offset.
    pub at: DateTime<FixedOffset>,
    /// The requested settlement mode (default T1).
    pub settlement: SettlementMode,
    /// The merchant class, for schedules with class-specific rules (e.g. `discounted`).
    pub merchant_class: Option<String>,
    /// The card type behind a QR or NFC payment (implied for credit and debit).
    pub card_type: Option<CardType>,
    /// What to do when the settlement date lies in a year without calendar data.
    pub calendar_policy: CalendarPolicy,
    /// The merchant's registered limits and business hours, if the quote should warn about
    /// them (none by default). They never change the fee: a trade above a per-transaction
    /// limit or outside the hours is still priced, with [`Quote::limit_warnings`] saying why
    /// the acquirer may decline it.
    pub limits: Option<MerchantLimits>,
}

impl QuoteRequest {
    /// A request settling T1, with no merchant class or card type.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, QuoteRequest, SettlementMode, parse_china_time};
    /// let request = QuoteRequest::new(Money::from_yuan(1), Channel::Debit, parse_china_time("2026-05-06")?);
    /// assert_eq!(request.settlement, SettlementMode::T(1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(amount: Money, channel: Channel, at: DateTime<FixedOffset>) -> QuoteRequest {
        QuoteRequest {
            amount,
            channel,
            at,
            settlement: SettlementMode::T(1),
            merchant_class: None,
            card_type: None,
            calendar_policy: CalendarPolicy::Strict,
            limits: None,
        }
    }

    /// Sets the settlement mode.
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, QuoteRequest, SettlementMode, parse_china_time};
    /// let r = QuoteRequest::new(Money::ZERO, Channel::Debit, parse_china_time("2026-05-06")?).settlement(SettlementMode::S0);
    /// assert_eq!(r.settlement, SettlementMode::S0);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn settlement(mut self, settlement: SettlementMode) -> QuoteRequest {
        self.settlement = settlement;
        self
    }

    /// Sets the merchant class.
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, QuoteRequest, parse_china_time};
    /// let r = QuoteRequest::new(Money::ZERO, Channel::Debit, parse_china_time("2026-05-06")?).merchant_class("discounted");
    /// assert_eq!(r.merchant_class.as_deref(), Some("discounted"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn merchant_class(mut self, merchant_class: impl Into<String>) -> QuoteRequest {
        self.merchant_class = Some(merchant_class.into());
        self
    }

    /// Sets the card type (for UnionPay QR and QuickPass above ¥1000).
    ///
    /// # Example
    /// ```
    /// # use posfee::{CardType, Channel, Money, QuoteRequest, parse_china_time};
    /// let r = QuoteRequest::new(Money::ZERO, Channel::UnionpayQr, parse_china_time("2026-05-06")?).card_type(CardType::Debit);
    /// assert_eq!(r.card_type, Some(CardType::Debit));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn card_type(mut self, card_type: CardType) -> QuoteRequest {
        self.card_type = Some(card_type);
        self
    }

    /// Sets the calendar policy.
    ///
    /// # Example
    /// ```
    /// # use posfee::{CalendarPolicy, Channel, Money, QuoteRequest, parse_china_time};
    /// let r = QuoteRequest::new(Money::ZERO, Channel::Debit, parse_china_time("2027-05-06")?).calendar_policy(CalendarPolicy::WeekendsOnly);
    /// assert_eq!(r.calendar_policy, CalendarPolicy::WeekendsOnly);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn calendar_policy(mut self, calendar_policy: CalendarPolicy) -> QuoteRequest {
        self.calendar_policy = calendar_policy;
        self
    }

    /// Sets the merchant's limits and business hours, for the quote's
    /// [`limit_warnings`](Quote::limit_warnings).
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, MerchantLimits, Money, QuoteRequest, Schedule, parse_china_time};
    /// let request = QuoteRequest::new(Money::from_yuan(60_000), Channel::Credit, parse_china_time("2026-05-06 23:10")?)
    ///     .limits(MerchantLimits::personal_micro_merchant().business_hours("09:00-22:00".parse()?));
    /// let quote = Schedule::preset("standard")?.quote(&request)?;
    /// assert_eq!(quote.fee.to_string(), "360.00"); // priced all the same
    /// assert_eq!(quote.limit_warnings.len(), 2);
    /// assert!(quote.explanation().join("\n").contains("WARNING: 23:10 is outside the registered business hours 09:00–22:00"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn limits(mut self, limits: MerchantLimits) -> QuoteRequest {
        self.limits = Some(limits);
        self
    }
}

/// What a fee line is.
///
/// # Example
/// ```
/// assert_eq!(posfee::FeeLineKind::Surcharge.name(), "surcharge");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeLineKind {
    /// The rule's percentage fee, after its cap or floor.
    Rate,
    /// The rule's fixed fee per transaction.
    Fixed,
    /// A settlement surcharge (D0 / S0 / T0 add-on).
    Surcharge,
    /// A fee given back (void, or refund under a proportional policy).
    Returned,
}

impl FeeLineKind {
    /// The snake_case name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::FeeLineKind::Rate.name(), "rate");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            FeeLineKind::Rate => "rate",
            FeeLineKind::Fixed => "fixed",
            FeeLineKind::Surcharge => "surcharge",
            FeeLineKind::Returned => "returned",
        }
    }
}

/// Which limit of a rule changed its percentage fee.
///
/// # Example
/// ```
/// assert_eq!(posfee::Limit::Cap.name(), "cap");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The fee was lowered to the rule's cap.
    Cap,
    /// The fee was raised to the rule's floor.
    Floor,
}

impl Limit {
    /// `cap` or `floor`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Limit::Floor.name(), "floor");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Limit::Cap => "cap",
            Limit::Floor => "floor",
        }
    }
}

/// A limit that changed a fee line, with its value.
///
/// # Example
/// ```
/// use posfee::{AppliedLimit, Limit, Money};
/// let limit = AppliedLimit { kind: Limit::Cap, value: Money::from_yuan(20) };
/// assert_eq!(limit.kind.name(), "cap");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AppliedLimit {
    /// Cap or floor.
    pub kind: Limit,
    /// The cap or floor amount.
    pub value: Money,
}

/// One component of a fee: each add-on is its own line, rounded on its own.
///
/// # Example
/// ```
/// use posfee::{Channel, FeeLineKind, Money, QuoteRequest, Schedule, parse_china_time};
/// let quote = Schedule::preset("sft-traditional")?
///     .quote(&QuoteRequest::new(Money::from_yuan(5000), Channel::Debit, parse_china_time("2026-09-30 10:00")?))?;
/// let line = &quote.lines[0];
/// assert_eq!(line.kind, FeeLineKind::Rate);
/// assert_eq!(line.before_limit.to_string(), "27.50");
/// assert_eq!(line.amount.to_string(), "20.00");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeLine {
    /// What the line is.
    pub kind: FeeLineKind,
    /// The id of the rule or surcharge it comes from.
    pub source: CompactString,
    /// The rate applied, if the line has one.
    pub rate: Option<Rate>,
    /// The fixed part of the line (zero when none).
    pub fixed: Money,
    /// The line before a cap or floor (equal to `amount` when none applied).
    pub before_limit: Money,
    /// The limit that changed the line, with its value.
    pub limit: Option<AppliedLimit>,
    /// The line's amount (never negative).
    pub amount: Money,
}

/// The answer for one trade: fee, net amount, settlement date, and how they were reached.
///
/// `net` is what the merchant receives for the transaction: `amount − fee` for a purchase,
/// `−amount + fee_returned` for a void or refund. It is never clamped: when the fees exceed
/// the amount, `net` is negative and `fee_exceeds_amount` says so.
///
/// # Example
/// ```
/// use posfee::{Channel, Money, QuoteRequest, Schedule, SettlementMode, parse_china_time};
/// let schedule = Schedule::preset("standard-d0")?;
/// let request = QuoteRequest::new(Money::from_yuan(1), Channel::Debit, parse_china_time("2026-05-06 10:00")?)
///     .settlement(SettlementMode::D(0));
/// let quote = schedule.quote(&request)?;
/// assert_eq!(quote.fee.to_string(), "3.01"); // 0.5% of ¥1 rounds to ¥0.01, plus ¥3 for D0
/// assert_eq!(quote.net.to_string(), "-2.01");
/// assert!(quote.fee_exceeds_amount);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Purchase, void or refund.
    pub kind: TradeKind,
    /// The trade amount.
    pub amount: Money,
    /// The channel.
    pub channel: Channel,
    /// The fee charged by this transaction (never negative).
    pub fee: Money,
    /// The fee given back by this transaction (void, proportional refund).
    pub fee_returned: Money,
    /// What the merchant receives (negative for voids and refunds, or when fees exceed the amount).
    pub net: Money,
    /// Whether the fees exceed the amount (the merchant pays to take this payment).
    pub fee_exceeds_amount: bool,
    /// The schedule's name.
    pub schedule: CompactString,
    /// When the schedule version used took effect.
    pub version_effective_from: DateTime<FixedOffset>,
    /// The id of the rule that priced the trade.
    pub rule: CompactString,
    /// The rule's rate.
    pub rate: Rate,
    /// The fee lines, in order: rate, fixed fee, surcharges (or the returned fee).
    pub lines: Vec<FeeLine>,
    /// The settlement mode asked for.
    pub requested_settlement: SettlementMode,
    /// The settlement mode applied (differs when the amount is below an instant-payout minimum).
    pub settlement: SettlementMode,
    /// The instant-payout minimum that made the trade fall back, if it did.
    pub instant_minimum: Option<Money>,
    /// The trade day (after the acquirer's cut-off).
    pub trade_day: NaiveDate,
    /// The day the money arrives.
    pub settles_on: NaiveDate,
    /// Whether `settles_on` relied on the "weekends only" rule for a year without data.
    pub settles_on_provisional: bool,
    /// Set when the trade day falls in the last month of the calendar's holiday data: the
    /// data's last day. Settlement dates after it need the next year's holiday notice (a
    /// warning in the explanation, not an error).
    pub calendar_data_ends: Option<NaiveDate>,
    /// The limits of [`QuoteRequest::limits`] the trade reaches (per transaction, business
    /// hours); empty without limits.
    pub limit_warnings: Vec<LimitWarning>,
}

impl Quote {
    /// Whether the rule's cap lowered the fee.
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("standard")?.quote(&QuoteRequest::new(Money::from_yuan(5000), Channel::Debit, parse_china_time("2026-05-06")?))?;
    /// assert!(quote.cap_applied());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn cap_applied(&self) -> bool {
        self.lines.iter().any(|line| matches!(line.limit, Some(AppliedLimit { kind: Limit::Cap, .. })))
    }

    /// Whether the rule's floor raised the fee.
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("standard")?.quote(&QuoteRequest::new(Money::from_yuan(50), Channel::Debit, parse_china_time("2026-05-06")?))?;
    /// assert!(!quote.floor_applied());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn floor_applied(&self) -> bool {
        self.lines.iter().any(|line| matches!(line.limit, Some(AppliedLimit { kind: Limit::Floor, .. })))
    }

    /// The explanation, one sentence per line: the schedule version and rule, each fee line
    /// with its rate, cap or floor, the totals, the settlement, and any warning.
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("sft-traditional")?.quote(&QuoteRequest::new(Money::from_yuan(5000), Channel::Debit, parse_china_time("2026-09-30 22:30")?))?;
    /// let text = quote.explanation().join("\n");
    /// assert!(text.contains("debit 0.55% of ¥5000.00 = ¥27.50, capped at ¥20.00"));
    /// assert!(text.contains("settles T1 on 2026-10-08"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn explanation(&self) -> Vec<String> {
        self.explanation_in(Lang::En)
    }

    /// The explanation in `lang` ([`Quote::explanation`] is the English one).
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Lang, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("sft-traditional")?.quote(&QuoteRequest::new(Money::from_yuan(5000), Channel::Debit, parse_china_time("2026-09-30 22:30")?))?;
    /// let text = quote.explanation_in(Lang::Zh).join("\n");
    /// assert!(text.contains("借记卡 0.55% × ¥5000.00 = ¥27.50，封顶 ¥20.00"), "{text}");
    /// assert!(text.contains("按 T1 于 2026-10-08 结算"), "{text}");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn explanation_in(&self, lang: Lang) -> Vec<String> {
        crate::messages::quote_explanation(self, lang)
    }

    /// The quote in the shape every surface prints: its fields, and those a reader wants
    /// without working them out ([`QuoteJson`]).
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("standard")?.quote(&QuoteRequest::new(Money::from_yuan(5000), Channel::Debit, parse_china_time("2026-05-06")?))?;
    /// let json = serde_json::to_value(quote.json())?;
    /// assert_eq!((json["fee"].as_str(), json["cap_applied"].as_bool()), (Some("20.00"), Some(true)));
    /// assert_eq!(json["channel_zh"], "借记卡");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn json(&self) -> QuoteJson<'_> {
        self.json_in(Lang::En)
    }

    /// [`Quote::json`] with `explanation` in `lang` (`explanation_zh` is always Chinese).
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Lang, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("standard")?.quote(&QuoteRequest::new(Money::from_yuan(100), Channel::Credit, parse_china_time("2026-05-06")?))?;
    /// assert_eq!(quote.json_in(Lang::Zh).explanation, quote.json().explanation_zh);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn json_in(&self, lang: Lang) -> QuoteJson<'_> {
        QuoteJson {
            quote: self,
            channel_zh: self.channel.name_zh(),
            cap_applied: self.cap_applied(),
            floor_applied: self.floor_applied(),
            explanation: self.explanation_in(lang),
            explanation_zh: self.explanation_in(Lang::Zh),
        }
    }

    /// The quote as JSON text ([`Quote::json`], pretty-printed).
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("standard")?.quote(&QuoteRequest::new(Money::from_yuan(100), Channel::Credit, parse_china_time("2026-05-06")?))?;
    /// let json: serde_json::Value = serde_json::from_str(&quote.to_json())?;
    /// assert_eq!(json["fee"], "0.60");
    /// assert_eq!(json["settles_on"], "2026-05-07");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.json()).expect("a quote always prints as JSON")
    }

    /// The quote as a JSON value ([`Quote::json`]).
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("standard")?.quote(&QuoteRequest::new(Money::from_yuan(100), Channel::Credit, parse_china_time("2026-05-06")?))?;
    /// assert!(quote.to_json_value()["explanation"].is_array());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_json_value(&self) -> serde_json::Value {
        self.to_json_value_in(Lang::En)
    }

    /// [`Quote::to_json_value`] with the explanation in `lang` ([`Quote::json_in`]).
    ///
    /// # Example
    /// ```
    /// # use posfee::{Channel, Lang, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("standard")?.quote(&QuoteRequest::new(Money::from_yuan(100), Channel::Credit, parse_china_time("2026-05-06")?))?;
    /// assert!(quote.to_json_value_in(Lang::Zh)["explanation"][0].as_str().unwrap().contains("消费"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_json_value_in(&self, lang: Lang) -> serde_json::Value {
        serde_json::to_value(self.json_in(lang)).expect("a quote always converts to JSON")
    }
}

/// A quote as the command line (`--json`), Python (`Quote.to_json`) and JavaScript (the
/// same fields in camelCase) give it: every field of [`Quote`] at the top level, then the
/// Chinese channel label, whether a cap or floor changed the fee, and the explanation in
/// English (or the language asked for) and in Chinese. Money, rates and settlement modes are
/// strings, dates ISO 8601.
///
/// # Example
/// ```
/// # use posfee::{Channel, Money, QuoteRequest, Schedule, parse_china_time};
/// let quote = Schedule::preset("sft-traditional")?.quote(&QuoteRequest::new(Money::from_yuan(5000), Channel::Debit, parse_china_time("2026-09-30 22:30")?))?;
/// let json = serde_json::to_value(quote.json())?;
/// assert_eq!(json["lines"][0]["limit"], serde_json::json!({"kind": "cap", "value": "20.00"}));
/// assert_eq!((json["rate"].as_str(), json["settles_on"].as_str()), (Some("0.55%"), Some("2026-10-08")));
/// assert_eq!(json["limit_warnings"], serde_json::json!([]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteJson<'a> {
    /// The quote's own fields.
    pub quote: &'a Quote,
    /// The channel's Chinese label.
    pub channel_zh: &'static str,
    /// [`Quote::cap_applied`].
    pub cap_applied: bool,
    /// [`Quote::floor_applied`].
    pub floor_applied: bool,
    /// The explanation, one sentence per line, in the language asked for (English unless
    /// [`Quote::json_in`] says otherwise).
    pub explanation: Vec<String>,
    /// The explanation in Chinese.
    pub explanation_zh: Vec<String>,
}

/// Written by hand rather than derived with `#[serde(flatten)]`: a flattened struct goes
/// through serde's map path, which costs the 150 KB WebAssembly calculator over a kilobyte.
impl Serialize for QuoteJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // Every field by name, without `..`: a field added to `Quote` does not build until it
        // is written here too (the JSON is the one shape of a quote on every surface).
        let Quote {
            kind,
            amount,
            channel,
            fee,
            fee_returned,
            net,
            fee_exceeds_amount,
            schedule,
            version_effective_from,
            rule,
            rate,
            lines,
            requested_settlement,
            settlement,
            instant_minimum,
            trade_day,
            settles_on,
            settles_on_provisional,
            calendar_data_ends,
            limit_warnings,
        } = self.quote;
        let mut out = serializer.serialize_struct("Quote", 25)?;
        out.serialize_field("kind", kind)?;
        out.serialize_field("amount", amount)?;
        out.serialize_field("channel", channel)?;
        out.serialize_field("fee", fee)?;
        out.serialize_field("fee_returned", fee_returned)?;
        out.serialize_field("net", net)?;
        out.serialize_field("fee_exceeds_amount", fee_exceeds_amount)?;
        out.serialize_field("schedule", schedule)?;
        out.serialize_field("version_effective_from", &version_effective_from.to_rfc3339())?;
        out.serialize_field("rule", rule)?;
        out.serialize_field("rate", rate)?;
        out.serialize_field("lines", lines)?;
        out.serialize_field("requested_settlement", requested_settlement)?;
        out.serialize_field("settlement", settlement)?;
        out.serialize_field("instant_minimum", instant_minimum)?;
        out.serialize_field("trade_day", trade_day)?;
        out.serialize_field("settles_on", settles_on)?;
        out.serialize_field("settles_on_provisional", settles_on_provisional)?;
        out.serialize_field("calendar_data_ends", calendar_data_ends)?;
        out.serialize_field("limit_warnings", limit_warnings)?;
        out.serialize_field("channel_zh", self.channel_zh)?;
        out.serialize_field("cap_applied", &self.cap_applied)?;
        out.serialize_field("floor_applied", &self.floor_applied)?;
        out.serialize_field("explanation", &self.explanation)?;
        out.serialize_field("explanation_zh", &self.explanation_zh)?;
        out.end()
    }
}

/// A quote serializes as [`Quote::json`]: the one shape of a quote.
impl Serialize for Quote {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.json().serialize(serializer)
    }
}

impl Schedule {
    /// Quotes a purchase with the embedded China calendar.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] for a negative or sub-fen amount;
    /// [`ErrorKind::NoScheduleVersion`], [`ErrorKind::NoMatchingRule`] when the schedule does
    /// not price the trade; [`ErrorKind::CalendarOutOfRange`] when the settlement date needs
    /// a year without data (unless the request opts into [`CalendarPolicy::WeekendsOnly`]);
    /// [`ErrorKind::InvalidRequest`] when the card type contradicts the channel.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("sft-traditional")?
    ///     .quote(&QuoteRequest::new(Money::from_yuan(5000), Channel::Debit, parse_china_time("2026-09-30T22:30:00+08:00")?))?;
    /// assert_eq!((quote.fee.to_string(), quote.net.to_string()), ("20.00".into(), "4980.00".into()));
    /// assert_eq!(quote.settles_on.to_string(), "2026-10-08");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote(&self, request: &QuoteRequest) -> Result<Quote> {
        self.quote_with(request, Calendar::china())
    }

    /// Quotes a purchase with the given calendar.
    ///
    /// # Errors
    /// As [`Schedule::quote`].
    ///
    /// # Example
    /// ```
    /// use posfee::{Calendar, Channel, Money, QuoteRequest, Schedule, parse_china_time};
    /// let quote = Schedule::preset("standard")?
    ///     .quote_with(&QuoteRequest::new(Money::from_yuan(10), Channel::Alipay, parse_china_time("2026-02-13 09:00")?), Calendar::china())?;
    /// assert_eq!(quote.settles_on.to_string(), "2026-02-14"); // a make-up Saturday
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote_with(&self, request: &QuoteRequest, calendar: &Calendar) -> Result<Quote> {
        let amount = request.amount.into_amount()?;
        let card_type = resolve_card_type(request)?;
        self.check_merchant_class(request.merchant_class.as_deref())?;
        let version = self.version_at(request.at)?;
        let trade =
            Matchable { channel: request.channel, amount, at: request.at, merchant_class: request.merchant_class.as_deref(), card_type };
        let rule = self.rule_for(version, &trade)?;
        let rounding = self.rounding();
        let mut lines = Vec::with_capacity(3);

        let before_limit = rounding.apply_rate(amount, rule.rate());
        let (rate_fee, limit) = match (rule.floor(), rule.cap()) {
            (Some(floor), _) if before_limit < floor => (floor, Some(AppliedLimit { kind: Limit::Floor, value: floor })),
            (_, Some(cap)) if before_limit > cap => (cap, Some(AppliedLimit { kind: Limit::Cap, value: cap })),
            _ => (before_limit, None),
        };
        let rule_id = rule.id_arc().clone();
        lines.push(FeeLine {
            kind: FeeLineKind::Rate,
            source: rule_id.clone(),
            rate: Some(rule.rate()),
            fixed: Money::ZERO,
            before_limit,
            limit,
            amount: rate_fee,
        });
        if !rule.fixed().is_zero() {
            lines.push(FeeLine {
                kind: FeeLineKind::Fixed,
                source: rule_id.clone(),
                rate: None,
                fixed: rule.fixed(),
                before_limit: rule.fixed(),
                limit: None,
                amount: rule.fixed(),
            });
        }

        let (settlement, instant_minimum) = settlement_mode(version, request.settlement, request.channel, amount);
        for surcharge in version.surcharges().iter().filter(|s| s.applies_to(settlement, request.channel)) {
            let amount_line = rounding.apply_rate(amount, surcharge.rate()) + surcharge.fixed();
            lines.push(FeeLine {
                kind: FeeLineKind::Surcharge,
                source: surcharge.id_arc().clone(),
                rate: Some(surcharge.rate()),
                fixed: surcharge.fixed(),
                before_limit: amount_line,
                limit: None,
                amount: amount_line,
            });
        }
        let fee: Money = lines.iter().map(|line| line.amount).sum();
        debug_assert!(!fee.is_negative(), "a fee is never negative");
        let net = amount - fee;
        let (trade_day, settles_on, settles_on_provisional) = self.settlement_dates(request, settlement, calendar)?;
        Ok(Quote {
            kind: TradeKind::Purchase,
            amount,
            channel: request.channel,
            fee,
            fee_returned: Money::ZERO,
            net,
            fee_exceeds_amount: fee > amount,
            schedule: self.name_compact().clone(),
            version_effective_from: version.effective_from(),
            rule: rule_id,
            rate: rule.rate(),
            lines,
            requested_settlement: request.settlement,
            settlement,
            instant_minimum,
            trade_day,
            settles_on,
            settles_on_provisional,
            calendar_data_ends: calendar.data_ends_near(trade_day),
            limit_warnings: request
                .limits
                .as_ref()
                .map(|limits| limits.check_trade(amount, request.channel, request.at))
                .unwrap_or_default(),
        })
    }

    fn settlement_dates(
        &self,
        request: &QuoteRequest,
        settlement: SettlementMode,
        calendar: &Calendar,
    ) -> Result<(NaiveDate, NaiveDate, bool)> {
        let local = request.at.with_timezone(&china_offset()).naive_local();
        let trade_day = self.cutoff().trade_day_local(local);
        let (settles_on, provisional) = settles_on(trade_day, local.date(), settlement, request.calendar_policy, calendar)?;
        Ok((trade_day, settles_on, provisional))
    }

    /// Quotes the void (撤销) of a purchase: no fee is charged, the purchase's fee is given
    /// back, and the void's net cancels the purchase's net exactly.
    ///
    /// # Errors
    /// As [`Schedule::quote`] for the purchase.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, QuoteRequest, Schedule, TradeKind, parse_china_time};
    /// let schedule = Schedule::preset("standard")?;
    /// let purchase = QuoteRequest::new(Money::from_yuan(100), Channel::Credit, parse_china_time("2026-05-06 10:00")?);
    /// let void = schedule.quote_void(&purchase)?;
    /// assert_eq!(void.kind, TradeKind::Void);
    /// assert_eq!(void.fee, Money::ZERO);
    /// assert_eq!(void.net + schedule.quote(&purchase)?.net, Money::ZERO);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote_void(&self, purchase: &QuoteRequest) -> Result<Quote> {
        let original = self.quote(purchase)?;
        Ok(reversal(original.clone(), TradeKind::Void, original.amount, original.fee))
    }

    /// Quotes a refund (退货) of `refund_amount` made at `at` against an earlier purchase,
    /// under the schedule's refund policy: the purchase fee is kept, or returned in
    /// proportion (rounded by the schedule's rounding). Refunds carry no surcharge; they
    /// are deducted on the refund's own settlement date.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when the refund exceeds the purchase or precedes it;
    /// otherwise as [`Schedule::quote`].
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, QuoteRequest, RefundPolicy, Schedule, parse_china_time};
    /// let purchase = QuoteRequest::new(Money::from_yuan(1000), Channel::Credit, parse_china_time("2026-05-06 10:00")?);
    /// let later = parse_china_time("2026-05-08 10:00")?;
    /// let kept = Schedule::preset("standard")?.quote_refund(&purchase, Money::from_yuan(250), later)?;
    /// assert_eq!(kept.fee_returned, Money::ZERO);
    /// assert_eq!(kept.net.to_string(), "-250.00");
    /// let proportional = Schedule::preset("standard")?.with_refund_policy(RefundPolicy::Proportional);
    /// let back = proportional.quote_refund(&purchase, Money::from_yuan(250), later)?;
    /// assert_eq!(back.fee_returned.to_string(), "1.50"); // a quarter of ¥6.00
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote_refund(&self, purchase: &QuoteRequest, refund_amount: Money, at: DateTime<FixedOffset>) -> Result<Quote> {
        self.quote_refund_with(purchase, refund_amount, at, Calendar::china())
    }

    /// Quotes a refund as [`Schedule::quote_refund`] with the given calendar (for the
    /// purchase's quote and the refund's own settlement date).
    ///
    /// # Errors
    /// As [`Schedule::quote_refund`].
    ///
    /// # Example
    /// ```
    /// use posfee::{Calendar, Channel, Money, QuoteRequest, Schedule, parse_china_time};
    /// let purchase = QuoteRequest::new(Money::from_yuan(1000), Channel::Credit, parse_china_time("2026-05-06 10:00")?);
    /// let refund = Schedule::preset("standard")?
    ///     .quote_refund_with(&purchase, Money::from_yuan(10), parse_china_time("2026-09-30 10:00")?, Calendar::china())?;
    /// assert_eq!(refund.settles_on.to_string(), "2026-10-08"); // after the National Day break
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn quote_refund_with(
        &self,
        purchase: &QuoteRequest,
        refund_amount: Money,
        at: DateTime<FixedOffset>,
        calendar: &Calendar,
    ) -> Result<Quote> {
        let refund_amount = refund_amount.into_amount()?;
        let original = self.quote_with(purchase, calendar)?;
        if refund_amount > original.amount {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("refund of ¥{refund_amount} exceeds the purchase of ¥{}", original.amount),
            ));
        }
        if at < purchase.at {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("refund at {} precedes the purchase at {}", at.to_rfc3339(), purchase.at.to_rfc3339()),
            ));
        }
        let returned = match self.refund_policy() {
            RefundPolicy::KeepFee => Money::ZERO,
            RefundPolicy::Proportional => {
                let (Some(refund_fen), Some(original_fen)) = (refund_amount.fen(), original.amount.fen()) else {
                    unreachable!("amounts are whole fen after into_amount")
                };
                if original_fen == 0 {
                    Money::ZERO
                } else {
                    self.rounding().apply_ratio(original.fee, refund_fen, original_fen)?
                }
            }
        };
        let refund_request = QuoteRequest { at, ..purchase.clone() };
        let (trade_day, settles_on, settles_on_provisional) = self.settlement_dates(&refund_request, purchase.settlement, calendar)?;
        let mut quote = reversal(original, TradeKind::Refund, refund_amount, returned);
        quote.calendar_data_ends = calendar.data_ends_near(trade_day);
        quote.trade_day = trade_day;
        quote.settles_on = settles_on;
        quote.settles_on_provisional = settles_on_provisional;
        quote.settlement = purchase.settlement;
        Ok(quote)
    }
}

/// The settlement date of a trade of `trade_day` made on the local date `local_date` and
/// settling `settlement`, and whether it is provisional (only under
/// [`CalendarPolicy::WeekendsOnly`], for T+N beyond the calendar data).
#[inline]
pub(crate) fn settles_on(
    trade_day: NaiveDate,
    local_date: NaiveDate,
    settlement: SettlementMode,
    policy: CalendarPolicy,
    calendar: &Calendar,
) -> Result<(NaiveDate, bool)> {
    match settlement.settles_on(trade_day, local_date, calendar) {
        Ok(date) => Ok((date, false)),
        Err(error) if error.kind() == ErrorKind::CalendarOutOfRange && policy == CalendarPolicy::WeekendsOnly => {
            let SettlementMode::T(n) = settlement else { return Err(error) };
            let reckoned = calendar.provisional().add_business_days(trade_day, i64::from(n))?;
            Ok((reckoned.value, reckoned.provisional))
        }
        Err(error) => Err(error),
    }
}

/// A void or refund built from the original purchase quote.
fn reversal(original: Quote, kind: TradeKind, amount: Money, returned: Money) -> Quote {
    let lines = if returned.is_zero() {
        Vec::new()
    } else {
        vec![FeeLine {
            kind: FeeLineKind::Returned,
            source: original.rule.clone(),
            rate: None,
            fixed: Money::ZERO,
            before_limit: returned,
            limit: None,
            amount: returned,
        }]
    };
    Quote {
        kind,
        amount,
        fee: Money::ZERO,
        fee_returned: returned,
        net: returned - amount,
        fee_exceeds_amount: false,
        lines,
        instant_minimum: None,
        limit_warnings: Vec::new(),
        ..original
    }
}

fn resolve_card_type(request: &QuoteRequest) -> Result<Option<CardType>> {
    card_type_of(request.channel, request.card_type)
}

/// The card type behind a trade: the channel's own (credit, debit) or the one given.
pub(crate) fn card_type_of(channel: Channel, given: Option<CardType>) -> Result<Option<CardType>> {
    match (channel.card_type(), given) {
        (Some(implied), Some(given)) if implied != given => {
            Err(Error::new(ErrorKind::InvalidRequest, format!("card type {given} contradicts channel {channel}")))
        }
        (implied, given) => Ok(given.or(implied)),
    }
}

/// The settlement mode applied and, when the trade fell back, the minimum it missed.
///
/// A fallback mode may have a minimum of its own (S0 below ¥100 falls back to D0, D0 below
/// ¥200 to T1): the fallbacks are followed until a mode takes the amount, at most once per
/// surcharge (so a cycle in a schedule cannot loop). The minimum reported is the first one
/// missed, the one of the mode asked for.
pub(crate) fn settlement_mode(
    version: &Version,
    requested: SettlementMode,
    channel: Channel,
    amount: Money,
) -> (SettlementMode, Option<Money>) {
    let mut mode = requested;
    let mut first_minimum = None;
    let mut followed: Vec<usize> = Vec::new();
    loop {
        let missed = version
            .surcharges()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.applies_to(mode, channel))
            .find_map(|(k, s)| s.min_amount().filter(|&minimum| amount < minimum).map(|minimum| (k, s.fallback(), minimum)));
        match missed {
            Some((k, fallback, minimum)) if fallback != mode && !followed.contains(&k) => {
                followed.push(k);
                first_minimum.get_or_insert(minimum);
                mode = fallback;
            }
            _ => break,
        }
    }
    (mode, first_minimum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_china_time;

    fn quote(preset: &str, yuan: &str, channel: Channel) -> Quote {
        let request = QuoteRequest::new(Money::parse_amount(yuan).unwrap(), channel, parse_china_time("2026-05-06 10:00").unwrap());
        Schedule::preset(preset).unwrap().quote(&request).unwrap()
    }

    /// The names are the serde names (written out here, and checked against serde's derive).
    #[test]
    fn names_are_the_serialized_names() {
        let kinds = [FeeLineKind::Rate, FeeLineKind::Fixed, FeeLineKind::Surcharge, FeeLineKind::Returned];
        assert_eq!(kinds.map(FeeLineKind::name), ["rate", "fixed", "surcharge", "returned"]);
        for kind in kinds {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.name());
        }
        assert_eq!([Limit::Cap, Limit::Floor].map(Limit::name), ["cap", "floor"]);
        for limit in [Limit::Cap, Limit::Floor] {
            assert_eq!(serde_json::to_value(limit).unwrap(), limit.name());
        }
    }

    /// A fee exactly at the cap was not lowered by it: no limit line, `cap_applied` false. The
    /// rate is applied and rounded first: ¥4000.01 gives ¥20.00005, rounded ¥20.00, still not
    /// above the cap; ¥4001 gives ¥20.005, rounded ¥20.01, lowered to the cap.
    #[test]
    fn a_fee_exactly_at_the_cap_is_not_capped() {
        let at_cap = quote("standard", "4000.00", Channel::Debit); // 0.5% of ¥4000 = ¥20 = the cap
        assert_eq!(at_cap.fee, Money::from_yuan(20));
        assert_eq!(at_cap.lines[0].limit, None);
        assert!(!at_cap.cap_applied());
        assert_eq!(quote("standard", "4000.01", Channel::Debit).lines[0].limit, None);
        let above = quote("standard", "4001", Channel::Debit);
        assert_eq!(above.lines[0].before_limit.to_string(), "20.01");
        assert_eq!(above.lines[0].limit, Some(AppliedLimit { kind: Limit::Cap, value: Money::from_yuan(20) }));
        assert!(above.cap_applied() && !above.floor_applied());
    }

    /// The JSON of a quote: the serialized fields plus `cap_applied`, `floor_applied` and the
    /// explanation in the language asked for; `to_json` prints `to_json_value`.
    #[test]
    fn json_has_the_fields_and_the_explanation() {
        let capped = quote("sft-traditional", "5000", Channel::Debit);
        let value = capped.to_json_value();
        assert_eq!(value["fee"], "20.00");
        assert_eq!(value["net"], "4980.00");
        assert_eq!(value["settles_on"], "2026-05-07");
        assert_eq!(value["lines"][0]["limit"]["kind"], "cap");
        assert_eq!((value["cap_applied"].as_bool(), value["floor_applied"].as_bool()), (Some(true), Some(false)));
        let explanation: Vec<String> = serde_json::from_value(value["explanation"].clone()).unwrap();
        assert_eq!(explanation, capped.explanation());
        assert_eq!(serde_json::from_str::<serde_json::Value>(&capped.to_json()).unwrap(), value);
        let zh = capped.to_json_value_in(Lang::Zh);
        let explanation_zh: Vec<String> = serde_json::from_value(zh["explanation"].clone()).unwrap();
        assert_eq!(explanation_zh, capped.explanation_in(Lang::Zh));
        assert_ne!(explanation_zh, explanation);
        assert_eq!(zh["fee"], value["fee"]);
    }

    fn at(text: &str) -> DateTime<FixedOffset> {
        parse_china_time(text).unwrap()
    }

    /// standard-d0 with its refund policy changed to proportional.
    fn proportional_d0() -> Schedule {
        let text = crate::preset_toml("standard-d0").unwrap().replace("refund_policy = \"keep_fee\"", "refund_policy = \"proportional\"");
        let schedule = Schedule::from_toml(&text).unwrap();
        assert_eq!(schedule.refund_policy(), RefundPolicy::Proportional);
        schedule
    }

    /// Fees equal to the amount do not exceed it (net zero); a fen less of amount, they do.
    #[test]
    fn a_fee_equal_to_the_amount_does_not_exceed_it() {
        let schedule = Schedule::preset("standard-d0").unwrap();
        let d0 = |yuan: &str| {
            schedule
                .quote(
                    &QuoteRequest::new(Money::parse_amount(yuan).unwrap(), Channel::Debit, at("2026-05-06 10:00"))
                        .settlement(SettlementMode::D(0)),
                )
                .unwrap()
        };
        let equal = d0("3.02"); // 0.5% of ¥3.02 = ¥0.0151 → ¥0.02, plus ¥3
        assert_eq!((equal.fee.to_string(), equal.net.to_string(), equal.fee_exceeds_amount), ("3.02".into(), "0.00".into(), false));
        let below = d0("3.01");
        assert_eq!((below.fee.to_string(), below.net.to_string(), below.fee_exceeds_amount), ("3.02".into(), "-0.01".into(), true));
    }

    /// A void or refund carries its own amount, its returned-fee line only, and none of the
    /// purchase's fee flags, instant-payout fallback or limit warnings.
    #[test]
    fn reversals_keep_only_what_belongs_to_them() {
        let schedule = proportional_d0();
        // ¥50 on credit asks for D0 below its ¥100 minimum (falls back to T1), and is over the
        // ¥20 per-transaction limit given; ¥1 debit D0 pays more in fees than it is worth.
        let limits = MerchantLimits::new().with(crate::ChannelLimits::new([Channel::Credit]).per_transaction(Money::from_yuan(20)));
        let credit = QuoteRequest::new(Money::from_yuan(50), Channel::Credit, at("2026-05-06 10:00"))
            .settlement(SettlementMode::D(0))
            .limits(limits);
        let purchase = schedule.quote(&credit).unwrap();
        assert!(purchase.instant_minimum.is_some() && !purchase.limit_warnings.is_empty());
        let refund = schedule.quote_refund(&credit, Money::from_yuan(20), at("2026-05-07 10:00")).unwrap();
        assert_eq!(refund.kind, TradeKind::Refund);
        assert_eq!(refund.amount, Money::from_yuan(20));
        assert_eq!(refund.fee, Money::ZERO);
        assert_eq!(refund.fee_returned, schedule.rounding().apply_ratio(purchase.fee, 2000, 5000).unwrap());
        assert_eq!(refund.net, refund.fee_returned - Money::from_yuan(20));
        assert_eq!(refund.lines.len(), 1);
        assert_eq!((refund.lines[0].kind, refund.lines[0].amount), (FeeLineKind::Returned, refund.fee_returned));
        assert_eq!(refund.instant_minimum, None);
        assert!(refund.limit_warnings.is_empty());
        // Refunded at the very instant of the purchase: allowed; a second earlier: refused.
        assert!(schedule.quote_refund(&credit, Money::from_yuan(20), credit.at).is_ok());
        let early = schedule.quote_refund(&credit, Money::from_yuan(20), at("2026-05-06 09:59:59")).unwrap_err();
        assert_eq!(early.kind(), ErrorKind::InvalidRequest);

        let tiny = QuoteRequest::new(Money::from_yuan(1), Channel::Debit, at("2026-05-06 10:00")).settlement(SettlementMode::D(0));
        assert!(schedule.quote(&tiny).unwrap().fee_exceeds_amount);
        let void = schedule.quote_void(&tiny).unwrap();
        assert_eq!((void.kind, void.amount, void.fee_exceeds_amount), (TradeKind::Void, Money::from_yuan(1), false));
        assert_eq!(void.fee_returned.to_string(), "3.01");
        assert_eq!(void.lines.iter().map(|line| line.kind).collect::<Vec<_>>(), [FeeLineKind::Returned]);
    }

    /// Fallbacks that lead back to a mode already left (S0 below ¥100 → D0, D0 below ¥200 →
    /// S0) are followed once per surcharge: the quote ends, instead of looping forever, on the
    /// mode the cycle returns to, with the first minimum missed.
    #[test]
    fn a_cycle_of_fallbacks_is_followed_once() {
        let text = "name = \"cycle\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n[[versions]]\neffective_from = \"2026-01-01\"\n\
            [[versions.rules]]\nid = \"debit\"\nchannels = [\"debit\"]\nrate = \"0.5%\"\n\
            [[versions.surcharges]]\nid = \"s0\"\nmodes = [\"S0\"]\nfixed = \"2\"\nmin_amount = \"100\"\nfallback = \"D0\"\n\
            [[versions.surcharges]]\nid = \"d0\"\nmodes = [\"D0\"]\nfixed = \"1\"\nmin_amount = \"200\"\nfallback = \"S0\"\n";
        let schedule = Schedule::from_toml(text).unwrap();
        let quote = |yuan: i64, mode| {
            schedule.quote(&QuoteRequest::new(Money::from_yuan(yuan), Channel::Debit, at("2026-05-06 10:00")).settlement(mode)).unwrap()
        };
        let small = quote(50, SettlementMode::S0);
        assert_eq!((small.settlement, small.instant_minimum), (SettlementMode::S0, Some(Money::from_yuan(100))));
        let from_d0 = quote(50, SettlementMode::D(0));
        assert_eq!((from_d0.settlement, from_d0.instant_minimum), (SettlementMode::D(0), Some(Money::from_yuan(200))));
        let middle = quote(150, SettlementMode::D(0)); // below D0's minimum, above S0's
        assert_eq!((middle.settlement, middle.instant_minimum), (SettlementMode::S0, Some(Money::from_yuan(200))));
        assert_eq!(middle.fee.to_string(), "2.75"); // 0.5% of ¥150 = ¥0.75, plus S0's ¥2
        let large = quote(500, SettlementMode::D(0));
        assert_eq!((large.settlement, large.instant_minimum), (SettlementMode::D(0), None));
    }
}

//! The message catalogue: every sentence posfee writes for people about a reconciled row, in
//! Chinese and English side by side, so that each surface (the CLI's `--lang`, Python's
//! `lang=`, the page) shows one language all the way down.
//!
//! A row's reason is a list of [`Clause`]s (one per thing found: the fee, the settlement
//! date, the merchant number…), written once in each language when the report is built and
//! kept as a [`Text`]. Findings ([`crate::reconcile::Finding`]), the diagnosis of a charged
//! fee and the quote's explanation ([`crate::Quote::explanation_in`]) are bilingual the same
//! way. Error messages (the `error` of an unreadable line, of a trade the contract cannot
//! price) stay in English inside the Chinese text: they name files, fields and values.

use std::borrow::Cow;
use std::fmt::Write as _;

#[cfg(feature = "reconcile")]
use chrono::NaiveDate;

use crate::channel::Channel;
use crate::lang::Lang;
#[cfg(feature = "reconcile")]
use crate::money::Money;
use crate::quote::{AppliedLimit, FeeLineKind, Limit, Quote, TradeKind};
use crate::rate::Rate;

/// A text for people, in Chinese and in English.
///
/// # Example
/// ```
/// use posfee::{Lang, Text};
/// let text = Text::new("未匹配", "unmatched");
/// assert_eq!(text.get(Lang::Zh), "未匹配");
/// assert_eq!(text.get(Lang::En), "unmatched");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Text {
    zh: Cow<'static, str>,
    en: Cow<'static, str>,
}

impl Text {
    /// A text from its Chinese and English versions.
    ///
    /// # Example
    /// ```
    /// let text = posfee::Text::new("已结算", String::from("settled"));
    /// assert_eq!(text.en(), "settled");
    /// ```
    pub fn new(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Text {
        Text { zh: zh.into(), en: en.into() }
    }

    /// A text known at compile time.
    #[cfg(feature = "reconcile")]
    pub(crate) const fn fixed(zh: &'static str, en: &'static str) -> Text {
        Text { zh: Cow::Borrowed(zh), en: Cow::Borrowed(en) }
    }

    /// The text in `lang`.
    ///
    /// # Example
    /// ```
    /// use posfee::{Lang, Text};
    /// assert_eq!(Text::new("元", "yuan").get(Lang::En), "yuan");
    /// ```
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The Chinese text.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Text::new("元", "yuan").zh(), "元");
    /// ```
    pub fn zh(&self) -> &str {
        &self.zh
    }

    /// The English text.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Text::new("元", "yuan").en(), "yuan");
    /// ```
    pub fn en(&self) -> &str {
        &self.en
    }

    /// The clauses joined in each language (`; ` and `；`).
    #[cfg(feature = "reconcile")]
    pub(crate) fn of_clauses(clauses: &[Clause<'_>]) -> Text {
        let render = |lang: Lang| {
            let mut text = String::new();
            for (k, clause) in clauses.iter().enumerate() {
                if k > 0 {
                    text.push_str(lang.pick("；", "; "));
                }
                clause.write(lang, &mut text);
            }
            text
        };
        Text::new(render(Lang::Zh), render(Lang::En))
    }

    /// One clause, in each language.
    #[cfg(feature = "reconcile")]
    pub(crate) fn of(clause: Clause<'_>) -> Text {
        Text::of_clauses(std::slice::from_ref(&clause))
    }
}

#[cfg(feature = "reconcile")]
/// The reason of a matched pair with no finding.
pub(crate) const AS_CONTRACTED: Text = Text::fixed(
    "已匹配；金额、手续费、净额、结算日和商户号均与合同一致",
    "matched; amount, fee, net, settlement date and merchant number as contracted",
);
#[cfg(feature = "reconcile")]
/// The reason of a row left without any other.
pub(crate) const UNMATCHED: Text = Text::fixed("未匹配", "unmatched");

#[cfg(feature = "reconcile")]
/// Whose merchant number a statement row was booked under, in a portfolio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Whose {
    /// Not a portfolio: nothing to say.
    Unknown,
    /// Another merchant of the portfolio.
    Portfolio,
    /// A number outside the portfolio.
    Outside,
}

#[cfg(feature = "reconcile")]
/// One thing said of a row. Amounts are yuan with two decimals; texts copied from the inputs
/// (terminals, references, merchant numbers) are quoted.
#[derive(Debug, Clone)]
pub(crate) enum Clause<'a> {
    /// A statement row whose terminal no merchant of the portfolio has on that day.
    UnknownTerminal {
        terminal: &'a str,
        merchant_no: &'a str,
        date: NaiveDate,
    },
    AmountDiffers {
        statement: Money,
        ledger: Money,
    },
    DateUnchecked {
        settled: NaiveDate,
        error: String,
    },
    /// An excess that is a whole number of the extra-fee unit.
    ExtraFee {
        fee: Money,
        excess: Money,
        contract: Money,
    },
    FeeAbove {
        fee: Money,
        excess: Money,
        contract: Money,
    },
    FeeBelow {
        fee: Money,
        short: Money,
        contract: Money,
    },
    /// The fee as diagnosed ([`crate::reconcile::ChargedAs`]), already in both languages.
    Charged {
        pricing: Text,
        fee: Money,
        contract: Money,
    },
    SettledLate {
        settled: NaiveDate,
        business_days: i64,
        due: NaiveDate,
    },
    FeeUnchecked {
        fee: Money,
        error: String,
    },
    NotPriced {
        fee: Money,
        error: String,
    },
    SettledBeforeTrade {
        settled: NaiveDate,
        trade_date: NaiveDate,
    },
    NetDiffers {
        net: Money,
        signed_amount: Money,
        fee: Money,
        expected: Money,
    },
    NetOutOfRange {
        net: Money,
        signed_amount: Money,
        fee: Money,
    },
    TerminalNotRegistered {
        terminal: &'a str,
    },
    /// Booked under another merchant number, with both MCCs when they differ (跳码).
    MerchantNumber {
        booked: &'a str,
        whose: Whose,
        registered: &'a str,
        mccs: Option<(&'a str, &'a str)>,
    },
    VoidedBy {
        row: u32,
        trade_id: &'a str,
    },
    VoidOf {
        row: u32,
        original: &'a str,
    },
    VoidWithoutOriginal {
        original: &'a str,
        terminal: &'a str,
    },
    Repeats {
        ledger_side: bool,
        first: u32,
        line: u64,
    },
    NeverSettled {
        kind: TradeKind,
        amount: Money,
        terminal: &'a str,
    },
    SettlesVoided {
        row: u32,
    },
    SettlesDeclined {
        row: u32,
        code: &'a str,
    },
    NoLedgerTradeByAmount,
    NoLedgerTrade {
        rrn: &'a str,
        terminal: &'a str,
    },
    /// Declined: the response code's meaning and what the merchant should do.
    Declined {
        code: &'a str,
        zh: &'a str,
        en: &'a str,
        action_zh: &'a str,
        action_en: &'a str,
    },
    /// Declined 61/65 at a limit of the merchant's ([`LimitReached`]).
    LimitReached {
        code: &'a str,
        limit: LimitReached,
    },
    /// Declined 61/65 with limits registered, none reached.
    NoLimitExplains {
        code: &'a str,
    },
    OutsideHours {
        hours: String,
    },
    /// A line that could not be read: the error, in English.
    Unreadable {
        error: String,
    },
}

#[cfg(feature = "reconcile")]
/// Which limit a declined trade reached, with the scope in both languages.
#[derive(Debug, Clone)]
pub(crate) enum LimitReached {
    Transaction { amount: Money, limit: Money, scope_zh: String, scope_en: String },
    Day { total: Money, limit: Money, scope_zh: Option<String>, scope_en: Option<String> },
    Month { total: Money, limit: Money, scope_zh: Option<String>, scope_en: Option<String> },
    DayCount { trade: u64, limit: u32, scope_zh: String, scope_en: String },
}

fn kind_name(kind: TradeKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (_, Lang::En) => kind.name(),
        (TradeKind::Purchase, Lang::Zh) => "消费",
        (TradeKind::Void, Lang::Zh) => "撤销",
        (TradeKind::Refund, Lang::Zh) => "退货",
    }
}

#[cfg(feature = "reconcile")]
impl Clause<'_> {
    /// Appends the clause in `lang`.
    pub(crate) fn write(&self, lang: Lang, out: &mut String) {
        let zh = lang == Lang::Zh;
        let _ = match self {
            Clause::UnknownTerminal { terminal, merchant_no, date } if zh => {
                write!(out, "终端 {terminal:?}（商户号 {merchant_no:?}）在 {date} 不属于本组合的任何商户，无合同可核对")
            }
            Clause::UnknownTerminal { terminal, merchant_no, date } => write!(
                out,
                "terminal {terminal:?} (merchant number {merchant_no:?}) is registered to no merchant of the portfolio on {date}: no contract to check it against"
            ),
            Clause::AmountDiffers { statement, ledger } if zh => write!(out, "对账单金额 ¥{statement}，流水金额 ¥{ledger}"),
            Clause::AmountDiffers { statement, ledger } => write!(out, "amount ¥{statement} on the statement, ¥{ledger} in the ledger"),
            Clause::DateUnchecked { settled, error } if zh => write!(out, "结算日 {settled} 未核对：{error}"),
            Clause::DateUnchecked { settled, error } => write!(out, "settlement date {settled} not checked: {error}"),
            Clause::ExtraFee { fee, excess, contract } if zh => {
                write!(out, "手续费 ¥{fee} 含合同没有的固定 ¥{excess}（合同 ¥{contract}）")
            }
            Clause::ExtraFee { fee, excess, contract } => {
                write!(out, "fee ¥{fee} includes a fixed ¥{excess} the contract does not have (contract ¥{contract})")
            }
            Clause::FeeAbove { fee, excess, contract } if zh => write!(out, "手续费 ¥{fee} 比合同的 ¥{contract} 多 ¥{excess}"),
            Clause::FeeAbove { fee, excess, contract } => write!(out, "fee ¥{fee} is ¥{excess} above the contract's ¥{contract}"),
            Clause::FeeBelow { fee, short, contract } if zh => write!(out, "手续费 ¥{fee} 比合同的 ¥{contract} 少 ¥{short}"),
            Clause::FeeBelow { fee, short, contract } => write!(out, "fee ¥{fee} is ¥{short} below the contract's ¥{contract}"),
            Clause::Charged { pricing, fee, contract } if zh => write!(out, "{}（手续费 ¥{fee}，合同 ¥{contract}）", pricing.zh()),
            Clause::Charged { pricing, fee, contract } => write!(out, "{} (fee ¥{fee}, contract ¥{contract})", pricing.en()),
            Clause::SettledLate { settled, business_days, due } if zh => {
                write!(out, "{settled} 结算，比应结算日 {due} 晚 {business_days} 个工作日")
            }
            Clause::SettledLate { settled, business_days, due } => {
                let late = crate::text::counted(i128::from(*business_days), "business day", "business days");
                write!(out, "settled {settled}, {late} after the due date {due}")
            }
            Clause::FeeUnchecked { fee, error } if zh => write!(out, "手续费 ¥{fee} 未核对：{error}"),
            Clause::FeeUnchecked { fee, error } => write!(out, "fee ¥{fee} not checked: {error}"),
            Clause::NotPriced { fee, error } if zh => write!(out, "合同不对此交易计费（{error}）；收取手续费 ¥{fee}"),
            Clause::NotPriced { fee, error } => write!(out, "the contract does not price this trade ({error}); fee ¥{fee} charged"),
            Clause::SettledBeforeTrade { settled, trade_date } if zh => write!(out, "结算日 {settled} 早于交易日 {trade_date}"),
            Clause::SettledBeforeTrade { settled, trade_date } => {
                write!(out, "settlement date {settled} is before the trade date {trade_date}")
            }
            Clause::NetDiffers { net, signed_amount, fee, expected } if zh => {
                write!(out, "净额 ¥{net} 不等于 ¥{signed_amount} − ¥{fee} = ¥{expected}")
            }
            Clause::NetDiffers { net, signed_amount, fee, expected } => {
                write!(out, "net ¥{net} is not ¥{signed_amount} − ¥{fee} = ¥{expected}")
            }
            Clause::NetOutOfRange { net, signed_amount, fee } if zh => {
                write!(out, "净额 ¥{net}：¥{signed_amount} − ¥{fee} 超出金额范围")
            }
            Clause::NetOutOfRange { net, signed_amount, fee } => {
                write!(out, "net ¥{net}: ¥{signed_amount} − ¥{fee} is beyond the range of amounts")
            }
            Clause::TerminalNotRegistered { terminal } if zh => write!(out, "终端 {terminal:?} 未登记在该商户名下"),
            Clause::TerminalNotRegistered { terminal } => write!(out, "terminal {terminal:?} is not registered to the merchant"),
            Clause::MerchantNumber { booked, whose, registered, mccs } if zh => {
                let whose = match whose {
                    Whose::Unknown => "",
                    Whose::Portfolio => "（本组合的另一商户）",
                    Whose::Outside => "（组合以外的商户号）",
                };
                match mccs {
                    Some((booked_mcc, registered_mcc)) => write!(
                        out,
                        "入账商户号 {booked}{whose}，MCC {booked_mcc}；登记商户号 {registered}，MCC {registered_mcc}（跳码）"
                    ),
                    None => write!(out, "入账商户号 {booked}{whose}，登记商户号 {registered}"),
                }
            }
            Clause::MerchantNumber { booked, whose, registered, mccs } => {
                let whose = match whose {
                    Whose::Unknown => "",
                    Whose::Portfolio => ", another merchant of the portfolio",
                    Whose::Outside => ", a merchant number outside the portfolio",
                };
                match mccs {
                    Some((booked_mcc, registered_mcc)) => write!(
                        out,
                        "booked under merchant number {booked}{whose} with MCC {booked_mcc}, registered {registered} with MCC {registered_mcc} (跳码)"
                    ),
                    None => write!(out, "booked under merchant number {booked}{whose}, registered {registered}"),
                }
            }
            Clause::VoidedBy { row, trade_id } if zh => write!(out, "已被流水第 {row} 行撤销（交易 {trade_id}）"),
            Clause::VoidedBy { row, trade_id } => write!(out, "voided by ledger row {row} (trade {trade_id})"),
            Clause::VoidOf { row, original } if zh => write!(out, "撤销流水第 {row} 行（参考号 {original}）；不应结算"),
            Clause::VoidOf { row, original } => write!(out, "void of ledger row {row} (reference {original}); no settlement expected"),
            Clause::VoidWithoutOriginal { original, terminal } if zh => {
                write!(out, "撤销参考号 {original}（终端 {terminal:?}），但流水中没有可撤销的该笔消费")
            }
            Clause::VoidWithoutOriginal { original, terminal } => {
                write!(out, "void of reference {original} at terminal {terminal:?}, which is not an open purchase in the ledger")
            }
            Clause::Repeats { ledger_side, first, line } if zh => {
                write!(out, "重复{}第 {first} 行（第 {line} 行）", if *ledger_side { "流水" } else { "对账单" })
            }
            Clause::Repeats { ledger_side, first, line } => {
                write!(out, "repeats {} row {first} (line {line})", if *ledger_side { "ledger" } else { "statement" })
            }
            Clause::NeverSettled { kind, amount, terminal } if zh => {
                write!(out, "已批准的{} ¥{amount}（终端 {terminal:?}）在对账单中没有记录", kind_name(*kind, lang))
            }
            Clause::NeverSettled { kind, amount, terminal } => {
                write!(out, "approved {} of ¥{amount} at terminal {terminal:?} has no statement row", kind_name(*kind, lang))
            }
            Clause::SettlesVoided { row } if zh => write!(out, "结算了流水第 {row} 行，但该笔已撤销"),
            Clause::SettlesVoided { row } => write!(out, "settles ledger row {row}, which was voided"),
            Clause::SettlesDeclined { row, code } if zh => write!(out, "结算了流水第 {row} 行，但该笔被拒（应答码 {code}）"),
            Clause::SettlesDeclined { row, code } => write!(out, "settles ledger row {row}, which was declined (response code {code})"),
            Clause::NoLedgerTradeByAmount if zh => write!(out, "时间窗口内没有同终端、同金额的流水交易"),
            Clause::NoLedgerTradeByAmount => write!(out, "no ledger trade with the same terminal and amount within the time window"),
            Clause::NoLedgerTrade { rrn, terminal } if zh => write!(out, "当天没有参考号 {rrn}、终端 {terminal:?} 的流水交易"),
            Clause::NoLedgerTrade { rrn, terminal } => {
                write!(out, "no ledger trade with reference {rrn} at terminal {terminal:?} on that day")
            }
            Clause::Declined { code, zh: meaning, action_zh, .. } if zh => write!(out, "交易被拒，应答码 {code}：{meaning}；{action_zh}"),
            Clause::Declined { code, en, action_en, .. } => write!(out, "declined with response code {code}: {en}; {action_en}"),
            Clause::LimitReached { code, limit } => {
                if zh {
                    let _ = write!(out, "拒绝原因（{code}）：");
                } else {
                    let _ = write!(out, "declined {code}: ");
                }
                limit.write(lang, out)
            }
            Clause::NoLimitExplains { code } if zh => {
                write!(out, "商户登记的限额都不能解释 {code}：很可能是卡片自身的限额（请持卡人联系发卡行）")
            }
            Clause::NoLimitExplains { code } => write!(
                out,
                "no registered limit of the merchant explains {code}: the card's own limit is the likely cause (the cardholder asks the issuer)"
            ),
            Clause::OutsideHours { hours } if zh => write!(out, "交易时间不在登记的营业时间 {hours} 内（服务时间不符）"),
            Clause::OutsideHours { hours } => write!(out, "the trade was outside the registered business hours {hours} (服务时间不符)"),
            Clause::Unreadable { error } if zh => write!(out, "无法读取：{error}"),
            Clause::Unreadable { error } => write!(out, "{error}"),
        };
    }
}

#[cfg(feature = "reconcile")]
impl LimitReached {
    fn write(&self, lang: Lang, out: &mut String) -> std::fmt::Result {
        use crate::merchant_limits::yuan_grouped as yuan;
        let zh = lang == Lang::Zh;
        match self {
            LimitReached::Transaction { amount, limit, scope_zh, .. } if zh => {
                write!(out, "¥{} 超过{scope_zh}单笔限额 ¥{}", yuan(*amount), yuan(*limit))
            }
            LimitReached::Transaction { amount, limit, scope_en, .. } => {
                write!(out, "¥{} is above the ¥{} per-transaction limit ({scope_en})", yuan(*amount), yuan(*limit))
            }
            LimitReached::Day { total, limit, scope_zh, .. } if zh => {
                write!(out, "当日{}累计将达 ¥{}，超过日累计限额 ¥{}", scope_zh.as_deref().unwrap_or(""), yuan(*total), yuan(*limit))
            }
            LimitReached::Day { total, limit, scope_en, .. } => write!(
                out,
                "the day's {}total would have reached ¥{}, above the ¥{} per-day limit",
                scope_en.as_deref().map(|scope| format!("{scope} ")).unwrap_or_default(),
                yuan(*total),
                yuan(*limit)
            ),
            LimitReached::Month { total, limit, scope_zh, .. } if zh => {
                write!(out, "当月{}累计将达 ¥{}，超过月累计限额 ¥{}", scope_zh.as_deref().unwrap_or(""), yuan(*total), yuan(*limit))
            }
            LimitReached::Month { total, limit, scope_en, .. } => write!(
                out,
                "the month's {}total would have reached ¥{}, above the ¥{} per-month limit",
                scope_en.as_deref().map(|scope| format!("{scope} ")).unwrap_or_default(),
                yuan(*total),
                yuan(*limit)
            ),
            LimitReached::DayCount { trade, limit, scope_zh, .. } if zh => {
                write!(out, "这将是当日第 {trade} 笔（{scope_zh}），超过每日 {limit} 笔的限制")
            }
            LimitReached::DayCount { trade, limit, scope_en, .. } => {
                write!(out, "this would have been trade {trade} of the day ({scope_en}), above the per-day limit of {limit} trades")
            }
        }
    }
}

/// A channel's name in `lang`.
pub(crate) fn channel_name(channel: Channel, lang: Lang) -> &'static str {
    lang.pick(channel.name_zh(), channel.name())
}

/// The explanation of a quote, one sentence per line, in `lang` ([`crate::Quote::explanation_in`]).
pub(crate) fn quote_explanation(quote: &Quote, lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let channel = channel_name(quote.channel, lang);
    let amount = quote.amount;
    let mut lines = vec![if zh {
        format!(
            "{}{channel} ¥{amount}，费率表 {}（{} 起生效的版本），规则 `{}`",
            kind_name(quote.kind, lang),
            quote.schedule,
            quote.version_effective_from.to_rfc3339(),
            quote.rule
        )
    } else {
        format!(
            "{} {channel} ¥{amount} under schedule {} (version from {}), rule `{}`",
            kind_name(quote.kind, lang),
            quote.schedule,
            quote.version_effective_from.to_rfc3339(),
            quote.rule
        )
    }];
    for line in &quote.lines {
        let mut text = String::new();
        let _ = match line.kind {
            FeeLineKind::Rate if zh => {
                write!(text, "{channel} {} × ¥{amount} = ¥{}", line.rate.unwrap_or(Rate::ZERO), line.before_limit)
            }
            FeeLineKind::Rate => write!(text, "{channel} {} of ¥{amount} = ¥{}", line.rate.unwrap_or(Rate::ZERO), line.before_limit),
            FeeLineKind::Fixed if zh => write!(text, "每笔固定手续费 ¥{}", line.amount),
            FeeLineKind::Fixed => write!(text, "fixed fee per transaction ¥{}", line.amount),
            FeeLineKind::Surcharge => {
                if zh {
                    let _ = write!(text, "{} 附加费 `{}`：", quote.settlement, line.source);
                } else {
                    let _ = write!(text, "surcharge `{}` for {}: ", line.source, quote.settlement);
                }
                let of = if zh { "×" } else { "of" };
                match (line.rate.filter(|r| *r != Rate::ZERO), line.fixed.is_zero()) {
                    (Some(rate), true) => write!(text, "{rate} {of} ¥{amount} = ¥{}", line.amount),
                    (Some(rate), false) => write!(text, "{rate} {of} ¥{amount} + ¥{} = ¥{}", line.fixed, line.amount),
                    (None, _) if zh => write!(text, "每笔 ¥{}", line.amount),
                    (None, _) => write!(text, "¥{} per transaction", line.amount),
                }
            }
            FeeLineKind::Returned if zh => write!(text, "退还手续费 ¥{}", line.amount),
            FeeLineKind::Returned => write!(text, "fee returned ¥{}", line.amount),
        };
        if let Some(AppliedLimit { kind, value }) = line.limit {
            let _ = match (kind, zh) {
                (Limit::Cap, true) => write!(text, "，封顶 ¥{value}"),
                (Limit::Cap, false) => write!(text, ", capped at ¥{value}"),
                (Limit::Floor, true) => write!(text, "，按保底 ¥{value}"),
                (Limit::Floor, false) => write!(text, ", raised to the floor of ¥{value}"),
            };
        }
        lines.push(text);
    }
    let (fee, returned, net) = (quote.fee, quote.fee_returned, quote.net.to_yuan_string());
    lines.push(match (quote.kind, zh) {
        (TradeKind::Purchase, true) => format!("手续费 ¥{fee}；净额 {net}"),
        (TradeKind::Purchase, false) => format!("fee ¥{fee}; net {net}"),
        (TradeKind::Void, true) => format!("撤销：结算前取消原消费；不收手续费，退还原消费手续费 ¥{returned}，净额 {net}"),
        (TradeKind::Void, false) => {
            format!("void: cancels the purchase before settlement; no fee is charged, the purchase fee ¥{returned} is returned, net {net}")
        }
        (TradeKind::Refund, true) => format!("退货：退还手续费 ¥{returned}；净额 {net}"),
        (TradeKind::Refund, false) => format!("refund: fee returned ¥{returned}; net {net}"),
    });
    if let Some(minimum) = quote.instant_minimum {
        let (requested, settlement) = (quote.requested_settlement, quote.settlement);
        lines.push(if zh {
            format!("{requested} 至少需要 ¥{minimum}；¥{amount} 改按 {settlement} 结算，不收附加费")
        } else {
            format!("{requested} needs at least ¥{minimum}; ¥{amount} falls back to {settlement} without the surcharge")
        });
    }
    let (day, settlement, settles_on) = (quote.trade_day, quote.settlement, quote.settles_on);
    lines.push(match (zh, quote.settles_on_provisional) {
        (true, false) => format!("交易日 {day}；按 {settlement} 于 {settles_on} 结算"),
        (true, true) => format!("交易日 {day}；按 {settlement} 于 {settles_on} 结算（暂定：该年没有节假日数据，只按周末计算）"),
        (false, false) => format!("trade day {day}; settles {settlement} on {settles_on}"),
        (false, true) => {
            format!("trade day {day}; settles {settlement} on {settles_on} (provisional: no holiday data for that year, weekends only)")
        }
    });
    if let Some(last) = quote.calendar_data_ends {
        let next = chrono::Datelike::year(&last) + 1;
        lines.push(if zh {
            format!("注意：节假日数据截至 {last}；此后的结算日需要 {next} 年的节假日安排（公布后加载）")
        } else {
            format!("NOTE: the holiday data ends {last}; settlement dates after it need the holiday notice of {next} (load it when it is published)")
        });
    }
    for warning in &quote.limit_warnings {
        lines.push(if zh { format!("警告：{}", warning.zh) } else { format!("WARNING: {}", warning.en) });
    }
    if quote.fee_exceeds_amount {
        lines.push(if zh {
            format!("警告：手续费 ¥{fee} 超过金额 ¥{amount}；商户实收 {net}")
        } else {
            format!("WARNING: the fees ¥{fee} exceed the amount ¥{amount}; the merchant receives {net}")
        });
    }
    lines
}

#[cfg(all(test, feature = "reconcile"))]
mod tests {
    use super::*;

    #[test]
    fn clauses_join_in_each_language() {
        let text = Text::of_clauses(&[
            Clause::FeeAbove { fee: Money::from_yuan(34), excess: Money::from_yuan(4), contract: Money::from_yuan(30) },
            Clause::TerminalNotRegistered { terminal: "T9" },
        ]);
        assert_eq!(text.en(), "fee ¥34.00 is ¥4.00 above the contract's ¥30.00; terminal \"T9\" is not registered to the merchant");
        assert_eq!(text.zh(), "手续费 ¥34.00 比合同的 ¥30.00 多 ¥4.00；终端 \"T9\" 未登记在该商户名下");
    }

    #[test]
    fn one_business_day_is_singular() {
        let due = NaiveDate::from_ymd_opt(2026, 10, 8).unwrap();
        let settled = NaiveDate::from_ymd_opt(2026, 10, 9).unwrap();
        let one = Text::of(Clause::SettledLate { settled, business_days: 1, due });
        assert_eq!(one.en(), "settled 2026-10-09, 1 business day after the due date 2026-10-08");
        assert_eq!(one.zh(), "2026-10-09 结算，比应结算日 2026-10-08 晚 1 个工作日");
        let two = Text::of(Clause::SettledLate { settled, business_days: 2, due });
        assert!(two.en().contains("2 business days after"));
    }

    #[test]
    fn every_clause_has_chinese_without_english_words() {
        // The Chinese text of each clause carries no English sentence (errors aside).
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let yuan = Money::from_yuan(1);
        let clauses = [
            Clause::UnknownTerminal { terminal: "T", merchant_no: "M", date: day },
            Clause::AmountDiffers { statement: yuan, ledger: yuan },
            Clause::ExtraFee { fee: yuan, excess: yuan, contract: yuan },
            Clause::FeeAbove { fee: yuan, excess: yuan, contract: yuan },
            Clause::FeeBelow { fee: yuan, short: yuan, contract: yuan },
            Clause::Charged { pricing: Text::fixed("按0.68%收费", "charged 0.68%"), fee: yuan, contract: yuan },
            Clause::SettledLate { settled: day, business_days: 2, due: day },
            Clause::SettledBeforeTrade { settled: day, trade_date: day },
            Clause::NetDiffers { net: yuan, signed_amount: yuan, fee: yuan, expected: yuan },
            Clause::NetOutOfRange { net: yuan, signed_amount: yuan, fee: yuan },
            Clause::TerminalNotRegistered { terminal: "T" },
            Clause::MerchantNumber { booked: "1", whose: Whose::Portfolio, registered: "2", mccs: Some(("5812", "5411")) },
            Clause::MerchantNumber { booked: "1", whose: Whose::Outside, registered: "2", mccs: None },
            Clause::VoidedBy { row: 1, trade_id: "A" },
            Clause::VoidOf { row: 1, original: "R" },
            Clause::VoidWithoutOriginal { original: "R", terminal: "T" },
            Clause::Repeats { ledger_side: true, first: 1, line: 2 },
            Clause::NeverSettled { kind: TradeKind::Refund, amount: yuan, terminal: "T" },
            Clause::SettlesVoided { row: 1 },
            Clause::SettlesDeclined { row: 1, code: "51" },
            Clause::NoLedgerTradeByAmount,
            Clause::NoLedgerTrade { rrn: "R", terminal: "T" },
            Clause::Declined {
                code: "51",
                zh: "余额不足",
                en: "insufficient funds",
                action_zh: "请持卡人换卡",
                action_en: "use another card",
            },
            Clause::LimitReached { code: "61", limit: LimitReached::Day { total: yuan, limit: yuan, scope_zh: None, scope_en: None } },
            Clause::NoLimitExplains { code: "65" },
            Clause::OutsideHours { hours: "08:00-22:00".into() },
        ];
        for clause in &clauses {
            let text = Text::of(clause.clone());
            let english_words = text.zh().split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 3).count();
            assert_eq!(english_words, 0, "{:?}", text.zh());
            assert!(!text.en().is_empty());
            assert_ne!(text.zh(), text.en());
        }
    }

    #[test]
    fn quote_explanations_are_one_language() {
        use crate::{parse_china_time, presets, QuoteRequest, Schedule, SettlementMode};
        let mut seen = 0;
        for preset in presets() {
            let schedule = Schedule::preset(preset).unwrap();
            for channel in [Channel::Credit, Channel::Debit, Channel::Wechat] {
                for settlement in [SettlementMode::T(1), SettlementMode::D(0), SettlementMode::S0] {
                    for yuan in [1, 5000] {
                        let request = QuoteRequest::new(Money::from_yuan(yuan), channel, parse_china_time("2026-09-30 22:30").unwrap())
                            .settlement(settlement);
                        let Ok(quote) = schedule.quote(&request) else { continue };
                        seen += 1;
                        let zh = quote.explanation_in(Lang::Zh);
                        let en = quote.explanation_in(Lang::En);
                        assert_eq!(zh.len(), en.len());
                        for line in &zh {
                            // Only names (rule ids, schedule names, settlement modes) may be
                            // ASCII words; the sentences are Chinese.
                            assert!(line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{line}");
                            for word in ["of", "fee", "settles", "capped", "under", "trade", "day", "net"] {
                                assert!(!line.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == word), "{word} in {line}");
                            }
                        }
                    }
                }
            }
        }
        assert!(seen > 20, "{seen}");
    }
}

//! A merchant's registered amount limits and business hours (交易限额, 营业时间): the reasons an
//! acquirer declines a trade with 61 (over amount limit), 65 (over count limit), or refuses
//! it as outside the registered service time (服务时间不符).
//!
//! Limits are held per group of channels: per transaction, per day, per month, and a count
//! per day. A day is the calendar day in China time; a month the calendar month.
//!
//! Not to be confused with [`CONFIG_BYTES_MAX`](crate::CONFIG_BYTES_MAX) and its kin, the size
//! limits on configuration text.
//!
//! ```
//! use posfee::{Channel, Money, MerchantLimits, parse_china_time};
//! let limits = MerchantLimits::personal_micro_merchant().business_hours("08:00-22:00".parse()?);
//! let warnings = limits.check_trade(Money::from_yuan(60_000), Channel::Credit, parse_china_time("2026-03-02 23:30")?);
//! assert_eq!(warnings.len(), 2);
//! assert_eq!(warnings[0].en, "¥60,000.00 is above the ¥50,000.00 per-transaction limit (every channel)");
//! assert_eq!(warnings[1].en, "23:30 is outside the registered business hours 08:00–22:00");
//! # Ok::<(), posfee::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::channel::Channel;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::settlement::{china_offset, parse_hour_minute, HourMinute};

/// The most channel groups a [`MerchantLimits`] may hold.
pub const CHANNEL_LIMITS_MAX: usize = 64;

/// Which limit a trade reached.
///
/// # Example
/// ```
/// use posfee::LimitKind;
/// assert_eq!((LimitKind::PerDay.name(), LimitKind::PerDay.name_zh()), ("per_day", "单日限额"));
/// assert_eq!(serde_json::to_string(&LimitKind::BusinessHours).unwrap(), "\"business_hours\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// The most one trade may be.
    PerTransaction,
    /// The most the trades of one day may add up to.
    PerDay,
    /// The most the trades of one calendar month may add up to.
    PerMonth,
    /// The most trades one day may have.
    PerDayCount,
    /// The registered business hours.
    BusinessHours,
}

impl LimitKind {
    /// The snake_case name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::LimitKind::PerTransaction.name(), "per_transaction");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            LimitKind::PerTransaction => "per_transaction",
            LimitKind::PerDay => "per_day",
            LimitKind::PerMonth => "per_month",
            LimitKind::PerDayCount => "per_day_count",
            LimitKind::BusinessHours => "business_hours",
        }
    }

    /// The Chinese name.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::LimitKind::PerTransaction.name_zh(), "单笔限额");
    /// ```
    pub const fn name_zh(self) -> &'static str {
        match self {
            LimitKind::PerTransaction => "单笔限额",
            LimitKind::PerDay => "单日限额",
            LimitKind::PerMonth => "单月限额",
            LimitKind::PerDayCount => "单日笔数限制",
            LimitKind::BusinessHours => "营业时间",
        }
    }
}

/// Amount limits for a group of channels.
///
/// # Example
/// ```
/// use posfee::{Channel, ChannelLimits, Money};
/// let cards = ChannelLimits::new([Channel::Credit, Channel::Debit]).per_transaction(Money::from_yuan(20_000)).per_day(Money::from_yuan(100_000));
/// assert!(cards.applies_to(Channel::Debit) && !cards.applies_to(Channel::Wechat));
/// assert_eq!(cards.scope_en(), "credit/debit");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelLimits {
    /// The channels the limits cover together (a per-day limit is on their sum); empty: every
    /// channel.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// The most one trade may be.
    #[serde(default)]
    pub per_transaction: Option<Money>,
    /// The most one day's trades may add up to.
    #[serde(default)]
    pub per_day: Option<Money>,
    /// The most one calendar month's trades may add up to.
    #[serde(default)]
    pub per_month: Option<Money>,
    /// The most trades one day may have.
    #[serde(default)]
    pub per_day_count: Option<u32>,
}

impl ChannelLimits {
    /// No limits yet, for these channels (none: every channel).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::ChannelLimits::new([]).applies_to(posfee::Channel::Alipay));
    /// ```
    pub fn new(channels: impl IntoIterator<Item = Channel>) -> ChannelLimits {
        ChannelLimits {
            channels: channels.into_iter().collect(),
            per_transaction: None,
            per_day: None,
            per_month: None,
            per_day_count: None,
        }
    }

    /// Sets the per-transaction limit.
    ///
    /// # Example
    /// ```
    /// # use posfee::{ChannelLimits, Money};
    /// assert_eq!(ChannelLimits::new([]).per_transaction(Money::from_yuan(500)).per_transaction, Some(Money::from_yuan(500)));
    /// ```
    pub fn per_transaction(mut self, limit: Money) -> ChannelLimits {
        self.per_transaction = Some(limit);
        self
    }

    /// Sets the per-day limit.
    ///
    /// # Example
    /// ```
    /// # use posfee::{ChannelLimits, Money};
    /// assert_eq!(ChannelLimits::new([]).per_day(Money::from_yuan(500)).per_day, Some(Money::from_yuan(500)));
    /// ```
    pub fn per_day(mut self, limit: Money) -> ChannelLimits {
        self.per_day = Some(limit);
        self
    }

    /// Sets the per-month limit.
    ///
    /// # Example
    /// ```
    /// # use posfee::{ChannelLimits, Money};
    /// assert!(ChannelLimits::new([]).per_month(Money::from_yuan(9000)).per_month.is_some());
    /// ```
    pub fn per_month(mut self, limit: Money) -> ChannelLimits {
        self.per_month = Some(limit);
        self
    }

    /// Sets the most trades per day.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::ChannelLimits::new([]).per_day_count(30).per_day_count, Some(30));
    /// ```
    pub fn per_day_count(mut self, limit: u32) -> ChannelLimits {
        self.per_day_count = Some(limit);
        self
    }

    /// Whether the limits cover `channel`.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, ChannelLimits};
    /// assert!(!ChannelLimits::new([Channel::Wechat]).applies_to(Channel::Credit));
    /// ```
    pub fn applies_to(&self, channel: Channel) -> bool {
        self.channels.is_empty() || self.channels.contains(&channel)
    }

    /// The channels covered, in English (`every channel`, or the names joined by `/`).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::ChannelLimits::new([]).scope_en(), "every channel");
    /// ```
    pub fn scope_en(&self) -> String {
        if self.channels.is_empty() {
            "every channel".to_string()
        } else {
            self.channels.iter().map(|channel| channel.name()).collect::<Vec<_>>().join("/")
        }
    }

    /// The channels covered, in Chinese (`全部渠道`, or the names joined by `/`).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::ChannelLimits::new([posfee::Channel::Credit, posfee::Channel::Wechat]).scope_zh(), "贷记卡/微信");
    /// ```
    pub fn scope_zh(&self) -> String {
        if self.channels.is_empty() {
            "全部渠道".to_string()
        } else {
            self.channels.iter().map(|channel| channel.name_zh()).collect::<Vec<_>>().join("/")
        }
    }

    fn validate(&self, index: usize) -> Result<()> {
        let field = |name: &str| format!("limits[{index}].{name}");
        for (name, limit) in [("per_transaction", self.per_transaction), ("per_day", self.per_day), ("per_month", self.per_month)] {
            if let Some(limit) = limit {
                if limit <= Money::ZERO {
                    return Err(Error::new(ErrorKind::InvalidRequest, format!("limit {} = ¥{limit} is not above zero", field(name)))
                        .in_field(field(name)));
                }
            }
        }
        if self.per_day_count == Some(0) {
            return Err(Error::new(ErrorKind::InvalidRequest, format!("limit {} = 0 allows no trade", field("per_day_count")))
                .in_field(field("per_day_count")));
        }
        Ok(())
    }
}

/// Registered business hours in China time, the same every day. A closing time at or before
/// the opening time runs past midnight (`18:00-02:00`).
///
/// # Example
/// ```
/// use posfee::{BusinessHours, parse_china_time};
/// let night: BusinessHours = "18:00-02:00".parse()?;
/// assert!(night.contains(parse_china_time("2026-03-02 01:59")?));
/// assert!(!night.contains(parse_china_time("2026-03-02 02:00")?));
/// assert_eq!(night.to_string(), "18:00–02:00");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BusinessHours {
    /// When the merchant opens (China time).
    pub opens: NaiveTime,
    /// When the merchant closes (China time; a trade at this time is outside the hours).
    pub closes: NaiveTime,
}

impl BusinessHours {
    /// Business hours from `opens` to `closes`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when the two are equal (leave the hours out for a
    /// merchant open all day).
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveTime;
    /// let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    /// assert!(posfee::BusinessHours::new(nine, nine).is_err());
    /// ```
    pub fn new(opens: NaiveTime, closes: NaiveTime) -> Result<BusinessHours> {
        if opens == closes {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("business hours open and close at the same time {}; leave them out for a merchant open all day", HourMinute(opens)),
            )
            .in_field("business_hours"));
        }
        Ok(BusinessHours { opens, closes })
    }

    /// Whether a trade at `at` (converted to China time) falls within the hours.
    ///
    /// # Example
    /// ```
    /// use posfee::{BusinessHours, parse_china_time};
    /// let day: BusinessHours = "08:00-22:00".parse()?;
    /// assert!(day.contains(parse_china_time("2026-03-02T13:59:00Z")?)); // 21:59 in China
    /// assert!(!day.contains(parse_china_time("2026-03-02T14:00:00Z")?));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn contains(&self, at: DateTime<FixedOffset>) -> bool {
        let time = at.with_timezone(&china_offset()).time();
        if self.opens < self.closes {
            self.opens <= time && time < self.closes
        } else {
            time >= self.opens || time < self.closes
        }
    }
}

impl FromStr for BusinessHours {
    type Err = Error;

    /// Parses `HH:MM-HH:MM` (China time; `–` also separates).
    fn from_str(text: &str) -> Result<BusinessHours> {
        let bad = || {
            Error::new(ErrorKind::InvalidRequest, format!("business hours {text:?} are not HH:MM-HH:MM, such as 08:00-22:00"))
                .in_field("business_hours")
        };
        let (opens, closes) = text.trim().split_once(['-', '–']).ok_or_else(bad)?;
        let time = |part: &str| parse_hour_minute(part.trim()).ok_or_else(bad);
        BusinessHours::new(time(opens)?, time(closes)?)
    }
}

impl fmt::Display for BusinessHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", HourMinute(self.opens), HourMinute(self.closes))
    }
}

impl Serialize for BusinessHours {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!("{}-{}", HourMinute(self.opens), HourMinute(self.closes)))
    }
}

/// A warning that a trade reaches a limit or falls outside the business hours.
///
/// # Example
/// ```
/// use posfee::{Channel, LimitKind, Money, MerchantLimits, parse_china_time};
/// let warnings = MerchantLimits::personal_static_code().check_trade(Money::from_yuan(800), Channel::Wechat, parse_china_time("2026-03-02 12:00")?);
/// assert_eq!(warnings[0].kind, LimitKind::PerTransaction);
/// assert_eq!(warnings[0].zh, "¥800.00 超过单笔限额 ¥500.00（微信/支付宝/银联二维码/花呗/京东白条）");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LimitWarning {
    /// The limit reached.
    pub kind: LimitKind,
    /// In English.
    pub en: String,
    /// In Chinese.
    pub zh: String,
}

/// A merchant's registered limits per group of channels, and business hours.
///
/// # Example
/// ```
/// use posfee::{Channel, ChannelLimits, MerchantLimits, Money};
/// let limits = MerchantLimits::new()
///     .with(ChannelLimits::new([Channel::Credit, Channel::Debit]).per_transaction(Money::from_yuan(20_000)))
///     .business_hours("09:00-21:00".parse()?);
/// assert_eq!(limits.channel_limits.len(), 1);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MerchantLimits {
    /// Limits per group of channels; a trade is checked against every group covering its
    /// channel.
    pub channel_limits: Vec<ChannelLimits>,
    /// The registered business hours (`None`: any time).
    pub business_hours: Option<BusinessHours>,
}

/// The file format of [`MerchantLimits::from_toml`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsFile {
    #[serde(default)]
    preset: Option<String>,
    #[serde(default)]
    business_hours: Option<String>,
    #[serde(default)]
    limits: Vec<ChannelLimits>,
}

impl MerchantLimits {
    /// No limits and no hours.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::MerchantLimits::new().channel_limits.is_empty());
    /// ```
    pub fn new() -> MerchantLimits {
        MerchantLimits::default()
    }

    /// The common practice for a personal micro-merchant (个人小微商户, registered with an
    /// identity card): ¥50,000 per transaction and ¥200,000 per day over every channel. This is
    /// market practice, not a regulation: acquirers set their own, so load the merchant's
    /// contract where it differs (shared/DOMAIN.md §4).
    ///
    /// # Example
    /// ```
    /// use posfee::{MerchantLimits, Money};
    /// let limits = MerchantLimits::personal_micro_merchant();
    /// assert_eq!(limits.channel_limits[0].per_transaction, Some(Money::from_yuan(50_000)));
    /// assert_eq!(limits.channel_limits[0].per_day, Some(Money::from_yuan(200_000)));
    /// ```
    pub fn personal_micro_merchant() -> MerchantLimits {
        MerchantLimits::new().with(ChannelLimits::new([]).per_transaction(Money::from_yuan(50_000)).per_day(Money::from_yuan(200_000)))
    }

    /// A merchant paid through a static QR code (a printed code, 静态条码), on the QR
    /// channels: at most ¥500 a payment.
    ///
    /// The rule is the People's Bank of China's 条码支付业务规范（试行） (银发〔2017〕296号, in
    /// force from 2018-04-01): a static code is the lowest risk level (D), and one payer's
    /// static-code payments through one bank or payment institution may add up to at most
    /// ¥500 a day. The ¥500 is per payer, so a merchant's daily total through a static code may
    /// exceed it; what surely follows for the merchant is that no single static-code payment
    /// exceeds ¥500, which is the limit this preset holds. Since 2022-03-01 (银发〔2021〕259号)
    /// personal collection codes may not be used for business at all: a business uses a
    /// merchant collection code (特约商户收款码), whose limits the acquirer sets.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, MerchantLimits, Money};
    /// let limits = MerchantLimits::personal_static_code();
    /// assert!(limits.channel_limits[0].applies_to(Channel::Alipay));
    /// assert!(!limits.channel_limits[0].applies_to(Channel::Credit));
    /// assert_eq!(limits.channel_limits[0].per_transaction, Some(Money::from_yuan(500)));
    /// ```
    pub fn personal_static_code() -> MerchantLimits {
        let qr = [Channel::Wechat, Channel::Alipay, Channel::UnionpayQr, Channel::Huabei, Channel::JdBaitiao];
        MerchantLimits::new().with(ChannelLimits::new(qr).per_transaction(Money::from_yuan(500)))
    }

    /// The named preset: `personal-micro-merchant` or `personal-static-code`.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownPreset`] naming the name and the known ones.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::MerchantLimits::preset("personal-micro-merchant").is_ok());
    /// assert_eq!(posfee::MerchantLimits::preset("vip").unwrap_err().code(), "unknown_preset");
    /// ```
    pub fn preset(name: &str) -> Result<MerchantLimits> {
        match name.trim() {
            "personal-micro-merchant" => Ok(MerchantLimits::personal_micro_merchant()),
            "personal-static-code" => Ok(MerchantLimits::personal_static_code()),
            other => Err(Error::new(
                ErrorKind::UnknownPreset,
                format!("limits preset {other:?} is not one of personal-micro-merchant, personal-static-code"),
            )
            .in_field("preset")),
        }
    }

    /// Reads a limits file (the TOML of [`MerchantLimits::from_toml`]).
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the file cannot be read; the errors of
    /// [`MerchantLimits::from_toml`], with the file named in their location.
    ///
    /// # Example
    /// ```
    /// let path = std::env::temp_dir().join("posfee-doc-limits.toml");
    /// std::fs::write(&path, "business_hours = \"08:00-22:00\"")?;
    /// assert!(posfee::MerchantLimits::from_file(&path)?.business_hours.is_some());
    /// std::fs::write(&path, "business_hours = \"late\"")?;
    /// let err = posfee::MerchantLimits::from_file(&path).unwrap_err();
    /// assert_eq!(err.location().file.as_deref(), Some(path.display().to_string().as_str()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<MerchantLimits> {
        let path = path.as_ref();
        let text = crate::read_text_file(path)?;
        MerchantLimits::from_toml(&text).map_err(|e| e.at(crate::error::Location::default().file(path.display().to_string())))
    }

    /// A preset name ([`MerchantLimits::preset`]) or the path of a limits file
    /// ([`MerchantLimits::from_file`]): the one form the command line's `--limits` and
    /// Python's `limits=` take.
    ///
    /// # Errors
    /// [`ErrorKind::UnknownPreset`] for a name that is neither a preset nor a path (no `/`,
    /// `.` or existing file); otherwise as [`MerchantLimits::from_file`].
    ///
    /// # Example
    /// ```
    /// use posfee::MerchantLimits;
    /// assert_eq!(MerchantLimits::load("personal-static-code")?, MerchantLimits::personal_static_code());
    /// assert_eq!(MerchantLimits::load("no-such-preset").unwrap_err().code(), "unknown_preset");
    /// assert_eq!(MerchantLimits::load("missing/limits.toml").unwrap_err().code(), "io");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn load(preset_or_path: &str) -> Result<MerchantLimits> {
        let looks_like_path =
            preset_or_path.contains(['/', '.', std::path::MAIN_SEPARATOR]) || std::path::Path::new(preset_or_path).exists();
        if looks_like_path && MerchantLimits::preset(preset_or_path).is_err() {
            return MerchantLimits::from_file(preset_or_path);
        }
        MerchantLimits::preset(preset_or_path)
    }

    /// Adds the limits of a group of channels.
    ///
    /// # Example
    /// ```
    /// use posfee::{ChannelLimits, MerchantLimits, Money};
    /// let limits = MerchantLimits::personal_micro_merchant().with(ChannelLimits::new([]).per_month(Money::from_yuan(1_000_000)));
    /// assert_eq!(limits.channel_limits.len(), 2);
    /// ```
    pub fn with(mut self, limits: ChannelLimits) -> MerchantLimits {
        self.channel_limits.push(limits);
        self
    }

    /// Sets the business hours.
    ///
    /// # Example
    /// ```
    /// let limits = posfee::MerchantLimits::new().business_hours("10:00-02:00".parse()?);
    /// assert_eq!(limits.business_hours.unwrap().to_string(), "10:00–02:00");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn business_hours(mut self, hours: BusinessHours) -> MerchantLimits {
        self.business_hours = Some(hours);
        self
    }

    /// Reads limits from TOML: an optional `preset` to start from, optional
    /// `business_hours = "08:00-22:00"`, and `[[limits]]` tables with `channels` (names;
    /// omitted: every channel), `per_transaction`, `per_day`, `per_month` (amounts in yuan, as
    /// strings) and `per_day_count`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] naming the field for malformed TOML, an unknown key or
    /// channel, a limit not above zero, bad hours; [`ErrorKind::UnknownPreset`] for an unknown
    /// preset.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, MerchantLimits, Money};
    /// let limits = MerchantLimits::from_toml(r#"
    ///     preset = "personal-micro-merchant"
    ///     business_hours = "08:00-22:00"
    ///     [[limits]]
    ///     channels = ["credit"]
    ///     per_month = "1000000"
    /// "#)?;
    /// assert_eq!(limits.channel_limits.len(), 2);
    /// assert_eq!(limits.channel_limits[1].channels, [Channel::Credit]);
    /// assert_eq!(limits.channel_limits[1].per_month, Some(Money::from_yuan(1_000_000)));
    /// let err = MerchantLimits::from_toml("[[limits]]\nper_day = \"0\"").unwrap_err();
    /// assert_eq!(err.location().field.as_deref(), Some("limits[0].per_day"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_toml(text: &str) -> Result<MerchantLimits> {
        crate::limits::check_config_text(text, ErrorKind::InvalidRequest, "the merchant limits TOML")?;
        let file: LimitsFile = toml::from_str(text).map_err(|e| {
            Error::new(ErrorKind::InvalidRequest, format!("merchant limits TOML is not valid: {}", e.to_string().trim_end()))
        })?;
        MerchantLimits::from_parts(file.preset.as_deref(), file.business_hours.as_deref(), file.limits)
    }

    /// Limits from the parts of a limits file ([`MerchantLimits::from_toml`]) already read:
    /// the preset to start from, the business hours (`HH:MM-HH:MM`) and further groups of
    /// channel limits; then [`MerchantLimits::validate`]. The JavaScript binding reads its
    /// `limits` object into these parts.
    ///
    /// # Errors
    /// As [`MerchantLimits::from_toml`], for the parts.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, ChannelLimits, MerchantLimits, Money};
    /// let credit = ChannelLimits::new([Channel::Credit]).per_transaction(Money::from_yuan(20_000));
    /// let limits = MerchantLimits::from_parts(Some("personal-micro-merchant"), Some("08:00-22:00"), vec![credit])?;
    /// assert_eq!((limits.channel_limits.len(), limits.business_hours.unwrap().to_string()), (2, "08:00–22:00".to_string()));
    /// let err = MerchantLimits::from_parts(None, None, vec![ChannelLimits::new([]).per_day_count(0)]).unwrap_err();
    /// assert_eq!(err.location().field.as_deref(), Some("limits[0].per_day_count"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_parts(preset: Option<&str>, business_hours: Option<&str>, channel_limits: Vec<ChannelLimits>) -> Result<MerchantLimits> {
        let mut limits = match preset {
            Some(name) => MerchantLimits::preset(name)?,
            None => MerchantLimits::new(),
        };
        if let Some(hours) = business_hours {
            limits.business_hours = Some(hours.parse()?);
        }
        limits.channel_limits.extend(channel_limits);
        limits.validate()?;
        Ok(limits)
    }

    /// Checks every limit for sense: amounts above zero, counts above zero, at most
    /// [`CHANNEL_LIMITS_MAX`] groups.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] naming the field (`limits[INDEX].per_day`, ...).
    ///
    /// # Example
    /// ```
    /// use posfee::{ChannelLimits, MerchantLimits, Money};
    /// assert!(MerchantLimits::new().with(ChannelLimits::new([]).per_day(Money::from_fen(-1))).validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        if self.channel_limits.len() > CHANNEL_LIMITS_MAX {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("{} groups of channel limits; at most {CHANNEL_LIMITS_MAX}", self.channel_limits.len()),
            )
            .in_field("limits"));
        }
        for (index, limits) in self.channel_limits.iter().enumerate() {
            limits.validate(index)?;
        }
        Ok(())
    }

    /// What a single trade would run into: a per-transaction limit of a group covering its
    /// channel, and the business hours. (Per-day and per-month limits need the day's other
    /// trades: reconciliation checks those.)
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, MerchantLimits, parse_china_time};
    /// let limits = MerchantLimits::personal_micro_merchant();
    /// assert!(limits.check_trade(Money::from_yuan(50_000), Channel::Debit, parse_china_time("2026-03-02 12:00")?).is_empty());
    /// assert_eq!(limits.check_trade(Money::from_fen(5_000_001), Channel::Debit, parse_china_time("2026-03-02 12:00")?).len(), 1);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn check_trade(&self, amount: Money, channel: Channel, at: DateTime<FixedOffset>) -> Vec<LimitWarning> {
        let mut warnings = Vec::new();
        for limits in self.channel_limits.iter().filter(|limits| limits.applies_to(channel)) {
            if let Some(limit) = limits.per_transaction.filter(|&limit| amount > limit) {
                warnings.push(LimitWarning {
                    kind: LimitKind::PerTransaction,
                    en: format!(
                        "¥{} is above the ¥{} per-transaction limit ({})",
                        yuan_grouped(amount),
                        yuan_grouped(limit),
                        limits.scope_en()
                    ),
                    zh: format!("¥{} 超过单笔限额 ¥{}（{}）", yuan_grouped(amount), yuan_grouped(limit), limits.scope_zh()),
                });
            }
        }
        if let Some(hours) = self.business_hours.filter(|hours| !hours.contains(at)) {
            let time = HourMinute(at.with_timezone(&china_offset()).time());
            warnings.push(LimitWarning {
                kind: LimitKind::BusinessHours,
                en: format!("{time} is outside the registered business hours {hours}"),
                zh: format!("{time} 不在登记的营业时间 {hours} 内（服务时间不符）"),
            });
        }
        warnings
    }
}

/// `¥`-less yuan with thousands separators: `203000.00` → `203,000.00`.
pub(crate) fn yuan_grouped(amount: Money) -> String {
    let text = amount.to_string();
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |rest| ("-", rest));
    let (whole, fraction) = digits.split_once('.').map_or((digits, None), |(whole, fraction)| (whole, Some(fraction)));
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3);
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settlement::parse_china_time;

    #[test]
    fn grouped_yuan() {
        for (fen, text) in [(0, "0.00"), (99, "0.99"), (100_000, "1,000.00"), (20_300_000, "203,000.00"), (-123_456_789, "-1,234,567.89")] {
            assert_eq!(yuan_grouped(Money::from_fen(fen)), text, "{fen}");
        }
    }

    #[test]
    fn hours_edges() {
        let day: BusinessHours = "08:00-22:00".parse().unwrap();
        let at = |text: &str| parse_china_time(text).unwrap();
        assert!(!day.contains(at("2026-03-02 07:59:59")));
        assert!(day.contains(at("2026-03-02 08:00")));
        assert!(!day.contains(at("2026-03-02 22:00")));
        let night: BusinessHours = "22:00–06:00".parse().unwrap();
        assert!(
            night.contains(at("2026-03-02 22:00")) && night.contains(at("2026-03-02 00:00")) && !night.contains(at("2026-03-02 06:00"))
        );
        for bad in ["8-22", "08:00", "25:00-26:00", "08:00-08:00", ""] {
            let err = bad.parse::<BusinessHours>().unwrap_err();
            assert_eq!((err.code(), err.location().field.as_deref()), ("invalid_request", Some("business_hours")), "{bad}");
            assert!(err.message().contains("business hours"), "{bad}: {err}");
        }
    }

    #[test]
    fn toml_errors_name_the_field() {
        for (text, field, words) in [
            ("[[limits]]\nper_transaction = \"-5\"", Some("limits[0].per_transaction"), "not above zero"),
            ("[[limits]]\nper_day_count = 0", Some("limits[0].per_day_count"), "allows no trade"),
            ("[[limits]]\nchannels = [\"cash\"]", None, "cash"),
            ("[[limits]]\nper_week = \"5\"", None, "per_week"),
            ("business_hours = \"all day\"", Some("business_hours"), "all day"),
            ("preset = \"vip\"", Some("preset"), "vip"),
        ] {
            let err = MerchantLimits::from_toml(text).unwrap_err();
            assert_eq!(err.location().field.as_deref(), field, "{text}: {err}");
            assert!(err.message().contains(words), "{text}: {err}");
        }
        let many = "[[limits]]\nper_day = \"1\"\n".repeat(CHANNEL_LIMITS_MAX + 1);
        assert!(MerchantLimits::from_toml(&many).unwrap_err().message().contains("at most"));
    }

    #[test]
    fn trade_checks_every_group_of_its_channel() {
        let limits =
            MerchantLimits::personal_micro_merchant().with(ChannelLimits::new([Channel::Credit]).per_transaction(Money::from_yuan(20_000)));
        let at = parse_china_time("2026-03-02 12:00").unwrap();
        assert_eq!(limits.check_trade(Money::from_yuan(30_000), Channel::Credit, at).len(), 1);
        assert_eq!(limits.check_trade(Money::from_yuan(30_000), Channel::Debit, at).len(), 0);
        assert_eq!(limits.check_trade(Money::from_yuan(60_000), Channel::Credit, at).len(), 2);
        assert!(MerchantLimits::new().check_trade(Money::MAX, Channel::Credit, at).is_empty());
    }
}

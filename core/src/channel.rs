//! Payment channels and card types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind, Result};

/// How the customer paid: a bank card or a QR / wallet channel.
///
/// Parses from the English names below (case-insensitive, `-` or space for `_`) and from
/// the usual Chinese labels (贷记卡, 借记卡, 微信, 支付宝, 银联二维码, 云闪付, 花呗, 京东白条).
///
/// # Example
/// ```
/// use posfee::Channel;
/// assert_eq!(Channel::parse("UnionPay-QR")?, Channel::UnionpayQr);
/// assert_eq!(Channel::parse("借记卡")?, Channel::Debit);
/// assert_eq!(Channel::Debit.to_string(), "debit");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Channel {
    /// Credit card (贷记卡).
    Credit = 0,
    /// Debit card (借记卡).
    Debit = 1,
    /// WeChat Pay QR (微信).
    Wechat = 2,
    /// Alipay QR (支付宝).
    Alipay = 3,
    /// UnionPay QR code (银联二维码).
    UnionpayQr = 4,
    /// UnionPay QuickPass contactless / NFC (闪付, 云闪付).
    Quickpass = 5,
    /// Alipay Huabei consumer credit (花呗).
    Huabei = 6,
    /// JD Baitiao consumer credit (京东白条).
    JdBaitiao = 7,
}

impl Channel {
    /// Every channel, in order.
    pub const ALL: [Channel; 8] = [
        Channel::Credit,
        Channel::Debit,
        Channel::Wechat,
        Channel::Alipay,
        Channel::UnionpayQr,
        Channel::Quickpass,
        Channel::Huabei,
        Channel::JdBaitiao,
    ];

    /// The canonical name (`unionpay_qr`).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Channel::JdBaitiao.name(), "jd_baitiao");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Channel::Credit => "credit",
            Channel::Debit => "debit",
            Channel::Wechat => "wechat",
            Channel::Alipay => "alipay",
            Channel::UnionpayQr => "unionpay_qr",
            Channel::Quickpass => "quickpass",
            Channel::Huabei => "huabei",
            Channel::JdBaitiao => "jd_baitiao",
        }
    }

    /// The Chinese label (`借记卡`).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Channel::Wechat.name_zh(), "微信");
    /// ```
    pub const fn name_zh(self) -> &'static str {
        match self {
            Channel::Credit => "贷记卡",
            Channel::Debit => "借记卡",
            Channel::Wechat => "微信",
            Channel::Alipay => "支付宝",
            Channel::UnionpayQr => "银联二维码",
            Channel::Quickpass => "云闪付",
            Channel::Huabei => "花呗",
            Channel::JdBaitiao => "京东白条",
        }
    }

    /// The card type a channel implies: credit and debit cards imply themselves; QR and
    /// wallet channels imply none (a UnionPay QR payment may still carry one).
    ///
    /// # Example
    /// ```
    /// use posfee::{CardType, Channel};
    /// assert_eq!(Channel::Debit.card_type(), Some(CardType::Debit));
    /// assert_eq!(Channel::Wechat.card_type(), None);
    /// ```
    pub const fn card_type(self) -> Option<CardType> {
        match self {
            Channel::Credit => Some(CardType::Credit),
            Channel::Debit => Some(CardType::Debit),
            _ => None,
        }
    }

    /// The channel with the given index (`channel as u8`), for columnar storage.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Channel::from_index(1), Some(posfee::Channel::Debit));
    /// assert_eq!(posfee::Channel::from_index(8), None);
    /// ```
    pub const fn from_index(index: u8) -> Option<Channel> {
        if (index as usize) < Channel::ALL.len() {
            Some(Channel::ALL[index as usize])
        } else {
            None
        }
    }

    /// Parses a channel name or Chinese label.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidChannel`] naming the text and listing the known channels.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Channel::parse("visa").unwrap_err().to_string().contains("\"visa\""));
    /// ```
    pub fn parse(text: &str) -> Result<Channel> {
        // The usual spellings, the common case in files and tables, need no allocation.
        if let Some(channel) = Channel::spelled(text) {
            return Ok(channel);
        }
        match Channel::spelled(&text.trim().to_ascii_lowercase().replace(['-', ' '], "_")) {
            Some(channel) => Ok(channel),
            None => {
                let known: Vec<&str> = Channel::ALL.iter().map(|c| c.name()).collect();
                Err(Error::new(ErrorKind::InvalidChannel, format!("channel {text:?} is not known; expected one of {}", known.join(", "))))
            }
        }
    }

    /// The channel a spelling names, as written (lower case, `_` between words).
    fn spelled(key: &str) -> Option<Channel> {
        Some(match key {
            "credit" | "credit_card" | "贷记卡" | "信用卡" => Channel::Credit,
            "debit" | "debit_card" | "借记卡" | "储蓄卡" => Channel::Debit,
            "wechat" | "wechat_pay" | "weixin" | "微信" | "微信支付" => Channel::Wechat,
            "alipay" | "支付宝" => Channel::Alipay,
            "unionpay_qr" | "银联二维码" | "银联扫码" => Channel::UnionpayQr,
            "quickpass" | "nfc" | "闪付" | "云闪付" => Channel::Quickpass,
            "huabei" | "花呗" => Channel::Huabei,
            "jd_baitiao" | "baitiao" | "京东白条" | "白条" => Channel::JdBaitiao,
            _ => return None,
        })
    }
}

/// A channel's names and the card type it implies: an entry of a list to choose from (the
/// page's channel menu).
///
/// # Example
/// ```
/// use posfee::{Channel, ChannelInfo};
/// let debit = ChannelInfo::from(Channel::Debit);
/// assert_eq!((debit.name, debit.name_zh, debit.card_type), ("debit", "借记卡", Some("debit")));
/// assert_eq!(ChannelInfo::from(Channel::Wechat).card_type, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ChannelInfo {
    /// [`Channel::name`].
    pub name: &'static str,
    /// [`Channel::name_zh`].
    pub name_zh: &'static str,
    /// The name of [`Channel::card_type`].
    pub card_type: Option<&'static str>,
}

impl From<Channel> for ChannelInfo {
    fn from(channel: Channel) -> ChannelInfo {
        ChannelInfo { name: channel.name(), name_zh: channel.name_zh(), card_type: channel.card_type().map(CardType::name) }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl FromStr for Channel {
    type Err = Error;
    fn from_str(text: &str) -> Result<Channel> {
        Channel::parse(text)
    }
}

impl Serialize for Channel {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Channel, D::Error> {
        let text = String::deserialize(deserializer)?;
        Channel::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The kind of bank card behind a payment, which decides the regulated issuer fee.
///
/// # Example
/// ```
/// assert_eq!(posfee::CardType::parse("贷记卡")?, posfee::CardType::Credit);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CardType {
    /// Credit card (贷记卡).
    Credit,
    /// Debit card (借记卡).
    Debit,
}

impl CardType {
    /// `credit` or `debit`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::CardType::Debit.name(), "debit");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            CardType::Credit => "credit",
            CardType::Debit => "debit",
        }
    }

    /// Parses `credit` / `debit` or the Chinese labels.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidChannel`] naming the text.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::CardType::parse("prepaid").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<CardType> {
        match Channel::parse(text)?.card_type() {
            Some(card_type) => Ok(card_type),
            None => Err(Error::new(ErrorKind::InvalidChannel, format!("card type {text:?} is not credit or debit"))),
        }
    }
}

impl fmt::Display for CardType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl Serialize for CardType {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for CardType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<CardType, D::Error> {
        let text = String::deserialize(deserializer)?;
        CardType::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.name()).unwrap(), channel);
            assert_eq!(Channel::parse(channel.name_zh()).unwrap(), channel);
            assert_eq!(Channel::from_index(channel as u8), Some(channel));
        }
    }

    #[test]
    fn unknown_channel_lists_known_ones() {
        let err = Channel::parse("amex").unwrap_err();
        assert!(err.to_string().contains("unionpay_qr"));
    }
}

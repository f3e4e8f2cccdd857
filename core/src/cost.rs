//! The regulated cost split of a card fee: issuer service fee, network service fee, and
//! the acquirer's remaining margin, with the caps kept as data (`core/data/cost/`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::channel::CardType;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::rate::Rate;
use crate::rounding::Rounding;

const EMBEDDED_NDRC_2016: &str = include_str!("../data/cost/ndrc-2016.toml");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CappedRate {
    rate: Rate,
    #[serde(default)]
    cap: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IssuerRates {
    debit: CappedRate,
    credit: CappedRate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct NetworkRates {
    rate_per_side: Rate,
    cap_per_side: Option<Money>,
}

/// The regulated caps on the issuer and network service fees (the 2016 reform by default).
///
/// # Example
/// ```
/// use posfee::{CardFee, CardType, CostModel, Money};
/// let split = CostModel::ndrc_2016().split(&CardFee::new(Money::from_yuan(1000), CardType::Credit, Money::from_yuan(6)))?;
/// assert_eq!(split.issuer_fee.to_string(), "4.50");          // 0.45%
/// assert_eq!(split.network_fee_issuer_side.to_string(), "0.33"); // 0.0325%, half-up
/// assert_eq!(split.network_fee_acquirer_side.to_string(), "0.33");
/// assert_eq!(split.acquirer_margin.to_string(), "0.84");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostModel {
    name: String,
    source: String,
    effective_from: String,
    #[serde(default)]
    exempt_merchant_classes: Vec<String>,
    issuer: IssuerRates,
    network: NetworkRates,
}

/// A card fee to split: the trade amount, the card type and the fee the merchant paid.
///
/// # Example
/// ```
/// use posfee::{CardFee, CardType, Money};
/// let fee = CardFee::new(Money::from_yuan(5000), CardType::Debit, Money::from_yuan(20)).merchant_class("waived");
/// assert_eq!(fee.merchant_class.as_deref(), Some("waived"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardFee {
    /// The trade amount.
    pub amount: Money,
    /// Credit or debit.
    pub card_type: CardType,
    /// The fee the merchant paid.
    pub merchant_fee: Money,
    /// The merchant class (`waived` is exempt from issuer and network fees).
    pub merchant_class: Option<String>,
}

impl CardFee {
    /// A card fee of a standard merchant.
    ///
    /// # Example
    /// ```
    /// use posfee::{CardFee, CardType, Money};
    /// assert_eq!(CardFee::new(Money::from_yuan(1), CardType::Debit, Money::ZERO).merchant_class, None);
    /// ```
    pub fn new(amount: Money, card_type: CardType, merchant_fee: Money) -> CardFee {
        CardFee { amount, card_type, merchant_fee, merchant_class: None }
    }

    /// Sets the merchant class.
    ///
    /// # Example
    /// ```
    /// use posfee::{CardFee, CardType, Money};
    /// let fee = CardFee::new(Money::from_yuan(1), CardType::Debit, Money::ZERO).merchant_class("discounted");
    /// assert_eq!(fee.merchant_class.as_deref(), Some("discounted"));
    /// ```
    pub fn merchant_class(mut self, merchant_class: impl Into<String>) -> CardFee {
        self.merchant_class = Some(merchant_class.into());
        self
    }
}

/// Where a card fee goes. `acquirer_margin` is what remains and may be negative (an
/// acquirer pricing below cost) — it is reported, never clamped.
///
/// # Example
/// ```
/// use posfee::{CardFee, CardType, CostModel, Money};
/// // Debit ¥5000 at 0.5% capped ¥20: issuer 0.35% capped ¥13; network ¥1.63 per side.
/// let split = CostModel::ndrc_2016().split(&CardFee::new(Money::from_yuan(5000), CardType::Debit, Money::from_yuan(20)))?;
/// assert_eq!(split.issuer_fee, Money::from_yuan(13));
/// assert_eq!(split.acquirer_margin.to_string(), "3.74");
/// assert!(split.issuer_cap_applied);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostSplit {
    /// The merchant's fee being split.
    pub merchant_fee: Money,
    /// Issuer service fee (发卡行服务费).
    pub issuer_fee: Money,
    /// Whether the issuer fee hit its cap.
    pub issuer_cap_applied: bool,
    /// Network service fee (网络服务费) charged on the issuer side.
    pub network_fee_issuer_side: Money,
    /// Network service fee charged on the acquirer side.
    pub network_fee_acquirer_side: Money,
    /// What remains for the acquirer (收单服务费); negative when the fee is below cost.
    pub acquirer_margin: Money,
    /// Whether the merchant class is exempt from issuer and network fees.
    pub exempt: bool,
}

impl CostModel {
    /// The caps of NDRC 发改价格〔2016〕557号 (from 2016-09-06): issuer debit 0.35% max ¥13,
    /// credit 0.45%; network 0.0325% per side, max ¥3.25 each.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::CostModel::ndrc_2016().name(), "ndrc-2016");
    /// ```
    pub fn ndrc_2016() -> &'static CostModel {
        static MODEL: OnceLock<CostModel> = OnceLock::new();
        MODEL.get_or_init(|| CostModel::from_toml(EMBEDDED_NDRC_2016).expect("the embedded cost model is valid (checked by tests)"))
    }

    /// Loads a cost model from TOML (the format of `core/data/cost/ndrc-2016.toml`).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidSchedule`] for malformed data.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::CostModel::from_toml("name = 1").is_err());
    /// ```
    pub fn from_toml(text: &str) -> Result<CostModel> {
        crate::limits::check_config_text(text, ErrorKind::InvalidSchedule, "the cost model TOML")?;
        toml::from_str(text)
            .map_err(|e| Error::new(ErrorKind::InvalidSchedule, format!("cost model TOML is not valid: {}", e.to_string().trim_end())))
    }

    /// The model's name.
    ///
    /// # Example
    /// ```
    /// assert!(!posfee::CostModel::ndrc_2016().name().is_empty());
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the caps come from.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::CostModel::ndrc_2016().source().contains("557"));
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Splits a card fee, each part rounded half-up to the fen.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] for a negative amount or fee.
    ///
    /// # Example
    /// ```
    /// use posfee::{CardFee, CardType, CostModel, Money};
    /// let waived = CardFee::new(Money::from_yuan(100), CardType::Credit, Money::ZERO).merchant_class("waived");
    /// let split = CostModel::ndrc_2016().split(&waived)?;
    /// assert!(split.exempt && split.issuer_fee.is_zero() && split.acquirer_margin.is_zero());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn split(&self, fee: &CardFee) -> Result<CostSplit> {
        let amount = fee.amount.into_amount()?;
        if fee.merchant_fee.is_negative() {
            return Err(Error::new(ErrorKind::InvalidAmount, format!("merchant fee ¥{} is negative", fee.merchant_fee)));
        }
        let exempt = fee.merchant_class.as_deref().is_some_and(|class| self.exempt_merchant_classes.iter().any(|c| c == class));
        let capped = |rate: Rate, cap: Option<Money>| -> (Money, bool) {
            if exempt {
                return (Money::ZERO, false);
            }
            let raw = Rounding::FEN_HALF_UP.apply_rate(amount, rate);
            match cap {
                Some(cap) if raw > cap => (cap, true),
                _ => (raw, false),
            }
        };
        let issuer = match fee.card_type {
            CardType::Debit => &self.issuer.debit,
            CardType::Credit => &self.issuer.credit,
        };
        let (issuer_fee, issuer_cap_applied) = capped(issuer.rate, issuer.cap);
        let (network_fee, _) = capped(self.network.rate_per_side, self.network.cap_per_side);
        Ok(CostSplit {
            merchant_fee: fee.merchant_fee,
            issuer_fee,
            issuer_cap_applied,
            network_fee_issuer_side: network_fee,
            network_fee_acquirer_side: network_fee,
            acquirer_margin: fee.merchant_fee - issuer_fee - network_fee - network_fee,
            exempt,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_apply_at_their_boundaries() {
        let model = CostModel::ndrc_2016();
        // Issuer debit 0.35% reaches ¥13 at ¥3714.29; network 0.0325% reaches ¥3.25 at ¥10000.
        let split = model.split(&CardFee::new(Money::parse("3714.28").unwrap(), CardType::Debit, Money::from_yuan(18))).unwrap();
        assert_eq!(split.issuer_fee.to_string(), "13.00"); // 12.99998 rounds to 13.00 without the cap
        assert!(!split.issuer_cap_applied);
        let split = model.split(&CardFee::new(Money::from_yuan(20_000), CardType::Credit, Money::from_yuan(120))).unwrap();
        assert_eq!(split.network_fee_acquirer_side.to_string(), "3.25");
        assert_eq!(split.issuer_fee.to_string(), "90.00");
        assert_eq!(split.acquirer_margin.to_string(), "23.50");
    }

    #[test]
    fn margin_can_be_negative_and_is_reported() {
        let split = CostModel::ndrc_2016().split(&CardFee::new(Money::from_yuan(1000), CardType::Credit, Money::from_yuan(3))).unwrap();
        assert!(split.acquirer_margin.is_negative());
    }
}

//! Merchant numbers (商户号) and the merchant's registered profile.

use crate::error::{Error, ErrorKind, Result};
use crate::merchant_limits::MerchantLimits;
use crate::settlement::SettlementMode;

/// A 15-digit UnionPay merchant number: acquirer (3) + area (4) + MCC (4) + serial (4).
///
/// # Example
/// ```
/// let number = posfee::reconcile::MerchantNumber::parse("102310058120001")?;
/// assert_eq!((number.acquirer(), number.area(), number.mcc(), number.serial()), ("102", "3100", "5812", "0001"));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MerchantNumber {
    digits: String,
}

impl MerchantNumber {
    /// Parses a merchant number (surrounding spaces ignored).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRecord`] naming the text when it is not 15 ASCII digits.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::MerchantNumber::parse("12345").unwrap_err().code(), "invalid_record");
    /// ```
    pub fn parse(text: &str) -> Result<MerchantNumber> {
        let digits = text.trim();
        if digits.len() != 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::new(
                ErrorKind::InvalidRecord,
                format!("merchant number {text:?} is not 15 digits (acquirer 3 + area 4 + MCC 4 + serial 4)"),
            )
            .in_field("merchant_no"));
        }
        Ok(MerchantNumber { digits: digits.to_string() })
    }

    /// The whole number.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::MerchantNumber::parse("102310058120001")?.as_str(), "102310058120001");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The acquirer code (digits 1–3).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::MerchantNumber::parse("102310058120001")?.acquirer(), "102");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn acquirer(&self) -> &str {
        &self.digits[0..3]
    }

    /// The area code (digits 4–7).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::MerchantNumber::parse("102310058120001")?.area(), "3100");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn area(&self) -> &str {
        &self.digits[3..7]
    }

    /// The merchant category code (digits 8–11).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::MerchantNumber::parse("102310058120001")?.mcc(), "5812");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn mcc(&self) -> &str {
        &self.digits[7..11]
    }

    /// The serial number (digits 12–15).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::reconcile::MerchantNumber::parse("102310058120001")?.serial(), "0001");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn serial(&self) -> &str {
        &self.digits[11..15]
    }
}

/// The MCC inside a statement's merchant number, if it has the 15-digit shape.
pub(crate) fn mcc_of(merchant_no: &str) -> Option<&str> {
    (merchant_no.len() == 15 && merchant_no.bytes().all(|b| b.is_ascii_digit())).then(|| &merchant_no[7..11])
}

/// What the acquirer registered for the merchant: merchant number (MCC inside), name,
/// terminals, merchant class (for class-specific rules) and contracted settlement mode.
///
/// # Example
/// ```
/// use posfee::SettlementMode;
/// use posfee::reconcile::MerchantProfile;
/// let profile = MerchantProfile::new("102310058120001", "沪上小馆")?
///     .terminals(["T0000001", "T0000002"])
///     .settlement(SettlementMode::T(1));
/// assert_eq!(profile.merchant_no.mcc(), "5812");
/// assert_eq!(profile.terminals.len(), 2);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantProfile {
    /// The registered merchant number.
    pub merchant_no: MerchantNumber,
    /// The registered merchant name.
    pub name: String,
    /// The registered terminal ids (empty: any terminal accepted).
    pub terminals: Vec<String>,
    /// The merchant class for class-specific schedule rules (`discounted`, `waived`).
    pub merchant_class: Option<String>,
    /// The contracted settlement mode (default T1).
    pub settlement: SettlementMode,
    /// The registered limits and business hours, if known: they explain declines 61 and 65
    /// and list the days near a limit (none by default).
    pub limits: Option<MerchantLimits>,
}

impl MerchantProfile {
    /// A profile settling T1 with no terminals listed and no merchant class.
    ///
    /// # Errors
    /// As [`MerchantNumber::parse`].
    ///
    /// # Example
    /// ```
    /// let profile = posfee::reconcile::MerchantProfile::new("102310058120001", "shop")?;
    /// assert_eq!(profile.settlement, posfee::SettlementMode::T(1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(merchant_no: &str, name: impl Into<String>) -> Result<MerchantProfile> {
        Ok(MerchantProfile {
            merchant_no: MerchantNumber::parse(merchant_no)?,
            name: name.into(),
            terminals: Vec::new(),
            merchant_class: None,
            settlement: SettlementMode::T(1),
            limits: None,
        })
    }

    /// Sets the registered terminals, each trimmed; empty ones (a blank line of a list) are
    /// left out.
    ///
    /// # Example
    /// ```
    /// let profile = posfee::reconcile::MerchantProfile::new("102310058120001", "shop")?.terminals([" T1 ", "", "T2"]);
    /// assert_eq!(profile.terminals, ["T1", "T2"]);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn terminals<I: IntoIterator<Item = S>, S: Into<String>>(mut self, terminals: I) -> MerchantProfile {
        self.terminals = terminals
            .into_iter()
            .map(Into::into)
            .map(|terminal| terminal.trim().to_string())
            .filter(|terminal| !terminal.is_empty())
            .collect();
        self
    }

    /// Sets the merchant class.
    ///
    /// # Example
    /// ```
    /// let profile = posfee::reconcile::MerchantProfile::new("102310058120001", "shop")?.merchant_class("discounted");
    /// assert_eq!(profile.merchant_class.as_deref(), Some("discounted"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn merchant_class(mut self, merchant_class: impl Into<String>) -> MerchantProfile {
        self.merchant_class = Some(merchant_class.into());
        self
    }

    /// Sets the contracted settlement mode.
    ///
    /// # Example
    /// ```
    /// use posfee::SettlementMode;
    /// let profile = posfee::reconcile::MerchantProfile::new("102310058120001", "shop")?.settlement(SettlementMode::D(0));
    /// assert_eq!(profile.settlement, SettlementMode::D(0));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn settlement(mut self, settlement: SettlementMode) -> MerchantProfile {
        self.settlement = settlement;
        self
    }

    /// Sets the registered limits and business hours.
    ///
    /// # Example
    /// ```
    /// use posfee::MerchantLimits;
    /// let profile = posfee::reconcile::MerchantProfile::new("102310058120001", "shop")?.limits(MerchantLimits::personal_micro_merchant());
    /// assert_eq!(profile.limits.unwrap().channel_limits.len(), 1);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn limits(mut self, limits: MerchantLimits) -> MerchantProfile {
        self.limits = Some(limits);
        self
    }
}

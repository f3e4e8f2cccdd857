//! Exact fee rates.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind, Result};
use crate::fixed::{format_scaled, parse_scaled};

/// Decimal places of a rate written as a fraction (`0.00600000`).
pub const RATE_SCALE: u32 = 8;
/// One (100%) in the units of [`Rate::e8`].
pub const RATE_ONE_E8: i64 = 100_000_000;

/// A non-negative rate, exact to 10⁻⁸ (0.000001%, or 0.0001 basis point).
///
/// Parses from a percentage (`"0.6%"`), basis points (`"60bp"`, `"60 bps"`) or a plain
/// fraction (`"0.0060"`), and prints as a percentage with the fewest decimals (`"0.6%"`).
/// A rate is at most 100%; schedules enforce a lower sanity limit.
///
/// # Example
/// ```
/// use posfee::Rate;
/// let rate = Rate::parse("0.6%")?;
/// assert_eq!(rate, Rate::parse("60bp")?);
/// assert_eq!(rate, Rate::parse("0.0060")?);
/// assert_eq!(rate.to_string(), "0.6%");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rate {
    e8: i64,
}

impl Rate {
    /// 0%.
    pub const ZERO: Rate = Rate { e8: 0 };
    /// 100%.
    pub const ONE: Rate = Rate { e8: RATE_ONE_E8 };

    /// A rate from its value in units of 10⁻⁸ (so `600_000` is 0.6%).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRate`] when negative or above 100%.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Rate::from_e8(600_000)?.to_string(), "0.6%");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_e8(e8: i64) -> Result<Rate> {
        if !(0..=RATE_ONE_E8).contains(&e8) {
            return Err(Error::new(ErrorKind::InvalidRate, format!("rate {}% is outside 0%..100%", format_scaled(i128::from(e8), 6, 0))));
        }
        Ok(Rate { e8 })
    }

    pub(crate) const fn from_e8_unchecked(e8: i64) -> Rate {
        Rate { e8 }
    }

    /// The rate in units of 10⁻⁸.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Rate::parse("0.0325%")?.e8(), 32_500);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub const fn e8(self) -> i64 {
        self.e8
    }

    /// Parses `"0.6%"`, `"60bp"` / `"60 bps"`, or a fraction `"0.006"`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRate`] naming the text: malformed, negative, finer than 10⁻⁸,
    /// or above 100%.
    ///
    /// # Example
    /// ```
    /// use posfee::Rate;
    /// assert_eq!(Rate::parse("0.38%")?.e8(), 380_000);
    /// assert!(Rate::parse("-0.1%").is_err());
    /// assert!(Rate::parse("0.6").is_ok()); // 60%, a fraction
    /// assert!(Rate::parse("150%").is_err());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<Rate> {
        let bad = |why: String| Error::new(ErrorKind::InvalidRate, format!("rate {text:?} {why}"));
        let body = text.trim();
        let lower = body.to_ascii_lowercase();
        let (number, scale_shift) = if let Some(n) = body.strip_suffix('%') {
            (n, 2)
        } else if let Some(n) = lower.strip_suffix("bps").or_else(|| lower.strip_suffix("bp")) {
            (&body[..n.len()], 4)
        } else {
            (body, 0)
        };
        let scale = RATE_SCALE - scale_shift;
        let scaled = parse_scaled(number.trim(), scale).map_err(|e| bad(e.describe(scale)))?;
        if scaled.value < 0 {
            return Err(bad("is negative".to_string()));
        }
        if scaled.value > i128::from(RATE_ONE_E8) {
            return Err(bad("is above 100%".to_string()));
        }
        Ok(Rate { e8: scaled.value as i64 })
    }

    /// The rate as a fraction (`0.006` for 0.6%).
    ///
    /// # Example
    /// ```
    /// use rust_decimal::Decimal;
    /// assert_eq!(posfee::Rate::parse("0.6%")?.to_decimal(), Decimal::new(6, 3));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.e8, RATE_SCALE).normalize()
    }

    /// A rate from a fraction (`0.006` for 0.6%).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRate`] when finer than 10⁻⁸, negative or above 1.
    ///
    /// # Example
    /// ```
    /// use rust_decimal::Decimal;
    /// assert_eq!(posfee::Rate::try_from_decimal(Decimal::new(38, 4))?.to_string(), "0.38%");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn try_from_decimal(fraction: Decimal) -> Result<Rate> {
        Rate::parse(&fraction.normalize().to_string())
    }

    /// The rate as a percentage text with the fewest decimals, without the `%` sign.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Rate::parse("60bp")?.percent_text(), "0.6");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn percent_text(self) -> String {
        format_scaled(i128::from(self.e8), RATE_SCALE - 2, 0)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("{}%", self.percent_text()))
    }
}

impl FromStr for Rate {
    type Err = Error;
    fn from_str(text: &str) -> Result<Rate> {
        Rate::parse(text)
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Rate, D::Error> {
        let text = deserializer.deserialize_str(crate::money::CheckedText(|text| Rate::parse(text).err()))?;
        Rate::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_agree() {
        let expected = Rate::from_e8(600_000).unwrap();
        for text in ["0.6%", "0.60 %", "60bp", "60 bps", "60BP", "0.006", "0.0060"] {
            assert_eq!(Rate::parse(text).unwrap(), expected, "{text}");
        }
    }

    #[test]
    fn prints_back() {
        for (text, shown) in [("0.6%", "0.6%"), ("0.0325%", "0.0325%"), ("0%", "0%"), ("2.99%", "2.99%"), ("0.000001%", "0.000001%")] {
            let rate = Rate::parse(text).unwrap();
            assert_eq!(rate.to_string(), shown);
            assert_eq!(Rate::parse(&rate.to_string()).unwrap(), rate);
        }
    }

    #[test]
    fn rejects_by_name() {
        for text in ["", "%", "abc%", "-1%", "0.0000001%", "101%", "1.5"] {
            let err = Rate::parse(text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidRate);
            assert!(err.to_string().contains(&format!("{text:?}")), "{err}");
        }
    }
}

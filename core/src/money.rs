//! Exact CNY amounts.
//!
//! A [`Money`] is a signed integer count of thousandths of a fen (0.00001 yuan), so that
//! trade amounts (whole fen) and fees shown to five decimals (WeChat Pay bills) are both
//! exact. Trade amounts have at most two decimals; fees and statement values at most five.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Neg, Sub};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind, Result};
use crate::fixed::{format_scaled, parse_scaled};

/// Thousandths of a fen in one fen.
pub const MILLIFEN_PER_FEN: i64 = 1_000;
/// Thousandths of a fen in one yuan.
pub const MILLIFEN_PER_YUAN: i64 = 100_000;
/// Decimal places of a [`Money`] (0.00001 yuan).
pub const MONEY_SCALE: u32 = 5;

/// An exact amount of Chinese yuan (CNY), signed, with five decimal places.
///
/// The magnitude of a single value is limited to [`Money::MAX`] (¥1,000,000,000,000), far
/// beyond any trade, so that sums over millions of rows and `amount × rate` products never
/// overflow. Trade amounts are limited further, to [`Money::MAX_AMOUNT`].
///
/// # Example
/// ```
/// use posfee::Money;
/// let amount = Money::parse_amount("¥1,000.50")?;
/// assert_eq!(amount.fen(), Some(100_050));
/// assert_eq!(amount.to_string(), "1000.50");
/// let fee = Money::parse("0.00600")?;
/// assert_eq!(fee.to_string(), "0.006");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    millifen: i64,
}

/// The error every surface gives for money passed as a binary floating-point number (a
/// float column, a Python `float`, a JavaScript number): binary floating point cannot hold
/// most decimal amounts exactly, so money never crosses as a float. `what` names the value in
/// the caller's terms; `instead` says what to pass in the caller's language.
///
/// # Example
/// ```
/// let err = posfee::float_money_error("amount 0.1 is a float", "pass the string \"0.10\"");
/// assert_eq!(err.code(), "invalid_amount");
/// assert!(err.message().starts_with("amount 0.1 is a float, and money is never a float in posfee"));
/// assert!(err.message().ends_with("pass the string \"0.10\""));
/// ```
pub fn float_money_error(what: &str, instead: &str) -> Error {
    Error::new(
        ErrorKind::InvalidAmount,
        format!(
            "{what}, and money is never a float in posfee (floats are not accepted): binary floating point cannot hold \
             most decimal amounts exactly (0.1 + 0.2 == 0.30000000000000004), so fees would be wrong by fractions of a \
             fen; {instead}"
        ),
    )
}

impl Money {
    /// Zero yuan.
    pub const ZERO: Money = Money { millifen: 0 };
    /// The largest magnitude of any value: ¥1,000,000,000,000.
    pub const MAX: Money = Money { millifen: 1_000_000_000_000 * MILLIFEN_PER_YUAN };
    /// The largest trade amount accepted: ¥1,000,000,000 (one billion yuan).
    pub const MAX_AMOUNT: Money = Money { millifen: 1_000_000_000 * MILLIFEN_PER_YUAN };

    /// An amount of whole fen.
    ///
    /// # Panics
    /// When `|fen|` exceeds [`Money::MAX`]; use [`Money::try_from_fen`] for untrusted input.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Money::from_fen(2_000).to_string(), "20.00");
    /// ```
    pub const fn from_fen(fen: i64) -> Money {
        match Money::try_from_fen_inner(fen) {
            Some(money) => money,
            None => panic!("Money::from_fen: amount beyond Money::MAX"),
        }
    }

    const fn try_from_fen_inner(fen: i64) -> Option<Money> {
        let limit = Money::MAX.millifen / MILLIFEN_PER_FEN;
        if fen > limit || fen < -limit {
            None
        } else {
            Some(Money { millifen: fen * MILLIFEN_PER_FEN })
        }
    }

    /// An amount of whole fen, or an error beyond [`Money::MAX`].
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] when the amount is out of range.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Money::try_from_fen(i64::MAX).is_err());
    /// ```
    pub fn try_from_fen(fen: i64) -> Result<Money> {
        Money::try_from_fen_inner(fen)
            .ok_or_else(|| Error::new(ErrorKind::InvalidAmount, format!("{fen} fen is beyond the largest amount ¥{}", Money::MAX)))
    }

    /// An amount of whole yuan.
    ///
    /// # Panics
    /// When `|yuan|` exceeds [`Money::MAX`].
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Money::from_yuan(3), posfee::Money::from_fen(300));
    /// ```
    pub const fn from_yuan(yuan: i64) -> Money {
        Money::from_fen(yuan * 100)
    }

    /// An amount in thousandths of a fen (0.00001 yuan).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] beyond [`Money::MAX`].
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Money::from_millifen(600)?.to_string(), "0.006");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_millifen(millifen: i64) -> Result<Money> {
        if millifen.unsigned_abs() > Money::MAX.millifen as u64 {
            return Err(Error::new(ErrorKind::InvalidAmount, format!("{millifen} thousandths of a fen is beyond ¥{}", Money::MAX)));
        }
        Ok(Money { millifen })
    }

    pub(crate) const fn from_millifen_unchecked(millifen: i64) -> Money {
        Money { millifen }
    }

    /// The amount in thousandths of a fen.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Money::from_fen(1).millifen(), 1_000);
    /// ```
    pub const fn millifen(self) -> i64 {
        self.millifen
    }

    /// The amount in whole fen, or `None` when it has a fraction of a fen.
    ///
    /// # Example
    /// ```
    /// use posfee::Money;
    /// assert_eq!(Money::parse("1.23")?.fen(), Some(123));
    /// assert_eq!(Money::parse("0.006")?.fen(), None);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub const fn fen(self) -> Option<i64> {
        if self.millifen % MILLIFEN_PER_FEN == 0 {
            Some(self.millifen / MILLIFEN_PER_FEN)
        } else {
            None
        }
    }

    /// Parses a trade amount: non-negative, at most two decimals, at most
    /// [`Money::MAX_AMOUNT`]. Accepts `1000`, `1000.5`, `1,000.50`, `¥20`, `￥20`, `20元`,
    /// `CNY 20`, with surrounding spaces.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] naming the text: malformed, negative, more than two
    /// decimals, or larger than [`Money::MAX_AMOUNT`].
    ///
    /// # Example
    /// ```
    /// use posfee::Money;
    /// assert_eq!(Money::parse_amount("¥20")?, Money::from_yuan(20));
    /// assert!(Money::parse_amount("-1").is_err());
    /// assert!(Money::parse_amount("1.005").is_err());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn parse_amount(text: &str) -> Result<Money> {
        // The common form (`1234.56`) of a valid amount without a call: the file readers parse
        // one a row. (Not in WebAssembly, where the statement checker's size counts more.)
        if !cfg!(target_arch = "wasm32") {
            if let Some(money) = plain_money(text.as_bytes()).filter(|money| money.is_amount()) {
                return Ok(money);
            }
        }
        Money::parse_amount_in_general(text)
    }

    /// [`Money::parse_amount`] of any form, and the error of one that is not an amount.
    #[cfg_attr(not(target_arch = "wasm32"), inline(never))]
    fn parse_amount_in_general(text: &str) -> Result<Money> {
        let money = parse_money(text, 2)?;
        money.check_amount().map_err(|why| Error::new(ErrorKind::InvalidAmount, format!("amount {text:?} {why}")))
    }

    /// Checks that `self` is a valid trade amount (non-negative, whole fen, at most
    /// [`Money::MAX_AMOUNT`]); returns it unchanged.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] naming the value.
    ///
    /// # Example
    /// ```
    /// use posfee::Money;
    /// assert!(Money::from_fen(-5).into_amount().is_err());
    /// assert!(Money::parse("0.001")?.into_amount().is_err());
    /// assert_eq!(Money::from_fen(5).into_amount()?, Money::from_fen(5));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[cfg_attr(not(target_arch = "wasm32"), inline)]
    pub fn into_amount(self) -> Result<Money> {
        // (A table's every row is checked so: the error is made out of line, but in
        // WebAssembly.)
        if !cfg!(target_arch = "wasm32") && self.is_amount() {
            return Ok(self);
        }
        self.not_an_amount()
    }

    /// [`Money::into_amount`] by the check that names what is wrong.
    #[cfg_attr(not(target_arch = "wasm32"), cold, inline(never))]
    fn not_an_amount(self) -> Result<Money> {
        self.check_amount().map_err(|why| Error::new(ErrorKind::InvalidAmount, format!("amount ¥{self} {why}")))
    }

    /// Whether `self` is a valid trade amount: what [`Money::check_amount`] accepts.
    #[inline]
    const fn is_amount(self) -> bool {
        self.millifen >= 0 && self.millifen % MILLIFEN_PER_FEN == 0 && self.millifen <= Money::MAX_AMOUNT.millifen
    }

    fn check_amount(self) -> std::result::Result<Money, String> {
        if self.millifen < 0 {
            Err("is negative; a trade amount is never negative".to_string())
        } else if self.fen().is_none() {
            Err("has more than 2 decimal places".to_string())
        } else if self > Money::MAX_AMOUNT {
            Err(format!("exceeds the largest trade amount ¥{}", Money::MAX_AMOUNT))
        } else {
            Ok(self)
        }
    }

    /// Parses any money value: signed, at most five decimals (fees on WeChat Pay bills),
    /// magnitude at most [`Money::MAX`]. Accepts the same decorations as
    /// [`Money::parse_amount`].
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] naming the text.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Money::parse("-0.00600")?.millifen(), -600);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<Money> {
        parse_money(text, MONEY_SCALE)
    }

    /// The exact value as a [`Decimal`] (scale 2 for whole fen, up to 5 otherwise).
    ///
    /// # Example
    /// ```
    /// use rust_decimal::Decimal;
    /// assert_eq!(posfee::Money::from_fen(123).to_decimal(), Decimal::new(123, 2));
    /// ```
    pub fn to_decimal(self) -> Decimal {
        match self.fen() {
            Some(fen) => Decimal::new(fen, 2),
            None => Decimal::new(self.millifen, MONEY_SCALE).normalize(),
        }
    }

    /// A trade amount from a decimal's parts, without writing it out as text: its sign, its
    /// coefficient's digits (most significant first, each 0–9) and its exponent of ten — the
    /// form of the General Decimal Arithmetic specification (Python's `Decimal.as_tuple()`).
    /// The checks of [`Money::parse_amount`]; errors write the value in that specification's
    /// scientific notation (`1E+30`, `1.001`, `1E-7`), as Python prints it.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] naming the value: a digit above 9 or no digit, more than
    /// two decimals, negative, or larger than [`Money::MAX_AMOUNT`].
    ///
    /// # Example
    /// ```
    /// use posfee::Money;
    /// // Decimal('12.50').as_tuple() == (0, (1, 2, 5, 0), -2)
    /// assert_eq!(Money::amount_from_decimal_parts(false, &[1, 2, 5, 0], -2)?, Money::from_fen(1250));
    /// assert_eq!(Money::amount_from_decimal_parts(false, &[3], 2)?, Money::from_yuan(300));
    /// let error = Money::amount_from_decimal_parts(false, &[1], 30).unwrap_err();
    /// assert!(error.message().contains("1E+30"), "{error}");
    /// assert!(Money::amount_from_decimal_parts(false, &[1, 0, 0, 1], -3).is_err());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn amount_from_decimal_parts(negative: bool, digits: &[u8], exponent: i64) -> Result<Money> {
        let bad = |why: String| {
            let shown = scientific_text(negative, digits, exponent);
            Error::new(ErrorKind::InvalidAmount, format!("amount {shown} {why}"))
        };
        if digits.is_empty() || digits.iter().any(|&digit| digit > 9) {
            return Err(bad("is not a decimal number (a coefficient digit is missing or above 9)".to_string()));
        }
        // Trailing zeros change the exponent, not the value (1.500 is 1.5); leading zeros nothing.
        let (mut coefficient, mut exponent_now) = (digits, exponent);
        while let [rest @ .., 0] = coefficient {
            if rest.is_empty() {
                break;
            }
            coefficient = rest;
            exponent_now = exponent_now.saturating_add(1);
        }
        let leading_zeros = coefficient.iter().take_while(|&&digit| digit == 0).count();
        coefficient = &coefficient[leading_zeros.min(coefficient.len() - 1)..];
        if coefficient == [0] {
            return Ok(Money::ZERO);
        }
        if exponent_now < -2 {
            return Err(bad("has more than 2 decimal places".to_string()));
        }
        // The value in millifen is coefficient × 10^(exponent + 5); beyond 19 digits it is
        // beyond any money value (and beyond i128 arithmetic long before the digits run out).
        let shift = exponent_now.saturating_add(i64::from(MONEY_SCALE));
        let beyond = || bad(format!("is beyond the largest value ¥{}", Money::MAX));
        if (coefficient.len() as i64).saturating_add(shift) > 19 {
            return Err(beyond());
        }
        let magnitude = coefficient.iter().fold(0i128, |value, &digit| value * 10 + i128::from(digit)) * 10i128.pow(shift as u32);
        if magnitude > i128::from(Money::MAX.millifen) {
            return Err(beyond());
        }
        let millifen = magnitude as i64;
        let money = Money { millifen: if negative { -millifen } else { millifen } };
        money.check_amount().map_err(bad)
    }

    /// Converts an exact [`Decimal`], which must have at most five significant decimals
    /// and lie within [`Money::MAX`].
    ///
    /// # Errors
    /// [`ErrorKind::InvalidAmount`] naming the value.
    ///
    /// # Example
    /// ```
    /// use rust_decimal::Decimal;
    /// assert_eq!(posfee::Money::try_from_decimal(Decimal::new(1999, 2))?, posfee::Money::from_fen(1999));
    /// assert!(posfee::Money::try_from_decimal(Decimal::new(1, 6)).is_err());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn try_from_decimal(value: Decimal) -> Result<Money> {
        let normalized = value.normalize();
        if normalized.scale() > MONEY_SCALE {
            return Err(Error::new(ErrorKind::InvalidAmount, format!("{value} has more than {MONEY_SCALE} decimal places")));
        }
        let mut scaled = normalized;
        scaled.rescale(MONEY_SCALE);
        let millifen = i64::try_from(scaled.mantissa())
            .map_err(|_| Error::new(ErrorKind::InvalidAmount, format!("{value} is beyond ¥{}", Money::MAX)))?;
        Money::from_millifen(millifen)
    }

    /// `self + other`, or `None` beyond [`Money::MAX`].
    ///
    /// # Example
    /// ```
    /// use posfee::Money;
    /// assert_eq!(Money::from_fen(1).checked_add(Money::from_fen(2)), Some(Money::from_fen(3)));
    /// assert_eq!(Money::MAX.checked_add(Money::from_fen(1)), None);
    /// ```
    pub fn checked_add(self, other: Money) -> Option<Money> {
        let sum = self.millifen.checked_add(other.millifen)?;
        (sum.unsigned_abs() <= Money::MAX.millifen as u64).then_some(Money { millifen: sum })
    }

    /// `self - other`, or `None` beyond [`Money::MAX`].
    ///
    /// # Example
    /// ```
    /// use posfee::Money;
    /// assert_eq!(Money::from_fen(1).checked_sub(Money::from_fen(3)), Some(Money::from_fen(-2)));
    /// ```
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.checked_add(-other)
    }

    /// The amount with the yuan sign, the minus sign first: `¥20.00`, `-¥2.01`.
    ///
    /// # Example
    /// ```
    /// use posfee::Money;
    /// assert_eq!(Money::from_fen(-201).to_yuan_string(), "-¥2.01");
    /// assert_eq!(Money::from_yuan(20).to_yuan_string(), "¥20.00");
    /// ```
    pub fn to_yuan_string(self) -> String {
        if self.is_negative() {
            format!("-¥{}", -self)
        } else {
            format!("¥{self}")
        }
    }

    /// The size of the amount, without its sign (money values stay within ±¥10¹², so this
    /// never overflows).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Money::from_fen(-40).abs(), posfee::Money::from_fen(40));
    /// ```
    pub const fn abs(self) -> Money {
        Money { millifen: self.millifen.abs() }
    }

    /// Whether the amount is below zero.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Money::from_fen(-1).is_negative());
    /// ```
    pub const fn is_negative(self) -> bool {
        self.millifen < 0
    }

    /// Whether the amount is zero.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Money::ZERO.is_zero());
    /// ```
    pub const fn is_zero(self) -> bool {
        self.millifen == 0
    }
}

/// The most coefficient digits written in an error message; longer ones end in `…`.
const SHOWN_DIGITS_MAX: usize = 30;

/// A decimal's parts in the scientific notation of the General Decimal Arithmetic
/// specification ("to-scientific-string"), which is how Python prints a `Decimal`.
fn scientific_text(negative: bool, digits: &[u8], exponent: i64) -> String {
    let shown = &digits[..digits.len().min(SHOWN_DIGITS_MAX)];
    let mut coefficient: String = shown.iter().map(|&digit| char::from(b'0' + digit.min(9))).collect();
    if coefficient.is_empty() {
        coefficient.push('0');
    }
    let count = digits.len().max(1) as i64;
    let adjusted = exponent.saturating_add(count - 1);
    let ellipsis = if digits.len() > SHOWN_DIGITS_MAX { "…" } else { "" };
    let sign = if negative { "-" } else { "" };
    if exponent <= 0 && adjusted >= -6 && ellipsis.is_empty() {
        let point = count + exponent;
        return match point {
            _ if exponent == 0 => format!("{sign}{coefficient}"),
            p if p <= 0 => format!("{sign}0.{}{coefficient}", "0".repeat(p.unsigned_abs() as usize)),
            p => format!("{sign}{}.{}", &coefficient[..p as usize], &coefficient[p as usize..]),
        };
    }
    let (first, rest) = coefficient.split_at(1);
    let point = if rest.is_empty() && ellipsis.is_empty() { "" } else { "." };
    format!("{sign}{first}{point}{rest}{ellipsis}E{}{adjusted}", if adjusted >= 0 { "+" } else { "" })
}

fn parse_money(text: &str, max_decimals: u32) -> Result<Money> {
    match plain_money(text.as_bytes()) {
        Some(money) => Ok(money),
        None => parse_money_in_general(text, max_decimals),
    }
}

/// [`parse_money`] for every form: signs, currency marks, separators, spaces.
fn parse_money_in_general(text: &str, max_decimals: u32) -> Result<Money> {
    let bad = |why: String| Error::new(ErrorKind::InvalidAmount, format!("amount {text:?} {why}"));
    let mut body = crate::text::trim(text);
    let mut negative = false;
    if let Some(rest) = body.strip_prefix('-') {
        negative = true;
        body = rest.trim_start();
    }
    for prefix in ["¥", "￥", "CNY", "RMB"] {
        if let Some(rest) = body.strip_prefix(prefix) {
            body = rest.trim_start();
            break;
        }
    }
    if let Some(rest) = body.strip_suffix('元') {
        body = rest.trim_end();
    }
    if negative && body.starts_with(['-', '+']) {
        return Err(bad("has two signs".to_string()));
    }
    let scaled = parse_scaled(body, MONEY_SCALE).map_err(|e| bad(e.describe(MONEY_SCALE)))?;
    let significant = scaled.value.unsigned_abs();
    let unit = 10u128.pow(MONEY_SCALE - max_decimals);
    if significant % unit != 0 {
        return Err(bad(format!("has more than {max_decimals} decimal places")));
    }
    if significant > Money::MAX.millifen as u128 {
        return Err(bad(format!("is beyond the largest value ¥{}", Money::MAX)));
    }
    let millifen = scaled.value as i64;
    Ok(Money { millifen: if negative { -millifen } else { millifen } })
}

/// The common form of an amount in a file, read without the general parser: an optional
/// `-`, one to twelve digits and optionally `.` with one or two decimals (`1234.56`, `-0.5`,
/// `600`). Anything else (signs, separators, more decimals, spaces) is `None` and goes to
/// the general parser, which gives the same value or the error. (Inlined where it is called
/// but in WebAssembly: each column's amounts then have their own branches.)
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
#[cfg_attr(target_arch = "wasm32", inline)]
pub(crate) fn plain_money(bytes: &[u8]) -> Option<Money> {
    let (negative, body) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    // The point is one or two places from the end or absent: the decimals are read where they
    // must be, and the whole part is digits only (no search for the point, no branch on it
    // per byte).
    let digit = |b: u8| -> Option<i64> {
        let d = b.wrapping_sub(b'0');
        (d < 10).then_some(i64::from(d))
    };
    let n = body.len();
    let (whole, cents) = if n >= 3 && body[n - 3] == b'.' {
        (&body[..n - 3], digit(body[n - 2])? * 10 + digit(body[n - 1])?)
    } else if n >= 2 && body[n - 2] == b'.' {
        (&body[..n - 2], digit(body[n - 1])? * 10)
    } else {
        (body, 0)
    };
    if whole.is_empty() || whole.len() > 12 {
        return None;
    }
    let mut number = 0i64;
    for &b in whole {
        number = number * 10 + digit(b)?;
    }
    let fen = number * 100 + cents;
    let millifen = fen * MILLIFEN_PER_FEN;
    Some(Money { millifen: if negative { -millifen } else { millifen } })
}

impl fmt::Display for Money {
    /// Two decimals for whole fen (`12.30`), up to five otherwise (`0.006`); no currency sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format_scaled(i128::from(self.millifen), MONEY_SCALE, 2))
    }
}

impl FromStr for Money {
    type Err = Error;
    fn from_str(text: &str) -> Result<Money> {
        Money::parse(text)
    }
}

impl Add for Money {
    type Output = Money;
    /// # Panics
    /// When the sum leaves [`Money::MAX`] (use [`Money::checked_add`] to avoid it).
    fn add(self, other: Money) -> Money {
        self.checked_add(other).expect("Money addition beyond Money::MAX")
    }
}

impl Sub for Money {
    type Output = Money;
    /// # Panics
    /// When the difference leaves [`Money::MAX`] (use [`Money::checked_sub`]).
    fn sub(self, other: Money) -> Money {
        self.checked_sub(other).expect("Money subtraction beyond Money::MAX")
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money { millifen: -self.millifen }
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Money, D::Error> {
        let text = deserializer.deserialize_str(CheckedText(|text| Money::parse(text).err()))?;
        Money::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A serde visitor for a string that `check` accepts (`check` returns the error otherwise).
/// The check runs inside the deserializer, so that a format which knows where the value is
/// (TOML, JSON) places the error there. One visitor type for every checked kind keeps the
/// deserializer code (monomorphised per visitor) small. Other value types are "invalid
/// type: ..., expected a string", as for `String`.
pub(crate) struct CheckedText(pub(crate) fn(&str) -> Option<Error>);

impl serde::de::Visitor<'_> for CheckedText {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<String, E> {
        match (self.0)(text) {
            Some(error) => Err(E::custom(error)),
            None => Ok(text.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Sign, coefficient digits, exponent, Python's `str()` of that `Decimal`, and the amount
    /// in fen (None: an error).
    type DecimalCase = (bool, &'static [u8], i64, &'static str, Option<i64>);

    const DECIMAL_PARTS: [DecimalCase; 21] = [
        (false, &[1, 2, 5, 0], -2, "12.50", Some(1250)),
        (false, &[1], 30, "1E+30", None),
        (false, &[1], 999, "1E+999", None),
        (false, &[1], -50, "1E-50", None),
        (false, &[1, 0, 0, 1], -3, "1.001", None),
        (false, &[1], -7, "1E-7", None),
        (false, &[0], -2, "0.00", Some(0)),
        (true, &[0], 0, "-0", Some(0)),
        (true, &[1], 0, "-1", None),
        (false, &[3, 0, 0], 0, "300", Some(30_000)),
        (false, &[3], 2, "3E+2", Some(30_000)),
        (false, &[1], -2, "0.01", Some(1)),
        (false, &[1, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "1000000000", Some(100_000_000_000)),
        (false, &[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], -2, "1000000000.01", None),
        (false, &[9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9], -2, "999999999.99", Some(99_999_999_999)),
        (false, &[0], -10, "0E-10", Some(0)),
        (false, &[1, 2, 3, 0], 0, "1230", Some(123_000)),
        (false, &[1, 2, 3, 4, 5, 6, 7], -2, "12345.67", Some(1_234_567)),
        (false, &[1], -6, "0.000001", None),
        (false, &[1, 2], -7, "0.0000012", None),
        (false, &[1, 0, 0, 0, 0, 0, 0, 0, 0], -8, "1.00000000", Some(100)),
    ];

    #[test]
    fn decimal_parts_read_and_shown_as_python_shows_them() {
        for (negative, digits, exponent, python, fen) in DECIMAL_PARTS {
            assert_eq!(scientific_text(negative, digits, exponent), python);
            let read = Money::amount_from_decimal_parts(negative, digits, exponent);
            assert_eq!(read.as_ref().ok().and_then(|money| money.fen()), fen, "{python}: {read:?}");
            if let Err(error) = read {
                assert_eq!(error.kind(), ErrorKind::InvalidAmount);
                assert!(error.message().contains(python), "{python}: {error}");
            }
        }
        let long = [7u8; 40];
        assert!(scientific_text(false, &long, 0).starts_with(&format!("7.{}…E+39", "7".repeat(29))));
        assert!(Money::amount_from_decimal_parts(false, &[], 0).is_err());
        assert!(Money::amount_from_decimal_parts(false, &[1, 10], 0).is_err());
    }

    proptest! {
        /// The parts give what the text parser gives for the same value written out in full.
        #[test]
        fn decimal_parts_read_as_their_plain_text(
            negative in any::<bool>(),
            digits in proptest::collection::vec(0u8..=9, 1..22),
            exponent in -12i64..14,
        ) {
            let coefficient: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
            let plain = if exponent >= 0 {
                format!("{coefficient}{}", "0".repeat(exponent as usize))
            } else {
                let decimals = exponent.unsigned_abs() as usize;
                let padded = format!("{}{coefficient}", "0".repeat(decimals.saturating_sub(coefficient.len()) + 1));
                let (whole, fraction) = padded.split_at(padded.len() - decimals);
                format!("{whole}.{fraction}")
            };
            let text = if negative { format!("-{plain}") } else { plain };
            let from_parts = Money::amount_from_decimal_parts(negative, &digits, exponent);
            let from_text = Money::parse_amount(&text);
            // -0 is zero for both; otherwise the same value or both an error.
            prop_assert_eq!(from_parts.as_ref().ok(), from_text.as_ref().ok(), "{} / {:?}", text, from_parts);
        }
    }

    proptest! {
        /// The shortcut for plain amounts reads exactly what the general parser reads, and
        /// leaves everything else to it.
        #[test]
        fn plain_amounts_read_as_the_general_parser_reads_them(
            text in "-?[0-9]{0,14}(\\.[0-9]{0,3})?|[-0-9., ¥]{0,8}",
        ) {
            if let Some(money) = plain_money(text.as_bytes()) {
                prop_assert_eq!(Ok(money), parse_money_in_general(&text, MONEY_SCALE));
            }
            prop_assert_eq!(parse_money(&text, 2).ok(), parse_money_in_general(&text, 2).ok());
        }

        /// A trade amount read by the shortcut is what the general path reads (value or
        /// error, message included), and a value is an amount exactly when its check passes.
        #[test]
        fn amounts_read_by_the_shortcut_as_by_the_general_path(
            text in "-?[0-9]{0,13}(\\.[0-9]{0,3})?|[-0-9., ¥]{0,8}",
            millifen in prop_oneof![any::<i64>(), -2_000i64..2_000, Money::MAX_AMOUNT.millifen - 2_000..Money::MAX_AMOUNT.millifen + 2_000],
        ) {
            let text_of = |read: Result<Money>| read.map_err(|error| error.to_string());
            prop_assert_eq!(text_of(Money::parse_amount(&text)), text_of(Money::parse_amount_in_general(&text)));
            let money = Money { millifen };
            prop_assert_eq!(money.is_amount(), money.check_amount().is_ok());
            prop_assert_eq!(text_of(money.into_amount()), text_of(money.not_an_amount()));
        }

        /// Every plain amount (up to twelve digits, one or two decimals) is read by the
        /// shortcut, not left to the general parser.
        #[test]
        fn plain_amounts_take_the_shortcut(text in "-?[0-9]{1,12}(\\.[0-9]{1,2})?") {
            prop_assert_eq!(plain_money(text.as_bytes()).map(Ok), Some(parse_money_in_general(&text, MONEY_SCALE)));
        }
    }

    #[test]
    fn amounts_accept_common_spellings() {
        for (text, fen) in [
            ("1000", 100_000),
            ("1000.5", 100_050),
            ("1,000.50", 100_050),
            ("¥20", 2_000),
            ("￥ 20", 2_000),
            ("20元", 2_000),
            (" 0.01 ", 1),
            ("CNY 3", 300),
        ] {
            assert_eq!(Money::parse_amount(text).unwrap().fen(), Some(fen), "{text}");
        }
    }

    #[test]
    fn amounts_reject_bad_values_by_name() {
        for text in ["", "abc", "1.001", "-5", "1,00", "¥", "--1", "1000000000.01", "NaN", "inf", "1e3"] {
            let err = Money::parse_amount(text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidAmount, "{text}");
            assert!(err.to_string().contains(&format!("{text:?}")), "{err}");
        }
    }

    #[test]
    fn money_prints_fen_or_sub_fen() {
        assert_eq!(Money::from_fen(5).to_string(), "0.05");
        assert_eq!(Money::from_fen(-2_000).to_string(), "-20.00");
        assert_eq!(Money::parse("0.00600").unwrap().to_string(), "0.006");
        assert_eq!(Money::parse("-¥1.5").unwrap(), Money::from_fen(-150));
    }

    #[test]
    fn decimal_round_trip() {
        for text in ["0", "0.01", "123.45", "-0.00001", "999999999.99"] {
            let money = Money::parse(text).unwrap();
            assert_eq!(Money::try_from_decimal(money.to_decimal()).unwrap(), money);
        }
        assert_eq!(Money::from_fen(100).to_decimal().to_string(), "1.00");
    }
}

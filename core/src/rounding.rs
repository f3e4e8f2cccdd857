//! Explicit rounding: a mode and a scale, always part of a schedule.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::money::{Money, MONEY_SCALE};
use crate::rate::Rate;

/// How a value between two representable amounts is rounded.
///
/// # Example
/// ```
/// use posfee::RoundingMode;
/// assert_eq!("half_even".parse::<RoundingMode>()?, RoundingMode::HalfEven);
/// assert_eq!(RoundingMode::HalfUp.to_string(), "half_up");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// To the nearest; a half goes away from zero (四舍五入). The common acquirer rule.
    HalfUp,
    /// To the nearest; a half goes to the even neighbour (banker's rounding).
    HalfEven,
    /// Away from zero: any fraction rounds up (the acquirer's favour).
    Up,
    /// Toward zero: any fraction is dropped (the merchant's favour).
    Down,
}

impl RoundingMode {
    /// The name used in schedule files: `half_up`, `half_even`, `up`, `down`.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::RoundingMode::Down.name(), "down");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            RoundingMode::HalfUp => "half_up",
            RoundingMode::HalfEven => "half_even",
            RoundingMode::Up => "up",
            RoundingMode::Down => "down",
        }
    }

    /// `numerator / denominator` rounded to an integer by this mode. `denominator > 0`.
    #[inline]
    pub(crate) fn divide(self, numerator: i128, denominator: i128) -> i128 {
        debug_assert!(denominator > 0);
        let quotient = numerator / denominator;
        let remainder = numerator % denominator;
        if remainder == 0 {
            return quotient;
        }
        let away = if numerator < 0 { -1 } else { 1 };
        let twice = 2 * remainder.abs();
        let round_away = match self {
            RoundingMode::Down => false,
            RoundingMode::Up => true,
            RoundingMode::HalfUp => twice >= denominator,
            RoundingMode::HalfEven => twice > denominator || (twice == denominator && quotient % 2 != 0),
        };
        if round_away {
            quotient + away
        } else {
            quotient
        }
    }

    /// The same as [`divide`](Self::divide) for non-negative `i64` inputs (the hot path).
    #[inline]
    pub(crate) fn divide_non_negative(self, numerator: i64, denominator: i64) -> i64 {
        debug_assert!(numerator >= 0 && denominator > 0);
        // In u64 (both are non-negative): a division by a constant is then a multiplication
        // without sign corrections, and the sums below cannot overflow (each side < 2⁶³).
        let (n, d) = (numerator as u64, denominator as u64);
        let quotient = match self {
            RoundingMode::Down => n / d,
            RoundingMode::Up => n.div_ceil(d),
            // Up when 2 × remainder ≥ d, which is n + ⌊d/2⌋ reaching the next multiple.
            RoundingMode::HalfUp => (n + d / 2) / d,
            RoundingMode::HalfEven => {
                let (quotient, remainder) = (n / d, n % d);
                quotient + u64::from(2 * remainder > d || (2 * remainder == d && quotient % 2 != 0))
            }
        };
        quotient as i64
    }
}

impl fmt::Display for RoundingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for RoundingMode {
    type Err = Error;
    fn from_str(text: &str) -> Result<RoundingMode> {
        match text.trim() {
            "half_up" => Ok(RoundingMode::HalfUp),
            "half_even" => Ok(RoundingMode::HalfEven),
            "up" => Ok(RoundingMode::Up),
            "down" => Ok(RoundingMode::Down),
            other => {
                Err(Error::new(ErrorKind::InvalidSchedule, format!("rounding mode {other:?} is not one of half_up, half_even, up, down")))
            }
        }
    }
}

/// A rounding mode and a scale: the number of decimals of a yuan kept (2 = fen; at most 5).
///
/// # Example
/// ```
/// use posfee::{Money, Rate, Rounding, RoundingMode};
/// let fen_half_up = Rounding::new(RoundingMode::HalfUp, 2)?;
/// // 0.6% of ¥1.00 is ¥0.006, which rounds to one fen.
/// assert_eq!(fen_half_up.apply_rate(Money::from_fen(100), Rate::parse("0.6%")?), Money::from_fen(1));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// The rounding mode.
    pub mode: RoundingMode,
    /// Decimals of a yuan kept: 0 to 5 (2 is whole fen).
    pub scale: u32,
}

impl Rounding {
    /// Half-up to the fen, the most common acquirer rule.
    pub const FEN_HALF_UP: Rounding = Rounding { mode: RoundingMode::HalfUp, scale: 2 };

    /// A rounding rule.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidSchedule`] when `scale` is above 5.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Rounding::new(posfee::RoundingMode::Up, 6).is_err());
    /// ```
    pub fn new(mode: RoundingMode, scale: u32) -> Result<Rounding> {
        if scale > MONEY_SCALE {
            return Err(Error::new(ErrorKind::InvalidSchedule, format!("rounding scale {scale} is above the finest scale {MONEY_SCALE}")));
        }
        Ok(Rounding { mode, scale })
    }

    /// Thousandths of a fen in one unit of this scale.
    #[inline]
    fn unit_millifen(self) -> i64 {
        10i64.pow(MONEY_SCALE - self.scale)
    }

    /// `amount × rate`, rounded. Exact: no intermediate value is rounded.
    ///
    /// # Example
    /// ```
    /// use posfee::{Money, Rate, Rounding, RoundingMode};
    /// let half_even = Rounding::new(RoundingMode::HalfEven, 2)?;
    /// // 0.5% of ¥1.00 is exactly half a fen: half-even keeps 0, half-up gives 1.
    /// assert_eq!(half_even.apply_rate(Money::from_fen(100), Rate::parse("0.5%")?), Money::ZERO);
    /// assert_eq!(Rounding::FEN_HALF_UP.apply_rate(Money::from_fen(100), Rate::parse("0.5%")?), Money::from_fen(1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn apply_rate(self, amount: Money, rate: Rate) -> Money {
        let unit = self.unit_millifen();
        // amount_millifen × rate_e8 is in units of 10⁻¹³ yuan; one result unit is
        // unit_millifen × 10⁸ of those.
        let denominator = unit * crate::rate::RATE_ONE_E8;
        let units = match (amount.millifen() >= 0, amount.millifen().checked_mul(rate.e8())) {
            (true, Some(product)) => self.mode.divide_non_negative(product, denominator),
            _ => {
                let product = i128::from(amount.millifen()) * i128::from(rate.e8());
                self.mode.divide(product, i128::from(denominator)) as i64
            }
        };
        Money::from_millifen_unchecked(units * unit)
    }

    /// `value × numerator / denominator`, rounded (for proportional refunds).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when `denominator` is not positive.
    ///
    /// # Example
    /// ```
    /// use posfee::{Money, Rounding};
    /// // A third of a ¥0.10 fee, half-up to the fen.
    /// assert_eq!(Rounding::FEN_HALF_UP.apply_ratio(Money::from_fen(10), 1, 3)?, Money::from_fen(3));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn apply_ratio(self, value: Money, numerator: i64, denominator: i64) -> Result<Money> {
        if denominator <= 0 {
            return Err(Error::new(ErrorKind::InvalidRequest, format!("ratio denominator {denominator} is not positive")));
        }
        let unit = i128::from(self.unit_millifen());
        let product = i128::from(value.millifen()) * i128::from(numerator);
        let units = self.mode.divide(product, i128::from(denominator) * unit);
        Money::from_millifen((units * unit) as i64)
    }

    /// Rounds a money value to this scale.
    ///
    /// # Example
    /// ```
    /// use posfee::{Money, Rounding};
    /// assert_eq!(Rounding::FEN_HALF_UP.round(Money::parse("0.005")?), Money::from_fen(1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn round(self, value: Money) -> Money {
        let unit = self.unit_millifen();
        let units = self.mode.divide(i128::from(value.millifen()), i128::from(unit)) as i64;
        Money::from_millifen_unchecked(units * unit)
    }

    /// Whether `value` is representable at this scale without rounding.
    ///
    /// # Example
    /// ```
    /// use posfee::{Money, Rounding};
    /// assert!(!Rounding::FEN_HALF_UP.represents(Money::parse("0.005")?));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn represents(self, value: Money) -> bool {
        value.millifen() % self.unit_millifen() == 0
    }
}

impl Default for Rounding {
    fn default() -> Self {
        Rounding::FEN_HALF_UP
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_at_half_and_beyond() {
        let cases = [
            // numerator, denominator, half_up, half_even, up, down
            (5, 10, 1, 0, 1, 0),
            (15, 10, 2, 2, 2, 1),
            (25, 10, 3, 2, 3, 2),
            (24, 10, 2, 2, 3, 2),
            (26, 10, 3, 3, 3, 2),
            (-5, 10, -1, 0, -1, 0),
            (-26, 10, -3, -3, -3, -2),
            (20, 10, 2, 2, 2, 2),
        ];
        for (n, d, half_up, half_even, up, down) in cases {
            assert_eq!(RoundingMode::HalfUp.divide(n, d), half_up, "{n}/{d}");
            assert_eq!(RoundingMode::HalfEven.divide(n, d), half_even, "{n}/{d}");
            assert_eq!(RoundingMode::Up.divide(n, d), up, "{n}/{d}");
            assert_eq!(RoundingMode::Down.divide(n, d), down, "{n}/{d}");
            if n >= 0 {
                for mode in [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Up, RoundingMode::Down] {
                    assert_eq!(i128::from(mode.divide_non_negative(n as i64, d as i64)), mode.divide(n, d));
                }
            }
        }
    }

    #[test]
    fn scale_five_keeps_wechat_precision() {
        let five = Rounding::new(RoundingMode::HalfUp, 5).unwrap();
        assert_eq!(five.apply_rate(Money::from_fen(100), Rate::parse("0.6%").unwrap()).to_string(), "0.006");
        let zero = Rounding::new(RoundingMode::HalfUp, 0).unwrap();
        assert_eq!(zero.apply_rate(Money::from_yuan(250), Rate::parse("0.6%").unwrap()), Money::from_yuan(2));
    }

    const MODES: [RoundingMode; 4] = [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Up, RoundingMode::Down];
    /// Thousandths of a fen in one unit of scale 0..=5, written out (not computed).
    const UNIT_MILLIFEN: [i64; 6] = [100_000, 10_000, 1_000, 100, 10, 1];

    /// An independent rounding of `n / d` (d > 0): from the floor and the ceiling (Euclidean
    /// division) and the distance to each, where the code works from truncation.
    fn oracle(mode: RoundingMode, n: i128, d: i128) -> i128 {
        let (floor, rest) = (n.div_euclid(d), n.rem_euclid(d));
        if rest == 0 {
            return floor;
        }
        let ceiling = floor + 1;
        let (away, toward) = if n > 0 { (ceiling, floor) } else { (floor, ceiling) };
        let nearest = match (2 * rest).cmp(&d) {
            std::cmp::Ordering::Less => Some(floor),
            std::cmp::Ordering::Greater => Some(ceiling),
            std::cmp::Ordering::Equal => None,
        };
        match mode {
            RoundingMode::Up => away,
            RoundingMode::Down => toward,
            RoundingMode::HalfUp => nearest.unwrap_or(away),
            RoundingMode::HalfEven => nearest.unwrap_or(if floor % 2 == 0 { floor } else { ceiling }),
        }
    }

    #[test]
    fn every_mode_agrees_with_the_oracle_on_a_grid() {
        for mode in MODES {
            for d in 1..=24i128 {
                for n in -300..=300i128 {
                    assert_eq!(mode.divide(n, d), oracle(mode, n, d), "{mode} {n}/{d}");
                    if n >= 0 {
                        assert_eq!(i128::from(mode.divide_non_negative(n as i64, d as i64)), oracle(mode, n, d), "{mode} {n}/{d}");
                    }
                }
            }
        }
    }

    #[test]
    fn names_parse_back_and_differ() {
        let names: Vec<&str> = MODES.iter().map(|mode| mode.name()).collect();
        assert_eq!(names, ["half_up", "half_even", "up", "down"]);
        for mode in MODES {
            assert_eq!(mode.name().parse::<RoundingMode>().unwrap(), mode);
            assert_eq!(format!(" {mode} ").parse::<RoundingMode>().unwrap(), mode);
        }
        let error = "Half_Up".parse::<RoundingMode>().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidSchedule);
        assert!(error.message().contains("\"Half_Up\""), "{error}");
        assert_eq!(Rounding::default(), Rounding { mode: RoundingMode::HalfUp, scale: 2 });
    }

    #[test]
    fn scales_zero_to_five_and_no_further() {
        for (scale, unit) in UNIT_MILLIFEN.iter().enumerate() {
            let rounding = Rounding::new(RoundingMode::Down, scale as u32).unwrap();
            assert_eq!(rounding.unit_millifen(), *unit, "scale {scale}");
            assert!(rounding.represents(Money::from_millifen(unit * 7).unwrap()));
            assert_eq!(rounding.represents(Money::from_millifen(unit * 7 + 1).unwrap()), *unit == 1);
        }
        let error = Rounding::new(RoundingMode::Up, 6).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidSchedule);
        assert!(error.message().contains("scale 6"), "{error}");
    }

    #[test]
    fn rates_ratios_and_rounding_agree_with_the_oracle() {
        let rates = ["0%", "0.38%", "0.5%", "0.6%", "0.615%", "1.25%", "100%"].map(|r| Rate::parse(r).unwrap());
        for mode in MODES {
            for (scale, &unit) in UNIT_MILLIFEN.iter().enumerate() {
                let rounding = Rounding::new(mode, scale as u32).unwrap();
                for millifen in (-2_000_003..=2_000_003i64).step_by(99_991).chain([0, 1, 499, 500, 501, 5_000, 15_000, -500]) {
                    let money = Money::from_millifen(millifen).unwrap();
                    let expected_round = oracle(mode, i128::from(millifen), i128::from(unit)) as i64 * unit;
                    assert_eq!(rounding.round(money).millifen(), expected_round, "{mode} scale {scale}: round {millifen}");
                    for rate in rates {
                        let exact = i128::from(millifen) * i128::from(rate.e8());
                        let expected = oracle(mode, exact, i128::from(unit) * 100_000_000) as i64 * unit;
                        assert_eq!(rounding.apply_rate(money, rate).millifen(), expected, "{mode} scale {scale}: {millifen} × {rate}");
                    }
                    for (numerator, denominator) in [(1, 3), (2, 3), (250, 1_000), (7, 7), (0, 5), (-1, 2)] {
                        let exact = i128::from(millifen) * numerator;
                        let expected = oracle(mode, exact, i128::from(denominator) * i128::from(unit)) as i64 * unit;
                        assert_eq!(rounding.apply_ratio(money, numerator as i64, denominator).unwrap().millifen(), expected);
                    }
                }
            }
        }
        for denominator in [0, -3] {
            let error = Rounding::FEN_HALF_UP.apply_ratio(Money::from_fen(10), 1, denominator).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidRequest);
        }
    }

    #[test]
    fn large_products_take_the_wide_path() {
        let rate = Rate::parse("100%").unwrap();
        assert_eq!(Rounding::FEN_HALF_UP.apply_rate(Money::MAX, rate), Money::MAX);
    }
}

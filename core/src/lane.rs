//! One compiled way of pricing trades: a rule's rate, cap, floor and fixed fee and at most
//! one settlement surcharge, with the schedule's rounding. The bulk paths ([`FeeKernel`] of
//! reconciliation and [`Schedule::quote_table`]) price every row through [`Lane::fee_millifen`];
//! the lanes themselves are chosen by [`Schedule::quote_with`]'s own rule choice, so the
//! two paths cannot disagree on which rule applies.
//!
//! [`FeeKernel`]: crate::reconcile::FeeKernel
//! [`Schedule::quote_table`]: crate::Schedule::quote_table
//! [`Schedule::quote_with`]: crate::Schedule::quote_with

use crate::money::{Money, MILLIFEN_PER_FEN};
use crate::quote::Limit;
use crate::rate::{Rate, RATE_ONE_E8};
use crate::rounding::{Rounding, RoundingMode};
use crate::schedule::{Rule, Surcharge};

/// The largest trade amount in fen.
pub(crate) const AMOUNT_FEN_MAX: i64 = Money::MAX_AMOUNT.millifen() / MILLIFEN_PER_FEN;

/// A rule (and surcharge) compiled for the row loops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Lane {
    pub rate: Rate,
    pub fixed: Money,
    pub surcharge_rate: Rate,
    pub surcharge_fixed: Money,
    pub has_surcharge: bool,
    /// The floor in thousandths of a fen (0 when none: a rate fee is never negative).
    pub floor_millifen: i64,
    /// The cap in thousandths of a fen (`i64::MAX` when none).
    pub cap_millifen: i64,
}

impl Lane {
    /// The lane of `rule` with `surcharge` (the one surcharge of the applied settlement mode).
    pub(crate) fn new(rule: &Rule, surcharge: Option<&Surcharge>) -> Lane {
        let limit = crate::schedule::RATE_SANITY_LIMIT;
        assert!(rule.rate() <= limit && surcharge.map_or(true, |s| s.rate() <= limit), "schedule rates are checked on load");
        assert!(rule.cap().zip(rule.floor()).map_or(true, |(cap, floor)| cap >= floor), "caps are checked against floors on load");
        Lane {
            rate: rule.rate(),
            fixed: rule.fixed(),
            surcharge_rate: surcharge.map_or(Rate::ZERO, Surcharge::rate),
            surcharge_fixed: surcharge.map_or(Money::ZERO, Surcharge::fixed),
            has_surcharge: surcharge.is_some(),
            floor_millifen: rule.floor().map_or(0, Money::millifen),
            cap_millifen: rule.cap().map_or(i64::MAX, Money::millifen),
        }
    }

    /// A lane that charges nothing (a placeholder where no lane applies).
    pub(crate) const fn new_zero() -> Lane {
        Lane {
            rate: Rate::ZERO,
            fixed: Money::ZERO,
            surcharge_rate: Rate::ZERO,
            surcharge_fixed: Money::ZERO,
            has_surcharge: false,
            floor_millifen: 0,
            cap_millifen: i64::MAX,
        }
    }

    /// The fee of a trade of `amount_fen` (a valid trade amount), in thousandths of a fen:
    /// exactly the lines of [`Schedule::quote_with`](crate::Schedule::quote_with) (the rate
    /// line with its floor, then its cap; the fixed fee; the surcharge), each rounded on its own.
    #[inline(always)]
    pub(crate) fn fee_millifen<R: RoundRate>(&self, round: R, amount_fen: i64) -> i64 {
        self.fee_from(round, amount_fen, round.rate_millifen(amount_fen, self.rate))
    }

    /// [`Lane::fee_millifen`] and the limit that changed the rate line.
    #[inline(always)]
    pub(crate) fn fee_and_limit<R: RoundRate>(&self, round: R, amount_fen: i64) -> (i64, Option<Limit>) {
        let before_limit = round.rate_millifen(amount_fen, self.rate);
        let limit = if self.floor_millifen > before_limit {
            Some(Limit::Floor)
        } else if before_limit > self.cap_millifen {
            Some(Limit::Cap)
        } else {
            None
        };
        (self.fee_from(round, amount_fen, before_limit), limit)
    }

    /// [`Lane::fee_millifen`] without a branch: the surcharge added (a lane without one has a
    /// zero surcharge) when `SURCHARGE`, which may be false only for a lane without one.
    #[inline(always)]
    pub(crate) fn fee_millifen_unbranched<R: RoundRate, const SURCHARGE: bool>(&self, round: R, amount_fen: i64) -> i64 {
        debug_assert!(SURCHARGE || !self.has_surcharge);
        let fee = self.limited(round.rate_millifen(amount_fen, self.rate)) + self.fixed.millifen();
        if SURCHARGE {
            fee + round.rate_millifen(amount_fen, self.surcharge_rate) + self.surcharge_fixed.millifen()
        } else {
            fee
        }
    }

    /// The fee from the rate line before its limits: the limited rate line, the fixed fee and
    /// the surcharge.
    #[inline(always)]
    fn fee_from<R: RoundRate>(&self, round: R, amount_fen: i64, before_limit: i64) -> i64 {
        let mut fee = self.limited(before_limit) + self.fixed.millifen();
        if self.has_surcharge {
            fee += round.rate_millifen(amount_fen, self.surcharge_rate) + self.surcharge_fixed.millifen();
        }
        fee
    }

    /// The rate line within its limits ([`within_limits`]).
    #[inline(always)]
    fn limited(&self, before_limit: i64) -> i64 {
        within_limits(before_limit, self.floor_millifen, self.cap_millifen)
    }

    /// The lane in whole fen, for fees written in fen: `None` when it has a surcharge, or a
    /// fixed fee, floor or cap that is not a whole fen.
    #[cfg(feature = "arrow")]
    pub(crate) fn in_fen(&self) -> Option<FenLane> {
        let fen = |millifen: i64| (millifen % MILLIFEN_PER_FEN == 0).then_some(millifen / MILLIFEN_PER_FEN);
        let cap_fen = if self.cap_millifen == i64::MAX { Some(i64::MAX) } else { fen(self.cap_millifen) };
        match (self.has_surcharge, fen(self.fixed.millifen()), fen(self.floor_millifen), cap_fen) {
            (false, Some(fixed_fen), Some(floor_fen), Some(cap_fen)) => Some(FenLane { rate: self.rate, fixed_fen, floor_fen, cap_fen }),
            _ => None,
        }
    }
}

/// `value` within `floor..=cap` (the rate line within its limits): the floor wins below it,
/// else the cap above it (a schedule's cap is never below its floor), which is `min(cap)`
/// then `max(floor)`, without a data-dependent branch (a cap reached by some rows and not
/// others would mispredict). Written as arithmetic on the differences' signs: as `min` and
/// `max`, and even as `std::hint::select_unpredictable`, LLVM made both branches in the fee
/// loop, which cost a quarter of `fee_table`'s time on a table with capped debit rows.
#[inline(always)]
fn within_limits(value: i64, floor: i64, cap: i64) -> i64 {
    debug_assert!(value >= 0 && floor >= 0 && cap >= floor);
    // All three are in 0..=i64::MAX, so neither difference overflows; `d >> 63` is all ones
    // when `d` is negative, else zero.
    let capped = at_most(value, cap);
    let over_floor = capped - floor;
    floor + (over_floor & !(over_floor >> 63))
}

/// `value.min(cap)` for both in 0..=i64::MAX, without a branch ([`within_limits`]).
#[inline(always)]
fn at_most(value: i64, cap: i64) -> i64 {
    let over_cap = value - cap;
    cap + (over_cap & (over_cap >> 63))
}

/// A [`Lane`] without a surcharge whose fixed fee, floor and cap are whole fen
/// ([`Lane::in_fen`]): with a schedule that rounds to the fen, its fee is a whole fen computed
/// in fen, the same as [`Lane::fee_millifen`] gives in thousandths.
#[cfg(feature = "arrow")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FenLane {
    rate: Rate,
    fixed_fen: i64,
    floor_fen: i64,
    /// `i64::MAX` when none.
    cap_fen: i64,
}

#[cfg(feature = "arrow")]
impl FenLane {
    /// A lane that charges nothing (a placeholder where no lane applies).
    pub(crate) const ZERO: FenLane = FenLane { rate: Rate::ZERO, fixed_fen: 0, floor_fen: 0, cap_fen: i64::MAX };

    /// Whether the lane has a floor.
    pub(crate) fn has_floor(&self) -> bool {
        self.floor_fen > 0
    }

    /// The fee in fen of a trade of `amount_fen` (a valid trade amount), rounded to the fen
    /// by `round`. `FLOOR`: whether to apply the floor (false only when the lane has none).
    #[inline(always)]
    pub(crate) fn fee_fen<R: RoundRate, const FLOOR: bool>(&self, round: R, amount_fen: i64) -> i64 {
        debug_assert!(FLOOR || !self.has_floor());
        let rate_fen = round.rate_fen(amount_fen, self.rate);
        let limited_fen = if FLOOR { within_limits(rate_fen, self.floor_fen, self.cap_fen) } else { at_most(rate_fen, self.cap_fen) };
        limited_fen + self.fixed_fen
    }
}

/// `amount × rate` rounded by a schedule's rounding, in thousandths of a fen: the arithmetic
/// of [`Rounding::apply_rate`], specialised for the row loops.
pub(crate) trait RoundRate: Copy {
    /// `amount_fen` fen × `rate`, rounded; `0 <= amount_fen <= AMOUNT_FEN_MAX`.
    fn rate_millifen(self, amount_fen: i64, rate: Rate) -> i64;

    /// [`RoundRate::rate_millifen`] in fen, for a rounding to the fen (scale 2).
    #[inline(always)]
    fn rate_fen(self, amount_fen: i64, rate: Rate) -> i64 {
        self.rate_millifen(amount_fen, rate) / MILLIFEN_PER_FEN
    }
}

/// Rounding to the fen (scale 2, by far the common case) with the mode as a constant: the
/// division by a constant becomes a multiplication.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub(crate) struct FenRounding<const MODE: u8>;

impl<const MODE: u8> FenRounding<MODE> {
    const MODE: RoundingMode = match MODE {
        m if m == RoundingMode::HalfUp as u8 => RoundingMode::HalfUp,
        m if m == RoundingMode::HalfEven as u8 => RoundingMode::HalfEven,
        m if m == RoundingMode::Up as u8 => RoundingMode::Up,
        _ => RoundingMode::Down,
    };
}

impl<const MODE: u8> RoundRate for FenRounding<MODE> {
    #[inline(always)]
    fn rate_millifen(self, amount_fen: i64, rate: Rate) -> i64 {
        self.rate_fen(amount_fen, rate) * MILLIFEN_PER_FEN
    }

    #[inline(always)]
    fn rate_fen(self, amount_fen: i64, rate: Rate) -> i64 {
        // amount (fen) × rate (1e-8) / 1e8, rounded to the fen: the division of
        // `Rounding::apply_rate` at scale 2 with both sides divided by 1000. Amounts up to
        // 10¹¹ fen and rates up to 10% (10⁷, `RATE_SANITY_LIMIT`, checked by `Lane::new`)
        // keep the product below 2⁶³.
        Self::MODE.divide_non_negative(amount_fen * rate.e8(), RATE_ONE_E8)
    }
}

/// Any rounding, through [`Rounding::apply_rate`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct AnyRounding(pub Rounding);

impl RoundRate for AnyRounding {
    #[inline(always)]
    fn rate_millifen(self, amount_fen: i64, rate: Rate) -> i64 {
        self.0.apply_rate(Money::from_fen(amount_fen), rate).millifen()
    }
}

/// Runs `$body` with `$round` bound to the fastest [`RoundRate`] for `$rounding`. The
/// WebAssembly build takes [`AnyRounding`] always (one copy of each row loop instead of five:
/// the same arithmetic, checked equal by `fen_rounding_is_apply_rate`).
#[cfg(target_arch = "wasm32")]
macro_rules! with_round_rate {
    ($rounding:expr, $round:ident => $body:expr) => {{
        let $round = $crate::lane::AnyRounding($rounding);
        $body
    }};
}

/// Runs `$body` with `$round` bound to the fastest [`RoundRate`] for `$rounding`.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! with_round_rate {
    ($rounding:expr, $round:ident => $body:expr) => {{
        use $crate::lane::{AnyRounding, FenRounding};
        use $crate::rounding::RoundingMode;
        let rounding: $crate::rounding::Rounding = $rounding;
        match (rounding.scale, rounding.mode) {
            (2, RoundingMode::HalfUp) => {
                let $round = FenRounding::<{ RoundingMode::HalfUp as u8 }>;
                $body
            }
            (2, RoundingMode::HalfEven) => {
                let $round = FenRounding::<{ RoundingMode::HalfEven as u8 }>;
                $body
            }
            (2, RoundingMode::Up) => {
                let $round = FenRounding::<{ RoundingMode::Up as u8 }>;
                $body
            }
            (2, RoundingMode::Down) => {
                let $round = FenRounding::<{ RoundingMode::Down as u8 }>;
                $body
            }
            _ => {
                let $round = AnyRounding(rounding);
                $body
            }
        }
    }};
}
pub(crate) use with_round_rate;

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn within_limits_is_min_cap_then_max_floor(
            value in 0..=i64::MAX,
            floor in 0..=i64::MAX,
            above_floor in 0..=i64::MAX,
            edge in 0u8..4,
        ) {
            let cap = floor.saturating_add(above_floor);
            // Values on and next to the limits as often as anywhere.
            let value = match edge { 0 => value, 1 => cap, 2 => floor, _ => cap.saturating_add(1) };
            proptest::prop_assert_eq!(within_limits(value, floor, cap), value.min(cap).max(floor));
        }
    }

    #[test]
    fn fen_rounding_is_apply_rate() {
        let rates = ["0.6%", "0.55%", "0.38%", "0.5%", "0%", "10%", "0.000001%", "9.999999%"];
        for mode in [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Up, RoundingMode::Down] {
            let rounding = Rounding::new(mode, 2).unwrap();
            for rate in rates.map(|r| Rate::parse(r).unwrap()) {
                for fen in [0, 1, 50, 99, 100, 101, 12_345, 363_546, 999_999, AMOUNT_FEN_MAX] {
                    let expected = rounding.apply_rate(Money::from_fen(fen), rate).millifen();
                    let got = with_round_rate!(rounding, round => round.rate_millifen(fen, rate));
                    assert_eq!(got, expected, "{mode} {rate} {fen}");
                }
            }
        }
    }
}

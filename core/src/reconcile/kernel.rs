//! The bulk fee path: a schedule version compiled to one lane per channel, applied to whole
//! columns of amounts.

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::channel::Channel;
use crate::error::{Error, ErrorKind, Result};
use crate::money::{Money, MILLIFEN_PER_FEN};
use crate::quote::{FeeLineKind, QuoteRequest};
use crate::rate::Rate;
use crate::rounding::{Rounding, RoundingMode};
use crate::schedule::Schedule;
use crate::settlement::SettlementMode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Lane {
    rate: Rate,
    cap: Option<Money>,
    floor: Option<Money>,
    fixed: Money,
    surcharge_rate: Rate,
    surcharge_fixed: Money,
    has_surcharge: bool,
    /// The floor in thousandths of a fen (`i64::MIN` when none).
    floor_millifen: i64,
    /// The cap in thousandths of a fen (`i64::MAX` when none).
    cap_millifen: i64,
}

const MAX_AMOUNT_FEN: i64 = Money::MAX_AMOUNT.millifen() / MILLIFEN_PER_FEN;

/// A schedule version compiled for columns: for each channel whose pricing does not depend
/// on the amount band, validity window or card type, the rule (and settlement surcharge)
/// that [`Schedule::quote_with`] picks, applied with the schedule's own [`Rounding`].
/// Built from the schedule, never written by hand; the tests check it against
/// [`Schedule::quote`] fee for fee.
///
/// # Example
/// ```
/// use posfee::{Channel, Money, Schedule, SettlementMode, parse_china_time};
/// use posfee::reconcile::FeeKernel;
/// let schedule = Schedule::preset("sft-traditional")?;
/// let kernel = FeeKernel::new(&schedule, parse_china_time("2026-05-06")?, None, SettlementMode::T(1))?;
/// let amounts = [10_000, 500_000, 10_000];
/// let channels = [Channel::Credit, Channel::Debit, Channel::Wechat];
/// let mut fees = [0i64; 3];
/// kernel.fees_millifen(&amounts, &channels, &mut fees)?;
/// assert_eq!(fees, [60_000, 2_000_000, 38_000]); // ¥0.60, ¥20 (cap), ¥0.38
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeKernel {
    rounding: Rounding,
    lanes: [Option<Lane>; Channel::ALL.len()],
}

impl FeeKernel {
    /// Compiles the version of `schedule` in force at `at` for a merchant of
    /// `merchant_class` settling `settlement`. Channels the kernel cannot price without the
    /// amount band, time window or card type are left out (see [`FeeKernel::supports`]).
    ///
    /// # Errors
    /// [`ErrorKind::NoScheduleVersion`] when `at` precedes the schedule.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Schedule, SettlementMode, parse_china_time};
    /// let kernel = posfee::reconcile::FeeKernel::new(&Schedule::preset("standard")?, parse_china_time("2026-05-06")?, None, SettlementMode::T(1))?;
    /// assert!(kernel.supports(Channel::Credit));
    /// assert!(!kernel.supports(Channel::UnionpayQr)); // priced by amount band and card type
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn new(
        schedule: &Schedule,
        at: DateTime<FixedOffset>,
        merchant_class: Option<&str>,
        settlement: SettlementMode,
    ) -> Result<FeeKernel> {
        let version = schedule.version_at(at)?;
        let mut lanes = [None; Channel::ALL.len()];
        for channel in Channel::ALL {
            let rules: Vec<_> = version.rules().iter().filter(|r| r.channels().contains(&channel)).collect();
            let conditional = rules.iter().any(|r| {
                r.amount_over().is_some()
                    || r.amount_up_to().is_some()
                    || r.valid_from().is_some()
                    || r.valid_until().is_some()
                    || r.card_type().is_some()
            });
            let surcharge_minimum = version
                .surcharges()
                .iter()
                .any(|s| s.channels().contains(&channel) && s.modes().contains(&settlement) && s.min_amount().is_some());
            if rules.is_empty() || conditional || surcharge_minimum {
                continue;
            }
            // Let the schedule pick the rule and surcharges, on a probe trade.
            let mut request = QuoteRequest::new(Money::from_yuan(100), channel, at).settlement(settlement);
            request.merchant_class = merchant_class.map(str::to_string);
            let Ok(quote) = schedule.quote_with(&request, crate::calendar::Calendar::china()).or_else(|_| {
                schedule.quote_with(
                    &request.clone().calendar_policy(crate::quote::CalendarPolicy::WeekendsOnly),
                    crate::calendar::Calendar::china(),
                )
            }) else {
                continue;
            };
            let Some(rule) = version.rules().iter().find(|r| r.id() == &*quote.rule) else {
                continue;
            };
            let surcharges: Vec<_> = quote.lines.iter().filter(|l| l.kind == FeeLineKind::Surcharge).collect();
            if surcharges.len() > 1 {
                continue;
            }
            lanes[channel as usize] = Some(Lane {
                rate: rule.rate(),
                cap: rule.cap(),
                floor: rule.floor(),
                fixed: rule.fixed(),
                surcharge_rate: surcharges.first().and_then(|l| l.rate).unwrap_or(Rate::ZERO),
                surcharge_fixed: surcharges.first().map(|l| l.fixed).unwrap_or(Money::ZERO),
                has_surcharge: !surcharges.is_empty(),
                floor_millifen: rule.floor().map_or(i64::MIN, Money::millifen),
                cap_millifen: rule.cap().map_or(i64::MAX, Money::millifen),
            });
        }
        Ok(FeeKernel { rounding: schedule.rounding(), lanes })
    }

    /// Whether the kernel prices `channel`.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Schedule, SettlementMode, parse_china_time};
    /// let kernel = posfee::reconcile::FeeKernel::new(&Schedule::preset("sft-traditional")?, parse_china_time("2026-05-06")?, None, SettlementMode::T(1))?;
    /// assert!(!kernel.supports(Channel::Quickpass)); // not in the contract
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn supports(&self, channel: Channel) -> bool {
        self.lanes[channel as usize].is_some()
    }

    #[inline(always)]
    fn lane_fee(rounding: Rounding, lane: &Lane, amount: Money) -> Money {
        let before_limit = rounding.apply_rate(amount, lane.rate);
        let mut fee = before_limit;
        if let Some(floor) = lane.floor {
            if before_limit < floor {
                fee = floor;
            }
        }
        if let Some(cap) = lane.cap {
            if !(lane.floor.is_some_and(|floor| before_limit < floor)) && before_limit > cap {
                fee = cap;
            }
        }
        let mut total = fee.millifen() + lane.fixed.millifen();
        if lane.has_surcharge {
            total += rounding.apply_rate(amount, lane.surcharge_rate).millifen() + lane.surcharge_fixed.millifen();
        }
        Money::from_millifen(total).unwrap_or(Money::MAX)
    }

    /// The fee of one trade of `amount_fen` fen, or `None` when the channel is not supported
    /// or the amount is not a valid trade amount.
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Money, Schedule, SettlementMode, parse_china_time};
    /// let kernel = posfee::reconcile::FeeKernel::new(&Schedule::preset("sft-traditional")?, parse_china_time("2026-05-06")?, None, SettlementMode::T(1))?;
    /// assert_eq!(kernel.fee(100_000, Channel::Credit), Some(Money::from_fen(600)));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn fee(&self, amount_fen: i64, channel: Channel) -> Option<Money> {
        let lane = self.lanes[channel as usize].as_ref()?;
        let amount = Money::try_from_fen(amount_fen).ok()?.into_amount().ok()?;
        Some(Self::lane_fee(self.rounding, lane, amount))
    }

    /// Fees (in thousandths of a fen) of whole columns, on this thread.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] when the slices differ in length or a channel is not
    /// supported (naming the row); [`ErrorKind::InvalidAmount`] for an amount that is not a
    /// valid trade amount (naming the row).
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Schedule, SettlementMode, parse_china_time};
    /// let kernel = posfee::reconcile::FeeKernel::new(&Schedule::preset("standard")?, parse_china_time("2026-05-06")?, None, SettlementMode::T(1))?;
    /// let mut out = [0i64; 1];
    /// assert!(kernel.fees_millifen(&[-1], &[Channel::Credit], &mut out).is_err());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn fees_millifen(&self, amounts_fen: &[i64], channels: &[Channel], out: &mut [i64]) -> Result<()> {
        if amounts_fen.len() != channels.len() || amounts_fen.len() != out.len() {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("column lengths differ: {} amounts, {} channels, {} outputs", amounts_fen.len(), channels.len(), out.len()),
            ));
        }
        self.fees_offset(amounts_fen, channels, out, 0)
    }

    fn fees_offset(&self, amounts_fen: &[i64], channels: &[Channel], out: &mut [i64], offset: usize) -> Result<()> {
        // Fen rounding (scale 2, by far the common case) divides by a constant, which the
        // compiler turns into a multiplication; any other scale takes the general path.
        match (self.rounding.scale, self.rounding.mode) {
            (2, RoundingMode::HalfUp) => self.fees_fen::<{ RoundingMode::HalfUp as u8 }>(amounts_fen, channels, out, offset),
            (2, RoundingMode::HalfEven) => self.fees_fen::<{ RoundingMode::HalfEven as u8 }>(amounts_fen, channels, out, offset),
            (2, RoundingMode::Up) => self.fees_fen::<{ RoundingMode::Up as u8 }>(amounts_fen, channels, out, offset),
            (2, RoundingMode::Down) => self.fees_fen::<{ RoundingMode::Down as u8 }>(amounts_fen, channels, out, offset),
            _ => self.fees_general(amounts_fen, channels, out, offset),
        }
    }

    fn fees_general(&self, amounts_fen: &[i64], channels: &[Channel], out: &mut [i64], offset: usize) -> Result<()> {
        for (row, ((&amount, &channel), slot)) in amounts_fen.iter().zip(channels).zip(out.iter_mut()).enumerate() {
            let lane = self.lane(channel, amount, row + offset)?;
            *slot = Self::lane_fee(self.rounding, lane, Money::from_fen(amount)).millifen();
        }
        Ok(())
    }

    #[inline(always)]
    fn lane(&self, channel: Channel, amount_fen: i64, row: usize) -> Result<&Lane> {
        let Some(lane) = &self.lanes[channel as usize] else {
            return Err(Error::new(ErrorKind::InvalidRequest, format!("row {row}: channel {channel} is not priced by the kernel")));
        };
        if !(0..=MAX_AMOUNT_FEN).contains(&amount_fen) {
            return Err(Error::new(ErrorKind::InvalidAmount, format!("row {row}: amount {amount_fen} fen is not a trade amount")));
        }
        Ok(lane)
    }

    fn fees_fen<const MODE: u8>(&self, amounts_fen: &[i64], channels: &[Channel], out: &mut [i64], offset: usize) -> Result<()> {
        let mode = match MODE {
            m if m == RoundingMode::HalfUp as u8 => RoundingMode::HalfUp,
            m if m == RoundingMode::HalfEven as u8 => RoundingMode::HalfEven,
            m if m == RoundingMode::Up as u8 => RoundingMode::Up,
            _ => RoundingMode::Down,
        };
        // amount (fen) × rate (1e-8) / 1e8, rounded to the fen: the same division as
        // `Rounding::apply_rate` at scale 2, with both sides divided by 1000.
        let rate_fen = |amount_fen: i64, rate: Rate| -> i64 { mode.divide_non_negative(amount_fen * rate.e8(), crate::rate::RATE_ONE_E8) };
        for (row, ((&amount, &channel), slot)) in amounts_fen.iter().zip(channels).zip(out.iter_mut()).enumerate() {
            let lane = self.lane(channel, amount, row + offset)?;
            // amount ≤ 10¹¹ fen and rates ≤ 10% (10⁷) keep the product below 2⁶³.
            let before_limit = rate_fen(amount, lane.rate) * MILLIFEN_PER_FEN;
            let mut fee = before_limit;
            if lane.floor_millifen > before_limit {
                fee = lane.floor_millifen;
            } else if before_limit > lane.cap_millifen {
                fee = lane.cap_millifen;
            }
            fee += lane.fixed.millifen();
            if lane.has_surcharge {
                fee += rate_fen(amount, lane.surcharge_rate) * MILLIFEN_PER_FEN + lane.surcharge_fixed.millifen();
            }
            *slot = fee;
        }
        Ok(())
    }

    /// [`fees_millifen`](FeeKernel::fees_millifen) on all threads (rayon), in chunks.
    ///
    /// # Errors
    /// As [`fees_millifen`](FeeKernel::fees_millifen) (the first failing chunk's error).
    ///
    /// # Example
    /// ```
    /// use posfee::{Channel, Schedule, SettlementMode, parse_china_time};
    /// let kernel = posfee::reconcile::FeeKernel::new(&Schedule::preset("standard")?, parse_china_time("2026-05-06")?, None, SettlementMode::T(1))?;
    /// let amounts = vec![10_000i64; 100_000];
    /// let channels = vec![Channel::Alipay; 100_000];
    /// let mut out = vec![0i64; 100_000];
    /// kernel.par_fees_millifen(&amounts, &channels, &mut out)?;
    /// assert!(out.iter().all(|&fee| fee == 38_000));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn par_fees_millifen(&self, amounts_fen: &[i64], channels: &[Channel], out: &mut [i64]) -> Result<()> {
        if amounts_fen.len() != channels.len() || amounts_fen.len() != out.len() {
            return self.fees_millifen(amounts_fen, channels, out);
        }
        const CHUNK: usize = 1 << 16;
        out.par_chunks_mut(CHUNK).enumerate().try_for_each(|(k, slot)| {
            let start = k * CHUNK;
            let end = start + slot.len();
            self.fees_offset(&amounts_fen[start..end], &channels[start..end], slot, start)
        })
    }
}

//! The bulk fee path: a schedule version compiled to one lane per channel, applied to whole
//! columns of amounts.

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use super::hash::FxHashMap;
use crate::channel::Channel;
use crate::error::{Error, ErrorKind, Result};
use crate::lane::{with_round_rate, Lane, RoundRate, AMOUNT_FEN_MAX};
use crate::money::Money;
use crate::quote::{FeeLineKind, QuoteRequest};
use crate::rounding::Rounding;
use crate::schedule::Schedule;
use crate::settlement::SettlementMode;

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
            let surcharge = surcharges.first().and_then(|line| version.surcharges().iter().find(|s| s.id() == &*line.source));
            lanes[channel as usize] = Some(Lane::new(rule, surcharge));
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
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    pub fn fee(&self, amount_fen: i64, channel: Channel) -> Option<Money> {
        let lane = self.lanes[channel as usize].as_ref()?;
        if !(0..=AMOUNT_FEN_MAX).contains(&amount_fen) {
            return None;
        }
        let fee = with_round_rate!(self.rounding, round => lane.fee_millifen(round, amount_fen));
        Money::from_millifen(fee).ok()
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
        with_round_rate!(self.rounding, round => self.fees_with(round, amounts_fen, channels, out, offset))
    }

    #[inline(always)]
    fn lane(&self, channel: Channel, amount_fen: i64, row: usize) -> Result<&Lane> {
        match &self.lanes[channel as usize] {
            Some(lane) if (0..=AMOUNT_FEN_MAX).contains(&amount_fen) => Ok(lane),
            _ => Err(self.lane_error(channel, amount_fen, row)),
        }
    }

    /// The error of a row the kernel cannot price: out of line, its arguments by value, so the
    /// row loop keeps them in registers.
    #[cold]
    #[inline(never)]
    fn lane_error(&self, channel: Channel, amount_fen: i64, row: usize) -> Error {
        if self.lanes[channel as usize].is_none() {
            Error::new(ErrorKind::InvalidRequest, format!("row {row}: channel {channel} is not priced by the kernel"))
        } else {
            Error::new(ErrorKind::InvalidAmount, format!("row {row}: amount {amount_fen} fen is not a trade amount"))
        }
    }

    // One function per rounding (not inlined into the dispatch), so that each row loop keeps
    // its values in registers.
    #[inline(never)]
    fn fees_with<R: RoundRate>(&self, round: R, amounts_fen: &[i64], channels: &[Channel], out: &mut [i64], offset: usize) -> Result<()> {
        for (row, ((&amount, &channel), slot)) in amounts_fen.iter().zip(channels).zip(out.iter_mut()).enumerate() {
            let lane = self.lane(channel, amount, row + offset)?;
            *slot = lane.fee_millifen(round, amount);
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

/// The kernels of each distinct pricing (a schedule, a merchant class, a settlement mode),
/// one per version of the schedule, compiled once: a thousand merchants on a few presets
/// compile a few kernels.
#[derive(Debug, Default)]
pub(crate) struct Pricings<'s> {
    index: FxHashMap<(usize, Option<&'s str>, SettlementMode), u32>,
    /// Per pricing, per version of its schedule: its kernel (`None`: the version cannot be
    /// compiled).
    kernels: Vec<Vec<Option<FeeKernel>>>,
}

impl<'s> Pricings<'s> {
    /// The number of the pricing of `schedule` for a merchant of `class` settling
    /// `settlement`, compiled at its first call.
    pub fn pricing(&mut self, schedule: &'s Schedule, class: Option<&'s str>, settlement: SettlementMode) -> u32 {
        let kernels = &mut self.kernels;
        *self.index.entry((schedule as *const Schedule as usize, class, settlement)).or_insert_with(|| {
            kernels
                .push(schedule.versions().iter().map(|v| FeeKernel::new(schedule, v.effective_from(), class, settlement).ok()).collect());
            kernels.len() as u32 - 1
        })
    }

    /// The fee of a trade of `amount` on `channel` at `seconds` (Unix time) under `pricing`
    /// (of `schedule`): the kernel of the version in force when it prices the trade, `None` when
    /// only [`Schedule::quote_with`] can (no version, a channel or amount the kernel does not
    /// price). Inlined but in WebAssembly (called on every plain purchase of a reconcile: a
    /// call of its own was 1.5% of a reconcile's samples, and the checks 10% slower).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    pub fn fee(&self, pricing: u32, schedule: &Schedule, seconds: i64, amount: Money, channel: Channel) -> Option<Money> {
        // The versions in force by then (a schedule has a few, in order): counted, not
        // searched (`partition_point` was a call of its own on every trade).
        let version = schedule.versions().iter().take_while(|v| v.effective_from().timestamp() <= seconds).count();
        let kernel = self.kernels[pricing as usize].get(version.checked_sub(1)?)?.as_ref()?;
        amount.fen().and_then(|fen| kernel.fee(fen, channel))
    }
}

//! Matching expected payouts to the acquirer's bank rows, in deterministic passes:
//!
//! 1. exact: each payout (in date order) takes the unused row of exactly its amount posted
//!    within its window (0 to `delay_max_business_days` business days after its settlement
//!    date, counted from the first business day on or after it), the least delayed first;
//!    a negative payout (refunds above sales) takes a debit the same way;
//! 2. merged: each unused credit (in file order) takes the first subset of 2 to
//!    `merge_payouts_max` unused payouts whose windows hold its date and whose amounts add up
//!    to it exactly (subsets tried by size, then in date order; at most
//!    [`MERGE_CANDIDATES_MAX`] payouts are considered, the earliest);
//! 3. deductions: an unused debit by the acquirer on the day of a matched credit (the nearest
//!    credit above it in the file, else below) makes that payout short by the debit;
//! 4. short: unused (payout, credit) pairs in the window whose credit is less than the payout
//!    by at most `short_difference_max`, the smallest difference first;
//! 5. what is left: payouts are missing (or not checked, when their window is not inside the
//!    bank statement's period, or their net is zero); rows are unexplained.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use super::class::DepositClass;
use super::payouts::Payout;
use crate::calendar::Calendar;
use crate::error::Result;
use crate::money::Money;

/// The most payouts the merge pass considers for one credit.
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::deposits::MERGE_CANDIDATES_MAX, 16);
/// ```
pub const MERGE_CANDIDATES_MAX: usize = 16;

/// An acquirer's bank row as the matcher sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry {
    pub date: NaiveDate,
    pub amount: Money,
    pub line: u64,
}

/// What the passes need besides the rows.
pub(crate) struct Rules<'c> {
    pub calendar: &'c Calendar,
    pub on_time_business_days: i64,
    pub delay_max_business_days: i64,
    pub merge_payouts_max: usize,
    pub short_difference_max: Money,
    pub covered_from: NaiveDate,
    pub as_of: NaiveDate,
}

/// Why a payout was not checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unchecked {
    ZeroNet,
    DueAfter(NaiveDate),
    BeforeStart,
}

/// The outcome of matching: per payout and per entry, its class and partners.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub payout_class: Vec<DepositClass>,
    /// The entries that paid each payout (the credit, then a deduction line).
    pub payout_entries: Vec<Vec<usize>>,
    pub payout_delay: Vec<Option<i64>>,
    pub payout_received: Vec<Option<Money>>,
    pub payout_overdue: Vec<Option<i64>>,
    pub payout_unchecked: Vec<Option<Unchecked>>,
    pub entry_class: Vec<DepositClass>,
    pub entry_payouts: Vec<Vec<usize>>,
}

impl Rules<'_> {
    /// The first business day on or after the settlement date: the day a payout is due.
    fn due(&self, settlement: NaiveDate) -> Result<NaiveDate> {
        self.calendar.add_business_days(settlement, 0)
    }

    /// Business days in (due, posted]: 0 when posted on or before the due day, `None` when
    /// posted before the settlement date.
    fn delay(&self, settlement: NaiveDate, posted: NaiveDate) -> Result<Option<i64>> {
        if posted < settlement {
            return Ok(None);
        }
        let due = self.due(settlement)?;
        if posted <= due {
            return Ok(Some(0));
        }
        Ok(Some(self.calendar.business_days_between(next(due), next(posted))?))
    }

    fn in_window(&self, settlement: NaiveDate, posted: NaiveDate) -> Result<Option<i64>> {
        Ok(self.delay(settlement, posted)?.filter(|d| *d <= self.delay_max_business_days))
    }

    /// The last day a payout may be posted.
    fn window_end(&self, settlement: NaiveDate) -> Result<NaiveDate> {
        self.calendar.add_business_days(self.due(settlement)?, self.delay_max_business_days)
    }
}

fn next(date: NaiveDate) -> NaiveDate {
    date.checked_add_days(Days::new(1)).unwrap_or(date)
}

/// Matches `payouts` (ordered by date and merchant) to `entries` (in file order).
pub(crate) fn match_deposits(payouts: &[Payout], entries: &[Entry], rules: &Rules<'_>) -> Result<Outcome> {
    let (n, m) = (payouts.len(), entries.len());
    let mut payout_class: Vec<Option<DepositClass>> = vec![None; n];
    let mut entry_class: Vec<Option<DepositClass>> = vec![None; m];
    let mut out = Outcome {
        payout_class: Vec::new(),
        payout_entries: vec![Vec::new(); n],
        payout_delay: vec![None; n],
        payout_received: vec![None; n],
        payout_overdue: vec![None; n],
        payout_unchecked: vec![None; n],
        entry_class: Vec::new(),
        entry_payouts: vec![Vec::new(); m],
    };

    // 1. Exact amounts.
    let mut by_amount: HashMap<i64, Vec<usize>> = HashMap::new();
    for (k, entry) in entries.iter().enumerate() {
        by_amount.entry(entry.amount.millifen()).or_default().push(k);
    }
    for (p, payout) in payouts.iter().enumerate() {
        if payout.amount.is_zero() {
            continue;
        }
        let mut best: Option<(i64, usize)> = None;
        for &k in by_amount.get(&payout.amount.millifen()).map(Vec::as_slice).unwrap_or(&[]) {
            if entry_class[k].is_some() {
                continue;
            }
            if let Some(delay) = rules.in_window(payout.settlement_date, entries[k].date)? {
                if best.map_or(true, |(d, _)| delay < d) {
                    best = Some((delay, k));
                }
            }
        }
        if let Some((delay, k)) = best {
            let class = if delay <= rules.on_time_business_days { DepositClass::Deposited } else { DepositClass::DepositedLate };
            payout_class[p] = Some(class);
            entry_class[k] = Some(class);
            out.payout_entries[p].push(k);
            out.payout_delay[p] = Some(delay);
            out.payout_received[p] = Some(payout.amount);
            out.entry_payouts[k].push(p);
        }
    }

    // 2. Merged: one credit for several payouts.
    for k in 0..m {
        if entry_class[k].is_some() || entries[k].amount.is_zero() {
            continue;
        }
        let entry = entries[k];
        let mut candidates = Vec::new();
        // Payouts are in date order; a window spans at most this many calendar days.
        let span = Days::new(2 * rules.delay_max_business_days as u64 + 16);
        let earliest = entry.date.checked_sub_days(span).unwrap_or(NaiveDate::MIN);
        let from = payouts.partition_point(|payout| payout.settlement_date < earliest);
        let to = payouts.partition_point(|payout| payout.settlement_date <= entry.date);
        for (p, payout) in payouts.iter().enumerate().take(to).skip(from) {
            if payout_class[p].is_none()
                && !payout.amount.is_zero()
                && payout.amount.is_negative() == entry.amount.is_negative()
                && rules.in_window(payout.settlement_date, entry.date)?.is_some()
            {
                candidates.push(p);
                if candidates.len() == MERGE_CANDIDATES_MAX {
                    break;
                }
            }
        }
        let amounts: Vec<i64> = candidates.iter().map(|&p| payouts[p].amount.millifen()).collect();
        if let Some(chosen) = subset_with_sum(&amounts, entry.amount.millifen(), rules.merge_payouts_max) {
            entry_class[k] = Some(DepositClass::DepositMerged);
            for c in chosen {
                let p = candidates[c];
                payout_class[p] = Some(DepositClass::DepositMerged);
                out.payout_entries[p].push(k);
                out.payout_delay[p] = rules.delay(payouts[p].settlement_date, entry.date)?;
                out.payout_received[p] = Some(payouts[p].amount);
                out.entry_payouts[k].push(p);
            }
        }
    }

    // 3. Deductions: a debit by the acquirer on the day of a matched credit.
    let mut credited_on: HashMap<NaiveDate, Vec<usize>> = HashMap::new();
    for k in 0..m {
        if matches!(entry_class[k], Some(DepositClass::Deposited | DepositClass::DepositedLate)) {
            credited_on.entry(entries[k].date).or_default().push(k);
        }
    }
    for d in 0..m {
        if entry_class[d].is_some() || !entries[d].amount.is_negative() {
            continue;
        }
        let debit = entries[d];
        let same_day = credited_on.get(&debit.date).map(Vec::as_slice).unwrap_or(&[]);
        let open = |k: &&usize| {
            matches!(entry_class[**k], Some(DepositClass::Deposited | DepositClass::DepositedLate)) && entries[**k].amount > -debit.amount
        };
        let above = same_day.iter().filter(open).filter(|&&k| entries[k].line < debit.line).max_by_key(|&&k| entries[k].line);
        let below = same_day.iter().filter(open).filter(|&&k| entries[k].line > debit.line).min_by_key(|&&k| entries[k].line);
        if let Some(&k) = above.or(below) {
            let p = out.entry_payouts[k][0];
            payout_class[p] = Some(DepositClass::DepositShort);
            entry_class[k] = Some(DepositClass::DepositShort);
            entry_class[d] = Some(DepositClass::DepositShort);
            out.payout_entries[p].push(d);
            out.payout_received[p] = Some(entries[k].amount + debit.amount);
            out.entry_payouts[d].push(p);
        }
    }

    // 4. Short credits, the smallest difference first.
    let mut pairs: Vec<(i64, usize, usize, i64)> = Vec::new();
    let mut open_credits: Vec<usize> = (0..m).filter(|&k| entry_class[k].is_none() && entries[k].amount > Money::ZERO).collect();
    open_credits.sort_by_key(|&k| (entries[k].date, k));
    for (p, payout) in payouts.iter().enumerate() {
        if payout_class[p].is_some() || payout.amount <= Money::ZERO {
            continue;
        }
        let (first, last) = (payout.settlement_date, rules.window_end(payout.settlement_date)?);
        let from = open_credits.partition_point(|&k| entries[k].date < first);
        for &k in open_credits[from..].iter().take_while(|&&k| entries[k].date <= last) {
            let entry = &entries[k];
            if entry.amount >= payout.amount {
                continue;
            }
            let difference = payout.amount.millifen() - entry.amount.millifen();
            if difference > rules.short_difference_max.millifen() {
                continue;
            }
            if let Some(delay) = rules.in_window(payout.settlement_date, entry.date)? {
                pairs.push((difference, p, k, delay));
            }
        }
    }
    pairs.sort_unstable();
    for (_, p, k, delay) in pairs {
        if payout_class[p].is_some() || entry_class[k].is_some() {
            continue;
        }
        payout_class[p] = Some(DepositClass::DepositShort);
        entry_class[k] = Some(DepositClass::DepositShort);
        out.payout_entries[p].push(k);
        out.payout_delay[p] = Some(delay);
        out.payout_received[p] = Some(entries[k].amount);
        out.entry_payouts[k].push(p);
    }

    // 5. What is left.
    for (p, payout) in payouts.iter().enumerate() {
        if payout_class[p].is_some() {
            continue;
        }
        let due = rules.due(payout.settlement_date)?;
        let end = rules.window_end(payout.settlement_date)?;
        let unchecked = if payout.amount.is_zero() {
            Some(Unchecked::ZeroNet)
        } else if end > rules.as_of {
            Some(Unchecked::DueAfter(end))
        } else if payout.settlement_date < rules.covered_from {
            Some(Unchecked::BeforeStart)
        } else {
            None
        };
        match unchecked {
            Some(why) => {
                payout_class[p] = Some(DepositClass::NotChecked);
                out.payout_unchecked[p] = Some(why);
            }
            None => {
                payout_class[p] = Some(DepositClass::DepositMissing);
                out.payout_overdue[p] =
                    Some(if rules.as_of > due { rules.calendar.business_days_between(next(due), next(rules.as_of))? } else { 0 });
            }
        }
    }
    out.payout_class = payout_class.into_iter().map(|c| c.unwrap_or(DepositClass::DepositMissing)).collect();
    out.entry_class = entry_class
        .into_iter()
        .zip(entries)
        .map(|(class, entry)| {
            class.unwrap_or(if entry.amount.is_negative() { DepositClass::UnexplainedDebit } else { DepositClass::UnexplainedCredit })
        })
        .collect();
    Ok(out)
}

/// The first subset (by size from 2 to `size_max`, then lexicographically by index) of
/// `amounts` that adds up to `target`.
fn subset_with_sum(amounts: &[i64], target: i64, size_max: usize) -> Option<Vec<usize>> {
    fn search(amounts: &[i64], start: usize, left: usize, target: i128, chosen: &mut Vec<usize>) -> bool {
        if left == 0 {
            return target == 0;
        }
        for i in start..amounts.len() {
            if amounts.len() - i < left {
                break;
            }
            chosen.push(i);
            if search(amounts, i + 1, left - 1, target - i128::from(amounts[i]), chosen) {
                return true;
            }
            chosen.pop();
        }
        false
    }
    (2..=size_max.min(amounts.len())).find_map(|size| {
        let mut chosen = Vec::with_capacity(size);
        search(amounts, 0, size, i128::from(target), &mut chosen).then_some(chosen)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_are_found_smallest_first_then_in_order() {
        assert_eq!(subset_with_sum(&[5, 3, 2, 8], 10, 4), Some(vec![2, 3]));
        assert_eq!(subset_with_sum(&[5, 3, 2], 10, 3), Some(vec![0, 1, 2]));
        assert_eq!(subset_with_sum(&[5, 3, 2], 10, 2), None);
        assert_eq!(subset_with_sum(&[5], 5, 4), None);
    }
}

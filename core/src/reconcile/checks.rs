//! The checks on each matched pair, against the contracted schedule (the version in force
//! at the trade time, through [`Schedule::quote_with`]) and the registered profile.

use super::class::{Class, ClassSet};
use super::contracts::Contracts;
use super::hash::{FxHashMap, ReferenceFilter};
use super::kernel::Pricings;
use super::matching::NONE;
use super::merchant::mcc_of;
use super::row_scan::rows_where;
use super::schema::{china_day, epoch_day, from_unix, Ledger, Statement};
use super::text_column::TextView;
use super::ReconcileOptions;
use crate::calendar::Calendar;
use crate::error::ErrorKind;
use crate::messages::{Clause, Whose};
use crate::money::Money;
use crate::quote::{CalendarPolicy, QuoteRequest, TradeKind};
use crate::schedule::RefundPolicy;

/// The verdict on one pair.
pub(crate) struct Verdict<'a> {
    pub findings: ClassSet,
    pub expected_fee: Option<Money>,
    /// Why, when there are findings (empty: as contracted).
    pub reason: Vec<Clause<'a>>,
    /// Which clause says the fee differs (replaced by the diagnosis of the charged pricing).
    pub fee_clause: Option<usize>,
    /// Business days after the due date, when flagged late.
    pub late_business_days: Option<i64>,
}

pub(crate) struct Checker<'a> {
    pub ledger: &'a Ledger,
    pub statement: &'a Statement,
    pub options: &'a ReconcileOptions,
    pub contracts: &'a Contracts<'a>,
    pub calendar: &'a Calendar,
    /// Approved purchases by reference number (for refunds).
    pub purchases: FxHashMap<&'a str, u32>,
    /// The compiled fee kernels of the contracts' pricings (the fast path for plain purchases).
    pricings: Pricings<'a>,
    /// Per contract: its pricing.
    pricing_of: Vec<u32>,
    /// The statement's terminals and merchant numbers, read for every pair.
    statement_terminal: TextView<'a>,
    statement_merchant_no: TextView<'a>,
}

/// The due dates of plain purchases worked out so far, by what a due date depends on: the
/// contract, the China day of the trade and whether it came at or after the cut-off. Rows of
/// the same day and contract (most rows: a ledger runs in time order) skip the date-times and
/// the calendar's count. A small table that forgets on collision, one per run of rows.
pub(crate) struct DueDates {
    slots: [Option<DueSlot>; DueDates::SLOTS],
}

/// One remembered due date: its key (contract, China day, after the cut-off) and the date
/// (`None`: the calendar could not say, and the quote gives the error).
#[derive(Clone, Copy)]
struct DueSlot {
    contract: usize,
    day: i64,
    after_cutoff: bool,
    due: Option<chrono::NaiveDate>,
}

impl DueDates {
    const SLOTS: usize = 64;

    pub fn new() -> DueDates {
        DueDates { slots: [None; DueDates::SLOTS] }
    }

    /// The due date of a trade at `seconds` under contract `contract` (whose schedule cuts
    /// trade days at `cutoff`): remembered, or `due()` remembered.
    fn get_or(
        &mut self,
        contract: usize,
        seconds: i64,
        cutoff: crate::settlement::CutOff,
        due: impl FnOnce() -> Option<chrono::NaiveDate>,
    ) -> Option<chrono::NaiveDate> {
        let day = china_day(seconds);
        let second_of_day = seconds + 8 * 3600 - day * 86_400;
        let after_cutoff = cutoff.seconds() > 0 && second_of_day >= i64::from(cutoff.seconds());
        let at = ((day as usize) << 1 | usize::from(after_cutoff)) ^ contract.wrapping_mul(0x9E37_79B9);
        let slot = &mut self.slots[at % DueDates::SLOTS];
        match *slot {
            Some(known) if known.contract == contract && known.day == day && known.after_cutoff == after_cutoff => known.due,
            _ => {
                let due = due();
                *slot = Some(DueSlot { contract, day, after_cutoff, due });
                due
            }
        }
    }
}

impl<'a> Checker<'a> {
    pub fn new(
        ledger: &'a Ledger,
        statement: &'a Statement,
        options: &'a ReconcileOptions,
        contracts: &'a Contracts<'a>,
        calendar: &'a Calendar,
    ) -> Checker<'a> {
        // Approved purchases that some refund refers to (the few rows found on all cores).
        let mut purchases = FxHashMap::default();
        let original_rrn = ledger.original_rrn.view();
        let refunded: FxHashMap<&str, ()> =
            rows_where(ledger.len(), |i| ledger.kind[i] == TradeKind::Refund).into_iter().map(|i| (original_rrn.get(i), ())).collect();
        if !refunded.is_empty() {
            let (rrn, response_code) = (ledger.rrn.view(), ledger.response_code.view());
            let filter = ReferenceFilter::new(refunded.keys().copied());
            let refunded_purchases = rows_where(ledger.len(), |i| {
                ledger.kind[i] == TradeKind::Purchase
                    && filter.may_contain(rrn.get(i))
                    && super::response::is_approved(response_code.get(i))
                    && refunded.contains_key(rrn.get(i))
            });
            for i in refunded_purchases {
                purchases.entry(rrn.get(i)).or_insert(i as u32);
            }
        }
        let mut pricings = Pricings::default();
        let pricing_of = contracts
            .list
            .iter()
            .map(|contract| pricings.pricing(contract.schedule, contract.profile.merchant_class.as_deref(), contract.profile.settlement))
            .collect();
        let (statement_terminal, statement_merchant_no) = (statement.terminal.view(), statement.merchant_no.view());
        Checker {
            ledger,
            statement,
            options,
            contracts,
            calendar,
            purchases,
            pricings,
            pricing_of,
            statement_terminal,
            statement_merchant_no,
        }
    }

    /// The contract's fee and due date of a purchase through the compiled kernel, when it
    /// prices the trade and the calendar knows its due date; `None` on any doubt (then
    /// [`Checker::expected_purchase`] asks the schedule). Apart from the `Result` of the
    /// schedule's way, whose error (a hundred bytes) made every pair's fee go through memory.
    #[inline]
    fn kernel_purchase(&self, c: usize, i: usize, amount: Money, due_dates: &mut DueDates) -> Option<(Money, chrono::NaiveDate)> {
        let ledger = self.ledger;
        if ledger.card_type[i].is_some() {
            return None;
        }
        let seconds = ledger.time[i];
        let contract = &self.contracts.list[c];
        let schedule = contract.schedule;
        let fee = self.pricings.fee(self.pricing_of[c], schedule, seconds, amount, ledger.channel[i])?;
        let due = due_dates.get_or(c, seconds, schedule.cutoff(), || {
            let at = from_unix(seconds);
            let trade_day = schedule.cutoff().trade_day(at);
            let local_date = at.with_timezone(&crate::settlement::china_offset()).date_naive();
            contract.profile.settlement.settles_on(trade_day, local_date, self.calendar).ok()
        })?;
        Some((fee, due))
    }

    /// The contract's fee and due date of a purchase through [`Schedule::quote_with`] (for
    /// those [`Checker::kernel_purchase`] leaves).
    fn expected_purchase(
        &self,
        c: usize,
        i: usize,
        amount: Money,
        policy: CalendarPolicy,
    ) -> crate::error::Result<(Money, Option<chrono::NaiveDate>)> {
        let schedule = self.contracts.list[c].schedule;
        schedule.quote_with(&self.request(c, i, amount, policy), self.calendar).map(|q| (q.fee, Some(q.settles_on)))
    }

    /// The quote request of ledger row `i` under contract `c`.
    pub fn request(&self, c: usize, i: usize, amount: Money, policy: CalendarPolicy) -> QuoteRequest {
        let ledger = self.ledger;
        let profile = self.contracts.list[c].profile;
        let mut request =
            QuoteRequest::new(amount, ledger.channel[i], from_unix(ledger.time[i])).settlement(profile.settlement).calendar_policy(policy);
        request.card_type = ledger.card_type[i];
        request.merchant_class = profile.merchant_class.clone();
        request
    }

    /// The verdict on ledger row `i` and its statement partner `j`; `due_dates` keeps the due
    /// dates worked out for the rows checked before (one memo for a run of rows on one core).
    pub fn check(&self, i: usize, j: usize, due_dates: &mut DueDates) -> Verdict<'a> {
        let (ledger, statement) = (self.ledger, self.statement);
        let mut findings = ClassSet::EMPTY;
        let mut reason = Vec::new();
        let c = self.contracts.pair(i, j);
        if c == NONE {
            let reason = Clause::UnknownTerminal {
                terminal: self.statement_terminal.get(j),
                merchant_no: self.statement_merchant_no.get(j),
                date: super::contracts::trade_date(statement.time[j]),
            };
            return Verdict {
                findings: ClassSet::EMPTY.with(Class::UnknownTerminal),
                expected_fee: None,
                reason: vec![reason],
                fee_clause: None,
                late_business_days: None,
            };
        }
        let c = c as usize;
        let contracts: &'a Contracts<'a> = self.contracts;
        let contract = &contracts.list[c];
        let amount = Money::from_fen(statement.amount_fen[j]);
        let fee = statement.fee[j];
        let net = statement.net[j];
        let kind = statement.kind[j];

        if ledger.amount_fen[i] != statement.amount_fen[j] {
            findings = findings.with(Class::AmountDiffers);
            reason.push(Clause::AmountDiffers { statement: amount, ledger: Money::from_fen(ledger.amount_fen[i]) });
        }

        // The contract's fee and settlement date, from the schedule. When the due date needs
        // holiday data the calendar lacks, the fee is still checked (it does not depend on
        // the calendar) and the date is left unchecked, saying so.
        let expected_with = |policy| match kind {
            TradeKind::Purchase => self.expected_purchase(c, i, amount, policy),
            TradeKind::Refund | TradeKind::Void => self.expected_reversal(c, i, amount, policy),
        };
        let kernel = match kind {
            TradeKind::Purchase => self.kernel_purchase(c, i, amount, due_dates),
            TradeKind::Refund | TradeKind::Void => None,
        };
        let expected = match kernel {
            Some((fee, due)) => Ok((fee, Some(due))),
            None => match expected_with(self.options.calendar_policy) {
                Err(error) if error.kind() == ErrorKind::CalendarOutOfRange => {
                    findings = findings.with(Class::Unchecked);
                    reason.push(Clause::DateUnchecked { settled: statement.settlement_date[j], error: error.to_string() });
                    expected_with(CalendarPolicy::WeekendsOnly).map(|(fee, _)| (fee, None))
                }
                other => other,
            },
        };
        let mut expected_fee = None;
        let mut fee_clause = None;
        let mut late_business_days = None;
        match expected {
            Ok((expected, settles_on)) => {
                expected_fee = Some(expected);
                let excess = fee - expected;
                if excess != Money::ZERO {
                    fee_clause = Some(reason.len());
                }
                if excess > Money::ZERO {
                    let unit = self.options.extra_fee_unit.millifen();
                    if unit > 0 && excess.millifen() % unit == 0 && kind == TradeKind::Purchase {
                        findings = findings.with(Class::ExtraFee);
                        reason.push(Clause::ExtraFee { fee, excess, contract: expected });
                    } else {
                        findings = findings.with(Class::FeeAbove);
                        reason.push(Clause::FeeAbove { fee, excess, contract: expected });
                    }
                } else if excess < Money::ZERO {
                    findings = findings.with(Class::FeeBelow);
                    reason.push(Clause::FeeBelow { fee, short: -excess, contract: expected });
                }
                if let Some(due) = settles_on {
                    let settled = statement.settlement_date[j];
                    if settled > due {
                        let late = self
                            .calendar
                            .business_days_between(due, settled)
                            .unwrap_or_else(|_| self.calendar.provisional().business_days_between(due, settled).value);
                        if late > self.options.late_tolerance_business_days {
                            late_business_days = Some(late);
                            findings = findings.with(Class::SettledLate);
                            reason.push(Clause::SettledLate { settled, business_days: late, due });
                        }
                    }
                }
            }
            Err(error) if error.kind() == ErrorKind::InvalidRequest => {
                // The contract prices the trade, but its fee cannot be known from these inputs.
                findings = findings.with(Class::Unchecked);
                reason.push(Clause::FeeUnchecked { fee, error: error.to_string() });
            }
            Err(error) => {
                if !fee.is_zero() {
                    findings = findings.with(Class::ExtraFee);
                }
                reason.push(Clause::NotPriced { fee, error: error.to_string() });
            }
        }
        // Days compared as numbers (the settlement date against the trade's China day).
        if epoch_day(statement.settlement_date[j]) < china_day(statement.time[j]) {
            let trade_date = super::contracts::trade_date(statement.time[j]);
            findings = findings.with(Class::SettledBeforeTrade);
            reason.push(Clause::SettledBeforeTrade { settled: statement.settlement_date[j], trade_date });
        }

        let expected_net = kind.net(amount, fee);
        if Some(net) != expected_net {
            findings = findings.with(Class::NetDiffers);
            let signed_amount = kind.signed_amount(amount);
            match expected_net {
                Some(expected) => reason.push(Clause::NetDiffers { net, signed_amount, fee, expected }),
                None => reason.push(Clause::NetOutOfRange { net, signed_amount, fee }),
            }
        }

        let terminals = &contract.profile.terminals;
        let terminal = self.statement_terminal.get(j);
        if !terminals.is_empty() && !terminal.is_empty() && !terminals.iter().any(|t| t == terminal) {
            findings = findings.with(Class::MerchantDiffers);
            reason.push(Clause::TerminalNotRegistered { terminal });
        }
        let registered = contract.profile.merchant_no.as_str();
        let merchant_no = self.statement_merchant_no.get(j);
        if !merchant_no.is_empty() && merchant_no != registered {
            findings = findings.with(Class::MerchantDiffers);
            let whose = match self.contracts.registry {
                Some(registry) if registry.has_merchant(merchant_no) => Whose::Portfolio,
                Some(_) => Whose::Outside,
                None => Whose::Unknown,
            };
            let registered_mcc = contract.profile.merchant_no.mcc();
            let mccs = mcc_of(merchant_no).filter(|&mcc| mcc != registered_mcc).map(|mcc| (mcc, registered_mcc));
            reason.push(Clause::MerchantNumber { booked: merchant_no, whose, registered, mccs });
        }

        if findings.is_empty() {
            reason.clear();
        }
        Verdict { findings, expected_fee, reason, fee_clause, late_business_days }
    }

    /// The fee of a refund (negative: the fee returned) and its due date.
    fn expected_reversal(
        &self,
        c: usize,
        i: usize,
        amount: Money,
        policy: CalendarPolicy,
    ) -> crate::error::Result<(Money, Option<chrono::NaiveDate>)> {
        let ledger = self.ledger;
        let refund_at = from_unix(ledger.time[i]);
        let schedule = self.contracts.list[c].schedule;
        match self.purchases.get(ledger.original_rrn.get(i)) {
            Some(&p) => {
                // The purchase under its own contract (the merchant's contract of its date).
                let purchase_contract = match self.contracts.ledger(p as usize) {
                    NONE => c,
                    other => other as usize,
                };
                let purchase = self.request(purchase_contract, p as usize, Money::from_fen(ledger.amount_fen[p as usize]), policy);
                let quote =
                    self.contracts.list[purchase_contract].schedule.quote_refund_with(&purchase, amount, refund_at, self.calendar)?;
                Ok((-quote.fee_returned, Some(quote.settles_on)))
            }
            None => {
                // The original is not in the ledger: the due date still follows from the
                // refund's own time; the returned fee is known only under KeepFee.
                let quote = schedule.quote_with(&self.request(c, i, amount, policy), self.calendar)?;
                match schedule.refund_policy() {
                    RefundPolicy::KeepFee => Ok((Money::ZERO, Some(quote.settles_on))),
                    RefundPolicy::Proportional => Err(crate::error::Error::new(
                        ErrorKind::InvalidRequest,
                        format!(
                            "the refunded purchase {} is not in the ledger, so the proportional fee cannot be checked",
                            ledger.original_rrn.get(i)
                        ),
                    )),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DueDates;
    use crate::reconcile::schema::from_unix;
    use crate::settlement::{china_offset, CutOff};
    use proptest::prelude::*;

    proptest! {
        /// The day numbers the settled-before-trade check compares are the China dates'.
        #[test]
        fn day_numbers_order_as_china_dates(seconds in crate::reconcile::schema::TIME_RANGE, days_later in -3i64..3) {
            use crate::reconcile::schema::{china_day, epoch_day};
            let trade_date = from_unix(seconds).date_naive();
            prop_assert_eq!(epoch_day(trade_date), china_day(seconds));
            let settled = trade_date + chrono::TimeDelta::days(days_later);
            prop_assert_eq!(epoch_day(settled) < china_day(seconds), settled < trade_date);
        }

        /// A remembered due date is the one worked out afresh: for trades of several contracts
        /// and days, before and after the cut-off, in any order (the date worked out here
        /// stands for the calendar's: it is a function of the contract, the trade day and the
        /// local date, as the due date is).
        #[test]
        fn remembered_due_dates_are_the_ones_worked_out_again(
            cutoff_minutes in prop_oneof![Just(0u32), 1u32..1440],
            // Contracts 64 apart share their slots in the table, as days 32 apart do.
            trades in proptest::collection::vec(
                (prop_oneof![0usize..3, 64usize..67], 1_700_000_000i64..1_700_000_000 + 40 * 86_400),
                1..300,
            ),
        ) {
            let cutoff = CutOff::parse(&format!("{:02}:{:02}", cutoff_minutes / 60, cutoff_minutes % 60)).unwrap();
            let due = |contract: usize, seconds: i64| {
                let at = from_unix(seconds);
                let trade_day = cutoff.trade_day(at);
                let local_date = at.with_timezone(&china_offset()).date_naive();
                // Contracts 2 and 66 have a "calendar" that cannot say, as one out of range.
                (contract % 64 != 2).then(|| trade_day + chrono::Days::new(contract as u64 * 3 + u64::from(local_date != trade_day)))
            };
            let mut due_dates = DueDates::new();
            for &(contract, seconds) in &trades {
                let remembered = due_dates.get_or(contract, seconds, cutoff, || due(contract, seconds));
                prop_assert_eq!(remembered, due(contract, seconds), "contract {} at {}", contract, seconds);
                let again = due_dates.get_or(contract, seconds, cutoff, || panic!("just worked out: remembered"));
                prop_assert_eq!(again, remembered);
            }
        }
    }
}

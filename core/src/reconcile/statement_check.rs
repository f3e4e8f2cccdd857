//! Checking a statement on its own, for a merchant who keeps no ledger.
//!
//! ## Method
//!
//! Every statement row says what trade it settles: reference number, terminal, trade time,
//! amount, channel and kind. [`implied_ledger`] turns those into the ledger the statement
//! implies — one trade per statement row, with the row's own reference, terminal, time,
//! amount, channel and kind, approved (`00`) — and [`check_statement`] reconciles the
//! statement against it with [`reconcile`]. Each implied trade pairs with exactly the
//! statement row it was made from (same reference, terminal and day; or, without a
//! reference, same terminal, amount, kind and time), so every row is checked against the
//! contract as in a full reconciliation:
//!
//! - the fee (the schedule version in force at the trade time, caps, add-ons, the merchant
//!   class), with the diagnosis of a wrong fee ([`ChargedAs`](super::ChargedAs));
//! - the net (amount minus fee, or −amount − fee for a refund);
//! - the settlement date (settlement mode, cut-off and working-day calendar);
//! - the merchant number and MCC (跳码) and the registered terminals;
//! - the findings across rows (a rate that rises from a day, an add-on, a cap not applied,
//!   later settlement, bookings under another merchant number).
//!
//! A statement row that repeats an earlier one (the duplicate rule of [`reconcile`]) gets no
//! implied trade of its own, so it is a [`Class::StatementDuplicate`](super::Class) and not
//! a second checked trade.
//!
//! ## Limits
//!
//! What only the merchant's own records can show is not checked:
//!
//! - money that never arrived ([`Class::NeverSettled`](super::Class)) and statement rows
//!   the merchant never made ([`Class::NoLedgerTrade`](super::Class)) cannot appear;
//! - the amount is the statement's own ([`Class::AmountDiffers`](super::Class) cannot appear);
//! - declined and voided trades are not on a statement, so they are not counted;
//! - a refund's original purchase is not named on a statement: under a schedule that keeps
//!   the fee of a refund, the refund is checked (no fee returned); under a proportional
//!   refund policy its fee is [`Class::Unchecked`](super::Class) with the reason;
//! - a void on a statement (a void is normally never settled) is checked as a refund of the
//!   same amount; the implied trade is a refund;
//! - the card type of a UnionPay QR trade above ¥1000 is not on a statement: the implied
//!   trade has none, and the fee is checked as the schedule prices a trade without one.
//!
//! The [`Report`] has the implied ledger as its ledger side (one row per checked statement
//! row); its statement side is the statement. [`Report::to_csv`] needs both tables: pass
//! the result of [`implied_ledger`].

use std::borrow::Cow;
use std::collections::HashSet;

use super::schema::{china_day, from_unix, Ledger, LedgerRow, Statement};
use super::{reconcile, ReconcileOptions, Report};
use crate::error::Result;
use crate::money::Money;
use crate::quote::TradeKind;

/// The `original_rrn` of an implied refund: a statement does not name the purchase a refund
/// undoes, and this value is never a reference number (it holds a space, which reading trims
/// from every reference).
const ORIGINAL_NOT_ON_STATEMENT: &str = "(not on the statement)";

/// The kind a statement row is checked as: a void is checked as a refund (the same fee and
/// net rules, and it pairs with an implied refund instead of voiding a purchase).
fn checked_kind(kind: TradeKind) -> TradeKind {
    match kind {
        TradeKind::Void => TradeKind::Refund,
        kind => kind,
    }
}

/// The ledger a statement implies: one approved trade per statement row that is not a
/// duplicate of an earlier row, with the row's reference, terminal, time, amount, channel
/// and kind (a void becomes a refund: see the limits in the module docs of
/// `statement_check.rs`). The trade id is `<statement name>:<line>`; the merchant number is
/// left empty (the terminal's printout is not on a statement) and so is the card type.
///
/// # Errors
/// Only what [`Ledger::push_row`] returns for a row the statement itself accepted (none in
/// practice: the statement's rows passed the same amount and time checks).
///
/// # Example
/// ```
/// use posfee::{Channel, Money, parse_china_time, parse_date};
/// use posfee::reconcile::{implied_ledger, Statement, StatementRecord};
/// let mut statement = Statement::new("settle.csv");
/// let mut row = StatementRecord::new(parse_date("2026-05-07")?, parse_china_time("2026-05-06 10:00")?, Money::from_yuan(100), Money::parse("0.60")?, Channel::Credit);
/// row.rrn = "612610000001".into();
/// row.line = 2;
/// statement.push(row.clone())?;
/// statement.push(row)?; // a repeated row: no second trade
/// let ledger = implied_ledger(&statement)?;
/// assert_eq!(ledger.len(), 1);
/// assert_eq!(ledger.record(0).trade_id, "settle.csv:2");
/// assert_eq!(ledger.record(0).rrn, "612610000001");
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn implied_ledger(statement: &Statement) -> Result<Ledger> {
    let mut ledger = Ledger::new(format!("{} (implied ledger)", statement.name));
    let (rrn, terminal) = (statement.rrn.view(), statement.terminal.view());
    let mut with_reference: HashSet<(&str, &str, i64)> = HashSet::new();
    let mut without_reference: HashSet<(&str, i64, i64, TradeKind)> = HashSet::new();
    let mut trade_id = String::new();
    for j in 0..statement.len() {
        let kind = checked_kind(statement.kind[j]);
        let first = if rrn.get(j).is_empty() {
            without_reference.insert((terminal.get(j), statement.time[j], statement.amount_fen[j], kind))
        } else {
            with_reference.insert((rrn.get(j), terminal.get(j), china_day(statement.time[j])))
        };
        if !first {
            continue;
        }
        trade_id.clear();
        trade_id.push_str(&statement.name);
        trade_id.push(':');
        trade_id.push_str(&statement.line.get(j).to_string());
        ledger.push_row(LedgerRow {
            trade_id: &trade_id,
            rrn: rrn.get(j),
            trace: "",
            terminal: terminal.get(j),
            merchant_no: "",
            time: from_unix(statement.time[j]),
            amount: Money::from_fen(statement.amount_fen[j]),
            channel: statement.channel[j],
            card_type: None,
            kind,
            response_code: "00",
            original_rrn: if kind == TradeKind::Purchase { "" } else { ORIGINAL_NOT_ON_STATEMENT },
            line: statement.line.get(j),
        })?;
    }
    Ok(ledger)
}

/// Checks every row of a statement against the contract without the merchant's ledger: the
/// fee, the net, the settlement date, the merchant number and the terminal, and the
/// findings across rows (a silent rate rise, add-ons, caps not applied, later settlement,
/// 跳码). The method, and what it cannot check: the module docs of `statement_check.rs`.
///
/// The report's statement rows are the statement's rows, in order; its ledger rows are the
/// [`implied_ledger`]. No row is [`NeverSettled`](super::Class::NeverSettled) or
/// [`NoLedgerTrade`](super::Class::NoLedgerTrade).
///
/// # Errors
/// As [`reconcile`]: [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) for
/// options it rejects (the match window, a merchant class the schedule does not price).
///
/// # Example
/// ```
/// use posfee::{Channel, Money, Schedule, parse_china_time, parse_date};
/// use posfee::reconcile::{check_statement, Class, MerchantProfile, ReconcileOptions, Statement, StatementRecord};
/// let mut statement = Statement::new("settle.csv");
/// let mut row = StatementRecord::new(parse_date("2026-05-07")?, parse_china_time("2026-05-06 10:00")?, Money::from_yuan(1000), Money::from_yuan(9), Channel::Credit);
/// row.rrn = "612610000001".into();
/// row.terminal = "T0000001".into();
/// row.merchant_no = "102310058120001".into();
/// statement.push(row)?;
/// let options = ReconcileOptions::new(Schedule::preset("standard")?, MerchantProfile::new("102310058120001", "shop")?);
/// let report = check_statement(&statement, &options)?;
/// let checked = report.row(1).unwrap(); // ledger rows first: the one implied trade, then the statement row
/// assert_eq!(checked.class, Class::ExtraFee); // ¥9 charged, 0.6% = ¥6 contracted
/// assert_eq!(report.summary.overcharge, Money::from_yuan(3));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn check_statement(statement: &Statement, options: &ReconcileOptions) -> Result<Report> {
    let ledger = implied_ledger(statement)?;
    let checked: Cow<'_, Statement> = if statement.kind.contains(&TradeKind::Void) {
        let mut copy = statement.clone();
        for kind in &mut copy.kind {
            *kind = checked_kind(*kind);
        }
        Cow::Owned(copy)
    } else {
        Cow::Borrowed(statement)
    };
    reconcile(&ledger, &checked, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::simulation::{generate, Pattern, SimulationOptions};
    use crate::reconcile::{Class, FindingKind, MerchantProfile, Side, StatementRecord};
    use crate::{parse_china_time, parse_date, Channel, Rate, Schedule};

    fn statement_classes(report: &Report) -> Vec<Class> {
        report.rows().filter(|row| row.side == Side::Statement && row.index.is_some()).map(|row| row.class).collect()
    }

    #[test]
    fn a_rate_rise_in_a_statement_alone_is_a_finding() {
        let from = parse_date("2026-03-12").unwrap();
        let rise = Pattern::Rate { from, channel: Channel::Credit, rate: Rate::parse("0.68%").unwrap() };
        let sample = generate(&SimulationOptions::new(11).trades(3_000).faults_per_class(0).pattern(rise)).unwrap();
        let report = check_statement(&sample.statement, &sample.options).unwrap();
        let findings = &report.summary.findings;
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].kind, FindingKind::Rate);
        assert_eq!(findings[0].channel, Some(Channel::Credit));
        assert_eq!(findings[0].first_day, sample.patterns[0].first_day);
        assert!(findings[0].zh.contains("0.68%"), "{}", findings[0].zh);
        // The same finding, rows and classes as reconciling with the merchant's ledger.
        let with_ledger = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
        assert_eq!(findings, &with_ledger.summary.findings);
        assert_eq!(report.finding_rows(0), with_ledger.finding_rows(0));
        assert_eq!(statement_classes(&report), statement_classes(&with_ledger));
        // 0.08% more is a whole multiple of ¥0.10 on some amounts: those rows are ExtraFee.
        let above = statement_classes(&report).iter().filter(|class| matches!(class, Class::FeeAbove | Class::ExtraFee)).count() as u64;
        assert_eq!(above, findings[0].trades);
    }

    #[test]
    fn each_pattern_is_found_as_with_the_ledger() {
        let from = parse_date("2026-03-10").unwrap();
        let patterns = [
            Pattern::AddOn { from, channel: Channel::Debit, fixed: Money::from_yuan(3) },
            Pattern::CapNotApplied { from },
            Pattern::SettledLater { from, business_days: 2 },
            Pattern::MerchantNumber { from, terminal: "T0000002".into(), merchant_no: "102310054110001".into() },
        ];
        for (seed, pattern) in patterns.into_iter().enumerate() {
            let sample =
                generate(&SimulationOptions::new(seed as u64 + 20).trades(2_000).faults_per_class(0).pattern(pattern.clone())).unwrap();
            let alone = check_statement(&sample.statement, &sample.options).unwrap();
            let with_ledger = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
            let kinds =
                |report: &Report| report.summary.findings.iter().map(|f| (f.kind, f.first_day, f.trades, f.money)).collect::<Vec<_>>();
            assert!(!alone.summary.findings.is_empty(), "{pattern:?}");
            assert_eq!(kinds(&alone), kinds(&with_ledger), "{pattern:?}");
            assert_eq!(statement_classes(&alone), statement_classes(&with_ledger), "{pattern:?}");
        }
    }

    #[test]
    fn a_clean_statement_is_ok_as_the_answer_key_says() {
        for seed in 0..5 {
            let sample = generate(&SimulationOptions::new(seed).trades(1_500).faults_per_class(0)).unwrap();
            let report = check_statement(&sample.statement, &sample.options).unwrap();
            assert!(report.summary.findings.is_empty(), "seed {seed}: {:?}", report.summary.findings);
            let classes = statement_classes(&report);
            assert_eq!(classes.len(), sample.statement.len());
            // Ok, except the rows the simulation repeats even without faults (the answer key).
            for (j, class) in classes.iter().enumerate() {
                assert_eq!(*class, sample.key.statement_class(j), "seed {seed}, statement row {j}");
            }
            assert!(classes.iter().filter(|class| **class == Class::Ok).count() * 100 >= classes.len() * 99, "seed {seed}");
        }
    }

    #[test]
    fn faults_a_statement_shows_are_found_and_none_of_the_ledger_only_classes() {
        // The fee, net, date and merchant faults are on the statement rows themselves: the
        // check alone gives those rows the class the full reconciliation gives them.
        let sample = generate(&SimulationOptions::new(5).trades(4_000).faults_per_class(4)).unwrap();
        let alone = check_statement(&sample.statement, &sample.options).unwrap();
        let classes = statement_classes(&alone);
        for class in [Class::NeverSettled, Class::NoLedgerTrade, Class::AmountDiffers, Class::LedgerDuplicate] {
            assert_eq!(alone.summary.class(class).statement_rows + alone.summary.class(class).ledger_rows, 0, "{class:?}");
        }
        let mut seen = 0;
        for (j, class) in &sample.key.statement {
            if matches!(
                class,
                Class::FeeAbove
                    | Class::FeeBelow
                    | Class::ExtraFee
                    | Class::NetDiffers
                    | Class::SettledLate
                    | Class::MerchantDiffers
                    | Class::StatementDuplicate
            ) {
                assert_eq!(classes[*j], *class, "statement row {j}");
                seen += 1;
            }
        }
        assert!(seen >= 20, "{seen}");
        // Every statement row is in exactly one class, and the ledger side mirrors the checked rows.
        let duplicates = alone.summary.class(Class::StatementDuplicate).statement_rows as usize;
        assert_eq!(implied_ledger(&sample.statement).unwrap().len() + duplicates, sample.statement.len());
    }

    fn row(rrn: &str, kind: TradeKind, fee: Money, net: Money) -> StatementRecord {
        let mut row = StatementRecord::new(
            parse_date("2026-05-07").unwrap(),
            parse_china_time("2026-05-06 10:00").unwrap(),
            Money::from_yuan(100),
            fee,
            Channel::Credit,
        );
        row.rrn = rrn.into();
        row.terminal = "T0000001".into();
        row.merchant_no = "102310058120001".into();
        row.kind = kind;
        row.net = net;
        row
    }

    #[test]
    fn refunds_and_voids_are_checked_as_refunds() {
        let options =
            ReconcileOptions::new(Schedule::preset("standard").unwrap(), MerchantProfile::new("102310058120001", "shop").unwrap());
        let mut statement = Statement::new("s.csv");
        statement.push(row("000000000001", TradeKind::Purchase, Money::parse("0.60").unwrap(), Money::parse("99.40").unwrap())).unwrap();
        statement.push(row("000000000002", TradeKind::Refund, Money::ZERO, Money::from_yuan(-100))).unwrap();
        statement.push(row("000000000003", TradeKind::Void, Money::ZERO, Money::from_yuan(-100))).unwrap();
        // A refund whose net is not −amount − fee.
        statement.push(row("000000000004", TradeKind::Refund, Money::ZERO, Money::from_yuan(-90))).unwrap();
        let report = check_statement(&statement, &options).unwrap();
        assert_eq!(statement_classes(&report), [Class::Ok, Class::Ok, Class::Ok, Class::NetDiffers]);
        assert_eq!(report.summary.class(Class::Voided).ledger_rows + report.summary.class(Class::VoidWithoutOriginal).ledger_rows, 0);
    }

    #[test]
    fn a_wrong_settlement_date_and_merchant_number_are_found() {
        let options =
            ReconcileOptions::new(Schedule::preset("standard").unwrap(), MerchantProfile::new("102310058120001", "shop").unwrap());
        let mut statement = Statement::new("s.csv");
        let mut late = row("000000000001", TradeKind::Purchase, Money::parse("0.60").unwrap(), Money::parse("99.40").unwrap());
        late.settlement_date = parse_date("2026-05-12").unwrap();
        statement.push(late).unwrap();
        let mut elsewhere = row("000000000002", TradeKind::Purchase, Money::parse("0.60").unwrap(), Money::parse("99.40").unwrap());
        elsewhere.merchant_no = "102310054110001".into();
        statement.push(elsewhere).unwrap();
        let report = check_statement(&statement, &options).unwrap();
        assert_eq!(statement_classes(&report), [Class::SettledLate, Class::MerchantDiffers]);
    }
}

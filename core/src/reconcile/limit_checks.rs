//! The merchant's registered limits and hours against the ledger: which limit a decline 61
//! (over amount limit) or 65 (over count limit) reached, which declines fell outside the
//! business hours, and the days and months that came within 10% of a limit.
//!
//! Totals are of the ledger's approved purchases (the merchant's own record of what the
//! terminal accepted), in time order; a day is the calendar day in China time, a month the
//! calendar month.

use chrono::{Datelike, NaiveDate};

use std::collections::HashMap;

use super::class::Class;
use super::contracts::Contracts;
use super::report::NearLimit;
use super::response::{declined_clause, is_approved, ResponseMeaning};
use super::schema::{china_day, from_unix, Ledger};
use super::ReconcileOptions;
use crate::merchant_limits::{ChannelLimits, LimitKind, MerchantLimits};
use crate::messages::{Clause, LimitReached, Text};
use crate::money::Money;
use crate::quote::TradeKind;

/// A period's running totals: amount in fen and trades.
#[derive(Clone, Copy, Default)]
struct Running {
    period: i64,
    amount_fen: i128,
    trades: u64,
}

impl Running {
    /// Moves to `period`, starting from zero when it is a new one.
    fn enter(&mut self, period: i64) {
        if self.period != period {
            *self = Running { period, ..Running::default() };
        }
    }
}

/// The ledger rows of `rows` in `scope`, in time order (then row order).
fn rows_in_time_order(ledger: &Ledger, scope: &ChannelLimits, rows: &[usize]) -> Vec<usize> {
    let mut rows: Vec<usize> = rows.iter().copied().filter(|&i| scope.applies_to(ledger.channel[i])).collect();
    rows.sort_by_key(|&i| (ledger.time[i], i));
    rows
}

/// Whether ledger row `i` adds to the totals: an approved purchase.
fn counts(ledger: &Ledger, i: usize) -> bool {
    ledger.kind[i] == TradeKind::Purchase && is_approved(ledger.response_code.get(i))
}

fn month_of(seconds: i64) -> i64 {
    let date = from_unix(seconds).date_naive();
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn money(fen: i128) -> Money {
    i64::try_from(fen).map(Money::from_fen).unwrap_or(Money::MAX)
}

/// Which limit of `scope` a declined trade (61 amount, 65 count) reached, given the totals
/// before it; `None` when none did.
fn limit_reached(code: &str, amount_fen: i64, scope: &ChannelLimits, day: &Running, month: &Running) -> Option<LimitReached> {
    let amount = Money::from_fen(amount_fen);
    // Day and month totals name their channels only when the limit has some.
    let (total_zh, total_en) = if scope.channels.is_empty() { (None, None) } else { (Some(scope.scope_zh()), Some(scope.scope_en())) };
    match code {
        "61" => {
            if let Some(limit) = scope.per_transaction.filter(|&limit| amount > limit) {
                return Some(LimitReached::Transaction { amount, limit, scope_zh: scope.scope_zh(), scope_en: scope.scope_en() });
            }
            let day_total = money(day.amount_fen + i128::from(amount_fen));
            if let Some(limit) = scope.per_day.filter(|&limit| day_total > limit) {
                return Some(LimitReached::Day { total: day_total, limit, scope_zh: total_zh, scope_en: total_en });
            }
            let month_total = money(month.amount_fen + i128::from(amount_fen));
            scope.per_month.filter(|&limit| month_total > limit).map(|limit| LimitReached::Month {
                total: month_total,
                limit,
                scope_zh: total_zh,
                scope_en: total_en,
            })
        }
        "65" => scope.per_day_count.filter(|&limit| day.trades >= u64::from(limit)).map(|limit| LimitReached::DayCount {
            trade: day.trades + 1,
            limit,
            scope_zh: scope.scope_zh(),
            scope_en: scope.scope_en(),
        }),
        _ => None,
    }
}

/// The full reasons of the declined ledger rows the limits or hours explain: the usual
/// declined reason, then the limit reached (61, 65), or that no registered limit explains it,
/// and whether the trade fell outside the business hours.
pub(crate) fn explain_declines(ledger: &Ledger, class: &[Class], limits: &MerchantLimits, rows: &[usize]) -> Vec<(u32, Text)> {
    let declined = |i: usize| class[i] == Class::Declined;
    let mut reached: Vec<Option<LimitReached>> = vec![None; ledger.len()];
    for scope in &limits.channel_limits {
        let (mut day, mut month) = (Running { period: i64::MIN, ..Running::default() }, Running { period: i64::MIN, ..Running::default() });
        for i in rows_in_time_order(ledger, scope, rows) {
            day.enter(china_day(ledger.time[i]));
            month.enter(month_of(ledger.time[i]));
            if counts(ledger, i) {
                day.amount_fen += i128::from(ledger.amount_fen[i]);
                month.amount_fen += i128::from(ledger.amount_fen[i]);
                day.trades += 1;
                month.trades += 1;
            } else if declined(i) && reached[i].is_none() {
                reached[i] = limit_reached(ledger.response_code.get(i).trim(), ledger.amount_fen[i], scope, &day, &month);
            }
        }
    }
    let mut reasons = Vec::new();
    for i in rows.iter().copied().filter(|&i| declined(i)) {
        let code = ledger.response_code.get(i).trim();
        let meaning = ResponseMeaning::of(ledger.response_code.get(i));
        let mut clauses = vec![declined_clause(&meaning)];
        if let Some(limit) = reached[i].take() {
            clauses.push(Clause::LimitReached { code, limit });
        } else if (code == "61" || code == "65") && !limits.channel_limits.is_empty() {
            clauses.push(Clause::NoLimitExplains { code });
        }
        if let Some(hours) = limits.business_hours.filter(|hours| !hours.contains(from_unix(ledger.time[i]))) {
            clauses.push(Clause::OutsideHours { hours: hours.to_string() });
        }
        if clauses.len() > 1 {
            reasons.push((i as u32, Text::of_clauses(&clauses)));
        }
    }
    reasons
}

/// The days and months whose approved purchases came within 10% of a limit, or passed it,
/// by limit group, then period.
pub(crate) fn near_limits(ledger: &Ledger, limits: &MerchantLimits, rows: &[usize]) -> Vec<NearLimit> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut near = Vec::new();
    for scope in &limits.channel_limits {
        if scope.per_day.is_none() && scope.per_month.is_none() && scope.per_day_count.is_none() {
            continue;
        }
        // Totals per day and per month, in time order.
        let mut days: Vec<Running> = Vec::new();
        let mut months: Vec<Running> = Vec::new();
        for i in rows_in_time_order(ledger, scope, rows).into_iter().filter(|&i| counts(ledger, i)) {
            for (periods, period) in [(&mut days, china_day(ledger.time[i])), (&mut months, month_of(ledger.time[i]))] {
                if periods.last().map_or(true, |last| last.period != period) {
                    periods.push(Running { period, ..Running::default() });
                }
                let last = periods.last_mut().expect("pushed above");
                last.amount_fen += i128::from(ledger.amount_fen[i]);
                last.trades += 1;
            }
        }
        // Compared in thousandths of a fen (a limit may have sub-fen digits).
        let within_tenth = |total: i128, limit: i128| total * 10 >= limit * 9;
        let near_amount = |total_fen: i128, limit: Money| within_tenth(total_fen * 1000, i128::from(limit.millifen()));
        let day_text = |day: i64| (epoch + chrono::Days::new(day.max(0) as u64)).to_string();
        for day in &days {
            let total = money(day.amount_fen);
            let by_amount = scope.per_day.filter(|&limit| near_amount(day.amount_fen, limit));
            let by_count = scope.per_day_count.filter(|&limit| within_tenth(i128::from(day.trades), i128::from(limit)));
            if let Some(limit) = by_amount {
                near.push(NearLimit::new(day_text(day.period), LimitKind::PerDay, scope, Some(limit), None, total, day.trades));
            }
            if let Some(limit) = by_count {
                near.push(NearLimit::new(day_text(day.period), LimitKind::PerDayCount, scope, None, Some(limit), total, day.trades));
            }
        }
        for month in &months {
            let Some(limit) = scope.per_month.filter(|&limit| near_amount(month.amount_fen, limit)) else {
                continue;
            };
            let period = format!("{:04}-{:02}", month.period.div_euclid(12), month.period.rem_euclid(12) + 1);
            near.push(NearLimit::new(period, LimitKind::PerMonth, scope, Some(limit), None, money(month.amount_fen), month.trades));
        }
    }
    near
}

/// The registered limits and the ledger rows they cover, with the merchant number: the
/// single merchant's limits over every row; in a portfolio, each merchant's limits over the
/// rows of its contracts that carry them (a merchant's contracts with equal limits are one
/// group, so a contract change of schedule or class does not restart the day's or month's
/// totals).
pub(crate) fn limit_groups<'a>(ledger: &Ledger, options: &'a ReconcileOptions, contracts: &Contracts<'a>) -> Vec<LimitGroup<'a>> {
    if !contracts.is_portfolio() {
        return options
            .profile
            .limits
            .as_ref()
            .map(|limits| vec![LimitGroup { limits, rows: (0..ledger.len()).collect(), merchant_no: "" }])
            .unwrap_or_default();
    }
    // Each contract's group: the first group of its merchant with equal limits, or a new one.
    let mut groups: Vec<LimitGroup<'a>> = Vec::new();
    let mut of_merchant: HashMap<&str, Vec<usize>> = HashMap::new();
    let group_of: Vec<Option<usize>> = contracts
        .list
        .iter()
        .map(|contract| {
            let limits = contract.profile.limits.as_ref()?;
            let merchant_no = contract.profile.merchant_no.as_str();
            let known = of_merchant.entry(merchant_no).or_default();
            match known.iter().copied().find(|&g| groups[g].limits == limits) {
                Some(g) => Some(g),
                None => {
                    groups.push(LimitGroup { limits, rows: Vec::new(), merchant_no });
                    known.push(groups.len() - 1);
                    Some(groups.len() - 1)
                }
            }
        })
        .collect();
    if !groups.is_empty() {
        for i in 0..ledger.len() {
            let c = contracts.ledger(i);
            if let Some(g) = group_of.get(c as usize).copied().flatten() {
                groups[g].rows.push(i);
            }
        }
    }
    groups
}

/// One merchant's registered limits and the ledger rows they cover.
pub(crate) struct LimitGroup<'a> {
    pub limits: &'a MerchantLimits,
    /// Ledger rows, ascending.
    pub rows: Vec<usize>,
    /// The merchant number (empty for a single merchant's reconciliation).
    pub merchant_no: &'a str,
}

#[cfg(test)]
mod tests {
    use super::super::{reconcile, LedgerRecord, MerchantProfile, ReconcileOptions, Report, Statement};
    use super::*;
    use crate::merchant_limits::ChannelLimits;
    use crate::settlement::parse_china_time;
    use crate::Channel::{Credit, Debit, Wechat};

    fn trade(id: &str, at: &str, yuan: i64, channel: crate::Channel, code: &str) -> LedgerRecord {
        let mut record = LedgerRecord::new(id, parse_china_time(at).unwrap(), Money::from_yuan(yuan), channel);
        record.rrn = format!("{:0>12}", id.trim_start_matches(char::is_alphabetic));
        record.terminal = "T0000001".to_string();
        record.response_code = code.to_string();
        record
    }

    fn run(trades: Vec<LedgerRecord>, limits: Option<MerchantLimits>) -> Report {
        let mut ledger = Ledger::new("ledger.csv");
        for record in trades {
            ledger.push(record).unwrap();
        }
        let mut profile = MerchantProfile::new("102310058120001", "沪上小馆").unwrap();
        if let Some(limits) = limits {
            profile = profile.limits(limits);
        }
        let options = ReconcileOptions::new(crate::Schedule::preset("sft-traditional").unwrap(), profile);
        reconcile(&ledger, &Statement::new("statement.csv"), &options).unwrap()
    }

    fn reason(report: &Report, row: usize) -> String {
        report.row(row).unwrap().reason.to_string()
    }

    /// Credit trades over a day: declines 61 once the day's credit total passes ¥200,000.
    fn busy_credit_day() -> Vec<LedgerRecord> {
        vec![
            trade("A1", "2026-03-02 09:00", 48_000, Credit, "00"),
            trade("A2", "2026-03-02 10:00", 49_000, Credit, "00"),
            trade("A3", "2026-03-02 11:00", 50_000, Credit, "00"),
            trade("A4", "2026-03-02 12:00", 40_000, Debit, "00"), // another channel: not in the credit total
            trade("A5", "2026-03-02 13:00", 50_000, Credit, "00"), // credit total 197,000
            trade("A6", "2026-03-02 14:00", 6_000, Credit, "61"), // would reach 203,000
            trade("A7", "2026-03-02 15:00", 3_000, Credit, "00"), // 200,000 exactly: allowed
            trade("A8", "2026-03-02 16:00", 1, Credit, "61"),     // would reach 200,001
            trade("A9", "2026-03-03 09:00", 6_000, Credit, "61"), // a new day: no limit explains it
            trade("A10", "2026-03-03 10:00", 60_000, Credit, "61"), // over per transaction
            trade("A11", "2026-03-03 11:00", 100, Credit, "51"),
        ]
    }

    fn credit_limits() -> MerchantLimits {
        MerchantLimits::new()
            .with(ChannelLimits::new([Credit]).per_transaction(Money::from_yuan(50_000)).per_day(Money::from_yuan(200_000)))
    }

    #[test]
    fn declines_61_after_the_day_passes_the_per_day_limit() {
        let mut report = run(busy_credit_day(), Some(credit_limits()));
        for row in [5, 7, 8, 9, 10] {
            assert_eq!(report.row(row).unwrap().class, Class::Declined, "row {row}");
        }
        assert!(
            reason(&report, 5)
                .ends_with("; declined 61: the day's credit total would have reached ¥203,000.00, above the ¥200,000.00 per-day limit"),
            "{}",
            reason(&report, 5)
        );
        assert!(reason(&report, 5).starts_with("declined with response code 61: over amount limit; "), "{}", reason(&report, 5));
        assert!(
            reason(&report, 7).contains("would have reached ¥200,001.00, above the ¥200,000.00 per-day limit"),
            "{}",
            reason(&report, 7)
        );
        assert!(reason(&report, 8).contains("no registered limit of the merchant explains 61"), "{}", reason(&report, 8));
        assert!(reason(&report, 9).contains("¥60,000.00 is above the ¥50,000.00 per-transaction limit (credit)"), "{}", reason(&report, 9));
        assert!(!reason(&report, 10).contains("limit"), "{}", reason(&report, 10));
        report.set_lang(crate::Lang::Zh);
        assert!(reason(&report, 5).starts_with("交易被拒，应答码 61：超出金额限制；"), "{}", reason(&report, 5));
        assert!(
            reason(&report, 5).ends_with("；拒绝原因（61）：当日贷记卡累计将达 ¥203,000.00，超过日累计限额 ¥200,000.00"),
            "{}",
            reason(&report, 5)
        );
        assert!(reason(&report, 9).contains("¥60,000.00 超过贷记卡单笔限额 ¥50,000.00"), "{}", reason(&report, 9));
        report.set_lang(crate::Lang::En);
        // The day that reached the limit is listed; the next day (¥0 approved) is not.
        let near = &report.summary.near_limits;
        assert_eq!(near.len(), 1, "{near:?}");
        assert_eq!(
            (near[0].period.as_str(), near[0].kind, near[0].amount, near[0].trades),
            ("2026-03-02", LimitKind::PerDay, Money::from_yuan(200_000), 5)
        );
        assert_eq!((near[0].channels.as_slice(), near[0].limit_amount), ([Credit].as_slice(), Some(Money::from_yuan(200_000))));
        assert!(
            report.summary.table().contains("near a limit: 2026-03-02 per_day 单日限额 (credit): ¥200000.00 of ¥200000.00 (100.0000%)"),
            "{}",
            report.summary.table()
        );
    }

    #[test]
    fn without_limits_reasons_and_summary_are_as_before() {
        let report = run(busy_credit_day(), None);
        assert_eq!(reason(&report, 5), super::super::response::declined_reason("61").en());
        assert!(report.summary.near_limits.is_empty());
        assert!(!report.summary.table().contains("near a limit"));
    }

    #[test]
    fn within_a_tenth_and_months_and_counts() {
        let limits = MerchantLimits::new()
            .with(ChannelLimits::new([]).per_day(Money::from_yuan(1_000)).per_month(Money::from_yuan(2_000)).per_day_count(3));
        let report = run(
            vec![
                trade("B1", "2026-03-02 09:00", 899, Wechat, "00"), // 89.9%: not near
                trade("B2", "2026-03-03 09:00", 900, Wechat, "00"), // 90%: near
                trade("B3", "2026-03-04 09:00", 100, Wechat, "00"),
                trade("B4", "2026-03-04 09:10", 100, Wechat, "00"),
                trade("B5", "2026-03-04 09:20", 100, Wechat, "00"), // third trade: count limit reached
                trade("B6", "2026-03-04 09:30", 100, Wechat, "65"),
                trade("B7", "2026-03-04 09:40", 100, Wechat, "00"), // the acquirer let a fourth through
                trade("B8", "2026-04-01 00:30", 100, Wechat, "00"),
            ],
            Some(limits),
        );
        let near: Vec<(&str, LimitKind)> = report.summary.near_limits.iter().map(|n| (n.period.as_str(), n.kind)).collect();
        assert_eq!(near, [("2026-03-03", LimitKind::PerDay), ("2026-03-04", LimitKind::PerDayCount), ("2026-03", LimitKind::PerMonth)]);
        assert!(
            reason(&report, 5).contains("this would have been trade 4 of the day (every channel), above the per-day limit of 3 trades"),
            "{}",
            reason(&report, 5)
        );
        let month = &report.summary.near_limits[2];
        assert_eq!((month.amount, month.trades), (Money::from_yuan(2_199), 6));
    }

    #[test]
    fn declines_outside_business_hours_say_so() {
        let limits = MerchantLimits::new().business_hours("08:00-22:00".parse().unwrap());
        let report =
            run(vec![trade("C1", "2026-03-02 23:15", 100, Debit, "03"), trade("C2", "2026-03-02 12:00", 100, Debit, "03")], Some(limits));
        assert!(
            reason(&report, 0).ends_with("; the trade was outside the registered business hours 08:00–22:00 (服务时间不符)"),
            "{}",
            reason(&report, 0)
        );
        assert_eq!(reason(&report, 1), super::super::response::declined_reason("03").en());
    }
}

//! Expected payouts: the acquirer statement's net amounts grouped by settlement date (and by
//! merchant number and batch number, where the statement shows them).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::error::{Error, ErrorKind, Result};
use crate::money::{Money, MILLIFEN_PER_FEN};
use crate::reconcile::Statement;

/// One payout the statement says the acquirer owes: the net of a settlement date (and
/// merchant number and batch number), rounded to the fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Payout {
    pub settlement_date: NaiveDate,
    pub merchant_no: String,
    /// The batch number (批次号; empty when not grouped by batch or the rows have none).
    pub batch: String,
    /// The net to deposit, whole fen.
    pub amount: Money,
    /// The exact sum of the nets before rounding to the fen.
    pub exact: Money,
    /// The statement rows behind it (0-based) and their lines.
    pub rows: Vec<u32>,
    pub lines: Vec<u64>,
}

/// What payouts are grouped by besides the settlement date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grouping {
    pub by_merchant: bool,
    pub by_batch: bool,
}

/// Groups the statement's nets into payouts, ordered by settlement date, merchant number and
/// batch number.
///
/// # Errors
/// [`ErrorKind::Overflow`] when a payout's sum leaves [`Money::MAX`].
pub(crate) fn expected_payouts(statement: &Statement, grouping: Grouping) -> Result<Vec<Payout>> {
    let mut groups: BTreeMap<(NaiveDate, &str, &str), (i128, Vec<u32>)> = BTreeMap::new();
    let (merchant_no, batch) = (statement.merchant_no.view(), statement.batch.view());
    for j in 0..statement.settlement_date.len() {
        let merchant = if grouping.by_merchant { merchant_no.get(j) } else { "" };
        let batch = if grouping.by_batch { batch.get(j) } else { "" };
        let entry = groups.entry((statement.settlement_date[j], merchant, batch)).or_default();
        entry.0 += i128::from(statement.net[j].millifen());
        entry.1.push(j as u32);
    }
    let overflow = || Error::new(ErrorKind::Overflow, format!("a payout's sum of nets is beyond ¥{}", Money::MAX));
    groups
        .into_iter()
        .map(|((settlement_date, merchant_no, batch), (millifen, rows))| {
            let exact = i64::try_from(millifen).ok().and_then(|m| Money::from_millifen(m).ok()).ok_or_else(overflow)?;
            Ok(Payout {
                settlement_date,
                merchant_no: merchant_no.to_string(),
                batch: batch.to_string(),
                amount: round_to_fen(exact),
                exact,
                lines: rows.iter().map(|&j| statement.line.get(j as usize)).collect(),
                rows,
            })
        })
        .collect()
}

/// Rounds to the fen, halves away from zero (banks move whole fen).
pub(crate) fn round_to_fen(money: Money) -> Money {
    let millifen = money.millifen();
    let half = MILLIFEN_PER_FEN / 2;
    let fen = if millifen >= 0 { (millifen + half) / MILLIFEN_PER_FEN } else { (millifen - half) / MILLIFEN_PER_FEN };
    Money::from_fen(fen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channel::Channel;
    use crate::reconcile::StatementRecord;
    use crate::settlement::{parse_china_time, parse_date};

    #[test]
    fn nets_group_by_date_and_merchant_and_round_to_the_fen() {
        let mut statement = Statement::new("s");
        let row = |date: &str, merchant: &str, batch: &str, fee: &str| {
            let mut r = StatementRecord::new(
                parse_date(date).unwrap(),
                parse_china_time("2026-11-01 10:00").unwrap(),
                Money::from_yuan(100),
                Money::parse(fee).unwrap(),
                Channel::Wechat,
            );
            r.merchant_no = merchant.into();
            r.batch = batch.into();
            r
        };
        for r in [
            row("2026-11-02", "A", "", "0.38"),
            row("2026-11-02", "A", "", "0.00500"),
            row("2026-11-02", "B", "", "1"),
            row("2026-11-03", "A", "", "0"),
        ] {
            statement.push(r).unwrap();
        }
        let all = Grouping { by_merchant: true, by_batch: true };
        let payouts = expected_payouts(&statement, all).unwrap();
        let seen: Vec<_> =
            payouts.iter().map(|p| (p.settlement_date.to_string(), p.merchant_no.as_str(), p.amount.to_string(), p.rows.len())).collect();
        assert_eq!(
            seen,
            [
                ("2026-11-02".into(), "A", "199.62".into(), 2),
                ("2026-11-02".into(), "B", "99.00".into(), 1),
                ("2026-11-03".into(), "A", "100.00".into(), 1)
            ]
        );
        assert_eq!(payouts[0].exact.to_string(), "199.615");
        assert_eq!(expected_payouts(&statement, Grouping { by_merchant: false, by_batch: true }).unwrap().len(), 2);
        assert_eq!(round_to_fen(Money::parse("-0.005").unwrap()).to_string(), "-0.01");
    }

    #[test]
    fn batches_split_a_day_into_payouts_unless_turned_off() {
        let mut statement = Statement::new("s");
        for (batch, yuan) in [("000012", 100), ("000013", 50), ("000012", 20), ("", 7)] {
            let mut r = StatementRecord::new(
                parse_date("2026-11-02").unwrap(),
                parse_china_time("2026-11-01 10:00").unwrap(),
                Money::from_yuan(yuan),
                Money::ZERO,
                Channel::Credit,
            );
            r.merchant_no = "A".into();
            r.batch = batch.into();
            statement.push(r).unwrap();
        }
        let by_batch = expected_payouts(&statement, Grouping { by_merchant: true, by_batch: true }).unwrap();
        let seen: Vec<_> = by_batch.iter().map(|p| (p.batch.as_str(), p.amount.to_string(), p.rows.clone())).collect();
        assert_eq!(
            seen,
            [("", "7.00".to_string(), vec![3]), ("000012", "120.00".to_string(), vec![0, 2]), ("000013", "50.00".to_string(), vec![1])]
        );
        let by_day = expected_payouts(&statement, Grouping { by_merchant: true, by_batch: false }).unwrap();
        assert_eq!((by_day.len(), by_day[0].amount, by_day[0].batch.as_str()), (1, Money::from_yuan(177), ""));
    }
}

//! Expected payouts: the acquirer statement's net amounts grouped by settlement date (and by
//! merchant number, where the statement shows one).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::error::{Error, ErrorKind, Result};
use crate::money::{Money, MILLIFEN_PER_FEN};
use crate::reconcile::Statement;

/// One payout the statement says the acquirer owes: the net of a settlement date (and
/// merchant number), rounded to the fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Payout {
    pub settlement_date: NaiveDate,
    pub merchant_no: String,
    /// The net to deposit, whole fen.
    pub amount: Money,
    /// The exact sum of the nets before rounding to the fen.
    pub exact: Money,
    /// The statement rows behind it (0-based) and their lines.
    pub rows: Vec<u32>,
    pub lines: Vec<u64>,
}

/// Groups the statement's nets into payouts, ordered by settlement date and merchant number.
///
/// # Errors
/// [`ErrorKind::Overflow`] when a payout's sum leaves [`Money::MAX`].
pub(crate) fn expected_payouts(statement: &Statement, by_merchant: bool) -> Result<Vec<Payout>> {
    let mut groups: BTreeMap<(NaiveDate, &str), (i128, Vec<u32>)> = BTreeMap::new();
    let merchant_no = statement.merchant_no.view();
    for j in 0..statement.settlement_date.len() {
        let merchant = if by_merchant { merchant_no.get(j) } else { "" };
        let entry = groups.entry((statement.settlement_date[j], merchant)).or_default();
        entry.0 += i128::from(statement.net[j].millifen());
        entry.1.push(j as u32);
    }
    let overflow = || Error::new(ErrorKind::Overflow, format!("a payout's sum of nets is beyond ¥{}", Money::MAX));
    groups
        .into_iter()
        .map(|((settlement_date, merchant_no), (millifen, rows))| {
            let exact = i64::try_from(millifen).ok().and_then(|m| Money::from_millifen(m).ok()).ok_or_else(overflow)?;
            Ok(Payout {
                settlement_date,
                merchant_no: merchant_no.to_string(),
                amount: round_to_fen(exact),
                exact,
                lines: rows.iter().map(|&j| statement.line[j as usize]).collect(),
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
        let row = |date: &str, merchant: &str, fee: &str| {
            let mut r = StatementRecord::new(
                parse_date(date).unwrap(),
                parse_china_time("2026-11-01 10:00").unwrap(),
                Money::from_yuan(100),
                Money::parse(fee).unwrap(),
                Channel::Wechat,
            );
            r.merchant_no = merchant.into();
            r
        };
        for r in
            [row("2026-11-02", "A", "0.38"), row("2026-11-02", "A", "0.00500"), row("2026-11-02", "B", "1"), row("2026-11-03", "A", "0")]
        {
            statement.push(r).unwrap();
        }
        let payouts = expected_payouts(&statement, true).unwrap();
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
        assert_eq!(expected_payouts(&statement, false).unwrap().len(), 2);
        assert_eq!(round_to_fen(Money::parse("-0.005").unwrap()).to_string(), "-0.01");
    }
}

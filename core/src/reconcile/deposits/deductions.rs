//! The statement's deduction lines (流量费, 服务费) as the explanation of short deposits: a
//! short payout is explained by the deduction lines of its settlement date (and merchant and
//! batch numbers, where both sides show them) whose amounts make up its difference.

use super::class::DepositClass;
use super::report::{yuan, DeductionResult, PayoutResult};
use crate::reconcile::StatementDeduction;

/// Whether deduction `d` may belong to payout `p`: the same settlement date, and the same
/// merchant and batch numbers where both show one.
fn belongs(d: &StatementDeduction, p: &PayoutResult) -> bool {
    let same = |a: &str, b: &str| a.is_empty() || b.is_empty() || a == b;
    d.settlement_date == p.settlement_date && same(&d.merchant_no, &p.merchant_no) && same(&d.batch, &p.batch)
}

/// For each deduction line, the short payout it explains (`None`: none). A short payout takes
/// the one unused line of exactly its difference, else all its unused lines when together
/// they make up the difference; payouts in report order.
pub(crate) fn explain_shortfalls(payouts: &[PayoutResult], deductions: &[StatementDeduction]) -> Vec<Option<usize>> {
    let mut used: Vec<Option<usize>> = vec![None; deductions.len()];
    for (p, payout) in payouts.iter().enumerate().filter(|(_, p)| p.class == DepositClass::DepositShort) {
        let open: Vec<usize> = (0..deductions.len()).filter(|&d| used[d].is_none() && belongs(&deductions[d], payout)).collect();
        let chosen = match open.iter().find(|&&d| deductions[d].amount == payout.difference) {
            Some(&d) => vec![d],
            None => {
                let total: i128 = open.iter().map(|&d| i128::from(deductions[d].amount.millifen())).sum();
                if open.len() > 1 && total == i128::from(payout.difference.millifen()) {
                    open
                } else {
                    Vec::new()
                }
            }
        };
        for d in chosen {
            used[d] = Some(p);
        }
    }
    used
}

/// A deduction line as the report shows it, with the payout it explains.
pub(crate) fn result(d: &StatementDeduction, payout: Option<usize>) -> DeductionResult {
    DeductionResult {
        line: d.line,
        settlement_date: d.settlement_date,
        merchant_no: d.merchant_no.clone(),
        batch: d.batch.clone(),
        amount: d.amount,
        text: d.text.clone(),
        payout,
    }
}

/// "¥99.00 on line 14 (流量费)" for each line, joined with "and".
pub(crate) fn describe(lines: &[&DeductionResult]) -> (String, String) {
    let en: Vec<String> = lines.iter().map(|d| format!("{} on line {} ({})", yuan(d.amount), d.line, d.text)).collect();
    let zh: Vec<String> = lines.iter().map(|d| format!("第 {} 行{} {}", d.line, d.text, yuan(d.amount))).collect();
    (en.join(" and "), zh.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use crate::settlement::parse_date;

    fn payout(date: &str, merchant: &str, difference: i64) -> PayoutResult {
        PayoutResult {
            settlement_date: parse_date(date).unwrap(),
            merchant_no: merchant.into(),
            batch: String::new(),
            expected: Money::from_yuan(1000),
            received: Some(Money::from_yuan(1000 - difference)),
            difference: Money::from_yuan(difference),
            class: DepositClass::DepositShort,
            posted_on: None,
            delay_business_days: Some(0),
            overdue_business_days: None,
            statement_lines: vec![2],
            bank_lines: vec![3],
            statement_deduction_lines: Vec::new(),
            reason: String::new(),
        }
    }

    fn deduction(date: &str, merchant: &str, yuan: i64, line: u64) -> StatementDeduction {
        let mut d = StatementDeduction::new(parse_date(date).unwrap(), Money::from_yuan(yuan), "流量费");
        d.merchant_no = merchant.into();
        d.line = line;
        d
    }

    #[test]
    fn a_short_payout_takes_the_lines_of_its_day_and_merchant_that_make_up_its_difference() {
        let payouts = [payout("2026-11-02", "A", 99), payout("2026-11-02", "B", 120), payout("2026-11-03", "A", 50)];
        let deductions = [
            deduction("2026-11-02", "A", 99, 10), // A's exact line
            deduction("2026-11-02", "B", 99, 11), // B: 99 + 21 together
            deduction("2026-11-02", "", 21, 12),  // no merchant number: any merchant of the day
            deduction("2026-11-03", "B", 50, 13), // another merchant: explains nothing
            deduction("2026-11-04", "A", 50, 14), // another day
        ];
        assert_eq!(explain_shortfalls(&payouts, &deductions), [Some(0), Some(1), Some(1), None, None]);
        // A payout that is not short takes nothing.
        let mut deposited = payouts.clone();
        deposited[0].class = DepositClass::Deposited;
        assert_eq!(explain_shortfalls(&deposited, &deductions)[0], None);
        let (en, zh) = describe(&[&result(&deductions[1], None), &result(&deductions[2], None)]);
        assert_eq!(en, "¥99.00 on line 11 (流量费) and ¥21.00 on line 12 (流量费)");
        assert_eq!(zh, "第 11 行流量费 ¥99.00、第 12 行流量费 ¥21.00");
    }
}

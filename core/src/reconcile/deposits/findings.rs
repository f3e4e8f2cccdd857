//! Findings in plain words, English and Chinese, each with the rows behind it.

use super::class::DepositClass;
use super::deductions;
use super::matching::Unchecked;
use super::report::{yuan, DeductionResult, DepositFinding, DepositReport, PayoutResult};
use crate::money::{Money, MILLIFEN_PER_YUAN};

/// The order findings are listed in: problems by weight, then notes.
const ORDER: [DepositClass; 7] = [
    DepositClass::DepositMissing,
    DepositClass::DepositShort,
    DepositClass::DepositedLate,
    DepositClass::UnexplainedCredit,
    DepositClass::UnexplainedDebit,
    DepositClass::DepositMerged,
    DepositClass::NotChecked,
];

/// A hint for a shortfall: a whole number of yuan is what annual service and SIM data fees
/// (流量费 / 服务费) look like.
fn fee_hint(difference: Money) -> (&'static str, &'static str) {
    if difference.millifen() % MILLIFEN_PER_YUAN == 0 {
        (" (流量费?)", "（流量费？）")
    } else {
        ("", "")
    }
}

/// "1 business day", "3 business days".
fn business_days(n: i64) -> String {
    if n == 1 {
        "1 business day".to_string()
    } else {
        format!("{n} business days")
    }
}

/// "for 2026-10-08" and, with a merchant or batch number, "(merchant 102310058120001,
/// batch 000012)".
fn payout_words(p: &PayoutResult) -> (String, String) {
    let mut en: Vec<String> = Vec::new();
    let mut zh: Vec<String> = Vec::new();
    if !p.merchant_no.is_empty() {
        en.push(format!("merchant {}", p.merchant_no));
        zh.push(format!("商户号 {}", p.merchant_no));
    }
    if !p.batch.is_empty() {
        en.push(format!("batch {}", p.batch));
        zh.push(format!("批次号 {}", p.batch));
    }
    if en.is_empty() {
        (format!("for {}", p.settlement_date), format!("{} 的", p.settlement_date))
    } else {
        (format!("for {} ({})", p.settlement_date, en.join(", ")), format!("{}（{}）的", p.settlement_date, zh.join("，")))
    }
}

/// The findings of a report whose payouts and bank rows are classed.
/// `unchecked` holds, per payout, why a not-checked payout was not checked.
pub(crate) fn findings(report: &DepositReport, unchecked: &[Option<Unchecked>]) -> Vec<DepositFinding> {
    let mut found = Vec::new();
    let line_of = |line: u64| report.bank.iter().position(|b| b.line == line);
    for class in ORDER {
        for (k, p) in report.payouts.iter().enumerate().filter(|(_, p)| p.class == class) {
            let (for_en, for_zh) = payout_words(p);
            let amount = yuan(p.expected);
            let posted = p.posted_on.map(|d| d.to_string()).unwrap_or_default();
            let (en, zh) = match class {
                DepositClass::DepositMissing => {
                    let overdue = p.overdue_business_days.unwrap_or(0);
                    (
                        format!("payout of {amount} {for_en} has not arrived ({} overdue)", business_days(overdue)),
                        format!("{for_zh}结算款 {amount} 未到账（已逾期 {overdue} 个工作日）"),
                    )
                }
                DepositClass::DepositShort => {
                    let difference = yuan(p.difference);
                    let received = yuan(p.received.unwrap_or_default());
                    let deduction = p.bank_lines.get(1).and_then(|&line| line_of(line).map(|b| (line, &report.bank[b])));
                    // The statement's own deduction lines, when they make up the difference.
                    let on_statement: Vec<&DeductionResult> = report.deductions.iter().filter(|d| d.payout == Some(k)).collect();
                    let (stated, stated_zh) = if on_statement.is_empty() {
                        (String::new(), String::new())
                    } else {
                        let (en, zh) = deductions::describe(&on_statement);
                        (format!("; the statement deducts {en}"), format!("；对账单扣款：{zh}"))
                    };
                    let (en, zh) = match deduction {
                        Some((line, row)) => {
                            let (memo, memo_zh) = if row.memo.is_empty() {
                                (String::new(), String::new())
                            } else {
                                (format!(" ({})", row.memo), format!("（{}）", row.memo))
                            };
                            (
                                format!(
                                    "{difference} less than the statement's net on {}: {amount} arrived on {posted} and {difference} was deducted on line {line}{memo}",
                                    p.settlement_date
                                ),
                                format!("{} 到账比对账单净额少 {difference}：{amount} 于 {posted} 到账，第 {line} 行扣款 {difference}{memo_zh}", p.settlement_date),
                            )
                        }
                        None => {
                            let (hint, hint_zh) = if on_statement.is_empty() { fee_hint(p.difference) } else { ("", "") };
                            (
                                format!(
                                    "{difference} less than the statement's net on {}{hint}: {received} arrived on {posted} for {amount}",
                                    p.settlement_date
                                ),
                                format!(
                                    "{} 到账比对账单净额少 {difference}{hint_zh}：应到 {amount}，{posted} 实到 {received}",
                                    p.settlement_date
                                ),
                            )
                        }
                    };
                    (en + &stated, zh + &stated_zh)
                }
                DepositClass::DepositedLate => {
                    let late = p.delay_business_days.unwrap_or(0);
                    (
                        format!("payout of {amount} {for_en} arrived {} late, on {posted}", business_days(late)),
                        format!("{for_zh}结算款 {amount} 晚到 {late} 个工作日（{posted} 到账）"),
                    )
                }
                DepositClass::DepositMerged => {
                    let Some(b) = p.bank_lines.first().and_then(|&line| line_of(line)) else { continue };
                    // One finding per merged deposit, given with its first payout.
                    if report.bank[b].payouts.first() != Some(&k) {
                        continue;
                    }
                    let row = &report.bank[b];
                    let dates: Vec<String> = row.payouts.iter().map(|&q| report.payouts[q].settlement_date.to_string()).collect();
                    let parts: Vec<String> = row.payouts.iter().map(|&q| yuan(report.payouts[q].expected)).collect();
                    found.push(DepositFinding {
                        class,
                        en: format!(
                            "payouts for {} ({}) arrived as one deposit of {} on {}",
                            dates.join(", "),
                            parts.join(" + "),
                            yuan(row.amount),
                            row.date
                        ),
                        zh: format!(
                            "{} 的结算款（{}）合并为一笔 {} 于 {} 到账",
                            dates.join("、"),
                            parts.join(" + "),
                            yuan(row.amount),
                            row.date
                        ),
                        payouts: row.payouts.clone(),
                        bank_lines: vec![row.line],
                        statement_lines: row.payouts.iter().flat_map(|&q| report.payouts[q].statement_lines.iter().copied()).collect(),
                    });
                    continue;
                }
                DepositClass::NotChecked => (
                    format!("payout of {amount} {for_en} was not checked: {}", p.reason),
                    format!("{for_zh}结算款 {amount} 未核对：{}", not_checked_zh(unchecked.get(k).copied().flatten())),
                ),
                _ => continue,
            };
            found.push(DepositFinding {
                class,
                en,
                zh,
                payouts: vec![k],
                bank_lines: p.bank_lines.clone(),
                statement_lines: p.statement_lines.iter().chain(&p.statement_deduction_lines).copied().collect(),
            });
        }
        for row in report.bank.iter().filter(|b| b.class == class) {
            let who = if row.counterparty.is_empty() { row.memo.clone() } else { row.counterparty.clone() };
            let (en, zh) = match class {
                DepositClass::UnexplainedCredit => (
                    format!("{} from {who} on {} (line {}) matches no payout of the statement", yuan(row.amount), row.date, row.line),
                    format!("{} 来自 {who} 的入账 {}（第 {} 行）对不上任何结算款", row.date, yuan(row.amount), row.line),
                ),
                DepositClass::UnexplainedDebit => {
                    let (hint, hint_zh) = fee_hint(-row.amount);
                    (
                        format!("{} taken by {who} on {} (line {}) matches no payout{hint}", yuan(-row.amount), row.date, row.line),
                        format!("{} {who} 扣款 {}（第 {} 行）对不上任何结算款{hint_zh}", row.date, yuan(-row.amount), row.line),
                    )
                }
                _ => continue,
            };
            found.push(DepositFinding { class, en, zh, payouts: Vec::new(), bank_lines: vec![row.line], statement_lines: Vec::new() });
        }
    }
    found
}

/// Why a payout was not checked, in Chinese.
fn not_checked_zh(why: Option<Unchecked>) -> String {
    match why {
        Some(Unchecked::ZeroNet) => "净额为零，无需到账".to_string(),
        Some(Unchecked::DueAfter(end)) => format!("最晚可能于 {end} 入账，晚于银行流水的最后一天"),
        Some(Unchecked::BeforeStart) | None => "可能在银行流水第一天之前入账".to_string(),
    }
}

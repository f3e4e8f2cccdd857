//! Simulation: seeded acquirer statements ([`generate`])
//! with the merchant's bank statement beside them, faults injected, and the answer key.
//!
//! For tests, benchmarks and demonstrations. The same seed and options always give the same
//! files. The bank (a China Merchants Bank account, `cmb-debit` layout) posts each payout of
//! the statement as one credit from 拉卡拉支付股份有限公司 on its due day (the first business
//! day on or after the settlement date), between the merchant's own rows (rent, electricity,
//! a fund redemption through Alipay, a transfer from the owner) that are not the acquirer's.
//!
//! Faults (with [`DepositSimulationOptions::faults`], one payout each): a withheld batch and
//! a deposit that never came (both [`DepositClass::DepositMissing`]); a credit ¥99 short
//! (a data fee taken from the payout) and a full credit followed by a ¥99 debit by the
//! acquirer (both [`DepositClass::DepositShort`]); a payout posted 1–2 business days late
//! ([`DepositClass::DepositedLate`]); two or three consecutive payouts posted as one credit,
//! after a holiday when the month has one ([`DepositClass::DepositMerged`]); a credit from
//! the acquirer that no payout explains ([`DepositClass::UnexplainedCredit`]).
//!
//! The answer key follows the documented matching rules: an injected fault that those
//! rules would read otherwise (a short credit within ¥500 of another unpaid payout, say) is
//! drawn again, so every fault in the key is unambiguous.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use super::bank_read::{BankRow, BankStatement};
use super::class::DepositClass;
use super::payouts::{expected_payouts, Payout};
use super::DepositOptions;
use crate::calendar::Calendar;
use crate::error::{Error, ErrorKind, Result};
use crate::money::Money;
use crate::reconcile::simulation::{generate, Rng, SimulationOptions};
use crate::reconcile::Statement;
use crate::settlement::SettlementMode;

/// The acquirer's name on the simulated bank statement.
///
/// # Example
/// ```
/// assert!(posfee::reconcile::deposits::simulation::ACQUIRER_NAME.starts_with("拉卡拉"));
/// ```
pub const ACQUIRER_NAME: &str = "拉卡拉支付股份有限公司";

/// The fee a short deposit lacks: ¥99 (an annual SIM data fee, 流量费).
///
/// # Example
/// ```
/// assert_eq!(posfee::reconcile::deposits::simulation::SHORT_FEE.to_string(), "99.00");
/// ```
pub const SHORT_FEE: Money = Money::from_fen(9_900);

/// What to generate.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::simulation::DepositSimulationOptions;
/// let options = DepositSimulationOptions::new(7).faults(false);
/// assert_eq!((options.statement.seed, options.faults), (7, false));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepositSimulationOptions {
    /// The statement's simulation (seed, trades, month, settlement mode).
    pub statement: SimulationOptions,
    /// Inject the deposit faults (default true).
    pub faults: bool,
}

impl DepositSimulationOptions {
    /// 1,500 trades; by the seed, October 2026 settled D1 (payouts dated in the National Day
    /// holiday), October 2026 settled T1, or February 2026 settled T1 (Spring Festival).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::simulation::DepositSimulationOptions;
    /// assert_eq!(DepositSimulationOptions::new(0).statement.settlement, posfee::SettlementMode::D(1));
    /// assert_eq!(DepositSimulationOptions::new(2).statement.start.to_string(), "2026-02-01");
    /// ```
    pub fn new(seed: u64) -> DepositSimulationOptions {
        let (month, settlement) = match seed % 3 {
            0 => (10, SettlementMode::D(1)),
            1 => (10, SettlementMode::T(1)),
            _ => (2, SettlementMode::T(1)),
        };
        let base = SimulationOptions::new(seed).trades(1_500).settlement(settlement);
        let statement = base.clone().month(2026, month).unwrap_or(base);
        DepositSimulationOptions { statement, faults: true }
    }

    /// Turns the deposit faults on or off.
    ///
    /// # Example
    /// ```
    /// assert!(!posfee::reconcile::deposits::simulation::DepositSimulationOptions::new(1).faults(false).faults);
    /// ```
    pub fn faults(mut self, faults: bool) -> DepositSimulationOptions {
        self.faults = faults;
        self
    }
}

/// The expected class of every payout and every acquirer's bank row.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
/// let sample = generate_deposits(&DepositSimulationOptions::new(4))?;
/// assert_eq!(sample.key.payouts.len(), posfee::reconcile::deposits::reconcile_deposits(&sample.statement, &sample.bank, &sample.options)?.payouts.len());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepositAnswerKey {
    /// The class of each payout, in the report's order (settlement date, merchant number).
    pub payouts: Vec<DepositClass>,
    /// (bank line, class) of each acquirer's row.
    pub bank: Vec<(u64, DepositClass)>,
}

impl DepositAnswerKey {
    /// The expected class of payout `index` ([`DepositClass::Deposited`] past the end).
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::deposits::{simulation::DepositAnswerKey, DepositClass};
    /// assert_eq!(DepositAnswerKey::default().payout_class(3), DepositClass::Deposited);
    /// ```
    pub fn payout_class(&self, index: usize) -> DepositClass {
        self.payouts.get(index).copied().unwrap_or(DepositClass::Deposited)
    }
}

/// A generated statement, the bank statement beside it, the options to check them, and the
/// answer key.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
/// let sample = generate_deposits(&DepositSimulationOptions::new(5))?;
/// assert!(!sample.bank.is_empty() && !sample.statement.is_empty());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DepositSimulation {
    /// The acquirer's statement.
    pub statement: Statement,
    /// The merchant's bank statement (lines as in [`bank_csv`]).
    pub bank: BankStatement,
    /// The options to check them with (the period of the bank statement set).
    pub options: DepositOptions,
    /// What the check must find.
    pub key: DepositAnswerKey,
}

/// A draw below `n` (0 for 0), as an index.
fn pick_below(rng: &mut Rng, n: usize) -> usize {
    rng.below(n as u64) as usize
}

/// A fault given to a payout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Withheld,
    NeverCame,
    ShortFee,
    ShortDeduction,
    Late(i64),
    /// Merged into the credit posted for the payout `index` (the last of its run).
    Merged(usize),
}

/// A bank row to write, with the class the check must give it (`None`: not the acquirer's).
struct Posting {
    row: BankRow,
    class: Option<DepositClass>,
}

/// Generates a sample.
///
/// # Errors
/// As [`generate`]; [`ErrorKind::InvalidRequest`] when the statement has too few payouts for
/// the faults (fewer than 12).
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::simulation::{generate_deposits, DepositSimulationOptions};
/// let a = generate_deposits(&DepositSimulationOptions::new(9))?;
/// let b = generate_deposits(&DepositSimulationOptions::new(9))?;
/// assert_eq!(a.bank, b.bank);
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn generate_deposits(options: &DepositSimulationOptions) -> Result<DepositSimulation> {
    let sample = generate(&options.statement)?;
    let statement = sample.statement;
    let calendar = Calendar::china();
    let deposit_options = DepositOptions::new();
    let payouts = expected_payouts(&statement, deposit_options.grouping())?;
    if payouts.len() < 12 {
        return Err(Error::new(
            ErrorKind::InvalidRequest,
            format!("the statement has {} payouts; the faults need at least 12", payouts.len()),
        ));
    }
    let due: Vec<NaiveDate> = payouts.iter().map(|p| calendar.add_business_days(p.settlement_date, 0)).collect::<Result<_>>()?;
    let window_end = |p: usize| calendar.add_business_days(due[p], deposit_options.delay_max_business_days);
    let mut rng = Rng(options.statement.seed ^ 0xDE90_5175);
    let mut faults: Vec<Option<Fault>> = vec![None; payouts.len()];
    let mut unexplained: Option<BankRow> = None;
    if options.faults {
        let mut placed = false;
        for _ in 0..64 {
            faults = vec![None; payouts.len()];
            let Some(extra) = place_faults(&payouts, &due, calendar, &mut rng, &mut faults)? else { continue };
            unexplained = Some(extra);
            if unambiguous(&payouts, &faults, unexplained.as_ref(), calendar, &deposit_options)? {
                placed = true;
                break;
            }
        }
        if !placed {
            return Err(Error::new(ErrorKind::InvalidRequest, "could not place unambiguous deposit faults in 64 draws"));
        }
    }

    // The acquirer's postings.
    let mut postings: Vec<Posting> = Vec::new();
    let mut payout_class = vec![DepositClass::Deposited; payouts.len()];
    let credit = |date: NaiveDate, amount: Money, memo: &str| {
        let mut row = BankRow::new(date, amount, ACQUIRER_NAME);
        row.summary = if amount.is_negative() { "代扣".to_string() } else { "代发".to_string() };
        row.memo = memo.to_string();
        row
    };
    for (p, payout) in payouts.iter().enumerate() {
        if payout.amount.is_zero() {
            payout_class[p] = DepositClass::NotChecked;
            continue;
        }
        match faults[p] {
            None => postings.push(Posting { row: credit(due[p], payout.amount, "结算款"), class: Some(DepositClass::Deposited) }),
            Some(Fault::Withheld | Fault::NeverCame) => payout_class[p] = DepositClass::DepositMissing,
            Some(Fault::ShortFee) => {
                payout_class[p] = DepositClass::DepositShort;
                postings
                    .push(Posting { row: credit(due[p], payout.amount - SHORT_FEE, "结算款"), class: Some(DepositClass::DepositShort) });
            }
            Some(Fault::ShortDeduction) => {
                payout_class[p] = DepositClass::DepositShort;
                postings.push(Posting { row: credit(due[p], payout.amount, "结算款"), class: Some(DepositClass::DepositShort) });
                postings.push(Posting { row: credit(due[p], -SHORT_FEE, "流量费"), class: Some(DepositClass::DepositShort) });
            }
            Some(Fault::Late(days)) => {
                payout_class[p] = DepositClass::DepositedLate;
                let posted = calendar.add_business_days(due[p], days)?;
                postings.push(Posting { row: credit(posted, payout.amount, "结算款"), class: Some(DepositClass::DepositedLate) });
            }
            Some(Fault::Merged(last)) => {
                payout_class[p] = DepositClass::DepositMerged;
                if p == last {
                    let total: Money =
                        (0..payouts.len()).filter(|&q| faults[q] == Some(Fault::Merged(last))).map(|q| payouts[q].amount).sum();
                    postings.push(Posting { row: credit(due[last], total, "结算款"), class: Some(DepositClass::DepositMerged) });
                }
            }
        }
    }
    if let Some(row) = unexplained {
        postings.push(Posting { row, class: Some(DepositClass::UnexplainedCredit) });
    }

    // The merchant's own rows, a few a week.
    let first = payouts.iter().map(|p| p.settlement_date).min().unwrap_or_default();
    let as_of = (0..payouts.len()).map(window_end).collect::<Result<Vec<_>>>()?.into_iter().max().unwrap_or(first);
    let as_of = calendar.add_business_days(as_of, 1)?;
    let mut day = first;
    while day <= as_of {
        let own = match (day.ordinal() + pick_below(&mut rng, 3) as u32) % 7 {
            0 => Some(("国网上海市电力公司", "电费", -Money::from_fen(20_000 + pick_below(&mut rng, 30_000) as i64))),
            3 => Some(("王小明", "房租", -Money::from_yuan(8_000))),
            5 => Some((
                "支付宝（中国）网络技术有限公司",
                "蚂蚁基金赎回到银行",
                Money::from_fen(10_000 + pick_below(&mut rng, 90_000) as i64),
            )),
            6 => Some(("张三", "转账", Money::from_yuan(2_000))),
            _ => None,
        };
        if let Some((who, memo, amount)) = own {
            let mut row = BankRow::new(day, amount, who);
            row.summary = if amount.is_negative() { "转账汇款".to_string() } else { "转账".to_string() };
            row.memo = memo.to_string();
            postings.push(Posting { row, class: None });
        }
        day = day.succ_opt().unwrap_or(day);
        if day == NaiveDate::MAX {
            break;
        }
    }

    // File order: by date, stable (a deduction stays right after its credit).
    postings.sort_by_key(|p| p.row.date);
    let mut bank = BankStatement::new("simulated-bank.csv");
    let mut balance = Money::from_yuan(50_000);
    let mut key = DepositAnswerKey { payouts: payout_class, bank: Vec::new() };
    for (k, mut posting) in postings.into_iter().enumerate() {
        posting.row.line = k as u64 + 2;
        balance = balance + posting.row.amount;
        posting.row.balance = Some(balance);
        if let Some(class) = posting.class {
            key.bank.push((posting.row.line, class));
        }
        bank.push(posting.row)?;
    }
    let mut options = deposit_options;
    options.covered_from = Some(first);
    options.as_of = Some(as_of);
    Ok(DepositSimulation { statement, bank, options, key })
}

/// Places one of each fault on distinct payouts; returns the unexplained credit, or `None`
/// when the month has no room for a fault.
fn place_faults(
    payouts: &[Payout],
    due: &[NaiveDate],
    calendar: &Calendar,
    rng: &mut Rng,
    faults: &mut [Option<Fault>],
) -> Result<Option<BankRow>> {
    let n = payouts.len();
    let big = |p: usize| payouts[p].amount > Money::from_yuan(300);
    // Merged: a run of 2–3 consecutive payouts of one merchant, posted on the last one's due
    // day, which every payout's window must hold; a run sharing one due day (a holiday
    // catch-up) is preferred.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for start in 0..n {
        for len in [2, 3] {
            let members: Vec<usize> = (start..n).filter(|&q| payouts[q].merchant_no == payouts[start].merchant_no).take(len).collect();
            if members.len() < len || members.iter().any(|&q| !big(q)) {
                continue;
            }
            let last = *members.last().unwrap_or(&start);
            let fits = members.iter().all(|&q| calendar.business_days_between(due[q], due[last]).is_ok_and(|d| d <= 2));
            if fits {
                runs.push((start, last));
            }
        }
    }
    let holiday: Vec<(usize, usize)> = runs.iter().copied().filter(|&(a, b)| due[a] == due[b]).collect();
    let pool = if holiday.is_empty() { &runs } else { &holiday };
    if pool.is_empty() {
        return Ok(None);
    }
    let (start, last) = pool[pick_below(rng, pool.len())];
    let merchant = payouts[start].merchant_no.clone();
    for q in (start..=last).filter(|&q| payouts[q].merchant_no == merchant) {
        faults[q] = Some(Fault::Merged(last));
    }
    let mut pick = |faults: &mut [Option<Fault>], want: &dyn Fn(usize) -> bool| -> Option<usize> {
        let open: Vec<usize> = (0..n).filter(|&p| faults[p].is_none() && want(p)).collect();
        (!open.is_empty()).then(|| open[pick_below(rng, open.len())])
    };
    // A withheld batch: a merchant number's own batch when the statement has several.
    let merchants: BTreeSet<&str> = payouts.iter().map(|p| p.merchant_no.as_str()).collect();
    let minor = |p: usize| merchants.len() > 1 && payouts[p].merchant_no != payouts[0].merchant_no;
    let withheld = pick(faults, &|p| minor(p) && !payouts[p].amount.is_zero()).or_else(|| pick(faults, &|p| big(p)));
    let Some(withheld) = withheld else { return Ok(None) };
    faults[withheld] = Some(Fault::Withheld);
    for fault in [Fault::NeverCame, Fault::ShortFee, Fault::ShortDeduction, Fault::Late(1), Fault::Late(2)] {
        let Some(p) = pick(faults, &|p| big(p)) else { return Ok(None) };
        faults[p] = Some(fault);
    }
    // The unexplained credit: ¥1,000–¥9,999.99 on a business day of the period.
    let days: Vec<NaiveDate> = due.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
    let date = days[pick_below(rng, days.len())];
    let amount = Money::from_fen(100_000 + pick_below(rng, 899_999) as i64);
    let mut row = BankRow::new(date, amount, ACQUIRER_NAME);
    row.summary = "代发".to_string();
    row.memo = "手续费返还".to_string();
    Ok(Some(row))
}

/// Whether every fault reads as injected under the documented rules: no credit left unpaid
/// by the exact and merge passes lies within the short difference below another unpaid
/// payout whose window holds it, and no leftover credit equals a leftover payout's amount.
fn unambiguous(
    payouts: &[Payout],
    faults: &[Option<Fault>],
    unexplained: Option<&BankRow>,
    calendar: &Calendar,
    options: &DepositOptions,
) -> Result<bool> {
    let due = |p: usize| calendar.add_business_days(payouts[p].settlement_date, 0);
    // Payouts the exact pass leaves (missing, withheld, short by a fee) and the credits left.
    let unpaid: Vec<usize> =
        (0..payouts.len()).filter(|&p| matches!(faults[p], Some(Fault::Withheld | Fault::NeverCame | Fault::ShortFee))).collect();
    let mut credits: Vec<(Option<usize>, NaiveDate, Money)> = Vec::new();
    for &p in &unpaid {
        if faults[p] == Some(Fault::ShortFee) {
            credits.push((Some(p), due(p)?, payouts[p].amount - SHORT_FEE));
        }
    }
    if let Some(row) = unexplained {
        credits.push((None, row.date, row.amount));
    }
    for &(owner, date, amount) in &credits {
        for &q in &unpaid {
            if Some(q) == owner {
                continue;
            }
            let first = due(q)?;
            let last = calendar.add_business_days(first, options.delay_max_business_days)?;
            if date < payouts[q].settlement_date || date > last {
                continue;
            }
            let difference = payouts[q].amount - amount;
            if difference >= Money::ZERO && difference <= options.short_difference_max {
                return Ok(false);
            }
        }
        // A leftover credit equal to a paid payout's amount could be taken by it instead.
        if payouts.iter().any(|p| p.amount == amount) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Writes a bank statement in the `cmb-debit` layout (what
/// [`read_bank_statement`](super::read_bank_statement) reads back with
/// `BankProfile::builtin("cmb-debit")`); row `k` is on line `k + 2`.
///
/// # Example
/// ```
/// use posfee::reconcile::deposits::{read_bank_statement, BankProfile};
/// use posfee::reconcile::deposits::simulation::{bank_csv, generate_deposits, DepositSimulationOptions};
/// let sample = generate_deposits(&DepositSimulationOptions::new(6))?;
/// let text = bank_csv(&sample.bank);
/// let back = read_bank_statement(text.as_bytes(), "simulated-bank.csv", &BankProfile::builtin("cmb-debit")?)?;
/// assert_eq!(back.rows(), sample.bank.rows());
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn bank_csv(bank: &BankStatement) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["记账日期", "货币", "交易金额", "联机余额", "交易摘要", "对手信息", "客户摘要"]);
    for row in bank.rows() {
        let _ = writer.write_record([
            row.date.to_string(),
            "CNY".to_string(),
            row.amount.to_string(),
            row.balance.map(|b| b.to_string()).unwrap_or_default(),
            row.summary.clone(),
            row.counterparty.clone(),
            row.memo.clone(),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

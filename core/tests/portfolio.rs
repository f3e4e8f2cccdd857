//! Portfolio reconciliation: many merchants, each on its own contract, in one call.
//!
//! The portfolio is assembled from seeded single-merchant samples, each given its own
//! merchant number and terminals: every row must land in the class of its own sample's
//! answer key, checked against its own merchant's contract, and each merchant's totals
//! must equal its single-merchant reconciliation.

use posfee::reconcile::simulation::{generate, SimulationOptions, JUMPED_MERCHANT_NO, MERCHANT_NO};
use posfee::reconcile::*;
use posfee::{parse_china_time, parse_date, Channel, Money, Schedule};

struct Member {
    merchant_no: String,
    preset: &'static str,
    class: Option<&'static str>,
    agent: &'static str,
}

fn members() -> Vec<Member> {
    vec![
        Member { merchant_no: "102310058120001".into(), preset: "sft-traditional", class: None, agent: "east" },
        Member { merchant_no: "102310054110002".into(), preset: "standard", class: Some("discounted"), agent: "east" },
        Member { merchant_no: "102310059990003".into(), preset: "sft-smart", class: None, agent: "west" },
    ]
}

/// The samples, the merged tables with each row's (member, row in its sample), and the registry.
#[allow(clippy::type_complexity)]
fn portfolio(
    seed: u64,
    trades: usize,
) -> (Vec<posfee::reconcile::simulation::Simulation>, Ledger, Statement, Vec<(usize, usize)>, Vec<(usize, usize)>, Registry) {
    let members = members();
    let mut samples = Vec::new();
    let (mut ledger, mut statement) = (Ledger::new("portfolio-ledger"), Statement::new("portfolio-statement"));
    let (mut ledger_of, mut statement_of) = (Vec::new(), Vec::new());
    let mut csv = String::from("merchant_no,name,schedule,merchant_class,agent,terminals\n");
    for (m, member) in members.iter().enumerate() {
        let mut options = SimulationOptions::new(seed * 10 + m as u64).trades(trades).preset(member.preset);
        if let Some(class) = member.class {
            options = options.merchant_class(class);
        }
        let sample = generate(&options).unwrap();
        let terminal = |t: &str| format!("M{m}-{t}");
        let number = |n: &str| if n == MERCHANT_NO { member.merchant_no.clone() } else { n.to_string() };
        for i in 0..sample.ledger.len() {
            let mut record = sample.ledger.record(i);
            record.terminal = terminal(&record.terminal);
            record.merchant_no = number(&record.merchant_no);
            record.line = ledger.len() as u64 + 2;
            ledger.push(record).unwrap();
            ledger_of.push((m, i));
        }
        for j in 0..sample.statement.len() {
            let mut record = sample.statement.record(j);
            record.terminal = terminal(&record.terminal);
            record.merchant_no = number(&record.merchant_no);
            record.line = statement.len() as u64 + 2;
            statement.push(record).unwrap();
            statement_of.push((m, j));
        }
        let terminals: Vec<String> = sample.options.profile.terminals.iter().map(|t| terminal(t)).collect();
        csv.push_str(&format!(
            "{},{},{},{},{},{}\n",
            member.merchant_no,
            sample.options.profile.name,
            member.preset,
            member.class.unwrap_or(""),
            member.agent,
            terminals.join(";")
        ));
        samples.push(sample);
    }
    let registry = Registry::from_csv(&csv, "merchants.csv", Schedule::preset).unwrap();
    (samples, ledger, statement, ledger_of, statement_of, registry)
}

#[test]
fn every_row_is_checked_against_its_own_merchants_contract() {
    for seed in 0..8 {
        let (samples, ledger, statement, ledger_of, statement_of, registry) = portfolio(seed, 1_500);
        let options = ReconcileOptions::portfolio(registry).unwrap();
        let report = reconcile(&ledger, &statement, &options).unwrap();
        let members = members();
        let mut wrong = Vec::new();
        for (k, row) in report.rows().enumerate() {
            let Some(index) = row.index else { continue };
            let (m, expected) = match row.side {
                Side::Ledger => (ledger_of[index].0, samples[ledger_of[index].0].key.ledger_class(ledger_of[index].1)),
                Side::Statement => (statement_of[index].0, samples[statement_of[index].0].key.statement_class(statement_of[index].1)),
            };
            if row.class != expected {
                wrong.push(format!("row {k}: expected {}, got {} ({})", expected.name(), row.class.name(), row.reason));
            }
            assert_eq!(row.merchant_no, members[m].merchant_no, "row {k}");
            assert_eq!(row.agent, members[m].agent, "row {k}");
        }
        assert!(wrong.is_empty(), "seed {seed}: {} rows misclassified:\n{}", wrong.len(), wrong.join("\n"));

        // Each merchant's totals equal its own single-merchant reconciliation.
        for (m, member) in members.iter().enumerate() {
            let single = reconcile(&samples[m].ledger, &samples[m].statement, &samples[m].options).unwrap();
            let totals = report.summary.merchants.iter().find(|t| t.merchant_no == member.merchant_no).unwrap();
            assert_eq!(
                (totals.overcharge, totals.undercharge),
                (single.summary.overcharge, single.summary.undercharge),
                "{}",
                member.merchant_no
            );
            let never = single.summary.class(Class::NeverSettled);
            assert_eq!((totals.never_settled_trades, totals.never_settled_amount), (never.ledger_rows, never.ledger_amount));
            assert_eq!(totals.ledger_rows as usize, samples[m].ledger.len());
            assert_eq!(totals.statement_rows as usize, samples[m].statement.len());
            assert_eq!(totals.agent, member.agent);
        }
        let ranked = report.summary.merchants_ranked(MerchantRanking::Overcharge);
        assert!(ranked.windows(2).all(|w| w[0].overcharge >= w[1].overcharge));
        // 跳码 to a number outside the portfolio says so.
        let jumped = report.rows_in(Class::MerchantDiffers).find(|r| r.reason.contains(JUMPED_MERCHANT_NO)).expect("a 跳码 row");
        assert!(jumped.reason.contains("a merchant number outside the portfolio"), "{}", jumped.reason);
    }
}

#[allow(clippy::too_many_arguments)]
fn trade(ledger: &mut Ledger, statement: &mut Statement, rrn: &str, terminal: &str, merchant_no: &str, at: &str, yuan: i64, fee_fen: i64) {
    let time = parse_china_time(at).unwrap();
    let mut record = LedgerRecord::new(format!("A{rrn}"), time, Money::from_yuan(yuan), Channel::Debit);
    record.rrn = rrn.into();
    record.terminal = terminal.into();
    ledger.push(record).unwrap();
    let due = posfee::Calendar::china().add_business_days(time.date_naive(), 1).unwrap();
    let mut row = StatementRecord::new(due, time, Money::from_yuan(yuan), Money::from_fen(fee_fen), Channel::Debit);
    row.rrn = rrn.into();
    row.terminal = terminal.into();
    row.merchant_no = merchant_no.into();
    statement.push(row).unwrap();
}

#[test]
fn contract_changes_terminal_moves_cross_merchant_jumps_and_unknown_terminals() {
    // Debit trades. A: standard (0.50%) until 03-15, then sft-traditional (0.55%) from 03-15.
    // Terminal T2 moves from A to B (standard) on 03-20.
    let registry = Registry::from_csv(
        "merchant_no,name,schedule,terminals,agent,from,until\n\
         102310058120001,A,standard,T1;T2,east,,2026-03-15\n\
         102310058120001,A,sft-traditional,T1;T2,east,2026-03-15,2026-03-20\n\
         102310058120001,A,sft-traditional,T1,east,2026-03-20,\n\
         102310054110002,B,standard,T2;T3,west,2026-03-20,\n",
        "merchants.csv",
        Schedule::preset,
    )
    .unwrap();
    let later = Schedule::preset("sft-traditional").unwrap();
    let smart_fee = |yuan: i64| {
        later
            .quote(&posfee::QuoteRequest::new(Money::from_yuan(yuan), Channel::Debit, parse_china_time("2026-03-16 10:00").unwrap()))
            .unwrap()
            .fee
    };
    let (mut ledger, mut statement) = (Ledger::new("l"), Statement::new("s"));
    let a = "102310058120001";
    let b = "102310054110002";
    trade(&mut ledger, &mut statement, "600000000001", "T1", a, "2026-03-10 10:00", 1000, 500); // A, standard
    trade(&mut ledger, &mut statement, "600000000002", "T1", a, "2026-03-16 10:00", 1000, smart_fee(1000).fen().unwrap()); // A, new contract
    trade(&mut ledger, &mut statement, "600000000003", "T2", a, "2026-03-16 11:00", 500, smart_fee(500).fen().unwrap()); // T2 still A's
    trade(&mut ledger, &mut statement, "600000000004", "T2", b, "2026-03-23 10:00", 1000, 500); // T2 now B's, standard
    trade(&mut ledger, &mut statement, "600000000005", "T3", a, "2026-03-23 11:00", 1000, 500); // B's terminal booked under A: 跳码
    trade(&mut ledger, &mut statement, "600000000006", "T9", a, "2026-03-23 12:00", 1000, 600); // nobody's terminal
    let mut orphan = StatementRecord::new(
        parse_date("2026-03-24").unwrap(),
        parse_china_time("2026-03-23 13:00").unwrap(),
        Money::from_yuan(10),
        Money::from_fen(6),
        Channel::Credit,
    );
    orphan.terminal = "T8".into();
    orphan.rrn = "600000000007".into();
    statement.push(orphan).unwrap();

    let report = reconcile(&ledger, &statement, &ReconcileOptions::portfolio(registry).unwrap()).unwrap();
    let statement_rows: Vec<RowResult<'_>> = (0..statement.len()).map(|j| report.row(ledger.len() + j).unwrap()).collect();
    let classes: Vec<Class> = statement_rows.iter().map(|r| r.class).collect();
    assert_eq!(
        classes,
        [Class::Ok, Class::Ok, Class::Ok, Class::Ok, Class::MerchantDiffers, Class::UnknownTerminal, Class::UnknownTerminal],
        "{:#?}",
        statement_rows.iter().map(|r| r.reason).collect::<Vec<_>>()
    );
    assert_eq!(statement_rows.iter().map(|r| r.merchant_no).collect::<Vec<_>>(), [a, a, a, b, b, "", ""]);
    assert_eq!(statement_rows.iter().map(|r| r.agent).collect::<Vec<_>>(), ["east", "east", "east", "west", "west", "", ""]);
    assert!(
        statement_rows[4].reason.contains(&format!("booked under merchant number {a}, another merchant of the portfolio")),
        "{}",
        statement_rows[4].reason
    );
    assert!(statement_rows[5].reason.contains("terminal \"T9\""), "{}", statement_rows[5].reason);
    assert_eq!(report.summary.class(Class::UnknownTerminal).statement_rows, 2);
    // The 跳码 finding names B, the merchant whose terminal it is.
    let finding = report.summary.findings.iter().find(|f| f.kind == FindingKind::MerchantNumber).unwrap();
    assert_eq!((finding.merchant.as_str(), finding.agent.as_str()), (b, "west"));
    assert!(
        finding.en.starts_with(&format!("{b} B: from 2026-03-23 trades on terminal T3 were booked under merchant number {a}")),
        "{}",
        finding.en
    );
    // A row priced by the old contract after the change is wrong.
    let (mut ledger, mut statement) = (Ledger::new("l"), Statement::new("s"));
    trade(&mut ledger, &mut statement, "600000000011", "T1", a, "2026-03-16 10:00", 1000, 500);
    let options = ReconcileOptions::portfolio(Registry::from_csv(
        "merchant_no,schedule,terminals,from,until\n102310058120001,standard,T1,,2026-03-15\n102310058120001,sft-traditional,T1,2026-03-15,\n",
        "m.csv",
        Schedule::preset,
    )
    .unwrap())
    .unwrap();
    let report = reconcile(&ledger, &statement, &options).unwrap();
    let expected = smart_fee(1000);
    assert_eq!(expected, Money::from_fen(550));
    assert_eq!(report.row(1).unwrap().class, Class::FeeBelow);
    assert_eq!(report.row(1).unwrap().expected_fee, Some(expected));
}

#[test]
fn the_simulated_portfolio_lands_every_row_in_its_answer_key_and_its_margins_balance() {
    use posfee::reconcile::simulation::{generate_portfolio, PortfolioOptions};
    for seed in 0..6 {
        let portfolio = generate_portfolio(&PortfolioOptions::new(seed).merchants(12).trades_per_merchant(400)).unwrap();
        let report =
            reconcile(&portfolio.ledger, &portfolio.statement, &ReconcileOptions::portfolio(portfolio.registry.clone()).unwrap()).unwrap();
        let (ledger_key, statement_key) = portfolio.key.maps();
        let mut wrong = Vec::new();
        for (k, row) in report.rows().enumerate() {
            let Some(index) = row.index else { continue };
            let expected = match row.side {
                Side::Ledger => ledger_key.get(&index).copied().unwrap_or(Class::Ok),
                Side::Statement => statement_key.get(&index).copied().unwrap_or(Class::Ok),
            };
            if row.class != expected {
                wrong.push(format!("row {k}: expected {}, got {} ({})", expected.name(), row.class.name(), row.reason));
            }
        }
        assert!(wrong.is_empty(), "seed {seed}: {} rows misclassified:\n{}", wrong.len(), wrong.join("\n"));
        assert_eq!(report.rows_in(Class::Unreadable).count(), portfolio.key.unreadable.0 + portfolio.key.unreadable.1);
        assert_eq!(report.summary.merchants.len(), 12);
        let inside = report.rows_in(Class::MerchantDiffers).filter(|r| r.reason.contains("another merchant of the portfolio")).count();
        assert!(inside >= 2 * 11, "seed {seed}: {inside} cross-merchant rows");
        let margins =
            posfee::reconcile::margins(&portfolio.ledger, &portfolio.registry, &portfolio.agents, posfee::Calendar::china()).unwrap();
        assert_eq!(margins.merchant_fee, margins.top_cost + margins.margin);
        assert!(margins.skipped.is_empty(), "{:?}", &margins.skipped[..margins.skipped.len().min(3)]);
        assert_eq!(margins.by_agent.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(), ["city-east", "city-west", "province"]);
    }
}

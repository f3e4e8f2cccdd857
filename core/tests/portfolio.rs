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
        finding.en.starts_with(&format!("{b} B: from 2026-03-23 trades on terminal T3 were booked under merchant number {a}"))
            && finding.en.ends_with("(跳码): 1 trade, ¥1000.00"),
        "{}",
        finding.en
    );
    // A refund on 03-23 of A's purchase on T2 (moved to B on 03-20) is A's: checked against
    // the contract of the purchase, booked under A's number without 跳码.
    let mut refund =
        LedgerRecord::new("R600000000003", parse_china_time("2026-03-23 15:00").unwrap(), Money::from_yuan(100), Channel::Debit);
    refund.kind = posfee::TradeKind::Refund;
    refund.rrn = "600000000013".into();
    refund.original_rrn = "600000000003".into();
    refund.terminal = "T2".into();
    let mut ledger_with_refund = ledger.clone();
    ledger_with_refund.push(refund.clone()).unwrap();
    let mut statement_with_refund = statement.clone();
    let due = posfee::Calendar::china().add_business_days(refund.time.date_naive(), 1).unwrap();
    let mut row = StatementRecord::new(due, refund.time, Money::from_yuan(100), Money::ZERO, Channel::Debit);
    row.kind = posfee::TradeKind::Refund;
    row.net = -Money::from_yuan(100);
    row.rrn = refund.rrn.clone();
    row.terminal = "T2".into();
    row.merchant_no = a.into();
    statement_with_refund.push(row).unwrap();
    let registry = ReconcileOptions::portfolio(
        Registry::from_csv(
            "merchant_no,name,schedule,terminals,agent,from,until
             102310058120001,A,sft-traditional,T1;T2,east,,2026-03-20
             102310058120001,A,sft-traditional,T1,east,2026-03-20,
             102310054110002,B,standard,T2;T3,west,2026-03-20,
",
            "merchants.csv",
            Schedule::preset,
        )
        .unwrap(),
    )
    .unwrap();
    let report = reconcile(&ledger_with_refund, &statement_with_refund, &registry).unwrap();
    let refund_row = report.row(ledger_with_refund.len() + statement_with_refund.len() - 1).unwrap();
    assert_eq!((refund_row.class, refund_row.merchant_no), (Class::Ok, a), "{}", refund_row.reason);
    assert_eq!(report.row(ledger_with_refund.len() - 1).unwrap().merchant_no, a);

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

/// The contract in force for a terminal on a day, found by walking the registry's contracts
/// (not by its index).
fn contract_by_walking<'a>(registry: &'a Registry, terminal: &str, day: chrono::NaiveDate) -> Option<&'a MerchantContract> {
    registry.contracts().iter().find(|c| {
        c.profile.terminals.iter().any(|t| t == terminal) && c.from.map_or(true, |f| f <= day) && c.until.map_or(true, |u| day < u)
    })
}

#[test]
fn the_simulated_portfolio_lands_every_row_in_its_answer_key_and_its_margins_balance() {
    use posfee::reconcile::simulation::{generate_portfolio, ContractChange, PortfolioFault, PortfolioOptions};
    let mut found = std::collections::HashMap::new();
    for seed in 0..24 {
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

        // The changes of the month: three schedule changes, three class changes, three moved terminals.
        let count = |f: fn(&ContractChange) -> bool| portfolio.changes.iter().filter(|c| f(c)).count();
        assert_eq!(count(|c| matches!(c, ContractChange::Schedule { .. })), 3);
        assert_eq!(count(|c| matches!(c, ContractChange::MerchantClass { .. })), 3);
        assert_eq!(count(|c| matches!(c, ContractChange::TerminalMoved { .. })), 3);

        // Every injected portfolio fault is found, on both sides, with what makes it one.
        for fault in &portfolio.faults {
            let row = report.row(portfolio.ledger.len() + fault.statement_row).unwrap();
            assert_eq!(row.class, fault.class, "seed {seed} {:?}: {}", fault.kind, row.reason);
            if let Some(i) = fault.ledger_row {
                assert_eq!(report.row(i).unwrap().class, fault.class, "seed {seed} {:?}", fault.kind);
            }
            match fault.kind {
                // Charged the old contract's fee, expected the new one's (checked below).
                PortfolioFault::OldContract => assert!(row.fee.is_some() && row.fee != row.expected_fee, "seed {seed}: {}", row.reason),
                PortfolioFault::MovedTerminal | PortfolioFault::CrossMerchant => {
                    assert!(row.reason.contains("another merchant of the portfolio"), "seed {seed} {:?}: {}", fault.kind, row.reason)
                }
                PortfolioFault::UnknownTerminal => {
                    assert!(row.reason.contains("registered to no merchant of the portfolio"), "{}", row.reason)
                }
            }
            *found.entry(fault.kind).or_insert(0) += 1;
        }

        // Each statement row was checked against the contract in force at its trade time:
        // the expected fee is its contract's quote, and its merchant is that contract's.
        // A refund is its purchase's: the contract in force at the purchase's time.
        let purchase_day: std::collections::HashMap<(String, String), chrono::NaiveDate> = (0..portfolio.ledger.len())
            .map(|i| portfolio.ledger.record(i))
            .filter(|r| r.kind == posfee::TradeKind::Purchase)
            .map(|r| ((r.rrn, r.terminal), r.time.date_naive()))
            .collect();
        for j in 0..portfolio.statement.len() {
            let record = portfolio.statement.record(j);
            let row = report.row(portfolio.ledger.len() + j).unwrap();
            let mut day = record.time.date_naive();
            if let Some(partner) = row.partner.map(|i| portfolio.ledger.record(i)).filter(|r| r.kind != posfee::TradeKind::Purchase) {
                day = purchase_day.get(&(partner.original_rrn.clone(), partner.terminal.clone())).copied().unwrap_or(day);
            }
            let Some(contract) = contract_by_walking(&portfolio.registry, &record.terminal, day) else {
                assert_eq!(row.class, Class::UnknownTerminal, "seed {seed} row {j}");
                continue;
            };
            assert_eq!(row.merchant_no, contract.profile.merchant_no.as_str(), "seed {seed} row {j}");
            let Some(expected_fee) = row.expected_fee else { continue };
            if record.kind != posfee::TradeKind::Purchase || row.class == Class::AmountDiffers {
                continue;
            }
            let partner = portfolio.ledger.record(row.partner.unwrap());
            let mut request =
                posfee::QuoteRequest::new(partner.amount, partner.channel, partner.time).settlement(contract.profile.settlement);
            request.merchant_class = contract.profile.merchant_class.clone();
            let fee = contract.schedule.quote_with(&request, posfee::Calendar::china()).unwrap().fee;
            assert_eq!(expected_fee, fee, "seed {seed} row {j}: {}", row.reason);
        }

        let margins =
            posfee::reconcile::margins(&portfolio.ledger, &portfolio.registry, &portfolio.agents, posfee::Calendar::china()).unwrap();
        assert_eq!(margins.merchant_fee, margins.top_cost + margins.margin);
        assert!(margins.skipped.is_empty(), "{:?}", &margins.skipped[..margins.skipped.len().min(3)]);
        assert_eq!(margins.by_agent.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(), ["city-east", "city-west", "province"]);
        // Each agent's margin, computed here trade by trade from the cost files: the city
        // agent earns the merchant's fee minus its cost, the province the city's cost minus its own.
        let cost = |name: &str| {
            let (_, text) = portfolio.cost_schedules.iter().find(|(file, _)| file == &format!("costs/{name}.toml")).unwrap();
            Schedule::from_toml(text).unwrap()
        };
        let (province, east, west) = (cost("province"), cost("city-east"), cost("city-west"));
        let mut expected: std::collections::BTreeMap<&str, (Money, u64)> = Default::default();
        for i in 0..portfolio.ledger.len() {
            let trade = portfolio.ledger.record(i);
            if trade.kind != posfee::TradeKind::Purchase || !matches!(trade.response_code.as_str(), "00" | "") {
                continue;
            }
            let contract = contract_by_walking(&portfolio.registry, &trade.terminal, trade.time.date_naive()).unwrap();
            let mut request = posfee::QuoteRequest::new(trade.amount, trade.channel, trade.time)
                .settlement(contract.profile.settlement)
                .calendar_policy(posfee::CalendarPolicy::WeekendsOnly);
            request.merchant_class = contract.profile.merchant_class.clone();
            let fee = |schedule: &Schedule| schedule.quote_with(&request, posfee::Calendar::china()).unwrap().fee;
            let (city, city_cost) = if contract.agent == "city-east" { ("city-east", fee(&east)) } else { ("city-west", fee(&west)) };
            let city_margin = fee(&contract.schedule) - city_cost;
            for (agent, margin) in [(city, city_margin), ("province", city_cost - fee(&province))] {
                let entry = expected.entry(agent).or_insert((Money::ZERO, 0));
                entry.0 = entry.0 + margin;
                entry.1 += u64::from(margin < Money::ZERO);
            }
        }
        for totals in &margins.by_agent {
            assert_eq!((totals.margin, totals.negative_trades), expected[totals.key.as_str()], "seed {seed} {}", totals.key);
            // Every level sells above its cost: the sample's agents all earn.
            assert!(totals.margin > Money::ZERO, "seed {seed} {}", totals.key);
        }
        // The one deliberate negative margin: city-west's ¥25 debit cost cap over its merchants' ¥20.
        assert!(!margins.findings.is_empty(), "seed {seed}");
        for (zh, en) in &margins.findings {
            assert!(en.starts_with("agent city-west earns a negative margin") && en.contains("'s debit trades"), "{en}");
            assert!(zh.contains("借记卡"), "{zh}");
        }
    }
    // Over the seeds every kind of portfolio fault was injected many times.
    for kind in [PortfolioFault::OldContract, PortfolioFault::MovedTerminal, PortfolioFault::CrossMerchant, PortfolioFault::UnknownTerminal]
    {
        assert!(found.get(&kind).copied().unwrap_or(0) >= 24, "{kind:?}: {found:?}");
    }
}

#[test]
fn a_portfolio_without_contract_changes_has_one_contract_per_merchant() {
    use posfee::reconcile::simulation::{generate_portfolio, PortfolioFault, PortfolioOptions};
    let portfolio = generate_portfolio(&PortfolioOptions::new(5).merchants(8).trades_per_merchant(200).contract_changes(false)).unwrap();
    assert_eq!(portfolio.registry.contracts().len(), 8);
    assert!(portfolio.changes.is_empty());
    assert!(portfolio.faults.iter().all(|f| !matches!(f.kind, PortfolioFault::OldContract | PortfolioFault::MovedTerminal)));
}

#[test]
fn each_merchant_of_a_portfolio_is_checked_against_its_own_limits() {
    let folder = std::env::temp_dir().join(format!("posfee-portfolio-limits-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("shop-c.toml"), "business_hours = \"08:00-22:00\"\n[[limits]]\nchannels = [\"debit\"]\nper_day_count = 2\n")
        .unwrap();
    // A: personal micro-merchant limits on both its contracts; B: none; C: its own file.
    std::fs::write(
        folder.join("merchants.csv"),
        "merchant_no,name,schedule,terminals,limits,from,until\n\
         102310058120001,A,standard,T1,personal-micro-merchant,,2026-03-15\n\
         102310058120001,A,sft-traditional,T1,personal-micro-merchant,2026-03-15,\n\
         102310054110002,B,standard,T2,,,\n\
         102310059990003,C,standard,T3,shop-c.toml,,\n",
    )
    .unwrap();
    let registry = Registry::read_csv(folder.join("merchants.csv")).unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    let mut ledger = Ledger::new("ledger.csv");
    let mut push = |id: &str, terminal: &str, at: &str, yuan: i64, code: &str| {
        let mut record = LedgerRecord::new(id, parse_china_time(at).unwrap(), Money::from_yuan(yuan), Channel::Debit);
        record.rrn = format!("6{:011}", ledger.len());
        record.terminal = terminal.into();
        record.response_code = code.into();
        ledger.push(record).unwrap();
        ledger.len() - 1
    };
    for k in 0..4 {
        push(&format!("A{k}"), "T1", &format!("2026-03-16 1{k}:00"), 48_000, "00");
    }
    let a_day = push("A-day", "T1", "2026-03-16 15:00", 10_000, "61");
    let a_one = push("A-one", "T1", "2026-03-16 16:00", 60_000, "61");
    let b_one = push("B-one", "T2", "2026-03-16 16:00", 60_000, "61");
    push("C1", "T3", "2026-03-16 10:00", 100, "00");
    push("C2", "T3", "2026-03-16 11:00", 100, "00");
    let c_count = push("C-count", "T3", "2026-03-16 12:00", 100, "65");
    let c_late = push("C-late", "T3", "2026-03-16 23:30", 100, "05");

    let statement = Statement::new("statement.csv");
    let report = reconcile(&ledger, &statement, &ReconcileOptions::portfolio(registry.clone()).unwrap()).unwrap();
    let reason = |i: usize| report.row(i).unwrap().reason.to_string();
    assert!(
        reason(a_day).contains("the day's total would have reached ¥202,000.00, above the ¥200,000.00 per-day limit"),
        "{}",
        reason(a_day)
    );
    assert!(reason(a_one).contains("¥60,000.00 is above the ¥50,000.00 per-transaction limit"), "{}", reason(a_one));
    // B registered no limits: its decline is the card's or the acquirer's, not explained by a limit.
    assert!(!reason(b_one).contains("per-transaction limit") && !reason(b_one).contains("registered limit"), "{}", reason(b_one));
    assert!(
        reason(c_count).contains("this would have been trade 3 of the day (debit), above the per-day limit of 2 trades"),
        "{}",
        reason(c_count)
    );
    assert!(reason(c_late).contains("outside the registered business hours 08:00–22:00"), "{}", reason(c_late));
    // Near a limit: A's ¥192,000 day, named by merchant; nobody else's.
    let near: Vec<(&str, &str, posfee::LimitKind)> =
        report.summary.near_limits.iter().map(|n| (n.merchant_no.as_str(), n.period.as_str(), n.kind)).collect();
    assert_eq!(
        near,
        [("102310058120001", "2026-03-16", posfee::LimitKind::PerDay), ("102310059990003", "2026-03-16", posfee::LimitKind::PerDayCount)]
    );
    assert!(report.summary.table().contains("near a limit: 102310058120001 2026-03-16"), "{}", report.summary.table());

    // The portable registry keeps every contract's limits.
    let copy = Registry::from_portable(&registry.to_portable()).unwrap();
    assert_eq!(copy.contracts()[3].profile.limits, registry.contracts()[3].profile.limits);
    let again = reconcile(&ledger, &statement, &ReconcileOptions::portfolio(copy).unwrap()).unwrap();
    assert_eq!(again.to_json(), report.to_json());
}

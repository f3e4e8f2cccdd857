//! Tests of the reconcile module: the seeded simulation, one test per class, readers.

use super::simulation::{generate, SimulationOptions};
use super::*;
use crate::settlement::{parse_china_time, parse_date};

/// Reconciles a simulated sample and compares every row with the answer key.
fn check_seed(seed: u64, trades: usize) {
    let sample = generate(&SimulationOptions::new(seed).trades(trades)).unwrap_or_else(|e| panic!("seed {seed}: generate failed: {e}"));
    let report =
        reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap_or_else(|e| panic!("seed {seed}: reconcile failed: {e}"));
    let (ledger_key, statement_key) = sample.key.maps();
    let mut failures = Vec::new();
    for row in report.rows() {
        let Some(index) = row.index else { continue };
        let expected = match row.side {
            Side::Ledger => ledger_key.get(&index).copied().unwrap_or(Class::Ok),
            Side::Statement => statement_key.get(&index).copied().unwrap_or(Class::Ok),
        };
        if row.class != expected {
            failures.push(format!(
                "{} row {index}: expected {}, got {} ({})",
                row.side.name(),
                expected.name(),
                row.class.name(),
                row.reason
            ));
        }
    }
    let unreadable = report.rows_in(Class::Unreadable).count();
    assert_eq!(unreadable, sample.key.unreadable.0 + sample.key.unreadable.1, "seed {seed}: unreadable lines");
    assert!(failures.is_empty(), "seed {seed} ({trades} trades): {} rows misclassified:\n{}", failures.len(), failures.join("\n"));
    // Every injected class is present at this size.
    for class in Class::ALL {
        // `Unchecked` needs a due date beyond the calendar data: its own test below;
        // `UnknownTerminal` a portfolio (core/tests/portfolio.rs).
        if trades >= 2_000 && !matches!(class, Class::Ok | Class::Unchecked | Class::UnknownTerminal) {
            assert!(
                report.summary.class(class).ledger_rows
                    + report.summary.class(class).statement_rows
                    + report.summary.class(class).unreadable_rows
                    > 0,
                "seed {seed}: no {}",
                class.name()
            );
        }
    }
}

#[test]
fn simulation_finds_every_fault_and_flags_no_clean_row() {
    let seeds: u64 = std::env::var("POSFEE_SIM_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(40);
    // POSFEE_SIM_TRADES=100000 runs every seed at that size.
    let trades: Option<usize> = std::env::var("POSFEE_SIM_TRADES").ok().and_then(|s| s.parse().ok());
    for seed in 0..seeds {
        check_seed(seed, trades.unwrap_or(2_000 + (seed as usize % 7) * 300));
    }
}

#[test]
fn simulation_small_samples() {
    for seed in 1_000..1_030 {
        check_seed(seed, 30 + seed as usize % 50);
    }
}

#[test]
fn simulation_through_csv_files() {
    let sample = generate(&SimulationOptions::new(77).trades(3_000)).unwrap();
    let ledger_csv = write_ledger_csv(&sample.ledger);
    let statement_csv = write_bank_csv(&sample.statement);
    let ledger = read_ledger_csv(ledger_csv.as_bytes(), "ledger.csv").unwrap();
    let statement = read_bank_csv(statement_csv.as_bytes(), "statement.csv", &ColumnMap::default()).unwrap();
    assert!(ledger.issues().is_empty() && statement.issues().is_empty());
    let direct = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
    let via_files = reconcile(&ledger, &statement, &sample.options).unwrap();
    let classes = |r: &Report| r.rows().filter(|r| r.index.is_some()).map(|r| r.class).collect::<Vec<_>>();
    assert_eq!(classes(&direct), classes(&via_files));
}

fn options() -> ReconcileOptions {
    ReconcileOptions::new(crate::Schedule::preset("sft-traditional").unwrap(), MerchantProfile::new("102310058120001", "沪上小馆").unwrap())
}

fn purchase(id: &str, rrn: &str, at: &str, yuan: &str, channel: crate::Channel) -> LedgerRecord {
    let mut record = LedgerRecord::new(id, parse_china_time(at).unwrap(), crate::Money::parse_amount(yuan).unwrap(), channel);
    record.rrn = rrn.to_string();
    record.terminal = "T0000001".to_string();
    record
}

fn settled(rrn: &str, at: &str, yuan: &str, fee: &str, date: &str, channel: crate::Channel) -> StatementRecord {
    let amount = crate::Money::parse_amount(yuan).unwrap();
    let mut row =
        StatementRecord::new(parse_date(date).unwrap(), parse_china_time(at).unwrap(), amount, crate::Money::parse(fee).unwrap(), channel);
    row.rrn = rrn.to_string();
    row.terminal = "T0000001".to_string();
    row.merchant_no = "102310058120001".to_string();
    row
}

fn one_pair(ledger_row: LedgerRecord, statement_row: StatementRecord) -> Report {
    let mut ledger = Ledger::new("l");
    ledger.push(ledger_row).unwrap();
    let mut statement = Statement::new("s");
    statement.push(statement_row).unwrap();
    reconcile(&ledger, &statement, &options()).unwrap()
}

use crate::Channel::{Credit, Debit, Wechat};

/// A fee rise on one terminal's debit trades only (too few of the channel's for a step of
/// the channel) is that terminal's finding, of exactly its rows: with the terminals held once
/// each (as read from files) and as plain text (as shared from Arrow), the two ways the step
/// test groups rows by terminal.
#[test]
fn a_fee_rise_on_one_terminal_is_that_terminals_finding() {
    let sample = generate(&SimulationOptions::new(11).trades(6_000).faults_per_class(0)).unwrap();
    let from = china_day(parse_china_time("2026-03-12 00:00").unwrap().timestamp());
    let debit_from = |statement: &Statement, j: usize| {
        statement.channel[j] == Debit && statement.kind[j] == TradeKind::Purchase && china_day(statement.time[j]) >= from
    };
    // The terminal with the fewest of those rows, at least ten.
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for j in (0..sample.statement.len()).filter(|&j| debit_from(&sample.statement, j)) {
        *count.entry(sample.statement.terminal.get(j)).or_default() += 1;
    }
    let all: usize = count.values().sum();
    let (&terminal, &rows) = count.iter().filter(|(_, &rows)| rows >= 10).min_by_key(|(_, &rows)| rows).unwrap();
    assert!(2 * rows < all, "{rows} of {all} debit rows on {terminal}: the channel's step would take them");
    let mut raised = sample.statement.clone();
    let add_on = crate::Money::from_fen(50);
    let mut expected = Vec::new();
    for j in (0..raised.len()).filter(|&j| debit_from(&sample.statement, j) && sample.statement.terminal.get(j) == terminal) {
        raised.fee[j] = raised.fee[j] + add_on;
        raised.net[j] = raised.net[j] - add_on;
        expected.push(j as u32);
    }
    let mut plain = raised.clone();
    plain.terminal = TextColumn::default();
    for j in 0..raised.len() {
        plain.terminal.push(raised.terminal.get(j)).unwrap();
    }
    assert!(matches!(raised.terminal.view(), TextView::Interned { .. }) && matches!(plain.terminal.view(), TextView::One { .. }));
    for statement in [&raised, &plain] {
        let report = reconcile(&sample.ledger, statement, &sample.options).unwrap();
        let findings = &report.summary.findings;
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!((findings[0].channel, findings[0].terminal.as_deref()), (Some(Debit), Some(terminal)), "{}", findings[0].en);
        let mut found = report.finding_rows(0).to_vec();
        found.sort_unstable();
        assert_eq!(found, expected, "{}", findings[0].en);
        assert_eq!(findings[0].money, crate::Money::from_fen(50 * expected.len() as i64));
    }
}

#[test]
fn each_pair_class() {
    let l = || purchase("A", "000000000001", "2026-03-02 10:00", "1000", Credit);
    let case = |row: StatementRecord| one_pair(l(), row).row(0).unwrap().class;
    // 0.6% of ¥1000 = ¥6, T1 from Monday 2026-03-02 → 2026-03-03.
    assert_eq!(case(settled("000000000001", "2026-03-02 10:00", "1000", "6", "2026-03-03", Credit)), Class::Ok);
    assert_eq!(case(settled("000000000001", "2026-03-02 10:00", "999", "5.99", "2026-03-03", Credit)), Class::AmountDiffers);
    assert_eq!(case(settled("000000000001", "2026-03-02 10:00", "1000", "9", "2026-03-03", Credit)), Class::ExtraFee);
    assert_eq!(case(settled("000000000001", "2026-03-02 10:00", "1000", "6.83", "2026-03-03", Credit)), Class::FeeAbove);
    assert_eq!(case(settled("000000000001", "2026-03-02 10:00", "1000", "5.99", "2026-03-03", Credit)), Class::FeeBelow);
    let mut net = settled("000000000001", "2026-03-02 10:00", "1000", "6", "2026-03-03", Credit);
    net.net = crate::Money::from_yuan(990);
    assert_eq!(case(net), Class::NetDiffers);
    assert_eq!(case(settled("000000000001", "2026-03-02 10:00", "1000", "6", "2026-03-05", Credit)), Class::SettledLate);
    let mut jumped = settled("000000000001", "2026-03-02 10:00", "1000", "6", "2026-03-03", Credit);
    jumped.merchant_no = "102310054110007".to_string();
    let report = one_pair(l(), jumped);
    assert_eq!(report.row(0).unwrap().class, Class::MerchantDiffers);
    assert!(report.row(0).unwrap().reason.contains("MCC 5411"), "{}", report.row(0).unwrap().reason);
    // A terminal the merchant did not register.
    let mut registered = options();
    registered.profile = registered.profile.terminals(["T0000009"]);
    let mut ledger = Ledger::new("l");
    ledger.push(l()).unwrap();
    let mut statement = Statement::new("s");
    statement.push(settled("000000000001", "2026-03-02 10:00", "1000", "6", "2026-03-03", Credit)).unwrap();
    let report = reconcile(&ledger, &statement, &registered).unwrap();
    assert_eq!(report.row(0).unwrap().class, Class::MerchantDiffers);
    assert!(report.row(0).unwrap().reason.contains("not registered"), "{}", report.row(0).unwrap().reason);
    // Several findings: the first is the class, all are listed.
    let report = one_pair(l(), settled("000000000001", "2026-03-02 10:00", "1000", "6.83", "2026-03-05", Credit));
    assert_eq!(report.row(1).unwrap().findings.iter().collect::<Vec<_>>(), vec![Class::FeeAbove, Class::SettledLate]);
}

/// When the contract cannot price a pair, the kind of the error decides the class: a fee that
/// cannot be known from the row (the ledger's card type contradicts its channel) leaves the
/// fee unchecked; no rule for the channel is "not priced" (an extra fee when a fee was
/// charged); neither marks the settlement date unchecked.
#[test]
fn contract_errors_are_classed_by_their_kind() {
    let pair = |preset: &str, channel, card_type: Option<crate::CardType>, yuan: &str, fee: &str| {
        let options = ReconcileOptions::new(crate::Schedule::preset(preset).unwrap(), options().profile);
        let mut ledger = Ledger::new("l");
        let mut record = purchase("A", "000000000001", "2026-03-02 10:00", yuan, channel);
        record.card_type = card_type;
        ledger.push(record).unwrap();
        let mut statement = Statement::new("s");
        statement.push(settled("000000000001", "2026-03-02 10:00", yuan, fee, "2026-03-03", channel)).unwrap();
        let report = reconcile(&ledger, &statement, &options).unwrap();
        let row = report.row(0).unwrap();
        (row.class, row.findings.iter().collect::<Vec<_>>(), row.reason.to_string())
    };
    let at = parse_china_time("2026-03-02 10:00").unwrap();
    let request = |channel, card_type| crate::QuoteRequest::new(crate::Money::from_yuan(100), channel, at).card_type(card_type);
    let error = crate::Schedule::preset("standard").unwrap().quote(&request(Debit, crate::CardType::Credit)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidRequest);
    let error = crate::Schedule::preset("sft-esign").unwrap().quote(&request(Wechat, crate::CardType::Debit)).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NoMatchingRule);

    let (class, findings, reason) = pair("standard", Debit, Some(crate::CardType::Credit), "100", "0.50");
    assert_eq!((class, findings), (Class::Unchecked, vec![Class::Unchecked]), "{reason}");
    assert!(reason.contains("contradicts"), "{reason}");
    let (class, findings, reason) = pair("sft-esign", Wechat, None, "100", "0.38");
    assert_eq!((class, findings), (Class::ExtraFee, vec![Class::ExtraFee]), "{reason}");
    let (class, findings, reason) = pair("sft-esign", Wechat, None, "100", "0");
    assert_eq!((class, findings), (Class::Ok, vec![]), "{reason}");
}

/// An `extra_fee_unit` of zero turns the "extra fee" class off: every overcharge is
/// `fee_above`, whole yuan or not.
#[test]
fn no_extra_fee_unit_makes_every_overcharge_fee_above() {
    let mut options = options();
    options.extra_fee_unit = crate::Money::ZERO;
    let mut ledger = Ledger::new("l");
    ledger.push(purchase("A", "000000000001", "2026-03-02 10:00", "1000", Credit)).unwrap();
    let mut statement = Statement::new("s");
    statement.push(settled("000000000001", "2026-03-02 10:00", "1000", "9", "2026-03-03", Credit)).unwrap();
    let report = reconcile(&ledger, &statement, &options).unwrap();
    assert_eq!(report.row(0).unwrap().class, Class::FeeAbove, "{}", report.row(0).unwrap().reason);
    assert_eq!(
        one_pair(
            purchase("A", "000000000001", "2026-03-02 10:00", "1000", Credit),
            settled("000000000001", "2026-03-02 10:00", "1000", "9", "2026-03-03", Credit)
        )
        .row(0)
        .unwrap()
        .class,
        Class::ExtraFee
    );
}

/// The reasons carry the amounts as positive differences, and lateness is counted in
/// business days against the tolerance: settled exactly the tolerance late is on time.
#[test]
fn reasons_and_the_late_tolerance() {
    let l = || purchase("A", "000000000001", "2026-03-02 10:00", "1000", Credit);
    let below = one_pair(l(), settled("000000000001", "2026-03-02 10:00", "1000", "5.99", "2026-03-03", Credit));
    assert_eq!(below.row(0).unwrap().reason.to_string(), "fee ¥5.99 is ¥0.01 below the contract's ¥6.00");
    // Due Tuesday 2026-03-03; settled Thursday 03-05 is two business days late.
    let late = |tolerance: i64| {
        let mut options = options();
        options.late_tolerance_business_days = tolerance;
        let mut ledger = Ledger::new("l");
        ledger.push(l()).unwrap();
        let mut statement = Statement::new("s");
        statement.push(settled("000000000001", "2026-03-02 10:00", "1000", "6", "2026-03-05", Credit)).unwrap();
        let report = reconcile(&ledger, &statement, &options).unwrap();
        let row = report.row(0).unwrap();
        (row.class, row.reason.to_string())
    };
    assert_eq!(late(0).0, Class::SettledLate);
    assert!(late(0).1.contains("2 business days"), "{}", late(0).1);
    assert_eq!(late(1).0, Class::SettledLate);
    assert_eq!(late(2).0, Class::Ok);
    assert_eq!(late(3).0, Class::Ok);
}

#[test]
fn unmatched_declined_voided_duplicates() {
    let mut ledger = Ledger::new("l");
    ledger.push(purchase("A", "000000000001", "2026-03-02 10:00", "100", Debit)).unwrap(); // never settled
    let mut declined = purchase("B", "000000000002", "2026-03-02 10:01", "100", Debit);
    declined.response_code = "51".into();
    ledger.push(declined).unwrap();
    let mut unknown = purchase("C", "000000000003", "2026-03-02 10:02", "100", Debit);
    unknown.response_code = "83".into();
    ledger.push(unknown).unwrap();
    ledger.push(purchase("D", "000000000004", "2026-03-02 10:03", "100", Debit)).unwrap(); // voided
    let mut void = purchase("E", "000000000005", "2026-03-02 10:04", "100", Debit);
    void.kind = crate::TradeKind::Void;
    void.original_rrn = "000000000004".into();
    ledger.push(void).unwrap();
    ledger.push(purchase("F", "000000000006", "2026-03-02 10:05", "100", Debit)).unwrap();
    ledger.push(purchase("F", "000000000006", "2026-03-02 10:05", "100", Debit)).unwrap(); // duplicate
    let mut statement = Statement::new("s");
    statement.push(settled("000000000006", "2026-03-02 10:05", "100", "0.55", "2026-03-03", Debit)).unwrap();
    statement.push(settled("000000000006", "2026-03-02 10:05", "100", "0.55", "2026-03-03", Debit)).unwrap(); // duplicate
    statement.push(settled("000000000009", "2026-03-02 11:00", "50", "0.28", "2026-03-03", Debit)).unwrap(); // no ledger trade
    statement.push(settled("000000000004", "2026-03-02 10:03", "100", "0.55", "2026-03-03", Debit)).unwrap(); // settles a voided trade
    statement.push(settled("000000000002", "2026-03-02 10:01", "100", "0.55", "2026-03-03", Debit)).unwrap(); // settles a declined trade
    let report = reconcile(&ledger, &statement, &options()).unwrap();
    let classes: Vec<Class> = report.rows().map(|r| r.class).collect();
    assert_eq!(
        classes,
        vec![
            Class::NeverSettled,
            Class::Declined,
            Class::Declined,
            Class::Voided,
            Class::Voided,
            Class::Ok,
            Class::LedgerDuplicate,
            Class::Ok,
            Class::StatementDuplicate,
            Class::NoLedgerTrade,
            Class::NoLedgerTrade,
            Class::NoLedgerTrade,
        ]
    );
    assert!(report.row(10).unwrap().reason.contains("voided"));
    assert!(report.row(11).unwrap().reason.contains("declined (response code 51)"), "{}", report.row(11).unwrap().reason);
    let declined = &report.summary.declined;
    assert_eq!(declined.len(), 2);
    assert_eq!(declined[0].meaning.en, "insufficient funds");
    assert_eq!(declined[1].meaning.en, "transaction failed (code 83: invalid terminal at some acquirers)");
    assert!(declined[1].meaning.acquirer_specific);
    let by_action: Vec<(crate::reconcile::ResponseAction, &[String], u64)> =
        report.summary.declined_by_action.iter().map(|d| (d.action, d.codes.as_slice(), d.trades)).collect();
    assert_eq!(
        by_action,
        [
            (crate::reconcile::ResponseAction::CardholderContactIssuer, &["51".to_string()][..], 1),
            (crate::reconcile::ResponseAction::ContactAcquirerCheckMerchantInfo, &["83".to_string()][..], 1),
        ]
    );
    let table = report.summary.table();
    assert!(table.contains("1 trade ¥      100.00  the cardholder contacts the issuer (codes 51)"), "{table}");
    let table = report.summary.table_in(crate::Lang::Zh);
    assert!(table.contains("1 笔 ¥      100.00  请持卡人联系发卡行 (应答码 51)"), "{table}");
    assert_eq!(report.summary.class(Class::NeverSettled).ledger_amount, crate::Money::from_yuan(100));
}

#[test]
fn fallback_matching_is_one_to_one_and_deterministic() {
    let mut ledger = Ledger::new("l");
    let mut a = purchase("A", "", "2026-03-02 10:00:00", "10", Wechat);
    a.rrn.clear();
    let mut b = purchase("B", "", "2026-03-02 10:00:50", "10", Wechat);
    b.rrn.clear();
    ledger.push(a).unwrap();
    ledger.push(b).unwrap();
    let mut statement = Statement::new("s");
    // 0.38% of ¥10 = ¥0.04 (half up from 0.038)
    statement.push(settled("", "2026-03-02 10:00:40", "10", "0.04", "2026-03-03", Wechat)).unwrap();
    statement.push(settled("", "2026-03-02 10:00:05", "10", "0.04", "2026-03-03", Wechat)).unwrap();
    statement.push(settled("", "2026-03-02 10:09:00", "10", "0.04", "2026-03-03", Wechat)).unwrap(); // outside the window
    let report = reconcile(&ledger, &statement, &options()).unwrap();
    assert_eq!(report.row(0).unwrap().partner, Some(1));
    assert_eq!(report.row(1).unwrap().partner, Some(0));
    assert_eq!(report.row(0).unwrap().matched_by, Some(MatchedBy::TimeWindow));
    assert_eq!(report.row(4).unwrap().class, Class::NoLedgerTrade);
}

#[test]
fn refunds_follow_the_refund_policy() {
    let mut ledger = Ledger::new("l");
    ledger.push(purchase("A", "000000000001", "2026-03-02 10:00", "1000", Credit)).unwrap();
    let mut refund = purchase("R", "000000000002", "2026-03-04 10:00", "250", Credit);
    refund.kind = crate::TradeKind::Refund;
    refund.original_rrn = "000000000001".into();
    ledger.push(refund).unwrap();
    let build = |fee: &str| {
        let mut statement = Statement::new("s");
        statement.push(settled("000000000001", "2026-03-02 10:00", "1000", "6", "2026-03-03", Credit)).unwrap();
        let mut row = settled("000000000002", "2026-03-04 10:00", "250", fee, "2026-03-05", Credit);
        row.kind = crate::TradeKind::Refund;
        row.net = -row.amount - row.fee;
        statement.push(row).unwrap();
        statement
    };
    let keep = reconcile(&ledger, &build("0"), &options()).unwrap();
    assert_eq!(keep.row(1).unwrap().class, Class::Ok, "{}", keep.row(1).unwrap().reason);
    let mut proportional = options();
    proportional.schedule = proportional.schedule.with_refund_policy(crate::RefundPolicy::Proportional);
    let back = reconcile(&ledger, &build("-1.50"), &proportional).unwrap();
    assert_eq!(back.row(1).unwrap().class, Class::Ok, "{}", back.row(1).unwrap().reason);
    let not_back = reconcile(&ledger, &build("0"), &proportional).unwrap();
    assert_eq!(not_back.row(1).unwrap().class, Class::FeeAbove);
}

#[test]
fn report_exports_and_rates() {
    let sample = generate(&SimulationOptions::new(9).trades(2_000)).unwrap();
    let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
    let csv = report.to_csv(&sample.ledger, &sample.statement);
    assert_eq!(csv.lines().count(), report.len() + 1);
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), report.len());
    assert!(json["summary"]["overcharge"].is_string());
    assert!(report.summary.daily_rates.iter().all(|d| d.rate.ends_with('%')));
    let jumped = report.summary.terminals.iter().any(|t| t.merchant_numbers.len() > 1);
    assert!(jumped);
    assert!(report.summary.overcharge > crate::Money::ZERO);
    let table = report.summary.table();
    assert!(table.contains("fee_above") && table.contains("跳码"), "{table}");
}

#[test]
fn fee_kernel_agrees_with_quote() {
    let at = parse_china_time("2026-03-02 10:00").unwrap();
    for preset in crate::presets() {
        let schedule = crate::Schedule::preset(preset).unwrap();
        for settlement in [crate::SettlementMode::T(1), crate::SettlementMode::D(0), crate::SettlementMode::S0] {
            let kernel = FeeKernel::new(&schedule, at, None, settlement).unwrap();
            for channel in crate::Channel::ALL {
                if !kernel.supports(channel) {
                    continue;
                }
                let amounts = [0i64, 1, 99, 100, 101, 12_345, 166, 167, 363_636, 363_637, 1_000_000, 99_999_999, 100_000_000_000];
                let mut column = [0i64; 13];
                kernel.fees_millifen(&amounts, &[channel; 13], &mut column).unwrap();
                for (fen, from_column) in amounts.into_iter().zip(column) {
                    let request = crate::QuoteRequest::new(crate::Money::from_fen(fen), channel, at).settlement(settlement);
                    let quote = schedule.quote(&request).unwrap();
                    assert_eq!(kernel.fee(fen, channel), Some(quote.fee), "{preset} {settlement} {channel} {fen}");
                    assert_eq!(from_column, quote.fee.millifen(), "{preset} {settlement} {channel} {fen}");
                }
                // Every rounding mode, at fen and finer scales.
                for mode in [crate::RoundingMode::HalfUp, crate::RoundingMode::HalfEven, crate::RoundingMode::Up, crate::RoundingMode::Down]
                {
                    for scale in [2, 3, 5] {
                        let rounded = schedule.with_rounding(crate::Rounding::new(mode, scale).unwrap());
                        let kernel = FeeKernel::new(&rounded, at, None, settlement).unwrap();
                        kernel.fees_millifen(&amounts, &[channel; 13], &mut column).unwrap();
                        for (fen, from_column) in amounts.into_iter().zip(column) {
                            let request = crate::QuoteRequest::new(crate::Money::from_fen(fen), channel, at).settlement(settlement);
                            assert_eq!(
                                from_column,
                                rounded.quote(&request).unwrap().fee.millifen(),
                                "{preset} {mode} {scale} {channel} {fen}"
                            );
                        }
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Readers: malformed files, and "arbitrary bytes never panic" (the proptest twin of the
// cargo-fuzz targets in fuzz/).

const BANK_HEADER: &str = "清算日期,商户号,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n";
const WECHAT_HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\n";
const ALIPAY_HEADER: &str = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注\n";
const LEDGER_HEADER: &str = "trade_id,rrn,trace,terminal,merchant_no,time,amount,channel,card_type,kind,response_code,original_rrn\n";

/// Runs every reader on `data`; whatever is read must reconcile with every row accounted for.
fn read_everything(data: &[u8]) {
    let options = options();
    if let Ok(ledger) = read_ledger_csv(data, "fuzz.csv") {
        let report = reconcile(&ledger, &Statement::new("empty"), &options).unwrap();
        assert_eq!(report.len(), ledger.len() + ledger.issues().len());
    }
    for statement in
        [read_bank_csv(data, "fuzz.csv", &ColumnMap::default()), read_wechat_bill(data, "fuzz.csv"), read_alipay_csv(data, "fuzz.csv")]
            .into_iter()
            .flatten()
    {
        let report = reconcile(&Ledger::new("empty"), &statement, &options).unwrap();
        assert_eq!(report.len(), statement.len() + statement.issues().len());
        for issue in statement.issues() {
            assert_eq!(issue.error.location().file.as_deref(), Some("fuzz.csv"));
        }
    }
}

mod never_panic {
    use proptest::prelude::*;

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{0,15}",
            "-?[0-9,]{0,9}(\\.[0-9]{0,6})?",
            "`[A-Za-z0-9 ]{0,10}",
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-5][0-9]:[0-5][0-9])?",
            "20[0-9]{6}",
            "[0-2][0-9][0-5][0-9][0-5][0-9]",
            prop::sample::select(vec![
                "贷记卡",
                "借记卡",
                "消费",
                "撤销",
                "退货",
                "SUCCESS",
                "REFUND",
                "REVOKED",
                "交易",
                "退款",
                "合计",
                "credit",
                "wechat",
                "00",
                "51",
                "\"",
                "#",
                ""
            ])
            .prop_map(str::to_string),
            "\\PC{0,8}",
        ]
    }

    fn table() -> impl Strategy<Value = String> {
        let header = prop::sample::select(vec![super::BANK_HEADER, super::WECHAT_HEADER, super::ALIPAY_HEADER, super::LEDGER_HEADER, ""]);
        (header, prop::collection::vec(prop::collection::vec(field(), 0..28), 0..12)).prop_map(|(header, rows)| {
            let mut text = header.to_string();
            for row in rows {
                text.push_str(&row.join(","));
                text.push('\n');
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..2_000)) {
            super::read_everything(&data);
        }

        #[test]
        fn csv_like_tables(text in table()) {
            super::read_everything(text.as_bytes());
            let (gbk, _, _) = encoding_rs::GBK.encode(&text);
            super::read_everything(&gbk);
        }

        #[test]
        fn mutated_real_files(seed in 0u64..1_000, flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20)) {
            let sample = super::generate(&super::SimulationOptions::new(seed).trades(40)).unwrap();
            for text in [super::write_ledger_csv(&sample.ledger), super::write_bank_csv(&sample.statement)] {
                let mut bytes = text.into_bytes();
                for (at, byte) in &flips {
                    let i = at.index(bytes.len());
                    bytes[i] = *byte;
                }
                super::read_everything(&bytes);
            }
        }
    }
}

#[test]
fn malformed_files_name_file_line_column_and_field() {
    // Ledger: a bad amount, a bad channel, a void without original, a row too short.
    let text = format!(
        "{LEDGER_HEADER}A1,612610000001,1,T1,,2026-03-02 10:00:00,12.345,credit,,purchase,00,\n\
         A2,612610000002,2,T1,,2026-03-02 10:00:00,12.34,visa,,purchase,00,\n\
         A3,612610000003,3,T1,,2026-03-02 10:00:00,12.34,credit,,void,00,\n\
         A4,612610000004\n\n\
         A5,612610000005,5,T1,,2026-03-02 10:00:00,12.34,credit,,purchase,00,\n"
    );
    let ledger = read_ledger_csv(text.as_bytes(), "ledger.csv").unwrap();
    assert_eq!(ledger.len(), 1);
    let at: Vec<(Option<u64>, Option<u64>, Option<String>)> =
        ledger.issues().iter().map(|i| (i.error.location().line, i.error.location().column, i.error.location().field.clone())).collect();
    assert_eq!(
        at,
        vec![
            (Some(2), Some(7), Some("amount".to_string())),
            (Some(3), Some(8), Some("channel".to_string())),
            (Some(4), None, Some("original_rrn".to_string())),
            (Some(5), Some(6), Some("time".to_string())),
        ]
    );
    assert!(ledger.issues()[0].error.to_string().contains("12.345"));
    assert!(ledger.issues().iter().all(|i| i.error.location().file.as_deref() == Some("ledger.csv")));
    // A missing required column is a file-level error naming the column.
    let err = read_ledger_csv(b"trade_id,amount,channel\nA,1,credit\n", "l.csv").unwrap_err();
    assert_eq!(err.location().field.as_deref(), Some("time"));
    assert!(read_ledger_csv(b"", "l.csv").is_err());

    // Bank file: GBK, thousands separators, title lines, a summary row, a bad fee.
    let text = format!(
        "POS结算明细\n{BANK_HEADER}20260303,102310058120001,T0000001,20260302,100000,\"1,000.00\",6.00,994.00,612610000001,贷记卡,消费\n\
         20260303,102310058120001,T0000001,20260302,100000,100.00,abc,99.40,612610000002,贷记卡,消费\n\
         20260303,102310058120001,T0000001,20260302,100000,-100.00,0.00,-100.00,612610000003,贷记卡,\n\
         合计,,,,,1000.00,6.00,994.00,,,\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let statement = read_bank_csv(&gbk, "settle.csv", &ColumnMap::default()).unwrap();
    assert_eq!(statement.len(), 2);
    assert_eq!(statement.record(1).kind, crate::TradeKind::Refund);
    let issue = &statement.issues()[0];
    assert_eq!(
        (issue.error.location().line, issue.error.location().column, issue.error.location().field.as_deref()),
        (Some(4), Some(7), Some("fee"))
    );
    let err = read_bank_csv("a,b\n1,2\n".as_bytes(), "x.csv", &ColumnMap::default()).unwrap_err();
    assert!(err.to_string().contains("settlement_date"), "{err}");
    // A configurable mapping.
    let custom = "settle_day,tid,when,amt,charge,card\n2026-03-03,T1,2026-03-02 10:00:00,10.00,0.06,credit\n";
    let map = ColumnMap::default()
        .set(StatementField::SettlementDate, "settle_day")
        .set(StatementField::Terminal, "tid")
        .set(StatementField::TradeDate, "when")
        .set(StatementField::Amount, "amt")
        .set(StatementField::Fee, "charge")
        .set(StatementField::CardType, "card");
    let statement = read_bank_csv(custom.as_bytes(), "custom.csv", &map).unwrap();
    assert_eq!((statement.len(), statement.record(0).net.to_string()), (1, "9.94".to_string()));

    // WeChat: summary rows are not trades; a bad state and a bad fee are reported.
    let text = format!(
        "{WECHAT_HEADER}`2026-03-02 10:00:00,`wx,`1900000001,`,`T1,`42001,`Q1,`o,`NATIVE,`SUCCESS,`B,`CNY,`10.00,`0.00,`0,`0,`0.00,`0.00,`,`,`g,`,`0.03800,`0.38%,`10.00,`0.00,`\n\
         `2026-03-03 10:00:00,`wx,`1900000001,`,`T1,`42002,`Q2,`o,`NATIVE,`REFUND,`B,`CNY,`0.00,`0.00,`50001,`RQ1,`10.00,`0.00,`,`SUCCESS,`g,`,`-0.03800,`0.38%,`10.00,`10.00,`\n\
         `2026-03-03 11:00:00,`wx,`1900000001,`,`T1,`42003,`Q3,`o,`NATIVE,`CLOSED,`B,`CNY,`1.00,`0.00,`0,`0,`0.00,`0.00,`,`,`g,`,`0.00,`0.38%,`1.00,`0.00,`\n\
         `2026-03-03 12:00:00,`wx,`1900000001,`,`T1,`42004,`Q4,`o,`NATIVE,`SUCCESS,`B,`CNY,`1.00,`0.00,`0,`0,`0.00,`0.00,`,`,`g,`,`x,`0.38%,`1.00,`0.00,`\n\
         总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\n`4,`10.00,`10.00,`0.00,`0.00000,`10.00,`10.00\n"
    );
    let statement = read_wechat_bill(text.as_bytes(), "wx.csv").unwrap();
    assert_eq!(statement.len(), 2);
    let refund = statement.record(1);
    assert_eq!(
        (refund.kind, refund.rrn.as_str(), refund.fee.to_string(), refund.net.to_string()),
        (crate::TradeKind::Refund, "RQ1", "-0.038".to_string(), "-9.962".to_string())
    );
    let fields: Vec<Option<&str>> = statement.issues().iter().map(|i| i.error.location().field.as_deref()).collect();
    assert_eq!(fields, vec![Some("kind"), Some("fee")]);
    assert_eq!(statement.issues()[0].error.location().line, Some(4));

    // Alipay: GBK, # lines, a refund, a bad amount.
    let text = format!(
        "#支付宝业务明细查询\n#账号：[2088]\n{ALIPAY_HEADER}A1,Q1,交易,g,2026-03-02 10:00:00,2026-03-02 10:00:01,,,,T1,b,100.00,100.00,0,0,0,0,0,,0,0,,-0.38,0,\n\
         A2,Q1,退款,g,2026-03-03 10:00:00,2026-03-03 10:00:01,,,,T1,b,-50.00,-50.00,0,0,0,0,0,,0,0,RF1,0.19,0,\n\
         A3,Q3,交易,g,2026-03-03 10:00:00,2026-03-03 10:00:01,,,,T1,b,1.0.0,1,0,0,0,0,0,,0,0,,0,0,\n\
         #-----业务明细列表结束-----\n#交易合计：1笔\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let statement = read_alipay_csv(&gbk, "alipay.csv").unwrap();
    assert_eq!(statement.len(), 2);
    let refund = statement.record(1);
    assert_eq!((refund.rrn.as_str(), refund.fee.to_string(), refund.net.to_string()), ("RF1", "-0.19".to_string(), "-49.81".to_string()));
    assert_eq!(statement.issues()[0].error.location().field.as_deref(), Some("amount"));
    assert_eq!(statement.issues()[0].error.location().line, Some(6));
}

#[test]
fn unreadable_lines_land_in_the_report() {
    let text = format!("{LEDGER_HEADER}A1,612610000001,1,T1,,2026-03-02 10:00:00,oops,credit,,purchase,00,\n");
    let ledger = read_ledger_csv(text.as_bytes(), "ledger.csv").unwrap();
    let report = reconcile(&ledger, &Statement::new("s"), &options()).unwrap();
    assert_eq!(report.len(), 1);
    assert_eq!(report.row(0).unwrap().class, Class::Unreadable);
    assert!(report.row(0).unwrap().reason.contains("ledger.csv, line 2"), "{}", report.row(0).unwrap().reason);
    assert_eq!(report.summary.class(Class::Unreadable).unreadable_rows, 1);
}

#[test]
fn parallel_chunks_keep_order_and_line_numbers() {
    // Large enough (several MiB) for the readers to split the input into chunks.
    let sample = generate(&SimulationOptions::new(4).trades(40_000)).unwrap();
    let ledger_csv = write_ledger_csv(&sample.ledger);
    let statement_csv = write_bank_csv(&sample.statement);
    assert!(statement_csv.len() > 4 << 20);
    let ledger = read_ledger_csv(ledger_csv.as_bytes(), "ledger.csv").unwrap();
    let statement = read_bank_csv(statement_csv.as_bytes(), "statement.csv", &ColumnMap::default()).unwrap();
    assert_eq!(ledger.amounts_fen(), sample.ledger.amounts_fen());
    assert_eq!(statement.amounts_fen(), sample.statement.amounts_fen());
    assert!((0..ledger.len()).all(|i| ledger.line.get(i) == i as u64 + 2));
    assert!((0..statement.len()).all(|j| statement.line.get(j) == j as u64 + 2));
    // A bad line deep in the file is reported on its own line.
    let mut lines: Vec<&str> = statement_csv.lines().collect();
    let broken = lines.len() - 3;
    lines[broken] = "20260303,x,y";
    let text = lines.join("\n");
    let statement = read_bank_csv(text.as_bytes(), "statement.csv", &ColumnMap::default()).unwrap();
    assert_eq!(statement.issues().len(), 1);
    assert_eq!(statement.issues()[0].error.location().line, Some(broken as u64 + 1));
}

#[test]
fn an_appended_part_is_left_empty_under_its_name_and_fills_again_like_a_fresh_one() {
    // The readers append each parsed chunk and fill the emptied part with a later chunk.
    let fill_ledger = |part: &mut Ledger, k: usize| {
        part.push(purchase(&format!("A{k}"), &format!("{k:012}"), "2026-03-02 10:00", "12.34", Credit)).unwrap();
        part.push_issue(crate::Money::parse_amount("oops").unwrap_err(), format!("line {k}"));
    };
    let (mut whole, mut part) = (Ledger::new("ledger.csv"), Ledger::new("ledger.csv"));
    let mut expected = Ledger::new("ledger.csv");
    for k in 0..3 {
        fill_ledger(&mut part, k);
        fill_ledger(&mut expected, k);
        whole.append(&mut part).unwrap();
        assert!(part.is_empty() && part.issues().is_empty() && part.name() == "ledger.csv");
    }
    assert_eq!(whole, expected);

    let fill_statement = |part: &mut Statement, k: usize| {
        part.push(settled(&format!("{k:012}"), "2026-03-02 10:00", "12.34", "0.07", "2026-03-03", Debit)).unwrap();
        part.push_issue(crate::Money::parse_amount("oops").unwrap_err(), format!("line {k}"));
        part.push_deduction(StatementDeduction::new(parse_date("2026-03-03").unwrap(), crate::Money::from_yuan(1), "流量费")).unwrap();
        part.skipped_rows += 1;
    };
    let (mut whole, mut part) = (Statement::new("statement.csv"), Statement::new("statement.csv"));
    let mut expected = Statement::new("statement.csv");
    for k in 0..3 {
        fill_statement(&mut part, k);
        fill_statement(&mut expected, k);
        whole.append(&mut part).unwrap();
        assert!(part.is_empty() && part.issues().is_empty() && part.deductions().is_empty() && part.skipped_rows() == 0);
        assert_eq!(part.name(), "statement.csv");
    }
    assert_eq!(whole, expected);
}

#[test]
fn a_silent_rate_rise_shows_as_a_step_in_the_daily_rates() {
    let mut ledger = Ledger::new("l");
    let mut statement = Statement::new("s");
    for (k, (day, fee)) in
        [("2026-03-02", "6.79"), ("2026-03-03", "6.79"), ("2026-03-04", "8.40"), ("2026-03-05", "8.40")].into_iter().enumerate()
    {
        let rrn = format!("{:012}", k + 1);
        let at = format!("{day} 10:00");
        ledger.push(purchase(&format!("A{k}"), &rrn, &at, "1234.56", Debit)).unwrap();
        let due = crate::Calendar::china().add_business_days(parse_date(day).unwrap(), 1).unwrap().to_string();
        statement.push(settled(&rrn, &at, "1234.56", fee, &due, Debit)).unwrap();
    }
    let report = reconcile(&ledger, &statement, &options()).unwrap();
    let rates: Vec<&str> = report.summary.daily_rates.iter().map(|d| d.rate.as_str()).collect();
    assert_eq!(rates, vec!["0.5500%", "0.5500%", "0.6804%", "0.6804%"]); // 0.55% silently raised to 0.68%
    assert_eq!(report.rows_in(Class::FeeAbove).count(), 4); // both sides of the two risen days
    assert_eq!(report.summary.overcharge, crate::Money::parse("3.22").unwrap());
}

#[test]
fn many_same_amount_trades_without_reference_match_one_to_one() {
    // 20,000 ¥10 QR trades on one terminal, 10 s apart, none with a reference: a large
    // fallback group (binary-searched windows, not a quadratic scan).
    let mut ledger = Ledger::new("l");
    let mut statement = Statement::new("s");
    let start = parse_china_time("2026-03-02 00:00").unwrap();
    for k in 0..20_000i64 {
        let at = start + chrono::Duration::seconds(10 * k);
        let mut trade = LedgerRecord::new(format!("A{k}"), at, crate::Money::from_yuan(10), Wechat);
        trade.terminal = "T0000001".into();
        ledger.push(trade).unwrap();
        let due = crate::Calendar::china().add_business_days(crate::CutOff::parse("23:00").unwrap().trade_day(at), 1).unwrap();
        let mut row =
            StatementRecord::new(due, at + chrono::Duration::seconds(3), crate::Money::from_yuan(10), crate::Money::from_fen(4), Wechat);
        row.terminal = "T0000001".into();
        statement.push(row).unwrap();
    }
    let report = reconcile(&ledger, &statement, &options()).unwrap();
    assert_eq!(report.summary.class(Class::Ok).ledger_rows, 20_000);
    assert!(report.rows().take(20_000).enumerate().all(|(i, r)| r.partner == Some(i)));
}

#[test]
fn matching_does_not_depend_on_the_hash_of_reference_keys() {
    // Hashes that collide all the time take the slow path of every run; the result is the same.
    for seed in [1, 2, 3] {
        let sample = generate(&SimulationOptions::new(seed).trades(3_000)).unwrap();
        let fast = super::matching::match_rows(&sample.ledger, &sample.statement, 120);
        let colliding = super::matching::match_rows_hashed(&sample.ledger, &sample.statement, 120, |(rrn, _, _)| rrn.len() as u64 % 3);
        assert_eq!(fast.ledger_partner, colliding.ledger_partner, "seed {seed}");
        assert_eq!(fast.statement_partner, colliding.statement_partner, "seed {seed}");
        assert_eq!(fast.ledger_class.class, colliding.ledger_class.class, "seed {seed}");
        assert_eq!(fast.statement_class.class, colliding.statement_class.class, "seed {seed}");
        assert_eq!(fast.matched_by, colliding.matched_by, "seed {seed}");
    }
}

/// `extend_rows` stores and rejects exactly what `push_row` does row by row, across the rows
/// a batch samples before it reserves room and with bad rows on both sides of them.
#[test]
fn extend_rows_is_push_row_in_a_batch() {
    let sample = generate(&SimulationOptions::new(5).trades(600)).unwrap();
    let mut ledger_rows: Vec<LedgerRecord> = (0..sample.ledger.len()).map(|i| sample.ledger.record(i)).collect();
    let mut statement_rows: Vec<StatementRecord> = (0..sample.statement.len()).map(|i| sample.statement.record(i)).collect();
    for (i, row) in ledger_rows.iter_mut().enumerate() {
        row.line = i as u64 + 1;
        row.terminal = format!(" {} ", row.terminal);
        match i % 97 {
            3 => row.amount = Money::from_millifen(1).unwrap(),
            5 => (row.kind, row.original_rrn) = (crate::TradeKind::Refund, " ".into()),
            _ => {}
        }
    }
    for (i, row) in statement_rows.iter_mut().enumerate() {
        row.line = i as u64 + 1;
        if i % 89 == 7 {
            row.fee = Money::MAX;
        }
    }
    let keep_ledger = |ledger: &mut Ledger, error: Error| {
        ledger.push_issue(error, "");
        Ok(())
    };
    let mut one_by_one = Ledger::new("l");
    for row in &ledger_rows {
        if let Err(error) = one_by_one.push(row.clone()) {
            keep_ledger(&mut one_by_one, error).unwrap();
        }
    }
    let mut batched = Ledger::new("l");
    fn borrowed(r: &LedgerRecord) -> LedgerRow<'_> {
        LedgerRow {
            trade_id: &r.trade_id,
            rrn: &r.rrn,
            trace: &r.trace,
            terminal: &r.terminal,
            merchant_no: &r.merchant_no,
            time: r.time,
            amount: r.amount,
            channel: r.channel,
            card_type: r.card_type,
            kind: r.kind,
            response_code: &r.response_code,
            original_rrn: &r.original_rrn,
            line: r.line,
        }
    }
    batched.extend_rows(ledger_rows.len(), |i| Ok(borrowed(&ledger_rows[i])), keep_ledger).unwrap();
    assert!(ledger_rows.len() > 2 * schema::SAMPLE_ROWS && !batched.issues().is_empty());
    assert_eq!(batched, one_by_one);

    let mut one_by_one = Statement::new("s");
    for row in &statement_rows {
        if let Err(error) = one_by_one.push(row.clone()) {
            one_by_one.push_issue(error, "");
        }
    }
    let mut batched = Statement::new("s");
    fn borrowed_statement(r: &StatementRecord) -> StatementRow<'_> {
        StatementRow {
            settlement_date: r.settlement_date,
            merchant_no: &r.merchant_no,
            merchant_name: &r.merchant_name,
            terminal: &r.terminal,
            batch: &r.batch,
            rrn: &r.rrn,
            time: r.time,
            amount: r.amount,
            fee: r.fee,
            net: r.net,
            channel: r.channel,
            kind: r.kind,
            line: r.line,
        }
    }
    let keep = |statement: &mut Statement, error: Error| {
        statement.push_issue(error, "");
        Ok(())
    };
    batched.extend_rows(statement_rows.len(), |i| Ok(borrowed_statement(&statement_rows[i])), keep).unwrap();
    assert!(!batched.issues().is_empty());
    assert_eq!(batched, one_by_one);
    // A rejection that stops the batch keeps the rows before it.
    let mut stopped = Statement::new("s");
    let error =
        stopped.extend_rows(statement_rows.len(), |i| Ok(borrowed_statement(&statement_rows[i])), |_, error| Err(error)).unwrap_err();
    assert_eq!((error.location().line, stopped.len()), (Some(8), 7));
}

/// Text shared with a table, as a caller's column (Arrow's, Python's) is.
struct Values(String, Vec<u32>);

impl super::SharedText for Values {
    fn parts(&self) -> (&str, &[u32]) {
        (&self.0, &self.1)
    }
}

/// A column of `values` pushed one by one (held once a distinct value).
fn owned(values: &mut dyn Iterator<Item = &str>) -> super::TextColumn {
    let mut column = super::TextColumn::default();
    values.for_each(|value| column.push(value).unwrap());
    column
}

/// The same column as shared text (held row by row).
fn shared(values: &mut dyn Iterator<Item = &str>) -> super::TextColumn {
    let (mut text, mut offsets) = (String::new(), vec![0]);
    for value in values {
        text.push_str(value);
        offsets.push(text.len() as u32);
    }
    super::TextColumn::shared(std::sync::Arc::new(Values(text, offsets))).unwrap()
}

/// How a test holds a text column: pushed one by one, or shared.
type TextOf = fn(&mut dyn Iterator<Item = &str>) -> super::TextColumn;

/// The columns of ledger rows, each text column held as `text(its name)` says.
fn ledger_columns(rows: &[LedgerRecord], first_line: u64, text: impl Fn(&str) -> TextOf) -> super::LedgerColumns {
    let column = |name: &str, value: fn(&LedgerRecord) -> &str| text(name)(&mut rows.iter().map(value));
    super::LedgerColumns {
        trade_id: column("trade_id", |r| &r.trade_id),
        rrn: column("rrn", |r| &r.rrn),
        trace: column("trace", |r| &r.trace),
        terminal: column("terminal", |r| &r.terminal),
        merchant_no: column("merchant_no", |r| &r.merchant_no),
        time_s: rows.iter().map(|r| r.time.timestamp()).collect(),
        amount_fen: rows.iter().map(|r| r.amount.fen().unwrap()).collect(),
        channel: rows.iter().map(|r| r.channel).collect(),
        card_type: rows.iter().map(|r| r.card_type).collect(),
        kind: rows.iter().map(|r| r.kind).collect(),
        response_code: column("response_code", |r| &r.response_code),
        original_rrn: column("original_rrn", |r| &r.original_rrn),
        first_line,
    }
}

/// The columns of statement rows, each text column held as `text(its name)` says.
fn statement_columns(rows: &[StatementRecord], text: impl Fn(&str) -> TextOf) -> super::StatementColumns {
    let column = |name: &str, value: fn(&StatementRecord) -> &str| text(name)(&mut rows.iter().map(value));
    super::StatementColumns {
        settlement_date: rows.iter().map(|r| r.settlement_date).collect(),
        merchant_no: column("merchant_no", |r| &r.merchant_no),
        merchant_name: column("merchant_name", |r| &r.merchant_name),
        terminal: column("terminal", |r| &r.terminal),
        batch: column("batch", |r| &r.batch),
        rrn: column("rrn", |r| &r.rrn),
        time_s: rows.iter().map(|r| r.time.timestamp()).collect(),
        amount_fen: rows.iter().map(|r| r.amount.fen().unwrap()).collect(),
        fee: rows.iter().map(|r| r.fee).collect(),
        net: rows.iter().map(|r| r.net).collect(),
        channel: rows.iter().map(|r| r.channel).collect(),
        kind: rows.iter().map(|r| r.kind).collect(),
        first_line: 1,
    }
}

/// `from_columns` stores what `push_row` stores row by row (text trimmed where it trims, shared
/// text kept), and fails with the error `push_row` gives for the first bad row.
#[test]
fn from_columns_is_push_row_on_whole_columns() {
    let sample = generate(&SimulationOptions::new(9).trades(400)).unwrap();
    let mut ledger_rows: Vec<LedgerRecord> = (0..sample.ledger.len()).map(|i| sample.ledger.record(i)).collect();
    for (i, row) in ledger_rows.iter_mut().enumerate() {
        row.line = i as u64 + 10;
        if i % 7 == 0 {
            row.terminal = format!(" {}\t", row.terminal);
        }
    }
    // Some text columns pushed, some shared.
    let ledger_columns = |rows: &[LedgerRecord]| {
        ledger_columns(rows, 10, |name| if ["trace", "merchant_no", "original_rrn"].contains(&name) { owned } else { shared })
    };
    let push_all = |rows: &[LedgerRecord]| -> Result<Ledger> {
        let mut ledger = Ledger::new("l");
        rows.iter().try_for_each(|row| ledger.push(row.clone()))?;
        Ok(ledger)
    };
    assert_eq!(Ledger::from_columns("l", ledger_columns(&ledger_rows)).unwrap(), push_all(&ledger_rows).unwrap());
    let breaks: [fn(&mut LedgerRecord); 3] = [
        |row| row.amount = Money::from_fen(-1),
        |row| row.time = crate::parse_china_time("1969-12-31 23:00").unwrap(),
        |row| (row.kind, row.original_rrn) = (crate::TradeKind::Void, " ".into()),
    ];
    for (k, break_row) in breaks.iter().enumerate() {
        let mut bad = ledger_rows.clone();
        break_row(&mut bad[17 + k]);
        break_row(&mut bad[200]);
        let expected = push_all(&bad).unwrap_err();
        assert_eq!(Ledger::from_columns("l", ledger_columns(&bad)).unwrap_err(), expected, "break {k}");
        assert_eq!(expected.location().line, Some(27 + k as u64));
    }

    let mut statement_rows: Vec<StatementRecord> = (0..sample.statement.len()).map(|i| sample.statement.record(i)).collect();
    for (i, row) in statement_rows.iter_mut().enumerate() {
        row.line = i as u64 + 1;
        if i % 5 == 0 {
            row.merchant_name = format!("\u{3000}{}", row.merchant_name);
        }
        if i % 3 == 0 {
            row.batch = format!("{:06}", i / 50);
        }
    }
    let statement_columns =
        |rows: &[StatementRecord]| statement_columns(rows, |name| if ["terminal", "batch"].contains(&name) { owned } else { shared });
    let push_all = |rows: &[StatementRecord]| -> Result<Statement> {
        let mut statement = Statement::new("s");
        rows.iter().try_for_each(|row| statement.push(row.clone()))?;
        Ok(statement)
    };
    assert_eq!(Statement::from_columns("s", statement_columns(&statement_rows)).unwrap(), push_all(&statement_rows).unwrap());
    let mut bad = statement_rows.clone();
    bad[33].net = -Money::MAX;
    bad[34].fee = Money::MAX;
    assert_eq!(Statement::from_columns("s", statement_columns(&bad)).unwrap_err(), push_all(&bad).unwrap_err());
    let mut short = statement_columns(&statement_rows);
    short.kind.pop();
    assert_eq!(Statement::from_columns("s", short).unwrap_err().location().field.as_deref(), Some("kind"));

    // The summary's merchant numbers per terminal are the same whether the statement holds
    // each terminal, number and name once (pushed: the values' numbers are compared) or row by
    // row (the texts are): numbers that jump, empty terminals, rows with none of the three.
    for (j, row) in statement_rows.iter_mut().enumerate() {
        match j % 11 {
            0 => (row.terminal, row.merchant_no, row.merchant_name) = (String::new(), String::new(), String::new()),
            3 => row.merchant_no = format!("8{:014}", j % 5),
            _ => {}
        }
    }
    let (interned, plain) = (push_all(&statement_rows).unwrap(), Statement::from_columns("s", statement_columns(&statement_rows)).unwrap());
    let terminals = |statement: &Statement| reconcile(&sample.ledger, statement, &options()).unwrap().summary.terminals;
    let from_interned = terminals(&interned);
    assert_eq!(from_interned, terminals(&plain));
    assert!(from_interned.iter().any(|t| t.merchant_numbers.len() > 1));
    assert!(from_interned.iter().all(|t| !t.terminal.is_empty()));
}

/// A report of shared tables is the report of borrowed ones: rows (lines, amounts, fees,
/// nets), summary, per-merchant totals and CSV — on a sample with every fault and on a
/// portfolio.
#[test]
fn shared_tables_give_the_same_report() {
    use super::simulation::{generate_portfolio, PortfolioOptions};
    use std::sync::Arc;
    let sample = generate(&SimulationOptions::new(5).trades(2_500)).unwrap();
    let portfolio = generate_portfolio(&PortfolioOptions::new(3).merchants(12).trades_per_merchant(200)).unwrap();
    let cases = [
        (sample.ledger, sample.statement, sample.options),
        (portfolio.ledger, portfolio.statement, ReconcileOptions::portfolio(portfolio.registry).unwrap()),
    ];
    for (ledger, statement, options) in cases {
        let copied = reconcile(&ledger, &statement, &options).unwrap();
        let (ledger, statement) = (Arc::new(ledger), Arc::new(statement));
        let shared = reconcile_shared(Arc::clone(&ledger), Arc::clone(&statement), &options).unwrap();
        assert!(copied.len() > 2_000);
        assert!(copied.rows().eq(shared.rows()));
        assert!(shared.rows().any(|row| row.fee.is_some_and(|fee| fee != Money::ZERO) && row.line > 2));
        assert_eq!(copied.summary, shared.summary);
        assert_eq!(shared.summary.merchants.is_empty(), options.merchants.is_none());
        assert_eq!(copied.to_csv(&ledger, &statement), shared.to_csv(&ledger, &statement));
        assert_eq!(copied, shared);
    }
}

mod terminal_merchants {
    use super::super::terminal_merchants;
    use crate::reconcile::TerminalMerchants;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// The terminals of the summary as a map of sets would give them: every terminal named by a
    /// row with any of the three, its non-empty numbers and names, each sorted and once.
    fn by_maps(seen: &[(&str, &str, &str)]) -> Vec<TerminalMerchants> {
        let mut terminals: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
        for &(terminal, number, name) in seen.iter().filter(|&&(t, n, m)| !(t.is_empty() && n.is_empty() && m.is_empty())) {
            let entry = terminals.entry(terminal).or_default();
            if !number.is_empty() {
                entry.0.insert(number);
            }
            if !name.is_empty() {
                entry.1.insert(name);
            }
        }
        terminals
            .into_iter()
            .map(|(terminal, (numbers, names))| TerminalMerchants {
                terminal: terminal.to_string(),
                merchant_numbers: numbers.into_iter().map(str::to_string).collect(),
                merchant_names: names.into_iter().map(str::to_string).collect(),
            })
            .collect()
    }

    proptest! {
        #[test]
        fn each_terminal_lists_its_numbers_and_names_sorted_once(
            seen in prop::collection::vec((
                prop::sample::select(vec!["", "T1", "T10", "T2", "终端", "t1"]),
                prop::sample::select(vec!["", "8001", "8002", "800", "9"]),
                prop::sample::select(vec!["", "店", "Shop", "shop", "店A", "Shop "]),
            ), 0..60)
        ) {
            // The distinct triples, in any order (as a hash set hands them over).
            let mut distinct: Vec<(&str, &str, &str)> = seen.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
            distinct.reverse();
            prop_assert_eq!(terminal_merchants(distinct), by_maps(&seen));
        }
    }

    #[test]
    fn a_terminal_with_two_numbers_and_names_and_a_row_without_a_terminal() {
        let found =
            terminal_merchants(vec![("T2", "9", "b"), ("", "", ""), ("T1", "8", "a"), ("T2", "8", ""), ("", "7", ""), ("T2", "", "a")]);
        let listed: Vec<(&str, Vec<&str>, Vec<&str>)> = found
            .iter()
            .map(|t| {
                (
                    t.terminal.as_str(),
                    t.merchant_numbers.iter().map(String::as_str).collect(),
                    t.merchant_names.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(listed, vec![("", vec!["7"], vec![]), ("T1", vec!["8"], vec!["a"]), ("T2", vec!["8", "9"], vec!["a", "b"])]);
    }
}

/// A portfolio: each row's contract is the same whether the terminals and merchant numbers are
/// held once a value (the file readers' and `push`'s way: each value looked up in the registry
/// once) or row by row (shared text: each row's looked up); and each merchant's totals, summed
/// on all cores over parts of the rows, are the totals of its rows.
#[test]
fn a_portfolio_resolves_alike_from_either_columns_and_totals_each_merchants_rows() {
    use super::simulation::{generate_portfolio, PortfolioOptions};
    let portfolio = generate_portfolio(&PortfolioOptions::new(4).merchants(30).trades_per_merchant(2_400)).unwrap();
    let (ledger, statement) = (&portfolio.ledger, &portfolio.statement);
    assert!(ledger.len() > 2 * 32_768 && statement.len() > 2 * 32_768, "more than two parts a side");
    let ledger_rows: Vec<LedgerRecord> = (0..ledger.len()).map(|i| ledger.record(i)).collect();
    let statement_rows: Vec<StatementRecord> = (0..statement.len()).map(|j| statement.record(j)).collect();
    let plain_ledger = Ledger::from_columns("l", ledger_columns(&ledger_rows, 1, |_| shared)).unwrap();
    let plain_statement = Statement::from_columns("s", statement_columns(&statement_rows, |_| shared)).unwrap();
    let options = ReconcileOptions::portfolio(portfolio.registry.clone()).unwrap();
    let interned = reconcile(ledger, statement, &options).unwrap();
    let plain = reconcile(&plain_ledger, &plain_statement, &options).unwrap();
    fn contracts(report: &Report) -> Vec<(Side, Option<usize>, Class, &str, &str)> {
        // (Not the unreadable lines, which the columns do not carry.)
        report.rows().filter(|row| row.index.is_some()).map(|row| (row.side, row.index, row.class, row.merchant_no, row.agent)).collect()
    }
    let (a, b) = (contracts(&interned), contracts(&plain));
    assert_eq!(a.len(), b.len());
    if let Some(k) = (0..a.len()).find(|&k| a[k] != b[k]) {
        panic!("row {k}: {:?} from interned columns, {:?} from plain ones", a[k], b[k]);
    }
    assert_eq!(interned.summary.merchants, plain.summary.merchants);
    assert!(interned.rows().any(|row| row.merchant_no.is_empty()), "a row of an unknown terminal");

    // Each merchant's totals from its rows, one by one (its name is not among a row's).
    let mut by_rows: std::collections::BTreeMap<&str, MerchantTotals> = std::collections::BTreeMap::new();
    for row in interned.rows().filter(|row| !row.merchant_no.is_empty()) {
        let t = by_rows.entry(row.merchant_no).or_insert_with(|| MerchantTotals {
            merchant_no: row.merchant_no.to_string(),
            agent: row.agent.to_string(),
            ..MerchantTotals::default()
        });
        t.problem_rows += u64::from(row.class.is_problem());
        match row.side {
            Side::Ledger => {
                t.ledger_rows += 1;
                if row.class == Class::NeverSettled {
                    t.never_settled_trades += 1;
                    t.never_settled_amount = t.never_settled_amount + row.amount;
                }
            }
            Side::Statement => {
                t.statement_rows += 1;
                if let (Some(fee), Some(expected)) = (row.fee, row.expected_fee) {
                    if fee > expected {
                        t.overcharge = t.overcharge + (fee - expected);
                    } else {
                        t.undercharge = t.undercharge + (expected - fee);
                    }
                }
                if row.findings.contains(Class::SettledLate) {
                    t.settled_late_trades += 1;
                    t.settled_late_net = t.settled_late_net + row.net.unwrap();
                }
                if row.findings.contains(Class::MerchantDiffers) {
                    t.merchant_differs_trades += 1;
                    t.merchant_differs_amount = t.merchant_differs_amount + row.amount;
                }
            }
        }
    }
    let unnamed: Vec<MerchantTotals> =
        interned.summary.merchants.iter().map(|m| MerchantTotals { name: String::new(), ..m.clone() }).collect();
    assert_eq!(unnamed, by_rows.into_values().collect::<Vec<_>>());
    assert!(
        unnamed.iter().any(|m| m.never_settled_trades > 0 && m.overcharge > Money::ZERO),
        "never-settled trades and overcharges among them"
    );
    assert!(interned.summary.merchants.iter().all(|m| !m.name.is_empty()));
}

/// A merchant whose contract changes its name: its totals carry the name of the contract of
/// its first row (the ledger's first), not of its first contract; a merchant of the statement
/// alone, its first statement row's.
#[test]
fn a_merchants_totals_carry_the_name_of_its_first_rows_contract() {
    let registry = Registry::from_csv(
        "merchant_no,name,schedule,terminals,from,until\n\
         102310058120001,Old Name,standard,T1,,2026-03-10\n\
         102310058120001,New Name,standard,T1,2026-03-10,\n\
         102310058120002,Second,standard,T2,,2026-03-10\n\
         102310058120002,Second Renamed,standard,T2,2026-03-10,\n",
        "m.csv",
        crate::Schedule::preset,
    )
    .unwrap();
    let mut ledger = Ledger::new("l");
    let mut statement = Statement::new("s");
    for (rrn, terminal, at) in [("100000000001", "T1", "2026-03-12 10:00:00"), ("100000000002", "T1", "2026-03-05 10:00:00")] {
        let mut record = LedgerRecord::new(format!("A{rrn}"), parse_china_time(at).unwrap(), Money::from_yuan(100), Channel::Debit);
        (record.rrn, record.terminal) = (rrn.into(), terminal.into());
        ledger.push(record).unwrap();
    }
    for (rrn, terminal, at) in [("200000000001", "T2", "2026-03-12 10:00:00"), ("200000000002", "T2", "2026-03-05 10:00:00")] {
        let time = parse_china_time(at).unwrap();
        let mut record = StatementRecord::new(time.date_naive(), time, Money::from_yuan(100), Money::from_fen(55), Channel::Debit);
        (record.rrn, record.terminal) = (rrn.into(), terminal.into());
        statement.push(record).unwrap();
    }
    let report = reconcile(&ledger, &statement, &ReconcileOptions::portfolio(registry).unwrap()).unwrap();
    let names: Vec<(&str, &str, u64, u64)> =
        report.summary.merchants.iter().map(|m| (m.merchant_no.as_str(), m.name.as_str(), m.ledger_rows, m.statement_rows)).collect();
    assert_eq!(names, vec![("102310058120001", "New Name", 2, 0), ("102310058120002", "Second Renamed", 0, 2)]);
}

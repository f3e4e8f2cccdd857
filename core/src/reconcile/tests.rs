//! Tests of the reconcile module: the seeded simulation, one test per class, readers.

use super::simulation::{generate, SimulationOptions};
use super::*;
use crate::settlement::{parse_china_time, parse_date};

/// Reconciles a simulated sample and compares every row with the answer key.
fn check_seed(seed: u64, trades: usize) {
    let sample = generate(&SimulationOptions::new(seed).trades(trades))
        .unwrap_or_else(|e| panic!("seed {seed}: generate failed: {e}"));
    let report = reconcile(&sample.ledger, &sample.statement, &sample.options)
        .unwrap_or_else(|e| panic!("seed {seed}: reconcile failed: {e}"));
    let (ledger_key, statement_key) = sample.key.maps();
    let mut failures = Vec::new();
    for row in &report.rows {
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
    assert_eq!(
        unreadable,
        sample.key.unreadable.0 + sample.key.unreadable.1,
        "seed {seed}: unreadable lines"
    );
    assert!(
        failures.is_empty(),
        "seed {seed} ({trades} trades): {} rows misclassified:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every injected class is present at this size.
    for class in Class::ALL {
        if trades >= 2_000 && class != Class::Ok {
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
    let seeds: u64 = std::env::var("POSFEE_SIM_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40);
    for seed in 0..seeds {
        check_seed(seed, 2_000 + (seed as usize % 7) * 300);
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
    let statement = read_bank_csv(
        statement_csv.as_bytes(),
        "statement.csv",
        &ColumnMap::default(),
    )
    .unwrap();
    assert!(ledger.issues().is_empty() && statement.issues().is_empty());
    let direct = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
    let via_files = reconcile(&ledger, &statement, &sample.options).unwrap();
    let classes = |r: &Report| {
        r.rows
            .iter()
            .filter(|r| r.index.is_some())
            .map(|r| r.class)
            .collect::<Vec<_>>()
    };
    assert_eq!(classes(&direct), classes(&via_files));
}

fn options() -> ReconcileOptions {
    ReconcileOptions::new(
        crate::Schedule::preset("sft-traditional").unwrap(),
        MerchantProfile::new("102310058120001", "沪上小馆").unwrap(),
    )
}

fn purchase(id: &str, rrn: &str, at: &str, yuan: &str, channel: crate::Channel) -> LedgerRecord {
    let mut record = LedgerRecord::new(
        id,
        parse_china_time(at).unwrap(),
        crate::Money::parse_amount(yuan).unwrap(),
        channel,
    );
    record.rrn = rrn.to_string();
    record.terminal = "T0000001".to_string();
    record
}

fn settled(
    rrn: &str,
    at: &str,
    yuan: &str,
    fee: &str,
    date: &str,
    channel: crate::Channel,
) -> StatementRecord {
    let amount = crate::Money::parse_amount(yuan).unwrap();
    let mut row = StatementRecord::new(
        parse_date(date).unwrap(),
        parse_china_time(at).unwrap(),
        amount,
        crate::Money::parse(fee).unwrap(),
        channel,
    );
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

#[test]
fn each_pair_class() {
    let l = || purchase("A", "000000000001", "2026-03-02 10:00", "1000", Credit);
    let case = |row: StatementRecord| one_pair(l(), row).rows[0].class;
    // 0.6% of ¥1000 = ¥6, T1 from Monday 2026-03-02 → 2026-03-03.
    assert_eq!(
        case(settled(
            "000000000001",
            "2026-03-02 10:00",
            "1000",
            "6",
            "2026-03-03",
            Credit
        )),
        Class::Ok
    );
    assert_eq!(
        case(settled(
            "000000000001",
            "2026-03-02 10:00",
            "999",
            "5.99",
            "2026-03-03",
            Credit
        )),
        Class::AmountDiffers
    );
    assert_eq!(
        case(settled(
            "000000000001",
            "2026-03-02 10:00",
            "1000",
            "9",
            "2026-03-03",
            Credit
        )),
        Class::ExtraFee
    );
    assert_eq!(
        case(settled(
            "000000000001",
            "2026-03-02 10:00",
            "1000",
            "6.83",
            "2026-03-03",
            Credit
        )),
        Class::FeeAbove
    );
    assert_eq!(
        case(settled(
            "000000000001",
            "2026-03-02 10:00",
            "1000",
            "5.99",
            "2026-03-03",
            Credit
        )),
        Class::FeeBelow
    );
    let mut net = settled(
        "000000000001",
        "2026-03-02 10:00",
        "1000",
        "6",
        "2026-03-03",
        Credit,
    );
    net.net = crate::Money::from_yuan(990);
    assert_eq!(case(net), Class::NetDiffers);
    assert_eq!(
        case(settled(
            "000000000001",
            "2026-03-02 10:00",
            "1000",
            "6",
            "2026-03-05",
            Credit
        )),
        Class::SettledLate
    );
    let mut jumped = settled(
        "000000000001",
        "2026-03-02 10:00",
        "1000",
        "6",
        "2026-03-03",
        Credit,
    );
    jumped.merchant_no = "102310054110007".to_string();
    let report = one_pair(l(), jumped);
    assert_eq!(report.rows[0].class, Class::MerchantDiffers);
    assert!(
        report.rows[0].reason.contains("MCC 5411"),
        "{}",
        report.rows[0].reason
    );
    // Several findings: the first is the class, all are listed.
    let report = one_pair(
        l(),
        settled(
            "000000000001",
            "2026-03-02 10:00",
            "1000",
            "6.83",
            "2026-03-05",
            Credit,
        ),
    );
    assert_eq!(
        report.rows[1].findings.iter().collect::<Vec<_>>(),
        vec![Class::FeeAbove, Class::SettledLate]
    );
}

#[test]
fn unmatched_declined_voided_duplicates() {
    let mut ledger = Ledger::new("l");
    ledger
        .push(purchase(
            "A",
            "000000000001",
            "2026-03-02 10:00",
            "100",
            Debit,
        ))
        .unwrap(); // never settled
    let mut declined = purchase("B", "000000000002", "2026-03-02 10:01", "100", Debit);
    declined.response_code = "51".into();
    ledger.push(declined).unwrap();
    let mut unknown = purchase("C", "000000000003", "2026-03-02 10:02", "100", Debit);
    unknown.response_code = "83".into();
    ledger.push(unknown).unwrap();
    ledger
        .push(purchase(
            "D",
            "000000000004",
            "2026-03-02 10:03",
            "100",
            Debit,
        ))
        .unwrap(); // voided
    let mut void = purchase("E", "000000000005", "2026-03-02 10:04", "100", Debit);
    void.kind = crate::TradeKind::Void;
    void.original_rrn = "000000000004".into();
    ledger.push(void).unwrap();
    ledger
        .push(purchase(
            "F",
            "000000000006",
            "2026-03-02 10:05",
            "100",
            Debit,
        ))
        .unwrap();
    ledger
        .push(purchase(
            "F",
            "000000000006",
            "2026-03-02 10:05",
            "100",
            Debit,
        ))
        .unwrap(); // duplicate
    let mut statement = Statement::new("s");
    statement
        .push(settled(
            "000000000006",
            "2026-03-02 10:05",
            "100",
            "0.55",
            "2026-03-03",
            Debit,
        ))
        .unwrap();
    statement
        .push(settled(
            "000000000006",
            "2026-03-02 10:05",
            "100",
            "0.55",
            "2026-03-03",
            Debit,
        ))
        .unwrap(); // duplicate
    statement
        .push(settled(
            "000000000009",
            "2026-03-02 11:00",
            "50",
            "0.28",
            "2026-03-03",
            Debit,
        ))
        .unwrap(); // no ledger trade
    statement
        .push(settled(
            "000000000004",
            "2026-03-02 10:03",
            "100",
            "0.55",
            "2026-03-03",
            Debit,
        ))
        .unwrap(); // settles a voided trade
    let report = reconcile(&ledger, &statement, &options()).unwrap();
    let classes: Vec<Class> = report.rows.iter().map(|r| r.class).collect();
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
        ]
    );
    assert!(report.rows[10].reason.contains("voided"));
    let declined = &report.summary.declined;
    assert_eq!(declined.len(), 2);
    assert_eq!(declined[0].meaning.en, "insufficient funds");
    assert_eq!(declined[1].meaning.en, "transaction failed (code 83)");
    assert_eq!(
        report.summary.class(Class::NeverSettled).ledger_amount,
        crate::Money::from_yuan(100)
    );
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
    statement
        .push(settled(
            "",
            "2026-03-02 10:00:40",
            "10",
            "0.04",
            "2026-03-03",
            Wechat,
        ))
        .unwrap();
    statement
        .push(settled(
            "",
            "2026-03-02 10:00:05",
            "10",
            "0.04",
            "2026-03-03",
            Wechat,
        ))
        .unwrap();
    statement
        .push(settled(
            "",
            "2026-03-02 10:09:00",
            "10",
            "0.04",
            "2026-03-03",
            Wechat,
        ))
        .unwrap(); // outside the window
    let report = reconcile(&ledger, &statement, &options()).unwrap();
    assert_eq!(report.rows[0].partner, Some(1));
    assert_eq!(report.rows[1].partner, Some(0));
    assert_eq!(report.rows[0].matched_by, Some(MatchedBy::TimeWindow));
    assert_eq!(report.rows[4].class, Class::NoLedgerTrade);
}

#[test]
fn refunds_follow_the_refund_policy() {
    let mut ledger = Ledger::new("l");
    ledger
        .push(purchase(
            "A",
            "000000000001",
            "2026-03-02 10:00",
            "1000",
            Credit,
        ))
        .unwrap();
    let mut refund = purchase("R", "000000000002", "2026-03-04 10:00", "250", Credit);
    refund.kind = crate::TradeKind::Refund;
    refund.original_rrn = "000000000001".into();
    ledger.push(refund).unwrap();
    let build = |fee: &str| {
        let mut statement = Statement::new("s");
        statement
            .push(settled(
                "000000000001",
                "2026-03-02 10:00",
                "1000",
                "6",
                "2026-03-03",
                Credit,
            ))
            .unwrap();
        let mut row = settled(
            "000000000002",
            "2026-03-04 10:00",
            "250",
            fee,
            "2026-03-05",
            Credit,
        );
        row.kind = crate::TradeKind::Refund;
        row.net = -row.amount - row.fee;
        statement.push(row).unwrap();
        statement
    };
    let keep = reconcile(&ledger, &build("0"), &options()).unwrap();
    assert_eq!(keep.rows[1].class, Class::Ok, "{}", keep.rows[1].reason);
    let mut proportional = options();
    proportional.schedule = proportional
        .schedule
        .with_refund_policy(crate::RefundPolicy::Proportional);
    let back = reconcile(&ledger, &build("-1.50"), &proportional).unwrap();
    assert_eq!(back.rows[1].class, Class::Ok, "{}", back.rows[1].reason);
    let not_back = reconcile(&ledger, &build("0"), &proportional).unwrap();
    assert_eq!(not_back.rows[1].class, Class::FeeAbove);
}

#[test]
fn report_exports_and_rates() {
    let sample = generate(&SimulationOptions::new(9).trades(2_000)).unwrap();
    let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
    let csv = report.to_csv();
    assert_eq!(csv.lines().count(), report.rows.len() + 1);
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), report.rows.len());
    assert!(json["summary"]["overcharge"].is_string());
    assert!(report
        .summary
        .daily_rates
        .iter()
        .all(|d| d.rate.ends_with('%')));
    let jumped = report
        .summary
        .terminals
        .iter()
        .any(|t| t.merchant_numbers.len() > 1);
    assert!(jumped);
    assert!(report.summary.overcharge > crate::Money::ZERO);
    let table = report.summary.table();
    assert!(
        table.contains("fee_above") && table.contains("跳码"),
        "{table}"
    );
}

#[test]
fn fee_kernel_agrees_with_quote() {
    let at = parse_china_time("2026-03-02 10:00").unwrap();
    for preset in crate::presets() {
        let schedule = crate::Schedule::preset(preset).unwrap();
        for settlement in [
            crate::SettlementMode::T(1),
            crate::SettlementMode::D(0),
            crate::SettlementMode::S0,
        ] {
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
                for mode in [crate::RoundingMode::HalfUp, crate::RoundingMode::HalfEven, crate::RoundingMode::Up, crate::RoundingMode::Down] {
                    for scale in [2, 3, 5] {
                        let rounded = schedule.with_rounding(crate::Rounding::new(mode, scale).unwrap());
                        let kernel = FeeKernel::new(&rounded, at, None, settlement).unwrap();
                        kernel.fees_millifen(&amounts, &[channel; 13], &mut column).unwrap();
                        for (fen, from_column) in amounts.into_iter().zip(column) {
                            let request = crate::QuoteRequest::new(crate::Money::from_fen(fen), channel, at).settlement(settlement);
                            assert_eq!(from_column, rounded.quote(&request).unwrap().fee.millifen(), "{preset} {mode} {scale} {channel} {fen}");
                        }
                    }
                }
            }
        }
    }
}

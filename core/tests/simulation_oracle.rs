//! The seeded simulation against the independent oracle: over presets, settlement modes,
//! merchant classes and months (Spring Festival 2026, National Day 2016 and 2026), every
//! clean statement row's fee and settlement date is the oracle's, reconciliation puts every
//! row in the class of the answer key, and the summary's totals add up.

mod oracle;

use std::collections::HashMap;

use posfee::reconcile::simulation::{generate, SimulationOptions};
use posfee::reconcile::{reconcile, Class, Side};
use posfee::{Money, SettlementMode, TradeKind};

use oracle::{Days, Settle, Trade};

struct Case {
    preset: &'static str,
    settlement: SettlementMode,
    class: Option<&'static str>,
    month: (i32, u32),
}

const CASES: [Case; 7] = [
    Case { preset: "sft-traditional", settlement: SettlementMode::T(1), class: None, month: (2026, 3) },
    Case { preset: "sft-traditional", settlement: SettlementMode::T(1), class: None, month: (2026, 2) },
    Case { preset: "standard-d0", settlement: SettlementMode::D(0), class: None, month: (2026, 10) },
    Case { preset: "standard-d0", settlement: SettlementMode::S0, class: None, month: (2026, 2) },
    Case { preset: "standard", settlement: SettlementMode::T(0), class: Some("discounted"), month: (2026, 10) },
    Case { preset: "sft-esign", settlement: SettlementMode::T(2), class: None, month: (2026, 1) },
    Case { preset: "sft-smart", settlement: SettlementMode::D(1), class: None, month: (2016, 10) },
];

#[test]
fn simulated_clean_rows_are_priced_and_dated_as_the_oracle_says() {
    let days = Days::china();
    let mut checked_purchases = 0;
    let mut checked_refunds = 0;
    let mut after_a_break = 0;
    for case in &CASES {
        let model = oracle::Schedule::from_toml(posfee::preset_toml(case.preset).unwrap()).unwrap();
        let settle = Settle::parse(&case.settlement.to_string()).unwrap();
        for seed in [3u64, 41] {
            let mut options = SimulationOptions::new(seed).trades(2_500).preset(case.preset).settlement(case.settlement);
            if let Some(class) = case.class {
                options = options.merchant_class(class);
            }
            let options = options.month(case.month.0, case.month.1).unwrap();
            let label = format!("{} {} {:?} {:?} seed {seed}", case.preset, case.settlement, case.class, case.month);
            let sample = generate(&options).unwrap_or_else(|e| panic!("{label}: {e}"));
            let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
            let (ledger_key, statement_key) = sample.key.maps();

            // Every row lands in the class of the answer key.
            for row in report.rows() {
                let Some(index) = row.index else { continue };
                let expected = match row.side {
                    Side::Ledger => ledger_key.get(&index).copied().unwrap_or(Class::Ok),
                    Side::Statement => statement_key.get(&index).copied().unwrap_or(Class::Ok),
                };
                assert_eq!(row.class, expected, "{label}: {:?} row {index}: {}", row.side, row.reason);
            }
            // Every injected fault class is present.
            for class in [Class::FeeAbove, Class::FeeBelow, Class::SettledLate, Class::NeverSettled, Class::NoLedgerTrade] {
                assert!(sample.key.ledger.iter().chain(&sample.key.statement).any(|(_, c)| *c == class), "{label}: no {class:?}");
            }

            // Clean rows: the oracle's fee and settlement date.
            let purchases_by_rrn: HashMap<String, usize> = (0..sample.ledger.len())
                .map(|i| (i, sample.ledger.record(i)))
                .filter(|(_, r)| r.kind == TradeKind::Purchase && r.response_code == "00")
                .map(|(i, r)| (r.rrn, i))
                .collect();
            for row in report.rows_in(Class::Ok).filter(|r| r.side == Side::Statement) {
                let line = sample.statement.record(row.index.unwrap());
                let ledger = sample.ledger.record(row.partner.expect("a matched row"));
                let trade_of = |record: &posfee::reconcile::LedgerRecord| Trade {
                    amount: i128::from(record.amount.millifen()),
                    channel: record.channel.name().to_string(),
                    at: record.time.timestamp(),
                    settle,
                    class: case.class.map(str::to_string),
                    card: None,
                };
                match line.kind {
                    TradeKind::Purchase => {
                        let quoted =
                            model.quote(&trade_of(&ledger), &days).unwrap_or_else(|e| panic!("{label}: oracle {e} for {ledger:?}"));
                        assert_eq!(i128::from(line.fee.millifen()), quoted.priced.fee, "{label}: fee of {line:?}");
                        assert_eq!(line.net, line.amount - line.fee, "{label}: net of {line:?}");
                        assert_eq!(line.settlement_date, quoted.settles_on, "{label}: date of {line:?}");
                        if (quoted.settles_on - quoted.trade_day).num_days() > 5 {
                            after_a_break += 1;
                        }
                        checked_purchases += 1;
                    }
                    TradeKind::Refund => {
                        let purchase = sample.ledger.record(purchases_by_rrn[&ledger.original_rrn]);
                        let (returned, _, on) = model
                            .refund(&trade_of(&purchase), i128::from(ledger.amount.millifen()), ledger.time.timestamp(), &days)
                            .unwrap_or_else(|e| panic!("{label}: oracle {e} for the refund {ledger:?}"));
                        assert_eq!(i128::from(-line.fee.millifen()), returned, "{label}: returned fee of {line:?}");
                        assert_eq!(line.settlement_date, on, "{label}: date of {line:?}");
                        checked_refunds += 1;
                    }
                    TradeKind::Void => panic!("{label}: a void on the statement"),
                }
            }

            // Conservation: the class totals add up to the inputs.
            let summary = &report.summary;
            let statement_amount: Money = (0..sample.statement.len()).map(|j| sample.statement.record(j).amount).sum();
            let statement_fee: Money = (0..sample.statement.len()).map(|j| sample.statement.record(j).fee).sum();
            let ledger_amount: Money = (0..sample.ledger.len()).map(|i| sample.ledger.record(i).amount).sum();
            assert_eq!(summary.statement_amount, statement_amount, "{label}");
            assert_eq!(summary.statement_fee, statement_fee, "{label}");
            assert_eq!(summary.ledger_amount, ledger_amount, "{label}");
            assert_eq!(summary.classes.iter().map(|c| c.statement_amount).sum::<Money>(), statement_amount, "{label}");
            assert_eq!(summary.classes.iter().map(|c| c.statement_fee).sum::<Money>(), statement_fee, "{label}");
            assert_eq!(summary.classes.iter().map(|c| c.ledger_amount).sum::<Money>(), ledger_amount, "{label}");
            assert_eq!(summary.classes.iter().map(|c| c.ledger_rows).sum::<u64>(), sample.ledger.len() as u64, "{label}");
            assert_eq!(summary.classes.iter().map(|c| c.statement_rows).sum::<u64>(), sample.statement.len() as u64, "{label}");
        }
    }
    // 7 cases × 2 seeds × ~2,300 clean purchases.
    assert!(checked_purchases > 25_000, "{checked_purchases} clean purchases checked");
    assert!(checked_refunds > 100, "{checked_refunds} refunds checked");
    // Spring Festival and National Day push T+N dates past the break.
    assert!(after_a_break > 200, "{after_a_break} settlements after a break");
}

#[test]
fn a_month_without_calendar_data_for_its_settlements_is_refused() {
    let options = SimulationOptions::new(1).month(2026, 12).unwrap();
    assert_eq!(generate(&options).unwrap_err().code(), "invalid_request");
    assert!(SimulationOptions::new(1).month(2026, 13).is_err());
    let unknown = SimulationOptions::new(1).preset("standard").merchant_class("hotel");
    assert_eq!(generate(&unknown).unwrap_err().code(), "invalid_request");
    // sft-esign prices no QR: the channel mix leaves WeChat and Alipay out.
    let esign = generate(&SimulationOptions::new(2).trades(500).preset("sft-esign")).unwrap();
    assert!((0..esign.ledger.len()).all(|i| matches!(esign.ledger.record(i).channel, posfee::Channel::Credit | posfee::Channel::Debit)));
}

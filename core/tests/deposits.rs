//! Deposit reconciliation end to end: the seeded simulation over many seeds (every injected
//! fault found, in its class, and nothing flagged on clean data), and the bad-input
//! catalogue of the bank statement reader.

use posfee::reconcile::deposits::simulation::{bank_csv, generate_deposits, DepositSimulationOptions, SHORT_FEE};
use posfee::reconcile::deposits::{
    read_bank_statement, read_bank_statement_file, reconcile_deposits, BankProfile, DepositClass, DepositOptions, BANK_STATEMENT_BYTES_MAX,
};

const SEEDS: u64 = 210;

#[test]
fn every_injected_fault_is_found_in_its_class() {
    for seed in 0..SEEDS {
        let sample = generate_deposits(&DepositSimulationOptions::new(seed)).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let report = reconcile_deposits(&sample.statement, &sample.bank, &sample.options).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let classes: Vec<DepositClass> = report.payouts.iter().map(|p| p.class).collect();
        assert_eq!(classes, sample.key.payouts, "seed {seed}: payouts");
        let bank: Vec<(u64, DepositClass)> = report.bank.iter().map(|b| (b.line, b.class)).collect();
        assert_eq!(bank, sample.key.bank, "seed {seed}: bank rows");
        let count = |class: DepositClass| report.payouts.iter().filter(|p| p.class == class).count();
        // Injected: a withheld batch and a deposit that never came, two short deposits, two
        // late ones, one merged run of 2-3 payouts, one unexplained credit.
        assert_eq!(count(DepositClass::DepositMissing), 2, "seed {seed}");
        assert_eq!(count(DepositClass::DepositShort), 2, "seed {seed}");
        assert_eq!(count(DepositClass::DepositedLate), 2, "seed {seed}");
        assert!((2..=3).contains(&count(DepositClass::DepositMerged)), "seed {seed}");
        assert_eq!(report.summary.class(DepositClass::UnexplainedCredit).bank_rows, 1, "seed {seed}");
        for p in report.payouts.iter().filter(|p| p.class == DepositClass::DepositShort) {
            assert_eq!(p.difference, SHORT_FEE, "seed {seed}");
        }
        // Every problem payout and row has a finding naming it.
        for (k, p) in report.payouts.iter().enumerate().filter(|(_, p)| p.class.is_problem()) {
            assert!(report.findings.iter().any(|f| f.class == p.class && f.payouts.contains(&k)), "seed {seed}: payout {k}");
        }
        let merged = report.findings.iter().filter(|f| f.class == DepositClass::DepositMerged).count();
        assert_eq!(merged, 1, "seed {seed}");
        let short_with_line =
            report.findings.iter().filter(|f| f.class == DepositClass::DepositShort && f.en.contains("deducted on line")).count();
        assert_eq!(short_with_line, 1, "seed {seed}");
        assert!(report.summary.not_arrived > SHORT_FEE + SHORT_FEE, "seed {seed}");
    }
}

#[test]
fn nothing_is_flagged_on_clean_data() {
    for seed in 0..SEEDS {
        let sample = generate_deposits(&DepositSimulationOptions::new(seed).faults(false)).unwrap();
        let report = reconcile_deposits(&sample.statement, &sample.bank, &sample.options).unwrap();
        assert_eq!(report.problems().count(), 0, "seed {seed}: {:?}", report.problems().next());
        assert!(report.payouts.iter().all(|p| matches!(p.class, DepositClass::Deposited | DepositClass::NotChecked)), "seed {seed}");
        assert!(report.summary.not_arrived.is_zero(), "seed {seed}");
    }
}

#[test]
fn the_simulated_bank_file_reads_back_and_gives_the_same_report() {
    let sample = generate_deposits(&DepositSimulationOptions::new(12)).unwrap();
    let text = bank_csv(&sample.bank);
    let bank = read_bank_statement(text.as_bytes(), "simulated-bank.csv", &BankProfile::sniff(text.as_bytes()).unwrap()).unwrap();
    assert_eq!(bank.rows(), sample.bank.rows());
    let a = reconcile_deposits(&sample.statement, &bank, &sample.options).unwrap();
    let b = reconcile_deposits(&sample.statement, &sample.bank, &sample.options).unwrap();
    assert_eq!(a, b);
    assert!(a.to_json().contains("\"deposit_missing\""));
}

#[test]
fn a_late_credit_beyond_the_delay_is_missing_and_unexplained() {
    // Seed 1's first late payout, with the delay cut to 0: on time or nothing.
    let sample = generate_deposits(&DepositSimulationOptions::new(1)).unwrap();
    let options = sample.options.clone().delay_max_business_days(0);
    let report = reconcile_deposits(&sample.statement, &sample.bank, &options).unwrap();
    assert_eq!(report.payouts.iter().filter(|p| p.class == DepositClass::DepositedLate).count(), 0);
    assert!(report.summary.class(DepositClass::UnexplainedCredit).bank_rows >= 3);
}

#[test]
fn options_outside_their_limits_are_refused() {
    let sample = generate_deposits(&DepositSimulationOptions::new(1)).unwrap();
    let base = sample.options.clone();
    let cases: Vec<(DepositOptions, &str)> = vec![
        (base.clone().delay_max_business_days(21), "delay_max_business_days"),
        (base.clone().delay_max_business_days(-1), "delay_max_business_days"),
        (DepositOptions { on_time_business_days: 3, ..base.clone() }, "on_time_business_days"),
        (DepositOptions { merge_payouts_max: 1, ..base.clone() }, "merge_payouts_max"),
        (DepositOptions { merge_payouts_max: 17, ..base.clone() }, "merge_payouts_max"),
        (DepositOptions { short_difference_max: -posfee::Money::from_yuan(1), ..base.clone() }, "short_difference_max"),
        (base.clone().acquirer_text(" "), "acquirer_texts"),
        (DepositOptions { covered_from: posfee::parse_date("2027-01-01").ok(), ..base.clone() }, "covered_from"),
    ];
    for (options, field) in cases {
        let err = reconcile_deposits(&sample.statement, &sample.bank, &options).unwrap_err();
        assert_eq!((err.code(), err.location().field.as_deref()), ("invalid_request", Some(field)), "{err}");
    }
}

/// A row of the bad-input catalogue: what, profile, text, line, column, field, code.
type BadLine<'p> = (&'static str, &'p BankProfile, String, u64, Option<u64>, &'static str, &'static str);

/// The bad-input catalogue of the bank reader.
#[test]
fn bad_bank_lines_are_reported_at_their_line_column_and_field() {
    let cmb = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n";
    let icbc = "交易日期,摘要,记账金额(收入),记账金额(支出),余额,对方户名\n";
    let dir = "交易日期,借贷,发生额,对方户名\n";
    let own = BankProfile::from_toml(
        "name = \"own\"\ntitle = \"t\"\nsource = \"s\"\n[fields]\ndate = { names = [\"交易日期\"] }\namount = { names = [\"发生额\"] }\n\
         direction = { names = [\"借贷\"], credit = [\"贷\"], debit = [\"借\"] }\ncounterparty = { names = [\"对方户名\"] }\n",
    )
    .unwrap();
    let icbc_profile = BankProfile::builtin("icbc-debit").unwrap();
    let cmb_profile = BankProfile::builtin("cmb-debit").unwrap();
    let abc_profile = BankProfile::builtin("abc-debit").unwrap();
    let cases: Vec<BadLine<'_>> = vec![
        ("amount not a number", &cmb_profile, format!("{cmb}2026-11-02,CNY,12.3.4,0,,,\n"), 2, Some(3), "amount", "invalid_amount"),
        ("amount below the fen", &cmb_profile, format!("{cmb}2026-11-02,CNY,1.234,0,,,\n"), 2, None, "amount", "invalid_amount"),
        ("amount beyond the limit", &cmb_profile, format!("{cmb}2026-11-02,CNY,9999999999.00,0,,,\n"), 2, None, "amount", "invalid_amount"),
        ("amount empty", &cmb_profile, format!("{cmb}2026-11-02,CNY,,0,,,\n"), 2, Some(3), "amount", "invalid_record"),
        ("date not a date", &cmb_profile, format!("{cmb}2026-13-02,CNY,1.00,0,,,\n"), 2, Some(1), "date", "invalid_date"),
        ("date empty", &cmb_profile, format!("{cmb},CNY,1.00,0,,,\n"), 2, Some(1), "date", "invalid_record"),
        ("balance not a number", &cmb_profile, format!("{cmb}2026-11-02,CNY,1.00,x,,,\n"), 2, Some(4), "balance", "invalid_amount"),
        (
            "date in the wrong form",
            &abc_profile,
            "交易日期,交易时间,交易摘要,交易金额\n2026-11-02,,转存,+1.00\n".to_string(),
            2,
            Some(1),
            "date",
            "invalid_date",
        ),
        (
            "time not a time",
            &abc_profile,
            "交易日期,交易时间,交易摘要,交易金额\n20261102,256161,转存,+1.00\n".to_string(),
            2,
            Some(2),
            "time",
            "invalid_date",
        ),
        ("both in and out", &icbc_profile, format!("{icbc}2026-11-02,x,1.00,2.00,0,a\n"), 2, Some(4), "debit", "invalid_record"),
        ("neither in nor out", &icbc_profile, format!("{icbc}2026-11-02,x,-,-,0,a\n"), 2, Some(3), "credit", "invalid_record"),
        ("negative money in", &icbc_profile, format!("{icbc}2026-11-02,x,-5.00,,0,a\n"), 2, Some(3), "credit", "invalid_amount"),
        ("unknown direction", &own, format!("{dir}2026-11-02,收,1.00,a\n"), 2, Some(2), "direction", "invalid_record"),
        ("signed amount with a direction", &own, format!("{dir}2026-11-02,贷,-1.00,a\n"), 2, Some(3), "amount", "invalid_amount"),
        ("short row", &cmb_profile, format!("{cmb}2026-11-02,CNY\n"), 2, Some(3), "amount", "invalid_record"),
        (
            "unterminated quote",
            &cmb_profile,
            format!("{cmb}2026-11-02,CNY,\"1.00,0,,,\n2026-11-03,CNY,2.00,0,,,\n"),
            2,
            Some(16),
            "record",
            "invalid_record",
        ),
    ];
    for (what, profile, text, line, column, field, code) in cases {
        let bank = read_bank_statement(text.as_bytes(), "bank.csv", profile).unwrap_or_else(|e| panic!("{what}: {e}"));
        let issue = bank.issues().first().unwrap_or_else(|| panic!("{what}: no issue, rows {:?}", bank.rows()));
        let at = issue.error.location();
        assert_eq!(at.file.as_deref(), Some("bank.csv"), "{what}");
        assert_eq!(at.line, Some(line), "{what}: {}", issue.error);
        if column.is_some() {
            assert_eq!(at.column, column, "{what}: {}", issue.error);
        }
        assert_eq!(at.field.as_deref(), Some(field), "{what}: {}", issue.error);
        assert_eq!(issue.error.code(), code, "{what}: {}", issue.error);
        assert_eq!(bank.issues().len(), 1, "{what}: {:?}", bank.issues());
    }
}

#[test]
fn files_the_reader_refuses_are_errors_naming_the_file() {
    // No header within the search lines: the closest line and the missing columns are named.
    let err =
        read_bank_statement("日期,金额\n2026-11-02,1.00\n".as_bytes(), "x.csv", &BankProfile::builtin("cmb-debit").unwrap()).unwrap_err();
    assert_eq!(err.code(), "invalid_record");
    assert_eq!((err.location().file.as_deref(), err.location().line), (Some("x.csv"), Some(1)));
    assert!(err.to_string().contains("date (记账日期)") && err.to_string().contains("amount (交易金额)"), "{err}");
    // No shipped profile fits: sniffing names the closest.
    let err = read_bank_statement_file(std::env::temp_dir().join("posfee-no-such-bank.csv"), None).unwrap_err();
    assert_eq!(err.code(), "io");
    let path = std::env::temp_dir().join(format!("posfee-unknown-bank-{}.csv", std::process::id()));
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let err = read_bank_statement_file(&path, None).unwrap_err();
    assert!(err.to_string().contains("closest") && err.location().file.is_some(), "{err}");
    // Too large: refused before it is read (a sparse file).
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(BANK_STATEMENT_BYTES_MAX as u64 + 1).unwrap();
    drop(file);
    let err = read_bank_statement_file(&path, None).unwrap_err();
    assert!(err.code() == "invalid_record" && err.to_string().contains("exceeds the limit"), "{err}");
    std::fs::remove_file(&path).unwrap();
}

mod properties {
    use chrono::{Days, NaiveDate};
    use posfee::reconcile::deposits::{reconcile_deposits, BankRow, BankStatement, DepositClass, DepositOptions};
    use posfee::reconcile::{Statement, StatementRecord};
    use posfee::{Calendar, Channel, Money};
    use proptest::prelude::*;

    const MERCHANTS: [&str; 2] = ["102310058120001", "102310054110007"];

    fn day(offset: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, 21).unwrap() + Days::new(offset)
    }

    /// A statement of one purchase row per (day, merchant, amount fen, fee fen).
    fn statement(rows: &[(u64, usize, i64, i64)]) -> Statement {
        let mut statement = Statement::new("s");
        for (k, &(offset, merchant, amount, fee)) in rows.iter().enumerate() {
            let time = posfee::parse_china_time("2026-09-20 10:00").unwrap();
            let mut row = StatementRecord::new(day(offset), time, Money::from_fen(amount), Money::from_fen(fee), Channel::Credit);
            row.merchant_no = MERCHANTS[merchant].to_string();
            row.line = k as u64 + 2;
            statement.push(row).unwrap();
        }
        statement
    }

    fn bank(rows: &[(NaiveDate, i64, bool)]) -> BankStatement {
        let mut bank = BankStatement::new("b");
        let mut sorted = rows.to_vec();
        sorted.sort_by_key(|r| r.0);
        for (k, &(date, fen, acquirer)) in sorted.iter().enumerate() {
            let mut row = BankRow::new(date, Money::from_fen(fen), if acquirer { "拉卡拉支付股份有限公司" } else { "张三" });
            row.line = k as u64 + 2;
            bank.push(row).unwrap();
        }
        bank
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Any statement against any bank rows (National Day 2026 inside the period): a
        /// report that balances (no internal error), every payout and acquirer row in one
        /// class, each class's money consistent, the same report twice.
        #[test]
        fn any_inputs_give_a_balanced_report(
            rows in prop::collection::vec((0u64..20, 0usize..2, 1i64..200_000, 0i64..2_000), 1..40),
            credits in prop::collection::vec((0u64..28, -50_000i64..200_000, any::<bool>()), 0..40),
        ) {
            let statement = statement(&rows);
            let bank = bank(&credits.iter().filter(|c| c.1 != 0).map(|&(d, fen, a)| (day(d), fen, a)).collect::<Vec<_>>());
            let options = DepositOptions::new();
            let report = reconcile_deposits(&statement, &bank, &options).unwrap();
            let again = reconcile_deposits(&statement, &bank, &options).unwrap();
            prop_assert_eq!(&report, &again);
            let groups: std::collections::BTreeSet<(u64, usize)> = rows.iter().map(|r| (r.0, r.1)).collect();
            prop_assert_eq!(report.payouts.len(), groups.len());
            prop_assert_eq!(report.bank.len(), credits.iter().filter(|c| c.1 != 0 && c.2).count());
            for p in &report.payouts {
                match p.class {
                    DepositClass::DepositMissing => prop_assert!(p.received.is_none() && p.difference == p.expected),
                    DepositClass::DepositShort => prop_assert!(p.difference > Money::ZERO),
                    DepositClass::Deposited | DepositClass::DepositedLate | DepositClass::DepositMerged => prop_assert!(p.difference.is_zero()),
                    DepositClass::NotChecked => prop_assert!(p.received.is_none()),
                    other => prop_assert!(false, "payout class {:?}", other),
                }
            }
            let expected: Money = report.payouts.iter().map(|p| p.expected).sum();
            prop_assert_eq!(expected, report.summary.expected);
        }

        /// Payouts of distinct amounts, each posted as one credit 0 to 2 business days after
        /// its due day among rows that are not the acquirer's: every one is found, on time or
        /// late by exactly the delay injected.
        #[test]
        fn payouts_posted_within_the_delay_are_found_with_their_delay(
            days in prop::collection::btree_set(0u64..20, 1..12),
            delays in prop::collection::vec(0i64..=2, 12),
            noise in prop::collection::vec((0u64..28, 1i64..200_000), 0..10),
        ) {
            let calendar = Calendar::china();
            let rows: Vec<(u64, usize, i64, i64)> = days.iter().enumerate().map(|(k, &d)| (d, 0, 100_000 + 137 * k as i64, 600)).collect();
            let statement = statement(&rows);
            let mut postings: Vec<(NaiveDate, i64, bool)> = Vec::new();
            for (k, &(d, _, amount, fee)) in rows.iter().enumerate() {
                let due = calendar.add_business_days(day(d), 0).unwrap();
                postings.push((calendar.add_business_days(due, delays[k]).unwrap(), amount - fee, true));
            }
            postings.extend(noise.iter().map(|&(d, fen)| (day(d), fen, false)));
            let report = reconcile_deposits(&statement, &bank(&postings), &DepositOptions::new()).unwrap();
            for (k, p) in report.payouts.iter().enumerate() {
                let class = if delays[k] == 0 { DepositClass::Deposited } else { DepositClass::DepositedLate };
                prop_assert_eq!(p.class, class, "payout {}", k);
                prop_assert_eq!(p.delay_business_days, Some(delays[k]));
            }
            prop_assert_eq!(report.problems().count(), delays.iter().take(rows.len()).filter(|&&d| d > 0).count());
        }
    }
}

#[test]
fn an_empty_bank_statement_checks_nothing_and_says_why() {
    let sample = generate_deposits(&DepositSimulationOptions::new(4)).unwrap();
    let bank = posfee::reconcile::deposits::BankStatement::new("empty.csv");
    let report = reconcile_deposits(&sample.statement, &bank, &DepositOptions::new()).unwrap();
    assert!(report.payouts.iter().all(|p| p.class == DepositClass::NotChecked), "{:?}", report.payouts[0]);
    assert!(report.payouts[0].reason.contains("it has no rows"), "{}", report.payouts[0].reason);
    assert_eq!(report.problems().count(), 0);
    assert_eq!((report.summary.covered_from, report.summary.as_of), (None, None));
    let note = &report.findings[0];
    assert_eq!(note.class, DepositClass::NotChecked);
    assert!(note.en.contains("was not checked") && note.zh.contains("晚于银行流水的最后一天"), "{} / {}", note.en, note.zh);
}

/// The JL Pay sample (batch numbers on card rows, none on QR rows) and its expected rows'
/// nets summed here by settlement date, merchant number and batch number.
fn jlpay_statement_and_payouts() -> (posfee::reconcile::Statement, Vec<(String, String, String, posfee::Money)>) {
    use posfee::reconcile::{read_statement, Profile};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/jlpay-detail");
    let bytes = std::fs::read(dir.join("sample.txt")).unwrap();
    let statement = read_statement(&bytes, "sample.txt", &Profile::builtin("jlpay-detail").unwrap()).unwrap();
    let mut sums: std::collections::BTreeMap<(String, String, String), posfee::Money> = Default::default();
    for row in csv::Reader::from_path(dir.join("expected.csv")).unwrap().records() {
        let row = row.unwrap();
        let key = (row[1].to_string(), row[10].to_string(), row[11].to_string());
        let sum = sums.entry(key).or_insert(posfee::Money::ZERO);
        *sum = *sum + posfee::Money::parse(&row[5]).unwrap();
    }
    (statement, sums.into_iter().map(|((date, merchant, batch), net)| (date, merchant, batch, net)).collect())
}

fn acquirer_row(date: &str, amount: posfee::Money) -> posfee::reconcile::deposits::BankRow {
    posfee::reconcile::deposits::BankRow::new(posfee::parse_date(date).unwrap(), amount, "嘉联支付有限公司")
}

#[test]
fn payouts_are_grouped_by_batch_where_the_statement_shows_one() {
    use posfee::reconcile::deposits::BankStatement;
    let (statement, expected) = jlpay_statement_and_payouts();
    assert_eq!(expected.len(), 4, "two batches and the QR rows without one on 05-06, one batch on 05-07");
    // The acquirer pays each batch on its own, on the settlement date.
    let mut bank = BankStatement::new("bank.csv");
    for (date, _, _, net) in &expected {
        bank.push(acquirer_row(date, *net)).unwrap();
    }
    let options = DepositOptions::new().as_of(posfee::parse_date("2026-05-12").unwrap());
    let report = reconcile_deposits(&statement, &bank, &options).unwrap();
    let seen: Vec<(String, String, String, posfee::Money)> =
        report.payouts.iter().map(|p| (p.settlement_date.to_string(), p.merchant_no.clone(), p.batch.clone(), p.expected)).collect();
    assert_eq!(seen, expected);
    assert!(report.payouts.iter().all(|p| p.class == DepositClass::Deposited), "{:?}", report.payouts);
    assert!(report.to_csv().lines().nth(1).unwrap().contains(",849440358120A07,,"), "{}", report.to_csv());

    // Without batch grouping the day's two payments of merchant A07 are one payout, paid by
    // two credits: the larger reads as short, the other as unexplained.
    let mut by_day = options.clone();
    by_day.group_by_batch = false;
    let report = reconcile_deposits(&statement, &bank, &by_day).unwrap();
    assert_eq!(report.payouts.len(), 3);
    assert_eq!(report.payouts[0].class, DepositClass::DepositShort);
    assert_eq!(report.summary.class(DepositClass::UnexplainedCredit).bank_rows, 1);

    // An acquirer that pays a merchant's day in one sum: the batches show as one merged deposit.
    let mut daily = BankStatement::new("bank.csv");
    daily.push(acquirer_row("2026-05-06", expected[0].3 + expected[1].3)).unwrap();
    for (date, _, _, net) in &expected[2..] {
        daily.push(acquirer_row(date, *net)).unwrap();
    }
    let report = reconcile_deposits(&statement, &daily, &options).unwrap();
    let classes: Vec<DepositClass> = report.payouts.iter().map(|p| p.class).collect();
    assert_eq!(classes, [DepositClass::DepositMerged, DepositClass::DepositMerged, DepositClass::Deposited, DepositClass::Deposited]);
    let merged = report.findings.iter().find(|f| f.class == DepositClass::DepositMerged).unwrap();
    assert_eq!(merged.payouts, [0, 1]);
}

const STATEMENT_WITH_DEDUCTION: &str =
    "清算日期,商户号,终端号,批次号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\r\n\
20261102,898440358120017,80010001,000031,20261101,093012,12420.00,74.52,12345.48,126093012001,贷记卡,消费\r\n\
20261102,898440358120017,,,20261102,000000,99.00,0.00,-99.00,,,流量费\r\n\
20261103,898440358120017,80010001,000032,20261102,101544,5000.00,30.00,4970.00,126101544002,借记卡,消费\r\n";

#[test]
fn a_short_deposit_names_the_statements_deduction_line() {
    use posfee::reconcile::{read_statement, Profile};
    let profile = Profile::builtin("bank-pos").unwrap();
    let statement = read_statement(STATEMENT_WITH_DEDUCTION.as_bytes(), "settle.csv", &profile).unwrap();
    assert!(statement.issues().is_empty(), "{:?}", statement.issues());
    assert_eq!(statement.len(), 2, "the deduction line is not a trade");
    let deduction = &statement.deductions()[0];
    assert_eq!((deduction.line, deduction.amount, deduction.text.as_str()), (3, posfee::Money::from_yuan(99), "流量费"));
    assert_eq!(deduction.settlement_date.to_string(), "2026-11-02");

    let bank = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n\
                2026-11-02,CNY,\"12,246.48\",,代发,拉卡拉支付股份有限公司,结算款\n\
                2026-11-03,CNY,\"4,970.00\",,代发,拉卡拉支付股份有限公司,结算款\n";
    let bank = read_bank_statement(bank.as_bytes(), "cmb.csv", &BankProfile::builtin("cmb-debit").unwrap()).unwrap();
    let options = DepositOptions::new().as_of(posfee::parse_date("2026-11-10").unwrap());
    let report = reconcile_deposits(&statement, &bank, &options).unwrap();
    let short = &report.payouts[0];
    assert_eq!((short.class, short.difference, short.batch.as_str()), (DepositClass::DepositShort, SHORT_FEE, "000031"));
    assert_eq!(short.statement_deduction_lines, [3]);
    assert!(short.reason.ends_with("the statement deducts ¥99.00 on line 3 (流量费)"), "{}", short.reason);
    assert_eq!(report.payouts[1].class, DepositClass::Deposited);
    assert_eq!(report.deductions[0].payout, Some(0));
    assert_eq!((report.summary.statement_deductions, report.summary.statement_deductions_explaining), (1, 1));
    let finding = report.findings.iter().find(|f| f.class == DepositClass::DepositShort).unwrap();
    assert_eq!(
        finding.en,
        "¥99.00 less than the statement's net on 2026-11-02: ¥12,246.48 arrived on 2026-11-02 for ¥12,345.48; the statement deducts ¥99.00 on line 3 (流量费)"
    );
    assert!(finding.zh.ends_with("；对账单扣款：第 3 行流量费 ¥99.00"), "{}", finding.zh);
    assert_eq!(finding.statement_lines, [2, 3]);
    assert!(
        report.to_csv().contains("deduction,0,3,statement_deduction,2026-11-02,898440358120017,,99.00,,,,,0,,流量费"),
        "{}",
        report.to_csv()
    );

    // Paid in full: the deduction line explains nothing, and stays in the report.
    let full = "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n\
                2026-11-02,CNY,\"12,345.48\",,代发,拉卡拉支付股份有限公司,结算款\n\
                2026-11-03,CNY,\"4,970.00\",,代发,拉卡拉支付股份有限公司,结算款\n";
    let full = read_bank_statement(full.as_bytes(), "cmb.csv", &BankProfile::builtin("cmb-debit").unwrap()).unwrap();
    let report = reconcile_deposits(&statement, &full, &options).unwrap();
    assert!(report.payouts.iter().all(|p| p.class == DepositClass::Deposited && p.statement_deduction_lines.is_empty()));
    assert_eq!(report.deductions[0].payout, None);

    // A deduction line of another amount: the short deposit keeps its hint and no line.
    let other = STATEMENT_WITH_DEDUCTION.replace("99.00,0.00,-99.00", "50.00,0.00,-50.00");
    let statement = read_statement(other.as_bytes(), "settle.csv", &profile).unwrap();
    let report = reconcile_deposits(&statement, &bank, &options).unwrap();
    assert!(report.payouts[0].statement_deduction_lines.is_empty());
    assert!(report.findings.iter().any(|f| f.en.contains("(流量费?)")));

    // A deduction line without an amount is an unreadable line naming its field.
    let bad = STATEMENT_WITH_DEDUCTION.replace("99.00,0.00,-99.00", "abc,0.00,-99.00");
    let statement = read_statement(bad.as_bytes(), "settle.csv", &profile).unwrap();
    assert!(statement.deductions().is_empty());
    let issue = &statement.issues()[0].error;
    assert_eq!((issue.location().line, issue.location().field.as_deref()), (Some(3), Some("amount")), "{issue}");
}

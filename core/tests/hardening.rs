//! Regression tests of issue 10's defects that are about outcomes rather than errors: the
//! class a row lands in, lines that must not vanish, matching that must stay exact and fast
//! whatever the window, and CSV cells a spreadsheet must not run.

use posfee::reconcile::{
    read_bank_csv, read_ledger_csv, reconcile, write_ledger_csv, Class, ColumnMap, Ledger, LedgerRecord, MerchantProfile, ReconcileOptions,
    Statement, StatementRecord, MATCH_WINDOW_SECONDS_MAX,
};
use posfee::{parse_china_time, parse_date, Calendar, CalendarPolicy, Channel, Money, Schedule, TradeKind};
use proptest::prelude::*;

const MERCHANT_NO: &str = "102310058120001";

fn options(preset: &str) -> ReconcileOptions {
    ReconcileOptions::new(Schedule::preset(preset).unwrap(), MerchantProfile::new(MERCHANT_NO, "shop").unwrap())
}

fn trade(id: &str, rrn: &str, at: &str, yuan: i64, channel: Channel) -> LedgerRecord {
    let mut record = LedgerRecord::new(id, parse_china_time(at).unwrap(), Money::from_yuan(yuan), channel);
    record.rrn = rrn.into();
    record.terminal = "T0000001".into();
    record
}

fn settled(rrn: &str, at: &str, settles: &str, yuan: i64, fee: Money, channel: Channel) -> StatementRecord {
    let mut row = StatementRecord::new(parse_date(settles).unwrap(), parse_china_time(at).unwrap(), Money::from_yuan(yuan), fee, channel);
    row.rrn = rrn.into();
    row.terminal = "T0000001".into();
    row.merchant_no = MERCHANT_NO.into();
    row
}

/// A holiday-cn file for 2027 written for this test (New Year's Day only: enough to make
/// 2027-01-04 a known working day).
const HOLIDAY_CN_2027: &str = r#"{"year": 2027, "papers": ["test"], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#;

#[test]
fn a_correct_year_end_trade_is_unchecked_not_a_fee_finding() {
    // Debit ¥5,000 on Thursday 2026-12-31: 0.5% capped at ¥20, T+1 due in 2027.
    let mut ledger = Ledger::new("ledger");
    ledger.push(trade("A1", "612610000001", "2026-12-31 10:00", 5_000, Channel::Debit)).unwrap();
    let mut statement = Statement::new("statement");
    statement.push(settled("612610000001", "2026-12-31 10:00", "2027-01-04", 5_000, Money::from_yuan(20), Channel::Debit)).unwrap();

    let report = reconcile(&ledger, &statement, &options("standard")).unwrap();
    let row = report.row(0).unwrap();
    assert_eq!(row.class, Class::Unchecked, "{}", row.reason);
    assert_eq!(row.expected_fee, Some(Money::from_yuan(20)), "the fee is still checked");
    assert!(row.reason.contains("2027"), "{}", row.reason);
    assert!(!row.reason.contains("with_years_from_toml"), "the reason names no Rust method: {}", row.reason);
    assert_eq!(report.row(1).unwrap().class, Class::Unchecked);
    assert_eq!(report.summary.warnings.len(), 1, "{:?}", report.summary.warnings);
    assert!(report.summary.warnings[0].contains("2026-12-31"));

    // An overcharge at year end is still a fee finding, with the date unchecked as well.
    let mut overcharged = Statement::new("statement");
    overcharged.push(settled("612610000001", "2026-12-31 10:00", "2027-01-04", 5_000, Money::from_yuan(25), Channel::Debit)).unwrap();
    let report = reconcile(&ledger, &overcharged, &options("standard")).unwrap();
    let row = report.row(0).unwrap();
    assert_eq!(row.class, Class::ExtraFee);
    assert!(row.findings.contains(Class::Unchecked));

    // With 2027 loaded (holiday-cn JSON), the same trade is checked and ok; late is late.
    let calendar = Calendar::china().with_years_from_json(HOLIDAY_CN_2027).unwrap();
    let report = reconcile(&ledger, &statement, &options("standard").calendar(calendar.clone())).unwrap();
    assert_eq!(report.row(0).unwrap().class, Class::Ok, "{}", report.row(0).unwrap().reason);
    let mut late = Statement::new("statement");
    late.push(settled("612610000001", "2026-12-31 10:00", "2027-01-06", 5_000, Money::from_yuan(20), Channel::Debit)).unwrap();
    let report = reconcile(&ledger, &late, &options("standard").calendar(calendar)).unwrap();
    assert_eq!(report.row(0).unwrap().class, Class::SettledLate);

    // The provisional policy checks the date by weekends only: it does not know that
    // 2027-01-01 is New Year's Day, so it expects the money that Friday and calls the
    // Monday payout late. That is what the caller chose; loading the notice is the cure.
    let report = reconcile(&ledger, &statement, &options("standard").calendar_policy(CalendarPolicy::WeekendsOnly)).unwrap();
    assert_eq!(report.row(0).unwrap().class, Class::SettledLate);
    assert!(report.row(0).unwrap().reason.contains("2027-01-01"), "{}", report.row(0).unwrap().reason);
}

#[test]
fn a_refund_without_a_net_column_nets_negative() {
    let text = "清算日期,商户号,终端号,交易日期,交易时间,交易金额,手续费,参考号,卡类别,交易类型\n\
                20260507,102310058120001,T0000001,20260506,103000,100.00,0.60,612610000001,贷记卡,消费\n\
                20260508,102310058120001,T0000001,20260507,103000,40.00,0.00,612610000002,贷记卡,退货\n\
                20260508,102310058120001,T0000001,20260507,113000,-30.00,0.00,612610000003,贷记卡,\n";
    let statement = read_bank_csv(text.as_bytes(), "bank.csv", &ColumnMap::default()).unwrap();
    assert_eq!(statement.len(), 3);
    assert_eq!(statement.record(1).kind, TradeKind::Refund);
    assert_eq!(statement.record(1).net, -Money::from_yuan(40));
    assert_eq!(statement.record(2).kind, TradeKind::Refund);
    assert_eq!(statement.record(2).net, -Money::from_yuan(30));

    let mut ledger = Ledger::new("ledger");
    ledger.push(trade("A1", "612610000001", "2026-05-06 10:30", 100, Channel::Credit)).unwrap();
    let mut refund = trade("R1", "612610000002", "2026-05-07 10:30", 40, Channel::Credit);
    refund.kind = TradeKind::Refund;
    refund.original_rrn = "612610000001".into();
    ledger.push(refund).unwrap();
    let report = reconcile(&ledger, &statement, &options("standard")).unwrap();
    for k in 0..2 {
        let row = report.row(k).unwrap();
        assert!(!row.findings.contains(Class::NetDiffers), "row {k}: {}", row.reason);
    }
}

#[test]
fn a_void_without_its_purchase_and_a_settlement_before_the_trade_are_problems() {
    let mut ledger = Ledger::new("ledger");
    let mut void = trade("V1", "612610000009", "2026-05-06 11:00", 100, Channel::Credit);
    void.kind = TradeKind::Void;
    void.original_rrn = "612610000404".into();
    ledger.push(void).unwrap();
    ledger.push(trade("A2", "612610000002", "2026-05-06 12:00", 100, Channel::Credit)).unwrap();
    let mut statement = Statement::new("statement");
    statement.push(settled("612610000002", "2026-05-06 12:00", "2026-05-05", 100, Money::from_fen(60), Channel::Credit)).unwrap();

    let report = reconcile(&ledger, &statement, &options("standard")).unwrap();
    let void_row = report.row(0).unwrap();
    assert_eq!(void_row.class, Class::VoidWithoutOriginal, "{}", void_row.reason);
    assert!(void_row.class.is_problem());
    assert!(void_row.reason.contains("612610000404"));
    let early = report.row(1).unwrap();
    assert_eq!(early.class, Class::SettledBeforeTrade, "{}", early.reason);
    assert!(early.reason.contains("2026-05-05") && early.reason.contains("2026-05-06"));
}

#[test]
fn every_line_of_a_file_with_an_unterminated_quote_is_read_or_reported() {
    // 40 lines: the header, then trades; line 30 opens a quote that never closes.
    let mut text = String::from("trade_id,rrn,terminal,time,amount,channel\r\n");
    for line in 2..=40 {
        let rrn = if line == 30 { "\"6126100000030".to_string() } else { format!("6126100000{line:02}") };
        text.push_str(&format!("A{line},{rrn},T0000001,2026-05-06 10:{:02}:00,1.00,credit\r\n", line % 60));
    }
    let ledger = read_ledger_csv(text.as_bytes(), "ledger.csv").unwrap();
    let mut lines: Vec<u64> = (0..ledger.len()).map(|i| ledger.record(i).line).collect();
    lines.extend(ledger.issues().iter().map(|issue| issue.error.location().line.unwrap()));
    lines.sort_unstable();
    assert_eq!(lines, (2..=40).collect::<Vec<u64>>(), "every data line once, at its true line");
    assert_eq!(ledger.issues().len(), 1);
    assert_eq!(ledger.issues()[0].error.location().line, Some(30));
    assert!(ledger.issues()[0].error.to_string().contains("never closed"));
}

#[test]
fn formula_cells_are_neutralized_in_every_csv_and_read_back_exactly() {
    let mut ledger = Ledger::new("ledger");
    let mut record = trade("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "2026-05-06 10:00", 100, Channel::Credit);
    record.terminal = "@SUM(A1)".into();
    record.merchant_no = "-2+3".into();
    ledger.push(record.clone()).unwrap();

    let text = write_ledger_csv(&ledger);
    for line in text.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(!cell.starts_with(['=', '+', '@']) && !cell.starts_with("-2"), "live formula cell {cell:?} in {line}");
        }
    }
    let back = read_ledger_csv(text.as_bytes(), "ledger.csv").unwrap();
    let read = back.record(0);
    assert_eq!(
        (read.trade_id.as_str(), read.rrn.as_str(), read.terminal.as_str()),
        (record.trade_id.as_str(), record.rrn.as_str(), "@SUM(A1)")
    );
    assert_eq!(read.merchant_no, "-2+3");

    let report = reconcile(&ledger, &Statement::new("statement"), &options("standard")).unwrap();
    let csv = report.to_csv(&ledger, &Statement::new("statement"));
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'+1+cmd"), "{csv}");
    assert!(csv.contains("'@SUM(A1)"), "{csv}");
}

/// Fallback matching as the documented rule says, in the plainest way: ledger rows in
/// (time, row) order each take the closest free statement row within the window, ties to
/// the earlier statement row; a ledger row with a reference only takes a row without one.
///
/// Rows are (time, has a reference, group); a group stands for a terminal and an amount, and a
/// row only takes one of its own group. Rows without a reference that repeat an earlier row's
/// terminal, time, amount and kind are duplicates: they take no part.
fn naive_fallback(ledger: &[(i64, bool, u8)], statement: &[(i64, bool, u8)], window: i64) -> Vec<Option<usize>> {
    let duplicate =
        |rows: &[(i64, bool, u8)], k: usize| !rows[k].1 && rows[..k].iter().any(|r| !r.1 && (r.0, r.2) == (rows[k].0, rows[k].2));
    let mut taken: Vec<bool> = (0..statement.len()).map(|j| duplicate(statement, j)).collect();
    let mut order: Vec<usize> = (0..ledger.len()).filter(|&i| !duplicate(ledger, i)).collect();
    order.sort_by_key(|&i| (ledger[i].0, i));
    let mut partner = vec![None; ledger.len()];
    for i in order {
        let best = (0..statement.len())
            .filter(|&j| !taken[j] && ledger[i].2 == statement[j].2 && (ledger[i].0 - statement[j].0).abs() <= window)
            .filter(|&j| !ledger[i].1 || !statement[j].1)
            .min_by_key(|&j| ((ledger[i].0 - statement[j].0).abs(), j));
        if let Some(j) = best {
            taken[j] = true;
            partner[i] = Some(j);
        }
    }
    partner
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The O(n log n) fallback pairs exactly as the plain quadratic rule, in groups of
    /// terminal and amount (group 0: T0000001 ¥10, 1: T0000001 ¥11, 2: T0000002 ¥10).
    #[test]
    fn fallback_matching_is_the_documented_rule(
        ledger_rows in prop::collection::vec((0i64..600, any::<bool>(), 0u8..3), 0..25),
        statement_rows in prop::collection::vec((0i64..600, any::<bool>(), 0u8..3), 0..25),
        window in 0i64..300,
    ) {
        let base = parse_china_time("2026-05-06 10:00").unwrap();
        let terminal = |group: u8| if group == 2 { "T0000002" } else { "T0000001" };
        let amount = |group: u8| Money::from_yuan(if group == 1 { 11 } else { 10 });
        let mut ledger = Ledger::new("ledger");
        for (k, &(offset, has_rrn, group)) in ledger_rows.iter().enumerate() {
            let mut record = LedgerRecord::new(format!("A{k}"), base + chrono::Duration::seconds(offset), amount(group), Channel::Credit);
            record.terminal = terminal(group).into();
            // Distinct references that never match a statement reference.
            record.rrn = if has_rrn { format!("L{k:011}") } else { String::new() };
            ledger.push(record).unwrap();
        }
        let mut statement = Statement::new("statement");
        for (k, &(offset, has_rrn, group)) in statement_rows.iter().enumerate() {
            let at = base + chrono::Duration::seconds(offset);
            let mut row = StatementRecord::new(parse_date("2026-05-07").unwrap(), at, amount(group), Money::from_fen(6), Channel::Credit);
            row.terminal = terminal(group).into();
            row.merchant_no = MERCHANT_NO.into();
            row.rrn = if has_rrn { format!("S{k:011}") } else { String::new() };
            statement.push(row).unwrap();
        }
        let report = reconcile(&ledger, &statement, &options("standard").match_window_seconds(window)).unwrap();
        let expected = naive_fallback(&ledger_rows, &statement_rows, window);
        for (i, want) in expected.iter().enumerate() {
            prop_assert_eq!(report.row(i).unwrap().partner, *want, "ledger row {}", i);
        }
    }
}

#[test]
fn fallback_matching_with_the_widest_window_pairs_every_row() {
    // 80,000 trades without references at one terminal and amount, times shuffled: with
    // the widest window every row finds its partner (quadratic matching took 10 s here).
    let base = parse_china_time("2026-05-06 00:00").unwrap();
    let n = 80_000i64;
    let mut ledger = Ledger::new("ledger");
    let mut statement = Statement::new("statement");
    for k in 0..n {
        let at = base + chrono::Duration::seconds((k * 7_919) % n);
        let mut record = LedgerRecord::new(format!("A{k}"), at, Money::from_yuan(10), Channel::Credit);
        record.terminal = "T0000001".into();
        ledger.push(record).unwrap();
        let mut row =
            StatementRecord::new(parse_date("2026-05-08").unwrap(), at, Money::from_yuan(10), Money::from_fen(6), Channel::Credit);
        row.terminal = "T0000001".into();
        row.merchant_no = MERCHANT_NO.into();
        statement.push(row).unwrap();
    }
    let report = reconcile(&ledger, &statement, &options("standard").match_window_seconds(MATCH_WINDOW_SECONDS_MAX)).unwrap();
    assert_eq!(report.summary.class(Class::NeverSettled).ledger_rows, 0);
    assert_eq!(report.summary.class(Class::NoLedgerTrade).statement_rows, 0);
    assert!((0..n as usize).all(|i| report.row(i).unwrap().partner == Some(i)), "each trade pairs with the row of its own time");
}

#[test]
fn fallbacks_that_form_a_cycle_follow_each_surcharge_once() {
    // T0 below its minimum falls back to D1, D1 below its minimum back to T0: each fallback is
    // followed once, so the trade stays at T0 and pays T0's surcharge (found by the oracle).
    let schedule = Schedule::from_toml(
        "name = \"cycle\"\n[rounding]\nmode = \"half_up\"\nscale = 0\n[[versions]]\neffective_from = \"2003-11-28T00:00:00+08:00\"\n\
         [[versions.rules]]\nid = \"r0\"\nchannels = [\"wechat\"]\nrate = \"0%\"\n\
         [[versions.surcharges]]\nid = \"s0\"\nmodes = [\"D0\", \"S0\", \"D1\"]\nmin_amount = \"100.00\"\nfallback = \"T0\"\n\
         [[versions.surcharges]]\nid = \"s1\"\nmodes = [\"T0\", \"S0\"]\nfixed = \"3.00\"\nmin_amount = \"100.00\"\nfallback = \"D1\"\n",
    )
    .unwrap();
    let request = posfee::QuoteRequest::new(Money::ZERO, Channel::Wechat, parse_china_time("2005-01-01 00:00").unwrap())
        .settlement(posfee::SettlementMode::T(0));
    let quote = schedule.quote(&request).unwrap();
    assert_eq!((quote.settlement, quote.fee), (posfee::SettlementMode::T(0), Money::from_yuan(3)));
}

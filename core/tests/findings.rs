//! Findings across rows on the seeded simulation: every injected pattern is exactly one
//! finding with the right first day, trade count and money; clean data has none.

use posfee::reconcile::simulation::{generate, Pattern, SimulationOptions, JUMPED_MERCHANT_NO};
use posfee::reconcile::{reconcile, FindingKind};
use posfee::{parse_date, Channel, Money, Rate};

fn day(text: &str) -> chrono::NaiveDate {
    parse_date(text).unwrap()
}

/// Runs `seeds` samples with one pattern and no other fault; returns how many had the
/// pattern on enough trades to be a finding (all must then be found exactly).
fn found_exactly(options: impl Fn(u64) -> SimulationOptions, kind: FindingKind, seeds: std::ops::Range<u64>) -> usize {
    let mut checked = 0;
    for seed in seeds {
        let sample = generate(&options(seed)).unwrap();
        let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
        let injected = &sample.patterns[0];
        let findings = &report.summary.findings;
        if injected.trades < 3 {
            assert!(findings.is_empty(), "seed {seed}: {} trades injected, findings {findings:#?}", injected.trades);
            continue;
        }
        checked += 1;
        assert_eq!(findings.len(), 1, "seed {seed}: injected {injected:?}, findings {findings:#?}");
        let finding = &findings[0];
        assert_eq!(finding.kind, kind, "seed {seed}: {finding:#?}");
        assert_eq!(
            (finding.first_day, finding.trades, finding.money),
            (injected.first_day, injected.trades, injected.money),
            "seed {seed}: {}",
            finding.en
        );
        assert_eq!(report.finding_rows(0).len() as u64, finding.trades);
        // The dispute list carries the same rows and money.
        let dispute = report.dispute(&sample.statement, &sample.options.profile);
        assert_eq!(dispute.sections[0].rows.len() as u64, finding.trades);
        if !matches!(kind, FindingKind::SettledLater | FindingKind::MerchantNumber) {
            assert_eq!(dispute.sections[0].difference, finding.money);
        }
    }
    checked
}

const SEEDS: std::ops::Range<u64> = 0..30;

#[test]
fn a_rate_rise_from_a_day() {
    let rise = Pattern::Rate { from: day("2026-03-10"), channel: Channel::Credit, rate: Rate::parse("0.68%").unwrap() };
    let checked = found_exactly(
        |seed| SimulationOptions::new(seed).trades(1_500).faults_per_class(0).pattern(rise.clone()),
        FindingKind::Rate,
        SEEDS,
    );
    assert_eq!(checked, SEEDS.count());
    let sample = generate(&SimulationOptions::new(1).trades(1_500).faults_per_class(0).pattern(rise)).unwrap();
    let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
    let finding = &report.summary.findings[0];
    let (trades, money) = (sample.patterns[0].trades, sample.patterns[0].money);
    assert_eq!(
        finding.en,
        format!("from {} credit trades were charged 0.68% instead of 0.60%: {trades} trades, ¥{money} over", finding.first_day)
    );
    assert_eq!(finding.zh, format!("自{}起，贷记卡交易按0.68%收费（合同0.60%）：{trades}笔，多收¥{money}", finding.first_day));
    // Every row of it says so.
    let j = report.finding_rows(0)[0] as usize;
    let row = report.row(sample.ledger.len() + j).unwrap();
    assert!(row.reason.starts_with("charged 0.68% instead of 0.60% (fee ¥"), "{}", row.reason);
    assert_eq!(row.charged_as.unwrap().rate, Rate::parse("0.68%").unwrap());
}

#[test]
fn a_fixed_add_on_from_a_day() {
    let add_on = Pattern::AddOn { from: day("2026-03-15"), channel: Channel::Debit, fixed: Money::from_yuan(3) };
    let checked = found_exactly(
        |seed| SimulationOptions::new(seed).trades(1_500).faults_per_class(0).pattern(add_on.clone()),
        FindingKind::AddOn,
        SEEDS,
    );
    assert_eq!(checked, SEEDS.count());
}

#[test]
fn a_cap_that_stopped_applying() {
    let cap = Pattern::CapNotApplied { from: day("2026-03-08") };
    let checked = found_exactly(
        |seed| SimulationOptions::new(seed).trades(2_000).faults_per_class(0).pattern(cap.clone()),
        FindingKind::CapNotApplied,
        SEEDS,
    );
    assert!(checked >= 20, "only {checked} seeds had three capped debit trades");
}

#[test]
fn priced_as_a_discounted_class_merchant() {
    let class = Pattern::MerchantClass { from: day("2026-03-12"), merchant_class: Some("discounted".into()) };
    let checked = found_exactly(
        |seed| SimulationOptions::new(seed).preset("standard").trades(1_500).faults_per_class(0).pattern(class.clone()),
        FindingKind::MerchantClass,
        SEEDS,
    );
    assert_eq!(checked, SEEDS.count());
}

#[test]
fn settlement_one_business_day_later_over_national_day() {
    let later = Pattern::SettledLater { from: day("2026-09-28"), business_days: 1 };
    let checked = found_exactly(
        |seed| SimulationOptions::new(seed).month(2026, 9).unwrap().trades(1_500).faults_per_class(0).pattern(later.clone()),
        FindingKind::SettledLater,
        SEEDS,
    );
    assert_eq!(checked, SEEDS.count());
    let later = Pattern::SettledLater { from: day("2026-10-09"), business_days: 1 };
    let checked = found_exactly(
        |seed| SimulationOptions::new(seed).month(2026, 10).unwrap().trades(1_500).faults_per_class(0).pattern(later.clone()),
        FindingKind::SettledLater,
        0..10,
    );
    assert_eq!(checked, 10);
}

#[test]
fn a_terminal_booked_under_another_merchant_number() {
    let jump = Pattern::MerchantNumber { from: day("2026-03-05"), terminal: "T0000002".into(), merchant_no: JUMPED_MERCHANT_NO.into() };
    let checked = found_exactly(
        |seed| SimulationOptions::new(seed).trades(1_500).faults_per_class(0).pattern(jump.clone()),
        FindingKind::MerchantNumber,
        SEEDS,
    );
    assert_eq!(checked, SEEDS.count());
}

#[test]
fn no_finding_on_clean_data() {
    for seed in 0..200 {
        let options = match seed % 4 {
            0 => SimulationOptions::new(seed),
            1 => SimulationOptions::new(seed).preset("standard").merchant_class("discounted"),
            2 => SimulationOptions::new(seed).month(2026, 10).unwrap(),
            _ => SimulationOptions::new(seed).preset("standard-d0").settlement(posfee::SettlementMode::D(0)),
        };
        let sample = generate(&options.trades(1_000).faults_per_class(0)).unwrap();
        let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
        assert!(report.summary.findings.is_empty(), "seed {seed}: {:#?}", report.summary.findings);
    }
}

#[test]
fn scattered_row_faults_are_no_pattern() {
    // Three faults of every class: the fee and settlement faults are single rows, not steps;
    // the 跳码 rows are findings (every booking under another number is).
    for seed in 0..60 {
        let sample = generate(&SimulationOptions::new(seed).trades(2_000)).unwrap();
        let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
        for finding in &report.summary.findings {
            assert_eq!(finding.kind, FindingKind::MerchantNumber, "seed {seed}: {}", finding.en);
            assert_eq!(finding.merchant_no.as_deref(), Some(JUMPED_MERCHANT_NO));
        }
        let jumped = sample.key.statement.iter().filter(|(_, c)| *c == posfee::reconcile::Class::MerchantDiffers).count() as u64;
        assert_eq!(report.summary.findings.iter().map(|f| f.trades).sum::<u64>(), jumped, "seed {seed}");
    }
}

#[test]
fn a_pattern_among_row_faults_is_still_one_finding() {
    let rise = Pattern::Rate { from: day("2026-03-10"), channel: Channel::Credit, rate: Rate::parse("0.68%").unwrap() };
    for seed in 0..30 {
        let sample = generate(&SimulationOptions::new(seed).trades(2_000).pattern(rise.clone())).unwrap();
        let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
        let rates: Vec<_> = report.summary.findings.iter().filter(|f| f.kind == FindingKind::Rate).collect();
        assert_eq!(rates.len(), 1, "seed {seed}: {:#?}", report.summary.findings);
        // A scattered fault may happen to equal 0.68% exactly: the finding covers at least
        // the injected rows, and at most a fault or two more.
        let injected = &sample.patterns[0];
        assert_eq!(rates[0].first_day, injected.first_day.min(rates[0].first_day));
        assert!((injected.trades..=injected.trades + 3).contains(&rates[0].trades), "seed {seed}: {} vs {injected:?}", rates[0].en);
    }
}

#[test]
fn a_merchant_number_finding_names_both_mcc_classes() {
    let jump = Pattern::MerchantNumber { from: day("2026-03-05"), terminal: "T0000002".into(), merchant_no: JUMPED_MERCHANT_NO.into() };
    let sample = generate(&SimulationOptions::new(3).trades(1_000).faults_per_class(0).pattern(jump)).unwrap();
    let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
    let finding = &report.summary.findings[0];
    let (number, mcc) = (JUMPED_MERCHANT_NO, &JUMPED_MERCHANT_NO[7..11]);
    let theirs = posfee::mcc::mcc_info(mcc).expect("5411 in the MCC table");
    let ours = posfee::mcc::mcc_info("5812").expect("5812 in the MCC table");
    assert_ne!(theirs.category, ours.category, "跳码 moves the trades to a cheaper class");
    assert!(
        finding.en.contains(&format!(
            "booked under merchant number {number} (MCC {mcc} {}, {} class) instead of 102310058120001 (MCC 5812 {}, {} class) (跳码)",
            theirs.name_en,
            theirs.category.name_en(),
            ours.name_en,
            ours.category.name_en()
        )),
        "{}",
        finding.en
    );
    assert!(finding.zh.contains(&format!("（MCC {mcc} {}，{}）", theirs.name_zh, theirs.category.name_zh())), "{}", finding.zh);
}

//! Golden tests of `compare` and `break_even`: every number below is derived by hand in the
//! comments, and the derivations are re-checked with plain integer arithmetic (not posfee).

use posfee::{break_even, compare, parse_china_time, Channel, Column, Money, Offer, OnInvalid, Schedule, SettlementMode, TradeTable};

/// Half-up rounding of `numerator / denominator` (both non-negative), the schedules' rule.
fn half_up(numerator: i64, denominator: i64) -> i64 {
    (2 * numerator + denominator) / (2 * denominator)
}

fn schedule(rules: &str) -> Schedule {
    Schedule::from_toml(&format!(
        "name = \"{}\"\ncutoff = \"23:00\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n[[versions]]\neffective_from = \"2026-01-01\"\n{rules}",
        rules.lines().next().unwrap().trim_start_matches("# ")
    ))
    .unwrap()
}

/// "0.6% + ¥3 at D0" against "0.68% at T1" on credit cards.
///
/// Fees in fen of an amount x (fen): A(x) = round(0.006·x) + 300, B(x) = round(0.0068·x).
/// Without rounding they meet where 0.0068·x = 0.006·x + 300, x = 300 / 0.0008 = 375,000
/// fen (¥3750). Write x = 375,000 + D: 0.006·375,000 = 2,250 and 0.0068·375,000 = 2,550 are
/// whole fen and 2,550 − 2,250 = 300, so A < B ⟺ round(0.0068·D) > round(0.006·D)
/// (rounding half-up shifts by whole fen exactly).
///
/// - Above: the two round to the same fen n only if 0.0068·D < n + ½ and 0.006·D ≥ n − ½,
///   i.e. 0.0008·D < 1, D < 1,250. At D = 1,102: 0.0068·1,102 = 7.4936 → 7 and
///   0.006·1,102 = 6.612 → 7, equal; for each D from 1,103 to 1,249 the first rounds higher
///   (checked below). So A is strictly cheaper from x = 376,103 fen: ¥3761.03.
/// - Below, by the same argument with D = −E: the last equal amount is E = 1,102 (−7.4936 →
///   −7, −6.612 → −7), so B is strictly cheaper up to x = 375,000 − 1,103 = 373,897 fen:
///   ¥3738.97.
#[test]
fn instant_payout_with_a_fixed_fee_against_a_higher_rate() {
    // The derivation, in integers: A(x) < B(x) for every x ≥ 376,103 up to where 0.0008·D ≥ 1
    // guarantees it, and not at 376,102; B(x) < A(x) for every x ≤ 373,897 down to the same
    // distance, and not at 373,898.
    let a = |x: i64| half_up(6 * x, 1_000) + 300;
    let b = |x: i64| half_up(68 * x, 10_000);
    assert!((376_103..=375_000 + 1_250).all(|x| a(x) < b(x)));
    assert!(a(376_102) >= b(376_102));
    assert!((375_000 - 1_250..=373_897).all(|x| b(x) < a(x)));
    assert!(b(373_898) >= a(373_898));
    // Far from ¥3750 the sign can no longer change (|0.0008·D| ≥ 1 beats two half-fen roundings).

    let d0 = schedule(
        "# plus-3-d0\n[[versions.rules]]\nid = \"credit\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\n\
         [[versions.surcharges]]\nid = \"instant\"\nmodes = [\"D0\"]\nfixed = \"3\"\n",
    );
    let t1 = schedule("# rate-0.68\n[[versions.rules]]\nid = \"credit\"\nchannels = [\"credit\"]\nrate = \"0.68%\"\n");
    let at = parse_china_time("2026-05-06 12:00").unwrap();
    let points =
        break_even(&Offer::new(d0.clone()).settlement(SettlementMode::D(0)), &Offer::new(t1.clone()), Channel::Credit, at, None, None);
    assert_eq!(points.len(), 1, "{points:?}");
    let point = points[0];
    assert_eq!((point.cheaper_below, point.cheaper_above), (1, 0));
    assert_eq!((point.below.to_string(), point.from.to_string()), ("3738.97".into(), "3761.03".into()));
    assert!(point.exact);

    // The same through compare, on a table: a ¥100 trade (A ¥3.60, B ¥0.68) and a ¥10,000 one
    // (A 60 + 3 = ¥63.00, B ¥68.00). Totals: A ¥66.60, B ¥68.68; B − A = ¥2.08.
    let amounts = [10_000, 1_000_000];
    let table = TradeTable::new(&amounts, Column::All(Channel::Credit), Column::All(1_778_040_000));
    let offers = [Offer::new(d0).settlement(SettlementMode::D(0)), Offer::new(t1)];
    let comparison = compare(&table, &offers, OnInvalid::Raise).unwrap();
    assert_eq!(comparison.offers[0].offer, "plus-3-d0@D0");
    assert_eq!(comparison.offers[0].total.fee, Money::parse("66.60").unwrap());
    assert_eq!(comparison.offers[1].total.fee, Money::parse("68.68").unwrap());
    assert_eq!(comparison.offers[1].difference, Money::parse("2.08").unwrap());
    // Effective rate of B: 68.68 / 10,100 = 0.00680000 (to 8 decimals, half-even).
    assert_eq!(comparison.offers[1].total.effective_rate().unwrap().to_string(), "0.00680000");
    assert_eq!(comparison.offers[0].by_month.len(), 1);
    assert_eq!(comparison.offers[0].by_month[0].key, "2026-05");
    assert_eq!(comparison.break_evens, points);
    assert_eq!(comparison.break_even_sentences(), ["credit: rate-0.68 is cheaper up to ¥3738.97, plus-3-d0@D0 from ¥3761.03"]);
}

/// Two capped debit rates: sft-smart 0.50% capped ¥20 against 0.45% capped ¥25.
///
/// Below the caps 0.45% is cheaper. sft-smart reaches its cap where round(0.005·x) ≥ 2,000
/// fen: 0.005·x ≥ 1,999.5, x ≥ 399,900 (¥3999.00). The other stays below ¥20 while
/// round(0.0045·x) < 2,000: 0.0045·x < 1,999.5, x < 444,333.3…, so up to x = 444,333 fen
/// (¥4443.33) it is strictly cheaper. It equals ¥20.00 while 0.0045·x < 2,000.5, x <
/// 444,555.5…, i.e. up to ¥4445.55; from x = 444,556 (¥4445.56) it is dearer and stays so
/// (its own cap, ¥25, is above ¥20). So: 0.45% up to ¥4443.33, sft-smart from ¥4445.56.
#[test]
fn two_caps() {
    let c = |x: i64| half_up(45 * x, 10_000);
    assert!(c(444_333) < 2_000 && c(444_334) == 2_000 && c(444_555) == 2_000 && c(444_556) > 2_000);
    let low_cap =
        schedule("# debit-0.45-cap-25\n[[versions.rules]]\nid = \"debit\"\nchannels = [\"debit\"]\nrate = \"0.45%\"\ncap = \"25\"\n");
    let at = parse_china_time("2026-05-06 12:00").unwrap();
    let points = break_even(&Offer::new(Schedule::preset("sft-smart").unwrap()), &Offer::new(low_cap), Channel::Debit, at, None, None);
    assert_eq!(points.len(), 1, "{points:?}");
    assert_eq!((points[0].cheaper_below, points[0].cheaper_above), (1, 0));
    assert_eq!((points[0].below.to_string(), points[0].from.to_string()), ("4443.33".into(), "4445.56".into()));
}

/// The Shengfutong seeds: traditional (debit 0.55% capped ¥20) against smart (0.50% capped
/// ¥20), the rest equal. Smart is cheaper on debit until both are capped: smart caps at
/// ¥3999.00 (above); traditional where round(0.0055·x) ≥ 2,000: 0.0055·x ≥ 1,999.5, x ≥
/// 363,545.45…, i.e. ¥3635.46 — so from ¥3999.00 both charge ¥20 and no offer is cheaper:
/// no break-even (one offer is cheaper or equal everywhere).
///
/// On a month of two debit trades (¥1000: 5.50 vs 5.00; ¥5000: 20 vs 20) and one credit
/// trade (¥100: 0.60 both): traditional ¥26.10, smart ¥25.60, difference −¥0.50.
#[test]
fn shengfutong_seeds() {
    let amounts = [100_000, 500_000, 10_000];
    let channels = [Channel::Debit, Channel::Debit, Channel::Credit];
    let times = [1_777_600_000, 1_778_040_000, 1_780_000_000]; // 2026-05-01, 05-06, 05-29 (China time)
    let table = TradeTable::new(&amounts, Column::Each(&channels), Column::Each(&times));
    let offers = [Offer::new(Schedule::preset("sft-traditional").unwrap()), Offer::new(Schedule::preset("sft-smart").unwrap())];
    let comparison = compare(&table, &offers, OnInvalid::Raise).unwrap();
    let fees: Vec<String> = comparison.offers.iter().map(|o| o.total.fee.to_string()).collect();
    assert_eq!(fees, ["26.10", "25.60"]);
    assert_eq!(comparison.offers[1].difference.to_string(), "-0.50");
    let debit = &comparison.offers[1].by_channel[1];
    assert_eq!((debit.key.as_str(), debit.trades, debit.fee.to_string()), ("debit", 2, "25.00".to_string()));
    assert!(comparison.break_evens.is_empty(), "{:?}", comparison.break_evens);
}

/// Rows an offer cannot price: sft-esign has no QR rule.
#[test]
fn rows_an_offer_cannot_price() {
    let amounts = [10_000, 10_000];
    let channels = [Channel::Credit, Channel::Wechat];
    let table = TradeTable::new(&amounts, Column::Each(&channels), Column::All(1_778_040_000));
    let offers = [Offer::new(Schedule::preset("sft-smart").unwrap()), Offer::new(Schedule::preset("sft-esign").unwrap())];
    let error = compare(&table, &offers, OnInvalid::Raise).unwrap_err();
    assert_eq!(error.code(), "no_matching_rule");
    assert!(error.message().starts_with("sft-esign: row 1: "), "{error}");
    let comparison = compare(&table, &offers, OnInvalid::Report).unwrap();
    assert_eq!(comparison.excluded.len(), 1);
    assert_eq!(comparison.excluded[0].row, 1);
    assert_eq!(comparison.offers[0].total.trades, 1);
    assert!(compare(&table, &[], OnInvalid::Raise).is_err());
}

//! Property tests of the invariants: fees are never negative, never above a cap, add up with
//! the net to the amount, grow with the amount within one rule; settlement dates are
//! business days after the trade day; parsing and printing round-trip.

use chrono::{Duration, NaiveDate};
use posfee::{Calendar, Channel, Money, QuoteRequest, Rate, Rounding, RoundingMode, Schedule, SettlementMode};
use proptest::prelude::*;

fn schedules() -> Vec<Schedule> {
    posfee::presets().into_iter().map(|name| Schedule::preset(name).unwrap()).collect()
}

fn channel() -> impl Strategy<Value = Channel> {
    (0u8..8).prop_map(|i| Channel::from_index(i).unwrap())
}

fn mode() -> impl Strategy<Value = SettlementMode> {
    prop_oneof![(0u16..4).prop_map(SettlementMode::T), (0u16..3).prop_map(SettlementMode::D), Just(SettlementMode::S0),]
}

fn rounding() -> impl Strategy<Value = Rounding> {
    (0usize..4, 0u32..6).prop_map(|(mode, scale)| {
        let mode = [RoundingMode::HalfUp, RoundingMode::HalfEven, RoundingMode::Up, RoundingMode::Down][mode];
        Rounding::new(mode, scale).unwrap()
    })
}

/// Trade times in 2016-09-06 .. 2026-12-20 (the settlement stays inside the calendar data).
fn trade_time() -> impl Strategy<Value = chrono::DateTime<chrono::FixedOffset>> {
    (0i64..(3_757 * 86_400)).prop_map(|seconds| posfee::parse_china_time("2016-09-06T00:00:00+08:00").unwrap() + Duration::seconds(seconds))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn quotes_keep_their_invariants(
        schedule_index in 0usize..5,
        channel in channel(),
        amount_fen in prop_oneof![0i64..10_000, 0i64..2_000_000, 0i64..100_000_000_000],
        at in trade_time(),
        mode in mode(),
        rounding in rounding(),
    ) {
        let schedule = schedules()[schedule_index].with_rounding(rounding);
        let request = QuoteRequest::new(Money::from_fen(amount_fen), channel, at).settlement(mode);
        let Ok(quote) = schedule.quote(&request) else { return Ok(()) };
        prop_assert!(!quote.fee.is_negative());
        prop_assert_eq!(quote.net + quote.fee, quote.amount);
        prop_assert_eq!(quote.fee_exceeds_amount, quote.net.is_negative());
        prop_assert_eq!(quote.lines.iter().map(|l| l.amount).sum::<Money>(), quote.fee);
        let rule = schedule.version_at(at).unwrap().rules().iter().find(|r| r.id() == &*quote.rule).unwrap().clone();
        if let Some(cap) = rule.cap() {
            prop_assert!(quote.lines[0].amount <= cap);
        }
        // T+N: a business day, N business days after the trade day.
        if let SettlementMode::T(n) = quote.settlement {
            let calendar = Calendar::china();
            prop_assert!(calendar.is_business_day(quote.settles_on).unwrap());
            prop_assert!(quote.settles_on >= quote.trade_day);
            let between = calendar.business_days_between(quote.trade_day, quote.settles_on).unwrap();
            let trade_day_counts = i64::from(calendar.is_business_day(quote.trade_day).unwrap());
            let expected = if n == 0 { 0 } else { i64::from(n) - 1 + trade_day_counts };
            prop_assert_eq!(between, expected);
            if n > 0 {
                prop_assert!(quote.settles_on > quote.trade_day);
            }
        }
    }

    #[test]
    fn fee_never_decreases_with_the_amount_within_a_rule(
        schedule_index in 0usize..5,
        channel in channel(),
        amount_fen in 0i64..5_000_000,
        step_fen in 1i64..100_000,
        at in trade_time(),
        rounding in rounding(),
    ) {
        let schedule = schedules()[schedule_index].with_rounding(rounding);
        let low = schedule.quote(&QuoteRequest::new(Money::from_fen(amount_fen), channel, at));
        let high = schedule.quote(&QuoteRequest::new(Money::from_fen(amount_fen + step_fen), channel, at));
        if let (Ok(low), Ok(high)) = (low, high) {
            if low.rule == high.rule {
                prop_assert!(low.fee <= high.fee, "{} then {}", low.fee, high.fee);
            }
        }
    }

    #[test]
    fn add_business_days_and_between_agree(
        start in 0i64..7_900,
        n in -200i64..200,
    ) {
        let calendar = Calendar::china();
        let date = NaiveDate::from_ymd_opt(2005, 3, 1).unwrap() + chrono::Days::new(start as u64);
        let Ok(moved) = calendar.add_business_days(date, n) else { return Ok(()) };
        prop_assert!(calendar.is_business_day(moved).unwrap());
        let business = i64::from(calendar.is_business_day(date).unwrap());
        match n.signum() {
            1 => prop_assert_eq!(calendar.business_days_between(date, moved).unwrap(), n - 1 + business),
            -1 => prop_assert_eq!(calendar.business_days_between(moved, date).unwrap(), -n),
            _ => prop_assert_eq!(calendar.business_days_between(date, moved).unwrap(), 0),
        }
    }

    #[test]
    fn money_prints_and_parses_back(millifen in -100_000_000_000_000i64..100_000_000_000_000) {
        let money = Money::from_millifen(millifen).unwrap();
        prop_assert_eq!(Money::parse(&money.to_string()).unwrap(), money);
        prop_assert_eq!(Money::try_from_decimal(money.to_decimal()).unwrap(), money);
    }

    #[test]
    fn rates_print_and_parse_back(e8 in 0i64..=100_000_000) {
        let rate = Rate::from_e8(e8).unwrap();
        prop_assert_eq!(Rate::parse(&rate.to_string()).unwrap(), rate);
        prop_assert_eq!(Rate::try_from_decimal(rate.to_decimal()).unwrap(), rate);
    }

    #[test]
    fn amount_parsing_never_panics(text in "\\PC{0,24}") {
        let _ = Money::parse_amount(&text);
        let _ = Money::parse(&text);
        let _ = Rate::parse(&text);
        let _ = SettlementMode::parse(&text);
        let _ = Channel::parse(&text);
        let _ = posfee::parse_china_time(&text);
    }

    #[test]
    fn schedule_parsing_never_panics(text in "\\PC{0,200}") {
        let _ = Schedule::from_toml(&text);
        let _ = Schedule::from_json(&text);
        let _ = Calendar::from_toml(&text);
    }
}

/// One generated rule: (channel mask, rate e8, cap fen, floor fen, fixed fen, band, window, class).
type RuleSpec = (u8, i64, Option<i64>, Option<i64>, Option<i64>, Option<(i64, i64)>, Option<u8>, Option<bool>, i32);

fn rule_spec() -> impl Strategy<Value = RuleSpec> {
    (
        1u8..=255,
        0i64..2_000_000,
        proptest::option::of(0i64..5_000),
        proptest::option::of(0i64..500),
        proptest::option::of(0i64..500),
        proptest::option::of((0i64..200_000, 1i64..200_000)),
        proptest::option::of(0u8..3),
        proptest::option::of(any::<bool>()),
        -2i32..3,
    )
}

fn money_text(fen: i64) -> String {
    Money::from_fen(fen).to_string()
}

fn schedule_text(rules: &[RuleSpec]) -> String {
    let mut text = String::from("name = \"generated\"\ncutoff = \"22:00\"\n[rounding]\nmode = \"half_even\"\nscale = 2\n[[versions]]\neffective_from = \"2020-01-01\"\n");
    for (index, (mask, rate, cap, floor, fixed, band, window, class, priority)) in rules.iter().enumerate() {
        let channels: Vec<String> = Channel::ALL.iter().filter(|c| mask & (1 << (**c as u8)) != 0).map(|c| format!("\"{c}\"")).collect();
        text.push_str(&format!(
            "[[versions.rules]]\nid = \"r{index}\"\nchannels = [{}]\nrate = \"{}\"\npriority = {priority}\n",
            channels.join(", "),
            Rate::from_e8(*rate).unwrap()
        ));
        if let Some(cap) = cap {
            text.push_str(&format!("cap = \"{}\"\n", money_text(*cap)));
        }
        if let Some(floor) = floor {
            text.push_str(&format!("floor = \"{}\"\n", money_text(*floor)));
        }
        if let Some(fixed) = fixed {
            text.push_str(&format!("fixed = \"{}\"\n", money_text(*fixed)));
        }
        if let Some((over, width)) = band {
            text.push_str(&format!("amount_over = \"{}\"\namount_up_to = \"{}\"\n", money_text(*over), money_text(over + width)));
        }
        if let Some(quarter) = window {
            let month = 1 + 3 * u32::from(*quarter);
            text.push_str(&format!("valid_from = \"2026-{month:02}-01\"\nvalid_until = \"2026-{:02}-01\"\n", month + 3));
        }
        if let Some(discounted) = class {
            text.push_str(if *discounted { "merchant_class = \"discounted\"\n" } else { "merchant_class = \"waived\"\n" });
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Any schedule that passes validation prices every trade it matches within its own
    /// limits, and prints back to an equal schedule.
    #[test]
    fn generated_schedules_validate_or_price_consistently(
        rules in proptest::collection::vec(rule_spec(), 1..6),
        trades in proptest::collection::vec((channel(), 0i64..300_000, 0i64..(365 * 86_400), proptest::option::of(any::<bool>())), 1..20),
    ) {
        let text = schedule_text(&rules);
        let schedule = match Schedule::from_toml(&text) {
            Ok(schedule) => schedule,
            Err(error) => {
                prop_assert_eq!(error.code(), "invalid_schedule");
                return Ok(());
            }
        };
        prop_assert_eq!(&Schedule::from_toml(&schedule.to_toml()).unwrap(), &schedule);
        let start = posfee::parse_china_time("2026-01-01T00:00:00+08:00").unwrap();
        for (channel, amount_fen, offset, class) in trades {
            let mut request = QuoteRequest::new(Money::from_fen(amount_fen), channel, start + Duration::seconds(offset))
                .settlement(SettlementMode::D(1));
            let class = class.map(|discounted| if discounted { "discounted" } else { "waived" });
            if let Some(class) = class {
                request = request.merchant_class(class);
            }
            let known_class = class.map_or(true, |class| schedule.merchant_classes().contains(&class));
            let quote = match schedule.quote(&request) {
                Ok(quote) => quote,
                Err(error) => {
                    // A class the schedule does not price is refused; otherwise only a gap in
                    // the rules can leave a trade unpriced.
                    prop_assert_eq!(error.code(), if known_class { "no_matching_rule" } else { "invalid_request" });
                    continue;
                }
            };
            prop_assert!(known_class);
            let rule = schedule.versions()[0].rules().iter().find(|r| r.id() == quote.rule.as_str()).unwrap();
            let rate_line = quote.lines[0].amount;
            if let Some(cap) = rule.cap() {
                prop_assert!(rate_line <= cap || rule.floor().is_some_and(|floor| rate_line == floor));
            }
            if let Some(floor) = rule.floor() {
                prop_assert!(rate_line >= floor.min(rule.cap().unwrap_or(floor)));
            }
            prop_assert_eq!(quote.fee, rate_line + rule.fixed());
            prop_assert_eq!(quote.net + quote.fee, quote.amount);
            prop_assert!(!quote.fee.is_negative());
        }
    }
}

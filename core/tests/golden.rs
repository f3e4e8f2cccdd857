//! Golden table of fee cases: every preset and channel, cap boundaries, promotion edges,
//! rounding modes at half a fen, settlement surcharges and fallbacks.

use posfee::{CardType, Channel, Money, QuoteRequest, Rounding, RoundingMode, Schedule, SettlementMode};

#[test]
fn golden_fee_table() {
    let text = include_str!("golden/fees.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut checked = 0;
    for (number, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), header.len(), "line {}: {line}", number + 2);
        let get = |name: &str| fields[column(name)];
        let case = get("case");
        let mut schedule = Schedule::preset(get("preset")).unwrap();
        if !get("rounding").is_empty() {
            let mode: RoundingMode = get("rounding").parse().unwrap();
            schedule = schedule.with_rounding(Rounding::new(mode, 2).unwrap());
        }
        let mut request = QuoteRequest::new(
            Money::parse_amount(get("amount")).unwrap(),
            Channel::parse(get("channel")).unwrap(),
            posfee::parse_china_time(get("at")).unwrap(),
        )
        .settlement(SettlementMode::parse(get("settlement")).unwrap());
        if !get("merchant_class").is_empty() {
            request = request.merchant_class(get("merchant_class"));
        }
        if !get("card_type").is_empty() {
            request = request.card_type(CardType::parse(get("card_type")).unwrap());
        }
        let result = schedule.quote(&request);
        if !get("error").is_empty() {
            let err = result.expect_err(case);
            assert_eq!(err.code(), get("error"), "{case}: {err}");
            checked += 1;
            continue;
        }
        let quote = result.unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(quote.fee.to_string(), get("fee"), "{case}: fee");
        assert_eq!(quote.net.to_string(), get("net"), "{case}: net");
        assert_eq!(&*quote.rule, get("rule"), "{case}: rule");
        assert_eq!(quote.cap_applied().to_string(), get("cap_applied"), "{case}: cap_applied");
        assert_eq!(quote.settles_on.to_string(), get("settles_on"), "{case}: settles_on");
        assert_eq!(quote.net + quote.fee, quote.amount, "{case}: conservation");
        assert_eq!(quote.fee_exceeds_amount, quote.fee > quote.amount, "{case}");
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} golden cases");
}

#[test]
fn every_preset_prices_or_refuses_every_channel_explicitly() {
    let at = posfee::parse_china_time("2026-05-06T10:00:00+08:00").unwrap();
    for name in posfee::presets() {
        let schedule = Schedule::preset(name).unwrap();
        for channel in Channel::ALL {
            let request = QuoteRequest::new(Money::from_yuan(100), channel, at);
            match schedule.quote(&request) {
                Ok(quote) => assert!(!quote.fee.is_negative()),
                Err(err) => {
                    assert_eq!(err.code(), "no_matching_rule", "{name} {channel}: {err}");
                    assert!(err.to_string().contains(channel.name()), "{err}");
                }
            }
        }
    }
}

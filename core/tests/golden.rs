//! Golden table of fee cases (`golden/fees.csv`), derived by hand from the rules (the
//! `derivation` column says how): every preset and channel, cap boundaries, promotion edges,
//! rounding modes and scales, floors, fixed fees, priorities, versions over the years,
//! settlement surcharges and fallbacks, cut-offs, and refunds (the share's rounding, a capped
//! fee, the surcharge's share, partial refunds adding up to more than the fee). Custom
//! contracts live in `golden/schedules/`.

use posfee::{CardType, Channel, Money, QuoteRequest, RefundPolicy, Rounding, RoundingMode, Schedule, SettlementMode};

#[test]
fn golden_fee_table() {
    let text = include_str!("golden/fees.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap_or_else(|| panic!("no column {name}"));
    let money = |text: &str| Money::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let mut checked = 0;
    let mut refunds_checked = 0;
    for (number, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields.len(), header.len(), "line {}: {line}", number + 2);
        let get = |name: &str| fields[column(name)];
        let case = get("case");
        // Every row says how its numbers follow from the rules.
        assert!(get("derivation").trim().len() >= 10, "{case}: the derivation is missing");
        let preset = get("preset");
        let mut schedule = if preset.ends_with(".toml") {
            Schedule::from_file(format!("{}/tests/golden/{preset}", env!("CARGO_MANIFEST_DIR"))).unwrap()
        } else {
            Schedule::preset(preset).unwrap()
        };
        if !get("rounding").is_empty() {
            // `mode` (at the fen) or `mode/scale`.
            let (mode, scale) = get("rounding").split_once('/').unwrap_or((get("rounding"), "2"));
            let mode: RoundingMode = mode.parse().unwrap();
            schedule = schedule.with_rounding(Rounding::new(mode, scale.parse().unwrap()).unwrap());
        }
        match get("refund_policy") {
            "" => {}
            "keep_fee" => schedule = schedule.with_refund_policy(RefundPolicy::KeepFee),
            "proportional" => schedule = schedule.with_refund_policy(RefundPolicy::Proportional),
            other => panic!("{case}: refund policy {other}"),
        }
        let at = posfee::parse_china_time(get("at")).unwrap();
        let mut request = QuoteRequest::new(Money::parse_amount(get("amount")).unwrap(), Channel::parse(get("channel")).unwrap(), at)
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
        assert_eq!(quote.fee, money(get("fee")), "{case}: fee");
        assert_eq!(quote.net, money(get("net")), "{case}: net");
        assert_eq!(&*quote.rule, get("rule"), "{case}: rule");
        assert_eq!(quote.cap_applied().to_string(), get("cap_applied"), "{case}: cap_applied");
        assert_eq!(quote.settles_on.to_string(), get("settles_on"), "{case}: settles_on");
        assert_eq!(quote.net + quote.fee, quote.amount, "{case}: conservation");
        assert_eq!(quote.fee_exceeds_amount, quote.fee > quote.amount, "{case}");
        // Refunds two days after the purchase, each priced alone.
        if !get("refunds").is_empty() {
            let refunds: Vec<&str> = get("refunds").split('|').collect();
            let returned: Vec<&str> = get("fee_returned").split('|').collect();
            assert_eq!(refunds.len(), returned.len(), "{case}: refunds and fee_returned");
            for (refund, expected) in refunds.iter().zip(returned) {
                let result = schedule.quote_refund(&request, money(refund), at + chrono::Duration::days(2));
                match Money::parse(expected) {
                    Ok(expected) => {
                        let refund_quote = result.unwrap_or_else(|e| panic!("{case}: refund {refund}: {e}"));
                        assert_eq!(refund_quote.fee_returned, expected, "{case}: fee returned on {refund}");
                        assert_eq!(refund_quote.net, expected - money(refund), "{case}: refund net");
                        assert!(refund_quote.fee_returned <= quote.fee, "{case}: a refund returns at most the fee");
                    }
                    Err(_) => assert_eq!(result.expect_err(case).code(), expected, "{case}: refund {refund}"),
                }
                refunds_checked += 1;
            }
        }
        checked += 1;
    }
    assert!(checked >= 95, "only {checked} golden cases");
    assert!(refunds_checked >= 11, "only {refunds_checked} golden refunds");
}

/// A preset and, per channel in `Channel::ALL` order, the (rule, fee) of ¥100 or none.
type PresetRow = (&'static str, [Option<(&'static str, &'static str)>; 8]);

/// ¥100 on every channel at 2026-05-06 10:00 under every preset: the rule and fee each
/// preset file gives (sft-esign: the 2026 promotion, no QR; the sft presets: no UnionPay;
/// standard: UnionPay up to ¥1000 at 0.38%).
#[test]
fn every_preset_prices_or_refuses_every_channel_explicitly() {
    let at = posfee::parse_china_time("2026-05-06T10:00:00+08:00").unwrap();
    let qr = Some(("qr", "0.38"));
    let expected: [PresetRow; 5] = [
        // credit, debit, wechat, alipay, unionpay_qr, quickpass, huabei, jd_baitiao
        ("sft-traditional", [Some(("credit", "0.60")), Some(("debit", "0.55")), qr, qr, None, None, qr, qr]),
        ("sft-esign", [Some(("credit-promotion", "0.55")), Some(("debit", "0.50")), None, None, None, None, None, None]),
        ("sft-smart", [Some(("credit", "0.60")), Some(("debit", "0.50")), qr, qr, None, None, qr, qr]),
        (
            "standard",
            [
                Some(("credit", "0.60")),
                Some(("debit", "0.50")),
                qr,
                qr,
                Some(("unionpay-small", "0.38")),
                Some(("unionpay-small", "0.38")),
                qr,
                qr,
            ],
        ),
        (
            "standard-d0",
            [
                Some(("credit", "0.60")),
                Some(("debit", "0.50")),
                qr,
                qr,
                Some(("unionpay-small", "0.38")),
                Some(("unionpay-small", "0.38")),
                qr,
                qr,
            ],
        ),
    ];
    assert_eq!(posfee::presets().len(), expected.len());
    for (name, channels) in expected {
        let schedule = Schedule::preset(name).unwrap();
        for (channel, want) in Channel::ALL.into_iter().zip(channels) {
            let request = QuoteRequest::new(Money::from_yuan(100), channel, at);
            match (schedule.quote(&request), want) {
                (Ok(quote), Some((rule, fee))) => {
                    assert_eq!((&*quote.rule, quote.fee), (rule, Money::parse(fee).unwrap()), "{name} {channel}");
                    assert_eq!(quote.net, Money::from_yuan(100) - quote.fee, "{name} {channel}");
                }
                (Err(err), None) => {
                    assert_eq!(err.code(), "no_matching_rule", "{name} {channel}: {err}");
                    assert!(err.to_string().contains(channel.name()), "{err}");
                }
                (result, want) => panic!("{name} {channel}: {result:?}, expected {want:?}"),
            }
        }
    }
}

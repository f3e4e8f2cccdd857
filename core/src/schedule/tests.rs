use super::*;

const HEAD: &str = "name = \"t\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n[[versions]]\neffective_from = \"2026-01-01\"\n";

fn with_rules(rules: &str) -> Result<Schedule> {
    Schedule::from_toml(&format!("{HEAD}{rules}"))
}

fn rejected(rules: &str, needles: &[&str]) {
    let err = with_rules(rules).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidSchedule, "{err}");
    let text = err.to_string();
    for needle in needles {
        assert!(text.contains(needle), "{text:?} should mention {needle:?}");
    }
}

#[test]
fn overlapping_rules_without_order_are_rejected_naming_both() {
    rejected(
        "[[versions.rules]]\nid = \"a\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\n[[versions.rules]]\nid = \"b\"\nchannels = [\"credit\", \"debit\"]\nrate = \"0.5%\"\n",
        &["\"a\"", "\"b\"", "priority", "versions[0].rules[1]"],
    );
}

#[test]
fn priority_or_specificity_orders_overlapping_rules() {
    let by_priority = "[[versions.rules]]\nid = \"a\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\n[[versions.rules]]\nid = \"b\"\nchannels = [\"credit\"]\nrate = \"0.5%\"\npriority = 1\n";
    assert!(with_rules(by_priority).is_ok());
    let disjoint_bands = "[[versions.rules]]\nid = \"a\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\namount_up_to = \"1000\"\n[[versions.rules]]\nid = \"b\"\nchannels = [\"credit\"]\nrate = \"0.5%\"\namount_over = \"1000\"\n";
    assert!(with_rules(disjoint_bands).is_ok());
    let overlapping_bands = "[[versions.rules]]\nid = \"a\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\namount_up_to = \"1000\"\n[[versions.rules]]\nid = \"b\"\nchannels = [\"credit\"]\nrate = \"0.5%\"\namount_over = \"999\"\n";
    rejected(overlapping_bands, &["\"a\"", "\"b\""]);
    let disjoint_windows = "[[versions.rules]]\nid = \"a\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\nvalid_until = \"2026-06-01\"\n[[versions.rules]]\nid = \"b\"\nchannels = [\"credit\"]\nrate = \"0.5%\"\nvalid_from = \"2026-06-01\"\n";
    assert!(with_rules(disjoint_windows).is_ok());
}

#[test]
fn limits_and_rates_are_checked_naming_the_rule() {
    rejected(
        "[[versions.rules]]\nid = \"debit\"\nchannels = [\"debit\"]\nrate = \"0.5%\"\ncap = \"10\"\nfloor = \"20\"\n",
        &["\"debit\"", "cap", "floor"],
    );
    rejected("[[versions.rules]]\nid = \"typo\"\nchannels = [\"debit\"]\nrate = \"0.6\"\n", &["\"typo\"", "sanity limit", "60%"]);
    rejected("[[versions.rules]]\nid = \"neg\"\nchannels = [\"debit\"]\nrate = \"-0.6%\"\n", &["-0.6%", "negative"]);
    rejected("[[versions.rules]]\nid = \"c\"\nchannels = [\"debit\"]\nrate = \"0.6%\"\ncap = \"-1\"\n", &["\"c\"", "negative"]);
    rejected("[[versions.rules]]\nid = \"c\"\nchannels = []\nrate = \"0.6%\"\n", &["\"c\"", "channels is empty"]);
    rejected("[[versions.rules]]\nid = \"c\"\nchannels = [\"visa\"]\nrate = \"0.6%\"\n", &["visa"]);
    rejected("[[versions.rules]]\nid = \"c\"\nchannels = [\"debit\"]\nrate = \"0.6%\"\nfixed = \"0.001\"\n", &["\"c\"", "scale"]);
    rejected("[[versions.rules]]\nid = \"c\"\nchannels = [\"debit\"]\nrate = \"0.6%\"\n[[versions.rules]]\nid = \"c\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\n", &["used twice"]);
    rejected("[[versions.rules]]\nid = \"c\"\nchannels = [\"debit\"]\nrate = \"0.6%\"\nvalid_from = \"2026-06-01\"\nvalid_until = \"2026-05-01\"\n", &["\"c\"", "ends"]);
    rejected("[[versions.rules]]\nid = \"c\"\nchannels = [\"debit\"]\nrate = \"0.6%\"\ncolour = \"red\"\n", &["colour"]);
    rejected("[[versions.surcharges]]\nid = \"d0\"\nmodes = [\"D0\"]\nfixed = \"3\"\nfallback = \"D0\"\n", &["\"d0\"", "fallback"]);
}

#[test]
fn versions_must_increase_and_exist() {
    let err = Schedule::from_toml("name = \"t\"\nversions = []\n[rounding]\nmode = \"up\"\nscale = 2\n").unwrap_err();
    assert!(err.to_string().contains("no versions"), "{err}");
    let text = format!("{HEAD}[[versions]]\neffective_from = \"2025-01-01\"\n");
    let err = Schedule::from_toml(&text).unwrap_err();
    assert!(err.to_string().contains("increasing order"), "{err}");
    let err = Schedule::from_toml("name = \"t\"\n[[versions]]\neffective_from = \"2026-01-01\"\n").unwrap_err();
    assert!(err.to_string().contains("rounding"), "rounding is never implicit: {err}");
}

#[test]
fn the_version_in_force_prices_the_trade() {
    let text = "name = \"rise\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n\
        [[versions]]\neffective_from = \"2026-01-01\"\n[[versions.rules]]\nid = \"old\"\nchannels = [\"debit\"]\nrate = \"0.55%\"\n\
        [[versions]]\neffective_from = \"2026-03-01T00:00:00+08:00\"\n[[versions.rules]]\nid = \"new\"\nchannels = [\"debit\"]\nrate = \"0.68%\"\n";
    let schedule = Schedule::from_toml(text).unwrap();
    let quote = |at: &str| {
        schedule.quote(&crate::QuoteRequest::new(Money::from_yuan(1000), Channel::Debit, crate::parse_china_time(at).unwrap())).unwrap()
    };
    assert_eq!(quote("2026-02-28T23:59:59+08:00").fee.to_string(), "5.50");
    assert_eq!(&*quote("2026-02-28T23:59:59+08:00").rule, "old");
    assert_eq!(quote("2026-03-01T00:00:00+08:00").fee.to_string(), "6.80");
    // 16:00 UTC on Feb 28 is already March 1 in China.
    assert_eq!(&*quote("2026-02-28T16:00:00Z").rule, "new");
}

#[test]
fn every_preset_round_trips_through_toml_and_json() {
    for name in crate::presets() {
        let schedule = Schedule::preset(name).unwrap();
        assert_eq!(Schedule::from_toml(&schedule.to_toml()).unwrap(), schedule, "{name}");
        assert_eq!(Schedule::from_json(&schedule.to_json()).unwrap(), schedule, "{name}");
        assert!(schedule.source().is_some(), "{name} must say where its numbers come from");
    }
}

#[test]
fn floors_and_fixed_fees_are_lines_of_their_own() {
    let schedule =
        with_rules("[[versions.rules]]\nid = \"floor\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\nfloor = \"0.5\"\nfixed = \"0.1\"\n")
            .unwrap();
    let quote = schedule
        .quote(&crate::QuoteRequest::new(Money::from_yuan(10), Channel::Credit, crate::parse_china_time("2026-05-06").unwrap()))
        .unwrap();
    assert_eq!(quote.fee.to_string(), "0.60");
    assert!(quote.floor_applied());
    assert_eq!(quote.lines.len(), 2);
    let text = quote.explanation().join("\n");
    assert!(text.contains("raised to the floor of ¥0.50"), "{text}");
    assert!(text.contains("fixed fee per transaction ¥0.10"), "{text}");
}

/// A schedule with every key of the file set: each accessor gives back what its key said,
/// and the schedule serializes (the shape `Schedule.info()` shows in JavaScript) with the
/// same values.
const EVERY_KEY: &str = r#"
name = "every-key"
title = "Every key"
title_zh = "每个键"
source = "a test"
cutoff = "22:30"
refund_policy = "proportional"
[rounding]
mode = "half_even"
scale = 3
[[versions]]
effective_from = "2026-01-01"
note = "version note"
[[versions.rules]]
id = "qr-big-credit"
channels = ["unionpay_qr"]
rate = "0.6%"
cap = "25"
floor = "0.1"
fixed = "0.5"
amount_over = "1000"
amount_up_to = "50000"
valid_from = "2026-02-01"
valid_until = "2026-03-01T12:00:00+08:00"
merchant_class = "retail"
card_type = "credit"
priority = 7
note = "rule note"
[[versions.surcharges]]
id = "instant"
modes = ["D0", "S0"]
channels = ["credit", "debit"]
fixed = "2"
rate = "0.1%"
min_amount = "100"
fallback = "T1"
note = "surcharge note"
"#;

#[test]
fn every_accessor_gives_back_its_key() {
    let schedule = Schedule::from_toml(EVERY_KEY).unwrap();
    assert_eq!((schedule.name(), schedule.title(), schedule.source()), ("every-key", Some("Every key"), Some("a test")));
    assert_eq!(schedule.title_in(crate::Lang::Zh), Some("每个键"));
    assert_eq!(schedule.cutoff().to_string(), "22:30");
    assert_eq!(schedule.refund_policy(), RefundPolicy::Proportional);
    assert_eq!(schedule.rounding(), Rounding::new(crate::RoundingMode::HalfEven, 3).unwrap());
    assert_eq!(schedule.merchant_classes(), vec!["retail"]);
    let version = &schedule.versions()[0];
    assert_eq!((version.effective_from().to_rfc3339().as_str(), version.note()), ("2026-01-01T00:00:00+08:00", Some("version note")));
    let rule = &version.rules()[0];
    assert_eq!((rule.id(), rule.channels()), ("qr-big-credit", &[Channel::UnionpayQr][..]));
    assert_eq!((rule.rate().to_string(), rule.fixed()), ("0.6%".to_string(), Money::parse("0.5").unwrap()));
    assert_eq!((rule.cap(), rule.floor()), (Some(Money::from_yuan(25)), Some(Money::parse("0.1").unwrap())));
    assert_eq!((rule.amount_over(), rule.amount_up_to()), (Some(Money::from_yuan(1000)), Some(Money::from_yuan(50000))));
    let time = |at: Option<DateTime<FixedOffset>>| at.map(|at| at.to_rfc3339());
    assert_eq!(time(rule.valid_from()).as_deref(), Some("2026-02-01T00:00:00+08:00"));
    assert_eq!(time(rule.valid_until()).as_deref(), Some("2026-03-01T12:00:00+08:00"));
    assert_eq!(
        (rule.merchant_class(), rule.card_type(), rule.priority(), rule.note()),
        (Some("retail"), Some(CardType::Credit), 7, Some("rule note"))
    );
    let surcharge = &version.surcharges()[0];
    assert_eq!((surcharge.id(), surcharge.channels()), ("instant", &[Channel::Credit, Channel::Debit][..]));
    assert_eq!(surcharge.modes(), &[SettlementMode::D(0), SettlementMode::parse("S0").unwrap()][..]);
    assert_eq!((surcharge.fixed(), surcharge.rate().to_string()), (Money::from_yuan(2), "0.1%".to_string()));
    assert_eq!((surcharge.min_amount(), surcharge.fallback()), (Some(Money::from_yuan(100)), SettlementMode::T(1)));
    assert_eq!(surcharge.note(), Some("surcharge note"));

    let data = serde_json::to_value(&schedule).unwrap();
    assert_eq!(data["refund_policy"], RefundPolicy::Proportional.name());
    assert_eq!(data["rounding"], serde_json::json!({"mode": "half_even", "scale": 3}));
    assert_eq!(data["versions"][0]["rules"][0]["valid_until"], "2026-03-01T12:00:00+08:00");
    assert_eq!(data["versions"][0]["rules"][0]["priority"], 7);
    assert_eq!(data["versions"][0]["surcharges"][0]["modes"], serde_json::json!(["D0", "S0"]));
    assert!(data["versions"][0]["rules"][0].get("channel_mask").is_none());
}

#[test]
fn policy_names_are_the_file_names() {
    for policy in [RefundPolicy::KeepFee, RefundPolicy::Proportional] {
        assert_eq!(serde_json::to_value(policy).unwrap(), policy.name());
    }
}

#[test]
fn band_and_window_edges() {
    // (¥1000, ∞) and [2026-03-01, 2026-04-01): the lower edge of the band and the upper edge
    // of the window are outside.
    let schedule = with_rules(
        "[[versions.rules]]\nid = \"big-march\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\namount_over = \"1000\"\nvalid_from = \"2026-03-01\"\nvalid_until = \"2026-04-01\"\n",
    )
    .unwrap();
    let quote = |amount: &str, at: &str| {
        let request = crate::QuoteRequest::new(Money::parse(amount).unwrap(), Channel::Credit, crate::parse_china_time(at).unwrap());
        schedule.quote(&request).map(|quote| quote.rule.to_string()).map_err(|e| e.kind())
    };
    assert_eq!(quote("1000", "2026-03-10"), Err(ErrorKind::NoMatchingRule));
    assert_eq!(quote("1000.01", "2026-03-10"), Ok("big-march".into()));
    assert_eq!(quote("5000", "2026-03-01 00:00"), Ok("big-march".into()));
    assert_eq!(quote("5000", "2026-02-28 23:59:59"), Err(ErrorKind::NoMatchingRule));
    assert_eq!(quote("5000", "2026-03-31 23:59:59"), Ok("big-march".into()));
    assert_eq!(quote("5000", "2026-04-01 00:00"), Err(ErrorKind::NoMatchingRule));
}

#[test]
fn a_quote_names_its_schedule_and_classes_are_known_by_name() {
    let schedule = Schedule::from_toml(EVERY_KEY).unwrap();
    let request =
        crate::QuoteRequest::new(Money::from_yuan(2000), Channel::UnionpayQr, crate::parse_china_time("2026-02-10 10:00").unwrap())
            .merchant_class("retail")
            .card_type(CardType::Credit);
    assert_eq!(schedule.quote(&request).unwrap().schedule, "every-key");
    #[cfg(feature = "reconcile")]
    {
        assert!(schedule.has_merchant_class("retail"));
        assert!(!schedule.has_merchant_class("hotel"));
        assert!(!schedule.has_merchant_class(""));
    }
}

#[test]
fn no_matching_rule_says_when_a_card_type_is_missing_and_only_then() {
    let schedule = with_rules(
        "[[versions.rules]]\nid = \"qr-small\"\nchannels = [\"unionpay_qr\"]\nrate = \"0.38%\"\namount_up_to = \"1000\"\n\
         [[versions.rules]]\nid = \"qr-big-credit\"\nchannels = [\"unionpay_qr\"]\nrate = \"0.6%\"\namount_over = \"1000\"\ncard_type = \"credit\"\n\
         [[versions.rules]]\nid = \"card-small\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\namount_up_to = \"1000\"\n\
         [[versions.rules]]\nid = \"wechat-small\"\nchannels = [\"wechat\"]\nrate = \"0.38%\"\namount_up_to = \"1000\"\n",
    )
    .unwrap();
    let message = |channel: Channel, card_type: Option<CardType>| {
        let mut request = crate::QuoteRequest::new(Money::from_yuan(2000), channel, crate::parse_china_time("2026-05-06").unwrap());
        if let Some(card) = card_type {
            request = request.card_type(card);
        }
        let error = schedule.quote(&request).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NoMatchingRule, "{error}");
        error.message().to_string()
    };
    let hint = "need the card type";
    assert!(message(Channel::UnionpayQr, None).contains(hint));
    assert!(!message(Channel::UnionpayQr, Some(CardType::Debit)).contains(hint));
    assert!(!message(Channel::Credit, None).contains(hint), "a card channel implies its card type");
    assert!(!message(Channel::Wechat, None).contains(hint), "only a UnionPay QR rule has a card type");
    assert!(message(Channel::Debit, None).contains("the version has no rule for debit at all"));
}

#[test]
fn every_key_survives_the_round_trip_through_toml_and_json() {
    let schedule = Schedule::from_toml(EVERY_KEY).unwrap();
    assert_eq!(Schedule::from_toml(&schedule.to_toml()).unwrap(), schedule, "{}", schedule.to_toml());
    assert_eq!(Schedule::from_json(&schedule.to_json()).unwrap(), schedule, "{}", schedule.to_json());
}

#[test]
fn an_empty_surcharge_channel_list_is_refused() {
    let error = with_rules(
        "[[versions.rules]]\nid = \"all\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\n[[versions.surcharges]]\nid = \"d0\"\nmodes = [\"D0\"]\nfixed = \"3\"\nchannels = []\n",
    )
    .unwrap_err();
    assert!(error.message().contains("channels is empty"), "{error}");
    assert_eq!(error.location().field.as_deref(), Some("versions[0].surcharges[0].channels"));
}

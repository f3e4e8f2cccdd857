//! One quote and a cap threshold asked for by named text fields (`posfee::request`, the
//! requests of the JavaScript `Schedule.quote` and `Schedule.capThreshold`).
use posfee::request::{AmountInput, CapInput, QuoteInput, ScheduleSource};
use posfee::Calendar;

/// A preset's name and a trade to quote with it.
type Request = (String, QuoteInput);

fn request(preset: &str, amount: &str, channel: &str, at: &str, settlement: &str) -> Request {
    let trade = CapInput { channel: channel.into(), at: at.into(), merchant_class: None, card_type: None };
    (preset.into(), QuoteInput { amount: amount.into(), trade, settlement: Some(settlement.into()), ..Default::default() })
}

/// What `Schedule.preset(preset).quote(input)` returns (or its error).
fn quoted((preset, input): &Request) -> posfee::Result<posfee::Quote> {
    input.quote(&ScheduleSource::Preset(preset.clone()).load()?, Calendar::china())
}

/// What `Schedule.preset(preset).capThreshold(input)` returns.
fn cap_threshold((preset, input): &(String, CapInput)) -> posfee::Result<Option<posfee::CapThreshold>> {
    input.cap_threshold(&ScheduleSource::Preset(preset.clone()).load()?)
}

#[test]
fn quotes_as_strings() {
    let quote = quoted(&request("sft-traditional", "5000", "debit", "2026-09-30T22:30:00+08:00", "T1")).unwrap();
    assert_eq!(
        (quote.fee.to_string(), quote.net.to_string(), quote.settles_on.to_string()),
        ("20.00".into(), "4980.00".into(), "2026-10-08".into())
    );
    let json = quote.json();
    assert!(json.cap_applied);
    assert_eq!(json.channel_zh, "借记卡");
    assert_eq!(quote.lines[0].limit, Some(posfee::AppliedLimit { kind: posfee::Limit::Cap, value: posfee::Money::from_yuan(20) }));
}

#[test]
fn surcharge_exceeding_amount_is_flagged() {
    let quote = quoted(&request("standard-d0", "1", "debit", "2026-05-06 10:00", "D0")).unwrap();
    assert_eq!((quote.fee.to_string(), quote.net.to_string()), ("3.01".into(), "-2.01".into()));
    assert!(quote.fee_exceeds_amount);
}

#[test]
fn numbers_are_rejected_as_amounts() {
    // A table row's amount (quoteMany, compare) as JavaScript gave it; a quote request's is
    // refused as it is read.
    let error = AmountInput::Number("1000".into()).parse().unwrap_err();
    assert_eq!(error.code(), "invalid_amount");
    assert_eq!(error.location().field.as_deref(), Some("amount"));
}

#[test]
fn errors_name_their_field() {
    let error = quoted(&request("nope", "1", "debit", "2026-05-06", "T1")).unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("unknown_preset", Some("preset")));
    let error = quoted(&request("standard", "1", "visa", "2026-05-06", "T1")).unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_channel", Some("channel")));
    let error = quoted(&request("standard", "1", "debit", "2026-13-06", "T1")).unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_date", Some("at")));
    // A request names its schedule once: by preset or by TOML text.
    let both = ScheduleSource::of(&Some("standard".into()), &Some("name = 'x'".into())).unwrap_err();
    assert_eq!((both.code(), both.location().field.as_deref()), ("invalid_request", Some("schedule")));
    let neither = ScheduleSource::of(&None, &None).unwrap_err();
    assert_eq!((neither.code(), neither.location().field.as_deref()), ("invalid_request", Some("preset")));
    assert_eq!(ScheduleSource::of(&None, &Some(String::new())).unwrap(), ScheduleSource::Toml(String::new()));
}

#[test]
fn cap_threshold_follows_the_rule() {
    let input = |preset: &str, channel: &str| {
        (preset.to_owned(), CapInput { channel: channel.into(), at: "2026-05-06 10:00".into(), merchant_class: None, card_type: None })
    };
    let cap = cap_threshold(&input("sft-traditional", "debit")).unwrap().unwrap();
    assert_eq!((cap.from.to_string(), cap.break_even.to_string(), cap.break_even_exact), ("3635.46".into(), "3636.3636".into(), false));
    let cap = cap_threshold(&input("standard", "debit")).unwrap().unwrap();
    assert_eq!((cap.from.to_string(), cap.break_even.to_string(), cap.break_even_exact), ("3999.00".into(), "4000.0000".into(), true));
    assert_eq!(cap_threshold(&input("standard", "credit")).unwrap(), None);
    let mut discounted = input("standard", "debit");
    discounted.1.merchant_class = Some("discounted".into());
    let cap = cap_threshold(&discounted).unwrap().unwrap();
    assert_eq!(
        (cap.rule.as_str(), cap.cap.to_string(), cap.break_even.to_string()),
        ("discounted-debit", "18.00".into(), "4500.0000".into())
    );
}

#[test]
fn empty_strings_are_values_not_absent_fields() {
    let error = quoted(&request("standard", "1", "debit", "2026-05-06", "")).unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_settlement", Some("settlement")));
    let error = quoted(&request("", "1", "debit", "2026-05-06", "T1")).unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("unknown_preset", Some("preset")));
    let mut card = request("standard", "1", "unionpay_qr", "2026-05-06", "T1");
    card.1.trade.card_type = Some(String::new());
    assert_eq!(quoted(&card).unwrap_err().location().field.as_deref(), Some("card_type"));
}

#[test]
fn cap_threshold_never_swallows_errors() {
    let input = |at: &str, card_type: Option<&str>| {
        (
            "sft-traditional".to_owned(),
            CapInput { channel: "debit".into(), at: at.into(), merchant_class: None, card_type: card_type.map(str::to_owned) },
        )
    };
    // T+1 of 2026-12-31 is in 2027 (no holiday data): the threshold does not depend on it.
    let cap = cap_threshold(&input("2026-12-31 10:00", None)).unwrap().unwrap();
    assert_eq!(cap.from.to_string(), "3635.46");
    // A card type that contradicts the channel is the core's error, not "uncapped".
    assert_eq!(cap_threshold(&input("2026-05-06", Some("credit"))).unwrap_err().code(), "invalid_request");
}

#[test]
fn provisional_settlement_dates() {
    let at_year_end = request("sft-traditional", "100", "debit", "2026-12-31 10:00", "T1");
    assert_eq!(quoted(&at_year_end).unwrap_err().code(), "calendar_out_of_range");
    let mut provisional = at_year_end.clone();
    provisional.1.provisional = Some(true);
    let quote = quoted(&provisional).unwrap();
    assert!(quote.settles_on_provisional);
    assert_eq!(quote.settles_on.to_string(), "2027-01-01");
}

#[test]
fn the_last_month_of_the_data_is_noted() {
    let quote = quoted(&request("sft-traditional", "100", "debit", "2026-12-07 10:00", "T1")).unwrap();
    assert_eq!(quote.calendar_data_ends.map(|d| d.to_string()).as_deref(), Some("2026-12-31"));
    assert!(quote.explanation().iter().any(|line| line.starts_with("NOTE: the holiday data ends 2026-12-31")));
    let quote = quoted(&request("sft-traditional", "100", "debit", "2026-11-30 10:00", "T1")).unwrap();
    assert_eq!(quote.calendar_data_ends, None);
}

#[test]
fn a_schedule_as_toml_text_names_its_field() {
    let schedule = ScheduleSource::Toml(posfee::preset_toml("standard-d0").unwrap().to_owned()).load().unwrap();
    assert_eq!(schedule.name(), "standard-d0");
    let error = ScheduleSource::Toml("name = \"x\"\nrate = ".into()).load().unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_schedule", Some("schedule")));
}

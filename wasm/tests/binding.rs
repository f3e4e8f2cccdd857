//! The binding's request and result functions (`*_impl`) on the host: what the
//! `#[wasm_bindgen]` exports return to JavaScript, without a JavaScript engine.
use posfee_wasm::*;

/// A preset's name and a trade to quote with it.
type Request = (String, QuoteInput);

fn request(preset: &str, amount: &str, channel: &str, at: &str, settlement: &str) -> Request {
    let input = QuoteInput {
        amount: amount.into(),
        channel: channel.into(),
        at: at.into(),
        settlement: Some(settlement.into()),
        merchant_class: None,
        card_type: None,
        provisional: None,
        limits: None,
    };
    (preset.into(), input)
}

/// What `Schedule.preset(preset).quote(input)` returns to JavaScript (or its error).
fn quoted((preset, input): &Request) -> posfee::Result<posfee::Quote> {
    quote_impl(&ScheduleSource::Preset(preset.clone()).load()?, input)
}

/// What `Schedule.preset(preset).capThreshold(input)` returns.
fn cap_threshold((preset, input): &(String, CapInput)) -> posfee::Result<Option<posfee::CapThreshold>> {
    cap_threshold_impl(&ScheduleSource::Preset(preset.clone()).load()?, input)
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
    card.1.card_type = Some(String::new());
    assert_eq!(quoted(&card).unwrap_err().location().field.as_deref(), Some("cardType"));
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

#[cfg(feature = "holiday-cn")]
use posfee::HolidayCnYear;

#[cfg(feature = "holiday-cn")]
fn new_year_2027() -> HolidayCnYear {
    let day = |date: &str, is_off_day| posfee::HolidayCnDay { name: "元旦".into(), date: date.into(), is_off_day };
    HolidayCnYear {
        year: 2027,
        papers: vec!["https://www.gov.cn/example".into()],
        days: vec![day("2027-01-01", true), day("2027-01-02", true), day("2027-01-03", true)],
    }
}

// The loaded calendar is thread-local: each test (thread) starts from the embedded one.
#[cfg(feature = "holiday-cn")]
#[test]
fn holidays_loaded_are_used_until_reset() {
    let years = load_holiday_cn_impl(vec![new_year_2027()]).unwrap();
    assert_eq!((years.first_year, years.last_year), (2005, 2027));
    assert!(!is_business_day_impl("2027-01-01").unwrap());
    assert_eq!(add_business_days_impl("2026-12-31", 1).unwrap(), "2027-01-04");
    let quote = quoted(&request("sft-traditional", "100", "debit", "2026-12-31 10:00", "T1")).unwrap();
    assert_eq!((quote.settles_on.to_string(), quote.calendar_data_ends), ("2027-01-04".into(), None));
    let placeholder = HolidayCnYear { year: 2028, papers: vec![], days: vec![] };
    let error = load_holiday_cn_impl(vec![placeholder]).unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_calendar", Some("holidays")));
    assert_eq!(calendar_years_impl().last_year, 2027);
    assert_eq!(reset_holidays_impl().last_year, 2026);
    assert_eq!(is_business_day_impl("2027-01-01").unwrap_err().code(), "calendar_out_of_range");
    #[cfg(feature = "holidays")]
    {
        let year_2027 = "[[years]]\nyear = 2027\nnotice = \"test notice\"\n[[years.holidays]]\nname_zh = \"元旦\"\nname_en = \"New Year's Day\"\nfirst = 2027-01-01\nlast = 2027-01-03\n";
        assert_eq!(load_holidays_toml_impl(year_2027).unwrap().last_year, 2027);
        assert!(!is_business_day_impl("2027-01-01").unwrap());
        let error = load_holidays_toml_impl("[[years]]\nyear = 2029\nnotice = \"gap\"\n").unwrap_err();
        assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_calendar", Some("holidays")));
        let error = load_holidays_toml_impl("[[years]]\nyear = \n").unwrap_err();
        assert_eq!((error.code(), error.location().line), ("invalid_calendar", Some(2)));
        assert_eq!(reset_holidays_impl().last_year, 2026);
    }
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
fn calendar_out_of_range_says_what_to_do_in_javascript() {
    let error = posfee_wasm::Error::from(is_business_day_impl("2099-01-01").unwrap_err());
    let message = js_message(&error);
    assert!(message.starts_with(&error.to_string()), "{message}");
    assert!(message.contains("loadHolidays(text)") && message.contains("provisional: true"), "{message}");
    let other = posfee_wasm::Error::from(quoted(&request("nope", "1", "debit", "2026-05-06", "T1")).unwrap_err());
    assert_eq!(js_message(&other), other.to_string());
}

#[test]
fn calendar() {
    assert!(!is_business_day_impl("2026-10-01").unwrap());
    assert!(is_business_day_impl("2026-10-10").unwrap()); // make-up Saturday
    assert_eq!(add_business_days_impl("2026-09-30", 1).unwrap(), "2026-10-08");
    // n: whole numbers a JS number holds exactly; the core's range beyond that.
    assert_eq!([1.0, -3.0, 9_007_199_254_740_991.0].map(whole_days), [Some(1), Some(-3), Some(9_007_199_254_740_991)]);
    for n in [1.5, f64::NAN, f64::INFINITY, 9_007_199_254_740_992.0, -1e30] {
        assert_eq!(whole_days(n), None, "{n}");
    }
    let far = add_business_days_impl("2026-09-30", 3_000_000).unwrap_err();
    assert_eq!((far.code(), far.location().field.as_deref()), ("overflow", Some("n")));
    assert_eq!(is_business_day_impl("2099-01-01").unwrap_err().code(), "calendar_out_of_range");
}

#[test]
fn presets_and_schedules() {
    let schedule = ScheduleSource::Toml(preset_toml_impl("standard-d0").unwrap()).load().unwrap();
    assert_eq!(schedule.name(), "standard-d0");
    let error = ScheduleSource::Toml("name = \"x\"\nrate = ".into()).load().unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_schedule", Some("schedule")));
    let error = preset_toml_impl("nope").unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("unknown_preset", Some("preset")));
}

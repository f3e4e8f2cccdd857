//! The binding's result functions (`*_impl`) on the host: what the
//! `#[wasm_bindgen]` exports return to JavaScript, without a JavaScript engine.
use posfee_wasm::*;

use posfee::request::ScheduleSource;

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
fn calendar_out_of_range_says_what_to_do_in_javascript() {
    let error = is_business_day_impl("2099-01-01").unwrap_err();
    let message = js_message(&error);
    assert!(message.starts_with(&error.to_string()), "{message}");
    assert!(message.contains("loadHolidays(text)") && message.contains("provisional: true"), "{message}");
    let other = ScheduleSource::Preset("nope".into()).load().unwrap_err();
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
    assert!(preset_toml_impl("standard-d0").unwrap().contains("name = \"standard-d0\""));
    let error = preset_toml_impl("nope").unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("unknown_preset", Some("preset")));
}

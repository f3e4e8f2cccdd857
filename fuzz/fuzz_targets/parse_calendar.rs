//! Fuzzes the calendar parsers (posfee's calendar TOML and holiday-cn JSON, through
//! `Calendar::with_years_from_text`): any text gives a calendar or a typed
//! `invalid_calendar` error, never a panic or a stack overflow; a calendar that loads answers
//! business-day questions over its whole range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::Calendar;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for parsed in [Calendar::from_toml(text), Calendar::china().with_years_from_text(text)] {
        match parsed {
            Err(error) => assert!(matches!(error.code(), "invalid_calendar" | "invalid_date"), "{error}"),
            Ok(calendar) => {
                let first = chrono::NaiveDate::from_ymd_opt(*calendar.years().start(), 1, 1).unwrap();
                let last = chrono::NaiveDate::from_ymd_opt(*calendar.years().end(), 12, 31).unwrap();
                for date in [first, last] {
                    assert!(calendar.is_business_day(date).is_ok());
                    let _ = calendar.add_business_days(date, 5);
                    let _ = calendar.add_business_days(date, -5);
                }
            }
        }
    }
});

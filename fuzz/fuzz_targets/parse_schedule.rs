//! Fuzzes the schedule parsers (`Schedule::from_toml`, `Schedule::from_json`): any text gives
//! a schedule or a typed `invalid_schedule` error, never a panic or a stack overflow (the
//! nesting limit holds); a schedule that loads prints back to an equal schedule and prices
//! a trade or says why not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::{Channel, Money, QuoteRequest, Schedule};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for parsed in [Schedule::from_toml(text), Schedule::from_json(text)] {
        match parsed {
            Err(error) => assert_eq!(error.code(), "invalid_schedule", "{error}"),
            Ok(schedule) => {
                assert_eq!(Schedule::from_toml(&schedule.to_toml()).as_ref(), Ok(&schedule));
                let at = posfee::parse_china_time("2026-05-06 10:00").unwrap();
                for channel in Channel::ALL {
                    let _ = schedule.quote(&QuoteRequest::new(Money::from_yuan(100), channel, at));
                }
            }
        }
    }
});

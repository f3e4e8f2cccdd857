//! Fuzzes the requests as named text fields (`posfee::request`), read from JSON as a JSON
//! service or the WebAssembly binding reads them: any text is a request or a serde error, and
//! a request is answered or refused with a typed error, never a panic. A table quoted with
//! `onInvalid: "report"` answers every row, each with a fee or an error; offers compared
//! answer every offer. The same text read as a JSON value goes through the core's object
//! reader (`posfee::request::Object`, as the WebAssembly calculator's JS objects do): a quote
//! request, a cap request and holiday-cn data are read or refused, and what is read is used.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::request::{CapInput, Case, CompareInput, QuoteInput, QuoteManyInput, Value};
use posfee::{Calendar, HolidayCnYear, Schedule};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(input) = serde_json::from_str::<QuoteManyInput>(text) {
        if let Ok(rows) = input.quote(Calendar::china()) {
            assert_eq!(rows.len(), input.rows.len());
            assert!(rows.iter().all(|row| row.fee.is_empty() != row.error.is_empty()), "{rows:?}");
        }
    }
    if let Ok(input) = serde_json::from_str::<CompareInput>(text) {
        if let Ok(comparison) = input.compare() {
            assert_eq!(comparison["offers"].as_array().map(Vec::len), Some(input.offers.len()));
        }
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        // Parsed once, not per input.
        static SCHEDULE: std::sync::OnceLock<Schedule> = std::sync::OnceLock::new();
        let schedule = SCHEDULE.get_or_init(|| Schedule::preset("sft-traditional").expect("a shipped preset"));
        if let Ok(input) = QuoteInput::from_object(Value::from(json.clone()), Case::Camel) {
            let _ = input.quote(schedule, Calendar::china());
        }
        if let Ok(input) = CapInput::from_object(Value::from(json.clone()), Case::Camel) {
            let _ = input.cap_threshold(schedule);
        }
        if let Ok(years) = HolidayCnYear::from_object(Value::from(json)) {
            let _ = Calendar::china().with_holiday_cn_years(years);
        }
    }
});

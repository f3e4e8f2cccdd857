//! Fuzzes the requests as named text fields (`posfee::request`), read from JSON as a JSON
//! service or the WebAssembly binding reads them: any text is a request or a serde error, and
//! a request is answered or refused with a typed error, never a panic. A table quoted with
//! `onInvalid: "report"` answers every row, each with a fee or an error; offers compared
//! answer every offer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::request::{CompareInput, QuoteManyInput};
use posfee::Calendar;

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
});

//! Fuzzes the format-profile parser (`Profile::from_toml`): any text gives a profile or a
//! typed `invalid_record` error naming the key, never a panic or a stack overflow; a profile
//! that loads reads a small file without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::reconcile::{read_statement, Profile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Profile::from_toml(text) {
        Err(error) => assert_eq!(error.code(), "invalid_record", "{error}"),
        Ok(profile) => {
            let sample = "清算日期,交易日期,交易时间,交易金额,手续费,卡类别\n20260507,20260506,103000,100.00,0.60,贷记卡\n1|2|3|4\n";
            let _ = read_statement(sample.as_bytes(), "fuzz.csv", &profile);
        }
    }
});

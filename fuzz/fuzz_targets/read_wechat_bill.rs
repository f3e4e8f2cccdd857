//! Fuzzes the `wechat-merchant` statement profile (what `posfee::reconcile::read_wechat_bill` reads with): any
//! bytes give a table or a typed error, never a panic; what is read reconciles (against an
//! empty other side) with conservation intact.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(statement) = posfee::reconcile::read_statement(data, "fuzz.csv", common::profile("wechat-merchant")) {
        common::statement_conserved(&statement);
    }
});

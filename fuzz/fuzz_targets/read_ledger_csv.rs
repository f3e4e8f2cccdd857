//! Fuzzes `posfee::reconcile::read_ledger_csv`: any bytes give a table or a typed error, never a
//! panic; what is read reconciles (against an empty other side) with conservation intact.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(ledger) = posfee::reconcile::read_ledger_csv(data, "fuzz.csv") {
        common::ledger_conserved(&ledger);
    }
});

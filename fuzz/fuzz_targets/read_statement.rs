//! Fuzzes `posfee::reconcile::read_statement` with every shipped profile (and `Profile::sniff`):
//! any bytes give a table or a typed error, never a panic; what is read reconciles (against an
//! empty ledger) with conservation intact: one report row per statement row and read issue.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::reconcile::*;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let sniffed = Profile::sniff(data).ok();
    let mut profiles: Vec<&Profile> = formats().into_iter().map(common::profile).collect();
    profiles.extend(sniffed.as_ref());
    for profile in profiles {
        for strict in [false, true] {
            let read = read_statement_with(data, "INN26050688ZM_fuzz.txt", profile, ReadOptions { strict, ..ReadOptions::default() });
            if let Ok(table) = read {
                common::statement_conserved(&table);
            }
        }
    }
});

//! Fuzzes `posfee::reconcile::read_statement` with every shipped profile (and `Profile::sniff`),
//! one profile per execution, chosen by the input's first byte:
//! any bytes give a table or a typed error, never a panic; what is read reconciles (against an
//! empty ledger) with conservation intact: one report row per statement row and read issue.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::reconcile::*;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses the profile and the strictness, so that each execution reads the
    // input once (every profile is reached across the run, and the fuzzer mutates the choice).
    common::allow_caught_panics();
    let Some((&choice, data)) = data.split_first() else { return };
    let names = formats();
    let strict = choice & 0x80 != 0;
    let sniffed;
    let profile = match usize::from(choice & 0x7f) % (names.len() + 1) {
        k if k < names.len() => common::profile(names[k]),
        _ => match Profile::sniff(data) {
            Ok(profile) => {
                sniffed = profile;
                &sniffed
            }
            Err(error) => return assert_eq!(error.code(), "invalid_record", "{error}"),
        },
    };
    let read = read_statement_with(data, "INN26050688ZM_fuzz.txt", profile, ReadOptions { strict, ..ReadOptions::default() });
    if let Ok(table) = read {
        common::statement_conserved(&table);
    }
});

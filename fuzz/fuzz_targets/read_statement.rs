//! Fuzzes `posfee::reconcile::read_statement` with every shipped profile (and `Profile::sniff`):
//! any bytes give a table or a typed error, never a panic; what is read reconciles (against an
//! empty ledger) with conservation intact: one report row per statement row and read issue.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::reconcile::*;

fuzz_target!(|data: &[u8]| {
    let options = ReconcileOptions::new(
        posfee::Schedule::preset("sft-traditional").unwrap(),
        MerchantProfile::new("102310058120001", "fuzz").unwrap(),
    );
    let mut profiles: Vec<Profile> = formats().into_iter().map(|name| Profile::builtin(name).unwrap()).collect();
    if let Ok(sniffed) = Profile::sniff(data) {
        profiles.push(sniffed);
    }
    for profile in &profiles {
        for strict in [false, true] {
            let read = read_statement_with(data, "INN26050688ZM_fuzz.txt", profile, ReadOptions { strict, ..ReadOptions::default() });
            let Ok(table) = read else { continue };
            let rows = table.len() + table.issues().len();
            if let Ok(report) = reconcile(&Ledger::new("empty"), &table, &options) {
                assert_eq!(report.len(), rows, "{}", profile.name());
            }
        }
    }
});

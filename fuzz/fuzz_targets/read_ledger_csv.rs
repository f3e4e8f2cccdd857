//! Fuzzes `posfee::reconcile::read_ledger_csv`: any bytes give a table or a typed error, never a
//! panic; what is read reconciles (against an empty other side) with conservation intact.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::reconcile::*;

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = read_ledger_csv(data, "fuzz.csv") {
        let rows = table.len() + table.issues().len();
        let options = ReconcileOptions::new(
            posfee::Schedule::preset("sft-traditional").unwrap(),
            MerchantProfile::new("102310058120001", "fuzz").unwrap(),
        );
        let report = reconcile(&table, &Statement::new("empty"), &options);
        if let Ok(report) = report {
            assert_eq!(report.len(), rows);
        }
    }
});

//! Fuzzes `posfee::reconcile::read_wechat_bill`: any bytes give a table or a typed error, never a
//! panic; what is read reconciles (against an empty other side) with conservation intact.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posfee::reconcile::*;

fuzz_target!(|data: &[u8]| {
    if let Ok(table) = read_wechat_bill(data, "fuzz.csv") {
        let rows = table.len() + table.issues().len();
        let options = ReconcileOptions::new(
            posfee::Schedule::preset("sft-traditional").unwrap(),
            MerchantProfile::new("102310058120001", "fuzz").unwrap(),
        );
        let report = reconcile(&Ledger::new("empty"), &table, &options);
        if let Ok(report) = report {
            assert_eq!(report.len(), rows);
        }
    }
});

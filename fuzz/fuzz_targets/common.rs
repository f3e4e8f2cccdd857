//! What the reader fuzz targets share: options built once (not per execution), and the
//! conservation check of what a reader read.

use std::sync::OnceLock;

use posfee::reconcile::{reconcile, Ledger, MerchantProfile, Profile, ReconcileOptions, Statement};

/// libfuzzer-sys aborts on every panic, also on one that is caught. The Excel reader is a
/// third party's parser that panics on some damaged files; posfee catches those panics and
/// makes them the file's error (`workbook.rs`). Targets that may reach it call this first: a
/// caught panic is then no crash, and a panic that escapes posfee still aborts the run (the
/// fuzz target's own `catch_unwind` in libfuzzer-sys).
pub fn allow_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|_| {})));
}

/// The options every target reconciles with, built once.
pub fn options() -> &'static ReconcileOptions {
    static OPTIONS: OnceLock<ReconcileOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        ReconcileOptions::new(
            posfee::Schedule::preset("sft-traditional").unwrap(),
            MerchantProfile::new("102310058120001", "fuzz").unwrap(),
        )
    })
}

/// A shipped profile, loaded once per name.
pub fn profile(name: &'static str) -> &'static Profile {
    static PROFILES: OnceLock<Vec<(&'static str, Profile)>> = OnceLock::new();
    let all = PROFILES.get_or_init(|| posfee::reconcile::formats().into_iter().map(|n| (n, Profile::builtin(n).unwrap())).collect());
    &all.iter().find(|(n, _)| *n == name).expect("a shipped profile").1
}

/// Every row and every unreadable line of `statement` lands in exactly one report row.
pub fn statement_conserved(statement: &Statement) {
    let rows = statement.len() + statement.issues().len();
    if let Ok(report) = reconcile(&Ledger::new("empty"), statement, options()) {
        assert_eq!(report.len(), rows);
    }
}

/// The same for a ledger.
pub fn ledger_conserved(ledger: &Ledger) {
    let rows = ledger.len() + ledger.issues().len();
    if let Ok(report) = reconcile(ledger, &Statement::new("empty"), options()) {
        assert_eq!(report.len(), rows);
    }
}

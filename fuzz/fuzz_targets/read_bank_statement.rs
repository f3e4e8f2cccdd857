//! Fuzzes `posfee::reconcile::deposits::read_bank_statement` with every shipped bank profile
//! (and `BankProfile::sniff`), and `reconcile_deposits` on what it reads against a fixed
//! statement: any bytes give a bank statement or a typed error, never a panic; the deposit
//! report puts every acquirer row in one class and never fails its own balance check.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use posfee::reconcile::deposits::*;
use posfee::reconcile::Statement;

/// A statement of a few payouts, built once.
fn statement() -> &'static Statement {
    static STATEMENT: OnceLock<Statement> = OnceLock::new();
    STATEMENT.get_or_init(|| simulation::generate_deposits(&simulation::DepositSimulationOptions::new(1)).unwrap().statement)
}

fn profiles() -> &'static [BankProfile] {
    static PROFILES: OnceLock<Vec<BankProfile>> = OnceLock::new();
    PROFILES.get_or_init(|| bank_formats().into_iter().map(|name| BankProfile::builtin(name).unwrap()).collect())
}

fuzz_target!(|data: &[u8]| {
    let sniffed = BankProfile::sniff(data).ok();
    for profile in profiles().iter().chain(sniffed.as_ref()) {
        if let Ok(bank) = read_bank_statement(data, "fuzz.csv", profile) {
            match reconcile_deposits(statement(), &bank, &DepositOptions::new()) {
                Ok(report) => assert_eq!(report.bank.len() as u64, report.summary.acquirer_rows),
                Err(error) => assert_ne!(error.code(), "internal", "{error}"),
            }
        }
    }
});

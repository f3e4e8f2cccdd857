//! Fuzzes `posfee::reconcile::deposits::read_bank_statement` with every shipped bank profile
//! (and `BankProfile::sniff`), one per execution chosen by the input's first byte, and
//! `reconcile_deposits` on what it reads against a fixed statement: any bytes give a bank statement or a typed error, never a panic; the deposit
//! report puts every acquirer row in one class and never fails its own balance check.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
#[allow(dead_code)]
mod common;
use posfee::reconcile::deposits::*;
use posfee::reconcile::Statement;

/// A statement of a few payouts (60 trades: the check's cost per execution stays small), built once.
fn statement() -> &'static Statement {
    static STATEMENT: OnceLock<Statement> = OnceLock::new();
    STATEMENT.get_or_init(|| {
        let mut options = simulation::DepositSimulationOptions::new(1);
        options.statement = options.statement.trades(60);
        simulation::generate_deposits(&options).unwrap().statement
    })
}

fn profiles() -> &'static [BankProfile] {
    static PROFILES: OnceLock<Vec<BankProfile>> = OnceLock::new();
    PROFILES.get_or_init(|| bank_formats().into_iter().map(|name| BankProfile::builtin(name).unwrap()).collect())
}

fuzz_target!(|data: &[u8]| {
    // The first byte chooses the profile (or sniffing), so that each execution reads the input
    // once; every profile is reached across the run.
    common::allow_caught_panics();
    let Some((&choice, data)) = data.split_first() else { return };
    let sniffed;
    let profile = match usize::from(choice) % (profiles().len() + 1) {
        k if k < profiles().len() => &profiles()[k],
        _ => match BankProfile::sniff(data) {
            Ok(profile) => {
                sniffed = profile;
                &sniffed
            }
            Err(error) => return assert_ne!(error.code(), "internal", "{error}"),
        },
    };
    if let Ok(bank) = read_bank_statement(data, "fuzz.csv", profile) {
        match reconcile_deposits(statement(), &bank, &DepositOptions::new()) {
            Ok(report) => assert_eq!(report.bank.len() as u64, report.summary.acquirer_rows),
            Err(error) => assert_ne!(error.code(), "internal", "{error}"),
        }
    }
});

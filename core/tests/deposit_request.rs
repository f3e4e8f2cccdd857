//! The deposit check asked for by named fields (`DepositRequest`, the page's `checkDeposits`).
#![cfg(feature = "reconcile")]
use posfee::reconcile::deposits::simulation::{bank_csv, generate_deposits, DepositSimulationOptions};
use posfee::reconcile::deposits::{read_bank_statement, reconcile_deposits, BankProfile, DepositClass, DepositOptions, DepositRequest};
use posfee::reconcile::{read_statement, write_bank_csv, Profile};
use posfee::Lang;

#[test]
fn the_page_sees_the_core_report_of_the_same_files() {
    let sample = generate_deposits(&DepositSimulationOptions::new(4)).unwrap();
    let (statement, bank) = (write_bank_csv(&sample.statement).into_bytes(), bank_csv(&sample.bank).into_bytes());
    let input = DepositRequest { name: "settle.csv".into(), bank_name: "bank.csv".into(), lang: Some("en".into()), ..Default::default() };
    let got = input.run(&statement, &bank).unwrap();
    // The same files read and checked natively.
    let read = read_statement(&statement, "settle.csv", &Profile::builtin("bank-pos").unwrap()).unwrap();
    let bank_read = read_bank_statement(&bank, "bank.csv", &BankProfile::sniff(&bank).unwrap()).unwrap();
    let report = reconcile_deposits(&read, &bank_read, &DepositOptions::new()).unwrap();
    let (audit, lang) = got;
    assert_eq!((audit.format.as_str(), audit.bank_format.as_str(), lang), ("bank-pos", "cmb-debit", Lang::En));
    assert_eq!(audit.report, report);
    let overview = audit.overview(lang);
    assert!(overview.classes.iter().any(|c| c.class == Some(DepositClass::DepositMissing)), "{:?}", overview.classes);
    let zh = (DepositRequest { lang: None, ..input.clone() }).run(&statement, &bank).unwrap();
    assert_eq!(zh.1, Lang::Zh);
}

#[test]
fn bad_input_names_the_field() {
    let input = DepositRequest { name: "s.csv".into(), bank_name: "b.csv".into(), bank_format: Some("hsbc".into()), ..Default::default() };
    let statement = write_bank_csv(&generate_deposits(&DepositSimulationOptions::new(1)).unwrap().statement).into_bytes();
    let error = input.run(&statement, b"a,b\n").unwrap_err();
    // bankFormat in JavaScript (to_js_error).
    assert_eq!((error.location().field.as_deref(), error.location().file.as_deref()), (Some("bank_format"), Some("b.csv")));
    let input = DepositRequest { bank_format: None, as_of: Some("2026-02-30".into()), ..input };
    assert_eq!(input.run(&statement, b"a,b\n").unwrap_err().location().field.as_deref(), Some("as_of"));
}

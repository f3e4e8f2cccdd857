//! Golden tests of the shipped bank statement profiles: every folder of `tests/banks/` (a
//! test file written from the bank's published layout, with its quirks) is read with its
//! profile and through `BankProfile::sniff`, and every row is compared with `expected.csv`,
//! including whether the default acquirer texts mark it as the acquirer's.

use std::path::{Path, PathBuf};

use posfee::reconcile::deposits::{bank_formats, read_bank_statement, read_bank_statement_file, BankProfile, BankRow, DepositOptions};

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/banks").join(name)
}

fn cells(row: &BankRow, acquirer: bool) -> Vec<String> {
    vec![
        row.line.to_string(),
        row.date.to_string(),
        row.time.map(|t| t.to_string()).unwrap_or_default(),
        row.amount.to_string(),
        row.balance.map(|b| b.to_string()).unwrap_or_default(),
        row.counterparty.clone(),
        row.counterparty_account.clone(),
        row.summary.clone(),
        row.memo.clone(),
        if acquirer { "yes" } else { "no" }.to_string(),
    ]
}

/// Whether the default acquirer texts mark `row`: checked through the public API, by
/// reconciling an empty statement against a bank statement of that one row.
fn is_acquirer(row: &BankRow) -> bool {
    let mut bank = posfee::reconcile::deposits::BankStatement::new("one");
    bank.push(row.clone()).unwrap();
    let report =
        posfee::reconcile::deposits::reconcile_deposits(&posfee::reconcile::Statement::new("s"), &bank, &DepositOptions::new()).unwrap();
    report.summary.acquirer_rows == 1
}

#[test]
fn every_shipped_bank_profile_has_a_golden_folder() {
    for name in bank_formats() {
        assert!(folder(name).join("sample.csv").exists(), "{name}: tests/banks/{name}/sample.csv");
    }
}

#[test]
fn samples_read_to_the_expected_rows() {
    for name in bank_formats() {
        let dir = folder(name);
        let bytes = std::fs::read(dir.join("sample.csv")).unwrap();
        let profile = BankProfile::builtin(name).unwrap();
        let bank = read_bank_statement(&bytes, &format!("{name}/sample.csv"), &profile).unwrap();
        assert!(bank.issues().is_empty(), "{name}: {:?}", bank.issues());
        let mut expected = csv::Reader::from_path(dir.join("expected.csv")).unwrap();
        let expected: Vec<Vec<String>> = expected.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        let read: Vec<Vec<String>> = bank.rows().iter().map(|row| cells(row, is_acquirer(row))).collect();
        assert_eq!(read, expected, "{name}");
        // Sniffing names the same profile, and the file reader agrees.
        assert_eq!(BankProfile::sniff(&bytes).unwrap().name(), name);
        let from_file = read_bank_statement_file(dir.join("sample.csv"), None).unwrap();
        assert_eq!(from_file.rows(), bank.rows(), "{name}");
    }
}

#[test]
fn other_currencies_are_skipped_and_counted() {
    let bytes = std::fs::read(folder("cmb-debit").join("sample.csv")).unwrap();
    let bank = read_bank_statement(&bytes, "cmb.csv", &BankProfile::builtin("cmb-debit").unwrap()).unwrap();
    assert_eq!(bank.skipped_rows(), 1);
}

#[test]
fn a_footer_that_disagrees_with_the_rows_is_a_totals_issue() {
    let bytes = std::fs::read(folder("icbc-debit").join("sample.csv")).unwrap();
    let (text, _, _) = encoding_rs::GB18030.decode(&bytes);
    // Delete one detail row (line 9): the 人民币合计 footer no longer adds up.
    let lines: Vec<&str> = text.split("\r\n").collect();
    let cut: String = lines.iter().enumerate().filter(|(k, _)| *k != 8).map(|(_, l)| *l).collect::<Vec<_>>().join("\r\n");
    let bank = read_bank_statement(cut.as_bytes(), "icbc.csv", &BankProfile::builtin("icbc-debit").unwrap()).unwrap();
    assert_eq!(bank.len(), 3);
    let issue = &bank.issues()[0];
    assert_eq!(issue.error.location().field.as_deref(), Some("totals"));
    assert_eq!(issue.error.location().line, Some(12));
    assert!(issue.error.to_string().contains("money out ¥513.40 stated, ¥500.00 read"), "{}", issue.error);
}

/// A spreadsheet export (.xlsx) of the CMB business sample, written by make_samples.py: the same
/// rows on the same row numbers, money as number cells. With the `excel` feature its first sheet
/// reads to exactly the rows of the CSV sample (sniffed, by file and by bytes); without it the
/// workbook is refused with what to do.
#[test]
fn a_spreadsheet_export_reads_as_its_csv_or_says_to_save_it_as_csv() {
    use posfee::reconcile::deposits::read_bank_export;
    let xlsx = folder("xlsx").join("cmb-business.xlsx");
    let bytes = std::fs::read(&xlsx).unwrap();
    let csv = std::fs::read(folder("cmb-business").join("sample.csv")).unwrap();
    let want = read_bank_statement(&csv, "sample.csv", &BankProfile::builtin("cmb-business").unwrap()).unwrap();
    if cfg!(feature = "excel") {
        let from_file = read_bank_statement_file(&xlsx, None).unwrap();
        assert!(from_file.issues().is_empty(), "{:?}", from_file.issues());
        assert_eq!(from_file.rows(), want.rows());
        let from_bytes = read_bank_export(&bytes, "cmb-business.xlsx", "auto").unwrap();
        assert_eq!(from_bytes.rows(), want.rows());
        // A damaged workbook is an error naming the file.
        let error = read_bank_export(&bytes[..bytes.len() / 2], "broken.xlsx", "auto").unwrap_err();
        assert_eq!((error.code(), error.location().file.as_deref()), ("invalid_record", Some("broken.xlsx")), "{error}");
    } else {
        let error = read_bank_export(&bytes, "cmb-business.xlsx", "auto").unwrap_err();
        assert!(error.to_string().contains("save the sheet as CSV"), "{error}");
    }
    // Sniffing a head alone (the start of a zip) says to read the file whole.
    let error = BankProfile::sniff(&bytes[..512]).unwrap_err();
    assert!(error.to_string().contains("is a spreadsheet (.xlsx, .xls): read the whole file"), "{error}");
}

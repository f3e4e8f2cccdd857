//! The CSV readers and the Arrow reader on the same data: generated tables of good and bad
//! values, written as canonical CSV and as record batches (text columns, a blank cell
//! sometimes a null, the rows cut into several batches, or into slices of one), give
//! identical rows and identical issues (code, field, row: a CSV line is the Arrow row + 1,
//! for the header).
//!
//! Left out on purpose: the spreadsheet escapes of CSV files (a leading backtick, `="…"`,
//! a `'` before a formula), which the CSV readers take off and an Arrow table does not have,
//! and negative statement amounts (a statement file's sign convention; the canonical amount
//! is non-negative).

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use proptest::prelude::*;

use super::{ledger_from_arrow, statement_from_arrow, ArrowReadOptions};
use crate::quote_table::OnInvalid;
use crate::reconcile::{read_ledger_csv, read_statement, write_bank_csv, write_ledger_csv, Profile, ReadIssue, LEDGER_COLUMNS};

/// The cells a ledger column is drawn from: good values, spaces, blanks and bad values.
const LEDGER_CELLS: [&[&str]; 12] = [
    &["A1", "B22", " C3 ", ""],
    &["", "612610000001", " 612610000002 "],
    &["", "000123", " 9 "],
    &["T0000001", " T2 ", ""],
    &["", "102310058120001"],
    &["2026-05-06 10:00:00", "2026-05-06T23:59:59+08:00", "2026-05-07 01:02:03", "2026-02-30 10:00:00", "yesterday", ""],
    &["100.00", "0.01", "1000000000.00", "12.345", "-1.00", "abc", "", "1000000000.01", "¥20", " 7.5 "],
    &["credit", "debit", "wechat", "alipay", "Credit", "bitcoin", ""],
    &["", "debit", "credit", "gold"],
    &["", "purchase", "消费", "撤销", "退货", "void", "refund", "swap", " Refund "],
    &["", "00", "05", " 51 "],
    &["", "612610000001"],
];

/// The statement columns as written in the bank-pos CSV (its header) and in Arrow (the
/// canonical name), with their cells.
const STATEMENT_CELLS: [(&str, &str, &[&str]); 12] = [
    ("清算日期", "settlement_date", &["20260507", "2026-05-08", "20261301", ""]),
    ("商户号", "merchant_no", &["", "102310058120001", " 102310058120002 "]),
    ("商户名称", "merchant_name", &["", " 小店 ", "沪上小馆"]),
    ("终端号", "terminal", &["T0000001", " T2 ", ""]),
    ("批次号", "batch", &["", "000012"]),
    ("交易日期", "time", &["2026-05-06 10:00:00", "2026-05-06T10:00:00+08:00", "2026-02-30 10:00:00", "x", ""]),
    ("交易金额", "amount", &["100.00", "0.01", "12.345", "abc", "", "1000000000.01"]),
    ("手续费", "fee", &["0.60", "0.38000", "-0.24", "0.123456", "x", ""]),
    ("结算金额", "net", &["", "99.40", "-100.00", "x"]),
    ("参考号", "rrn", &["", "612610000001", " 612610000003 "]),
    ("卡类别", "channel", &["贷记卡", "借记卡", "credit", "wechat", "bitcoin", ""]),
    ("交易类型", "kind", &["", "消费", "撤销", "退货", "purchase", "refund", "swap"]),
];

/// Rows of cells, each an index into its column's cells.
fn rows(cells: Vec<usize>, max_rows: usize) -> impl Strategy<Value = Vec<Vec<usize>>> {
    let columns: Vec<_> = cells.into_iter().map(|n| 0..n).collect();
    prop::collection::vec(columns, 0..max_rows)
}

/// A CSV text of a header and rows.
fn csv_text(header: &[&str], rows: &[Vec<&str>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// Record batches of text columns (a blank cell a null where `nulls` says so), the rows cut
/// into batches of `batch_rows`: each its own arrays, or (`sliced`) slices of one batch, whose
/// text offsets do not start at 0.
fn batches(names: &[&str], rows: &[Vec<&str>], nulls: u64, batch_rows: usize, sliced: bool) -> Vec<RecordBatch> {
    let batch = |rows: &[Vec<&str>], first: usize| {
        let columns = names.iter().enumerate().map(|(c, name)| {
            let values: Vec<Option<&str>> = rows
                .iter()
                .enumerate()
                .map(|(r, row)| Some(row[c]).filter(|cell| !cell.is_empty() || (nulls >> ((first + r + c) % 64)) & 1 == 0))
                .collect();
            (*name, Arc::new(StringArray::from(values)) as ArrayRef)
        });
        RecordBatch::try_from_iter(columns).unwrap()
    };
    if rows.is_empty() {
        return vec![batch(&[], 0)];
    }
    if sliced {
        let whole = batch(rows, 0);
        return (0..rows.len()).step_by(batch_rows).map(|first| whole.slice(first, batch_rows.min(rows.len() - first))).collect();
    }
    rows.chunks(batch_rows).enumerate().map(|(k, part)| batch(part, k * batch_rows)).collect()
}

/// What is compared of an issue: code, field (the CSV's names mapped to the canonical ones)
/// and the row (a CSV line less its header).
fn issue_key(issue: &ReadIssue, csv: bool) -> (String, Option<String>, Option<u64>) {
    let at = issue.error.location();
    let field = at.field.as_deref().map(|field| match field {
        "trade_date" => "time".to_string(),
        "card_type" if csv && at.file.as_deref() == Some("statement.csv") => "channel".to_string(),
        other => other.to_string(),
    });
    let row = at.line.map(|line| if csv { line - 1 } else { line });
    (issue.error.code().to_string(), field, row)
}

fn issue_keys(issues: &[ReadIssue], csv: bool) -> Vec<(String, Option<String>, Option<u64>)> {
    issues.iter().map(|issue| issue_key(issue, csv)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_ledger_reads_alike_from_csv_and_arrow(
        picks in rows(LEDGER_CELLS.iter().map(|cells| cells.len()).collect(), 12),
        nulls in any::<u64>(),
        batch_rows in 1usize..5,
        sliced in any::<bool>(),
        by_rows in any::<bool>(),
    ) {
        let rows: Vec<Vec<&str>> = picks.iter().map(|row| row.iter().enumerate().map(|(c, &k)| LEDGER_CELLS[c][k]).collect()).collect();
        let names: Vec<&str> = LEDGER_COLUMNS.iter().map(|column| column.name).collect();
        let from_csv = read_ledger_csv(csv_text(&names, &rows).as_bytes(), "ledger.csv").unwrap();
        let input = batches(&names, &rows, nulls, batch_rows, sliced);
        let options = ArrowReadOptions::default().on_invalid(OnInvalid::Report).by_rows(by_rows);
        let from_arrow = ledger_from_arrow("ledger.csv", &input, options).unwrap();
        prop_assert_eq!(write_ledger_csv(&from_arrow), write_ledger_csv(&from_csv));
        let csv_rows: Vec<u64> = from_csv.lines().iter().map(|line| line - 1).collect();
        prop_assert_eq!(from_arrow.lines().to_vec(), csv_rows);
        prop_assert_eq!(issue_keys(from_arrow.issues(), false), issue_keys(from_csv.issues(), true));
        // With Raise, the first issue is the error.
        let raised = ledger_from_arrow("ledger.csv", &input, options.on_invalid(OnInvalid::Raise));
        match (raised, from_csv.issues().first()) {
            (Ok(ledger), None) => prop_assert_eq!(ledger.len(), from_csv.len()),
            (Err(failure), Some(first)) => {
                let error = crate::Error::from(failure);
                let issue = ReadIssue { side: first.side, error, raw: String::new() };
                prop_assert_eq!(issue_key(&issue, false), issue_key(first, true));
            }
            (raised, first) => prop_assert!(false, "raise gave {:?}, the CSV's first issue is {:?}", raised.map(|l| l.len()), first),
        }
    }

    #[test]
    fn a_statement_reads_alike_from_csv_and_arrow(
        picks in rows(STATEMENT_CELLS.iter().map(|(_, _, cells)| cells.len()).collect(), 12),
        nulls in any::<u64>(),
        batch_rows in 1usize..5,
        sliced in any::<bool>(),
        by_rows in any::<bool>(),
    ) {
        let rows: Vec<Vec<&str>> = picks.iter().map(|row| row.iter().enumerate().map(|(c, &k)| STATEMENT_CELLS[c].2[k]).collect()).collect();
        let header: Vec<&str> = STATEMENT_CELLS.iter().map(|(header, _, _)| *header).collect();
        let names: Vec<&str> = STATEMENT_CELLS.iter().map(|(_, name, _)| *name).collect();
        let text = csv_text(&header, &rows);
        let from_csv = read_statement(text.as_bytes(), "statement.csv", &Profile::builtin("bank-pos").unwrap()).unwrap();
        let input = batches(&names, &rows, nulls, batch_rows, sliced);
        let options = ArrowReadOptions::default().on_invalid(OnInvalid::Report).by_rows(by_rows);
        let from_arrow = statement_from_arrow("statement.csv", &input, options).unwrap();
        prop_assert_eq!(write_bank_csv(&from_arrow), write_bank_csv(&from_csv));
        let csv_rows: Vec<u64> = from_csv.lines().iter().map(|line| line - 1).collect();
        prop_assert_eq!(from_arrow.lines().to_vec(), csv_rows);
        prop_assert_eq!(issue_keys(from_arrow.issues(), false), issue_keys(from_csv.issues(), true));
    }
}

/// The good cells of each ledger column (the column path takes a table only when every row
/// reads; the tables above nearly always have a bad row, and go row by row).
const GOOD_LEDGER_CELLS: [&[&str]; 12] = [
    &["A1", " C3 ", "订单7"],
    &["612610000001", " 612610000002 ", ""],
    &["000123", " 9 "],
    &["T0000001", " T2 ", "终端\u{3000}"],
    &["", "102310058120001", " 102310058120002 "],
    &["2026-05-06 10:00:00", "2026-05-07 01:02:03"],
    &["100.00", "0.01"],
    &["credit", "debit", "wechat", " Credit "],
    &["", "debit", "credit"],
    &["", "purchase", "消费"],
    &["", "00", " 05 "],
    &[""],
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Tables of good rows, padded or not, without nulls (so that their text is shared):
    /// the column path reads them as the CSV reader does (values trimmed where a value is
    /// padded, whether the column's text was found plain or not).
    #[test]
    fn a_ledger_of_good_rows_reads_alike_from_csv_and_arrow_columns(
        picks in rows(GOOD_LEDGER_CELLS.iter().map(|cells| cells.len()).collect(), 24),
        batch_rows in proptest::sample::select(vec![1usize, 2, 3, 4, 8, 64]),
        sliced in any::<bool>(),
    ) {
        let rows: Vec<Vec<&str>> =
            picks.iter().map(|row| row.iter().enumerate().map(|(c, &k)| GOOD_LEDGER_CELLS[c][k]).collect()).collect();
        let names: Vec<&str> = LEDGER_COLUMNS.iter().map(|column| column.name).collect();
        let from_csv = read_ledger_csv(csv_text(&names, &rows).as_bytes(), "ledger.csv").unwrap();
        prop_assert!(from_csv.issues().is_empty());
        let input = batches(&names, &rows, 0, batch_rows, sliced);
        let from_arrow = ledger_from_arrow("ledger.csv", &input, ArrowReadOptions::default().on_invalid(OnInvalid::Raise)).unwrap();
        prop_assert_eq!(write_ledger_csv(&from_arrow), write_ledger_csv(&from_csv));
    }
}

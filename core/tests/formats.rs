//! Golden tests of the shipped statement profiles: every folder of `tests/formats/` (a test
//! file written from the format's published layout, with its quirks) is read with its
//! profile and through `Profile::sniff`, and every row is compared with `expected.csv`; the
//! file's own totals must agree; bad files report each bad line at its true line and read
//! every other; a sample with one detail row deleted (or a total changed) is a totals issue.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use posfee::reconcile::{read_statement_file, read_statement_with, Profile, ReadOptions, Statement};
use posfee::Money;

/// A format folder: its profile, the settlement date the caller gives (ZM: the date the
/// file was requested for; its name holds it too), the bad files with their bad lines, and
/// whether the file states its own totals.
struct Case {
    folder: &'static str,
    profile: &'static str,
    settlement_date: Option<&'static str>,
    bad: Option<(&'static str, &'static [u64])>,
    totals: bool,
}

const CASES: [Case; 13] = [
    Case {
        folder: "bank-pos-csv",
        profile: "bank-pos",
        settlement_date: None,
        bad: Some(("bad.csv", &[3, 4, 5, 6, 7, 9, 11])),
        totals: true,
    },
    Case {
        folder: "wechat-merchant-all",
        profile: "wechat-merchant",
        settlement_date: None,
        bad: Some(("bad.csv", &[4, 5, 6, 7, 8, 11])),
        totals: true,
    },
    Case { folder: "wechat-merchant-success", profile: "wechat-merchant", settlement_date: None, bad: None, totals: true },
    Case { folder: "wechat-merchant-refund", profile: "wechat-merchant", settlement_date: None, bad: None, totals: true },
    Case { folder: "wechat-merchant-all-v1", profile: "wechat-merchant", settlement_date: None, bad: None, totals: true },
    Case { folder: "wechat-personal", profile: "wechat-personal", settlement_date: None, bad: None, totals: false },
    Case { folder: "alipay-personal-2023", profile: "alipay-personal", settlement_date: None, bad: None, totals: false },
    Case { folder: "alipay-personal-2021", profile: "alipay-personal", settlement_date: None, bad: None, totals: false },
    Case { folder: "alipay-merchant-detail", profile: "alipay-business", settlement_date: None, bad: None, totals: true },
    Case {
        folder: "jlpay-detail",
        profile: "jlpay-detail",
        settlement_date: None,
        bad: Some(("bad.txt", &[4, 5, 6, 7, 8, 9])),
        totals: false,
    },
    Case { folder: "allinpay-vsp", profile: "allinpay-vsp", settlement_date: None, bad: None, totals: false },
    Case { folder: "leshua-trade", profile: "leshua-trade", settlement_date: None, bad: None, totals: false },
    Case { folder: "unionpay-acp-zm", profile: "unionpay-acp-zm", settlement_date: Some("2026-05-06"), bad: None, totals: false },
];

fn folder(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats").join(name)
}

fn sample(case: &Case) -> (String, Vec<u8>) {
    let dir = folder(case.folder);
    let mut samples: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.file_stem().is_some_and(|stem| stem == "sample"))
        .collect();
    assert_eq!(samples.len(), 1, "{}: one sample.* file", case.folder);
    let path = samples.remove(0);
    let bytes = std::fs::read(&path).unwrap();
    (format!("{}/{}", case.folder, path.file_name().unwrap().to_string_lossy()), bytes)
}

fn options(case: &Case) -> ReadOptions {
    ReadOptions {
        settlement_date: case.settlement_date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
        ..ReadOptions::default()
    }
}

fn read(case: &Case, file: &str, bytes: &[u8], profile: &Profile) -> Statement {
    read_statement_with(bytes, file, profile, options(case)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn describe(statement: &Statement) -> String {
    statement.issues().iter().map(|issue| format!("\n  {}", issue.error)).collect()
}

/// Compares every row of `statement` with `expected.csv`.
fn compare(case: &Case, file: &str, statement: &Statement) {
    let text = std::fs::read_to_string(folder(case.folder).join("expected.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let expected: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(statement.len(), expected.len(), "{file}: rows read{}", describe(statement));
    for (k, want) in expected.iter().enumerate() {
        let row = statement.record(k);
        let at = format!("{file} row {k} (line {})", &want[0]);
        assert_eq!(row.line.to_string(), &want[0], "{at}: line");
        let time = row.time.format("%Y-%m-%d %H:%M:%S").to_string();
        assert_eq!(time, &want[2], "{at}: time");
        // An empty settlement date: the file has none, and the reader takes the trade's date.
        let settlement = if want[1].is_empty() { row.time.date_naive() } else { NaiveDate::parse_from_str(&want[1], "%Y-%m-%d").unwrap() };
        assert_eq!(row.settlement_date, settlement, "{at}: settlement_date");
        assert_eq!(row.amount, Money::parse(&want[3]).unwrap(), "{at}: amount");
        assert_eq!(row.fee, Money::parse(&want[4]).unwrap(), "{at}: fee");
        assert_eq!(row.net, Money::parse(&want[5]).unwrap(), "{at}: net");
        assert_eq!(row.channel.name(), &want[6], "{at}: channel");
        assert_eq!(row.kind.name(), &want[7], "{at}: kind");
        assert_eq!(row.rrn, &want[8], "{at}: rrn");
        assert_eq!(row.terminal, &want[9], "{at}: terminal");
        assert_eq!(row.merchant_no, &want[10], "{at}: merchant_no");
        assert_eq!(row.batch, &want[11], "{at}: batch");
    }
}

#[test]
fn every_sample_reads_to_its_expected_rows_with_its_profile_and_by_sniffing() {
    for case in &CASES {
        let (file, bytes) = sample(case);
        let profile = Profile::builtin(case.profile).unwrap();
        let statement = read(case, &file, &bytes, &profile);
        assert!(statement.issues().is_empty(), "{file}: no issues (the file's own totals agree){}", describe(&statement));
        compare(case, &file, &statement);
        let head = &bytes[..bytes.len().min(64 << 10)];
        let sniffed = Profile::sniff(head).unwrap_or_else(|e| panic!("{file}: sniff: {e}"));
        assert_eq!(sniffed.name(), case.profile, "{file}: sniffed profile");
        compare(case, &file, &read(case, &file, &bytes, &sniffed));
    }
}

#[test]
fn bad_files_report_each_bad_line_at_its_true_line_and_read_every_other() {
    for case in &CASES {
        let Some((name, bad_lines)) = case.bad else { continue };
        let file = format!("{}/{name}", case.folder);
        let bytes = std::fs::read(folder(case.folder).join(name)).unwrap();
        let statement = read(case, &file, &bytes, &Profile::builtin(case.profile).unwrap());
        let issue_lines: BTreeSet<u64> = statement.issues().iter().map(|issue| issue.error.location().line.unwrap_or(0)).collect();
        let want: BTreeSet<u64> = bad_lines.iter().copied().collect();
        assert_eq!(issue_lines, want, "{file}: lines reported{}", describe(&statement));
        for issue in statement.issues() {
            assert_eq!(issue.error.location().file.as_deref(), Some(file.as_str()), "{file}: {}", issue.error);
            assert!(issue.error.location().field.is_some(), "{file}: names a field: {}", issue.error);
        }
        // Every other detail line is read.
        let text_lines = bytes.split(|&b| b == b'\n').count() as u64;
        let read_lines: BTreeSet<u64> = (0..statement.len()).map(|k| statement.record(k).line).collect();
        assert!(read_lines.is_disjoint(&want), "{file}: a bad line read as a row");
        let detail: BTreeSet<u64> = match case.folder {
            "bank-pos-csv" => [2, 8, 10].into(),
            "wechat-merchant-all" => [2, 3, 9].into(),
            _ => (1..text_lines).filter(|line| !want.contains(line)).collect(),
        };
        assert_eq!(read_lines, detail, "{file}: good lines read");
    }
}

/// The line (1-based) of the first expected row, and the sample without it.
fn without_first_row(case: &Case, bytes: &[u8]) -> Vec<u8> {
    let text = std::fs::read_to_string(folder(case.folder).join("expected.csv")).unwrap();
    let line: usize = text.lines().nth(1).unwrap().split(',').next().unwrap().parse().unwrap();
    let mut out = Vec::new();
    for (k, piece) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        if k + 1 != line {
            out.extend_from_slice(piece);
        }
    }
    out
}

#[test]
fn a_sample_missing_a_row_or_with_a_changed_total_disagrees_with_its_own_totals() {
    for case in CASES.iter().filter(|case| case.totals) {
        let (file, bytes) = sample(case);
        let profile = Profile::builtin(case.profile).unwrap();
        let cut = read(case, &file, &without_first_row(case, &bytes), &profile);
        let totals: Vec<_> = cut.issues().iter().filter(|issue| issue.error.location().field.as_deref() == Some("totals")).collect();
        assert_eq!(totals.len(), 1, "{file} without a row: one totals issue{}", describe(&cut));
        assert!(totals[0].error.to_string().contains("totals disagree"), "{}", totals[0].error);
        let strict = read_statement_with(&without_first_row(case, &bytes), &file, &profile, ReadOptions { strict: true, ..options(case) });
        assert!(strict.is_err(), "{file} without a row: strict reading fails");
    }
    // A changed total (the rows all there): the bank's 合计 amount, WeChat's fee total.
    let changes: [(&str, &str, &str); 3] = [
        ("bank-pos-csv", "9503.00,42.34", "9503.00,42.35"),
        ("wechat-merchant-success", "`9.13000", "`9.14000"),
        ("wechat-merchant-all-v1", "`8,`1520.41", "`9,`1520.41"),
    ];
    for (name, from, to) in changes {
        let case = CASES.iter().find(|case| case.folder == name).unwrap();
        let (file, bytes) = sample(case);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        let changed = text.replace(from, to);
        let statement = read(case, &file, changed.as_bytes(), &Profile::builtin(case.profile).unwrap());
        assert_eq!(statement.issues().len(), 1, "{file} with {to}{}", describe(&statement));
        assert_eq!(statement.issues()[0].error.location().field.as_deref(), Some("totals"));
    }
    // Alipay's footer in words.
    let case = CASES.iter().find(|case| case.folder == "alipay-merchant-detail").unwrap();
    let (file, bytes) = sample(case);
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    let changed = text.replace("#退款合计：1笔", "#退款合计：2笔");
    let (gbk, _, _) = encoding_rs::GBK.encode(&changed);
    let statement = read(case, &file, &gbk, &Profile::builtin(case.profile).unwrap());
    assert_eq!(statement.issues().len(), 1, "{file}: refund count changed{}", describe(&statement));
}

#[test]
fn the_zm_settlement_date_comes_from_the_file_name_when_not_given() {
    let case = CASES.iter().find(|case| case.folder == "unionpay-acp-zm").unwrap();
    let (_, bytes) = sample(case);
    let profile = Profile::builtin("unionpay-acp-zm").unwrap();
    let statement = read_statement_with(&bytes, "zip/INN26050688ZM_777290058120001", &profile, ReadOptions::default()).unwrap();
    assert!(statement.issues().is_empty(), "{}", describe(&statement));
    compare(case, "INN26050688ZM_777290058120001", &statement);
    // Without a date, a record without a year cannot be read: every line says so.
    let statement = read_statement_with(&bytes, "zm.txt", &profile, ReadOptions::default()).unwrap();
    assert_eq!((statement.len(), statement.issues().len()), (0, 6));
    assert!(statement.issues()[0].error.to_string().contains("no year"), "{}", statement.issues()[0].error);
}

/// Everything a reader gives: rows (every field), issues (every location and message),
/// skipped rows.
fn everything(statement: &Statement) -> String {
    let mut out = String::new();
    for k in 0..statement.len() {
        out.push_str(&format!("{:?}\n", statement.record(k)));
    }
    for issue in statement.issues() {
        out.push_str(&format!("{} | {}\n", issue.error, issue.raw));
    }
    out.push_str(&format!("skipped {}\n", statement.skipped_rows()));
    out
}

#[test]
fn reading_a_file_gives_what_reading_its_bytes_gives() {
    for case in &CASES {
        let profile = Profile::builtin(case.profile).unwrap();
        let (file, _) = sample(case);
        let mut paths = vec![folder(case.folder).join(file.rsplit('/').next().unwrap())];
        if let Some((name, _)) = case.bad {
            paths.push(folder(case.folder).join(name));
        }
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            let name = path.display().to_string();
            let from_bytes = read_statement_with(&bytes, &name, &profile, options(case));
            let from_file = read_statement_file(&path, &profile, options(case));
            match (from_bytes, from_file) {
                (Ok(a), Ok(b)) => assert_eq!(everything(&a), everything(&b), "{name}"),
                (a, b) => assert_eq!(a.err().map(|e| e.to_string()), b.err().map(|e| e.to_string()), "{name}"),
            }
        }
    }
}

/// A bank file of several blocks (of 8 MiB), with CRLF line ends, quoted fields holding line
/// ends and commas, a bad line in every block, a comment-like line, and a 合计 row at the
/// end: read in blocks, it gives what its bytes give.
#[test]
fn a_file_of_many_blocks_reads_as_its_bytes() {
    let mut text =
        String::from("\u{feff}清算日期,商户号,商户名称,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\r\n");
    let (mut amount_fen, mut fee_fen) = (0i64, 0i64);
    for k in 0..340_000u64 {
        let amount = 100 + (k % 9_000) as i64;
        let fee = amount * 6 / 1000;
        let name = if k % 50_000 == 7 { "\"沪上\r\n小馆, 二店\"" } else { "沪上小馆" };
        let amount_text = if k % 100_000 == 13 { "12x.00".to_string() } else { format!("{}.{:02}", amount / 100, amount % 100) };
        if k % 100_000 != 13 {
            amount_fen += amount;
            fee_fen += fee;
        }
        text.push_str(&format!(
            "20260302,102310058120001,{name},T{:07},20260301,{:02}{:02}{:02},{amount_text},{}.{:02},{}.{:02},{:012},借记卡,消费\r\n",
            k % 97,
            k % 24,
            k % 60,
            (k / 60) % 60,
            fee / 100,
            fee % 100,
            (amount - fee) / 100,
            (amount - fee) % 100,
            600_000_000_000 + k
        ));
    }
    text.push_str(&format!("合计,,,,,,{}.{:02},{}.{:02},,,,\r\n", amount_fen / 100, amount_fen % 100, fee_fen / 100, fee_fen % 100));
    assert!(text.len() > 32 << 20, "more than two blocks: {} bytes", text.len());
    let path = std::env::temp_dir().join(format!("posfee-blocks-{}.csv", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let profile = Profile::builtin("bank-pos").unwrap();
    let name = path.display().to_string();
    let from_file = read_statement_file(&path, &profile, ReadOptions::default()).unwrap();
    let from_bytes = read_statement_with(text.as_bytes(), &name, &profile, ReadOptions::default()).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(from_file.len(), 340_000 - 4);
    assert_eq!(from_file.issues().len(), 4, "{}", describe(&from_file));
    assert_eq!(everything(&from_file), everything(&from_bytes));
}

/// The sample's text split into physical lines as the readers count them (CRLF, LF or a lone
/// CR ends a line), BOM and encoding (UTF-8 or GB18030) taken off.
fn physical_lines(bytes: &[u8]) -> Vec<String> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    let mut lines = Vec::new();
    let mut rest = text.as_str();
    while let Some(end) = rest.find(['\r', '\n']) {
        lines.push(rest[..end].to_string());
        let width = if rest[end..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[end + width..];
    }
    if !rest.is_empty() {
        lines.push(rest.to_string());
    }
    lines
}

/// The sample as an Excel export would hold it: one sheet, line k of the file in row k, each
/// field in its own cell; amounts with a decimal point as number cells (Excel stores them as
/// binary floating point), everything else as text cells, as the WeChat and bank exports do.
fn as_workbook(lines: &[String], delimiter: u8) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (row, line) in lines.iter().enumerate() {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).flexible(true).from_reader(line.as_bytes());
        let Some(record) = reader.records().next() else { continue };
        let record = record.unwrap_or_else(|e| panic!("line {}: {e}", row + 1));
        for (column, field) in record.iter().enumerate() {
            let (row, column) = (row as u32, column as u16);
            let all_digits = |text: &str| !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            // 12.50 or -6.5, not 0012.5 (an id with leading zeros stays text).
            let decimal = field.split_once('.').is_some_and(|(whole, fraction)| {
                let digits = whole.strip_prefix('-').unwrap_or(whole);
                let leading_zero = digits.len() > 1 && digits.starts_with('0');
                all_digits(digits) && all_digits(fraction) && !leading_zero
            });
            if field.is_empty() {
                continue;
            } else if decimal {
                sheet.write_number(row, column, field.parse::<f64>().unwrap()).unwrap();
            } else {
                sheet.write_string(row, column, field).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn every_delimited_sample_reads_the_same_from_an_excel_workbook() {
    let mut checked = 0;
    for case in CASES.iter().filter(|case| case.folder != "unionpay-acp-zm") {
        let (file, bytes) = sample(case);
        let delimiter = if case.folder == "jlpay-detail" { b'|' } else { b',' };
        let workbook = as_workbook(&physical_lines(&bytes), delimiter);
        assert!(posfee::reconcile::is_workbook(&workbook));
        let file = format!("{file}.xlsx");
        let profile = Profile::builtin(case.profile).unwrap();
        let statement = read(case, &file, &workbook, &profile);
        assert!(statement.issues().is_empty(), "{file}: no issues (the file's own totals agree){}", describe(&statement));
        // The same rows as the text file, on the same lines (row k of the sheet is line k).
        compare(case, &file, &statement);
        let sniffed = Profile::sniff(&workbook).unwrap_or_else(|e| panic!("{file}: sniff: {e}"));
        assert_eq!(sniffed.name(), case.profile, "{file}: sniffed profile");
        // From a file on disk too (read whole: a workbook is never read in blocks).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample.xlsx");
        std::fs::write(&path, &workbook).unwrap();
        let from_file = read_statement_file(&path, &profile, options(case)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(from_file.len(), statement.len(), "{file}");
        checked += 1;
    }
    assert_eq!(checked, CASES.len() - 1);
}

#[test]
fn a_fixed_width_profile_or_a_damaged_workbook_is_a_clear_error() {
    let workbook = as_workbook(&["a,b".to_string(), "1.50,2".to_string()], b',');
    let error =
        read_statement_with(&workbook, "zm.xlsx", &Profile::builtin("unionpay-acp-zm").unwrap(), ReadOptions::default()).unwrap_err();
    assert!(error.to_string().contains("reads fixed-width text files"), "{error}");
    let mut damaged = workbook.clone();
    damaged.truncate(damaged.len() / 2);
    let error =
        read_statement_with(&damaged, "bill.xlsx", &Profile::builtin("wechat-personal").unwrap(), ReadOptions::default()).unwrap_err();
    assert_eq!((error.code(), error.location().file.as_deref()), ("invalid_record", Some("bill.xlsx")), "{error}");
    // A workbook whose only sheet is empty.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet();
    let empty = book.save_to_buffer().unwrap();
    let error =
        read_statement_with(&empty, "empty.xlsx", &Profile::builtin("wechat-personal").unwrap(), ReadOptions::default()).unwrap_err();
    assert!(error.to_string().contains("empty.xlsx: the workbook's first sheet is empty"), "{error}");
}

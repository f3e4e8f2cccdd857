//! The happy paths of the `posfee` command, run as a user runs them (in-process through
//! `posfee_cli::run`, and a few through the built binary).

mod common;

use common::{posfee, Sample, MERCHANT};

fn ok(args: &[&str]) -> String {
    let outcome = posfee(args);
    assert_eq!(outcome.status, 0, "{args:?}: {outcome:?}");
    assert!(outcome.stderr.is_empty(), "{args:?}: {outcome:?}");
    outcome.stdout
}

/// An input error: exit status 2 and one `posfee: error [code]: …` line on stderr.
fn fail(args: &[&str]) -> String {
    let outcome = posfee(args);
    assert_eq!(outcome.status, 2, "{args:?}: {outcome:?}");
    assert!(outcome.stderr.starts_with("posfee: error ["), "{args:?}: {outcome:?}");
    outcome.stderr
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(args)).unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}"))
}

#[test]
fn help_and_version() {
    let help = ok(&["--help"]);
    for command in ["quote", "compare", "calendar", "presets", "formats", "read", "reconcile", "deposits", "margins", "demo"] {
        assert!(help.contains(&format!("  {command} ")), "{command} in {help}");
    }
    assert!(ok(&["compare", "--help"]).contains("@MODE"), "compare --help says how an offer fixes its settlement mode");
    assert!(help.contains("posfee: error [code]: message"));
    assert_eq!(ok(&["--version"]), format!("posfee {}\n", env!("CARGO_PKG_VERSION")));
    assert!(ok(&["quote", "--help"]).contains("--on-invalid report"), "quote --help says how bad rows are handled");
    assert!(ok(&["read", "--help"]).contains(".parquet"), "read --help says Parquet is written");
}

#[test]
fn quote_prints_the_readme_quote_as_json() {
    let json = json(&[
        "quote",
        "5000",
        "debit",
        "--at",
        "2026-09-30T22:30:00+08:00",
        "--schedule",
        "sft-traditional",
        "--settlement",
        "T1",
        "--json",
    ]);
    assert_eq!(json["fee"], "20.00");
    assert_eq!(json["net"], "4980.00");
    assert_eq!(json["settles_on"], "2026-10-08");
    let explanation: Vec<String> = serde_json::from_value(json["explanation"].clone()).unwrap();
    assert!(explanation.iter().any(|line| line.contains("capped at ¥20.00")), "{explanation:?}");
}

#[test]
fn quote_prints_a_table_and_the_explanation() {
    let text = ok(&["quote", "5000", "debit", "--at", "2026-09-30 22:30", "--schedule", "sft-traditional"]);
    assert!(text.starts_with("schedule    sft-traditional\n"), "{text}");
    assert!(text.contains("fee         ¥20.00\n") && text.contains("settles on  2026-10-08\n"), "{text}");
    assert!(text.contains("capped at ¥20.00"), "{text}");
}

#[test]
fn quote_warns_when_a_surcharge_exceeds_the_amount() {
    let json = json(&["quote", "1", "debit", "--at", "2026-05-06 10:00", "--schedule", "standard-d0", "--settlement", "D0", "--json"]);
    assert_eq!(json["net"], "-2.01");
    assert_eq!(json["fee_exceeds_amount"], true);
    assert!(json["explanation"].to_string().contains("WARNING"));
}

#[test]
fn quote_warns_about_the_merchants_limits_and_hours() {
    let base = ["quote", "60000", "credit", "--at", "2026-05-06 23:10", "--limits", "personal-micro-merchant"];
    let text = ok(&base);
    assert!(text.contains("WARNING: ¥60,000.00 is above the ¥50,000.00 per-transaction limit (every channel)"), "{text}");
    let quote = json(&[&base[..], &["--json"]].concat());
    assert_eq!(quote["fee"], "360.00", "priced all the same: {quote}");
    assert_eq!(quote["limit_warnings"][0]["kind"], "per_transaction", "{quote}");
    let dir = tempfile::tempdir().unwrap();
    let limits = dir.path().join("limits.toml");
    std::fs::write(&limits, "business_hours = \"09:00-22:00\"\n").unwrap();
    let text = ok(&["quote", "100", "wechat", "--at", "2026-05-06 23:10", "--limits", &limits.display().to_string()]);
    assert!(text.contains("WARNING: 23:10 is outside the registered business hours 09:00–22:00"), "{text}");
    // Without --limits a quote has no such warning: the JSON's list is empty.
    assert_eq!(json(&["quote", "60000", "credit", "--at", "2026-05-06 23:10", "--json"])["limit_warnings"], serde_json::json!([]));
}

#[test]
fn quote_voids_refunds_provisional_dates_and_holiday_files() {
    let void = json(&["quote", "100", "credit", "--at", "2026-05-06 10:00", "--void", "--json"]);
    assert_eq!(void["kind"], "void");
    let refund =
        json(&["quote", "100", "credit", "--at", "2026-05-06 10:00", "--refund", "40", "--refund-at", "2026-05-08 10:00", "--json"]);
    assert_eq!(refund["kind"], "refund");
    let provisional = ok(&["quote", "1", "credit", "--at", "2031-03-03 10:00", "--provisional"]);
    assert!(provisional.contains("(provisional)"), "{provisional}");
    let dir = tempfile::tempdir().unwrap();
    let holidays = dir.path().join("2027.json");
    std::fs::write(&holidays, r#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#)
        .unwrap();
    let holidays = holidays.display().to_string();
    let quote = json(&["quote", "100", "credit", "--at", "2026-12-31 10:00", "--holidays", &holidays, "--json"]);
    assert_eq!(quote["settles_on"], "2027-01-04");
    assert_eq!(quote["settles_on_provisional"], false);
}

#[test]
fn quote_file_prices_every_row_or_reports_its_error() {
    let dir = tempfile::tempdir().unwrap();
    let trades = dir.path().join("trades.csv");
    std::fs::write(
        &trades,
        "trade_id,amount,channel,time,settlement\nA1,5000,debit,2026-09-30 22:30,\nA2,\"1,000.50\",credit,2026-05-06 10:00,D0\nA3,12.345,debit,2026-05-06 11:00,\n",
    )
    .unwrap();
    let trades = trades.display().to_string();
    let error = posfee(&["quote", "--file", &trades, "--schedule", "sft-traditional"]);
    assert_eq!(error.status, 2);
    assert!(error.stderr.contains("line 4") && error.stderr.contains("12.345"), "{error:?}");
    assert!(error.stdout.is_empty());

    let csv = ok(&["quote", "--file", &trades, "--schedule", "sft-traditional", "--on-invalid", "report"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "trade_id,amount,channel,time,settlement,fee,net,rule,limit,settlement_applied,trade_day,settles_on,warnings,error"
    );
    assert_eq!(lines[1], "A1,5000,debit,2026-09-30 22:30,,20.00,4980.00,debit,cap,T1,2026-09-30,2026-10-08,,");
    assert!(lines[2].starts_with("A2,\"1,000.50\",credit,2026-05-06 10:00,D0,"), "{}", lines[2]);
    assert!(lines[3].starts_with("A3,12.345,") && lines[3].contains("invalid_amount: ") && lines[3].contains("line 4"), "{}", lines[3]);
    assert_eq!(lines.len(), 4);

    let out = dir.path().join("priced.csv");
    let summary =
        ok(&["quote", "--file", &trades, "--schedule", "sft-traditional", "--on-invalid", "report", "--out", &out.display().to_string()]);
    assert!(summary.contains("3 rows") && summary.contains("1 with an error"), "{summary}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), csv);

    let rows = json(&["quote", "--file", &trades, "--schedule", "sft-traditional", "--on-invalid", "report", "--json"]);
    assert_eq!(rows[0]["fee"], "20.00");
    assert_eq!(rows[0]["limit"], "cap");
    assert_eq!(rows[2]["line"], 4);
    assert_eq!(rows[2]["error"]["code"], "invalid_amount");
}

#[test]
fn compare_totals_offers_and_finds_break_evens() {
    let dir = tempfile::tempdir().unwrap();
    let trades = dir.path().join("trades.csv");
    // Debit ¥5000 and ¥1000, credit ¥100 (May); credit ¥8000 and WeChat ¥20 (June).
    std::fs::write(
        &trades,
        "amount,channel,time\n5000,debit,2026-05-06 10:00\n1000,debit,2026-05-07 10:00\n100,credit,2026-05-29 10:00\n8000,credit,2026-06-02 10:00\n20,wechat,2026-06-03 10:00\n",
    )
    .unwrap();
    let trades = trades.display().to_string();
    let text = ok(&["compare", &trades, "--schedule", "sft-traditional", "--schedule", "sft-smart", "--schedule", "standard-d0@D0"]);
    // traditional: 20 + 5.50 + 0.60 + 48 + 0.08 = 74.18; smart: 20 + 5 + … = 73.68; D0: + ¥3 on all but the ¥100… each of 5 = 88.68.
    assert!(text.contains("¥74.18") && text.contains("¥73.68") && text.contains("¥88.68"), "{text}");
    assert!(text.contains("2026-05") && text.contains("2026-06") && text.contains("debit"), "{text}");
    let value = json(&["compare", &trades, "--schedule", "sft-traditional", "--schedule", "sft-smart", "--json"]);
    assert_eq!(value["offers"][1]["difference"], "-0.50");
    assert_eq!(value["offers"][0]["by_month"][1]["fee"], "48.08");
    assert_eq!(value["offers"][1]["total"]["effective_rate"], "0.00521813");
    let value = json(&["compare", &trades, "--schedule", "sft-smart", "--schedule", "standard-d0@D0", "--json"]);
    assert_eq!(value["break_evens"].as_array().unwrap().len(), 0);
}

#[test]
fn calendar_prints_a_year_a_day_and_a_range() {
    let year = ok(&["calendar", "2026"]);
    assert!(year.starts_with("2026: 248 business days; "), "{year}");
    assert!(year.contains("National Day 国庆节") && year.contains("Sun 09-20, Sat 10-10"), "{year}");
    let data = json(&["calendar", "2026", "--json"]);
    assert_eq!(data["business_days"], 248);
    assert_eq!(data["holidays"].as_array().unwrap().len(), 7);
    assert_eq!(data["holidays"][1]["name_zh"], "春节");

    let day = ok(&["calendar", "2026-02-14"]);
    assert!(day.contains("business day         yes") && day.contains("make-up working day  yes"), "{day}");
    assert_eq!(json(&["calendar", "2026-10-03", "--json"])["holiday"]["name_en"], "National Day");

    let range = ok(&["calendar", "2026-01-01", "2026-12-31"]);
    let mut lines = range.lines();
    assert_eq!(lines.next(), Some("date,business_day,holiday"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 365);
    assert_eq!(rows.iter().filter(|row| row.split(',').nth(1) == Some("true")).count(), 248);
    assert!(rows.contains(&"2026-02-14,true,"));
    assert!(rows.contains(&"2026-02-17,false,春节 Spring Festival"));

    let provisional = ok(&["calendar", "2026-12-30", "2027-01-02", "--provisional"]);
    assert!(provisional.contains("2027-01-01,true,,true"), "{provisional}");
    let future = ok(&["calendar", "2031", "--provisional"]);
    assert!(future == "2031: 261 business days; no holiday data for 2031: weekends only (provisional)\n", "{future}");
}

#[test]
fn calendar_takes_a_holiday_file() {
    let dir = tempfile::tempdir().unwrap();
    let holidays = dir.path().join("2027.toml");
    std::fs::write(
        &holidays,
        "[[years]]\nyear = 2027\nnotice = \"test\"\n\n[[years.holidays]]\nname_zh = \"元旦\"\nname_en = \"New Year's Day\"\nfirst = 2027-01-01\nlast = 2027-01-03\nmakeup_workdays = []\n",
    )
    .unwrap();
    let text = ok(&["calendar", "2027", "--holidays", &holidays.display().to_string()]);
    assert!(text.contains("New Year's Day 元旦") && text.contains("2027: "), "{text}");
}

#[test]
fn presets_and_formats() {
    let presets = ok(&["presets"]);
    assert!(presets.starts_with("preset ") && presets.contains("sft-traditional"), "{presets}");
    let listed = json(&["presets", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), posfee::presets().len());
    assert!(listed[0]["title"].as_str().is_some_and(|t| !t.is_empty()));

    let formats = json(&["formats", "--json"]);
    let names: Vec<&str> = formats.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, posfee::reconcile::formats());
    assert!(formats
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["title"].as_str().unwrap().is_empty() && !f["source"].as_str().unwrap().is_empty()));
    let text = ok(&["formats"]);
    assert!(text.contains("wechat-merchant\n") && text.contains("  source: "), "{text}");
}

#[test]
fn read_writes_the_canonical_csv() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::formats_dir().join("sample.csv").display().to_string();
    let out = dir.path().join("canonical.csv");
    let summary = ok(&["read", &sample, "--out", &out.display().to_string()]);
    assert!(summary.contains("8 rows read as bank-pos"), "{summary}");
    let canonical = std::fs::read_to_string(&out).unwrap();
    assert_eq!(canonical.lines().count(), 1 + 8);
    assert_eq!(ok(&["read", &sample, "--format", "bank", "--out", "-"]), canonical, "stdout and file agree");
    let data = json(&["read", &sample, "--format", "bank-pos", "--out", &out.display().to_string(), "--json"]);
    assert_eq!((data["rows"].as_u64(), data["format"].as_str()), (Some(8), Some("bank-pos")));

    // The canonical file reads back into the same rows.
    let again = dir.path().join("again.csv");
    ok(&["read", &out.display().to_string(), "--format", "bank", "--out", &again.display().to_string()]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), canonical);

    // A bad file: every unreadable line listed with --on-invalid report.
    let bad = common::formats_dir().join("bad.csv").display().to_string();
    let report = ok(&["read", &bad, "--format", "bank", "--on-invalid", "report", "--out", &out.display().to_string()]);
    assert!(report.contains("could not be read:") && report.contains("line 3"), "{report}");
}

/// The record batches of a Parquet file, read with the parquet crate.
fn parquet_batches(path: &std::path::Path) -> Vec<arrow_array::RecordBatch> {
    let file = std::fs::File::open(path).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    reader.collect::<Result<Vec<_>, _>>().unwrap()
}

#[test]
fn read_writes_parquet_and_arrow_files_of_the_csv_rows() {
    use arrow_schema::{DataType, TimeUnit};
    use posfee::reconcile::arrow::{statement_from_arrow, ArrowReadOptions};
    let dir = tempfile::tempdir().unwrap();
    let sample = common::formats_dir().join("sample.csv").display().to_string();
    let canonical = ok(&["read", &sample, "--out", "-"]);
    let parquet = dir.path().join("canonical.parquet");
    let summary = ok(&["read", &sample, "--out", &parquet.display().to_string()]);
    assert!(summary.contains("8 rows read as bank-pos") && summary.contains("canonical.parquet"), "{summary}");

    // Read back with the parquet crate: the canonical columns, exact money, and the same rows.
    let batches = parquet_batches(&parquet);
    let schema = batches[0].schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(
        names,
        [
            "settlement_date",
            "merchant_no",
            "merchant_name",
            "terminal",
            "batch",
            "rrn",
            "time",
            "amount",
            "fee",
            "net",
            "channel",
            "kind",
            "line"
        ]
    );
    assert_eq!(schema.field_with_name("amount").unwrap().data_type(), &DataType::Decimal128(18, 2));
    assert_eq!(schema.field_with_name("fee").unwrap().data_type(), &DataType::Decimal128(20, 5));
    assert_eq!(schema.field_with_name("settlement_date").unwrap().data_type(), &DataType::Date32);
    assert_eq!(schema.field_with_name("time").unwrap().data_type(), &DataType::Timestamp(TimeUnit::Second, Some("+08:00".into())));
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 8);
    let statement = statement_from_arrow("canonical.parquet", &batches, ArrowReadOptions::default()).unwrap();
    assert_eq!(posfee::reconcile::write_bank_csv(&statement), canonical, "the Parquet rows are the CSV rows");

    // Parquet and Arrow IPC files are statements for every command.
    assert_eq!(ok(&["read", &parquet.display().to_string(), "--out", "-"]), canonical);
    let arrow = dir.path().join("canonical.arrow");
    let data = json(&["read", &parquet.display().to_string(), "--out", &arrow.display().to_string(), "--json"]);
    assert_eq!((data["rows"].as_u64(), data["format"].as_str()), (Some(8), Some("parquet")));
    assert_eq!(ok(&["read", &arrow.display().to_string(), "--out", "-"]), canonical);
}

/// A report CSV without its line numbers (the `line` column and the `(line N)` of reasons): a
/// table's rows are numbered from 1, a CSV's lines from its header.
fn without_lines(report: &str) -> String {
    let mut out = String::new();
    for line in report.lines() {
        let cells: Vec<&str> = line.splitn(4, ',').collect();
        let mut rest = [cells[0], cells[1], cells[3]].join(",");
        while let Some(at) = rest.find("(line ").filter(|&at| rest[at + 6..].starts_with(|c: char| c.is_ascii_digit())) {
            let digits = rest[at + 6..].chars().take_while(char::is_ascii_digit).count();
            rest.replace_range(at + 5..at + 6 + digits, "");
        }
        out.push_str(&rest);
        out.push('\n');
    }
    out
}

#[test]
fn reconcile_reads_parquet_ledgers_and_statements_as_their_csv() {
    let sample = Sample::new(300);
    let ledger = posfee::reconcile::read_ledger_file(&sample.ledger).unwrap();
    let ledger_parquet = sample.path("ledger.parquet");
    let file = std::fs::File::create(&ledger_parquet).unwrap();
    let batch = posfee::reconcile::arrow::ledger_to_arrow(&ledger);
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let statement_parquet = sample.path("statement.parquet");
    ok(&["read", &sample.statement(), "--out", &statement_parquet]);
    let report = |ledger: &str, statement: &str| {
        let out = sample.path("report.csv");
        ok(&["reconcile", ledger, statement, "--schedule", "sft-traditional", "--merchant-no", MERCHANT, "--out", &out]);
        without_lines(&std::fs::read_to_string(&out).unwrap())
    };
    let from_csv = report(&sample.ledger(), &sample.statement());
    let from_parquet = report(&ledger_parquet, &statement_parquet);
    for (parquet, csv) in from_parquet.lines().zip(from_csv.lines()) {
        assert_eq!(parquet, csv);
    }
    assert_eq!(from_parquet.lines().count(), from_csv.lines().count());
    assert!(fail(&["reconcile", &sample.path("missing.parquet"), &statement_parquet, "--schedule", "standard", "--merchant-no", MERCHANT])
        .contains("missing.parquet"));
}

#[test]
fn read_takes_an_excel_export_like_its_csv() {
    // The bank-pos sample's lines as a workbook's rows, amounts as number cells.
    let dir = tempfile::tempdir().unwrap();
    let sample = common::formats_dir().join("sample.csv");
    let text = std::fs::read_to_string(&sample).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (row, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let mut fields = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line.as_bytes());
        let Some(record) = fields.records().next() else { continue };
        for (column, field) in record.unwrap().iter().enumerate() {
            let (row, column) = (row as u32, column as u16);
            match field.parse::<f64>() {
                Ok(number) if field.contains('.') => sheet.write_number(row, column, number).map(|_| ()),
                _ if field.is_empty() => Ok(()),
                _ => sheet.write_string(row, column, field).map(|_| ()),
            }
            .unwrap();
        }
    }
    let workbook = dir.path().join("statement.xlsx");
    book.save(&workbook).unwrap();
    let from_csv = ok(&["read", &sample.display().to_string(), "--out", "-"]);
    let from_workbook = ok(&["read", &workbook.display().to_string(), "--out", "-"]);
    assert_eq!(from_workbook, from_csv);
    let summary = ok(&["read", &workbook.display().to_string(), "--out", &dir.path().join("c.csv").display().to_string()]);
    assert!(summary.contains("8 rows read as bank-pos"), "{summary}");
}

#[test]
fn reconcile_files_written_from_the_simulation() {
    let sample = Sample::new(400);
    let (ledger, statement) = (sample.ledger(), sample.statement());
    let out = sample.path("report.csv");
    let base = ["reconcile", &ledger, &statement, "--schedule", "sft-traditional", "--merchant-no", MERCHANT];
    let text = ok(&[&base[..], &["--out", &out]].concat());
    assert!(text.starts_with("class "), "{text}");
    assert!(text.contains("fee_above") && text.contains("never_settled"), "{text}");
    let rows = sample.ledger_rows + sample.statement_rows;
    assert!(text.ends_with(&format!("\n{rows} rows written to {out}\n")), "{text}");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("side,index,line,trade_id,rrn,terminal,class,"));
    assert_eq!(csv.lines().count(), rows + 1);

    let summary = json(&[&base[..], &["--json", "--format", "bank", "--window", "300", "--settlement", "T1"]].concat());
    assert_eq!(summary["ledger_rows"].as_u64(), Some(sample.ledger_rows as u64));
    assert_eq!(summary["statement_rows"].as_u64(), Some(sample.statement_rows as u64));
    assert!(summary["overcharge"].is_string(), "money as strings: {summary}");

    let report = sample.path("report.json");
    let by_alias = ["reconcile", &ledger, &statement, "--schedule", "sft-traditional", "--merchant", MERCHANT, "--out", &report];
    ok(&by_alias);
    let full: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert!(full["summary"]["classes"].is_array());
}

#[test]
fn reconcile_keeps_unreadable_lines_with_on_invalid_report() {
    let sample = Sample::new(60);
    let bad = sample.bad_ledger();
    let summary = json(&[
        "reconcile",
        &bad,
        &sample.statement(),
        "--schedule",
        "sft-traditional",
        "--merchant-no",
        MERCHANT,
        "--on-invalid",
        "report",
        "--json",
    ]);
    assert_eq!(summary["unreadable_rows"], 1);
}

#[test]
fn a_d0_merchant_reconciles_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.csv");
    std::fs::write(
        &ledger,
        "trade_id,rrn,trace,terminal,merchant_no,time,amount,channel,card_type,kind,response_code,original_rrn\n\
         A1,612610000001,,T0000001,,2026-05-06 10:00:00,100.00,credit,,purchase,00,\n\
         A2,612610000002,,T0000001,,2026-05-06 11:00:00,250.50,debit,,purchase,00,\n",
    )
    .unwrap();
    let statement = dir.path().join("statement.csv");
    std::fs::write(
        &statement,
        "清算日期,商户号,终端号,交易日期,交易时间,交易金额,手续费,参考号,卡类别,交易类型\n\
         20260506,102310058120001,T0000001,20260506,100000,100.00,3.60,612610000001,贷记卡,消费\n\
         20260506,102310058120001,T0000001,20260506,110000,250.50,4.25,612610000002,借记卡,消费\n",
    )
    .unwrap();
    let (ledger, statement) = (ledger.display().to_string(), statement.display().to_string());
    let base = ["reconcile", &ledger, &statement, "--schedule", "standard-d0", "--merchant-no", MERCHANT, "--json"];
    let classes = |summary: &serde_json::Value| -> Vec<(String, u64)> {
        summary["classes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["class"].as_str().unwrap().to_string(), c["ledger_rows"].as_u64().unwrap() + c["statement_rows"].as_u64().unwrap()))
            .filter(|(_, n)| *n > 0)
            .collect()
    };
    assert_eq!(classes(&json(&[&base[..], &["--settlement", "D0"]].concat())), vec![("ok".to_string(), 4)]);
    // The same files read as a T+1 merchant: the D0 surcharge is a fee the contract does not price.
    assert_eq!(classes(&json(&base)), vec![("extra_fee".to_string(), 4)]);
}

#[test]
fn reconcile_with_limits_names_the_limit_a_decline_61_reached() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.csv");
    std::fs::write(
        &ledger,
        "trade_id,rrn,trace,terminal,merchant_no,time,amount,channel,card_type,kind,response_code,original_rrn\n\
         A1,612610000001,,T0000001,,2026-05-06 10:00:00,150000.00,credit,,purchase,00,\n\
         A2,612610000002,,T0000001,,2026-05-06 11:00:00,45000.00,credit,,purchase,00,\n\
         A3,612610000003,,T0000001,,2026-05-06 12:00:00,8000.00,credit,,purchase,61,\n",
    )
    .unwrap();
    let statement = dir.path().join("statement.csv");
    std::fs::write(&statement, "清算日期,商户号,终端号,交易日期,交易时间,交易金额,手续费,参考号,卡类别,交易类型\n").unwrap();
    let limits = dir.path().join("limits.toml");
    std::fs::write(&limits, "business_hours = \"08:00-22:00\"\n[[limits]]\nchannels = [\"credit\"]\nper_day = \"200000\"\n").unwrap();
    let out = dir.path().join("report.csv");
    let (ledger, statement, limits, out) =
        (ledger.display().to_string(), statement.display().to_string(), limits.display().to_string(), out.display().to_string());
    let base = ["reconcile", &ledger, &statement, "--schedule", "standard", "--merchant-no", MERCHANT, "--format", "bank"];
    let text = ok(&[&base[..], &["--limits", &limits, "--out", &out]].concat());
    assert!(text.contains("near a limit: 2026-05-06 per_day 单日限额 (credit): ¥195000.00 of ¥200000.00 (97.5000%)"), "{text}");
    let rows = std::fs::read_to_string(&out).unwrap();
    assert!(rows.contains("the day's credit total would have reached ¥203,000.00, above the ¥200,000.00 per-day limit"), "{rows}");
    // A preset by name; a bad file names itself and the field.
    let summary = json(&[&base[..], &["--limits", "personal-micro-merchant", "--json"]].concat());
    assert_eq!(summary["near_limits"][0]["limit_amount"], "200000.00", "{summary}");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[[limits]]\nper_day = \"0\"\n").unwrap();
    let outcome = posfee(&[&base[..], &["--limits", &bad.display().to_string()]].concat());
    assert_ne!(outcome.status, 0);
    assert!(outcome.stderr.contains("limits[0].per_day") && outcome.stderr.contains("bad.toml"), "{outcome:?}");
}

#[test]
fn demo_reconciles_a_small_sample_month() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let export = dir.path().join("sample");
    let text = ok(&["demo", "--trades", "300", "--out", &out.display().to_string(), "--export-sample", &export.display().to_string()]);
    assert!(text.starts_with("sample month: "), "{text}");
    assert!(text.contains("reconciled in") && text.contains("first discrepancies:") && text.contains("full report: "), "{text}");
    assert!(out.exists() && out.with_extension("csv").exists());
    for name in ["ledger.csv", "statement.csv", "due_dates.csv"] {
        assert!(export.join(name).exists(), "{name}");
    }
    let summary = json(&["demo", "--trades", "300", "--no-report", "--json"]);
    assert!(summary["ledger_rows"].as_u64().unwrap() >= 300);
    // The exported files reconcile from the command line.
    let (ledger, statement) = (export.join("ledger.csv").display().to_string(), export.join("statement.csv").display().to_string());
    let again = json(&["reconcile", &ledger, &statement, "--schedule", "sft-traditional", "--merchant-no", MERCHANT, "--json"]);
    assert_eq!(again["ledger_rows"], summary["ledger_rows"]);
}

#[test]
fn the_binary_matches_the_library_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for args in
        [vec!["--help"], vec!["quote", "5000", "debit", "--at", "2026-09-30 22:30"], vec!["calendar", "2026"], vec!["quote", "1", "visa"]]
    {
        assert_eq!(common::binary(&args, dir.path()), posfee(&args), "{args:?}");
    }
}

#[test]
fn quote_speaks_one_language() {
    let zh = ok(&["quote", "5000", "debit", "--at", "2026-09-30 22:30", "--schedule", "sft-traditional", "--lang", "zh"]);
    assert!(zh.contains("手续费") && zh.contains("借记卡 0.55% × ¥5000.00 = ¥27.50，封顶 ¥20.00"), "{zh}");
    assert!(zh.contains("按 T1 于 2026-10-08 结算") && !zh.contains("settles"), "{zh}");
    let en = ok(&["quote", "5000", "debit", "--at", "2026-09-30 22:30", "--schedule", "sft-traditional"]);
    assert!(en.contains("debit 0.55% of ¥5000.00 = ¥27.50, capped at ¥20.00") && !en.contains("封顶"), "{en}");
    let json = json(&["quote", "5000", "debit", "--at", "2026-09-30 22:30", "--json", "--lang", "zh"]);
    assert!(json["explanation"][0].as_str().unwrap().starts_with("消费借记卡"), "{json}");
    assert!(fail(&["quote", "1", "debit", "--lang", "fr"]).contains("language \"fr\" is not one of zh, en"));
}

#[test]
fn reconcile_timings_go_to_stderr_and_leave_stdout_unchanged() {
    let sample = Sample::new(200);
    let (ledger, statement) = (sample.ledger(), sample.statement());
    let base = ["reconcile", &ledger, &statement, "--schedule", "sft-traditional", "--merchant-no", MERCHANT, "--json"];
    let plain = common::binary(&base, sample.dir.path());
    let timed = common::binary(&[&base[..], &["--timings"]].concat(), sample.dir.path());
    assert_eq!((timed.status, &timed.stdout), (0, &plain.stdout));
    assert_eq!(plain.stderr, "");
    let line: serde_json::Value = serde_json::from_str(timed.stderr.trim_end()).expect("one JSON line on stderr");
    assert_eq!(timed.stderr.lines().count(), 1, "{}", timed.stderr);
    for key in ["read_seconds", "reconcile_seconds", "write_seconds"] {
        assert!(line[key].as_f64().is_some_and(|s| s >= 0.0), "{key} in {line}");
    }
}

#[test]
fn reconcile_prints_findings_and_writes_the_dispute_list() {
    use posfee::reconcile::simulation::{generate, Pattern, SimulationOptions};
    use posfee::reconcile::{write_bank_csv, write_ledger_csv};
    let dir = tempfile::tempdir().unwrap();
    let rise = Pattern::Rate {
        from: posfee::parse_date("2026-03-10").unwrap(),
        channel: posfee::Channel::Credit,
        rate: posfee::Rate::parse("0.68%").unwrap(),
    };
    let sample = generate(&SimulationOptions::new(5).trades(800).faults_per_class(0).pattern(rise)).unwrap();
    let (ledger, statement) = (dir.path().join("ledger.csv"), dir.path().join("statement.csv"));
    std::fs::write(&ledger, write_ledger_csv(&sample.ledger)).unwrap();
    std::fs::write(&statement, write_bank_csv(&sample.statement)).unwrap();
    let (ledger, statement) = (ledger.display().to_string(), statement.display().to_string());
    let injected = &sample.patterns[0];
    let base = ["reconcile", &ledger, &statement, "--schedule", "sft-traditional", "--merchant-no", MERCHANT];
    let html = dir.path().join("dispute.html").display().to_string();
    let text = ok(&[&base[..], &["--dispute", &html]].concat());
    let sentence = format!(
        "from {} credit trades were charged 0.68% instead of 0.60%: {} trades, ¥{} over",
        injected.first_day, injected.trades, injected.money
    );
    assert!(text.contains(&sentence) && !text.contains("贷记卡交易按0.68%收费"), "{text}");
    assert!(text.ends_with(&format!("dispute list written to {html}\n")), "{text}");
    // One language all the way down: the summary, the findings and the rows' reasons.
    let rows_out = dir.path().join("report.csv").display().to_string();
    let chinese = ok(&[&base[..], &["--lang", "zh", "--out", &rows_out]].concat());
    assert!(chinese.contains("贷记卡交易按0.68%收费") && !chinese.contains(&sentence), "{chinese}");
    assert!(chinese.contains("已匹配交易的手续费") && !chinese.contains("fees on matched trades"), "{chinese}");
    let report_rows = std::fs::read_to_string(&rows_out).unwrap();
    assert!(report_rows.contains("按0.68%收费（合同0.60%）（手续费 ¥"), "{report_rows}");
    assert!(!report_rows.contains("charged 0.68% instead of"), "{report_rows}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<html lang=\"zh-CN\">") && page.contains(&format!("多收¥{}", injected.money)), "{page}");

    let csv = dir.path().join("dispute.csv").display().to_string();
    ok(&[&base[..], &["--dispute", &csv, "--lang", "en"]].concat());
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert!(rows.starts_with("issue,trade_date,terminal,reference,merchant_no,amount,charged_fee,contract_fee,difference,"));
    // The finding's trades and its total line.
    assert_eq!(rows.lines().count() as u64, 1 + injected.trades + 1, "{rows}");
    assert!(rows.lines().last().unwrap().contains(&injected.money.to_string()));

    let summary = json(&[&base[..], &["--json"]].concat());
    assert_eq!(summary["findings"][0]["kind"], "rate");
    assert_eq!(summary["findings"][0]["trades"].as_u64(), Some(injected.trades));

    // A dispute list named neither .html nor .csv, and an unknown language, are input errors.
    let bad = fail(&[&base[..], &["--dispute", &dir.path().join("d.pdf").display().to_string()]].concat());
    assert!(bad.contains("name it .html (a printable page) or .csv"), "{bad}");
    let bad = fail(&[&base[..], &["--dispute", &html, "--lang", "fr"]].concat());
    assert!(bad.contains("language \"fr\" is not one of zh, en"), "{bad}");
}

#[test]
fn deposits_finds_what_did_not_reach_the_bank_account() {
    let sample = common::DepositSample::new(3);
    let base = ["deposits", &sample.statement, &sample.bank, "--from", &sample.from, "--as-of", &sample.as_of];
    let text = ok(&base);
    assert!(text.contains("deposit_missing") && text.contains("deposit_merged") && text.contains("unexplained_credit"), "{text}");
    assert!(text.contains("has not arrived") && text.contains("less than the statement's net"), "{text}");
    let zh = ok(&[&base[..], &["--lang", "zh"]].concat());
    assert!(zh.contains("未到账") && zh.contains("合并为一笔"), "{zh}");

    // The JSON report classes every payout as the answer key does.
    let report = json(&[&base[..], &["--json"]].concat());
    let classes: Vec<&str> = report["payouts"].as_array().unwrap().iter().map(|p| p["class"].as_str().unwrap()).collect();
    let expected: Vec<&str> = sample.key.payouts.iter().map(|c| c.name()).collect();
    assert_eq!(classes, expected);
    assert!(report["summary"]["expected"].is_string(), "money as strings");

    // --out writes every payout and bank row.
    let out = sample.dir.path().join("deposits.csv").display().to_string();
    let text = ok(&[&base[..], &["--out", &out, "--bank-format", "cmb-debit", "--format", "bank"]].concat());
    let rows = report["payouts"].as_array().unwrap().len() + report["bank"].as_array().unwrap().len();
    assert!(text.ends_with(&format!("\n{rows} rows written to {out}\n")), "{text}");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.starts_with("side,index,line,class,date,"));
    assert_eq!(csv.lines().count(), rows + 1);

    // A longer delay turns nothing into a problem that was not one; a shorter one finds more.
    let strict = json(&[&base[..], &["--json", "--delay", "0"]].concat());
    let late = |report: &serde_json::Value| report["payouts"].as_array().unwrap().iter().filter(|p| p["class"] == "deposited_late").count();
    assert_eq!(late(&report), 2);
    assert_eq!(late(&strict), 0);
}

#[test]
fn deposits_group_by_batch_and_name_the_statements_deduction_lines() {
    let dir = tempfile::tempdir().unwrap();
    let statement = dir.path().join("settle.csv");
    std::fs::write(
        &statement,
        "清算日期,商户号,终端号,批次号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n\
         20261102,898440358120017,80010001,000031,20261101,093012,12420.00,74.52,12345.48,126093012001,贷记卡,消费\n\
         20261102,898440358120017,80010002,000007,20261101,103012,1000.00,6.00,994.00,126103012002,贷记卡,消费\n\
         20261102,898440358120017,,,20261102,000000,99.00,0.00,-99.00,,,流量费\n",
    )
    .unwrap();
    let bank = dir.path().join("bank.csv");
    std::fs::write(
        &bank,
        "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n\
         2026-11-02,CNY,\"12,246.48\",,代发,拉卡拉支付股份有限公司,结算款\n\
         2026-11-02,CNY,994.00,,代发,拉卡拉支付股份有限公司,结算款\n",
    )
    .unwrap();
    let (statement, bank) = (statement.display().to_string(), bank.display().to_string());
    let base = ["deposits", &statement, &bank, "--as-of", "2026-11-10"];
    let text = ok(&base);
    assert!(text.contains("the statement deducts ¥99.00 on line 4 (流量费)"), "{text}");
    assert!(text.contains("deduction lines on the statement (流量费, 服务费): 1, 1 of them explaining a short deposit"), "{text}");
    let report = json(&[&base[..], &["--json"]].concat());
    let payouts: Vec<(&str, &str)> =
        report["payouts"].as_array().unwrap().iter().map(|p| (p["batch"].as_str().unwrap(), p["class"].as_str().unwrap())).collect();
    assert_eq!(payouts, [("000007", "deposited"), ("000031", "deposit_short")]);
    // One payout for the day: two credits for it, short and unexplained.
    let by_day = json(&[&base[..], &["--json", "--no-batch-grouping"]].concat());
    assert_eq!(by_day["payouts"].as_array().unwrap().len(), 1);
    assert_eq!(by_day["payouts"][0]["batch"], "");
}

#[test]
fn a_portfolio_registry_with_limits_explains_each_merchants_declines() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    // A is a personal micro-merchant (¥50,000 a trade); B registered no limits.
    let merchants = write(
        "merchants.csv",
        "merchant_no,name,schedule,terminals,limits\n\
         102310058120001,A,standard,T1,personal-micro-merchant\n\
         102310054110002,B,standard,T2,\n",
    );
    let ledger = write(
        "ledger.csv",
        "trade_id,rrn,terminal,time,amount,channel,response_code\n\
         A1,600000000001,T1,2026-03-16 10:00:00,60000.00,debit,61\n\
         B1,600000000002,T2,2026-03-16 10:00:00,60000.00,debit,61\n",
    );
    let statement =
        write("statement.csv", "清算日期,商户号,商户名称,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n");
    let out = dir.path().join("report.csv").display().to_string();
    ok(&["reconcile", &ledger, &statement, "--merchants", &merchants, "--out", &out]);
    let report = std::fs::read_to_string(&out).unwrap();
    let reason = |trade: &str| report.lines().find(|l| l.contains(&format!(",{trade},"))).unwrap_or_default().to_string();
    assert!(reason("A1").contains("¥60,000.00 is above the ¥50,000.00 per-transaction limit"), "{}", reason("A1"));
    assert!(reason("B1").contains("declined") && !reason("B1").contains("per-transaction limit"), "{}", reason("B1"));
    // A bad limits cell names the registry's line and field.
    let bad = write("bad.csv", "merchant_no,schedule,limits\n102310058120001,standard,vip\n");
    let error = fail(&["reconcile", &ledger, &statement, "--merchants", &bad]);
    assert!(error.contains("line 2") && error.contains("limits") && error.contains("vip"), "{error}");
}

#[test]
fn deposits_read_a_bank_statement_exported_as_a_spreadsheet() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let statement = root.join("core/tests/formats/jlpay-detail/sample.txt").display().to_string();
    let xlsx = root.join("core/tests/banks/xlsx/cmb-business.xlsx").display().to_string();
    let csv = root.join("core/tests/banks/cmb-business/sample.csv").display().to_string();
    let from_xlsx = json(&["deposits", &statement, &xlsx, "--json"]);
    let from_csv = json(&["deposits", &statement, &csv, "--json"]);
    assert_eq!(from_xlsx["summary"]["bank_rows"].as_u64(), Some(3));
    assert_eq!(from_xlsx["bank"], from_csv["bank"]);
    assert_eq!(from_xlsx["payouts"], from_csv["payouts"]);
    let named = json(&["deposits", &statement, &xlsx, "--bank-format", "cmb-business", "--json"]);
    assert_eq!(named["bank"], from_csv["bank"]);
}

#[test]
fn reconcile_a_portfolio_from_a_merchant_registry() {
    use posfee::reconcile::simulation::{generate, SimulationOptions};
    use posfee::reconcile::{reconcile, write_bank_csv, write_ledger_csv, Ledger, Statement};
    let dir = tempfile::tempdir().unwrap();
    let members = [("102310058120001", "sft-traditional", "east"), ("102310054110002", "standard", "west")];
    let (mut ledger, mut statement) = (Ledger::new("l"), Statement::new("s"));
    let mut registry = String::from("merchant_no,name,schedule,agent,terminals\n");
    let mut single_classes: std::collections::BTreeMap<String, u64> = Default::default();
    for (m, (number, preset, agent)) in members.iter().enumerate() {
        let sample = generate(&SimulationOptions::new(40 + m as u64).trades(600).preset(*preset)).unwrap();
        let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
        for class in &report.summary.classes {
            *single_classes.entry(class.class.unwrap().name().to_string()).or_default() += class.ledger_rows + class.statement_rows;
        }
        let rename = |t: &str| format!("M{m}{t}");
        for i in 0..sample.ledger.len() {
            let mut record = sample.ledger.record(i);
            record.terminal = rename(&record.terminal);
            record.merchant_no = record.merchant_no.replace(posfee::reconcile::simulation::MERCHANT_NO, number);
            ledger.push(record).unwrap();
        }
        for j in 0..sample.statement.len() {
            let mut record = sample.statement.record(j);
            record.terminal = rename(&record.terminal);
            record.merchant_no = record.merchant_no.replace(posfee::reconcile::simulation::MERCHANT_NO, number);
            statement.push(record).unwrap();
        }
        let terminals: Vec<String> = sample.options.profile.terminals.iter().map(|t| rename(t)).collect();
        registry.push_str(&format!("{number},shop {m},{preset},{agent},{}\n", terminals.join(";")));
    }
    let path = |name: &str| dir.path().join(name).display().to_string();
    std::fs::write(path("ledger.csv"), write_ledger_csv(&ledger)).unwrap();
    std::fs::write(path("statement.csv"), write_bank_csv(&statement)).unwrap();
    std::fs::write(path("merchants.csv"), &registry).unwrap();
    let base = ["reconcile", &path("ledger.csv"), &path("statement.csv")];
    let summary = json(&[&base[..], &["--merchants", &path("merchants.csv"), "--json"]].concat());
    let merchants = summary["merchants"].as_array().unwrap();
    assert_eq!(merchants.len(), 2);
    // By merchant number.
    assert_eq!((merchants[0]["agent"].as_str(), merchants[1]["agent"].as_str()), (Some("west"), Some("east")));
    for class in summary["classes"].as_array().unwrap() {
        let rows = class["ledger_rows"].as_u64().unwrap() + class["statement_rows"].as_u64().unwrap();
        // The unreadable lines of the samples are not in the files written from their rows.
        if class["class"] != "unreadable" {
            assert_eq!(rows, single_classes[class["class"].as_str().unwrap()], "{class}");
        }
    }
    let text = ok(&[&base[..], &["--merchants", &path("merchants.csv"), "--out", &path("report.csv")]].concat());
    assert!(text.contains("2 merchants; the five largest of each problem:") && text.contains("overcharged:"), "{text}");
    let report = std::fs::read_to_string(path("report.csv")).unwrap();
    assert!(report.lines().next().unwrap().ends_with(",merchant_no,agent"));
    assert!(report.lines().nth(1).unwrap().ends_with(",102310058120001,east"), "{}", report.lines().nth(1).unwrap());

    // A bad registry names its line and field; --merchants excludes --schedule.
    std::fs::write(path("bad.csv"), "merchant_no,schedule,terminals\n102310058120001,standard,T1\n102310054110002,nope,T2\n").unwrap();
    let bad = fail(&[&base[..], &["--merchants", &path("bad.csv")]].concat());
    assert!(bad.contains("bad.csv") && bad.contains("line 3") && bad.contains("schedule \"nope\""), "{bad}");
    let conflict = posfee(&[&base[..], &["--merchants", &path("merchants.csv"), "--schedule", "standard"]].concat());
    assert_eq!(conflict.status, 2, "{conflict:?}");
    let neither = posfee(&base);
    assert_eq!(neither.status, 2, "{neither:?}");
}

#[test]
fn margins_per_agent_from_files() {
    use posfee::reconcile::simulation::{generate, SimulationOptions};
    use posfee::reconcile::write_ledger_csv;
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).display().to_string();
    let sample = generate(&SimulationOptions::new(8).trades(500)).unwrap();
    std::fs::write(path("trades.csv"), write_ledger_csv(&sample.ledger)).unwrap();
    std::fs::write(
        path("merchants.csv"),
        format!("merchant_no,schedule,agent,terminals\n{MERCHANT},sft-traditional,city,T0000001;T0000002;T0000003\n"),
    )
    .unwrap();
    std::fs::write(path("agents.csv"), "agent,parent,cost_schedule\nprovince,,standard\ncity,province,sft-smart\n").unwrap();
    let base = ["margins", &path("trades.csv"), "--merchants", &path("merchants.csv"), "--agents", &path("agents.csv")];
    let totals = json(&[&base[..], &["--json"]].concat());
    let money = |v: &serde_json::Value| posfee::Money::parse(v.as_str().unwrap()).unwrap();
    assert_eq!(money(&totals["merchant_fee"]), money(&totals["top_cost"]) + money(&totals["margin"]));
    let agents: Vec<&str> = totals["by_agent"].as_array().unwrap().iter().map(|a| a["key"].as_str().unwrap()).collect();
    assert_eq!(agents, ["city", "province"]);
    // sft-traditional debit 0.55% over sft-smart's 0.50%: city earns on debit trades.
    assert!(money(&totals["by_agent"][0]["margin"]) > posfee::Money::ZERO, "{totals}");
    let text = ok(&[&base[..], &["--out", &path("margins.csv")]].concat());
    assert!(text.starts_with("merchants' fees ¥"), "{text}");
    let rows = std::fs::read_to_string(path("margins.csv")).unwrap();
    assert!(rows.starts_with("trade_id,date,merchant_no,channel,amount,merchant_fee,level,agent,cost,margin\n"));
    // A bad agents file names its line and field.
    std::fs::write(path("bad.csv"), "agent,parent,cost_schedule\ncity,nowhere,standard\n").unwrap();
    let bad = fail(&["margins", &path("trades.csv"), "--merchants", &path("merchants.csv"), "--agents", &path("bad.csv")]);
    assert!(bad.contains("unknown parent \"nowhere\"") && bad.contains("line 2"), "{bad}");
}

#[test]
fn demo_portfolio_reconciles_an_agents_month_and_its_margins() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("sample");
    let out = dir.path().join("portfolio.json");
    let text = ok(&[
        "demo",
        "--portfolio",
        "6",
        "--trades",
        "1200",
        "--out",
        &out.display().to_string(),
        "--export-sample",
        &export.display().to_string(),
    ]);
    assert!(text.starts_with("sample portfolio: 6 merchants,"), "{text}");
    assert!(text.contains("6 merchants; the five largest of each problem:") && text.contains("agents' margins (分润):"), "{text}");
    assert!(text.contains("unknown_terminal"), "{text}");
    for name in ["ledger.csv", "statement.csv", "merchants.csv", "agents.csv", "costs/province.toml", "costs/city-west.toml"] {
        assert!(export.join(name).exists(), "{name}");
    }
    // The exported files give the same summary from the command line.
    let path = |name: &str| export.join(name).display().to_string();
    let summary = json(&["reconcile", &path("ledger.csv"), &path("statement.csv"), "--merchants", &path("merchants.csv"), "--json"]);
    let demo = json(&["demo", "--portfolio", "6", "--trades", "1200", "--no-report", "--json"]);
    assert_eq!(summary["merchants"], demo["merchants"]);
    let margins = json(&["margins", &path("ledger.csv"), "--merchants", &path("merchants.csv"), "--agents", &path("agents.csv"), "--json"]);
    assert_eq!(margins["skipped"], 0);
}

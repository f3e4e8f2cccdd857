//! The bad-input catalogue of the `posfee` command: every bad command line exits with status 2
//! and exactly one line on stderr, `posfee: error [code]: message`, with the core's error code
//! (`usage` for what the argument parser rejects), the offending value named, and nothing on
//! stdout.

mod common;

use common::{posfee, Sample, MERCHANT};

struct Case {
    id: &'static str,
    args: Vec<String>,
    code: &'static str,
    words: Vec<&'static str>,
    absent: Vec<&'static str>,
}

fn case(id: &'static str, args: &[&str], code: &'static str, words: &[&'static str]) -> Case {
    Case { id, args: args.iter().map(|s| s.to_string()).collect(), code, words: words.to_vec(), absent: Vec::new() }
}

fn owned(id: &'static str, args: Vec<String>, code: &'static str, words: &[&'static str]) -> Case {
    Case { id, args, code, words: words.to_vec(), absent: Vec::new() }
}

impl Case {
    fn without(mut self, words: &[&'static str]) -> Case {
        self.absent = words.to_vec();
        self
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

fn reconcile(sample: &Sample, extra: &[&str]) -> Vec<String> {
    let mut args =
        strings(&["reconcile", &sample.ledger(), &sample.statement(), "--schedule", "sft-traditional", "--merchant-no", MERCHANT]);
    args.extend(strings(extra));
    args
}

fn deposits(sample: &common::DepositSample, bank: &str, extra: &[&str]) -> Vec<String> {
    let mut args = strings(&["deposits", &sample.statement, bank]);
    args.extend(strings(extra));
    args
}

fn catalogue(sample: &Sample, deposit_sample: &common::DepositSample) -> Vec<Case> {
    let missing = sample.path("nope.csv");
    let bad_toml = sample.write("bad.toml", "name = 1\n");
    let broken_toml = sample.write("broken.toml", "[[[\n");
    let bad_holidays = sample.write("h.toml", "[[years]]\nyear = 'x'\n");
    let bad_json_holidays = sample.write("2027.json", "{\"year\": 2027, \"days\": []}");
    let trades_no_amount = sample.write("no-amount.csv", "channel,time\ndebit,2026-05-06\n");
    let trades_bad_row = sample.write("bad-row.csv", "amount,channel,time\n100,debit,2026-05-06 10:00\n12.345,debit,2026-05-06 11:00\n");
    let trades_qr = sample.write("qr.csv", "amount,channel,time\n100,debit,2026-05-06 10:00\n20,wechat,2026-05-06 11:00\n");
    let trades_bad_class =
        sample.write("class.csv", "amount,channel,time,merchant_class\n100,debit,2026-05-06 10:00,\n100,debit,2026-05-06 11:00,hotel\n");
    let empty_statement = sample.write("empty.csv", "");
    let bad_profile = sample.write("mine.toml", "name = \"mine\"\n");
    let unknown_bank = deposit_sample.write("unknown-bank.csv", "a,b\n1,2\n");
    let bad_bank =
        deposit_sample.write("bad-bank.csv", "记账日期,货币,交易金额,联机余额,交易摘要,对手信息,客户摘要\n2026-11-02,CNY,12.3.4,0,,,\n");
    vec![
        case("no-command", &[], "usage", &["subcommand"]),
        case("unknown-command", &["bogus"], "usage", &["bogus"]),
        case("compare-without-trades", &["compare"], "usage", &["<TRADES>"]),
        owned("compare-without-schedule", strings(&["compare", &trades_qr]), "usage", &["--schedule"]),
        owned("compare-missing-file", strings(&["compare", &missing, "--schedule", "sft-smart"]), "io", &["nope.csv"]),
        owned(
            "compare-unknown-preset",
            strings(&["compare", &trades_qr, "--schedule", "sft-smart", "--schedule", "nope"]),
            "unknown_preset",
            &["nope"],
        ),
        owned("compare-unknown-mode", strings(&["compare", &trades_qr, "--schedule", "sft-smart@X9"]), "unknown_preset", &["sft-smart@X9"]),
        owned(
            "compare-bad-row",
            strings(&["compare", &trades_bad_row, "--schedule", "sft-smart"]),
            "invalid_amount",
            &["12.345", "bad-row.csv", "line 3", "amount"],
        ),
        owned(
            "compare-row-an-offer-cannot-price",
            strings(&["compare", &trades_qr, "--schedule", "sft-smart", "--schedule", "sft-esign"]),
            "no_matching_rule",
            &["sft-esign", "qr.csv", "line 3", "wechat"],
        )
        .without(&["row 1"]),
        owned(
            "compare-too-many-offers",
            {
                let mut args = strings(&["compare", &trades_qr]);
                for _ in 0..17 {
                    args.extend(strings(&["--schedule", "sft-smart"]));
                }
                args
            },
            "invalid_request",
            &["17 offers"],
        ),
        owned(
            "quote-file-unknown-class",
            strings(&["quote", "--file", &trades_bad_class, "--schedule", "standard"]),
            "invalid_request",
            &["hotel", "class.csv", "line 3", "merchant_class"],
        )
        .without(&["row 1"]),
        case("quote-without-channel", &["quote", "100"], "usage", &["<CHANNEL>", "posfee quote --help"]),
        case("quote-unknown-flag", &["quote", "100", "debit", "--fast"], "usage", &["--fast", "posfee quote --help"]),
        case("quote-sub-fen", &["quote", "1.001", "debit", "--at", "2026-05-06"], "invalid_amount", &["1.001", "amount"]),
        case("quote-float-text", &["quote", "1e400", "debit", "--at", "2026-05-06"], "invalid_amount", &["1e400"]),
        case("quote-negative", &["quote", "--at", "2026-05-06", "--", "-5", "debit"], "invalid_amount", &["-5"]),
        case("quote-channel", &["quote", "1", "visa", "--at", "2026-05-06"], "invalid_channel", &["visa"]),
        case("quote-settlement", &["quote", "1", "debit", "--at", "2026-05-06", "--settlement", "X1"], "invalid_settlement", &["X1"]),
        case("quote-at", &["quote", "1", "debit", "--at", "yesterday"], "invalid_date", &["yesterday"]),
        case(
            "quote-card-type",
            &["quote", "2000", "unionpay_qr", "--at", "2026-05-06", "--card-type", "gold"],
            "invalid_channel",
            &["gold"],
        ),
        case(
            "quote-merchant-class",
            &["quote", "5000", "debit", "--at", "2026-05-06", "--merchant-class", "Discounted"],
            "invalid_request",
            &["Discounted", "discounted"],
        ),
        case("quote-unknown-preset", &["quote", "1", "debit", "--schedule", "nope"], "unknown_preset", &["nope"]),
        owned(
            "quote-schedule-missing-path",
            strings(&["quote", "1", "debit", "--schedule", &sample.path("contract.toml")]),
            "io",
            &["contract.toml"],
        )
        .without(&["preset"]),
        case(
            "quote-schedule-missing-relative",
            &["quote", "1", "debit", "--schedule", "contracts/sft.toml"],
            "io",
            &["contracts/sft.toml"],
        )
        .without(&["preset"]),
        owned("quote-schedule-bad-file", strings(&["quote", "1", "debit", "--schedule", &bad_toml]), "invalid_schedule", &["bad.toml"]),
        owned("quote-schedule-not-toml", strings(&["quote", "1", "debit", "--schedule", &broken_toml]), "invalid_schedule", &[]),
        case(
            "quote-year-without-data",
            &["quote", "1", "credit", "--at", "2031-03-03 10:00"],
            "calendar_out_of_range",
            &["2031", "--holidays FILE", "--provisional"],
        )
        .without(&["with_years_from_file", "provisional=True"]),
        owned(
            "quote-holidays-missing",
            strings(&["quote", "1", "credit", "--at", "2026-05-06", "--holidays", &sample.path("2027.toml")]),
            "io",
            &["2027.toml"],
        ),
        case("quote-refund-without-time", &["quote", "100", "credit", "--at", "2026-05-06", "--refund", "50"], "usage", &["--refund-at"]),
        case(
            "quote-void-and-refund",
            &["quote", "100", "credit", "--void", "--refund", "5", "--refund-at", "2026-05-07"],
            "usage",
            &["--void"],
        ),
        case(
            "quote-refund-amount",
            &["quote", "100", "credit", "--at", "2026-05-06", "--refund", "5.555", "--refund-at", "2026-05-07"],
            "invalid_amount",
            &["5.555"],
        ),
        owned("quote-file-missing", strings(&["quote", "--file", &missing]), "io", &["nope.csv"]),
        owned("quote-file-and-amount", strings(&["quote", "100", "--file", &missing]), "usage", &["--file"]),
        owned(
            "quote-file-no-amount-column",
            strings(&["quote", "--file", &trades_no_amount]),
            "invalid_record",
            &["amount", "no-amount.csv", "line 1"],
        ),
        owned(
            "quote-file-bad-row",
            strings(&["quote", "--file", &trades_bad_row]),
            "invalid_amount",
            &["12.345", "bad-row.csv", "line 3", "amount"],
        ),
        owned(
            "quote-file-out-parquet",
            strings(&["quote", "--file", &trades_bad_row, "--out", &sample.path("priced.parquet")]),
            "invalid_request",
            &[".parquet"],
        ),
        case("quote-out-without-file", &["quote", "1", "debit", "--out", "x.csv"], "usage", &["--file"]),
        case("calendar-not-a-year", &["calendar", "next"], "invalid_date", &["next"]),
        case("calendar-huge-year", &["calendar", "99999999999999999999"], "calendar_out_of_range", &["99999999999999999999"]),
        case("calendar-year-without-data", &["calendar", "2031"], "calendar_out_of_range", &["2031", "--holidays"]),
        case("calendar-date-without-data", &["calendar", "2031-05-01"], "calendar_out_of_range", &["2031-05-01", "--provisional"]),
        case("calendar-range-backwards", &["calendar", "2026-12-31", "2026-01-01"], "invalid_date", &["2026-01-01", "before"]),
        case("calendar-range-too-long", &["calendar", "1900-01-01", "2026-01-01", "--provisional"], "invalid_date", &["hundred years"]),
        case("calendar-range-outside-data", &["calendar", "2026-12-30", "2027-01-02"], "calendar_out_of_range", &["2027-01-01"]),
        owned("calendar-holidays-bad", strings(&["calendar", "2026", "--holidays", &bad_holidays]), "invalid_calendar", &["h.toml"]),
        owned(
            "calendar-holidays-placeholder-json",
            strings(&["calendar", "2027", "--holidays", &bad_json_holidays]),
            "invalid_calendar",
            &["2027.json"],
        ),
        case("presets-extra-argument", &["presets", "all"], "usage", &["all"]),
        case("formats-unknown-flag", &["formats", "--all"], "usage", &["--all"]),
        owned("read-missing-file", strings(&["read", &missing, "--out", &sample.path("c.csv")]), "io", &["nope.csv"]),
        owned("read-without-out", strings(&["read", &sample.statement()]), "usage", &["--out"]),
        owned(
            "read-unknown-format",
            strings(&["read", &sample.statement(), "--format", "ledger", "--out", &sample.path("c.csv")]),
            "invalid_request",
            &["ledger"],
        ),
        owned("read-empty-file", strings(&["read", &empty_statement, "--out", &sample.path("c.csv")]), "invalid_record", &["empty.csv"]),
        owned(
            "read-bad-profile",
            strings(&["read", &sample.statement(), "--format", &bad_profile, "--out", &sample.path("c.csv")]),
            "invalid_record",
            &["mine.toml"],
        ),
        owned(
            "read-bad-line",
            strings(&[
                "read",
                &common::formats_dir().join("bad.csv").display().to_string(),
                "--format",
                "bank",
                "--out",
                &sample.path("c.csv"),
            ]),
            "invalid_date",
            &["bad.csv", "line 3"],
        ),
        owned(
            "read-parquet-not-parquet",
            strings(&["read", &sample.write("not.parquet", "清算日期,交易金额\n"), "--out", &sample.path("c.csv")]),
            "invalid_record",
            &["not.parquet", "Parquet"],
        ),
        owned(
            "read-out-feather-folder-missing",
            strings(&["read", &sample.statement(), "--out", &sample.path("no/such/c.feather")]),
            "io",
            &["c.feather", "does not exist"],
        ),
        owned(
            "read-on-invalid-bogus",
            strings(&["read", &sample.statement(), "--out", "-", "--on-invalid", "skip"]),
            "usage",
            &["skip", "raise", "report"],
        ),
        owned(
            "reconcile-ledger-missing",
            strings(&["reconcile", &missing, &sample.statement(), "--schedule", "sft-traditional", "--merchant-no", MERCHANT]),
            "io",
            &["nope.csv"],
        ),
        owned(
            "reconcile-statement-missing",
            strings(&["reconcile", &sample.ledger(), &missing, "--schedule", "sft-traditional", "--merchant-no", MERCHANT]),
            "io",
            &["nope.csv"],
        ),
        owned(
            "reconcile-ledger-parquet",
            strings(&[
                "reconcile",
                &sample.write("l.parquet", "trade_id,time,amount,channel\n"),
                &sample.statement(),
                "--schedule",
                "sft-traditional",
                "--merchant-no",
                MERCHANT,
            ]),
            "invalid_record",
            &["l.parquet", "Parquet"],
        ),
        owned(
            "reconcile-out-missing-folder",
            reconcile(sample, &["--out", &sample.path("no/such/report.csv")]),
            "io",
            &["report.csv", "does not exist"],
        ),
        owned("reconcile-out-is-a-folder", reconcile(sample, &["--out", &sample.dir.path().display().to_string()]), "io", &["folder"]),
        owned("reconcile-format-ledger", reconcile(sample, &["--format", "ledger"]), "invalid_request", &["ledger"]),
        owned(
            "reconcile-without-merchant",
            strings(&["reconcile", &sample.ledger(), &sample.statement(), "--schedule", "sft-traditional"]),
            "usage",
            &["--merchant-no"],
        ),
        owned(
            "reconcile-without-schedule",
            strings(&["reconcile", &sample.ledger(), &sample.statement(), "--merchant-no", MERCHANT]),
            "usage",
            &["--schedule"],
        ),
        owned("reconcile-on-invalid-bogus", reconcile(sample, &["--on-invalid", "bogus"]), "usage", &["bogus", "raise", "report"]),
        owned("reconcile-window-word", reconcile(sample, &["--window", "long"]), "usage", &["long"]),
        owned(
            "reconcile-window-huge",
            reconcile(sample, &["--window", "1000000000000000000000000000000"]),
            "invalid_request",
            &["1000000000000000000000000000000"],
        ),
        owned("reconcile-window-negative", reconcile(sample, &["--window", "-5"]), "invalid_request", &["-5"]),
        owned("reconcile-window-eight-days", reconcile(sample, &["--window", "691200"]), "invalid_request", &["691200", "604800"]),
        owned("reconcile-settlement", reconcile(sample, &["--settlement", "X1"]), "invalid_settlement", &["X1"]),
        owned("reconcile-merchant-class", reconcile(sample, &["--merchant-class", " discounted"]), "invalid_request", &["discounted"]),
        owned(
            "reconcile-merchant-number",
            strings(&["reconcile", &sample.ledger(), &sample.statement(), "--schedule", "sft-traditional", "--merchant-no", "123"]),
            "invalid_record",
            &["123"],
        ),
        owned(
            "reconcile-bad-ledger-line",
            strings(&["reconcile", &sample.bad_ledger(), &sample.statement(), "--schedule", "sft-traditional", "--merchant-no", MERCHANT]),
            "invalid_amount",
            &["2.505", "bad-ledger.csv", "line 3"],
        ),
        owned(
            "reconcile-schedule-missing-path",
            strings(&["reconcile", &sample.ledger(), &sample.statement(), "--schedule", "./contract.toml", "--merchant-no", MERCHANT]),
            "io",
            &["contract.toml"],
        )
        .without(&["preset"]),
        owned("reconcile-holidays-missing", reconcile(sample, &["--holidays", &sample.path("2028.json")]), "io", &["2028.json"]),
        owned("deposits-bank-missing", deposits(deposit_sample, &missing, &[]), "io", &["nope.csv"]),
        owned(
            "deposits-bank-format-unknown",
            deposits(deposit_sample, &deposit_sample.bank, &["--bank-format", "hsbc"]),
            "invalid_request",
            &["hsbc", "icbc-debit"],
        ),
        owned(
            "deposits-bank-profile-missing",
            deposits(deposit_sample, &deposit_sample.bank, &["--bank-format", "mine-bank.toml"]),
            "io",
            &["mine-bank.toml"],
        ),
        owned(
            "deposits-bank-fits-no-format",
            deposits(deposit_sample, &unknown_bank, &[]),
            "invalid_record",
            &["closest", "unknown-bank.csv"],
        ),
        owned("deposits-bad-bank-line", deposits(deposit_sample, &bad_bank, &[]), "invalid_amount", &["bad-bank.csv", "line 2", "amount"]),
        owned(
            "deposits-delay-too-long",
            deposits(deposit_sample, &deposit_sample.bank, &["--delay", "21"]),
            "invalid_request",
            &["21", "delay_max_business_days"],
        ),
        owned(
            "deposits-on-time-beyond-delay",
            deposits(deposit_sample, &deposit_sample.bank, &["--on-time", "3"]),
            "invalid_request",
            &["on_time_business_days"],
        ),
        owned(
            "deposits-as-of-not-a-date",
            deposits(deposit_sample, &deposit_sample.bank, &["--as-of", "2026-13-01"]),
            "invalid_date",
            &["2026-13-01", "as_of"],
        ),
        owned(
            "deposits-short-max-not-money",
            deposits(deposit_sample, &deposit_sample.bank, &["--short-max", "lots"]),
            "invalid_amount",
            &["lots"],
        ),
        owned(
            "deposits-period-backwards",
            deposits(deposit_sample, &deposit_sample.bank, &["--from", "2026-12-01", "--as-of", "2026-11-01"]),
            "invalid_request",
            &["2026-12-01"],
        ),
        owned(
            "deposits-lang-unknown",
            deposits(deposit_sample, &deposit_sample.bank, &["--lang", "fr"]),
            "invalid_request",
            &["fr", "zh, en"],
        ),
        case("demo-zero-trades", &["demo", "--trades", "0", "--no-report"], "invalid_request", &["trades"]),
        case("demo-trades-word", &["demo", "--trades", "many"], "usage", &["many"]),
    ]
}

#[test]
fn every_bad_command_line_is_one_error_line_with_its_code() {
    let sample = Sample::new(60);
    let deposit_sample = common::DepositSample::new(1);
    let cases = catalogue(&sample, &deposit_sample);
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut ids: Vec<&str> = cases.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), cases.len(), "case ids are unique");
    let mut failures = Vec::new();
    for case in &cases {
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let outcome = posfee(&args);
        let lines: Vec<&str> = outcome.stderr.lines().collect();
        let prefix = format!("posfee: error [{}]: ", case.code);
        let line = lines.first().copied().unwrap_or_default();
        let ok = outcome.status == 2
            && lines.len() == 1
            && outcome.stderr.ends_with('\n')
            && line.starts_with(&prefix)
            && line.len() > prefix.len()
            && outcome.stdout.is_empty()
            && case.words.iter().all(|word| line.contains(word))
            && case.absent.iter().all(|word| !line.contains(word));
        if !ok {
            failures.push(format!("{}: status {}, stdout {:?}, stderr {:?}", case.id, outcome.status, outcome.stdout, outcome.stderr));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn the_process_exits_with_2_and_one_line() {
    let dir = tempfile::tempdir().unwrap();
    for (args, code) in [
        (vec!["calendar", "99999999999999999999"], "calendar_out_of_range"),
        (
            vec!["reconcile", "missing-ledger.csv", "missing-statement.csv", "--schedule", "sft-traditional", "--merchant-no", MERCHANT],
            "io",
        ),
        (vec!["quote", "1", "visa"], "invalid_channel"),
        (vec![], "usage"),
    ] {
        let outcome = common::binary(&args, dir.path());
        assert_eq!(outcome.status, 2, "{args:?}: {outcome:?}");
        assert_eq!(outcome.stderr.lines().count(), 1, "{outcome:?}");
        assert!(outcome.stderr.starts_with(&format!("posfee: error [{code}]: ")), "{outcome:?}");
    }
}

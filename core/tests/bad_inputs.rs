//! The bad-input catalogue of the Rust surface: one row per input, with the error code it
//! must give and where it must say the value was (line, column, field). Every row runs; a
//! row that panics, passes, or names another code or place fails the test with its name.
//!
//! Rows cover the defects of issue 10 (nesting, unknown keys and classes, CRLF lines,
//! unterminated quotes, year-end dates, match windows) and the kinds that already worked.

use posfee::reconcile::{
    read_alipay_csv, read_bank_csv, read_ledger_csv, read_wechat_bill, reconcile, ColumnMap, Ledger, MerchantProfile, ReconcileOptions,
    Statement, MATCH_WINDOW_SECONDS_MAX,
};
use posfee::{
    compare, parse_china_time, parse_date, Calendar, CardType, Channel, Column, CostModel, Error, Money, Offer, OnInvalid, QuoteRequest,
    Rate, Schedule, SettlementMode, TableOptions, TradeTable, CONFIG_BYTES_MAX,
};

/// Where the error must point: any part left `None` is not checked.
#[derive(Default, Clone, Copy)]
struct At {
    line: Option<u64>,
    column: Option<u64>,
    field: Option<&'static str>,
}

fn line(line: u64) -> At {
    At { line: Some(line), ..At::default() }
}
fn line_column(line: u64, column: u64) -> At {
    At { line: Some(line), column: Some(column), ..At::default() }
}
fn field(field: &'static str) -> At {
    At { field: Some(field), ..At::default() }
}
fn nowhere() -> At {
    At::default()
}

type Case = (&'static str, Box<dyn Fn() -> Result<(), Error>>, &'static str, At);

fn case(name: &'static str, run: impl Fn() -> Result<(), Error> + 'static, code: &'static str, at: At) -> Case {
    (name, Box::new(run), code, at)
}

const MINIMAL_SCHEDULE: &str = "name = \"x\"\n[rounding]\nmode = \"half_up\"\nscale = 2\n[[versions]]\neffective_from = \"2026-01-01\"\n[[versions.rules]]\nid = \"all\"\nchannels = [\"credit\"]\nrate = \"0.6%\"\n";

fn schedule(extra_rule_lines: &str) -> Result<(), Error> {
    Schedule::from_toml(&format!("{MINIMAL_SCHEDULE}{extra_rule_lines}")).map(drop)
}

fn nested(depth: usize) -> String {
    format!("a = {}{}", "[".repeat(depth), "]".repeat(depth))
}

fn quote(preset: &str, amount: &str, channel: Channel, at: &str, class: Option<&str>) -> Result<(), Error> {
    let mut request = QuoteRequest::new(Money::parse_amount(amount)?, channel, parse_china_time(at)?).settlement(SettlementMode::T(1));
    if let Some(class) = class {
        request = request.merchant_class(class);
    }
    Schedule::preset(preset)?.quote(&request).map(drop)
}

/// The first unreadable line of a ledger file, as an error (the readers keep bad lines as
/// issues; the catalogue checks the issue's error).
fn first_ledger_issue(text: &str) -> Result<(), Error> {
    let ledger = read_ledger_csv(text.as_bytes(), "ledger.csv")?;
    match ledger.issues().first() {
        Some(issue) => Err(issue.error.clone()),
        None => Ok(()),
    }
}

fn first_bank_issue(text: &str) -> Result<(), Error> {
    let statement = read_bank_csv(text.as_bytes(), "bank.csv", &ColumnMap::default())?;
    match statement.issues().first() {
        Some(issue) => Err(issue.error.clone()),
        None => Ok(()),
    }
}

const LEDGER_HEADER: &str = "trade_id,rrn,terminal,time,amount,channel";
const BANK_HEADER: &str = "清算日期,商户号,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别";

fn reconcile_with(options: ReconcileOptions) -> Result<(), Error> {
    reconcile(&Ledger::new("l"), &Statement::new("s"), &options).map(drop)
}

fn options() -> ReconcileOptions {
    ReconcileOptions::new(Schedule::preset("standard").unwrap(), MerchantProfile::new("102310058120001", "shop").unwrap())
}

fn catalogue() -> Vec<Case> {
    vec![
        // Amounts, rates, channels, settlement modes, dates.
        case("amount with three decimals", || Money::parse_amount("12.345").map(drop), "invalid_amount", nowhere()),
        case("negative trade amount", || Money::parse_amount("-1").map(drop), "invalid_amount", nowhere()),
        case("amount that is a word", || Money::parse_amount("abc").map(drop), "invalid_amount", nowhere()),
        case("empty amount", || Money::parse_amount("").map(drop), "invalid_amount", nowhere()),
        case("amount in exponent form", || Money::parse_amount("1e30").map(drop), "invalid_amount", nowhere()),
        case("amount beyond the limit", || Money::parse_amount("99999999999999").map(drop), "invalid_amount", nowhere()),
        case("amount NaN", || Money::parse_amount("NaN").map(drop), "invalid_amount", nowhere()),
        case("fee with six decimals", || Money::parse("0.000001").map(drop), "invalid_amount", nowhere()),
        case("negative rate", || Rate::parse("-0.6%").map(drop), "invalid_rate", nowhere()),
        case("rate that is a word", || Rate::parse("six").map(drop), "invalid_rate", nowhere()),
        case("unknown channel", || Channel::parse("visa").map(drop), "invalid_channel", nowhere()),
        case("empty channel", || Channel::parse("").map(drop), "invalid_channel", nowhere()),
        case("unknown card type", || CardType::parse("amex").map(drop), "invalid_channel", nowhere()),
        case("settlement T-1", || SettlementMode::parse("T-1").map(drop), "invalid_settlement", nowhere()),
        case("empty settlement", || SettlementMode::parse("").map(drop), "invalid_settlement", nowhere()),
        case("settlement X9", || SettlementMode::parse("X9").map(drop), "invalid_settlement", nowhere()),
        case("February 30", || parse_date("2026-02-30").map(drop), "invalid_date", nowhere()),
        case("month 13", || parse_date("20261301").map(drop), "invalid_date", nowhere()),
        case("a word as a date", || parse_date("yesterday").map(drop), "invalid_date", nowhere()),
        case("time 25:00", || parse_china_time("2026-05-06 25:00").map(drop), "invalid_date", nowhere()),
        // Schedules (issue 10, items 1 and 6).
        case("schedule nested 30,000 levels", || Schedule::from_toml(&nested(30_000)).map(drop), "invalid_schedule", line_column(1, 37)),
        case("schedule nested 3,000 levels", || Schedule::from_toml(&nested(3_000)).map(drop), "invalid_schedule", line(1)),
        case(
            "schedule JSON nested 7,000 levels",
            || Schedule::from_json(&format!("{}{}", "[".repeat(7_000), "]".repeat(7_000))).map(drop),
            "invalid_schedule",
            line_column(1, 33),
        ),
        case(
            "schedule larger than the limit",
            || Schedule::from_toml(&format!("name = \"{}\"", "x".repeat(CONFIG_BYTES_MAX))).map(drop),
            "invalid_schedule",
            nowhere(),
        ),
        case(
            "cutoff written under [rounding]",
            || Schedule::from_toml(&MINIMAL_SCHEDULE.replace("scale = 2\n", "scale = 2\ncutoff = \"22:00\"\n")).map(drop),
            "invalid_schedule",
            At { line: Some(5), column: Some(1), field: Some("cutoff") },
        ),
        case(
            "unknown top-level key",
            || Schedule::from_toml(&format!("bogus = 1\n{MINIMAL_SCHEDULE}")).map(drop),
            "invalid_schedule",
            line(1),
        ),
        case("unknown key in a rule", || schedule("colour = \"red\"\n"), "invalid_schedule", At { line: Some(11), ..field("colour") }),
        case(
            "unknown rounding mode",
            || Schedule::from_toml(&MINIMAL_SCHEDULE.replace("half_up", "bankers")).map(drop),
            "invalid_schedule",
            nowhere(),
        ),
        case(
            "rounding scale 6",
            || Schedule::from_toml(&MINIMAL_SCHEDULE.replace("scale = 2", "scale = 6")).map(drop),
            "invalid_schedule",
            nowhere(),
        ),
        case("cap below floor", || schedule("cap = \"1\"\nfloor = \"2\"\n"), "invalid_schedule", nowhere()),
        case(
            "bad rate in a rule",
            || Schedule::from_toml(&MINIMAL_SCHEDULE.replace("0.6%", "0.6 percent")).map(drop),
            "invalid_schedule",
            nowhere(),
        ),
        case(
            "unknown channel in a rule",
            || Schedule::from_toml(&MINIMAL_SCHEDULE.replace("\"credit\"]", "\"visa\"]")).map(drop),
            "invalid_schedule",
            nowhere(),
        ),
        case("empty merchant class", || schedule("merchant_class = \" \"\n"), "invalid_schedule", nowhere()),
        case(
            "two rules that tie",
            || schedule("[[versions.rules]]\nid = \"again\"\nchannels = [\"credit\"]\nrate = \"0.7%\"\n"),
            "invalid_schedule",
            nowhere(),
        ),
        case(
            "no versions",
            || Schedule::from_toml("name = \"x\"\nversions = []\n[rounding]\nmode = \"up\"\nscale = 2\n").map(drop),
            "invalid_schedule",
            nowhere(),
        ),
        case("schedule TOML syntax error", || Schedule::from_toml("name = \n").map(drop), "invalid_schedule", line_column(1, 8)),
        case(
            "schedule JSON syntax error",
            || Schedule::from_json("{\n  \"name\": \"x\",\n  oops\n}").map(drop),
            "invalid_schedule",
            line(3),
        ),
        case(
            "a negative year in effective_from (found by fuzzing: it did not print back)",
            || Schedule::from_toml(&MINIMAL_SCHEDULE.replace("\"2026-01-01\"", "\"-2016-09-06\"")).map(drop),
            "invalid_schedule",
            field("effective_from"),
        ),
        case("a five-digit year", || parse_date("12026-01-01").map(drop), "invalid_date", nowhere()),
        case("missing schedule file", || Schedule::from_file("no/such/schedule.toml").map(drop), "io", nowhere()),
        case("unknown preset", || Schedule::preset("sft-tradtional").map(drop), "unknown_preset", nowhere()),
        case("cost model nested deep", || CostModel::from_toml(&nested(5_000)).map(drop), "invalid_schedule", line(1)),
        case(
            "cost model with an unknown key",
            || CostModel::from_toml("name = \"x\"\nextra = 1\n").map(drop),
            "invalid_schedule",
            nowhere(),
        ),
        // Quotes (items 4 and 6).
        case(
            "merchant class capitalised",
            || quote("standard", "5000", Channel::Debit, "2026-05-06 10:00", Some("Discounted")),
            "invalid_request",
            field("merchant_class"),
        ),
        case(
            "merchant class with a leading space",
            || quote("standard", "5000", Channel::Debit, "2026-05-06 10:00", Some(" discounted")),
            "invalid_request",
            field("merchant_class"),
        ),
        case(
            "merchant class with a typo",
            || quote("standard", "5000", Channel::Debit, "2026-05-06 10:00", Some("discountd")),
            "invalid_request",
            field("merchant_class"),
        ),
        case(
            "merchant class the preset has none of",
            || quote("sft-traditional", "100", Channel::Credit, "2026-05-06 10:00", Some("waived")),
            "invalid_request",
            field("merchant_class"),
        ),
        case(
            "T+1 from the last day of the data",
            || quote("standard", "100", Channel::Debit, "2026-12-31 10:00", None),
            "calendar_out_of_range",
            nowhere(),
        ),
        case(
            "trade before the first version",
            || quote("standard", "100", Channel::Credit, "2010-01-01 10:00", None),
            "no_schedule_version",
            nowhere(),
        ),
        case(
            "refund larger than the purchase",
            || {
                let purchase = QuoteRequest::new(Money::from_yuan(10), Channel::Credit, parse_china_time("2026-05-06 10:00")?);
                Schedule::preset("standard")?.quote_refund(&purchase, Money::from_yuan(11), parse_china_time("2026-05-07 10:00")?).map(drop)
            },
            "invalid_request",
            nowhere(),
        ),
        case(
            "card type contradicting the channel",
            || {
                let request = QuoteRequest::new(Money::from_yuan(10), Channel::Credit, parse_china_time("2026-05-06 10:00")?)
                    .card_type(CardType::Debit);
                Schedule::preset("standard")?.quote(&request).map(drop)
            },
            "invalid_request",
            nowhere(),
        ),
        // Calendars and holiday files.
        case("calendar nested deep", || Calendar::from_toml(&nested(10_000)).map(drop), "invalid_calendar", line(1)),
        case(
            "calendar years not contiguous",
            || Calendar::from_toml("[[years]]\nyear = 2030\nnotice = \"x\"\n[[years]]\nyear = 2032\nnotice = \"y\"\n").map(drop),
            "invalid_calendar",
            nowhere(),
        ),
        case(
            "make-up day on a weekday",
            || {
                Calendar::china()
                    .with_years_from_toml("[[years]]\nyear = 2027\nnotice = \"n\"\n[[years.holidays]]\nname_zh = \"元旦\"\nname_en = \"New Year's Day\"\nfirst = 2027-01-01\nlast = 2027-01-01\nmakeup_workdays = [2027-01-04]\n")
                    .map(drop)
            },
            "invalid_calendar",
            nowhere(),
        ),
        case("calendar TOML syntax error", || Calendar::from_toml("[[years]]\nyear = \n").map(drop), "invalid_calendar", line(2)),
        case(
            "holiday-cn placeholder year",
            || Calendar::china().with_years_from_json("{\"year\": 2027, \"papers\": [], \"days\": []}").map(drop),
            "invalid_calendar",
            nowhere(),
        ),
        case(
            "holiday-cn bad date",
            || {
                Calendar::china().with_years_from_json("{\"year\": 2027, \"papers\": [\"p\"], \"days\": [{\"name\": \"元旦\", \"date\": \"2027-13-01\", \"isOffDay\": true}]}").map(drop)
            },
            "invalid_calendar",
            nowhere(),
        ),
        case(
            "holiday-cn date listed twice",
            || {
                let day = "{\"name\": \"元旦\", \"date\": \"2027-01-01\", \"isOffDay\": true}";
                Calendar::china()
                    .with_years_from_json(&format!("{{\"year\": 2027, \"papers\": [\"p\"], \"days\": [{day}, {day}]}}"))
                    .map(drop)
            },
            "invalid_calendar",
            nowhere(),
        ),
        case(
            "holiday-cn JSON syntax error",
            || Calendar::china().with_years_from_json("{\"year\": 2027,\n \"days\": [}").map(drop),
            "invalid_calendar",
            line(2),
        ),
        case(
            "holiday-cn nested deep",
            || Calendar::china().with_years_from_json(&"[".repeat(50_000)).map(drop),
            "invalid_calendar",
            line(1),
        ),
        case("holiday file missing", || Calendar::china().with_years_from_file("no/such/2027.json").map(drop), "io", nowhere()),
        case(
            "business day outside the data",
            || Calendar::china().is_business_day(chrono::NaiveDate::from_ymd_opt(2030, 1, 2).unwrap()).map(drop),
            "calendar_out_of_range",
            nowhere(),
        ),
        case(
            "adding a huge number of business days",
            || Calendar::china().add_business_days(chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(), i64::MAX).map(drop),
            "overflow",
            field("n"),
        ),
        case("holidays of a year without data", || Calendar::china().holidays(i32::MAX).map(drop), "calendar_out_of_range", nowhere()),
        // Files (items 2, 3 and 13).
        case("empty ledger file", || read_ledger_csv(b"", "ledger.csv").map(drop), "invalid_record", line(1)),
        case(
            "ledger without an amount column",
            || read_ledger_csv(b"trade_id,time,channel\n", "ledger.csv").map(drop),
            "invalid_record",
            At { line: Some(1), field: Some("amount"), ..At::default() },
        ),
        case(
            "ledger header naming amount twice",
            || read_ledger_csv(format!("{LEDGER_HEADER},amount\n").as_bytes(), "ledger.csv").map(drop),
            "invalid_record",
            At { line: Some(1), column: Some(7), field: Some("amount") },
        ),
        case(
            "bad amount on a CRLF file",
            || {
                first_ledger_issue(&format!(
                    "{LEDGER_HEADER}\r\nA1,1,T1,2026-05-06 10:00:00,1.00,credit\r\nA2,2,T1,2026-05-06 10:00:00,x,credit\r\n"
                ))
            },
            "invalid_amount",
            At { line: Some(3), column: Some(5), field: Some("amount") },
        ),
        case(
            "bad amount after a blank line",
            || {
                first_ledger_issue(&format!(
                    "{LEDGER_HEADER}\nA1,1,T1,2026-05-06 10:00:00,1.00,credit\n\nA2,2,T1,2026-05-06 10:00:00,x,credit\n"
                ))
            },
            "invalid_amount",
            line(4),
        ),
        case(
            "bad amount on a mixed LF/CRLF file",
            || {
                first_ledger_issue(&format!("{LEDGER_HEADER}\nA1,1,T1,2026-05-06 10:00:00,1.00,credit\r\nA2,2,T1,2026-05-06 10:00:00,2.00,credit\nA3,3,T1,2026-05-06 10:00:00,x,credit\r\n"))
            },
            "invalid_amount",
            line(4),
        ),
        case(
            "unterminated quote",
            || {
                first_ledger_issue(&format!("{LEDGER_HEADER}\nA1,1,T1,2026-05-06 10:00:00,1.00,credit\nA2,\"2,T1,2026-05-06 10:00:00,2.00,credit\nA3,3,T1,2026-05-06 10:00:00,3.00,credit\n"))
            },
            "invalid_record",
            line_column(3, 4),
        ),
        case(
            "short row",
            || first_ledger_issue(&format!("{LEDGER_HEADER}\nA1,1,T1\n")),
            "invalid_record",
            At { line: Some(2), column: Some(4), field: Some("time") },
        ),
        case(
            "bad time in the ledger",
            || first_ledger_issue(&format!("{LEDGER_HEADER}\nA1,1,T1,2026-05-06 25:00:00,1.00,credit\n")),
            "invalid_date",
            At { line: Some(2), ..field("time") },
        ),
        case(
            "bad channel in the ledger",
            || first_ledger_issue(&format!("{LEDGER_HEADER}\nA1,1,T1,2026-05-06 10:00:00,1.00,visa\n")),
            "invalid_channel",
            At { line: Some(2), ..field("channel") },
        ),
        case(
            "bank file without a header",
            || read_bank_csv("a,b,c\n1,2,3\n".as_bytes(), "bank.csv", &ColumnMap::default()).map(drop),
            "invalid_record",
            line(1),
        ),
        case(
            "bank amount with letters",
            || {
                first_bank_issue(&format!(
                    "{BANK_HEADER}\n20260507,102310058120001,T0000001,20260506,103000,12a,0.06,11.94,612610000001,贷记卡\n"
                ))
            },
            "invalid_amount",
            At { line: Some(2), column: Some(6), field: Some("amount") },
        ),
        case(
            "bank card type unknown",
            || {
                first_bank_issue(&format!(
                    "{BANK_HEADER}\r\n\r\n20260507,102310058120001,T0000001,20260506,103000,12.00,0.06,11.94,612610000001,外卡\r\n"
                ))
            },
            "invalid_channel",
            At { line: Some(3), column: Some(10), field: Some("card_type") },
        ),
        case(
            "WeChat bill without its columns",
            || read_wechat_bill("交易时间,设备号\n".as_bytes(), "wechat.csv").map(drop),
            "invalid_record",
            line(1),
        ),
        case(
            "Alipay file without its columns",
            || read_alipay_csv("#支付宝\n商户订单号\n".as_bytes(), "alipay.csv").map(drop),
            "invalid_record",
            nowhere(),
        ),
        // Reconciliation options (item 12 and 6).
        case(
            "match window of 10^12 seconds",
            || reconcile_with(options().match_window_seconds(1_000_000_000_000)),
            "invalid_request",
            field("match_window_seconds"),
        ),
        case(
            "match window one past the limit",
            || reconcile_with(options().match_window_seconds(MATCH_WINDOW_SECONDS_MAX + 1)),
            "invalid_request",
            field("match_window_seconds"),
        ),
        case(
            "negative match window",
            || reconcile_with(options().match_window_seconds(-1)),
            "invalid_request",
            field("match_window_seconds"),
        ),
        case(
            "profile with an unknown merchant class",
            || {
                let mut options = options();
                options.profile = options.profile.merchant_class("Discounted");
                reconcile_with(options)
            },
            "invalid_request",
            field("merchant_class"),
        ),
        case("merchant number of 14 digits", || MerchantProfile::new("10231005812000", "shop").map(drop), "invalid_record", nowhere()),
        // Tables of trades (issue 15): the first bad row's error names the row and its field.
        case("table: a negative amount", || table(&[100, -1], &[0, 0], None), "invalid_amount", field("amount")),
        case("table: an amount beyond Money::MAX", || table(&[100, i64::MAX], &[0, 0], None), "invalid_amount", field("amount")),
        case("table: a time beyond year 9999", || table(&[100, 100], &[0, i64::MAX], None), "invalid_date", field("time")),
        case("table: a time before the schedule", || table(&[100, 100], &[0, 946_684_800 - 1], None), "no_schedule_version", field("time")),
        case(
            "table: a settlement date past the data",
            || table(&[100, 100], &[0, 1_798_646_400], None),
            "calendar_out_of_range",
            field("time"),
        ),
        case("table: an unknown merchant class", || table(&[100, 100], &[0, 0], Some("hotel")), "invalid_request", field("merchant_class")),
        case(
            "table: a card type against the channel",
            || {
                let table = TradeTable::new(&[100], Column::All(Channel::Credit), Column::All(1_778_040_000))
                    .card_type(Column::All(Some(CardType::Debit)));
                Schedule::preset("standard")?.quote_table(&table, &TableOptions::default()).map(drop)
            },
            "invalid_request",
            field("card_type"),
        ),
        case(
            "table: a channel the schedule does not price",
            || {
                let table = TradeTable::new(&[100], Column::All(Channel::Wechat), Column::All(1_778_040_000));
                Schedule::preset("sft-esign")?.quote_table(&table, &TableOptions::default()).map(drop)
            },
            "no_matching_rule",
            field("channel"),
        ),
        case(
            "table: a column shorter than the amounts",
            || {
                let table = TradeTable::new(&[100, 200], Column::Each(&[Channel::Credit]), Column::All(1_778_040_000));
                Schedule::preset("standard")?.quote_table(&table, &TableOptions::default()).map(drop)
            },
            "invalid_request",
            field("channel"),
        ),
        case(
            "table: a merchant-class code without a name",
            || {
                let table =
                    TradeTable::new(&[100], Column::All(Channel::Credit), Column::All(1_778_040_000)).merchant_class(&[""], Column::All(3));
                Schedule::preset("standard")?.quote_table(&table, &TableOptions::default()).map(drop)
            },
            "invalid_request",
            field("merchant_class"),
        ),
        case(
            "compare: no offers",
            || compare(&TradeTable::new(&[100], Column::All(Channel::Credit), Column::All(1_778_040_000)), &[], OnInvalid::Raise).map(drop),
            "invalid_request",
            nowhere(),
        ),
        case(
            "compare: a row an offer cannot price",
            || {
                let table = TradeTable::new(&[100], Column::All(Channel::Wechat), Column::All(1_778_040_000));
                let offers = [Offer::new(Schedule::preset("sft-smart")?), Offer::new(Schedule::preset("sft-esign")?)];
                compare(&table, &offers, OnInvalid::Raise).map(drop)
            },
            "no_matching_rule",
            field("channel"),
        ),
    ]
}

/// A table of two credit trades, quoted strictly under `standard`: each time is `times[k]`
/// seconds after 1970 (0: 2026-05-06 12:00 China time); the second trade has `class`.
fn table(amounts: &[i64], times: &[i64], class: Option<&'static str>) -> Result<(), Error> {
    let times: Vec<i64> = times.iter().map(|&o| if o == 0 { 1_778_040_000 } else { o }).collect();
    let names = ["", class.unwrap_or("")];
    let codes = [0, u32::from(class.is_some())];
    let table = TradeTable::new(amounts, Column::All(Channel::Credit), Column::Each(&times)).merchant_class(&names, Column::Each(&codes));
    Schedule::preset("standard")?.quote_table(&table, &TableOptions::default()).map(drop)
}

#[test]
fn every_bad_input_gives_its_code_and_place() {
    let cases = catalogue();
    assert!(cases.len() >= 60, "the catalogue has {} rows; the issue asks for at least 60", cases.len());
    let mut failures = Vec::new();
    for (name, run, code, at) in &cases {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
        let error = match outcome {
            Err(_) => {
                failures.push(format!("{name}: panicked"));
                continue;
            }
            Ok(Ok(())) => {
                failures.push(format!("{name}: accepted"));
                continue;
            }
            Ok(Err(error)) => error,
        };
        if error.code() != *code {
            failures.push(format!("{name}: code {} instead of {code} ({error})", error.code()));
        }
        let location = error.location();
        if at.line.is_some() && location.line != at.line {
            failures.push(format!("{name}: line {:?} instead of {:?} ({error})", location.line, at.line));
        }
        if at.column.is_some() && location.column != at.column {
            failures.push(format!("{name}: column {:?} instead of {:?} ({error})", location.column, at.column));
        }
        if let Some(field) = at.field {
            if !location.field.as_deref().is_some_and(|f| f.ends_with(field)) {
                failures.push(format!("{name}: field {:?} instead of {field:?} ({error})", location.field));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} rows failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn huge_business_day_counts_overflow_on_both_views() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
    let calendar = Calendar::china();
    for n in [i64::MIN, i64::MAX] {
        for err in [calendar.provisional().add_business_days(day, n).unwrap_err(), calendar.add_business_days(day, n).unwrap_err()] {
            assert_eq!((err.code(), err.location().field.as_deref()), ("overflow", Some("n")), "{err}");
            assert!(err.message().starts_with(&format!("2026-01-02 plus {n} business days is ")), "{err}");
        }
    }
}

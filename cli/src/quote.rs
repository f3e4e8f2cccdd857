//! `posfee quote`: one trade, or every row of a CSV file, through `Schedule::quote`.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use posfee::{CalendarPolicy, CardType, Channel, Location, Money, Quote, QuoteRequest, Schedule, SettlementMode};

use crate::failure::Failure;
use crate::inputs::{self, OnInvalid, HOLIDAYS_HELP};
use crate::output;
use crate::progress::Progress;

const FILE_HELP: &str = "\
With --file, every row of a CSV file is quoted. Columns (header names): amount, channel, and \
time (or at) are required (a row without a time takes --at); settlement, merchant_class and \
card_type are optional (an empty cell takes the flag). The output is the input's columns \
followed by fee, net, rule, trade_day, settles_on, provisional and error. A row that cannot be \
quoted: with --on-invalid raise (the default) the command stops with one error line naming \
the file, the row's true line number and the column; with --on-invalid report its error goes \
into the error column (code: message) and the other rows are priced.";

/// The fee, net amount and settlement date of a trade (or of every row of a CSV file).
#[derive(clap::Args)]
#[command(after_help = FILE_HELP)]
pub struct Arguments {
    /// Trade amount in yuan: 5000, 1,000.50, ¥20.
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    amount: Option<String>,
    /// Channel: credit, debit, wechat, alipay, unionpay_qr, quickpass, huabei, jd_baitiao.
    #[arg(required_unless_present = "file", conflicts_with = "file")]
    channel: Option<String>,
    /// Trade time: 2026-09-30T22:30:00+08:00, or "2026-09-30 22:30" (China time); default now.
    #[arg(long, value_name = "WHEN")]
    at: Option<String>,
    /// A preset name (see `posfee presets`) or a schedule file (.toml or .json).
    #[arg(long, value_name = "PRESET|FILE", default_value = "standard")]
    schedule: String,
    /// Settlement mode: T1, T0, D0, D1, S0, ...
    #[arg(long, default_value = "T1")]
    settlement: String,
    /// The merchant class of class-specific rules, e.g. discounted.
    #[arg(long, value_name = "CLASS")]
    merchant_class: Option<String>,
    /// The card type behind a UnionPay QR / QuickPass payment: credit or debit.
    #[arg(long, value_name = "TYPE")]
    card_type: Option<String>,
    /// Allow settlement dates in a year without holiday data (weekends only, marked provisional).
    #[arg(long)]
    provisional: bool,
    #[arg(long, value_name = "FILE", help = HOLIDAYS_HELP)]
    holidays: Option<PathBuf>,
    /// Quote the void of this trade instead of the purchase.
    #[arg(long, conflicts_with_all = ["refund", "file"])]
    void: bool,
    /// Quote a refund of this amount (at --refund-at) against the trade.
    #[arg(long, value_name = "AMOUNT", requires = "refund_at", conflicts_with = "file")]
    refund: Option<String>,
    /// When the refund happens.
    #[arg(long, value_name = "WHEN", requires = "refund")]
    refund_at: Option<String>,
    /// Quote every row of this CSV file (see below).
    #[arg(long, value_name = "CSV")]
    file: Option<PathBuf>,
    /// With --file: write the priced rows here (CSV, or JSON for a .json name) instead of stdout.
    #[arg(long, value_name = "FILE", requires = "file")]
    out: Option<PathBuf>,
    /// With --file: a row that cannot be quoted stops the command (raise) or fills its error column (report).
    #[arg(long, value_enum, default_value = "raise", requires = "file")]
    on_invalid: OnInvalid,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// What every trade of the command shares: the schedule, the calendar and the flags.
struct Pricing {
    schedule: Schedule,
    calendar: posfee::Calendar,
    settlement: String,
    merchant_class: Option<String>,
    card_type: Option<String>,
    provisional: bool,
}

/// One trade's values as text (from the command line or a row), with the column each came from.
struct Trade<'a> {
    amount: &'a str,
    channel: &'a str,
    at: Option<&'a str>,
    settlement: &'a str,
    merchant_class: Option<&'a str>,
    card_type: Option<&'a str>,
}

fn now() -> DateTime<FixedOffset> {
    DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).with_timezone(&posfee::china_offset())
}

impl Pricing {
    /// The request of a trade; errors name the field they come from.
    fn request(&self, trade: &Trade<'_>) -> Result<QuoteRequest, posfee::Error> {
        let field = |name: &'static str| move |e: posfee::Error| e.in_field(name);
        let amount = Money::parse_amount(trade.amount).map_err(field("amount"))?;
        let channel = Channel::parse(trade.channel).map_err(field("channel"))?;
        let at = match trade.at {
            Some(text) => posfee::parse_china_time(text).map_err(field("time"))?,
            None => now(),
        };
        let settlement = SettlementMode::parse(trade.settlement).map_err(field("settlement"))?;
        let mut request = QuoteRequest::new(amount, channel, at).settlement(settlement);
        if let Some(class) = trade.merchant_class {
            request = request.merchant_class(class);
        }
        if let Some(card_type) = trade.card_type {
            request = request.card_type(CardType::parse(card_type).map_err(field("card_type"))?);
        }
        if self.provisional {
            request = request.calendar_policy(CalendarPolicy::WeekendsOnly);
        }
        Ok(request)
    }

    fn quote(&self, trade: &Trade<'_>) -> Result<Quote, posfee::Error> {
        self.schedule.quote_with(&self.request(trade)?, &self.calendar)
    }
}

pub fn run(arguments: Arguments, out: &mut dyn Write) -> Result<(), Failure> {
    let pricing = Pricing {
        schedule: inputs::schedule(&arguments.schedule)?,
        calendar: inputs::calendar(arguments.holidays.as_ref())?,
        settlement: arguments.settlement.clone(),
        merchant_class: arguments.merchant_class.clone(),
        card_type: arguments.card_type.clone(),
        provisional: arguments.provisional,
    };
    if let Some(file) = &arguments.file {
        return run_file(&arguments, &pricing, file, out);
    }
    if arguments.out.is_some() {
        return Err(Failure::usage("--out is for --file: a single quote prints on stdout"));
    }
    let (Some(amount), Some(channel)) = (&arguments.amount, &arguments.channel) else {
        return Err(Failure::request("quote needs AMOUNT and CHANNEL, or --file"));
    };
    let trade = Trade {
        amount,
        channel,
        at: arguments.at.as_deref(),
        settlement: &pricing.settlement,
        merchant_class: pricing.merchant_class.as_deref(),
        card_type: pricing.card_type.as_deref(),
    };
    let quote = if arguments.void {
        pricing.schedule.quote_void(&pricing.request(&trade)?)?
    } else if let (Some(refund), Some(refund_at)) = (&arguments.refund, &arguments.refund_at) {
        let request = pricing.request(&trade)?;
        let refund = Money::parse_amount(refund).map_err(|e| e.in_field("refund"))?;
        let refund_at = posfee::parse_china_time(refund_at).map_err(|e| e.in_field("refund_at"))?;
        pricing.schedule.quote_refund_with(&request, refund, refund_at, &pricing.calendar)?
    } else {
        pricing.quote(&trade)?
    };
    if arguments.json {
        return output::print(out, &format!("{}\n", quote.to_json()));
    }
    output::print(out, &quote_text(&quote))
}

/// A quote as a readable table and its explanation.
fn quote_text(quote: &Quote) -> String {
    let mut rows = vec![vec!["schedule".to_string(), quote.schedule.to_string()]];
    if quote.kind != posfee::TradeKind::Purchase {
        rows.push(vec!["kind".into(), format!("{:?}", quote.kind).to_lowercase()]);
    }
    rows.push(vec!["channel".into(), quote.channel.to_string()]);
    rows.push(vec!["amount".into(), format!("¥{}", quote.amount)]);
    rows.push(vec!["fee".into(), format!("¥{}", quote.fee)]);
    if quote.fee_returned != Money::ZERO {
        rows.push(vec!["fee returned".into(), format!("¥{}", quote.fee_returned)]);
    }
    rows.push(vec!["net".into(), format!("¥{}", quote.net)]);
    rows.push(vec!["settlement".into(), quote.settlement.to_string()]);
    rows.push(vec!["trade day".into(), quote.trade_day.to_string()]);
    let provisional = if quote.settles_on_provisional { " (provisional)" } else { "" };
    rows.push(vec!["settles on".into(), format!("{}{provisional}", quote.settles_on)]);
    format!("{}\n{}\n", output::table(None, &rows), quote.explanation().join("\n"))
}

/// The columns `--file` adds to each row.
const ADDED_COLUMNS: [&str; 7] = ["fee", "net", "rule", "trade_day", "settles_on", "provisional", "error"];

/// The columns of the input file that `--file` reads.
struct Columns {
    amount: usize,
    channel: usize,
    time: Option<usize>,
    settlement: Option<usize>,
    merchant_class: Option<usize>,
    card_type: Option<usize>,
}

impl Columns {
    fn find(header: &csv::StringRecord, file: &str, at_given: bool) -> Result<Columns, Failure> {
        let index: HashMap<&str, usize> = header.iter().enumerate().map(|(i, name)| (name.trim(), i)).collect();
        let missing = |name: &str| {
            let header = header.iter().collect::<Vec<_>>().join(",");
            Failure::record(format!("the file has no `{name}` column (header: {header})"), &Location::default().file(file).line(1))
        };
        let time = index.get("time").or_else(|| index.get("at")).copied();
        if time.is_none() && !at_given {
            return Err(missing("time"));
        }
        Ok(Columns {
            amount: *index.get("amount").ok_or_else(|| missing("amount"))?,
            channel: *index.get("channel").ok_or_else(|| missing("channel"))?,
            time,
            settlement: index.get("settlement").copied(),
            merchant_class: index.get("merchant_class").copied(),
            card_type: index.get("card_type").copied(),
        })
    }
}

/// One priced row: the quote or the error.
struct Priced {
    line: u64,
    fields: Vec<String>,
    outcome: Result<Quote, Failure>,
}

fn run_file(arguments: &Arguments, pricing: &Pricing, file: &std::path::Path, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(path) = &arguments.out {
        output::check_text_output(path, true)?;
        output::check_writable(path)?;
    }
    let bytes = output::read_file(file)?;
    let name = file.display().to_string();
    let at = |line: u64| Location::default().file(name.clone()).line(line);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes.as_slice());
    let header = reader.headers().map_err(|e| csv_error(e, &at(1)))?.clone();
    let columns = Columns::find(&header, &name, arguments.at.is_some())?;
    let progress = Progress::new(bytes.len() as u64, "bytes", bytes.len() as u64 >= 16 << 20);
    progress.stage(0, "quoting");
    let mut priced = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let error = csv_error(error, &at(line));
                if arguments.on_invalid == OnInvalid::Raise {
                    return Err(error);
                }
                priced.push(Priced { line, fields: vec![String::new(); header.len()], outcome: Err(error) });
                continue;
            }
        }
        let line = record.position().map_or(line, |p| p.line());
        let outcome = if record.len() != header.len() {
            Err(Failure::record(format!("the row has {} fields, the header {}", record.len(), header.len()), &at(line)))
        } else {
            let cell = |i: Option<usize>| i.map(|i| record[i].trim()).filter(|text| !text.is_empty());
            let trade = Trade {
                amount: record[columns.amount].trim(),
                channel: record[columns.channel].trim(),
                at: cell(columns.time).or(arguments.at.as_deref()),
                settlement: cell(columns.settlement).unwrap_or(&pricing.settlement),
                merchant_class: cell(columns.merchant_class).or(pricing.merchant_class.as_deref()),
                card_type: cell(columns.card_type).or(pricing.card_type.as_deref()),
            };
            pricing.quote(&trade).map_err(|error| Failure::from(error.at(at(line))))
        };
        if let (Err(error), OnInvalid::Raise) = (&outcome, arguments.on_invalid) {
            return Err(error.clone());
        }
        let mut fields: Vec<String> = record.iter().map(str::to_string).collect();
        fields.resize(header.len(), String::new());
        priced.push(Priced { line, fields, outcome });
        if priced.len() % 4096 == 0 {
            progress.set(record.position().map_or(0, |p| p.byte()));
        }
    }
    progress.finish();
    let errors = priced.iter().filter(|p| p.outcome.is_err()).count();
    let json_file = arguments.out.as_ref().is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")));
    let text = if json_file || (arguments.out.is_none() && arguments.json) { priced_json(&priced) } else { priced_csv(&header, &priced) };
    let Some(path) = &arguments.out else {
        return output::print(out, &text);
    };
    output::write_file(path, text.as_bytes())?;
    if arguments.json {
        let summary = serde_json::json!({"file": name, "rows": priced.len(), "errors": errors, "out": path.display().to_string()});
        return output::print_json(out, &summary);
    }
    let note = if errors > 0 { format!("; {errors} with an error (see its error column)") } else { String::new() };
    output::print(out, &format!("{} rows of {name} priced into {}{note}\n", priced.len(), path.display()))
}

fn csv_error(error: csv::Error, at: &Location) -> Failure {
    Failure::record(format!("cannot read the row as CSV: {error}"), at)
}

fn priced_csv(header: &csv::StringRecord, priced: &[Priced]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(header.iter().chain(ADDED_COLUMNS));
    for row in priced {
        let added: Vec<String> = match &row.outcome {
            Ok(quote) => vec![
                quote.fee.to_string(),
                quote.net.to_string(),
                quote.rule.to_string(),
                quote.trade_day.to_string(),
                quote.settles_on.to_string(),
                quote.settles_on_provisional.to_string(),
                String::new(),
            ],
            Err(error) => {
                let mut cells = vec![String::new(); ADDED_COLUMNS.len() - 1];
                cells.push(error.cell());
                cells
            }
        };
        let cells = row.fields.iter().chain(added.iter()).map(|cell| posfee::reconcile::neutralize_cell(cell).into_owned());
        let _ = writer.write_record(cells.collect::<Vec<_>>());
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn priced_json(priced: &[Priced]) -> String {
    let rows: Vec<serde_json::Value> = priced
        .iter()
        .map(|row| match &row.outcome {
            Ok(quote) => serde_json::json!({"line": row.line, "quote": quote.to_json_value()}),
            Err(error) => serde_json::json!({"line": row.line, "error": {"code": error.code(), "message": error.message()}}),
        })
        .collect();
    format!("{}\n", serde_json::to_string_pretty(&rows).unwrap_or_default())
}

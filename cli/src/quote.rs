//! `posfee quote`: one trade, or every row of a CSV file, through `Schedule::quote`.

use std::io::Write;
use std::path::PathBuf;

use posfee::{CalendarPolicy, Money, Quote, QuoteRequest, QuotedTable, Schedule, TableOptions, TradeDefaults, TradeText, QUOTED_COLUMNS};

use crate::failure::Failure;
use crate::inputs::{self, OnInvalid, HOLIDAYS_HELP};
use crate::output;
use crate::progress::Progress;
use crate::trades::{Defaults, Trades};

const FILE_HELP: &str = "\
With --file, every row of a CSV file is quoted as a table (the same rules as one quote). \
Columns (header names): amount, channel, and time (or at) are required (a row without a time \
takes --at); settlement, merchant_class and card_type are optional (an empty cell takes the \
flag). The output is the input's columns followed by fee, net, rule, limit (cap or floor), \
settlement_applied, trade_day, settles_on, warnings (fee_exceeds_amount, settlement_fell_back, \
calendar_data_ends, provisional; separated by ;) and error. A row that cannot be \
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
    /// Warn when the trade exceeds the merchant's per-transaction limit or falls outside its
    /// business hours: a preset (personal-micro-merchant, personal-static-code) or a limits .toml file.
    #[arg(long, value_name = "PRESET|FILE", conflicts_with = "file")]
    limits: Option<String>,
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
    /// The language of the explanation and labels: en or zh.
    #[arg(long, value_name = "en|zh", default_value = "en")]
    lang: String,
}

/// What every trade of the command shares: the schedule, the calendar and the flags.
struct Pricing {
    schedule: Schedule,
    calendar: posfee::Calendar,
    settlement: String,
    merchant_class: Option<String>,
    card_type: Option<String>,
    provisional: bool,
    limits: Option<posfee::MerchantLimits>,
}

impl Pricing {
    /// The request of a trade (the core's reading of its text; errors name the field), with
    /// the command's calendar policy and limits.
    fn request(&self, trade: &TradeText<'_>) -> Result<QuoteRequest, posfee::Error> {
        let mut request = trade.quote_request(&TradeDefaults::default())?.calendar_policy(CalendarPolicy::provisional(self.provisional));
        if let Some(limits) = &self.limits {
            request = request.limits(limits.clone());
        }
        Ok(request)
    }

    fn quote(&self, trade: &TradeText<'_>) -> Result<Quote, posfee::Error> {
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
        limits: arguments.limits.as_deref().map(posfee::MerchantLimits::load).transpose()?,
    };
    if let Some(file) = &arguments.file {
        return run_file(&arguments, &pricing, file, out);
    }
    if arguments.out.is_some() {
        return Err(Failure::usage("--out is for --file: a single quote prints on stdout"));
    }
    let lang = posfee::Lang::parse(&arguments.lang)?;
    let (Some(amount), Some(channel)) = (&arguments.amount, &arguments.channel) else {
        return Err(Failure::request("quote needs AMOUNT and CHANNEL, or --file"));
    };
    let now_text = posfee::china_now().format("%Y-%m-%d %H:%M:%S").to_string();
    let trade = TradeText {
        amount,
        channel,
        time: arguments.at.as_deref().unwrap_or(&now_text),
        settlement: Some(&pricing.settlement),
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
        let json = serde_json::to_string_pretty(&quote.json_in(lang)).map_err(|e| Failure::io(e.to_string()))?;
        return output::print(out, &format!("{json}\n"));
    }
    output::print(out, &quote_text(&quote, lang))
}

/// A quote as a readable table and its explanation.
fn quote_text(quote: &Quote, lang: posfee::Lang) -> String {
    let label = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let mut rows = vec![vec![label("费率表", "schedule"), quote.schedule.to_string()]];
    if quote.kind != posfee::TradeKind::Purchase {
        rows.push(vec![label("类型", "kind"), format!("{:?}", quote.kind).to_lowercase()]);
    }
    let channel = lang.pick(quote.channel.name_zh(), quote.channel.name()).to_string();
    rows.push(vec![label("渠道", "channel"), channel]);
    rows.push(vec![label("金额", "amount"), format!("¥{}", quote.amount)]);
    rows.push(vec![label("手续费", "fee"), format!("¥{}", quote.fee)]);
    if quote.fee_returned != Money::ZERO {
        rows.push(vec![label("退还手续费", "fee returned"), format!("¥{}", quote.fee_returned)]);
    }
    rows.push(vec![label("净额", "net"), format!("¥{}", quote.net)]);
    rows.push(vec![label("结算方式", "settlement"), quote.settlement.to_string()]);
    rows.push(vec![label("交易日", "trade day"), quote.trade_day.to_string()]);
    let provisional = if quote.settles_on_provisional { lang.pick("（暂定）", " (provisional)") } else { "" };
    rows.push(vec![label("结算日", "settles on"), format!("{}{provisional}", quote.settles_on)]);
    format!("{}\n{}\n", output::table(None, &rows), quote.explanation_in(lang).join("\n"))
}

fn run_file(arguments: &Arguments, pricing: &Pricing, file: &std::path::Path, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(path) = &arguments.out {
        output::check_text_output(path, true)?;
        output::check_writable(path)?;
    }
    let defaults = Defaults {
        at: arguments.at.as_deref(),
        settlement: &pricing.settlement,
        merchant_class: pricing.merchant_class.as_deref(),
        card_type: pricing.card_type.as_deref(),
    };
    let size = std::fs::metadata(file).map_or(0, |m| m.len());
    let progress = Progress::new(size, "bytes", size >= 16 << 20);
    progress.stage(0, "reading");
    let trades = Trades::read(file, &defaults)?;
    progress.stage(size / 2, "quoting");
    let policy = CalendarPolicy::provisional(pricing.provisional);
    // Each bad row's first error (its text's, else its quote's), told by its line; with
    // raise, the first stops the command.
    let report = TableOptions { on_invalid: posfee::OnInvalid::Report, calendar_policy: policy };
    let (quoted, row_errors) = trades.columns.quote(&pricing.schedule, &report, &pricing.calendar)?;
    progress.set(size);
    progress.finish();
    let mut errors: Vec<Option<Failure>> = vec![None; trades.lines.len()];
    for row_error in row_errors {
        let row = row_error.row;
        errors[row] = Some(trades.failure(row, row_error));
    }
    if let (OnInvalid::Raise, Some(failure)) = (arguments.on_invalid, errors.iter().flatten().next()) {
        return Err(failure.clone());
    }
    let count = errors.iter().flatten().count();
    let json_file = arguments.out.as_ref().is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")));
    let text = if json_file || (arguments.out.is_none() && arguments.json) {
        priced_json(&trades, &quoted, &errors)
    } else {
        priced_csv(&trades, &quoted, &errors)
    };
    let Some(path) = &arguments.out else {
        return output::print(out, &text);
    };
    output::write_file(path, text.as_bytes())?;
    let name = &trades.file;
    if arguments.json {
        let summary = serde_json::json!({"file": name, "rows": trades.lines.len(), "errors": count, "out": path.display().to_string()});
        return output::print_json(out, &summary);
    }
    let note = if count > 0 { format!("; {count} with an error (see its error column)") } else { String::new() };
    output::print(out, &format!("{} rows of {name} priced into {}{note}\n", trades.lines.len(), path.display()))
}

fn priced_csv(trades: &Trades, quoted: &QuotedTable, errors: &[Option<Failure>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(trades.header.iter().chain(QUOTED_COLUMNS));
    for (row, fields) in trades.fields.iter().enumerate() {
        let mut cells = quoted.row_cells(row);
        if let Some(failure) = &errors[row] {
            cells = Default::default();
            cells[QUOTED_COLUMNS.len() - 1] = failure.cell();
        }
        let cells = fields.iter().chain(cells.iter()).map(|cell| posfee::reconcile::neutralize_cell(cell).into_owned());
        let _ = writer.write_record(cells.collect::<Vec<_>>());
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn priced_json(trades: &Trades, quoted: &QuotedTable, errors: &[Option<Failure>]) -> String {
    let rows: Vec<serde_json::Value> = (0..trades.lines.len())
        .map(|row| {
            let mut object = serde_json::Map::new();
            object.insert("line".into(), trades.lines[row].into());
            match &errors[row] {
                Some(failure) => {
                    object.insert("error".into(), serde_json::json!({"code": failure.code(), "message": failure.message()}));
                }
                None => {
                    let cells = quoted.row_cells(row);
                    for (name, cell) in QUOTED_COLUMNS.iter().zip(cells).take(QUOTED_COLUMNS.len() - 1) {
                        object.insert((*name).into(), cell.into());
                    }
                }
            }
            serde_json::Value::Object(object)
        })
        .collect();
    format!("{}\n", serde_json::to_string_pretty(&rows).unwrap_or_default())
}

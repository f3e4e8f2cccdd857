//! Quotes one trade and prints the quote as JSON.
//!
//! ```text
//! cargo run --example quote -- --preset sft-traditional --channel debit --amount 5000 \
//!     --at 2026-09-30T22:30:00+08:00 --settlement T1
//! ```
//!
//! Exits with status 2 and a one-line message (with the error code) on bad input.

use clap::Parser;
use posfee::{CalendarPolicy, CardType, Channel, Money, QuoteRequest, Schedule, SettlementMode};

/// Quote a China card or QR payment: fee, net amount, settlement date, explanation.
#[derive(Parser)]
#[command(name = "quote")]
struct Arguments {
    /// A preset schedule name (see --list-presets).
    #[arg(long, conflicts_with = "schedule")]
    preset: Option<String>,
    /// A schedule file (.toml or .json).
    #[arg(long)]
    schedule: Option<std::path::PathBuf>,
    /// Payment channel: credit, debit, wechat, alipay, unionpay_qr, quickpass, huabei, jd_baitiao.
    #[arg(long)]
    channel: Option<String>,
    /// Trade amount in yuan, e.g. 5000, 1,000.50, ¥20.
    #[arg(long)]
    amount: Option<String>,
    /// Trade time, RFC 3339 (2026-09-30T22:30:00+08:00) or China time (2026-09-30 22:30).
    #[arg(long)]
    at: Option<String>,
    /// Settlement mode: T1, T0, D0, D1, S0, ...
    #[arg(long, default_value = "T1")]
    settlement: String,
    /// Merchant class for class-specific rules (discounted, waived).
    #[arg(long)]
    merchant_class: Option<String>,
    /// Card type behind a UnionPay QR / QuickPass payment (credit or debit).
    #[arg(long)]
    card_type: Option<String>,
    /// Quote the void of this trade instead of the purchase.
    #[arg(long, conflicts_with = "refund")]
    void: bool,
    /// Quote a refund of this amount (at --refund-at) against the trade.
    #[arg(long, requires = "refund_at")]
    refund: Option<String>,
    /// When the refund happens.
    #[arg(long)]
    refund_at: Option<String>,
    /// For years without holiday data, count weekdays and mark the date provisional.
    #[arg(long)]
    provisional_calendar: bool,
    /// List the preset names and exit.
    #[arg(long)]
    list_presets: bool,
}

fn required(value: Option<String>, name: &str) -> Result<String, posfee::Error> {
    value.ok_or_else(|| posfee::Error::new(posfee::ErrorKind::InvalidRequest, format!("--{name} is required")))
}

fn run(arguments: Arguments) -> Result<(), posfee::Error> {
    if arguments.list_presets {
        for name in posfee::presets() {
            println!("{name}");
        }
        return Ok(());
    }
    let schedule = match (&arguments.preset, &arguments.schedule) {
        (_, Some(path)) => Schedule::from_file(path)?,
        (Some(name), None) => Schedule::preset(name)?,
        (None, None) => Schedule::preset("standard")?,
    };
    let channel = Channel::parse(&required(arguments.channel, "channel")?)?;
    let amount = Money::parse_amount(&required(arguments.amount, "amount")?)?;
    let at = posfee::parse_china_time(&required(arguments.at, "at")?)?;
    let mut request = QuoteRequest::new(amount, channel, at).settlement(SettlementMode::parse(&arguments.settlement)?);
    if let Some(class) = arguments.merchant_class {
        request = request.merchant_class(class);
    }
    if let Some(card) = arguments.card_type {
        request = request.card_type(CardType::parse(&card)?);
    }
    if arguments.provisional_calendar {
        request = request.calendar_policy(CalendarPolicy::WeekendsOnly);
    }
    let quote = if arguments.void {
        schedule.quote_void(&request)?
    } else if let Some(refund) = arguments.refund {
        let refund_at = posfee::parse_china_time(&required(arguments.refund_at, "refund-at")?)?;
        schedule.quote_refund(&request, Money::parse_amount(&refund)?, refund_at)?
    } else {
        schedule.quote(&request)?
    };
    println!("{}", quote.to_json());
    Ok(())
}

fn main() {
    if let Err(error) = run(Arguments::parse()) {
        eprintln!("error [{}]: {error}", error.code());
        std::process::exit(2);
    }
}

//! `posfee compare`: what each offer would have cost on a file of trades (`posfee::compare`).

use std::io::Write;
use std::path::PathBuf;

use posfee::{Comparison, Offer, SettlementMode, Subtotal};

use crate::failure::Failure;
use crate::inputs::{self, OnInvalid};
use crate::output;
use crate::trades::{Defaults, Trades};

const AFTER_HELP: &str = "\
The trades file has the columns of `posfee quote --file` (amount, channel, time; optional \
settlement, merchant_class, card_type). Each --schedule is an offer: a preset or a schedule \
file, optionally with @MODE for the settlement mode the offer comes with (it replaces the \
trades' own), e.g. --schedule sft-smart --schedule standard-d0@D0. The first offer is the \
current one: the others are compared with it. Break-even amounts are judged per channel at \
the channel's latest trade (its time, merchant class, card type, settlement).";

/// Compare offers (schedules) on a file of trades: totals, effective rates, fees per channel
/// and month, the difference against the first, and break-even amounts.
#[derive(clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Arguments {
    /// The trades (CSV).
    trades: PathBuf,
    /// An offer: a preset or schedule file, optionally NAME@MODE (two to sixteen; the first is the current one).
    #[arg(long = "schedule", value_name = "PRESET|FILE[@MODE]", required = true)]
    schedules: Vec<String>,
    /// A default trade time for rows without one.
    #[arg(long, value_name = "WHEN")]
    at: Option<String>,
    /// A default settlement mode for rows without one.
    #[arg(long, default_value = "T1")]
    settlement: String,
    /// A default merchant class for rows without one.
    #[arg(long, value_name = "CLASS")]
    merchant_class: Option<String>,
    /// A row some offer cannot price stops the command (raise) or is left out of every total (report).
    #[arg(long, value_enum, default_value = "raise")]
    on_invalid: OnInvalid,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `NAME` or `NAME@MODE`, when MODE is a settlement mode.
fn offer(text: &str) -> Result<Offer, Failure> {
    if let Some((name, mode)) = text.rsplit_once('@') {
        if let Ok(mode) = SettlementMode::parse(mode) {
            return Ok(Offer::new(inputs::schedule(name)?).settlement(mode));
        }
    }
    Ok(Offer::new(inputs::schedule(text)?))
}

pub fn run(arguments: Arguments, out: &mut dyn Write) -> Result<(), Failure> {
    let offers = arguments.schedules.iter().map(|text| offer(text)).collect::<Result<Vec<_>, _>>()?;
    let defaults = Defaults {
        at: arguments.at.as_deref(),
        settlement: &arguments.settlement,
        merchant_class: arguments.merchant_class.as_deref(),
        card_type: None,
    };
    let trades = Trades::read(&arguments.trades, &defaults)?;
    // Unreadable rows and rows an offer cannot price are left out (report); with
    // `--on-invalid raise` the first stops the command, told by its line in the file.
    let comparison = trades.columns.compare(&offers, posfee::OnInvalid::Report)?;
    if let (OnInvalid::Raise, Some(first)) = (arguments.on_invalid, comparison.excluded.first()) {
        return Err(trades.failure(first.row, first.clone()));
    }
    let left_out = comparison.excluded.len();
    if arguments.json {
        return output::print_json(out, &json(&comparison, &trades));
    }
    output::print(out, &text(&comparison, left_out))
}

/// `+¥1.00`, `-¥0.50`, `¥0.00`.
fn signed_yuan(value: posfee::Money) -> String {
    if value.is_negative() {
        format!("-¥{}", value.abs())
    } else if value.is_zero() {
        format!("¥{value}")
    } else {
        format!("+¥{value}")
    }
}

fn rate_text(group: &Subtotal) -> String {
    group.effective_rate().map_or_else(String::new, |rate| format!("{}%", (rate * rust_decimal::Decimal::ONE_HUNDRED).round_dp(4)))
}

fn text(comparison: &Comparison, left_out: usize) -> String {
    let header = ["offer", "trades", "amount", "fees", "effective rate", "vs first"];
    let rows: Vec<Vec<String>> = comparison
        .offers
        .iter()
        .map(|offer| {
            vec![
                offer.offer.to_string(),
                offer.total.trades.to_string(),
                format!("¥{}", offer.total.amount),
                format!("¥{}", offer.total.fee),
                rate_text(&offer.total),
                signed_yuan(offer.difference),
            ]
        })
        .collect();
    let mut text = output::table(Some(&header), &rows);
    for (title, groups) in [("channel", 0), ("month", 1)] {
        let mut header = vec![title.to_string()];
        header.extend(comparison.offers.iter().map(|offer| offer.offer.to_string()));
        let keys: Vec<&str> = {
            let first = &comparison.offers[0];
            let list = if groups == 0 { &first.by_channel } else { &first.by_month };
            list.iter().map(|group| group.key.as_str()).collect()
        };
        let rows: Vec<Vec<String>> = keys
            .iter()
            .map(|key| {
                let mut row = vec![key.to_string()];
                for offer in &comparison.offers {
                    let list = if groups == 0 { &offer.by_channel } else { &offer.by_month };
                    row.push(list.iter().find(|group| group.key == *key).map_or_else(String::new, |group| format!("¥{}", group.fee)));
                }
                row
            })
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        text.push('\n');
        text.push_str(&output::table(Some(&header), &rows));
    }
    text.push('\n');
    let sentences = comparison.break_even_sentences();
    if sentences.is_empty() {
        text.push_str("break-even: none (on every channel one offer is cheaper or equal at every amount)\n");
    }
    for sentence in sentences {
        text.push_str(&format!("break-even: {sentence}\n"));
    }
    if left_out > 0 {
        text.push_str(&format!("{left_out} rows left out (unreadable, or not priced by every offer)\n"));
    }
    text
}

/// The core's JSON, with each left-out row told by its line in the file (unreadable lines too).
fn json(comparison: &Comparison, trades: &Trades) -> serde_json::Value {
    let mut value = comparison.to_json_value();
    let excluded: Vec<serde_json::Value> = comparison
        .excluded
        .iter()
        .map(|row_error| {
            let failure = trades.failure(row_error.row, row_error.clone());
            serde_json::json!({"line": trades.lines[row_error.row], "code": failure.code(), "message": failure.message()})
        })
        .collect();
    value["excluded"] = excluded.into();
    value
}

//! Quotes a trade with the library: fee, net amount, settlement date and the explanation.
//!
//! ```text
//! cargo run --example quote
//! ```
//!
//! The command line does the same: `posfee quote 5000 debit --at "2026-09-30 22:30" --schedule sft-traditional`.

use posfee::{parse_china_time, Channel, Money, QuoteRequest, Schedule, SettlementMode};

fn main() -> Result<(), posfee::Error> {
    let schedule = Schedule::preset("sft-traditional")?;
    let request = QuoteRequest::new(Money::parse_amount("5000")?, Channel::Debit, parse_china_time("2026-09-30T22:30:00+08:00")?)
        .settlement(SettlementMode::parse("T1")?);

    let quote = schedule.quote(&request)?;
    println!("fee ¥{}, net ¥{}, settles on {}", quote.fee, quote.net, quote.settles_on);
    println!("{}", quote.explanation().join("\n"));

    // A refund of part of the trade two days later: the share of the fee the schedule returns.
    let refund = schedule.quote_refund(&request, Money::parse_amount("1000")?, parse_china_time("2026-10-02 10:00")?)?;
    println!("\nrefund of ¥1000.00: fee returned ¥{}, net ¥{}", refund.fee_returned, refund.net);

    // Every quote is also JSON (money as strings).
    println!("\n{}", quote.to_json());
    Ok(())
}

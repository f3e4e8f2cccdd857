//! `posfee margins`: each agent's margin (分润) on its merchants' trades, level by level.

use std::io::Write;
use std::path::PathBuf;

use posfee::reconcile::{margins, AgentTree, Registry};

use crate::failure::Failure;
use crate::{inputs, output};

/// Computes each agent's margin on the trades of the merchants it signed and of its
/// sub-agents: the merchant's fee under its contract, each level's cost under its cost
/// schedule, and the differences; totals per agent, merchant and month, and negative margins.
#[derive(clap::Args)]
pub struct Arguments {
    /// The trades (canonical ledger CSV): approved purchases are priced.
    trades: PathBuf,
    /// The merchant registry CSV (merchant_no, schedule, agent, terminals, ...).
    #[arg(long, value_name = "MERCHANTS.csv")]
    merchants: PathBuf,
    /// The agents CSV: agent, parent, cost_schedule (a preset or a schedule file).
    #[arg(long, value_name = "AGENTS.csv")]
    agents: PathBuf,
    #[arg(long, value_name = "FILE", help = inputs::HOLIDAYS_HELP)]
    holidays: Option<PathBuf>,
    /// Write one row per trade and level here (CSV).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Print the totals as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(arguments: Arguments, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(path) = &arguments.out {
        output::check_text_output(path, false)?;
        output::check_writable(path)?;
    }
    let registry = Registry::read_csv(&arguments.merchants)?;
    let agents = AgentTree::read_csv(&arguments.agents)?;
    let calendar = inputs::calendar(arguments.holidays.as_ref())?;
    let trades = inputs::ledger(&arguments.trades)?;
    posfee::reconcile::ReadIssue::raise_first(posfee::OnInvalid::Raise, trades.issues())?;
    let report = margins(&trades, &registry, &agents, &calendar)?;
    if let Some(path) = &arguments.out {
        output::write_file_with(path, |out| report.write_csv(out))?;
    }
    if arguments.json {
        let totals = serde_json::json!({
            "merchant_fee": report.merchant_fee,
            "top_cost": report.top_cost,
            "margin": report.margin,
            "by_agent": report.by_agent,
            "by_merchant": report.by_merchant,
            "by_month": report.by_month,
            "skipped": report.skipped.len(),
            "findings": report.findings.iter().map(|(zh, en)| serde_json::json!({"zh": zh, "en": en})).collect::<Vec<_>>(),
        });
        return output::print_json(out, &totals);
    }
    let mut text = report.table();
    if let Some(path) = &arguments.out {
        text.push_str(&format!("{} rows written to {}\n", report.rows.len(), path.display()));
    }
    output::print(out, &text)
}

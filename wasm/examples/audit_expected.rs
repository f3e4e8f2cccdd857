//! The expected numbers of the statement checker's tests, from the core run natively (not
//! through the WebAssembly module under test): for each file given, the statement read with
//! its sniffed format and checked alone with `posfee::reconcile::check_statement` against
//! `--preset` and `--merchant-no`. Prints one JSON object keyed by file name: format, rows,
//! statement rows / amount / fee / net per class, the overcharge and the findings (zh, en).
//!
//! `cargo run -p posfee-wasm --features audit --example audit_expected -- --preset standard --merchant-no 102310058120001 FILE...`
//!
//! `--simulate ROWS OUT.csv` first writes a seeded simulated bank statement of about ROWS rows
//! (with a credit rate rise from 2026-03-12) to OUT.csv, for the large-file test.
//!
//! `--simulate-deposits SEED STATEMENT.csv BANK.csv` writes a seeded statement and the bank
//! statement beside it (deposit faults injected: the core's deposit simulation); `--deposits
//! STATEMENT BANK` adds, under the key `deposits`, the core's deposit check of the two files
//! (both formats sniffed, default options): counts and sums per class, findings (zh, en).
//!
//! `--ledger LEDGER.csv`: each file is reconciled with this ledger (`posfee::reconcile::reconcile`)
//! instead of checked alone; the classes then count ledger rows too (`ledger_rows`,
//! `ledger_amount`) and `problems` counts the problem rows of both sides, as the page does.
//! `--simulate-pair ROWS STATEMENT.csv LEDGER.csv` first writes a seeded simulated statement and
//! ledger (faults of every class) and reconciles them, with the simulation's merchant number,
//! preset and settlement (printed as `merchant_no`, `preset`, `settlement`).
//!
//! Every file's entry also lists `unreadable_lines`: the lines its reader could not read.

use std::collections::BTreeMap;

use posfee::reconcile::deposits::{read_bank_statement, reconcile_deposits, BankProfile, DepositClass, DepositOptions};
use posfee::reconcile::{
    check_statement, read_ledger_csv, read_statement, reconcile, simulation, write_bank_csv, write_ledger_csv, MerchantProfile, Profile,
    ReconcileOptions,
};
use posfee::Schedule;

/// Any failure of this tool, printed by `main`.
type Error = Box<dyn std::error::Error>;

/// The ROWS of a `--simulate` option; `usage` says what the option takes.
fn rows_argument(argument: Option<String>, usage: &str) -> Result<usize, Error> {
    argument.unwrap_or_default().parse().map_err(|_| Error::from(usage))
}

fn main() -> Result<(), Error> {
    let mut arguments = std::env::args().skip(1);
    let (mut preset, mut merchant_no, mut files) = (String::from("standard"), String::from("102310058120001"), Vec::new());
    let mut deposits: Option<(String, String)> = None;
    let io = |path: &str, e: std::io::Error| Error::from(format!("{path}: {e}"));
    let (mut ledger_path, mut settlement): (Option<String>, Option<posfee::SettlementMode>) = (None, None);
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--preset" => preset = arguments.next().unwrap_or_default(),
            "--merchant-no" => merchant_no = arguments.next().unwrap_or_default(),
            "--simulate" => {
                let rows = rows_argument(arguments.next(), "--simulate ROWS OUT.csv")?;
                let out = arguments.next().unwrap_or_default();
                let from = posfee::parse_date("2026-03-12")?;
                let rise = simulation::Pattern::Rate { from, channel: posfee::Channel::Credit, rate: posfee::Rate::parse("0.68%")? };
                let sample = simulation::generate(&simulation::SimulationOptions::new(18).trades(rows).pattern(rise))?;
                std::fs::write(&out, write_bank_csv(&sample.statement)).map_err(|e| Error::from(format!("{out}: {e}")))?;
            }
            "--simulate-deposits" => {
                let seed: u64 = arguments
                    .next()
                    .unwrap_or_default()
                    .parse()
                    .map_err(|_| Error::from("--simulate-deposits SEED STATEMENT.csv BANK.csv"))?;
                let (statement, bank) = (arguments.next().unwrap_or_default(), arguments.next().unwrap_or_default());
                let sample = posfee::reconcile::deposits::simulation::generate_deposits(
                    &posfee::reconcile::deposits::simulation::DepositSimulationOptions::new(seed),
                )?;
                std::fs::write(&statement, write_bank_csv(&sample.statement)).map_err(|e| io(&statement, e))?;
                std::fs::write(&bank, posfee::reconcile::deposits::simulation::bank_csv(&sample.bank)).map_err(|e| io(&bank, e))?;
            }
            "--deposits" => deposits = Some((arguments.next().unwrap_or_default(), arguments.next().unwrap_or_default())),
            "--ledger" => ledger_path = arguments.next(),
            "--simulate-pair" => {
                let rows = rows_argument(arguments.next(), "--simulate-pair ROWS STATEMENT.csv LEDGER.csv")?;
                let (statement_out, ledger_out) = (arguments.next().unwrap_or_default(), arguments.next().unwrap_or_default());
                let sample = simulation::generate(&simulation::SimulationOptions::new(9).trades(rows))?;
                let write = |path: &str, text: String| std::fs::write(path, text).map_err(|e| Error::from(format!("{path}: {e}")));
                write(&statement_out, write_bank_csv(&sample.statement))?;
                write(&ledger_out, write_ledger_csv(&sample.ledger))?;
                preset = sample.options.schedule.name().to_string();
                merchant_no = sample.options.profile.merchant_no.as_str().to_string();
                settlement = Some(sample.options.profile.settlement);
                ledger_path = Some(ledger_out);
                files.push(statement_out);
            }
            _ => files.push(argument),
        }
    }
    let mut profile = MerchantProfile::new(&merchant_no, "")?;
    if let Some(settlement) = settlement {
        profile.settlement = settlement;
    }
    let settlement_name = profile.settlement.to_string();
    let options = ReconcileOptions::new(Schedule::preset(&preset)?, profile);
    let ledger = match &ledger_path {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| Error::from(format!("{path}: {e}")))?;
            let name = std::path::Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            Some(read_ledger_csv(&bytes, &name)?)
        }
        None => None,
    };
    let mut out = BTreeMap::new();
    for path in files {
        let bytes = std::fs::read(&path).map_err(|e| Error::from(format!("{path}: {e}")))?;
        let name = std::path::Path::new(&path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let profile = Profile::resolve("auto", &bytes[..bytes.len().min(64 << 10)], &name)?;
        let statement = read_statement(&bytes, &name, &profile)?;
        let report = match &ledger {
            Some(ledger) => reconcile(ledger, &statement, &options)?,
            None => check_statement(&statement, &options)?,
        };
        let with_ledger = ledger.is_some();
        let summary = &report.summary;
        let classes: BTreeMap<&str, serde_json::Value> = summary
            .classes
            .iter()
            .filter_map(|totals| totals.class.map(|class| (class, totals)))
            .map(|(class, totals)| (class, totals, if with_ledger { totals.ledger_rows } else { 0 }))
            .filter(|(_, totals, ledger_rows)| totals.statement_rows + totals.unreadable_rows + ledger_rows > 0)
            .map(|(class, totals, ledger_rows)| {
                let mut numbers = serde_json::json!({
                    "rows": totals.statement_rows + totals.unreadable_rows,
                    "amount": totals.statement_amount.to_string(),
                    "fee": totals.statement_fee.to_string(),
                    "net": totals.statement_net.to_string(),
                });
                if with_ledger {
                    numbers["ledger_rows"] = ledger_rows.into();
                    numbers["ledger_amount"] = totals.ledger_amount.to_string().into();
                }
                (class.name(), numbers)
            })
            .collect();
        // Without a ledger the implied ledger mirrors the statement: statement rows only.
        let problems =
            report.rows().filter(|row| (with_ledger || row.side == posfee::reconcile::Side::Statement) && row.class.is_problem()).count();
        let unreadable_lines: Vec<u64> = statement.issues().iter().filter_map(|issue| issue.error.location().line).collect();
        out.insert(
            path.clone(),
            serde_json::json!({
                "format": profile.name(),
                "merchant_no": merchant_no,
                "preset": preset,
                "settlement": settlement_name,
                "with_ledger": with_ledger,
                "unreadable_lines": unreadable_lines,
                "rows": statement.len(),
                "unreadable": summary.unreadable_rows,
                "amount": summary.statement_amount.to_string(),
                "fee": summary.statement_fee.to_string(),
                "net": summary.statement_net.to_string(),
                "overcharge": summary.overcharge.to_string(),
                "problems": problems,
                "classes": classes,
                "findings": summary.findings.iter().map(|f| serde_json::json!({"zh": f.zh, "en": f.en})).collect::<Vec<_>>(),
            }),
        );
    }
    if let Some((statement_path, bank_path)) = deposits {
        let statement_bytes = std::fs::read(&statement_path).map_err(|e| io(&statement_path, e))?;
        let bank_bytes = std::fs::read(&bank_path).map_err(|e| io(&bank_path, e))?;
        let file_name = |path: &str| std::path::Path::new(path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (statement_name, bank_name) = (file_name(&statement_path), file_name(&bank_path));
        let profile = Profile::resolve("auto", &statement_bytes[..statement_bytes.len().min(64 << 10)], &statement_name)?;
        let statement = read_statement(&statement_bytes, &statement_name, &profile)?;
        let bank_profile = BankProfile::resolve("auto", &bank_bytes[..bank_bytes.len().min(64 << 10)], &bank_name)?;
        let bank = read_bank_statement(&bank_bytes, &bank_name, &bank_profile)?;
        let report = reconcile_deposits(&statement, &bank, &DepositOptions::new())?;
        let classes: BTreeMap<&str, serde_json::Value> = DepositClass::ALL
            .into_iter()
            .map(|class| (class, report.summary.class(class)))
            .filter(|(_, totals)| totals.payouts + totals.bank_rows > 0)
            .map(|(class, t)| {
                let values = serde_json::json!({
                    "payouts": t.payouts, "expected": t.expected.to_string(), "difference": t.difference.to_string(),
                    "bankRows": t.bank_rows, "bankAmount": t.bank_amount.to_string(),
                });
                (class.name(), values)
            })
            .collect();
        out.insert(
            "deposits".to_string(),
            serde_json::json!({
                "bankFormat": bank_profile.name(),
                "payouts": report.summary.payouts,
                "expected": report.summary.expected.to_string(),
                "notArrived": report.summary.not_arrived.to_string(),
                "classes": classes,
                "findings": report.findings.iter().map(|f| serde_json::json!({"zh": f.zh, "en": f.en})).collect::<Vec<_>>(),
            }),
        );
    }
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    Ok(())
}

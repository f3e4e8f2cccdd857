//! Reconciles a merchant's trades against the acquirer's statement with the library: a
//! generated sample month (faults of every kind injected), then the same files read back.
//!
//! ```text
//! cargo run --release --example reconcile
//! ```
//!
//! The command line does this and more: `posfee demo` (= `make demo`) and
//! `posfee reconcile LEDGER STATEMENT --schedule sft-traditional --merchant-no 102310058120001`.

use posfee::reconcile::simulation::{generate, SimulationOptions};
use posfee::reconcile::{read_ledger_csv, read_statement, reconcile, write_bank_csv, write_ledger_csv, Class, Profile};

fn main() -> Result<(), posfee::Error> {
    // A seeded month: the ledger, the statement, the contract and merchant (options), and the
    // answer key of every injected fault.
    let sample = generate(&SimulationOptions::new(2026).trades(2_000))?;
    let report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    print!("{}", report.summary.table());

    println!("\nfirst discrepancies:");
    for row in report.rows().filter(|row| row.class.is_problem()).take(5) {
        println!("  {:<9} line {:>5}  {:<18} {}", row.side.name(), row.line, row.class.name(), row.reason);
    }

    // Your own files: a ledger CSV in the canonical schema and a statement in any known
    // format (Profile::resolve("auto", ...) sniffs which).
    let ledger_csv = write_ledger_csv(&sample.ledger);
    let statement_csv = write_bank_csv(&sample.statement);
    let ledger = read_ledger_csv(ledger_csv.as_bytes(), "ledger.csv")?;
    let profile = Profile::resolve("auto", statement_csv.as_bytes(), "statement.csv")?;
    let statement = read_statement(statement_csv.as_bytes(), "statement.csv", &profile)?;
    let again = reconcile(&ledger, &statement, &sample.options)?;
    println!(
        "\nfrom CSV ({}): {} overcharged trades, {} never settled",
        profile.name(),
        again.summary.class(Class::FeeAbove).ledger_rows,
        again.summary.class(Class::NeverSettled).ledger_rows
    );
    Ok(())
}

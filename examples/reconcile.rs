//! Reconciles a merchant's trades against the acquirer's settlement statement.
//!
//! ```text
//! # a generated sample month for one merchant, with a few faults of every kind
//! cargo run --release --example reconcile
//! # your own files
//! cargo run --release --example reconcile -- --ledger ledger.csv --statement settle.csv \
//!     --format bank --preset sft-traditional --merchant-no 102310058120001 --settlement T1
//! ```
//!
//! Prints the summary table and writes the full report (every input row with its class and
//! reason) as JSON and CSV to the files it names. Exits with status 2 and a one-line
//! message (with the error code) on bad input.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use posfee::reconcile::simulation::{generate, SimulationOptions};
use posfee::reconcile::{
    read_alipay_csv, read_bank_csv, read_ledger_csv, read_wechat_bill, reconcile, write_bank_csv, write_ledger_csv, ColumnMap, Ledger,
    MerchantProfile, ReconcileOptions, Report, Statement,
};
use posfee::{CalendarPolicy, Error, ErrorKind, Schedule, SettlementMode};

/// Reconcile a ledger against an acquirer statement: every trade settled, on time, with the
/// contracted fee, under the merchant's own number?
#[derive(Parser)]
#[command(name = "reconcile")]
struct Arguments {
    /// The ledger: a CSV in the canonical schema (trade_id, rrn, trace, terminal,
    /// merchant_no, time, amount, channel, card_type, kind, response_code, original_rrn).
    /// Without it, a sample month is generated.
    #[arg(long, requires = "statement")]
    ledger: Option<PathBuf>,
    /// The statement file.
    #[arg(long, requires = "ledger")]
    statement: Option<PathBuf>,
    /// The statement format: bank (UnionPay POS settlement CSV), wechat, alipay.
    #[arg(long, default_value = "bank")]
    format: String,
    /// A preset schedule name.
    #[arg(long, conflicts_with = "schedule", default_value = "sft-traditional")]
    preset: String,
    /// A schedule file (.toml or .json) instead of a preset.
    #[arg(long)]
    schedule: Option<PathBuf>,
    /// The registered merchant number (15 digits, MCC inside).
    #[arg(long, default_value = posfee::reconcile::simulation::MERCHANT_NO)]
    merchant_no: String,
    /// The registered merchant name.
    #[arg(long, default_value = "")]
    merchant_name: String,
    /// A registered terminal id (repeat for several; none: any terminal is accepted).
    #[arg(long = "terminal")]
    terminals: Vec<String>,
    /// The merchant class for class-specific rules (discounted, waived).
    #[arg(long)]
    merchant_class: Option<String>,
    /// The contracted settlement mode (T1, D0, S0, ...).
    #[arg(long, default_value = "T1")]
    settlement: String,
    /// Fallback matching window in seconds (rows without a reference number).
    #[arg(long, default_value_t = 120)]
    window: i64,
    /// For years without holiday data, count weekdays.
    #[arg(long)]
    provisional_calendar: bool,
    /// Sample: the seed.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Sample: trades in the month.
    #[arg(long, default_value_t = 5_000)]
    trades: usize,
    /// Sample: also write the generated ledger (ledger.csv, canonical schema), statement
    /// (statement.csv, bank format) and the due date of every trade day (due_dates.csv) to
    /// this directory (for benches/polars_baseline.py).
    #[arg(long)]
    export_sample: Option<PathBuf>,
    /// Where to write the report (.json; the CSV goes beside it).
    #[arg(long, default_value = "target/reconcile-report.json")]
    out: PathBuf,
    /// Print the summary only; do not write the report files.
    #[arg(long)]
    no_report: bool,
}

/// A tiny progress bar on stderr, shown only when the run is long.
struct Progress {
    started: Instant,
    shown: bool,
    stages: usize,
}

impl Progress {
    fn new(stages: usize, long: bool) -> Progress {
        Progress { started: Instant::now(), shown: long, stages }
    }

    fn stage(&mut self, done: usize, label: &str) {
        if !self.shown && self.started.elapsed().as_millis() < 500 {
            return;
        }
        self.shown = true;
        let width = 30;
        let filled = width * done / self.stages.max(1);
        eprint!(
            "\r[{}{}] {done}/{} {label:<28} {:>6.1}s",
            "#".repeat(filled),
            "-".repeat(width - filled),
            self.stages,
            self.started.elapsed().as_secs_f64()
        );
        let _ = std::io::stderr().flush();
        if done == self.stages {
            eprintln!();
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {}: {e}", path.display())))
}

struct Loaded {
    ledger: Ledger,
    statement: Statement,
    options: ReconcileOptions,
    title: String,
}

fn load(arguments: &Arguments, progress: &mut Progress) -> Result<Loaded, Error> {
    let Some(ledger_path) = &arguments.ledger else {
        progress.stage(0, "generating a sample month");
        let sample =
            generate(&SimulationOptions::new(arguments.seed).trades(arguments.trades).faults_per_class((arguments.trades / 1_500).max(3)))?;
        let title = format!(
            "sample month: {} ledger rows, {} statement rows (seed {}, merchant {} {}, preset {})",
            sample.ledger.len(),
            sample.statement.len(),
            arguments.seed,
            sample.options.profile.merchant_no.as_str(),
            sample.options.profile.name,
            sample.options.schedule.name()
        );
        if let Some(directory) = &arguments.export_sample {
            export_sample(directory, &sample.ledger, &sample.statement, &sample.options)?;
        }
        let options = sample.options.match_window_seconds(arguments.window);
        return Ok(Loaded { ledger: sample.ledger, statement: sample.statement, options, title });
    };
    let statement_path =
        arguments.statement.as_ref().ok_or_else(|| Error::new(ErrorKind::InvalidRequest, "--statement is required with --ledger"))?;
    progress.stage(0, "reading the files");
    let started = Instant::now();
    // The statement file is read from disk while the ledger is parsed.
    let (ledger, bytes) = std::thread::scope(|scope| {
        let statement_bytes = scope.spawn(|| read(statement_path));
        let ledger = read_ledger_csv(&read(ledger_path)?, &ledger_path.display().to_string());
        let bytes = statement_bytes.join().unwrap_or_else(|_| Err(Error::new(ErrorKind::Io, "the file reader stopped")));
        Ok::<_, Error>((ledger?, bytes?))
    })?;
    let name = statement_path.display().to_string();
    let statement = match arguments.format.as_str() {
        "bank" | "unionpay" | "csv" => read_bank_csv(&bytes, &name, &ColumnMap::default())?,
        "wechat" => read_wechat_bill(&bytes, &name)?,
        "alipay" => read_alipay_csv(&bytes, &name)?,
        other => return Err(Error::new(ErrorKind::InvalidRequest, format!("--format {other:?} is not bank, wechat or alipay"))),
    };
    drop(bytes);
    let read_seconds = started.elapsed().as_secs_f64();
    let schedule = match &arguments.schedule {
        Some(path) => Schedule::from_file(path)?,
        None => Schedule::preset(&arguments.preset)?,
    };
    let mut profile = MerchantProfile::new(&arguments.merchant_no, arguments.merchant_name.clone())?
        .settlement(SettlementMode::parse(&arguments.settlement)?);
    profile = profile.terminals(arguments.terminals.iter().cloned());
    if let Some(class) = &arguments.merchant_class {
        profile = profile.merchant_class(class.clone());
    }
    let mut options = ReconcileOptions::new(schedule, profile).match_window_seconds(arguments.window);
    if arguments.provisional_calendar {
        options = options.calendar_policy(CalendarPolicy::WeekendsOnly);
    }
    let title =
        format!("{}: {} rows; {}: {} rows; read in {read_seconds:.3} s", ledger.name(), ledger.len(), statement.name(), statement.len());
    Ok(Loaded { ledger, statement, options, title })
}

/// Writes the sample's files, and the due date of every trade day around the month (what a
/// column-oriented baseline needs to check settlement dates without a holiday calendar).
fn export_sample(directory: &Path, ledger: &Ledger, statement: &Statement, options: &ReconcileOptions) -> Result<(), Error> {
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("cannot write to {}: {e}", directory.display()));
    std::fs::create_dir_all(directory).map_err(io)?;
    std::fs::write(directory.join("ledger.csv"), write_ledger_csv(ledger)).map_err(io)?;
    std::fs::write(directory.join("statement.csv"), write_bank_csv(statement)).map_err(io)?;
    let mut due = String::from("trade_day,due_date\n");
    let first = posfee::parse_date("2026-02-20")?;
    for offset in 0..80 {
        let day = first + chrono::Days::new(offset);
        let date = options.profile.settlement.settles_on(day, day, posfee::Calendar::china())?;
        due.push_str(&format!("{day},{date}\n"));
    }
    std::fs::write(directory.join("due_dates.csv"), due).map_err(io)?;
    Ok(())
}

fn write_report(report: &Report, ledger: &Ledger, statement: &Statement, out: &Path) -> Result<PathBuf, Error> {
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("cannot write {}: {e}", out.display()));
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(out, report.to_json()).map_err(io)?;
    let csv = out.with_extension("csv");
    std::fs::write(&csv, report.to_csv(ledger, statement)).map_err(io)?;
    Ok(csv)
}

fn run(arguments: &Arguments) -> Result<(), Error> {
    let long = arguments.ledger.is_none() && arguments.trades >= 200_000;
    let mut progress = Progress::new(3, long);
    let Loaded { ledger, statement, options, title } = load(arguments, &mut progress)?;
    progress.stage(1, "matching and checking");
    let started = Instant::now();
    let report = reconcile(&ledger, &statement, &options)?;
    let elapsed = started.elapsed();
    progress.stage(2, "writing the report");
    let csv = if arguments.no_report { None } else { Some(write_report(&report, &ledger, &statement, &arguments.out)?) };
    progress.stage(3, "done");

    println!("{title}");
    println!(
        "tables in memory: {:.1} MiB (ledger {:.1} MiB, statement {:.1} MiB)",
        (ledger.heap_bytes() + statement.heap_bytes()) as f64 / 1_048_576.0,
        ledger.heap_bytes() as f64 / 1_048_576.0,
        statement.heap_bytes() as f64 / 1_048_576.0
    );
    println!(
        "reconciled in {:.3} s ({:.0} rows/s)\n",
        elapsed.as_secs_f64(),
        (ledger.len() + statement.len()) as f64 / elapsed.as_secs_f64().max(1e-9)
    );
    print!("{}", report.summary.table());
    let problems: Vec<_> = report.rows().filter(|r| r.class.is_problem()).take(12).collect();
    if !problems.is_empty() {
        println!("\nfirst discrepancies:");
        for row in problems {
            println!("  {:<9} line {:>7}  {:<18} {}", row.side.name(), row.line, row.class.name(), row.reason);
        }
    }
    if let Some(csv) = csv {
        println!("\nfull report: {} and {}", arguments.out.display(), csv.display());
    }
    Ok(())
}

fn main() {
    let arguments = Arguments::parse();
    if let Err(error) = run(&arguments) {
        eprintln!("error [{}]: {error}", error.code());
        std::process::exit(2);
    }
}

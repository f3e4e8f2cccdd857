//! `posfee reconcile` (a ledger against a statement) and `posfee demo` (the sample month).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use posfee::reconcile::simulation::{generate, SimulationOptions};
use posfee::reconcile::{
    parse_match_window, reconcile, reconcile_shared, write_bank_csv, write_ledger_csv, DisputeFormat, Ledger, MerchantProfile,
    ReconcileOptions, Registry, Report, Statement,
};
use posfee::{CalendarPolicy, SettlementMode};

use crate::failure::Failure;
use crate::inputs::{self, OnInvalid, HOLIDAYS_HELP};
use crate::output;
use crate::progress::{Progress, LONG_RUN_ROWS};

const RECONCILE_HELP: &str = "\
Prints the summary table (counts and sums per class, fees charged against the contract); \
--out writes every input row with its class and reason (CSV, or the full report as JSON for \
a .json name). The ledger is a CSV in the canonical schema (trade_id, rrn, trace, terminal, \
merchant_no, time, amount, channel, card_type, kind, response_code, original_rrn); \
.parquet/.arrow inputs are read by the Python package, not by the command line.";

/// Matches a ledger against an acquirer statement and checks every pair: settled, on time,
/// with the contracted fee, under the merchant's own number.
#[derive(clap::Args)]
#[command(after_help = RECONCILE_HELP)]
pub struct Arguments {
    /// The merchant's ledger (canonical ledger CSV).
    ledger: PathBuf,
    /// The acquirer's statement (any format of `posfee formats`).
    statement: PathBuf,
    /// The contract: a preset name or a schedule file (.toml or .json).
    #[arg(long, value_name = "PRESET|FILE", required_unless_present = "merchants", conflicts_with = "merchants")]
    schedule: Option<String>,
    /// The registered 15-digit merchant number (MCC inside).
    #[arg(long, value_name = "NUMBER", visible_alias = "merchant", required_unless_present = "merchants", conflicts_with = "merchants")]
    merchant_no: Option<String>,
    /// A service agent's portfolio: the merchant registry CSV (merchant_no, name, schedule,
    /// settlement, merchant_class, agent, terminals, from, until, limits); every row is checked
    /// against its merchant's contract in force on its trade date, and each merchant's declines
    /// 61/65 against its own limits (a preset or a limits .toml file in the limits column).
    /// Replaces --schedule, --merchant-no, --limits and the other contract flags.
    #[arg(long, value_name = "MERCHANTS.csv")]
    merchants: Option<PathBuf>,
    /// The registered merchant name.
    #[arg(long, value_name = "NAME", default_value = "")]
    merchant_name: String,
    /// A registered terminal id (repeat for several; none: any terminal is accepted).
    #[arg(long = "terminal", value_name = "ID")]
    terminals: Vec<String>,
    /// The contracted settlement mode: T1, T0, D0, D1, S0, ...
    #[arg(long, default_value = "T1")]
    settlement: String,
    /// The merchant's class in the contract, e.g. discounted.
    #[arg(long, value_name = "CLASS")]
    merchant_class: Option<String>,
    /// The merchant's registered limits and business hours: a preset (personal-micro-merchant,
    /// personal-static-code) or a limits .toml file. Declines 61/65 then name the limit reached,
    /// and the summary lists the days within 10% of a limit.
    #[arg(long, value_name = "PRESET|FILE", conflicts_with = "merchants")]
    limits: Option<String>,
    /// Settlement dates in a year without holiday data: weekends only.
    #[arg(long)]
    provisional: bool,
    #[arg(long, value_name = "FILE", help = HOLIDAYS_HELP)]
    holidays: Option<PathBuf>,
    /// The statement's format: auto, a name from `posfee formats` (or bank, wechat, alipay), or a .toml format profile.
    #[arg(long, value_name = "auto|NAME|PROFILE.toml", default_value = "auto")]
    format: String,
    /// A line that cannot be read: stop with its error (raise) or keep it as an unreadable row of the report (report).
    #[arg(long, value_enum, default_value = "raise")]
    on_invalid: OnInvalid,
    /// How far apart in time trades without a reference number may match (0 to 604800).
    #[arg(long, value_name = "SECONDS", default_value = "120", allow_negative_numbers = true, value_parser = integer)]
    window: String,
    /// Write every row of the report here: CSV, or the full report as JSON for a .json name.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write the dispute list (each finding's trades, then other overcharges) here: a
    /// printable HTML page, or CSV for a .csv name.
    #[arg(long, value_name = "FILE")]
    dispute: Option<PathBuf>,
    /// One language for the summary, the findings, the rows' reasons (in --out) and the
    /// dispute list: zh or en. Without it, the summary and reasons are in English and the
    /// dispute list, which goes to the acquirer, in Chinese.
    #[arg(long, value_name = "zh|en")]
    lang: Option<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// Print one JSON line on stderr with the seconds spent reading both files, reconciling
    /// and writing --out (for benchmarks: scripts/bench-reconcile.sh).
    #[arg(long)]
    timings: bool,
}

/// A whole number as text (its range is checked with the other values, as the core does).
fn integer(text: &str) -> Result<String, String> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(text.to_string())
    } else {
        Err(format!("{text:?} is not a whole number of seconds"))
    }
}

pub fn run(arguments: Arguments, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(path) = &arguments.out {
        output::check_text_output(path, true)?;
        output::check_writable(path)?;
    }
    let lang = arguments.lang.as_deref().map(posfee::Lang::parse).transpose()?;
    if let Some(path) = &arguments.dispute {
        DisputeFormat::for_path(path)?;
        output::check_writable(path)?;
    }
    let calendar = inputs::calendar(arguments.holidays.as_ref())?;
    let options = match (&arguments.merchants, &arguments.schedule, &arguments.merchant_no) {
        (Some(path), _, _) => ReconcileOptions::portfolio(Registry::read_csv(path)?)?,
        (None, Some(schedule), Some(merchant_no)) => {
            let mut profile = MerchantProfile::new(merchant_no, arguments.merchant_name.clone())?
                .terminals(arguments.terminals.iter().cloned())
                .settlement(SettlementMode::parse(&arguments.settlement)?);
            if let Some(class) = &arguments.merchant_class {
                profile = profile.merchant_class(class.clone());
            }
            if let Some(limits) = &arguments.limits {
                profile = profile.limits(posfee::MerchantLimits::load(limits)?);
            }
            let options = ReconcileOptions::new(inputs::schedule(schedule)?, profile);
            options.schedule.check_merchant_class(options.profile.merchant_class.as_deref())?;
            options
        }
        _ => return Err(Failure::request("reconcile needs --schedule and --merchant-no, or --merchants".to_string())),
    };
    let mut options = options.match_window_seconds(parse_match_window(&arguments.window)?).calendar(calendar);
    options.lang = lang.unwrap_or(posfee::Lang::En);
    options = options.calendar_policy(CalendarPolicy::provisional(arguments.provisional));

    let size = |path: &Path| std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let long = size(&arguments.ledger) + size(&arguments.statement) >= 16 << 20;
    let progress = Progress::new(3, "steps", long);
    progress.stage(0, "reading the files");
    let started = Instant::now();
    // The statement is read on a second thread while the ledger is parsed.
    let (ledger, statement) = std::thread::scope(|scope| {
        let statement = scope.spawn(|| crate::read::statement(&arguments.statement, &arguments.format));
        let ledger = inputs::ledger(&arguments.ledger);
        let statement = statement.join().unwrap_or_else(|payload| std::panic::resume_unwind(payload));
        (ledger, statement)
    });
    let (ledger, (statement, _profile)) = (ledger?, statement?);
    posfee::reconcile::ReadIssue::raise_first(arguments.on_invalid.into(), ledger.issues())?;
    posfee::reconcile::ReadIssue::raise_first(arguments.on_invalid.into(), statement.issues())?;
    progress.stage(1, "matching and checking");
    let read = started.elapsed();
    // Shared with the report, which shows their lines and amounts without copies.
    let (ledger, statement) = (Arc::new(ledger), Arc::new(statement));
    let report = reconcile_shared(Arc::clone(&ledger), Arc::clone(&statement), &options)?;
    let reconciled = started.elapsed();
    progress.stage(2, "writing the report");
    if let Some(path) = &arguments.out {
        write_report(&report, &ledger, &statement, path)?;
    }
    if let Some(path) = &arguments.dispute {
        let dispute = report.dispute(&statement, &options.profile);
        output::write_file(path, dispute.render(DisputeFormat::for_path(path)?, lang.unwrap_or(posfee::Lang::Zh)).as_bytes())?;
    }
    progress.finish();
    if arguments.timings {
        // On stderr, so that stdout stays the same with and without the flag.
        let seconds = |d: std::time::Duration| (d.as_secs_f64() * 1e6).round() / 1e6;
        let timings = serde_json::json!({
            "read_seconds": seconds(read),
            "reconcile_seconds": seconds(reconciled - read),
            "write_seconds": seconds(started.elapsed() - reconciled),
        });
        eprintln!("{timings}");
    }
    if arguments.json {
        return output::print_json(out, &report.summary);
    }
    let mut text = report.summary.table_in(options.lang);
    if let Some(path) = &arguments.out {
        text.push_str(&format!("\n{} rows written to {}\n", report.len(), path.display()));
    }
    if let Some(path) = &arguments.dispute {
        text.push_str(&format!("dispute list written to {}\n", path.display()));
    }
    output::print(out, &text)
}

/// Writes the report: the full JSON for a `.json` name, otherwise the rows as CSV.
fn write_report(report: &Report, ledger: &Ledger, statement: &Statement, path: &Path) -> Result<(), Failure> {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        return output::write_file(path, report.to_json().as_bytes());
    }
    output::write_file_with(path, |out| report.write_csv(ledger, statement, out))
}

/// Reconciles a generated sample month for one merchant (faults of every kind injected),
/// prints the summary and writes the full report.
#[derive(clap::Args)]
pub struct DemoArguments {
    /// The seed: the same seed gives the same month.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Trades in the month.
    #[arg(long, default_value_t = 5_000)]
    trades: usize,
    /// Faults injected per class (default: one per 1,500 trades, at least 3).
    #[arg(long, value_name = "N")]
    faults_per_class: Option<usize>,
    /// Where to write the report as JSON; the CSV goes beside it (.csv).
    #[arg(long, value_name = "FILE", default_value = "target/reconcile-report.json")]
    out: PathBuf,
    /// Print the summary only; write no report files.
    #[arg(long)]
    no_report: bool,
    /// Also write the generated ledger (ledger.csv), statement (statement.csv, bank format) and
    /// the due date of every trade day (due_dates.csv) to this folder, for `posfee reconcile`
    /// and the reconciliation benchmark (scripts/bench-reconcile.sh, benches/).
    #[arg(long, value_name = "DIR")]
    export_sample: Option<PathBuf>,
    /// Print the summary as JSON (no timings).
    #[arg(long)]
    json: bool,
    /// A service agent's sample instead: N merchants on four presets, signed by two city
    /// agents under a province agent, with 跳码 between them and rows of unregistered
    /// terminals; --trades is then the total over all merchants. Prints the portfolio's
    /// summary and the agents' margins; --export-sample also writes merchants.csv, agents.csv and
    /// the agents' cost schedules (costs/*.toml).
    #[arg(long, value_name = "N")]
    portfolio: Option<usize>,
    /// The language of the summary, findings and reasons: en or zh.
    #[arg(long, value_name = "en|zh", default_value = "en")]
    lang: String,
}

/// The portfolio demo: a generated agent's month reconciled in one call, and its margins.
fn demo_portfolio(arguments: &DemoArguments, merchants: usize, out: &mut dyn Write) -> Result<(), Failure> {
    use posfee::reconcile::simulation::{generate_portfolio, PortfolioOptions};
    let mut options =
        PortfolioOptions::new(arguments.seed).merchants(merchants).trades_per_merchant((arguments.trades / merchants.max(1)).max(50));
    options.faults_per_class = arguments.faults_per_class.unwrap_or(1);
    let portfolio = generate_portfolio(&options)?;
    if let Some(directory) = &arguments.export_sample {
        std::fs::create_dir_all(directory).map_err(|e| Failure::io(format!("cannot create {}: {e}", directory.display())))?;
        output::write_file(&directory.join("ledger.csv"), write_ledger_csv(&portfolio.ledger).as_bytes())?;
        output::write_file(&directory.join("statement.csv"), write_bank_csv(&portfolio.statement).as_bytes())?;
        output::write_file(&directory.join("merchants.csv"), portfolio.registry_csv.as_bytes())?;
        output::write_file(&directory.join("agents.csv"), portfolio.agents_csv.as_bytes())?;
        for (file, text) in &portfolio.cost_schedules {
            let path = directory.join(file);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Failure::io(format!("cannot create {}: {e}", parent.display())))?;
            }
            output::write_file(&path, text.as_bytes())?;
        }
    }
    let started = Instant::now();
    let report = reconcile(&portfolio.ledger, &portfolio.statement, &ReconcileOptions::portfolio(portfolio.registry.clone())?)?;
    let elapsed = started.elapsed();
    let margins = posfee::reconcile::margins(&portfolio.ledger, &portfolio.registry, &portfolio.agents, posfee::Calendar::china())?;
    if !arguments.no_report {
        let json_out = arguments.out.with_extension("json");
        if let Some(parent) = json_out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Failure::io(format!("cannot create {}: {e}", parent.display())))?;
        }
        output::write_file(&json_out, report.to_json().as_bytes())?;
        output::write_file_with(&arguments.out.with_extension("csv"), |out| {
            report.write_csv(&portfolio.ledger, &portfolio.statement, out)
        })?;
    }
    if arguments.json {
        return output::print_json(out, &report.summary);
    }
    let mut text = format!(
        "sample portfolio: {} merchants, {} ledger rows, {} statement rows (seed {}); reconciled in {:.3} s\n\n",
        portfolio.registry.merchants().len(),
        portfolio.ledger.len(),
        portfolio.statement.len(),
        arguments.seed,
        elapsed.as_secs_f64()
    );
    text.push_str(&report.summary.table_in(posfee::Lang::parse(&arguments.lang)?));
    text.push_str("\nagents' margins (分润):\n");
    text.push_str(&margins.table());
    if !arguments.no_report {
        text.push_str(&format!("\nfull report: {}\n", arguments.out.with_extension("json").display()));
    }
    output::print(out, &text)
}

pub fn demo(arguments: DemoArguments, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(merchants) = arguments.portfolio {
        return demo_portfolio(&arguments, merchants, out);
    }
    let lang = posfee::Lang::parse(&arguments.lang)?;
    let json_out = arguments.out.with_extension("json");
    let csv_out = arguments.out.with_extension("csv");
    let progress = Progress::new(3, "steps", arguments.trades as u64 >= LONG_RUN_ROWS);
    progress.stage(0, "generating a sample month");
    let faults = arguments.faults_per_class.unwrap_or((arguments.trades / 1_500).max(3));
    let sample = generate(&SimulationOptions::new(arguments.seed).trades(arguments.trades).faults_per_class(faults))?;
    if let Some(directory) = &arguments.export_sample {
        export_sample(directory, &sample.ledger, &sample.statement, &sample.options)?;
    }
    progress.stage(1, "matching and checking");
    let started = Instant::now();
    let mut report = reconcile(&sample.ledger, &sample.statement, &sample.options)?;
    let elapsed = started.elapsed();
    report.set_lang(lang);
    progress.stage(2, "writing the report");
    if !arguments.no_report {
        if let Some(parent) = json_out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Failure::io(format!("cannot create {}: {e}", parent.display())))?;
        }
        output::write_file(&json_out, report.to_json().as_bytes())?;
        output::write_file_with(&csv_out, |out| report.write_csv(&sample.ledger, &sample.statement, out))?;
    }
    progress.finish();
    if arguments.json {
        return output::print_json(out, &report.summary);
    }
    let (ledger, statement) = (&sample.ledger, &sample.statement);
    let mebibytes = |bytes: usize| bytes as f64 / 1_048_576.0;
    let mut text = format!(
        "sample month: {} ledger rows, {} statement rows (seed {}, merchant {} {}, preset {})\n",
        ledger.len(),
        statement.len(),
        arguments.seed,
        sample.options.profile.merchant_no.as_str(),
        sample.options.profile.name,
        sample.options.schedule.name()
    );
    text.push_str(&format!(
        "tables in memory: {:.1} MiB (ledger {:.1} MiB, statement {:.1} MiB)\n",
        mebibytes(ledger.heap_bytes() + statement.heap_bytes()),
        mebibytes(ledger.heap_bytes()),
        mebibytes(statement.heap_bytes())
    ));
    text.push_str(&format!(
        "reconciled in {:.3} s ({:.0} rows/s)\n\n",
        elapsed.as_secs_f64(),
        (ledger.len() + statement.len()) as f64 / elapsed.as_secs_f64().max(1e-9)
    ));
    text.push_str(&report.summary.table_in(lang));
    let problems: Vec<_> = report.rows().filter(|r| r.class.is_problem()).take(12).collect();
    if !problems.is_empty() {
        text.push_str("\nfirst discrepancies:\n");
        for row in problems {
            text.push_str(&format!("  {:<9} line {:>7}  {:<18} {}\n", row.side.name(), row.line, row.class.name(), row.reason));
        }
    }
    if !arguments.no_report {
        text.push_str(&format!("\nfull report: {} and {}\n", json_out.display(), csv_out.display()));
    }
    output::print(out, &text)
}

/// Writes the sample's files, and the due date of every trade day around the month (what a
/// column-oriented baseline needs to check settlement dates without a holiday calendar).
fn export_sample(directory: &Path, ledger: &Ledger, statement: &Statement, options: &ReconcileOptions) -> Result<(), Failure> {
    std::fs::create_dir_all(directory).map_err(|e| Failure::io(format!("cannot create {}: {e}", directory.display())))?;
    output::write_file(&directory.join("ledger.csv"), write_ledger_csv(ledger).as_bytes())?;
    output::write_file(&directory.join("statement.csv"), write_bank_csv(statement).as_bytes())?;
    let mut due = String::from("trade_day,due_date\n");
    let first = posfee::parse_date("2026-02-20")?;
    for day in first.iter_days().take(80) {
        let date = options.profile.settlement.settles_on(day, day, posfee::Calendar::china())?;
        due.push_str(&format!("{day},{date}\n"));
    }
    output::write_file(&directory.join("due_dates.csv"), due.as_bytes())?;
    Ok(())
}

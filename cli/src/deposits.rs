//! `posfee deposits`: did the statement's payouts reach the bank account (到账核对).

use std::io::Write;
use std::path::PathBuf;

use posfee::reconcile::deposits::{read_bank_file, reconcile_deposits, DepositClass, DepositOptions, DepositReport};
use posfee::Money;

use crate::failure::Failure;
use crate::inputs::{self, OnInvalid, HOLIDAYS_HELP};
use crate::output;

const DEPOSITS_HELP: &str = "\
Groups the statement's nets into payouts (by settlement date and merchant number) and matches \
them to the acquirer's credits on the bank statement: exactly by amount, posted 0 to --delay \
business days after the due day (China calendar), several payouts in one credit (merged), less \
than the net (short, with the acquirer's deduction line when the bank shows one). Prints the \
counts per class and every finding in plain words; --out writes every payout and bank row \
(CSV, or the full report as JSON for a .json name). The acquirer's rows are the ones naming \
拉卡拉, 盛付通, 银联商务, 通联, 嘉联, 乐刷 or a WeChat/Alipay withdrawal; --acquirer adds more.";

/// Checks that the acquirer statement's payouts reached the merchant's bank account: the
/// bank statement is a CSV export of the account (--bank-format names the banks read).
#[derive(clap::Args)]
#[command(after_help = DEPOSITS_HELP)]
pub struct Arguments {
    /// The acquirer's statement (any format of `posfee formats`).
    statement: PathBuf,
    /// The merchant's bank account statement (a CSV export).
    bank: PathBuf,
    /// The statement's format: auto, a name from `posfee formats`, or a .toml format profile.
    #[arg(long, value_name = "auto|NAME|PROFILE.toml", default_value = "auto")]
    format: String,
    /// The bank statement's format: auto, icbc-debit, cmb-debit, ccb-debit, abc-debit, boc-debit, or a .toml bank profile.
    #[arg(long, value_name = "auto|NAME|PROFILE.toml", default_value = "auto")]
    bank_format: String,
    /// The latest a payout may be posted, in business days after its due day (0 to 20).
    #[arg(long, value_name = "DAYS", default_value_t = 2, allow_negative_numbers = true)]
    delay: i64,
    /// Business days after the due day that still count as on time.
    #[arg(long, value_name = "DAYS", default_value_t = 0, allow_negative_numbers = true)]
    on_time: i64,
    /// The largest shortfall read as a short deposit (yuan).
    #[arg(long, value_name = "YUAN", default_value = "500")]
    short_max: String,
    /// A text that marks the acquirer's bank rows: a name, an account number, a memo (repeat for several; `*` stands for any text).
    #[arg(long = "acquirer", value_name = "TEXT")]
    acquirers: Vec<String>,
    /// One payout per settlement date, whatever the merchant numbers (for an acquirer that pays them in one sum).
    #[arg(long)]
    no_merchant_grouping: bool,
    /// One payout per settlement date and merchant number, whatever the batch numbers (批次号; for an acquirer that pays a day's batches in one sum).
    #[arg(long)]
    no_batch_grouping: bool,
    /// The last day the bank statement covers (default: its latest row).
    #[arg(long, value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// The first day the bank statement covers (default: its earliest row).
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    #[arg(long, value_name = "FILE", help = HOLIDAYS_HELP)]
    holidays: Option<PathBuf>,
    /// The language of the findings: en or zh.
    #[arg(long, value_name = "en|zh", default_value = "en")]
    lang: String,
    /// A line that cannot be read: stop with its error (raise) or keep it as an unreadable row of the report (report).
    #[arg(long, value_enum, default_value = "raise")]
    on_invalid: OnInvalid,
    /// Write every payout and bank row here: CSV, or the full report as JSON for a .json name.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Print the full report as JSON.
    #[arg(long)]
    json: bool,
}

fn date(text: &Option<String>, field: &str) -> Result<Option<chrono::NaiveDate>, Failure> {
    match text {
        None => Ok(None),
        Some(text) => Ok(Some(posfee::parse_date(text).map_err(|e| e.in_field(field.to_string()))?)),
    }
}

pub fn run(arguments: Arguments, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(path) = &arguments.out {
        output::check_text_output(path, true)?;
        output::check_writable(path)?;
    }
    let lang = posfee::Lang::parse(&arguments.lang)?;
    let mut options =
        DepositOptions::new().calendar(inputs::calendar(arguments.holidays.as_ref())?).delay_max_business_days(arguments.delay);
    options.on_time_business_days = arguments.on_time;
    options.short_difference_max = Money::parse(&arguments.short_max).map_err(|e| e.in_field("short_difference_max"))?;
    options.acquirer_texts.extend(arguments.acquirers.iter().cloned());
    options.group_by_merchant = !arguments.no_merchant_grouping;
    options.group_by_batch = !arguments.no_batch_grouping;
    options.as_of = date(&arguments.as_of, "as_of")?;
    options.covered_from = date(&arguments.from, "covered_from")?;

    let (statement, _) = crate::read::statement(&arguments.statement, &arguments.format)?;
    posfee::reconcile::ReadIssue::raise_first(arguments.on_invalid.into(), statement.issues())?;
    let bank = read_bank_file(&arguments.bank, &arguments.bank_format)?;
    posfee::reconcile::deposits::BankIssue::raise_first(arguments.on_invalid.into(), bank.issues())?;
    let report = reconcile_deposits(&statement, &bank, &options)?;
    if let Some(path) = &arguments.out {
        let json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let text = if json { report.to_json() } else { report.to_csv() };
        output::write_file(path, text.as_bytes())?;
    }
    if arguments.json {
        return output::print(out, &format!("{}\n", report.to_json()));
    }
    let mut text = summary_table(&report);
    if !report.findings.is_empty() {
        text.push_str("\nfindings:\n");
        for finding in &report.findings {
            text.push_str(&format!("  [{}] {}\n", finding.class.name(), finding.text(lang)));
        }
    }
    for warning in &report.summary.warnings {
        text.push_str(&format!("\nnote: {warning}\n"));
    }
    if let Some(path) = &arguments.out {
        text.push_str(&format!(
            "\n{} rows written to {}\n",
            report.payouts.len() + report.bank.len() + report.deductions.len() + report.unreadable.len(),
            path.display()
        ));
    }
    output::print(out, &text)
}

/// Counts and sums per class, then the totals.
fn summary_table(report: &DepositReport) -> String {
    let summary = &report.summary;
    let period = match (summary.covered_from, summary.as_of) {
        (Some(from), Some(to)) => format!("{from} to {to}"),
        _ => "no rows".to_string(),
    };
    let mut text = format!(
        "{} payouts of ¥{} expected; bank statement {period}: {} rows, {} from the acquirer (¥{})\n\n",
        summary.payouts, summary.expected, summary.bank_rows, summary.acquirer_rows, summary.acquirer_amount
    );
    let rows: Vec<Vec<String>> = DepositClass::ALL
        .iter()
        .map(|&class| summary.class(class))
        .filter(|t| t.payouts > 0 || t.bank_rows > 0)
        .map(|t| {
            vec![
                t.class.map(DepositClass::name).unwrap_or_default().to_string(),
                t.payouts.to_string(),
                t.expected.to_string(),
                t.difference.to_string(),
                t.bank_rows.to_string(),
                t.bank_amount.to_string(),
            ]
        })
        .collect();
    text.push_str(&output::table(Some(&["class", "payouts", "expected", "not arrived", "bank rows", "bank amount"]), &rows));
    text.push_str(&format!("\nnot arrived: ¥{}\n", summary.not_arrived));
    if summary.statement_deductions > 0 {
        text.push_str(&format!(
            "deduction lines on the statement (流量费, 服务费): {}, {} of them explaining a short deposit\n",
            summary.statement_deductions, summary.statement_deductions_explaining
        ));
    }
    text
}

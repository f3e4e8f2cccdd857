//! `posfee read`: a statement file in any known format to the canonical statement CSV.

use std::io::Write;
use std::path::PathBuf;

use posfee::reconcile::{read_statement_file, write_bank_csv, Profile, ReadOptions, Statement};

use crate::failure::Failure;
use crate::inputs::{self, OnInvalid};
use crate::output;

const READ_HELP: &str = "\
The canonical CSV is the bank-pos layout posfee writes (settlement_date, merchant_no, \
merchant_name, terminal, rrn, time, amount, fee, net, channel, kind, ...), which `posfee \
reconcile --format bank` reads back. Only CSV is written: .parquet/.arrow output is not \
offered on the command line (the Python package's read_statement returns an Arrow table).";

/// Reads an acquirer statement (bank POS CSV, WeChat Pay and Alipay bills, and the other
/// formats of `posfee formats`) and writes its rows as canonical CSV.
#[derive(clap::Args)]
#[command(after_help = READ_HELP)]
pub struct Arguments {
    /// The statement file.
    file: PathBuf,
    /// auto (the first format that fits the file), a name from `posfee formats` (or bank, wechat, alipay), or a .toml format profile.
    #[arg(long, value_name = "auto|NAME|PROFILE.toml", default_value = "auto")]
    format: String,
    /// Where to write the canonical CSV (`-`: stdout, without the summary).
    #[arg(long, value_name = "CSV")]
    out: PathBuf,
    /// A line that cannot be read: stop with its error (raise) or list it in the summary and go on (report).
    #[arg(long, value_enum, default_value = "raise")]
    on_invalid: OnInvalid,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// Reads a statement file with the profile `format` names (the core's `Profile::resolve`),
/// the profile's errors naming the file.
pub fn statement(path: &std::path::Path, format: &str) -> Result<(Statement, Profile), Failure> {
    // The file is read in blocks (never whole): its start chooses the profile (all of it
    // for an Excel workbook).
    output::read_head(path, 0)?; // a missing file is the command line's input error
    let profile = Profile::resolve_file(format, path)?;
    let statement = read_statement_file(path, &profile, ReadOptions::default())?;
    Ok((statement, profile))
}

pub fn run(arguments: Arguments, out: &mut dyn Write) -> Result<(), Failure> {
    let to_stdout = arguments.out.as_os_str() == "-";
    if to_stdout && matches!(arguments.on_invalid, inputs::OnInvalid::Report) {
        // Standard output holds the rows; the unreadable lines would have nowhere to go.
        return Err(Failure::usage(
            "--on-invalid report lists the unreadable lines after writing the rows: it needs --out FILE, not --out -",
        ));
    }
    if !to_stdout {
        output::check_text_output(&arguments.out, false)?;
        output::check_writable(&arguments.out)?;
    }
    let (statement, profile) = statement(&arguments.file, &arguments.format)?;
    inputs::raise_first_issue(arguments.on_invalid, statement.issues())?;
    let csv = write_bank_csv(&statement);
    if to_stdout {
        return output::print(out, &csv);
    }
    output::write_file(&arguments.out, csv.as_bytes())?;
    let issues: Vec<String> = statement.issues().iter().map(|issue| crate::failure::one_line(&issue.error.to_string())).collect();
    if arguments.json {
        let summary = serde_json::json!({
            "file": arguments.file.display().to_string(),
            "format": profile.name(),
            "title": profile.title(),
            "rows": statement.len(),
            "skipped_rows": statement.skipped_rows(),
            "unreadable_lines": issues,
            "out": arguments.out.display().to_string(),
        });
        return output::print_json(out, &summary);
    }
    let mut text = format!(
        "{}: {} rows read as {} ({}), written to {}\n",
        arguments.file.display(),
        statement.len(),
        profile.name(),
        profile.title(),
        arguments.out.display()
    );
    if statement.skipped_rows() > 0 {
        text.push_str(&format!("{} row(s) skipped by the format's rules (not the merchant's trades)\n", statement.skipped_rows()));
    }
    if !issues.is_empty() {
        text.push_str(&format!("{} line(s) could not be read:\n", issues.len()));
        for issue in issues {
            text.push_str(&format!("  {issue}\n"));
        }
    }
    output::print(out, &text)
}

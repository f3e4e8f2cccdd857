//! `posfee read`: a statement file in any known format to the canonical statement (CSV,
//! Parquet or an Arrow IPC file).

use std::io::Write;
use std::path::PathBuf;

use posfee::reconcile::arrow::statement_to_arrow;
use posfee::reconcile::{read_statement_file, write_bank_csv, Profile, ReadOptions, Statement};

use crate::columnar::{self, Columnar};
use crate::failure::Failure;
use crate::inputs::{self, OnInvalid};
use crate::output;

const READ_HELP: &str = "\
The canonical CSV is the bank-pos layout posfee writes (清算日期, 商户号, 商户名称, 终端号, \
交易日期, 交易时间, 交易金额, 手续费, 结算金额, 参考号, 卡类别, 交易类型), which `posfee \
reconcile --format bank` reads back. --out x.parquet (or x.arrow, an Arrow IPC file) writes \
the canonical statement columns instead (settlement_date, merchant_no, merchant_name, \
terminal, batch, rrn, time, amount, fee, net, channel, kind, line: money as exact decimals, \
times as timestamps at +08:00), which every posfee command also reads as a statement.";

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
    /// Where to write the canonical statement: a .csv (`-`: stdout, without the summary), .parquet or .arrow file.
    #[arg(long, value_name = "CSV|PARQUET|ARROW")]
    out: PathBuf,
    /// A line that cannot be read: stop with its error (raise) or list it in the summary and go on (report).
    #[arg(long, value_enum, default_value = "raise")]
    on_invalid: OnInvalid,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// Where a statement came from: the profile that read its file, or a columnar file of the
/// canonical columns.
pub enum Source {
    /// Read by this format profile.
    Profile(Box<Profile>),
    /// A Parquet or Arrow IPC file.
    Columnar(Columnar),
}

impl Source {
    /// The format's name and title, for the summary.
    fn describe(&self) -> (&str, &str) {
        match self {
            Source::Profile(profile) => (profile.name(), profile.title()),
            Source::Columnar(Columnar::Parquet) => ("parquet", "canonical statement columns (Parquet)"),
            Source::Columnar(Columnar::Ipc) => ("arrow", "canonical statement columns (Arrow IPC file)"),
        }
    }
}

/// Reads a statement file with the profile `format` names (the core's `Profile::resolve`),
/// the profile's errors naming the file; a `.parquet` or `.arrow` file holds the canonical
/// columns (read by the core's Arrow reader, whatever `format` says).
pub fn statement(path: &std::path::Path, format: &str) -> Result<(Statement, Source), Failure> {
    output::read_head(path, 0)?; // a missing file is the command line's input error
    if let Some(columnar) = Columnar::of(path) {
        return Ok((columnar::statement(path, columnar)?, Source::Columnar(columnar)));
    }
    // The file is read in blocks (never whole): its start chooses the profile (all of it
    // for an Excel workbook).
    let profile = Profile::resolve_file(format, path)?;
    let statement = read_statement_file(path, &profile, ReadOptions::default())?;
    Ok((statement, Source::Profile(Box::new(profile))))
}

pub fn run(arguments: Arguments, out: &mut dyn Write) -> Result<(), Failure> {
    let to_stdout = arguments.out.as_os_str() == "-";
    if to_stdout && matches!(arguments.on_invalid, inputs::OnInvalid::Report) {
        // Standard output holds the rows; the unreadable lines would have nowhere to go.
        return Err(Failure::usage(
            "--on-invalid report lists the unreadable lines after writing the rows: it needs --out FILE, not --out -",
        ));
    }
    let columnar = Columnar::of(&arguments.out);
    if !to_stdout {
        if columnar.is_none() {
            output::check_text_output(&arguments.out, false)?;
        }
        output::check_writable(&arguments.out)?;
    }
    let (statement, source) = statement(&arguments.file, &arguments.format)?;
    posfee::reconcile::ReadIssue::raise_first(arguments.on_invalid.into(), statement.issues())?;
    match columnar {
        Some(format) => columnar::write(&arguments.out, format, &statement_to_arrow(&statement))?,
        None if to_stdout => return output::print(out, &write_bank_csv(&statement)),
        None => output::write_file(&arguments.out, write_bank_csv(&statement).as_bytes())?,
    }
    let (name, title) = source.describe();
    let issues: Vec<String> = statement.issues().iter().map(|issue| crate::failure::one_line(&issue.error.to_string())).collect();
    if arguments.json {
        let summary = serde_json::json!({
            "file": arguments.file.display().to_string(),
            "format": name,
            "title": title,
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
        name,
        title,
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

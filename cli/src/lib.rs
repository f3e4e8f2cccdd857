//! The `posfee` command line: one tool for every surface.
//!
//! The binary (`cargo install --path cli`) and the Python package's `posfee` console script
//! (through the extension module) both call [`run`], so flags, output and errors are the
//! same byte for byte.
//!
//! ```text
//! posfee quote 5000 debit --at "2026-09-30 22:30" --schedule sft-traditional
//! posfee quote --file trades.csv --out priced.csv --schedule sft-traditional
//! posfee compare trades.csv --schedule sft-traditional --schedule sft-smart --schedule standard-d0@D0
//! posfee calendar 2026                      # a year: business days, holidays, make-up days
//! posfee calendar 2026-10-01 2026-10-31     # a range as CSV
//! posfee presets | posfee formats
//! posfee read statement.csv --format auto --out canonical.csv
//! posfee reconcile ledger.csv statement.csv --schedule sft-traditional --merchant-no 102310058120001 --out report.csv
//! posfee deposits statement.csv bank.csv --out deposits.csv   # did the payouts reach the bank account
//! posfee demo                               # the sample month
//! ```
//!
//! Exit status: 0 on success; 2 on bad input (a usage mistake, a bad value, a file that
//! cannot be read), with exactly one line on stderr, `posfee: error [code]: message`, where
//! `code` is the core's error code (`usage` for a command line the parser rejects); 1 on an
//! internal error (a bug), also one line, code `internal`.
#![forbid(unsafe_code)]

mod calendar;
mod columnar;
mod compare;
mod deposits;
mod failure;
mod inputs;
mod listing;
mod margins;
mod output;
mod progress;
mod quote;
mod read;
mod reconcile;
mod trades;

use std::ffi::OsString;
use std::io::Write;

use clap::{Parser, Subcommand};

pub use failure::Failure;

/// The exit status of bad input: a usage mistake, a bad value, a file that cannot be read.
pub const EXIT_BAD_INPUT: i32 = 2;
/// The exit status of an internal error (a bug in posfee).
pub const EXIT_INTERNAL: i32 = 1;

const ABOUT: &str = "Exact fees, settlement dates and reconciliation for China card and QR acquiring.";
const AFTER_HELP: &str = "Every command prints readable text by default and JSON with --json. \
Bad input exits with status 2 and one line on stderr, `posfee: error [code]: message` \
(code: the error's stable code, `usage` for a command line that cannot be parsed); \
an internal error (a bug) exits with 1.";

#[derive(Parser)]
#[command(name = "posfee", version, about = ABOUT, after_help = AFTER_HELP, subcommand_required = true, arg_required_else_help = false, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Quote(quote::Arguments),
    Compare(compare::Arguments),
    Calendar(calendar::Arguments),
    Presets(listing::PresetsArguments),
    Formats(listing::FormatsArguments),
    Read(read::Arguments),
    Reconcile(reconcile::Arguments),
    Deposits(deposits::Arguments),
    Margins(margins::Arguments),
    Demo(reconcile::DemoArguments),
}

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Command::Quote(_) => "quote",
            Command::Compare(_) => "compare",
            Command::Calendar(_) => "calendar",
            Command::Presets(_) => "presets",
            Command::Formats(_) => "formats",
            Command::Read(_) => "read",
            Command::Reconcile(_) => "reconcile",
            Command::Deposits(_) => "deposits",
            Command::Margins(_) => "margins",
            Command::Demo(_) => "demo",
        }
    }

    fn run(self, out: &mut dyn Write) -> Result<(), Failure> {
        match self {
            Command::Quote(arguments) => quote::run(arguments, out),
            Command::Compare(arguments) => compare::run(arguments, out),
            Command::Calendar(arguments) => calendar::run(arguments, out),
            Command::Presets(arguments) => listing::presets(arguments, out),
            Command::Formats(arguments) => listing::formats(arguments, out),
            Command::Read(arguments) => read::run(arguments, out),
            Command::Reconcile(arguments) => reconcile::run(arguments, out),
            Command::Deposits(arguments) => deposits::run(arguments, out),
            Command::Margins(arguments) => margins::run(arguments, out),
            Command::Demo(arguments) => reconcile::demo(arguments, out),
        }
    }
}

/// Runs the `posfee` command line `args` (the first item is the program name, as in
/// `std::env::args_os`), writing results to `out` and the one-line error to `err`; returns
/// the exit status (0, [`EXIT_BAD_INPUT`] or [`EXIT_INTERNAL`]).
///
/// # Example
/// ```
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let status = posfee_cli::run(vec!["posfee".into(), "quote".into(), "1.001".into(), "debit".into()], &mut out, &mut err);
/// assert_eq!(status, 2);
/// assert!(String::from_utf8(err).unwrap().starts_with("posfee: error [invalid_amount]: "));
/// ```
pub fn run(args: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    // The program is `posfee` whatever the path it was started by (binary, console script).
    let args: Vec<OsString> = std::iter::once(OsString::from("posfee")).chain(args.into_iter().skip(1)).collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) => return usage(error, subcommand(&args), out, err),
    };
    let command = cli.command.name();
    let outcome = failure::catch_panic(|| cli.command.run(out));
    let status = match outcome {
        Ok(()) => match out.flush() {
            Ok(()) => 0,
            Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(error) => report(&Failure::io(format!("cannot write the output: {error}")), command, err),
        },
        Err(failure) => {
            let _ = out.flush();
            report(&failure, command, err)
        }
    };
    let _ = err.flush();
    status
}

/// A command line the parser rejects (exit 2, code `usage`), or `--help` / `--version`
/// (printed on `out`, exit 0).
fn usage(error: clap::Error, command: Option<&str>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use clap::error::ErrorKind;
    let text = error.render().to_string();
    if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        return 0;
    }
    // The error and the lines that belong to it (the missing arguments, the possible values),
    // up to the first blank line.
    let message: Vec<&str> = text.lines().take_while(|line| !line.trim().is_empty()).collect();
    let message = message.join(" ");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    let help = match command {
        Some(command) => format!("posfee {command} --help"),
        None => "posfee --help".to_string(),
    };
    let _ = writeln!(err, "posfee: error [usage]: {} (see `{help}`)", failure::one_line(message));
    let _ = err.flush();
    EXIT_BAD_INPUT
}

/// The subcommand a command line names, if any (for the help hint of a usage error).
fn subcommand(args: &[OsString]) -> Option<&'static str> {
    const NAMES: [&str; 7] = ["quote", "calendar", "presets", "formats", "read", "reconcile", "demo"];
    let first = args.iter().skip(1).find(|arg| !arg.to_string_lossy().starts_with('-'))?;
    NAMES.iter().copied().find(|name| first.to_str() == Some(name))
}

fn report(failure: &Failure, command: &str, err: &mut dyn Write) -> i32 {
    let _ = writeln!(err, "{}", failure.line(command));
    failure.exit_status()
}

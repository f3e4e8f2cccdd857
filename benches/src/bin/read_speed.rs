//! Reading alone (issue 13, point 2): reads each input file N times into the core's columns
//! (`Ledger` or `Statement`) and prints one JSON line per file: rows, issues, bytes, best wall
//! seconds and MB/s (10^6 bytes a second). Reading is the file's bytes from disk (the page
//! cache once warm) to the columns, all of it timed; dropping the columns is not.
//!
//! Usage: `read_speed [--repeat N] [--api file|bytes] PATH=FORMAT ...`
//!
//! FORMAT is `ledger` (the ledger reader) or a shipped statement profile (`bank-pos`,
//! `wechat-merchant`, ...; `posfee::reconcile::formats()`). `--api file` (the default) calls
//! `read_ledger_file` / `read_statement_file`, the path the CLI takes (blocks of the file
//! decoded and parsed on all cores); `--api bytes` reads the whole file with `std::fs::read`
//! then calls `read_ledger_csv` / `read_statement_with` on the bytes. The file readers are
//! behind this crate's default `file-api` feature: `--no-default-features` builds against a
//! core from before d4f7d70 (`--api bytes` only). Called by benches/read_speed.py
//! (scripts/bench-read.sh).

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use posfee::reconcile::{read_ledger_csv, read_statement_with, Profile, ReadIssue, ReadOptions};

/// What one read produced: the clock stops when the columns are built and the input
/// freed; the columns are dropped after that, untimed.
struct Outcome {
    seconds: f64,
    rows: usize,
    issue_count: usize,
    issues: Vec<String>,
}

/// How many issue messages each JSON line carries (for diagnosis; the count is complete).
const ISSUES_SHOWN: usize = 3;

fn outcome(started: Instant, rows: usize, issues: &[ReadIssue]) -> Outcome {
    let seconds = started.elapsed().as_secs_f64();
    Outcome { seconds, rows, issue_count: issues.len(), issues: issues.iter().take(ISSUES_SHOWN).map(|i| i.error.to_string()).collect() }
}

/// A core error as the line this tool prints: `[code] message`.
fn told(error: posfee::Error) -> String {
    format!("[{}] {error}", error.code())
}

/// `std::fs::read`, then the reader on the bytes (the input freed inside the clock, as the
/// file readers free their blocks).
fn read_bytes(path: &Path, profile: Option<&Profile>) -> Result<Outcome, String> {
    let started = Instant::now();
    let bytes = std::fs::read(path).map_err(|e| format!("[io] {}: {e}", path.display()))?;
    let name = path.to_string_lossy();
    Ok(match profile {
        None => {
            let ledger = read_ledger_csv(&bytes, &name).map_err(told)?;
            drop(bytes);
            outcome(started, ledger.len(), ledger.issues())
        }
        Some(profile) => {
            let statement = read_statement_with(&bytes, &name, profile, ReadOptions::default()).map_err(told)?;
            drop(bytes);
            outcome(started, statement.len(), statement.issues())
        }
    })
}

/// The readers that take a path (blocks of the file).
#[cfg(feature = "file-api")]
fn read_file(path: &Path, profile: Option<&Profile>) -> Result<Outcome, String> {
    use posfee::reconcile::{read_ledger_file, read_statement_file};
    let started = Instant::now();
    Ok(match profile {
        None => {
            let ledger = read_ledger_file(path).map_err(told)?;
            outcome(started, ledger.len(), ledger.issues())
        }
        Some(profile) => {
            let statement = read_statement_file(path, profile, ReadOptions::default()).map_err(told)?;
            outcome(started, statement.len(), statement.issues())
        }
    })
}

#[cfg(not(feature = "file-api"))]
fn read_file(_: &Path, _: Option<&Profile>) -> Result<Outcome, String> {
    Err("--api file needs read_ledger_file / read_statement_file: build with the file-api feature on a core that has them".into())
}

/// A JSON string literal.
fn json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Arguments {
    repeat: usize,
    api: String,
    inputs: Vec<(String, String)>,
}

fn arguments() -> Result<Arguments, String> {
    let usage = "usage: read_speed [--repeat N] [--api file|bytes] PATH=FORMAT ...  (FORMAT: ledger or a statement profile)";
    let mut parsed = Arguments { repeat: 5, api: "file".into(), inputs: Vec::new() };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--repeat" => {
                parsed.repeat = args.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0).ok_or(usage)?;
            }
            "--api" => {
                parsed.api = args.next().filter(|a| a == "bytes" || a == "file").ok_or(usage)?;
            }
            "-h" | "--help" => return Err(usage.into()),
            input => {
                let (path, format) = input.rsplit_once('=').ok_or(usage)?;
                parsed.inputs.push((path.to_string(), format.to_string()));
            }
        }
    }
    if parsed.inputs.is_empty() {
        return Err(usage.into());
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let arguments = match arguments() {
        Ok(arguments) => arguments,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    for (path, format) in &arguments.inputs {
        let path = Path::new(path);
        let profile = match format.as_str() {
            "ledger" => None,
            name => match Profile::builtin(name) {
                Ok(profile) => Some(profile),
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            },
        };
        let bytes = match std::fs::metadata(path) {
            Ok(metadata) => metadata.len(),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        let mut runs = Vec::with_capacity(arguments.repeat);
        let mut last = None;
        for _ in 0..arguments.repeat {
            let read = if arguments.api == "file" { read_file(path, profile.as_ref()) } else { read_bytes(path, profile.as_ref()) };
            match read {
                Ok(outcome) => {
                    runs.push(outcome.seconds);
                    last = Some(outcome);
                }
                Err(e) => {
                    eprintln!("{}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
        }
        let Some(outcome) = last else { return ExitCode::FAILURE };
        let best = runs.iter().copied().fold(f64::INFINITY, f64::min);
        let runs_text: Vec<String> = runs.iter().map(|s| format!("{s:.6}")).collect();
        let issues_text: Vec<String> = outcome.issues.iter().map(|i| json(i)).collect();
        println!(
            "{{\"file\":{},\"format\":{},\"api\":{},\"rows\":{},\"issues\":{},\"bytes\":{},\"best_s\":{:.6},\"mb_s\":{:.1},\"runs_s\":[{}],\"first_issues\":[{}]}}",
            json(&path.display().to_string()),
            json(format),
            json(&arguments.api),
            outcome.rows,
            outcome.issue_count,
            bytes,
            best,
            bytes as f64 / 1e6 / best,
            runs_text.join(","),
            issues_text.join(","),
        );
    }
    ExitCode::SUCCESS
}

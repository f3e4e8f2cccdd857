//! Helpers of the command-line tests: run `posfee` in-process (through `posfee_cli::run`, the
//! function the binary and the Python console script call) or as the built binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use posfee::reconcile::simulation::{generate, SimulationOptions, MERCHANT_NO};
use posfee::reconcile::{write_bank_csv, write_ledger_csv};

/// What a run printed and its exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `posfee ARGS` in-process.
pub fn posfee(args: &[&str]) -> Outcome {
    let mut argv: Vec<std::ffi::OsString> = vec!["posfee".into()];
    argv.extend(args.iter().map(Into::into));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = posfee_cli::run(argv, &mut out, &mut err);
    Outcome { status, stdout: String::from_utf8(out).expect("UTF-8 stdout"), stderr: String::from_utf8(err).expect("UTF-8 stderr") }
}

/// Runs the built binary `target/…/posfee ARGS` as a process.
pub fn binary(args: &[&str], cwd: &Path) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_posfee")).args(args).current_dir(cwd).output().expect("the posfee binary runs");
    Outcome {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

/// The registered merchant number of the simulated month.
pub const MERCHANT: &str = MERCHANT_NO;

/// A simulated month written as files: ledger.csv (canonical) and statement.csv (bank format).
pub struct Sample {
    pub dir: tempfile::TempDir,
    pub ledger: PathBuf,
    pub statement: PathBuf,
    pub ledger_rows: usize,
    pub statement_rows: usize,
}

impl Sample {
    pub fn new(trades: usize) -> Sample {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sample = generate(&SimulationOptions::new(11).trades(trades).faults_per_class(2)).expect("a sample");
        let ledger = dir.path().join("ledger.csv");
        let statement = dir.path().join("statement.csv");
        std::fs::write(&ledger, write_ledger_csv(&sample.ledger)).unwrap();
        std::fs::write(&statement, write_bank_csv(&sample.statement)).unwrap();
        Sample { dir, ledger, statement, ledger_rows: sample.ledger.len(), statement_rows: sample.statement.len() }
    }

    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Writes `text` to `name` in the sample's folder and returns its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        std::fs::write(self.dir.path().join(name), text).unwrap();
        self.path(name)
    }

    pub fn ledger(&self) -> String {
        self.ledger.display().to_string()
    }

    pub fn statement(&self) -> String {
        self.statement.display().to_string()
    }

    /// The ledger with the amount of its second trade (line 3) replaced by `2.505`.
    pub fn bad_ledger(&self) -> String {
        let text = std::fs::read_to_string(&self.ledger).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut fields: Vec<String> = lines[2].split(',').map(str::to_string).collect();
        fields[6] = "2.505".into();
        lines[2] = fields.join(",");
        self.write("bad-ledger.csv", &(lines.join("\n") + "\n"))
    }
}

/// The folder of the bank POS CSV sample of the core's format tests.
pub fn formats_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/formats/bank-pos-csv")
}

/// A simulated statement and bank statement written as files (statement.csv in the bank
/// format, bank.csv in the cmb-debit layout), with the options and the answer key.
pub struct DepositSample {
    pub dir: tempfile::TempDir,
    pub statement: String,
    pub bank: String,
    pub from: String,
    pub as_of: String,
    pub key: posfee::reconcile::deposits::simulation::DepositAnswerKey,
}

impl DepositSample {
    pub fn new(seed: u64) -> DepositSample {
        use posfee::reconcile::deposits::simulation::{bank_csv, generate_deposits, DepositSimulationOptions};
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sample = generate_deposits(&DepositSimulationOptions::new(seed)).expect("a sample");
        let statement = dir.path().join("statement.csv");
        let bank = dir.path().join("bank.csv");
        std::fs::write(&statement, write_bank_csv(&sample.statement)).unwrap();
        std::fs::write(&bank, bank_csv(&sample.bank)).unwrap();
        DepositSample {
            statement: statement.display().to_string(),
            bank: bank.display().to_string(),
            from: sample.options.covered_from.map(|d| d.to_string()).unwrap_or_default(),
            as_of: sample.options.as_of.map(|d| d.to_string()).unwrap_or_default(),
            key: sample.key,
            dir,
        }
    }

    /// Writes `text` to `name` in the sample's folder and returns its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }
}

//! Values several commands take the same way: a schedule, a holiday file, `--on-invalid`.

use std::path::{Path, PathBuf};

use posfee::{Calendar, Schedule};

use crate::failure::Failure;

/// A preset name, or a schedule file (TOML, or JSON by extension). A value that is not a
/// preset and looks like a path (has `/` or `.`, or exists) is a file, so a missing one is
/// reported as a missing file, not as an unknown preset.
pub fn schedule(name_or_path: &str) -> Result<Schedule, Failure> {
    let looks_like_path = name_or_path.contains(['/', '.', std::path::MAIN_SEPARATOR]) || Path::new(name_or_path).exists();
    if !posfee::presets().contains(&name_or_path) && looks_like_path {
        return Ok(Schedule::from_file(name_or_path)?);
    }
    Ok(Schedule::preset(name_or_path)?)
}

/// The embedded China calendar, with the years of a holiday file (posfee TOML or holiday-cn
/// JSON) added when one is given.
pub fn calendar(holidays: Option<&PathBuf>) -> Result<Calendar, Failure> {
    match holidays {
        Some(path) => Ok(Calendar::china().with_years_from_file(path)?),
        None => Ok(Calendar::china().clone()),
    }
}

/// What to do with a line that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnInvalid {
    /// Stop with the line's error (naming file, line and field).
    Raise,
    /// Keep going: the line is reported (an unreadable row of the report, an error column).
    Report,
}

impl From<OnInvalid> for posfee::OnInvalid {
    fn from(on_invalid: OnInvalid) -> posfee::OnInvalid {
        match on_invalid {
            OnInvalid::Raise => posfee::OnInvalid::Raise,
            OnInvalid::Report => posfee::OnInvalid::Report,
        }
    }
}

/// The help text of `--holidays`.
pub const HOLIDAYS_HELP: &str = "A file of holiday years to add to the embedded calendar: posfee TOML or holiday-cn JSON";

/// Reads a ledger: a canonical ledger CSV, or a Parquet or Arrow IPC file of the canonical
/// columns (read by the core's Arrow reader with the same rules).
pub fn ledger(path: &Path) -> Result<posfee::reconcile::Ledger, Failure> {
    // Opened here first, so a missing file is the command line's input error.
    crate::output::read_head(path, 0)?;
    match crate::columnar::Columnar::of(path) {
        Some(format) => crate::columnar::ledger(path, format),
        None => Ok(posfee::reconcile::read_ledger_file(path)?),
    }
}

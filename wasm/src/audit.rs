//! The statement checker (feature `audit`, a separate build loaded on demand by the page):
//! `checkStatement` reads a statement file (any shipped format, sniffed), optionally a
//! ledger, and checks it against the contract with [`posfee::reconcile::StatementAudit`]
//! (with the ledger, as `posfee reconcile` does; without one, the statement alone). Every
//! number, text and rule comes from the core; this module only converts the request.

use serde::Deserialize;

use posfee::reconcile::{FileBytes, MerchantProfile, ReconcileOptions, StatementAudit};
use posfee::{Lang, SettlementMode};

use crate::failure::Error;

/// The request of `checkStatement`, without the file bytes (read apart, as `Uint8Array`s).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckInput {
    /// The statement's file name (in every location of an error).
    pub name: String,
    /// `auto` (sniffed) or a shipped format name.
    #[serde(default)]
    pub format: Option<String>,
    /// The ledger's file name.
    #[serde(default)]
    pub ledger_name: Option<String>,
    /// A preset name.
    #[serde(default)]
    pub preset: Option<String>,
    /// A schedule as TOML text.
    #[serde(default)]
    pub schedule: Option<String>,
    /// The registered merchant number (15 digits).
    pub merchant_no: String,
    /// Registered terminals (empty: not checked).
    #[serde(default)]
    pub terminals: Option<Vec<String>>,
    /// The contracted settlement mode (`T+1` when absent).
    #[serde(default)]
    pub settlement: Option<String>,
    /// `zh` or `en`: the language of the findings and the dispute list.
    #[serde(default)]
    pub lang: Option<String>,
    /// Problem rows to return, at most [`posfee::reconcile::PROBLEM_ROWS_MAX`] (the default).
    #[serde(default)]
    pub rows_max: Option<u32>,
}

/// The keys `checkStatement` accepts.
pub const CHECK_FIELDS: [&str; 12] = [
    "statement",
    "name",
    "format",
    "ledger",
    "ledgerName",
    "preset",
    "schedule",
    "merchantNo",
    "terminals",
    "settlement",
    "lang",
    "rowsMax",
];

/// Reads and checks: the plain-Rust body of `checkStatement` (unit-tested on the host); the
/// audit and the problem rows to show.
///
/// # Errors
/// Any core error of reading (file, line, column, field), of the schedule, merchant number,
/// settlement mode or language; [`posfee::ErrorKind::InvalidRequest`] for a file over
/// [`posfee::reconcile::AUDIT_FILE_BYTES_MAX`] or a `rowsMax` over
/// [`posfee::reconcile::PROBLEM_ROWS_MAX`] ([`posfee::reconcile::problem_rows_max`]).
pub fn check_impl(input: &CheckInput, statement_bytes: &[u8], ledger_bytes: Option<&[u8]>) -> Result<(StatementAudit, usize), Error> {
    let rows_max = posfee::reconcile::problem_rows_max(input.rows_max.map(|n| n as usize))?;
    let schedule = crate::ScheduleSource::of(&input.preset, &input.schedule)?.load()?;
    let mut profile = MerchantProfile::new(&input.merchant_no, "")?.terminals(input.terminals.iter().flatten().cloned());
    if let Some(settlement) = &input.settlement {
        profile.settlement = SettlementMode::parse(settlement).map_err(|e| e.in_field("settlement"))?;
    }
    let mut options = ReconcileOptions::new(schedule, profile);
    options.lang = Lang::parse(input.lang.as_deref().unwrap_or("zh")).map_err(|e| e.in_field("lang"))?;
    let statement = FileBytes::new(&input.name, statement_bytes).format(input.format.as_deref().unwrap_or("auto"));
    let ledger = ledger_bytes.map(|bytes| FileBytes::new(input.ledger_name.as_deref().unwrap_or("ledger.csv"), bytes));
    Ok((StatementAudit::run(statement, ledger, options)?, rows_max))
}

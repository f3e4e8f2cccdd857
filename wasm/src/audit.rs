//! The statement checker (feature `audit`, a separate build loaded on demand by the page):
//! `checkStatement` reads a statement file (any shipped format, sniffed), optionally a
//! ledger, and checks it against the contract with [`posfee::reconcile::StatementAudit`]
//! (with the ledger, as `posfee reconcile` does; without one, the statement alone). Every
//! number, text and rule comes from the core; this module only converts the request.

use serde::{Deserialize, Serialize};

use posfee::reconcile::{FileBytes, MerchantProfile, ReconcileOptions, StatementAudit, PROBLEM_ROWS_MAX};
use posfee::{ErrorKind, Lang, SettlementMode};

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
    /// Problem rows to return, at most [`PROBLEM_ROWS_MAX`] (the default).
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

/// A trade of a statement for comparing offers: strings only.
#[derive(Debug, Clone, Serialize)]
pub struct TradeText {
    /// The amount.
    pub amount: String,
    /// The channel name.
    pub channel: &'static str,
    /// The trade time, China time.
    pub time: String,
}

/// The purchases of a statement file as trades (`statementTrades`), for `compare`.
///
/// # Errors
/// As [`check_impl`] for reading.
pub fn statement_trades_impl(name: &str, format: Option<&str>, bytes: &[u8]) -> Result<(String, Vec<TradeText>), Error> {
    let (chosen, statement) = FileBytes::new(name, bytes).format(format.unwrap_or("auto")).read_statement()?;
    let trades = (0..statement.len())
        .map(|j| statement.record(j))
        .filter(|record| record.kind == posfee::TradeKind::Purchase)
        .map(|record| TradeText {
            amount: record.amount.to_string(),
            channel: record.channel.name(),
            time: record.time.format("%Y-%m-%d %H:%M:%S").to_string(),
        })
        .collect();
    Ok((chosen.name().to_string(), trades))
}

/// Reads and checks: the plain-Rust body of `checkStatement` (unit-tested on the host); the
/// audit and the problem rows to show.
///
/// # Errors
/// Any core error of reading (file, line, column, field), of the schedule, merchant number,
/// settlement mode or language; [`ErrorKind::InvalidRequest`] for a file over
/// [`posfee::reconcile::AUDIT_FILE_BYTES_MAX`] or a `rowsMax` over [`PROBLEM_ROWS_MAX`].
pub fn check_impl(input: &CheckInput, statement_bytes: &[u8], ledger_bytes: Option<&[u8]>) -> Result<(StatementAudit, usize), Error> {
    let rows_max = input.rows_max.map_or(PROBLEM_ROWS_MAX, |n| n as usize);
    if rows_max > PROBLEM_ROWS_MAX {
        return Err(Error::new(ErrorKind::InvalidRequest, format!("rowsMax {rows_max} is over {PROBLEM_ROWS_MAX}")).in_field("rowsMax"));
    }
    let schedule = crate::ScheduleSource::of(&input.preset, &input.schedule)?.load()?;
    let mut profile = MerchantProfile::new(&input.merchant_no, "")?;
    if let Some(terminals) = &input.terminals {
        profile.terminals = terminals.iter().map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
    }
    if let Some(settlement) = &input.settlement {
        profile.settlement = SettlementMode::parse(settlement).map_err(|e| e.in_field("settlement"))?;
    }
    let mut options = ReconcileOptions::new(schedule, profile);
    options.lang = Lang::parse(input.lang.as_deref().unwrap_or("zh")).map_err(|e| e.in_field("lang"))?;
    let statement = FileBytes::new(&input.name, statement_bytes).format(input.format.as_deref().unwrap_or("auto"));
    let ledger = ledger_bytes.map(|bytes| FileBytes::new(input.ledger_name.as_deref().unwrap_or("ledger.csv"), bytes));
    Ok((StatementAudit::run(statement, ledger, options)?, rows_max))
}

//! The deposit check (feature `deposits`: the statement checker plus this, a third module the
//! page loads only when a bank statement is given): `checkDeposits` reads the
//! acquirer's statement and the merchant's bank statement (any shipped bank format, sniffed)
//! and runs [`posfee::reconcile::deposits::DepositAudit`]. Every number, text and rule comes
//! from the core; this module only converts the request.

use serde::Deserialize;

use posfee::reconcile::deposits::{DepositAudit, DepositOptions};
use posfee::reconcile::FileBytes;
use posfee::{parse_date, Lang};

use crate::failure::Error;

/// The request of `checkDeposits`, without the file bytes (read apart, as `Uint8Array`s).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DepositsInput {
    /// The statement's file name (in every location of an error).
    pub name: String,
    /// `auto` (sniffed) or a shipped statement format name.
    #[serde(default)]
    pub format: Option<String>,
    /// The bank statement's file name.
    pub bank_name: String,
    /// `auto` (sniffed) or a shipped bank format name (`icbc-debit`, `cmb-business`, ...).
    #[serde(default)]
    pub bank_format: Option<String>,
    /// The last day the bank statement covers, `YYYY-MM-DD` (default: its latest row).
    #[serde(default)]
    pub as_of: Option<String>,
    /// The first day it covers (default: its earliest row).
    #[serde(default)]
    pub covered_from: Option<String>,
    /// `zh` or `en`: the findings' language.
    #[serde(default)]
    pub lang: Option<String>,
}

/// The keys `checkDeposits` accepts.
pub const DEPOSITS_FIELDS: [&str; 9] = ["statement", "name", "format", "bank", "bankName", "bankFormat", "asOf", "coveredFrom", "lang"];

/// Reads both files and checks the deposits: the plain-Rust body of `checkDeposits`
/// (unit-tested on the host).
///
/// # Errors
/// Any core error of reading either file (file, line, column, field), of the bank format, the
/// dates or the language; [`posfee::ErrorKind::InvalidRequest`] for a file over the page's
/// limit.
pub fn deposits_impl(input: &DepositsInput, statement_bytes: &[u8], bank_bytes: &[u8]) -> Result<(DepositAudit, Lang), Error> {
    let lang = Lang::parse(input.lang.as_deref().unwrap_or("zh")).map_err(|e| e.in_field("lang"))?;
    let mut options = DepositOptions::new();
    for (text, slot, field) in [(&input.as_of, &mut options.as_of, "asOf"), (&input.covered_from, &mut options.covered_from, "coveredFrom")]
    {
        if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
            *slot = Some(parse_date(text.trim()).map_err(|e| e.in_field(field))?);
        }
    }
    let statement = FileBytes::new(&input.name, statement_bytes).format(input.format.as_deref().unwrap_or("auto"));
    let bank = FileBytes::new(&input.bank_name, bank_bytes).format(input.bank_format.as_deref().unwrap_or("auto"));
    Ok((DepositAudit::run(statement, bank, &options)?, lang))
}

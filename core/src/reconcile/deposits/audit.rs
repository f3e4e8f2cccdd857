//! The deposit check (到账核对) of two files given as bytes, as the web page runs it: the
//! acquirer's statement (any shipped format, sniffed) and the merchant's bank statement (any
//! shipped bank format, sniffed), checked with [`reconcile_deposits`]. The
//! [`DepositOverview`] is what a screen shows first.

use serde::{Deserialize, Serialize};

use super::{
    read_bank_statement, reconcile_deposits, BankProfile, DepositClass, DepositClassTotals, DepositFinding, DepositOptions, DepositReport,
    DepositSummary,
};
use crate::error::Result;
use crate::lang::Lang;
use crate::reconcile::{ClassLabel, FileBytes};

/// Both files read and their deposits checked.
///
/// # Example
/// ```
/// use posfee::reconcile::{write_bank_csv, FileBytes};
/// use posfee::reconcile::deposits::{DepositAudit, simulation::{bank_csv, generate_deposits, DepositSimulationOptions}};
/// let sample = generate_deposits(&DepositSimulationOptions::new(3))?;
/// let (statement, bank) = (write_bank_csv(&sample.statement), bank_csv(&sample.bank));
/// let audit = DepositAudit::run(FileBytes::new("settle.csv", statement.as_bytes()), FileBytes::new("bank.csv", bank.as_bytes()), &sample.options)?;
/// let overview = audit.overview(posfee::Lang::Zh);
/// assert_eq!((overview.format, overview.summary.payouts as usize), ("bank-pos", audit.report.payouts.len()));
/// assert!(overview.classes.iter().all(|c| c.payouts + c.bank_rows > 0));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DepositAudit {
    /// The statement format used (sniffed when `auto`).
    pub format: String,
    /// The bank statement format used.
    pub bank_format: String,
    /// The report.
    pub report: DepositReport,
}

impl DepositAudit {
    /// Reads the statement and the bank statement and checks the deposits.
    ///
    /// # Errors
    /// As [`FileBytes::read_statement`]; for the bank statement, [`FileBytes::check_size`]
    /// (field `bank`), an unknown bank format (field `bank_format`) and any error of
    /// [`read_bank_statement`]; any error of [`reconcile_deposits`].
    ///
    /// # Example
    /// ```
    /// use posfee::reconcile::{deposits::{DepositAudit, DepositOptions, simulation::{generate_deposits, DepositSimulationOptions}}, write_bank_csv, FileBytes};
    /// let statement = write_bank_csv(&generate_deposits(&DepositSimulationOptions::new(1))?.statement);
    /// let big = vec![b'a'; posfee::reconcile::AUDIT_FILE_BYTES_MAX + 1];
    /// let err = DepositAudit::run(FileBytes::new("s.csv", statement.as_bytes()), FileBytes::new("b.csv", &big), &DepositOptions::new()).unwrap_err();
    /// assert_eq!(err.location().field.as_deref(), Some("bank"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn run(statement: FileBytes<'_>, bank: FileBytes<'_>, options: &DepositOptions) -> Result<DepositAudit> {
        let (chosen, statement) = statement.read_statement()?;
        bank.check_size("bank")?;
        let profile = BankProfile::resolve(bank.format, bank.head(), bank.name)?;
        let report = reconcile_deposits(&statement, &read_bank_statement(bank.bytes, bank.name, &profile)?, options)?;
        Ok(DepositAudit { format: chosen.name().to_string(), bank_format: profile.name().to_string(), report })
    }

    /// What a screen shows first: the summary, the classes with payouts or bank rows, every
    /// class's label, the findings (each in both languages; `lang` says which to show).
    ///
    /// # Example
    /// ```
    /// let audit = posfee::reconcile::deposits::DepositAudit { format: "bank".into(), bank_format: "icbc-debit".into(), report: Default::default() };
    /// assert!(audit.overview(posfee::Lang::Zh).classes.is_empty());
    /// assert_eq!(audit.overview(posfee::Lang::Zh).labels.len(), posfee::reconcile::deposits::DepositClass::ALL.len());
    /// ```
    pub fn overview(&self, lang: Lang) -> DepositOverview<'_> {
        let summary = &self.report.summary;
        DepositOverview {
            format: &self.format,
            bank_format: &self.bank_format,
            lang,
            summary,
            classes: summary
                .classes
                .iter()
                .filter(|totals| totals.class.is_some() && totals.payouts + totals.bank_rows > 0)
                .cloned()
                .collect(),
            labels: DepositClass::ALL.map(ClassLabel::from).to_vec(),
            findings: &self.report.findings,
        }
    }
}

/// What [`DepositAudit::overview`] gives a screen (serializable; money as strings).
///
/// # Example
/// ```
/// let audit = posfee::reconcile::deposits::DepositAudit { format: "bank".into(), bank_format: "icbc-debit".into(), report: Default::default() };
/// let json = serde_json::to_value(audit.overview(posfee::Lang::Zh)).unwrap();
/// assert_eq!((json["format"].as_str(), json["bank_format"].as_str()), (Some("bank"), Some("icbc-debit")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepositOverview<'a> {
    /// The statement format used.
    pub format: &'a str,
    /// The bank statement format used.
    pub bank_format: &'a str,
    /// The language to show the findings in.
    pub lang: Lang,
    /// The report's summary.
    pub summary: &'a DepositSummary,
    /// The classes with payouts or bank rows, in [`DepositClass::ALL`] order.
    pub classes: Vec<DepositClassTotals>,
    /// Every class's label, in [`DepositClass::ALL`] order.
    pub labels: Vec<ClassLabel>,
    /// The findings, problems first.
    pub findings: &'a [DepositFinding],
}

/// A deposit check asked for by named fields (camelCase, as JSON and JavaScript write them),
/// without the files' bytes.
///
/// # Example
/// ```
/// use posfee::reconcile::write_bank_csv;
/// use posfee::reconcile::deposits::{simulation::{bank_csv, generate_deposits, DepositSimulationOptions}, DepositRequest};
/// let sample = generate_deposits(&DepositSimulationOptions::new(3))?;
/// let request: DepositRequest = serde_json::from_str(r#"{"name": "settle.csv", "bankName": "bank.csv", "lang": "en"}"#)?;
/// let (audit, lang) = request.run(write_bank_csv(&sample.statement).as_bytes(), bank_csv(&sample.bank).as_bytes())?;
/// assert_eq!((audit.bank_format.as_str(), lang), ("cmb-debit", posfee::Lang::En));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DepositRequest {
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
    /// `zh` (the default) or `en`: the findings' language.
    #[serde(default)]
    pub lang: Option<String>,
}

impl DepositRequest {
    /// The keys of the request object a surface passes, spelt as the request's JSON spells
    /// them: its fields, and `statement` and `bank`, the files (handed over apart, as bytes).
    ///
    /// # Example
    /// ```
    /// assert!(posfee::reconcile::deposits::DepositRequest::KEYS.contains(&"asOf"));
    /// ```
    pub const KEYS: [&'static str; 9] = ["statement", "name", "format", "bank", "bankName", "bankFormat", "asOf", "coveredFrom", "lang"];
}

impl DepositRequest {
    /// Reads both files and checks the deposits: the audit, and the language to show it in.
    ///
    /// # Errors
    /// As [`DepositAudit::run`]; a date (fields `as_of`, `covered_from`) or language (field
    /// `lang`) that cannot be read.
    ///
    /// # Example
    /// ```
    /// let request = posfee::reconcile::deposits::DepositRequest { as_of: Some("2026-13-01".into()), ..Default::default() };
    /// assert_eq!(request.run(b"", b"").unwrap_err().location().field.as_deref(), Some("as_of"));
    /// ```
    pub fn run(&self, statement_bytes: &[u8], bank_bytes: &[u8]) -> Result<(DepositAudit, Lang)> {
        let lang = Lang::parse(self.lang.as_deref().unwrap_or("zh")).map_err(|e| e.in_field("lang"))?;
        let mut options = DepositOptions::new();
        for (text, slot, field) in
            [(&self.as_of, &mut options.as_of, "as_of"), (&self.covered_from, &mut options.covered_from, "covered_from")]
        {
            if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
                *slot = Some(crate::parse_date(text.trim()).map_err(|e| e.in_field(field))?);
            }
        }
        let statement = FileBytes::new(&self.name, statement_bytes).format(self.format.as_deref().unwrap_or("auto"));
        let bank = FileBytes::new(&self.bank_name, bank_bytes).format(self.bank_format.as_deref().unwrap_or("auto"));
        Ok((DepositAudit::run(statement, bank, &options)?, lang))
    }
}

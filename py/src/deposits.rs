//! `posfee._core` deposit checks: a statement and a bank statement in, the core's deposit
//! report out (as JSON, which the Python `DepositReport` reads with money as `Decimal`).
//! Only conversions live here; the rules are the core's `reconcile::deposits`.

use std::sync::Arc;

use pyo3::prelude::*;

use posfee::reconcile::deposits::{self, DepositOptions, DepositReport};

use crate::calendar::CalendarArg;
use crate::convert;
use crate::errors::{guard, guard_detached};
use crate::reconcile::PyStatement;

/// The result of `reconcile_deposits_data`.
#[pyclass(module = "posfee._core", name = "DepositReportData", frozen)]
pub struct PyDepositReport {
    report: Arc<DepositReport>,
}

#[pymethods]
impl PyDepositReport {
    /// The whole report as JSON (money as strings).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let report = Arc::clone(&self.report);
        guard_detached(py, move || Ok(report.to_json()))
    }

    /// Every payout, bank row and unreadable line as CSV.
    fn to_csv(&self, py: Python<'_>) -> PyResult<String> {
        let report = Arc::clone(&self.report);
        guard_detached(py, move || Ok(report.to_csv()))
    }

    fn __len__(&self) -> usize {
        self.report.payouts.len() + self.report.bank.len() + self.report.deductions.len() + self.report.unreadable.len()
    }
}

/// Checks that the statement's payouts reached the bank account: the core's
/// `reconcile_deposits` with the options given (`None` keeps the core's default).
#[pyfunction]
#[pyo3(signature = (statement, bank, bank_format = "auto", bank_name = None, on_invalid = "raise", delay_max_business_days = 2, on_time_business_days = 0, short_difference_max = None, acquirer_texts = None, group_by_merchant = true, group_by_batch = true, as_of = None, covered_from = None, calendar = None))]
#[allow(clippy::too_many_arguments)]
pub fn reconcile_deposits_data(
    py: Python<'_>,
    statement: &PyStatement,
    bank: &Bound<'_, PyAny>,
    bank_format: &str,
    bank_name: Option<String>,
    on_invalid: &str,
    delay_max_business_days: i64,
    on_time_business_days: i64,
    short_difference_max: Option<&Bound<'_, PyAny>>,
    acquirer_texts: Option<Vec<String>>,
    group_by_merchant: bool,
    group_by_batch: bool,
    as_of: Option<&Bound<'_, PyAny>>,
    covered_from: Option<&Bound<'_, PyAny>>,
    calendar: Option<CalendarArg>,
) -> PyResult<PyDepositReport> {
    let on_invalid = crate::reconcile::on_invalid(py, on_invalid)?;
    let mut options = DepositOptions::new().delay_max_business_days(delay_max_business_days);
    options.on_time_business_days = on_time_business_days;
    if let Some(value) = short_difference_max.filter(|v| !v.is_none()) {
        options.short_difference_max = convert::amount(py, "short_difference_max", value)?;
    }
    options.acquirer_texts.extend(acquirer_texts.unwrap_or_default());
    options.group_by_merchant = group_by_merchant;
    options.group_by_batch = group_by_batch;
    options.as_of = as_of.filter(|v| !v.is_none()).map(|value| convert::date(py, "as_of", value)).transpose()?;
    options.covered_from = covered_from.filter(|v| !v.is_none()).map(|value| convert::date(py, "covered_from", value)).transpose()?;
    if let Some(CalendarArg(calendar)) = calendar {
        options = options.calendar((*calendar).clone());
    }
    let (source, file) = convert::file_source(bank, bank_name, "bank")?;
    let format = bank_format.to_string();
    let statement = Arc::clone(&statement.statement);
    let report = guard_detached(py, move || {
        let bank = match source {
            Ok(bytes) => deposits::read_bank_export(&bytes, &file, &format)?,
            Err(path) => deposits::read_bank_file(&path, &format)?,
        };
        deposits::BankIssue::raise_first(on_invalid, bank.issues())?;
        deposits::reconcile_deposits(&statement, &bank, &options)
    })?;
    Ok(PyDepositReport { report: Arc::new(report) })
}

/// The shipped bank statement formats (`posfee.shapes.FormatInfo`).
#[pyfunction]
pub fn bank_formats(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    convert::shaped(py, &guard(py, deposits::bank_format_infos)?, "formats")
}

/// The pieces of a simulated deposit check: statement, bank statement (cmb-debit CSV text),
/// covered_from, as_of, the payouts' classes and the acquirer's bank rows' (line, class).
pub type DepositSample = (PyStatement, String, String, String, Vec<&'static str>, Vec<(u64, &'static str)>);

/// A seeded statement and bank statement with injected deposit faults (`faults`) and the
/// answer key.
#[pyfunction]
#[pyo3(signature = (seed, faults = true))]
pub fn simulate_deposits(py: Python<'_>, seed: u64, faults: bool) -> PyResult<DepositSample> {
    let sample = guard_detached(py, || {
        deposits::simulation::generate_deposits(&deposits::simulation::DepositSimulationOptions::new(seed).faults(faults))
    })?;
    let day = |date: Option<chrono::NaiveDate>| date.map(|d| d.to_string()).unwrap_or_default();
    Ok((
        PyStatement { statement: Arc::new(sample.statement) },
        deposits::simulation::bank_csv(&sample.bank),
        day(sample.options.covered_from),
        day(sample.options.as_of),
        sample.key.payouts.iter().map(|c| c.name()).collect(),
        sample.key.bank.iter().map(|&(line, c)| (line, c.name())).collect(),
    ))
}

//! `posfee._core`: the native module behind the `posfee` Python package.
//!
//! Only conversions (Python ↔ core types, Arrow columns ↔ core columns) and error mapping
//! live here; every rule is in the core crate. The public API is the plain-Python package
//! `posfee` (py/python/posfee), which re-exports these names.
#![forbid(unsafe_code)]

mod calendar;
mod convert;
mod deposits;
mod errors;
mod quote;
mod quote_table;
mod reconcile;

use pyo3::prelude::*;

/// The names of the bundled preset schedules.
#[pyfunction]
fn presets() -> Vec<&'static str> {
    posfee::presets()
}

/// The TOML text of a preset schedule.
#[pyfunction]
fn preset_toml(py: Python<'_>, name: &str) -> PyResult<&'static str> {
    errors::guard(py, || posfee::preset_toml(name))
}

/// Every error code with the name of its exception class, in the order of the core's
/// `ErrorKind::ALL`.
#[pyfunction]
fn error_classes() -> Vec<(&'static str, &'static str)> {
    posfee::ErrorKind::ALL.iter().map(|&k| (k.code(), errors::class_name(k))).collect()
}

/// Runs the `posfee` command line (the crate `posfee-cli`, the same code as the Rust binary)
/// with `args` (`sys.argv`), writing to the process's stdout and stderr with the GIL
/// released; returns the exit status.
#[pyfunction]
fn main(py: Python<'_>, args: Vec<String>) -> i32 {
    py.detach(|| {
        let (stdout, stderr) = (std::io::stdout(), std::io::stderr());
        posfee_cli::run(args.into_iter().map(Into::into).collect(), &mut stdout.lock(), &mut stderr.lock())
    })
}

/// Panics on purpose, holding the GIL or (`detached`) with it released, as bulk work does
/// (tests check that no panic reaches Python as `PanicException`).
#[pyfunction]
#[pyo3(signature = (detached = false))]
fn _panic_for_test(py: Python<'_>, detached: bool) -> PyResult<()> {
    let work = || -> posfee::Result<()> { panic!("deliberate panic for the test suite") };
    if detached {
        errors::guard_detached(py, work)
    } else {
        errors::guard(py, work)
    }
}

/// The module: every class and function of the binding, and two constants.
#[pymodule]
mod _core {
    #[pymodule_export]
    use super::calendar::PyCalendar;
    #[pymodule_export]
    use super::deposits::{bank_formats, reconcile_deposits_data, simulate_deposits, PyDepositReport};
    #[pymodule_export]
    use super::quote::{PyQuote, PySchedule};
    #[pymodule_export]
    use super::quote_table::{compare, fee_table, quote_table};
    #[pymodule_export]
    use super::reconcile::{
        check_on_invalid, dispute_format, formats, load_agents, load_registry, margins_data, read_ledger_csv, read_statement,
        reconcile_data, simulate, tables_from_arrow, PyAgents, PyLedger, PyRegistry, PyReport, PyStatement,
    };
    #[pymodule_export]
    use super::{_panic_for_test, error_classes, main, preset_toml, presets};
    use pyo3::prelude::*;

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("INTERNAL_ERROR_CODE", crate::errors::INTERNAL)
    }
}

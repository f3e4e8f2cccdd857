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

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("INTERNAL_ERROR_CODE", errors::INTERNAL)?;
    m.add_function(wrap_pyfunction!(presets, m)?)?;
    m.add_function(wrap_pyfunction!(preset_toml, m)?)?;
    m.add_function(wrap_pyfunction!(error_classes, m)?)?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add_class::<quote::PySchedule>()?;
    m.add_class::<quote::PyQuote>()?;
    m.add_class::<calendar::PyCalendar>()?;
    m.add_function(wrap_pyfunction!(quote_table::quote_table, m)?)?;
    m.add_function(wrap_pyfunction!(quote_table::fee_table, m)?)?;
    m.add_function(wrap_pyfunction!(quote_table::compare, m)?)?;
    reconcile::register(m)?;
    deposits::register(m)?;
    Ok(())
}

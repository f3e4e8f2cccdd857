//! Core errors and panics → Python exceptions.
//!
//! Every core error becomes an instance of `posfee.PosfeeError` (the subclass named after
//! its [`posfee::ErrorKind`] by [`class_name`]), built by `posfee._errors._from_core` so that
//! the exception classes are plain Python. A Rust panic never reaches the user as `PanicException`: it is
//! caught here and raised as `PosfeeError` with code `internal`.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use posfee::reconcile::arrow::ArrowReadError;
use posfee::ErrorKind;
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

static FROM_CORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The code of an internal failure (a caught Rust panic): a bug, never bad input.
pub const INTERNAL: &str = "internal";

/// The exception class of each kind, in `posfee._errors`. Every kind is listed (no wildcard
/// arm): a new kind does not build until it has its Python class.
pub fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidAmount => "InvalidAmountError",
        ErrorKind::InvalidRate => "InvalidRateError",
        ErrorKind::InvalidChannel => "InvalidChannelError",
        ErrorKind::InvalidSettlement => "InvalidSettlementError",
        ErrorKind::InvalidDate => "InvalidDateError",
        ErrorKind::InvalidSchedule => "InvalidScheduleError",
        ErrorKind::UnknownPreset => "UnknownPresetError",
        ErrorKind::NoMatchingRule => "NoMatchingRuleError",
        ErrorKind::NoScheduleVersion => "NoScheduleVersionError",
        ErrorKind::CalendarOutOfRange => "CalendarOutOfRangeError",
        ErrorKind::InvalidCalendar => "InvalidCalendarError",
        ErrorKind::InvalidRequest => "InvalidRequestError",
        ErrorKind::InvalidRecord => "InvalidRecordError",
        ErrorKind::Io => "IoError",
        ErrorKind::Overflow => "AmountOverflowError",
        ErrorKind::Internal => "InternalError",
    }
}

/// The Python exception of `kind` with a message and location: for a core error, and for a
/// value the binding itself cannot convert (an int beyond 64 bits, a file it cannot open).
pub fn make_error(py: Python<'_>, kind: ErrorKind, message: &str, location: &posfee::Location) -> PyErr {
    build_error(py, class_name(kind), message, location)
        .unwrap_or_else(|failure| PyRuntimeError::new_err(format!("[{}] {message} (and posfee._errors failed: {failure})", kind.code())))
}

/// `posfee.FloatAmountError` (an `InvalidAmountError` that is also a `TypeError`): money
/// passed as a float, named by `location` (its field, and the row of a table).
pub fn float_error(py: Python<'_>, message: &str, location: &posfee::Location) -> PyErr {
    build_error(py, "FloatAmountError", message, location)
        .unwrap_or_else(|failure| PyTypeError::new_err(format!("{message} (and posfee._errors failed: {failure})")))
}

/// The exception of the class `class` of `posfee._errors`, built by `_from_core`.
fn build_error(py: Python<'_>, class: &str, message: &str, location: &posfee::Location) -> PyResult<PyErr> {
    let from_core = FROM_CORE.import(py, "posfee._errors", "_from_core")?;
    let (file, field) = (location.file.as_deref(), location.field.as_deref());
    Ok(PyErr::from_value(from_core.call1((class, message, file, location.line, location.column, field))?))
}

/// A core error as a Python exception.
pub fn core_error(py: Python<'_>, error: &posfee::Error) -> PyErr {
    make_error(py, error.kind(), error.message(), error.location())
}

/// A caught panic as `PosfeeError(code="internal")`.
pub fn panic_error(py: Python<'_>, payload: Box<dyn Any + Send>) -> PyErr {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    make_error(
        py,
        ErrorKind::Internal,
        &format!("internal error in posfee (a bug; please report it with the input that caused it): {what}"),
        &posfee::Location::default(),
    )
}

/// Core work's value or error, or the payload of its caught panic.
type Caught<T> = std::thread::Result<posfee::Result<T>>;

/// The value, or the Python exception of the error or the panic.
fn into_py<T>(py: Python<'_>, caught: Caught<T>) -> PyResult<T> {
    match caught {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(core_error(py, &error)),
        Err(payload) => Err(panic_error(py, payload)),
    }
}

/// The Python exception of a failed Arrow read: a column's type or a failing stream is a
/// `TypeError`, money as floats a `FloatAmountError`, a bad value the core error's class.
pub fn arrow_error(py: Python<'_>, error: ArrowReadError) -> PyErr {
    match error {
        ArrowReadError::ColumnType(error) | ArrowReadError::Stream(error) => PyTypeError::new_err(error.message().to_string()),
        ArrowReadError::FloatMoney(error) => float_error(py, error.message(), error.location()),
        ArrowReadError::Invalid(error) => core_error(py, &error),
    }
}

/// Runs Arrow work (reading batches, building tables from them) with the GIL released,
/// panics caught.
pub fn guard_arrow<T: Send>(py: Python<'_>, work: impl FnOnce() -> Result<T, ArrowReadError> + Send) -> PyResult<T> {
    guard_detached(py, || Ok(work()))?.map_err(|error| arrow_error(py, error))
}

/// Runs core work holding the GIL (for quick calls), panics caught.
pub fn guard<T>(py: Python<'_>, work: impl FnOnce() -> posfee::Result<T>) -> PyResult<T> {
    into_py(py, catch_unwind(AssertUnwindSafe(work)))
}

/// Runs bulk core work with the GIL released, panics caught.
pub fn guard_detached<T: Send>(py: Python<'_>, work: impl FnOnce() -> posfee::Result<T> + Send) -> PyResult<T> {
    let caught = py.detach(|| catch_unwind(AssertUnwindSafe(work)));
    into_py(py, caught)
}

/// A `TypeError` naming the argument, what it got and what it accepts.
pub fn type_error(argument: &str, value: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    let type_name = value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".to_string());
    PyTypeError::new_err(format!("{argument} must be {expected}, not {type_name} ({})", crate::convert::repr_shown(value)))
}

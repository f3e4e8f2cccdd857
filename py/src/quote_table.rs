//! `posfee._core` table quotes and comparisons: an Arrow table of trades is handed to the
//! core (`posfee::reconcile::arrow::quote_batches`, `fee_batches`, `compare_batches`), which reads it with
//! its own rules and writes the quoted columns as Arrow; only the hand-over and the error
//! mapping happen here, with the GIL released.

use std::sync::Arc;

use arrow_array::RecordBatch;
use pyo3::prelude::*;
use pyo3_arrow::input::AnyRecordBatch;
use pyo3_arrow::PyTable;

use posfee::reconcile::arrow::{compare_batches, fee_batches, fee_schema, quote_batches, quoted_schema, TradeDefaults};
use posfee::{CalendarPolicy, Offer, Schedule, SettlementMode, TableOptions};

use crate::calendar::CalendarArg;
use crate::errors::{core_error, guard_arrow};
use crate::quote::PySchedule;
use crate::reconcile::batches;

fn defaults(py: Python<'_>, settlement: &str, merchant_class: Option<&str>, card_type: Option<&str>) -> PyResult<TradeDefaults> {
    TradeDefaults::new(settlement, merchant_class, card_type).map_err(|e| core_error(py, &e))
}

/// The quoted columns of an Arrow table of trades, as a pyarrow Table (same rows, same order).
#[pyfunction]
#[pyo3(signature = (schedule, data, *, settlement = "T1", merchant_class = None, card_type = None, calendar = None, provisional = false, on_invalid = "raise"))]
#[allow(clippy::too_many_arguments)]
pub fn quote_table<'py>(
    py: Python<'py>,
    schedule: &PySchedule,
    data: AnyRecordBatch,
    settlement: &str,
    merchant_class: Option<&str>,
    card_type: Option<&str>,
    calendar: Option<CalendarArg>,
    provisional: bool,
    on_invalid: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let options = TableOptions {
        on_invalid: crate::reconcile::on_invalid(py, on_invalid)?,
        calendar_policy: CalendarPolicy::provisional(provisional),
    };
    let defaults = defaults(py, settlement, merchant_class, card_type)?;
    let schedule: Arc<Schedule> = Arc::clone(&schedule.schedule);
    priced(py, &schedule, data, quoted_schema, move |schedule, batches| {
        let calendar = calendar.as_ref().map_or(posfee::Calendar::china(), |calendar| &calendar.0);
        quote_batches(schedule, batches, &defaults, &options, calendar)
    })
}

/// The columns `price` gives for the batches of `data` (read and priced with the GIL
/// released), as a pyarrow Table of `schema` at the schedule's money scale.
fn priced<'py>(
    py: Python<'py>,
    schedule: &Arc<Schedule>,
    data: AnyRecordBatch,
    schema: fn(i8) -> arrow_schema::SchemaRef,
    price: impl FnOnce(&Schedule, &[RecordBatch]) -> Result<Vec<RecordBatch>, posfee::reconcile::arrow::ArrowReadError> + Send,
) -> PyResult<Bound<'py, PyAny>> {
    let scale = schedule.rounding().scale.max(2) as i8;
    let schedule = Arc::clone(schedule);
    let reader = data.into_reader()?;
    let batches = guard_arrow(py, move || price(&schedule, &batches(reader, "trades", &None)?))?;
    PyTable::try_new(batches, schema(scale))?.into_pyarrow(py)
}

/// The fees alone of an Arrow table of trades (`fee`, `error`), as a pyarrow Table.
#[pyfunction]
#[pyo3(signature = (schedule, data, *, settlement = "T1", merchant_class = None, card_type = None, on_invalid = "raise"))]
pub fn fee_table<'py>(
    py: Python<'py>,
    schedule: &PySchedule,
    data: AnyRecordBatch,
    settlement: &str,
    merchant_class: Option<&str>,
    card_type: Option<&str>,
    on_invalid: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let on_invalid = crate::reconcile::on_invalid(py, on_invalid)?;
    let defaults = defaults(py, settlement, merchant_class, card_type)?;
    priced(py, &schedule.schedule, data, fee_schema, move |schedule, batches| fee_batches(schedule, batches, &defaults, on_invalid))
}

/// Compares offers (`(schedule, settlement mode or None)`) on an Arrow table of trades;
/// returns the core's comparison JSON.
#[pyfunction]
#[pyo3(signature = (data, offers, *, settlement = "T1", merchant_class = None, card_type = None, on_invalid = "raise"))]
pub fn compare(
    py: Python<'_>,
    data: AnyRecordBatch,
    offers: Vec<(PyRef<'_, PySchedule>, Option<String>)>,
    settlement: &str,
    merchant_class: Option<&str>,
    card_type: Option<&str>,
    on_invalid: &str,
) -> PyResult<String> {
    let mode = crate::reconcile::on_invalid(py, on_invalid)?;
    let defaults = defaults(py, settlement, merchant_class, card_type)?;
    let offers = offers
        .iter()
        .map(|(schedule, settlement)| {
            let offer = Offer::new((*schedule.schedule).clone());
            match settlement {
                Some(text) => {
                    SettlementMode::parse(text).map(|mode| offer.settlement(mode)).map_err(|e| core_error(py, &e.in_field("offers")))
                }
                None => Ok(offer),
            }
        })
        .collect::<PyResult<Vec<_>>>()?;
    let reader = data.into_reader()?;
    guard_arrow(py, move || Ok(compare_batches(&batches(reader, "trades", &None)?, &offers, &defaults, mode)?.to_json()))
}

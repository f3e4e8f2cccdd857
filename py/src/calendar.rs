//! `posfee._core.Calendar`: the mainland China working-day calendar.

use std::sync::{Arc, OnceLock};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use chrono::NaiveDate;
use posfee::{Calendar, CalendarPolicy};

use crate::convert::{date, int_text, shaped};
use crate::errors::guard;

/// The embedded calendar, or one built or extended at run time (shared, never copied).
#[pyclass(module = "posfee._core", name = "Calendar", frozen)]
pub struct PyCalendar {
    pub calendar: Arc<Calendar>,
}

/// The embedded China calendar, shared by every `Calendar.china()`.
static CHINA: OnceLock<Arc<Calendar>> = OnceLock::new();

/// A `calendar` argument: a `posfee.Calendar` (or a `posfee._core.Calendar`); `None` when
/// not given is the embedded one, as the core's functions take it.
pub struct CalendarArg(pub Arc<Calendar>);

impl<'py> FromPyObject<'_, 'py> for CalendarArg {
    type Error = PyErr;

    fn extract(value: Borrowed<'_, 'py, PyAny>) -> PyResult<CalendarArg> {
        let native = value.getattr("_native").unwrap_or_else(|_| value.to_owned());
        let calendar = native.cast::<PyCalendar>().map_err(|_| crate::errors::type_error("calendar", &value, "a posfee.Calendar"))?;
        Ok(CalendarArg(Arc::clone(&calendar.get().calendar)))
    }
}

fn loaded(calendar: Calendar) -> PyCalendar {
    PyCalendar { calendar: Arc::new(calendar) }
}

impl PyCalendar {
    /// A year (an int of any size) the calendar has data for.
    fn year(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<i32> {
        let text = int_text("year", value, "an int")?;
        guard(py, || self.calendar.year_from_text(&text))
    }
}

#[pymethods]
impl PyCalendar {
    #[staticmethod]
    fn china() -> PyCalendar {
        PyCalendar { calendar: Arc::clone(CHINA.get_or_init(|| Arc::new(Calendar::china().clone()))) }
    }

    /// A calendar from posfee's calendar TOML (`how="toml"`) or a TOML file (`"file"`),
    /// replacing the embedded data.
    #[staticmethod]
    fn load(py: Python<'_>, how: &str, source: &str) -> PyResult<PyCalendar> {
        match how {
            "toml" => guard(py, || Calendar::from_toml(source)).map(loaded),
            "file" => guard(py, || Calendar::from_file(source)).map(loaded),
            other => Err(PyValueError::new_err(format!("how must be toml or file, not {other:?}"))),
        }
    }

    /// This calendar with the years of `source` added: posfee's calendar TOML (`how="toml"`),
    /// `holiday-cn` JSON (`"json"`), or a file of either (`"file"`; the core tells which).
    fn with_years(&self, py: Python<'_>, how: &str, source: &str) -> PyResult<PyCalendar> {
        let calendar = &self.calendar;
        match how {
            "toml" => guard(py, || calendar.with_years_from_toml(source)).map(loaded),
            "json" => guard(py, || calendar.with_years_from_json(source)).map(loaded),
            "file" => guard(py, || calendar.with_years_from_file(source)).map(loaded),
            other => Err(PyValueError::new_err(format!("how must be toml, json or file, not {other:?}"))),
        }
    }

    #[getter]
    fn years(&self) -> (i32, i32) {
        let years = self.calendar.years();
        (*years.start(), *years.end())
    }

    fn notice(&self, py: Python<'_>, year: &Bound<'_, PyAny>) -> PyResult<String> {
        let year = self.year(py, year)?;
        guard(py, || self.calendar.notice(year).map(str::to_string))
    }

    fn holidays<'py>(&self, py: Python<'py>, year: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let year = self.year(py, year)?;
        shaped(py, &guard(py, || self.calendar.holidays(year))?, "holidays")
    }

    #[pyo3(signature = (day, provisional = false))]
    fn day<'py>(&self, py: Python<'py>, day: &Bound<'py, PyAny>, provisional: bool) -> PyResult<Bound<'py, PyAny>> {
        let day = date(py, "day", day)?;
        shaped(py, &guard(py, || self.calendar.under(CalendarPolicy::provisional(provisional)).day(day))?, "day")
    }

    #[pyo3(signature = (day, provisional = false))]
    fn is_business_day(&self, py: Python<'_>, day: &Bound<'_, PyAny>, provisional: bool) -> PyResult<bool> {
        let day = date(py, "day", day)?;
        guard(py, || self.calendar.under(CalendarPolicy::provisional(provisional)).is_business_day(day))
    }

    #[pyo3(signature = (day, n, provisional = false))]
    fn add_business_days(&self, py: Python<'_>, day: &Bound<'_, PyAny>, n: &Bound<'_, PyAny>, provisional: bool) -> PyResult<NaiveDate> {
        let day = date(py, "day", day)?;
        let n = int_text("n", n, "an int number of business days")?;
        guard(py, || {
            self.calendar.under(CalendarPolicy::provisional(provisional)).add_business_days(day, posfee::business_days_from_text(day, &n)?)
        })
    }

    #[pyo3(signature = (start, end, provisional = false))]
    fn business_days_between(&self, py: Python<'_>, start: &Bound<'_, PyAny>, end: &Bound<'_, PyAny>, provisional: bool) -> PyResult<i64> {
        let (start, end) = (date(py, "start", start)?, date(py, "end", end)?);
        guard(py, || self.calendar.under(CalendarPolicy::provisional(provisional)).business_days_between(start, end))
    }

    fn __repr__(&self) -> String {
        let years = self.calendar.years();
        format!("Calendar(years={}..={})", years.start(), years.end())
    }
}

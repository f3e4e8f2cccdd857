//! Python values → core values. Money never crosses as a float.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyFloat, PyInt, PyString, PyType};

use posfee::{Money, SettlementMode};

use crate::errors::{guard, type_error};

static FROM_CORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `$name(py)`: the Python type `$module.$type`, imported once.
macro_rules! python_type {
    ($name:ident, $module:literal, $type:literal) => {
        fn $name(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
            static TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
            TYPE.import(py, $module, $type)
        }
    };
}

python_type!(decimal_type, "decimal", "Decimal");
python_type!(date_type, "datetime", "date");
python_type!(datetime_type, "datetime", "datetime");
python_type!(timezone_type, "datetime", "timezone");

/// The message for money passed as a float (a Python `float`, a NumPy float or anything else
/// with `__float__` and no `__index__`).
pub fn float_message(argument: &str, value: &Bound<'_, PyAny>) -> String {
    let shown = repr_shown(value);
    let type_name = value.get_type().qualname().map(|n| n.to_string()).unwrap_or_else(|_| "float".to_string());
    let instead = "pass a decimal.Decimal or a str (e.g. decimal.Decimal('12.34') or '12.34'), or an int number of yuan";
    posfee::float_money_error(&format!("{argument} {shown} is a float ({type_name})"), instead).message().to_owned()
}

/// `posfee.FloatAmountError` for money passed as a float.
fn float_error(py: Python<'_>, argument: &str, value: &Bound<'_, PyAny>) -> PyErr {
    crate::errors::float_error(py, &float_message(argument, value), &posfee::Location::default().field(argument))
}

/// A trade amount from a `Decimal`, `int` (yuan) or `str`; never a float or a bool.
///
/// The value must be finite, non-negative, in whole fen, and at most the largest amount.
pub fn amount(py: Python<'_>, argument: &str, value: &Bound<'_, PyAny>) -> PyResult<Money> {
    let value = amount_value(py, argument, value)?;
    guard(py, || {
        match value {
            Amount::Fen(fen) => Money::try_from_fen(fen).and_then(Money::into_amount),
            Amount::Checked(money) => Ok(money),
            Amount::Text(text) => Money::parse_amount(&text),
            Amount::Parts(negative, digits, exponent) => Money::amount_from_decimal_parts(negative, &digits, exponent),
        }
        .map_err(|error| error.in_field(argument))
    })
}

/// A money value as read from Python, for the core's checked constructors.
enum Amount {
    /// Whole fen (from an int number of yuan).
    Fen(i64),
    /// An amount the core's checked constructor already took (a `Decimal` in whole fen).
    Checked(Money),
    /// Text: a `str`, an int too large for fen, or a `Decimal` that is not finite.
    Text(String),
    /// A finite `Decimal`'s sign, coefficient digits and exponent (`as_tuple()`): no text.
    Parts(bool, Vec<u8>, i64),
}

/// A money value after the type checks.
fn amount_value(py: Python<'_>, argument: &str, value: &Bound<'_, PyAny>) -> PyResult<Amount> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Amount::Text(text.to_cow()?.into_owned()));
    }
    if value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!("{argument} must be a Decimal, int or str amount, not bool ({})", value.repr()?)));
    }
    if value.is_instance_of::<PyInt>() {
        // An int is a number of yuan; its decimal text is exact at any size.
        if let Ok(yuan) = value.extract::<i64>() {
            if let Some(fen) = yuan.checked_mul(100) {
                return Ok(Amount::Fen(fen));
            }
        }
        return Ok(Amount::Text(value.str()?.to_cow()?.into_owned()));
    }
    if value.is_instance_of::<PyFloat>() {
        return Err(float_error(py, argument, value));
    }
    if value.is_instance(decimal_type(py)?)? {
        // The common amount, exactly and without text: `as_integer_ratio()` is n / d, whole
        // fen when d divides 100, and the core's checked constructor takes it (n > 0 keeps
        // the sign of -0 for the parts). Anything else is read from its parts.
        let ratio = value.call_method0(intern!(py, "as_integer_ratio")).and_then(|r| r.extract::<(i64, i64)>());
        if let Ok((numerator, denominator)) = ratio {
            let fen = (numerator > 0 && 100 % denominator == 0).then(|| numerator.checked_mul(100 / denominator)).flatten();
            if let Some(Ok(money)) = fen.map(|fen| Money::try_from_fen(fen).and_then(Money::into_amount)) {
                return Ok(Amount::Checked(money));
            }
        }
        // as_tuple(): (sign, digits, exponent); the exponent of NaN, sNaN and Infinity is a
        // letter, and the core names those by their text.
        let (sign, digits, exponent): (u8, Vec<u8>, Bound<'_, PyAny>) = value.call_method0(intern!(py, "as_tuple"))?.extract()?;
        return Ok(match exponent.extract::<i64>() {
            Ok(exponent) => Amount::Parts(sign == 1, digits, exponent),
            Err(_) => Amount::Text(value.str()?.to_cow()?.into_owned()),
        });
    }
    if value.hasattr("__float__")? && !value.hasattr("__index__")? {
        return Err(float_error(py, argument, value));
    }
    if value.hasattr("__index__")? {
        let index = value.call_method0("__index__")?;
        return amount_value(py, argument, &index);
    }
    Err(type_error(argument, value, "a decimal.Decimal, int or str amount"))
}

/// The decimal text of a Python int of any size (the core reads it and names it as written),
/// or a `TypeError` naming `argument` for any other type (a bool included).
pub fn int_text(argument: &str, value: &Bound<'_, PyAny>, expected: &str) -> PyResult<String> {
    if !value.is_instance_of::<PyInt>() || value.is_instance_of::<PyBool>() {
        return Err(type_error(argument, value, expected));
    }
    match value.extract::<i64>() {
        Ok(number) => Ok(number.to_string()),
        Err(_) => Ok(value.str()?.to_cow()?.into_owned()),
    }
}

/// A value given by its name (a channel such as `debit` or `借记卡`, a card type, a settlement
/// mode such as `T1` or `秒到`), read by the core's `parse`; `expected` says what `argument`
/// takes when it is not a `str`.
pub fn named<T>(
    py: Python<'_>,
    argument: &str,
    value: &Bound<'_, PyAny>,
    expected: &str,
    parse: fn(&str) -> posfee::Result<T>,
) -> PyResult<T> {
    let text = value.cast::<PyString>().map_err(|_| type_error(argument, value, expected))?.to_cow()?;
    guard(py, || parse(&text))
}

/// A settlement mode (`T1`, `T+1`, `D0`, `S0`, 秒到); `None` is T1.
pub fn settlement(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<SettlementMode> {
    match value.filter(|v| !v.is_none()) {
        None => Ok(SettlementMode::T(1)),
        Some(value) => named(py, "settlement", value, "a str such as 'T1', 'D0' or 'S0'", SettlementMode::parse),
    }
}

/// A point in time: `None` is now; an aware `datetime` keeps its offset; a naive `datetime`
/// is China time (UTC+08:00); a `date` is midnight China time; a `str` is RFC 3339 or a
/// China-time date-time.
pub fn at(py: Python<'_>, value: Option<&Bound<'_, PyAny>>) -> PyResult<DateTime<FixedOffset>> {
    let Some(value) = value.filter(|v| !v.is_none()) else { return Ok(posfee::china_now()) };
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?;
        return guard(py, || posfee::parse_china_time(&text).map_err(|e| e.in_field("at")));
    }
    if value.is_instance(datetime_type(py)?)? {
        return datetime(py, value);
    }
    if value.is_instance(date_type(py)?)? {
        let day = date(py, "at", value)?;
        return Ok(china_time(day.and_time(NaiveTime::MIN)));
    }
    Err(type_error("at", value, "a datetime.datetime, datetime.date, ISO 8601 str or None (now)"))
}

fn china_time(local: NaiveDateTime) -> DateTime<FixedOffset> {
    // UTC+08:00 has no gaps or folds: every local time maps to exactly one instant.
    posfee::china_offset().from_local_datetime(&local).single().expect("a fixed offset maps every local time")
}

/// An `InvalidDateError` in the field `at`: `value` (by its repr) and what is wrong with it.
fn invalid_at(py: Python<'_>, value: &Bound<'_, PyAny>, what: &str) -> PyErr {
    let message = format!("{} {what}", repr_shown(value));
    crate::errors::make_error(py, posfee::ErrorKind::InvalidDate, &message, &posfee::Location::default().field("at"))
}

/// A `datetime.datetime` read field by field: naive is China time, aware keeps its offset.
fn datetime(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<DateTime<FixedOffset>> {
    // A missing time (pandas.NaT, a datetime subclass whose fields are NaN) is not a time.
    let field = |name: &Bound<'_, PyString>| -> PyResult<u32> {
        value.getattr(name)?.extract().map_err(|_| invalid_at(py, value, "is not a date-time (a missing value?)"))
    };
    let year = field(intern!(py, "year"))? as i32; // datetime's years are 1 to 9999
    let (month, day) = (field(intern!(py, "month"))?, field(intern!(py, "day"))?);
    let (hour, minute, second) = (field(intern!(py, "hour"))?, field(intern!(py, "minute"))?, field(intern!(py, "second"))?);
    let microsecond = field(intern!(py, "microsecond"))?;
    let local = NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_micro_opt(hour, minute, second, microsecond))
        .ok_or_else(|| invalid_at(py, value, "is not a valid date-time"))?;
    let tzinfo = value.getattr(intern!(py, "tzinfo"))?;
    if tzinfo.is_none() {
        return Ok(china_time(local));
    }
    let fixed = match cached_offset(py, &tzinfo) {
        Some(fixed) => Some(fixed),
        None => {
            let offset = value.call_method0(intern!(py, "utcoffset"))?;
            if offset.is_none() {
                return Ok(china_time(local));
            }
            let part = |name: &Bound<'_, PyString>| -> PyResult<i64> { offset.getattr(name)?.extract() };
            let (days, seconds) = (part(intern!(py, "days"))?, part(intern!(py, "seconds"))?);
            let fixed =
                (part(intern!(py, "microseconds"))? == 0).then(|| FixedOffset::east_opt((days * 86_400 + seconds) as i32)).flatten();
            if let Some(fixed) = fixed {
                remember_offset(py, &tzinfo, fixed)?;
            }
            fixed
        }
    };
    let fixed = fixed.ok_or_else(|| invalid_at(py, value, "has a UTC offset that is not a whole number of seconds within a day"))?;
    fixed.from_local_datetime(&local).single().ok_or_else(|| invalid_at(py, value, "is not a valid date-time"))
}

/// The offset of the `datetime.timezone` last seen (a fixed offset, immutable): the cache
/// holds a reference to it, so its address is not reused while it is cached.
static LAST_ZONE: std::sync::Mutex<Option<(Py<PyAny>, FixedOffset)>> = std::sync::Mutex::new(None);

fn last_zone() -> std::sync::MutexGuard<'static, Option<(Py<PyAny>, FixedOffset)>> {
    LAST_ZONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn is_fixed_timezone(py: Python<'_>, tzinfo: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(tzinfo.get_type().is(timezone_type(py)?))
}

/// The offset of `tzinfo` when it is the zone last seen (only fixed ones are remembered).
fn cached_offset(py: Python<'_>, tzinfo: &Bound<'_, PyAny>) -> Option<FixedOffset> {
    last_zone().as_ref().filter(|(zone, _)| zone.bind(py).is(tzinfo)).map(|(_, offset)| *offset)
}

fn remember_offset(py: Python<'_>, tzinfo: &Bound<'_, PyAny>, offset: FixedOffset) -> PyResult<()> {
    if is_fixed_timezone(py, tzinfo)? {
        *last_zone() = Some((tzinfo.clone().unbind(), offset));
    }
    Ok(())
}

/// A calendar date: a `datetime.date` (not a `datetime`) or a `YYYY-MM-DD` str.
pub fn date(py: Python<'_>, argument: &str, value: &Bound<'_, PyAny>) -> PyResult<NaiveDate> {
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?;
        return guard(py, || posfee::parse_date(&text).map_err(|e| e.in_field(argument)));
    }
    if value.is_instance(datetime_type(py)?)? {
        return Err(PyTypeError::new_err(format!(
            "{argument} must be a datetime.date, not a datetime ({}); pass .date() of it in China time",
            repr_shown(value)
        )));
    }
    if value.is_instance(date_type(py)?)? {
        return value.extract();
    }
    Err(type_error(argument, value, "a datetime.date or a 'YYYY-MM-DD' str"))
}

/// A core value in its Python shape: its serde JSON read by `posfee.shapes._from_core` by the
/// shape of `result` there (money as `Decimal`, dates as `datetime.date`).
pub fn shaped<'py>(py: Python<'py>, value: &impl serde::Serialize, result: &str) -> PyResult<Bound<'py, PyAny>> {
    FROM_CORE.import(py, "posfee.shapes", "_from_core")?.call1((json_text(value)?, result))
}

/// A core value as its serde JSON text (money as strings).
pub fn json_text(value: &impl serde::Serialize) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// A value's repr as messages show it (the core's [`posfee::shown`]; `?` when it has none).
pub fn repr_shown(value: &Bound<'_, PyAny>) -> String {
    value.repr().map(|r| posfee::shown(&r.to_string())).unwrap_or_else(|_| "?".to_string())
}

/// A file given as its bytes (anything but a `str` that converts to bytes) or as its path,
/// with the name its errors show: `name`, else the path, else `unnamed` for bytes.
pub fn file_source(source: &Bound<'_, PyAny>, name: Option<String>, unnamed: &str) -> PyResult<(Result<Vec<u8>, PathBuf>, String)> {
    match source.extract::<Vec<u8>>() {
        Ok(bytes) if !source.is_instance_of::<PyString>() => Ok((Ok(bytes), name.unwrap_or_else(|| unnamed.to_owned()))),
        _ => {
            let path: PathBuf = source.extract()?;
            let file = name.unwrap_or_else(|| path.display().to_string());
            Ok((Err(path), file))
        }
    }
}

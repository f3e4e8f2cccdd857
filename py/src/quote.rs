//! `posfee._core.Schedule` and `posfee._core.Quote`.

use std::sync::Arc;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use posfee::{CalendarPolicy, Quote, QuoteRequest, Schedule};

use crate::calendar::CalendarArg;
use crate::convert;
use crate::errors::guard;

/// A `#[pymethods]` block for `$class` with one getter per listed item of the core value
/// `self.$inner`, each `name: kind`: a field read as `money` (or a rate: `Decimal`), `value`
/// (its own conversion: `datetime.date`, or `None`), `name` (the value's name), `text` (`str`) or `flag` (`bool`); a method
/// called as `call_text` (`str`), `call_maybe` (`str` or `None`), `call_name` (its name's
/// `str`) or `call_flag` (`bool`). The methods given after `;` are added to the block.
macro_rules! getters {
    ($class:ident, $inner:ident; $($item:ident: $kind:ident),* ; $($methods:tt)*) => {
        #[pymethods]
        impl $class {
            $(
                #[getter]
                fn $item<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    getters!(@$kind py, self.$inner, $item)
                }
            )*
            $($methods)*
        }
    };
    (@money $py:ident, $of:expr, $item:ident) => { $of.$item.to_decimal().into_pyobject($py) };
    (@value $py:ident, $of:expr, $item:ident) => { Ok($of.$item.into_pyobject($py)?.into_any()) };
    (@name $py:ident, $of:expr, $item:ident) => { Ok($of.$item.name().into_pyobject($py)?.into_any()) };
    (@text $py:ident, $of:expr, $item:ident) => { Ok($of.$item.to_string().into_pyobject($py)?.into_any()) };
    (@flag $py:ident, $of:expr, $item:ident) => { Ok($of.$item.into_pyobject($py)?.to_owned().into_any()) };
    (@call_text $py:ident, $of:expr, $item:ident) => { Ok($of.$item().to_string().into_pyobject($py)?.into_any()) };
    (@call_maybe $py:ident, $of:expr, $item:ident) => { Ok($of.$item().into_pyobject($py)?) };
    (@call_name $py:ident, $of:expr, $item:ident) => { Ok($of.$item().name().into_pyobject($py)?.into_any()) };
    (@call_flag $py:ident, $of:expr, $item:ident) => { Ok($of.$item().into_pyobject($py)?.to_owned().into_any()) };
}

/// Subclassed by the public `posfee.Schedule` (plain Python), so that `quote` is called
/// without a Python-level wrapper in between (a scalar quote is a hot path).
#[pyclass(module = "posfee._core", name = "Schedule", frozen, subclass)]
pub struct PySchedule {
    pub schedule: Arc<Schedule>,
}

fn wrap(schedule: Schedule) -> PySchedule {
    PySchedule { schedule: Arc::new(schedule) }
}

/// The request of a purchase (and of its void or refund) from the arguments of a quote.
#[allow(clippy::too_many_arguments)]
fn request(
    py: Python<'_>,
    amount: &Bound<'_, PyAny>,
    channel: &Bound<'_, PyAny>,
    at: Option<&Bound<'_, PyAny>>,
    settlement: Option<&Bound<'_, PyAny>>,
    merchant_class: Option<String>,
    card_type: Option<&Bound<'_, PyAny>>,
    provisional: bool,
) -> PyResult<QuoteRequest> {
    let amount = convert::amount(py, "amount", amount)?;
    let channel = convert::named(py, "channel", channel, "a str channel name such as 'debit'", posfee::Channel::parse)?;
    let at = convert::at(py, at)?;
    let mut request = QuoteRequest::new(amount, channel, at)
        .settlement(convert::settlement(py, settlement)?)
        .calendar_policy(CalendarPolicy::provisional(provisional));
    if let Some(class) = merchant_class {
        request = request.merchant_class(class);
    }
    if let Some(card_type) = card_type.filter(|c| !c.is_none()) {
        request = request.card_type(convert::named(py, "card_type", card_type, "'credit' or 'debit'", posfee::CardType::parse)?);
    }
    Ok(request)
}

getters! {
    PySchedule, schedule;
    name: call_text, title: call_maybe, source: call_maybe, refund_policy: call_name, cutoff: call_text;

    /// A handle on the same schedule as `source` (used by subclasses' constructors).
    #[new]
    fn new(source: PyRef<'_, PySchedule>) -> PySchedule {
        PySchedule { schedule: Arc::clone(&source.schedule) }
    }

    /// A schedule from `source`: a preset's name (`how="preset"`), TOML or JSON text
    /// (`"toml"`, `"json"`), or a file's path (`"file"`).
    #[staticmethod]
    fn load(py: Python<'_>, how: &str, source: &str) -> PyResult<PySchedule> {
        let load = match how {
            "preset" => Schedule::preset,
            "toml" => Schedule::from_toml,
            "json" => Schedule::from_json,
            "file" => |path: &str| Schedule::from_file(path),
            other => return Err(PyValueError::new_err(format!("how must be preset, toml, json or file, not {other:?}"))),
        };
        guard(py, || load(source)).map(wrap)
    }

    fn to_toml(&self) -> String {
        self.schedule.to_toml()
    }

    fn to_json(&self) -> String {
        self.schedule.to_json()
    }

    #[pyo3(
        signature = (amount, channel, at = None, settlement = None, *, merchant_class = None, card_type = None, calendar = None, provisional = false, limits = None),
        text_signature = "(self, amount, channel, at=None, settlement='T1', *, merchant_class=None, card_type=None, calendar=None, provisional=False, limits=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn quote(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        channel: &Bound<'_, PyAny>,
        at: Option<&Bound<'_, PyAny>>,
        settlement: Option<&Bound<'_, PyAny>>,
        merchant_class: Option<String>,
        card_type: Option<&Bound<'_, PyAny>>,
        calendar: Option<CalendarArg>,
        provisional: bool,
        limits: Option<std::path::PathBuf>,
    ) -> PyResult<PyQuote> {
        let mut request = request(py, amount, channel, at, settlement, merchant_class, card_type, provisional)?;
        if let Some(limits) = limits {
            request = request.limits(guard(py, || posfee::MerchantLimits::load(&limits.to_string_lossy()))?);
        }
        let quote = match calendar {
            None => guard(py, || self.schedule.quote(&request))?,
            Some(CalendarArg(calendar)) => guard(py, || self.schedule.quote_with(&request, &calendar))?,
        };
        Ok(PyQuote { quote })
    }

    /// A void (`kind="void"`) or a refund (`"refund"`: `refund_amount` at `refund_at`) of a
    /// purchase, for `posfee.Schedule.quote_void` and `quote_refund`.
    #[allow(clippy::too_many_arguments)]
    fn _quote_as(
        &self,
        py: Python<'_>,
        kind: &str,
        amount: &Bound<'_, PyAny>,
        channel: &Bound<'_, PyAny>,
        at: Option<&Bound<'_, PyAny>>,
        refund_amount: Option<&Bound<'_, PyAny>>,
        refund_at: Option<&Bound<'_, PyAny>>,
        settlement: Option<&Bound<'_, PyAny>>,
        merchant_class: Option<String>,
        card_type: Option<&Bound<'_, PyAny>>,
        provisional: bool,
    ) -> PyResult<PyQuote> {
        let request = request(py, amount, channel, at, settlement, merchant_class, card_type, provisional)?;
        let quote = match (kind, refund_amount) {
            ("void", None) => guard(py, || self.schedule.quote_void(&request))?,
            ("refund", Some(refund_amount)) => {
                let (refund_amount, refund_at) = (convert::amount(py, "refund_amount", refund_amount)?, convert::at(py, refund_at)?);
                guard(py, || self.schedule.quote_refund(&request, refund_amount, refund_at))?
            }
            _ => return Err(PyValueError::new_err(format!("kind must be void, or refund with a refund amount, not {kind:?}"))),
        };
        Ok(PyQuote { quote })
    }

    fn __repr__(&self) -> String {
        format!("Schedule({:?})", self.schedule.name())
    }
}

/// A quoted trade: fee, net amount, settlement date, explanation.
#[pyclass(module = "posfee", name = "Quote", frozen)]
pub struct PyQuote {
    pub quote: Quote,
}

getters! {
    PyQuote, quote;
    fee: money, net: money, amount: money, fee_returned: money, rate: money, settles_on: value, trade_day: value, calendar_data_ends: value,
    settles_on_provisional: flag, kind: name, channel: name, settlement: text, requested_settlement: text,
    schedule: text, rule: text, fee_exceeds_amount: flag, cap_applied: call_flag, floor_applied: call_flag;

    #[getter]
    fn lines<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::shaped(py, &self.quote.lines, "lines")
    }

    #[getter]
    fn limit_warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::shaped(py, &self.quote.limit_warnings, "limit_warnings")
    }

    /// The explanation, one line per step, in `lang` (en or zh).
    #[pyo3(signature = (lang = "en"))]
    fn explanation(&self, py: Python<'_>, lang: &str) -> PyResult<Vec<String>> {
        crate::errors::guard(py, || Ok(self.quote.explanation_in(posfee::Lang::parse(lang)?)))
    }

    /// The explanation as text, in `lang` (en or zh).
    #[pyo3(signature = (lang = "en"))]
    fn explain(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        Ok(self.explanation(py, lang)?.join("\n"))
    }

    /// The quote as JSON text (money as strings), the explanation in `lang`.
    #[pyo3(signature = (lang = "en"))]
    fn to_json(&self, py: Python<'_>, lang: &str) -> PyResult<String> {
        crate::errors::guard(py, || Ok(serde_json::to_string_pretty(&self.quote.json_in(posfee::Lang::parse(lang)?)).unwrap_or_default()))
    }

    fn __repr__(&self) -> String {
        format!(
            "Quote(kind={:?}, channel={:?}, amount=Decimal('{}'), fee=Decimal('{}'), net=Decimal('{}'), settlement={:?}, settles_on={})",
            self.quote.kind.name(),
            self.quote.channel.name(),
            self.quote.amount.to_decimal(),
            self.quote.fee.to_decimal(),
            self.quote.net.to_decimal(),
            self.quote.settlement.to_string(),
            self.quote.settles_on
        )
    }

    fn __str__(&self) -> String {
        self.quote.explanation().join("\n")
    }
}

//! The WebAssembly (JavaScript) binding of posfee.
//!
//! A thin layer over the `posfee` core: the core's requests in (`posfee::request`, through
//! `serde-wasm-bindgen`, or in the size-bound calculator read property by property by the
//! core's `posfee::request::Object` reader over [`Js`]), the core's serde shapes out, the TypeScript types declared once in
//! `types/*.d.ts`, and one function, [`to_js_error`], that turns any core error into a JS
//! `Error` with a `code` and its field in camelCase. No rule lives here: every number and
//! every request rule comes from the core.
//!
//! Money crosses the boundary as strings (`"1000.00"`), never as JS numbers: a number
//! amount is rejected with `code = "invalid_amount"`.
//!
//! The exports only convert values and errors; they are tested from JavaScript (wasm/test),
//! the rules they call in the core. The public JavaScript API is `js/guard.js` over
//! these exports: it checks argument types, reads request objects through their own
//! properties only, and re-instantiates the module if it ever traps.
//!
//! A panic never crosses as a raw trap: the panic hook throws a JS `Error` with
//! `code = "internal"` (the module is then restarted by `js/guard.js`).
#![forbid(unsafe_code)]

use std::cell::RefCell;
use std::rc::Rc;

use posfee::request::{Object, Value};
#[cfg(feature = "holiday-cn")]
use posfee::HolidayCnYear;
#[cfg(not(feature = "audit"))]
use posfee::{
    request::{CapInput, Case, QuoteInput, ScheduleSource},
    Schedule,
};
use posfee::{Calendar, Channel, Error, ErrorKind};
#[cfg(feature = "tables")]
use serde::Deserialize;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &str = include_str!("../types/posfee.d.ts");

/// Installs the panic hook when the module is instantiated: a panic throws a JS `Error` with
/// `code = "internal"` and the panic's message and place, instead of trapping with
/// `unreachable` (no console output: the caller gets the whole message).
/// The module's memory is then in an unknown state: `js/guard.js` re-instantiates it.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("internal error in posfee (a bug: please report it with the input that caused it): {info}");
        wasm_bindgen::throw_val(js_error(ErrorKind::Internal, &message, None));
    }));
}

// ---------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------

/// What to do about a [`ErrorKind::CalendarOutOfRange`] in JavaScript, appended to the core's
/// surface-neutral message.
pub const CALENDAR_OUT_OF_RANGE_HINT: &str =
    "In JavaScript: load that year's holiday-cn JSON file with loadHolidays(text) once it is published, or pass provisional: true to quote()";

/// The message of an error as JavaScript shows it: the core's, with [`CALENDAR_OUT_OF_RANGE_HINT`]
/// for [`ErrorKind::CalendarOutOfRange`].
pub fn js_message(error: &Error) -> String {
    // Every kind listed (no wildcard): a new kind does not build until JavaScript has decided
    // whether it needs a way out of its own.
    let hint = match error.kind() {
        ErrorKind::CalendarOutOfRange => Some(CALENDAR_OUT_OF_RANGE_HINT),
        ErrorKind::InvalidAmount
        | ErrorKind::InvalidRate
        | ErrorKind::InvalidChannel
        | ErrorKind::InvalidSettlement
        | ErrorKind::InvalidDate
        | ErrorKind::InvalidSchedule
        | ErrorKind::UnknownPreset
        | ErrorKind::NoMatchingRule
        | ErrorKind::NoScheduleVersion
        | ErrorKind::InvalidCalendar
        | ErrorKind::InvalidRequest
        | ErrorKind::InvalidRecord
        | ErrorKind::Io
        | ErrorKind::Overflow
        | ErrorKind::Internal => None,
    };
    match hint {
        Some(hint) => format!("{error}. {hint}"),
        None => error.to_string(),
    }
}

/// Turns any core error into a JS `Error` whose `code` is the core's stable code, with the
/// location's `field`, `line`, `column` and `file` when known (the core's [`posfee::Location`]),
/// and for a date outside the holiday data the JS way out ([`js_message`]).
pub fn to_js_error(error: &Error) -> JsValue {
    let location = error.location();
    let js = js_error(error.kind(), &js_message(error), location.field.as_deref());
    let set = |key: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    if let Some(line) = location.line {
        set("line", JsValue::from_f64(line as f64));
    }
    if let Some(column) = location.column {
        set("column", JsValue::from_f64(column as f64));
    }
    if let Some(file) = &location.file {
        set("file", JsValue::from_str(file));
    }
    js
}

/// A JS `Error` (`name` `PosfeeError`) with the `code` of `kind` and the request `field` in
/// camelCase: a core error's ([`to_js_error`]), or one the binding finds itself (a result it
/// cannot convert, serde-wasm-bindgen's refusal of a request), told with the core's codes.
pub fn js_error(kind: ErrorKind, message: &str, field: Option<&str>) -> JsValue {
    let js = js_sys::Error::new(message);
    js.set_name("PosfeeError");
    let object: &JsValue = js.as_ref();
    let _ = js_sys::Reflect::set(object, &JsValue::from_str("code"), &JsValue::from_str(kind.code()));
    if let Some(field) = field {
        // The core names request fields as Rust and Python do; JavaScript requests use
        // camelCase. Only request fields are renamed: a file's column (`trade_id`) or a limits
        // object's key (`limits.business_hours`) is named as written.
        let field = match field {
            "merchant_class" => "merchantClass",
            "card_type" => "cardType",
            // The others only in the builds whose requests have them.
            #[cfg(feature = "tables")]
            "on_invalid" => "onInvalid",
            #[cfg(feature = "audit")]
            "merchant_no" => "merchantNo",
            #[cfg(feature = "audit")]
            "rows_max" => "rowsMax",
            #[cfg(feature = "deposits")]
            "bank_format" => "bankFormat",
            #[cfg(feature = "deposits")]
            "as_of" => "asOf",
            #[cfg(feature = "deposits")]
            "covered_from" => "coveredFrom",
            other => other,
        };
        let _ = js_sys::Reflect::set(object, &JsValue::from_str("field"), &JsValue::from_str(field));
    }
    js.into()
}

/// A JavaScript value as the core's request readers see it (`posfee::request::Object`).
pub struct Js(JsValue);

impl Js {
    /// What `value` is: absent (`undefined`, `null`), text, a boolean, a number (as its JS
    /// text), an array, an object.
    pub fn value(value: JsValue) -> Value<Js> {
        if value.is_undefined() || value.is_null() {
            Value::Absent
        } else if let Some(text) = value.as_string() {
            Value::Text(text)
        } else if let Some(flag) = value.as_bool() {
            Value::Bool(flag)
        } else if let Some(number) = value.as_f64() {
            Value::Number(number.to_string())
        } else if js_sys::Array::is_array(&value) {
            Value::List(js_sys::Array::from(&value).iter().map(Js::value).collect())
        } else if value.is_object() {
            Value::Object(Js(value))
        } else {
            Value::Other
        }
    }
}

impl Object for Js {
    fn keys(&self) -> Vec<String> {
        let object: &js_sys::Object = self.0.unchecked_ref();
        js_sys::Object::keys(object).iter().map(|key| key.as_string().unwrap_or_default()).collect()
    }

    fn get(&self, key: &str) -> Value<Js> {
        Js::value(js_sys::Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
    }
}

fn js_result<T: Serialize>(result: Result<T, Error>) -> Result<JsValue, JsValue> {
    let value = result.map_err(|e| to_js_error(&e))?;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(ErrorKind::InvalidRequest, &format!("cannot convert the result: {e}"), None))
}

/// Checks that a request is an object of known keys only (`posfee::request::known_keys`): a
/// misspelt key (`settlment`) is an error, never silently ignored.
#[cfg(feature = "audit")]
fn check_keys(value: &JsValue, what: &str, allowed: &[&str]) -> Result<(), JsValue> {
    posfee::request::known_keys(Js::value(value.clone()), what, allowed).map_err(|e| to_js_error(&e))
}

#[cfg(feature = "tables")] // the calculator reads its requests without serde (`Js`, the core's object reader)
fn from_js<T: for<'de> Deserialize<'de>>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(|e| js_error(ErrorKind::InvalidRequest, &format!("{what} is not valid: {e}"), None))
}

// ---------------------------------------------------------------------------------------
// The calendar in use (the requests themselves are the core's, `posfee::request`)
// ---------------------------------------------------------------------------------------

thread_local! {
    /// The calendar in use when holiday years were loaded (`loadHolidays`); the embedded
    /// China calendar otherwise.
    static LOADED_CALENDAR: RefCell<Option<Rc<Calendar>>> = const { RefCell::new(None) };
}

/// `f` of the calendar in use: the embedded China calendar plus the years loaded with
/// `loadHolidays`.
fn with_calendar<T>(f: impl FnOnce(&Calendar) -> T) -> T {
    let loaded = LOADED_CALENDAR.with(|loaded| loaded.borrow().clone());
    f(loaded.as_deref().unwrap_or(Calendar::china()))
}

// ---------------------------------------------------------------------------------------
// The calendar years
// ---------------------------------------------------------------------------------------

/// The years a calendar covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalendarYears {
    /// The first year with data.
    pub first_year: i32,
    /// The last year with data.
    pub last_year: i32,
}

fn years_of(calendar: &Calendar) -> CalendarYears {
    CalendarYears { first_year: *calendar.years().start(), last_year: *calendar.years().end() }
}

/// Makes `extended` (the calendar in use with years added) the calendar in use.
#[cfg(feature = "holiday-cn")]
fn use_calendar(extended: posfee::Result<Calendar>) -> Result<JsValue, JsValue> {
    let extended = extended.map_err(|e| to_js_error(&e.in_field("holidays")))?;
    let years = years_of(&extended);
    LOADED_CALENDAR.with(|loaded| *loaded.borrow_mut() = Some(Rc::new(extended)));
    js_result(Ok(years))
}

// ---------------------------------------------------------------------------------------
// The JavaScript API
// ---------------------------------------------------------------------------------------

/// The preset schedules: `[{name, title, titleZh, source}]`.
#[wasm_bindgen(js_name = presets, unchecked_return_type = "PresetInfo[]")]
pub fn presets_js() -> Result<JsValue, JsValue> {
    js_result(posfee::preset_infos())
}

/// The channels: `[{name, nameZh, cardType}]`.
#[wasm_bindgen(js_name = channels, unchecked_return_type = "ChannelInfo[]")]
pub fn channels_js() -> Result<JsValue, JsValue> {
    js_result(Ok(Channel::ALL.map(posfee::ChannelInfo::from)))
}

/// The TOML text of a preset.
#[wasm_bindgen(js_name = presetToml)]
pub fn preset_toml_js(name: &str) -> Result<String, JsValue> {
    posfee::preset_toml(name).map(str::to_owned).map_err(|e| to_js_error(&e.in_field("preset")))
}

#[cfg(not(feature = "audit"))] // the calculator module has it; the statement checker leaves it out (600 KB budget)
/// Whether a date (`2026-10-08`) is a mainland China business day.
#[wasm_bindgen(js_name = isBusinessDay)]
pub fn is_business_day_js(date: &str) -> Result<bool, JsValue> {
    let date = posfee::parse_date(date).map_err(|e| to_js_error(&e.in_field("date")))?;
    with_calendar(|calendar| calendar.is_business_day(date)).map_err(|e| to_js_error(&e))
}

#[cfg(not(feature = "audit"))] // the calculator module has it; the statement checker leaves it out (600 KB budget)
/// The date `n` business days after `date` (before it when `n` is negative).
#[wasm_bindgen(js_name = addBusinessDays)]
pub fn add_business_days_js(date: &str, n: f64) -> Result<String, JsValue> {
    // A whole number a JS number holds exactly (at most `Number.MAX_SAFE_INTEGER`).
    if !(n.is_finite() && n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0) {
        let message = "n must be a whole number of business days (a safe integer)";
        return Err(js_error(ErrorKind::InvalidRequest, message, Some("n")));
    }
    let date = posfee::parse_date(date).map_err(|e| to_js_error(&e.in_field("date")))?;
    // The core's range: an answer outside `posfee::ANSWER_YEARS` is an `overflow` in `n`.
    let day = with_calendar(|calendar| calendar.add_business_days(date, n as i64)).map_err(|e| to_js_error(&e))?;
    Ok(day.to_string())
}

/// A fee schedule parsed once and quoted many times: `Schedule.preset("standard")` or
/// `Schedule.parse(tomlText)`, then `.quote({amount, channel, at, ...})` and
/// `.capThreshold({channel, at, ...})` (the requests of `quote` and `capThreshold` without
/// `preset` or `schedule`). `js/guard.js` wraps it so that a handle outlives a restart of the
/// module.
#[cfg(not(feature = "audit"))] // the calculator module has it; the statement checker leaves it out (600 KB budget)
#[wasm_bindgen(js_name = Schedule)]
pub struct ScheduleHandle(Schedule);

#[cfg(not(feature = "audit"))]
#[wasm_bindgen(js_class = Schedule)]
impl ScheduleHandle {
    /// The schedule a request names: exactly one of a preset name and TOML text. It makes
    /// `Schedule.preset(name)`, `Schedule.parse(toml)` and the schedule of a `quote` or
    /// `capThreshold` request in `js/guard.js` (the both-or-neither messages live here only).
    pub fn named(preset: Option<String>, schedule: Option<String>) -> Result<ScheduleHandle, JsValue> {
        let source = ScheduleSource::of(&preset, &schedule).map_err(|e| to_js_error(&e))?;
        source.load().map(ScheduleHandle).map_err(|e| to_js_error(&e))
    }

    /// The schedule's rules, surcharges and versions (`parseSchedule` in `js/guard.js` is
    /// `Schedule.parse(text).info()`).
    #[wasm_bindgen(unchecked_return_type = "ScheduleInfo")]
    pub fn info(&self) -> Result<JsValue, JsValue> {
        js_result(Ok(&self.0))
    }

    /// Quotes a purchase with this schedule.
    #[wasm_bindgen(unchecked_return_type = "Quote")]
    pub fn quote(&self, #[wasm_bindgen(unchecked_param_type = "ScheduleQuoteRequest")] request: JsValue) -> Result<JsValue, JsValue> {
        let quote = QuoteInput::from_object(Js::value(request), Case::Camel)
            .and_then(|input| with_calendar(|calendar| input.quote(&self.0, calendar)))
            .map_err(|e| to_js_error(&e))?;
        js_result(Ok(quote.json()))
    }

    /// Where the cap of the rule pricing a channel starts to apply, or `null` when uncapped.
    #[wasm_bindgen(js_name = capThreshold, unchecked_return_type = "CapThreshold | null")]
    pub fn cap_threshold(&self, #[wasm_bindgen(unchecked_param_type = "ScheduleCapRequest")] request: JsValue) -> Result<JsValue, JsValue> {
        js_result(CapInput::from_object(Js::value(request), Case::Camel).and_then(|input| input.cap_threshold(&self.0)))
    }
}

#[cfg(all(feature = "tables", not(feature = "audit")))] // not in the statement checker (600 KB budget)
/// Quotes rows of trades as one table: `[{fee, net, rule, limit, settlement_applied,
/// trade_day, settles_on, warnings, error}]`, strings.
#[wasm_bindgen(js_name = quoteMany, unchecked_return_type = "QuotedRow[]")]
pub fn quote_many_js(#[wasm_bindgen(unchecked_param_type = "QuoteManyRequest")] request: JsValue) -> Result<JsValue, JsValue> {
    let input: posfee::request::QuoteManyInput = from_js(request, "the quoteMany request")?;
    js_result(with_calendar(|calendar| input.quote(calendar)))
}

#[cfg(all(feature = "tables", not(feature = "audit")))] // not in the statement checker (600 KB budget)
/// The names of the quoted columns, in order (`posfee::QUOTED_COLUMNS`).
#[wasm_bindgen(js_name = quotedColumns, unchecked_return_type = "string[]")]
pub fn quoted_columns_js() -> Result<JsValue, JsValue> {
    js_result(Ok(posfee::QUOTED_COLUMNS.to_vec()))
}

#[cfg(feature = "tables")]
/// Compares offers on rows of trades (the shape of `posfee compare --json`).
#[wasm_bindgen(js_name = compare, unchecked_return_type = "Comparison")]
pub fn compare_js(#[wasm_bindgen(unchecked_param_type = "CompareRequest")] request: JsValue) -> Result<JsValue, JsValue> {
    let input: posfee::request::CompareInput = from_js(request, "the compare request")?;
    js_result(input.compare())
}

/// Adds holiday-cn years (one parsed holiday-cn year object, or an array of them) to the
/// calendar used by quotes, `isBusinessDay` and `addBusinessDays`; returns the years now
/// covered. The public `loadHolidays(text)` of `js/guard.js` parses the text with `JSON.parse`:
/// no JSON parser is linked into the module. The core checks the years (`invalid_calendar`:
/// holiday-cn's empty placeholder for a year not yet published, a bad date, a gap, ...).
#[cfg(feature = "holiday-cn")]
#[wasm_bindgen(js_name = loadHolidayCn, unchecked_return_type = "CalendarYears")]
pub fn load_holiday_cn_js(
    #[wasm_bindgen(unchecked_param_type = "HolidayCnYear | HolidayCnYear[]")] years: JsValue,
) -> Result<JsValue, JsValue> {
    let years = HolidayCnYear::from_object(Js::value(years)).map_err(|e| to_js_error(&e.in_field("holidays")))?;
    use_calendar(with_calendar(|calendar| calendar.with_holiday_cn_years(years)))
}

/// Adds the years of a posfee calendar TOML text. Only in a build with the `holidays` feature:
/// the core's TOML reader does not fit the calculator's 150 KB budget (wasm/README.md).
#[cfg(feature = "holidays")]
#[wasm_bindgen(js_name = loadHolidaysToml, unchecked_return_type = "CalendarYears")]
pub fn load_holidays_toml_js(text: &str) -> Result<JsValue, JsValue> {
    use_calendar(with_calendar(|calendar| calendar.with_years_from_toml(text)))
}

/// Drops the years loaded with `loadHolidays`; returns the years of the embedded calendar.
#[wasm_bindgen(js_name = resetHolidays, unchecked_return_type = "CalendarYears")]
pub fn reset_holidays_js() -> Result<JsValue, JsValue> {
    LOADED_CALENDAR.with(|loaded| *loaded.borrow_mut() = None);
    js_result(Ok(years_of(Calendar::china())))
}

/// The largest holiday text `loadHolidays` accepts, in UTF-8 bytes (the core's limit on
/// configuration text, [`posfee::CONFIG_BYTES_MAX`]), checked before `JSON.parse`.
#[cfg(feature = "holiday-cn")]
#[wasm_bindgen(js_name = holidayTextMax)]
pub fn holiday_text_max_js() -> u32 {
    posfee::CONFIG_BYTES_MAX as u32
}

/// The years the calendar in use covers.
#[wasm_bindgen(js_name = calendarYears, unchecked_return_type = "CalendarYears")]
pub fn calendar_years_js() -> Result<JsValue, JsValue> {
    js_result(Ok(with_calendar(years_of)))
}

/// Test-only: panics, to check that a panic surfaces as an Error with code "internal" and
/// that the module stays usable.
#[wasm_bindgen(js_name = __forcePanicForTests)]
pub fn force_panic_for_tests() {
    panic!("forced panic for tests");
}

/// Test-only: traps (`unreachable`, no panic), to check the JS wrapper's recovery from a trap.
#[wasm_bindgen(js_name = __forceTrapForTests)]
pub fn force_trap_for_tests() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}

/// The error codes the core can return (ErrorKind codes), for UIs that translate them.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "string[]")]
pub fn error_codes_js() -> Result<JsValue, JsValue> {
    js_result(Ok(ErrorKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>()))
}

// Declared in every build so that index.d.ts can name them; the functions are in the `audit` build.
#[wasm_bindgen(typescript_custom_section)]
const AUDIT_TYPES: &str = include_str!("../types/audit.d.ts");

#[cfg(feature = "audit")]
/// A checked statement (`checkStatement`): the result and the downloads, kept in the module
/// until `free()`.
#[wasm_bindgen]
pub struct StatementCheck(posfee::reconcile::StatementAudit, usize);

#[cfg(feature = "audit")]
#[wasm_bindgen]
impl StatementCheck {
    /// The core's overview: summary, classes, labels, the first problem rows.
    #[wasm_bindgen(unchecked_return_type = "StatementCheckResult")]
    pub fn result(&self) -> Result<JsValue, JsValue> {
        js_result(Ok(self.0.overview(self.1)))
    }

    /// The report CSV (every row and every unreadable line, with its class and reason).
    #[wasm_bindgen(js_name = reportCsv)]
    pub fn report_csv(&self) -> String {
        self.0.report_csv()
    }

    /// The dispute list as a printable HTML page.
    #[wasm_bindgen(js_name = disputeHtml)]
    pub fn dispute_html(&self) -> String {
        self.0.dispute().to_html(self.0.report.lang())
    }

    /// The dispute list as CSV.
    #[wasm_bindgen(js_name = disputeCsv)]
    pub fn dispute_csv(&self) -> String {
        self.0.dispute().to_csv(self.0.report.lang())
    }
}

#[cfg(feature = "audit")]
/// Checks a statement file (bytes) against the contract, with a ledger CSV when given.
#[wasm_bindgen(js_name = checkStatement)]
pub fn check_statement_js(
    #[wasm_bindgen(unchecked_param_type = "StatementCheckRequest")] request: JsValue,
    statement: &[u8],
    ledger: Option<Vec<u8>>,
) -> Result<StatementCheck, JsValue> {
    check_keys(&request, "the checkStatement request", &posfee::reconcile::AuditRequest::KEYS)?;
    let input: posfee::reconcile::AuditRequest = from_js(request, "the checkStatement request")?;
    input.run(statement, ledger.as_deref()).map(|(audit, rows_max)| StatementCheck(audit, rows_max)).map_err(|e| to_js_error(&e))
}

#[cfg(feature = "audit")]
/// The purchases of a statement file as trades `{format, trades: [{amount, channel, time}]}`,
/// strings only, for `compare`.
#[wasm_bindgen(js_name = statementTrades)]
pub fn statement_trades_js(name: &str, format: Option<String>, statement: &[u8]) -> Result<JsValue, JsValue> {
    js_result(posfee::reconcile::FileBytes::new(name, statement).format(format.as_deref().unwrap_or("auto")).purchases())
}

#[cfg(feature = "deposits")]
/// Checks that the statement's payouts reached the bank account (到账核对): both files as
/// bytes, the bank statement in any shipped bank format (sniffed).
#[wasm_bindgen(js_name = checkDeposits, unchecked_return_type = "DepositsCheckResult")]
pub fn check_deposits_js(
    #[wasm_bindgen(unchecked_param_type = "DepositsCheckRequest")] request: JsValue,
    statement: &[u8],
    bank: &[u8],
) -> Result<JsValue, JsValue> {
    check_keys(&request, "the checkDeposits request", &posfee::reconcile::deposits::DepositRequest::KEYS)?;
    let input: posfee::reconcile::deposits::DepositRequest = from_js(request, "the checkDeposits request")?;
    let (audit, lang) = input.run(statement, bank).map_err(|e| to_js_error(&e))?;
    js_result(Ok(audit.overview(lang)))
}

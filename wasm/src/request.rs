//! The calculator's request objects (`Schedule.quote`, `Schedule.capThreshold`, and a quote's `limits`), read
//! property by property.
//!
//! Not with serde: serde-wasm-bindgen's deserializer and the derived visitors cost about
//! 4.6 KB of the calculator module's 150 KB gzipped budget (BENCHMARKS.md). `js/guard.js` has
//! checked the types and copied the own properties already; these readers check again, since
//! the raw glue can be called directly: an unknown key, a missing value or one of the wrong
//! type is an `Error` with `code` `invalid_request` (`invalid_amount` for an amount that is not
//! a string) and the `field`. What the values mean is the core's to judge.

use posfee::ErrorKind;
use wasm_bindgen::JsValue;

use posfee::request::{CapInput, QuoteInput};

use crate::{check_keys, to_js_error, Error, CAP_FIELDS, QUOTE_FIELDS};

/// The fields of one request object; `prefix` places them (`""`, `"limits."`).
pub(crate) struct Request<'a> {
    object: &'a JsValue,
    prefix: &'a str,
}

impl<'a> Request<'a> {
    /// `object`, which must be an object whose keys are all `allowed`.
    pub(crate) fn new(object: &'a JsValue, what: &str, allowed: &[&str], prefix: &'a str) -> Result<Request<'a>, JsValue> {
        check_keys(object, what, allowed)?;
        Ok(Request { object, prefix })
    }

    /// The value of `key`; `None` when it is `undefined` or `null` (an absent optional field).
    pub(crate) fn get(&self, key: &str) -> Option<JsValue> {
        let value = js_sys::Reflect::get(self.object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    /// Where `key` is, for errors: the prefix and the key.
    pub(crate) fn field(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// An error of kind `kind` about `key`.
    pub(crate) fn error(&self, kind: ErrorKind, key: &str, message: &str) -> JsValue {
        let field = self.field(key);
        to_js_error(&Error::new(kind, format!("{field} {message}")).in_field(&field))
    }

    /// The core's answer about the value of `key`, its error placed there.
    pub(crate) fn placed<T>(&self, result: posfee::Result<T>, key: &str) -> Result<T, JsValue> {
        result.map_err(|error| to_js_error(&Error::from(error.in_field(self.field(key)))))
    }

    /// An optional string.
    pub(crate) fn text(&self, key: &str) -> Result<Option<String>, JsValue> {
        self.get(key)
            .map(|value| value.as_string().ok_or_else(|| self.error(ErrorKind::InvalidRequest, key, "must be a string")))
            .transpose()
    }

    /// A string that must be given.
    pub(crate) fn required(&self, key: &str) -> Result<String, JsValue> {
        self.text(key)?.ok_or_else(|| self.error(ErrorKind::InvalidRequest, key, "is missing"))
    }

    /// An optional boolean.
    pub(crate) fn flag(&self, key: &str) -> Result<Option<bool>, JsValue> {
        self.get(key)
            .map(|value| value.as_bool().ok_or_else(|| self.error(ErrorKind::InvalidRequest, key, "must be true or false")))
            .transpose()
    }

    /// An amount that must be given, as a string (a JS number is refused here: money never
    /// crosses as a float).
    pub(crate) fn amount(&self, key: &str) -> Result<String, JsValue> {
        let value = self.get(key).ok_or_else(|| self.error(ErrorKind::InvalidRequest, key, "is missing"))?;
        value.as_string().ok_or_else(|| self.error(ErrorKind::InvalidAmount, key, "must be a string such as \"1000.00\""))
    }
}

/// Reads the request of `Schedule.quote`.
///
/// # Errors
/// As [`Request`]'s readers, and those of `LimitsInput::from_js` for `limits`.
pub fn quote_input(request: &JsValue) -> Result<QuoteInput, JsValue> {
    let fields = Request::new(request, "the quote request", &QUOTE_FIELDS, "")?;
    Ok(QuoteInput {
        amount: fields.amount("amount")?,
        trade: cap_fields(&fields)?,
        settlement: fields.text("settlement")?,
        provisional: fields.flag("provisional")?,
        limits: fields
            .get("limits")
            .map(|limits| crate::limits::LimitsInput::from_js(&limits)?.to_core().map_err(|e| to_js_error(&e)))
            .transpose()?,
    })
}

/// Reads the request of `Schedule.capThreshold`.
///
/// # Errors
/// As [`Request`]'s readers.
pub fn cap_input(request: &JsValue) -> Result<CapInput, JsValue> {
    cap_fields(&Request::new(request, "the cap request", &CAP_FIELDS, "")?)
}

/// The fields a cap request shares with a quote request.
fn cap_fields(fields: &Request<'_>) -> Result<CapInput, JsValue> {
    Ok(CapInput {
        channel: fields.required("channel")?,
        at: fields.required("at")?,
        merchant_class: fields.text("merchantClass")?,
        card_type: fields.text("cardType")?,
    })
}

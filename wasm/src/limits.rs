//! The `limits` of a quote request: the merchant's registered limits and business hours, for
//! the quote's `limitWarnings` (the core's [`posfee::Quote::limit_warnings`]). Conversion only:
//! the presets, the hours' format and every check are the core's
//! ([`MerchantLimits::from_parts`]).

use posfee::{Channel, ChannelLimits, ErrorKind, MerchantLimits, Money};
use wasm_bindgen::{JsCast, JsValue};

use crate::failure::Error;
use crate::request::Request;

/// The fields of a limits object: those of a limits TOML file (`MerchantLimits::from_toml`).
pub const LIMITS_FIELDS: [&str; 3] = ["preset", "business_hours", "limits"];
/// The fields of one group of channel limits.
pub const GROUP_FIELDS: [&str; 5] = ["channels", "per_transaction", "per_day", "per_month", "per_day_count"];

/// A quote request's `limits`, read: a preset name alone is `{preset}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LimitsInput {
    /// The preset to start from: `personal-micro-merchant` or `personal-static-code`.
    pub preset: Option<String>,
    /// The registered business hours, `HH:MM-HH:MM` in China time.
    pub business_hours: Option<String>,
    /// Further groups of channel limits.
    pub limits: Vec<ChannelLimits>,
}

impl LimitsInput {
    /// The core's limits, with an error's field under `limits` (`limits.business_hours`,
    /// `limits.limits[0].per_day`).
    ///
    /// # Errors
    /// Those of [`MerchantLimits::from_parts`].
    pub fn to_core(&self) -> Result<MerchantLimits, Error> {
        MerchantLimits::from_parts(self.preset.as_deref(), self.business_hours.as_deref(), self.limits.clone()).map_err(|error| {
            let field = error.location().field.as_deref().map_or_else(|| "limits".to_owned(), |inner| format!("limits.{inner}"));
            Error::new(error.kind(), error.message()).in_field(&field)
        })
    }

    /// Reads `limits`: a preset name, or an object with [`LIMITS_FIELDS`] whose `limits` is an
    /// array of groups with [`GROUP_FIELDS`] (amounts as strings, `per_day_count` a whole
    /// number).
    ///
    /// # Errors
    /// A JS `Error` with `code` `invalid_request` (an unknown field, a value of the wrong type),
    /// `invalid_channel` or `invalid_amount`, its `field` under `limits`.
    pub fn from_js(value: &JsValue) -> Result<LimitsInput, JsValue> {
        if let Some(preset) = value.as_string() {
            return Ok(LimitsInput { preset: Some(preset), ..LimitsInput::default() });
        }
        let fields = Request::new(value, "limits", &LIMITS_FIELDS, "limits.")?;
        let mut input = LimitsInput { preset: fields.text("preset")?, business_hours: fields.text("business_hours")?, limits: Vec::new() };
        if let Some(groups) = fields.get("limits") {
            if !js_sys::Array::is_array(&groups) {
                return Err(fields.error(ErrorKind::InvalidRequest, "limits", "must be an array of groups of channel limits"));
            }
            for (k, group) in groups.unchecked_into::<js_sys::Array>().iter().enumerate() {
                let at = format!("limits.limits[{k}]");
                let prefix = format!("{at}.");
                input.limits.push(read_group(&Request::new(&group, &at, &GROUP_FIELDS, &prefix)?)?);
            }
        }
        Ok(input)
    }
}

/// One group of channel limits.
fn read_group(group: &Request<'_>) -> Result<ChannelLimits, JsValue> {
    let mut channels = Vec::new();
    if let Some(names) = group.get("channels") {
        if !js_sys::Array::is_array(&names) {
            return Err(group.error(ErrorKind::InvalidRequest, "channels", "must be an array of channel names"));
        }
        for name in names.unchecked_into::<js_sys::Array>().iter() {
            let name =
                name.as_string().ok_or_else(|| group.error(ErrorKind::InvalidRequest, "channels", "must be an array of channel names"))?;
            channels.push(group.placed(Channel::parse(&name), "channels")?);
        }
    }
    let mut limits = ChannelLimits::new(channels);
    let amount = |key: &str| group.text(key)?.map(|text| group.placed(Money::parse(&text), key)).transpose();
    limits.per_transaction = amount("per_transaction")?;
    limits.per_day = amount("per_day")?;
    limits.per_month = amount("per_month")?;
    if let Some(count) = group.get("per_day_count") {
        let whole = count.as_f64().filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n));
        limits.per_day_count =
            Some(whole.ok_or_else(|| group.error(ErrorKind::InvalidRequest, "per_day_count", "must be a whole number"))? as u32);
    }
    Ok(limits)
}

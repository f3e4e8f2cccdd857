//! Requests read field by field from the objects of a surface that has no serde reader of its
//! own (a JavaScript object seen through the WebAssembly binding; a JSON map works the same).
//! The surface only says what its values are ([`Object`], [`Value`]); the rules of a request's
//! shape are the core's: every key known, each value of its type, an amount only as text, and
//! every error naming the field where it was (`limits.limits[0].per_day`).

use super::{CapInput, QuoteInput};
use crate::error::{Error, ErrorKind, Result};
use crate::{Channel, ChannelLimits, HolidayCnDay, HolidayCnYear, MerchantLimits, Money};

/// A value of a request as the surface holds it.
///
/// # Example
/// ```
/// use posfee::request::{Case, CapInput, Object, Value};
/// struct Map(Vec<(&'static str, &'static str)>); // a surface's object: text fields only
/// impl Object for Map {
///     fn keys(&self) -> Vec<String> { self.0.iter().map(|(k, _)| k.to_string()).collect() }
///     fn get(&self, key: &str) -> Value<Map> {
///         self.0.iter().find(|(k, _)| *k == key).map_or(Value::Absent, |(_, v)| Value::Text(v.to_string()))
///     }
/// }
/// let input = CapInput::from_object(Value::Object(Map(vec![("channel", "debit"), ("at", "2026-05-06")])), Case::Camel)?;
/// assert_eq!(input.channel, "debit");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<O> {
    /// No value (`undefined` or `null` in JavaScript): an optional field left out.
    Absent,
    /// Text.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A number, as the surface writes it (`"1000"`, `"12.5"`); never read as money.
    Number(String),
    /// A list of values.
    List(Vec<Value<O>>),
    /// An object with fields of its own.
    Object(O),
    /// Anything else (a function, a symbol).
    Other,
}

/// An object of the surface: its own keys, and the value of each.
///
/// # Example
/// ```
/// use posfee::request::{Object, Value};
/// struct Empty;
/// impl Object for Empty {
///     fn keys(&self) -> Vec<String> { Vec::new() }
///     fn get(&self, _key: &str) -> Value<Empty> { Value::Absent }
/// }
/// assert!(posfee::request::known_keys(Value::Object(Empty), "the request", &["amount"]).is_ok());
/// ```
pub trait Object: Sized {
    /// The object's own keys.
    fn keys(&self) -> Vec<String>;
    /// The value of `key` ([`Value::Absent`] when there is none).
    fn get(&self, key: &str) -> Value<Self>;
}

/// A JSON object is an [`Object`]: a JSON service reads its requests by the same rules (its
/// numbers keep their JSON text).
///
/// # Example
/// ```
/// use posfee::request::{Case, QuoteInput, Value};
/// let json = serde_json::json!({"amount": 5000, "channel": "debit", "at": "2026-05-06"});
/// let error = QuoteInput::from_object(Value::from(json), Case::Snake).unwrap_err();
/// assert_eq!(error.code(), "invalid_amount");
/// ```
impl Object for serde_json::Map<String, serde_json::Value> {
    fn keys(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }

    fn get(&self, key: &str) -> Value<Self> {
        self.get(key).cloned().map_or(Value::Absent, Value::from)
    }
}

impl From<serde_json::Value> for Value<serde_json::Map<String, serde_json::Value>> {
    fn from(json: serde_json::Value) -> Self {
        match json {
            serde_json::Value::Null => Value::Absent,
            serde_json::Value::String(text) => Value::Text(text),
            serde_json::Value::Bool(flag) => Value::Bool(flag),
            serde_json::Value::Number(number) => Value::Number(number.to_string()),
            serde_json::Value::Array(items) => Value::List(items.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(map) => Value::Object(map),
        }
    }
}

/// How a surface spells the keys of its requests: `merchant_class` (Rust, Python, JSON files)
/// or `merchantClass` (JavaScript).
///
/// # Example
/// ```
/// use posfee::request::Case;
/// assert_eq!(Case::Camel.spell("merchant_class"), "merchantClass");
/// assert_eq!(Case::Snake.spell("merchant_class"), "merchant_class");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `merchant_class`.
    Snake,
    /// `merchantClass`.
    Camel,
}

impl Case {
    /// `key` (a key of the core's requests, snake case) as the surface spells it.
    pub fn spell(self, key: &str) -> &str {
        match (self, key) {
            (Case::Camel, "merchant_class") => "merchantClass",
            (Case::Camel, "card_type") => "cardType",
            (Case::Camel, "is_off_day") => "isOffDay",
            (_, key) => key,
        }
    }
}

/// Checks that `value` is an object whose keys are all in `allowed` (as the surface spells
/// them); `what` names it in errors (`the checkStatement request`).
///
/// # Errors
/// [`ErrorKind::InvalidRequest`]: not an object; an unknown key, in its field.
///
/// # Example
/// ```
/// use posfee::request::{known_keys, Object, Value};
/// struct One(&'static str);
/// impl Object for One {
///     fn keys(&self) -> Vec<String> { vec![self.0.to_string()] }
///     fn get(&self, _key: &str) -> Value<One> { Value::Bool(true) }
/// }
/// let error = known_keys(Value::Object(One("settlment")), "the request", &["settlement"]).unwrap_err();
/// assert_eq!(error.location().field.as_deref(), Some("settlment"));
/// assert!(known_keys(Value::<One>::Text("x".into()), "the request", &[]).is_err());
/// ```
pub fn known_keys<O: Object>(value: Value<O>, what: &str, allowed: &[&str]) -> Result<()> {
    Fields::new(value, what, allowed, String::new(), Case::Snake).map(drop)
}

/// The fields of one object of a request, `prefix` placing them (`""`, `"limits."`).
struct Fields<O> {
    object: O,
    prefix: String,
    case: Case,
}

impl<O: Object> Fields<O> {
    /// `value`, which must be an object whose keys are all `allowed` (snake case, spelt in
    /// `case`); `what` names it.
    fn new(value: Value<O>, what: &str, allowed: &[&str], prefix: String, case: Case) -> Result<Fields<O>> {
        let kind = ErrorKind::InvalidRequest;
        let Value::Object(object) = value else { return Err(Error::new(kind, format!("{what} must be an object"))) };
        match object.keys().into_iter().find(|key| !allowed.iter().any(|allowed| case.spell(allowed) == key)) {
            Some(key) => {
                let mut message = format!("{what} has an unknown field {key:?}; the fields are ");
                for (k, allowed) in allowed.iter().enumerate() {
                    message.push_str(if k == 0 { "" } else { ", " });
                    message.push_str(case.spell(allowed));
                }
                Err(Error::new(kind, message).in_field(format!("{prefix}{key}")))
            }
            None => Ok(Fields { object, prefix, case }),
        }
    }

    /// The value of `key` (snake case).
    fn get(&self, key: &str) -> Value<O> {
        self.object.get(self.case.spell(key))
    }

    /// Where `key` is, for errors.
    fn field(&self, key: &str) -> String {
        format!("{}{}", self.prefix, self.case.spell(key))
    }

    /// An [`ErrorKind::InvalidRequest`] about `key`.
    fn error(&self, key: &str, message: &str) -> Error {
        self.error_of(ErrorKind::InvalidRequest, key, message)
    }

    /// An error of `kind` about `key`.
    fn error_of(&self, kind: ErrorKind, key: &str, message: &str) -> Error {
        let field = self.field(key);
        Error::new(kind, format!("{field} {message}")).in_field(field)
    }

    /// The core's answer about the value of `key`, its error placed there.
    fn placed<T>(&self, result: Result<T>, key: &str) -> Result<T> {
        result.map_err(|error| error.in_field(self.field(key)))
    }

    /// Optional text.
    fn text(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            Value::Absent => Ok(None),
            Value::Text(text) => Ok(Some(text)),
            _ => Err(self.error(key, "must be a string")),
        }
    }

    /// Text that must be given.
    fn required(&self, key: &str) -> Result<String> {
        self.text(key)?.ok_or_else(|| self.error(key, "is missing"))
    }

    /// An optional boolean.
    fn flag(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            Value::Absent => Ok(None),
            Value::Bool(flag) => Ok(Some(flag)),
            _ => Err(self.error(key, "must be true or false")),
        }
    }

    /// A whole number that fits `T`, or absent.
    fn whole<T: std::str::FromStr>(&self, key: &str) -> Result<Option<T>> {
        match self.get(key) {
            Value::Absent => Ok(None),
            Value::Number(text) => text.parse().map(Some).map_err(|_| self.error(key, "must be a whole number")),
            _ => Err(self.error(key, "must be a whole number")),
        }
    }

    /// A list, or absent (empty); `otherwise` is the error's message.
    fn list(&self, key: &str, otherwise: &str) -> Result<Vec<Value<O>>> {
        match self.get(key) {
            Value::Absent => Ok(Vec::new()),
            Value::List(items) => Ok(items),
            _ => Err(self.error(key, otherwise)),
        }
    }

    /// An amount as text, which must be given: anything else, a number among them, is refused.
    fn amount(&self, key: &str) -> Result<String> {
        match self.get(key) {
            Value::Text(text) => Ok(text),
            Value::Absent => Err(self.error(key, "is missing")),
            // A number too: money never crosses as binary floating point.
            _ => Err(self.error_of(ErrorKind::InvalidAmount, key, "must be a string such as \"1000.00\"")),
        }
    }
}

impl CapInput {
    /// The keys of a cap request, as the core spells them.
    pub const FIELDS: [&'static str; 4] = ["channel", "at", "merchant_class", "card_type"];

    /// Reads the request of a cap threshold from an object of the surface, its keys spelt
    /// in `case`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`]: not an object, an unknown key, a missing or mistyped
    /// value, in its field.
    ///
    /// # Example
    /// See [`Value`].
    pub fn from_object<O: Object>(value: Value<O>, case: Case) -> Result<CapInput> {
        Self::from_fields(&Fields::new(value, "the cap request", &Self::FIELDS, String::new(), case)?)
    }

    fn from_fields<O: Object>(fields: &Fields<O>) -> Result<CapInput> {
        Ok(CapInput {
            channel: fields.required("channel")?,
            at: fields.required("at")?,
            merchant_class: fields.text("merchant_class")?,
            card_type: fields.text("card_type")?,
        })
    }
}

impl QuoteInput {
    /// The keys of a quote request, as the core spells them.
    pub const FIELDS: [&'static str; 8] = ["amount", "channel", "at", "settlement", "merchant_class", "card_type", "provisional", "limits"];

    /// Reads a quote request from an object of the surface, its keys spelt in `case`. Its
    /// `limits` is a preset name, or an object with the keys of a limits file
    /// ([`MerchantLimits::from_toml`]): `preset`, `business_hours` and `limits`, a list of
    /// groups with `channels`, `per_transaction`, `per_day`, `per_month` (text) and
    /// `per_day_count` (a whole number).
    ///
    /// # Errors
    /// As [`CapInput::from_object`]; an amount that is not text is
    /// [`ErrorKind::InvalidAmount`]; the limits' own errors, in their fields under `limits.`.
    ///
    /// # Example
    /// ```
    /// use posfee::request::{Case, Object, QuoteInput, Value};
    /// struct Map(Vec<(&'static str, Value<Map>)>);
    /// impl Object for Map {
    ///     fn keys(&self) -> Vec<String> { self.0.iter().map(|(k, _)| k.to_string()).collect() }
    ///     fn get(&self, key: &str) -> Value<Map> {
    ///         match self.0.iter().position(|(k, _)| *k == key) {
    ///             Some(i) => match &self.0[i].1 { Value::Text(t) => Value::Text(t.clone()), Value::Number(n) => Value::Number(n.clone()), _ => Value::Other },
    ///             None => Value::Absent,
    ///         }
    ///     }
    /// }
    /// let text = |t: &str| Value::Text(t.to_string());
    /// let request = Map(vec![("amount", Value::Number("1000".into())), ("channel", text("debit")), ("at", text("2026-05-06"))]);
    /// let error = QuoteInput::from_object(Value::Object(request), Case::Camel).unwrap_err();
    /// assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_amount", Some("amount")));
    /// ```
    pub fn from_object<O: Object>(value: Value<O>, case: Case) -> Result<QuoteInput> {
        let fields = Fields::new(value, "the quote request", &Self::FIELDS, String::new(), case)?;
        Ok(QuoteInput {
            amount: fields.amount("amount")?,
            trade: CapInput::from_fields(&fields)?,
            settlement: fields.text("settlement")?,
            provisional: fields.flag("provisional")?,
            limits: match fields.get("limits") {
                Value::Absent => None,
                limits => Some(read_limits(limits)?),
            },
        })
    }
}

/// The keys of a request's `limits` object: those of a limits file.
const LIMITS_FIELDS: [&str; 3] = ["preset", "business_hours", "limits"];
/// The keys of one group of channel limits.
const GROUP_FIELDS: [&str; 5] = ["channels", "per_transaction", "per_day", "per_month", "per_day_count"];

/// A request's `limits`: a preset name, or an object of [`LIMITS_FIELDS`] (snake case on every
/// surface, as in the files), its errors under `limits.`.
fn read_limits<O: Object>(value: Value<O>) -> Result<MerchantLimits> {
    let (preset, business_hours, groups) = match value {
        Value::Text(preset) => (Some(preset), None, Vec::new()),
        value => {
            let fields = Fields::new(value, "limits", &LIMITS_FIELDS, "limits.".into(), Case::Snake)?;
            let mut groups = Vec::new();
            for (k, group) in fields.list("limits", "must be an array of groups of channel limits")?.into_iter().enumerate() {
                let at = format!("limits.limits[{k}]");
                groups.push(read_group(&Fields::new(group, &at, &GROUP_FIELDS, format!("{at}."), Case::Snake)?)?);
            }
            (fields.text("preset")?, fields.text("business_hours")?, groups)
        }
    };
    MerchantLimits::from_parts(preset.as_deref(), business_hours.as_deref(), groups).map_err(|error| {
        let field = error.location().field.as_deref().map_or_else(|| "limits".to_owned(), |inner| format!("limits.{inner}"));
        Error::new(error.kind(), error.message()).in_field(field)
    })
}

/// One group of channel limits.
fn read_group<O: Object>(group: &Fields<O>) -> Result<ChannelLimits> {
    let mut channels = Vec::new();
    for name in group.list("channels", "must be an array of channel names")? {
        let Value::Text(name) = name else { return Err(group.error("channels", "must be an array of channel names")) };
        channels.push(group.placed(Channel::parse(&name), "channels")?);
    }
    let mut limits = ChannelLimits::new(channels);
    let amount = |key: &str| group.text(key)?.map(|text| group.placed(Money::parse(&text), key)).transpose();
    limits.per_transaction = amount("per_transaction")?;
    limits.per_day = amount("per_day")?;
    limits.per_month = amount("per_month")?;
    limits.per_day_count = group.whole("per_day_count")?;
    Ok(limits)
}

/// The keys of one day of a holiday-cn file.
const HOLIDAY_CN_DAY_FIELDS: [&str; 3] = ["name", "date", "is_off_day"];

impl HolidayCnYear {
    /// Reads holiday-cn data from objects of the surface: one year (`{year, papers, days}`;
    /// other keys such as `$schema` ignored, as in the files) or a list of them. Each day has
    /// only `name`, `date` and `isOffDay`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidCalendar`], naming the place in the data (`[1].days[0]`).
    ///
    /// # Example
    /// ```
    /// use posfee::request::{Object, Value};
    /// struct Year;
    /// impl Object for Year {
    ///     fn keys(&self) -> Vec<String> { vec!["year".into(), "days".into()] }
    ///     fn get(&self, key: &str) -> Value<Year> {
    ///         match key { "year" => Value::Number("2027".into()), "days" => Value::List(vec![]), _ => Value::Absent }
    ///     }
    /// }
    /// let years = posfee::HolidayCnYear::from_object(Value::Object(Year))?;
    /// assert_eq!((years[0].year, years[0].days.len()), (2027, 0));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn from_object<O: Object>(value: Value<O>) -> Result<Vec<HolidayCnYear>> {
        let years = match value {
            Value::List(years) => years.into_iter().enumerate().map(|(y, year)| read_holiday_cn_year(year, format!("[{y}]."))).collect(),
            year => read_holiday_cn_year(year, String::new()).map(|year| vec![year]),
        };
        years.map_err(|error| Error::new(ErrorKind::InvalidCalendar, format!("holiday-cn data is not valid: {}", error.message())))
    }
}

/// One holiday-cn year; `at` places it in a list (`[1].`).
fn read_holiday_cn_year<O: Object>(value: Value<O>, at: String) -> Result<HolidayCnYear> {
    let Value::Object(object) = value else { return Err(Error::new(ErrorKind::InvalidCalendar, format!("{at}year must be an object"))) };
    let year = Fields { object, prefix: at, case: Case::Camel };
    let year_number = year.whole("year")?.ok_or_else(|| year.error("year", "is missing"))?;
    let mut papers = Vec::new();
    for paper in year.list("papers", "must be an array of strings")? {
        let Value::Text(paper) = paper else { return Err(year.error("papers", "must be an array of strings")) };
        papers.push(paper);
    }
    if let Value::Absent = year.get("days") {
        return Err(year.error("days", "is missing"));
    }
    let mut days = Vec::new();
    for (d, day) in year.list("days", "must be an array of days")?.into_iter().enumerate() {
        let at = year.field(&format!("days[{d}]"));
        let day = Fields::new(day, &at, &HOLIDAY_CN_DAY_FIELDS, format!("{at}."), Case::Camel)?;
        let is_off_day = day.flag("is_off_day")?.ok_or_else(|| day.error("is_off_day", "is missing"))?;
        days.push(HolidayCnDay { name: day.required("name")?, date: day.required("date")?, is_off_day });
    }
    Ok(HolidayCnYear { year: year_number, papers, days })
}

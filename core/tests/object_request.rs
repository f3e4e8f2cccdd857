//! `posfee::request::Object`: requests read field by field from a surface's own objects (here
//! JSON values stand for JavaScript objects), with the core's shape rules and field names.

use posfee::request::{known_keys, CapInput, Case, QuoteInput, Value};
use posfee::HolidayCnYear;
use serde_json::json;

/// A JSON value as a surface's object (the core's `Object` for JSON maps).
fn value(json: serde_json::Value) -> Value<serde_json::Map<String, serde_json::Value>> {
    Value::from(json)
}

fn quote_error(request: serde_json::Value) -> (String, String, String) {
    let error = QuoteInput::from_object(value(request), Case::Camel).unwrap_err();
    (error.code().to_owned(), error.location().field.clone().unwrap_or_default(), error.message().to_owned())
}

const TRADE: [(&str, &str); 3] = [("amount", "5000"), ("channel", "debit"), ("at", "2026-09-30T22:30:00+08:00")];

fn trade() -> serde_json::Map<String, serde_json::Value> {
    TRADE.iter().map(|(k, v)| (k.to_string(), json!(v))).collect()
}

fn with(key: &str, field: serde_json::Value) -> serde_json::Value {
    let mut request = trade();
    request.insert(key.to_owned(), field);
    serde_json::Value::Object(request)
}

#[test]
fn a_camel_case_request_is_quoted_by_the_core() {
    let request = with("cardType", json!("debit"));
    let input = QuoteInput::from_object(value(request), Case::Camel).unwrap();
    assert_eq!(input.trade.card_type.as_deref(), Some("debit"));
    let quote = input.quote(&posfee::Schedule::preset("sft-traditional").unwrap(), posfee::Calendar::china()).unwrap();
    assert_eq!((quote.fee.to_string(), quote.settles_on.to_string()), ("20.00".into(), "2026-10-08".into()));
    // The same request spelt as Rust and Python spell it.
    let snake = with("merchant_class", json!("standard"));
    assert_eq!(QuoteInput::from_object(value(snake), Case::Snake).unwrap().trade.merchant_class.as_deref(), Some("standard"));
}

#[test]
fn shape_errors_name_the_field() {
    let (code, field, message) = quote_error(with("settlment", json!("T1")));
    assert_eq!((code.as_str(), field.as_str()), ("invalid_request", "settlment"));
    assert!(message.contains("amount, channel, at, settlement, merchantClass, cardType, provisional, limits"), "{message}");
    assert_eq!(quote_error(json!("5000")).0, "invalid_request");
    assert_eq!(
        quote_error(with("provisional", json!("yes"))),
        ("invalid_request".into(), "provisional".into(), "provisional must be true or false".into())
    );
    assert_eq!(quote_error(with("merchantClass", json!(3))).1, "merchantClass");
    let mut no_channel = trade();
    no_channel.remove("channel");
    assert_eq!(quote_error(serde_json::Value::Object(no_channel)).2, "channel is missing");
}

#[test]
fn money_never_crosses_as_a_number() {
    for amount in [json!(5000), json!(12.5), json!(["5000"])] {
        let (code, field, _) = quote_error(with("amount", amount));
        assert_eq!((code.as_str(), field.as_str()), ("invalid_amount", "amount"));
    }
    let mut no_amount = trade();
    no_amount.remove("amount");
    assert_eq!(quote_error(serde_json::Value::Object(no_amount)).0, "invalid_request");
    // The amount's own rules are the core's, in the same field.
    let input = QuoteInput::from_object(value(with("amount", json!("12.345"))), Case::Camel).unwrap();
    assert_eq!(input.request().unwrap_err().location().field.as_deref(), Some("amount"));
}

#[test]
fn limits_are_a_preset_or_the_keys_of_a_limits_file() {
    let preset = QuoteInput::from_object(value(with("limits", json!("personal-static-code"))), Case::Camel).unwrap();
    assert!(!preset.limits.unwrap().channel_limits.is_empty());
    let limits = json!({"preset": "personal-static-code", "business_hours": "08:00-22:00",
        "limits": [{"channels": ["credit"], "per_transaction": "20000", "per_day_count": 30}]});
    let limits = QuoteInput::from_object(value(with("limits", limits)), Case::Camel).unwrap().limits.unwrap();
    assert_eq!(limits.business_hours.unwrap().to_string(), "08:00–22:00");
    let group = limits.channel_limits.last().unwrap();
    assert_eq!((group.per_transaction.unwrap().to_string(), group.per_day_count), ("20000.00".into(), Some(30)));
}

#[test]
fn limits_errors_are_placed_under_limits() {
    let field = |limits: serde_json::Value| {
        let (code, field, _) = quote_error(with("limits", limits));
        (code, field)
    };
    let placed = |code: &str, field: &str| (code.to_owned(), field.to_owned());
    assert_eq!(field(json!("vip")), placed("unknown_preset", "limits.preset"));
    assert_eq!(field(json!({"preset": "vip"})), placed("unknown_preset", "limits.preset"));
    assert_eq!(field(json!({"business_hours": "all day"})), placed("invalid_request", "limits.business_hours"));
    assert_eq!(field(json!({"hours": "08:00-22:00"})), placed("invalid_request", "limits.hours"));
    assert_eq!(field(json!({"limits": {"per_day": "1"}})), placed("invalid_request", "limits.limits"));
    assert_eq!(field(json!({"limits": [{"per_day": "0"}]})), placed("invalid_request", "limits.limits[0].per_day"));
    assert_eq!(field(json!({"limits": [{}, {"per_day": "1", "per_week": "7"}]})), placed("invalid_request", "limits.limits[1].per_week"));
    assert_eq!(field(json!({"limits": [{"channels": ["visa"]}]})), placed("invalid_channel", "limits.limits[0].channels"));
    assert_eq!(field(json!({"limits": [{"channels": "credit"}]})), placed("invalid_request", "limits.limits[0].channels"));
    assert_eq!(field(json!({"limits": [{"per_transaction": "abc"}]})), placed("invalid_amount", "limits.limits[0].per_transaction"));
    for count in [json!(1.5), json!(-1), json!("3"), json!(4_294_967_296_u64)] {
        assert_eq!(field(json!({"limits": [{"per_day_count": count}]})), placed("invalid_request", "limits.limits[0].per_day_count"));
    }
    assert_eq!(field(json!(7)), placed("invalid_request", ""));
}

#[test]
fn cap_requests_and_known_keys() {
    let request = json!({"channel": "debit", "at": "2026-05-06", "cardType": "debit"});
    let input = CapInput::from_object(value(request), Case::Camel).unwrap();
    let threshold = input.cap_threshold(&posfee::Schedule::preset("sft-traditional").unwrap()).unwrap().unwrap();
    assert_eq!(threshold.cap.to_string(), "20.00");
    let error = CapInput::from_object(value(json!({"channel": "debit", "at": "2026-05-06", "amount": "1"})), Case::Camel).unwrap_err();
    assert_eq!(error.location().field.as_deref(), Some("amount"));
    assert!(known_keys(value(json!({"statement": 1})), "the request", &["statement"]).is_ok());
    let error = known_keys(value(json!({"rowMax": 1})), "the request", &["rowsMax"]).unwrap_err();
    assert_eq!((error.code(), error.location().field.as_deref()), ("invalid_request", Some("rowMax")));
    assert_eq!(known_keys(value(json!([])), "the request", &[]).unwrap_err().message(), "the request must be an object");
}

fn new_year(extra: serde_json::Value) -> serde_json::Value {
    let mut day = json!({"name": "元旦", "date": "2027-01-01", "isOffDay": true});
    if let (Some(day), serde_json::Value::Object(extra)) = (day.as_object_mut(), extra) {
        day.extend(extra);
    }
    json!({"$schema": "https://example.org/schema.json", "year": 2027, "papers": ["https://www.gov.cn/example"], "days": [day]})
}

#[test]
fn holiday_cn_years_from_objects() {
    let years = HolidayCnYear::from_object(value(new_year(json!({})))).unwrap();
    assert_eq!((years[0].year, years[0].days.len(), years[0].days[0].is_off_day), (2027, 1, true));
    let both = HolidayCnYear::from_object(value(json!([new_year(json!({})), {"year": 2028, "days": []}]))).unwrap();
    assert_eq!(both.iter().map(|y| y.year).collect::<Vec<_>>(), [2027, 2028]);
    let error = |data: serde_json::Value| {
        let error = HolidayCnYear::from_object(value(data)).unwrap_err();
        assert_eq!(error.code(), "invalid_calendar");
        error.message().to_owned()
    };
    let unknown = error(new_year(json!({"isHoliday": true})));
    assert!(unknown.starts_with("holiday-cn data is not valid: days[0] has an unknown field \"isHoliday\""), "{unknown}");
    assert!(unknown.contains("name, date, isOffDay"), "{unknown}");
    assert!(error(json!([new_year(json!({})), {"year": 2028, "days": [{"name": "x", "date": "2028-01-01"}]}]))
        .contains("[1].days[0].isOffDay is missing"));
    assert!(error(json!({"year": "2027", "days": []})).contains("year must be a whole number"));
    assert!(error(json!({"year": 2027})).contains("days is missing"));
    assert!(error(json!([2027, 2028])).contains("[0].year must be an object"));
    assert!(error(json!({"year": 2027, "papers": [1], "days": []})).contains("papers must be an array of strings"));
}

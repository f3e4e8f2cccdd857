//! Settlement timing: trade days, cut-off times, and T+N / D+N / S0 settlement dates.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::calendar::Calendar;
use crate::error::{Error, ErrorKind, Result};

/// China Standard Time, UTC+08:00 (no daylight saving).
///
/// # Example
/// ```
/// assert_eq!(posfee::china_offset().local_minus_utc(), 8 * 3600);
/// ```
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The current time in China (UTC+08:00): what a quote without a trade time is priced at.
/// Not on `wasm32-unknown-unknown`, which has no clock (the browser passes its own time).
///
/// # Example
/// ```
/// assert_eq!(posfee::china_now().offset().local_minus_utc(), 8 * 3600);
/// ```
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub fn china_now() -> DateTime<FixedOffset> {
    DateTime::<chrono::Utc>::from(std::time::SystemTime::now()).with_timezone(&china_offset())
}

/// An instant as RFC 3339 text (`2026-09-30T22:30:00+08:00`), for serde's `serialize_with`:
/// the same text as the explanations and the schedule file print.
pub(crate) fn rfc3339<S: Serializer>(at: &DateTime<FixedOffset>, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.to_rfc3339())
}

/// [`rfc3339`] for an optional instant (`null` when none).
pub(crate) fn rfc3339_or_null<S: Serializer>(at: &Option<DateTime<FixedOffset>>, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    match at {
        Some(at) => rfc3339(at, serializer),
        None => serializer.serialize_none(),
    }
}

/// Parses an RFC 3339 date-time (`2026-09-30T22:30:00+08:00`), or a date-time without an
/// offset, or a plain date (midnight), both read as China time (UTC+08:00).
///
/// # Errors
/// [`ErrorKind::InvalidDate`] naming the text.
///
/// # Example
/// ```
/// let at = posfee::parse_china_time("2026-09-30 22:30")?;
/// assert_eq!(at.to_rfc3339(), "2026-09-30T22:30:00+08:00");
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn parse_china_time(text: &str) -> Result<DateTime<FixedOffset>> {
    let trimmed = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(trimmed) {
        if four_digit_year(at.year()) {
            return Ok(at);
        }
    }
    let naive = text_format::DATE_TIMES
        .iter()
        .find_map(|items| text_format::date_time(trimmed, items))
        .or_else(|| parse_date(trimmed).ok().map(|date| date.and_time(NaiveTime::MIN)));
    match naive.and_then(|n| china_offset().from_local_datetime(&n).single()).filter(|at| four_digit_year(at.year())) {
        Some(at) => Ok(at),
        None => Err(Error::new(
            ErrorKind::InvalidDate,
            format!("date-time {text:?} is not RFC 3339 (2026-09-30T22:30:00+08:00) or a China-time date-time (2026-09-30 22:30)"),
        )),
    }
}

/// Parses a date: `2026-10-01`, `2026/10/01` or `20261001`.
///
/// # Errors
/// [`ErrorKind::InvalidDate`] naming the text.
///
/// # Example
/// ```
/// assert_eq!(posfee::parse_date("20261001")?.to_string(), "2026-10-01");
/// assert!(posfee::parse_date("2026-02-30").is_err());
/// assert!(posfee::parse_date("-2016-09-06").is_err()); // years have four digits
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let trimmed = text.trim();
    text_format::DATES
        .iter()
        .find_map(|items| text_format::date(trimmed, items))
        .filter(|date| four_digit_year(date.year()))
        .ok_or_else(|| Error::new(ErrorKind::InvalidDate, format!("date {text:?} is not a valid date (expected 2026-10-01)")))
}

/// Years written with four digits ([`crate::ANSWER_YEARS`]), as every date format posfee reads
/// and prints writes them: a negative or five-digit year would not print back to what was read.
fn four_digit_year(year: i32) -> bool {
    crate::ANSWER_YEARS.contains(&year)
}

/// When the money of a trade is paid out to the merchant.
///
/// Written `T1` (or `T+1`), `D0`, `S0`. `T+N` counts business days after the trade day,
/// `D+N` calendar days; `T0` pays on the trade day when it is a business day, else on the
/// next one; `S0` (秒到, instant) pays within seconds, on the trade's own calendar date.
///
/// # Example
/// ```
/// use posfee::SettlementMode;
/// assert_eq!(SettlementMode::parse("T+1")?, SettlementMode::T(1));
/// assert_eq!(SettlementMode::parse("s0")?, SettlementMode::S0);
/// assert_eq!(SettlementMode::D(0).to_string(), "D0");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SettlementMode {
    /// N business days after the trade day.
    T(u16),
    /// N calendar days after the trade day.
    D(u16),
    /// Instant payout (秒到), within seconds of the trade.
    S0,
}

impl SettlementMode {
    /// The largest N accepted in T+N and D+N.
    pub const MAX_DAYS: u16 = 60;

    /// Parses `T1`, `T+1`, `D0`, `D+0`, `S0` (case-insensitive), or 秒到 for S0.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidSettlement`] naming the text.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::SettlementMode::parse("X1").is_err());
    /// assert!(posfee::SettlementMode::parse("T+999").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<SettlementMode> {
        let bad = || {
            Error::new(
                ErrorKind::InvalidSettlement,
                format!("settlement mode {text:?} is not T+N, D+N (N at most {}) or S0", SettlementMode::MAX_DAYS),
            )
        };
        let trimmed = text.trim();
        if trimmed == "秒到" {
            return Ok(SettlementMode::S0);
        }
        let upper = trimmed.to_ascii_uppercase();
        let mut chars = upper.chars();
        let letter = chars.next().ok_or_else(bad)?;
        let rest = chars.as_str();
        let rest = rest.strip_prefix('+').unwrap_or(rest);
        if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) || rest.len() > 3 {
            return Err(bad());
        }
        let days: u16 = rest.parse().map_err(|_| bad())?;
        if days > SettlementMode::MAX_DAYS {
            return Err(bad());
        }
        match (letter, days) {
            ('T', n) => Ok(SettlementMode::T(n)),
            ('D', n) => Ok(SettlementMode::D(n)),
            ('S', 0) => Ok(SettlementMode::S0),
            _ => Err(bad()),
        }
    }

    /// Whether the mode pays out on the trade day or sooner (T0, D0, S0): an instant payout
    /// that acquirers usually charge a surcharge for.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::SettlementMode::D(0).is_instant());
    /// assert!(!posfee::SettlementMode::T(1).is_instant());
    /// ```
    pub const fn is_instant(self) -> bool {
        matches!(self, SettlementMode::T(0) | SettlementMode::D(0) | SettlementMode::S0)
    }

    /// The settlement date for a trade made at local time `at_local` that belongs to
    /// `trade_day`.
    ///
    /// # Errors
    /// [`ErrorKind::CalendarOutOfRange`] when T+N needs calendar data that is missing.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use posfee::{Calendar, SettlementMode};
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let calendar = Calendar::china();
    /// assert_eq!(SettlementMode::T(1).settles_on(d(9, 30), d(9, 30), calendar)?, d(10, 8));
    /// assert_eq!(SettlementMode::D(1).settles_on(d(9, 30), d(9, 30), calendar)?, d(10, 1));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn settles_on(self, trade_day: NaiveDate, local_date: NaiveDate, calendar: &Calendar) -> Result<NaiveDate> {
        match self {
            SettlementMode::T(n) => calendar.add_business_days(trade_day, i64::from(n)),
            SettlementMode::D(n) => Ok(trade_day + chrono::Days::new(u64::from(n))),
            SettlementMode::S0 => Ok(local_date),
        }
    }
}

impl fmt::Display for SettlementMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettlementMode::T(n) => write!(f, "T{n}"),
            SettlementMode::D(n) => write!(f, "D{n}"),
            SettlementMode::S0 => f.write_str("S0"),
        }
    }
}

impl FromStr for SettlementMode {
    type Err = Error;
    fn from_str(text: &str) -> Result<SettlementMode> {
        SettlementMode::parse(text)
    }
}

impl Serialize for SettlementMode {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SettlementMode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<SettlementMode, D::Error> {
        let text = deserializer.deserialize_str(crate::money::CheckedText(|text| SettlementMode::parse(text).err()))?;
        SettlementMode::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The acquirer's daily cut-off (日切): a trade at or after it belongs to the next trade
/// day. Midnight (`00:00`) means the trade day is the calendar day.
///
/// # Example
/// ```
/// use posfee::{parse_china_time, CutOff};
/// let lakala = CutOff::parse("23:00")?;
/// assert_eq!(lakala.trade_day(parse_china_time("2026-09-30 22:59:59")?).to_string(), "2026-09-30");
/// assert_eq!(lakala.trade_day(parse_china_time("2026-09-30 23:00:00")?).to_string(), "2026-10-01");
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CutOff {
    /// Seconds after local midnight (China time) at which the next trade day starts.
    seconds: u32,
}

impl CutOff {
    /// Midnight: the trade day is the calendar day in China time.
    pub const MIDNIGHT: CutOff = CutOff { seconds: 0 };

    /// Parses `HH:MM` or `HH:MM:SS` (China time).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidDate`] naming the text.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::CutOff::parse("22:40").is_ok());
    /// assert!(posfee::CutOff::parse("25:00").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<CutOff> {
        let time = text_format::time(text.trim(), text_format::HMS)
            .or_else(|| text_format::time(text.trim(), text_format::HM))
            .ok_or_else(|| Error::new(ErrorKind::InvalidDate, format!("cut-off {text:?} is not a time of day such as 23:00")))?;
        Ok(CutOff { seconds: time.num_seconds_from_midnight() })
    }

    /// Seconds after local midnight at which the next trade day starts.
    pub(crate) const fn seconds(self) -> u32 {
        self.seconds
    }

    /// The cut-off as a time of day.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::CutOff::parse("23:00")?.time().to_string(), "23:00:00");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn time(self) -> NaiveTime {
        NaiveTime::from_num_seconds_from_midnight_opt(self.seconds, 0).unwrap_or(NaiveTime::MIN)
    }

    /// The trade day a trade at `at` belongs to (converted to China time first).
    ///
    /// # Example
    /// ```
    /// use posfee::{parse_china_time, CutOff};
    /// // 15:30 UTC is 23:30 in China: after a 22:00 cut-off, so the next trade day.
    /// let at = parse_china_time("2026-09-30T15:30:00Z")?;
    /// assert_eq!(CutOff::parse("22:00")?.trade_day(at).to_string(), "2026-10-01");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn trade_day(self, at: DateTime<FixedOffset>) -> NaiveDate {
        self.trade_day_local(at.with_timezone(&china_offset()).naive_local())
    }

    /// The trade day of a trade at `local`, a date-time already in China time.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let local = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap().and_hms_opt(23, 0, 0).unwrap();
    /// assert_eq!(posfee::CutOff::parse("23:00")?.trade_day_local(local).to_string(), "2026-10-01");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn trade_day_local(self, local: chrono::NaiveDateTime) -> NaiveDate {
        let date = local.date();
        if self.seconds > 0 && local.time().num_seconds_from_midnight() >= self.seconds {
            date.succ_opt().unwrap_or(date)
        } else {
            date
        }
    }
}

impl Serialize for CutOff {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for CutOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let time = self.time();
        write!(f, "{}", HourMinute(time))?;
        if time.second() != 0 {
            write!(f, ":{:02}", time.second())?;
        }
        Ok(())
    }
}

/// A time of day printed as `HH:MM` (seconds left out), without chrono's strftime formatter
/// (which the WebAssembly calculator would otherwise carry).
pub(crate) struct HourMinute(pub(crate) NaiveTime);

impl fmt::Display for HourMinute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

/// Reads `HH:MM` exactly as chrono's `NaiveTime::parse_from_str(text, "%H:%M")` does (the
/// hand-written reader of [`text_format`]).
pub(crate) fn parse_hour_minute(text: &str) -> Option<NaiveTime> {
    text_format::time(text, text_format::HM)
}

/// The few date and time text forms of [`parse_china_time`], [`parse_date`] and
/// [`CutOff::parse`], read exactly as chrono's `parse_from_str` reads the strftime formats
/// named below, without chrono's general strftime machinery (which the WebAssembly build
/// would otherwise carry):
///
/// - a number may follow whitespace and has 1 to its width digits (year 4, others 2), so
///   `2026-9-3 8:05` is read; a year with a sign (`+2026`, `-0001`) has any number of digits;
/// - a space in the format matches any run of whitespace, including none;
/// - `%.f` is an optional `.` and 1 to 9 digits of a second (further digits are ignored);
/// - seconds may be 60 (a leap second); month 1–12, day 1–31, hour 0–23, minute 0–59, and
///   the date must exist.
///
/// The test `text_forms_agree_with_chrono` checks the equivalence on many generated texts.
mod text_format {
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

    /// One element of a format.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Item {
        /// `%Y`
        Year,
        /// `%m`
        Month,
        /// `%d`
        Day,
        /// `%H`
        Hour,
        /// `%M`
        Minute,
        /// `%S`
        Second,
        /// `%.f`
        Fraction,
        /// A literal character.
        Lit(char),
        /// A space (any whitespace run, possibly empty).
        Space,
    }
    use Item::*;

    /// `%Y-%m-%dT%H:%M:%S%.f`, `%Y-%m-%d %H:%M:%S%.f`, `%Y-%m-%dT%H:%M`, `%Y-%m-%d %H:%M`,
    /// `%Y/%m/%d %H:%M:%S`, `%Y%m%d%H%M%S`, tried in this order.
    pub(super) const DATE_TIMES: [&[Item]; 6] = [
        &[Year, Lit('-'), Month, Lit('-'), Day, Lit('T'), Hour, Lit(':'), Minute, Lit(':'), Second, Fraction],
        &[Year, Lit('-'), Month, Lit('-'), Day, Space, Hour, Lit(':'), Minute, Lit(':'), Second, Fraction],
        &[Year, Lit('-'), Month, Lit('-'), Day, Lit('T'), Hour, Lit(':'), Minute],
        &[Year, Lit('-'), Month, Lit('-'), Day, Space, Hour, Lit(':'), Minute],
        &[Year, Lit('/'), Month, Lit('/'), Day, Space, Hour, Lit(':'), Minute, Lit(':'), Second],
        &[Year, Month, Day, Hour, Minute, Second],
    ];
    /// `%Y-%m-%d`, `%Y/%m/%d`, `%Y%m%d`, tried in this order.
    pub(super) const DATES: [&[Item]; 3] =
        [&[Year, Lit('-'), Month, Lit('-'), Day], &[Year, Lit('/'), Month, Lit('/'), Day], &[Year, Month, Day]];
    /// `%H:%M:%S`
    pub(super) const HMS: &[Item] = &[Hour, Lit(':'), Minute, Lit(':'), Second];
    /// `%H:%M`
    pub(super) const HM: &[Item] = &[Hour, Lit(':'), Minute];

    #[derive(Default)]
    struct Fields {
        year: Option<i32>,
        month: Option<u32>,
        day: Option<u32>,
        hour: Option<u32>,
        minute: Option<u32>,
        second: Option<u32>,
        nanosecond: Option<u32>,
    }

    /// Up to `max` ASCII digits (at least one) and the rest of the text.
    fn number(text: &str, max: usize) -> Option<(i64, &str)> {
        let count = text.bytes().take(max).take_while(u8::is_ascii_digit).count();
        if count == 0 {
            return None;
        }
        let value = text.bytes().take(count).try_fold(0i64, |n, b| n.checked_mul(10)?.checked_add(i64::from(b - b'0')))?;
        Some((value, &text[count..]))
    }

    /// Reads the whole text with `items`: the fields, or `None` when it does not fit.
    fn fields(text: &str, items: &[Item]) -> Option<Fields> {
        let mut rest = text;
        let mut fields = Fields::default();
        for item in items {
            let (limit, width) = match *item {
                Lit(c) => {
                    rest = rest.strip_prefix(c)?;
                    continue;
                }
                Space => {
                    rest = rest.trim_start();
                    continue;
                }
                Fraction => {
                    if let Some(digits) = rest.strip_prefix('.') {
                        let (value, after) = number(digits, 9)?;
                        let scale = 10i64.pow(9 - (digits.len() - after.len()) as u32);
                        fields.nanosecond = Some((value * scale) as u32);
                        rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
                    }
                    continue;
                }
                Year => (0, 4),
                Month => (12, 2),
                Day => (31, 2),
                Hour => (23, 2),
                Minute => (59, 2),
                Second => (60, 2),
            };
            rest = rest.trim_start();
            if *item == Year {
                let (value, after) = match rest.as_bytes().first() {
                    Some(b'-') => number(&rest[1..], usize::MAX).map(|(v, after)| (-v, after))?,
                    Some(b'+') => number(&rest[1..], usize::MAX)?,
                    _ => number(rest, width)?,
                };
                fields.year = Some(i32::try_from(value).ok()?);
                rest = after;
                continue;
            }
            let (value, after) = number(rest, width)?;
            let low = if matches!(item, Month | Day) { 1 } else { 0 };
            if value < low || value > limit {
                return None;
            }
            let value = Some(value as u32);
            match item {
                Month => fields.month = value,
                Day => fields.day = value,
                Hour => fields.hour = value,
                Minute => fields.minute = value,
                _ => fields.second = value,
            }
            rest = after;
        }
        rest.is_empty().then_some(fields)
    }

    fn to_date(fields: &Fields) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(fields.year?, fields.month?, fields.day?)
    }

    fn to_time(fields: &Fields) -> Option<NaiveTime> {
        let (second, leap) = match fields.second.unwrap_or(0) {
            60 => (59, 1_000_000_000),
            second => (second, 0),
        };
        NaiveTime::from_hms_nano_opt(fields.hour?, fields.minute?, second, leap + fields.nanosecond.unwrap_or(0))
    }

    /// A date-time read with `items` (one of [`DATE_TIMES`]).
    pub(super) fn date_time(text: &str, items: &[Item]) -> Option<NaiveDateTime> {
        let fields = fields(text, items)?;
        Some(to_date(&fields)?.and_time(to_time(&fields)?))
    }

    /// A date read with `items` (one of [`DATES`]).
    pub(super) fn date(text: &str, items: &[Item]) -> Option<NaiveDate> {
        to_date(&fields(text, items)?)
    }

    /// A time of day read with `items` ([`HMS`] or [`HM`]).
    pub(super) fn time(text: &str, items: &[Item]) -> Option<NaiveTime> {
        to_time(&fields(text, items)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        parse_china_time(text).unwrap()
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    /// Hand-checked settlement dates around the 2026 Spring Festival and National Day.
    #[test]
    fn hand_checked_2026_cases() {
        let calendar = Calendar::china();
        let lakala = CutOff::parse("23:00").unwrap();
        let cases = [
            // trade time, mode, expected settlement date
            ("2026-02-13T10:00:00+08:00", "T1", d(2, 14)), // Friday -> make-up Saturday
            ("2026-02-14T10:00:00+08:00", "T1", d(2, 24)), // make-up Saturday -> after the break
            ("2026-02-14T23:00:00+08:00", "T1", d(2, 24)), // exactly at cut-off: trade day Feb 15 (holiday)
            ("2026-02-16T09:00:00+08:00", "T1", d(2, 24)), // inside the Spring Festival
            ("2026-02-16T09:00:00+08:00", "T0", d(2, 24)), // T0 on a holiday waits for a business day
            ("2026-02-16T09:00:00+08:00", "D0", d(2, 16)), // D0 pays on holidays
            ("2026-02-16T09:00:00+08:00", "D1", d(2, 17)),
            ("2026-02-27T12:00:00+08:00", "T1", d(2, 28)), // make-up Saturday Feb 28
            ("2026-09-30T22:30:00+08:00", "T1", d(10, 8)), // before the 23:00 cut-off
            ("2026-09-30T22:59:59+08:00", "T1", d(10, 8)),
            ("2026-09-30T23:00:00+08:00", "T1", d(10, 8)),  // at cut-off: trade day Oct 1
            ("2026-09-30T23:00:00+08:00", "D1", d(10, 2)),  // trade day Oct 1 + 1 calendar day
            ("2026-09-30T23:30:00+08:00", "S0", d(9, 30)),  // instant: the trade's own date
            ("2026-10-09T15:00:00+08:00", "T1", d(10, 10)), // make-up Saturday Oct 10
            ("2026-10-09T15:00:00+08:00", "T2", d(10, 12)),
            ("2026-09-18T15:00:00+08:00", "T1", d(9, 20)), // Friday -> make-up Sunday Sep 20
            ("2026-09-24T23:10:00+08:00", "T1", d(9, 28)), // trade day Sep 25 (holiday) -> Monday
            ("2026-09-30T15:00:00Z", "T1", d(10, 8)),      // 23:00 China time given in UTC
        ];
        for (time, mode, expected) in cases {
            let at = at(time);
            let local = at.with_timezone(&china_offset()).date_naive();
            let mode = SettlementMode::parse(mode).unwrap();
            let settles = mode.settles_on(lakala.trade_day(at), local, calendar).unwrap();
            assert_eq!(settles, expected, "{time} {mode}");
        }
    }

    /// The edges of what `parse` takes: up to three digits, N up to `MAX_DAYS`, one optional `+`.
    #[test]
    fn modes_at_the_edges_of_the_grammar() {
        for (text, mode) in [
            ("T001", SettlementMode::T(1)),
            ("t+060", SettlementMode::T(60)),
            ("T60", SettlementMode::T(SettlementMode::MAX_DAYS)),
            ("D+60", SettlementMode::D(60)),
            ("d000", SettlementMode::D(0)),
            (" S+0 ", SettlementMode::S0),
            ("秒到", SettlementMode::S0),
        ] {
            assert_eq!(SettlementMode::parse(text).unwrap(), mode, "{text:?}");
        }
        let instant: Vec<bool> = [
            SettlementMode::T(0),
            SettlementMode::D(0),
            SettlementMode::S0,
            SettlementMode::T(1),
            SettlementMode::D(1),
            SettlementMode::T(60),
        ]
        .iter()
        .map(|mode| mode.is_instant())
        .collect();
        assert_eq!(instant, [true, true, true, false, false, false]);
    }

    /// Year 0 parses in chrono but is outside the four-digit years posfee answers for.
    #[test]
    fn year_zero_is_refused() {
        assert_eq!(parse_date("0000-01-01").unwrap_err().kind(), ErrorKind::InvalidDate);
        assert_eq!(parse_china_time("0000-06-01T00:00:00+08:00").unwrap_err().kind(), ErrorKind::InvalidDate);
        assert_eq!(parse_china_time("0000-06-01 12:00").unwrap_err().kind(), ErrorKind::InvalidDate);
        assert!(parse_date("0001-01-01").is_ok() && parse_date("9999-12-31").is_ok());
        assert!(parse_china_time("0001-01-01T12:00:00+08:00").is_ok());
    }

    #[test]
    fn bad_modes_and_times_name_the_text() {
        for text in ["", "T", "T-1", "Q1", "S1", "T61", "D61", "TT1", "T0001", "T+", "T++1", "T1a", "T 1", "T+-1", "S+1"] {
            let err = SettlementMode::parse(text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSettlement, "{text}");
        }
        assert!(parse_china_time("yesterday").unwrap_err().to_string().contains("yesterday"));
        assert!(CutOff::parse("23:61").is_err());
    }

    /// chrono's own reading of the strftime formats that `text_format` replaces.
    fn chrono_date_time(text: &str) -> Option<chrono::NaiveDateTime> {
        ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y%m%d%H%M%S"]
            .iter()
            .find_map(|format| chrono::NaiveDateTime::parse_from_str(text, format).ok())
    }

    fn chrono_date(text: &str) -> Option<NaiveDate> {
        ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"].iter().find_map(|format| NaiveDate::parse_from_str(text, format).ok())
    }

    fn chrono_time(text: &str) -> Option<NaiveTime> {
        NaiveTime::parse_from_str(text, "%H:%M:%S").or_else(|_| NaiveTime::parse_from_str(text, "%H:%M")).ok()
    }

    fn ours_date_time(text: &str) -> Option<chrono::NaiveDateTime> {
        text_format::DATE_TIMES.iter().find_map(|items| text_format::date_time(text, items))
    }

    fn ours_date(text: &str) -> Option<NaiveDate> {
        text_format::DATES.iter().find_map(|items| text_format::date(text, items))
    }

    fn ours_time(text: &str) -> Option<NaiveTime> {
        text_format::time(text, text_format::HMS).or_else(|| text_format::time(text, text_format::HM))
    }

    fn dt(y: i32, mo: u32, day: u32, h: u32, mi: u32, s: u32, nano: u32) -> chrono::NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, day).unwrap().and_hms_nano_opt(h, mi, s, nano).unwrap()
    }

    #[test]
    fn accepted_date_time_forms() {
        let cases = [
            ("2026-09-30T22:30:05", dt(2026, 9, 30, 22, 30, 5, 0)),
            ("2026-09-30T22:30:05.5", dt(2026, 9, 30, 22, 30, 5, 500_000_000)),
            ("2026-09-30T22:30:05.123456789", dt(2026, 9, 30, 22, 30, 5, 123_456_789)),
            ("2026-09-30T22:30:05.1234567891", dt(2026, 9, 30, 22, 30, 5, 123_456_789)),
            ("2026-09-30 22:30:05", dt(2026, 9, 30, 22, 30, 5, 0)),
            ("2026-09-30 22:30:05.250", dt(2026, 9, 30, 22, 30, 5, 250_000_000)),
            ("2026-09-30T22:30", dt(2026, 9, 30, 22, 30, 0, 0)),
            ("2026-09-30 22:30", dt(2026, 9, 30, 22, 30, 0, 0)),
            ("2026-09-30  \t22:30", dt(2026, 9, 30, 22, 30, 0, 0)),
            ("2026-09-3022:30", dt(2026, 9, 30, 22, 30, 0, 0)),
            ("2026/09/30 22:30:05", dt(2026, 9, 30, 22, 30, 5, 0)),
            ("2026/9/30 8:05:00", dt(2026, 9, 30, 8, 5, 0, 0)),
            ("2026-9-3 8:5", dt(2026, 9, 3, 8, 5, 0, 0)),
            ("20260930223005", dt(2026, 9, 30, 22, 30, 5, 0)),
            ("2026093022305", dt(2026, 9, 30, 22, 30, 5, 0)),
            ("2026-12-31 23:59:60", dt(2026, 12, 31, 23, 59, 59, 1_000_000_000)),
            ("+2026-09-30 22:30", dt(2026, 9, 30, 22, 30, 0, 0)),
            ("-0001-01-01 00:00", dt(-1, 1, 1, 0, 0, 0, 0)),
            ("2024-02-29T00:00", dt(2024, 2, 29, 0, 0, 0, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(ours_date_time(text), Some(expected), "{text}");
            assert_eq!(chrono_date_time(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn rejected_date_time_forms() {
        for text in [
            "",
            "2026-09-30",
            "2026-09-30T",
            "2026-09-30T22",
            "2026-09-30T22:30:05.",
            "2026-09-30T22:30:05Z",
            "2026-09-30T22:30 ",
            "2026-02-30 10:00",
            "2025-02-29 10:00",
            "2026-13-01 10:00",
            "2026-00-01 10:00",
            "2026-09-00 10:00",
            "2026-09-30 24:00",
            "2026-09-30 22:60",
            "2026-09-30 22:30:61",
            "2026/09/30 22:30",
            "2026-09-30t22:30",
            "2026.09.30 22:30",
            "20260930",
            "２０２６-09-30 22:30",
            "99999999999999999999-01-01 00:00",
        ] {
            assert_eq!(ours_date_time(text), None, "{text}");
            assert_eq!(chrono_date_time(text), None, "{text}");
        }
    }

    #[test]
    fn accepted_and_rejected_dates_and_times() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        for (text, expected) in [
            ("2026-10-01", day(2026, 10, 1)),
            ("2026/10/01", day(2026, 10, 1)),
            ("20261001", day(2026, 10, 1)),
            ("2026-1-1", day(2026, 1, 1)),
            ("2026/1/01", day(2026, 1, 1)),
            ("2026- 1-01", day(2026, 1, 1)),
            ("2024-02-29", day(2024, 2, 29)),
            ("2026-02-30", None),
            ("2026-10", None),
            ("2026-10-01T00:00", None),
            ("2026_10_01", None),
            ("202610011", None),
            ("", None),
        ] {
            assert_eq!(ours_date(text), expected, "{text}");
            assert_eq!(chrono_date(text), expected, "{text}");
        }
        let time = |h, m, s| NaiveTime::from_hms_opt(h, m, s);
        for (text, expected) in [
            ("23:00", time(23, 0, 0)),
            ("22:40:30", time(22, 40, 30)),
            ("0:5", time(0, 5, 0)),
            ("00:00", time(0, 0, 0)),
            ("23:59:60", NaiveTime::from_hms_nano_opt(23, 59, 59, 1_000_000_000)),
            ("24:00", None),
            ("23:61", None),
            ("23:00:61", None),
            ("23", None),
            ("23:00:00.5", None),
            ("2300", None),
            ("", None),
        ] {
            assert_eq!(ours_time(text), expected, "{text}");
            assert_eq!(chrono_time(text), expected, "{text}");
        }
    }

    /// The hand-written reader agrees with chrono's `parse_from_str` on generated texts:
    /// valid forms with random mutations (characters inserted, deleted, replaced).
    #[test]
    fn text_forms_agree_with_chrono() {
        let seeds = [
            "2026-09-30T22:30:05.123",
            "2026-09-30 22:30:05",
            "2026-09-30T22:30",
            "2026-09-30 22:30",
            "2026/09/30 22:30:05",
            "20260930223005",
            "2026-10-01",
            "2026/10/01",
            "20261001",
            "23:00",
            "22:40:30",
            "-2026-02-28 23:59:60.9",
        ];
        let alphabet: Vec<char> = "0123456789012345678901234567890123456789-/: T.+\t\u{3000}xZ".chars().collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let mut agreed_valid = 0;
        for round in 0..200_000 {
            let mut chars: Vec<char> = seeds[round % seeds.len()].chars().collect();
            for _ in 0..=next(3) {
                let at = next(chars.len() + 1);
                match next(3) {
                    0 if at < chars.len() => {
                        chars.remove(at);
                    }
                    1 if at < chars.len() => chars[at] = alphabet[next(alphabet.len())],
                    _ => chars.insert(at, alphabet[next(alphabet.len())]),
                }
            }
            let text: String = chars.into_iter().collect();
            let ours = (ours_date_time(&text), ours_date(&text), ours_time(&text));
            assert_eq!(ours, (chrono_date_time(&text), chrono_date(&text), chrono_time(&text)), "{text:?}");
            agreed_valid += usize::from(ours.0.is_some() || ours.1.is_some() || ours.2.is_some());
        }
        assert!(agreed_valid > 20_000, "too few generated texts were valid: {agreed_valid}");
    }

    #[test]
    fn cut_offs_print_as_parsed() {
        for (text, shown) in
            [("23:00", "23:00"), ("22:40:30", "22:40:30"), ("0:5", "00:05"), ("00:00:00", "00:00"), ("23:59:60", "23:59:59")]
        {
            assert_eq!(CutOff::parse(text).unwrap().to_string(), shown, "{text}");
        }
    }

    #[test]
    fn modes_print_back() {
        for text in ["T0", "T1", "T3", "D0", "D1", "S0"] {
            assert_eq!(SettlementMode::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(CutOff::parse("22:40").unwrap().to_string(), "22:40");
    }
}

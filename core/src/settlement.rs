//! Settlement timing: trade days, cut-off times, and T+N / D+N / S0 settlement dates.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike};
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
        return Ok(at);
    }
    let naive = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y%m%d%H%M%S"]
        .iter()
        .find_map(|format| chrono::NaiveDateTime::parse_from_str(trimmed, format).ok())
        .or_else(|| parse_date(trimmed).ok().map(|date| date.and_time(NaiveTime::MIN)));
    match naive.and_then(|n| china_offset().from_local_datetime(&n).single()) {
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
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let trimmed = text.trim();
    ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(trimmed, format).ok())
        .ok_or_else(|| Error::new(ErrorKind::InvalidDate, format!("date {text:?} is not a valid date (expected 2026-10-01)")))
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
        let rest = chars.as_str().trim_start_matches('+');
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
        let text = String::deserialize(deserializer)?;
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
        let time = NaiveTime::parse_from_str(text.trim(), "%H:%M:%S")
            .or_else(|_| NaiveTime::parse_from_str(text.trim(), "%H:%M"))
            .map_err(|_| Error::new(ErrorKind::InvalidDate, format!("cut-off {text:?} is not a time of day such as 23:00")))?;
        Ok(CutOff { seconds: time.num_seconds_from_midnight() })
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

impl fmt::Display for CutOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let time = self.time();
        if time.second() == 0 {
            write!(f, "{}", time.format("%H:%M"))
        } else {
            write!(f, "{}", time.format("%H:%M:%S"))
        }
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
            ("2026-09-30T23:00:00+08:00", "T1", d(10, 8)), // at cut-off: trade day Oct 1
            ("2026-09-30T23:00:00+08:00", "D1", d(10, 2)), // trade day Oct 1 + 1 calendar day
            ("2026-09-30T23:30:00+08:00", "S0", d(9, 30)), // instant: the trade's own date
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

    #[test]
    fn bad_modes_and_times_name_the_text() {
        for text in ["", "T", "T-1", "Q1", "S1", "T61", "TT1"] {
            let err = SettlementMode::parse(text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidSettlement, "{text}");
        }
        assert!(parse_china_time("yesterday").unwrap_err().to_string().contains("yesterday"));
        assert!(CutOff::parse("23:61").is_err());
    }

    #[test]
    fn modes_print_back() {
        for text in ["T0", "T1", "T3", "D0", "D1", "S0"] {
            assert_eq!(SettlementMode::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(CutOff::parse("22:40").unwrap().to_string(), "22:40");
    }
}

//! The mainland China working-day calendar.
//!
//! A working day (business day) is Monday to Friday, minus statutory holidays, plus the
//! make-up working days (调休) on weekends that each year's State Council notice sets.
//! Make-up working days are settlement days.
//!
//! The data is a plain TOML file (`core/data/calendar/china.toml`, one entry per year with
//! its notice), embedded in the crate and loadable or extendable at run time, so next year's
//! notice needs no new release:
//!
//! ```
//! use posfee::Calendar;
//! use chrono::NaiveDate;
//! let extra = r#"
//! [[years]]
//! year = 2027
//! notice = "example only"
//! [[years.holidays]]
//! name_zh = "元旦"
//! name_en = "New Year's Day"
//! first = 2027-01-01
//! last = 2027-01-03
//! makeup_workdays = []
//! "#;
//! let calendar = Calendar::china().with_years_from_toml(extra)?;
//! assert!(!calendar.is_business_day(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap())?);
//! # Ok::<(), posfee::Error>(())
//! ```
//!
//! A date outside the covered years is an error ([`ErrorKind::CalendarOutOfRange`]). The
//! explicit opt-in [`Calendar::provisional`] view treats uncovered years as "weekends only"
//! and marks every answer that relied on that.
//!
//! Arithmetic never loops over days: each covered day has a precomputed rank (business days
//! before it), and days outside the data use closed-form weekday counts.

mod data;
// The one stable sort of small lists in the crate (schedules use it too).
pub(crate) use data::insertion_sort_by;

use std::ops::RangeInclusive;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::quote::CalendarPolicy;

pub use data::{Holiday, HolidayCnDay, HolidayCnYear};

/// One day as the calendar sees it.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// let day = posfee::Calendar::china().day(NaiveDate::from_ymd_opt(2026, 2, 14).unwrap())?;
/// assert!(day.business_day && day.makeup_workday); // a make-up Saturday
/// assert_eq!(day.holiday.map(|h| h.name_en.as_str()), None);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Day<'a> {
    /// The date.
    pub date: NaiveDate,
    /// Whether money settles on this day.
    pub business_day: bool,
    /// Whether the date is a Saturday or Sunday.
    pub weekend: bool,
    /// Whether it is a weekend day worked in exchange for a holiday (调休).
    pub makeup_workday: bool,
    /// The statutory holiday break the day belongs to, if any (including the weekend days
    /// inside the break).
    pub holiday: Option<&'a Holiday>,
    /// Whether the answer came from the "weekends only" rule for a year with no data
    /// (only from [`Calendar::provisional`]).
    pub provisional: bool,
}

/// An answer of the [`Calendar::provisional`] view: the value and whether any day it relied
/// on lies outside the calendar's data (and was treated as "weekends only").
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// let calendar = posfee::Calendar::china();
/// let answer = calendar.provisional().add_business_days(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(), 1)?;
/// assert!(answer.provisional);
/// assert_eq!(answer.value, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reckoned<T> {
    /// The computed value.
    pub value: T,
    /// Whether the value relied on days outside the data.
    pub provisional: bool,
}

/// A working-day calendar built from per-year holiday data.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use posfee::Calendar;
/// let calendar = Calendar::china();
/// let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
/// // National Day 2026: Oct 1–7 off, Saturday Oct 10 worked.
/// assert_eq!(calendar.next_business_day(date(9, 30))?, date(10, 8));
/// assert_eq!(calendar.add_business_days(date(10, 9), 1)?, date(10, 10));
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    years: Vec<data::Year>,
    first_day: NaiveDate,
    last_day: NaiveDate,
    /// Per covered day: business flag in the top bit, holiday index + 1 below (0 = none).
    days: Vec<u16>,
    /// Per covered day: business days in `[first_day, day)`; one extra entry for the total.
    rank: Vec<u32>,
    /// Every covered business day, ascending.
    business_dates: Vec<NaiveDate>,
    holidays: Vec<Holiday>,
}

const BUSINESS_BIT: u16 = 1 << 15;
/// The most business days one step may move: 200 million business days are 770,000 years,
/// far past the last date chrono holds (year 262,143), so a larger `n` has no answer, and the
/// rank arithmetic stays inside `i64`.
const BUSINESS_DAYS_MAX: u64 = 200_000_000;
/// The years of every date a calendar answers with: the four-digit years of ISO 8601 text,
/// which every surface writes and reads (Python's `datetime.date` ends at 9999 too). One
/// policy for all of them: an answer beyond it is an [`ErrorKind::Overflow`] naming `n`.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// let day = NaiveDate::from_ymd_opt(9999, 12, 30).unwrap();
/// let err = posfee::Calendar::china().provisional().add_business_days(day, 3).unwrap_err();
/// assert_eq!(err.code(), "overflow");
/// assert!(posfee::ANSWER_YEARS.contains(&9999));
/// ```
pub const ANSWER_YEARS: RangeInclusive<i32> = 1..=9999;

/// A number of business days to add to `date`, given as text (a Python int of any size, as its
/// decimal text). A number too large for any answer gets the error
/// [`Calendar::add_business_days`] gives for it (`beyond the year 9999`, or `before the year
/// 1` for a negative one), naming the number as written, even one beyond 64 bits.
///
/// # Errors
/// [`ErrorKind::InvalidRequest`] (field `n`) for text that is not a whole number;
/// [`ErrorKind::Overflow`] (field `n`) for a number beyond [`ANSWER_YEARS`] from any date.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// let day = NaiveDate::from_ymd_opt(2026, 5, 6).unwrap();
/// assert_eq!(posfee::business_days_from_text(day, "-3")?, -3);
/// let far = posfee::business_days_from_text(day, "-1000000000000000000000000000000").unwrap_err();
/// assert_eq!(far.code(), "overflow");
/// assert!(far.message().ends_with("plus -1000000000000000000000000000000 business days is before the year 1"));
/// # Ok::<(), posfee::Error>(())
/// ```
pub fn business_days_from_text(date: NaiveDate, text: &str) -> Result<i64> {
    crate::text::check_whole_number(text, "a whole number of business days", "n")?;
    let negative = text.starts_with('-');
    text.parse::<i64>()
        .ok()
        .filter(|n| n.unsigned_abs() <= BUSINESS_DAYS_MAX)
        .ok_or_else(|| beyond_answer_years(date, crate::error::shown(text), negative))
}

/// `date` plus `n` (shown as `n`) business days is outside [`ANSWER_YEARS`].
fn beyond_answer_years(date: NaiveDate, n: impl std::fmt::Display, negative: bool) -> Error {
    let (word, year) = if negative { ("before", ANSWER_YEARS.start()) } else { ("beyond", ANSWER_YEARS.end()) };
    Error::new(ErrorKind::Overflow, format!("{date} plus {n} business days is {word} the year {year}")).in_field("n")
}
const MAKEUP_BIT: u16 = 1 << 14;
const HOLIDAY_MASK: u16 = MAKEUP_BIT - 1;

impl Calendar {
    /// The embedded mainland China calendar (2005 to the latest published year).
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Calendar::china().years(), 2005..=2026);
    /// ```
    pub fn china() -> &'static Calendar {
        static CHINA: OnceLock<Calendar> = OnceLock::new();
        CHINA.get_or_init(|| {
            // Generated from core/data/calendar/china.toml by core/build.rs (no TOML parsing here).
            // Sorted and checked at build time: the test `embedded_calendar_equals_the_toml_file`
            // compares it with `Calendar::from_toml` of the file, which sorts and checks.
            Calendar::assemble(data::embedded_years()).unwrap_or_else(|e| panic!("the embedded calendar data is invalid: {e}"))
        })
    }

    /// Builds a calendar from TOML text in the format of the embedded file.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidCalendar`] naming the year and holiday: malformed TOML, years
    /// not contiguous or repeated, a range ending before it starts, overlapping holidays, a
    /// make-up working day that is not a weekend day or that falls inside a holiday.
    ///
    /// # Example
    /// ```
    /// let err = posfee::Calendar::from_toml("[[years]]\nyear = 2030\nnotice = \"x\"\nholidays = []\n[[years]]\nyear = 2032\nnotice = \"y\"\nholidays = []\n").unwrap_err();
    /// assert_eq!(err.code(), "invalid_calendar");
    /// ```
    pub fn from_toml(text: &str) -> Result<Calendar> {
        Calendar::build(data::parse_years(text)?)
    }

    /// Builds a calendar from a TOML file.
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the file cannot be read; otherwise as [`Calendar::from_toml`],
    /// with the file named.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Calendar::from_file("no/such/file.toml").unwrap_err().code(), "io");
    /// ```
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Calendar> {
        let path = path.as_ref();
        let text = crate::read_text_file(path)?;
        Calendar::from_toml(&text).map_err(|e| e.at(crate::Location::default().file(path.display().to_string())))
    }

    /// A new calendar with the years of `text` added (replacing years already present).
    ///
    /// # Errors
    /// As [`Calendar::from_toml`]; the combined years must still be contiguous.
    ///
    /// # Example
    /// ```
    /// let same = posfee::Calendar::china().with_years_from_toml("years = []")?;
    /// assert_eq!(same.years(), 2005..=2026);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn with_years_from_toml(&self, text: &str) -> Result<Calendar> {
        self.with_years(data::parse_years(text)?)
    }

    /// A new calendar with the years of a `holiday-cn` JSON text added (one year file of that
    /// community data set, or an array of them), replacing years already present. Days off
    /// of one name that follow each other become a holiday; its working days (`isOffDay:
    /// false`) become the holiday's make-up working days.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidCalendar`]: malformed JSON, a bad date, a year file without any
    /// day or notice (holiday-cn's placeholder for a year not yet published), or what
    /// [`Calendar::from_toml`] checks.
    ///
    /// # Example
    /// ```
    /// let json = r#"{"year": 2027, "papers": ["https://www.gov.cn/example"], "days": [
    ///     {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    ///     {"name": "春节", "date": "2027-02-06", "isOffDay": true},
    ///     {"name": "春节", "date": "2027-02-07", "isOffDay": true},
    ///     {"name": "春节", "date": "2027-02-08", "isOffDay": true},
    ///     {"name": "春节", "date": "2027-02-20", "isOffDay": false}]}"#;
    /// let calendar = posfee::Calendar::china().with_years_from_json(json)?;
    /// assert_eq!(calendar.years(), 2005..=2027);
    /// let spring = &calendar.holidays(2027)?[1];
    /// assert_eq!((spring.name_en.as_str(), spring.last.to_string()), ("Spring Festival", "2027-02-08".to_string()));
    /// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2027, m, day).unwrap();
    /// assert!(calendar.is_business_day(d(2, 20))?); // a make-up Saturday
    /// assert!(!calendar.is_business_day(d(2, 8))?);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn with_years_from_json(&self, text: &str) -> Result<Calendar> {
        self.with_years(data::parse_holiday_cn(text)?)
    }

    /// A new calendar with already-parsed `holiday-cn` years added (for callers that parse
    /// the JSON themselves, such as the WebAssembly binding with the browser's parser).
    ///
    /// # Errors
    /// As [`Calendar::with_years_from_json`].
    ///
    /// # Example
    /// ```
    /// let empty = posfee::HolidayCnYear { year: 2027, papers: vec![], days: vec![] };
    /// let err = posfee::Calendar::china().with_holiday_cn_years(vec![empty]).unwrap_err();
    /// assert_eq!(err.code(), "invalid_calendar"); // holiday-cn's placeholder for an unpublished year
    /// ```
    pub fn with_holiday_cn_years(&self, years: Vec<HolidayCnYear>) -> Result<Calendar> {
        self.with_years(data::holiday_cn_years(years)?)
    }

    /// A new calendar with the years of `text` added, in either format: `holiday-cn` JSON
    /// when it starts with `{` or `[` (after white space), otherwise posfee's calendar TOML.
    ///
    /// # Errors
    /// As [`Calendar::with_years_from_json`] or [`Calendar::with_years_from_toml`].
    ///
    /// # Example
    /// ```
    /// let calendar = posfee::Calendar::china();
    /// assert_eq!(calendar.with_years_from_text("years = []")?.years(), 2005..=2026);
    /// assert_eq!(calendar.with_years_from_text("{\"year\": 2027, \"days\": []}").unwrap_err().code(), "invalid_calendar");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn with_years_from_text(&self, text: &str) -> Result<Calendar> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim_start().starts_with(['{', '[']) && !text.trim_start().starts_with("[[") && !text.trim_start().starts_with("[years") {
            self.with_years_from_json(text)
        } else {
            self.with_years_from_toml(text)
        }
    }

    /// A new calendar with the years of a file added: `holiday-cn` JSON or posfee's TOML
    /// (see [`Calendar::with_years_from_text`]).
    ///
    /// # Errors
    /// [`ErrorKind::Io`] when the file cannot be read; otherwise as
    /// [`Calendar::with_years_from_text`], with the file named.
    ///
    /// # Example
    /// ```
    /// assert_eq!(posfee::Calendar::china().with_years_from_file("no/such/2027.json").unwrap_err().code(), "io");
    /// ```
    pub fn with_years_from_file(&self, path: impl AsRef<std::path::Path>) -> Result<Calendar> {
        let path = path.as_ref();
        let text = crate::read_text_file(path)?;
        self.with_years_from_text(&text).map_err(|e| e.at(crate::Location::default().file(path.display().to_string())))
    }

    fn with_years(&self, added: Vec<data::Year>) -> Result<Calendar> {
        let mut years: Vec<data::Year> = self.years.iter().filter(|y| !added.iter().any(|a| a.year == y.year)).cloned().collect();
        years.extend(added);
        Calendar::build(years)
    }

    fn build(mut years: Vec<data::Year>) -> Result<Calendar> {
        data::insertion_sort_by(&mut years, |a, b| a.year < b.year);
        data::check_years(&years)?;
        Calendar::assemble(years)
    }

    /// The calendar of sorted, checked years.
    fn assemble(years: Vec<data::Year>) -> Result<Calendar> {
        let first_year = years.first().map(|y| y.year).unwrap_or(0);
        let last_year = years.last().map(|y| y.year).unwrap_or(0);
        let invalid = |message: String| Error::new(ErrorKind::InvalidCalendar, message);
        let first_day = NaiveDate::from_ymd_opt(first_year, 1, 1).ok_or_else(|| invalid(format!("year {first_year} is out of range")))?;
        let last_day = NaiveDate::from_ymd_opt(last_year, 12, 31).ok_or_else(|| invalid(format!("year {last_year} is out of range")))?;
        let day_count = (last_day - first_day).num_days() as usize + 1;
        // Weekdays by counting from the first day's (no date arithmetic per day).
        let first_weekday = first_day.weekday().num_days_from_monday() as usize;
        let mut days: Vec<u16> = (0..day_count).map(|offset| if (first_weekday + offset) % 7 >= 5 { 0 } else { BUSINESS_BIT }).collect();
        let holidays: Vec<Holiday> = years.iter().flat_map(|y| y.holidays.iter().cloned()).collect();
        if holidays.len() >= usize::from(HOLIDAY_MASK) {
            return Err(invalid(format!("{} holidays is more than a calendar holds", holidays.len())));
        }
        let offset_of =
            |date: NaiveDate| -> Option<usize> { (date >= first_day && date <= last_day).then(|| (date - first_day).num_days() as usize) };
        for (index, holiday) in holidays.iter().enumerate() {
            let mut date = holiday.first;
            while date <= holiday.last {
                if let Some(offset) = offset_of(date) {
                    days[offset] = (index as u16) + 1;
                }
                date = date.succ_opt().ok_or_else(|| invalid("holiday date out of range".to_string()))?;
            }
            for makeup in &holiday.makeup_workdays {
                if let Some(offset) = offset_of(*makeup) {
                    days[offset] = BUSINESS_BIT | MAKEUP_BIT;
                }
            }
        }
        let mut rank = Vec::with_capacity(day_count + 1);
        let mut business_dates = Vec::new();
        let mut count = 0u32;
        let mut date = first_day;
        for entry in &days {
            rank.push(count);
            if entry & BUSINESS_BIT != 0 {
                business_dates.push(date);
                count += 1;
            }
            date = date.succ_opt().unwrap_or(date);
        }
        rank.push(count);
        Ok(Calendar { years, first_day, last_day, days, rank, business_dates, holidays })
    }

    /// The years the data covers.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Calendar::china().years().contains(&2024));
    /// ```
    pub fn years(&self) -> RangeInclusive<i32> {
        self.first_day.year()..=self.last_day.year()
    }

    /// The notice (title, number, date) that published a year's data.
    ///
    /// # Errors
    /// [`ErrorKind::CalendarOutOfRange`] for a year without data.
    ///
    /// # Example
    /// ```
    /// assert!(posfee::Calendar::china().notice(2026)?.contains("2026"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn notice(&self, year: i32) -> Result<&str> {
        Ok(&self.year_data(year)?.notice)
    }

    /// The holiday breaks declared for a year, in date order.
    ///
    /// # Errors
    /// [`ErrorKind::CalendarOutOfRange`] for a year without data.
    ///
    /// # Example
    /// ```
    /// let holidays = posfee::Calendar::china().holidays(2026)?;
    /// assert_eq!(holidays.len(), 7);
    /// assert_eq!(holidays[1].name_zh, "春节");
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn holidays(&self, year: i32) -> Result<&[Holiday]> {
        Ok(&self.year_data(year)?.holidays)
    }

    /// A year given as text (a Python int of any size, as its decimal text) that the calendar
    /// has data for. A year beyond 32 bits gets the error of any year without data, naming it
    /// as written.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidRequest`] for text that is not a whole number;
    /// [`ErrorKind::CalendarOutOfRange`] for a year without data; both in the field `year`.
    ///
    /// # Example
    /// ```
    /// let calendar = posfee::Calendar::china();
    /// assert_eq!(calendar.year_from_text("2026")?, 2026);
    /// let far = calendar.year_from_text("100000000000000000000").unwrap_err();
    /// assert_eq!(far.code(), "calendar_out_of_range");
    /// assert!(far.message().starts_with("the calendar has no data for year 100000000000000000000 (it covers"));
    /// assert_eq!(far.location().field.as_deref(), Some("year"));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn year_from_text(&self, text: &str) -> Result<i32> {
        crate::text::check_whole_number(text, "a year", "year")?;
        match text.parse::<i32>() {
            Ok(year) => self.year_data(year).map(|_| year).map_err(|e| e.in_field("year")),
            Err(_) => Err(self.no_data(&crate::error::shown(text)).in_field("year")),
        }
    }

    fn year_data(&self, year: i32) -> Result<&data::Year> {
        self.years.iter().find(|y| y.year == year).ok_or_else(|| self.no_data(&year.to_string()))
    }

    /// The calendar has no data for the year `year` (as shown).
    fn no_data(&self, year: &str) -> Error {
        Error::new(ErrorKind::CalendarOutOfRange, format!("the calendar has no data for year {year} ({})", self.covered_text()))
    }

    /// The last day of the holiday data when `date` falls in its last month or after it
    /// (`None` otherwise): the moment to load the next year's notice.
    ///
    /// # Example
    /// ```
    /// let calendar = posfee::Calendar::china();
    /// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// assert_eq!(calendar.data_ends_near(d(12, 31)), Some(d(12, 31)));
    /// assert_eq!(calendar.data_ends_near(d(11, 30)), None);
    /// ```
    pub fn data_ends_near(&self, date: NaiveDate) -> Option<NaiveDate> {
        let last_month = self.last_day.with_day(1).unwrap_or(self.last_day);
        (date >= last_month).then_some(self.last_day)
    }

    fn covered_text(&self) -> String {
        format!("it covers {} to {}", self.first_day, self.last_day)
    }

    fn out_of_range(&self, date: NaiveDate) -> Error {
        Error::new(
            ErrorKind::CalendarOutOfRange,
            format!(
                "{date} is outside the holiday data ({}): load the State Council holiday notice for {} (a posfee \
                 calendar TOML or a holiday-cn JSON file), or choose provisional dates (weekends only, marked provisional)",
                self.covered_text(),
                date.year()
            ),
        )
    }

    fn covers(&self, date: NaiveDate) -> bool {
        date >= self.first_day && date <= self.last_day
    }

    fn strict<T>(&self, reckoned: Reckoned<T>, date: NaiveDate) -> Result<T> {
        if reckoned.provisional {
            Err(self.out_of_range(date))
        } else {
            Ok(reckoned.value)
        }
    }

    /// The calendar's view of one day.
    ///
    /// # Errors
    /// [`ErrorKind::CalendarOutOfRange`] outside the data.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let day = posfee::Calendar::china().day(NaiveDate::from_ymd_opt(2026, 10, 3).unwrap())?;
    /// assert_eq!(day.holiday.unwrap().name_en, "National Day");
    /// assert!(!day.business_day);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn day(&self, date: NaiveDate) -> Result<Day<'_>> {
        if !self.covers(date) {
            return Err(self.out_of_range(date));
        }
        Ok(self.day_any(date))
    }

    fn day_any(&self, date: NaiveDate) -> Day<'_> {
        let weekend = is_weekend(date);
        if !self.covers(date) {
            return Day { date, business_day: !weekend, weekend, makeup_workday: false, holiday: None, provisional: true };
        }
        let entry = self.days[self.offset(date)];
        let holiday_index = entry & HOLIDAY_MASK;
        Day {
            date,
            business_day: entry & BUSINESS_BIT != 0,
            weekend,
            makeup_workday: entry & MAKEUP_BIT != 0,
            holiday: (holiday_index > 0).then(|| &self.holidays[usize::from(holiday_index - 1)]),
            provisional: false,
        }
    }

    /// Whether money settles on `date`.
    ///
    /// # Errors
    /// [`ErrorKind::CalendarOutOfRange`] outside the data.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let calendar = posfee::Calendar::china();
    /// assert!(calendar.is_business_day(NaiveDate::from_ymd_opt(2026, 9, 20).unwrap())?); // make-up Sunday
    /// assert!(!calendar.is_business_day(NaiveDate::from_ymd_opt(2026, 6, 19).unwrap())?); // Dragon Boat
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn is_business_day(&self, date: NaiveDate) -> Result<bool> {
        if !self.covers(date) {
            return Err(self.out_of_range(date));
        }
        Ok(self.days[self.offset(date)] & BUSINESS_BIT != 0)
    }

    /// The first business day strictly after `date`.
    ///
    /// # Errors
    /// [`ErrorKind::CalendarOutOfRange`] when `date` or the answer is outside the data.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// assert_eq!(posfee::Calendar::china().next_business_day(d(2, 13))?, d(2, 14)); // make-up Saturday
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn next_business_day(&self, date: NaiveDate) -> Result<NaiveDate> {
        self.add_business_days(date, 1)
    }

    /// The last business day strictly before `date`.
    ///
    /// # Errors
    /// [`ErrorKind::CalendarOutOfRange`] when `date` or the answer is outside the data.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// assert_eq!(posfee::Calendar::china().previous_business_day(d(2, 24))?, d(2, 14));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn previous_business_day(&self, date: NaiveDate) -> Result<NaiveDate> {
        self.add_business_days(date, -1)
    }

    /// Moves `n` business days from `date`: for `n > 0` the n-th business day after `date`,
    /// for `n < 0` the |n|-th business day before it, and for `n = 0` `date` itself when it
    /// is a business day, else the next one. Constant time.
    ///
    /// # Errors
    /// [`ErrorKind::CalendarOutOfRange`] when `date` or the answer is outside the data;
    /// [`ErrorKind::InvalidDate`] when the answer is beyond the dates chrono represents.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let calendar = posfee::Calendar::china();
    /// assert_eq!(calendar.add_business_days(d(2, 12), 2)?, d(2, 14));
    /// assert_eq!(calendar.add_business_days(d(2, 12), 3)?, d(2, 24));
    /// assert_eq!(calendar.add_business_days(d(2, 24), -2)?, d(2, 13));
    /// assert_eq!(calendar.add_business_days(d(2, 15), 0)?, d(2, 24));
    /// # Ok::<(), posfee::Error>(())
    /// ```
    #[inline]
    pub fn add_business_days(&self, date: NaiveDate, n: i64) -> Result<NaiveDate> {
        if self.covers(date) && n.unsigned_abs() <= BUSINESS_DAYS_MAX {
            // Fast path: both ends inside the data.
            let offset = self.offset(date);
            let rank = i64::from(self.rank[offset]);
            let business = i64::from(self.days[offset] >> 15);
            let target = target_rank(rank, business, n);
            if let Some(date) = usize::try_from(target).ok().and_then(|t| self.business_dates.get(t)) {
                return Ok(*date);
            }
        }
        let reckoned = self.add_business_days_any(date, n)?;
        // Name the day outside the data: the start when it is outside, else the answer
        // (from 2026-12-31, T+1 needs 2027's notice).
        let outside = if self.covers(date) { reckoned.value } else { date };
        self.strict(reckoned, outside)
    }

    /// Business days `d` with `from <= d < to` (negative when `to < from`). Constant time.
    ///
    /// # Errors
    /// [`ErrorKind::CalendarOutOfRange`] when a day of the span is outside the data.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let calendar = posfee::Calendar::china();
    /// assert_eq!(calendar.business_days_between(d(9, 30), d(10, 9))?, 2); // Sep 30 and Oct 8
    /// assert_eq!(calendar.business_days_between(d(10, 9), d(9, 30))?, -2);
    /// assert_eq!(calendar.business_days_between(d(1, 1), d(12, 31))? + 1, 248);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        let reckoned = self.business_days_between_any(from, to);
        let outside = if self.covers(from) { to } else { from };
        self.strict(reckoned, outside)
    }

    /// The opt-in view that treats days outside the data as "weekends only" (Monday to
    /// Friday are business days) and marks every answer that relied on that.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let view = posfee::Calendar::china().provisional();
    /// let inside = view.is_business_day(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    /// assert!(inside.value && !inside.provisional);
    /// let outside = view.is_business_day(NaiveDate::from_ymd_opt(2030, 3, 4).unwrap());
    /// assert!(outside.value && outside.provisional);
    /// ```
    pub fn provisional(&self) -> ProvisionalCalendar<'_> {
        ProvisionalCalendar { calendar: self }
    }

    /// This calendar under `policy`: [`CalendarPolicy::Strict`] answers as the calendar
    /// does (a date outside the data is an error), [`CalendarPolicy::WeekendsOnly`] as
    /// [`Calendar::provisional`] does (weekends only outside the data). The one place the
    /// command line and the bindings choose between the two.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use posfee::{Calendar, CalendarPolicy};
    /// let saturday = NaiveDate::from_ymd_opt(2031, 1, 4).unwrap(); // no holiday data for 2031
    /// assert!(Calendar::china().under(CalendarPolicy::Strict).is_business_day(saturday).is_err());
    /// assert!(!Calendar::china().under(CalendarPolicy::WeekendsOnly).is_business_day(saturday)?);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    pub fn under(&self, policy: CalendarPolicy) -> CalendarUnder<'_> {
        CalendarUnder { calendar: self, policy }
    }

    fn offset(&self, date: NaiveDate) -> usize {
        (date.num_days_from_ce() - self.first_day.num_days_from_ce()) as usize
    }

    /// Business days before `date` counted from `first_day` (negative before it), under the
    /// weekends-only rule outside the data.
    fn rank_any(&self, date: NaiveDate) -> i64 {
        if self.covers(date) {
            return i64::from(self.rank[self.offset(date)]);
        }
        if date > self.last_day {
            let total = i64::from(self.rank[self.days.len()]);
            total + weekdays_before(day_number(date)) - weekdays_before(day_number(self.last_day) + 1)
        } else {
            weekdays_before(day_number(date)) - weekdays_before(day_number(self.first_day))
        }
    }

    fn is_business_any(&self, date: NaiveDate) -> bool {
        self.day_any(date).business_day
    }

    /// The business day with the given rank.
    fn unrank_any(&self, rank: i64) -> Result<NaiveDate> {
        let total = i64::from(self.rank[self.days.len()]);
        let number = if rank >= 0 && rank < total {
            return Ok(self.business_dates[rank as usize]);
        } else if rank >= total {
            nth_weekday(weekdays_before(day_number(self.last_day) + 1) + (rank - total))
        } else {
            nth_weekday(weekdays_before(day_number(self.first_day)) + rank)
        };
        from_day_number(number)
    }

    fn add_business_days_any(&self, date: NaiveDate, n: i64) -> Result<Reckoned<NaiveDate>> {
        let beyond = || beyond_answer_years(date, n, n < 0);
        if n.unsigned_abs() > BUSINESS_DAYS_MAX {
            return Err(beyond());
        }
        let rank = self.rank_any(date);
        let business = i64::from(self.is_business_any(date));
        let target = target_rank(rank, business, n);
        let value = self.unrank_any(target).map_err(|_| beyond())?;
        if !ANSWER_YEARS.contains(&value.year()) {
            return Err(beyond());
        }
        Ok(Reckoned { value, provisional: !self.covers(date) || !self.covers(value) })
    }

    fn business_days_between_any(&self, from: NaiveDate, to: NaiveDate) -> Reckoned<i64> {
        let value = self.rank_any(to) - self.rank_any(from);
        // The span [from, to) is inside the data exactly when both ends are (or it is empty).
        let last_touched = if to > from { to.pred_opt().unwrap_or(to) } else { from };
        let first_touched = if to > from { from } else { to };
        let provisional = from != to && !(self.covers(first_touched) && self.covers(last_touched));
        Reckoned { value, provisional }
    }
}

/// The opt-in "weekends only" view of a [`Calendar`] for years without data: every answer
/// says whether it relied on that rule. Made by [`Calendar::provisional`].
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// let view = posfee::Calendar::china().provisional();
/// let between = view.business_days_between(
///     NaiveDate::from_ymd_opt(2026, 12, 28).unwrap(),
///     NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
/// );
/// assert_eq!(between.value, 5);
/// assert!(between.provisional);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ProvisionalCalendar<'a> {
    calendar: &'a Calendar,
}

impl<'a> ProvisionalCalendar<'a> {
    /// The day, marked provisional outside the data.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let day = posfee::Calendar::china().provisional().day(NaiveDate::from_ymd_opt(2031, 1, 1).unwrap());
    /// assert!(day.provisional && day.business_day); // a Wednesday; no holiday data for 2031
    /// ```
    pub fn day(&self, date: NaiveDate) -> Day<'a> {
        self.calendar.day_any(date)
    }

    /// Whether `date` is a business day.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let answer = posfee::Calendar::china().provisional().is_business_day(NaiveDate::from_ymd_opt(2031, 1, 4).unwrap());
    /// assert!(!answer.value); // a Saturday
    /// ```
    pub fn is_business_day(&self, date: NaiveDate) -> Reckoned<bool> {
        let day = self.day(date);
        Reckoned { value: day.business_day, provisional: day.provisional }
    }

    /// As [`Calendar::add_business_days`].
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let answer = posfee::Calendar::china().provisional().add_business_days(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(), 1)?;
    /// assert_eq!(answer.value, NaiveDate::from_ymd_opt(2027, 1, 4).unwrap());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Overflow`] (field `n`) when the answer is outside [`ANSWER_YEARS`].
    pub fn add_business_days(&self, date: NaiveDate, n: i64) -> Result<Reckoned<NaiveDate>> {
        self.calendar.add_business_days_any(date, n)
    }

    /// As [`Calendar::business_days_between`].
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let answer = posfee::Calendar::china().provisional().business_days_between(d(2026, 1, 5), d(2026, 1, 12));
    /// assert_eq!((answer.value, answer.provisional), (5, false));
    /// ```
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> Reckoned<i64> {
        self.calendar.business_days_between_any(from, to)
    }
}

/// A calendar under a [`CalendarPolicy`] ([`Calendar::under`]): the strict calendar's
/// answers and errors, or the provisional ones (whose days say whether they are provisional).
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use posfee::{Calendar, CalendarPolicy};
/// let view = Calendar::china().under(CalendarPolicy::WeekendsOnly);
/// let day = view.day(NaiveDate::from_ymd_opt(2031, 1, 1).unwrap())?;
/// assert!(day.provisional && day.business_day);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CalendarUnder<'a> {
    calendar: &'a Calendar,
    policy: CalendarPolicy,
}

impl<'a> CalendarUnder<'a> {
    fn provisional(&self) -> Option<ProvisionalCalendar<'a>> {
        (self.policy == CalendarPolicy::WeekendsOnly).then(|| self.calendar.provisional())
    }

    /// As [`Calendar::day`], or [`ProvisionalCalendar::day`].
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let day = posfee::Calendar::china().under(posfee::CalendarPolicy::Strict).day(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap())?;
    /// assert!(!day.business_day && !day.provisional);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    ///
    /// # Errors
    /// Strict: [`ErrorKind::CalendarOutOfRange`] outside the data.
    pub fn day(&self, date: NaiveDate) -> Result<Day<'a>> {
        match self.provisional() {
            Some(view) => Ok(view.day(date)),
            None => self.calendar.day(date),
        }
    }

    /// As [`Calendar::is_business_day`], or [`ProvisionalCalendar::is_business_day`].
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let view = posfee::Calendar::china().under(posfee::CalendarPolicy::Strict);
    /// assert!(view.is_business_day(NaiveDate::from_ymd_opt(2026, 9, 29).unwrap())?); // a Tuesday
    /// # Ok::<(), posfee::Error>(())
    /// ```
    ///
    /// # Errors
    /// Strict: [`ErrorKind::CalendarOutOfRange`] outside the data.
    pub fn is_business_day(&self, date: NaiveDate) -> Result<bool> {
        match self.provisional() {
            Some(view) => Ok(view.is_business_day(date).value),
            None => self.calendar.is_business_day(date),
        }
    }

    /// As [`Calendar::add_business_days`], or [`ProvisionalCalendar::add_business_days`].
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let view = posfee::Calendar::china().under(posfee::CalendarPolicy::WeekendsOnly);
    /// assert_eq!(view.add_business_days(NaiveDate::from_ymd_opt(2031, 1, 3).unwrap(), 1)?, NaiveDate::from_ymd_opt(2031, 1, 6).unwrap());
    /// # Ok::<(), posfee::Error>(())
    /// ```
    ///
    /// # Errors
    /// As the calendar's: outside the data (strict), or an answer outside [`ANSWER_YEARS`].
    pub fn add_business_days(&self, date: NaiveDate, n: i64) -> Result<NaiveDate> {
        match self.provisional() {
            Some(view) => Ok(view.add_business_days(date, n)?.value),
            None => self.calendar.add_business_days(date, n),
        }
    }

    /// As [`Calendar::business_days_between`], or [`ProvisionalCalendar::business_days_between`].
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let view = posfee::Calendar::china().under(posfee::CalendarPolicy::Strict);
    /// assert_eq!(view.business_days_between(d(2026, 1, 5), d(2026, 1, 12))?, 5);
    /// # Ok::<(), posfee::Error>(())
    /// ```
    ///
    /// # Errors
    /// Strict: [`ErrorKind::CalendarOutOfRange`] outside the data.
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        match self.provisional() {
            Some(view) => Ok(view.business_days_between(from, to).value),
            None => self.calendar.business_days_between(from, to),
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Days since Monday 0001-01-01 (day 0).
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 1
}

fn from_day_number(number: i64) -> Result<NaiveDate> {
    i32::try_from(number + 1)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| Error::new(ErrorKind::InvalidDate, format!("day number {number} is beyond the supported dates")))
}

/// Monday-to-Friday days in `[0, number)`.
fn weekdays_before(number: i64) -> i64 {
    let weeks = number.div_euclid(7);
    let rest = number.rem_euclid(7);
    weeks * 5 + rest.min(5)
}

/// The day number of the weekday that has exactly `count` weekdays before it.
fn nth_weekday(count: i64) -> i64 {
    count.div_euclid(5) * 7 + count.rem_euclid(5)
}

/// The rank of the business day `n` business days from a date whose rank is `rank` (business
/// days before it) and which is (`business` = 1) or is not (0) a business day itself; `n = 0`
/// gives the rank of the date or of the next business day.
fn target_rank(rank: i64, business: i64, n: i64) -> i64 {
    if n > 0 {
        rank + business + n - 1
    } else if n < 0 {
        rank + n
    } else {
        rank
    }
}

#[cfg(test)]
mod tests;

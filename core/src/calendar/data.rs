//! The calendar's data file: per year, the notice and its holiday breaks.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};

/// A statutory holiday break as a State Council notice declares it.
///
/// # Example
/// ```
/// let spring = &posfee::Calendar::china().holidays(2026)?[1];
/// assert_eq!((spring.name_zh.as_str(), spring.name_en.as_str()), ("春节", "Spring Festival"));
/// assert_eq!(spring.first.to_string(), "2026-02-15");
/// assert_eq!(spring.last.to_string(), "2026-02-23");
/// assert_eq!(spring.makeup_workdays.len(), 2);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The Chinese name (春节).
    pub name_zh: String,
    /// The English name (Spring Festival).
    pub name_en: String,
    /// The first day off.
    pub first: NaiveDate,
    /// The last day off (inclusive).
    pub last: NaiveDate,
    /// Weekend days worked in exchange (调休).
    pub makeup_workdays: Vec<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Year {
    pub year: i32,
    pub notice: String,
    pub holidays: Vec<Holiday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRoot {
    years: Vec<FileYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileYear {
    year: i32,
    notice: String,
    #[serde(default)]
    holidays: Vec<FileHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileHoliday {
    name_zh: String,
    name_en: String,
    first: toml::value::Datetime,
    last: toml::value::Datetime,
    #[serde(default)]
    makeup_workdays: Vec<toml::value::Datetime>,
}

/// A holiday of the embedded calendar, as `core/build.rs` generates it (dates as YYYYMMDD).
pub(super) struct EmbeddedHoliday {
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub first: u32,
    pub last: u32,
    pub makeup_workdays: &'static [u32],
}

/// A year of the embedded calendar, as `core/build.rs` generates it.
pub(super) struct EmbeddedYear {
    pub year: i32,
    pub notice: &'static str,
    pub holidays: &'static [EmbeddedHoliday],
}

// `CHINA`: the years of `core/data/calendar/china.toml`, generated at build time.
include!(concat!(env!("OUT_DIR"), "/calendar_china.rs"));

/// The years of the embedded calendar (no TOML parsing at run time).
pub(super) fn embedded_years() -> Vec<Year> {
    // build.rs checks month and day ranges; the test `embedded_calendar_equals_the_toml_file`
    // checks every date against the TOML file.
    let date = |n: u32| NaiveDate::from_ymd_opt((n / 10_000) as i32, n / 100 % 100, n % 100).unwrap_or(NaiveDate::MIN);
    CHINA
        .iter()
        .map(|y| Year {
            year: y.year,
            notice: y.notice.to_string(),
            holidays: y
                .holidays
                .iter()
                .map(|h| Holiday {
                    name_zh: h.name_zh.to_string(),
                    name_en: h.name_en.to_string(),
                    first: date(h.first),
                    last: date(h.last),
                    makeup_workdays: h.makeup_workdays.iter().map(|&d| date(d)).collect(),
                })
                .collect(),
        })
        .collect()
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidCalendar, message)
}

fn to_date(value: &toml::value::Datetime, place: &str) -> Result<NaiveDate> {
    match (&value.date, &value.time) {
        (Some(date), None) => NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day))
            .ok_or_else(|| invalid(format!("{place}: {value} is not a valid date"))),
        _ => Err(invalid(format!("{place}: {value} must be a plain date such as 2026-10-01"))),
    }
}

pub(super) fn parse_years(text: &str) -> Result<Vec<Year>> {
    crate::limits::check_config_text(text, ErrorKind::InvalidCalendar, "the calendar TOML")?;
    let root: FileRoot = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|span| crate::error::Location::of_offset(text, span.start));
        invalid(format!("calendar data is not valid: {}", e.message())).at(at.unwrap_or_default())
    })?;
    root.years
        .into_iter()
        .map(|file_year| {
            let year = file_year.year;
            let holidays = file_year
                .holidays
                .into_iter()
                .map(|h| {
                    let place = format!("year {year}, holiday {}", h.name_zh);
                    Ok(Holiday {
                        first: to_date(&h.first, &place)?,
                        last: to_date(&h.last, &place)?,
                        makeup_workdays: h.makeup_workdays.iter().map(|d| to_date(d, &place)).collect::<Result<_>>()?,
                        name_zh: h.name_zh,
                        name_en: h.name_en,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Year { year, notice: file_year.notice, holidays })
        })
        .collect()
}

/// One year file of the community-maintained `holiday-cn` data set:
/// `{"year": 2026, "papers": ["https://www.gov.cn/..."], "days": [{"name": "元旦",
/// "date": "2026-01-01", "isOffDay": true}, ...]}`, for
/// [`Calendar::with_holiday_cn_years`](super::Calendar::with_holiday_cn_years). Days off of one
/// name that follow each other form a holiday; working days (`isOffDay: false`) on a weekend
/// are its make-up working days. Other keys (`$schema`, `$id`) are ignored.
///
/// # Example
/// ```
/// use posfee::{HolidayCnDay, HolidayCnYear};
/// let year = HolidayCnYear {
///     year: 2027,
///     papers: vec!["https://www.gov.cn/example".into()],
///     days: vec![HolidayCnDay { name: "元旦".into(), date: "2027-01-01".into(), is_off_day: true }],
/// };
/// let calendar = posfee::Calendar::china().with_holiday_cn_years(vec![year])?;
/// assert_eq!(calendar.years(), 2005..=2027);
/// # Ok::<(), posfee::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct HolidayCnYear {
    /// The year the notice is for.
    pub year: i32,
    /// The addresses of the notices (empty in holiday-cn's placeholder for a year not yet
    /// published).
    #[serde(default)]
    pub papers: Vec<String>,
    /// Every day off and every make-up working day.
    pub days: Vec<HolidayCnDay>,
}

/// One day of a [`HolidayCnYear`].
///
/// # Example
/// ```
/// let day = posfee::HolidayCnDay { name: "国庆节".into(), date: "2026-10-10".into(), is_off_day: false };
/// assert!(!day.is_off_day); // a make-up working day
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayCnDay {
    /// The holiday's Chinese name (元旦, 春节, ...).
    pub name: String,
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// `true` for a day off, `false` for a make-up working day.
    #[serde(rename = "isOffDay")]
    pub is_off_day: bool,
}

/// The English name of a holiday as `holiday-cn` spells it in Chinese.
fn english_name(name_zh: &str) -> String {
    let name = name_zh.trim_matches(|c| c == '“' || c == '”');
    let english = match name {
        "元旦" => "New Year's Day",
        "春节" => "Spring Festival",
        "清明节" => "Qingming Festival (Tomb-Sweeping Day)",
        "劳动节" | "五一" | "五一”国际劳动节" | "“五一”国际劳动节" => "Labour Day",
        "端午节" => "Dragon Boat Festival",
        "中秋节" => "Mid-Autumn Festival",
        "国庆节" | "十一" => "National Day",
        "中秋节、国庆节" | "国庆节、中秋节" => "Mid-Autumn Festival and National Day",
        _ if name.contains("劳动节") => "Labour Day",
        _ => return name_zh.to_string(),
    };
    english.to_string()
}

/// The largest number of years one holiday-cn input may hold, and days one year may list.
pub(super) const HOLIDAY_CN_YEARS_MAX: usize = 200;
const HOLIDAY_CN_DAYS_MAX: usize = 366;

/// Parses `holiday-cn` JSON: one year object, or an array of them.
pub(super) fn parse_holiday_cn(text: &str) -> Result<Vec<Year>> {
    crate::limits::check_config_text(text, ErrorKind::InvalidCalendar, "the holiday-cn JSON")?;
    let not_valid = |e: serde_json::Error| {
        let at = if e.line() > 0 {
            crate::error::Location::default().line(e.line() as u64).column(e.column() as u64)
        } else {
            Default::default()
        };
        invalid(format!("holiday-cn JSON is not valid: {e}")).at(at)
    };
    let files: Vec<HolidayCnYear> = if text.trim_start().starts_with('[') {
        serde_json::from_str(text).map_err(not_valid)?
    } else {
        vec![serde_json::from_str(text).map_err(not_valid)?]
    };
    holiday_cn_years(files)
}

/// Converts holiday-cn years into calendar years.
pub(super) fn holiday_cn_years(files: Vec<HolidayCnYear>) -> Result<Vec<Year>> {
    if files.len() > HOLIDAY_CN_YEARS_MAX {
        return Err(invalid(format!("holiday-cn data holds {} years; at most {HOLIDAY_CN_YEARS_MAX} are read", files.len())));
    }
    files.into_iter().map(holiday_cn_year).collect()
}

fn holiday_cn_year(file: HolidayCnYear) -> Result<Year> {
    let year = file.year;
    if file.days.is_empty() && file.papers.is_empty() {
        // holiday-cn publishes an empty file for a year whose notice has not appeared.
        return Err(invalid(format!(
            "the holiday-cn file for {year} lists no days and no notice: the State Council has not published {year}'s holidays yet"
        )));
    }
    if file.days.len() > HOLIDAY_CN_DAYS_MAX {
        return Err(invalid(format!("year {year}: {} days listed; at most {HOLIDAY_CN_DAYS_MAX}", file.days.len())));
    }
    let mut days = Vec::with_capacity(file.days.len());
    for (k, day) in file.days.into_iter().enumerate() {
        let date = crate::settlement::parse_date(&day.date)
            .map_err(|_| invalid(format!("year {year}, days[{k}]: date {:?} is not a date such as 2026-10-01", day.date)))?;
        if day.name.trim().is_empty() {
            return Err(invalid(format!("year {year}, days[{k}] ({date}): the holiday has no name")));
        }
        days.push((date, day.name, day.is_off_day));
    }
    insertion_sort_by(&mut days, |a, b| a.0 < b.0);
    if let Some(pair) = days.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        return Err(invalid(format!("year {year}: {} is listed twice", pair[0].0)));
    }
    let mut holidays: Vec<Holiday> = Vec::new();
    for (date, name, _) in days.iter().filter(|d| d.2) {
        match holidays.last_mut() {
            Some(last) if last.name_zh == *name && last.last.succ_opt() == Some(*date) => last.last = *date,
            _ => holidays.push(Holiday {
                name_en: english_name(name),
                name_zh: name.clone(),
                first: *date,
                last: *date,
                makeup_workdays: Vec::new(),
            }),
        }
    }
    // A working day on a weekday changes nothing (holiday-cn lists one for 2020, where the
    // extended Spring Festival ended on Monday 2020-02-03): only weekend days are make-up days.
    for (date, name, _) in days.iter().filter(|d| !d.2 && matches!(d.0.weekday(), Weekday::Sat | Weekday::Sun)) {
        // A make-up day belongs to the break of its name nearest to it.
        let holiday = holidays
            .iter_mut()
            .filter(|h| h.name_zh == *name)
            .min_by_key(|h| (h.first - *date).num_days().abs().min((h.last - *date).num_days().abs()))
            .ok_or_else(|| invalid(format!("year {year}: make-up working day {date} names {name:?}, which has no day off")))?;
        holiday.makeup_workdays.push(*date);
    }
    let notice = match file.papers.first() {
        Some(paper) => format!("holiday-cn {year} ({paper})"),
        None => format!("holiday-cn {year}"),
    };
    Ok(Year { year, notice, holidays })
}

/// Sorts stably (the order of `slice::sort`): linear on the nearly sorted data calendars
/// hold, and far less WebAssembly code than the standard library's general sort.
pub(crate) fn insertion_sort_by<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && less(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Checks sorted years: contiguous, each holiday well formed, no overlaps.
pub(super) fn check_years(years: &[Year]) -> Result<()> {
    if years.is_empty() {
        return Err(invalid("calendar data has no years".to_string()));
    }
    for pair in years.windows(2) {
        if pair[1].year != pair[0].year + 1 {
            return Err(invalid(format!("calendar years must be contiguous: year {} follows year {}", pair[1].year, pair[0].year)));
        }
    }
    let mut ranges: Vec<(NaiveDate, NaiveDate, String)> = Vec::new();
    let mut makeups: Vec<(NaiveDate, String)> = Vec::new();
    for year in years {
        if !(1900..=9999).contains(&year.year) {
            return Err(invalid(format!("calendar year {} is outside 1900..=9999", year.year)));
        }
        for holiday in &year.holidays {
            let place = format!("year {}, holiday {}", year.year, holiday.name_zh);
            if holiday.name_zh.trim().is_empty() || holiday.name_en.trim().is_empty() {
                return Err(invalid(format!("{place}: a holiday needs both a Chinese and an English name")));
            }
            if holiday.last < holiday.first {
                return Err(invalid(format!("{place}: last day {} is before first day {}", holiday.last, holiday.first)));
            }
            if (holiday.last - holiday.first).num_days() > 31 {
                return Err(invalid(format!("{place}: {} to {} is longer than a month", holiday.first, holiday.last)));
            }
            if (holiday.first.year() - year.year).abs() > 1 {
                return Err(invalid(format!("{place}: {} is not near year {}", holiday.first, year.year)));
            }
            for makeup in &holiday.makeup_workdays {
                if !matches!(makeup.weekday(), Weekday::Sat | Weekday::Sun) {
                    return Err(invalid(format!("{place}: make-up working day {makeup} is a {}, not a weekend day", makeup.weekday())));
                }
                makeups.push((*makeup, place.clone()));
            }
            ranges.push((holiday.first, holiday.last, place));
        }
    }
    insertion_sort_by(&mut ranges, |a, b| a < b);
    for pair in ranges.windows(2) {
        if pair[1].0 <= pair[0].1 {
            return Err(invalid(format!("{} ({} to {}) overlaps {}", pair[1].2, pair[1].0, pair[1].1, pair[0].2)));
        }
    }
    for (makeup, place) in &makeups {
        if let Some(range) = ranges.iter().find(|r| r.0 <= *makeup && *makeup <= r.1) {
            return Err(invalid(format!("{place}: make-up working day {makeup} falls inside {}", range.2)));
        }
    }
    Ok(())
}

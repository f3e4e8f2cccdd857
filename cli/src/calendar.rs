//! `posfee calendar`: a year's holidays, one day, or a range of days as CSV.

use std::io::Write;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use posfee::{Calendar, Day, ErrorKind};

use crate::failure::Failure;
use crate::inputs::{self, HOLIDAYS_HELP};
use crate::output;

/// The longest range printed at once: a hundred years of days.
const RANGE_DAYS_MAX: i64 = 366 * 100;

/// The China working-day calendar: a year (business days, holidays, make-up working days),
/// one date, or a range of dates (CSV: date,business_day,holiday).
#[derive(clap::Args)]
pub struct Arguments {
    /// A year (2026), a date (2026-10-01), or the first date of a range.
    #[arg(value_name = "YEAR|DATE")]
    when: String,
    /// The last date of a range, inclusive (2026-12-31).
    #[arg(value_name = "TO")]
    to: Option<String>,
    #[arg(long, value_name = "FILE", help = HOLIDAYS_HELP)]
    holidays: Option<PathBuf>,
    /// Years without holiday data count weekends only, and their days are marked provisional.
    #[arg(long)]
    provisional: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(arguments: Arguments, out: &mut dyn Write) -> Result<(), Failure> {
    let calendar = inputs::calendar(arguments.holidays.as_ref())?;
    let view = View { calendar: &calendar, provisional: arguments.provisional };
    let text = arguments.when.trim();
    match &arguments.to {
        None if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) => year(&view, text, arguments.json, out),
        None => day(&view, posfee::parse_date(text)?, arguments.json, out),
        Some(to) => range(&view, posfee::parse_date(text)?, posfee::parse_date(to)?, arguments.json, out),
    }
}

/// The calendar, strict or with the weekends-only rule outside the data.
struct View<'a> {
    calendar: &'a Calendar,
    provisional: bool,
}

impl<'a> View<'a> {
    fn day(&self, date: NaiveDate) -> Result<Day<'a>, Failure> {
        Ok(self.calendar.under(posfee::CalendarPolicy::provisional(self.provisional)).day(date)?)
    }

    fn covered(&self) -> String {
        let years = self.calendar.years();
        format!("it covers {} to {}", years.start(), years.end())
    }
}

fn year(view: &View<'_>, text: &str, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let out_of_range = || {
        Failure::new(
            ErrorKind::CalendarOutOfRange,
            format!("year {text} is outside the calendar ({}; posfee reckons years 1 to 9999 at most)", view.covered()),
        )
    };
    let year: i32 = text.parse().ok().filter(|year| (1..=9999).contains(year)).ok_or_else(out_of_range)?;
    let (Some(first), Some(next)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year.saturating_add(1), 1, 1)) else {
        return Err(out_of_range());
    };
    let covered = view.calendar.years().contains(&year);
    let (notice, holidays, business_days) = if covered || !view.provisional {
        let notice = view.calendar.notice(year)?.to_string();
        (notice, view.calendar.holidays(year)?.to_vec(), view.calendar.business_days_between(first, next)?)
    } else {
        let reckoned = view.calendar.provisional().business_days_between(first, next);
        (format!("no holiday data for {year}: weekends only (provisional)"), Vec::new(), reckoned.value)
    };
    if json {
        let value = serde_json::json!({
            "year": year,
            "notice": notice,
            "business_days": business_days,
            "provisional": !covered,
            "holidays": holidays,
        });
        return output::print_json(out, &value);
    }
    let rows: Vec<Vec<String>> = holidays
        .iter()
        .map(|holiday| {
            let days = (holiday.last - holiday.first).num_days() + 1;
            let makeup: Vec<String> = holiday.makeup_workdays.iter().map(|d| d.format("%a %m-%d").to_string()).collect();
            vec![
                format!("{} {}", holiday.name_en, holiday.name_zh),
                format!("{} – {}", holiday.first.format("%m-%d"), holiday.last.format("%m-%d")),
                days.to_string(),
                if makeup.is_empty() { "-".to_string() } else { makeup.join(", ") },
            ]
        })
        .collect();
    let mut text = format!("{year}: {business_days} business days; {notice}\n");
    if !rows.is_empty() {
        text.push('\n');
        text.push_str(&output::table(Some(&["holiday", "days off", "days", "make-up working days"]), &rows));
    }
    output::print(out, &text)
}

fn day(view: &View<'_>, date: NaiveDate, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let day = view.day(date)?;
    if json {
        return output::print_json(out, &day);
    }
    let yes_no = |value: bool| if value { "yes" } else { "no" }.to_string();
    let mut rows = vec![
        vec!["date".to_string(), format!("{} {}", date, date.format("%A"))],
        vec!["business day".to_string(), yes_no(day.business_day)],
        vec!["holiday".to_string(), day.holiday.map(|h| format!("{} {}", h.name_en, h.name_zh)).unwrap_or_else(|| "-".into())],
        vec!["make-up working day".to_string(), yes_no(day.makeup_workday)],
    ];
    if day.provisional {
        rows.push(vec!["provisional".to_string(), format!("yes: no holiday data for {}, weekends only", date.year())]);
    }
    output::print(out, &output::table(None, &rows))
}

fn range(view: &View<'_>, from: NaiveDate, to: NaiveDate, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    if to < from {
        return Err(Failure::new(ErrorKind::InvalidDate, format!("last date {to} is before first date {from}")));
    }
    if (to - from).num_days() > RANGE_DAYS_MAX {
        return Err(Failure::new(ErrorKind::InvalidDate, format!("{from} to {to} is more than a hundred years")));
    }
    let days: Vec<Day<'_>> = from.iter_days().take_while(|d| *d <= to).map(|d| view.day(d)).collect::<Result<_, _>>()?;
    if json {
        return output::print_json(out, &days);
    }
    let mut text = String::from(if view.provisional { "date,business_day,holiday,provisional\n" } else { "date,business_day,holiday\n" });
    for day in &days {
        let holiday = day.holiday.map(|h| format!("{} {}", h.name_zh, h.name_en)).unwrap_or_default();
        let holiday = if holiday.contains(',') { format!("\"{}\"", holiday.replace('"', "\"\"")) } else { holiday };
        text.push_str(&format!("{},{},{holiday}", day.date, day.business_day));
        if view.provisional {
            text.push_str(&format!(",{}", day.provisional));
        }
        text.push('\n');
    }
    output::print(out, &text)
}

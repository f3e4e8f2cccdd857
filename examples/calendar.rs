//! The China working-day calendar with the library: holidays, make-up working days, business
//! day arithmetic, and years without data.
//!
//! ```text
//! cargo run --example calendar
//! ```
//!
//! The command line: `posfee calendar 2026`, `posfee calendar 2026-10-01 2026-10-31`.

use chrono::NaiveDate;
use posfee::Calendar;

fn main() -> Result<(), posfee::Error> {
    let calendar = Calendar::china();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a valid date");

    for holiday in calendar.holidays(2026)? {
        println!(
            "{} {}: {} to {}, make-up working days {:?}",
            holiday.name_en, holiday.name_zh, holiday.first, holiday.last, holiday.makeup_workdays
        );
    }
    println!("business days in 2026: {}", calendar.business_days_between(date(2026, 1, 1), date(2027, 1, 1))?);
    println!("T+1 from 2026-09-30 is {}", calendar.add_business_days(date(2026, 9, 30), 1)?);
    println!("2026-10-10 (a Saturday) is a business day: {}", calendar.is_business_day(date(2026, 10, 10))?);

    // Outside the data: an error, unless you opt into the marked "weekends only" view.
    let error = calendar.day(date(2031, 1, 1)).unwrap_err();
    println!("\n2031-01-01: {} ({})", error.code(), error);
    let day = calendar.provisional().day(date(2031, 1, 1));
    println!("provisional view: business day {}, provisional {}", day.business_day, day.provisional);
    Ok(())
}

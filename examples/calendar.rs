//! Prints the China working-day calendar between two dates as CSV:
//! `date,business_day,holiday` (business_day true/false; holiday in Chinese and English).
//!
//! ```text
//! cargo run --example calendar -- 2026-01-01 2026-12-31
//! cargo run --example calendar -- 2027-01-01 2027-01-31 --holidays next-year.toml
//! ```
//!
//! Fails with a clear message (exit status 2) for dates outside the data, unless
//! `--provisional` is given, which counts weekdays there and adds a `provisional` column.

use clap::Parser;
use posfee::Calendar;

/// Print working days between two dates (inclusive) as CSV.
#[derive(Parser)]
#[command(name = "calendar")]
struct Arguments {
    /// First date (2026-01-01).
    from: String,
    /// Last date, inclusive (2026-12-31).
    to: String,
    /// Extra holiday data (TOML, the format of core/data/calendar/china.toml) to add.
    #[arg(long)]
    holidays: Option<std::path::PathBuf>,
    /// Treat years without data as "weekends only" and mark those rows provisional.
    #[arg(long)]
    provisional: bool,
}

fn run(arguments: Arguments) -> Result<(), posfee::Error> {
    let from = posfee::parse_date(&arguments.from)?;
    let to = posfee::parse_date(&arguments.to)?;
    if to < from {
        return Err(posfee::Error::new(posfee::ErrorKind::InvalidDate, format!("last date {to} is before first date {from}")));
    }
    if (to - from).num_days() > 366 * 100 {
        return Err(posfee::Error::new(posfee::ErrorKind::InvalidDate, format!("{from} to {to} is more than a hundred years")));
    }
    let calendar = match &arguments.holidays {
        Some(path) => Calendar::china().with_years_from_toml(
            &std::fs::read_to_string(path)
                .map_err(|e| posfee::Error::new(posfee::ErrorKind::Io, format!("cannot read {}: {e}", path.display())))?,
        )?,
        None => Calendar::china().clone(),
    };
    let mut out = String::new();
    out.push_str(if arguments.provisional { "date,business_day,holiday,provisional\n" } else { "date,business_day,holiday\n" });
    let mut date = from;
    while date <= to {
        let day = if arguments.provisional { calendar.provisional().day(date) } else { calendar.day(date)? };
        let holiday = day.holiday.map(|h| format!("{} {}", h.name_zh, h.name_en)).unwrap_or_default();
        let holiday = if holiday.contains(',') { format!("\"{holiday}\"") } else { holiday };
        out.push_str(&format!("{date},{},{holiday}", day.business_day));
        if arguments.provisional {
            out.push_str(&format!(",{}", day.provisional));
        }
        out.push('\n');
        date = date.succ_opt().expect("dates before year 262143");
    }
    print!("{out}");
    Ok(())
}

fn main() {
    if let Err(error) = run(Arguments::parse()) {
        eprintln!("error [{}]: {error}", error.code());
        std::process::exit(2);
    }
}

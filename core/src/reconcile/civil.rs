//! Dates and times in the fixed layouts files use most (`2026-03-01 07:00:03`, `20260301`,
//! `070003`), counted straight to days and seconds since 1970: the readers' fast path, which
//! builds no date-time per row. A text in any other layout gets `None` here and goes to the
//! readers' general parsers, which give the same instant (the tests below check the two
//! against each other, and against chrono's calendar for every day of years 0 to 9999).

/// China time is UTC+8, without daylight saving.
const CHINA_OFFSET_SECONDS: i64 = 8 * 3600;

/// Days from 1970-01-01 to `year-month-day` of the proleptic Gregorian calendar (negative
/// before it), or `None` when there is no such day (month 13, 31 April, 29 February of a year
/// that is not a leap year). `year` is at most 9999 (four digits).
#[inline(always)]
pub(crate) fn epoch_days(year: u32, month: u32, day: u32) -> Option<i64> {
    const MONTH_DAYS: [u32; 13] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let month_days = match month {
        2 => 28 + u32::from(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)),
        _ => *MONTH_DAYS.get(month as usize)?,
    };
    if day == 0 || day > month_days || year > 9999 {
        return None;
    }
    // Howard Hinnant's `days_from_civil`: years counted from March, so that the leap day
    // ends a year, in eras of 400 years (146,097 days); one era added, so that the year of
    // January and February of year 0 (the year before) is not negative.
    let year = year + 400 - u32::from(month <= 2);
    let (era, year_of_era) = (year / 400, year % 400);
    let month_from_march = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(i64::from(era) * 146_097 + i64::from(day_of_era) - 719_468 - 146_097)
}

/// The value of two ASCII digits.
#[inline(always)]
fn two_digits(bytes: [u8; 2]) -> Option<u32> {
    let (tens, ones) = (bytes[0].wrapping_sub(b'0'), bytes[1].wrapping_sub(b'0'));
    (tens < 10 && ones < 10).then_some(u32::from(tens) * 10 + u32::from(ones))
}

/// Year, month and day of `YYYYMMDD`, read as digits only (the calendar is checked by
/// [`epoch_days`]): the eight bytes at once, as one number.
#[inline(always)]
fn year_month_day(bytes: [u8; 8]) -> Option<(u32, u32, u32)> {
    let text = u64::from_le_bytes(bytes);
    // Each byte is 0x30 to 0x39: its high half is 3, and adding 6 leaves it 3.
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    if text & HIGH != ZEROS || text.wrapping_add(0x0606_0606_0606_0606) & HIGH != ZEROS {
        return None;
    }
    let digits = text - ZEROS;
    // Each pair of bytes (the first digit in the lower byte) to its two-digit value.
    let pairs = (digits * 10 + (digits >> 8)) & 0x00FF_00FF_00FF_00FF;
    let pair = |k: u32| (pairs >> (16 * k)) as u32 & 0xFF;
    Some((pair(0) * 100 + pair(1), pair(2), pair(3)))
}

/// Seconds since midnight of `HHMMSS` (`bytes` of 6), 00:00:00 to 23:59:59.
#[inline(always)]
fn seconds_of_day(bytes: &[u8; 6]) -> Option<i64> {
    let (hour, minute, second) = (two_digits([bytes[0], bytes[1]])?, two_digits([bytes[2], bytes[3]])?, two_digits([bytes[4], bytes[5]])?);
    (hour < 24 && minute < 60 && second < 60).then_some(i64::from(hour * 3600 + minute * 60 + second))
}

/// The Unix seconds of China time `YYYY-MM-DD HH:MM:SS`.
#[inline]
pub(crate) fn china_date_time(text: &str) -> Option<i64> {
    let b: &[u8; 19] = text.as_bytes().try_into().ok()?;
    if b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = year_month_day([b[0], b[1], b[2], b[3], b[5], b[6], b[8], b[9]])?;
    let seconds = seconds_of_day(&[b[11], b[12], b[14], b[15], b[17], b[18]])?;
    Some(epoch_days(year, month, day)? * 86_400 + seconds - CHINA_OFFSET_SECONDS)
}

/// Year, month and day of a date written `YYYYMMDD` (not checked against the calendar).
#[inline]
pub(crate) fn date_digits(text: &str) -> Option<(u32, u32, u32)> {
    year_month_day(text.as_bytes().try_into().ok()?)
}

/// Seconds since midnight of a time of day written `HHMMSS` or `HH:MM:SS` (00:00:00 to
/// 23:59:59).
#[inline]
pub(crate) fn time_of_day_seconds(text: &str) -> Option<i64> {
    match *text.as_bytes() {
        [h1, h2, b':', m1, m2, b':', s1, s2] => seconds_of_day(&[h1, h2, m1, m2, s1, s2]),
        _ => seconds_of_day(text.as_bytes().try_into().ok()?),
    }
}

/// The Unix seconds of China time `date` (`YYYYMMDD`, or `YYYY-MM-DD` of a year from 1 on, the
/// years the general date parser takes in that layout) at `time` (`HHMMSS` or `HH:MM:SS`).
#[inline]
pub(crate) fn china_date_and_time(date: &str, time: &str) -> Option<i64> {
    let (year, month, day) = match *date.as_bytes() {
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] => {
            year_month_day([y1, y2, y3, y4, m1, m2, d1, d2]).filter(|&(year, _, _)| year >= 1)?
        }
        _ => date_digits(date)?,
    };
    let seconds = time_of_day_seconds(time)?;
    Some(epoch_days(year, month, day)? * 86_400 + seconds - CHINA_OFFSET_SECONDS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settlement::parse_china_time;
    use chrono::{Datelike, NaiveDate};
    use proptest::prelude::*;

    #[test]
    fn every_day_of_years_0_to_9999_counts_as_chronos_calendar_does() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let mut date = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        while date <= last {
            let days = epoch_days(date.year() as u32, date.month(), date.day());
            assert_eq!(days, Some((date - epoch).num_days()), "{date}");
            date = date.succ_opt().unwrap();
        }
        for (year, month, day) in [(2026, 2, 29), (2100, 2, 29), (2026, 4, 31), (2026, 13, 1), (2026, 0, 1), (2026, 1, 0), (2026, 1, 32)] {
            assert_eq!(epoch_days(year, month, day), None, "{year}-{month}-{day}");
        }
        assert_eq!(epoch_days(2000, 2, 29), Some(11_016), "2000 is a leap year");
    }

    #[test]
    fn fixed_layouts_give_the_general_parsers_instant() {
        for (text, date, time) in [
            ("2026-03-01 07:00:03", "20260301", "070003"),
            ("1970-01-01 08:00:00", "19700101", "080000"),
            ("1970-01-01 00:00:00", "19700101", "000000"),
            ("2024-02-29 23:59:59", "20240229", "235959"),
            ("2199-12-31 23:59:59", "21991231", "235959"),
        ] {
            let expected = parse_china_time(text).unwrap().timestamp();
            assert_eq!(china_date_time(text), Some(expected), "{text}");
            assert_eq!(china_date_and_time(date, time), Some(expected), "{date} {time}");
        }
        // Other layouts and impossible values are left to the general parsers.
        for text in [
            "2026-03-01 07:00",
            "2026/03/01 07:00:03",
            "2026-03-01T07:00:03",
            "2026-02-30 07:00:03",
            "2026-03-01 24:00:00",
            "2026-03-01 07:60:00",
            "2026-03-01 07:00:60",
            "2026-03-01 07:00:0x",
            "２０２６-03-01 07:00:03",
            " 2026-03-01 07:00:03",
        ] {
            assert_eq!(china_date_time(text), None, "{text}");
        }
        assert_eq!(china_date_and_time("2026-03-01", "07:00:03"), china_date_and_time("20260301", "070003"));
        for (date, time) in [
            ("2026031", "070003"),
            ("20260301", "0700"),
            ("20261301", "070003"),
            ("2026030a", "070003"),
            ("2026-02-30", "070003"),
            ("0000-03-01", "070003"),
            ("2026/03/01", "070003"),
            ("2026-03-01", "07:00"),
            ("20260301", "07-00-03"),
        ] {
            assert_eq!(china_date_and_time(date, time), None, "{date} {time}");
        }
        assert_eq!(time_of_day_seconds("235959"), Some(86_399));
        assert_eq!(time_of_day_seconds("23:59:59"), Some(86_399));
        for text in ["240000", "236000", "235960", "2359", "23:59", "23:59:60", "24:00:00", "23:59:5x", "23595x", "23.59.59"] {
            assert_eq!(time_of_day_seconds(text), None, "{text}");
        }
        assert_eq!(date_digits("20260301"), Some((2026, 3, 1)));
        assert_eq!(date_digits("99991399"), Some((9999, 13, 99)), "digits only: the calendar is epoch_days's");
        for text in ["2026031", "202603011", "2026-3-1", "2026030:", "2026030/", " 0260301"] {
            assert_eq!(date_digits(text), None, "{text}");
        }
    }

    proptest! {
        #[test]
        fn any_text_of_the_layout_is_read_as_chrono_reads_it(
            year in 0u32..10_000, month in 0u32..14, day in 0u32..33, hour in 0u32..26, minute in 0u32..62, second in 0u32..62,
        ) {
            let text = format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}");
            let chrono = NaiveDate::from_ymd_opt(year as i32, month, day)
                .and_then(|date| date.and_hms_opt(hour, minute, second))
                .map(|at| at.and_utc().timestamp() - 8 * 3600);
            prop_assert_eq!(china_date_time(&text), chrono);
            let (date, time) = (format!("{year:04}{month:02}{day:02}"), format!("{hour:02}{minute:02}{second:02}"));
            prop_assert_eq!(china_date_and_time(&date, &time), chrono);
            let (date, time) = (format!("{year:04}-{month:02}-{day:02}"), format!("{hour:02}:{minute:02}:{second:02}"));
            prop_assert_eq!(china_date_and_time(&date, &time), chrono.filter(|_| year >= 1), "year 0 is the general parser's");
        }
    }
}

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The published notices, transcribed by hand: (days off as inclusive ranges, make-up days).
fn notice(year: i32) -> (Vec<(NaiveDate, NaiveDate)>, Vec<NaiveDate>) {
    match year {
        2024 => (
            vec![
                (d(2024, 1, 1), d(2024, 1, 1)),
                (d(2024, 2, 10), d(2024, 2, 17)),
                (d(2024, 4, 4), d(2024, 4, 6)),
                (d(2024, 5, 1), d(2024, 5, 5)),
                (d(2024, 6, 10), d(2024, 6, 10)),
                (d(2024, 9, 15), d(2024, 9, 17)),
                (d(2024, 10, 1), d(2024, 10, 7)),
            ],
            vec![
                d(2024, 2, 4),
                d(2024, 2, 18),
                d(2024, 4, 7),
                d(2024, 4, 28),
                d(2024, 5, 11),
                d(2024, 9, 14),
                d(2024, 9, 29),
                d(2024, 10, 12),
            ],
        ),
        2025 => (
            vec![
                (d(2025, 1, 1), d(2025, 1, 1)),
                (d(2025, 1, 28), d(2025, 2, 4)),
                (d(2025, 4, 4), d(2025, 4, 6)),
                (d(2025, 5, 1), d(2025, 5, 5)),
                (d(2025, 5, 31), d(2025, 6, 2)),
                (d(2025, 10, 1), d(2025, 10, 8)),
            ],
            vec![d(2025, 1, 26), d(2025, 2, 8), d(2025, 4, 27), d(2025, 9, 28), d(2025, 10, 11)],
        ),
        2026 => (
            vec![
                (d(2026, 1, 1), d(2026, 1, 3)),
                (d(2026, 2, 15), d(2026, 2, 23)),
                (d(2026, 4, 4), d(2026, 4, 6)),
                (d(2026, 5, 1), d(2026, 5, 5)),
                (d(2026, 6, 19), d(2026, 6, 21)),
                (d(2026, 9, 25), d(2026, 9, 27)),
                (d(2026, 10, 1), d(2026, 10, 7)),
            ],
            vec![d(2026, 1, 4), d(2026, 2, 14), d(2026, 2, 28), d(2026, 5, 9), d(2026, 9, 20), d(2026, 10, 10)],
        ),
        _ => unreachable!(),
    }
}

#[test]
fn every_day_of_2024_2025_2026_matches_the_notices() {
    let calendar = Calendar::china();
    for year in [2024, 2025, 2026] {
        let (off, makeup) = notice(year);
        let mut date = d(year, 1, 1);
        let mut business_count = 0;
        while date.year() == year {
            let in_holiday = off.iter().any(|(a, b)| *a <= date && date <= *b);
            let expected = makeup.contains(&date) || (!is_weekend(date) && !in_holiday);
            let day = calendar.day(date).unwrap();
            assert_eq!(day.business_day, expected, "{date}");
            assert_eq!(day.makeup_workday, makeup.contains(&date), "{date}");
            if in_holiday {
                assert!(day.holiday.is_some(), "{date} should name its holiday");
            }
            business_count += i32::from(expected);
            date = date.succ_opt().unwrap();
        }
        let counted = calendar.business_days_between(d(year, 1, 1), d(year + 1, 1, 1)).unwrap_or_else(|_| {
            calendar.business_days_between(d(year, 1, 1), d(year, 12, 31)).unwrap()
                + i64::from(calendar.is_business_day(d(year, 12, 31)).unwrap())
        });
        assert_eq!(counted, i64::from(business_count), "{year}");
    }
}

#[test]
fn holiday_names_in_both_languages() {
    let calendar = Calendar::china();
    let day = calendar.day(d(2026, 2, 17)).unwrap();
    let holiday = day.holiday.unwrap();
    assert_eq!((holiday.name_zh.as_str(), holiday.name_en.as_str()), ("春节", "Spring Festival"));
    assert!(calendar.notice(2026).unwrap().contains("2025-11-04"));
}

#[test]
fn every_covered_year_has_a_notice_and_new_year() {
    let calendar = Calendar::china();
    for year in calendar.years() {
        assert!(!calendar.notice(year).unwrap().is_empty());
        assert!(calendar.holidays(year).unwrap().iter().any(|h| h.name_zh.contains("元旦")), "{year}");
        assert!(calendar.holidays(year).unwrap().iter().any(|h| h.name_zh.contains("春节")), "{year}");
    }
}

#[test]
fn arithmetic_matches_a_day_by_day_walk() {
    let calendar = Calendar::china();
    let walk = |from: NaiveDate, n: i64| -> NaiveDate {
        let mut date = from;
        if n == 0 {
            while !calendar.is_business_day(date).unwrap() {
                date = date.succ_opt().unwrap();
            }
            return date;
        }
        let step = n.signum();
        let mut left = n.abs();
        while left > 0 {
            date = if step > 0 { date.succ_opt().unwrap() } else { date.pred_opt().unwrap() };
            if calendar.is_business_day(date).unwrap() {
                left -= 1;
            }
        }
        date
    };
    let mut date = d(2005, 2, 1);
    while date < d(2026, 11, 30) {
        for n in [-7, -3, -1, 0, 1, 2, 5, 10] {
            assert_eq!(calendar.add_business_days(date, n).unwrap(), walk(date, n), "{date} {n:+}");
        }
        date = date + chrono::Days::new(3);
    }
}

#[test]
fn between_is_rank_difference_and_antisymmetric() {
    let calendar = Calendar::china();
    let (a, b) = (d(2025, 12, 29), d(2026, 1, 6));
    // Dec 29, 30, 31 (2025), Jan 4 (make-up Sunday), Jan 5 (2026).
    assert_eq!(calendar.business_days_between(a, b).unwrap(), 5);
    assert_eq!(calendar.business_days_between(b, a).unwrap(), -5);
    assert_eq!(calendar.business_days_between(a, a).unwrap(), 0);
}

#[test]
fn outside_the_data_is_an_error_that_names_the_date() {
    let calendar = Calendar::china();
    for date in [d(2027, 1, 4), d(2004, 12, 31)] {
        let err = calendar.is_business_day(date).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CalendarOutOfRange);
        assert!(err.to_string().contains(&date.to_string()), "{err}");
    }
    let err = calendar.add_business_days(d(2026, 12, 30), 2).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::CalendarOutOfRange);
    assert!(calendar.business_days_between(d(2026, 12, 1), d(2027, 1, 5)).is_err());
}

#[test]
fn provisional_view_counts_weekdays_and_marks_answers() {
    let view = Calendar::china().provisional();
    let answer = view.add_business_days(d(2026, 12, 31), 2).unwrap();
    assert_eq!(answer.value, d(2027, 1, 4));
    assert!(answer.provisional);
    let inside = view.add_business_days(d(2026, 9, 30), 1).unwrap();
    assert_eq!((inside.value, inside.provisional), (d(2026, 10, 8), false));
    let before = view.add_business_days(d(2005, 1, 4), -3).unwrap();
    assert_eq!(before.value, d(2004, 12, 29)); // Jan 1-3 2005 are off: Dec 31, 30, 29
    assert!(before.provisional);
    let span = view.business_days_between(d(2030, 1, 1), d(2030, 2, 1));
    assert_eq!(span.value, 23);
    assert!(span.provisional);
    // Walking far beyond the data stays consistent with weekday counting.
    for n in 1..40 {
        let forward = view.add_business_days(d(2026, 12, 20), n).unwrap().value;
        assert!(!is_weekend(forward));
        assert_eq!(view.business_days_between(d(2026, 12, 21), forward).value, n - 1);
    }
}

#[test]
fn answers_stay_inside_the_answer_years() {
    let calendar = Calendar::china();
    let view = calendar.provisional();
    // The last business days a four-digit year holds, from either side, and one step past them.
    assert_eq!(view.add_business_days(d(9999, 12, 30), 1).unwrap().value, d(9999, 12, 31)); // a Friday
    assert_eq!(view.add_business_days(d(1, 1, 2), -1).unwrap().value, d(1, 1, 1)); // a Monday
    for (date, n, word) in [(d(9999, 12, 31), 1, "beyond the year 9999"), (d(1, 1, 1), -1, "before the year 1")] {
        let err = view.add_business_days(date, n).unwrap_err();
        assert_eq!((err.kind(), err.location().field.as_deref()), (ErrorKind::Overflow, Some("n")));
        assert_eq!(err.message(), format!("{date} plus {n} business days is {word}"));
    }
    // A step no date can answer, on both views: an overflow naming it, never a panic.
    for n in [i64::MAX, i64::MIN, 200_000_001, -3_000_000] {
        let err = view.add_business_days(d(2026, 5, 6), n).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Overflow, "{n}");
        assert!(err.message().contains(&n.to_string()), "{err}");
        assert_eq!(calendar.add_business_days(d(2026, 5, 6), n).unwrap_err().kind(), ErrorKind::Overflow, "{n}");
    }
}

#[test]
fn loaded_years_extend_the_data() {
    let extra = "[[years]]\nyear = 2027\nnotice = \"test\"\n[[years.holidays]]\nname_zh = \"元旦\"\nname_en = \"New Year's Day\"\nfirst = 2027-01-01\nlast = 2027-01-03\nmakeup_workdays = [2027-01-09]\n";
    let calendar = Calendar::china().with_years_from_toml(extra).unwrap();
    assert_eq!(calendar.years(), 2005..=2027);
    assert!(calendar.is_business_day(d(2027, 1, 9)).unwrap());
    assert_eq!(calendar.add_business_days(d(2026, 12, 31), 1).unwrap(), d(2027, 1, 4));
}

/// `with_years_from_text` tells holiday-cn JSON (an object or an array of them) from posfee's
/// TOML (`[[years]]` tables, `years = [...]`, a `[years…` header) by the first characters.
#[test]
fn text_is_read_as_json_or_toml_by_its_first_characters() {
    let json = r#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#;
    let toml = "[[years]]\nyear = 2027\nnotice = \"test\"\nholidays = []\n";
    for text in [json.to_string(), format!(" \n[{json}]"), format!("\u{feff}{json}"), toml.to_string(), format!("\u{feff}  {toml}")] {
        let calendar = Calendar::china().with_years_from_text(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(calendar.years(), 2005..=2027, "{text:?}");
    }
    // A TOML table header that starts like a JSON array is still read as TOML (and refused as TOML).
    for text in ["[years]\nyear = 2027\n", "  [years.extra]\n"] {
        let err = Calendar::china().with_years_from_text(text).unwrap_err();
        assert!(err.message().starts_with("calendar data is not valid"), "{text:?}: {err}");
    }
    for text in ["[1, 2]", "{\"year\": 2027}"] {
        let err = Calendar::china().with_years_from_text(text).unwrap_err();
        assert!(err.message().starts_with("holiday-cn JSON is not valid"), "{text:?}: {err}");
    }
}

/// Years may come in any order: a calendar file listing 2031 before 2030, or a year added
/// before the first one, is sorted by year.
#[test]
fn years_are_sorted_by_year() {
    let calendar = Calendar::from_toml(
        "[[years]]\nyear = 2031\nnotice = \"b\"\nholidays = []\n[[years]]\nyear = 2030\nnotice = \"a\"\nholidays = []\n",
    )
    .unwrap();
    assert_eq!(calendar.years(), 2030..=2031);
    let earlier = Calendar::china().with_years_from_toml("[[years]]\nyear = 2004\nnotice = \"x\"\nholidays = []\n").unwrap();
    assert_eq!(earlier.years(), 2004..=2026);
    assert!(earlier.is_business_day(d(2004, 6, 1)).unwrap());
    assert!(!earlier.is_business_day(d(2004, 6, 5)).unwrap()); // a Saturday
}

/// A holiday of the last year that runs into the next one, and a make-up day before the first
/// year: the days outside the data are left out, those inside are marked.
#[test]
fn holidays_reaching_past_the_data_are_cut_at_its_edges() {
    let text = "[[years]]\nyear = 2030\nnotice = \"x\"\n[[years.holidays]]\nname_zh = \"元旦\"\nname_en = \"New Year's Day\"\nfirst = 2030-01-01\nlast = 2030-01-01\nmakeup_workdays = [2029-12-29]\n[[years.holidays]]\nname_zh = \"跨年\"\nname_en = \"Year end\"\nfirst = 2030-12-30\nlast = 2031-01-02\nmakeup_workdays = [2030-12-28]\n";
    let calendar = Calendar::from_toml(text).unwrap();
    assert_eq!(calendar.years(), 2030..=2030);
    assert!(!calendar.is_business_day(d(2030, 12, 30)).unwrap());
    assert!(!calendar.is_business_day(d(2030, 12, 31)).unwrap());
    assert!(calendar.is_business_day(d(2030, 12, 28)).unwrap()); // a make-up Saturday
    assert!(calendar.is_business_day(d(2030, 12, 27)).unwrap());
    assert!(!calendar.is_business_day(d(2030, 12, 29)).unwrap()); // a plain Sunday
    assert_eq!(calendar.is_business_day(d(2031, 1, 2)).unwrap_err().kind(), ErrorKind::CalendarOutOfRange);
    assert_eq!(calendar.is_business_day(d(2029, 12, 29)).unwrap_err().kind(), ErrorKind::CalendarOutOfRange);
}

/// `data_ends_near`: the data's last day from the first day of its last month on, `None` before.
#[test]
fn the_end_of_the_data_is_near_in_its_last_month() {
    let calendar = Calendar::china();
    let last = d(2026, 12, 31);
    assert_eq!(calendar.data_ends_near(d(2026, 11, 30)), None);
    assert_eq!(calendar.data_ends_near(d(2005, 1, 1)), None);
    for date in [d(2026, 12, 1), d(2026, 12, 31), d(2027, 3, 1)] {
        assert_eq!(calendar.data_ends_near(date), Some(last), "{date}");
    }
}

/// Errors about dates outside the data say which years it covers.
#[test]
fn out_of_range_errors_say_what_the_data_covers() {
    let calendar = Calendar::china();
    let err = calendar.is_business_day(d(2027, 1, 4)).unwrap_err();
    assert!(err.message().contains("it covers 2005-01-01 to 2026-12-31"), "{err}");
    let err = calendar.holidays(2031).unwrap_err();
    assert_eq!(err.message(), "the calendar has no data for year 2031 (it covers 2005-01-01 to 2026-12-31)");
}

/// The next and previous business days around the 2026 Spring Festival (Feb 15–23, make-up
/// Saturdays Feb 14 and Feb 28), hand-checked against the State Council notice.
#[test]
fn next_and_previous_business_days_step_over_the_spring_festival() {
    let calendar = Calendar::china();
    for (date, next, previous) in [
        (d(2026, 2, 13), d(2026, 2, 14), d(2026, 2, 12)),
        (d(2026, 2, 14), d(2026, 2, 24), d(2026, 2, 13)),
        (d(2026, 2, 18), d(2026, 2, 24), d(2026, 2, 14)),
        (d(2026, 2, 24), d(2026, 2, 25), d(2026, 2, 14)),
        (d(2026, 2, 27), d(2026, 2, 28), d(2026, 2, 26)),
        (d(2026, 3, 2), d(2026, 3, 3), d(2026, 2, 28)),
    ] {
        assert_eq!(calendar.next_business_day(date).unwrap(), next, "after {date}");
        assert_eq!(calendar.previous_business_day(date).unwrap(), previous, "before {date}");
    }
}

#[test]
fn bad_data_is_rejected_with_the_place() {
    let cases = [
        ("[[years]]\nyear = 2027\nnotice = \"x\"\n[[years.holidays]]\nname_zh = \"元旦\"\nname_en = \"NY\"\nfirst = 2027-01-01\nlast = 2027-01-03\nmakeup_workdays = [2027-01-06]\n", "not a weekend day"),
        ("[[years]]\nyear = 2027\nnotice = \"x\"\n[[years.holidays]]\nname_zh = \"元旦\"\nname_en = \"NY\"\nfirst = 2027-01-03\nlast = 2027-01-01\n", "before first day"),
        ("[[years]]\nyear = 2028\nnotice = \"x\"\n", "contiguous"),
        ("[[years]]\nyear = 2027\nnotice = \"x\"\n[[years.holidays]]\nname_zh = \"A\"\nname_en = \"A\"\nfirst = 2027-01-01\nlast = 2027-01-03\n[[years.holidays]]\nname_zh = \"B\"\nname_en = \"B\"\nfirst = 2027-01-03\nlast = 2027-01-04\n", "overlaps"),
        ("years = 3", "not valid"),
    ];
    for (text, needle) in cases {
        let err = Calendar::china().with_years_from_toml(text).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidCalendar);
        assert!(err.to_string().contains(needle), "{err}");
    }
}

/// The calendar generated by core/build.rs is exactly the one `from_toml` reads from the file.
#[test]
fn embedded_calendar_equals_the_toml_file() {
    let from_file = Calendar::from_toml(include_str!("../../data/calendar/china.toml")).unwrap();
    assert_eq!(Calendar::china(), &from_file);
    assert_eq!(data::embedded_years(), from_file.years);
}

#[test]
fn insertion_sort_is_the_stable_sort() {
    let mut state: u32 = 7;
    for len in 0..60 {
        let items: Vec<(u32, usize)> = (0..len)
            .map(|i| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((state >> 16) % 8, i)
            })
            .collect();
        let mut ours = items.clone();
        data::insertion_sort_by(&mut ours, |a, b| a.0 < b.0);
        let mut std = items;
        std.sort_by_key(|item| item.0);
        assert_eq!(ours, std);
    }
}

/// Every spelling of a holiday's name in holiday-cn files (with or without “quotes”) gets its
/// English name; a name the table does not know keeps its Chinese one.
#[test]
fn holiday_cn_names_get_their_english_names() {
    let names = [
        ("元旦", "New Year's Day"),
        ("春节", "Spring Festival"),
        ("清明节", "Qingming Festival (Tomb-Sweeping Day)"),
        ("劳动节", "Labour Day"),
        ("五一", "Labour Day"),
        ("“五一”国际劳动节", "Labour Day"),
        ("国际劳动节", "Labour Day"),
        ("端午节", "Dragon Boat Festival"),
        ("中秋节", "Mid-Autumn Festival"),
        ("国庆节", "National Day"),
        ("十一", "National Day"),
        ("中秋节、国庆节", "Mid-Autumn Festival and National Day"),
        ("国庆节、中秋节", "Mid-Autumn Festival and National Day"),
        ("“国庆节”", "National Day"),
        ("重阳节", "重阳节"),
    ];
    // One day off each, on the weekdays of 2027 from 4 January on, two days apart.
    let days = names
        .iter()
        .enumerate()
        .map(|(k, (name, _))| HolidayCnDay {
            name: name.to_string(),
            date: (d(2027, 1, 4) + chrono::Duration::days(2 * k as i64)).to_string(),
            is_off_day: true,
        })
        .collect();
    let year = HolidayCnYear { year: 2027, papers: vec!["https://www.gov.cn/x".into()], days };
    let calendar = Calendar::china().with_holiday_cn_years(vec![year]).unwrap();
    let got: Vec<(&str, &str)> = calendar.holidays(2027).unwrap().iter().map(|h| (h.name_zh.as_str(), h.name_en.as_str())).collect();
    assert_eq!(got, names.to_vec());
}

/// A span between a day inside the data and one before it, in either order, relies on the
/// weekends-only rule: it is provisional (the first day the span touches is outside).
#[test]
fn a_span_reaching_before_the_data_is_provisional_in_either_order() {
    let view = Calendar::china().provisional();
    let (before, inside) = (d(2004, 12, 27), d(2005, 1, 10));
    let forward = view.business_days_between(before, inside);
    let backward = view.business_days_between(inside, before);
    assert!(forward.provisional && backward.provisional);
    assert_eq!(forward.value, -backward.value);
    // 27–31 December 2004 are five weekdays, then 4–7 January 2005 (1–3 January were the New
    // Year holiday: Saturday to Monday).
    assert_eq!(forward.value, 5 + 4);
    // Inside the data both ends: not provisional.
    assert!(!view.business_days_between(d(2005, 1, 4), inside).provisional);
}

/// holiday-cn JSON that does not parse is refused at its line and column.
#[test]
fn holiday_cn_json_errors_name_their_line_and_column() {
    let err = Calendar::china().with_years_from_text("{\"year\": 2027,\n  \"days\": [x]}").unwrap_err();
    assert!(err.message().starts_with("holiday-cn JSON is not valid"), "{err}");
    assert_eq!((err.location().line, err.location().column), (Some(2), Some(12)), "{err}");
}

/// At most `HOLIDAY_CN_YEARS_MAX` holiday-cn years are read at once.
#[test]
fn holiday_cn_years_are_read_up_to_the_limit() {
    let years = |n: usize| {
        (0..n)
            .map(|k| HolidayCnYear { year: 2027 + k as i32, papers: vec!["https://www.gov.cn/x".into()], days: Vec::new() })
            .collect::<Vec<_>>()
    };
    assert_eq!(data::holiday_cn_years(years(data::HOLIDAY_CN_YEARS_MAX)).unwrap().len(), data::HOLIDAY_CN_YEARS_MAX);
    for n in [data::HOLIDAY_CN_YEARS_MAX + 1, 5 * data::HOLIDAY_CN_YEARS_MAX] {
        let err = data::holiday_cn_years(years(n)).unwrap_err();
        assert_eq!(err.message(), format!("holiday-cn data holds {n} years; at most 200 are read"));
    }
}

/// holiday-cn days in any order: consecutive days off of one name make one break (with the
/// make-up Saturday of its name; a working weekday is no make-up day), adjacent days of two
/// names make two; a date listed twice is refused.
#[test]
fn holiday_cn_days_in_any_order_make_one_holiday_per_break() {
    let day = |name: &str, date: &str, is_off_day: bool| HolidayCnDay { name: name.into(), date: date.into(), is_off_day };
    let days = vec![
        day("春节", "2027-02-08", true),
        day("国庆节", "2027-10-01", true),
        day("元旦", "2027-01-01", true),
        day("春节", "2027-02-20", false),
        // A working day on a weekday changes nothing (holiday-cn lists one for 2020).
        day("春节", "2027-02-09", false),
        day("春节", "2027-02-06", true),
        day("中秋节", "2027-10-02", true),
        day("春节", "2027-02-07", true),
    ];
    let year = HolidayCnYear { year: 2027, papers: vec!["https://www.gov.cn/x".into()], days: days.clone() };
    let calendar = Calendar::china().with_holiday_cn_years(vec![year]).unwrap();
    let got: Vec<_> =
        calendar.holidays(2027).unwrap().iter().map(|h| (h.name_zh.as_str(), h.first, h.last, h.makeup_workdays.clone())).collect();
    assert_eq!(
        got,
        [
            ("元旦", d(2027, 1, 1), d(2027, 1, 1), vec![]),
            ("春节", d(2027, 2, 6), d(2027, 2, 8), vec![d(2027, 2, 20)]),
            ("国庆节", d(2027, 10, 1), d(2027, 10, 1), vec![]),
            ("中秋节", d(2027, 10, 2), d(2027, 10, 2), vec![]),
        ]
    );
    assert!(!calendar.is_business_day(d(2027, 2, 8)).unwrap() && calendar.is_business_day(d(2027, 2, 20)).unwrap());
    assert!(calendar.is_business_day(d(2027, 2, 9)).unwrap());
    let mut twice = days;
    twice.push(day("春节", "2027-02-07", true));
    let err =
        Calendar::china().with_holiday_cn_years(vec![HolidayCnYear { year: 2027, papers: vec!["x".into()], days: twice }]).unwrap_err();
    assert_eq!(err.message(), "year 2027: 2027-02-07 is listed twice");
}

/// A holiday-cn year lists at most 366 days.
#[test]
fn a_holiday_cn_year_lists_at_most_366_days() {
    let year = |n: usize| {
        let days = (0..n)
            .map(|k| HolidayCnDay {
                name: "测试".into(),
                date: (d(2028, 1, 1) + chrono::Duration::days(k as i64)).to_string(),
                is_off_day: true,
            })
            .collect();
        HolidayCnYear { year: 2028, papers: vec!["x".into()], days }
    };
    assert!(data::holiday_cn_years(vec![year(366)]).is_ok());
    for n in [367, 1_000] {
        let err = data::holiday_cn_years(vec![year(n)]).unwrap_err();
        assert_eq!(err.message(), format!("year 2028: {n} days listed; at most 366"));
    }
}

/// The checks of a calendar file's holidays, each at its edge: both names, a break of at most
/// 31 days, the first day within a year of the notice's year.
#[test]
fn calendar_holidays_are_checked_at_their_edges() {
    let file = |name_en: &str, first: &str, last: &str| {
        format!("[[years]]\nyear = 2030\nnotice = \"x\"\n[[years.holidays]]\nname_zh = \"测试\"\nname_en = \"{name_en}\"\nfirst = {first}\nlast = {last}\n")
    };
    let refused = |text: String| Calendar::from_toml(&text).unwrap_err().message().to_string();
    assert!(refused(file("", "2030-03-02", "2030-03-02")).ends_with("a holiday needs both a Chinese and an English name"));
    assert!(refused(file("  ", "2030-03-02", "2030-03-02")).ends_with("a holiday needs both a Chinese and an English name"));
    // 31 days after the first day is the longest break.
    assert!(Calendar::from_toml(&file("Test", "2030-03-01", "2030-04-01")).is_ok());
    assert!(refused(file("Test", "2030-03-01", "2030-04-02")).ends_with("2030-03-01 to 2030-04-02 is longer than a month"));
    // A break may start in the year before or after its notice's, not further.
    assert!(Calendar::from_toml(&file("Test", "2031-03-02", "2031-03-02")).is_ok());
    assert!(Calendar::from_toml(&file("Test", "2029-12-31", "2030-01-01")).is_ok());
    assert!(refused(file("Test", "2032-03-02", "2032-03-02")).ends_with("2032-03-02 is not near year 2030"));
    assert!(refused(file("Test", "2028-03-02", "2028-03-02")).ends_with("2028-03-02 is not near year 2030"));
}

/// Holidays may be listed in any order; an overlap is found whatever the order.
#[test]
fn calendar_holidays_in_any_order_and_their_overlaps() {
    let holiday = |name: &str, first: &str, last: &str| {
        format!("[[years.holidays]]\nname_zh = \"{name}\"\nname_en = \"{name}\"\nfirst = {first}\nlast = {last}\n")
    };
    let head = "[[years]]\nyear = 2030\nnotice = \"x\"\n";
    let later_first = format!("{head}{}{}", holiday("B", "2030-10-01", "2030-10-07"), holiday("A", "2030-01-01", "2030-01-01"));
    let calendar = Calendar::from_toml(&later_first).unwrap();
    assert!(!calendar.is_business_day(d(2030, 1, 1)).unwrap() && !calendar.is_business_day(d(2030, 10, 7)).unwrap());
    let overlapping = format!(
        "{head}{}{}{}",
        holiday("C", "2030-10-05", "2030-10-08"),
        holiday("A", "2030-01-01", "2030-01-01"),
        holiday("B", "2030-10-01", "2030-10-07")
    );
    let err = Calendar::from_toml(&overlapping).unwrap_err();
    assert!(err.message().ends_with("year 2030, holiday C (2030-10-05 to 2030-10-08) overlaps year 2030, holiday B"), "{err}");
}

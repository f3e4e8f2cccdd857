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

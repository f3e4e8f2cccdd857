import datetime as dt

import pytest

import oracle
import posfee

D = dt.date

NEXT_YEAR = """
[[years]]
year = 2027
notice = "example notice for the tests"
[[years.holidays]]
name_zh = "元旦"
name_en = "New Year's Day"
first = 2027-01-01
last = 2027-01-03
makeup_workdays = []
"""


def test_china_calendar():
    calendar = posfee.Calendar.china()
    assert calendar.years[0] == 2005 and calendar.years[1] >= 2026
    assert not calendar.is_business_day(D(2026, 10, 1))
    assert calendar.is_business_day(D(2026, 10, 10))  # make-up Saturday
    assert calendar.is_business_day("2026-10-09")
    assert calendar.add_business_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.add_business_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert calendar.next_business_day(D(2026, 2, 13)) == D(2026, 2, 14)
    assert calendar.previous_business_day(D(2026, 2, 24)) == D(2026, 2, 14)
    assert calendar.business_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert calendar.business_days_between(D(2026, 10, 9), D(2026, 9, 30)) == -2
    assert calendar.business_days_between(D(2026, 1, 1), D(2027, 1, 1)) == 248
    assert "2025" in calendar.notice(2026)
    names = [h["name_en"] for h in calendar.holidays(2026)]
    assert "National Day" in names
    day = calendar.day(D(2026, 10, 1))
    assert day["holiday"]["name_en"] == "National Day" and not day["business_day"]


def test_calendar_matches_oracle_for_2026():
    calendar = posfee.Calendar.china()
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert calendar.is_business_day(day) == oracle.is_business_day(day), day
        day += dt.timedelta(days=1)


def test_out_of_range_and_provisional():
    calendar = posfee.Calendar.china()
    with pytest.raises(posfee.CalendarOutOfRangeError) as info:
        calendar.is_business_day(D(2031, 3, 3))
    assert "2031" in str(info.value)
    assert calendar.is_business_day(D(2031, 3, 3), provisional=True)
    assert calendar.day(D(2031, 3, 3), provisional=True)["provisional"]
    assert calendar.add_business_days(D(2026, 12, 31), 1, provisional=True) == D(2027, 1, 1)


def test_load_newer_year_from_file_and_text(tmp_path):
    embedded = posfee.Calendar.china().years
    assert embedded[1] < 2027, "the test year must be beyond the embedded data"
    path = tmp_path / "2027.toml"
    path.write_text(NEXT_YEAR, encoding="utf-8")
    newer = posfee.Calendar.china().with_years_from_file(path)
    assert newer.years[1] == 2027
    assert not newer.is_business_day(D(2027, 1, 1))
    assert newer.add_business_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert posfee.Calendar.china().with_years_from_toml(NEXT_YEAR).years == newer.years
    # the embedded calendar is unchanged
    assert posfee.Calendar.china().years == embedded
    quote = posfee.Schedule.preset("standard").quote("1", "credit", "2026-12-31 10:00", calendar=newer)
    assert quote.settles_on == D(2027, 1, 4) and not quote.settles_on_provisional


def test_calendar_from_file(tmp_path):
    path = tmp_path / "only-2027.toml"
    path.write_text(NEXT_YEAR, encoding="utf-8")
    calendar = posfee.Calendar.from_file(path)
    assert calendar.years == (2027, 2027)


def test_bad_calendar_data(tmp_path):
    with pytest.raises(posfee.InvalidCalendarError):
        posfee.Calendar.from_toml("[[years]]\nyear = 2030\nnotice = 'x'\nholidays = []\n[[years]]\nyear = 2032\nnotice = 'y'\nholidays = []\n")
    with pytest.raises(posfee.IoError):
        posfee.Calendar.china().with_years_from_file(tmp_path / "missing.toml")


@pytest.mark.parametrize("bad", [dt.datetime(2026, 5, 6, 10), 20260506, None])
def test_calendar_date_types(bad):
    with pytest.raises(TypeError):
        posfee.Calendar.china().is_business_day(bad)


def test_calendar_bad_date_text():
    with pytest.raises(posfee.InvalidDateError):
        posfee.Calendar.china().is_business_day("2026-02-30")


def test_far_dates_overflow_cleanly():
    with pytest.raises(posfee.AmountOverflowError, match="beyond the year 9999"):
        posfee.Calendar.china().add_business_days(D(2026, 5, 6), 10**12, provisional=True)


HOLIDAY_CN_2027 = """{"year": 2027, "papers": ["https://www.gov.cn/example"], "days": [
    {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    {"name": "春节", "date": "2027-02-06", "isOffDay": true},
    {"name": "春节", "date": "2027-02-07", "isOffDay": true},
    {"name": "春节", "date": "2027-02-08", "isOffDay": true},
    {"name": "春节", "date": "2027-02-20", "isOffDay": false}]}"""


def test_load_newer_year_from_holiday_cn_json(tmp_path):
    """with_years_from_file takes the community holiday-cn year files as well as posfee TOML."""
    path = tmp_path / "2027.json"
    path.write_text(HOLIDAY_CN_2027, encoding="utf-8")
    newer = posfee.Calendar.china().with_years_from_file(path)
    assert newer.years == (posfee.Calendar.china().years[0], 2027)
    assert posfee.Calendar.china().with_years_from_json(HOLIDAY_CN_2027).years == newer.years
    assert not newer.is_business_day(D(2027, 1, 1))
    assert newer.is_business_day(D(2027, 2, 20))  # a make-up Saturday
    assert newer.add_business_days(D(2027, 2, 5), 1) == D(2027, 2, 9)
    spring = newer.holidays(2027)[1]
    assert (spring["name_en"], spring["first"], spring["last"], spring["makeup_workdays"]) == (
        "Spring Festival",
        D(2027, 2, 6),
        D(2027, 2, 8),
        [D(2027, 2, 20)],
    )
    quote = posfee.Schedule.preset("standard").quote("1", "credit", "2026-12-31 10:00", calendar=newer)
    assert quote.settles_on == D(2027, 1, 4) and not quote.settles_on_provisional


def test_bad_holiday_cn_json_names_the_file(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text('{"year": 2027, "days": [{"name": "元旦", "date": "2027-13-01", "isOffDay": true}]}', encoding="utf-8")
    with pytest.raises(posfee.InvalidCalendarError) as info:
        posfee.Calendar.china().with_years_from_file(path)
    assert info.value.code == "invalid_calendar"
    assert info.value.file is not None and info.value.file.endswith("2027.json")
    assert "2027-13-01" in str(info.value)

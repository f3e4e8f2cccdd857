"""The mainland China working-day calendar (holidays and make-up working days)."""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Dict, List, Tuple, Union

from posfee import _core
from posfee.shapes import CalendarDay, Holiday

Day = Union[_dt.date, str]
"""A calendar date: ``datetime.date`` or ``'YYYY-MM-DD'``. A ``datetime`` is refused."""


class Calendar:
    """Business days in mainland China: Monday to Friday, minus statutory holidays, plus the
    make-up working days (调休) that the State Council's yearly notice sets.

    The embedded data covers 2005 to the latest published year. A date outside the data is
    an error (``CalendarOutOfRangeError``) unless the call opts into ``provisional=True``
    (weekends-only rule). Load a newer year's notice without a new release with
    :meth:`with_years_from_file` (posfee TOML or ``holiday-cn`` JSON),
    :meth:`with_years_from_toml` or :meth:`with_years_from_json`.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _core.Calendar) -> None:
        if not isinstance(native, _core.Calendar):
            raise TypeError("use Calendar.china(), Calendar.from_toml() or Calendar.from_file()")
        self._native = native

    @classmethod
    def china(cls) -> "Calendar":
        """The embedded mainland China calendar."""
        return cls(_core.Calendar.china())

    @classmethod
    def from_toml(cls, text: str) -> "Calendar":
        """A calendar from TOML text in the format of the embedded data (core/data/calendar/china.toml)."""
        return cls(_core.Calendar.load("toml", text))

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "Calendar":
        """A calendar from a TOML file (replacing the embedded data)."""
        return cls(_core.Calendar.load("file", os.fspath(path)))

    def with_years_from_toml(self, text: str) -> "Calendar":
        """A new calendar with the years of ``text`` added (replacing years already present)."""
        return Calendar(self._native.with_years("toml", text))

    def with_years_from_json(self, text: str) -> "Calendar":
        """A new calendar with the years of a ``holiday-cn`` JSON text added (one year file of
        that community data set, ``{"year", "papers", "days": [{"name", "date", "isOffDay"}]}``,
        or an array of them), replacing years already present."""
        return Calendar(self._native.with_years("json", text))

    def with_years_from_file(self, path: Union[str, "os.PathLike[str]"]) -> "Calendar":
        """A new calendar with the years of a file added: load next year's holiday notice. The
        file is posfee's calendar TOML or a ``holiday-cn`` JSON year file (``2027.json``)."""
        return Calendar(self._native.with_years("file", os.fspath(path)))

    @property
    def years(self) -> Tuple[int, int]:
        """The first and last year covered (inclusive)."""
        return self._native.years

    def notice(self, year: int) -> str:
        """The State Council notice that published a year's data."""
        return self._native.notice(year)

    def holidays(self, year: int) -> List[Holiday]:
        """A year's holidays: ``name_zh``, ``name_en``, ``first``, ``last``, ``makeup_workdays``."""
        return self._native.holidays(year)

    def day(self, day: Day, *, provisional: bool = False) -> CalendarDay:
        """What a date is: ``business_day``, ``weekend``, ``makeup_workday``, ``holiday``, ..."""
        return self._native.day(day, provisional)

    def is_business_day(self, day: Day, *, provisional: bool = False) -> bool:
        """Whether settlement happens on ``day`` (make-up working days are business days)."""
        return self._native.is_business_day(day, provisional)

    def add_business_days(self, day: Day, n: int, *, provisional: bool = False) -> _dt.date:
        """The ``n``-th business day after ``day`` (before it when ``n < 0``); ``n = 0`` is
        ``day`` itself when it is a business day, else the next one."""
        return self._native.add_business_days(day, n, provisional)

    def next_business_day(self, day: Day, *, provisional: bool = False) -> _dt.date:
        """The first business day after ``day``."""
        return self._native.add_business_days(day, 1, provisional)

    def previous_business_day(self, day: Day, *, provisional: bool = False) -> _dt.date:
        """The last business day before ``day``."""
        return self._native.add_business_days(day, -1, provisional)

    def business_days_between(self, start: Day, end: Day, *, provisional: bool = False) -> int:
        """Business days ``d`` with ``start <= d < end`` (negative when ``end < start``)."""
        return self._native.business_days_between(start, end, provisional)

    def __repr__(self) -> str:
        first, last = self.years
        return f"<Calendar {first}..{last}>"

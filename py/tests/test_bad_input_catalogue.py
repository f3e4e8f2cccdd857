"""The bad-input catalogue of the Python API: one row per kind of bad input, with the error
it must raise (``PosfeeError`` subclass and ``.code``), where it must say the bad value was
(``file``, ``line``, ``field``) and words its message must contain (the value, what to do).

A row with ``code=None`` expects a plain ``TypeError`` (a Python value of the wrong type,
which has no error code). Every row runs on its own; a row that crashes the interpreter
or raises anything but the expected error is a defect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Sequence, Tuple, Type

import pyarrow as pa
import pytest

import posfee
from posfee import _core

MERCHANT = "102310058120001"
AT = "2026-05-06 10:00"
D = dt.date


@dataclass
class Case:
    """``run(tmp_path)`` must raise ``error`` with ``code``, located at ``where``, saying ``words``."""

    id: str
    run: Callable[[Path], Any]
    error: Type[BaseException]
    code: Optional[str]
    where: Dict[str, Any] = field(default_factory=dict)
    words: Sequence[str] = ()
    absent: Sequence[str] = ()


# -- inputs ----------------------------------------------------------------------------------


def sft() -> posfee.Schedule:
    return posfee.Schedule.preset("sft-traditional")


def standard() -> posfee.Schedule:
    return posfee.Schedule.preset("standard")


def ledger_table(**columns: Any) -> pa.Table:
    base: Dict[str, Any] = {
        "trade_id": ["A1", "A2"],
        "rrn": ["612610000001", "612610000002"],
        "terminal": ["T0000001", "T0000001"],
        "time": ["2026-05-06 10:00:00", "2026-05-06 11:00:00"],
        "amount": pa.array([Decimal("100.00"), Decimal("250.50")], pa.decimal128(18, 2)),
        "channel": ["credit", "debit"],
    }
    base.update(columns)
    return pa.table({k: v for k, v in base.items() if v is not None})


def statement_table(**columns: Any) -> pa.Table:
    base: Dict[str, Any] = {
        "settlement_date": ["2026-05-07", "2026-05-07"],
        "merchant_no": [MERCHANT, MERCHANT],
        "terminal": ["T0000001", "T0000001"],
        "rrn": ["612610000001", "612610000002"],
        "time": ["2026-05-06 10:00:00", "2026-05-06 11:00:00"],
        "amount": ["100.00", "250.50"],
        "fee": ["0.60", "1.38"],
        "channel": ["credit", "debit"],
    }
    base.update(columns)
    return pa.table({k: v for k, v in base.items() if v is not None})


def ledger_frame(**columns: Any) -> Any:
    pandas = pytest.importorskip("pandas")
    base: Dict[str, Any] = {
        "trade_id": ["A1", "A2"],
        "rrn": ["612610000001", "612610000002"],
        "time": ["2026-05-06 10:00:00", "2026-05-06 11:00:00"],
        "amount": [Decimal("100.00"), Decimal("250.50")],
        "channel": ["credit", "debit"],
    }
    base.update(columns)
    return pandas.DataFrame(base)


def reconcile(ledger: Any = None, statement: Any = None, **options: Any) -> posfee.Report:
    return posfee.reconcile(
        ledger_table() if ledger is None else ledger,
        statement_table() if statement is None else statement,
        options.pop("schedule", "sft-traditional"),
        merchant=options.pop("merchant", MERCHANT),
        **options,
    )


def ledger_csv(tmp_path: Path, bad_line: Optional[Tuple[int, str]] = None) -> Path:
    """The ledger of ``ledger_table()`` as a canonical ledger CSV; ``bad_line`` replaces a
    line (1-based, the header is line 1)."""
    lines = posfee._reconcile._ledger_from_arrow(ledger_table()).to_csv().splitlines()
    if bad_line is not None:
        number, text = bad_line
        lines[number - 1] = text
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def statement_csv(tmp_path: Path, bad_line: Optional[Tuple[int, str]] = None) -> Path:
    lines = posfee._reconcile._statement_from_arrow(statement_table()).to_csv().splitlines()
    if bad_line is not None:
        number, text = bad_line
        lines[number - 1] = text
    path = tmp_path / "statement.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ledger_line_with_amount(amount: str) -> str:
    """The second data line of the ledger CSV with another amount."""
    header, _, second = posfee._reconcile._ledger_from_arrow(ledger_table()).to_csv().splitlines()
    columns = header.split(",")
    values = second.split(",")
    values[columns.index("amount")] = amount
    return ",".join(values)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def np_float(text: str) -> Any:
    return pytest.importorskip("numpy").float64(text)


def nat() -> Any:
    return pytest.importorskip("pandas").NaT


DEEP_TOML = "a = " + "[" * 30_000 + "]" * 30_000
DEEP_JSON = '{"a": ' + "[" * 30_000 + "]" * 30_000 + "}"
HUGE_DECIMAL128 = pa.array([Decimal("100.00"), Decimal("1" + "0" * 30 + ".00")], pa.decimal128(38, 2))
SIX_PLACES = pa.array([Decimal("100.000000"), Decimal("1.000001")], pa.decimal128(18, 6))


# -- the catalogue ---------------------------------------------------------------------------

AMOUNTS = [
    Case("float", lambda _: sft().quote(0.1, "debit", AT), posfee.FloatAmountError, "invalid_amount", {"field": "amount"}, ["float", "Decimal"]),
    Case(
        "numpy-float64",
        lambda _: sft().quote(np_float("1.5"), "debit", AT),
        posfee.FloatAmountError,
        "invalid_amount",
        {"field": "amount"},
        ["float", "not accepted", "Decimal", "str"],
        ['Decimal("np.float64'],
    ),
    Case("float-nan", lambda _: sft().quote(float("nan"), "debit", AT), TypeError, "invalid_amount", {"field": "amount"}, ["float"]),
    Case("decimal-nan", lambda _: sft().quote(Decimal("NaN"), "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["NaN"]),
    Case("decimal-snan", lambda _: sft().quote(Decimal("sNaN"), "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["NaN"]),
    Case("decimal-inf", lambda _: sft().quote(Decimal("Infinity"), "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["Infinity"]),
    Case("decimal-minus-inf", lambda _: sft().quote(Decimal("-Infinity"), "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["Infinity"]),
    Case("decimal-negative", lambda _: sft().quote(Decimal("-1"), "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["negative"]),
    Case("int-negative", lambda _: sft().quote(-1, "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["negative"]),
    Case("str-negative", lambda _: sft().quote("-0.01", "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["negative"]),
    Case("decimal-sub-fen", lambda _: sft().quote(Decimal("1.001"), "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["1.001", "decimal places"]),
    Case("str-sub-fen", lambda _: sft().quote("1.001", "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["1.001", "decimal places"]),
    Case("str-empty", lambda _: sft().quote("", "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["empty"]),
    Case("str-word", lambda _: sft().quote("abc", "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["abc"]),
    Case("int-huge", lambda _: sft().quote(10**30, "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["beyond"]),
    Case(
        "decimal-1e30",
        lambda _: sft().quote(Decimal("1E+30"), "debit", AT),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"field": "amount"},
        ["1E+30", "beyond"],
        ["not a decimal number"],
    ),
    Case(
        "decimal-1e999",
        lambda _: sft().quote(Decimal("1E+999"), "debit", AT),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"field": "amount"},
        ["1E+999", "beyond"],
        ["not a decimal number"],
    ),
    Case("decimal-1e-50", lambda _: sft().quote(Decimal("1E-50"), "debit", AT), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["1E-50", "decimal places"]),
    Case("bool", lambda _: sft().quote(True, "debit", AT), TypeError, None, {}, ["bool"]),
    Case("bytes", lambda _: sft().quote(b"100", "debit", AT), TypeError, None, {}, ["amount"]),
    Case("refund-float", lambda _: sft().quote_refund("100", "debit", AT, 1.5), posfee.FloatAmountError, "invalid_amount", {"field": "refund_amount"}, ["float"]),
]

REQUESTS = [
    Case("channel-unknown", lambda _: sft().quote("1", "visa", AT), posfee.InvalidChannelError, "invalid_channel", {}, ["visa"]),
    Case("channel-empty", lambda _: sft().quote("1", "", AT), posfee.InvalidChannelError, "invalid_channel"),
    Case("channel-int", lambda _: sft().quote("1", 1, AT), TypeError, None, {}, ["channel"]),
    Case("settlement-unknown", lambda _: sft().quote("1", "debit", AT, "X1"), posfee.InvalidSettlementError, "invalid_settlement", {}, ["X1"]),
    Case("settlement-empty", lambda _: sft().quote("1", "debit", AT, ""), posfee.InvalidSettlementError, "invalid_settlement"),
    Case("settlement-negative", lambda _: sft().quote("1", "debit", AT, "T-1"), posfee.InvalidSettlementError, "invalid_settlement"),
    Case("at-word", lambda _: sft().quote("1", "debit", "yesterday"), posfee.InvalidDateError, "invalid_date", {"field": "at"}, ["yesterday"]),
    Case("at-feb-30", lambda _: sft().quote("1", "debit", "2026-02-30"), posfee.InvalidDateError, "invalid_date", {"field": "at"}),
    Case("at-month-13", lambda _: sft().quote("1", "debit", "2026-13-01 10:00"), posfee.InvalidDateError, "invalid_date", {"field": "at"}),
    Case("at-pandas-nat", lambda _: sft().quote("1", "debit", nat()), posfee.InvalidDateError, "invalid_date", {"field": "at"}, ["NaT"]),
    Case(
        "at-odd-offset",
        lambda _: sft().quote("1", "debit", dt.datetime(2026, 5, 6, 10, tzinfo=dt.timezone(dt.timedelta(hours=5, microseconds=1)))),
        posfee.InvalidDateError,
        "invalid_date",
        {"field": "at"},
        ["offset"],
    ),
    Case("at-int", lambda _: sft().quote("1", "debit", 1_700_000_000), TypeError, None, {}, ["at must be"]),
    Case("card-type-unknown", lambda _: standard().quote("2000", "unionpay_qr", AT, card_type="gold"), posfee.InvalidChannelError, "invalid_channel", {}, ["gold"]),
    Case("card-type-contradicts", lambda _: standard().quote("2000", "credit", AT, card_type="debit"), posfee.InvalidRequestError, "invalid_request"),
    Case("no-rule", lambda _: sft().quote("1", "unionpay_qr", AT), posfee.NoMatchingRuleError, "no_matching_rule"),
    Case(
        "calendar-year-without-data",
        lambda _: standard().quote("1", "credit", "2031-03-03 10:00"),
        posfee.CalendarOutOfRangeError,
        "calendar_out_of_range",
        {},
        ["2031", "with_years_from_file", "provisional=True"],
    ),
]

MERCHANT_CLASSES = [
    Case(
        f"merchant-class-{name!r}",
        (lambda value: lambda _: standard().quote("5000", "debit", AT, merchant_class=value))(name),
        posfee.InvalidRequestError,
        "invalid_request",
        {"field": "merchant_class"},
        [repr(name).replace("'", '"'), "discounted"],
    )
    for name in ["Discounted", "discountd", " discounted"]
]

SCHEDULES = [
    Case("preset-unknown", lambda _: posfee.Schedule.preset("nope"), posfee.UnknownPresetError, "unknown_preset", {}, ["nope"]),
    Case("schedule-file-missing", lambda tmp: posfee.Schedule.from_file(tmp / "missing.toml"), posfee.IoError, "io", {"file": "missing.toml"}, ["missing.toml"]),
    Case(
        "schedule-file-bad",
        lambda tmp: posfee.Schedule.from_file(write(tmp, "bad.toml", "name = 1\n")),
        posfee.InvalidScheduleError,
        "invalid_schedule",
        {"file": "bad.toml"},
    ),
    Case("schedule-not-toml", lambda _: posfee.Schedule.from_toml("this is not toml ["), posfee.InvalidScheduleError, "invalid_schedule"),
    Case("schedule-not-json", lambda _: posfee.Schedule.from_json("{"), posfee.InvalidScheduleError, "invalid_schedule"),
    Case("schedule-nested-30000-toml", lambda _: posfee.Schedule.from_toml(DEEP_TOML), posfee.InvalidScheduleError, "invalid_schedule", {}, ["nests deeper"]),
    Case("schedule-nested-30000-json", lambda _: posfee.Schedule.from_json(DEEP_JSON), posfee.InvalidScheduleError, "invalid_schedule", {}, ["nests deeper"]),
    Case(
        "schedule-file-nested-30000",
        lambda tmp: posfee.Schedule.from_file(write(tmp, "deep.toml", DEEP_TOML)),
        posfee.InvalidScheduleError,
        "invalid_schedule",
        {"file": "deep.toml"},
        ["nests deeper"],
    ),
    Case("schedule-too-large", lambda _: posfee.Schedule.from_toml("#" * (5 << 20)), posfee.InvalidScheduleError, "invalid_schedule", {}, ["larger than"]),
    Case("schedule-unknown-key", lambda _: posfee.Schedule.from_toml("bogus = 1\n" + _core.preset_toml("standard")), posfee.InvalidScheduleError, "invalid_schedule", {}, ["bogus"]),
]

CALENDARS = [
    Case("holidays-year-without-data", lambda _: posfee.Calendar.china().holidays(2031), posfee.CalendarOutOfRangeError, "calendar_out_of_range", {}, ["2031", "with_years_from_file"]),
    Case("holidays-2**40", lambda _: posfee.Calendar.china().holidays(2**40), posfee.CalendarOutOfRangeError, "calendar_out_of_range", {"field": "year"}, [str(2**40)]),
    Case("holidays--2**40", lambda _: posfee.Calendar.china().holidays(-(2**40)), posfee.CalendarOutOfRangeError, "calendar_out_of_range", {"field": "year"}, [str(-(2**40))]),
    Case("notice-10**30", lambda _: posfee.Calendar.china().notice(10**30), posfee.CalendarOutOfRangeError, "calendar_out_of_range", {"field": "year"}, [str(10**30)]),
    Case("holidays-str", lambda _: posfee.Calendar.china().holidays("2026"), TypeError, None, {}, ["year"]),
    Case("add-10**30", lambda _: posfee.Calendar.china().add_business_days(D(2026, 5, 6), 10**30), posfee.AmountOverflowError, "overflow", {"field": "n"}, [str(10**30)]),
    Case("add--10**30", lambda _: posfee.Calendar.china().add_business_days(D(2026, 5, 6), -(10**30)), posfee.AmountOverflowError, "overflow", {"field": "n"}, [str(-(10**30)), "before the year 1"]),
    Case("add-10**30-provisional", lambda _: posfee.Calendar.china().add_business_days(D(2026, 5, 6), 10**30, provisional=True), posfee.AmountOverflowError, "overflow", {"field": "n"}),
    Case("add-past-9999-provisional", lambda _: posfee.Calendar.china().add_business_days(D(9999, 12, 31), 1, provisional=True), posfee.AmountOverflowError, "overflow", {"field": "n"}, ["9999-12-31 plus 1 business days is beyond the year 9999"]),
    Case("add-before-1-provisional", lambda _: posfee.Calendar.china().add_business_days(D(1, 1, 1), -1, provisional=True), posfee.AmountOverflowError, "overflow", {"field": "n"}, ["before the year 1"]),
    Case("add-3e6-strict", lambda _: posfee.Calendar.china().add_business_days(D(2026, 5, 6), 3_000_000), posfee.AmountOverflowError, "overflow", {"field": "n"}, ["3000000"]),
    Case("add-past-data", lambda _: posfee.Calendar.china().add_business_days(D(2026, 12, 30), 5), posfee.CalendarOutOfRangeError, "calendar_out_of_range"),
    Case("business-day-without-data", lambda _: posfee.Calendar.china().is_business_day("2031-01-02"), posfee.CalendarOutOfRangeError, "calendar_out_of_range", {}, ["provisional=True"]),
    Case("day-bad-text", lambda _: posfee.Calendar.china().day("2026-13-01"), posfee.InvalidDateError, "invalid_date", {"field": "day"}),
    Case("day-datetime", lambda _: posfee.Calendar.china().day(dt.datetime(2026, 5, 6)), TypeError, None, {}, ["datetime"]),
    Case("calendar-not-toml", lambda _: posfee.Calendar.from_toml("x"), posfee.InvalidCalendarError, "invalid_calendar"),
    Case("calendar-nested-30000", lambda _: posfee.Calendar.from_toml(DEEP_TOML), posfee.InvalidCalendarError, "invalid_calendar", {}, ["nests deeper"]),
    Case("holiday-cn-nested-30000", lambda _: posfee.Calendar.china().with_years_from_json(DEEP_JSON), posfee.InvalidCalendarError, "invalid_calendar", {}, ["nests deeper"]),
    Case(
        "holiday-cn-placeholder-year",
        lambda tmp: posfee.Calendar.china().with_years_from_file(write(tmp, "2027.json", '{"year": 2027, "papers": [], "days": []}')),
        posfee.InvalidCalendarError,
        "invalid_calendar",
        {"file": "2027.json"},
        ["2027"],
    ),
    Case(
        "holiday-cn-bad-date",
        lambda _: posfee.Calendar.china().with_years_from_json('{"year": 2027, "days": [{"name": "元旦", "date": "2027-13-01", "isOffDay": true}]}'),
        posfee.InvalidCalendarError,
        "invalid_calendar",
        {},
        ["2027-13-01"],
    ),
    Case("calendar-file-missing", lambda tmp: posfee.Calendar.china().with_years_from_file(tmp / "2027.toml"), posfee.IoError, "io", {"file": "2027.toml"}, ["2027.toml"]),
    Case(
        "calendar-file-bad",
        lambda tmp: posfee.Calendar.china().with_years_from_file(write(tmp, "2027.toml", "[[years]]\nyear = 'x'\n")),
        posfee.InvalidCalendarError,
        "invalid_calendar",
        {"file": "2027.toml"},
    ),
]

TABLES = [
    Case("missing-column", lambda _: reconcile(ledger_table(amount=None)), posfee.InvalidRecordError, "invalid_record", {"field": "amount"}, ["`amount`"]),
    Case("float-column", lambda _: reconcile(ledger_table(amount=[100.0, 250.5])), posfee.FloatAmountError, "invalid_amount", {"field": "amount"}, ["float"]),
    Case("float-fee-column", lambda _: reconcile(statement=statement_table(fee=[0.6, 1.38])), posfee.FloatAmountError, "invalid_amount", {"field": "fee"}, ["float"]),
    Case("int-trade-id-column", lambda _: reconcile(ledger_table(trade_id=[1, 2])), TypeError, None, {}, ["trade_id"]),
    Case("null-trade-id", lambda _: reconcile(ledger_table(trade_id=["A1", None])), posfee.InvalidRecordError, "invalid_record", {"line": 2, "field": "trade_id"}),
    Case("null-amount", lambda _: reconcile(ledger_table(amount=pa.array([Decimal(1), None], pa.decimal128(18, 2)))), posfee.InvalidRecordError, "invalid_record", {"line": 2, "field": "amount"}),
    Case("negative-amount", lambda _: reconcile(ledger_table(amount=["100.00", "-5"])), posfee.InvalidAmountError, "invalid_amount", {"line": 2, "field": "amount"}, ["-5"]),
    Case("text-nan-amount", lambda _: reconcile(ledger_table(amount=["100.00", "NaN"])), posfee.InvalidAmountError, "invalid_amount", {"line": 2, "field": "amount"}, ["NaN"]),
    Case(
        "decimal128-huge",
        lambda _: reconcile(ledger_table(amount=HUGE_DECIMAL128)),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"line": 2, "field": "amount"},
        ["1000000000000000000000000000000", "beyond"],
        ["decimal places"],
    ),
    Case(
        "decimal128-huge-fee",
        lambda _: reconcile(statement=statement_table(fee=HUGE_DECIMAL128)),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"line": 2, "field": "fee"},
        ["beyond"],
        ["decimal places"],
    ),
    Case("decimal128-six-places", lambda _: reconcile(ledger_table(amount=SIX_PLACES)), posfee.InvalidAmountError, "invalid_amount", {"line": 2, "field": "amount"}, ["decimal places"]),
    Case("bad-channel", lambda _: reconcile(ledger_table(channel=["credit", "visa"])), posfee.InvalidChannelError, "invalid_channel", {"line": 2, "field": "channel"}, ["visa"]),
    Case("bad-time", lambda _: reconcile(ledger_table(time=["2026-05-06 10:00:00", "not a time"])), posfee.InvalidDateError, "invalid_date", {"line": 2, "field": "time"}),
    Case("bad-kind", lambda _: reconcile(ledger_table(kind=["purchase", "swap"])), posfee.InvalidRecordError, "invalid_record", {"line": 2, "field": "kind"}, ["swap"]),
    Case("bad-settlement-date", lambda _: reconcile(statement=statement_table(settlement_date=["2026-05-07", "someday"])), posfee.InvalidDateError, "invalid_date", {"line": 2, "field": "settlement_date"}),
    Case(
        "duplicated-column",
        lambda _: reconcile(pa.Table.from_arrays(ledger_table().columns + [pa.array(["1", "2"])], names=ledger_table().column_names + ["amount"])),
        posfee.InvalidRecordError,
        "invalid_record",
        {"field": "amount"},
        ["more than once"],
    ),
    Case("on-invalid-bogus", lambda _: reconcile(on_invalid="bogus"), posfee.InvalidRequestError, "invalid_request", {"field": "on_invalid"}, ["bogus", "'raise'", "'report'"]),
    Case("window-10**30", lambda _: reconcile(match_window_seconds=10**30), posfee.InvalidRequestError, "invalid_request", {"field": "match_window_seconds"}, [str(10**30)]),
    Case("window-negative", lambda _: reconcile(match_window_seconds=-1), posfee.InvalidRequestError, "invalid_request", {"field": "match_window_seconds"}, ["-1"]),
    Case("window-float", lambda _: reconcile(match_window_seconds=1.5), TypeError, None, {}, ["match_window_seconds"]),
    Case("settlement-empty-reconcile", lambda _: reconcile(settlement=""), posfee.InvalidSettlementError, "invalid_settlement"),
    Case(
        "merchant-class-reconcile",
        lambda _: reconcile(schedule="standard", merchant_class="Discounted"),
        posfee.InvalidRequestError,
        "invalid_request",
        {"field": "merchant_class"},
        ['"Discounted"', "discounted"],
    ),
    Case("merchant-number-short", lambda _: reconcile(merchant="123"), posfee.InvalidRecordError, "invalid_record", {"field": "merchant_no"}, ["123"]),
    Case("preset-unknown-reconcile", lambda _: reconcile(schedule="nope"), posfee.UnknownPresetError, "unknown_preset"),
    Case("not-a-table", lambda _: reconcile([{"trade_id": "A1"}]), TypeError, None, {}, ["DataFrame"]),
]

PANDAS = [
    Case(
        "pandas-decimal-infinity",
        lambda _: reconcile(ledger_frame(amount=[Decimal("100.00"), Decimal("Infinity")])),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"line": 2, "field": "amount"},
        ["Infinity"],
    ),
    Case(
        "pandas-decimal-nan",
        lambda _: reconcile(ledger_frame(amount=[Decimal("NaN"), Decimal("1.00")])),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"line": 1, "field": "amount"},
        ["NaN"],
    ),
    Case(
        "pandas-mixed-decimal-and-float",
        lambda _: reconcile(ledger_frame(amount=[Decimal("100.00"), 2.5])),
        posfee.FloatAmountError,
        "invalid_amount",
        {"line": 2, "field": "amount"},
        ["float", "2.5"],
    ),
    Case(
        "pandas-mixed-decimal-and-word",
        lambda _: reconcile(ledger_frame(amount=[Decimal("100.00"), "abc"])),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"line": 2, "field": "amount"},
        ["abc"],
    ),
    Case(
        "pandas-mixed-decimal-and-list",
        lambda _: reconcile(ledger_frame(amount=[Decimal("100.00"), [1]])),
        posfee.InvalidRecordError,
        "invalid_record",
        {"line": 2, "field": "amount"},
        ["list"],
    ),
    Case(
        "pandas-decimal-1e30",
        lambda _: reconcile(ledger_frame(amount=[Decimal("1E+30"), Decimal("1.00")])),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"line": 1, "field": "amount"},
        ["beyond"],
        ["not a decimal number"],
    ),
    Case(
        "pandas-mixed-trade-ids",
        lambda _: reconcile(ledger_frame(trade_id=["A1", 2])),
        posfee.InvalidRecordError,
        "invalid_record",
        {"line": 2, "field": "trade_id"},
        ["int"],
    ),
    Case(
        "pandas-numpy-float-amounts",
        lambda _: reconcile(ledger_frame(amount=[np_float("100.0"), np_float("1.5")])),
        posfee.FloatAmountError,
        "invalid_amount",
        {"field": "amount"},
        ["float"],
    ),
    Case(
        "pandas-duplicated-column",
        lambda _: reconcile(ledger_frame().rename(columns={"rrn": "amount"})),
        posfee.InvalidRecordError,
        "invalid_record",
        {"field": "amount"},
        ["more than once"],
    ),
]

FILES = [
    Case(
        "ledger-file-bad-line-raises",
        lambda tmp: reconcile(ledger_csv(tmp, (3, ledger_line_with_amount("1.001")))),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"file": "ledger.csv", "line": 3},
        ["1.001"],
    ),
    Case(
        "ledger-file-bad-line-raises-with-statement-file",
        lambda tmp: reconcile(ledger_csv(tmp, (3, ledger_line_with_amount("abc"))), statement_csv(tmp)),
        posfee.InvalidAmountError,
        "invalid_amount",
        {"file": "ledger.csv", "line": 3},
        ["abc"],
    ),
    Case(
        "statement-file-bad-line-raises",
        lambda tmp: reconcile(ledger_table(), statement_csv(tmp, (2, "not,a,statement,line"))),
        posfee.PosfeeError,
        None,
        {"file": "statement.csv", "line": 2},
    ),
    Case("on-invalid-bogus-files", lambda tmp: reconcile(ledger_csv(tmp), statement_csv(tmp), on_invalid="bogus"), posfee.InvalidRequestError, "invalid_request", {"field": "on_invalid"}, ["bogus", "'raise'", "'report'"]),
    Case("ledger-file-missing", lambda tmp: reconcile(tmp / "missing.csv"), posfee.IoError, "io", {"file": "missing.csv"}, ["missing.csv"]),
    Case("statement-file-missing", lambda tmp: reconcile(ledger_csv(tmp), tmp / "missing.csv"), posfee.IoError, "io", {"file": "missing.csv"}, ["missing.csv"]),
    Case("statement-file-is-a-folder", lambda tmp: reconcile(ledger_csv(tmp), tmp), posfee.IoError, "io"),
    Case("statement-format-bogus", lambda tmp: reconcile(ledger_csv(tmp), statement_csv(tmp), statement_format="bogus"), posfee.InvalidRequestError, "invalid_request", {}, ["bogus"]),
    Case("parquet-corrupt", lambda tmp: reconcile(write(tmp, "ledger.parquet", "not parquet at all")), posfee.IoError, "io", {"file": "ledger.parquet"}, ["Parquet"]),
    Case("parquet-missing", lambda tmp: reconcile(tmp / "ledger.parquet"), posfee.IoError, "io", {"file": "ledger.parquet"}),
    Case("arrow-corrupt", lambda tmp: reconcile(ledger_table(), write(tmp, "statement.arrow", "not arrow")), posfee.IoError, "io", {"file": "statement.arrow"}),
    Case("write-csv-missing-folder", lambda tmp: reconcile().write_csv(tmp / "no" / "such" / "report.csv"), posfee.IoError, "io", {"file": "report.csv"}, ["report.csv"]),
    Case("panic", lambda _: _core._panic_for_test(), posfee.InternalError, "internal", {}, ["bug"]),
    Case("panic-detached", lambda _: _core._panic_for_test(detached=True), posfee.InternalError, "internal", {}, ["bug"]),
]

def trades(**columns: Any) -> pa.Table:
    base: Dict[str, Any] = {
        "amount": pa.array([Decimal("100.00"), Decimal("250.50")], pa.decimal128(18, 2)),
        "channel": ["credit", "debit"],
        "time": ["2026-05-06 10:00", "2026-05-06 11:00"],
    }
    base.update(columns)
    return pa.table({k: v for k, v in base.items() if v is not None})


def quote_table(table: Any, *args: Any, **options: Any) -> Any:
    return sft().quote_table(table, *args, **options)


def fee_table(table: Any, *args: Any, **options: Any) -> Any:
    return sft().fee_table(table, *args, **options)


NEGATIVE_DECIMAL128 = pa.array([Decimal("1.00"), Decimal("-2.00")], pa.decimal128(18, 2))

# The fees alone read amounts of decimal128 columns by a faster path: every way a row leaves it.
FEE_TABLES = [
    Case("fee-table-float-amount", lambda _: fee_table(trades(amount=pa.array([1.5, 2.0]))), posfee.FloatAmountError, "invalid_amount", {"field": "amount"}, ["float"]),
    Case("fee-table-null-decimal", lambda _: fee_table(trades(amount=pa.array([Decimal("1"), None], pa.decimal128(18, 2)))), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["row 1", "missing"]),
    Case("fee-table-negative-decimal", lambda _: fee_table(trades(amount=NEGATIVE_DECIMAL128)), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["row 1", "negative"]),
    Case("fee-table-huge-decimal", lambda _: fee_table(trades(amount=HUGE_DECIMAL128)), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["row 1"]),
    Case("fee-table-six-places", lambda _: fee_table(trades(amount=SIX_PLACES)), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["row 1"]),
    Case("fee-table-channel", lambda _: fee_table(trades(channel=["credit", "visa"])), posfee.InvalidChannelError, "invalid_channel", {"field": "channel"}, ["row 1", "visa"]),
    Case("fee-table-null-channel", lambda _: fee_table(trades(channel=pa.array(["credit", None]))), posfee.InvalidRecordError, "invalid_record", {"field": "channel"}, ["row 1", "channel"]),
    Case("fee-table-null-time", lambda _: fee_table(trades(time=pa.array([dt.datetime(2026, 5, 6), None], pa.timestamp("us")))), posfee.InvalidDateError, "invalid_date", {"field": "time"}, ["row 1", "missing"]),
    Case("fee-table-settlement", lambda _: fee_table(trades(settlement=["T1", "X9"])), posfee.InvalidSettlementError, "invalid_settlement", {"field": "settlement"}, ["row 1", "X9"]),
    Case("fee-table-before-schedule", lambda _: fee_table(trades(time=["2010-01-04", "2026-05-06"])), posfee.NoScheduleVersionError, "no_schedule_version", {"field": "time"}, ["row 0"]),
    Case("fee-table-on-invalid", lambda _: fee_table(trades(), on_invalid="skip"), posfee.InvalidRequestError, "invalid_request", {"field": "on_invalid"}, ["skip"]),
    Case("fee-table-not-a-table", lambda _: fee_table({"amount": [1]}), TypeError, None, {}, ["dict"]),
]

TRADE_TABLES = [
    Case("quote-table-float-amount", lambda _: quote_table(trades(amount=pa.array([1.5, 2.0]))), posfee.FloatAmountError, "invalid_amount", {"field": "amount"}, ["float"]),
    Case("quote-table-no-amount", lambda _: quote_table(trades(amount=None)), posfee.InvalidRecordError, "invalid_record", {"field": "amount"}, ["amount"]),
    Case("quote-table-no-time", lambda _: quote_table(trades(time=None)), posfee.InvalidRecordError, "invalid_record", {"field": "time"}, ["time"]),
    Case("quote-table-sub-fen", lambda _: quote_table(trades(amount=["1.001", "2"])), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["row 0", "1.001"]),
    Case("quote-table-six-places", lambda _: quote_table(trades(amount=SIX_PLACES)), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["row 1"]),
    Case("quote-table-huge-decimal", lambda _: quote_table(trades(amount=HUGE_DECIMAL128)), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["row 1"]),
    Case("quote-table-negative", lambda _: quote_table(trades(amount=["1", "-2"])), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["row 1", "negative"]),
    Case("quote-table-null-amount", lambda _: quote_table(trades(amount=pa.array([None, Decimal("1")], pa.decimal128(18, 2)))), posfee.InvalidAmountError, "invalid_amount", {"field": "amount"}, ["row 0", "missing"]),
    Case("quote-table-channel", lambda _: quote_table(trades(channel=["credit", "visa"])), posfee.InvalidChannelError, "invalid_channel", {"field": "channel"}, ["row 1", "visa"]),
    Case("quote-table-time", lambda _: quote_table(trades(time=["2026-05-06", "yesterday"])), posfee.InvalidDateError, "invalid_date", {"field": "time"}, ["row 1", "yesterday"]),
    Case("quote-table-settlement", lambda _: quote_table(trades(settlement=["T1", "X9"])), posfee.InvalidSettlementError, "invalid_settlement", {"field": "settlement"}, ["row 1", "X9"]),
    Case("quote-table-card-type", lambda _: quote_table(trades(card_type=["gold", None])), posfee.InvalidChannelError, None, {"field": "card_type"}, ["row 0", "gold"]),
    Case("quote-table-class", lambda _: quote_table(trades(merchant_class=[None, "hotel"])), posfee.InvalidRequestError, "invalid_request", {"field": "merchant_class"}, ["row 1", "hotel"]),
    Case("quote-table-card-contradicts", lambda _: quote_table(trades(card_type=["debit", None])), posfee.InvalidRequestError, "invalid_request", {"field": "card_type"}, ["row 0", "contradicts"]),
    Case("quote-table-unpriced-channel", lambda _: posfee.Schedule.preset("sft-esign").quote_table(trades(channel=["credit", "wechat"])), posfee.NoMatchingRuleError, "no_matching_rule", {"field": "channel"}, ["row 1", "wechat"]),
    Case("quote-table-year-without-data", lambda _: quote_table(trades(time=["2026-05-06", "2031-03-03 10:00"])), posfee.CalendarOutOfRangeError, "calendar_out_of_range", {"field": "time"}, ["row 1", "2031"]),
    Case("quote-table-before-schedule", lambda _: quote_table(trades(time=["2010-01-04", "2026-05-06"])), posfee.NoScheduleVersionError, "no_schedule_version", {"field": "time"}, ["row 0"]),
    Case("quote-table-wrong-type", lambda _: quote_table(trades(channel=pa.array([1, 2]))), TypeError, None, {}, ["channel", "strings"]),
    Case("quote-table-on-invalid", lambda _: quote_table(trades(), on_invalid="skip"), posfee.InvalidRequestError, "invalid_request", {"field": "on_invalid"}, ["skip"]),
    Case("quote-table-not-a-table", lambda _: quote_table([1, 2]), TypeError, None, {}, ["list"]),
    Case("quote-table-missing-csv", lambda tmp: quote_table(tmp / "nope.csv"), posfee.IoError, "io", {"file": "nope.csv"}, ["nope.csv"]),
    Case("quote-table-mapping-unknown", lambda _: quote_table(trades(), {"amt": "amount"}), posfee.InvalidRequestError, "invalid_request", {"field": "columns"}, ["amt"]),
    Case("compare-unpriced-row", lambda _: posfee.compare(trades(channel=["credit", "wechat"]), ["sft-smart", "sft-esign"]), posfee.NoMatchingRuleError, "no_matching_rule", {}, ["sft-esign", "row 1"]),
    Case("compare-no-offers", lambda _: posfee.compare(trades(), []), posfee.InvalidRequestError, "invalid_request", {}, ["0 offers"]),
    Case("compare-bad-mode", lambda _: posfee.compare(trades(), [(sft(), "X9")]), posfee.InvalidSettlementError, "invalid_settlement", {}, ["X9"]),
    Case("compare-unknown-preset", lambda _: posfee.compare(trades(), ["nope"]), posfee.UnknownPresetError, "unknown_preset", {}, ["nope"]),
]

CATALOGUE = AMOUNTS + REQUESTS + MERCHANT_CLASSES + SCHEDULES + CALENDARS + TABLES + PANDAS + FILES + TRADE_TABLES + FEE_TABLES


def test_the_catalogue_is_large_and_ids_are_unique():
    assert len(CATALOGUE) >= 60
    assert len({case.id for case in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.id for case in CATALOGUE])
def test_bad_input(case: Case, tmp_path: Path) -> None:
    with pytest.raises(case.error) as info:
        case.run(tmp_path)
    error = info.value
    text = str(error)
    if case.code is None and not isinstance(error, posfee.PosfeeError):
        assert isinstance(error, TypeError), text
    else:
        assert isinstance(error, posfee.PosfeeError), text
        if case.code is not None:
            assert error.code == case.code, text
    for key, expected in case.where.items():
        actual = getattr(error, key)
        if key == "file":
            assert actual is not None and actual.endswith(expected), text
        else:
            assert actual == expected, (key, text)
    for word in case.words:
        assert word in text, (word, text)
    for word in case.absent:
        assert word not in text, (word, text)
    # the module keeps working after any error
    assert sft().quote("100", "debit", AT).fee == Decimal("0.55")

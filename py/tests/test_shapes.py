"""Every dict posfee returns has exactly the shape `posfee.shapes` declares for it: the same
keys (none missing, none extra), money as Decimal (never a str or float), counts as int, and
nested lists and shapes alike. A field added to the core's JSON without its declaration, or
money left as text, fails here."""

from __future__ import annotations

import datetime
import typing
from decimal import Decimal
from typing import Any, List, Union, get_args, get_origin, get_type_hints

import pyarrow as pa
import pytest

import posfee
from posfee import shapes
from test_portfolio import two_merchants


def check(value: Any, shape: Any, where: str) -> None:
    if shape is Any:
        return
    origin = get_origin(shape)
    if origin is Union:
        args = get_args(shape)
        if value is None:
            assert type(None) in args, f"{where}: None where {shape} is declared"
            return
        inner = [a for a in args if a is not type(None)]
        return check(value, inner[0], where)
    if origin in (list, List):
        assert isinstance(value, list), f"{where}: {type(value).__name__} is not a list"
        for k, item in enumerate(value):
            check(item, get_args(shape)[0], f"{where}[{k}]")
        return
    if origin is dict:
        assert isinstance(value, dict), where
        key_type, item = get_args(shape)
        for k, v in value.items():
            assert isinstance(k, key_type), f"{where}: key {k!r}"
            check(v, item, f"{where}[{k!r}]")
        return
    if hasattr(shape, "__total__"):
        assert isinstance(value, dict), f"{where}: {type(value).__name__} is not a dict"
        declared = get_type_hints(shape)
        extra = set(value) - set(declared)
        assert not extra, f"{where}: keys {sorted(extra)} are not declared in {shape.__name__}"
        if shape.__total__:
            missing = set(declared) - set(value)
            assert not missing, f"{where}: declared keys {sorted(missing)} are missing"
        for key, v in value.items():
            check(v, declared[key], f"{where}.{key}")
        return
    if shape is int:
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {value!r} is not an int"
        return
    assert isinstance(value, shape), f"{where}: {value!r} is not {shape.__name__}"


@pytest.fixture(scope="module")
def sample() -> Any:
    return posfee.simulate(seed=3, trades=3000)


def test_a_reconciliation_summary_and_dispute(sample: Any) -> None:
    report = posfee.reconcile(sample["ledger"], sample["statement"], "sft-traditional", merchant=sample["merchant"], terminals=sample["terminals"])
    assert report.summary["findings"] and report.summary["declined"] and report.summary["daily_rates"]
    check(report.summary, shapes.Summary, "summary")
    dispute = report.dispute("dict", "en")
    assert dispute["sections"]
    check(dispute, shapes.Dispute, "dispute")
    check(sample, shapes.Sample, "simulate")


def test_a_portfolio_summary_with_merchants_and_limits() -> None:
    ledger, statement, _, rows = two_merchants()
    report = posfee.reconcile(ledger, statement, merchants=posfee.Registry.from_table(pa.Table.from_pylist(rows)))
    merchants = report.summary["merchants"]
    assert len(merchants) == 2 and isinstance(merchants[0]["never_settled_amount"], Decimal)
    check(report.summary, shapes.Summary, "summary")


def test_a_deposit_check() -> None:
    sample = posfee.simulate_deposits(4)
    check(sample, shapes.DepositSample, "simulate_deposits")
    report = posfee.reconcile_deposits(sample["statement"], sample["bank"], as_of=sample["as_of"], covered_from=sample["covered_from"])
    assert report.payouts and report.findings
    for name in ("summary", "payouts", "bank", "deductions", "findings", "unreadable"):
        check(getattr(report, name), get_type_hints(shapes.DepositReportData)[name], name)


def test_an_offer_comparison_with_break_evens() -> None:
    def schedule(name: str, rate: str, surcharge: str) -> posfee.Schedule:
        return posfee.Schedule.from_toml(
            f'name = "{name}"\n[rounding]\nmode = "half_up"\nscale = 2\n[[versions]]\neffective_from = "2026-01-01"\n'
            f'[[versions.rules]]\nid = "credit"\nchannels = ["credit"]\nrate = "{rate}"\n{surcharge}'
        )

    plus3 = schedule("plus3", "0.6%", '[[versions.surcharges]]\nid = "d0"\nmodes = ["D0"]\nfixed = "3"\n')
    trades = pa.table({"amount": ["100", "oops"], "channel": ["credit", "credit"], "time": ["2026-05-06 10:00"] * 2})
    result = posfee.compare(trades, [(plus3, "D0"), schedule("higher", "0.68%", "")], on_invalid="report")
    assert result["break_evens"] and isinstance(result["break_evens"][0]["from"], Decimal) and result["excluded"]
    check(result, shapes.Comparison, "compare")


def test_margins(sample: Any) -> None:
    merchants = pa.table({"merchant_no": [sample["merchant"]], "schedule": ["sft-traditional"], "agent": ["city"], "terminals": [";".join(sample["terminals"])]})
    agents = pa.table({"agent": ["province", "city"], "parent": [None, "province"], "cost_schedule": ["standard", "sft-smart"]})
    result = posfee.margins(sample["ledger"], merchants=merchants, agents=agents)
    check(result, shapes.Margins, "margins")
    rows = result["rows"].to_pylist()
    check(rows, List[shapes.MarginRow], "margins.rows")


def test_quote_lines_calendar_and_formats() -> None:
    quote = posfee.Schedule.preset("standard-d0").quote("5000", "debit", at="2026-05-06 10:00", settlement="D0")
    check(quote.lines, List[shapes.FeeLine], "quote.lines")
    assert quote.lines[1]["limit"] is None and quote.lines[1]["kind"] == "surcharge"
    capped = posfee.Schedule.preset("standard").quote("5000", "debit", at="2026-05-06 10:00")
    check(capped.lines, List[shapes.FeeLine], "capped.lines")
    assert capped.lines[0]["limit"] == {"kind": "cap", "value": Decimal("20.00")}
    warned = posfee.Schedule.preset("standard").quote("60000", "credit", at="2026-05-06 23:10", limits="personal-micro-merchant")
    check(warned.limit_warnings, List[shapes.LimitWarning], "limit_warnings")
    assert [w["kind"] for w in warned.limit_warnings] == ["per_transaction"]
    calendar = posfee.Calendar.china()
    day = calendar.day("2026-10-01")
    assert isinstance(day["date"], datetime.date)
    check(day, shapes.CalendarDay, "day")
    check(calendar.holidays(2026), List[shapes.Holiday], "holidays")
    check(posfee.formats(), List[shapes.FormatInfo], "formats")
    check(posfee.bank_formats(), List[shapes.FormatInfo], "bank_formats")


def test_the_checker_fails_on_an_undeclared_key_or_money_as_text() -> None:
    with pytest.raises(AssertionError, match="not declared"):
        check({"key": "total", "trades": 1, "amount": Decimal(1), "fee": Decimal(0), "effective_rate": None, "new": 1}, shapes.Subtotal, "s")
    with pytest.raises(AssertionError, match="is not Decimal"):
        check({"key": "total", "trades": 1, "amount": "1.00", "fee": Decimal(0), "effective_rate": None}, shapes.Subtotal, "s")
    assert typing.get_type_hints(shapes.BreakEven)["from"] is Decimal

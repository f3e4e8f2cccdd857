"""Portfolio reconciliation from Python: a registry (CSV file or table) and one call over
many merchants; every row checked against its own merchant's contract."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

import posfee

A, B = "102310058120001", "102310054110002"


def two_merchants():
    """Two seeded samples renamed to two merchants with their own terminals and presets."""
    ledgers, statements, singles, rows = [], [], [], []
    for m, (number, preset, agent) in enumerate([(A, "sft-traditional", "east"), (B, "standard", "west")]):
        sample = posfee.simulate(seed=70 + m, trades=800)
        ledger, statement = sample["ledger"], sample["statement"]
        rename = lambda table: table.set_column(  # noqa: E731
            table.schema.get_field_index("terminal"),
            "terminal",
            pa.array([f"M{m}{t}" if t else t for t in table.column("terminal").to_pylist()]),
        )
        merchant_column = lambda table: table.set_column(  # noqa: E731
            table.schema.get_field_index("merchant_no"),
            "merchant_no",
            pa.array([number if n == sample["merchant"] else n for n in table.column("merchant_no").to_pylist()]),
        )
        ledger, statement = merchant_column(rename(ledger)), merchant_column(rename(statement))
        singles.append(posfee.reconcile(ledger, statement, preset, merchant=number, terminals=[f"M{m}{t}" for t in sample["terminals"]]))
        ledgers.append(ledger)
        statements.append(statement)
        rows.append({"merchant_no": number, "name": f"shop {m}", "schedule": preset, "agent": agent, "terminals": ";".join(f"M{m}{t}" for t in sample["terminals"])})
    return pa.concat_tables(ledgers), pa.concat_tables(statements), singles, rows


def test_a_portfolio_in_one_call_equals_its_merchants_one_by_one(tmp_path):
    ledger, statement, singles, rows = two_merchants()
    registry = posfee.Registry.from_table(pa.Table.from_pylist(rows))
    assert (len(registry), registry.merchants) == (2, [B, A])
    report = posfee.reconcile(ledger, statement, merchants=registry)
    merchants = {m["merchant_no"]: m for m in report.summary["merchants"]}
    for single, row in zip(singles, rows):
        totals = merchants[row["merchant_no"]]
        assert totals["agent"] == row["agent"]
        assert (totals["overcharge"], totals["undercharge"]) == (single.summary["overcharge"], single.summary["undercharge"])
    # Every row's class and merchant: the single runs', in the same order per merchant.
    table = report.rows.to_pylist()
    for single, row in zip(singles, rows):
        # (跳码 reasons add whether the number is in the portfolio.)
        # (Reasons that name another row name it by its place in the merged tables: numbers
        # are left out.)
        key = lambda r: (  # noqa: E731
            r["side"],
            r["class"],
            re.sub(r"\d+", "#", r["reason"].replace(", a merchant number outside the portfolio", "")),
        )
        mine = [key(r) for r in table if r["merchant_no"] == row["merchant_no"] and r["class"] != "unreadable"]
        theirs = [key(r) for r in single.rows.to_pylist() if r["class"] != "unreadable"]
        assert sorted(mine) == sorted(theirs)
    # The same from a CSV file and from a path.
    path = tmp_path / "merchants.csv"
    path.write_text("merchant_no,name,schedule,agent,terminals\n" + "".join(f"{r['merchant_no']},{r['name']},{r['schedule']},{r['agent']},{r['terminals']}\n" for r in rows), encoding="utf-8")
    again = posfee.reconcile(ledger, statement, merchants=path)
    assert again.summary["classes"] == report.summary["classes"]
    assert posfee.Registry.read_csv(path).merchants == [B, A]


def test_bad_registries_and_arguments():
    with pytest.raises(posfee.InvalidRecordError, match="terminal \"T1\" is registered to") as error:
        posfee.Registry.from_table(pa.table({"merchant_no": [A, B], "schedule": ["standard", "standard"], "terminals": ["T1", "T1"]}))
    assert (error.value.line, error.value.field) == (3, "terminals")
    with pytest.raises(posfee.InvalidRecordError) as error:
        posfee.Registry.from_table(pa.table({"merchant_no": [A], "schedule": ["no-such-preset"]}))
    assert (error.value.line, error.value.field) == (2, "schedule")
    with pytest.raises(posfee.IoError):
        posfee.Registry.read_csv("no/such/merchants.csv")
    sample = posfee.simulate(seed=1, trades=50)
    registry = posfee.Registry.from_table(pa.table({"merchant_no": [A], "schedule": ["standard"]}))
    with pytest.raises(posfee.InvalidRequestError, match="not both"):
        posfee.reconcile(sample["ledger"], sample["statement"], "standard", merchant=A, merchants=registry)
    with pytest.raises(posfee.InvalidRequestError, match="a schedule and a merchant, or merchants"):
        posfee.reconcile(sample["ledger"], sample["statement"])


def test_each_merchant_has_its_own_limits_and_a_pickled_registry_keeps_them(tmp_path):
    import pickle

    # A: personal micro-merchant limits (¥50,000 a trade, ¥200,000 a day); B: none.
    registry = posfee.Registry.from_table(
        pa.table({"merchant_no": [A, B], "schedule": ["standard", "standard"], "terminals": ["T1", "T2"], "limits": ["personal-micro-merchant", ""]})
    )
    ledger = pa.table(
        {
            "trade_id": ["A1", "B1"],
            "rrn": ["600000000001", "600000000002"],
            "terminal": ["T1", "T2"],
            "time": ["2026-03-16 10:00:00", "2026-03-16 10:00:00"],
            "amount": ["60000.00", "60000.00"],
            "channel": ["debit", "debit"],
            "response_code": ["61", "61"],
        }
    )
    statement = tmp_path / "statement.csv"
    statement.write_text("清算日期,商户号,商户名称,终端号,交易日期,交易时间,交易金额,手续费,结算金额,参考号,卡类别,交易类型\n", encoding="utf-8")
    for merchants in (registry, pickle.loads(pickle.dumps(registry))):
        rows = posfee.reconcile(ledger, statement, merchants=merchants).rows.to_pylist()
        reasons = {r["trade_id"]: r["reason"] for r in rows}
        assert "¥60,000.00 is above the ¥50,000.00 per-transaction limit" in reasons["A1"]
        assert "per-transaction limit" not in reasons["B1"] and "declined" in reasons["B1"]
    with pytest.raises(posfee.InvalidRecordError) as error:
        posfee.Registry.from_table(pa.table({"merchant_no": [A], "schedule": ["standard"], "limits": ["vip"]}))
    assert (error.value.line, error.value.field) == (2, "limits")

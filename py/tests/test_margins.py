"""Agent margins from Python, against a chain walked here with quotes of each level."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

import posfee

MERCHANT = "102310058120001"


def test_margins_equal_the_chain_walked_by_hand():
    sample = posfee.simulate(seed=12, trades=400)
    merchants = pa.table({"merchant_no": [MERCHANT], "schedule": ["sft-traditional"], "agent": ["city"], "terminals": [";".join(sample["terminals"])]})
    agents = pa.table({"agent": ["province", "city"], "parent": [None, "province"], "cost_schedule": ["standard", "sft-smart"]})
    result = posfee.margins(sample["ledger"], merchants=merchants, agents=agents)
    assert result["merchant_fee"] == result["top_cost"] + result["margin"]
    rows = result["rows"].to_pylist()
    merchant, city, province = (posfee.Schedule.preset(p) for p in ("sft-traditional", "sft-smart", "standard"))
    ledger = sample["ledger"].to_pylist()
    by_agent = {"city": Decimal(0), "province": Decimal(0)}
    priced = 0
    for k in range(0, len(rows), 2):
        trade = ledger[rows[k]["trade"]]
        fees = [s.quote(trade["amount"], trade["channel"], at=trade["time"]).fee for s in (merchant, city, province)]
        assert (rows[k]["agent"], rows[k + 1]["agent"]) == ("city", "province")
        assert (rows[k]["cost"], rows[k]["margin"]) == (fees[1], fees[0] - fees[1])
        assert (rows[k + 1]["cost"], rows[k + 1]["margin"]) == (fees[2], fees[1] - fees[2])
        by_agent["city"] += fees[0] - fees[1]
        by_agent["province"] += fees[1] - fees[2]
        priced += 1
    approved = sum(1 for t in ledger if t["kind"] == "purchase" and t["response_code"] == "00")
    assert priced == approved
    assert {t["key"]: t["margin"] for t in result["by_agent"]} == by_agent


def test_bad_agents_and_files(tmp_path):
    with pytest.raises(posfee.InvalidRecordError, match="cycle") as error:
        posfee.Agents.from_table(pa.table({"agent": ["a", "b"], "parent": ["b", "a"], "cost_schedule": ["standard", "standard"]}))
    assert error.value.field == "parent"
    path = tmp_path / "agents.csv"
    path.write_text("agent,parent,cost_schedule\ntop,,standard\n", encoding="utf-8")
    assert len(posfee.Agents.read_csv(path)) == 1
    with pytest.raises(posfee.IoError):
        posfee.Agents.read_csv(tmp_path / "missing.csv")


def test_the_rows_have_fixed_types_with_or_without_rows():
    sample = posfee.simulate(seed=3, trades=200)
    agents = pa.table({"agent": ["province", "city"], "parent": [None, "province"], "cost_schedule": ["standard", "sft-smart"]})
    types = {
        "trade": pa.uint64(),
        "trade_id": pa.string(),
        "date": pa.date32(),
        "merchant_no": pa.dictionary(pa.int32(), pa.string()),
        "channel": pa.dictionary(pa.int32(), pa.string()),
        "amount": pa.decimal128(18, 2),
        "merchant_fee": pa.decimal128(20, 5),
        "level": pa.uint32(),
        "agent": pa.dictionary(pa.int32(), pa.string()),
        "cost": pa.decimal128(20, 5),
        "margin": pa.decimal128(20, 5),
    }
    for terminals, priced in ((sample["terminals"], True), (["T-ELSEWHERE"], False)):
        merchants = pa.table({"merchant_no": [MERCHANT], "schedule": ["sft-traditional"], "agent": ["city"], "terminals": [";".join(terminals)]})
        result = posfee.margins(sample["ledger"], merchants=merchants, agents=agents)
        rows = result["rows"]
        assert dict(zip(rows.schema.names, rows.schema.types)) == types
        assert (rows.num_rows > 0) == priced and (len(result["skipped"]) > 0) != priced
        if priced:
            first = rows.slice(0, 1).to_pylist()[0]
            assert first["merchant_no"] == MERCHANT and first["level"] == 1 and first["agent"] == "city"
            assert first["merchant_fee"] - first["cost"] == first["margin"]

"""Schedule.quote_table and posfee.compare: the same answers as Schedule.quote row by row,
for every kind of table, and the same comparison as the command line."""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import posfee

CHANNELS = ["credit", "debit", "wechat", "alipay", "unionpay_qr", "quickpass", "huabei", "jd_baitiao"]
MODES = ["T0", "T1", "T2", "D0", "D1", "S0"]
CLASSES = [None, None, None, "discounted", "waived", "hotel"]
CARDS = [None, None, "credit", "debit"]


def random_rows(seed: int, count: int) -> Dict[str, List[Any]]:
    rng = random.Random(seed)
    start = dt.datetime(2016, 1, 1)
    rows: Dict[str, List[Any]] = {k: [] for k in ["amount", "channel", "time", "settlement", "merchant_class", "card_type"]}
    for _ in range(count):
        fen = rng.choice([rng.randrange(0, 10_000), rng.randrange(0, 2_000_000), rng.randrange(99_000, 101_000), rng.randrange(0, 10**9)])
        rows["amount"].append(Decimal(fen) / 100)
        rows["channel"].append(rng.choice(CHANNELS))
        seconds = rng.choice([rng.randrange(0, 11 * 366 * 86_400), (10 * 366 + rng.randrange(0, 366)) * 86_400 + rng.choice([82_799, 82_800, 86_399])])
        rows["time"].append(start + dt.timedelta(seconds=seconds))
        rows["settlement"].append(rng.choice(MODES))
        rows["merchant_class"].append(rng.choice(CLASSES))
        rows["card_type"].append(rng.choice(CARDS))
    return rows


def arrow_rows(rows: Dict[str, List[Any]]) -> pa.Table:
    columns = dict(rows)
    columns["amount"] = pa.array(rows["amount"], pa.decimal128(18, 2))
    columns["time"] = pa.array(rows["time"], pa.timestamp("us"))
    return pa.table(columns)


@pytest.mark.parametrize("preset", posfee.presets())
@pytest.mark.parametrize("provisional", [False, True])
def test_each_row_is_the_scalar_quote(preset: str, provisional: bool) -> None:
    schedule = posfee.Schedule.preset(preset)
    rows = random_rows(sum(map(ord, preset)), 400)  # a seed of its own per preset, the same every run
    quoted = schedule.quote_table(arrow_rows(rows), provisional=provisional, on_invalid="report").to_pylist()
    priced = 0
    for k, row in enumerate(quoted):
        try:
            quote = schedule.quote(
                rows["amount"][k],
                rows["channel"][k],
                rows["time"][k],
                rows["settlement"][k],
                merchant_class=rows["merchant_class"][k],
                card_type=rows["card_type"][k],
                provisional=provisional,
            )
        except posfee.PosfeeError as error:
            assert row["error"] == f"{error.code}: row {k}: {error}".split(" (at ")[0] or row["error"].startswith(f"{error.code}: row {k}: "), (row, error)
            assert row["fee"] is None and row["settles_on"] is None
            continue
        priced += 1
        assert row["error"] is None, row
        assert (row["fee"], row["net"], row["rule"]) == (quote.fee, quote.net, quote.rule), (k, row)
        assert (row["trade_day"], row["settles_on"]) == (quote.trade_day, quote.settles_on), (k, row)
        assert row["settlement_applied"] == quote.settlement
        assert ("provisional" in row["warnings"]) == quote.settles_on_provisional
        assert ("fee_exceeds_amount" in row["warnings"]) == quote.fee_exceeds_amount
    assert priced > 25


@pytest.mark.parametrize("preset", posfee.presets())
def test_the_fees_alone_are_the_quotes_fees(preset: str) -> None:
    schedule = posfee.Schedule.preset(preset)
    table = arrow_rows(random_rows(sum(map(ord, preset)) + 1, 400))
    quoted = schedule.quote_table(table, on_invalid="report", provisional=True)
    fees = schedule.fee_table(table, on_invalid="report")
    assert fees.column_names == [*table.column_names, "fee", "error"]
    assert fees.schema.field("fee").type == quoted.schema.field("fee").type
    assert fees.column("fee").to_pylist() == quoted.column("fee").to_pylist()
    # The same rows in error, for the same reason (a date beyond the calendar is not one here).
    assert fees.column("error").to_pylist() == quoted.column("error").to_pylist()


def test_the_fees_alone_of_every_kind_of_table_and_their_errors() -> None:
    schedule = posfee.Schedule.preset("sft-traditional")
    expected = [Decimal("20.00"), Decimal("6.00"), Decimal("0.01")]
    from_pandas = schedule.fee_table(pd.DataFrame(small(), index=[10, 20, 30]))
    assert list(from_pandas.index) == [10, 20, 30] and list(from_pandas["fee"]) == expected
    assert schedule.fee_table(pl.DataFrame(small()))["fee"].to_list() == expected
    renamed = pd.DataFrame({"amt": ["5000", "x"], "pay": ["debit", "credit"], "time": ["2026-05-06", "2026-05-06"]})
    reported = schedule.fee_table(renamed, {"amt": "amount", "pay": "channel"}, on_invalid="report")
    assert list(reported["fee"]) == [Decimal("20.00"), None]
    assert reported["error"][1].startswith("invalid_amount: row 1: ")
    with pytest.raises(posfee.InvalidAmountError) as info:
        schedule.fee_table(renamed, {"amt": "amount", "pay": "channel"})
    assert str(info.value).startswith("row 1: ") and info.value.field == "amount"
    with pytest.raises(ValueError, match="'fee' that fee_table adds"):
        schedule.fee_table(schedule.fee_table(pl.DataFrame(small())))


def small() -> Dict[str, Any]:
    return {
        "id": ["A1", "A2", "A3"],
        "amount": [Decimal("5000.00"), Decimal("1000.00"), Decimal("1.00")],
        "channel": ["debit", "credit", "debit"],
        "time": ["2026-09-30 22:30", "2026-05-06 10:00", "2026-05-06 10:00"],
    }


def test_every_kind_of_table_gets_the_same_columns(tmp_path: Path) -> None:
    schedule = posfee.Schedule.preset("sft-traditional")
    table = pa.table({**small(), "amount": pa.array(small()["amount"], pa.decimal128(18, 2))})
    expected = schedule.quote_table(table)
    assert expected.column_names == ["id", "amount", "channel", "time", *posfee.QUOTED_COLUMNS]
    assert expected.schema.field("fee").type == pa.decimal128(18, 2)
    assert expected.schema.field("settles_on").type == pa.date32()
    assert expected.column("fee").to_pylist() == [Decimal("20.00"), Decimal("6.00"), Decimal("0.01")]
    assert expected.column("limit").to_pylist() == ["cap", None, None]
    assert expected.column("settles_on").to_pylist()[0] == dt.date(2026, 10, 8)

    frame = pd.DataFrame(small(), index=[10, 20, 30])
    from_pandas = schedule.quote_table(frame)
    assert isinstance(from_pandas, pd.DataFrame) and list(from_pandas.index) == [10, 20, 30]
    assert list(from_pandas["fee"]) == expected.column("fee").to_pylist()
    assert list(from_pandas["id"]) == ["A1", "A2", "A3"]

    from_polars = schedule.quote_table(pl.DataFrame(small()))
    assert isinstance(from_polars, pl.DataFrame)
    assert from_polars["fee"].to_list() == expected.column("fee").to_pylist()

    path = tmp_path / "trades.csv"
    path.write_text("id,amount,channel,time\nA1,5000,debit,2026-09-30 22:30\nA2,\"1,000.00\",credit,2026-05-06 10:00\nA3,1,debit,2026-05-06 10:00\n")
    from_csv = schedule.quote_table(path)
    assert from_csv.column("fee").to_pylist() == expected.column("fee").to_pylist()
    assert from_csv.column("id").to_pylist() == ["A1", "A2", "A3"]

    batch = table.to_batches()[0]
    assert schedule.quote_table(batch).column("net").to_pylist() == expected.column("net").to_pylist()


def test_column_mapping_and_defaults() -> None:
    frame = pd.DataFrame(
        {"amt": ["100", "2000"], "pay": ["credit", "unionpay_qr"], "when": ["2026-05-06 10:00", "2026-05-06 11:00"], "card_type": [None, "debit"]}
    )
    quoted = posfee.Schedule.preset("standard-d0").quote_table(frame, {"amt": "amount", "pay": "channel", "when": "time"}, settlement="D0")
    assert list(quoted.columns[:3]) == ["amt", "pay", "when"]
    # ¥100 credit at D0: 0.60 + 3; ¥2000 UnionPay QR on a debit card above ¥1000: 0.5% = 10.00 + 3.
    assert list(quoted["fee"]) == [Decimal("3.60"), Decimal("13.00")]
    assert list(quoted["settlement_applied"]) == ["D0", "D0"]


def test_many_batches_and_the_row_of_an_error() -> None:
    table = pa.table({"amount": ["1"] * 5 + ["-1"], "channel": ["credit"] * 6, "time": ["2026-05-06"] * 6})
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=2))
    with pytest.raises(posfee.InvalidAmountError) as info:
        posfee.Schedule.preset("standard").quote_table(reader)
    assert str(info.value).startswith("row 5: ")


def test_compare_is_the_command_lines(tmp_path: Path) -> None:
    path = tmp_path / "trades.csv"
    path.write_text(
        "amount,channel,time\n5000,debit,2026-05-06 10:00\n1000,debit,2026-05-07 10:00\n100,credit,2026-05-29 10:00\n"
        "8000,credit,2026-06-02 10:00\n20,wechat,2026-06-03 10:00\n"
    )
    result = posfee.compare(path, ["sft-traditional", "sft-smart", (posfee.Schedule.preset("standard-d0"), "D0")])
    assert [o["total"]["fee"] for o in result["offers"]] == [Decimal("74.18"), Decimal("73.68"), Decimal("88.68")]
    assert result["offers"][1]["difference"] == Decimal("-0.50")
    assert result["offers"][0]["by_month"][0]["key"] == "2026-05"
    cli = subprocess.run(
        [sys.executable, "-m", "posfee", "compare", str(path), "--schedule", "sft-traditional", "--schedule", "sft-smart", "--schedule", "standard-d0@D0", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    from_cli = posfee.shapes.typed(json.loads(cli.stdout), posfee.shapes.Comparison)
    for key in ("offers", "break_evens", "sentences"):
        assert from_cli[key] == result[key], key


def test_break_even_of_the_golden_case() -> None:
    # The Rust golden test derives these: 0.6% + ¥3 at D0 against 0.68% at T1, on credit.
    plus3 = posfee.Schedule.from_toml(
        'name = "plus3"\n[rounding]\nmode = "half_up"\nscale = 2\n[[versions]]\neffective_from = "2026-01-01"\n'
        '[[versions.rules]]\nid = "credit"\nchannels = ["credit"]\nrate = "0.6%"\n'
        '[[versions.surcharges]]\nid = "d0"\nmodes = ["D0"]\nfixed = "3"\n'
    )
    higher = posfee.Schedule.from_toml(
        'name = "higher"\n[rounding]\nmode = "half_up"\nscale = 2\n[[versions]]\neffective_from = "2026-01-01"\n'
        '[[versions.rules]]\nid = "credit"\nchannels = ["credit"]\nrate = "0.68%"\n'
    )
    trades = pa.table({"amount": ["100"], "channel": ["credit"], "time": ["2026-05-06 10:00"]})
    result = posfee.compare(trades, [(plus3, "D0"), higher])
    assert result["break_evens"] == [
        {"channel": "credit", "cheaper_below": "higher", "cheaper_above": "plus3@D0", "below": Decimal("3738.97"), "from": Decimal("3761.03"), "exact": True}
    ]


def test_the_gil_is_released_while_quoting() -> None:
    import threading
    import time

    rows = 2_000_000
    table = pa.table({"amount": pa.array([100] * rows, pa.int64()), "channel": ["credit"] * rows, "time": ["2026-05-06 10:00"] * rows})
    ticks = []
    done = threading.Event()

    def tick() -> None:
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    started = time.monotonic()
    posfee.Schedule.preset("standard").quote_table(table)
    elapsed = time.monotonic() - started
    done.set()
    thread.join()
    during = [t for t in ticks if started <= t <= started + elapsed]
    assert elapsed < 0.05 or len(during) >= 3, (elapsed, len(during))

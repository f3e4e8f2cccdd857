"""Arrow tables go into core columns a column at a time (the fast path) or row by row (the
path every bad row takes). Whatever the table, both paths must give the same rows, the same
issues and the same errors: these tests compare them on generated tables of every column
type the schema accepts, with nulls, padding, bad values, several batches and slices."""

import datetime as dt
import struct
from decimal import Decimal

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

import posfee
from posfee import _core

CHINA = dt.timezone(dt.timedelta(hours=8))
TEXT = ["", "T0000001", " T0000002 ", "消费", "\u3000A\u3000", None]
CHANNELS = ["credit", "debit", "alipay", "wechat", " Credit ", "unionpay_qr", "bogus", None]
KINDS = ["purchase", "void", "refund", "", " Refund ", "x", None]
# Texts of 12, 13 and more bytes: a string view holds a text of up to 12 bytes in itself.
LONG_TEXT = ["沪上小馆", "沪上小馆A", "102310058120001", "上海市浦东新区商户很长的名字"]


def convert(table, side, on_invalid, by_rows):
    build = posfee._reconcile._ledger_from_arrow if side == "ledger" else posfee._reconcile._statement_from_arrow
    try:
        data = build(table, side, on_invalid, None, by_rows)
    except posfee.PosfeeError as error:
        return ("error", type(error).__name__, str(error))
    except TypeError as error:
        return ("type error", str(error))
    return data.to_arrow().to_pylist(), data.issues


def assert_same_paths(table, side):
    for on_invalid in ["raise", "report"]:
        assert convert(table, side, on_invalid, False) == convert(table, side, on_invalid, True), on_invalid


@st.composite
def times(draw, rows):
    """A time column in one of the accepted types, with the odd null or out-of-range value."""
    kind = draw(st.sampled_from(["text", "naive", "aware", "utc", "date"]))
    base = dt.datetime(2026, 5, 6, 10, 0)
    values = []
    for _ in range(rows):
        pick = draw(st.integers(0, 20))
        value = base + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 40)))
        if pick == 0:
            value = None
        elif pick == 1:
            value = dt.datetime(1969, 12, 31, 1) if draw(st.booleans()) else dt.datetime(2300, 1, 1)
        values.append(value)
    if kind == "text":
        return pa.array([None if v is None else v.strftime("%Y-%m-%d %H:%M:%S") for v in values], pa.string())
    if kind == "date":
        return pa.array([None if v is None else v.date() for v in values], pa.date32())
    if kind == "naive":
        return pa.array(values, pa.timestamp("s"))
    zone = CHINA if kind == "aware" else dt.timezone.utc
    return pa.array([None if v is None else v.replace(tzinfo=zone) for v in values], pa.timestamp("ms", tz=str(zone) if kind == "utc" else "+08:00"))


@st.composite
def money(draw, rows, signed):
    """A money column: decimals of 2 or 5 places, integers of yuan, or text."""
    kind = draw(st.sampled_from(["decimal2", "decimal5", "int", "text"]))
    values = []
    for _ in range(rows):
        pick = draw(st.integers(0, 25))
        millifen = draw(st.integers(0, 10**9)) * (1000 if pick > 3 else 1)
        if signed and draw(st.booleans()):
            millifen = -millifen
        value = None if pick == 0 else Decimal(millifen if pick != 1 else -1000) / 100_000
        values.append(value)
    if kind == "int":
        return pa.array([None if v is None else int(v) for v in values], pa.int64())
    if kind == "text":
        return pa.array([None if v is None else f" {v} " for v in values], pa.string())
    places = 2 if kind == "decimal2" else 5
    if places == 2:
        values = [None if v is None else v.quantize(Decimal("0.01")) for v in values]
    return pa.array(values, pa.decimal128(20, places))


def text(draw, rows, pool=TEXT):
    return [draw(st.sampled_from(pool)) for _ in range(rows)]


def maybe_dictionary(draw, array):
    return array.dictionary_encode() if draw(st.booleans()) else array


def string_type(draw):
    """A string type: utf8, large_utf8 or string_view (what polars hands over)."""
    return draw(st.sampled_from([pa.string(), pa.large_string(), pa.string_view()]))


@st.composite
def tables(draw, side):
    rows = draw(st.integers(0, 24))
    columns = {"time": draw(times(rows)), "amount": draw(money(rows, signed=False))}
    columns["channel"] = maybe_dictionary(draw, pa.array(text(draw, rows, CHANNELS), string_type(draw)))
    if side == "ledger":
        ids = [f"A{i}" for i in range(rows)]
        if rows and draw(st.integers(0, 5)) == 0:
            ids[draw(st.integers(0, rows - 1))] = None
        columns["trade_id"] = pa.array(ids, pa.string())
        optional = ["rrn", "trace", "terminal", "merchant_no", "card_type", "kind", "response_code", "original_rrn"]
    else:
        columns["settlement_date"] = draw(times(rows))
        columns["fee"] = draw(money(rows, signed=True))
        optional = ["net", "merchant_no", "merchant_name", "terminal", "rrn", "kind"]
    for name in optional:
        if not draw(st.booleans()):
            continue
        if name == "net":
            columns[name] = draw(money(rows, signed=True))
        elif name == "kind":
            columns[name] = maybe_dictionary(draw, pa.array(text(draw, rows, KINDS), string_type(draw)))
        elif name == "card_type":
            columns[name] = maybe_dictionary(draw, pa.array(text(draw, rows, ["", "debit", "credit", "x", None]), string_type(draw)))
        elif name == "response_code":
            columns[name] = maybe_dictionary(draw, pa.array(text(draw, rows, ["00", " 00", "51", None]), string_type(draw)))
        else:
            columns[name] = maybe_dictionary(draw, pa.array(text(draw, rows, TEXT + LONG_TEXT), string_type(draw)))
    table = pa.table(columns)
    if rows > 2 and draw(st.booleans()):
        table = pa.Table.from_batches(table.to_batches(max_chunksize=draw(st.integers(1, rows))))
    if rows > 2 and draw(st.booleans()):
        start = draw(st.integers(0, rows - 1))
        table = table.slice(start, draw(st.integers(0, rows - start)))
    return table


@settings(max_examples=300, deadline=None)
@given(table=tables("ledger"))
def test_ledger_paths_agree(table):
    assert_same_paths(table, "ledger")


@settings(max_examples=300, deadline=None)
@given(table=tables("statement"))
def test_statement_paths_agree(table):
    assert_same_paths(table, "statement")


def test_paths_agree_on_simulated_data():
    ledger, statement, *_ = _core.simulate(5, 3000, 3)
    assert_same_paths(ledger.to_arrow(), "ledger")
    assert_same_paths(statement.to_arrow(), "statement")
    sliced = ledger.to_arrow().slice(7, 2000)
    assert convert(sliced, "ledger", "raise", False)[0] == ledger.to_arrow().slice(7, 2000).to_pylist()
    for table, side in [(ledger.to_arrow(), "ledger"), (statement.to_arrow(), "statement")]:
        chunked = pa.Table.from_batches(table.to_batches(max_chunksize=700))
        assert chunked.column(0).num_chunks > 1
        assert convert(chunked, side, "raise", False) == convert(table, side, "raise", False)
        assert_same_paths(chunked, side)


def test_a_fee_beyond_range_without_a_net_column_is_an_error_of_the_fee():
    """amount − fee would overflow: the row is rejected for its fee, on both paths."""
    table = pa.table(
        {
            "settlement_date": ["2026-05-07"],
            "time": ["2026-05-06 10:00:00"],
            "amount": ["100.00"],
            "fee": ["-9999999999999.99999"],
            "channel": ["credit"],
        }
    )
    for by_rows in [False, True]:
        outcome = convert(table, "statement", "raise", by_rows)
        assert outcome[:2] == ("error", "InvalidAmountError") and "fee" in outcome[2], outcome
    assert_same_paths(table, "statement")


def _not_utf8(values, bad_row):
    """A string array (through a binary view: pyarrow does not check) whose `bad_row` holds
    bytes that are not UTF-8."""
    raw = [v.encode() for v in values]
    raw[bad_row] = b"T\xff\xfe1"
    return pa.array(raw, pa.binary()).view(pa.string())


def _inside_a_character():
    """A string array of 消费 / 撤销 whose second offset falls inside a character."""
    data = "消费撤销".encode()
    offsets = pa.py_buffer(pa.array([0, 4, 12], pa.int32()).buffers()[1])
    return pa.StringArray.from_buffers(2, offsets, pa.py_buffer(data))


@settings(max_examples=1, deadline=None)
@given(st.just(None))
def test_text_that_is_not_utf8_is_an_error_naming_its_column_and_row(_):
    ledger_data, statement_data, *_ = _core.simulate(7, 40, 3)
    ledger, statement = ledger_data.to_arrow(), statement_data.to_arrow()
    for side, table, column in [
        ("ledger", ledger, "trade_id"),  # shared text
        ("ledger", ledger, "channel"),  # a few-valued column, parsed
        ("ledger", ledger, "kind"),
        ("ledger", ledger, "terminal"),  # a few-valued column, interned
        ("statement", statement, "merchant_name"),
        ("statement", statement, "terminal"),
        ("statement", statement, "kind"),
    ]:
        rows = table.num_rows
        values = [str(v) if v is not None else "" for v in table[column].to_pylist()]
        bad = _not_utf8(values, rows - 2)
        # In two chunks: the bad row is in the second, numbered in the whole table.
        chunked = pa.chunked_array([bad.slice(0, 10), bad.slice(10)])
        broken = table.set_column(table.schema.get_field_index(column), column, chunked)
        for on_invalid in ["raise", "report"]:
            for by_rows in [False, True]:
                outcome = convert(broken, side, on_invalid, by_rows)
                assert outcome[0] == "error", (column, on_invalid, by_rows, outcome)
                message = outcome[2]
                assert f"column `{column}`" in message and "not UTF-8" in message and "ff fe" in message, message
                assert f"line {rows - 1}" in message or f"row {rows - 1}" in message, message
    # Offsets inside a character: the same error.
    table = pa.table({"trade_id": pa.array(["A1", "A2"]), "time": pa.array(["2026-05-06 10:00:00"] * 2),
                      "amount": pa.array(["1.00"] * 2), "channel": pa.array(["credit"] * 2), "kind": _inside_a_character()})
    outcome = convert(table, "ledger", "raise", False)
    assert outcome[0] == "error" and "column `kind`" in outcome[2] and "not UTF-8" in outcome[2], outcome
    # Offsets that decrease (pyarrow does not check them either): the column's error (a
    # TypeError, as for a column of the wrong type), whichever way the column is read, not a
    # read past the text.
    data = b"T1T2T3"
    backwards = pa.StringArray.from_buffers(3, pa.py_buffer(pa.array([0, 4, 2, 6], pa.int32()).buffers()[1]), pa.py_buffer(data))
    ledger = ledger.slice(0, 3)
    for column in ["trade_id", "terminal", "kind"]:
        broken = ledger.set_column(ledger.schema.get_field_index(column), column, backwards)
        for by_rows in [False, True]:
            outcome = convert(broken, "ledger", "raise", by_rows)
            assert outcome == ("type error", f"column `{column}` of the ledger: offsets out of order or past the text"), outcome
    # The table quotes read the same columns.
    trades = pa.table({"amount": pa.array(["100.00", "5.00"]), "channel": _not_utf8(["credit", "debit"], 1)})
    schedule = posfee.Schedule.preset("sft-traditional")
    try:
        schedule.fee_table(trades)
    except posfee.PosfeeError as error:
        assert "column `channel`" in str(error) and "not UTF-8" in str(error), str(error)
    else:
        raise AssertionError("fee_table read text that is not UTF-8")


def _views(*views, data=b"abcdefghijklmnopqrstuvwxyz"):
    """A string view array from raw views (length, 4 bytes, buffer, start), not checked (as
    pyarrow does not check `from_buffers`, nor Arrow's C interface on import)."""
    raw = b"".join(struct.pack("<I4sII", length, head, buffer, start) for length, head, buffer, start in views)
    return pa.Array.from_buffers(pa.string_view(), len(views), [None, pa.py_buffer(raw), pa.py_buffer(data)])


def test_string_views_are_read_as_they_are_and_checked():
    """polars hands its strings over as string views: columns of words are read from the views
    themselves, the others cast. A view that points outside its buffers is the column's error
    on both paths (never a read past the buffer); bytes after a short text in its view (which
    Arrow says are zeros) are not part of the text; text that is not UTF-8 is an error naming
    the column and the row."""
    ledger_data, *_ = _core.simulate(11, 40, 3)
    ledger = ledger_data.to_arrow().slice(0, 2)
    outside = _views((2, b"T1\0\0", 0, 0), (20, b"abcd", 0, 1000))
    bad_buffer = _views((2, b"T1\0\0", 0, 0), (14, b"abcd", 3, 0))
    for column in ["trade_id", "terminal", "merchant_no", "channel", "kind"]:
        for broken_views in [outside, bad_buffer]:
            broken = ledger.set_column(ledger.schema.get_field_index(column), column, broken_views)
            for by_rows in [False, True]:
                outcome = convert(broken, "ledger", "raise", by_rows)
                assert outcome == ("type error", f"column `{column}` of the ledger: a string view points outside its buffers"), outcome
    # Bytes after the text in a short view: the text alone, as pyarrow reads it.
    padded = _views((8, b"T000", 0, 0), (8, b"T000", 0, 0))
    padded_raw = bytearray(padded.buffers()[1].to_pybytes())
    padded_raw[4:12], padded_raw[16 + 4 : 16 + 16] = b"T0000001", b"T0000001XYZW"
    padded = pa.Array.from_buffers(pa.string_view(), 2, [None, pa.py_buffer(bytes(padded_raw)), pa.py_buffer(b"")])
    assert padded.to_pylist() == ["T0000001", "T0000001"]
    for column in ["terminal", "trade_id"]:
        table = ledger.set_column(ledger.schema.get_field_index(column), column, padded)
        if column == "trade_id":
            # Two rows of one trade id: a duplicate, which the ledger reports.
            table = table.set_column(table.schema.get_field_index("trade_id"), "trade_id", pa.array(["A1", "A2"], pa.string_view()))
            table = table.set_column(table.schema.get_field_index("terminal"), "terminal", padded)
        rows, issues = convert(table, "ledger", "raise", False)
        assert [row["terminal"] for row in rows] == ["T0000001", "T0000001"]
        assert convert(table, "ledger", "raise", True) == (rows, issues)
    # Text that is not UTF-8, in a view and in a buffer.
    ledger = ledger_data.to_arrow()
    rows = ledger.num_rows
    for column, value in [("terminal", "T0000001"), ("merchant_no", "102310058120001"), ("kind", "purchase")]:
        raw = [value.encode()] * rows
        raw[rows - 2] = raw[rows - 2][:-2] + b"\xff\xfe"
        bad = pa.array(raw, pa.binary_view()).view(pa.string_view())
        broken = ledger.set_column(ledger.schema.get_field_index(column), column, bad)
        for by_rows in [False, True]:
            outcome = convert(broken, "ledger", "raise", by_rows)
            assert outcome[0] == "error" and f"column `{column}`" in outcome[2] and "not UTF-8" in outcome[2], outcome
            assert f"line {rows - 1}" in outcome[2] or f"row {rows - 1}" in outcome[2], outcome[2]


def test_polars_frames_read_as_pyarrow_tables():
    """A polars DataFrame (string views through Arrow's C stream) reconciles as the same
    tables from pyarrow do."""
    import polars as pl
    ledger_data, statement_data, merchant, name, terminals, _ = _core.simulate(13, 3000, 3)
    ledger, statement = ledger_data.to_arrow(), statement_data.to_arrow()
    frames = pl.from_arrow(ledger), pl.from_arrow(statement)
    assert pa.table(frames[0]).schema.field("terminal").type == pa.string_view()
    for table, frame, side in [(ledger, frames[0], "ledger"), (statement, frames[1], "statement")]:
        assert convert(pa.table(frame), side, "raise", False) == convert(table, side, "raise", False)
    schedule = posfee.Schedule.preset("sft-traditional")
    run = lambda l, s: posfee.reconcile(l, s, schedule, merchant=merchant, merchant_name=name, terminals=terminals, progress=False)
    assert run(*frames).rows.to_pylist() == run(ledger, statement).rows.to_pylist()


def test_table_quotes_read_string_views_and_polars_frames_alike():
    """fee_table and quote_table read a string view channel as a string one (the same fees and
    errors), a polars DataFrame as the pyarrow table it came from; a view's text that is not
    UTF-8, or a view outside its buffers, is the table's error naming the column."""
    import polars as pl

    schedule = posfee.Schedule.preset("sft-traditional")
    channels = ["credit", "debit", "wechat", "visa", None, "a channel name too long for a key", "信用卡信用卡"] * 30
    trades = pa.table(
        {
            "amount": pa.array([f"{100 + k}.{k % 100:02d}" for k in range(len(channels))]),
            "channel": pa.array(channels, pa.string()),
            "time": pa.array(["2026-05-06 10:00:00"] * len(channels)),
            "settlement": pa.array(["T1", "D0", None, "T9"] * (len(channels) // 4) + ["T1"] * (len(channels) % 4)),
        }
    )
    viewed = trades.set_column(1, "channel", trades["channel"].cast(pa.string_view()))
    viewed = viewed.set_column(3, "settlement", trades["settlement"].cast(pa.string_view()))
    for method in ["fee_table", "quote_table"]:
        price = getattr(schedule, method)
        expected = price(trades, on_invalid="report")
        added = [name for name in expected.column_names if name not in trades.column_names]
        assert price(viewed, on_invalid="report").select(added).equals(expected.select(added)), method
        frame = price(pl.from_arrow(trades), on_invalid="report")
        assert isinstance(frame, pl.DataFrame)
        assert frame.select(added).rows() == [tuple(row.values()) for row in expected.select(added).to_pylist()], method
    raw = [c.encode() if c else None for c in channels]
    raw[37] = b"cr\xffdit"
    bad = pa.array(raw, pa.binary_view()).view(pa.string_view())
    outside = _views((2, b"cr\0\0", 0, 0), (20, b"abcd", 0, 1000))
    for table, problem in [(viewed.set_column(1, "channel", bad), "not UTF-8"), (viewed.slice(0, 2).set_column(1, "channel", outside), "outside its buffers")]:
        try:
            schedule.fee_table(table, on_invalid="report")
        except (posfee.PosfeeError, TypeError) as error:
            assert "column `channel`" in str(error) and problem in str(error), str(error)
            assert problem != "not UTF-8" or "row 37" in str(error) or "line 38" in str(error), str(error)
        else:
            raise AssertionError("fee_table read a bad string view column")


def test_dictionaries_are_read_by_their_keys_and_checked():
    """Dictionary columns (pandas' categoricals, polars' Categorical) read as the texts they
    stand for, whatever their keys' type; a key outside the dictionary (pyarrow does not check
    `from_arrays(..., safe=False)`, nor Arrow's C interface) is an error naming the column,
    never a read past the values."""
    import pandas as pd

    ledger_data, statement_data, merchant, name, terminals, _ = _core.simulate(17, 2000, 3)
    ledger, statement = ledger_data.to_arrow(), statement_data.to_arrow()
    words = {"ledger": ["terminal", "merchant_no", "channel", "card_type", "kind", "response_code"],
             "statement": ["merchant_no", "merchant_name", "terminal", "channel", "kind"]}
    for side, table in [("ledger", ledger), ("statement", statement)]:
        expected = convert(table, side, "raise", False)
        for index_type in [pa.int8(), pa.uint16(), pa.int32(), pa.uint64()]:
            encoded = table
            for column in words[side]:
                dictionary = table[column].combine_chunks().dictionary_encode()
                if column == "merchant_name" or index_type == pa.int8() and len(dictionary.dictionary) > 127:
                    continue
                encoded = encoded.set_column(encoded.schema.get_field_index(column), column,
                                             pa.DictionaryArray.from_arrays(dictionary.indices.cast(index_type), dictionary.dictionary))
            assert convert(encoded, side, "raise", False) == expected, (side, index_type)
    # pandas categoricals, as a finance script makes them.
    frame = ledger.to_pandas()
    for column in words["ledger"]:
        frame[column] = frame[column].astype("category")
    assert convert(pa.Table.from_pandas(frame, preserve_index=False), "ledger", "raise", False) == convert(ledger, "ledger", "raise", False)
    # A key outside the dictionary.
    small = ledger.slice(0, 3)
    keys = [pa.array([0, 7, 0], pa.int32()), pa.array([0, -1, 0], pa.int8()), pa.array([0, 2**63 + 5, 0], pa.uint64())]
    for column in ["terminal", "channel", "trade_id"]:
        for bad_keys in keys:
            bad = pa.DictionaryArray.from_arrays(bad_keys, pa.array(["T1", "credit"]), safe=False)
            broken = small.set_column(small.schema.get_field_index(column), column, bad)
            for by_rows in [False, True]:
                outcome = convert(broken, "ledger", "raise", by_rows)
                assert outcome == ("type error", f"column `{column}` of the ledger: a dictionary key outside its values"), outcome

import datetime as dt
import re
from decimal import Decimal

import pyarrow as pa
import pytest

import posfee

MERCHANT = "102310058120001"


@pytest.fixture(scope="module")
def sample():
    return posfee.simulate(seed=11, trades=3000, faults_per_class=2)


def run(ledger, statement, sample, **options):
    return posfee.reconcile(
        ledger,
        statement,
        "sft-traditional",
        merchant=sample["merchant"],
        merchant_name=sample["merchant_name"],
        terminals=sample["terminals"],
        **options,
    )


def comparable(report):
    return report.rows.drop_columns(["line"]).to_pylist()


def test_reconcile_from_pyarrow(sample):
    report = run(sample["ledger"], sample["statement"], sample)
    summary = report.summary
    assert summary["ledger_rows"] == sample["ledger"].num_rows
    assert summary["statement_rows"] == sample["statement"].num_rows
    assert isinstance(summary["ledger_amount"], Decimal)
    assert isinstance(report.rows, pa.Table)
    assert report.rows.num_rows == len(report) == sample["ledger"].num_rows + sample["statement"].num_rows
    classes = {row["class"]: row for row in summary["classes"]}
    assert classes["ok"]["ledger_rows"] > 2500
    found = set(report.rows.column("class").to_pylist())
    assert {"fee_above", "never_settled", "merchant_differs", "no_ledger_trade"} <= found
    assert summary["overcharge"] > 0
    # conservation: every input row in exactly one class
    assert sum(c["ledger_rows"] for c in summary["classes"]) == summary["ledger_rows"]
    assert sum(c["statement_rows"] for c in summary["classes"]) == summary["statement_rows"]
    assert "fee_above" in report.table()


def test_declined_by_code_and_by_action(sample):
    summary = run(sample["ledger"], sample["statement"], sample).summary
    declined = summary["declined"]
    assert declined, "the sample declines some trades"
    for count in declined:
        meaning = count["meaning"]
        assert {"code", "zh", "en", "known", "acquirer_specific", "approved", "declined_by", "action"} <= meaning.keys()
        assert isinstance(count["amount"], Decimal)
        assert meaning["approved"] is False
    by_action = summary["declined_by_action"]
    assert sum(group["trades"] for group in by_action) == sum(count["trades"] for count in declined)
    assert sum(group["amount"] for group in by_action) == sum(count["amount"] for count in declined)
    codes_by_action = {}
    for count in declined:
        codes_by_action.setdefault(count["meaning"]["action"], []).append(count["meaning"]["code"])
    assert {group["action"]: group["codes"] for group in by_action} == {k: sorted(v) for k, v in codes_by_action.items()}


def test_same_result_from_every_front_end(sample):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    expected = comparable(run(sample["ledger"], sample["statement"], sample))
    ledger_pd, statement_pd = sample["ledger"].to_pandas(), sample["statement"].to_pandas()
    assert isinstance(ledger_pd, pd.DataFrame)
    assert comparable(run(ledger_pd, statement_pd, sample)) == expected
    ledger_pl, statement_pl = pl.from_arrow(sample["ledger"]), pl.from_arrow(sample["statement"])
    assert comparable(run(ledger_pl, statement_pl, sample)) == expected
    reader = pa.RecordBatchReader.from_batches(sample["ledger"].schema, sample["ledger"].to_batches(max_chunksize=500))
    assert comparable(run(reader, sample["statement"], sample)) == expected
    batch = sample["statement"].combine_chunks().to_batches()[0]
    assert comparable(run(sample["ledger"], batch, sample)) == expected


def test_report_conversions(sample):
    report = run(sample["ledger"], sample["statement"], sample)
    frame = report.to_pandas()
    assert len(frame) == report.rows.num_rows
    assert isinstance(frame["amount"].iloc[0], Decimal)
    polars_frame = report.to_polars()
    assert polars_frame.height == report.rows.num_rows
    # One report schema everywhere: the CSV has the columns of `rows`, in the same order
    # (issue 10 item 11: trade_id, rrn and terminal were missing from the CSV).
    assert report.to_csv().splitlines()[0].split(",") == report.rows.column_names
    assert '"summary"' in report.to_json()[:200]


def test_files(tmp_path, sample):
    import pyarrow.parquet as pq

    ledger_path, statement_path = tmp_path / "ledger.parquet", tmp_path / "statement.parquet"
    pq.write_table(sample["ledger"], ledger_path)
    pq.write_table(sample["statement"], statement_path)
    expected = comparable(run(sample["ledger"], sample["statement"], sample))
    assert comparable(run(ledger_path, str(statement_path), sample)) == expected
    # canonical CSVs written by the core
    ledger_data, statement_data, *_ = posfee._core.simulate(11, 3000, 2)
    (tmp_path / "ledger.csv").write_text(ledger_data.to_csv(), encoding="utf-8")
    (tmp_path / "statement.csv").write_text(statement_data.to_csv(), encoding="utf-8")
    from_csv = run(tmp_path / "ledger.csv", tmp_path / "statement.csv", sample)
    assert from_csv.summary["ledger_rows"] == len(ledger_data)
    assert from_csv.summary["statement_rows"] == len(statement_data)


def test_progress_bar(sample, capsys):
    run(sample["ledger"], sample["statement"], sample, progress=True)
    err = capsys.readouterr().err
    assert "%|" in err and "rows" in err and "100%" in err
    run(sample["ledger"], sample["statement"], sample, progress=False)
    assert capsys.readouterr().err == ""


# -- malformed tables ------------------------------------------------------------------------


def ledger_table(**columns):
    base = {
        "trade_id": ["A1", "A2"],
        "rrn": ["612610000001", "612610000002"],
        "terminal": ["T0000001", "T0000001"],
        "time": ["2026-05-06 10:00:00", "2026-05-06 11:00:00"],
        "amount": pa.array([Decimal("100.00"), Decimal("250.50")], pa.decimal128(18, 2)),
        "channel": ["credit", "debit"],
    }
    base.update(columns)
    return pa.table({k: v for k, v in base.items() if v is not None})


def statement_table(**columns):
    base = {
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


def simple(ledger, statement, **options):
    return posfee.reconcile(ledger, statement, "sft-traditional", merchant=MERCHANT, **options)


def test_small_tables_reconcile():
    report = simple(ledger_table(), statement_table())
    assert report.rows.column("class").to_pylist() == ["ok"] * 4
    # int yuan and naive timestamps work too
    ledger = ledger_table(amount=[100, 250], time=pa.array([dt.datetime(2026, 5, 6, 10), dt.datetime(2026, 5, 6, 11)]))
    assert simple(ledger, statement_table(amount=["100.00", "250.00"], fee=["0.60", "1.38"])).rows.num_rows == 4


@pytest.mark.parametrize("column", ["trade_id", "time", "amount", "channel"])
def test_missing_ledger_column(column):
    with pytest.raises(posfee.InvalidRecordError) as info:
        simple(ledger_table(**{column: None}), statement_table())
    assert f"`{column}`" in str(info.value) and info.value.field == column


@pytest.mark.parametrize("column", ["settlement_date", "time", "amount", "fee", "channel"])
def test_missing_statement_column(column):
    with pytest.raises(posfee.InvalidRecordError) as info:
        simple(ledger_table(), statement_table(**{column: None}))
    assert f"`{column}`" in str(info.value)


def test_float_money_column_is_a_type_error():
    with pytest.raises(TypeError, match="never a float"):
        simple(ledger_table(amount=[100.0, 250.5]), statement_table())
    with pytest.raises(TypeError, match="never a float"):
        simple(ledger_table(), statement_table(fee=[0.6, 1.38]))


@pytest.mark.parametrize(
    "columns, match",
    [
        ({"trade_id": [1, 2]}, "trade_id"),
        ({"rrn": [612610000001, 612610000002]}, "rrn"),
        ({"time": [1.5, 2.5]}, "time"),
        ({"channel": [True, False]}, "channel"),
    ],
)
def test_wrong_column_types(columns, match):
    with pytest.raises(TypeError, match=match):
        simple(ledger_table(**columns), statement_table())


@pytest.mark.parametrize(
    "columns, field, error",
    [
        ({"amount": pa.array([Decimal("100.00"), None], pa.decimal128(18, 2))}, "amount", posfee.InvalidRecordError),
        ({"time": ["2026-05-06 10:00:00", None]}, "time", posfee.InvalidRecordError),
        ({"channel": ["credit", None]}, "channel", posfee.InvalidRecordError),
        ({"trade_id": ["A1", None]}, "trade_id", posfee.InvalidRecordError),
        ({"amount": ["100.00", "-5"]}, "amount", posfee.InvalidAmountError),
        ({"amount": ["100.00", "1.001"]}, "amount", posfee.InvalidAmountError),
        ({"amount": ["100.00", "NaN"]}, "amount", posfee.InvalidAmountError),
        ({"channel": ["credit", "visa"]}, "channel", posfee.InvalidChannelError),
        ({"time": ["2026-05-06 10:00:00", "not a time"]}, "time", posfee.InvalidDateError),
        ({"kind": ["purchase", "swap"]}, "kind", posfee.InvalidRecordError),
    ],
)
def test_bad_values_name_row_and_column(columns, field, error):
    with pytest.raises(error) as info:
        simple(ledger_table(**columns), statement_table())
    assert info.value.line == 2, str(info.value)
    assert info.value.field == field, str(info.value)
    assert isinstance(info.value, posfee.PosfeeError)


def test_bad_rows_can_be_reported_instead():
    report = simple(ledger_table(amount=["100.00", "oops"]), statement_table(), on_invalid="report")
    classes = report.rows.column("class").to_pylist()
    assert classes.count("unreadable") == 1
    assert report.summary["unreadable_rows"] == 1
    assert report.rows.num_rows == 4  # 1 ledger + 2 statement + 1 unreadable: nothing dropped
    with pytest.raises(ValueError, match="on_invalid"):
        simple(ledger_table(), statement_table(), on_invalid="ignore")


def test_other_bad_arguments(tmp_path):
    with pytest.raises(TypeError, match="DataFrame"):
        simple([{"trade_id": "A1"}], statement_table())
    with pytest.raises(posfee.UnknownPresetError):
        posfee.reconcile(ledger_table(), statement_table(), "nope", merchant=MERCHANT)
    with pytest.raises(posfee.PosfeeError):
        posfee.reconcile(ledger_table(), statement_table(), "sft-traditional", merchant="123")
    with pytest.raises(TypeError):
        posfee.reconcile(ledger_table(), statement_table(), "sft-traditional", merchant=102310058120001)  # type: ignore[arg-type]
    with pytest.raises(posfee.IoError):
        simple(tmp_path / "missing.csv", statement_table())


def test_gil_is_released_during_reconcile():
    """A Python thread makes progress *inside* the reconcile call, not only around it.

    The inputs are the core's own tables (no conversion from Arrow, which runs Python code
    and would let the ticker run even with the GIL held). The ticker stamps each tick with
    the time it ran; with the GIL held for the whole call, no tick can run in the middle half
    of the call, so the assertion fails."""
    import threading
    import time

    ledger, statement, merchant, name, terminals, _ = posfee._core.simulate(3, 200_000, 3)
    stamps = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            stamps.append(time.perf_counter())
            time.sleep(0.0005)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        time.sleep(0.01)
        start = time.perf_counter()
        report = posfee.reconcile(ledger, statement, "sft-traditional", merchant=merchant, merchant_name=name, terminals=terminals)
        end = time.perf_counter()
    finally:
        stop.set()
        thread.join()
    assert len(report) == len(ledger) + len(statement) + 2  # one garbled line a side
    duration = end - start
    assert duration > 0.02, f"reconcile took {duration * 1000:.1f} ms: too short to tell"
    middle = [t for t in stamps if start + duration / 4 < t < end - duration / 4]
    # At one tick per 0.5–1 ms, the middle half of a call of 20+ ms has 10+ ticks when the
    # GIL is released; none when it is held.
    assert len(middle) >= 5, f"{len(middle)} ticks in the middle of a {duration * 1000:.1f} ms reconcile"


def test_amounts_are_conserved_by_class(sample):
    """Every input amount, fee and net lands in exactly one class: the class totals add up to
    the sums of the input tables, to the fen."""
    report = run(sample["ledger"], sample["statement"], sample)
    summary = report.summary
    ledger, statement = sample["ledger"], sample["statement"]

    def total(table, column):
        return sum((Decimal(str(v)) for v in table.column(column).to_pylist() if v is not None), Decimal(0))

    ledger_amount, statement_amount = total(ledger, "amount"), total(statement, "amount")
    statement_fee, statement_net = total(statement, "fee"), total(statement, "net")
    assert summary["ledger_amount"] == ledger_amount
    assert summary["statement_amount"] == statement_amount
    assert summary["statement_fee"] == statement_fee
    assert summary["statement_net"] == statement_net
    classes = summary["classes"]
    assert sum(c["ledger_amount"] for c in classes) == ledger_amount
    assert sum(c["statement_amount"] for c in classes) == statement_amount
    assert sum(c["statement_fee"] for c in classes) == statement_fee
    assert sum(c["statement_net"] for c in classes) == statement_net
    # Row by row: the rows table's amounts add up per class to the summary's.
    rows = report.rows.to_pylist()
    for c in classes:
        side_amount = sum((r["amount"] for r in rows if r["class"] == c["class"] and r["side"] == "statement"), Decimal(0))
        assert side_amount == c["statement_amount"], c["class"]


def test_every_row_lands_in_the_class_of_the_answer_key():
    """Ground truth: the simulation's answer key names the class of every row."""
    sample = posfee.simulate(seed=11, trades=3000, faults_per_class=2)
    report = run(sample["ledger"], sample["statement"], sample)
    key = sample["key"]
    for row in report.rows.to_pylist():
        if row["index"] is None:
            continue
        expected = key[row["side"]].get(row["index"], "ok")
        assert row["class"] == expected, row


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_arrow_round_trip_is_lossless(seed):
    """Core columns → Arrow → core columns gives the same report as the core columns."""
    ledger_data, statement_data, merchant, name, terminals, _ = posfee._core.simulate(seed, 2000, 2)
    options = dict(merchant=merchant, merchant_name=name, terminals=terminals)
    direct = posfee.reconcile(ledger_data, statement_data, "sft-traditional", **options).rows
    via_arrow = posfee.reconcile(ledger_data.to_arrow(), statement_data.to_arrow(), "sft-traditional", **options).rows
    readable = direct.filter(pa.compute.not_equal(direct["class"], "unreadable"))

    def without_lines(table):
        # line numbers are those of the source (the simulated files count a header line)
        rows = table.drop_columns(["line"]).to_pylist()
        for row in rows:
            row["reason"] = re.sub(r" \(line \d+\)", "", row["reason"])
        return rows

    assert without_lines(readable) == without_lines(via_arrow)


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(
    amount=st.text(max_size=12),
    time=st.text(max_size=25),
    channel=st.text(max_size=10),
    kind=st.sampled_from(["purchase", "void", "refund", "", "x"]),
)
def test_any_cell_values_give_a_report_or_a_posfee_error(amount, time, channel, kind):
    ledger = ledger_table(amount=["100.00", amount], time=["2026-05-06 10:00:00", time], channel=["credit", channel], kind=["purchase", kind])
    try:
        report = simple(ledger, statement_table())
    except posfee.PosfeeError as error:
        assert error.code and error.line == 2
    else:
        assert report.rows.num_rows == 4
    reported = simple(ledger, statement_table(), on_invalid="report")
    assert reported.rows.num_rows == 4  # never dropped


def test_batches_keep_row_numbers_and_every_bad_row():
    """Rows go in batch by batch (three record batches here, longer than the rows a batch
    samples before it reserves room); bad rows anywhere keep their row numbers."""
    n = 600
    amounts = ["1.00"] * n
    amounts[5] = "1.001"
    kinds = ["purchase"] * n
    kinds[300] = "void"  # without original_rrn
    times = ["2026-05-06 10:00:00"] * n
    times[599] = "2300-01-01 00:00:00"
    table = ledger_table(
        trade_id=[f"A{i}" for i in range(n)],
        rrn=[f"{612610000000 + i}" for i in range(n)],
        terminal=[" T0000001 "] * n,
        time=times,
        amount=amounts,
        channel=["credit"] * n,
        kind=kinds,
    )
    batched = pa.Table.from_batches(table.to_batches(max_chunksize=250))
    assert len(batched.to_batches()) == 3
    data = posfee._reconcile._ledger_from_arrow(batched, "ledger", "report")
    assert len(data) == n - 3
    assert [re.search(r"line (\d+)", issue).group(1) for issue in data.issues] == ["6", "301", "600"]
    rows = data.to_arrow()
    assert rows.column("trade_id")[5].as_py() == "A6" and set(rows.column("terminal").to_pylist()) == {"T0000001"}
    with pytest.raises(posfee.InvalidAmountError) as info:
        posfee._reconcile._ledger_from_arrow(batched, "ledger", "raise")
    assert (info.value.line, info.value.field) == (6, "amount")


# -- refunds and voids without a `net` column (issue 10 item 5) -------------------------------


def refund_tables(kind: str):
    """A ¥100 purchase and a ¥40 refund or void of it; the statement has no `net` column."""
    ledger = ledger_table(
        trade_id=["A1", "R1"],
        amount=pa.array([Decimal("100.00"), Decimal("40.00")], pa.decimal128(18, 2)),
        channel=["credit", "credit"],
        kind=["purchase", kind],
        original_rrn=["", "612610000001"],
    )
    statement = statement_table(amount=["100.00", "40.00"], fee=["0.60", "0.00"], channel=["credit", "credit"], kind=["purchase", kind])
    assert "net" not in statement.column_names
    return ledger, statement


@pytest.mark.parametrize("kind", ["refund", "void"])
@pytest.mark.parametrize("by_rows", [False, True])
def test_refund_without_net_column_has_a_signed_net(kind, by_rows):
    ledger, statement = refund_tables(kind)
    read = posfee._reconcile._statement_from_arrow(statement, by_rows=by_rows)
    nets = read.to_arrow().column("net").to_pylist()
    assert nets == [Decimal("99.40000"), Decimal("-40.00000")]  # amount − fee; −amount − fee
    report = simple(posfee._reconcile._ledger_from_arrow(ledger), read)
    findings = [f for f in report.rows.column("findings").to_pylist() if f]
    assert "net_differs" not in ";".join(findings), report.rows.column("reason").to_pylist()


def test_refund_net_is_the_same_from_a_table_and_a_file(tmp_path):
    ledger, statement = refund_tables("refund")
    from_table = posfee._reconcile._statement_from_arrow(statement)
    path = tmp_path / "statement.csv"
    path.write_text(from_table.to_csv(), encoding="utf-8")
    from_file = posfee._core.read_statement(str(path), "bank")
    assert from_file.to_arrow().column("net") == from_table.to_arrow().column("net")


# -- on_invalid with file inputs (issue 10 item 9) -------------------------------------------


def test_on_invalid_applies_to_files(tmp_path):
    ledger_csv = posfee._reconcile._ledger_from_arrow(ledger_table()).to_csv().splitlines()
    ledger_csv[2] = ledger_csv[2].replace("250.50", "2.505")
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(ledger_csv) + "\n", encoding="utf-8")
    with pytest.raises(posfee.InvalidAmountError) as info:
        simple(path, statement_table())
    assert (info.value.line, info.value.file) == (3, str(path))
    report = simple(path, statement_table(), on_invalid="report")
    assert report.summary["unreadable_rows"] == 1
    assert report.rows.num_rows == 1 + 2 + 1  # nothing dropped
    with pytest.raises(posfee.InvalidRequestError, match="'raise' or 'report'"):
        simple(path, statement_table(), on_invalid="bogus")


# -- the end of the holiday data (issue 10 item 4) -------------------------------------------


def test_year_end_trade_is_unchecked_not_a_fee_finding(tmp_path):
    """A correct trade on the last day of the data settles in a year without data: its
    settlement date cannot be checked (class unchecked), it is never an extra fee; with the
    next year's holiday file loaded it is ok."""
    ledger = ledger_table(time=["2026-12-31 10:00:00"] * 2)
    statement = statement_table(time=["2026-12-31 10:00:00"] * 2, settlement_date=["2027-01-04"] * 2)
    if posfee.Calendar.china().years[1] != 2026:
        pytest.skip("the embedded holiday data reaches beyond 2026")
    report = simple(ledger, statement)
    assert report.rows.column("class").to_pylist() == ["unchecked"] * 4
    assert len(report.summary["warnings"]) == 1 and "2026-12-31" in report.summary["warnings"][0]
    next_year = tmp_path / "2027.json"
    next_year.write_text('{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}', encoding="utf-8")
    calendar = posfee.Calendar.china().with_years_from_file(next_year)
    assert simple(ledger, statement, calendar=calendar).rows.column("class").to_pylist() == ["ok"] * 4


def test_rows_of_many_parts_and_their_pandas_types():
    pd = pytest.importorskip("pandas")
    # More than 65,536 rows: the rows are built in parts (one batch each, own dictionaries).
    sample = posfee.simulate(seed=11, trades=40_000)
    report = posfee.reconcile(
        sample["ledger"], sample["statement"], "sft-traditional", merchant=sample["merchant"], merchant_name=sample["merchant_name"], terminals=sample["terminals"]
    )
    rows = report.rows
    assert rows.num_rows == len(report) > 65_536
    assert len(rows.to_batches()) >= 2
    assert pa.types.is_dictionary(rows.schema.field("class").type)
    frame = report.to_pandas()
    # Few-valued texts are categoricals with unique categories; money stays exact decimals;
    # nullable integers stay integers (never float); the values are those of the rows.
    for column in ("side", "class", "findings", "matched_by", "reason"):
        assert isinstance(frame[column].dtype, pd.CategoricalDtype), column
        assert frame[column].cat.categories.is_unique, column
        assert frame[column].astype(object).where(frame[column].notna(), None).tolist() == rows.column(column).to_pylist(), column
    for column in ("amount", "fee", "net", "expected_fee"):
        assert pa.types.is_decimal(frame[column].dtype.pyarrow_dtype), column
    assert frame["fee"].dropna().map(type).eq(Decimal).all()
    assert str(frame["partner"].dtype) == "uint64[pyarrow]"
    assert frame["fee"].sum() == sum(v for v in rows.column("fee").to_pylist() if v is not None)


def test_a_statement_file_reads_as_its_bytes(tmp_path):
    sample = posfee.simulate(seed=12, trades=3_000)
    data = posfee._core.simulate(12, 3_000, 3)[1].to_csv()  # the statement as a bank CSV
    path = tmp_path / "statement.csv"
    path.write_text(data, encoding="utf-8")
    from_file = posfee.read_statement(path, format="bank-pos")
    from_bytes = posfee.read_statement(path.read_bytes(), format="bank-pos", name=str(path))
    assert from_file.equals(from_bytes)
    assert from_file.num_rows == len(sample["statement"])


# -- registered limits and business hours (issue 16 part 5) ----------------------------------


def limits_ledger():
    return ledger_table(
        trade_id=["A1", "A2", "A3"],
        rrn=["612610000001", "612610000002", "612610000003"],
        terminal=["T0000001"] * 3,
        time=["2026-05-06 10:00:00", "2026-05-06 11:00:00", "2026-05-06 23:30:00"],
        amount=pa.array([Decimal("150000.00"), Decimal("45000.00"), Decimal("8000.00")], pa.decimal128(18, 2)),
        channel=["credit"] * 3,
        response_code=["00", "00", "61"],
    )


def test_limits_explain_declines_and_list_near_days(tmp_path):
    path = tmp_path / "limits.toml"
    path.write_text('business_hours = "08:00-22:00"\n[[limits]]\nchannels = ["credit"]\nper_day = "200000"\n', encoding="utf-8")
    report = simple(limits_ledger(), statement_table(), limits=path)
    reasons = report.rows.column("reason").to_pylist()
    assert "the day's credit total would have reached ¥203,000.00, above the ¥200,000.00 per-day limit" in reasons[2]
    assert "outside the registered business hours 08:00–22:00" in reasons[2]
    (near,) = report.summary["near_limits"]
    assert (near["period"], near["kind"], near["channels"], near["trades"]) == ("2026-05-06", "per_day", ["credit"], 2)
    assert (near["amount"], near["limit_amount"]) == (Decimal("195000.00"), Decimal("200000.00"))
    assert "near a limit: 2026-05-06 per_day" in report.table()
    # The same limits as a preset name; none: no explanation, no list.
    assert simple(limits_ledger(), statement_table(), limits="personal-micro-merchant").summary["near_limits"][0]["kind"] == "per_day"
    plain = simple(limits_ledger(), statement_table())
    assert plain.summary["near_limits"] == [] and "per-day limit" not in plain.rows.column("reason").to_pylist()[2]


def test_bad_limits_raise_naming_file_and_field(tmp_path):
    path = tmp_path / "limits.toml"
    path.write_text('[[limits]]\nper_transaction = "0"\n', encoding="utf-8")
    with pytest.raises(posfee.InvalidRequestError) as info:
        simple(limits_ledger(), statement_table(), limits=str(path))
    assert (info.value.file, info.value.field) == (str(path), "limits[0].per_transaction")
    with pytest.raises(posfee.UnknownPresetError):
        simple(limits_ledger(), statement_table(), limits="gold-merchant")
    with pytest.raises(TypeError, match="limits must be"):
        simple(limits_ledger(), statement_table(), limits=200000)

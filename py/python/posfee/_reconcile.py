"""Bulk reconciliation of a merchant's ledger against an acquirer's statement.

Inputs are tables in the canonical schema (pandas or polars DataFrames, pyarrow Tables,
RecordBatches or RecordBatchReaders, or anything with the Arrow PyCapsule interface
``__arrow_c_stream__``) or files. Arrow data crosses into the Rust core without a Python
loop, a column at a time (the text of a one-chunk ``string`` column is shared with Arrow's
buffers, not copied), and the GIL is released while rows are converted and reconciled.

Ledger columns (the merchant's own records):

=================  ========  ==========================================================
column             required  type
=================  ========  ==========================================================
``trade_id``       yes       string: the merchant's id of the trade
``time``           yes       timestamp (tz-aware: that instant; naive: China time), date
                             (midnight China time) or ISO 8601 string
``amount``         yes       decimal (exact), string, or integer yuan; never float
``channel``        yes       string: credit, debit, wechat, alipay, unionpay_qr, ...
``rrn``            no        string: reference number (参考号); matching key
``terminal``       no        string: terminal id (终端号)
``trace``          no        string: voucher number (凭证号)
``merchant_no``    no        string
``card_type``      no        string: credit / debit (UnionPay QR above ¥1000)
``kind``           no        string: purchase (default), void, refund
``response_code``  no        string: ISO 8583 field 39, ``00`` approved (default)
``original_rrn``   no        string: for voids and refunds, the purchase's reference
=================  ========  ==========================================================

Statement columns (the acquirer's settlement file): ``settlement_date`` (date or string),
``time``, ``amount``, ``fee`` (decimal or string, up to 5 decimals, negative when a fee is
returned), ``channel`` (required); ``net`` (signed effect on the account), ``rrn``,
``terminal``, ``merchant_no``, ``merchant_name``, ``kind`` (optional).

For tables, an error's ``line`` is the 1-based row number.
"""

from __future__ import annotations

import json
import os
import sys
import time as _time
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Sequence, TextIO, Union

from posfee import _core
from posfee._calendar import Calendar
from posfee._schedule import Schedule

PathLike = Union[str, "os.PathLike[str]"]
TableLike = Any
"""pandas.DataFrame, polars.DataFrame, pyarrow.Table / RecordBatch / RecordBatchReader,
any object with ``__arrow_c_stream__``, or a file path."""

_MONEY_KEYS = frozenset(
    {
        "ledger_amount",
        "statement_amount",
        "statement_fee",
        "statement_net",
        "expected_fee",
        "charged_fee",
        "overcharge",
        "undercharge",
        "amount",
        "fee",
    }
)

_ARROW_SUFFIXES = (".parquet", ".arrow", ".feather", ".ipc")


def _decimals(value: Any, key: Optional[str] = None) -> Any:
    """The summary JSON with money (strings under money keys) as Decimal."""
    if isinstance(value, dict):
        return {k: _decimals(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v, key) for v in value]
    if isinstance(value, str) and key in _MONEY_KEYS:
        return Decimal(value)
    return value


class Report:
    """The result of :func:`reconcile`: every input row in exactly one class, with a reason.

    - ``summary``: a dict of counts and sums per class, expected vs charged fees, the
      overcharge, effective rates per day and channel, merchant numbers per terminal
      (money as ``Decimal``);
    - ``rows``: a ``pyarrow.Table`` with one row per input row (ledger rows, then statement
      rows, then unreadable lines): ``side``, ``index``, ``line``, ``trade_id``, ``rrn``,
      ``terminal``, ``class``, ``findings``, ``partner``, ``matched_by``, ``amount``,
      ``fee``, ``net``, ``expected_fee`` (decimals) and ``reason``.
    """

    __slots__ = ("_native", "_summary", "_rows")

    def __init__(self, native: _core.ReportData) -> None:
        if not isinstance(native, _core.ReportData):
            raise TypeError("a Report comes from posfee.reconcile()")
        self._native = native
        self._summary: Optional[Dict[str, Any]] = None
        self._rows: Any = None

    @property
    def summary(self) -> Dict[str, Any]:
        if self._summary is None:
            self._summary = _decimals(json.loads(self._native.summary_json()))
        return self._summary

    @property
    def rows(self) -> Any:
        if self._rows is None:
            self._rows = self._native.rows()
        return self._rows

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame (money columns hold ``decimal.Decimal``)."""
        return self.rows.to_pandas()

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame (money columns are ``polars.Decimal``)."""
        import polars

        frame = polars.from_arrow(self.rows)
        assert isinstance(frame, polars.DataFrame)
        return frame

    def table(self) -> str:
        """The summary as a readable text table."""
        return self._native.table()

    def to_csv(self) -> str:
        """The rows as CSV text."""
        return self._native.to_csv()

    def write_csv(self, path: PathLike) -> None:
        """Writes the rows as CSV (UTF-8)."""
        with open(os.fspath(path), "w", encoding="utf-8", newline="") as file:
            file.write(self._native.to_csv())

    def to_json(self) -> str:
        """Summary and rows as JSON (money as strings)."""
        return self._native.to_json()

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        summary = self.summary
        return f"<Report ledger_rows={summary['ledger_rows']} statement_rows={summary['statement_rows']} rows={len(self)}>"


class _Progress:
    """A tqdm-style progress bar on stderr: ``reconcile  62%|██████▏   | 620000/1000000 rows [00:01<00:00]``."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = max(total, 1)
        self.stream = stream
        self.start = _time.monotonic()
        self.last = 0.0
        self.done = 0

    def update(self, stage: str, done: int, force: bool = False) -> None:
        self.done = done
        now = _time.monotonic()
        if not force and now - self.last < 0.1:
            return
        self.last = now
        fraction = min(1.0, done / self.total)
        width = 25
        full = int(fraction * width)
        partial = " ▏▎▍▌▋▊▉"[int((fraction * width - full) * 8)] if full < width else ""
        bar = ("█" * full + partial).ljust(width)
        elapsed = now - self.start
        rate = done / elapsed if elapsed > 0 else 0.0
        remaining = (self.total - done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r{stage:<9} {fraction * 100:3.0f}%|{bar}| {done}/{self.total} rows "
            f"[{_clock(elapsed)}<{_clock(remaining)}, {rate:,.0f} rows/s]"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


def _row_count(data: Any) -> Optional[int]:
    for attribute in ("num_rows", "height"):
        value = getattr(data, attribute, None)
        if isinstance(value, int):
            return value
    try:
        return len(data)
    except TypeError:
        return None


def _arrow(data: Any) -> Any:
    """Something the native module reads as Arrow (PyCapsule interface)."""
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        import pyarrow

        return pyarrow.Table.from_pandas(data, preserve_index=False)
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        return data
    raise TypeError(
        f"expected a pandas or polars DataFrame, a pyarrow Table/RecordBatch/RecordBatchReader, "
        f"an object with __arrow_c_stream__, or a file path, not {type(data).__name__}"
    )


def _read_arrow_file(path: str) -> Any:
    import pyarrow

    if path.endswith(".parquet"):
        import pyarrow.parquet

        return pyarrow.parquet.read_table(path)
    import pyarrow.feather

    return pyarrow.feather.read_table(path)


def _sniff_statement(path: str) -> str:
    with open(path, "rb") as file:
        head = file.read(4096)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("gbk", errors="replace")
    first_lines = "\n".join(text.lstrip().splitlines()[:3])
    if "`" in first_lines or first_lines.startswith("微信支付"):
        return "wechat"
    if first_lines.startswith("#"):
        return "alipay"
    return "bank"


def _is_table(data: Any) -> bool:
    return not isinstance(data, (str, os.PathLike, _core.LedgerData, _core.StatementData))


def _ledger(data: Any, on_invalid: str, progress: Optional[Callable[[str, int], None]]) -> _core.LedgerData:
    if isinstance(data, _core.LedgerData):
        return data
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        if path.endswith(_ARROW_SUFFIXES):
            return _core.ledger_from_arrow(_read_arrow_file(path), path, on_invalid, progress)
        return _core.read_ledger_csv(path)
    return _core.ledger_from_arrow(_arrow(data), "ledger", on_invalid, progress)


def _statement(data: Any, statement_format: str, on_invalid: str, progress: Optional[Callable[[str, int], None]]) -> _core.StatementData:
    if isinstance(data, _core.StatementData):
        return data
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        if path.endswith(_ARROW_SUFFIXES):
            return _core.statement_from_arrow(_read_arrow_file(path), path, on_invalid, progress)
        file_format = _sniff_statement(path) if statement_format == "auto" else statement_format
        return _core.read_statement(path, file_format)
    return _core.statement_from_arrow(_arrow(data), "statement", on_invalid, progress)


_PROGRESS_MIN_ROWS = 200_000


def reconcile(
    ledger: TableLike,
    statement: TableLike,
    schedule: Union[Schedule, str],
    *,
    merchant: str,
    merchant_name: str = "",
    terminals: Optional[Sequence[str]] = None,
    merchant_class: Optional[str] = None,
    settlement: str = "T1",
    calendar: Optional[Calendar] = None,
    provisional: bool = False,
    match_window_seconds: int = 120,
    statement_format: str = "auto",
    on_invalid: str = "raise",
    progress: Optional[bool] = None,
) -> Report:
    """Matches the merchant's ``ledger`` against the acquirer's ``statement`` and checks
    every pair against the contracted ``schedule`` and the registered ``merchant`` number.

    ``ledger`` and ``statement`` are DataFrames (pandas, polars), pyarrow data, anything
    with ``__arrow_c_stream__``, or file paths (ledger CSV; bank CSV, WeChat bill or
    Alipay CSV statements, ``statement_format`` ``auto`` sniffs which; ``.parquet`` and
    ``.arrow`` files). ``schedule`` is a :class:`Schedule` or a preset name.

    A missing column or a column of the wrong type raises (``InvalidRecordError`` /
    ``TypeError``); a row with a bad value raises ``InvalidRecordError`` (or another
    ``PosfeeError``) naming the row and column, unless ``on_invalid="report"``, which keeps
    it as an ``unreadable`` row of the report. Rows are never dropped.

    ``progress``: ``True`` always shows a progress bar on stderr, ``False`` never, ``None``
    shows it when stderr is a terminal and the inputs have over 200,000 rows.
    """
    if isinstance(schedule, str):
        schedule = Schedule.preset(schedule)
    if not isinstance(schedule, _core.Schedule):
        raise TypeError(f"schedule must be a posfee.Schedule or a preset name, not {type(schedule).__name__}")
    if not isinstance(merchant, str):
        raise TypeError(f"merchant must be the merchant number as a str, not {type(merchant).__name__}")
    if isinstance(terminals, str):
        raise TypeError("terminals must be a list of terminal ids, not a str")
    total = (_row_count(ledger) or 0) + (_row_count(statement) or 0)
    show = progress if progress is not None else (sys.stderr.isatty() and total >= _PROGRESS_MIN_ROWS)
    bar = _Progress(total, sys.stderr) if show else None
    offsets = {"ledger": 0, "statement": _row_count(ledger) or 0}

    def tick(stage: str, rows: int) -> None:
        if bar is not None:
            bar.update(stage, offsets.get(stage, 0) + rows)

    callback = tick if bar is not None else None
    try:
        if _is_table(ledger) and _is_table(statement):
            # Both sides converted at once, on two threads (GIL released).
            ledger_data, statement_data = _core.tables_from_arrow(_arrow(ledger), _arrow(statement), on_invalid, callback)
        else:
            ledger_data = _ledger(ledger, on_invalid, callback)
            statement_data = _statement(statement, statement_format, on_invalid, callback)
        if bar is not None:
            bar.total = max(len(ledger_data) + len(statement_data), 1)
            bar.update("reconcile", len(ledger_data) + len(statement_data) - 1, force=True)
        native = _core.reconcile_data(
            ledger_data,
            statement_data,
            schedule,
            merchant,
            merchant_name,
            list(terminals or []),
            merchant_class,
            settlement,
            calendar,
            provisional,
            match_window_seconds,
        )
        if bar is not None:
            bar.update("done", bar.total, force=True)
    finally:
        if bar is not None:
            bar.close()
    return Report(native)


def simulate(seed: int = 42, trades: int = 5000, faults_per_class: int = 3) -> Dict[str, Any]:
    """A seeded simulated month of trades with injected faults of every class, for demos,
    tests and benchmarks: ``ledger`` and ``statement`` (pyarrow Tables), ``merchant``,
    ``merchant_name``, ``terminals``."""
    ledger, statement, merchant, name, terminals = _core.simulate(seed, trades, faults_per_class)
    return {
        "ledger": ledger.to_arrow(),
        "statement": statement.to_arrow(),
        "merchant": merchant,
        "merchant_name": name,
        "terminals": terminals,
    }


__all__: List[str] = ["Report", "reconcile", "simulate"]

"""Bulk reconciliation of a merchant's ledger against an acquirer's statement.

Inputs are tables in the canonical schema (pandas or polars DataFrames, pyarrow Tables,
RecordBatches or RecordBatchReaders, or anything with the Arrow PyCapsule interface
``__arrow_c_stream__``) or files. Arrow data crosses into the Rust core without a Python
loop, a column at a time (the text of a one-chunk ``string`` column is shared with Arrow's
buffers, not copied; terminals, merchant numbers and names, batches and response codes are
held once a distinct value), and the GIL is released while rows are converted and reconciled.

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
from typing import Any, Callable, Dict, List, Optional, Sequence, TextIO, Tuple, Union

from posfee import _core
from posfee._calendar import Calendar
from posfee._errors import FloatAmountError, InvalidAmountError, InvalidRecordError, InvalidRequestError, IoError
from posfee._schedule import Schedule
from posfee.shapes import Dispute, FormatInfo, MarginFinding, Margins, Sample, Skipped, Summary, typed

PathLike = Union[str, "os.PathLike[str]"]
TableLike = Any
"""pandas.DataFrame, polars.DataFrame, pyarrow.Table / RecordBatch / RecordBatchReader,
any object with ``__arrow_c_stream__``, or a file path."""

_ARROW_SUFFIXES = (".parquet", ".arrow", ".feather", ".ipc")


def _write_text(path: PathLike, text: str) -> None:
    """Writes `text` to `path` (UTF-8, line ends as given); a file that cannot be written
    raises ``IoError`` naming it."""
    path = os.fspath(path)
    try:
        with open(path, "w", encoding="utf-8", newline="") as file:
            file.write(text)
    except OSError as error:
        raise IoError(f"cannot write {path}: {error.strerror or error}", file=path) from error


class Report:
    """The result of :func:`reconcile`: every input row in exactly one class, with a reason.

    - ``summary``: a dict of counts and sums per class, expected vs charged fees, the
      overcharge, declined trades by response code (``declined``: each code's meaning, who
      declined and what to do) and by what to do (``declined_by_action``), effective rates
      per day and channel, merchant numbers per terminal (money as ``Decimal``);
    - ``rows``: a ``pyarrow.Table`` with one row per input row (ledger rows, then statement
      rows, then unreadable lines): ``side``, ``index``, ``line``, ``trade_id``, ``rrn``,
      ``terminal``, ``class``, ``findings``, ``partner``, ``matched_by``, ``amount``,
      ``fee``, ``net``, ``expected_fee`` (decimals), ``reason``, and for a purchase charged
      otherwise than contracted what it was charged as: ``charged_rate`` (text such as
      ``0.68%``), ``charged_fixed`` and ``charged_cap`` (decimals);
    - ``summary["findings"]``: what the acquirer did to many trades (a rate rise from a day,
      a fixed add-on, a cap not applied, another merchant class, later settlement, 跳码), in
      Chinese (``zh``) and English (``en``), largest money first;
    - :meth:`dispute`: the list to send the acquirer (HTML page, CSV or dict).

    A report pickles (multiprocessing, Dask and Spark workers) as its results: the summary,
    the rows tables, and the texts of :meth:`table`, :meth:`to_csv`, :meth:`to_json` and
    :meth:`dispute` in every format and language, all made when it is pickled; the copy
    answers every method as the original did. For a report of millions of rows, send
    ``report.rows`` and ``report.summary`` instead.
    """

    __slots__ = ("_native", "_summary", "_rows", "_deposits")

    def __init__(self, native: "Union[_core.ReportData, _PickledReportData]", deposits: Any = None) -> None:
        if not isinstance(native, (_core.ReportData, _PickledReportData)):
            raise TypeError("a Report comes from posfee.reconcile()")
        self._native = native
        self._summary: Optional[Summary] = None
        self._rows: Any = None
        self._deposits = deposits

    @property
    def deposits(self) -> Any:
        """With ``bank_statement=`` given to :func:`reconcile`: the
        :class:`~posfee.DepositReport` of the statement against the bank statement (did the
        payouts reach the account); else ``None``."""
        return self._deposits

    @property
    def summary(self) -> Summary:
        """The totals, classes, findings and merchants (:class:`posfee.shapes.Summary`: money
        as ``Decimal``)."""
        if self._summary is None:
            self._summary = typed(json.loads(self._native.summary_json()), Summary)
        return self._summary

    @property
    def rows(self) -> Any:
        if self._rows is None:
            self._rows = self._native.rows()
        return self._rows

    def rows_in(self, lang: str = "en") -> Any:
        """The rows as a ``pyarrow.Table`` with the reasons in ``lang`` (``"en"`` or ``"zh"``;
        :attr:`rows` is English)."""
        if lang == "en":
            return self.rows
        return self._native.rows(lang)

    def to_pandas(self, lang: str = "en") -> Any:
        """The rows as a pandas DataFrame, the reasons in ``lang`` (``"en"`` or ``"zh"``).

        Money columns stay exact Arrow decimals (``decimal128[pyarrow]``: each value is a
        ``decimal.Decimal``, sums are exact), texts and integers are Arrow-backed columns
        (nullable integers stay integers, never float), and the few-valued columns (side,
        terminal, class, findings, matched_by, reason, merchant_no, agent) are categoricals.
        Nothing is copied into millions of Python objects, so this takes a fraction of the
        reconciliation's time.
        """
        import pandas
        import pyarrow

        def arrow_backed(kind: Any) -> Any:
            if pyarrow.types.is_dictionary(kind):
                return None  # a categorical
            return pandas.ArrowDtype(kind)

        return self.rows_in(lang).to_pandas(types_mapper=arrow_backed)

    def to_polars(self, lang: str = "en") -> Any:
        """The rows as a polars DataFrame (money columns are ``polars.Decimal``), the reasons
        in ``lang`` (``"en"`` or ``"zh"``)."""
        import polars

        frame = polars.from_arrow(self.rows_in(lang))
        assert isinstance(frame, polars.DataFrame)
        return frame

    def table(self, lang: str = "en") -> str:
        """The summary as a readable text table, in ``lang`` (``"en"`` or ``"zh"``)."""
        return self._native.table(lang)

    def to_csv(self, lang: str = "en") -> str:
        """The rows as CSV text, the reasons in ``lang`` (``"en"`` or ``"zh"``)."""
        return self._native.to_csv(lang)

    def write_csv(self, path: PathLike, lang: str = "en") -> None:
        """Writes the rows as CSV (UTF-8): the text of :meth:`to_csv`. A file that cannot be
        written (a missing folder, no permission) raises ``IoError`` naming it."""
        _write_text(path, self._native.to_csv(lang))

    def to_json(self) -> str:
        """Summary and rows as JSON (money as strings)."""
        return self._native.to_json()

    def dispute(self, format: str = "html", lang: str = "zh") -> Any:
        """The dispute list: for each finding the trades behind it (date, terminal, reference
        number, amount, charged fee, contracted fee, difference) and their totals, then the
        other trades charged above the contract. ``format`` is ``html`` (a printable page,
        every text escaped), ``csv`` (text) or ``dict`` (money as ``Decimal``); ``lang`` is
        ``zh`` or ``en``. Another format or language raises ``InvalidRequestError``."""
        if format == "dict":
            dispute: Dispute = typed(json.loads(self._native.dispute("json", lang)), Dispute)
            return dispute
        return self._native.dispute(format, lang)

    def write_dispute(self, path: PathLike, lang: str = "zh") -> None:
        """Writes the dispute list: a printable HTML page for a ``.html`` name, CSV for ``.csv``."""
        path = os.fspath(path)
        text = self._native.dispute(_core.dispute_format(path), lang)
        try:
            with open(path, "w", encoding="utf-8", newline="") as file:
                file.write(text)
        except OSError as error:
            raise IoError(f"cannot write {path}: {error.strerror or error}", file=path) from error

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        summary = self.summary
        return f"<Report ledger_rows={summary['ledger_rows']} statement_rows={summary['statement_rows']} rows={len(self)}>"

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:
        return (_report_from_pickle, (_PickledReportData.state_of(self._native), self._deposits))


_DISPUTE_FORMATS = ("html", "csv")
_LANGS = ("en", "zh")


class _PickledReportData:
    """What a pickled :class:`Report` keeps of its native data: every result the native
    report gives, made when it was pickled (the same methods as ``_core.ReportData``)."""

    __slots__ = ("_state",)

    def __init__(self, state: Dict[str, Any]) -> None:
        self._state = state

    @staticmethod
    def state_of(native: "Union[_core.ReportData, _PickledReportData]") -> Dict[str, Any]:
        if isinstance(native, _PickledReportData):
            return native._state
        return {
            "summary_json": native.summary_json(),
            "table": {lang: native.table(lang) for lang in _LANGS},
            "csv": {lang: native.to_csv(lang) for lang in _LANGS},
            "rows": {lang: native.rows(lang) for lang in _LANGS},
            "json": native.to_json(),
            "len": len(native),
            "dispute": {
                **{(format, lang): native.dispute(format, lang) for format in _DISPUTE_FORMATS for lang in _LANGS},
                ("json", ""): native.dispute("json", "zh"),
            },
        }

    def _in(self, key: str, lang: str) -> Any:
        if lang not in _LANGS:
            raise InvalidRequestError(f"unknown language {lang!r} (zh or en)", field="lang")
        return self._state[key][lang]

    def summary_json(self) -> str:
        return str(self._state["summary_json"])

    def table(self, lang: str = "en") -> str:
        return str(self._in("table", lang))

    def to_csv(self, lang: str = "en") -> str:
        return str(self._in("csv", lang))

    def to_json(self) -> str:
        return str(self._state["json"])

    def __len__(self) -> int:
        return int(self._state["len"])

    def rows(self, lang: str = "en") -> Any:
        return self._in("rows", lang)

    def dispute(self, format: str, lang: str) -> str:
        texts: Dict[Tuple[str, str], str] = self._state["dispute"]
        if lang not in _LANGS:
            raise InvalidRequestError(f"unknown language {lang!r} (zh or en)", field="lang")
        if format == "json":
            return texts[("json", "")]
        if format not in _DISPUTE_FORMATS:
            raise InvalidRequestError(f"unknown dispute list format {format!r} (html or csv)", field="format")
        return texts[(format, lang)]


def _report_from_pickle(state: Dict[str, Any], deposits: Any) -> Report:
    return Report(_PickledReportData(state), deposits)


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


def _arrow(data: Any, side: str) -> Any:
    """Something the native module reads as Arrow (PyCapsule interface)."""
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return _pandas_to_arrow(data, side)
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        return data
    raise TypeError(
        f"expected a pandas or polars DataFrame, a pyarrow Table/RecordBatch/RecordBatchReader, "
        f"an object with __arrow_c_stream__, or a file path, not {type(data).__name__}"
    )


_MONEY_COLUMNS = frozenset({"amount", "fee", "net"})
_TIME_COLUMNS = frozenset({"time", "settlement_date"})
_CANONICAL_COLUMNS = _MONEY_COLUMNS | _TIME_COLUMNS | frozenset(
    {
        "trade_id",
        "channel",
        "rrn",
        "terminal",
        "trace",
        "merchant_no",
        "merchant_name",
        "card_type",
        "kind",
        "response_code",
        "original_rrn",
    }
)
_DECIMAL_DIGITS_MAX = 40
"""Digits before (or zeros after) the point beyond which a Decimal is not written out."""


def _pandas_to_arrow(frame: Any, side: str) -> Any:
    """A pandas DataFrame as a pyarrow Table. Columns that pyarrow cannot take as they are
    (an object column of mixed types, ``Decimal('Infinity')`` among decimals) are converted
    value by value into text the core reads (``Decimal`` written out exactly), so that the
    core checks each value and names its row; a float among money is ``FloatAmountError``,
    any other value of the wrong type ``InvalidRecordError``, both naming row and column."""
    import pyarrow

    failures = (pyarrow.ArrowException, ValueError, TypeError, OverflowError)
    names = [str(name) for name in frame.columns]
    duplicated = next((name for n, name in enumerate(names) if name in names[:n]), None)
    if duplicated is not None:
        raise InvalidRecordError(f"the {side} has the column `{duplicated}` more than once", field=duplicated)
    try:
        table = pyarrow.Table.from_pandas(frame, preserve_index=False)
    except failures:
        pass
    else:
        return _keep_decimal_nan(table, frame, side)
    arrays, kept = [], []
    for position, name in enumerate(names):
        series = frame.iloc[:, position]
        try:
            arrays.append(pyarrow.array(series, from_pandas=True))
        except failures:
            if name not in _CANONICAL_COLUMNS:
                continue  # never read: a column posfee does not know cannot be wrong
            arrays.append(pyarrow.array(_column_text(side, name, series), type=pyarrow.string()))
        kept.append(name)
    return pyarrow.table(arrays, names=kept)


def _keep_decimal_nan(table: Any, frame: Any, side: str) -> Any:
    """pyarrow turns ``Decimal('NaN')`` into null: a money column of objects with nulls where
    the frame has a Decimal goes to the core as text instead, which names the NaN."""
    import pyarrow

    for position, name in enumerate(table.column_names):
        if name not in _MONEY_COLUMNS or table.column(position).null_count == 0:
            continue
        series = frame.iloc[:, position]
        if series.dtype != object:
            continue
        nulls = table.column(position).is_null().to_numpy(zero_copy_only=False)
        if any(isinstance(value, Decimal) for value in series[nulls].tolist()):
            text = pyarrow.array(_column_text(side, name, series), type=pyarrow.string())
            table = table.set_column(position, name, text)
    return table


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return value != value  # NaN marks a missing value in a pandas object column
    return repr(value) in ("NaT", "<NA>", "nan")


def _column_text(side: str, name: str, series: Any) -> List[Optional[str]]:
    """The values of an object column as text for the core (``None`` for missing values)."""
    import numbers

    texts: List[Optional[str]] = []
    for row, value in enumerate(series.tolist(), start=1):
        if name in _MONEY_COLUMNS and isinstance(value, Decimal):
            texts.append(_decimal_text(value, name, side, row))
        elif _is_missing(value):
            texts.append(None)
        elif isinstance(value, str):
            texts.append(value)
        elif name in _MONEY_COLUMNS and isinstance(value, numbers.Integral) and not isinstance(value, bool):
            texts.append(str(int(value)))
        elif name in _MONEY_COLUMNS and isinstance(value, numbers.Real) and not isinstance(value, bool):
            raise FloatAmountError(
                f"`{name}` {value!r} is a float ({type(value).__qualname__}), and money is never a float in posfee "
                f"(floats are not accepted): binary floating point cannot hold most decimal amounts exactly; "
                f"use decimal.Decimal or str values",
                file=side,
                line=row,
                field=name,
            )
        elif name in _TIME_COLUMNS and hasattr(value, "isoformat") and not isinstance(value, bool):
            texts.append(value.isoformat())
        else:
            expected = {True: "a decimal.Decimal, str or int", False: "a str"}[name in _MONEY_COLUMNS]
            if name in _TIME_COLUMNS:
                expected = "a datetime, date or ISO 8601 str"
            raise InvalidRecordError(
                f"`{name}` {_shorten(repr(value))} is a {type(value).__qualname__}, not {expected}",
                file=side,
                line=row,
                field=name,
            )
    return texts


def _decimal_text(value: Decimal, name: str, side: str, row: int) -> str:
    """A Decimal's exact text without an exponent (the core names NaN and Infinity itself)."""
    if not value.is_finite():
        return str(value)
    if value.adjusted() >= _DECIMAL_DIGITS_MAX:
        raise InvalidAmountError(f"`{name}` {value} is out of range (too large)", file=side, line=row, field=name)
    if value.adjusted() <= -_DECIMAL_DIGITS_MAX:
        raise InvalidAmountError(f"`{name}` {value} has more decimal places than money has", file=side, line=row, field=name)
    return format(value, "f")


def _shorten(text: str) -> str:
    return text if len(text) <= 80 else text[:80] + "…"


def _read_arrow_file(path: str) -> Any:
    import pyarrow

    try:
        if path.lower().endswith(".parquet"):
            import pyarrow.parquet

            return pyarrow.parquet.read_table(path)
        import pyarrow.feather

        return pyarrow.feather.read_table(path)
    except (OSError, pyarrow.ArrowException) as error:
        detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        kind = "Parquet" if path.lower().endswith(".parquet") else "Arrow IPC"
        raise IoError(f"cannot read {path} as {kind}: {_shorten(detail)}", file=path) from error


def _is_table(data: Any) -> bool:
    return not isinstance(data, (str, os.PathLike, _core.LedgerData, _core.StatementData))


def _ledger_from_arrow(
    data: Any,
    name: str = "ledger",
    on_invalid: str = "raise",
    progress: Optional[Callable[[str, int], None]] = None,
    by_rows: bool = False,
) -> _core.LedgerData:
    """A ledger from Arrow data, named ``name`` in errors: one side of ``_core.tables_from_arrow``."""
    ledger = _core.tables_from_arrow(data, None, on_invalid, progress, (name, ""), by_rows)[0]
    assert ledger is not None
    return ledger


def _statement_from_arrow(
    data: Any,
    name: str = "statement",
    on_invalid: str = "raise",
    progress: Optional[Callable[[str, int], None]] = None,
    by_rows: bool = False,
) -> _core.StatementData:
    """A statement from Arrow data, named ``name`` in errors: one side of ``_core.tables_from_arrow``."""
    statement = _core.tables_from_arrow(None, data, on_invalid, progress, ("", name), by_rows)[1]
    assert statement is not None
    return statement


def _ledger(data: Any, on_invalid: str, progress: Optional[Callable[[str, int], None]]) -> _core.LedgerData:
    if isinstance(data, _core.LedgerData):
        return data
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        if path.lower().endswith(_ARROW_SUFFIXES):
            return _ledger_from_arrow(_read_arrow_file(path), path, on_invalid, progress)
        return _core.read_ledger_csv(path, on_invalid)
    return _ledger_from_arrow(_arrow(data, "ledger"), "ledger", on_invalid, progress)


def _statement(data: Any, statement_format: str, on_invalid: str, progress: Optional[Callable[[str, int], None]]) -> _core.StatementData:
    if isinstance(data, _core.StatementData):
        return data
    if isinstance(data, (str, os.PathLike)):
        path = os.fspath(data)
        if path.lower().endswith(_ARROW_SUFFIXES):
            return _statement_from_arrow(_read_arrow_file(path), path, on_invalid, progress)
        return _core.read_statement(path, statement_format, on_invalid)
    return _statement_from_arrow(_arrow(data, "statement"), "statement", on_invalid, progress)


_PROGRESS_MIN_ROWS = 200_000


def _csv_text(table: TableLike, what: str) -> str:
    """A small table (registry, agents) as CSV text, every cell as text, for the core's reader."""
    import csv as _csv
    import io as _io

    arrow = _arrow(table, what)
    if hasattr(arrow, "read_all"):
        arrow = arrow.read_all()
    names = list(arrow.column_names)
    columns = [arrow.column(name).to_pylist() for name in names]
    text = _io.StringIO()
    writer = _csv.writer(text, lineterminator="\n")
    writer.writerow(names)
    for row in zip(*columns):
        writer.writerow(["" if value is None else str(value) for value in row])
    return text.getvalue()


class Registry:
    """A service agent's merchants: one row per contract of a merchant over a period —
    ``merchant_no`` and ``schedule`` (a preset name or a schedule file) required; ``name``,
    ``terminals`` (separated by ``;`` or spaces), ``settlement``, ``merchant_class``,
    ``agent``, ``from`` and ``until`` (trade dates) and ``limits`` (a limits preset or a limits
    ``.toml`` file: the merchant's own limits and hours, which explain its declines 61/65)
    optional. Validated on load: a terminal
    or merchant with two contracts in force at once, an unknown schedule, class, settlement
    or date, or a malformed merchant number raises ``InvalidRecordError`` naming the row and
    the field. Give it to :func:`reconcile` as ``merchants=`` to check every row against its
    own merchant's contract."""

    __slots__ = ("_native",)

    def __init__(self, native: "_core.RegistryData") -> None:
        if not isinstance(native, _core.RegistryData):
            raise TypeError("a Registry comes from Registry.read_csv() or Registry.from_table()")
        self._native = native

    @classmethod
    def read_csv(cls, path: PathLike) -> "Registry":
        """Reads a registry CSV file (schedule files relative to its folder)."""
        return cls(_core.load_registry("file", os.fspath(path)))

    @classmethod
    def from_table(cls, table: TableLike, folder: Optional[PathLike] = None) -> "Registry":
        """A registry from a DataFrame (pandas, polars) or pyarrow table with the columns of
        the CSV layout; every cell is read as text (row numbers in errors count the header as
        line 1, as in a file). Schedule files are relative to ``folder``."""
        return cls(_core.load_registry("csv", _csv_text(table, "merchants"), "merchants table", None if folder is None else os.fspath(folder)))

    def __len__(self) -> int:
        return len(self._native)

    @property
    def merchants(self) -> List[str]:
        """The distinct merchant numbers, sorted."""
        return self._native.merchants()

    def __repr__(self) -> str:
        return f"<Registry contracts={len(self)} merchants={len(self.merchants)}>"

    def __reduce__(self) -> Tuple[Any, Tuple[str]]:
        # Pickles as the core's portable form: every contract, and each schedule as its TOML
        # (no schedule file needed where it is unpickled).
        return (_registry_from_portable, (self._native.to_portable(),))


def _registry_from_portable(text: str) -> Registry:
    return Registry(_core.load_registry("portable", text))


class Agents:
    """A service agent's tree: one row per agent — ``agent`` and ``cost_schedule`` (the price
    it pays upstream: a preset name or a schedule file) required, ``parent`` (empty: the top)
    and ``name`` optional. Validated on load (a repeated agent, an unknown parent, a cycle, a
    tree deeper than 16 levels raise ``InvalidRecordError`` naming the row and field)."""

    __slots__ = ("_native",)

    def __init__(self, native: "_core.AgentsData") -> None:
        if not isinstance(native, _core.AgentsData):
            raise TypeError("Agents come from Agents.read_csv() or Agents.from_table()")
        self._native = native

    @classmethod
    def read_csv(cls, path: PathLike) -> "Agents":
        """Reads an agents CSV file (schedule files relative to its folder)."""
        return cls(_core.load_agents("file", os.fspath(path)))

    @classmethod
    def from_table(cls, table: TableLike, folder: Optional[PathLike] = None) -> "Agents":
        """Agents from a DataFrame or pyarrow table with the columns of the CSV layout."""
        return cls(_core.load_agents("csv", _csv_text(table, "agents"), "agents table", None if folder is None else os.fspath(folder)))

    def __len__(self) -> int:
        return len(self._native)

    def __reduce__(self) -> Tuple[Any, Tuple[str]]:
        # Pickles as the core's portable form (each cost schedule as its TOML).
        return (_agents_from_portable, (self._native.to_portable(),))


def _agents_from_portable(text: str) -> Agents:
    return Agents(_core.load_agents("portable", text))


def margins(
    trades: TableLike,
    *,
    merchants: Union[Registry, PathLike, TableLike],
    agents: Union[Agents, PathLike, TableLike],
    on_invalid: str = "raise",
) -> Margins:
    """Each agent's margin (分润) on the approved purchases of ``trades`` (a ledger: table or
    CSV path): the merchant's fee under its contract in ``merchants``, each level's cost
    under its cost schedule in ``agents``, and the differences. Returns ``rows`` (a
    pyarrow Table made in the core, one row per trade and level, the columns of
    ``shapes.MarginRow``: ``date`` a ``date32``, the amount ``decimal128(18, 2)``, fees, costs
    and margins ``decimal128(20, 5)``, merchant, channel and agent dictionary-encoded),
    ``by_agent``, ``by_merchant``, ``by_month`` (lists of totals), ``merchant_fee`` =
    ``top_cost`` + ``margin`` (``Decimal``), ``skipped`` (trades that could not be priced, with
    why) and ``findings`` (negative margins, zh and en)."""
    registry = merchants if isinstance(merchants, Registry) else (
        Registry.read_csv(merchants) if isinstance(merchants, (str, os.PathLike)) else Registry.from_table(merchants)
    )
    tree = agents if isinstance(agents, Agents) else (
        Agents.read_csv(agents) if isinstance(agents, (str, os.PathLike)) else Agents.from_table(agents)
    )
    _core.check_on_invalid(on_invalid)
    ledger = _ledger(trades, on_invalid, None)
    text, rows = _core.margins_data(ledger, registry._native, tree._native)
    raw = json.loads(text)
    raw.pop("rows")  # (empty: the rows come as the table)
    skipped = [Skipped(row=row, reason=why) for row, why in raw.pop("skipped")]
    findings = [MarginFinding(zh=zh, en=en) for zh, en in raw.pop("findings")]
    report: Margins = typed(raw, Margins)
    report["rows"] = rows
    report["skipped"] = skipped
    report["findings"] = findings
    return report


def reconcile(
    ledger: TableLike,
    statement: TableLike,
    schedule: Union[Schedule, str, None] = None,
    *,
    merchant: Optional[str] = None,
    merchants: Union[Registry, PathLike, TableLike, None] = None,
    merchant_name: str = "",
    terminals: Optional[Sequence[str]] = None,
    merchant_class: Optional[str] = None,
    settlement: str = "T1",
    calendar: Optional[Calendar] = None,
    provisional: bool = False,
    match_window_seconds: int = 120,
    limits: Union[str, "os.PathLike[str]", None] = None,
    statement_format: str = "auto",
    on_invalid: str = "raise",
    progress: Optional[bool] = None,
    bank_statement: Union[str, "os.PathLike[str]", bytes, None] = None,
    bank_format: str = "auto",
) -> Report:
    """Matches the merchant's ``ledger`` against the acquirer's ``statement`` and checks
    every pair against the contracted ``schedule`` and the registered ``merchant`` number.

    ``ledger`` and ``statement`` are DataFrames (pandas, polars), pyarrow data, anything
    with ``__arrow_c_stream__``, or file paths (ledger CSV; bank CSV, WeChat bill or
    Alipay CSV statements, ``statement_format`` ``auto`` sniffs which; ``.parquet`` and
    ``.arrow`` files). ``schedule`` is a :class:`Schedule` or a preset name.

    A missing column or a column of the wrong type raises (``InvalidRecordError`` /
    ``TypeError``; money as floats ``FloatAmountError``); a row of a table or a line of a
    file with a bad value raises ``InvalidRecordError`` (or another ``PosfeeError``) naming
    the row or line and the column, unless ``on_invalid="report"``, which keeps it as an
    ``unreadable`` row of the report. Any other ``on_invalid`` is ``InvalidRequestError``.
    Rows are never dropped.

    ``limits``: the merchant's registered limits and business hours, a preset name
    (``"personal-micro-merchant"``, ``"personal-static-code"``) or the path of a limits
    ``.toml`` file (the form of ``posfee reconcile --limits``). Declines 61 and 65 then name
    the limit they reached, declines outside the hours say so, and ``summary["near_limits"]``
    lists the days and months within 10% of a limit.

    ``progress``: ``True`` always shows a progress bar on stderr, ``False`` never, ``None``
    shows it when stderr is a terminal and the inputs have over 200,000 rows.

    ``bank_statement`` (a path or the file's bytes, read with ``bank_format``): the
    merchant's bank statement as a third input; the report's ``deposits`` is then the
    :func:`~posfee.reconcile_deposits` check of the statement against it (default options,
    the same calendar and ``on_invalid``).

    A service agent's portfolio: ``merchants`` (a :class:`Registry`, a registry CSV path or
    a table) replaces ``schedule``, ``merchant`` and the other contract arguments; every row
    is checked against its own merchant's contract in force on its trade date, the rows
    carry ``merchant_no`` and ``agent``, and ``summary["merchants"]`` has each merchant's
    totals.
    """
    registry = None
    if merchants is not None:
        if schedule is not None or merchant is not None or limits is not None:
            raise InvalidRequestError("give merchants, or a schedule and a merchant (and limits), not both", field="merchants")
        if isinstance(merchants, Registry):
            registry = merchants._native
        elif isinstance(merchants, (str, os.PathLike)):
            registry = Registry.read_csv(merchants)._native
        else:
            registry = Registry.from_table(merchants)._native
    else:
        if schedule is None or merchant is None:
            raise InvalidRequestError("reconcile needs a schedule and a merchant, or merchants", field="merchants")
        if isinstance(schedule, str):
            schedule = Schedule.preset(schedule)
        if not isinstance(schedule, _core.Schedule):
            raise TypeError(f"schedule must be a posfee.Schedule or a preset name, not {type(schedule).__name__}")
        if not isinstance(merchant, str):
            raise TypeError(f"merchant must be the merchant number as a str, not {type(merchant).__name__}")
    if isinstance(terminals, str):
        raise TypeError("terminals must be a list of terminal ids, not a str")
    if limits is not None and not isinstance(limits, (str, os.PathLike)):
        raise TypeError(f"limits must be a preset name or a path, not {type(limits).__name__}")
    if not isinstance(on_invalid, str):
        raise TypeError(f"on_invalid must be 'raise' or 'report', not {type(on_invalid).__name__}")
    _core.check_on_invalid(on_invalid)
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
            both = _core.tables_from_arrow(_arrow(ledger, "ledger"), _arrow(statement, "statement"), on_invalid, callback)
            assert both[0] is not None and both[1] is not None  # both sides were given
            ledger_data, statement_data = both[0], both[1]
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
            None if limits is None else os.fspath(limits),
            registry,
        )
        if bar is not None:
            bar.update("done", bar.total, force=True)
    finally:
        if bar is not None:
            bar.close()
    deposits = None
    if bank_statement is not None:
        from posfee._deposits import reconcile_deposits

        deposits = reconcile_deposits(statement_data, bank_statement, bank_format=bank_format, calendar=calendar, on_invalid=on_invalid)
    return Report(native, deposits)


def simulate(seed: int = 42, trades: int = 5000, faults_per_class: int = 3) -> Sample:
    """A seeded simulated month of trades with injected faults of every class, for demos,
    tests and benchmarks: ``ledger`` and ``statement`` (pyarrow Tables), ``merchant``,
    ``merchant_name``, ``terminals``, and the answer key ``key``: ``{"ledger": {row: class},
    "statement": {row: class}}`` for every row not expected to be ``ok``."""
    ledger, statement, merchant, name, terminals, (ledger_key, statement_key) = _core.simulate(seed, trades, faults_per_class)
    return {
        "ledger": ledger.to_arrow(),
        "statement": statement.to_arrow(),
        "merchant": merchant,
        "merchant_name": name,
        "terminals": terminals,
        "key": {"ledger": dict(ledger_key), "statement": dict(statement_key)},
    }


def read_statement(source: Union[str, "os.PathLike[str]", bytes], format: str = "auto", on_invalid: str = "raise", name: Optional[str] = None) -> Any:
    """Reads a statement file (a path, or the file's bytes) into a pyarrow Table of the
    canonical statement columns (``settlement_date``, ``merchant_no``, ``merchant_name``,
    ``terminal``, ``rrn``, ``time``, ``amount``, ``fee``, ``net``, ``channel``, ``kind``,
    ``line``), money as ``decimal128``, with the same rules as every other posfee surface.

    ``format`` is ``"auto"`` (the core names the shipped format that fits the file), a name
    from :func:`formats`, or the path of a ``.toml`` format profile of your own. A line that
    cannot be read raises (``InvalidRecordError`` and its kin, naming file, line, column and
    field) unless ``on_invalid="report"``, which keeps the readable rows and lists the others
    under the table's ``posfee.issues`` metadata (one line each)."""
    data = _core.read_statement(source, format, on_invalid, name)
    table = data.to_arrow()
    issues = data.issues
    if issues:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"posfee.issues": "\n".join(issues).encode()})
    return table


def formats() -> List[FormatInfo]:
    """The shipped statement formats: ``name``, ``title`` and ``source`` (where the layout
    comes from), in the order ``format="auto"`` tries them."""
    return _core.formats()


__all__: List[str] = ["Report", "formats", "read_statement", "reconcile", "simulate"]

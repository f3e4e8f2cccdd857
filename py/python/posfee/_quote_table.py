"""Quoting whole tables of trades and comparing offers on them.

A table of trades has the canonical columns (the same as ``posfee quote --file``):

=================  ========  ==========================================================
column             required  type
=================  ========  ==========================================================
``amount``         yes       decimal (exact), string, or integer yuan; never float
``channel``        yes       string: credit, debit, wechat, alipay, unionpay_qr, ...
``time``           yes       timestamp (tz-aware: that instant; naive: China time), date
                             (midnight China time) or ISO 8601 string
``settlement``     no        string: T1 (default), T0, D0, D1, S0, ...
``merchant_class`` no        string: e.g. ``discounted`` (default: none)
``card_type``      no        string: credit / debit (UnionPay QR above ¥1000)
=================  ========  ==========================================================

Other columns are kept as they are. ``columns={"amt": "amount", ...}`` maps the caller's
names to these. Times are taken to the second.

The quoted columns (``posfee.QUOTED_COLUMNS``): ``fee`` and ``net`` (decimal128 at the
schedule's scale, at least 2), ``rule``, ``limit`` (``cap``/``floor``),
``settlement_applied``, ``warnings`` (dictionary strings), ``trade_day`` and ``settles_on``
(date32), ``error`` (``code: message`` with ``on_invalid="report"``; the row's other quoted
cells are then null).
"""

from __future__ import annotations

import csv
import json
import os
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from posfee import _core
from posfee._calendar import Calendar
from posfee import _reconcile
from posfee.shapes import Comparison, typed

QUOTED_COLUMNS = ("fee", "net", "rule", "limit", "settlement_applied", "trade_day", "settles_on", "warnings", "error")
TRADE_COLUMNS = ("amount", "channel", "time", "settlement", "merchant_class", "card_type")



def _read_csv(path: str) -> Any:
    """A CSV file of trades as a pyarrow Table of strings (amounts stay exact text)."""
    import pyarrow
    import pyarrow.csv

    from posfee._errors import IoError

    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            header = next(csv.reader(file), [])
    except OSError as error:
        raise IoError(f"cannot read {path}: {error.strerror or error}", file=path) from error
    types = {name: pyarrow.string() for name in header}
    options = pyarrow.csv.ConvertOptions(column_types=types, strings_can_be_null=True)
    return pyarrow.csv.read_csv(path, convert_options=options)


def _to_arrow(table: Any) -> Tuple[Any, str]:
    """The table as a pyarrow Table, and what kind it came as."""
    import pyarrow

    if isinstance(table, (str, os.PathLike)):
        return _read_csv(os.fspath(table)), "pyarrow"
    module = type(table).__module__.split(".")[0]
    if module == "pandas":
        from posfee._reconcile import _pandas_to_arrow

        return _pandas_to_arrow(table, "trades"), "pandas"
    if module == "polars":
        # Through Arrow's C stream: polars' own columns as they are (strings as string_view,
        # read by the core without a copy); `to_arrow()` would copy each string column into
        # large_string first, on one thread.
        if hasattr(table, "__arrow_c_stream__"):
            return pyarrow.table(table), "polars"
        return table.to_arrow(), "polars"
    if isinstance(table, pyarrow.RecordBatch):
        return pyarrow.Table.from_batches([table]), "pyarrow"
    if isinstance(table, pyarrow.Table):
        return table, "pyarrow"
    if hasattr(table, "__arrow_c_stream__"):
        return pyarrow.table(table), "pyarrow"
    raise TypeError(
        "expected a pandas or polars DataFrame, a pyarrow Table or RecordBatch, an object with "
        f"__arrow_c_stream__, or a CSV file path, not {type(table).__name__}"
    )


def _renamed(table: Any, columns: Optional[Mapping[str, str]]) -> Any:
    if not columns:
        return table
    from posfee._errors import InvalidRequestError

    unknown = [name for name in columns if name not in table.column_names]
    if unknown:
        message = f"columns maps {unknown[0]!r}, which the table does not have (it has: {', '.join(table.column_names)})"
        raise InvalidRequestError(message, field="columns")
    return table.rename_columns([columns.get(name, name) for name in table.column_names])


def quote_table(schedule: Any, table: Any, columns: Optional[Mapping[str, str]] = None, **options: Any) -> Any:
    """See :meth:`posfee.Schedule.quote_table`."""
    return _priced(_core.quote_table, "quote_table", schedule, table, columns, options)


def fee_table(schedule: Any, table: Any, columns: Optional[Mapping[str, str]] = None, **options: Any) -> Any:
    """See :meth:`posfee.Schedule.fee_table`."""
    return _priced(_core.fee_table, "fee_table", schedule, table, columns, options)


def _priced(price: Any, method: str, schedule: Any, table: Any, columns: Optional[Mapping[str, str]], options: Dict[str, Any]) -> Any:
    """``table`` with the columns ``price`` (a ``_core`` function) gives for it."""
    arrow, kind = _to_arrow(table)
    return _with_columns(table, arrow, kind, price(schedule, _renamed(arrow, columns), **options), method)


def _with_columns(table: Any, arrow: Any, kind: str, added: Any, method: str) -> Any:
    """``table`` (of ``kind``, read as ``arrow``) with the columns of ``added`` after its own."""
    clashing = [name for name in added.column_names if name in arrow.column_names]
    if clashing:
        raise ValueError(f"the table already has the column {clashing[0]!r} that {method} adds")
    if kind == "pandas":
        import pandas

        frame = added.to_pandas()
        frame.index = table.index
        return pandas.concat([table, frame], axis=1)
    if kind == "polars":
        import polars

        return polars.concat([table, polars.from_arrow(added)], how="horizontal")
    for name, column in zip(added.column_names, added.columns):
        arrow = arrow.append_column(name, column)
    return arrow


Offer = Union[Any, Tuple[Any, Optional[str]], str]
"""A schedule, a preset name, or ``(schedule, settlement mode)`` for an offer that comes
with its own settlement mode (e.g. ``(Schedule.preset("standard-d0"), "D0")``)."""


def compare(
    trades: Any,
    schedules: Sequence[Offer],
    columns: Optional[Mapping[str, str]] = None,
    *,
    settlement: str = "T1",
    merchant_class: Optional[str] = None,
    card_type: Optional[str] = None,
    on_invalid: str = "raise",
) -> Comparison:
    """Compares offers on a table of trades (pandas, polars, pyarrow or a CSV path).

    ``schedules`` are the offers, the first being the current one: each a
    :class:`posfee.Schedule`, a preset name, or ``(schedule, "D0")`` for an offer that fixes
    the settlement mode. Returns a dict: ``offers`` (per offer ``offer``, ``total``,
    ``difference`` against the first, ``by_channel``, ``by_month``; each group has ``key``,
    ``trades``, ``amount``, ``fee``, ``effective_rate`` as a fraction), ``break_evens``
    (``channel``, ``cheaper_below``, ``cheaper_above``, ``below``, ``from``, ``exact``),
    ``sentences`` and ``excluded`` (rows left out with ``on_invalid="report"``). Money and
    rates are ``Decimal``. The shape is that of ``posfee compare --json``.

    >>> import posfee
    >>> trades = "examples/data/trades.csv"  # doctest: +SKIP
    >>> posfee.compare(trades, ["sft-traditional", "sft-smart"])["offers"][1]["difference"]  # doctest: +SKIP
    Decimal('-0.50')
    """
    from posfee._schedule import Schedule

    offers: List[Tuple[Any, Optional[str]]] = []
    for offer in schedules:
        schedule, mode = offer if isinstance(offer, tuple) else (offer, None)
        if isinstance(schedule, str):
            schedule = Schedule.preset(schedule)
        offers.append((schedule, mode))
    arrow, _ = _to_arrow(trades)
    text = _core.compare(
        _renamed(arrow, columns),
        offers,
        settlement=settlement,
        merchant_class=merchant_class,
        card_type=card_type,
        on_invalid=on_invalid,
    )
    result: Comparison = typed(json.loads(text), Comparison)
    return result

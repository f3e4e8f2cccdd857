"""Fee schedules and quotes."""

from __future__ import annotations

import datetime as _dt
import os
from decimal import Decimal
from typing import Any, List, Mapping, Optional, Tuple, Union

from posfee import _core

Amount = Union[Decimal, int, str]
"""A money amount: ``decimal.Decimal``, ``int`` (yuan) or ``str``. Never a float."""

When = Union[_dt.datetime, _dt.date, str, None]
"""A point in time. Naive datetimes are China time (UTC+08:00); ``None`` is now."""


def presets() -> List[str]:
    """The names of the bundled preset schedules (``sft-traditional``, ``standard``, ...)."""
    return _core.presets()


class Schedule(_core.Schedule):
    """A merchant fee schedule: rates, caps, floors, surcharges, versions and rounding.

    Make one with :meth:`preset`, :meth:`from_toml` or :meth:`from_file`. The methods are
    those of the native class (``posfee._core.Schedule``), so that a scalar :meth:`quote`
    has no Python-level wrapper in between:

    ``quote(amount, channel, at=None, settlement="T1", *, merchant_class=None,
    card_type=None, calendar=None, provisional=False, limits=None) -> Quote``

    ``amount`` is a ``Decimal``, ``int`` (yuan) or ``str``; a float raises ``TypeError``.
    ``at`` is an aware ``datetime`` (converted to China time), a naive one (read as China
    time, UTC+08:00), a ``date`` (midnight China time), an ISO 8601 string, or ``None`` for
    now. ``settlement`` is ``T1``, ``T0``, ``D0``, ``D1``, ``S0`` (秒到), ...
    ``provisional=True`` lets a settlement date fall in a year without holiday data
    (weekends only; the quote is then marked ``settles_on_provisional``). ``calendar`` is a
    :class:`posfee.Calendar` with newer holiday data. ``limits`` (a preset name such as
    ``"personal-micro-merchant"``, or the path of a limits ``.toml`` file) makes the quote warn,
    in ``quote.limit_warnings`` (``kind``, ``en``, ``zh``) and its explanation, when the trade
    exceeds a per-transaction limit or falls outside the business hours; the fee is the same.

    ``quote_void(...)`` and ``quote_refund(amount, channel, at, refund_amount, refund_at=None,
    settlement="T1", ...)`` quote a void (撤销) and a refund (退货) of a purchase.
    """

    __slots__ = ()

    def quote_void(
        self,
        amount: Amount,
        channel: str,
        at: When = None,
        settlement: Optional[str] = None,
        *,
        merchant_class: Optional[str] = None,
        card_type: Optional[str] = None,
        provisional: bool = False,
    ) -> "_core.Quote":
        """A void (撤销) of a purchase of ``amount``: the arguments are those of :meth:`quote`."""
        return self._quote_as("void", amount, channel, at, None, None, settlement, merchant_class, card_type, provisional)

    def quote_refund(
        self,
        amount: Amount,
        channel: str,
        at: When,
        refund_amount: Amount,
        refund_at: When = None,
        settlement: Optional[str] = None,
        *,
        merchant_class: Optional[str] = None,
        card_type: Optional[str] = None,
        provisional: bool = False,
    ) -> "_core.Quote":
        """A refund (退货) of ``refund_amount`` at ``refund_at`` (``None``: now) of a purchase of
        ``amount`` at ``at``: the other arguments are those of :meth:`quote`."""
        return self._quote_as(
            "refund", amount, channel, at, refund_amount, refund_at, settlement, merchant_class, card_type, provisional
        )

    @classmethod
    def preset(cls, name: str) -> "Schedule":
        """A bundled preset by name (see :func:`posfee.presets`)."""
        return cls(_core.Schedule.load("preset", name))

    @classmethod
    def from_toml(cls, text: str) -> "Schedule":
        """A schedule from TOML text (the format of the presets)."""
        return cls(_core.Schedule.load("toml", text))

    @classmethod
    def from_json(cls, text: str) -> "Schedule":
        """A schedule from JSON text."""
        return cls(_core.Schedule.load("json", text))

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "Schedule":
        """A schedule from a TOML (or ``.json``) file."""
        return cls(_core.Schedule.load("file", os.fspath(path)))

    def quote_table(
        self,
        table: Any,
        columns: Optional[Mapping[str, str]] = None,
        *,
        settlement: str = "T1",
        merchant_class: Optional[str] = None,
        card_type: Optional[str] = None,
        calendar: Any = None,
        provisional: bool = False,
        on_invalid: str = "raise",
    ) -> Any:
        """Quotes every row of a table of trades, as :meth:`quote` quotes one.

        ``table`` is a pandas or polars DataFrame, a pyarrow Table or RecordBatch (anything
        with ``__arrow_c_stream__``), or a CSV file path, with the canonical columns
        (``amount``, ``channel``, ``time``; ``settlement``, ``merchant_class``, ``card_type``
        optional; ``columns`` maps other names to these). Returns the same kind of table (a
        pyarrow Table for a path) with the quoted columns added: ``fee``, ``net`` (exact
        decimals), ``rule``, ``limit``, ``settlement_applied``, ``trade_day``, ``settles_on``
        (dates), ``warnings``, ``error``. The GIL is released while rows are converted and
        priced. ``settlement``, ``merchant_class`` and ``card_type`` fill empty cells.

        ``on_invalid="raise"`` raises the first bad row's error (its message starts with
        ``row N:``, its ``field`` names the column); ``"report"`` puts it in ``error`` and
        prices the other rows.

        >>> import pyarrow as pa, posfee
        >>> from decimal import Decimal
        >>> trades = pa.table({"amount": pa.array([Decimal("5000.00")], pa.decimal128(18, 2)),
        ...                    "channel": ["debit"], "time": ["2026-09-30 22:30"]})
        >>> quoted = posfee.Schedule.preset("sft-traditional").quote_table(trades)
        >>> quoted.column("fee")[0].as_py(), str(quoted.column("settles_on")[0])
        (Decimal('20.00'), '2026-10-08')
        """
        from posfee._quote_table import quote_table

        return quote_table(
            self,
            table,
            columns,
            settlement=settlement,
            merchant_class=merchant_class,
            card_type=card_type,
            calendar=calendar,
            provisional=provisional,
            on_invalid=on_invalid,
        )

    def fee_table(
        self,
        table: Any,
        columns: Optional[Mapping[str, str]] = None,
        *,
        settlement: str = "T1",
        merchant_class: Optional[str] = None,
        card_type: Optional[str] = None,
        on_invalid: str = "raise",
    ) -> Any:
        """The fees alone of every row of a table of trades: the ``fee`` column of
        :meth:`quote_table` without the settlement dates, rules and warnings, several times
        faster (for pricing or comparing large tables).

        Takes the same tables, ``columns`` and options as :meth:`quote_table` (less the
        calendar, which fees do not depend on) and returns the same kind of table with two
        columns added: ``fee`` (an exact decimal at the schedule's scale, null for a row in
        error) and ``error`` (``code: row N: message`` with ``on_invalid="report"``).

        >>> import pyarrow as pa, posfee
        >>> from decimal import Decimal
        >>> trades = pa.table({"amount": pa.array([Decimal("5000.00"), Decimal("100.00")], pa.decimal128(18, 2)),
        ...                    "channel": ["debit", "wechat"], "time": ["2026-09-30 22:30", "2026-10-01 09:00"]})
        >>> posfee.Schedule.preset("sft-traditional").fee_table(trades).column("fee").to_pylist()
        [Decimal('20.00'), Decimal('0.38')]
        """
        from posfee._quote_table import fee_table

        return fee_table(
            self,
            table,
            columns,
            settlement=settlement,
            merchant_class=merchant_class,
            card_type=card_type,
            on_invalid=on_invalid,
        )

    def __reduce__(self) -> Tuple[Any, Tuple[str]]:
        # Pickles as its TOML text (for multiprocessing, Dask and Spark workers).
        return (type(self).from_toml, (self.to_toml(),))

    def __repr__(self) -> str:
        return f"Schedule.preset({self.name!r})" if self.name in presets() else f"<Schedule {self.name!r}>"

"""Fee schedules and quotes."""

from __future__ import annotations

import datetime as _dt
import os
from decimal import Decimal
from typing import Any, List, Tuple, Union

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
    card_type=None, calendar=None, provisional=False) -> Quote``

    ``amount`` is a ``Decimal``, ``int`` (yuan) or ``str``; a float raises ``TypeError``.
    ``at`` is an aware ``datetime`` (converted to China time), a naive one (read as China
    time, UTC+08:00), a ``date`` (midnight China time), an ISO 8601 string, or ``None`` for
    now. ``settlement`` is ``T1``, ``T0``, ``D0``, ``D1``, ``S0`` (秒到), ...
    ``provisional=True`` lets a settlement date fall in a year without holiday data
    (weekends only; the quote is then marked ``settles_on_provisional``). ``calendar`` is a
    :class:`posfee.Calendar` with newer holiday data.

    ``quote_void(...)`` and ``quote_refund(amount, channel, at, refund_amount, refund_at=None,
    settlement="T1", ...)`` quote a void (撤销) and a refund (退货) of a purchase.
    """

    __slots__ = ()

    @classmethod
    def preset(cls, name: str) -> "Schedule":
        """A bundled preset by name (see :func:`posfee.presets`)."""
        return cls(_core.Schedule.preset(name))

    @classmethod
    def from_toml(cls, text: str) -> "Schedule":
        """A schedule from TOML text (the format of the presets)."""
        return cls(_core.Schedule.from_toml(text))

    @classmethod
    def from_json(cls, text: str) -> "Schedule":
        """A schedule from JSON text."""
        return cls(_core.Schedule.from_json(text))

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "Schedule":
        """A schedule from a TOML (or ``.json``) file."""
        return cls(_core.Schedule.from_file(os.fspath(path)))

    def __reduce__(self) -> Tuple[Any, Tuple[str]]:
        # Pickles as its TOML text (for multiprocessing, Dask and Spark workers).
        return (type(self).from_toml, (self.to_toml(),))

    def __repr__(self) -> str:
        return f"Schedule.preset({self.name!r})" if self.name in presets() else f"<Schedule {self.name!r}>"

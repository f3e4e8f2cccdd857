"""posfee: exact fees, settlement dates and reconciliation for China card and QR acquiring.

Money is never a float here: amounts go in as ``decimal.Decimal``, ``int`` (yuan) or ``str``
and come out as ``decimal.Decimal``. Times without a UTC offset are China time (UTC+08:00).

>>> import posfee
>>> quote = posfee.Schedule.preset("sft-traditional").quote("5000", "debit", at="2026-09-30 22:30")
>>> quote.fee, quote.net, quote.settles_on
(Decimal('20.00'), Decimal('4980.00'), datetime.date(2026, 10, 8))
"""

from posfee._calendar import Calendar
from posfee._core import Quote, __version__
from posfee._deposits import DepositReport, bank_formats, reconcile_deposits, simulate_deposits
from posfee._errors import (
    AmountOverflowError,
    CalendarOutOfRangeError,
    FloatAmountError,
    InternalError,
    InvalidAmountError,
    InvalidCalendarError,
    InvalidChannelError,
    InvalidDateError,
    InvalidRateError,
    InvalidRecordError,
    InvalidRequestError,
    InvalidScheduleError,
    InvalidSettlementError,
    IoError,
    NoMatchingRuleError,
    NoScheduleVersionError,
    PosfeeError,
    UnknownPresetError,
)
from posfee._quote_table import QUOTED_COLUMNS, TRADE_COLUMNS, compare
from posfee._reconcile import Agents, Registry, Report, formats, margins, read_statement, reconcile, simulate
from posfee._schedule import Amount, Schedule, When, presets
from posfee import shapes

__all__ = [
    "shapes",
    "Agents",
    "AmountOverflowError",
    "Amount",
    "Calendar",
    "CalendarOutOfRangeError",
    "DepositReport",
    "FloatAmountError",
    "InternalError",
    "InvalidAmountError",
    "InvalidCalendarError",
    "InvalidChannelError",
    "InvalidDateError",
    "InvalidRateError",
    "InvalidRecordError",
    "InvalidRequestError",
    "InvalidScheduleError",
    "InvalidSettlementError",
    "IoError",
    "NoMatchingRuleError",
    "NoScheduleVersionError",
    "PosfeeError",
    "QUOTED_COLUMNS",
    "Registry",
    "Quote",
    "Report",
    "Schedule",
    "TRADE_COLUMNS",
    "UnknownPresetError",
    "When",
    "__version__",
    "bank_formats",
    "compare",
    "formats",
    "margins",
    "presets",
    "read_statement",
    "reconcile",
    "reconcile_deposits",
    "simulate",
    "simulate_deposits",
]

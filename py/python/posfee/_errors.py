"""The exceptions of posfee: one base class, ``PosfeeError``, and one subclass per error kind.

Every error carries a stable machine-readable ``code`` (the core's ``ErrorKind`` code) and,
where known, the location of the bad value (``file``, ``line``, ``column``, ``field``).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Type


class PosfeeError(Exception):
    """Base class of every posfee error. ``.code`` is stable and machine-readable.

    ``message`` is the core's text (the same on every surface), ``hint`` what to do about it
    in Python (or ``None``); ``str(error)`` shows both, with the location.
    """

    code: str = "posfee_error"
    hint: Optional[str] = None

    def __init__(
        self,
        message: str,
        *,
        code: Optional[str] = None,
        file: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        field: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.field = field

    @property
    def location(self) -> str:
        """Where the bad value was: ``file, line N, column M, field `x```, or ``""``."""
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.field is not None:
            parts.append(f"field `{self.field}`")
        return ", ".join(parts)

    def __str__(self) -> str:
        location = self.location
        text = f"{self.message} (at {location})" if location else self.message
        return f"{text}. {self.hint}" if self.hint else text

    def __reduce__(self) -> Tuple[Any, ...]:
        # Keep code and location across pickling (multiprocessing, Dask workers).
        return (
            _rebuild,
            (type(self), self.message, self.code, self.file, self.line, self.column, self.field),
        )


def _rebuild(
    cls: Type[PosfeeError],
    message: str,
    code: str,
    file: Optional[str],
    line: Optional[int],
    column: Optional[int],
    field: Optional[str],
) -> PosfeeError:
    return cls(message, code=code, file=file, line=line, column=column, field=field)


class InvalidAmountError(PosfeeError, ValueError):
    """An amount is negative, has too many decimals, is not a finite number, or is too large."""

    code = "invalid_amount"


class FloatAmountError(InvalidAmountError, TypeError):
    """Money was passed as a float (``float``, ``numpy.float64``, a float column): floats are
    never accepted as money; pass ``decimal.Decimal`` or ``str``. Its code is ``invalid_amount``."""


class InvalidRateError(PosfeeError, ValueError):
    """A rate is malformed or out of range."""

    code = "invalid_rate"


class InvalidChannelError(PosfeeError, ValueError):
    """A channel or card type name is not known."""

    code = "invalid_channel"


class InvalidSettlementError(PosfeeError, ValueError):
    """A settlement mode is not T+N, D+N or S0."""

    code = "invalid_settlement"


class InvalidDateError(PosfeeError, ValueError):
    """A date or date-time cannot be read."""

    code = "invalid_date"


class InvalidScheduleError(PosfeeError, ValueError):
    """A fee schedule file is malformed or inconsistent."""

    code = "invalid_schedule"


class UnknownPresetError(PosfeeError, LookupError):
    """No bundled preset has that name."""

    code = "unknown_preset"


class NoMatchingRuleError(PosfeeError, LookupError):
    """The schedule has no rule that prices the trade."""

    code = "no_matching_rule"


class NoScheduleVersionError(PosfeeError, LookupError):
    """The schedule has no version in force at the trade time."""

    code = "no_schedule_version"


class CalendarOutOfRangeError(PosfeeError, LookupError):
    """A date lies in a year without holiday data (load it, or opt into provisional)."""

    code = "calendar_out_of_range"
    hint = (
        "In Python: load the year's holiday data with "
        "calendar=posfee.Calendar.china().with_years_from_file(PATH) (posfee TOML or holiday-cn JSON), "
        "or pass provisional=True to count weekends only"
    )


class InvalidCalendarError(PosfeeError, ValueError):
    """Holiday calendar data is malformed or inconsistent."""

    code = "invalid_calendar"


class InvalidRequestError(PosfeeError, ValueError):
    """A request is inconsistent (e.g. a card type contradicting the channel)."""

    code = "invalid_request"


class InvalidRecordError(PosfeeError, ValueError):
    """A ledger or statement record (row, column) cannot be read."""

    code = "invalid_record"


class IoError(PosfeeError):
    """A file cannot be read or written."""

    code = "io"


class AmountOverflowError(PosfeeError, ArithmeticError):
    """A computation went beyond the largest representable amount or date."""

    code = "overflow"


class InternalError(PosfeeError):
    """A bug in posfee (a caught Rust panic); never caused by bad input alone."""

    code = "internal"


ERRORS_BY_CODE: Dict[str, Type[PosfeeError]] = {
    cls.code: cls
    for cls in (
        InvalidAmountError,
        InvalidRateError,
        InvalidChannelError,
        InvalidSettlementError,
        InvalidDateError,
        InvalidScheduleError,
        UnknownPresetError,
        NoMatchingRuleError,
        NoScheduleVersionError,
        CalendarOutOfRangeError,
        InvalidCalendarError,
        InvalidRequestError,
        InvalidRecordError,
        IoError,
        AmountOverflowError,
        InternalError,
    )
}


def _from_core(
    class_name: str,
    message: str,
    file: Optional[str],
    line: Optional[int],
    column: Optional[int],
    field: Optional[str],
) -> PosfeeError:
    """Builds the exception of the class the native module names for an error kind."""
    cls = _CLASSES_BY_NAME[class_name]
    return cls(message, code=cls.code, file=file, line=line, column=column, field=field)


_CLASSES_BY_NAME: Dict[str, Type[PosfeeError]] = {cls.__name__: cls for cls in [*ERRORS_BY_CODE.values(), FloatAmountError]}

"""Did the money reach the bank account: the acquirer's statement checked against the
merchant's bank statement (到账核对). Every rule is the Rust core's
``posfee::reconcile::deposits``; this module converts arguments and results.

>>> import posfee
>>> sample = posfee.simulate_deposits(7)
>>> report = posfee.reconcile_deposits(sample["statement"], sample["bank"], as_of=sample["as_of"], covered_from=sample["covered_from"])
>>> [p["class"] for p in report.payouts] == sample["key"]["payouts"]
True
>>> any("has not arrived" in f["en"] for f in report.findings)
True
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from posfee import _core
from posfee._calendar import Calendar
from posfee._reconcile import TableLike, _statement, _write_text
from posfee.shapes import BankRow, Deduction, DepositFinding, DepositKey, DepositSample, DepositReportData, DepositSummary, FormatInfo, Payout, UnreadableLine, typed


BankSource = Union[str, "os.PathLike[str]", bytes]
DateLike = Any
"""A ``datetime.date`` or a ``YYYY-MM-DD`` str."""


class DepositReport:
    """The result of :func:`reconcile_deposits`: every expected payout and every acquirer's
    bank row in exactly one class, with a reason; findings in plain words.

    - ``summary``: counts and sums per class, the bank statement's period, the money not
      arrived (``Decimal``);
    - ``payouts``: one dict per payout (``settlement_date``, ``merchant_no``, ``batch``,
      ``expected``, ``received``, ``difference``, ``class``, ``posted_on``,
      ``delay_business_days``, ``overdue_business_days``, ``statement_lines``, ``bank_lines``,
      ``statement_deduction_lines``, ``reason``);
    - ``bank``: one dict per acquirer's bank row (``line``, ``date``, ``amount``,
      ``counterparty``, ``memo``, ``class``, ``payouts``, ``reason``);
    - ``deductions``: one dict per deduction line of the statement (流量费, 服务费: ``line``,
      ``settlement_date``, ``merchant_no``, ``batch``, ``amount``, ``text``, and ``payout``,
      the index of the short payout it explains or ``None``);
    - ``findings``: ``class``, ``en``, ``zh`` and the rows behind each (``payouts``,
      ``bank_lines``, ``statement_lines``); problems first;
    - ``unreadable``: the lines of either file that could not be read.

    A deposit report pickles (multiprocessing, Dask workers) as its results: the JSON and CSV
    texts and the row count, made when it is pickled; the copy answers every method as the
    original.
    """

    __slots__ = ("_native", "_data")

    def __init__(self, native: "Union[_core.DepositReportData, _PickledDepositData]") -> None:
        if not isinstance(native, (_core.DepositReportData, _PickledDepositData)):
            raise TypeError("a DepositReport comes from posfee.reconcile_deposits()")
        self._native = native
        self._data: Optional[DepositReportData] = None

    def _json(self) -> DepositReportData:
        if self._data is None:
            self._data = typed(json.loads(self._native.to_json()), DepositReportData)
        return self._data

    @property
    def summary(self) -> DepositSummary:
        """The totals (:class:`posfee.shapes.DepositSummary`: money as ``Decimal``)."""
        return self._json()["summary"]

    @property
    def payouts(self) -> List[Payout]:
        """Every payout of the statement, its class and the bank rows that hold it."""
        return self._json()["payouts"]

    @property
    def bank(self) -> List[BankRow]:
        """Every row of the bank statement, its class and the payouts it holds."""
        return self._json()["bank"]

    @property
    def deductions(self) -> List[Deduction]:
        """The statement's deduction lines and the payout each explains."""
        return self._json()["deductions"]

    @property
    def findings(self) -> List[DepositFinding]:
        """Every finding, in both languages."""
        return self._json()["findings"]

    @property
    def unreadable(self) -> List[UnreadableLine]:
        """Lines of either file that could not be read."""
        return self._json()["unreadable"]

    def problems(self) -> Iterator[DepositFinding]:
        """The findings that are problems (late, short, missing, unexplained)."""
        problem = {"deposited_late", "deposit_short", "deposit_missing", "unexplained_credit", "unexplained_debit"}
        return (f for f in self.findings if f["class"] in problem)

    def to_csv(self) -> str:
        """Every payout, bank row, statement deduction line and unreadable line as CSV text."""
        return self._native.to_csv()

    def write_csv(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes :meth:`to_csv` to ``path`` (UTF-8); a file that cannot be written raises
        ``IoError`` naming it."""
        _write_text(path, self._native.to_csv())

    def to_json(self) -> str:
        """The whole report as JSON (money as strings)."""
        return self._native.to_json()

    def __len__(self) -> int:
        return len(self._native)

    def __repr__(self) -> str:
        summary = self.summary
        return f"<DepositReport payouts={summary['payouts']} acquirer_rows={summary['acquirer_rows']} not_arrived={summary['not_arrived']}>"

    def __reduce__(self) -> Tuple[Any, Tuple[str, str, int]]:
        return (_deposit_report_from_pickle, (self._native.to_json(), self._native.to_csv(), len(self._native)))


class _PickledDepositData:
    """What a pickled :class:`DepositReport` keeps of its native data (the same methods as
    ``_core.DepositReportData``)."""

    __slots__ = ("_json", "_csv", "_len")

    def __init__(self, json_text: str, csv_text: str, rows: int) -> None:
        self._json, self._csv, self._len = json_text, csv_text, rows

    def to_json(self) -> str:
        return self._json

    def to_csv(self) -> str:
        return self._csv

    def __len__(self) -> int:
        return self._len


def _deposit_report_from_pickle(json_text: str, csv_text: str, rows: int) -> DepositReport:
    return DepositReport(_PickledDepositData(json_text, csv_text, rows))


def reconcile_deposits(
    statement: TableLike,
    bank_statement: BankSource,
    *,
    statement_format: str = "auto",
    bank_format: str = "auto",
    delay_max_business_days: int = 2,
    on_time_business_days: int = 0,
    short_difference_max: Any = None,
    acquirers: Optional[Sequence[str]] = None,
    group_by_merchant: bool = True,
    group_by_batch: bool = True,
    as_of: Optional[DateLike] = None,
    covered_from: Optional[DateLike] = None,
    calendar: Optional[Calendar] = None,
    on_invalid: str = "raise",
) -> DepositReport:
    """Checks that the acquirer ``statement``'s payouts reached the merchant's bank account.

    ``statement`` is what :func:`reconcile` takes (a DataFrame, pyarrow data, or a file path
    read with ``statement_format``). ``bank_statement`` is the bank's export (CSV, or a
    spreadsheet: .xlsx/.xls, its first sheet): a path or its bytes, read with ``bank_format``
    (``"auto"``, a name from :func:`bank_formats`, or a ``.toml`` bank profile of your own).

    Payouts are the statement's nets per settlement date, merchant number
    (``group_by_merchant``) and batch number (批次号, where the statement shows one;
    ``group_by_batch``); they match the acquirer's credits exactly by amount, posted 0 to
    ``delay_max_business_days`` business days after the due day (later than
    ``on_time_business_days`` is ``deposited_late``), several in one credit
    (``deposit_merged``), or short by at most ``short_difference_max`` (``Decimal``, ``int``
    yuan or ``str``; default ¥500). The acquirer's rows are found by the default texts (拉卡拉,
    盛付通, 银联商务, 通联, 嘉联, 乐刷, WeChat/Alipay withdrawals) and ``acquirers``.
    ``as_of`` and ``covered_from`` bound the bank statement's period (default: its rows).

    A line that cannot be read raises (naming file, line, column, field) unless
    ``on_invalid="report"``, which lists it under ``unreadable``.
    """
    if isinstance(acquirers, str):
        raise TypeError("acquirers must be a list of texts, not a str")
    if not isinstance(on_invalid, str):
        raise TypeError(f"on_invalid must be 'raise' or 'report', not {type(on_invalid).__name__}")
    _core.check_on_invalid(on_invalid)
    if isinstance(bank_statement, (bytearray, memoryview)):
        bank_statement = bytes(bank_statement)
    if not isinstance(bank_statement, (str, bytes, os.PathLike)):
        raise TypeError(f"bank_statement must be a path or the file's bytes, not {type(bank_statement).__name__}")
    statement_data = _statement(statement, statement_format, on_invalid, None)
    native = _core.reconcile_deposits_data(
        statement_data,
        os.fspath(bank_statement) if isinstance(bank_statement, os.PathLike) else bank_statement,
        bank_format,
        None,
        on_invalid,
        delay_max_business_days,
        on_time_business_days,
        short_difference_max,
        list(acquirers or []),
        group_by_merchant,
        group_by_batch,
        as_of,
        covered_from,
        calendar,
    )
    return DepositReport(native)


def bank_formats() -> List[FormatInfo]:
    """The shipped bank statement formats: ``name``, ``title`` and ``source`` (where the
    layout comes from), in the order ``bank_format="auto"`` tries them."""
    return _core.bank_formats()


def simulate_deposits(seed: int = 42, faults: bool = True) -> DepositSample:
    """A seeded acquirer statement and the bank statement beside it (faults injected unless
    ``faults=False``), for demos and tests: ``statement`` (a pyarrow Table), ``bank`` (the
    bank statement's CSV bytes, cmb-debit layout), ``covered_from`` and ``as_of`` (the bank
    statement's period), and the answer key ``key``: ``{"payouts": [class per payout],
    "bank": {line: class}}``."""
    statement, bank, covered_from, as_of, payouts, bank_key = _core.simulate_deposits(seed, faults)
    return DepositSample(
        statement=statement.to_arrow(),
        bank=bank.encode("utf-8"),
        covered_from=covered_from,
        as_of=as_of,
        key=DepositKey(payouts=list(payouts), bank=dict(bank_key)),
    )


__all__: List[str] = ["DepositReport", "bank_formats", "reconcile_deposits", "simulate_deposits"]

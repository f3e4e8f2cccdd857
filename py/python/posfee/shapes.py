"""The shapes of posfee's results in Python: one ``TypedDict`` per concept of the core's JSON
(the same fields as the Rust structs and the JavaScript objects), with money as
``decimal.Decimal`` and dates as ISO ``YYYY-MM-DD`` text unless a shape says otherwise.

``typed(value, Shape)`` turns the core's JSON into its shape by the types declared here: every
field declared ``Decimal`` (or ``Optional[Decimal]``, or a list of them) is converted from the
core's exact decimal text, and nothing else is touched. The declarations are the one place
that says which values are money (tests check every result against them, key by key).
"""

from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from typing import Any, Dict, List, Optional, TypedDict, Union, get_args, get_origin, get_type_hints

__all__ = [
    "AppliedLimit",
    "BankRow",
    "BreakEven",
    "CalendarDay",
    "ClassTotals",
    "Comparison",
    "DailyRate",
    "DeclinedByAction",
    "DeclinedCount",
    "Deduction",
    "DepositClassTotals",
    "DepositFinding",
    "DepositKey",
    "DepositReportData",
    "DepositSample",
    "DepositSummary",
    "Dispute",
    "DisputeRow",
    "DisputeSection",
    "Excluded",
    "FeeLine",
    "Finding",
    "FormatInfo",
    "Holiday",
    "LimitWarning",
    "MarginFinding",
    "MarginRow",
    "MarginTotals",
    "Margins",
    "MerchantTotals",
    "NearLimit",
    "OfferResult",
    "Payout",
    "Pricing",
    "ResponseMeaning",
    "Sample",
    "Skipped",
    "Subtotal",
    "Summary",
    "TerminalMerchants",
    "UnreadableLine",
    "typed",
]


# --- reconciliation (posfee::reconcile::Summary) -------------------------------------------

ClassTotals = TypedDict(
    "ClassTotals",
    {
        "class": Optional[str],
        "ledger_rows": int,
        "statement_rows": int,
        "unreadable_rows": int,
        "ledger_amount": Decimal,
        "statement_amount": Decimal,
        "statement_fee": Decimal,
        "statement_net": Decimal,
        "expected_fee": Decimal,
    },
)
"""The rows and money of one class (``class``), on both sides."""


class ResponseMeaning(TypedDict):
    """What an acquirer's response code means, who declined and what to do."""

    code: str
    zh: str
    en: str
    known: bool
    acquirer_specific: bool
    approved: bool
    declined_by: str
    action: str


class DeclinedCount(TypedDict):
    """Declined trades of one response code."""

    meaning: ResponseMeaning
    trades: int
    amount: Decimal


class DeclinedByAction(TypedDict):
    """Declined trades grouped by what to do about them."""

    action: str
    codes: List[str]
    trades: int
    amount: Decimal


class NearLimit(TypedDict):
    """A day or month whose trades came within 10% of a limit of the merchant's."""

    period: str
    kind: str
    channels: List[str]
    limit_amount: Optional[Decimal]
    limit_trades: Optional[int]
    amount: Decimal
    trades: int
    merchant_no: str


class DailyRate(TypedDict):
    """The fees a channel was charged on one day, and their rate (``"0.60%"``)."""

    date: str
    channel: str
    trades: int
    amount: Decimal
    fee: Decimal
    rate: str


class TerminalMerchants(TypedDict):
    """A terminal seen under more than one merchant number (跳码)."""

    terminal: str
    merchant_numbers: List[str]
    merchant_names: List[str]


class Pricing(TypedDict, total=False):
    """How a finding's trades were priced instead of the contract: ``kind`` is ``rate``,
    ``add_on``, ``cap_not_applied``, ``cap`` or ``merchant_class``, with its own fields."""

    kind: str
    rate: str
    contract_rate: str
    fixed: Decimal
    cap: Decimal
    contract_cap: Decimal
    merchant_class: Optional[str]


class Finding(TypedDict):
    """A pattern across rows: a rate rise, an add-on, 跳码, later settlement, ..."""

    kind: str
    merchant: str
    agent: str
    channel: Optional[str]
    terminal: Optional[str]
    merchant_no: Optional[str]
    pricing: Optional[Pricing]
    late_business_days: Optional[int]
    first_day: str
    last_day: str
    trades: int
    amount: Decimal
    money: Decimal
    zh: str
    en: str


class MerchantTotals(TypedDict):
    """One merchant of a portfolio: its rows, its money and its problems."""

    merchant_no: str
    name: str
    agent: str
    ledger_rows: int
    statement_rows: int
    problem_rows: int
    overcharge: Decimal
    undercharge: Decimal
    never_settled_trades: int
    never_settled_amount: Decimal
    settled_late_trades: int
    settled_late_net: Decimal
    merchant_differs_trades: int
    merchant_differs_amount: Decimal


class Summary(TypedDict):
    """A reconciliation's totals (``Report.summary``)."""

    ledger_rows: int
    statement_rows: int
    unreadable_rows: int
    ledger_amount: Decimal
    statement_amount: Decimal
    statement_fee: Decimal
    statement_net: Decimal
    classes: List[ClassTotals]
    expected_fee: Decimal
    charged_fee: Decimal
    overcharge: Decimal
    undercharge: Decimal
    declined: List[DeclinedCount]
    declined_by_action: List[DeclinedByAction]
    near_limits: List[NearLimit]
    daily_rates: List[DailyRate]
    terminals: List[TerminalMerchants]
    warnings: List[str]
    findings: List[Finding]
    merchants: List[MerchantTotals]


# --- bank deposits (posfee::reconcile::deposits::DepositReport) ----------------------------

Payout = TypedDict(
    "Payout",
    {
        "settlement_date": str,
        "merchant_no": str,
        "batch": str,
        "expected": Decimal,
        "received": Optional[Decimal],
        "difference": Decimal,
        "class": str,
        "posted_on": Optional[str],
        "delay_business_days": Optional[int],
        "overdue_business_days": Optional[int],
        "statement_lines": List[int],
        "bank_lines": List[int],
        "statement_deduction_lines": List[int],
        "reason": str,
    },
)
"""One payout the statement promises, and whether (and when) it reached the bank."""

BankRow = TypedDict(
    "BankRow",
    {
        "line": int,
        "date": str,
        "amount": Decimal,
        "counterparty": str,
        "memo": str,
        "class": str,
        "payouts": List[int],
        "reason": str,
    },
)
"""One row of the bank statement and the payouts it holds."""


class Deduction(TypedDict):
    """A deduction line of the acquirer's statement (流量费, 服务费) and the payout it explains."""

    line: int
    settlement_date: str
    merchant_no: str
    batch: str
    amount: Decimal
    text: str
    payout: Optional[int]


class UnreadableLine(TypedDict):
    """A line that could not be read, on ``side`` ``statement`` or ``bank``."""

    side: str
    line: int
    reason: str


DepositFinding = TypedDict(
    "DepositFinding",
    {
        "class": str,
        "en": str,
        "zh": str,
        "payouts": List[int],
        "bank_lines": List[int],
        "statement_lines": List[int],
    },
)
"""A deposit finding (late, short, missing, unexplained) in both languages."""

DepositClassTotals = TypedDict(
    "DepositClassTotals",
    {
        "class": Optional[str],
        "payouts": int,
        "expected": Decimal,
        "difference": Decimal,
        "bank_rows": int,
        "bank_amount": Decimal,
    },
)
"""The payouts and bank rows of one deposit class."""


class DepositSummary(TypedDict):
    """A deposit check's totals (``DepositReport.summary``)."""

    payouts: int
    expected: Decimal
    bank_rows: int
    acquirer_rows: int
    acquirer_amount: Decimal
    other_bank_rows: int
    skipped_bank_rows: int
    statement_deductions: int
    statement_deductions_explaining: int
    unreadable_lines: int
    covered_from: Optional[str]
    as_of: Optional[str]
    not_arrived: Decimal
    classes: List[DepositClassTotals]
    warnings: List[str]


class DepositReportData(TypedDict):
    """A whole deposit check, as the core writes it."""

    summary: DepositSummary
    payouts: List[Payout]
    bank: List[BankRow]
    deductions: List[Deduction]
    unreadable: List[UnreadableLine]
    findings: List[DepositFinding]


# --- offer comparison (posfee::Comparison) -------------------------------------------------


class Subtotal(TypedDict):
    """Trades, amount and fees of one group (``key``: a channel, a month, or ``total``)."""

    key: str
    trades: int
    amount: Decimal
    fee: Decimal
    effective_rate: Optional[Decimal]


class OfferResult(TypedDict):
    """One offer on the trades: its total, its difference to the first offer, per channel and month."""

    offer: str
    total: Subtotal
    difference: Decimal
    by_channel: List[Subtotal]
    by_month: List[Subtotal]


# "from" is a Python keyword: this shape is declared in the functional form.
BreakEven = TypedDict(
    "BreakEven",
    {"channel": str, "cheaper_below": str, "cheaper_above": str, "below": Decimal, "from": Decimal, "exact": bool},
)
"""Where two offers cross on one channel: ``cheaper_below`` costs less below ``below``,
``cheaper_above`` from ``from`` on (``exact``: no amount between them)."""


class Excluded(TypedDict):
    """A trade left out of the comparison, and why."""

    row: int
    code: str
    message: str


class Comparison(TypedDict):
    """``posfee.compare``: each offer, the break-even amounts, the excluded rows, in words."""

    offers: List[OfferResult]
    break_evens: List[BreakEven]
    excluded: List[Excluded]
    sentences: List[str]


# --- agents' margins (posfee::reconcile::Margins) ------------------------------------------


class MarginTotals(TypedDict):
    """An agent's, a merchant's or a month's (``key``) trades, fees and margin."""

    key: str
    agent: str
    trades: int
    amount: Decimal
    merchant_fee: Decimal
    margin: Decimal
    negative_trades: int


class Skipped(TypedDict):
    """A trade that could not be priced, and why."""

    row: int
    reason: str


class MarginFinding(TypedDict):
    """A negative margin, in both languages."""

    zh: str
    en: str


class Margins(TypedDict):
    """``posfee.margins``: ``rows`` is a pyarrow Table (one row per trade and level)."""

    rows: Any
    by_agent: List[MarginTotals]
    by_merchant: List[MarginTotals]
    by_month: List[MarginTotals]
    merchant_fee: Decimal
    top_cost: Decimal
    margin: Decimal
    skipped: List[Skipped]
    findings: List[MarginFinding]


# --- quotes and the calendar (returned by the extension as Python values) -------------------


class AppliedLimit(TypedDict):
    """The cap or floor that changed a fee line (``posfee::AppliedLimit``)."""

    kind: str
    value: Decimal


class FeeLine(TypedDict):
    """One line of a quote's fee: the rate line (with its cap or floor), a fixed fee, a surcharge
    (``posfee::FeeLine``: the limit nested as in the core's JSON and JavaScript)."""

    kind: str
    source: str
    rate: Optional[Decimal]
    fixed: Decimal
    before_limit: Decimal
    limit: Optional[AppliedLimit]
    amount: Decimal


class LimitWarning(TypedDict):
    """A merchant limit a quoted trade reaches (``posfee::LimitWarning``)."""

    kind: str
    en: str
    zh: str


class Holiday(TypedDict):
    """``Calendar.holidays``: one holiday of a year (``posfee::Holiday``)."""

    name_zh: str
    name_en: str
    first: _dt.date
    last: _dt.date
    makeup_workdays: List[_dt.date]


class CalendarDay(TypedDict):
    """``Calendar.day``: whether a date is a business day and why (``posfee::calendar::Day``:
    the holiday break it belongs to, if any, as in ``posfee calendar day --json``)."""

    date: _dt.date
    business_day: bool
    weekend: bool
    makeup_workday: bool
    holiday: Optional[Holiday]
    provisional: bool


class FormatInfo(TypedDict):
    """A shipped statement or bank statement format."""

    name: str
    title: str
    source: str


class DisputeRow(TypedDict):
    """One trade of a dispute section: what was charged against what the contract says."""

    trade_date: str
    terminal: str
    reference: str
    merchant_no: str
    amount: Decimal
    charged_fee: Decimal
    contract_fee: Decimal
    difference: Decimal
    settlement_date: str
    line: int


class DisputeSection(TypedDict):
    """A section of the dispute list: one finding (or the other overcharges) and its trades."""

    finding: Optional[Finding]
    title_zh: str
    title_en: str
    rows: List[DisputeRow]
    amount: Decimal
    charged_fee: Decimal
    difference: Decimal


class Dispute(TypedDict):
    """``Report.dispute("json")``: what to claim back from the acquirer, section by section."""

    merchant_no: str
    merchant_name: str
    sections: List[DisputeSection]
    difference: Decimal


class MarginRow(TypedDict):
    """One trade at one level of the agent tree (a row of ``Margins["rows"]``)."""

    trade: int
    trade_id: str
    date: _dt.date
    merchant_no: str
    channel: str
    amount: Decimal
    merchant_fee: Decimal
    level: int
    agent: str
    cost: Decimal
    margin: Decimal


class Sample(TypedDict):
    """``posfee.simulate``: a month's ledger and statement (pyarrow Tables), the merchant, its
    terminals, and the answer key (each faulty row's class, by row)."""

    ledger: Any
    statement: Any
    merchant: str
    merchant_name: str
    terminals: List[str]
    key: Dict[str, Dict[int, str]]


class DepositKey(TypedDict):
    """The answer key of a simulated deposit check: each payout's class, each bank line's."""

    payouts: List[str]
    bank: Dict[int, str]


class DepositSample(TypedDict):
    """``posfee.simulate_deposits``: an acquirer statement (a pyarrow Table), the bank
    statement beside it (CSV bytes), the bank statement's period and the answer key."""

    statement: Any
    bank: bytes
    covered_from: str
    as_of: str
    key: DepositKey


def typed(value: Any, shape: Any) -> Any:
    """``value`` (the core's JSON, parsed) with every field ``shape`` declares as ``Decimal``
    converted from its decimal text (a rate's percent text, ``0.6%``, to its fraction) and every
    ``datetime.date`` from ISO text; lists, ``Optional`` and nested shapes are followed."""
    if value is None:
        return None
    if shape is Decimal:
        if isinstance(value, str):
            return Decimal(value[:-1]).scaleb(-2) if value.endswith("%") else Decimal(value)
        return value
    if shape is _dt.date:
        return _dt.date.fromisoformat(value) if isinstance(value, str) else value
    origin = get_origin(shape)
    if origin is Union:
        inner = [arg for arg in get_args(shape) if arg is not type(None)]
        return typed(value, inner[0]) if len(inner) == 1 else value
    if origin in (list, List):
        (item,) = get_args(shape)
        return [typed(v, item) for v in value]
    if origin in (dict, Dict):
        _, item = get_args(shape)
        return {k: typed(v, item) for k, v in value.items()}
    if isinstance(value, dict) and hasattr(shape, "__total__"):
        fields = _fields(shape)
        return {k: typed(v, fields[k]) if k in fields else v for k, v in value.items()}
    return value


_FIELDS: Dict[Any, Dict[str, Any]] = {}

_RESULTS: Dict[str, Any] = {
    "lines": List[FeeLine],
    "limit_warnings": List[LimitWarning],
    "day": CalendarDay,
    "holidays": List[Holiday],
    "formats": List[FormatInfo],
}


def _from_core(text: str, result: str) -> Any:
    """The core's JSON ``text`` of a result the extension module names (a key of ``_RESULTS``)
    in its shape."""
    return typed(json.loads(text), _RESULTS[result])


def _fields(shape: Any) -> Dict[str, Any]:
    """The declared field types of a TypedDict (resolved once)."""
    fields = _FIELDS.get(shape)
    if fields is None:
        fields = _FIELDS[shape] = get_type_hints(shape)
    return fields

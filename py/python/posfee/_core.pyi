"""Type stubs of the native module ``posfee._core`` (hand-written, checked by mypy.stubtest)."""

import datetime
import os
from decimal import Decimal
from typing import Any, Callable, List, Literal, Optional, Tuple, Union, final

_Amount = Union[Decimal, int, str]
_When = Union[datetime.datetime, datetime.date, str, None]
_Day = Union[datetime.date, str]

from typing_extensions import disjoint_base
from posfee.shapes import CalendarDay, FeeLine, FormatInfo, Holiday, LimitWarning

__all__ = [
    "__version__",
    "INTERNAL_ERROR_CODE",
    "presets",
    "preset_toml",
    "error_classes",
    "main",
    "_panic_for_test",
    "Schedule",
    "Quote",
    "Calendar",
    "LedgerData",
    "StatementData",
    "ReportData",
    "RegistryData",
    "load_registry",
    "AgentsData",
    "load_agents",
    "dispute_format",
    "margins_json",
    "ledger_from_arrow",
    "statement_from_arrow",
    "tables_from_arrow",
    "read_ledger_csv",
    "read_statement",
    "formats",
    "check_on_invalid",
    "simulate",
    "reconcile_data",
    "DepositReportData",
    "reconcile_deposits_data",
    "bank_formats",
    "simulate_deposits",
    "quote_table",
    "fee_table",
    "compare",
]

__version__: str
INTERNAL_ERROR_CODE: str

def presets() -> List[str]: ...
def preset_toml(name: str) -> str: ...
def error_classes() -> List[Tuple[str, str]]: ...
def main(args: List[str]) -> int: ...
def _panic_for_test(detached: bool = False) -> None: ...

@disjoint_base
class Schedule:
    def __new__(cls, source: Schedule) -> Schedule: ...
    @staticmethod
    def load(how: Literal["preset", "toml", "json", "file"], source: str) -> Schedule: ...
    @property
    def name(self) -> str: ...
    @property
    def title(self) -> Optional[str]: ...
    @property
    def source(self) -> Optional[str]: ...
    @property
    def refund_policy(self) -> str: ...
    @property
    def cutoff(self) -> str: ...
    def to_toml(self) -> str: ...
    def to_json(self) -> str: ...
    def quote(
        self,
        amount: _Amount,
        channel: str,
        at: _When = None,
        settlement: str = "T1",
        *,
        merchant_class: Optional[str] = None,
        card_type: Optional[str] = None,
        calendar: Any = None,
        provisional: bool = False,
        limits: Union[str, "os.PathLike[str]", None] = None,
    ) -> Quote: ...
    def quote_void(
        self,
        amount: _Amount,
        channel: str,
        at: _When = None,
        settlement: str = "T1",
        *,
        merchant_class: Optional[str] = None,
        card_type: Optional[str] = None,
        provisional: bool = False,
    ) -> Quote: ...
    def quote_refund(
        self,
        amount: _Amount,
        channel: str,
        at: _When,
        refund_amount: _Amount,
        refund_at: _When = None,
        settlement: str = "T1",
        *,
        merchant_class: Optional[str] = None,
        card_type: Optional[str] = None,
        provisional: bool = False,
    ) -> Quote: ...

@final
class Quote:
    @property
    def fee(self) -> Decimal: ...
    @property
    def net(self) -> Decimal: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def fee_returned(self) -> Decimal: ...
    @property
    def rate(self) -> Decimal: ...
    @property
    def settles_on(self) -> datetime.date: ...
    @property
    def trade_day(self) -> datetime.date: ...
    @property
    def settles_on_provisional(self) -> bool: ...
    @property
    def calendar_data_ends(self) -> Optional[datetime.date]: ...
    @property
    def kind(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def settlement(self) -> str: ...
    @property
    def requested_settlement(self) -> str: ...
    @property
    def schedule(self) -> str: ...
    @property
    def rule(self) -> str: ...
    @property
    def fee_exceeds_amount(self) -> bool: ...
    @property
    def cap_applied(self) -> bool: ...
    @property
    def floor_applied(self) -> bool: ...
    @property
    def lines(self) -> List[FeeLine]: ...
    @property
    def limit_warnings(self) -> List[LimitWarning]: ...
    def explanation(self, lang: str = "en") -> List[str]: ...
    def explain(self, lang: str = "en") -> str: ...
    def to_json(self, lang: str = "en") -> str: ...

@final
class Calendar:
    @staticmethod
    def china() -> Calendar: ...
    @staticmethod
    def load(how: Literal["toml", "file"], source: str) -> Calendar: ...
    def with_years(self, how: Literal["toml", "json", "file"], source: str) -> Calendar: ...
    @property
    def years(self) -> Tuple[int, int]: ...
    def notice(self, year: int) -> str: ...
    def holidays(self, year: int) -> List[Holiday]: ...
    def day(self, day: _Day, provisional: bool = False) -> CalendarDay: ...
    def is_business_day(self, day: _Day, provisional: bool = False) -> bool: ...
    def add_business_days(self, day: _Day, n: int, provisional: bool = False) -> datetime.date: ...
    def business_days_between(self, start: _Day, end: _Day, provisional: bool = False) -> int: ...

@final
class LedgerData:
    def __len__(self) -> int: ...
    @property
    def issues(self) -> List[str]: ...
    def to_arrow(self) -> Any: ...
    def to_csv(self) -> str: ...

@final
class StatementData:
    def __len__(self) -> int: ...
    @property
    def issues(self) -> List[str]: ...
    def to_arrow(self) -> Any: ...
    def to_csv(self) -> str: ...

@final
class RegistryData:
    def __len__(self) -> int: ...
    def merchants(self) -> List[str]: ...
    def to_portable(self) -> str: ...

def load_registry(how: Literal["file", "csv", "portable"], source: str, name: str = "", folder: Optional[str] = None) -> RegistryData: ...

@final
class AgentsData:
    def __len__(self) -> int: ...
    def to_portable(self) -> str: ...

def load_agents(how: Literal["file", "csv", "portable"], source: str, name: str = "", folder: Optional[str] = None) -> AgentsData: ...
def dispute_format(path: str) -> str: ...
def margins_json(trades: LedgerData, merchants: RegistryData, agents: AgentsData) -> str: ...

@final
class ReportData:
    def summary_json(self) -> str: ...
    def table(self, lang: str = "en") -> str: ...
    def to_csv(self, lang: str = "en") -> str: ...
    def to_json(self) -> str: ...
    def __len__(self) -> int: ...
    def dispute(self, format: str, lang: str) -> str: ...
    def rows(self, lang: str = "en") -> Any: ...

def ledger_from_arrow(
    data: Any,
    name: str = "ledger",
    on_invalid: str = "raise",
    progress: Optional[Callable[[str, int], None]] = None,
    by_rows: bool = False,
) -> LedgerData: ...
def statement_from_arrow(
    data: Any,
    name: str = "statement",
    on_invalid: str = "raise",
    progress: Optional[Callable[[str, int], None]] = None,
    by_rows: bool = False,
) -> StatementData: ...
def tables_from_arrow(
    ledger: Any, statement: Any, on_invalid: str = "raise", progress: Optional[Callable[[str, int], None]] = None
) -> Tuple[LedgerData, StatementData]: ...
def read_ledger_csv(path: str, on_invalid: str = "raise") -> LedgerData: ...
def read_statement(
    source: Union[str, "os.PathLike[str]", bytes], format: str = "auto", on_invalid: str = "raise", name: Optional[str] = None
) -> StatementData: ...
def formats() -> List[FormatInfo]: ...
def check_on_invalid(on_invalid: str) -> None: ...
def simulate(
    seed: int, trades: int = 5000, faults_per_class: int = 3
) -> Tuple[LedgerData, StatementData, str, str, List[str], Tuple[List[Tuple[int, str]], List[Tuple[int, str]]]]: ...
def reconcile_data(
    ledger: LedgerData,
    statement: StatementData,
    schedule: Optional[Schedule],
    merchant: Optional[str],
    merchant_name: str = "",
    terminals: List[str] = ...,
    merchant_class: Optional[str] = None,
    settlement: Optional[str] = None,
    calendar: Any = None,
    provisional: bool = False,
    match_window_seconds: Optional[int] = None,
    limits: Optional[str] = None,
    merchants: Optional[RegistryData] = None,
) -> ReportData: ...
@final
class DepositReportData:
    def to_json(self) -> str: ...
    def to_csv(self) -> str: ...
    def __len__(self) -> int: ...

def reconcile_deposits_data(
    statement: StatementData,
    bank: Union[str, "os.PathLike[str]", bytes],
    bank_format: str = "auto",
    bank_name: Optional[str] = None,
    on_invalid: str = "raise",
    delay_max_business_days: int = 2,
    on_time_business_days: int = 0,
    short_difference_max: Optional[_Amount] = None,
    acquirer_texts: Optional[List[str]] = None,
    group_by_merchant: bool = True,
    group_by_batch: bool = True,
    as_of: Optional[_Day] = None,
    covered_from: Optional[_Day] = None,
    calendar: Any = None,
) -> DepositReportData: ...
def bank_formats() -> List[FormatInfo]: ...
def simulate_deposits(seed: int, faults: bool = True) -> Tuple[StatementData, str, str, str, List[str], List[Tuple[int, str]]]: ...
def quote_table(
    schedule: Schedule,
    data: Any,
    *,
    settlement: str = "T1",
    merchant_class: Optional[str] = None,
    card_type: Optional[str] = None,
    calendar: Any = None,
    provisional: bool = False,
    on_invalid: str = "raise",
) -> Any: ...
def fee_table(
    schedule: Schedule,
    data: Any,
    *,
    settlement: str = "T1",
    merchant_class: Optional[str] = None,
    card_type: Optional[str] = None,
    on_invalid: str = "raise",
) -> Any: ...
def compare(
    data: Any,
    offers: List[Tuple[Schedule, Optional[str]]],
    *,
    settlement: str = "T1",
    merchant_class: Optional[str] = None,
    card_type: Optional[str] = None,
    on_invalid: str = "raise",
) -> str: ...

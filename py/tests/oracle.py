"""A plain-Python Decimal oracle of the fee and settlement rules, written independently of
the Rust core, for the property tests. It covers the rate/cap rules of the bundled presets
and T+N / D+N settlement on the 2026 calendar (DOMAIN.md §3)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Dict, Optional, Tuple

CHINA = dt.timezone(dt.timedelta(hours=8))
CENT = Decimal("0.01")

# (rate, cap or None) per channel for the two presets the tests use.
RULES: Dict[str, Dict[str, Tuple[Decimal, Optional[Decimal]]]] = {
    "sft-traditional": {
        "credit": (Decimal("0.0060"), None),
        "debit": (Decimal("0.0055"), Decimal("20")),
        "wechat": (Decimal("0.0038"), None),
        "alipay": (Decimal("0.0038"), None),
        "huabei": (Decimal("0.0038"), None),
        "jd_baitiao": (Decimal("0.0038"), None),
    },
    "standard": {
        "credit": (Decimal("0.0060"), None),
        "debit": (Decimal("0.0050"), Decimal("20")),
        "wechat": (Decimal("0.0038"), None),
        "alipay": (Decimal("0.0038"), None),
        "huabei": (Decimal("0.0038"), None),
        "jd_baitiao": (Decimal("0.0038"), None),
    },
}

CUTOFF = dt.time(23, 0)


def _days(first: str, last: str) -> set:
    a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return {a + dt.timedelta(days=i) for i in range((b - a).days + 1)}


# 2026 (State Council notice of 2025-11-04), DOMAIN.md §3.
HOLIDAYS_2026 = set().union(
    _days("2026-01-01", "2026-01-03"),
    _days("2026-02-15", "2026-02-23"),
    _days("2026-04-04", "2026-04-06"),
    _days("2026-05-01", "2026-05-05"),
    _days("2026-06-19", "2026-06-21"),
    _days("2026-09-25", "2026-09-27"),
    _days("2026-10-01", "2026-10-07"),
)
MAKEUP_2026 = {dt.date(2026, m, d) for m, d in [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)]}


def is_business_day(day: dt.date) -> bool:
    assert day.year == 2026, day
    if day in MAKEUP_2026:
        return True
    return day.weekday() < 5 and day not in HOLIDAYS_2026


def fee(schedule: str, amount: Decimal, channel: str) -> Decimal:
    rate, cap = RULES[schedule][channel]
    value = (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    if cap is not None and value > cap:
        value = cap.quantize(CENT)
    return value


def trade_day(at: dt.datetime) -> dt.date:
    local = at.astimezone(CHINA) if at.tzinfo is not None else at
    day = local.date()
    return day + dt.timedelta(days=1) if local.time() >= CUTOFF else day


def settles_on(at: dt.datetime, settlement: str) -> dt.date:
    day = trade_day(at)
    letter, n = settlement[0], int(settlement[1:])
    if letter == "D":
        return day + dt.timedelta(days=n)
    if n == 0:
        while not is_business_day(day):
            day += dt.timedelta(days=1)
        return day
    while n > 0:
        day += dt.timedelta(days=1)
        if is_business_day(day):
            n -= 1
    return day

"""The bad-input catalogue of the ``posfee`` console script (``python -m posfee``): every bad
command line ends with exit status 2 and exactly one line on stderr, ``posfee: error [code]:
message``, never a traceback; and the reconcile flags that a D0 merchant needs work. (The
Rust crate cli/ has the full catalogue, cli/tests/catalogue.rs; this one checks that the same
behaviour reaches Python users.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence

import pyarrow as pa
import pytest

from posfee import _core
from posfee._reconcile import _ledger_from_arrow, _statement_from_arrow

MERCHANT = "102310058120001"
QR_TRADES = "amount,channel,time\n100,debit,2026-05-06 10:00\n20,wechat,2026-05-06 11:00\n"
LINE = re.compile(r"^posfee: error \[(?P<code>[a-z_]+)\]: (?P<message>\S.*)$")


def posfee(*args: str, cwd: "Path | None" = None) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", "posfee", *args], capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=cwd)


def ledger_table() -> pa.Table:
    return pa.table(
        {
            "trade_id": ["A1", "A2", "R1"],
            "rrn": ["612610000001", "612610000002", "612610000003"],
            "terminal": ["T0000001"] * 3,
            "time": ["2026-05-06 10:00:00", "2026-05-06 11:00:00", "2026-05-06 12:00:00"],
            "amount": pa.array([Decimal("100.00"), Decimal("250.50"), Decimal("40.00")], pa.decimal128(18, 2)),
            "channel": ["credit", "debit", "credit"],
            "kind": ["purchase", "purchase", "refund"],
            "original_rrn": ["", "", "612610000001"],
        }
    )


def statement_table(settlement_date: str = "2026-05-07", fees: Sequence[str] = ("0.60", "1.38", "0.00")) -> pa.Table:
    return pa.table(
        {
            "settlement_date": [settlement_date] * 3,
            "merchant_no": [MERCHANT] * 3,
            "terminal": ["T0000001"] * 3,
            "rrn": ["612610000001", "612610000002", "612610000003"],
            "time": ["2026-05-06 10:00:00", "2026-05-06 11:00:00", "2026-05-06 12:00:00"],
            "amount": ["100.00", "250.50", "40.00"],
            "fee": list(fees),
            "channel": ["credit", "debit", "credit"],
            "kind": ["purchase", "purchase", "refund"],
        }
    )


def files(
    tmp: Path, bad_ledger_line: bool = False, settlement_date: str = "2026-05-07", fees: Sequence[str] = ("0.60", "1.38", "0.00")
) -> List[str]:
    ledger = _ledger_from_arrow(ledger_table()).to_csv()
    if bad_ledger_line:
        lines = ledger.splitlines()
        lines[2] = lines[2].replace("250.50", "2.505")
        ledger = "\n".join(lines) + "\n"
    (tmp / "ledger.csv").write_text(ledger, encoding="utf-8")
    (tmp / "statement.csv").write_text(_statement_from_arrow(statement_table(settlement_date, fees)).to_csv(), encoding="utf-8")
    return [str(tmp / "ledger.csv"), str(tmp / "statement.csv")]


def reconcile(tmp: Path, *extra: str, schedule: str = "sft-traditional", **options: Any) -> List[str]:
    return ["reconcile", *files(tmp, **options), "--schedule", schedule, "--merchant-no", MERCHANT, *extra]


@dataclass
class Case:
    id: str
    args: Callable[[Path], Sequence[str]]
    code: str
    words: Sequence[str] = field(default_factory=list)
    absent: Sequence[str] = field(default_factory=list)


def write(tmp: Path, name: str, text: str) -> str:
    (tmp / name).write_text(text, encoding="utf-8")
    return str(tmp / name)


CATALOGUE = [
    Case("no-command", lambda _: [], "usage"),
    Case("unknown-command", lambda _: ["bogus"], "usage", ["bogus"]),
    Case("quote-without-channel", lambda _: ["quote", "100"], "usage", ["CHANNEL"]),
    Case("quote-unknown-flag", lambda _: ["quote", "100", "debit", "--fast"], "usage", ["--fast"]),
    Case("quote-sub-fen", lambda _: ["quote", "1.001", "debit", "--at", "2026-05-06"], "invalid_amount", ["1.001"]),
    Case("quote-float-text", lambda _: ["quote", "1e400", "debit", "--at", "2026-05-06"], "invalid_amount"),
    Case("quote-channel", lambda _: ["quote", "1", "visa", "--at", "2026-05-06"], "invalid_channel", ["visa"]),
    Case("quote-settlement", lambda _: ["quote", "1", "debit", "--at", "2026-05-06", "--settlement", "X1"], "invalid_settlement", ["X1"]),
    Case("quote-at", lambda _: ["quote", "1", "debit", "--at", "yesterday"], "invalid_date", ["yesterday"]),
    Case("quote-card-type", lambda _: ["quote", "2000", "unionpay_qr", "--at", "2026-05-06", "--card-type", "gold"], "invalid_channel", ["gold"]),
    Case("quote-merchant-class", lambda _: ["quote", "5000", "debit", "--at", "2026-05-06", "--merchant-class", "Discounted"], "invalid_request", ["Discounted", "discounted"]),
    Case("quote-unknown-preset", lambda _: ["quote", "1", "debit", "--schedule", "nope"], "unknown_preset", ["nope"]),
    Case("quote-schedule-missing-path", lambda tmp: ["quote", "1", "debit", "--schedule", str(tmp / "contract.toml")], "io", ["contract.toml"], ["preset"]),
    Case("quote-schedule-missing-relative", lambda _: ["quote", "1", "debit", "--schedule", "contracts/sft.toml"], "io", ["contracts/sft.toml"], ["preset"]),
    Case("quote-schedule-bad-file", lambda tmp: ["quote", "1", "debit", "--schedule", write(tmp, "bad.toml", "name = 1\n")], "invalid_schedule", ["bad.toml"]),
    Case("quote-schedule-not-toml", lambda tmp: ["quote", "1", "debit", "--schedule", write(tmp, "bad.toml", "[[[\n")], "invalid_schedule"),
    Case(
        "quote-year-without-data",
        lambda _: ["quote", "1", "credit", "--at", "2031-03-03 10:00"],
        "calendar_out_of_range",
        ["2031", "--holidays FILE", "--provisional"],
        ["with_years_from_file", "provisional=True"],
    ),
    Case("quote-holidays-missing", lambda tmp: ["quote", "1", "credit", "--at", "2026-05-06", "--holidays", str(tmp / "2027.toml")], "io", ["2027.toml"]),
    Case("quote-file-bad-row", lambda tmp: ["quote", "--file", write(tmp, "t.csv", "amount,channel,time\n1,debit,2026-05-06\n1.001,debit,2026-05-06\n")], "invalid_amount", ["t.csv", "line 3"]),
    Case("compare-without-trades", lambda _: ["compare"], "usage", ["<TRADES>"]),
    Case("compare-without-schedule", lambda tmp: ["compare", write(tmp, "qr.csv", QR_TRADES)], "usage", ["--schedule"]),
    Case("compare-missing-file", lambda tmp: ["compare", str(tmp / "nope.csv"), "--schedule", "sft-smart"], "io", ["nope.csv"]),
    Case("compare-unknown-preset", lambda tmp: ["compare", write(tmp, "qr.csv", QR_TRADES), "--schedule", "sft-smart", "--schedule", "nope"], "unknown_preset", ["nope"]),
    Case("compare-unknown-mode", lambda tmp: ["compare", write(tmp, "qr.csv", QR_TRADES), "--schedule", "sft-smart@X9"], "unknown_preset", ["sft-smart@X9"]),
    Case(
        "compare-bad-row",
        lambda tmp: ["compare", write(tmp, "bad-row.csv", "amount,channel,time\n100,debit,2026-05-06 10:00\n12.345,debit,2026-05-06 11:00\n"), "--schedule", "sft-smart"],
        "invalid_amount",
        ["12.345", "bad-row.csv", "line 3", "amount"],
    ),
    Case(
        "compare-row-an-offer-cannot-price",
        lambda tmp: ["compare", write(tmp, "qr.csv", QR_TRADES), "--schedule", "sft-smart", "--schedule", "sft-esign"],
        "no_matching_rule",
        ["sft-esign", "qr.csv", "line 3", "wechat"],
    ),
    Case("compare-too-many-offers", lambda tmp: ["compare", write(tmp, "qr.csv", QR_TRADES), *["--schedule", "sft-smart"] * 17], "invalid_request", ["17 offers"]),
    Case("calendar-not-a-date", lambda _: ["calendar", "next"], "invalid_date", ["next"]),
    Case("calendar-huge-year", lambda _: ["calendar", "99999999999999999999"], "calendar_out_of_range", ["99999999999999999999"]),
    Case("calendar-year-without-data", lambda _: ["calendar", "2031"], "calendar_out_of_range", ["2031", "--holidays"]),
    Case("calendar-holidays-bad", lambda tmp: ["calendar", "2026", "--holidays", write(tmp, "h.toml", "[[years]]\nyear = 'x'\n")], "invalid_calendar", ["h.toml"]),
    Case("read-unknown-format", lambda tmp: ["read", files(tmp)[1], "--format", "ledger", "--out", str(tmp / "c.csv")], "invalid_request", ["ledger"]),
    Case("reconcile-ledger-missing", lambda tmp: ["reconcile", str(tmp / "nope.csv"), files(tmp)[1], "--schedule", "sft-traditional", "--merchant-no", MERCHANT], "io", ["nope.csv"]),
    Case("reconcile-statement-missing", lambda tmp: ["reconcile", files(tmp)[0], str(tmp / "nope.csv"), "--schedule", "sft-traditional", "--merchant-no", MERCHANT], "io", ["nope.csv"]),
    Case("reconcile-out-missing-folder", lambda tmp: reconcile(tmp, "--out", str(tmp / "no" / "such" / "report.csv")), "io", ["report.csv", "does not exist"]),
    Case("reconcile-out-is-a-folder", lambda tmp: reconcile(tmp, "--out", str(tmp)), "io"),
    Case("reconcile-format-ledger", lambda tmp: reconcile(tmp, "--format", "ledger"), "invalid_request", ["ledger"]),
    Case("reconcile-without-merchant", lambda tmp: ["reconcile", *files(tmp), "--schedule", "sft-traditional"], "usage", ["--merchant-no"]),
    Case("reconcile-on-invalid-bogus", lambda tmp: reconcile(tmp, "--on-invalid", "bogus"), "usage", ["bogus", "raise", "report"]),
    Case("reconcile-window-word", lambda tmp: reconcile(tmp, "--window", "long"), "usage", ["long"]),
    Case("reconcile-window-huge", lambda tmp: reconcile(tmp, "--window", str(10**30)), "invalid_request", [str(10**30)]),
    Case("reconcile-window-negative", lambda tmp: reconcile(tmp, "--window", "-5"), "invalid_request", ["-5"]),
    Case("reconcile-settlement", lambda tmp: reconcile(tmp, "--settlement", "X1"), "invalid_settlement", ["X1"]),
    Case("reconcile-merchant-class", lambda tmp: reconcile(tmp, "--merchant-class", " discounted"), "invalid_request", ["discounted"]),
    Case("reconcile-merchant-number", lambda tmp: ["reconcile", *files(tmp), "--schedule", "sft-traditional", "--merchant", "123"], "invalid_record", ["123"]),
    Case("reconcile-bad-ledger-line", lambda tmp: reconcile(tmp, bad_ledger_line=True), "invalid_amount", ["2.505", "ledger.csv", "line 3"]),
    Case("reconcile-schedule-missing-path", lambda tmp: reconcile(tmp, schedule="./contract.toml"), "io", ["contract.toml"], ["preset"]),
    Case("reconcile-holidays-missing", lambda tmp: reconcile(tmp, "--holidays", str(tmp / "2027.json")), "io", ["2027.json"]),
]


def test_the_catalogue_is_large_and_ids_are_unique():
    assert len(CATALOGUE) >= 30
    assert len({case.id for case in CATALOGUE}) == len(CATALOGUE)


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.id for case in CATALOGUE])
def test_bad_command_line(case: Case, tmp_path: Path) -> None:
    result = posfee(*case.args(tmp_path), cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    assert result.stdout == "", result.stdout
    match = LINE.match(lines[0])
    assert match is not None, lines[0]
    assert match["code"] == case.code, lines[0]
    for word in case.words:
        assert word in lines[0], (word, lines[0])
    for word in case.absent:
        assert word not in lines[0], (word, lines[0])
    assert "Traceback" not in result.stderr


def classes(summary: Dict[str, Any]) -> Dict[str, int]:
    """Rows per class (classes without rows left out)."""
    counts = {entry["class"]: entry["ledger_rows"] + entry["statement_rows"] + entry["unreadable_rows"] for entry in summary["classes"]}
    return {name: count for name, count in counts.items() if count}


def test_a_d0_merchant_reconciles_from_the_command_line(tmp_path: Path) -> None:
    # Settled the same day with the D0 surcharge of the standard-d0 contract.
    d0: Dict[str, Any] = {"settlement_date": "2026-05-06", "fees": ("3.60", "4.25", "0.00")}
    out = tmp_path / "report.csv"
    args = reconcile(tmp_path, "--settlement", "D0", "--window", "300", "--out", str(out), "--json", schedule="standard-d0", **d0)
    result = posfee(*args)
    assert result.returncode == 0, result.stderr
    assert classes(json.loads(result.stdout)) == {"ok": 6}
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 6 and rows[0].startswith("side,index,line,")
    # The same files read as a T+1 merchant: the D0 surcharge is a fee the contract does not price.
    result = posfee(*reconcile(tmp_path, "--json", schedule="standard-d0", **d0))
    assert classes(json.loads(result.stdout)) == {"ok": 2, "extra_fee": 4}


def test_bad_lines_can_be_reported_instead(tmp_path: Path) -> None:
    result = posfee(*reconcile(tmp_path, "--on-invalid", "report", "--json", bad_ledger_line=True))
    summary = json.loads(result.stdout)
    assert summary["unreadable_rows"] == 1
    assert classes(summary)["unreadable"] == 1


def test_provisional_and_holidays_flags(tmp_path: Path) -> None:
    result = posfee("quote", "1", "credit", "--at", "2031-03-03 10:00", "--provisional")
    assert result.returncode == 0 and "provisional" in result.stdout
    holidays = tmp_path / "2027.toml"
    holidays.write_text(
        '[[years]]\nyear = 2027\nnotice = "test"\n\n[[years.holidays]]\nname_zh = "元旦"\nname_en = "New Year\'s Day"\n'
        'first = 2027-01-01\nlast = 2027-01-03\nmakeup_workdays = []\n',
        encoding="utf-8",
    )
    result = posfee("calendar", "2027", "--holidays", str(holidays))
    assert result.returncode == 0 and "New Year" in result.stdout

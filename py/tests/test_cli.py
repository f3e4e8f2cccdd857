"""The ``posfee`` console script and ``python -m posfee``: the Rust command line (cli/) run
through the extension module. Its bad-input catalogue is tests/test_cli_catalogue.py; the
comparison with the Rust binary byte for byte is tests/test_cli_same_as_binary.py."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

import posfee

MERCHANT = "102310058120001"


def run(*args: str, cwd: "str | Path | None" = None) -> "subprocess.CompletedProcess[str]":
    return subprocess.run([sys.executable, "-m", "posfee", *args], capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=cwd)


def ok(*args: str) -> str:
    result = run(*args)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return result.stdout


def test_quote_table():
    out = ok("quote", "5000", "debit", "--at", "2026-09-30 22:30", "--schedule", "sft-traditional")
    assert "¥20.00" in out and "2026-10-08" in out and "capped at ¥20.00" in out


def test_quote_json():
    data = json.loads(ok("quote", "5000", "debit", "--at", "2026-09-30T22:30:00+08:00", "--schedule", "sft-traditional", "--json"))
    assert data["fee"] == "20.00" and data["net"] == "4980.00" and data["settles_on"] == "2026-10-08"


def test_quote_error_exit_code():
    result = run("quote", "1.001", "debit", "--at", "2026-05-06")
    assert result.returncode == 2 and result.stderr.startswith("posfee: error [invalid_amount]: ") and result.stdout == ""
    result = run("quote", "1", "visa", "--at", "2026-05-06")
    assert result.returncode == 2 and result.stderr.startswith("posfee: error [invalid_channel]: ")


def test_calendar():
    out = ok("calendar", "2026")
    assert "248 business days" in out and "National Day" in out and "Sat 10-10" in out
    data = json.loads(ok("calendar", "2026", "--json"))
    assert data["business_days"] == 248 and len(data["holidays"]) == 7
    result = run("calendar", "2031")
    assert result.returncode == 2 and result.stderr.startswith("posfee: error [calendar_out_of_range]: ")


def test_presets_and_formats():
    assert "sft-traditional" in ok("presets")
    names = [entry["name"] for entry in json.loads(ok("formats", "--json"))]
    assert names == [entry["name"] for entry in posfee.formats()]


def test_reconcile_files(tmp_path: Path) -> None:
    ledger, statement, merchant, *_ = posfee._core.simulate(11, 600, 2)
    (tmp_path / "ledger.csv").write_text(ledger.to_csv(), encoding="utf-8")
    (tmp_path / "statement.csv").write_text(statement.to_csv(), encoding="utf-8")
    out = tmp_path / "report.csv"
    argv: List[str] = [str(tmp_path / "ledger.csv"), str(tmp_path / "statement.csv"), "--schedule", "sft-traditional", "--merchant-no", merchant]
    text = ok("reconcile", *argv, "--out", str(out))
    assert "fee_above" in text and "rows written" in text
    assert out.read_text(encoding="utf-8").startswith("side,")
    assert json.loads(ok("reconcile", *argv, "--json"))["ledger_rows"] == len(ledger)


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "posfee")
    if not os.path.exists(script):
        pytest.skip("console script not installed in this environment")
    result = subprocess.run([script, "quote", "100", "credit", "--at", "2026-05-06"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "¥0.60" in result.stdout


def test_main_returns_the_status():
    from posfee.__main__ import main

    assert main(["presets", "--bogus"]) == 2

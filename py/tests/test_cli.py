import json
import os
import subprocess
import sys

import pytest

from posfee.cli import main


def test_quote_table(capsys):
    assert main(["quote", "5000", "debit", "--at", "2026-09-30 22:30", "--schedule", "sft-traditional"]) == 0
    out = capsys.readouterr().out
    assert "¥20.00" in out and "2026-10-08" in out and "capped at ¥20.00" in out


def test_quote_json(capsys):
    assert main(["quote", "5000", "debit", "--at", "2026-09-30T22:30:00+08:00", "--schedule", "sft-traditional", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fee"] == "20.00" and data["net"] == "4980.00" and data["settles_on"] == "2026-10-08"


def test_quote_error_exit_code(capsys):
    assert main(["quote", "1.001", "debit", "--at", "2026-05-06"]) == 2
    assert capsys.readouterr().err.startswith("posfee: error [invalid_amount]: ")
    assert main(["quote", "1", "visa", "--at", "2026-05-06"]) == 2
    assert capsys.readouterr().err.startswith("posfee: error [invalid_channel]: ")


def test_calendar(capsys):
    assert main(["calendar", "2026"]) == 0
    out = capsys.readouterr().out
    assert "248 business days" in out and "National Day" in out and "Sat 10-10" in out
    assert main(["calendar", "2026", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["business_days"] == 248 and len(data["holidays"]) == 7
    assert main(["calendar", "2031"]) == 2
    assert capsys.readouterr().err.startswith("posfee: error [calendar_out_of_range]: ")


def test_presets(capsys):
    assert main(["presets"]) == 0
    assert "sft-traditional" in capsys.readouterr().out


def test_console_script_is_installed():
    script = os.path.join(os.path.dirname(sys.executable), "posfee")
    if not os.path.exists(script):
        pytest.skip("console script not installed in this environment")
    result = subprocess.run([script, "quote", "100", "credit", "--at", "2026-05-06"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "¥0.60" in result.stdout


def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "posfee", "calendar", "2026", "--json"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and json.loads(result.stdout)["year"] == 2026

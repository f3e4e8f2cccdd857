"""The same ``posfee`` command lines through the Rust binary (``cargo build -p posfee-cli``,
target/debug/posfee) and through the Python package (the console script, and
``python -m posfee``): stdout, stderr and the exit status are identical byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "core" / "tests" / "formats" / "bank-pos-csv" / "sample.csv"

Run = Tuple[int, bytes, bytes]


@pytest.fixture(scope="module")
def binary() -> Path:
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("cargo is not installed")
    # Builds (or finds up to date) the binary from the same sources as the extension module.
    subprocess.run([cargo, "build", "--quiet", "-p", "posfee-cli"], cwd=ROOT, check=True, timeout=1800)
    path = ROOT / "target" / "debug" / ("posfee.exe" if os.name == "nt" else "posfee")
    assert path.exists(), path
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from posfee import _core

    folder = tmp_path_factory.mktemp("cli-files")
    ledger, statement, *_ = _core.simulate(5, 300, 2)
    (folder / "ledger.csv").write_text(ledger.to_csv(), encoding="utf-8")
    (folder / "statement.csv").write_text(statement.to_csv(), encoding="utf-8")
    (folder / "trades.csv").write_text("amount,channel,time\n5000,debit,2026-09-30 22:30\n12.345,debit,2026-05-06\n", encoding="utf-8")
    return folder


INVOCATIONS: List[List[str]] = [
    ["--help"],
    ["--version"],
    ["quote", "--help"],
    ["reconcile", "--help"],
    ["quote", "5000", "debit", "--at", "2026-09-30 22:30", "--schedule", "sft-traditional"],
    ["quote", "5000", "debit", "--at", "2026-09-30 22:30", "--schedule", "sft-traditional", "--json"],
    ["quote", "--file", "trades.csv", "--on-invalid", "report", "--schedule", "sft-traditional"],
    ["calendar", "2026"],
    ["calendar", "2026-09-28", "2026-10-12", "--json"],
    ["presets"],
    ["formats", "--json"],
    ["read", str(SAMPLE), "--out", "-"],
    ["reconcile", "ledger.csv", "statement.csv", "--schedule", "sft-traditional", "--merchant-no", "102310058120001", "--out", "report.csv"],
    ["reconcile", "ledger.csv", "statement.csv", "--schedule", "sft-traditional", "--merchant-no", "102310058120001", "--json"],
    # errors
    [],
    ["bogus"],
    ["quote", "1.001", "debit", "--at", "2026-05-06"],
    ["quote", "--file", "trades.csv"],
    ["calendar", "2031"],
    ["reconcile", "nope.csv", "statement.csv", "--schedule", "sft-traditional", "--merchant-no", "102310058120001"],
    ["reconcile", "ledger.csv", "statement.csv", "--schedule", "sft-traditional", "--merchant-no", "102310058120001", "--window", "-5"],
]


def run(command: List[str], args: List[str], cwd: Path) -> Run:
    result = subprocess.run([*command, *args], capture_output=True, timeout=300, cwd=cwd)
    return result.returncode, result.stdout, result.stderr


def test_there_are_enough_invocations() -> None:
    assert len(INVOCATIONS) >= 10
    assert any(args and args[-1] == "--help" for args in INVOCATIONS)
    assert sum(1 for args in INVOCATIONS[14:]) >= 5


@pytest.mark.parametrize("args", INVOCATIONS, ids=[" ".join(args) or "(none)" for args in INVOCATIONS])
def test_python_module_and_binary_agree_byte_for_byte(args: List[str], binary: Path, files: Path) -> None:
    from_rust = run([str(binary)], args, files)
    from_python = run([sys.executable, "-m", "posfee"], args, files)
    assert from_python == from_rust


@pytest.mark.parametrize("args", INVOCATIONS, ids=[" ".join(args) or "(none)" for args in INVOCATIONS])
def test_console_script_and_binary_agree_byte_for_byte(args: List[str], binary: Path, files: Path) -> None:
    script = Path(sys.executable).parent / ("posfee.exe" if os.name == "nt" else "posfee")
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    from_rust = run([str(binary)], args, files)
    from_script = run([str(script)], args, files)
    assert from_script == from_rust
    # Not vacuous: each invocation either succeeded with output or failed with the one line.
    status, stdout, stderr = from_rust
    assert (status == 0 and stdout) or (status == 2 and stderr.count(b"\n") == 1)

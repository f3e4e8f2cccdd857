import os
import subprocess
import sys

import pytest

PY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_stubtest_finds_no_difference_between_stubs_and_runtime():
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "posfee", "--mypy-config-file", os.path.join(PY, "pyproject.toml")],
        cwd=PY,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_package_is_typed():
    import posfee

    assert os.path.exists(os.path.join(os.path.dirname(posfee.__file__), "py.typed"))


def test_package_type_checks_strictly():
    pytest.importorskip("mypy")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", os.path.join(PY, "python", "posfee"), "--config-file", os.path.join(PY, "pyproject.toml")],
        cwd=PY,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr

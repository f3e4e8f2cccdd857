"""Runs the Python examples of the README (the ```python blocks of its "## Python" section)."""

import os
import re

README = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "README.md")


def python_blocks():
    with open(README, encoding="utf-8") as file:
        text = file.read()
    section = re.search(r"^## Python\n(.*?)(?=^## )", text, re.S | re.M)
    assert section, "README has no ## Python section"
    return re.findall(r"^```python\n(.*?)^```", section.group(1), re.S | re.M)


def test_readme_has_python_examples():
    assert len(python_blocks()) >= 3


def test_readme_python_examples_run(capsys):
    namespace: dict = {}
    for block in python_blocks():
        exec(compile(block, README, "exec"), namespace)
    out = capsys.readouterr().out
    assert "capped at ¥20.00" in out and "never a float" in out

"""Checks that posfee, the polars lazy pipeline and the DuckDB script agree on the class counts.

Usage: compare_counts.py POSFEE_SUMMARY.json POSFEE_REPORT.csv POLARS.json DUCKDB.json

- POSFEE_SUMMARY.json: `posfee reconcile ... --json` (the classes with ledger and statement rows);
- POSFEE_REPORT.csv: `posfee reconcile ... --out report.csv` of the same files (its
  `matched_by` column names the pairs found by the time-window fallback);
- POLARS.json, DUCKDB.json: the one-line outputs of benches/polars_lazy.py and
  benches/duckdb_baseline.py ({"ledger": {class: rows}, "statement": {class: rows}, ...}).

posfee pairs rows without a reference number by terminal, amount, kind and a time window; the
other two pipelines match by reference only. So each time-window pair is one more
`never_settled` ledger row and one more `no_ledger_trade` statement row for them, and one row
less on each side in the pair's class. This script moves exactly those rows in posfee's counts
(the "expected" columns) and requires the other two to equal them class by class: an exact
check, not a tolerance. Prints the table side by side; exits 1 on any difference.
"""

import csv
import json
import sys
from collections import Counter

SIDES = ("ledger", "statement")
UNMATCHED = {"ledger": "never_settled", "statement": "no_ledger_trade"}


def posfee_counts(summary_path: str) -> dict[str, Counter]:
    with open(summary_path, encoding="utf-8") as file:
        summary = json.load(file)
    counts = {side: Counter() for side in SIDES}
    for row in summary["classes"]:
        for side in SIDES:
            if row[f"{side}_rows"]:
                counts[side][row["class"]] += row[f"{side}_rows"]
    return counts


def time_window_rows(report_path: str) -> dict[str, Counter]:
    """Per side, the classes of the rows that posfee paired by the time-window fallback."""
    moved = {side: Counter() for side in SIDES}
    with open(report_path, encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if row["matched_by"] == "time_window":
                moved[row["side"]][row["class"]] += 1
    return moved


def main(summary_path: str, report_path: str, *engine_paths: str) -> int:
    posfee = posfee_counts(summary_path)
    moved = time_window_rows(report_path)
    pairs = sum(moved["ledger"].values())
    assert pairs == sum(moved["statement"].values()), "a time-window pair has a row on each side"
    expected = {side: Counter(posfee[side]) for side in SIDES}
    for side in SIDES:
        expected[side].subtract(moved[side])
        expected[side][UNMATCHED[side]] += pairs
        expected[side] = Counter({k: v for k, v in expected[side].items() if v})
    engines = []
    for path in engine_paths:
        with open(path, encoding="utf-8") as file:
            result = json.loads(file.read().strip().splitlines()[-1])
        engines.append((result["engine"], {side: Counter(result[side]) for side in SIDES}))

    classes = sorted(
        {c for side in SIDES for c in [*posfee[side], *expected[side]] + [c for _, e in engines for c in e[side]]},
        key=lambda c: ORDER.index(c) if c in ORDER else len(ORDER),
    )
    names = ["posfee", "expected"] + [name for name, _ in engines]
    cells = [posfee, expected] + [counts for _, counts in engines]
    cell = lambda counts, c: f"{counts['ledger'][c]:,} / {counts['statement'][c]:,}"  # noqa: E731
    print("rows per class, ledger / statement; expected: posfee with its time-window pairs unmatched")
    print(f"{'class':<22}" + "".join(f"{name:>24}" for name in names))
    differ = []
    for c in classes:
        flag = ""
        for name, counts in engines:
            if any(counts[side][c] != expected[side][c] for side in SIDES):
                differ.append((name, c))
                flag = "  <- differs"
        print(f"{c:<22}" + "".join(f"{cell(counts, c):>24}" for counts in cells) + flag)
    totals = [{side: {"all": sum(counts[side].values())} for side in SIDES} for counts in cells]
    print(f"{'total':<22}" + "".join(f"{cell(t, 'all'):>24}" for t in totals))
    print(
        f"time-window fallback: posfee pairs {pairs:,} rows a side without a reference number "
        f"(classes {dict(moved['ledger'])}); the others count them as never_settled / no_ledger_trade"
    )
    if differ:
        print("class counts differ beyond the time-window pairs: " + ", ".join(f"{n} {c}" for n, c in differ))
        return 1
    print(f"class counts agree: posfee (less its {pairs:,} time-window pairs) = " + " = ".join(n for n, _ in engines))
    return 0


ORDER = [
    "ok",
    "amount_differs",
    "extra_fee",
    "fee_above",
    "fee_below",
    "net_differs",
    "settled_late",
    "settled_before_trade",
    "merchant_differs",
    "unchecked",
    "declined",
    "voided",
    "void_without_original",
    "never_settled",
    "no_ledger_trade",
    "ledger_duplicate",
    "statement_duplicate",
    "unreadable",
]

if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))

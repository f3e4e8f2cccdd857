"""Writes the 1M-a-side files of scripts/bench-reconcile.sh again with many distinct terminals
(an agent's statement: tens of thousands of terminals instead of a merchant's few), to measure
reading and reconciling such files (BENCHMARKS.md, thirty-seventh session).

Each row's terminal becomes T followed by seven digits: its reference number (the original's
for a void or refund) modulo --terminals, on both sides, so that a trade keeps one terminal in
the ledger and the statement and every pair still matches. Every other byte is kept.

Usage: python benches/many_terminals.py [--big target/bench-data/1000000] [--terminals 60000]
Then: target/release/posfee reconcile OUT/ledger.csv OUT/statement.csv --format bank
      --schedule sft-traditional --merchant-no 102310058120001 --json --timings
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rewrite(source: Path, target: Path, terminal: str, references: list[str], count: int) -> None:
    with source.open(newline="", encoding="utf-8") as inp, target.open("w", newline="", encoding="utf-8") as out:
        rows, writer = csv.reader(inp), csv.writer(out, lineterminator="\n")
        header = next(rows)
        writer.writerow(header)
        at, refs = header.index(terminal), [header.index(name) for name in references]
        for row in rows:
            reference = next((row[k] for k in refs if row[k]), "")
            if reference.isdigit():
                row[at] = f"T{int(reference) % count:07d}"
            writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=Path, default=ROOT / "target" / "bench-data" / "1000000")
    parser.add_argument("--terminals", type=int, default=60_000)
    arguments = parser.parse_args()
    out = arguments.big.with_name(f"{arguments.big.name}-terminals-{arguments.terminals}")
    out.mkdir(parents=True, exist_ok=True)
    rewrite(arguments.big / "ledger.csv", out / "ledger.csv", "terminal", ["original_rrn", "rrn"], arguments.terminals)
    rewrite(arguments.big / "statement.csv", out / "statement.csv", "终端号", ["参考号"], arguments.terminals)
    print(out)


if __name__ == "__main__":
    main()

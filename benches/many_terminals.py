"""Writes the 1M-a-side files of scripts/bench-reconcile.sh again with many distinct terminals
(an agent's statement: tens of thousands of terminals instead of a merchant's few), to measure
reading and reconciling such files (BENCHMARKS.md, thirty-seventh session).

Each row's terminal becomes T followed by seven digits, from a value both sides of a trade
hold, modulo --terminals: a card trade's own reference number (a void's: its original's, as
a void is matched to its original by reference and terminal, and only the ledger holds it),
and a QR trade's amount (a QR row of the statement may carry no reference; its partner is
found by terminal, time and amount). So a trade keeps one terminal in the ledger and the statement, and the pairs the
original files make are made again: the class counts are the original files' but for the few
QR trades whose amounts the generator made differ (amount_differs), which become a never-settled
ledger row and a statement row without a ledger trade. Every other byte is kept.

(Until 2026-12-05 the reference was the original's for a void or refund, and a QR row without
one kept its terminal: 40,237 pairs were broken, and the thirty-seventh session's figures for
these files were of a reconcile with 40,237 never-settled trades more.)

Usage: python benches/many_terminals.py [--big target/bench-data/1000000] [--terminals 60000]
Then: target/release/posfee reconcile OUT/ledger.csv OUT/statement.csv --format bank
      --schedule sft-traditional --merchant-no 102310058120001 --json --timings
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rewrite(source: Path, target: Path, terminal: str, reference: str, amount: str, channel: str, qr: set[str], count: int,
            void: tuple[str, str, str] | None = None) -> None:
    """`void`: the columns of the kind and of the original's reference, and a void's kind."""
    with source.open(newline="", encoding="utf-8") as inp, target.open("w", newline="", encoding="utf-8") as out:
        rows, writer = csv.reader(inp), csv.writer(out, lineterminator="\n")
        header = next(rows)
        writer.writerow(header)
        at, reference_at, amount_at, channel_at = (header.index(name) for name in (terminal, reference, amount, channel))
        kind_at, original_at = (header.index(void[0]), header.index(void[1])) if void else (None, None)
        for row in rows:
            if row[channel_at] in qr:
                value = row[amount_at].replace(".", "")
            elif void and row[kind_at] == void[2]:
                value = row[original_at]
            else:
                value = row[reference_at]
            if value.isdigit():
                row[at] = f"T{int(value) % count:07d}"
            writer.writerow(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=Path, default=ROOT / "target" / "bench-data" / "1000000")
    parser.add_argument("--terminals", type=int, default=60_000)
    arguments = parser.parse_args()
    out = arguments.big.with_name(f"{arguments.big.name}-terminals-{arguments.terminals}")
    out.mkdir(parents=True, exist_ok=True)
    rewrite(arguments.big / "ledger.csv", out / "ledger.csv", "terminal", "rrn", "amount", "channel", {"wechat", "alipay"}, arguments.terminals,
            void=("kind", "original_rrn", "void"))
    rewrite(arguments.big / "statement.csv", out / "statement.csv", "终端号", "参考号", "交易金额", "卡类别", {"微信", "支付宝"}, arguments.terminals)
    print(out)


if __name__ == "__main__":
    main()

"""Speed of Arrow input for reconciliation (issue 13, point 4): a benchmark script, not a test.

Times ``_core.tables_from_arrow`` (both sides at once, two threads: Arrow → the core's
columns, every row checked) on the simulated month of ``--trades`` trades a side, given three
ways:

1. whole tables (one chunk a column);
2. the same tables in 65,536-row slices (``Table.to_batches``): chunks that share one buffer;
3. the tables read back from Feather files written in 65,536-row batches: chunks with their
   own buffers, as Feather and Parquet files give them.

Text is shared with Arrow's buffers, not copied: a whole column as it is, chunks of the same
power-of-two number of rows each (the slices' offsets, which do not start at 0, are copied);
chunks of other sizes are copied into one buffer (BENCHMARKS.md, 2026-11-30, sixth session).
The columns of few distinct values (terminals, merchant numbers and names, batches, response
codes) are held once a distinct value instead (BENCHMARKS.md, thirty-seventh session).

    .venv/bin/python py/bench/bench_arrow_input.py --trades 1000000 --repeat 9
"""

import argparse
import tempfile
import time
from pathlib import Path

import pyarrow
import pyarrow.feather as feather

from posfee import _core


def best_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
        del result  # freeing is not part of the time
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trades", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    ledger, statement, *_ = _core.simulate(42, args.trades, 3)
    whole = (ledger.to_arrow(), statement.to_arrow())
    sliced = tuple(pyarrow.Table.from_batches(table.to_batches(max_chunksize=65_536)) for table in whole)
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"{name}.feather" for name in ("ledger", "statement")]
        for table, path in zip(whole, paths):
            feather.write_feather(table, path, chunksize=65_536, compression="uncompressed")
        from_files = tuple(feather.read_table(path, memory_map=False) for path in paths)
    rows = len(ledger) + len(statement)
    print(f"## Arrow → core columns, {len(ledger):,} ledger + {len(statement):,} statement rows (best of {args.repeat})\n")
    print("| round | whole | 65,536-row slices | Feather, 65,536-row batches |")
    print("|---|---:|---:|---:|")
    for round_number in range(1, args.rounds + 1):
        seconds = [best_seconds(lambda tables=tables: _core.tables_from_arrow(*tables), args.repeat) for tables in (whole, sliced, from_files)]
        print(f"| {round_number} | " + " | ".join(f"{s:.4f} s ({rows / s / 1e6:.0f}M rows/s)" for s in seconds) + " |")


if __name__ == "__main__":
    main()

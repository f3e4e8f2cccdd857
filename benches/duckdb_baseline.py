"""posfee's reconciliation as one DuckDB SQL script (benches/reconcile.sql), on the files of
scripts/bench-reconcile.sh.

Usage: duckdb_baseline.py DIR   (DIR holds ledger.csv, statement.csv and due_dates.csv, written
by `posfee demo --trades N --export-sample DIR`). Prints one JSON line: the seconds of the query
(connection, CSV reading, every check, the counts; after `import duckdb`) and the rows per class
on each side. The rules are those of benches/polars_lazy.py (its docstring lists them and what
neither pipeline does); the script reads the files with explicit column types, money as
DECIMAL(18,2) turned into integer fen.

Settings: threads = 2 (the machine's cores), preserve_insertion_order = false. Row order is
needed once: "the first row" of a duplicate group is the lowest `row_number() OVER ()` of the
CSV scan, which DuckDB runs as a streaming window in file order (checked at 1M rows against the
file; the edge cases of scripts/bench-reconcile.sh --edge-cases include a duplicate with
another amount).

What was tried (the whole query, best of 3, 300k trades a side unless noted; CPU seconds,
because other jobs shared the 2 cores, load average 3-6; 2026-11-29, DuckDB 2.0.1):
1. First complete script, written as one would first write it: duplicates by
   `row_number() OVER (PARTITION BY rrn, terminal, date, ... ORDER BY row) > 1`, the full join
   on (reference, terminal, date, kind), every check after the join: 0.76-0.84 s CPU
   (1.08-1.30 s wall); at 1M a side 2.40 s (load 1.3). The two windows took 1.1 s of the
   2.2 s of operator time, the CSV scans 0.5 s, the full join 0.2 s.
2. Duplicates by `GROUP BY hash(key)` -> `min(row)`, joined back on the row number; the full
   join on that hash; the fee, the due date and the statement's own checks computed on each
   side before the join: 0.50-0.56 s CPU (0.29-0.79 s wall).
Tried and not kept (against 2.):
- preserve_insertion_order = true (the default): 0.53 against 0.50;
- threads = 1: the same CPU time (0.49); on a machine with the 2 cores free, 2 threads is
  faster in wall time;
- statement dates read as INTEGER (yyyymmdd) instead of DATE with dateformat: no change;
- the full join on (reference, terminal, date) instead of the hash: no change (0.54 / 0.54);
- first rows by `min(row) OVER (PARTITION BY key)` instead of GROUP BY and a join back:
  0.56 -> 0.57 on the statement alone, 0.65 on both sides;
- ENUM types for the kinds and channels: no change (0.53 / 0.54).
"""

import json
import sys
import time
from pathlib import Path

import duckdb

SQL = (Path(__file__).resolve().parent / "reconcile.sql").read_text(encoding="utf-8")


def main(directory: str) -> None:
    started = time.perf_counter()
    connection = duckdb.connect(config={"threads": 2, "preserve_insertion_order": False})
    connection.execute("SET VARIABLE dir = ?", [directory])
    rows = connection.sql(SQL).fetchall()
    seconds = time.perf_counter() - started
    ledger: dict[str, int] = {}
    statement: dict[str, int] = {}
    for l_class, s_class, n in rows:
        if l_class is not None:
            ledger[l_class] = ledger.get(l_class, 0) + n
        if s_class is not None:
            statement[s_class] = statement.get(s_class, 0) + n
    print(json.dumps({"engine": "duckdb", "version": duckdb.__version__, "seconds": round(seconds, 3), "ledger": ledger, "statement": statement}))


if __name__ == "__main__":
    main(sys.argv[1])

"""Speed of table quotes from Python (issue 15, point 4): a benchmark script, not a test.

On one generated table of trades (pyarrow: decimal128 amounts, string channels, naive
timestamps in China time; May 2026; credit / debit / WeChat / Alipay; ¥1 to ¥20,000):

1. ``Schedule.quote_table(table)``: Arrow → core columns → full quotes (fee, net, rule,
   limit, settlement, trade day, settlement date, warnings) → Arrow columns.
2. The Rust core alone on the same rows (``Schedule::quote_table`` after the same conversion,
   timed inside the extension, one thread).
3. The polars expression that computes the same fees in integer fen (sft-traditional, T1:
   credit 0.60%, debit 0.55% capped ¥20, QR 0.38%, half-up to the fen), as one lazy plan;
   its fees are checked equal to posfee's.

Goals: 1 at least 3x faster than 3; 1 within 1.3x of 2.

Usage: python py/bench/bench_quote_table.py [--rows 10000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import polars as pl
import pyarrow as pa

import posfee
from posfee import _core


def trades(rows: int, seed: int = 15) -> pa.Table:
    rng = np.random.default_rng(seed)
    fen = rng.integers(100, 2_000_100, rows, dtype=np.int64)
    channels = np.array(["credit", "debit", "wechat", "alipay"])[rng.integers(0, 4, rows)]
    start = np.datetime64("2026-05-01T00:00:00", "us")
    times = start + rng.integers(0, 31 * 86_400, rows).astype("timedelta64[s]")
    amount = pa.Array.from_buffers(pa.decimal128(18, 2), rows, [None, pa.py_buffer(np.stack([fen, np.zeros(rows, np.int64)], axis=1).tobytes())])
    return pa.table({"amount": amount, "channel": pa.array(channels, pa.string()), "time": pa.array(times, pa.timestamp("us"))})


def polars_fees(table: pa.Table) -> pl.DataFrame:
    channel = pl.col("channel")
    fen = (pl.col("amount") * 100).cast(pl.Int64)
    rate_e8 = pl.when(channel == "credit").then(600_000).when(channel == "debit").then(550_000).otherwise(380_000)
    fee = (fen * rate_e8 + 50_000_000) // 100_000_000
    fee = pl.when(channel == "debit").then(pl.min_horizontal(fee, 2_000)).otherwise(fee)
    return pl.from_arrow(table).lazy().select(fee.alias("fee_fen")).collect()


def best(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
        del result
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    table = trades(args.rows)
    schedule = posfee.Schedule.preset("sft-traditional")

    quoted = schedule.quote_table(table)
    fees = polars_fees(table)["fee_fen"]
    posfee_fen = pl.from_arrow(quoted.column("fee")).cast(pl.Decimal(20, 2)) * 100
    assert (posfee_fen.cast(pl.Int64) == fees).all(), "polars and posfee disagree"
    del quoted

    python = best(lambda: schedule.quote_table(table), args.repeat)
    rows, core = _core._time_core_quote_table(schedule, table, args.repeat)
    polars = best(lambda: polars_fees(table), args.repeat)
    print(f"{args.rows:,} rows; {platform.python_version()}, polars {pl.__version__} ({pl.thread_pool_size()} threads), "
          f"pyarrow {pa.__version__}; load {os.getloadavg()[0]:.2f}")
    print("| run | seconds | rows per second |")
    print("|---|---|---|")
    for name, seconds in [("posfee Schedule.quote_table (Python, pyarrow in and out)", python),
                          ("Rust core Schedule::quote_table, same rows (one thread)", core),
                          ("polars lazy expression, fees only in integer fen", polars)]:
        print(f"| {name} | {seconds:.3f} | {args.rows / seconds / 1e6:.1f} M |")
    print(f"\nposfee vs polars: {polars / python:.2f}x faster; Python vs the core: {python / core:.2f}x")


if __name__ == "__main__":
    main()

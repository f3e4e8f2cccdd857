"""Reconciliation scaled out on Dask: partition by reference-number hash, reconcile each
partition with posfee, and get exactly the single-machine result.

Why it is partitionable: ``posfee.reconcile`` first matches rows by reference number (参考号)
— and duplicates and voids (a void carries its purchase's reference as ``original_rrn``) are
also decided by reference — then matches what is left by terminal, amount and time window
(QR bills often carry no reference). So:

1. pass 1, by reference: rows with a reference, shuffled on the hash of the reference (a
   void's: its purchase's), reconciled partition by partition with ``map_partitions``;
2. pass 2, the rest: rows without a reference, plus the rows pass 1 left unmatched
   (``never_settled`` / ``no_ledger_trade``), shuffled on the hash of the terminal and
   reconciled again — the time-window matches happen here.

Within a partition, rows keep their input order (``_row``), so tie-breaks are those of a
single run; the result is identical to one ``posfee.reconcile`` over everything (checked by
``main`` and by py/tests/test_dask_example.py) — except how a wrong fee was charged. That
diagnosis (the ``charged_*`` columns and the words before ``(fee ¥…, contract ¥…)`` in the
reason) weighs the evidence of the other wrong fees of the same run: a partition sees only
its own, so a fee that fits both a rate and an add-on may be told otherwise. The class, the
fees and the rest of the reason are the same; :func:`canonical` compares those. For the
month-wide diagnosis and the findings, reconcile a merchant's month in one call (partition
by merchant).

Run it (local mode, generated data):

    python py/examples/dask_reconcile.py --trades 200000 --partitions 8

The same on PySpark with ``mapInArrow``: union both sides into one DataFrame with a ``side``
column and the ``_part`` key, ``repartition(n, "_part")``, then
``df.mapInArrow(reconcile_batches, schema)`` where ``reconcile_batches`` collects the
partition's batches, splits them by ``side`` into two ``pyarrow.Table``s, calls
``posfee.reconcile(ledger, statement, ...)`` and yields ``report.rows.to_batches()``. Run
pass 2 the same way on the leftover rows keyed by terminal. See the README's Python section.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import zlib
from typing import Any, Dict, List, Sequence

import pandas as pd

import posfee

# Every column of a report row (positions are made global again by reconcile_partition).
KEY_COLUMNS = [
    "side", "index", "line", "trade_id", "rrn", "terminal", "class", "findings",
    "partner", "matched_by", "amount", "fee", "net", "expected_fee", "reason",
]


def partition_of(key: str, partitions: int) -> int:
    """A stable hash of a key (the same on every machine and run)."""
    return zlib.crc32(key.encode("utf-8")) % partitions


def reference_of(frame: pd.DataFrame, ledger: bool) -> pd.Series:
    """The reference a row is matched by: its own, or for a void its purchase's."""
    reference = frame["rrn"].fillna("").astype(str)
    if ledger and "original_rrn" in frame:
        void = frame["kind"].astype(str).eq("void") & frame["original_rrn"].fillna("").astype(str).ne("")
        reference = reference.where(~void, frame["original_rrn"].astype(str))
    return reference


LEFTOVER = ("never_settled", "no_ledger_trade")


def reconcile_partition(ledger: pd.DataFrame, statement: pd.DataFrame, options: Dict[str, Any]) -> pd.DataFrame:
    """posfee.reconcile on one partition (rows in input order), the report rows as pandas,
    with the partition-local positions (`index`, `partner`, `line`, and row numbers in
    `reason`) turned back into positions in the whole input."""
    ledger = ledger.sort_values("_row", kind="stable")
    statement = statement.sort_values("_row", kind="stable")
    report = posfee.reconcile(ledger.drop(columns=["_row", "_part"]), statement.drop(columns=["_row", "_part"]), **options)
    rows = report.to_pandas()
    position = {"ledger": ledger["_row"].tolist(), "statement": statement["_row"].tolist()}
    other = {"ledger": "statement", "statement": "ledger"}

    def local_to_global(side: str, value: Any) -> Any:
        return None if pd.isna(value) else position[side][int(value)]

    rows["index"] = [local_to_global(side, i) for side, i in zip(rows["side"], rows["index"])]
    rows["partner"] = [local_to_global(other[side], p) for side, p in zip(rows["side"], rows["partner"])]
    rows["line"] = [0 if i is None else i + 1 for i in rows["index"]]
    rows["reason"] = [_GLOBAL_ROWS.sub(lambda m: _rewrite(m, position), reason) for reason in rows["reason"]]
    rows["_row"] = [-1 if i is None else i for i in rows["index"]]
    return rows.astype({"index": "object", "partner": "object"})


_GLOBAL_ROWS = re.compile(r"(ledger|statement) row (\d+)(?: \(line (\d+)\))?")


def _rewrite(match: "re.Match[str]", position: Dict[str, List[int]]) -> str:
    side, row = match.group(1), position[match.group(1)][int(match.group(2))]
    return f"{side} row {row}" + (f" (line {row + 1})" if match.group(3) else "")


def _shuffled_reconcile(ledger: pd.DataFrame, statement: pd.DataFrame, options: Dict[str, Any], partitions: int, scheduler: str) -> pd.DataFrame:
    import dask.dataframe as dd

    ledger_dd = dd.from_pandas(ledger, npartitions=partitions).shuffle("_part", npartitions=partitions)
    statement_dd = dd.from_pandas(statement, npartitions=partitions).shuffle("_part", npartitions=partitions)
    meta = reconcile_partition(ledger.head(0), statement.head(0), options)
    rows = dd.map_partitions(reconcile_partition, ledger_dd, statement_dd, options, meta=meta, align_dataframes=False)
    return rows.compute(scheduler=scheduler)


def reconcile_on_dask(
    ledger: pd.DataFrame,
    statement: pd.DataFrame,
    options: Dict[str, Any],
    partitions: int = 4,
    scheduler: str = "threads",
) -> pd.DataFrame:
    """The two passes; returns the report rows, as one posfee.reconcile over everything would."""
    import dask

    with dask.config.set({"dataframe.convert-string": False}):
        ledger = ledger.assign(_row=range(len(ledger)))
        statement = statement.assign(_row=range(len(statement)))
        ledger_reference, statement_reference = reference_of(ledger, True), reference_of(statement, False)
        # pass 1: by reference
        first = _shuffled_reconcile(
            ledger[ledger_reference.ne("")].assign(_part=[partition_of(r, partitions) for r in ledger_reference[ledger_reference.ne("")]]),
            statement[statement_reference.ne("")].assign(_part=[partition_of(r, partitions) for r in statement_reference[statement_reference.ne("")]]),
            options,
            partitions,
            scheduler,
        )
        leftover = first["class"].isin(LEFTOVER)
        again_ledger = set(first.loc[leftover & first["side"].eq("ledger"), "_row"])
        again_statement = set(first.loc[leftover & first["side"].eq("statement"), "_row"])
        # pass 2: the rest, by terminal
        rest_ledger = ledger[ledger_reference.eq("") | ledger["_row"].isin(again_ledger)]
        rest_statement = statement[statement_reference.eq("") | statement["_row"].isin(again_statement)]
        second = _shuffled_reconcile(
            rest_ledger.assign(_part=[partition_of(str(t), partitions) for t in rest_ledger["terminal"]]),
            rest_statement.assign(_part=[partition_of(str(t), partitions) for t in rest_statement["terminal"]]),
            options,
            partitions,
            scheduler,
        )
        return pd.concat([first[~leftover], second], ignore_index=True).drop(columns=["_row"])


_DIAGNOSIS = re.compile(r"^[^;]*?(?= \(fee ¥[^,;]*, contract ¥[^;]*\))")


def canonical(rows: pd.DataFrame) -> List[tuple]:
    """The rows as sorted tuples of text (nulls as "", whole-number floats as integers),
    without the diagnosis of a wrong fee (the words before ``(fee ¥…, contract ¥…)``)."""

    def text(value: Any) -> str:
        if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    reason = KEY_COLUMNS.index("reason")

    def row_text(row: Sequence[Any]) -> tuple:
        cells = [text(v) for v in row]
        cells[reason] = _DIAGNOSIS.sub("", cells[reason], count=1)
        return tuple(cells)

    return sorted(row_text(row) for row in rows[KEY_COLUMNS].itertuples(index=False))


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trades", type=int, default=100_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--scheduler", default="threads", choices=["threads", "processes", "synchronous"])
    args = parser.parse_args(list(argv))

    sample = posfee.simulate(seed=args.seed, trades=args.trades)
    ledger, statement = sample["ledger"].to_pandas(), sample["statement"].to_pandas()
    options = dict(schedule="sft-traditional", merchant=sample["merchant"], merchant_name=sample["merchant_name"], terminals=sample["terminals"])

    started = time.perf_counter()
    single = posfee.reconcile(ledger, statement, **options).to_pandas()
    single_seconds = time.perf_counter() - started

    started = time.perf_counter()
    scaled = reconcile_on_dask(ledger, statement, options, args.partitions, args.scheduler)
    dask_seconds = time.perf_counter() - started

    same = canonical(single) == canonical(scaled)
    print(f"{len(ledger)} ledger rows, {len(statement)} statement rows, {args.partitions} partitions")
    print(f"single machine: {single_seconds:.2f} s; dask ({args.scheduler}): {dask_seconds:.2f} s")
    print(f"classes: {single['class'].value_counts().to_dict()}")
    print("identical to the single-machine result" if same else "DIFFERENT from the single-machine result")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

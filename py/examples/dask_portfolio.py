"""A service agent's month on Dask distributed: many daily statement and ledger files read
on worker processes, partitioned by merchant, each partition reconciled with posfee against
the merchant registry, and the portfolio summary gathered.

Everything crosses process boundaries by pickling: the :class:`posfee.Registry` (as the
core's portable form, each contract's schedule as its TOML), the tables, the
:class:`posfee.Report` of each partition, and the errors (a bad line in one daily file comes
back to the caller as its ``posfee.InvalidRecordError``, with ``code``, ``file`` and ``line``).

Why partitioning by merchant gives the result of one call over everything: every rule of
``posfee.reconcile`` — matching by reference, terminal and time, duplicates, voids, refunds,
the checks against the contract, the diagnosis of a wrong fee, the findings — works within
one merchant's rows, found by terminal (or, without a terminal, by merchant number). A
terminal that moves to another merchant ties the two merchants together, so merchants that
share a terminal in the registry form one group (:func:`merchant_groups`), and a group's
rows all go to one partition. Rows of terminals nobody registered form a group of their own.
Within a partition the rows keep the order of the files (``_order``), so tie-breaks are those
of one call. The portfolio summary adds the partitions' class totals and lists each
merchant's totals and findings (:func:`portfolio_summary`); the test
py/tests/test_dask_portfolio.py checks it, and every row, against one single-process call.

Run it (a local cluster of two worker processes, a generated month):

    python py/examples/dask_portfolio.py --merchants 24 --trades 24000 --partitions 4
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Tuple

import pandas as pd

import posfee

LEDGER_PREFIX = "ledger-"
STATEMENT_PREFIX = "statement-"


def export_month(folder: Path, merchants: int, trades: int, seed: int) -> Path:
    """A generated agent's month (``posfee demo --portfolio``, through the package's own
    command): ledger.csv, statement.csv, merchants.csv, agents.csv and the agents' costs."""
    from posfee.__main__ import main as posfee_command

    sample = folder / "sample"
    status = posfee_command(
        ["demo", "--portfolio", str(merchants), "--trades", str(trades), "--seed", str(seed), "--no-report", "--json", "--export-sample", str(sample)]
    )
    if status != 0:
        raise RuntimeError(f"posfee demo failed with status {status}")
    return sample


def split_daily(source: Path, folder: Path, prefix: str, day_of: Any) -> List[Path]:
    """Splits a CSV file into one file per day (``day_of(row)``), each with the header, rows
    in their order: what an acquirer's SFTP folder or a till's daily export looks like."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(source, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    header, body = rows[0], rows[1:]
    days: Dict[str, List[List[str]]] = defaultdict(list)
    for row in body:
        days[day_of(header, row)].append(row)
    paths = []
    for day, day_rows in sorted(days.items()):
        path = folder / f"{prefix}{day}.csv"
        with open(path, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(day_rows)
        paths.append(path)
    return paths


def ledger_day(header: List[str], row: List[str]) -> str:
    return row[header.index("time")][:10]


def statement_day(header: List[str], row: List[str]) -> str:
    settled = row[header.index("清算日期")]
    return f"{settled[:4]}-{settled[4:6]}-{settled[6:8]}"


def merchant_groups(registry_csv: Path) -> Dict[str, str]:
    """Terminal → group and merchant number → group, where merchants that share a terminal
    at any time (a terminal moved between them) are one group, named by its first merchant."""
    parent: Dict[str, str] = {}

    def find(merchant: str) -> str:
        while parent.setdefault(merchant, merchant) != merchant:
            merchant = parent[merchant]
        return merchant

    holders: Dict[str, List[str]] = defaultdict(list)
    registry = pd.read_csv(registry_csv, dtype=str, keep_default_na=False)
    for merchant, terminals in zip(registry["merchant_no"], registry.get("terminals", [""] * len(registry))):
        find(merchant)
        for terminal in re.split(r"[;\s]+", terminals):
            if terminal:
                holders[terminal].append(merchant)
    for merchants in holders.values():
        for other in merchants[1:]:
            a, b = sorted((find(merchants[0]), find(other)))
            parent[b] = a
    groups = {merchant: find(merchant) for merchant in parent}
    groups.update({terminal: groups[merchants[0]] for terminal, merchants in holders.items()})
    return groups


def partition_of(key: str, partitions: int) -> int:
    """A stable hash of a key (the same on every machine and run)."""
    return zlib.crc32(key.encode("utf-8")) % partitions


def _keyed(frame: pd.DataFrame, order: int, groups: Dict[str, str], partitions: int) -> pd.DataFrame:
    """The frame with its partition (by its merchant group) and its order in the month."""
    terminals = frame["terminal"].fillna("").astype(str)
    numbers = frame["merchant_no"].fillna("").astype(str)
    group = [groups.get(t, "") if t else groups.get(n, "") for t, n in zip(terminals, numbers)]
    return frame.assign(_part=[partition_of(g, partitions) for g in group], _order=[order * 10_000_000 + k for k in range(len(frame))])


def read_ledger_day(path: str, order: int, groups: Dict[str, str], partitions: int) -> pd.DataFrame:
    """A daily ledger file (the ledger CSV layout), every value as text."""
    return _keyed(pd.read_csv(path, dtype=str, keep_default_na=False), order, groups, partitions)


def read_statement_day(path: str, order: int, groups: Dict[str, str], partitions: int) -> pd.DataFrame:
    """A daily statement file read by posfee (a bad line raises its typed error naming the
    file and line, on the worker; Dask hands it to the caller)."""
    return _keyed(posfee.read_statement(path).to_pandas(), order, groups, partitions)


def reconcile_partition(ledger: pd.DataFrame, statement: pd.DataFrame, registry: posfee.Registry) -> posfee.Report:
    """One partition (whole merchant groups) reconciled in one call, rows in month order."""
    ledger = ledger.sort_values("_order", kind="stable").drop(columns=["_part", "_order"])
    statement = statement.sort_values("_order", kind="stable").drop(columns=["_part", "_order"])
    return posfee.reconcile(ledger.reset_index(drop=True), statement.reset_index(drop=True), merchants=registry)


def reconcile_on_dask(
    client: Any, ledger_files: Sequence[Path], statement_files: Sequence[Path], registry: posfee.Registry, groups: Dict[str, str], partitions: int
) -> List[posfee.Report]:
    """Reads the files on the workers, shuffles both sides by merchant group into
    ``partitions`` partitions, reconciles each on a worker; the partitions' reports."""
    import dask
    import dask.dataframe as dd

    with dask.config.set({"dataframe.convert-string": False}):
        ledger = dd.from_map(read_ledger_day, [str(p) for p in ledger_files], range(len(ledger_files)), groups=groups, partitions=partitions)
        statement = dd.from_map(
            read_statement_day, [str(p) for p in statement_files], range(len(statement_files)), groups=groups, partitions=partitions
        )
        ledger_parts = ledger.shuffle("_part", npartitions=partitions, shuffle_method="tasks").to_delayed()
        statement_parts = statement.shuffle("_part", npartitions=partitions, shuffle_method="tasks").to_delayed()
        registry_on_workers = dask.delayed(registry, traverse=False)
        tasks = [dask.delayed(reconcile_partition)(l, s, registry_on_workers) for l, s in zip(ledger_parts, statement_parts)]
        reports: List[posfee.Report] = client.gather(client.compute(tasks))
    return reports


def portfolio_summary(reports: Iterable[posfee.Report]) -> Dict[str, Any]:
    """The partitions' summaries as one: rows and money per class added up, each merchant's
    totals (ranked by overcharge, then merchant number) and the findings (largest first)."""
    classes: Dict[str, Dict[str, Any]] = {}
    merchants: List[Dict[str, Any]] = []
    findings: List[Dict[str, Any]] = []
    totals: Dict[str, Any] = defaultdict(int)
    for report in reports:
        summary = report.summary
        for key in ("ledger_rows", "statement_rows", "unreadable_rows", "overcharge", "undercharge"):
            totals[key] += summary[key]
        for entry in summary["classes"]:
            into = classes.setdefault(str(entry["class"]), {"class": entry["class"]})
            for key, value in entry.items():
                if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                    into[key] = into.get(key, 0) + value
        merchants.extend(summary["merchants"])
        findings.extend(summary["findings"])
    merchants.sort(key=lambda m: (-m["overcharge"], m["merchant_no"]))
    findings.sort(key=lambda f: (-abs(f["money"]), f["merchant"], f["en"]))
    return {**totals, "classes": sorted(classes.values(), key=lambda c: str(c["class"])), "merchants": merchants, "findings": findings}


_ROW_NUMBER = re.compile(r"(ledger|statement) row \d+(?: \(line \d+\))?")
ROW_COLUMNS = ["side", "trade_id", "rrn", "terminal", "class", "findings", "matched_by", "amount", "fee", "net", "expected_fee", "reason", "merchant_no", "agent"]


def canonical_rows(reports: Iterable[posfee.Report]) -> List[Tuple[str, ...]]:
    """Every row of the reports as sorted tuples of text, without positions (a partition
    numbers its rows, and the lines of tables, from its own first row; a reason's
    ``ledger row N (line M)`` becomes ``ledger row #``)."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    rows = []
    for report in reports:
        table = report.rows
        columns = [table.column(name).to_pylist() for name in ROW_COLUMNS]
        for values in zip(*columns):
            cells = [text(v) for v in values]
            cells[ROW_COLUMNS.index("reason")] = _ROW_NUMBER.sub(r"\1 row #", cells[ROW_COLUMNS.index("reason")])
            rows.append(tuple(cells))
    return sorted(rows)


def read_month(ledger_files: Sequence[Path], statement_files: Sequence[Path], groups: Dict[str, str]) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """The same files read in one process, in the same order (for one single-process call)."""
    ledger = pd.concat([read_ledger_day(str(p), k, groups, 1) for k, p in enumerate(ledger_files)], ignore_index=True)
    statement = pd.concat([read_statement_day(str(p), k, groups, 1) for k, p in enumerate(statement_files)], ignore_index=True)
    return ledger.drop(columns=["_part", "_order"]), statement.drop(columns=["_part", "_order"])


def local_cluster() -> Any:
    """Two worker processes of one thread each (the registry, tables, reports and errors
    are pickled between them and the caller)."""
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    return Client(cluster)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--merchants", type=int, default=24)
    parser.add_argument("--trades", type=int, default=24_000, help="purchases over all merchants")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(list(argv))

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        sample = export_month(folder, args.merchants, args.trades, args.seed)
        ledger_files = split_daily(sample / "ledger.csv", folder / "ledger", LEDGER_PREFIX, ledger_day)
        statement_files = split_daily(sample / "statement.csv", folder / "statement", STATEMENT_PREFIX, statement_day)
        registry = posfee.Registry.read_csv(sample / "merchants.csv")
        groups = merchant_groups(sample / "merchants.csv")

        started = time.perf_counter()
        ledger, statement = read_month(ledger_files, statement_files, groups)
        single = posfee.reconcile(ledger, statement, merchants=registry)
        single_seconds = time.perf_counter() - started

        with local_cluster() as client:
            started = time.perf_counter()
            reports = reconcile_on_dask(client, ledger_files, statement_files, registry, groups, args.partitions)
            dask_seconds = time.perf_counter() - started
        summary = portfolio_summary(reports)
        same = canonical_rows(reports) == canonical_rows([single]) and summary["merchants"] == portfolio_summary([single])["merchants"]
        print(f"{len(ledger_files)} daily ledger files, {len(statement_files)} daily statement files, {len(registry.merchants)} merchants")
        print(f"single process: {single_seconds:.2f} s; dask distributed ({args.partitions} partitions, 2 worker processes): {dask_seconds:.2f} s")
        print("merchants ranked by overcharge:")
        for merchant in summary["merchants"][:5]:
            print(f"  {merchant['merchant_no']} {merchant['name']} ({merchant['agent']}): ¥{merchant['overcharge']} over, {merchant['problem_rows']} problem rows")
        print("identical to the single-process result" if same else "DIFFERENT from the single-process result")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

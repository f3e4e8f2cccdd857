"""A service agent's month on Dask distributed (py/examples/dask_portfolio.py): a LocalCluster
of two worker processes reads the daily files, reconciles each merchant partition, and gives
exactly the result of one single-process call; a bad file on a worker comes back as its typed
error; the registry, agents, schedules, reports and errors survive pickling."""

from __future__ import annotations

import importlib.util
import os
import pickle
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, Iterator, List

import pytest

import posfee

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dask_portfolio.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dask_portfolio", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dask_portfolio"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def example() -> ModuleType:
    return load()


@pytest.fixture(scope="module")
def month(example: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Any]:
    folder = tmp_path_factory.mktemp("month")
    sample = example.export_month(folder, merchants=10, trades=5_000, seed=11)
    return {
        "sample": sample,
        "ledger_files": example.split_daily(sample / "ledger.csv", folder / "ledger", example.LEDGER_PREFIX, example.ledger_day),
        "statement_files": example.split_daily(sample / "statement.csv", folder / "statement", example.STATEMENT_PREFIX, example.statement_day),
        "registry": posfee.Registry.read_csv(sample / "merchants.csv"),
        "agents": posfee.Agents.read_csv(sample / "agents.csv"),
        "groups": example.merchant_groups(sample / "merchants.csv"),
    }


@pytest.fixture(scope="module")
def client(example: ModuleType) -> Iterator[Any]:
    with example.local_cluster() as client:
        # The workers import the example's functions by name, as they would a package's.
        client.upload_file(str(EXAMPLE))
        yield client


def test_the_cluster_gives_exactly_the_result_of_one_single_process_call(example: ModuleType, month: Dict[str, Any], client: Any) -> None:
    # The work runs in two other processes.
    pids = client.run(os.getpid)
    assert len(pids) == 2 and os.getpid() not in pids.values()
    assert len(month["statement_files"]) >= 28 and len(month["ledger_files"]) >= 28

    reports = example.reconcile_on_dask(client, month["ledger_files"], month["statement_files"], month["registry"], month["groups"], 3)
    assert len(reports) == 3 and all(isinstance(r, posfee.Report) for r in reports)
    single = posfee.reconcile(*example.read_month(month["ledger_files"], month["statement_files"], month["groups"]), merchants=month["registry"])

    assert example.canonical_rows(reports) == example.canonical_rows([single])
    gathered, expected = example.portfolio_summary(reports), example.portfolio_summary([single])
    for key in ("ledger_rows", "statement_rows", "overcharge", "undercharge", "classes", "merchants"):
        assert gathered[key] == expected[key], key
    assert sorted(f["en"] for f in gathered["findings"]) == sorted(f["en"] for f in single.summary["findings"])
    assert len(gathered["merchants"]) == 10
    # The month has the portfolio's problems: 跳码 between merchants, unknown terminals, wrong fees.
    found = {c["class"] for c in gathered["classes"] if c["ledger_rows"] + c["statement_rows"] > 0}
    assert {"merchant_differs", "unknown_terminal", "fee_above", "never_settled"} <= found


def test_a_moved_terminal_puts_both_merchants_in_one_group(example: ModuleType, month: Dict[str, Any]) -> None:
    groups = month["groups"]
    registry_text = (month["sample"] / "merchants.csv").read_text(encoding="utf-8")
    # Merchant 2 hands its third terminal to merchant 3: one group.
    assert "M0002-T0000003;M0003-T0000001" in registry_text
    assert groups["M0002-T0000003"] == groups["102310059990002"] == groups["102310070110003"]
    assert groups["102310058120000"] != groups["102310059990002"]


def test_a_bad_file_on_a_worker_comes_back_as_its_typed_error(example: ModuleType, month: Dict[str, Any], client: Any, tmp_path: Path) -> None:
    files: List[Path] = []
    for path in month["statement_files"]:
        files.append(Path(shutil.copy(path, tmp_path / path.name)))
    bad = files[len(files) // 2]
    lines = bad.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[3].split(",")
    cells[6] = "12.3.4"  # 交易金额, the trade amount
    lines[3] = ",".join(cells)
    bad.write_text("".join(lines), encoding="utf-8")

    # The middle file is read on a worker (only the first is read here, for Dask's metadata).
    with pytest.raises(posfee.PosfeeError) as caught:
        example.reconcile_on_dask(client, month["ledger_files"], files, month["registry"], month["groups"], 2)
    error = caught.value
    assert type(error) is posfee.InvalidAmountError
    assert error.code == "invalid_amount"
    assert error.file is not None and Path(error.file).name == bad.name
    assert (error.line, error.column, error.field) == (4, 7, "amount")
    assert "12.3.4" in str(error)


def test_registry_agents_schedules_reports_and_errors_cross_processes(example: ModuleType, month: Dict[str, Any], client: Any) -> None:
    registry, agents = month["registry"], month["agents"]
    ledger, statement = example.read_month(month["ledger_files"], month["statement_files"], month["groups"])

    # The registry and agents pickle as the core's portable form (schedule files inlined).
    copy = pickle.loads(pickle.dumps(registry))
    assert isinstance(copy, posfee.Registry) and copy.merchants == registry.merchants and len(copy) == len(registry)
    assert len(pickle.loads(pickle.dumps(agents))) == len(agents)

    # Margins computed on a worker from the pickled registry and agents equal a local call.
    local = posfee.margins(ledger, merchants=registry, agents=agents)
    remote = client.submit(posfee.margins, ledger, merchants=registry, agents=agents).result()
    assert remote == local

    # A schedule quoted on a worker.
    schedule = posfee.Schedule.preset("sft-traditional")
    fee = client.submit(lambda s: s.quote("5000", "debit", at="2026-03-10 10:00").fee, schedule).result()
    assert fee == schedule.quote("5000", "debit", at="2026-03-10 10:00").fee

    # A report made on a worker answers every method as the local one.
    report = posfee.reconcile(ledger, statement, merchants=registry)
    remote_report = client.submit(posfee.reconcile, ledger, statement, merchants=registry).result()
    for made in (remote_report, pickle.loads(pickle.dumps(report)), pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(report))))):
        assert made.summary == report.summary
        assert made.rows.equals(report.rows)
        assert len(made) == len(report)
        assert made.to_json() == report.to_json()
        for lang in ("en", "zh"):
            assert made.table(lang) == report.table(lang) and made.to_csv(lang) == report.to_csv(lang)
            assert made.rows_in(lang).equals(report.rows_in(lang))
        for format in ("html", "csv", "dict"):
            for lang in ("zh", "en"):
                assert made.dispute(format, lang) == report.dispute(format, lang)
        with pytest.raises(posfee.InvalidRequestError):
            made.dispute("pdf")
        with pytest.raises(posfee.InvalidRequestError):
            made.dispute("html", "fr")
        with pytest.raises(posfee.PosfeeError):
            made.table("fr")
        assert made.to_pandas().equals(report.to_pandas())

    # Errors keep their class, code and location.
    error = posfee.InvalidRecordError("bad amount", code="invalid_record", file="day.csv", line=4, column=7, field="amount")
    back = pickle.loads(pickle.dumps(error))
    assert (type(back), back.code, back.file, back.line, back.column, back.field, str(back)) == (
        posfee.InvalidRecordError, "invalid_record", "day.csv", 4, 7, "amount", str(error))


def test_example_main_runs() -> None:
    assert load().main(["--merchants", "8", "--trades", "3000", "--partitions", "2"]) == 0

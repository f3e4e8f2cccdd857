import importlib.util
import os

import pytest

pytest.importorskip("dask.dataframe")

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "dask_reconcile.py")


def load():
    spec = importlib.util.spec_from_file_location("dask_reconcile", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed, partitions, scheduler", [(42, 4, "threads"), (5, 3, "synchronous"), (9, 7, "threads")])
def test_dask_gives_exactly_the_single_machine_result(seed, partitions, scheduler):
    import posfee

    example = load()
    sample = posfee.simulate(seed=seed, trades=6000)
    ledger, statement = sample["ledger"].to_pandas(), sample["statement"].to_pandas()
    options = dict(schedule="sft-traditional", merchant=sample["merchant"], merchant_name=sample["merchant_name"], terminals=sample["terminals"])
    single = posfee.reconcile(ledger, statement, **options).to_pandas()
    scaled = example.reconcile_on_dask(ledger, statement, options, partitions, scheduler)
    assert len(scaled) == len(single)
    assert example.canonical(scaled) == example.canonical(single)
    problems = set(single["class"]) - {"ok"}
    assert {"never_settled", "voided", "ledger_duplicate", "fee_above"} <= problems


def test_example_main_runs():
    assert load().main(["--trades", "3000", "--partitions", "2", "--scheduler", "synchronous"]) == 0

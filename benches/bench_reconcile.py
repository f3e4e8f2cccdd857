"""Runs posfee, the polars lazy pipeline and the DuckDB script on the same files; prints the
times, peak memory, ratios and the class counts side by side. Called by
scripts/bench-reconcile.sh (which builds posfee, generates the files and makes the venv).

Usage: bench_reconcile.py DIR POSFEE_BINARY [--repeat N]

Each command runs as its own process, with the input files read once just before it (so
every run reads from the page cache). Wall time and peak resident memory come from the
process (`os.wait4`); the in-process figures from the programs themselves: posfee's
`reconcile --timings` (reading both files, then matching and checking) and the seconds the
polars and DuckDB scripts measure around their one query (after `import`, which they do not
count). With --repeat N, the best time of N runs and the highest peak memory are printed.

Exit status 1 when the class counts differ (see compare_counts.py), else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare_counts  # noqa: E402

HERE = Path(__file__).resolve().parent
MERCHANT = "102310058120001"


def warm(directory: Path) -> None:
    for name in ("ledger.csv", "statement.csv", "due_dates.csv"):
        with open(directory / name, "rb") as file:
            while file.read(1 << 24):
                pass


def run(command: list[str], scratch: Path, directory: Path) -> dict:
    """Runs `command`; returns its stdout, stderr, wall seconds and peak RSS in KiB."""
    warm(directory)
    with open(scratch / "stdout", "wb") as out, open(scratch / "stderr", "wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    stdout = (scratch / "stdout").read_text(encoding="utf-8")
    stderr = (scratch / "stderr").read_text(encoding="utf-8")
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed with status {process.returncode}:\n{stderr}")
    return {"stdout": stdout, "stderr": stderr, "wall": wall, "peak_kib": usage.ru_maxrss}


def best(runs: list[dict], key) -> float:
    return min(key(r) for r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("posfee", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="a debug build: print no ratios")
    arguments = parser.parse_args()
    directory, posfee = arguments.directory, arguments.posfee
    python = sys.executable
    reconcile = [str(posfee), "reconcile", str(directory / "ledger.csv"), str(directory / "statement.csv")]
    reconcile += ["--format", "bank", "--schedule", "sft-traditional", "--merchant-no", MERCHANT]

    with tempfile.TemporaryDirectory(prefix="posfee-bench-") as scratch_name:
        scratch = Path(scratch_name)
        results: dict[str, list[dict]] = {"posfee": [], "polars": [], "duckdb": []}
        for _ in range(arguments.repeat):
            # posfee, then the others, alternating when repeated
            result = run([*reconcile, "--json", "--timings"], scratch, directory)
            result["summary"] = json.loads(result["stdout"])
            result["timings"] = json.loads(result["stderr"].strip().splitlines()[-1])
            results["posfee"].append(result)
            for engine, script in (("polars", "polars_lazy.py"), ("duckdb", "duckdb_baseline.py")):
                result = run([python, str(HERE / script), str(directory)], scratch, directory)
                result["json"] = json.loads(result["stdout"].strip().splitlines()[-1])
                results[engine].append(result)
        # Not timed: the full report, for the rows posfee pairs by the time-window fallback.
        report = scratch / "report.csv"
        subprocess.run([*reconcile, "--out", str(report)], check=True, stdout=subprocess.DEVNULL)

        summary = results["posfee"][0]["summary"]
        version = subprocess.run([str(posfee), "--version"], capture_output=True, text=True).stdout.split()[-1]
        mib = lambda kib: kib / 1024  # noqa: E731
        input_mib = sum((directory / n).stat().st_size for n in ("ledger.csv", "statement.csv")) / 1048576
        print(f"rows: {summary['ledger_rows']:,} ledger + {summary['statement_rows']:,} statement, {input_mib:.0f} MiB of CSV; "
              f"best of {arguments.repeat} run(s), each process reading from the page cache")
        print(f"{'':18}{'read':>9}{'reconcile':>11}{'total':>9}{'process wall':>14}{'peak RSS':>12}")
        p = results["posfee"]
        read = best(p, lambda r: r["timings"]["read_seconds"])
        matched = best(p, lambda r: r["timings"]["reconcile_seconds"])
        total = {"posfee": best(p, lambda r: r["timings"]["read_seconds"] + r["timings"]["reconcile_seconds"])}
        peak = {engine: max(r["peak_kib"] for r in runs) for engine, runs in results.items()}
        wall = {engine: best(runs, lambda r: r["wall"]) for engine, runs in results.items()}
        print(f"{'posfee ' + version:18}{read:>8.3f}s{matched:>10.3f}s{total['posfee']:>8.3f}s{wall['posfee']:>13.3f}s"
              f"{mib(peak['posfee']):>8,.0f} MiB")
        for engine in ("polars", "duckdb"):
            runs = results[engine]
            total[engine] = best(runs, lambda r: r["json"]["seconds"])
            label = f"{engine} {runs[0]['json']['version']}"
            print(f"{label:18}{'':>9}{'':>11}{total[engine]:>8.3f}s{wall[engine]:>13.3f}s{mib(peak[engine]):>8,.0f} MiB")
        print("total: read + all checks + a class per row, timed inside the program (posfee: --timings;"
              " polars / DuckDB: the query, after import); process wall: the whole process, start to exit")
        for engine in ("polars", "duckdb") if not arguments.check else ():
            print(f"ratio {engine} / posfee: total {total[engine] / total['posfee']:.2f}x, "
                  f"process wall {wall[engine] / wall['posfee']:.2f}x, peak RSS {peak[engine] / peak['posfee']:.2f}x"
                  "  (above 1: posfee is faster / smaller)")
        print()
        with open(scratch / "summary.json", "w", encoding="utf-8") as file:
            json.dump(summary, file)
        engine_files = []
        for engine in ("polars", "duckdb"):
            path = scratch / f"{engine}.json"
            path.write_text(json.dumps(results[engine][0]["json"]), encoding="utf-8")
            engine_files.append(str(path))
        counts_differ = compare_counts.main(str(scratch / "summary.json"), str(report), *engine_files)
        for engine in ("polars", "duckdb"):
            if any(r["json"]["ledger"] != results[engine][0]["json"]["ledger"] for r in results[engine]):
                print(f"{engine}: the class counts changed between repeated runs")
                counts_differ = 1
        return counts_differ


if __name__ == "__main__":
    sys.exit(main())

"""Reading alone (issue 13, point 2): posfee's readers against polars' read_csv with every column
a string, on the same files; prints a Markdown table. Called by scripts/bench-read.sh (which
builds the binary, makes the venv and the files).

Usage: read_speed.py READ_SPEED_BINARY [--dir target/bench-data/read] [--big target/bench-data/1000000]
                     [--repeat 3] [--rounds 1] [--api both|file|bytes] [--json OUT]
       read_speed.py --table OUT.json   (the table of an earlier run, nothing measured)

The goal: "Reading alone: at least 2x polars' read_csv of the same files with all columns as
strings, and every reader of the input layer at no worse than 80% of that speed." Here:
  - posfee: the read_speed binary (benches/src/bin/read_speed.rs), one process per file and
    entry point, the best of --repeat reads, each timed from the file's bytes (page cache) to the
    core's columns (`Ledger` / `Statement`), issues counted. The figures and ratios are those of
    read_ledger_file / read_statement_file (--api file, the CLI's path); with --api both (the
    default) a column gives std::fs::read + read_ledger_csv / read_statement_with too;
  - polars: `pl.read_csv(path, infer_schema=False, ...)` in this process, best of --repeat, with
    the file's separator, skip_rows for preambles, comment_prefix for Alipay's # lines, and
    encoding="utf8-lossy" for the GBK files (polars reads only UTF-8: the Chinese text comes
    out garbled, the ASCII columns right, so it does less than posfee, which decodes GB18030).
    For those files a second polars figure decodes first: `bytes.decode("gb18030")`, encoded to
    UTF-8, read from memory (the decode counted). The fixed-width ZM file is read by polars as
    one string column a line (read_csv cannot cut fixed widths);
  - "vs polars" = polars seconds / posfee seconds (goal >= 2); "% of the reference" = the
    reader's MB/s / posfee's MB/s reading the 1M ledger.csv and bank-pos statement.csv together
    (the bank-pos/ledger speed; the generated bank-pos file without them) (goal >= 80%);
  - the 1M files of scripts/bench-reconcile.sh (ledger.csv with the ledger reader, statement.csv
    with bank-pos) and both together;
  - every file is read once just before each program's runs, so both read from the page cache;
  - --rounds N: the files are measured N times over, one after the other in each round, and
    each figure is the best of all rounds: on a shared machine whose load comes and goes, every
    reader (and the reference) then gets its turn in the quiet stretches too, so a reader is not
    compared with a reference measured in a different minute only.
MB are 10^6 bytes. Exit status 1 when a generated file reads with issues.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import make_read_inputs  # noqa: E402

import polars as pl  # noqa: E402


def warm(path: Path) -> None:
    with open(path, "rb") as file:
        while file.read(1 << 24):
            pass


def posfee(binary: Path, path: Path, fmt: str, repeat: int, api: str) -> dict:
    warm(path)
    command = [str(binary), "--repeat", str(repeat), "--api", api, f"{path}={fmt}"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def best_of(repeat: int, read) -> tuple[float, tuple[int, int]]:
    times, shape = [], (0, 0)
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        frame = read()
        times.append(time.perf_counter() - started)
        shape = frame.shape
        del frame
    return min(times), shape


def polars_direct(path: Path, options: dict, repeat: int) -> tuple[float, tuple[int, int]]:
    warm(path)
    return best_of(repeat, lambda: pl.read_csv(path, infer_schema=False, **options))


def polars_decoded(path: Path, options: dict, repeat: int) -> float:
    """GB18030 decoded in Python, the UTF-8 bytes read by polars from memory (both timed)."""
    options = {k: v for k, v in options.items() if k != "encoding"}
    warm(path)

    def read():
        utf8 = path.read_bytes().decode("gb18030").encode("utf-8")
        return pl.read_csv(io.BytesIO(utf8), infer_schema=False, **options)

    return best_of(repeat, read)[0]


def measure_round(arguments, inputs: list, repeat: int, round_number: int) -> list[dict]:
    """Every file once: posfee's best of `repeat` reads, polars' best of `repeat`."""
    results = []
    for label, path, fmt, options, note, gbk in inputs:
        print(f"reading {path} (round {round_number}) ...", file=sys.stderr)
        primary = "bytes" if arguments.api == "bytes" else "file"
        ours = posfee(arguments.binary, path, fmt, repeat, primary)
        on_bytes = posfee(arguments.binary, path, fmt, repeat, "bytes") if arguments.api == "both" else None
        if on_bytes and (on_bytes["rows"], on_bytes["issues"]) != (ours["rows"], ours["issues"]):
            sys.exit(f"{path}: the file reader and the bytes reader disagree: {ours} / {on_bytes}")
        theirs, shape = polars_direct(path, options, repeat)
        decoded = polars_decoded(path, options, repeat) if gbk else None
        results.append({"label": label, "path": str(path), "format": fmt, "bytes": ours["bytes"], "rows": ours["rows"],
                        "issues": ours["issues"], "first_issues": ours["first_issues"], "posfee_s": ours["best_s"],
                        "posfee_runs_s": ours["runs_s"], "posfee_bytes_s": on_bytes and on_bytes["best_s"],
                        "posfee_bytes_runs_s": on_bytes and on_bytes["runs_s"], "polars_s": theirs, "polars_shape": list(shape),
                        "polars_decoded_s": decoded, "note": note, "api": ours["api"]})
    return results


def best_of_rounds(earlier: dict, later: dict) -> dict:
    """One file's figures over two rounds: each time the better one, every run kept."""
    if (earlier["rows"], earlier["issues"]) != (later["rows"], later["issues"]):
        sys.exit(f"{earlier['path']}: rounds disagree on rows or issues: {earlier} / {later}")
    merged = dict(earlier)
    for key in ("posfee_s", "posfee_bytes_s", "polars_s", "polars_decoded_s"):
        if earlier[key] is not None:
            merged[key] = min(earlier[key], later[key])
    for key in ("posfee_runs_s", "posfee_bytes_runs_s"):
        if earlier[key] is not None:
            merged[key] = earlier[key] + later[key]
    return merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", type=Path, nargs="?")
    parser.add_argument("--dir", type=Path, default=make_read_inputs.OUT)
    parser.add_argument("--big", type=Path, default=make_read_inputs.ROOT / "target" / "bench-data" / "1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=1, help="measure every file this many times over, round after round")
    parser.add_argument("--api", choices=["both", "file", "bytes"], default="both")
    parser.add_argument("--json", type=Path, help="write every figure here too")
    parser.add_argument("--table", type=Path, help="measure nothing: print the table of a --json file")
    arguments = parser.parse_args()
    if arguments.table:
        render(json.loads(arguments.table.read_text()))
        return 0
    if arguments.binary is None:
        parser.error("the read_speed binary is needed (or --table)")
    manifest = json.loads((arguments.dir / "manifest.json").read_text())
    repeat = arguments.repeat

    # (label, path, posfee format, polars options, note, decoded?)
    inputs: list[tuple[str, Path, str, dict, str, bool]] = []
    for spec in make_read_inputs.FORMATS:
        if spec.profile not in manifest:
            sys.exit(f"{spec.profile}: not generated; run benches/make_read_inputs.py")
        path = make_read_inputs.path_of(spec, arguments.dir)
        inputs.append((spec.profile, path, spec.profile, spec.polars, spec.note, spec.encoding == "gbk"))
    big: list[tuple[str, Path, str, dict, str, bool]] = []
    if (arguments.big / "ledger.csv").exists():
        n = arguments.big.name
        big = [(f"{n} ledger.csv", arguments.big / "ledger.csv", "ledger", {}, "", False),
               (f"{n} statement.csv", arguments.big / "statement.csv", "bank-pos", {}, "", False)]

    results = []
    for round_number in range(1, arguments.rounds + 1):
        for at, measured in enumerate(measure_round(arguments, inputs + big, repeat, round_number)):
            if round_number == 1:
                results.append(measured)
            else:
                results[at] = best_of_rounds(results[at], measured)

    if big:
        both = {"label": f"{arguments.big.name} both", "bytes": sum(r["bytes"] for r in results[-2:]),
                "rows": sum(r["rows"] for r in results[-2:]), "issues": sum(r["issues"] for r in results[-2:]),
                "posfee_s": sum(r["posfee_s"] for r in results[-2:]), "polars_s": sum(r["polars_s"] for r in results[-2:]),
                "posfee_bytes_s": sum(r["posfee_bytes_s"] for r in results[-2:]) if arguments.api == "both" else None,
                "polars_decoded_s": None, "note": "sum of the two"}
        results.append(both)
    run = {"api": arguments.api, "repeat": repeat, "rounds": arguments.rounds, "polars": pl.__version__, "results": results}
    failures = [f"{r['label']}: {r['issues']} issue(s), first: {r['first_issues'][:1]}"
                for r in results if r["issues"] and "path" in r and Path(r["path"]).is_relative_to(arguments.dir)]
    render(run)
    for failure in failures:
        print("ISSUES:", failure, file=sys.stderr)
    if arguments.json:
        arguments.json.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n")
    return 1 if failures else 0


def render(run: dict) -> None:
    """The Markdown table of a run. The reference of the 80% goal is posfee's MB/s reading the
    1M ledger and bank-pos statement together (the bank-pos/ledger speed), else the generated
    bank-pos file."""
    results = run["results"]
    api = run.get("api") or ("both" if results[0].get("posfee_bytes_s") else "file")
    reference = next((r for r in results if r["label"].endswith(" both")), None) or next(r for r in results if r["label"] == "bank-pos")
    reference_mb_s = reference["bytes"] / 1e6 / reference["posfee_s"]
    run["reference"] = {"label": reference["label"], "mb_s": reference_mb_s}
    entry = "read_ledger_file / read_statement_file" if api != "bytes" else "std::fs::read + read_ledger_csv / read_statement_with"
    best = f"best of {run['repeat']}" + (f" reads in each of {run['rounds']} rounds" if run.get("rounds", 1) > 1 else "")
    print(f"posfee: {entry}, {best}; polars {run['polars']} read_csv(infer_schema=False), "
          f"{best}; reference of the 80% goal: posfee on {reference['label']}, {reference_mb_s:.0f} MB/s")
    print()
    bytes_head = " posfee s, std::fs::read + reader on bytes |" if api == "both" else ""
    print("| file | MB | rows read | issues | posfee s | posfee MB/s | polars s | vs polars (goal ≥ 2×) "
          f"| % of the reference MB/s (goal ≥ 80%) | polars s, GB18030 decoded first |{bytes_head} note |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if bytes_head else "") + "---|")
    for r in results:
        mb = r["bytes"] / 1e6
        mb_s = mb / r["posfee_s"]
        ratio = r["polars_s"] / r["posfee_s"]
        share = mb_s / reference_mb_s
        r.update(mb_s=mb_s, vs_polars=ratio, share_of_reference=share)
        mark = lambda ok: "" if ok else " ✗"  # noqa: E731
        decoded = f"{r['polars_decoded_s']:.3f} ({r['polars_decoded_s'] / r['posfee_s']:.2f}×)" if r["polars_decoded_s"] else "—"
        on_bytes = f" {r['posfee_bytes_s']:.3f} |" if bytes_head else ""
        print(f"| {r['label']} | {mb:.1f} | {r['rows']:,} | {r['issues']} | {r['posfee_s']:.3f} | {mb_s:.0f} | {r['polars_s']:.3f} "
              f"| {ratio:.2f}×{mark(ratio >= 2)} | {share * 100:.0f}%{mark(share >= 0.8)} | {decoded} |{on_bytes} {r['note']} |")
    print()
    print(f"2× polars: {sum(r['vs_polars'] >= 2 for r in results)} of {len(results)} rows; "
          f"80% of the reference: {sum(r['share_of_reference'] >= 0.8 for r in results)} of {len(results)} rows")


if __name__ == "__main__":
    sys.exit(main())

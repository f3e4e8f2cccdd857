#!/usr/bin/env bash
# Reconciliation benchmark: posfee against a tuned polars lazy pipeline (benches/polars_lazy.py)
# and DuckDB (benches/reconcile.sql), on the same generated files, in the same run. Prints
# posfee's read / reconcile / total time and peak memory, the same for polars and DuckDB, the
# ratios, and the class counts of all three side by side; exits 1 when the counts differ
# beyond the rows posfee pairs by its time-window fallback (which the others do not do).
# A benchmark, not a timed test: `make bench-check` runs it at 20,000 trades with --check.
#
# Usage: scripts/bench-reconcile.sh [TRADES] [--check] [--edge-cases] [--repeat N]
#   TRADES        trades per side (default 1000000); files go to target/bench-data/TRADES
#   --check       debug build of posfee, one run: only the agreement of the counts matters
#   --edge-cases  the same files with the edge cases of benches/edge_cases.py added
#                 (target/bench-data/TRADES-edge-cases)
#   --repeat N    run each program N times (alternating) and print the best time
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rows=1000000
profile=release
repeat=1
edge=""
while [ $# -gt 0 ]; do
  case "$1" in
    --check) profile=debug ;;
    --edge-cases) edge=1 ;;
    --repeat) repeat="$2"; shift ;;
    [0-9]*) rows="$1" ;;
    *) echo "usage: scripts/bench-reconcile.sh [TRADES] [--check] [--edge-cases] [--repeat N]" >&2; exit 2 ;;
  esac
  shift
done
data="target/bench-data/$rows"
if [ "$profile" = release ]; then
  cargo build --quiet --release -p posfee-cli
else
  cargo build --quiet -p posfee-cli
fi
bin="target/$profile/posfee"
if [ ! -f "$data/due_dates.csv" ]; then
  echo "generating $rows trades into $data ..." >&2
  "$bin" demo --trades "$rows" --export-sample "$data" --no-report > /dev/null
fi
venv="$(scripts/python-env.sh benches/requirements.txt)"
if [ -n "$edge" ]; then
  "$venv/bin/python" benches/edge_cases.py "$data" "$data-edge-cases"
  data="$data-edge-cases"
fi

note=""
[ "$profile" = debug ] && note=" (--check: the times of a debug build mean nothing)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); posfee $profile build$note"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "input: $data"
check=""
[ "$profile" = debug ] && check="--check"
"$venv/bin/python" benches/bench_reconcile.py "$data" "$bin" --repeat "$repeat" $check

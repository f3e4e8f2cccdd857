#!/usr/bin/env bash
# Reading alone (issue 13, point 2): posfee's readers against polars' read_csv (every column a
# string) on the same files: each shipped statement format's test file scaled to about 100 MB
# (benches/make_read_inputs.py, written once into target/bench-data/read) and the 1M ledger and
# statement of scripts/bench-reconcile.sh (made here if missing). Prints a Markdown table:
# seconds, MB/s, the ratio to polars (goal >= 2x) and each reader's speed against the bank-pos
# reader's (goal >= 80%); see benches/read_speed.py. A benchmark, not a test: not in `make test`.
#
# Usage: scripts/bench-read.sh [--mb N] [--repeat N] [--rounds N] [--api both|file|bytes] [--json OUT]
#   --mb N        size of each generated file in 10^6 bytes (default 100)
#   --repeat N    reads per file and program, the best one counted (default 3)
#   --rounds N    every file measured N times over, round after round, the best of all counted
#                 (default 1; a shared machine's load comes and goes: see benches/read_speed.py)
#   --api A       both (default): the figures of read_ledger_file / read_statement_file (the
#                 CLI's path) and a column with std::fs::read + the readers on bytes; file: the
#                 first only; bytes: the second only, built without the file-api feature (for a
#                 core from before d4f7d70)
#   --json OUT    every figure as JSON too
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mb=100
repeat=3
rounds=1
api=both
json=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) mb="$2"; shift ;;
    --repeat) repeat="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --api) api="$2"; shift ;;
    --json) json=(--json "$2"); shift ;;
    *) echo "usage: scripts/bench-read.sh [--mb N] [--repeat N] [--rounds N] [--api both|file|bytes] [--json OUT]" >&2; exit 2 ;;
  esac
  shift
done
features=()
[ "$api" = bytes ] && features=(--no-default-features)
cargo build --quiet --release -p posfee-benches --bin read_speed "${features[@]}"
big="target/bench-data/1000000"
if [ ! -f "$big/statement.csv" ]; then
  cargo build --quiet --release -p posfee-cli
  echo "generating 1000000 trades into $big ..." >&2
  target/release/posfee demo --trades 1000000 --export-sample "$big" --no-report > /dev/null
fi
venv="$(scripts/python-env.sh benches/requirements.txt)"
"$venv/bin/python" benches/make_read_inputs.py --mb "$mb"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "posfee at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- core/src || echo ' (core/src has uncommitted changes)'); $(rustc --version)"
"$venv/bin/python" benches/read_speed.py target/release/read_speed --repeat "$repeat" --rounds "$rounds" --api "$api" --big "$big" "${json[@]}"

#!/usr/bin/env bash
# Reconciliation benchmark: posfee vs the equivalent polars pipeline, on the same generated
# files, in the same run. Prints wall times, rows/s and peak memory (VmHWM via /usr/bin/time).
# Usage: scripts/bench-reconcile.sh [trades per side, default 1000000]   (10000000 for 10M)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rows="${1:-1000000}"
data="target/bench-data/$rows"
cargo build --quiet --release -p posfee-cli
bin=target/release/posfee
if [ ! -f "$data/statement.csv" ]; then
  echo "generating $rows trades into $data ..." >&2
  "$bin" demo --trades "$rows" --export-sample "$data" --no-report > /dev/null
fi
input_bytes=$(( $(stat -c %s "$data/ledger.csv") + $(stat -c %s "$data/statement.csv") ))
peak() { grep "Maximum resident" "$1" | awk '{print $6}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "input: $rows trades per side, $((input_bytes / 1048576)) MiB of CSV"

# posfee, in memory (generated tables, no file reading): the reconcile call alone
/usr/bin/time -v "$bin" demo --trades "$rows" --no-report > /tmp/posfee-mem.out 2> /tmp/posfee-mem.time
echo "posfee (in memory)  : $(grep '^reconciled' /tmp/posfee-mem.out)"

# Both file runs read from the page cache (the in-memory run above can evict the files at 10M).
warm() { cat "$data/ledger.csv" "$data/statement.csv" > /dev/null; }

# posfee from the CSV files
warm
/usr/bin/time -v "$bin" reconcile "$data/ledger.csv" "$data/statement.csv" --format bank --schedule sft-traditional \
  --merchant-no 102310058120001 > /tmp/posfee.out 2> /tmp/posfee.time
echo "posfee (files)      : read and reconciled in $(grep 'Elapsed (wall clock)' /tmp/posfee.time | awk '{print $NF}'); peak RSS $(( $(peak /tmp/posfee.time) / 1024 )) MiB"

# polars
venv="$(scripts/python-env.sh benches/requirements.txt)"
warm
/usr/bin/time -v "$venv/bin/python" benches/polars_baseline.py "$data" > /tmp/polars.out 2> /tmp/polars.time
echo "polars (files)      : $(cat /tmp/polars.out); peak RSS $(( $(peak /tmp/polars.time) / 1024 )) MiB"

#!/usr/bin/env bash
# Installs the `posfee` command the two ways a user would, into a throwaway folder:
#   cargo install --path cli          (the Rust binary)
#   pip install ./py                  (the Python package's console script, in a fresh venv)
# then runs the same command lines through both and compares stdout, stderr and the exit
# status byte for byte (issue 14: one CLI whichever way it was installed).
# Usage: scripts/install-check.sh [folder]   (default: target/install-check; emptied first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$root/target/install-check}"
rm -rf "$work"
mkdir -p "$work"

# Both builds share the workspace's target folder, so the release build of the core is made once.
echo "install-check: cargo install --path cli" >&2
cargo install --quiet --locked --path "$root/cli" --root "$work/cargo" --target-dir "$root/target"
echo "install-check: pip install ./py (fresh venv)" >&2
python3 -m venv "$work/venv"
CARGO_TARGET_DIR="$root/target" "$work/venv/bin/python" -m pip install --quiet "$root/py"

rust_bin="$work/cargo/bin/posfee"
python_bin="$work/venv/bin/posfee"
sample="$root/core/tests/formats/bank-pos-csv/sample.csv"
printf 'amount,channel,time\n5000,debit,2026-09-30 22:30\n12.345,debit,2026-05-06\n' > "$work/trades.csv"

invocations=(
  "--help"
  "--version"
  "quote --help"
  "compare --help"
  "calendar --help"
  "presets --help"
  "formats --help"
  "read --help"
  "reconcile --help"
  "deposits --help"
  "margins --help"
  "demo --help"
  "quote 5000 debit --at 2026-09-30T22:30:00+08:00 --schedule sft-traditional"
  "quote 5000 debit --at 2026-09-30T22:30:00+08:00 --schedule sft-traditional --json"
  "quote --file $work/trades.csv --on-invalid report --schedule sft-traditional"
  "calendar 2026"
  "presets --json"
  "formats"
  "read $sample --out -"
  "quote 5000 chequebook"
  "quote 5000.001 debit"
  "no-such-command"
)

failures=0
for line in "${invocations[@]}"; do
  read -r -a args <<< "$line"
  set +e
  (cd "$work" && "$rust_bin" "${args[@]}" > rust.out 2> rust.err)
  rust_status=$?
  (cd "$work" && "$python_bin" "${args[@]}" > python.out 2> python.err)
  python_status=$?
  set -e
  if [ "$rust_status" != "$python_status" ] || ! cmp -s "$work/rust.out" "$work/python.out" || ! cmp -s "$work/rust.err" "$work/python.err"; then
    echo "install-check: differs: posfee $line (exit $rust_status from cargo install, $python_status from pip install)" >&2
    diff "$work/rust.out" "$work/python.out" >&2 || true
    diff "$work/rust.err" "$work/python.err" >&2 || true
    failures=$((failures + 1))
  elif [ ! -s "$work/rust.out" ] && [ ! -s "$work/rust.err" ]; then
    echo "install-check: posfee $line printed nothing" >&2
    failures=$((failures + 1))
  fi
done
if [ "$failures" != 0 ]; then
  echo "install-check: $failures of ${#invocations[@]} command lines differ" >&2
  exit 1
fi
echo "install-check: ${#invocations[@]} command lines print the same bytes and exit status from cargo install and from pip install"

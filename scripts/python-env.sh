#!/usr/bin/env bash
# Creates (once) the project's Python virtual environment at .venv and installs the given
# requirements files into it, skipping what is already installed. Prints the venv path.
# Usage: scripts/python-env.sh [requirements.txt ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
fi
for requirements in "$@"; do
  stamp="$venv/.installed-$(echo "$requirements" | tr '/' '_')"
  if [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet -r "$requirements" >&2
    touch "$stamp"
  fi
done
echo "$venv"

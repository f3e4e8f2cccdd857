#!/usr/bin/env bash
# The BENCHMARKS.md table of the last `make fuzz` run: one row per target-TARGET.log in
# fuzz/, from libFuzzer's final statistics (`-print_final_stats=1`) and the run's finding
# files in artifacts/TARGET/. A target without final statistics is still running (or
# stopped): its row shows the last execution count in its log. Finding files are all the
# files in artifacts/TARGET/, including those of earlier runs.
set -euo pipefail
cd "$(dirname "$0")"
echo "| target | executions | executions/s | new corpus units | peak RSS MB | seconds | finding files |"
echo "|---|---:|---:|---:|---:|---:|---|"
for log in target-*.log; do
	target=${log#target-}
	target=${target%.log}
	stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -n 1; }
	findings=$(find "artifacts/$target" -maxdepth 1 -type f 2>/dev/null | wc -l)
	findings=$([ "$findings" -eq 0 ] && echo none || echo "$findings")
	executed=$(stat number_of_executed_units)
	if [ -z "$executed" ]; then
		last=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
		echo "| \`$target\` | ${last:-0} (running) | | | | | $findings |"
		continue
	fi
	seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	# Final statistics without "Done": the run was stopped (a signal) before its count.
	[ -n "$seconds" ] || executed="$executed (stopped)"
	echo "| \`$target\` | $executed | $(stat average_exec_per_sec) | $(stat new_units_added) | $(stat peak_rss_mb) | ${seconds:-} | $findings |"
done

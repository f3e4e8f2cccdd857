#!/usr/bin/env bash
# `make fuzz`: builds every fuzz target once, then runs each given target (all by default)
# for FUZZ_RUNS executions (10 million by default), one after another, with its corpus in
# corpus/TARGET and its log in target-TARGET.log. Needs nightly and cargo-fuzz (installed when
# missing). Findings are written to artifacts/TARGET/ and stop the run with status 1.
#
# Built with `-O -s none` (release, no sanitizer: the core forbids unsafe code) and with
# uninstrumented-rustc.sh, which leaves csv-core out of the coverage instrumentation.
set -euo pipefail
cd "$(dirname "$0")"
runs="${FUZZ_RUNS:-10000000}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^posfee-fuzz$')
fi
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
RUSTC_WRAPPER="$PWD/uninstrumented-rustc.sh" cargo +nightly fuzz build -O -s none
bin=target/x86_64-unknown-linux-gnu/release
# Seeds for the workbook target: the repository's own .xlsx and .xls test files, each without
# its signature and behind the target's choice byte (bit 0: 0 for .xlsx, 1 for .xls).
mkdir -p corpus/read_workbook
for book in ../core/tests/*/*.xlsx ../core/tests/*/*/*.xlsx ../core/tests/*/*.xls; do
	[ -f "$book" ] || continue
	seed="corpus/read_workbook/seed-$(basename "$book")"
	case "$book" in
	*.xlsx) { printf '\000'; tail -c +5 "$book"; } >"$seed" ;;
	*.xls) { printf '\001'; tail -c +9 "$book"; } >"$seed" ;;
	esac
done
# Seeds for the requests target: a table to quote and offers to compare, as JSON.
mkdir -p corpus/parse_requests
cat >corpus/parse_requests/seed-quote.json <<'JSON'
{"preset": "sft-traditional", "onInvalid": "report", "rows": [{"amount": "5000", "channel": "debit", "time": "2026-09-30 22:30"}, {"amount": 5, "channel": "visa", "time": "2026-13-01"}, {"amount": "1,000.50", "channel": "unionpay_qr", "time": "2026-05-06", "card_type": "credit", "settlement": "D0", "merchant_class": "discounted"}]}
JSON
cat >corpus/parse_requests/seed-compare.json <<'JSON'
{"rows": [{"amount": "5000", "channel": "debit", "time": "2026-05-06"}, {"amount": "88.8", "channel": "wechat", "time": "2026-12-31 23:59"}], "offers": [{"preset": "sft-traditional"}, {"preset": "sft-smart", "settlement": "D0"}, {"schedule": "name = \"x\"\n[[rules]]\nid = \"all\"\nrate = \"0.6%\"\n"}], "onInvalid": "report"}
JSON
cat >corpus/parse_requests/seed-quote-object.json <<'JSON'
{"amount": "60000", "channel": "credit", "at": "2026-03-02 23:30", "cardType": "credit", "provisional": false, "limits": {"preset": "personal-micro-merchant", "business_hours": "08:00-22:00", "limits": [{"channels": ["wechat", "alipay"], "per_day": "1000", "per_day_count": 20}]}}
JSON
cat >corpus/parse_requests/seed-holiday-cn.json <<'JSON'
[{"$schema": "https://example.org/schema.json", "year": 2027, "papers": ["https://www.gov.cn/example"], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}, {"name": "春节", "date": "2027-02-07", "isOffDay": false}]}]
JSON
for target in "${targets[@]}"; do
	# Workbooks are larger than text samples: their seeds are whole small .xlsx/.xls files.
	max_len=4096
	[ "$target" = read_workbook ] && max_len=16384
	mkdir -p "corpus/$target" "artifacts/$target"
	echo "== $target: $runs executions (max_len $max_len), from $(date -u +%H:%M:%S) UTC"
	"$bin/$target" "corpus/$target" -runs="$runs" -max_len="$max_len" -print_final_stats=1 \
		-artifact_prefix="artifacts/$target/" >"target-$target.log" 2>&1 || {
		tail -n 40 "target-$target.log"
		exit 1
	}
	grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added|stat::peak_rss_mb)' "target-$target.log"
	echo "   done $(date -u +%H:%M:%S) UTC"
done

#!/usr/bin/env bash
# A RUSTC_WRAPPER for `make fuzz`: compiles csv-core without coverage instrumentation.
# csv-core builds its parsing automaton (every state × 256 bytes) each time a reader is
# made; instrumented, that build was three quarters of every execution of the reader targets
# (perf, 2026-11-29). csv-core is fuzzed upstream; coverage feedback and comparison tracing
# stay on posfee's own code and every other dependency.
rustc="$1"; shift
case " $* " in
*" --crate-name csv_core "*)
	args=()
	for arg in "$@"; do
		case "$arg" in
		-Cpasses=sancov-module | -Cllvm-args=-sanitizer-coverage-*) ;;
		*) args+=("$arg") ;;
		esac
	done
	exec "$rustc" "${args[@]}"
	;;
esac
exec "$rustc" "$@"

# posfee — every target that README and CI use. `make help` lists them.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: help demo demo-portfolio test test-rust bench bench-reconcile bench-check bench-read test-install lint py-setup test-py bench-py fuzz

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

demo: ## the main job: reconcile the sample month (posfee demo), print the summary, write target/reconcile-report.{json,csv}
	$(CARGO) run --release -p posfee-cli -- demo

demo-portfolio: ## a service agent's sample: 50 merchants reconciled in one call, merchants ranked by problem, each agent's margin
	$(CARGO) run --release -p posfee-cli -- demo --portfolio 50 --trades 50000 --out target/portfolio-report.json

test: lint test-rust test-py test-wasm bench-check test-install ## every test of every surface, plus rustfmt and clippy (what CI runs)

test-rust: ## Rust: unit, golden, property, integration and doc tests
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc
	# The WebAssembly binding on the host with every optional feature (holiday loading, tables,
	# the statement checker and deposit check: features no other crate of the workspace turns on).
	$(CARGO) test -p posfee-wasm --features "holidays tables deposits" --tests

FUZZ_RUNS ?= 10000000

fuzz: ## every parser's fuzz target, FUZZ_RUNS executions each (10 million; outside CI; needs nightly and cargo-fuzz, installed if missing); FUZZ_TARGETS="a b" for some
	FUZZ_RUNS=$(FUZZ_RUNS) bash fuzz/run.sh $(FUZZ_TARGETS)

bench: ## criterion benchmarks (figures go to BENCHMARKS.md)
	$(CARGO) bench -p posfee-benches

bench-reconcile: ## reconciliation from files: posfee vs a tuned polars lazy plan vs DuckDB, 1M trades a side (figures go to BENCHMARKS.md)
	scripts/bench-reconcile.sh 1000000

bench-read: ## reading alone: posfee's readers vs polars read_csv (all strings) on every shipped format at ~100 MB and the 1M files (figures go to BENCHMARKS.md)
	scripts/bench-read.sh

bench-check: ## the three pipelines of bench-reconcile agree on the class counts: 20,000 trades, and 5,000 with edge cases (debug build; no timing)
	scripts/bench-reconcile.sh 20000 --check
	scripts/bench-reconcile.sh 5000 --check --edge-cases

test-install: ## `cargo install --path cli` and `pip install ./py` into target/install-check: the same command lines print the same bytes through both
	scripts/install-check.sh

lint: ## rustfmt and clippy
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p posfee-wasm --features "holidays tables deposits" --all-targets -- -D warnings

VENV := $(CURDIR)/.venv

py-setup: ## Python: .venv with the dev tools (py/requirements-dev.txt) and posfee built into it
	scripts/python-env.sh py/requirements-dev.txt >/dev/null
	VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH" maturin develop --release --manifest-path py/Cargo.toml

test-py: py-setup ## Python: pytest (oracle properties, bad inputs, README, CLI, Dask) and mypy.stubtest
	cd py && $(VENV)/bin/python -m pytest -q

bench-py: py-setup ## Python: reconcile from pyarrow vs the Rust core, scalar quote (figures to BENCHMARKS.md)
	$(VENV)/bin/python py/bench/bench.py

.PHONY: wasm-setup wasm test-wasm serve bench-wasm

wasm-setup: ## WebAssembly toolchain: wasm32 target, wasm-bindgen CLI (Cargo.lock version), npm deps, Chromium (skips what is present)
	bash wasm/scripts/setup.sh

wasm: ## build the WebAssembly package (wasm/pkg) and the fee calculator page (wasm/www)
	bash wasm/scripts/build.sh

test-wasm: wasm-setup wasm ## WebAssembly: the calculator's 150 KB budget, the JS API under Node, the page end to end in headless Chromium (calculator, statement check, offers); then the JS API of the build with every optional feature
	cd wasm && node --test test/size.test.mjs test/api.test.mjs test/bad_inputs.test.mjs test/limits.test.mjs test/e2e.test.mjs test/audit.test.mjs test/check.e2e.test.mjs test/page.e2e.test.mjs
	POSFEE_WASM_AUDIT=0 POSFEE_WASM_FEATURES="holidays tables" bash wasm/scripts/build.sh
	cd wasm && node --test test/api.test.mjs test/bad_inputs.test.mjs test/limits.test.mjs
	POSFEE_WASM_AUDIT=0 bash wasm/scripts/build.sh

serve: wasm ## serve the fee calculator page on 127.0.0.1 (PORT=8765) and print its URL
	node wasm/scripts/serve.mjs $(or $(PORT),8765)

bench-wasm: wasm ## first-quote time of the page in Chromium and the .wasm size (figures go to BENCHMARKS.md)
	node wasm/scripts/bench-page.mjs

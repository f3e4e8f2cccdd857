# posfee — every target that README and CI use. `make help` lists them.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: help demo test test-rust bench lint py-setup test-py bench-py

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

demo: ## the main job on bundled sample data
	$(CARGO) run --release --example reconcile

test: test-rust ## every test of every surface (what CI runs)

test-rust: ## Rust: unit, golden, property, integration and doc tests
	$(CARGO) test --workspace --all-targets
	$(CARGO) test --workspace --doc

bench: ## criterion benchmarks (figures go to BENCHMARKS.md)
	$(CARGO) bench -p posfee-benches

lint: ## rustfmt and clippy
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

VENV := $(CURDIR)/.venv

py-setup: ## Python: .venv with the dev tools (py/requirements-dev.txt) and posfee built into it
	scripts/python-env.sh py/requirements-dev.txt >/dev/null
	VIRTUAL_ENV=$(VENV) PATH="$(VENV)/bin:$$PATH" maturin develop --release --manifest-path py/Cargo.toml

test-py: py-setup ## Python: pytest (oracle properties, bad inputs, README, CLI, Dask) and mypy.stubtest
	cd py && $(VENV)/bin/python -m pytest -q

bench-py: py-setup ## Python: reconcile from pyarrow vs the Rust core, scalar quote (figures to BENCHMARKS.md)
	$(VENV)/bin/python py/bench/bench.py

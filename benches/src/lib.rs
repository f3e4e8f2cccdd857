//! Criterion benchmarks of posfee live in benches/.

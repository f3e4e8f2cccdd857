//! Reconciliation and bulk fee benchmarks.
//!
//! - `reconcile/rows_<n>`: [`posfee::reconcile::reconcile`] on a generated sample with `n`
//!   trades per side (1M by default; `POSFEE_BENCH_ROWS=10000000` for 10M), throughput in
//!   rows (both sides).
//! - `reconcile/report_to_arrow_<n>`: [`posfee::reconcile::arrow::report_to_arrow`] of that
//!   sample's report (what Python's `report.rows` makes; issue 13 asks for it within the
//!   reconcile's time), the batches freed outside the clock.
//! - `fee/column/<n>`: the bulk fee path ([`posfee::reconcile::FeeKernel`]) over columns of
//!   amounts × channels, against `baseline_scan` (a plain pass over the same columns that
//!   sums amounts and channel bytes) in the same run; single thread and all threads.
//! - `fee/column/quote_per_row`: [`posfee::Schedule::quote`] row by row, for scale.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use posfee::reconcile::arrow::report_to_arrow;
use posfee::reconcile::simulation::{generate, SimulationOptions};
use posfee::reconcile::{reconcile, FeeKernel};
use posfee::{Channel, Money, QuoteRequest, Schedule, SettlementMode};
use std::hint::black_box;
use std::time::Duration;

fn rows() -> usize {
    // `cargo test --all-targets` runs benches once in test mode: keep that quick.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let default = if benchmarking { 1_000_000 } else { 10_000 };
    std::env::var("POSFEE_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn reconcile_bench(c: &mut Criterion) {
    let n = rows();
    let sample = generate(&SimulationOptions::new(2026).trades(n).faults_per_class(n / 2_000)).unwrap();
    let mut group = c.benchmark_group("reconcile");
    group.sample_size(10).measurement_time(Duration::from_secs(if n > 2_000_000 { 60 } else { 20 }));
    group.throughput(Throughput::Elements((sample.ledger.len() + sample.statement.len()) as u64));
    group.bench_function(BenchmarkId::new("rows", n), |b| {
        b.iter(|| reconcile(black_box(&sample.ledger), black_box(&sample.statement), &sample.options).unwrap())
    });
    let report = reconcile(&sample.ledger, &sample.statement, &sample.options).unwrap();
    group.bench_function(BenchmarkId::new("report_to_arrow", n), |b| {
        b.iter_with_large_drop(|| report_to_arrow(black_box(&report), &sample.ledger, &sample.statement, posfee::Lang::En))
    });
    group.finish();
}

fn columns(n: usize) -> (Vec<i64>, Vec<Channel>) {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let amounts = (0..n).map(|_| 100 + (next() % 500_000) as i64).collect();
    let channels = (0..n).map(|_| [Channel::Credit, Channel::Debit, Channel::Wechat, Channel::Alipay][(next() % 4) as usize]).collect();
    (amounts, channels)
}

fn fee_column(c: &mut Criterion) {
    let n = rows().min(1_000_000);
    let (amounts, channels) = columns(n);
    let schedule = Schedule::preset("sft-traditional").unwrap();
    let at = posfee::parse_china_time("2026-03-02 10:00").unwrap();
    let kernel = FeeKernel::new(&schedule, at, None, SettlementMode::T(1)).unwrap();
    let mut out = vec![0i64; n];
    let mut group = c.benchmark_group("fee/column");
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("baseline_scan", |b| {
        b.iter(|| {
            let mut sum = 0i64;
            for (amount, channel) in black_box(&amounts).iter().zip(black_box(&channels)) {
                sum = sum.wrapping_add(*amount).wrapping_add(*channel as i64);
            }
            black_box(sum)
        })
    });
    group.bench_function("kernel_1_thread", |b| {
        b.iter(|| kernel.fees_millifen(black_box(&amounts), black_box(&channels), &mut out).unwrap())
    });
    group.bench_function("kernel_all_threads", |b| {
        b.iter(|| kernel.par_fees_millifen(black_box(&amounts), black_box(&channels), &mut out).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("fee/column");
    let few = n.min(100_000);
    group.throughput(Throughput::Elements(few as u64));
    group.bench_function("quote_per_row", |b| {
        b.iter(|| {
            let mut sum = Money::ZERO;
            for (amount, channel) in amounts[..few].iter().zip(&channels[..few]) {
                sum = sum + schedule.quote(&QuoteRequest::new(Money::from_fen(*amount), *channel, at)).unwrap().fee;
            }
            black_box(sum)
        })
    });
    group.finish();
}

criterion_group!(benches, fee_column, reconcile_bench);
criterion_main!(benches);

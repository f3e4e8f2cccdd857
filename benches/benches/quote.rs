//! Scalar quote benchmarks: `fee/quote/<case>`, with a baseline of building the request
//! alone in the same run.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use posfee::{Channel, Money, QuoteRequest, Schedule, SettlementMode};
use std::hint::black_box;

fn quote(c: &mut Criterion) {
    let traditional = Schedule::preset("sft-traditional").unwrap();
    let standard_d0 = Schedule::preset("standard-d0").unwrap();
    let at = posfee::parse_china_time("2026-09-30T22:30:00+08:00").unwrap();
    let debit = QuoteRequest::new(Money::from_yuan(5000), Channel::Debit, at);
    let credit = QuoteRequest::new(Money::parse_amount("123.45").unwrap(), Channel::Credit, at);
    let instant = QuoteRequest::new(Money::from_yuan(1), Channel::Debit, at).settlement(SettlementMode::D(0));

    let mut group = c.benchmark_group("fee/quote");
    group.throughput(Throughput::Elements(1));
    group.bench_function("baseline_request_clone", |b| b.iter(|| black_box(black_box(&debit).clone())));
    group.bench_function("debit_capped", |b| b.iter(|| traditional.quote(black_box(&debit)).unwrap()));
    group.bench_function("credit_plain", |b| b.iter(|| traditional.quote(black_box(&credit)).unwrap()));
    group.bench_function("d0_surcharge", |b| b.iter(|| standard_d0.quote(black_box(&instant)).unwrap()));
    group.finish();
}

criterion_group!(benches, quote);
criterion_main!(benches);

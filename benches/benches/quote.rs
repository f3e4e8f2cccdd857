//! Scalar quote benchmarks: `fee/quote/<case>`, with a baseline of building the request
//! alone in the same run; bulk quotes of a million-row table: `fee/table/<case>`, with a
//! baseline of copying the amount column.

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

/// A month of trades (May 2026, China time), 1M rows: channels credit/debit/wechat/alipay,
/// amounts ¥1–¥20,000 spread so that some debit fees hit the cap, times in random order.
struct Trades {
    amount_fen: Vec<i64>,
    channel: Vec<Channel>,
    time_unix_s: Vec<i64>,
}

fn trades(rows: usize) -> Trades {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let channels = [Channel::Credit, Channel::Debit, Channel::Wechat, Channel::Alipay];
    let start = 1_777_564_800; // 2026-05-01T00:00:00+08:00
    let mut table =
        Trades { amount_fen: Vec::with_capacity(rows), channel: Vec::with_capacity(rows), time_unix_s: Vec::with_capacity(rows) };
    for _ in 0..rows {
        let r = next();
        table.amount_fen.push(100 + (r % 2_000_000) as i64);
        table.channel.push(channels[(r >> 40) as usize % 4]);
        table.time_unix_s.push(start + (r >> 20) as i64 % (31 * 86_400));
    }
    table
}

/// Bulk quotes: `fee/table/<case>` per row, 1M rows a run, one thread.
fn table(c: &mut Criterion) {
    use posfee::{Column, TableOptions, TradeTable};
    const ROWS: usize = 1_000_000;
    let data = trades(ROWS);
    let schedule = Schedule::preset("sft-traditional").unwrap();
    let at = posfee::parse_china_time("2026-05-15").unwrap();
    let kernel = posfee::reconcile::FeeKernel::new(&schedule, at, None, SettlementMode::T(1)).unwrap();
    let table = TradeTable::new(&data.amount_fen, Column::Each(&data.channel), Column::Each(&data.time_unix_s));
    let mut sorted = data.time_unix_s.clone();
    sorted.sort_unstable();
    let sorted_table = TradeTable::new(&data.amount_fen, Column::Each(&data.channel), Column::Each(&sorted));
    let mut out = vec![0i64; ROWS];

    let mut group = c.benchmark_group("fee/table");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.sample_size(10);
    group.bench_function("baseline_copy_amounts", |b| b.iter(|| out.copy_from_slice(black_box(&data.amount_fen))));
    group.bench_function("fee_kernel", |b| b.iter(|| kernel.fees_millifen(black_box(&data.amount_fen), &data.channel, &mut out).unwrap()));
    group.bench_function("fee_table", |b| b.iter(|| schedule.fee_table(black_box(&table), posfee::OnInvalid::Raise).unwrap()));
    group.bench_function("quote_table", |b| b.iter(|| schedule.quote_table(black_box(&table), &TableOptions::default()).unwrap()));
    group.bench_function("quote_table_sorted", |b| {
        b.iter(|| schedule.quote_table(black_box(&sorted_table), &TableOptions::default()).unwrap())
    });
    // The same, into the columns of the previous run (no fresh pages: the kernel's page
    // zeroing is most of the difference).
    let mut reused = posfee::QuotedTable::default();
    let china = posfee::Calendar::china();
    group.bench_function("quote_table_into", |b| {
        b.iter(|| schedule.quote_table_into(black_box(&table), &TableOptions::default(), china, &mut reused).unwrap())
    });
    group.finish();
}

criterion_group!(benches, quote, table);
criterion_main!(benches);

//! Calendar benchmarks: `calendar/add_business_days/<case>` and friends.

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use posfee::Calendar;
use std::hint::black_box;

fn calendar(c: &mut Criterion) {
    let calendar = Calendar::china();
    let before_national_day = NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
    let early = NaiveDate::from_ymd_opt(2006, 1, 4).unwrap();
    let late = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();

    let mut group = c.benchmark_group("calendar");
    group.bench_function("add_business_days/t1_national_day", |b| {
        b.iter(|| calendar.add_business_days(black_box(before_national_day), black_box(1)).unwrap())
    });
    group
        .bench_function("add_business_days/plus_250", |b| b.iter(|| calendar.add_business_days(black_box(early), black_box(250)).unwrap()));
    group.bench_function("is_business_day", |b| b.iter(|| calendar.is_business_day(black_box(late)).unwrap()));
    group.bench_function("business_days_between/twenty_years", |b| {
        b.iter(|| calendar.business_days_between(black_box(early), black_box(late)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, calendar);
criterion_main!(benches);

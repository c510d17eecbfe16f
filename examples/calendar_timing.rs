//! Rough cost of the working-calendar calls the queue makes per visible row.
//!
//! cargo run --config 'profile.dev.package.icp-review.opt-level=3' --example calendar_timing

use std::time::Instant;

use icp_review::domain::calendar::WorkCalendar;
use icp_review::domain::calls::next_call_slot;
use jiff::{Span, Timestamp, civil::date};

fn per_call(label: &str, n: i64, started: Instant, check: i64) {
    let e = started.elapsed();
    println!(
        "{label} x{n}: {e:?} ({:.3} µs each; checksum {check})",
        e.as_secs_f64() * 1e6 / n as f64
    );
}

fn main() {
    let cal = WorkCalendar::embedded();
    let now: Timestamp = "2026-11-23T10:00:00+08:00".parse().expect("a time");
    let n = 100_000i64;

    let started = Instant::now();
    let mut overdue = 0;
    for i in 0..n {
        let submitted = Timestamp::from_second(now.as_second() - i * 3_000).expect("a time");
        let deadline = cal.deadline(submitted, 20);
        overdue += i64::from(cal.due(deadline, now).is_overdue());
    }
    per_call("deadline + due", n, started, overdue);

    let started = Instant::now();
    let mut sum = 0;
    for i in 0..n {
        let from = date(2020, 1, 1)
            .checked_add(Span::new().days(i % 4000))
            .expect("a date");
        sum += cal.working_days_between(from, date(2026, 11, 23));
    }
    per_call("working_days_between", n, started, sum);

    let started = Instant::now();
    let mut found = 0;
    for i in 0..10_000 {
        found += i64::from(next_call_slot(now.as_millisecond() + i * 600_000, cal).is_some());
    }
    per_call("next_call_slot", 10_000, started, found);
}

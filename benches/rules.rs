//! Rule engine throughput: per-order rules without material I/O (target ≥ 100,000
//! orders/s on one core) and batches cross-checked: 10,000 independent orders, and
//! 10,000 orders sharing one site leader (a large company's batch, or a hostile one),
//! each at 5,000 and 10,000 orders to show linear growth (target: < 1 s, sharing within
//! 1.2× of independent).
//!
//! cargo bench --bench rules

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use icp_review::domain::person::{resident_id_check_char, uscc_check_char};
use icp_review::domain::{Order, parse_order};
use icp_review::rules::{self, Context, MemoryIndex, ProviderSettings, RuleData};
use std::hint::black_box;
use std::path::Path;

fn sample(name: &str) -> Order {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/spec/examples")
        .join(name);
    parse_order(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// `n` distinct orders: every subject, person, phone, e-mail, domain and account differs.
pub fn distinct_orders(n: usize) -> Vec<Order> {
    let base = sample("clean-enterprise.json");
    (0..n)
        .map(|i| {
            let mut o = base.clone();
            o.id = format!("BENCH-{i:06}");
            o.account = format!("acct-bench-{i:06}");
            let body = format!("9144030{:010}", i);
            o.subject.certificate.number = format!("{body}{}", uscc_check_char(&body).unwrap());
            o.subject.name = format!("深圳市测试{i}科技有限公司");
            let ric = |seq: usize| {
                let body = format!(
                    "440305{}{:02}{:02}{:03}",
                    1970 + seq % 30,
                    1 + seq % 12,
                    1 + seq % 28,
                    seq % 1000
                );
                format!("{body}{}", resident_id_check_char(&body).unwrap())
            };
            o.subject.leader.id_number = ric(2 * i);
            o.subject.leader.mobile = format!("138{:08}", 2 * i);
            o.subject.leader.emergency_phone = format!("139{:08}", 2 * i);
            o.subject.leader.email = format!("boss{i}@bench.cn");
            let s = &mut o.sites[0];
            s.leader.id_number = ric(2 * i + 1);
            s.leader.mobile = format!("137{:08}", 2 * i + 1);
            s.leader.emergency_phone = format!("150{:08}", 2 * i + 1);
            s.leader.email = format!("web{i}@bench.cn");
            s.domains[0].name = format!("bench-{i}.cn");
            s.domains[0].holder = o.subject.name.clone();
            s.access.resource_id = format!("ecs-{i:08}");
            o
        })
        .collect()
}

/// `n` orders of different companies that all name the same site leader (same id
/// number, mobile and e-mail): every order's cross-order rules meet all the others.
pub fn shared_leader_orders(n: usize) -> Vec<Order> {
    let mut orders = distinct_orders(n);
    let leader = orders[0].sites[0].leader.clone();
    for o in &mut orders {
        o.sites[0].leader = leader.clone();
    }
    orders
}

fn bench(c: &mut Criterion) {
    let data = RuleData::embedded().unwrap();
    let provider = icp_review::config::Config::defaults()
        .provider_settings()
        .unwrap();
    let orders = distinct_orders(10_000);

    let mut g = c.benchmark_group("rules");
    g.throughput(Throughput::Elements(1));
    let index = MemoryIndex::build(&orders);
    let ctx = Context {
        data: &data,
        provider: &provider,
        others: &index,
    };
    let mut i = 0;
    g.bench_function("per_order_clean_enterprise", |b| {
        b.iter(|| {
            i = (i + 1) % orders.len();
            black_box(rules::check_order(black_box(&orders[i]), &[], &ctx))
        })
    });
    let flawed = sample("halfwidth-brackets.json");
    g.bench_function("per_order_with_findings", |b| {
        b.iter(|| black_box(rules::check_order(black_box(&flawed), &[], &ctx)))
    });
    g.finish();

    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    let settings = ProviderSettings {
        ip_ranges: provider.ip_ranges.clone(),
    };
    for n in [5_000, 10_000] {
        for (name, orders) in [
            ("independent", distinct_orders(n)),
            ("sharing_one_site_leader", shared_leader_orders(n)),
        ] {
            g.throughput(Throughput::Elements(n as u64));
            let batch: Vec<(Order, Vec<rules::MaterialState>)> =
                orders.into_iter().map(|o| (o, Vec::new())).collect();
            // The shared case does what it says: every order meets the others.
            let shared = rules::check_batch(&batch, &data, &settings)
                .iter()
                .filter(|f| {
                    f.iter()
                        .any(|x| x.rule == "CONTACT-SITE-LEADER-MULTI-SUBJECT")
                })
                .count();
            assert_eq!(shared, if name == "independent" { 0 } else { n });
            g.bench_function(format!("cross_check_{n}_{name}"), |b| {
                b.iter(|| black_box(rules::check_batch(black_box(&batch), &data, &settings)))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Queue store benchmark: `Store` over SQLite, and over PostgreSQL when `DATABASE_URL`
//! is set, with 100,000 orders in the store. Targets:
//!
//! - SQLite: first page (limit 50) of the pending list (`status = [pending, resubmitted]`,
//!   sort age) < 10 ms; text search (`q` = a subject-name fragment matching a few dozen
//!   orders) < 50 ms; a decision (`decide` approve on a fresh clean pending order, after
//!   `claim`) < 5 ms.
//! - PostgreSQL: decisions/s under 32 concurrent clients (tasks claiming and approving
//!   distinct orders for a fixed time), plus the same list/search/decision latencies.
//! - Both (issue 13): intake into the full store within 1.5× of intake into an empty one
//!   (≥ 200 orders/s on SQLite), the fill rate at 0 / 50,000 / 100,000 orders when a store
//!   is filled, 10,000 orders sharing one site leader imported at ≥ 100 orders/s, any
//!   search (one or two characters too) < 50 ms, the list's last page (`G`) < 50 ms.
//!
//! ```text
//! cargo bench --bench store
//! DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench --bench store
//! ```
//!
//! The orders are made from the spec sample `clean-enterprise.json` (like `benches/rules.rs`)
//! and filled through `Store::intake` without material bytes, so every filled order carries
//! the blocking "material missing" findings; the concurrent run approves them with
//! `override_blocks` and a note. The single-decision latency uses fresh orders taken in with
//! the sample's material files, which are clean (checked, and `decide` refuses otherwise).
//!
//! The filled SQLite store stays in `target/bench-store/queue-100000.db` and the PostgreSQL
//! one in the database `icp_bench` (created next to `DATABASE_URL`'s); both are reused when
//! they already hold the orders, and fill times are logged in `target/bench-store/fill.log`.
//! Decisions change the stores: each run approves the oldest few thousand pending orders
//! (the concurrent runs) and adds 40 clean ones, so ~70,000 pending orders last many runs,
//! but the decided orders pile up ahead of the pending ones in age order, as in a real
//! queue (on PostgreSQL the pending first page gets slower with every run; see the plans).
//!
//! Knobs: `ICP_BENCH_ORDERS` (100000), `ICP_BENCH_CLIENTS` (32), `ICP_BENCH_SECS` (10, the
//! concurrent run on PostgreSQL; SQLite's runs at most 5 s), `ICP_BENCH_SQLITE=0` (skip
//! SQLite), `ICP_BENCH_PG_DB` (icp_bench: the PostgreSQL database, `_empty` and `_shared`
//! beside it), `ICP_BENCH_RATE_ORDERS` (2000: orders taken in to compare intake into the
//! full store with intake into an empty one), `ICP_BENCH_SHARED` (10000: orders sharing
//! one site leader imported into an empty store; 0 skips), `ICP_BENCH_DECISIONS` (40: fresh
//! orders claimed and approved one at a time for the single-decision latencies). To start from scratch, delete
//! `target/bench-store/` and `DROP DATABASE icp_bench`.
//!
//! Without `--bench` (e.g. `cargo test --benches`) the binary does nothing.

use futures::StreamExt;
use icp_review::config::Config;
use icp_review::domain::person::{resident_id_check_char, uscc_check_char};
use icp_review::domain::{Event, EventKind, Order, Status, parse_order};
use icp_review::queue::store::Store;
use icp_review::queue::{Action, Decision, ListQuery, QueueError, Sort};
use icp_review::rules::{ProviderSettings, RuleData, Severity};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const TARGET_LIST_MS: f64 = 10.0;
const TARGET_SEARCH_MS: f64 = 50.0;
const TARGET_DECIDE_MS: f64 = 5.0;
/// The summary columns and SQL of `Store::list` (src/queue/store.rs), for the plans.
const SUMMARY_COLUMNS: &str = "id, filing_type, status, province, subject_name, submitted_at, submitted_ms, blocks, warns, claimed_by, claim_until, version";
const FILL_PREFIX: &str = "BQ-";
const FRESH_PREFIX: &str = "BD-";
const FRESH_BASE: usize = 1_000_000;
const RATE_PREFIX: &str = "BR-";
const RATE_BASE: usize = 2_000_000;
const SHARED_BASE: usize = 5_000_000;
/// Depth of the "deep page" of the pending list.
const DEEP_ROWS: usize = 10_000;

// ---------------------------------------------------------------------------------------
// Orders

/// A province with consistent region fields: city, and the division code that the
/// credit codes and resident ids of its orders carry.
struct Prov {
    code: &'static str,
    city: &'static str,
    division: &'static str,
    weight: u64,
}

const PROVINCES: &[Prov] = &[
    Prov {
        code: "CN-GD",
        city: "深圳市",
        division: "440305",
        weight: 3,
    },
    Prov {
        code: "CN-ZJ",
        city: "杭州市",
        division: "330106",
        weight: 2,
    },
    Prov {
        code: "CN-JS",
        city: "南京市",
        division: "320102",
        weight: 2,
    },
    Prov {
        code: "CN-BJ",
        city: "北京市",
        division: "110105",
        weight: 1,
    },
    Prov {
        code: "CN-SH",
        city: "上海市",
        division: "310115",
        weight: 1,
    },
    Prov {
        code: "CN-SC",
        city: "成都市",
        division: "510104",
        weight: 1,
    },
    Prov {
        code: "CN-HB",
        city: "武汉市",
        division: "420106",
        weight: 1,
    },
    Prov {
        code: "CN-FJ",
        city: "福州市",
        division: "350102",
        weight: 1,
    },
];

/// First word of a subject name, with its pinyin for the domain.
const BRANDS: &[(&str, &str)] = &[
    ("凌云", "lingyun"),
    ("星河", "xinghe"),
    ("蓝海", "lanhai"),
    ("青松", "qingsong"),
    ("明辉", "minghui"),
    ("华锐", "huarui"),
    ("启航", "qihang"),
    ("云帆", "yunfan"),
    ("卓越", "zhuoyue"),
    ("恒通", "hengtong"),
    ("鼎盛", "dingsheng"),
    ("瑞丰", "ruifeng"),
    ("宏图", "hongtu"),
    ("锦程", "jincheng"),
    ("天成", "tiancheng"),
    ("智远", "zhiyuan"),
    ("博达", "boda"),
    ("长青", "changqing"),
    ("汇通", "huitong"),
    ("嘉禾", "jiahe"),
    ("远航", "yuanhang"),
    ("新创", "xinchuang"),
    ("优品", "youpin"),
    ("诚信", "chengxin"),
    ("永泰", "yongtai"),
    ("海纳", "haina"),
    ("九州", "jiuzhou"),
    ("东方", "dongfang"),
    ("金桥", "jinqiao"),
    ("银河", "yinhe"),
    ("光华", "guanghua"),
    ("万象", "wanxiang"),
    ("朗润", "langrun"),
    ("睿思", "ruisi"),
    ("沃土", "wotu"),
    ("清源", "qingyuan"),
    ("百川", "baichuan"),
    ("晨光", "chenguang"),
    ("飞鸿", "feihong"),
    ("拓维", "tuowei"),
    ("中天", "zhongtian"),
    ("盛世", "shengshi"),
    ("聚力", "juli"),
    ("恒信", "hengxin"),
    ("德润", "derun"),
    ("和畅", "hechang"),
    ("安达", "anda"),
    ("友邦", "youbang"),
    ("三禾", "sanhe"),
    ("创想", "chuangxiang"),
];

/// Second word of a subject name (no finance, pre-approval or sensitive words).
const TRADES: &[&str] = &[
    "数据",
    "网络",
    "软件",
    "信息",
    "电子",
    "传媒",
    "文化",
    "设计",
    "物流",
    "贸易",
    "建材",
    "家居",
    "餐饮",
    "旅游",
    "农业",
    "环保",
    "能源",
    "机械",
    "印务",
    "咨询",
    "广告",
    "智能",
    "通信",
    "云计算",
    "新材料",
    "生物",
    "体育",
    "服饰",
    "食品",
    "茶业",
    "花卉",
    "汽车",
    "装饰",
    "工程",
    "商贸",
    "电器",
    "照明",
    "包装",
    "纺织",
    "化工",
];

const KINDS: &[&str] = &["科技", "技术", "实业", "发展", "服务"];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];
const GIVEN: &[&str] = &[
    "海涛", "思雨", "建国", "晓明", "丽娟", "志强", "雪梅", "国华", "文静", "俊杰", "秀英", "伟",
    "芳", "磊", "洋", "婷婷", "浩然", "子涵", "欣怡", "宇轩", "嘉怡", "明哲", "雨桐", "梓萱",
    "立新", "春燕", "红梅", "永刚", "晨阳", "一鸣",
];

fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn h(i: usize, salt: u64) -> u64 {
    mix((i as u64) ^ salt.wrapping_mul(0x1000_0000_01B3))
}

fn fill_id(i: usize) -> String {
    format!("{FILL_PREFIX}{i:06}")
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/examples")
}

/// Makes order `i`: every subject, person, phone, e-mail, domain, account and code differs
/// between orders (so the cross-order rules find nothing and `related` stays empty).
struct Gen {
    base: Order,
    now_s: i64,
    /// Per province: seven-digit mobile prefixes registered there (13x/15x/18x).
    prefixes: Vec<Vec<String>>,
    /// Material id → bytes of the sample's files.
    materials: Vec<(String, Vec<u8>)>,
}

impl Gen {
    fn new(data: &RuleData) -> Res<Gen> {
        let text = std::fs::read_to_string(examples_dir().join("clean-enterprise.json"))?;
        let base = parse_order(&text).map_err(|e| format!("clean-enterprise.json: {e}"))?;
        // Every seven-digit 13x/15x/18x prefix whose numbers the rule data places in one of
        // the bench provinces (longest-prefix match, as PROV-LOCAL-MOBILE does).
        let mut prefixes = vec![Vec::new(); PROVINCES.len()];
        for head in [13u64, 15, 18] {
            for p in head * 100_000..(head + 1) * 100_000 {
                if let Some(code) = data.mobile_prefixes.province_of(&format!("{p}0000"))
                    && let Some(k) = PROVINCES.iter().position(|x| x.code == code)
                {
                    prefixes[k].push(p.to_string());
                }
            }
        }
        if prefixes.iter().any(|v| v.len() < 500) {
            return Err(
                "the mobile prefix table has too few 13x/15x/18x prefixes for a bench province"
                    .into(),
            );
        }
        let mut materials = Vec::new();
        for m in &base.materials {
            materials.push((m.id.clone(), std::fs::read(examples_dir().join(&m.file))?));
        }
        let now_s = jiff::Timestamp::now().as_second();
        Ok(Gen {
            base,
            now_s,
            prefixes,
            materials,
        })
    }

    fn province(i: usize) -> usize {
        let total: u64 = PROVINCES.iter().map(|p| p.weight).sum();
        let mut r = h(i, 1) % total;
        for (k, p) in PROVINCES.iter().enumerate() {
            if r < p.weight {
                return k;
            }
            r -= p.weight;
        }
        0
    }

    /// ~60% pending, ~10% resubmitted, the rest over the other statuses.
    fn status(i: usize) -> Status {
        match h(i, 2) % 100 {
            0..60 => Status::Pending,
            60..70 => Status::Resubmitted,
            70..75 => Status::AwaitingCall,
            75..81 => Status::Approved,
            81..87 => Status::Rejected,
            87..90 => Status::BureauRejected,
            90..96 => Status::Completed,
            96..98 => Status::Withdrawn,
            _ => Status::Abandoned,
        }
    }

    fn words(i: usize) -> (usize, usize, usize) {
        let x = h(i, 3);
        (
            (x % BRANDS.len() as u64) as usize,
            ((x >> 16) % TRADES.len() as u64) as usize,
            ((x >> 32) % KINDS.len() as u64) as usize,
        )
    }

    fn person_name(i: usize, k: u64) -> String {
        let x = h(i, 10 + k);
        format!(
            "{}{}",
            SURNAMES[(x % SURNAMES.len() as u64) as usize],
            GIVEN[((x >> 20) % GIVEN.len() as u64) as usize]
        )
    }

    fn mobile(&self, prov: usize, seq: usize) -> String {
        let list = &self.prefixes[prov];
        format!("{}{:04}", list[(seq / 10_000) % list.len()], seq % 10_000)
    }

    fn resident_id(division: &str, seq: usize) -> String {
        let d = seq / 1000;
        let body = format!(
            "{division}{:04}{:02}{:02}{:03}",
            1975 + d / 336,
            1 + (d / 28) % 12,
            1 + d % 28,
            seq % 1000
        );
        let c = resident_id_check_char(&body).expect("resident id body");
        format!("{body}{c}")
    }

    fn order(&self, i: usize, id: String, status: Status, age_s: i64) -> Order {
        let p = &PROVINCES[Gen::province(i)];
        let prov = Gen::province(i);
        let (b, t, k) = Gen::words(i);
        let (brand, pinyin) = BRANDS[b];
        let mut o = self.base.clone();
        o.id = id;
        o.status = status;
        o.account = format!("acct-bench-{i:07}");
        let at = jiff::Timestamp::from_second(self.now_s - age_s).expect("time");
        o.submitted_at = at;
        o.subject.name = format!("{}{brand}{}{}有限公司", p.city, TRADES[t], KINDS[k]);
        o.subject.region.province = p.code.to_string();
        o.subject.region.city = Some(p.city.to_string());
        let body = format!("91{}{:09}", p.division, i);
        o.subject.certificate.number = format!("{body}{}", uscc_check_char(&body).unwrap());
        o.subject.certificate.address = Some(format!("{}某路{}号", p.city, 1 + i % 300));
        o.subject.address = format!("{}某路{}号{}楼", p.city, 1 + i % 300, 1 + i % 20);
        let l = &mut o.subject.leader;
        l.name = Gen::person_name(i, 0);
        l.id_number = Gen::resident_id(p.division, 2 * i);
        l.mobile = self.mobile(prov, 4 * i);
        l.emergency_phone = self.mobile(prov, 4 * i + 1);
        l.email = format!("boss{i}@bench.cn");
        let s = &mut o.sites[0];
        s.name = format!("{brand}{}官网", TRADES[t]);
        s.leader.name = Gen::person_name(i, 1);
        s.leader.id_number = Gen::resident_id(p.division, 2 * i + 1);
        s.leader.mobile = self.mobile(prov, 4 * i + 2);
        s.leader.emergency_phone = self.mobile(prov, 4 * i + 3);
        s.leader.email = format!("web{i}@bench.cn");
        s.domains[0].name = format!("{pinyin}-{i}.cn");
        s.domains[0].holder = o.subject.name.clone();
        s.access.resource_id = format!("ecs-{i:08}");
        // A history that fits the status.
        let ev = |at: jiff::Timestamp, actor: &str, event: EventKind| Event {
            at,
            actor: actor.to_string(),
            event,
            reasons: Vec::new(),
            note: None,
            call: None,
        };
        let later = jiff::Timestamp::from_second((self.now_s - age_s + 3600).min(self.now_s))
            .expect("time");
        o.history = match status {
            Status::Resubmitted => {
                let first =
                    jiff::Timestamp::from_second(self.now_s - age_s - 3 * 86_400).expect("time");
                let rej =
                    jiff::Timestamp::from_second(self.now_s - age_s - 2 * 86_400).expect("time");
                vec![
                    ev(first, "applicant", EventKind::Submitted),
                    ev(rej, "reviewer:r1", EventKind::Rejected),
                    ev(at, "applicant", EventKind::Resubmitted),
                ]
            }
            Status::Pending => vec![ev(at, "applicant", EventKind::Submitted)],
            other => {
                let kind = match other {
                    Status::AwaitingCall => EventKind::CallScheduled,
                    Status::Approved | Status::Completed => EventKind::Approved,
                    Status::Rejected => EventKind::Rejected,
                    Status::BureauRejected => EventKind::BureauRejected,
                    Status::Withdrawn => EventKind::Withdrawn,
                    _ => EventKind::Abandoned,
                };
                vec![
                    ev(at, "applicant", EventKind::Submitted),
                    ev(later, "reviewer:r1", kind),
                ]
            }
        };
        o
    }

    /// Order `i` of the filled set: submitted over the last 30 days.
    fn filled(&self, i: usize) -> Order {
        let age = (h(i, 4) % (30 * 86_400)) as i64;
        self.order(i, fill_id(i), Gen::status(i), age)
    }

    /// A fresh pending order (taken in with its material files).
    fn fresh(&self, i: usize) -> Order {
        self.order(i, format!("{FRESH_PREFIX}{i:07}"), Status::Pending, 60)
    }

    /// A subject-name fragment (brand + trade) matching a few dozen of the first `n`
    /// orders, and how many match.
    fn search_fragment(n: usize) -> (String, usize) {
        let mut counts: BTreeMap<(usize, usize), usize> = BTreeMap::new();
        for i in 0..n {
            let (b, t, _) = Gen::words(i);
            *counts.entry((b, t)).or_default() += 1;
        }
        let want = (n / (BRANDS.len() * TRADES.len())).max(1);
        let ((b, t), c) = counts
            .iter()
            .min_by_key(|(_, c)| c.abs_diff(want))
            .map(|(k, c)| (*k, *c))
            .unwrap_or(((0, 0), 0));
        (format!("{}{}", BRANDS[b].0, TRADES[t]), c)
    }
}

// ---------------------------------------------------------------------------------------
// Measuring

struct Stats {
    n: usize,
    p50: f64,
    p95: f64,
    max: f64,
    min: f64,
}

fn stats(v: &[Duration]) -> Stats {
    let mut ms: Vec<f64> = v.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(|a, b| a.total_cmp(b));
    let n = ms.len();
    if n == 0 {
        return Stats {
            n,
            p50: f64::NAN,
            p95: f64::NAN,
            max: f64::NAN,
            min: f64::NAN,
        };
    }
    let at = |q: f64| ms[(((n as f64) * q).ceil() as usize).clamp(1, n) - 1];
    Stats {
        n,
        p50: at(0.5),
        p95: at(0.95),
        max: ms[n - 1],
        min: ms[0],
    }
}

fn report(engine: &str, name: &str, v: &[Duration], target_ms: Option<f64>) {
    let s = stats(v);
    let verdict = match target_ms {
        None => String::new(),
        Some(t) if s.p95 < t => format!("target < {t} ms: MET (p50 and p95)"),
        Some(t) if s.p50 < t => format!("target < {t} ms: met at p50, MISSED at p95"),
        Some(t) => format!("target < {t} ms: MISSED"),
    };
    println!(
        "{engine:<8} {name:<40} n={:<4} min {:>8.2}  p50 {:>8.2}  p95 {:>8.2}  max {:>8.2} ms   {verdict}",
        s.n, s.min, s.p50, s.p95, s.max
    );
}

/// Run `f` up to `max_n` times or until `budget` is spent (at least 5 samples), after
/// `warmup` untimed runs.
async fn sample<F, Fut>(
    warmup: usize,
    max_n: usize,
    budget: Duration,
    mut f: F,
) -> Res<Vec<Duration>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Res<()>>,
{
    for _ in 0..warmup {
        f().await?;
    }
    let start = Instant::now();
    let mut out = Vec::with_capacity(max_n);
    while out.len() < max_n && (out.len() < 5 || start.elapsed() < budget) {
        let t = Instant::now();
        f().await?;
        out.push(t.elapsed());
    }
    Ok(out)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-store")
}

fn log_fill(line: &str) {
    use std::io::Write;
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(bench_dir().join("fill.log"))
    {
        let _ = writeln!(
            f,
            "{} {line}",
            jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ")
        );
    }
}

fn last_fill(key: &str) -> Option<String> {
    let text = std::fs::read_to_string(bench_dir().join("fill.log")).ok()?;
    text.lines()
        .rev()
        .find(|l| l.contains(key) && l.contains(" filled "))
        .map(str::to_string)
}

// ---------------------------------------------------------------------------------------
// Filling

/// Take in the missing orders of the first `n` through `Store::intake` with `conc`
/// requests in flight.
async fn fill(
    store: &Store,
    diag: &AnyPool,
    og: &Arc<Gen>,
    n: usize,
    conc: usize,
    key: &str,
) -> Res<()> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT id FROM orders WHERE id LIKE '{FILL_PREFIX}%'"
    )))
    .fetch_all(diag)
    .await?;
    let have: HashSet<String> = rows
        .iter()
        .filter_map(|r| r.try_get::<String, _>("id").ok())
        .collect();
    let todo: Vec<usize> = (0..n).filter(|i| !have.contains(&fill_id(*i))).collect();
    if todo.is_empty() {
        println!(
            "{key}: reusing the store, {} filled orders already there (fill skipped)",
            have.len()
        );
        if let Some(l) = last_fill(key) {
            println!("{key}: last recorded fill: {l}");
        }
        return Ok(());
    }
    println!(
        "{key}: filling {} orders through Store::intake ({} already there), {conc} in flight …",
        todo.len(),
        have.len()
    );
    let start = Instant::now();
    let done = AtomicUsize::new(0);
    let total = todo.len();
    // The rate of 2,000-order windows as the store fills (at its start, its middle and
    // its end): flat intake means these stay close.
    let window = 2_000.min(total / 4).max(1);
    let marks = [window, total / 2, total / 2 + window, total - window, total];
    let mut at: BTreeMap<usize, f64> = BTreeMap::new();
    let mut stream = futures::stream::iter(todo)
        .map(|i| {
            let og = og.clone();
            let store = store.clone();
            async move {
                let json = serde_json::to_string(&og.filled(i)).map_err(|e| e.to_string())?;
                store
                    .intake("system:bench", &json, Vec::new())
                    .await
                    .map_err(|e| format!("intake {}: {e}", fill_id(i)))?;
                Ok::<(), String>(())
            }
        })
        .buffer_unordered(conc);
    while let Some(r) = stream.next().await {
        r?;
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        if marks.contains(&d) {
            at.insert(d, start.elapsed().as_secs_f64());
        }
        if d.is_multiple_of(10_000) || d == total {
            let s = start.elapsed().as_secs_f64();
            println!(
                "{key}:   {d:>7}/{total} after {s:>7.1} s ({:.0} orders/s)",
                d as f64 / s
            );
        }
    }
    let s = start.elapsed().as_secs_f64();
    let line = format!(
        "{key}: filled {total} orders in {s:.1} s ({:.0} orders/s, {conc} in flight)",
        total as f64 / s
    );
    println!("{line}");
    log_fill(&line);
    if have.is_empty() && total >= 4 * window {
        let rate = |a: usize, b: usize| {
            let t0 = if a == 0 { 0.0 } else { at[&a] };
            (b - a) as f64 / (at[&b] - t0)
        };
        let (first, mid, last) = (
            rate(0, window),
            rate(total / 2, total / 2 + window),
            rate(total - window, total),
        );
        let line = format!(
            "{key}: fill rate by store size: {first:.0} orders/s at 0, {mid:.0} at {}, {last:.0} at {} (last/first {:.2}×)",
            total / 2,
            total - window,
            last / first
        );
        println!("{line}");
        log_fill(&line);
    }
    Ok(())
}

/// Take in `count` new orders (people, contacts and subjects of their own) with `conc`
/// in flight; orders/s.
async fn intake_rate(
    store: &Store,
    og: &Arc<Gen>,
    prefix: &str,
    base: usize,
    count: usize,
    conc: usize,
) -> Res<f64> {
    let start = Instant::now();
    let mut stream = futures::stream::iter(0..count)
        .map(|k| {
            let og = og.clone();
            let store = store.clone();
            let id = format!("{prefix}{:07}", base + k);
            async move {
                let o = og.order(base + k, id.clone(), Status::Pending, 3600);
                let json = serde_json::to_string(&o).map_err(|e| e.to_string())?;
                store
                    .intake("system:bench", &json, Vec::new())
                    .await
                    .map_err(|e| format!("intake {id}: {e}"))?;
                Ok::<(), String>(())
            }
        })
        .buffer_unordered(conc);
    while let Some(r) = stream.next().await {
        r?;
    }
    Ok(count as f64 / start.elapsed().as_secs_f64())
}

/// Fresh clean orders taken in, claimed and approved one at a time for the single-decision
/// latencies (`ICP_BENCH_DECISIONS`, 40).
fn decisions() -> usize {
    env_usize("ICP_BENCH_DECISIONS", 40)
}

/// Intake into the filled store against intake into an empty one (same orders, same
/// concurrency): flat intake keeps the ratio near 1.
async fn intake_flatness(
    engine: &str,
    store: &Store,
    empty: &Store,
    og: &Arc<Gen>,
    diag: &AnyPool,
    conc: usize,
) -> Res<()> {
    let count = env_usize("ICP_BENCH_RATE_ORDERS", 2_000);
    let existing: i64 = sqlx::query(AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n FROM orders WHERE id LIKE '{RATE_PREFIX}%'"
    )))
    .fetch_one(diag)
    .await?
    .try_get("n")?;
    let base = RATE_BASE + existing as usize;
    let on_empty = intake_rate(empty, og, RATE_PREFIX, base, count, conc).await?;
    let on_full = intake_rate(store, og, RATE_PREFIX, base, count, conc).await?;
    let n = store.count().await?;
    println!(
        "{engine:<8} intake of {count} new orders, {conc} in flight: {on_empty:.0} orders/s into an empty store, {on_full:.0} orders/s into the store of {n} ({:.2}× slower; target within 1.5×{})",
        on_empty / on_full,
        if engine == "sqlite" {
            ", ≥ 200 orders/s"
        } else {
            ""
        }
    );
    Ok(())
}

/// Orders that share people: every order names the same site leader (a reseller filing
/// for many small companies) and every tenth the same subject-leader mobile; imported into
/// an empty store, `conc` in flight. Target ≥ 100 orders/s for 10,000.
async fn shared_people(engine: &str, store: &Store, og: &Arc<Gen>, conc: usize) -> Res<()> {
    let count = env_usize("ICP_BENCH_SHARED", 10_000);
    if count == 0 {
        return Ok(());
    }
    let start = Instant::now();
    let mut stream = futures::stream::iter(0..count)
        .map(|k| {
            let og = og.clone();
            let store = store.clone();
            async move {
                let i = SHARED_BASE + k;
                let mut o = og.order(i, format!("BS-{k:06}"), Status::Pending, 3600);
                let s = &mut o.sites[0].leader;
                s.id_number = Gen::resident_id(PROVINCES[0].division, 999_999);
                s.mobile = og.mobile(0, 999_999);
                s.email = "reseller@bench.cn".into();
                if k % 10 == 0 {
                    o.subject.leader.mobile = og.mobile(0, 999_998);
                }
                let json = serde_json::to_string(&o).map_err(|e| e.to_string())?;
                store
                    .intake("system:bench", &json, Vec::new())
                    .await
                    .map_err(|e| format!("intake {}: {e}", o.id))?;
                Ok::<(), String>(())
            }
        })
        .buffer_unordered(conc);
    let mut done = 0usize;
    let mut first = None;
    while let Some(r) = stream.next().await {
        r?;
        done += 1;
        if done == count / 10 {
            first = Some(start.elapsed().as_secs_f64());
        }
    }
    let s = start.elapsed().as_secs_f64();
    let first = first.unwrap_or(s);
    let tail = (count - count / 10) as f64 / (s - first);
    println!(
        "{engine:<8} {count} orders sharing one site leader: {:.0} orders/s overall, {:.0} for the first tenth, {tail:.0} for the rest (target ≥ 100)",
        count as f64 / s,
        (count / 10) as f64 / first
    );
    let sample = store.get("BS-000000").await?;
    let cross = sample
        .findings
        .iter()
        .filter(|f| f.rule == "CONTACT-SITE-LEADER-MULTI-SUBJECT")
        .count();
    println!(
        "{engine:<8}   the first of them names another order sharing its site leader: {}",
        if cross > 0 { "yes" } else { "NO" }
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The measurements

fn pending_query() -> ListQuery {
    ListQuery {
        status: vec![Status::Pending, Status::Resubmitted],
        sort: Sort::Age,
        limit: Some(50),
        ..ListQuery::default()
    }
}

async fn latencies(
    engine: &str,
    store: &Store,
    og: &Arc<Gen>,
    n: usize,
    fresh_count: usize,
    diag: &AnyPool,
) -> Res<()> {
    // Pending list, first page.
    let q = &pending_query();
    let first = store.list(q).await?;
    if first.items.len() != 50 {
        return Err(format!("pending list: {} items, not 50", first.items.len()).into());
    }
    let v = sample(3, 200, Duration::from_secs(10), || async move {
        std::hint::black_box(store.list(q).await?);
        Ok(())
    })
    .await?;
    report(
        engine,
        "pending list, first page (50, age)",
        &v,
        Some(TARGET_LIST_MS),
    );

    // Second page through the cursor (informational).
    let q2 = &ListQuery {
        cursor: first.next.clone(),
        ..pending_query()
    };
    let v = sample(1, 100, Duration::from_secs(5), || async move {
        std::hint::black_box(store.list(q2).await?);
        Ok(())
    })
    .await?;
    report(engine, "pending list, second page (cursor)", &v, None);

    // A page DEEP_ROWS rows down (the cursor of the last row of 500-row pages).
    let mut deep = ListQuery {
        limit: Some(500),
        ..pending_query()
    };
    for _ in 0..DEEP_ROWS / 500 {
        deep.cursor = store.list(&deep).await?.next;
    }
    let deep = &ListQuery {
        limit: Some(50),
        ..deep
    };
    let v = sample(1, 50, Duration::from_secs(10), || async move {
        std::hint::black_box(store.list(deep).await?);
        Ok(())
    })
    .await?;
    report(
        engine,
        &format!("pending list, page {DEEP_ROWS} rows deep"),
        &v,
        None,
    );

    // Text search.
    let (frag, expected) = Gen::search_fragment(n);
    let all = store
        .list(&ListQuery {
            q: Some(frag.clone()),
            limit: Some(500),
            ..ListQuery::default()
        })
        .await?;
    println!(
        "{engine:<8} search q={frag:?}: {} matches (generator says {expected}{})",
        all.items.len(),
        if all.next.is_some() {
            "; more than 500?"
        } else {
            ""
        }
    );
    let sq = &ListQuery {
        q: Some(frag.clone()),
        limit: Some(50),
        ..ListQuery::default()
    };
    let v = sample(2, 50, Duration::from_secs(15), || async move {
        std::hint::black_box(store.list(sq).await?);
        Ok(())
    })
    .await?;
    report(
        engine,
        &format!("search q={frag} (first page)"),
        &v,
        Some(TARGET_SEARCH_MS),
    );
    let sq2 = &ListQuery {
        q: Some(frag.clone()),
        ..pending_query()
    };
    let v = sample(2, 50, Duration::from_secs(15), || async move {
        std::hint::black_box(store.list(sq2).await?);
        Ok(())
    })
    .await?;
    report(engine, "search within the pending list", &v, None);

    // Short fragments (one or two characters: Chinese given names and surnames), which
    // the trigram index cannot answer: every one under the search target.
    for (what, frag) in [
        ("a two-character name (张伟)", "张伟"),
        ("a two-character given name (思雨)", "思雨"),
        ("one character (a surname, 罗)", "罗"),
        ("one rare character (鑫)", "鑫"),
        ("two ASCII characters (qz)", "qz"),
        ("a name nobody has (龘龘)", "龘龘"),
    ] {
        let q = &ListQuery {
            q: Some(frag.to_string()),
            limit: Some(50),
            ..pending_query()
        };
        let shown = store.list(q).await?.items.len();
        let v = sample(2, 50, Duration::from_secs(10), || async move {
            std::hint::black_box(store.list(q).await?);
            Ok(())
        })
        .await?;
        report(
            engine,
            &format!("search {what}, {shown} on page 1"),
            &v,
            Some(TARGET_SEARCH_MS),
        );
    }

    // `G`: the last page of the pending list, by a keyset query from its end.
    let last = &ListQuery {
        backward: true,
        ..pending_query()
    };
    let v = sample(2, 100, Duration::from_secs(5), || async move {
        std::hint::black_box(store.list(last).await?);
        Ok(())
    })
    .await?;
    report(engine, "pending list, last page (G)", &v, Some(50.0));

    // get (what decide runs first for an approval).
    let some = first.items[0].id.as_str();
    let v = sample(2, 100, Duration::from_secs(5), || async move {
        std::hint::black_box(store.get(some).await?);
        Ok(())
    })
    .await?;
    report(engine, "get (order + findings)", &v, None);

    // Decisions on fresh clean orders: intake (with the material files), claim, decide.
    let existing: i64 = sqlx::query(AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n FROM orders WHERE id LIKE '{FRESH_PREFIX}%'"
    )))
    .fetch_one(diag)
    .await?
    .try_get("n")?;
    let base = FRESH_BASE + existing as usize;
    let mut fresh = Vec::new();
    let mut t_intake = Vec::new();
    for k in 0..fresh_count {
        let o = og.fresh(base + k);
        let json = serde_json::to_string(&o)?;
        let t = Instant::now();
        let out = store
            .intake("system:bench", &json, og.materials.clone())
            .await?;
        t_intake.push(t.elapsed());
        fresh.push((o.id, out.version));
    }
    report(
        engine,
        "intake (fresh order, 8 material files)",
        &t_intake,
        None,
    );
    let detail = store.get(&fresh[0].0).await?;
    let blocks: Vec<&str> = detail
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .map(|f| f.rule.as_str())
        .collect();
    let override_blocks = !blocks.is_empty();
    if override_blocks {
        println!(
            "{engine:<8} NOTE: the fresh order {} has blocking findings {blocks:?}; approving with override_blocks",
            fresh[0].0
        );
    } else {
        println!(
            "{engine:<8} fresh order {} is clean (0 blocking, {} other findings)",
            fresh[0].0,
            detail.findings.len()
        );
    }
    let (mut t_claim, mut t_decide) = (Vec::new(), Vec::new());
    for (id, version) in &fresh {
        let t = Instant::now();
        store.claim(id, "bench-reviewer", 300).await?;
        t_claim.push(t.elapsed());
        let d = Decision {
            action: Action::Approve,
            expected_version: *version,
            reasons: Vec::new(),
            note: override_blocks.then(|| "bench: approve despite findings".to_string()),
            call: None,
            override_blocks,
        };
        let key = uuid::Uuid::new_v4().to_string();
        let t = Instant::now();
        let out = store.decide(id, "bench-reviewer", &d, &key).await?;
        t_decide.push(t.elapsed());
        if out.status != Status::Approved {
            return Err(format!("decide {id}: {:?}", out.status).into());
        }
    }
    report(engine, "claim", &t_claim, None);
    report(
        engine,
        "decide approve (fresh clean order)",
        &t_decide,
        Some(TARGET_DECIDE_MS),
    );
    let both: Vec<Duration> = t_claim
        .iter()
        .zip(&t_decide)
        .map(|(a, b)| *a + *b)
        .collect();
    report(engine, "claim + decide", &both, None);
    Ok(())
}

/// `clients` tasks claiming and approving distinct pending orders for `secs` seconds.
async fn concurrent_decisions(
    engine: &str,
    store: &Store,
    clients: usize,
    secs: u64,
    want_ids: usize,
) -> Res<()> {
    // Distinct pending orders, oldest first, as the list gives them.
    let t = Instant::now();
    let mut ids: Vec<(String, i64)> = Vec::new();
    let mut q = ListQuery {
        limit: Some(500),
        ..pending_query()
    };
    while ids.len() < want_ids {
        let page = store.list(&q).await?;
        ids.extend(
            page.items
                .into_iter()
                .filter(|s| s.claim.is_none())
                .map(|s| (s.id, s.version)),
        );
        match page.next {
            Some(c) => q.cursor = Some(c),
            None => break,
        }
    }
    println!(
        "{engine:<8} concurrent decisions: {} unclaimed pending orders listed in {:.1} s; {clients} clients for {secs} s",
        ids.len(),
        t.elapsed().as_secs_f64()
    );
    let detail = store.get(&ids[0].0).await?;
    let blocks = detail
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .count();
    println!(
        "{engine:<8}   (filled orders have no material files: {blocks} blocking findings on {}; approved with override_blocks + note)",
        ids[0].0
    );
    let ids = Arc::new(ids);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (store, ids, next) = (store.clone(), ids.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let reviewer = format!("bench-c{c:02}");
            let mut lat = Vec::new();
            let mut errors: BTreeMap<String, usize> = BTreeMap::new();
            let mut first_error: Option<String> = None;
            while Instant::now() < deadline {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some((id, version)) = ids.get(k) else {
                    break;
                };
                let t = Instant::now();
                let r: Result<(), QueueError> = async {
                    store.claim(id, &reviewer, 120).await?;
                    let d = Decision {
                        action: Action::Approve,
                        expected_version: *version,
                        reasons: Vec::new(),
                        note: Some("bench: filled without material files".into()),
                        call: None,
                        override_blocks: true,
                    };
                    store
                        .decide(id, &reviewer, &d, &uuid::Uuid::new_v4().to_string())
                        .await?;
                    Ok(())
                }
                .await;
                match r {
                    Ok(()) => lat.push(t.elapsed()),
                    Err(e) => {
                        *errors.entry(e.code().to_string()).or_default() += 1;
                        first_error.get_or_insert_with(|| e.to_string());
                    }
                }
            }
            (lat, errors, first_error)
        }));
    }
    let mut lat = Vec::new();
    let mut errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut first_error = None;
    for t in tasks {
        let (l, e, f) = t.await?;
        lat.extend(l);
        for (k, v) in e {
            *errors.entry(k).or_default() += v;
        }
        if first_error.is_none() {
            first_error = f;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "{engine:<8} {:<40} {} approved in {elapsed:.1} s = {:.0} decisions/s{}",
        format!("{clients} clients claim + approve"),
        lat.len(),
        lat.len() as f64 / elapsed,
        if ids.len() <= next.load(Ordering::Relaxed) {
            " (ran out of listed orders)"
        } else {
            ""
        }
    );
    if !errors.is_empty() {
        println!(
            "{engine:<8}   errors: {errors:?}, first: {}",
            first_error.unwrap_or_default()
        );
    }
    report(
        engine,
        &format!("claim + decide under {clients} clients"),
        &lat,
        None,
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Plans

/// The SQL `Store::list` runs for the pending list (first page, and a page
/// `DEEP_ROWS` rows deep through the keyset cursor) and for the search, with literals.
async fn plan_queries(diag: &AnyPool, frag: &str) -> Res<Vec<(String, String)>> {
    let pending = "status IN ('pending', 'resubmitted')";
    let order = "ORDER BY submitted_ms, id LIMIT 51";
    let mut out = vec![(
        "pending list".to_string(),
        format!("SELECT {SUMMARY_COLUMNS} FROM orders WHERE {pending} {order}"),
    )];
    let deep = sqlx::query(AssertSqlSafe(format!(
        "SELECT submitted_ms, id FROM orders WHERE {pending} {} OFFSET {DEEP_ROWS}",
        order.replace("51", "1")
    )))
    .fetch_optional(diag)
    .await?;
    if let Some(r) = deep {
        let (t, id): (i64, String) = (r.try_get("submitted_ms")?, r.try_get("id")?);
        out.push((
            format!("pending list {DEEP_ROWS} rows deep (cursor)"),
            format!(
                "SELECT {SUMMARY_COLUMNS} FROM orders WHERE {pending} AND (submitted_ms > {t} OR (submitted_ms = {t} AND id > '{id}')) {order}"
            ),
        ));
    }
    out.push((
        "search".to_string(),
        format!(
            "SELECT {SUMMARY_COLUMNS} FROM orders WHERE search LIKE '%{frag}%' ESCAPE '\\' {order}"
        ),
    ));
    Ok(out)
}

async fn sqlite_plans(diag: &AnyPool, frag: &str) -> Res<()> {
    let queries = plan_queries(diag, frag).await?;
    for (name, sql) in queries {
        let rows = sqlx::query(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(diag)
            .await?;
        let plan: Vec<String> = rows
            .iter()
            .filter_map(|r| r.try_get::<String, _>("detail").ok())
            .collect();
        println!("sqlite   plan of the {name}: {}", plan.join(" | "));
    }
    let r = sqlx::query("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'")
        .fetch_one(diag)
        .await?;
    let analysed: i64 = r.try_get("n")?;
    let ps: i64 = sqlx::query("PRAGMA page_size")
        .fetch_one(diag)
        .await?
        .try_get(0)?;
    let pc: i64 = sqlx::query("PRAGMA page_count")
        .fetch_one(diag)
        .await?
        .try_get(0)?;
    let t = Instant::now();
    let r = sqlx::query(
        "SELECT AVG(LENGTH(CAST(doc AS BLOB))) AS d, AVG(LENGTH(CAST(findings AS BLOB))) AS f, AVG(LENGTH(CAST(search AS BLOB))) AS s FROM orders",
    )
    .fetch_one(diag)
    .await?;
    let (d, f, s): (f64, f64, f64) = (r.try_get("d")?, r.try_get("f")?, r.try_get("s")?);
    println!(
        "sqlite   file {:.0} MB ({pc} pages of {ps} B); orders rows: doc {d:.0} B, findings {f:.0} B, search {s:.0} B on average (full scan {:.0} ms); sqlite_stat1 {}",
        (pc * ps) as f64 / 1e6,
        t.elapsed().as_secs_f64() * 1e3,
        if analysed > 0 {
            "present"
        } else {
            "absent (never ANALYZEd)"
        }
    );
    Ok(())
}

async fn postgres_plans(diag: &AnyPool, frag: &str) -> Res<()> {
    let queries = plan_queries(diag, frag).await?;
    for (name, sql) in queries {
        let rows = sqlx::query(AssertSqlSafe(format!("EXPLAIN (ANALYZE, BUFFERS) {sql}")))
            .fetch_all(diag)
            .await?;
        println!("postgres plan of the {name}:");
        for r in rows {
            let line: String = r.try_get(0)?;
            println!("    {line}");
        }
    }
    let r = sqlx::query(
        "SELECT pg_total_relation_size('orders') AS t, pg_relation_size('orders') AS h",
    )
    .fetch_one(diag)
    .await?;
    let (t, hs): (i64, i64) = (r.try_get("t")?, r.try_get("h")?);
    let r = sqlx::query(
        "SELECT current_setting('autovacuum') AS av, n_dead_tup, n_mod_since_analyze, COALESCE(to_char(GREATEST(last_analyze, last_autoanalyze), 'YYYY-MM-DD HH24:MI'), 'never') AS analysed FROM pg_stat_user_tables WHERE relname = 'orders'",
    )
    .fetch_one(diag)
    .await?;
    let (av, dead, modified, analysed): (String, i64, i64, String) = (
        r.try_get("av")?,
        r.try_get("n_dead_tup")?,
        r.try_get("n_mod_since_analyze")?,
        r.try_get("analysed")?,
    );
    println!(
        "postgres orders: autovacuum {av}, {dead} dead tuples, {modified} rows changed since the last analyze ({analysed})"
    );
    println!(
        "postgres orders: heap {:.0} MB, with TOAST and indexes {:.0} MB",
        hs as f64 / 1e6,
        t as f64 / 1e6
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------

/// Open the store (applying its migrations).
async fn open_store(
    url: &str,
    data: &Arc<RuleData>,
    provider: &Arc<ProviderSettings>,
) -> Result<Store, QueueError> {
    Store::open(url, data.clone(), provider.clone()).await
}

async fn run_sqlite(
    og: &Arc<Gen>,
    data: &Arc<RuleData>,
    provider: &Arc<ProviderSettings>,
    n: usize,
    clients: usize,
    secs: u64,
) -> Res<()> {
    let dir = bench_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("queue-{n}.db"));
    let url = format!("sqlite://{}", path.display());
    println!("\n== SQLite ({}) ==", path.display());
    let store = match open_store(&url, data, provider).await {
        Ok(s) => s,
        Err(QueueError::Storage(m)) if m.starts_with("migrations") => {
            println!("sqlite: {m}; the schema changed, rebuilding the bench store");
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
            }
            open_store(&url, data, provider).await?
        }
        Err(e) => return Err(e.into()),
    };
    let diag = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await?;
    fill(&store, &diag, og, n, 8, &format!("sqlite {n}")).await?;
    println!("sqlite   {} orders in the store", store.count().await?);
    {
        let fresh = |name: &str| {
            let p = dir.join(format!("{name}-{}.db", std::process::id()));
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
            }
            p
        };
        let empty_path = fresh("empty");
        let empty = open_store(
            &format!("sqlite://{}", empty_path.display()),
            data,
            provider,
        )
        .await?;
        intake_flatness("sqlite", &store, &empty, og, &diag, 8).await?;
        let shared_path = fresh("shared");
        let shared = open_store(
            &format!("sqlite://{}", shared_path.display()),
            data,
            provider,
        )
        .await?;
        shared_people("sqlite", &shared, og, 8).await?;
        drop((empty, shared));
        for p in [empty_path, shared_path] {
            for ext in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
            }
        }
    }
    let (frag, _) = Gen::search_fragment(n);
    sqlite_plans(&diag, &frag).await?;
    latencies("sqlite", &store, og, n, decisions(), &diag).await?;
    concurrent_decisions("sqlite", &store, clients, secs.min(5), 10_000).await?;
    diag.close().await;
    Ok(())
}

async fn run_postgres(
    admin_url: &str,
    og: &Arc<Gen>,
    data: &Arc<RuleData>,
    provider: &Arc<ProviderSettings>,
    n: usize,
    clients: usize,
    secs: u64,
) -> Res<()> {
    let stem = std::env::var("ICP_BENCH_PG_DB").unwrap_or_else(|_| "icp_bench".into());
    let db = if n == 100_000 {
        stem.clone()
    } else {
        format!("{stem}_{n}")
    };
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin_url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |k| k + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(k) => &base[..scheme_end + k],
        None => base,
    };
    let url = format!("{host_part}/{db}{query}");
    println!("\n== PostgreSQL ({host_part}/{db}) ==");
    let admin = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(admin_url)
        .await?;
    let exists = sqlx::query("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&db)
        .fetch_optional(&admin)
        .await?
        .is_some();
    if !exists {
        sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {db}")))
            .execute(&admin)
            .await?;
        println!("postgres: created database {db}");
    }
    let store = match open_store(&url, data, provider).await {
        Ok(s) => s,
        Err(QueueError::Storage(m)) if m.starts_with("migrations") => {
            println!("postgres: {m}; the schema changed, recreating database {db}");
            sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE {db} WITH (FORCE)")))
                .execute(&admin)
                .await?;
            sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {db}")))
                .execute(&admin)
                .await?;
            open_store(&url, data, provider).await?
        }
        Err(e) => return Err(e.into()),
    };
    admin.close().await;
    let diag = AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await?;
    fill(&store, &diag, og, n, 32, &format!("postgres {n}")).await?;
    println!("postgres {} orders in the store", store.count().await?);
    {
        // Fresh databases next to the bench one: an empty store, and one for the orders
        // sharing people.
        let admin = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(admin_url)
            .await?;
        let mut fresh = Vec::new();
        for name in [format!("{stem}_empty"), format!("{stem}_shared")] {
            sqlx::raw_sql(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&admin)
            .await?;
            sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await?;
            fresh.push(open_store(&format!("{host_part}/{name}{query}"), data, provider).await?);
        }
        intake_flatness("postgres", &store, &fresh[0], og, &diag, 32).await?;
        shared_people("postgres", &fresh[1], og, 32).await?;
        drop(fresh);
        admin.close().await;
    }
    let (frag, _) = Gen::search_fragment(n);
    postgres_plans(&diag, &frag).await?;
    latencies("postgres", &store, og, n, decisions(), &diag).await?;
    concurrent_decisions("postgres", &store, clients, secs, 8_000).await?;
    diag.close().await;
    Ok(())
}

/// Generated orders are as clean as the sample, apart from their missing material files.
fn check_generator(og: &Gen, data: &RuleData, provider: &ProviderSettings) -> Res<()> {
    use icp_review::rules::{self, Context, MaterialState, MemoryIndex};
    let states: Vec<MaterialState> = og
        .base
        .materials
        .iter()
        .map(|m| {
            MaterialState::from(icp_review::material::inspect_file(
                &examples_dir().join(&m.file),
            ))
        })
        .collect();
    let orders: Vec<Order> = (0..400)
        .map(|i| og.filled(i))
        .chain((0..20).map(|k| og.fresh(FRESH_BASE + k)))
        .collect();
    let index = MemoryIndex::build(&orders);
    let ctx = Context {
        data,
        provider,
        others: &index,
    };
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for o in &orders {
        for f in rules::check_order(o, &states, &ctx) {
            if f.severity == Severity::Block {
                *seen
                    .entry(format!("{} ({})", f.rule, o.subject.region.province))
                    .or_default() += 1;
            }
        }
    }
    if !seen.is_empty() {
        return Err(format!(
            "generated orders with their material files have blocking findings: {seen:?}"
        )
        .into());
    }
    Ok(())
}

async fn run() -> Res<()> {
    let n = env_usize("ICP_BENCH_ORDERS", 100_000);
    let clients = env_usize("ICP_BENCH_CLIENTS", 32);
    let secs = env_usize("ICP_BENCH_SECS", 10) as u64;
    let data = Arc::new(RuleData::embedded()?);
    let provider = Arc::new(Config::defaults().provider_settings()?);
    let og = Arc::new(Gen::new(&data)?);
    check_generator(&og, &data, &provider)?;
    let statuses = (0..n).fold(BTreeMap::<&str, usize>::new(), |mut m, i| {
        *m.entry(Gen::status(i).as_str()).or_default() += 1;
        m
    });
    println!("store bench: {n} orders {statuses:?}");
    if std::env::var("ICP_BENCH_SQLITE").map_or(true, |v| v != "0") {
        run_sqlite(&og, &data, &provider, n, clients, secs).await?;
    }
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            run_postgres(&url, &og, &data, &provider, n, clients, secs).await?
        }
        _ => println!(
            "\n(PostgreSQL skipped: set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test)"
        ),
    }
    Ok(())
}

fn main() {
    if !std::env::args().skip(1).any(|a| a == "--bench") {
        println!("store bench: skipped (run it with `cargo bench --bench store`)");
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    if let Err(e) = rt.block_on(run()) {
        eprintln!("store bench failed: {e}");
        std::process::exit(1);
    }
}

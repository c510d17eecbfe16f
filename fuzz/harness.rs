//! A mutation fuzzer that runs on the stable toolchain, shared by the bounded run in the
//! test suite (`tests/fuzz.rs`) and the long run (`examples/fuzz.rs`).
//!
//! Targets:
//!
//! * `order`: order JSON mutated with knowledge of its structure (a value's type changed,
//!   a member deleted, a huge string, deep nesting, Unicode oddities, a long array, a
//!   duplicated key, values swapped between places) and, now and then, as plain bytes.
//!   Each input goes through `parse_order` and, when it parses, every rule. Properties:
//!   no panic; an error names a JSON path and is short and inert; a parsed order
//!   serialises and parses back to itself.
//! * `material`: material bytes mutated (bit flips, byte runs, markers and chunk headers
//!   spliced in, sizes in headers changed, truncation, duplication). Each input goes
//!   through `inspect_bytes`. Properties: no panic; size and digest are those of the
//!   bytes; the format is the one the magic number says; decoding stays within the decode
//!   budget (nothing reserved afterwards).
//! * `jpeg-diff`: the JPEG seeds mutated as for `material`, then the DC-only fast path
//!   compared with `jpeg-decoder` on the same bytes: where both decode, the 1/8-scale
//!   samples must be identical.
//!
//! Inputs are generated from a seed corpus (`fuzz/corpus/<target>/`) by a deterministic
//! generator, so a run is reproducible from its seed.
#![allow(dead_code)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

/// What a fuzzing target exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Order,
    Material,
    JpegDiff,
}

impl Target {
    pub const ALL: [Target; 3] = [Target::Order, Target::Material, Target::JpegDiff];

    pub fn name(self) -> &'static str {
        match self {
            Target::Order => "order",
            Target::Material => "material",
            Target::JpegDiff => "jpeg-diff",
        }
    }

    pub fn parse(s: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == s)
    }

    /// The seed corpus folder of the target.
    pub fn corpus_dir(self) -> PathBuf {
        let sub = match self {
            Target::Order => "order",
            Target::Material | Target::JpegDiff => "material",
        };
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/corpus")
            .join(sub)
    }
}

/// One input that broke a property.
#[derive(Debug, Clone)]
pub struct Finding {
    pub problem: String,
    pub input: Vec<u8>,
}

/// The outcome of a run.
#[derive(Debug, Default)]
pub struct Report {
    pub executions: u64,
    /// Inputs the target fully exercised (an order that parsed; an image that decoded;
    /// a JPEG both decoders decoded).
    pub deep: u64,
    pub findings: Vec<Finding>,
    /// Panics inside a third-party decoder that `inspect_bytes` caught and turned into a
    /// decode error (bugs of the decoder, contained).
    pub contained_panics: u64,
}

static CONTAINED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Keep caught panics from printing a backtrace each (findings keep their message).
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {}));
}

/// xorshift64*: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The seed files of a target's corpus, sorted by name.
pub fn load_corpus(target: Target) -> Vec<Vec<u8>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(target.corpus_dir())
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    let seeds: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|f| std::fs::read(f).ok())
        .filter(|b| target != Target::JpegDiff || b.starts_with(&[0xFF, 0xD8]))
        .collect();
    assert!(
        !seeds.is_empty(),
        "no seeds in {}",
        target.corpus_dir().display()
    );
    seeds
}

/// Run `target` for `budget` (or `max_execs` inputs, whichever ends first) from `seed`.
pub fn run(target: Target, budget: Duration, max_execs: u64, seed: u64) -> Report {
    let corpus = load_corpus(target);
    let mut rng = Rng::new(seed);
    let mut report = Report::default();
    let data = icp_review::rules::RuleData::embedded().expect("rule data");
    let provider = icp_review::rules::ProviderSettings::default();
    let started = Instant::now();
    let contained_before = CONTAINED.load(std::sync::atomic::Ordering::Relaxed);
    // The generator's inputs, kept when they exercised the target deeply, are mutated
    // further (a small evolving pool besides the seeds).
    let mut pool: Vec<Vec<u8>> = Vec::new();
    while started.elapsed() < budget && report.executions < max_execs {
        let base = if !pool.is_empty() && rng.chance(3) {
            rng.pick(&pool).clone()
        } else {
            rng.pick(&corpus).clone()
        };
        let input = match target {
            Target::Order => mutate_order(&mut rng, &base),
            Target::Material | Target::JpegDiff => mutate_bytes(&mut rng, &base),
        };
        report.executions += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| match target {
            Target::Order => check_order_input(&input, &data, &provider),
            Target::Material => check_material_input(&input),
            Target::JpegDiff => check_jpeg_diff(&input),
        }));
        match outcome {
            Ok(Ok(deep)) => {
                if deep {
                    report.deep += 1;
                    if pool.len() < 256 && input.len() < 256 * 1024 {
                        pool.push(input);
                    } else if !pool.is_empty() {
                        let i = rng.below(pool.len());
                        pool[i] = input;
                    }
                }
            }
            Ok(Err(problem)) => report.findings.push(Finding { problem, input }),
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "panic".into());
                report.findings.push(Finding {
                    problem: format!("panic: {msg}"),
                    input,
                });
            }
        }
    }
    report.contained_panics =
        CONTAINED.load(std::sync::atomic::Ordering::Relaxed) - contained_before;
    report
}

// ---------------------------------------------------------------------------------------
// Order JSON

fn check_order_input(
    input: &[u8],
    data: &icp_review::rules::RuleData,
    provider: &icp_review::rules::ProviderSettings,
) -> Result<bool, String> {
    let Ok(text) = std::str::from_utf8(input) else {
        return Ok(false);
    };
    match icp_review::domain::parse_order(text) {
        Err(e) => {
            let shown = e.to_string();
            if e.path.is_empty() {
                return Err("an error without a JSON path".into());
            }
            if shown.chars().count() > 1_200 {
                return Err(format!("an error of {} characters", shown.chars().count()));
            }
            if let Some(c) = shown
                .chars()
                .find(|&c| icp_review::domain::safe::needs_escape(c))
            {
                return Err(format!("an error holding U+{:04X}", c as u32));
            }
            Ok(false)
        }
        Ok(order) => {
            let index = icp_review::rules::MemoryIndex::build(std::iter::once(&order));
            let ctx = icp_review::rules::Context {
                data,
                provider,
                others: &index,
            };
            let findings = icp_review::rules::check_order(&order, &[], &ctx);
            for f in &findings {
                if f.path.is_empty() {
                    return Err(format!("{} without a path", f.rule));
                }
            }
            let again = serde_json::to_string(&order).map_err(|e| e.to_string())?;
            match icp_review::domain::parse_order(&again) {
                Ok(o) if o == order => Ok(true),
                Ok(_) => Err("a parsed order does not read back as itself".into()),
                Err(e) => Err(format!("a parsed order does not read back: {e}")),
            }
        }
    }
}

/// Strings that have broken parsers and terminals before.
const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    "\u{0}",
    "\u{1b}[2J\u{1b}]52;c;aGk=\u{7}",
    "\u{202e}gpj.exe",
    "a\u{200b}b\u{200d}c\u{2060}",
    "\u{2028}\u{2029}",
    "\u{061c}\u{feff}",
    "\u{9b}31m",
    "ｅｘａｍｐｌｅ．ｃｎ",
    "xn--fiqs8s.cn",
    "例子.中国",
    "e\u{301}\u{301}\u{301}",
    "😀👩‍👩‍👧",
    "\u{10ffff}",
    "%s%n%x",
    "../../../../etc/shadow",
    "/dev/zero",
    "9999-99-99",
    "2026-02-30T25:61:61+08:00",
    "long_term",
    "-0",
    "1e999",
    "NaN",
];

fn odd_value(rng: &mut Rng) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(2)),
        2 => Value::from(rng.next() as i64),
        3 => Value::from(*rng.pick(&[0i64, -1, 1, i64::MAX, i64::MIN, 4_294_967_296])),
        4 => serde_json::Number::from_f64(*rng.pick(&[0.5, -0.0, 1e300, -1e-300]))
            .map_or(Value::Null, Value::Number),
        5 => Value::Array(Vec::new()),
        6 => Value::Object(serde_json::Map::new()),
        7 => {
            // A huge string: just under or over the per-string limit, or far over.
            let n = *rng.pick(&[8 * 1024, 8 * 1024 + 1, 100_000]);
            Value::String("x".repeat(n))
        }
        8 => {
            // Deep nesting.
            let mut v = Value::Null;
            for _ in 0..rng.below(200) {
                v = Value::Array(vec![v]);
            }
            v
        }
        _ => Value::String(rng.pick(ODD_STRINGS).to_string()),
    }
}

/// Every (path of) node of `v`, for picking one.
fn node_paths(v: &Value, here: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(here.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(PathStep::Index(i));
                node_paths(x, here, out);
                here.pop();
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                here.push(PathStep::Key(k.clone()));
                node_paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(v: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            PathStep::Key(k) => cur.as_object_mut()?.get_mut(k)?,
            PathStep::Index(i) => cur.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(cur)
}

fn node<'a>(v: &'a Value, path: &[PathStep]) -> Option<&'a Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            PathStep::Key(k) => cur.as_object()?.get(k)?,
            PathStep::Index(i) => cur.as_array()?.get(*i)?,
        };
    }
    Some(cur)
}

/// One structure-aware mutation of an order (several now and then), or a byte-level one.
pub fn mutate_order(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let Ok(mut v) = serde_json::from_slice::<Value>(base) else {
        return mutate_bytes(rng, base);
    };
    let rounds = 1 + if rng.chance(3) { rng.below(4) } else { 0 };
    let mut duplicate: Option<(String, String)> = None;
    for _ in 0..rounds {
        let mut paths = Vec::new();
        node_paths(&v, &mut Vec::new(), &mut paths);
        let path = rng.pick(&paths).clone();
        let donor = node(&v, &rng.pick(&paths).clone()).cloned();
        let Some(target) = node_mut(&mut v, &path) else {
            continue;
        };
        match rng.below(10) {
            // Another type, an odd value, or a value from elsewhere in the order.
            0..=2 => *target = odd_value(rng),
            3 => {
                if let Some(d) = donor {
                    *target = d;
                }
            }
            // Delete a member or an entry.
            4 => match target {
                Value::Object(m) if !m.is_empty() => {
                    let k = m.keys().nth(rng.below(m.len())).cloned();
                    if let Some(k) = k {
                        m.remove(&k);
                    }
                }
                Value::Array(a) if !a.is_empty() => {
                    a.remove(rng.below(a.len()));
                }
                _ => *target = Value::Null,
            },
            // A long array: an entry repeated (around the limits).
            5 => {
                if let Value::Array(a) = target
                    && let Some(x) = a.first().cloned()
                {
                    let n = *rng.pick(&[2usize, 199, 200, 201, 1_001, 5_000]);
                    *a = vec![x; n];
                } else {
                    *target = Value::Array(vec![odd_value(rng); rng.below(300)]);
                }
            }
            // Unicode oddities spliced into a string.
            6 => {
                if let Value::String(s) = target {
                    let at = s
                        .char_indices()
                        .map(|(i, _)| i)
                        .nth(rng.below(s.chars().count() + 1));
                    s.insert_str(at.unwrap_or(s.len()), rng.pick::<&str>(ODD_STRINGS));
                } else {
                    *target = Value::String(rng.pick(ODD_STRINGS).to_string());
                }
            }
            // A duplicated key (written into the text below: a map cannot hold it).
            7 => {
                if let Value::Object(m) = target
                    && let Some((k, x)) = m.iter().nth(rng.below(m.len().max(1)))
                {
                    duplicate = Some((k.clone(), x.to_string()));
                }
            }
            // An unknown member, or a numeric string where a number is expected.
            8 => {
                if let Value::Object(m) = target {
                    m.insert(rng.pick(ODD_STRINGS).to_string(), odd_value(rng));
                } else if let Value::Number(n) = target {
                    *target = Value::String(n.to_string());
                }
            }
            _ => {
                if let Value::String(s) = target {
                    s.truncate(s.char_indices().map(|(i, _)| i).nth(1).unwrap_or(0));
                }
            }
        }
    }
    let mut text = v.to_string();
    if let Some((k, x)) = duplicate {
        let needle = format!("{}:", Value::String(k.clone()));
        if let Some(at) = text.find(&needle) {
            text.insert_str(at, &format!("{needle}{x},"));
        }
    }
    let mut bytes = text.into_bytes();
    if rng.chance(8) {
        bytes = mutate_bytes(rng, &bytes);
    }
    bytes
}

// ---------------------------------------------------------------------------------------
// Material bytes

/// Byte-level mutations that reach past a format's first checks: bits flipped, bytes
/// set to interesting values, runs inserted, duplicated or deleted, JPEG markers and PNG
/// chunk headers spliced in, 16/32-bit big-endian fields (sizes) changed, truncation.
pub fn mutate_bytes(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut b = base.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = b.len();
        match rng.below(11) {
            0 if len > 0 => {
                let i = rng.below(len);
                b[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                b[i] = *rng.pick(&[0u8, 1, 0x7F, 0x80, 0xFF, 0xFE, 0xD9, 0xDA, 0xC0, 0xC2]);
            }
            2 if len > 1 => {
                // A big-endian 16-bit field set to an edge value (segment lengths, sizes).
                let i = rng.below(len - 1);
                let v: u16 = *rng.pick(&[0, 1, 2, 0x7FFF, 0xFFFF, 8, 4096]);
                b[i..i + 2].copy_from_slice(&v.to_be_bytes());
            }
            3 if len > 3 => {
                let i = rng.below(len - 3);
                let v: u32 = *rng.pick(&[0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 100_000, 65_536]);
                b[i..i + 4].copy_from_slice(&v.to_be_bytes());
            }
            4 => {
                let i = rng.below(len + 1);
                let marker: &[u8] = rng.pick::<&[u8]>(&[
                    &[0xFF, 0xD9][..],
                    &[0xFF, 0xD0],
                    &[0xFF, 0xDD, 0x00, 0x04, 0x00, 0x01],
                    &[0xFF, 0xC4, 0x00, 0x02],
                    &[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00],
                    &[0xFF, 0x00],
                    &[0xFF, 0xFF, 0xFF],
                    b"\x00\x00\x00\x0dIHDR",
                    b"\x00\x00\x00\x00IEND\xae\x42\x60\x82",
                ]);
                b.splice(i..i, marker.iter().copied());
            }
            5 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(64)) + 1;
                let run: Vec<u8> = b[i..i + n].to_vec();
                let at = rng.below(len + 1);
                b.splice(at..at, run);
            }
            6 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(256)) + 1;
                b.drain(i..i + n);
            }
            7 if len > 0 => b.truncate(rng.below(len)),
            8 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(32)) + 1;
                let v = rng.next() as u8;
                b[i..i + n].iter_mut().for_each(|x| *x = v);
            }
            9 if len > 16 => {
                // The tail of the file duplicated (a scan running on).
                let i = rng.below(len);
                let tail: Vec<u8> = b[i..].to_vec();
                b.extend_from_slice(&tail[..tail.len().min(4096)]);
            }
            _ => {
                let i = rng.below(len + 1);
                b.insert(i, rng.next() as u8);
            }
        }
    }
    b
}

fn check_material_input(input: &[u8]) -> Result<bool, String> {
    use icp_review::material::{decode_memory_in_use, detect_format, inspect_bytes, sha256_hex};
    let ins = inspect_bytes(input);
    if ins.size != input.len() as u64 {
        return Err(format!("size {} for {} bytes", ins.size, input.len()));
    }
    if ins.sha256 != sha256_hex(input) {
        return Err("the digest is not the bytes' digest".into());
    }
    if ins.format != detect_format(input) {
        return Err(format!("format {} against the magic number's", ins.format));
    }
    if ins.image.is_some() && ins.decode_error.is_some() {
        return Err("both facts and a decode error".into());
    }
    if ins.format.is_raster() && ins.image.is_none() && ins.decode_error.is_none() {
        return Err("a raster image neither measured nor refused".into());
    }
    if let Some(img) = &ins.image
        && (img.width == 0 || img.height == 0)
    {
        return Err("an image measured with no pixels".into());
    }
    if ins
        .decode_error
        .as_deref()
        .is_some_and(|e| e.ends_with("decoder panicked"))
    {
        CONTAINED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    if let Some(e) = &ins.decode_error
        && e.chars().any(icp_review::domain::safe::needs_escape)
    {
        return Err("a decode error holding a control character".into());
    }
    // The budget is process-wide; other threads may be decoding, so only this thread's
    // leak would show as a steady climb: checked at the end of a run instead.
    let _ = decode_memory_in_use();
    Ok(ins.image.is_some())
}

fn check_jpeg_diff(input: &[u8]) -> Result<bool, String> {
    icp_review::material::fuzzing::jpeg_differential(input)
}

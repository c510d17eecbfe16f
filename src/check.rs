//! `icp-review check FILE...`: the rule engine headless.

use crate::domain::limits;
use crate::domain::safe::{excerpt, excerpt_of, message, needs_escape};
use crate::domain::{Order, parse_order};
use crate::material::{self, confine::MaterialDir};
use crate::rules::{self, Finding, MaterialState, ProviderSettings, RuleData, Severity};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A file that could not be read as an order.
#[derive(Debug, Clone)]
pub struct InputError {
    pub file: PathBuf,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            excerpt_of(&self.file.display().to_string(), 200),
            message(&self.message)
        )
    }
}

/// One checked order.
#[derive(Debug, Clone)]
pub struct Checked {
    pub file: PathBuf,
    pub order: Order,
    pub findings: Vec<Finding>,
}

/// Read order files; errors name the file and JSON path. A file over
/// [`limits::MAX_ORDER_BYTES`] is refused after reading no more than that. Files are read
/// and parsed on all cores; results keep the order of `files`.
pub fn read_orders(files: &[PathBuf]) -> (Vec<(PathBuf, Order)>, Vec<InputError>) {
    let read_one = |f: &PathBuf| -> Result<(PathBuf, Order), InputError> {
        let bad = |message: String| InputError {
            file: f.clone(),
            message,
        };
        let bytes = read_capped(f).map_err(bad)?;
        let text =
            std::str::from_utf8(&bytes).map_err(|e| bad(format!(".: not UTF-8 text ({e})")))?;
        parse_order(text)
            .map(|o| (f.clone(), o))
            .map_err(|e| bad(e.to_string()))
    };
    let results = rules::parallel_map(files, read_one);
    let mut ok = Vec::with_capacity(files.len());
    let mut bad = Vec::new();
    for r in results {
        match r {
            Ok(x) => ok.push(x),
            Err(e) => bad.push(e),
        }
    }
    (ok, bad)
}

/// An order file's bytes, at most one byte over the document limit (which the parser
/// then reports with its path).
pub fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(limits::MAX_ORDER_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// Inspect every material of the orders, each distinct file once, on at most
/// [`INSPECT_THREADS`] threads. Material paths are confined to each order file's folder,
/// or to `root` when one is given (see [`material::confine`]).
///
/// Memory: each thread holds one material file at a time (at most
/// [`material::MAX_FILE_BYTES`]), and decoding shares [`material::DECODE_BUDGET_BYTES`],
/// so inspecting holds at most `INSPECT_THREADS × 64 MiB + 256 MiB` of material data
/// however many orders and materials there are.
pub fn inspect_materials(
    orders: &[(PathBuf, Order)],
    root: Option<&Path>,
) -> Vec<Vec<MaterialState>> {
    enum Slot {
        Read(usize),
        Done(MaterialState),
    }
    let mut paths: Vec<(PathBuf, String)> = Vec::new();
    let mut slot: HashMap<PathBuf, usize> = HashMap::new();
    let layout: Vec<Vec<Slot>> = orders
        .iter()
        .map(|(f, o)| {
            let dir = MaterialDir::for_order_file(f, root);
            o.materials
                .iter()
                .map(|m| {
                    let resolved = match &dir {
                        Ok(d) => d.resolve(&m.file),
                        Err(e) => Err(material::MaterialError::Unreadable {
                            path: PathBuf::from(excerpt(&m.file)),
                            reason: format!("refused: {e}"),
                        }),
                    };
                    match resolved {
                        Err(e) => Slot::Done(MaterialState::from(Err(e))),
                        Ok(p) => Slot::Read(*slot.entry(p.clone()).or_insert_with(|| {
                            paths.push((p, m.file.clone()));
                            paths.len() - 1
                        })),
                    }
                })
                .collect()
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(INSPECT_THREADS);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut states: Vec<Option<MaterialState>> = vec![None; paths.len()];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(paths.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((p, file)) = paths.get(i) else {
                            break;
                        };
                        let state = MaterialState::from(
                            material::confine::read_resolved(p, file)
                                .map(|bytes| material::inspect_bytes(&bytes)),
                        );
                        done.push((i, state));
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            for (i, state) in h.join().unwrap_or_default() {
                states[i] = Some(state);
            }
        }
    });
    layout
        .into_iter()
        .map(|slots| {
            slots
                .into_iter()
                .map(|slot| match slot {
                    Slot::Done(state) => state,
                    Slot::Read(i) => states
                        .get(i)
                        .cloned()
                        .flatten()
                        .unwrap_or(MaterialState::NotChecked),
                })
                .collect()
        })
        .collect()
}

/// Threads inspecting materials at once (fewer on a machine with fewer cores).
pub const INSPECT_THREADS: usize = 4;

/// Check orders together; material paths confined to each order file's folder.
pub fn check_orders(
    orders: Vec<(PathBuf, Order)>,
    with_materials: bool,
    data: &RuleData,
    provider: &ProviderSettings,
) -> Vec<Checked> {
    check_orders_under(orders, with_materials, None, data, provider)
}

/// Check orders together; material paths confined to `root` when given (the config's
/// `materials_root`), else to each order file's folder.
pub fn check_orders_under(
    orders: Vec<(PathBuf, Order)>,
    with_materials: bool,
    root: Option<&Path>,
    data: &RuleData,
    provider: &ProviderSettings,
) -> Vec<Checked> {
    let states = if with_materials {
        inspect_materials(&orders, root)
    } else {
        vec![Vec::new(); orders.len()]
    };
    let results = rules::check_many(
        orders
            .iter()
            .map(|(_, o)| o)
            .zip(states.iter().map(Vec::as_slice)),
        data,
        provider,
    );
    orders
        .into_iter()
        .zip(results)
        .map(|((file, order), findings)| Checked {
            file,
            order,
            findings,
        })
        .collect()
}

/// JSON text with every character [`needs_escape`] names written as a `\uXXXX` escape:
/// the same JSON value, but inert on a terminal (serde_json escapes only C0 controls).
pub fn inert_json(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{:04x}", u);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// One JSON line per order (order-format.md "Findings").
pub fn write_json(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    for c in checked {
        let line = serde_json::json!({
            "order": c.order.id,
            "file": c.file.display().to_string(),
            "findings": c.findings,
        });
        writeln!(out, "{}", inert_json(&line.to_string()))?;
    }
    Ok(())
}

/// Human-readable report, grouped by order, blocks first. `colour` adds ANSI colours.
pub fn write_text(
    out: &mut impl Write,
    checked: &[Checked],
    english: bool,
    colour: bool,
) -> std::io::Result<()> {
    let paint = |code: &str, s: &str| {
        if colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let (mut blocks, mut warns) = (0, 0);
    for c in checked {
        let b = c
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Block)
            .count();
        let w = c.findings.len() - b;
        blocks += b;
        warns += w;
        let verdict = match (b, w) {
            (0, 0) => paint("32", if english { "clean" } else { "无问题" }),
            (0, _) => paint(
                "33",
                &if english {
                    format!("{w} to judge")
                } else {
                    format!("{w} 项待判断")
                },
            ),
            _ => paint(
                "31",
                &if english {
                    format!("{b} blocking, {w} to judge")
                } else {
                    format!("{b} 项须驳回, {w} 项待判断")
                },
            ),
        };
        writeln!(
            out,
            "{} {}  {}  ({})",
            paint("1", &excerpt(&c.order.id)),
            excerpt(&c.order.subject.name),
            verdict,
            excerpt_of(&c.file.display().to_string(), 200)
        )?;
        for f in &c.findings {
            let sev = match f.severity {
                Severity::Block => paint("31;1", "✖ block"),
                Severity::Warn => paint("33", "▲ warn "),
            };
            let msg = if english { &f.message_en } else { &f.message };
            writeln!(
                out,
                "  {sev}  {:<34} {}",
                f.rule,
                paint("2", &excerpt_of(&f.path, 200))
            )?;
            writeln!(out, "           {}", message(msg))?;
        }
    }
    if checked.len() > 1 {
        writeln!(
            out,
            "{} orders, {blocks} blocking findings, {warns} warnings",
            checked.len()
        )?;
    }
    Ok(())
}

/// Exit status of `check`: 2 on bad input, 1 on any block, else 0.
pub fn exit_code(checked: &[Checked], bad_inputs: usize) -> i32 {
    if bad_inputs > 0 {
        2
    } else if checked.iter().any(|c| rules::has_block(&c.findings)) {
        1
    } else {
        0
    }
}

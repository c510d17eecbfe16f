//! `icp-review check FILE...`: the rule engine headless.

use crate::domain::{Order, parse_order, safe::sanitize};
use crate::material;
use crate::rules::{self, Finding, MaterialState, ProviderSettings, RuleData, Severity};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file that could not be read as an order.
#[derive(Debug, Clone)]
pub struct InputError {
    pub file: PathBuf,
    pub message: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.message)
    }
}

/// One checked order.
#[derive(Debug, Clone)]
pub struct Checked {
    pub file: PathBuf,
    pub order: Order,
    pub findings: Vec<Finding>,
}

/// Read order files; errors name the file and JSON path. Files are read and parsed on
/// all cores; results keep the order of `files`.
pub fn read_orders(files: &[PathBuf]) -> (Vec<(PathBuf, Order)>, Vec<InputError>) {
    let read_one = |f: &PathBuf| -> Result<(PathBuf, Order), InputError> {
        let bad = |message: String| InputError {
            file: f.clone(),
            message,
        };
        let bytes = std::fs::read(f).map_err(|e| bad(e.to_string()))?;
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

/// Where a material's bytes are for an order read from `order_file`.
pub fn material_path(order_file: &Path, file: &str) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        order_file.parent().unwrap_or(Path::new(".")).join(p)
    }
}

/// Inspect every material of the orders, each distinct file once, on all cores.
pub fn inspect_materials(orders: &[(PathBuf, Order)]) -> Vec<Vec<MaterialState>> {
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut slot: HashMap<PathBuf, usize> = HashMap::new();
    let layout: Vec<Vec<usize>> = orders
        .iter()
        .map(|(f, o)| {
            o.materials
                .iter()
                .map(|m| {
                    let p = material_path(f, &m.file);
                    *slot.entry(p.clone()).or_insert_with(|| {
                        paths.push(p);
                        paths.len() - 1
                    })
                })
                .collect()
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let chunk = paths.len().div_ceil(threads).max(1);
    let states: Vec<MaterialState> = std::thread::scope(|s| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|c| {
                s.spawn(move || {
                    c.iter()
                        .map(|p| MaterialState::from(material::inspect_file(p)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    layout
        .into_iter()
        .map(|ix| {
            ix.into_iter()
                .map(|i| states.get(i).cloned().unwrap_or(MaterialState::NotChecked))
                .collect()
        })
        .collect()
}

/// Check orders together.
pub fn check_orders(
    orders: Vec<(PathBuf, Order)>,
    with_materials: bool,
    data: &RuleData,
    provider: &ProviderSettings,
) -> Vec<Checked> {
    let states = if with_materials {
        inspect_materials(&orders)
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

/// One JSON line per order (order-format.md "Findings").
pub fn write_json(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    for c in checked {
        let line = serde_json::json!({
            "order": c.order.id,
            "file": c.file.display().to_string(),
            "findings": c.findings,
        });
        writeln!(out, "{line}")?;
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
            paint("1", &sanitize(&c.order.id)),
            sanitize(&c.order.subject.name),
            verdict,
            c.file.display()
        )?;
        for f in &c.findings {
            let sev = match f.severity {
                Severity::Block => paint("31;1", "✖ block"),
                Severity::Warn => paint("33", "▲ warn "),
            };
            let msg = if english { &f.message_en } else { &f.message };
            writeln!(out, "  {sev}  {:<34} {}", f.rule, paint("2", &f.path))?;
            writeln!(out, "           {}", sanitize(msg))?;
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

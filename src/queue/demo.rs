//! Bringing orders into a queue: `icp-review import FILE...` and the demo orders that
//! seed the embedded store on first start (`assets/demo`, built into the binary).

use super::{DecisionOutcome, Queue, QueueError, Result};
use crate::domain::parse_order;
use include_dir::{Dir, include_dir};
use std::path::Path;

static DEMO: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/demo");

/// Import one order file; its material files (relative to it) are copied into the store.
/// Missing material files are imported as missing (a finding), not an error.
pub async fn import_file(queue: &dyn Queue, actor: &str, path: &Path) -> Result<DecisionOutcome> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| QueueError::Invalid {
        path: None,
        message: format!("{name}: {e}"),
    })?;
    let order = parse_order(&text).map_err(|e| QueueError::Invalid {
        path: Some(e.path.clone()),
        message: format!("{name}: {e}"),
    })?;
    let mut materials = Vec::new();
    for m in &order.materials {
        let p = crate::check::material_path(path, &m.file);
        if let Ok(bytes) = crate::material::read_material(&p) {
            materials.push((m.id.clone(), bytes));
        }
    }
    queue.intake(actor, &text, materials).await
}

/// Number of demo orders built into the binary.
pub fn demo_count() -> usize {
    DEMO.get_dir("orders").map_or(0, |d| d.files().count())
}

/// Import the built-in demo orders (sorted by file name, so resubmissions land after
/// the orders they replace).
pub async fn seed_demo(queue: &dyn Queue) -> Result<usize> {
    let Some(orders) = DEMO.get_dir("orders") else {
        return Ok(0);
    };
    let mut files: Vec<_> = orders
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort_by_key(|f| f.path());
    let mut n = 0;
    for f in files {
        let text = f
            .contents_utf8()
            .ok_or_else(|| QueueError::Storage(format!("{}: not UTF-8", f.path().display())))?;
        let order = parse_order(text)
            .map_err(|e| QueueError::Storage(format!("demo {}: {e}", f.path().display())))?;
        let mut materials = Vec::new();
        for m in &order.materials {
            let rel = f.path().parent().unwrap_or(Path::new("")).join(&m.file);
            let normal = normalise(&rel);
            if let Some(file) = DEMO.get_file(&normal) {
                materials.push((m.id.clone(), file.contents().to_vec()));
            }
        }
        queue.intake("system:demo", text, materials).await?;
        n += 1;
    }
    Ok(n)
}

/// Resolve `..` in a relative path inside the embedded tree.
fn normalise(p: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(s) => out.push(s),
            _ => {}
        }
    }
    out
}

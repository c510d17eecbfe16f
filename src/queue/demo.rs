//! Bringing orders into a queue: `icp-review import FILE...` and the demo orders that
//! seed the embedded store on first start (`assets/demo`, built into the binary).

use super::store::Store;
use super::{DecisionOutcome, MaterialUpload, Queue, QueueError, Result};
use crate::domain::parse_order;
use crate::material::MaterialError;
use crate::material::confine::{MaterialDir, read_resolved};
use include_dir::{Dir, include_dir};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

static DEMO: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/demo");

/// Import one order file; its material files are copied into the store. Material paths
/// are confined to the order file's folder (see [`crate::material::confine`]); a missing
/// or refused material is imported as such (a finding), not an error. Each distinct file
/// is read once however many materials name it.
pub async fn import_file(queue: &dyn Queue, path: &Path) -> Result<DecisionOutcome> {
    import_file_under(queue, path, None).await
}

/// [`import_file`] with materials confined to `root` (the config's `materials_root`).
pub async fn import_file_under(
    queue: &dyn Queue,
    path: &Path,
    root: Option<&Path>,
) -> Result<DecisionOutcome> {
    let invalid = |message: String| QueueError::Invalid {
        path: None,
        message,
    };
    let bytes = crate::check::read_capped(path).map_err(invalid)?;
    let text = String::from_utf8(bytes).map_err(|e| invalid(format!("not UTF-8 text ({e})")))?;
    let order = parse_order(&text).map_err(|e| QueueError::Invalid {
        path: Some(e.path.clone()),
        message: e.message.clone(),
    })?;
    let dir = MaterialDir::for_order_file(path, root);
    let mut read: HashMap<PathBuf, MaterialUpload> = HashMap::new();
    let mut materials = Vec::with_capacity(order.materials.len());
    for m in &order.materials {
        let resolved = match &dir {
            Ok(d) => d.resolve(&m.file),
            Err(e) => Err(MaterialError::Unreadable {
                path: PathBuf::from(crate::domain::safe::excerpt(&m.file)),
                reason: format!("refused: {e}"),
            }),
        };
        let upload = match resolved {
            Ok(p) => read
                .entry(p.clone())
                .or_insert_with(|| match read_resolved(&p, &m.file) {
                    Ok(b) => MaterialUpload::Bytes(Arc::new(b)),
                    Err(e) => unavailable(e),
                })
                .clone(),
            Err(e) => unavailable(e),
        };
        match upload {
            // A missing file is imported as missing (the store records it so).
            MaterialUpload::Unreadable(why) if why.is_empty() => {}
            u => materials.push((m.id.clone(), u)),
        }
    }
    drop(read);
    queue.intake_uploads(&text, materials).await
}

/// A material that could not be read: empty for a missing file (the store then records
/// it as missing), else why.
fn unavailable(e: MaterialError) -> MaterialUpload {
    match e {
        MaterialError::Missing(_) => MaterialUpload::Unreadable(String::new()),
        e => MaterialUpload::Unreadable(e.to_string()),
    }
}

/// Number of demo orders built into the binary.
pub fn demo_count() -> usize {
    DEMO.get_dir("orders").map_or(0, |d| d.files().count())
}

/// Import the built-in demo orders (sorted by file name, so resubmissions land after
/// the orders they replace) in one transaction: a crash part-way leaves none of them.
pub async fn seed_demo(store: &Store) -> Result<usize> {
    let Some(orders) = DEMO.get_dir("orders") else {
        return Ok(0);
    };
    let mut files: Vec<_> = orders
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort_by_key(|f| f.path());
    let mut batch = Vec::with_capacity(files.len());
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
                materials.push((
                    m.id.clone(),
                    MaterialUpload::Bytes(Arc::new(file.contents().to_vec())),
                ));
            }
        }
        batch.push((text.to_string(), materials));
    }
    store.intake_all("system:demo", batch).await
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

//! Reading a material named by an order: its `file` is applicant input, so it is resolved
//! under a confinement root (the order file's own folder, or a materials root from the
//! config) after resolving every symbolic link, and only a regular file is ever opened.
//!
//! Refused without opening anything: absolute paths, paths that leave the root (by `..`
//! or through a link), links that cannot be followed, directories, devices, FIFOs and
//! sockets. A refusal names the rule that was broken, never what lies at the target, so
//! an order cannot probe the machine's files (whether they exist, what they are).

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use super::{MAX_FILE_BYTES, MaterialError};

/// Where the materials of one order file may be read from.
#[derive(Debug, Clone)]
pub struct MaterialDir {
    /// The order file's folder, resolved: relative material paths start here.
    base: PathBuf,
    /// The confinement root, resolved: nothing outside it is opened.
    root: PathBuf,
}

impl MaterialDir {
    /// The folder of `order_file`, confined to itself, or to `root` when one is given
    /// (a materials root from the config). Errors when the folder cannot be resolved or
    /// lies outside `root`.
    pub fn for_order_file(order_file: &Path, root: Option<&Path>) -> io::Result<MaterialDir> {
        let folder = match order_file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let base = std::fs::canonicalize(folder)?;
        let root = match root {
            Some(r) => std::fs::canonicalize(r)?,
            None => base.clone(),
        };
        if !base.starts_with(&root) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the order file is outside the configured materials root",
            ));
        }
        Ok(MaterialDir { base, root })
    }

    /// The resolved path of the material `file` (no links left in it), or why it is
    /// refused or missing.
    pub fn resolve(&self, file: &str) -> Result<PathBuf, MaterialError> {
        let refused = |why: &str| refusal(file, why);
        if file.is_empty() {
            return Err(refused("the material names no file"));
        }
        let rel = Path::new(file);
        if rel.is_absolute() || file.starts_with(['/', '\\']) || has_drive_prefix(file) {
            return Err(refused(
                "absolute paths are not read; name the file relative to the order file",
            ));
        }
        // Lexically first, so a path that leaves the root is refused whether or not
        // anything exists along it.
        let mut lexical = self.base.clone();
        for comp in rel.components() {
            match comp {
                Component::ParentDir if !lexical.pop() || !lexical.starts_with(&self.root) => {
                    return Err(refused("the path leads outside the order's folder"));
                }
                Component::Normal(name) => lexical.push(name),
                _ => {}
            }
        }
        let mut cur = self.base.clone();
        for comp in rel.components() {
            match comp {
                Component::CurDir => {}
                Component::ParentDir => {
                    if !cur.pop() || !cur.starts_with(&self.root) {
                        return Err(refused("the path leads outside the order's folder"));
                    }
                }
                Component::Normal(name) => {
                    let next = cur.join(name);
                    let meta = match std::fs::symlink_metadata(&next) {
                        Ok(m) => m,
                        Err(e) => return Err(lookup_error(file, &e)),
                    };
                    if meta.file_type().is_symlink() {
                        match std::fs::canonicalize(&next) {
                            Ok(target) if target.starts_with(&self.root) => cur = target,
                            _ => {
                                return Err(refused(
                                    "the path goes through a link that leads outside the order's folder",
                                ));
                            }
                        }
                    } else {
                        cur = next;
                    }
                }
                Component::RootDir | Component::Prefix(_) => {
                    return Err(refused(
                        "absolute paths are not read; name the file relative to the order file",
                    ));
                }
            }
        }
        let meta = std::fs::symlink_metadata(&cur).map_err(|e| lookup_error(file, &e))?;
        let kind = meta.file_type();
        if kind.is_dir() {
            return Err(refused("the path names a folder, not a file"));
        }
        if !kind.is_file() {
            return Err(refused(
                "the path names a device, pipe or socket, not a regular file",
            ));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(MaterialError::Unreadable {
                path: PathBuf::from(shown(file)),
                reason: super::too_big(meta.len()),
            });
        }
        Ok(cur)
    }

    /// Resolve and read the material `file` (at most [`MAX_FILE_BYTES`]).
    pub fn read(&self, file: &str) -> Result<Vec<u8>, MaterialError> {
        let path = self.resolve(file)?;
        read_resolved(&path, file)
    }
}

/// Open a resolved path without following a link in its last component and without
/// blocking (a FIFO swapped in since [`MaterialDir::resolve`]), check that what was opened
/// is a regular file, and read at most [`MAX_FILE_BYTES`] of it. `file` is the path as the
/// order declared it, for messages.
pub fn read_resolved(path: &Path, file: &str) -> Result<Vec<u8>, MaterialError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let unreadable = |reason: String| MaterialError::Unreadable {
        path: PathBuf::from(shown(file)),
        reason,
    };
    let f: File = opts
        .open(path)
        .map_err(|_| refusal(file, "the file changed while it was opened"))?;
    let meta = f.metadata().map_err(|e| unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(refusal(
            file,
            "the path names a device, pipe or socket, not a regular file",
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(unreadable(super::too_big(bytes.len() as u64)));
    }
    Ok(bytes)
}

/// `C:…` or `C:\…`: a Windows drive, absolute or drive-relative; never a relative path.
fn has_drive_prefix(file: &str) -> bool {
    let b = file.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// The declared path as it may appear in a message: sanitized and cut short.
fn shown(file: &str) -> String {
    crate::domain::safe::excerpt(file)
}

fn refusal(file: &str, why: &str) -> MaterialError {
    MaterialError::Unreadable {
        path: PathBuf::from(shown(file)),
        reason: format!("refused: {why}"),
    }
}

/// A component that could not be looked at inside the root: missing when it does not exist.
fn lookup_error(file: &str, e: &io::Error) -> MaterialError {
    match e.kind() {
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => {
            MaterialError::Missing(PathBuf::from(shown(file)))
        }
        _ => MaterialError::Unreadable {
            path: PathBuf::from(shown(file)),
            reason: e.to_string(),
        },
    }
}

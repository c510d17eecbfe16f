//! A durable journal of pending decisions: the TUI holds a decision for an undo window of
//! a few seconds before it sends it, and a crash inside that window must not lose a
//! decision the reviewer believes was made.
//!
//! The journal is a file of JSON lines in the data directory (`pending-decisions.jsonl`),
//! appended to and never edited in place:
//!
//! * [`Journal::record`] appends the decision and syncs it to disk before returning;
//! * [`Journal::mark_sent`] / [`Journal::mark_discarded`] append what became of it;
//! * [`Journal::open`] reads the file, keeps the entries never sent nor discarded
//!   ([`Journal::unsent`], oldest first, to offer one by one on the next start), and
//!   compacts the file to just those (written beside it, synced, renamed over it).
//!
//! A crash part-way through a write leaves a torn last line; it is ignored on open (the
//! decision it held was never acknowledged to the reviewer). A `sent` mark is written
//! without waiting for the disk: losing it only means the decision is offered again, and
//! sending it again with its idempotency key is answered as a replay, never applied twice.
//! One process at a time uses a journal (an exclusive lock on `pending-decisions.lock`).

use super::Decision;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The journal's file name in its directory.
pub const JOURNAL_FILE: &str = "pending-decisions.jsonl";
const LOCK_FILE: &str = "pending-decisions.lock";

/// One decision made by a reviewer and not yet known to be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The idempotency key the decision is (or will be) sent with; unique per decision.
    pub key: String,
    pub order: String,
    pub reviewer: String,
    pub decision: Decision,
    /// When the reviewer made it (Unix ms).
    pub made_at_ms: i64,
}

/// A line of the journal file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Line {
    Pending(JournalEntry),
    Sent { key: String },
    Discarded { key: String },
}

/// The pending-decision journal of one data directory.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    inner: Mutex<Inner>,
    /// Lines that could not be read on open (a torn last line, or damage).
    skipped: usize,
    _lock: File,
}

#[derive(Debug)]
struct Inner {
    file: File,
    unsent: Vec<JournalEntry>,
}

impl Journal {
    /// Open (creating if needed) the journal in `dir`, read what was never sent, and
    /// compact the file. Fails when another process holds the journal.
    pub fn open(dir: &Path) -> io::Result<Journal> {
        std::fs::create_dir_all(dir)?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))?;
        lock_exclusive(&lock)?;
        let path = dir.join(JOURNAL_FILE);
        let (unsent, skipped) = match File::open(&path) {
            Ok(f) => read_lines(f)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => (Vec::new(), 0),
            Err(e) => return Err(e),
        };
        if skipped > 0 {
            tracing::warn!(skipped, file = %path.display(), "pending-decision journal: unreadable lines skipped");
        }
        // Compact: the unsent entries only, written beside the file and renamed over it.
        let tmp = dir.join(format!("{JOURNAL_FILE}.tmp"));
        {
            let mut out = File::create(&tmp)?;
            let mut buf = Vec::new();
            for e in &unsent {
                buf.extend_from_slice(&line_bytes(&Line::Pending(e.clone()))?);
            }
            out.write_all(&buf)?;
            out.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        sync_dir(dir)?;
        let file = OpenOptions::new().append(true).open(&path)?;
        Ok(Journal {
            path,
            inner: Mutex::new(Inner { file, unsent }),
            skipped,
            _lock: lock,
        })
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Lines that could not be read when the journal was opened (a line torn by a crash
    /// mid-write, or damage), skipped.
    pub fn skipped_lines(&self) -> usize {
        self.skipped
    }

    /// Journal a decision the moment it is made; returns once it is on disk.
    pub fn record(&self, entry: &JournalEntry) -> io::Result<()> {
        let line = line_bytes(&Line::Pending(entry.clone()))?;
        let mut inner = self.lock();
        inner.file.write_all(&line)?;
        inner.file.sync_data()?;
        inner.unsent.retain(|e| e.key != entry.key);
        inner.unsent.push(entry.clone());
        Ok(())
    }

    /// The decision with idempotency key `key` reached the store (or was answered as a
    /// replay). Not synced: if the mark is lost, the decision is offered again and a
    /// resend is a harmless replay.
    pub fn mark_sent(&self, key: &str) -> io::Result<()> {
        self.mark(
            Line::Sent {
                key: key.to_string(),
            },
            false,
        )
    }

    /// The reviewer undid (or, offered it after a crash, dropped) the decision with
    /// idempotency key `key`. Synced: a discarded decision must never come back.
    pub fn mark_discarded(&self, key: &str) -> io::Result<()> {
        self.mark(
            Line::Discarded {
                key: key.to_string(),
            },
            true,
        )
    }

    /// Decisions journaled and neither sent nor discarded, oldest first.
    pub fn unsent(&self) -> Vec<JournalEntry> {
        self.lock().unsent.clone()
    }

    fn mark(&self, line: Line, sync: bool) -> io::Result<()> {
        let key = match &line {
            Line::Sent { key } | Line::Discarded { key } => key.clone(),
            Line::Pending(e) => e.key.clone(),
        };
        let bytes = line_bytes(&line)?;
        let mut inner = self.lock();
        inner.file.write_all(&bytes)?;
        if sync {
            inner.file.sync_data()?;
        }
        inner.unsent.retain(|e| e.key != key);
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the state consistent (each write is
        // whole or not at all in memory), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn line_bytes(line: &Line) -> io::Result<Vec<u8>> {
    let mut v = serde_json::to_vec(line).map_err(io::Error::other)?;
    v.push(b'\n');
    Ok(v)
}

/// Replay the journal's lines: pending entries minus those later sent or discarded, and
/// how many lines could not be read.
fn read_lines(f: File) -> io::Result<(Vec<JournalEntry>, usize)> {
    let mut unsent: Vec<JournalEntry> = Vec::new();
    let mut skipped = 0;
    let mut reader = io::BufReader::new(f);
    let mut raw = Vec::new();
    loop {
        raw.clear();
        if reader.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        // A line without its newline was torn by a crash mid-write: never acknowledged.
        if raw.last() != Some(&b'\n') {
            skipped += 1;
            break;
        }
        match serde_json::from_slice::<Line>(&raw) {
            Ok(Line::Pending(e)) => {
                unsent.retain(|x| x.key != e.key);
                unsent.push(e);
            }
            Ok(Line::Sent { key }) | Ok(Line::Discarded { key }) => {
                unsent.retain(|x| x.key != key);
            }
            Err(_) if raw.iter().all(u8::is_ascii_whitespace) => {}
            Err(_) => skipped += 1,
        }
    }
    Ok((unsent, skipped))
}

#[cfg(unix)]
fn lock_exclusive(f: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a file descriptor this function borrows for the call; no memory
    // is passed.
    let r = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if r == 0 {
        Ok(())
    } else {
        let e = io::Error::last_os_error();
        if e.kind() == io::ErrorKind::WouldBlock {
            Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                "another icp-review process is using this data directory's decision journal",
            ))
        } else {
            Err(e)
        }
    }
}

#[cfg(not(unix))]
fn lock_exclusive(_: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_: &Path) -> io::Result<()> {
    Ok(())
}

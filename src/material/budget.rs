//! The memory decoding may hold at once, process-wide: every decode reserves what it
//! will allocate (its pixel buffer, or a JPEG's coefficient planes) before allocating it,
//! and waits while other decodes hold the rest. One image may use at most
//! [`super::MAX_DECODE_BYTES`], which is below the budget, so a reservation always ends.

use std::sync::{Condvar, Mutex};

/// Decoder memory held at once by all inspections in the process: 256 MiB.
pub const DECODE_BUDGET_BYTES: u64 = 256 * 1024 * 1024;

static IN_USE: Mutex<u64> = Mutex::new(0);
static RELEASED: Condvar = Condvar::new();

/// Memory reserved for one decode; given back when dropped (also when a decoder panics).
#[derive(Debug)]
pub(crate) struct Reservation(u64);

/// Reserve `bytes` (capped at the budget), waiting for other decodes to give memory back.
pub(crate) fn reserve(bytes: u64) -> Reservation {
    let bytes = bytes.min(DECODE_BUDGET_BYTES);
    let mut used = IN_USE.lock().unwrap_or_else(|p| p.into_inner());
    while *used + bytes > DECODE_BUDGET_BYTES {
        used = RELEASED.wait(used).unwrap_or_else(|p| p.into_inner());
    }
    *used += bytes;
    Reservation(bytes)
}

/// Decoder memory reserved right now (for tests and diagnostics).
pub fn in_use() -> u64 {
    *IN_USE.lock().unwrap_or_else(|p| p.into_inner())
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut used = IN_USE.lock().unwrap_or_else(|p| p.into_inner());
        *used = used.saturating_sub(self.0);
        RELEASED.notify_all();
    }
}

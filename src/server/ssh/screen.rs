//! A session's frames on their way to the client, bounded.
//!
//! russh queues whatever it is handed; a client that stops reading would make that
//! queue grow without end. Here the session draws a frame only when the last one has
//! been taken by the channel (which itself sends no more than the client's window
//! allows): at most one frame waits per session. While the client is slow, frames are
//! not drawn at all; the next frame drawn carries every change since, as ratatui draws
//! the difference from what the client was last sent.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{Notify, mpsc};

/// What one session sent, for the tests, the benchmarks and the log.
#[derive(Debug, Default)]
pub struct Stats {
    /// Bytes taken by the channel.
    pub bytes: AtomicU64,
    /// Frames handed to the channel.
    pub frames: AtomicU64,
    /// Times a frame was due and not drawn because the last had not gone yet.
    pub skipped: AtomicU64,
    /// Bytes handed on and not yet taken by the channel.
    pub in_flight: AtomicUsize,
    /// The most bytes ever waiting at once.
    pub max_in_flight: AtomicUsize,
    /// When the newest frame was taken by the channel (ms since the Unix epoch).
    pub last_frame_ms: AtomicU64,
}

/// The write side of a session's terminal (see the module).
pub struct ChannelScreen {
    buf: Vec<u8>,
    tx: mpsc::Sender<Vec<u8>>,
    stats: Arc<Stats>,
    drained: Arc<Notify>,
}

/// Frames that may wait for the writer at once: the start's setup and first frame, and
/// the end's restore; between them the session waits for each frame to go.
const SLOTS: usize = 4;

impl ChannelScreen {
    /// A screen writing to `out` (the channel's writer) on a task of its own; the task
    /// ends when the screen is dropped and everything handed on is written.
    pub fn new<W>(mut out: W, stats: Arc<Stats>) -> (ChannelScreen, tokio::task::JoinHandle<()>)
    where
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (tx, mut rx) = mpsc::channel::<Vec<u8>>(SLOTS);
        let drained = Arc::new(Notify::new());
        let (st, done) = (stats.clone(), drained.clone());
        let task = tokio::spawn(async move {
            while let Some(frame) = rx.recv().await {
                let ok = out.write_all(&frame).await.is_ok() && out.flush().await.is_ok();
                st.bytes.fetch_add(frame.len() as u64, Ordering::Relaxed);
                st.last_frame_ms
                    .store(crate::queue::time::now_ms() as u64, Ordering::Relaxed);
                st.in_flight.fetch_sub(frame.len(), Ordering::AcqRel);
                done.notify_waiters();
                if !ok {
                    // The client is gone: let the session see it as its input ending.
                    break;
                }
            }
        });
        (
            ChannelScreen {
                buf: Vec::new(),
                tx,
                stats,
                drained,
            },
            task,
        )
    }

    pub fn stats(&self) -> &Arc<Stats> {
        &self.stats
    }
}

impl Write for ChannelScreen {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl crate::tui::Screen for ChannelScreen {
    fn end_frame(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let frame = std::mem::take(&mut self.buf);
        let n = frame.len();
        let now = self.stats.in_flight.fetch_add(n, Ordering::AcqRel) + n;
        self.stats.max_in_flight.fetch_max(now, Ordering::Relaxed);
        self.stats.frames.fetch_add(1, Ordering::Relaxed);
        self.tx.try_send(frame).map_err(|e| {
            self.stats.in_flight.fetch_sub(n, Ordering::AcqRel);
            match e {
                mpsc::error::TrySendError::Full(_) => io::Error::new(
                    io::ErrorKind::WouldBlock,
                    "the client has not taken the frames sent to it",
                ),
                mpsc::error::TrySendError::Closed(_) => {
                    io::Error::new(io::ErrorKind::BrokenPipe, "the client is gone")
                }
            }
        })
    }

    fn ready(&self) -> bool {
        self.stats.in_flight.load(Ordering::Acquire) == 0
    }

    fn wait_ready(&self) -> futures::future::BoxFuture<'static, ()> {
        let (stats, drained) = (self.stats.clone(), self.drained.clone());
        Box::pin(async move {
            loop {
                let notified = drained.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if stats.in_flight.load(Ordering::Acquire) == 0 {
                    return;
                }
                notified.await;
            }
        })
    }

    fn skipped(&mut self) {
        self.stats.skipped.fetch_add(1, Ordering::Relaxed);
    }
}

impl ChannelScreen {
    /// Hand on what was written outside a frame (the start's setup, the end's restore).
    pub fn send_now(&mut self) -> io::Result<()> {
        crate::tui::Screen::end_frame(self)
    }

    /// Wait until everything handed on has been taken by the channel, at most `limit`.
    pub async fn drain(&self, limit: std::time::Duration) {
        let _ = tokio::time::timeout(limit, crate::tui::Screen::wait_ready(self)).await;
    }
}

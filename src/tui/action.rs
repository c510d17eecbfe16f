//! Everything that can happen to the TUI: terminal events, time, and the answers of the
//! effects it asked for. Each answer carries the request number of its effect, so an
//! answer that arrives after a newer request (or after the state moved on) is dropped.

use crate::queue::{Claim, DecisionOutcome, OrderDetail, Page, QueueError, QueueEvent, QueueStats};
use crossterm::event::KeyEvent;

/// (An order detail is large; actions move once through a channel, so boxing it would
/// buy nothing.)
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Action {
    Key(KeyEvent),
    Resize(u16, u16),
    /// Time passes (drives the undo windows, the detail debounce and toasts).
    Tick(i64),
    PageLoaded {
        req: u64,
        append: bool,
        result: Result<Page, QueueError>,
    },
    DetailLoaded {
        req: u64,
        result: Result<OrderDetail, QueueError>,
    },
    Decided {
        req: u64,
        order: String,
        result: Result<DecisionOutcome, QueueError>,
    },
    Claimed {
        req: u64,
        order: String,
        result: Result<Claim, QueueError>,
    },
    /// A lead's take-over answered: the claim taken back (if any) and the lead's own.
    TookOver {
        req: u64,
        order: String,
        result: Result<(Option<Claim>, Claim), QueueError>,
    },
    /// An audit note was written (or not): a reveal of personal data waits for it.
    Noted {
        req: u64,
        order: String,
        result: Result<(), QueueError>,
    },
    StatsLoaded {
        req: u64,
        result: Result<QueueStats, QueueError>,
    },
    /// A material's picture, decoded and scaled down off the UI task.
    PreviewLoaded {
        req: u64,
        order: String,
        material: String,
        result: Result<std::sync::Arc<image::DynamicImage>, String>,
    },
    /// A material was handed to the desktop's viewer (or could not be).
    Opened {
        result: Result<(), String>,
    },
    /// The queue changed (someone decided, claimed, added an order), or the live
    /// connection to it dropped or came back.
    Queue(QueueEvent),
    /// The demo orders of a first start were imported (or not): the list loads again.
    Seeded {
        result: Result<usize, QueueError>,
    },
    TriageLoaded {
        req: u64,
        result: Result<Vec<crate::queue::TriageItem>, QueueError>,
    },
    CallsLoaded {
        req: u64,
        result: Result<Vec<crate::queue::CallEntry>, QueueError>,
    },
    ReportLoaded {
        req: u64,
        result: Result<crate::report::Report, QueueError>,
    },
    /// A reopen or reassignment answered.
    LeadDone {
        req: u64,
        order: String,
        result: Result<DecisionOutcome, QueueError>,
    },
    CallClosed {
        req: u64,
        order: String,
        result: Result<crate::queue::CallClosed, QueueError>,
    },
    PresenceLoaded {
        req: u64,
        result: Result<Vec<crate::queue::presence::Presence>, QueueError>,
    },
    /// An export file was written (or not).
    Written {
        path: String,
        result: Result<(), String>,
    },
    /// A signal asked us to stop (SIGTERM, SIGHUP).
    Terminate,
}

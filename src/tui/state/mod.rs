//! The TUI's state, in parts each view or overlay can reuse: a generic list, the order
//! detail, the session (who reviews, read-only, following), and the decisions waiting out
//! their undo window.

pub mod detail;
pub mod list;
pub mod live;
pub mod pending;
pub mod presence;
pub mod session;

pub use detail::{DetailState, Loaded, Pane};
pub use list::{Fill, Keyed, ListState};
pub use live::Live;
pub use pending::{Pending, PendingQueue};
pub use presence::Presences;
pub use session::Session;

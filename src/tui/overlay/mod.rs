//! Overlays: dialogs and prompts drawn over the views. Each one owns its state, reads its
//! keys through its own keymap layer, and draws itself; the update only learns the
//! [`Outcome`].

pub mod approve;
pub mod call;
pub mod help;
pub mod palette;
pub mod prompt;
pub mod recover;
pub mod reject;
pub mod who;

use super::app::App;
use super::command::Vocabulary;
use super::keymap::{Keymap, Layer};
use crate::domain::Reason;
use crate::domain::calendar::WorkCalendar;
use crate::queue::{Action as DecisionAction, CallPlan};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

pub use approve::ApproveDialog;
pub use call::{CallDialog, CallTarget};
pub use help::HelpOverlay;
pub use palette::Palette;
pub use prompt::SearchPrompt;
pub use recover::RecoverDialog;
pub use reject::{ReasonRow, RejectDialog};
pub use who::WhoOverlay;

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help(HelpOverlay),
    Approve(ApproveDialog),
    Reject(RejectDialog),
    Call(CallDialog),
    Search(SearchPrompt),
    Palette(Palette),
    Recover(RecoverDialog),
    Who(WhoOverlay),
}

/// A decision a dialog hands back, to wait out its undo window.
#[derive(Debug, Clone, PartialEq)]
pub struct Staged {
    pub action: DecisionAction,
    pub reasons: Vec<Reason>,
    pub note: Option<String>,
    pub call: Option<CallPlan>,
    pub override_blocks: bool,
}

/// What a key did to an overlay.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The key was used; the overlay stays.
    Stay,
    /// The key means nothing here (nothing to redraw).
    Ignored,
    Close,
    Decide(Staged),
    /// Search for this text (empty clears the search).
    Search(String),
    /// Run this command line.
    Run(String),
    /// Send a decision the last session left unsent.
    Resend(crate::queue::journal::JournalEntry),
    /// Throw away a decision the last session left unsent (by key).
    Discard(String),
}

/// What overlays may consult while handling a key.
pub struct Ctx<'a> {
    pub keymap: &'a Keymap,
    pub now_ms: i64,
    pub calendar: &'a WorkCalendar,
    pub vocab: Vocabulary<'a>,
}

impl Overlay {
    pub fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Outcome {
        match self {
            Overlay::Help(h) => h.on_key(key, ctx),
            Overlay::Approve(d) => d.on_key(key, ctx),
            Overlay::Reject(d) => d.on_key(key, ctx),
            Overlay::Call(d) => d.on_key(key, ctx),
            Overlay::Search(p) => p.on_key(key, ctx),
            Overlay::Palette(p) => p.on_key(key, ctx),
            Overlay::Recover(r) => r.on_key(key, ctx),
            Overlay::Who(w) => w.on_key(key, ctx),
        }
    }

    /// The keymap layers its keys go through (for help and hints).
    pub fn layers(&self) -> Vec<Layer> {
        match self {
            Overlay::Help(_) | Overlay::Who(_) => vec![Layer::Help],
            Overlay::Approve(d) => d.layers(),
            Overlay::Reject(d) => d.layers(),
            Overlay::Call(d) => d.layers(),
            Overlay::Search(_) | Overlay::Palette(_) => vec![Layer::Prompt, Layer::Input],
            Overlay::Recover(_) => vec![Layer::Recover],
        }
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        match self {
            Overlay::Help(h) => h.render(app, f, area),
            Overlay::Approve(d) => d.render(app, f, area),
            Overlay::Reject(d) => d.render(app, f, area),
            Overlay::Call(d) => d.render(app, f, area),
            Overlay::Search(p) => p.render(app, f, area),
            Overlay::Palette(p) => p.render(app, f, area),
            Overlay::Recover(r) => r.render(app, f, area),
            Overlay::Who(w) => w.render(app, f, area),
        }
    }
}

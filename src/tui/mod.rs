//! The reviewer TUI. Data flows one way: terminal events, timers and effect results
//! become [`app::Action`]s; [`app::App::update`] changes the state and returns
//! [`app::Effect`]s; effects run on tokio tasks and report back as actions; the view
//! draws the state only when something changed.

pub mod app;
pub mod i18n;
pub mod input;
pub mod keymap;
pub mod theme;
pub mod ui;

use crate::queue::Queue;
use app::{Action, App, Effect};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Run one effect on a tokio task; its result comes back as an action.
pub fn spawn_effect(
    queue: Arc<dyn Queue>,
    reviewer: String,
    effect: Effect,
    tx: mpsc::UnboundedSender<Action>,
) {
    tokio::spawn(async move {
        let action = match effect {
            Effect::LoadPage { req, query, append } => Some(Action::PageLoaded {
                req,
                append,
                result: queue.list(&query).await,
            }),
            Effect::LoadDetail { req, id } => Some(Action::DetailLoaded {
                req,
                result: queue.get(&id).await,
            }),
            Effect::Decide {
                order,
                decision,
                key,
            } => {
                let result = queue.decide(&order, &reviewer, &decision, &key).await;
                Some(Action::Decided { order, result })
            }
            Effect::Claim { order } => {
                let result = queue
                    .claim(&order, &reviewer, crate::queue::DEFAULT_LEASE_SECS)
                    .await;
                Some(Action::Claimed { order, result })
            }
            Effect::Note {
                order,
                action,
                note,
            } => {
                if let Err(e) = queue.note_action(&order, &reviewer, &action, &note).await {
                    tracing::warn!(%order, %action, error = %e, "audit note failed");
                }
                None
            }
            Effect::LoadStats => queue.stats().await.ok().map(Action::StatsLoaded),
            Effect::Exit => None,
        };
        if let Some(a) = action {
            let _ = tx.send(a);
        }
    });
}

/// Restores the terminal however we leave (return, `?`, panic unwinding).
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Run the TUI until the reviewer quits. Decisions still in their undo window are sent
/// before leaving.
pub async fn run(queue: Arc<dyn Queue>, mut app: App) -> std::io::Result<()> {
    let mut terminal = ratatui::init(); // raw mode, alternate screen, panic hook that restores
    let _restore = Restore;
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    let reviewer = app.settings.reviewer.clone();
    for e in app.start() {
        spawn_effect(queue.clone(), reviewer.clone(), e, tx.clone());
    }
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    loop {
        if app.dirty {
            // Synchronized update: the terminal shows the frame at once, never half-drawn.
            let _ = write!(std::io::stdout(), "\x1b[?2026h");
            terminal.draw(|f| ui::render(&app, f))?;
            let _ = write!(std::io::stdout(), "\x1b[?2026l");
            let _ = std::io::stdout().flush();
            app.dirty = false;
        }
        let action = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => Action::Key(k),
                Some(Ok(Event::Resize(w, h))) => Action::Resize(w, h),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => Action::Terminate,
            },
            Some(a) = rx.recv() => a,
            _ = tick.tick() => Action::Tick(crate::queue::time::now_ms()),
            _ = term.recv() => Action::Terminate,
            _ = hup.recv() => Action::Terminate,
        };
        if let Action::Resize(..) = action {
            terminal.autoresize()?;
        }
        let mut exit = false;
        for e in app.update(action) {
            if e == Effect::Exit {
                exit = true;
            } else {
                spawn_effect(queue.clone(), reviewer.clone(), e, tx.clone());
            }
        }
        if exit {
            break;
        }
    }
    Ok(())
}

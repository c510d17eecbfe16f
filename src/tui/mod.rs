//! The reviewer TUI. Data flows one way: terminal events, timers and effect answers
//! become [`action::Action`]s; [`app::App::update`] (in `update/`) changes the state
//! and returns [`effect::Effect`]s; effects run on tokio tasks and come back as actions;
//! the view (`ui/`, and each overlay) draws the state once per batch of actions.
//!
//! - `state/`: a generic list, the detail, the session, the decisions waiting.
//! - `view/`: the lists (review queue, triage), each with its own filters.
//! - `overlay/`: dialogs and prompts, each owning its state, keys and drawing.
//! - `keymap.rs` + `command.rs`: one command vocabulary for keys, help, hints and `:`.
//! - `text.rs` (labels), `theme.rs` (styles), `safe.rs` (applicant text made safe).

pub mod action;
pub mod app;
pub mod command;
pub mod effect;
pub mod input;
pub mod keymap;
pub mod overlay;
pub mod safe;
pub mod shadow;
pub mod state;
#[cfg(test)]
mod testterm;
pub mod text;
pub mod theme;
pub mod ui;
mod update;
pub mod view;
pub mod wire;

use crate::queue::Queue;
use action::Action;
use app::App;
use crossterm::event::{Event, EventStream, KeyEventKind};
use effect::Effect;
use futures::{FutureExt, StreamExt};
use std::io::Write;
use std::sync::Arc;
use tokio::sync::mpsc;

/// Restores the terminal however we leave (return, `?`, panic unwinding).
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

fn from_event(ev: Option<std::io::Result<Event>>) -> Option<Action> {
    match ev {
        Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => Some(Action::Key(k)),
        Some(Ok(Event::Resize(w, h))) => Some(Action::Resize(w, h)),
        Some(Ok(_)) => None,
        Some(Err(_)) | None => Some(Action::Terminate),
    }
}

/// What `ratatui::init` does (a panic hook that restores the terminal, raw mode, the
/// alternate screen), with [`wire::Wire`] between the backend and the terminal and
/// [`shadow::Shadowed`] between ratatui and the backend.
fn init_terminal() -> std::io::Result<Term> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        ratatui::restore();
        hook(info);
    }));
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    ratatui::Terminal::new(shadow::Shadowed::new(
        ratatui::backend::CrosstermBackend::new(wire::Wire::new(std::io::stdout())),
    ))
}

type Term = ratatui::Terminal<
    shadow::Shadowed<ratatui::backend::CrosstermBackend<wire::Wire<std::io::Stdout>>>,
>;

/// Draw a frame as a synchronized update: the terminal shows it at once, never half-drawn.
fn draw(terminal: &mut Term, app: &mut App) -> std::io::Result<()> {
    let _ = write!(std::io::stdout(), "\x1b[?2026h");
    terminal.draw(|f| ui::render(app, f))?;
    let _ = write!(std::io::stdout(), "\x1b[?2026l");
    let _ = std::io::stdout().flush();
    app.mark_drawn();
    Ok(())
}

/// Run the TUI until the reviewer quits. Decisions still in their undo window are sent
/// before leaving.
pub async fn run(
    queue: Arc<dyn Queue>,
    app: App,
    journal: Option<Arc<crate::queue::journal::Journal>>,
) -> std::io::Result<()> {
    run_with(queue, app, journal, Vec::new()).await
}

/// [`run`], with work that starts with the screen and reports as an action when done
/// (the demo orders of a first start: the screen shows at once, not after the import).
pub async fn run_with(
    queue: Arc<dyn Queue>,
    mut app: App,
    journal: Option<Arc<crate::queue::journal::Journal>>,
    background: Vec<futures::future::BoxFuture<'static, Action>>,
) -> std::io::Result<()> {
    let mut terminal = init_terminal()?; // raw mode, alternate screen, panic hook that restores
    let _restore = Restore;
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    for e in app.start() {
        effect::spawn(queue.clone(), journal.clone(), e, tx.clone());
    }
    for job in background {
        let tx = tx.clone();
        tokio::spawn(async move {
            let _ = tx.send(job.await);
        });
    }
    // Ask the terminal which graphics it draws (before reading any event: the answers come
    // on stdin; the list loads and the demo orders are imported meanwhile). A terminal that
    // does not answer within the timeout gets half-blocks. The first frame follows.
    if app.settings.images == app::Images::Auto {
        let options = ratatui_image::picker::cap_parser::QueryStdioOptions {
            timeout_ms: 250,
            ..Default::default()
        };
        if let Ok(p) = ratatui_image::picker::Picker::from_query_stdio_with_options(options) {
            app.settings.picker = p;
        }
    }
    draw(&mut terminal, &mut app)?;
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    loop {
        if app.dirty() {
            draw(&mut terminal, &mut app)?;
        }
        let first = tokio::select! {
            ev = events.next() => match from_event(ev) {
                Some(a) => a,
                None => continue,
            },
            Some(a) = rx.recv() => a,
            _ = tick.tick() => Action::Tick(crate::queue::time::now_ms()),
            _ = term.recv() => Action::Terminate,
            _ = hup.recv() => Action::Terminate,
        };
        // Take every action already waiting before drawing again: a burst of keys or
        // answers costs one frame, not one each.
        let mut batch = vec![first];
        while let Ok(a) = rx.try_recv() {
            batch.push(a);
        }
        while let Some(ev) = events.next().now_or_never() {
            if let Some(a) = from_event(ev) {
                let end = matches!(a, Action::Terminate);
                batch.push(a);
                if end {
                    break;
                }
            }
        }
        let mut exit = false;
        for action in batch {
            if let Action::Resize(..) = action {
                terminal.autoresize()?;
            }
            for e in app.update(action) {
                if e == Effect::Exit {
                    exit = true;
                } else {
                    effect::spawn(queue.clone(), journal.clone(), e, tx.clone());
                }
            }
        }
        if exit {
            break;
        }
    }
    // Others see this client gone now, not when its presence lapses (bounded: a queue
    // that does not answer must not hold the exit).
    let _ = tokio::time::timeout(std::time::Duration::from_millis(500), queue.leave()).await;
    Ok(())
}

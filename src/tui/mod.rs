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
pub mod setup;
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

/// Where a session's frames go. A local terminal takes each frame at once; a terminal
/// at the other end of an SSH channel may be slow, and then the loop draws nothing until
/// the last frame has gone (the frames in between are skipped: the next one drawn holds
/// every change since).
pub trait Screen: Write + Send {
    /// What was written since the last frame is a whole frame: send it.
    fn end_frame(&mut self) -> std::io::Result<()>;
    /// Whether a frame drawn now would go out at once.
    fn ready(&self) -> bool {
        true
    }
    /// Resolves when [`Screen::ready`] may have turned true.
    fn wait_ready(&self) -> futures::future::BoxFuture<'static, ()> {
        Box::pin(std::future::pending())
    }
    /// A frame was due and not drawn because the screen was not ready.
    fn skipped(&mut self) {}
}

/// The terminal this process runs in.
pub struct LocalScreen(std::io::Stdout);

impl Write for LocalScreen {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

impl Screen for LocalScreen {
    fn end_frame(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// The terminal a session draws on: ratatui → [`shadow::Shadowed`] (short gaps printed)
/// → the crossterm backend → [`wire::Wire`] (redundant moves dropped) → the screen.
pub type Term<S> =
    ratatui::Terminal<shadow::Shadowed<ratatui::backend::CrosstermBackend<wire::Wire<S>>>>;

/// A terminal on `screen` of `size` columns × rows (a remote terminal: the backend
/// cannot measure it).
pub fn remote_terminal<S: Screen>(screen: S, size: (u16, u16)) -> std::io::Result<Term<S>> {
    ratatui::Terminal::new(shadow::Shadowed::with_size(
        ratatui::backend::CrosstermBackend::new(wire::Wire::new(screen)),
        ratatui::layout::Size::new(size.0, size.1),
    ))
}

/// The screen under a terminal's backend and writers.
pub fn screen_of<S: Screen>(terminal: &mut Term<S>) -> &mut S {
    terminal.backend_mut().inner_mut().writer_mut().get_mut()
}

/// Restores the terminal however we leave (return, `?`, panic unwinding).
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// A terminal event as the app's action (`None`: nothing the app uses).
pub fn from_event(ev: Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Action::Key(k)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}

/// What `ratatui::init` does (a panic hook that restores the terminal, raw mode, the
/// alternate screen), on the local terminal.
fn init_terminal() -> std::io::Result<Term<LocalScreen>> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        ratatui::restore();
        hook(info);
    }));
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    ratatui::Terminal::new(shadow::Shadowed::new(
        ratatui::backend::CrosstermBackend::new(wire::Wire::new(LocalScreen(std::io::stdout()))),
    ))
}

/// Draw a frame as a synchronized update: the terminal shows it at once, never half-drawn.
fn draw<S: Screen>(terminal: &mut Term<S>, app: &mut App) -> std::io::Result<()> {
    screen_of(terminal).write_all(b"\x1b[?2026h")?;
    terminal.draw(|f| ui::render(app, f))?;
    let screen = screen_of(terminal);
    screen.write_all(b"\x1b[?2026l")?;
    screen.end_frame()?;
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

/// The local terminal's events and the signals that end the TUI, as actions.
fn local_input() -> std::io::Result<futures::stream::BoxStream<'static, Action>> {
    let keys = EventStream::new().filter_map(|ev| async move {
        match ev {
            Ok(ev) => from_event(ev),
            Err(_) => Some(Action::Terminate),
        }
    });
    // The end of the terminal is the end of the TUI.
    let keys = keys.chain(futures::stream::once(async { Action::Terminate }));
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut hup = signal(SignalKind::hangup())?;
        let signals = futures::stream::poll_fn(move |cx| {
            if term.poll_recv(cx).is_ready() || hup.poll_recv(cx).is_ready() {
                std::task::Poll::Ready(Some(Action::Terminate))
            } else {
                std::task::Poll::Pending
            }
        });
        Ok(futures::stream::select(keys, signals).boxed())
    }
    #[cfg(not(unix))]
    Ok(keys.boxed())
}

/// [`run`], with work that starts with the screen and reports as an action when done
/// (the demo orders of a first start: the screen shows at once, not after the import).
pub async fn run_with(
    queue: Arc<dyn Queue>,
    app: App,
    journal: Option<Arc<crate::queue::journal::Journal>>,
    background: Vec<futures::future::BoxFuture<'static, Action>>,
) -> std::io::Result<()> {
    let mut terminal = init_terminal()?; // raw mode, alternate screen, panic hook that restores
    let _restore = Restore;
    let input = local_input()?;
    // Ask the terminal which graphics it draws (before reading any event: the answers come
    // on stdin; the list loads and the demo orders are imported meanwhile). A terminal
    // that does not answer within the timeout gets half-blocks. The first frame follows.
    let ask_graphics = |app: &mut App| {
        if app.settings.images == app::Images::Auto {
            let options = ratatui_image::picker::cap_parser::QueryStdioOptions {
                timeout_ms: 250,
                ..Default::default()
            };
            if let Ok(p) = ratatui_image::picker::Picker::from_query_stdio_with_options(options) {
                app.settings.picker = p;
            }
        }
    };
    let mut app = app;
    drive(
        queue,
        &mut app,
        journal,
        background,
        &mut terminal,
        input,
        ask_graphics,
    )
    .await
}

/// The session loop over any terminal: `input` (keys, resizes; its end ends the session)
/// and the effects' answers become actions, the app updates, and a frame is drawn when
/// the state changed and the screen is ready for one.
/// `before_first_frame` runs once the start's work is under way.
pub async fn drive<S: Screen>(
    queue: Arc<dyn Queue>,
    app: &mut App,
    journal: Option<Arc<crate::queue::journal::Journal>>,
    background: Vec<futures::future::BoxFuture<'static, Action>>,
    terminal: &mut Term<S>,
    mut input: futures::stream::BoxStream<'static, Action>,
    before_first_frame: impl FnOnce(&mut App),
) -> std::io::Result<()> {
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
    before_first_frame(app);
    draw(terminal, app)?;
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut waiting = false;
    let mut input_done = false;
    loop {
        if app.dirty() {
            if screen_of(terminal).ready() {
                draw(terminal, app)?;
                waiting = false;
            } else if !waiting {
                screen_of(terminal).skipped();
                waiting = true;
            }
        }
        let ready = if waiting {
            screen_of(terminal).wait_ready()
        } else {
            Box::pin(std::future::pending())
        };
        let first = tokio::select! {
            a = input.next(), if !input_done => a.unwrap_or_else(|| {
                // The terminal is gone: end (sending what waits), and stop listening.
                input_done = true;
                Action::Terminate
            }),
            Some(a) = rx.recv() => a,
            _ = tick.tick() => Action::Tick(crate::queue::time::now_ms()),
            _ = ready => continue,
        };
        // Take every action already waiting before drawing again: a burst of keys or
        // answers costs one frame, not one each.
        let mut batch = vec![first];
        while let Ok(a) = rx.try_recv() {
            batch.push(a);
        }
        while !input_done && let Some(a) = input.next().now_or_never() {
            let a = a.unwrap_or_else(|| {
                input_done = true;
                Action::Terminate
            });
            let end = matches!(a, Action::Terminate);
            batch.push(a);
            if end {
                break;
            }
        }
        let mut exit = false;
        for action in batch {
            if let Action::Resize(w, h) = action {
                terminal
                    .backend_mut()
                    .set_size(ratatui::layout::Size::new(w, h));
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

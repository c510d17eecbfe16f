//! One SSH session channel: what the client asks for (a pty, its size and environment, a
//! shell or a command), then the reviewer's TUI on it until the reviewer quits, the client
//! goes, the session idles out or the server stops; then the client's terminal is given
//! back as it was (main screen, cursor shown, colours reset) and the channel closed.

use super::input::{ESC_WAIT, KeyReader};
use super::screen::{ChannelScreen, Stats};
use super::{Shared, queue::SessionQueue};
use crate::queue::Actor;
use crate::tui::action::Action;
use crate::tui::setup::TermEnv;
use futures::StreamExt;
use russh::ChannelMsg;
use russh::server::Msg;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// The largest terminal served (bigger sizes are drawn at this size): a frame's buffers
/// grow with the cell count.
pub const MAX_COLS: u16 = 500;
pub const MAX_ROWS: u16 = 200;

/// How long a client may take between opening the channel and asking for a shell.
const SETUP: Duration = Duration::from_secs(30);

/// What the client asked to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `ssh host` (a shell) or `ssh host review`.
    Review,
    /// `ssh -t host follow NAME`.
    Follow(String),
    /// Anything else: said, and the session ends.
    Unknown(String),
}

impl Command {
    pub fn parse(bytes: &[u8]) -> Command {
        let text = String::from_utf8_lossy(bytes);
        let words: Vec<&str> = text.split_whitespace().collect();
        match words.as_slice() {
            [] | ["review"] => Command::Review,
            ["follow", name @ ..] if !name.is_empty() => Command::Follow(name.join(" ")),
            _ => Command::Unknown(crate::domain::safe::excerpt(text.trim()).to_string()),
        }
    }
}

/// A size the client sent, made one the TUI can draw.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    (
        cols.clamp(1, u32::from(MAX_COLS)) as u16,
        rows.clamp(1, u32::from(MAX_ROWS)) as u16,
    )
}

/// Why a session ended, as the last line the client sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Quit,
    Gone,
    Idle,
    Shutdown,
}

pub(super) async fn run(
    channel: russh::Channel<Msg>,
    actor: Actor,
    shared: Arc<Shared>,
    stats: Arc<Stats>,
) {
    let (mut read, write) = channel.split();
    // What the client asks for before its shell or command.
    let mut env = TermEnv::default();
    let mut size: Option<(u16, u16)> = None;
    let command = loop {
        match tokio::time::timeout(SETUP, read.wait()).await {
            Ok(Some(ChannelMsg::RequestPty {
                term,
                col_width,
                row_height,
                ..
            })) => {
                env.set("TERM", &term);
                size = Some(clamp_size(col_width, row_height));
            }
            Ok(Some(ChannelMsg::SetEnv {
                variable_name,
                variable_value,
                ..
            })) => {
                env.set(&variable_name, &variable_value);
            }
            Ok(Some(ChannelMsg::WindowChange {
                col_width,
                row_height,
                ..
            })) => size = Some(clamp_size(col_width, row_height)),
            Ok(Some(ChannelMsg::RequestShell { .. })) => break Command::Review,
            Ok(Some(ChannelMsg::Exec { command, .. })) => break Command::parse(&command),
            Ok(Some(_)) => {}
            Ok(None) => return,
            Err(_) => {
                // Never asked for a shell: do not keep the channel open for nothing.
                let _ = write.close().await;
                return;
            }
        }
    };
    let say_and_close = |text: String, code: u32| {
        let write = &write;
        async move {
            let _ = write.data_bytes(text.into_bytes()).await;
            let _ = write.exit_status(code).await;
            let _ = write.eof().await;
            let _ = write.close().await;
        }
    };
    let follow = match command {
        Command::Review => None,
        Command::Follow(name) => Some(name),
        Command::Unknown(what) => {
            say_and_close(
                format!(
                    "icp-review: unknown command {what:?}; connect with `ssh -t HOST` to review, or `ssh -t HOST follow NAME` to follow someone\r\n"
                ),
                2,
            )
            .await;
            return;
        }
    };
    let Some(size) = size else {
        say_and_close(
            "icp-review needs a terminal: connect with `ssh -t HOST` (or `ssh -t HOST follow NAME`)\r\n".into(),
            1,
        )
        .await;
        return;
    };
    let options = &shared.options;
    let mut settings =
        match crate::tui::setup::settings(&options.config, &actor.name, &options.data, &env) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "ssh session: the TUI's config is wrong");
                say_and_close(
                    format!("icp-review: the server's config is wrong: {e}\r\n"),
                    2,
                )
                .await;
                return;
            }
        };
    // Pictures as half-blocks: the kitty/sixel question would have to go down the
    // channel, and most SSH clients' terminals answer for neither.
    settings.images = crate::tui::app::Images::Halfblocks;
    settings.lead = actor.role == crate::queue::Role::Lead;
    settings.export_dir = options.export_dir.clone();
    settings.local = false;
    let mut app = crate::tui::app::App::new(
        settings,
        options.data.reasons.clone(),
        crate::queue::time::now_ms(),
    );
    if let Some(name) = &follow {
        app.follow_at_start(name);
    }
    let queue = Arc::new(SessionQueue::new(
        shared.store.clone(),
        shared.hub.clone(),
        actor.clone(),
    ));
    let (mut screen, writer) = ChannelScreen::new(write.make_writer(), stats);
    // The alternate screen, the cursor hidden, the screen cleared (ratatui draws on a
    // blank screen).
    let _ = std::io::Write::write_all(&mut screen, b"\x1b[?1049h\x1b[?25l\x1b[0m\x1b[H\x1b[2J");
    let _ = screen.send_now();
    let (keys_tx, mut keys_rx) = mpsc::channel::<Action>(256);
    let (end_tx, mut end_rx) = tokio::sync::watch::channel(End::Quit);
    let idle = options.idle;
    let shutdown = shared.shutdown.clone();
    let reader = tokio::spawn(read_keys(read, keys_tx, end_tx, idle, shutdown));
    let input = futures::stream::poll_fn(move |cx| keys_rx.poll_recv(cx)).boxed();
    tracing::info!(reviewer = %actor.name, cols = size.0, rows = size.1, follow = ?follow, "ssh session started");
    let result = match crate::tui::remote_terminal(screen, size) {
        Ok(mut terminal) => {
            let r = crate::tui::drive(
                queue,
                &mut app,
                None,
                Vec::new(),
                &mut terminal,
                input,
                |_| {},
            )
            .await;
            let end = *end_rx.borrow_and_update();
            restore(crate::tui::screen_of(&mut terminal), end).await;
            r
        }
        Err(e) => Err(e),
    };
    reader.abort();
    if let Err(e) = &result {
        tracing::info!(reviewer = %actor.name, error = %e, "ssh session ended with an error");
    }
    // Everything handed to the writer goes out before the channel closes.
    drop(app);
    let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
    let _ = write.exit_status(u32::from(result.is_err())).await;
    let _ = write.eof().await;
    let _ = write.close().await;
    tracing::info!(reviewer = %actor.name, "ssh session ended");
}

/// Give the client's terminal back: end any synchronized update, reset colours, show the
/// cursor, leave the alternate screen; then a line saying why, unless the reviewer quit.
async fn restore(screen: &mut ChannelScreen, end: End) {
    let why = match end {
        End::Quit | End::Gone => "",
        End::Idle => "icp-review: the session ended after a long time without a key\r\n",
        End::Shutdown => "icp-review: the server is stopping; connect again in a moment\r\n",
    };
    let _ = std::io::Write::write_all(screen, b"\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l");
    let _ = std::io::Write::write_all(screen, why.as_bytes());
    let _ = screen.send_now();
    screen.drain(Duration::from_secs(2)).await;
}

/// The channel's messages as the TUI's actions: keys (a lone Esc after [`ESC_WAIT`]),
/// resizes; the input ends (and the TUI with it) when the client closes, after `idle`
/// without a key, or when the server stops.
async fn read_keys(
    mut read: russh::ChannelReadHalf,
    keys: mpsc::Sender<Action>,
    end: tokio::sync::watch::Sender<End>,
    idle: Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mut reader = KeyReader::new();
    let mut out = Vec::new();
    let mut last_key = tokio::time::Instant::now();
    loop {
        let esc = reader.waiting();
        let msg = tokio::select! {
            m = read.wait() => m,
            _ = tokio::time::sleep(ESC_WAIT), if esc => {
                reader.flush(&mut out);
                for a in out.drain(..) {
                    if keys.send(a).await.is_err() {
                        return;
                    }
                }
                continue;
            }
            _ = tokio::time::sleep_until(last_key + idle) => {
                let _ = end.send(End::Idle);
                return;
            }
            _ = super::stopped(&mut shutdown) => {
                let _ = end.send(End::Shutdown);
                return;
            }
        };
        match msg {
            Some(ChannelMsg::Data { data }) => {
                last_key = tokio::time::Instant::now();
                reader.feed(&data, &mut out);
            }
            Some(ChannelMsg::WindowChange {
                col_width,
                row_height,
                ..
            }) => {
                let (w, h) = clamp_size(col_width, row_height);
                out.push(Action::Resize(w, h));
            }
            Some(ChannelMsg::Eof | ChannelMsg::Close) | None => {
                let _ = end.send(End::Gone);
                return;
            }
            Some(_) => {}
        }
        for a in out.drain(..) {
            if keys.send(a).await.is_err() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_a_client_may_send() {
        assert_eq!(Command::parse(b""), Command::Review);
        assert_eq!(Command::parse(b"review"), Command::Review);
        assert_eq!(
            Command::parse("follow 王芳".as_bytes()),
            Command::Follow("王芳".into())
        );
        assert_eq!(
            Command::parse(b"follow  Li  Ming"),
            Command::Follow("Li Ming".into())
        );
        assert!(matches!(Command::parse(b"follow"), Command::Unknown(_)));
        assert!(matches!(Command::parse(b"rm -rf /"), Command::Unknown(_)));
    }

    #[test]
    fn sizes_are_kept_within_what_can_be_drawn() {
        assert_eq!(clamp_size(80, 24), (80, 24));
        assert_eq!(clamp_size(0, 0), (1, 1));
        assert_eq!(clamp_size(u32::MAX, 100_000), (MAX_COLS, MAX_ROWS));
    }
}

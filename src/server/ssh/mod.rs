//! `icp-review serve --ssh ADDR`: the reviewer TUI served over SSH (russh). Every
//! session is its own TUI on the server's queue, at the client's size and in the
//! client's language; nothing is installed on the reviewer's machine.
//!
//! - [`keys`]: the host key (made once, mode 0600, reused) and the reviewers' keys: the
//!   config's authorized-keys file and `token add NAME --ssh-key FILE.pub`. Any other key
//!   is refused; the SSH user name is not trusted for anything.
//! - [`session`]: one channel: its pty and environment, the TUI, a clean end.
//! - [`input`]: keys parsed from the channel's bytes (a lone Esc waits briefly).
//! - [`screen`]: frames bounded per session (a slow client skips frames, never queues).
//! - [`queue`]: the queue as the session's reviewer, hearing changes from the hub.

pub mod input;
pub mod keys;
pub mod queue;
pub mod screen;
pub mod session;

use crate::config::Config;
use crate::queue::Actor;
use crate::queue::store::Store;
use crate::rules::RuleData;
use russh::server::{Auth, Handler, Msg, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// How the SSH front end runs.
#[derive(Clone)]
pub struct SshOptions {
    /// The host key file (made on the first start).
    pub host_key: PathBuf,
    /// An authorized-keys file (see [`keys::parse_authorized`]), read at every login so
    /// that a lead's edit counts at once.
    pub authorized_keys: Option<PathBuf>,
    /// A session with no key pressed for this long is ended (its decisions are sent).
    pub idle: Duration,
    /// Connections open at once (logged in or not); one more is closed at once.
    pub max_connections: usize,
    /// The TUI's config (keymap, theme, undo window, deadline).
    pub config: Arc<Config>,
    pub data: Arc<RuleData>,
    /// Where sessions write exports (triage CSV, agenda iCalendar), on the server.
    pub export_dir: PathBuf,
}

/// One session, as the tests and benchmarks see it.
#[derive(Clone)]
pub struct SessionInfo {
    pub name: String,
    pub stats: Arc<screen::Stats>,
    pub open: Arc<std::sync::atomic::AtomicBool>,
}

/// What every connection shares.
struct Shared {
    store: Arc<Store>,
    hub: Arc<crate::server::events::Hub>,
    options: SshOptions,
    sessions: Mutex<Vec<SessionInfo>>,
    shutdown: watch::Receiver<bool>,
}

/// The SSH server, running on a tokio task.
pub struct SshServer {
    pub addr: SocketAddr,
    /// The host key's fingerprint (`SHA256:…`), as a client is asked to trust it.
    pub fingerprint: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl SshServer {
    /// Every session started since the server started (open or ended).
    pub fn sessions(&self) -> Vec<SessionInfo> {
        self.shared
            .sessions
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }

    /// Stop accepting and end every session (each sends what it holds and restores the
    /// client's terminal).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let SshServer { shared, task, .. } = self;
        let _ = task.await;
        // Give the sessions a moment to end cleanly.
        for _ in 0..50 {
            let open = shared.sessions.lock().is_ok_and(|s| {
                s.iter()
                    .any(|s| s.open.load(std::sync::atomic::Ordering::Acquire))
            });
            if !open {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Start the SSH front end on `listener` over `store`, hearing changes from `hub`.
pub async fn start(
    store: Arc<Store>,
    hub: Arc<crate::server::events::Hub>,
    listener: tokio::net::TcpListener,
    options: SshOptions,
) -> Result<SshServer, String> {
    let key = keys::host_key(&options.host_key)?;
    let fingerprint = keys::fingerprint(key.public_key());
    if let Some(path) = &options.authorized_keys {
        // A broken file is said at start, not at the first refused login.
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("authorized keys {}: {e}", path.display()))?;
        let (_, errors) = keys::parse_authorized(&text, &path.display().to_string());
        for e in errors {
            tracing::warn!(problem = %e, "authorized keys line skipped");
        }
    }
    let addr = listener
        .local_addr()
        .map_err(|e| format!("ssh listener: {e}"))?;
    let config = Arc::new(russh::server::Config {
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        keys: vec![key],
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        // Keys go out as soon as they are typed, frames as soon as they are drawn.
        nodelay: true,
        // A connection whose client has vanished without a word.
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 4,
        ..Default::default()
    });
    let (stop, shutdown) = watch::channel(false);
    let shared = Arc::new(Shared {
        store,
        hub,
        options,
        sessions: Mutex::new(Vec::new()),
        shutdown: shutdown.clone(),
    });
    let task = tokio::spawn(accept_loop(listener, config, shared.clone(), shutdown));
    Ok(SshServer {
        addr,
        fingerprint,
        shared,
        stop,
        task,
    })
}

async fn accept_loop(
    listener: tokio::net::TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(
        shared.options.max_connections.max(1),
    ));
    loop {
        let (socket, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(error = %e, "ssh accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = stopped(&mut shutdown) => return,
        };
        // A flood of connections (logged in or not) is turned away, not served.
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tracing::warn!(%peer, limit = shared.options.max_connections, "ssh connection refused: too many open");
            drop(socket);
            continue;
        };
        let _ = socket.set_nodelay(true);
        let handler = Connection {
            shared: shared.clone(),
            peer,
            actor: None,
            offered: None,
        };
        let config = config.clone();
        let mut down = shared.shutdown.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let session = match russh::server::run_stream(config, socket, handler).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::info!(%peer, error = %e, "ssh connection failed at setup");
                    return;
                }
            };
            let handle = session.handle();
            tokio::select! {
                r = session => {
                    if let Err(e) = r {
                        tracing::info!(%peer, error = %e, "ssh connection ended");
                    }
                }
                _ = stopped(&mut down) => {
                    // The sessions see the shutdown too and end themselves; the
                    // connection closes once they have.
                    tokio::time::sleep(Duration::from_millis(800)).await;
                    let _ = handle
                        .disconnect(russh::Disconnect::ByApplication, "the server is stopping".into(), String::new())
                        .await;
                }
            }
        });
    }
}

/// One client connection.
struct Connection {
    shared: Arc<Shared>,
    peer: SocketAddr,
    actor: Option<Actor>,
    /// The last key offered and whom it stands for: the signed request that follows
    /// an accepted offer is not looked up again.
    offered: Option<(String, Actor)>,
}

impl Connection {
    /// Who a key stands for: the authorized-keys file first, then the store's keys.
    async fn lookup(&self, key: &russh::keys::PublicKey) -> Option<Actor> {
        let fp = keys::fingerprint(key);
        if let Some((offered, actor)) = &self.offered
            && *offered == fp
        {
            return Some(actor.clone());
        }
        if let Some(path) = &self.shared.options.authorized_keys {
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    let (entries, _) = keys::parse_authorized(&text, &path.display().to_string());
                    if let Some(e) = entries.into_iter().find(|e| e.fingerprint == fp) {
                        return Some(e.actor);
                    }
                }
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "authorized keys unreadable");
                }
            }
        }
        match self.shared.store.ssh_key_actor(&fp).await {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %crate::domain::safe::message(&e.to_string()), "ssh key lookup failed");
                None
            }
        }
    }
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        self.offered = None;
        Ok(match self.lookup(offer.public_key).await {
            Some(actor) => {
                self.offered = Some((keys::fingerprint(offer.public_key), actor));
                Auth::Accept
            }
            None => Auth::reject(),
        })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        match self.lookup(key.public_key).await {
            Some(actor) => {
                tracing::info!(peer = %self.peer, reviewer = %actor.name, ssh_user = %crate::domain::safe::excerpt(user), "ssh login");
                self.actor = Some(actor);
                Ok(Auth::Accept)
            }
            None => {
                tracing::info!(peer = %self.peer, fingerprint = %keys::fingerprint(key.public_key), "ssh key refused");
                Ok(Auth::reject())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(actor) = self.actor.clone() else {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
            return Ok(());
        };
        reply.accept().await;
        let info = SessionInfo {
            name: actor.name.clone(),
            stats: Arc::new(screen::Stats::default()),
            open: Arc::new(std::sync::atomic::AtomicBool::new(true)),
        };
        if let Ok(mut s) = self.shared.sessions.lock() {
            // Keep the list short on a long-running server: ended sessions go.
            s.retain(|x| x.open.load(std::sync::atomic::Ordering::Acquire));
            s.push(info.clone());
        }
        let shared = self.shared.clone();
        tokio::spawn(async move {
            session::run(channel, actor, shared, info.stats.clone()).await;
            info.open.store(false, std::sync::atomic::Ordering::Release);
        });
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _cols: u32,
        _rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        _value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }
}

/// Resolves once the server is stopping.
pub(crate) async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|d| *d).await;
}

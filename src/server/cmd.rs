//! The `serve` and `token` subcommands.

use crate::cli::{OutputFormat, TokenCommand, TokenRole};
use crate::domain::safe::message;
use crate::queue::Role;
use crate::queue::store::{Engine, Store};
use crate::rules::{ProviderSettings, RuleData};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// Where the queue lives: the database URL, else `queue.db` in the data directory.
pub struct StoreAt<'a> {
    pub dir: &'a Path,
    pub url: Option<&'a str>,
}

impl StoreAt<'_> {
    async fn open(&self, data: RuleData, provider: ProviderSettings) -> Result<Store, ExitCode> {
        let opened = match self.url {
            Some(u) => Store::open(u, Arc::new(data), Arc::new(provider)).await,
            None => Store::open_dir(self.dir, Arc::new(data), Arc::new(provider)).await,
        };
        opened.map_err(|e| {
            eprintln!(
                "icp-review: store {}: {}",
                self.name(),
                message(&e.to_string())
            );
            ExitCode::from(2)
        })
    }

    /// As messages name it (a database URL without its password).
    fn name(&self) -> String {
        match self.url {
            Some(u) => match (u.find("://"), u.rfind('@')) {
                (Some(s), Some(at)) if at > s => {
                    let user = u[s + 3..at].split(':').next().unwrap_or("");
                    format!("{}{user}@{}", &u[..s + 3], &u[at + 1..])
                }
                _ => u.to_string(),
            },
            None => self.dir.display().to_string(),
        }
    }
}

/// What `serve` listens on: the HTTP API, the SSH front end, or both.
pub struct Listen<'a> {
    pub http: Option<&'a str>,
    /// The SSH address and the config its sessions' TUI takes.
    pub ssh: Option<(&'a str, &'a crate::config::Config)>,
}

/// `icp-review serve`: listen, print the addresses on stdout, serve until SIGTERM or
/// Ctrl-C, then finish the requests in flight and end the SSH sessions cleanly.
pub async fn run_serve(
    at: StoreAt<'_>,
    data: RuleData,
    provider: ProviderSettings,
    listen: Listen<'_>,
) -> ExitCode {
    #[cfg(feature = "ssh")]
    let ssh_data = Arc::new(data.clone());
    let store = match at.open(data, provider).await {
        Ok(s) => Arc::new(s),
        Err(code) => return code,
    };
    let engine = match store.engine() {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    };
    let options = super::Options {
        listen_url: match store.engine() {
            Engine::Postgres => at.url.map(str::to_string),
            Engine::Sqlite => None,
        },
        ..super::Options::default()
    };
    let hub =
        match super::events::Hub::start(store.clone(), options.listen_url.clone(), options.poll)
            .await
        {
            Ok(h) => Arc::new(h),
            Err(e) => {
                eprintln!("icp-review: serve: {}", message(&e.to_string()));
                return ExitCode::from(2);
            }
        };
    let http = listen.http.or(if listen.ssh.is_none() {
        Some("127.0.0.1:8080")
    } else {
        None
    });
    let mut running = None;
    if let Some(addr) = http {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("icp-review: serve: cannot listen on {addr}: {e}");
                return ExitCode::from(2);
            }
        };
        let r = match super::start_with_hub(store.clone(), hub.clone(), listener, options).await {
            Ok(r) => r,
            Err(e) => {
                eprintln!("icp-review: serve: {}", message(&e.to_string()));
                return ExitCode::from(2);
            }
        };
        tracing::info!(addr = %r.addr, engine, store = %at.name(), "serving");
        println!(
            "icp-review serve: listening on {} ({engine}: {})",
            r.url(),
            at.name()
        );
        running = Some(r);
    }
    #[cfg(feature = "ssh")]
    let mut ssh = None;
    if let Some((addr, config)) = listen.ssh {
        #[cfg(not(feature = "ssh"))]
        {
            let _ = (addr, config);
            eprintln!("icp-review: serve --ssh: this build has no SSH front end (feature `ssh`)");
            return ExitCode::from(2);
        }
        #[cfg(feature = "ssh")]
        {
            let listener = match tokio::net::TcpListener::bind(addr).await {
                Ok(l) => l,
                Err(e) => {
                    eprintln!("icp-review: serve: cannot listen for SSH on {addr}: {e}");
                    return ExitCode::from(2);
                }
            };
            let path = |s: &str, default: &str| {
                if s.is_empty() {
                    at.dir.join(default)
                } else {
                    std::path::PathBuf::from(s)
                }
            };
            let options = super::ssh::SshOptions {
                host_key: path(&config.ssh.host_key, "ssh_host_ed25519_key"),
                authorized_keys: (!config.ssh.authorized_keys.is_empty())
                    .then(|| std::path::PathBuf::from(&config.ssh.authorized_keys)),
                idle: std::time::Duration::from_secs(
                    u64::from(config.ssh.idle_minutes.max(1)) * 60,
                ),
                max_connections: config.ssh.max_connections as usize,
                config: Arc::new(config.clone()),
                data: ssh_data.clone(),
                export_dir: at.dir.join("exports"),
            };
            match super::ssh::start(store.clone(), hub.clone(), listener, options).await {
                Ok(s) => {
                    tracing::info!(addr = %s.addr, fingerprint = %s.fingerprint, "serving the TUI over SSH");
                    println!(
                        "icp-review serve: SSH on {} (host key {})",
                        s.addr, s.fingerprint
                    );
                    ssh = Some(s);
                }
                Err(e) => {
                    eprintln!("icp-review: serve --ssh: {}", message(&e));
                    return ExitCode::from(2);
                }
            }
        }
    }
    let _ = std::io::stdout().flush();
    let stopped_by_itself = async {
        match running.as_mut() {
            Some(r) => r.wait().await,
            None => std::future::pending().await,
        }
    };
    let code = tokio::select! {
        _ = super::shutdown_signal() => ExitCode::SUCCESS,
        r = stopped_by_itself => {
            eprintln!("icp-review: serve: the server stopped: {}", r.err().map_or_else(|| "no error".into(), |e| e.to_string()));
            ExitCode::from(2)
        }
    };
    #[cfg(feature = "ssh")]
    if let Some(s) = ssh {
        s.stop().await;
    }
    if let Some(r) = running
        && code == ExitCode::SUCCESS
    {
        r.begin_shutdown();
        let mut r = r;
        if let Err(e) = r.wait().await {
            eprintln!("icp-review: serve: {e}");
            return ExitCode::from(2);
        }
    }
    tracing::info!("stopped");
    code
}

/// `icp-review token add|list|revoke`.
pub async fn run_token(
    at: StoreAt<'_>,
    data: RuleData,
    provider: ProviderSettings,
    command: &TokenCommand,
) -> ExitCode {
    let store = match at.open(data, provider).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    match command {
        TokenCommand::Add {
            name,
            role,
            ssh_key,
        } => {
            let role = match role {
                TokenRole::Reviewer => Role::Reviewer,
                TokenRole::Lead => Role::Lead,
            };
            if let Some(file) = ssh_key {
                return add_ssh_key(&store, &at, name, role, file).await;
            }
            match store.token_add(name, role).await {
                Ok(token) => {
                    println!(
                        "token for {} ({}) in {}; it is shown only now, keep it in a file only its owner can read:",
                        crate::domain::safe::excerpt(name),
                        role.as_str(),
                        at.name()
                    );
                    println!("{token}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("icp-review: token add: {}", message(&e.to_string()));
                    ExitCode::from(2)
                }
            }
        }
        TokenCommand::List { format } => match store.token_list().await {
            Ok(list) => {
                match format {
                    OutputFormat::Json => println!(
                        "{}",
                        serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
                    ),
                    OutputFormat::Text => {
                        for t in &list {
                            let created = crate::queue::time::rfc3339_shanghai(t.created_ms);
                            let state = match t.revoked_ms {
                                Some(r) => {
                                    format!("revoked {}", crate::queue::time::rfc3339_shanghai(r))
                                }
                                None => "live".into(),
                            };
                            println!(
                                "{:<24} {:<8} created {created}  {state}",
                                crate::domain::safe::excerpt(&t.name),
                                t.role.as_str()
                            );
                        }
                    }
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("icp-review: token list: {}", message(&e.to_string()));
                ExitCode::from(2)
            }
        },
        TokenCommand::Revoke { name } => match store.token_revoke(name).await {
            Ok(()) => {
                println!(
                    "revoked the token of {}",
                    crate::domain::safe::excerpt(name)
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("icp-review: token revoke: {}", message(&e.to_string()));
                ExitCode::from(1)
            }
        },
    }
}

/// `token add NAME --ssh-key FILE.pub`: the key opens SSH sessions as NAME. NAME gets a
/// token first when it has none (printed last, as without the key).
async fn add_ssh_key(
    store: &Store,
    at: &StoreAt<'_>,
    name: &str,
    role: Role,
    file: &Path,
) -> ExitCode {
    #[cfg(not(feature = "ssh"))]
    {
        let _ = (store, at, name, role, file);
        eprintln!(
            "icp-review: token add --ssh-key: this build has no SSH front end (feature `ssh`)"
        );
        ExitCode::from(2)
    }
    #[cfg(feature = "ssh")]
    {
        let (key, fingerprint) = match super::ssh::keys::read_public_key(file) {
            Ok(k) => k,
            Err(e) => {
                eprintln!("icp-review: token add: {}", message(&e));
                return ExitCode::from(2);
            }
        };
        // A key opens sessions as one person only: said before any token is made.
        if let Ok(Some(holder)) = store.ssh_key_actor(&fingerprint).await
            && holder.name != name
        {
            eprintln!(
                "icp-review: token add: the key {fingerprint} already belongs to {}",
                crate::domain::safe::excerpt(&holder.name)
            );
            return ExitCode::from(2);
        }
        let live = match store.token_list().await {
            Ok(list) => list
                .into_iter()
                .find(|t| t.name == name && t.revoked_ms.is_none()),
            Err(e) => {
                eprintln!("icp-review: token add: {}", message(&e.to_string()));
                return ExitCode::from(2);
            }
        };
        let token = match &live {
            Some(_) => None,
            None => match store.token_add(name, role).await {
                Ok(t) => Some(t),
                Err(e) => {
                    eprintln!("icp-review: token add: {}", message(&e.to_string()));
                    return ExitCode::from(2);
                }
            },
        };
        if let Err(e) = store.ssh_key_add(name, &key, &fingerprint).await {
            eprintln!("icp-review: token add: {}", message(&e.to_string()));
            return ExitCode::from(2);
        }
        let shown = crate::domain::safe::excerpt(name);
        match (live, token) {
            (Some(t), _) => {
                println!(
                    "the SSH key {fingerprint} now opens sessions as {shown} ({}, the role of the token {shown} already holds)",
                    t.role.as_str()
                );
            }
            (None, Some(token)) => {
                println!(
                    "the SSH key {fingerprint} opens sessions as {shown} ({})",
                    role.as_str()
                );
                println!(
                    "token for {shown} ({}) in {}; it is shown only now, keep it in a file only its owner can read:",
                    role.as_str(),
                    at.name()
                );
                println!("{token}");
            }
            (None, None) => {}
        }
        ExitCode::SUCCESS
    }
}

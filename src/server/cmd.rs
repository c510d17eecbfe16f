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

/// `icp-review serve`: listen, print the address on stdout, serve until SIGTERM or
/// Ctrl-C, then finish the requests in flight.
pub async fn run_serve(
    at: StoreAt<'_>,
    data: RuleData,
    provider: ProviderSettings,
    listen: &str,
) -> ExitCode {
    let store = match at.open(data, provider).await {
        Ok(s) => Arc::new(s),
        Err(code) => return code,
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("icp-review: serve: cannot listen on {listen}: {e}");
            return ExitCode::from(2);
        }
    };
    let options = super::Options {
        listen_url: match store.engine() {
            Engine::Postgres => at.url.map(str::to_string),
            Engine::Sqlite => None,
        },
        ..super::Options::default()
    };
    let engine = match store.engine() {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgres",
    };
    let mut running = match super::start(store, listener, options).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("icp-review: serve: {}", message(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    tracing::info!(addr = %running.addr, engine, store = %at.name(), "serving");
    println!(
        "icp-review serve: listening on {} ({engine}: {})",
        running.url(),
        at.name()
    );
    let _ = std::io::stdout().flush();
    tokio::select! {
        _ = super::shutdown_signal() => {
            running.begin_shutdown();
            match running.wait().await {
                Ok(()) => {
                    tracing::info!("stopped");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("icp-review: serve: {e}");
                    ExitCode::from(2)
                }
            }
        }
        r = running.wait() => {
            eprintln!("icp-review: serve: the server stopped: {}", r.err().map_or_else(|| "no error".into(), |e| e.to_string()));
            ExitCode::from(2)
        }
    }
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
        TokenCommand::Add { name, role } => {
            let role = match role {
                TokenRole::Reviewer => Role::Reviewer,
                TokenRole::Lead => Role::Lead,
            };
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

use clap::Parser;
use icp_review::cli::{AuditCommand, Cli, Command, Lang, OutputFormat};
use icp_review::config::{Config, Language};
use icp_review::domain::safe::{excerpt, message};
use icp_review::queue::{self, Queue};
use icp_review::server::cmd::StoreAt;
use icp_review::{check, rules};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("icp-review: config: {e}");
            return ExitCode::from(2);
        }
    };
    let data_dir = data_dir(&cli, &config);
    // A server logs to standard error (its operator's terminal or journal) and to the file.
    let serving = matches!(cli.command, Some(Command::Serve { .. }));
    let _log = init_logging(&config, data_dir.as_deref(), serving);
    match cli.command {
        Some(Command::Serve { listen, ssh }) => {
            let Some(dir) = data_dir else {
                eprintln!("icp-review: no data directory (give --data-dir)");
                return ExitCode::from(2);
            };
            let (data, provider) = match rule_inputs(&config) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let url = database_url(&cli.database_url, &config);
            let at = StoreAt {
                dir: &dir,
                url: url.as_deref(),
            };
            let listen = icp_review::server::cmd::Listen {
                http: listen.as_deref(),
                ssh: ssh.as_deref().map(|a| (a, &config)),
            };
            runtime().block_on(icp_review::server::cmd::run_serve(
                at, data, provider, listen,
            ))
        }
        Some(Command::Token { command }) => {
            let Some(dir) = data_dir else {
                eprintln!("icp-review: no data directory (give --data-dir)");
                return ExitCode::from(2);
            };
            let (data, provider) = match rule_inputs(&config) {
                Ok(x) => x,
                Err(code) => return code,
            };
            let url = database_url(&cli.database_url, &config);
            let at = StoreAt {
                dir: &dir,
                url: url.as_deref(),
            };
            runtime().block_on(icp_review::server::cmd::run_token(
                at, data, provider, &command,
            ))
        }
        Some(Command::Check {
            format,
            lang,
            no_materials,
            files,
        }) => run_check(&config, format, lang, no_materials, &files),
        Some(Command::Rules { format }) => {
            let mut out = std::io::stdout().lock();
            let r = match format {
                OutputFormat::Json => serde_json::to_writer_pretty(&mut out, rules::CATALOGUE)
                    .map_err(std::io::Error::from)
                    .and_then(|_| writeln!(out)),
                OutputFormat::Text => writeln!(
                    out,
                    "# review rules, catalogue version {} ({} rules)",
                    rules::CATALOGUE_VERSION,
                    rules::CATALOGUE.len()
                )
                .and_then(|_| {
                    rules::CATALOGUE.iter().try_for_each(|m| {
                        writeln!(out, "{:<34} {:<10} {}", m.id, m.severity, m.title_en)
                    })
                }),
            };
            if r.is_err() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        Some(Command::Audit {
            command: AuditCommand::Verify { format },
        }) => {
            let Some(dir) = data_dir else {
                eprintln!("icp-review: no data directory (give --data-dir)");
                return ExitCode::from(2);
            };
            let url = database_url(&cli.database_url, &config);
            runtime().block_on(run_audit_verify(&config, &dir, url.as_deref(), format))
        }
        Some(Command::Calls { from, to, ics }) => {
            let Some(dir) = data_dir else {
                eprintln!("icp-review: no data directory (give --data-dir)");
                return ExitCode::from(2);
            };
            let url = database_url(&cli.database_url, &config);
            runtime().block_on(run_calls(&config, &dir, url.as_deref(), from, to, ics))
        }
        Some(Command::Report { from, to, format }) => {
            let Some(dir) = data_dir else {
                eprintln!("icp-review: no data directory (give --data-dir)");
                return ExitCode::from(2);
            };
            let url = database_url(&cli.database_url, &config);
            runtime().block_on(run_report(
                &config,
                &dir,
                url.as_deref(),
                &from,
                &to,
                format,
            ))
        }
        Some(Command::Import { files }) => {
            let Some(dir) = data_dir else {
                eprintln!("icp-review: no data directory (give --data-dir)");
                return ExitCode::from(2);
            };
            let url = database_url(&cli.database_url, &config);
            runtime().block_on(run_import(&config, &dir, url.as_deref(), &files))
        }
        None => {
            let server = match team_server(&cli, &config) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("icp-review: {e}");
                    return ExitCode::from(2);
                }
            };
            let Some(dir) = data_dir else {
                eprintln!("icp-review: no data directory (give --data-dir)");
                return ExitCode::from(2);
            };
            // Without a terminal there is nothing to draw on: say so before touching the
            // store (no data directory created, no demo orders imported).
            if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
                eprintln!(
                    "icp-review: the review screen needs a terminal (standard input and output are not one); use `icp-review check FILE...` for scripts"
                );
                return ExitCode::from(2);
            }
            let url = database_url(&cli.database_url, &config);
            runtime().block_on(run_tui(
                &config,
                &dir,
                url.as_deref(),
                server,
                cli.follow.as_deref(),
            ))
        }
    }
}

/// The team server to work against (`--server`, `ICP_REVIEW_SERVER` or the config) and
/// its token (`--token-file`, `ICP_REVIEW_TOKEN` or the config's `token`), or none for
/// the embedded store.
fn team_server(cli: &Cli, config: &Config) -> Result<Option<(String, String)>, String> {
    let url = cli
        .server
        .clone()
        .filter(|u| !u.is_empty())
        .or_else(|| (!config.server.is_empty()).then(|| config.server.clone()));
    let Some(url) = url else {
        return Ok(None);
    };
    let token = match &cli.token_file {
        Some(f) => std::fs::read_to_string(f)
            .map_err(|e| format!("token file {}: {e}", excerpt(&f.display().to_string())))?
            .trim()
            .to_string(),
        None => std::env::var("ICP_REVIEW_TOKEN")
            .ok()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| config.token.clone())
            .trim()
            .to_string(),
    };
    if token.is_empty() {
        return Err(format!(
            "the team server {} needs a token: --token-file FILE, ICP_REVIEW_TOKEN or `token` in the config (a lead makes one with `icp-review token add NAME`)",
            excerpt(&url)
        ));
    }
    Ok(Some((url, token)))
}

/// `--database-url` / `ICP_REVIEW_DATABASE_URL`, else the config's `database_url`.
fn database_url(flag: &Option<String>, config: &Config) -> Option<String> {
    flag.clone()
        .filter(|u| !u.is_empty())
        .or_else(|| (!config.database_url.is_empty()).then(|| config.database_url.clone()))
}

/// The queue store: a named database, or the embedded one in `dir` (demo orders on first start).
async fn open_store(
    dir: &Path,
    url: Option<&str>,
    data: rules::RuleData,
    provider: rules::ProviderSettings,
) -> Result<queue::store::Store, ExitCode> {
    let opened = match url {
        Some(u) => queue::store::Store::open(u, Arc::new(data), Arc::new(provider)).await,
        None => queue::open_embedded(dir, Arc::new(data), Arc::new(provider)).await,
    };
    opened.map_err(|e| {
        eprintln!(
            "icp-review: store {}: {}",
            store_name(dir, url),
            message(&e.to_string())
        );
        ExitCode::from(2)
    })
}

/// The store as messages name it (a database URL without its password).
fn store_name(dir: &Path, url: Option<&str>) -> String {
    match url {
        Some(u) => match (u.find("://"), u.rfind('@')) {
            (Some(s), Some(at)) if at > s => {
                let user = u[s + 3..at].split(':').next().unwrap_or("");
                format!("{}{user}@{}", &u[..s + 3], &u[at + 1..])
            }
            _ => u.to_string(),
        },
        None => dir.display().to_string(),
    }
}

/// `icp-review audit verify`: the whole chain, first broken link named.
async fn run_audit_verify(
    config: &Config,
    dir: &Path,
    url: Option<&str>,
    format: OutputFormat,
) -> ExitCode {
    let (data, provider) = match rule_inputs(config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let opened = match url {
        Some(u) => {
            queue::store::Store::open_unverified(u, Arc::new(data), Arc::new(provider)).await
        }
        None => {
            queue::store::Store::open_unverified(
                &format!("sqlite://{}", dir.join("queue.db").display()),
                Arc::new(data),
                Arc::new(provider),
            )
            .await
        }
    };
    let store = match opened {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "icp-review: store {}: {}",
                store_name(dir, url),
                message(&e.to_string())
            );
            return ExitCode::from(2);
        }
    };
    let verdict = match store.verify_audit().await {
        Ok(v) => v,
        Err(e) => {
            eprintln!("icp-review: audit: {}", message(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    match format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string(&verdict).unwrap_or_else(|_| "{}".into())
        ),
        OutputFormat::Text => match &verdict.broken {
            None => println!(
                "audit chain intact: {} rows checked ({} older rows before the chain), head {}",
                verdict.rows, verdict.unchained, verdict.head
            ),
            Some(b) if b.seq == 0 => println!("audit chain broken: {}", b.problem),
            Some(b) => println!("audit chain broken at row {}: {}", b.seq, b.problem),
        },
    }
    if verdict.broken.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// `--data-dir` / `ICP_REVIEW_DATA_DIR`, else the config's `data_dir`, else the user's data directory.
fn data_dir(cli: &Cli, config: &Config) -> Option<PathBuf> {
    cli.data_dir
        .clone()
        .or_else(|| (!config.data_dir.is_empty()).then(|| PathBuf::from(&config.data_dir)))
        .or_else(icp_review::config::default_data_dir)
}

/// Logs go to a file, never to the terminal the TUI draws on.
fn init_logging(
    config: &Config,
    data_dir: Option<&Path>,
    also_stderr: bool,
) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let path = if !config.log_file.is_empty() {
        PathBuf::from(&config.log_file)
    } else {
        data_dir?.join("icp-review.log")
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("ICP_REVIEW_LOG")
        .unwrap_or_else(|_| "info".into());
    if also_stderr {
        use tracing_subscriber::fmt::writer::MakeWriterExt;
        tracing_subscriber::fmt()
            .with_writer(writer.and(std::io::stderr))
            .with_ansi(false)
            .with_env_filter(filter)
            .try_init()
            .ok()?;
    } else {
        tracing_subscriber::fmt()
            .with_writer(writer)
            .with_ansi(false)
            .with_env_filter(filter)
            .try_init()
            .ok()?;
    }
    Some(guard)
}

/// The config's `materials_root`, when set.
fn materials_root(config: &Config) -> Option<PathBuf> {
    (!config.materials_root.is_empty()).then(|| PathBuf::from(&config.materials_root))
}

fn rule_inputs(config: &Config) -> Result<(rules::RuleData, rules::ProviderSettings), ExitCode> {
    let data = config.rule_data().map_err(|e| {
        eprintln!("icp-review: rule data: {e}");
        ExitCode::from(2)
    })?;
    let provider = config.provider_settings().map_err(|e| {
        eprintln!("icp-review: config: {e}");
        ExitCode::from(2)
    })?;
    Ok((data, provider))
}

async fn run_tui(
    config: &Config,
    dir: &Path,
    url: Option<&str>,
    server: Option<(String, String)>,
    follow: Option<&str>,
) -> ExitCode {
    let (data, provider) = match rule_inputs(config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    // A team server says who the token belongs to: that is the reviewer on screen.
    let remote = match server {
        Some((server_url, token)) => {
            match queue::http::HttpQueue::connect(&server_url, &token).await {
                Ok(q) => Some(Arc::new(q)),
                Err(e) => {
                    eprintln!(
                        "icp-review: team server {}: {}",
                        excerpt(&server_url),
                        message(&e.to_string())
                    );
                    return ExitCode::from(2);
                }
            }
        }
        None => None,
    };
    let reviewer = match &remote {
        Some(q) => q.actor().name.clone(),
        None if config.reviewer.is_empty() => {
            std::env::var("USER").unwrap_or_else(|_| "reviewer".into())
        }
        None => config.reviewer.clone(),
    };
    let mut settings = match icp_review::tui::setup::settings(
        config,
        &reviewer,
        &data,
        &icp_review::tui::setup::TermEnv::local(),
    ) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("icp-review: config: {e}");
            return ExitCode::from(2);
        }
    };
    let reasons = data.reasons.clone();
    if let Some(q) = remote {
        // Over HTTP the server's roles decide what the leads' keys may do.
        settings.lead = q.actor().role == queue::Role::Lead;
        let mut app = icp_review::tui::app::App::new(settings, reasons, queue::time::now_ms());
        if let Some(name) = follow {
            app.follow_at_start(name);
        }
        let journal = open_journal(dir, &mut app);
        tracing::info!(dir = %dir.display(), "tui started against a team server");
        return match icp_review::tui::run_with(q, app, journal, Vec::new()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("icp-review: terminal: {e}");
                ExitCode::from(2)
            }
        };
    }
    // The embedded store's first start imports the demo orders on a task, so that the
    // screen shows at once (saying so) instead of staying blank through the import.
    let (store, first_start) = match url {
        Some(_) => match open_store(dir, url, data, provider).await {
            Ok(s) => (s, false),
            Err(code) => return code,
        },
        None => {
            match queue::open_embedded_unseeded(dir, Arc::new(data), Arc::new(provider)).await {
                Ok(x) => x,
                Err(e) => {
                    eprintln!(
                        "icp-review: store {}: {}",
                        store_name(dir, url),
                        message(&e.to_string())
                    );
                    return ExitCode::from(2);
                }
            }
        }
    };
    let mut app = icp_review::tui::app::App::new(settings, reasons, queue::time::now_ms());
    if let Some(name) = follow {
        app.follow_at_start(name);
    }
    let mut background = Vec::new();
    if first_start {
        app.seeding_started();
        let (seed_store, seed_dir) = (store.clone(), dir.to_path_buf());
        background.push(Box::pin(async move {
            icp_review::tui::action::Action::Seeded {
                result: queue::seed_embedded(&seed_store, &seed_dir).await,
            }
        }) as futures::future::BoxFuture<'static, _>);
    }
    // Decisions inside their undo window are journalled to disk; those a crash left unsent
    // are offered first.
    let journal = open_journal(dir, &mut app);
    tracing::info!(dir = %dir.display(), "tui started");
    // On the embedded store the local user runs the desk: a lead (reopen, reassign).
    let queue = queue::LocalQueue::new(Arc::new(store), queue::Actor::lead(reviewer));
    match icp_review::tui::run_with(Arc::new(queue), app, journal, background).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("icp-review: terminal: {e}");
            ExitCode::from(2)
        }
    }
}

/// The journal of pending decisions in `dir`; those a crash left unsent are offered
/// first. Without it the app still runs, and says so.
fn open_journal(
    dir: &Path,
    app: &mut icp_review::tui::app::App,
) -> Option<Arc<queue::journal::Journal>> {
    match queue::journal::Journal::open(dir) {
        Ok(j) => {
            app.offer_unsent(j.unsent());
            Some(Arc::new(j))
        }
        Err(e) => {
            tracing::error!(error = %e, dir = %dir.display(), "pending-decision journal unavailable");
            app.notice(icp_review::tui::text::L::JournalUnavailable, true);
            None
        }
    }
}

/// `icp-review calls`: the agenda by day, or iCalendar with `--ics`.
async fn run_calls(
    config: &Config,
    dir: &Path,
    url: Option<&str>,
    from: Option<String>,
    to: Option<String>,
    ics: bool,
) -> ExitCode {
    let today = jiff::Timestamp::now()
        .to_zoned(queue::time::shanghai())
        .date()
        .to_string();
    let from = from.unwrap_or(today);
    let to = match to {
        Some(t) => t,
        None => match from.parse::<jiff::civil::Date>() {
            Ok(d) => d
                .checked_add(jiff::Span::new().days(7))
                .map(|d| d.to_string())
                .unwrap_or_else(|_| from.clone()),
            Err(_) => from.clone(),
        },
    };
    let (f, t) = match icp_review::report::period(&from, &to) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("icp-review: calls: {e}");
            return ExitCode::from(2);
        }
    };
    let (data, provider) = match rule_inputs(config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let store = match open_store(dir, url, data, provider).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    let (lo, hi) = icp_review::report::bounds_ms(f, t);
    let calls = match store.calls(lo, hi).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("icp-review: calls: {}", message(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    let now = queue::time::now_ms();
    let mut out = std::io::stdout().lock();
    let written = if ics {
        out.write_all(icp_review::agenda::to_ics(&calls, now).as_bytes())
    } else {
        (|| {
            for d in icp_review::agenda::by_day(&calls) {
                writeln!(out, "{}", d.day)?;
                for c in &d.calls {
                    let due = match icp_review::agenda::due(c, now) {
                        icp_review::domain::calls::CallDue::Overdue => "OVERDUE",
                        icp_review::domain::calls::CallDue::DueNow => "DUE NOW",
                        _ => "",
                    };
                    let time = c.at.get(11..16).unwrap_or(&c.at);
                    writeln!(
                        out,
                        "  {time} {:<16} {:<14} {:<16} {:<10} {:<16} {due}",
                        excerpt(&c.order),
                        excerpt(&c.phone),
                        excerpt(&c.who),
                        excerpt(&c.reviewer),
                        c.outcome.map(|o| o.as_str()).unwrap_or("-"),
                    )?;
                }
            }
            Ok(())
        })()
    };
    if written.is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

/// `icp-review report --from --to [--format csv|json]`.
async fn run_report(
    config: &Config,
    dir: &Path,
    url: Option<&str>,
    from: &str,
    to: &str,
    format: icp_review::cli::ReportFormat,
) -> ExitCode {
    let (f, t) = match icp_review::report::period(from, to) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("icp-review: report: {e}");
            return ExitCode::from(2);
        }
    };
    let (data, provider) = match rule_inputs(config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let store = match open_store(dir, url, data, provider).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    // The same computation as the TUI's stats screen and the server's `GET /v1/report`.
    let queue = queue::LocalQueue::new(Arc::new(store), queue::Actor::lead("report"));
    let report = match queue.report(f, t, config.review_days).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("icp-review: report: {}", message(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    let text = match format {
        icp_review::cli::ReportFormat::Csv => report.to_csv(),
        icp_review::cli::ReportFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => s + "\n",
            Err(e) => {
                eprintln!("icp-review: report: {e}");
                return ExitCode::from(2);
            }
        },
    };
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}

async fn run_import(config: &Config, dir: &Path, url: Option<&str>, files: &[PathBuf]) -> ExitCode {
    let (data, provider) = match rule_inputs(config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let store = match open_store(dir, url, data, provider).await {
        Ok(s) => s,
        Err(code) => return code,
    };
    let actor = if config.reviewer.is_empty() {
        "import".to_string()
    } else {
        format!("import:{}", config.reviewer)
    };
    let root = materials_root(config);
    let store = Arc::new(store);
    let importer = queue::LocalQueue::new(store.clone(), queue::Actor::reviewer(actor));
    let mut failed = false;
    for f in files {
        let shown = excerpt(&f.display().to_string());
        match queue::demo::import_file_under(&importer, f, root.as_deref()).await {
            Ok(o) => println!(
                "{shown}: {} imported as {} (version {})",
                excerpt(&o.order),
                o.status,
                o.version
            ),
            Err(e) => {
                failed = true;
                let at = match &e {
                    queue::QueueError::Invalid {
                        path: Some(p),
                        message: m,
                    } => format!("{}: {}", excerpt(p), message(m)),
                    e => message(&e.to_string()),
                };
                eprintln!("icp-review: {shown}: {at}");
            }
        }
    }
    match store.stats().await {
        Ok(stats) => println!(
            "{} orders in {}, {} awaiting review",
            stats.total,
            store_name(dir, url),
            stats.awaiting_review
        ),
        Err(e) => {
            eprintln!(
                "icp-review: store {}: cannot count the orders: {}",
                store_name(dir, url),
                message(&e.to_string())
            );
            return ExitCode::from(2);
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_check(
    config: &Config,
    format: OutputFormat,
    lang: Option<Lang>,
    no_materials: bool,
    files: &[PathBuf],
) -> ExitCode {
    let (data, provider) = match rule_inputs(config) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let (orders, bad) = check::read_orders(files);
    for e in &bad {
        eprintln!("icp-review: {e}");
    }
    let root = materials_root(config);
    let checked =
        check::check_orders_under(orders, !no_materials, root.as_deref(), &data, &provider);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let english = match lang {
        Some(Lang::En) => true,
        Some(Lang::Zh) => false,
        None => config.language == Language::En,
    };
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let written = match format {
        OutputFormat::Json => check::write_json(&mut out, &checked),
        OutputFormat::Text => check::write_text(&mut out, &checked, english, colour),
    }
    .and_then(|_| out.flush());
    if written.is_err() {
        return ExitCode::from(2);
    }
    ExitCode::from(check::exit_code(&checked, bad.len()) as u8)
}

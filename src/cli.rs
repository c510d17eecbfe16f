//! Command-line interface (clap). No subcommand opens the TUI.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "icp-review",
    version,
    about = "First review (初审) of ICP filing orders: rule engine, queue and reviewer TUI"
)]
pub struct Cli {
    /// Configuration file (default: config.toml in the user's config directory).
    #[arg(long, global = true, env = "ICP_REVIEW_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory of the embedded store (default: the user's data directory).
    #[arg(long, global = true, env = "ICP_REVIEW_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A queue database instead of the embedded store: postgres://USER@HOST/DB or
    /// sqlite://PATH (default: config `database_url`, else the embedded store).
    #[arg(long, global = true, env = "ICP_REVIEW_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Team queue server URL (the TUI works against it instead of the embedded store).
    #[arg(long, global = true, env = "ICP_REVIEW_SERVER")]
    pub server: Option<String>,
    /// File holding the bearer token for `--server` (else `ICP_REVIEW_TOKEN`, else the
    /// config's `token`).
    #[arg(long, global = true)]
    pub token_file: Option<PathBuf>,
    /// Start following this person (pairing): show what they show; no decisions until
    /// `:unfollow`.
    #[arg(long, value_name = "NAME")]
    pub follow: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Zh,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check order files with every rule; exit 0 clean, 1 blocking findings, 2 bad input.
    Check {
        /// `text` for people, `json` for one JSON object per order per line.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Language of the messages in text output (default from config).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        /// Do not read material files (no byte checks).
        #[arg(long)]
        no_materials: bool,
        /// Order JSON files; checked together, so cross-order rules see all of them.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Import order files into the embedded store (material files are copied in).
    Import {
        /// Order JSON files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The call agenda: scheduled verification calls by day (Asia/Shanghai), or with
    /// `--ics` an iCalendar file on stdout (one event per call).
    Calls {
        /// First day, YYYY-MM-DD (default: today).
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD, included (default: seven days after `from`).
        #[arg(long)]
        to: Option<String>,
        /// Print iCalendar instead of the agenda.
        #[arg(long)]
        ics: bool,
    },
    /// The leads' report of a period: decisions per reviewer per day, time to the first
    /// decision, the share within the deadline, rejection reasons, bureau rejections.
    Report {
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD, included.
        #[arg(long)]
        to: String,
        #[arg(long, value_enum, default_value = "json")]
        format: ReportFormat,
    },
    /// List the rule catalogue.
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Serve the queue API (spec/api.md) over HTTP: the store in the data directory, or
    /// the database of --database-url (PostgreSQL for several servers).
    Serve {
        /// Address and port of the HTTP API (port 0: any free port, printed at start).
        /// Default 127.0.0.1:8080, unless only --ssh is given.
        #[arg(long, env = "ICP_REVIEW_LISTEN")]
        listen: Option<String>,
        /// Also (or, without --listen, only) serve the reviewer TUI over SSH on this
        /// address: `ssh -t -p PORT HOST` reviews, `ssh -t -p PORT HOST follow NAME`
        /// follows someone. Keys: `token add NAME --ssh-key FILE.pub` or the config's
        /// `[ssh] authorized_keys`.
        #[arg(long, value_name = "ADDR")]
        ssh: Option<String>,
    },
    /// API tokens of the team server (stored hashed in the queue's database).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenRole {
    Reviewer,
    Lead,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make a token for NAME; the token is printed once, as the last line.
    Add {
        /// The caller's name, as claims and the audit log show it.
        name: String,
        #[arg(long, value_enum, default_value = "reviewer")]
        role: TokenRole,
        /// Also let this public key (an OpenSSH `.pub` file) open SSH sessions as NAME
        /// (`serve --ssh`). When NAME already has a token, only the key is added.
        #[arg(long, value_name = "FILE.pub")]
        ssh_key: Option<std::path::PathBuf>,
    },
    /// Every token's name, role and dates (never the tokens).
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Revoke NAME's token: it stops working at once.
    Revoke { name: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain from the first row to the last; exit 0 when it
    /// holds, 1 with the first broken link, 2 when the store cannot be read.
    Verify {
        /// `text` for people, `json` for one JSON object.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
}

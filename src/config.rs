//! Configuration: built-in defaults (`assets/default-config.toml`) overlaid by the
//! user's file (`--config FILE`, else `config.toml` in the user's config directory).
//! Every key is documented in `config.example.toml`.

use crate::rules::{IpRange, ProviderSettings, RuleData};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DEFAULTS: &str = include_str!("../assets/default-config.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum Language {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    #[serde(default)]
    pub ip_ranges: Vec<String>,
}

/// The SSH front end of `serve --ssh`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SshConfig {
    /// An authorized_keys-style file: `[role="lead"] TYPE BASE64 NAME` per line.
    #[serde(default)]
    pub authorized_keys: String,
    /// The host key file; empty for `ssh_host_ed25519_key` in the data directory.
    #[serde(default)]
    pub host_key: String,
    /// Minutes without a key after which a session ends.
    #[serde(default = "sixty")]
    pub idle_minutes: u32,
    /// SSH connections open at once; more are closed at once.
    #[serde(default = "max_connections")]
    pub max_connections: u32,
}

fn max_connections() -> u32 {
    256
}

impl Default for SshConfig {
    fn default() -> Self {
        SshConfig {
            authorized_keys: String::new(),
            host_key: String::new(),
            idle_minutes: 60,
            max_connections: max_connections(),
        }
    }
}

fn sixty() -> u32 {
    60
}

/// The whole configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub language: Language,
    #[serde(default = "dark")]
    pub theme: String,
    /// Reviewer id written into decisions and the audit log.
    #[serde(default)]
    pub reviewer: String,
    /// URL of a team queue server; empty for the embedded store.
    #[serde(default)]
    pub server: String,
    /// Bearer token for the server.
    #[serde(default)]
    pub token: String,
    /// Where the embedded store lives; empty for the user's data directory.
    #[serde(default)]
    pub data_dir: String,
    /// PostgreSQL or SQLite URL for `serve`.
    #[serde(default)]
    pub database_url: String,
    /// A directory replacing the built-in rule data (`assets/rules`).
    #[serde(default)]
    pub rules_dir: String,
    /// The folder material files may be read from by `check` and `import`; empty: each
    /// order file's own folder.
    #[serde(default)]
    pub materials_root: String,
    /// Log file; empty for `icp-review.log` in the data directory.
    #[serde(default)]
    pub log_file: String,
    /// Seconds a decision waits, undoable with `z`, before it is sent.
    #[serde(default = "five")]
    pub undo_seconds: u32,
    #[serde(default)]
    pub provider: ProviderConfig,
    #[serde(default)]
    pub ssh: SshConfig,
    /// Key bindings: command (or `layer.command`) → keys (see `config.example.toml`).
    #[serde(default)]
    pub keymap: BTreeMap<String, Vec<String>>,
    /// Theme role overrides: role → style (`block = "red bold"`).
    #[serde(default)]
    pub colors: BTreeMap<String, String>,
    /// Where the selection goes after a decision: "next_undecided" or "stay".
    #[serde(default = "next_undecided")]
    pub after_decision: String,
    /// How the selected row of a list is shown: "marker" (▶ and the order id in the
    /// selection colours) or "row" (the whole row).
    #[serde(default = "marker")]
    pub selection: String,
    /// Working days a first review may take (the deadline column).
    #[serde(default = "two")]
    pub review_days: u32,
    /// How material pictures are drawn: "auto" (ask the terminal) or "halfblocks".
    #[serde(default = "auto")]
    pub images: String,
}

fn auto() -> String {
    "auto".into()
}

fn marker() -> String {
    "marker".into()
}

fn next_undecided() -> String {
    "next_undecided".into()
}

fn two() -> u32 {
    2
}

fn five() -> u32 {
    5
}

fn dark() -> String {
    "dark".into()
}

/// A configuration problem, naming the file and key.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub message: String,
}

impl Config {
    /// The built-in defaults.
    pub fn defaults() -> Config {
        toml::from_str(DEFAULTS).expect("built-in default config parses")
    }

    /// Load: defaults, then the user's file (explicit path, or the standard one if it exists).
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => default_config_path().filter(|p| p.exists()),
        };
        let Some(path) = path else {
            return Ok(Config::defaults());
        };
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// Parse a user file over the defaults (keys absent from the file keep their default).
    pub fn from_toml(text: &str, file: &str) -> Result<Config, ConfigError> {
        let err = |message: String| ConfigError {
            file: file.to_string(),
            message,
        };
        let mut base: toml::Table = toml::from_str(DEFAULTS).map_err(|e| err(e.to_string()))?;
        let user: toml::Table = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        merge(&mut base, user);
        let config: Config = toml::Value::Table(base)
            .try_into()
            .map_err(|e: toml::de::Error| err(e.to_string()))?;
        config.provider_settings().map_err(err)?;
        if !matches!(config.after_decision.as_str(), "next_undecided" | "stay") {
            return Err(err(format!(
                "after_decision: expected \"next_undecided\" or \"stay\", found {:?}",
                config.after_decision
            )));
        }
        if !matches!(config.images.as_str(), "auto" | "halfblocks") {
            return Err(err(format!(
                "images: expected \"auto\" or \"halfblocks\", found {:?}",
                config.images
            )));
        }
        if !matches!(config.selection.as_str(), "marker" | "row") {
            return Err(err(format!(
                "selection: expected \"marker\" or \"row\", found {:?}",
                config.selection
            )));
        }
        if !(1..=30).contains(&config.review_days) {
            return Err(err(format!(
                "review_days: expected 1 to 30 working days, found {}",
                config.review_days
            )));
        }
        if !matches!(config.theme.as_str(), "dark" | "light" | "mono") {
            return Err(err(format!(
                "theme: expected \"dark\", \"light\" or \"mono\", found {:?}",
                config.theme
            )));
        }
        Ok(config)
    }

    /// Provider settings for the rules.
    pub fn provider_settings(&self) -> Result<ProviderSettings, String> {
        let ip_ranges = self
            .provider
            .ip_ranges
            .iter()
            .enumerate()
            .map(|(i, r)| IpRange::parse(r).map_err(|e| format!("provider.ip_ranges[{i}]: {e}")))
            .collect::<Result<_, _>>()?;
        Ok(ProviderSettings { ip_ranges })
    }

    /// Rule data: `rules_dir` when set, else the built-in tables.
    pub fn rule_data(&self) -> Result<RuleData, crate::rules::data::DataError> {
        if self.rules_dir.is_empty() {
            RuleData::embedded()
        } else {
            RuleData::from_dir(Path::new(&self.rules_dir))
        }
    }
}

fn merge(base: &mut toml::Table, user: toml::Table) {
    for (k, v) in user {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(u)) => merge(b, u),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "icp-review")
}

/// `config.toml` in the user's config directory.
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The user's data directory (embedded store, logs).
pub fn default_data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c = Config::defaults();
        assert_eq!(c.language, Language::Zh);
        assert!(!c.provider_settings().unwrap().ip_ranges.is_empty());
        let c = Config::from_toml(
            "language = \"en\"\n[provider]\nip_ranges = [\"10.0.0.0/8\"]",
            "x.toml",
        )
        .unwrap();
        assert_eq!(c.language, Language::En);
        assert_eq!(c.provider.ip_ranges.len(), 1);
        let e = Config::from_toml("[provider]\nip_ranges = [\"nonsense\"]", "x.toml").unwrap_err();
        assert!(e.to_string().contains("provider.ip_ranges[0]"), "{e}");
        let e = Config::from_toml("colour = 3", "x.toml").unwrap_err();
        assert!(e.to_string().starts_with("x.toml:"), "{e}");
    }

    #[test]
    fn the_selection_look_is_marker_or_row() {
        assert_eq!(Config::defaults().selection, "marker");
        let c = Config::from_toml("selection = \"row\"", "x.toml").unwrap();
        assert_eq!(c.selection, "row");
        let e = Config::from_toml("selection = \"bar\"", "x.toml").unwrap_err();
        assert!(e.to_string().contains("selection:"), "{e}");
        assert!(e.to_string().contains("\"bar\""), "{e}");
    }
}

#[cfg(test)]
mod example_tests {
    use super::*;

    #[test]
    fn the_example_config_parses_and_documents_every_key() {
        let example = include_str!("../config.example.toml");
        let c = Config::from_toml(example, "config.example.toml").unwrap();
        assert_eq!(c.provider.ip_ranges, Config::defaults().provider.ip_ranges);
        let defaults: toml::Table = toml::from_str(DEFAULTS).unwrap();
        for key in defaults.keys() {
            assert!(
                example.contains(&format!("\n{key} =")) || example.contains(&format!("[{key}]")),
                "config.example.toml lacks {key}"
            );
        }
    }
}

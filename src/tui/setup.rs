//! The TUI's settings from the config and the terminal's environment: one place for the
//! local terminal and for a terminal at the other end of an SSH session (whose
//! environment is what the client sent, never this process's).

use super::app::{AfterDecision, Images, Selection, Settings};
use super::command::Vocabulary;
use super::keymap::Keymap;
use super::theme::Theme;
use crate::config::{Config, Language};
use crate::rules::RuleData;

/// What the terminal's environment says about it: the variables a client may send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermEnv {
    pub term: Option<String>,
    pub colorterm: Option<String>,
    pub no_color: Option<String>,
    pub lc_all: Option<String>,
    pub lc_messages: Option<String>,
    pub lang: Option<String>,
}

impl TermEnv {
    /// The local terminal: `NO_COLOR` counts; the language is the config's (a reviewer's
    /// own machine says what it wants in the config file).
    pub fn local() -> TermEnv {
        TermEnv {
            term: std::env::var("TERM").ok(),
            colorterm: Some("truecolor".into()),
            no_color: std::env::var("NO_COLOR").ok(),
            ..TermEnv::default()
        }
    }

    /// Record one variable a client sent; any other is ignored (and `false` returned).
    pub fn set(&mut self, name: &str, value: &str) -> bool {
        let slot = match name {
            "TERM" => &mut self.term,
            "COLORTERM" => &mut self.colorterm,
            "NO_COLOR" => &mut self.no_color,
            "LC_ALL" => &mut self.lc_all,
            "LC_MESSAGES" => &mut self.lc_messages,
            "LANG" => &mut self.lang,
            _ => return false,
        };
        *slot = Some(value.chars().take(64).collect());
        true
    }

    /// The locale that names the language of messages: `LC_ALL`, else `LC_MESSAGES`,
    /// else `LANG` (the first set and not empty).
    fn locale(&self) -> Option<&str> {
        [&self.lc_all, &self.lc_messages, &self.lang]
            .into_iter()
            .filter_map(|v| v.as_deref().map(str::trim))
            .find(|v| !v.is_empty())
    }

    /// No colours: `NO_COLOR` set and not empty, or a terminal that says it has none.
    pub fn no_color(&self) -> bool {
        self.no_color.as_deref().is_some_and(|v| !v.is_empty())
            || self.term.as_deref() == Some("dumb")
    }

    /// 24-bit colours (`COLORTERM=truecolor` or `24bit`): only then do `#rrggbb` colours
    /// of the config reach the screen; without, the theme's 16 colours stand.
    pub fn truecolor(&self) -> bool {
        matches!(self.colorterm.as_deref(), Some("truecolor" | "24bit"))
    }

    /// The language a locale asks for: `zh…` Chinese, any other named locale English,
    /// none (or `C`/`POSIX`) the config's.
    pub fn language(&self, default: Language) -> Language {
        match self.locale() {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Language::Zh,
            Some("C" | "POSIX") | None => default,
            Some(l) if l.starts_with("C.") => default,
            Some(_) => Language::En,
        }
    }
}

/// The TUI's settings for `reviewer` on a terminal described by `env`: the config's
/// keymap, theme (mono without colours), undo window, deadline and pictures. An error
/// names the config key at fault.
pub fn settings(
    config: &Config,
    reviewer: &str,
    data: &RuleData,
    env: &TermEnv,
) -> Result<Settings, String> {
    let mut settings = Settings::new(
        env.language(config.language),
        reviewer,
        data.provinces.iter().map(|p| p.code.clone()).collect(),
    );
    settings.keymap = Keymap::new(
        &config.keymap,
        &Vocabulary {
            provinces: &settings.provinces,
            themes: &settings.themes,
        },
    )
    .map_err(|e| e.to_string())?;
    let mut colors = config.colors.clone();
    if !env.truecolor() {
        colors.retain(|_, style| !style.contains('#'));
    }
    settings.theme =
        Theme::from_config(&config.theme, &colors, env.no_color()).map_err(|e| e.to_string())?;
    settings.colors = colors;
    settings.undo_ms = i64::from(config.undo_seconds) * 1000;
    settings.review_days = config.review_days;
    if config.images == "halfblocks" {
        settings.images = Images::Halfblocks;
    }
    settings.selection = match config.selection.as_str() {
        "row" => Selection::Row,
        _ => Selection::Marker,
    };
    settings.after_decision = match config.after_decision.as_str() {
        "stay" => AfterDecision::Stay,
        _ => AfterDecision::NextUndecided,
    };
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> TermEnv {
        let mut e = TermEnv::default();
        for (k, v) in vars {
            e.set(k, v);
        }
        e
    }

    #[test]
    fn the_locale_chooses_the_language_in_the_order_of_precedence() {
        assert_eq!(env(&[]).language(Language::Zh), Language::Zh);
        assert_eq!(
            env(&[("LANG", "en_US.UTF-8")]).language(Language::Zh),
            Language::En
        );
        assert_eq!(
            env(&[("LANG", "zh_CN.UTF-8")]).language(Language::En),
            Language::Zh
        );
        assert_eq!(
            env(&[("LANG", "C.UTF-8")]).language(Language::Zh),
            Language::Zh
        );
        // LC_ALL outranks LANG whichever comes first.
        let e = env(&[("LC_ALL", "en_GB.UTF-8"), ("LANG", "zh_TW.UTF-8")]);
        assert_eq!(e.language(Language::Zh), Language::En);
        let e = env(&[("LANG", "en_GB.UTF-8"), ("LC_MESSAGES", "zh_CN.UTF-8")]);
        assert_eq!(e.language(Language::En), Language::Zh);
        // An empty LC_ALL is not a choice.
        let e = env(&[("LC_ALL", ""), ("LANG", "en_US.UTF-8")]);
        assert_eq!(e.language(Language::Zh), Language::En);
    }

    #[test]
    fn colours_follow_what_the_terminal_says() {
        assert!(!env(&[]).no_color());
        assert!(env(&[("NO_COLOR", "1")]).no_color());
        assert!(!env(&[("NO_COLOR", "")]).no_color());
        assert!(env(&[("TERM", "dumb")]).no_color());
        assert!(!env(&[("TERM", "xterm-256color")]).truecolor());
        assert!(env(&[("COLORTERM", "truecolor")]).truecolor());
        assert!(!env(&[("PATH", "/bin")]).no_color());
        assert!(!TermEnv::default().set("PATH", "/bin"));
    }

    #[test]
    fn settings_take_mono_without_colours_and_drop_24_bit_colours_the_terminal_lacks() {
        let data = RuleData::embedded().unwrap();
        let mut config = Config::defaults();
        config.colors.insert("block".into(), "#ff0000 bold".into());
        config.colors.insert("warn".into(), "yellow".into());
        let plain = settings(&config, "王芳", &data, &env(&[("TERM", "xterm")])).unwrap();
        assert!(!plain.colors.contains_key("block"));
        assert!(plain.colors.contains_key("warn"));
        let rich = settings(&config, "王芳", &data, &env(&[("COLORTERM", "truecolor")])).unwrap();
        assert!(rich.colors.contains_key("block"));
        let mono = settings(&config, "王芳", &data, &env(&[("NO_COLOR", "1")])).unwrap();
        assert_eq!(mono.theme, Theme::mono());
        let en = settings(&config, "王芳", &data, &env(&[("LANG", "en_US.UTF-8")])).unwrap();
        assert_eq!(en.lang, Language::En);
    }
}

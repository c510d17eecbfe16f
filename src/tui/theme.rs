//! Themes as data (`assets/themes.toml`): styles by meaning (muted, block, warn …), never
//! colours at a render site. The config picks a theme and may override single roles.

use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;

const THEMES: &str = include_str!("../../assets/themes.toml");

/// The roles a theme gives a style to, in the order of `assets/themes.toml`.
pub const ROLES: &[&str] = &[
    "base",
    "muted",
    "title",
    "border",
    "border_focus",
    "selection",
    "block",
    "warn",
    "ok",
    "accent",
    "key",
    "danger_bg",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub base: Style,
    pub muted: Style,
    pub title: Style,
    pub border: Style,
    pub border_focus: Style,
    pub selection: Style,
    pub block: Style,
    pub warn: Style,
    pub ok: Style,
    pub accent: Style,
    pub key: Style,
    pub danger_bg: Style,
}

/// A theme problem, naming the theme and role.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{what}: {message}")]
pub struct ThemeError {
    pub what: String,
    pub message: String,
}

fn colour(word: &str) -> Option<Color> {
    Some(match word {
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        hex if hex.len() == 7 && hex.starts_with('#') => {
            let n = u32::from_str_radix(&hex[1..], 16).ok()?;
            Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8)
        }
        _ => return None,
    })
}

/// Read a style: `"white on blue bold"`, `"dim"`, `""`.
pub fn parse_style(spec: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let mut words = spec.split_whitespace();
    while let Some(w) = words.next() {
        let w = w.to_ascii_lowercase();
        let m = match w.as_str() {
            "bold" => Some(Modifier::BOLD),
            "dim" => Some(Modifier::DIM),
            "italic" => Some(Modifier::ITALIC),
            "underlined" => Some(Modifier::UNDERLINED),
            "reversed" => Some(Modifier::REVERSED),
            _ => None,
        };
        if let Some(m) = m {
            style = style.add_modifier(m);
        } else if w == "on" {
            let c = words
                .next()
                .ok_or_else(|| "\"on\" needs a colour".to_string())?;
            style = style
                .bg(colour(&c.to_ascii_lowercase())
                    .ok_or_else(|| format!("unknown colour {c:?}"))?);
        } else {
            style =
                style.fg(colour(&w).ok_or_else(|| format!("unknown colour or modifier {w:?}"))?);
        }
    }
    Ok(style)
}

impl Theme {
    /// The names of the built-in themes.
    pub fn names() -> Vec<String> {
        builtin()
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// A built-in theme with the config's role overrides on top.
    pub fn load(name: &str, overrides: &BTreeMap<String, String>) -> Result<Theme, ThemeError> {
        let table = builtin()?;
        let roles = table.get(name).ok_or_else(|| ThemeError {
            what: format!("theme {name:?}"),
            message: format!("no such theme (there are: {})", Theme::names().join(", ")),
        })?;
        let mut theme = Theme {
            name: name.to_string(),
            base: Style::new(),
            muted: Style::new(),
            title: Style::new(),
            border: Style::new(),
            border_focus: Style::new(),
            selection: Style::new(),
            block: Style::new(),
            warn: Style::new(),
            ok: Style::new(),
            accent: Style::new(),
            key: Style::new(),
            danger_bg: Style::new(),
        };
        for (role, spec) in roles.iter().chain(overrides.iter()) {
            let what = if overrides.get(role) == Some(spec) {
                format!("colors.{role}")
            } else {
                format!("theme {name}.{role}")
            };
            let style = parse_style(spec).map_err(|message| ThemeError {
                what: what.clone(),
                message,
            })?;
            *theme.role_mut(role).ok_or_else(|| ThemeError {
                what,
                message: format!("no such role (roles: {})", ROLES.join(", ")),
            })? = style;
        }
        Ok(theme)
    }

    fn role_mut(&mut self, role: &str) -> Option<&mut Style> {
        Some(match role {
            "base" => &mut self.base,
            "muted" => &mut self.muted,
            "title" => &mut self.title,
            "border" => &mut self.border,
            "border_focus" => &mut self.border_focus,
            "selection" => &mut self.selection,
            "block" => &mut self.block,
            "warn" => &mut self.warn,
            "ok" => &mut self.ok,
            "accent" => &mut self.accent,
            "key" => &mut self.key,
            "danger_bg" => &mut self.danger_bg,
            _ => return None,
        })
    }

    pub fn dark() -> Theme {
        Theme::load("dark", &BTreeMap::new()).expect("built-in theme")
    }

    pub fn light() -> Theme {
        Theme::load("light", &BTreeMap::new()).expect("built-in theme")
    }

    pub fn mono() -> Theme {
        Theme::load("mono", &BTreeMap::new()).expect("built-in theme")
    }

    /// The theme of the config; `NO_COLOR` (non-empty) forces mono, without overrides.
    pub fn from_config(
        name: &str,
        overrides: &BTreeMap<String, String>,
        no_color: bool,
    ) -> Result<Theme, ThemeError> {
        if no_color {
            return Theme::load("mono", &BTreeMap::new());
        }
        Theme::load(name, overrides)
    }
}

type Table = BTreeMap<String, BTreeMap<String, String>>;

fn builtin() -> Result<&'static Table, ThemeError> {
    static T: std::sync::OnceLock<Result<Table, ThemeError>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        toml::from_str(THEMES).map_err(|e| ThemeError {
            what: "assets/themes.toml".into(),
            message: e.to_string(),
        })
    })
    .as_ref()
    .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_defines_every_role() {
        for name in Theme::names() {
            let table = builtin().unwrap();
            for role in ROLES {
                assert!(table[&name].contains_key(*role), "{name} lacks {role}");
            }
            Theme::load(&name, &BTreeMap::new()).unwrap();
        }
        assert_eq!(Theme::names(), vec!["dark", "light", "mono"]);
    }

    #[test]
    fn partial_overrides_change_one_role() {
        let mut o = BTreeMap::new();
        o.insert("block".to_string(), "#ff0000 underlined".to_string());
        let t = Theme::load("dark", &o).unwrap();
        assert_eq!(
            t.block,
            Style::new()
                .fg(Color::Rgb(255, 0, 0))
                .add_modifier(Modifier::UNDERLINED)
        );
        assert_eq!(t.warn, Theme::dark().warn);
        o.insert("blokc".to_string(), "red".to_string());
        let e = Theme::load("dark", &o).unwrap_err();
        assert_eq!(e.what, "colors.blokc");
        let mut o = BTreeMap::new();
        o.insert("warn".to_string(), "purple".to_string());
        assert!(
            Theme::load("dark", &o)
                .unwrap_err()
                .message
                .contains("purple")
        );
        assert!(Theme::load("foo", &BTreeMap::new()).is_err());
    }

    #[test]
    fn styles_read() {
        assert_eq!(
            parse_style("white on blue bold").unwrap(),
            Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(parse_style("").unwrap(), Style::new());
        assert!(parse_style("on").is_err());
    }
}

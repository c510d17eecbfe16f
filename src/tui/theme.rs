//! Themes by meaning, from the 16 named ANSI colours; `mono` uses only bold, reverse
//! and underline (NO_COLOR forces it).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub name: &'static str,
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

impl Theme {
    pub fn dark() -> Theme {
        Theme {
            name: "dark",
            base: Style::new(),
            muted: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            border_focus: Style::new().fg(Color::Cyan),
            selection: Style::new()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            block: Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            warn: Style::new().fg(Color::Yellow),
            ok: Style::new().fg(Color::Green),
            accent: Style::new().fg(Color::Magenta),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            danger_bg: Style::new()
                .bg(Color::Red)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
        }
    }

    pub fn light() -> Theme {
        Theme {
            name: "light",
            base: Style::new().fg(Color::Black),
            muted: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::Gray),
            border_focus: Style::new().fg(Color::Blue),
            selection: Style::new()
                .bg(Color::Cyan)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
            block: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            warn: Style::new().fg(Color::Magenta),
            ok: Style::new().fg(Color::Green),
            accent: Style::new().fg(Color::Blue),
            key: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            danger_bg: Style::new()
                .bg(Color::Red)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
        }
    }

    pub fn mono() -> Theme {
        Theme {
            name: "mono",
            base: Style::new(),
            muted: Style::new().add_modifier(Modifier::DIM),
            title: Style::new().add_modifier(Modifier::BOLD),
            border: Style::new(),
            border_focus: Style::new().add_modifier(Modifier::BOLD),
            selection: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            block: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            warn: Style::new().add_modifier(Modifier::UNDERLINED),
            ok: Style::new(),
            accent: Style::new().add_modifier(Modifier::BOLD),
            key: Style::new().add_modifier(Modifier::BOLD),
            danger_bg: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        }
    }

    /// The theme named in the config; `NO_COLOR` (non-empty) forces mono.
    pub fn from_config(name: &str, no_color: bool) -> Theme {
        if no_color {
            return Theme::mono();
        }
        match name {
            "light" => Theme::light(),
            "mono" => Theme::mono(),
            _ => Theme::dark(),
        }
    }
}

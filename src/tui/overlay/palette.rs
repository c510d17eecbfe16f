//! `:`: the command line. Every command of the keymap's vocabulary, with Tab completion
//! (names, then values: statuses, provinces, sorts, views, languages, themes), a history
//! (↑/↓), and errors that name what is accepted.

use super::super::app::App;
use super::super::command::{self, Command};
use super::super::input::Input;
use super::super::text::L;
use super::prompt::{Line, bottom_line};
use super::{Ctx, Outcome};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Clear, Paragraph};

#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    line: Line,
    /// Completions of the text typed before the first Tab, and which one is shown.
    completions: Vec<String>,
    chosen: Option<usize>,
}

impl Palette {
    pub fn new(history: Vec<String>) -> Palette {
        Palette {
            line: Line::new("", history),
            completions: Vec::new(),
            chosen: None,
        }
    }

    /// The line started with `text` (a command that needs words typed after it).
    pub fn with_text(history: Vec<String>, text: &str) -> Palette {
        Palette {
            line: Line::new(text, history),
            completions: Vec::new(),
            chosen: None,
        }
    }

    pub fn input(&self) -> &Input {
        self.line.input()
    }

    pub fn completions(&self) -> &[String] {
        &self.completions
    }

    pub fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Outcome {
        match self.line.edit(key, ctx) {
            Some(Command::Confirm) => Outcome::Run(self.line.input.text().trim().to_string()),
            Some(Command::Cancel) => Outcome::Close,
            Some(Command::Complete) => {
                if self.chosen.is_none() {
                    self.completions = command::complete_line(self.line.input.text(), &ctx.vocab);
                }
                if !self.completions.is_empty() {
                    let next = self.chosen.map_or(0, |i| (i + 1) % self.completions.len());
                    self.chosen = Some(next);
                    let text = self.completions[next].clone();
                    // A single completion of a command name is followed by a space.
                    let text = if self.completions.len() == 1 && !text.contains(' ') {
                        format!("{text} ")
                    } else {
                        text
                    };
                    self.line.input.set(&text);
                    if self.completions.len() == 1 {
                        self.chosen = None;
                        self.completions.clear();
                    }
                }
                Outcome::Stay
            }
            Some(_) => Outcome::Ignored,
            None => {
                self.chosen = None;
                self.completions.clear();
                Outcome::Stay
            }
        }
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        bottom_line(
            app,
            f,
            area,
            &format!(":{}", app.t(L::CommandPrompt)),
            self.input(),
        );
        if self.completions.len() > 1 && area.height > 2 {
            let r = Rect {
                x: area.x,
                y: area.y + area.height - 2,
                width: area.width,
                height: 1,
            };
            let th = app.theme();
            let mut spans = vec![Span::styled(
                format!("{}: ", app.t(L::Completions)),
                th.muted,
            )];
            for (i, c) in self.completions.iter().enumerate() {
                let last = c.rsplit([' ', ',']).next().unwrap_or(c).to_string();
                spans.push(Span::styled(
                    format!("{last} "),
                    if Some(i) == self.chosen {
                        th.selection
                    } else {
                        th.key
                    },
                ));
            }
            f.render_widget(Clear, r);
            f.render_widget(Paragraph::new(ratatui::text::Line::from(spans)), r);
        }
    }
}

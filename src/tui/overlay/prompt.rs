//! `/`: the search line, with its own history (↑/↓). An empty search clears it.

use super::super::app::App;
use super::super::command::Command;
use super::super::input::Input;
use super::super::keymap::Layer;
use super::super::text::L;
use super::super::ui::widgets::input_line;
use super::{Ctx, Outcome};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Paragraph};

/// A line editor with a history, shared by the search and command lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub(super) input: Input,
    history: Vec<String>,
    /// Position in the history while browsing it (len = the line being typed).
    at: usize,
    typed: String,
}

impl Line {
    pub fn new(text: &str, history: Vec<String>) -> Line {
        let at = history.len();
        Line {
            input: Input::with(text),
            history,
            at,
            typed: text.to_string(),
        }
    }

    pub fn input(&self) -> &Input {
        &self.input
    }

    /// Type, edit, or browse the history. `None`: a key for the prompt's own commands.
    pub fn edit(&mut self, key: &KeyEvent, ctx: &Ctx) -> Option<Command> {
        if self.input.type_key(key) {
            self.at = self.history.len();
            return None;
        }
        match ctx.keymap.lookup(Layer::Prompt, key).cloned() {
            Some(Command::HistoryPrev) => {
                if self.at == self.history.len() {
                    self.typed = self.input.text().to_string();
                }
                if self.at > 0 {
                    self.at -= 1;
                    self.input.set(&self.history[self.at]);
                }
                None
            }
            Some(Command::HistoryNext) => {
                if self.at < self.history.len() {
                    self.at += 1;
                    let text = self
                        .history
                        .get(self.at)
                        .cloned()
                        .unwrap_or(self.typed.clone());
                    self.input.set(&text);
                }
                None
            }
            Some(c) => Some(c),
            None => {
                self.input.handle(key, ctx.keymap);
                None
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchPrompt {
    line: Line,
}

impl SearchPrompt {
    pub fn new(current: &str, history: Vec<String>) -> SearchPrompt {
        SearchPrompt {
            line: Line::new(current, history),
        }
    }

    pub fn input(&self) -> &Input {
        self.line.input()
    }

    pub fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Outcome {
        match self.line.edit(key, ctx) {
            Some(Command::Confirm) => Outcome::Search(self.line.input.text().trim().to_string()),
            Some(Command::Cancel) => Outcome::Close,
            Some(_) => Outcome::Ignored,
            None => Outcome::Stay,
        }
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        bottom_line(
            app,
            f,
            area,
            &format!("/{}", app.t(L::SearchPrompt)),
            self.input(),
        );
    }
}

/// Draw a prompt on the screen's last line.
pub fn bottom_line(app: &App, f: &mut Frame, area: Rect, label: &str, input: &Input) {
    let r = Rect {
        x: area.x,
        y: area.y + area.height.saturating_sub(1),
        width: area.width,
        height: 1,
    };
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(input_line(app, label, input, true, area.width)),
        r,
    );
}

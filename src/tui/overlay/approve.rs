//! Approve: a y/N confirmation (Enter takes the default, no). With blocking findings the
//! approval is refused unless the reviewer overrides it with a note, which is audited.

use super::super::app::App;
use super::super::command::Command;
use super::super::input::Input;
use super::super::keymap::Layer;
use super::super::text::L;
use super::super::ui::widgets::{bordered, centered, clear, input_line};
use super::{Ctx, Outcome, Staged};
use crate::queue::Action as DecisionAction;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, PartialEq)]
pub struct ApproveDialog {
    blocks: usize,
    note: Option<Input>,
    error: Option<L>,
}

impl ApproveDialog {
    pub fn new(blocks: usize) -> ApproveDialog {
        ApproveDialog {
            blocks,
            note: None,
            error: None,
        }
    }

    pub fn blocks(&self) -> usize {
        self.blocks
    }

    pub fn note(&self) -> Option<&Input> {
        self.note.as_ref()
    }

    pub fn error(&self) -> Option<L> {
        self.error
    }

    pub fn layers(&self) -> Vec<Layer> {
        if self.note.is_some() {
            vec![Layer::ApproveNote, Layer::Input]
        } else {
            vec![Layer::Approve]
        }
    }

    fn stage(note: Option<String>, override_blocks: bool) -> Outcome {
        Outcome::Decide(Staged {
            action: DecisionAction::Approve,
            reasons: Vec::new(),
            note,
            call: None,
            override_blocks,
        })
    }

    pub fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Outcome {
        if let Some(n) = self.note.as_mut() {
            if n.type_key(key) {
                self.error = None;
                return Outcome::Stay;
            }
            return match ctx.keymap.lookup(Layer::ApproveNote, key) {
                Some(Command::Cancel) => Outcome::Close,
                Some(Command::Confirm) if n.text().trim().is_empty() => {
                    self.error = Some(L::NeedsNote);
                    Outcome::Stay
                }
                Some(Command::Confirm) => Self::stage(Some(n.text().trim().to_string()), true),
                _ if n.handle(key, ctx.keymap) => Outcome::Stay,
                _ => Outcome::Ignored,
            };
        }
        match ctx.keymap.lookup(Layer::Approve, key) {
            Some(Command::Confirm) if self.blocks == 0 => Self::stage(None, false),
            Some(Command::Override) if self.blocks > 0 => {
                self.note = Some(Input::default());
                Outcome::Stay
            }
            // The default is no: anything but yes (or override) cancels.
            _ => Outcome::Close,
        }
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = app.theme();
        let km = app.keymap();
        let id = app
            .selected_summary()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        let subject = app
            .selected_summary()
            .map(|s| s.subject_name.clone())
            .unwrap_or_default();
        let w = 64.min(area.width);
        let mut lines = vec![
            Line::from(Span::styled(format!("{id}  {subject}"), th.title)),
            Line::from(""),
        ];
        if self.blocks > 0 {
            lines.push(Line::from(Span::styled(
                format!("✖ {}  {}", self.blocks, app.t(L::ApproveBlocked)),
                th.block,
            )));
            match &self.note {
                Some(n) => lines.push(input_line(
                    app,
                    app.t(L::OverrideTitle),
                    n,
                    true,
                    w.saturating_sub(2),
                )),
                None => lines.push(Line::from(vec![
                    Span::styled(
                        km.key_for(&[Layer::Approve], "override").to_string(),
                        th.key,
                    ),
                    Span::styled(format!(" {}", app.t(L::OverrideHint)), th.warn),
                ])),
            }
        } else {
            lines.push(Line::from(app.t(L::ApproveAsk)));
            lines.push(Line::from(""));
            lines.push(Line::from(vec![
                Span::styled(km.key_for(&[Layer::Approve], "confirm").to_string(), th.key),
                Span::styled(format!(" {}  ", app.t(L::Yes)), th.muted),
                Span::styled(km.keys_for(Layer::Approve, "cancel").join("/"), th.key),
                Span::styled(format!(" {}", app.t(L::No)), th.muted),
            ]));
        }
        if let Some(e) = self.error {
            lines.push(Line::from(Span::styled(app.t(e), th.block)));
        }
        let r = centered(area, w, lines.len() as u16 + 2);
        clear(f, r);
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(bordered(app, app.t(L::ApproveTitle).to_string(), true)),
            r,
        );
    }
}

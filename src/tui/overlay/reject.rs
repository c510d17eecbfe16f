//! Reject: reasons pre-selected from the blocking findings, each text editable, and a
//! preview of exactly what the applicant will read.

use super::super::app::App;
use super::super::command::Command;
use super::super::input::Input;
use super::super::keymap::Layer;
use super::super::text::L;
use super::super::ui::widgets::{bordered, centered, clear, input_line};
use super::{Ctx, Outcome, Staged};
use crate::domain::Reason;
use crate::queue::Action as DecisionAction;
use crate::rules::data::ReasonDef;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, PartialEq)]
pub struct ReasonRow {
    pub code: String,
    pub zh: String,
    pub en: String,
    pub selected: bool,
    /// What the applicant reads (editable).
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RejectDialog {
    rows: Vec<ReasonRow>,
    cursor: usize,
    editing: Option<Input>,
    error: Option<L>,
}

impl RejectDialog {
    /// Every reason of the catalogue; those of the blocking findings selected and first.
    pub fn new(reasons: &[ReasonDef], blocking: &[&str]) -> RejectDialog {
        let mut rows: Vec<ReasonRow> = reasons
            .iter()
            .map(|r| ReasonRow {
                code: r.code.clone(),
                zh: r.zh.clone(),
                en: r.en.clone(),
                selected: blocking.contains(&r.code.as_str()),
                text: r.zh.clone(),
            })
            .collect();
        rows.sort_by_key(|r| !r.selected);
        RejectDialog {
            rows,
            cursor: 0,
            editing: None,
            error: None,
        }
    }

    pub fn rows(&self) -> &[ReasonRow] {
        &self.rows
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn editing(&self) -> Option<&Input> {
        self.editing.as_ref()
    }

    pub fn error(&self) -> Option<L> {
        self.error
    }

    pub fn layers(&self) -> Vec<Layer> {
        if self.editing.is_some() {
            vec![Layer::RejectEdit, Layer::Input]
        } else {
            vec![Layer::Reject]
        }
    }

    pub fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Outcome {
        if let Some(ed) = self.editing.as_mut() {
            if ed.type_key(key) {
                return Outcome::Stay;
            }
            return match ctx.keymap.lookup(Layer::RejectEdit, key) {
                Some(Command::Confirm) => {
                    let text = ed.text().to_string();
                    if let Some(r) = self.rows.get_mut(self.cursor) {
                        r.text = text;
                        r.selected = true;
                    }
                    self.editing = None;
                    Outcome::Stay
                }
                Some(Command::Cancel) => {
                    self.editing = None;
                    Outcome::Stay
                }
                _ if ed.handle(key, ctx.keymap) => Outcome::Stay,
                _ => Outcome::Ignored,
            };
        }
        let Some(cmd) = ctx.keymap.lookup(Layer::Reject, key).cloned() else {
            return Outcome::Ignored;
        };
        self.error = None;
        match cmd {
            Command::Cancel => return Outcome::Close,
            Command::Down => self.cursor = (self.cursor + 1).min(self.rows.len().saturating_sub(1)),
            Command::Up => self.cursor = self.cursor.saturating_sub(1),
            Command::Toggle => {
                if let Some(r) = self.rows.get_mut(self.cursor) {
                    r.selected = !r.selected;
                }
            }
            Command::Edit => {
                self.editing = self.rows.get(self.cursor).map(|r| Input::with(&r.text))
            }
            Command::Pick(n) => {
                if let Some(r) = self.rows.get_mut(n - 1) {
                    r.selected = !r.selected;
                    self.cursor = n - 1;
                }
            }
            Command::Confirm => {
                let reasons: Vec<Reason> = self
                    .rows
                    .iter()
                    .filter(|r| r.selected)
                    .map(|r| Reason {
                        code: r.code.clone(),
                        text: r.text.clone(),
                    })
                    .collect();
                if reasons.is_empty() {
                    self.error = Some(L::NeedsReason);
                } else {
                    return Outcome::Decide(Staged {
                        action: DecisionAction::Reject,
                        reasons,
                        note: None,
                        call: None,
                        override_blocks: false,
                    });
                }
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Stay
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = app.theme();
        let km = app.keymap();
        let r = centered(
            area,
            area.width.saturating_sub(4).min(110),
            area.height.saturating_sub(2).min(30),
        );
        clear(f, r);
        let outer = bordered(
            app,
            format!(
                "{} · {}",
                app.t(L::RejectTitle),
                app.selected_summary()
                    .map(|s| s.id.clone())
                    .unwrap_or_default()
            ),
            true,
        );
        let inner = outer.inner(r);
        f.render_widget(outer, r);
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([
                Constraint::Min(3),
                Constraint::Length((inner.height / 3).max(3)),
                Constraint::Length(1),
            ])
            .split(inner);
        let en = app.en();
        let code_w = self
            .rows
            .iter()
            .map(|r| r.code.chars().count())
            .max()
            .unwrap_or(0);
        let visible = usize::from(parts[0].height).max(1);
        let offset = (self.cursor / visible) * visible;
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, row)| {
                let mark = if row.selected { "[x]" } else { "[ ]" };
                let quick = km
                    .keys_for(Layer::Reject, &format!("pick {}", i + 1))
                    .first()
                    .map_or("  ".to_string(), |k| format!("{k} "));
                let text = if en { &row.en } else { &row.text };
                let mut line = Line::from(vec![
                    Span::styled(quick, th.muted),
                    Span::styled(
                        format!("{mark} "),
                        if row.selected { th.block } else { th.muted },
                    ),
                    Span::styled(format!("{:<code_w$} ", row.code), th.muted),
                    Span::raw(super::super::safe::Safe::text(text).into_inner()),
                ]);
                if i == self.cursor {
                    line = line.style(th.selection);
                }
                line
            })
            .collect();
        f.render_widget(Paragraph::new(lines), parts[0]);
        // What the applicant reads (Chinese, as sent).
        let mut preview = vec![Line::from(Span::styled(
            format!("{}:", app.t(L::Preview)),
            th.accent,
        ))];
        match &self.editing {
            Some(ed) => preview.push(input_line(app, "✎", ed, true, parts[1].width)),
            None => {
                for (n, row) in self.rows.iter().filter(|r| r.selected).enumerate() {
                    preview.push(Line::from(format!(
                        "{}.{}",
                        n + 1,
                        super::super::safe::Safe::text(&row.text).into_inner()
                    )));
                }
            }
        }
        f.render_widget(Paragraph::new(preview).wrap(Wrap { trim: false }), parts[1]);
        let hint = match self.error {
            Some(e) => Line::from(Span::styled(app.t(e), th.block)),
            None => super::super::ui::hints(app, &self.layers()),
        };
        f.render_widget(Paragraph::new(hint), parts[2]);
    }
}

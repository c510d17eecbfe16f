//! At start: decisions the last session made but never sent (it crashed, or the machine
//! did, inside an undo window), offered one by one: send it now, throw it away, or decide
//! later (offered again at the next start).

use super::super::app::App;
use super::super::command::Command;
use super::super::keymap::Layer;
use super::super::text::{self, L};
use super::super::ui::widgets::{bordered, centered, clear};
use super::{Ctx, Outcome};
use crate::queue::journal::JournalEntry;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

#[derive(Debug, Clone, PartialEq)]
pub struct RecoverDialog {
    entries: Vec<JournalEntry>,
}

impl RecoverDialog {
    pub fn new(entries: Vec<JournalEntry>) -> RecoverDialog {
        RecoverDialog { entries }
    }

    pub fn entries(&self) -> &[JournalEntry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Outcome {
        match ctx.keymap.lookup(Layer::Recover, key) {
            Some(Command::Resend) if !self.entries.is_empty() => {
                Outcome::Resend(self.entries.remove(0))
            }
            Some(Command::Discard) if !self.entries.is_empty() => {
                Outcome::Discard(self.entries.remove(0).key)
            }
            Some(Command::Cancel) => Outcome::Close,
            _ => Outcome::Ignored,
        }
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        let Some(e) = self.entries.first() else {
            return;
        };
        let th = app.theme();
        let km = app.keymap();
        let action = match e.decision.action {
            crate::queue::Action::Approve => app.t(L::Approved),
            crate::queue::Action::Reject => app.t(L::Rejected),
            crate::queue::Action::ScheduleCall => app.t(L::CallScheduled),
        };
        let safe = |s: &str| super::super::safe::Safe::text(s).into_inner();
        let mut lines = vec![
            Line::from(app.t(L::UnsentAsk)),
            Line::from(""),
            Line::from(vec![
                Span::styled(format!("{} ", safe(&e.order)), th.title),
                Span::styled(action.to_string(), th.accent),
                Span::styled(
                    format!(
                        "  {} {}",
                        app.t(L::MadeAt),
                        crate::queue::time::rfc3339_shanghai(e.made_at_ms)
                    ),
                    th.muted,
                ),
            ]),
        ];
        for r in &e.decision.reasons {
            lines.push(Line::from(format!(
                "  · [{}] {}",
                safe(&r.code),
                safe(&r.text)
            )));
        }
        if let Some(n) = &e.decision.note {
            lines.push(Line::from(Span::styled(format!("  {}", safe(n)), th.muted)));
        }
        lines.push(Line::from(""));
        for (run, label) in [
            ("resend", None),
            ("discard", None),
            ("cancel", Some(L::UnsentLater)),
        ] {
            let keys = km.keys_for(Layer::Recover, run).join("/");
            let desc = match label {
                Some(l) => app.t(l).to_string(),
                None => text::command(run, app.lang()).unwrap_or(run).to_string(),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{keys:<6}"), th.key),
                Span::raw(desc),
            ]));
        }
        let w = 76.min(area.width);
        let r = centered(area, w, lines.len() as u16 + 4);
        clear(f, r);
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(bordered(
                    app,
                    format!("{} ({})", app.t(L::UnsentTitle), self.entries.len()),
                    true,
                )),
            r,
        );
    }
}

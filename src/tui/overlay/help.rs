//! `?`: every binding of the live keymap, layer by layer, scrollable so it reads at 80×24.

use super::super::app::App;
use super::super::command::Command;
use super::super::keymap::Layer;
use super::super::text::L;
use super::super::ui::widgets::{bordered, centered, clear, fit};
use super::{Ctx, Outcome};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct HelpOverlay {
    scroll: u16,
}

impl HelpOverlay {
    pub fn scroll(&self) -> u16 {
        self.scroll
    }

    pub fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Outcome {
        match ctx.keymap.lookup(Layer::Help, key) {
            Some(Command::Cancel) => Outcome::Close,
            Some(Command::Down) => {
                self.scroll = self.scroll.saturating_add(1);
                Outcome::Stay
            }
            Some(Command::Up) => {
                self.scroll = self.scroll.saturating_sub(1);
                Outcome::Stay
            }
            Some(Command::PageDown) => {
                self.scroll = self.scroll.saturating_add(10);
                Outcome::Stay
            }
            Some(Command::PageUp) => {
                self.scroll = self.scroll.saturating_sub(10);
                Outcome::Stay
            }
            _ => Outcome::Ignored,
        }
    }

    /// Every line of the help, for a width.
    pub fn lines<'a>(app: &App, width: u16) -> Vec<Line<'a>> {
        let th = app.theme();
        let key_w = 18usize;
        let desc_w = usize::from(width).saturating_sub(key_w + 1).max(8);
        let mut out = Vec::new();
        for (layer, rows) in app.keymap().help(app.lang()) {
            if !out.is_empty() {
                out.push(Line::from(""));
            }
            out.push(Line::from(Span::styled(app.t(layer.title()), th.title)));
            for (keys, desc) in rows {
                let keys = fit(&keys, key_w - 1);
                let pad = key_w.saturating_sub(keys.width());
                let d = fit(&desc, desc_w);
                out.push(Line::from(vec![
                    Span::styled(format!("{keys}{}", " ".repeat(pad)), th.key),
                    Span::raw(d),
                ]));
            }
        }
        out
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        let w = area.width.min(90);
        let h = area.height;
        let r = centered(area, w, h);
        clear(f, r);
        let lines = Self::lines(app, w.saturating_sub(2));
        let inner_h = r.height.saturating_sub(2);
        let max = (lines.len() as u16).saturating_sub(inner_h);
        let scroll = self.scroll.min(max);
        let title = format!(
            "{} ({} · {} {}–{}/{})",
            app.t(L::Help),
            super::super::ui::key_text(app, Layer::Help, "cancel"),
            app.t(L::ShownOf),
            scroll + 1,
            (scroll + inner_h).min(lines.len() as u16),
            lines.len()
        );
        f.render_widget(
            Paragraph::new(lines)
                .block(bordered(app, title, true))
                .scroll((scroll, 0)),
            r,
        );
    }
}

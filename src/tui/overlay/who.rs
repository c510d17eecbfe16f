//! `:who` (`w`): who is online and what each has open: screen, order, search, and whom
//! they follow. It lists the presence reports this client holds; they update while it
//! is open.

use super::super::app::App;
use super::super::command::Command;
use super::super::keymap::Layer;
use super::super::safe::Safe;
use super::super::text::{self, L};
use super::super::ui::widgets::{bordered, centered, clear, fit};
use super::{Ctx, Outcome};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WhoOverlay;

impl WhoOverlay {
    pub fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Outcome {
        match ctx.keymap.lookup(Layer::Help, key) {
            Some(Command::Cancel) => Outcome::Close,
            _ => Outcome::Ignored,
        }
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = app.theme();
        let w = 76.min(area.width);
        let inner = usize::from(w.saturating_sub(4));
        let me = app.session().reviewer();
        let mut lines = vec![Line::from(vec![
            Span::styled(fit(&Safe::text(me), 12), th.title),
            Span::styled(format!(" {}", app.t(L::WhoYou)), th.muted),
        ])];
        let mut others: Vec<_> = app.presence().others().collect();
        others.sort_by(|a, b| a.name.cmp(&b.name));
        if others.is_empty() {
            lines.push(Line::from(Span::styled(app.t(L::WhoNobody), th.muted)));
        }
        for p in others {
            let v = &p.viewing;
            let mut what: Vec<String> = Vec::new();
            if !v.view.is_empty() {
                what.push(v.view.clone());
            }
            if let Some(o) = v.order.as_deref().or(v.selected.as_deref()) {
                what.push(o.to_string());
            }
            if let Some(q) = v.filter.as_deref() {
                what.push(format!("/{q}"));
            }
            if let Some(l) = v.following.as_deref() {
                what.push(text::fill(app.t(L::WhoFollowing), &[("who", l)]));
            }
            let rest = Safe::text(&what.join(" · "));
            lines.push(Line::from(vec![
                Span::styled(fit(&Safe::text(&p.name), 12), th.accent),
                Span::raw(" "),
                Span::raw(fit(&rest, inner.saturating_sub(13))),
            ]));
        }
        let r = centered(area, w, lines.len() as u16 + 2);
        clear(f, r);
        let title = format!(
            "{} ({})",
            app.t(L::WhoTitle),
            app.presence().others().count() + 1
        );
        f.render_widget(Paragraph::new(lines).block(bordered(app, title, true)), r);
    }
}

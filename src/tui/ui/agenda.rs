//! The call agenda screen: calls by day (Asia/Shanghai), the time, order, whom, the phone
//! (masked until revealed), the reviewer and the outcome; due-now and overdue calls
//! stand out. One key records the selected call's outcome.

use super::super::app::App;
use super::super::safe::Safe;
use super::super::text::{self, L};
use super::widgets::{bordered, fit};
use crate::domain::calls::CallDue;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let a = app.agenda();
    let block = bordered(
        app,
        format!("{} ({})", app.t(L::AgendaTitle), a.len()),
        true,
    );
    if !a.loaded() || a.is_empty() {
        let msg = if a.loaded() {
            app.t(L::NoCalls)
        } else {
            app.t(L::Loading)
        };
        f.render_widget(
            Paragraph::new(Span::styled(msg, th.muted)).block(block),
            area,
        );
        return;
    }
    let wide = area.width >= 100;
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0usize;
    let mut n = 0usize;
    let reveal = app.detail_state().revealed().is_some();
    for d in a.days() {
        lines.push(Line::from(Span::styled(
            format!("{} {}", d.day, weekday(app, d.day)),
            th.title,
        )));
        for c in &d.calls {
            let due = crate::agenda::due(c, app.now_ms());
            let (flag, style) = match due {
                CallDue::Overdue => (app.t(L::CallOverdue), th.block),
                CallDue::DueNow => (app.t(L::DueNow), th.warn),
                CallDue::Done => ("", th.muted),
                CallDue::Later => ("", th.base),
            };
            let time = jiff::Timestamp::from_millisecond(c.at_ms)
                .map(|t| {
                    t.to_zoned(crate::queue::time::shanghai())
                        .strftime("%H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            let phone = if reveal {
                c.phone.clone()
            } else {
                crate::domain::person::mask_phone(&c.phone)
            };
            let outcome = c
                .outcome
                .map(|o| text::value(o, app.lang()).to_string())
                .unwrap_or_else(|| "·".into());
            let marker = if n == a.selected() { "▶" } else { " " };
            if n == a.selected() {
                selected_line = lines.len();
            }
            let mut spans = vec![
                Span::styled(marker, th.accent),
                Span::styled(format!(" {time} "), style),
                Span::raw(fit(&Safe::text(&c.order).into_inner(), 15)),
                Span::raw(" "),
                Span::raw(fit(&Safe::text(&phone).into_inner(), 12)),
                Span::raw(" "),
            ];
            if wide {
                spans.push(Span::styled(
                    fit(&Safe::text(&c.who).into_inner(), 16),
                    th.muted,
                ));
                spans.push(Span::raw(" "));
                spans.push(Span::styled(
                    fit(&Safe::text(&c.reviewer).into_inner(), 10),
                    th.muted,
                ));
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(fit(&outcome, 10), th.muted));
            if !flag.is_empty() {
                spans.push(Span::styled(format!(" {flag}"), style));
            }
            let line = Line::from(spans);
            lines.push(if n == a.selected() {
                line.style(th.selection)
            } else {
                line
            });
            n += 1;
        }
    }
    let rows = usize::from(area.height.saturating_sub(2)).max(1);
    let scroll = selected_line.saturating_sub(rows.saturating_sub(1)) as u16;
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

fn weekday(app: &App, d: jiff::civil::Date) -> &'static str {
    use jiff::civil::Weekday::*;
    app.t(match d.weekday() {
        Monday => L::WeekMon,
        Tuesday => L::WeekTue,
        Wednesday => L::WeekWed,
        Thursday => L::WeekThu,
        Friday => L::WeekFri,
        Saturday => L::WeekSat,
        Sunday => L::WeekSun,
    })
}

//! The stats screen: the leads' report over the last 30 days (the same figures as
//! `icp-review report`): decisions per reviewer (bar chart), per day (sparkline), the
//! median time to a first decision, the share within the deadline, our rejection
//! reasons and the bureau's.

use super::super::app::App;
use super::super::safe::Safe;
use super::super::text::L;
use super::widgets::{bordered, fit};
use crate::report::ReasonCount;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Block, Paragraph, Sparkline};

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let Some(r) = app.stats_screen().report() else {
        let block = bordered(app, app.t(L::StatsTitle).to_string(), true);
        f.render_widget(
            Paragraph::new(Span::styled(app.t(L::Loading), th.muted)).block(block),
            area,
        );
        return;
    };
    let title = format!(
        "{} · {} {} – {}",
        app.t(L::StatsTitle),
        app.t(L::Period),
        r.from,
        r.to
    );
    let outer = bordered(app, title, true);
    let inner = outer.inner(area);
    f.render_widget(outer, area);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(2),
            Constraint::Min(4),
            Constraint::Min(4),
        ])
        .split(inner);
    // The figures.
    let median = r
        .median_minutes_to_first_decision
        .map(|m| format!("{m} {}", app.t(L::Minutes)))
        .unwrap_or_else(|| app.t(L::NoData).to_string());
    let share = r
        .within_deadline_share
        .map(|s| {
            format!(
                "{:.0}% ({}/{})",
                s * 100.0,
                r.within_deadline,
                r.first_decisions
            )
        })
        .unwrap_or_else(|| app.t(L::NoData).to_string());
    f.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(format!("{}: ", app.t(L::MedianFirst)), th.muted),
                Span::styled(median, th.title),
            ]),
            Line::from(vec![
                Span::styled(format!("{}: ", app.t(L::WithinDeadline)), th.muted),
                Span::styled(share, th.title),
            ]),
        ]),
        rows[0],
    );
    let top = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
        .split(rows[1]);
    let per: Vec<(String, u64)> = r
        .per_reviewer()
        .into_iter()
        .map(|(k, n)| (k, u64::from(n)))
        .collect();
    bars(app, f, top[0], app.t(L::DecisionsPerReviewer), &per);
    let per_day: Vec<u64> = r.per_day.iter().map(|(_, n)| u64::from(*n)).collect();
    let total: u64 = per_day.iter().sum();
    f.render_widget(
        Sparkline::default()
            .block(bordered(
                app,
                format!("{} ({total})", app.t(L::DecisionsPerDay)),
                false,
            ))
            .data(&per_day)
            .style(th.accent),
        top[1],
    );
    let bottom = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
        .split(rows[2]);
    bars(
        app,
        f,
        bottom[0],
        app.t(L::RejectionReasons),
        &counts(&r.rejection_reasons),
    );
    bars(
        app,
        f,
        bottom[1],
        app.t(L::BureauReasons),
        &counts(&r.bureau_reasons),
    );
}

fn counts(v: &[ReasonCount]) -> Vec<(String, u64)> {
    v.iter()
        .map(|c| (c.reason.clone(), u64::from(c.count)))
        .collect()
}

/// A horizontal bar chart of labelled counts, as many as fit.
fn bars(app: &App, f: &mut Frame, area: Rect, title: &str, data: &[(String, u64)]) {
    let th = app.theme();
    let block: Block = bordered(app, title.to_string(), false);
    if data.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(app.t(L::NoData), th.muted)).block(block),
            area,
        );
        return;
    }
    let room = usize::from(area.height.saturating_sub(2)).max(1);
    let label_w = usize::from(area.width.saturating_sub(2) / 2).clamp(4, 24);
    let bars: Vec<Bar> = data
        .iter()
        .take(room)
        .map(|(k, n)| {
            Bar::default()
                .value(*n)
                .label(Line::from(fit(&Safe::text(k).into_inner(), label_w)))
                .text_value(n.to_string())
        })
        .collect();
    f.render_widget(
        BarChart::horizontal(bars)
            .block(block)
            .bar_width(1)
            .bar_gap(0)
            .bar_style(th.accent)
            .value_style(th.title),
        area,
    );
}

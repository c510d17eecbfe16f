//! The triage view: the rejected orders grouped by reason (the group's name on its first
//! row, marks in the first column), and beside the detail the counts by reason (a bar
//! chart) and the rejections of the last 30 days (a sparkline).

use super::super::app::App;
use super::super::safe::Safe;
use super::super::state::Pane;
use super::super::text::L;
use super::super::view::triage::group_of;
use super::widgets::{bordered, fit};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Cell, Paragraph, Row, Sparkline, Table, TableState};

/// Rows the charts take above the detail.
pub const CHART_ROWS: u16 = 8;

/// Days since a rejection, as the list shows it.
fn ago(app: &App, ms: i64) -> String {
    let days = (app.now_ms() - ms).max(0) / (24 * 3600 * 1000);
    format!("{days}{}", app.t(L::DaysShort))
}

pub fn render_list(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let t = app.triage();
    let list = app.view().list();
    let mut title = format!("{} ({})", app.t(L::ViewTriage), list.len());
    if !t.marks().is_empty() {
        title.push_str(&format!(" · {} {}", t.marks().len(), app.t(L::Marked)));
    }
    let block = bordered(app, title, app.focus() == Pane::Queue);
    if list.is_empty() {
        let msg = if list.loading() {
            app.t(L::Loading)
        } else {
            app.t(L::Empty)
        };
        f.render_widget(
            Paragraph::new(Span::styled(msg, th.muted)).block(block),
            area,
        );
        return;
    }
    let inner = area.width.saturating_sub(3);
    let reason_w: u16 = if inner >= 100 { 24 } else { 14 };
    let by_w: u16 = 8;
    let (row_style, id_style) = super::widgets::selection_styles(app);
    let visible = usize::from(area.height.saturating_sub(3)).max(1);
    let offset = (list.selected() / visible) * visible;
    let shown = t.shown();
    let rows = list
        .items()
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, r)| {
            let s = r.summary();
            let item = shown.get(i);
            let group = item.map(group_of).unwrap_or_default();
            let first = i == offset
                || shown.get(i.wrapping_sub(1)).map(group_of).as_deref() != Some(group.as_str());
            let mark = if t.marks().contains(r.id()) {
                "●"
            } else {
                " "
            };
            let group_cell = if first {
                Span::styled(
                    fit(&Safe::text(&group).into_inner(), usize::from(reason_w)),
                    th.accent,
                )
            } else {
                Span::raw("")
            };
            let status = if s.status == crate::domain::Status::BureauRejected {
                Span::styled("B", th.warn)
            } else {
                Span::raw(" ")
            };
            Row::new(vec![
                Cell::from(Span::styled(mark, th.accent)),
                Cell::from(group_cell),
                Cell::from(s.id.clone()).style(if i == list.selected() {
                    id_style
                } else {
                    Style::default()
                }),
                Cell::from(status),
                Cell::from(
                    s.province
                        .strip_prefix("CN-")
                        .unwrap_or(&s.province)
                        .to_string(),
                ),
                Cell::from(fit(
                    &Safe::text(item.map(|x| x.by.as_str()).unwrap_or("")).into_inner(),
                    usize::from(by_w),
                )),
                Cell::from(item.map(|x| ago(app, x.rejected_ms)).unwrap_or_default()),
                Cell::from(s.subject_name.clone()),
            ])
        });
    let header = Row::new(vec![
        "",
        app.t(L::Reason),
        app.t(L::Id),
        "",
        app.t(L::Province),
        app.t(L::RejectedBy),
        app.t(L::Age),
        app.t(L::SubjectName),
    ])
    .style(th.muted);
    let widths = [
        Constraint::Length(1),
        Constraint::Length(reason_w),
        Constraint::Length(15),
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Length(by_w),
        Constraint::Length(5),
        Constraint::Min(6),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(row_style)
        .highlight_symbol("▶");
    let mut state = TableState::default().with_selected(Some(list.selected() - offset));
    f.render_stateful_widget(table, area, &mut state);
}

/// The counts by reason and the 30-day trend, side by side.
pub fn render_charts(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let t = app.triage();
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
        .split(area);
    let room = usize::from(cols[0].height.saturating_sub(2)).max(1);
    let label_w = usize::from(cols[0].width.saturating_sub(2) / 2).clamp(4, 24);
    let bars: Vec<Bar> = t
        .counts()
        .iter()
        .take(room)
        .map(|(reason, n)| {
            Bar::default()
                .value(*n)
                .label(Line::from(fit(&Safe::text(reason).into_inner(), label_w)))
                .text_value(n.to_string())
        })
        .collect();
    let chart = BarChart::horizontal(bars)
        .block(bordered(app, app.t(L::ByReason).to_string(), false))
        .bar_width(1)
        .bar_gap(0)
        .bar_style(th.accent)
        .value_style(th.title);
    f.render_widget(chart, cols[0]);
    let total: u64 = t.trend().iter().sum();
    let spark = Sparkline::default()
        .block(bordered(
            app,
            format!("{} ({total})", app.t(L::Trend30)),
            false,
        ))
        .data(t.trend())
        .style(th.warn);
    f.render_widget(spark, cols[1]);
}

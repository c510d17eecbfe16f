//! The queue list: id, filing type, province, subject, age against the review
//! deadline, finding counts by severity, claim. Only the loaded pages are held.

use super::super::app::{App, Pane};
use super::super::i18n::L;
use super::{bordered, safe};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

/// Working days between two instants in Asia/Shanghai (weekends skipped).
pub fn working_days(from_ms: i64, to_ms: i64) -> i64 {
    let tz = crate::queue::time::shanghai();
    let day = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .map(|t| t.to_zoned(tz.clone()).date())
            .ok()
    };
    let (Some(mut d), Some(end)) = (day(from_ms), day(to_ms)) else {
        return 0;
    };
    let mut n = 0;
    while d < end && n < 400 {
        d = d.tomorrow().unwrap_or(end);
        if d.weekday().to_monday_one_offset() <= 5 {
            n += 1;
        }
    }
    n
}

/// `5m`, `3h`, `2d4h`.
pub fn age_text(ms: i64) -> String {
    let mins = (ms / 60_000).max(0);
    if mins < 60 {
        format!("{mins}m")
    } else if mins < 24 * 60 {
        format!("{}h", mins / 60)
    } else {
        format!("{}d{}h", mins / (24 * 60), (mins / 60) % 24)
    }
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let th = &app.settings.theme;
    let focused = app.focus == Pane::Queue;
    let title = format!(
        "{} ({}{})",
        app.t(L::Queue),
        app.items.len(),
        if app.next.is_some() { "+" } else { "" }
    );
    let block = bordered(app, title, focused);
    if app.items.is_empty() {
        let msg = if app.list_loading {
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
    let wide = area.width >= 70;
    let header: Vec<&str> = if wide {
        vec![
            app.t(L::Id),
            app.t(L::Type),
            app.t(L::Province),
            app.t(L::SubjectName),
            app.t(L::Age),
            app.t(L::Flags),
            app.t(L::Claim),
        ]
    } else {
        vec![
            app.t(L::Id),
            app.t(L::Province),
            app.t(L::SubjectName),
            app.t(L::Age),
            app.t(L::Flags),
        ]
    };
    let rows = app.items.iter().map(|s| {
        let age_ms = app.now_ms - s.submitted_ms;
        let wd = working_days(s.submitted_ms, app.now_ms);
        let age_style = if !s.status.awaits_reviewer() {
            th.muted
        } else if wd >= 2 {
            th.block
        } else if wd >= 1 {
            th.warn
        } else {
            th.base
        };
        let mut flags = Vec::new();
        if s.blocks > 0 {
            flags.push(Span::styled(format!("✖{}", s.blocks), th.block));
        }
        if s.warns > 0 {
            if !flags.is_empty() {
                flags.push(Span::raw(" "));
            }
            flags.push(Span::styled(format!("▲{}", s.warns), th.warn));
        }
        if flags.is_empty() {
            flags.push(Span::styled("✔", th.ok));
        }
        let province = safe(s.province.strip_prefix("CN-").unwrap_or(&s.province));
        let mut cells = vec![Cell::from(safe(&s.id))];
        if wide {
            cells.push(Cell::from(s.filing_type.label(app.en())));
        }
        cells.push(Cell::from(province));
        cells.push(Cell::from(safe(&s.subject_name)));
        cells.push(Cell::from(Span::styled(age_text(age_ms), age_style)));
        cells.push(Cell::from(Line::from(flags)));
        if wide {
            cells.push(Cell::from(
                s.claim
                    .as_ref()
                    .map(|c| safe(&c.reviewer))
                    .unwrap_or_default(),
            ));
        }
        Row::new(cells)
    });
    let widths: Vec<Constraint> = if wide {
        vec![
            Constraint::Length(15),
            Constraint::Length(if app.en() { 14 } else { 8 }),
            Constraint::Length(4),
            Constraint::Min(10),
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Length(8),
        ]
    } else {
        vec![
            Constraint::Length(15),
            Constraint::Length(3),
            Constraint::Min(8),
            Constraint::Length(6),
            Constraint::Length(7),
        ]
    };
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(th.muted))
        .block(block)
        .row_highlight_style(th.selection)
        .highlight_symbol("▶");
    // Scroll by whole pages: moving the selection repaints two rows, not the table.
    let visible = usize::from(area.height.saturating_sub(3)).max(1);
    let offset = (app.selected / visible) * visible;
    let mut state = TableState::default()
        .with_offset(offset)
        .with_selected(Some(app.selected));
    f.render_stateful_widget(table, area, &mut state);
}

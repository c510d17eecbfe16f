//! The list of the active view: id, filing type, province, subject, the review deadline
//! ("due in 3 h", "overdue 1 working day" on the official working calendar), finding
//! counts and who holds the order. Only the rows on screen are built.

use super::super::app::{App, Selection};
use super::super::state::Pane;
use super::super::text::{self, L};
use super::widgets::bordered;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

/// A deadline label shortened for a narrow column ("late 1 wd", "剩3小时").
pub fn compact(label: &str) -> String {
    label
        .replace("due in ", "")
        .replace("overdue ", "late ")
        .replace(" working days", " wd")
        .replace(" working day", " wd")
        .replace("还剩", "剩")
        .replace("超时", "超")
        .replace("个工作日", "工作日")
}

/// The deadline of a row as shown (full, as the calendar words it), and its style.
pub fn due(app: &App, deadline_ms: i64, awaits: bool) -> (String, Style) {
    let th = app.theme();
    if !awaits {
        return ("—".into(), th.muted);
    }
    let cal = app.settings().calendar;
    let (Ok(d), Ok(now)) = (
        jiff::Timestamp::from_millisecond(deadline_ms),
        jiff::Timestamp::from_millisecond(app.now_ms()),
    ) else {
        return (String::new(), th.muted);
    };
    let due = cal.due(d, now);
    let style = match due {
        crate::domain::calendar::Due::Overdue { .. }
        | crate::domain::calendar::Due::OverdueDays(_) => th.block,
        crate::domain::calendar::Due::DueIn { .. } => th.warn,
        crate::domain::calendar::Due::DueInDays(_) => th.base,
    };
    (due.label(app.en()), style)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let focused = app.focus() == Pane::Queue;
    let list = app.view().list();
    let title = format!(
        "{} ({}{})",
        app.t(L::Queue),
        list.len(),
        if list.has_more() { "+" } else { "" }
    );
    let block = bordered(app, title, focused);
    if list.is_empty() {
        let msg = if app.seeding {
            app.t(L::SeedingDemo)
        } else if list.loading() {
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
    // Columns by room: the claim always shows (who holds an order matters at every
    // width), the type when there is room for it.
    let inner = area.width.saturating_sub(3);
    let claim_w: u16 = if inner >= 80 { 8 } else { 5 };
    // The deadline in full words where there is room, else shortened.
    let full_w: u16 = if app.en() { 23 } else { 14 };
    let fixed = 15 + 4 + 16 + 7 + claim_w + 8;
    let full = inner >= fixed + full_w;
    let due_w: u16 = if full {
        full_w
    } else if app.en() {
        10
    } else {
        9
    };
    let type_w: u16 = if app.en() { 14 } else { 8 };
    let with_type = inner >= fixed + due_w + type_w + 12;
    let mut header = vec![app.t(L::Id)];
    if with_type {
        header.push(app.t(L::Type));
    }
    header.extend([
        app.t(L::Province),
        app.t(L::SubjectName),
        app.t(L::DueCol),
        app.t(L::Flags),
        app.t(L::Claim),
    ]);
    let (row_style, id_style) = super::widgets::selection_styles(app);
    let visible = usize::from(area.height.saturating_sub(3)).max(1);
    // Scroll by whole pages: moving the selection repaints two rows, not the table.
    let offset = (list.selected() / visible) * visible;
    let rows = list
        .items()
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, r)| {
            let s = r.summary();
            let awaits = s.status.awaits_reviewer();
            let (due_text, due_style) = due(app, r.deadline_ms(), awaits);
            let due_text = if full { due_text } else { compact(&due_text) };
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
            // An awaiting-call order whose call is past its window.
            if s.status == crate::domain::Status::AwaitingCall && app.agenda().is_overdue(r.id()) {
                flags.insert(0, Span::styled("☎!", th.block));
            }
            let mut id = s.id.clone();
            if app.pending().holds(r.id()) {
                id = format!("{id}⏳");
            }
            let selected = i == list.selected();
            let mut cells =
                vec![Cell::from(id).style(if selected { id_style } else { Style::default() })];
            if with_type {
                cells.push(Cell::from(text::value(s.filing_type, app.lang())));
            }
            cells.push(Cell::from(
                s.province
                    .strip_prefix("CN-")
                    .unwrap_or(&s.province)
                    .to_string(),
            ));
            cells.push(Cell::from(s.subject_name.clone()));
            // The deadline keeps its colour on a selected row drawn whole.
            let due_cell = if selected && app.settings().selection == Selection::Row {
                Span::styled(
                    due_text,
                    row_style.patch(Style {
                        fg: due_style.fg,
                        ..Style::default()
                    }),
                )
            } else {
                Span::styled(due_text, due_style)
            };
            cells.push(Cell::from(due_cell));
            cells.push(Cell::from(Line::from(flags)));
            // Who holds it; else who else has it open (presence, never a lock).
            let holder = match &s.claim {
                Some(c) => Span::raw(super::widgets::fit(&c.reviewer, usize::from(claim_w))),
                None => {
                    let viewers = app.presence().viewing(r.id());
                    if viewers.is_empty() {
                        Span::raw("")
                    } else {
                        let marks: String = viewers
                            .iter()
                            .map(|n| crate::queue::presence::initials(n))
                            .collect();
                        let marks = crate::tui::safe::Safe::text(&format!("@{marks}"));
                        Span::styled(super::widgets::fit(&marks, usize::from(claim_w)), th.muted)
                    }
                }
            };
            cells.push(Cell::from(holder));
            Row::new(cells)
        });
    let mut widths = vec![Constraint::Length(15)];
    if with_type {
        widths.push(Constraint::Length(type_w));
    }
    widths.extend([
        Constraint::Length(4),
        Constraint::Min(8),
        Constraint::Length(due_w),
        Constraint::Length(7),
        Constraint::Length(claim_w),
    ]);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(th.muted))
        .block(block)
        .row_highlight_style(row_style)
        .highlight_symbol("▶");
    let mut state = TableState::default()
        .with_offset(0)
        .with_selected(Some(list.selected() - offset));
    f.render_stateful_widget(table, area, &mut state);
}

//! Rendering: a pure function of the state. One file per pane or dialog.

mod detail;
mod dialogs;
mod queue;

use super::app::{App, Pane};
use super::i18n::L;
use crate::domain::safe::sanitize;
use crate::rules::{Finding, Severity};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Below this width the detail goes under the list instead of beside it.
pub const WIDE: u16 = 120;

/// Applicant text made safe for the terminal.
pub fn safe(s: &str) -> String {
    sanitize(s).into_owned()
}

/// Findings on a field: exactly its path, or below it (`sites[0].leader` covers `sites[0].leader.mobile`).
pub fn flags_on<'a>(findings: &'a [Finding], path: &str) -> Vec<&'a Finding> {
    findings
        .iter()
        .filter(|f| {
            f.path == path
                || (f.path.starts_with(path)
                    && matches!(f.path.as_bytes().get(path.len()), Some(b'.') | Some(b'[')))
        })
        .collect()
}

/// The flag marks after a value: `✖ RULE-ID` / `▲ RULE-ID`.
pub fn flag_spans<'a>(app: &App, findings: &[&Finding]) -> Vec<Span<'a>> {
    let th = &app.settings.theme;
    let mut spans = Vec::new();
    for f in findings {
        let (sym, style) = match f.severity {
            Severity::Block => ("✖", th.block),
            Severity::Warn => ("▲", th.warn),
        };
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!("{sym} {}", f.rule), style));
    }
    spans
}

pub fn bordered<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let th = &app.settings.theme;
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { th.border_focus } else { th.border })
        .title(Span::styled(
            title,
            if focused { th.title } else { th.muted },
        ))
}

/// Draw the whole screen.
pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .split(area);
    top_bar(app, f, rows[0]);
    let body = rows[1];
    if area.width >= WIDE {
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(46), Constraint::Percentage(54)])
            .split(body);
        queue::render(app, f, cols[0]);
        detail::render(app, f, cols[1]);
    } else {
        let list_h = (body.height * 2 / 5).max(5);
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(list_h), Constraint::Min(3)])
            .split(body);
        queue::render(app, f, parts[0]);
        detail::render(app, f, parts[1]);
    }
    status_bar(app, f, rows[2]);
    dialogs::render(app, f, area);
}

fn top_bar(app: &App, f: &mut Frame, area: Rect) {
    let th = &app.settings.theme;
    let q = &app.query;
    let view = match app.view {
        super::app::View::Review => app.t(L::Queue),
        super::app::View::Triage => app.t(L::Triage),
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", app.t(L::AppTitle)), th.title),
        Span::styled(format!("· {view} "), th.accent),
        Span::styled(
            format!(
                "{} {} / {} {} ",
                app.stats.awaiting_review,
                app.t(L::Open),
                app.stats.total,
                app.t(L::Orders)
            ),
            th.muted,
        ),
    ];
    let sort = match q.sort {
        crate::queue::Sort::Age => "age",
        crate::queue::Sort::Province => "province",
        crate::queue::Sort::Findings => "findings",
    };
    spans.push(Span::styled(
        format!("{}:{sort} ", app.t(L::Sort)),
        th.muted,
    ));
    if let Some(s) = &q.q {
        spans.push(Span::styled(format!("/{} ", safe(s)), th.accent));
    }
    if let Some(p) = &q.province {
        spans.push(Span::styled(
            format!("{}={p} ", app.t(L::Province)),
            th.accent,
        ));
    }
    if let Some(t) = q.filing_type {
        spans.push(Span::styled(
            format!("{}={} ", app.t(L::Type), t.label(app.en())),
            th.accent,
        ));
    }
    if !app.settings.reviewer.is_empty() {
        spans.push(Span::styled(
            format!("{} {}", app.t(L::Reviewer), safe(&app.settings.reviewer)),
            th.muted,
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn status_bar(app: &App, f: &mut Frame, area: Rect) {
    let th = &app.settings.theme;
    let line = if let Some(p) = &app.pending {
        let secs = ((p.deadline_ms - app.now_ms).max(0) + 999) / 1000;
        Line::from(vec![
            Span::styled(
                format!(
                    " {} {} {} ",
                    app.t(L::Committing),
                    app.t(p.label),
                    safe(&p.order)
                ),
                th.danger_bg,
            ),
            Span::styled(format!(" {secs}s · {} ", app.t(L::Undo)), th.warn),
        ])
    } else if let Some(t) = &app.toast {
        Line::from(Span::styled(
            format!(" {} ", safe(&t.text)),
            if t.error { th.block } else { th.ok },
        ))
    } else {
        let km = &app.settings.keymap;
        use super::keymap::Command as C;
        let hints = [
            (C::Approve, L::ApproveTitle),
            (C::Reject, L::RejectTitle),
            (C::Call, L::CallTitle),
            (C::Search, L::SearchPrompt),
            (C::CommandLine, L::CommandPrompt),
            (C::Help, L::Help),
            (C::Quit, L::Quit),
        ];
        let mut spans = Vec::new();
        for (c, l) in hints {
            spans.push(Span::styled(format!(" {}", km.key_of(c)), th.key));
            spans.push(Span::styled(format!(" {}", app.t(l)), th.muted));
        }
        Line::from(spans)
    };
    f.render_widget(Paragraph::new(line), area);
}

/// `label: value` with flags, highlighted when its path is the jump target.
pub fn field_line<'a>(
    app: &App,
    label: L,
    value: String,
    path: &str,
    findings: &[Finding],
) -> Line<'a> {
    let th = &app.settings.theme;
    let flags = flags_on(findings, path);
    let mut spans = vec![
        Span::styled(format!("{}: ", app.t(label)), th.muted),
        Span::raw(value),
    ];
    spans.extend(flag_spans(app, &flags));
    let mut line = Line::from(spans);
    if app
        .highlight
        .as_deref()
        .is_some_and(|h| h == path || h.starts_with(&format!("{path}.")))
    {
        line = line.style(th.selection);
    }
    line
}

pub fn pane_title(app: &App, pane: Pane) -> String {
    app.t(pane.label()).to_string()
}

pub fn styled_severity(app: &App, s: Severity) -> Style {
    match s {
        Severity::Block => app.settings.theme.block,
        Severity::Warn => app.settings.theme.warn,
    }
}

//! Overlays: help (from the live keymap), approve confirmation, reject reasons with a
//! preview, call scheduling, and the search / command prompt.

use super::super::app::{App, CallDialog, Overlay, PromptKind, RejectDialog};
use super::super::i18n::L;
use super::super::input::Input;
use super::{bordered, safe};
use crate::domain::person::mask_phone;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Clear a dialog's area, and the wide glyph whose right half lies under its left edge
/// (else the terminal keeps the glyph and the dialog loses its border cell).
fn clear(f: &mut Frame, r: Rect) {
    if r.x > 0 {
        let buf = f.buffer_mut();
        for y in r.top()..r.bottom() {
            let c = &mut buf[(r.x - 1, y)];
            if unicode_width::UnicodeWidthStr::width(c.symbol()) > 1 {
                c.set_symbol(" ");
            }
        }
    }
    f.render_widget(Clear, r);
}

fn input_line<'a>(app: &App, label: &str, input: &Input, active: bool) -> Line<'a> {
    let th = &app.settings.theme;
    let shown = safe(&input.text);
    let mut spans = vec![Span::styled(format!("{label}: "), th.muted)];
    if active {
        let (a, b) = shown.split_at(
            shown
                .char_indices()
                .nth(input.cursor)
                .map_or(shown.len(), |(i, _)| i),
        );
        spans.push(Span::raw(a.to_string()));
        spans.push(Span::styled("▏", th.key));
        spans.push(Span::raw(b.to_string()));
    } else {
        spans.push(Span::raw(shown));
    }
    Line::from(spans)
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let Some(o) = &app.overlay else { return };
    match o {
        Overlay::Help => help(app, f, area),
        Overlay::Approve {
            blocks,
            note,
            error,
        } => approve(app, f, area, *blocks, note.as_ref(), *error),
        Overlay::Reject(d) => reject(app, f, area, d),
        Overlay::Call(d) => call(app, f, area, d),
        Overlay::Prompt { kind, input } => {
            let label = match kind {
                PromptKind::Search => format!("/{}", app.t(L::SearchPrompt)),
                PromptKind::Command => format!(":{}", app.t(L::CommandPrompt)),
            };
            let r = Rect {
                x: area.x,
                y: area.y + area.height.saturating_sub(1),
                width: area.width,
                height: 1,
            };
            f.render_widget(Clear, r);
            f.render_widget(Paragraph::new(input_line(app, &label, input, true)), r);
        }
    }
}

fn help(app: &App, f: &mut Frame, area: Rect) {
    let th = &app.settings.theme;
    let rows = app.settings.keymap.help_rows(app.settings.lang);
    if rows.len() as u16 + 2 > area.height {
        let r = centered(area, area.width, area.height);
        clear(f, r);
        let block = bordered(app, format!("{} (?/Esc)", app.t(L::Help)), true);
        let inner = block.inner(r);
        f.render_widget(block, r);
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
            .split(inner);
        let half = rows.len().div_ceil(2);
        for (c, chunk) in rows.chunks(half).enumerate() {
            let lines: Vec<Line> = chunk
                .iter()
                .map(|(k, d)| {
                    Line::from(vec![
                        Span::styled(format!("{k:<16}"), th.key),
                        Span::raw(*d),
                    ])
                })
                .collect();
            f.render_widget(Paragraph::new(lines), cols[c]);
        }
        return;
    }
    let r = centered(area, 76, rows.len() as u16 + 2);
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, desc)| {
            Line::from(vec![
                Span::styled(format!("{keys:<18}"), th.key),
                Span::raw(desc),
            ])
        })
        .collect();
    clear(f, r);
    f.render_widget(
        Paragraph::new(lines).block(bordered(app, format!("{} (?/Esc)", app.t(L::Help)), true)),
        r,
    );
}

fn approve(
    app: &App,
    f: &mut Frame,
    area: Rect,
    blocks: usize,
    note: Option<&Input>,
    error: Option<L>,
) {
    let th = &app.settings.theme;
    let id = app
        .selected_summary()
        .map(|s| safe(&s.id))
        .unwrap_or_default();
    let subject = app
        .selected_summary()
        .map(|s| safe(&s.subject_name))
        .unwrap_or_default();
    let mut lines = vec![
        Line::from(Span::styled(format!("{id}  {subject}"), th.title)),
        Line::from(""),
    ];
    if blocks > 0 {
        lines.push(Line::from(Span::styled(
            format!("✖ {blocks}  {}", app.t(L::ApproveBlocked)),
            th.block,
        )));
        match note {
            Some(n) => lines.push(input_line(app, app.t(L::OverrideTitle), n, true)),
            None => lines.push(Line::from(Span::styled(app.t(L::OverrideHint), th.warn))),
        }
    } else {
        lines.push(Line::from(app.t(L::ApproveAsk)));
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(app.t(L::ConfirmYesNo), th.key)));
    }
    if let Some(e) = error {
        lines.push(Line::from(Span::styled(app.t(e), th.block)));
    }
    let r = centered(area, 64, lines.len() as u16 + 2);
    clear(f, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(bordered(app, app.t(L::ApproveTitle).to_string(), true)),
        r,
    );
}

fn reject(app: &App, f: &mut Frame, area: Rect, d: &RejectDialog) {
    let th = &app.settings.theme;
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
                .map(|s| safe(&s.id))
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
    let en = app.settings.lang == crate::config::Language::En;
    let code_w = d
        .rows
        .iter()
        .map(|r| r.code.chars().count())
        .max()
        .unwrap_or(0);
    let visible = parts[0].height as usize;
    let offset = (d.cursor / visible.max(1)) * visible.max(1);
    let lines: Vec<Line> = d
        .rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, row)| {
            let mark = if row.selected { "[x]" } else { "[ ]" };
            let quick = if i < 9 {
                format!("{} ", i + 1)
            } else {
                "  ".into()
            };
            let text = if en { &row.en } else { &row.text };
            let mut line = Line::from(vec![
                Span::styled(quick, th.muted),
                Span::styled(
                    format!("{mark} "),
                    if row.selected { th.block } else { th.muted },
                ),
                Span::styled(format!("{:<code_w$} ", row.code), th.muted),
                Span::raw(safe(text)),
            ]);
            if i == d.cursor {
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
    match &d.editing {
        Some(ed) => preview.push(input_line(app, "✎", ed, true)),
        None => {
            for (n, row) in d.rows.iter().filter(|r| r.selected).enumerate() {
                preview.push(Line::from(format!("{}.{}", n + 1, safe(&row.text))));
            }
        }
    }
    f.render_widget(Paragraph::new(preview).wrap(Wrap { trim: false }), parts[1]);
    let hint = match d.error {
        Some(e) => Span::styled(app.t(e), th.block),
        None => Span::styled(app.t(L::RejectHint), th.key),
    };
    f.render_widget(Paragraph::new(Line::from(hint)), parts[2]);
}

fn call(app: &App, f: &mut Frame, area: Rect, d: &CallDialog) {
    let th = &app.settings.theme;
    let revealed = app.revealed.is_some()
        && app.revealed.as_deref() == app.selected_summary().map(|s| s.id.as_str());
    let mut lines = vec![Line::from(Span::styled(
        format!("{}:", app.t(L::CallWho)),
        if d.field == 0 { th.title } else { th.muted },
    ))];
    for (i, t) in d.targets.iter().enumerate() {
        let phone = if revealed {
            safe(&t.phone)
        } else {
            mask_phone(&safe(&t.phone))
        };
        let mut l = Line::from(format!(
            "  {} {}  {phone}",
            if i == d.target { "●" } else { "○" },
            safe(&t.label)
        ));
        if i == d.target && d.field == 0 {
            l = l.style(th.selection);
        }
        lines.push(l);
    }
    lines.push(input_line(app, app.t(L::CallWhen), &d.when, d.field == 1));
    lines.push(input_line(app, app.t(L::CallWhy), &d.why, d.field == 2));
    lines.push(Line::from(""));
    lines.push(match d.error {
        Some(e) => Line::from(Span::styled(app.t(e), th.block)),
        None => Line::from(Span::styled(app.t(L::CallHint), th.key)),
    });
    let r = centered(area, 72, lines.len() as u16 + 2);
    clear(f, r);
    f.render_widget(
        Paragraph::new(lines).block(bordered(app, app.t(L::CallTitle).to_string(), true)),
        r,
    );
}

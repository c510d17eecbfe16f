//! Rendering: a pure function of the state. One file per pane; overlays draw themselves.
//! Applicant text reaches these functions already made safe ([`super::safe::Safe`]).

pub mod agenda;
pub mod detail;
pub mod list;
mod preview;
pub mod stats;
pub mod triage;
pub mod widgets;

use super::app::App;
use super::keymap::Layer;
use super::state::Pane;
use super::text::{self, L};
use crate::rules::{Finding, Severity};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Below this width the detail goes under the list instead of beside it.
pub const WIDE: u16 = 120;

/// Where things go on a screen of a size: computed in one place for drawing and for the
/// update's page size and scroll arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub top: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub bottom: Rect,
    /// Rows of the list that show orders.
    pub list_rows: u16,
    /// Rows inside the detail's field pane (below findings and tabs), roughly.
    pub pane_rows: u16,
    /// Columns inside the detail panes.
    pub pane_cols: u16,
}

pub fn layout(size: (u16, u16)) -> Areas {
    let area = Rect::new(0, 0, size.0, size.1);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .split(area);
    let body = rows[1];
    let (list, detail) = if area.width >= WIDE {
        let cols = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(46), Constraint::Percentage(54)])
            .split(body);
        (cols[0], cols[1])
    } else {
        let list_h = (body.height * 2 / 5).max(5);
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(list_h), Constraint::Min(3)])
            .split(body);
        (parts[0], parts[1])
    };
    Areas {
        top: rows[0],
        list,
        detail,
        bottom: rows[2],
        list_rows: list.height.saturating_sub(3).max(1),
        pane_rows: (detail.height.saturating_sub(3) * 2 / 3)
            .saturating_sub(2)
            .max(1),
        pane_cols: detail.width.saturating_sub(2).max(1),
    }
}

/// Draw the whole screen.
pub fn render(app: &App, f: &mut Frame) {
    let a = layout((f.area().width, f.area().height));
    top_bar(app, f, a.top);
    match app.screen() {
        Some(super::view::Screen::Agenda) => {
            agenda::render(app, f, a.list.union(a.detail));
        }
        Some(super::view::Screen::Stats) => {
            stats::render(app, f, a.list.union(a.detail));
        }
        None if app.view_kind() == super::command::ViewKind::Triage => {
            triage::render_list(app, f, a.list);
            let h = a.detail.height;
            let charts = triage::CHART_ROWS.min(h / 2);
            let (c, d) = (
                Rect {
                    height: charts,
                    ..a.detail
                },
                Rect {
                    y: a.detail.y + charts,
                    height: h - charts,
                    ..a.detail
                },
            );
            triage::render_charts(app, f, c);
            detail::render(app, f, d);
        }
        None => {
            list::render(app, f, a.list);
            detail::render(app, f, a.detail);
        }
    }
    status_bar(app, f, a.bottom);
    if let Some(o) = app.overlay() {
        o.render(app, f, f.area());
    }
}

fn top_bar(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let q = app.view().query();
    let view = match (app.screen(), app.view_kind()) {
        (Some(super::view::Screen::Agenda), _) => app.t(L::AgendaTitle),
        (Some(super::view::Screen::Stats), _) => app.t(L::StatsTitle),
        (None, super::command::ViewKind::Review) => app.t(L::ViewReview),
        (None, super::command::ViewKind::Triage) => app.t(L::ViewTriage),
    };
    let mut spans = vec![Span::styled(format!(" {} ", app.t(L::AppTitle)), th.title)];
    // The queue cannot be reached: first, so it shows at every width.
    if let Some(o) = app.offline() {
        let secs = ((o.retry_at_ms - app.now_ms()).max(0) + 999) / 1000;
        spans.push(Span::styled(
            format!(
                " {} · {} ",
                app.t(L::Offline),
                text::fill(app.t(L::RetryingIn), &[("secs", &secs.to_string())])
            ),
            th.danger_bg,
        ));
        spans.push(Span::raw(" "));
    }
    // Pairing: whom this client follows, else who follows it or has its order open.
    if let Some(fl) = app.presence().following() {
        let label = if fl.paused {
            app.about(L::FollowingPaused, &fl.name, Some("resume_follow"))
        } else {
            app.about(L::Following, &fl.name, None)
        };
        spans.push(Span::styled(format!(" {label} "), th.accent));
    } else if let Some(asker) = app.presence().asks_drive() {
        let label = app.about(L::AsksDrive, asker, Some("hand_over"));
        spans.push(Span::styled(format!(" {label} "), th.accent));
    } else {
        let mut watchers: Vec<&str> = app.presence().followers();
        if let Some(id) = app.current().map(|l| l.id()) {
            for n in app.presence().viewing(id) {
                if !watchers.contains(&n) {
                    watchers.push(n);
                }
            }
        }
        if !watchers.is_empty() {
            let label = app.about(L::WatchedBy, &watchers.join(", "), None);
            spans.push(Span::styled(format!(" {label} "), th.accent));
        }
    }
    spans.extend([
        Span::styled(format!("· {view} "), th.accent),
        Span::styled(
            format!(
                "{} {} / {} {} ",
                app.stats().awaiting_review,
                app.t(L::Open),
                app.stats().total,
                app.t(L::Orders)
            ),
            th.muted,
        ),
    ]);
    let sort = match q.sort {
        crate::queue::Sort::Age => L::SortAge,
        crate::queue::Sort::Province => L::SortProvince,
        crate::queue::Sort::Findings => L::SortFindings,
    };
    spans.push(Span::styled(
        format!("{}:{} ", app.t(L::Sort), app.t(sort)),
        th.muted,
    ));
    if app.view().status_filtered() {
        let names: Vec<&str> = q
            .status
            .iter()
            .map(|s| text::value(*s, app.lang()))
            .collect();
        spans.push(Span::styled(
            format!("{}={} ", app.t(L::Status), names.join(",")),
            th.accent,
        ));
    }
    if let Some(s) = &q.q {
        spans.push(Span::styled(
            format!("/{} ", super::safe::Safe::text(s).into_inner()),
            th.accent,
        ));
    }
    if let Some(p) = &q.province {
        spans.push(Span::styled(
            format!(
                "{}={} ",
                app.t(L::Province),
                p.strip_prefix("CN-").unwrap_or(p)
            ),
            th.accent,
        ));
    }
    if let Some(t) = q.filing_type {
        spans.push(Span::styled(
            format!("{}={} ", app.t(L::Type), text::value(t, app.lang())),
            th.accent,
        ));
    }
    if app.view_kind() == super::command::ViewKind::Triage {
        let t = app.triage();
        if let Some(r) = t.reviewer() {
            spans.push(Span::styled(
                format!(
                    "{}={} ",
                    app.t(L::RejectedBy),
                    super::safe::Safe::text(r).into_inner()
                ),
                th.accent,
            ));
        }
        if let Some(r) = t.reason() {
            spans.push(Span::styled(
                format!(
                    "{}={} ",
                    app.t(L::Reason),
                    super::safe::Safe::text(r).into_inner()
                ),
                th.accent,
            ));
        }
        if let Some(d) = t.min_age_days() {
            spans.push(Span::styled(format!("{}≥{d} ", app.t(L::Age)), th.accent));
        }
    }
    // Deadlines past the calendar's years count weekdays only: say so.
    let today = jiff::Timestamp::from_millisecond(app.now_ms())
        .map(|t| t.to_zoned(crate::queue::time::shanghai()).date())
        .ok();
    if today.is_some_and(|d| !app.settings().calendar.covers(d)) {
        spans.push(Span::styled(
            format!("{} ", app.t(L::CalendarOutside)),
            th.warn,
        ));
    }
    let reviewer = app.session().reviewer();
    if !reviewer.is_empty() {
        spans.push(Span::styled(
            format!(
                "{} {}",
                app.t(L::Reviewer),
                super::safe::Safe::text(reviewer).into_inner()
            ),
            th.muted,
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The keys of a command in a layer, as the help writes them (`esc q ?`).
pub fn key_text(app: &App, layer: Layer, run: &str) -> String {
    app.keymap().keys_for(layer, run).join("/")
}

/// A command's description cut to its first words, for hints.
fn short(desc: &str) -> &str {
    let cut = desc.find(['（', '(']).unwrap_or(desc.len());
    desc[..cut].trim_end()
}

/// Footer hints for a stack of layers, from the live keymap.
pub fn hints<'a>(app: &App, layers: &[Layer]) -> Line<'a> {
    let th = app.theme();
    let wanted: &[&str] = match layers.first() {
        Some(Layer::Approve) => &["confirm", "cancel", "override"],
        Some(Layer::ApproveNote) | Some(Layer::RejectEdit) => &["confirm", "cancel"],
        Some(Layer::Reject) => &["toggle", "edit", "confirm", "cancel"],
        Some(Layer::Call) => &["next_field", "down", "confirm", "cancel"],
        Some(Layer::Prompt) => &["confirm", "complete", "history_prev", "cancel"],
        Some(Layer::Help) => &["down", "cancel"],
        Some(Layer::Triage) => &[
            "mark",
            "mark_range",
            "reopen",
            "reassign",
            "export",
            "palette",
            "help",
        ],
        Some(Layer::Agenda) => &[
            "outcome verified",
            "outcome no_answer",
            "outcome needs_correction",
            "outcome refused",
            "export_ics",
            "back",
        ],
        Some(Layer::Stats) => &["back", "help", "quit"],
        _ => &[
            "approve", "reject", "call", "undo", "search", "palette", "help", "quit",
        ],
    };
    let mut spans = Vec::new();
    for run in wanted {
        let key = app.keymap().key_for(layers, run);
        if key.is_empty() {
            continue;
        }
        let desc = match run
            .strip_prefix("outcome ")
            .and_then(crate::domain::CallOutcome::parse)
        {
            Some(o) => text::value(o, app.lang()),
            None => text::command(run, app.lang()).unwrap_or(run),
        };
        spans.push(Span::styled(format!(" {key}"), th.key));
        spans.push(Span::styled(format!(" {}", short(desc)), th.muted));
    }
    Line::from(spans)
}

fn status_bar(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let pending = app.pending();
    let line = if let Some(p) = pending.items().last() {
        let secs = pending.next_in_secs(app.now_ms()).unwrap_or(0);
        let mut spans = vec![Span::styled(
            format!(
                " {} {} {} ",
                app.t(L::Committing),
                app.t(p.label),
                super::safe::Safe::text(&p.order).into_inner()
            ),
            th.danger_bg,
        )];
        if pending.len() > 1 {
            spans.push(Span::styled(
                format!(" +{} {} ", pending.len() - 1, app.t(L::PendingCount)),
                th.warn,
            ));
        }
        spans.push(Span::styled(
            format!(
                " {} {secs}s · {} {} ",
                app.t(L::NextIn),
                app.keymap().key_for(&[Layer::Global], "undo"),
                text::command("undo", app.lang()).map(short).unwrap_or("")
            ),
            th.warn,
        ));
        Line::from(spans)
    } else if let Some(t) = app.toast() {
        Line::from(Span::styled(
            format!(" {} ", t.text()),
            if t.is_error() { th.block } else { th.ok },
        ))
    } else {
        hints(app, &app.layers())
    };
    f.render_widget(Paragraph::new(line), area);
}

/// Findings on a field: exactly its path, or below it (`sites[0].leader` covers
/// `sites[0].leader.mobile`).
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

pub fn styled_severity(app: &App, s: Severity) -> Style {
    match s {
        Severity::Block => app.theme().block,
        Severity::Warn => app.theme().warn,
    }
}

pub fn pane_title(app: &App, pane: Pane) -> String {
    app.t(pane.label()).to_string()
}

//! The selected order: findings on top, then the Subject, Sites, Materials and History
//! panes. Every flagged field carries its flags and their full messages; personal data is
//! masked until its reveal is recorded. Values come from a `Safe` detail: no string here
//! can carry a control character.

use super::super::app::App;
use super::super::state::Pane;
use super::super::state::detail::PANES;
use super::super::text::{self, L};
use super::widgets::bordered;
use super::{flags_on, styled_severity};
use crate::domain::person::{mask_id, mask_phone};
use crate::domain::{IdValidTo, Order, Person};
use crate::rules::{Finding, Severity};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs, Wrap};
use unicode_width::UnicodeWidthStr;

/// A value of the (already safe) detail, owned for a span.
fn own(s: &str) -> String {
    s.to_string()
}

/// A long value cut for the change list.
fn cut(s: &str) -> String {
    if s.chars().count() > 40 {
        s.chars().take(39).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// Personal values (id numbers, phones) are masked in the change list as everywhere.
fn change_value(app: &App, o: &Order, path: &str, v: Option<&str>) -> String {
    let Some(v) = v else {
        return "∅".into();
    };
    let last = path.rsplit('.').next().unwrap_or(path);
    let shown = match last {
        "id_number" | "number" if path.contains("leader") || path.contains("certificate") => {
            id_text(app, o, v)
        }
        "mobile" | "emergency_phone" | "office_phone" => phone_text(app, o, v),
        _ => own(v),
    };
    cut(&shown)
}

/// The changes since the rejected version whose path `wanted` accepts, marked
/// `+` added, `−` removed, `Δ` changed, with old → new.
fn changed_lines<'a>(app: &App, o: &Order, out: &mut Vec<Line<'a>>, wanted: impl Fn(&str) -> bool) {
    use crate::domain::diff::ChangeKind;
    let th = app.theme();
    let Some(l) = app.current() else {
        return;
    };
    let mine: Vec<_> = l
        .changes()
        .changes
        .iter()
        .filter(|c| wanted(&c.path))
        .collect();
    if mine.is_empty() {
        return;
    }
    out.push(Line::from(Span::styled(
        format!("{} ({}):", app.t(L::ChangedHere), mine.len()),
        th.warn,
    )));
    for c in mine {
        let mark = match c.kind {
            ChangeKind::Added => "+",
            ChangeKind::Removed => "−",
            ChangeKind::Changed => "Δ",
        };
        out.push(Line::from(vec![
            Span::styled(format!("  {mark} {} ", c.path), th.warn),
            Span::styled(change_value(app, o, &c.path, c.old.as_deref()), th.muted),
            Span::raw(" → "),
            Span::raw(change_value(app, o, &c.path, c.new.as_deref())),
        ]));
    }
}

/// The flag marks after a value: `✖ RULE-ID` / `▲ RULE-ID`.
fn flag_spans<'a>(app: &App, findings: &[&Finding]) -> Vec<Span<'a>> {
    let th = app.theme();
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

/// The message of the finding jumped to, under its field (the pane wraps it). Every
/// message is in the findings box above; under the fields they would push the rows
/// below down, so that moving to an order with other findings moved every field.
fn messages<'a>(app: &App, findings: &[&Finding], out: &mut Vec<Line<'a>>) {
    let jumped = app.detail_state().highlight();
    for f in findings.iter().filter(|f| jumped == Some(f.path.as_str())) {
        let msg = if app.en() { &f.message_en } else { &f.message };
        out.push(Line::from(vec![
            Span::raw("    "),
            Span::styled(own(msg), styled_severity(app, f.severity)),
        ]));
    }
}

fn highlighted(app: &App, path: &str) -> bool {
    app.detail_state().highlight().is_some_and(|h| {
        h == path || h.starts_with(&format!("{path}.")) || h.starts_with(&format!("{path}["))
    })
}

/// `label: value` with its flags and their messages, highlighted when its path is the
/// jump target.
fn field<'a>(
    out: &mut Vec<Line<'a>>,
    app: &App,
    label: L,
    value: String,
    path: &str,
    findings: &[Finding],
) {
    let th = app.theme();
    let flags = flags_on(findings, path);
    let mut spans = vec![
        Span::styled(format!("{}: ", app.t(label)), th.muted),
        Span::raw(value),
    ];
    spans.extend(flag_spans(app, &flags));
    let mut line = Line::from(spans);
    if highlighted(app, path) {
        line = line.style(th.selection);
    }
    out.push(line);
    messages(app, &flags, out);
}

/// The pane shown for a focus.
fn shown_pane(focus: Pane) -> Pane {
    match focus {
        Pane::Queue | Pane::Findings => Pane::Subject,
        p => p,
    }
}

/// The lines of a detail pane.
fn pane_lines<'a>(app: &App, pane: Pane) -> Vec<Line<'a>> {
    let Some(l) = app.current().or(app.detail_state().loaded()) else {
        return Vec::new();
    };
    let d = l.detail();
    match pane {
        Pane::Sites => sites(app, &d.order, &d.findings),
        Pane::Materials => materials(app, &d.order, &d.findings),
        Pane::History => history(app),
        _ => subject(app, &d.order, &d.findings, d.version),
    }
}

/// Display rows a line takes when wrapped to `width` columns.
fn rows_of(line: &Line, width: u16) -> u16 {
    let w: usize = line.spans.iter().map(|s| s.content.width()).sum();
    (w.max(1).div_ceil(usize::from(width.max(1)))) as u16
}

/// The display row (after wrapping) of the highlighted field's line in a pane.
pub fn highlight_row(app: &App, pane: Pane) -> Option<u16> {
    let th = app.theme();
    let width = super::layout(app.size()).pane_cols;
    let lines = pane_lines(app, pane);
    let at = lines.iter().position(|l| l.style == th.selection)?;
    Some(lines[..at].iter().map(|l| rows_of(l, width)).sum())
}

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let th = app.theme();
    let Some(sel) = app.selected_summary() else {
        f.render_widget(
            Paragraph::new(Span::styled(app.t(L::NoSelection), th.muted)).block(bordered(
                app,
                String::new(),
                false,
            )),
            area,
        );
        return;
    };
    // While the selected order's detail loads, the previous one stays on screen under its
    // own title (and, past a short fetch, the title says the selected one is loading):
    // moving through the queue then repaints the list's marker, and the pane once when
    // the new detail comes. Decisions need the current detail, so none act on it.
    let (l, stale) = match app.current() {
        Some(l) => (l, false),
        None => match app.detail_state().loaded() {
            Some(l) => (l, true),
            None => {
                let title = format!("{} · {}", sel.id, app.t(L::Loading));
                f.render_widget(Paragraph::new("").block(bordered(app, title, false)), area);
                return;
            }
        },
    };
    let d = l.detail();
    // The findings box keeps a third of the pane whatever the order holds: the fields
    // below stay in their rows from order to order (the eye finds them in one place, and
    // a move repaints the values that differ, not every row), and the box shows every
    // finding's whole message where they fit (it scrolls to the selected one beyond).
    let findings_h = (area.height / 3).max(3);
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(findings_h),
            Constraint::Length(1),
            Constraint::Min(3),
        ])
        .split(area);
    findings(app, f, parts[0], &d.findings, l.blocks());

    let shown = shown_pane(app.focus());
    let titles: Vec<Line> = PANES[2..]
        .iter()
        .map(|p| Line::from(app.t(p.label())))
        .collect();
    let selected = PANES[2..].iter().position(|p| *p == shown).unwrap_or(0);
    f.render_widget(
        Tabs::new(titles)
            .select(selected)
            .style(th.muted)
            .highlight_style(th.title)
            .divider("│"),
        parts[1],
    );
    let lines = pane_lines(app, shown);
    let focused = matches!(
        app.focus(),
        Pane::Subject | Pane::Sites | Pane::Materials | Pane::History
    );
    // The picture: beside the fields when comparing, under the list in the Materials pane.
    let picture = app.preview().is_some();
    let (text_area, picture_area) =
        if picture && app.detail_state().compare() && shown != Pane::Materials {
            let cols = Layout::default()
                .direction(Direction::Horizontal)
                .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
                .split(parts[2]);
            (cols[0], Some(cols[1]))
        } else if picture && shown == Pane::Materials && parts[2].height >= 10 {
            let rows = Layout::default()
                .direction(Direction::Vertical)
                .constraints([Constraint::Percentage(40), Constraint::Percentage(60)])
                .split(parts[2]);
            (rows[0], Some(rows[1]))
        } else {
            (parts[2], None)
        };
    let width = text_area.width.saturating_sub(2);
    let total: u16 = lines.iter().map(|l| rows_of(l, width)).sum();
    let scroll = if shown == Pane::Materials && app.focus() == Pane::Materials {
        // Keep the material under the cursor in view.
        let at = lines
            .iter()
            .position(|l| l.spans.first().is_some_and(|s| s.content == "▶ "))
            .unwrap_or(0);
        let row: u16 = lines[..at].iter().map(|l| rows_of(l, width)).sum();
        row.saturating_sub(text_area.height.saturating_sub(4))
    } else {
        app.detail_state().scroll().min(total.saturating_sub(1))
    };
    let title = if stale && app.loading_hint() {
        format!("{} · {} ({})", sel.id, app.t(L::Loading), d.order.id)
    } else {
        format!(
            "{} · {} v{}",
            d.order.id,
            text::value(d.order.status, app.lang()),
            d.version
        )
    };
    f.render_widget(
        Paragraph::new(lines)
            .block(bordered(app, title, focused))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        text_area,
    );
    if let Some(area) = picture_area {
        super::preview::render(app, f, area);
    }
}

fn findings(app: &App, f: &mut Frame, area: Rect, list: &[Finding], blocks: usize) {
    let th = app.theme();
    let focused = app.focus() == Pane::Findings;
    let title = format!(
        "{} ✖{} ▲{}",
        app.t(L::Findings),
        blocks,
        list.len() - blocks
    );
    if list.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(app.t(L::NoFindings), th.ok))
                .block(bordered(app, title, focused)),
            area,
        );
        return;
    }
    let width = area.width.saturating_sub(2);
    let mut at_row = 0u16;
    let mut selected_row = 0u16;
    let lines: Vec<Line> = list
        .iter()
        .enumerate()
        .map(|(i, fd)| {
            let mut line = finding_line(app, fd);
            if focused && i == app.detail_state().finding() {
                line = line.style(th.selection);
                selected_row = at_row;
            }
            at_row += rows_of(&line, width);
            line
        })
        .collect();
    // Whole messages, wrapped; the selected finding kept in view.
    let visible = area.height.saturating_sub(2).max(1);
    let offset = if focused {
        selected_row.saturating_sub(visible.saturating_sub(2))
    } else {
        0
    };
    f.render_widget(
        Paragraph::new(lines)
            .block(bordered(app, title, focused))
            .wrap(Wrap { trim: false })
            .scroll((offset, 0)),
        area,
    );
}

/// A finding in the box: its mark, rule, path and message.
fn finding_line<'a>(app: &App, fd: &Finding) -> Line<'a> {
    let sym = if fd.severity == Severity::Block {
        "✖"
    } else {
        "▲"
    };
    let msg = if app.en() {
        &fd.message_en
    } else {
        &fd.message
    };
    Line::from(vec![
        Span::styled(
            format!("{sym} {} ", fd.rule),
            styled_severity(app, fd.severity),
        ),
        Span::styled(format!("{} ", fd.path), app.theme().muted),
        Span::raw(own(msg)),
    ])
}

fn revealed(app: &App, _o: &Order) -> bool {
    let shown = app.detail_state().loaded().map(|l| l.id());
    shown.is_some() && app.detail_state().revealed() == shown
}

fn id_text(app: &App, o: &Order, s: &str) -> String {
    if revealed(app, o) {
        own(s)
    } else {
        mask_id(&own(s))
    }
}

fn phone_text(app: &App, o: &Order, s: &str) -> String {
    if revealed(app, o) {
        own(s)
    } else {
        mask_phone(&own(s))
    }
}

fn person<'a>(
    app: &App,
    o: &Order,
    p: &Person,
    path: &str,
    findings: &[Finding],
    out: &mut Vec<Line<'a>>,
) {
    let th = app.theme();
    let lr = if p.is_legal_representative {
        app.t(L::Yes)
    } else {
        app.t(L::No)
    };
    let mut head = vec![
        Span::styled(format!("{}: ", app.t(L::Leader)), th.muted),
        Span::styled(own(&p.name), th.title),
    ];
    head.push(Span::styled(
        format!("  {} {lr}", app.t(L::LegalRep)),
        th.muted,
    ));
    let mine: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            f.path == path
                || f.path == format!("{path}.name")
                || f.path == format!("{path}.is_legal_representative")
        })
        .collect();
    head.extend(flag_spans(app, &mine));
    let mut line = Line::from(head);
    if app.detail_state().highlight().is_some_and(|h| {
        h == path || h == format!("{path}.name") || h == format!("{path}.is_legal_representative")
    }) {
        line = line.style(th.selection);
    }
    out.push(line);
    messages(app, &mine, out);
    let sub = |k: &str| format!("{path}.{k}");
    field(
        out,
        app,
        L::IdNumber,
        format!(
            "{} {}",
            text::value(p.id_type, app.lang()),
            id_text(app, o, &p.id_number)
        ),
        &sub("id_number"),
        findings,
    );
    if !flags_on(findings, &sub("id_type")).is_empty() {
        field(
            out,
            app,
            L::Certificate,
            text::value(p.id_type, app.lang()).to_string(),
            &sub("id_type"),
            findings,
        );
    }
    field(
        out,
        app,
        L::Mobile,
        phone_text(app, o, &p.mobile),
        &sub("mobile"),
        findings,
    );
    field(
        out,
        app,
        L::Emergency,
        phone_text(app, o, &p.emergency_phone),
        &sub("emergency_phone"),
        findings,
    );
    field(out, app, L::Email, own(&p.email), &sub("email"), findings);
    if let Some(op) = &p.office_phone {
        field(
            out,
            app,
            L::Office,
            phone_text(app, o, op),
            &sub("office_phone"),
            findings,
        );
    }
    if let Some(v) = &p.id_valid_to {
        let text = match v {
            IdValidTo::LongTerm => "长期 / long term".to_string(),
            IdValidTo::Date(d) => d.to_string(),
        };
        field(out, app, L::ValidTo, text, &sub("id_valid_to"), findings);
    }
}

fn subject<'a>(app: &App, o: &Order, findings: &[Finding], version: i64) -> Vec<Line<'a>> {
    let th = app.theme();
    let s = &o.subject;
    let mut out = Vec::new();
    let mut head = vec![
        Span::styled(own(&o.id), th.title),
        Span::raw(format!(
            "  {} · {} · v{version}",
            text::value(o.filing_type, app.lang()),
            text::value(o.status, app.lang())
        )),
        Span::styled(
            format!(
                "  {}",
                crate::queue::time::rfc3339_shanghai(o.submitted_at.as_millisecond())
            ),
            th.muted,
        ),
    ];
    let top: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            matches!(
                f.path.as_str(),
                "id" | "filing_type" | "sites" | "materials"
            )
        })
        .collect();
    head.extend(flag_spans(app, &top));
    out.push(Line::from(head));
    messages(app, &top, &mut out);
    field(
        &mut out,
        app,
        L::SubjectName,
        own(&s.name),
        "subject.name",
        findings,
    );
    field(
        &mut out,
        app,
        L::Nature,
        text::value(s.nature, app.lang()).to_string(),
        "subject.nature",
        findings,
    );
    let cert_no = if s.certificate.kind.is_personal() {
        id_text(app, o, &s.certificate.number)
    } else {
        own(&s.certificate.number)
    };
    field(
        &mut out,
        app,
        L::Certificate,
        format!("{} {cert_no}", text::value(s.certificate.kind, app.lang())),
        "subject.certificate",
        findings,
    );
    let region = format!(
        "{} {} {}",
        own(&s.region.province),
        own(s.region.city.as_deref().unwrap_or("")),
        own(s.region.district.as_deref().unwrap_or(""))
    );
    field(&mut out, app, L::Region, region, "subject.region", findings);
    field(
        &mut out,
        app,
        L::Address,
        own(&s.address),
        "subject.address",
        findings,
    );
    if let Some(n) = &s.icp_number {
        field(
            &mut out,
            app,
            L::IcpNumber,
            own(n),
            "subject.icp_number",
            findings,
        );
    }
    person(app, o, &s.leader, "subject.leader", findings, &mut out);
    if let Some(r) = o.remarks.as_deref().filter(|r| !r.is_empty()) {
        field(&mut out, app, L::Remarks, own(r), "remarks", findings);
    }
    if let Some(l) = app.current().filter(|_| o.previous.is_some()) {
        let d = l.changes();
        out.push(Line::from(Span::styled(
            format!("{}: {}", app.t(L::Previous), d.summary(app.en())),
            th.accent,
        )));
        if !l.reason_checks().is_empty() {
            out.push(Line::from(Span::styled(
                format!("{}:", app.t(L::PreviousReasons)),
                th.muted,
            )));
            for c in l.reason_checks() {
                let (mark, label, style) = if c.resolved {
                    ("✔", L::Resolved, th.ok)
                } else {
                    ("✖", L::StillPresent, th.block)
                };
                out.push(Line::from(vec![
                    Span::styled(format!("  {mark} {} ", own(&c.reason.code)), style),
                    Span::styled(app.t(label), style),
                    Span::styled(format!(" {}", cut(&own(&c.reason.text))), th.muted),
                ]));
            }
        }
        changed_lines(app, o, &mut out, |p| {
            !p.starts_with("sites") && !p.starts_with("materials")
        });
    }
    if revealed(app, o) {
        out.push(Line::from(Span::styled(app.t(L::Revealed), th.warn)));
    } else {
        // The reveal key from the live keymap, never written into the label.
        out.push(Line::from(vec![
            Span::styled(format!("{} ", app.t(L::Masked)), th.muted),
            Span::styled(
                app.keymap()
                    .key_for(&[crate::tui::keymap::Layer::Global], "reveal")
                    .to_string(),
                th.key,
            ),
            Span::styled(
                format!(" {}", text::command("reveal", app.lang()).unwrap_or("")),
                th.muted,
            ),
        ]));
    }
    out
}

fn sites<'a>(app: &App, o: &Order, findings: &[Finding]) -> Vec<Line<'a>> {
    let th = app.theme();
    let mut out = Vec::new();
    for (i, s) in o.sites.iter().enumerate() {
        let p = format!("sites[{i}]");
        let mut head = vec![
            Span::styled(
                format!("#{} {} ", i + 1, text::value(s.kind, app.lang())),
                th.accent,
            ),
            Span::styled(own(&s.name), th.title),
        ];
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.path == p || f.path == format!("{p}.name"))
            .collect();
        head.extend(flag_spans(app, &mine));
        let mut line = Line::from(head);
        if app
            .detail_state()
            .highlight()
            .is_some_and(|h| h == p || h == format!("{p}.name"))
        {
            line = line.style(th.selection);
        }
        out.push(line);
        messages(app, &mine, &mut out);
        if let Some(n) = &s.icp_number {
            field(
                &mut out,
                app,
                L::IcpNumber,
                own(n),
                &format!("{p}.icp_number"),
                findings,
            );
        }
        for (j, d) in s.domains.iter().enumerate() {
            let dp = format!("{p}.domains[{j}]");
            field(
                &mut out,
                app,
                L::Domains,
                format!(
                    "{}  {} {}  {} {}",
                    own(&d.name),
                    app.t(L::Holder),
                    own(&d.holder),
                    app.t(L::Expires),
                    d.expires_on
                ),
                &dp,
                findings,
            );
        }
        for (j, ip) in s.ips.iter().enumerate() {
            field(
                &mut out,
                app,
                L::Ips,
                own(ip),
                &format!("{p}.ips[{j}]"),
                findings,
            );
        }
        let services: Vec<&str> = s
            .service_types
            .iter()
            .map(|x| text::value(*x, app.lang()))
            .collect();
        field(
            &mut out,
            app,
            L::Services,
            services.join("、"),
            &format!("{p}.service_types"),
            findings,
        );
        let langs: Vec<String> = s.languages.iter().map(|l| own(l)).collect();
        field(
            &mut out,
            app,
            L::Languages,
            langs.join(", "),
            &format!("{p}.languages"),
            findings,
        );
        for (k, c) in s.content_categories.iter().enumerate() {
            field(
                &mut out,
                app,
                L::Content,
                text::value(*c, app.lang()).to_string(),
                &format!("{p}.content_categories[{k}]"),
                findings,
            );
        }
        for a in &s.pre_approvals {
            out.push(Line::from(vec![
                Span::styled(format!("{}: ", app.t(L::PreApprovals)), th.muted),
                Span::raw(format!(
                    "{} {} ({})",
                    text::value(a.category, app.lang()),
                    own(&a.number),
                    own(&a.material)
                )),
            ]));
        }
        let acc = &s.access;
        let code = acc
            .auth_code
            .as_deref()
            .map(|c| format!(" {}", own(c)))
            .unwrap_or_default();
        field(
            &mut out,
            app,
            L::Access,
            format!(
                "{} {}{code}  {} {}",
                text::value(acc.method, app.lang()),
                own(&acc.resource_id),
                app.t(L::Prepaid),
                acc.prepaid_months
            ),
            &format!("{p}.access"),
            findings,
        );
        if let Some(appinfo) = &s.app {
            for (k, pl) in appinfo.platforms.iter().enumerate() {
                field(
                    &mut out,
                    app,
                    L::AppInfo,
                    format!(
                        "{} {} md5 {}",
                        own(&pl.platform),
                        own(&pl.package),
                        own(&pl.md5)
                    ),
                    &format!("{p}.app.platforms[{k}]"),
                    findings,
                );
            }
        }
        person(
            app,
            o,
            &s.leader,
            &format!("{p}.leader"),
            findings,
            &mut out,
        );
        let under = format!("{p}.");
        let under_i = format!("{p}[");
        changed_lines(app, o, &mut out, |c| {
            c == p || c.starts_with(&under) || c.starts_with(&under_i)
        });
        out.push(Line::from(""));
    }
    // Sites the resubmission removed.
    let n = o.sites.len();
    changed_lines(app, o, &mut out, |c| {
        c.strip_prefix("sites[")
            .and_then(|r| r.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
            .is_some_and(|i| i >= n)
    });
    out
}

fn materials<'a>(app: &App, o: &Order, findings: &[Finding]) -> Vec<Line<'a>> {
    let th = app.theme();
    let mut out = Vec::new();
    let top = flags_on(findings, "materials")
        .into_iter()
        .filter(|f| f.path == "materials")
        .collect::<Vec<_>>();
    if !top.is_empty() {
        let mut l = vec![Span::styled(format!("{}:", app.t(L::Materials)), th.muted)];
        l.extend(flag_spans(app, &top));
        out.push(Line::from(l));
        messages(app, &top, &mut out);
    }
    let states: &[crate::rules::MaterialState] = app
        .current()
        .or(app.detail_state().loaded())
        .map_or(&[], |l| &l.detail().materials);
    let cursor = (app.focus() == Pane::Materials).then(|| app.detail_state().material());
    for (k, m) in o.materials.iter().enumerate() {
        let p = format!("materials[{k}]");
        let site = m.site.map(|s| format!(" #{}", s + 1)).unwrap_or_default();
        let file = own(m.file.rsplit('/').next().unwrap_or(&m.file));
        let at = out.len();
        field(
            &mut out,
            app,
            L::Kind,
            format!(
                "{}{site}  [{}]  {file}",
                text::value(m.kind, app.lang()),
                own(&m.id)
            ),
            &p,
            findings,
        );
        if cursor == Some(k) {
            let line = std::mem::take(&mut out[at]);
            out[at] = Line::from(
                std::iter::once(Span::styled("▶ ", th.key))
                    .chain(line.spans)
                    .collect::<Vec<_>>(),
            )
            .style(line.style.patch(th.border_focus));
        }
        out.push(Line::from(Span::styled(
            format!("    {}", facts(app, states.get(k))),
            th.muted,
        )));
    }
    changed_lines(app, o, &mut out, |c| c.starts_with("materials"));
    out
}

/// What the inspector measured of a material, in one line.
pub fn facts(app: &App, state: Option<&crate::rules::MaterialState>) -> String {
    use crate::rules::MaterialState as S;
    match state {
        Some(S::Inspected(i)) => {
            let kb = i.size.div_ceil(1024);
            let size = if kb >= 1024 {
                format!("{:.1} MB", i.size as f64 / (1024.0 * 1024.0))
            } else {
                format!("{kb} KB")
            };
            let mut parts = vec![i.format.name().to_string(), size];
            match &i.image {
                Some(im) => {
                    parts.push(format!("{}×{}", im.width, im.height));
                    parts.push(app.t(if im.greyscale { L::Grey } else { L::Colour }).into());
                    parts.push(
                        app.t(if im.border_near_white {
                            L::BorderWhite
                        } else {
                            L::BorderNotWhite
                        })
                        .into(),
                    );
                }
                None if i.decode_error.is_some() => parts.push(app.t(L::Undecodable).into()),
                None => {}
            }
            parts.push(format!("sha256 {}…", &i.sha256[..12.min(i.sha256.len())]));
            parts.join(" · ")
        }
        Some(S::Missing(_)) => app.t(L::Missing).into(),
        Some(S::Unreadable(_)) => app.t(L::Unreadable).into(),
        Some(S::NotChecked) | None => app.t(L::NotChecked).into(),
    }
}

fn history<'a>(app: &App) -> Vec<Line<'a>> {
    let th = app.theme();
    let mut out = Vec::new();
    let Some(l) = app.current().or(app.detail_state().loaded()) else {
        return out;
    };
    for e in l.history() {
        let at = crate::queue::time::rfc3339_shanghai(e.at.as_millisecond());
        out.push(Line::from(vec![
            Span::styled(format!("{} ", &at[..16.min(at.len())]), th.muted),
            Span::styled(format!("{} ", text::value(e.event, app.lang())), th.accent),
            Span::raw(own(&e.actor)),
        ]));
        for r in &e.reasons {
            out.push(Line::from(Span::raw(format!(
                "    · [{}] {}",
                own(&r.code),
                own(&r.text)
            ))));
        }
        if let Some(n) = &e.note {
            out.push(Line::from(Span::styled(
                format!("    {}", own(n)),
                th.muted,
            )));
        }
        if let Some(c) = &e.call {
            let outcome = c.outcome.map(|x| text::value(x, app.lang())).unwrap_or("");
            out.push(Line::from(Span::raw(format!(
                "    ☎ {} {} {outcome}",
                own(&c.who),
                crate::queue::time::rfc3339_shanghai(c.at.as_millisecond())
            ))));
        }
    }
    if out.is_empty() {
        out.push(Line::from(Span::styled("—", th.muted)));
    }
    out
}

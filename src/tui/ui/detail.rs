//! The selected order: findings summary on top, then the Subject, Sites, Materials and
//! History panes. Every flagged field carries its flags; personal data is masked until
//! revealed.

use super::super::app::{App, PANES, Pane};
use super::super::i18n::L;
use super::{bordered, field_line, flag_spans, flags_on, safe, styled_severity};
use crate::domain::person::{mask_id, mask_phone};
use crate::domain::{IdValidTo, Order, Person};
use crate::rules::Finding;
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs, Wrap};

pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let th = &app.settings.theme;
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
    // While the selected order's detail loads, the previous one stays on screen (the
    // title says so): moving through the queue then repaints two rows and a title,
    // not the whole pane twice. Decisions need current_detail(), so none act on it.
    let (d, stale) = match app.current_detail() {
        Some(d) => (d, false),
        None => match app.detail.as_ref() {
            Some(d) => (d, true),
            None => {
                let title = format!("{} · {}", safe(&sel.id), app.t(L::Loading));
                f.render_widget(Paragraph::new("").block(bordered(app, title, false)), area);
                return;
            }
        },
    };
    let n = d.findings.len() as u16;
    let findings_h = if n == 0 {
        3
    } else {
        (n + 2).min(area.height / 3).max(3)
    };
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(findings_h),
            Constraint::Length(1),
            Constraint::Min(3),
        ])
        .split(area);
    findings(app, f, parts[0], &d.findings);

    let shown = match app.focus {
        Pane::Queue | Pane::Findings => Pane::Subject,
        p => p,
    };
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

    let lines = match shown {
        Pane::Sites => sites(app, &d.order, &d.findings),
        Pane::Materials => materials(app, &d.order, &d.findings),
        Pane::History => history(app, &d.order),
        _ => subject(app, &d.order, &d.findings, d.version),
    };
    let focused = matches!(
        app.focus,
        Pane::Subject | Pane::Sites | Pane::Materials | Pane::History
    );
    let inner_h = parts[2].height.saturating_sub(2);
    let scroll = match &app.highlight {
        Some(_) => {
            let at = lines
                .iter()
                .position(|l| l.style == th.selection)
                .unwrap_or(0) as u16;
            at.saturating_sub(inner_h / 3)
        }
        None => app.scroll.min(lines.len().saturating_sub(1) as u16),
    };
    let title = if stale {
        format!(
            "{} · {} ({})",
            safe(&sel.id),
            app.t(L::Loading),
            safe(&d.order.id)
        )
    } else {
        format!(
            "{} · {} v{}",
            safe(&d.order.id),
            d.order.status.label(app.en()),
            d.version
        )
    };
    f.render_widget(
        Paragraph::new(lines)
            .block(bordered(app, title, focused))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        parts[2],
    );
}

fn findings(app: &App, f: &mut Frame, area: Rect, list: &[Finding]) {
    let th = &app.settings.theme;
    let focused = app.focus == Pane::Findings;
    let blocks = list
        .iter()
        .filter(|f| f.severity == crate::rules::Severity::Block)
        .count();
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
    let en = app.settings.lang == crate::config::Language::En;
    let lines: Vec<Line> = list
        .iter()
        .enumerate()
        .map(|(i, fd)| {
            let sym = if fd.severity == crate::rules::Severity::Block {
                "✖"
            } else {
                "▲"
            };
            let msg = if en { &fd.message_en } else { &fd.message };
            let mut line = Line::from(vec![
                Span::styled(
                    format!("{sym} {} ", fd.rule),
                    styled_severity(app, fd.severity),
                ),
                Span::styled(format!("{} ", fd.path), th.muted),
                Span::raw(safe(msg)),
            ]);
            if focused && i == app.finding {
                line = line.style(th.selection);
            }
            line
        })
        .collect();
    let visible = area.height.saturating_sub(2).max(1) as usize;
    let offset = if focused {
        (app.finding / visible) * visible
    } else {
        0
    };
    f.render_widget(
        Paragraph::new(lines)
            .block(bordered(app, title, focused))
            .scroll((offset as u16, 0)),
        area,
    );
}

fn revealed(app: &App, o: &Order) -> bool {
    app.revealed.as_deref() == Some(o.id.as_str())
}

fn id_text(app: &App, o: &Order, s: &str) -> String {
    if revealed(app, o) {
        safe(s)
    } else {
        mask_id(&safe(s))
    }
}

fn phone_text(app: &App, o: &Order, s: &str) -> String {
    if revealed(app, o) {
        safe(s)
    } else {
        mask_phone(&safe(s))
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
    let th = &app.settings.theme;
    let lr = if p.is_legal_representative {
        app.t(L::Yes)
    } else {
        app.t(L::No)
    };
    let mut head = vec![
        Span::styled(format!("{}: ", app.t(L::Leader)), th.muted),
        Span::styled(safe(&p.name), th.title),
    ];
    head.push(Span::styled(
        format!("  {} {lr}", app.t(L::LegalRep)),
        th.muted,
    ));
    let own: Vec<&Finding> = findings
        .iter()
        .filter(|f| {
            f.path == path
                || f.path == format!("{path}.name")
                || f.path == format!("{path}.is_legal_representative")
        })
        .collect();
    head.extend(flag_spans(app, &own));
    let mut line = Line::from(head);
    if app.highlight.as_deref().is_some_and(|h| {
        h == path || h == format!("{path}.name") || h == format!("{path}.is_legal_representative")
    }) {
        line = line.style(th.selection);
    }
    out.push(line);
    let sub = |k: &str| format!("{path}.{k}");
    out.push(field_line(
        app,
        L::IdNumber,
        format!(
            "{} {}",
            p.id_type.label(app.en()),
            id_text(app, o, &p.id_number)
        ),
        &sub("id_number"),
        findings,
    ));
    if !flags_on(findings, &sub("id_type")).is_empty() {
        out.push(field_line(
            app,
            L::Certificate,
            p.id_type.label(app.en()).to_string(),
            &sub("id_type"),
            findings,
        ));
    }
    out.push(field_line(
        app,
        L::Mobile,
        phone_text(app, o, &p.mobile),
        &sub("mobile"),
        findings,
    ));
    out.push(field_line(
        app,
        L::Emergency,
        phone_text(app, o, &p.emergency_phone),
        &sub("emergency_phone"),
        findings,
    ));
    out.push(field_line(
        app,
        L::Email,
        safe(&p.email),
        &sub("email"),
        findings,
    ));
    if let Some(op) = &p.office_phone {
        out.push(field_line(
            app,
            L::Office,
            phone_text(app, o, op),
            &sub("office_phone"),
            findings,
        ));
    }
    if let Some(v) = &p.id_valid_to {
        let text = match v {
            IdValidTo::LongTerm => "长期 / long term".to_string(),
            IdValidTo::Date(d) => d.to_string(),
        };
        out.push(field_line(
            app,
            L::ValidTo,
            text,
            &sub("id_valid_to"),
            findings,
        ));
    }
}

fn subject<'a>(app: &App, o: &Order, findings: &[Finding], version: i64) -> Vec<Line<'a>> {
    let th = &app.settings.theme;
    let s = &o.subject;
    let mut out = Vec::new();
    let mut head = vec![
        Span::styled(safe(&o.id), th.title),
        Span::raw(format!(
            "  {} · {} · v{version}",
            o.filing_type.label(app.en()),
            o.status.label(app.en())
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
    out.push(field_line(
        app,
        L::SubjectName,
        safe(&s.name),
        "subject.name",
        findings,
    ));
    out.push(field_line(
        app,
        L::Nature,
        s.nature.label(app.en()).to_string(),
        "subject.nature",
        findings,
    ));
    let cert_no = if s.certificate.kind.is_personal() {
        id_text(app, o, &s.certificate.number)
    } else {
        safe(&s.certificate.number)
    };
    let cert_line = field_line(
        app,
        L::Certificate,
        format!("{} {cert_no}", s.certificate.kind.label(app.en())),
        "subject.certificate",
        findings,
    );
    out.push(cert_line);
    let region = format!(
        "{} {} {}",
        safe(&s.region.province),
        safe(s.region.city.as_deref().unwrap_or("")),
        safe(s.region.district.as_deref().unwrap_or(""))
    );
    out.push(field_line(
        app,
        L::Region,
        region,
        "subject.region",
        findings,
    ));
    out.push(field_line(
        app,
        L::Address,
        safe(&s.address),
        "subject.address",
        findings,
    ));
    if let Some(n) = &s.icp_number {
        out.push(field_line(
            app,
            L::IcpNumber,
            safe(n),
            "subject.icp_number",
            findings,
        ));
    }
    person(app, o, &s.leader, "subject.leader", findings, &mut out);
    if let Some(r) = o.remarks.as_deref().filter(|r| !r.is_empty()) {
        out.push(field_line(app, L::Remarks, safe(r), "remarks", findings));
    }
    if let Some(prev) = &o.previous {
        let a = serde_json::to_value(prev.as_ref()).unwrap_or_default();
        let mut b = serde_json::to_value(o).unwrap_or_default();
        if let Some(m) = b.as_object_mut() {
            m.remove("previous");
        }
        let mut diffs = Vec::new();
        json_diff(&a, &b, String::new(), &mut diffs);
        diffs.retain(|p| {
            !p.starts_with("status") && !p.starts_with("history") && !p.starts_with("submitted_at")
        });
        out.push(Line::from(Span::styled(
            format!("{} ({}):", app.t(L::Previous), diffs.len()),
            th.accent,
        )));
        for p in diffs.iter().take(12) {
            out.push(Line::from(Span::styled(format!("  Δ {p}"), th.warn)));
        }
    }
    if revealed(app, o) {
        out.push(Line::from(Span::styled(app.t(L::Revealed), th.warn)));
    } else {
        out.push(Line::from(Span::styled(app.t(L::Masked), th.muted)));
    }
    out
}

/// JSON paths whose values differ between two documents.
pub fn json_diff(a: &serde_json::Value, b: &serde_json::Value, at: String, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let p = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => json_diff(u, v, p, out),
                    _ => out.push(p),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (u, v)) in x.iter().zip(y).enumerate() {
                json_diff(u, v, format!("{at}[{i}]"), out);
            }
        }
        _ if a != b => out.push(at),
        _ => {}
    }
}

fn sites<'a>(app: &App, o: &Order, findings: &[Finding]) -> Vec<Line<'a>> {
    let th = &app.settings.theme;
    let mut out = Vec::new();
    for (i, s) in o.sites.iter().enumerate() {
        let p = format!("sites[{i}]");
        let mut head = vec![
            Span::styled(format!("#{} {} ", i + 1, s.kind.label(app.en())), th.accent),
            Span::styled(safe(&s.name), th.title),
        ];
        let own: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.path == p || f.path == format!("{p}.name"))
            .collect();
        head.extend(flag_spans(app, &own));
        let mut line = Line::from(head);
        if app
            .highlight
            .as_deref()
            .is_some_and(|h| h == p || h == format!("{p}.name"))
        {
            line = line.style(th.selection);
        }
        out.push(line);
        if let Some(n) = &s.icp_number {
            out.push(field_line(
                app,
                L::IcpNumber,
                safe(n),
                &format!("{p}.icp_number"),
                findings,
            ));
        }
        for (j, d) in s.domains.iter().enumerate() {
            let dp = format!("{p}.domains[{j}]");
            out.push(field_line(
                app,
                L::Domains,
                format!(
                    "{}  {} {}  {} {}",
                    safe(&d.name),
                    app.t(L::Holder),
                    safe(&d.holder),
                    app.t(L::Expires),
                    d.expires_on
                ),
                &dp,
                findings,
            ));
        }
        for (j, ip) in s.ips.iter().enumerate() {
            out.push(field_line(
                app,
                L::Ips,
                safe(ip),
                &format!("{p}.ips[{j}]"),
                findings,
            ));
        }
        let services: Vec<&str> = s.service_types.iter().map(|x| x.label(app.en())).collect();
        out.push(field_line(
            app,
            L::Services,
            services.join("、"),
            &format!("{p}.service_types"),
            findings,
        ));
        let langs: Vec<String> = s.languages.iter().map(|l| safe(l)).collect();
        out.push(field_line(
            app,
            L::Languages,
            langs.join(", "),
            &format!("{p}.languages"),
            findings,
        ));
        for (k, c) in s.content_categories.iter().enumerate() {
            out.push(field_line(
                app,
                L::Content,
                c.label(app.en()).to_string(),
                &format!("{p}.content_categories[{k}]"),
                findings,
            ));
        }
        for a in &s.pre_approvals {
            out.push(Line::from(vec![
                Span::styled(format!("{}: ", app.t(L::PreApprovals)), th.muted),
                Span::raw(format!(
                    "{} {} ({})",
                    a.category.label(app.en()),
                    safe(&a.number),
                    safe(&a.material)
                )),
            ]));
        }
        let acc = &s.access;
        let code = acc
            .auth_code
            .as_deref()
            .map(|c| format!(" {}", safe(c)))
            .unwrap_or_default();
        out.push(field_line(
            app,
            L::Access,
            format!(
                "{} {}{code}  {} {}",
                acc.method.label(app.en()),
                safe(&acc.resource_id),
                app.t(L::Prepaid),
                acc.prepaid_months
            ),
            &format!("{p}.access"),
            findings,
        ));
        if let Some(appinfo) = &s.app {
            for (k, pl) in appinfo.platforms.iter().enumerate() {
                out.push(field_line(
                    app,
                    L::AppInfo,
                    format!(
                        "{} {} md5 {}",
                        safe(&pl.platform),
                        safe(&pl.package),
                        safe(&pl.md5)
                    ),
                    &format!("{p}.app.platforms[{k}]"),
                    findings,
                ));
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
        out.push(Line::from(""));
    }
    out
}

fn materials<'a>(app: &App, o: &Order, findings: &[Finding]) -> Vec<Line<'a>> {
    let th = &app.settings.theme;
    let mut out = Vec::new();
    let top = flags_on(findings, "materials")
        .into_iter()
        .filter(|f| f.path == "materials")
        .collect::<Vec<_>>();
    if !top.is_empty() {
        let mut l = vec![Span::styled(format!("{}:", app.t(L::Materials)), th.muted)];
        l.extend(flag_spans(app, &top));
        out.push(Line::from(l));
    }
    for (k, m) in o.materials.iter().enumerate() {
        let p = format!("materials[{k}]");
        let site = m.site.map(|s| format!(" #{}", s + 1)).unwrap_or_default();
        let file = safe(m.file.rsplit('/').next().unwrap_or(&m.file));
        out.push(field_line(
            app,
            L::Kind,
            format!(
                "{}{site}  [{}]  {file}",
                m.kind.label(app.en()),
                safe(&m.id)
            ),
            &p,
            findings,
        ));
    }
    out
}

fn history<'a>(app: &App, o: &Order) -> Vec<Line<'a>> {
    let th = &app.settings.theme;
    let mut out = Vec::new();
    for e in &o.history {
        let at = crate::queue::time::rfc3339_shanghai(e.at.as_millisecond());
        out.push(Line::from(vec![
            Span::styled(format!("{} ", &at[..16.min(at.len())]), th.muted),
            Span::styled(format!("{} ", e.event.label(app.en())), th.accent),
            Span::raw(safe(&e.actor)),
        ]));
        for r in &e.reasons {
            out.push(Line::from(Span::raw(format!(
                "    · [{}] {}",
                safe(&r.code),
                safe(&r.text)
            ))));
        }
        if let Some(n) = &e.note {
            out.push(Line::from(Span::styled(
                format!("    {}", safe(n)),
                th.muted,
            )));
        }
        if let Some(c) = &e.call {
            let outcome = c.outcome.map(|x| x.label(app.en())).unwrap_or("");
            out.push(Line::from(Span::raw(format!(
                "    ☎ {} {} {outcome}",
                safe(&c.who),
                crate::queue::time::rfc3339_shanghai(c.at.as_millisecond())
            ))));
        }
    }
    if out.is_empty() {
        out.push(Line::from(Span::styled("—", th.muted)));
    }
    out
}

//! Shared helpers for the TUI tests: sample orders from the spec with their findings, a
//! store-less [`Sim`] that answers the App's effects the way the runtime and a queue
//! would, key helpers, and rendering into a `TestBackend`.
#![allow(dead_code)]

use super::common;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use icp_review::config::Language;
use icp_review::domain::{Event, EventKind, Order, Reason, Status};
use icp_review::queue::{
    DecisionOutcome, ListQuery, OrderDetail, OrderSummary, Page, QueueError, QueueStats, Sort,
};
use icp_review::rules::{Finding, RuleData, Severity};
use icp_review::tui::action::Action;
use icp_review::tui::app::{App, Settings};
use icp_review::tui::effect::Effect;
use icp_review::tui::keymap::Keymap;
use icp_review::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Monday 2026-11-23 10:00 Asia/Shanghai: ages and the call slot are stable.
pub const FIXED_NOW_MS: i64 = 1_795_399_200_000;
pub const MIN: i64 = 60_000;
pub const HOUR: i64 = 60 * MIN;
pub const DAY: i64 = 24 * HOUR;

pub const LANGS: [Language; 2] = [Language::Zh, Language::En];
pub const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

pub fn lang_tag(l: Language) -> &'static str {
    match l {
        Language::Zh => "zh",
        Language::En => "en",
    }
}

// ---------------------------------------------------------------- keys

/// A character key as crossterm reports it (upper case carries SHIFT).
pub fn ch(c: char) -> KeyEvent {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), m)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

pub fn code(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

pub fn enter() -> KeyEvent {
    code(KeyCode::Enter)
}

pub fn esc() -> KeyEvent {
    code(KeyCode::Esc)
}

pub fn tab() -> KeyEvent {
    code(KeyCode::Tab)
}

// ---------------------------------------------------------------- settings and fixtures

pub fn rule_data() -> &'static RuleData {
    common::data()
}

pub fn settings(lang: Language, theme: Theme) -> Settings {
    settings_with_keymap(lang, theme, &BTreeMap::new())
}

/// Province codes of the embedded rule data (what `:province` accepts).
pub fn province_codes() -> Vec<String> {
    rule_data()
        .provinces
        .iter()
        .map(|p| p.code.clone())
        .collect()
}

/// The built-in keymap with config overrides, over the embedded provinces and themes.
pub fn keymap_with(
    overrides: &BTreeMap<String, Vec<String>>,
) -> Result<Keymap, icp_review::tui::keymap::KeymapError> {
    Keymap::new(
        overrides,
        &icp_review::tui::command::Vocabulary {
            provinces: &province_codes(),
            themes: &Theme::names(),
        },
    )
}

pub fn settings_with_keymap(
    lang: Language,
    theme: Theme,
    overrides: &BTreeMap<String, Vec<String>>,
) -> Settings {
    let mut s = Settings::new(lang, "rev-01", province_codes());
    s.keymap = keymap_with(overrides).expect("keymap");
    s.theme = theme;
    s.undo_ms = 5000;
    s.page_size = 100;
    s.detail_debounce_ms = 0;
    s
}

/// The reasons of the embedded rule data (`RuleData::embedded().reasons`, parsed once).
pub fn reasons() -> Vec<icp_review::rules::data::ReasonDef> {
    rule_data().reasons.clone()
}

pub fn new_app(lang: Language) -> App {
    App::new(settings(lang, Theme::dark()), reasons(), FIXED_NOW_MS)
}

pub fn ts(ms: i64) -> jiff::Timestamp {
    jiff::Timestamp::from_millisecond(ms).expect("timestamp")
}

/// An order from the spec's examples, with its submission time moved to `age` before
/// [`FIXED_NOW_MS`] (distinct ages: minutes, hours, days).
pub fn order_aged(file: &str, age_ms: i64) -> Order {
    let mut o = common::sample(file);
    o.submitted_at = ts(FIXED_NOW_MS - age_ms);
    o
}

/// The Xinjiang order without its party-building certificate. The spec example's address
/// (杭州市…) lies outside its region, which catalogue v2 flags (SUBJ-ADDR-IN-REGION);
/// the fixture gives it an Ürümqi address so it keeps the findings the TUI tests are
/// about (two blocks: the missing certificate and the cross-province individual).
pub fn xinjiang_order() -> Order {
    let mut o = order_aged("xinjiang-no-party-cert.json", 7 * HOUR);
    o.subject.address = "乌鲁木齐市某小区5栋".into();
    o
}

/// The detail the queue would return: findings from the rule engine (with material bytes).
pub fn detail_of(order: Order) -> OrderDetail {
    let findings = common::check_bytes(&order);
    let materials = common::inspect(&order);
    OrderDetail {
        order,
        version: 1,
        findings,
        claim: None,
        materials,
    }
}

pub fn summary_of(d: &OrderDetail) -> OrderSummary {
    let o = &d.order;
    let blocks = d
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .count() as u32;
    OrderSummary {
        id: o.id.clone(),
        filing_type: o.filing_type,
        status: o.status,
        province: o.subject.region.province.clone(),
        subject_name: o.subject.name.clone(),
        submitted_at: icp_review::queue::time::rfc3339_shanghai(o.submitted_at.as_millisecond()),
        submitted_ms: o.submitted_at.as_millisecond(),
        blocks,
        warns: d.findings.len() as u32 - blocks,
        claim: d.claim.clone(),
        version: d.version,
    }
}

/// A resubmitted order: the clean enterprise sample, changed after a rejection; the
/// rejected version is kept as `previous`.
pub fn resubmitted_order() -> Order {
    let mut base = order_aged("clean-enterprise.json", 20 * MIN);
    base.id = "EX-2026-00090".into();
    base.account = "acct-ex-2026-00090".into();
    // The rejected version: another address and site name, then the rejection.
    let mut prev = base.clone();
    prev.submitted_at = ts(FIXED_NOW_MS - 2 * DAY);
    prev.status = Status::Rejected;
    prev.subject.address = "深圳市某路88号".into();
    prev.sites[0].name = "凌云官网".into();
    prev.history.push(Event {
        at: ts(FIXED_NOW_MS - DAY - 3 * HOUR),
        actor: "reviewer:rev-07".into(),
        event: EventKind::Rejected,
        reasons: vec![
            Reason {
                code: "R-CONTACT-FORMAT".into(),
                text: "通信地址须详细到门牌号".into(),
            },
            Reason {
                code: "R-SITE-NAME".into(),
                text: "网站名称与内容不符".into(),
            },
        ],
        note: Some("地址不完整".into()),
        call: None,
    });
    let mut o = base;
    o.status = Status::Resubmitted;
    o.history = prev.history.clone();
    o.history.push(Event {
        at: ts(FIXED_NOW_MS - 20 * MIN),
        actor: "applicant".into(),
        event: EventKind::Resubmitted,
        reasons: vec![],
        note: None,
        call: None,
    });
    o.previous = Some(Box::new(prev));
    o
}

/// The review queue of the snapshots, oldest first (the default sort):
/// 0 clean enterprise, 1 leaders share a mobile (block), 2 www domain, 3 Xinjiang
/// without the party certificate, 4 clean app, 5 clean individual, 6 resubmitted.
pub fn review_db() -> Vec<OrderDetail> {
    static DB: OnceLock<Vec<OrderDetail>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut v = vec![
            detail_of(order_aged("clean-enterprise.json", 3 * DAY + 2 * HOUR)),
            detail_of(order_aged("leaders-share-mobile.json", 2 * DAY + 5 * HOUR)),
            detail_of(order_aged("domain-www.json", DAY + 30 * MIN)),
            detail_of(xinjiang_order()),
            detail_of(order_aged("app-clean.json", 2 * HOUR + 10 * MIN)),
            detail_of(order_aged("clean-individual.json", 45 * MIN)),
            detail_of(resubmitted_order()),
        ];
        // Two orders for the triage view.
        let mut rej = order_aged("uscc-bad-check.json", 4 * DAY);
        rej.status = Status::Rejected;
        v.push(detail_of(rej));
        let mut br = order_aged("halfwidth-brackets.json", 6 * DAY);
        br.status = Status::BureauRejected;
        v.push(detail_of(br));
        v
    })
    .clone()
}

/// Row of the clean enterprise order.
pub const CLEAN: usize = 0;
/// Row of the order whose site leader shares the subject leader's mobile (one block).
pub const SHARED_MOBILE: usize = 1;
/// Row of the Xinjiang order: blocks on the certificate and the materials, warnings on
/// both mobiles (flags in the Subject, Sites and Materials panes).
pub const FLAWED: usize = 3;
/// Row of the clean individual order.
pub const INDIVIDUAL: usize = 5;
/// Row of the resubmitted order (with `previous`).
pub const RESUBMITTED: usize = 6;

/// The findings' reason codes of the blocking findings (what `r` should pre-select).
pub fn blocking_reasons(findings: &[Finding]) -> Vec<String> {
    let mut v: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .map(|f| f.reason.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

// ---------------------------------------------------------------- the simulated runtime

/// An App plus a tiny in-memory queue that answers its effects like `spawn_effect`
/// would, synchronously and in order.
pub struct Sim {
    pub app: App,
    pub db: Vec<OrderDetail>,
    /// Effects that reached the "server" other than loads: Decide, Note, Claim, Exit.
    pub sent: Vec<Effect>,
    /// Hold the list answer back (the loading state).
    pub hold_pages: bool,
    /// Hold detail answers back.
    pub hold_details: bool,
    /// The queue cannot be reached: every call fails as the network does.
    pub offline: bool,
    /// Orders someone else holds: order → reviewer (claims of ours on them conflict).
    pub held_by: std::collections::BTreeMap<String, String>,
    /// The caller is a reviewer: the queue refuses its lead-only actions (take-over).
    pub reviewer_only: bool,
    /// What the leads' screens read: calls, and the report's input.
    pub calls: Vec<icp_review::queue::CallEntry>,
    pub report: icp_review::report::ReportInput,
    /// Others' presence, as `GET /v1/presence` answers.
    pub presence: Vec<icp_review::queue::presence::Presence>,
    /// What the app reported of itself, in order.
    pub published: Vec<icp_review::queue::presence::Viewing>,
}

impl Sim {
    pub fn new(app: App, db: Vec<OrderDetail>) -> Sim {
        Sim {
            app,
            db,
            sent: Vec::new(),
            hold_pages: false,
            hold_details: false,
            offline: false,
            held_by: Default::default(),
            reviewer_only: false,
            calls: Vec::new(),
            report: icp_review::report::ReportInput::default(),
            presence: Vec::new(),
            published: Vec::new(),
        }
    }

    /// A booted review queue: list and counts loaded, first order selected, its detail loaded.
    pub fn booted(lang: Language) -> Sim {
        Self::booted_with(new_app(lang), review_db())
    }

    pub fn booted_with(app: App, db: Vec<OrderDetail>) -> Sim {
        let mut s = Sim::new(app, db);
        let fx = s.app.start();
        s.run(fx);
        s.settle();
        s
    }

    pub fn now(&self) -> i64 {
        self.app.now_ms()
    }

    /// A presence report of `name` arrives on the event stream.
    pub fn hear(&mut self, name: &str, viewing: icp_review::queue::presence::Viewing) {
        let at_ms = self.now();
        let p = icp_review::queue::presence::Presence {
            name: name.into(),
            viewing,
            at_ms,
            until_ms: at_ms + icp_review::queue::presence::TTL_MS,
            seq: at_ms,
        };
        // The queue's table holds it too (`GET /v1/presence` answers it).
        self.presence.retain(|q| q.name != p.name);
        self.presence.push(p.clone());
        let fx = self
            .app
            .update(Action::Queue(icp_review::queue::QueueEvent::Presence(p)));
        self.run(fx);
    }

    /// Run a `:` command line.
    pub fn command(&mut self, line: &str) {
        self.key(ch(':'));
        self.type_text(line);
        self.key(enter());
    }

    fn page(&self, q: &ListQuery) -> Page {
        let mut items: Vec<OrderSummary> = self
            .db
            .iter()
            .filter(|d| q.status.is_empty() || q.status.contains(&d.order.status))
            .filter(|d| {
                q.province
                    .as_ref()
                    .is_none_or(|p| &d.order.subject.region.province == p)
            })
            .filter(|d| q.filing_type.is_none_or(|t| d.order.filing_type == t))
            .filter(|d| {
                q.q.as_ref().is_none_or(|t| {
                    d.order.id.contains(t.as_str()) || d.order.subject.name.contains(t.as_str())
                })
            })
            .map(summary_of)
            .collect();
        match q.sort {
            Sort::Age => items.sort_by_key(|s| s.submitted_ms),
            Sort::Province => items.sort_by(|a, b| {
                a.province
                    .cmp(&b.province)
                    .then(a.submitted_ms.cmp(&b.submitted_ms))
            }),
            Sort::Findings => items.sort_by(|a, b| {
                b.blocks
                    .cmp(&a.blocks)
                    .then(b.warns.cmp(&a.warns))
                    .then(a.submitted_ms.cmp(&b.submitted_ms))
            }),
        }
        // A cursor is a position in the list: forwards the first row to give, backwards
        // the row before which the page ends (the end of the list without one).
        let at: Option<usize> = q.cursor.as_deref().and_then(|c| c.parse().ok());
        let limit = q.limit.unwrap_or(50) as usize;
        if q.backward {
            let end = at.unwrap_or(items.len()).min(items.len());
            let start = end.saturating_sub(limit);
            return Page {
                items: items[start..end].to_vec(),
                next: (start > 0).then(|| start.to_string()),
            };
        }
        let start = at.unwrap_or(0);
        let end = (start + limit).min(items.len());
        let next = (end < items.len()).then(|| end.to_string());
        Page {
            items: items[start.min(end)..end].to_vec(),
            next,
        }
    }

    /// Answer effects (and the effects their answers cause) until nothing is left.
    pub fn run(&mut self, fx: Vec<Effect>) {
        let mut queue: std::collections::VecDeque<Effect> = fx.into();
        let mut guard = 0;
        while let Some(e) = queue.pop_front() {
            guard += 1;
            assert!(guard < 1000, "effects never settle");
            if self.offline
                && let Some(a) = unreachable(&e)
            {
                if matches!(e, Effect::Decide { .. } | Effect::Claim { .. }) {
                    self.sent.push(e.clone());
                }
                queue.extend(self.app.update(a));
                continue;
            }
            let action = match e {
                Effect::Publish(v) => {
                    self.published.push(v);
                    continue;
                }
                Effect::LoadPresence { req } => Action::PresenceLoaded {
                    req,
                    result: Ok(self.presence.clone()),
                },
                Effect::Claim { req, ref order } => {
                    self.sent.push(e.clone());
                    let result = match self.held_by.get(order) {
                        Some(h) => Err(QueueError::Conflict(format!(
                            "order {order} is claimed by {h}"
                        ))),
                        None => Ok(icp_review::queue::Claim {
                            reviewer: self.app.session().reviewer().to_string(),
                            until_ms: self.app.now_ms() + 15 * 60 * 1000,
                        }),
                    };
                    Action::Claimed {
                        req,
                        order: order.clone(),
                        result,
                    }
                }
                Effect::TakeOver { req, ref order } => {
                    self.sent.push(e.clone());
                    let until_ms = self.app.now_ms() + 15 * 60 * 1000;
                    let result = if self.reviewer_only {
                        Err(QueueError::Forbidden(
                            "taking over a claim is for leads".into(),
                        ))
                    } else {
                        let from = self
                            .held_by
                            .remove(order)
                            .map(|h| icp_review::queue::Claim {
                                reviewer: h,
                                until_ms,
                            });
                        Ok((
                            from,
                            icp_review::queue::Claim {
                                reviewer: self.app.session().reviewer().to_string(),
                                until_ms,
                            },
                        ))
                    };
                    Action::TookOver {
                        req,
                        order: order.clone(),
                        result,
                    }
                }
                Effect::LoadPage { req, query, append } => {
                    if self.hold_pages {
                        continue;
                    }
                    Action::PageLoaded {
                        req,
                        append,
                        result: Ok(self.page(&query)),
                    }
                }
                Effect::LoadDetail { req, id } => {
                    if self.hold_details {
                        continue;
                    }
                    let d = self
                        .db
                        .iter()
                        .find(|d| d.order.id == id)
                        .cloned()
                        .expect("detail of a known order");
                    Action::DetailLoaded { req, result: Ok(d) }
                }
                Effect::LoadStats { req } => {
                    let awaiting = self
                        .db
                        .iter()
                        .filter(|d| d.order.status.awaits_reviewer())
                        .count() as u64;
                    Action::StatsLoaded {
                        req,
                        result: Ok(QueueStats {
                            total: self.db.len() as u64,
                            awaiting_review: awaiting,
                        }),
                    }
                }
                Effect::Decide {
                    req,
                    ref order,
                    ref decision,
                    ..
                } => {
                    let status = match decision.action {
                        icp_review::queue::Action::Approve => Status::Approved,
                        icp_review::queue::Action::Reject => Status::Rejected,
                        icp_review::queue::Action::ScheduleCall => Status::AwaitingCall,
                    };
                    let order = order.clone();
                    let mut version = 1;
                    if let Some(d) = self.db.iter_mut().find(|d| d.order.id == order) {
                        d.order.status = status;
                        d.version += 1;
                        version = d.version;
                    }
                    self.sent.push(e.clone());
                    Action::Decided {
                        req,
                        order: order.clone(),
                        result: Ok(DecisionOutcome {
                            order,
                            status,
                            version,
                            replayed: false,
                        }),
                    }
                }
                Effect::LoadPreview {
                    req,
                    ref order,
                    ref material,
                } => {
                    let file = self
                        .db
                        .iter()
                        .find(|d| &d.order.id == order)
                        .and_then(|d| d.order.materials.iter().find(|m| &m.id == material))
                        .map(|m| m.file.clone())
                        .expect("a material of a known order");
                    let bytes = std::fs::read(common::examples_dir().join(file)).expect("bytes");
                    let result = icp_review::material::preview::preview(&bytes, 200)
                        .map(std::sync::Arc::new);
                    self.sent.push(e.clone());
                    Action::PreviewLoaded {
                        req,
                        order: order.clone(),
                        material: material.clone(),
                        result,
                    }
                }
                Effect::LoadTriage { req } => Action::TriageLoaded {
                    req,
                    result: Ok(self.triage_items()),
                },
                Effect::LoadCalls {
                    req,
                    from_ms,
                    to_ms,
                } => Action::CallsLoaded {
                    req,
                    result: Ok(self
                        .calls
                        .iter()
                        .filter(|c| c.at_ms >= from_ms && c.at_ms < to_ms)
                        .cloned()
                        .collect()),
                },
                Effect::LoadReport {
                    req,
                    from,
                    to,
                    review_days,
                } => Action::ReportLoaded {
                    req,
                    result: Ok(icp_review::report::compute(
                        &self.report,
                        from,
                        to,
                        icp_review::domain::calendar::WorkCalendar::embedded(),
                        review_days,
                    )),
                },
                Effect::Reopen { req, ref order, .. } | Effect::Reassign { req, ref order, .. } => {
                    let order = order.clone();
                    let mut version = 1;
                    if let Some(d) = self.db.iter_mut().find(|d| d.order.id == order) {
                        d.order.status = Status::Pending;
                        d.version += 1;
                        version = d.version;
                    }
                    self.sent.push(e.clone());
                    Action::LeadDone {
                        req,
                        order: order.clone(),
                        result: Ok(DecisionOutcome {
                            order,
                            status: Status::Pending,
                            version,
                            replayed: false,
                        }),
                    }
                }
                Effect::CloseCall {
                    req,
                    ref order,
                    outcome,
                } => {
                    let order = order.clone();
                    let cal = icp_review::domain::calendar::WorkCalendar::embedded();
                    let unanswered = self
                        .calls
                        .iter()
                        .filter(|c| {
                            c.order == order
                                && c.outcome == Some(icp_review::domain::CallOutcome::NoAnswer)
                        })
                        .count();
                    let at = self
                        .calls
                        .iter()
                        .find(|c| c.order == order && c.outcome.is_none())
                        .map(|c| c.at_ms)
                        .unwrap_or(self.app.now_ms());
                    if let Some(c) = self
                        .calls
                        .iter_mut()
                        .find(|c| c.order == order && c.outcome.is_none())
                    {
                        c.outcome = Some(outcome);
                    }
                    let next = icp_review::domain::calls::next_step(outcome, unanswered, at, cal);
                    let status = if matches!(next, icp_review::domain::calls::NextStep::Retry(_)) {
                        Status::AwaitingCall
                    } else {
                        Status::Pending
                    };
                    if let Some(d) = self.db.iter_mut().find(|d| d.order.id == order) {
                        d.order.status = status;
                        d.version += 1;
                    }
                    self.sent.push(e.clone());
                    Action::CallClosed {
                        req,
                        order: order.clone(),
                        result: Ok(icp_review::queue::CallClosed {
                            outcome: DecisionOutcome {
                                order,
                                status,
                                version: 2,
                                replayed: false,
                            },
                            next,
                        }),
                    }
                }
                other => {
                    self.sent.push(other);
                    continue;
                }
            };
            queue.extend(self.app.update(action));
        }
    }

    /// The triage list the store would give: rejected and bureau-rejected orders with the
    /// reasons of their latest rejection.
    pub fn triage_items(&self) -> Vec<icp_review::queue::TriageItem> {
        let mut v: Vec<icp_review::queue::TriageItem> = self
            .db
            .iter()
            .filter(|d| matches!(d.order.status, Status::Rejected | Status::BureauRejected))
            .map(|d| {
                let kind = if d.order.status == Status::BureauRejected {
                    EventKind::BureauRejected
                } else {
                    EventKind::Rejected
                };
                let last = d
                    .order
                    .history
                    .iter()
                    .filter(|e| e.event == kind)
                    .max_by_key(|e| e.at);
                icp_review::queue::TriageItem {
                    summary: summary_of(d),
                    reasons: last.map(|e| e.reasons.clone()).unwrap_or_default(),
                    by: last
                        .map(|e| e.actor.trim_start_matches("reviewer:").to_string())
                        .unwrap_or_default(),
                    rejected_ms: last
                        .map(|e| e.at.as_millisecond())
                        .unwrap_or(d.order.submitted_at.as_millisecond()),
                }
            })
            .collect();
        v.sort_by_key(|i| std::cmp::Reverse(i.rejected_ms));
        v
    }

    /// Let the clock catch up with the detail debounce (a tick at the current time).
    pub fn settle(&mut self) {
        let now = self.app.now_ms();
        let fx = self.app.update(Action::Tick(now));
        self.run(fx);
    }

    /// Press a key, answer what it asks for, and let the debounce pass.
    pub fn key(&mut self, k: KeyEvent) {
        let fx = self.app.update(Action::Key(k));
        self.run(fx);
        self.settle();
    }

    pub fn keys(&mut self, ks: impl IntoIterator<Item = KeyEvent>) {
        for k in ks {
            self.key(k);
        }
    }

    /// Type text into whatever field has focus.
    pub fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            let fx = self.app.update(Action::Key(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )));
            self.run(fx);
        }
    }

    pub fn advance(&mut self, ms: i64) {
        let now = self.app.now_ms() + ms;
        let fx = self.app.update(Action::Tick(now));
        self.run(fx);
    }

    /// Select the order at `i` of the list (from the top).
    pub fn select(&mut self, i: usize) {
        self.key(ch('g'));
        for _ in 0..i {
            self.key(ch('j'));
        }
        assert_eq!(self.app.selected(), i);
        assert!(
            self.app.current_detail().is_some(),
            "detail of row {i} loaded"
        );
    }
}

/// The answer a queue effect gets when the network is down (`None`: no answer expected).
fn unreachable(e: &Effect) -> Option<Action> {
    let down = || QueueError::Unavailable("connection refused".into());
    Some(match e {
        Effect::LoadPage { req, append, .. } => Action::PageLoaded {
            req: *req,
            append: *append,
            result: Err(down()),
        },
        Effect::LoadDetail { req, .. } => Action::DetailLoaded {
            req: *req,
            result: Err(down()),
        },
        Effect::LoadStats { req } => Action::StatsLoaded {
            req: *req,
            result: Err(down()),
        },
        Effect::Decide { req, order, .. } => Action::Decided {
            req: *req,
            order: order.clone(),
            result: Err(down()),
        },
        Effect::Claim { req, order } => Action::Claimed {
            req: *req,
            order: order.clone(),
            result: Err(down()),
        },
        _ => return None,
    })
}

/// The ids of the active list's rows, in order.
pub fn ids(s: &Sim) -> Vec<String> {
    s.app.rows().iter().map(|r| r.id().to_string()).collect()
}

/// The toast's text ("" without one).
pub fn toast(s: &Sim) -> String {
    s.app
        .toast()
        .map(|t| t.text().to_string())
        .unwrap_or_default()
}

// ---------------------------------------------------------------- rendering

pub fn render(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    render_frame(app, w, h).0
}

/// The terminal after one draw, and the frame the view drew (before the diff that
/// reaches the terminal: a cell the frame wrote under the second half of a wide glyph
/// never reaches the terminal).
pub fn render_frame(app: &App, w: u16, h: u16) -> (Terminal<TestBackend>, ratatui::buffer::Buffer) {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let frame = terminal
        .draw(|f| icp_review::tui::ui::render(app, f))
        .expect("draw")
        .buffer
        .clone();
    (terminal, frame)
}

/// The screen as text, one string per row (wide characters once, their trailing cell skipped).
pub fn screen_lines(t: &Terminal<TestBackend>) -> Vec<String> {
    let buf = t.backend().buffer();
    let w = buf.area.width as usize;
    buf.content
        .chunks(w.max(1))
        .map(|row| {
            let mut s = String::new();
            let mut skip = 0usize;
            for c in row {
                if skip == 0 {
                    s.push_str(c.symbol());
                }
                skip = skip
                    .max(unicode_width::UnicodeWidthStr::width(c.symbol()))
                    .saturating_sub(1);
            }
            s
        })
        .collect()
}

pub fn screen_text(t: &Terminal<TestBackend>) -> String {
    screen_lines(t).join("\n")
}

/// Per-cell style codes for the mono theme snapshot: B bold, D dim, R reversed,
/// U underlined, combined, `.` for plain; and whether any cell carries a colour.
pub fn style_map(t: &Terminal<TestBackend>) -> (String, bool) {
    use ratatui::style::{Color, Modifier};
    let buf = t.backend().buffer();
    let w = buf.area.width as usize;
    let mut colour = false;
    let mut out = String::new();
    for row in buf.content.chunks(w.max(1)) {
        for c in row {
            if c.fg != Color::Reset || c.bg != Color::Reset {
                colour = true;
            }
            let m = c.modifier;
            let code = match (
                m.contains(Modifier::BOLD),
                m.contains(Modifier::DIM),
                m.contains(Modifier::REVERSED),
                m.contains(Modifier::UNDERLINED),
            ) {
                (false, false, false, false) => '.',
                (true, false, false, false) => 'B',
                (false, true, false, false) => 'D',
                (true, false, true, false) => 'R',
                (false, false, false, true) => 'U',
                (true, false, false, true) => 'X',
                (false, false, true, false) => 'r',
                _ => '*',
            };
            out.push(code);
        }
        out.push('\n');
    }
    (out, colour)
}

// ---------------------------------------------------------------- the leads' fixtures

fn rejection(at_ms: i64, actor: &str, kind: EventKind, reasons: &[(&str, &str)]) -> Event {
    Event {
        at: ts(at_ms),
        actor: actor.into(),
        event: kind,
        reasons: reasons
            .iter()
            .map(|(c, t)| Reason {
                code: (*c).into(),
                text: (*t).into(),
            })
            .collect(),
        note: None,
        call: None,
    }
}

/// A sample as another order that came back: its id, status, province and rejection.
fn returned(
    file: &str,
    id: &str,
    province: &str,
    age: i64,
    event: Event,
    status: Status,
) -> OrderDetail {
    let mut o = order_aged(file, age);
    o.id = id.into();
    o.account = format!("acct-{}", id.to_lowercase());
    o.subject.region.province = province.into();
    o.status = status;
    o.history.push(event);
    detail_of(o)
}

/// An order waiting for a verification call.
pub const CALL_OVERDUE: &str = "EX-2026-00120";
pub const CALL_DUE: &str = "EX-2026-00121";

/// The review queue plus what leads work on: rejected and bureau-rejected orders with
/// reasons (three groups, two reviewers, three provinces, a week of rejections) and two
/// orders awaiting calls.
pub fn leads_db() -> Vec<OrderDetail> {
    let mut v = review_db();
    let r = EventKind::Rejected;
    let b = EventKind::BureauRejected;
    let n = FIXED_NOW_MS;
    let addr = ("R-CONTACT-FORMAT", "通信地址须详细到门牌号");
    let name = ("R-SUBJECT-NAME", "主办单位名称须与证件一致");
    let sms = ("", "短信核验超时");
    for d in v.iter_mut() {
        if d.order.status == Status::Rejected {
            d.order
                .history
                .push(rejection(n - 2 * DAY, "reviewer:rev-07", r, &[name, addr]));
        }
        if d.order.status == Status::BureauRejected {
            d.order
                .history
                .push(rejection(n - 3 * HOUR, "bureau", b, &[sms]));
        }
    }
    v.push(returned(
        "clean-individual.json",
        "EX-2026-00101",
        "CN-BJ",
        9 * DAY,
        rejection(n - 8 * DAY, "reviewer:rev-02", r, &[addr]),
        Status::Rejected,
    ));
    v.push(returned(
        "clean-enterprise.json",
        "EX-2026-00102",
        "CN-GD",
        5 * DAY,
        rejection(n - 4 * DAY, "reviewer:rev-07", r, &[addr]),
        Status::Rejected,
    ));
    v.push(returned(
        "app-clean.json",
        "EX-2026-00103",
        "CN-ZJ",
        3 * DAY,
        rejection(n - DAY, "bureau", b, &[sms]),
        Status::BureauRejected,
    ));
    let mut call = |id: &str, age: i64| {
        let mut o = order_aged("clean-enterprise.json", age);
        o.id = id.into();
        o.account = format!("acct-{}", id.to_lowercase());
        o.status = Status::AwaitingCall;
        v.push(detail_of(o));
    };
    call(CALL_OVERDUE, 2 * DAY);
    call(CALL_DUE, DAY);
    v
}

fn call_entry(
    order: &str,
    at_ms: i64,
    phone: &str,
    reviewer: &str,
) -> icp_review::queue::CallEntry {
    icp_review::queue::CallEntry {
        order: order.into(),
        at: icp_review::queue::time::rfc3339_shanghai(at_ms),
        at_ms,
        who: "subject_leader".into(),
        phone: phone.into(),
        reviewer: reviewer.into(),
        outcome: None,
    }
}

/// Calls around Monday 10:00: one overdue (09:00), one due now (10:00), one this
/// afternoon, one tomorrow, one done on Friday.
pub fn leads_calls() -> Vec<icp_review::queue::CallEntry> {
    let n = FIXED_NOW_MS;
    let mut done = call_entry(
        "EX-2026-00090",
        n - 3 * DAY + 4 * HOUR,
        "13826541298",
        "rev-02",
    );
    done.outcome = Some(icp_review::domain::CallOutcome::Verified);
    vec![
        done,
        call_entry(CALL_OVERDUE, n - HOUR, "13912345678", "rev-01"),
        call_entry(CALL_DUE, n, "13787654321", "rev-01"),
        call_entry("EX-2026-00122", n + 4 * HOUR, "13600001111", "rev-07"),
        call_entry("EX-2026-00123", n + DAY + HOUR, "13500002222", "rev-02"),
    ]
}

/// Decisions of the last days for the stats screen.
pub fn leads_report() -> icp_review::report::ReportInput {
    use icp_review::report::{BureauFact, DecisionFact};
    let n = FIXED_NOW_MS;
    let mut input = icp_review::report::ReportInput::default();
    let d = |order: &str, reviewer: &str, action: &str, at: i64, reasons: &[&str]| DecisionFact {
        order: order.into(),
        reviewer: reviewer.into(),
        action: action.into(),
        at_ms: at,
        reasons: reasons.iter().map(|r| r.to_string()).collect(),
    };
    for (i, (id, sub)) in [
        ("R-1", n - 10 * DAY),
        ("R-2", n - 6 * DAY),
        ("R-3", n - 5 * DAY),
        ("R-4", n - 3 * DAY),
        ("R-5", n - 2 * DAY),
        ("R-6", n - DAY),
    ]
    .into_iter()
    .enumerate()
    {
        input.submitted.insert(id.into(), sub);
        let (who, action, reasons): (&str, &str, &[&str]) = match i % 3 {
            0 => ("rev-01", "approve", &[]),
            1 => ("rev-02", "reject", &["R-CONTACT-FORMAT"]),
            _ => ("rev-07", "reject", &["R-SUBJECT-NAME", "R-CONTACT-FORMAT"]),
        };
        input
            .decisions
            .push(d(id, who, action, sub + (i as i64 + 1) * 5 * HOUR, reasons));
    }
    input.bureau.push(BureauFact {
        order: "R-1".into(),
        at_ms: n - 2 * DAY,
        reasons: vec!["短信核验超时".into()],
    });
    input
}

/// The leads' morning: the review queue with returned orders, calls and a report.
pub fn leads(lang: Language) -> Sim {
    let mut s = Sim::new(new_app(lang), leads_db());
    s.calls = leads_calls();
    s.report = leads_report();
    let fx = s.app.start();
    s.run(fx);
    s.settle();
    s
}

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
                other => {
                    self.sent.push(other);
                    continue;
                }
            };
            queue.extend(self.app.update(action));
        }
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

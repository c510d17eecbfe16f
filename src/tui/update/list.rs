//! The list of the active view: loading pages, moving the selection, filters and sort.

use super::super::app::App;
use super::super::command::ViewKind;
use super::super::effect::Effect;
use super::super::safe::Safe;
use super::super::state::{Fill, Pane};
use super::super::text::L;
use super::super::view::Row;
use crate::domain::{FilingType, Status};
use crate::queue::{Page, QueueError, Sort};

impl App {
    /// Ask for the active view's first page again (its last rows, when the list was
    /// entered from its end).
    pub(in crate::tui) fn reload(&mut self) -> Effect {
        if self.active == ViewKind::Triage {
            return self.load_triage();
        }
        if self.view().list().has_prev() {
            return self.load_tail();
        }
        let req = self.next_seq();
        let view = self.view_mut();
        view.list.begin_load(req);
        let mut query = view.query.clone();
        query.cursor = None;
        Effect::LoadPage {
            req,
            query,
            append: false,
        }
    }

    /// Ask for the active view's rows again as far as they are loaded (a live change:
    /// the reviewer keeps their place, however far down they are).
    pub(in crate::tui) fn refresh(&mut self) -> Effect {
        if self.view().list().has_prev() {
            return self.load_tail();
        }
        let page_size = self.settings.page_size;
        let req = self.next_seq();
        let view = self.view_mut();
        let loaded = view.list.items().len();
        view.list.begin_load(req);
        let mut query = view.query.clone();
        query.cursor = None;
        query.limit = Some(loaded.max(page_size as usize).min(500) as u32);
        Effect::LoadPage {
            req,
            query,
            append: false,
        }
    }

    /// Ask for the last rows of the active view: a keyset query from the list's other
    /// end, whatever its length (not the pages in between).
    fn load_tail(&mut self) -> Effect {
        let req = self.next_seq();
        let view = self.view_mut();
        view.list.begin_fill(req, Fill::Tail);
        let mut query = view.query.clone();
        query.cursor = None;
        query.backward = true;
        Effect::LoadPage {
            req,
            query,
            append: false,
        }
    }

    /// `G`: the last order. When rows after the loaded ones exist, the end is loaded
    /// directly.
    pub(in crate::tui) fn bottom(&mut self) -> Vec<Effect> {
        if self.detail.focus == Pane::Queue && self.view().list().has_more() {
            // Never a second request while one is in flight: the end of what is loaded.
            if !self.view().list().loading() {
                return vec![self.load_tail()];
            }
        }
        self.move_by(1 << 30)
    }

    /// `gg`: the first order; after a jump to the end, the first page again.
    pub(in crate::tui) fn top(&mut self) -> Vec<Effect> {
        let mut fx = self.move_by(-(1 << 30));
        if self.detail.focus == Pane::Queue && self.view().list().has_prev() {
            let req = self.next_seq();
            let view = self.view_mut();
            view.list.begin_load(req);
            let mut query = view.query.clone();
            query.cursor = None;
            fx.retain(|e| !matches!(e, Effect::LoadPage { .. }));
            fx.push(Effect::LoadPage {
                req,
                query,
                append: false,
            });
        }
        fx
    }

    /// Fetch an order's detail now (no debounce): the answer replaces what is shown.
    pub(in crate::tui) fn load_detail_now(&mut self, id: String) -> Effect {
        let req = self.next_seq();
        self.detail.begin_load(req);
        Effect::LoadDetail { req, id }
    }

    pub(in crate::tui) fn load_stats(&mut self) -> Effect {
        self.stats_req = self.next_seq();
        Effect::LoadStats {
            req: self.stats_req,
        }
    }

    /// Rows of the list on screen (a page for ctrl-d / ctrl-u), from the layout.
    pub(in crate::tui) fn page(&self) -> i64 {
        i64::from(super::super::ui::layout(self.size).list_rows.max(1))
    }

    /// The selection moved (or the list changed under it): want the new order's detail.
    pub(in crate::tui) fn selection_changed(&mut self) {
        let Some(id) = self.selected_id().map(str::to_string) else {
            self.detail.set_loaded(None);
            return;
        };
        self.detail.reset_position();
        self.preview = None;
        self.selection_moved_ms = self.now_ms;
        // The first order shows at once; later moves wait for the selection to rest.
        let delay = if self.first_detail {
            0
        } else {
            self.settings.detail_debounce_ms
        };
        self.first_detail = false;
        self.detail.want(id, self.now_ms + delay);
    }

    /// Fetch the next page before the selection reaches the end of what is loaded (or,
    /// after a jump to the end, the rows before the first loaded one near the top).
    pub(in crate::tui) fn maybe_more(&mut self) -> Vec<Effect> {
        if self.view().list().wants_prev(10) {
            let req = self.next_seq();
            let view = self.view_mut();
            view.list.begin_fill(req, Fill::Prepend);
            let mut query = view.query.clone();
            query.cursor = view.list.prev_cursor().map(str::to_string);
            query.backward = true;
            return vec![Effect::LoadPage {
                req,
                query,
                append: true,
            }];
        }
        if !self.view().list().wants_more(10) {
            return Vec::new();
        }
        let req = self.next_seq();
        let view = self.view_mut();
        view.list.begin_load(req);
        let mut query = view.query.clone();
        query.cursor = view.list.next_cursor().map(str::to_string);
        vec![Effect::LoadPage {
            req,
            query,
            append: true,
        }]
    }

    pub(in crate::tui) fn move_by(&mut self, delta: i64) -> Vec<Effect> {
        match self.detail.focus {
            Pane::Queue => {
                if self.view_mut().list.move_by(delta) {
                    self.selection_changed();
                } else {
                    self.dirty = false;
                }
                self.maybe_more()
            }
            Pane::Materials => {
                let n = self.current_detail().map_or(0, |d| d.order.materials.len());
                self.detail.material = (self.detail.material as i64 + delta)
                    .clamp(0, n.saturating_sub(1) as i64)
                    as usize;
                self.want_preview()
            }
            Pane::Findings => {
                let n = self.current_detail().map_or(0, |d| d.findings.len());
                self.detail.finding = (self.detail.finding as i64 + delta)
                    .clamp(0, n.saturating_sub(1) as i64)
                    as usize;
                Vec::new()
            }
            _ => {
                self.detail.scroll =
                    (i64::from(self.detail.scroll) + delta).clamp(0, 10_000) as u16;
                Vec::new()
            }
        }
    }

    fn requery(&mut self) -> Vec<Effect> {
        self.detail.focus = Pane::Queue;
        vec![self.reload()]
    }

    /// Search the active view (empty clears it).
    pub(in crate::tui) fn set_search(&mut self, q: String) -> Vec<Effect> {
        let q = q.trim().to_string();
        if !q.is_empty() && self.search_history.last() != Some(&q) {
            self.search_history.push(q.clone());
        }
        let had = self.view().query().q.is_some();
        self.view_mut().query.q = (!q.is_empty()).then_some(q);
        if !had && self.view().query().q.is_none() {
            return Vec::new();
        }
        if self.view().query().q.is_none() {
            self.say(self.t(L::SearchCleared), false);
        }
        self.requery()
    }

    pub(in crate::tui) fn clear_filters(&mut self) -> Vec<Effect> {
        self.view_mut().clear_filters();
        if self.active == ViewKind::Triage {
            self.triage.reviewer = None;
            self.triage.reason = None;
            self.triage.min_age_days = None;
        }
        self.say(self.t(L::FiltersCleared), false);
        self.requery()
    }

    pub(in crate::tui) fn set_sort(&mut self, s: Option<Sort>) -> Vec<Effect> {
        let next = s.unwrap_or(match self.view().query().sort {
            Sort::Age => Sort::Findings,
            Sort::Findings => Sort::Province,
            Sort::Province => Sort::Age,
        });
        self.view_mut().query.sort = next;
        self.requery()
    }

    pub(in crate::tui) fn set_view(&mut self, v: ViewKind) -> Vec<Effect> {
        self.active = v;
        self.detail.focus = Pane::Queue;
        self.selection_changed();
        vec![self.reload()]
    }

    pub(in crate::tui) fn set_status(&mut self, s: Vec<Status>) -> Vec<Effect> {
        self.view_mut().query.status = if s.is_empty() {
            super::super::view::default_statuses(self.active)
        } else {
            s
        };
        self.requery()
    }

    pub(in crate::tui) fn set_province(&mut self, p: Option<String>) -> Vec<Effect> {
        self.view_mut().query.province = p;
        self.requery()
    }

    pub(in crate::tui) fn set_type(&mut self, t: Option<FilingType>) -> Vec<Effect> {
        self.view_mut().query.filing_type = t;
        self.requery()
    }

    /// Esc: a search is cleared first; then back to the queue pane.
    pub(in crate::tui) fn back(&mut self) -> Vec<Effect> {
        if self.detail.focus == Pane::Queue && self.view().query().q.is_some() {
            return self.set_search(String::new());
        }
        if self.detail.focus == Pane::Queue && self.detail.highlight.is_none() {
            self.dirty = false;
        }
        self.detail.focus = Pane::Queue;
        self.detail.highlight = None;
        Vec::new()
    }

    pub(in crate::tui) fn row(&self, s: crate::queue::OrderSummary) -> Option<Row> {
        let deadline = self
            .settings
            .calendar
            .deadline(
                jiff::Timestamp::from_millisecond(s.submitted_ms).ok()?,
                self.settings.review_days,
            )
            .as_millisecond();
        let id = s.id.clone();
        match Safe::new(s) {
            Ok(safe) => Some(Row::new(id, safe, deadline)),
            Err(e) => {
                tracing::warn!(error = %e, "a row that cannot be shown safely was left out");
                None
            }
        }
    }

    pub(in crate::tui) fn on_page(
        &mut self,
        req: u64,
        append: bool,
        result: Result<Page, QueueError>,
    ) -> Vec<Effect> {
        // Answers for another view, or older than the latest request, are stale.
        let Some(kind) = ViewKind::ALL
            .into_iter()
            .find(|k| self.view_of(*k).list().is_current(req))
        else {
            self.dirty = false;
            return Vec::new();
        };
        let (unreachable, mut fx) = self.saw(&result);
        if unreachable {
            self.views[kind.index()].list.load_failed();
            return fx;
        }
        match result {
            Ok(page) => {
                let rows: Vec<Row> = page.items.into_iter().filter_map(|s| self.row(s)).collect();
                let active = kind == self.active;
                let list = &mut self.views[kind.index()].list;
                match list.fill() {
                    Fill::Tail => {
                        list.replace_tail(rows, page.next);
                    }
                    Fill::Prepend => list.prepend(rows, page.next),
                    Fill::Forward if append => list.append(rows, page.next),
                    Fill::Forward => {
                        list.replace(rows, page.next);
                    }
                }
                let now = list.selected_key().map(str::to_string);
                if active {
                    let shown = self.detail.loaded().map(|l| l.id().to_string());
                    let wanted = self.detail.due().map(|d| d.0.clone());
                    if now.is_none() || (now != shown && now != wanted) {
                        self.selection_changed();
                    }
                    // The first order's detail is asked for with its list, not at the
                    // next tick.
                    if let Some(id) = self.detail.take_due(self.now_ms) {
                        fx.push(self.load_detail_now(id));
                    }
                    self.select_prefill();
                    if !append {
                        fx.push(self.load_stats());
                    }
                }
                fx
            }
            Err(e) => {
                self.views[kind.index()].list.load_failed();
                self.say(format!("{}: {e}", self.t(L::Error)), true);
                fx
            }
        }
    }
}

//! The detail panes: focus, findings, jumping to a flagged field, revealing personal data.

use super::super::app::App;
use super::super::effect::Effect;
use super::super::state::Pane;
use super::super::state::detail::{PANES, pane_of};
use super::super::text::L;

impl App {
    pub(in crate::tui) fn cycle_pane(&mut self, step: i64) -> Vec<Effect> {
        let i = PANES
            .iter()
            .position(|p| *p == self.detail.focus)
            .unwrap_or(0) as i64;
        let n = PANES.len() as i64;
        self.detail.focus = PANES[((i + step).rem_euclid(n)) as usize];
        self.detail.scroll = 0;
        Vec::new()
    }

    /// `n` / `N`: the next or previous finding, its field highlighted in its pane.
    pub(in crate::tui) fn step_finding(&mut self, forward: bool) -> Vec<Effect> {
        let n = self.current_detail().map_or(0, |d| d.findings.len());
        if n == 0 {
            self.dirty = false;
            return Vec::new();
        }
        let started = self.detail.highlight.is_some();
        let f = self.detail.finding;
        self.detail.finding = if forward {
            if started { (f + 1) % n } else { f.min(n - 1) }
        } else {
            (f + n - 1) % n
        };
        self.jump_to_finding();
        Vec::new()
    }

    /// Enter: from the queue into the findings; from a finding to its field.
    pub(in crate::tui) fn jump(&mut self) -> Vec<Effect> {
        if self.detail.focus == Pane::Queue {
            self.detail.focus = Pane::Findings;
        } else {
            self.jump_to_finding();
        }
        Vec::new()
    }

    /// Focus the pane of the selected finding, highlight its field, and scroll so it
    /// shows; j/k scroll on from there.
    fn jump_to_finding(&mut self) {
        let Some(path) = self
            .current_detail()
            .and_then(|d| d.findings.get(self.detail.finding))
            .map(|f| f.path.clone())
        else {
            return;
        };
        let (pane, site) = pane_of(&path);
        self.detail.focus = pane;
        if let Some(i) = site {
            self.detail.site = i;
        }
        self.detail.highlight = Some(path.clone());
        let at = super::super::ui::detail::row_of(self, pane, &path).unwrap_or(0);
        let inner = super::super::ui::layout(self.size).pane_rows;
        self.detail.scroll = at.saturating_sub(inner / 3);
    }

    /// `v`: show or hide id numbers and phones. Showing them is recorded first: the data
    /// appears only once the audit note is written.
    pub(in crate::tui) fn reveal(&mut self) -> Vec<Effect> {
        let Some(id) = self.selected_id().map(str::to_string) else {
            return Vec::new();
        };
        if self.detail.revealed.as_deref() == Some(id.as_str()) {
            self.detail.revealed = None;
            return Vec::new();
        }
        let req = self.next_seq();
        self.detail.revealing = Some((req, id.clone()));
        self.say(self.t(L::Revealing), false);
        vec![Effect::Note {
            req,
            order: id,
            action: "reveal_personal_data".into(),
            note: "id numbers and phones shown on screen".into(),
        }]
    }

    pub(in crate::tui) fn claim(&mut self) -> Vec<Effect> {
        match self.selected_id().map(str::to_string) {
            Some(order) => {
                self.claim_req = self.next_seq();
                vec![Effect::Claim {
                    req: self.claim_req,
                    order,
                }]
            }
            None => Vec::new(),
        }
    }
}

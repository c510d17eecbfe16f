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
        self.want_preview()
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
        self.want_preview()
    }

    /// Enter: from the queue into the findings; from a finding to its field.
    pub(in crate::tui) fn jump(&mut self) -> Vec<Effect> {
        if self.detail.focus == Pane::Queue {
            self.detail.focus = Pane::Findings;
        } else {
            self.jump_to_finding();
        }
        self.want_preview()
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
        if pane == Pane::Materials
            && let Some(i) = path
                .strip_prefix("materials[")
                .and_then(|r| r.split(']').next())
                .and_then(|n| n.parse().ok())
        {
            self.detail.material = i;
        }
        if let Some(i) = site {
            self.detail.site = i;
        }
        self.detail.highlight = Some(path.clone());
        let at = super::super::ui::detail::highlight_row(self, pane).unwrap_or(0);
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

    /// A lead takes over the selected order's claim (the queue refuses a reviewer).
    pub(in crate::tui) fn take_over(&mut self) -> Vec<Effect> {
        self.claim_selected(|req, order| Effect::TakeOver { req, order })
    }

    pub(in crate::tui) fn claim(&mut self) -> Vec<Effect> {
        self.claim_selected(|req, order| Effect::Claim { req, order })
    }

    /// A claim request on the selected order, as the latest one its answer must match.
    fn claim_selected(&mut self, effect: fn(u64, String) -> Effect) -> Vec<Effect> {
        match self.selected_id().map(str::to_string) {
            Some(order) => {
                self.claim_req = self.next_seq();
                vec![effect(self.claim_req, order)]
            }
            None => Vec::new(),
        }
    }
}

impl App {
    /// The material whose picture belongs on screen now: the one under the cursor in the
    /// Materials pane, or, comparing, the one that proves the fields shown (the licence for
    /// the subject, the site leader's ID for a site). Only pictures the inspector could
    /// read qualify.
    fn preview_target(&self) -> Option<String> {
        use crate::domain::MaterialKind as K;
        use crate::rules::MaterialState;
        let l = self.current()?;
        let o = l.order();
        let index = match self.detail.focus {
            Pane::Materials => Some(self.detail.material),
            _ if !self.detail.compare => None,
            Pane::Sites => {
                let site = self.detail.site;
                o.materials
                    .iter()
                    .position(|m| m.kind == K::SiteLeaderIdFront && m.site == Some(site))
                    .or_else(|| {
                        o.materials
                            .iter()
                            .position(|m| m.kind == K::SiteLeaderIdFront)
                    })
            }
            _ => o
                .materials
                .iter()
                .position(|m| m.kind == K::BusinessLicence)
                .or_else(|| {
                    o.materials
                        .iter()
                        .position(|m| m.kind == K::SubjectLeaderIdFront)
                }),
        }?;
        let m = o.materials.get(index)?;
        match l.detail().materials.get(index) {
            Some(MaterialState::Inspected(i)) if i.format.is_raster() => Some(m.id.clone()),
            _ => None,
        }
    }

    /// Ask for the picture that belongs on screen, unless it is there or on its way.
    pub(in crate::tui) fn want_preview(&mut self) -> Vec<Effect> {
        let (Some(order), Some(material)) = (
            self.selected_id().map(str::to_string),
            self.preview_target(),
        ) else {
            self.preview = None;
            return Vec::new();
        };
        if self
            .preview
            .as_ref()
            .is_some_and(|p| p.order == order && p.material == material)
        {
            return Vec::new();
        }
        let req = self.next_seq();
        self.preview_req = req;
        self.preview = Some(super::super::app::Preview {
            order: order.clone(),
            material: material.clone(),
            image: None,
            error: None,
        });
        *self.protocol.borrow_mut() = None;
        vec![Effect::LoadPreview {
            req,
            order,
            material,
        }]
    }

    pub(in crate::tui) fn on_preview(
        &mut self,
        req: u64,
        result: Result<std::sync::Arc<image::DynamicImage>, String>,
    ) -> Vec<Effect> {
        if req != self.preview_req {
            self.dirty = false;
            return Vec::new();
        }
        if let Some(p) = self.preview.as_mut() {
            match result {
                Ok(img) => p.image = Some(img),
                Err(e) => p.error = Some(e),
            }
            *self.protocol.borrow_mut() = None;
        }
        Vec::new()
    }

    /// `m`: the proving material beside the fields, or not.
    pub(in crate::tui) fn toggle_compare(&mut self) -> Vec<Effect> {
        self.detail.compare = !self.detail.compare;
        if self.detail.focus == Pane::Queue {
            self.detail.focus = Pane::Subject;
        }
        let fx = self.want_preview();
        if self.detail.compare && self.preview.is_none() {
            self.say(self.t(L::NoMaterial), false);
        }
        fx
    }

    /// `o`: the selected material (or the compared one) in the desktop's viewer.
    pub(in crate::tui) fn open_material(&mut self) -> Vec<Effect> {
        if super::super::effect::desktop_opener(self.settings.local).is_none() {
            self.say(self.t(L::NoDesktop), true);
            return Vec::new();
        }
        let material = match self.detail.focus {
            Pane::Materials => self
                .current()
                .and_then(|l| l.order().materials.get(self.detail.material))
                .map(|m| m.id.clone()),
            _ => self.preview.as_ref().map(|p| p.material.clone()),
        };
        match (self.selected_id().map(str::to_string), material) {
            (Some(order), Some(material)) => vec![Effect::OpenMaterial { order, material }],
            _ => {
                self.say(self.t(L::NoPicture), true);
                Vec::new()
            }
        }
    }
}

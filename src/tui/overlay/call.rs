//! Schedule a verification call: whom (the subject's or a site's leader, or an emergency
//! contact), when (working hours on working days of the official calendar, not in the
//! past; a free slot proposed) and why (pre-filled from the warnings; required).

use super::super::app::App;
use super::super::command::Command;
use super::super::input::Input;
use super::super::keymap::Layer;
use super::super::text::L;
use super::super::ui::widgets::{bordered, centered, clear, input_line};
use super::{Ctx, Outcome, Staged};
use crate::domain::calls;
use crate::domain::person::mask_phone;
use crate::queue::{Action as DecisionAction, CallPlan};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Debug, Clone, PartialEq)]
pub struct CallTarget {
    /// `subject_leader`, `site_leader:<i>`, `emergency:<i>`.
    pub who: String,
    pub label: String,
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallDialog {
    targets: Vec<CallTarget>,
    target: usize,
    when: Input,
    why: Input,
    /// 0 whom, 1 when, 2 why.
    field: usize,
    error: Option<calls::CallError>,
}

impl CallDialog {
    pub fn new(targets: Vec<CallTarget>, when: &str, why: &str) -> CallDialog {
        CallDialog {
            targets,
            target: 0,
            when: Input::with(when),
            why: Input::with(why),
            field: 0,
            error: None,
        }
    }

    pub fn targets(&self) -> &[CallTarget] {
        &self.targets
    }

    pub fn target(&self) -> usize {
        self.target
    }

    pub fn when(&self) -> &Input {
        &self.when
    }

    pub fn why(&self) -> &Input {
        &self.why
    }

    pub fn field(&self) -> usize {
        self.field
    }

    pub fn error(&self) -> Option<&calls::CallError> {
        self.error.as_ref()
    }

    pub fn layers(&self) -> Vec<Layer> {
        if self.field == 0 {
            vec![Layer::Call]
        } else {
            vec![Layer::Call, Layer::Input]
        }
    }

    fn text_field(&mut self) -> Option<&mut Input> {
        match self.field {
            1 => Some(&mut self.when),
            2 => Some(&mut self.why),
            _ => None,
        }
    }

    pub fn on_key(&mut self, key: &KeyEvent, ctx: &Ctx) -> Outcome {
        if self.text_field().is_some_and(|f| f.type_key(key)) {
            self.error = None;
            return Outcome::Stay;
        }
        let cmd = ctx.keymap.lookup(Layer::Call, key).cloned();
        match cmd {
            Some(Command::Cancel) => Outcome::Close,
            Some(Command::NextField) => {
                self.field = (self.field + 1) % 3;
                Outcome::Stay
            }
            Some(Command::PrevField) => {
                self.field = (self.field + 2) % 3;
                Outcome::Stay
            }
            Some(Command::Down) if self.field == 0 => {
                self.target = (self.target + 1).min(self.targets.len().saturating_sub(1));
                Outcome::Stay
            }
            Some(Command::Up) if self.field == 0 => {
                self.target = self.target.saturating_sub(1);
                Outcome::Stay
            }
            Some(Command::Confirm) => {
                match calls::check_call(self.when.text(), self.why.text(), ctx.now_ms, ctx.calendar)
                {
                    Err(e) => {
                        self.error = Some(e);
                        Outcome::Stay
                    }
                    Ok(t) => {
                        let Some(target) = self
                            .targets
                            .get(self.target.min(self.targets.len().saturating_sub(1)))
                            .cloned()
                        else {
                            return Outcome::Close;
                        };
                        Outcome::Decide(Staged {
                            action: DecisionAction::ScheduleCall,
                            reasons: Vec::new(),
                            note: Some(self.why.text().trim().to_string()),
                            call: Some(CallPlan {
                                at: crate::queue::time::rfc3339_shanghai(t.as_millisecond()),
                                who: target.who,
                                phone: target.phone,
                            }),
                            override_blocks: false,
                        })
                    }
                }
            }
            _ => {
                let used = self.text_field().is_some_and(|f| f.handle(key, ctx.keymap));
                if used {
                    self.error = None;
                    Outcome::Stay
                } else {
                    Outcome::Ignored
                }
            }
        }
    }

    pub fn render(&self, app: &App, f: &mut Frame, area: Rect) {
        let th = app.theme();
        let w = 72.min(area.width);
        let revealed = app.detail_state().revealed().is_some()
            && app.detail_state().revealed() == app.selected_id();
        let mut lines = vec![Line::from(Span::styled(
            format!("{}:", app.t(L::CallWho)),
            if self.field == 0 { th.title } else { th.muted },
        ))];
        for (i, t) in self.targets.iter().enumerate() {
            let phone = if revealed {
                t.phone.clone()
            } else {
                mask_phone(&t.phone)
            };
            let mut l = Line::from(format!(
                "  {} {}  {phone}",
                if i == self.target { "●" } else { "○" },
                t.label
            ));
            if i == self.target && self.field == 0 {
                l = l.style(th.selection);
            }
            lines.push(l);
        }
        let inner = w.saturating_sub(2);
        lines.push(input_line(
            app,
            app.t(L::CallWhen),
            &self.when,
            self.field == 1,
            inner,
        ));
        lines.push(input_line(
            app,
            app.t(L::CallWhy),
            &self.why,
            self.field == 2,
            inner,
        ));
        if let Some(t) = calls::parse_call_time(self.when.text())
            && calls::outside_calendar(t, app.settings().calendar)
        {
            lines.push(Line::from(Span::styled(app.t(L::OutsideCalendar), th.warn)));
        }
        lines.push(Line::from(""));
        lines.push(match &self.error {
            Some(e) => Line::from(Span::styled(e.message(app.en()), th.block)),
            None => super::super::ui::hints(app, &self.layers()),
        });
        let r = centered(area, w, lines.len() as u16 + 2);
        clear(f, r);
        f.render_widget(
            Paragraph::new(lines).block(bordered(app, app.t(L::CallTitle).to_string(), true)),
            r,
        );
    }
}
